//! The `:` command line, as in k9s: parsing what was typed and completing it. Pure: no
//! terminal, no store; the app carries the parsed command out.
//!
//! Commands are actions with a name ([`Action::command`]), so the names, the help and the
//! completion all come from the action table; this module only adds what each command's
//! argument is ([`arg_of`]). A name may be shortened to any prefix that is not ambiguous
//! (`:q`, `:ov`), and a number alone (`:157`, `:#157`) goes to that task.

use super::action::Action;
use crate::model::{Agency, Area, Lang};
use crate::text::fold;

use super::labels::tr;

/// What follows a command's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// Nothing may follow.
    None,
    /// A task number, required.
    TaskId,
    /// An area code or the start of its name; none for every area.
    Area,
    /// An agency code or the start of its code or name; none for every agency.
    Agency,
    /// A sort name; none cycles to the next order, as the key does.
    Sort,
    /// A theme name, required.
    Theme,
    /// A saved view's name, required.
    View,
    /// A name for a new view, required (offered: the saved ones, to replace one).
    NewView,
}

impl Arg {
    fn required(self) -> bool {
        matches!(self, Arg::TaskId | Arg::Theme | Arg::View | Arg::NewView)
    }

    /// How the help and messages write the argument.
    pub fn placeholder(self, lang: Lang) -> &'static str {
        match self {
            Arg::None => "",
            Arg::TaskId => tr(lang, "SỐ", "NUMBER"),
            Arg::Area => tr(lang, "LĨNH-VỰC", "AREA"),
            Arg::Agency => tr(lang, "CƠ-QUAN", "AGENCY"),
            Arg::Sort => "due|area|agency|state|late|progress|title|id",
            Arg::Theme => tr(lang, "GIAO-DIỆN", "THEME"),
            Arg::View | Arg::NewView => tr(lang, "TÊN", "NAME"),
        }
    }
}

/// The argument each command takes.
pub fn arg_of(action: Action) -> Arg {
    match action {
        Action::GotoTask => Arg::TaskId,
        Action::FilterArea => Arg::Area,
        Action::FilterAgency => Arg::Agency,
        Action::CycleSort => Arg::Sort,
        Action::SetTheme => Arg::Theme,
        Action::OpenView => Arg::View,
        Action::SaveView => Arg::NewView,
        _ => Arg::None,
    }
}

/// Every command, in the action table's order.
pub fn commands() -> impl Iterator<Item = (&'static str, Action)> {
    Action::ALL
        .iter()
        .filter_map(|&a| a.command().map(|name| (name, a)))
}

/// Every command as the help lists it: how it is typed (`:area [LĨNH-VỰC]`, `:goto SỐ, :157`)
/// and what it does.
pub fn usage(lang: Lang) -> Vec<(String, &'static str)> {
    commands()
        .map(|(name, action)| {
            let arg = arg_of(action);
            let mut typed = match arg {
                Arg::None => format!(":{name}"),
                arg if arg.required() => format!(":{name} {}", arg.placeholder(lang)),
                arg => format!(":{name} [{}]", arg.placeholder(lang)),
            };
            if action == Action::GotoTask {
                typed.push_str(", :157");
            }
            (typed, action.description(lang))
        })
        .collect()
}

/// A parsed command line: an action and its argument as typed (trimmed; `None` when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub action: Action,
    pub arg: Option<String>,
}

