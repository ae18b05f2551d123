//! The five sections of the body, in the outline's order.

use crate::indicators::IndicatorStatus;
use crate::model::{Direction, Lang};

use super::super::{AreaSection, Duty, IndicatorRow, Report, date, figure, figure_value};
use super::{
    Block, LIST_LIMIT, Table, Words, due_words, heading, lower_first, pct, safe, section_titles,
    state_words, written,
};

/// The opening: the plan reported on, the period and the day the figures stand on, and the
/// headline — the share of the period's due tasks done on time, beside the previous period's.
pub(super) fn opening(b: &mut Vec<Block>, r: &Report, lang: Lang) {
    let w = Words(lang);
    let p = &r.plan;
    let label = r.period.label(lang);
    if !p.title.is_empty() {
        b.push(Block::Para(match lang {
            Lang::Vi => format!(
                "Thực hiện {} của {} (số {}, {}; thay thế {}), kết quả thực hiện công tác cải cách hành chính {label} được báo cáo như sau:",
                p.title, p.issuer, p.number, p.issued, p.replaces
            ),
            Lang::En => format!(
                "Under the plan “{}” of {} (no. {}, {}, which replaces {}), the administrative reform results for {label} are as follows:",
                p.title, p.issuer, p.number, p.issued, p.replaces
            ),
        }));
    }
    b.push(Block::Para(format!(
        "{} {} {} {}; {} {}{}.",
        w.t("Kỳ báo cáo: từ ngày", "Reporting period: from"),
        date(r.start),
        w.t("đến ngày", "to"),
        date(r.end),
        w.t("số liệu tính đến ngày", "figures as of"),
        date(r.as_of),
        if r.preliminary {
            w.t(" (số liệu sơ bộ)", " (preliminary)")
        } else {
            ""
        }
    )));
    b.push(Block::Para(headline(r, lang)));
}

fn headline(r: &Report, lang: Lang) -> String {
    let w = Words(lang);
    let mut s = if r.due.due == 0 {
        w.t(
            "Trong kỳ chưa có nhiệm vụ nào đến hạn.",
            "No task has fallen due in the period yet.",
        )
        .to_string()
    } else {
        format!(
            "{} {} {}: {}.",
            w.t("Trong kỳ có", "In the period"),
            w.n(r.due.due),
            w.t("nhiệm vụ đến hạn", "tasks fell due"),
            due_words(&r.due, lang)
        )
    };
    let prev = &r.previous;
    let prev_label = prev.period.label(lang);
    s.push(' ');
    s.push_str(&match (lang, prev.due.on_time_pct) {
        (Lang::Vi, Some(p)) => format!(
            "Kỳ trước ({prev_label}): {} nhiệm vụ đến hạn được hoàn thành đúng hạn.",
            pct(p, lang)
        ),
        (Lang::Vi, None) => format!("Kỳ trước ({prev_label}) không có nhiệm vụ đến hạn."),
        (Lang::En, Some(p)) => format!(
            "Previous period ({prev_label}): {} of the tasks due were done on time.",
            pct(p, lang)
        ),
        (Lang::En, None) => format!("No task fell due in the previous period ({prev_label})."),
    });
    if let Some(ytd) = &r.year_to_date {
        s.push(' ');
        s.push_str(&format!(
            "{} {} {} {}): {} {}, {}.",
            w.t("Từ đầu năm (từ ngày", "Year to date (from"),
            date(ytd.start),
            w.t("đến ngày", "to"),
            date(ytd.end),
            w.n(ytd.due.due),
            w.t("nhiệm vụ đến hạn", "tasks due"),
            due_words(&ytd.due, lang)
        ));
    }
    s
}

/// I. The first area of the plan, "Công tác chỉ đạo, điều hành": the plans, reports and
/// inspections the bodies owe.
pub(super) fn direction(b: &mut Vec<Block>, r: &Report, lang: Lang) {
    b.push(heading(1, section_titles(lang)[0]));
    if let Some(area) = r.areas.first() {
        area_results(b, area, lang);
    }
}

