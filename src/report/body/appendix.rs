//! The appendices, each captioned as Nghị định 30/2020/NĐ-CP captions an appendix ("Kèm theo
//! Báo cáo số …/BC-SNV ngày … tháng … năm …"): I. every agency's tasks due in the period, with
//! the routine duties it has overdue by number; II. the other overdue tasks, one by one.

use std::collections::BTreeMap;

use crate::model::Lang;

use super::super::{Report, date, figure};
use super::{Appendix, Block, Letter, Table, Words, safe};

pub(super) fn build(r: &Report, lang: Lang, letter: &Letter) -> Vec<Appendix> {
    let w = Words(lang);
    let caption = caption(letter, lang);
    let mut out = Vec::new();
    if !r.agencies_in_period.is_empty() {
        out.push(Appendix {
            label: w.t("Phụ lục I", "Appendix I").into(),
            title: w
                .t(
                    "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC CƠ QUAN, ĐƠN VỊ",
                    "EACH AGENCY'S TASKS",
                )
                .into(),
            caption: caption.clone(),
            blocks: agencies(r, lang),
        });
    }
    let others: Vec<_> = r
        .overdue_by_agency
        .iter()
        .flat_map(|g| g.tasks.iter().map(move |t| (g, t)))
        .filter(|(_, t)| t.duty.is_none())
        .collect();
    if !others.is_empty() {
        let rows = others
            .iter()
            .enumerate()
            .map(|(i, (g, t))| {
                vec![
                    w.n(i + 1),
                    safe(&t.title),
                    safe(&g.name),
                    date(t.due),
                    figure(t.days_late as f64, lang),
                ]
            })
            .collect();
        out.push(Appendix {
            label: w.t("Phụ lục II", "Appendix II").into(),
            title: w
                .t(
                    "CÁC NHIỆM VỤ QUÁ HẠN KHÁC",
                    "OTHER OVERDUE TASKS",
                )
                .into(),
            caption,
            blocks: vec![
                Block::Para(format!(
                    "{} {}.",
                    w.t(
                        "Các nhiệm vụ quá hạn, chưa hoàn thành, ngoài nhiệm vụ định kỳ ở Phụ lục I, tính đến ngày",
                        "Overdue tasks other than the routine duties of Appendix I, as of"
                    ),
                    date(r.as_of)
                )),
                Block::Table(Table {
                    header: vec![
                        w.t("STT", "No.").into(),
                        w.t("Nhiệm vụ", "Task").into(),
                        w.t("Cơ quan chủ trì", "Lead agency").into(),
                        w.t("Hạn", "Due").into(),
                        w.t("Số ngày trễ", "Days late").into(),
                    ],
                    rows,
                    widths: vec![7, 45, 24, 13, 11],
                    numeric: vec![true, false, false, false, true],
                }),
            ],
        });
    }
    out
}

/// "(Kèm theo Báo cáo số …/BC-SNV ngày … tháng … năm 2026)".
fn caption(letter: &Letter, lang: Lang) -> String {
    let vi = format!(
        "(Kèm theo Báo cáo số {}/{} {})",
        letter.number,
        letter.symbol,
        super::day_month_year(letter.issued, letter.year)
    );
    match lang {
        Lang::Vi => vi,
        // The caption names a Vietnamese document: it stays as the văn thư writes it.
        Lang::En => format!("Attached to the report: {vi}"),
    }
}

/// Every agency with tasks due in the period or overdue: its counts, and its overdue routine
/// duties by their number in the key under the table.
fn agencies(r: &Report, lang: Lang) -> Vec<Block> {
    let w = Words(lang);
    // The duties any agency has overdue, numbered by due date then plan order.
    let duties: BTreeMap<&str, (chrono::NaiveDate, &str)> = r
        .areas
        .iter()
        .flat_map(|a| &a.duties)
        .map(|d| (d.key.as_str(), (d.due, d.title.as_str())))
        .collect();
    let mut keyed: Vec<(&str, chrono::NaiveDate, &str)> = r
        .agencies_in_period
        .iter()
        .flat_map(|a| &a.overdue_duties)
        .filter_map(|k| duties.get_key_value(k.as_str()))
        .map(|(k, (due, title))| (*k, *due, *title))
        .collect();
    keyed.sort();
    keyed.dedup();
    keyed.sort_by_key(|(k, due, _)| (*due, *k));
    let number = |key: &str| keyed.iter().position(|(k, _, _)| *k == key).map(|i| i + 1);
    let rows = r
        .agencies_in_period
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut late: Vec<String> = a
                .overdue_duties
                .iter()
                .filter_map(|k| number(k))
                .map(|n| format!("({n})"))
                .collect();
            let other = a.overdue - a.overdue_duties.len();
            if other > 0 {
                late.push(format!("{} {}", w.n(other), w.t("khác", "other")));
            }
            vec![
                w.n(i + 1),
                safe(&a.name),
                w.n(a.due.due),
                w.n(a.due.done_on_time),
                w.n(a.due.done_late),
                w.n(a.due.not_done),
                late.join(", "),
            ]
        })
        .collect();
    let mut blocks = vec![
        Block::Para(format!(
            "{} {} {} {}; {} {}. {}",
            w.t("Nhiệm vụ đến hạn trong kỳ, từ ngày", "Tasks due in the period, from"),
            date(r.start),
            w.t("đến ngày", "to"),
            date(r.end),
            w.t("tính đến ngày", "as of"),
            date(r.as_of),
            w.t(
                "Cột cuối: nhiệm vụ định kỳ đang quá hạn (kể cả từ các kỳ trước), theo số ở chú thích dưới bảng; \"khác\": nhiệm vụ quá hạn khác (Phụ lục II).",
                "Last column: the routine duties overdue (earlier periods' included), by their number in the key below; \"other\": other overdue tasks (Appendix II)."
            )
        )),
        Block::Table(Table {
            header: vec![
                w.t("STT", "No.").into(),
                w.t("Cơ quan, đơn vị", "Agency").into(),
                w.t("Đến hạn", "Due").into(),
                w.t("Đúng hạn", "On time").into(),
                w.t("Quá hạn đã xong", "Late, done").into(),
                w.t("Chưa xong", "Not done").into(),
                w.t("Nhiệm vụ quá hạn", "Overdue").into(),
            ],
            rows,
            widths: vec![7, 37, 9, 9, 10, 9, 19],
            numeric: vec![true, false, true, true, true, true, false],
        }),
    ];
    if !keyed.is_empty() {
        blocks.push(Block::Bullets(
            keyed
                .iter()
                .enumerate()
                .map(|(i, (_, due, title))| {
                    format!(
                        "({}) {} ({} {})",
                        i + 1,
                        safe(title),
                        w.t("hạn", "due"),
                        date(*due)
                    )
                })
                .collect(),
        ));
    }
    blocks
}
