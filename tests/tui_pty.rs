//! The real `cchc` binary in a pseudo-terminal, its screen read through a vt100 parser: what
//! only a real terminal shows (keys typed, another process's change appearing live, the
//! terminal given back on the way out).
//!
//! Every wait polls the screen until a condition holds or a generous deadline passes (10 s,
//! `CCHC_PTY_TIMEOUT_SECS` to change it), so a loaded machine makes the tests slower, not
//! flaky; no fixed sleep is ever an assertion.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use common::pty::*;
use common::*;

/// The "N nhiệm vụ" or "N/T nhiệm vụ" of the list's title: the shown count.
fn shown_count(screen: &str) -> Option<usize> {
    let at = screen.find(" nhiệm vụ")?;
    let head = &screen[..at];
    let start = head
        .rfind(|c: char| !(c.is_ascii_digit() || c == '/'))
        .map_or(0, |i| i + 1);
    head[start..].split('/').next()?.parse().ok()
}

/// (lead agency, due date) of every task row in the list pane (framed by the focused pane's
/// heavy border `┃`): the token before the row's dd/mm/yyyy due date.
fn rows(screen: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in screen.lines() {
        let (Some(start), Some(end)) = (line.find('┃'), line.rfind('┃')) else {
            continue;
        };
        if start == end {
            continue;
        }
        let chars: Vec<char> = line[start + '┃'.len_utf8()..end].chars().collect();
        let is_date = |i: usize| {
            i + 10 <= chars.len()
                && chars[i..i + 10].iter().enumerate().all(|(k, c)| match k {
                    2 | 5 => *c == '/',
                    _ => c.is_ascii_digit(),
                })
        };
        // The last date on the line is the due column (titles may hold "I/2026").
        let Some(i) = (0..chars.len()).rev().find(|&i| is_date(i)) else {
            continue;
        };
        let before: String = chars[..i].iter().collect();
        let Some(lead) = before.split_whitespace().last() else {
            continue;
        };
        out.push((lead.to_string(), chars[i..i + 10].iter().collect()));
    }
    out
}

fn ddmmyyyy(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    format!("{}/{}/{}", p[2], p[1], p[0])
}

#[test]
fn search_noi_vu_shows_only_tasks_mentioning_so_noi_vu_and_esc_restores() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &[], 120, 35);
    let total = shown_count(&tui.screen()).unwrap();
    tui.send("/");
    tui.wait_for("the search box", |s| s.contains("Tìm:"));
    // Quoted: one phrase (unquoted, "noi" and "vu" would be two terms found apart).
    tui.send("\"noi vu\"");
    // The search runs off the input thread: the hits are on screen once "đang tìm…" is gone.
    let screen = tui.wait_for("the narrowed list", |s| {
        s.contains("\"noi vu\"")
            && s.contains(&format!("/{total} nhiệm vụ"))
            && !s.contains("đang tìm")
    });
    let shown = shown_count(&screen).unwrap();

    // The CLI's search over the same file: same count, and each mentions Nội vụ.
    let hits = cli_json(
        &sb,
        &db,
        &["tasks", "--search", "\"noi vu\"", "--format", "json"],
    );
    let hits = hits.as_array().unwrap();
    assert_eq!(shown, hits.len());
    assert!(0 < shown && shown < total, "{shown} of {total}");
    let mut allowed = std::collections::HashSet::new();
    for t in hits {
        let text = cchc::text::fold(&format!("{} {}", t["title"], t["output"]));
        assert!(
            t["lead_agency"] == "SNV" || text.contains("noi vu"),
            "{} does not mention Sở Nội vụ",
            t["title"]
        );
        allowed.insert((
            t["lead_agency"].as_str().unwrap().to_string(),
            ddmmyyyy(t["due"].as_str().unwrap()),
        ));
    }
    let on_screen = rows(&screen);
    assert!(on_screen.len() > 5, "{screen}");
    for row in &on_screen {
        assert!(allowed.contains(row), "{row:?} is not a hit\n{screen}");
    }

    tui.send("\x1b");
    let screen = tui.wait_for("the full list", |s| {
        s.contains(&format!(" {total} nhiệm vụ")) && !s.contains("Tìm:")
    });
    assert_eq!(shown_count(&screen), Some(total));
    assert!(tui.quit());
}

