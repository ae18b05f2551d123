//! The popups of issue 12: the confirmation of a change to marked tasks and the multi-line
//! note box.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::view::{frame_box, key_line, key_line_as, put, which};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::keymap::Context;
use crate::tui::labels::tr;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::long_note::{LongNote, rows};
use crate::tui::popups::remind::RemindPreview;
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

/// The letter urging an agency, scrolled; its last rows hold the question naming the
/// addresses while asking, else why it cannot be mailed, else the keys.
pub fn remind(frame: &mut Frame, area: Rect, app: &App, r: &RemindPreview) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let title = format!(
        " {} · {} ",
        tr(lang, "Công văn đôn đốc", "Letter urging"),
        crate::untrusted::line(&r.agency_name)
    );
    let height = area.height.saturating_sub(2).clamp(8, 40);
    let inner = frame_box(frame, area, 96, height, title, theme);
    let w = usize::from(inner.width);
    if inner.height < 4 || w < 10 {
        return;
    }
    // The foot: the question (or the error, or why it cannot be mailed) wrapped, then keys.
    let (foot, foot_style) = if let Some(e) = &r.error {
        (e.clone(), theme.style(Semantic::Overdue))
    } else if r.asking {
        (r.question(lang), theme.style(Semantic::Title))
    } else if let Some(why) = &r.no_mail {
        (why.clone(), theme.style(Semantic::Muted))
    } else {
        (
            format!("{} {}", tr(lang, "Gửi tới:", "To:"), r.emails.join(", ")),
            theme.style(Semantic::Muted),
        )
    };
    let mut foot_lines: Vec<String> = wrap(&crate::untrusted::line(&foot), w);
    foot_lines.truncate(3);
    let keys = if r.asking {
        key_line_as(
            app,
            Context::Confirm,
            &[
                (Action::Confirm, "gửi", "send"),
                (Action::Cancel, "không", "no"),
            ],
        )
    } else if r.no_mail.is_some() {
        format!(
            "j/k {} · {}",
            tr(lang, "cuộn", "scroll"),
            key_line_as(app, Context::Confirm, &[(Action::Cancel, "đóng", "close")])
        )
    } else {
        format!(
            "j/k {} · {}",
            tr(lang, "cuộn", "scroll"),
            key_line_as(
                app,
                Context::Confirm,
                &[
                    (Action::Confirm, "gửi thư", "mail it"),
                    (Action::Cancel, "đóng", "close"),
                ],
            )
        )
    };
    let text_rows = usize::from(inner.height).saturating_sub(foot_lines.len() + 2);
    // Scrolled as far as the letter's last line at the bottom, not past it (the window may
    // have grown since the last key).
    // The letter's lines wrapped to the popup's width: a task's name is read whole.
    let rows: Vec<String> = r
        .lines
        .iter()
        .flat_map(|l| wrap(&crate::untrusted::line(l), w))
        .collect();
    r.shown_rows.set(text_rows);
    r.total_rows.set(rows.len());
    let first = r.scroll.min(rows.len().saturating_sub(text_rows));
    for (slot, l) in rows.into_iter().skip(first).take(text_rows).enumerate() {
        put(frame, inner, slot as u16, Line::raw(l));
    }
    let foot_top = inner.height - 1 - foot_lines.len() as u16;
    for (row, l) in (foot_top..).zip(foot_lines) {
        put(frame, inner, row, Line::styled(l, foot_style));
    }
    put(
        frame,
        inner,
        inner.height - 1,
        Line::styled(truncate(&keys, w), theme.style(Semantic::KeyHint)),
    );
}
