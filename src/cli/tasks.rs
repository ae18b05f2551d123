//! `cchc tasks`: the filtered list of tasks as a table, JSON or CSV (plain or shaped for Excel).

use std::io::Write;

use chrono::NaiveDate;

use super::table::colour;
use super::tabular::{Column, Tabular, empty_table};
use super::{Env, Format, Style, TasksArgs};
use crate::error::{Error, Result};
use crate::model::{DisplayState, Lang, Task};
use crate::store::{Store, TaskFilter};
use crate::transfer::{self, Resolver, TaskRecord};
use crate::view::Sort;

/// Runs `cchc tasks`; prints the list itself, a row at a time as the store reads it (a list of
/// a million tasks takes the memory of a few), and returns the exit code.
pub(super) fn run(args: &TasksArgs, env: &Env, style: Style) -> Result<i32> {
    if args.excel && args.format != Format::Csv {
        return Err(Error::usage(
            "--excel tạo tệp CSV; dùng kèm --format csv",
            "--excel shapes a CSV file; give it with --format csv",
        ));
    }
    let store = env.open_to_read()?;
    let (selection, areas, agencies) = select_tasks(&store, args, env)?;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    // One state of the file throughout, though members write meanwhile.
    let written = store.snapshot(|store| {
        let each = |f: &mut dyn FnMut(Task) -> Result<()>| selection.each(store, env.today, f);
        match args.format {
            Format::Csv if args.excel => {
                let mut rows = crate::excel_csv::TaskRows::new(
                    &areas, &agencies, env.today, env.lang, &mut out,
                )
                .map_err(csv_error)?;
                each(&mut |t| rows.task(&t).map_err(csv_error))?;
                rows.finish().map_err(csv_error)
            }
            Format::Csv => {
                let mut w = TaskCsv::new(&mut out).map_err(csv_error)?;
                each(&mut |t| w.task(&t, env.today).map_err(csv_error))?;
                w.finish().map_err(csv_error)
            }
            Format::Json => write_json(&mut out, &each, env),
            Format::Table => {
                // Measured in a first pass, so that the columns fit, then written.
                let mut table = empty_table::<Task>(env);
                let (mut n, mut overdue) = (0, 0);
                each(&mut |t| {
                    n += 1;
                    overdue += usize::from(t.is_overdue(env.today));
                    table.measure(t.table_row(env));
                    Ok(())
                })?;
                let lines = table.lines(style);
                out.write_all(lines.header().as_bytes())?;
                each(&mut |t| {
                    let line = lines.row(t.table_row(env), t.colour(env));
                    Ok(out.write_all(line.as_bytes())?)
                })?;
                out.flush()?;
                let _ = writeln!(
                    std::io::stderr(),
                    "{}",
                    crate::untrusted::line(&summary(n, overdue, env))
                );
                Ok(())
            }
        }
    });
    super::finish_output(out, written).map(|()| 0)
}

/// Which tasks `cchc tasks` lists, and in what order.
enum Selection {
    /// The tasks a filter keeps, in a sort order, or its reverse (a view's `reverse`).
    List(TaskFilter, Sort, bool),
    /// A search's hits, best first (as the store ranked them).
    Ranked(Vec<i64>),
}

