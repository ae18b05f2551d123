//! The TUI as a member sees it (issue 11): the real `cchc` binary in a 120×36 pseudo-terminal
//! on a generated province, every keystroke timed to output quiet.
//!
//! ```text
//! cargo build --release --bin cchc && cargo bench --bench tui_pty --no-run
//! target/release/deps/tui_pty-… --tasks 100000 --bin target/release/cchc --multi 50
//! cargo test --bench tui_pty -- --tasks 1000 --reps 1     # smoke: debug build, once
//! ```
//!
//! How a keystroke is timed: the key's bytes are written to the terminal at t0; a reader
//! thread stamps every chunk the program writes back; the keystroke is done once at least one
//! byte came, the screen shows what the key asks for, and no byte came for `--quiet-ms`
//! (30 ms). The figure is the arrival of the LAST byte minus t0: the quiet period only proves
//! that the redraw is over and is not counted. Start is timed the same way from the spawn to
//! the first frame that shows the list (a selected task's detail pane).
//!
//! Each of `--reps` sessions (a fresh process, so every one has its "first `/`"): start; `/`
//! and "noi vu" one key at a time, Esc; the overdue filter on and off; the four sorts back to
//! the first; the navigation pane (h), an area and back (j, k), by agency (v), an agency and
//! back, by area again, back to the list (l); PageDown ×3, PageUp ×3; G, g; then 5 s idle
//! (the CPU it spent: the live tick), another process's `cchc task set ID --progress P` on the
//! selected task and the time until the detail pane shows P (and the CPU spent meanwhile),
//! then the same for `--status` to or from done (a change that moves the counts);
//! the peak RSS (VmHWM). With `--multi 50`: 50 sessions at once, their total RSS, and one
//! change until all 50 show it.
//!
//! CPU time is the scheduler's (/proc/PID/task/*/schedstat, nanoseconds); utime+stime of
//! /proc/PID/stat is reported beside it but counts in 10 ms ticks.
//!
//! Writes p50/p95/max per row as JSON to `--out`, `$CCHC_BENCH_OUT` or
//! `<target>/bench-results/pty-N.json`, and a table on stdout.

use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../examples/gen-province.rs"]
mod gen_province;
#[path = "tui_pty/session.rs"]
mod session;

use session::{Launch, Session, selected_id};

const TODAY: &str = "2026-06-30";
/// The status bar shows the day: every frame of the task screen has it.
const TODAY_SHOWN: &str = "30/06/2026";
const PAGE_DOWN: &[u8] = b"\x1b[6~";
const PAGE_UP: &[u8] = b"\x1b[5~";
const ESC: &[u8] = b"\x1b";

struct Args {
    tasks: Option<usize>,
    db: Option<PathBuf>,
    bin: PathBuf,
    reps: usize,
    multi: usize,
    quiet: Duration,
    idle: Duration,
    out: Option<PathBuf>,
    timeout: Duration,
}

fn usage() -> &'static str {
    "tui_pty [--tasks N | --db FILE|postgresql://…] [--bin CCHC] [--reps 5] [--multi 0] [--quiet-ms 30] \
     [--idle-s 5] [--timeout-s 120] [--out FILE]"
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        tasks: None,
        db: std::env::var_os("CCHC_BENCH_DB").map(PathBuf::from),
        bin: std::env::var_os("CCHC_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cchc"))),
        reps: 5,
        multi: 0,
        quiet: Duration::from_millis(30),
        idle: Duration::from_secs(5),
        out: std::env::var_os("CCHC_BENCH_OUT").map(PathBuf::from),
        timeout: Duration::from_secs(120),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value; {}", usage()))
        };
        let number = |v: String, name: &str| {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{name}: {v:?} is not a number"))
        };
        match arg.as_str() {
            "--tasks" => a.tasks = Some(number(value("--tasks")?, "--tasks")? as usize),
            "--db" => a.db = Some(value("--db")?.into()),
            "--bin" => a.bin = value("--bin")?.into(),
            "--reps" => a.reps = number(value("--reps")?, "--reps")?.max(1) as usize,
            "--multi" => a.multi = number(value("--multi")?, "--multi")? as usize,
            "--quiet-ms" => {
                a.quiet = Duration::from_millis(number(value("--quiet-ms")?, "--quiet-ms")?)
            }
            "--idle-s" => a.idle = Duration::from_secs(number(value("--idle-s")?, "--idle-s")?),
            "--timeout-s" => {
                a.timeout = Duration::from_secs(number(value("--timeout-s")?, "--timeout-s")?)
            }
            "--out" => a.out = Some(value("--out")?.into()),
            // What cargo passes to a harness-less bench or test.
            "--bench" | "--test" | "--nocapture" => {}
            "-h" | "--help" => return Err(usage().to_string()),
            other => return Err(format!("unknown argument {other:?}; {}", usage())),
        }
    }
    if a.tasks.is_none() && a.db.is_none() {
        a.tasks = Some(1000);
    }
    Ok(a)
}

