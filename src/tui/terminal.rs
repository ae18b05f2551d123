//! The real terminal: raw mode, the alternate screen, mouse and paste reporting, and the
//! event loop. The terminal is restored on every way out: a normal quit, an error (the guard's
//! `Drop`), a panic (the panic hook, before the message is printed) and a termination signal
//! (turned into a normal quit at the next turn of the loop). Ctrl-C arrives as a key in raw
//! mode and quits through the keymap.

use std::io::{self, Stdout, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
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
use super::views;

/// Set by SIGTERM, SIGHUP, SIGINT or SIGQUIT; the loop then quits cleanly.
static SIGNALLED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    SIGNALLED.store(true, Ordering::SeqCst);
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

pub fn run(app: &mut App) -> io::Result<()> {
    install_panic_hook();
    install_signal_handlers();
    watch_for_hangup();
    let _guard = Guard::enter()?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> =
        Terminal::new(CrosstermBackend::new(stdout()))?;
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
        let timeout = TICK.saturating_sub(last_tick.elapsed());
        if event::poll(timeout)? {
            // Take every event already waiting, then draw once.
            loop {
                if handle(app, event::read()?) == Flow::Quit {
                    return Ok(());
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= TICK {
            app.update(Msg::Tick);
            last_tick = Instant::now();
        }
        if SIGNALLED.load(Ordering::SeqCst) {
            return Ok(());
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
