//! Queries. Rows map to `model` types here and nowhere else.

use std::collections::HashMap;

use crate::store::engine::Row;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::{Error, Result};
use crate::model::{
    Agency, AgencyKind, Area, Baseline, Direction, Indicator, Measurement, Note, Recurrence,
    Status, Target, Task, Unit,
};

/// Which tasks to read; every field narrows, `Default` reads all.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub area: Option<String>,
    /// Tasks led by any of these agency codes.
    pub lead_agencies: Option<Vec<String>>,
    pub status: Option<Status>,
    /// Only tasks overdue on this date (due before it and not done).
    pub overdue_on: Option<NaiveDate>,
    pub due_before: Option<NaiveDate>,
    pub due_after: Option<NaiveDate>,
    /// Only these tasks (a search's hits): read by key instead of reading every task.
    pub ids: Option<Vec<i64>>,
}

impl TaskFilter {
    /// Narrows the filter by a search's filter tokens (`agency:STP due.before:…`), both
    /// holding: a token for another area than the filter's, say, leaves nothing.
    pub fn narrow(&mut self, by: &crate::search::filters::Filters, today: NaiveDate) {
        let nothing = || Some(Vec::new());
        if let Some(area) = &by.area {
            match &self.area {
                Some(mine) if mine != area => self.ids = nothing(),
                _ => self.area = Some(area.clone()),
            }
        }
        if let Some(codes) = &by.agencies {
            self.lead_agencies = Some(match self.lead_agencies.take() {
                Some(mine) => mine.into_iter().filter(|c| codes.contains(c)).collect(),
                None => codes.clone(),
            });
        }
        if let Some(status) = by.status {
            match self.status {
                Some(mine) if mine != status => self.ids = nothing(),
                _ => self.status = Some(status),
            }
        }
        if by.overdue {
            self.overdue_on = Some(today);
        }
        if let Some(day) = by.due_before {
            self.due_before = Some(self.due_before.map_or(day, |mine| mine.min(day)));
        }
        if let Some(day) = by.due_after {
            self.due_after = Some(self.due_after.map_or(day, |mine| mine.max(day)));
        }
    }
}

pub(super) const FILTER_AREA: &str = "+area = ?";
pub(super) const FILTER_AGENCIES: &str = "lead_agency IN (SELECT value FROM json_each(?))";
pub(super) const FILTER_STATUS: &str = "+status = ?";
pub(super) const FILTER_OVERDUE: &str = "status <> 'done' AND +due < ?";
pub(super) const FILTER_DUE_BEFORE: &str = "+due < ?";
pub(super) const FILTER_DUE_AFTER: &str = "+due > ?";
pub(super) const FILTER_IDS: &str = "id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))";

/// The WHERE fragments of a filter (each a fixed text, never a value) and their values, in
/// order; the fragments name the tasks table's columns unqualified.
pub(super) fn filter_clauses(f: &TaskFilter) -> (Vec<&'static str>, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(ids) = &f.ids {
        clauses.push(FILTER_IDS);
        values.push(Value::Text(
            serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()),
        ));
    }
    if let Some(area) = &f.area {
        clauses.push(FILTER_AREA);
        values.push(Value::Text(area.clone()));
    }
    if let Some(codes) = &f.lead_agencies {
        clauses.push(FILTER_AGENCIES);
        values.push(Value::Text(
            serde_json::to_string(codes).unwrap_or_else(|_| "[]".into()),
        ));
    }
    if let Some(status) = f.status {
        clauses.push(FILTER_STATUS);
        values.push(Value::Text(status.as_str().into()));
    }
    if let Some(day) = f.overdue_on {
        clauses.push(FILTER_OVERDUE);
        values.push(Value::Text(day.to_string()));
    }
    if let Some(day) = f.due_before {
        clauses.push(FILTER_DUE_BEFORE);
        values.push(Value::Text(day.to_string()));
    }
    if let Some(day) = f.due_after {
        clauses.push(FILTER_DUE_AFTER);
        values.push(Value::Text(day.to_string()));
    }
    (clauses, values)
}

