//! The three-pane task screen: navigation, the task list and the selected task's detail.

pub mod detail;
pub mod state;
mod update;
pub mod view;
