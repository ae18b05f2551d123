//! Peak resident memory of the TUI on a province database (issue 5): starts the real `App` on
//! the file, draws the first frame into a `TestBackend`, types a search, toggles the overdue
//! filter, and exits; `benches/run.sh` reads the kernel's high-water mark of this process.
//!
//! ```text
//! cargo run --release --example tui-rss -- /tmp/p.sqlite3
//! ```

use cchc::model::Lang;
use cchc::store::{OpenOptions, Store};
use cchc::tui::action::Action;
use cchc::tui::app::{App, AppOptions, Msg};
use cchc::tui::input::Edit;
use cchc::tui::keymap::Keymap;
use cchc::tui::theme::Theme;
use cchc::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = std::env::args_os()
        .nth(1)
        .ok_or("usage: tui-rss DATABASE")?;
    let store = Store::open(db.as_ref(), "bench", OpenOptions::default())?;
    let mut app = App::new(
        store,
        AppOptions {
            today: chrono::NaiveDate::from_ymd_opt(2026, 6, 30),
            lang: Lang::Vi,
            theme: Theme::builtin("default").ok_or("no default theme")?,
            meeting_theme: None,
            keymap: Keymap::default(),
            warnings: Vec::new(),
            db_label: None,
            form_date: None,
            drafts: None,
            views: Default::default(),
            config_path: None,
            own_file: Default::default(),
            editor: None,
            letters: Default::default(),
        },
    )?;
    // Each search keystroke waits for its hits (the worker's thread), so they are held.
    app.settle_searches(true);
    app.update(Msg::Resize {
        width: 160,
        height: 45,
    });
    let mut terminal = Terminal::new(TestBackend::new(160, 45))?;
    let mut draw = |app: &App| terminal.draw(|frame| views::render(frame, app)).map(|_| ());
    draw(&app)?;
    app.update(Action::Search);
    for c in "noi vu".chars() {
        app.update(Edit::Insert(c));
        draw(&app)?;
    }
    app.update(Action::Back);
    app.update(Action::ToggleOverdue);
    draw(&app)?;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    println!("peak RSS {} MB", usage.ru_maxrss / 1024);
    Ok(())
}
