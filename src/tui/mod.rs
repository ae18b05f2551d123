//! The terminal interface: `cchc` without a subcommand.
//!
//! - `action`, `keymap`: what a user can ask for, and which keys ask for it (data, not code);
//! - `app`: what is shared, the one `App::update` that changes it, and `App::apply`, which
//!   carries out the effects screens and popups return (writes through `App::write` alone);
//! - `screens/<screen>`: each screen's state, keys (`update`) and drawing (`view`);
//! - `popups`: one file per popup, all on one `Form`;
//! - `data`, `input`: the counts and the rows around the screen, and text editing;
//! - `layout`, `views`: where things go and how the frame is drawn (drawing only);
//! - `terminal`: raw mode, the event loop, and restoring the terminal whatever happens;
//! - `safe_backend`: every cell drawn passes the one rule for untrusted text on its way out.

pub mod action;
pub mod app;
pub mod clipboard;
pub mod command;
pub mod data;
pub mod drafts;
pub mod input;
pub mod keymap;
pub mod labels;
pub mod layout;
mod list_window;
pub mod popups;
mod safe_backend;
pub mod screens;
pub mod search_worker;
mod terminal;
pub mod text;
pub mod theme;
pub mod views;

use crate::error::Result;
use crate::model::Lang;
use crate::store::Store;

use app::{App, AppOptions};
use keymap::Keymap;
use theme::Theme;

/// What the TUI takes from the command line and the config file besides [`Options`].
#[derive(Debug, Default)]
pub struct Launch {
    /// `--theme`, else the config file's `theme`.
    pub theme: Option<String>,
    /// The config file's `[keys]` table.
    pub keys: toml::Table,
    /// Config-file problems, shown in the status line.
    pub warnings: Vec<String>,
    /// `--theme` as given on the command line, for meeting mode's slides (else the projector
    /// theme).
    pub meeting_theme: Option<String>,
    /// `cchc meet`: start in meeting mode, which is then the first screen (Esc quits).
    pub meeting: Option<Meet>,
    /// The config file's saved views.
    pub views: std::collections::BTreeMap<String, crate::view::SavedView>,
    /// Where `:save NAME` writes (the config file read, else the default one).
    pub config_path: Option<std::path::PathBuf>,
    /// `--view NAME`: start on this saved view (checked to exist by the caller).
    pub view: Option<String>,
}

/// What the TUI takes from the command line's environment: the opened store, the date and
/// language, and whether the file is the member's private default one. The CLI builds it
/// (`Env::tui_options`); the TUI knows nothing of `cli`.
#[derive(Debug)]
pub struct Options {
    pub store: Store,
    pub today: chrono::NaiveDate,
    pub lang: Lang,
    pub own_file: app::OwnFile,
    pub letters: app::LetterConfig,
}

/// `cchc meet`'s options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Meet {
    /// The last meeting's date (default: 30 days before today).
    pub since: Option<chrono::NaiveDate>,
    /// Without it the file is opened read-only.
    pub allow_edits: bool,
}

/// Opens the database, then runs the interactive screen until the user quits; returns the exit
/// status (non-zero when a signal ended an edit in progress). Errors before the screen opens
/// (a bad saved view) are returned for the caller to print; the store was opened by the caller.
pub fn run(opts: Options, launch: Launch) -> Result<i32> {
    let Options {
        store,
        today,
        lang,
        own_file,
        letters,
    } = opts;
    let mut warnings = launch.warnings;
    // NO_COLOR (https://no-color.org) means no colour, whatever the config file's theme; a
    // --theme typed on the command line still wins.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        && launch.meeting_theme.is_none();
    let theme_name = if no_color {
        "monochrome"
    } else {
        launch.theme.as_deref().unwrap_or("default")
    };
    let (theme, theme_warning) =
        Theme::load(theme_name, crate::config::user_theme_dir().as_deref());
    warnings.extend(theme_warning);
    let (keymap, key_warnings) = Keymap::from_config(&launch.keys);
    warnings.extend(key_warnings);
    // Loaded above under the same name when given, so its warning is already listed.
    let meeting_theme = launch
        .meeting_theme
        .as_deref()
        .or(no_color.then_some("monochrome"))
        .map(|name| Theme::load(name, crate::config::user_theme_dir().as_deref()).0);
    let mut app = App::new(
        store,
        AppOptions {
            today: Some(today),
            lang,
            theme,
            meeting_theme,
            keymap,
            warnings,
            db_label: None,
            form_date: None,
            drafts: drafts::pending(),
            views: launch.views,
            config_path: launch.config_path,
            own_file,
            editor: popups::long_note::editor_from_env(),
            letters,
        },
    )?;
    if let Some(name) = &launch.view {
        let view = app.views.get(name).cloned().ok_or_else(|| {
            crate::error::Error::invalid(crate::view::unknown_view(name, &app.views, lang))
        })?;
        // A view naming an area or agency no longer in the file: said in the status bar.
        if let Err(problem) = app.apply_view(&view) {
            app.show_warning(problem);
        }
    }
    if let Some(meet) = launch.meeting {
        if !meet.allow_edits && app.settings.read_only.as_deref() == Some("opened with --read-only")
        {
            // Say why in meeting terms rather than "opened with --read-only".
            app.settings.read_only = Some(labels::MEET_READ_ONLY.to_string());
        }
        app.start_meeting(meet.since);
    }
    // The terminal is given back before anything is printed.
    match terminal::run(&mut app)? {
        terminal::Ended::Quit | terminal::Ended::Signal { draft: None, .. } => Ok(0),
        terminal::Ended::Signal {
            signal,
            draft: Some(kept),
        } => {
            match kept {
                Ok(path) => eprintln!(
                    "cchc: {} {signal}; {} {}",
                    labels::tr(lang, "dừng do tín hiệu", "ended by signal"),
                    labels::tr(
                        lang,
                        "phần đang gõ dở (chưa lưu) được giữ ở",
                        "what you were typing (not saved) is kept in"
                    ),
                    path.display()
                ),
                Err((why, text)) => eprintln!(
                    "cchc: {} {signal}; {} ({why}):\n{}",
                    labels::tr(lang, "dừng do tín hiệu", "ended by signal"),
                    labels::tr(
                        lang,
                        "không ghi được tệp nháp; đây là phần đang gõ dở",
                        "the drafts file could not be written; here is what you were typing"
                    ),
                    crate::untrusted::block(&text),
                ),
            }
            Ok(128 + signal)
        }
    }
}

#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_command;
#[cfg(test)]
mod tests_keys;
#[cfg(test)]
mod tests_multi;
#[cfg(test)]
mod tests_screens;
#[cfg(test)]
mod tests_search;
