//! The help screen's keys: scrolling a window's height at a time, `/` to find a key or a
//! command, closing.

use crate::tui::action::Action;
use crate::tui::app::{App, Effect, HelpState};
use crate::tui::input::Edit;

/// A bound on the scroll (the view clamps it to the text's length).
const MAX_SCROLL: usize = 100_000;

impl HelpState {
    /// One key in the help, `page` lines a window; returns whether the help stays open.
    pub fn update(&mut self, a: Action, page: usize) -> bool {
        let page = page.max(1);
        if self.searching {
            match a {
                Action::Confirm | Action::Open | Action::Complete | Action::CompleteBack => {
                    self.searching = false
                }
                Action::Cancel | Action::Back => {
                    self.search = Default::default();
                    self.searching = false;
                    self.scroll = 0;
                }
                Action::MoveUp | Action::PrevHit => self.scroll = self.scroll.saturating_sub(1),
                Action::MoveDown | Action::NextHit => self.scroll += 1,
                Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
                Action::PageDown => self.scroll += page,
                _ => {}
            }
            self.scroll = self.scroll.min(MAX_SCROLL);
            return true;
        }
        match a {
            // Esc first drops what `/` found, then closes.
            Action::Back if self.filter().is_some() => {
                self.search = Default::default();
                self.scroll = 0;
            }
            Action::Back | Action::Help | Action::Open => return false,
            Action::Search => self.searching = true,
            Action::MoveUp | Action::PrevHit => self.scroll = self.scroll.saturating_sub(1),
            Action::MoveDown | Action::NextHit => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll += page,
            Action::HalfPageUp => self.scroll = self.scroll.saturating_sub(page / 2),
            Action::HalfPageDown => self.scroll += page / 2,
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = MAX_SCROLL,
            _ => {}
        }
        self.scroll = self.scroll.min(MAX_SCROLL);
        true
    }

    /// Typing after `/`: the help narrows as it is typed, from its top.
    pub fn edit(&mut self, e: &Edit) {
        if self.search.edit(e) {
            self.scroll = 0;
        }
    }
}

impl App {
    pub(in crate::tui) fn help_action(&mut self, a: Action) -> Option<Effect> {
        let page = self.help_page();
        if let Some(help) = &mut self.help
            && !help.update(a, page)
        {
            self.help = None;
        }
        None
    }

    /// The help's lines on screen: a page.
    fn help_page(&self) -> usize {
        self.layout().map_or(10, |l| {
            usize::from(l.body.height.saturating_sub(2)).saturating_sub(1)
        })
    }
}
