//! Aligned text tables for people: widths measured in terminal columns (Vietnamese letters with
//! stacked marks are one column), colour only when writing to a terminal. Every cell and header
//! passes through `untrusted::line` here, so no caller can forget it: a stored title can neither
//! send an escape sequence to the reader's terminal nor break a row in two.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

use crate::untrusted;

pub struct Table {
    headers: Vec<String>,
    rows: Vec<(Vec<String>, Option<&'static str>)>,
    right_aligned: Vec<bool>,
    max_width: Vec<Option<usize>>,
}

/// ANSI colours for a row, matching what Vietnamese users expect of task states.
pub mod colour {
    pub const GREEN: &str = "\x1b[32m";
    pub const ORANGE: &str = "\x1b[38;5;208m";
    pub const BLUE: &str = "\x1b[34m";
    pub const RED: &str = "\x1b[31m";
    pub const GREY: &str = "\x1b[90m";
    pub const RESET: &str = "\x1b[0m";
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        let headers: Vec<String> = headers
            .into_iter()
            .map(|h| untrusted::line(&h.into()).into_owned())
            .collect();
        let n = headers.len();
        Table {
            headers,
            rows: Vec::new(),
            right_aligned: vec![false; n],
            max_width: vec![None; n],
        }
    }

    pub fn right(mut self, col: usize) -> Self {
        self.right_aligned[col] = true;
        self
    }

    /// Cuts a long column (a title) to `w` columns with an ellipsis.
    pub fn max(mut self, col: usize, w: usize) -> Self {
        self.max_width[col] = Some(w);
        self
    }

    pub fn row(&mut self, cells: Vec<String>, colour: Option<&'static str>) {
        let cells = cells
            .into_iter()
            .map(|c| match untrusted::line(&c) {
                Cow::Borrowed(_) => c,
                Cow::Owned(safe) => safe,
            })
            .collect();
        self.rows.push((cells, colour));
    }

    pub fn render(&self, colour: bool) -> String {
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|(r, _)| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| match self.max_width.get(i).copied().flatten() {
                        Some(w) => truncate(c, w),
                        None => c.clone(),
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for r in &cells {
            for (i, c) in r.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.width());
                }
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(c.width());
                let last = i + 1 == cells.len();
                if self.right_aligned[i] {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    if !last {
                        s.push_str(&" ".repeat(pad));
                    }
                }
                if !last {
                    s.push_str("  ");
                }
            }
            out.push_str(s.trim_end());
        };
        if colour {
            out.push_str("\x1b[1m");
        }
        line(&self.headers, &mut out);
        if colour {
            out.push_str(colour::RESET);
        }
        out.push('\n');
        for (r, (_, c)) in cells.iter().zip(&self.rows) {
            if let (true, Some(c)) = (colour, c) {
                out.push_str(c);
                line(r, &mut out);
                out.push_str(colour::RESET);
            } else {
                line(r, &mut out);
            }
            out.push('\n');
        }
        out
    }
}

pub use crate::text::truncate;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_vietnamese_by_columns_not_bytes() {
        let mut t = Table::new(["Cơ quan", "Số"]).right(1);
        t.row(vec!["Sở Nội vụ".into(), "12".into()], None);
        t.row(vec!["VPUB".into(), "3".into()], None);
        let s = t.render(false);
        let lines: Vec<&str> = s.lines().collect();
        let w: Vec<usize> = lines.iter().map(|l| l.width()).collect();
        assert_eq!(w[1], w[2], "{s}");
        assert!(lines[2].ends_with(" 3"));
    }

    #[test]
    fn cells_cannot_reach_the_terminal_raw_nor_break_a_row() {
        let mut t = Table::new(["Nhiệm vụ\x1b[2J", "Số"]);
        t.row(
            vec![
                "A\x1b]52;c;aGFja2Vk\x07B\nforged  row\u{202e}".into(),
                "\u{9b}1".into(),
            ],
            None,
        );
        let s = t.render(false);
        assert_eq!(s.lines().count(), 2, "{s}");
        assert!(
            !s.chars()
                .any(|c| c != '\n' && crate::untrusted::is_unsafe(c)),
            "{s:?}"
        );
        assert!(s.contains("\\u{1b}]52") && s.contains("\\u{202e}"), "{s}");
    }

    #[test]
    fn truncates_by_width() {
        assert_eq!(truncate("Đẩy mạnh cải cách", 8), "Đẩy mạn…");
        assert_eq!(truncate("ngắn", 8), "ngắn");
    }
}
