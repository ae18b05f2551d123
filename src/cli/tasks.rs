//! `cchc tasks`: the filtered list of tasks as a table, JSON or CSV (plain or shaped for Excel).

use std::io::Write;

use chrono::NaiveDate;

use super::table::colour;
use super::tabular::{Column, Tabular, render};
use super::{Env, Format, Style, TasksArgs, print_then_summary};
use crate::error::{Error, Result};
use crate::model::{DisplayState, Lang, Task};
use crate::store::{Store, TaskFilter};
use crate::transfer::{self, Resolver, TaskRecord};

/// Runs `cchc tasks`; prints the list itself (CSV is streamed) and returns the exit code.
pub(super) fn run(args: &TasksArgs, env: &Env, style: Style) -> Result<i32> {
    if args.excel && args.format != Format::Csv {
        return Err(Error::usage(
            "--excel tạo tệp CSV; dùng kèm --format csv",
            "--excel shapes a CSV file; give it with --format csv",
        ));
    }
    let store = env.open_to_read()?;
    let tasks = select_tasks(&store, args, env)?;
    if args.excel {
        let stdout = std::io::stdout().lock();
        let (areas, agencies) = (store.areas()?, store.agencies()?);
        return match crate::excel_csv::write_tasks(
            &tasks, &areas, &agencies, env.today, env.lang, stdout,
        ) {
            Err(e) if is_broken_pipe(&e) => Ok(0),
            other => other.map(|()| 0).map_err(|e| Error::invalid(e.to_string())),
        };
    }
    if args.format == Format::Csv {
        // Can be every task: streamed rather than built up in one string.
        let stdout = std::io::stdout().lock();
        let written = write_tasks_csv(&tasks, env.today, stdout);
        // The process ends right after: freeing every task one by one was a fifth of
        // `tasks --overdue --format csv` at a million tasks (perf: glibc's free and
        // consolidation), for memory the exit returns anyway.
        std::mem::forget(tasks);
        return match written {
            Err(e) if is_broken_pipe(&e) => Ok(0),
            other => other.map(|()| 0).map_err(|e| Error::invalid(e.to_string())),
        };
    }
    let out = render(&tasks, args.format, env, style)?;
    let summary = (args.format == Format::Table).then(|| tasks_summary(&tasks, env));
    print_then_summary(&out, summary.as_deref())?;
    Ok(0)
}

fn select_tasks(store: &Store, args: &TasksArgs, env: &Env) -> Result<Vec<Task>> {
    // A saved view fills in what the command line leaves out (main checked that it exists).
    let view =
        match &args.view {
            Some(name) => env.views.get(name).cloned().ok_or_else(|| {
                Error::invalid(crate::view::unknown_view(name, &env.views, env.lang))
            })?,
            None => crate::view::SavedView::default(),
        };
    let args = &TasksArgs {
        area: args.area.clone().or(view.area),
        agency: args.agency.clone().or(view.agency),
        overdue: args.overdue || view.overdue,
        search: args.search.clone().or(view.search),
        view: None,
        ..args.clone()
    };
    let areas = store.areas()?;
    let agencies = store.agencies()?;
    let resolver = Resolver::new(&areas, &agencies);
    let area = match &args.area {
        Some(a) => Some(
            resolver
                .area(a)
                .ok_or_else(|| Error::invalid(unknown_area(a, env)))?,
        ),
        None => None,
    };
    let lead_agencies = match &args.agency {
        Some(a) => {
            let found = resolver.agencies_matching(a);
            if found.is_empty() {
                return Err(Error::invalid(match env.lang {
                    Lang::Vi => format!(
                        "không có cơ quan nào khớp {a:?}; `cchc agencies` liệt kê các cơ quan"
                    ),
                    Lang::En => format!("no agency matches {a:?}; `cchc agencies` lists them"),
                }));
            }
            Some(found)
        }
        None => None,
    };
    let mut filter = TaskFilter {
        area,
        lead_agencies,
        status: args.status,
        overdue_on: args.overdue.then_some(env.today),
        due_before: args.due_before,
        due_after: None,
        ids: None,
    };
    // Filter tokens in the search (`agency:STP due.before:2026-12-31`) filter exactly, as in
    // the search box; the rest is the fuzzy text.
    let query = args
        .search
        .as_deref()
        .map(|q| crate::search::filters::TaskQuery::parse(q, &areas, &agencies, env.lang));
    if let Some(q) = &query {
        if let Some(problem) = q.problems.first() {
            return Err(Error::invalid(format!("--search: {problem}")));
        }
        filter.narrow(&q.filters, env.today);
    }
    let text = query.as_ref().map(|q| q.text.as_str()).unwrap_or_default();
    let mut tasks = match Some(text).filter(|q| !q.is_empty()) {
        // The store finds and ranks the hits from its search table; only they are read whole.
        Some(q) => {
            let hits = store.search(q, &filter)?;
            filter.ids = Some(hits.iter().map(|h| h.id).collect());
            // Best first (ties by id), as the store ranked them, each task moved once (a sort
            // of the large rows cost an eighth of `noi vu`). A view's sort, asked for
            // explicitly, wins below.
            let mut by_id: std::collections::HashMap<i64, Task> = store
                .tasks(&filter)?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
            hits.iter().filter_map(|h| by_id.remove(&h.id)).collect()
        }
        None => store.tasks(&filter)?,
    };
    if let Some(sort) = view.sort {
        // The screen's order, by the same key.
        let rank = |codes: Vec<&str>| -> std::collections::HashMap<String, usize> {
            codes
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c.to_string(), i))
                .collect()
        };
        let area_rank = rank(areas.iter().map(|a| a.code.as_str()).collect());
        let agency_rank = rank(agencies.iter().map(|a| a.code.as_str()).collect());
        tasks.sort_by_cached_key(|t| {
            sort.key(
                t,
                env.today,
                area_rank.get(&t.area).copied().unwrap_or(usize::MAX),
                agency_rank
                    .get(&t.lead_agency)
                    .copied()
                    .unwrap_or(usize::MAX),
            )
        });
        if view.reverse {
            tasks.reverse();
        }
    }
    Ok(tasks)
}

