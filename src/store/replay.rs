//! The log is the truth; the tables are its projection. Replays the change log from the seeded
//! plan and names every row and column that differs from what the log implies (a row changed
//! with the sqlite3 shell or psql, not through cchc): tasks (every field, the withdrawal, the
//! version, who and when), notes, measurements, members, agencies (and where to reach them),
//! the letters urging agencies and their mail, and what only the seed writes (areas,
//! indicators and their targets, `meta`); the tally is checked against the tasks. Each entry's
//! shape is checked too: a form or shape cchc never writes, or a time that goes back, is named.
//! The triggers and pinned heads are checked in `guards.rs`.

use std::collections::BTreeMap;

use crate::store::engine::Db;
use chrono::{DateTime, Utc};
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

/// How far an entry's time may fall behind an earlier entry's: a clock stepped back by its
/// time service. More is a write made with a clock set back (`faketime`) or an edited time.
const CLOCK_SKEW_SECS: i64 = 120;

/// Before form 3 a write stamped its rows with its own reading of the clock, a moment after
/// (or, for a measurement, before) its entry's: the row's time must be this close to it.
const OLD_FORM_SLACK_SECS: i64 = 600;

type Fields = BTreeMap<String, Option<String>>;

/// When an entry says a row was written: its instant, exactly from form 3 on.
#[derive(Debug, Clone, PartialEq)]
struct Stamp {
    at: String,
    exact: bool,
}

impl Stamp {
    fn of(e: &Entry) -> Stamp {
        Stamp {
            at: e.log.at.clone(),
            exact: e.form >= 3,
        }
    }

    /// Whether a row's stored time agrees with this stamp.
    fn matches(&self, stored: &str) -> bool {
        if self.exact {
            return stored == self.at;
        }
        match (instant(stored), instant(&self.at)) {
            (Some(a), Some(b)) => (a - b).num_seconds().abs() <= OLD_FORM_SLACK_SECS,
            _ => false,
        }
    }
}

fn instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[derive(Debug, Clone, PartialEq)]
struct TaskState {
    fields: Fields,
    withdrawn_on: Option<String>,
    version: i64,
    updated_by: String,
    updated_at: Stamp,
    change_seq: i64,
}

#[derive(Debug, Clone)]
struct NoteRow {
    task: i64,
    author: String,
    at: Stamp,
    text: String,
}

#[derive(Debug, Clone)]
struct MeasureRow {
    /// indicator, value, measured_on, source, note, recorded_by
    values: [String; 6],
    at: Stamp,
}

#[derive(Debug, Clone)]
struct MemberRow {
    /// agency, role, login
    values: [String; 3],
    added_by: String,
    added_at: Stamp,
}

#[derive(Debug, Clone)]
struct AgencyRow {
    /// name, kind, position, added_on, added_by, email, addressee
    values: [String; 7],
}

#[derive(Debug, Clone)]
struct ReminderRow {
    /// agency, period, tasks, respond_by, made_on, made_by, mailed_to, message_id
    values: [String; 8],
    made_at: Stamp,
    mailed_at: Option<Stamp>,
}

/// A change-log entry with the form it was written in.
struct Entry {
    log: LogEntry,
    form: i64,
    undo_of: Option<i64>,
}

#[derive(Default)]
struct Projection {
    /// `None`: the task exists but the log does not say what it held (an older cchc's entry).
    tasks: BTreeMap<i64, Option<TaskState>>,
    notes: Vec<NoteRow>,
    measurements: Vec<MeasureRow>,
    members: BTreeMap<String, MemberRow>,
    agencies: BTreeMap<String, AgencyRow>,
    reminders: BTreeMap<i64, ReminderRow>,
    /// Who may urge agencies, as the log set it (`None`: never set).
    remind_by: Option<String>,
    /// Each member's last refused entry: its id and time.
    refusals: BTreeMap<String, Vec<String>>,
    /// What the seed pinned and wrote, when it was this cchc's plan.
    plan: Option<Plan>,
    /// The file id and time zone the seed logged (form 3 on).
    file_id: Option<String>,
    time_zone: Option<String>,
    seed_logged_meta: bool,
    /// Older cchc versions logged an import as counts only, and a new task by title only.
    legacy_tasks: usize,
    legacy_measurements: usize,
    legacy_agencies: usize,
    /// Entries that are not what cchc writes, and times that go back.
    shape: Vec<Divergence>,
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

/// The actions cchc writes for each entity.
fn known_action(entity: &str, action: &str) -> bool {
    matches!(
        (entity, action),
        ("plan", "seed")
            | (
                "task",
                "create" | "update" | "note" | "undo" | "withdraw" | IMPORT_UPDATE
            )
            | ("indicator", "measure")
            | ("member", "add" | "update" | "remove")
            | ("agency", "add" | "rename" | "update")
            | ("reminder", "letter" | "mail")
            | ("import", "import")
            | ("access", "refused")
            | ("meta", "set")
    )
}

impl Projection {
    fn odd(&mut self, e: &Entry, field: &str, in_file: String, log_implies: &str) {
        self.shape.push(Divergence {
            table: "change_log",
            key: format!("#{}", e.log.id),
            field: field.to_string(),
            in_file,
            log_implies: log_implies.to_string(),
        });
    }