/// The WHERE fragments of a filter for a read in list order ([`Store::each_task`]): the same
/// tests as [`filter_clauses`], written so that SQLite may answer them from the list's
/// indexes (by area and due date, by due date, by lead agency), which give the order too.
pub(super) fn ordered_clauses(f: &TaskFilter) -> (Vec<&'static str>, Vec<Value>) {
    let (clauses, values) = filter_clauses(f);
    let clauses = clauses
        .into_iter()
        .map(|c| match c {
            FILTER_AREA => "area = ?",
            FILTER_STATUS => "status = ?",
            FILTER_OVERDUE => "status <> 'done' AND due < ?",
            FILTER_DUE_BEFORE => "due < ?",
            other => other,
        })
        .collect();
    (clauses, values)
}

/// The task list's statement for the given WHERE fragments (joined with AND), unordered.
pub(super) fn task_query(clauses: &[&str]) -> String {
    let mut filter = String::from(" WHERE ");
    for c in clauses {
        filter.push_str(c);
        filter.push_str(" AND ");
    }
    filter.push_str(NOT_WITHDRAWN_SCAN);
    format!("SELECT {TASK_COLUMNS} FROM tasks{filter}")
}

/// A group's task taken over by the agencies registered one by one is kept but not listed
/// (schema migration 4).
pub(super) const NOT_WITHDRAWN: &str = "withdrawn_on IS NULL";
/// The same test kept off the list's partial indexes (migration 7): the bulk read scans the
/// table in file order, which is faster for it than walking an index row by row.
pub(super) const NOT_WITHDRAWN_SCAN: &str = "+withdrawn_on IS NULL";

/// Sorts by (due, id) without moving the large rows more than once each: the keys are sorted,
/// then the permutation is applied in place, cycle by cycle.
fn sort_for_list(tasks: &mut [Task]) {
    let mut order: Vec<(NaiveDate, i64, usize)> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.due, t.id, i))
        .collect();
    if order.is_sorted() {
        return;
    }
    order.sort_unstable();
    // from[j]: where the task that belongs at j is now.
    let mut from: Vec<usize> = order.into_iter().map(|(_, _, i)| i).collect();
    for start in 0..tasks.len() {
        let mut j = start;
        while from[j] != start && from[j] != usize::MAX {
            let src = from[j];
            tasks.swap(j, src);
            from[j] = usize::MAX;
            j = src;
        }
        from[j] = usize::MAX;
    }
}

pub(super) const CHANGED_SINCE: &str = "change_seq > ?1";

/// How many columns `TASK_COLUMNS` names (a query may select more after them).
pub(super) const TASK_COLUMN_COUNT: usize = 18;

pub(super) const TASK_COLUMNS: &str = "id, plan_ref, area, lead_agency, coordinating, title, output, due, due_assumed, recurrence, status, progress, completed_on, version, updated_by, updated_at, detail, coordinating_inferred";

fn bad(col: usize, what: &str, v: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        col,
        rusqlite::types::Type::Text,
        format!("bad {what} {v:?}").into(),
    )
}

/// A text column without copying it. Rows are read by the hundred thousand when the TUI
/// starts, so the hot path avoids allocations and Unicode folding (docs/BENCHMARKS.md).
fn text_at<'r>(r: &'r Row, col: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(col)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// "YYYY-MM-DD" without chrono's format parser; anything else goes the general way.
fn date_at(r: &Row, col: usize) -> rusqlite::Result<NaiveDate> {
    match iso_date(text_at(r, col)?) {
        Some(d) => Ok(d),
        None => r.get(col),
    }
}

fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(&b[..4])? as i32, num(&b[5..7])?, num(&b[8..])?)
}

/// The stored codes first (exact match); `Status::parse` folds its input, which is slow.
fn status_of(s: &str) -> Option<Status> {
    Status::ALL
        .into_iter()
        .find(|st| st.as_str() == s)
        .or_else(|| Status::parse(s))
}

pub(super) fn task_from_row(r: &Row) -> rusqlite::Result<Task> {
    let recurrence = text_at(r, 9)?;
    let status = text_at(r, 10)?;
    Ok(Task {
        id: r.get(0)?,
        plan_ref: r.get(1)?,
        area: r.get(2)?,
        lead_agency: r.get(3)?,
        coordinating: split_codes(text_at(r, 4)?),
        title: r.get(5)?,
        output: r.get(6)?,
        due: date_at(r, 7)?,
        due_assumed: r.get(8)?,
        recurrence: Recurrence::parse(recurrence)
            .ok_or_else(|| bad(9, "recurrence", recurrence))?,
        status: status_of(status).ok_or_else(|| bad(10, "status", status))?,
        progress: r.get(11)?,
        completed_on: match r.get_ref(12)? {
            rusqlite::types::ValueRef::Null => None,
            _ => Some(date_at(r, 12)?),
        },
        version: r.get(13)?,
        updated_by: r.get(14)?,
        updated_at: r.get(15)?,
        detail: r.get(16)?,
        coordinating_inferred: split_codes(text_at(r, 17)?),
    })
}

