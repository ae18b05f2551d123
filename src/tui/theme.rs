//! Semantic styles loaded from `themes/*.toml`.
//!
//! Views ask for a meaning ([`Semantic::Overdue`], [`Semantic::Selected`]…), never a colour, so
//! a theme changes the whole interface by changing one file. Three themes are compiled in
//! (`default` for dark terminals, `light`, and `projector` for meeting rooms); a user file
//! `<config dir>/themes/<name>.toml` wins over the built-in of that name. A style a file leaves
//! out comes from the theme named by its `inherits` key (a built-in), else from `default`.
//!
//! A theme file is plain TOML, one table per style:
//!
//! ```toml
//! inherits = "light"          # optional: the built-in that fills in what this file leaves out
//!
//! [overdue]
//! fg = "#d70000"              # a name ("red", "light-blue"), "#rrggbb" or an index 0..=255
//! bold = true                 # also: bg, italic, underline, reversed
//! ```
//!
//! The styles are raw, not composed: draw the screen's background with [`Semantic::Base`] and
//! patch the others over it (ratatui keeps a colour that a style leaves unset).

use crate::model::DisplayState;
use ratatui::style::{Color, Modifier, Style};
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

/// What a piece of the screen means; each maps to one style of the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Semantic {
    /// Normal text and the screen's background.
    Base,
    /// Secondary text: plan references, dates, counts.
    Muted,
    Border,
    /// The border of the pane that has the focus.
    BorderFocus,
    Title,
    /// The selected row.
    Selected,
    /// Table and column headers.
    Header,
    StatusBar,
    /// A line that must be noticed: read-only mode, a conflict, an error.
    Banner,
    /// Keys shown in hints ("? trợ giúp").
    KeyHint,
    /// A text prompt's input field (search, percent, note).
    Input,
    /// The matched characters of a search result.
    SearchMatch,
    // The five task states.
    DoneOnTime,
    DoneLate,
    InProgress,
    Overdue,
    NotStarted,
    // Indicators against their targets.
    Met,
    OnTrack,
    AtRisk,
    OffTrack,
    NoData,
    /// The filled part of a gauge (its `fg`).
    GaugeFilled,
    /// The empty part of a gauge (its `fg`).
    GaugeEmpty,
    /// The mark on a gauge for where the value should be by today.
    ExpectedMarker,
}

impl Semantic {
    pub const ALL: [Semantic; 25] = [
        Semantic::Base,
        Semantic::Muted,
        Semantic::Border,
        Semantic::BorderFocus,
        Semantic::Title,
        Semantic::Selected,
        Semantic::Header,
        Semantic::StatusBar,
        Semantic::Banner,
        Semantic::KeyHint,
        Semantic::Input,
        Semantic::SearchMatch,
        Semantic::DoneOnTime,
        Semantic::DoneLate,
        Semantic::InProgress,
        Semantic::Overdue,
        Semantic::NotStarted,
        Semantic::Met,
        Semantic::OnTrack,
        Semantic::AtRisk,
        Semantic::OffTrack,
        Semantic::NoData,
        Semantic::GaugeFilled,
        Semantic::GaugeEmpty,
        Semantic::ExpectedMarker,
    ];

    /// The table name in a theme file (`[border_focus]`).
    pub fn name(self) -> &'static str {
        match self {
            Semantic::Base => "base",
            Semantic::Muted => "muted",
            Semantic::Border => "border",
            Semantic::BorderFocus => "border_focus",
            Semantic::Title => "title",
            Semantic::Selected => "selected",
            Semantic::Header => "header",
            Semantic::StatusBar => "status_bar",
            Semantic::Banner => "banner",
            Semantic::KeyHint => "key_hint",
            Semantic::Input => "input",
            Semantic::SearchMatch => "search_match",
            Semantic::DoneOnTime => "done_on_time",
            Semantic::DoneLate => "done_late",
            Semantic::InProgress => "in_progress",
            Semantic::Overdue => "overdue",
            Semantic::NotStarted => "not_started",
            Semantic::Met => "met",
            Semantic::OnTrack => "on_track",
            Semantic::AtRisk => "at_risk",
            Semantic::OffTrack => "off_track",
            Semantic::NoData => "no_data",
            Semantic::GaugeFilled => "gauge_filled",
            Semantic::GaugeEmpty => "gauge_empty",
            Semantic::ExpectedMarker => "expected_marker",
        }
    }

    /// Parses a table name; `-` is accepted for `_`.
    pub fn from_name(name: &str) -> Option<Semantic> {
        let wanted = name.replace('-', "_");
        Semantic::ALL.into_iter().find(|s| s.name() == wanted)
    }

    /// The style of a task's display state.
    pub fn of_state(state: DisplayState) -> Semantic {
        match state {
            DisplayState::DoneOnTime => Semantic::DoneOnTime,
            DisplayState::DoneLate => Semantic::DoneLate,
            DisplayState::InProgress => Semantic::InProgress,
            DisplayState::Overdue => Semantic::Overdue,
            DisplayState::NotStarted => Semantic::NotStarted,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The built-in themes, compiled in.
const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("projector", include_str!("../../themes/projector.toml")),
    ("monochrome", include_str!("../../themes/monochrome.toml")),
];

/// A complete set of styles: every [`Semantic`] has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    name: String,
    styles: [Style; Semantic::ALL.len()],
}

