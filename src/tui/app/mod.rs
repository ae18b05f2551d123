//! The application state and the one entry point that changes it, [`App::update`].
//!
//! Data flows one way: a terminal event becomes a [`Msg`] (keys through the keymap, or raw
//! [`Edit`]s while a text field has the focus) → `update` → a store write (versioned, logged)
//! → the changed rows are taken back from the store → the views draw `&App`. A tick polls
//! `PRAGMA data_version` so that other members' commits show up without a key press.
//!
//! `App` keeps what is shared: the store, [`Settings`], [`Data`] (the store's rows and
//! counts) and [`Gauges`] (the indicators, which two screens show), the [`Screen`] shown with
//! the stack of those entered before it (Esc goes back to where the user came from), the
//! [`Popup`] over it, and [`Messages`] (the status line). Each screen's state is one struct
//! held once: [`BrowseState`] (the panes, the list, the selected task's detail),
//! [`IndicatorsState`], [`MeetingState`] (the slides and the report they show) and
//! [`HelpState`].
//!
//! This file holds the state and the dispatch (`update`, `act`); `events` turns keys and mouse
//! into messages and `accessors` holds what the views read; `effect` carries out what screens
//! and popups return, `edit` is where writes happen (popups' steps are pure, in
//! `popups/update.rs`), `bulk` and `command` the marks and the `:` line, `live` loading and
//! live reload, and `screen_stack` moving between screens. Each screen's own state, keys and drawing live in
//! `tui/screens/<screen>/{state,update,view}.rs`; the popups in `tui/popups/`.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::layout::{Position, Rect};

use crate::model::Lang;
use crate::store::{Permissions, Store};

use super::action::Action;
use super::data::{Data, Gauges};
use super::input::Edit;
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use crate::tui::popups::Popup;

pub use crate::tui::screens::browse::state::{BrowseState, Detail, Pane};
pub use crate::tui::screens::help::state::HelpState;
pub use crate::tui::screens::indicators::state::IndicatorsState;
pub use crate::tui::screens::meeting::state::{DEFAULT_SINCE_DAYS, MeetingState};
pub use command::{CommandLine, reference_line};
pub use effect::{Effect, Write};

mod accessors;
mod bulk;
mod command;
mod edit;
mod effect;
mod events;
mod live;
mod remind;
mod screen_stack;
mod search;

/// How often the store is polled for other members' commits.
pub const TICK: Duration = Duration::from_millis(250);

/// How many change-log entries the detail pane shows.
const HISTORY_LIMIT: usize = 50;

/// Everything that can change the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A request from the keymap (or a test).
    Action(Action),
    /// Text typed into the focused field.
    Edit(Edit),
    /// Left mouse button pressed at a cell.
    Click {
        column: u16,
        row: u16,
    },
    /// Mouse wheel over a cell.
    Scroll {
        column: u16,
        row: u16,
        down: bool,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// Time passed: poll the store, expire messages.
    Tick,
    /// The external editor asked for with `N` has exited: the file's text, or why it is not
    /// a note (the editor failed, the file could not be read) with what the file held.
    EditorDone(Result<String, (String, String)>),
    /// A search is running off the input thread: take its answer if it has come (the loop
    /// sends this at a short interval while one is pending, never when idle).
    SearchPoll,
}

impl From<Action> for Msg {
    fn from(a: Action) -> Msg {
        Msg::Action(a)
    }
}

impl From<Edit> for Msg {
    fn from(e: Edit) -> Msg {
        Msg::Edit(e)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// Which screen is shown, each with its own state, view and keymap context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The three-pane task screen.
    Browse,
    /// Every indicator with its gauge; `r` records a measurement.
    Indicators,
    /// Full-screen slides for the projector.
    Meeting,
}

impl Screen {
    pub fn context(self) -> Context {
        match self {
            Screen::Browse => Context::Browse,
            Screen::Indicators => Context::Indicators,
            Screen::Meeting => Context::Meeting,
        }
    }
}

/// What stays fixed while the app runs.
#[derive(Debug)]
pub struct Settings {
    pub today: NaiveDate,
    pub lang: Lang,
    pub theme: Theme,
    /// The theme of meeting mode's slides (the projector theme unless one was asked for).
    pub meeting_theme: Theme,
    pub keymap: Keymap,
    /// How the status bar names the database file.
    pub db_label: String,
    pub user: String,
    /// Why nothing can be written, if so (shown as a banner).
    pub read_only: Option<String>,
    /// The date the record form suggests; `None` for the clock's (tests fix it).
    pub form_date: Option<NaiveDate>,
    /// The file is the per-user default one nobody else opens (the status bar says so).
    pub own_file: bool,
    /// `$VISUAL` or `$EDITOR`, which `N` opens; `None`: a multi-line box in a popup.
    pub editor: Option<String>,
    /// How the letters urging agencies are made and mailed (`r`).
    pub letters: LetterConfig,
}

/// The config file's tables the letters urging agencies are made and mailed with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LetterConfig {
    pub report: crate::config::ReportConfig,
    pub remind: crate::config::RemindConfig,
    pub mail: crate::config::MailConfig,
}

