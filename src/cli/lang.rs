//! The command line in the user's language: `--help` and clap's own errors follow
//! `--lang`/`CCHC_LANG`/the config file, Vietnamese by default, as the interface does.
//!
//! The English help stays where clap's derive reads it, the doc comment of each field, so
//! English and the flags cannot drift apart; the Vietnamese is one table (`help_vi.rs`) keyed by
//! command path and argument id, laid over the built `Command` when the language is Vietnamese.
//! That is the least repetitive way clap allows: no second declaration of the flags, and a test
//! (below) fails when a flag has no Vietnamese text or the table names a flag that is gone. The
//! language is decided from argv and the environment before parsing, since the help is printed
//! by the parse itself.

use std::ffi::OsString;
use std::sync::OnceLock;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};

use super::Cli;
use crate::model::Lang;

static LANG: OnceLock<Lang> = OnceLock::new();

/// The language of this run's command line: `--lang X` or `--lang=X` in `args`, else
/// `CCHC_LANG`, else the config file's, else Vietnamese. An unknown value falls through (clap
/// then refuses it, in the language found next).
pub fn decide(args: &[OsString], env: Option<OsString>, config: Option<Lang>) -> Lang {
    let parse = |s: &str| match s.trim().to_ascii_lowercase().as_str() {
        "vi" => Some(Lang::Vi),
        "en" => Some(Lang::En),
        _ => None,
    };
    let mut given = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            given = it.next().and_then(|v| parse(&v)).or(given);
        } else if let Some(v) = a.strip_prefix("--lang=") {
            given = parse(v).or(given);
        }
    }
    given
        .or_else(|| env.and_then(|e| parse(&e.to_string_lossy())))
        .or(config)
        .unwrap_or_default()
}

/// Remembers the language for the value parsers' messages (clap calls them with the text only).
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language `set` chose; Vietnamese before it was set, as the interface.
pub fn current() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// Picks the text in the current language.
pub fn t<'a>(vi: &'a str, en: &'a str) -> &'a str {
    match current() {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The whole command line, its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    match lang {
        Lang::En => cmd,
        Lang::Vi => {
            let mut cmd = in_vietnamese(cmd, "", true);
            // clap adds the `help` subcommand while building; its text is set afterwards.
            cmd.build();
            help_subcommands(&mut cmd);
            cmd
        }
    }
}

/// Parses `args` with the help in `lang`.
pub fn parse(args: Vec<OsString>, lang: Lang) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let matches = command(lang).try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// The key of a command (its path, "task set") or of an argument ("task set --status").
fn key(path: &str, arg: Option<&str>) -> String {
    match (path.is_empty(), arg) {
        (true, None) => "cchc".into(),
        (true, Some(a)) => format!("--{a}"),
        (false, None) => path.into(),
        (false, Some(a)) => format!("{path} --{a}"),
    }
}

fn vi(key: &str) -> Option<&'static str> {
    super::help_vi::TEXT
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
}

fn in_vietnamese(cmd: Command, path: &str, root: bool) -> Command {
    let mut cmd = cmd
        .disable_help_flag(true)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .help_template("{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}");
    if let Some(about) = vi(&key(path, None)) {
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    let p = path.to_string();
    cmd = cmd.mut_args(|a| vietnamese_arg(a, &p));
    cmd = cmd.arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("In trợ giúp này")
            .help_heading("Tùy chọn"),
    );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In phiên bản")
                .help_heading("Tùy chọn"),
        );
    }
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let sub_path = if path.is_empty() {
            name
        } else {
            format!("{path} {name}")
        };
        in_vietnamese(sub, &sub_path, false)
    })
}