/// II. The table and charts of every area, then each reform area in turn.
pub(super) fn results(b: &mut Vec<Block>, r: &Report, lang: Lang) {
    let w = Words(lang);
    b.push(heading(1, section_titles(lang)[1]));
    b.push(Block::Para(
        w.t(
            "Nhiệm vụ đến hạn trong kỳ, theo lĩnh vực:",
            "Tasks due in the period, by area:",
        )
        .into(),
    ));
    let mut rows: Vec<Vec<String>> = r
        .areas
        .iter()
        .map(|a| {
            let name = match lang {
                Lang::Vi => &a.name,
                Lang::En => &a.name_en,
            };
            due_row(safe(name), &a.due, lang)
        })
        .collect();
    rows.push(due_row(w.t("Tổng cộng", "Total").into(), &r.due, lang));
    b.push(Block::Table(Table {
        header: vec![
            w.t("Lĩnh vực", "Area").into(),
            w.t("Đến hạn", "Due").into(),
            w.t("Đúng hạn", "On time").into(),
            w.t("Quá hạn đã xong", "Late, done").into(),
            w.t("Chưa xong", "Not done").into(),
            w.t("Tỷ lệ đúng hạn", "Share on time").into(),
        ],
        rows,
        widths: vec![40, 11, 11, 13, 11, 14],
        numeric: vec![false, true, true, true, true, true],
    }));
    b.push(Block::Chart {
        index: 0,
        caption: w
            .t(
                "Biểu đồ 1. Nhiệm vụ đến hạn trong kỳ theo lĩnh vực",
                "Chart 1. Tasks due in the period, by area",
            )
            .into(),
    });
    b.push(Block::Chart {
        index: 1,
        caption: format!(
            "{} {}",
            w.t(
                "Biểu đồ 2. Chỉ tiêu: mức đạt so với mục tiêu và mức cần đạt đến ngày",
                "Chart 2. Indicators: achieved against the target, and the mark expected by"
            ),
            date(r.as_of)
        ),
    });
    for (i, area) in r.areas.iter().enumerate().skip(1) {
        let name = match lang {
            Lang::Vi => &area.name,
            Lang::En => &area.name_en,
        };
        b.push(heading(2, &format!("{i}. {}", safe(name))));
        area_results(b, area, lang);
    }
}

fn due_row(name: String, c: &super::DueCounts, lang: Lang) -> Vec<String> {
    let w = Words(lang);
    vec![
        name,
        w.n(c.due),
        w.n(c.done_on_time),
        w.n(c.done_late),
        w.n(c.not_done),
        c.on_time_pct.map_or_else(|| "—".into(), |p| pct(p, lang)),
    ]
}

