//! What a popup's keys do, without doing it: each key changes the popup alone and returns a
//! [`Step`]; what reaches the store comes back as an [`Effect::Write`] that `App::apply`
//! carries out (`app/edit.rs`, the one place that writes). The checks of what was typed stay
//! here, so a refused value never leaves the popup.

use crate::model::{NewTask, Status, TaskPatch};
use crate::transfer::Resolver;
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, MessageKind, Write};
use crate::tui::labels::{self, tr};

use super::confirm::Confirm;
use super::long_note::checked_note;
use super::{FieldKey, FormMode, Popup, Target, TaskForm, parse_percent};

/// What became of a popup after a key.
#[derive(Debug)]
pub enum Step {
    /// It stays open (a key that edits or moves in it, or a value it refused).
    Keep(Popup),
    /// It closes, and then the effect, if any, is carried out.
    Close(Option<Effect>),
    /// Its Enter: the effect is carried out and the popup closes, unless the effect fails:
    /// then the popup stays open and shows why.
    Submit(Popup, Effect),
}

impl Popup {
    /// Shows why its Enter was not carried out; `false` when it has no place for a message
    /// (the status line then says it).
    pub fn show_error(&mut self, why: String) -> bool {
        let form = match self {
            Popup::Percent(p) | Popup::Note(p) => &mut p.form,
            Popup::Form(f) => &mut f.form,
            Popup::Measure(f) => &mut f.form,
            Popup::LongNote(n) => &mut n.form,
            Popup::Remind(r) => {
                r.asking = false;
                r.error = Some(why);
                return true;
            }
            Popup::Status(_) | Popup::Notice(_) | Popup::Confirm(_) => return false,
        };
        form.error = Some(why);
        true
    }
}

impl App {
    /// What `a` does to `popup`. Reads the app (language, plan data, member rules), changes
    /// nothing.
    pub(in crate::tui) fn popup_step(&self, popup: Popup, a: Action) -> Step {
        let a = popup_meaning(a);
        let lang = self.lang();
        match popup {
            Popup::Notice(n) => match a {
                Action::Cancel | Action::Confirm => Step::Close(None),
                _ => Step::Keep(Popup::Notice(n)),
            },
            Popup::Confirm(c) => match a {
                Action::Cancel => Step::Close(Some(Effect::Say(
                    MessageKind::Info,
                    tr(lang, "Đã huỷ, không sửa gì", "Cancelled, nothing changed").into(),
                ))),
                Action::Confirm => Step::Close(Some(Effect::Write(Write::Bulk(c)))),
                _ => Step::Keep(Popup::Confirm(c)),
            },
            Popup::Remind(mut r) => {
                let page = 10;
                match a {
                    Action::Cancel if r.asking => r.asking = false,
                    Action::Cancel => return Step::Close(None),
                    Action::Confirm if r.asking => {
                        let effect = Effect::Write(Write::Remind {
                            agency: r.agency.clone(),
                        });
                        return Step::Submit(Popup::Remind(r), effect);
                    }
                    Action::Confirm => match &r.no_mail {
                        Some(why) => r.error = Some(why.clone()),
                        None => {
                            r.error = None;
                            r.asking = true;
                        }
                    },
                    Action::NextField => r.scroll_by(1),
                    Action::PrevField => r.scroll_by(-1),
                    Action::PageDown | Action::HalfPageDown => r.scroll_by(page),
                    Action::PageUp | Action::HalfPageUp => r.scroll_by(-page),
                    Action::Top => r.scroll = 0,
                    Action::Bottom => r.scroll_by(isize::MAX / 2),
                    _ => {}
                }
                Step::Keep(Popup::Remind(r))
            }
            Popup::LongNote(n) => match a {
                Action::Cancel => Step::Close(None),
                Action::Confirm => match self.long_note_effect(&n.target, &n.selection, n.text()) {
                    Ok(effect) => Step::Submit(Popup::LongNote(n), effect),
                    Err(e) => {
                        let mut popup = Popup::LongNote(n);
                        popup.show_error(e);
                        Step::Keep(popup)
                    }
                },
                _ => Step::Keep(Popup::LongNote(n)),
            },
            Popup::Status(mut p) => {
                let (at, last) = (p.selected(), Status::ALL.len() - 1);
                match a {
                    Action::Cancel => return Step::Close(None),
                    Action::PrevField => p.choose(at.saturating_sub(1)),
                    Action::NextField => p.choose((at + 1).min(last)),
                    Action::Top => p.choose(0),
                    Action::Bottom => p.choose(last),
                    Action::Confirm => return Step::Close(Some(self.status_effect(&p))),
                    _ => match a.status_index() {
                        Some(i) if i <= last => {
                            p.choose(i);
                            return Step::Close(Some(self.status_effect(&p)));
                        }
                        _ => {}
                    },
                }
                Step::Keep(Popup::Status(p))
            }
            Popup::Percent(mut p) => match a {
                Action::Cancel => Step::Close(None),
                Action::Confirm => match parse_percent(p.text()) {
                    Some(percent) => {
                        let patch = TaskPatch {
                            progress: Some(percent),
                            ..Default::default()
                        };
                        let version = Some(p.target.version);
                        let effect =
                            self.task_change(&p.target, &p.selection, version, patch, None);
                        Step::Submit(Popup::Percent(p), effect)
                    }
                    None => {
                        p.error = Some(
                            tr(
                                lang,
                                "Hãy nhập một số nguyên từ 0 đến 100",
                                "Type a whole number from 0 to 100",
                            )
                            .into(),
                        );
                        Step::Keep(Popup::Percent(p))
                    }
                },
                _ => Step::Keep(Popup::Percent(p)),
            },
            Popup::Note(mut p) => match a {
                Action::Cancel => Step::Close(None),
                Action::Confirm if p.text().trim().is_empty() => {
                    p.error = Some(tr(lang, "Ghi chú đang trống", "The note is empty").into());
                    Step::Keep(Popup::Note(p))
                }
                Action::Confirm => {
                    // A note adds, it overwrites nothing: no version check, so a member is
                    // never stopped from writing down what they know.
                    let note = p.text().to_string();
                    let patch = TaskPatch::default();
                    let effect = self.task_change(&p.target, &p.selection, None, patch, Some(note));
                    Step::Submit(Popup::Note(p), effect)
                }
                _ => Step::Keep(Popup::Note(p)),
            },
            Popup::Form(mut form) => match a {
                Action::Cancel => Step::Close(None),
                Action::NextField => {
                    form.focus_by(1);
                    Step::Keep(Popup::Form(form))
                }
                Action::PrevField => {
                    form.focus_by(-1);
                    Step::Keep(Popup::Form(form))
                }
                Action::Confirm => match self.form_effect(&form) {
                    Ok(Some(effect)) => Step::Submit(Popup::Form(form), effect),
                    Ok(None) => Step::Close(Some(Effect::Say(
                        MessageKind::Info,
                        tr(lang, "Không có gì thay đổi", "Nothing changed").into(),
                    ))),
                    Err(e) => {
                        form.error = Some(e);
                        Step::Keep(Popup::Form(form))
                    }
                },
                _ => Step::Keep(Popup::Form(form)),
            },
            Popup::Measure(mut form) => match a {
                Action::Cancel => Step::Close(None),
                Action::NextField => {
                    form.focus_by(1);
                    Step::Keep(Popup::Measure(form))
                }
                Action::PrevField => {
                    form.focus_by(-1);
                    Step::Keep(Popup::Measure(form))
                }
                Action::Confirm => match form.measurement(lang) {
                    Ok(new) => {
                        let write = Write::Measure {
                            unit: form.indicator.unit,
                            new,
                        };
                        Step::Submit(Popup::Measure(form), Effect::Write(write))
                    }
                    Err(e) => {
                        form.error = Some(e);
                        Step::Keep(Popup::Measure(form))
                    }
                },
                _ => Step::Keep(Popup::Measure(form)),
            },
        }
    }

