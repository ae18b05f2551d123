//! `App::update` on the indicators screen and in meeting mode, over a real store on a temp
//! file: entering and leaving screens, moving between indicators, the record form (what it
//! writes, what it refuses), live reload of measurements, and stepping through the slides.

use crate::model::Lang;
use crate::store::{LogFilter, NewMeasurement, Role};

use super::action::Action;
use super::app::{Flow, MessageKind, Msg, Screen};
use super::input::Edit;
use super::keymap::Context;
use super::testkit::{self, Setup, USER, app, fixture, today};
use crate::tui::popups::{FieldKey, Popup};

fn message(f: &testkit::Fixture) -> String {
    f.app
        .messages
        .current
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// Selects the indicator `code` on the indicators screen (entering it if needed).
fn select(f: &mut testkit::Fixture, code: &str) {
    if f.app.screen != Screen::Indicators {
        f.app.update(Action::Indicators);
    }
    f.app.update(Action::Top);
    let at = f
        .app
        .gauges
        .rows
        .iter()
        .position(|g| g.indicator.code == code)
        .unwrap_or_else(|| panic!("no indicator {code}"));
    for _ in 0..at {
        f.app.update(Action::MoveDown);
    }
    assert_eq!(
        f.app.gauges.rows[f.app.indicators.selected].indicator.code,
        code
    );
}

/// Types into the record form's field `key` (clearing it first).
fn fill(f: &mut testkit::Fixture, key: FieldKey, text: &str) {
    let Some(Popup::Measure(form)) = &f.app.popup else {
        panic!("no record form: {:?}", f.app.popup)
    };
    let at = form.fields.iter().position(|x| x.key == key).unwrap();
    let from = form.focus;
    let n = form.fields.len();
    for _ in 0..(at + n - from) % n {
        f.app.update(Action::NextPane);
    }
    f.app.update(Edit::Clear);
    f.type_text(text);
}

fn measurements(f: &testkit::Fixture) -> usize {
    f.app.store().measurements(None).unwrap().len()
}

fn log_len(f: &testkit::Fixture) -> usize {
    f.app.store().log(&LogFilter::default()).unwrap().len()
}

// ----- Screens ---------------------------------------------------------------------------

#[test]
fn i_opens_the_indicators_screen_and_esc_or_i_goes_back() {
    let mut f = app();
    assert_eq!(f.app.gauges.rows.len(), 21, "the plan's 21 indicators");
    f.app.update(Action::Indicators);
    assert_eq!(f.app.screen, Screen::Indicators);
    assert_eq!(f.app.context(), Context::Indicators);
    assert!(message(&f).is_empty(), "{}", message(&f));
    f.app.update(Action::Back);
    assert_eq!(f.app.screen, Screen::Browse);
    f.app.update(Action::Indicators);
    f.app.update(Action::Indicators);
    assert_eq!(f.app.screen, Screen::Browse, "i again goes back");
}

#[test]
fn indicators_are_grouped_by_area_and_the_selection_stays_inside_the_list() {
    let mut f = app();
    let areas: Vec<usize> = f
        .app
        .gauges
        .rows
        .iter()
        .map(|g| f.app.data.area_rank(&g.indicator.area))
        .collect();
    assert!(areas.windows(2).all(|w| w[0] <= w[1]), "{areas:?}");
    f.app.update(Action::Indicators);
    f.app.update(Action::MoveUp);
    assert_eq!(f.app.indicators.selected, 0);
    f.app.update(Action::MoveDown);
    f.app.update(Action::MoveDown);
    assert_eq!(f.app.indicators.selected, 2);
    f.app.update(Action::Bottom);
    assert_eq!(f.app.indicators.selected, 20);
    f.app.update(Action::MoveDown);
    f.app.update(Action::PageDown);
    assert_eq!(f.app.indicators.selected, 20);
    f.app.update(Action::PageUp);
    assert!(f.app.indicators.selected < 20);
    f.app.update(Action::Top);
    assert_eq!(f.app.indicators.selected, 0);
    // The wheel moves the selection too; a click does nothing harmful.
    f.app.update(Msg::Scroll {
        column: 5,
        row: 5,
        down: true,
    });
    assert_eq!(f.app.indicators.selected, 1);
    f.app.update(Msg::Click { column: 5, row: 5 });
    assert_eq!(f.app.screen, Screen::Indicators);
}

#[test]
fn m_opens_meeting_mode_and_esc_returns_to_the_task_screen() {
    let mut f = app();
    f.app.update(Action::Meeting);
    assert_eq!(f.app.screen, Screen::Meeting);
    assert_eq!(f.app.context(), Context::Meeting);
    let report = f.app.meeting.report.as_ref().expect("the slides' report");
    assert_eq!(report.as_of, today());
    assert_eq!(f.app.meeting.since, today() - chrono::Duration::days(30));
    assert_eq!(f.app.slide_count(), 7 + 3);
    assert_eq!(f.app.update(Action::Back), Flow::Continue);
    assert_eq!(f.app.screen, Screen::Browse);
    // m again also leaves; the slide shown is kept for the next time.
    f.app.update(Action::Meeting);
    f.app.update(Action::NextSlide);
    f.app.update(Action::Meeting);
    assert_eq!(f.app.screen, Screen::Browse);
    f.app.update(Action::Meeting);
    assert_eq!(f.app.meeting.slide, 1);
}

#[test]
fn from_meeting_mode_i_shows_the_indicators_and_esc_comes_back_to_the_slides() {
    let mut f = app();
    f.app.update(Action::Meeting);
    f.app.update(Action::Indicators);
    assert_eq!(f.app.screen, Screen::Indicators);
    f.app.update(Action::Back);
    assert_eq!(f.app.screen, Screen::Meeting);
    // Browse → indicators → meeting → indicators does not stack screens forever.
    f.app.update(Action::Back);
    f.app.update(Action::Indicators);
    f.app.update(Action::Meeting);
    f.app.update(Action::Indicators);
    f.app.update(Action::Back);
    assert_eq!(f.app.screen, Screen::Browse);
}

#[test]
fn cchc_meet_starts_on_the_slides_and_esc_quits() {
    let mut f = app();
    let since = chrono::NaiveDate::from_ymd_opt(2026, 10, 27).unwrap();
    f.app.start_meeting(Some(since));
    assert_eq!(f.app.screen, Screen::Meeting);
    assert_eq!(f.app.meeting.since, since);
    assert!(f.app.meeting.report.is_some());
    // m on the first screen does not end the meeting by accident.
    assert_eq!(f.app.update(Action::Meeting), Flow::Continue);
    assert_eq!(f.app.screen, Screen::Meeting);
    // i and back returns to the slides; Esc there quits.
    f.app.update(Action::Indicators);
    assert_eq!(f.app.update(Action::Back), Flow::Continue);
    assert_eq!(f.app.screen, Screen::Meeting);
    assert_eq!(f.app.update(Action::Back), Flow::Quit);
    assert_eq!(f.app.update(Action::Quit), Flow::Quit);
}

#[test]
fn slides_stop_at_both_ends() {
    let mut f = app();
    f.app.update(Action::Meeting);
    let last = f.app.slide_count() - 1;
    for a in [Action::PrevSlide, Action::MoveUp, Action::PageUp] {
        f.app.update(a);
        assert_eq!(f.app.meeting.slide, 0, "{a} before the first slide");
    }
    for expected in 1..=last {
        f.app.update(Action::NextSlide);
        assert_eq!(f.app.meeting.slide, expected);
    }
    for _ in 0..5 {
        f.app.update(Action::NextSlide);
        f.app.update(Action::PageDown);
        f.app.update(Action::MoveDown);
        assert_eq!(f.app.meeting.slide, last, "past the last slide it stays");
    }
    f.app.update(Action::PrevSlide);
    assert_eq!(f.app.meeting.slide, last - 1);
    f.app.update(Action::Top);
    assert_eq!(f.app.meeting.slide, 0);
    f.app.update(Action::Bottom);
    assert_eq!(f.app.meeting.slide, last);
}

#[test]
fn slide_keys_come_from_the_keymap() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut f = app();
    f.app.update(Action::Meeting);
    let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
    for (code, action) in [
        (KeyCode::Right, Action::NextSlide),
        (KeyCode::PageDown, Action::NextSlide),
        (KeyCode::Char(' '), Action::NextSlide),
        (KeyCode::Left, Action::PrevSlide),
        (KeyCode::PageUp, Action::PrevSlide),
        (KeyCode::Esc, Action::Back),
    ] {
        assert_eq!(
            f.app.key_msg(&key(code)),
            Some(Msg::Action(action)),
            "{code:?}"
        );
    }
    f.app.update(Action::Indicators);
    assert_eq!(
        f.app.key_msg(&key(KeyCode::Char('r'))),
        Some(Msg::Action(Action::RecordMeasurement))
    );
}

