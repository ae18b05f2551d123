//! The task screen: the navigation pane, the task list and the detail pane.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use crate::model::{DisplayState, Lang, Task};

use crate::tui::app::{App, Pane};
use crate::tui::data::Counts;
use crate::tui::labels::{self, tr};
use crate::tui::layout::{BrowseLayout, NAV_ENTRY_LINES};
use crate::tui::screens::browse::state::NavMode;
use crate::tui::text::{fit, fit_right, truncate, width};
use crate::tui::theme::{Semantic, Theme};
use crate::tui::views::{pane, span};
use crate::view::Sort;

pub fn render(frame: &mut Frame, layout: &BrowseLayout, app: &App) {
    if app.browse.zoomed {
        // `z`: the detail pane alone, over the whole task screen.
        super::detail::render(frame, layout.body, app);
        return;
    }
    nav(frame, layout, app);
    list(frame, layout, app);
    super::detail::render(frame, layout.detail, app);
}

// ----- Navigation pane ---------------------------------------------------------------------

fn nav(frame: &mut Frame, layout: &BrowseLayout, app: &App) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let title = match app.browse.nav.mode {
        NavMode::Areas => tr(lang, " Lĩnh vực ", " Areas "),
        NavMode::Agencies => tr(lang, " Cơ quan chủ trì ", " Lead agencies "),
    };
    let legend = tr(
        lang,
        " tổng · quá hạn · % xong ",
        " total · overdue · % done ",
    );
    let mut block = pane(Line::raw(title), app.browse.focus == Pane::Nav, theme);
    if usize::from(layout.nav.width) >= width(legend) + 2 {
        block = block.title_bottom(Line::styled(legend, theme.style(Semantic::Muted)));
    }
    frame.render_widget(block, layout.nav);

    let inner = layout.nav_inner();
    let w = usize::from(inner.width);
    let data = &app.data;
    let len = app.browse.nav.len(data);
    // Counts sit under the name, indented as far as the widest of them allows (the same
    // indent for every entry, so they line up).
    let counts_of = |c: &Counts| {
        width(&format!(
            "{} · {} {} · {}%",
            c.total,
            c.overdue,
            tr(lang, "quá hạn", "overdue"),
            c.percent_done()
        ))
    };
    let widest = match app.browse.nav.mode {
        NavMode::Areas => data.by_area.iter(),
        NavMode::Agencies => data.by_agency.iter(),
    }
    .chain(std::iter::once(&data.all))
    .map(counts_of)
    .max()
    .unwrap_or(0);
    let indent = " ".repeat(w.saturating_sub(widest).min(2));
    let buf = frame.buffer_mut();
    for (slot, i) in (app.browse.nav.cursor.offset..len)
        .take(layout.nav_rows())
        .enumerate()
    {
        let y = inner.y + slot as u16 * NAV_ENTRY_LINES;
        let (name, counts) = match (i, app.browse.nav.mode) {
            (0, _) => (tr(lang, "Tất cả", "All").to_string(), data.all),
            (i, NavMode::Areas) => (
                data.areas[i - 1].name(lang).to_string(),
                data.by_area.get(i - 1).copied().unwrap_or_default(),
            ),
            (i, NavMode::Agencies) => (
                data.agencies[i - 1].name.clone(),
                data.by_agency.get(i - 1).copied().unwrap_or_default(),
            ),
        };
        let selected = i == app.browse.nav.cursor.selected;
        let row = Rect::new(
            inner.x,
            y,
            inner.width,
            NAV_ENTRY_LINES.min(inner.bottom() - y),
        );
        let base = if selected {
            theme
                .style(Semantic::Base)
                .patch(theme.style(Semantic::Selected))
        } else {
            theme.style(Semantic::Base)
        };
        buf.set_style(row, base);
        let marker = if selected { "▸ " } else { "  " };
        let name_line = Line::from(vec![
            span(marker, base.patch(theme.style(Semantic::Title))),
            span(truncate(&name, w.saturating_sub(2)), base),
        ]);
        buf.set_line(inner.x, y, &name_line, inner.width);
        if row.height > 1 {
            buf.set_line(
                inner.x,
                y + 1,
                &counts_line(counts, &indent, lang, base, theme, w),
                inner.width,
            );
        }
    }
}

