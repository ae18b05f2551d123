//! Several tasks at once (marks, and opening the one popup that asks for all of them; the
//! write itself is in `edit.rs`) and long notes (the external editor or the multi-line box).

use super::super::action::Action;
use super::super::keymap::{Context, Key};
use super::App;
use crate::tui::popups::long_note::{EditorRequest, LongNote};
use crate::tui::popups::{FieldKey, Popup, Prompt, StatusPicker, Target};

impl App {
    /// The task screen's keys for marks and long notes, and status, progress, notes and
    /// "done" while tasks are marked. Returns whether it handled `a`.
    pub(in crate::tui) fn bulk_action(&mut self, a: Action) -> bool {
        match a {
            Action::ToggleMark => {
                if let Some(marked) = self.browse.list.toggle_mark() {
                    let verb = if marked {
                        self.t("Đã chọn", "Marked")
                    } else {
                        self.t("Đã bỏ chọn", "Unmarked")
                    };
                    let text = format!("{verb} · {}", self.marks_summary());
                    self.info(text);
                    // And on to the next task, as in mutt and lazygit: space, space, space.
                    self.move_list(1);
                }
                true
            }
            Action::MarkRange => {
                match self.browse.list.mark_range(&self.store) {
                    Ok(Some(n)) => {
                        let text = format!(
                            "{} {n} · {}",
                            self.t("Đã chọn thêm", "Marked"),
                            self.marks_summary()
                        );
                        self.info(text);
                    }
                    Ok(None) => {
                        let text = self
                            .t(
                                "Chưa chọn nhiệm vụ nào trong danh sách: space chọn điểm đầu",
                                "No listed task is marked yet: space marks where the range starts",
                            )
                            .to_string();
                        self.info(text);
                    }
                    Err(e) => {
                        let text = self.describe_error(&e);
                        self.error(text);
                    }
                }
                true
            }
            Action::MarkDone if !self.browse.list.marked.is_empty() => {
                if self.writable() {
                    let selection = self.marked_targets();
                    if let Some(first) = selection.first() {
                        let patch = crate::model::TaskPatch {
                            status: Some(crate::model::Status::Done),
                            ..Default::default()
                        };
                        let effect =
                            self.task_change(first, &selection, Some(first.version), patch, None);
                        self.apply(Some(effect));
                    }
                }
                true
            }
            Action::MarkVisible => {
                match self.browse.list.mark_visible(&self.store) {
                    Ok(true) => {
                        let text = self.marks_summary();
                        self.info(text);
                    }
                    Ok(false) => {
                        let text = self.t("Đã bỏ chọn tất cả", "All marks cleared").to_string();
                        self.info(text);
                    }
                    Err(e) => {
                        let text = self.describe_error(&e);
                        self.error(text);
                    }
                }
                true
            }
            Action::LongNote => {
                self.open_long_note();
                true
            }
            Action::SetStatus | Action::SetPercent | Action::AddNote
                if !self.browse.list.marked.is_empty() =>
            {
                self.open_bulk(a);
                true
            }
            _ => false,
        }
    }

    /// "3 nhiệm vụ đang chọn · s/p/n/N: sửa cả 3 · esc: bỏ chọn", keys from the keymap
    fn marks_summary(&self) -> String {
        let n = self.browse.list.marked.len();
        // The keys as the keymap binds them (issue 11).
        let keymap = &self.settings.keymap;
        let first = |a: Action| {
            keymap
                .keys_for(a, Context::Browse)
                .first()
                .map(Key::to_string)
        };
        let change: Vec<String> = [
            Action::SetStatus,
            Action::SetPercent,
            Action::AddNote,
            Action::LongNote,
        ]
        .into_iter()
        .filter_map(first)
        .collect();
        let change = change.join("/");
        let back = first(Action::Back).unwrap_or_default();
        match self.lang() {
            crate::model::Lang::Vi => {
                format!("{n} nhiệm vụ đang chọn · {change}: sửa cả {n} · {back}: bỏ chọn")
            }
            crate::model::Lang::En => {
                format!("{n} tasks marked · {change}: change all {n} · {back}: clear")
            }
        }
    }

    /// The marked tasks as they are now, to change together.
    fn marked_targets(&mut self) -> Vec<Target> {
        match self.browse.list.marked_tasks(&self.store) {
            Ok(tasks) => tasks.iter().map(Target::of).collect(),
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
                Vec::new()
            }
        }
    }

    /// The status picker or a prompt for every marked task; the value chosen then asks for
    /// one confirmation.
    fn open_bulk(&mut self, a: Action) {
        if !self.writable() {
            return;
        }
        let selection = self.marked_targets();
        let Some(first) = selection
            .first()
            .and_then(|t| self.store.task(t.task_id).ok())
        else {
            self.browse.list.marked.clear();
            return;
        };
        self.popup = Some(match a {
            Action::SetStatus => {
                let mut p = StatusPicker::new(&first);
                p.selection = selection;
                Popup::Status(p)
            }
            Action::SetPercent => {
                let mut p = Prompt::new(&first, FieldKey::Percent, "");
                p.selection = selection;
                Popup::Percent(p)
            }
            _ => {
                let mut p = Prompt::new(&first, FieldKey::Note, "");
                p.selection = selection;
                Popup::Note(p)
            }
        });
    }

    // ----- Long notes ---------------------------------------------------------------------

    /// `N`: the external editor when one is set, else the multi-line box; for every marked
    /// task when there are marks.
    fn open_long_note(&mut self) {
        let selection = if self.browse.list.marked.is_empty() {
            Vec::new()
        } else if self.writable() {
            self.marked_targets()
        } else {
            return;
        };
        let target = match selection.first() {
            Some(first) => first.clone(),
            None => match self.editable_task() {
                Some(task) => Target::of(&task),
                None => return,
            },
        };
        let initial = self.long_note_draft.clone();
        match self.settings.editor.clone() {
            Some(command) => {
                let header =
                    crate::tui::popups::long_note::header(&target, &selection, self.lang());
                self.editor_request = Some(EditorRequest {
                    command,
                    initial: format!("{header}{initial}"),
                    header,
                    target,
                    selection,
                });
            }
            None => {
                self.popup = Some(Popup::LongNote(Box::new(LongNote::new(
                    target, selection, &initial,
                ))));
            }
        }
    }

    /// The external editor to run now, if `N` asked for one. The event loop hands the
    /// terminal over, runs it, and answers with [`Msg::EditorDone`].
    pub fn take_editor_request(&mut self) -> Option<EditorRequest> {
        let request = self.editor_request.take()?;
        self.editor_running = Some(request.clone());
        Some(request)
    }

    pub(in crate::tui) fn editor_done(&mut self, result: Result<String, (String, String)>) {
        let Some(request) = self.editor_running.take() else {
            return;
        };
        let strip =
            |text: &str| crate::tui::popups::long_note::without_header(text, &request.header);
        match result {
            Ok(text) => {
                let text = strip(&text);
                let saved = self
                    .long_note_effect(&request.target, &request.selection, &text)
                    .and_then(|effect| self.carry_out(effect));
                if let Err(e) = saved {
                    self.long_note_draft = text;
                    self.error(e);
                }
            }
            Err((why, text)) => {
                let text = strip(&text);
                if !text.trim().is_empty() {
                    self.long_note_draft = text;
                }
                self.error(why);
            }
        }
    }
}