fn vietnamese_arg(a: Arg, path: &str) -> Arg {
    let id = a.get_id().to_string();
    let mut text = vi(&key(path, Some(&id)))
        .map(str::to_string)
        .unwrap_or_else(|| a.get_help().map(|h| h.to_string()).unwrap_or_default());
    // clap writes "[default: …]" and "[possible values: …]" in English: say them here instead.
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let takes_value = a.get_action().takes_values();
    if takes_value && !values.is_empty() {
        text.push_str(&format!(" [giá trị: {}]", values.join(", ")));
    }
    if takes_value && !defaults.is_empty() {
        text.push_str(&format!(" [mặc định: {}]", defaults.join(",")));
    }
    let heading = if a.is_positional() {
        "Đối số"
    } else if a.is_global_set() {
        "Tùy chọn chung (mọi lệnh)"
    } else {
        "Tùy chọn"
    };
    let a = a.help(text).long_help(None::<&str>).help_heading(heading);
    if takes_value {
        a.hide_default_value(true).hide_possible_values(true)
    } else {
        a
    }
}

fn help_subcommands(cmd: &mut Command) {
    for sub in cmd.get_subcommands_mut() {
        if sub.get_name() == "help" {
            let s = std::mem::take(sub);
            *sub = s.about("In trợ giúp của cchc hoặc của lệnh con đã cho");
        } else {
            help_subcommands(sub);
        }
    }
}

/// clap's refusal as one line in `lang`: what was wrong, the offending argument, a hint.
pub fn error_line(e: &clap::Error, lang: Lang, args: &[OsString]) -> String {
    let vi = lang == Lang::Vi;
    let tr = |v: &str, en: &str| if vi { v.to_string() } else { en.to_string() };
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let command = command_path(args);
    let mut msg = match e.kind() {
        ErrorKind::UnknownArgument => match vi {
            true => format!("không có đối số '{arg}' ở `{command}`"),
            false => format!("unexpected argument '{arg}' for `{command}`"),
        },
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand).unwrap_or_default();
            match vi {
                true => format!("không có lệnh '{sub}'"),
                false => format!("unrecognized subcommand '{sub}'"),
            }
        }
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            let mut m = if value.is_empty() {
                tr(
                    &format!("{arg} cần một giá trị"),
                    &format!("{arg} needs a value"),
                )
            } else {
                tr(
                    &format!("giá trị '{value}' không hợp lệ cho {arg}"),
                    &format!("invalid value '{value}' for {arg}"),
                )
            };
            if let Some(valid) = valid {
                m.push_str(&tr(
                    &format!("; các giá trị nhận: {valid}"),
                    &format!("; possible values: {valid}"),
                ));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            tr(
                &format!("giá trị '{value}' không hợp lệ cho {arg}: {why}"),
                &format!("invalid value '{value}' for {arg}: {why}"),
            )
        }
        ErrorKind::MissingRequiredArgument => tr(
            &format!("thiếu đối số bắt buộc: {arg}"),
            &format!("missing required argument: {arg}"),
        ),
        ErrorKind::ArgumentConflict => {
            let other = get(ContextKind::PriorArg).unwrap_or_default();
            tr(
                &format!("{arg} không dùng cùng {other} được"),
                &format!("{arg} cannot be used with {other}"),
            )
        }
        ErrorKind::MissingSubcommand => tr(
            &format!("`{command}` cần một lệnh con"),
            &format!("`{command}` needs a subcommand"),
        ),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => tr(
            &format!("số giá trị cho {arg} không đúng"),
            &format!("wrong number of values for {arg}"),
        ),
        ErrorKind::NoEquals => tr(
            &format!("{arg} cần giá trị sau dấu '='"),
            &format!("{arg} needs its value after '='"),
        ),
        ErrorKind::InvalidUtf8 => tr(
            "đối số không phải văn bản UTF-8",
            "an argument is not UTF-8 text",
        ),
        // Anything else: clap's own first line, in English.
        _ => e
            .render()
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string(),
    };
    let suggested =
        get(ContextKind::SuggestedArg).or_else(|| get(ContextKind::SuggestedSubcommand));
    if let Some(s) = suggested {
        msg.push_str(&tr(
            &format!("; ý bạn là '{s}'?"),
            &format!("; did you mean '{s}'?"),
        ));
    }
    msg.push_str(&tr(
        &format!(" (xem `{command} --help`)"),
        &format!(" (see `{command} --help`)"),
    ));
    msg
}

