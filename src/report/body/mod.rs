//! The report's words, once, in the order a Sở Nội vụ report to UBND tỉnh uses: the opening
//! and the period's headline; I. Công tác chỉ đạo, điều hành; II. Kết quả thực hiện các nhiệm vụ
//! CCHC (by area, with the two charts); III. Đánh giá chung; IV. Phương hướng, nhiệm vụ trọng
//! tâm kỳ tới; V. Đề xuất, kiến nghị; then the appendices, each with its caption. The Markdown
//! and .docx renderers lay these blocks out. Names only, never codes or row ids; every stored
//! string passes through `untrusted::line`.

mod appendix;
mod sections;

use chrono::NaiveDate;

use crate::model::{DisplayState, Lang};
use crate::untrusted;

use super::{DueCounts, Report, ReportPeriod, count, date, figure};

/// How many tasks a list names before "và N nhiệm vụ khác".
pub const LIST_LIMIT: usize = 5;

/// One piece of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1: a Roman-numbered section; 2: a numbered part of one; 3: a smaller heading.
    Heading {
        level: u8,
        text: String,
    },
    Para(String),
    /// Where a text only people can write goes and none was given: shown marked, never filled.
    Placeholder(String),
    Bullets(Vec<String>),
    Table(Table),
    /// One of `charts::render`'s pictures, by its index, with the caption under it.
    Chart {
        index: usize,
        caption: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths; the renderers scale them to the page.
    pub widths: Vec<u32>,
    /// Columns of numbers, right-aligned.
    pub numeric: Vec<bool>,
}

/// An appendix: "Phụ lục I", its title and the caption tying it to the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Appendix {
    pub label: String,
    pub title: String,
    pub caption: String,
    pub blocks: Vec<Block>,
}

/// The body and the appendices that follow the signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub appendices: Vec<Appendix>,
}

/// The report's own number and date, as the letterhead gives them (for the appendices'
/// captions): a number left empty is "…" for the văn thư, and so is the day of a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    pub number: String,
    pub symbol: String,
    pub issued: Option<NaiveDate>,
    pub year: i32,
}

impl Letter {
    pub fn new(cfg: &crate::config::ReportConfig, today: NaiveDate) -> Letter {
        use chrono::Datelike;
        let numbered = !cfg.number.trim().is_empty();
        Letter {
            number: if numbered {
                safe(&cfg.number)
            } else {
                "…".into()
            },
            symbol: safe(&cfg.symbol),
            issued: numbered.then_some(today),
            year: today.year(),
        }
    }
}

/// "ngày 05 tháng 02 năm 2026", as the decree writes a document's date (days below 10 and
/// months below 3 padded); a draft's, not yet dated, "ngày … tháng … năm 2026".
pub fn day_month_year(issued: Option<NaiveDate>, year: i32) -> String {
    use chrono::Datelike;
    match issued {
        Some(d) => {
            let month = if d.month() < 3 {
                format!("{:02}", d.month())
            } else {
                d.month().to_string()
            };
            format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
        }
        None => format!("ngày … tháng … năm {year}"),
    }
}

/// Text from the file, made safe to show on one line.
pub(super) fn safe(s: &str) -> String {
    untrusted::line(s).into_owned()
}

/// The section headings, in order, for the renderers' tests and the independent checks.
pub fn section_titles(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Vi => [
            "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
            "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
            "III. ĐÁNH GIÁ CHUNG",
            "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
            "V. ĐỀ XUẤT, KIẾN NGHỊ",
        ],
        Lang::En => [
            "I. DIRECTION AND MANAGEMENT",
            "II. RESULTS BY AREA OF REFORM",
            "III. OVERALL ASSESSMENT",
            "IV. PRIORITIES FOR THE NEXT PERIOD",
            "V. PROPOSALS",
        ],
    }
}

/// "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026": the summary line
/// under the title.
pub fn summary_line(period: ReportPeriod, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!(
            "Kết quả thực hiện công tác cải cách hành chính {}",
            period.label(lang)
        ),
        Lang::En => format!("Administrative reform results, {}", period.label(lang)),
    }
}

