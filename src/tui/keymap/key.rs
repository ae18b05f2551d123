//! One key as the keymap sees it: normalised from crossterm events, parsed from and printed
//! as the config file's notation ("ctrl-d", "shift-tab", "G").

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;
use std::str::FromStr;

/// A key as the keymap sees it: a crossterm code plus the modifiers that matter, normalised so
/// that the same keystroke always compares equal however the terminal reported it.
///
/// Normalisation: only ctrl, alt and shift count; a character never carries shift (`G` is
/// `Char('G')`, whether crossterm said `Char('G')`, `Char('G')+SHIFT` or `Char('g')+SHIFT`);
/// `ctrl-G` is `ctrl-g`; `shift-tab` and `backtab` are both `BackTab` without shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub(super) code: KeyCode,
    pub(super) mods: KeyModifiers,
}

/// ctrl-c, which always quits.
pub const CTRL_C: Key = ctrl('c');

/// A plain character key, already normalised (use an upper-case letter for `shift-letter`).
pub(super) const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

/// ctrl plus a lower-case letter.
pub(super) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// alt plus a named key (alt-enter, alt-backspace).
pub(super) const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}

/// ctrl plus a named key (ctrl-backspace).
pub(super) const fn ctrl_named(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::CONTROL,
    }
}

/// A named key without modifiers.
pub(super) const fn named(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

impl Key {
    /// The key press a terminal sends for this key (tests press keys through the keymap).
    pub fn event(self) -> KeyEvent {
        KeyEvent::new(self.code, self.mods)
    }

    /// Builds a normalised key from any code and modifiers.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                let mut c = c;
                if mods.contains(KeyModifiers::SHIFT) {
                    c = single_case(c.to_uppercase()).unwrap_or(c);
                }
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    // Terminals cannot tell ctrl-g from ctrl-shift-g; neither do we.
                    c = single_case(c.to_lowercase()).unwrap_or(c);
                }
                KeyCode::Char(c)
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// The key of a crossterm event (its kind and state are ignored here).
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// A press event for this key, as a terminal would send it; handy in tests.
    pub fn to_event(self) -> KeyEvent {
        KeyEvent::new(self.code, self.mods)
    }

    pub fn code(self) -> KeyCode {
        self.code
    }

    pub fn modifiers(self) -> KeyModifiers {
        self.mods
    }

    /// A character typed without ctrl or alt: in a text field, that is text.
    pub fn is_typed_char(self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !self
                    .mods
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        }
    }
}

/// `Some(c)` when a case mapping yields exactly one character (`ß` upper-cases to two).
fn single_case(mut it: impl Iterator<Item = char>) -> Option<char> {
    let first = it.next()?;
    it.next().is_none().then_some(first)
}

/// Named keys, as written in the config file; the first spelling of each is the one displayed.
const KEY_NAMES: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("page-up", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("page-down", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
];

/// Why a key string was not understood; the message says what would have been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParseError {
    input: String,
}

impl fmt::Display for KeyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown key {:?}: write one character (\"j\", \"G\", \"/\") or a name (enter, esc, \
             tab, shift-tab, space, backspace, up, down, left, right, pageup, pagedown, home, \
             end, f1…f24), optionally after ctrl-, alt- or shift-",
            self.input
        )
    }
}

impl std::error::Error for KeyParseError {}

impl FromStr for Key {
    type Err = KeyParseError;

    /// Parses "j", "G", "/", "enter", "shift-tab", "ctrl-d", "alt-x", "f1"…; modifier and key
    /// names ignore case (`Ctrl-D`), a single character does not (`g` ≠ `G`).
    fn from_str(s: &str) -> Result<Key, KeyParseError> {
        let err = || KeyParseError {
            input: s.to_string(),
        };
        let mut mods = KeyModifiers::NONE;
        let mut rest = s.trim();
        // Strip modifier prefixes; what remains must be non-empty, so "ctrl--" is ctrl + '-'.
        'prefixes: loop {
            for (prefix, modifier) in [
                ("ctrl", KeyModifiers::CONTROL),
                ("alt", KeyModifiers::ALT),
                ("shift", KeyModifiers::SHIFT),
            ] {
                let Some(head) = rest.get(..prefix.len() + 1) else {
                    continue;
                };
                let sep_ok = head.ends_with('-') || head.ends_with('+');
                if sep_ok
                    && head[..prefix.len()].eq_ignore_ascii_case(prefix)
                    && rest.len() > head.len()
                {
                    mods |= modifier;
                    rest = &rest[head.len()..];
                    continue 'prefixes;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(err()),
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                if let Some((_, code)) = KEY_NAMES.iter().find(|(name, _)| *name == lower) {
                    *code
                } else if let Some(n) = lower
                    .strip_prefix('f')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=24).contains(n))
                {
                    KeyCode::F(n)
                } else {
                    return Err(err());
                }
            }
        };
        Ok(Key::new(code, mods))
    }
}

impl fmt::Display for Key {
    /// The canonical notation, which parses back to the same key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (modifier, prefix) in [
            (KeyModifiers::CONTROL, "ctrl-"),
            (KeyModifiers::ALT, "alt-"),
            (KeyModifiers::SHIFT, "shift-"),
        ] {
            if self.mods.contains(modifier) {
                f.write_str(prefix)?;
            }
        }
        match self.code {
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            code => match KEY_NAMES.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => f.write_str(name),
                // Keys we never bind (caps lock, media keys…) still print something readable.
                None => write!(f, "{}", format!("{code:?}").to_lowercase()),
            },
        }
    }
}
