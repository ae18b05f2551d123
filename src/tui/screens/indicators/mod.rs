//! The indicators screen: every indicator with its gauge; `r` records a measurement.

mod update;
pub mod view;
