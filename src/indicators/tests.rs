use super::*;
use crate::model::Baseline;
use IndicatorStatus::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn indicator(
    unit: Unit,
    direction: Direction,
    baseline: Option<(Option<f64>, &str)>,
    targets: &[(f64, &str)],
) -> Indicator {
    Indicator {
        code: "CT1".into(),
        area: "tthc".into(),
        name: "Chỉ tiêu thử".into(),
        unit,
        direction,
        baseline: baseline.map(|(value, date)| Baseline {
            value,
            date: d(date),
            label: "Năm 2025".into(),
        }),
        lead_agency: "SNV".into(),
        targets: targets
            .iter()
            .map(|&(value, due)| Target { value, due: d(due) })
            .collect(),
    }
}

fn measurements(values: &[(f64, &str)]) -> Vec<Measurement> {
    values
        .iter()
        .enumerate()
        .map(|(i, &(value, date))| Measurement {
            id: i as i64 + 1,
            indicator: "CT1".into(),
            value,
            measured_on: d(date),
            source: format!("báo cáo {}", i + 1),
            note: String::new(),
            recorded_by: "test".into(),
            recorded_at: "2026-01-01T00:00:00Z".into(),
        })
        .collect()
}

/// "trên 95%": 95.0 is not met, 95.1 is; at least 95 takes 95.0. Before the due date a value
/// exactly at the target is on track (not met), after it off track.
#[test]
fn above_is_strict_at_the_target() {
    let above = indicator(
        Unit::Percent,
        Direction::Above,
        None,
        &[(95.0, "2030-12-31")],
    );
    let at_least = indicator(
        Unit::Percent,
        Direction::AtLeast,
        None,
        &[(95.0, "2030-12-31")],
    );
    let today = d("2030-06-30");
    let at = measurements(&[(95.0, "2030-06-01")]);
    assert_eq!(assess(&at_least, &at, today).status, Met);
    let a = assess(&above, &at, today);
    assert_eq!(a.status, OnTrack);
    assert_eq!(a.achieved, Some(95.0));
    // Not passed, so its gauge is not full and does not read 100 %.
    assert_eq!(a.progress_pct, Some(99.9));
    assert!(a.gauge_ratio().is_some_and(|g| g < 1.0));
    assert_eq!(assess(&above, &at, d("2031-01-01")).status, OffTrack);
    let past = measurements(&[(95.1, "2030-06-01")]);
    assert_eq!(
        assess(&above, &past, today).progress_pct,
        Some(95.1 / 95.0 * 100.0)
    );
    assert_eq!(assess(&above, &past, today).status, Met);
    let below = measurements(&[(94.0, "2030-06-01")]);
    assert_eq!(
        assess(&above, &below, today).status,
        assess(&at_least, &below, today).status
    );
}

/// At least 60 % by 2026-04-11, from 20 % on 2026-01-01: 100 days, 40 points.
/// On 2026-02-20 (day 50) 40 % is expected.
fn linear() -> Indicator {
    indicator(
        Unit::Percent,
        Direction::AtLeast,
        Some((Some(20.0), "2026-01-01")),
        &[(60.0, "2026-04-11")],
    )
}

const MIDWAY: &str = "2026-02-20";

fn status_at(ind: &Indicator, values: &[(f64, &str)], today: &str) -> IndicatorStatus {
    assess(ind, &measurements(values), d(today)).status
}

