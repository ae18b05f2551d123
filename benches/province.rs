//! Province-scale benchmarks (issue 5): the store, the search index and the report at 1,000,
//! 10,000 and 100,000 generated tasks (plus the plan's 340), in-process, release build.
//!
//! ```text
//! cargo bench --bench province                                  # all sizes
//! CCHC_BENCH_SIZES=1000 cargo bench --bench province -- search  # one size, one family
//! CCHC_BENCH_SIZES=1000 cargo test --bench province             # smoke: every benchmark once
//! ```
//!
//! `benches/run.sh` runs this and the whole-process timings, then writes docs/BENCHMARKS.md.
//! Databases come from `examples/gen-province.rs` and are cached in `<target>/bench-data`
//! (or `$CCHC_BENCH_DATA`); each run works on a copy, so the cache never changes.
//!
//! The TUI figures drive the same `App::update` + `views::render` into a `TestBackend` that the
//! terminal loop runs, timed per keystroke; its peak RSS comes from `examples/tui-rss.rs`.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};

#[path = "../examples/gen-province.rs"]
mod gen_province;

use cchc::model::{Lang, Status, Task, TaskPatch};
use cchc::search::{SearchIndex, sort_by_score};
use cchc::store::{LogFilter, OpenOptions, Store, TaskFilter};
use cchc::tui::action::Action;
use cchc::tui::app::{App, AppOptions, Msg};
use cchc::tui::input::Edit;
use cchc::tui::keymap::Keymap;
use cchc::tui::theme::Theme;
use cchc::tui::views;
use gen_province::reference_day;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Queries typed in the search box: a phrase most tasks contain ("noi vu": every report goes
/// to Sở Nội vụ), a common word, a commune's name, and a narrow phrase.
const QUERIES: &[&str] = &["noi vu", "bao cao", "tan thanh", "so hoa ho so"];
/// The first keystroke, which matches almost every task: the worst single keystroke.
const FIRST_KEY: &str = "n";
/// A commune that leads about 1/110 of the tasks.
const AGENCY: &str = "XTANTHANH";

fn sizes() -> Vec<usize> {
    let spec = std::env::var("CCHC_BENCH_SIZES").unwrap_or_else(|_| "1000,10000,100000".into());
    spec.split(',')
        .map(|s| {
            s.trim()
                .replace('_', "")
                .parse()
                .unwrap_or_else(|_| panic!("CCHC_BENCH_SIZES: {s:?} is not a number"))
        })
        .collect()
}

/// `<target>/bench-data`, found from this executable's path (`<target>/<profile>/deps/…`), or
/// `$CCHC_BENCH_DATA`.
fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CCHC_BENCH_DATA") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("the benchmark's own path");
    exe.ancestors()
        .nth(3)
        .map(|target| target.join("bench-data"))
        .unwrap_or_else(|| PathBuf::from("target/bench-data"))
}

