//! The task list a window at a time (issue 11): keyset pages over indexes in each sort order,
//! the tasks of a search by id (the navigation pane's counts are in `tally.rs`). Every answer
//! costs about what it returns, not what the file holds, so the TUI needs no copy of the tasks.
//!
//! A sort order is a sequence of groups (one for "due", the areas or the lead agencies in plan
//! order, the display states, or overdue then the rest for "days late"), each read in (due, id)
//! order through an index; a row's place is its [`ListKey`] (group, due, id). A reversed list
//! reads the same pages from the other end. The orders no index serves (number, title,
//! progress) are read as one ordered id list instead ([`Store::list_order`]), as a search's
//! hits are: their cost grows with the list, which the province's few thousand tasks allow.

use chrono::NaiveDate;
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
    /// The order reversed.
    pub reverse: bool,
    pub today: NaiveDate,
}

/// Whether the list in this order is read a page at a time (its groups have an index in (due,
/// id) order); the others are read as an ordered id list (`Store::list_order`).
pub fn paged(sort: Sort) -> bool {
    !matches!(sort, Sort::Id | Sort::Title | Sort::Progress)
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
    /// Rows up to this key, the key's own row included when it is listed, in list order.
    Through(ListKey),
}

impl Page {
    /// The same page of the list read from its other end (a reversed list).
    fn mirrored(self) -> Page {
        match self {
            Page::First => Page::Last,
            Page::Last => Page::First,
            Page::After(k) => Page::Before(k),
            Page::Before(k) => Page::After(k),
            Page::From(k) => Page::Through(k),
            Page::Through(k) => Page::From(k),
        }
    }
}

/// One group of a sort order, as a WHERE fragment and its values.
#[derive(Debug, Clone)]
enum Group {
    All,
    Area(String),
    Agency(String),
    State(DisplayState),
    /// Every task not overdue today (after the overdue ones, by days late).
    NotOverdue,
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
                    sql.push(OVERDUE);
                    values.push(date(today));
                }
                DisplayState::InProgress => {
                    sql.push(IN_PROGRESS);
                    values.push(date(today));
                }
                DisplayState::NotStarted => {
                    sql.push(NOT_STARTED);
                    values.push(date(today));
                }
                DisplayState::DoneLate => sql.push("status = 'done' AND completed_on > due"),
                DisplayState::DoneOnTime => {
                    sql.push("status = 'done' AND (completed_on IS NULL OR completed_on <= due)")
                }
            },
            Group::NotOverdue => {
                sql.push(NOT_OVERDUE);
                values.push(date(today));
            }
        }
    }
}

// The states that depend on the day, and the same with their date term kept out of the index
// range (`+due`), for `keyset_range`.
const OVERDUE: &str = "status <> 'done' AND due < ?";
const OVERDUE_FILTER_ONLY: &str = "status <> 'done' AND +due < ?";
const IN_PROGRESS: &str =
    "status <> 'done' AND due >= ? AND (status <> 'not-started' OR progress > 0)";
const IN_PROGRESS_FILTER_ONLY: &str =
    "status <> 'done' AND +due >= ? AND (status <> 'not-started' OR progress > 0)";
const NOT_STARTED: &str = "status = 'not-started' AND progress = 0 AND due >= ?";
const NOT_STARTED_FILTER_ONLY: &str = "status = 'not-started' AND progress = 0 AND +due >= ?";
const NOT_OVERDUE: &str = "(status = 'done' OR due >= ?)";

/// A keyset bound must be the end of the index range on its side. SQLite takes one upper (or
/// lower) bound on `due`, and with the overdue filter it took `due < today` over `(due, id) <
/// key`, then walked every overdue row of the group back down to the key: 350,000 VM steps
/// for a page at a million tasks, against 50 (the same for `due >= today` of the in-progress
/// and not-started states against a page forward). The filter's term on the bound's side
/// stays a filter only.
fn keyset_range(clause: &'static str, upper: bool) -> &'static str {
    match (clause, upper) {
        (OVERDUE, true) => OVERDUE_FILTER_ONLY,
        (IN_PROGRESS, false) => IN_PROGRESS_FILTER_ONLY,
        (NOT_STARTED, false) => NOT_STARTED_FILTER_ONLY,
        _ => clause,
    }
}

pub(super) fn date(d: NaiveDate) -> Value {
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
        let upper = clause.contains('<');
        for term in &mut sql {
            *term = keyset_range(term, upper);
        }
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
        Group::NotOverdue,
    ]
    .into_iter()
    .chain(STATE_ORDER.map(Group::State));
    let mut out = Vec::new();
    for group in groups {
        for bound in [
            None,
            Some(("(due, id) > (?, ?)", key)),
            Some(("(due, id) < (?, ?)", key)),
        ] {
            for backward in [false, true] {
                out.push(page_statement(spec, &group, bound, backward).0);
            }
        }
    }
    out
}

