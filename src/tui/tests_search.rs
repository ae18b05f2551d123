//! The search box with its searches off the input thread (issue 11): the typed text shows at
//! once over the previous list, a stale answer is never shown, and Esc while a search runs
//! leaves the list without it. The app's own worker over the real file, with one query held
//! back to make it slow.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::action::Action;
use super::search_worker::{MAX_HITS, Outcome, SearchAnswer, SearchFn, store_search};
use super::testkit::{self, Setup, app, draw_text};
use crate::model::Lang;
use crate::store::TaskFilter;

const WAIT: Duration = Duration::from_secs(30);

/// Holds the search for `slow` until `release` says go (then searches it for real, ignoring
/// any stop: a search that finishes anyway); `started` hears when it begins.
fn hold_back(slow: &'static str) -> (SearchFn, mpsc::Receiver<()>, mpsc::Sender<()>) {
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let (started_tx, release_rx) = (Mutex::new(started_tx), Mutex::new(release_rx));
    let real = store_search();
    let search: SearchFn = Arc::new(move |store, request, stop| {
        if request.query == slow {
            let _ = started_tx.lock().unwrap().send(());
            let _ = release_rx.lock().unwrap().recv_timeout(WAIT);
            return store.search_best(&request.query, &request.filter, MAX_HITS, &|| false);
        }
        real(store, request, stop)
    });
    (search, started, release)
}

fn search_ids(f: &testkit::Fixture, query: &str) -> Vec<i64> {
    f.app
        .store()
        .search(query, &TaskFilter::default())
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect()
}

fn listed_ids(f: &testkit::Fixture) -> Vec<i64> {
    f.app.browse.list.listed_ids(f.app.store()).unwrap()
}

#[test]
fn a_slow_stale_search_is_never_shown_after_a_newer_query() {
    let mut f = app();
    f.app.settle_searches(false);
    let (search, started, release) = hold_back("bao");
    f.app.set_search_fn(search);
    f.app.update(Action::Search);
    f.type_text("bao");
    started
        .recv_timeout(WAIT)
        .expect("\"bao\" is being searched");
    let stale = f.app.browse.list.search_waited_for().unwrap();
    // The typed text is there at once, the search still running.
    assert!(f.app.search_pending());
    let screen = draw_text(&f);
    assert!(
        screen.contains("Tìm: bao ") && screen.contains("đang tìm…"),
        "{screen}"
    );
    f.type_text(" cao quy");
    let newest = f.app.browse.list.search_waited_for().unwrap();
    assert!(newest > stale);
    let before = listed_ids(&f);
    // An answer to the older request, however it comes, changes nothing.
    let old_hits = f
        .app
        .store()
        .search_best("bao", &TaskFilter::default(), MAX_HITS, &|| false)
        .unwrap()
        .unwrap();
    let old_answer = SearchAnswer {
        id: stale,
        outcome: Outcome::Hits(old_hits),
    };
    let rows = 20;
    let store = f.app.store().reader()().unwrap();
    assert!(
        !f.app
            .browse
            .list
            .take_search_answer(old_answer, &store, rows)
            .unwrap()
    );
    assert_eq!(listed_ids(&f), before);
    assert_eq!(f.app.browse.list.search_waited_for(), Some(newest));
    // The held search finishes with its (stale) hits; the newer query's hits are shown.
    release.send(()).unwrap();
    assert!(f.app.wait_for_search(WAIT));
    assert!(f.app.wait_for_search_worker(WAIT));
    let want = search_ids(&f, "bao cao quy");
    assert_ne!(want, search_ids(&f, "bao"), "the two queries differ");
    assert_eq!(listed_ids(&f), want);
    assert_eq!(f.app.browse.list.len(), want.len());
    assert!(!draw_text(&f).contains("đang tìm"));
}

#[test]
fn esc_while_a_search_runs_leaves_the_list_without_it() {
    let mut f = app();
    f.app.settle_searches(false);
    let all = listed_ids(&f);
    let (search, started, release) = hold_back("noi vu");
    f.app.set_search_fn(search);
    f.app.update(Action::Search);
    f.type_text("noi vu");
    started
        .recv_timeout(WAIT)
        .expect("\"noi vu\" is being searched");
    assert!(f.app.search_pending());
    // Arrows still move while it runs.
    let selected = f.app.browse.list.cursor.selected;
    f.app.update(Action::MoveDown);
    assert_eq!(f.app.browse.list.cursor.selected, selected + 1);
    f.app.update(Action::Cancel);
    assert!(!f.app.browse.list.search.is_active());
    assert!(!f.app.search_pending());
    assert_eq!(listed_ids(&f), all);
    // The held search ends and is answered; the list stays without the search.
    release.send(()).unwrap();
    assert!(f.app.wait_for_search_worker(WAIT));
    assert!(!f.app.browse.list.search.is_active());
    assert_eq!(listed_ids(&f), all);
    assert_eq!(f.app.browse.list.len(), all.len());
    let screen = draw_text(&f);
    assert!(
        !screen.contains("Tìm:") && !screen.contains("đang tìm"),
        "{screen}"
    );
}

#[test]
fn enter_while_a_search_runs_keeps_it_and_the_hits_come_after() {
    let mut f = testkit::fixture(Setup {
        lang: Lang::En,
        ..Default::default()
    });
    f.app.settle_searches(false);
    let (search, started, release) = hold_back("dat dai");
    f.app.set_search_fn(search);
    f.app.update(Action::Search);
    f.type_text("dat dai");
    started.recv_timeout(WAIT).unwrap();
    let screen = draw_text(&f);
    assert!(
        screen.contains("Find: dat dai ") && screen.contains("searching…"),
        "{screen}"
    );
    f.app.update(Action::Confirm);
    assert!(!f.app.text_focus());
    assert!(f.app.browse.list.search.is_active());
    release.send(()).unwrap();
    assert!(f.app.wait_for_search(WAIT));
    assert_eq!(listed_ids(&f), search_ids(&f, "dat dai"));
    assert!(!draw_text(&f).contains("searching"));
}
