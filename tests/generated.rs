//! Shell completions and the manual pages, generated from the command line's declaration: the
//! completion scripts ask `cchc` itself at each Tab, so the real bash, zsh and fish complete
//! subcommands, flags, the four statuses and the database's agency codes; every manual page
//! renders with `man -l` with its own sections. Neither opens or creates a database to be
//! generated.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::pty::Tui;
use common::{Sandbox, assert_success};

fn generate(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.cchc().args(args).output().expect("run cchc");
    assert_success(&out);
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// PATH with the tested binary's folder first: the scripts run the `cchc` found there.
fn path_with_cchc() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_cchc")).parent().unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn script(sb: &Sandbox, shell: &str) -> PathBuf {
    let path = sb.path(&format!("cchc.{shell}"));
    std::fs::write(&path, generate(sb, &["completions", shell])).unwrap();
    path
}

const STATUSES: [&str; 4] = ["not-started", "in-progress", "done", "blocked"];

#[test]
fn bash_completes_subcommands_flags_statuses_and_the_databases_agencies() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let path = script(&sb, "bash");
    let syntax = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert_success(&syntax);
    // Ask bash itself, as a Tab would: each line is one COMPREPLY.
    let ask = |words: &[&str]| -> Vec<String> {
        let cword = words.len() - 1;
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let probe = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={cword}; COMP_TYPE=9; \
             _clap_complete_cchc cchc '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            quoted.join(" "),
            words[cword],
            words[cword.saturating_sub(1)]
        );
        let out = Command::new("bash")
            .arg("-c")
            .arg(probe)
            .env("PATH", path_with_cchc())
            .env("HOME", sb.path("home"))
            .env("CCHC_DB", &db)
            .output()
            .unwrap();
        assert_success(&out);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let subcommands = ask(&["cchc", "ta"]);
    assert!(
        subcommands.contains(&"tasks".into()) && subcommands.contains(&"task".into()),
        "{subcommands:?}"
    );
    assert!(ask(&["cchc", "tasks", "--ov"]).contains(&"--overdue".into()));
    assert_eq!(ask(&["cchc", "tasks", "--status", ""]), STATUSES);
    let agencies = ask(&["cchc", "tasks", "--agency", ""]);
    assert!(
        agencies.contains(&"STP".into()) && agencies.contains(&"SNV".into()),
        "{agencies:?}"
    );
    assert_eq!(ask(&["cchc", "tasks", "--agency", "ST"]).len(), 2);
    // Completing opens no database but the named one, and creates nothing.
    assert!(!sb.path("home/.local/share/cchc/cchc.sqlite3").exists());
    assert!(!sb.path("home/data/cchc/cchc.sqlite3").exists());
}

/// An interactive shell in a pseudo-terminal, the script sourced, a line typed and Tab
/// pressed: what the shell lists on the screen.
fn tab_in(sb: &Sandbox, db: &Path, shell: &str, args: &[&str], setup: &str, line: &str) -> String {
    let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    let path = path_with_cchc();
    let db = db.display().to_string();
    let mut tui = Tui::run_program(
        sb,
        std::ffi::OsStr::new(shell),
        &args,
        120,
        40,
        Some("tester"),
        &[("PATH", &path), ("CCHC_DB", &db)],
    );
    tui.send(&format!("{setup}\r"));
    tui.send(&format!("clear\r{line}\t"));
    let screen = tui.wait_for(
        &format!("{shell} listing what {line:?} completes to"),
        |s| STATUSES.iter().all(|st| s.contains(st)) || (s.contains("STP") && s.contains("SNV")),
    );
    tui.send("\x03");
    tui.send("exit\r");
    screen
}

#[test]
fn zsh_and_fish_complete_the_statuses_and_the_databases_agencies() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let zsh = script(&sb, "zsh");
    let fish = script(&sb, "fish");
    let zsh_setup = format!(
        "autoload -Uz compinit && compinit -u && source {}",
        zsh.display()
    );
    let fish_setup = format!("source {}", fish.display());
    for (shell, args, setup) in [
        ("zsh", &["-f", "-i"][..], zsh_setup.as_str()),
        ("fish", &["--no-config", "-i"][..], fish_setup.as_str()),
    ] {
        let statuses = tab_in(&sb, &db, shell, args, setup, "cchc tasks --status ");
        for status in STATUSES {
            assert!(statuses.contains(status), "{shell}: {status}:\n{statuses}");
        }
        let agencies = tab_in(&sb, &db, shell, args, setup, "cchc tasks --agency ");
        for code in ["STP", "SNV", "STC"] {
            assert!(agencies.contains(code), "{shell}: {code}:\n{agencies}");
        }
    }
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_refused() {
    let sb = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = generate(&sb, &["completions", shell]);
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
    }
    let bad = sb.cchc().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// The sections `man` shows, from its rendering: lines that start at the left margin.
fn sections(shown: &str) -> Vec<String> {
    shown
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with(' ') && l == &l.to_uppercase())
        .map(String::from)
        .collect()
}

#[test]
fn man_renders_every_subcommands_page_with_its_sections() {
    let sb = Sandbox::new();
    let dir = sb.path("man1");
    let listed = generate(&sb, &["man", "--dir", dir.to_str().unwrap()]);
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    assert_eq!(listed.lines().count(), pages.len());
    let names: Vec<String> = pages
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for page in [
        "cchc.1",
        "cchc-tasks.1",
        "cchc-task-set.1",
        "cchc-meet.1",
        "cchc-backup.1",
    ] {
        assert!(
            names.contains(&page.to_string()),
            "{page} missing: {names:?}"
        );
    }
    let mut named_elsewhere = Vec::new();
    for page in &pages {
        // man-db's own reader, as `man -l` shows a page; any warning fails.
        let out = Command::new("man")
            .arg("-l")
            .arg(page)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("MAN_KEEP_FORMATTING", "")
            .output()
            .expect("man is installed (man-db)");
        assert_success(&out);
        assert!(
            out.stderr.is_empty(),
            "{}: {}",
            page.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let shown = String::from_utf8_lossy(&out.stdout).replace(['\u{8}'], "");
        let found = sections(&shown);
        for section in ["NAME", "SYNOPSIS", "ENVIRONMENT", "FILES", "EXIT STATUS"] {
            assert!(
                found.iter().any(|s| s == section),
                "{}: no {section} in {found:?}",
                page.display()
            );
        }
        // Every page another page names, by "name(1)", exists.
        for word in shown.split(|c: char| c.is_whitespace() || c == ',') {
            if let Some(name) = word.strip_suffix("(1)")
                && name.starts_with("cchc")
            {
                named_elsewhere.push(format!("{name}.1"));
            }
        }
        let name = page.file_name().unwrap().to_string_lossy();
        if name == "cchc.1" || name == "cchc-meet.1" {
            assert!(found.iter().any(|s| s == "KEYS"), "{name}: {found:?}");
        }
        if name == "cchc.1" {
            for key in ["ctrl-z", "f10", ":overdue", "Next search hit"] {
                assert!(shown.contains(key), "cchc.1 lacks {key}");
            }
        }
    }
    for name in named_elsewhere {
        assert!(names.contains(&name), "{name} is named but not generated");
    }
    // `cchc man` alone is the main page.
    let main = generate(&sb, &["man"]);
    assert_eq!(main.as_bytes(), std::fs::read(dir.join("cchc.1")).unwrap());
}