/// Whether the database is the per-user default file, which nobody else sees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OwnFile {
    /// Named by `--db`, `CCHC_DB` or the config file: the shared file, presumably.
    #[default]
    Named,
    /// The default file in the user's data directory.
    InUse,
    /// The default file, created and seeded by this start.
    JustCreated,
}

/// The options `App::new` takes besides the store.
#[derive(Debug, Default)]
pub struct AppOptions {
    pub today: Option<NaiveDate>,
    pub lang: Lang,
    pub theme: Theme,
    /// The slides' theme; `None` for the built-in projector theme.
    pub meeting_theme: Option<Theme>,
    pub keymap: Keymap,
    /// Config and theme problems, shown in the status line at start.
    pub warnings: Vec<String>,
    /// Overrides how the database path is shown (tests use a fixed name).
    pub db_label: Option<String>,
    /// Fixes the date the record form suggests (tests; else the clock's).
    pub form_date: Option<NaiveDate>,
    /// A drafts file left by an earlier session, named in a banner.
    pub drafts: Option<std::path::PathBuf>,
    /// The config file's saved views (`:view NAME`).
    pub views: std::collections::BTreeMap<String, crate::view::SavedView>,
    /// Where `:save NAME` writes; `None` when there is no config directory.
    pub config_path: Option<std::path::PathBuf>,
    /// Whether the file is the private default one (and was just made).
    pub own_file: OwnFile,
    /// The external editor for long notes (`$VISUAL`, else `$EDITOR`); `None` for the popup.
    pub editor: Option<String>,
    pub letters: LetterConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
    at: Instant,
}

/// The status line's message, which expires after a while.
#[derive(Debug, Default)]
pub struct Messages {
    pub current: Option<Message>,
}

impl Messages {
    pub(in crate::tui) fn set(&mut self, kind: MessageKind, text: impl Into<String>) {
        self.current = Some(Message {
            text: text.into(),
            kind,
            at: Instant::now(),
        });
    }

    /// Drops the message once it has been shown long enough; returns whether it did.
    fn expire(&mut self, now: Instant) -> bool {
        let keep = |m: &Message| {
            let ttl = match m.kind {
                MessageKind::Info | MessageKind::Success => Duration::from_secs(6),
                MessageKind::Warning | MessageKind::Error => Duration::from_secs(15),
            };
            now.duration_since(m.at) < ttl
        };
        let expired = self.current.as_ref().is_some_and(|m| !keep(m));
        if expired {
            self.current = None;
        }
        expired
    }
}

/// Where the live reload stands.
#[derive(Debug, Clone, Copy)]
struct Live {
    data_version: i64,
    /// Change-log sequence up to which tasks have been read.
    seq: i64,
    /// The database server went away: the banner says so until a poll succeeds again.
    disconnected: bool,
}

