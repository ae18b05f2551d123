//! The letter as Markdown: the same words as the .docx (`words`), with the decree's header as
//! lines of text, for pasting into a message; and as plain lines for the screen's preview,
//! which has no Markdown to read the marks with.

use chrono::{Datelike, NaiveDate};

use crate::report::body::day_month_year;
use crate::untrusted;

use super::docx::Issued;
use super::words::{SUBJECT, Words};

/// How the letter is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Markdown: bold, italics, a pipe table.
    Markdown,
    /// Plain lines for a terminal: no marks, the table as one line per task.
    Screen,
}

pub fn render(w: &Words, issued: &Issued, today: NaiveDate) -> String {
    render_as(w, issued, today, Flavour::Markdown)
}

pub fn render_as(w: &Words, issued: &Issued, today: NaiveDate, flavour: Flavour) -> String {
    let markdown = flavour == Flavour::Markdown;
    let bold = |t: &str| {
        if markdown {
            format!("**{t}**")
        } else {
            t.to_string()
        }
    };
    let italic = |t: &str| {
        if markdown {
            format!("_{t}_")
        } else {
            t.to_string()
        }
    };
    // Markdown's hard line break.
    let br = if markdown { "  \n" } else { "\n" };
    let cfg = issued.report;
    let safe = |s: &str| untrusted::line(s).into_owned();
    let number = if issued.number.trim().is_empty() {
        "…".to_string()
    } else {
        safe(issued.number)
    };
    let dated = (!issued.number.trim().is_empty()).then_some(today);
    let mut s = format!(
        "{}{br}{}{br}Số: {number}/{}{br}{SUBJECT}\n\n",
        safe(&cfg.parent_body).to_uppercase(),
        bold(&safe(&cfg.agency).to_uppercase()),
        safe(issued.symbol),
    );
    s.push_str(&format!(
        "{}\n\n",
        italic(&format!(
            "{}, {}",
            safe(&cfg.place),
            day_month_year(dated, today.year())
        ))
    ));
    s.push_str(&format!("{} {}.\n\n", bold("Kính gửi:"), w.addressed_to));
    for p in &w.opening {
        s.push_str(&format!("{p}\n\n"));
    }
    if markdown {
        crate::report::markdown::table(&mut s, &w.table);
    } else {
        // "1. Báo cáo … — 15/03/2026 · Trễ 267 ngày · 0%": a row per line, as wide as it needs.
        for row in &w.table.rows {
            if let [number, name, rest @ ..] = row.as_slice() {
                s.push_str(&format!("{number}. {name} — {}\n", rest.join(" · ")));
            }
        }
        s.push('\n');
    }
    for p in &w.closing {
        s.push_str(&format!("{p}\n\n"));
    }
    s.push_str(&format!("{}\n\n", bold("Nơi nhận:")));
    let n = w.copies_to.len();
    for (i, to) in w.copies_to.iter().enumerate() {
        s.push_str(&format!("- {to}{}\n", if i + 1 == n { "." } else { ";" }));
    }
    s.push('\n');
    // As the .docx signs: the authority and position in capitals, then the name.
    for (line, upper) in [
        (&cfg.signer_authority, true),
        (&cfg.signer_position, true),
        (&cfg.signer_name, false),
    ] {
        if !line.trim().is_empty() {
            let shown = if upper {
                safe(line).to_uppercase()
            } else {
                safe(line)
            };
            s.push_str(&format!("{}{br}", bold(&shown)));
        }
    }
    s
}
