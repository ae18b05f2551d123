//! A one-row gauge with an "expected by today" mark, shared by the indicators view and meeting
//! mode. ratatui's `LineGauge` has no second mark, hence this small widget.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// Draws `ratio` (0..=1) of `area`'s first row filled, and a mark at `expected` if given.
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    ratio: Option<f64>,
    expected: Option<f64>,
    filled: Style,
    empty: Style,
    marker: Style,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let cells = |r: f64| ((r.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    let full = ratio.map(cells).unwrap_or(0);
    for i in 0..width {
        let (symbol, style) = if i < full {
            ("█", filled)
        } else {
            ("─", empty)
        };
        buf.set_string(area.x + i as u16, area.y, symbol, style);
    }
    if let Some(e) = expected {
        // The mark sits on the cell where the expected value ends.
        let at = cells(e).saturating_sub(1).min(width - 1);
        buf.set_string(area.x + at as u16, area.y, "┃", marker);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_marks() {
        let area = Rect::new(0, 0, 10, 1);
        let mut buf = Buffer::empty(area);
        let s = Style::default();
        draw(&mut buf, area, Some(0.5), Some(0.8), s, s, s);
        let row: String = (0..10).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert_eq!(row, "█████──┃──");
        // Out-of-range inputs never panic and stay inside the area.
        draw(&mut buf, area, Some(7.0), Some(-3.0), s, s, s);
        draw(
            &mut buf,
            Rect::new(0, 0, 0, 1),
            Some(0.5),
            Some(0.5),
            s,
            s,
            s,
        );
    }
}
