//! The real terminal: raw mode, the alternate screen, mouse and paste reporting, and the
//! event loop. The terminal is restored on every way out: a normal quit, an error (the guard's
//! `Drop`), a panic (the panic hook, before the message is printed) and a termination signal
//! (turned into a normal quit at the next turn of the loop, keeping an edit in progress in the
//! drafts file). Ctrl-C arrives as a key in raw mode and quits through the keymap.

use std::io::{self, Stdout, Write, stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Mutex, Once, OnceLock};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::app::{App, Flow, Msg, TICK};
use super::input::Edit;
use super::safe_backend::SafeBackend;
use super::views;

/// The terminal every screen is drawn on: each cell passes the one rule on its way out.
type Screen = Terminal<SafeBackend<CrosstermBackend<Stdout>>>;

fn screen() -> io::Result<Screen> {
    Terminal::new(SafeBackend::new(CrosstermBackend::new(stdout())))
}

/// The SIGTERM, SIGHUP, SIGINT or SIGQUIT received (0: none); the loop then quits cleanly.
static SIGNALLED: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    SIGNALLED.store(sig, Ordering::SeqCst);
}

/// The edit in progress as last seen by the loop, and the database it is for: what the
/// hang-up watch keeps in the drafts file when the terminal dies under the loop.
static PENDING_DRAFT: Mutex<Option<String>> = Mutex::new(None);
static DRAFT_DB: OnceLock<PathBuf> = OnceLock::new();

/// How the session ended.
#[derive(Debug)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// A signal ended it; `draft` is what happened to an edit in progress, if there was one:
    /// the drafts file it was kept in, or why it could not be (with the text).
    Signal {
        signal: i32,
        draft: Option<Result<PathBuf, (String, String)>>,
    },
}

fn keep_draft(draft: String) -> Result<PathBuf, (String, String)> {
    let db = DRAFT_DB.get().cloned().unwrap_or_default();
    super::drafts::save(&draft, &db).map_err(|e| (e.to_string(), draft))
}

fn install_signal_handlers() {
    for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT] {
        // SAFETY: the handler only stores to an atomic.
        unsafe {
            libc::signal(sig, on_signal as *const () as libc::sighandler_t);
        }
    }
}

/// Leaves at once when the terminal hangs up (an SSH connection dropped, the window closed).
/// crossterm 0.29 then spins reading end-of-file inside its event source and never returns
/// to our loop, so neither the SIGHUP flag nor SIGTERM can end it gracefully; a thread that
/// notices the dead terminal ends the process instead. There is no terminal left to restore,
/// and SQLite (WAL) keeps the file consistent whatever moment the process stops at.
fn watch_for_hangup() {
    static WATCH: Once = Once::new();
    WATCH.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("tty-hangup-watch".into())
            .spawn(|| {
                loop {
                    std::thread::sleep(Duration::from_millis(500));
                    // SAFETY: isatty only inspects the descriptor; on a hung-up terminal it
                    // fails with EIO.
                    if unsafe { libc::isatty(libc::STDIN_FILENO) } == 0 {
                        // The loop may be stuck (see above): keep the edit in progress here.
                        if let Ok(mut pending) = PENDING_DRAFT.try_lock()
                            && let Some(draft) = pending.take()
                        {
                            let _ = keep_draft(draft);
                        }
                        // SAFETY: _exit ends the process without running anything else.
                        unsafe { libc::_exit(129) };
                    }
                }
            });
        // Without the watch a hang-up leaves a busy process behind; say so, but run anyway.
        if let Err(e) = spawned {
            eprintln!("cchc: cannot watch the terminal for a hang-up: {e}");
        }
    });
}

/// Puts the terminal back as it was. Safe to call twice; errors are ignored (there is
/// nothing better to do while leaving).
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Raw mode and the alternate screen while alive.
struct Guard;

