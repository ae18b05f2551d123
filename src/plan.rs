//! The plan as data: the TOML files under `data/` (compiled in) are parsed, validated and turned
//! into the domain model, recurring duties expanded into dated task instances for 2026–2030.
//!
//! The TOML shape lives here in private `Raw*` structs (unknown fields are rejected) and is
//! mapped into `crate::model` types. The file comments in `data/tasks.toml` describe the duty
//! schedules and the rules for assumed due dates; this module implements them.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use thiserror::Error;
use toml::value::Date;

use crate::model::{
    Agency, AgencyKind, Area, Baseline, Direction, Duty, DutyPeriod, Indicator, NewTask, Plan,
    PlanInfo, Recurrence, Status, Target, Unit,
};
use crate::text::nfc;

mod build;
mod checks;
mod duties;
mod raw;

use build::*;
use checks::*;
use duties::*;
use raw::*;

/// The plan's data files as compiled into the binary: (name, text), read in this order.
pub const SOURCES: [(&str, &str); 3] = [
    ("data/plan.toml", include_str!("../data/plan.toml")),
    (
        "data/indicators.toml",
        include_str!("../data/indicators.toml"),
    ),
    ("data/tasks.toml", include_str!("../data/tasks.toml")),
];

/// The plan covers 2026 to 2030; every task and target date must fall inside.
pub const FIRST_YEAR: i32 = 2026;
pub const LAST_YEAR: i32 = 2030;
/// Results of a year (the Chỉ số CCHC, the satisfaction measurements) are published early in
/// the next one, so those of 2030 are due in 2031: the only dates allowed past `LAST_YEAR`.
pub const LAST_RESULT_YEAR: i32 = LAST_YEAR + 1;

const TITLE_MAX: usize = 120;
const OUTPUT_MAX: usize = 160;
const NAME_MAX: usize = 200;
const PERIOD: &str = "{period}";

/// Why the plan data was rejected; every message names the file, row or code at fault.
#[derive(Debug, Error)]
pub enum PlanError {
    #[error("{file}: {source}")]
    Toml {
        file: String,
        #[source]
        source: toml::de::Error,
    },
    #[error("{what} `{code}` is defined more than once")]
    Duplicate { what: &'static str, code: String },
    #[error("{context}: unknown {what} `{code}`")]
    Unknown {
        context: String,
        what: &'static str,
        code: String,
    },
    #[error("{context}: {date} is outside the plan period {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")]
    OutOfPeriod { context: String, date: NaiveDate },
    #[error("{context}: {problem}")]
    Invalid { context: String, problem: String },
}

fn invalid(context: &str, problem: impl Into<String>) -> PlanError {
    PlanError::Invalid {
        context: context.to_string(),
        problem: problem.into(),
    }
}

/// The group entry "UBND các xã, phường": it stands for every commune until they are registered
/// one by one (`cchc agency add … --kind commune`), which takes over its duties still to come.
pub const COMMUNE_GROUP: &str = "UBNDXP";

/// The compiled-in plan, validated and expanded.
pub fn load() -> Result<Plan, PlanError> {
    parse(&SOURCES)
}

/// The compiled-in plan's identity, section I and II.1 (its `[plan]` table), read once. The
/// data is compiled in and checked by the tests, so a failure here cannot come from a user; it
/// would show as empty text rather than stop a report.
pub fn info() -> &'static PlanInfo {
    static INFO: std::sync::OnceLock<PlanInfo> = std::sync::OnceLock::new();
    INFO.get_or_init(|| parse(&SOURCES[..1]).map(|p| p.info).unwrap_or_default())
}

/// Whether the compiled-in plan names no lead for the work of `plan_ref` (any instance of the
/// paragraph: "V.1.6/SXD" is V.1.6's), so its lead agency is an inference.
pub fn lead_assumed(plan_ref: &str) -> bool {
    static ASSUMED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let paragraph = plan_ref.split('/').next().unwrap_or_default();
    !paragraph.is_empty()
        && ASSUMED
            .get_or_init(|| leads_assumed(&SOURCES).unwrap_or_default())
            .iter()
            .any(|p| p == paragraph)
}

/// The compiled-in plan's duties addressed to every agency of a kind, for an agency registered
/// after the seed.
pub fn load_kind_duties() -> Result<Vec<Duty>, PlanError> {
    Ok(parse_with_duties(&SOURCES)?
        .1
        .into_iter()
        .filter(|d| !d.for_kinds.is_empty())
        .collect())
}

/// Parses, validates and expands plan data given as (file name, TOML text) pairs. Each file may
/// hold any of the `[[area]]`, `[[agency]]`, `[[indicator]]`, `[[task]]` and `[[duty]]` arrays;
/// they are concatenated in the order given.
pub fn parse(files: &[(&str, &str)]) -> Result<Plan, PlanError> {
    Ok(parse_with_duties(files)?.0)
}

/// The plan and its duties (each as `expand_duty` takes it).
pub fn parse_with_duties(files: &[(&str, &str)]) -> Result<(Plan, Vec<Duty>), PlanError> {
    build(read(files)?)
}

/// The paragraphs (`plan_ref` without agency or instance) of the plan data `files` whose lead
/// the plan does not name (`lead_assumed`): their lead agency is an inference.
pub fn leads_assumed(files: &[(&str, &str)]) -> Result<Vec<String>, PlanError> {
    let raw = read(files)?;
    Ok(raw
        .task
        .iter()
        .filter(|t| t.lead_assumed)
        .map(|t| t.plan_ref.clone())
        .chain(
            raw.duty
                .iter()
                .filter(|d| d.lead_assumed)
                .map(|d| d.plan_ref.clone()),
        )
        .collect())
}

/// The data files as they are written, merged.
fn read(files: &[(&str, &str)]) -> Result<RawFile, PlanError> {
    let mut raw = RawFile::default();
    for (name, text) in files {
        let file: RawFile = toml::from_str(text).map_err(|source| PlanError::Toml {
            file: (*name).to_string(),
            source,
        })?;
        if let Some(info) = file.plan {
            if raw.plan.is_some() {
                return Err(duplicate("[plan] table", name));
            }
            raw.plan = Some(info);
        }
        raw.area.extend(file.area);
        raw.agency.extend(file.agency);
        raw.indicator.extend(file.indicator);
        raw.task.extend(file.task);
        raw.duty.extend(file.duty);
    }
    Ok(raw)
}

/// THE expansion of a duty into tasks led by `lead`, one per period, for the seed and for an
/// agency registered later; `from` keeps only the periods due on or after that day (an agency
/// added in the middle of the plan owes nothing that fell due before it existed). Instance
/// plan_refs are `<plan_ref>/<LEAD><suffix>`.
pub fn expand_duty(duty: &Duty, lead: &str, from: Option<NaiveDate>) -> Vec<NewTask> {
    duty.periods
        .iter()
        .filter(|p| from.is_none_or(|from| p.due >= from))
        .map(|p| NewTask {
            plan_ref: format!("{}/{lead}{}", duty.plan_ref, p.suffix),
            area: duty.area.clone(),
            lead_agency: lead.to_string(),
            coordinating: duty.coordinating.clone(),
            coordinating_inferred: duty.coordinating_inferred.clone(),
            title: p.title.clone(),
            detail: duty.detail.clone(),
            output: p.output.clone(),
            due: p.due,
            due_assumed: true,
            recurrence: p.recurrence,
            status: Status::NotStarted,
            progress: 0,
            completed_on: None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
