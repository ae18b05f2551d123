//! Popups, one file each, all built on one [`Form`] (fields, focus, the validation message,
//! the text-editing keys): the status picker, the percent and note prompts, the long note, the
//! add/edit form, the record form of the indicators screen, the confirmation of a change to
//! several tasks, and notices (a refused edit). Each task edit holds what it is
//! based on (the task id and the version the member saw when opening it), so a change made
//! meanwhile by someone else is refused by the store instead of overwritten. A measurement
//! needs no version: every measurement is kept, none overwrites another.

pub mod confirm;
pub mod form;
pub mod long_note;
mod measure_form;
mod notice;
mod prompt;
pub mod remind;
mod status;
mod task_form;
mod update;
pub mod view;
mod view_multi;

pub use form::{Field, FieldKey, FieldValue, Form};
pub use measure_form::MeasureForm;
pub use notice::Notice;
pub use prompt::{Prompt, parse_percent};
pub use status::StatusPicker;
pub use task_form::{FormMode, TaskForm};
pub use update::Step;

use crate::model::Task;
use crate::tui::keymap::Context;

/// The task an edit is about, as it was when the popup opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub task_id: i64,
    pub version: i64,
    pub title: String,
    /// The lead agency's code, which a change to several tasks names in its confirmation.
    pub agency: String,
}

impl Target {
    pub fn of(task: &Task) -> Target {
        Target {
            task_id: task.id,
            version: task.version,
            title: task.title.clone(),
            agency: task.lead_agency.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Status(StatusPicker),
    Percent(Prompt),
    Note(Prompt),
    Form(Box<TaskForm>),
    Measure(Box<MeasureForm>),
    Notice(Notice),
    /// "Change 8 tasks of 8 agencies …? (y/n)" before a change to marked tasks.
    Confirm(Box<confirm::Confirm>),
    /// A note of several lines typed in the popup (when no $VISUAL/$EDITOR is set).
    LongNote(Box<long_note::LongNote>),
    /// The letter urging an agency, previewed; with mail configured, sent after a y/n.
    Remind(Box<remind::RemindPreview>),
}

impl Popup {
    /// What the user has typed into this popup so far, as plain text to keep in the drafts
    /// file when the session is ended under them (a signal, a hang-up); `None` when nothing
    /// typed would be lost. Field names in English: the drafts file is read by whoever
    /// recovers it, in any language.
    pub fn draft(&self) -> Option<String> {
        let fields = |fields: &[Field]| -> String {
            fields
                .iter()
                .map(|f| format!("  {:?}: {}", f.key, f.raw()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let text = match self {
            Popup::Percent(p) if !p.text().trim().is_empty() => format!(
                "task #{} ({}): progress % typed: {}",
                p.target.task_id,
                p.target.title,
                p.text()
            ),
            Popup::Note(p) if !p.text().trim().is_empty() => format!(
                "task #{} ({}): note typed:\n{}",
                p.target.task_id,
                p.target.title,
                p.text()
            ),
            Popup::Form(form) => match &form.mode {
                FormMode::Add => format!("new task form:\n{}", fields(&form.fields)),
                FormMode::Edit(t) => {
                    format!("task #{} edit form:\n{}", t.id, fields(&form.fields))
                }
            },
            Popup::LongNote(n) if !n.text().trim().is_empty() => format!(
                "task #{} ({}): long note typed:\n{}",
                n.target.task_id,
                n.target.title,
                n.text()
            ),
            Popup::Measure(form) if !form.field(FieldKey::Value).trim().is_empty() => format!(
                "measurement of {}:\n{}",
                form.indicator.code,
                fields(&form.fields)
            ),
            _ => return None,
        };
        Some(text)
    }

    /// Whether typed characters go into a text field of this popup.
    pub fn takes_text(&self) -> bool {
        self.context().takes_text()
    }

    /// The keymap context of this popup's keys (issue 11).
    pub fn context(&self) -> Context {
        match self {
            Popup::Percent(_) | Popup::Note(_) => Context::Popup,
            Popup::Form(_) | Popup::Measure(_) => Context::Form,
            Popup::Status(_) => Context::StatusPicker,
            // y sends, n/Esc goes back, the moves scroll the letter.
            Popup::Confirm(_) | Popup::Remind(_) => Context::Confirm,
            Popup::LongNote(_) => Context::LongNote,
            Popup::Notice(_) => Context::Notice,
        }
    }
}
