//! Gauge maths for the plan's indicators: where an indicator stands on a given day. Pure: no
//! SQL, no terminal.
//!
//! # How an indicator is judged
//! - **Counted measurements**: only those dated on or before "today" (meetings look at past
//!   dates) and with a finite value. The **latest** is the one with the greatest date; on a tie,
//!   the one later in the list.
//! - **Current step**: the first target (in due-date order) due today or later — a step due
//!   today is still current — else, once every due date has passed, the last target.
//! - **Achieved**, in the indicator's own terms: for an *at-least* or *above* indicator the latest value
//!   (a percentage or a level); for a *reduce-by* indicator the reduction achieved in percent,
//!   `(baseline − latest) / baseline × 100`, where the baseline value is the plan's or, when the
//!   plan has none, the earliest measurement dated on or before the baseline date (so the 2025
//!   figure can be recorded as a measurement). A baseline that is unknown or not positive gives
//!   no achievement.
//! - **Straight line** of the current step, from a start point to (step target, step due):
//!   the first step starts at the baseline (value and date; for reduce-by, 0 % at the baseline
//!   date) when its value is known; an at-least indicator without a baseline value starts at its
//!   earliest counted measurement, provided that is dated before today and is not the only one;
//!   a later step starts at the previous step's (target, due). No start point, or one not
//!   before the step's due date, means no line. **Expected today** is the value on that line
//!   today, clamped to the segment.
//!
//! # Status rules (applied in order)
//! 1. **No data** (*Chưa có số liệu*) — no counted measurement; or, for a reduce-by indicator,
//!    the baseline value is unknown; or the indicator has no targets. [`NoDataReason`] says
//!    which.
//! 2. **Met** (*Đạt*) — achieved ≥ the current step's target; for an *above* indicator ("trên
//!    95%") achieved > the target, so a value exactly at it is not met. Judged on the latest
//!    value only: a target met earlier and then fallen back from is not met. An *above*
//!    indicator is otherwise judged as an *at-least* one (rules 3–5, progress, the line).
//! 3. **Off track** (*Chậm tiến độ*) — the current step's due date is before today (only the last
//!    step can be in that state).
//! 4. With a line: **off track** when achieved is behind the start of the line (below the
//!    baseline, or short of the previous step's target); otherwise
//!    shortfall = (expected today − achieved) / |target − start|:
//!    ≤ [`ON_TRACK_MAX_SHORTFALL`] (5 %) → **on track** (*Đúng tiến độ*; being ahead counts),
//!    ≤ [`AT_RISK_MAX_SHORTFALL`] (15 %) → **at risk** (*Có nguy cơ chậm*), else **off track**.
//! 5. Without a line (or when the line is flat, target = start): shortfall =
//!    (target − achieved) / |target|: ≤ [`NO_LINE_ON_TRACK_MAX_SHORTFALL`] (10 %) → on track,
//!    ≤ [`NO_LINE_AT_RISK_MAX_SHORTFALL`] (25 %) → at risk, else off track (always off track for
//!    a target of 0).
//!
//! Comparisons allow [`EPSILON`] for floating-point rounding, so a value exactly at a threshold
//! counts as inside it.
//!
//! # Progress
//! For percent indicators, the share of the current step achieved: latest / target × 100 for
//! at-least, achieved reduction / required reduction × 100 for reduce-by (it may exceed 100 or
//! be negative). Level indicators report levels reached / required, never a percentage.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Direction, Indicator, Lang, Measurement, Target, Unit};

/// Rule 4: at most this shortfall against the straight line is on track.
pub const ON_TRACK_MAX_SHORTFALL: f64 = 0.05;
/// Rule 4: at most this shortfall against the straight line is at risk; more is off track.
pub const AT_RISK_MAX_SHORTFALL: f64 = 0.15;
/// Rule 5: without a line, at most this shortfall against the target is on track.
pub const NO_LINE_ON_TRACK_MAX_SHORTFALL: f64 = 0.10;
/// Rule 5: without a line, at most this shortfall against the target is at risk.
pub const NO_LINE_AT_RISK_MAX_SHORTFALL: f64 = 0.25;
/// Tolerance of every comparison, for floating-point rounding.
pub const EPSILON: f64 = 1e-9;
/// Measurements are multiplied by this for [`sparkline_points`] (one decimal kept).
pub const SPARKLINE_SCALE: f64 = 10.0;

/// Where an indicator stands; see the module documentation for the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorStatus {
    Met,
    OnTrack,
    AtRisk,
    OffTrack,
    NoData,
}

