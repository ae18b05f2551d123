//! `Store::import`: tasks and measurements from a file, all or nothing, in one transaction with
//! their change-log entries.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::batch;
use super::log::{self, NewEntry};
use super::members::Permissions;
use super::reads::{TASK_COLUMNS, task_from_row};
use super::writes::{
    BY_PLAN_REF, KnownCodes, NewMeasurement, check_hand_date, creation_changes, file_id,
    insert_measurement, measurement_changes, normalise, store_task, validate_known,
};
use crate::error::Result;
use crate::model::{Agency, FieldChange, NewTask, Task};
use crate::text::nfc;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub measurements: usize,
    pub agencies: usize,
}

impl Store {
    /// Imports tasks and measurements all or nothing: one change-log entry for the import, then
    /// one per task it creates (every field) or changes (old -> new) and one per measurement,
    /// each linked to the import's entry by `parent`, all in the one transaction. A task whose
    /// `plan_ref` already exists is updated in place (so an export imported into a freshly
    /// seeded file reproduces it); an identical measurement is not recorded twice.
    pub fn import(
        &mut self,
        new_agencies: &[Agency],
        tasks: &[NewTask],
        measurements: &[NewMeasurement],
        source: &str,
    ) -> Result<ImportSummary> {
        self.import_with(
            new_agencies,
            tasks,
            measurements,
            source,
            &crate::progress::Silent,
        )
    }

    /// [`Store::import`], telling `rows_written` how many tasks are checked against the file.
    pub fn import_with(
        &mut self,
        new_agencies: &[Agency],
        tasks: &[NewTask],
        measurements: &[NewMeasurement],
        source: &str,
        rows_written: &dyn crate::progress::Progress,
    ) -> Result<ImportSummary> {
        // A spreadsheet may carry old dates (they were given by hand when first written), but
        // none after the real date: nobody completes or measures in the future.
        let clock = crate::context::clock_today();
        for m in measurements {
            check_hand_date("measurement date", m.measured_on, clock)?;
        }
        for date in tasks.iter().filter_map(|t| t.completed_on) {
            check_hand_date("completion date", date, clock)?;
        }
        // A bulk write touches far more pages than SQLite's default 2 MB cache holds; spilling
        // them to the WAL mid-transaction and reading them back cost a third of the import.
        self.conn
            .pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
        let result =
            self.import_in_one_write(new_agencies, tasks, measurements, source, rows_written);
        let restored = self
            .conn
            .pragma_update(None, "cache_size", DEFAULT_CACHE_KIB);
        let summary = result?;
        restored?;
        Ok(summary)
    }

