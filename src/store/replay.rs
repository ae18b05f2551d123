//! The log is the truth; the tables are its projection. Replays the change log from the seeded
//! plan and names every row of tasks, notes, measurements and members that differs from what
//! the log implies (a row changed with the sqlite3 shell, not through cchc). The triggers and
//! pinned heads are checked in `guards.rs`.

use std::collections::BTreeMap;

use crate::store::engine::Db;
use serde::Serialize;

use super::Store;
use super::import::IMPORT_UPDATE;
use super::log::{self, LOG_COLUMNS};
use super::seed::seeded_tasks_hash;
use super::writes::{creation_changes, fmt_num};
use crate::error::Result;
use crate::model::{LogEntry, Plan, TaskField};

/// One row (or field) where the file and the log disagree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Divergence {
    pub table: &'static str,
    pub key: String,
    pub field: String,
    pub in_file: String,
    pub log_implies: String,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {}: the file holds {}, the log implies {}",
            self.table,
            self.key,
            self.field,
            crate::untrusted::line(&self.in_file),
            crate::untrusted::line(&self.log_implies)
        )
    }
}

/// What replaying the log found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Replay {
    pub entries: usize,
    pub divergences: Vec<Divergence>,
    /// What could not be checked, and why (history written by an older cchc).
    pub unchecked: Vec<String>,
}

type Fields = BTreeMap<String, Option<String>>;

#[derive(Debug, Clone, PartialEq)]
struct TaskState {
    fields: Fields,
    version: i64,
    updated_by: String,
}

#[derive(Debug, Default)]
struct Projection {
    /// `None`: the task exists but the log does not say what it held (an older cchc's entry).
    tasks: BTreeMap<i64, Option<TaskState>>,
    notes: Vec<(i64, String, String)>,
    measurements: Vec<[String; 6]>,
    members: BTreeMap<String, [String; 3]>,
    /// Older cchc versions logged an import as counts only, and a new task by title only.
    legacy_tasks: usize,
    legacy_measurements: usize,
}

fn show(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(empty)".into())
}

fn new_value(e: &LogEntry, field: &str) -> Option<String> {
    e.changes
        .iter()
        .find(|c| c.field == field)
        .and_then(|c| c.new.clone())
}

impl Projection {
    fn seed(&mut self, e: &LogEntry, plan: Option<&Plan>, unchecked: &mut Vec<String>) {
        let pinned = new_value(e, "tasks_sha256");
        let count: Option<usize> = new_value(e, "tasks").and_then(|n| n.parse().ok());
        let plan = plan.filter(|p| match &pinned {
            Some(h) => *h == seeded_tasks_hash(&p.tasks),
            None => Some(p.tasks.len()) == count,
        });
        match plan {
            Some(plan) => {
                if pinned.is_none() {
                    unchecked.push(
                        "the seed predates its hash: assuming this cchc's plan was seeded".into(),
                    );
                }
                for (i, t) in plan.tasks.iter().enumerate() {
                    let fields = creation_changes(t)
                        .into_iter()
                        .map(|c| (c.field, c.new))
                        .collect();
                    self.tasks.insert(
                        i as i64 + 1,
                        Some(TaskState {
                            fields,
                            version: 1,
                            updated_by: e.user.clone(),
                        }),
                    );
                }
            }
            None => {
                let n = count.unwrap_or(0);
                unchecked.push(format!(
                    "the file was seeded from another version of the plan: its {n} seeded tasks are checked only for rows added or removed"
                ));
                for id in 1..=n as i64 {
                    self.tasks.insert(id, None);
                }
            }
        }
    }

    fn task(&mut self, e: &LogEntry) {
        let Ok(id) = e.entity_id.parse::<i64>() else {
            // An older cchc logged a new task as "new" with its title only.
            if e.action == "create" {
                self.legacy_tasks += 1;
            }
            return;
        };
        if e.action == "create" {
            let fields = TaskField::ALL
                .iter()
                .map(|f| (f.name().to_string(), new_value(e, f.name())))
                .collect();
            self.tasks.insert(
                id,
                Some(TaskState {
                    fields,
                    version: 1,
                    updated_by: e.user.clone(),
                }),
            );
            return;
        }
        if !matches!(
            e.action.as_str(),
            "update" | "undo" | "note" | "withdraw" | IMPORT_UPDATE
        ) {
            return;
        }
        // An undo's and a withdrawal's note explains the entry; it is not a note on the task.
        if let Some(text) = &e.note
            && !matches!(e.action.as_str(), "undo" | "withdraw")
        {
            self.notes.push((id, e.user.clone(), text.clone()));
        }
        // A change to a task whose creation the log does not hold keeps it unknown.
        if let Some(t) = self.tasks.entry(id).or_insert(None) {
            for c in &e.changes {
                t.fields.insert(c.field.clone(), c.new.clone());
            }
            t.version += 1;
            t.updated_by = e.user.clone();
        }
    }

