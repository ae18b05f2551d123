//! Test fixtures: the real plan seeded into a temp file, an `App` over it at a fixed "today".

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::Lang;
use crate::store::{OpenOptions, Store};

use super::app::{App, AppOptions, Msg};
use super::keymap::Keymap;
use super::theme::Theme;

pub const USER: &str = "tester";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
}

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub app: App,
}

pub struct Setup {
    pub user: &'static str,
    pub db_label: &'static str,
    pub theme: &'static str,
    pub lang: Lang,
    pub read_only: bool,
    pub width: u16,
    pub height: u16,
    /// "Today" for the app's views (writes take the clock).
    pub today: NaiveDate,
    /// The date the record form suggests; `None` for the clock's.
    pub form_date: Option<NaiveDate>,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            user: USER,
            db_label: "cchc.sqlite3",
            theme: "default",
            lang: Lang::Vi,
            read_only: false,
            width: 120,
            height: 35,
            today: today(),
            form_date: None,
        }
    }
}

/// A fresh file seeded with the plan, and an app over it as `tester`.
pub fn fixture(setup: Setup) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cchc.sqlite3");
    drop(
        Store::open(
            &path,
            USER,
            OpenOptions {
                create_with: Some(crate::cli::load_plan().unwrap()),
                ..Default::default()
            },
        )
        .unwrap(),
    );
    let store = Store::open(
        &path,
        setup.user,
        OpenOptions {
            read_only: setup.read_only,
            ..Default::default()
        },
    )
    .unwrap();
    let mut app = App::new(
        store,
        AppOptions {
            today: Some(setup.today),
            lang: setup.lang,
            theme: Theme::builtin(setup.theme).unwrap(),
            meeting_theme: None,
            keymap: Keymap::default(),
            warnings: Vec::new(),
            db_label: Some(setup.db_label.into()),
            form_date: setup.form_date,
            drafts: None,
            views: Default::default(),
            config_path: Some(dir.path().join("config.toml")),
            own_file: Default::default(),
            editor: None,
            letters: Default::default(),
        },
    )
    .unwrap();
    // Searches run on the worker's thread; each update here waits for the one it started,
    // so a test reads the hits right after typing (tests of the waiting itself turn it off).
    app.settle_searches(true);
    app.update(Msg::Resize {
        width: setup.width,
        height: setup.height,
    });
    Fixture {
        _dir: dir,
        path,
        app,
    }
}

pub fn app() -> Fixture {
    fixture(Setup::default())
}

impl Fixture {
    /// Every task the list shows now, in its order, as the store has them.
    pub fn listed(&self) -> Vec<crate::model::Task> {
        let ids = self.app.browse.list.listed_ids(self.app.store()).unwrap();
        self.app.store().tasks_by_ids(&ids).unwrap()
    }

    /// Every listed task in the order the list first shows them (due date, then id).
    pub fn all_tasks(&self) -> Vec<crate::model::Task> {
        self.app
            .store()
            .tasks(&crate::store::TaskFilter::default())
            .unwrap()
    }

    /// Task `id` as the store has it now.
    pub fn task(&self, id: i64) -> crate::model::Task {
        self.app.store().task(id).unwrap()
    }

    /// Another member's connection to the same file.
    pub fn other(&self, user: &str) -> Store {
        Store::open(&self.path, user, OpenOptions::default()).unwrap()
    }

    /// Presses one key (in the config file's notation: "3", "y", "ctrl-s", "enter") as the
    /// terminal would send it: through the keymap, in the context of what has the focus.
    pub fn press(&mut self, key: &str) {
        let key: super::keymap::Key = key.parse().unwrap();
        if let Some(msg) = self.app.key_msg(&key.event()) {
            self.app.update(msg);
        }
    }

    /// Types text into whatever has the focus, one key press at a time (through the keymap:
    /// a character is text only where a text field has the focus).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let code = match c {
                '\n' => crossterm::event::KeyCode::Enter,
                c => crossterm::event::KeyCode::Char(c),
            };
            let event = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
            if let Some(msg) = self.app.key_msg(&event) {
                self.app.update(msg);
            }
        }
    }
}

/// The screen as drawn now, as text: one line per row, trailing blanks trimmed.
pub fn draw_text(f: &Fixture) -> String {
    let size = f.app.size;
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.width, size.height))
            .unwrap();
    terminal
        .draw(|frame| super::views::render(frame, &f.app))
        .unwrap();
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in buf.area.top()..buf.area.bottom() {
        let mut line = String::new();
        for x in buf.area.left()..buf.area.right() {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