    /// What cchc never writes: an unknown action, a form-2 entry with no login, a parent
    /// that is not an import, an undo of nothing, a second seed.
    fn check_shape(&mut self, e: &Entry, imports: &[i64]) {
        let log = &e.log;
        if !known_action(&log.entity, &log.action) {
            self.odd(
                e,
                "action",
                format!("{} {}", log.entity, log.action),
                "an action cchc writes",
            );
        }
        if e.form >= 2 && (log.uid.is_none() || log.login.is_none()) {
            self.odd(
                e,
                "login",
                "(none)".into(),
                "the uid and login of the process that wrote it (every entry since form 2 has them)",
            );
        }
        if let Some(parent) = log.parent {
            let child = matches!(
                (log.entity.as_str(), log.action.as_str()),
                ("task", "create" | IMPORT_UPDATE) | ("indicator", "measure") | ("agency", "add")
            );
            if !child || !imports.contains(&parent) {
                self.odd(
                    e,
                    "parent",
                    parent.to_string(),
                    "an earlier import's entry, on a task, measurement or agency it wrote",
                );
            }
        }
        if (log.action == "undo") != e.undo_of.is_some() || e.undo_of.is_some_and(|u| u >= log.id) {
            self.odd(
                e,
                "undo_of",
                e.undo_of.map_or("(none)".into(), |u| u.to_string()),
                "an earlier entry, on an undo only",
            );
        }
        if (log.action == "seed") != (log.id == 1) {
            self.odd(
                e,
                "action",
                log.action.clone(),
                "the seed as the first entry, and only there",
            );
        }
    }

