use super::*;
use crossterm::event::KeyModifiers;
use std::collections::HashSet;

fn key(s: &str) -> Key {
    s.parse().unwrap()
}

fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

fn keys_table(src: &str) -> toml::Table {
    let file: toml::Table = toml::from_str(src).unwrap();
    match file.get("keys") {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => toml::Table::new(),
    }
}

#[test]
fn every_default_key_resolves_to_its_action() {
    let keymap = Keymap::default();
    for b in DEFAULT_BINDINGS {
        assert_eq!(
            keymap.resolve(&b.key.to_event(), b.context),
            Some(b.action),
            "{} in {:?}",
            b.key,
            b.context
        );
    }
}

#[test]
fn default_table_has_one_action_per_context_and_key() {
    let mut seen = HashSet::new();
    for b in DEFAULT_BINDINGS {
        assert!(
            seen.insert((b.context, b.key)),
            "{} bound twice in {:?}",
            b.key,
            b.context
        );
        // The const table is written in normalised form.
        assert_eq!(Key::new(b.key.code, b.key.mods), b.key);
    }
}

#[test]
fn default_keys_round_trip_through_the_notation() {
    for b in DEFAULT_BINDINGS {
        assert_eq!(key(&b.key.to_string()), b.key, "{}", b.key);
    }
}

#[test]
fn help_lists_every_action_in_both_languages() {
    for lang in [Lang::Vi, Lang::En] {
        let help = Keymap::default().help(lang);
        let listed: HashSet<Action> = help
            .iter()
            .flat_map(|s| s.entries.iter().map(|e| e.action))
            .collect();
        for &action in Action::ALL {
            assert!(listed.contains(&action), "{action} missing from help");
        }
        for section in &help {
            assert!(!section.title.is_empty());
            for entry in &section.entries {
                // Commands that take an argument are listed by their `:name`.
                assert!(!entry.keys.is_empty() || entry.action.command().is_some());
                assert!(!entry.keys_label().is_empty());
                assert_eq!(entry.description, entry.action.description(lang));
            }
        }
    }
}

#[test]
fn help_groups_keys_of_one_action() {
    let help = Keymap::default().help(Lang::En);
    let global = help.iter().find(|s| s.context == Context::Global).unwrap();
    let down = global
        .entries
        .iter()
        .find(|e| e.action == Action::MoveDown)
        .unwrap();
    assert_eq!(down.keys_label(), "j, down");
    assert_eq!(global.title, "Everywhere");
}

#[test]
fn context_bindings_shadow_global_ones() {
    let keymap = Keymap::default();
    let right = press(KeyCode::Right, KeyModifiers::NONE);
    assert_eq!(
        keymap.resolve(&right, Context::Meeting),
        Some(Action::NextSlide)
    );
    assert_eq!(
        keymap.resolve(&right, Context::Browse),
        Some(Action::NextPane)
    );
    assert_eq!(keymap.resolve(&right, Context::Help), None);
    // Global keys reach every screen (and the popups where nothing is typed; in a text field
    // `j` is text).
    let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
    for context in Context::ALL {
        if context.takes_text() {
            assert_eq!(keymap.resolve(&j, context), None, "{context:?}");
            continue;
        }
        assert_eq!(keymap.resolve(&j, context), Some(Action::MoveDown));
    }
    // Screen keys stay on their screen: `r` urges an agency on the task list, records a
    // measurement on the indicators, and means nothing in meeting mode.
    let r = press(KeyCode::Char('r'), KeyModifiers::NONE);
    assert_eq!(keymap.resolve(&r, Context::Browse), Some(Action::Remind));
    assert_eq!(keymap.resolve(&r, Context::Meeting), None);
    assert_eq!(
        keymap.resolve(&r, Context::Indicators),
        Some(Action::RecordMeasurement)
    );
}

