//! The big numerals at the top of a meeting slide ("2/340", "34", "3/19"), each over its
//! caption, in the largest font that fits: the room reads them from the back. The font is
//! chosen by measuring what the figures need against the room given, never by the terminal's
//! size alone, so three long figures on a wide, short window and one short figure on a narrow,
//! tall one both get the biggest type that fits.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;
use tui_big_text::{BigText, PixelSize};

use super::slide_text::fit;

/// The fonts, largest first. The big ones draw each character of an 8×8 bitmap font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Full blocks: 8 columns × 8 rows per character.
    Full,
    /// Half blocks: 8 columns × 4 rows, the bitmap's own proportions on a terminal's tall cells.
    HalfHeight,
    /// Quadrant blocks: 4 columns × 4 rows.
    Quadrant,
    /// Ordinary bold digits, one row: the last resort.
    Plain,
}

impl Font {
    pub const LARGEST_FIRST: [Font; 4] =
        [Font::Full, Font::HalfHeight, Font::Quadrant, Font::Plain];

    /// Columns and rows one character takes.
    pub fn cell(self) -> (u16, u16) {
        match self {
            Font::Full => (8, 8),
            Font::HalfHeight => (8, 4),
            Font::Quadrant => (4, 4),
            Font::Plain => (1, 1),
        }
    }

    fn pixel_size(self) -> Option<PixelSize> {
        match self {
            Font::Full => Some(PixelSize::Full),
            Font::HalfHeight => Some(PixelSize::HalfHeight),
            Font::Quadrant => Some(PixelSize::Quadrant),
            Font::Plain => None,
        }
    }

    /// Columns the figure takes in this font.
    pub fn width_of(self, figure: &str) -> u16 {
        let chars = u16::try_from(figure.chars().count()).unwrap_or(u16::MAX);
        chars.saturating_mul(self.cell().0)
    }
}

/// Columns between two figures, so "34" never reads as part of "2/340".
pub const GAP: u16 = 3;

/// One headline figure: the big text, the caption under it, and its style.
pub struct Figure {
    pub big: String,
    pub caption: String,
    pub style: Style,
}

/// The largest font in which every figure fits side by side in `width` columns, with its
/// caption row, in `height` rows. `Plain` when none of the big ones does.
pub fn pick(figures: &[&str], width: u16, height: u16) -> Font {
    let gaps = GAP.saturating_mul(u16::try_from(figures.len().saturating_sub(1)).unwrap_or(0));
    Font::LARGEST_FIRST
        .into_iter()
        .find(|font| {
            let need_w = figures
                .iter()
                .fold(gaps, |w, f| w.saturating_add(font.width_of(f)));
            let need_h = font.cell().1 + 1;
            need_w <= width && need_h <= height
        })
        .unwrap_or(Font::Plain)
}

/// Each figure's column: equal shares when every figure fits its share (the tidy look), else
/// each figure's own width plus an equal part of what is left.
fn columns(figures: &[Figure], font: Font, area: Rect) -> Vec<Rect> {
    let n = figures.len().max(1) as u16;
    let widths: Vec<u16> = figures.iter().map(|f| font.width_of(&f.big)).collect();
    let share = area.width / n;
    let equal = widths.iter().all(|w| w.saturating_add(GAP) <= share);
    let spare = area
        .width
        .saturating_sub(widths.iter().sum::<u16>())
        .saturating_sub(GAP * (n - 1))
        / n;
    let mut x = area.x;
    widths
        .iter()
        .map(|w| {
            let width = if equal { share } else { w + GAP + spare };
            let width = width.min(area.right().saturating_sub(x));
            let col = Rect { x, width, ..area };
            x = x.saturating_add(width);
            col
        })
        .collect()
}

