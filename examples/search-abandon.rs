//! How fast a search the TUI no longer waits for stops (issue 11), on a copy of a large file:
//!
//! ```text
//! cargo run --release --example search-abandon -- FILE [--wait-ms 50]
//! ```
//!
//! For each query: its full time, then the time from "a newer keystroke came" (`--wait-ms`
//! after it started) to the search returning, two ways: the check between rows alone
//! (`Store::search_best`'s `stop`), and the search worker (that check plus `sqlite3_interrupt`,
//! which also stops a statement still gathering FTS candidates, before any row).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cchc::store::{Store, TaskFilter};
use cchc::tui::search_worker::{MAX_HITS, Outcome, SearchRequest, SearchWorker, store_search};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let db = args
        .next()
        .ok_or("usage: search-abandon FILE [--wait-ms 50]")?;
    let mut wait = Duration::from_millis(50);
    while let Some(a) = args.next() {
        if a == "--wait-ms" {
            wait = Duration::from_millis(args.next().ok_or("--wait-ms N")?.parse()?);
        }
    }
    let store = Store::open(db.as_ref(), "bench", Default::default())?;
    let all = TaskFilter::default();
    println!(
        "query                 full      rows-check stop   worker stop   (stop asked {wait:?} in)"
    );
    for q in ["n", "noi vu", "\"thu tuc\"", "\"chinh quyen\""] {
        let t = Instant::now();
        let full = store.search_best(q, &all, MAX_HITS, &|| false)?;
        let full_t = t.elapsed();
        let total = full.map_or(0, |r| r.total);

        // The check between rows alone: a flag set from another thread.
        let flag = Arc::new(AtomicBool::new(false));
        let setter = Arc::clone(&flag);
        let asked = std::thread::spawn(move || {
            std::thread::sleep(wait);
            setter.store(true, Ordering::SeqCst);
            Instant::now()
        });
        let out = store.search_best(q, &all, MAX_HITS, &|| flag.load(Ordering::SeqCst))?;
        let ended = Instant::now();
        let asked = asked.join().map_err(|_| "thread")?;
        let rows_stop = ended.saturating_duration_since(asked);
        let rows_stopped = out.is_none();

        // The worker: a newer request after `wait`.
        let mut worker = SearchWorker::default();
        let search = store_search();
        let request = |id, query: &str| SearchRequest {
            id,
            query: query.into(),
            filter: TaskFilter::default(),
        };
        // Opened and warmed first, so that the figure is the stop, not the open.
        worker.submit(store.reader(), &search, request(1, "#1"));
        worker.wait_idle(Duration::from_secs(60));
        worker.submit(store.reader(), &search, request(2, q));
        std::thread::sleep(wait);
        let newer = Instant::now();
        worker.submit(store.reader(), &search, request(3, "#2"));
        let mut stopped_at = None;
        let deadline = Instant::now() + Duration::from_secs(60);
        while stopped_at.is_none() && Instant::now() < deadline {
            for answer in worker.wait_answers(Duration::from_millis(1)) {
                if answer.id == 2 {
                    let abandoned = matches!(answer.outcome, Outcome::Abandoned);
                    stopped_at = Some((Instant::now(), abandoned));
                }
            }
        }
        let (at, abandoned) = stopped_at.ok_or("no answer")?;
        println!(
            "{q:<18} {:>9.1} ms {:>9.1} ms{} {:>9.1} ms{}   ({total} hits)",
            full_t.as_secs_f64() * 1e3,
            rows_stop.as_secs_f64() * 1e3,
            if rows_stopped { " " } else { "*" },
            at.saturating_duration_since(newer).as_secs_f64() * 1e3,
            if abandoned { " " } else { "*" },
        );
    }
    println!("* finished before the stop was asked");
    Ok(())
}
