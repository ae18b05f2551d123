//! `save_view`: the config file edited in place, read back by `ConfigFile::load_from`.

use super::*;
use crate::view::{SavedView, Sort};

fn snv() -> SavedView {
    SavedView {
        agency: Some("SNV".into()),
        overdue: true,
        sort: Some(Sort::Due),
        ..SavedView::default()
    }
}

#[test]
fn a_missing_file_and_directory_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cchc").join("config.toml");
    save_view(&path, "snv", &snv()).unwrap();
    let (config, warnings) = ConfigFile::load_from(&path, true);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.views.get("snv"), Some(&snv()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[views.snv]"), "{text}");
    assert!(!text.contains("[views]\n"), "{text}");
}

#[test]
fn comments_and_other_settings_are_kept_and_a_view_saved_again_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let original = "# Lan's settings\nlang = \"en\"   # English please\n\n[keys]\n\"x\" = \"toggle_overdue\"\n\n[views.old]\noverdue = true # keep me\n";
    std::fs::write(&path, original).unwrap();
    save_view(&path, "snv", &snv()).unwrap();
    let mut other = snv();
    other.agency = Some("STP".into());
    other.search = Some("báo cáo \"quý\"".into());
    save_view(&path, "snv", &other).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(original), "{text}");
    assert_eq!(text.matches("[views.snv]").count(), 1, "{text}");
    let (config, warnings) = ConfigFile::load_from(&path, true);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.lang, Some(Lang::En));
    assert_eq!(config.views.get("snv"), Some(&other));
    assert!(config.views["old"].overdue);
    assert!(config.keys.contains_key("x"));
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn a_broken_file_or_a_bad_name_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let broken = "lang = \"vi\"\n[keys\n";
    std::fs::write(&path, broken).unwrap();
    let e = save_view(&path, "snv", &snv()).unwrap_err();
    assert!(e.contains("line 2") && e.contains("fix it"), "{e}");
    assert!(!e.contains('\n'));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);

    std::fs::write(&path, "lang = \"vi\"\n").unwrap();
    let e = save_view(&path, "a b", &snv()).unwrap_err();
    assert!(e.contains("letters, digits"), "{e}");
    let e = save_view(&path, "", &snv()).unwrap_err();
    assert!(e.contains("letters, digits"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "lang = \"vi\"\n");

    // `views` that is not a table cannot take a view.
    std::fs::write(&path, "views = 3\n").unwrap();
    let e = save_view(&path, "snv", &snv()).unwrap_err();
    assert!(e.contains("views is not a table"), "{e}");
}

#[test]
fn bad_views_in_the_file_warn_with_their_line_of_origin() {
    let (config, warnings) = ConfigFile::parse(
        "[views.mine]\nsort = \"name\"\noverdue = true\n",
        Path::new("/etc/cchc/config.toml"),
    );
    assert!(config.views["mine"].overdue);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("/etc/cchc/config.toml") && warnings[0].contains("[views.mine]"));
}

#[cfg(unix)]
#[test]
fn a_linked_config_file_stays_a_link_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles-config.toml");
    std::fs::write(&real, "lang = \"en\"\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("config.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    save_view(&link, "snv", &snv()).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with("lang = \"en\"\n") && text.contains("[views.snv]"),
        "{text}"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}
