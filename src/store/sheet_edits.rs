//! Applying the edits read from returned agency sheets: every row goes through the same
//! function as `cchc task set` or `cchc indicator record` (permissions, ranges, one change-log
//! entry), all rows of all files inside ONE transaction, so that "all or nothing" really is:
//! each row runs in a savepoint and a refused row is rolled back alone. A task row is merged
//! field by field with what changed since its sheet was made ([`merge`]): only a field changed
//! meanwhile to another value is a conflict; a note added meanwhile never is.

use crate::store::engine::{Behavior, Tx};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::log;
use super::writes::{
    NewMeasurement, TaskChange, TaskUpdate, load_task, record_measurement_in, update_task_in,
};
use crate::error::{Conflict, Error, Result};
use crate::model::{FieldChange, Status, Task, TaskField, TaskPatch};
use crate::text::nfc;

/// What a task row held when its sheet was made: the fillable cells' values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exported {
    pub status: Status,
    pub progress: u8,
    pub completed_on: Option<NaiveDate>,
}

/// One row of a returned sheet that differs from what was exported.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetEdit {
    Task {
        id: i64,
        /// The version the row was exported at.
        version: i64,
        /// The agency the sheet was made for: it must still lead the task to change its
        /// status or progress, or coordinate it to add a note.
        agency: String,
        /// The task's plan reference when the sheet was made: the id must still name it.
        plan_ref: String,
        /// The title on the row.
        title: String,
        /// What the fillable cells held when the sheet was made.
        was: Exported,
        patch: TaskPatch,
        /// The note the agency wrote, kept with the task.
        note: Option<String>,
        /// Where the row comes from ("Q4.xlsx, Nhiệm vụ row 7"), for the change log.
        origin: String,
    },
    /// A new value for an indicator the sheet's agency leads; its `note` names the file and row.
    Measurement { agency: String, m: NewMeasurement },
}

/// What became of one edit.
#[derive(Debug)]
pub enum EditOutcome {
    /// Written (or, in a dry run, would be): the fields that change.
    Applied(Vec<FieldChange>),
    /// Nothing to write: the task already holds these values, or this very measurement is
    /// already recorded (a sheet imported twice).
    Unchanged,
    /// Refused: a conflict, a permission or a range; the row was not written.
    Refused(Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyMode {
    /// Check every row, then roll everything back.
    DryRun,
    /// Write only if no row is refused.
    AllOrNothing,
    /// Write the rows that pass; refused rows are reported.
    Partial,
}

#[derive(Debug)]
pub struct ApplyResult {
    pub outcomes: Vec<EditOutcome>,
    pub committed: bool,
}

impl ApplyResult {
    pub fn refused(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, EditOutcome::Refused(_)))
            .count()
    }
}

/// Errors that belong to one row; anything else (busy, disk full, damage) stops the whole
/// import.
fn is_row_error(e: &Error) -> bool {
    matches!(
        e,
        Error::Conflict(_)
            | Error::Denied(_)
            | Error::Invalid(_)
            | Error::Refused(_)
            | Error::NoSuchTask(_)
    )
}

