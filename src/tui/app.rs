//! The application state and the one entry point that changes it, [`App::update`].
//!
//! Data flows one way: a terminal event becomes a [`Msg`] (keys through the keymap, or raw
//! [`Edit`]s while a text field has the focus) → `update` → a store write (versioned, logged)
//! → the changed rows are taken back from the store → the views draw `&App`. A tick polls
//! `PRAGMA data_version` so that other members' commits show up without a key press.
//!
//! State is split by concern: [`Data`] (the store's rows), [`Nav`] and [`TaskList`] (what is
//! browsed), [`Detail`] (the selected task's history and notes), [`Popup`] (the edit in
//! progress), [`Messages`] (the status line). [`Screen`] says which screen is shown; the
//! indicators screen and meeting mode are to be added there as their own states and views.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::error::{Conflict, Error};
use crate::model::{Lang, LogEntry, NewTask, Note, Recurrence, Status, Task, TaskPatch};
use crate::store::{LogFilter, Permissions, Store, TaskUpdate};
use crate::transfer::Resolver;

use super::action::Action;
use super::browse::{Nav, NavMode, Scope, TaskList};
use super::data::Data;
use super::input::Edit;
use super::keymap::{CTRL_C, Context, Key, Keymap};
use super::labels::{self, tr};
use super::layout::BrowseLayout;
use super::popup::{
    FieldKey, FormMode, Notice, Popup, Prompt, StatusPicker, TaskForm, parse_percent,
};
use super::theme::Theme;

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

/// Which screen is shown. Issue 4 adds `Indicators` and `Meeting`, each with its own state,
/// view and keymap context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Browse,
}

impl Screen {
    pub fn context(self) -> Context {
        match self {
            Screen::Browse => Context::Browse,
        }
    }
}

/// The three panes of the task screen, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Nav,
    List,
    Detail,
}

impl Pane {
    fn next(self) -> Pane {
        match self {
            Pane::Nav => Pane::List,
            Pane::List => Pane::Detail,
            Pane::Detail => Pane::Nav,
        }
    }

    fn prev(self) -> Pane {
        match self {
            Pane::Nav => Pane::Detail,
            Pane::List => Pane::Nav,
            Pane::Detail => Pane::List,
        }
    }
}

/// The help screen, drawn over whatever screen is current.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpState {
    pub scroll: usize,
}

/// What stays fixed while the app runs.
#[derive(Debug)]
pub struct Settings {
    pub today: NaiveDate,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    /// How the status bar names the database file.
    pub db_label: String,
    pub user: String,
    /// Why nothing can be written, if so (shown as a banner).
    pub read_only: Option<String>,
}

/// The options `App::new` takes besides the store.
#[derive(Debug, Default)]
pub struct AppOptions {
    pub today: Option<NaiveDate>,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Config and theme problems, shown in the status line at start.
    pub warnings: Vec<String>,
    /// Overrides how the database path is shown (tests use a fixed name).
    pub db_label: Option<String>,
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
    fn set(&mut self, kind: MessageKind, text: impl Into<String>) {
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

/// The selected task's history and notes, read from the store when the selection (or the
/// task's version) changes.
#[derive(Debug, Default)]
pub struct Detail {
    pub task_id: Option<i64>,
    version: i64,
    pub history: Vec<LogEntry>,
    pub notes: Vec<Note>,
    pub scroll: usize,
}

/// Where the live reload stands.
#[derive(Debug, Clone, Copy)]
struct Live {
    data_version: i64,
    /// Change-log sequence up to which tasks have been read.
    seq: i64,
}

pub struct App {
    store: Store,
    pub settings: Settings,
    /// What the member rules let this user change, as of the last reload. The store checks
    /// again inside each write; this decides what the screen offers.
    pub perms: Permissions,
    pub data: Data,
    pub nav: Nav,
    pub list: TaskList,
    pub detail: Detail,
    pub focus: Pane,
    pub screen: Screen,
    pub help: Option<HelpState>,
    pub popup: Option<Popup>,
    pub messages: Messages,
    /// The terminal's size, as last reported.
    pub size: Rect,
    live: Live,
    /// Counts changes that may show on screen; the loop redraws when it moves.
    generation: u64,
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
        };
        let data = Data::load(&store, today)?;
        let perms = store.permissions()?;
        let db_label = opts.db_label.unwrap_or_else(|| display_path(store.path()));
        let settings = Settings {
            today,
            lang: opts.lang,
            theme: opts.theme,
            keymap: opts.keymap,
            db_label,
            user: store.user().to_string(),
            read_only: store.read_only_reason().map(String::from),
        };
        let mut app = App {
            store,
            settings,
            perms,
            data,
            nav: Nav::default(),
            list: TaskList::default(),
            detail: Detail::default(),
            focus: Pane::List,
            screen: Screen::Browse,
            help: None,
            popup: None,
            messages: Messages::default(),
            size: Rect::new(0, 0, 80, 24),
            live,
            generation: 0,
        };
        app.rebuild();
        if !opts.warnings.is_empty() {
            app.messages
                .set(MessageKind::Warning, opts.warnings.join(" · "));
        }
        app.sync_detail();
        Ok(app)
    }

