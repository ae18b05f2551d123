//! Edits: popups, the writes they make through the store, refusals and undo.

use crate::error::{Conflict, Error};
use crate::model::{FieldChange, NewTask, Status, Task, TaskField, TaskPatch};
use crate::store::TaskUpdate;
use crate::transfer::Resolver;

use super::super::action::Action;
use super::super::input::Edit;
use super::super::labels::{self, tr};
use super::{App, MessageKind};
use crate::tui::popups::{
    FieldKey, FormMode, MeasureForm, Notice, Popup, StatusPicker, TaskForm, parse_percent,
};

impl App {
    // ----- Popups -------------------------------------------------------------------------

    /// Handles an action for the popup taken out of `self.popup`; puts it back unless it
    /// closed.
    pub(in crate::tui) fn popup_action(&mut self, popup: Popup, a: Action) {
        let a = popup_meaning(a);
        let keep = match popup {
            Popup::Notice(n) => {
                (!matches!(a, Action::Cancel | Action::Confirm)).then_some(Popup::Notice(n))
            }
            Popup::Confirm(c) => self.confirm_action(c, a),
            Popup::LongNote(n) => self.long_note_action(n, a),
            Popup::Status(mut p) => match a {
                Action::Cancel => None,
                Action::PrevField => {
                    let at = p.selected().saturating_sub(1);
                    p.choose(at);
                    Some(Popup::Status(p))
                }
                Action::NextField => {
                    let at = (p.selected() + 1).min(Status::ALL.len() - 1);
                    p.choose(at);
                    Some(Popup::Status(p))
                }
                Action::Top => {
                    p.choose(0);
                    Some(Popup::Status(p))
                }
                Action::Bottom => {
                    p.choose(Status::ALL.len() - 1);
                    Some(Popup::Status(p))
                }
                Action::Confirm => {
                    self.submit_status(&p);
                    None
                }
                _ => match a.status_index() {
                    Some(i) if i < Status::ALL.len() => {
                        p.choose(i);
                        self.submit_status(&p);
                        None
                    }
                    _ => Some(Popup::Status(p)),
                },
            },
            Popup::Percent(mut p) => match a {
                Action::Cancel => None,
                Action::Confirm => match parse_percent(p.text()) {
                    Some(percent) => {
                        let patch = TaskPatch {
                            progress: Some(percent),
                            ..Default::default()
                        };
                        let (target, selection) = (p.target.clone(), p.selection.clone());
                        let version = Some(target.version);
                        match self.write_or_confirm(&target, &selection, version, &patch, None) {
                            Ok(()) => None,
                            Err(e) => {
                                p.error = Some(e);
                                Some(Popup::Percent(p))
                            }
                        }
                    }
                    None => {
                        p.error = Some(
                            self.t(
                                "Hãy nhập một số nguyên từ 0 đến 100",
                                "Type a whole number from 0 to 100",
                            )
                            .into(),
                        );
                        Some(Popup::Percent(p))
                    }
                },
                _ => Some(Popup::Percent(p)),
            },
            Popup::Note(mut p) => match a {
                Action::Cancel => None,
                Action::Confirm if p.text().trim().is_empty() => {
                    p.error = Some(self.t("Ghi chú đang trống", "The note is empty").into());
                    Some(Popup::Note(p))
                }
                Action::Confirm => {
                    // A note adds, it overwrites nothing: no version check, so a member is
                    // never stopped from writing down what they know.
                    let note = p.text().to_string();
                    let (target, selection) = (p.target.clone(), p.selection.clone());
                    let patch = TaskPatch::default();
                    match self.write_or_confirm(&target, &selection, None, &patch, Some(&note)) {
                        Ok(()) => None,
                        Err(e) => {
                            p.error = Some(e);
                            Some(Popup::Note(p))
                        }
                    }
                }
                _ => Some(Popup::Note(p)),
            },
            Popup::Form(mut form) => match a {
                Action::Cancel => None,
                Action::NextField => {
                    form.focus_by(1);
                    Some(Popup::Form(form))
                }
                Action::PrevField => {
                    form.focus_by(-1);
                    Some(Popup::Form(form))
                }
                Action::Confirm => match self.submit_form(&form) {
                    Ok(()) => None,
                    Err(e) => {
                        form.error = Some(e);
                        Some(Popup::Form(form))
                    }
                },
                _ => Some(Popup::Form(form)),
            },
            Popup::Measure(mut form) => match a {
                Action::Cancel => None,
                Action::NextField => {
                    form.focus_by(1);
                    Some(Popup::Measure(form))
                }
                Action::PrevField => {
                    form.focus_by(-1);
                    Some(Popup::Measure(form))
                }
                Action::Confirm => match self.submit_measurement(&form) {
                    Ok(()) => None,
                    Err(e) => {
                        form.error = Some(e);
                        Some(Popup::Measure(form))
                    }
                },
                _ => Some(Popup::Measure(form)),
            },
        };
        // A submit may have opened a notice (a conflict); it wins over the closed popup.
        if self.popup.is_none() {
            self.popup = keep;
        }
    }