impl Default for Theme {
    fn default() -> Self {
        Theme::default_theme()
    }
}

impl Theme {
    /// The names of the built-in themes.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(name, _)| *name)
    }

    /// A built-in theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let (name, src) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        let base = if *name == "default" {
            Theme::unstyled(name)
        } else {
            Theme::default_theme()
        };
        let origin = format!("built-in theme {name:?}");
        Theme::compile(name, src, &origin, base, false).ok()
    }

    /// The `default` theme. It is compiled in and a test parses it, so the unstyled fallback
    /// below is only a guard against a panic, never expected.
    fn default_theme() -> Theme {
        let src = BUILTIN.first().map_or("", |(_, src)| src);
        Theme::compile(
            "default",
            src,
            "built-in theme \"default\"",
            Theme::unstyled("default"),
            false,
        )
        .unwrap_or_else(|_| Theme::unstyled("default"))
    }

    /// Every style empty: the terminal's own colours.
    fn unstyled(name: &str) -> Theme {
        Theme {
            name: name.to_string(),
            styles: [Style::new(); Semantic::ALL.len()],
        }
    }

    /// The theme called `name`: `<user_theme_dir>/<name>.toml` if that file exists, else the
    /// built-in of that name. Never fails: an unknown name or a bad file yields a usable theme
    /// (the built-in of that name, else `default`) and a one-line warning for the status bar
    /// naming the file, line and column.
    pub fn load(name: &str, user_theme_dir: Option<&Path>) -> (Theme, Option<String>) {
        let name = name.trim();
        let valid_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_name {
            return (
                Theme::default_theme(),
                Some(format!(
                    "invalid theme name {name:?}: use letters, digits, '-' and '_' only; using \
                     the default theme"
                )),
            );
        }
        if let Some(dir) = user_theme_dir {
            let path = dir.join(format!("{name}.toml"));
            let fallback = || Theme::builtin(name).unwrap_or_else(Theme::default_theme);
            match crate::store::read_small_text(&path, crate::store::MAX_SETTINGS_BYTES) {
                Ok(src) => {
                    let origin = format!("theme file {}", path.display());
                    return match Theme::compile(name, &src, &origin, Theme::default_theme(), true) {
                        Ok(theme) => (theme, None),
                        Err(message) => {
                            let theme = fallback();
                            let warning = format!("{message}; using the {} theme", theme.name);
                            (theme, Some(warning))
                        }
                    };
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    let theme = fallback();
                    let warning = format!(
                        "cannot read theme file {}: {e}; using the {} theme",
                        path.display(),
                        theme.name
                    );
                    return (theme, Some(warning));
                }
            }
        }
        match Theme::builtin(name) {
            Some(theme) => (theme, None),
            None => {
                let names: Vec<&str> = Theme::builtin_names().collect();
                let own = match user_theme_dir {
                    Some(dir) => format!("{}", dir.join(format!("{name}.toml")).display()),
                    None => format!("<config dir>/themes/{name}.toml"),
                };
                let warning = format!(
                    "unknown theme {name:?}: the built-in themes are {}, and a theme of your \
                     own goes in {own}; using the default theme",
                    names.join(", ")
                );
                (Theme::default_theme(), Some(warning))
            }
        }
    }

    /// Parses a theme file over `base`. `origin` names the source in messages ("theme file
    /// /path/x.toml"); `inherits` is honoured only in user files, so built-ins cannot loop.
    fn compile(
        name: &str,
        src: &str,
        origin: &str,
        base: Theme,
        allow_inherits: bool,
    ) -> Result<Theme, String> {
        let located = |e: Located| crate::config::locate(origin, src, e.span, &e.message);
        let parsed = parse_theme(src).map_err(located)?;
        let mut theme = match parsed.inherits {
            None => base,
            Some(_) if !allow_inherits => {
                return Err(format!("{origin}: a built-in theme cannot use `inherits`"));
            }
            Some(parent) => {
                let parent_name = parent.get_ref();
                Theme::builtin(parent_name).ok_or_else(|| {
                    let names: Vec<&str> = Theme::builtin_names().collect();
                    located(Located {
                        span: Some(parent.span()),
                        message: format!(
                            "`inherits` names {parent_name:?}, which is not a built-in theme ({})",
                            names.join(", ")
                        ),
                    })
                })?
            }
        };
        theme.name = name.to_string();
        for (semantic, style) in parsed.styles {
            theme.styles[semantic.index()] = style;
        }
        Ok(theme)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style for a meaning.
    pub fn style(&self, semantic: Semantic) -> Style {
        self.styles[semantic.index()]
    }

    /// The style of a task's display state.
    pub fn state(&self, state: DisplayState) -> Style {
        self.style(Semantic::of_state(state))
    }

    /// A meaning as coloured ink on the screen's own background: a style drawn as a block
    /// (the projector's overdue, white on red) gives its block colour to the glyphs instead.
    /// For what is drawn with block characters (gauges, big numerals), where a block style
    /// would paint every cell of a glyph alike and hide its colour in the text colour.
    pub fn ink(&self, semantic: Semantic) -> Style {
        let style = self.style(semantic);
        match style.bg {
            Some(bg) if bg != ratatui::style::Color::Reset => Style {
                fg: Some(bg),
                bg: None,
                ..style
            },
            _ => style,
        }
    }
}

