//! Drawing only: every function here reads what it shows by reference (`&App`, or the data a
//! widget is given) and writes cells, nothing else. Work per frame is proportional to what is
//! on screen (the visible rows), never to the task count.

pub mod gauge;
pub mod headline;
pub mod slide_text;
pub mod status;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use super::action::Action;
use super::app::{App, Screen};
use super::labels::tr;
use super::layout::{BrowseLayout, MIN_HEIGHT, MIN_WIDTH};
use super::popups::view as popup;
use super::screens::browse::view as browse;
use super::screens::help::view as help;
use super::screens::indicators::view as indicators;
use super::screens::meeting::view as meeting;
use super::theme::{Semantic, Theme};

/// Draws the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if app.screen == Screen::Meeting && app.help.is_none() {
        // Full screen, whatever its size: the slides fit themselves to it.
        meeting::render(frame, app);
        if let Some(popup) = &app.popup {
            popup::render(frame, area, app, popup);
        }
        return;
    }
    let theme = &app.settings.theme;
    frame
        .buffer_mut()
        .set_style(area, theme.style(Semantic::Base));
    let Some(layout) = BrowseLayout::new(area, app.banner().is_some()) else {
        too_small(frame, area, app);
        return;
    };
    if let Some(banner) = layout.banner {
        status::banner(frame, banner, app);
    }
    match (&app.help, app.screen) {
        (Some(help), _) => help::render(frame, layout.body, app, help),
        (None, Screen::Browse) => browse::render(frame, &layout, app),
        (None, Screen::Indicators) => indicators::render(frame, &layout, app),
        // Drawn full screen above; reached only while the help is open.
        (None, Screen::Meeting) => {}
    }
    status::render(frame, layout.status, app);
    if let Some(popup) = &app.popup {
        popup::render(frame, area, app, popup);
    }
}

fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let lang = app.lang();
    let theme = &app.settings.theme;
    let lines = vec![
        Line::styled(
            tr(lang, "Cửa sổ quá nhỏ", "Terminal too small"),
            theme.style(Semantic::Title),
        ),
        Line::raw(format!(
            "{} {MIN_WIDTH}×{MIN_HEIGHT}, {} {}×{}",
            tr(lang, "cần ít nhất", "need at least"),
            tr(lang, "hiện là", "now"),
            area.width,
            area.height
        )),
        Line::styled(
            format!(
                "{}{}",
                tr(lang, "Hãy phóng to cửa sổ", "Enlarge the window"),
                quit_keys(app)
            ),
            theme.style(Semantic::Muted),
        ),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// " · q: thoát": the keys that quit while the terminal is too small, as the keymap binds
/// them (those of `close`, else of `quit`).
fn quit_keys(app: &App) -> String {
    let context = app.screen.context();
    let keymap = &app.settings.keymap;
    [Action::Close, Action::Quit]
        .into_iter()
        .find_map(|a| {
            let keys = keymap.key_list(a, context)?;
            Some(format!(" · {keys}: {}", a.hint(context, app.lang())?))
        })
        .unwrap_or_default()
}

/// A bordered pane; the focused one has the focus colour.
pub(crate) fn pane<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    let border = if focused {
        Semantic::BorderFocus
    } else {
        Semantic::Border
    };
    Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.style(border))
        .title(title.style(theme.style(Semantic::Title)))
}

/// A span in a semantic style.
pub(crate) fn span<'a>(text: impl Into<std::borrow::Cow<'a, str>>, style: Style) -> Span<'a> {
    Span::styled(text, style)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_help;
#[cfg(test)]
mod tests_screens;