fn approx(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

#[test]
fn line_thresholds_exactly() {
    let ind = linear();
    let a = assess(&ind, &measurements(&[(38.0, "2026-02-19")]), d(MIDWAY));
    assert_eq!(a.expected_today, Some(40.0));
    assert_eq!(a.shortfall, Some(0.05));
    assert_eq!(a.status, OnTrack);
    // Just past 5 %: at risk.
    assert_eq!(status_at(&ind, &[(37.99, "2026-02-19")], MIDWAY), AtRisk);
    // Exactly 15 %: still at risk; just past: off track.
    assert_eq!(status_at(&ind, &[(34.0, "2026-02-19")], MIDWAY), AtRisk);
    assert_eq!(status_at(&ind, &[(33.99, "2026-02-19")], MIDWAY), OffTrack);
    // Ahead of the line counts as on track.
    assert_eq!(status_at(&ind, &[(55.0, "2026-02-19")], MIDWAY), OnTrack);
}

#[test]
fn no_line_thresholds_exactly() {
    // No baseline value and a single measurement: judged against the target alone.
    let ind = indicator(
        Unit::Percent,
        Direction::AtLeast,
        None,
        &[(80.0, "2026-12-31")],
    );
    let a = assess(
        &ind,
        &measurements(&[(72.0, "2026-06-30")]),
        d("2026-07-01"),
    );
    assert_eq!(a.start, None);
    assert_eq!(a.expected_today, None);
    assert_eq!(a.shortfall, Some(0.1));
    assert_eq!(a.status, OnTrack);
    assert_eq!(
        status_at(&ind, &[(71.99, "2026-06-30")], "2026-07-01"),
        AtRisk
    );
    assert_eq!(
        status_at(&ind, &[(60.0, "2026-06-30")], "2026-07-01"),
        AtRisk
    );
    assert_eq!(
        status_at(&ind, &[(59.99, "2026-06-30")], "2026-07-01"),
        OffTrack
    );
    assert_eq!(status_at(&ind, &[(80.0, "2026-06-30")], "2026-07-01"), Met);
}

#[test]
fn step_due_today_is_current_the_day_after_is_late() {
    let ind = linear();
    let on_due = assess(
        &ind,
        &measurements(&[(59.0, "2026-04-01")]),
        d("2026-04-11"),
    );
    assert_eq!(on_due.step, Some(0));
    assert_eq!(on_due.expected_today, Some(60.0));
    // 1 point short of 60 is 2.5 % of the 40-point rise: on track on the due date itself.
    assert_eq!(on_due.status, OnTrack);
    let after = assess(
        &ind,
        &measurements(&[(59.0, "2026-04-01")]),
        d("2026-04-12"),
    );
    assert_eq!(after.step, Some(0));
    assert_eq!(after.status, OffTrack);
    // Met stays met after the last due date.
    assert_eq!(status_at(&ind, &[(60.0, "2026-04-01")], "2027-01-01"), Met);
}

#[test]
fn second_step_becomes_current_the_day_after_the_first_due() {
    let ind = indicator(
        Unit::Percent,
        Direction::AtLeast,
        Some((Some(20.0), "2025-12-31")),
        &[(50.0, "2027-12-31"), (80.0, "2030-12-31")],
    );
    let values = measurements(&[(50.0, "2027-12-15")]);
    let last_day = assess(&ind, &values, d("2027-12-31"));
    assert_eq!((last_day.step, last_day.step_count), (Some(0), 2));
    assert_eq!(last_day.status, Met);
    assert_eq!(last_day.progress_pct, Some(100.0));
    let next_day = assess(&ind, &values, d("2028-01-01"));
    assert_eq!(next_day.step, Some(1));
    assert_eq!(
        next_day.current_target,
        Some(Target {
            value: 80.0,
            due: d("2030-12-31")
        })
    );
    // The second step's line starts at the first step's target and due date.
    assert_eq!(
        next_day.start,
        Some(Point {
            value: 50.0,
            date: d("2027-12-31")
        })
    );
    assert!(approx(next_day.expected_today, 50.0 + 30.0 / 1096.0));
    assert_eq!(next_day.status, OnTrack);
    assert!(approx(next_day.progress_pct, 62.5));
}

#[test]
fn unsorted_targets_are_taken_in_due_order() {
    let ind = indicator(
        Unit::Percent,
        Direction::AtLeast,
        Some((Some(20.0), "2025-12-31")),
        &[(80.0, "2030-12-31"), (50.0, "2027-12-31")],
    );
    let a = assess(
        &ind,
        &measurements(&[(45.0, "2026-06-30")]),
        d("2026-07-01"),
    );
    assert_eq!(a.step, Some(0));
    assert_eq!(a.current_target.map(|t| t.value), Some(50.0));
}

#[test]
fn met_then_fallen_back_is_judged_on_the_latest() {
    let ind = linear();
    let values = [(61.0, "2026-02-01"), (39.0, "2026-02-15")];
    let a = assess(&ind, &measurements(&values), d(MIDWAY));
    assert_eq!(a.latest.as_ref().map(|l| l.value), Some(39.0));
    assert_eq!(a.status, OnTrack);
    assert_ne!(a.status, Met);
}

#[test]
fn below_the_start_is_off_track() {
    let ind = linear();
    // Just after the baseline date the line barely rose, yet going backwards is off track.
    let a = assess(
        &ind,
        &measurements(&[(19.5, "2026-01-02")]),
        d("2026-01-02"),
    );
    assert!(a.shortfall.is_some_and(|s| s < ON_TRACK_MAX_SHORTFALL));
    assert_eq!(a.status, OffTrack);
    // At the start exactly is not going backwards.
    assert_eq!(
        status_at(&ind, &[(20.0, "2026-01-01")], "2026-01-01"),
        OnTrack
    );
}

#[test]
fn at_least_without_baseline_starts_from_earliest_measurement() {
    let ind = indicator(
        Unit::Percent,
        Direction::AtLeast,
        Some((None, "2025-12-31")),
        &[(60.0, "2026-04-11")],
    );
    let values = [
        (30.0, "2026-02-01"),
        (20.0, "2026-01-01"),
        (38.0, "2026-02-19"),
    ];
    let a = assess(&ind, &measurements(&values), d(MIDWAY));
    assert_eq!(a.baseline, None);
    assert_eq!(
        a.start,
        Some(Point {
            value: 20.0,
            date: d("2026-01-01")
        })
    );
    assert_eq!(a.expected_today, Some(40.0));
    assert_eq!(a.status, OnTrack);
    // The only measurement is no start; nor is one dated today.
    let alone = assess(&ind, &measurements(&[(20.0, "2026-01-01")]), d(MIDWAY));
    assert_eq!(alone.start, None);
    let today = [(20.0, MIDWAY), (21.0, MIDWAY)];
    assert_eq!(assess(&ind, &measurements(&today), d(MIDWAY)).start, None);
}

/// Reduce spending by 10 % by 2026-12-31 against 2025.
fn reduce_by(baseline_value: Option<f64>) -> Indicator {
    indicator(
        Unit::Percent,
        Direction::ReduceBy,
        Some((baseline_value, "2025-12-31")),
        &[(10.0, "2026-12-31")],
    )
}

#[test]
fn reduce_by_with_baseline_from_the_plan() {
    let ind = reduce_by(Some(1000.0));
    let a = assess(
        &ind,
        &measurements(&[(950.0, "2026-06-30")]),
        d("2026-07-02"),
    );
    assert_eq!(a.achieved, Some(5.0));
    assert_eq!(
        a.start,
        Some(Point {
            value: 0.0,
            date: d("2025-12-31")
        })
    );
    assert!(approx(a.expected_today, 10.0 * 183.0 / 365.0));
    assert_eq!(a.status, OnTrack);
    assert_eq!(a.progress_pct, Some(50.0));
    assert_eq!(a.latest.as_ref().map(|l| l.value), Some(950.0));
    // Reached on the due date: met; short of it after: off track.
    assert_eq!(status_at(&ind, &[(900.0, "2026-12-31")], "2026-12-31"), Met);
    assert_eq!(
        status_at(&ind, &[(920.0, "2026-12-31")], "2027-01-01"),
        OffTrack
    );
    // Spending grew: a negative reduction, below the start.
    let grew = assess(
        &ind,
        &measurements(&[(1010.0, "2026-03-31")]),
        d("2026-04-01"),
    );
    assert_eq!(grew.achieved, Some(-1.0));
    assert_eq!(grew.progress_pct, Some(-10.0));
    assert_eq!(grew.status, OffTrack);
}

#[test]
fn reduce_by_with_baseline_from_an_early_measurement() {
    let ind = reduce_by(None);
    let values = [
        (950.0, "2026-06-30"),
        (1000.0, "2025-06-30"),
        (990.0, "2025-12-31"),
    ];
    let a = assess(&ind, &measurements(&values), d("2026-07-02"));
    // The earliest measurement on or before the baseline date is the reference.
    assert_eq!(
        a.baseline,
        Some(Point {
            value: 1000.0,
            date: d("2025-06-30")
        })
    );
    assert_eq!(a.achieved, Some(5.0));
    assert_eq!(
        a.start.map(|s| (s.value, s.date)),
        Some((0.0, d("2025-12-31")))
    );
    assert_eq!(a.status, OnTrack);
    // Only the baseline figure so far: no reduction yet, but data.
    let only = assess(
        &ind,
        &measurements(&[(1000.0, "2025-12-31")]),
        d("2026-01-01"),
    );
    assert_eq!(only.achieved, Some(0.0));
    assert_eq!(only.status, OnTrack);
}

#[test]
fn reduce_by_without_baseline_has_no_data() {
    let ind = reduce_by(None);
    // Measured after the baseline date only: nothing to compare with.
    let a = assess(
        &ind,
        &measurements(&[(950.0, "2026-06-30")]),
        d("2026-07-02"),
    );
    assert_eq!(a.status, NoData);
    assert_eq!(a.no_data_reason, Some(NoDataReason::BaselineUnknown));
    assert_eq!((a.achieved, a.expected_today, a.start), (None, None, None));
    assert_eq!(a.progress, Progress::Unknown);
    assert_eq!(a.gauge_ratio(), None);
    assert_eq!(a.latest.map(|l| l.value), Some(950.0));
    // No baseline at all, and a zero baseline, are the same.
    let mut none = reduce_by(None);
    none.baseline = None;
    let values = measurements(&[(1000.0, "2025-06-30"), (950.0, "2026-06-30")]);
    let a = assess(&none, &values, d("2026-07-02"));
    assert_eq!(a.no_data_reason, Some(NoDataReason::BaselineUnknown));
    let a = assess(&reduce_by(Some(0.0)), &values, d("2026-07-02"));
    assert_eq!(a.no_data_reason, Some(NoDataReason::BaselineUnknown));
}

#[test]
fn level_indicator_reports_levels_not_percent() {
    let ind = indicator(
        Unit::Level,
        Direction::AtLeast,
        Some((Some(1.0), "2025-12-31")),
        &[(3.0, "2027-12-31"), (4.0, "2030-12-31")],
    );
    let a = assess(&ind, &measurements(&[(2.0, "2026-12-31")]), d("2027-01-01"));
    assert_eq!(
        a.progress,
        Progress::Levels {
            reached: 2.0,
            required: 3.0
        }
    );
    assert_eq!(a.progress_pct, None);
    assert!(approx(a.gauge_ratio(), 2.0 / 3.0));
    assert_eq!(a.status, OnTrack);
    let met = assess(&ind, &measurements(&[(3.0, "2027-06-30")]), d("2027-07-01"));
    assert_eq!(met.status, Met);
    assert_eq!(met.gauge_ratio(), Some(1.0));
}

#[test]
fn measurements_after_today_are_ignored() {
    let ind = linear();
    let values = [(38.0, "2026-02-19"), (60.0, "2026-02-21")];
    let a = assess(&ind, &measurements(&values), d(MIDWAY));
    assert_eq!(a.latest.as_ref().map(|l| l.date), Some(d("2026-02-19")));
    assert_eq!(a.status, OnTrack);
    let later = assess(&ind, &measurements(&values), d("2026-02-21"));
    assert_eq!(later.status, Met);
    // Only future measurements: no data.
    let early = assess(&ind, &measurements(&values), d("2026-01-31"));
    assert_eq!(early.status, NoData);
    assert_eq!(early.no_data_reason, Some(NoDataReason::NoMeasurements));
}

#[test]
fn no_measurements_no_data() {
    let a = assess(&linear(), &[], d(MIDWAY));
    assert_eq!(a.status, NoData);
    assert_eq!(a.no_data_reason, Some(NoDataReason::NoMeasurements));
    assert_eq!(a.latest, None);
    assert_eq!(a.achieved, None);
    assert_eq!(a.progress, Progress::Unknown);
    // The line is known without data, so the gauge can show where one should be.
    assert_eq!(a.expected_today, Some(40.0));
    let bad = measurements(&[(f64::NAN, "2026-02-01"), (f64::INFINITY, "2026-02-02")]);
    assert_eq!(assess(&linear(), &bad, d(MIDWAY)).status, NoData);
}

#[test]
fn no_targets_no_data() {
    let ind = indicator(Unit::Percent, Direction::AtLeast, None, &[]);
    let a = assess(&ind, &measurements(&[(50.0, "2026-01-01")]), d(MIDWAY));
    assert_eq!(a.status, NoData);
    assert_eq!(a.no_data_reason, Some(NoDataReason::NoTargets));
    assert_eq!((a.step, a.step_count), (None, 0));
}

#[test]
fn ties_on_date_take_the_later_in_the_list() {
    let ind = linear();
    let values = [
        (30.0, "2026-02-19"),
        (38.0, "2026-02-19"),
        (10.0, "2026-02-01"),
    ];
    let a = assess(&ind, &measurements(&values), d(MIDWAY));
    let latest = a.latest.as_ref().map(|l| (l.value, l.source.as_str()));
    assert_eq!(latest, Some((38.0, "báo cáo 2")));
    assert_eq!(a.status, OnTrack);
    // For the earliest (a start point) the first in the list wins.
    let ind = indicator(
        Unit::Percent,
        Direction::AtLeast,
        None,
        &[(60.0, "2026-04-11")],
    );
    let values = [
        (20.0, "2026-01-01"),
        (25.0, "2026-01-01"),
        (38.0, "2026-02-19"),
    ];
    let a = assess(&ind, &measurements(&values), d(MIDWAY));
    assert_eq!(a.start.map(|s| s.value), Some(20.0));
}

#[test]
fn expected_is_clamped_to_the_segment() {
    // Assessed before the baseline date: the line's start value.
    let a = assess(
        &linear(),
        &measurements(&[(20.0, "2025-12-01")]),
        d("2025-12-15"),
    );
    assert_eq!(a.expected_today, Some(20.0));
    assert_eq!(a.status, OnTrack);
    // After the last due date: the target.
    let a = assess(
        &linear(),
        &measurements(&[(50.0, "2026-04-01")]),
        d("2026-06-01"),
    );
    assert_eq!(a.expected_today, Some(60.0));
    assert_eq!(a.status, OffTrack);
}

#[test]
fn baseline_not_before_due_gives_no_line() {
    let ind = indicator(
        Unit::Percent,
        Direction::AtLeast,
        Some((Some(20.0), "2026-12-31")),
        &[(60.0, "2026-12-31")],
    );
    let a = assess(
        &ind,
        &measurements(&[(55.0, "2026-06-30")]),
        d("2026-07-01"),
    );
    assert_eq!((a.start, a.expected_today), (None, None));
    // Judged against the target alone: 5/60 ≈ 8.3 % short is on track, 10/60 at risk.
    assert_eq!(a.status, OnTrack);
    assert_eq!(
        status_at(&ind, &[(50.0, "2026-06-30")], "2026-07-01"),
        AtRisk
    );
}

#[test]
fn gauge_ratio_is_clamped() {
    let ind = linear();
    let over = assess(&ind, &measurements(&[(90.0, "2026-02-01")]), d(MIDWAY));
    assert_eq!(over.progress_pct, Some(150.0));
    assert_eq!(over.gauge_ratio(), Some(1.0));
    let ind = reduce_by(Some(1000.0));
    let under = assess(&ind, &measurements(&[(1100.0, "2026-02-01")]), d(MIDWAY));
    assert_eq!(under.gauge_ratio(), Some(0.0));
    let half = assess(&linear(), &measurements(&[(30.0, "2026-02-01")]), d(MIDWAY));
    assert_eq!(half.gauge_ratio(), Some(0.5));
}

#[test]
fn status_names_and_labels() {
    for status in IndicatorStatus::ALL {
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(json, format!("\"{}\"", status.as_str()));
        assert_eq!(IndicatorStatus::parse(status.as_str()), Some(status));
    }
    assert_eq!(IndicatorStatus::parse("bogus"), None);
    assert_eq!(OnTrack.as_str(), "on-track");
    assert_eq!(OffTrack.label(Lang::Vi), "Chậm tiến độ");
    assert_eq!(AtRisk.label(Lang::Vi), "Có nguy cơ chậm");
    assert_eq!(NoData.label(Lang::Vi), "Chưa có số liệu");
    assert_eq!(Met.label(Lang::En), "Met");
    assert_eq!(NoDataReason::BaselineUnknown.as_str(), "baseline-unknown");
}

#[test]
fn assessment_serializes_for_json_output() {
    let a = assess(&linear(), &measurements(&[(38.0, "2026-02-19")]), d(MIDWAY));
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["status"], "on-track");
    assert_eq!(json["current_target"]["value"], 60.0);
    assert_eq!(json["current_target"]["due"], "2026-04-11");
    assert_eq!(json["expected_today"], 40.0);
    assert_eq!(json["progress_pct"], 38.0 / 60.0 * 100.0);
    assert_eq!(json["latest"]["value"], 38.0);
    assert_eq!(json["latest"]["date"], "2026-02-19");
    assert_eq!(json["latest"]["source"], "báo cáo 1");
    let level = indicator(
        Unit::Level,
        Direction::AtLeast,
        None,
        &[(3.0, "2027-12-31")],
    );
    let a = assess(&level, &measurements(&[(2.0, "2026-01-01")]), d(MIDWAY));
    let json = serde_json::to_value(&a).unwrap();
    assert!(json["progress_pct"].is_null());
    assert_eq!(json["progress"]["levels"]["required"], 3.0);
}

