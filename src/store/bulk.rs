//! One change applied to several tasks at once (the TUI's multi-select): each task is its own
//! versioned write with its own change-log entry, exactly as if the member had changed them
//! one by one, so a conflict or a refusal on one task stops only that task.

use crate::error::Result;
use crate::model::TaskPatch;

use super::writes::{TaskChange, update_task_in};
use super::{Store, TaskUpdate};

/// A task to change and the version the member saw (`None`: no version check, as for a note,
/// which overwrites nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkTarget {
    pub task_id: i64,
    pub version: Option<i64>,
}

/// What happened to one task of a bulk change.
#[derive(Debug)]
pub struct BulkOutcome {
    pub task_id: i64,
    /// The write, or why it was not made (a conflict names who changed the task first).
    pub result: Result<TaskUpdate>,
}

impl Store {
    /// Applies `patch` (and `note`) to every target in order, one IMMEDIATE transaction per
    /// task, and returns one outcome per target. Nothing is rolled back when a later task
    /// fails: each change stands on its own, as the change log records it.
    pub fn update_each(
        &mut self,
        targets: &[BulkTarget],
        patch: &TaskPatch,
        note: Option<&str>,
    ) -> Vec<BulkOutcome> {
        targets
            .iter()
            .map(|t| BulkOutcome {
                task_id: t.task_id,
                result: self.update_task(t.task_id, t.version, patch, note),
            })
            .collect()
    }
}

/// One write of [`Store::update_tasks_together`]: a task, the version the caller saw (`None`:
/// no check), a patch and an optional note.
#[derive(Debug, Clone, Copy)]
pub struct TaskWrite<'a> {
    pub task_id: i64,
    pub version: Option<i64>,
    pub patch: &'a TaskPatch,
    pub note: Option<&'a str>,
}

impl Store {
    /// Applies every write in one transaction, all or nothing: each is checked and logged
    /// exactly as [`Store::update_task`] does it (its own change-log entry, note and version
    /// bump), and the first refusal or conflict undoes them all. For scripts and the
    /// benchmark generator, which write thousands at once: one commit per write was most of
    /// their time.
    pub fn update_tasks_together(&mut self, writes: &[TaskWrite]) -> Result<Vec<TaskUpdate>> {
        let user = self.user.clone();
        self.write(|tx| {
            writes
                .iter()
                .map(|w| {
                    update_task_in(
                        tx,
                        &user,
                        TaskChange {
                            id: w.task_id,
                            expected_version: w.version,
                            patch: w.patch,
                            note: w.note,
                            source: None,
                        },
                    )
                })
                .collect()
        })
    }
}
