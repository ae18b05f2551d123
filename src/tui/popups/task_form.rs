//! The add/edit form of a task.

use crate::model::{Lang, Task};
use crate::tui::data::Data;
use crate::tui::labels;

use super::form::{Field, FieldKey, FieldValue, Form, on_form};

#[derive(Debug, Clone, PartialEq)]
pub enum FormMode {
    Add,
    /// Editing `original`, as it was when the form opened.
    Edit(Box<Task>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskForm {
    pub mode: FormMode,
    pub form: Form,
}
on_form!(TaskForm);

impl TaskForm {
    /// A form for a new task, or for editing `task`. `area` and `lead` preselect the choices
    /// for a new task (the navigation pane's scope).
    pub fn new(
        data: &Data,
        lang: Lang,
        task: Option<&Task>,
        area: Option<&str>,
        lead: Option<&str>,
    ) -> TaskForm {
        let area_options: Vec<(String, String)> = data
            .areas
            .iter()
            .map(|a| (a.code.clone(), a.name(lang).to_string()))
            .collect();
        let agency_options: Vec<(String, String)> = data
            .agencies
            .iter()
            .map(|a| (a.code.clone(), format!("{} ({})", a.name, a.code)))
            .collect();
        let choice = |options: Vec<(String, String)>, code: Option<&str>| {
            let selected = code
                .and_then(|c| options.iter().position(|(o, _)| o == c))
                .unwrap_or(0);
            FieldValue::Choice { options, selected }
        };
        let (area, lead) = match task {
            Some(t) => (Some(t.area.as_str()), Some(t.lead_agency.as_str())),
            None => (area, lead),
        };
        let fields = vec![
            Field::text(FieldKey::Title, task.map_or("", |t| t.title.as_str())),
            Field {
                key: FieldKey::Area,
                value: choice(area_options, area),
            },
            Field {
                key: FieldKey::Lead,
                value: choice(agency_options, lead),
            },
            Field::text(
                FieldKey::Coordinating,
                &task.map(|t| t.coordinating.join(", ")).unwrap_or_default(),
            ),
            Field::text(
                FieldKey::Due,
                &task.map(|t| labels::date(t.due)).unwrap_or_default(),
            ),
            Field::text(FieldKey::Output, task.map_or("", |t| t.output.as_str())),
        ];
        TaskForm {
            mode: match task {
                Some(t) => FormMode::Edit(Box::new(t.clone())),
                None => FormMode::Add,
            },
            form: Form::new(fields),
        }
    }
}
