//! One folder per screen: its state, its arms of `update`, and its drawing.

pub mod browse;
pub mod help;
pub mod indicators;
pub mod meeting;
