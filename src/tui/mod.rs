//! The terminal interface. For now only its data-driven foundations: what a user can ask for
//! (`action`), which keys ask for it (`keymap`), and how things look (`theme`).

pub mod action;
pub mod keymap;
pub mod theme;
pub mod views;
