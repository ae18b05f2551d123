//! The help screen, drawn over whatever screen is current.

pub mod view;