/// The counts under an entry's name. `indent` is the same for every entry (see `nav`).
fn counts_line<'a>(
    c: Counts,
    indent: &str,
    lang: Lang,
    base: Style,
    theme: &Theme,
    w: usize,
) -> Line<'a> {
    let muted = base.patch(theme.style(Semantic::Muted));
    let late = if c.overdue > 0 {
        base.patch(theme.style(Semantic::Overdue))
    } else {
        muted
    };
    let overdue = format!("{} {}", c.overdue, tr(lang, "quá hạn", "overdue"));
    let percent = format!(" · {}%", c.percent_done());
    let parts = [
        (format!("{indent}{}", c.total), muted),
        (" · ".to_string(), muted),
        (overdue, late),
        (percent, muted),
    ];
    let mut spans = Vec::new();
    let mut used = 0;
    for (text, style) in parts {
        let left = w.saturating_sub(used);
        if left == 0 {
            break;
        }
        let text = truncate(&text, left);
        used += width(&text);
        spans.push(span(text, style));
    }
    Line::from(spans)
}

// ----- Task list -------------------------------------------------------------------------

/// Column widths for a list of a given inner width.
#[derive(Debug, Clone, Copy)]
struct Columns {
    /// The task's number (`#157`), right-aligned before the title; 0 when hidden.
    id: usize,
    title: usize,
    lead: usize,
    due: usize,
    late: usize,
    /// 0 when the state is shown by colour and mark only.
    state: usize,
    /// The bar's cells; 0 for the percent alone.
    bar: usize,
}

/// The cursor, the multi-select mark and the state mark, one column each, then a space: none
/// hides another, and none needs colour to be seen.
const MARK: usize = 4;
const PERCENT: usize = 4;
/// The id column (minutes quote "#157") shows from this terminal width on, whatever the
/// language: the title is shortened for it first (docs/TUI.md). Narrower, the title keeps the
/// room and the detail pane names the task's number.
pub const ID_FROM_WIDTH: u16 = 100;
/// The title never gets fewer cells than this beside the id column.
const MIN_TITLE_WITH_ID: usize = 12;

impl Columns {
    /// `id` is the width of the widest `#id`, or 0 when the column is not shown.
    fn new(inner: usize, lead: usize, id: usize, lang: Lang) -> Columns {
        let state_w = DisplayState::ALL
            .iter()
            .map(|s| width(s.label(lang)))
            .max()
            .unwrap_or(0);
        let mut c = Columns {
            id: 0,
            title: 0,
            lead,
            due: 10,
            late: 4,
            state: 0,
            bar: 0,
        };
        if inner >= 88 {
            c.state = state_w;
        }
        if inner >= 70 {
            c.bar = 8;
        }
        // Each shown column takes its width plus one space after it (the title's space too).
        let fixed = |c: &Columns| {
            MARK + 1
                + [c.lead, c.due, c.late, c.state]
                    .iter()
                    .filter(|w| **w > 0)
                    .map(|w| w + 1)
                    .sum::<usize>()
                + if c.bar > 0 { c.bar + 1 } else { 0 }
                + PERCENT
        };
        // On a narrow list the title keeps room to be read: days late (also in the detail
        // pane) go first, then the lead agency.
        const MIN_TITLE: usize = 16;
        if inner < fixed(&c) + MIN_TITLE {
            c.late = 0;
        }
        if inner < fixed(&c) + MIN_TITLE {
            c.lead = 0;
        }
        c.title = inner.saturating_sub(fixed(&c)).max(8);
        if id > 0 && c.title > MIN_TITLE_WITH_ID + id {
            c.id = id;
            c.title -= id + 1;
        }
        c
    }
}

