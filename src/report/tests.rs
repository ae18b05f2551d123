use super::*;

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
fn figures_use_each_languages_separators() {
    assert_eq!(figure(11800.0, Lang::Vi), "11.800");
    assert_eq!(figure(95.5, Lang::Vi), "95,5");
    assert_eq!(figure(1234567.5, Lang::Vi), "1.234.567,5");
    assert_eq!(figure(11800.0, Lang::En), "11,800");
    assert_eq!(figure(-2300.5, Lang::En), "-2,300.5");
    assert_eq!(figure(100.0, Lang::Vi), "100");
    assert_eq!(figure_value(Unit::Percent, 95.5, Lang::Vi), "95,5%");
}