pub struct App {
    pub(in crate::tui) store: Store,
    pub settings: Settings,
    /// What the member rules let this user change, as of the last reload. The store checks
    /// again inside each write; this decides what the screen offers.
    pub perms: Permissions,
    pub data: Data,
    /// The task screen: its panes, list and detail.
    pub browse: BrowseState,
    pub screen: Screen,
    /// The screens to go back to, most recent last. Empty on the first screen: Esc there
    /// quits when the first screen is meeting mode (`cchc meet`).
    pub(in crate::tui) back_stack: Vec<Screen>,
    /// Every indicator, its measurements and assessment, for the indicators screen and meeting
    /// mode.
    pub gauges: Gauges,
    pub indicators: IndicatorsState,
    pub meeting: MeetingState,
    pub help: Option<HelpState>,
    pub popup: Option<Popup>,
    pub messages: Messages,
    /// The terminal's size, as last reported.
    pub size: Rect,
    live: Live,
    /// Counts changes that may show on screen; the loop redraws when it moves.
    pub(in crate::tui) generation: u64,
    /// Why the path no longer names the file opened (a restored backup, a deleted file or
    /// `-wal`): nothing is written until the user opens the file now there (Ctrl-r).
    pub file_moved: Option<String>,
    /// A drafts file left by an earlier session (a signal ended an edit), until a key is
    /// pressed.
    pub drafts_notice: Option<std::path::PathBuf>,
    /// The private default file was created by this start: a banner says so until a key is
    /// pressed (the status bar keeps saying "your own file").
    pub own_file_notice: bool,
    /// Counts writes that waited out another member's lock and failed busy; the event loop
    /// drops the keys typed during such a wait.
    busy_waits: u64,
    /// The `:` command line, while it is open (issue 12).
    pub command: Option<CommandLine>,
    /// Saved views by name, as read from the config file and saved since.
    pub views: std::collections::BTreeMap<String, crate::view::SavedView>,
    /// Where `:save` writes.
    config_path: Option<std::path::PathBuf>,
    /// Text for the terminal loop to put on the clipboard (OSC 52).
    clipboard: Option<String>,
    /// A long note to write in the external editor: the event loop takes it, hands the
    /// terminal over, and answers with `Msg::EditorDone`.
    editor_request: Option<crate::tui::popups::long_note::EditorRequest>,
    /// The request whose editor is running (what its text is for).
    editor_running: Option<crate::tui::popups::long_note::EditorRequest>,
    /// The text of a long note not saved (the editor failed, the note was refused), offered
    /// again at the next `N`.
    pub long_note_draft: String,
    /// The search box's searches, answered on their own thread (issue 11; `app/search.rs`).
    search_worker: super::search_worker::SearchWorker,
    search_fn: super::search_worker::SearchFn,
    /// Each `update` waits for the search it started (tests and scripted drivers).
    settle_searches: bool,
    /// ctrl-z asked to suspend: the terminal loop takes it (`take_suspend`).
    suspend: bool,
}

impl App {
    pub fn new(store: Store, opts: AppOptions) -> crate::error::Result<App> {
        let today = opts
            .today
            .unwrap_or_else(|| crate::context::resolve_today(None));
        // Read the sequence first: a commit landing between the two reads is then read again
        // at the next tick rather than missed.
        let live = Live {
            data_version: store.data_version()?,
            seq: store.max_change_seq()?,
            disconnected: false,
        };
        let data = Data::load(&store, today)?;
        let gauges = Gauges::load(&store, &data.areas, today)?;
        let perms = store.permissions()?;
        let db_label = opts.db_label.unwrap_or_else(|| match store.server_label() {
            Some(label) => label,
            None => display_path(store.path()),
        });
        let settings = Settings {
            today,
            lang: opts.lang,
            theme: opts.theme,
            meeting_theme: opts
                .meeting_theme
                .or_else(|| Theme::builtin("projector"))
                .unwrap_or_default(),
            keymap: opts.keymap,
            db_label,
            user: store.user().to_string(),
            read_only: store.read_only_reason().map(String::from),
            form_date: opts.form_date,
            own_file: opts.own_file != OwnFile::Named,
            editor: opts.editor,
            letters: opts.letters,
        };
        let mut app = App {
            store,
            settings,
            perms,
            data,
            browse: BrowseState::default(),
            screen: Screen::Browse,
            back_stack: Vec::new(),
            gauges,
            indicators: IndicatorsState::default(),
            meeting: MeetingState {
                slide: 0,
                since: today - chrono::Duration::days(DEFAULT_SINCE_DAYS),
                report: None,
                recorded: Vec::new(),
                stale: true,
            },
            help: None,
            popup: None,
            messages: Messages::default(),
            size: Rect::new(0, 0, 80, 24),
            live,
            generation: 0,
            file_moved: None,
            drafts_notice: opts.drafts,
            own_file_notice: opts.own_file == OwnFile::JustCreated,
            busy_waits: 0,
            command: None,
            views: opts.views,
            config_path: opts.config_path,
            clipboard: None,
            editor_request: None,
            editor_running: None,
            long_note_draft: String::new(),
            search_worker: Default::default(),
            search_fn: super::search_worker::store_search(),
            settle_searches: false,
            suspend: false,
        };
        app.rebuild();
        if !opts.warnings.is_empty() {
            app.messages
                .set(MessageKind::Warning, opts.warnings.join(" · "));
        }
        app.sync_detail();
        Ok(app)
    }

