//! Issue 11: every key in the keymap table. A key rebound in the config file's `[keys.popup]`,
//! `[keys.status_picker]`, `[keys.text]` … tables works in that popup or field and shows as its
//! new key in the hints; a plain character where it would be typed is refused in one line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::{Lang, Status};

use super::action::Action;
use super::keymap::{Context, Keymap};
use super::testkit::{self, Fixture, Setup, draw_text, fixture};

fn keymap(config: &str) -> Keymap {
    let file: toml::Table = toml::from_str(config).unwrap();
    let Some(toml::Value::Table(keys)) = file.get("keys") else {
        panic!("no [keys] in {config}");
    };
    let (keymap, warnings) = Keymap::from_config(keys);
    assert_eq!(warnings, Vec::<String>::new());
    keymap
}

fn warnings(config: &str) -> Vec<String> {
    let file: toml::Table = toml::from_str(config).unwrap();
    let Some(toml::Value::Table(keys)) = file.get("keys") else {
        panic!("no [keys] in {config}");
    };
    Keymap::from_config(keys).1
}

fn press(f: &mut Fixture, code: KeyCode, mods: KeyModifiers) {
    if let Some(msg) = f.app.key_msg(&KeyEvent::new(code, mods)) {
        f.app.update(msg);
    }
}