pub(super) fn unknown_area(a: &str, env: &Env) -> String {
    match env.lang {
        Lang::Vi => format!("không có lĩnh vực {a:?}; `cchc areas` liệt kê các mã"),
        Lang::En => format!("unknown area {a:?}; `cchc areas` lists the codes"),
    }
}

fn state_colour(s: DisplayState) -> &'static str {
    match s {
        DisplayState::DoneOnTime => colour::GREEN,
        DisplayState::DoneLate => colour::ORANGE,
        DisplayState::InProgress => colour::BLUE,
        DisplayState::Overdue => colour::RED,
        DisplayState::NotStarted => colour::GREY,
    }
}

/// A tasks CSV's header: the export's columns and then what is derived on "today".
const TASKS_CSV_HEADERS: [&str; 17] = {
    let mut h = [""; 17];
    let mut i = 0;
    while i < transfer::CSV_COLUMNS.len() {
        h[i] = transfer::CSV_COLUMNS[i];
        i += 1;
    }
    h[13] = "overdue";
    h[14] = "display_state";
    h[15] = "days_late";
    h[16] = "version";
    h
};

/// Tasks as CSV (`TASKS_CSV_HEADERS`), each field written from the task's own fields: can be
/// every task, so no `Vec` per row.
fn write_tasks_csv<W: Write>(tasks: &[Task], today: NaiveDate, out: W) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(64 * 1024)
        .from_writer(out);
    w.write_record(TASKS_CSV_HEADERS)?;
    let mut buf = String::new();
    for t in tasks {
        transfer::write_csv_fields(&mut w, t, &mut buf)?;
        w.write_field(if t.is_overdue(today) { "true" } else { "false" })?;
        w.write_field(t.display_state(today).as_str())?;
        transfer::write_display_field(&mut w, &mut buf, t.days_late(today))?;
        transfer::write_display_field(&mut w, &mut buf, t.version)?;
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

/// Whether writing failed because the reader went away (`cchc tasks | head`): not an error
/// worth reporting.
fn is_broken_pipe(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

impl Tabular for Task {
    const KIND: &'static str = "tasks";
    const CSV_HEADERS: &'static [&'static str] = &TASKS_CSV_HEADERS;
    const COLUMNS: &'static [Column] = &[
        Column::number("ID", "ID"),
        Column::text("Hạn", "Due"),
        Column::number("Trễ", "Late"),
        Column::text("Trạng thái", "State"),
        Column::number("%", "%"),
        Column::text("Chủ trì", "Lead"),
        Column::text("Nhiệm vụ", "Task").shrinks(),
    ];

    fn json(&self, env: &Env) -> impl serde::Serialize {
        TaskRecord::new(self, env.today)
    }

    fn csv_row(&self, env: &Env) -> Vec<String> {
        let mut row = transfer::csv_row(self);
        row.extend([
            self.is_overdue(env.today).to_string(),
            self.display_state(env.today).as_str().into(),
            self.days_late(env.today).to_string(),
            self.version.to_string(),
        ]);
        row
    }

    fn write_csv<W: Write>(rows: &[Self], env: &Env, out: W) -> Result<()> {
        write_tasks_csv(rows, env.today, out).map_err(|e| Error::invalid(e.to_string()))
    }

    fn table_row(&self, env: &Env) -> Vec<String> {
        let late = self.days_late(env.today);
        vec![
            self.id.to_string(),
            self.due.format("%d/%m/%Y").to_string(),
            if late > 0 {
                late.to_string()
            } else {
                String::new()
            },
            self.display_state(env.today).label(env.lang).to_string(),
            self.progress.to_string(),
            self.lead_agency.clone(),
            self.title.clone(),
        ]
    }

    fn colour(&self, env: &Env) -> Option<&'static str> {
        Some(state_colour(self.display_state(env.today)))
    }
}

/// "N nhiệm vụ · M quá hạn · tính đến DATE", the line under a table of tasks.
pub(super) fn tasks_summary(tasks: &[Task], env: &Env) -> String {
    let overdue = tasks.iter().filter(|t| t.is_overdue(env.today)).count();
    format!(
        "{} {} · {} {} · {} {}",
        tasks.len(),
        env.t("nhiệm vụ", "tasks"),
        overdue,
        env.t("quá hạn", "overdue"),
        env.t("tính đến", "as of"),
        env.today.format("%d/%m/%Y")
    )
}