    /// Moves whenever something that may be on screen changed (see the event loop).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        tr(self.settings.lang, vi, en)
    }

    pub fn layout(&self) -> Option<BrowseLayout> {
        BrowseLayout::new(self.size, self.settings.read_only.is_some())
    }

    /// Whether the search line is shown above the list's header.
    pub fn search_line(&self) -> bool {
        self.list.search.editing || self.list.search.is_active()
    }

    fn list_rows(&self) -> usize {
        self.layout()
            .map_or(10, |l| l.list_rows(self.search_line()))
    }

    fn nav_rows(&self) -> usize {
        self.layout().map_or(8, |l| l.nav_rows())
    }

    pub fn scope(&self) -> Scope {
        self.nav.scope(&self.data)
    }

    pub fn selected_task(&self) -> Option<&Task> {
        self.list.selected_task(&self.data)
    }

    /// The keymap context for the keys pressed now.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else if self.popup.is_some() {
            Context::Global
        } else {
            self.screen.context()
        }
    }

    /// Whether keys go into a text field rather than through the keymap.
    pub fn text_focus(&self) -> bool {
        match &self.popup {
            Some(p) => p.takes_text(),
            None => self.help.is_none() && self.list.search.editing,
        }
    }

    // ----- Events → messages -------------------------------------------------------------

    /// What a key press asks for. While a text field has the focus, keys are text (Enter,
    /// Esc, Tab and arrows keep their meaning); otherwise the keymap decides.
    pub fn key_msg(&self, ev: &KeyEvent) -> Option<Msg> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::from_event(ev);
        if key == CTRL_C {
            return Some(Action::Quit.into());
        }
        if self.text_focus() {
            let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
            let alt = ev.modifiers.contains(KeyModifiers::ALT);
            return Some(match ev.code {
                KeyCode::Enter => Action::Open.into(),
                KeyCode::Esc => Action::Back.into(),
                KeyCode::Tab => Action::NextPane.into(),
                KeyCode::BackTab => Action::PrevPane.into(),
                KeyCode::Up => Action::MoveUp.into(),
                KeyCode::Down => Action::MoveDown.into(),
                KeyCode::PageUp => Action::PageUp.into(),
                KeyCode::PageDown => Action::PageDown.into(),
                KeyCode::Backspace if ctrl || alt => Edit::DeleteWord.into(),
                KeyCode::Backspace => Edit::Backspace.into(),
                KeyCode::Delete => Edit::Delete.into(),
                KeyCode::Left => Edit::Left.into(),
                KeyCode::Right => Edit::Right.into(),
                KeyCode::Home => Edit::Home.into(),
                KeyCode::End => Edit::End.into(),
                KeyCode::Char(c) if ctrl => match c {
                    'u' => Edit::Clear.into(),
                    'w' => Edit::DeleteWord.into(),
                    'a' => Edit::Home.into(),
                    'e' => Edit::End.into(),
                    _ => return None,
                },
                KeyCode::Char(_) if alt => return None,
                KeyCode::Char(c) => Edit::Insert(c).into(),
                _ => return None,
            });
        }
        if let Some(Popup::Status(_)) = &self.popup
            && let KeyCode::Char(c @ '1'..='9') = ev.code
        {
            return Some(Edit::Insert(c).into());
        }
        self.settings
            .keymap
            .resolve(ev, self.context())
            .map(Msg::Action)
    }

    pub fn mouse_msg(&self, ev: &MouseEvent) -> Option<Msg> {
        let (column, row) = (ev.column, ev.row);
        match ev.kind {
            MouseEventKind::Down(crossterm::event::MouseButton::Left) => {
                Some(Msg::Click { column, row })
            }
            MouseEventKind::ScrollDown => Some(Msg::Scroll {
                column,
                row,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Msg::Scroll {
                column,
                row,
                down: false,
            }),
            _ => None,
        }
    }

    // ----- The one entry point ------------------------------------------------------------

    /// Carries out one message. Every change to the app goes through here.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Flow {
        let flow = match msg.into() {
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
            Msg::Tick => {
                if !self.tick() {
                    // Nothing changed: no redraw needed (an idle screen sends nothing).
                    return Flow::Continue;
                }
                Flow::Continue
            }
        };
        self.generation += 1;
        self.sync_detail();
        flow
    }

    fn act(&mut self, a: Action) -> Flow {
        if a == Action::Quit {
            return Flow::Quit;
        }
        if let Some(popup) = self.popup.take() {
            self.popup_action(popup, a);
            return Flow::Continue;
        }
        if let Some(help) = self.help {
            self.help_action(help, a);
            return Flow::Continue;
        }
        if self.list.search.editing {
            self.search_action(a);
            return Flow::Continue;
        }
        match self.screen {
            Screen::Browse => self.browse_action(a),
        }
        Flow::Continue
    }

    // ----- The task screen ----------------------------------------------------------------

    fn browse_action(&mut self, a: Action) {
        let rows = self.list_rows();
        match a {
            Action::MoveUp => self.move_focused(-1),
            Action::MoveDown => self.move_focused(1),
            Action::PageUp => self.move_focused(-(rows.saturating_sub(1).max(1) as isize)),
            Action::PageDown => self.move_focused(rows.saturating_sub(1).max(1) as isize),
            Action::HalfPageUp => self.move_focused(-((rows / 2).max(1) as isize)),
            Action::HalfPageDown => self.move_focused((rows / 2).max(1) as isize),
            Action::Top => self.move_focused(isize::MIN / 2),
            Action::Bottom => self.move_focused(isize::MAX / 2),
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::Open => match self.focus {
                Pane::Nav => self.focus = Pane::List,
                Pane::List if self.selected_task().is_some() => self.focus = Pane::Detail,
                _ => {}
            },
            Action::Back => self.back(),
            Action::Search => {
                self.list.search.editing = true;
                self.focus = Pane::List;
                self.fit_views();
            }
            Action::ToggleOverdue => {
                self.list.overdue_only = !self.list.overdue_only;
                self.rebuild();
            }
            Action::CycleSort => {
                self.list.sort = self.list.sort.next();
                self.rebuild();
                let label = self.list.sort.label(self.lang());
                self.info(format!("{} {label}", self.t("Sắp xếp theo", "Sorted by")));
            }
            Action::ToggleNav => {
                self.nav.mode = match self.nav.mode {
                    NavMode::Areas => NavMode::Agencies,
                    NavMode::Agencies => NavMode::Areas,
                };
                self.nav.cursor = Default::default();
                self.rebuild();
            }
            Action::SetStatus => {
                if let Some(task) = self.editable_task() {
                    self.popup = Some(Popup::Status(StatusPicker::new(&task)));
                }
            }
            Action::SetPercent => {
                if let Some(task) = self.editable_task() {
                    self.popup = Some(Popup::Percent(Prompt::new(&task, "")));
                }
            }
            Action::AddNote => {
                if let Some(task) = self.editable_task() {
                    self.popup = Some(Popup::Note(Prompt::new(&task, "")));
                }
            }
            Action::EditTask => {
                if let Some(task) = self.editable_task() {
                    let form = TaskForm::new(&self.data, self.lang(), Some(&task), None, None);
                    self.popup = Some(Popup::Form(Box::new(form)));
                }
            }
            Action::AddTask => {
                if self.writable() {
                    let (area, mut lead) = match self.scope() {
                        Scope::Area(a) => (Some(a), None),
                        Scope::Agency(a) => (None, Some(a)),
                        Scope::All => (None, None),
                    };
                    // A member adds tasks for their own agency: start from it.
                    if let Some(m) = &self.perms.member
                        && m.role == crate::store::Role::Member
                    {
                        lead = Some(m.agency.clone());
                    }
                    let form = TaskForm::new(
                        &self.data,
                        self.lang(),
                        None,
                        area.as_deref(),
                        lead.as_deref(),
                    );
                    self.popup = Some(Popup::Form(Box::new(form)));
                }
            }
            Action::Undo => self.undo(),
            Action::Help => self.help = Some(HelpState::default()),
            Action::Refresh => self.full_reload(),
            Action::Indicators | Action::Meeting | Action::RecordMeasurement => {
                let text = self
                    .t(
                        "Màn hình chỉ tiêu và chế độ họp: chưa có trong phiên bản này",
                        "The indicators screen and meeting mode are not in this version yet",
                    )
                    .to_string();
                self.info(text);
            }
            Action::NextSlide | Action::PrevSlide | Action::Quit => {}
        }
    }

    /// Moves whatever the focused pane moves: the navigation selection (which filters the
    /// list), the task selection, or the detail text.
    fn move_focused(&mut self, delta: isize) {
        match self.focus {
            Pane::Nav => {
                let len = self.nav.len(&self.data);
                let before = self.nav.cursor.selected;
                self.nav.cursor.move_by(delta, len);
                self.nav.cursor.ensure_visible(self.nav_rows(), len);
                if self.nav.cursor.selected != before {
                    self.rebuild();
                }
            }
            Pane::List => {
                let len = self.list.len();
                self.list.cursor.move_by(delta, len);
                self.list.cursor.ensure_visible(self.list_rows(), len);
            }
            Pane::Detail => {
                self.detail.scroll = self
                    .detail
                    .scroll
                    .saturating_add_signed(delta.clamp(-100_000, 100_000));
                self.clamp_detail_scroll();
            }
        }
    }

    /// Esc: the innermost thing first — the detail pane, then the search, the overdue filter,
    /// the navigation scope, and finally the focus back to the navigation pane.
    fn back(&mut self) {
        if self.focus == Pane::Detail {
            self.focus = Pane::List;
        } else if self.list.search.is_active() {
            self.list.search.clear();
            self.rebuild();
        } else if self.list.overdue_only {
            self.list.overdue_only = false;
            self.rebuild();
        } else if self.nav.cursor.selected != 0 {
            self.nav.cursor = Default::default();
            self.rebuild();
        } else if self.focus == Pane::List {
            self.focus = Pane::Nav;
        }
    }

    /// While typing a search: Enter keeps it, Esc clears it, arrows move in the list.
    fn search_action(&mut self, a: Action) {
        match a {
            Action::Open | Action::NextPane | Action::PrevPane => {
                self.list.search.editing = false;
                if !self.list.search.is_active() {
                    self.list.search.clear();
                }
                self.fit_views();
            }
            Action::Back => {
                self.list.search.clear();
                self.rebuild();
            }
            Action::MoveUp | Action::MoveDown | Action::PageUp | Action::PageDown => {
                let saved = self.focus;
                self.focus = Pane::List;
                self.browse_action(a);
                self.focus = saved;
            }
            _ => {}
        }
    }

    fn help_action(&mut self, mut help: HelpState, a: Action) {
        match a {
            Action::Back | Action::Help | Action::Open => {
                self.help = None;
                return;
            }
            Action::MoveUp => help.scroll = help.scroll.saturating_sub(1),
            Action::MoveDown => help.scroll += 1,
            Action::PageUp | Action::HalfPageUp => help.scroll = help.scroll.saturating_sub(10),
            Action::PageDown | Action::HalfPageDown => help.scroll += 10,
            Action::Top => help.scroll = 0,
            Action::Bottom => help.scroll = usize::MAX / 2,
            _ => {}
        }
        // The view clamps to the text's length; keep the number sane here.
        help.scroll = help.scroll.min(500);
        self.help = Some(help);
    }

    // ----- Popups -------------------------------------------------------------------------

    /// Handles an action for the popup taken out of `self.popup`; puts it back unless it
    /// closed.
    fn popup_action(&mut self, popup: Popup, a: Action) {
        let keep = match popup {
            Popup::Notice(n) => {
                (!matches!(a, Action::Back | Action::Open)).then_some(Popup::Notice(n))
            }
            Popup::Status(mut p) => match a {
                Action::Back => None,
                Action::MoveUp => {
                    p.selected = p.selected.saturating_sub(1);
                    Some(Popup::Status(p))
                }
                Action::MoveDown => {
                    p.selected = (p.selected + 1).min(Status::ALL.len() - 1);
                    Some(Popup::Status(p))
                }
                Action::Top => {
                    p.selected = 0;
                    Some(Popup::Status(p))
                }
                Action::Bottom => {
                    p.selected = Status::ALL.len() - 1;
                    Some(Popup::Status(p))
                }
                Action::Open => {
                    self.submit_status(&p);
                    None
                }
                _ => Some(Popup::Status(p)),
            },
            Popup::Percent(mut p) => match a {
                Action::Back => None,
                Action::Open => match parse_percent(p.input.text()) {
                    Some(percent) => {
                        let patch = TaskPatch {
                            progress: Some(percent),
                            ..Default::default()
                        };
                        match self.commit(p.target.task_id, Some(p.target.version), &patch, None) {
                            Ok(()) => None,
                            Err(e) => {
                                p.error = Some(e);
                                Some(Popup::Percent(p))
                            }
                        }
                    }
                    None => {
                        p.error = Some(
                            self.t(
                                "Hãy nhập một số nguyên từ 0 đến 100",
                                "Type a whole number from 0 to 100",
                            )
                            .into(),
                        );
                        Some(Popup::Percent(p))
                    }
                },
                _ => Some(Popup::Percent(p)),
            },
            Popup::Note(mut p) => match a {
                Action::Back => None,
                Action::Open if p.input.text().trim().is_empty() => {
                    p.error = Some(self.t("Ghi chú đang trống", "The note is empty").into());
                    Some(Popup::Note(p))
                }
                Action::Open => {
                    // A note adds, it overwrites nothing: no version check, so a member is
                    // never stopped from writing down what they know.
                    let note = p.input.text().to_string();
                    match self.commit(p.target.task_id, None, &TaskPatch::default(), Some(&note)) {
                        Ok(()) => None,
                        Err(e) => {
                            p.error = Some(e);
                            Some(Popup::Note(p))
                        }
                    }
                }
                _ => Some(Popup::Note(p)),
            },
            Popup::Form(mut form) => match a {
                Action::Back => None,
                Action::MoveDown | Action::NextPane => {
                    form.focus_by(1);
                    Some(Popup::Form(form))
                }
                Action::MoveUp | Action::PrevPane => {
                    form.focus_by(-1);
                    Some(Popup::Form(form))
                }
                Action::Open => match self.submit_form(&form) {
                    Ok(()) => None,
                    Err(e) => {
                        form.error = Some(e);
                        Some(Popup::Form(form))
                    }
                },
                _ => Some(Popup::Form(form)),
            },
        };
        // A submit may have opened a notice (a conflict); it wins over the closed popup.
        if self.popup.is_none() {
            self.popup = keep;
        }
    }

    fn edit(&mut self, e: Edit) {
        match &mut self.popup {
            Some(Popup::Percent(p)) | Some(Popup::Note(p)) => p.edit(&e),
            Some(Popup::Form(form)) => form.edit(&e),
            Some(Popup::Status(p)) => {
                if let Edit::Insert(c) = e
                    && let Some(n) = c.to_digit(10)
                    && (1..=Status::ALL.len() as u32).contains(&n)
                {
                    p.selected = n as usize - 1;
                    let picker = p.clone();
                    self.popup = None;
                    self.submit_status(&picker);
                }
            }
            Some(Popup::Notice(_)) => {}
            None if self.list.search.editing => {
                let changed = self.list.search.input.edit(&e);
                if changed {
                    self.list.search.refresh(&self.data.index, false);
                    self.rebuild();
                }
            }
            None => {}
        }
    }

    fn submit_status(&mut self, p: &StatusPicker) {
        let patch = TaskPatch {
            status: Some(p.status()),
            ..Default::default()
        };
        if let Err(e) = self.commit(p.target.task_id, Some(p.target.version), &patch, None) {
            self.error(e);
        }
    }

    /// Checks the form and writes it: a new task, or the fields that changed (against the
    /// version the form was opened on).
    fn submit_form(&mut self, form: &TaskForm) -> Result<(), String> {
        let lang = self.lang();
        let title = form.field(FieldKey::Title).trim().to_string();
        if title.is_empty() {
            return Err(tr(lang, "Nhiệm vụ cần có tên", "A task needs a title").into());
        }
        let due_text = form.field(FieldKey::Due).trim();
        let due = crate::context::parse_date(due_text).map_err(|_| {
            format!(
                "{} {due_text:?}",
                tr(
                    lang,
                    "Hạn phải là ngày dạng 31/12/2027, không phải",
                    "The due date must look like 31/12/2027, not"
                )
            )
        })?;
        let resolver = Resolver::new(&self.data.areas, &self.data.agencies);
        let mut coordinating = Vec::new();
        for part in form
            .field(FieldKey::Coordinating)
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let code = resolver.agency(part).ok_or_else(|| {
                format!(
                    "{} {part:?}",
                    tr(lang, "Không có cơ quan", "No agency matches")
                )
            })?;
            if !coordinating.contains(&code) {
                coordinating.push(code);
            }
        }
        let area = form.field(FieldKey::Area).to_string();
        let lead = form.field(FieldKey::Lead).to_string();
        let output = form.field(FieldKey::Output).trim().to_string();
        match &form.mode {
            FormMode::Add => {
                if !self.perms.can_add_task(&lead, &coordinating) {
                    return Err(labels::denied(&self.perms, None, lang));
                }
                let new = NewTask {
                    plan_ref: String::new(),
                    area,
                    lead_agency: lead,
                    coordinating,
                    title,
                    detail: String::new(),
                    output,
                    due,
                    due_assumed: false,
                    recurrence: Recurrence::Once,
                    status: Status::NotStarted,
                    progress: 0,
                    completed_on: None,
                };
                match self.store.add_task(&new) {
                    Ok(task) => {
                        let id = task.id;
                        self.take_in(vec![task]);
                        let shown = self.list.select_id(&self.data, id, self.list_rows());
                        let text = if shown {
                            format!("{} #{id}", self.t("Đã thêm nhiệm vụ", "Added task"))
                        } else {
                            format!(
                                "{} #{id} {}",
                                self.t("Đã thêm nhiệm vụ", "Added task"),
                                self.t(
                                    "(bộ lọc hiện tại đang ẩn nó)",
                                    "(hidden by the current filters)"
                                )
                            )
                        };
                        self.success(text);
                        Ok(())
                    }
                    Err(e) => Err(self.describe_error(&e)),
                }
            }
            FormMode::Edit(original) => {
                let changed = |a: &str, b: &str| (a != b).then(|| a.to_string());
                let patch = TaskPatch {
                    title: changed(&title, &original.title),
                    output: changed(&output, &original.output),
                    area: changed(&area, &original.area),
                    lead_agency: changed(&lead, &original.lead_agency),
                    coordinating: (coordinating != original.coordinating).then_some(coordinating),
                    due: (due != original.due).then_some(due),
                    ..Default::default()
                };
                if patch.is_empty() {
                    self.info(
                        self.t("Không có gì thay đổi", "Nothing changed")
                            .to_string(),
                    );
                    return Ok(());
                }
                self.commit(original.id, Some(original.version), &patch, None)
            }
        }
    }

    // ----- Writes -------------------------------------------------------------------------

    /// The selected task, if there is one and the file can be written; otherwise says why.
    fn editable_task(&mut self) -> Option<Task> {
        if !self.writable() {
            return None;
        }
        let Some(task) = self.selected_task().cloned() else {
            let text = self
                .t("Chưa chọn nhiệm vụ nào", "No task is selected")
                .to_string();
            self.info(text);
            return None;
        };
        if !self.perms.can_edit_task(&task) {
            let text = labels::denied(&self.perms, Some(&task), self.lang());
            self.messages.set(MessageKind::Warning, text);
            return None;
        }
        Some(task)
    }

    /// Whether this user may write anything now; otherwise says why (the file is read-only,
    /// or the member rules make them a reader).
    fn writable(&mut self) -> bool {
        if let Some(reason) = &self.settings.read_only {
            let text = format!(
                "{}: {}",
                self.t("Chỉ đọc — không sửa được", "Read-only — editing is off"),
                labels::read_only_reason(reason, self.settings.lang)
            );
            self.messages.set(MessageKind::Warning, text);
            return false;
        }
        if !self.perms.can_write() {
            let text = labels::denied(&self.perms, None, self.lang());
            self.messages.set(MessageKind::Warning, text);
            return false;
        }
        true
    }

    /// Whether the screen should offer editing keys at all.
    pub fn can_write(&self) -> bool {
        self.settings.read_only.is_none() && self.perms.can_write()
    }

    /// Writes a change to one task. `Ok` means the popup may close: the change was stored,
    /// or it was refused because someone else changed the task first (a notice then shows
    /// who and what, and the task is reloaded). `Err` is a message for the popup to show.
    fn commit(
        &mut self,
        task_id: i64,
        version: Option<i64>,
        patch: &TaskPatch,
        note: Option<&str>,
    ) -> Result<(), String> {
        let today = self.settings.today;
        match self.store.update_task(task_id, version, patch, note, today) {
            Ok(up) => {
                self.after_write(up, self.t("Đã lưu", "Saved"));
                Ok(())
            }
            Err(Error::Conflict(c)) => {
                let title = self
                    .t(
                        "Không lưu: có người vừa sửa nhiệm vụ này",
                        "Not saved: someone else just changed this task",
                    )
                    .to_string();
                let tried = self.describe_patch(patch);
                self.show_conflict(title, &c, tried);
                Ok(())
            }
            Err(e) => Err(self.describe_error(&e)),
        }
    }

    fn after_write(&mut self, up: TaskUpdate, verb: &str) {
        let id = up.task.id;
        if up.log_id.is_none() {
            let text = self
                .t("Không có gì thay đổi", "Nothing changed")
                .to_string();
            self.info(text);
            return;
        }
        let what = if up.changes.is_empty() {
            self.t("thêm ghi chú", "note added").to_string()
        } else {
            labels::changes(&up.changes, self.lang())
        };
        let text = format!("{verb} #{id}: {what}");
        self.take_in(vec![up.task]);
        self.success(text);
    }

    fn undo(&mut self) {
        if !self.writable() {
            return;
        }
        match self.store.undo_last(self.settings.today) {
            Ok(up) => {
                let id = up.task.id;
                let verb = self.t("Đã hoàn tác", "Undone");
                self.after_write(up, verb);
                self.list.select_id(&self.data, id, self.list_rows());
            }
            Err(Error::NothingToUndo(_)) => {
                let text = self
                    .t(
                        "Không còn thay đổi nào của bạn để hoàn tác",
                        "You have no change left to undo",
                    )
                    .to_string();
                self.info(text);
            }
            Err(Error::UndoRefused(c)) => {
                let title = self
                    .t(
                        "Không hoàn tác được: có người đã sửa lại sau bạn",
                        "Cannot undo: someone changed it after you",
                    )
                    .to_string();
                self.show_conflict(title, &c, None);
            }
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
    }

    /// Shows who changed the task, when and what, and reloads it so the screen shows their
    /// change.
    /// "Tiến độ → 60%; Hạn → 31/12/2027": what a refused patch wanted.
    fn describe_patch(&self, patch: &TaskPatch) -> Option<String> {
        let lang = self.lang();
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(s) = patch.status {
            parts.push(("status", s.as_str().into()));
        }
        if let Some(p) = patch.progress {
            parts.push(("progress", p.to_string()));
        }
        if let Some(v) = &patch.title {
            parts.push(("title", v.clone()));
        }
        if let Some(v) = &patch.output {
            parts.push(("output", v.clone()));
        }
        if let Some(v) = &patch.area {
            parts.push(("area", v.clone()));
        }
        if let Some(v) = &patch.lead_agency {
            parts.push(("lead_agency", v.clone()));
        }
        if let Some(v) = &patch.coordinating {
            parts.push(("coordinating", v.join(",")));
        }
        if let Some(v) = patch.due {
            parts.push(("due", v.to_string()));
        }
        (!parts.is_empty()).then(|| {
            parts
                .iter()
                .map(|(f, v)| {
                    format!(
                        "{} → {}",
                        labels::field(f, lang),
                        labels::value(f, Some(v), lang)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    fn show_conflict(&mut self, title: String, c: &Conflict, tried: Option<String>) {
        let lang = self.lang();
        let task_title = self
            .data
            .task(c.task_id)
            .map(|t| t.title.clone())
            .unwrap_or_default();
        let mut lines = vec![
            format!("#{} {task_title}", c.task_id),
            format!(
                "{} {} {}:",
                c.by,
                tr(lang, "đã sửa lúc", "changed it at"),
                labels::instant(&c.at)
            ),
        ];
        if c.changes.is_empty() {
            lines.push(format!(
                "  {}",
                tr(lang, "(không rõ chi tiết)", "(no details)")
            ));
        }
        for change in &c.changes {
            lines.push(format!(
                "  {}: {} → {}",
                labels::field(&change.field, lang),
                labels::value(&change.field, change.old.as_deref(), lang),
                labels::value(&change.field, change.new.as_deref(), lang)
            ));
        }
        if let Some(tried) = tried {
            lines.push(format!(
                "{}: {tried}",
                tr(lang, "Bạn định sửa", "You wanted")
            ));
        }
        lines.push(String::new());
        lines.push(
            tr(
                lang,
                "Thay đổi của bạn chưa được ghi; không có gì bị ghi đè.",
                "Your change was not written; nothing was overwritten.",
            )
            .into(),
        );
        lines.push(
            tr(
                lang,
                "Màn hình đã tải lại dữ liệu mới — xem rồi làm lại nếu cần.",
                "The screen now shows the latest data — check it and try again if needed.",
            )
            .into(),
        );
        self.popup = Some(Popup::Notice(Notice { title, lines }));
        self.reload_changes();
        if let Ok(task) = self.store.task(c.task_id) {
            self.take_in(vec![task]);
        }
    }

    fn describe_error(&self, e: &Error) -> String {
        match e {
            Error::ReadOnly(reason) => format!(
                "{}: {reason}",
                self.t("Chỉ đọc — không ghi được", "Read-only — cannot write")
            ),
            Error::Denied(why) => format!("{}: {why}", self.t("Không được phép", "Not permitted")),
            Error::Busy(_) => self
                .t(
                    "Tệp dữ liệu đang bận (người khác đang ghi); thử lại sau giây lát",
                    "The database is busy (someone else is writing); try again in a moment",
                )
                .to_string(),
            other => other.to_string(),
        }
    }

    // ----- Loading ------------------------------------------------------------------------

    /// Takes tasks just read from the store into memory, then re-filters (keeping the
    /// selection and scroll position).
    fn take_in(&mut self, tasks: Vec<Task>) {
        if let Err(e) = self.data.apply(&self.store, tasks) {
            let text = self.describe_error(&e);
            self.error(text);
        }
        if self.list.search.is_active() {
            // A changed text may match differently now: search afresh, not within old hits.
            self.list.search.refresh(&self.data.index, true);
        }
        self.rebuild();
    }

    /// Polls the store and expires the message; returns whether anything on screen changed.
    fn tick(&mut self) -> bool {
        let expired = self.messages.expire(Instant::now());
        match self.store.data_version() {
            Ok(v) if v != self.live.data_version => {
                self.live.data_version = v;
                self.reload_changes();
                true
            }
            Ok(_) => expired,
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
                true
            }
        }
    }

    /// Reads what other processes committed since the last look: only the changed tasks (and
    /// the member rules, which a secretary may have changed).
    fn reload_changes(&mut self) {
        match self.store.permissions() {
            Ok(p) => self.perms = p,
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
        let result = (|| -> crate::error::Result<Option<Vec<Task>>> {
            if !self.data.reference_unchanged(&self.store)? {
                return Ok(None);
            }
            let seq = self.store.max_change_seq()?;
            let changed = self.store.tasks_changed_since(self.live.seq)?;
            self.live.seq = seq;
            Ok(Some(changed))
        })();
        match result {
            Ok(Some(changed)) => {
                if !changed.is_empty() {
                    self.take_in(changed);
                    // The detail pane re-reads history and notes for a changed version.
                }
            }
            Ok(None) => self.full_reload(),
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
    }

    /// Reads everything again (Ctrl-r, or areas/agencies changed), keeping selection.
    fn full_reload(&mut self) {
        let result = (|| -> crate::error::Result<Data> {
            let seq = self.store.max_change_seq()?;
            let data = Data::load(&self.store, self.settings.today)?;
            self.live.seq = seq;
            Ok(data)
        })();
        match result {
            Ok(data) => {
                self.data = data;
                let len = self.nav.len(&self.data);
                self.nav.cursor.ensure_visible(self.nav_rows(), len);
                if self.list.search.is_active() {
                    self.list.search.refresh(&self.data.index, true);
                }
                self.rebuild();
                self.detail.task_id = None;
            }
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
            }
        }
    }

    fn rebuild(&mut self) {
        let scope = self.scope();
        let rows = self.list_rows();
        self.list.rebuild(&self.data, &scope, rows);
    }

    /// After a resize (or the search line appearing): keep selections on screen.
    fn fit_views(&mut self) {
        let rows = self.list_rows();
        let len = self.list.len();
        self.list.cursor.ensure_visible(rows, len);
        let nav_len = self.nav.len(&self.data);
        let nav_rows = self.nav_rows();
        self.nav.cursor.ensure_visible(nav_rows, nav_len);
        self.clamp_detail_scroll();
    }

    /// Re-reads the selected task's history and notes when the selection or its version
    /// changed since the last read.
    fn sync_detail(&mut self) {
        let selected = self.selected_task().map(|t| (t.id, t.version));
        let current = self.detail.task_id.map(|id| (id, self.detail.version));
        if selected == current {
            return;
        }
        if selected.map(|s| s.0) != self.detail.task_id {
            self.detail.scroll = 0;
        }
        match selected {
            None => {
                self.detail.task_id = None;
                self.detail.history.clear();
                self.detail.notes.clear();
            }
            Some((id, version)) => {
                let history = self.store.log(&LogFilter {
                    entity: Some("task".into()),
                    entity_id: Some(id.to_string()),
                    limit: Some(HISTORY_LIMIT),
                    ..Default::default()
                });
                let notes = self.store.notes(id);
                match (history, notes) {
                    (Ok(history), Ok(notes)) => {
                        self.detail.history = history;
                        self.detail.notes = notes;
                    }
                    (Err(e), _) | (_, Err(e)) => {
                        let text = self.describe_error(&e);
                        self.error(text);
                    }
                }
                self.detail.task_id = Some(id);
                self.detail.version = version;
            }
        }
    }

    fn clamp_detail_scroll(&mut self) {
        let Some(layout) = self.layout() else {
            return;
        };
        let inner = layout.detail_inner();
        let lines = super::views::detail::line_count(self, inner.width);
        let max = lines.saturating_sub(usize::from(inner.height));
        self.detail.scroll = self.detail.scroll.min(max);
    }

    // ----- Mouse --------------------------------------------------------------------------

    fn click(&mut self, at: Position) {
        if self.popup.is_some() || self.help.is_some() {
            return;
        }
        let Some(layout) = self.layout() else {
            return;
        };
        let nav = layout.nav_inner();
        let rows = layout.list_rows_area(self.search_line());
        if nav.contains(at) {
            self.focus = Pane::Nav;
            let index = self.nav.cursor.offset
                + usize::from((at.y - nav.y) / super::layout::NAV_ENTRY_LINES);
            if index < self.nav.len(&self.data) && index != self.nav.cursor.selected {
                self.nav.cursor.selected = index;
                self.rebuild();
            }
        } else if rows.contains(at) {
            self.focus = Pane::List;
            let index = self.list.cursor.offset + usize::from(at.y - rows.y);
            if index < self.list.len() {
                self.list.cursor.selected = index;
            }
        } else if layout.list.contains(at) {
            self.focus = Pane::List;
        } else if layout.detail.contains(at) {
            self.focus = Pane::Detail;
        } else if layout.nav.contains(at) {
            self.focus = Pane::Nav;
        }
    }

    fn wheel(&mut self, at: Position, down: bool) {
        const STEP: isize = 3;
        let delta = if down { STEP } else { -STEP };
        if let Some(mut help) = self.help {
            help.scroll = help.scroll.saturating_add_signed(delta).min(500);
            self.help = Some(help);
            return;
        }
        if self.popup.is_some() {
            return;
        }
        let Some(layout) = self.layout() else {
            return;
        };
        if layout.list.contains(at) {
            let len = self.list.len();
            self.list.cursor.move_by(delta, len);
            self.list.cursor.ensure_visible(self.list_rows(), len);
        } else if layout.detail.contains(at) {
            self.detail.scroll = self.detail.scroll.saturating_add_signed(delta);
            self.clamp_detail_scroll();
        } else if layout.nav.contains(at) {
            let len = self.nav.len(&self.data);
            self.nav.cursor.scroll(delta.signum(), self.nav_rows(), len);
        }
    }

    // ----- Messages -----------------------------------------------------------------------

    fn info(&mut self, text: String) {
        self.messages.set(MessageKind::Info, text);
    }

    fn success(&mut self, text: String) {
        self.messages.set(MessageKind::Success, text);
    }

    fn error(&mut self, text: String) {
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
