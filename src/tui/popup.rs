//! Popups: the status picker, the percent and note prompts, the add/edit form, the record
//! form of the indicators screen, and notices (a refused edit). Each task edit holds what it is
//! based on (the task id and the version the member saw when opening it), so a change made
//! meanwhile by someone else is refused by the store instead of overwritten. A measurement
//! needs no version: every measurement is kept, none overwrites another.

use chrono::NaiveDate;

use crate::model::{Indicator, Lang, Status, Task, Unit};

use super::data::Data;
use super::input::{Edit, TextInput};
use super::keymap::Context;
use super::labels::{self, tr};

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
    Confirm(Box<super::bulk::Confirm>),
    /// A note of several lines typed in the popup (when no $VISUAL/$EDITOR is set).
    LongNote(Box<super::note_editor::LongNote>),
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
            Popup::Percent(p) if !p.input.text().trim().is_empty() => format!(
                "task #{} ({}): progress % typed: {}",
                p.target.task_id,
                p.target.title,
                p.input.text()
            ),
            Popup::Note(p) if !p.input.text().trim().is_empty() => format!(
                "task #{} ({}): note typed:\n{}",
                p.target.task_id,
                p.target.title,
                p.input.text()
            ),
            Popup::Form(form) => match &form.mode {
                FormMode::Add => format!("new task form:\n{}", fields(&form.fields)),
                FormMode::Edit(t) => {
                    format!("task #{} edit form:\n{}", t.id, fields(&form.fields))
                }
            },
            Popup::LongNote(n) if !n.input.text().trim().is_empty() => format!(
                "task #{} ({}): long note typed:\n{}",
                n.target.task_id,
                n.target.title,
                n.input.text()
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
            Popup::Confirm(_) => Context::Confirm,
            Popup::LongNote(_) => Context::LongNote,
            Popup::Notice(_) => Context::Notice,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusPicker {
    pub target: Target,
    /// Index into `Status::ALL`.
    pub selected: usize,
    /// The marked tasks the status goes to instead of `target` alone; empty for one task.
    pub selection: Vec<Target>,
    /// `target`'s status as last read from the store (shown as "current"; the task need not
    /// be among the rows the list holds).
    pub current: Status,
}

impl StatusPicker {
    pub fn new(task: &Task) -> StatusPicker {
        StatusPicker {
            target: Target::of(task),
            selected: Status::ALL
                .iter()
                .position(|s| *s == task.status)
                .unwrap_or(0),
            selection: Vec::new(),
            current: task.status,
        }
    }

    pub fn status(&self) -> Status {
        Status::ALL[self.selected.min(Status::ALL.len() - 1)]
    }
}

/// A one-field prompt (percent, note).
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub target: Target,
    pub input: TextInput,
    /// Why the last Enter was not accepted.
    pub error: Option<String>,
    /// The marked tasks the value goes to instead of `target` alone; empty for one task.
    pub selection: Vec<Target>,
    /// `target`'s progress as last read from the store (the percent prompt shows it).
    pub progress: u8,
}

impl Prompt {
    pub fn new(task: &Task, initial: &str) -> Prompt {
        Prompt {
            target: Target::of(task),
            input: TextInput::new(initial),
            error: None,
            selection: Vec::new(),
            progress: task.progress,
        }
    }

    /// Applies an edit to the field; a change clears the last error.
    pub fn edit(&mut self, edit: &Edit) {
        if self.input.edit(edit) {
            self.error = None;
        }
    }
}

/// Something the member must read: a refused edit, with who changed what.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub title: String,
    pub lines: Vec<String>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Title,
    Area,
    Lead,
    Coordinating,
    Due,
    Output,
    // The record form.
    Value,
    MeasuredOn,
    Source,
    MeasureNote,
}