// ----- The record form -------------------------------------------------------------------

#[test]
fn the_record_form_records_a_measurement_with_a_log_entry_by_the_user() {
    let mut f = app();
    select(&mut f, "tthc-ket-qua-dien-tu");
    f.app.update(Action::RecordMeasurement);
    let Some(Popup::Measure(form)) = &f.app.popup else {
        panic!("{:?}", f.app.popup)
    };
    assert!(f.app.text_focus());
    // The clock's date, not the view's "today" (2027-01-01): a write is stamped with the
    // real day.
    let clock = crate::context::clock_today();
    assert_eq!(
        form.field(FieldKey::MeasuredOn),
        clock.format("%d/%m/%Y").to_string(),
        "the clock's date by default"
    );
    let (before, log_before) = (measurements(&f), log_len(&f));
    fill(&mut f, FieldKey::Value, "82,5");
    fill(&mut f, FieldKey::Source, "Cổng Dịch vụ công quốc gia");
    fill(&mut f, FieldKey::MeasureNote, "số liệu tháng 12");
    f.app.update(Action::Open);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    assert_eq!(measurements(&f), before + 1);
    let ms = f
        .app
        .store()
        .measurements(Some("tthc-ket-qua-dien-tu"))
        .unwrap();
    let m = ms.last().unwrap();
    assert_eq!(m.value, 82.5);
    assert_eq!(m.measured_on, clock);
    assert_eq!(m.source, "Cổng Dịch vụ công quốc gia");
    assert_eq!(m.note, "số liệu tháng 12");
    assert_eq!(m.recorded_by, USER);
    // Exactly one change-log entry, by the user.
    assert_eq!(log_len(&f), log_before + 1);
    let entry = &f.app.store().log(&LogFilter::default()).unwrap()[0];
    assert_eq!(
        (
            entry.user.as_str(),
            entry.entity.as_str(),
            entry.action.as_str()
        ),
        (USER, "indicator", "measure")
    );
    assert_eq!(entry.entity_id, "tthc-ket-qua-dien-tu");
    // The screen shows it at once, on the same indicator.
    let g = &f.app.gauges.rows[f.app.indicators.selected];
    assert_eq!(g.indicator.code, "tthc-ket-qua-dien-tu");
    assert_eq!(g.assessment.latest.as_ref().map(|l| l.value), Some(82.5));
    assert!(message(&f).contains("82,5%"), "{}", message(&f));
    assert_eq!(
        f.app.messages.current.as_ref().unwrap().kind,
        MessageKind::Success
    );
}

