//! Keys → actions, as data.
//!
//! One table, [`DEFAULT_BINDINGS`], lists every default `{ context, key, action }`; the help
//! screen renders the same table (through [`Keymap::help`]), so the two cannot disagree. The
//! config file's `[keys]` table is merged over it ([`Keymap::from_config`]). Resolution
//! ([`Keymap::resolve`]) only maps a key to an [`Action`]; carrying the action out is
//! `App::update`'s job, so both are tested without a terminal.
//!
//! Every key a user can press is a row here, the popups', the search box's, the command line's
//! and the text fields' editing keys included (issue 11). The one exception is typing: while a
//! text field has the focus, a plain character is text and never looked up.

use super::action::Action;
use crate::model::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

// The status bar's hint line and the popups' key lines (issue 11).
mod hints;
pub use hints::hint_line;

// Where a binding applies, and the chain of contexts a key is looked up in.
mod context;
pub use context::Context;

// Keys themselves: normalising, parsing and printing.
mod key;
pub use key::{CTRL_C, Key, KeyParseError};
use key::{alt, ch, ctrl, ctrl_named, named};

/// One row of the keymap: in `context`, `key` asks for `action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub key: Key,
    pub action: Action,
}

const fn bind(context: Context, key: Key, action: Action) -> Binding {
    Binding {
        context,
        key,
        action,
    }
}

use Action as A;
use Context::{
    Browse, Command, Confirm, Form, Global, Help, Indicators, LongNote, Meeting, Popup, Search,
    StatusPicker, Text,
};

