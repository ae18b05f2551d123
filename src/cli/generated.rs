//! What is generated from the command line's own declaration: shell completions and the
//! manual page, so neither can drift from the flags cchc really takes.

use clap::CommandFactory;

use super::Cli;

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cchc", &mut out);
    Ok(out)
}

/// The manual page, in roff (its SUBCOMMANDS section lists every subcommand; `cchc help
/// SUBCOMMAND` gives each one's options).
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}
