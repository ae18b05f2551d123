//! Rendering the indicators screen, the record form and meeting mode through the app (the
//! slides themselves are snapshotted in tests/meeting_render.rs), and generating the overview
//! capture of docs/MEETING.md.

use chrono::NaiveDate;

use crate::model::{Status, TaskPatch};
use crate::store::NewMeasurement;

use super::super::action::Action;
use super::super::app::Msg;
use super::super::testkit::{Fixture, Setup, fixture};
use super::super::theme::{Semantic, Theme};
use super::tests::{draw, replace_block, text};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The measurements and progress tests/meeting_render.rs uses, recorded by another member.
fn with_figures(mut f: Fixture) -> Fixture {
    let mut other = f.other("thư ký");
    for (code, v, date, source) in [
        (
            "tthc-dvctt-toan-trinh",
            88.5,
            "2026-09-30",
            "Cổng DVC quốc gia",
        ),
        (
            "tthc-ket-qua-dien-tu",
            100.0,
            "2026-09-30",
            "Cổng DVC quốc gia",
        ),
        ("tthc-hai-long-dvctt", 70.0, "2026-09-15", "khảo sát"),
        (
            "chinh-quyen-so-quan-tri-du-lieu",
            2.0,
            "2026-08-01",
            "SKHCN",
        ),
        (
            "bo-may-giam-bien-che-su-nghiep",
            21500.0,
            "2025-12-31",
            "SNV",
        ),
        (
            "bo-may-giam-bien-che-su-nghiep",
            21000.0,
            "2026-10-30",
            "SNV",
        ),
        (
            "tthc-dvctt-toan-trinh",
            80.0,
            "2026-06-30",
            "Cổng DVC quốc gia",
        ),
    ] {
        other
            .record_measurement(&NewMeasurement {
                indicator: code.into(),
                value: v,
                measured_on: d(date),
                source: source.into(),
                note: String::new(),
            })
            .unwrap();
    }
    let done = TaskPatch {
        status: Some(Status::Done),
        ..Default::default()
    };
    other
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
    other
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
    f.app.update(Msg::Tick);
    f
}

fn at(width: u16, height: u16) -> Fixture {
    with_figures(fixture(Setup {
        width,
        height,
        today: d("2026-11-26"),
        form_date: Some(d("2026-11-26")),
        ..Default::default()
    }))
}

#[test]
fn indicators_screen_at_80x24_and_160x45() {
    for (w, h) in [(80, 24), (160, 45)] {
        let mut f = at(w, h);
        f.app.update(Action::Indicators);
        // Select the indicator with two measurements (the detail pane lists both when wide).
        f.app.update(Action::MoveDown);
        let screen = text(&draw(&f));
        insta::assert_snapshot!(format!("indicators_{w}x{h}"), screen);
        assert!(screen.contains("Chỉ tiêu (21)"), "{screen}");
        assert!(screen.contains("88,5%"), "{screen}");
        assert!(screen.contains("Cải cách thủ tục hành chính"), "{screen}");
        // The keys shown are the indicators screen's.
        let last = screen.lines().last().unwrap_or_default();
        assert!(last.contains("r ghi số liệu"), "{last}");
        assert!(!last.contains("/ tìm"), "{last}");
    }
}

#[test]
fn every_indicator_can_be_scrolled_to_at_80x24() {
    let mut f = at(80, 24);
    f.app.update(Action::Indicators);
    let names: Vec<String> = f
        .app
        .gauges
        .rows
        .iter()
        .map(|g| g.indicator.name.chars().take(30).collect())
        .collect();
    for name in &names {
        let screen = text(&draw(&f));
        assert!(screen.contains(&format!("▶ {name}")), "{name}:\n{screen}");
        f.app.update(Action::MoveDown);
    }
}

#[test]
fn record_form_with_an_error() {
    let mut f = at(100, 30);
    f.app.update(Action::Indicators);
    f.app.update(Action::MoveDown);
    f.app.update(Action::RecordMeasurement);
    f.type_text("tám mươi");
    f.app.update(Action::Open);
    let screen = text(&draw(&f));
    insta::assert_snapshot!("record_form_100x30", screen);
    assert!(screen.contains("Mới nhất: 88,5% (30/09/2026)"), "{screen}");
    assert!(screen.contains("không phải \"tám mươi\""), "{screen}");
}

