//! The status picker: one choice among the statuses, for one task or the marked ones.

use crate::model::{Status, Task};

use super::Target;
use super::form::{Field, FieldKey, FieldValue, Form, on_form};

#[derive(Debug, Clone, PartialEq)]
pub struct StatusPicker {
    pub target: Target,
    /// The marked tasks the status goes to instead of `target` alone; empty for one task.
    pub selection: Vec<Target>,
    /// `target`'s status as last read from the store (shown as "current"; the task need not
    /// be among the rows the list holds).
    pub current: Status,
    /// One choice, in the order of `Status::ALL`.
    pub form: Form,
}
on_form!(StatusPicker);

impl StatusPicker {
    pub fn new(task: &Task) -> StatusPicker {
        let options = Status::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
            .collect();
        let selected = Status::ALL
            .iter()
            .position(|s| *s == task.status)
            .unwrap_or(0);
        StatusPicker {
            target: Target::of(task),
            selection: Vec::new(),
            current: task.status,
            form: Form::new(vec![Field {
                key: FieldKey::Status,
                value: FieldValue::Choice { options, selected },
            }]),
        }
    }

    /// The index into `Status::ALL` chosen.
    pub fn selected(&self) -> usize {
        self.chosen()
    }

    pub fn status(&self) -> Status {
        Status::ALL[self.selected().min(Status::ALL.len() - 1)]
    }
}
