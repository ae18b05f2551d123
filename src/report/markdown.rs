//! The report as Markdown: the same words as the .docx (see `body`), for reading on screen or
//! pasting into a message. The charts are linked by file name when the caller wrote them beside
//! the Markdown file; on stdout there is no file to put them beside, so a line says how to get
//! them.

use crate::model::Lang;

use super::Report;
use super::body::{self, Block, Letter};

/// Escapes the characters that would break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `charts` are the file names of `charts::render`'s pictures, in order, relative to the
/// Markdown file; `None` when the report goes to stdout.
pub fn render(r: &Report, lang: Lang, letter: &Letter, charts: Option<&[String]>) -> String {
    let b = body::build(r, lang, letter);
    let mut s = format!(
        "# {} — {}\n\n",
        match lang {
            Lang::Vi => "Báo cáo",
            Lang::En => "Report",
        },
        body::summary_line(r.period, lang)
    );
    // As the .docx says it under its title: the figures are not final yet.
    if r.preliminary {
        s.push_str(&format!("_({})_\n\n", body::as_of_line(r, lang)));
    }
    blocks(&mut s, &b.blocks, lang, charts);
    for a in &b.appendices {
        s.push_str(&format!(
            "## {}: {}\n\n_{}_\n\n",
            a.label, a.title, a.caption
        ));
        blocks(&mut s, &a.blocks, lang, charts);
    }
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

fn blocks(s: &mut String, blocks: &[Block], lang: Lang, charts: Option<&[String]>) {
    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                let hashes = "#".repeat(usize::from(*level) + 1);
                s.push_str(&format!("{hashes} {text}\n\n"));
            }
            Block::Para(text) => s.push_str(&format!("{text}\n\n")),
            Block::Placeholder(text) => s.push_str(&format!("> **{text}**\n\n")),
            Block::Bullets(items) => {
                for item in items {
                    s.push_str(&format!("- {item}\n"));
                }
                s.push('\n');
            }
            Block::Chart { index, caption } => {
                match charts.and_then(|c| c.get(*index)) {
                    Some(file) => s.push_str(&format!("![{caption}]({file})\n\n")),
                    None => s.push_str(&format!(
                        "_{caption}: {}_\n\n",
                        match lang {
                            Lang::Vi => "ghi báo cáo ra tệp (--output BAOCAO.md) để có hình bên cạnh",
                            Lang::En => "write the report to a file (--output REPORT.md) to get the picture beside it",
                        }
                    )),
                }
            }
            Block::Table(t) => table(s, t),
        }
    }
}

/// A table as a Markdown pipe table (numbers right-aligned), then a blank line; the report's
/// and the letter's alike.
pub(crate) fn table(s: &mut String, t: &body::Table) {
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