    fn measurement(&mut self, e: &LogEntry) {
        self.measurements.push([
            e.entity_id.clone(),
            new_value(e, "value").unwrap_or_default(),
            new_value(e, "measured_on").unwrap_or_default(),
            new_value(e, "source").unwrap_or_default(),
            e.note.clone().unwrap_or_default(),
            e.user.clone(),
        ]);
    }

    fn member(&mut self, e: &LogEntry) {
        if e.action == "remove" {
            self.members.remove(&e.entity_id);
            return;
        }
        let row = self.members.entry(e.entity_id.clone()).or_insert_with(|| {
            // A member added before logins were recorded was bound to their name.
            [String::new(), String::new(), e.entity_id.clone()]
        });
        for c in &e.changes {
            let slot = match c.field.as_str() {
                "agency" => 0,
                "role" => 1,
                "login" => 2,
                _ => continue,
            };
            row[slot] = c.new.clone().unwrap_or_default();
        }
    }

    fn import(&mut self, e: &LogEntry) {
        // Form 2 imports log each task and measurement as entries of their own; an older
        // import's entry holds only counts.
        if e.login.is_some() {
            return;
        }
        let n = |f| {
            new_value(e, f)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
        };
        self.legacy_tasks += n("created") + n("updated");
        self.legacy_measurements += n("measurements");
    }
}

fn all_entries(conn: &Db) -> Result<Vec<LogEntry>> {
    let mut stmt = conn.prepare(&format!("SELECT {LOG_COLUMNS} FROM change_log ORDER BY id"))?;
    let rows = stmt.query_map((), log::entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn file_tasks(conn: &Db) -> Result<BTreeMap<i64, TaskState>> {
    let mut stmt = conn.prepare(
        "SELECT id, plan_ref, area, lead_agency, coordinating, coordinating_inferred, title,
                detail, output, due, due_assumed, recurrence, status, progress, completed_on,
                version, updated_by
         FROM tasks",
    )?;
    let mut rows = stmt.query(())?;
    let mut out = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let mut fields = Fields::new();
        for (i, f) in TaskField::ALL.iter().enumerate() {
            let v: rusqlite::types::Value = r.get(i + 1)?;
            let text = match v {
                rusqlite::types::Value::Null => String::new(),
                rusqlite::types::Value::Integer(n) if *f == TaskField::DueAssumed => {
                    if n != 0 {
                        "1".into()
                    } else {
                        String::new()
                    }
                }
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Real(x) => fmt_num(x),
                rusqlite::types::Value::Text(s) => s,
                rusqlite::types::Value::Blob(b) => format!("<{} bytes>", b.len()),
            };
            fields.insert(f.name().to_string(), Some(text).filter(|t| !t.is_empty()));
        }
        out.insert(
            r.get(0)?,
            TaskState {
                fields,
                version: r.get(15)?,
                updated_by: r.get(16)?,
            },
        );
    }
    Ok(out)
}

fn strings<const N: usize>(conn: &Db, sql: &str) -> Result<Vec<[String; N]>> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(())?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row: [String; N] = std::array::from_fn(|_| String::new());
        for (i, slot) in row.iter_mut().enumerate() {
            let v: rusqlite::types::Value = r.get(i)?;
            *slot = match v {
                rusqlite::types::Value::Null => String::new(),
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Real(x) => fmt_num(x),
                rusqlite::types::Value::Text(s) => s,
                rusqlite::types::Value::Blob(b) => format!("<{} bytes>", b.len()),
            };
        }
        out.push(row);
    }
    Ok(out)
}