fn type_keys(f: &mut Fixture, text: &str) {
    for c in text.chars() {
        press(f, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

/// The status bar's last line.
fn hint_line(f: &Fixture) -> String {
    draw_text(f).lines().last().unwrap_or_default().to_string()
}

fn app_with(config: &str, lang: Lang) -> Fixture {
    let mut f = fixture(Setup {
        lang,
        ..Default::default()
    });
    f.app.settings.keymap = keymap(config);
    f
}

#[test]
fn a_rebound_popup_key_saves_the_prompt_and_shows_in_its_hints() {
    let mut f = app_with(
        "[keys.popup]\n\"f2\" = \"confirm\"\n\"enter\" = \"none\"\n",
        Lang::En,
    );
    let id = f.app.selected_task().unwrap().id;
    press(&mut f, KeyCode::Char('p'), KeyModifiers::NONE);
    assert_eq!(f.app.context(), Context::Popup);
    press(&mut f, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_keys(&mut f, "60");
    // Both the status bar and the popup's own line name the new key, and no longer Enter.
    let screen = draw_text(&f);
    assert!(screen.contains("f2: save · esc: cancel"), "{screen}");
    let hints = hint_line(&f);
    assert!(
        hints.contains("f2 save") && !hints.contains("enter"),
        "{hints}"
    );
    // Enter is unbound in popups now: nothing happens.
    press(&mut f, KeyCode::Enter, KeyModifiers::NONE);
    assert!(f.app.popup.is_some());
    assert_ne!(f.app.store().task(id).unwrap().progress, 60);
    press(&mut f, KeyCode::F(2), KeyModifiers::NONE);
    assert!(f.app.popup.is_none(), "f2 saved and closed the prompt");
    assert_eq!(f.app.store().task(id).unwrap().progress, 60);
}

#[test]
fn a_popup_binding_reaches_every_popup_and_a_narrower_one_wins() {
    // f2 confirms in every popup; in the confirmation `j` means yes too.
    let mut f = app_with(
        "[keys.popup]\n\"f2\" = \"confirm\"\n[keys.confirm]\n\"j\" = \"confirm\"\n",
        Lang::Vi,
    );
    let id = f.app.selected_task().unwrap().id;
    press(&mut f, KeyCode::Char('s'), KeyModifiers::NONE);
    assert_eq!(f.app.context(), Context::StatusPicker);
    press(&mut f, KeyCode::Down, KeyModifiers::NONE);
    let chosen = match &f.app.popup {
        Some(crate::tui::popups::Popup::Status(p)) => p.status(),
        other => panic!("{other:?}"),
    };
    press(&mut f, KeyCode::F(2), KeyModifiers::NONE);
    assert!(f.app.popup.is_none());
    assert_eq!(f.app.store().task(id).unwrap().status, chosen);
    // Two marked tasks: the confirmation takes `j`, and says so in its own line.
    press(&mut f, KeyCode::Char(' '), KeyModifiers::NONE);
    press(&mut f, KeyCode::Char('j'), KeyModifiers::NONE);
    press(&mut f, KeyCode::Char(' '), KeyModifiers::NONE);
    assert_eq!(f.app.browse.list.marked.len(), 2);
    press(&mut f, KeyCode::Char('p'), KeyModifiers::NONE);
    type_keys(&mut f, "45");
    press(&mut f, KeyCode::F(2), KeyModifiers::NONE);
    assert_eq!(f.app.context(), Context::Confirm);
    let screen = draw_text(&f);
    assert!(screen.contains("y/enter/Y/j/f2: đồng ý"), "{screen}");
    press(&mut f, KeyCode::Char('j'), KeyModifiers::NONE);
    assert!(f.app.popup.is_none());
    let marked: Vec<i64> = f.app.browse.list.marked.iter().copied().collect();
    for id in marked {
        assert_eq!(f.app.store().task(id).unwrap().progress, 45, "#{id}");
    }
}

#[test]
fn status_picker_digits_and_text_keys_are_bindings_too() {
    let mut f = app_with(
        "[keys.status_picker]\n\"x\" = \"pick_status_3\"\n\"3\" = \"none\"\n\
         [keys.text]\n\"ctrl-k\" = \"clear_field\"\n\"ctrl-u\" = \"none\"\n",
        Lang::En,
    );
    let id = f.app.selected_task().unwrap().id;
    press(&mut f, KeyCode::Char('s'), KeyModifiers::NONE);
    press(&mut f, KeyCode::Char('3'), KeyModifiers::NONE);
    assert!(f.app.popup.is_some(), "3 was unbound");
    // The picker names each status by its key as bound: x for the third, none for 3.
    let screen = draw_text(&f);
    let third = Status::ALL[2].label(Lang::En);
    assert!(screen.contains(&format!("x  {third}")), "{screen}");
    assert!(!screen.contains(&format!("3  {third}")), "{screen}");
    let first = Status::ALL[0].label(Lang::En);
    assert!(screen.contains(&format!("1  {first}")), "{screen}");
    press(&mut f, KeyCode::Char('x'), KeyModifiers::NONE);
    assert!(f.app.popup.is_none());
    assert_eq!(f.app.store().task(id).unwrap().status, Status::ALL[2]);
    // The search box: ctrl-k clears what was typed, ctrl-u no longer does.
    press(&mut f, KeyCode::Char('/'), KeyModifiers::NONE);
    assert_eq!(f.app.context(), Context::Search);
    type_keys(&mut f, "noi vu");
    press(&mut f, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(f.app.browse.list.search.input.text(), "noi vu");
    press(&mut f, KeyCode::Char('k'), KeyModifiers::CONTROL);
    assert_eq!(f.app.browse.list.search.input.text(), "");
    // The search box's hints come from the table too (once the message above is gone).
    f.app.messages.current = None;
    let hints = hint_line(&f);
    assert!(
        hints.contains("enter done") && hints.contains("esc clear search"),
        "{hints}"
    );
}

#[test]
fn help_and_search_hints_follow_a_rebinding() {
    let mut f = app_with(
        "[keys.help]\n\"x\" = \"back\"\n[keys.search]\n\"f3\" = \"confirm\"\n\"enter\" = \"none\"\n\
         \"tab\" = \"none\"\n\"shift-tab\" = \"none\"\n",
        Lang::En,
    );
    press(&mut f, KeyCode::Char('?'), KeyModifiers::NONE);
    assert_eq!(f.app.context(), Context::Help);
    let screen = draw_text(&f);
    assert!(screen.contains("x close"), "{screen}");
    press(&mut f, KeyCode::Char('x'), KeyModifiers::NONE);
    assert!(f.app.help.is_none());
    press(&mut f, KeyCode::Char('/'), KeyModifiers::NONE);
    assert!(hint_line(&f).contains("f3 done"), "{}", hint_line(&f));
    press(&mut f, KeyCode::F(3), KeyModifiers::NONE);
    assert!(!f.app.browse.list.search.editing);
}

#[test]
fn typing_stays_typing_and_binding_a_typed_character_is_refused() {
    for (config, table) in [
        ("[keys.text]\n\"x\" = \"clear_field\"\n", "[keys.text]"),
        ("[keys.popup]\n\"y\" = \"confirm\"\n", "[keys.popup]"),
        ("[keys.form]\n\"n\" = \"next_field\"\n", "[keys.form]"),
        ("[keys.search]\n\"Q\" = \"cancel\"\n", "[keys.search]"),
    ] {
        let warnings = warnings(config);
        assert_eq!(warnings.len(), 1, "{config}: {warnings:?}");
        let w = &warnings[0];
        assert!(!w.contains('\n'), "{w}");
        assert!(
            w.contains(table) && w.contains("typed as text") && w.contains("ctrl-"),
            "{w}"
        );
    }
    // The same character is fine where nothing is typed.
    assert_eq!(
        warnings("[keys.confirm]\n\"o\" = \"confirm\"\n"),
        Vec::<String>::new()
    );
    // In a note, `q` `j` and `?` are text, whatever the screens bind them to.
    let mut f = testkit::app();
    f.app.update(Action::AddNote);
    type_keys(&mut f, "qj?");
    match &f.app.popup {
        Some(crate::tui::popups::Popup::Note(p)) => assert_eq!(p.input().text(), "qj?"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_too_small_screen_quits_with_the_keys_the_keymap_gives_close() {
    let mut f = app_with("[keys]\n\"x\" = \"close\"\n\"q\" = \"none\"\n", Lang::Vi);
    f.app.update(super::app::Msg::Resize {
        width: 50,
        height: 12,
    });
    let screen = draw_text(&f);
    assert!(
        screen.contains("quá nhỏ") && screen.contains("x: thoát"),
        "{screen}"
    );
    assert!(!screen.contains("q: thoát"), "{screen}");
    // q is unbound: it does nothing; p (a key of the hidden list) neither; x quits.
    for c in ['q', 'p'] {
        let msg = f
            .app
            .key_msg(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(msg, None, "{c}");
    }
    let msg = f
        .app
        .key_msg(&KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE))
        .expect("x quits");
    assert_eq!(f.app.update(msg), super::app::Flow::Quit);
}
