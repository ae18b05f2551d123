//! The measurements recorded since a date (the last meeting), each with the figure it follows:
//! what the meeting's "since the last meeting" slide lists. Counted by when a figure was
//! *recorded*, not the date it was measured: a survey dated 01/10 entered today is news at
//! today's meeting, whatever its date. Pure: the caller says which time zone a day is in.

use chrono::{NaiveDate, TimeZone};

use crate::model::{Direction, Indicator, Measurement, Unit};

/// One figure recorded since the date asked, as a slide shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub code: String,
    pub name: String,
    pub unit: Unit,
    pub direction: Direction,
    pub value: f64,
    /// The indicator's figure measured just before this one, if any.
    pub previous: Option<f64>,
    pub measured_on: NaiveDate,
    /// The local day it was recorded.
    pub recorded_on: NaiveDate,
}

/// The measurements recorded on or after `since` (a day in `tz`), oldest record first, each with
/// the indicator's figure measured before it. A record whose time cannot be read is dated by
/// its measurement.
pub fn recorded_since<Tz: TimeZone>(
    indicators: &[Indicator],
    measurements: &[Measurement],
    since: NaiveDate,
    tz: &Tz,
) -> Vec<Recorded> {
    let day = |m: &Measurement| {
        chrono::DateTime::parse_from_rfc3339(&m.recorded_at)
            .map(|t| t.with_timezone(tz).date_naive())
            .unwrap_or(m.measured_on)
    };
    let mut out: Vec<(&Measurement, Recorded)> = Vec::new();
    for ind in indicators {
        let mut history: Vec<&Measurement> = measurements
            .iter()
            .filter(|m| m.indicator == ind.code && m.value.is_finite())
            .collect();
        history.sort_by_key(|m| (m.measured_on, m.id));
        for (i, m) in history.iter().enumerate() {
            let recorded_on = day(m);
            if recorded_on < since {
                continue;
            }
            out.push((
                m,
                Recorded {
                    code: ind.code.clone(),
                    name: ind.name.clone(),
                    unit: ind.unit,
                    direction: ind.direction,
                    value: m.value,
                    previous: i.checked_sub(1).map(|p| history[p].value),
                    measured_on: m.measured_on,
                    recorded_on,
                },
            ));
        }
    }
    out.sort_by(|(a, _), (b, _)| a.recorded_at.cmp(&b.recorded_at).then(a.id.cmp(&b.id)));
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn m(id: i64, value: f64, measured: &str, recorded: &str) -> Measurement {
        Measurement {
            id,
            indicator: "x".into(),
            value,
            measured_on: measured.parse().unwrap(),
            source: String::new(),
            note: String::new(),
            recorded_by: "lan".into(),
            recorded_at: recorded.into(),
        }
    }

    #[test]
    fn counted_by_when_recorded_with_the_figure_before() {
        let ind = Indicator {
            code: "x".into(),
            area: "a".into(),
            name: "Tỷ lệ".into(),
            unit: Unit::Percent,
            direction: Direction::AtLeast,
            baseline: None,
            lead_agency: "SNV".into(),
            targets: Vec::new(),
        };
        let ms = [
            m(1, 80.0, "2026-06-30", "2026-07-02T03:00:00Z"),
            // Measured before the meeting, recorded after it: listed.
            m(2, 85.0, "2026-10-01", "2026-11-20T09:00:00Z"),
            // Recorded late in the evening UTC: the next day in Hà Nội.
            m(3, 88.5, "2026-10-26", "2026-10-26T18:30:00Z"),
        ];
        let since: NaiveDate = "2026-10-27".parse().unwrap();
        let utc = recorded_since(std::slice::from_ref(&ind), &ms, since, &Utc);
        assert_eq!(utc.len(), 1);
        assert_eq!((utc[0].value, utc[0].previous), (85.0, Some(80.0)));
        let hanoi = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
        let local = recorded_since(&[ind], &ms, since, &hanoi);
        let got: Vec<(f64, Option<f64>)> = local.iter().map(|r| (r.value, r.previous)).collect();
        assert_eq!(got, [(88.5, Some(85.0)), (85.0, Some(80.0))]);
        assert_eq!(local[0].recorded_on.to_string(), "2026-10-27");
    }
}
