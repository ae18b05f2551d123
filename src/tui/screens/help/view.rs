//! The help screen: the keymap's own table (defaults merged with the config file), so it can
//! never disagree with what the keys do, popups and text fields included; every `:` command
//! from the action table; plus the mouse. `/` narrows it to the lines that mention what is
//! typed (diacritics optional).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::tui::action::Action;
use crate::tui::app::{App, HelpState};
use crate::tui::keymap::Context;
use crate::tui::labels::tr;
use crate::tui::text::{fit, truncate, width, wrap};
use crate::tui::theme::Semantic;
use crate::tui::views::{pane, span};

/// One help row: keys and what they do; `None` keys make a heading.
type Row = (Option<String>, String);

fn rows(app: &App) -> Vec<Row> {
    let lang = app.lang();
    let mut rows: Vec<Row> = Vec::new();
    for section in app.settings.keymap.help(lang) {
        if !rows.is_empty() {
            rows.push((Some(String::new()), String::new()));
        }
        rows.push((None, section.title.to_string()));
        for entry in &section.entries {
            rows.push((Some(entry.keys_label()), entry.description.to_string()));
        }
    }
    rows.push((Some(String::new()), String::new()));
    rows.push((
        None,
        tr(lang, "Lệnh (gõ sau dấu :)", "Commands (typed after :)").to_string(),
    ));
    for (usage, description) in crate::tui::command::usage(lang) {
        rows.push((Some(usage), description.to_string()));
    }
    rows.push((Some(String::new()), String::new()));
    rows.push((None, tr(lang, "Chuột", "Mouse").to_string()));
    rows.push((
        Some(tr(lang, "bấm", "click").into()),
        tr(lang, "Chọn dòng / khung", "Select a row / pane").into(),
    ));
    rows.push((
        Some(tr(lang, "lăn", "wheel").into()),
        tr(lang, "Cuộn", "Scroll").into(),
    ));
    rows
}

/// The rows that mention `filter` (folded, in their keys or description), each under its
/// section's heading; sections with none are left out.
fn narrowed(rows: Vec<Row>, filter: &str) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut heading: Option<Row> = None;
    for row in rows {
        match &row.0 {
            None => heading = Some(row),
            Some(keys) if keys.is_empty() => {}
            Some(keys) => {
                let text = crate::search::normalize(&format!("{keys} {}", row.1));
                if text.contains(filter) {
                    if let Some(h) = heading.take() {
                        if !out.is_empty() {
                            out.push((Some(String::new()), String::new()));
                        }
                        out.push(h);
                    }
                    out.push(row);
                }
            }
        }
    }
    out
}

/// One screen line of the help: a heading, or keys and (part of) their description.
enum HelpLine {
    Heading(String),
    Keys(String, String),
    /// A description continued under its keys, or keys too wide for the key column.
    More(String),
    Blank,
}

/// Lays the rows out for a column `col_w` cells wide with keys in `key_w` cells: keys are
/// never cut (a list too wide for the column gets a line of its own) and descriptions wrap.
fn lay_out(rows: &[Row], col_w: usize, key_w: usize) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    let desc_w = col_w.saturating_sub(key_w).max(10);
    for (keys, text) in rows {
        match keys {
            None => lines.push(HelpLine::Heading(text.clone())),
            Some(k) if k.is_empty() && text.is_empty() => lines.push(HelpLine::Blank),
            Some(k) => {
                let mut parts = wrap(text, desc_w).into_iter();
                if width(k) + 3 <= key_w {
                    let first = parts.next().unwrap_or_default();
                    lines.push(HelpLine::Keys(k.clone(), first));
                } else {
                    lines.push(HelpLine::Keys(k.clone(), String::new()));
                }
                for rest in parts {
                    lines.push(HelpLine::More(rest));
                }
            }
        }
    }
    lines
}

