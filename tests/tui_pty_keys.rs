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