impl IndicatorStatus {
    pub const ALL: [IndicatorStatus; 5] = [
        IndicatorStatus::Met,
        IndicatorStatus::OnTrack,
        IndicatorStatus::AtRisk,
        IndicatorStatus::OffTrack,
        IndicatorStatus::NoData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorStatus::Met => "met",
            IndicatorStatus::OnTrack => "on-track",
            IndicatorStatus::AtRisk => "at-risk",
            IndicatorStatus::OffTrack => "off-track",
            IndicatorStatus::NoData => "no-data",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// A mark that says the status without colour (`NO_COLOR`, a colour-blind reader), as the
    /// task list's `!` says overdue.
    pub fn mark(self) -> &'static str {
        match self {
            IndicatorStatus::Met => "✓",
            IndicatorStatus::OnTrack => "»",
            IndicatorStatus::AtRisk => "~",
            IndicatorStatus::OffTrack => "!",
            IndicatorStatus::NoData => "·",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (IndicatorStatus::Met, Lang::Vi) => "Đạt",
            (IndicatorStatus::OnTrack, Lang::Vi) => "Đúng tiến độ",
            (IndicatorStatus::AtRisk, Lang::Vi) => "Có nguy cơ chậm",
            (IndicatorStatus::OffTrack, Lang::Vi) => "Chậm tiến độ",
            (IndicatorStatus::NoData, Lang::Vi) => "Chưa có số liệu",
            (IndicatorStatus::Met, Lang::En) => "Met",
            (IndicatorStatus::OnTrack, Lang::En) => "On track",
            (IndicatorStatus::AtRisk, Lang::En) => "At risk",
            (IndicatorStatus::OffTrack, Lang::En) => "Off track",
            (IndicatorStatus::NoData, Lang::En) => "No data",
        }
    }
}

/// Why an indicator has no status yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoDataReason {
    /// No measurement dated on or before today.
    NoMeasurements,
    /// Reduce-by: no baseline value in the plan nor measured on or before the baseline date
    /// (or one that is not positive, which no reduction in percent can refer to).
    BaselineUnknown,
    /// The indicator has no target to be judged against.
    NoTargets,
}

impl NoDataReason {
    pub fn as_str(self) -> &'static str {
        match self {
            NoDataReason::NoMeasurements => "no-measurements",
            NoDataReason::BaselineUnknown => "baseline-unknown",
            NoDataReason::NoTargets => "no-targets",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NoDataReason::NoMeasurements, Lang::Vi) => "Chưa có số liệu đo",
            (NoDataReason::BaselineUnknown, Lang::Vi) => "Chưa có số liệu gốc",
            (NoDataReason::NoTargets, Lang::Vi) => "Chưa có chỉ tiêu",
            (NoDataReason::NoMeasurements, Lang::En) => "No measurements",
            (NoDataReason::BaselineUnknown, Lang::En) => "Baseline unknown",
            (NoDataReason::NoTargets, Lang::En) => "No targets",
        }
    }
}

/// How much of the current step is achieved.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Progress {
    /// Percent indicators: share of the step's target achieved (may exceed 100 or be negative).
    Percent(f64),
    /// Level indicators: the level reached and the level the step requires.
    Levels {
        reached: f64,
        required: f64,
    },
    Unknown,
}

/// A value on a date, in the terms stated where it is used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub value: f64,
    pub date: NaiveDate,
}

/// The latest counted measurement, as recorded (an absolute value for reduce-by indicators).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Latest {
    pub value: f64,
    pub date: NaiveDate,
    pub source: String,
}

/// An indicator assessed on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub status: IndicatorStatus,
    /// Set exactly when `status` is `NoData`.
    pub no_data_reason: Option<NoDataReason>,
    /// Index of the current step among the targets in due-date order (0-based).
    pub step: Option<usize>,
    pub step_count: usize,
    pub current_target: Option<Target>,
    /// The value the indicator is measured against, as recorded (reduce-by: the absolute
    /// quantity the reduction refers to, from the plan or from a measurement; at-least: the
    /// plan's baseline value).
    pub baseline: Option<Point>,
    /// Start of the straight line, in the indicator's terms (reduce-by: a reduction in percent).
    pub start: Option<Point>,
    /// Achieved in the indicator's terms: latest value, or reduction in percent for reduce-by.
    pub achieved: Option<f64>,
    /// Expected today on the straight line, in the indicator's terms.
    pub expected_today: Option<f64>,
    /// The shortfall the status was decided on (rule 4 or 5), as a fraction.
    pub shortfall: Option<f64>,
    pub progress: Progress,
    /// `progress` as a percentage; `None` for levels and when unknown.
    pub progress_pct: Option<f64>,
    pub latest: Option<Latest>,
}

