//! The worker over a real seeded file: the newest request wins, a running search is abandoned
//! when a newer one comes, and a search that finishes anyway is never answered as current.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::tui::testkit;

const WAIT: Duration = Duration::from_secs(30);

fn request(id: u64, query: &str) -> SearchRequest {
    SearchRequest {
        id,
        query: query.into(),
        filter: TaskFilter::default(),
    }
}

fn hit_ids(r: &RankedHits) -> Vec<i64> {
    r.hits.iter().map(|h| h.id).collect()
}

/// A search function whose request `slow` tells `started` it runs, then waits for `release`
/// (or, with `obey_stop`, for its stop signal) before searching the real store as usual.
fn held_back(
    obey_stop: bool,
) -> (
    SearchFn,
    mpsc::Receiver<()>,
    mpsc::Sender<()>,
    Arc<Mutex<bool>>,
) {
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let (started_tx, release_rx) = (Mutex::new(started_tx), Mutex::new(release_rx));
    let saw_stop = Arc::new(Mutex::new(false));
    let saw = Arc::clone(&saw_stop);
    let real = store_search();
    let search: SearchFn = Arc::new(move |store, request, stop| {
        if request.query == "slow" {
            started_tx.lock().unwrap().send(()).unwrap();
            if obey_stop {
                let deadline = Instant::now() + WAIT;
                while !stop() && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(1));
                }
                *saw.lock().unwrap() = stop();
                // The real search, told to stop: it stops.
                return store.search_best("bao cao", &request.filter, MAX_HITS, stop);
            }
            let _ = release_rx.lock().unwrap().recv_timeout(WAIT);
            // Finishes whatever happened meanwhile, with real hits.
            return store.search_best("bao cao", &request.filter, MAX_HITS, &|| false);
        }
        real(store, request, stop)
    });
    (search, started, release, saw_stop)
}

#[test]
fn a_newer_request_stops_the_running_one_and_only_the_newer_is_answered_with_hits() {
    let f = testkit::app();
    let (search, started, _release, saw_stop) = held_back(true);
    let mut worker = SearchWorker::default();
    worker.submit(f.app.store().reader(), &search, request(1, "slow"));
    started.recv_timeout(WAIT).expect("the first search runs");
    worker.submit(f.app.store().reader(), &search, request(2, "noi vu"));
    let answers = worker.wait_idle(WAIT);
    assert!(worker.idle());
    assert!(
        *saw_stop.lock().unwrap(),
        "the running search was told to stop"
    );
    let want = f
        .app
        .store()
        .search("noi vu", &TaskFilter::default())
        .unwrap();
    let mut got_hits = Vec::new();
    for answer in &answers {
        match (&answer.id, &answer.outcome) {
            (1, Outcome::Abandoned) => {}
            (2, Outcome::Hits(h)) => got_hits.push(hit_ids(h)),
            other => panic!("unexpected answer {other:?}"),
        }
    }
    let want: Vec<i64> = want.iter().map(|h| h.id).collect();
    assert_eq!(got_hits, vec![want]);
}

#[test]
fn a_stale_search_that_finishes_anyway_is_answered_as_abandoned() {
    let f = testkit::app();
    let (search, started, release, _) = held_back(false);
    let mut worker = SearchWorker::default();
    worker.submit(f.app.store().reader(), &search, request(1, "slow"));
    started.recv_timeout(WAIT).expect("the first search runs");
    // The newer request arrives while the first still runs, which then finishes with hits.
    worker.submit(f.app.store().reader(), &search, request(2, "dat dai"));
    release.send(()).unwrap();
    let answers = worker.wait_idle(WAIT);
    let ids: Vec<(u64, bool)> = answers
        .iter()
        .map(|a| (a.id, matches!(a.outcome, Outcome::Hits(_))))
        .collect();
    assert_eq!(ids, vec![(1, false), (2, true)]);
}

#[test]
fn only_the_newest_of_queued_requests_runs_and_cancel_answers_abandoned() {
    let f = testkit::app();
    let (search, started, release, _) = held_back(false);
    let mut worker = SearchWorker::default();
    worker.submit(f.app.store().reader(), &search, request(1, "slow"));
    started.recv_timeout(WAIT).unwrap();
    // Three more while the first runs: only the last is searched.
    for (id, q) in [(2, "n"), (3, "no"), (4, "noi")] {
        worker.submit(f.app.store().reader(), &search, request(id, q));
    }
    release.send(()).unwrap();
    let answers = worker.wait_idle(WAIT);
    let ids: Vec<u64> = answers.iter().map(|a| a.id).collect();
    assert_eq!(ids, vec![1, 4], "2 and 3 were superseded in the queue");
    // Esc: nobody waits for 5 any more.
    worker.submit(f.app.store().reader(), &search, request(5, "slow"));
    started.recv_timeout(WAIT).unwrap();
    worker.cancel();
    release.send(()).unwrap();
    let answers = worker.wait_idle(WAIT);
    assert!(matches!(
        answers.as_slice(),
        [SearchAnswer {
            id: 5,
            outcome: Outcome::Abandoned
        }]
    ));
}

#[test]
fn a_file_that_cannot_be_opened_is_answered_with_why_and_a_restart_tries_again() {
    let f = testkit::app();
    let missing = f.path.with_file_name("gone.sqlite3");
    let mut worker = SearchWorker::default();
    let open = move || Store::open(&missing, "tester", Default::default());
    worker.submit(open, &store_search(), request(1, "noi vu"));
    let answers = worker.wait_idle(WAIT);
    assert!(
        matches!(
            answers.as_slice(),
            [SearchAnswer {
                id: 1,
                outcome: Outcome::Failed(crate::error::Error::NoDatabase(_))
            }]
        ),
        "{answers:?}"
    );
    worker.restart();
    worker.submit(
        f.app.store().reader(),
        &store_search(),
        request(2, "noi vu"),
    );
    let answers = worker.wait_idle(WAIT);
    assert!(matches!(answers[0].outcome, Outcome::Hits(_)));
}
