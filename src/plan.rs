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
    build(raw)
}

// ---------------------------------------------------------------------------------------------
// The TOML shape
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    plan: Option<RawPlanInfo>,
    #[serde(default)]
    area: Vec<RawArea>,
    #[serde(default)]
    agency: Vec<RawAgency>,
    #[serde(default)]
    indicator: Vec<RawIndicator>,
    #[serde(default)]
    task: Vec<RawTask>,
    #[serde(default)]
    duty: Vec<RawDuty>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanInfo {
    title: String,
    issuer: String,
    number: String,
    issued: String,
    replaces: String,
    purpose: Vec<String>,
    requirements: Vec<String>,
    general_objective: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    code: String,
    name_vi: String,
    name_en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    code: String,
    name: String,
    kind: AgencyKind,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: String,
    area: String,
    name: String,
    unit: Unit,
    direction: Direction,
    lead_agency: String,
    #[serde(default)]
    baseline: Option<RawBaseline>,
    targets: Vec<RawTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    #[serde(default)]
    value: Option<f64>,
    date: Date,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    value: f64,
    due: Date,
}

/// A one-off task with a single lead.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    plan_ref: String,
    area: String,
    lead_agency: String,
    #[serde(default)]
    coordinating: Vec<String>,
    /// Those of `coordinating` the plan's paragraph does not name (inferred).
    #[serde(default)]
    coordinating_inferred: Vec<String>,
    title: String,
    /// The plan's paragraph in full, when the title shortens it.
    #[serde(default)]
    detail: String,
    output: String,
    due: Date,
    due_assumed: bool,
}

/// A duty expanded into one task per lead agency and period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDuty {
    plan_ref: String,
    area: String,
    #[serde(default)]
    for_agencies: Vec<String>,
    #[serde(default)]
    for_kinds: Vec<AgencyKind>,
    #[serde(default)]
    coordinating: Vec<String>,
    #[serde(default)]
    coordinating_inferred: Vec<String>,
    title: String,
    #[serde(default)]
    detail: String,
    output: String,
    schedule: Schedule,
    /// `once` only: the due date.
    #[serde(default)]
    due: Option<Date>,
    /// `yearly-ahead` only: replaces the due date of the first year.
    #[serde(default)]
    first_due: Option<Date>,
    /// `report-cycle`: day of the period's last month (default 15); `yearly-ahead`,
    /// `yearly-after`: day of `due_month`.
    #[serde(default)]
    due_day: Option<u32>,
    /// `yearly-ahead` (default 12) and `yearly-after` (default 3): the month of the due date.
    #[serde(default)]
    due_month: Option<u32>,
    /// Recurring schedules only: the years to expand (default all of the plan's years).
    #[serde(default)]
    years: Option<Vec<i32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Schedule {
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

const DEFAULT_DUE_DAY: u32 = 15;

// ---------------------------------------------------------------------------------------------
// Validation and mapping
// ---------------------------------------------------------------------------------------------

/// The codes defined so far, for reference checks.
struct Codes<'a> {
    areas: HashSet<&'a str>,
    agencies: HashSet<&'a str>,
}

impl Codes<'_> {
    fn area(&self, context: &str, code: &str) -> Result<(), PlanError> {
        if self.areas.contains(code) {
            Ok(())
        } else {
            Err(PlanError::Unknown {
                context: context.to_string(),
                what: "area",
                code: code.to_string(),
            })
        }
    }

    fn agency(&self, context: &str, code: &str) -> Result<(), PlanError> {
        if self.agencies.contains(code) {
            Ok(())
        } else {
            Err(PlanError::Unknown {
                context: context.to_string(),
                what: "agency",
                code: code.to_string(),
            })
        }
    }

    /// Coordinating agencies must exist, be listed once, and not include the lead.
    fn coordinating(&self, context: &str, lead: &str, list: &[String]) -> Result<(), PlanError> {
        let mut seen = HashSet::new();
        for code in list {
            self.agency(context, code)?;
            if code == lead {
                return Err(invalid(
                    context,
                    format!("lead agency `{lead}` is also listed as coordinating"),
                ));
            }
            if !seen.insert(code.as_str()) {
                return Err(invalid(
                    context,
                    format!("coordinating agency `{code}` is listed twice"),
                ));
            }
        }
        Ok(())
    }
}