pub fn render(frame: &mut Frame, rect: Rect, app: &App, state: &HelpState) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    // The keys named in the frame are the keymap's, as the user bound them.
    let keymap = &app.settings.keymap;
    let keys = |actions: &[Action]| -> String {
        actions
            .iter()
            .filter_map(|&a| keymap.keys_for(a, Context::Help).first().copied())
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join("/")
    };
    let scroll_keys = keys(&[Action::MoveDown, Action::MoveUp]);
    let page_keys = keys(&[Action::PageDown, Action::PageUp]);
    let block = pane(
        Line::raw(format!(
            " {} · {scroll_keys}, {page_keys}: {} · {}: {} · {}: {} ",
            tr(lang, "Trợ giúp: phím tắt", "Help: keys"),
            tr(lang, "cuộn", "scroll"),
            keys(&[Action::Search]),
            tr(lang, "tìm", "find"),
            keys(&[Action::Back]),
            tr(lang, "đóng", "close"),
        )),
        true,
        theme,
    );
    let mut inner = block.inner(rect);
    frame.render_widget(block, rect);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let filter = state.filter();
    let mut rows = rows(app);
    if state.searching || filter.is_some() {
        // The search line, above what it finds.
        let label = tr(lang, "Tìm: ", "Find: ");
        let input_w = usize::from(inner.width).saturating_sub(width(label) + 1);
        let (shown, cursor) = state.search.view(input_w);
        let style = if state.searching {
            theme.style(Semantic::Input)
        } else {
            theme.style(Semantic::SearchMatch)
        };
        let line = Line::from(vec![
            span(label, theme.style(Semantic::KeyHint)),
            span(fit(&shown, input_w.min(width(&shown) + 1)), style),
        ]);
        frame
            .buffer_mut()
            .set_line(inner.x, inner.y, &line, inner.width);
        if state.searching {
            let x = inner.x + (width(label) + cursor) as u16;
            frame.set_cursor_position(ratatui::layout::Position::new(
                x.min(inner.right().saturating_sub(1)),
                inner.y,
            ));
        }
        inner.y += 1;
        inner.height -= 1;
        if let Some(filter) = &filter {
            rows = narrowed(rows, filter);
        }
        if rows.is_empty() {
            let text = tr(
                lang,
                "Không có phím hay lệnh nào khớp · Esc: xoá tìm kiếm",
                "No key or command matches · Esc: clear the search",
            );
            frame.buffer_mut().set_line(
                inner.x,
                inner.y,
                &Line::styled(
                    truncate(text, usize::from(inner.width)),
                    theme.style(Semantic::Muted),
                ),
                inner.width,
            );
            return;
        }
    }
    // Two columns when there is room, split at the heading that best balances them.
    let columns: u16 = if inner.width >= 110 { 2 } else { 1 };
    let col_w = inner.width / columns;
    let w = usize::from(col_w.saturating_sub(1));
    let key_w = (w / 3).clamp(12, 24);
    let lines = lay_out(&rows, w, key_w);
    let chunks: Vec<&[HelpLine]> = if columns == 2 {
        let split = (1..lines.len())
            .filter(|&i| matches!(lines[i], HelpLine::Heading(_)))
            .min_by_key(|&i| i.max(lines.len() - i))
            .unwrap_or(lines.len());
        // Drop the blank line that ended the first column's last section.
        let first_end = if split > 0 && matches!(lines[split - 1], HelpLine::Blank) {
            split - 1
        } else {
            split
        };
        vec![&lines[..first_end], &lines[split..]]
    } else {
        vec![&lines[..]]
    };
    let tallest = chunks.iter().map(|c| c.len()).max().unwrap_or(0);
    let scroll = state
        .scroll
        .min(tallest.saturating_sub(usize::from(inner.height)));
    let buf = frame.buffer_mut();
    let below = tallest.saturating_sub(scroll + usize::from(inner.height));
    if below > 0 {
        let hint = format!(
            " ↓ {below} {} · {}: {} ",
            tr(lang, "dòng nữa", "more lines"),
            keys(&[Action::MoveDown, Action::PageDown]),
            tr(lang, "cuộn", "scroll"),
        );
        let x = rect.right().saturating_sub(width(&hint) as u16 + 1);
        buf.set_string(x, rect.bottom() - 1, hint, theme.style(Semantic::Muted));
    }
    for (c, chunk) in chunks.iter().enumerate() {
        let x = inner.x + c as u16 * col_w;
        for (slot, help_line) in chunk
            .iter()
            .skip(scroll)
            .take(usize::from(inner.height))
            .enumerate()
        {
            let y = inner.y + slot as u16;
            let line = match help_line {
                HelpLine::Heading(text) => {
                    Line::styled(truncate(text, w), theme.style(Semantic::Header))
                }
                HelpLine::Blank => Line::raw(""),
                HelpLine::Keys(keys, text) => {
                    let label = format!("  {keys}");
                    let label = if width(&label) < key_w {
                        fit(&label, key_w)
                    } else {
                        truncate(&label, w)
                    };
                    Line::from(vec![
                        span(label, theme.style(Semantic::KeyHint)),
                        span(text.clone(), theme.style(Semantic::Base)),
                    ])
                }
                HelpLine::More(text) => Line::from(vec![
                    span(" ".repeat(key_w), theme.style(Semantic::Base)),
                    span(text.clone(), theme.style(Semantic::Base)),
                ]),
            };
            buf.set_line(x, y, &line, col_w);
        }
    }
}