#[test]
fn shift_is_normalised() {
    let keymap = Keymap::default();
    let ctx = Context::Browse;
    for ev in [
        press(KeyCode::Char('G'), KeyModifiers::NONE),
        press(KeyCode::Char('G'), KeyModifiers::SHIFT),
        press(KeyCode::Char('g'), KeyModifiers::SHIFT),
    ] {
        assert_eq!(keymap.resolve(&ev, ctx), Some(Action::Bottom), "{ev:?}");
    }
    assert_eq!(
        keymap.resolve(&press(KeyCode::Char('g'), KeyModifiers::NONE), ctx),
        Some(Action::Top)
    );
    // Shifted punctuation arrives with or without SHIFT depending on the terminal.
    assert_eq!(
        keymap.resolve(&press(KeyCode::Char('?'), KeyModifiers::SHIFT), ctx),
        Some(Action::Help)
    );
    for ev in [
        press(KeyCode::BackTab, KeyModifiers::NONE),
        press(KeyCode::BackTab, KeyModifiers::SHIFT),
        press(KeyCode::Tab, KeyModifiers::SHIFT),
    ] {
        assert_eq!(keymap.resolve(&ev, ctx), Some(Action::PrevPane), "{ev:?}");
    }
    assert_eq!(key("shift-tab"), key("backtab"));
    assert_eq!(key("shift-g"), key("G"));
    assert_eq!(key("ctrl-G"), key("ctrl-g"));
    // Modifiers the keymap does not use are ignored.
    assert_eq!(Key::new(KeyCode::Char('j'), KeyModifiers::SUPER), key("j"));
}

#[test]
fn notation_parses_and_formats() {
    for (text, code, mods) in [
        ("j", KeyCode::Char('j'), KeyModifiers::NONE),
        ("G", KeyCode::Char('G'), KeyModifiers::NONE),
        ("/", KeyCode::Char('/'), KeyModifiers::NONE),
        ("-", KeyCode::Char('-'), KeyModifiers::NONE),
        ("ctrl--", KeyCode::Char('-'), KeyModifiers::CONTROL),
        ("enter", KeyCode::Enter, KeyModifiers::NONE),
        ("Esc", KeyCode::Esc, KeyModifiers::NONE),
        ("space", KeyCode::Char(' '), KeyModifiers::NONE),
        ("pagedown", KeyCode::PageDown, KeyModifiers::NONE),
        ("pgup", KeyCode::PageUp, KeyModifiers::NONE),
        ("f1", KeyCode::F(1), KeyModifiers::NONE),
        ("F12", KeyCode::F(12), KeyModifiers::NONE),
        ("ctrl-d", KeyCode::Char('d'), KeyModifiers::CONTROL),
        ("Ctrl+U", KeyCode::Char('u'), KeyModifiers::CONTROL),
        ("alt-x", KeyCode::Char('x'), KeyModifiers::ALT),
        ("shift-up", KeyCode::Up, KeyModifiers::SHIFT),
        (
            "ctrl-alt-delete",
            KeyCode::Delete,
            KeyModifiers::CONTROL.union(KeyModifiers::ALT),
        ),
        ("đ", KeyCode::Char('đ'), KeyModifiers::NONE),
    ] {
        let parsed = key(text);
        assert_eq!(parsed, Key::new(code, mods), "{text}");
        assert_eq!(key(&parsed.to_string()), parsed, "{text}");
    }
    assert_eq!(key("ctrl-d").to_string(), "ctrl-d");
    assert_eq!(key("backtab").to_string(), "shift-tab");
    assert_eq!(key("space").to_string(), "space");
    assert_eq!(key("return").to_string(), "enter");
}

#[test]
fn bad_key_strings_are_errors_naming_the_input() {
    for bad in [
        "", "ctrl-", "jj", "enterr", "f0", "f25", "hyper-x", "ctrl-foo",
    ] {
        let err = bad.parse::<Key>().unwrap_err().to_string();
        assert!(err.contains(&format!("{bad:?}")), "{err}");
    }
}

