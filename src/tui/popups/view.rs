//! Popups: the status picker, the percent and note prompts, the task form, notices.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Clear;

use crate::model::Status;

use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::input::TextInput;
use crate::tui::keymap::Context;
use crate::tui::labels::tr;
use crate::tui::popups::{
    Field, FieldValue, FormMode, MeasureForm, Notice, Popup, Prompt, StatusPicker, Target, TaskForm,
};
use crate::tui::text::{fit, truncate, width, wrap};
use crate::tui::theme::{Semantic, Theme};
use crate::tui::views::{pane, span};

pub fn render(frame: &mut Frame, area: Rect, app: &App, popup: &Popup) {
    match popup {
        Popup::Status(p) => status(frame, area, app, p),
        Popup::Percent(p) => prompt(
            frame,
            area,
            app,
            p,
            tr(app.lang(), "Tiến độ (%)", "Progress (%)"),
            Some(p.progress),
        ),
        Popup::Note(p) => prompt(
            frame,
            area,
            app,
            p,
            tr(app.lang(), "Thêm ghi chú", "Add a note"),
            None,
        ),
        Popup::Form(f) => form(frame, area, app, f),
        Popup::Measure(f) => measure(frame, area, app, f),
        Popup::Notice(n) => notice(frame, area, app, n),
        Popup::Confirm(c) => super::view_multi::confirm(frame, area, app, c),
        Popup::Remind(r) => super::view_multi::remind(frame, area, app, r),
        Popup::LongNote(n) => super::view_multi::long_note(frame, area, app, n),
    }
}

/// A centred box of `w`×`h` cells (at most the screen), cleared and framed.
pub(super) fn frame_box(
    frame: &mut Frame,
    area: Rect,
    w: u16,
    h: u16,
    title: String,
    theme: &Theme,
) -> Rect {
    let w = w.min(area.width.saturating_sub(2)).max(10.min(area.width));
    let h = h.min(area.height.saturating_sub(2)).max(3.min(area.height));
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, rect);
    frame
        .buffer_mut()
        .set_style(rect, theme.style(Semantic::Base));
    let block = pane(Line::raw(title), true, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// Which tasks a popup changes: "#157", or "8 nhiệm vụ đang chọn" for marked tasks.
pub(super) fn which(target: &Target, selection: &[Target], lang: crate::model::Lang) -> String {
    if selection.is_empty() {
        format!("#{}", target.task_id)
    } else {
        format!(
            "{} {}",
            selection.len(),
            tr(lang, "nhiệm vụ đang chọn", "marked tasks")
        )
    }
}

/// A popup's own line of keys, read from the keymap as the user bound them (issue 11), each
/// with the action's hint label there: "y/enter: đồng ý · n/esc: huỷ".
pub(super) fn key_line(app: &App, context: Context, actions: &[Action]) -> String {
    app.settings.keymap.key_line(context, actions, app.lang())
}

/// A popup's line of keys in its own words: `(action, vi, en)`.
pub(super) fn key_line_as(
    app: &App,
    context: Context,
    actions: &[(Action, &'static str, &'static str)],
) -> String {
    app.settings
        .keymap
        .key_line_as(context, actions, app.lang())
}

pub(super) fn put(frame: &mut Frame, inner: Rect, row: u16, line: Line) {
    if row < inner.height {
        frame
            .buffer_mut()
            .set_line(inner.x, inner.y + row, &line, inner.width);
    }
}

fn status(frame: &mut Frame, area: Rect, app: &App, p: &StatusPicker) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let title = format!(
        " {} {} ",
        tr(lang, "Đặt trạng thái", "Set the status"),
        which(&p.target, &p.selection, lang)
    );
    let inner = frame_box(frame, area, 60, Status::ALL.len() as u16 + 4, title, theme);
    let w = usize::from(inner.width);
    put(
        frame,
        inner,
        0,
        Line::styled(truncate(&p.target.title, w), theme.style(Semantic::Muted)),
    );
    let keymap = &app.settings.keymap;
    // Each status's quick key as the keymap binds it (blank when unbound).
    let keys: Vec<String> = (0..Status::ALL.len())
        .map(|i| {
            Action::pick_status(i)
                .and_then(|a| keymap.keys_for(a, Context::StatusPicker).first().copied())
                .map_or_else(String::new, |k| k.to_string())
        })
        .collect();
    let key_w = keys.iter().map(|k| width(k)).max().unwrap_or(0);
    for (i, s) in Status::ALL.iter().enumerate() {
        let selected = i == p.selected();
        let mut text = format!(
            "{} {}  {}",
            if selected { "▶" } else { " " },
            fit(&keys[i], key_w),
            s.label(lang)
        );
        if *s == p.current {
            text.push_str(tr(lang, "  (hiện tại)", "  (current)"));
        }
        let style = if selected {
            theme.style(Semantic::Selected)
        } else {
            theme.style(Semantic::Base)
        };
        put(
            frame,
            inner,
            i as u16 + 2,
            Line::styled(fit(&text, w), style),
        );
    }
}