/// An area: its indicators, its tasks due in the period, its routine duties counted once, the
/// other tasks completed, and what is overdue, by agency.
fn area_results(b: &mut Vec<Block>, area: &AreaSection, lang: Lang) {
    let w = Words(lang);
    if !area.indicators.is_empty() {
        b.push(Block::Table(Table {
            header: vec![
                w.t("Chỉ tiêu", "Indicator").into(),
                w.t("Mục tiêu, thời hạn", "Target, due").into(),
                w.t("Kết quả, đánh giá", "Result, status").into(),
            ],
            rows: area
                .indicators
                .iter()
                .map(|ind| indicator_row(ind, lang))
                .collect(),
            widths: vec![50, 20, 30],
            numeric: vec![false; 3],
        }));
    }
    b.push(Block::Para(if area.due.due == 0 {
        w.t(
            "Không có nhiệm vụ đến hạn trong kỳ.",
            "No task fell due in the period.",
        )
        .into()
    } else {
        format!(
            "{}: {}; {}.",
            w.t("Nhiệm vụ đến hạn trong kỳ", "Tasks due in the period"),
            w.n(area.due.due),
            due_words(&area.due, lang)
        )
    }));
    if !area.duties.is_empty() {
        duties_table(b, &area.duties, lang);
    }
    if !area.completed.is_empty() {
        b.push(Block::Para(
            w.t("Đã hoàn thành trong kỳ:", "Completed in the period:")
                .into(),
        ));
        let mut items: Vec<String> = area
            .completed
            .iter()
            .take(LIST_LIMIT)
            .map(|c| {
                format!(
                    "{} ({}, {})",
                    safe(&c.title),
                    safe(&c.lead_agency_name),
                    c.completed_on.map(date).unwrap_or_default()
                )
            })
            .collect();
        more(&mut items, area.completed.len(), lang, None);
        b.push(Block::Bullets(items));
    }
    let others: Vec<_> = area.overdue.iter().filter(|o| o.duty.is_none()).collect();
    if !others.is_empty() {
        b.push(Block::Para(
            w.t("Quá hạn, chưa hoàn thành:", "Overdue and not done:")
                .into(),
        ));
        let mut items: Vec<String> = others
            .iter()
            .take(LIST_LIMIT)
            .map(|o| {
                format!(
                    "{} — {} ({} {}, {} {} {})",
                    safe(&o.title),
                    safe(&o.lead_agency_name),
                    w.t("hạn", "due"),
                    date(o.due),
                    w.t("trễ", "late by"),
                    figure(o.days_late as f64, lang),
                    w.t("ngày", "days")
                )
            })
            .collect();
        more(&mut items, others.len(), lang, Some("II"));
        b.push(Block::Bullets(items));
    }
}

/// "và 3 nhiệm vụ khác (xem Phụ lục II)" under a list cut at LIST_LIMIT.
fn more(items: &mut Vec<String>, total: usize, lang: Lang, appendix: Option<&str>) {
    if total <= LIST_LIMIT {
        return;
    }
    let w = Words(lang);
    let rest = w.n(total - LIST_LIMIT);
    items.push(match (lang, appendix) {
        (Lang::Vi, Some(a)) => format!("và {rest} nhiệm vụ khác (xem Phụ lục {a})"),
        (Lang::Vi, None) => format!("và {rest} nhiệm vụ khác"),
        (Lang::En, Some(a)) => format!("and {rest} other tasks (see Appendix {a})"),
        (Lang::En, None) => format!("and {rest} other tasks"),
    });
}

/// The routine duties every agency of a kind owes, one row each over all the agencies.
fn duties_table(b: &mut Vec<Block>, duties: &[Duty], lang: Lang) {
    let w = Words(lang);
    b.push(Block::Table(Table {
        header: vec![
            w.t("Nhiệm vụ định kỳ", "Routine duty").into(),
            w.t("Hạn", "Due").into(),
            w.t("Số cơ quan", "Agencies").into(),
            w.t("Đúng hạn", "On time").into(),
            w.t("Quá hạn đã xong", "Late, done").into(),
            w.t("Chưa xong", "Not done").into(),
        ],
        rows: duties
            .iter()
            .map(|d| {
                let c = &d.counts;
                let n = |v: usize| if c.due == 0 { "—".into() } else { w.n(v) };
                vec![
                    safe(&d.title),
                    date(d.due),
                    w.n(d.agencies),
                    n(c.done_on_time),
                    n(c.done_late),
                    n(c.not_done),
                ]
            })
            .collect(),
        widths: vec![42, 14, 11, 11, 11, 11],
        numeric: vec![false, false, true, true, true, true],
    }));
    if duties.iter().any(|d| d.counts.not_done > 0) {
        b.push(Block::Para(
            w.t(
                "Cơ quan, đơn vị chưa hoàn thành: xem Phụ lục I.",
                "Agencies that have not done them: see Appendix I.",
            )
            .into(),
        ));
    }
}

