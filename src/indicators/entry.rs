//! What a measurement of an indicator is, as cchc records it, and which values are plausible.
//!
//! A percent or level indicator records the percentage or level itself. A reduce-by indicator
//! ("giảm 10% so với năm 2025") records the quantity that is reduced — a headcount for the
//! staff cut, an amount for spending — and the reduction is computed against the baseline
//! (see the module above). So its target reads "10" while the number to enter is in the
//! thousands: an agency that types the 7 % it has cut would be recorded as a staff of 7. A
//! recorded quantity is therefore judged against its reference (the baseline, else the latest
//! measurement): one outside [`PLAUSIBLE_SHARE`] of it is refused, with the reference and what
//! to enter.

use super::Point;
use crate::model::{Direction, Indicator, Lang, Measurement, Unit};

/// The share of its reference a recorded quantity may be: a plan that cuts 10 % over five
/// years does not halve or grow by half between two measurements.
pub const PLAUSIBLE_SHARE: (f64, f64) = (0.5, 1.5);

/// What a measurement of an indicator holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// A percentage, 0–100.
    Percent,
    /// A level, 1–5.
    Level,
    /// A number of staff (the staff cut).
    Headcount,
    /// An amount in the baseline's unit (the spending cut).
    Amount,
}

impl Quantity {
    /// What the indicator's measurements hold. The plan's reduce-by indicators are a
    /// headcount ("biên chế") and spending; the data names the quantity only in words.
    pub fn of(ind: &Indicator) -> Quantity {
        match (ind.unit, ind.direction) {
            (Unit::Level, _) => Quantity::Level,
            (Unit::Percent, Direction::AtLeast | Direction::Above) => Quantity::Percent,
            (Unit::Percent, Direction::ReduceBy) => {
                if crate::text::fold(&ind.name).contains("bien che") {
                    Quantity::Headcount
                } else {
                    Quantity::Amount
                }
            }
        }
    }

    /// What to enter, for a sheet's row or a form.
    pub fn ask(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Quantity::Percent, Lang::Vi) => "Tỷ lệ %, từ 0 đến 100",
            (Quantity::Percent, Lang::En) => "A percentage, 0 to 100",
            (Quantity::Level, Lang::Vi) => "Cấp độ, từ 1 đến 5",
            (Quantity::Level, Lang::En) => "A level, 1 to 5",
            (Quantity::Headcount, Lang::Vi) => {
                "Số người (biên chế) tại ngày đo, không ghi tỷ lệ % giảm"
            }
            (Quantity::Headcount, Lang::En) => {
                "The number of staff on the day measured, not the percentage cut"
            }
            (Quantity::Amount, Lang::Vi) => {
                "Số chi, cùng đơn vị với số liệu gốc, không ghi tỷ lệ % giảm"
            }
            (Quantity::Amount, Lang::En) => {
                "The amount spent, in the baseline's unit, not the percentage cut"
            }
        }
    }

    /// The quantity's name in a sentence ("số người").
    fn noun(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Quantity::Percent, Lang::Vi) => "tỷ lệ",
            (Quantity::Percent, Lang::En) => "percentage",
            (Quantity::Level, Lang::Vi) => "cấp độ",
            (Quantity::Level, Lang::En) => "level",
            (Quantity::Headcount, Lang::Vi) => "số người",
            (Quantity::Headcount, Lang::En) => "headcount",
            (Quantity::Amount, Lang::Vi) => "số chi",
            (Quantity::Amount, Lang::En) => "amount",
        }
    }
}