fn build(raw: RawFile) -> Result<(Plan, Vec<Duty>), PlanError> {
    let info = match &raw.plan {
        Some(p) => plan_info(p)?,
        None => PlanInfo::default(),
    };
    let mut areas = Vec::with_capacity(raw.area.len());
    let mut area_codes = HashSet::new();
    for a in &raw.area {
        let context = format!("area `{}`", a.code);
        check_code(&context, &a.code, is_kebab)?;
        if !area_codes.insert(a.code.as_str()) {
            return Err(duplicate("area", &a.code));
        }
        areas.push(Area {
            code: a.code.clone(),
            name_vi: text(&context, "name_vi", &a.name_vi, NAME_MAX)?,
            name_en: text(&context, "name_en", &a.name_en, NAME_MAX)?,
        });
    }

    let mut agencies = Vec::with_capacity(raw.agency.len());
    let mut agency_codes = HashSet::new();
    let mut agency_names = HashSet::new();
    for a in &raw.agency {
        let context = format!("agency `{}`", a.code);
        check_code(&context, &a.code, is_upper_code)?;
        if !agency_codes.insert(a.code.as_str()) {
            return Err(duplicate("agency", &a.code));
        }
        let name = text(&context, "name", &a.name, NAME_MAX)?;
        if !agency_names.insert(name.clone()) {
            return Err(duplicate("agency name", &name));
        }
        agencies.push(Agency {
            code: a.code.clone(),
            name,
            kind: a.kind,
        });
    }

    let codes = Codes {
        areas: area_codes,
        agencies: agency_codes,
    };

    let mut indicators = Vec::with_capacity(raw.indicator.len());
    let mut indicator_codes = HashSet::new();
    for i in &raw.indicator {
        let indicator = indicator(&codes, i)?;
        if !indicator_codes.insert(i.code.as_str()) {
            return Err(duplicate("indicator", &i.code));
        }
        indicators.push(indicator);
    }

    // Every task keeps the sort key of its base plan_ref and its generation order, so the
    // result follows the plan (III.1.1, III.1.2/…, III.1.3, …) whatever the file order.
    let mut keyed: Vec<(RefKey, usize, NewTask)> = Vec::new();
    let mut bases = HashSet::new();
    for t in &raw.task {
        let key = base_ref(&t.plan_ref, "task", &mut bases)?;
        let task = one_off(&codes, t)?;
        keyed.push((key, keyed.len(), task));
    }
    let mut duties = Vec::with_capacity(raw.duty.len());
    for d in &raw.duty {
        let key = base_ref(&d.plan_ref, "duty", &mut bases)?;
        let (duty, leads) = duty(&codes, &agencies, d)?;
        for lead in &leads {
            for task in expand_duty(&duty, lead, None) {
                keyed.push((key.clone(), keyed.len(), task));
            }
        }
        duties.push(duty);
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

    let mut refs = HashSet::new();
    let mut tasks = Vec::with_capacity(keyed.len());
    for (_, _, task) in keyed {
        if !refs.insert(task.plan_ref.clone()) {
            return Err(duplicate("plan_ref", &task.plan_ref));
        }
        tasks.push(task);
    }

    Ok((
        Plan {
            info,
            areas,
            agencies,
            indicators,
            tasks,
        },
        duties,
    ))
}

/// The `[plan]` table: every field is the plan's text, NFC and non-empty (number and date too:
/// the source leaves them blank, and the data says so in words).
fn plan_info(p: &RawPlanInfo) -> Result<PlanInfo, PlanError> {
    const PARAGRAPH_MAX: usize = 1000;
    let context = "[plan]";
    let paragraphs = |field: &str, list: &[String]| -> Result<Vec<String>, PlanError> {
        if list.is_empty() {
            return Err(invalid(context, format!("{field} is empty")));
        }
        list.iter()
            .map(|s| text(context, field, s, PARAGRAPH_MAX))
            .collect()
    };
    Ok(PlanInfo {
        title: text(context, "title", &p.title, NAME_MAX)?,
        issuer: text(context, "issuer", &p.issuer, NAME_MAX)?,
        number: text(context, "number", &p.number, NAME_MAX)?,
        issued: text(context, "issued", &p.issued, NAME_MAX)?,
        replaces: text(context, "replaces", &p.replaces, PARAGRAPH_MAX)?,
        purpose: paragraphs("purpose", &p.purpose)?,
        requirements: paragraphs("requirements", &p.requirements)?,
        general_objective: text(
            context,
            "general_objective",
            &p.general_objective,
            PARAGRAPH_MAX,
        )?,
    })
}

fn duplicate(what: &'static str, code: &str) -> PlanError {
    PlanError::Duplicate {
        what,
        code: code.to_string(),
    }
}

fn check_code(context: &str, code: &str, ok: fn(&str) -> bool) -> Result<(), PlanError> {
    if ok(code) {
        Ok(())
    } else {
        Err(invalid(context, format!("malformed code `{code}`")))
    }
}

/// `tthc`, `chinh-quyen-so`, `tthc-dvctt-toan-trinh`: lower-case ASCII words joined by `-`.
fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `SNV`, `SGDDT`: upper-case ASCII letters (digits allowed after the first).
fn is_upper_code(s: &str) -> bool {
    s.len() <= 12
        && s.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// NFC, trimmed, non-empty and at most `max` characters.
fn text(context: &str, field: &str, s: &str, max: usize) -> Result<String, PlanError> {
    let s = nfc(s);
    if s.is_empty() {
        return Err(invalid(context, format!("{field} is empty")));
    }
    let len = s.chars().count();
    if len > max {
        return Err(invalid(
            context,
            format!("{field} has {len} characters, more than {max}"),
        ));
    }
    Ok(s)
}

fn date(context: &str, d: &Date) -> Result<NaiveDate, PlanError> {
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
        .ok_or_else(|| invalid(context, format!("{d} is not a calendar date")))
}

fn in_period(context: &str, d: NaiveDate) -> Result<NaiveDate, PlanError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(PlanError::OutOfPeriod {
            context: context.to_string(),
            date: d,
        })
    }
}

