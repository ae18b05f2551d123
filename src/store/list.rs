//! The task list a window at a time (issue 11): keyset pages over indexes in each sort order,
//! the tasks of a search by id, and the navigation pane's counts from the
//! tally the triggers of migration 7 keep. Every answer costs about what it returns, not what
//! the file holds, so the TUI needs no copy of the tasks.
//!
//! A sort order is a sequence of groups (one for "due", the areas or the lead agencies in plan
//! order, or the display states), each read in (due, id) order through an index; a row's
//! place is its [`ListKey`] (group, due, id).

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;

use super::Store;
use super::reads::{NOT_WITHDRAWN, TASK_COLUMNS, task_from_row};
use crate::error::Result;
use crate::model::{DisplayState, Task};
use crate::view::{Scope, Sort};

/// Which tasks are listed and in what order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSpec {
    pub scope: Scope,
    /// Only tasks overdue on `today`.
    pub overdue: bool,
    pub sort: Sort,
    pub today: NaiveDate,
}

/// A row's place in a sort order: its group's rank, then due date, then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ListKey {
    pub group: usize,
    pub due: NaiveDate,
    pub id: i64,
}

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The first rows of the list.
    First,
    /// The last rows, still returned in list order.
    Last,
    /// Rows after this key (skipping `skip` of them first).
    After(ListKey),
    /// Rows from this key on, the key's own row included when it is listed.
    From(ListKey),
    /// Rows before this key, returned in list order.
    Before(ListKey),
}

/// Tasks of one area led by one agency: how many are listed, how many are overdue on the day
/// asked for, how many are done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyRow {
    pub area: String,
    pub agency: String,
    pub total: usize,
    pub overdue: usize,
    pub done: usize,
}

/// One group of a sort order, as a WHERE fragment and its values.
#[derive(Debug, Clone)]
enum Group {
    All,
    Area(String),
    Agency(String),
    State(DisplayState),
}

/// The display states in the order `Sort::State` lists them (`DisplayState as usize`).
const STATE_ORDER: [DisplayState; 5] = [
    DisplayState::Overdue,
    DisplayState::InProgress,
    DisplayState::NotStarted,
    DisplayState::DoneLate,
    DisplayState::DoneOnTime,
];

impl Group {
    fn clause(&self, today: NaiveDate, sql: &mut Vec<&'static str>, values: &mut Vec<Value>) {
        match self {
            Group::All => {}
            Group::Area(code) => {
                sql.push("area = ?");
                values.push(Value::Text(code.clone()));
            }
            Group::Agency(code) => {
                sql.push("lead_agency = ?");
                values.push(Value::Text(code.clone()));
            }
            // The same rule as `DisplayState::of`, in SQL.
            Group::State(state) => match state {
                DisplayState::Overdue => {
                    sql.push("status <> 'done' AND due < ?");
                    values.push(date(today));
                }
                DisplayState::InProgress => {
                    sql.push("status <> 'done' AND due >= ? AND (status <> 'not-started' OR progress > 0)");
                    values.push(date(today));
                }
                DisplayState::NotStarted => {
                    sql.push("status = 'not-started' AND progress = 0 AND due >= ?");
                    values.push(date(today));
                }
                DisplayState::DoneLate => sql.push("status = 'done' AND completed_on > due"),
                DisplayState::DoneOnTime => {
                    sql.push("status = 'done' AND (completed_on IS NULL OR completed_on <= due)")
                }
            },
        }
    }
}

fn date(d: NaiveDate) -> Value {
    Value::Text(d.to_string())
}

/// The WHERE clause shared by every statement over a spec's group: fixed fragments joined
/// with AND, values bound.
fn filter(spec: &ListSpec, group: &Group) -> (Vec<&'static str>, Vec<Value>) {
    let mut sql = vec![NOT_WITHDRAWN];
    let mut values = Vec::new();
    match &spec.scope {
        Scope::All => {}
        Scope::Area(code) => Group::Area(code.clone()).clause(spec.today, &mut sql, &mut values),
        Scope::Agency(code) => {
            Group::Agency(code.clone()).clause(spec.today, &mut sql, &mut values)
        }
    }
    if spec.overdue {
        Group::State(DisplayState::Overdue).clause(spec.today, &mut sql, &mut values);
    }
    group.clause(spec.today, &mut sql, &mut values);
    (sql, values)
}

