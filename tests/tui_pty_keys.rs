//! Issue 11 in a real terminal: a popup key rebound in the config file's `[keys.popup]` saves
//! the percent prompt, the old key no longer does, and both the popup and the status bar name
//! the new key; a typed character bound where it is text is refused in the status bar while the
//! rest of the file applies.

mod common;

use common::pty::*;
use common::*;

fn start(sb: &Sandbox, db: &std::path::Path, config: &str) -> Tui {
    let path = sb.path("config.toml");
    std::fs::write(&path, config).unwrap();
    Tui::launch_with_env(
        sb,
        &[],
        db,
        TODAY,
        &[],
        120,
        35,
        Some("tester"),
        &[("CCHC_CONFIG", path.to_str().unwrap())],
    )
}

#[test]
fn a_rebound_popup_key_works_in_a_real_terminal_and_shows_in_its_hints() {
    let (sb, db) = setup();
    let mut tui = start(
        &sb,
        &db,
        "[keys.popup]\n\"ctrl-o\" = \"confirm\"\n\"enter\" = \"none\"\n\
         [keys.text]\n\"ctrl-k\" = \"clear_field\"\n",
    );
    let screen = tui.wait_for("the task screen", |s| s.contains("01/01/2027"));
    let id = selected_id(&screen);
    tui.send("p");
    let screen = tui.wait_for("the percent prompt naming ctrl-o", |s| {
        s.contains("Tiến độ (%)") && s.contains("ctrl-o: lưu")
    });
    let status = screen.lines().last().unwrap_or_default();
    assert!(status.contains("ctrl-o lưu"), "{screen}");
    assert!(!screen.contains("enter: lưu"), "{screen}");
    // ctrl-k (rebound) clears whatever the prompt holds; `x` is typed, then erased by
    // backspace; Enter is unbound in popups, so the prompt stays open.
    tui.send("\x0b60x\x7f\r");
    std::thread::sleep(std::time::Duration::from_millis(300));
    tui.wait_for("the prompt still open", |s| s.contains("Tiến độ (%)"));
    let show = ["task", "show", &id.to_string(), "--format", "json"];
    assert_ne!(cli_json(&sb, &db, &show)["progress"], 60);
    tui.send("\x0f");
    tui.wait_for("the saved message", |s| {
        s.contains(&format!("Đã lưu #{id}"))
    });
    assert_eq!(cli_json(&sb, &db, &show)["progress"], 60);
    assert!(tui.quit());
}

#[test]
fn a_typed_character_bound_in_a_text_field_is_refused_and_stays_text() {
    let (sb, db) = setup();
    let mut tui = start(
        &sb,
        &db,
        "[keys.text]\n\"x\" = \"clear_field\"\n[keys.browse]\n\"ctrl-o\" = \"toggle_overdue\"\n",
    );
    let screen = tui.wait_for("the warning", |s| s.contains("typed as text"));
    let status = screen.lines().last().unwrap_or_default();
    assert!(status.contains("[keys.text] \"x\""), "{screen}");
    // The rest of the file applies, and `x` is still typed in the search box.
    tui.send("\x0f");
    tui.wait_for("ctrl-o filtering overdue tasks", |s| {
        s.contains("chỉ quá hạn")
    });
    tui.send("/xyz");
    tui.wait_for("x typed into the search box", |s| s.contains("xyz"));
    // Enter leaves the box (q would be typed into it).
    tui.send("\r");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(tui.quit());
}

/// ctrl-z gives the terminal back to the shell (the job stopped, the screen as it was), `fg`
/// brings the screen back whole; F10 quits as in htop and mc. Run under a real interactive
/// bash, whose job control does the stopping and resuming.
#[test]
fn ctrl_z_suspends_to_the_shell_fg_resumes_and_f10_quits() {
    let (sb, db) = setup();
    let args: Vec<std::ffi::OsString> = ["--norc", "--noprofile", "-i"]
        .iter()
        .map(Into::into)
        .collect();
    let mut shell = Tui::run_program(
        &sb,
        std::ffi::OsStr::new("bash"),
        &args,
        100,
        30,
        Some("tester"),
        &[("PS1", "shell$ ")],
    );
    shell.wait_for("the prompt", |s| s.contains("shell$"));
    shell.send(&format!(
        "{} --db '{}' --today {TODAY}\r",
        env!("CARGO_BIN_EXE_cchc"),
        db.display()
    ));
    let before = shell.wait_for("the task screen", |s| s.contains("01/01/2027"));
    let id = selected_id(&before);
    shell.send("j");
    let moved = shell.wait_for("the next task", |s| selected_id(s) != id);
    let id = selected_id(&moved);
    shell.send("\x1a");
    shell.wait_for("the job stopped at the prompt", |s| {
        s.contains("Stopped") && s.lines().any(|l| l.starts_with("shell$"))
    });
    assert!(
        !shell.alternate_screen(),
        "the terminal is the shell's again"
    );
    shell.send("fg\r");
    let back = shell.wait_for("the screen again", |s| s.contains("01/01/2027"));
    assert!(shell.alternate_screen());
    assert_eq!(selected_id(&back), id, "where it was");
    // It still takes keys, and F10 quits.
    shell.send("j");
    shell.wait_for("the next task", |s| selected_id(s) != id);
    shell.send("\x1b[21~");
    shell.wait_for("the prompt after cchc", |s| {
        !s.contains("01/01/2027") && s.lines().filter(|l| l.starts_with("shell$")).count() >= 1
    });
    assert!(!shell.alternate_screen());
    shell.send("exit\r");
    assert!(shell.wait_exit());
}
