//! Applying the edits read from returned agency sheets: every row goes through the same
//! function as `cchc task set` or `cchc indicator record` (permissions, ranges, version check,
//! one change-log entry), all rows of all files inside ONE transaction, so that "all or
//! nothing" really is: each row runs in a savepoint and a refused row is rolled back alone.

use crate::store::engine::{Behavior, Tx};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::writes::{
    NewMeasurement, TaskChange, TaskUpdate, load_task, record_measurement_in, update_task_in,
};
use crate::error::{Error, Result};
use crate::model::{FieldChange, TaskPatch};
use crate::text::nfc;

/// One row of a returned sheet that differs from what was exported.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetEdit {
    Task {
        id: i64,
        /// The version the row was exported at: a task that moved on since is a conflict.
        version: i64,
        patch: TaskPatch,
        /// The note the agency wrote, kept with the task.
        note: Option<String>,
        /// Where the row comes from ("Q4.xlsx, Nhiệm vụ row 7"), for the change log.
        origin: String,
    },
    /// A new value for an indicator; its `note` names the file and row.
    Measurement(NewMeasurement),
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
        Error::Conflict(_) | Error::Denied(_) | Error::Invalid(_) | Error::NoSuchTask(_)
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

/// True when a task that moved on since the sheet was made already holds what the row asks
/// for (the same sheet imported twice, or the same change made in cchc meanwhile): nothing to
/// apply, and nothing to report as a conflict.
fn already_applied(
    tx: &Tx,
    id: i64,
    patch: &TaskPatch,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<bool> {
    let mut task = load_task(tx, id)?;
    if !patch.apply(&mut task, today).is_empty() {
        return Ok(false);
    }
    let Some(note) = note else {
        return Ok(true);
    };
    Ok(tx
        // The stored note names the file and row it came from, then the agency's words.
        .prepare_cached("SELECT 1 FROM notes WHERE task_id = ?1 AND instr(text, ?2) > 0")?
        .query_row(params![id, nfc(note)], |_| Ok(()))
        .optional()?
        .is_some())
}

fn apply_one(tx: &Tx, user: &str, edit: &SheetEdit, today: NaiveDate) -> Result<EditOutcome> {
    match edit {
        SheetEdit::Task {
            id,
            version,
            patch,
            note,
            origin,
        } => {
            if load_task(tx, *id)?.version != *version
                && already_applied(tx, *id, patch, note.as_deref(), today)?
            {
                return Ok(EditOutcome::Unchanged);
            }
            let TaskUpdate {
                changes, log_id, ..
            } = update_task_in(
                tx,
                user,
                TaskChange {
                    id: *id,
                    expected_version: Some(*version),
                    patch,
                    note: note.as_deref(),
                    source: Some(origin),
                },
            )?;
            Ok(match log_id {
                Some(_) => EditOutcome::Applied(changes),
                None => EditOutcome::Unchanged,
            })
        }
        SheetEdit::Measurement(m) => {
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
    /// Applies the rows of one or more returned sheets in one transaction (see [`ApplyMode`]).
    /// Returns one outcome per edit, in order; an error only for what is not a row's fault.
    pub fn apply_sheet_edits(
        &mut self,
        edits: &[SheetEdit],
        mode: ApplyMode,
        today: NaiveDate,
    ) -> Result<ApplyResult> {
        self.apply_sheet_edits_with(edits, mode, today, &crate::progress::Silent)
    }

    /// [`Store::apply_sheet_edits`], telling `rows` how many rows are applied.
    pub fn apply_sheet_edits_with(
        &mut self,
        edits: &[SheetEdit],
        mode: ApplyMode,
        today: NaiveDate,
        rows: &dyn crate::progress::Progress,
    ) -> Result<ApplyResult> {
        // As every write, with the store's group when the store was opened with it.
        let grouped = self.grouped;
        crate::privilege::with_store_group_if(grouped, || {
            self.apply_sheet_edits_now(edits, mode, today, rows)
        })?
    }

    fn apply_sheet_edits_now(
        &mut self,
        edits: &[SheetEdit],
        mode: ApplyMode,
        today: NaiveDate,
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
            match apply_one(&tx, &user, edit, today) {
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