#[test]
fn overrides_bind_in_the_actions_home_screen() {
    let (keymap, warnings) = Keymap::from_config(&keys_table(
        r#"
            [keys]
            "x" = "toggle_overdue"
            "ctrl-n" = "next_slide"
            "#,
    ));
    assert_eq!(warnings, Vec::<String>::new());
    let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
    assert_eq!(
        keymap.resolve(&x, Context::Browse),
        Some(Action::ToggleOverdue)
    );
    assert_eq!(keymap.resolve(&x, Context::Meeting), None);
    // The default key still works: new keys add, "none" removes.
    let o = press(KeyCode::Char('o'), KeyModifiers::NONE);
    assert_eq!(
        keymap.resolve(&o, Context::Browse),
        Some(Action::ToggleOverdue)
    );
    assert_eq!(
        keymap.resolve(&key("ctrl-n").to_event(), Context::Meeting),
        Some(Action::NextSlide)
    );
    assert_eq!(
        keymap.keys_for(Action::ToggleOverdue, Context::Browse),
        vec![key("o"), key("x")]
    );
}

#[test]
fn overrides_replace_and_unbind() {
    let (keymap, warnings) = Keymap::from_config(&keys_table(
        r#"
            [keys]
            "o" = "none"
            "j" = "quit"
            [keys.meeting]
            "n" = "next_slide"
            "h" = "none"
            [keys.browse]
            "q" = "none"
            "#,
    ));
    assert_eq!(warnings, Vec::<String>::new());
    let o = key("o").to_event();
    assert_eq!(keymap.resolve(&o, Context::Browse), None);
    // A global binding means the same on every screen (a text field types `j`).
    let j = key("j").to_event();
    for context in Context::ALL.into_iter().filter(|c| !c.takes_text()) {
        assert_eq!(keymap.resolve(&j, context), Some(Action::Quit));
    }
    assert_eq!(
        keymap.resolve(&key("n").to_event(), Context::Meeting),
        Some(Action::NextSlide)
    );
    assert_eq!(
        keymap.resolve(&key("n").to_event(), Context::Browse),
        Some(Action::AddNote)
    );
    // Unbinding in one screen does not fall through to a global meaning.
    assert_eq!(keymap.resolve(&key("h").to_event(), Context::Meeting), None);
    assert_eq!(keymap.resolve(&key("q").to_event(), Context::Browse), None);
    assert_eq!(
        keymap.resolve(&key("q").to_event(), Context::Meeting),
        Some(Action::Close)
    );
    // The help screen shows the merged table.
    let help = keymap.help(Lang::En);
    let browse = help.iter().find(|s| s.context == Context::Browse).unwrap();
    assert!(
        !browse
            .entries
            .iter()
            .any(|e| e.action == Action::ToggleOverdue)
    );
}

#[test]
fn bad_overrides_warn_and_the_rest_applies() {
    let (keymap, warnings) = Keymap::from_config(&keys_table(
        r#"
            [keys]
            "jj" = "move_down"
            "x" = "toggle_overdu"
            "y" = "frobnicate"
            "z" = 3
            "w" = "cycle_sort"
            [keys.meting]
            "n" = "next_slide"
            [keys.meeting]
            "b" = ["prev_slide"]
            "#,
    ));
    assert_eq!(warnings.len(), 6, "{warnings:#?}");
    assert!(warnings[0].contains("\"jj\"") && warnings[0].contains("unknown key"));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("\"x\"") && w.contains("did you mean \"toggle_overdue\""))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("\"y\"") && w.contains("next_slide") && !w.contains("mean"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("\"z\"") && w.contains("found 3"))
    );
    assert!(warnings.iter().any(|w| w.contains("[keys.meting]")));
    assert!(warnings.iter().any(|w| w.contains("[keys.meeting] \"b\"")));
    assert_eq!(
        keymap.resolve(&key("w").to_event(), Context::Browse),
        Some(Action::CycleSort)
    );
}

#[test]
fn ctrl_c_always_quits() {
    let (keymap, warnings) = Keymap::from_config(&keys_table(
        r#"
            [keys]
            "ctrl-c" = "none"
            "q" = "none"
            [keys.meeting]
            "ctrl-c" = "next_slide"
            [keys.help]
            "ctrl-c" = "none"
            "#,
    ));
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(warnings.iter().all(|w| w.contains("ctrl-c always quits")));
    let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
    for context in Context::ALL {
        assert_eq!(keymap.resolve(&ctrl_c, context), Some(Action::Quit));
    }
    // Even a keymap built by hand cannot lose it.
    let mut keymap = Keymap::default();
    assert!(keymap.unbind(None, CTRL_C).is_err());
    assert!(keymap.bind(Context::Global, CTRL_C, Action::Help).is_err());
    assert_eq!(keymap.resolve(&ctrl_c, Context::Browse), Some(Action::Quit));
    // Rebinding it to quit is harmless.
    assert!(keymap.bind(Context::Global, CTRL_C, Action::Quit).is_ok());
}