/// `<target>/<dir>`, from this executable's path (`<target>/<profile>/deps/…`).
fn target_dir(dir: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    exe.ancestors()
        .nth(3)
        .map(|target| target.join(dir))
        .unwrap_or_else(|| PathBuf::from("target").join(dir))
}

/// Samples of one row of the table.
struct Row {
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    samples: Vec<f64>,
}

#[derive(Default)]
struct Rows(Vec<Row>);

impl Rows {
    fn add(&mut self, key: &'static str, label: &'static str, unit: &'static str, v: f64) {
        match self.0.iter_mut().find(|r| r.key == key) {
            Some(r) => r.samples.push(v),
            None => self.0.push(Row {
                key,
                label,
                unit,
                samples: vec![v],
            }),
        }
    }

    fn ms(&mut self, key: &'static str, label: &'static str, d: Duration) {
        self.add(key, label, "ms", d.as_secs_f64() * 1e3);
    }
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Keystroke rows that count towards "any keystroke → redrawn".
const KEY_ROWS: &[&str] = &[
    "search_open",
    "search_echo",
    "search_esc",
    "overdue",
    "sort",
    "area",
    "agency_mode",
    "agency",
    "page",
    "ends",
];

/// What the session types into the search box, one key at a time.
const TYPED: &str = "noi vu";

/// For each prefix of `TYPED` typed so far: how many tasks it matches, as the list's title
/// shows it ("N/T nhiệm vụ") once the search's hits are on screen. Asked of the store itself.
fn expected_hits(db: &std::path::Path) -> Res<Vec<(String, usize)>> {
    let store = cchc::store::Store::open(db, "bench", Default::default())?;
    let mut out = Vec::new();
    for (i, c) in TYPED.char_indices() {
        let so_far = &TYPED[..i + c.len_utf8()];
        let n = store
            .search(so_far, &cchc::store::TaskFilter::default())?
            .len();
        out.push((so_far.to_string(), n));
    }
    Ok(out)
}

/// One session: every keystroke row, idle CPU, the reload, peak RSS.
fn session(
    a: &Args,
    launch: &Launch,
    rep: usize,
    hits: &[(String, usize)],
    tasks: usize,
    rows: &mut Rows,
) -> Res<()> {
    let q = a.quiet;
    let t = a.timeout;
    let any = |_: &str| true;
    let mut s = Session::spawn(launch)?;
    let first = |sc: &str| sc.contains(TODAY_SHOWN) && selected_id(sc).is_some();
    let at = s.wait_settled("the first frame with the list", 0, q, t, &first)?;
    rows.ms(
        "start",
        "start → first full frame",
        at.saturating_duration_since(s.started),
    );
    rows.add(
        "start_cpu",
        "CPU time to the first frame",
        "ms",
        s.cpu_ns() as f64 / 1e6,
    );

    // Search: the first `/`; then "noi vu" one key at a time, each timed twice: to the
    // typed text on screen (the echo; the search runs on its own thread), and to the hits of
    // that query on screen (the title's count, the "searching…" mark gone).
    rows.ms(
        "search_open",
        "first `/` (opens the search box)",
        s.time_keys("/", b"/", q, t, &any)?,
    );
    for (so_far, n) in hits {
        let c = so_far.chars().last().unwrap_or(' ');
        let since = s.bytes();
        let t0 = s.send(c.to_string().as_bytes())?;
        let typed = format!("Tìm: {so_far}");
        let echoed = s.wait_settled(&typed, since, q, t, &|sc: &str| sc.contains(&typed))?;
        rows.ms(
            "search_echo",
            "search keystroke → typed text shown (\"noi vu\", each key)",
            echoed.saturating_duration_since(t0),
        );
        let count = format!(" {n}/{tasks} nhiệm vụ");
        let shown = s.wait_settled(&count, since, q, t, &|sc: &str| {
            sc.contains(&typed) && sc.contains(&count) && !sc.contains("đang tìm")
        })?;
        rows.ms(
            "search_shown",
            "search keystroke → its hits shown (\"noi vu\", each key)",
            shown.saturating_duration_since(t0),
        );
    }
    rows.ms(
        "search_esc",
        "Esc (leaves the search)",
        s.time_keys("Esc", ESC, q, t, &any)?,
    );
    // A member typing briskly: "noi vu" at one key per 80 ms, timed from the last key to its
    // hits on screen. The searches of the earlier keys are abandoned, not waited for.
    if let Some((query, n)) = hits.last() {
        s.time_keys("/", b"/", q, t, &any)?;
        let since = s.bytes();
        let mut t0 = Instant::now();
        for c in query.chars() {
            std::thread::sleep(Duration::from_millis(80));
            t0 = s.send(c.to_string().as_bytes())?;
        }
        let typed = format!("Tìm: {query}");
        let count = format!(" {n}/{tasks} nhiệm vụ");
        let shown = s.wait_settled(&count, since, q, t, &|sc: &str| {
            sc.contains(&typed) && sc.contains(&count) && !sc.contains("đang tìm")
        })?;
        rows.ms(
            "search_burst",
            "typing \"noi vu\" at 80 ms a key → its hits shown (from the last key)",
            shown.saturating_duration_since(t0),
        );
        s.time_keys("Esc", ESC, q, t, &any)?;
    }

    for _ in 0..2 {
        rows.ms(
            "overdue",
            "overdue filter toggle (o)",
            s.time_keys("o", b"o", q, t, &any)?,
        );
    }
    for _ in 0..cchc::view::Sort::ALL.len() {
        rows.ms(
            "sort",
            "sort cycle (S)",
            s.time_keys("S", b"S", q, t, &any)?,
        );
    }
    rows.ms(
        "focus",
        "pane focus (h, l)",
        s.time_keys("h", b"h", q, t, &any)?,
    );
    for key in ["j", "k"] {
        rows.ms(
            "area",
            "area switch (j/k in the navigation pane)",
            s.time_keys(key, key.as_bytes(), q, t, &any)?,
        );
    }
    rows.ms(
        "agency_mode",
        "by area ↔ by agency (v)",
        s.time_keys("v", b"v", q, t, &any)?,
    );
    for key in ["j", "k"] {
        rows.ms(
            "agency",
            "agency switch (j/k in the navigation pane)",
            s.time_keys(key, key.as_bytes(), q, t, &any)?,
        );
    }
    rows.ms(
        "agency_mode",
        "by area ↔ by agency (v)",
        s.time_keys("v", b"v", q, t, &any)?,
    );
    rows.ms(
        "focus",
        "pane focus (h, l)",
        s.time_keys("l", b"l", q, t, &any)?,
    );
    for keys in [PAGE_DOWN, PAGE_DOWN, PAGE_DOWN, PAGE_UP, PAGE_UP, PAGE_UP] {
        rows.ms(
            "page",
            "PageDown / PageUp",
            s.time_keys("a page", keys, q, t, &any)?,
        );
    }
    for key in ["G", "g"] {
        rows.ms(
            "ends",
            "G / g (last / first task)",
            s.time_keys(key, key.as_bytes(), q, t, &any)?,
        );
    }

    // Idle: what the live tick costs when nothing changes.
    let (cpu0, ticks0) = (s.cpu_ns(), s.cpu_ticks_ms());
    std::thread::sleep(a.idle);
    let idle_s = a.idle.as_secs_f64();
    rows.add(
        "idle_cpu",
        "CPU time over an idle 5 s (per 5 s)",
        "ms",
        (s.cpu_ns() - cpu0) as f64 / 1e6 * 5.0 / idle_s,
    );
    rows.add(
        "idle_cpu_ticks",
        "↳ the same from utime+stime (10 ms ticks)",
        "ms",
        (s.cpu_ticks_ms() - ticks0) * 5.0 / idle_s,
    );

    // Another process changes the selected task.
    let screen = s.screen();
    let id = selected_id(&screen).ok_or("no task is selected after g")?;
    let percent = (0..)
        .map(|k| 11 + (rep * 13 + k) % 80)
        .find(|p| !screen.contains(&format!("· {p}%")))
        .unwrap_or(11);
    let shown = format!("· {percent}%");
    let set = |args: &[&str]| -> Result<(Instant, Instant), Box<dyn std::error::Error>> {
        let spawned = Instant::now();
        let out = std::process::Command::new(launch.bin)
            .env("HOME", launch.home)
            .env("XDG_DATA_HOME", launch.home.join("data"))
            .env("XDG_CONFIG_HOME", launch.home.join("config"))
            .env("CCHC_USER", "bench-writer")
            .arg("--db")
            .arg(launch.db)
            .args(["--today", TODAY, "task", "set", &id.to_string()])
            .args(args)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "cchc task set failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok((spawned, Instant::now()))
    };
    let since = s.bytes();
    let (cpu0, ticks0) = (s.cpu_ns(), s.cpu_ticks_ms());
    let (spawned, exited) = set(&["--progress", &percent.to_string()])?;
    let at = s.wait_settled(&shown, since, q, t, &|sc: &str| sc.contains(&shown))?;
    rows.ms(
        "writer",
        "`cchc task set` (the writing process, whole)",
        exited - spawned,
    );
    rows.ms(
        "reload",
        "another process's change → visible (from its exit)",
        at.saturating_duration_since(exited),
    );
    rows.add(
        "reload_cpu",
        "CPU time from the change to the redraw",
        "ms",
        (s.cpu_ns() - cpu0) as f64 / 1e6,
    );
    rows.add(
        "reload_cpu_ticks",
        "↳ the same from utime+stime (10 ms ticks)",
        "ms",
        s.cpu_ticks_ms() - ticks0,
    );

    // Then its status, to or from done: the counts of the navigation pane move.
    let done_shown =
        |sc: &str| sc.contains("Hoàn thành quá hạn · ") || sc.contains("Hoàn thành đúng hạn · ");
    let was_done = done_shown(&s.screen());
    let status = if was_done { "in-progress" } else { "done" };
    let since = s.bytes();
    let cpu0 = s.cpu_ns();
    let (_, exited) = set(&["--status", status])?;
    let at = s.wait_settled(status, since, q, t, &|sc: &str| done_shown(sc) != was_done)?;
    rows.ms(
        "reload_status",
        "another process's status change (a count moves) → visible",
        at.saturating_duration_since(exited),
    );
    rows.add(
        "reload_status_cpu",
        "CPU time from the status change to the redraw",
        "ms",
        (s.cpu_ns() - cpu0) as f64 / 1e6,
    );

    rows.add(
        "rss_peak",
        "peak RSS after the session (VmHWM)",
        "MB",
        s.status_mb("VmHWM:"),
    );
    rows.add(
        "rss",
        "RSS after the session (VmRSS)",
        "MB",
        s.status_mb("VmRSS:"),
    );
    if !s.quit(t) {
        return Err("cchc did not quit cleanly on Q".into());
    }
    Ok(())
}

/// `n` sessions at once: until all show the list, their total RSS, then `changes` changes
/// each timed until every screen shows it.
fn many(a: &Args, launch: &Launch, n: usize, changes: usize, rows: &mut Rows) -> Res<()> {
    let first = |sc: &str| sc.contains(TODAY_SHOWN) && selected_id(sc).is_some();
    let started = Instant::now();
    let mut sessions = Vec::with_capacity(n);
    for _ in 0..n {
        sessions.push(Session::spawn(launch)?);
    }
    let mut last = started;
    for s in &sessions {
        last =
            last.max(s.wait_settled("a first frame of many", 0, a.quiet, a.timeout * 2, &first)?);
    }
    rows.ms(
        "multi_start",
        "sessions at once (--multi): spawn → all show the list",
        last.saturating_duration_since(started),
    );
    let mb = |f: &str| sessions.iter().map(|s| s.status_mb(f)).sum::<f64>();
    rows.add(
        "multi_rss",
        "sessions at once: total RSS (VmRSS, summed)",
        "MB",
        mb("VmRSS:"),
    );
    rows.add(
        "multi_hwm",
        "↳ total of their peaks (VmHWM, summed)",
        "MB",
        mb("VmHWM:"),
    );
    let id = selected_id(&sessions[0].screen()).ok_or("no task selected")?;
    for c in 0..changes {
        let screen = sessions[0].screen();
        let percent = (0..)
            .map(|k| 17 + (c * 13 + k) % 80)
            .find(|p| !screen.contains(&format!("· {p}%")))
            .unwrap_or(17);
        let shown = format!("· {percent}%");
        let since: Vec<u64> = sessions.iter().map(Session::bytes).collect();
        let out = std::process::Command::new(launch.bin)
            .env("HOME", launch.home)
            .env("CCHC_USER", "bench-writer")
            .arg("--db")
            .arg(launch.db)
            .args([
                "--today",
                TODAY,
                "task",
                "set",
                &id.to_string(),
                "--progress",
                &percent.to_string(),
            ])
            .output()?;
        let exited = Instant::now();
        if !out.status.success() {
            return Err(format!(
                "cchc task set failed: {}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        // Poll every session every 5 ms (not 1: 50 screens parsed per poll on two cores).
        let mut done: Vec<Option<Instant>> = vec![None; n];
        let deadline = Instant::now() + a.timeout;
        while done.iter().any(Option::is_none) {
            for (i, s) in sessions.iter().enumerate() {
                if done[i].is_none() {
                    done[i] = s.settled(since[i], a.quiet, &|sc: &str| sc.contains(&shown));
                }
            }
            if Instant::now() > deadline {
                let missing = done.iter().filter(|d| d.is_none()).count();
                return Err(format!("{missing} of {n} sessions never showed {shown}").into());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let all = done.iter().flatten().max().copied().unwrap_or(exited);
        rows.ms(
            "multi_reload",
            "sessions at once: one change → all show it (from its exit)",
            all.saturating_duration_since(exited),
        );
    }
    for s in sessions {
        s.quit(a.timeout);
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("tui_pty: {e}");
        std::process::exit(1);
    }
}

fn run() -> Res<()> {
    let mut a = parse_args()?;
    // The sessions start in their own home: the binary's path must not be relative.
    a.bin = std::fs::canonicalize(&a.bin)
        .map_err(|e| format!("{}: {e}; give the cchc binary with --bin", a.bin.display()))?;
    let work = tempfile::Builder::new().prefix("tui-pty-").tempdir_in({
        let d = target_dir("bench-work");
        std::fs::create_dir_all(&d)?;
        d
    })?;
    // The session writes (the reload step): work on a copy of the cached or given file.
    let source = match (&a.db, a.tasks) {
        (Some(db), _) => db.clone(),
        (None, Some(n)) => {
            let data = std::env::var_os("CCHC_BENCH_DATA")
                .map(PathBuf::from)
                .unwrap_or_else(|| target_dir("bench-data"));
            eprintln!(
                "tui_pty: the {n}-task province (cached in {})",
                data.display()
            );
            gen_province::cached_db(&data, n)?
        }
        (None, None) => unreachable!("parse_args sets --tasks"),
    };
    // A PostgreSQL URL (issue 13) is used in place: the sessions' writes land in that
    // database, so give a scratch one (e.g. a fresh `cchc migrate` of the file).
    let db = if cchc::store::server_url(&source).is_some() {
        source.clone()
    } else {
        let db = work.path().join("province.sqlite3");
        std::fs::copy(&source, &db)?;
        db
    };
    let store = cchc::store::Store::open(&db, "bench", Default::default())?;
    let tasks = store.task_count()? as usize;
    drop(store);
    let home = work.path().join("home");
    std::fs::create_dir_all(&home)?;
    let launch = Launch {
        bin: &a.bin,
        db: &db,
        today: TODAY,
        home: &home,
        user: "bench",
    };
    let n = a.tasks.unwrap_or(tasks);
    let load_before = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!(
        "tui_pty: {} ({tasks} tasks in all), {} sessions of {}×{} with {}",
        source.display(),
        a.reps,
        session::COLS,
        session::ROWS,
        a.bin.display()
    );
    let mut rows = Rows::default();
    let hits = expected_hits(&db)?;
    eprintln!("tui_pty: hits per prefix of {TYPED:?}: {hits:?}");
    for rep in 0..a.reps {
        session(&a, &launch, rep, &hits, tasks, &mut rows)?;
        eprintln!("tui_pty: session {} of {} done", rep + 1, a.reps);
    }
    let mut all_keys = Vec::new();
    for r in rows.0.iter().filter(|r| KEY_ROWS.contains(&r.key)) {
        all_keys.extend(r.samples.iter().copied());
    }
    rows.0.push(Row {
        key: "any_key",
        label: "any keystroke above (all of them together)",
        unit: "ms",
        samples: all_keys,
    });
    if a.multi > 0 {
        eprintln!("tui_pty: {} sessions at once", a.multi);
        many(&a, &launch, a.multi, a.reps.min(3), &mut rows)?;
    }
    let load_after = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    write_results(&a, n, tasks, &rows, &load_before, &load_after)
}

fn write_results(
    a: &Args,
    n: usize,
    tasks: usize,
    rows: &Rows,
    before: &str,
    after: &str,
) -> Res<()> {
    let load = |s: &str| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    println!(
        "{:<60} {:>4} {:>9} {:>9} {:>9} {:>4}",
        "what", "unit", "p50", "p95", "max", "n"
    );
    let mut out_rows = Vec::new();
    for r in &rows.0 {
        let mut sorted = r.samples.clone();
        sorted.sort_by(f64::total_cmp);
        let (p50, p95) = (percentile(&sorted, 50.0), percentile(&sorted, 95.0));
        let max = sorted[sorted.len() - 1];
        println!(
            "{:<60} {:>4} {p50:>9.2} {p95:>9.2} {max:>9.2} {:>4}",
            r.label,
            r.unit,
            sorted.len()
        );
        out_rows.push(serde_json::json!({
            "key": r.key, "label": r.label, "unit": r.unit,
            "p50": p50, "p95": p95, "max": max, "n": sorted.len(), "samples": r.samples,
        }));
    }
    let json = serde_json::json!({
        "tasks": n,
        "tasks_in_file": tasks,
        "bin": a.bin.display().to_string(),
        "reps": a.reps,
        "multi": a.multi,
        "quiet_ms": a.quiet.as_millis() as u64,
        "terminal": format!("{}x{}", session::COLS, session::ROWS),
        "load_before": load(before),
        "load_after": load(after),
        "rows": out_rows,
    });
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| target_dir("bench-results").join(format!("pty-{n}.json")));
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&json)? + "\n")?;
    eprintln!("tui_pty: wrote {}", out.display());
    Ok(())
}