    fn seed(&mut self, e: &Entry, plan: Option<&Plan>, unchecked: &mut Vec<String>) {
        let log = &e.log;
        let pinned = new_value(log, "tasks_sha256");
        let count: Option<usize> = new_value(log, "tasks").and_then(|n| n.parse().ok());
        let plan = plan.filter(|p| match &pinned {
            Some(h) => *h == seeded_tasks_hash(&p.tasks),
            None => Some(p.tasks.len()) == count,
        });
        self.seed_logged_meta = e.form >= 3;
        self.file_id = new_value(log, "file_id");
        self.time_zone = new_value(log, "time_zone");
        let stamp = Stamp::of(e);
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
                            withdrawn_on: None,
                            version: 1,
                            updated_by: log.user.clone(),
                            updated_at: stamp.clone(),
                            change_seq: log.id,
                        }),
                    );
                }
                for (i, a) in plan.agencies.iter().enumerate() {
                    self.agencies.insert(
                        a.code.clone(),
                        AgencyRow {
                            values: [
                                a.name.clone(),
                                a.kind.as_str().into(),
                                i.to_string(),
                                String::new(),
                                String::new(),
                                String::new(),
                                String::new(),
                            ],
                        },
                    );
                }
                self.plan = Some(plan.clone());
            }
            None => {
                let n = count.unwrap_or(0);
                unchecked.push(format!(
                    "the file was seeded from another version of the plan: its {n} seeded tasks are checked only for rows added or removed, and its areas, agencies, indicators and targets are not compared"
                ));
                for id in 1..=n as i64 {
                    self.tasks.insert(id, None);
                }
            }
        }
    }

    fn task(&mut self, e: &Entry) {
        let log = &e.log;
        let Ok(id) = log.entity_id.parse::<i64>() else {
            // An older cchc logged a new task as "new" with its title only.
            if log.action == "create" {
                self.legacy_tasks += 1;
            }
            return;
        };
        if log.action == "create" {
            let fields = TaskField::ALL
                .iter()
                .map(|f| (f.name().to_string(), new_value(log, f.name())))
                .collect();
            self.tasks.insert(
                id,
                Some(TaskState {
                    fields,
                    withdrawn_on: None,
                    version: 1,
                    updated_by: log.user.clone(),
                    updated_at: Stamp::of(e),
                    change_seq: log.id,
                }),
            );
            return;
        }
        // An undo's and a withdrawal's note explains the entry; it is not a note on the task.
        if let Some(text) = &log.note
            && !matches!(log.action.as_str(), "undo" | "withdraw")
        {
            self.notes.push(NoteRow {
                task: id,
                author: log.user.clone(),
                at: Stamp::of(e),
                text: text.clone(),
            });
        }
        // A change to a task whose creation the log does not hold keeps it unknown.
        if let Some(t) = self.tasks.entry(id).or_insert(None) {
            for c in &log.changes {
                if c.field == "withdrawn_on" {
                    t.withdrawn_on = c.new.clone();
                } else {
                    t.fields.insert(c.field.clone(), c.new.clone());
                }
            }
            t.version += 1;
            t.updated_by = log.user.clone();
            t.updated_at = Stamp::of(e);
            t.change_seq = log.id;
        }
    }

    fn measurement(&mut self, e: &Entry) {
        let log = &e.log;
        self.measurements.push(MeasureRow {
            values: [
                log.entity_id.clone(),
                new_value(log, "value").unwrap_or_default(),
                new_value(log, "measured_on").unwrap_or_default(),
                new_value(log, "source").unwrap_or_default(),
                log.note.clone().unwrap_or_default(),
                log.user.clone(),
            ],
            at: Stamp::of(e),
        });
    }

    fn member(&mut self, e: &Entry) {
        let log = &e.log;
        if log.action == "remove" {
            self.members.remove(&log.entity_id);
            return;
        }
        let row = self
            .members
            .entry(log.entity_id.clone())
            .or_insert_with(|| MemberRow {
                // A member added before logins were recorded was bound to their name.
                values: [String::new(), String::new(), log.entity_id.clone()],
                added_by: log.user.clone(),
                added_at: Stamp::of(e),
            });
        for c in &log.changes {
            let slot = match c.field.as_str() {
                "agency" => 0,
                "role" => 1,
                "login" => 2,
                _ => continue,
            };
            row.values[slot] = c.new.clone().unwrap_or_default();
        }
    }

    fn agency(&mut self, e: &Entry) {
        let log = &e.log;
        let name = new_value(log, "name").unwrap_or_default();
        if log.action == "rename" {
            if let Some(a) = self.agencies.get_mut(&log.entity_id) {
                a.values[0] = name;
            }
            return;
        }
        if log.action == "update" {
            if let Some(a) = self.agencies.get_mut(&log.entity_id) {
                for c in &log.changes {
                    let slot = match c.field.as_str() {
                        "name" => 0,
                        "email" => 5,
                        "addressee" => 6,
                        _ => continue,
                    };
                    a.values[slot] = c.new.clone().unwrap_or_default();
                }
            }
            return;
        }
        let position = self
            .agencies
            .values()
            .filter_map(|a| a.values[2].parse::<i64>().ok())
            .max()
            .unwrap_or(0)
            + 1;
        self.agencies.insert(
            log.entity_id.clone(),
            AgencyRow {
                values: [
                    name,
                    new_value(log, "kind").unwrap_or_default(),
                    position.to_string(),
                    new_value(log, "added_on").unwrap_or_default(),
                    log.user.clone(),
                    new_value(log, "email").unwrap_or_default(),
                    new_value(log, "addressee").unwrap_or_default(),
                ],
            },
        );
    }

    fn reminder(&mut self, e: &Entry) {
        let log = &e.log;
        let Ok(id) = log.entity_id.parse::<i64>() else {
            return self.odd(e, "entity_id", log.entity_id.clone(), "a reminder's number");
        };
        let value = |f| new_value(log, f).unwrap_or_default();
        if log.action == "letter" {
            self.reminders.insert(
                id,
                ReminderRow {
                    values: [
                        value("agency"),
                        value("period"),
                        value("tasks"),
                        value("respond_by"),
                        value("made_on"),
                        log.user.clone(),
                        String::new(),
                        String::new(),
                    ],
                    made_at: Stamp::of(e),
                    mailed_at: None,
                },
            );
            return;
        }
        match self.reminders.get_mut(&id) {
            Some(r) if r.mailed_at.is_none() => {
                r.values[6] = value("mailed_to");
                r.values[7] = value("message_id");
                r.mailed_at = Some(Stamp::of(e));
            }
            _ => self.odd(
                e,
                "entity_id",
                log.entity_id.clone(),
                "a letter made earlier and not yet mailed",
            ),
        }
    }

    fn import(&mut self, e: &Entry) {
        // Since form 2 an import logs each task and measurement as entries of their own, and
        // since form 3 each agency it adds; an older import's entry holds only counts.
        let n = |f| {
            new_value(&e.log, f)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
        };
        if e.form < 3 {
            self.legacy_agencies += n("agencies");
        }
        if e.form >= 2 {
            return;
        }
        self.legacy_tasks += n("created") + n("updated");
        self.legacy_measurements += n("measurements");
    }

    /// Times that go back beyond the clock's skew, or lie ahead of `now` (by the store's clock).
    fn check_times(&mut self, entries: &[Entry], now: DateTime<Utc>) {
        let mut latest: Option<(i64, DateTime<Utc>)> = None;
        for e in entries {
            let Some(at) = instant(&e.log.at).filter(|_| {
                e.form < 3
                    || chrono::NaiveDateTime::parse_from_str(&e.log.at, log::STAMP_FORMAT).is_ok()
            }) else {
                self.odd(
                    e,
                    "at",
                    e.log.at.clone(),
                    "an instant as cchc writes it (2026-12-01T08:30:00.000Z)",
                );
                continue;
            };
            if (at - now).num_seconds() > CLOCK_SKEW_SECS {
                self.odd(e, "at", e.log.at.clone(), "a time that has come");
            }
            if let Some((id, before)) = latest
                && (before - at).num_seconds() > CLOCK_SKEW_SECS
            {
                self.odd(
                    e,
                    "at",
                    e.log.at.clone(),
                    &format!(
                        "a time no earlier than entry #{id}'s ({}), less the clock's skew of {CLOCK_SKEW_SECS} s",
                        before.format(log::STAMP_FORMAT)
                    ),
                );
            }
            if latest.is_none_or(|(_, t)| at > t) {
                latest = Some((e.log.id, at));
            }
        }
    }
}

