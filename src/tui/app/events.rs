//! Terminal events → messages: which keymap context has the focus, and what a key press or
//! a mouse event asks for. Resolution only; [`App::update`] carries the message out.

use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};

use super::super::action::Action;
use super::super::input::Edit;
use super::super::keymap::{CTRL_C, Context, Key};
use super::{App, Msg};

impl App {
    /// The keymap context for the keys pressed now: what has the focus, in the order `act`
    /// hands actions on (command line, popup, help, search box, screen).
    pub fn context(&self) -> Context {
        if self.command.is_some() {
            Context::Command
        } else if let Some(popup) = &self.popup {
            popup.context()
        } else if let Some(help) = &self.help {
            // `/` in the help: its search box takes the search box's keys.
            if help.searching {
                Context::Search
            } else {
                Context::Help
            }
        } else if self.browse.list.search.editing {
            Context::Search
        } else {
            self.screen.context()
        }
    }

    /// Whether typed characters go into a text field rather than through the keymap.
    pub fn text_focus(&self) -> bool {
        self.context().takes_text()
    }

    /// What a key press asks for: the keymap decides, in the context of what has the focus,
    /// except that a character typed into a text field is that text.
    pub fn key_msg(&self, ev: &KeyEvent) -> Option<Msg> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::from_event(ev);
        if key == CTRL_C {
            return Some(Action::Quit.into());
        }
        if self.too_small() {
            // Nothing drawn can be acted on: the keys that close or quit the screen (the
            // message names them) quit; every other key waits for a larger window.
            let action = self.settings.keymap.resolve(ev, self.screen.context());
            return matches!(action, Some(Action::Close | Action::Quit))
                .then_some(Action::Quit.into());
        }
        // Every other key goes through the keymap (issue 11), in the context of what has the
        // focus; only typing itself does not: a plain character in a text field is text.
        let context = self.context();
        if context.takes_text()
            && let Some(c) = key.is_typed_char()
        {
            return Some(Edit::Insert(c).into());
        }
        self.settings.keymap.resolve(ev, context).map(Msg::Action)
    }

    pub fn mouse_msg(&self, ev: &MouseEvent) -> Option<Msg> {
        let (column, row) = (ev.column, ev.row);
        match ev.kind {
            MouseEventKind::Down(crossterm::event::MouseButton::Left) => {
                Some(Msg::Click { column, row })
            }
            MouseEventKind::ScrollDown => Some(Msg::Scroll {
                column,
                row,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Msg::Scroll {
                column,
                row,
                down: false,
            }),
            _ => None,
        }
    }
}
