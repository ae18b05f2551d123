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
    /// Each column's widest cell so far, header included (before fitting).
    widest: Vec<usize>,
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
            widest: headers.iter().map(|h| h.width()).collect(),
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
        let cells = safe(cells);
        self.widen(&cells);
        self.rows.push((cells, colour));
    }

    /// Takes a row's widths without keeping the row: a table too long to hold is measured in
    /// a first pass, then written a line at a time ([`Table::lines`]).
    pub fn measure(&mut self, cells: Vec<String>) {
        self.widen(&safe(cells));
    }

    fn widen(&mut self, cells: &[String]) {
        for (w, c) in self.widest.iter_mut().zip(cells) {
            *w = (*w).max(c.width());
        }
    }

    /// The lines of the table, fitted to `style.width` columns for the rows measured so far
    /// (or kept), coloured if `style.colour`.
    pub fn lines(&self, style: Style) -> Lines<'_> {
        Lines {
            widths: self.column_widths(style.width),
            colour: style.colour,
            table: self,
        }
    }

    /// Each column's width once the table is fitted into `width` terminal columns: the
    /// widest of the columns that shrink first is cut until the table fits (down to
    /// FIRST_FLOOR), then the widest of the other text columns (down to LAST_FLOOR). Numbers
    /// are never cut. A table that cannot fit even then is left wider.
    fn column_widths(&self, width: usize) -> Vec<usize> {
        let mut widths = self.widest.clone();
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
        let lines = self.lines(style);
        let mut out = lines.header();
        for (r, c) in &self.rows {
            lines.push_row(r, *c, &mut out);
        }
        out
    }
}

/// Every cell through `untrusted::line`.
fn safe(cells: Vec<String>) -> Vec<String> {
    cells
        .into_iter()
        .map(|c| match untrusted::line(&c) {
            Cow::Borrowed(_) => c,
            Cow::Owned(safe) => safe,
        })
        .collect()
}

/// A table's lines once its column widths are known.
pub struct Lines<'a> {
    widths: Vec<usize>,
    colour: bool,
    table: &'a Table,
}

impl Lines<'_> {
    /// The header line, with its newline.
    pub fn header(&self) -> String {
        let mut out = String::new();
        if self.colour {
            out.push_str("\x1b[1m");
        }
        self.line(&self.table.headers, &mut out);
        if self.colour {
            out.push_str(colour::RESET);
        }
        out.push('\n');
        out
    }

    /// One row's line, with its newline.
    pub fn row(&self, cells: Vec<String>, colour: Option<&'static str>) -> String {
        let mut out = String::new();
        self.push_row(&safe(cells), colour, &mut out);
        out
    }

    fn push_row(&self, cells: &[String], colour: Option<&'static str>, out: &mut String) {
        if let (true, Some(c)) = (self.colour, colour) {
            out.push_str(c);
            self.line(cells, out);
            out.push_str(colour::RESET);
        } else {
            self.line(cells, out);
        }
        out.push('\n');
    }

    fn line(&self, cells: &[String], out: &mut String) {
        let widths = &self.widths;
        let cells: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, &w)| truncate(c, w))
            .collect();
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.width());
            let last = i + 1 == cells.len();
            if self.table.right_aligned[i] {
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
    }
}

pub use crate::text::truncate;

#[cfg(test)]
mod tests;
