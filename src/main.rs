//! Thin entry point: read the config file, parse the command line (flags win over the file),
//! then run a headless command or the TUI.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use cchc::cli::{self, Cli, Command, Env};
use cchc::config::ConfigFile;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    let (config, warnings) = ConfigFile::load();
    // `--user` and CCHC_USER (read by clap) win over the config file's `user`.
    if cli.user.is_none() {
        cli.user = config.user.clone();
    }
    let mut env = match Env::from_cli(&cli, config.lang, config.db.clone()) {
        Ok(env) => env,
        Err(e) => return fail(&e),
    };
    env.report = config.report.clone();
    let no_terminal = || !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal();
    let result = match cli.command {
        Some(Command::Meet { since, allow_edits }) => {
            if no_terminal() {
                say(
                    "cchc: meet needs a terminal (it shows slides full screen); for a document use `cchc report --quarter 2026Q4`",
                );
                return ExitCode::from(2);
            }
            // A projector nobody should type into: read-only unless asked.
            if !allow_edits {
                env.read_only = true;
            }
            let launch = cchc::tui::Launch {
                // The projector theme unless --theme says otherwise; the config file's theme
                // is for the members' own terminals.
                theme: Some(cli.theme.clone().unwrap_or_else(|| "projector".into())),
                meeting_theme: cli.theme.clone(),
                keys: config.keys.clone(),
                warnings,
                meeting: Some(cchc::tui::Meet { since, allow_edits }),
            };
            cchc::tui::run(&env, launch).map(|()| 0)
        }
        Some(command) => {
            for w in &warnings {
                say(&format!("cchc: warning: {w}"));
            }
            cli::run(command, &env)
        }
        None => {
            if no_terminal() {
                say(
                    "cchc: no terminal here; use a subcommand instead, e.g. `cchc tasks --overdue` (see `cchc --help`)",
                );
                return ExitCode::from(2);
            }
            let launch = cchc::tui::Launch {
                theme: cli.theme.clone().or(config.theme.clone()),
                meeting_theme: cli.theme.clone(),
                keys: config.keys.clone(),
                warnings,
                meeting: None,
            };
            cchc::tui::run(&env, launch).map(|()| 0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => fail(&e.in_file(&env.db)),
    }
}

/// Writes a line to stderr; a stderr that is gone (a hung-up terminal) is not worth a panic.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn fail(e: &cchc::error::Error) -> ExitCode {
    say(&format!("cchc: {e}"));
    ExitCode::from(e.exit_code() as u8)
}
