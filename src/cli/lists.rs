//! `cchc areas` and `cchc agencies`: the plan's two short reference lists.

use super::tabular::{Column, Tabular, render};
use super::{Env, Format, Style};
use crate::error::Result;
use crate::model::{Agency, Area};

/// An area with its number of tasks and of overdue tasks (the counts are the table's only).
struct AreaRow<'a> {
    area: &'a Area,
    tasks: usize,
    overdue: usize,
}

impl Tabular for AreaRow<'_> {
    const KIND: &'static str = "areas";
    const CSV_HEADERS: &'static [&'static str] = &["code", "name_vi", "name_en"];
    const COLUMNS: &'static [Column] = &[
        Column::text("Mã", "Code"),
        Column::text("Lĩnh vực", "Area").shrinks(),
        Column::number("Nhiệm vụ", "Tasks"),
        Column::number("Quá hạn", "Overdue"),
    ];

    fn json(&self, _: &Env) -> impl serde::Serialize {
        self.area
    }

    fn csv_row(&self, _: &Env) -> Vec<String> {
        let a = self.area;
        vec![a.code.clone(), a.name_vi.clone(), a.name_en.clone()]
    }

    fn table_row(&self, env: &Env) -> Vec<String> {
        vec![
            self.area.code.clone(),
            self.area.name(env.lang).to_string(),
            self.tasks.to_string(),
            self.overdue.to_string(),
        ]
    }
}

/// `cchc areas`: each area with its number of tasks and of overdue tasks.
pub(super) fn areas(format: Format, env: &Env, style: Style) -> Result<String> {
    let store = env.open_to_read()?;
    let areas = store.areas()?;
    // The navigation pane's counts (per area and agency, kept by the store): a few thousand
    // rows at any size of file, where counting the tasks read them all.
    let tally = store.tally(env.today)?;
    let rows: Vec<AreaRow> = areas
        .iter()
        .map(|area| {
            let mine = tally.iter().filter(|r| r.area == area.code);
            let (tasks, overdue) = mine.fold((0, 0), |(n, l), r| (n + r.total, l + r.overdue));
            AreaRow {
                area,
                tasks,
                overdue,
            }
        })
        .collect();
    render(&rows, format, env, style)
}

impl Tabular for Agency {
    const KIND: &'static str = "agencies";
    const CSV_HEADERS: &'static [&'static str] = &["code", "name", "kind"];
    const COLUMNS: &'static [Column] = &[
        Column::text("Mã", "Code"),
        Column::text("Cơ quan", "Agency").shrinks(),
        Column::text("Loại", "Kind"),
    ];

    fn json(&self, _: &Env) -> impl serde::Serialize {
        self
    }

    fn csv_row(&self, env: &Env) -> Vec<String> {
        self.table_row(env)
    }

    fn table_row(&self, _: &Env) -> Vec<String> {
        vec![
            self.code.clone(),
            self.name.clone(),
            self.kind.as_str().into(),
        ]
    }
}

/// `cchc agencies`: every agency in the file.
pub(super) fn agencies(format: Format, env: &Env, style: Style) -> Result<String> {
    let store = env.open_to_read()?;
    render(&store.agencies()?, format, env, style)
}