#[test]
fn overdue_filter_matches_the_cli_count() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &[], 120, 35);
    tui.send("o");
    let screen = tui.wait_for("the overdue filter", |s| s.contains("chỉ quá hạn"));
    let expected = cli_json(
        &sb,
        &db,
        &["tasks", "--overdue", "--today", TODAY, "--format", "json"],
    )
    .as_array()
    .unwrap()
    .len();
    assert_eq!(shown_count(&screen), Some(expected), "{screen}");
    // Every row on screen says so (at this width the state column is shown).
    let task_lines: Vec<&str> = screen.lines().filter(|l| !rows(l).is_empty()).collect();
    assert!(task_lines.len() > 5, "{screen}");
    for line in task_lines {
        assert!(line.contains("Quá hạn"), "not overdue: {line}");
    }
    assert!(tui.quit());
}

#[test]
fn percent_60_enter_is_stored_with_a_log_entry_by_the_user() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &["--user", "Nguyễn Thị Lan"], 120, 35);
    let id = selected_id(&tui.screen());
    tui.send("p");
    tui.wait_for("the percent prompt", |s| s.contains("Tiến độ (%)"));
    tui.send("60\r");
    tui.wait_for("the saved message", |s| {
        s.contains(&format!("Đã lưu #{id}"))
    });

    let task = cli_json(
        &sb,
        &db,
        &["task", "show", &id.to_string(), "--format", "json"],
    );
    assert_eq!(task["progress"], 60);
    let entry = &task["history"][0];
    assert_eq!(entry["user"], "Nguyễn Thị Lan");
    assert_eq!(entry["action"], "update");
    let log = cli_json(&sb, &db, &["log", "--format", "json"]);
    assert_eq!(log[0]["user"], "Nguyễn Thị Lan");
    assert_eq!(log[0]["entity_id"], id.to_string());
    assert!(
        log[0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "progress" && c["new"] == "60")
    );
    assert!(tui.quit());
}

#[test]
fn another_process_change_shows_within_a_second() {
    let (sb, db) = setup();
    let tui = Tui::start(&sb, &db, &[], 120, 35);
    let id = selected_id(&tui.screen());
    // Three tries: each must show up; at least one within 1 s (a single slow wake-up of a
    // loaded machine does not fail the test, a slow reload mechanism does).
    let mut times = Vec::new();
    for percent in [41, 42, 43] {
        let out = sb
            .cchc()
            .arg("--db")
            .arg(&db)
            .args(["--user", "minh", "task", "set", &id.to_string()])
            .args(["--progress", &percent.to_string()])
            .output()
            .unwrap();
        assert_success(&out);
        let committed = Instant::now();
        tui.wait_for("the other member's change", |s| {
            s.contains(&format!("Quá hạn · {percent}%"))
        });
        times.push(committed.elapsed());
    }
    assert!(
        times.iter().any(|t| *t <= Duration::from_secs(1)),
        "no change showed within 1 s: {times:?}"
    );
    assert!(tui.quit());
}

#[test]
fn a_stale_edit_is_refused_and_names_who_changed_it() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &["--user", "lan"], 120, 35);
    let id = selected_id(&tui.screen());
    // lan opens the percent prompt on the version on screen…
    tui.send("p");
    tui.wait_for("the percent prompt", |s| s.contains("Tiến độ (%)"));
    // …minh changes the task meanwhile…
    let out = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .args(["--user", "minh", "task", "set", &id.to_string()])
        .args(["--progress", "30"])
        .output()
        .unwrap();
    assert_success(&out);
    // …and lan's 60 is refused, naming minh and his change.
    tui.send("60\r");
    let screen = tui.wait_for("the refusal", |s| s.contains("Không lưu"));
    assert!(screen.contains("minh đã sửa"), "{screen}");
    assert!(screen.contains("30%"), "{screen}");
    let task = cli_json(
        &sb,
        &db,
        &["task", "show", &id.to_string(), "--format", "json"],
    );
    assert_eq!(task["progress"], 30, "nothing overwritten");
    assert_eq!(task["history"][0]["user"], "minh");
    tui.send("\x1b");
    tui.wait_for("the notice to close", |s| !s.contains("Không lưu"));
    assert!(tui.quit());
}