#[test]
fn releases_are_ignored() {
    let keymap = Keymap::default();
    let mut ev = key("j").to_event();
    ev.kind = KeyEventKind::Release;
    assert_eq!(keymap.resolve(&ev, Context::Browse), None);
    ev.kind = KeyEventKind::Repeat;
    assert_eq!(keymap.resolve(&ev, Context::Browse), Some(Action::MoveDown));
}

#[test]
fn keys_for_respects_shadowing() {
    let keymap = Keymap::default();
    assert_eq!(
        keymap.keys_for(Action::Help, Context::Browse),
        vec![key("?"), key("f1")]
    );
    // In meeting mode pagedown turns the slide, so it is not a page-down key there.
    assert_eq!(
        keymap.keys_for(Action::PageDown, Context::Meeting),
        vec![key("ctrl-f")]
    );
}

#[test]
fn edit_distance_basics() {
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("toggle_overdu", "toggle_overdue"), 1);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
}

#[test]
fn popups_and_text_fields_resolve_along_their_chain() {
    let keymap = Keymap::default();
    let r = |k: &str, c: Context| keymap.resolve_key(key(k), c);
    // A form: its own keys, then the text field's, then every popup's; never Global's.
    assert_eq!(r("tab", Context::Form), Some(Action::NextField));
    assert_eq!(r("left", Context::Form), Some(Action::CursorLeft));
    assert_eq!(r("enter", Context::Form), Some(Action::Confirm));
    assert_eq!(r("esc", Context::Form), Some(Action::Cancel));
    assert_eq!(r("ctrl-d", Context::Form), None);
    // The long-note box: Enter is a line break, ctrl-s and alt-enter save.
    assert_eq!(r("enter", Context::LongNote), Some(Action::NewLine));
    assert_eq!(r("ctrl-s", Context::LongNote), Some(Action::Confirm));
    assert_eq!(r("alt-enter", Context::LongNote), Some(Action::Confirm));
    // Where nothing is typed, Global's keys still reach the popup.
    assert_eq!(r("j", Context::StatusPicker), Some(Action::MoveDown));
    assert_eq!(r("3", Context::StatusPicker), Some(Action::PickStatus3));
    assert_eq!(r("q", Context::Notice), Some(Action::Close));
    assert_eq!(r("y", Context::Confirm), Some(Action::Confirm));
    assert_eq!(r("esc", Context::Search), Some(Action::Cancel));
    assert_eq!(r("tab", Context::Command), Some(Action::Complete));
    assert_eq!(r("ctrl-w", Context::Command), Some(Action::DeleteWord));
}

#[test]
fn a_global_binding_leaves_popups_and_text_fields_their_keys() {
    let (keymap, warnings) = Keymap::from_config(&keys_table(
        "[keys.global]\n\"enter\" = \"help\"\n\"left\" = \"top\"\n",
    ));
    assert_eq!(warnings, Vec::<String>::new());
    let r = |k: &str, c: Context| keymap.resolve_key(key(k), c);
    assert_eq!(r("enter", Context::Browse), Some(Action::Help));
    assert_eq!(r("left", Context::Browse), Some(Action::Top));
    assert_eq!(r("enter", Context::Popup), Some(Action::Confirm));
    assert_eq!(r("left", Context::Text), Some(Action::CursorLeft));
    // Unbinding in a popup's own table stops the fall-through to every popup's key.
    let (keymap, _) = Keymap::from_config(&keys_table("[keys.confirm]\n\"enter\" = \"none\"\n"));
    assert_eq!(keymap.resolve_key(key("enter"), Context::Confirm), None);
    assert_eq!(
        keymap.resolve_key(key("enter"), Context::Notice),
        Some(Action::Confirm)
    );
}
