//! Versioned writes. Each public function is one IMMEDIATE transaction holding the change and
//! its change-log entry; a write that names a stale version changes nothing.

use crate::store::engine::{Stmt, Tx};
use chrono::{Datelike, NaiveDate};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::Store;
use super::log::{self, NewEntry};
use super::members::Permissions;
use super::reads::{TASK_COLUMNS, measurement_from_row, task_from_row};
use crate::error::{Conflict, Error, Result};
use crate::model::{FieldChange, Measurement, NewTask, Task, TaskField, TaskPatch, Unit};
use crate::text::nfc;
use crate::untrusted;

pub(super) const INSERT_TASK: &str = "INSERT INTO tasks (plan_ref, area, lead_agency, coordinating, title, output, due, due_assumed, recurrence, status, progress, completed_on, version, updated_by, updated_at, change_seq, detail, coordinating_inferred)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, ?13, ?14, ?15, ?16, ?17)";

/// Finds a task by plan reference. `plan_ref <> ''` lets SQLite use the partial unique index
/// `tasks_by_plan_ref` (it cannot prove a bound parameter non-empty by itself); without it each
/// lookup scans the table and importing 100,000 rows that carry references takes minutes.
pub(super) const BY_PLAN_REF: &str = "plan_ref = ?1 AND plan_ref <> ''";

/// The file's short id. A task that has no plan reference gets a stable one,
/// "<file id>-<log seq>-<n>", so an export imported again updates it instead of adding it twice.
pub(super) fn file_id(tx: &Tx) -> Result<String> {
    Ok(tx
        .prepare_cached("SELECT value FROM meta WHERE key = 'file_id'")?
        .query_row((), |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "local".into()))
}

pub(super) fn insert_task(
    stmt: &mut Stmt,
    t: &NewTask,
    user: &str,
    at: &str,
    seq: i64,
) -> Result<i64> {
    Ok(stmt.insert(params![
        t.plan_ref,
        t.area,
        t.lead_agency,
        t.coordinating.join(","),
        t.title,
        t.output,
        t.due,
        t.due_assumed,
        t.recurrence.as_str(),
        t.status.as_str(),
        t.progress,
        t.completed_on,
        user,
        at,
        seq,
        t.detail,
        t.coordinating_inferred.join(",")
    ])?)
}

/// The result of a task write: the task as stored now and what changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskUpdate {
    pub task: Task,
    pub changes: Vec<FieldChange>,
    /// The change-log entry written, or `None` when nothing changed.
    pub log_id: Option<i64>,
}

/// A measurement to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMeasurement {
    pub indicator: String,
    pub value: f64,
    pub measured_on: NaiveDate,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub note: String,
}