/// The state mark before a task: readable without colour.
fn mark(state: DisplayState) -> &'static str {
    match state {
        DisplayState::Overdue => "!",
        DisplayState::InProgress => "»",
        DisplayState::NotStarted => "·",
        DisplayState::DoneLate => "✓",
        DisplayState::DoneOnTime => "✓",
    }
}

/// The cursor column: a filled arrow while the list has the focus, a hollow one otherwise, so
/// the selected row is found without colour (`NO_COLOR`, the monochrome theme).
fn cursor_mark(selected: bool, focused: bool) -> &'static str {
    match (selected, focused) {
        (true, true) => "▶",
        (true, false) => "▷",
        (false, _) => " ",
    }
}

/// The multi-select column.
const MARKED: &str = "*";

fn list(frame: &mut Frame, layout: &BrowseLayout, app: &App) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    // While a search is answered: every task it matched (the list holds the best of them).
    let shown = app
        .browse
        .list
        .search_matched()
        .unwrap_or(app.browse.list.len());
    let total = app.data.all.total;
    let count = if app.browse.list.filtered(&app.scope()) {
        format!(" {shown}/{total} {} ", tr(lang, "nhiệm vụ", "tasks"))
    } else {
        format!(" {shown} {} ", tr(lang, "nhiệm vụ", "tasks"))
    };
    let mut title = vec![span(count, theme.style(Semantic::Title))];
    if app.browse.list.overdue_only {
        title.push(span(
            tr(lang, "· chỉ quá hạn ", "· overdue only "),
            theme.style(Semantic::Overdue),
        ));
    }
    // The search's filter tokens, as the list applies them.
    let search = &app.browse.list.search;
    if search.is_active() {
        for filter in search.parsed().filters.describe(lang) {
            title.push(span(
                format!("· {} ", crate::untrusted::line(&filter)),
                theme.style(Semantic::SearchMatch),
            ));
        }
    }
    let order = if app.browse.list.ranked_by_score() {
        tr(lang, "theo mức khớp", "by how well they match").to_string()
    } else {
        format!(
            "{} {}",
            tr(lang, "xếp theo", "by"),
            app.browse.list.sort.label(lang)
        )
    };
    let reversed = if app.browse.list.reverse {
        tr(lang, " (ngược)", " (reversed)")
    } else {
        ""
    };
    title.push(span(
        format!("· {order}{reversed} "),
        theme.style(Semantic::Muted),
    ));
    if !app.browse.list.marked.is_empty() {
        title.push(span(
            format!(
                "· * {} {} ",
                app.browse.list.marked.len(),
                tr(lang, "đang chọn", "marked")
            ),
            theme.style(Semantic::SearchMatch),
        ));
    }
    let block = pane(Line::from(title), app.browse.focus == Pane::List, theme);
    frame.render_widget(block, layout.list);

    let inner = layout.list_inner();
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let mut y = inner.y;
    if app.search_line() {
        search_line(
            frame,
            Rect {
                y,
                height: 1,
                ..inner
            },
            app,
        );
        y += 1;
    }
    let lead_w = app
        .data
        .agencies
        .iter()
        .map(|a| width(&a.code))
        .max()
        .unwrap_or(4)
        .max(width(tr(lang, "Chủ trì", "Lead")))
        .min(8);
    let id_w = if app.size.width >= ID_FROM_WIDTH {
        1 + app.data.max_id.max(1).ilog10() as usize + 1
    } else {
        0
    };
    let cols = Columns::new(usize::from(inner.width), lead_w, id_w, lang);
    if y < inner.bottom() {
        let sorted = (!app.browse.list.ranked_by_score())
            .then_some((app.browse.list.sort, app.browse.list.reverse));
        let header = header_line(&cols, sorted, lang, theme);
        frame
            .buffer_mut()
            .set_line(inner.x, y, &header, inner.width);
    }
    let rows = layout.list_rows_area(app.search_line());
    if app.browse.list.is_empty() {
        let text = tr(
            lang,
            "Không có nhiệm vụ nào khớp · Esc: bỏ bớt bộ lọc",
            "No task matches · Esc: drop a filter",
        );
        if rows.height > 0 {
            let line = Line::styled(
                truncate(text, usize::from(rows.width)),
                theme.style(Semantic::Muted),
            );
            frame
                .buffer_mut()
                .set_line(rows.x + 1, rows.y, &line, rows.width.saturating_sub(1));
        }
        return;
    }
    let today = app.data.today;
    let start = app.browse.list.cursor.offset;
    let end = (start + usize::from(rows.height)).min(app.browse.list.len());
    let buf = frame.buffer_mut();
    for (slot, i) in (start..end).enumerate() {
        let Some(task) = app.browse.list.row(i) else {
            continue;
        };
        let y = rows.y + slot as u16;
        let selected = i == app.browse.list.cursor.selected;
        let line = task_line(
            task,
            &cols,
            (selected, app.browse.list.is_marked(task)),
            app.browse.focus == Pane::List,
            today,
            lang,
            theme,
        );
        let row = Rect::new(rows.x, y, rows.width, 1);
        if selected {
            buf.set_style(row, theme.style(Semantic::Selected));
        }
        buf.set_line(rows.x, y, &line, rows.width);
    }
}