/// A result published after its year may fall due in `LAST_RESULT_YEAR`.
fn in_result_period(context: &str, d: NaiveDate) -> Result<NaiveDate, PlanError> {
    if (FIRST_YEAR..=LAST_RESULT_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(invalid(
            context,
            format!("{d} is outside {FIRST_YEAR}-01-01 to {LAST_RESULT_YEAR}-12-31"),
        ))
    }
}

fn ymd(context: &str, year: i32, month: u32, day: u32) -> Result<NaiveDate, PlanError> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| invalid(context, format!("{year}-{month:02}-{day:02} is not a date")))
}

fn indicator(codes: &Codes, i: &RawIndicator) -> Result<Indicator, PlanError> {
    let context = format!("indicator `{}`", i.code);
    check_code(&context, &i.code, is_kebab)?;
    codes.area(&context, &i.area)?;
    if !i.code.starts_with(&format!("{}-", i.area)) {
        return Err(invalid(
            &context,
            format!("code must start with its area `{}-`", i.area),
        ));
    }
    codes.agency(&context, &i.lead_agency)?;
    let name = text(&context, "name", &i.name, NAME_MAX)?;

    if i.targets.is_empty() {
        return Err(invalid(&context, "has no target"));
    }
    let mut targets: Vec<Target> = Vec::with_capacity(i.targets.len());
    for t in &i.targets {
        let due = in_period(&context, date(&context, &t.due)?)?;
        if let Some(prev) = targets.last()
            && prev.due >= due
        {
            return Err(invalid(
                &context,
                format!("target due {due} does not come after {}", prev.due),
            ));
        }
        check_value(&context, i.unit, i.direction, t.value)?;
        targets.push(Target {
            value: t.value,
            due,
        });
    }

    let baseline = match &i.baseline {
        None if i.direction == Direction::ReduceBy => {
            return Err(invalid(
                &context,
                "a reduce-by indicator needs a baseline to reduce from",
            ));
        }
        None => None,
        Some(b) => {
            let date = date(&context, &b.date)?;
            if date >= targets[0].due {
                return Err(invalid(
                    &context,
                    format!("baseline date {date} is not before the first target"),
                ));
            }
            if let Some(v) = b.value
                && !v.is_finite()
            {
                return Err(invalid(&context, "baseline value is not a number"));
            }
            Some(Baseline {
                value: b.value,
                date,
                label: text(&context, "baseline label", &b.label, NAME_MAX)?,
            })
        }
    };

    Ok(Indicator {
        code: i.code.clone(),
        area: i.area.clone(),
        name,
        unit: i.unit,
        direction: i.direction,
        baseline,
        lead_agency: i.lead_agency.clone(),
        targets,
    })
}