    fn import_in_one_write(
        &mut self,
        new_agencies: &[Agency],
        tasks: &[NewTask],
        measurements: &[NewMeasurement],
        source: &str,
        rows_written: &dyn crate::progress::Progress,
    ) -> Result<ImportSummary> {
        let user = self.user.clone();
        self.write(|tx| {
            let perms = Permissions::load(tx, &user)?;
            perms.require_new_agencies(new_agencies)?;
            for a in new_agencies {
                tx.prepare_cached(
                    "INSERT INTO agencies (code, name, kind, position, added_by)
                     VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM agencies), ?4)",
                )?
                .execute(params![a.code, a.name, a.kind.as_str(), user])?;
            }
            // The import's own entry gets this id (the write lock is ours); the entries of its
            // tasks follow it. Everything is checked first, so the import's entry can hold the
            // counts and its tasks' entries can name it.
            let seq = log::next_id(tx)?;
            let mut summary = ImportSummary {
                agencies: new_agencies.len(),
                ..Default::default()
            };
            let file_id = file_id(tx)?;
            let known = KnownCodes::load(tx)?;
            let mut planned: Vec<(NewTask, Option<(Task, Task)>)> = Vec::new();
            // Each task is looked up, then written: two units each.
            let total = tasks.len() as u64;
            rows_written.begin(crate::progress::Work::WriteRows, 2 * total);
            for (n, t) in tasks.iter().enumerate() {
                if crate::progress::is_due(n) {
                    rows_written.set(n as u64);
                }
                let mut t = normalise(t);
                // A row without a plan reference is the task with its lead agency, title and
                // due date, if there is one: the same file imported twice adds nothing.
                let existing = if t.plan_ref.is_empty() {
                    same_task(tx, &t)?
                } else {
                    tx.prepare_cached(&format!(
                        "SELECT {TASK_COLUMNS} FROM tasks WHERE {BY_PLAN_REF}"
                    ))?
                    .query_row([&t.plan_ref], task_from_row)
                    .optional()?
                };
                if t.plan_ref.is_empty() {
                    t.plan_ref = match &existing {
                        Some(old) => old.plan_ref.clone(),
                        None => format!("{file_id}-{seq}-{n}"),
                    };
                }
                validate_known(&t, &known)?;
                match existing {
                    None => {
                        perms.require_new_task(&t)?;
                        summary.created += 1;
                        planned.push((t, None));
                    }
                    Some(old) => {
                        let new = Task {
                            area: t.area.clone(),
                            lead_agency: t.lead_agency.clone(),
                            coordinating: t.coordinating.clone(),
                            title: t.title.clone(),
                            output: t.output.clone(),
                            due: t.due,
                            status: t.status,
                            progress: t.progress,
                            completed_on: t.completed_on,
                            ..old.clone()
                        };
                        if crate::model::diff_tasks(&old, &new).is_empty() {
                            summary.unchanged += 1;
                        } else {
                            perms.require_task_change(&old, &new)?;
                            summary.updated += 1;
                            planned.push((t, Some((old, new))));
                        }
                    }
                }
            }
            let mut fresh = Vec::new();
            for m in measurements {
                let dup = tx
                    .prepare_cached(
                        "SELECT 1 FROM measurements WHERE indicator = ?1 AND measured_on = ?2 AND value = ?3 AND source = ?4",
                    )?
                    .query_row(
                        params![m.indicator, m.measured_on, m.value, nfc(&m.source)],
                        |_| Ok(()),
                    )
                    .optional()?;
                if dup.is_none() {
                    perms.require_measurement(tx, &m.indicator)?;
                    fresh.push(m);
                    summary.measurements += 1;
                }
            }
            let note = summary_note(&summary);
            let logged = log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "import",
                    entity_id: source,
                    action: "import",
                    changes: &summary.as_changes(),
                    note: Some(&note),
                    undo_of: None,
                },
            )?;
            debug_assert_eq!(logged, seq);
            let at = log::stamp(tx)?;
            let mut head = log::head(tx)?;
            // Each agency it adds, under the import's entry, so the log alone rebuilds it.
            for a in new_agencies {
                let text = |s: &str| Some(s.to_string());
                log::append_after(
                    tx,
                    NewEntry {
                        user: &user,
                        entity: "agency",
                        entity_id: &a.code,
                        action: "add",
                        changes: &[
                            FieldChange {
                                field: "name".into(),
                                old: None,
                                new: text(&a.name),
                            },
                            FieldChange {
                                field: "kind".into(),
                                old: None,
                                new: text(a.kind.as_str()),
                            },
                        ],
                        note: None,
                        undo_of: None,
                    },
                    Some(seq),
                    &mut head,
                )?;
            }
            // Created tasks are numbered on from the largest id (the write lock is ours) and
            // written, with the entries, many rows per statement; a change is written at once.
            let mut next_task: i64 =
                tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM tasks", (), |r| r.get(0))?;
            let mut created: Vec<(&NewTask, i64, i64)> = Vec::with_capacity(batch::ROWS);
            let mut entries = Vec::with_capacity(batch::ROWS);
            for (i, (t, change)) in planned.iter().enumerate() {
                if crate::progress::is_due(i) {
                    rows_written.set(total + i as u64);
                }
                let next = head.0 + 1;
                let (id, action, changes) = match change {
                    None => {
                        let id = next_task;
                        next_task += 1;
                        created.push((t, id, next));
                        (id, "create", creation_changes(t))
                    }
                    Some((old, new)) => {
                        store_task(tx, old, new, &user, next)?;
                        (old.id, IMPORT_UPDATE, crate::model::diff_tasks(old, new))
                    }
                };
                entries.push(log::seal(
                    NewEntry {
                        user: &user,
                        entity: "task",
                        entity_id: &id.to_string(),
                        action,
                        changes: &changes,
                        note: None,
                        undo_of: None,
                    },
                    &at,
                    Some(seq),
                    &mut head,
                ));
                if entries.len() == batch::ROWS {
                    insert_created(tx, &created, &user, &at)?;
                    log::write_sealed(tx, &entries)?;
                    created.clear();
                    entries.clear();
                }
            }
            insert_created(tx, &created, &user, &at)?;
            log::write_sealed(tx, &entries)?;
            for m in fresh {
                insert_measurement(tx, m, &user)?;
                log::append_after(
                    tx,
                    NewEntry {
                        user: &user,
                        entity: "indicator",
                        entity_id: &m.indicator,
                        action: "measure",
                        changes: &measurement_changes(m, None),
                        note: Some(nfc(&m.note)).as_deref().filter(|s| !s.is_empty()),
                        undo_of: None,
                    },
                    Some(seq),
                    &mut head,
                )?;
            }
            rows_written.end();
            Ok(summary)
        })
    }
}

