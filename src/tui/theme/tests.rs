use super::*;
use std::collections::HashSet;

fn parse_ok(src: &str) -> Theme {
    Theme::compile("test", src, "test theme", Theme::default_theme(), true).unwrap()
}

fn parse_err(src: &str) -> String {
    Theme::compile("test", src, "test theme", Theme::default_theme(), true).unwrap_err()
}

#[test]
fn semantic_names_round_trip() {
    let mut seen = HashSet::new();
    for (i, s) in Semantic::ALL.into_iter().enumerate() {
        assert_eq!(s.index(), i, "ALL must follow declaration order");
        assert!(seen.insert(s.name()));
        assert_eq!(Semantic::from_name(s.name()), Some(s));
    }
    assert_eq!(
        Semantic::from_name("border-focus"),
        Some(Semantic::BorderFocus)
    );
}

#[test]
fn builtins_define_every_style_themselves() {
    for (name, src) in BUILTIN {
        let parsed = parse_theme(src).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        assert!(parsed.inherits.is_none(), "{name} must not inherit");
        let defined: HashSet<Semantic> = parsed.styles.iter().map(|(s, _)| *s).collect();
        for s in Semantic::ALL {
            assert!(defined.contains(&s), "{name} does not define {}", s.name());
        }
        let theme = Theme::builtin(name).unwrap();
        assert_eq!(theme.name(), *name);
        let (loaded, warning) = Theme::load(name, None);
        assert_eq!(warning, None);
        assert_eq!(loaded, theme);
    }
    assert_eq!(Theme::default(), Theme::builtin("default").unwrap());
}

#[test]
fn builtins_differ_and_show_states_distinctly() {
    let themes: Vec<Theme> = Theme::builtin_names()
        .map(|n| Theme::builtin(n).unwrap())
        .collect();
    assert_ne!(themes[0], themes[1]);
    assert_ne!(themes[1], themes[2]);
    for theme in &themes {
        let states: HashSet<String> = DisplayState::ALL
            .into_iter()
            .map(|s| format!("{:?}", theme.state(s)))
            .collect();
        assert_eq!(states.len(), 5, "{}: two states look alike", theme.name());
    }
    let projector = &themes[2];
    assert!(
        projector
            .style(Semantic::Base)
            .add_modifier
            .contains(Modifier::BOLD)
    );
}

#[test]
fn missing_styles_fall_back_to_default_or_inherited() {
    let theme = parse_ok("[overdue]\nfg = \"magenta\"\n");
    assert_eq!(
        theme.style(Semantic::Overdue),
        Style::new().fg(Color::Magenta)
    );
    let default = Theme::default_theme();
    assert_eq!(
        theme.style(Semantic::Selected),
        default.style(Semantic::Selected)
    );
    let theme = parse_ok("inherits = \"projector\"\n[overdue]\nfg = 1\n");
    let projector = Theme::builtin("projector").unwrap();
    assert_eq!(
        theme.style(Semantic::Overdue),
        Style::new().fg(Color::Indexed(1))
    );
    assert_eq!(theme.style(Semantic::Base), projector.style(Semantic::Base));
    assert_eq!(theme.name(), "test");
}

#[test]
fn styles_parse_every_attribute() {
    let theme = parse_ok(
        r##"
            [selected]
            fg = "#ff8000"
            bg = 236
            bold = true
            italic = true
            underline = true
            reversed = true
            [muted]
            fg = "light-blue"
            bg = "reset"
            bold = false
            "##,
    );
    assert_eq!(
        theme.style(Semantic::Selected),
        Style::new()
            .fg(Color::Rgb(255, 128, 0))
            .bg(Color::Indexed(236))
            .add_modifier(
                Modifier::BOLD | Modifier::ITALIC | Modifier::UNDERLINED | Modifier::REVERSED
            )
    );
    assert_eq!(
        theme.style(Semantic::Muted),
        Style::new()
            .fg(Color::LightBlue)
            .bg(Color::Reset)
            .remove_modifier(Modifier::BOLD)
    );
}

#[test]
fn colours_parse() {
    let colour = |toml_value: &str| {
        let src = format!("[base]\nfg = {toml_value}\n");
        Theme::compile("t", &src, "t", Theme::unstyled("t"), true)
            .map(|t| t.style(Semantic::Base).fg)
    };
    assert_eq!(colour("\"red\""), Ok(Some(Color::Red)));
    assert_eq!(colour("\"light-blue\""), Ok(Some(Color::LightBlue)));
    assert_eq!(colour("\"Dark Gray\""), Ok(Some(Color::DarkGray)));
    assert_eq!(colour("\"#00ff7f\""), Ok(Some(Color::Rgb(0, 255, 127))));
    assert_eq!(colour("208"), Ok(Some(Color::Indexed(208))));
    assert_eq!(colour("\"208\""), Ok(Some(Color::Indexed(208))));
    assert_eq!(colour("0x10"), Ok(Some(Color::Indexed(16))));
    for bad in [
        "256",
        "-1",
        "\"#fff\"",
        "\"#gggggg\"",
        "\"blu\"",
        "\"\"",
        "1.5",
        "true",
    ] {
        let err = colour(bad).unwrap_err();
        assert!(err.contains("is not a colour"), "{bad}: {err}");
        assert!(err.contains("line 2"), "{bad}: {err}");
    }
}

