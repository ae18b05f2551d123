//! Several tasks at once (marks, one confirmation, a per-task report) and long notes (the
//! external editor or the multi-line box).

use crate::model::TaskPatch;

use super::super::action::Action;
use super::super::keymap::{Context, Key};
use super::super::labels::tr;
use super::{App, MessageKind};
use crate::tui::popups::confirm::{self as bulk, Confirm};
use crate::tui::popups::long_note::{EditorRequest, LongNote, checked_note};
use crate::tui::popups::{FieldKey, Notice, Popup, Prompt, StatusPicker, Target};

impl App {
    /// The task screen's keys for marks and long notes, and status, progress and notes while
    /// tasks are marked. Returns whether it handled `a`.
    pub(in crate::tui) fn bulk_action(&mut self, a: Action) -> bool {
        match a {
            Action::ToggleMark => {
                if let Some(marked) = self.list.toggle_mark() {
                    let verb = if marked {
                        self.t("Đã chọn", "Marked")
                    } else {
                        self.t("Đã bỏ chọn", "Unmarked")
                    };
                    let text = format!("{verb} · {}", self.marks_summary());
                    self.info(text);
                }
                true
            }
            Action::MarkVisible => {
                match self.list.mark_visible(&self.store) {
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
                if !self.list.marked.is_empty() =>
            {
                self.open_bulk(a);
                true
            }
            _ => false,
        }
    }

    /// "3 nhiệm vụ đang chọn · s/p/n/N: sửa cả 3 · esc: bỏ chọn", keys from the keymap
    fn marks_summary(&self) -> String {
        let n = self.list.marked.len();
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
        match self.list.marked_tasks(&self.store) {
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
            self.list.marked.clear();
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

    /// Writes to the one task of an edit, or, when tasks are marked (`selection`), asks for
    /// the confirmation that writes to all of them. `Ok` means the popup may close.
    pub(in crate::tui) fn write_or_confirm(
        &mut self,
        target: &Target,
        selection: &[Target],
        version: Option<i64>,
        patch: &TaskPatch,
        note: Option<&str>,
    ) -> Result<(), String> {
        if selection.is_empty() {
            return self.commit(target.task_id, version, patch, note);
        }
        let lang = self.lang();
        let change = match (self.describe_patch(patch), note) {
            (Some(change), _) => change,
            (None, Some(note)) => format!(
                "{}: {}",
                tr(lang, "Ghi chú", "Note"),
                super::super::text::truncate(note.lines().next().unwrap_or(""), 60)
            ),
            (None, None) => String::new(),
        };
        self.popup = Some(Popup::Confirm(Box::new(Confirm {
            targets: selection.to_vec(),
            patch: patch.clone(),
            note: note.map(str::to_string),
            change,
        })));
        Ok(())
    }

    /// The confirmation's keys: Enter or y applies, Esc or n cancels.
    pub(in crate::tui) fn confirm_action(&mut self, c: Box<Confirm>, a: Action) -> Option<Popup> {
        match a {
            Action::Cancel => {
                let text = self.t("Đã huỷ, không sửa gì", "Cancelled, nothing changed");
                self.info(text.to_string());
                None
            }
            Action::Confirm => {
                self.apply_bulk(&c);
                None
            }
            _ => Some(Popup::Confirm(c)),
        }
    }

    /// y or n typed in the confirmation.
    pub(in crate::tui) fn confirm_key(&mut self, c: char) {
        let a = match c {
            'y' | 'Y' => Action::Confirm,
            'n' | 'N' => Action::Cancel,
            _ => return,
        };
        if let Some(Popup::Confirm(confirm)) = self.popup.take() {
            let keep = self.confirm_action(confirm, a);
            if self.popup.is_none() {
                self.popup = keep;
            }
        }
    }

    /// Writes the change to every task of the confirmation, each on its own; reports the
    /// tasks refused (by name of who changed them first) and keeps only those marked.
    fn apply_bulk(&mut self, c: &Confirm) {
        let lang = self.lang();
        let outcomes = self
            .store
            .update_each(&c.store_targets(), &c.patch, c.note.as_deref());
        let mut written = Vec::new();
        let mut refused = Vec::new();
        let mut failed_ids = Vec::new();
        for outcome in outcomes {
            match outcome.result {
                Ok(up) => written.push(up.task),
                Err(e) => {
                    if matches!(e, crate::error::Error::Busy(_)) {
                        // Counted as the one-task path counts it (the loop drops blind keys).
                        let _ = self.describe_error(&e);
                    }
                    refused.push(bulk::refusal(outcome.task_id, &e, lang));
                    failed_ids.push(outcome.task_id);
                }
            }
        }
        let saved = written.len();
        // The refused tasks are shown as the other member left them.
        for &id in &failed_ids {
            if let Ok(task) = self.store.task(id) {
                written.push(task);
            }
        }
        self.take_in(written);
        self.list.marked.retain(|id| failed_ids.contains(id));
        let total = c.targets.len();
        if refused.is_empty() {
            let text = format!(
                "{} {saved} {}: {}",
                self.t("Đã lưu", "Saved"),
                self.t("nhiệm vụ", "tasks"),
                c.change
            );
            self.success(text);
            return;
        }
        let title = match lang {
            crate::model::Lang::Vi => format!(
                "Đã lưu {saved}/{total} nhiệm vụ; {} nhiệm vụ không lưu",
                refused.len()
            ),
            crate::model::Lang::En => format!(
                "Saved {saved} of {total} tasks; {} not saved",
                refused.len()
            ),
        };
        let mut lines = refused;
        lines.push(String::new());
        lines.push(
            tr(
                lang,
                "Các nhiệm vụ này chưa được ghi và vẫn đang được chọn; màn hình đã tải dữ liệu mới — xem rồi làm lại nếu cần.",
                "These were not written and stay marked; the screen now shows the latest data — check and try again if needed.",
            )
            .into(),
        );
        self.popup = Some(Popup::Notice(Notice { title, lines }));
        self.messages.set(
            MessageKind::Warning,
            format!(
                "{saved}/{total} {}",
                self.t("nhiệm vụ đã lưu", "tasks saved")
            ),
        );
    }

    // ----- Long notes ---------------------------------------------------------------------

    /// `N`: the external editor when one is set, else the multi-line box; for every marked
    /// task when there are marks.
    fn open_long_note(&mut self) {
        let selection = if self.list.marked.is_empty() {
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
                self.editor_request = Some(EditorRequest {
                    command,
                    initial,
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
        match result {
            Ok(text) => {
                if let Err(e) = self.save_long_note(&request.target, &request.selection, &text) {
                    self.long_note_draft = text;
                    self.error(e);
                }
            }
            Err((why, text)) => {
                if !text.trim().is_empty() {
                    self.long_note_draft = text;
                }
                self.error(why);
            }
        }
    }

    /// Checks a long note's text and writes it (or asks to, for marked tasks); an empty
    /// save adds nothing.
    fn save_long_note(
        &mut self,
        target: &Target,
        selection: &[Target],
        text: &str,
    ) -> Result<(), String> {
        match checked_note(text, self.lang())? {
            None => {
                self.long_note_draft.clear();
                let text = self.t("Ghi chú trống: không thêm gì", "Empty note: nothing added");
                self.info(text.to_string());
                Ok(())
            }
            Some(note) => {
                self.write_or_confirm(target, selection, None, &TaskPatch::default(), Some(&note))?;
                self.long_note_draft.clear();
                Ok(())
            }
        }
    }

    /// The multi-line box's keys (its text arrives as edits).
    pub(in crate::tui) fn long_note_action(
        &mut self,
        mut n: Box<LongNote>,
        a: Action,
    ) -> Option<Popup> {
        match a {
            Action::Cancel => None,
            Action::Confirm => {
                let text = n.text().to_string();
                match self.save_long_note(&n.target, &n.selection, &text) {
                    Ok(()) => None,
                    Err(e) => {
                        n.error = Some(e);
                        Some(Popup::LongNote(n))
                    }
                }
            }
            _ => Some(Popup::LongNote(n)),
        }
    }
}