#[test]
fn a_date_in_either_form_and_a_point_decimal_are_accepted() {
    let mut f = app();
    select(&mut f, "chinh-quyen-so-quan-tri-du-lieu");
    f.app.update(Action::RecordMeasurement);
    fill(&mut f, FieldKey::Value, "2");
    fill(&mut f, FieldKey::MeasuredOn, "2026-11-15");
    f.app.update(Action::Open);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    f.app.update(Action::RecordMeasurement);
    fill(&mut f, FieldKey::Value, " 3.0 ");
    fill(&mut f, FieldKey::MeasuredOn, "20/11/2026");
    f.app.update(Action::Open);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    let ms = f
        .app
        .store()
        .measurements(Some("chinh-quyen-so-quan-tri-du-lieu"))
        .unwrap();
    let got: Vec<(f64, String)> = ms
        .iter()
        .map(|m| (m.value, m.measured_on.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![(2.0, "2026-11-15".into()), (3.0, "2026-11-20".into())]
    );
}

#[test]
fn bad_input_is_refused_in_the_form_and_the_store_is_unchanged() {
    let mut f = app();
    let (before, log_before) = (measurements(&f), log_len(&f));
    // A percent indicator, then a level one.
    select(&mut f, "tthc-ket-qua-dien-tu");
    f.app.update(Action::RecordMeasurement);
    for (value, date, why) in [
        ("", "01/01/2027", "nhập giá trị"),
        ("abc", "01/01/2027", "phải là một số"),
        ("nan", "01/01/2027", "phải là một số"),
        ("1e999", "01/01/2027", "phải là một số"),
        ("-3", "01/01/2027", "không được âm"),
        ("80", "31/02/2026", "Ngày đo"),
        ("80", "2026-13-01", "Ngày đo"),
        ("80", "hôm qua", "Ngày đo"),
        // After the real date: refused by the store, whatever the view's "today", and said in
        // the interface's language.
        (
            "80",
            "01/01/2031",
            "01/01/2031 sau ngày hôm nay theo đồng hồ máy",
        ),
    ] {
        fill(&mut f, FieldKey::Value, value);
        fill(&mut f, FieldKey::MeasuredOn, date);
        f.app.update(Action::Open);
        let Some(Popup::Measure(form)) = &f.app.popup else {
            panic!("{value:?} {date:?} closed the form")
        };
        let error = form.error.clone().unwrap_or_default();
        assert!(error.contains(why), "{value:?} {date:?}: {error:?}");
        // Typing clears the error.
        f.app.update(Edit::Insert('1'));
        let Some(Popup::Measure(form)) = &f.app.popup else {
            unreachable!()
        };
        assert!(form.error.is_none());
    }
    f.app.update(Action::Back);
    assert!(f.app.popup.is_none());
    select(&mut f, "chinh-quyen-so-quan-tri-du-lieu");
    f.app.update(Action::RecordMeasurement);
    fill(&mut f, FieldKey::Value, "7");
    f.app.update(Action::Open);
    let Some(Popup::Measure(form)) = &f.app.popup else {
        panic!("a level of 7 closed the form")
    };
    assert!(
        form.error
            .as_deref()
            .unwrap_or_default()
            .contains("0 đến 5")
    );
    // Esc cancels without writing.
    f.app.update(Action::Back);
    assert_eq!(measurements(&f), before);
    assert_eq!(log_len(&f), log_before);
}

#[test]
fn read_only_says_so_instead_of_opening_the_form() {
    let mut f = fixture(Setup {
        read_only: true,
        ..Default::default()
    });
    f.app.update(Action::Indicators);
    f.app.update(Action::RecordMeasurement);
    assert!(f.app.popup.is_none());
    assert!(message(&f).contains("Chỉ đọc"), "{}", message(&f));
}

#[test]
fn a_member_records_only_their_agencys_indicators() {
    let mut f = app();
    let mut boss = f.other("boss");
    boss.add_member("boss", "VPUB", Role::Secretary).unwrap();
    boss.add_member(USER, "SNV", Role::Member).unwrap();
    f.app.update(Msg::Tick);
    // TTHC indicators are VPUB's: refused, with the reason.
    select(&mut f, "tthc-ket-qua-dien-tu");
    f.app.update(Action::RecordMeasurement);
    assert!(f.app.popup.is_none());
    let text = message(&f);
    assert!(text.contains("SNV") && text.contains("VPUB"), "{text}");
    // Bộ máy's are SNV's: the form opens and records.
    let snv = f
        .app
        .gauges
        .rows
        .iter()
        .find(|g| g.indicator.lead_agency == "SNV")
        .map(|g| g.indicator.code.clone())
        .unwrap();
    select(&mut f, &snv);
    f.app.update(Action::RecordMeasurement);
    fill(&mut f, FieldKey::Value, "21000");
    // Meanwhile the secretary makes the user a viewer: the store refuses, the form says so.
    boss.add_member(USER, "SNV", Role::Viewer).unwrap();
    let before = measurements(&f);
    f.app.update(Action::Open);
    let Some(Popup::Measure(form)) = &f.app.popup else {
        panic!("the refused form closed")
    };
    assert!(
        form.error
            .as_deref()
            .unwrap_or_default()
            .contains("Không được phép"),
        "{:?}",
        form.error
    );
    assert_eq!(measurements(&f), before);
}

#[test]
fn english_form_errors() {
    let mut f = fixture(Setup {
        lang: Lang::En,
        ..Default::default()
    });
    select(&mut f, "tthc-ket-qua-dien-tu");
    f.app.update(Action::RecordMeasurement);
    fill(&mut f, FieldKey::Value, "eighty");
    f.app.update(Action::Open);
    let Some(Popup::Measure(form)) = &f.app.popup else {
        panic!()
    };
    assert!(
        form.error
            .as_deref()
            .unwrap_or_default()
            .contains("must be a number")
    );
}

// ----- Live ------------------------------------------------------------------------------

#[test]
fn another_members_measurement_reaches_the_screen_and_the_slides_at_the_next_tick() {
    let mut f = app();
    select(&mut f, "tthc-ket-qua-dien-tu");
    f.app.update(Action::Meeting);
    let figure = |f: &testkit::Fixture| {
        f.app
            .meeting
            .report
            .as_ref()
            .unwrap()
            .areas
            .iter()
            .flat_map(|a| &a.indicators)
            .find(|i| i.code == "tthc-ket-qua-dien-tu")
            .map(|i| (i.latest, i.gauge))
            .unwrap()
    };
    assert_eq!(figure(&f), (None, None));
    let mut other = f.other("minh");
    other
        .record_measurement(&NewMeasurement {
            indicator: "tthc-ket-qua-dien-tu".into(),
            value: 82.0,
            measured_on: crate::context::clock_today(),
            source: String::new(),
            note: String::new(),
        })
        .unwrap();
    f.app.update(Msg::Tick);
    let (latest, gauge) = figure(&f);
    assert_eq!(latest, Some(82.0));
    assert!(gauge.is_some_and(|g| g > 0.5), "{gauge:?}");
    // The indicators screen has it too, still on the same indicator.
    f.app.update(Action::Indicators);
    let g = &f.app.gauges.rows[f.app.indicators.selected];
    assert_eq!(g.indicator.code, "tthc-ket-qua-dien-tu");
    assert_eq!(g.measurements.len(), 1);
    // A quiet tick rebuilds nothing.
    let generation = f.app.generation();
    f.app.update(Msg::Tick);
    assert_eq!(f.app.generation(), generation);
}

#[test]
fn a_task_done_elsewhere_changes_the_overview() {
    let mut f = app();
    f.app.update(Action::Meeting);
    let done = |f: &testkit::Fixture| {
        let r = f.app.meeting.report.as_ref().unwrap();
        r.tasks.done_on_time + r.tasks.done_late
    };
    assert_eq!(done(&f), 0);
    let id = f.all_tasks()[0].id;
    f.other("minh")
        .update_task(
            id,
            None,
            &crate::model::TaskPatch {
                status: Some(crate::model::Status::Done),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    f.app.update(Msg::Tick);
    assert_eq!(done(&f), 1);
}

#[test]
fn english_slides_name_the_areas_in_english() {
    let mut f = fixture(Setup {
        lang: Lang::En,
        ..Default::default()
    });
    f.app.update(Action::Meeting);
    let r = f.app.meeting.report.as_ref().unwrap();
    let en: Vec<&str> = f
        .app
        .data
        .areas
        .iter()
        .map(|a| a.name_en.as_str())
        .collect();
    let shown: Vec<&str> = r.areas.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(shown, en);
}
