//! The real `cchc` binary in a pseudo-terminal, its screen read through a vt100 parser.
//!
//! Every wait polls the screen until a condition holds or a generous deadline passes (10 s,
//! `CCHC_PTY_TIMEOUT_SECS` to change it), so a loaded machine makes the tests slower, not
//! flaky; no fixed sleep is ever an assertion.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use portable_pty::CommandBuilder;
use portable_pty::{Child, PtySize, native_pty_system};

use super::*;

pub const TODAY: &str = "2027-01-01";
/// Meeting-mode tests: a month after the last meeting of 27/10/2026.
pub const MEET_TODAY: &str = "2026-11-26";

pub fn timeout() -> Duration {
    let secs = std::env::var("CCHC_PTY_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    Duration::from_secs(secs)
}

/// One cell of the screen as the terminal shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenCell {
    pub col: u16,
    pub text: String,
    pub fg: vt100::Color,
    pub bg: vt100::Color,
}

impl ScreenCell {
    /// Whether the cell is drawn in red, as text or as its block (the 256-colour reds the
    /// themes use, the 16 basic ones, or a true colour that is mostly red).
    pub fn is_red(&self) -> bool {
        is_red(self.fg) || is_red(self.bg)
    }
}

pub fn is_red(c: vt100::Color) -> bool {
    match c {
        vt100::Color::Idx(i) => matches!(i, 1 | 9 | 52 | 88 | 124 | 160 | 196 | 197 | 203),
        vt100::Color::Rgb(r, g, b) => r > 150 && g < 90 && b < 90,
        vt100::Color::Default => false,
    }
}

/// A running `cchc` TUI in a pseudo-terminal.
pub struct Tui {
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for what the screen parser drops (OSC 52 clipboard).
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    pub reader: Option<JoinHandle<()>>,
}

impl Tui {
    pub fn start(sb: &Sandbox, db: &Path, extra: &[&str], cols: u16, rows: u16) -> Tui {
        Tui::spawn(sb, db, extra, cols, rows, Some("tester"))
    }

    /// Without CCHC_USER, so the config file's `user` applies.
    pub fn start_without_user(
        sb: &Sandbox,
        db: &Path,
        extra: &[&str],
        cols: u16,
        rows: u16,
    ) -> Tui {
        Tui::spawn(sb, db, extra, cols, rows, None)
    }

    pub fn spawn(
        sb: &Sandbox,
        db: &Path,
        extra: &[&str],
        cols: u16,
        rows: u16,
        user: Option<&str>,
    ) -> Tui {
        let tui = Tui::launch(sb, &[], db, TODAY, extra, cols, rows, user);
        // Both languages show "today" in the status bar.
        tui.wait_for("the task screen", |s| s.contains("01/01/2027"));
        tui
    }

    /// `cchc meet` (as "tester", today MEET_TODAY), once the overview slide is up.
    pub fn meet(sb: &Sandbox, db: &Path, extra: &[&str], cols: u16, rows: u16) -> Tui {
        let tui = Tui::launch(
            sb,
            &["meet"],
            db,
            MEET_TODAY,
            extra,
            cols,
            rows,
            Some("tester"),
        );
        tui.wait_for("the overview slide", |s| {
            s.contains("1/10 · Tổng quan") || s.contains("1/10 · Overview")
        });
        tui
    }

    #[allow(clippy::too_many_arguments)]
    pub fn launch(
        sb: &Sandbox,
        command: &[&str],
        db: &Path,
        today: &str,
        extra: &[&str],
        cols: u16,
        rows: u16,
        user: Option<&str>,
    ) -> Tui {
        Tui::launch_with_env(sb, command, db, today, extra, cols, rows, user, &[])
    }

    /// `launch` with extra environment variables (test hooks such as CCHC_BUSY_TIMEOUT_MS).
    #[allow(clippy::too_many_arguments)]
    pub fn launch_with_env(
        sb: &Sandbox,
        command: &[&str],
        db: &Path,
        today: &str,
        extra: &[&str],
        cols: u16,
        rows: u16,
        user: Option<&str>,
        env: &[(&str, &str)],
    ) -> Tui {
        let mut args: Vec<std::ffi::OsString> = command.iter().map(Into::into).collect();
        args.push("--db".into());
        args.push(db.into());
        args.extend(["--today".into(), today.into()]);
        args.extend(extra.iter().map(Into::into));
        Tui::run_args(sb, &args, cols, rows, user, env)
    }

    /// `cchc ARGS` as given (no `--db` or `--today` added), in the sandbox's home, with
    /// CCHC_USER set to `user` if given and the extra environment variables.
    pub fn run_args(
        sb: &Sandbox,
        args: &[std::ffi::OsString],
        cols: u16,
        rows: u16,
        user: Option<&str>,
        env: &[(&str, &str)],
    ) -> Tui {
        let program = std::ffi::OsStr::new(env!("CARGO_BIN_EXE_cchc"));
        Tui::run_program(sb, program, args, cols, rows, user, env)
    }

