//! Meeting mode's slides rendered into a TestBackend in the projector theme, at a small
//! projector's 80x24 and at 160x45, from the seeded plan plus fixed measurements and progress.

use cchc::indicators::recorded::{Recorded, recorded_since};
use cchc::model::TaskPatch;
use cchc::report::{Report, ReportInput, build};
use cchc::store::{NewMeasurement, OpenOptions, Store, TaskFilter};
use cchc::tui::screens::meeting::view::{MeetingView, slide_count, slide_title};
use cchc::tui::theme::Theme;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The slides' report and the figures recorded since the last meeting (all of them: they
/// are recorded now, after the meeting of 27/10/2026, whatever date they were measured on).
fn report(dir: &tempfile::TempDir) -> (Report, Vec<Recorded>) {
    let store = seeded(dir);
    build_report(&store, d("2026-11-26"))
}

/// The seeded plan with the fixed measurements and progress.
fn seeded(dir: &tempfile::TempDir) -> Store {
    let plan = cchc::plan::load().unwrap();
    let mut store = Store::open(
        &dir.path().join("m.sqlite3"),
        "thư ký",
        OpenOptions {
            create_with: Some(plan),
            ..Default::default()
        },
    )
    .unwrap();
    for (code, v, date) in [
        ("tthc-dvctt-toan-trinh", 88.5, "2026-09-30"),
        ("tthc-ket-qua-dien-tu", 100.0, "2026-09-30"),
        ("tthc-hai-long-dvctt", 70.0, "2026-09-15"),
        ("chinh-quyen-so-quan-tri-du-lieu", 2.0, "2026-08-01"),
        ("bo-may-giam-bien-che-su-nghiep", 21500.0, "2025-12-31"),
        ("bo-may-giam-bien-che-su-nghiep", 21000.0, "2026-10-30"),
    ] {
        store
            .record_measurement(&NewMeasurement {
                indicator: code.into(),
                value: v,
                measured_on: d(date),
                source: "khảo sát".into(),
                note: String::new(),
            })
            .unwrap();
    }
    let done = TaskPatch {
        status: Some(cchc::model::Status::Done),
        ..Default::default()
    };
    store
        .update_task(
            2,
            None,
            &TaskPatch {
                completed_on: Some(d("2026-04-20")),
                ..done.clone()
            },
            None,
        )
        .unwrap();
    store
        .update_task(
            118,
            None,
            &TaskPatch {
                completed_on: Some(d("2026-11-02")),
                ..done.clone()
            },
            None,
        )
        .unwrap();
    store
}

/// The slides' report as of `today`, and the figures recorded since the last meeting.
fn build_report(store: &Store, today: NaiveDate) -> (Report, Vec<Recorded>) {
    let since = d("2026-10-27");
    let recorded = recorded_since(
        &store.indicators().unwrap(),
        &store.measurements(None).unwrap(),
        since,
        &chrono::Local,
    );
    let report = build(&ReportInput {
        period: cchc::model::ReportPeriod::current(today),
        start: since,
        end: today,
        as_of: cchc::model::AsOf {
            date: today,
            preliminary: false,
        },
        areas: &store.areas().unwrap(),
        agencies: &store.agencies().unwrap(),
        indicators: &store.indicators().unwrap(),
        measurements: &store.measurements(None).unwrap(),
        tasks: &store.tasks(&TaskFilter::default()).unwrap(),
        log: &[],
        reminders: &store.reminders(None).unwrap(),
        log_head: None,
    });
    (report, recorded)
}