/// "Số liệu tính đến ngày 07/12/2026 (số liệu sơ bộ)": the as-of line, also under the title.
pub fn as_of_line(r: &Report, lang: Lang) -> String {
    match (lang, r.preliminary) {
        (Lang::Vi, false) => format!("Số liệu tính đến ngày {}", date(r.as_of)),
        (Lang::Vi, true) => format!(
            "Số liệu sơ bộ, tính đến ngày {} (kỳ báo cáo kết thúc ngày {})",
            date(r.as_of),
            date(r.end)
        ),
        (Lang::En, false) => format!("Figures as of {}", date(r.as_of)),
        (Lang::En, true) => format!(
            "Preliminary figures as of {} (the period ends on {})",
            date(r.as_of),
            date(r.end)
        ),
    }
}

pub fn build(r: &Report, lang: Lang, letter: &Letter) -> Body {
    let mut b = Vec::new();
    sections::opening(&mut b, r, lang);
    sections::direction(&mut b, r, lang);
    sections::results(&mut b, r, lang);
    sections::assessment(&mut b, r, lang);
    sections::next_period(&mut b, r, lang);
    sections::proposals(&mut b, r, lang);
    Body {
        blocks: b,
        appendices: appendix::build(r, lang, letter),
    }
}

/// Vietnamese or English, by the report's language.
#[derive(Clone, Copy)]
pub(super) struct Words(pub Lang);

impl Words {
    pub fn t(self, vi: &'static str, en: &'static str) -> &'static str {
        match self.0 {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
    pub fn n(self, n: usize) -> String {
        count(n, self.0)
    }
}

pub(super) fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        text: text.to_string(),
    }
}

pub(super) fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A percentage with one decimal as each language writes it: "37,5%".
pub(super) fn pct(v: f64, lang: Lang) -> String {
    format!("{}%", figure((v * 10.0).round() / 10.0, lang))
}

/// "hoàn thành đúng hạn 45 (37,5%), hoàn thành quá hạn 10, chưa hoàn thành 65".
pub(super) fn due_words(c: &DueCounts, lang: Lang) -> String {
    let w = Words(lang);
    let share = c
        .on_time_pct
        .map(|p| format!(" ({})", pct(p, lang)))
        .unwrap_or_default();
    format!(
        "{} {}{share}, {} {}, {} {}",
        w.t("hoàn thành đúng hạn", "done on time"),
        w.n(c.done_on_time),
        w.t("hoàn thành quá hạn", "done late"),
        w.n(c.done_late),
        w.t("chưa hoàn thành", "not done"),
        w.n(c.not_done)
    )
}

/// The words of a text people wrote: paragraphs, and "- " lines as a list.
pub(super) fn written(b: &mut Vec<Block>, text: Option<&str>, placeholder: String) {
    let Some(text) = text else {
        b.push(Block::Placeholder(placeholder));
        return;
    };
    for paragraph in text.split("\n\n") {
        let lines: Vec<&str> = paragraph.lines().collect();
        if lines.iter().all(|l| l.starts_with("- ")) {
            b.push(Block::Bullets(
                lines.iter().map(|l| safe(&l[2..])).collect(),
            ));
        } else {
            b.push(Block::Para(safe(&lines.join(" "))));
        }
    }
}

/// A task's state in a few words, for lists ahead.
pub(super) fn state_words(state: DisplayState, progress: u8, lang: Lang) -> Option<String> {
    let w = Words(lang);
    if progress > 0 {
        Some(format!("{} {progress}%", w.t("đã thực hiện", "done")))
    } else if state == DisplayState::Overdue {
        Some(lower_first(state.label(lang)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documents_date_pads_days_below_10_and_months_below_3() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        assert_eq!(
            day_month_year(d("2026-02-05"), 2026),
            "ngày 05 tháng 02 năm 2026"
        );
        assert_eq!(
            day_month_year(d("2026-07-14"), 2026),
            "ngày 14 tháng 7 năm 2026"
        );
        assert_eq!(day_month_year(None, 2027), "ngày … tháng … năm 2027");
    }
}
