//! What the change log records: an entry, each field's old → new, and a note on a task.

use super::*;

/// One field's change inside a change-log entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    /// A change of one task field.
    pub fn task(field: TaskField, old: Option<String>, new: Option<String>) -> Self {
        FieldChange {
            field: field.name().into(),
            old,
            new,
        }
    }

    /// The task field this change is of; `None` for a member's, a measurement's or a count.
    pub fn task_field(&self) -> Option<TaskField> {
        TaskField::from_name(&self.field)
    }

    /// The one spelling of a change: "field: old → new" with stored codes and values as they
    /// are (∅ for none); callers that print it pass it through `untrusted::line`.
    pub fn describe(&self) -> String {
        spell_change(
            &self.field,
            self.old.as_deref().unwrap_or("∅"),
            self.new.as_deref().unwrap_or("∅"),
        )
    }

    /// `describe` of each change, joined by "; ".
    pub fn describe_all(changes: &[FieldChange]) -> String {
        changes
            .iter()
            .map(FieldChange::describe)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// `describe` for a member to read in `lang` (the TUI): a task field by its label with its
    /// values as people read them ([`TaskField::display_value`]); a change of anything else (a
    /// member, a measurement) exactly as `describe` spells it.
    pub fn describe_in(&self, lang: Lang) -> String {
        let Some(field) = self.task_field() else {
            return self.describe();
        };
        spell_change(
            field.label(lang),
            &field.display_value(self.old.as_deref(), lang),
            &field.display_value(self.new.as_deref(), lang),
        )
    }

    /// `describe_in` of each change, joined by "; ".
    pub fn describe_all_in(changes: &[FieldChange], lang: Lang) -> String {
        changes
            .iter()
            .map(|c| c.describe_in(lang))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The one shape of a change, "field: old → new", whichever words fill it.
fn spell_change(field: &str, old: &str, new: &str) -> String {
    format!("{field}: {old} → {new}")
}

/// One user action as recorded in the change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub changes: Vec<FieldChange>,
    pub note: Option<String>,
    pub hash: String,
    /// The OS account (uid, login) of the process that wrote the entry; `None` for entries
    /// written before cchc recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// The import entry this entry belongs to (one per task an import creates or changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub task_id: i64,
    pub author: String,
    pub at: String,
    pub text: String,
}