/// "cchc task set": the subcommands named in `args`, each a subcommand of the one before.
fn command_path(args: &[OsString]) -> String {
    let root = Cli::command();
    let mut cmd = &root;
    let mut path = vec!["cchc".to_string()];
    for a in args.iter().skip(1).map(|a| a.to_string_lossy()) {
        if a == "--" {
            break;
        }
        if let Some(sub) = cmd.find_subcommand(a.as_ref()) {
            path.push(sub.get_name().to_string());
            cmd = sub;
        }
    }
    path.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every visible command and argument, with its key, across the whole tree.
    fn keys(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
        if !cmd.is_hide_set() {
            let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
            out.push((key(path, None), about));
            for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = a.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                out.push((key(path, Some(id)), help));
            }
        }
        for sub in cmd.get_subcommands() {
            let p = if path.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{path} {}", sub.get_name())
            };
            keys(sub, &p, out);
        }
    }

    #[test]
    fn every_command_and_option_is_described_in_both_languages() {
        let mut all = Vec::new();
        keys(&Cli::command(), "", &mut all);
        let no_english: Vec<_> = all.iter().filter(|(_, h)| h.trim().is_empty()).collect();
        assert!(no_english.is_empty(), "no English help: {no_english:?}");
        let no_vietnamese: Vec<_> = all.iter().filter(|(k, _)| vi(k).is_none()).collect();
        assert!(
            no_vietnamese.is_empty(),
            "no Vietnamese help (add to help_vi.rs): {no_vietnamese:#?}"
        );
        let known: Vec<&String> = all.iter().map(|(k, _)| k).collect();
        let stale: Vec<_> = super::super::help_vi::TEXT
            .iter()
            .filter(|(k, _)| !known.contains(&&k.to_string()))
            .collect();
        assert!(stale.is_empty(), "help_vi.rs names what is gone: {stale:?}");
    }

    #[test]
    fn the_language_comes_from_argv_then_the_environment_then_the_config() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        let en = Some(OsString::from("en"));
        assert_eq!(decide(&args(&["cchc", "tasks"]), None, None), Lang::Vi);
        assert_eq!(
            decide(&args(&["cchc", "tasks"]), en.clone(), None),
            Lang::En
        );
        assert_eq!(
            decide(&args(&["cchc", "--lang", "vi"]), en.clone(), None),
            Lang::Vi
        );
        assert_eq!(
            decide(&args(&["cchc", "tasks", "--lang=en"]), None, Some(Lang::Vi)),
            Lang::En
        );
        assert_eq!(decide(&args(&["cchc"]), None, Some(Lang::En)), Lang::En);
        // A value after `--` is not a flag.
        assert_eq!(
            decide(&args(&["cchc", "--", "--lang", "en"]), None, None),
            Lang::Vi
        );
    }

    #[test]
    fn the_vietnamese_command_line_is_valid_and_keeps_every_flag() {
        command(Lang::Vi).debug_assert();
        let parsed = command(Lang::Vi)
            .try_get_matches_from(["cchc", "tasks", "--status", "done", "--limit-typo"])
            .unwrap_err();
        assert_eq!(parsed.kind(), ErrorKind::UnknownArgument);
        let args = ["cchc", "tasks", "--limit-typo"].map(OsString::from);
        let line = error_line(&parsed, Lang::Vi, &args);
        assert!(
            line.contains("'--limit-typo'") && line.contains("cchc tasks"),
            "{line}"
        );
        assert!(!line.contains('\n'), "{line}");
    }
}
