//! Tasks as a CSV file for people who open it in a spreadsheet (`--excel`): a UTF-8 BOM (so
//! Excel does not read the Vietnamese as ANSI), headers and state names in the user's language,
//! dd/mm/yyyy dates, names instead of codes, and every text cell made inert by
//! `untrusted::cell`. The delimiter is `;` in Vietnamese, the list separator of Excel on a
//! Vietnamese Windows (where the comma is the decimal mark), and `,` in English. The plain CSV
//! stays as it is, for scripts.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;

use crate::model::{Agency, Area, Lang, Recurrence, Task};
use crate::untrusted::cell;

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn delimiter(lang: Lang) -> u8 {
    match lang {
        Lang::Vi => b';',
        Lang::En => b',',
    }
}

fn headers(lang: Lang) -> [&'static str; 14] {
    use crate::model::TaskField as F;
    let t = |vi, en| match lang {
        Lang::Vi => vi,
        Lang::En => en,
    };
    [
        t("Mã số", "ID"),
        t("Mục kế hoạch", "Plan reference"),
        F::Area.label(lang),
        F::LeadAgency.label(lang),
        t("Nhiệm vụ", "Task"),
        F::Due.label(lang),
        F::DueAssumed.label(lang),
        // The display state (overdue, done late…), not the stored status.
        t("Trạng thái", "State"),
        t("Tiến độ (%)", "Progress (%)"),
        t("Số ngày trễ", "Days late"),
        F::CompletedOn.label(lang),
        F::Coordinating.label(lang),
        F::Output.label(lang),
        F::Recurrence.label(lang),
    ]
}

fn recurrence(r: Recurrence, lang: Lang) -> &'static str {
    match (r, lang) {
        (Recurrence::Once, Lang::Vi) => "Một lần",
        (Recurrence::Yearly, Lang::Vi) => "Hằng năm",
        (Recurrence::HalfYearly, Lang::Vi) => "6 tháng",
        (Recurrence::Quarterly, Lang::Vi) => "Hằng quý",
        (Recurrence::Once, Lang::En) => "Once",
        (Recurrence::Yearly, Lang::En) => "Yearly",
        (Recurrence::HalfYearly, Lang::En) => "Half-yearly",
        (Recurrence::Quarterly, Lang::En) => "Quarterly",
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Writes the BOM, the header and one row per task.
pub fn write_tasks<W: Write>(
    tasks: &[Task],
    areas: &[Area],
    agencies: &[Agency],
    today: NaiveDate,
    lang: Lang,
    mut out: W,
) -> csv::Result<()> {
    out.write_all(BOM)?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter(lang))
        .buffer_capacity(64 * 1024)
        .from_writer(out);
    w.write_record(headers(lang))?;
    let area: HashMap<&str, &str> = areas
        .iter()
        .map(|a| (a.code.as_str(), a.name(lang)))
        .collect();
    let agency: HashMap<&str, &str> = agencies
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let name_of = |code: &str| agency.get(code).copied().unwrap_or(code).to_string();
    let (yes, no) = match lang {
        Lang::Vi => ("Có", "Không"),
        Lang::En => ("Yes", "No"),
    };
    for t in tasks {
        let coordinating = t
            .coordinating
            .iter()
            .map(|c| name_of(c))
            .collect::<Vec<_>>()
            .join("; ");
        let late = t.days_late(today);
        let row = [
            t.id.to_string(),
            cell(&t.plan_ref).into_owned(),
            cell(area.get(t.area.as_str()).copied().unwrap_or(&t.area)).into_owned(),
            cell(&name_of(&t.lead_agency)).into_owned(),
            cell(&t.title).into_owned(),
            date(t.due),
            (if t.due_assumed { yes } else { no }).to_string(),
            t.display_state(today).label(lang).to_string(),
            t.progress.to_string(),
            if late > 0 {
                late.to_string()
            } else {
                String::new()
            },
            t.completed_on.map(date).unwrap_or_default(),
            cell(&coordinating).into_owned(),
            cell(&t.output).into_owned(),
            recurrence(t.recurrence, lang).to_string(),
        ];
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}