fn measurement_recorded(tx: &Tx, m: &NewMeasurement) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT 1 FROM measurements WHERE indicator = ?1 AND measured_on = ?2 AND value = ?3 AND source = ?4",
        )?
        .query_row(
            params![m.indicator, m.measured_on, m.value, nfc(&m.source)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// True when this row's note is already kept with the task (the same file imported again):
/// the stored note starts with the row's origin and the agency's words.
fn note_kept(tx: &Tx, id: i64, origin: &str, note: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM notes WHERE task_id = ?1 AND instr(text, ?2) = 1")?
        .query_row(params![id, nfc(&format!("{origin}: {note}"))], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The row's change merged with what happened to the task since the sheet was made, field by
/// field: a field the row changes and nobody else did is applied; one already holding the
/// row's value is left out; one changed meanwhile to something else is a conflict. A note, or
/// a change of another field, never blocks the row.
fn merge(task: &Task, was: &Exported, patch: &TaskPatch) -> (TaskPatch, Vec<TaskField>) {
    let mut merged = patch.clone();
    let mut clash = Vec::new();
    if let Some(s) = patch.status {
        if task.status == s {
            merged.status = None;
        } else if task.status != was.status {
            clash.push(TaskField::Status);
        }
    }
    if let Some(p) = patch.progress {
        if task.progress == p {
            merged.progress = None;
        } else if task.progress != was.progress {
            clash.push(TaskField::Progress);
        }
    }
    if let Some(d) = patch.completed_on {
        if task.completed_on == Some(d) {
            merged.completed_on = None;
        } else if task.completed_on != was.completed_on {
            clash.push(TaskField::CompletedOn);
        }
    }
    (merged, clash)
}

/// The conflict of a row with the latest change of `fields` made since its sheet: who, when,
/// what, and where that change came from (another sheet's file and row, when it was one).
fn field_conflict(tx: &Tx, task: &Task, version: i64, fields: &[TaskField]) -> Result<Error> {
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {} FROM change_log WHERE entity = 'task' AND entity_id = ?1 ORDER BY id DESC LIMIT 500",
        log::LOG_COLUMNS
    ))?;
    let entries = stmt
        .query_map([task.id.to_string()], log::entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let last = entries
        .into_iter()
        .find(|e| e.changes.iter().any(|c| names.contains(&c.field.as_str())));
    Ok(Error::Conflict(Box::new(Conflict {
        task_id: task.id,
        expected_version: version,
        actual_version: task.version,
        by: last
            .as_ref()
            .map_or_else(|| task.updated_by.clone(), |e| e.user.clone()),
        at: last
            .as_ref()
            .map_or_else(|| task.updated_at.clone(), |e| e.at.clone()),
        from: Conflict::first_line(last.as_ref().and_then(|e| e.note.as_deref())),
        changes: last
            .map(|e| {
                e.changes
                    .into_iter()
                    .filter(|c| names.contains(&c.field.as_str()))
                    .collect()
            })
            .unwrap_or_default(),
    })))
}

#[allow(clippy::too_many_arguments)]
fn apply_task(
    tx: &Tx,
    user: &str,
    id: i64,
    version: i64,
    agency: &str,
    plan_ref: &str,
    was: &Exported,
    patch: &TaskPatch,
    note: Option<&str>,
    origin: &str,
) -> Result<EditOutcome> {
    let task = load_task(tx, id)?;
    // What the import checked before the transaction, again inside it.
    if task.plan_ref != plan_ref {
        return Err(Error::invalid(format!(
            "task #{id} is now {:?}, not {plan_ref:?} as when the sheet was made; make a new sheet",
            task.plan_ref
        )));
    }
    let leads = task.lead_agency == agency;
    if !leads && !task.coordinating.iter().any(|c| c == agency) {
        return Err(Error::invalid(format!(
            "task #{id} is not {agency}'s (lead: {}); its sheet cannot update it",
            task.lead_agency
        )));
    }
    if !leads && !patch.is_empty() {
        return Err(Error::invalid(format!(
            "{agency} only coordinates task #{id}: its row takes a note only; the lead reports status and progress"
        )));
    }
    let (merged, clash) = merge(&task, was, patch);
    if !clash.is_empty() {
        return Err(field_conflict(tx, &task, version, &clash)?);
    }
    let note = note.filter(|n| !note_kept(tx, id, origin, n).unwrap_or(false));
    if merged.is_empty() && note.is_none() {
        return Ok(EditOutcome::Unchanged);
    }
    let TaskUpdate {
        changes, log_id, ..
    } = update_task_in(
        tx,
        user,
        TaskChange {
            id,
            expected_version: Some(task.version),
            patch: &merged,
            note,
            source: Some(origin),
        },
    )?;
    Ok(match log_id {
        Some(_) => EditOutcome::Applied(changes),
        None => EditOutcome::Unchanged,
    })
}

fn apply_one(tx: &Tx, user: &str, edit: &SheetEdit) -> Result<EditOutcome> {
    match edit {
        SheetEdit::Task {
            id,
            version,
            agency,
            plan_ref,
            was,
            patch,
            note,
            origin,
            ..
        } => apply_task(
            tx,
            user,
            *id,
            *version,
            agency,
            plan_ref,
            was,
            patch,
            note.as_deref(),
            origin,
        ),
        SheetEdit::Measurement { agency, m } => {
            let lead: Option<String> = tx
                .prepare_cached("SELECT lead_agency FROM indicators WHERE code = ?1")?
                .query_row([&m.indicator], |r| r.get(0))
                .optional()?;
            if lead.as_deref() != Some(agency.as_str()) {
                return Err(Error::invalid(format!(
                    "indicator {:?} is not led by {agency}; its sheet cannot record it",
                    m.indicator
                )));
            }
            if measurement_recorded(tx, m)? {
                return Ok(EditOutcome::Unchanged);
            }
            let recorded = record_measurement_in(tx, user, m)?;
            Ok(EditOutcome::Applied(vec![FieldChange {
                field: "value".into(),
                old: None,
                new: Some(recorded.value.to_string()),
            }]))
        }
    }
}

impl Store {
    /// Applies the rows of one or more returned sheets in one transaction (see [`ApplyMode`]),
    /// telling `rows` how many rows are applied. Returns one outcome per edit, in order; an
    /// error only for what is not a row's fault.
    pub fn apply_sheet_edits(
        &mut self,
        edits: &[SheetEdit],
        mode: ApplyMode,
        rows: &dyn crate::progress::Progress,
    ) -> Result<ApplyResult> {
        // As every write, with the store's group when the store was opened with it.
        let grouped = self.grouped;
        crate::privilege::with_store_group_if(grouped, || {
            self.apply_sheet_edits_now(edits, mode, rows)
        })?
    }

    fn apply_sheet_edits_now(
        &mut self,
        edits: &[SheetEdit],
        mode: ApplyMode,
        rows: &dyn crate::progress::Progress,
    ) -> Result<ApplyResult> {
        if let Some(reason) = &self.read_only {
            return Err(Error::ReadOnly(reason.clone()));
        }
        // As every write: not into a file that is no longer the one at the path.
        if let Some(why) = self.check_file() {
            return Err(Error::ReadOnly(why.to_string()));
        }
        let user = self.user.clone();
        let tx = self.conn.transaction_with_behavior(Behavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(edits.len());
        let mut denied = Vec::new();
        rows.begin(crate::progress::Work::WriteRows, edits.len() as u64);
        for (n, edit) in edits.iter().enumerate() {
            if crate::progress::is_due(n) {
                rows.set(n as u64);
            }
            tx.execute_batch("SAVEPOINT sheet_row")?;
            match apply_one(&tx, &user, edit) {
                Ok(outcome) => {
                    tx.execute_batch("RELEASE sheet_row")?;
                    outcomes.push(outcome);
                }
                Err(e) if is_row_error(&e) => {
                    tx.execute_batch("ROLLBACK TO sheet_row; RELEASE sheet_row")?;
                    if let Error::Denied(why) = &e {
                        denied.push(why.clone());
                    }
                    outcomes.push(EditOutcome::Refused(e));
                }
                Err(e) => return Err(e),
            }
        }
        rows.end();
        let refused = outcomes
            .iter()
            .any(|o| matches!(o, EditOutcome::Refused(_)));
        let committed = match mode {
            ApplyMode::DryRun => false,
            ApplyMode::AllOrNothing => !refused,
            ApplyMode::Partial => true,
        };
        if committed {
            super::search_index::refresh_stale(&tx)?;
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        // As for any write: a refusal is kept in the log even though the row was not written.
        if mode != ApplyMode::DryRun {
            for why in denied {
                self.log_refusal(&why)?;
            }
        }
        Ok(ApplyResult {
            outcomes,
            committed,
        })
    }
}