fn indicator_row(ind: &IndicatorRow, lang: Lang) -> Vec<String> {
    let w = Words(lang);
    let target = ind.target.map(|v| match ind.direction {
        Direction::ReduceBy => format!(
            "{} {}",
            w.t("giảm", "reduce by"),
            figure_value(ind.unit, v, lang)
        ),
        Direction::AtLeast => figure_value(ind.unit, v, lang),
        Direction::Above => format!(
            "{} {}",
            w.t("trên", "above"),
            figure_value(ind.unit, v, lang)
        ),
    });
    let target = match (target, ind.due) {
        (Some(v), Some(d)) => format!("{v} ({} {})", w.t("hạn", "by"), date(d)),
        (Some(v), None) => v,
        (None, _) => "—".into(),
    };
    let latest = match ind.latest {
        None => String::new(),
        Some(v) => {
            let mut s = match (ind.direction, ind.achieved) {
                (Direction::ReduceBy, Some(r)) => format!(
                    "{} ({} {}%)",
                    figure(v, lang),
                    w.t("giảm", "down"),
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
    let mut status = ind.status.label(lang).to_string();
    if let (Some(e), true) = (ind.expected_today, ind.latest.is_some()) {
        let expected = match ind.direction {
            Direction::ReduceBy => format!("{} {}", w.t("giảm", "down"), pct(e, lang)),
            _ => figure_value(ind.unit, (e * 10.0).round() / 10.0, lang),
        };
        status.push_str(&format!(" ({} {expected})", w.t("cần đạt", "expected")));
    }
    let result = if latest.is_empty() {
        status
    } else {
        format!("{latest} — {status}")
    };
    vec![safe(&ind.name), target, result]
}

/// III. The assessment: what the figures say, then the words only people can write.
pub(super) fn assessment(b: &mut Vec<Block>, r: &Report, lang: Lang) {
    let w = Words(lang);
    b.push(heading(1, section_titles(lang)[2]));
    b.push(heading(
        2,
        w.t("1. Kết quả đạt được", "1. What was achieved"),
    ));
    let indicators: usize = r.indicators_by_status.values().sum();
    let by_status: Vec<String> = IndicatorStatus::ALL
        .iter()
        .map(|s| {
            let n = r.indicators_by_status.get(s).copied().unwrap_or(0);
            format!("{} {}", lower_first(s.label(lang)), w.n(n))
        })
        .collect();
    let share = |p: Option<f64>| p.map_or_else(|| "—".into(), |p| pct(p, lang));
    b.push(Block::Para(format!(
        "{}: {} ({}, {}: {}). {} {}: {}.",
        w.t(
            "Tỷ lệ nhiệm vụ đến hạn trong kỳ được hoàn thành đúng hạn",
            "Share of the period's due tasks done on time"
        ),
        share(r.due.on_time_pct),
        w.t("kỳ trước", "previous period"),
        r.previous.period.label(lang),
        share(r.previous.due.on_time_pct),
        w.n(indicators),
        w.t("chỉ tiêu", "indicators"),
        by_status.join(", ")
    )));
    written(
        b,
        r.texts.assessment.as_deref(),
        w.t(
            "[Chưa có nội dung: đánh giá chung của lãnh đạo về kết quả trong kỳ. Ghi vào phần \"# Đánh giá\" của tệp nội dung báo cáo (texts_file) hoặc assessment trong [report.texts].]",
            "[Not written yet: the leadership's assessment of the period. Write it under \"# Assessment\" in the report's texts file (texts_file) or as assessment in [report.texts].]",
        )
        .into(),
    );

    b.push(heading(
        2,
        w.t(
            "2. Tồn tại, hạn chế và nguyên nhân",
            "2. Shortcomings and their causes",
        ),
    ));
    let overdue: usize = r.agencies.iter().map(|a| a.overdue).sum();
    let behind: Vec<_> = r.agencies.iter().filter(|a| a.overdue > 0).collect();
    if overdue == 0 {
        b.push(Block::Para(
            w.t("Không có nhiệm vụ quá hạn.", "No task is overdue.")
                .into(),
        ));
    } else {
        let shown = behind.len().min(TOP_AGENCIES);
        b.push(Block::Para(match lang {
            Lang::Vi => format!(
                "Còn {} nhiệm vụ quá hạn chưa hoàn thành (kể cả từ các kỳ trước), thuộc {} cơ quan, đơn vị chủ trì; {} cơ quan có nhiều nhiệm vụ quá hạn nhất (đủ các cơ quan tại Phụ lục I):",
                w.n(overdue),
                w.n(behind.len()),
                w.n(shown)
            ),
            Lang::En => format!(
                "{} tasks are overdue and not done (earlier periods' included), led by {} agencies; the {} with the most (every agency in Appendix I):",
                w.n(overdue),
                w.n(behind.len()),
                w.n(shown)
            ),
        }));
        let in_period = |code: &str| r.agencies_in_period.iter().find(|a| a.code == code);
        let top = &behind[..behind.len().min(TOP_AGENCIES)];
        // "Đã đôn đốc" only once a letter urged one of them: the table is as it was before.
        let urged = top.iter().any(|a| a.reminded.is_some());
        let mut header: Vec<String> = vec![
            w.t("Cơ quan, đơn vị", "Agency").into(),
            w.t("Đến hạn trong kỳ", "Due in the period").into(),
            w.t("Đúng hạn", "On time").into(),
            w.t("Quá hạn, chưa xong", "Overdue").into(),
        ];
        let (mut widths, mut numeric) = (vec![52, 16, 14, 18], vec![false, true, true, true]);
        if urged {
            header.push(w.t("Đã đôn đốc", "Urged").into());
            (widths, numeric) = (
                vec![38, 15, 12, 15, 20],
                vec![false, true, true, true, false],
            );
        }
        b.push(Block::Table(Table {
            header,
            rows: top
                .iter()
                .map(|a| {
                    let due = in_period(&a.code).map(|p| p.due).unwrap_or_default();
                    let mut row = vec![
                        safe(&a.name),
                        w.n(due.due),
                        w.n(due.done_on_time),
                        w.n(a.overdue),
                    ];
                    if urged {
                        row.push(a.reminded.map_or_else(String::new, |r| match lang {
                            Lang::Vi => format!("{} (lần {})", date(r.last), r.times),
                            Lang::En => format!("{} ({}×)", date(r.last), r.times),
                        }));
                    }
                    row
                })
                .collect(),
            widths,
            numeric,
        }));
    }
    let named = |status: IndicatorStatus| -> Vec<String> {
        r.areas
            .iter()
            .flat_map(|a| &a.indicators)
            .filter(|i| i.status == status)
            .map(|i| safe(&i.name))
            .collect()
    };
    for (status, vi, en) in [
        (
            IndicatorStatus::OffTrack,
            "Chỉ tiêu chậm tiến độ",
            "Indicators off track",
        ),
        (
            IndicatorStatus::AtRisk,
            "Chỉ tiêu có nguy cơ chậm",
            "Indicators at risk",
        ),
    ] {
        let names = named(status);
        if !names.is_empty() {
            b.push(Block::Para(format!(
                "{}: {}.",
                w.t(vi, en),
                names.join("; ")
            )));
        }
    }
    b.push(Block::Para(w.t("Nguyên nhân:", "Causes:").into()));
    written(
        b,
        r.texts.causes.as_deref(),
        w.t(
            "[Chưa có nội dung: nguyên nhân của tồn tại, hạn chế. Ghi vào phần \"# Nguyên nhân\" của tệp nội dung báo cáo (texts_file) hoặc causes trong [report.texts].]",
            "[Not written yet: the causes of the shortcomings. Write them under \"# Causes\" in the report's texts file (texts_file) or as causes in [report.texts].]",
        )
        .into(),
    );
}

/// How many agencies section III names; the appendix has them all.
const TOP_AGENCIES: usize = 10;

/// IV. What falls due next period: the routine duties counted once, the other tasks by area.
pub(super) fn next_period(b: &mut Vec<Block>, r: &Report, lang: Lang) {
    let w = Words(lang);
    b.push(heading(1, section_titles(lang)[3]));
    let np = &r.next_period;
    let total = np.tasks.len() + np.duties.iter().map(|d| d.agencies).sum::<usize>();
    let (label, from, to) = (np.period.label(lang), date(np.start), date(np.end));
    b.push(Block::Para(match (lang, total) {
        (Lang::Vi, 0) => format!(
            "Kỳ tới ({label}, từ ngày {from} đến ngày {to}) không có nhiệm vụ đến hạn."
        ),
        (Lang::Vi, n) => format!(
            "Kỳ tới ({label}, từ ngày {from} đến ngày {to}) có {} nhiệm vụ đến hạn, cần tập trung thực hiện:",
            w.n(n)
        ),
        (Lang::En, 0) => format!("No task falls due next period ({label}, {from} to {to})."),
        (Lang::En, n) => format!(
            "{} tasks fall due next period ({label}, {from} to {to}):",
            w.n(n)
        ),
    }));
    let mut items: Vec<String> = np
        .duties
        .iter()
        .map(|d| {
            format!(
                "{} ({} {}): {} {}",
                safe(&d.title),
                w.t("hạn", "due"),
                date(d.due),
                w.n(d.agencies),
                w.t("cơ quan, đơn vị", "agencies")
            )
        })
        .collect();
    let mut shown = 0;
    for area in &r.areas {
        let tasks: Vec<_> = np.tasks.iter().filter(|t| t.area == area.code).collect();
        if tasks.is_empty() {
            continue;
        }
        let name = match lang {
            Lang::Vi => &area.name,
            Lang::En => &area.name_en,
        };
        let room = NEXT_LIMIT.saturating_sub(shown).clamp(1, NEXT_PER_AREA);
        let mut listed: Vec<String> = tasks
            .iter()
            .take(room)
            .map(|t| {
                let mut s = format!(
                    "{} ({}, {} {}",
                    safe(&t.title),
                    safe(&t.lead_agency_name),
                    w.t("hạn", "due"),
                    date(t.due)
                );
                if let Some(state) = state_words(t.state, t.progress, lang) {
                    s.push_str(&format!(", {state}"));
                }
                s.push(')');
                s
            })
            .collect();
        shown += listed.len();
        if tasks.len() > listed.len() {
            listed.push(format!(
                "{} {} {}",
                w.t("và", "and"),
                w.n(tasks.len() - listed.len()),
                w.t("nhiệm vụ khác", "more")
            ));
        }
        items.push(format!("{}: {}", safe(name), listed.join("; ")));
    }
    if !items.is_empty() {
        b.push(Block::Bullets(items));
    }
    let overdue: usize = r.agencies.iter().map(|a| a.overdue).sum();
    if overdue > 0 {
        b.push(Block::Para(match lang {
            Lang::Vi => format!(
                "Đồng thời, các cơ quan, đơn vị khẩn trương hoàn thành {} nhiệm vụ đã quá hạn (Phụ lục I, II).",
                w.n(overdue)
            ),
            Lang::En => format!(
                "The agencies are also to finish the {} overdue tasks (Appendices I and II).",
                w.n(overdue)
            ),
        }));
    }
}

/// How many of the next period's other tasks section IV names, in all and per area.
const NEXT_LIMIT: usize = 8;
const NEXT_PER_AREA: usize = 2;

/// V. Proposals: only people can write them.
pub(super) fn proposals(b: &mut Vec<Block>, r: &Report, lang: Lang) {
    let w = Words(lang);
    b.push(heading(1, section_titles(lang)[4]));
    written(
        b,
        r.texts.proposals.as_deref(),
        w.t(
            "[Chưa có nội dung: đề xuất, kiến nghị với UBND tỉnh. Ghi vào phần \"# Đề xuất, kiến nghị\" của tệp nội dung báo cáo (texts_file) hoặc proposals trong [report.texts].]",
            "[Not written yet: proposals to the provincial People's Committee. Write them under \"# Proposals\" in the report's texts file (texts_file) or as proposals in [report.texts].]",
        )
        .into(),
    );
}
