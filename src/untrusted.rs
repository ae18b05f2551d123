//! The one rule for untrusted text. Every string in the file was typed by some member (or by
//! anyone who can write the file); it reaches another member's terminal, spreadsheet or report
//! only through these functions.
//!
//! - On a terminal or in a table: control characters (C0, DEL, C1), bidi controls and invisible
//!   characters are shown escaped (`\u{202e}`), so an escape sequence can never run and a
//!   reversed or hidden word can never pass for something else. Tables show multi-line text on
//!   one line.
//! - In a spreadsheet cell: text that a spreadsheet would evaluate (a leading `=`, `+`, `-`, `@`,
//!   tab or CR) is made inert with a leading apostrophe, as Excel and LibreOffice do themselves.
//! - On input of names, codes and logins: such characters are refused, not escaped.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Longest task title, in characters.
pub const MAX_TITLE: usize = 500;
/// Longest note or expected output, in characters.
pub const MAX_NOTE: usize = 10_000;
/// Longest task detail (the plan's paragraph), in characters.
pub const MAX_DETAIL: usize = 50_000;
/// Longest name: member, login, agency name or code, indicator source.
pub const MAX_NAME: usize = 100;

/// True for the characters that must never reach a terminal raw: C0 controls (newline and tab
/// included: callers that allow them check first), DEL, C1 controls, the bidi controls, and
/// invisible formatting characters (zero-width spaces and joiners, word joiner, BOM, soft
/// hyphen, invisible operators, tag characters, the interlinear annotation marks).
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{ad}'                      // soft hyphen
        | '\u{34f}'                     // combining grapheme joiner
        | '\u{61c}'                     // Arabic letter mark (bidi)
        | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' // Hangul fillers (blank look-alikes)
        | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'       // Mongolian free variation selectors, vowel separator
        | '\u{200b}'..='\u{200f}'       // zero-width space/joiners, LRM, RLM
        | '\u{2028}' | '\u{2029}'       // line and paragraph separators
        | '\u{202a}'..='\u{202e}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{206f}'       // word joiner, invisible operators, bidi isolates
        | '\u{feff}'                    // BOM / zero-width no-break space
        | '\u{fff9}'..='\u{fffb}'       // interlinear annotation
        | '\u{e0000}'..='\u{e007f}'     // tag characters
    )
}

/// Pretty JSON with every unsafe character (see [`is_unsafe`]) written as a `\u` escape:
/// still the same JSON to every reader, but a bidi override, a zero-width joiner, a C1 control
/// or DEL stored in the file never reaches a terminal or a log viewer raw.
pub fn json_pretty<T: serde::Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeJson::default());
    v.serialize(&mut ser)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// serde_json's pretty formatter, escaping the unsafe characters it would write raw.
#[derive(Default)]
struct SafeJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{:04x}", unit)?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

fn escape_into(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// One line for a table cell or a one-line message: line breaks and tabs become spaces,
/// everything else unsafe is escaped.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe(c) => escape_into(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text shown on several lines (a task's detail, a note in `task show`, a report's body): line
/// breaks and tabs are kept, everything else unsafe is escaped.
pub fn block(s: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t';
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            c if keep(c) => out.push(c),
            c if is_unsafe(c) => escape_into(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// True when a spreadsheet would evaluate `s` as a formula (or a DDE command) if it were typed
/// into a cell or read from a CSV file.
pub fn is_formula_like(s: &str) -> bool {
    matches!(
        s.chars().next(),
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'
        )
    )
}

/// True when `s` needs the guarding apostrophe: it is formula-like, or it is formula-like after
/// apostrophes of its own (so that [`uncell`] can tell the guard from a real apostrophe and a
/// CSV export reads back exactly as it was written).
fn needs_guard(s: &str) -> bool {
    is_formula_like(s.trim_start_matches('\''))
}

/// A text cell bound for a spreadsheet (CSV or .xlsx): escaped as [`line`] and, when it would be
/// evaluated, prefixed with an apostrophe so that it stays text. Numbers and dates are not text
/// cells and do not go through here.
pub fn cell(s: &str) -> Cow<'_, str> {
    let shown = line(s);
    if needs_guard(s) {
        return Cow::Owned(format!("'{shown}"));
    }
    shown
}

/// A text cell that keeps its line breaks (a note or detail in an .xlsx cell, which shows them
/// wrapped), made inert as [`cell`].
pub fn cell_block(s: &str) -> Cow<'_, str> {
    let shown = block(s);
    if needs_guard(s) {
        return Cow::Owned(format!("'{shown}"));
    }
    shown
}

/// The text a spreadsheet cell read back from a file (an import) holds, without the apostrophe
/// [`cell`] adds: exactly one leading apostrophe is removed when what follows it, past any
/// further apostrophes, is formula-like. So `'=SUM(A1)` imports as `=SUM(A1)`, `''=x` as `'=x`,
/// and an ordinary `'quoted'` title is left alone. (Escaped control characters are not restored:
/// they were never meant to be there.)
pub fn uncell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => s,
    }
}

/// Refusal of an input (a name, code or login, or a text over its limit): says which field and
/// why, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("{field} is empty; give a name")]
    Empty { field: &'static str },
    #[error("{field} is {len} characters long; the limit is {max}")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error(
        "{field} holds the invisible or control character {shown}; retype it without that character"
    )]
    Unsafe { field: &'static str, shown: String },
}

/// The canonical form of a name typed by a user (member, login, agency name or code, source):
/// NFC, trimmed, at most [`MAX_NAME`] characters, no control, bidi or invisible character
/// (newlines and tabs included).
pub fn name(field: &'static str, s: &str) -> Result<String, InputError> {
    let s = crate::text::nfc(s);
    if s.is_empty() {
        return Err(InputError::Empty { field });
    }
    if let Some(c) = s.chars().find(|&c| is_unsafe(c)) {
        let mut shown = String::new();
        escape_into(&mut shown, c);
        return Err(InputError::Unsafe { field, shown });
    }
    let len = s.chars().count();
    if len > MAX_NAME {
        return Err(InputError::TooLong {
            field,
            len,
            max: MAX_NAME,
        });
    }
    Ok(s)
}

/// Checks a free text's length (title, note, output, detail) against its limit, in characters.
pub fn check_len(field: &'static str, s: &str, max: usize) -> Result<(), InputError> {
    // Counting stops one past the limit, so a 50 MB string is not walked to the end.
    let len = s.chars().take(max + 1).count();
    if len > max {
        return Err(InputError::TooLong {
            field,
            len: s.chars().count(),
            max,
        });
    }
    Ok(())
}

/// `s` cut to at most `max` characters, for what must be kept but bounded (a refused attempt's
/// claimed name and note in the change log).
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((at, _)) => Cow::Owned(format!("{}…", &s[..at])),
    }
}

#[cfg(test)]
mod tests;