/// Why a command line was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing typed: the line just closes.
    Empty,
    Unknown(String),
    Ambiguous(String, Vec<&'static str>),
    MissingArg(&'static str, Arg),
    UnexpectedArg(&'static str),
    BadTaskNumber(String),
}

impl ParseError {
    /// One line for the status bar, saying what to type instead.
    pub fn message(&self, lang: Lang) -> String {
        let clean = crate::untrusted::line;
        match self {
            ParseError::Empty => String::new(),
            ParseError::Unknown(name) => format!(
                "{} :{} — {}",
                tr(lang, "Không có lệnh", "Unknown command"),
                clean(name),
                tr(
                    lang,
                    "Tab gợi ý tên lệnh, :help liệt kê",
                    "Tab completes command names, :help lists them"
                )
            ),
            ParseError::Ambiguous(name, names) => format!(
                ":{} {} {}",
                clean(name),
                tr(lang, "có thể là", "could be"),
                names
                    .iter()
                    .map(|n| format!(":{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ParseError::MissingArg(name, arg) => format!(
                ":{name} {} {} (:{name} {}; Tab {})",
                tr(lang, "cần", "needs"),
                arg.placeholder(lang),
                arg.placeholder(lang),
                tr(lang, "gợi ý", "completes")
            ),
            ParseError::UnexpectedArg(name) => format!(
                ":{name} {}",
                tr(lang, "không nhận thêm gì", "takes nothing after it")
            ),
            ParseError::BadTaskNumber(text) => format!(
                "{} {:?}: {}",
                tr(lang, "Số nhiệm vụ không hợp lệ", "Not a task number"),
                clean(text),
                tr(lang, "gõ :157 hoặc :#157", "type :157 or :#157")
            ),
        }
    }
}

/// The command a name (or a prefix of one) stands for.
fn lookup(name: &str) -> Result<(&'static str, Action), ParseError> {
    let wanted = name.to_lowercase();
    if let Some(found) = commands().find(|(n, _)| *n == wanted) {
        return Ok(found);
    }
    let found: Vec<(&'static str, Action)> =
        commands().filter(|(n, _)| n.starts_with(&wanted)).collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(ParseError::Unknown(name.to_string())),
        many => Err(ParseError::Ambiguous(
            name.to_string(),
            many.iter().map(|(n, _)| *n).collect(),
        )),
    }
}

/// A task number as typed: `157` or `#157`.
pub fn task_number(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Parses a command line (without or with its leading `:`).
pub fn parse(line: &str) -> Result<Command, ParseError> {
    let line = line.trim();
    let line = line.strip_prefix(':').unwrap_or(line).trim();
    let (head, rest) = match line.split_once(char::is_whitespace) {
        Some((h, r)) => (h, r.trim()),
        None => (line, ""),
    };
    if head.is_empty() {
        return Err(ParseError::Empty);
    }
    if head.starts_with('#') || head.starts_with(|c: char| c.is_ascii_digit()) {
        return match (task_number(head), rest.is_empty()) {
            (Some(_), true) => Ok(Command {
                action: Action::GotoTask,
                arg: Some(head.trim_start_matches('#').to_string()),
            }),
            _ => Err(ParseError::BadTaskNumber(line.to_string())),
        };
    }
    let (name, action) = lookup(head)?;
    let arg = arg_of(action);
    match (arg, rest.is_empty()) {
        (Arg::None, false) => Err(ParseError::UnexpectedArg(name)),
        (arg, true) if arg.required() => Err(ParseError::MissingArg(name, arg)),
        (Arg::TaskId, false) if task_number(rest).is_none() => {
            Err(ParseError::BadTaskNumber(rest.to_string()))
        }
        (Arg::TaskId, false) => Ok(Command {
            action,
            arg: Some(rest.trim_start_matches('#').to_string()),
        }),
        (_, empty) => Ok(Command {
            action,
            arg: (!empty).then(|| rest.to_string()),
        }),
    }
}

/// What completion offers for each kind of argument.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Area codes with their names (both languages), in plan order.
    pub areas: Vec<(String, Vec<String>)>,
    /// Agency codes with their names.
    pub agencies: Vec<(String, String)>,
    pub themes: Vec<String>,
    pub views: Vec<String>,
}

impl Sources {
    pub fn new(
        areas: &[Area],
        agencies: &[Agency],
        themes: Vec<String>,
        views: Vec<String>,
    ) -> Self {
        Sources {
            areas: areas
                .iter()
                .map(|a| (a.code.clone(), vec![a.name_vi.clone(), a.name_en.clone()]))
                .collect(),
            agencies: agencies
                .iter()
                .map(|a| (a.code.clone(), a.name.clone()))
                .collect(),
            themes,
            views,
        }
    }
}

/// Every full line Tab may turn `line` into, in a stable order: command names while the first
/// word is typed (with a space after those that take an argument), then the argument's values
/// (codes that start with what was typed, or whose name starts with it, folded).
pub fn complete(line: &str, sources: &Sources) -> Vec<String> {
    let line = line.trim_start().trim_start_matches(':');
    let Some((head, typed)) = line.split_once(' ') else {
        let wanted = line.to_lowercase();
        return commands()
            .filter(|(n, _)| n.starts_with(&wanted))
            .map(|(n, a)| {
                if arg_of(a) == Arg::None {
                    n.to_string()
                } else {
                    format!("{n} ")
                }
            })
            .collect();
    };
    let Ok((name, action)) = lookup(head) else {
        return Vec::new();
    };
    let typed = fold(typed.trim_start());
    let starts = |s: &str| fold(s).starts_with(&typed);
    let values: Vec<String> = match arg_of(action) {
        Arg::None | Arg::TaskId => Vec::new(),
        Arg::Area => sources
            .areas
            .iter()
            .filter(|(code, names)| starts(code) || names.iter().any(|n| starts(n)))
            .map(|(code, _)| code.clone())
            .collect(),
        Arg::Agency => sources
            .agencies
            .iter()
            .filter(|(code, name)| starts(code) || starts(name))
            .map(|(code, _)| code.clone())
            .collect(),
        Arg::Sort => crate::view::Sort::ALL
            .iter()
            .map(|s| s.name().to_string())
            .filter(|n| starts(n))
            .collect(),
        Arg::Theme => sources
            .themes
            .iter()
            .filter(|n| starts(n))
            .cloned()
            .collect(),
        Arg::View | Arg::NewView => sources
            .views
            .iter()
            .filter(|n| starts(n))
            .cloned()
            .collect(),
    };
    values.into_iter().map(|v| format!("{name} {v}")).collect()
}

pub use crate::search::filters::{resolve_agency, resolve_area};

#[cfg(test)]
#[path = "command_tests.rs"]
mod tests;
