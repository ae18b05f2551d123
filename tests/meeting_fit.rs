//! Meeting slides in the projector theme at a small projector's 80×24, a laptop's 120×36 and a
//! large screen's 200×60, in the real binary in a pseudo-terminal: every slide keeps the date on
//! its header line, no text runs on into the next row, every cut text ends in "…", and the
//! headline numerals use the largest font that fits (8-row full blocks at 120×36 and 200×60,
//! 4-row quadrant blocks at 80×24).

mod common;

use common::pty::*;
use common::*;

const RIGHT: &str = "\x1b[C";
const ESC: &str = "\x1b";
const SIZES: [(u16, u16); 3] = [(80, 24), (120, 36), (200, 60)];
const DATE: &str = "26/11/2026";
const SLIDES: usize = 10;
/// The quadrant font's partial blocks; the full-block font has none.
const QUADRANTS: &[char] = &[
    '▘', '▝', '▖', '▗', '▚', '▞', '▙', '▛', '▜', '▟', '▌', '▐', '▀', '▄',
];
const STATUSES: [&str; 5] = [
    "Đạt",
    "Đúng tiến độ",
    "Có nguy cơ chậm",
    "Chậm tiến độ",
    "Chưa có số liệu",
];

/// The array of a JSON listing, bare or inside a versioned document.
fn items(v: serde_json::Value) -> Vec<serde_json::Value> {
    match v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => o
            .into_iter()
            .find_map(|(_, v)| match v {
                serde_json::Value::Array(a) => Some(a),
                _ => None,
            })
            .expect("a listing"),
        other => panic!("not a listing: {other}"),
    }
}

/// Names from a listing's field.
fn names(sb: &Sandbox, db: &std::path::Path, args: &[&str], field: &str) -> Vec<String> {
    let out = sb
        .cchc()
        .arg("--db")
        .arg(db)
        .args(["--today", MEET_TODAY])
        .args(args)
        .output()
        .unwrap();
    items(json(&out))
        .into_iter()
        .map(|t| t[field].as_str().unwrap().to_string())
        .collect()
}

/// `shown` is one of `whole` in full, or a beginning of one cut with "…".
fn whole_or_cut(shown: &str, whole: &[String]) -> bool {
    match shown.strip_suffix('…') {
        Some(start) => !start.is_empty() && whole.iter().any(|w| w.starts_with(start)),
        None => whole.iter().any(|w| w == shown),
    }
}

fn is_glyph_row(row: &str) -> bool {
    let t = row.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c == ' ' || c == '█' || QUADRANTS.contains(&c))
}

/// Rows of the first run of glyph rows (the headline numerals), if any.
fn glyph_rows(rows: &[&str]) -> Vec<String> {
    rows.iter()
        .skip_while(|r| !is_glyph_row(r))
        .take_while(|r| is_glyph_row(r))
        .map(|r| r.to_string())
        .collect()
}

struct Known {
    titles: Vec<String>,
    indicators: Vec<String>,
    areas: Vec<String>,
}

/// Checks one slide; `n` is its number (1-based).
fn check_slide(screen: &str, n: usize, (w, h): (u16, u16), known: &Known) {
    let rows: Vec<&str> = screen.lines().collect();
    let ctx = format!("slide {n} at {w}x{h}:\n{screen}");
    assert!(rows.len() <= h as usize, "{ctx}");
    // The header: number and title on the left, the date at the right end of the same row.
    let header = rows[0];
    assert!(header.starts_with(&format!("{n}/{SLIDES} · ")), "{ctx}");
    assert!(
        header.trim_end().ends_with(DATE),
        "date on the header line: {ctx}"
    );
    let title = header
        .split_once(" · ")
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.rsplit_once("  "))
        .map(|(t, _)| t.trim_end())
        .unwrap_or_else(|| panic!("no title: {ctx}"));
    if (2..=8).contains(&n) {
        let area_titles: Vec<String> = known
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| format!("{}. {a}", i + 1))
            .collect();
        assert!(whole_or_cut(title, &area_titles), "title {title:?}: {ctx}");
    }
    // The date is the header's only other text: nothing of the title runs into row 1.
    assert!(rows.get(1).is_none_or(|r| r.trim().is_empty()), "{ctx}");

    for (i, row) in rows.iter().enumerate().skip(1) {
        let text = row.trim();
        // A task row of an area slide: "  256 ngày · title".
        if let Some((days, title)) = text.split_once(" ngày · ")
            && days.chars().all(|c| c.is_ascii_digit())
        {
            assert!(
                whole_or_cut(title, &known.titles),
                "row {i} {title:?}: {ctx}"
            );
        }
        // A gauge row: the figures end in the status (or are cut with "…").
        if text.contains(" · hạn ") {
            assert!(
                STATUSES.iter().any(|s| text.ends_with(s)) || text.ends_with('…'),
                "row {i}: {ctx}"
            );
            // The row above names the indicator, whole or cut.
            let name = rows[i - 1].trim();
            assert!(
                whole_or_cut(name, &known.indicators),
                "row {} {name:?}: {ctx}",
                i - 1
            );
        }
    }
    match n {
        1 => {
            // The indicator line is one row, every status on it.
            let line = rows
                .iter()
                .find(|r| r.contains("Đạt ") && r.contains("Đúng tiến độ "))
                .unwrap_or_else(|| panic!("no indicator line: {ctx}"));
            for s in STATUSES {
                assert!(
                    line.contains(&format!("{s} ")),
                    "{s} not on {line:?}: {ctx}"
                );
            }
            // One row per area, each ending in its figures.
            let area_rows: Vec<&&str> = rows.iter().filter(|r| r.contains(" quá hạn")).collect();
            assert_eq!(area_rows.len(), known.areas.len() + 1, "{ctx}");
            for r in area_rows
                .iter()
                .filter(|r| r.contains('─') || r.contains('█'))
            {
                assert!(r.trim_end().ends_with(" quá hạn"), "{r:?}: {ctx}");
                let name = r.trim().split(['─', '█']).next().unwrap_or_default().trim();
                assert!(whole_or_cut(name, &known.areas), "{name:?}: {ctx}");
            }
        }
        2..=8 => {
            // Below the heading every row is a known kind: nothing continued from the row above.
            let Some(start) = rows.iter().position(|r| r.contains("nhiệm vụ quá hạn:"))
            else {
                assert!(screen.contains("Không có nhiệm vụ quá hạn."), "{ctx}");
                return;
            };
            let mut in_rest = false;
            for row in rows[start + 1..].iter().map(|r| r.trim()) {
                let task = row
                    .split_once(" ngày · ")
                    .is_some_and(|(d, _)| d.chars().all(|c| c.is_ascii_digit()));
                let agency = row.ends_with(')') && row.contains(" (");
                let more = row.starts_with("… ") && row.ends_with("nhiệm vụ khác của cơ quan này");
                let rest = row.starts_with("và ") && row.contains(" nhiệm vụ của ");
                // The left-out summary wraps rather than hide an agency: its next rows are
                // nothing but "CODE n" entries.
                let rest_continued = in_rest
                    && row.split(", ").all(|e| {
                        e.split_once(' ').is_some_and(|(code, n)| {
                            code.chars().all(|c| c.is_ascii_uppercase())
                                && n.chars().all(|c| c.is_ascii_digit())
                        })
                    });
                in_rest = (rest || rest_continued) && !row.is_empty();
                assert!(
                    row.is_empty() || task || agency || more || rest || rest_continued,
                    "{row:?} continues a row: {ctx}"
                );
            }
        }
        9 => {
            for row in rows[3..].iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
                let listed = row.split_once(". ").is_some_and(|(k, _)| {
                    k.chars().all(|c| c.is_ascii_digit()) && row.ends_with("%)")
                });
                assert!(listed || row.starts_with("và "), "{row:?}: {ctx}");
            }
        }
        _ => {}
    }
}

