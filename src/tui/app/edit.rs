//! Edits: popups' keys carried out, and `write`, the one place the TUI writes to the store
//! (one task, a new task, a measurement, several tasks, undo), with refusals and conflicts.

use crate::error::{Conflict, Error};
use crate::model::{FieldChange, NewTask, Task, TaskField, TaskPatch, Unit};
use crate::store::{NewMeasurement, TaskUpdate};

use super::super::action::Action;
use super::super::input::Edit;
use super::super::labels::{self, tr};
use super::{App, MessageKind, Write};
use crate::tui::popups::confirm::{self as bulk, Confirm};
use crate::tui::popups::{Notice, Popup, Step};

impl App {
    // ----- Popups -------------------------------------------------------------------------

    /// Handles an action for the popup taken out of `self.popup`: the popup's step
    /// (`popups/update.rs`) says what becomes of it, and its effect is carried out here.
    pub(in crate::tui) fn popup_action(&mut self, popup: Popup, a: Action) {
        match self.popup_step(popup, a) {
            Step::Keep(popup) => self.popup = Some(popup),
            Step::Close(effect) => {
                self.apply(effect);
            }
            Step::Submit(mut popup, effect) => {
                if let Err(why) = self.carry_out(effect) {
                    // Not written: the popup stays with what was typed and says why (unless
                    // the write opened a notice, which then says more).
                    if self.popup.is_some() || !popup.show_error(why.clone()) {
                        self.error(why);
                    } else {
                        self.popup = Some(popup);
                    }
                }
            }
        }
    }

    pub(in crate::tui) fn edit(&mut self, e: Edit) {
        if self.command.is_some() {
            self.command_edit(e);
            return;
        }
        if let Some(help) = &mut self.help {
            if help.searching {
                help.edit(&e);
            }
            return;
        }
        match &mut self.popup {
            Some(Popup::LongNote(n)) => n.edit(&e),
            Some(Popup::Confirm(_)) => {}
            Some(Popup::Percent(p)) | Some(Popup::Note(p)) => p.edit(&e),
            Some(Popup::Form(form)) => form.edit(&e),
            Some(Popup::Measure(form)) => form.edit(&e),
            // No text to type into: their keys come through the keymap as actions.
            Some(Popup::Status(_) | Popup::Notice(_) | Popup::Remind(_)) => {}
            None if self.browse.list.search.editing => {
                let search = &mut self.browse.list.search;
                search.stop_completing();
                if search.input.edit(&e) {
                    self.refresh_search(false);
                    if !self.browse.list.search.is_active() {
                        // Emptied: the next search starts ranked by score again.
                        self.browse.list.sort_chosen = false;
                    }
                    self.rebuild();
                }
            }
            None => {}
        }
    }

    // ----- Writes -------------------------------------------------------------------------

    /// Carries out a write: the one place the TUI changes the store. `Err` is a message for
    /// the popup that asked; a conflict is not an error (a notice shows it).
    pub(in crate::tui) fn write(&mut self, write: Write) -> Result<(), String> {
        match write {
            Write::Task {
                task_id,
                version,
                patch,
                note,
            } => self.commit(task_id, version, &patch, note.as_deref()),
            Write::NewTask(new) => self.add_task(&new),
            Write::Measure { unit, new } => self.record_measurement(unit, &new),
            Write::Bulk(confirm) => {
                self.apply_bulk(&confirm);
                Ok(())
            }
            Write::Undo => {
                self.undo();
                Ok(())
            }
            Write::Remind { agency } => self.send_reminder(&agency),
        }
    }

    fn add_task(&mut self, new: &NewTask) -> Result<(), String> {
        match self.store.add_task(new) {
            Ok(task) => {
                let id = task.id;
                self.take_in(vec![task]);
                let rows = self.list_rows();
                let shown = self.browse.list.select_id(&self.store, id, rows);
                let text = if shown.unwrap_or(false) {
                    format!("{} #{id}", self.t("Đã thêm nhiệm vụ", "Added task"))
                } else {
                    format!(
                        "{} #{id} {}",
                        self.t("Đã thêm nhiệm vụ", "Added task"),
                        self.t(
                            "(bộ lọc hiện tại đang ẩn nó)",
                            "(hidden by the current filters)"
                        )
                    )
                };
                self.success(text);
                Ok(())
            }
            Err(e) => Err(self.describe_error(&e)),
        }
    }