/// One group's page: the statement and its values but LIMIT and OFFSET, which come last.
fn page_statement(
    spec: &ListSpec,
    group: &Group,
    bound: Option<(&'static str, ListKey)>,
    backward: bool,
) -> (String, Vec<Value>) {
    let (mut sql, mut values) = filter(spec, group);
    if let Some((clause, k)) = bound {
        sql.push(clause);
        values.push(date(k.due));
        values.push(Value::Integer(k.id));
    }
    let order = if backward {
        "due DESC, id DESC"
    } else {
        "due, id"
    };
    let text = format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE {} ORDER BY {order} LIMIT ? OFFSET ?",
        sql.join(" AND ")
    );
    (text, values)
}

/// Every statement a page can run, for the query-plan tests.
#[cfg(test)]
pub(super) fn page_statements(spec: &ListSpec, group_code: &str) -> Vec<String> {
    let key = ListKey {
        group: 0,
        due: spec.today,
        id: 1,
    };
    let groups = [
        Group::All,
        Group::Area(group_code.into()),
        Group::Agency(group_code.into()),
    ]
    .into_iter()
    .chain(STATE_ORDER.map(Group::State));
    let mut out = Vec::new();
    for group in groups {
        for bound in [None, Some(("(due, id) > (?, ?)", key))] {
            for backward in [false, true] {
                out.push(page_statement(spec, &group, bound, backward).0);
            }
        }
    }
    out
}

impl Store {
    /// The groups of a sort order, in order.
    fn groups(&self, sort: Sort) -> Result<Vec<Group>> {
        Ok(match sort {
            Sort::Due => vec![Group::All],
            Sort::Area => self
                .areas()?
                .into_iter()
                .map(|a| Group::Area(a.code))
                .collect(),
            Sort::Agency => self
                .agencies()?
                .into_iter()
                .map(|a| Group::Agency(a.code))
                .collect(),
            Sort::State => STATE_ORDER.into_iter().map(Group::State).collect(),
        })
    }

    /// A task's place in a sort order (whether or not the spec's filters list it).
    pub fn list_key(&self, spec: &ListSpec, task: &Task) -> Result<ListKey> {
        let group = match spec.sort {
            Sort::Due => 0,
            Sort::Area => self
                .areas()?
                .iter()
                .position(|a| a.code == task.area)
                .unwrap_or(usize::MAX),
            Sort::Agency => self
                .agencies()?
                .iter()
                .position(|a| a.code == task.lead_agency)
                .unwrap_or(usize::MAX),
            Sort::State => {
                let state = task.display_state(spec.today);
                STATE_ORDER.iter().position(|s| *s == state).unwrap_or(0)
            }
        };
        Ok(ListKey {
            group,
            due: task.due,
            id: task.id,
        })
    }