fn search_line(frame: &mut Frame, rect: Rect, app: &App) {
    let theme = &app.settings.theme;
    let lang = app.lang();
    let search = &app.browse.list.search;
    let label = tr(lang, "Tìm: ", "Find: ");
    let input_w = usize::from(rect.width).saturating_sub(width(label) + 1);
    let (shown, cursor) = search.input.view(input_w);
    let style = if search.editing {
        theme.style(Semantic::Input)
    } else {
        theme.style(Semantic::SearchMatch)
    };
    let mut spans = vec![
        span(label, theme.style(Semantic::KeyHint)),
        span(fit(&shown, input_w.min(width(&shown) + 1)), style),
    ];
    if app.browse.list.search_pending() {
        // Issue 11: the search runs on its own thread; the previous list stays meanwhile.
        spans.push(span(
            tr(lang, "  đang tìm…", "  searching…"),
            theme.style(Semantic::Muted),
        ));
    }
    if let Some((candidates, index)) = search.candidates() {
        // Tab's choices for the filter being typed, the current one in brackets.
        let words: Vec<String> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let value = c.rsplit([':', ',']).next().unwrap_or(c);
                if i == index {
                    format!("[{value}]")
                } else {
                    value.to_string()
                }
            })
            .collect();
        spans.push(span(
            format!("  {}", crate::untrusted::line(&words.join(" "))),
            theme.style(Semantic::Muted),
        ));
    } else if let Some(problem) = search.parsed().problems.first() {
        // A filter word not understood: the list matches nothing until it is fixed.
        spans.push(span(
            format!("  {}", crate::untrusted::line(problem)),
            theme.style(Semantic::AtRisk),
        ));
    }
    if !search.editing {
        spans.push(span(
            tr(lang, "  (Esc: xoá)", "  (Esc: clear)"),
            theme.style(Semantic::Muted),
        ));
    }
    frame
        .buffer_mut()
        .set_line(rect.x, rect.y, &Line::from(spans), rect.width);
    if search.editing && app.popup.is_none() && app.help.is_none() {
        let x = rect.x + (width(label) + cursor) as u16;
        frame.set_cursor_position(Position::new(x.min(rect.right().saturating_sub(1)), rect.y));
    }
}

