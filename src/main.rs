//! Thin entry point: read the config file, parse the command line (flags win over the file),
//! then run a headless command or the TUI.

use std::io::IsTerminal;
use std::process::ExitCode;

use cchc::cli::{self, Command, Env};
use cchc::config::ConfigFile;

fn main() -> ExitCode {
    // Installed setgid to the store's group: drop it before anything else runs; it is raised
    // again only to open the store's files (cchc::privilege).
    if let Err(e) = cchc::privilege::drop_at_start() {
        say(&format!("cchc: cannot drop the store's group: {e}"));
        return ExitCode::from(1);
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The config file is read first: its `lang` decides the language of the help and of
    // clap's errors when neither --lang nor CCHC_LANG does.
    let (config, warnings) = ConfigFile::load();
    let lang = cli::lang::decide(&args, std::env::var_os("CCHC_LANG"), config.lang);
    cli::lang::set(lang);
    // A shell asking what to complete (`COMPLETE=bash cchc -- cchc tasks --agency S`, from the
    // scripts `cchc completions` prints): answered here, before anything else is printed.
    clap_complete::CompleteEnv::with_factory(move || cli::lang::command(lang)).complete();
    let mut cli = match cli::lang::parse(args.clone(), lang) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, lang, &args),
    };
    // Completions and the manual describe the program, not a database: no file is opened.
    match &cli.command {
        Some(Command::Completions { shell }) => return print(cli::completions(*shell)),
        Some(Command::Man { dir: None }) => return print(cli::man_page()),
        Some(Command::Man { dir: Some(dir) }) => return write_man_pages(dir),
        _ => {}
    }
    // A theme named on the command line must exist: a typo there is a usage error, while the
    // config file's theme only warns (it is read on every start, long after it was written).
    if let Some(name) = &cli.theme {
        let dir = cchc::config::user_theme_dir();
        if let (_, Some(problem)) = cchc::tui::theme::Theme::load(name, dir.as_deref()) {
            // The warning ends by saying which theme is used instead; here none is.
            let problem = problem.rsplit_once("; using").map_or(&*problem, |(p, _)| p);
            say(&format!("cchc: --theme: {problem}"));
            return ExitCode::from(2);
        }
    }
    // `--user` and CCHC_USER (read by clap) win over the config file's `user`.
    if cli.user.is_none() {
        cli.user = config.user.clone();
    }
    let mut env = match Env::from_cli(&cli, config.lang, config.db.clone()) {
        Ok(env) => env,
        Err(e) => return fail(&e),
    };
    env.report = config.report.clone();
    env.remind = config.remind.clone();
    env.mail = config.mail.clone();
    // `--view NAME` opens the screen on a saved view; before `tasks` it is `tasks --view`. A
    // name nobody saved is a usage error, like an unknown theme.
    let mut screen_view = None;
    if let Some(name) = cli.view.take() {
        match &mut cli.command {
            None => screen_view = Some(name),
            Some(Command::Tasks(args)) if args.view.is_none() => args.view = Some(name),
            Some(_) => {
                say("cchc: --view applies to the screen (`cchc --view NAME`) and to `cchc tasks`");
                return ExitCode::from(2);
            }
        }
    }
    let wanted_view = match &cli.command {
        Some(Command::Tasks(args)) => args.view.as_deref(),
        _ => screen_view.as_deref(),
    };
    if let Some(name) = wanted_view
        && !config.views.contains_key(name)
    {
        say(&format!(
            "cchc: --view: {}",
            cchc::view::unknown_view(name, &config.views, env.lang)
        ));
        return ExitCode::from(2);
    }
    env.views = config.views.clone();
    let config_path = cchc::config::writable_path(config.path.as_deref());
    env.screen = cli::ScreenConfig {
        theme: cli.theme.clone(),
        keys: config.keys.clone(),
        warnings: warnings.clone(),
        config_path: config_path.clone(),
    };
    let no_terminal = || !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal();
    let result = match cli.command {
        Some(command) => cli::run(command, &env),
        None => {
            if no_terminal() {
                say(cli::lang::t(
                    "cchc: không có terminal ở đây; hãy dùng một lệnh con, ví dụ `cchc tasks --overdue` (xem `cchc --help`)",
                    "cchc: no terminal here; use a subcommand instead, e.g. `cchc tasks --overdue` (see `cchc --help`)",
                ));
                return ExitCode::from(2);
            }
            let launch = cchc::tui::Launch {
                theme: cli.theme.clone().or(config.theme.clone()),
                meeting_theme: cli.theme.clone(),
                keys: config.keys.clone(),
                warnings,
                meeting: None,
                views: config.views.clone(),
                config_path: config_path.clone(),
                view: screen_view.clone(),
            };
            env.tui_options()
                .and_then(|opts| cchc::tui::run(opts, launch))
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => fail(&e.in_file(&env.db)),
    }
}

/// Help and version go to stdout as clap writes them; a refusal is one line on stderr in the
/// user's language, exit 2.
fn usage_error(e: &clap::Error, lang: cchc::model::Lang, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(e.exit_code() as u8)
        }
        _ => {
            say(&format!("cchc: {}", cli::lang::error_line(e, lang, args)));
            ExitCode::from(2)
        }
    }
}

/// `cchc man --dir DIR`: every page into DIR (made if missing), each named on stdout.
fn write_man_pages(dir: &std::path::Path) -> ExitCode {
    let written = std::fs::create_dir_all(dir).and_then(|()| {
        let mut names = String::new();
        for (name, page) in cli::man_pages()? {
            std::fs::write(dir.join(&name), page)?;
            names.push_str(&format!("{}\n", dir.join(&name).display()));
        }
        Ok(names.into_bytes())
    });
    print(written.map_err(|e| std::io::Error::other(format!("{}: {e}", dir.display()))))
}

/// Writes generated bytes (a completion script, the manual) to stdout.
fn print(bytes: std::io::Result<Vec<u8>>) -> ExitCode {
    use std::io::Write;
    match bytes.and_then(|b| std::io::stdout().write_all(&b)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.into()),
    }
}

/// Writes a line to stderr; a stderr that is gone (a hung-up terminal) is not worth a panic.
/// Messages may quote the file's text (a name, a title, a path), so the line passes through
/// the one rule for untrusted text on its way out.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", cchc::untrusted::line(line));
}

/// A failure in the command line's language (a conflict's time in local time).
fn fail(e: &cchc::error::Error) -> ExitCode {
    say(&format!("cchc: {}", e.message(cli::lang::current())));
    ExitCode::from(e.exit_code() as u8)
}
