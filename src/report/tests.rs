use super::*;
use chrono::Datelike;

#[test]
fn instants_are_shown_in_the_local_zone_to_the_minute() {
    let hanoi = chrono::FixedOffset::east_opt(7 * 3600).expect("+07:00");
    assert_eq!(
        instant_in("2026-12-01T19:40:41.281Z", &hanoi),
        "02/12/2026 02:40"
    );
    assert_eq!(
        instant_in("2026-12-01T19:40:41Z", &chrono::Utc),
        "01/12/2026 19:40"
    );
    assert_eq!(instant_in("not a time", &hanoi), "not a time");
}

#[test]
fn quarters_parse_and_bound() {
    let q = Quarter::parse("2026Q3").unwrap();
    assert_eq!(
        (q.start().to_string(), q.end().to_string()),
        ("2026-07-01".into(), "2026-09-30".into())
    );
    assert_eq!(
        Quarter::parse("Q4/2027").unwrap().end().to_string(),
        "2027-12-31"
    );
    assert_eq!(Quarter::parse("2026-q1").unwrap().start().month(), 1);
    assert!(Quarter::parse("2026Q5").is_err());
    assert!(Quarter::parse("soon").is_err());
    assert!(Quarter::parse("").is_err());
    assert_eq!(q.label(Lang::Vi), "Quý III/2026");
    let d = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    assert_eq!(Quarter::containing(d).to_string(), "2026Q4");
}

#[test]
fn figures_use_each_languages_separators() {
    assert_eq!(figure(11800.0, Lang::Vi), "11.800");
    assert_eq!(figure(95.5, Lang::Vi), "95,5");
    assert_eq!(figure(1234567.5, Lang::Vi), "1.234.567,5");
    assert_eq!(figure(11800.0, Lang::En), "11,800");
    assert_eq!(figure(-2300.5, Lang::En), "-2,300.5");
    assert_eq!(figure(100.0, Lang::Vi), "100");
    assert_eq!(figure_value(Unit::Percent, 95.5, Lang::Vi), "95,5%");
}
