//! The plan's TOML shape: private `Raw*` structs (unknown fields are rejected), read as they
//! are written in `data/` before `build` checks and maps them.

use super::*;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default)]
    pub(super) plan: Option<RawPlanInfo>,
    #[serde(default)]
    pub(super) area: Vec<RawArea>,
    #[serde(default)]
    pub(super) agency: Vec<RawAgency>,
    #[serde(default)]
    pub(super) indicator: Vec<RawIndicator>,
    #[serde(default)]
    pub(super) task: Vec<RawTask>,
    #[serde(default)]
    pub(super) duty: Vec<RawDuty>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlanInfo {
    pub(super) title: String,
    pub(super) issuer: String,
    pub(super) number: String,
    pub(super) issued: String,
    pub(super) replaces: String,
    pub(super) purpose: Vec<String>,
    pub(super) requirements: Vec<String>,
    pub(super) general_objective: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArea {
    pub(super) code: String,
    pub(super) name_vi: String,
    pub(super) name_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAgency {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) kind: AgencyKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub(super) code: String,
    pub(super) area: String,
    pub(super) name: String,
    pub(super) unit: Unit,
    pub(super) direction: Direction,
    pub(super) lead_agency: String,
    #[serde(default)]
    pub(super) baseline: Option<RawBaseline>,
    pub(super) targets: Vec<RawTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBaseline {
    #[serde(default)]
    pub(super) value: Option<f64>,
    pub(super) date: Date,
    pub(super) label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    pub(super) value: f64,
    pub(super) due: Date,
}

/// A one-off task with a single lead.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTask {
    pub(super) plan_ref: String,
    pub(super) area: String,
    pub(super) lead_agency: String,
    #[serde(default)]
    pub(super) coordinating: Vec<String>,
    /// Those of `coordinating` the plan's paragraph does not name (inferred).
    #[serde(default)]
    pub(super) coordinating_inferred: Vec<String>,
    /// The plan names no lead for this work: `lead_agency` is an inference.
    #[serde(default)]
    pub(super) lead_assumed: bool,
    pub(super) title: String,
    /// The plan's paragraph in full, when the title shortens it.
    #[serde(default)]
    pub(super) detail: String,
    pub(super) output: String,
    pub(super) due: Date,
    pub(super) due_assumed: bool,
}

/// A duty expanded into one task per lead agency and period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDuty {
    pub(super) plan_ref: String,
    pub(super) area: String,
    #[serde(default)]
    pub(super) for_agencies: Vec<String>,
    #[serde(default)]
    pub(super) for_kinds: Vec<AgencyKind>,
    #[serde(default)]
    pub(super) coordinating: Vec<String>,
    #[serde(default)]
    pub(super) coordinating_inferred: Vec<String>,
    /// The plan names no lead for this work: the agencies it is given to are an inference.
    #[serde(default)]
    pub(super) lead_assumed: bool,
    pub(super) title: String,
    #[serde(default)]
    pub(super) detail: String,
    pub(super) output: String,
    pub(super) schedule: Schedule,
    /// `once` only: the due date.
    #[serde(default)]
    pub(super) due: Option<Date>,
    /// `yearly-ahead` only: replaces the due date of the first year.
    #[serde(default)]
    pub(super) first_due: Option<Date>,
    /// `report-cycle`: day of the period's last month (default 15); `yearly-ahead`,
    /// `yearly-after`: day of `due_month`.
    #[serde(default)]
    pub(super) due_day: Option<u32>,
    /// `yearly-ahead` (default 12) and `yearly-after` (default 3): the month of the due date.
    #[serde(default)]
    pub(super) due_month: Option<u32>,
    /// Recurring schedules only: the years to expand (default all of the plan's years).
    #[serde(default)]
    pub(super) years: Option<Vec<i32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Schedule {
    /// One instance per agency, due `due`.
    Once,
    /// One instance per year, due 31/12 of the year.
    Yearly,
    /// One instance per year Y, due 31/12 of Y-1 (or `due_month`/`due_day` of Y-1, or
    /// `first_due` for the first year).
    YearlyAhead,
    /// One instance per year Y, due 31/3 of Y+1 (or `due_month`/`due_day` of Y+1): the result
    /// of a year, published once the year is over.
    YearlyAfter,
    /// Quý I, 6 tháng, quý III and năm reports, due on `due_day` of March, June, September and
    /// December.
    ReportCycle,
}

pub(super) const DEFAULT_DUE_DAY: u32 = 15;
