//! Tasks as a CSV file for people who open it in a spreadsheet (`--excel`): a UTF-8 BOM (so
//! Excel does not read the Vietnamese as ANSI), headers and state names in the user's language,
//! dd/mm/yyyy dates, names instead of codes, and every text cell made inert by
//! `untrusted::cell`. The delimiter is `;` in Vietnamese, the list separator of Excel on a
//! Vietnamese Windows (where the comma is the decimal mark), and `,` in English. The plain CSV
//! stays as it is, for scripts. Such a file imports back (`cchc import`): [`column_for`] names
//! its columns in the import's terms, and its words are read back by [`recurrence_for`],
//! [`yes`] and [`status_from_state`].

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;

use crate::model::{Agency, Area, DisplayState, Lang, Recurrence, Status, Task};
use crate::text::fold;
use crate::untrusted::cell;

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn delimiter(lang: Lang) -> u8 {
    match lang {
        Lang::Vi => b';',
        Lang::En => b',',
    }
}

/// The import's name of each column of [`headers`], in order.
const COLUMNS: [&str; 15] = [
    "id",
    "plan_ref",
    "area",
    "lead_agency",
    "title",
    "due",
    "due_assumed",
    "display_state",
    "progress",
    "days_late",
    "completed_on",
    "coordinating",
    "output",
    "recurrence",
    "status",
];

/// The import's name of a column of this file, in either language ("Cơ quan chủ trì" →
/// `lead_agency`); `None` for any other header.
pub fn column_for(header: &str) -> Option<&'static str> {
    let h = fold(header);
    [Lang::Vi, Lang::En].into_iter().find_map(|lang| {
        headers(lang)
            .iter()
            .position(|x| fold(x) == h)
            .map(|i| COLUMNS[i])
    })
}

/// A recurrence as this file words it ("Hằng quý").
pub fn recurrence_for(s: &str) -> Option<Recurrence> {
    let f = fold(s);
    [
        Recurrence::Once,
        Recurrence::Yearly,
        Recurrence::HalfYearly,
        Recurrence::Quarterly,
    ]
    .into_iter()
    .find(|r| {
        [Lang::Vi, Lang::En]
            .iter()
            .any(|l| fold(recurrence(*r, *l)) == f)
    })
}

/// "Có" / "Yes" (and "Không" / "No") as this file words a yes-or-no column.
pub fn yes(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "co" | "yes" | "true" | "1" => Some(true),
        "khong" | "no" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// The stored status a display state stands for, for a file without the status column (one
/// written before it was added): done for both done states; for the others, started when the
/// state says so or progress was made.
pub fn status_from_state(s: &str, progress: u8) -> Option<Status> {
    let f = fold(s);
    let state = DisplayState::ALL.into_iter().find(|d| {
        fold(d.as_str()) == f || [Lang::Vi, Lang::En].iter().any(|l| fold(d.label(*l)) == f)
    })?;
    Some(match state {
        DisplayState::DoneOnTime | DisplayState::DoneLate => Status::Done,
        DisplayState::InProgress => Status::InProgress,
        DisplayState::Overdue | DisplayState::NotStarted if progress > 0 => Status::InProgress,
        DisplayState::Overdue | DisplayState::NotStarted => Status::NotStarted,
    })
}

fn headers(lang: Lang) -> [&'static str; 15] {
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
        // The status the lead reported (the state above is derived from it and the dates).
        t("Trạng thái báo cáo", "Reported status"),
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
    out: W,
) -> csv::Result<()> {
    let mut w = TaskRows::new(areas, agencies, today, lang, out)?;
    for t in tasks {
        w.task(t)?;
    }
    w.finish()
}

/// The file written a task at a time (a list of any length): the BOM and the header first.
pub struct TaskRows<W: Write> {
    w: csv::Writer<W>,
    area: HashMap<String, String>,
    agency: HashMap<String, String>,
    today: NaiveDate,
    lang: Lang,
}

impl<W: Write> TaskRows<W> {
    pub fn new(
        areas: &[Area],
        agencies: &[Agency],
        today: NaiveDate,
        lang: Lang,
        mut out: W,
    ) -> csv::Result<Self> {
        out.write_all(BOM)?;
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter(lang))
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        w.write_record(headers(lang))?;
        Ok(TaskRows {
            w,
            area: areas
                .iter()
                .map(|a| (a.code.clone(), a.name(lang).to_string()))
                .collect(),
            agency: agencies
                .iter()
                .map(|a| (a.code.clone(), a.name.clone()))
                .collect(),
            today,
            lang,
        })
    }

    fn name_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.agency.get(code).map(String::as_str).unwrap_or(code)
    }

    pub fn task(&mut self, t: &Task) -> csv::Result<()> {
        let (lang, today) = (self.lang, self.today);
        let (yes, no) = match lang {
            Lang::Vi => ("Có", "Không"),
            Lang::En => ("Yes", "No"),
        };
        let coordinating = t
            .coordinating
            .iter()
            .map(|c| self.name_of(c))
            .collect::<Vec<_>>()
            .join("; ");
        let late = t.days_late(today);
        let row = [
            t.id.to_string(),
            cell(&t.plan_ref).into_owned(),
            cell(self.area.get(&t.area).unwrap_or(&t.area)).into_owned(),
            cell(self.name_of(&t.lead_agency)).into_owned(),
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
            t.status.label(lang).to_string(),
        ];
        self.w.write_record(&row)
    }

    pub fn finish(mut self) -> csv::Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_words_read_back() {
        assert_eq!(column_for("Cơ quan chủ trì"), Some("lead_agency"));
        assert_eq!(column_for("mã số"), Some("id"));
        assert_eq!(column_for("Reported status"), Some("status"));
        assert_eq!(column_for("Trạng thái"), Some("display_state"));
        assert_eq!(column_for("title"), None);
        assert_eq!(recurrence_for("Hằng quý"), Some(Recurrence::Quarterly));
        assert_eq!(recurrence_for("monthly"), None);
        assert_eq!(yes("Có"), Some(true));
        assert_eq!(yes("Không"), Some(false));
        assert_eq!(status_from_state("Quá hạn", 0), Some(Status::NotStarted));
        assert_eq!(status_from_state("Quá hạn", 20), Some(Status::InProgress));
        assert_eq!(status_from_state("Done late", 100), Some(Status::Done));
        assert_eq!(status_from_state("soon", 0), None);
    }
}