/// The screen once a whole frame has arrived: the header can be read while the rest of the
/// slide is still on its way, so wait until two reads 150 ms apart agree (the slides hold
/// still: nothing else writes to the file).
fn settled(tui: &Tui) -> String {
    let deadline = std::time::Instant::now() + timeout();
    let mut last = tui.screen();
    loop {
        std::thread::sleep(std::time::Duration::from_millis(150));
        let now = tui.screen();
        if now == last {
            return now;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the screen never settled:\n{now}"
        );
        last = now;
    }
}

fn walk(sb: &Sandbox, db: &std::path::Path, size: (u16, u16), known: &Known) -> Vec<String> {
    let mut tui = Tui::meet(sb, db, &["--theme", "projector"], size.0, size.1);
    let mut screens = Vec::new();
    for n in 1..=SLIDES {
        if n > 1 {
            tui.send(RIGHT);
        }
        tui.wait_for(&format!("slide {n}"), |s| {
            s.starts_with(&format!("{n}/{SLIDES} · ")) && s.contains(DATE)
        });
        let screen = settled(&tui);
        check_slide(&screen, n, size, known);
        screens.push(screen);
    }
    assert!(tui.quit(), "q ends cchc meet");
    screens
}

#[test]
fn every_slide_fits_at_80x24_120x36_and_200x60() {
    let (sb, db) = setup();
    let known = Known {
        titles: names(&sb, &db, &["tasks", "--format", "json"], "title"),
        indicators: names(&sb, &db, &["indicators", "--format", "json"], "name"),
        areas: names(&sb, &db, &["areas", "--format", "json"], "name_vi"),
    };
    for size in SIZES {
        let screens = walk(&sb, &db, size, &known);
        let overview: Vec<&str> = screens[0].lines().collect();
        let glyphs = glyph_rows(&overview);
        let ctx = format!("{}x{}:\n{}", size.0, size.1, screens[0]);
        if size == (80, 24) {
            // Three figures ("0/340", "34", "0/19") need 94 columns in full blocks: quadrants.
            assert_eq!(glyphs.len(), 4, "4-row font: {ctx}");
            assert!(glyphs.iter().any(|r| r.contains(QUADRANTS)), "{ctx}");
        } else {
            // The 8-row full-block font: rows of whole blocks only, 7 of 8 inked (the glyphs'
            // last row is blank and not matched as a glyph row).
            assert!((7..=8).contains(&glyphs.len()), "8-row font: {ctx}");
            assert!(glyphs.iter().all(|r| !r.contains(QUADRANTS)), "{ctx}");
            assert!(glyphs.iter().all(|r| r.contains('█')), "{ctx}");
        }
        // The three figures side by side, in the glyph rows and their captions.
        let captions = overview
            .iter()
            .find(|r| r.contains("nhiệm vụ hoàn thành"))
            .unwrap_or_else(|| panic!("{ctx}"));
        assert!(captions.contains("nhiệm vụ quá hạn"), "{ctx}");
    }
}

#[test]
fn m_then_q_or_esc_returns_to_the_task_list() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &["--theme", "projector"], 80, 24);
    for key in ["q", ESC] {
        tui.send("m");
        tui.wait_for("the overview slide", |s| s.contains("1/10 · Tổng quan"));
        tui.send(key);
        tui.wait_for("the task list", |s| s.contains("nhiệm vụ · xếp theo"));
    }
    assert!(tui.quit());
}
