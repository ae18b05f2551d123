//! The status bar's key hints, as data beside the keymap: which actions the hint line offers
//! on each screen, with a short label in each language, and which actions write to the shared
//! file (a read-only session does not offer them). The keys themselves always come from the
//! merged [`Keymap`], so a key rebound in the config file shows as its new key.

use super::{Context, Key, Keymap};
use crate::model::Lang;
use crate::tui::action::Action;

/// One entry of the hint line: on `context`'s screen, offer `action` as "key label".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub context: Context,
    pub action: Action,
    pub vi: &'static str,
    pub en: &'static str,
}

const fn hint(context: Context, action: Action, vi: &'static str, en: &'static str) -> Hint {
    Hint {
        context,
        action,
        vi,
        en,
    }
}

use Action as A;
use Context::{
    Browse, Command, Confirm, Form, Help, Indicators, LongNote, Meeting, Notice, Popup, Search,
    StatusPicker,
};

/// The hint line per screen, in the order shown (as many as fit the width, left first).
pub const HINTS: &[Hint] = &[
    // The task screen.
    hint(Browse, A::Help, "trợ giúp", "help"),
    hint(Browse, A::Close, "thoát", "quit"),
    hint(Browse, A::Search, "tìm", "search"),
    hint(Browse, A::ToggleOverdue, "quá hạn", "overdue"),
    // Shown on the overdue list only (`views/status.rs`), greyed without the right to urge.
    hint(Browse, A::Remind, "đôn đốc", "urge"),
    hint(Browse, A::SetPercent, "tiến độ", "percent"),
    hint(Browse, A::SetStatus, "trạng thái", "status"),
    hint(Browse, A::AddNote, "ghi chú", "note"),
    hint(Browse, A::EditTask, "sửa", "edit"),
    hint(Browse, A::AddTask, "thêm", "add"),
    hint(Browse, A::Undo, "hoàn tác", "undo"),
    hint(Browse, A::CycleSort, "sắp xếp", "sort"),
    hint(Browse, A::ToggleNav, "lĩnh vực/cơ quan", "area/agency"),
    hint(Browse, A::Indicators, "chỉ tiêu", "indicators"),
    hint(Browse, A::Meeting, "họp", "meeting"),
    // Indicators.
    hint(Indicators, A::Help, "trợ giúp", "help"),
    hint(Indicators, A::Back, "quay lại", "back"),
    hint(Indicators, A::RecordMeasurement, "ghi số liệu", "record"),
    hint(Indicators, A::Meeting, "họp", "meeting"),
    // Meeting mode (recording has no default key here; a config file may give it one).
    hint(Meeting, A::Help, "trợ giúp", "help"),
    hint(Meeting, A::Back, "quay lại", "back"),
    hint(Meeting, A::RecordMeasurement, "ghi số liệu", "record"),
    hint(Meeting, A::Meeting, "họp", "meeting"),
    // ----- Places over the screens (issue 11) -----
    hint(Help, A::Back, "đóng", "close"),
    hint(Help, A::MoveDown, "cuộn", "scroll"),
    hint(Help, A::PageDown, "trang sau", "next page"),
    hint(Help, A::Search, "tìm", "find"),
    hint(Search, A::Confirm, "xong", "done"),
    hint(Search, A::Cancel, "xoá tìm kiếm", "clear search"),
    hint(Search, A::MoveDown, "chọn nhiệm vụ", "select a task"),
    hint(Search, A::Complete, "gợi ý bộ lọc", "complete a filter"),
    hint(Command, A::Complete, "gợi ý", "completes"),
    hint(Command, A::Confirm, "chạy", "runs"),
    hint(Command, A::Cancel, "huỷ", "cancels"),
    // The one-field prompts (percent, note).
    hint(Popup, A::Confirm, "lưu", "save"),
    hint(Popup, A::Cancel, "huỷ", "cancel"),
    hint(Form, A::NextField, "ô sau", "next field"),
    hint(Form, A::Confirm, "lưu", "save"),
    hint(Form, A::Cancel, "huỷ", "cancel"),
    hint(StatusPicker, A::MoveDown, "chọn", "choose"),
    hint(StatusPicker, A::PickStatus1, "chọn nhanh", "pick"),
    hint(StatusPicker, A::Confirm, "lưu", "save"),
    hint(StatusPicker, A::Cancel, "huỷ", "cancel"),
    hint(Confirm, A::Confirm, "đồng ý", "yes"),
    hint(Confirm, A::Cancel, "huỷ", "cancel"),
    hint(LongNote, A::NewLine, "xuống dòng", "new line"),
    hint(LongNote, A::Confirm, "lưu", "save"),
    hint(LongNote, A::Cancel, "huỷ", "cancel"),
    hint(Notice, A::Confirm, "đóng", "close"),
];