    // ----- The one entry point ------------------------------------------------------------

    /// Carries out one message. Every change to the app goes through here.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Flow {
        let msg = msg.into();
        if self.too_small() {
            // Nothing drawn can be acted on: only quitting, resizing and time passing.
            match &msg {
                Msg::Action(Action::Quit) | Msg::Resize { .. } | Msg::Tick | Msg::SearchPoll => {}
                _ => return Flow::Continue,
            }
        }
        if matches!(msg, Msg::Action(_) | Msg::Edit(_))
            && (std::mem::take(&mut self.own_file_notice) || self.drafts_notice.take().is_some())
        {
            // Said once (the first key dismisses the top one); a drafts file stays until the
            // user deletes it.
            self.fit_views();
        }
        let flow = match msg {
            Msg::Action(a) => self.act(a),
            Msg::Edit(e) => {
                self.edit(e);
                Flow::Continue
            }
            Msg::Click { column, row } => {
                self.click(Position::new(column, row));
                Flow::Continue
            }
            Msg::Scroll { column, row, down } => {
                self.wheel(Position::new(column, row), down);
                Flow::Continue
            }
            Msg::Resize { width, height } => {
                self.size = Rect::new(0, 0, width, height);
                self.fit_views();
                Flow::Continue
            }
            Msg::EditorDone(result) => {
                self.editor_done(result);
                Flow::Continue
            }
            Msg::Tick => {
                if !self.tick() {
                    // Nothing changed: no redraw needed (an idle screen sends nothing).
                    return Flow::Continue;
                }
                Flow::Continue
            }
            Msg::SearchPoll => {
                if !self.take_search_answers() {
                    return Flow::Continue;
                }
                Flow::Continue
            }
        };
        if self.settle_searches {
            self.wait_for_search(super::search_worker::SETTLE_TIMEOUT);
        }
        self.generation += 1;
        self.fill_list();
        self.sync_detail();
        self.sync_meeting();
        flow
    }

    fn act(&mut self, a: Action) -> Flow {
        if a == Action::Quit {
            return Flow::Quit;
        }
        if a == Action::Suspend {
            // The terminal loop hands the terminal back to the shell and stops the process.
            self.suspend = true;
            return Flow::Continue;
        }
        if a == Action::Close {
            // Nothing on top of the task list: `q` quits there, and closes anything else as
            // Esc does (in `cchc meet` Esc itself quits, as nothing is under the slides).
            let on_top =
                self.popup.is_some() || self.help.is_some() || self.screen != Screen::Browse;
            return if on_top {
                self.act(Action::Back)
            } else {
                Flow::Quit
            };
        }
        if let Some(e) = Edit::of_action(a) {
            // Text-field keys (Backspace, ctrl-w, …) and the long note's Enter.
            self.edit(e);
            return Flow::Continue;
        }
        if a == Action::Refresh && self.file_moved.is_some() {
            self.reopen();
            return Flow::Continue;
        }
        if self.command.is_some() {
            return self.command_action(a);
        }
        if let Some(popup) = self.popup.take() {
            self.popup_action(popup, a);
            return Flow::Continue;
        }
        if self.help.is_some() {
            let effect = self.help_action(a);
            return self.apply(effect);
        }
        if self.browse.list.search.editing {
            self.search_action(a);
            return Flow::Continue;
        }
        let effect = match self.screen {
            Screen::Browse => self.browse_action(a),
            Screen::Indicators => self.indicators_action(a),
            Screen::Meeting => self.meeting_action(a),
        };
        self.apply(effect)
    }

    /// Whether ctrl-z asked to suspend since the last look (the terminal loop's).
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    // ----- Messages -----------------------------------------------------------------------

    /// A warning in the status line, for callers outside `update` (start-up).
    pub fn show_warning(&mut self, text: String) {
        self.messages.set(MessageKind::Warning, text);
    }

    pub(in crate::tui) fn info(&mut self, text: String) {
        self.messages.set(MessageKind::Info, text);
    }

    pub(in crate::tui) fn success(&mut self, text: String) {
        self.messages.set(MessageKind::Success, text);
    }

    pub(in crate::tui) fn error(&mut self, text: String) {
        self.messages.set(MessageKind::Error, text);
    }
}

/// The database path as the status bar shows it: the home directory as `~`.
fn display_path(path: &std::path::Path) -> String {
    if let Some(dirs) = directories::BaseDirs::new()
        && let Ok(rest) = path.strip_prefix(dirs.home_dir())
    {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}