#[test]
fn read_only_shows_a_banner_and_refuses_edits() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &["--read-only"], 100, 30);
    tui.wait_for("the banner", |s| s.contains("CHỈ ĐỌC"));
    tui.send("p");
    tui.wait_for("the refusal", |s| s.contains("Chỉ đọc — không sửa được"));
    assert!(!tui.screen().contains("Tiến độ (%)"));
    assert!(tui.quit());
}

#[test]
fn the_terminal_is_given_back_on_quit_and_on_sigterm() {
    let (sb, db) = setup();
    let tui = Tui::start(&sb, &db, &[], 80, 24);
    assert!(tui.alternate_screen());
    let parser = Arc::clone(&tui.parser);
    assert!(tui.quit());
    assert!(!parser.lock().unwrap().screen().alternate_screen());

    let mut tui = Tui::start(&sb, &db, &[], 80, 24);
    let pid = tui.child.process_id().expect("a pid") as libc::pid_t;
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    assert!(tui.wait_exit(), "a clean exit after SIGTERM");
    assert!(!tui.alternate_screen());
}

#[test]
fn ctrl_c_quits_even_from_a_prompt() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &["--lang", "en"], 80, 24);
    tui.wait_for("English labels", |s| s.contains("Areas"));
    tui.send("n");
    tui.wait_for("the note prompt", |s| s.contains("Add a note"));
    tui.send("\x03");
    assert!(tui.wait_exit());
    assert!(!tui.alternate_screen());
}

#[test]
fn q_closes_help_and_the_status_picker_without_quitting_and_shift_q_quits() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &[], 100, 30);
    let list = |s: &str| s.contains("nhiệm vụ · xếp theo");
    tui.wait_for("the task screen", list);
    tui.send("?");
    tui.wait_for("the help screen", |s| s.contains("Trợ giúp: phím tắt"));
    tui.send("q");
    tui.wait_for("help closed", |s| {
        !s.contains("Trợ giúp: phím tắt") && list(s)
    });
    tui.send("s");
    tui.wait_for("the status picker", |s| s.contains("Đặt trạng thái"));
    tui.send("q");
    tui.wait_for("the picker closed", |s| {
        !s.contains("Đặt trạng thái") && list(s)
    });
    // Two ticks later cchc still runs and shows the list.
    std::thread::sleep(Duration::from_millis(600));
    assert!(tui.child.try_wait().unwrap().is_none(), "q ended cchc");
    assert!(list(&tui.screen()), "{}", tui.screen());
    // `Q` quits at once, even with the picker open, and gives the terminal back.
    tui.send("s");
    tui.wait_for("the status picker", |s| s.contains("Đặt trạng thái"));
    tui.send("Q");
    assert!(tui.wait_exit());
    assert!(!tui.alternate_screen());
}

