//! The indicators screen: every indicator with its gauge; `r` records a measurement.

pub mod state;
mod update;
pub mod view;