fn render((r, recorded): &(Report, Vec<Recorded>), slide: usize, w: u16, h: u16) -> String {
    let theme = Theme::builtin("projector").unwrap();
    let view = MeetingView {
        report: r,
        recorded,
        slide,
        theme: &theme,
        lang: cchc::model::Lang::Vi,
        today: d("2026-11-26"),
        since: d("2026-10-27"),
    };
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| f.render_widget(&view, f.area())).unwrap();
    let buf = term.backend().buffer().clone();
    (0..h)
        .map(|y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_slide_at_both_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let rr = report(&dir);
    let r = &rr.0;
    assert_eq!(slide_count(r), 10);
    for (w, h) in [(80, 24), (160, 45)] {
        for slide in 0..slide_count(r) {
            let screen = render(&rr, slide, w, h);
            assert!(screen.contains(&format!("{}/10", slide + 1)), "{screen}");
            insta::assert_snapshot!(format!("slide{slide}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn area_slides_show_every_indicator_with_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let rr = report(&dir);
    let r = &rr.0;
    for (i, area) in r.areas.iter().enumerate() {
        let screen = render(&rr, i + 1, 160, 45);
        assert!(screen.contains(&slide_title(r, i + 1, cchc::model::Lang::Vi)));
        for ind in &area.indicators {
            let start: String = ind.name.chars().take(40).collect();
            assert!(
                screen.contains(&start),
                "{} missing on slide {}:\n{screen}",
                ind.name,
                i + 1
            );
        }
    }
}

#[test]
fn tiny_and_odd_sizes_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let rr = report(&dir);
    let r = &rr.0;
    for (w, h) in [(1, 1), (10, 3), (59, 14), (250, 70), (300, 5)] {
        for slide in 0..slide_count(r) + 2 {
            render(&rr, slide, w, h);
        }
    }
}

/// "Who is behind" on a slide too short for every agency: the last line names each agency left
/// out with its overdue count, so none is hidden silently.
#[test]
fn the_behind_slide_names_every_agency_it_cannot_list() {
    let dir = tempfile::tempdir().unwrap();
    let rr = report(&dir);
    let r = &rr.0;
    let slide = 8;
    assert_eq!(
        slide_title(r, slide, cchc::model::Lang::Vi),
        "Cơ quan chậm tiến độ"
    );
    let screen = render(&rr, slide, 100, 10);
    let listed = screen
        .lines()
        .filter(|l| {
            l.trim_start()
                .split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
        })
        .count();
    let last = screen
        .lines()
        .find(|l| l.contains(" cơ quan khác, "))
        .unwrap_or_else(|| panic!("no closing line\n{screen}"));
    let left: usize = last
        .trim_start()
        .strip_prefix("và ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{last}"));
    assert!(listed > 0, "{screen}");
    assert_eq!(listed + left, r.agencies.len(), "{screen}");
    let overdue_left: usize = r.agencies[listed..].iter().map(|a| a.overdue).sum();
    assert!(
        last.contains(&format!(", {overdue_left} nhiệm vụ quá hạn: ")),
        "{last}"
    );
    // The first agency left out is named with its count (the rest may be cut with "…").
    let first = &r.agencies[listed];
    assert!(
        last.contains(&format!(": {} {}", first.code, first.overdue)),
        "{last}"
    );
}

/// "Who is behind" says when an agency's overdue tasks were last urged (`cchc remind`) and how
/// many letters named them: under its name with two lines per agency, after its figures with
/// one. The letters are dated by the clock that stamps writes, so the slide is as of that day.
#[test]
fn the_behind_slide_shows_the_last_reminder_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir);
    let day = store.clock_date().unwrap();
    let overdue: Vec<i64> = store
        .tasks(&TaskFilter::default())
        .unwrap()
        .iter()
        .filter(|t| t.lead_agency == "STP" && t.due < day && t.status != cchc::model::Status::Done)
        .map(|t| t.id)
        .collect();
    assert!(!overdue.is_empty());
    for _ in 0..2 {
        store
            .record_reminder(
                &cchc::store::NewReminder {
                    agency: "STP".into(),
                    period: cchc::model::ReportPeriod::current(day),
                    tasks: overdue.clone(),
                    respond_by: day + chrono::Days::new(7),
                },
                None,
            )
            .unwrap();
    }
    let rr = build_report(&store, day);
    let slide = 8;
    assert_eq!(
        slide_title(&rr.0, slide, cchc::model::Lang::Vi),
        "Cơ quan chậm tiến độ"
    );
    let urged = format!("đã đôn đốc {} (lần 2)", day.format("%d/%m/%Y"));
    for (w, h) in [(160, 45), (100, 24)] {
        let screen = render(&rr, slide, w, h);
        let lines: Vec<&str> = screen.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("Sở Tư pháp"))
            .unwrap_or_else(|| panic!("STP on the slide\n{screen}"));
        // Two lines per agency: under the name; one: on the same line.
        let shown = if h >= 30 { lines[at + 1] } else { lines[at] };
        assert!(shown.contains(&urged), "{w}x{h}: {urged:?}\n{screen}");
        assert_eq!(screen.matches("đã đôn đốc").count(), 1, "{screen}");
    }
    // The report's table of the agencies most behind has the column, STP's row the date.
    let cfg = cchc::config::ReportConfig::default();
    let letter = cchc::report::body::Letter::new(&cfg, day);
    let md = cchc::report::markdown::render(&rr.0, cchc::model::Lang::Vi, &letter, None);
    let row = md
        .lines()
        .find(|l| l.starts_with("| Sở Tư pháp |"))
        .unwrap_or_else(|| panic!("STP's row in the report\n{md}"));
    assert!(
        row.ends_with(&format!("| {} (lần 2) |", day.format("%d/%m/%Y"))),
        "{row}"
    );
    assert!(md.contains("| Đã đôn đốc |"), "the column's header");
}