impl Assessment {
    /// How full the gauge is, 0..=1: the step's share achieved, or levels reached / required.
    pub fn gauge_ratio(&self) -> Option<f64> {
        let ratio = match self.progress {
            Progress::Percent(pct) => pct / 100.0,
            Progress::Levels { reached, required } if required.abs() > EPSILON => {
                reached / required
            }
            Progress::Levels { .. } | Progress::Unknown => return None,
        };
        ratio.is_finite().then(|| ratio.clamp(0.0, 1.0))
    }
}

/// The progress shown for a value exactly at a strict ("trên") target: full but for a tenth.
pub const AT_STRICT_TARGET: f64 = 99.9;

/// Assesses `ind` on `today` from its measurements (those of this indicator; any order).
pub fn assess(ind: &Indicator, measurements: &[Measurement], today: NaiveDate) -> Assessment {
    let counted: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.measured_on <= today && m.value.is_finite())
        .collect();
    // On equal dates the later one in the list wins.
    let latest = counted
        .iter()
        .copied()
        .fold(None, |best: Option<&Measurement>, m| match best {
            Some(b) if m.measured_on < b.measured_on => Some(b),
            _ => Some(m),
        });
    // On equal dates the first one in the list wins.
    let earliest_where = |keep: &dyn Fn(&Measurement) -> bool| {
        counted
            .iter()
            .copied()
            .filter(|m| keep(m))
            .fold(None, |best: Option<&Measurement>, m| match best {
                Some(b) if m.measured_on >= b.measured_on => Some(b),
                _ => Some(m),
            })
    };

    let mut targets: Vec<Target> = ind
        .targets
        .iter()
        .copied()
        .filter(|t| t.value.is_finite())
        .collect();
    targets.sort_by_key(|t| t.due);
    let step = targets
        .iter()
        .position(|t| t.due >= today)
        .or(targets.len().checked_sub(1));
    let target = step.map(|i| targets[i]);

    let plan_baseline = ind.baseline.as_ref().and_then(|b| {
        let value = b.value.filter(|v| v.is_finite())?;
        Some(Point {
            value,
            date: b.date,
        })
    });
    let baseline = match ind.direction {
        Direction::AtLeast | Direction::Above => plan_baseline,
        Direction::ReduceBy => entry::baseline(ind, &counted),
    };

    let achieved = latest.and_then(|m| match ind.direction {
        Direction::AtLeast | Direction::Above => Some(m.value),
        Direction::ReduceBy => baseline.map(|b| (b.value - m.value) * 100.0 / b.value),
    });

    let start = match (step, target) {
        (Some(i), Some(_)) if i > 0 => Some(Point {
            value: targets[i - 1].value,
            date: targets[i - 1].due,
        }),
        (Some(_), Some(_)) => match ind.direction {
            // No reduction yet at the baseline date.
            Direction::ReduceBy => match (&ind.baseline, baseline) {
                (Some(plan), Some(_)) => Some(Point {
                    value: 0.0,
                    date: plan.date,
                }),
                _ => None,
            },
            Direction::AtLeast | Direction::Above => plan_baseline.or_else(|| {
                let first = earliest_where(&|_| true)?;
                (first.measured_on < today && counted.len() > 1).then_some(Point {
                    value: first.value,
                    date: first.measured_on,
                })
            }),
        },
        _ => None,
    }
    .filter(|s| target.is_some_and(|t| s.date < t.due));

    let expected_today = match (start, target) {
        (Some(s), Some(t)) => Some(on_line(s, t, today)),
        _ => None,
    };

    let (status, no_data_reason, shortfall) = judge(
        target,
        ind.direction == Direction::Above,
        latest.is_some(),
        achieved,
        start,
        expected_today,
        today,
    );

    let progress = match (achieved, target) {
        (Some(a), Some(t)) if status != IndicatorStatus::NoData => match ind.unit {
            Unit::Level => Progress::Levels {
                reached: a,
                required: t.value,
            },
            Unit::Percent if t.value.abs() > EPSILON => {
                let pct = a / t.value * 100.0;
                // "trên 95%": reaching the target is not passing it, so a value at the target
                // stops the gauge just short of full rather than reading 100 %.
                let strict = ind.direction == Direction::Above && a <= t.value;
                Progress::Percent(if strict {
                    pct.min(AT_STRICT_TARGET)
                } else {
                    pct
                })
            }
            Unit::Percent => Progress::Unknown,
        },
        _ => Progress::Unknown,
    };
    let progress_pct = match progress {
        Progress::Percent(pct) => Some(pct),
        _ => None,
    };

    Assessment {
        status,
        no_data_reason,
        step,
        step_count: targets.len(),
        current_target: target,
        baseline,
        start,
        achieved,
        expected_today,
        shortfall,
        progress,
        progress_pct,
        latest: latest.map(|m| Latest {
            value: m.value,
            date: m.measured_on,
            source: m.source.clone(),
        }),
    }
}

