//! Moving between screens: the stack of screens to go back to.

use super::{App, Flow, Screen};

impl App {
    // ----- Moving between screens ---------------------------------------------------------

    /// Shows `screen`, remembering the current one for Esc. Entering a screen already on the
    /// stack goes back to it instead of stacking it twice (`i`, `m`, `i`, … stays shallow).
    pub fn enter(&mut self, screen: Screen) {
        if screen == self.screen {
            return;
        }
        match self.back_stack.iter().position(|s| *s == screen) {
            Some(at) => self.back_stack.truncate(at),
            None => self.back_stack.push(self.screen),
        }
        self.screen = screen;
        if screen == Screen::Meeting {
            self.meeting.stale = true;
        }
    }

    /// Goes back to the previous screen; on the first screen (meeting mode started by
    /// `cchc meet`) there is none, and the app quits.
    pub(in crate::tui) fn leave(&mut self) -> Flow {
        match self.back_stack.pop() {
            Some(previous) => {
                self.screen = previous;
                Flow::Continue
            }
            None => Flow::Quit,
        }
    }

    /// The key of a screen pressed again on that screen (`i` on the indicators screen, `m` in
    /// meeting mode) goes back, unless the screen is the first one (then it does nothing, so
    /// `m` in `cchc meet` does not end the meeting).
    pub(in crate::tui) fn toggle(&mut self, screen: Screen) {
        if self.screen == screen {
            if !self.back_stack.is_empty() {
                self.leave();
            }
        } else {
            self.enter(screen);
        }
    }
}