fn input_line(
    frame: &mut Frame,
    inner: Rect,
    row: u16,
    input: &TextInput,
    style: Style,
    cursor: bool,
) {
    if row >= inner.height {
        return;
    }
    let w = usize::from(inner.width);
    let (shown, at) = input.view(w.saturating_sub(1));
    put(frame, inner, row, Line::styled(fit(&shown, w), style));
    if cursor {
        frame.set_cursor_position(Position::new(inner.x + at as u16, inner.y + row));
    }
}

fn prompt(frame: &mut Frame, area: Rect, app: &App, p: &Prompt, what: &str, current: Option<u8>) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let title = format!(" {what} · {} ", which(&p.target, &p.selection, lang));
    let inner = frame_box(frame, area, 70, 7, title, theme);
    let w = usize::from(inner.width);
    put(
        frame,
        inner,
        0,
        Line::styled(truncate(&p.target.title, w), theme.style(Semantic::Muted)),
    );
    let ask = match current {
        Some(c) => format!(
            "{} {c}% · {}",
            tr(lang, "Hiện tại", "Now"),
            tr(
                lang,
                "nhập số mới (0–100):",
                "type the new percent (0–100):"
            )
        ),
        None => tr(lang, "Nội dung ghi chú:", "The note:").to_string(),
    };
    put(frame, inner, 1, Line::raw(truncate(&ask, w)));
    let field = Rect {
        x: inner.x + 2,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    put(
        frame,
        inner,
        2,
        Line::styled("›", theme.style(Semantic::KeyHint)),
    );
    input_line(
        frame,
        field,
        2,
        p.input(),
        theme.style(Semantic::Input),
        true,
    );
    match &p.error {
        Some(e) => put(
            frame,
            inner,
            3,
            Line::styled(truncate(e, w), theme.style(Semantic::Overdue)),
        ),
        None => put(
            frame,
            inner,
            4,
            Line::styled(
                truncate(
                    &key_line(app, Context::Popup, &[Action::Confirm, Action::Cancel]),
                    w,
                ),
                theme.style(Semantic::Muted),
            ),
        ),
    }
}

fn form(frame: &mut Frame, area: Rect, app: &App, f: &TaskForm) {
    let lang = app.lang();
    let title = match &f.mode {
        FormMode::Add => format!(" {} ", tr(lang, "Thêm nhiệm vụ", "Add a task")),
        FormMode::Edit(t) => format!(" {} #{} ", tr(lang, "Sửa nhiệm vụ", "Edit task"), t.id),
    };
    let help = f.fields.get(f.focus).and_then(|field| field.key.help(lang));
    fields_box(
        frame,
        area,
        app,
        title,
        Vec::new(),
        (&f.fields, f.focus),
        help,
        f.error.as_deref(),
    );
}

/// The record form: which indicator, its latest value and current target, then the fields.
fn measure(frame: &mut Frame, area: Rect, app: &App, f: &MeasureForm) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let ind = &f.indicator;
    let title = format!(
        " {} · {} ",
        tr(lang, "Ghi nhận số liệu", "Record a measurement"),
        ind.code
    );
    let mut intro = vec![Line::styled(ind.name.clone(), theme.style(Semantic::Muted))];
    if let Some(g) = app
        .gauges
        .rows
        .iter()
        .find(|g| g.indicator.code == ind.code)
    {
        let a = &g.assessment;
        let latest = a.latest.as_ref().map_or_else(
            || tr(lang, "chưa có", "none yet").to_string(),
            |l| {
                format!(
                    "{} ({})",
                    crate::report::value(ind.unit, l.value, lang),
                    crate::tui::labels::date(l.date)
                )
            },
        );
        let mut text = format!("{} {latest}", tr(lang, "Mới nhất:", "Latest:"));
        if let Some(t) = a.current_target {
            let v = crate::report::value(ind.unit, t.value, lang);
            let v = match ind.direction {
                crate::model::Direction::ReduceBy => format!("{} {v}", tr(lang, "giảm", "−")),
                crate::model::Direction::AtLeast => v,
                crate::model::Direction::Above => format!("{} {v}", tr(lang, "trên", ">")),
            };
            text.push_str(&format!(
                " · {} {v} {} {}",
                tr(lang, "mục tiêu", "target"),
                tr(lang, "hạn", "by"),
                crate::tui::labels::date(t.due)
            ));
        }
        intro.push(Line::styled(text, theme.style(Semantic::Muted)));
    }
    intro.push(Line::raw(""));
    fields_box(
        frame,
        area,
        app,
        title,
        intro,
        (&f.fields, f.focus),
        f.help(lang),
        f.error.as_deref(),
    );
}