/// The overview slide names the plan and what it replaces under the areas, and its general
/// objective when there is room (issue 14).
#[test]
fn the_overview_slide_names_the_plan_it_tracks() {
    for (w, h, objective) in [(80, 24, false), (160, 45, true)] {
        let mut f = with_figures(fixture(Setup {
            width: w,
            height: h,
            today: d("2026-11-26"),
            ..Default::default()
        }));
        f.app.update(Action::Meeting);
        let screen = text(&draw(&f));
        let joined = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            joined.contains(
                "Kế hoạch Cải cách hành chính nhà nước tỉnh Lạng Sơn giai đoạn 2026-2030"
            ),
            "{screen}"
        );
        assert!(
            joined.contains("thay thế Kế hoạch số 316/KH-UBND ngày 09/12/2025"),
            "{screen}"
        );
        assert_eq!(
            joined.contains("Mục tiêu chung: Tiếp tục xây dựng nền hành chính dân chủ"),
            objective,
            "{screen}"
        );
    }
}

#[test]
fn meeting_mode_is_full_screen_in_the_projector_theme() {
    for theme in ["default", "light"] {
        let mut f = with_figures(fixture(Setup {
            theme,
            width: 80,
            height: 24,
            today: d("2026-11-26"),
            ..Default::default()
        }));
        f.app.update(Action::Meeting);
        let buf = draw(&f);
        let screen = text(&buf);
        assert!(screen.starts_with("1/10 · Tổng quan"), "{screen}");
        // No status bar, no key hints, no file name.
        assert!(!screen.contains("cchc.sqlite3"), "{screen}");
        assert!(!screen.contains("trợ giúp"), "{screen}");
        let projector = Theme::builtin("projector").unwrap().style(Semantic::Base);
        assert_eq!(buf[(0, 23)].bg, projector.bg.unwrap(), "{theme}");
        assert_eq!(buf[(79, 0)].bg, projector.bg.unwrap(), "{theme}");
        // The help is there when asked for, with the meeting keys.
        f.app.update(Action::Help);
        let help = text(&draw(&f));
        assert!(help.contains("Trợ giúp"), "{help}");
    }
}

#[test]
fn tiny_terminals_never_panic_on_the_new_screens() {
    for (w, h) in [(1, 1), (20, 5), (59, 14), (60, 15), (250, 70)] {
        let mut f = at(w, h);
        for a in [
            Action::Indicators,
            Action::RecordMeasurement,
            Action::Back,
            Action::Meeting,
            Action::NextSlide,
            Action::Bottom,
            Action::NextSlide,
            Action::Help,
        ] {
            f.app.update(a);
            draw(&f);
        }
    }
}

// ----- docs/MEETING.md -------------------------------------------------------------------

/// The overview slide at 100x30, as docs/MEETING.md shows it. The change log's head hash
/// depends on when the entries were written, so it is masked when comparing; the document
/// keeps the hash of the run that wrote it.
#[test]
fn docs_meeting_md_shows_the_current_overview_slide() {
    let mut f = at(100, 30);
    f.app.start_meeting(Some(d("2026-10-27")));
    let screen = format!("```text\n{}```\n", text(&draw(&f)));
    assert!(screen.contains("Nhật ký thay đổi #"), "{screen}");
    // The README's facilitators' section shows the same capture.
    for file in ["docs/MEETING.md", "README.md"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let doc = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            doc.contains("<!-- overview:begin -->"),
            "{file} lacks the overview block"
        );
        let updated = replace_block(&doc, "overview", &screen);
        if mask_hash(&updated) != mask_hash(&doc) {
            if std::env::var_os("CCHC_UPDATE_DOCS").is_some() {
                std::fs::write(&path, updated).unwrap();
            } else {
                panic!(
                    "{file} is out of date; run `CCHC_UPDATE_DOCS=1 cargo test --lib tui::views`"
                );
            }
        }
    }
}