fn all_entries(conn: &Db) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(&format!("SELECT {LOG_COLUMNS} FROM change_log ORDER BY id"))?;
    let rows = stmt.query_map((), |r| {
        Ok(Entry {
            log: log::entry_from_row(r)?,
            undo_of: r.get(9)?,
            form: r.get(14)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A cell as text, the way the log spells values: NULL and '' alike as empty.
fn text(v: rusqlite::types::Value) -> String {
    match v {
        rusqlite::types::Value::Null => String::new(),
        rusqlite::types::Value::Integer(n) => n.to_string(),
        rusqlite::types::Value::Real(x) => fmt_num(x),
        rusqlite::types::Value::Text(s) => s,
        rusqlite::types::Value::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

/// The task rows as stored, with their bookkeeping columns.
fn file_tasks(conn: &Db) -> Result<BTreeMap<i64, TaskState>> {
    let mut stmt = conn.prepare(
        "SELECT id, plan_ref, area, lead_agency, coordinating, coordinating_inferred, title,
                detail, output, due, due_assumed, recurrence, status, progress, completed_on,
                version, updated_by, updated_at, change_seq, withdrawn_on
         FROM tasks",
    )?;
    let mut rows = stmt.query(())?;
    let mut out = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let mut fields = Fields::new();
        for (i, f) in TaskField::ALL.iter().enumerate() {
            let v: rusqlite::types::Value = r.get(i + 1)?;
            let text = match v {
                rusqlite::types::Value::Integer(n) if *f == TaskField::DueAssumed => {
                    if n != 0 {
                        "1".into()
                    } else {
                        String::new()
                    }
                }
                other => text(other),
            };
            fields.insert(f.name().to_string(), Some(text).filter(|t| !t.is_empty()));
        }
        let withdrawn: rusqlite::types::Value = r.get(19)?;
        out.insert(
            r.get(0)?,
            TaskState {
                fields,
                withdrawn_on: Some(text(withdrawn)).filter(|t| !t.is_empty()),
                version: r.get(15)?,
                updated_by: r.get(16)?,
                updated_at: Stamp {
                    at: r.get(17)?,
                    exact: true,
                },
                change_seq: r.get(18)?,
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
            *slot = text(r.get(i)?);
        }
        out.push(row);
    }
    Ok(out)
}

/// Collects differences; the first argument names the table.
struct Diffs<'a>(&'a mut Vec<Divergence>);

impl Diffs<'_> {
    fn add(
        &mut self,
        table: &'static str,
        key: String,
        field: &str,
        in_file: String,
        log_implies: String,
    ) {
        self.0.push(Divergence {
            table,
            key,
            field: field.to_string(),
            in_file,
            log_implies,
        });
    }

    /// Compares named columns of one row.
    fn row(
        &mut self,
        table: &'static str,
        key: &str,
        names: &[&str],
        file: &[String],
        want: &[String],
    ) {
        let shown = |v: &String| show(&Some(v.clone()).filter(|v| !v.is_empty()));
        for ((name, a), b) in names.iter().zip(file).zip(want) {
            if a != b {
                self.add(table, key.to_string(), name, shown(a), shown(b));
            }
        }
    }

    /// Compares a table keyed by its first column with the rows expected.
    fn keyed<const N: usize>(
        &mut self,
        table: &'static str,
        names: &[&str],
        file: &[[String; N]],
        want: &BTreeMap<String, Vec<String>>,
    ) {
        for row in file {
            match want.get(&row[0]) {
                Some(w) => self.row(table, &row[0], &names[1..], &row[1..], w),
                None => self.add(
                    table,
                    row[0].clone(),
                    "row",
                    row[1..].join(" · "),
                    "no such row: no entry and no seed makes it".into(),
                ),
            }
        }
        for (key, w) in want {
            if !file.iter().any(|r| &r[0] == key) {
                self.add(
                    table,
                    key.clone(),
                    "row",
                    "no such row".into(),
                    w.join(" · "),
                );
            }
        }
    }
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
    let mut imports = Vec::new();
    for e in &entries {
        p.check_shape(e, &imports);
        match (e.log.entity.as_str(), e.log.action.as_str()) {
            ("plan", "seed") => p.seed(e, plan, &mut out.unchecked),
            ("task", _) => p.task(e),
            ("indicator", "measure") => p.measurement(e),
            ("member", _) => p.member(e),
            ("agency", _) => p.agency(e),
            ("reminder", "letter" | "mail") => p.reminder(e),
            ("meta", "set") if e.log.entity_id == "time_zone" => {
                p.time_zone = new_value(&e.log, "time_zone");
            }
            ("meta", "set") if e.log.entity_id == "remind_by" => {
                p.remind_by = new_value(&e.log, "remind_by");
            }
            // Kept in `refusals` since form 3.
            ("access", "refused") if e.form >= 3 => {
                let last = vec![e.log.id.to_string(), e.log.at.clone()];
                p.refusals.insert(e.log.user.clone(), last);
            }
            ("access", "refused") => {
                p.refusals.remove(&e.log.user);
            }
            ("import", "import") => {
                imports.push(e.log.id);
                p.import(e)
            }
            _ => {}
        }
    }
    p.check_times(&entries, conn.now()?);
    out.divergences.append(&mut p.shape);
    let mut d = Diffs(&mut out.divergences);
    compare_tasks(conn, &p, &mut d, &mut out.unchecked)?;
    compare_notes(conn, &p, &mut d)?;
    compare_measurements(conn, &p, &mut d, &mut out.unchecked)?;
    compare_members(conn, &p, &mut d)?;
    compare_agencies(conn, &p, &mut d, &mut out.unchecked)?;
    compare_reminders(conn, &p, &mut d)?;
    compare_seeded(conn, &p, &mut d)?;
    compare_meta(conn, &p, &mut d, &mut out.unchecked)?;
    compare_tally(conn, &mut d)?;
    // Each member's last refused entry (the count since cannot be replayed: it is a count of
    // what was not logged).
    let file: Vec<[String; 3]> = strings(conn, "SELECT member, entry, at FROM refusals")?;
    d.keyed("refusals", &["member", "entry", "at"], &file, &p.refusals);
    Ok(out)
}

fn compare_tasks(
    conn: &Db,
    p: &Projection,
    d: &mut Diffs,
    unchecked: &mut Vec<String>,
) -> Result<()> {
    let in_file = file_tasks(conn)?;
    for (id, have) in &in_file {
        let key = id.to_string();
        match p.tasks.get(id) {
            Some(Some(want)) => {
                for f in TaskField::ALL.map(TaskField::name) {
                    let (a, b) = (
                        have.fields.get(f).cloned().flatten(),
                        want.fields.get(f).cloned().flatten(),
                    );
                    if a != b {
                        d.add("tasks", key.clone(), f, show(&a), show(&b));
                    }
                }
                if have.withdrawn_on != want.withdrawn_on {
                    d.add(
                        "tasks",
                        key.clone(),
                        "withdrawn_on",
                        show(&have.withdrawn_on),
                        show(&want.withdrawn_on),
                    );
                }
                for (field, a, b) in [
                    ("version", have.version, want.version),
                    ("change_seq", have.change_seq, want.change_seq),
                ] {
                    if a != b {
                        d.add("tasks", key.clone(), field, a.to_string(), b.to_string());
                    }
                }
                if have.updated_by != want.updated_by {
                    d.add(
                        "tasks",
                        key.clone(),
                        "updated_by",
                        have.updated_by.clone(),
                        want.updated_by.clone(),
                    );
                }
                if !want.updated_at.matches(&have.updated_at.at) {
                    d.add(
                        "tasks",
                        key.clone(),
                        "updated_at",
                        have.updated_at.at.clone(),
                        want.updated_at.at.clone(),
                    );
                }
            }
            Some(None) => {}
            None if p.legacy_tasks > 0 => {}
            None => d.add(
                "tasks",
                key,
                "row",
                "a task".into(),
                "no such task: no entry creates it".into(),
            ),
        }
    }
    for (id, want) in &p.tasks {
        if !in_file.contains_key(id) && want.is_some() {
            d.add(
                "tasks",
                id.to_string(),
                "row",
                "no such task".into(),
                "a task".into(),
            );
        }
    }
    if p.legacy_tasks > 0 {
        unchecked.push(format!(
            "{} task(s) were created or imported by an older cchc that logged no fields: their rows are not compared field by field, and rows with no creation entry are not reported",
            p.legacy_tasks
        ));
    }
    Ok(())
}

fn compare_notes(conn: &Db, p: &Projection, d: &mut Diffs) -> Result<()> {
    let notes: Vec<[String; 5]> = strings(
        conn,
        "SELECT id, task_id, author, at, text FROM notes ORDER BY id",
    )?;
    for i in 0..notes.len().max(p.notes.len()) {
        match (notes.get(i), p.notes.get(i)) {
            (Some(n), Some(want)) => {
                let key = format!("{} (task {})", n[0], n[1]);
                d.row(
                    "notes",
                    &key,
                    &["task_id", "author", "text"],
                    &[n[1].clone(), n[2].clone(), n[4].clone()],
                    &[
                        want.task.to_string(),
                        want.author.clone(),
                        want.text.clone(),
                    ],
                );
                if !want.at.matches(&n[3]) {
                    d.add("notes", key, "at", n[3].clone(), want.at.at.clone());
                }
            }
            (Some(n), None) => d.add(
                "notes",
                format!("{} (task {})", n[0], n[1]),
                "row",
                n[4].clone(),
                "no such note".into(),
            ),
            (None, Some(want)) => d.add(
                "notes",
                format!("#{} (task {})", i + 1, want.task),
                "row",
                "no such note".into(),
                want.text.clone(),
            ),
            (None, None) => {}
        }
    }
    Ok(())
}

fn compare_measurements(
    conn: &Db,
    p: &Projection,
    d: &mut Diffs,
    unchecked: &mut Vec<String>,
) -> Result<()> {
    const MEASURED: [&str; 6] = [
        "indicator",
        "value",
        "measured_on",
        "source",
        "note",
        "recorded_by",
    ];
    let rows: Vec<[String; 8]> = strings(
        conn,
        "SELECT id, indicator, value, measured_on, source, note, recorded_by, recorded_at FROM measurements ORDER BY id",
    )?;
    if p.legacy_measurements > 0 {
        unchecked.push(format!(
            "{} measurement(s) were imported by an older cchc that logged only their count: measurements are not checked",
            p.legacy_measurements
        ));
        return Ok(());
    }
    for i in 0..rows.len().max(p.measurements.len()) {
        match (rows.get(i), p.measurements.get(i)) {
            (Some(r), Some(want)) => {
                d.row("measurements", &r[0], &MEASURED, &r[1..7], &want.values);
                if !want.at.matches(&r[7]) {
                    d.add(
                        "measurements",
                        r[0].clone(),
                        "recorded_at",
                        r[7].clone(),
                        want.at.at.clone(),
                    );
                }
            }
            (Some(r), None) => d.add(
                "measurements",
                r[0].clone(),
                "row",
                format!("{} = {}", r[1], r[2]),
                "no such measurement".into(),
            ),
            (None, Some(want)) => d.add(
                "measurements",
                format!("#{}", i + 1),
                "row",
                "no such measurement".into(),
                format!("{} = {}", want.values[0], want.values[1]),
            ),
            (None, None) => {}
        }
    }
    Ok(())
}

fn compare_members(conn: &Db, p: &Projection, d: &mut Diffs) -> Result<()> {
    let members: Vec<[String; 6]> = strings(
        conn,
        "SELECT name, agency, role, coalesce(login, name), added_by, added_at FROM members",
    )?;
    for m in &members {
        match p.members.get(&m[0]) {
            Some(want) => {
                d.row(
                    "members",
                    &m[0],
                    &["agency", "role", "login", "added_by"],
                    &m[1..5],
                    &[
                        want.values[0].clone(),
                        want.values[1].clone(),
                        want.values[2].clone(),
                        want.added_by.clone(),
                    ],
                );
                if !want.added_at.matches(&m[5]) {
                    d.add(
                        "members",
                        m[0].clone(),
                        "added_at",
                        m[5].clone(),
                        want.added_at.at.clone(),
                    );
                }
            }
            None => d.add(
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
            d.add(
                "members",
                name.clone(),
                "row",
                "no such member".into(),
                format!("{} ({})", want.values[1], want.values[0]),
            );
        }
    }
    Ok(())
}

fn compare_agencies(
    conn: &Db,
    p: &Projection,
    d: &mut Diffs,
    unchecked: &mut Vec<String>,
) -> Result<()> {
    if p.plan.is_none() {
        return Ok(());
    }
    let file: Vec<[String; 8]> = strings(
        conn,
        "SELECT code, name, kind, position, added_on, added_by, email, addressee FROM agencies
         ORDER BY position, code",
    )?;
    let mut want: BTreeMap<String, Vec<String>> = p
        .agencies
        .iter()
        .map(|(code, a)| (code.clone(), a.values.to_vec()))
        .collect();
    let mut file = file;
    if p.legacy_agencies > 0 {
        // An older import added agencies and logged only how many: that many rows the log
        // does not name are taken as they are, and positions are not compared.
        unchecked.push(format!(
            "{} agencies were added by an older cchc's import that logged only their count: they, and the agencies' positions, are not compared",
            p.legacy_agencies
        ));
        let mut unnamed = 0;
        file.retain(|row| {
            let known = want.contains_key(&row[0]);
            if !known && unnamed < p.legacy_agencies {
                unnamed += 1;
                return false;
            }
            true
        });
        for row in &mut file {
            row[3] = String::new();
        }
        for w in want.values_mut() {
            w[2] = String::new();
        }
    }
    d.keyed(
        "agencies",
        &[
            "code",
            "name",
            "kind",
            "position",
            "added_on",
            "added_by",
            "email",
            "addressee",
        ],
        &file,
        &want,
    );
    Ok(())
}

/// The letters urging agencies and their mail, each exactly as its entries say.
fn compare_reminders(conn: &Db, p: &Projection, d: &mut Diffs) -> Result<()> {
    let file: Vec<[String; 12]> = strings(
        conn,
        "SELECT id, agency, period, tasks, respond_by, made_on, made_by, mailed_to, message_id,
                made_at, mailed_at, CASE WHEN mailed_at IS NULL THEN 1 ELSE 0 END
         FROM reminders ORDER BY id",
    )?;
    let want: BTreeMap<String, Vec<String>> = p
        .reminders
        .iter()
        .map(|(id, r)| (id.to_string(), r.values.to_vec()))
        .collect();
    let names = [
        "id",
        "agency",
        "period",
        "tasks",
        "respond_by",
        "made_on",
        "made_by",
        "mailed_to",
        "message_id",
    ];
    let head: Vec<[String; 9]> = file
        .iter()
        .map(|r| std::array::from_fn(|i| r[i].clone()))
        .collect();
    d.keyed("reminders", &names, &head, &want);
    for row in &file {
        let Some(r) = row[0].parse().ok().and_then(|id: i64| p.reminders.get(&id)) else {
            continue;
        };
        if !r.made_at.matches(&row[9]) {
            d.add(
                "reminders",
                row[0].clone(),
                "made_at",
                row[9].clone(),
                r.made_at.at.clone(),
            );
        }
        let mailed_at_agrees = match &r.mailed_at {
            Some(at) => row[11] == "0" && at.matches(&row[10]),
            None => row[11] == "1",
        };
        if !mailed_at_agrees {
            d.add(
                "reminders",
                row[0].clone(),
                "mailed_at",
                show(&Some(row[10].clone()).filter(|v| !v.is_empty())),
                show(&r.mailed_at.as_ref().map(|s| s.at.clone())),
            );
        }
    }
    Ok(())
}

/// Areas, indicators and targets: written by the seed alone, so exactly the plan's.
fn compare_seeded(conn: &Db, p: &Projection, d: &mut Diffs) -> Result<()> {
    let Some(plan) = &p.plan else {
        return Ok(());
    };
    let areas: BTreeMap<String, Vec<String>> = plan
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                a.code.clone(),
                vec![a.name_vi.clone(), a.name_en.clone(), i.to_string()],
            )
        })
        .collect();
    let file: Vec<[String; 4]> =
        strings(conn, "SELECT code, name_vi, name_en, position FROM areas")?;
    d.keyed(
        "areas",
        &["code", "name_vi", "name_en", "position"],
        &file,
        &areas,
    );

    let indicators: BTreeMap<String, Vec<String>> = plan
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let b = ind.baseline.as_ref();
            (
                ind.code.clone(),
                vec![
                    ind.area.clone(),
                    ind.name.clone(),
                    ind.unit.as_str().into(),
                    ind.direction.as_str().into(),
                    b.and_then(|b| b.value).map(fmt_num).unwrap_or_default(),
                    b.map(|b| b.date.to_string()).unwrap_or_default(),
                    b.map(|b| b.label.clone()).unwrap_or_default(),
                    ind.lead_agency.clone(),
                    i.to_string(),
                ],
            )
        })
        .collect();
    let file: Vec<[String; 10]> = strings(
        conn,
        "SELECT code, area, name, unit, direction, baseline_value, baseline_date, baseline_label, lead_agency, position FROM indicators",
    )?;
    d.keyed(
        "indicators",
        &[
            "code",
            "area",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "baseline_label",
            "lead_agency",
            "position",
        ],
        &file,
        &indicators,
    );

    let targets: BTreeMap<String, Vec<String>> = plan
        .indicators
        .iter()
        .flat_map(|ind| {
            ind.targets
                .iter()
                .map(|t| (format!("{} {}", ind.code, t.due), vec![fmt_num(t.value)]))
        })
        .collect();
    let file: Vec<[String; 2]> =
        strings(conn, "SELECT indicator || ' ' || due, value FROM targets")?;
    d.keyed("targets", &["indicator due", "value"], &file, &targets);
    Ok(())
}