/// The column headers; the column the list is sorted by (`sorted`, with whether reversed)
/// carries ▲ (or ▼), as htop marks it.
fn header_line<'a>(
    c: &Columns,
    sorted: Option<(Sort, bool)>,
    lang: Lang,
    theme: &Theme,
) -> Line<'a> {
    let style = theme.style(Semantic::Header);
    let name = |label: &str, column: Sort| -> String {
        match sorted {
            Some((sort, reverse)) if sort == column => {
                format!("{label}{}", if reverse { "▼" } else { "▲" })
            }
            _ => label.to_string(),
        }
    };
    let mut text = String::new();
    text.push_str(&" ".repeat(MARK));
    if c.id > 0 {
        text.push_str(&fit_right(&name("#", Sort::Id), c.id));
        text.push(' ');
    }
    text.push_str(&fit(
        &name(tr(lang, "Nhiệm vụ", "Task"), Sort::Title),
        c.title,
    ));
    text.push(' ');
    if c.lead > 0 {
        text.push_str(&fit(
            &name(tr(lang, "Chủ trì", "Lead"), Sort::Agency),
            c.lead,
        ));
        text.push(' ');
    }
    text.push_str(&fit(&name(tr(lang, "Hạn", "Due"), Sort::Due), c.due));
    text.push(' ');
    if c.late > 0 {
        text.push_str(&fit_right(
            &name(tr(lang, "Trễ", "Late"), Sort::Late),
            c.late,
        ));
        text.push(' ');
    }
    if c.state > 0 {
        text.push_str(&fit(
            &name(tr(lang, "Tình trạng", "State"), Sort::State),
            c.state,
        ));
        text.push(' ');
    }
    if c.bar > 0 {
        text.push_str(&fit(
            &name(tr(lang, "Tiến độ", "Progress"), Sort::Progress),
            c.bar + 1 + PERCENT,
        ));
    } else {
        text.push_str(&fit_right(&name("%", Sort::Progress), PERCENT));
    }
    Line::styled(text, style)
}

fn task_line<'a>(
    t: &Task,
    c: &Columns,
    (selected, marked): (bool, bool),
    focused: bool,
    today: chrono::NaiveDate,
    lang: Lang,
    theme: &Theme,
) -> Line<'a> {
    let state = t.display_state(today);
    let mut style = theme.state(state);
    if selected {
        style = style.patch(theme.style(Semantic::Selected));
    }
    let muted = if selected {
        style
    } else {
        theme.style(Semantic::Muted)
    };
    let late = t.days_late(today);
    let mark_style = if marked {
        style.patch(theme.style(Semantic::SearchMatch))
    } else {
        style
    };
    let mut spans = vec![
        span(cursor_mark(selected, focused), style),
        span(if marked { MARKED } else { " " }, mark_style),
        span(mark(state), style),
        span(" ", style),
    ];
    if c.id > 0 {
        spans.push(span(fit_right(&format!("#{}", t.id), c.id), style));
        spans.push(span(" ", style));
    }
    spans.extend([span(fit(&t.title, c.title), style), span(" ", style)]);
    if c.lead > 0 {
        spans.push(span(fit(&t.lead_agency, c.lead), muted));
        spans.push(span(" ", style));
    }
    spans.push(span(fit(&labels::date(t.due), c.due), style));
    spans.push(span(" ", style));
    if c.late > 0 {
        let late = if late > 0 {
            late.to_string()
        } else {
            String::new()
        };
        spans.push(span(fit_right(&late, c.late), style));
        spans.push(span(" ", style));
    }
    if c.state > 0 {
        spans.push(span(fit(state.label(lang), c.state), style));
        spans.push(span(" ", style));
    }
    if c.bar > 0 {
        let filled = (usize::from(t.progress) * c.bar + 50) / 100;
        let filled = filled.min(c.bar);
        let mut empty_style = theme.style(Semantic::GaugeEmpty);
        if selected {
            empty_style = empty_style.patch(theme.style(Semantic::Selected));
        }
        spans.push(span("█".repeat(filled), style));
        spans.push(span("░".repeat(c.bar - filled), empty_style));
        spans.push(span(" ", style));
    }
    spans.push(span(fit_right(&format!("{}%", t.progress), PERCENT), style));
    Line::from(spans)
}
