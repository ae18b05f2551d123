//! The help screen's keys: scrolling and closing.

use crate::tui::action::Action;
use crate::tui::app::{App, Effect, HelpState};

impl App {
    pub(in crate::tui) fn help_action(&mut self, mut help: HelpState, a: Action) -> Option<Effect> {
        match a {
            Action::Back | Action::Help | Action::Open => {
                self.help = None;
                return None;
            }
            Action::MoveUp => help.scroll = help.scroll.saturating_sub(1),
            Action::MoveDown => help.scroll += 1,
            Action::PageUp | Action::HalfPageUp => help.scroll = help.scroll.saturating_sub(10),
            Action::PageDown | Action::HalfPageDown => help.scroll += 10,
            Action::Top => help.scroll = 0,
            Action::Bottom => help.scroll = usize::MAX / 2,
            _ => {}
        }
        // The view clamps to the text's length; keep the number sane here.
        help.scroll = help.scroll.min(500);
        self.help = Some(help);
        None
    }
}
