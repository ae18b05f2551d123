//! The help screen: the keymap's own table (defaults merged with the config file), so it can
//! never disagree with what the keys do; plus the fixed keys of text fields and the mouse.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::super::app::{App, HelpState};
use super::super::labels::tr;
use super::super::text::{fit, truncate, width};
use super::super::theme::Semantic;
use super::{pane, span};

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
        tr(lang, "Trong ô nhập chữ", "In a text field").to_string(),
    ));
    for (keys, vi, en) in [
        ("enter", "Lưu / xong", "Save / done"),
        (
            "esc",
            "Huỷ (ô tìm kiếm: xoá tìm kiếm)",
            "Cancel (search box: clear the search)",
        ),
        (
            "tab, up, down",
            "Ô trước / ô sau (trong biểu mẫu)",
            "Previous / next field (in a form)",
        ),
        (
            "left, right",
            "Di chuyển con trỏ; chọn mục trong ô chọn",
            "Move the cursor; choose in a choice field",
        ),
        (
            "ctrl-u, ctrl-w",
            "Xoá cả ô / xoá một từ",
            "Clear the field / delete a word",
        ),
    ] {
        rows.push((Some(keys.into()), tr(lang, vi, en).into()));
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

pub fn render(frame: &mut Frame, rect: Rect, app: &App, state: &HelpState) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let block = pane(
        Line::raw(tr(lang, " Trợ giúp: phím tắt ", " Help: keys ")),
        true,
        theme,
    );
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let rows = rows(app);
    // Long key lists ("right, l, space, pagedown") are cut rather than pushing every
    // description to the right.
    let key_w = rows
        .iter()
        .filter_map(|(k, _)| k.as_ref().map(|k| width(k)))
        .max()
        .unwrap_or(8)
        .min(18)
        + 3;
    // Two columns when there is room, split at the section boundary that best balances them.
    let columns: u16 = if inner.width >= 110 { 2 } else { 1 };
    let col_w = inner.width / columns;
    let chunks: Vec<&[Row]> = if columns == 2 {
        let split = (1..rows.len())
            .filter(|&i| rows[i].0.is_none())
            .min_by_key(|&i| i.max(rows.len() - i))
            .unwrap_or(rows.len());
        // Drop the blank line that ended the first column's last section.
        let first_end = if split > 0 && rows[split - 1].1.is_empty() {
            split - 1
        } else {
            split
        };
        vec![&rows[..first_end], &rows[split..]]
    } else {
        vec![&rows[..]]
    };
    let tallest = chunks.iter().map(|c| c.len()).max().unwrap_or(0);
    let scroll = state
        .scroll
        .min(tallest.saturating_sub(usize::from(inner.height)));
    let buf = frame.buffer_mut();
    let below = tallest.saturating_sub(scroll + usize::from(inner.height));
    if below > 0 {
        let hint = format!(" ↓ {below} ");
        let x = rect.right().saturating_sub(width(&hint) as u16 + 1);
        buf.set_string(x, rect.bottom() - 1, hint, theme.style(Semantic::Muted));
    }
    for (c, chunk) in chunks.iter().enumerate() {
        let x = inner.x + c as u16 * col_w;
        let w = usize::from(col_w.saturating_sub(1));
        for (slot, (keys, text)) in chunk
            .iter()
            .skip(scroll)
            .take(usize::from(inner.height))
            .enumerate()
        {
            let y = inner.y + slot as u16;
            let line = match keys {
                None => Line::styled(truncate(text, w), theme.style(Semantic::Header)),
                Some(keys) => Line::from(vec![
                    span(
                        fit(&format!("  {}", truncate(keys, key_w - 3)), key_w.min(w)),
                        theme.style(Semantic::KeyHint),
                    ),
                    span(
                        truncate(text, w.saturating_sub(key_w)),
                        theme.style(Semantic::Base),
                    ),
                ]),
            };
            buf.set_line(x, y, &line, col_w);
        }
    }
}
