//! Aligned text tables for people: widths measured in terminal columns (Vietnamese letters with
//! stacked marks are one column), fitted to the width `output::Style` gives by cutting the title
//! first, coloured when it says so. Every cell and header
//! passes through `untrusted::line` here, so no caller can forget it: a stored title can neither
//! send an escape sequence to the reader's terminal nor break a row in two.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

use super::output::Style;
use crate::untrusted;

pub struct Table {
    headers: Vec<String>,
    rows: Vec<(Vec<String>, Option<&'static str>)>,
    right_aligned: Vec<bool>,
    /// Columns given up first when the table is wider than the terminal (a title).
    shrinks_first: Vec<bool>,
}

/// A column that shrinks first keeps at least this many columns (or its own width).
const FIRST_FLOOR: usize = 12;
/// Any other text column keeps at least this many when even that is not enough.
const LAST_FLOOR: usize = 6;
/// Between two columns.
const GAP: usize = 2;

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
            shrinks_first: vec![false; n],
        }
    }

    pub fn right(mut self, col: usize) -> Self {
        self.right_aligned[col] = true;
        self
    }

    /// Marks a long text column (a title) to be cut with "…" first when the table is wider
    /// than the terminal.
    pub fn shrink(mut self, col: usize) -> Self {
        self.shrinks_first[col] = true;
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

    /// Each column's width once the table is fitted into `width` terminal columns: the
    /// widest of the columns that shrink first is cut until the table fits (down to
    /// FIRST_FLOOR), then the widest of the other text columns (down to LAST_FLOOR). Numbers
    /// are never cut. A table that cannot fit even then is left wider.
    fn column_widths(&self, width: usize) -> Vec<usize> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for (r, _) in &self.rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.width());
            }
        }
        let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
        let mut excess = total(&widths).saturating_sub(width);
        for (first, floor) in [(true, FIRST_FLOOR), (false, LAST_FLOOR)] {
            let floors: Vec<usize> = widths
                .iter()
                .enumerate()
                .map(|(i, &w)| {
                    let may = !self.right_aligned[i] && (self.shrinks_first[i] || !first);
                    if may { w.min(floor) } else { w }
                })
                .collect();
            while excess > 0 {
                let widest = (0..widths.len())
                    .filter(|&i| widths[i] > floors[i])
                    .max_by_key(|&i| (widths[i], i));
                let Some(i) = widest else { break };
                widths[i] -= 1;
                excess -= 1;
            }
        }
        widths
    }

    /// The table as text, fitted to `style.width` columns, coloured if `style.colour`.
    pub fn render(&self, style: Style) -> String {
        let widths = self.column_widths(style.width);
        let fit = |cells: &[String]| -> Vec<String> {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, &w)| truncate(c, w))
                .collect()
        };
        let colour = style.colour;
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
                    s.push_str(&" ".repeat(GAP));
                }
            }
            out.push_str(s.trim_end());
        };
        if colour {
            out.push_str("\x1b[1m");
        }
        line(&fit(&self.headers), &mut out);
        if colour {
            out.push_str(colour::RESET);
        }
        out.push('\n');
        for (r, c) in &self.rows {
            let r = fit(r);
            if let (true, Some(c)) = (colour, c) {
                out.push_str(c);
                line(&r, &mut out);
                out.push_str(colour::RESET);
            } else {
                line(&r, &mut out);
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

    const PLAIN: Style = Style {
        colour: false,
        width: 120,
    };

    fn titles(n: usize) -> Table {
        let mut t = Table::new(["ID", "Chủ trì", "Nhiệm vụ"]).right(0).shrink(2);
        for i in 0..n {
            t.row(
                vec![
                    i.to_string(),
                    "Sở Nội vụ".into(),
                    format!("Đẩy mạnh cải cách thủ tục hành chính {i} ").repeat(4),
                ],
                None,
            );
        }
        t
    }

    #[test]
    fn fits_the_width_by_cutting_the_title_first() {
        let t = titles(3);
        for width in [80, 60, 40] {
            let s = t.render(Style {
                colour: false,
                width,
            });
            for l in s.lines().skip(1) {
                assert_eq!(l.width(), width, "{width}: {l:?}");
                assert!(l.ends_with('…'), "{l}");
                // The agency is whole: only the title gave way.
                assert!(l.contains("Sở Nội vụ  Đẩy"), "{l}");
            }
        }
    }

    #[test]
    fn a_table_that_fits_is_not_cut() {
        let mut t = Table::new(["Mã", "Lĩnh vực"]).shrink(1);
        t.row(
            vec!["TTHC".into(), "Cải cách thủ tục hành chính".into()],
            None,
        );
        let s = t.render(Style {
            colour: false,
            width: 40,
        });
        assert!(s.contains("Cải cách thủ tục hành chính\n"), "{s}");
        assert!(!s.contains('…'));
    }

    #[test]
    fn other_text_columns_give_way_when_the_title_is_at_its_floor() {
        let mut t = Table::new(["Người", "Thay đổi"]).shrink(1);
        t.row(
            vec!["Nguyễn Thị Hồng Nhung".repeat(3), "x".repeat(50)],
            None,
        );
        let s = t.render(Style {
            colour: false,
            width: 30,
        });
        for l in s.lines() {
            assert!(l.width() <= 30, "{l:?}");
        }
        let row = s.lines().nth(1).unwrap_or_default();
        assert_eq!(row.width(), 30, "{row:?}");
    }

    #[test]
    fn colour_wraps_each_row_and_costs_no_width() {
        let mut t = titles(1);
        t.row(
            vec!["9".into(), "VPUB".into(), "x".into()],
            Some(colour::RED),
        );
        let s = t.render(Style {
            colour: true,
            width: 50,
        });
        let red = s.lines().last().unwrap_or_default();
        assert!(
            red.starts_with(colour::RED) && red.ends_with(colour::RESET),
            "{red:?}"
        );
        let long = s.lines().nth(1).unwrap_or_default();
        assert_eq!(long.width(), 50, "{long:?}");
    }

    #[test]
    fn aligns_vietnamese_by_columns_not_bytes() {
        let mut t = Table::new(["Cơ quan", "Số"]).right(1);
        t.row(vec!["Sở Nội vụ".into(), "12".into()], None);
        t.row(vec!["VPUB".into(), "3".into()], None);
        let s = t.render(PLAIN);
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
        let s = t.render(PLAIN);
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
