//! Everything a user can ask for, as plain data.
//!
//! An `Action` is what a key *means*; the keymap turns keys into actions and `App::update`
//! hands them to the screen or popup on top, so each side is tested without the other and
//! without a terminal. Actions carry no payload: text typed into a prompt (search, percent,
//! note) goes to that prompt as raw characters, never through the keymap; the keys around the
//! typing (Enter, Esc, Backspace, ctrl-w, …) are actions like any other.
//!
//! Each action is declared once below, with its config name, its name on the `:` command line
//! if it has one, its descriptions in both languages, the short label a hint line gives it
//! (with the words it takes in a context where it means something narrower: Enter "saves" in
//! a prompt but "runs" on the command line) and whether it writes to the shared file. Adding an
//! action touches this one place, plus a default key in `keymap.rs` (a test insists on one,
//! unless it is a command that takes an argument). The help, the hint lines, the popups' own
//! key lines and the command line's names and completion all read this table.

use crate::model::Lang;
use crate::tui::keymap::Context;
use crate::tui::labels::tr;
use serde::{Deserialize, Serialize};

/// Declares `Action` together with its stable config name, help descriptions, hint labels
/// and whether it writes.
///
/// The names are the `snake_case` spelling serde uses; a test checks that both agree.
macro_rules! actions {
    (@cmd) => { None };
    (@cmd $cmd:literal) => { Some($cmd) };
    (@writes) => { false };
    (@writes $writes:literal) => { $writes };
    (@hint $context:ident, $lang:ident) => { None };
    (@hint $context:ident, $lang:ident, $vi:literal, $en:literal
        $(, $in:ident, $in_vi:literal, $in_en:literal)*) => {
        Some(match $context {
            $( Context::$in => tr($lang, $in_vi, $in_en), )*
            _ => tr($lang, $vi, $en),
        })
    };
    ($( $(#[$doc:meta])* $variant:ident => $name:literal $(, cmd: $cmd:literal)?,
        vi: $vi:literal, en: $en:literal
        $(, hint: $hint_vi:literal / $hint_en:literal
            $([ $($in:ident: $in_vi:literal / $in_en:literal),+ ])?)?
        $(, writes: $writes:literal)?; )+) => {
        /// A user's request, independent of the key that produced it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $( $(#[$doc])* $variant, )+
        }

        impl Action {
            /// Every action, in the order the help screen lists them.
            pub const ALL: &'static [Action] = &[ $( Action::$variant, )+ ];

            /// The name used in the config file's `[keys]` table (`"toggle_overdue"`).
            pub fn name(self) -> &'static str {
                match self {
                    $( Action::$variant => $name, )+
                }
            }

            /// The action's name on the `:` command line (`:overdue`), if it has one; what
            /// follows the name is the action's argument (see `tui::command`).
            pub fn command(self) -> Option<&'static str> {
                match self {
                    $( Action::$variant => actions!(@cmd $($cmd)?), )+
                }
            }

            /// One line for the help screen, in the interface language.
            pub fn description(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Action::$variant, Lang::Vi) => $vi,
                        (Action::$variant, Lang::En) => $en,
                    )+
                }
            }

            /// The short label a hint line gives the action in `context` ("lưu" for Enter
            /// in a prompt, "chạy" on the command line); `None` for an action no hint line
            /// offers.
            pub fn hint(self, context: Context, lang: Lang) -> Option<&'static str> {
                match self {
                    $( Action::$variant => actions!(@hint context, lang
                        $(, $hint_vi, $hint_en $($(, $in, $in_vi, $in_en)+)?)?), )+
                }
            }

            /// Whether the action changes the shared file: a session that cannot write is
            /// not offered it. `confirm` is not one: it says yes to what the popup's own
            /// action (`set_status`, `add_note`, …) opened, which such a session never opens;
            /// and in the search box or on the command line it writes nothing.
            pub fn writes(self) -> bool {
                match self {
                    $( Action::$variant => actions!(@writes $($writes)?), )+
                }
            }
        }
    };
}