#[test]
fn a_hung_up_terminal_ends_the_process() {
    // As when a member's SSH connection drops: the pty's master side closes while cchc sits
    // idle, waiting for keys. crossterm then reads end-of-file in a tight loop that never
    // returns to cchc's own loop; cchc must still end, not stay behind burning a core.
    let (sb, db) = setup();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cchc"));
    cmd.cwd(sb.dir.path());
    cmd.env("HOME", sb.dir.path().join("home"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("CCHC_USER", "tester");
    cmd.arg("--db");
    cmd.arg(&db);
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    // Read the master directly (no reader clone, so dropping the master really closes it)
    // until the screen is up and the output has been quiet for half a second: cchc is idle.
    let fd = pty.master.as_raw_fd().expect("a master fd");
    let mut seen = Vec::new();
    let mut quiet_since = Instant::now();
    let deadline = Instant::now() + timeout();
    loop {
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a 50 ms timeout.
        let ready = unsafe { libc::poll(&mut pfd, 1, 50) };
        if ready > 0 {
            let mut buf = [0u8; 4096];
            // SAFETY: reading into a buffer of the given length from the open master.
            let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            assert!(n > 0, "cchc ended before drawing");
            seen.extend_from_slice(&buf[..n as usize]);
            quiet_since = Instant::now();
        }
        let drawn = String::from_utf8_lossy(&seen).contains("nhiệm vụ");
        if drawn && quiet_since.elapsed() > Duration::from_millis(500) {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "cchc never became idle; it wrote:\n{}",
                String::from_utf8_lossy(&seen[seen.len().saturating_sub(600)..])
            );
        }
    }
    drop(pty.master);
    let deadline = Instant::now() + timeout();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("cchc kept running after its terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_config_file_sets_language_user_and_keys_and_flags_win() {
    let (sb, db) = setup();
    let dir = sb.dir.path().join("home/config/cchc");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "lang = \"en\"\ntheme = \"solarised\"\nuser = \"cfg-user\"\n[keys]\n\"x\" = \"toggle_overdue\"\n",
    )
    .unwrap();
    // CCHC_USER would win over the file; this member has none.
    let start = |extra: &[&str]| Tui::start_without_user(&sb, &db, extra, 120, 35);
    let mut tui = start(&[]);
    let screen = tui.wait_for("the config's language and user", |s| {
        s.contains("Areas") && s.contains("cfg-user")
    });
    // A bad theme name is a warning in the status bar, not a failure.
    assert!(screen.contains("unknown theme \"solarised\""), "{screen}");
    tui.send("x");
    tui.wait_for("x mapped to the overdue filter", |s| {
        s.contains("overdue only")
    });
    assert!(tui.quit());

    let tui = start(&["--lang", "vi", "--user", "flag-user"]);
    tui.wait_for("the flags winning", |s| {
        s.contains("Lĩnh vực") && s.contains("flag-user") && !s.contains("cfg-user")
    });
    assert!(tui.quit());
}

// ----- Meeting mode and the indicators screen ---------------------------------------------

const RIGHT: &str = "\x1b[C";
const LEFT: &str = "\x1b[D";
const PAGE_DOWN: &str = "\x1b[6~";
const PAGE_UP: &str = "\x1b[5~";
const ESC: &str = "\x1b";

/// A number as the slides write it in Vietnamese: "100", "87,5".
fn vi_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// "/ 100%", "/ cấp độ 3", "/ giảm 10%", "/ trên 95%": how a slide writes an indicator's
/// current target.
fn target_text(ind: &serde_json::Value) -> String {
    let v = vi_num(ind["current_target"]["value"].as_f64().expect("a target"));
    let shown = match ind["unit"].as_str() {
        Some("level") => format!("cấp độ {v}"),
        _ => format!("{v}%"),
    };
    match ind["direction"].as_str() {
        Some("reduce-by") => format!("/ giảm {shown}"),
        Some("above") => format!("/ trên {shown}"),
        _ => format!("/ {shown}"),
    }
}

/// The header of slide `n` (1-based) of ten: "4/10 · …".
fn on_slide(screen: &str, n: usize) -> bool {
    screen
        .lines()
        .next()
        .is_some_and(|l| l.starts_with(&format!("{n}/10 · ")))
}

#[test]
fn meet_area_slides_show_every_indicator_of_the_area_with_its_target() {
    let (sb, db) = setup();
    let areas = cli_json(&sb, &db, &["areas", "--format", "json"]);
    let indicators = cli_json(&sb, &db, &["indicators", "--format", "json"]);
    let areas = areas.as_array().unwrap();
    let indicators = indicators.as_array().unwrap();
    assert_eq!(areas.len(), 7);
    let mut tui = Tui::meet(&sb, &db, &["--since", "2026-10-27"], 160, 45);
    let mut checked = 0;
    for (i, area) in areas.iter().enumerate() {
        tui.send(RIGHT);
        let title = format!("{}. {}", i + 1, area["name_vi"].as_str().unwrap());
        let screen = tui.wait_for(&format!("slide {}", i + 2), |s| {
            on_slide(s, i + 2) && s.contains(&title)
        });
        for ind in indicators.iter().filter(|x| x["area"] == area["code"]) {
            let name: String = ind["name"].as_str().unwrap().chars().take(40).collect();
            let line = screen
                .lines()
                .position(|l| l.contains(&name))
                .unwrap_or_else(|| panic!("{name:?} missing on slide {}:\n{screen}", i + 2));
            // The gauge line under the name carries the target.
            let gauge = screen.lines().nth(line + 1).unwrap_or_default();
            let target = target_text(ind);
            assert!(
                gauge.contains(&target),
                "{name:?}: {target:?} not in {gauge:?}\n{screen}"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        indicators.len(),
        "every indicator is on its area's slide"
    );
    // Level indicators show levels, never a fake percentage.
    assert!(
        indicators.iter().any(|i| i["unit"] == "level"),
        "the plan has a level indicator"
    );
    tui.send(ESC);
    assert!(tui.wait_exit(), "Esc ends cchc meet cleanly");
    assert!(!tui.alternate_screen());
}

/// The gauge row under the indicator `name` on the screen ("" while it is not there).
fn gauge_row<'a>(screen: &'a str, name: &str) -> &'a str {
    screen
        .lines()
        .position(|l| l.contains(name))
        .and_then(|at| screen.lines().nth(at + 1))
        .unwrap_or_default()
}

#[test]
fn a_measurement_recorded_elsewhere_moves_the_projected_gauge_within_a_second() {
    let (sb, db) = setup();
    // Read-only, as on a projector: it still sees every member's commit.
    let mut tui = Tui::meet(&sb, &db, &[], 100, 30);
    const NAME: &str = "Tỷ lệ cấp kết quả giải quyết TTHC điện tử";
    tui.send(&RIGHT.repeat(3));
    let screen = tui.wait_for("the TTHC slide", |s| on_slide(s, 4) && s.contains(NAME));
    let before = gauge_row(&screen, NAME).to_string();
    assert!(before.contains("— / 100%"), "{before}");
    assert!(!before.contains('█'), "an empty gauge: {before}");
    // Three tries: each must show; at least one within 1 s (a single slow wake-up of a loaded
    // machine does not fail the test, a slow reload does).
    let mut times = Vec::new();
    for value in [82, 90, 95] {
        let out = sb
            .cchc()
            .arg("--db")
            .arg(&db)
            .args(["--user", "minh", "--today", MEET_TODAY])
            .args(["indicator", "record", "tthc-ket-qua-dien-tu"])
            .arg(value.to_string())
            // Dated on the meeting's day by hand: a write takes the clock, not --today.
            .args(["--date", MEET_TODAY])
            .args(["--source", "Cổng Dịch vụ công quốc gia"])
            .output()
            .unwrap();
        assert_success(&out);
        let committed = Instant::now();
        let screen = tui.wait_for(&format!("{value}% on the slide"), |s| {
            gauge_row(s, NAME).contains(&format!("{value}% / 100%"))
        });
        times.push(committed.elapsed());
        let row = gauge_row(&screen, NAME);
        let filled = row.chars().filter(|c| *c == '█').count();
        let empty = row.chars().filter(|c| *c == '─').count();
        assert!(filled > 0, "the gauge fills: {row}");
        // About `value` percent of the bar is filled.
        let share = filled as f64 / (filled + empty) as f64;
        assert!(
            (share - value as f64 / 100.0).abs() < 0.08,
            "{value}%: {filled} of {} cells: {row}",
            filled + empty
        );
    }
    assert!(
        times.iter().any(|t| *t <= Duration::from_secs(1)),
        "no measurement showed within 1 s: {times:?}"
    );
    // The overview counts it too.
    tui.send("g");
    tui.wait_for("the overview", |s| on_slide(s, 1));
    assert!(tui.quit());
}

#[test]
fn stepping_past_either_end_of_the_slides_stays_put_and_never_panics() {
    let (sb, db) = setup();
    let mut tui = Tui::meet(&sb, &db, &[], 80, 24);
    // Before the first slide: it stays on the overview.
    tui.send(&format!("{LEFT}{PAGE_UP}{LEFT}\x7f"));
    tui.send("h");
    std::thread::sleep(Duration::from_millis(300));
    tui.wait_for("still the overview", |s| on_slide(s, 1));
    // Through every slide with the clicker's keys, then past the last one.
    for (n, key) in (2..=10).zip([RIGHT, PAGE_DOWN, " ", "l"].iter().cycle()) {
        tui.send(key);
        tui.wait_for(&format!("slide {n}"), |s| on_slide(s, n));
    }
    for key in [RIGHT, PAGE_DOWN, " ", RIGHT, "G"] {
        tui.send(key);
    }
    std::thread::sleep(Duration::from_millis(300));
    let screen = tui.wait_for("still the last slide", |s| on_slide(s, 10));
    assert!(screen.contains("Kể từ cuộc họp trước"), "{screen}");
    assert!(
        tui.child.try_wait().unwrap().is_none(),
        "still running after stepping past the end"
    );
    // And back down to the first, the same way.
    tui.send("g");
    tui.wait_for("the first slide", |s| on_slide(s, 1));
    // q leaves meet as Esc does, and gives the terminal back.
    assert!(tui.quit());
}

#[test]
fn m_in_the_task_screen_shows_the_slides_and_esc_returns() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &[], 100, 30);
    tui.send("m");
    let screen = tui.wait_for("the overview slide", |s| on_slide(s, 1));
    // Full screen: no status bar, no key hints.
    assert!(!screen.contains("trợ giúp"), "{screen}");
    assert!(!screen.contains("cchc.sqlite3"), "{screen}");
    tui.send(RIGHT);
    tui.wait_for("slide 2", |s| on_slide(s, 2));
    tui.send(ESC);
    tui.wait_for("the task screen", |s| s.contains("nhiệm vụ · xếp theo"));
    assert!(tui.quit());
}

