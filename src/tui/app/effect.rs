//! What a screen's or a popup's keys ask of the app beyond their own state. A screen's
//! `update` changes only its own state and a popup's step (`popups/update.rs`) only the popup;
//! each returns an [`Effect`] for the rest, and [`App::apply`] is the one place that carries
//! effects out (popups opening, screens changing, quitting, reloading, messages). Writes are
//! one kind of effect, [`Write`], made by `App::write` in `edit.rs` and nowhere else.

use super::{App, Flow, HelpState, MessageKind, Screen};
use crate::model::{NewTask, TaskPatch, Unit};
use crate::store::NewMeasurement;
use crate::tui::popups::Popup;
use crate::tui::popups::confirm::Confirm;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// End the session.
    Quit,
    /// Back to the previous screen; on the first screen of `cchc meet`, quit.
    Leave,
    /// Show a screen, remembering the current one for Esc.
    Enter(Screen),
    /// A screen's own key: to it, or back from it when it is shown.
    Toggle(Screen),
    /// Open a popup over the screen.
    Open(Popup),
    /// Open the help over the screen.
    Help,
    /// Re-read everything from the store (Ctrl-r).
    Reload,
    /// A change to the store.
    Write(Write),
    /// A message in the status line.
    Say(MessageKind, String),
    /// A long note's text is used (saved, asked about, or empty): once what follows is
    /// carried out, the draft kept from a failed editor run is forgotten.
    NoteDone(Box<Effect>),
}

/// A change to the store that a popup (or a key) asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    /// Fields and/or a note on one task, against the version the member saw (`None` for a
    /// note alone, which overwrites nothing).
    Task {
        task_id: i64,
        version: Option<i64>,
        patch: TaskPatch,
        note: Option<String>,
    },
    /// A task from the add form.
    NewTask(Box<NewTask>),
    /// A measurement from the record form (`unit`: how its message shows the value).
    Measure { unit: Unit, new: NewMeasurement },
    /// The confirmed change, to every task it names, each on its own.
    Bulk(Box<Confirm>),
    /// The member's last change undone.
    Undo,
    /// The letter urging `agency` mailed with its sheet, and recorded once the server
    /// accepted it.
    Remind { agency: String },
}

impl App {
    /// Carries out what a screen or a popup asked for; a failure is said in the status line.
    pub(in crate::tui) fn apply(&mut self, effect: Option<Effect>) -> Flow {
        let Some(effect) = effect else {
            return Flow::Continue;
        };
        match self.carry_out(effect) {
            Ok(flow) => flow,
            Err(why) => {
                self.error(why);
                Flow::Continue
            }
        }
    }

    /// Carries out `effect`. `Err` is why a write was not made, for the popup that asked
    /// (nothing was written then, or a notice already says more).
    pub(in crate::tui) fn carry_out(&mut self, effect: Effect) -> Result<Flow, String> {
        match effect {
            Effect::Quit => return Ok(Flow::Quit),
            Effect::Leave => return Ok(self.leave()),
            Effect::Enter(screen) => self.enter(screen),
            Effect::Toggle(screen) => self.toggle(screen),
            Effect::Open(popup) => self.popup = Some(popup),
            Effect::Help => self.help = Some(HelpState::default()),
            Effect::Reload => self.full_reload(),
            Effect::Write(write) => self.write(write)?,
            Effect::Say(kind, text) => self.messages.set(kind, text),
            Effect::NoteDone(then) => {
                let flow = self.carry_out(*then)?;
                self.long_note_draft.clear();
                return Ok(flow);
            }
        }
        Ok(Flow::Continue)
    }
}