    /// Up to `limit` listed tasks from `page` on, in list order, with their keys.
    pub fn list_page(
        &self,
        spec: &ListSpec,
        page: Page,
        skip: usize,
        limit: usize,
    ) -> Result<Vec<(ListKey, Task)>> {
        let groups = self.groups(spec.sort)?;
        let backward = matches!(page, Page::Last | Page::Before(_));
        let start = match page {
            Page::First => 0,
            Page::Last => groups.len().saturating_sub(1),
            Page::After(k) | Page::From(k) | Page::Before(k) => k.group.min(groups.len()),
        };
        let mut out = Vec::new();
        let mut skip = skip;
        let mut g = start;
        while out.len() < limit && g < groups.len() {
            let bound = match page {
                Page::After(k) if g == k.group => Some(("(due, id) > (?, ?)", k)),
                Page::From(k) if g == k.group => Some(("(due, id) >= (?, ?)", k)),
                Page::Before(k) if g == k.group => Some(("(due, id) < (?, ?)", k)),
                _ => None,
            };
            let (text, mut values) = page_statement(spec, &groups[g], bound, backward);
            values.push(Value::Integer((limit - out.len()) as i64));
            values.push(Value::Integer(skip as i64));
            let mut stmt = self.conn.prepare_cached(&text)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), task_from_row)?;
            let mut read = 0;
            for task in rows {
                let task = task?;
                read += 1;
                out.push((
                    ListKey {
                        group: g,
                        due: task.due,
                        id: task.id,
                    },
                    task,
                ));
            }
            if skip > 0 {
                // What this group did not hold of the skip is skipped in the next ones.
                let held = if read > 0 {
                    skip
                } else {
                    self.group_count(spec, &groups[g], None)?.min(skip)
                };
                skip -= held;
            }
            if backward {
                if g == 0 {
                    break;
                }
                g -= 1;
            } else {
                g += 1;
            }
        }
        if backward {
            out.reverse();
        }
        Ok(out)
    }

    /// How many listed tasks of one group there are (before `below`, when given).
    fn group_count(&self, spec: &ListSpec, group: &Group, below: Option<ListKey>) -> Result<usize> {
        let (mut sql, mut values) = filter(spec, group);
        if let Some(k) = below {
            sql.push("(due, id) < (?, ?)");
            values.push(date(k.due));
            values.push(Value::Integer(k.id));
        }
        let text = format!("SELECT count(*) FROM tasks WHERE {}", sql.join(" AND "));
        let n: i64 = self
            .conn
            .prepare_cached(&text)?
            .query_row(rusqlite::params_from_iter(values.iter()), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The listed tasks among `ids`, in the order given (a search's ranking), kept only when
    /// the spec's scope and overdue filter let them through. The sort is not applied.
    pub fn listed_ids(&self, spec: &ListSpec, ids: &[i64]) -> Result<Vec<i64>> {
        let (mut sql, mut values) = filter(spec, &Group::All);
        sql.push("id IN (SELECT value FROM json_each(?))");
        values.push(Value::Text(
            serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()),
        ));
        // By rowid, not through a filter's index: SQLite cannot tell how few ids json_each
        // holds, and walking the overdue index cost 30 ms at a million tasks for one id.
        let text = format!(
            "SELECT id FROM tasks NOT INDEXED WHERE {}",
            sql.join(" AND ")
        );
        let mut stmt = self.conn.prepare_cached(&text)?;
        let kept: std::collections::HashSet<i64> = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().copied().filter(|id| kept.contains(id)).collect())
    }

    /// Every listed task's id in list order (`V` marks them all).
    pub fn list_ids(&self, spec: &ListSpec) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        for group in self.groups(spec.sort)? {
            let (sql, values) = filter(spec, &group);
            let text = format!(
                "SELECT id FROM tasks WHERE {} ORDER BY due, id",
                sql.join(" AND ")
            );
            let mut stmt = self.conn.prepare_cached(&text)?;
            for id in stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| r.get(0))? {
                ids.push(id?);
            }
        }
        Ok(ids)
    }

    /// The tasks with these ids, in the order given (ids not found are left out).
    pub fn tasks_by_ids(&self, ids: &[i64]) -> Result<Vec<Task>> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks NOT INDEXED WHERE id IN (SELECT value FROM json_each(?1))"
        ))?;
        let mut found: std::collections::HashMap<i64, Task> = stmt
            .query_map([list], task_from_row)?
            .map(|t| t.map(|t| (t.id, t)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The listed tasks per area and lead agency: total, overdue on `today`, done. From the
    /// tally (whole months) and, for the current month, the open tasks due before today.
    pub fn tally(&self, today: NaiveDate) -> Result<Vec<TallyRow>> {
        let month_start = today.with_day(1).unwrap_or(today);
        let month = format!("{:04}-{:02}", today.year(), today.month());
        let mut rows: std::collections::BTreeMap<(String, String), TallyRow> =
            std::collections::BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT area, lead_agency, sum(listed), sum(CASE WHEN month < ?1 THEN listed - done ELSE 0 END), sum(done)
             FROM task_tally GROUP BY area, lead_agency",
        )?;
        let read = stmt.query_map([&month], |r| {
            Ok(TallyRow {
                area: r.get(0)?,
                agency: r.get(1)?,
                total: r.get::<_, i64>(2)? as usize,
                overdue: r.get::<_, i64>(3)? as usize,
                done: r.get::<_, i64>(4)? as usize,
            })
        })?;
        for row in read {
            let row = row?;
            if row.total > 0 {
                rows.insert((row.area.clone(), row.agency.clone()), row);
            }
        }
        let mut stmt = self.conn.prepare_cached(
            // Named: SQLite's own choice, the listed tasks' index, reads every row of the
            // month (120 ms at a million tasks against 19 ms).
            "SELECT area, lead_agency, count(*) FROM tasks INDEXED BY tasks_open_by_due
             WHERE status <> 'done' AND withdrawn_on IS NULL AND due >= ?1 AND due < ?2
             GROUP BY area, lead_agency",
        )?;
        let current = stmt.query_map([date(month_start), date(today)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in current {
            let (area, agency, n) = row?;
            if let Some(r) = rows.get_mut(&(area, agency)) {
                r.overdue += n as usize;
            }
        }
        Ok(rows.into_values().collect())
    }

    /// A number that changes whenever a write could have changed a count of `tally` (a task
    /// added, removed, or its area, agency, due date, status or withdrawal changed).
    pub fn tally_generation(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT n FROM task_tally_generation WHERE id = 1",
            [],
            |r| r.get(0),
        )?)
    }

    /// The largest task id (the list sizes its id column from it).
    pub fn max_task_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM tasks", [], |r| r.get(0))?)
    }
}
