//! The letter's words, once: the parts Nghị định 30/2020 gives a công văn (its summary under
//! the number, "Kính gửi", the body, "Nơi nhận"), the table of what is overdue and what falls
//! due soon, and the mail's subject and plain text. The decree's fixed parts stay Vietnamese;
//! the body follows the interface language. Every stored string passes through
//! `untrusted::line`, and the letter names the agency's own tasks only.

use crate::model::{Lang, PlanInfo};
use crate::report::body::Table;
use crate::report::{date, figure};
use crate::untrusted;

use super::{Letter, LetterTask};

/// The summary under the number, as the decree words a công văn's ("V/v …").
pub const SUBJECT: &str = "V/v đôn đốc thực hiện nhiệm vụ cải cách hành chính";

/// A letter as words.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// "Kính gửi: <this>."
    pub addressed_to: String,
    /// Before the table: what the plan asks and what is owed.
    pub opening: Vec<String>,
    pub table: Table,
    /// After the table: what the agency is asked to do and by when, then the courtesy.
    pub closing: Vec<String>,
    /// "Nơi nhận", "Như trên" first.
    pub copies_to: Vec<String>,
}

fn safe(s: &str) -> String {
    untrusted::line(s).into_owned()
}

struct T(Lang);

impl T {
    fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        match self.0 {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// "3 nhiệm vụ đã quá hạn nhưng chưa hoàn thành và 2 nhiệm vụ đến hạn trong 15 ngày tới".
fn owed(l: &Letter, lang: Lang) -> String {
    let w = T(lang);
    let mut parts = Vec::new();
    if !l.overdue.is_empty() {
        parts.push(format!(
            "{} {}",
            l.overdue.len(),
            w.t(
                "nhiệm vụ đã quá hạn nhưng chưa hoàn thành",
                "tasks past their due date and not done"
            )
        ));
    }
    if !l.due_soon.is_empty() {
        parts.push(format!(
            "{} {} {} {}",
            l.due_soon.len(),
            w.t("nhiệm vụ đến hạn trong", "tasks due within the next"),
            l.due_within,
            w.t("ngày tới", "days")
        ));
    }
    parts.join(w.t(" và ", " and "))
}

fn row(n: usize, t: &LetterTask, overdue: bool, lang: Lang) -> Vec<String> {
    let w = T(lang);
    let when = if overdue {
        format!(
            "{} {} {}",
            w.t("Trễ", "Late by"),
            t.days,
            w.t("ngày", "days")
        )
    } else if t.days == 0 {
        w.t("Đến hạn hôm nay", "Due today").to_string()
    } else {
        format!("{} {} {}", w.t("Còn", "In"), t.days, w.t("ngày", "days"))
    };
    vec![
        n.to_string(),
        safe(&t.title),
        date(t.due),
        when,
        format!("{}%", figure(f64::from(t.progress), lang)),
    ]
}

/// The table: the overdue tasks under "I", those due soon under "II", numbered within each.
fn table(l: &Letter, lang: Lang) -> Table {
    let w = T(lang);
    let mut rows = Vec::new();
    let groups = [
        (
            &l.overdue,
            true,
            w.t("Nhiệm vụ đã quá hạn", "Overdue tasks"),
        ),
        (
            &l.due_soon,
            false,
            w.t("Nhiệm vụ sắp đến hạn", "Tasks due soon"),
        ),
    ];
    let numbered = groups
        .iter()
        .filter(|(tasks, ..)| !tasks.is_empty())
        .count()
        > 1;
    let mut roman = ["I", "II"].into_iter();
    for (tasks, overdue, heading) in groups {
        if tasks.is_empty() {
            continue;
        }
        if numbered {
            let mark = roman.next().unwrap_or_default();
            rows.push(vec![
                mark.into(),
                heading.into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for (i, t) in tasks.iter().enumerate() {
            rows.push(row(i + 1, t, overdue, lang));
        }
    }
    Table {
        header: vec![
            w.t("TT", "No.").into(),
            w.t("Nhiệm vụ", "Task").into(),
            w.t("Hạn", "Due").into(),
            w.t("Tình trạng", "State").into(),
            w.t("Tiến độ", "Progress").into(),
        ],
        rows,
        widths: vec![6, 52, 14, 16, 12],
        numeric: vec![false, false, false, false, true],
    }
}

/// The letter in words. `plan` names the plan the tasks come from; `copies_to` are the
/// copies after "Như trên".
pub fn words(l: &Letter, lang: Lang, plan: &PlanInfo, copies_to: &[String]) -> Words {
    let w = T(lang);
    let (issuer, agency) = (safe(&l.issuer), safe(&l.agency_name));
    let mut opening = vec![match lang {
        Lang::Vi => format!(
            "Thực hiện {} của {}, {issuer} được giao theo dõi, hướng dẫn, đôn đốc, kiểm tra việc thực hiện Kế hoạch. Qua theo dõi, tính đến ngày {}, {agency} còn {}, cụ thể như sau:",
            safe(&plan.title),
            safe(&plan.issuer),
            date(l.today),
            owed(l, lang)
        ),
        Lang::En => format!(
            "Under the {} issued by {}, {issuer} follows, guides, urges and checks its execution. As of {}, {agency} has {}:",
            safe(&plan.title),
            safe(&plan.issuer),
            date(l.today),
            owed(l, lang)
        ),
    }];
    if let Some(r) = &l.reminded {
        opening.push(match lang {
            Lang::Vi => format!(
                "{issuer} đã có văn bản đôn đốc {} lần về các nhiệm vụ này, gần nhất ngày {}.",
                r.times,
                date(r.last)
            ),
            Lang::En => format!(
                "{issuer} has urged these tasks {} time(s) before, most recently on {}.",
                r.times,
                date(r.last)
            ),
        });
    }
    let closing = vec![
        match lang {
            Lang::Vi => format!(
                "Để bảo đảm tiến độ thực hiện Kế hoạch, {issuer} đề nghị {agency} khẩn trương chỉ đạo thực hiện, hoàn thành các nhiệm vụ nêu trên; cập nhật kết quả, tiến độ thực hiện vào bảng theo dõi nhiệm vụ {} gửi kèm và gửi về {issuer} trước ngày {} để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.",
                l.period.label(lang),
                date(l.respond_by)
            ),
            Lang::En => format!(
                "To keep the plan on schedule, {issuer} asks {agency} to see these tasks done without delay, to enter their results and progress in the attached sheet for {} and to return it to {issuer} by {}, for the report to the Provincial People's Committee.",
                l.period.label(lang),
                date(l.respond_by)
            ),
        },
        w.t("Trân trọng./.", "Yours faithfully.").to_string(),
    ];
    Words {
        addressed_to: safe(&l.addressed_to),
        opening,
        table: table(l, lang),
        closing,
        copies_to: copies_to.iter().map(|c| safe(c)).collect(),
    }
}

/// The mail's subject: "Đôn đốc thực hiện nhiệm vụ cải cách hành chính - Sở Tư pháp".
pub fn mail_subject(l: &Letter, lang: Lang) -> String {
    let w = T(lang);
    format!(
        "{} - {}",
        w.t(
            "Đôn đốc thực hiện nhiệm vụ cải cách hành chính",
            "Urging the administrative reform tasks"
        ),
        safe(&l.agency_name)
    )
}

/// The mail's plain text: who it is for, what is attached, the tasks in short, and how to
/// answer (by replying, which goes to the secretariat).
pub fn mail_text(l: &Letter, lang: Lang, letter_file: &str, sheet_file: &str) -> String {
    let w = T(lang);
    let (issuer, agency) = (safe(&l.issuer), safe(&l.agency_name));
    let mut out = format!("{} {}.\n\n", w.t("Kính gửi:", "To:"), safe(&l.addressed_to));
    out.push_str(&match lang {
        Lang::Vi => format!(
            "{issuer} gửi kèm thư này công văn đôn đốc thực hiện nhiệm vụ cải cách hành chính ({letter_file}) và bảng theo dõi nhiệm vụ {} của {agency} ({sheet_file}).\n\nTính đến ngày {}, {agency} còn {}:\n",
            l.period.label(lang),
            date(l.today),
            owed(l, lang)
        ),
        Lang::En => format!(
            "{issuer} sends with this mail its letter urging the administrative reform tasks ({letter_file}) and {agency}'s task sheet for {} ({sheet_file}).\n\nAs of {}, {agency} has {}:\n",
            l.period.label(lang),
            date(l.today),
            owed(l, lang)
        ),
    });
    for (tasks, overdue) in [(&l.overdue, true), (&l.due_soon, false)] {
        for t in tasks {
            let cells = row(0, t, overdue, lang);
            out.push_str(&format!(
                "- {} ({} {}; {}; {} {})\n",
                cells[1],
                w.t("hạn", "due"),
                cells[2],
                cells[3].to_lowercase(),
                w.t("tiến độ", "progress"),
                cells[4]
            ));
        }
    }
    out.push_str(&match lang {
        Lang::Vi => format!(
            "\nĐề nghị {agency} cập nhật kết quả vào bảng theo dõi kèm theo và gửi lại trước ngày {} bằng cách trả lời thư này.\n\nTrân trọng,\n{issuer}\n",
            date(l.respond_by)
        ),
        Lang::En => format!(
            "\n{agency} is asked to enter its results in the attached sheet and send it back by {}, by replying to this mail.\n\nYours faithfully,\n{issuer}\n",
            date(l.respond_by)
        ),
    });
    out
}