    /// `program ARGS` in a pseudo-terminal, with the environment `run_args` gives cchc (a
    /// shell that then runs cchc, for job control).
    pub fn run_program(
        sb: &Sandbox,
        program: &std::ffi::OsStr,
        args: &[std::ffi::OsString],
        cols: u16,
        rows: u16,
        user: Option<&str>,
        env: &[(&str, &str)],
    ) -> Tui {
        let mut cmd = CommandBuilder::new(program);
        let home = sb.dir.path().join("home");
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", &home);
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        if let Some(user) = user {
            cmd.env("CCHC_USER", user);
        }
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        // portable-pty starts in $HOME unless told otherwise; the sandbox's home may not
        // exist yet.
        cmd.cwd(sb.dir.path());
        cmd.args(args);
        Tui::spawn_command(cmd, cols, rows)
    }

    /// Any command (cchc run as another account, say) in a pseudo-terminal of this size.
    pub fn spawn_command(cmd: CommandBuilder, cols: u16, rows: u16) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pty.slave.spawn_command(cmd).expect("spawn cchc");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let writer = pty.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let sink = Arc::clone(&parser);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_sink = Arc::clone(&raw);
        // The master must outlive the reader; the thread owns it.
        let master = pty.master;
        let handle = std::thread::spawn(move || {
            let _master = master;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        raw_sink.lock().unwrap().extend_from_slice(&buf[..n]);
                        sink.lock().unwrap().process(&buf[..n]);
                    }
                }
            }
        });
        Tui {
            parser,
            raw,
            writer,
            child,
            reader: Some(handle),
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Every cell of the screen, row by row: (column, text, foreground, background). A wide
    /// character's second column is left out.
    pub fn cells(&self) -> Vec<Vec<ScreenCell>> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        (0..rows)
            .map(|row| {
                (0..cols)
                    .filter_map(|col| {
                        let cell = screen.cell(row, col)?;
                        (!cell.is_wide_continuation()).then(|| ScreenCell {
                            col,
                            text: cell.contents().to_string(),
                            fg: cell.fgcolor(),
                            bg: cell.bgcolor(),
                        })
                    })
                    .collect()
            })
            .collect()
    }

    /// The cells where `text` is first shown on one row (its row number and its cells).
    pub fn find_cells(&self, text: &str) -> Option<(usize, Vec<ScreenCell>)> {
        let want: Vec<String> = text.chars().map(String::from).collect();
        self.cells()
            .into_iter()
            .enumerate()
            .find_map(|(row, cells)| {
                let texts: Vec<&str> = cells
                    .iter()
                    .map(|c| {
                        if c.text.is_empty() {
                            " "
                        } else {
                            c.text.as_str()
                        }
                    })
                    .collect();
                (0..cells.len().saturating_sub(want.len() - 1))
                    .find(|&i| {
                        texts[i..i + want.len()]
                            .iter()
                            .zip(&want)
                            .all(|(a, b)| a == b)
                    })
                    .map(|i| (row, cells[i..i + want.len()].to_vec()))
            })
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Polls the screen every 50 ms until `ok` holds on a whole frame; panics with the screen
    /// after the deadline. A frame larger than one read of the terminal arrives in pieces, and
    /// `ok` may hold on its first piece (a slide's title before its gauges), so the screen is
    /// taken only once no byte has come for a while.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        const QUIET: Duration = Duration::from_millis(60);
        let deadline = Instant::now() + timeout();
        loop {
            if ok(&self.screen()) && Instant::now() <= deadline {
                let received = self.raw.lock().unwrap().len();
                std::thread::sleep(QUIET);
                let screen = self.screen();
                if self.raw.lock().unwrap().len() == received && ok(&screen) {
                    return screen;
                }
                continue;
            }
            let screen = self.screen();
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Quits with `q` and waits for the process to end; returns whether it exited cleanly.
    pub fn quit(mut self) -> bool {
        self.send("q");
        self.wait_exit()
    }

    /// Waits for the process to end and returns its exit code.
    pub fn wait_exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + timeout();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                if let Some(h) = self.reader.take() {
                    let _ = h.join();
                }
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "cchc did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the process to end; whether it exited with status 0.
    pub fn wait_exit(&mut self) -> bool {
        self.wait_exit_code() == 0
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// Runs one cchc command to its end in a pseudo-terminal `cols` wide (HOME in `home`, the
/// given extra environment) and returns everything it wrote, stdout and stderr together, line
/// ends as the program wrote them. The command must succeed.
pub fn run_to_end(
    home: &Path,
    db: &Path,
    cols: u16,
    args: &[&str],
    env: &[(&str, &str)],
) -> String {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cchc"));
    cmd.env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.env("HOME", home);
    cmd.env("CCHC_USER", "tester");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("TERM", "xterm-256color");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.cwd(home.parent().unwrap_or(home));
    cmd.args(args);
    cmd.args(["--today", TODAY, "--db"]);
    cmd.arg(db);
    let mut child = pty.slave.spawn_command(cmd).expect("spawn cchc");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    // Read until the program is gone (EOF, or EIO once the terminal's last writer closed).
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
    let status = child.wait().expect("wait for cchc");
    drop(pty.master);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(status.success(), "exit {status:?}\n{text}");
    text
}

/// The selected task's id, from the detail pane's title "Chi tiết #N".
pub fn selected_id(screen: &str) -> i64 {
    let at = screen.find("Chi tiết #").expect("a detail pane") + "Chi tiết #".len();
    screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

pub fn cli_json(sb: &Sandbox, db: &Path, args: &[&str]) -> serde_json::Value {
    let out = sb
        .cchc()
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    json(&out)
}

pub fn setup() -> (Sandbox, PathBuf) {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    (sb, db)
}