    pub(in crate::tui) fn edit(&mut self, e: Edit) {
        if self.command.is_some() {
            self.command_edit(e);
            return;
        }
        if let (Some(Popup::Confirm(_)), Edit::Insert(c)) = (&self.popup, &e) {
            self.confirm_key(*c);
            return;
        }
        match &mut self.popup {
            Some(Popup::LongNote(n)) => n.edit(&e),
            Some(Popup::Confirm(_)) => {}
            Some(Popup::Percent(p)) | Some(Popup::Note(p)) => p.edit(&e),
            Some(Popup::Form(form)) => form.edit(&e),
            Some(Popup::Measure(form)) => form.edit(&e),
            Some(Popup::Status(p)) => {
                if let Edit::Insert(c) = e
                    && let Some(n) = c.to_digit(10)
                    && (1..=Status::ALL.len() as u32).contains(&n)
                {
                    p.choose(n as usize - 1);
                    let picker = p.clone();
                    self.popup = None;
                    self.submit_status(&picker);
                }
            }
            Some(Popup::Notice(_)) => {}
            None if self.list.search.editing => {
                let changed = self.list.search.input.edit(&e);
                if changed {
                    self.refresh_search(false);
                    self.rebuild();
                }
            }
            None => {}
        }
    }

    pub(in crate::tui) fn submit_status(&mut self, p: &StatusPicker) {
        let patch = TaskPatch {
            status: Some(p.status()),
            ..Default::default()
        };
        let version = Some(p.target.version);
        if let Err(e) = self.write_or_confirm(&p.target, &p.selection, version, &patch, None) {
            self.error(e);
        }
    }

    /// Checks the form and writes it: a new task, or the fields that changed (against the
    /// version the form was opened on).
    pub(in crate::tui) fn submit_form(&mut self, form: &TaskForm) -> Result<(), String> {
        let lang = self.lang();
        let title = form.field(FieldKey::Title).trim().to_string();
        if title.is_empty() {
            return Err(tr(lang, "Nhiệm vụ cần có tên", "A task needs a title").into());
        }
        let due_text = form.field(FieldKey::Due).trim();
        let due = crate::context::parse_date(due_text).map_err(|_| {
            format!(
                "{} {due_text:?}",
                tr(
                    lang,
                    "Hạn phải là ngày dạng 31/12/2027, trong các năm 2000–2100, không phải",
                    "The due date must look like 31/12/2027, in the years 2000–2100, not"
                )
            )
        })?;
        let resolver = Resolver::new(&self.data.areas, &self.data.agencies);
        let mut coordinating = Vec::new();
        for part in form
            .field(FieldKey::Coordinating)
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let code = resolver.agency(part).ok_or_else(|| {
                format!(
                    "{} {part:?}",
                    tr(lang, "Không có cơ quan", "No agency matches")
                )
            })?;
            if !coordinating.contains(&code) {
                coordinating.push(code);
            }
        }
        let area = form.field(FieldKey::Area).to_string();
        let lead = form.field(FieldKey::Lead).to_string();
        let output = form.field(FieldKey::Output).trim().to_string();
        match &form.mode {
            FormMode::Add => {
                if !self.perms.can_add_task(&lead, &coordinating) {
                    return Err(labels::denied(&self.perms, None, lang));
                }
                let new = NewTask::added(area, lead, coordinating, title, output, due);
                match self.store.add_task(&new) {
                    Ok(task) => {
                        let id = task.id;
                        self.take_in(vec![task]);
                        let rows = self.list_rows();
                        let shown = self.list.select_id(&self.store, id, rows);
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
            FormMode::Edit(original) => {
                let changed = |a: &str, b: &str| (a != b).then(|| a.to_string());
                let patch = TaskPatch {
                    title: changed(&title, &original.title),
                    output: changed(&output, &original.output),
                    area: changed(&area, &original.area),
                    lead_agency: changed(&lead, &original.lead_agency),
                    coordinating: (coordinating != original.coordinating).then_some(coordinating),
                    due: (due != original.due).then_some(due),
                    ..Default::default()
                };
                if patch.is_empty() {
                    self.info(
                        self.t("Không có gì thay đổi", "Nothing changed")
                            .to_string(),
                    );
                    return Ok(());
                }
                self.commit(original.id, Some(original.version), &patch, None)
            }
        }
    }

    // ----- Writes -------------------------------------------------------------------------

    /// Checks the record form and writes the measurement through the same store function as
    /// `cchc indicator record` (one change-log entry). `Err` is a message for the form.
    pub(in crate::tui) fn submit_measurement(&mut self, form: &MeasureForm) -> Result<(), String> {
        let lang = self.lang();
        let ind = &form.indicator;
        let new = form.measurement(lang)?;
        match self.store.record_measurement(&new) {
            Ok(m) => {
                self.reload_gauges();
                let mut text = format!(
                    "{} {} = {} ({})",
                    self.t("Đã ghi", "Recorded"),
                    m.indicator,
                    crate::report::value(ind.unit, m.value, lang),
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
            Err(Error::Invalid(why)) => Err(why),
            Err(e) => Err(self.describe_error(&e)),
        }
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

    pub(in crate::tui) fn undo(&mut self) {
        if !self.writable() {
            return;
        }
        match self.store.undo_last() {
            Ok(up) => {
                let id = up.task.id;
                let verb = self.t("Đã hoàn tác", "Undone");
                self.after_write(up, verb);
                let rows = self.list_rows();
                if let Err(e) = self.list.select_id(&self.store, id, rows) {
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
            Error::Busy(_) => self
                .t(
                    "Tệp dữ liệu đang bận (người khác đang ghi); thử lại sau giây lát",
                    "The database is busy (someone else is writing); try again in a moment",
                )
                .to_string(),
            other => other.to_string(),
        }
    }
}

/// What an action means in a popup. The screens' actions that reach a popup keep their old
/// meaning there: Back (as `q` sends through `close`) cancels, Open confirms, and in a form the
/// pane and line moves move between fields (in the status picker, between statuses).
fn popup_meaning(a: Action) -> Action {
    match a {
        Action::Back => Action::Cancel,
        Action::Open => Action::Confirm,
        Action::NextPane | Action::MoveDown => Action::NextField,
        Action::PrevPane | Action::MoveUp => Action::PrevField,
        other => other,
    }
}
