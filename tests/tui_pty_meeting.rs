//! Issue 24, the meeting in the projector theme as the room sees it, read cell by cell from
//! the real program in a pseudo-terminal: good news (nothing overdue, a zero) is never drawn in
//! red, an off-track gauge is red where it is filled and marked `!` for a reader without
//! colour, and "since the last meeting" lists a figure by its indicator's name, unit and
//! change, counted when it was recorded (today) though it was measured before the meeting.

mod common;

use common::pty::*;
use common::*;

const RIGHT: &str = "\x1b[C";
const TTHC: &str = "Tỷ lệ cấp kết quả giải quyết TTHC điện tử";

/// The header of slide `n` (1-based) of ten: "4/10 · …".
fn on_slide(screen: &str, n: usize) -> bool {
    screen
        .lines()
        .next()
        .is_some_and(|l| l.starts_with(&format!("{n}/10 · ")))
}

fn show(cells: &[ScreenCell]) -> String {
    cells
        .iter()
        .map(|c| format!("{}{:?}/{:?}", c.text, c.fg, c.bg))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn good_news_is_never_red_and_an_off_track_bar_is_red_and_marked() {
    let (sb, db) = setup();
    // A figure far below the line, measured before the last meeting (27/10) and recorded now.
    let out = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .args(["indicator", "record", "tthc-ket-qua-dien-tu", "5"])
        .args([
            "--date",
            "2026-10-01",
            "--source",
            "Cổng Dịch vụ công quốc gia",
        ])
        .output()
        .unwrap();
    assert_success(&out);
    let indicators = json(
        &sb.cchc()
            .arg("--db")
            .arg(&db)
            .args(["--today", MEET_TODAY, "indicators", "--format", "json"])
            .output()
            .unwrap(),
    );
    let status = indicators
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "tthc-ket-qua-dien-tu")
        .map(|i| i["status"].clone());
    assert_eq!(
        status,
        Some("off-track".into()),
        "the test needs an off-track indicator"
    );

    for (cols, rows) in [(80, 24), (120, 36)] {
        let mut tui = Tui::meet(&sb, &db, &[], cols, rows);
        // The overview: an area with nothing overdue says "0 quá hạn" in a calm colour.
        let (_, zero) = tui
            .find_cells("· 0 quá hạn")
            .unwrap_or_else(|| panic!("{cols}x{rows}: no area without overdue tasks"));
        assert!(
            !zero.iter().any(ScreenCell::is_red),
            "{cols}x{rows}: {}",
            show(&zero)
        );

        // The area slides: the first one with nothing overdue says so in green, not in red.
        let mut good_news = None;
        let mut off_track = None;
        for slide in 2..=8 {
            tui.send(RIGHT);
            let screen = tui.wait_for(&format!("slide {slide}"), |s| on_slide(s, slide));
            if good_news.is_none()
                && let Some(found) = tui.find_cells("Không có nhiệm vụ quá hạn.")
            {
                good_news = Some(found.1);
            }
            if screen.contains(TTHC) {
                // The gauge is the row under the indicator's name.
                let (row, _) = tui.find_cells(TTHC).unwrap();
                off_track = Some(tui.cells()[row + 1].clone());
            }
        }
        let good = good_news.unwrap_or_else(|| panic!("{cols}x{rows}: no slide without overdue"));
        assert!(!good.iter().any(ScreenCell::is_red), "{}", show(&good));
        assert!(
            good.iter().all(|c| c.fg == vt100::Color::Idx(46)),
            "the projector's green: {}",
            show(&good)
        );
        let gauge = off_track.unwrap_or_else(|| panic!("{cols}x{rows}: no slide shows {TTHC}"));
        let filled: Vec<&ScreenCell> = gauge.iter().filter(|c| c.text == "█").collect();
        assert!(!filled.is_empty(), "5% fills a cell: {}", show(&gauge));
        assert!(
            filled.iter().all(|c| c.fg == vt100::Color::Idx(196)),
            "the off-track bar is red: {}",
            show(&gauge)
        );
        let first = gauge.iter().find(|c| !c.text.trim().is_empty()).unwrap();
        assert_eq!(
            first.text,
            "!",
            "marked for a reader without colour: {}",
            show(&gauge)
        );

        // Since the last meeting: nothing fell due in the period, and that zero is not red;
        // the figure recorded today is listed by name, with its unit, though measured on 01/10.
        tui.send("G");
        let screen = tui.wait_for("the last slide", |s| on_slide(s, 10));
        let (caption_row, caption) = tui.find_cells("quá hạn mới").expect("its caption");
        let left = caption[0].col;
        let right = tui
            .find_cells("số liệu chỉ tiêu")
            .map_or(cols, |(_, c)| c[0].col);
        let numeral: Vec<ScreenCell> = tui.cells()[..caption_row]
            .iter()
            .skip(2)
            .flatten()
            .filter(|c| c.col >= left && c.col < right && !c.text.trim().is_empty())
            .cloned()
            .collect();
        assert!(!numeral.is_empty(), "{screen}");
        assert!(
            !numeral.iter().any(ScreenCell::is_red),
            "{}",
            show(&numeral)
        );
        let listed = screen
            .lines()
            .find(|l| l.contains('◆'))
            .unwrap_or_else(|| panic!("no figure listed:\n{screen}"));
        assert!(
            listed.contains("Tỷ lệ cấp"),
            "the indicator's name: {listed}"
        );
        assert!(
            listed.trim_end().ends_with(": 5% (lần đầu) · 01/10/2026"),
            "value with its unit and the date measured: {listed}"
        );
        assert!(tui.quit());
    }
}