#[test]
fn i_then_r_records_a_measurement_from_the_tui() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &["--user", "lan"], 120, 35);
    tui.send("i");
    tui.wait_for("the indicators screen", |s| s.contains("Chỉ tiêu (21)"));
    // The second indicator is the first of TTHC (the first is thể chế's).
    tui.send("jr");
    tui.wait_for("the record form", |s| s.contains("Ghi nhận số liệu"));
    tui.send("8O,5\r");
    tui.wait_for("the inline error", |s| s.contains("phải là một số"));
    tui.send("\x15"); // ctrl-u clears the field
    tui.send("87,5\t\t");
    tui.send("Cổng Dịch vụ công quốc gia\r");
    tui.wait_for("the confirmation", |s| {
        s.contains("Đã ghi tthc-dvctt-toan-trinh = 87,5%")
    });
    tui.wait_for("the gauge", |s| s.contains("87,5% → 100%"));
    let indicators = cli_json(&sb, &db, &["indicators", "--format", "json"]);
    let ind = indicators
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "tthc-dvctt-toan-trinh")
        .unwrap();
    assert_eq!(ind["latest"]["value"], 87.5);
    // The clock's date, not --today's (2027-01-01): a write takes the real day.
    let clock = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
        .to_string();
    assert_eq!(ind["latest"]["date"], clock.as_str());
    assert_eq!(ind["latest"]["source"], "Cổng Dịch vụ công quốc gia");
    let log = cli_json(&sb, &db, &["log", "--format", "json", "--limit", "1"]);
    assert_eq!(log[0]["user"], "lan");
    assert_eq!(log[0]["action"], "measure");
    tui.send(ESC);
    tui.wait_for("the task screen", |s| s.contains("nhiệm vụ · xếp theo"));
    assert!(tui.quit());
}