/// A form: a few lines about what it is for, the fields (labels left, values right, the
/// focused one with the cursor), what to type in the focused field, and the last error.
#[allow(clippy::too_many_arguments)]
fn fields_box(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    title: String,
    intro: Vec<Line>,
    (fields, focus): (&[Field], usize),
    help: Option<&str>,
    error: Option<&str>,
) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let top = intro.len() as u16;
    let h = top + fields.len() as u16 + 5;
    let outer = frame_box(frame, area, 90, h, title, theme);
    let w = usize::from(outer.width);
    for (i, line) in intro.into_iter().enumerate() {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let style = line.style;
        put(
            frame,
            outer,
            i as u16,
            Line::styled(truncate(&text, w), style),
        );
    }
    let inner = Rect {
        y: outer.y + top.min(outer.height),
        height: outer.height.saturating_sub(top),
        ..outer
    };
    let label_w = fields
        .iter()
        .map(|field| width(field.key.label(lang)))
        .max()
        .unwrap_or(8)
        + 2;
    let value_rect = |row: u16| Rect {
        x: inner.x + label_w as u16,
        y: inner.y + row,
        width: inner.width.saturating_sub(label_w as u16),
        height: 1,
    };
    for (i, field) in fields.iter().enumerate() {
        let row = i as u16;
        if row >= inner.height {
            break;
        }
        let focused = i == focus;
        let label_style = if focused {
            theme.style(Semantic::KeyHint)
        } else {
            theme.style(Semantic::Muted)
        };
        put(
            frame,
            inner,
            row,
            Line::styled(fit(field.key.label(lang), label_w), label_style),
        );
        let vr = value_rect(row);
        let style = if focused {
            theme.style(Semantic::Input)
        } else {
            theme.style(Semantic::Base)
        };
        match &field.value {
            // The focused field scrolls to its cursor; the others show their beginning.
            FieldValue::Text(input) | FieldValue::Lines(input) if focused => {
                input_line(frame, vr, 0, input, style, true)
            }
            FieldValue::Text(input) | FieldValue::Lines(input) => {
                let line = Line::styled(truncate(input.text(), usize::from(vr.width)), style);
                frame.buffer_mut().set_line(vr.x, vr.y, &line, vr.width);
            }
            FieldValue::Choice { options, selected } => {
                let label = options.get(*selected).map_or("", |(_, l)| l.as_str());
                let text = format!("◂ {label} ▸");
                let line = Line::styled(fit(&text, usize::from(vr.width)), style);
                frame.buffer_mut().set_line(vr.x, vr.y, &line, vr.width);
            }
        }
    }
    let below = fields.len() as u16 + 1;
    if let Some(field) = fields.get(focus)
        && let Some(help) = help
    {
        put(
            frame,
            inner,
            below,
            Line::styled(
                truncate(&format!("{}: {help}", field.key.label(lang)), w),
                theme.style(Semantic::Muted),
            ),
        );
    }
    if let Some(e) = error {
        put(
            frame,
            inner,
            below + 1,
            Line::styled(truncate(e, w), theme.style(Semantic::Overdue)),
        );
    }
}

fn notice(frame: &mut Frame, area: Rect, app: &App, n: &Notice) {
    let theme = &app.settings.theme;
    let w: u16 = 76.min(area.width.saturating_sub(4));
    let text_w = usize::from(w.saturating_sub(2)).max(10);
    let mut lines: Vec<Line> = Vec::new();
    for l in &n.lines {
        for part in wrap(l, text_w) {
            lines.push(Line::raw(part));
        }
    }
    let inner = frame_box(
        frame,
        area,
        w,
        lines.len() as u16 + 3,
        format!(" {} ", n.title),
        theme,
    );
    let title_style = theme.style(Semantic::Overdue);
    for (i, line) in lines.into_iter().enumerate() {
        let line = if i == 0 {
            line.style(title_style)
        } else {
            line
        };
        put(frame, inner, i as u16, line);
    }
    let hint = key_line(app, Context::Notice, &[Action::Confirm, Action::Cancel]);
    put(
        frame,
        inner,
        inner.height.saturating_sub(1),
        Line::from(vec![span(hint, theme.style(Semantic::KeyHint))]),
    );
}
