//! The detail pane: the selected task in full, its notes and its history of changes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::model::FieldChange;

use crate::tui::app::{App, Pane};
use crate::tui::labels::{self, tr};
use crate::tui::text::{truncate, width, wrap};
use crate::tui::theme::Semantic;
use crate::tui::views::{pane, span};

pub fn render(frame: &mut Frame, rect: Rect, app: &App) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let title = match app.selected_task() {
        Some(t) => format!(" {} #{} ", tr(lang, "Chi tiết", "Detail"), t.id),
        None => format!(" {} ", tr(lang, "Chi tiết", "Detail")),
    };
    let block = pane(Line::raw(title), app.browse.focus == Pane::Detail, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let all = lines(app, inner.width);
    let max_scroll = all.len().saturating_sub(usize::from(inner.height));
    let scroll = app.browse.detail.scroll.min(max_scroll);
    let buf = frame.buffer_mut();
    for (slot, line) in all
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        buf.set_line(inner.x, inner.y + slot as u16, line, inner.width);
    }
    if max_scroll > 0 {
        // A hint that there is more: "↓ 12" in the bottom border.
        let more = all.len() - scroll - usize::from(inner.height).min(all.len() - scroll);
        if more > 0 {
            let hint = format!(" ↓ {more} ");
            let x = rect.right().saturating_sub(width(&hint) as u16 + 1);
            buf.set_string(x, rect.bottom() - 1, hint, theme.style(Semantic::Muted));
        }
    }
}

/// How many lines the detail text takes at this width (for scrolling).
pub fn line_count(app: &App, width: u16) -> usize {
    lines(app, width).len()
}

/// The detail text, wrapped to `width` cells.
pub fn lines(app: &App, width_cells: u16) -> Vec<Line<'static>> {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let w = usize::from(width_cells).max(1);
    let muted = theme.style(Semantic::Muted);
    let base = theme.style(Semantic::Base);
    let mut out: Vec<Line<'static>> = Vec::new();
    let Some(task) = app.selected_task() else {
        out.push(Line::styled(
            tr(
                lang,
                "Chọn một nhiệm vụ để xem chi tiết",
                "Select a task to see its details",
            ),
            muted,
        ));
        return out;
    };
    let data = &app.data;
    let today = data.today;
    let state = task.display_state(today);

    if !task.plan_ref.is_empty() {
        out.push(Line::styled(
            truncate(
                &format!("{} {}", tr(lang, "Mục", "Plan ref"), task.plan_ref),
                w,
            ),
            muted,
        ));
    }
    for l in wrap(&task.title, w) {
        out.push(Line::styled(l, theme.style(Semantic::Title)));
    }
    out.push(Line::raw(""));

    let labels_vi_en = [
        ("Tình trạng", "State"),
        ("Hạn", "Due"),
        ("Chủ trì", "Lead"),
        ("Phối hợp", "With"),
        ("Sản phẩm", "Output"),
        ("Lĩnh vực", "Area"),
    ];
    let label_w = labels_vi_en
        .iter()
        .map(|(vi, en)| width(tr(lang, vi, en)))
        .max()
        .unwrap_or(8)
        + 1;
    let mut field = |label: &str, value: &str, style: Style| {
        let value_w = w.saturating_sub(label_w).max(1);
        for (i, l) in wrap(value, value_w).into_iter().enumerate() {
            let head = if i == 0 { label } else { "" };
            out.push(Line::from(vec![
                span(format!("{head:<label_w$}"), muted),
                span(l, style),
            ]));
        }
    };
    let late = task.days_late(today);
    let mut state_text = format!("{} · {}%", state.label(lang), task.progress);
    if late > 0 {
        state_text.push_str(&format!(" · {late} {}", tr(lang, "ngày trễ", "days late")));
    }
    if let Some(done) = task.completed_on {
        state_text.push_str(&format!(
            " · {} {}",
            tr(lang, "xong ngày", "done on"),
            labels::date(done)
        ));
    }
    let status_label = task.status.label(lang);
    if status_label != state.label(lang) {
        state_text.push_str(&format!(" ({status_label})"));
    }
    field(
        tr(lang, "Tình trạng", "State"),
        &state_text,
        theme.state(state),
    );
    let mut due = labels::date(task.due);
    if task.due_assumed {
        due.push_str(tr(lang, " (giả định)", " (assumed)"));
    }
    field(tr(lang, "Hạn", "Due"), &due, base);
    let agency = |code: &str| format!("{} ({code})", data.agency_name(code));
    let mut lead = agency(&task.lead_agency);
    // The plan names no lead for this work: the lead is an inference, marked as such.
    if crate::plan::lead_assumed(&task.plan_ref) {
        lead.push_str(tr(lang, " (giả định)", " (assumed)"));
    }
    field(tr(lang, "Chủ trì", "Lead"), &lead, base);
    if !task.coordinating.is_empty() {
        // A coordinating agency the plan does not name for this work is marked as inferred.
        let with: Vec<String> = task
            .coordinating
            .iter()
            .map(|c| {
                let mut s = agency(c);
                if task.coordinating_inferred.contains(c) {
                    s.push_str(tr(lang, " (suy ra)", " (inferred)"));
                }
                s
            })
            .collect();
        field(tr(lang, "Phối hợp", "With"), &with.join(", "), base);
    }
    if !task.output.trim().is_empty() {
        field(tr(lang, "Sản phẩm", "Output"), &task.output, base);
    }
    field(
        tr(lang, "Lĩnh vực", "Area"),
        &data.area_name(&task.area, lang),
        base,
    );

    let heading = |text: String| Line::styled(text, theme.style(Semantic::Header));
    // The plan's paragraph comes after the facts a member looks for first (state, due date,
    // who leads), which then stay visible in a small pane.
    if !task.detail.trim().is_empty() {
        out.push(Line::raw(""));
        out.push(heading(
            tr(lang, "Nội dung theo Kế hoạch", "The plan's text").to_string(),
        ));
        for l in wrap(&task.detail, w) {
            out.push(Line::styled(l, base));
        }
    }
    if !app.browse.detail.notes.is_empty() {
        out.push(Line::raw(""));
        out.push(heading(format!(
            "{} ({})",
            tr(lang, "Ghi chú", "Notes"),
            app.browse.detail.notes.len()
        )));
        for note in app.browse.detail.notes.iter().rev() {
            let head = format!("{} {}: ", labels::instant(&note.at), note.author);
            for l in wrap(&format!("{head}{}", note.text), w.saturating_sub(2)) {
                out.push(Line::from(vec![span("  ", base), span(l, base)]));
            }
        }
    }
    if !app.browse.detail.history.is_empty() {
        out.push(Line::raw(""));
        out.push(heading(format!(
            "{} ({})",
            tr(lang, "Lịch sử thay đổi", "History"),
            app.browse.detail.history.len()
        )));
        for e in &app.browse.detail.history {
            let what = if e.changes.is_empty() {
                labels::log_action(&e.action, lang)
            } else {
                format!(
                    "{} {}",
                    labels::log_action(&e.action, lang),
                    FieldChange::describe_all_in(&e.changes, lang)
                )
            };
            let text = format!("{} {}: {what}", labels::instant(&e.at), e.user);
            for l in wrap(&text, w.saturating_sub(2)) {
                out.push(Line::from(vec![span("  ", base), span(l, base)]));
            }
        }
    }
    out
}
