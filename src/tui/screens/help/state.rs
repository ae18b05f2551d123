//! The help screen's state: how far it is scrolled, and what `/` looks for in it.

use crate::tui::input::TextInput;

/// The help screen, drawn over whatever screen is current.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpState {
    pub scroll: usize,
    /// What `/` typed: the help lists only the keys and commands that mention it.
    pub search: TextInput,
    /// The search box has the focus: keys type into it.
    pub searching: bool,
}

impl HelpState {
    /// The folded text the help is narrowed to, when something is typed.
    pub fn filter(&self) -> Option<String> {
        let folded = crate::search::normalize(self.search.text());
        (!folded.is_empty()).then_some(folded)
    }
}
