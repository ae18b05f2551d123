//! What is generated from the command line's own declaration, so neither can drift from the
//! flags cchc really takes: the shells' completion scripts and the manual pages.
//!
//! The scripts are clap_complete's dynamic ones: at each Tab the shell asks `cchc` itself
//! (`COMPLETE=bash cchc -- cchc tasks --agency S`, answered in main.rs), which completes flags
//! and subcommands from the declaration and values from the database (`cli/complete.rs`).
//!
//! The manual is one page per command (`cchc.1`, `cchc-tasks.1`, `cchc-task-set.1`, …), as the
//! SUBCOMMANDS sections name them, each with ENVIRONMENT, FILES and EXIT STATUS; the screens'
//! pages (`cchc.1`, `cchc-meet.1`) with their KEYS from the keymap.

use clap::CommandFactory;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use roff::{Roff, bold, italic, roman};

use super::Cli;
use crate::model::Lang;
use crate::tui::keymap::{Context, Keymap};

/// The script that registers completion for `shell`; it runs the `cchc` found on PATH.
pub fn completions(shell: clap_complete::Shell) -> std::io::Result<Vec<u8>> {
    use clap_complete::Shell;
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::PowerShell => &Powershell,
        other => {
            return Err(std::io::Error::other(format!(
                "no completion for {other}; use bash, zsh, fish, elvish or powershell"
            )));
        }
    };
    let mut out = Vec::new();
    completer.write_registration("COMPLETE", "cchc", "cchc", "cchc", &mut out)?;
    Ok(out)
}

/// The main page, `cchc.1`.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let root = built();
    page(&root, &root)
}

/// Every page, named as man looks for them: `cchc.1`, then one per subcommand.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    fn walk(
        root: &clap::Command,
        cmd: &clap::Command,
        out: &mut Vec<(String, Vec<u8>)>,
    ) -> std::io::Result<()> {
        out.push((format!("{}.1", name(cmd)), page(root, cmd)?));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(root, sub, out)?;
        }
        Ok(())
    }
    let root = built();
    let mut out = Vec::new();
    walk(&root, &root, &mut out)?;
    Ok(out)
}

/// The English command line, built (display names "cchc-task-set"), without `help`.
fn built() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

fn name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string()
}

/// One page: clap_mangen's sections, then cchc's own.
fn page(root: &clap::Command, cmd: &clap::Command) -> std::io::Result<Vec<u8>> {
    let version = env!("CARGO_PKG_VERSION");
    let man = clap_mangen::Man::new(cmd.clone().version(version))
        .source(format!("cchc {version}"))
        .manual("cchc manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    match cmd.get_name() {
        "cchc" => keys(&mut roff, &[Context::Global, Context::Browse], true),
        "meet" => keys(&mut roff, &[Context::Meeting, Context::Global], false),
        _ => {}
    }
    environment(&mut roff);
    files(&mut roff);
    exit_status(&mut roff);
    see_also(&mut roff, root, cmd);
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// A term and its paragraph, as `.TP` lists them.
fn item(roff: &mut Roff, term: roff::Inline, text: &str) {
    roff.control("TP", []);
    roff.text([term]);
    roff.text([roman(text)]);
}

/// The screen's keys, from the keymap (with `commands`, the `:` line's commands too).
fn keys(roff: &mut Roff, contexts: &[Context], commands: bool) {
    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "Every key is also in the screen's help (?), which lists the keys of the config file's \
         [keys] tables as bound. Remap any key there; see docs/TUI.md.",
    )]);
    for section in Keymap::default().help(Lang::En) {
        if !contexts.contains(&section.context) {
            continue;
        }
        roff.control("SS", [section.title]);
        for entry in &section.entries {
            item(roff, bold(entry.keys_label()), entry.description);
        }
    }
    if commands {
        roff.control("SS", ["Commands (typed after :)"]);
        for (typed, description) in crate::tui::command::usage(Lang::En) {
            item(roff, bold(typed), description);
        }
    }
}

fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, text) in [
        (
            "CCHC_DB",
            "The database: a SQLite file, or postgres://… for a server (as --db).",
        ),
        (
            "CCHC_USER",
            "Who is acting (as --user); once members are registered, the login decides.",
        ),
        (
            "CCHC_TODAY",
            "The date views treat as today, YYYY-MM-DD (as --today); writes take the clock.",
        ),
        (
            "CCHC_LANG",
            "vi (the default) or en: the language of the screens, messages and --help.",
        ),
        (
            "CCHC_CONFIG",
            "The config file to read instead of the per-user one.",
        ),
        (
            "NO_COLOR",
            "When set and not empty: no colour in tables and screens (the monochrome theme).",
        ),
        (
            "VISUAL, EDITOR",
            "The editor N opens for a long note; without them, a box in the screen.",
        ),
        (
            "COLUMNS",
            "The width --help wraps to when the output is not a terminal.",
        ),
        (
            "COMPLETE",
            "Set by the completion scripts: bash, zsh or fish asking what to complete.",
        ),
    ] {
        item(roff, bold(name), text);
    }
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    for (path, text) in [
        (
            "~/.config/cchc/config.toml",
            "The config file: db, user, lang, theme, [keys], [views.NAME], [report].",
        ),
        (
            "~/.config/cchc/themes/NAME.toml",
            "A user theme; wins over a built-in of the same name.",
        ),
        (
            "~/.local/share/cchc/cchc.sqlite3",
            "The per-user database, created and seeded on first use when no other is named; nobody \
             else sees it.",
        ),
        (
            "~/.local/share/cchc/drafts.txt",
            "What was being typed when a signal ended the screen.",
        ),
        (
            "/srv/cchc/cchc.sqlite3",
            "The working group's shared database, as the Debian package sets it up (group cchc).",
        ),
        (
            "/srv/cchc/backups/",
            "The nightly verified backups (cchc-backup.timer) and cchc-heads.txt.",
        ),
        ("/etc/default/cchc-backup", "The nightly backup's settings."),
        (
            "/usr/share/doc/cchc/",
            "README.md, TUI.md (the screen), MEETING.md (meeting mode), JSON.md (the JSON \
             documents), OPERATIONS.md (running it).",
        ),
    ] {
        item(roff, italic(path), text);
    }
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for (code, text) in [
        ("0", "Done."),
        (
            "1",
            "Refused or failed: bad input, a file that is not cchc's or is damaged, a rule of \
             the members; one line on standard error says why, and nothing was written.",
        ),
        (
            "2",
            "A usage error: an unknown flag, subcommand, view or theme, or flags that do not \
             go together (--excel without --format csv, a .docx report without --output).",
        ),
        (
            "3",
            "A conflict: someone changed the task after the version given (--expect-version), or \
             after the change an undo would revert.",
        ),
        (
            "128+N",
            "The screen was ended by signal N while something was being typed; it was kept in the \
             drafts file.",
        ),
    ] {
        item(roff, bold(code), text);
    }
}

/// The page this one belongs to and the ones under it, by their man names.
fn see_also(roff: &mut Roff, root: &clap::Command, cmd: &clap::Command) {
    let mut names: Vec<String> = Vec::new();
    if cmd.get_name() != root.get_name() {
        // The display name is the parent's and this command's own name joined by a hyphen
        // (a name may hold hyphens itself: `cchc-member-remind-right`).
        let own = name(cmd);
        let parent = own
            .strip_suffix(cmd.get_name())
            .and_then(|p| p.strip_suffix('-'))
            .unwrap_or("cchc")
            .to_string();
        names.push(parent);
    }
    names.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).map(name));
    if names.is_empty() {
        return;
    }
    roff.control("SH", ["SEE ALSO"]);
    let list: Vec<String> = names.iter().map(|n| format!("{n}(1)")).collect();
    roff.text([roman(list.join(", "))]);
}