/// One size: a private working copy of the cached database.
struct Fixture {
    n: usize,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

fn fixtures() -> Vec<Fixture> {
    let data = data_dir();
    sizes()
        .into_iter()
        .map(|n| {
            let started = Instant::now();
            let cached = gen_province::cached_db(&data, n).expect("generate the province");
            let dir = tempfile::tempdir_in(&data).expect("a working directory");
            let db = dir.path().join("work.sqlite3");
            std::fs::copy(&cached, &db).expect("copy the cached database");
            eprintln!(
                "province {n}: {} ready in {:.1} s",
                cached.display(),
                started.elapsed().as_secs_f64()
            );
            Fixture { n, db, _dir: dir }
        })
        .collect()
}

fn open(db: &Path) -> Store {
    Store::open(db, "bench", OpenOptions::default()).expect("open the benchmark database")
}

/// What the task list's search looks at, as the CLI builds it (title, agency, output, notes).
fn search_index(store: &Store, tasks: &[Task]) -> SearchIndex {
    let agencies = store.agencies().unwrap();
    let names: HashMap<&str, &str> = agencies
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let notes = store.notes_text().unwrap();
    SearchIndex::new(tasks.iter().map(|t| {
        (
            t.id,
            cchc::search::task_text(t, &names, notes.get(&t.id).map(String::as_str)),
        )
    }))
}

// ---------------------------------------------------------------------------------------------
// Reads: what a screen or a command asks the store for
// ---------------------------------------------------------------------------------------------

fn reads(c: &mut Criterion, fx: &[Fixture]) {
    let filters: [(&str, TaskFilter); 5] = [
        ("load_all", TaskFilter::default()),
        (
            "overdue",
            TaskFilter {
                overdue_on: Some(reference_day()),
                ..Default::default()
            },
        ),
        (
            "filter_area",
            TaskFilter {
                area: Some("tthc".into()),
                ..Default::default()
            },
        ),
        (
            "filter_agency",
            TaskFilter {
                lead_agencies: Some(vec![AGENCY.into()]),
                ..Default::default()
            },
        ),
        (
            "filter_status",
            TaskFilter {
                status: Some(Status::Blocked),
                ..Default::default()
            },
        ),
    ];
    for (name, filter) in &filters {
        let mut g = c.benchmark_group(*name);
        g.sample_size(20);
        for f in fx {
            let store = open(&f.db);
            // The rows are dropped outside the timing: loading is what is measured.
            g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
                b.iter_with_large_drop(|| store.tasks(filter).unwrap())
            });
        }
        g.finish();
    }

    // A task's history, as the detail view and `cchc task show` read it.
    let mut g = c.benchmark_group("task_history");
    for f in fx {
        let store = open(&f.db);
        let id = store.log(&LogFilter {
            entity: Some("task".into()),
            limit: Some(1),
            ..Default::default()
        });
        let filter = LogFilter {
            entity: Some("task".into()),
            entity_id: id.unwrap().first().map(|e| e.entity_id.clone()),
            ..Default::default()
        };
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| black_box(store.log(&filter).unwrap().len()))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("store_open");
    for f in fx {
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| black_box(open(&f.db)))
        });
    }
    g.finish();

    // Every task and note read whole: what the TUI read before its first frame until issue 11
    // (it now reads a page and the counts: `tui_start`), and what a whole CLI list still reads.
    let mut g = c.benchmark_group("start_data");
    g.sample_size(10);
    for f in fx {
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter_with_large_drop(|| {
                let store = open(&f.db);
                let areas = store.areas().unwrap();
                let agencies = store.agencies().unwrap();
                let tasks = store.tasks(&TaskFilter::default()).unwrap();
                let notes = store.notes_text().unwrap();
                (store, areas, agencies, tasks, notes)
            })
        });
    }
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Search: one keystroke on the index
// ---------------------------------------------------------------------------------------------

fn slug(q: &str) -> String {
    q.replace(' ', "-")
}

fn search(c: &mut Criterion, fx: &[Fixture]) {
    let mut g = c.benchmark_group("search_build");
    g.sample_size(10);
    for f in fx {
        let store = open(&f.db);
        let tasks = OnceCell::new();
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            let tasks = tasks.get_or_init(|| store.tasks(&TaskFilter::default()).unwrap());
            b.iter_with_large_drop(|| search_index(&store, tasks))
        });
    }
    g.finish();

    // Built on first use, so that a filtered run (`-- search_fresh/noi`) builds only its own.
    let indexes: Vec<(usize, OnceCell<SearchIndex>, &Path)> = fx
        .iter()
        .map(|f| (f.n, OnceCell::new(), f.db.as_path()))
        .collect();
    let index_of = |cell: &'_ OnceCell<SearchIndex>, db: &Path| {
        cell.get_or_init(|| {
            let store = open(db);
            let tasks = store.tasks(&TaskFilter::default()).unwrap();
            search_index(&store, &tasks)
        });
    };

    // The whole query at once (a paste, a backspace, or the first search after a reload):
    // a fresh search over every task, then the hits ranked.
    let mut g = c.benchmark_group("search_fresh");
    for q in std::iter::once(&FIRST_KEY).chain(QUERIES) {
        for (n, cell, db) in &indexes {
            g.bench_function(BenchmarkId::new(slug(q), n), |b| {
                index_of(cell, db);
                let index = cell.get().unwrap();
                b.iter(|| {
                    let mut hits = index.search(q);
                    sort_by_score(&mut hits);
                    black_box(hits.len())
                })
            });
        }
    }
    g.finish();

    // Typing the query one character at a time: the first keystroke searches everything, each
    // later one narrows the previous result; the figure is the mean per keystroke.
    let mut g = c.benchmark_group("search_typing");
    for q in QUERIES {
        let prefixes: Vec<&str> = q
            .char_indices()
            .map(|(i, ch)| &q[..i + ch.len_utf8()])
            .collect();
        for (n, cell, db) in &indexes {
            g.bench_function(BenchmarkId::new(slug(q), n), |b| {
                index_of(cell, db);
                let index = cell.get().unwrap();
                b.iter_custom(|iters| {
                    let started = Instant::now();
                    for _ in 0..iters {
                        let mut previous: Option<Vec<usize>> = None;
                        for p in &prefixes {
                            let mut hits = match &previous {
                                None => index.search(p),
                                Some(within) => index.search_within(p, within),
                            };
                            previous = Some(hits.iter().map(|h| h.pos).collect());
                            sort_by_score(&mut hits);
                            black_box(hits.len());
                        }
                    }
                    started.elapsed() / prefixes.len() as u32
                })
            });
        }
    }
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Writes and the incremental reload
// ---------------------------------------------------------------------------------------------