/// Draws the figures across the top of `area` in the largest font that fits it; returns the
/// rows used, a blank row after the captions included.
pub fn draw(buf: &mut Buffer, area: Rect, figures: &[Figure], caption_style: Style) -> u16 {
    if figures.is_empty() || area.height == 0 {
        return 0;
    }
    let bigs: Vec<&str> = figures.iter().map(|f| f.big.as_str()).collect();
    let font = pick(&bigs, area.width, area.height);
    let rows = font.cell().1;
    for (figure, col) in figures.iter().zip(columns(figures, font, area)) {
        let big = Rect {
            height: rows.min(area.height),
            ..col
        };
        match font.pixel_size() {
            Some(size) => BigText::builder()
                .pixel_size(size)
                .style(figure.style)
                .lines(vec![Line::from(figure.big.clone())])
                .build()
                .render(big, buf),
            None => {
                buf.set_string(
                    col.x,
                    col.y,
                    fit(&figure.big, usize::from(col.width)),
                    figure.style.add_modifier(Modifier::BOLD),
                );
            }
        }
        if rows < area.height {
            // One column short of the next figure, so two captions never run together.
            let room = usize::from(col.width.saturating_sub(1).max(1));
            buf.set_string(
                col.x,
                col.y + rows,
                fit(&figure.caption, room),
                caption_style,
            );
        }
    }
    (rows + 2).min(area.height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_font_that_fits_is_measured() {
        let three = ["2/340", "34", "3/19"];
        // 11 characters: 88 columns in full blocks, plus two gaps.
        assert_eq!(pick(&three, 94, 9), Font::Full);
        // Half blocks are as wide as full ones: one column short goes to quadrants.
        assert_eq!(pick(&three, 93, 9), Font::Quadrant);
        // Full blocks fit across but not down: 8 rows and a caption.
        assert_eq!(pick(&three, 118, 8), Font::HalfHeight);
        // 44 + 6 columns in quadrant blocks.
        assert_eq!(pick(&three, 78, 20), Font::Quadrant);
        assert_eq!(pick(&three, 50, 5), Font::Quadrant);
        assert_eq!(pick(&three, 49, 20), Font::Plain);
        assert_eq!(pick(&three, 78, 4), Font::Plain);
        // One short figure gets full blocks in a narrow window.
        assert_eq!(pick(&["7"], 8, 9), Font::Full);
    }

    fn rendered(area: Rect, figures: &[Figure]) -> (u16, Vec<String>) {
        let mut buf = Buffer::empty(area);
        let used = draw(&mut buf, area, figures, Style::new());
        let rows = (0..area.height)
            .map(|y| {
                (0..area.width)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect();
        (used, rows)
    }

    fn figures(bigs: &[&str]) -> Vec<Figure> {
        bigs.iter()
            .map(|b| Figure {
                big: b.to_string(),
                caption: "nhiệm vụ hoàn thành đúng hạn".into(),
                style: Style::new(),
            })
            .collect()
    }

    #[test]
    fn full_blocks_when_they_fit_and_captions_cut_with_an_ellipsis() {
        let (used, rows) = rendered(Rect::new(0, 0, 118, 12), &figures(&["2/340", "34", "3/19"]));
        assert_eq!(used, 10);
        let glyphs = &rows[..8];
        assert!(
            glyphs
                .iter()
                .all(|r| r.chars().all(|c| c == ' ' || c == '█'))
        );
        assert!(glyphs.iter().filter(|r| r.contains('█')).count() >= 7);
        // Columns are the figures' own widths plus a share of the rest; each caption stops a
        // column short of the next figure and ends in "…" when cut.
        let captions = &rows[8];
        assert!(
            captions.contains("nhiệm vụ hoàn thành đúng hạn"),
            "{captions}"
        );
        assert!(captions.contains('…'), "{captions}");
    }

    #[test]
    fn plain_digits_as_the_last_resort() {
        let (used, rows) = rendered(Rect::new(0, 0, 30, 3), &figures(&["2/340", "34", "3/19"]));
        assert_eq!(used, 3);
        assert!(rows[0].starts_with("2/340"), "{rows:?}");
        assert!(
            rows[0].contains("34") && rows[0].contains("3/19"),
            "{rows:?}"
        );
        assert!(rows[1].contains('…'), "{rows:?}");
    }
}
