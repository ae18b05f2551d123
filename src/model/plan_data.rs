//! The plan's reference data: areas, agencies, indicators with their targets and measurements,
//! duties, and the plan as loaded.

use super::*;

/// One of the seven groups of work of the plan (stable code such as `tthc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

impl Area {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.name_vi,
            Lang::En => &self.name_en,
        }
    }
}

/// What kind of body an agency is; communes are many, departments few.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgencyKind {
    /// Văn phòng UBND tỉnh and the provincial departments (sở).
    Department,
    /// Ủy ban MTTQ and the socio-political organisations.
    Front,
    /// Trường Chính trị, Báo và PT-TH: bodies the plan asks ("đề nghị") rather than directs.
    Partner,
    /// Central agencies based in the province.
    Central,
    /// UBND xã, phường — one commune, or the group of all of them.
    Commune,
}

impl AgencyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Department => "department",
            AgencyKind::Front => "front",
            AgencyKind::Partner => "partner",
            AgencyKind::Central => "central",
            AgencyKind::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "department" => AgencyKind::Department,
            "front" => AgencyKind::Front,
            "partner" => AgencyKind::Partner,
            "central" => AgencyKind::Central,
            "commune" => AgencyKind::Commune,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Percent,
    Level,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Level => "level",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "percent" => Some(Unit::Percent),
            "level" => Some(Unit::Level),
            _ => None,
        }
    }
}

/// `AtLeast`: the measured value must reach the target ("tối thiểu 95%", "đạt 100%").
/// `Above`: the measured value must pass the target strictly ("trên 95%": 95.0 is not met).
/// `ReduceBy`: the target is a reduction (10 for "giảm 10%") measured against the indicator's
/// baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    AtLeast,
    Above,
    ReduceBy,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::AtLeast => "at-least",
            Direction::Above => "above",
            Direction::ReduceBy => "reduce-by",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "at-least" => Some(Direction::AtLeast),
            "above" => Some(Direction::Above),
            "reduce-by" => Some(Direction::ReduceBy),
            _ => None,
        }
    }
}

/// One dated step of an indicator ("Giai đoạn 2026-2027" is due 2027-12-31).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub value: f64,
    pub due: NaiveDate,
}

/// Where an indicator starts from. For `ReduceBy` it is the reference the reduction is measured
/// against ("so với năm 2025"); `value` is unknown until someone records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub value: Option<f64>,
    pub date: NaiveDate,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub area: String,
    pub name: String,
    pub unit: Unit,
    pub direction: Direction,
    pub baseline: Option<Baseline>,
    pub lead_agency: String,
    pub targets: Vec<Target>,
}

/// A recorded value of an indicator; every one is kept and "latest" is derived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub id: i64,
    pub indicator: String,
    pub value: f64,
    pub measured_on: NaiveDate,
    pub source: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}
/// A duty of the plan expanded for its lead agencies: for every agency in `for_agencies`, or for
/// every agency of a kind in `for_kinds` (section V.1's "các sở, ban, ngành; UBND các xã,
/// phường"), including one registered after the plan was seeded. `plan::expand_duty` turns it
/// into tasks; the seed and `cchc agency add` both go through it.
#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    pub plan_ref: String,
    pub area: String,
    pub for_kinds: Vec<AgencyKind>,
    pub coordinating: Vec<String>,
    pub coordinating_inferred: Vec<String>,
    pub detail: String,
    pub periods: Vec<DutyPeriod>,
}

/// One dated instance of a duty, the same for every lead: the plan_ref suffix ("/2026-Q1", or
/// "" for a once duty), the title and output with `{period}` filled in, and the due date.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyPeriod {
    pub suffix: String,
    pub title: String,
    pub output: String,
    pub recurrence: Recurrence,
    pub due: NaiveDate,
}

/// Who issued the plan and why: its heading, section I (mục đích, yêu cầu), section II.1 (mục
/// tiêu chung) and the plan it replaces, as the plan writes them. Shown on the meeting's
/// overview slide and in the opening paragraph of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanInfo {
    /// "Kế hoạch Cải cách hành chính nhà nước tỉnh Lạng Sơn giai đoạn 2026-2030".
    pub title: String,
    /// "UBND tỉnh Lạng Sơn".
    pub issuer: String,
    /// The number and date as the source gives them (both still blank in it).
    pub number: String,
    pub issued: String,
    /// The plan this one replaces (closing paragraph of section V).
    pub replaces: String,
    /// Section I.1, one entry per paragraph.
    pub purpose: Vec<String>,
    /// Section I.2, one entry per paragraph.
    pub requirements: Vec<String>,
    /// Section II.1.
    pub general_objective: String,
}

/// The plan as loaded from `data/`, recurring duties already expanded into dated instances.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub info: PlanInfo,
    pub areas: Vec<Area>,
    pub agencies: Vec<Agency>,
    pub indicators: Vec<Indicator>,
    pub tasks: Vec<NewTask>,
}
