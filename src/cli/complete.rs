//! The values shells complete (clap_complete's dynamic completion): the statuses and themes
//! from the program itself, the areas, agencies and indicators from the database the command
//! line names (`--db`, else `CCHC_DB`, the config file's `db`, the per-user file), the saved
//! views from the config file. The shell runs `COMPLETE=bash cchc -- cchc tasks --agency S` at
//! each Tab (`cchc completions SHELL` prints the script that does so); nothing is created or
//! written, and a database that cannot be opened completes nothing.

use std::ffi::OsString;
use std::path::PathBuf;

use clap_complete::engine::CompletionCandidate;

use crate::model::Status;
use crate::store::{OpenOptions, Store};

fn candidate(value: &str, help: &str) -> CompletionCandidate {
    CompletionCandidate::new(value).help(Some(help.to_string().into()))
}

/// The four statuses, with their Vietnamese names.
pub fn statuses() -> Vec<CompletionCandidate> {
    Status::ALL
        .iter()
        .map(|s| candidate(s.as_str(), s.label(crate::model::Lang::Vi)))
        .collect()
}

/// The built-in themes and the user's own.
pub fn themes() -> Vec<CompletionCandidate> {
    let mut names: Vec<String> = crate::tui::theme::Theme::builtin_names()
        .map(String::from)
        .collect();
    if let Some(dir) = crate::config::user_theme_dir()
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for path in entries.flatten().map(|e| e.path()) {
            if path.extension().is_some_and(|e| e == "toml")
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
                && !names.iter().any(|n| n == stem)
            {
                names.push(stem.to_string());
            }
        }
    }
    names.iter().map(CompletionCandidate::new).collect()
}

/// The views saved in the config file.
pub fn views() -> Vec<CompletionCandidate> {
    let (config, _) = crate::config::ConfigFile::load();
    config.views.keys().map(CompletionCandidate::new).collect()
}

/// The database's area codes, with their names.
pub fn areas() -> Vec<CompletionCandidate> {
    let Some(store) = open() else {
        return Vec::new();
    };
    store
        .areas()
        .unwrap_or_default()
        .iter()
        .map(|a| candidate(&a.code, &a.name_vi))
        .collect()
}

/// The database's agency codes, with their names.
pub fn agencies() -> Vec<CompletionCandidate> {
    let Some(store) = open() else {
        return Vec::new();
    };
    store
        .agencies()
        .unwrap_or_default()
        .iter()
        .map(|a| candidate(&a.code, &a.name))
        .collect()
}

/// The database's indicator codes, with their names.
pub fn indicators() -> Vec<CompletionCandidate> {
    let Some(store) = open() else {
        return Vec::new();
    };
    store
        .indicators()
        .unwrap_or_default()
        .iter()
        .map(|i| candidate(&i.code, &i.name))
        .collect()
}

/// The database the command line being completed names, read-only; `None` when there is none
/// yet or it cannot be opened (completion then offers nothing rather than an error).
fn open() -> Option<Store> {
    let path = db_path(std::env::args_os().collect())?;
    let user = crate::context::resolve_user(None);
    let options = OpenOptions {
        read_only: true,
        ..Default::default()
    };
    Store::open(&path, &user, options).ok()
}

/// `--db PATH` (or `--db=PATH`) on the line being completed, else `CCHC_DB`, the config file's
/// `db`, or the per-user file when it exists.
fn db_path(args: Vec<OsString>) -> Option<PathBuf> {
    let mut given = None;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let text = arg.to_string_lossy();
        if text == "--db" {
            given = it.next().map(PathBuf::from);
        } else if let Some(path) = text.strip_prefix("--db=") {
            given = Some(PathBuf::from(path));
        }
    }
    given
        .or_else(|| std::env::var_os("CCHC_DB").map(PathBuf::from))
        .or_else(|| crate::config::ConfigFile::load().0.db)
        .or_else(|| {
            crate::context::default_db_path()
                .ok()
                .filter(|p| p.exists())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_the_one_the_line_names() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            db_path(args(&["cchc", "--", "cchc", "--db", "/srv/x.db", "tasks"])),
            Some(PathBuf::from("/srv/x.db"))
        );
        assert_eq!(
            db_path(args(&["cchc", "tasks", "--db=/srv/y.db", "--agency"])),
            Some(PathBuf::from("/srv/y.db"))
        );
        let statuses: Vec<String> = statuses()
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(statuses, ["not-started", "in-progress", "done", "blocked"]);
    }
}