/// A backward page of every listed task before `key`, with its values and LIMIT/OFFSET bound.
#[cfg(test)]
pub(super) fn page_before(spec: &ListSpec, key: ListKey, limit: i64) -> (String, Vec<Value>) {
    let (text, mut values) =
        page_statement(spec, &Group::All, Some(("(due, id) < (?, ?)", key)), true);
    values.push(Value::Integer(limit));
    values.push(Value::Integer(0));
    (text, values)
}

impl Store {
    /// The groups of a sort order, in order.
    fn groups(&self, sort: Sort) -> Result<Vec<Group>> {
        Ok(match sort {
            Sort::Due => vec![Group::All],
            Sort::Area => self
                .group_codes(sort)?
                .into_iter()
                .map(Group::Area)
                .collect(),
            Sort::Agency => self
                .group_codes(sort)?
                .into_iter()
                .map(Group::Agency)
                .collect(),
            Sort::State => STATE_ORDER.into_iter().map(Group::State).collect(),
            Sort::Late => vec![Group::State(DisplayState::Overdue), Group::NotOverdue],
            // Read as an id list (`list_order`); pages in due order if asked.
            Sort::Id | Sort::Title | Sort::Progress => vec![Group::All],
        })
    }

    /// The area or agency codes in plan order, as `areas()` and `agencies()` list them. Only
    /// the codes: every page and key reads them, and decoding the 86 agencies whole cost
    /// about 0.1 ms a time (the names are not needed here).
    fn group_codes(&self, sort: Sort) -> Result<Vec<String>> {
        let sql = match sort {
            Sort::Area => "SELECT code FROM areas ORDER BY position",
            Sort::Agency => "SELECT code FROM agencies ORDER BY position, code",
            _ => return Ok(Vec::new()),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let codes = stmt
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(codes)
    }

    /// A task's place in a sort order (whether or not the spec's filters list it).
    pub fn list_key(&self, spec: &ListSpec, task: &Task) -> Result<ListKey> {
        let group = match spec.sort {
            Sort::Due => 0,
            Sort::Area => self
                .group_codes(spec.sort)?
                .iter()
                .position(|code| *code == task.area)
                .unwrap_or(usize::MAX),
            Sort::Agency => self
                .group_codes(spec.sort)?
                .iter()
                .position(|code| *code == task.lead_agency)
                .unwrap_or(usize::MAX),
            Sort::State => {
                let state = task.display_state(spec.today);
                STATE_ORDER.iter().position(|s| *s == state).unwrap_or(0)
            }
            Sort::Late => usize::from(!task.is_overdue(spec.today)),
            Sort::Id | Sort::Title | Sort::Progress => 0,
        };
        Ok(ListKey {
            group,
            due: task.due,
            id: task.id,
        })
    }

    /// Up to `limit` listed tasks from `page` on, in list order, with their keys. A reversed
    /// list's page is the mirrored page of the list in its own order, read backwards.
    pub fn list_page(
        &self,
        spec: &ListSpec,
        page: Page,
        skip: usize,
        limit: usize,
    ) -> Result<Vec<(ListKey, Task)>> {
        if !spec.reverse {
            return self.page_in_order(spec, page, skip, limit);
        }
        let mut rows = self.page_in_order(spec, page.mirrored(), skip, limit)?;
        rows.reverse();
        Ok(rows)
    }

    fn page_in_order(
        &self,
        spec: &ListSpec,
        page: Page,
        skip: usize,
        limit: usize,
    ) -> Result<Vec<(ListKey, Task)>> {
        let groups = self.groups(spec.sort)?;
        let backward = matches!(page, Page::Last | Page::Before(_) | Page::Through(_));
        let start = match page {
            Page::First => 0,
            Page::Last => groups.len().saturating_sub(1),
            Page::After(k) | Page::From(k) | Page::Before(k) | Page::Through(k) => {
                k.group.min(groups.len())
            }
        };
        let mut out = Vec::new();
        let mut skip = skip;
        let mut g = start;
        while out.len() < limit && g < groups.len() {
            let bound = match page {
                Page::After(k) if g == k.group => Some(("(due, id) > (?, ?)", k)),
                Page::From(k) if g == k.group => Some(("(due, id) >= (?, ?)", k)),
                Page::Before(k) if g == k.group => Some(("(due, id) < (?, ?)", k)),
                Page::Through(k) if g == k.group => Some(("(due, id) <= (?, ?)", k)),
                _ => None,
            };
            let (text, mut values) = page_statement(spec, &groups[g], bound, backward);
            values.push(Value::Integer((limit - out.len()) as i64));
            values.push(Value::Integer(skip as i64));
            let mut stmt = self.conn.prepare_cached(&text)?;
            let rows = stmt.query_map(
                crate::store::engine::params_from_iter(values.iter()),
                task_from_row,
            )?;
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
                // What this group did not hold of the skip is skipped in the next ones: the
                // rows on the page's side of its bound, when the bound is in this group.
                let held = if read > 0 {
                    skip
                } else {
                    self.group_count(spec, &groups[g], bound)?.min(skip)
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

    /// How many listed tasks of one group there are (on the page's side of `bound`, when
    /// given).
    fn group_count(
        &self,
        spec: &ListSpec,
        group: &Group,
        bound: Option<(&'static str, ListKey)>,
    ) -> Result<usize> {
        let (mut sql, mut values) = filter(spec, group);
        if let Some((clause, k)) = bound {
            sql.push(clause);
            values.push(date(k.due));
            values.push(Value::Integer(k.id));
        }
        let text = format!("SELECT count(*) FROM tasks WHERE {}", sql.join(" AND "));
        let n: i64 = self
            .conn
            .prepare_cached(&text)?
            .query_row(crate::store::engine::params_from_iter(values.iter()), |r| {
                r.get(0)
            })?;
        Ok(n as usize)
    }

    /// The listed tasks among `ids`, in the order given (a search's ranking), kept only when
    /// the spec's scope and overdue filter let them through. The sort is not applied.
    pub fn listed_ids(&self, spec: &ListSpec, ids: &[i64]) -> Result<Vec<i64>> {
        let (mut sql, mut values) = filter(spec, &Group::All);
        sql.push("id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))");
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
            .query_map(crate::store::engine::params_from_iter(values.iter()), |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().copied().filter(|id| kept.contains(id)).collect())
    }

    /// Every listed task's id in list order (`V` marks them all; the orders without pages
    /// list their tasks this way).
    pub fn list_ids(&self, spec: &ListSpec) -> Result<Vec<i64>> {
        let mut ids = self.ids_in_order(spec)?;
        if spec.reverse {
            ids.reverse();
        }
        Ok(ids)
    }

    fn ids_in_order(&self, spec: &ListSpec) -> Result<Vec<i64>> {
        if spec.sort == Sort::Title {
            return self.ids_by_title(spec);
        }
        let order = match spec.sort {
            Sort::Id => Some("id"),
            Sort::Progress => Some("progress, due, id"),
            _ => None,
        };
        if let Some(order) = order {
            let (sql, values) = filter(spec, &Group::All);
            let text = format!(
                "SELECT id FROM tasks WHERE {} ORDER BY {order}",
                sql.join(" AND ")
            );
            let mut stmt = self.conn.prepare_cached(&text)?;
            let ids = stmt
                .query_map(crate::store::engine::params_from_iter(values.iter()), |r| {
                    r.get(0)
                })?
                .collect::<rusqlite::Result<_>>()?;
            return Ok(ids);
        }
        let mut ids = Vec::new();
        for group in self.groups(spec.sort)? {
            let (sql, values) = filter(spec, &group);
            let text = format!(
                "SELECT id FROM tasks WHERE {} ORDER BY due, id",
                sql.join(" AND ")
            );
            let mut stmt = self.conn.prepare_cached(&text)?;
            for id in stmt
                .query_map(crate::store::engine::params_from_iter(values.iter()), |r| {
                    r.get(0)
                })?
            {
                ids.push(id?);
            }
        }
        Ok(ids)
    }

    /// By title as a reader orders them, without case or diacritics ("Đánh giá" among the
    /// D), which no collation of either engine gives: sorted here.
    fn ids_by_title(&self, spec: &ListSpec) -> Result<Vec<i64>> {
        let (sql, values) = filter(spec, &Group::All);
        let text = format!(
            "SELECT id, title, due FROM tasks WHERE {}",
            sql.join(" AND ")
        );
        let mut stmt = self.conn.prepare_cached(&text)?;
        let mut rows: Vec<(String, NaiveDate, i64)> = stmt
            .query_map(crate::store::engine::params_from_iter(values.iter()), |r| {
                let title: String = r.get(1)?;
                Ok((crate::text::fold(&title), r.get(2)?, r.get(0)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort_unstable();
        Ok(rows.into_iter().map(|(_, _, id)| id).collect())
    }

    /// `ids` (a search's hits) in the spec's order, by the same key as the list's
    /// (`Sort::key`), reversed when the spec says so.
    pub fn order_ids(&self, spec: &ListSpec, ids: &[i64]) -> Result<Vec<i64>> {
        let rank = |sort: Sort| -> Result<std::collections::HashMap<String, usize>> {
            Ok(self
                .group_codes(sort)?
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c, i))
                .collect())
        };
        let (areas, agencies) = (rank(Sort::Area)?, rank(Sort::Agency)?);
        let mut tasks = self.tasks_by_ids(ids)?;
        tasks.sort_by_cached_key(|t| {
            spec.sort.key(
                t,
                spec.today,
                areas.get(&t.area).copied().unwrap_or(usize::MAX),
                agencies.get(&t.lead_agency).copied().unwrap_or(usize::MAX),
            )
        });
        let mut out: Vec<i64> = tasks.iter().map(|t| t.id).collect();
        if spec.reverse {
            out.reverse();
        }
        Ok(out)
    }

    /// The tasks with these ids, in the order given (ids not found are left out).
    pub fn tasks_by_ids(&self, ids: &[i64]) -> Result<Vec<Task>> {
        let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks NOT INDEXED WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1))"
        ))?;
        let mut found: std::collections::HashMap<i64, Task> = stmt
            .query_map([list], task_from_row)?
            .map(|t| t.map(|t| (t.id, t)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Every task `filter` keeps, in `sort`'s order on `today` (its groups one after another,
    /// each by due date, then id), handed to `each` as SQLite reads them: nothing is held, so
    /// a million tasks take the memory of one. The order comes from the list's indexes where
    /// the filter lets SQLite use them (a filter on several agencies, or on ids, has SQLite
    /// sort, in its own bounded memory). Callers that read the list twice, or want one state
    /// of the file throughout, hold a [`Store::snapshot`]. `reverse` gives the same list
    /// backwards (a view's `reverse`), read from the same indexes the other way.
    pub fn each_task(
        &self,
        filter: &super::TaskFilter,
        sort: Sort,
        reverse: bool,
        today: NaiveDate,
        each: &mut dyn FnMut(Task) -> Result<()>,
    ) -> Result<()> {
        let (clauses, values) = super::reads::ordered_clauses(filter);
        let mut groups = self.groups(sort)?;
        if reverse {
            groups.reverse();
        }
        let order = if reverse {
            "due DESC, id DESC"
        } else {
            "due, id"
        };
        for group in groups {
            let (mut sql, mut values) = (clauses.clone(), values.clone());
            sql.push(NOT_WITHDRAWN);
            group.clause(today, &mut sql, &mut values);
            let text = format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE {} ORDER BY {order}",
                sql.join(" AND ")
            );
            let mut stmt = self.conn.prepare_cached(&text)?;
            let mut rows = stmt.query(crate::store::engine::params_from_iter(values.iter()))?;
            while let Some(row) = rows.next()? {
                each(task_from_row(&row)?)?;
            }
        }
        Ok(())
    }

    /// The largest task id (the list sizes its id column from it).
    pub fn max_task_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM tasks", (), |r| r.get(0))?)
    }
}