/// The actions that change the shared file. `confirm` is not one: it says yes to what the
/// popup's own action (`set_status`, `add_note`, …) opened, which a read-only session never
/// opens; and in the search box or the command line it writes nothing.
pub const WRITING_ACTIONS: &[Action] = &[
    A::SetStatus,
    A::SetPercent,
    A::AddNote,
    A::LongNote,
    A::AddTask,
    A::EditTask,
    A::MarkDone,
    A::Undo,
    A::RecordMeasurement,
    A::Remind,
    A::PickStatus1,
    A::PickStatus2,
    A::PickStatus3,
    A::PickStatus4,
];

/// Whether `action` changes the shared file.
pub fn writes(action: Action) -> bool {
    WRITING_ACTIONS.contains(&action)
}

impl Hint {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

impl Keymap {
    /// The hint line for `context`: (first key, short label) for each [`HINTS`] entry whose
    /// action still has a key there; writing actions only when `can_write`.
    pub fn hints(&self, context: Context, can_write: bool, lang: Lang) -> Vec<(Key, &'static str)> {
        HINTS
            .iter()
            .filter(|h| h.context == context && (can_write || !writes(h.action)))
            .filter_map(|h| {
                let key = self.keys_for(h.action, context).into_iter().next()?;
                Some((key, h.label(lang)))
            })
            .collect()
    }

    /// Every key that asks for `action` in `context`, as a popup's own line names them
    /// ("y/enter"); `None` when the user left it none.
    pub fn key_list(&self, action: Action, context: Context) -> Option<String> {
        let keys = self.keys_for(action, context);
        (!keys.is_empty()).then(|| {
            keys.iter()
                .map(Key::to_string)
                .collect::<Vec<_>>()
                .join("/")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_sessions_are_not_offered_writing_actions() {
        let keymap = Keymap::default();
        for context in [Browse, Indicators] {
            let all = keymap.hints(context, true, Lang::Vi);
            let read_only = keymap.hints(context, false, Lang::Vi);
            assert!(read_only.len() < all.len(), "{context:?}");
            for (key, _) in &read_only {
                let action = keymap.resolve_key(*key, context).unwrap();
                assert!(!writes(action), "{context:?}: {key} offers {action}");
            }
        }
    }

    #[test]
    fn every_popup_help_and_search_hint_has_a_default_key() {
        let keymap = Keymap::default();
        for context in Context::ALL
            .into_iter()
            .filter(|c| !c.is_screen() || *c == Help)
        {
            let shown = keymap.hints(context, true, Lang::Vi);
            let expected = HINTS.iter().filter(|h| h.context == context).count();
            assert_eq!(shown.len(), expected, "{context:?}: {shown:?}");
        }
        assert_eq!(
            keymap.hints(Confirm, true, Lang::En)[0],
            ("y".parse().unwrap(), "yes")
        );
        assert_eq!(
            keymap.hints(LongNote, true, Lang::En)[1],
            ("ctrl-s".parse().unwrap(), "save")
        );
    }

    #[test]
    fn every_task_screen_hint_has_a_default_key_and_its_label() {
        let keymap = Keymap::default();
        let shown = keymap.hints(Browse, true, Lang::En);
        let expected = HINTS.iter().filter(|h| h.context == Browse).count();
        assert_eq!(shown.len(), expected, "{shown:?}");
        assert_eq!(shown[0], ("?".parse().unwrap(), "help"));
        assert!(
            shown.contains(&("s".parse().unwrap(), "status")),
            "{shown:?}"
        );
    }
}
