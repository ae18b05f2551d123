//! Issue 12 in a real terminal at 80×24: `:157`, `:agency`, Tab completion, `y` through OSC 52
//! (read from the raw output and decoded by coreutils' `base64`), and a saved view going from
//! `:save` through the config file to `cchc --view` and `cchc tasks --view`.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use common::pty::*;
use common::*;

/// The last two lines: the status bar.
fn status_bar(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len().saturating_sub(2)..].join("\n")
}

/// The lead agency of every task row in the list pane (80 columns: no id column; the token
/// before the due date).
fn leads(screen: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in screen.lines() {
        let Some(start) = line.find('┃') else {
            continue;
        };
        let inner = &line[start..];
        let words: Vec<&str> = inner.split_whitespace().collect();
        if let Some(i) = words
            .iter()
            .position(|w| w.len() == 10 && w.as_bytes()[2] == b'/' && w.as_bytes()[5] == b'/')
            && i > 0
        {
            out.push(words[i - 1].to_string());
        }
    }
    out
}

fn start(sb: &Sandbox, db: &Path, config: &Path, extra: &[&str]) -> Tui {
    let config = config.to_str().unwrap();
    let tui = Tui::launch_with_env(
        sb,
        &[],
        db,
        TODAY,
        extra,
        80,
        24,
        Some("tester"),
        &[("CCHC_CONFIG", config)],
    );
    tui.wait_for("the task screen", |s| s.contains("01/01/2027"));
    tui
}

#[test]
fn colon_number_jumps_and_colon_agency_filters() {
    let (sb, db) = setup();
    let config = sb.path("config.toml");
    let mut tui = start(&sb, &db, &config, &[]);
    assert_eq!(selected_id(&tui.screen()), 173);
    tui.send(":");
    tui.wait_for("the command line", |s| {
        status_bar(s).contains("tab gợi ý · enter chạy · esc huỷ")
    });
    tui.send("157\r");
    let screen = tui.wait_for("task 157 selected", |s| selected_id(s) == 157);
    assert!(status_bar(&screen).contains("#157"), "{screen}");

    tui.send(":agency STP\r");
    let screen = tui.wait_for("the STP tasks", |s| {
        s.contains("Cơ quan chủ trì: Sở Tư pháp (STP)")
    });
    let stp = leads(&screen);
    assert!(stp.len() > 3, "{screen}");
    assert!(stp.iter().all(|l| l == "STP"), "{stp:?}\n{screen}");

    // An unknown command is one line in the status bar, and the list stays.
    tui.send(":frob\r");
    let screen = tui.wait_for("the message", |s| s.contains("Không có lệnh :frob"));
    assert!(leads(&screen).iter().all(|l| l == "STP"), "{screen}");
    assert!(tui.quit());
}

#[test]
fn tab_completes_command_names_and_agency_codes() {
    let (sb, db) = setup();
    let config = sb.path("config.toml");
    let mut tui = start(&sb, &db, &config, &[]);
    tui.send(":ag\t");
    tui.wait_for("the command name completed", |s| {
        status_bar(s).contains(":agency ")
    });
    tui.send("vp\t");
    tui.wait_for("the agency code completed", |s| {
        status_bar(s).contains(":agency VPUB")
    });
    tui.send("\r");
    let screen = tui.wait_for("the VPUB tasks", |s| s.contains("(VPUB)"));
    assert!(leads(&screen).iter().all(|l| l == "VPUB"), "{screen}");
    // Several candidates: Tab cycles, and the prompt lists them with the current one marked.
    tui.send(":sort a\t");
    let screen = tui.wait_for("the sort candidates", |s| status_bar(s).contains("[area]"));
    assert!(status_bar(&screen).contains("agency"), "{screen}");
    tui.send("\t\r");
    tui.wait_for("sorted by agency", |s| s.contains("xếp theo cơ quan"));
    // Esc cancels: nothing runs.
    tui.send(":overdue\x1b");
    std::thread::sleep(std::time::Duration::from_millis(300));
    tui.send(":sort due\r");
    let screen = tui.wait_for("sorted by due date", |s| s.contains("xếp theo hạn"));
    assert!(!screen.contains("chỉ quá hạn"), "{screen}");
    assert!(tui.quit());
}

