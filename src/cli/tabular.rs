//! One way every list a command prints is rendered: a row type says its JSON, its CSV columns
//! and its table columns once, and `render` prints a slice of it as the JSON envelope of
//! docs/JSON.md, a CSV for a spreadsheet, or an aligned table for people.

use std::io::Write;

use serde::Serialize;

use super::table::Table;
use super::{Env, Format, Style, csv_text, json_list};
use crate::error::{Error, Result};
use crate::model::Lang;

/// A column of the table for people: its header in both languages, and how it fits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    vi: &'static str,
    en: &'static str,
    /// Numbers: aligned right, never cut.
    right: bool,
    /// A long text (a title): cut first when the table is wider than the terminal.
    shrink: bool,
}

impl Column {
    pub(crate) const fn text(vi: &'static str, en: &'static str) -> Self {
        Column {
            vi,
            en,
            right: false,
            shrink: false,
        }
    }

    pub(crate) const fn number(vi: &'static str, en: &'static str) -> Self {
        Column {
            right: true,
            ..Column::text(vi, en)
        }
    }

    pub(crate) const fn shrinks(self) -> Self {
        Column {
            shrink: true,
            ..self
        }
    }

    fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

/// A row a command prints as a list.
pub(crate) trait Tabular: Sized {
    /// The JSON envelope's `kind` (docs/JSON.md).
    const KIND: &'static str;
    /// The CSV header: stable ASCII names, never translated.
    const CSV_HEADERS: &'static [&'static str];
    /// The table's columns for people.
    const COLUMNS: &'static [Column];

    /// What the JSON envelope's `items` hold for this row.
    fn json(&self, env: &Env) -> impl Serialize;
    /// The CSV values as stored; `render` makes them safe for a spreadsheet.
    fn csv_row(&self, env: &Env) -> Vec<String>;
    /// The table's cells; `Table` makes them safe for a terminal.
    fn table_row(&self, env: &Env) -> Vec<String>;
    /// The row's colour in a coloured table.
    fn colour(&self, _env: &Env) -> Option<&'static str> {
        None
    }

    /// Writes the rows as CSV to `out`. A row type with many rows may write its fields
    /// itself (tasks do, without a `Vec` per row); the text must stay as `csv_text` makes it.
    fn write_csv<W: Write>(rows: &[Self], env: &Env, mut out: W) -> Result<()> {
        let text = csv_text(Self::CSV_HEADERS, rows.iter().map(|r| r.csv_row(env)))?;
        out.write_all(text.as_bytes())
            .map_err(|e| Error::invalid(e.to_string()))
    }
}

/// The rows as `format` asks.
pub(crate) fn render<T: Tabular>(
    rows: &[T],
    format: Format,
    env: &Env,
    style: Style,
) -> Result<String> {
    match format {
        Format::Json => json_list(
            T::KIND,
            &rows.iter().map(|r| r.json(env)).collect::<Vec<_>>(),
        ),
        Format::Csv => {
            let mut bytes = Vec::new();
            T::write_csv(rows, env, &mut bytes)?;
            String::from_utf8(bytes).map_err(|e| Error::invalid(e.to_string()))
        }
        Format::Table => Ok(table(rows, env).render(style)),
    }
}

/// The rows as a table, before it is fitted to the terminal.
fn table<T: Tabular>(rows: &[T], env: &Env) -> Table {
    let mut t = empty_table::<T>(env);
    for r in rows {
        t.row(r.table_row(env), r.colour(env));
    }
    t
}

/// A table of `T`'s columns, with no row yet.
pub(crate) fn empty_table<T: Tabular>(env: &Env) -> Table {
    let mut t = Table::new(T::COLUMNS.iter().map(|c| c.header(env.lang)));
    for (i, c) in T::COLUMNS.iter().enumerate() {
        if c.right {
            t = t.right(i);
        }
        if c.shrink {
            t = t.shrink(i);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::model::{Recurrence, Status, Task};

    fn env(lang: &str) -> Env {
        let cli = super::super::Cli::try_parse_from([
            "cchc",
            "--db",
            "unused.db",
            "--today",
            "2026-11-26",
            "--lang",
            lang,
        ])
        .unwrap();
        Env::from_cli(&cli, None, None).unwrap()
    }

    fn task(id: i64, title: &str) -> Task {
        let d = |s: &str| s.parse().unwrap();
        Task {
            id,
            plan_ref: "III.3.2".into(),
            area: "tthc".into(),
            lead_agency: "SNV".into(),
            coordinating: vec!["STP".into(), "VPUB".into()],
            coordinating_inferred: vec![],
            title: title.into(),
            detail: String::new(),
            output: "Báo cáo\n\"quý\"".into(),
            due: d("2026-10-31"),
            due_assumed: true,
            recurrence: Recurrence::Quarterly,
            status: Status::Done,
            progress: 100,
            completed_on: Some(d("2026-11-02")),
            version: 3,
            updated_by: "lan".into(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn tasks_write_their_csv_as_the_generic_rows_would() {
        // Tasks stream their CSV field by field for speed; it must not drift from the rows.
        let env = env("vi");
        let tasks = [task(1, "=HYPERLINK(\"x\")"), task(22, "Rà soát TTHC")];
        let mut fast = Vec::new();
        Task::write_csv(&tasks, &env, &mut fast).unwrap();
        let generic = csv_text(Task::CSV_HEADERS, tasks.iter().map(|t| t.csv_row(&env))).unwrap();
        assert_eq!(String::from_utf8(fast).unwrap(), generic);
        assert!(generic.contains("'=HYPERLINK"), "{generic}");
        assert!(generic.starts_with("id,plan_ref,area,lead_agency,title,due,status,progress,"));
    }

    #[test]
    fn a_table_takes_its_headers_alignment_and_colour_from_the_columns() {
        let tasks = [task(7, "Rà soát"), task(1234, "Báo cáo\x1b[2J quý")];
        let wide = Style {
            colour: true,
            width: 200,
        };
        let vi = render(&tasks, Format::Table, &env("vi"), wide).unwrap();
        let en = render(&tasks, Format::Table, &env("en"), wide).unwrap();
        assert!(vi.contains("Chủ trì") && vi.contains("Nhiệm vụ"), "{vi}");
        assert!(en.contains("Lead") && en.contains("Task"), "{en}");
        assert!(
            !vi.contains("\x1b[2J"),
            "cells pass through untrusted::line: {vi:?}"
        );
        // ID is a number column: right-aligned to the widest id.
        let plain = Style {
            colour: false,
            width: 200,
        };
        let table = render(&tasks, Format::Table, &env("vi"), plain).unwrap();
        assert!(table.lines().any(|l| l.starts_with("   7  ")), "{table}");
        assert!(table.lines().any(|l| l.starts_with("1234  ")), "{table}");
        assert!(!table.contains('\x1b'), "{table:?}");
        // Due 31/10, done 02/11: done late, orange.
        assert!(vi.contains(crate::cli::table::colour::ORANGE), "{vi:?}");
    }
}