actions! {
    // Moving around a list or a scrollable text.
    MoveUp => "move_up", vi: "Lên một dòng", en: "Move up";
    MoveDown => "move_down", vi: "Xuống một dòng", en: "Move down",
        hint: "chọn" / "choose" [Help: "cuộn" / "scroll", Search: "chọn nhiệm vụ" / "select a task"];
    Top => "top", vi: "Về đầu danh sách", en: "Go to the top";
    Bottom => "bottom", vi: "Xuống cuối danh sách", en: "Go to the bottom";
    PageUp => "page_up", vi: "Lên một trang", en: "Page up";
    PageDown => "page_down", vi: "Xuống một trang", en: "Page down", hint: "trang sau" / "next page";
    HalfPageUp => "half_page_up", vi: "Lên nửa trang", en: "Half a page up";
    HalfPageDown => "half_page_down", vi: "Xuống nửa trang", en: "Half a page down";
    /// Focus the next pane (navigation → tasks → detail).
    NextPane => "next_pane", vi: "Sang khung kế tiếp", en: "Next pane";
    PrevPane => "prev_pane", vi: "Về khung trước", en: "Previous pane";
    /// Open the selected row: a task's detail, an area's tasks, an indicator's history.
    Open => "open", vi: "Mở mục đang chọn", en: "Open the selected item";
    /// Close a popup or leave the current screen for the previous one.
    Back => "back", vi: "Quay lại / đóng", en: "Back / close",
        hint: "quay lại" / "back" [Help: "đóng" / "close"];

    // Browsing tasks.
    Search => "search", vi: "Tìm kiếm (gõ không dấu cũng được)", en: "Search (accents optional)",
        hint: "tìm" / "search" [Help: "tìm" / "find"];
    ToggleOverdue => "toggle_overdue", cmd: "overdue", vi: "Chỉ hiện việc quá hạn / hiện tất cả", en: "Show only overdue tasks / all tasks",
        hint: "quá hạn" / "overdue";
    CycleSort => "cycle_sort", cmd: "sort", vi: "Đổi cách sắp xếp", en: "Change the sort order", hint: "sắp xếp" / "sort";
    /// `<` and `>`, as in k9s and htop: sort by the column to the left or right.
    SortPrevColumn => "sort_prev_column", vi: "Xếp theo cột bên trái", en: "Sort by the column to the left";
    SortNextColumn => "sort_next_column", vi: "Xếp theo cột bên phải", en: "Sort by the column to the right";
    ReverseSort => "reverse_sort", cmd: "reverse", vi: "Đảo chiều sắp xếp", en: "Reverse the order";
    /// ctrl-n/ctrl-p (`n`/`N` are notes here): the next or previous hit of the list, also while
    /// typing in the search box, as in fzf and lazygit.
    NextHit => "next_hit", vi: "Kết quả tìm kiếm sau (cả khi đang gõ tìm)", en: "Next search hit (also while typing the search)";
    PrevHit => "prev_hit", vi: "Kết quả tìm kiếm trước", en: "Previous search hit";
    /// The detail pane over the whole task screen, and back.
    ZoomDetail => "zoom_detail", cmd: "zoom", vi: "Phóng to khung chi tiết / thu lại", en: "Zoom the detail pane / back";
    /// Switch the navigation pane between areas of work and agencies.
    ToggleNav => "toggle_nav", vi: "Duyệt theo lĩnh vực / theo cơ quan", en: "Browse by area / by agency",
        hint: "lĩnh vực/cơ quan" / "area/agency";

    // Changing tasks.
    SetStatus => "set_status", vi: "Đặt trạng thái", en: "Set the status", hint: "trạng thái" / "status", writes: true;
    SetPercent => "set_percent", vi: "Đặt tiến độ (%)", en: "Set the progress (%)", hint: "tiến độ" / "percent", writes: true;
    AddNote => "add_note", vi: "Thêm ghi chú", en: "Add a note", hint: "ghi chú" / "note", writes: true;
    AddTask => "add_task", vi: "Thêm nhiệm vụ", en: "Add a task", hint: "thêm" / "add", writes: true;
    EditTask => "edit_task", vi: "Sửa nhiệm vụ", en: "Edit the task", hint: "sửa" / "edit", writes: true;
    /// `d`: status done in one key, with what `s` then Hoàn thành asks and refuses.
    MarkDone => "mark_done", vi: "Đánh dấu hoàn thành (như s rồi Hoàn thành)", en: "Mark done (as s then Done)", writes: true;
    /// Undo the user's own last change (itself recorded in the change log).
    Undo => "undo", cmd: "undo", vi: "Hoàn tác thay đổi vừa rồi", en: "Undo the last change", hint: "hoàn tác" / "undo", writes: true;

    // Finding tasks by number, the `:` command line, saved views, copying (issue 12).
    /// `:` opens the one-line command prompt at the bottom.
    CommandLine => "command_line", vi: "Dòng lệnh (:157, :area, :agency, :sort, :view…)", en: "Command line (:157, :area, :agency, :sort, :view…)";
    /// Copy the selected task's reference line to the clipboard (OSC 52).
    CopyReference => "copy_reference", vi: "Chép dòng tham chiếu của nhiệm vụ (#157 …)", en: "Copy the task's reference line (#157 …)";
    /// `:157`, `:goto 157`: select a task by its number, dropping filters that hide it.
    GotoTask => "goto_task", cmd: "goto", vi: "Đến nhiệm vụ theo số (:157)", en: "Go to a task by number (:157)";
    FilterArea => "filter_area", cmd: "area", vi: "Lọc theo lĩnh vực (:area tthc)", en: "Filter by area (:area tthc)";
    FilterAgency => "filter_agency", cmd: "agency", vi: "Lọc theo cơ quan chủ trì (:agency STP)", en: "Filter by lead agency (:agency STP)";
    SetTheme => "set_theme", cmd: "theme", vi: "Đổi giao diện màu (:theme projector)", en: "Change the colour theme (:theme projector)";
    SaveView => "save_view", cmd: "save", vi: "Lưu bộ lọc và cách xếp thành góc nhìn (:save TÊN)", en: "Save the filters and sort as a view (:save NAME)";
    OpenView => "open_view", cmd: "view", vi: "Mở góc nhìn đã lưu (:view TÊN)", en: "Open a saved view (:view NAME)";

    // Several tasks at once, and notes longer than a line (issue 12).
    /// Mark or unmark the selected task; status, progress and notes then go to every marked
    /// task.
    ToggleMark => "toggle_mark", vi: "Chọn / bỏ chọn nhiệm vụ rồi xuống dòng (để sửa nhiều việc một lúc)", en: "Mark / unmark the task and move down (to change several at once)";
    /// Mark every task from the last one marked to the selected one.
    MarkRange => "mark_range", vi: "Chọn từ nhiệm vụ chọn trước đến dòng này", en: "Mark from the last marked task to here";
    /// Mark every task the list shows (filters apply); again clears the marks.
    MarkVisible => "mark_visible", vi: "Chọn cả danh sách đang hiện / bỏ chọn tất cả", en: "Mark every listed task / clear the marks";
    /// A note of several lines, in $VISUAL or $EDITOR (or a multi-line box without them).
    LongNote => "long_note", vi: "Ghi chú dài (trình soạn thảo $VISUAL/$EDITOR)", en: "Long note (in $VISUAL/$EDITOR)", writes: true;

    // Urging agencies (issue 26).
    /// The letter urging the agency in the list's scope (else the selected task's lead
    /// agency): previewed, then mailed after a y/n naming the addresses.
    Remind => "remind", vi: "Đôn đốc cơ quan: xem công văn, gửi thư kèm bảng theo dõi", en: "Urge the agency: preview its letter, mail it with its sheet", hint: "đôn đốc" / "urge", writes: true;

    // Indicators.
    Indicators => "indicators", cmd: "indicators", vi: "Màn hình chỉ tiêu", en: "Indicators screen", hint: "chỉ tiêu" / "indicators";
    RecordMeasurement => "record_measurement", vi: "Ghi nhận số liệu chỉ tiêu", en: "Record a measurement", hint: "ghi số liệu" / "record", writes: true;

    // Meeting mode: large, one slide at a time.
    Meeting => "meeting", cmd: "meeting", vi: "Chế độ họp (trình chiếu)", en: "Meeting mode (presentation)", hint: "họp" / "meeting";
    NextSlide => "next_slide", vi: "Trang trình chiếu sau", en: "Next slide";
    PrevSlide => "prev_slide", vi: "Trang trình chiếu trước", en: "Previous slide";
    /// `g`/`G` in meeting mode, listed under the meeting's keys in the help (issue 12).
    FirstSlide => "first_slide", vi: "Trang trình chiếu đầu (tổng quan)", en: "First slide (overview)";
    LastSlide => "last_slide", vi: "Trang trình chiếu cuối", en: "Last slide";

    // Popups, the search box, the `:` command line and text fields (issue 11): keys that were
    // fixed in the code before, now rows of the keymap like every other.
    /// Enter in a popup, the search box or the command line: save, say yes, run, done.
    Confirm => "confirm", vi: "Xác nhận: lưu, đồng ý, chạy lệnh, xong", en: "Confirm: save, yes, run, done",
        hint: "lưu" / "save" [Search: "xong" / "done", Command: "chạy" / "runs", Confirm: "đồng ý" / "yes", Notice: "đóng" / "close"];
    /// Esc in a popup, the search box or the command line.
    Cancel => "cancel", vi: "Huỷ, không lưu gì (ô tìm kiếm: xoá tìm kiếm)", en: "Cancel, save nothing (search box: clear the search)",
        hint: "huỷ" / "cancel" [Search: "xoá tìm kiếm" / "clear search", Command: "huỷ" / "cancels", Notice: "đóng" / "close"];
    NextField => "next_field", vi: "Sang ô sau của biểu mẫu", en: "Next field of the form", hint: "ô sau" / "next field";
    PrevField => "prev_field", vi: "Về ô trước của biểu mẫu", en: "Previous field of the form";
    /// Tab on the command line: complete the word, again for the next candidate.
    Complete => "complete", vi: "Gợi ý (lệnh, bộ lọc agency:…), bấm tiếp để xem mục sau", en: "Complete (a command, a filter such as agency:…); again for the next",
        hint: "gợi ý" / "completes" [Search: "gợi ý bộ lọc" / "complete a filter"];
    CompleteBack => "complete_back", vi: "Gợi ý lệnh, theo chiều ngược lại", en: "Complete, cycling backwards";
    /// The status picker's digits: pick a status and save at once.
    #[serde(rename = "pick_status_1")]
    PickStatus1 => "pick_status_1", vi: "Chọn ngay trạng thái số 1 và lưu", en: "Pick status 1 and save", hint: "chọn nhanh" / "pick", writes: true;
    #[serde(rename = "pick_status_2")]
    PickStatus2 => "pick_status_2", vi: "Chọn ngay trạng thái số 2 và lưu", en: "Pick status 2 and save", writes: true;
    #[serde(rename = "pick_status_3")]
    PickStatus3 => "pick_status_3", vi: "Chọn ngay trạng thái số 3 và lưu", en: "Pick status 3 and save", writes: true;
    #[serde(rename = "pick_status_4")]
    PickStatus4 => "pick_status_4", vi: "Chọn ngay trạng thái số 4 và lưu", en: "Pick status 4 and save", writes: true;
    /// Enter in the long-note box (Enter saves elsewhere).
    NewLine => "new_line", vi: "Xuống dòng", en: "New line", hint: "xuống dòng" / "new line";
    CursorLeft => "cursor_left", vi: "Con trỏ sang trái; ô chọn: mục trước", en: "Cursor left; a choice field: the previous option";
    CursorRight => "cursor_right", vi: "Con trỏ sang phải; ô chọn: mục sau", en: "Cursor right; a choice field: the next option";
    LineStart => "line_start", vi: "Về đầu ô", en: "To the start of the field";
    LineEnd => "line_end", vi: "Về cuối ô", en: "To the end of the field";
    DeleteBack => "delete_back", vi: "Xoá ký tự trước con trỏ", en: "Delete the character before the cursor";
    DeleteForward => "delete_forward", vi: "Xoá ký tự tại con trỏ", en: "Delete the character at the cursor";
    DeleteWord => "delete_word", vi: "Xoá một từ trước con trỏ", en: "Delete the word before the cursor";
    ClearField => "clear_field", vi: "Xoá cả ô", en: "Clear the field";

    // Everywhere.
    /// Reload from the shared file now instead of waiting for the next tick.
    Refresh => "refresh", cmd: "reload", vi: "Tải lại dữ liệu", en: "Reload the data";
    /// ctrl-z: back to the shell, the terminal as it was; `fg` brings the screen back.
    Suspend => "suspend", vi: "Tạm dừng, trở về shell (fg để quay lại)", en: "Suspend to the shell (fg to come back)";
    Help => "help", cmd: "help", vi: "Trợ giúp phím tắt", en: "Keyboard help", hint: "trợ giúp" / "help";
    /// `q`: closes what is on top (popup, help, search, indicators, slides) as Esc does; on
    /// the task list, and in `cchc meet` where nothing is under the slides, it quits.
    Close => "close", vi: "Đóng phần đang mở như Esc; ở danh sách nhiệm vụ và `cchc meet` thì thoát", en: "Close what is on top, as Esc; quits on the task list and in `cchc meet`",
        hint: "thoát" / "quit";
    Quit => "quit", cmd: "quit", vi: "Thoát ngay, từ bất cứ đâu", en: "Quit at once, from anywhere",
        hint: "thoát" / "quit";
}