/// The value on the straight line from `start` to (`end.value`, `end.due`) on `day`, clamped
/// to the segment. `start.date` must be before `end.due`.
fn on_line(start: Point, end: Target, day: NaiveDate) -> f64 {
    let total = (end.due - start.date).num_days() as f64;
    let elapsed = (day - start.date).num_days() as f64;
    let t = if total > 0.0 {
        (elapsed / total).clamp(0.0, 1.0)
    } else {
        1.0
    };
    start.value + t * (end.value - start.value)
}

/// Rules 1–5 of the module documentation.
fn judge(
    target: Option<Target>,
    strictly_above: bool,
    has_measurement: bool,
    achieved: Option<f64>,
    start: Option<Point>,
    expected_today: Option<f64>,
    today: NaiveDate,
) -> (IndicatorStatus, Option<NoDataReason>, Option<f64>) {
    use IndicatorStatus::*;
    let no_data = |reason| (NoData, Some(reason), None);
    // Rule 1.
    let Some(target) = target else {
        return no_data(NoDataReason::NoTargets);
    };
    if !has_measurement {
        return no_data(NoDataReason::NoMeasurements);
    }
    let Some(achieved) = achieved else {
        return no_data(NoDataReason::BaselineUnknown);
    };
    // Rule 2.
    let met = if strictly_above {
        achieved > target.value + EPSILON
    } else {
        achieved >= target.value - EPSILON
    };
    if met {
        return (Met, None, None);
    }
    // Rule 3.
    if target.due < today {
        return (OffTrack, None, None);
    }
    // Rule 4.
    if let (Some(start), Some(expected)) = (start, expected_today) {
        let rise = target.value - start.value;
        if rise.abs() > EPSILON {
            let toward = rise.signum();
            let shortfall = (expected - achieved) * toward / rise.abs();
            if (achieved - start.value) * toward < -EPSILON {
                return (OffTrack, None, Some(shortfall));
            }
            let status = classify(shortfall, ON_TRACK_MAX_SHORTFALL, AT_RISK_MAX_SHORTFALL);
            return (status, None, Some(shortfall));
        }
    }
    // Rule 5.
    if target.value.abs() <= EPSILON {
        return (OffTrack, None, None);
    }
    let shortfall = (target.value - achieved) / target.value.abs();
    let status = classify(
        shortfall,
        NO_LINE_ON_TRACK_MAX_SHORTFALL,
        NO_LINE_AT_RISK_MAX_SHORTFALL,
    );
    (status, None, Some(shortfall))
}

fn classify(shortfall: f64, on_track_max: f64, at_risk_max: f64) -> IndicatorStatus {
    if shortfall <= on_track_max + EPSILON {
        IndicatorStatus::OnTrack
    } else if shortfall <= at_risk_max + EPSILON {
        IndicatorStatus::AtRisk
    } else {
        IndicatorStatus::OffTrack
    }
}

/// Values of the measurements dated on or before `today`, oldest first (equal dates in list
/// order), scaled by [`SPARKLINE_SCALE`] and rounded for ratatui's `Sparkline`; negative values
/// become 0 and non-finite ones are left out.
pub fn sparkline_points(measurements: &[Measurement], today: NaiveDate) -> Vec<u64> {
    let mut counted: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.measured_on <= today && m.value.is_finite())
        .collect();
    counted.sort_by_key(|m| m.measured_on);
    counted
        .iter()
        // `as` saturates: negatives give 0, huge values u64::MAX.
        .map(|m| (m.value * SPARKLINE_SCALE).round() as u64)
        .collect()
}

mod entry;
pub use entry::{
    Implausible, PLAUSIBLE_SHARE, Quantity, baseline, check_value, plausible_range, reference,
};

/// What was recorded since a date, with the change against each previous figure.
pub mod recorded;

#[cfg(test)]
mod tests;