/// `meta`: the file id (and the time zone) the seed made, nothing else.
fn compare_meta(
    conn: &Db,
    p: &Projection,
    d: &mut Diffs,
    unchecked: &mut Vec<String>,
) -> Result<()> {
    let file: Vec<[String; 2]> = strings(conn, "SELECT key, value FROM meta")?;
    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let file_id = file
        .iter()
        .find(|r| r[0] == "file_id")
        .map(|r| r[1].clone());
    match (&p.file_id, file_id) {
        (Some(logged), _) => {
            want.insert("file_id".into(), vec![logged.clone()]);
        }
        // Before form 3 the seed did not log it: only its shape can be checked.
        (None, Some(id)) => {
            if !p.seed_logged_meta {
                unchecked.push("the seed predates logging the file's id: meta file_id is checked for its form only".into());
            }
            let shaped = id.len() == 8 && id.chars().all(|c| c.is_ascii_hexdigit());
            want.insert(
                "file_id".into(),
                vec![if shaped {
                    id
                } else {
                    "eight hex digits".into()
                }],
            );
        }
        (None, None) => {
            want.insert("file_id".into(), vec!["eight hex digits".into()]);
        }
    }
    if let Some(zone) = &p.time_zone {
        want.insert("time_zone".into(), vec![zone.clone()]);
    }
    if let Some(rule) = &p.remind_by {
        want.insert("remind_by".into(), vec![rule.clone()]);
    }
    d.keyed("meta", &["key", "value"], &file, &want);
    Ok(())
}

/// The tally (the navigation pane's counts) against the tasks it counts.
fn compare_tally(conn: &Db, d: &mut Diffs) -> Result<()> {
    let counted: Vec<[String; 3]> = strings(
        conn,
        "SELECT area || ' ' || lead_agency || ' ' || substr(due, 1, 7), count(*),
                sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END)
         FROM tasks WHERE withdrawn_on IS NULL GROUP BY area, lead_agency, substr(due, 1, 7)",
    )?;
    let want: BTreeMap<String, Vec<String>> = counted
        .into_iter()
        .map(|[key, listed, done]| (key, vec![listed, done]))
        .collect();
    let file: Vec<[String; 3]> = strings(
        conn,
        "SELECT area || ' ' || lead_agency || ' ' || month, listed, done FROM task_tally
         WHERE listed <> 0 OR done <> 0",
    )?;
    d.keyed(
        "task_tally",
        &["area agency month", "listed", "done"],
        &file,
        &want,
    );
    Ok(())
}

impl Store {
    /// Replays the change log from the seeded `plan` and compares it with the tables.
    pub fn replay(&self, plan: Option<&Plan>) -> Result<Replay> {
        replay(&self.conn, plan)
    }
}