impl Action {
    /// The status picker's quick picks, in the order of `Status::ALL`.
    const PICKS: [Action; 4] = [
        Action::PickStatus1,
        Action::PickStatus2,
        Action::PickStatus3,
        Action::PickStatus4,
    ];

    /// The index into `Status::ALL` that a status picker digit asks for.
    pub fn status_index(self) -> Option<usize> {
        Action::PICKS.iter().position(|&a| a == self)
    }

    /// The quick pick of the status at `index` of `Status::ALL` (the picker shows its key).
    pub fn pick_status(index: usize) -> Option<Action> {
        Action::PICKS.get(index).copied()
    }

    /// Parses a config name; `-` is accepted for `_` (`toggle-overdue`), case is ignored.
    pub fn from_name(name: &str) -> Option<Action> {
        let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
        Action::ALL.iter().copied().find(|a| a.name() == wanted)
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_match_serde() {
        for &action in Action::ALL {
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.name()));
            let back: Action = serde_json::from_str(&json).unwrap();
            assert_eq!(back, action);
        }
    }

    #[test]
    fn from_name_round_trips_and_is_lenient() {
        for &action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(
            Action::from_name("Toggle-Overdue"),
            Some(Action::ToggleOverdue)
        );
        assert_eq!(Action::from_name("none"), None);
        assert_eq!(Action::from_name(""), None);
    }

    #[test]
    fn descriptions_are_present_and_distinct() {
        for lang in [Lang::Vi, Lang::En] {
            let mut seen = HashSet::new();
            for &action in Action::ALL {
                let d = action.description(lang);
                assert!(!d.trim().is_empty(), "{action} has no {lang:?} description");
                assert!(seen.insert(d), "{action}: duplicate description {d:?}");
            }
        }
    }
}