/// Replays the log over `plan` (the plan this cchc seeds; `None` when it cannot be loaded)
/// and compares the result with the tables.
pub(super) fn replay(conn: &Db, plan: Option<&Plan>) -> Result<Replay> {
    let entries = all_entries(conn)?;
    let mut out = Replay {
        entries: entries.len(),
        ..Default::default()
    };
    let mut p = Projection::default();
    for e in &entries {
        match (e.entity.as_str(), e.action.as_str()) {
            ("plan", "seed") => p.seed(e, plan, &mut out.unchecked),
            ("task", _) => p.task(e),
            ("indicator", "measure") => p.measurement(e),
            ("member", _) => p.member(e),
            ("import", "import") => p.import(e),
            _ => {}
        }
    }
    let mut diff = |table, key: String, field: &str, in_file: String, log_implies: String| {
        out.divergences.push(Divergence {
            table,
            key,
            field: field.to_string(),
            in_file,
            log_implies,
        })
    };

    // Tasks.
    let in_file = file_tasks(conn)?;
    for (id, row) in &in_file {
        match p.tasks.get(id) {
            Some(Some(want)) => {
                for f in TaskField::ALL.map(TaskField::name) {
                    let (a, b) = (
                        row.fields.get(f).cloned().flatten(),
                        want.fields.get(f).cloned().flatten(),
                    );
                    if a != b {
                        diff("tasks", id.to_string(), f, show(&a), show(&b));
                    }
                }
                if row.version != want.version {
                    diff(
                        "tasks",
                        id.to_string(),
                        "version",
                        row.version.to_string(),
                        want.version.to_string(),
                    );
                }
                if row.updated_by != want.updated_by {
                    diff(
                        "tasks",
                        id.to_string(),
                        "updated_by",
                        row.updated_by.clone(),
                        want.updated_by.clone(),
                    );
                }
            }
            Some(None) => {}
            None if p.legacy_tasks > 0 => {}
            None => diff(
                "tasks",
                id.to_string(),
                "row",
                "a task".into(),
                "no such task: no entry creates it".into(),
            ),
        }
    }
    for (id, want) in &p.tasks {
        if !in_file.contains_key(id) && want.is_some() {
            diff(
                "tasks",
                id.to_string(),
                "row",
                "no such task".into(),
                "a task".into(),
            );
        }
    }
    if p.legacy_tasks > 0 {
        out.unchecked.push(format!(
            "{} task(s) were created or imported by an older cchc that logged no fields: their rows are not compared field by field, and rows with no creation entry are not reported",
            p.legacy_tasks
        ));
    }

    // Notes, in the order they were written.
    let notes: Vec<[String; 4]> = strings(
        conn,
        "SELECT id, task_id, author, text FROM notes ORDER BY id",
    )?;
    for i in 0..notes.len().max(p.notes.len()) {
        match (notes.get(i), p.notes.get(i)) {
            (Some(n), Some((task, author, text))) => {
                let key = format!("{} (task {})", n[0], n[1]);
                if n[1] != task.to_string() {
                    diff(
                        "notes",
                        key.clone(),
                        "task_id",
                        n[1].clone(),
                        task.to_string(),
                    );
                }
                if n[2] != *author {
                    diff("notes", key.clone(), "author", n[2].clone(), author.clone());
                }
                if n[3] != *text {
                    diff("notes", key, "text", n[3].clone(), text.clone());
                }
            }
            (Some(n), None) => diff(
                "notes",
                format!("{} (task {})", n[0], n[1]),
                "row",
                n[3].clone(),
                "no such note".into(),
            ),
            (None, Some((task, _, text))) => diff(
                "notes",
                format!("#{} (task {task})", i + 1),
                "row",
                "no such note".into(),
                text.clone(),
            ),
            (None, None) => {}
        }
    }

    // Measurements, in the order they were recorded.
    const MEASURED: [&str; 6] = [
        "indicator",
        "value",
        "measured_on",
        "source",
        "note",
        "recorded_by",
    ];
    let rows: Vec<[String; 7]> = strings(
        conn,
        "SELECT id, indicator, value, measured_on, source, note, recorded_by FROM measurements ORDER BY id",
    )?;
    if p.legacy_measurements > 0 {
        out.unchecked.push(format!(
            "{} measurement(s) were imported by an older cchc that logged only their count: measurements are not checked",
            p.legacy_measurements
        ));
    } else {
        for i in 0..rows.len().max(p.measurements.len()) {
            match (rows.get(i), p.measurements.get(i)) {
                (Some(r), Some(want)) => {
                    for (k, f) in MEASURED.iter().enumerate() {
                        if r[k + 1] != want[k] {
                            diff(
                                "measurements",
                                r[0].clone(),
                                f,
                                r[k + 1].clone(),
                                want[k].clone(),
                            );
                        }
                    }
                }
                (Some(r), None) => diff(
                    "measurements",
                    r[0].clone(),
                    "row",
                    format!("{} = {}", r[1], r[2]),
                    "no such measurement".into(),
                ),
                (None, Some(want)) => diff(
                    "measurements",
                    format!("#{}", i + 1),
                    "row",
                    "no such measurement".into(),
                    format!("{} = {}", want[0], want[1]),
                ),
                (None, None) => {}
            }
        }
    }

    // Members.
    let members: Vec<[String; 4]> = strings(
        conn,
        "SELECT name, agency, role, coalesce(login, name) FROM members",
    )?;
    for m in &members {
        match p.members.get(&m[0]) {
            Some(want) => {
                for (k, f) in ["agency", "role", "login"].iter().enumerate() {
                    if m[k + 1] != want[k] {
                        diff(
                            "members",
                            m[0].clone(),
                            f,
                            m[k + 1].clone(),
                            want[k].clone(),
                        );
                    }
                }
            }
            None => diff(
                "members",
                m[0].clone(),
                "row",
                format!("{} ({})", m[2], m[1]),
                "no such member: no entry adds it".into(),
            ),
        }
    }
    for (name, want) in &p.members {
        if !members.iter().any(|m| &m[0] == name) {
            diff(
                "members",
                name.clone(),
                "row",
                "no such member".into(),
                format!("{} ({})", want[1], want[0]),
            );
        }
    }
    Ok(out)
}

impl Store {
    /// Replays the change log from the seeded `plan` and compares it with the tables.
    pub fn replay(&self, plan: Option<&Plan>) -> Result<Replay> {
        replay(&self.conn, plan)
    }
}