fn check_value(context: &str, unit: Unit, direction: Direction, v: f64) -> Result<(), PlanError> {
    let ok = v.is_finite()
        && match (unit, direction) {
            (Unit::Percent, Direction::AtLeast) => (0.0..=100.0).contains(&v),
            // Nothing is above 100 %.
            (Unit::Percent, Direction::Above) => (0.0..100.0).contains(&v),
            (Unit::Percent, Direction::ReduceBy) => v > 0.0 && v <= 100.0,
            (Unit::Level, Direction::AtLeast | Direction::Above) => v >= 0.0 && v.fract() == 0.0,
            (Unit::Level, Direction::ReduceBy) => v > 0.0 && v.fract() == 0.0,
        };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            context,
            format!(
                "target value {v} does not fit unit {} and direction {}",
                unit.as_str(),
                direction.as_str()
            ),
        ))
    }
}

fn one_off(codes: &Codes, t: &RawTask) -> Result<NewTask, PlanError> {
    let context = format!("task {}", t.plan_ref);
    codes.area(&context, &t.area)?;
    codes.agency(&context, &t.lead_agency)?;
    codes.coordinating(&context, &t.lead_agency, &t.coordinating)?;
    inferred_subset(&context, &t.coordinating, &t.coordinating_inferred)?;
    if t.title.contains('{') || t.output.contains('{') {
        return Err(invalid(
            &context,
            "placeholders such as {period} belong to [[duty]] rows",
        ));
    }
    Ok(NewTask {
        plan_ref: t.plan_ref.clone(),
        area: t.area.clone(),
        lead_agency: t.lead_agency.clone(),
        coordinating: t.coordinating.clone(),
        coordinating_inferred: t.coordinating_inferred.clone(),
        title: text(&context, "title", &t.title, TITLE_MAX)?,
        detail: crate::text::nfc(&t.detail),
        output: text(&context, "output", &t.output, OUTPUT_MAX)?,
        due: in_period(&context, date(&context, &t.due)?)?,
        due_assumed: t.due_assumed,
        recurrence: Recurrence::Once,
        status: Status::NotStarted,
        progress: 0,
        completed_on: None,
    })
}

/// One dated period of a duty: the plan_ref suffix, the `{period}` text, the recurrence and the
/// due date.
struct Period {
    suffix: String,
    label: String,
    recurrence: Recurrence,
    due: NaiveDate,
}