#[test]
fn y_copies_the_reference_line_with_osc_52() {
    let (sb, db) = setup();
    let config = sb.path("config.toml");
    let mut tui = start(&sb, &db, &config, &[]);
    tui.send("y");
    let expected = "#173 V.1.5/SNV/2026-Q1 — Báo cáo CCHC quý I/2026 — hạn 15/03/2026";
    let screen = tui.wait_for("the copied message", |s| s.contains("Đã chép:"));
    assert!(
        status_bar(&screen).contains("#173 V.1.5/SNV/2026-Q1"),
        "{screen}"
    );
    // The sequence itself, from the raw output.
    let deadline = Instant::now() + timeout();
    let payload = loop {
        let raw = String::from_utf8_lossy(&tui.raw.lock().unwrap()).into_owned();
        if let Some(at) = raw.find("\x1b]52;c;") {
            let rest = &raw[at + 7..];
            if let Some(end) = rest.find('\x07') {
                break rest[..end].to_string();
            }
        }
        assert!(
            Instant::now() < deadline,
            "no OSC 52 sequence in the output"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    // Decoded by an independent reader.
    let file = sb.path("payload.b64");
    std::fs::write(&file, &payload).unwrap();
    let out = Command::new("base64")
        .arg("-d")
        .arg(&file)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    assert!(tui.quit());
}

#[test]
fn a_saved_view_round_trips_through_the_config_file_and_the_cli() {
    let (sb, db) = setup();
    let config = sb.path("config.toml");
    std::fs::write(
        &config,
        "# settings of tester\nlang = \"vi\" # Vietnamese\n",
    )
    .unwrap();
    let mut tui = start(&sb, &db, &config, &[]);
    tui.send(":agency STP\r");
    tui.wait_for("the STP tasks", |s| s.contains("Sở Tư pháp (STP)"));
    tui.send(":overdue\r");
    tui.wait_for("overdue only", |s| s.contains("chỉ quá hạn"));
    tui.send(":save stp-late\r");
    tui.wait_for("saved", |s| s.contains("Đã lưu góc nhìn stp-late"));
    assert!(tui.quit());
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.starts_with("# settings of tester\nlang = \"vi\" # Vietnamese\n"),
        "{text}"
    );
    assert!(text.contains("[views.stp-late]"), "{text}");

    // The same view from the command line: the screen and `cchc tasks` agree.
    let tui = start(&sb, &db, &config, &["--view", "stp-late"]);
    let screen = tui.wait_for("the view restored", |s| {
        s.contains("Cơ quan chủ trì") && s.contains("chỉ quá hạn")
    });
    let shown = leads(&screen);
    assert!(
        !shown.is_empty() && shown.iter().all(|l| l == "STP"),
        "{screen}"
    );
    assert!(screen.contains("▸ Sở Tư pháp"), "{screen}");
    assert!(tui.quit());
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .env("COLUMNS", "80")
        .arg("--db")
        .arg(&db)
        .args([
            "--today", TODAY, "tasks", "--view", "stp-late", "--format", "json",
        ])
        .output()
        .unwrap();
    let tasks = json(&out);
    let tasks = tasks.as_array().unwrap();
    assert!(!tasks.is_empty());
    for t in tasks {
        assert_eq!(t["lead_agency"], "STP");
        assert_eq!(t["overdue"], true, "{t}");
    }
    let title = format!("{}/", tasks.len());
    assert!(screen.contains(&title), "{} tasks\n{screen}", tasks.len());

    // A view nobody saved: a usage error naming the saved ones, before any screen opens.
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .arg("--db")
        .arg(&db)
        .args(["--view", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("stp-late"), "{err}");
}
