//! The read-only banner and the two-line status bar: where, who, when and which filters on
//! the first line; a message or the keys that matter now on the second.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::super::action::Action;
use super::super::app::{App, CommandLine, MessageKind, Screen};
use super::super::keymap::Context;
use super::super::labels::{self, tr};
use super::super::text::{truncate, truncate_start, width};
use super::super::theme::Semantic;
use super::span;
use crate::tui::screens::browse::state::Scope;

pub fn banner(frame: &mut Frame, rect: Rect, app: &App) {
    let theme = &app.settings.theme;
    let text = app.banner().unwrap_or_default();
    let style = theme.style(Semantic::Banner);
    frame.buffer_mut().set_style(rect, style);
    frame.buffer_mut().set_line(
        rect.x,
        rect.y,
        &Line::styled(truncate(&text, usize::from(rect.width)), style),
        rect.width,
    );
}

pub fn render(frame: &mut Frame, rect: Rect, app: &App) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let bar = theme.style(Semantic::StatusBar);
    let buf = frame.buffer_mut();
    buf.set_style(rect, bar);

    // Line 1: the marks, file, user, today, then the filters. What must never be cut goes
    // first and the file's name gives way: at 80 columns, searching or marking, the date
    // still shows (the filters are in the list's title as well).
    let file = if app.settings.own_file {
        format!(
            "{}: {}",
            tr(lang, "tệp riêng của bạn", "your own file"),
            app.settings.db_label
        )
    } else {
        app.settings.db_label.clone()
    };
    let mut marks = None;
    let mut filters = Vec::new();
    if app.screen == Screen::Browse {
        match app.scope() {
            Scope::All => {}
            Scope::Area(code) => filters.push(format!(
                "{}: {}",
                tr(lang, "lĩnh vực", "area"),
                app.data.area_name(&code, lang)
            )),
            Scope::Agency(code) => filters.push(format!(
                "{}: {}",
                tr(lang, "cơ quan", "agency"),
                app.data.agency_name(&code)
            )),
        }
        if app.browse.list.overdue_only {
            filters.push(tr(lang, "chỉ quá hạn", "overdue only").to_string());
        }
        if app.browse.list.search.is_active() {
            filters.push(format!(
                "{} \"{}\"",
                tr(lang, "tìm", "search"),
                app.browse.list.search.query().trim()
            ));
            // Issue 11: a search holds its best hits only; say so when there are more.
            if let Some(matched) = app.browse.list.search_matched()
                && matched > app.browse.list.len()
            {
                filters.push(format!(
                    "{} {} / {}",
                    tr(lang, "hiện", "showing"),
                    crate::report::figure(app.browse.list.len() as f64, lang),
                    crate::report::figure(matched as f64, lang)
                ));
            }
        }
        if !app.browse.list.marked.is_empty() {
            // First, where it cannot be cut off: what s/p/n will change.
            marks = Some(format!(
                "* {} {}",
                app.browse.list.marked.len(),
                tr(lang, "đang chọn", "marked")
            ));
        }
    }
    let who = labels::who(&app.perms, lang);
    let today = format!(
        "{} {}",
        tr(lang, "hôm nay", "today"),
        labels::date(app.data.today)
    );
    const SEP: &str = " │ ";
    let fixed: usize = marks
        .iter()
        .chain([&who, &today])
        .map(|p| width(p) + width(SEP))
        .sum();
    // The file keeps what is left (its end, which names it), at least a few cells.
    let file_room = usize::from(rect.width).saturating_sub(1 + fixed).max(12);
    let mut parts: Vec<String> = marks.into_iter().collect();
    parts.extend([truncate_start(&file, file_room), who, today]);
    // The filters after, cut where the bar ends (never the date before them).
    let head = format!(" {}", parts.join(SEP));
    let room = usize::from(rect.width).saturating_sub(width(&head));
    let tail = if filters.is_empty() || room < width(SEP) + 2 {
        String::new()
    } else {
        truncate(&format!("{SEP}{}", filters.join(SEP)), room)
    };
    buf.set_line(
        rect.x,
        rect.y,
        &Line::styled(
            truncate(&format!("{head}{tail}"), usize::from(rect.width)),
            bar,
        ),
        rect.width,
    );
    if rect.height < 2 {
        return;
    }

    // Line 2: the `:` command line while it is open, else the message, else the keys.
    let y = rect.y + 1;
    if let Some(command) = &app.command {
        command_line(
            frame,
            Rect {
                y,
                height: 1,
                ..rect
            },
            app,
            command,
        );
        return;
    }
    let line2 = match &app.messages.current {
        Some(m) => {
            let style = match m.kind {
                MessageKind::Info => bar,
                MessageKind::Success => bar.patch(theme.style(Semantic::DoneOnTime)),
                MessageKind::Warning => bar.patch(theme.style(Semantic::AtRisk)),
                MessageKind::Error => theme.style(Semantic::Banner),
            };
            Line::styled(
                truncate(&format!(" {}", m.text), usize::from(rect.width)),
                style,
            )
        }
        None => hints(app, usize::from(rect.width)),
    };
    buf.set_line(rect.x, y, &line2, rect.width);
}