    /// The status chosen in the picker, to its task or the marked ones.
    pub(in crate::tui) fn status_effect(&self, p: &super::StatusPicker) -> Effect {
        let patch = TaskPatch {
            status: Some(p.status()),
            ..Default::default()
        };
        self.task_change(&p.target, &p.selection, Some(p.target.version), patch, None)
    }

    /// A change to the one task of an edit, or, when tasks are marked (`selection`), the
    /// confirmation that asks before writing it to all of them.
    pub(in crate::tui) fn task_change(
        &self,
        target: &Target,
        selection: &[Target],
        version: Option<i64>,
        patch: TaskPatch,
        note: Option<String>,
    ) -> Effect {
        if selection.is_empty() {
            return Effect::Write(Write::Task {
                task_id: target.task_id,
                version,
                patch,
                note,
            });
        }
        let lang = self.lang();
        let change = match (self.describe_patch(&patch), &note) {
            (Some(change), _) => change,
            (None, Some(note)) => format!(
                "{}: {}",
                tr(lang, "Ghi chú", "Note"),
                crate::tui::text::truncate(note.lines().next().unwrap_or(""), 60)
            ),
            (None, None) => String::new(),
        };
        Effect::Open(Popup::Confirm(Box::new(Confirm {
            targets: selection.to_vec(),
            patch,
            note,
            change,
        })))
    }

    /// A long note's text checked, and what saving it means: nothing (an empty note), the
    /// note written, or the confirmation for the marked tasks; each forgets the kept draft.
    /// `Err` is why the text is refused.
    pub(in crate::tui) fn long_note_effect(
        &self,
        target: &Target,
        selection: &[Target],
        text: &str,
    ) -> Result<Effect, String> {
        let lang = self.lang();
        let then = match checked_note(text, lang)? {
            None => Effect::Say(
                MessageKind::Info,
                tr(
                    lang,
                    "Ghi chú trống: không thêm gì",
                    "Empty note: nothing added",
                )
                .into(),
            ),
            Some(note) => {
                self.task_change(target, selection, None, TaskPatch::default(), Some(note))
            }
        };
        Ok(Effect::NoteDone(Box::new(then)))
    }

    /// Checks the task form: the new task to add, the fields that changed (against the
    /// version the form was opened on), or `None` when nothing did. `Err` is a message for
    /// the form.
    fn form_effect(&self, form: &TaskForm) -> Result<Option<Effect>, String> {
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
                Ok(Some(Effect::Write(Write::NewTask(Box::new(new)))))
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
                    return Ok(None);
                }
                Ok(Some(Effect::Write(Write::Task {
                    task_id: original.id,
                    version: Some(original.version),
                    patch,
                    note: None,
                })))
            }
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
