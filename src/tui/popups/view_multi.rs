//! The popups of issue 12: the confirmation of a change to marked tasks and the multi-line
//! note box.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::view::{frame_box, key_line, put, which};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::labels::tr;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::long_note::{LongNote, rows};
use crate::tui::text::{truncate, wrap};
use crate::tui::theme::Semantic;
use crate::tui::views::span;

pub fn confirm(frame: &mut Frame, area: Rect, app: &App, c: &Confirm) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let w: u16 = 72.min(area.width.saturating_sub(4));
    let text_w = usize::from(w.saturating_sub(2)).max(10);
    let mut lines: Vec<Line> = wrap(&c.question(lang), text_w)
        .into_iter()
        .map(|l| Line::styled(l, theme.style(Semantic::Title)))
        .collect();
    if !c.change.is_empty() {
        for l in wrap(&crate::untrusted::line(&c.change), text_w) {
            lines.push(Line::raw(l));
        }
    }
    let inner = frame_box(
        frame,
        area,
        w,
        lines.len() as u16 + 4,
        format!(
            " {} ",
            tr(lang, "Sửa nhiều nhiệm vụ", "Change several tasks")
        ),
        theme,
    );
    for (i, line) in lines.into_iter().enumerate() {
        put(frame, inner, i as u16, line);
    }
    let hint = key_line(app, Context::Confirm, &[Action::Confirm, Action::Cancel]);
    put(
        frame,
        inner,
        inner.height.saturating_sub(1),
        Line::from(vec![span(hint, theme.style(Semantic::KeyHint))]),
    );
}

pub fn long_note(frame: &mut Frame, area: Rect, app: &App, n: &LongNote) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let title = format!(
        " {} · {} ",
        tr(lang, "Ghi chú dài", "Long note"),
        which(&n.target, &n.selection, lang)
    );
    let height = area.height.saturating_sub(4).clamp(8, 18);
    let inner = frame_box(frame, area, 76, height, title, theme);
    let w = usize::from(inner.width);
    if inner.height < 4 || w < 4 {
        return;
    }
    put(
        frame,
        inner,
        0,
        Line::styled(truncate(&n.target.title, w), theme.style(Semantic::Muted)),
    );
    // Rows 1.. hold the text; the last row holds the error or the keys.
    let text_rows = usize::from(inner.height - 2);
    let (lines, (row, col)) = rows(n.input(), w.saturating_sub(1));
    let first = (row + 1).saturating_sub(text_rows);
    for (slot, line) in lines.iter().skip(first).take(text_rows).enumerate() {
        put(
            frame,
            inner,
            slot as u16 + 1,
            Line::styled(line.clone(), theme.style(Semantic::Input)),
        );
    }
    frame.set_cursor_position(Position::new(
        inner.x + col as u16,
        inner.y + 1 + (row - first) as u16,
    ));
    let last = inner.height - 1;
    match &n.error {
        Some(e) => put(
            frame,
            inner,
            last,
            Line::styled(truncate(e, w), theme.style(Semantic::Overdue)),
        ),
        None => put(
            frame,
            inner,
            last,
            Line::styled(
                truncate(
                    &key_line(
                        app,
                        Context::LongNote,
                        &[Action::NewLine, Action::Confirm, Action::Cancel],
                    ),
                    w,
                ),
                theme.style(Semantic::Muted),
            ),
        ),
    }
}
