//! The report's words, once: the three sections of a báo cáo (I. results, II. shortcomings,
//! III. the next quarter's tasks) and the appendix, as headings, paragraphs, lists and tables
//! that the Markdown and .docx renderers lay out. Names only, never codes or row ids; every
//! stored string passes through `untrusted::line`.

use crate::model::{Direction, DisplayState, Lang};
use crate::untrusted;

use super::{
    AreaSection, IndicatorRow, QuarterReport, ReportPeriod, count, date, figure, figure_value,
};

/// How many overdue tasks section II lists under one agency; the rest are in the appendix.
pub const OVERDUE_PER_AGENCY: usize = 5;

/// One piece of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1: a Roman-numbered section; 2: an area or a group; 3: an agency.
    Heading {
        level: u8,
        text: String,
    },
    Para(String),
    Bullets(Vec<String>),
    Table(Table),
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

/// The body and the appendix that follows the signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub blocks: Vec<Block>,
    pub appendix: Vec<Block>,
}

/// Text from the file, made safe to show on one line.
fn safe(s: &str) -> String {
    untrusted::line(s).into_owned()
}

/// The section headings, for the renderers' tests and the independent checks.
pub fn section_titles(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Vi => [
            "I. KẾT QUẢ THỰC HIỆN",
            "II. TỒN TẠI, HẠN CHẾ",
            "III. NHIỆM VỤ TRỌNG TÂM QUÝ TỚI",
        ],
        Lang::En => [
            "I. RESULTS",
            "II. SHORTCOMINGS",
            "III. PRIORITIES FOR THE NEXT QUARTER",
        ],
    }
}

/// "Kết quả thực hiện công tác cải cách hành chính quý III năm 2026": the summary line under
/// the title.
pub fn summary_line(period: ReportPeriod, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!(
            "Kết quả thực hiện công tác cải cách hành chính {}",
            period.label(lang)
        ),
        Lang::En => format!("Administrative reform results, {}", period.label(lang)),
    }
}