/// The `:` prompt, as in k9s: what is typed, and while Tab cycles, the other candidates.
fn command_line(frame: &mut Frame, rect: Rect, app: &App, command: &CommandLine) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let bar = theme.style(Semantic::StatusBar);
    let input_w = usize::from(rect.width).saturating_sub(3).max(1);
    let (shown, cursor) = command.input.view(input_w);
    let mut spans = vec![
        span(" :", bar.patch(theme.style(Semantic::KeyHint))),
        span(
            crate::untrusted::line(&shown).into_owned(),
            theme.style(Semantic::Input),
        ),
    ];
    let used = 2 + width(&shown);
    let room = usize::from(rect.width).saturating_sub(used);
    let tail = match command.candidates() {
        // The choices Tab cycles through, the current one in brackets, as many around it as
        // the line holds ("…" where some are left out), never off the edge.
        Some((candidates, index)) => {
            let words: Vec<String> = candidates
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let word = c.rsplit(' ').find(|w| !w.is_empty()).unwrap_or(c);
                    if i == index {
                        format!("[{word}]")
                    } else {
                        word.to_string()
                    }
                })
                .collect();
            format!(
                "   {}",
                window_around(&words, index, room.saturating_sub(3))
            )
        }
        None => {
            let hints: Vec<String> = app
                .settings
                .keymap
                .hints(Context::Command, true, lang)
                .into_iter()
                .map(|(key, label)| format!("{key} {label}"))
                .collect();
            format!("   {}", hints.join(" · "))
        }
    };
    spans.push(span(
        truncate(&crate::untrusted::line(&tail), room),
        bar.patch(theme.style(Semantic::Muted)),
    ));
    frame
        .buffer_mut()
        .set_line(rect.x, rect.y, &Line::from(spans), rect.width);
    if app.popup.is_none() && app.help.is_none() {
        let x = rect.x + 2 + cursor as u16;
        frame.set_cursor_position(ratatui::layout::Position::new(
            x.min(rect.right().saturating_sub(1)),
            rect.y,
        ));
    }
}

/// `words` joined by spaces in at most `room` cells, keeping `current` and as many words
/// around it as fit, "…" standing for the words left out on either side.
fn window_around(words: &[String], current: usize, room: usize) -> String {
    let Some(chosen) = words.get(current) else {
        return String::new();
    };
    let (mut from, mut to) = (current, current + 1);
    let mut used = width(chosen);
    // Each side's "…" is counted once it is needed; widen right, then left, while they fit.
    let fits = |used: usize, from: usize, to: usize| {
        used + 2 * usize::from(from > 0) + 2 * usize::from(to < words.len()) <= room
    };
    loop {
        let mut grew = false;
        if to < words.len() && fits(used + 1 + width(&words[to]), from, to + 1) {
            used += 1 + width(&words[to]);
            to += 1;
            grew = true;
        }
        if from > 0 && fits(used + 1 + width(&words[from - 1]), from - 1, to) {
            used += 1 + width(&words[from - 1]);
            from -= 1;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let mut out = Vec::new();
    if from > 0 {
        out.push("…".to_string());
    }
    out.extend(words[from..to].iter().cloned());
    if to < words.len() {
        out.push("…".to_string());
    }
    out.join(" ")
}

/// Key hints for what can be done now, as many as fit; the keys come from the keymap.
fn hints(app: &App, max: usize) -> Line<'static> {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let key_style = theme
        .style(Semantic::StatusBar)
        .patch(theme.style(Semantic::KeyHint));
    let text_style = theme.style(Semantic::StatusBar);
    // From the keymap's hint table, with the keys as the user bound them: the task screens,
    // help, the search box and every popup alike (issue 11).
    // The key urging an agency is offered on the overdue list, greyed for a member without
    // the right (pressing it says why).
    let context = app.context();
    let keymap = &app.settings.keymap;
    let urge_keys = keymap.keys_for(Action::Remind, context);
    let urging = context == Context::Browse && app.browse.list.overdue_only;
    let may_urge = app.perms.remind_refusal().is_none();
    let mut spans: Vec<Span<'static>> = vec![span(" ", text_style)];
    let mut used = 1;
    for (key, label) in keymap.hints(context, app.can_write(), lang) {
        let urge = urge_keys.contains(&key);
        if urge && !urging {
            continue;
        }
        let (key, label) = (key.to_string(), label.to_string());
        let cost = width(&key) + 1 + width(&label) + 2;
        if used + cost > max {
            break;
        }
        used += cost;
        let (key_style, text_style) = if urge && !may_urge {
            let muted = text_style.patch(theme.style(Semantic::Muted));
            (muted, muted)
        } else {
            (key_style, text_style)
        };
        spans.push(span(key, key_style));
        spans.push(span(format!(" {label}  "), text_style));
    }
    Line::from(spans)
}