/// Checks a duty and fills in its periods; returns it with the agencies it names or whose kind
/// it addresses now.
fn duty(codes: &Codes, agencies: &[Agency], d: &RawDuty) -> Result<(Duty, Vec<String>), PlanError> {
    let context = format!("duty {}", d.plan_ref);
    codes.area(&context, &d.area)?;

    let leads: Vec<String> = match (d.for_agencies.is_empty(), d.for_kinds.is_empty()) {
        (false, true) => {
            let mut seen = HashSet::new();
            for code in &d.for_agencies {
                codes.agency(&context, code)?;
                if !seen.insert(code.as_str()) {
                    return Err(invalid(
                        &context,
                        format!("agency `{code}` is listed twice"),
                    ));
                }
            }
            d.for_agencies.clone()
        }
        (true, false) => {
            let leads: Vec<String> = agencies
                .iter()
                .filter(|a| d.for_kinds.contains(&a.kind))
                .map(|a| a.code.clone())
                .collect();
            if leads.is_empty() {
                return Err(invalid(
                    &context,
                    "no agency has any of the kinds in for_kinds",
                ));
            }
            leads
        }
        _ => {
            return Err(invalid(
                &context,
                "give exactly one of for_agencies and for_kinds",
            ));
        }
    };
    for lead in &leads {
        codes.coordinating(&context, lead, &d.coordinating)?;
    }
    inferred_subset(&context, &d.coordinating, &d.coordinating_inferred)?;

    let periods = periods(&context, d)?;
    let recurring = d.schedule != Schedule::Once;
    if recurring != d.title.contains(PERIOD) {
        return Err(invalid(
            &context,
            if recurring {
                "the title of a recurring duty must say its {period}"
            } else {
                "a once duty has no {period}"
            },
        ));
    }
    if !recurring && d.output.contains(PERIOD) {
        return Err(invalid(&context, "a once duty has no {period}"));
    }
    for field in [&d.title, &d.output] {
        if field.replace(PERIOD, "").contains(['{', '}']) {
            return Err(invalid(
                &context,
                format!("unknown placeholder in `{field}` (only {PERIOD} exists)"),
            ));
        }
    }

    // The periods are the same for every lead; a problem is named on the first lead's instance.
    let first = leads.first().map(String::as_str).unwrap_or_default();
    let mut filled = Vec::with_capacity(periods.len());
    for p in periods {
        let context = format!("duty {}/{first}{}", d.plan_ref, p.suffix);
        filled.push(DutyPeriod {
            title: text(
                &context,
                "title",
                &d.title.replace(PERIOD, &p.label),
                TITLE_MAX,
            )?,
            output: text(
                &context,
                "output",
                &d.output.replace(PERIOD, &p.label),
                OUTPUT_MAX,
            )?,
            due: if d.schedule == Schedule::YearlyAfter {
                in_result_period(&context, p.due)?
            } else {
                in_period(&context, p.due)?
            },
            suffix: p.suffix,
            recurrence: p.recurrence,
        });
    }
    let duty = Duty {
        plan_ref: d.plan_ref.clone(),
        area: d.area.clone(),
        for_kinds: d.for_kinds.clone(),
        coordinating: d.coordinating.clone(),
        coordinating_inferred: d.coordinating_inferred.clone(),
        detail: crate::text::nfc(&d.detail),
        periods: filled,
    };
    Ok((duty, leads))
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

/// The periods a duty's schedule yields, after checking that only the fields its schedule uses
/// are given.
fn periods(context: &str, d: &RawDuty) -> Result<Vec<Period>, PlanError> {
    let s = d.schedule;
    let misplaced = [
        ("due", d.due.is_some(), s == Schedule::Once),
        (
            "first_due",
            d.first_due.is_some(),
            s == Schedule::YearlyAhead,
        ),
        (
            "due_day",
            d.due_day.is_some(),
            matches!(
                s,
                Schedule::ReportCycle | Schedule::YearlyAhead | Schedule::YearlyAfter
            ),
        ),
        (
            "due_month",
            d.due_month.is_some(),
            matches!(s, Schedule::YearlyAhead | Schedule::YearlyAfter),
        ),
        ("years", d.years.is_some(), s != Schedule::Once),
    ];
    for (field, given, allowed) in misplaced {
        if given && !allowed {
            return Err(invalid(
                context,
                format!("`{field}` does not apply to this schedule"),
            ));
        }
    }

    if s == Schedule::Once {
        let due = d
            .due
            .as_ref()
            .ok_or_else(|| invalid(context, "a once duty needs `due`"))?;
        return Ok(vec![Period {
            suffix: String::new(),
            label: String::new(),
            recurrence: Recurrence::Once,
            due: date(context, due)?,
        }]);
    }

    let years: Vec<i32> = match &d.years {
        None => (FIRST_YEAR..=LAST_YEAR).collect(),
        Some(ys) => {
            if ys.is_empty() {
                return Err(invalid(context, "`years` is empty"));
            }
            for (i, &y) in ys.iter().enumerate() {
                if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
                    return Err(invalid(
                        context,
                        format!("year {y} is outside {FIRST_YEAR}–{LAST_YEAR}"),
                    ));
                }
                if i > 0 && ys[i - 1] >= y {
                    return Err(invalid(
                        context,
                        "`years` must be ascending, without repeats",
                    ));
                }
            }
            ys.clone()
        }
    };

    let mut out = Vec::new();
    for (i, &y) in years.iter().enumerate() {
        match s {
            Schedule::Once => unreachable!("handled above"),
            Schedule::Yearly => out.push(Period {
                suffix: format!("/{y}"),
                label: format!("năm {y}"),
                recurrence: Recurrence::Yearly,
                due: ymd(context, y, 12, 31)?,
            }),
            Schedule::YearlyAhead => {
                let due = match (&d.first_due, i) {
                    (Some(first), 0) => date(context, first)?,
                    _ => ymd(
                        context,
                        y - 1,
                        d.due_month.unwrap_or(12),
                        d.due_day.unwrap_or(31),
                    )?,
                };
                out.push(Period {
                    suffix: format!("/{y}"),
                    label: format!("năm {y}"),
                    recurrence: Recurrence::Yearly,
                    due,
                });
            }
            Schedule::YearlyAfter => out.push(Period {
                suffix: format!("/{y}"),
                label: format!("năm {y}"),
                recurrence: Recurrence::Yearly,
                due: ymd(
                    context,
                    y + 1,
                    d.due_month.unwrap_or(3),
                    d.due_day.unwrap_or(31),
                )?,
            }),
            Schedule::ReportCycle => {
                let day = d.due_day.unwrap_or(DEFAULT_DUE_DAY);
                if !(1..=28).contains(&day) {
                    return Err(invalid(
                        context,
                        format!("due_day {day} is not between 1 and 28"),
                    ));
                }
                let slots = [
                    (1, format!("quý I/{y}"), Recurrence::Quarterly, 3),
                    (2, format!("6 tháng đầu năm {y}"), Recurrence::HalfYearly, 6),
                    (3, format!("quý III/{y}"), Recurrence::Quarterly, 9),
                    (4, format!("năm {y}"), Recurrence::Yearly, 12),
                ];
                for (q, label, recurrence, month) in slots {
                    out.push(Period {
                        suffix: format!("/{y}-Q{q}"),
                        label,
                        recurrence,
                        due: ymd(context, y, month, day)?,
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Inferred coordinating agencies must be among the coordinating ones.
fn inferred_subset(context: &str, all: &[String], inferred: &[String]) -> Result<(), PlanError> {
    match inferred.iter().find(|c| !all.contains(c)) {
        Some(code) => Err(invalid(
            context,
            format!("coordinating_inferred `{code}` is not in coordinating"),
        )),
        None => Ok(()),
    }
}

/// Sort key of a base plan_ref ("III.2.1a", "V.12"): the section's Roman numeral, then each
/// number with its letter suffix, so that III.2 < III.10 and V.1.1a < V.1.1b < V.1.2.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RefKey(u32, Vec<(u32, String)>);

fn base_ref(plan_ref: &str, what: &str, seen: &mut HashSet<String>) -> Result<RefKey, PlanError> {
    let context = format!("{what} {plan_ref}");
    let key = ref_key(plan_ref).ok_or_else(|| {
        invalid(
            &context,
            "plan_ref must look like `III.2.1`, `III.2.1a` or `V.12`",
        )
    })?;
    if !seen.insert(plan_ref.to_string()) {
        return Err(duplicate("plan_ref", plan_ref));
    }
    Ok(key)
}

fn ref_key(plan_ref: &str) -> Option<RefKey> {
    const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    let mut parts = plan_ref.split('.');
    let section = parts.next()?;
    let section = ROMAN.iter().position(|r| *r == section)? as u32 + 1;
    let mut rest = Vec::new();
    for part in parts {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        let (number, letters) = part.split_at(digits);
        if number.is_empty() || number.starts_with('0') || number.len() > 3 {
            return None;
        }
        if letters.len() > 1 || !letters.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        rest.push((number.parse().ok()?, letters.to_string()));
    }
    if rest.is_empty() {
        return None;
    }
    Some(RefKey(section, rest))
}

#[cfg(test)]
mod tests;
