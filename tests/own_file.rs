//! The private default file is never silent: when no `--db`, `CCHC_DB` or config `db` names a
//! file, cchc creates `cchc.sqlite3` in the per-user data directory, and says so — on stderr
//! for a command, in a banner for the screen — and the screen's status bar keeps saying "your
//! own file" while it is in use.

mod common;

use std::ffi::OsString;

use common::pty::{TODAY, Tui};
use common::*;

/// Where the sandbox's default file lands (XDG_DATA_HOME is `home/data`).
fn default_file(sb: &Sandbox) -> std::path::PathBuf {
    sb.path("home/data/cchc/cchc.sqlite3")
}

const NOTICE_VI: &str = "đã tạo tệp dữ liệu riêng của bạn";

#[test]
fn the_first_command_on_the_default_file_says_so_once() {
    let sb = Sandbox::new();
    let db = default_file(&sb);
    assert!(!db.exists());
    let out = sb
        .cchc()
        .args(["tasks", "--format", "json"])
        .output()
        .unwrap();
    // Stdout stays data: the notice is on stderr only.
    let tasks = json(&out);
    assert!(!tasks.as_array().unwrap().is_empty());
    let err = stderr(&out);
    let notice: Vec<&str> = err.lines().filter(|l| l.contains(NOTICE_VI)).collect();
    assert_eq!(notice.len(), 1, "one line says it:\n{err}");
    let line = notice[0];
    assert!(line.starts_with("cchc: "), "{line}");
    assert!(line.contains(&db.display().to_string()), "where: {line}");
    assert!(line.contains("không ai khác thấy"), "nobody else: {line}");
    for how in ["--db", "CCHC_DB", "db = ", "config.toml"] {
        assert!(line.contains(how), "{how} missing: {line}");
    }
    assert!(db.exists());

    // The second run finds the file and says nothing about creating it.
    let again = sb.cchc().arg("areas").output().unwrap();
    assert_success(&again);
    assert!(!stderr(&again).contains(NOTICE_VI), "{}", stderr(&again));
    assert!(!stderr(&again).contains("riêng"), "{}", stderr(&again));
}

#[test]
fn the_notice_follows_the_language() {
    let sb = Sandbox::new();
    let out = sb.cchc().args(["--lang", "en", "areas"]).output().unwrap();
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("created your own database at")
            && err.contains("nobody else sees it")
            && err.contains("--db PATH, CCHC_DB"),
        "{err}"
    );
    assert!(!err.contains(NOTICE_VI), "{err}");
}

#[test]
fn a_named_file_is_never_called_private() {
    let sb = Sandbox::new();
    let db = sb.init_db("shared.sqlite3");
    let out = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .arg("areas")
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(stderr(&out), "", "nothing is said with --db");
    let out = sb.cchc().env("CCHC_DB", &db).arg("areas").output().unwrap();
    assert_success(&out);
    assert_eq!(stderr(&out), "", "nothing is said with CCHC_DB");
    // Naming the default file itself is naming a file: it is not created behind anyone's back
    // (a missing named file is an error that says `cchc init`).
    let missing = default_file(&sb);
    let out = sb
        .cchc()
        .arg("--db")
        .arg(&missing)
        .arg("areas")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!stderr(&out).contains(NOTICE_VI), "{}", stderr(&out));
    assert!(!missing.exists());
}

fn start(sb: &Sandbox, extra: &[&str]) -> Tui {
    let mut args: Vec<OsString> = vec!["--today".into(), TODAY.into()];
    args.extend(extra.iter().map(Into::into));
    let tui = Tui::run_args(sb, &args, 100, 30, Some("tester"), &[]);
    tui.wait_for("the task screen", |s| s.contains("01/01/2027"));
    tui
}

#[test]
fn the_screen_shows_a_banner_on_first_start_and_your_own_file_while_in_use() {
    let sb = Sandbox::new();
    let tui = start(&sb, &[]);
    let screen = tui.wait_for("the banner and the status bar", |s| {
        s.contains("TỆP RIÊNG CỦA BẠN") && s.contains("tệp riêng của bạn: ")
    });
    let first = screen.lines().next().unwrap_or_default();
    assert!(
        first.contains("TỆP RIÊNG CỦA BẠN vừa tạo, không ai khác thấy"),
        "the banner is the top line:\n{screen}"
    );
    assert!(
        screen.contains("tệp riêng của bạn: ~/data/cchc/cchc.sqlite3"),
        "status bar:\n{screen}"
    );
    let mut tui = tui;
    // The first key dismisses the banner; the status bar keeps the words.
    tui.send("j");
    tui.wait_for("the banner gone, the words kept", |s| {
        !s.contains("TỆP RIÊNG CỦA BẠN") && s.contains("tệp riêng của bạn: ")
    });
    assert!(tui.quit());

    // Second start: the file exists, no banner; the status bar still says whose file it is.
    let tui = start(&sb, &[]);
    let screen = tui.wait_for("the status bar", |s| s.contains("tệp riêng của bạn: "));
    assert!(!screen.contains("TỆP RIÊNG CỦA BẠN"), "{screen}");
    assert!(tui.quit());

    // In English.
    let tui = start(&sb, &["--lang", "en"]);
    let screen = tui.wait_for("the status bar", |s| s.contains("your own file: "));
    assert!(!screen.contains("YOUR OWN FILE"), "{screen}");
    assert!(tui.quit());

    // A named file: neither.
    let db = sb.init_db("shared.sqlite3");
    let tui = start(&sb, &["--db", db.to_str().unwrap()]);
    let screen = tui.wait_for("the task list", |s| s.contains("nhiệm vụ · xếp theo"));
    assert!(!screen.to_lowercase().contains("tệp riêng"), "{screen}");
    assert!(tui.quit());
}

#[test]
fn the_first_start_banner_in_english() {
    let sb = Sandbox::new();
    let tui = start(&sb, &["--lang", "en"]);
    let screen = tui.wait_for("the banner and the status bar", |s| {
        s.contains("YOUR OWN FILE") && s.contains("your own file: ")
    });
    assert!(
        screen.contains("YOUR OWN FILE, just created: nobody else sees it"),
        "{screen}"
    );
    assert!(
        screen.contains("your own file: ~/data/cchc/cchc.sqlite3"),
        "{screen}"
    );
    assert!(tui.quit());
}
