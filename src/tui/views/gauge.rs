//! A one-row gauge with an "expected by today" mark, shared by the indicators view and meeting
//! mode. ratatui's `LineGauge` has no second mark, hence this small widget.
//!
//! A gauge with no measurement must not look like 0 %: its track is hatched (`░`) instead of a
//! thin line, and the caller's "no data" label is written across it when it fits.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

/// The label written across a gauge with no measurement, (Vietnamese, English).
pub const NO_DATA: (&str, &str) = ("chưa có số liệu", "no data");

/// Columns a state mark takes before a gauge: the mark and a space.
pub const MARK_W: u16 = 2;

/// A gauge that says its state without colour too: the state's mark (`!` off track) in the
/// first column of `area`, then the bar in the rest. Every gauge of a slide gets the column, so
/// the bars stay the same length.
pub fn draw_marked(
    buf: &mut Buffer,
    area: Rect,
    mark: &str,
    ratio: Option<f64>,
    expected: Option<f64>,
    styles: Styles,
    no_data: &str,
) {
    if area.width <= MARK_W || area.height == 0 {
        return draw(buf, area, ratio, expected, styles, no_data);
    }
    buf.set_string(area.x, area.y, mark, styles.filled);
    let bar = Rect {
        x: area.x + MARK_W,
        width: area.width - MARK_W,
        ..area
    };
    draw(buf, bar, ratio, expected, styles, no_data);
}

/// The styles of a gauge's parts.
#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub filled: Style,
    pub empty: Style,
    pub marker: Style,
}

/// Draws `ratio` (0..=1) of `area`'s first row filled, and a mark at `expected` if given. With
/// no ratio the track is hatched and `no_data` is written on it (left out when it does not fit).
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    ratio: Option<f64>,
    expected: Option<f64>,
    styles: Styles,
    no_data: &str,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let cells = |r: f64| ((r.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    let full = ratio.map(cells).unwrap_or(0);
    let track = if ratio.is_some() { "─" } else { "░" };
    for i in 0..width {
        let (symbol, style) = if i < full {
            ("█", styles.filled)
        } else {
            (track, styles.empty)
        };
        buf.set_string(area.x + i as u16, area.y, symbol, style);
    }
    // The label's cells, so the expected mark does not cut through its letters.
    let mut label_cells = 0..0;
    if ratio.is_none() {
        let label = format!(" {no_data} ");
        let w = label.width();
        if !no_data.is_empty() && w <= width {
            buf.set_string(area.x, area.y, &label, styles.empty);
            label_cells = 0..w;
        }
    }
    if let Some(e) = expected {
        // The mark sits on the cell where the expected value ends.
        let at = cells(e).saturating_sub(1).min(width - 1);
        if !label_cells.contains(&at) {
            buf.set_string(area.x + at as u16, area.y, "┃", styles.marker);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(buf: &Buffer, width: u16) -> String {
        (0..width)
            .map(|x| buf[(x, 0)].symbol().to_string())
            .collect()
    }

    const PLAIN: Styles = Styles {
        filled: Style::new(),
        empty: Style::new(),
        marker: Style::new(),
    };

    #[test]
    fn fills_and_marks() {
        let area = Rect::new(0, 0, 10, 1);
        let mut buf = Buffer::empty(area);
        draw(&mut buf, area, Some(0.5), Some(0.8), PLAIN, "x");
        assert_eq!(row(&buf, 10), "█████──┃──");
        // Out-of-range inputs never panic and stay inside the area.
        draw(&mut buf, area, Some(7.0), Some(-3.0), PLAIN, "x");
        draw(
            &mut buf,
            Rect::new(0, 0, 0, 1),
            Some(0.5),
            Some(0.5),
            PLAIN,
            "x",
        );
    }

    #[test]
    fn no_data_is_not_zero() {
        let area = Rect::new(0, 0, 24, 1);
        let mut zero = Buffer::empty(area);
        draw(&mut zero, area, Some(0.0), None, PLAIN, "chưa có số liệu");
        assert_eq!(row(&zero, 24), "─".repeat(24));
        let mut none = Buffer::empty(area);
        draw(&mut none, area, None, Some(0.9), PLAIN, "chưa có số liệu");
        assert_eq!(row(&none, 24), " chưa có số liệu ░░░░┃░░");
        // Too narrow for the label: the hatching alone still tells it from 0 %.
        let narrow = Rect::new(0, 0, 6, 1);
        let mut buf = Buffer::empty(narrow);
        draw(&mut buf, narrow, None, None, PLAIN, "chưa có số liệu");
        assert_eq!(row(&buf, 6), "░░░░░░");
    }
}
