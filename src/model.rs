//! Plain domain types and the rules that need no storage: what "overdue" means and the five
//! display states of the Vietnamese task-tracking rules. Knows nothing of SQL or terminals.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod change_log;
mod period;
mod plan_data;
mod reminder;
mod task;
mod task_field;

pub use change_log::*;
pub use period::{AsOf, PeriodKind, ReportPeriod};
pub use plan_data::*;
pub use reminder::{Mailed, RemindRule, Reminded, Reminder};
pub use task::*;
pub use task_field::TaskField;

/// One bad row of an import: its number as a spreadsheet shows it (CSV: the header is row 1;
/// JSON: the task's position, from 1) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub row: usize,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}: {}", self.row, self.reason)
    }
}

/// Interface language; Vietnamese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

#[cfg(test)]
mod tests;