/// Replaces the hex digits after "Nhật ký thay đổi #N: " with dots.
fn mask_hash(s: &str) -> String {
    const MARK: &str = "Nhật ký thay đổi #";
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(MARK) {
        let (head, tail) = rest.split_at(at + MARK.len());
        out.push_str(head);
        let Some(colon) = tail.find(": ") else {
            rest = tail;
            continue;
        };
        out.push_str(&tail[..colon + 2]);
        let hex = &tail[colon + 2..];
        let n = hex.chars().take_while(char::is_ascii_hexdigit).count();
        out.push_str(&".".repeat(n));
        rest = &hex[n..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_hash_mask_hides_only_the_hash() {
    assert_eq!(
        mask_hash("a Nhật ký thay đổi #12: 0fa9 b\nNhật ký thay đổi #3: ff"),
        "a Nhật ký thay đổi #12: .... b\nNhật ký thay đổi #3: .."
    );
}

#[test]
fn a_gauge_with_no_data_does_not_look_like_zero() {
    let mut f = at(80, 24);
    // A satisfaction survey that came back at 0 %: measured, and empty.
    f.other("thư ký")
        .record_measurement(&NewMeasurement {
            indicator: "tthc-hai-long-dvctt".into(),
            value: 0.0,
            measured_on: d("2026-11-01"),
            source: "khảo sát".into(),
            note: String::new(),
        })
        .unwrap();
    f.app.update(Msg::Tick);
    f.app.update(Action::Indicators);
    let screen = text(&draw(&f));
    let bar_after = |title: &str| {
        let lines: Vec<&str> = screen.lines().collect();
        let i = lines.iter().position(|l| l.contains(title));
        let bar = i
            .and_then(|i| lines.get(i + 1))
            .copied()
            .unwrap_or_default();
        bar.trim_start_matches('│').trim_start().to_string()
    };
    let zero = bar_after("Người dân, doanh nghiệp đánh giá hài lòng");
    assert!(
        zero.starts_with("───"),
        "0 % is an empty line: {zero}\n{screen}"
    );
    assert!(zero.contains("0%"), "{zero}");
    let none = bar_after("Mức độ hài lòng trong tiếp nhận");
    assert!(
        none.starts_with("░░░"),
        "no data is hatched: {none}\n{screen}"
    );

    // Meeting mode writes it across the bar, in the chosen language.
    f.app.update(Action::Meeting);
    let mut seen = false;
    for _ in 0..8 {
        let slide = text(&draw(&f));
        if slide.contains(" chưa có số liệu ░") {
            seen = true;
            break;
        }
        f.app.update(Action::NextSlide);
    }
    assert!(seen, "no slide wrote 'chưa có số liệu' across a gauge");
}

/// Every overdue task of an area slide is either listed under its agency or counted, with its
/// agency named, on the closing line: at 80×24 the slide cannot hold them all.
#[test]
fn area_slides_name_every_agency_they_cannot_list() {
    for lang in ["vi", "en"] {
        let mut f = with_figures(fixture(Setup {
            width: 80,
            height: 24,
            today: d("2026-11-26"),
            lang: if lang == "en" {
                crate::model::Lang::En
            } else {
                crate::model::Lang::Vi
            },
            ..Default::default()
        }));
        f.app.update(Action::Meeting);
        f.app.update(Action::NextSlide);
        let slide = text(&draw(&f));
        let (total_word, left_word) = if lang == "vi" {
            ("nhiệm vụ quá hạn:", "nhiệm vụ của ")
        } else {
            ("overdue tasks:", "tasks of ")
        };
        let number = |s: &str| -> usize {
            s.trim_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .unwrap_or_else(|_| panic!("no number in {s:?}\n{slide}"))
        };
        let lines: Vec<&str> = slide.lines().collect();
        let total_line = lines.iter().find(|l| l.contains(total_word));
        let total = number(
            total_line
                .unwrap_or_else(|| panic!("{slide}"))
                .split(' ')
                .nth(1)
                .unwrap(),
        );
        // Headers end "(N)"; the closing line starts "và N nhiệm vụ của K cơ quan khác: A n, …".
        let listed: usize = lines
            .iter()
            .filter(|l| l.trim_end().ends_with(')') && !l.starts_with("   "))
            .filter_map(|l| l.trim_end().rsplit_once('('))
            .map(|(_, n)| number(n))
            .sum();
        // The closing summary wraps onto the following lines when it is wider than the slide.
        let closing = lines
            .iter()
            .position(|l| l.contains(left_word))
            .unwrap_or_else(|| panic!("no closing line\n{slide}"));
        let last = lines[closing..].join(" ");
        let last = last.as_str();
        let left = number(last.split_whitespace().nth(1).unwrap());
        assert_eq!(listed + left, total, "{slide}");
        let named: usize = last
            .split_once(": ")
            .map(|(_, list)| {
                list.split(", ")
                    .map(|p| number(p.rsplit(' ').next().unwrap()))
                    .sum()
            })
            .unwrap_or(0);
        assert_eq!(
            named, left,
            "every agency left out is named with its count\n{slide}"
        );
        // Titles are cut with a mark, never mid-letter without one.
        assert!(slide.contains('…'), "{slide}");
    }
}
