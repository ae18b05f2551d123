//! A one-line text field: the search box, the percent and note prompts, the task form.
//!
//! Text typed into a prompt never goes through the keymap; the editing keys around it do (the
//! keymap's `text` context), and both become [`Edit`]s that the focused field applies. The cursor counts characters, so editing
//! Vietnamese never splits a character; what is shown is measured in terminal cells.

use unicode_width::UnicodeWidthChar;

use super::action::Action;

/// One editing step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    /// Pasted text (bracketed paste): inserted as one edit, line breaks become spaces.
    Paste(String),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-u: clear the field.
    Clear,
    /// Ctrl-w: delete the word before the cursor.
    DeleteWord,
}

impl Edit {
    /// The editing step a text-field action of the keymap asks for.
    pub fn of_action(action: Action) -> Option<Edit> {
        Some(match action {
            Action::CursorLeft => Edit::Left,
            Action::CursorRight => Edit::Right,
            Action::LineStart => Edit::Home,
            Action::LineEnd => Edit::End,
            Action::DeleteBack => Edit::Backspace,
            Action::DeleteForward => Edit::Delete,
            Action::DeleteWord => Edit::DeleteWord,
            Action::ClearField => Edit::Clear,
            Action::NewLine => Edit::Insert('\n'),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// In characters, 0..=char count.
    cursor: usize,
}

impl TextInput {
    pub fn new(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn set(&mut self, text: &str) {
        *self = TextInput::new(text);
    }

    /// Where the word before the cursor starts, in bytes (after the last space before it).
    fn word_start(&self) -> usize {
        let before = &self.text[..self.byte_at(self.cursor)];
        before.rfind(' ').map_or(0, |i| i + 1)
    }

    /// The word being typed: from the last space before the cursor to the cursor.
    pub fn word_before_cursor(&self) -> &str {
        &self.text[self.word_start()..self.byte_at(self.cursor)]
    }

    /// Puts `word` in place of the word before the cursor, the cursor after it (Tab).
    pub fn replace_word_before_cursor(&mut self, word: &str) {
        let (start, end) = (self.word_start(), self.byte_at(self.cursor));
        self.text.replace_range(start..end, word);
        self.cursor = self.text[..start + word.len()].chars().count();
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Applies one edit; returns whether the text changed.
    pub fn edit(&mut self, edit: &Edit) -> bool {
        match edit {
            Edit::Insert(c) if !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, *c);
                self.cursor += 1;
                true
            }
            Edit::Insert(_) => false,
            Edit::Paste(s) => {
                let clean: String = s
                    .chars()
                    .map(|c| {
                        if c == '\n' || c == '\r' || c == '\t' {
                            ' '
                        } else {
                            c
                        }
                    })
                    .filter(|c| !c.is_control())
                    .collect();
                if clean.is_empty() {
                    return false;
                }
                let at = self.byte_at(self.cursor);
                self.text.insert_str(at, &clean);
                self.cursor += clean.chars().count();
                true
            }
            Edit::Backspace => {
                if self.cursor == 0 {
                    return false;
                }
                self.cursor -= 1;
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            Edit::Delete => {
                if self.cursor >= self.len() {
                    return false;
                }
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                true
            }
            Edit::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            Edit::Right => {
                self.cursor = (self.cursor + 1).min(self.len());
                false
            }
            Edit::Home => {
                self.cursor = 0;
                false
            }
            Edit::End => {
                self.cursor = self.len();
                false
            }
            Edit::Clear => {
                let changed = !self.text.is_empty();
                self.text.clear();
                self.cursor = 0;
                changed
            }
            Edit::DeleteWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                if start == self.cursor {
                    return false;
                }
                let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
                self.text.replace_range(from..to, "");
                self.cursor = start;
                true
            }
        }
    }

    /// Inserts text at the cursor keeping its line breaks (a multi-line field): `\r\n` and
    /// `\r` become `\n`, a tab four spaces, other control characters are dropped. Returns
    /// whether the text changed.
    pub fn insert_lines(&mut self, s: &str) -> bool {
        let clean: String = s
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\t', "    ")
            .chars()
            .filter(|c| *c == '\n' || !c.is_control())
            .collect();
        if clean.is_empty() {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
        true
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// What fits in `cells` cells, scrolled so the cursor is visible, and the cursor's column
    /// within it.
    pub fn view(&self, cells: usize) -> (String, usize) {
        let cells = cells.max(1);
        let chars: Vec<char> = self.text.chars().collect();
        let w = |c: &char| UnicodeWidthChar::width(*c).unwrap_or(0);
        // Start as far left as possible while the cursor (plus one cell for it) still fits.
        let mut start = 0;
        let width_between =
            |from: usize, to: usize| -> usize { chars[from..to].iter().map(w).sum::<usize>() };
        while start < self.cursor && width_between(start, self.cursor) + 1 > cells {
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for c in &chars[start..] {
            let cw = w(c);
            if used + cw > cells {
                break;
            }
            used += cw;
            shown.push(*c);
        }
        (shown, width_between(start, self.cursor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> TextInput {
        let mut t = TextInput::default();
        for c in s.chars() {
            t.edit(&Edit::Insert(c));
        }
        t
    }

    #[test]
    fn the_word_before_the_cursor_is_replaced() {
        let mut t = typed("bao cao agency:S");
        assert_eq!(t.word_before_cursor(), "agency:S");
        t.replace_word_before_cursor("agency:STP");
        assert_eq!(
            (t.text(), t.word_before_cursor()),
            ("bao cao agency:STP", "agency:STP")
        );
        // In the middle: only up to the cursor.
        t.edit(&Edit::Home);
        t.edit(&Edit::Right);
        t.edit(&Edit::Right);
        assert_eq!(t.word_before_cursor(), "ba");
        t.replace_word_before_cursor("báo");
        assert_eq!(t.text(), "báoo cao agency:STP");
        t.edit(&Edit::Insert('!'));
        assert_eq!(t.text(), "báo!o cao agency:STP");
    }

    #[test]
    fn edits_by_character() {
        let mut t = typed("nội vụ");
        assert_eq!(t.text(), "nội vụ");
        t.edit(&Edit::Backspace);
        assert_eq!(t.text(), "nội v");
        t.edit(&Edit::Home);
        t.edit(&Edit::Delete);
        assert_eq!(t.text(), "ội v");
        t.edit(&Edit::Insert('N'));
        assert_eq!(t.text(), "Nội v");
        t.edit(&Edit::End);
        t.edit(&Edit::DeleteWord);
        assert_eq!(t.text(), "Nội ");
        t.edit(&Edit::Paste("a\nb".into()));
        assert_eq!(t.text(), "Nội a b");
        assert!(t.edit(&Edit::Clear));
        assert!(t.is_empty());
        // Nothing to delete is not a change and never panics.
        assert!(!t.edit(&Edit::Backspace));
        assert!(!t.edit(&Edit::Delete));
        assert!(!t.edit(&Edit::DeleteWord));
        assert!(!t.edit(&Edit::Insert('\u{7}')));
    }

    #[test]
    fn view_keeps_the_cursor_visible() {
        let t = typed("Cải cách hành chính");
        let (shown, cursor) = t.view(8);
        assert!(shown.ends_with("chính") || cursor < 8, "{shown}");
        assert!(cursor < 8);
        assert_eq!(typed("60").view(10), ("60".to_string(), 2));
        let mut t = typed("abcdefghij");
        t.edit(&Edit::Home);
        assert_eq!(t.view(4), ("abcd".to_string(), 0));
    }
}