pub(super) fn load_task(tx: &Tx, id: i64) -> Result<Task> {
    tx.prepare_cached(&format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1"))?
        .query_row([id], task_from_row)
        .optional()?
        .ok_or(Error::NoSuchTask(id))
}

fn exists(tx: &Tx, sql: &str, key: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached(sql)?
        .query_row([key], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Checks the references a task makes: its area and agencies must exist, its title must not be
/// empty, its texts within their limits, its dates within the years a plan can hold and its
/// percent 0–100.
pub(super) fn validate(tx: &Tx, t: &NewTask) -> Result<()> {
    check_values(t)?;
    check_codes(t, |kind, code| {
        let sql = match kind {
            Code::Area => "SELECT 1 FROM areas WHERE code = ?1",
            Code::Agency => "SELECT 1 FROM agencies WHERE code = ?1",
        };
        exists(tx, sql, code)
    })
}

/// [`validate`] against codes read once: an import checks 100,000 rows against the same few
/// dozen codes, and two lookups a row were a tenth of its time.
pub(super) fn validate_known(t: &NewTask, known: &KnownCodes) -> Result<()> {
    check_values(t)?;
    check_codes(t, |kind, code| {
        Ok(match kind {
            Code::Area => known.areas.contains(code),
            Code::Agency => known.agencies.contains(code),
        })
    })
}

/// The area and agency codes of the file, read inside the writer's transaction (so no one
/// else can change them meanwhile).
pub(super) struct KnownCodes {
    areas: std::collections::HashSet<String>,
    agencies: std::collections::HashSet<String>,
}

impl KnownCodes {
    /// An agency created meanwhile (by the same transaction).
    pub(super) fn add_agency(&mut self, code: &str) {
        self.agencies.insert(code.to_string());
    }

    pub(super) fn load(tx: &Tx) -> Result<Self> {
        let codes = |sql: &str| -> Result<std::collections::HashSet<String>> {
            let mut stmt = tx.prepare(sql)?;
            let rows = stmt.query_map((), |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(KnownCodes {
            areas: codes("SELECT code FROM areas")?,
            agencies: codes("SELECT code FROM agencies")?,
        })
    }
}

enum Code {
    Area,
    Agency,
}

fn check_values(t: &NewTask) -> Result<()> {
    if t.title.trim().is_empty() {
        return Err(Error::refused(
            "nhiệm vụ cần có tên",
            "a task needs a title",
        ));
    }
    check_task_limits(t)?;
    if t.progress > 100 {
        return Err(Error::refused(
            format!(
                "tiến độ {} nằm ngoài khoảng; hãy nhập phần trăm từ 0 đến 100",
                t.progress
            ),
            format!(
                "progress {} is out of range; give a percent from 0 to 100",
                t.progress
            ),
        ));
    }
    Ok(())
}

fn check_codes(t: &NewTask, mut known: impl FnMut(Code, &str) -> Result<bool>) -> Result<()> {
    if !known(Code::Area, &t.area)? {
        return Err(Error::refused(
            format!(
                "không có lĩnh vực {:?}; `cchc areas` liệt kê các mã",
                t.area
            ),
            format!("unknown area {:?}; `cchc areas` lists the codes", t.area),
        ));
    }
    for code in std::iter::once(&t.lead_agency).chain(&t.coordinating) {
        if !known(Code::Agency, code)? {
            return Err(Error::refused(
                format!("không có cơ quan {code:?}; `cchc agencies` liệt kê các mã"),
                format!("unknown agency {code:?}; `cchc agencies` lists the codes"),
            ));
        }
    }
    Ok(())
}

/// The limits of `untrusted` (title, output, detail) and of `context::check_date` (due,
/// completed on), which every way into the tasks table passes.
pub fn check_task_limits(t: &NewTask) -> Result<()> {
    untrusted::check_len("the title", &t.title, untrusted::MAX_TITLE)?;
    untrusted::check_len("the expected output", &t.output, untrusted::MAX_NOTE)?;
    untrusted::check_len("the detail", &t.detail, untrusted::MAX_DETAIL)?;
    check_date("the due date", t.due)?;
    if let Some(d) = t.completed_on {
        check_date("the completion date", d)?;
    }
    Ok(())
}

fn check_date(field: &str, d: NaiveDate) -> Result<()> {
    crate::context::check_date(d).map_err(|e| {
        let vi = match field {
            "the due date" => "hạn",
            "the completion date" => "ngày hoàn thành",
            "the measurement date" => "ngày đo",
            other => other,
        };
        Error::refused(
            format!(
                "{vi}: {} nằm ngoài các năm {}–{}; hãy nhập một ngày trong khoảng đó",
                d.format("%d/%m/%Y"),
                crate::context::FIRST_YEAR,
                crate::context::LAST_YEAR
            ),
            format!("{field}: {e}"),
        )
    })
}

pub(super) fn normalise(t: &NewTask) -> NewTask {
    NewTask {
        plan_ref: nfc(&t.plan_ref),
        title: nfc(&t.title),
        detail: nfc(&t.detail),
        output: nfc(&t.output),
        area: t.area.trim().to_string(),
        lead_agency: t.lead_agency.trim().to_string(),
        coordinating: t
            .coordinating
            .iter()
            .map(|c| c.trim().to_string())
            .collect(),
        ..t.clone()
    }
}

/// Stores `new` over the row `old` (same id), bumping the version; the row must still be at
/// `old.version`.
pub(super) fn store_task(tx: &Tx, old: &Task, new: &Task, user: &str, seq: i64) -> Result<Task> {
    let at = log::stamp(tx)?;
    let n = tx
        .prepare_cached(
            "UPDATE tasks SET area = ?1, lead_agency = ?2, coordinating = ?3, title = ?4, output = ?5,
                due = ?6, status = ?7, progress = ?8, completed_on = ?9, version = version + 1,
                updated_by = ?10, updated_at = ?11, change_seq = ?12
             WHERE id = ?13 AND version = ?14",
        )?
        .execute(params![
            new.area,
            new.lead_agency,
            new.coordinating.join(","),
            new.title,
            new.output,
            new.due,
            new.status.as_str(),
            new.progress,
            new.completed_on,
            user,
            at,
            seq,
            old.id,
            old.version
        ])?;
    if n != 1 {
        return Err(Error::invalid(format!(
            "task {} moved on during the write; try again",
            old.id
        )));
    }
    load_task(tx, old.id)
}

fn conflict(tx: &Tx, task: &Task, expected: i64) -> Result<Error> {
    let last = tx
        .prepare_cached(&format!(
            "SELECT {} FROM change_log WHERE entity = 'task' AND entity_id = ?1 ORDER BY id DESC LIMIT 1",
            log::LOG_COLUMNS
        ))?
        .query_row([task.id.to_string()], log::entry_from_row)
        .optional()?;
    Ok(Error::Conflict(Box::new(Conflict {
        task_id: task.id,
        expected_version: expected,
        actual_version: task.version,
        by: last
            .as_ref()
            .map(|e| e.user.clone())
            .unwrap_or_else(|| task.updated_by.clone()),
        at: last
            .as_ref()
            .map(|e| e.at.clone())
            .unwrap_or_else(|| task.updated_at.clone()),
        from: Conflict::first_line(last.as_ref().and_then(|e| e.note.as_deref())),
        changes: last.map(|e| e.changes).unwrap_or_default(),
    })))
}

/// A date typed by a member for a write: not after the real date (nobody completes or measures
/// in the future) and not before 2000.
pub(super) fn check_hand_date(what: &str, date: NaiveDate, clock: NaiveDate) -> Result<()> {
    let what_vi = match what {
        "completion date" => "ngày hoàn thành",
        "measurement date" => "ngày đo",
        other => other,
    };
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    if date > clock {
        return Err(Error::refused(
            format!(
                "{what_vi} {} sau ngày hôm nay theo đồng hồ máy ({}); hãy nhập một ngày đã qua (--today không đổi được ngày này)",
                day(date),
                day(clock)
            ),
            format!(
                "the {what} {date} is after today's date on this computer's clock ({clock}); give a date that has already come (--today does not move it)"
            ),
        ));
    }
    if date.year() < 2000 {
        return Err(Error::refused(
            format!(
                "{what_vi} {} trước năm 2000; hãy nhập ngày thật dạng YYYY-MM-DD",
                day(date)
            ),
            format!("the {what} {date} is before 2000; give the real date as YYYY-MM-DD"),
        ));
    }
    Ok(())
}

/// `extra` on a line of its own after `note` (or alone).
fn append_line(note: Option<String>, extra: String) -> Option<String> {
    Some(match note {
        Some(n) => format!("{n}\n{extra}"),
        None => extra,
    })
}

/// One task write as `cchc task set` makes it: a patch, an optional note, and optionally where
/// the change came from (an import names its file and row), put before the note so that the
/// task's notes and the change log say the same (the log replays into the notes).
pub(super) struct TaskChange<'a> {
    pub id: i64,
    pub expected_version: Option<i64>,
    pub patch: &'a TaskPatch,
    pub note: Option<&'a str>,
    pub source: Option<&'a str>,
}

/// The body of [`Store::update_task`], inside the caller's transaction, so that an import of
/// returned sheets applies the very same rules row by row. Writes stamp the clock's date.
pub(super) fn update_task_in(tx: &Tx, user: &str, change: TaskChange) -> Result<TaskUpdate> {
    let TaskChange {
        id,
        expected_version,
        patch,
        note,
        source,
    } = change;
    let clock = log::today(tx)?;
    let mut note = note.map(nfc).filter(|n| !n.trim().is_empty());
    if let Some(n) = &note {
        untrusted::check_len("the note", n, untrusted::MAX_NOTE)?;
    }
    if let Some(date) = patch.completed_on {
        check_hand_date("completion date", date, clock)?;
    }
    let old = load_task(tx, id)?;
    if let Some(v) = expected_version
        && v != old.version
    {
        return Err(conflict(tx, &old, v)?);
    }
    let mut new = old.clone();
    let mut patch = patch.clone();
    patch.title = patch.title.as_deref().map(nfc);
    patch.output = patch.output.as_deref().map(nfc);
    let changes = patch.apply(&mut new, clock);
    if patch.completed_on.is_some() && new.status != crate::model::Status::Done {
        return Err(Error::refused(
            "ngày hoàn thành chỉ ghi cho nhiệm vụ đã hoàn thành; hãy đặt cả trạng thái hoàn thành (--status done)",
            "a completion date is kept only for a done task; set the status to done too (--status done)",
        ));
    }
    if changes.is_empty() && note.is_none() {
        return Ok(TaskUpdate {
            task: old,
            changes,
            log_id: None,
        });
    }
    if let Some(source) = source.map(nfc) {
        note = Some(match note {
            Some(n) => format!("{source}: {n}"),
            None => source,
        });
    }
    // A date typed instead of taken from the clock says so in the log and the notes.
    if let Some(date) = patch.completed_on.filter(|d| *d != clock)
        && changes
            .iter()
            .any(|c| c.task_field() == Some(TaskField::CompletedOn))
    {
        let mark = crate::context::hand_dated_note("Ngày hoàn thành", "completion date", date);
        note = append_line(note, mark);
    }
    Permissions::load(tx, user)?.require_task_change(&old, &new)?;
    validate(tx, &NewTask::from(&new))?;
    let action = if changes.is_empty() { "note" } else { "update" };
    let seq = log::append(
        tx,
        NewEntry {
            user,
            entity: "task",
            entity_id: &id.to_string(),
            action,
            changes: &changes,
            note: note.as_deref(),
            undo_of: None,
        },
    )?;
    if let Some(text) = &note {
        tx.prepare_cached("INSERT INTO notes (task_id, author, at, text) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![id, user, log::stamp(tx)?, text])?;
    }
    let task = store_task(tx, &old, &new, user, seq)?;
    Ok(TaskUpdate {
        task,
        changes,
        log_id: Some(seq),
    })
}

/// The body of [`Store::record_measurement`], inside the caller's transaction. A measurement
/// dated other than the clock's today says so in its note.
pub(super) fn record_measurement_in(
    tx: &Tx,
    user: &str,
    m: &NewMeasurement,
) -> Result<Measurement> {
    let clock = log::today(tx)?;
    check_hand_date("measurement date", m.measured_on, clock)?;
    let mut m = m.clone();
    if m.measured_on != clock {
        let mark = crate::context::hand_dated_note("Ngày đo", "measured on", m.measured_on);
        m.note = match nfc(&m.note) {
            n if n.trim().is_empty() => mark,
            n => format!("{n}\n{mark}"),
        };
    }
    let m = &m;
    Permissions::load(tx, user)?.require_measurement(tx, &m.indicator)?;
    check_plausible(tx, m)?;
    let id = insert_measurement(tx, m, user)?;
    let previous: Option<f64> = tx
        .prepare_cached(
            "SELECT value FROM measurements WHERE indicator = ?1 AND id <> ?2
             ORDER BY measured_on DESC, id DESC LIMIT 1",
        )?
        .query_row(params![m.indicator, id], |r| r.get(0))
        .optional()?;
    let changes = measurement_changes(m, previous);
    log::append(
        tx,
        NewEntry {
            user,
            entity: "indicator",
            entity_id: &m.indicator,
            action: "measure",
            changes: &changes,
            note: Some(nfc(&m.note)).as_deref().filter(|s| !s.is_empty()),
            undo_of: None,
        },
    )?;
    Ok(tx
        .prepare_cached(
            "SELECT id, indicator, value, measured_on, source, note, recorded_by, recorded_at
             FROM measurements WHERE id = ?1",
        )?
        .query_row([id], measurement_from_row)?)
}

impl Store {
    /// Applies `patch` (and adds `note`) to task `id` as one user action: one change-log entry.
    /// With `expected_version`, a task that moved on since the caller read it is left as it is
    /// and the error names who changed it, when, and what.
    pub fn update_task(
        &mut self,
        id: i64,
        expected_version: Option<i64>,
        patch: &TaskPatch,
        note: Option<&str>,
    ) -> Result<TaskUpdate> {
        let user = self.user.clone();
        self.write(|tx| {
            update_task_in(
                tx,
                &user,
                TaskChange {
                    id,
                    expected_version,
                    patch,
                    note,
                    source: None,
                },
            )
        })
    }

    /// Creates a task (from the CLI or the TUI) with its change-log entry, which names the new
    /// task's id and holds every field, so the log alone can rebuild it.
    pub fn add_task(&mut self, t: &NewTask) -> Result<Task> {
        let user = self.user.clone();
        let t = normalise(t);
        self.write(|tx| {
            Permissions::load(tx, &user)?.require_new_task(&t)?;
            validate(tx, &t)?;
            let seq = log::next_id(tx)?;
            let mut t = t.clone();
            if t.plan_ref.is_empty() {
                t.plan_ref = format!("{}-{seq}-0", file_id(tx)?);
            }
            let mut stmt = tx.prepare_cached(INSERT_TASK)?;
            let id = insert_task(&mut stmt, &t, &user, &log::stamp(tx)?, seq)?;
            let logged = log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "task",
                    entity_id: &id.to_string(),
                    action: "create",
                    changes: &creation_changes(&t),
                    note: None,
                    undo_of: None,
                },
            )?;
            debug_assert_eq!(logged, seq);
            load_task(tx, id)
        })
    }

    /// Records one indicator measurement; every measurement is kept.
    pub fn record_measurement(&mut self, m: &NewMeasurement) -> Result<Measurement> {
        let user = self.user.clone();
        self.write(|tx| record_measurement_in(tx, &user, m))
    }
}

/// Every field of a new task that holds something, as change-log values, in the order of
/// the table: the log alone rebuilds the task (see `replay`, which reads a field the entry
/// does not name as empty). Empty and false fields are left out: they said "∅ → ∅" in a
/// task's history and were a quarter of an import's log.
pub(super) fn creation_changes(t: &NewTask) -> Vec<FieldChange> {
    TaskField::ALL
        .into_iter()
        .filter_map(|f| {
            let v = f.get_new(t);
            (!v.is_empty()).then(|| FieldChange::task(f, None, Some(v)))
        })
        .collect()
}

/// A measurement as change-log values; `previous` is the indicator's latest value before it.
pub(super) fn measurement_changes(m: &NewMeasurement, previous: Option<f64>) -> Vec<FieldChange> {
    vec![
        FieldChange {
            field: "value".into(),
            old: previous.map(fmt_num),
            new: Some(fmt_num(m.value)),
        },
        FieldChange {
            field: "measured_on".into(),
            old: None,
            new: Some(m.measured_on.to_string()),
        },
        FieldChange {
            field: "source".into(),
            old: None,
            new: Some(nfc(&m.source)).filter(|s| !s.is_empty()),
        },
    ]
}

pub(super) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Refuses a quantity that is implausible against what is recorded (a staff of 7 against a
/// baseline of 11,800: the 7 % cut typed where the headcount belongs); the rule is the core's
/// ([`crate::indicators::check_value`]).
fn check_plausible(tx: &Tx, m: &NewMeasurement) -> Result<()> {
    let targets = std::collections::HashMap::new();
    let Some(ind) = tx
        .prepare_cached(&format!(
            "SELECT {} FROM indicators WHERE code = ?1",
            super::reads::INDICATOR_COLUMNS
        ))?
        .query_row([&m.indicator], |r| {
            super::reads::indicator_from_row(r, &targets)
        })
        .optional()?
    else {
        // An unknown code is refused by `insert_measurement`, in its own words.
        return Ok(());
    };
    let recorded = tx
        .prepare_cached(
            "SELECT id, indicator, value, measured_on, source, note, recorded_by, recorded_at
             FROM measurements WHERE indicator = ?1 ORDER BY measured_on, id",
        )?
        .query_map([&m.indicator], measurement_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let refs: Vec<&Measurement> = recorded.iter().collect();
    crate::indicators::check_value(&ind, &refs, m.value)
        .map_err(|e| Error::invalid(e.message(crate::model::Lang::En)))
}

/// Largest measured value of any indicator (a reduction is measured as a count of staff).
pub const MAX_MEASURED: f64 = 1e9;

pub(super) fn insert_measurement(tx: &Tx, m: &NewMeasurement, user: &str) -> Result<i64> {
    if !m.value.is_finite() {
        return Err(Error::refused(
            "số liệu phải là một số",
            "the value must be a number",
        ));
    }
    if !m.source.trim().is_empty() {
        untrusted::name("the source", &m.source)?;
    }
    untrusted::check_len("the note", &m.note, untrusted::MAX_NOTE)?;
    check_date("the measurement date", m.measured_on)?;
    let unit: Option<(String, String)> = tx
        .prepare_cached("SELECT unit, direction FROM indicators WHERE code = ?1")?
        .query_row([&m.indicator], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((unit, direction)) = unit else {
        return Err(Error::refused(
            format!(
                "không có chỉ tiêu {:?}; `cchc indicators` liệt kê các mã",
                m.indicator
            ),
            format!(
                "unknown indicator {:?}; `cchc indicators` lists the codes",
                m.indicator
            ),
        ));
    };
    let v = m.value;
    match Unit::parse(&unit) {
        Some(Unit::Level) if !(1.0..=5.0).contains(&v) => {
            return Err(Error::refused(
                format!("cấp độ {v} nằm ngoài khoảng; hãy nhập cấp độ từ 1 đến 5"),
                format!("level {v} is out of range; give a level from 1 to 5"),
            ));
        }
        // A reduction is measured as the quantity itself (staff numbers), not as a percent.
        Some(Unit::Percent) if direction != "reduce-by" && !(0.0..=100.0).contains(&v) => {
            return Err(Error::refused(
                format!("tỷ lệ {v} nằm ngoài khoảng; hãy nhập phần trăm từ 0 đến 100"),
                format!("percentage {v} is out of range; give a percentage from 0 to 100"),
            ));
        }
        // No indicator of the plan counts past a billion; 1e308 is a typo or an attack.
        _ if v > MAX_MEASURED => {
            return Err(Error::refused(
                format!("số liệu {v} quá lớn; giới hạn là {MAX_MEASURED}"),
                format!("the value {v} is too large; the limit is {MAX_MEASURED}"),
            ));
        }
        _ if v < 0.0 => {
            return Err(Error::refused(
                "số liệu không được âm",
                "a measurement cannot be negative",
            ));
        }
        _ => {}
    }
    Ok(tx.prepare_cached(
        "INSERT INTO measurements (indicator, value, measured_on, source, note, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .insert(params![
        m.indicator,
        m.value,
        m.measured_on,
        nfc(&m.source),
        nfc(&m.note),
        user,
        log::stamp(tx)?
    ])?)
}
