//! One real `cchc` TUI in a pseudo-terminal, read through a vt100 parser, with the arrival time
//! of every chunk it writes, so a keystroke can be timed to "output quiet".
//!
//! Borrowed from tests/common/pty.rs (same portable-pty + vt100 setup), plus timestamps and
//! the process's CPU time and memory from /proc.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub const COLS: u16 = 120;
pub const ROWS: u16 = 36;

/// What the reader thread keeps: the screen, how many bytes came, and when the last came.
struct Output {
    parser: vt100::Parser,
    bytes: u64,
    last: Instant,
}

/// How one session is started: the binary, the database, the day, a private home.
pub struct Launch<'a> {
    pub bin: &'a Path,
    pub db: &'a Path,
    pub today: &'a str,
    pub home: &'a Path,
    pub user: &'a str,
}

pub struct Session {
    output: Arc<Mutex<Output>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    pub pid: u32,
    /// When the process was spawned.
    pub started: Instant,
}

/// Waiting gave up: what was waited for, and the screen at that moment.
#[derive(Debug)]
pub struct Timeout {
    pub what: String,
    pub screen: String,
}

impl std::fmt::Display for Timeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "timed out waiting for {}; the screen:\n{}",
            self.what, self.screen
        )
    }
}

impl std::error::Error for Timeout {}

impl Session {
    pub fn spawn(l: &Launch) -> std::io::Result<Session> {
        let io = |e: anyhow::Error| std::io::Error::other(e.to_string());
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(io)?;
        let mut cmd = CommandBuilder::new(l.bin);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", l.home);
        cmd.env("XDG_DATA_HOME", l.home.join("data"));
        cmd.env("XDG_CONFIG_HOME", l.home.join("config"));
        cmd.env("CCHC_USER", l.user);
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(l.home);
        cmd.arg("--db");
        cmd.arg(l.db);
        cmd.args(["--today", l.today]);
        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(
                std::num::NonZeroU16::new(ROWS).unwrap(),
                std::num::NonZeroU16::new(COLS).unwrap(),
                0,
            ),
            bytes: 0,
            last: Instant::now(),
        }));
        let started = Instant::now();
        let child = pty.slave.spawn_command(cmd).map_err(io)?;
        drop(pty.slave);
        let pid = child
            .process_id()
            .ok_or_else(|| std::io::Error::other("the child has no pid"))?;
        let mut reader = pty.master.try_clone_reader().map_err(io)?;
        let writer = pty.master.take_writer().map_err(io)?;
        let sink = Arc::clone(&output);
        // The master must outlive the reader; the thread owns it.
        let master = pty.master;
        std::thread::spawn(move || {
            let _master = master;
            let mut buf = [0u8; 16384];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let now = Instant::now();
                        let mut out = sink.lock().unwrap();
                        out.parser.process(&buf[..n]);
                        out.bytes += n as u64;
                        out.last = now;
                    }
                }
            }
        });
        Ok(Session {
            output,
            writer,
            child,
            pid,
            started,
        })
    }

    pub fn screen(&self) -> String {
        self.output.lock().unwrap().parser.screen().contents()
    }

    pub fn bytes(&self) -> u64 {
        self.output.lock().unwrap().bytes
    }

    pub fn send(&mut self, keys: &[u8]) -> std::io::Result<Instant> {
        let t0 = Instant::now();
        self.writer.write_all(keys)?;
        self.writer.flush()?;
        Ok(t0)
    }

    /// Once more than `since` bytes have come, `ok` holds on the screen and no byte came for
    /// `quiet`: the arrival time of the last byte (the quiet period itself is not part of it).
    /// `None` until then.
    pub fn settled(
        &self,
        since: u64,
        quiet: Duration,
        ok: &dyn Fn(&str) -> bool,
    ) -> Option<Instant> {
        let out = self.output.lock().unwrap();
        if out.bytes <= since || out.last.elapsed() < quiet {
            return None;
        }
        let last = out.last;
        let screen = out.parser.screen().contents();
        drop(out);
        ok(&screen).then_some(last)
    }

    /// Polls `settled` every millisecond until it answers or `timeout` passes.
    pub fn wait_settled(
        &self,
        what: &str,
        since: u64,
        quiet: Duration,
        timeout: Duration,
        ok: &dyn Fn(&str) -> bool,
    ) -> Result<Instant, Timeout> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(at) = self.settled(since, quiet, ok) {
                return Ok(at);
            }
            if Instant::now() > deadline {
                return Err(Timeout {
                    what: what.to_string(),
                    screen: self.screen(),
                });
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Sends `keys` and times them to output quiet: from the write to the last byte of the
    /// redraw, once `ok` holds on the screen.
    pub fn time_keys(
        &mut self,
        what: &str,
        keys: &[u8],
        quiet: Duration,
        timeout: Duration,
        ok: &dyn Fn(&str) -> bool,
    ) -> Result<Duration, Box<dyn std::error::Error>> {
        let since = self.bytes();
        let t0 = self.send(keys)?;
        let at = self.wait_settled(what, since, quiet, timeout, ok)?;
        Ok(at.saturating_duration_since(t0))
    }

    /// CPU time the process (all its threads) has run, in nanoseconds: the scheduler's own
    /// count (/proc/PID/task/*/schedstat), exact where utime+stime is counted in 10 ms ticks.
    pub fn cpu_ns(&self) -> u64 {
        let Ok(dir) = std::fs::read_dir(format!("/proc/{}/task", self.pid)) else {
            return 0;
        };
        dir.flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
            .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .sum()
    }

    /// utime + stime of /proc/PID/stat, in milliseconds (clock-tick resolution).
    pub fn cpu_ticks_ms(&self) -> f64 {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)) else {
            return 0.0;
        };
        // The command name is in parentheses and may hold spaces: count fields after it.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            return 0.0;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        let ticks: u64 = [11, 12]
            .iter()
            .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
            .sum();
        // SAFETY: sysconf only reads a constant.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
        ticks as f64 * 1000.0 / hz
    }

    /// A `VmHWM`/`VmRSS` line of /proc/PID/status, in MB.
    pub fn status_mb(&self, field: &str) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(field))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    }

    /// Quits with `Q` and waits (up to `timeout`) for the process to end.
    pub fn quit(mut self, timeout: Duration) -> bool {
        let _ = self.send(b"Q");
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The selected task's id, from the detail pane's title "Chi tiết #N".
pub fn selected_id(screen: &str) -> Option<i64> {
    let at = screen.find("Chi tiết #")? + "Chi tiết #".len();
    screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}
