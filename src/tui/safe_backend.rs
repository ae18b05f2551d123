//! The TUI's one chokepoint for untrusted text: a `Backend` wrapper through which every cell
//! ratatui draws passes on its way to the terminal, checked with the one rule's predicate
//! ([`untrusted::is_unsafe`]).
//!
//! Views draw titles, agency names, outputs, notes and member names straight from the file.
//! ratatui drops C0/C1 controls and most zero-width graphemes itself, but a character that joins
//! the grapheme before it (a zero-width joiner, a combining grapheme joiner, a tag character) is
//! kept inside that cell's symbol and would reach the member's terminal raw. Here every unsafe
//! character is removed from a cell's symbol, and a symbol that was nothing but unsafe
//! characters becomes U+FFFD (see [`REPLACEMENT`]). Because the check is on the way out, not in
//! each view, every screen is covered, including screens added later; a view need not (and
//! should not) escape text a second time to be safe, though escaping to *show* a hidden
//! character (as the meeting slides do with `untrusted::line`) is still allowed.

use std::borrow::Cow;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

use crate::untrusted;

/// What a cell holding only unsafe characters shows: the replacement character, visible (so a
/// hidden character is noticed rather than silently blank) and one column wide in every
/// terminal, repeated to the width the symbol had so the rest of the row stays where ratatui
/// put it.
pub const REPLACEMENT: char = '\u{fffd}';

/// The symbol a cell may send to the terminal: `None` when it is already safe (the common
/// case, no allocation), else the symbol without its unsafe characters, or [`REPLACEMENT`]s
/// when nothing else was left.
pub fn safe_symbol(symbol: &str) -> Option<String> {
    if !symbol.chars().any(untrusted::is_unsafe) {
        return None;
    }
    let kept: String = symbol
        .chars()
        .filter(|&c| !untrusted::is_unsafe(c))
        .collect();
    if !kept.is_empty() {
        return Some(kept);
    }
    let width = symbol.width().max(1);
    Some(std::iter::repeat_n(REPLACEMENT, width).collect())
}

/// The cell as it may be drawn: borrowed when safe, else a copy with a safe symbol (style and
/// everything else unchanged).
pub fn safe_cell(cell: &Cell) -> Cow<'_, Cell> {
    match safe_symbol(cell.symbol()) {
        None => Cow::Borrowed(cell),
        Some(symbol) => {
            let mut cell = cell.clone();
            cell.set_symbol(&symbol);
            Cow::Owned(cell)
        }
    }
}

/// A backend that draws every cell through [`safe_cell`]; everything else is `B`'s own.
#[derive(Debug)]
pub struct SafeBackend<B> {
    inner: B,
}

impl<B: Backend> SafeBackend<B> {
    pub fn new(inner: B) -> Self {
        SafeBackend { inner }
    }
}

impl<B: Backend> Backend for SafeBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, Cow<'a, Cell>)> = content
            .map(|(x, y, cell)| (x, y, safe_cell(cell)))
            .collect();
        self.inner
            .draw(cells.iter().map(|(x, y, cell)| (*x, *y, cell.as_ref())))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Style};
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    #[test]
    fn unsafe_characters_are_removed_from_a_symbol() {
        assert_eq!(safe_symbol("g\u{202e}").as_deref(), Some("g"));
        assert_eq!(safe_symbol("\u{200b}a").as_deref(), Some("a"));
        assert_eq!(
            safe_symbol("t\u{200d}\u{34f}\u{e0041}").as_deref(),
            Some("t")
        );
        assert_eq!(safe_symbol("x\u{2066}\u{2069}").as_deref(), Some("x"));
    }

    #[test]
    fn a_symbol_of_only_unsafe_characters_becomes_visible_at_its_width() {
        assert_eq!(safe_symbol("\u{202e}").as_deref(), Some("\u{fffd}"));
        assert_eq!(safe_symbol("\u{200b}").as_deref(), Some("\u{fffd}"));
        assert_eq!(safe_symbol("\u{1b}").as_deref(), Some("\u{fffd}"));
        // The Hangul choseong filler is blank and two columns wide.
        assert_eq!("\u{115f}".width(), 2);
        assert_eq!(safe_symbol("\u{115f}").as_deref(), Some("\u{fffd}\u{fffd}"));
    }

    #[test]
    fn vietnamese_graphemes_with_combining_marks_are_kept_intact() {
        let nfc = "ệ";
        let decomposed: String = nfc.nfd().collect();
        assert_eq!(decomposed.chars().count(), 3, "e, dot below, circumflex");
        for symbol in [nfc, decomposed.as_str(), "Ư", "đ", " ", "─", "▶", "漢"] {
            assert_eq!(safe_symbol(symbol), None, "{symbol:?}");
            let mut cell = Cell::EMPTY;
            cell.set_symbol(symbol);
            assert!(matches!(safe_cell(&cell), Cow::Borrowed(_)), "{symbol:?}");
        }
    }

    #[test]
    fn a_cleaned_cell_keeps_its_style() {
        let mut cell = Cell::new("g\u{202e}");
        cell.set_style(Style::new().fg(Color::Red).bg(Color::Blue));
        let safe = safe_cell(&cell);
        assert_eq!(safe.symbol(), "g");
        assert_eq!(safe.fg, Color::Red);
        assert_eq!(safe.bg, Color::Blue);
    }

    /// Through a real `Terminal`: a cell given a hidden character directly (as a widget may do
    /// with `set_symbol`) reaches the backend without it, and the row stays aligned.
    #[test]
    fn the_wrapper_cleans_what_the_terminal_draws() {
        let mut terminal = Terminal::new(SafeBackend::new(TestBackend::new(6, 1))).unwrap();
        terminal
            .draw(|frame| {
                let buf = frame.buffer_mut();
                buf[(0, 0)].set_symbol("a\u{200d}");
                buf[(1, 0)].set_symbol("\u{202e}");
                buf[(2, 0)].set_symbol("ệ");
                buf[(3, 0)].set_symbol("b");
            })
            .unwrap();
        let shown = terminal.backend().inner.buffer();
        let symbols: Vec<&str> = shown.content().iter().map(Cell::symbol).collect();
        assert_eq!(symbols, ["a", "\u{fffd}", "ệ", "b", " ", " "]);
    }
}