/// A theme file's content, checked.
struct ParsedTheme {
    inherits: Option<Spanned<String>>,
    styles: Vec<(Semantic, Style)>,
}

/// An error with the byte range it points at.
struct Located {
    span: Option<Range<usize>>,
    message: String,
}

impl Located {
    fn at(span: Range<usize>, message: String) -> Located {
        Located {
            span: Some(span),
            message,
        }
    }
}

/// Walks the spanned document, so that every problem (not only a syntax error) points at its
/// line: an unknown style, a misspelt attribute, a colour that is not one.
fn parse_theme(src: &str) -> Result<ParsedTheme, Located> {
    let doc = DeTable::parse(src).map_err(|e| Located {
        span: e.span(),
        message: e.message().to_string(),
    })?;
    let mut parsed = ParsedTheme {
        inherits: None,
        styles: Vec::new(),
    };
    for (key, value) in in_file_order(doc.get_ref()) {
        let name: &str = key.get_ref();
        match name {
            "inherits" => {
                let parent = expect_str(value, "`inherits` must be a theme name")?;
                parsed.inherits = Some(Spanned::new(value.span(), parent.to_string()));
            }
            "description" => {
                expect_str(value, "`description` must be a string")?;
            }
            _ => {
                let semantic = Semantic::from_name(name).ok_or_else(|| {
                    let names: Vec<&str> = Semantic::ALL.iter().map(|s| s.name()).collect();
                    Located::at(
                        key.span(),
                        format!(
                            "unknown style {name:?}; the styles are {}",
                            names.join(", ")
                        ),
                    )
                })?;
                let DeValue::Table(table) = value.get_ref() else {
                    return Err(Located::at(
                        value.span(),
                        format!(
                            "style {name:?} must be a table such as {{ fg = \"red\", bold = true }}"
                        ),
                    ));
                };
                parsed.styles.push((semantic, parse_style(table)?));
            }
        }
    }
    Ok(parsed)
}

/// A table's entries in the order they are written, so the first error reported is the first
/// in the file (the map itself is sorted by key).
fn in_file_order<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

fn expect_str<'a>(value: &'a Spanned<DeValue<'_>>, message: &str) -> Result<&'a str, Located> {
    value
        .get_ref()
        .as_str()
        .ok_or_else(|| Located::at(value.span(), message.to_string()))
}

fn parse_style(table: &DeTable<'_>) -> Result<Style, Located> {
    let mut style = Style::new();
    for (key, value) in in_file_order(table) {
        let attribute: &str = key.get_ref();
        let modifier = match attribute {
            "fg" => {
                style = style.fg(parse_color(value)?);
                continue;
            }
            "bg" => {
                style = style.bg(parse_color(value)?);
                continue;
            }
            "bold" => Modifier::BOLD,
            "italic" => Modifier::ITALIC,
            "underline" | "underlined" => Modifier::UNDERLINED,
            "reversed" => Modifier::REVERSED,
            _ => {
                return Err(Located::at(
                    key.span(),
                    format!(
                        "unknown style attribute {attribute:?}; use fg, bg, bold, italic, \
                         underline or reversed"
                    ),
                ));
            }
        };
        match value.get_ref().as_bool() {
            Some(true) => style = style.add_modifier(modifier),
            Some(false) => style = style.remove_modifier(modifier),
            None => {
                return Err(Located::at(
                    value.span(),
                    format!("{attribute:?} must be true or false"),
                ));
            }
        }
    }
    Ok(style)
}

/// A colour: a name (`red`, `light-blue`, `dark-gray`, `reset`…), `#rrggbb`, or a 256-colour
/// index written as a number (`244`) or a string (`"244"`).
fn parse_color(value: &Spanned<DeValue<'_>>) -> Result<Color, Located> {
    let bad = |shown: String| {
        Located::at(
            value.span(),
            format!(
                "{shown} is not a colour: use a name such as \"red\" or \"light-blue\", \
                 \"#rrggbb\", or a number 0..=255"
            ),
        )
    };
    match value.get_ref() {
        DeValue::String(s) => parse_color_str(s).ok_or_else(|| bad(format!("{s:?}"))),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .and_then(|n| u8::try_from(n).ok())
            .map(Color::Indexed)
            .ok_or_else(|| bad(i.to_string())),
        other => Err(bad(format!("a {}", other.type_str()))),
    }
}

fn parse_color_str(s: &str) -> Option<Color> {
    // ratatui's parser reads names in any spelling ("light-blue", "Light Blue", "bright_blue"),
    // "#rrggbb" and "0".."255"; anything else is an error, never a guess.
    Color::from_str(s.trim()).ok()
}

#[cfg(test)]
mod tests;