    /// Writes the measurement through the same store function as `cchc indicator record`
    /// (one change-log entry).
    fn record_measurement(&mut self, unit: Unit, new: &NewMeasurement) -> Result<(), String> {
        let lang = self.lang();
        match self.store.record_measurement(new) {
            Ok(m) => {
                self.reload_gauges();
                let mut text = format!(
                    "{} {} = {} ({})",
                    self.t("Đã ghi", "Recorded"),
                    m.indicator,
                    crate::report::value(unit, m.value, lang),
                    labels::date(m.measured_on)
                );
                if m.measured_on > self.settings.today {
                    text.push_str(self.t(
                        " — ngày đo sau hôm nay: chưa tính cho đến ngày đó",
                        " — dated after today: it counts from that day",
                    ));
                }
                self.success(text);
                Ok(())
            }
            Err(e) => Err(self.describe_error(&e)),
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
        self.browse.list.marked.retain(|id| failed_ids.contains(id));
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

    /// The selected task, if there is one and the file can be written; otherwise says why.
    pub(in crate::tui) fn editable_task(&mut self) -> Option<Task> {
        if !self.writable() {
            return None;
        }
        let Some(task) = self.selected_task().cloned() else {
            let text = self
                .t("Chưa chọn nhiệm vụ nào", "No task is selected")
                .to_string();
            self.info(text);
            return None;
        };
        if !self.perms.can_edit_task(&task) {
            let text = labels::denied(&self.perms, Some(&task), self.lang());
            self.messages.set(MessageKind::Warning, text);
            return None;
        }
        Some(task)
    }

    /// Whether this user may write anything now; otherwise says why (the file is read-only,
    /// or the member rules make them a reader).
    pub(in crate::tui) fn writable(&mut self) -> bool {
        if self.file_moved.is_some() {
            let text = self
                .t(
                    "Không ghi: tệp dữ liệu đã bị thay hoặc xoá — Ctrl-r để mở tệp đang có",
                    "Not written: the database file was replaced or deleted — Ctrl-r opens the one there now",
                )
                .to_string();
            self.messages.set(MessageKind::Warning, text);
            return false;
        }
        if let Some(reason) = &self.settings.read_only {
            let text = format!(
                "{}: {}",
                self.t("Chỉ đọc — không sửa được", "Read-only — editing is off"),
                labels::read_only_reason(reason, self.settings.lang)
            );
            self.messages.set(MessageKind::Warning, text);
            return false;
        }
        if !self.perms.can_write() {
            let text = labels::denied(&self.perms, None, self.lang());
            self.messages.set(MessageKind::Warning, text);
            return false;
        }
        true
    }

    /// Whether the screen should offer editing keys at all.
    pub fn can_write(&self) -> bool {
        self.file_moved.is_none() && self.settings.read_only.is_none() && self.perms.can_write()
    }

    /// Writes a change to one task. `Ok` means the popup may close: the change was stored,
    /// or it was refused because someone else changed the task first (a notice then shows
    /// who and what, and the task is reloaded). `Err` is a message for the popup to show.
    pub(in crate::tui) fn commit(
        &mut self,
        task_id: i64,
        version: Option<i64>,
        patch: &TaskPatch,
        note: Option<&str>,
    ) -> Result<(), String> {
        match self.store.update_task(task_id, version, patch, note) {
            Ok(up) => {
                self.after_write(up, self.t("Đã lưu", "Saved"));
                Ok(())
            }
            Err(Error::Conflict(c)) => {
                let title = self
                    .t(
                        "Không lưu: có người vừa sửa nhiệm vụ này",
                        "Not saved: someone else just changed this task",
                    )
                    .to_string();
                let tried = self.describe_patch(patch);
                self.show_conflict(title, &c, tried);
                Ok(())
            }
            Err(e) => Err(self.describe_error(&e)),
        }
    }

    pub(in crate::tui) fn after_write(&mut self, up: TaskUpdate, verb: &str) {
        let id = up.task.id;
        if up.log_id.is_none() {
            let text = self
                .t("Không có gì thay đổi", "Nothing changed")
                .to_string();
            self.info(text);
            return;
        }
        let what = if up.changes.is_empty() {
            self.t("thêm ghi chú", "note added").to_string()
        } else {
            FieldChange::describe_all_in(&up.changes, self.lang())
        };
        let text = format!("{verb} #{id}: {what}");
        self.take_in(vec![up.task]);
        self.success(text);
    }

    fn undo(&mut self) {
        if !self.writable() {
            return;
        }
        match self.store.undo_last() {
            Ok(up) => {
                let id = up.task.id;
                let verb = self.t("Đã hoàn tác", "Undone");
                self.after_write(up, verb);
                let rows = self.list_rows();
                if let Err(e) = self.browse.list.select_id(&self.store, id, rows) {
                    let text = self.describe_error(&e);
                    self.error(text);
                }
            }
            Err(Error::NothingToUndo(_)) => {
                let text = self
                    .t(
                        "Không còn thay đổi nào của bạn để hoàn tác",
                        "You have no change left to undo",
                    )
                    .to_string();
                self.info(text);
            }
            Err(Error::UndoRefused(c)) => {
                let title = self
                    .t(
                        "Không hoàn tác được: có người đã sửa lại sau bạn",
                        "Cannot undo: someone changed it after you",
                    )
                    .to_string();
                self.show_conflict(title, &c, None);
            }
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
    }

    /// Shows who changed the task, when and what, and reloads it so the screen shows their
    /// change.
    /// "Tiến độ → 60%; Hạn → 31/12/2027": what a refused patch wanted.
    pub(in crate::tui) fn describe_patch(&self, patch: &TaskPatch) -> Option<String> {
        let lang = self.lang();
        let mut parts: Vec<(TaskField, String)> = Vec::new();
        if let Some(s) = patch.status {
            parts.push((TaskField::Status, s.as_str().into()));
        }
        if let Some(p) = patch.progress {
            parts.push((TaskField::Progress, p.to_string()));
        }
        if let Some(v) = &patch.title {
            parts.push((TaskField::Title, v.clone()));
        }
        if let Some(v) = &patch.output {
            parts.push((TaskField::Output, v.clone()));
        }
        if let Some(v) = &patch.area {
            parts.push((TaskField::Area, v.clone()));
        }
        if let Some(v) = &patch.lead_agency {
            parts.push((TaskField::LeadAgency, v.clone()));
        }
        if let Some(v) = &patch.coordinating {
            parts.push((TaskField::Coordinating, v.join(",")));
        }
        if let Some(v) = patch.due {
            parts.push((TaskField::Due, v.to_string()));
        }
        (!parts.is_empty()).then(|| {
            parts
                .iter()
                .map(|(f, v)| format!("{} → {}", f.label(lang), f.display_value(Some(v), lang)))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    pub(in crate::tui) fn show_conflict(
        &mut self,
        title: String,
        c: &Conflict,
        tried: Option<String>,
    ) {
        let lang = self.lang();
        let task_title = self
            .store
            .task(c.task_id)
            .map(|t| t.title)
            .unwrap_or_default();
        let mut lines = vec![
            format!("#{} {task_title}", c.task_id),
            format!(
                "{} {} {}:",
                c.by,
                tr(lang, "đã sửa lúc", "changed it at"),
                labels::instant(&c.at)
            ),
        ];
        if c.changes.is_empty() {
            lines.push(format!(
                "  {}",
                tr(lang, "(không rõ chi tiết)", "(no details)")
            ));
        }
        for change in &c.changes {
            lines.push(format!("  {}", change.describe_in(lang)));
        }
        if let Some(tried) = tried {
            lines.push(format!(
                "{}: {tried}",
                tr(lang, "Bạn định sửa", "You wanted")
            ));
        }
        lines.push(String::new());
        lines.push(
            tr(
                lang,
                "Thay đổi của bạn chưa được ghi; không có gì bị ghi đè.",
                "Your change was not written; nothing was overwritten.",
            )
            .into(),
        );
        lines.push(
            tr(
                lang,
                "Màn hình đã tải lại dữ liệu mới — xem rồi làm lại nếu cần.",
                "The screen now shows the latest data — check it and try again if needed.",
            )
            .into(),
        );
        self.popup = Some(Popup::Notice(Notice { title, lines }));
        self.reload_changes();
        if let Ok(task) = self.store.task(c.task_id) {
            self.take_in(vec![task]);
        }
    }

    pub(in crate::tui) fn describe_error(&mut self, e: &Error) -> String {
        if matches!(e, Error::Busy(_)) {
            self.busy_waits += 1;
        }
        match e {
            Error::ReadOnly(reason) => format!(
                "{}: {reason}",
                self.t("Chỉ đọc — không ghi được", "Read-only — cannot write")
            ),
            Error::Denied(why) => format!("{}: {why}", self.t("Không được phép", "Not permitted")),
            Error::ConnectionLost(_) => self
                .t(
                    "Mất kết nối, đang thử lại — chưa ghi gì; gửi lại khi đã kết nối",
                    "Connection lost, retrying — nothing was written; send it again once connected",
                )
                .to_string(),
            Error::Busy(_) => self
                .t(
                    "Tệp dữ liệu đang bận (người khác đang ghi); thử lại sau giây lát",
                    "The database is busy (someone else is writing); try again in a moment",
                )
                .to_string(),
            // In the interface's language, a conflict's time in local time.
            other => other.message(self.lang()),
        }
    }
}
