use super::*;

fn parse(src: &str) -> (ConfigFile, Vec<String>) {
    ConfigFile::parse(src, Path::new("/etc/cchc/config.toml"))
}

#[test]
fn a_full_file_parses() {
    let (config, warnings) = parse(
        r#"
            lang = "en"
            theme = "projector"
            user = "Nguyễn Văn A"
            db = "/srv/cchc/cchc.db"

            [keys]
            "x" = "toggle_overdue"
            [keys.meeting]
            "n" = "next_slide"
            "#,
    );
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(config.lang, Some(Lang::En));
    assert_eq!(config.theme.as_deref(), Some("projector"));
    assert_eq!(config.user.as_deref(), Some("Nguyễn Văn A"));
    assert_eq!(config.db, Some(PathBuf::from("/srv/cchc/cchc.db")));
    assert_eq!(
        config.keys.get("x").and_then(|v| v.as_str()),
        Some("toggle_overdue")
    );
    assert!(config.keys.get("meeting").is_some_and(|v| v.is_table()));
    assert_eq!(config.path, Some(PathBuf::from("/etc/cchc/config.toml")));
}

#[test]
fn the_report_table_overrides_the_defaults_and_warns_per_entry() {
    let (config, warnings) = parse(
        r#"
            [report]
            number = " 125 "
            signer_authority = "KT. GIÁM ĐỐC"
            signer_position = "PHÓ GIÁM ĐỐC"
            copies_to = ["Như trên", "Lưu: VT"]
            signer_name = 7
            sinature = "x"
            "#,
    );
    let r = &config.report;
    assert_eq!(r.number, "125");
    assert_eq!(r.signer_authority, "KT. GIÁM ĐỐC");
    assert_eq!(r.copies_to, vec!["Như trên".to_string(), "Lưu: VT".into()]);
    // Untouched settings keep Sở Nội vụ's defaults.
    assert_eq!(r.agency, "SỞ NỘI VỤ");
    assert_eq!(r.signer_name, "");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("line 7") && warnings[0].contains("report.signer_name"));
    assert!(warnings[1].contains("line 8") && warnings[1].contains("report.sinature"));
    assert_eq!(ConfigFile::default().report, ReportConfig::default());
}

#[test]
fn an_empty_file_is_an_empty_config() {
    let (config, warnings) = parse("# nothing yet\n");
    assert!(warnings.is_empty());
    assert_eq!(config.lang, None);
    assert!(config.keys.is_empty());
}

#[test]
fn relative_db_is_next_to_the_file() {
    let (config, _) = parse("db = \"data/cchc.db\"\n");
    assert_eq!(config.db, Some(PathBuf::from("/etc/cchc/data/cchc.db")));
    let (config, _) = parse("db = \"~/cchc.db\"\n");
    if let Some(dirs) = directories::BaseDirs::new() {
        assert_eq!(config.db, Some(dirs.home_dir().join("cchc.db")));
    }
}

#[test]
fn a_server_url_is_kept_as_written() {
    let url = "postgres://ha@db.cchc.langson.gov.vn:5432/cchc_langson?sslmode=verify-full";
    let (config, warnings) = parse(&format!("db = \"{url}\"\n"));
    assert_eq!(config.db, Some(PathBuf::from(url)));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn bad_values_warn_with_line_and_the_rest_applies() {
    let (config, warnings) =
        parse("lang = \"fr\"\ntheme = \"light\"\nuser = \"  \"\nthem = \"x\"\ndb = 3\nkeys = 1\n");
    assert_eq!(warnings.len(), 5, "{warnings:#?}");
    assert!(warnings[0].starts_with("config file /etc/cchc/config.toml: line 1, column 8:"));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("line 3") && w.contains("user"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("line 4, column 1") && w.contains("unknown setting \"them\""))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("line 5") && w.contains("db"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("line 6") && w.contains("keys"))
    );
    assert_eq!(config.theme.as_deref(), Some("light"));
    assert_eq!(config.lang, None);
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let (config, warnings) = parse("lang = \"vi\"\n\ntheme = projector\n");
    assert_eq!(warnings.len(), 1);
    let w = &warnings[0];
    assert!(
        w.starts_with("config file /etc/cchc/config.toml: line 3, column 9:"),
        "{w}"
    );
    assert!(w.ends_with("the whole file is ignored"), "{w}");
    assert!(!w.contains('\n'));
    assert_eq!(config.lang, None);
}

#[test]
fn missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let (config, warnings) = ConfigFile::load_from(&missing, false);
    assert!(warnings.is_empty());
    assert_eq!(config, ConfigFile::default());
    let (_, warnings) = ConfigFile::load_with_env(Some(missing.clone().into()));
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("nope.toml") && warnings[0].contains(CONFIG_ENV));
}

#[test]
fn env_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, "lang = \"en\"\n").unwrap();
    let (config, warnings) = ConfigFile::load_with_env(Some(path.clone().into()));
    assert!(warnings.is_empty());
    assert_eq!(config.lang, Some(Lang::En));
    assert_eq!(config.path, Some(path));
}

#[test]
fn paths_hang_off_the_config_dir() {
    if let Some(dir) = config_dir() {
        assert_eq!(default_config_path(), Some(dir.join("config.toml")));
        assert_eq!(user_theme_dir(), Some(dir.join("themes")));
    }
}

#[test]
fn line_column_counts_characters() {
    let src = "a = 1\nđây = 2\n";
    assert_eq!(line_column(src, 0), (1, 1));
    assert_eq!(line_column(src, 6), (2, 1));
    let eq = src.find('=').map(|_| src.rfind('=').unwrap()).unwrap();
    assert_eq!(line_column(src, eq), (2, 5));
    assert_eq!(line_column(src, 10_000), (3, 1));
    assert_eq!(locate("f", src, None, "oops\nmore"), "f: oops; more");
}