impl Selection {
    /// Hands every task listed to `each`, in order.
    fn each(
        &self,
        store: &Store,
        today: NaiveDate,
        each: &mut dyn FnMut(Task) -> Result<()>,
    ) -> Result<()> {
        match self {
            Selection::List(filter, sort, reverse) => {
                store.each_task(filter, *sort, *reverse, today, each)
            }
            Selection::Ranked(ids) => {
                // A few hundred at a time, by key: the hits of "noi vu" are half the province.
                for chunk in ids.chunks(256) {
                    for t in store.tasks_by_ids(chunk)? {
                        each(t)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The tasks as the JSON envelope of docs/JSON.md, each item written as it is read.
fn write_json<W: Write>(out: &mut W, each: &Each, env: &Env) -> Result<()> {
    let items = TaskItems::new(each, env.today);
    super::write_json_list(out, <Task as Tabular>::KIND, &items)
        .map_err(|e| items.read_error().unwrap_or(e))
}

/// A source of tasks that can be read again: it hands every task to the function it is given.
pub(super) type Each<'a> = dyn Fn(&mut dyn FnMut(Task) -> Result<()>) -> Result<()> + 'a;

/// Tasks serialized as a JSON list of `TaskRecord`s as they are read from the store.
pub(super) struct TaskItems<'a> {
    each: &'a Each<'a>,
    today: NaiveDate,
    /// Why reading stopped, kept whole (a damaged file's error names the file, which serde's
    /// own error, a string, would not carry).
    read_failed: std::cell::RefCell<Option<Error>>,
}

impl<'a> TaskItems<'a> {
    pub fn new(each: &'a Each<'a>, today: NaiveDate) -> Self {
        TaskItems {
            each,
            today,
            read_failed: Default::default(),
        }
    }

    /// The store's error that stopped a serialization of these items, if it was the store's.
    pub fn read_error(&self) -> Option<Error> {
        self.read_failed.borrow_mut().take()
    }
}

impl serde::Serialize for TaskItems<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        let read = (self.each)(&mut |t| {
            seq.serialize_element(&TaskRecord::new(&t, self.today))
                .map_err(|e| {
                    failed = Some(e);
                    Error::invalid("stopped")
                })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if let Err(e) = read {
            let message = e.to_string();
            *self.read_failed.borrow_mut() = Some(e);
            return Err(S::Error::custom(message));
        }
        seq.end()
    }
}

/// A CSV write error as the crate's, a closed pipe kept recognisable.
pub(super) fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Io(io),
        other => Error::invalid(format!("{other:?}")),
    }
}

/// What `cchc tasks` lists: its filters and order (a saved view filling in what the command
/// line leaves out), and the areas and agencies, read once.
fn select_tasks(
    store: &Store,
    args: &TasksArgs,
    env: &Env,
) -> Result<(
    Selection,
    Vec<crate::model::Area>,
    Vec<crate::model::Agency>,
)> {
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
    let selection = match Some(text).filter(|q| !q.trim().is_empty()) {
        // The store finds and ranks the hits from its search table (16 bytes a hit); the
        // tasks are read as they are written. A view's sort, asked for explicitly, wins.
        Some(q) => {
            let hits: Vec<i64> = store.search(q, &filter)?.iter().map(|h| h.id).collect();
            match view.sort {
                Some(sort) => {
                    filter.ids = Some(hits);
                    Selection::List(filter, sort, view.reverse)
                }
                None => Selection::Ranked(hits),
            }
        }
        None => Selection::List(
            filter,
            view.sort.unwrap_or_default(),
            view.sort.is_some() && view.reverse,
        ),
    };
    Ok((selection, areas, agencies))
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

/// Tasks as CSV (`TASKS_CSV_HEADERS`), a row at a time, each field written from the task's
/// own fields (no `Vec` per row).
struct TaskCsv<W: Write> {
    w: csv::Writer<W>,
    buf: String,
}

impl<W: Write> TaskCsv<W> {
    fn new(out: W) -> csv::Result<Self> {
        let mut w = csv::WriterBuilder::new()
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        w.write_record(TASKS_CSV_HEADERS)?;
        Ok(TaskCsv {
            w,
            buf: String::new(),
        })
    }

    fn task(&mut self, t: &Task, today: NaiveDate) -> csv::Result<()> {
        let (w, buf) = (&mut self.w, &mut self.buf);
        transfer::write_csv_fields(w, t, buf)?;
        w.write_field(if t.is_overdue(today) { "true" } else { "false" })?;
        w.write_field(t.display_state(today).as_str())?;
        transfer::write_display_field(w, buf, t.days_late(today))?;
        transfer::write_display_field(w, buf, t.version)?;
        w.write_record(None::<&[u8]>)
    }

    fn finish(mut self) -> csv::Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

fn write_tasks_csv<W: Write>(tasks: &[Task], today: NaiveDate, out: W) -> csv::Result<()> {
    let mut w = TaskCsv::new(out)?;
    for t in tasks {
        w.task(t, today)?;
    }
    w.finish()
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
    summary(tasks.len(), overdue, env)
}

fn summary(n: usize, overdue: usize, env: &Env) -> String {
    format!(
        "{} {} · {} {} · {} {}",
        n,
        env.t("nhiệm vụ", "tasks"),
        overdue,
        env.t("quá hạn", "overdue"),
        env.t("tính đến", "as of"),
        env.today.format("%d/%m/%Y")
    )
}
