//! The letter as Markdown: the same words as the .docx (`words`), with the decree's header as
//! lines of text, for reading on screen (the screen's preview) or pasting into a message.

use chrono::{Datelike, NaiveDate};

use crate::report::body::day_month_year;
use crate::untrusted;

use super::docx::Issued;
use super::words::{SUBJECT, Words};

pub fn render(w: &Words, issued: &Issued, today: NaiveDate) -> String {
    let cfg = issued.report;
    let safe = |s: &str| untrusted::line(s).into_owned();
    let number = if issued.number.trim().is_empty() {
        "…".to_string()
    } else {
        safe(issued.number)
    };
    let dated = (!issued.number.trim().is_empty()).then_some(today);
    let mut s = format!(
        "{}  \n**{}**  \nSố: {number}/{}  \n{SUBJECT}\n\n",
        safe(&cfg.parent_body).to_uppercase(),
        safe(&cfg.agency).to_uppercase(),
        safe(issued.symbol),
    );
    s.push_str(&format!(
        "_{}, {}_\n\n",
        safe(&cfg.place),
        day_month_year(dated, today.year())
    ));
    s.push_str(&format!("**Kính gửi:** {}.\n\n", w.addressed_to));
    for p in &w.opening {
        s.push_str(&format!("{p}\n\n"));
    }
    crate::report::markdown::table(&mut s, &w.table);
    for p in &w.closing {
        s.push_str(&format!("{p}\n\n"));
    }
    s.push_str("**Nơi nhận:**\n\n");
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
            s.push_str(&format!("**{shown}**  \n"));
        }
    }
    s
}