pub fn build(r: &QuarterReport, lang: Lang) -> Body {
    let vi = lang == Lang::Vi;
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let [results, shortcomings, next] = section_titles(lang);
    let mut b = Vec::new();

    // The opening paragraph names the plan reported on, what it replaces and what it is for
    // (sections I and II.1): compiled-in text, not the file's.
    let p = &r.plan;
    if !p.title.is_empty() {
        b.push(Block::Para(match lang {
            Lang::Vi => format!(
                "Thực hiện {} của {} (số {}, {}), thay thế {}. Mục tiêu chung: {}",
                p.title, p.issuer, p.number, p.issued, p.replaces, p.general_objective
            ),
            Lang::En => format!(
                "Under the {} (“{}”, no. {}, {}), which replaces {}. General objective (II.1): {}",
                p.issuer, p.title, p.number, p.issued, p.replaces, p.general_objective
            ),
        }));
        if let Some(purpose) = p.purpose.first() {
            b.push(Block::Para(format!(
                "{}: {purpose}",
                t("Mục đích", "Purpose (I.1)")
            )));
        }
    }
    b.push(heading(1, results));
    b.push(Block::Para(match lang {
        Lang::Vi => format!(
            "Kỳ báo cáo từ ngày {} đến ngày {}; số liệu tính đến ngày {}.",
            date(r.start),
            date(r.end),
            date(r.as_of)
        ),
        Lang::En => format!(
            "Period {} to {}; figures as of {}.",
            date(r.start),
            date(r.end),
            date(r.as_of)
        ),
    }));
    b.push(Block::Para(format!(
        "{}: {}, {}: {}.",
        t("Tổng số nhiệm vụ", "Tasks in the plan"),
        count(r.tasks.total, lang),
        t("trong đó", "of which"),
        state_counts(&r.tasks, lang)
    )));
    let indicators: usize = r.indicators_by_status.values().sum();
    let by_status: Vec<String> = crate::indicators::IndicatorStatus::ALL
        .iter()
        .map(|s| {
            let n = r.indicators_by_status.get(s).copied().unwrap_or(0);
            format!("{} {}", lower_first(s.label(lang)), count(n, lang))
        })
        .collect();
    b.push(Block::Para(format!(
        "{}: {}, {}: {}.",
        t("Tổng số chỉ tiêu", "Indicators"),
        count(indicators, lang),
        t("trong đó", "of which"),
        by_status.join("; ")
    )));
    for (i, area) in r.areas.iter().enumerate() {
        area_blocks(&mut b, i + 1, area, lang);
    }

    b.push(heading(1, shortcomings));
    let overdue_total: usize = r.overdue_by_agency.iter().map(|g| g.tasks.len()).sum();
    if overdue_total == 0 {
        b.push(Block::Para(
            t("Không có nhiệm vụ quá hạn.", "No task is overdue.").into(),
        ));
    } else {
        let (n, k) = (
            count(overdue_total, lang),
            count(r.overdue_by_agency.len(), lang),
        );
        b.push(Block::Para(match lang {
            Lang::Vi => format!("Còn {n} nhiệm vụ quá hạn, thuộc {k} cơ quan, đơn vị chủ trì:"),
            Lang::En => format!("{n} tasks are overdue, led by {k} agencies:"),
        }));
        let behind = r.agencies.iter().filter(|a| a.overdue > 0);
        b.push(Block::Table(Table {
            header: vec![
                t("Cơ quan, đơn vị", "Agency").into(),
                t("Quá hạn", "Overdue").into(),
                t("Đã hoàn thành", "Done").into(),
                t("Tổng số", "Total").into(),
            ],
            rows: behind
                .map(|a| {
                    vec![
                        safe(&a.name),
                        count(a.overdue, lang),
                        count(a.done, lang),
                        count(a.total, lang),
                    ]
                })
                .collect(),
            widths: vec![52, 16, 16, 16],
            numeric: vec![false, true, true, true],
        }));
        for g in &r.overdue_by_agency {
            b.push(heading(
                3,
                &format!(
                    "{} ({} {})",
                    safe(&g.name),
                    count(g.tasks.len(), lang),
                    t("nhiệm vụ quá hạn", "overdue")
                ),
            ));
            let mut items: Vec<String> = g
                .tasks
                .iter()
                .take(OVERDUE_PER_AGENCY)
                .map(|o| {
                    format!(
                        "{} ({} {}, {} {} {})",
                        safe(&o.title),
                        t("hạn", "due"),
                        date(o.due),
                        t("trễ", "late by"),
                        figure(o.days_late as f64, lang),
                        t("ngày", "days")
                    )
                })
                .collect();
            if g.tasks.len() > OVERDUE_PER_AGENCY {
                items.push(format!(
                    "{} {} {}",
                    t("và", "and"),
                    count(g.tasks.len() - OVERDUE_PER_AGENCY, lang),
                    t(
                        "nhiệm vụ khác (xem Phụ lục)",
                        "other tasks (see the Appendix)"
                    )
                ));
            }
            b.push(Block::Bullets(items));
        }
    }

    b.push(heading(1, next));
    let nq = &r.next_quarter;
    let upcoming: usize = nq.by_agency.iter().map(|g| g.tasks.len()).sum();
    let (n, from, to) = (count(upcoming, lang), date(nq.start), date(nq.end));
    b.push(Block::Para(match (lang, upcoming) {
        (Lang::Vi, 0) => format!("Không có nhiệm vụ đến hạn từ ngày {from} đến ngày {to}."),
        (Lang::Vi, _) => {
            format!("Có {n} nhiệm vụ đến hạn từ ngày {from} đến ngày {to}, theo cơ quan chủ trì:")
        }
        (Lang::En, 0) => format!("No task falls due from {from} to {to}."),
        (Lang::En, _) => format!("{n} tasks fall due from {from} to {to}, by lead agency:"),
    }));
    for g in &nq.by_agency {
        b.push(heading(3, &safe(&g.name)));
        b.push(Block::Bullets(
            g.tasks
                .iter()
                .map(|u| {
                    let mut s = format!("{} ({} {}", safe(&u.title), t("hạn", "due"), date(u.due));
                    if u.progress > 0 {
                        s.push_str(&format!(", {} {}%", t("đã thực hiện", "done"), u.progress));
                    } else if u.state == DisplayState::Overdue {
                        s.push_str(&format!(", {}", lower_first(u.state.label(lang))));
                    }
                    s.push(')');
                    s
                })
                .collect(),
        ));
    }

    let mut appendix = Vec::new();
    if overdue_total > 0 {
        appendix.push(heading(
            1,
            t(
                "PHỤ LỤC: DANH SÁCH NHIỆM VỤ QUÁ HẠN",
                "APPENDIX: OVERDUE TASKS",
            ),
        ));
        appendix.push(Block::Para(format!(
            "({} {})",
            t("Kèm theo Báo cáo", "Attached to the report:"),
            lower_first(&summary_line(r.period, lang))
        )));
        let mut rows = Vec::new();
        for g in &r.overdue_by_agency {
            for o in &g.tasks {
                rows.push(vec![
                    count(rows.len() + 1, lang),
                    safe(&o.title),
                    safe(&g.name),
                    date(o.due),
                    figure(o.days_late as f64, lang),
                ]);
            }
        }
        appendix.push(Block::Table(Table {
            header: vec![
                t("STT", "No.").into(),
                t("Nhiệm vụ", "Task").into(),
                t("Cơ quan chủ trì", "Lead agency").into(),
                t("Hạn", "Due").into(),
                t("Số ngày trễ", "Days late").into(),
            ],
            rows,
            widths: vec![8, 41, 22, 16, 13],
            numeric: vec![true, false, false, false, true],
        }));
    }
    Body {
        blocks: b,
        appendix,
    }
}

fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        text: text.to_string(),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "hoàn thành đúng hạn 1; … chưa thực hiện 303".
fn state_counts(c: &super::StateCounts, lang: Lang) -> String {
    DisplayState::ALL
        .iter()
        .map(|s| format!("{} {}", lower_first(s.label(lang)), count(c.get(*s), lang)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn area_blocks(b: &mut Vec<Block>, number: usize, area: &AreaSection, lang: Lang) {
    let vi = lang == Lang::Vi;
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let name = match lang {
        Lang::Vi => &area.name,
        Lang::En => &area.name_en,
    };
    b.push(heading(2, &format!("{number}. {}", safe(name))));
    if !area.indicators.is_empty() {
        b.push(Block::Table(Table {
            header: vec![
                t("Chỉ tiêu", "Indicator").into(),
                t("Mục tiêu, thời hạn", "Target, due").into(),
                t("Kết quả mới nhất", "Latest value").into(),
                t("Đánh giá", "Status").into(),
            ],
            rows: area
                .indicators
                .iter()
                .map(|ind| indicator_row(ind, lang))
                .collect(),
            widths: vec![43, 17, 24, 16],
            numeric: vec![false; 4],
        }));
    }
    b.push(Block::Para(format!(
        "{}: {} — {}.",
        t("Nhiệm vụ", "Tasks"),
        count(area.tasks.total, lang),
        state_counts(&area.tasks, lang)
    )));
    let completed: Vec<String> = area
        .changes
        .completed
        .iter()
        .map(|(_, title, d)| format!("{} ({})", safe(title), date(*d)))
        .collect();
    if !completed.is_empty() {
        b.push(Block::Para(
            t("Hoàn thành trong kỳ:", "Completed this quarter:").into(),
        ));
        b.push(Block::Bullets(completed));
    }
    let newly = area.changes.newly_overdue.len();
    if newly > 0 {
        b.push(Block::Para(format!(
            "{} {} {}",
            count(newly, lang),
            t(
                "nhiệm vụ đến hạn trong kỳ nhưng chưa hoàn thành",
                "tasks fell due this quarter and are not done"
            ),
            t("(xem mục II).", "(see section II).")
        )));
    }
}

fn indicator_row(ind: &IndicatorRow, lang: Lang) -> Vec<String> {
    let vi = lang == Lang::Vi;
    let t = |v: &'static str, e: &'static str| if vi { v } else { e };
    let target = ind.target.map(|v| match ind.direction {
        Direction::ReduceBy => format!(
            "{} {}",
            t("giảm", "reduce by"),
            figure_value(ind.unit, v, lang)
        ),
        Direction::AtLeast => figure_value(ind.unit, v, lang),
        Direction::Above => format!("{} {}", t("trên", "above"), figure_value(ind.unit, v, lang)),
    });
    let target = match (target, ind.due) {
        (Some(v), Some(d)) => format!("{v} ({} {})", t("hạn", "by"), date(d)),
        (Some(v), None) => v,
        (None, _) => "—".into(),
    };
    let latest = match ind.latest {
        None => "—".to_string(),
        Some(v) => {
            let mut s = match (ind.direction, ind.achieved) {
                (Direction::ReduceBy, Some(r)) => format!(
                    "{} ({} {}%)",
                    figure(v, lang),
                    t("giảm", "down"),
                    figure(r, lang)
                ),
                (Direction::ReduceBy, None) => figure(v, lang),
                (Direction::AtLeast | Direction::Above, _) => figure_value(ind.unit, v, lang),
            };
            if let Some(d) = ind.latest_date {
                s.push_str(&format!(", {}", date(d)));
            }
            if let Some(src) = &ind.source {
                s.push_str(&format!(" ({})", safe(src)));
            }
            s
        }
    };
    vec![
        safe(&ind.name),
        target,
        latest,
        ind.status.label(lang).into(),
    ]
}