/// The baseline a reduce-by indicator's reduction refers to: the plan's value, else the
/// earliest of `measurements` dated on or before the baseline date; `None` when neither is
/// known or it is not positive (no reduction in percent can refer to it).
pub fn baseline(ind: &Indicator, measurements: &[&Measurement]) -> Option<Point> {
    let plan = ind.baseline.as_ref()?;
    let point = match plan.value.filter(|v| v.is_finite()) {
        Some(value) => Point {
            value,
            date: plan.date,
        },
        None => measurements
            .iter()
            .filter(|m| m.measured_on <= plan.date && m.value.is_finite())
            // On equal dates the first one in the list wins.
            .fold(None, |best: Option<&&Measurement>, m| match best {
                Some(b) if m.measured_on >= b.measured_on => Some(b),
                _ => Some(m),
            })
            .map(|m| Point {
                value: m.value,
                date: m.measured_on,
            })?,
    };
    (point.value > super::EPSILON).then_some(point)
}

/// What a new quantity is judged against: the baseline, else the latest measurement.
pub fn reference(ind: &Indicator, measurements: &[&Measurement]) -> Option<Point> {
    baseline(ind, measurements).or_else(|| {
        measurements
            .iter()
            .filter(|m| m.value.is_finite() && m.value > super::EPSILON)
            .max_by_key(|m| m.measured_on)
            .map(|m| Point {
                value: m.value,
                date: m.measured_on,
            })
    })
}

/// The values a new measurement of `ind` may take, when they depend on what is recorded: for
/// a quantity, [`PLAUSIBLE_SHARE`] of its reference. `None` when any value in the unit's range
/// will do (a percentage, a level, or a first quantity).
pub fn plausible_range(ind: &Indicator, measurements: &[&Measurement]) -> Option<(f64, f64)> {
    match Quantity::of(ind) {
        Quantity::Percent | Quantity::Level => None,
        Quantity::Headcount | Quantity::Amount => {
            let r = reference(ind, measurements)?;
            Some((r.value * PLAUSIBLE_SHARE.0, r.value * PLAUSIBLE_SHARE.1))
        }
    }
}

/// A value refused as implausible for what the indicator records.
#[derive(Debug, Clone, PartialEq)]
pub struct Implausible {
    pub value: f64,
    pub quantity: Quantity,
    pub reference: Point,
    /// The baseline's words ("năm 2025"), when the reference is the baseline.
    pub reference_label: Option<String>,
    pub low: f64,
    pub high: f64,
}

impl Implausible {
    /// One line: the value, what it was judged against, and what to enter.
    pub fn message(&self, lang: Lang) -> String {
        let n = |v: f64| crate::text::figure(v, lang);
        let of = match &self.reference_label {
            Some(label) => label.clone(),
            None => self.reference.date.format("%d/%m/%Y").to_string(),
        };
        match lang {
            Lang::Vi => format!(
                "{} không phải {} hợp lý so với số liệu gốc {} ({of}); chỉ tiêu này ghi {}, không ghi tỷ lệ %: nhập số từ {} đến {}",
                n(self.value),
                self.quantity.noun(lang),
                n(self.reference.value),
                self.quantity.noun(lang),
                n(self.low),
                n(self.high)
            ),
            Lang::En => format!(
                "{} is not a plausible {} against the reference {} ({of}); this indicator records the {}, not a percentage: enter a number from {} to {}",
                n(self.value),
                self.quantity.noun(lang),
                n(self.reference.value),
                self.quantity.noun(lang),
                n(self.low),
                n(self.high)
            ),
        }
    }
}

/// Refuses a new value of `ind` that is implausible for what it records.
pub fn check_value(
    ind: &Indicator,
    measurements: &[&Measurement],
    value: f64,
) -> Result<(), Implausible> {
    let Some((low, high)) = plausible_range(ind, measurements) else {
        return Ok(());
    };
    if (low - super::EPSILON..=high + super::EPSILON).contains(&value) {
        return Ok(());
    }
    let base = baseline(ind, measurements);
    let reference = base.or_else(|| reference(ind, measurements));
    let Some(reference) = reference else {
        return Ok(());
    };
    Err(Implausible {
        value,
        quantity: Quantity::of(ind),
        reference,
        reference_label: base
            .and(ind.baseline.as_ref())
            .map(|b| b.label.clone())
            .filter(|l| !l.is_empty()),
        low: low.ceil(),
        high: high.floor(),
    })
}