pub(super) fn split_codes(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

pub(super) const INDICATOR_COLUMNS: &str =
    "code, area, name, unit, direction, baseline_value, baseline_date, baseline_label, lead_agency";

/// An indicator from a row of [`INDICATOR_COLUMNS`], with its targets from `targets`.
pub(super) fn indicator_from_row(
    r: &Row,
    targets: &HashMap<String, Vec<Target>>,
) -> rusqlite::Result<Indicator> {
    let code: String = r.get(0)?;
    let unit: String = r.get(3)?;
    let direction: String = r.get(4)?;
    let baseline_date: Option<NaiveDate> = r.get(6)?;
    Ok(Indicator {
        targets: targets.get(&code).cloned().unwrap_or_default(),
        code,
        area: r.get(1)?,
        name: r.get(2)?,
        unit: Unit::parse(&unit).ok_or_else(|| bad(3, "unit", &unit))?,
        direction: Direction::parse(&direction).ok_or_else(|| bad(4, "direction", &direction))?,
        baseline: match baseline_date {
            Some(date) => Some(Baseline {
                value: r.get(5)?,
                date,
                label: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            }),
            None => None,
        },
        lead_agency: r.get(8)?,
    })
}

pub(super) fn measurement_from_row(r: &Row) -> rusqlite::Result<Measurement> {
    Ok(Measurement {
        id: r.get(0)?,
        indicator: r.get(1)?,
        value: r.get(2)?,
        measured_on: r.get(3)?,
        source: r.get(4)?,
        note: r.get(5)?,
        recorded_by: r.get(6)?,
        recorded_at: r.get(7)?,
    })
}

impl Store {
    pub fn areas(&self) -> Result<Vec<Area>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, name_vi, name_en FROM areas ORDER BY position")?;
        let rows = stmt.query_map((), |r| {
            Ok(Area {
                code: r.get(0)?,
                name_vi: r.get(1)?,
                name_en: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn agencies(&self) -> Result<Vec<Agency>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, name, kind FROM agencies ORDER BY position, code")?;
        let rows = stmt.query_map((), |r| {
            let kind: String = r.get(2)?;
            Ok(Agency {
                code: r.get(0)?,
                name: r.get(1)?,
                kind: AgencyKind::parse(&kind).ok_or_else(|| bad(2, "agency kind", &kind))?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn indicators(&self) -> Result<Vec<Indicator>> {
        let mut targets: HashMap<String, Vec<Target>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare_cached(
                "SELECT indicator, value, due FROM targets ORDER BY indicator, due",
            )?;
            let mut rows = stmt.query(())?;
            while let Some(r) = rows.next()? {
                targets.entry(r.get(0)?).or_default().push(Target {
                    value: r.get(1)?,
                    due: r.get(2)?,
                });
            }
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {INDICATOR_COLUMNS} FROM indicators ORDER BY position"
        ))?;
        let rows = stmt.query_map((), |r| indicator_from_row(r, &targets))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every measurement (of one indicator, or all), oldest first.
    pub fn measurements(&self, indicator: Option<&str>) -> Result<Vec<Measurement>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, indicator, value, measured_on, source, note, recorded_by, recorded_at
             FROM measurements WHERE (CAST(?1 AS TEXT) IS NULL OR indicator = ?1)
             ORDER BY indicator, measured_on, id",
        )?;
        let rows = stmt.query_map(params![indicator], measurement_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Tasks in list order: by due date, then id.
    pub fn tasks(&self, f: &TaskFilter) -> Result<Vec<Task>> {
        // Only the filters given go into the WHERE clause, each a fixed fragment with a bound
        // parameter (no value is ever spliced into the SQL). The former single statement,
        // `(?1 IS NULL OR area = ?1) AND …`, kept SQLite from using any index but the due
        // date's: every filter walked all tasks in due order.
        //
        // Broad filters (an area, a status, overdue, a due date: a tenth to a half of the
        // tasks) read the table in file order, and the rows are sorted here: fetching rows one
        // by one through an index, or SQLite's sorter, cost about twice as much at 100,000
        // tasks (185 ms against 90 ms for all of them), so migration 2 dropped those indexes
        // (`+column` keeps SQLite off any index someone adds again). The agency filter, a few
        // hundredths of the tasks, goes through its index.
        let (clauses, values) = filter_clauses(f);
        let sql = task_query(&clauses);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            crate::store::engine::params_from_iter(&values),
            task_from_row,
        )?;
        let mut tasks: Vec<Task> = rows.collect::<rusqlite::Result<_>>()?;
        sort_for_list(&mut tasks);
        Ok(tasks)
    }

    pub fn task(&self, id: i64) -> Result<Task> {
        self.conn
            .prepare_cached(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1"))?
            .query_row([id], task_from_row)
            .optional()?
            .ok_or(Error::NoSuchTask(id))
    }

    /// Tasks written after change sequence `seq` (see `max_change_seq`): the incremental reload.
    pub fn tasks_changed_since(&self, seq: i64) -> Result<Vec<Task>> {
        // Ordered by change_seq in SQL so SQLite reads the few new rows through
        // tasks_by_change; with `ORDER BY id` it walked the whole table in id order instead.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE {CHANGED_SINCE} AND {NOT_WITHDRAWN_SCAN} ORDER BY change_seq"
        ))?;
        let rows = stmt.query_map([seq], task_from_row)?;
        let mut tasks: Vec<Task> = rows.collect::<rusqlite::Result<_>>()?;
        tasks.sort_by_key(|t| t.id);
        Ok(tasks)
    }

    /// The newest change-log id; everything at or below it has been read once it is read.
    pub fn max_change_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM change_log", (), |r| {
                r.get(0)
            })?)
    }

    pub fn notes(&self, task_id: i64) -> Result<Vec<Note>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, task_id, author, at, text FROM notes WHERE task_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([task_id], |r| {
            Ok(Note {
                id: r.get(0)?,
                task_id: r.get(1)?,
                author: r.get(2)?,
                at: r.get(3)?,
                text: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// All notes' text per task, for search.
    pub fn notes_text(&self) -> Result<HashMap<i64, String>> {
        let mut out: HashMap<i64, String> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT task_id, text FROM notes ORDER BY id")?;
        let mut rows = stmt.query(())?;
        while let Some(r) = rows.next()? {
            let s = out.entry(r.get(0)?).or_default();
            s.push(' ');
            s.push_str(&r.get::<_, String>(1)?);
        }
        Ok(out)
    }

    /// How many tasks are listed (a withdrawn one is not).
    pub fn task_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            &format!("SELECT count(*) FROM tasks WHERE {NOT_WITHDRAWN}"),
            (),
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_sort_by_due_then_id() {
        let plan = crate::plan::load().unwrap();
        let mut tasks: Vec<Task> = plan
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| Task {
                // Ids in a scrambled order, some due dates shared.
                id: ((i * 7919) % 1000) as i64,
                plan_ref: t.plan_ref.clone(),
                area: t.area.clone(),
                lead_agency: t.lead_agency.clone(),
                coordinating: vec![],
                coordinating_inferred: vec![],
                title: t.title.clone(),
                detail: String::new(),
                output: String::new(),
                due: t.due,
                due_assumed: t.due_assumed,
                recurrence: t.recurrence,
                status: t.status,
                progress: t.progress,
                completed_on: None,
                version: 1,
                updated_by: String::new(),
                updated_at: String::new(),
            })
            .collect();
        let mut expected = tasks.clone();
        expected.sort_by_key(|t| (t.due, t.id));
        sort_for_list(&mut tasks);
        assert_eq!(tasks, expected);
        sort_for_list(&mut tasks);
        assert_eq!(tasks, expected, "sorting sorted rows changes nothing");
    }

    #[test]
    fn iso_dates_parse_like_chrono() {
        for s in ["2026-01-01", "2030-12-31", "2028-02-29", "0999-05-07"] {
            assert_eq!(
                iso_date(s),
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                "{s}"
            );
        }
        for s in [
            "2027-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026/01/01",
            "2026-01-0x",
            "",
        ] {
            assert_eq!(iso_date(s), None, "{s}");
        }
    }
}
