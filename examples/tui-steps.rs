//! Time per step of the real `App` over a province database, drawn into a `TestBackend`:
//! the first frame, paging to both ends, each sort order, the overdue filter near the top and
//! deep in the list, another member's change taken in by the tick. In-process, so it shows the store and view work alone; the PTY driver in
//! benches/ measures what a user sees. Prints one line per step and the peak RSS.
//!
//! ```text
//! cargo run --release --example tui-steps -- /tmp/p.sqlite3
//! ```

use cchc::model::Lang;
use cchc::store::{OpenOptions, Store};
use cchc::tui::action::Action;
use cchc::tui::app::{App, AppOptions, Msg};
use cchc::tui::keymap::Keymap;
use cchc::tui::theme::Theme;
use cchc::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = std::env::args_os()
        .nth(1)
        .ok_or("usage: tui-rss DATABASE")?;
    let started = std::time::Instant::now();
    let store = Store::open(db.as_ref(), "bench", OpenOptions::default())?;
    println!("open store   {:?}", started.elapsed());
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
    app.update(Msg::Resize {
        width: 160,
        height: 45,
    });
    println!("App::new     {:?}", started.elapsed());
    let mut terminal = Terminal::new(TestBackend::new(160, 45))?;
    let mut draw = |app: &App| terminal.draw(|frame| views::render(frame, app)).map(|_| ());
    let t = std::time::Instant::now();
    draw(&app)?;
    println!("first draw {:?}", t.elapsed());
    let mut step = |name: &str, app: &mut App, a: Action| {
        let t = std::time::Instant::now();
        app.update(a);
        draw(app).unwrap();
        println!("{name:12} {:?}", t.elapsed());
    };
    app.update(Action::NextPane);
    for _ in 0..3 {
        step("pagedown", &mut app, Action::PageDown);
    }
    step("bottom", &mut app, Action::Bottom);
    step("pageup", &mut app, Action::PageUp);
    step("top", &mut app, Action::Top);
    for _ in 0..4 {
        step("sort", &mut app, Action::CycleSort);
    }
    step("overdue", &mut app, Action::ToggleOverdue);
    step("overdue", &mut app, Action::ToggleOverdue);
    for _ in 0..30 {
        app.update(Action::PageDown);
    }
    step("sort deep", &mut app, Action::CycleSort);
    step("overdue deep", &mut app, Action::ToggleOverdue);
    step("help", &mut app, Action::Help);
    app.update(Action::Back);
    // Another member's write, then the tick that takes it in (the live reload): a progress
    // update (no count changes) and a status change to and from done (the counts move). `CCHC_STEPS_LIVE`
    // repeats each, for a profile.
    let rounds: usize = std::env::var("CCHC_STEPS_LIVE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    if let Some(t) = app.selected_task() {
        println!(
            "live changes to #{} ({}, {}, due {}), list by {:?}, overdue only {}",
            t.id, t.area, t.lead_agency, t.due, app.browse.list.sort, app.browse.list.overdue_only
        );
    }
    let mut other = Store::open(db.as_ref(), "bench-other", OpenOptions::default())?;
    let statuses = [cchc::model::Status::Done, cchc::model::Status::InProgress];
    for (name, status) in [("live progress", false), ("live status", true)] {
        let (mut times, mut cpus) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let id = app.selected_task().map_or(1, |t| t.id);
            let patch = if status {
                cchc::model::TaskPatch {
                    status: Some(statuses[round % 2]),
                    ..Default::default()
                }
            } else {
                cchc::model::TaskPatch {
                    progress: Some(30 + (round % 50) as u8),
                    ..Default::default()
                }
            };
            other.update_task(id, None, &patch, None)?;
            let (t, cpu) = (std::time::Instant::now(), thread_cpu());
            app.update(Msg::Tick);
            draw(&app)?;
            times.push(t.elapsed());
            cpus.push(thread_cpu() - cpu);
        }
        times.sort();
        cpus.sort();
        println!(
            "{name:12} median {:?} (min {:?}, max {:?}), CPU median {:?} (min {:?}), {rounds} rounds",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            cpus[cpus.len() / 2],
            cpus[0],
        );
    }
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    println!("peak RSS {} MB", usage.ru_maxrss / 1024);
    Ok(())
}

/// This thread's CPU time (user + system): on a loaded machine the steadier guide.
fn thread_cpu() -> std::time::Duration {
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