#[test]
fn meet_is_read_only_unless_allowed_and_needs_a_terminal() {
    let (sb, db) = setup();
    let mut tui = Tui::meet(&sb, &db, &[], 100, 30);
    tui.send("ir");
    tui.wait_for("the refusal", |s| {
        s.contains("Chỉ đọc — không sửa được") && s.contains("--allow-edits")
    });
    assert!(!tui.screen().contains("Ghi nhận số liệu"));
    tui.send(ESC);
    tui.wait_for("the slides again", |s| on_slide(s, 1));
    assert!(tui.quit());

    let mut tui = Tui::meet(&sb, &db, &["--allow-edits"], 100, 30);
    tui.send("ijr");
    tui.wait_for("the record form", |s| s.contains("Ghi nhận số liệu"));
    // Wait for Esc to land before `q`: sent together they read as alt-q.
    tui.send(ESC);
    tui.wait_for("the form to close", |s| !s.contains("Ghi nhận số liệu"));
    // `q` closes the indicators screen opened over the slides; on the slides it ends meet.
    tui.send("q");
    tui.wait_for("the slides again", |s| on_slide(s, 1));
    assert!(tui.quit());

    // Without a terminal: a clear message in the user's language, exit 2.
    let out = sb.cchc().arg("--db").arg(&db).arg("meet").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("meet cần một terminal"),
        "{}",
        stderr(&out)
    );
    let out = sb
        .cchc()
        .args(["--lang", "en", "--db"])
        .arg(&db)
        .arg("meet")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("meet needs a terminal"),
        "{}",
        stderr(&out)
    );
}