/// Open tasks to write to, with their current progress and version.
fn open_tasks(store: &Store, count: usize) -> Vec<(i64, u8, i64)> {
    store
        .tasks(&TaskFilter {
            status: Some(Status::InProgress),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .filter(|t| t.progress < 90)
        .take(count)
        .map(|t| (t.id, t.progress, t.version))
        .collect()
}

/// Sets a different percent on one of `targets` (round robin), as `cchc task set ID
/// --progress` and the TUI do: version-checked, change-logged, synchronous=FULL.
fn mark_one(store: &mut Store, targets: &mut [(i64, u8, i64)], i: usize) -> i64 {
    let slot = i % targets.len();
    let (id, progress, version) = targets[slot];
    let new = if progress == 50 { 60 } else { 50 };
    let patch = TaskPatch {
        progress: Some(new),
        ..Default::default()
    };
    let done = store
        .update_task(id, Some(version), &patch, None)
        .expect("mark progress");
    targets[slot] = (id, new, done.task.version);
    id
}

fn writes(c: &mut Criterion, fx: &[Fixture]) {
    let mut g = c.benchmark_group("mark_progress");
    g.sample_size(20);
    for f in fx {
        let mut store = open(&f.db);
        let mut targets = open_tasks(&store, 64);
        let mut i = 0;
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| {
                i += 1;
                black_box(mark_one(&mut store, &mut targets, i))
            })
        });
    }
    g.finish();

    // Another member (a second connection, as another process would be) marks progress; this
    // member notices through `data_version`, reads only the rows written since the change
    // sequence it has seen, and patches its task list and search index in place. Only the
    // reader's work is timed (`tui_live_reload` is the same through the App, with the frame).
    let mut g = c.benchmark_group("incremental_reload");
    g.sample_size(20);
    for f in fx {
        let mut writer = open(&f.db);
        let mut targets = open_tasks(&writer, 64);
        let mut member: Option<Member> = None;
        let mut i = 0;
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            let member = member.get_or_insert_with(|| Member::new(&f.db));
            b.iter_batched(
                || {
                    i += 1;
                    mark_one(&mut writer, &mut targets, i)
                },
                |written| member.reload(written),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// Another member's view: its connection, task list and search index.
struct Member {
    store: Store,
    names: HashMap<String, String>,
    tasks: Vec<Task>,
    position: HashMap<i64, usize>,
    index: SearchIndex,
    seen_seq: i64,
    seen_version: i64,
}

impl Member {
    fn new(db: &Path) -> Self {
        let store = open(db);
        let names = store
            .agencies()
            .unwrap()
            .into_iter()
            .map(|a| (a.code, a.name))
            .collect();
        let tasks = store.tasks(&TaskFilter::default()).unwrap();
        let index = search_index(&store, &tasks);
        let position = tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        Member {
            seen_seq: store.max_change_seq().unwrap(),
            seen_version: store.data_version().unwrap(),
            store,
            names,
            tasks,
            position,
            index,
        }
    }

    /// Notices another connection's commit and applies only the rows it wrote.
    fn reload(&mut self, written: i64) {
        let version = self.store.data_version().unwrap();
        assert_ne!(version, self.seen_version, "the reader must see the write");
        self.seen_version = version;
        // Read the head first: a write landing in between is read again next time rather than
        // missed.
        let head = self.store.max_change_seq().unwrap();
        let changed = self.store.tasks_changed_since(self.seen_seq).unwrap();
        self.seen_seq = head;
        assert!(changed.iter().any(|t| t.id == written));
        let names: HashMap<&str, &str> = self
            .names
            .iter()
            .map(|(c, n)| (c.as_str(), n.as_str()))
            .collect();
        for t in changed {
            let notes = self.store.notes(t.id).unwrap();
            let notes: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
            let text = cchc::search::task_text(&t, &names, Some(&notes.join(" ")));
            self.index.update(t.id, &text);
            match self.position.get(&t.id) {
                Some(&p) => self.tasks[p] = t,
                None => {
                    self.position.insert(t.id, self.tasks.len());
                    self.tasks.push(t);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The quarterly report, in-process through the CLI's own code
// ---------------------------------------------------------------------------------------------

fn report(c: &mut Criterion, fx: &[Fixture]) {
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    for f in fx {
        // Into a file of the fixture's own (outputs go only to regular files); --force because
        // where extended attributes are missing cchc cannot tell the file is one it made.
        let out = f._dir.path().join("report.md");
        let args = [
            "cchc",
            "--db",
            f.db.to_str().unwrap(),
            "--user",
            "bench",
            "--today",
            "2026-06-30",
            "--read-only",
            "--force",
            "report",
            "--period",
            "2026-Q3",
            "--output",
            out.to_str().unwrap(),
        ];
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter(|| {
                let cli = <cchc::cli::Cli as clap::Parser>::try_parse_from(args).unwrap();
                let env = cchc::cli::Env::from_cli(&cli, None, None).unwrap();
                black_box(cchc::cli::run(cli.command.unwrap(), &env).unwrap())
            })
        });
    }
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// The TUI: the same `App::update` + draw into a `TestBackend` that the terminal loop runs
// ---------------------------------------------------------------------------------------------

/// The screen size drawn: a laptop terminal at a readable font.
const SCREEN: (u16, u16) = (160, 45);

fn tui_app(db: &Path) -> App {
    let mut app = App::new(
        open(db),
        AppOptions {
            today: Some(reference_day()),
            lang: Lang::Vi,
            theme: Theme::builtin("default").expect("the default theme"),
            meeting_theme: None,
            keymap: Keymap::default(),
            warnings: Vec::new(),
            db_label: Some("province.sqlite3".into()),
            form_date: None,
            drafts: None,
            views: Default::default(),
            config_path: None,
            own_file: Default::default(),
            editor: None,
            letters: Default::default(),
        },
    )
    .expect("start the TUI's state");
    // The search runs on the worker's thread; here each keystroke's update waits for its
    // hits, so the figures stay "the search and its frame" (the PTY driver times the echo).
    app.settle_searches(true);
    app.update(Msg::Resize {
        width: SCREEN.0,
        height: SCREEN.1,
    });
    app
}

fn screen() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SCREEN.0, SCREEN.1)).unwrap()
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|frame| views::render(frame, app)).unwrap();
}

/// Times `act` + one frame, `iters` times; `between` runs untimed after each.
fn timed_frames(
    iters: u64,
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    mut act: impl FnMut(&mut App, u64),
    mut between: impl FnMut(&mut App, u64),
) -> Duration {
    let mut total = Duration::ZERO;
    for i in 0..iters {
        let started = Instant::now();
        act(app, i);
        draw(terminal, app);
        total += started.elapsed();
        between(app, i);
    }
    total
}

fn tui(c: &mut Criterion, fx: &[Fixture]) {
    // Start to the first full frame: open the file, load every task, lay out and draw (the
    // search index waits for the first search: see `tui_first_search`).
    let mut g = c.benchmark_group("tui_start");
    g.sample_size(10);
    for f in fx {
        let mut terminal = screen();
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter_with_large_drop(|| {
                let app = tui_app(&f.db);
                draw(&mut terminal, &app);
                app
            })
        });
    }
    g.finish();

    // The first `/` of a session: it builds the search index, then one frame. Each round gets
    // a fresh app (untimed), as a later `/` finds the index built.
    let mut g = c.benchmark_group("tui_first_search");
    g.sample_size(10);
    for f in fx {
        let mut terminal = screen();
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            b.iter_batched(
                || tui_app(&f.db),
                |mut app| {
                    app.update(Action::Search);
                    draw(&mut terminal, &app);
                    app
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();

    // Each group gets its own app (built on first use, outside the timing).
    let mut g = c.benchmark_group("tui_redraw");
    for f in fx {
        let mut app: Option<App> = None;
        let mut terminal = screen();
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            let app = app.get_or_insert_with(|| tui_app(&f.db));
            b.iter(|| draw(&mut terminal, app))
        });
    }
    g.finish();

    // Typing "noi vu" into the search line: each key is one update (the list narrowed from
    // the previous hits) and one frame; the figure is the mean per keystroke. Esc clears the
    // search between rounds, untimed.
    let mut g = c.benchmark_group("tui_search_typing");
    for f in fx {
        let mut app: Option<App> = None;
        let mut terminal = screen();
        let query: Vec<char> = QUERIES[0].chars().collect();
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            let app = app.get_or_insert_with(|| tui_app(&f.db));
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    app.update(Action::Search);
                    total += timed_frames(
                        query.len() as u64,
                        app,
                        &mut terminal,
                        |app, i| {
                            app.update(Edit::Insert(query[i as usize]));
                        },
                        |_, _| {},
                    );
                    app.update(Action::Back);
                }
                total / query.len() as u32
            })
        });
    }
    g.finish();

    // The overdue filter on, then off, then on…: each toggle is one update and one frame.
    let mut g = c.benchmark_group("tui_toggle_overdue");
    for f in fx {
        let mut app: Option<App> = None;
        let mut terminal = screen();
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            let app = app.get_or_insert_with(|| tui_app(&f.db));
            b.iter_custom(|iters| {
                timed_frames(
                    iters,
                    app,
                    &mut terminal,
                    |app, _| {
                        app.update(Action::ToggleOverdue);
                    },
                    |_, _| {},
                )
            })
        });
    }
    g.finish();

    // In the navigation pane, from "all tasks" to the first area and back: each move filters
    // the list (all 100,000 tasks ↔ one area's) and draws.
    let mut g = c.benchmark_group("tui_area_switch");
    for f in fx {
        let mut app: Option<App> = None;
        let mut terminal = screen();
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            let app = app.get_or_insert_with(|| {
                let mut app = tui_app(&f.db);
                app.update(Action::PrevPane); // list → navigation
                app
            });
            b.iter_custom(|iters| {
                timed_frames(
                    iters,
                    app,
                    &mut terminal,
                    |app, i| {
                        app.update(if i % 2 == 0 {
                            Action::MoveDown
                        } else {
                            Action::MoveUp
                        });
                    },
                    |_, _| {},
                )
            })
        });
        // Leave the navigation where it started.
    }
    g.finish();

    // Another member marks progress (untimed); this member's next tick notices it, reads the
    // changed rows only, patches its list and index, and draws.
    let mut g = c.benchmark_group("tui_live_reload");
    g.sample_size(20);
    for f in fx {
        let mut writer = open(&f.db);
        let mut targets = open_tasks(&writer, 64);
        let mut app: Option<App> = None;
        let mut terminal = screen();
        let mut i = 0;
        g.bench_function(BenchmarkId::from_parameter(f.n), |b| {
            let app = app.get_or_insert_with(|| tui_app(&f.db));
            b.iter_custom(|iters| {
                timed_frames(
                    iters,
                    app,
                    &mut terminal,
                    |app, _| {
                        app.update(Msg::Tick);
                    },
                    |_, _| {
                        i += 1;
                        mark_one(&mut writer, &mut targets, i);
                    },
                )
            })
        });
    }
    g.finish();
}

fn all(c: &mut Criterion) {
    let fx = fixtures();
    let started = Instant::now();
    reads(c, &fx);
    search(c, &fx);
    writes(c, &fx);
    report(c, &fx);
    tui(c, &fx);
    eprintln!("benchmarks took {:.0} s", started.elapsed().as_secs_f64());
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = all
}
criterion_main!(benches);
