//! Where a binding applies: the screens, and the places layered over them (popups, the search
//! box, the command line, text fields), each with the chain of contexts a key is looked up in.

use crate::model::Lang;
use serde::{Deserialize, Serialize};

/// Where a binding applies. The app passes the context of what has the focus; a key is looked
/// up along that context's [`Context::chain`], the first binding (or unbinding) found winning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    /// The three-pane task screen: navigation, task list, task detail.
    Browse,
    Indicators,
    /// Full-screen slides for a meeting room.
    Meeting,
    Help,
    // Places over the screens (issue 11): their keys used to be fixed in the code.
    /// The search box above the task list, while typing.
    Search,
    /// The `:` command line.
    Command,
    /// Every popup; on its own, the one-field prompts (percent, note).
    Popup,
    /// The task form and the record form: several fields.
    Form,
    /// The status picker (`s`).
    StatusPicker,
    /// "Change 8 tasks …? (y/n)" before a change to marked tasks.
    Confirm,
    /// The multi-line note box (`N` without $VISUAL/$EDITOR).
    LongNote,
    /// A message to read (a refused edit).
    Notice,
    /// Editing keys of every text field (search box, command line, prompts, forms).
    Text,
}

impl Context {
    pub const ALL: [Context; 14] = [
        Context::Global,
        Context::Browse,
        Context::Indicators,
        Context::Meeting,
        Context::Help,
        Context::Search,
        Context::Command,
        Context::Popup,
        Context::Form,
        Context::StatusPicker,
        Context::Confirm,
        Context::LongNote,
        Context::Notice,
        Context::Text,
    ];

    /// The name of the config table (`[keys.meeting]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Browse => "browse",
            Context::Indicators => "indicators",
            Context::Meeting => "meeting",
            Context::Help => "help",
            Context::Search => "search",
            Context::Command => "command",
            Context::Popup => "popup",
            Context::Form => "form",
            Context::StatusPicker => "status_picker",
            Context::Confirm => "confirm",
            Context::LongNote => "long_note",
            Context::Notice => "notice",
            Context::Text => "text",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        let name = name.trim().to_ascii_lowercase().replace('-', "_");
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A heading for the help screen.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Context::Global, Lang::Vi) => "Chung",
            (Context::Browse, Lang::Vi) => "Danh sách nhiệm vụ",
            (Context::Indicators, Lang::Vi) => "Chỉ tiêu",
            (Context::Meeting, Lang::Vi) => "Chế độ họp",
            (Context::Help, Lang::Vi) => "Trợ giúp",
            (Context::Search, Lang::Vi) => "Ô tìm kiếm (/)",
            (Context::Command, Lang::Vi) => "Dòng lệnh (:)",
            (Context::Popup, Lang::Vi) => "Mọi hộp thoại",
            (Context::Form, Lang::Vi) => "Biểu mẫu (thêm/sửa nhiệm vụ, ghi số liệu)",
            (Context::StatusPicker, Lang::Vi) => "Chọn trạng thái (s)",
            (Context::Confirm, Lang::Vi) => "Xác nhận sửa nhiều nhiệm vụ (space, V rồi s/p/n/N)",
            (Context::LongNote, Lang::Vi) => "Ghi chú dài (N, khi không có $EDITOR)",
            (Context::Notice, Lang::Vi) => "Thông báo",
            (Context::Text, Lang::Vi) => "Trong ô nhập chữ",
            (Context::Global, Lang::En) => "Everywhere",
            (Context::Browse, Lang::En) => "Task list",
            (Context::Indicators, Lang::En) => "Indicators",
            (Context::Meeting, Lang::En) => "Meeting mode",
            (Context::Help, Lang::En) => "Help",
            (Context::Search, Lang::En) => "Search box (/)",
            (Context::Command, Lang::En) => "Command line (:)",
            (Context::Popup, Lang::En) => "Every popup",
            (Context::Form, Lang::En) => "Forms (add/edit a task, record a measurement)",
            (Context::StatusPicker, Lang::En) => "The status picker (s)",
            (Context::Confirm, Lang::En) => "Changing marked tasks (space, V, then s/p/n/N)",
            (Context::LongNote, Lang::En) => "Long note (N, without $EDITOR)",
            (Context::Notice, Lang::En) => "Notice",
            (Context::Text, Lang::En) => "In a text field",
        }
    }

    /// Whether characters typed here go into a text field. There a plain character (without
    /// ctrl or alt) is always text and never looked up, so it cannot be bound; the other keys
    /// are looked up along the chain, which then does not fall through to `Global` (ctrl-d
    /// pages the list, but means nothing while typing a note).
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Context::Search
                | Context::Command
                | Context::Popup
                | Context::Form
                | Context::LongNote
                | Context::Text
        )
    }

    /// Whether this is a screen, the bottom layer: a key bound in `Global` replaces the
    /// key's meaning on every screen, but leaves popups and text fields their own keys.
    pub fn is_screen(self) -> bool {
        matches!(
            self,
            Context::Browse | Context::Indicators | Context::Meeting | Context::Help
        )
    }

    /// The contexts a key is looked up in when this one has the focus, first match winning:
    /// the context itself, then the text field's editing keys where text is typed, then the
    /// popup keys every popup shares, then (where nothing is typed) the `Global` keys.
    pub fn chain(self) -> &'static [Context] {
        use Context::*;
        match self {
            Global => &[Global],
            Browse => &[Browse, Global],
            Indicators => &[Indicators, Global],
            Meeting => &[Meeting, Global],
            Help => &[Help, Global],
            Search => &[Search, Text],
            Command => &[Command, Text],
            Popup => &[Popup, Text],
            Form => &[Form, Text, Popup],
            LongNote => &[LongNote, Text, Popup],
            StatusPicker => &[StatusPicker, Popup, Global],
            Confirm => &[Confirm, Popup, Global],
            Notice => &[Notice, Popup, Global],
            Text => &[Text],
        }
    }
}
