//! The report as Markdown: the same words as the .docx (see `body`), for reading on screen or
//! pasting into a message.

use crate::model::Lang;

use super::QuarterReport;
use super::body::{self, Block};

/// Escapes the characters that would break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(r: &QuarterReport, lang: Lang) -> String {
    let b = body::build(r, lang);
    let mut s = format!(
        "# {} — {}\n\n",
        match lang {
            Lang::Vi => "Báo cáo",
            Lang::En => "Report",
        },
        body::summary_line(r.period, lang)
    );
    blocks(&mut s, &b.blocks);
    blocks(&mut s, &b.appendix);
    if let Some((id, hash)) = &r.log_head {
        s.push_str(&format!(
            "---\n{} #{id}: `{hash}`\n",
            match lang {
                Lang::Vi => "Mã kiểm chứng nhật ký thay đổi, mục",
                Lang::En => "Change-log head, entry",
            }
        ));
    }
    s
}

fn blocks(s: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                let hashes = "#".repeat(usize::from(*level) + 1);
                s.push_str(&format!("{hashes} {text}\n\n"));
            }
            Block::Para(text) => s.push_str(&format!("{text}\n\n")),
            Block::Bullets(items) => {
                for item in items {
                    s.push_str(&format!("- {item}\n"));
                }
                s.push('\n');
            }
            Block::Table(t) => {
                let row = |cells: &[String]| {
                    let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                s.push_str(&row(&t.header));
                let rule: Vec<&str> = t
                    .numeric
                    .iter()
                    .map(|n| if *n { "---:" } else { "---" })
                    .collect();
                s.push_str(&format!("|{}|\n", rule.join("|")));
                for r in &t.rows {
                    s.push_str(&row(r));
                }
                s.push('\n');
            }
        }
    }
}
