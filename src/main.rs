//! Thin entry point: parse the command line, then run a headless command or the TUI.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use cchc::cli::{self, Cli, Env};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = match Env::from_cli(&cli, None, None) {
        Ok(env) => env,
        Err(e) => return fail(&e),
    };
    let result = match cli.command {
        Some(command) => cli::run(command, &env),
        None => {
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                eprintln!(
                    "cchc: no terminal here; use a subcommand instead, e.g. `cchc tasks --overdue` (see `cchc --help`)"
                );
                return ExitCode::from(2);
            }
            eprintln!("cchc: the interactive screen is not built yet; see `cchc --help`");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => fail(&e.in_file(&env.db)),
    }
}

fn fail(e: &cchc::error::Error) -> ExitCode {
    eprintln!("cchc: {e}");
    ExitCode::from(e.exit_code() as u8)
}
