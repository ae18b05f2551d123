//! Meeting mode's state: the slide shown and the report the slides are drawn from.

use chrono::NaiveDate;

use crate::report::Report;

/// Meeting mode: the slide shown and the report the slides are drawn from, built over the
/// period since the last meeting as of today. The report is rebuilt when the data changes
/// (another member's commit, a write here), never per frame.
#[derive(Debug)]
pub struct MeetingState {
    pub slide: usize,
    /// The last meeting's date: "since the last meeting" counts from here.
    pub since: NaiveDate,
    pub report: Option<Report>,
    /// The figures recorded since `since`, for the last slide.
    pub recorded: Vec<crate::indicators::recorded::Recorded>,
    /// The data changed since `report` was built.
    pub(in crate::tui) stale: bool,
}

/// How many days back "since the last meeting" looks by default.
pub const DEFAULT_SINCE_DAYS: i64 = 30;