#[test]
fn errors_name_the_line_and_column() {
    let err = parse_err("[base]\nfg = \"red\"\n\n[overdu]\nfg = \"red\"\n");
    assert!(err.starts_with("test theme: line 4, column 2:"), "{err}");
    assert!(err.contains("unknown style \"overdu\""), "{err}");
    let err = parse_err("[base]\nfgg = \"red\"\n");
    assert!(
        err.contains("line 2, column 1") && err.contains("\"fgg\""),
        "{err}"
    );
    let err = parse_err("[base]\nbold = \"yes\"\n");
    assert!(
        err.contains("line 2") && err.contains("true or false"),
        "{err}"
    );
    let err = parse_err("base = \"red\"\n");
    assert!(
        err.contains("line 1") && err.contains("must be a table"),
        "{err}"
    );
    let err = parse_err("inherits = \"solarized\"\n");
    assert!(
        err.contains("line 1") && err.contains("not a built-in"),
        "{err}"
    );
    // Of two mistakes, the first in the file is reported, whatever the key order.
    let err = parse_err("[title]\nfg = \"nope\"\n[base]\nfg = \"nope\"\n");
    assert!(err.contains("line 2"), "{err}");
    let err = parse_err("[base]\nzz = 1\naa = 1\n");
    assert!(err.contains("line 2") && err.contains("\"zz\""), "{err}");
    // A syntax error: toml's own message, located.
    let err = parse_err("[base]\nfg = \"red\n");
    assert!(err.starts_with("test theme: line 2, column"), "{err}");
    assert!(!err.contains('\n'), "one line: {err}");
}

#[test]
fn user_file_wins_over_builtin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("projector.toml"),
        "inherits = \"projector\"\n[overdue]\nfg = \"magenta\"\n",
    )
    .unwrap();
    let (theme, warning) = Theme::load("projector", Some(dir.path()));
    assert_eq!(warning, None);
    assert_eq!(
        theme.style(Semantic::Overdue),
        Style::new().fg(Color::Magenta)
    );
    let (light, warning) = Theme::load("light", Some(dir.path()));
    assert_eq!(warning, None);
    assert_eq!(light, Theme::builtin("light").unwrap());
    std::fs::write(dir.path().join("mine.toml"), "[title]\nfg = 33\n").unwrap();
    let (mine, warning) = Theme::load("mine", Some(dir.path()));
    assert_eq!(warning, None);
    assert_eq!(mine.name(), "mine");
    assert_eq!(
        mine.style(Semantic::Title),
        Style::new().fg(Color::Indexed(33))
    );
}

#[test]
fn bad_user_file_warns_with_path_and_line_and_falls_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        "# my theme\n[base]\nfg = \"white\"\nbg = \"chartreuse-ish\"\n",
    )
    .unwrap();
    let (theme, warning) = Theme::load("mine", Some(dir.path()));
    let warning = warning.unwrap();
    assert!(warning.contains(&path.display().to_string()), "{warning}");
    assert!(warning.contains("line 4"), "{warning}");
    assert!(warning.contains("using the default theme"), "{warning}");
    assert_eq!(theme, Theme::default_theme());
    // A broken override of a built-in falls back to that built-in, not to `default`.
    std::fs::write(dir.path().join("projector.toml"), "[base\n").unwrap();
    let (theme, warning) = Theme::load("projector", Some(dir.path()));
    let warning = warning.unwrap();
    assert!(warning.contains("projector.toml: line 1"), "{warning}");
    assert!(warning.contains("using the projector theme"), "{warning}");
    assert_eq!(theme, Theme::builtin("projector").unwrap());
}

#[test]
fn unknown_or_invalid_names_fall_back_to_default() {
    let (theme, warning) = Theme::load("solarized", None);
    assert_eq!(theme, Theme::default_theme());
    let warning = warning.unwrap();
    assert!(warning.contains("unknown theme \"solarized\""), "{warning}");
    assert!(warning.contains("default, light, projector"), "{warning}");
    for bad in ["../etc/passwd", "", "a b"] {
        let (theme, warning) = Theme::load(bad, None);
        assert_eq!(theme, Theme::default_theme());
        assert!(warning.is_some(), "{bad}");
    }
    let (theme, warning) = Theme::load(" light ", None);
    assert_eq!(warning, None);
    assert_eq!(theme.name(), "light");
}