impl Guard {
    fn enter() -> io::Result<Guard> {
        enable_raw_mode()?;
        let guard = Guard;
        execute!(
            stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn run(app: &mut App) -> io::Result<Ended> {
    let _ = DRAFT_DB.set(app.store().path().to_path_buf());
    install_panic_hook();
    install_signal_handlers();
    watch_for_hangup();
    let _guard = Guard::enter()?;
    let mut terminal = screen()?;
    // Not `terminal.clear()`: it asks the terminal where the cursor is, and a terminal that
    // does not answer (some emulators, multiplexers, test harnesses) would stall the start.
    execute!(
        stdout(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    let size = terminal.size()?;
    app.update(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let mut last_tick = Instant::now();
    let mut drawn = None;
    loop {
        // Draw only when something changed: an idle screen sends nothing down the line.
        if drawn != Some(app.generation()) {
            terminal.draw(|frame| views::render(frame, app))?;
            drawn = Some(app.generation());
        }
        // `y`: the terminal emulator takes the text from OSC 52 (over SSH too).
        if let Some(text) = app.take_clipboard() {
            let mut out = stdout();
            out.write_all(super::clipboard::osc52(&text).as_bytes())?;
            out.flush()?;
        }
        let mut timeout = TICK.saturating_sub(last_tick.elapsed());
        if app.search_pending() {
            // A search runs on its own thread: look for its answer soon (keys still first).
            timeout = timeout.min(super::search_worker::POLL);
        }
        if event::poll(timeout)? {
            // Take every event already waiting, then draw once.
            loop {
                let busy_before = app.busy_waits();
                if handle(app, event::read()?) == Flow::Quit {
                    return Ok(Ended::Quit);
                }
                if app.busy_waits() != busy_before {
                    // A write just waited out another member's lock, the screen frozen: what
                    // was typed meanwhile was typed blind, and would also wipe the message
                    // saying the write failed. Drop it (a resize still counts).
                    drain_input(app)?;
                    break;
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            publish_draft(app);
            if app.take_suspend() {
                suspend(&mut terminal)?;
                let size = terminal.size()?;
                app.update(Msg::Resize {
                    width: size.width,
                    height: size.height,
                });
                drawn = None;
            }
            if let Some(request) = app.take_editor_request() {
                let result = run_editor(&mut terminal, &request, app.lang())?;
                // The window may have been resized while the editor had it.
                let size = terminal.size()?;
                app.update(Msg::Resize {
                    width: size.width,
                    height: size.height,
                });
                app.update(Msg::EditorDone(result));
                drawn = None;
            }
        }
        if app.search_pending() {
            app.update(Msg::SearchPoll);
        }
        if last_tick.elapsed() >= TICK {
            app.update(Msg::Tick);
            last_tick = Instant::now();
        }
        let signal = SIGNALLED.load(Ordering::SeqCst);
        if signal != 0 {
            return Ok(Ended::Signal {
                signal,
                draft: app.draft().map(keep_draft),
            });
        }
    }
}

/// ctrl-z: gives the terminal back to the shell as it was, stops until the shell's `fg` (or a
/// SIGCONT), then takes the screen again and redraws it whole. A session with no job control
/// (cchc started by `ssh host cchc`, its process group orphaned) cannot be stopped: the kernel
/// drops the signal and the screen simply comes back.
fn suspend(terminal: &mut Screen) -> io::Result<()> {
    restore();
    // SAFETY: raise only sends a signal to this process; SIGTSTP's default action stops it.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    take_back(terminal)
}

/// Takes the terminal back after handing it over (to the shell, to an editor): raw mode, the
/// alternate screen cleared, and a fresh `Terminal`, which forgets what it drew before, so the
/// next draw repaints every cell.
fn take_back(terminal: &mut Screen) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    *terminal = screen()?;
    Ok(())
}

/// Hands the terminal to the member's editor for a long note and takes it back, whether the
/// editor succeeded or not: out of the alternate screen and raw mode while it runs, then the
/// screen restored and redrawn in full.
fn run_editor(
    terminal: &mut Screen,
    request: &crate::tui::popups::long_note::EditorRequest,
    lang: crate::model::Lang,
) -> io::Result<Result<String, (String, String)>> {
    restore();
    let result =
        crate::tui::popups::long_note::run_editor(&request.command, &request.initial, lang);
    take_back(terminal)?;
    // Keys typed into the editor after it exited are not meant for the list.
    while event::poll(Duration::ZERO)? {
        let _ = event::read()?;
    }
    Ok(result)
}

/// Reads and drops every event already waiting, except a resize.
fn drain_input(app: &mut App) -> io::Result<()> {
    while event::poll(Duration::ZERO)? {
        if let Event::Resize(width, height) = event::read()? {
            app.update(Msg::Resize { width, height });
        }
    }
    Ok(())
}

/// Tells the hang-up watch what is typed in the open edit now.
fn publish_draft(app: &App) {
    if let Ok(mut pending) = PENDING_DRAFT.lock() {
        let draft = app.draft();
        if *pending != draft {
            *pending = draft;
        }
    }
}

fn handle(app: &mut App, event: Event) -> Flow {
    let msg = match event {
        Event::Key(key) => app.key_msg(&key),
        Event::Mouse(mouse) => app.mouse_msg(&mouse),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::Paste(text) if app.text_focus() => Some(Msg::Edit(Edit::Paste(text))),
        _ => None,
    };
    match msg {
        Some(msg) => app.update(msg),
        None => Flow::Continue,
    }
}
