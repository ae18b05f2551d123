//! What a screen's keys ask of the app beyond the screen's own state. A screen's `update`
//! changes only its own state and returns an [`Effect`] for the rest; [`App::apply`] is the
//! one place that carries effects out (popups opening, screens changing, quitting, reloading).
//! The writes themselves go through `edit.rs` (one task, a new task, a measurement, undo) and
//! `bulk.rs` (several tasks), which the popups' Enter reaches.

use super::{App, Flow, HelpState, Screen};
use crate::tui::popups::Popup;

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
}

impl App {
    /// Carries out what a screen asked for.
    pub(in crate::tui) fn apply(&mut self, effect: Option<Effect>) -> Flow {
        let Some(effect) = effect else {
            return Flow::Continue;
        };
        match effect {
            Effect::Quit => return Flow::Quit,
            Effect::Leave => return self.leave(),
            Effect::Enter(screen) => self.enter(screen),
            Effect::Toggle(screen) => self.toggle(screen),
            Effect::Open(popup) => self.popup = Some(popup),
            Effect::Help => self.help = Some(HelpState::default()),
            Effect::Reload => self.full_reload(),
        }
        Flow::Continue
    }
}
