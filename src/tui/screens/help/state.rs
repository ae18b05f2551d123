//! The help screen's state: how far it is scrolled.

/// The help screen, drawn over whatever screen is current.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpState {
    pub scroll: usize,
}
