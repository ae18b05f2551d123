//! A one-field prompt: a task's percent or a short note.

use crate::model::Task;

use super::Target;
use super::form::{Field, FieldKey, Form, on_form};

/// A one-field prompt (percent, note).
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub target: Target,
    /// The marked tasks the value goes to instead of `target` alone; empty for one task.
    pub selection: Vec<Target>,
    /// `target`'s progress as last read from the store (the percent prompt shows it).
    pub progress: u8,
    pub form: Form,
}
on_form!(Prompt);

impl Prompt {
    pub fn new(task: &Task, key: FieldKey, initial: &str) -> Prompt {
        Prompt {
            target: Target::of(task),
            selection: Vec::new(),
            progress: task.progress,
            form: Form::new(vec![Field::text(key, initial)]),
        }
    }
}

/// Parses a percent as people type it: "60", " 60 % ".
pub fn parse_percent(s: &str) -> Option<u8> {
    s.trim()
        .trim_end_matches('%')
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_parse_leniently_and_stay_in_range() {
        assert_eq!(parse_percent("60"), Some(60));
        assert_eq!(parse_percent(" 60 % "), Some(60));
        assert_eq!(parse_percent("100"), Some(100));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent("sáu mươi"), None);
        assert_eq!(parse_percent(""), None);
    }
}
