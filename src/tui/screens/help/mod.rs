//! The help screen, drawn over whatever screen is current.

pub mod state;
mod update;
pub mod view;