#[test]
fn sparkline_in_date_order_scaled_and_clipped() {
    let values = measurements(&[
        (45.5, "2026-03-01"),
        (-3.0, "2026-01-01"),
        (12.34, "2026-02-01"),
        (99.0, "2026-05-01"),
        (f64::NAN, "2026-02-15"),
        (50.0, "2026-03-01"),
    ]);
    assert_eq!(
        sparkline_points(&values, d("2026-04-01")),
        [0, 123, 455, 500]
    );
    assert!(sparkline_points(&values, d("2025-01-01")).is_empty());
}

/// The staff cut records a headcount: 7 (the percentage cut typed in its place) against a
/// baseline of 11,800 is refused, saying the range; 11,500 passes. Before a baseline is known
/// the latest measurement is the reference; before anything is, any value is a first figure.
#[test]
fn a_quantity_is_judged_against_its_reference() {
    let mut cut = indicator(
        Unit::Percent,
        Direction::ReduceBy,
        Some((None, "2025-12-31")),
        &[(10.0, "2030-12-31")],
    );
    cut.name = "Giảm biên chế sự nghiệp".into();
    assert_eq!(Quantity::of(&cut), Quantity::Headcount);
    let ms = measurements(&[(11_800.0, "2025-12-31")]);
    let refs: Vec<&Measurement> = ms.iter().collect();
    assert_eq!(plausible_range(&cut, &refs), Some((5_900.0, 17_700.0)));
    let e = check_value(&cut, &refs, 7.0).unwrap_err();
    assert_eq!(
        e.message(Lang::Vi),
        "7 không phải số người hợp lý so với số liệu gốc 11.800 (Năm 2025); chỉ tiêu này ghi số người, không ghi tỷ lệ %: nhập số từ 5.900 đến 17.700"
    );
    assert!(
        e.message(Lang::En)
            .starts_with("7 is not a plausible headcount")
    );
    assert!(check_value(&cut, &refs, 11_500.0).is_ok());
    // Exactly at the edges passes.
    assert!(check_value(&cut, &refs, 5_900.0).is_ok());
    assert!(check_value(&cut, &refs, 17_700.0).is_ok());
    // No baseline yet: the latest measurement is the reference, named by its date.
    let later = measurements(&[(12_000.0, "2026-03-31")]);
    let refs: Vec<&Measurement> = later.iter().collect();
    let e = check_value(&cut, &refs, 12.0).unwrap_err();
    assert!(
        e.message(Lang::En).contains("12,000 (31/03/2026)"),
        "{}",
        e.message(Lang::En)
    );
    // Nothing recorded: a first figure is taken as it is.
    assert!(check_value(&cut, &[], 12.0).is_ok());
    // Spending is an amount; percentages and levels have their ranges elsewhere.
    cut.name = "Giảm chi thường xuyên".into();
    assert_eq!(Quantity::of(&cut), Quantity::Amount);
    let pct = indicator(
        Unit::Percent,
        Direction::AtLeast,
        None,
        &[(80.0, "2030-12-31")],
    );
    assert_eq!(plausible_range(&pct, &[]), None);
    assert!(check_value(&pct, &[], 7.0).is_ok());
}
