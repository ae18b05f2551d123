//! `Store::undo_last`: a member's most recent task change reverted, as a new change-log entry.

use crate::store::engine::Tx;
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::log::{self, NewEntry};
use super::members::Permissions;
use super::writes::{TaskUpdate, load_task, store_task, validate};
use crate::error::{Conflict, Error, Result};
use crate::model::{NewTask, Task, TaskField};

/// The field an update's change names, if a member's change could have made it.
fn undoable(field: &str) -> Result<TaskField> {
    TaskField::from_name(field)
        .filter(|f| TaskField::EDITABLE.contains(f))
        .ok_or_else(|| {
            Error::invalid(format!(
                "cannot undo a change of {field:?}: not a task field"
            ))
        })
}

impl Store {
    /// Undoes the current user's most recent task update that is not undone yet, as a new
    /// change-log entry (action `undo`, `undo_of` naming the entry): nothing is deleted, and
    /// calling it again walks further back. Only fields still holding the values that entry
    /// wrote are reverted; if anyone changed one of them since, nothing is written and the
    /// error names who, when and what. An undo restores the stored values exactly, completion
    /// date included.
    pub fn undo_last(&mut self) -> Result<TaskUpdate> {
        let user = self.user.clone();
        self.write(|tx| {
            // No index on undo_of: the NOT EXISTS scans the log once per candidate, and the
            // newest candidate is nearly always the one.
            let entry = tx
                .prepare_cached(&format!(
                    "SELECT {} FROM change_log c
                     WHERE c.\"user\" = ?1 AND c.entity = 'task' AND c.action = 'update'
                       AND NOT EXISTS (SELECT 1 FROM change_log u WHERE u.undo_of = c.id)
                     ORDER BY c.id DESC LIMIT 1",
                    log::LOG_COLUMNS
                ))?
                .query_row([&user], log::entry_from_row)
                .optional()?
                .ok_or_else(|| Error::NothingToUndo(user.clone()))?;
            let id: i64 = entry
                .entity_id
                .parse()
                .map_err(|_| Error::invalid(format!("log entry {} names no task", entry.id)))?;
            let current = load_task(tx, id)?;
            let mut reverted = current.clone();
            for change in &entry.changes {
                let field = undoable(&change.field)?;
                if field.logged(&current) != change.new {
                    return Err(undo_refused(tx, &current, entry.id, &change.field)?);
                }
                field
                    .set(&mut reverted, change.old.as_deref())
                    .map_err(|e| Error::invalid(format!("cannot undo: in the log, {e}")))?;
            }
            let changes = crate::model::diff_tasks(&current, &reverted);
            // An undo is a change like any other: the same rule decides who may make it.
            Permissions::load(tx, &user)?.require_task_change(&current, &reverted)?;
            validate(tx, &NewTask::from(&reverted))?;
            let seq = log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "task",
                    entity_id: &id.to_string(),
                    action: "undo",
                    changes: &changes,
                    note: None,
                    undo_of: Some(entry.id),
                },
            )?;
            let task = store_task(tx, &current, &reverted, &user, seq)?;
            Ok(TaskUpdate {
                task,
                changes,
                log_id: Some(seq),
            })
        })
    }
}

/// Why an undo cannot proceed: who changed `field` of `task` after log entry `since`.
fn undo_refused(tx: &Tx, task: &Task, since: i64, field: &str) -> Result<Error> {
    let later = tx
        .prepare_cached(&format!(
            "SELECT {} FROM change_log
             WHERE entity = 'task' AND entity_id = ?1 AND id > ?2 ORDER BY id DESC",
            log::LOG_COLUMNS
        ))?
        .query_map(params![task.id.to_string(), since], log::entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // The newest entry that touched the field, else the newest at all (an older cchc's import
    // wrote no per-task entry, so there may be none: then the row's own stamp says who).
    let by_field = later
        .iter()
        .find(|e| e.changes.iter().any(|c| c.field == field));
    let (by, at, changes, from) = match by_field.or(later.first()) {
        Some(e) => (
            e.user.clone(),
            e.at.clone(),
            e.changes.clone(),
            Conflict::first_line(e.note.as_deref()),
        ),
        None => (
            task.updated_by.clone(),
            task.updated_at.clone(),
            Vec::new(),
            None,
        ),
    };
    Ok(Error::UndoRefused(Box::new(Conflict {
        task_id: task.id,
        // An undo reads no version: both are the task's version now.
        expected_version: task.version,
        actual_version: task.version,
        by,
        at,
        changes,
        from,
    })))
}