/// The rows [`same_task`] reads (through the lead agency's index).
pub(super) const SAME_TASK: &str = "lead_agency = ?1 AND due = ?2 AND title = ?3 AND area = ?4 AND withdrawn_on IS NULL ORDER BY id LIMIT 2";

/// The listed task with `t`'s lead agency, title, due date and area, for a row that names no
/// plan reference; two of them cannot be told apart, and the row is refused.
fn same_task(tx: &crate::store::engine::Tx, t: &NewTask) -> Result<Option<Task>> {
    let found = tx
        .prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE {SAME_TASK}"
        ))?
        .query_map(
            params![t.lead_agency, t.due, t.title, t.area],
            task_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, b, ..] => Err(crate::error::Error::invalid(format!(
            "the task {:?} ({}, due {}) is both #{} and #{} in the file; give the row the plan_ref of the one it means",
            crate::untrusted::line(&t.title),
            t.lead_agency,
            t.due.format("%d/%m/%Y"),
            a.id,
            b.id
        ))),
    }
}

/// Writes the tasks an import creates, each `(task, id, change_seq)`, many rows per statement.
fn insert_created(
    tx: &crate::store::engine::Tx,
    created: &[(&NewTask, i64, i64)],
    user: &str,
    at: &str,
) -> Result<()> {
    batch::insert_rows(
        tx,
        "INSERT INTO tasks (id, plan_ref, area, lead_agency, coordinating, title, output, due, due_assumed, recurrence, status, progress, completed_on, version, updated_by, updated_at, change_seq, detail, coordinating_inferred)",
        19,
        created,
        |stmt, at_param, (t, id, seq)| {
            let p = at_param;
            stmt.raw_bind_parameter(p, id)?;
            stmt.raw_bind_parameter(p + 1, &t.plan_ref)?;
            stmt.raw_bind_parameter(p + 2, &t.area)?;
            stmt.raw_bind_parameter(p + 3, &t.lead_agency)?;
            stmt.raw_bind_parameter(p + 4, t.coordinating.join(","))?;
            stmt.raw_bind_parameter(p + 5, &t.title)?;
            stmt.raw_bind_parameter(p + 6, &t.output)?;
            stmt.raw_bind_parameter(p + 7, t.due)?;
            stmt.raw_bind_parameter(p + 8, t.due_assumed)?;
            stmt.raw_bind_parameter(p + 9, t.recurrence.as_str())?;
            stmt.raw_bind_parameter(p + 10, t.status.as_str())?;
            stmt.raw_bind_parameter(p + 11, t.progress)?;
            stmt.raw_bind_parameter(p + 12, t.completed_on)?;
            stmt.raw_bind_parameter(p + 13, 1)?;
            stmt.raw_bind_parameter(p + 14, user)?;
            stmt.raw_bind_parameter(p + 15, at)?;
            stmt.raw_bind_parameter(p + 16, seq)?;
            stmt.raw_bind_parameter(p + 17, &t.detail)?;
            stmt.raw_bind_parameter(p + 18, t.coordinating_inferred.join(","))
        },
    )
}

/// The page cache of an import, in KiB (negative: SQLite's unit for a size in KiB): enough
/// for the indexes an import of 100,000 rows touches; memory is only taken as pages are read.
const BULK_CACHE_KIB: i64 = -131_072;
/// SQLite's default, restored after an import.
const DEFAULT_CACHE_KIB: i64 = -2_000;

/// The action of a task change an import made (not `update`, so a member's undo never picks
/// a row of someone's spreadsheet).
pub(super) const IMPORT_UPDATE: &str = "import-update";

impl ImportSummary {
    fn as_changes(&self) -> Vec<FieldChange> {
        [
            ("created", self.created),
            ("updated", self.updated),
            ("agencies", self.agencies),
            ("measurements", self.measurements),
        ]
        .into_iter()
        .map(|(field, n)| FieldChange {
            field: field.into(),
            old: None,
            new: Some(n.to_string()),
        })
        .collect()
    }
}

fn summary_note(s: &ImportSummary) -> String {
    format!(
        "created {}, updated {}, unchanged {}, measurements {}",
        s.created, s.updated, s.unchanged, s.measurements
    )
}