/// The default keymap: the single source for resolution and for the help screen.
///
/// Letters follow vim/lazygit habits (j/k, g/G, ctrl-d/ctrl-u, `/`, `?`); every action also has
/// a key that needs no vim (arrows, page keys, home/end, enter, esc, f1). Shift-letters are for
/// less frequent variants (`S` cycles the sort).
pub const DEFAULT_BINDINGS: &[Binding] = &[
    // Everywhere.
    bind(Global, ch('k'), A::MoveUp),
    bind(Global, named(KeyCode::Up), A::MoveUp),
    bind(Global, ch('j'), A::MoveDown),
    bind(Global, named(KeyCode::Down), A::MoveDown),
    bind(Global, ch('g'), A::Top),
    bind(Global, named(KeyCode::Home), A::Top),
    bind(Global, ch('G'), A::Bottom),
    bind(Global, named(KeyCode::End), A::Bottom),
    bind(Global, named(KeyCode::PageUp), A::PageUp),
    bind(Global, ctrl('b'), A::PageUp),
    bind(Global, named(KeyCode::PageDown), A::PageDown),
    bind(Global, ctrl('f'), A::PageDown),
    bind(Global, ctrl('u'), A::HalfPageUp),
    bind(Global, ctrl('d'), A::HalfPageDown),
    bind(Global, named(KeyCode::Tab), A::NextPane),
    bind(Global, named(KeyCode::BackTab), A::PrevPane),
    bind(Global, named(KeyCode::Enter), A::Open),
    bind(Global, named(KeyCode::Esc), A::Back),
    bind(Global, ch('u'), A::Undo),
    bind(Global, ch('i'), A::Indicators),
    bind(Global, ch('m'), A::Meeting),
    bind(Global, ctrl('r'), A::Refresh),
    bind(Global, named(KeyCode::F(5)), A::Refresh),
    bind(Global, ch('?'), A::Help),
    bind(Global, named(KeyCode::F(1)), A::Help),
    bind(Global, ch('q'), A::Close),
    bind(Global, ch('Q'), A::Quit),
    bind(Global, CTRL_C, A::Quit),
    // htop's and mc's way out.
    bind(Global, named(KeyCode::F(10)), A::Quit),
    bind(Global, ctrl('z'), A::Suspend),
    // The task screen.
    bind(Browse, ch('l'), A::NextPane),
    bind(Browse, named(KeyCode::Right), A::NextPane),
    bind(Browse, ch('h'), A::PrevPane),
    bind(Browse, named(KeyCode::Left), A::PrevPane),
    bind(Browse, ch('/'), A::Search),
    bind(Browse, ch('o'), A::ToggleOverdue),
    bind(Browse, ch('S'), A::CycleSort),
    // Sorting by column as k9s and htop do.
    bind(Browse, ch('<'), A::SortPrevColumn),
    bind(Browse, ch('>'), A::SortNextColumn),
    bind(Browse, ch('R'), A::ReverseSort),
    bind(Browse, ctrl('n'), A::NextHit),
    bind(Browse, ctrl('p'), A::PrevHit),
    bind(Browse, ch('z'), A::ZoomDetail),
    bind(Browse, ch('v'), A::ToggleNav),
    bind(Browse, ch('s'), A::SetStatus),
    bind(Browse, ch('p'), A::SetPercent),
    bind(Browse, ch('n'), A::AddNote),
    bind(Browse, ch('a'), A::AddTask),
    bind(Browse, ch('e'), A::EditTask),
    bind(Browse, ch('d'), A::MarkDone),
    // Find by number, command line, copy (issue 12). The `:` commands that take an argument
    // (`:area`, `:agency`, `:goto`, `:theme`, `:save`, `:view`) have no key of their own; the
    // help lists them by command name.
    bind(Browse, ch(':'), A::CommandLine),
    bind(Browse, ch('y'), A::CopyReference),
    // Several tasks at once and long notes (issue 12).
    bind(Browse, ch(' '), A::ToggleMark),
    bind(Browse, ctrl(' '), A::MarkRange),
    bind(Browse, ch('V'), A::MarkVisible),
    bind(Browse, ch('N'), A::LongNote),
    // The letter urging an agency (issue 26).
    bind(Browse, ch('r'), A::Remind),
    // Indicators.
    bind(Indicators, ch('r'), A::RecordMeasurement),
    // Meeting mode: the presenter's clicker sends right/left or pagedown/pageup.
    bind(Meeting, named(KeyCode::Right), A::NextSlide),
    bind(Meeting, ch('l'), A::NextSlide),
    bind(Meeting, ch(' '), A::NextSlide),
    bind(Meeting, named(KeyCode::PageDown), A::NextSlide),
    bind(Meeting, named(KeyCode::Left), A::PrevSlide),
    bind(Meeting, ch('h'), A::PrevSlide),
    bind(Meeting, named(KeyCode::Backspace), A::PrevSlide),
    bind(Meeting, named(KeyCode::PageUp), A::PrevSlide),
    bind(Meeting, ch('g'), A::FirstSlide),
    bind(Meeting, named(KeyCode::Home), A::FirstSlide),
    bind(Meeting, ch('G'), A::LastSlide),
    bind(Meeting, named(KeyCode::End), A::LastSlide),
    // ----- Places over the screens (issue 11) -----
    // Help: the moves are the Global ones; space pages as in a pager; `/` finds.
    bind(Help, ch(' '), A::PageDown),
    bind(Help, ch('/'), A::Search),
    // The search box (and the help's): Enter keeps the search and leaves the box, Esc clears
    // it; Tab completes a filter (`agency:S` → `agency:STP`), else leaves the box as Enter
    // does; the arrows and ctrl-n/ctrl-p still move in the list.
    bind(Search, named(KeyCode::Enter), A::Confirm),
    bind(Search, named(KeyCode::Tab), A::Complete),
    bind(Search, named(KeyCode::BackTab), A::CompleteBack),
    bind(Search, named(KeyCode::Esc), A::Cancel),
    bind(Search, named(KeyCode::Up), A::MoveUp),
    bind(Search, named(KeyCode::Down), A::MoveDown),
    bind(Search, ctrl('n'), A::NextHit),
    bind(Search, ctrl('p'), A::PrevHit),
    bind(Search, named(KeyCode::PageUp), A::PageUp),
    bind(Search, named(KeyCode::PageDown), A::PageDown),
    // The `:` command line.
    bind(Command, named(KeyCode::Enter), A::Confirm),
    bind(Command, named(KeyCode::Esc), A::Cancel),
    bind(Command, named(KeyCode::Tab), A::Complete),
    bind(Command, named(KeyCode::BackTab), A::CompleteBack),
    // Every popup.
    bind(Popup, named(KeyCode::Enter), A::Confirm),
    bind(Popup, named(KeyCode::Esc), A::Cancel),
    // The task and record forms.
    bind(Form, named(KeyCode::Tab), A::NextField),
    bind(Form, named(KeyCode::Down), A::NextField),
    bind(Form, named(KeyCode::BackTab), A::PrevField),
    bind(Form, named(KeyCode::Up), A::PrevField),
    // The status picker (the moves are the Global ones).
    bind(StatusPicker, ch('1'), A::PickStatus1),
    bind(StatusPicker, ch('2'), A::PickStatus2),
    bind(StatusPicker, ch('3'), A::PickStatus3),
    bind(StatusPicker, ch('4'), A::PickStatus4),
    // The confirmation before a change to marked tasks.
    bind(Confirm, ch('y'), A::Confirm),
    bind(Confirm, named(KeyCode::Enter), A::Confirm),
    bind(Confirm, ch('Y'), A::Confirm),
    bind(Confirm, ch('n'), A::Cancel),
    bind(Confirm, named(KeyCode::Esc), A::Cancel),
    bind(Confirm, ch('N'), A::Cancel),
    // The long-note box: Enter is a line break, so saving needs another key.
    bind(LongNote, named(KeyCode::Enter), A::NewLine),
    bind(LongNote, ctrl('s'), A::Confirm),
    bind(LongNote, alt(KeyCode::Enter), A::Confirm),
    // Editing any text field (the readline keys most terminals users know).
    bind(Text, named(KeyCode::Left), A::CursorLeft),
    bind(Text, named(KeyCode::Right), A::CursorRight),
    bind(Text, named(KeyCode::Home), A::LineStart),
    bind(Text, ctrl('a'), A::LineStart),
    bind(Text, named(KeyCode::End), A::LineEnd),
    bind(Text, ctrl('e'), A::LineEnd),
    bind(Text, named(KeyCode::Backspace), A::DeleteBack),
    bind(Text, named(KeyCode::Delete), A::DeleteForward),
    bind(Text, ctrl('w'), A::DeleteWord),
    bind(Text, ctrl_named(KeyCode::Backspace), A::DeleteWord),
    bind(Text, alt(KeyCode::Backspace), A::DeleteWord),
    bind(Text, ctrl('u'), A::ClearField),
];

