//! Shell completions and the manual page, generated from the command line's declaration: they
//! must name the real subcommands and flags, be valid for their reader, and open no database.

mod common;

use std::process::Command;

use common::{Sandbox, assert_success};

fn generate(sb: &Sandbox, args: &[&str]) -> String {
    let out = sb.cchc().args(args).output().expect("run cchc");
    assert_success(&out);
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn bash_completion_is_valid_bash_and_completes_subcommands_and_flags() {
    let sb = Sandbox::new();
    let script = generate(&sb, &["completions", "bash"]);
    let path = sb.path("cchc.bash");
    std::fs::write(&path, &script).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert_success(&syntax);
    // Ask bash itself what `cchc ta<TAB>` and `cchc tasks --ov<TAB>` complete to.
    let probe = format!(
        "source {}; COMP_WORDS=(cchc ta); COMP_CWORD=1; _cchc cchc ta cchc; echo \"${{COMPREPLY[@]}}\"; \
         COMP_WORDS=(cchc tasks --ov); COMP_CWORD=2; _cchc cchc --ov tasks; echo \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let out = Command::new("bash").arg("-c").arg(probe).output().unwrap();
    assert_success(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.split(' ').any(|w| w == "tasks") && first.split(' ').any(|w| w == "task"),
        "{text}"
    );
    assert!(
        lines.next().unwrap_or_default().contains("--overdue"),
        "{text}"
    );
    // Nothing was created: completions open no database.
    assert!(!sb.path("home/data/cchc/cchc.sqlite3").exists());
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    let sb = Sandbox::new();
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let script = generate(&sb, &["completions", shell]);
        for word in ["tasks", "report", "import", "overdue"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let bad = sb.cchc().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_manual_page_is_roff_that_groff_renders_without_warnings() {
    let sb = Sandbox::new();
    let page = generate(&sb, &["man"]);
    assert!(
        page.contains(".TH cchc 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    let path = sb.path("cchc.1");
    std::fs::write(&path, &page).unwrap();
    // groff (groff-base, part of the machine's man-db) is the manual's real reader; -k runs
    // preconv, as man does, for the Vietnamese text.
    let out = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww"])
        .arg(&path)
        .output()
        .expect("groff is installed (groff-base)");
    assert_success(&out);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    for sub in [
        "tasks",
        "report",
        "import",
        "backup",
        "doctor",
        "completions",
    ] {
        assert!(shown.contains(sub), "the page lacks {sub}");
    }
}
