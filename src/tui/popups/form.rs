//! The one form every popup with something to type or choose is built on: its fields, which
//! one has the focus, why the last Enter was refused, and the text-editing keys.

use std::sync::LazyLock;

use crate::model::Lang;
use crate::tui::input::{Edit, TextInput};
use crate::tui::labels::tr;

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
    // The one-field popups.
    Status,
    Percent,
    Note,
    LongNote,
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
            FieldKey::MeasureNote | FieldKey::Note | FieldKey::LongNote => {
                tr(lang, "Ghi chú", "Note")
            }
            FieldKey::Status => tr(lang, "Trạng thái", "Status"),
            FieldKey::Percent => tr(lang, "Tiến độ (%)", "Progress (%)"),
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
    /// One line of text.
    Text(TextInput),
    /// Several lines: Enter starts a new line and a paste keeps its line breaks.
    Lines(TextInput),
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
    pub fn text(key: FieldKey, text: &str) -> Field {
        Field {
            key,
            value: FieldValue::Text(TextInput::new(text)),
        }
    }

    /// The text typed, or the chosen option's code.
    pub fn raw(&self) -> &str {
        match &self.value {
            FieldValue::Text(t) | FieldValue::Lines(t) => t.text(),
            FieldValue::Choice { options, selected } => {
                options.get(*selected).map_or("", |(code, _)| code.as_str())
            }
        }
    }
}

/// Fields, the focus and the validation message: what the status picker, the prompts, the
/// long note, the task form and the record form share.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last Enter was not accepted; cleared by the next change.
    pub error: Option<String>,
}

/// What an absent text field reads as.
static NO_TEXT: LazyLock<TextInput> = LazyLock::new(TextInput::default);

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        Form {
            fields,
            focus: 0,
            error: None,
        }
    }

    /// The text typed in the field `key`, or its chosen option's code.
    pub fn field(&self, key: FieldKey) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", Field::raw)
    }

    /// The focused field's text box (the first field's in a one-field popup).
    pub fn input(&self) -> &TextInput {
        match self.fields.get(self.focus).map(|f| &f.value) {
            Some(FieldValue::Text(t) | FieldValue::Lines(t)) => t,
            _ => &NO_TEXT,
        }
    }

    /// The text of the focused field.
    pub fn text(&self) -> &str {
        self.input().text()
    }

    /// The option chosen in the focused field (0 if it is not a choice).
    pub fn chosen(&self) -> usize {
        match self.fields.get(self.focus).map(|f| &f.value) {
            Some(FieldValue::Choice { selected, .. }) => *selected,
            _ => 0,
        }
    }

    /// Chooses option `index` (clamped to the options) in the focused field.
    pub fn choose(&mut self, index: usize) {
        if let Some(Field {
            value: FieldValue::Choice { options, selected },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            *selected = index.min(options.len().saturating_sub(1));
        }
    }

    pub fn focus_by(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(n.max(1)) as usize;
    }

    /// Applies an edit to the focused field: text fields take text (a multi-line one takes
    /// Enter as a new line and keeps a paste's line breaks), choices cycle with ←/→ (and
    /// space). A change to the text clears the last error.
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
            FieldValue::Lines(t) => {
                let changed = match edit {
                    Edit::Insert('\n') => t.insert_lines("\n"),
                    Edit::Paste(s) => t.insert_lines(s),
                    other => t.edit(other),
                };
                if changed {
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

/// A popup is its form plus what the form is about: reading and editing go to the form.
macro_rules! on_form {
    ($popup:ty) => {
        impl std::ops::Deref for $popup {
            type Target = $crate::tui::popups::form::Form;
            fn deref(&self) -> &Self::Target {
                &self.form
            }
        }
        impl std::ops::DerefMut for $popup {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.form
            }
        }
    };
}
pub(crate) use on_form;