/// Keys → actions per context: the defaults with the user's overrides merged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// At most one binding per (context, key); kept in table order for the help screen.
    bindings: Vec<Binding>,
    /// Keys the user unbound in one context, which must not fall through to `Global` there.
    blocked: Vec<(Context, Key)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULT_BINDINGS.to_vec(),
            blocked: Vec::new(),
        }
    }
}

/// One line of the help screen: an action, its keys in this context, what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    pub action: Action,
    pub keys: Vec<Key>,
    pub description: &'static str,
}

impl HelpEntry {
    /// The keys as the help screen shows them: "j, down"; a command without a key shows as
    /// its command line name (":area").
    pub fn keys_label(&self) -> String {
        if self.keys.is_empty()
            && let Some(command) = self.action.command()
        {
            return format!(":{command}");
        }
        let keys: Vec<String> = self.keys.iter().map(Key::to_string).collect();
        keys.join(", ")
    }
}

/// The help screen's group of bindings for one context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub context: Context,
    pub title: &'static str,
    pub entries: Vec<HelpEntry>,
}

impl Keymap {
    /// The action a key press asks for in `context`, if any. Releases (which Windows consoles
    /// and the kitty keyboard protocol report) ask for nothing; a repeat counts as a press.
    pub fn resolve(&self, event: &KeyEvent, context: Context) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        self.resolve_key(Key::from_event(event), context)
    }

    /// As [`Keymap::resolve`], for an already normalised key.
    pub fn resolve_key(&self, key: Key, context: Context) -> Option<Action> {
        // ctrl-c is checked before the table and no override can change it: whatever a config
        // file says, a user must always be able to leave. In raw mode the terminal's own ^C no
        // longer interrupts the program, so this is the only way out that is always there.
        if key == CTRL_C {
            return Some(Action::Quit);
        }
        for &link in context.chain() {
            if let Some(action) = self.lookup(link, key) {
                return Some(action);
            }
            if self.blocked.contains(&(link, key)) {
                return None;
            }
        }
        None
    }

    fn lookup(&self, context: Context, key: Key) -> Option<Action> {
        // A linear scan: about fifty rows, one lookup per key press.
        self.bindings
            .iter()
            .find(|b| b.context == context && b.key == key)
            .map(|b| b.action)
    }

    /// Every binding, defaults and overrides merged, in table order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The keys that ask for `action` in `context` (its own and those of its chain that still
    /// reach it), for key hints in a status bar: `keys_for(Action::Help, ctx)` → `["?", "f1"]`.
    pub fn keys_for(&self, action: Action, context: Context) -> Vec<Key> {
        let mut keys: Vec<Key> = Vec::new();
        // The context's own keys first, then along its chain, each in table order.
        let along_chain = context
            .chain()
            .iter()
            .flat_map(|&c| self.bindings.iter().filter(move |b| b.context == c));
        for b in along_chain {
            let candidate = b.action == action
                && !keys.contains(&b.key)
                && !(context.takes_text() && b.key.is_typed_char().is_some());
            if candidate && self.resolve_key(b.key, context) == Some(action) {
                keys.push(b.key);
            }
        }
        keys
    }

    /// The help screen's content: one section per context that has bindings, entries in the
    /// order of [`Action::ALL`], each with all its keys in that context.
    pub fn help(&self, lang: Lang) -> Vec<HelpSection> {
        Context::ALL
            .into_iter()
            .filter_map(|context| {
                let entries: Vec<HelpEntry> = Action::ALL
                    .iter()
                    .filter_map(|&action| {
                        let keys: Vec<Key> = self
                            .bindings
                            .iter()
                            .filter(|b| b.context == context && b.action == action)
                            .map(|b| b.key)
                            .collect();
                        // A command with no key anywhere is listed with the task list,
                        // where `:` is typed.
                        let command_only = context == Context::Browse
                            && action.command().is_some()
                            && !DEFAULT_BINDINGS.iter().any(|b| b.action == action)
                            && !self.bindings.iter().any(|b| b.action == action);
                        (!keys.is_empty() || command_only).then(|| HelpEntry {
                            action,
                            keys,
                            description: action.description(lang),
                        })
                    })
                    .collect();
                (!entries.is_empty()).then(|| HelpSection {
                    context,
                    title: context.title(lang),
                    entries,
                })
            })
            .collect()
    }

    /// The keymap as Markdown, one table per context with both languages side by side: the
    /// README's keys table (between `<!-- keys:begin -->` and `<!-- keys:end -->`), which
    /// a test keeps equal to this (`CCHC_UPDATE_DOCS=1 cargo test --lib tui::views` rewrites
    /// it).
    pub fn markdown_table(&self) -> String {
        let vi = self.help(Lang::Vi);
        let en = self.help(Lang::En);
        let mut out = String::new();
        for (v, e) in vi.iter().zip(&en) {
            out.push_str(&format!("**{} / {}**\n\n", v.title, e.title));
            out.push_str("| Phím / keys | Tiếng Việt | English |\n|---|---|---|\n");
            for (ve, ee) in v.entries.iter().zip(&e.entries) {
                let mut keys: Vec<String> = ve.keys.iter().map(|k| format!("`{k}`")).collect();
                if keys.is_empty() {
                    // A command without a key: its `:name`.
                    keys.push(format!("`{}`", ve.keys_label()));
                }
                out.push_str(&format!(
                    "| {} | {} | {} |\n",
                    keys.join(", ").replace('|', "\\|"),
                    ve.description,
                    ee.description
                ));
            }
            out.push('\n');
        }
        // Every `:` command, as the help screen lists them too.
        out.push_str("**Lệnh (gõ sau dấu :) / Commands (typed after :)**\n\n");
        out.push_str("| Lệnh / command | Tiếng Việt | English |\n|---|---|---|\n");
        let en = super::command::usage(Lang::En);
        for ((vi_usage, vi_text), (en_usage, en_text)) in
            super::command::usage(Lang::Vi).into_iter().zip(en)
        {
            let mut typed = format!("`{vi_usage}`");
            if en_usage != vi_usage {
                typed.push_str(&format!(" / `{en_usage}`"));
            }
            out.push_str(&format!(
                "| {} | {vi_text} | {en_text} |\n",
                typed.replace('|', "\\|")
            ));
        }
        out.push('\n');
        out
    }

    /// Binds `key` to `action` in `context`, replacing what the key did there. Binding in
    /// `Global` makes the key mean the same on every screen, so the key's screen-specific
    /// bindings go (popups and text fields keep theirs). ctrl-c cannot be rebound (see
    /// [`Keymap::resolve_key`]), nor can a plain character where it is typed as text.
    pub fn bind(&mut self, context: Context, key: Key, action: Action) -> Result<(), String> {
        if key == CTRL_C {
            return if action == Action::Quit {
                Ok(())
            } else {
                Err(ctrl_c_message())
            };
        }
        if context.takes_text()
            && let Some(c) = key.is_typed_char()
        {
            return Err(format!(
                "{c:?} is typed as text in [keys.{}]; bind a key with ctrl- or alt-, or a named \
                 key (enter, f2, …)",
                context.name()
            ));
        }
        let replaced = |c: Context| c == context || (context == Context::Global && c.is_screen());
        self.bindings
            .retain(|b| b.key != key || !replaced(b.context));
        self.blocked.retain(|&(c, k)| k != key || !replaced(c));
        self.bindings.push(Binding {
            context,
            key,
            action,
        });
        Ok(())
    }

    /// Removes `key` from `context`, or from every context when `None`. Unbinding in one
    /// screen also stops the key from falling through to its `Global` meaning there.
    pub fn unbind(&mut self, context: Option<Context>, key: Key) -> Result<(), String> {
        if key == CTRL_C {
            return Err(ctrl_c_message());
        }
        match context {
            None => {
                self.bindings.retain(|b| b.key != key);
                self.blocked.retain(|&(_, k)| k != key);
            }
            Some(context) => {
                self.bindings
                    .retain(|b| !(b.key == key && b.context == context));
                if context != Context::Global && !self.blocked.contains(&(context, key)) {
                    self.blocked.push((context, key));
                }
            }
        }
        Ok(())
    }

    /// The defaults with the config file's `[keys]` table merged over them. Problems come back
    /// as one-line warnings (for the status bar) naming the offending entry; every good entry
    /// still applies.
    ///
    /// ```toml
    /// [keys]
    /// "x" = "toggle_overdue"   # bound where toggle_overdue is bound by default (browse)
    /// "o" = "none"             # unbound on every screen
    /// [keys.meeting]
    /// "n" = "next_slide"       # one screen only
    /// ```
    ///
    /// Plain entries apply first, then the per-screen tables, the more specific word winning.
    /// A new key adds to an action's default keys; unbind the old one with `"none"`.
    pub fn from_config(keys: &toml::Table) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let mut warnings = Vec::new();
        for (key, value) in keys {
            match value {
                toml::Value::String(action) => {
                    if let Err(e) = keymap.apply(None, key, action) {
                        warnings.push(format!("[keys] {key:?}: {e}"));
                    }
                }
                toml::Value::Table(_) => {}
                other => warnings.push(format!(
                    "[keys] {key:?}: expected an action name such as \"toggle_overdue\" or \
                     \"none\", found {other}"
                )),
            }
        }
        for (name, value) in keys {
            let toml::Value::Table(table) = value else {
                continue;
            };
            let Some(context) = Context::from_name(name) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                warnings.push(format!(
                    "[keys.{name}]: unknown screen or popup; use one of {}",
                    names.join(", ")
                ));
                continue;
            };
            for (key, value) in table {
                let result = match value {
                    toml::Value::String(action) => keymap.apply(Some(context), key, action),
                    other => Err(format!(
                        "expected an action name such as \"next_slide\" or \"none\", found {other}"
                    )),
                };
                if let Err(e) = result {
                    warnings.push(format!("[keys.{}] {key:?}: {e}", context.name()));
                }
            }
        }
        (keymap, warnings)
    }

    /// One config entry: `key = action` or `key = "none"`, in `context` or, when `None`, in the
    /// contexts where the action is bound by default.
    fn apply(&mut self, context: Option<Context>, key: &str, action: &str) -> Result<(), String> {
        let key: Key = key.parse().map_err(|e: KeyParseError| e.to_string())?;
        if action.trim().eq_ignore_ascii_case("none") {
            return self.unbind(context, key);
        }
        let action = Action::from_name(action).ok_or_else(|| unknown_action(action))?;
        match context {
            Some(context) => self.bind(context, key, action),
            None => home_contexts(action)
                .into_iter()
                .try_for_each(|context| self.bind(context, key, action)),
        }
    }
}

fn ctrl_c_message() -> String {
    "ctrl-c always quits and cannot be changed, so there is always a way out".to_string()
}

/// The contexts where `action` has a default key, where a plain `[keys]` entry binds it.
fn home_contexts(action: Action) -> Vec<Context> {
    let mut contexts: Vec<Context> = Vec::new();
    for b in DEFAULT_BINDINGS.iter().filter(|b| b.action == action) {
        if !contexts.contains(&b.context) {
            contexts.push(b.context);
        }
    }
    if contexts.is_empty() {
        contexts.push(Context::Global);
    }
    contexts
}

fn unknown_action(name: &str) -> String {
    let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
    let closest = Action::ALL
        .iter()
        .map(|a| (edit_distance(&wanted, a.name()), a.name()))
        .min();
    match closest {
        // One typo per four letters: "toggle_overdu" gets a suggestion, "frob" does not.
        Some((distance, suggestion)) if distance <= (wanted.chars().count() / 4).max(1) => {
            format!("unknown action {name:?} (did you mean {suggestion:?}?)")
        }
        _ => {
            let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
            format!(
                "unknown action {name:?}; use \"none\" or one of {}",
                names.join(", ")
            )
        }
    }
}

/// Levenshtein distance, for "did you mean" on short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