impl FieldKey {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FieldKey::Title => tr(lang, "Tên nhiệm vụ", "Title"),
            FieldKey::Area => tr(lang, "Lĩnh vực", "Area"),
            FieldKey::Lead => tr(lang, "Chủ trì", "Lead agency"),
            FieldKey::Coordinating => tr(lang, "Phối hợp", "Coordinating"),
            FieldKey::Due => tr(lang, "Hạn", "Due"),
            FieldKey::Output => tr(lang, "Sản phẩm", "Output"),
            FieldKey::Value => tr(lang, "Giá trị", "Value"),
            FieldKey::MeasuredOn => tr(lang, "Ngày đo", "Measured on"),
            FieldKey::Source => tr(lang, "Nguồn", "Source"),
            FieldKey::MeasureNote => tr(lang, "Ghi chú", "Note"),
        }
    }

    /// A line under the field explaining what to type, if it needs one.
    pub fn help(self, lang: Lang) -> Option<&'static str> {
        match self {
            FieldKey::Area | FieldKey::Lead => Some(tr(lang, "←/→ để chọn", "←/→ to choose")),
            FieldKey::Coordinating => Some(tr(
                lang,
                "mã cơ quan, cách nhau bằng dấu phẩy (VD: VPUB, STP)",
                "agency codes, separated by commas (e.g. VPUB, STP)",
            )),
            FieldKey::Due => Some(tr(
                lang,
                "ngày/tháng/năm, VD 31/12/2027",
                "day/month/year, e.g. 31/12/2027",
            )),
            FieldKey::MeasuredOn => Some(tr(
                lang,
                "ngày/tháng/năm (VD 26/11/2026) hoặc 2026-11-26",
                "day/month/year (e.g. 26/11/2026) or 2026-11-26",
            )),
            FieldKey::Source => Some(tr(
                lang,
                "số liệu lấy từ đâu, VD Cổng Dịch vụ công quốc gia",
                "where the figure comes from, e.g. the national public service portal",
            )),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(TextInput),
    /// (code, label) options and the chosen index.
    Choice {
        options: Vec<(String, String)>,
        selected: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: FieldKey,
    pub value: FieldValue,
}

impl Field {
    fn text(key: FieldKey, text: &str) -> Field {
        Field {
            key,
            value: FieldValue::Text(TextInput::new(text)),
        }
    }

    /// The text typed, or the chosen option's code.
    pub fn raw(&self) -> &str {
        match &self.value {
            FieldValue::Text(t) => t.text(),
            FieldValue::Choice { options, selected } => {
                options.get(*selected).map_or("", |(code, _)| code.as_str())
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormMode {
    Add,
    /// Editing `original`, as it was when the form opened.
    Edit(Box<Task>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskForm {
    pub mode: FormMode,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
}

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
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn field(&self, key: FieldKey) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", Field::raw)
    }

    pub fn focus_by(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(n.max(1)) as usize;
    }

    /// Applies an edit to the focused field: text fields take text, choices cycle with
    /// ←/→ (and space).
    pub fn edit(&mut self, edit: &Edit) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut field.value {
            FieldValue::Text(t) => {
                if t.edit(edit) {
                    self.error = None;
                }
            }
            FieldValue::Choice { options, selected } => {
                let n = options.len().max(1);
                match edit {
                    Edit::Right | Edit::Insert(' ') => *selected = (*selected + 1) % n,
                    Edit::Left => *selected = (*selected + n - 1) % n,
                    Edit::Home => *selected = 0,
                    Edit::End => *selected = n - 1,
                    _ => {}
                }
            }
        }
    }
}

/// The record form: a measurement of one indicator (value, date, source, note).
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureForm {
    pub indicator: Indicator,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
}

impl MeasureForm {
    /// A blank form for `indicator`, the date set to `today`.
    pub fn new(indicator: &Indicator, today: NaiveDate) -> MeasureForm {
        MeasureForm {
            indicator: indicator.clone(),
            fields: vec![
                Field::text(FieldKey::Value, ""),
                Field::text(FieldKey::MeasuredOn, &labels::date(today)),
                Field::text(FieldKey::Source, ""),
                Field::text(FieldKey::MeasureNote, ""),
            ],
            focus: 0,
            error: None,
        }
    }

    pub fn field(&self, key: FieldKey) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", Field::raw)
    }

    /// What to type in the focused field; the value's hint depends on the indicator's unit.
    pub fn help(&self, lang: Lang) -> Option<&'static str> {
        let key = self.fields.get(self.focus)?.key;
        match key {
            FieldKey::Value => Some(match (self.indicator.unit, self.indicator.direction) {
                (Unit::Level, _) => tr(
                    lang,
                    "cấp độ từ 1 đến 5, VD 3",
                    "a level from 1 to 5, e.g. 3",
                ),
                (Unit::Percent, crate::model::Direction::ReduceBy) => tr(
                    lang,
                    "số đo được (không phải % giảm), dấu phẩy hoặc chấm thập phân",
                    "the measured quantity (not the % reduction), decimal comma or point",
                ),
                (Unit::Percent, _) => tr(
                    lang,
                    "phần trăm, dấu phẩy hoặc chấm thập phân, VD 87,5",
                    "a percent, decimal comma or point, e.g. 87.5",
                ),
            }),
            other => other.help(lang),
        }
    }

    pub fn focus_by(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(n.max(1)) as usize;
    }

    pub fn edit(&mut self, edit: &Edit) {
        if let Some(Field {
            value: FieldValue::Text(t),
            ..
        }) = self.fields.get_mut(self.focus)
            && t.edit(edit)
        {
            self.error = None;
        }
    }
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
