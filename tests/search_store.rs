//! `cchc tasks --search` over the store's search table: the same tasks as the full scan of
//! every task (the matcher is the single truth, the table only prunes), ranked by score, kept
//! in step by cchc's writes and by other tools' writes, on a new and on a migrated file.

mod common;

use std::collections::HashMap;
use std::path::Path;

use cchc::model::TaskPatch;
use cchc::store::{OpenOptions, SearchHit, Store, TaskFilter};
use common::{Sandbox, assert_success, json, stdout};

/// Ids `tasks --search q` prints, in its order.
fn cli_ids(sb: &Sandbox, db: &Path, q: &str) -> Vec<i64> {
    let out = sb
        .cchc()
        .args(["tasks", "--search", q, "--format", "json", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert_success(&out);
    json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

/// Every listed task's score for `q`, found the old way: every task and note read, matched.
fn full_scan(db: &Path, q: &str) -> HashMap<i64, i64> {
    let store = Store::open(db, "tester", OpenOptions::default()).unwrap();
    let tasks = store.tasks(&TaskFilter::default()).unwrap();
    let agencies = store.agencies().unwrap();
    let names: HashMap<&str, &str> = agencies
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let notes = store.notes_text().unwrap();
    cchc::search::index_tasks(&tasks, &names, &notes)
        .search(q)
        .into_iter()
        .map(|h| (h.id, h.score))
        .collect()
}

const QUERIES: &[&str] = &[
    "noi vu",
    "\"noi vu\"",
    "dat dai",
    "bao cao quy",
    "quy bao cao",
    "thong suot TTHC lien thong",
    "\"thu tuc hanh chinh\"",
    "\"chinh quyen so\"",
    "chuyen doi so",
    "#157",
    "#173 bao cao",
    "V.1.5/SNV/2026-Q1",
    "v",
    "xy",
    "bcaoqy",
    "\"bao cao ket qua thuc hien\"",
    "zzzzzzzzz",
];

/// Same set as the full scan, best score first.
fn assert_same_as_full_scan(sb: &Sandbox, db: &Path) {
    for q in QUERIES {
        let got = cli_ids(sb, db, q);
        let want = full_scan(db, q);
        let mut sorted = got.clone();
        sorted.sort_unstable();
        let mut expected: Vec<i64> = want.keys().copied().collect();
        expected.sort_unstable();
        assert_eq!(sorted, expected, "query {q:?}");
        let scores: Vec<i64> = got.iter().map(|id| want[id]).collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "query {q:?} not ranked: {scores:?}"
        );
    }
}

/// FTS5's own check of the index against the text table it was built from: a refresh that
/// forgot a row, or gave the index a wrong old text, fails it.
fn assert_index_sound(db: &Path) {
    if common::on_postgres() {
        return; // no FTS5 there: the trigram index is the server's own, kept by itself
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        "INSERT INTO task_search (task_search, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .unwrap();
}

fn assert_doctor_clean(sb: &Sandbox, db: &Path) {
    let out = sb
        .cchc()
        .arg("doctor")
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(!stdout(&out).contains("FAIL"), "{}", stdout(&out));
}

#[test]
fn search_equals_the_full_scan_ranked_on_a_new_file() {
    let sb = Sandbox::new();
    let db = sb.init_db("new.sqlite3");
    assert_doctor_clean(&sb, &db);
    assert!(!cli_ids(&sb, &db, "bao cao quy").is_empty());
    assert_same_as_full_scan(&sb, &db);
}

#[test]
fn cchc_writes_and_other_tools_writes_are_found() {
    let sb = Sandbox::new();
    let db = sb.init_db("w.sqlite3");
    // A note written by cchc (the write refreshes the table in its transaction).
    let out = sb
        .cchc()
        .args([
            "task",
            "set",
            "157",
            "--note",
            "kiểm tra quặng ĐÁNGCHÚÝ",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(cli_ids(&sb, &db, "quang dangchuy"), [157]);
    // A title and an agency name changed by another tool: only the triggers' marks tell.
    common::engine::execute(
        &db,
        "UPDATE tasks SET title = 'Rà soát khoángsảnđặcbiệt' WHERE id = 12",
    )
    .unwrap();
    common::engine::execute(
        &db,
        "UPDATE agencies SET name = 'Sở Nội vụ Thửnghiệmtên' WHERE code = 'SNV'",
    )
    .unwrap();
    assert_eq!(cli_ids(&sb, &db, "khoangsandacbiet"), [12]);
    assert!(cli_ids(&sb, &db, "\"bao cao\" khoangsandacbiet").is_empty());
    assert!(cli_ids(&sb, &db, "thunghiemten").len() > 10);
    assert_same_as_full_scan(&sb, &db);
    // The next write of cchc's refreshes what the other tool changed.
    let out = sb
        .cchc()
        .args(["task", "set", "13", "--progress", "10", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(
        common::sql_count(&db, "SELECT count(*) FROM task_search_stale"),
        0
    );
    assert_index_sound(&db);
    assert_eq!(cli_ids(&sb, &db, "khoangsandacbiet"), [12]);
    // (`doctor` rightly reports those two changes as made outside cchc.)
}

#[test]
fn a_file_from_before_the_search_table_is_migrated_clean() {
    if common::sqlite_only("SQLite's schema history (the server's schema starts at version 9)") {
        return;
    }
    let sb = Sandbox::new();
    let db = sb.init_db("old.sqlite3");
    // What the previous schema (version 7) had: no search table, no search triggers (nor
    // migration 11's agency addresses).
    let conn = rusqlite::Connection::open(&db).unwrap();
    let user_version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        user_version,
        cchc::store::SCHEMA_VERSION,
        "the search table is migration 8, before the tally's moves"
    );
    conn.execute_batch(
        "DROP TRIGGER task_search_task_insert; DROP TRIGGER task_search_task_update;
         DROP TRIGGER task_search_task_delete; DROP TRIGGER task_search_note_insert;
         DROP TRIGGER task_search_note_update; DROP TRIGGER task_search_note_delete;
         DROP TRIGGER task_search_agency_update;
         DROP TABLE task_search; DROP TABLE task_search_text; DROP TABLE task_search_stale;
         ALTER TABLE agencies DROP COLUMN email; ALTER TABLE agencies DROP COLUMN addressee;
         PRAGMA user_version = 7;",
    )
    .unwrap();
    drop(conn);
    // Opened for writing (as by any member), the file is upgraded.
    drop(Store::open(&db, "tester", OpenOptions::default()).unwrap());
    assert_eq!(
        common::sql_count(&db, "PRAGMA user_version"),
        cchc::store::SCHEMA_VERSION
    );
    assert_doctor_clean(&sb, &db);
    assert_eq!(cli_ids(&sb, &db, "#20"), [20]);
    assert_same_as_full_scan(&sb, &db);
    assert_index_sound(&db);
    let stale = common::sql_count(&db, "SELECT count(*) FROM task_search_stale");
    assert_eq!(stale, 0);
    // Every listed task is indexed; withdrawn ones are not listed, so not searched.
    let indexed = common::sql_count(&db, "SELECT count(*) FROM task_search");
    assert_eq!(
        indexed,
        common::sql_count(&db, "SELECT count(*) FROM tasks WHERE withdrawn_on IS NULL")
    );
}

#[test]
fn doctor_names_a_search_trigger_that_was_changed() {
    if common::sqlite_only("SQLite's trigger text (the server's triggers: tests/pg_store.rs)") {
        return;
    }
    let sb = Sandbox::new();
    let db = sb.init_db("t.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER task_search_note_insert;
         CREATE TRIGGER task_search_note_insert AFTER INSERT ON notes BEGIN SELECT 1; END;",
    )
    .unwrap();
    drop(conn);
    let out = sb
        .cchc()
        .arg("doctor")
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let all = format!("{}{}", stdout(&out), common::stderr(&out));
    assert!(all.contains("task_search_note_insert"), "{all}");
}

fn open(db: &Path) -> Store {
    Store::open(db, "tester", OpenOptions::default()).unwrap()
}

fn hit_ids(hits: &[SearchHit]) -> Vec<i64> {
    hits.iter().map(|h| h.id).collect()
}

/// `Store::search` (what the TUI calls) gives the full scan's hits and scores, best first and
/// ties by id, for every query of the list, with and without a filter.
#[test]
fn store_search_ranks_like_the_full_scan_and_breaks_ties_by_id() {
    let sb = Sandbox::new();
    let db = sb.init_db("rank.sqlite3");
    let store = open(&db);
    for q in QUERIES {
        let hits = store.search(q, &TaskFilter::default()).unwrap();
        let mut want: Vec<SearchHit> = full_scan(&db, q)
            .into_iter()
            .map(|(id, score)| SearchHit { id, score })
            .collect();
        want.sort_by_key(|h| (std::cmp::Reverse(h.score), h.id));
        assert_eq!(hits, want, "query {q:?}");
    }
}

/// A better match ranks first: the phrase as typed beats the same letters spread out.
#[test]
fn a_better_match_ranks_first() {
    let sb = Sandbox::new();
    let db = sb.init_db("better.sqlite3");
    let mut store = open(&db);
    let set_title = |store: &mut Store, id: i64, title: &str| {
        let patch = TaskPatch {
            title: Some(title.into()),
            ..Default::default()
        };
        store.update_task(id, None, &patch, None).unwrap();
    };
    set_title(&mut store, 30, "Kiểm tra qxuxaxnxgx rời rạc");
    set_title(&mut store, 40, "Kiểm tra quặng liền mạch");
    let hits = store.search("quang", &TaskFilter::default()).unwrap();
    let ids = hit_ids(&hits);
    let pos = |id| ids.iter().position(|&x| x == id);
    assert!(pos(40).is_some(), "{hits:?}");
    // "q x u x a x n x g" spreads five letters over nine: too loose to match at all.
    assert_eq!(pos(30), None, "{hits:?}");
    set_title(&mut store, 30, "Kiểm tra q-uang gần liền");
    let hits = store.search("quang", &TaskFilter::default()).unwrap();
    let ids = hit_ids(&hits);
    let (a, b) = (
        ids.iter().position(|&x| x == 40).unwrap(),
        ids.iter().position(|&x| x == 30).unwrap(),
    );
    assert!(a < b, "the unbroken word ranks first: {hits:?}");
    assert!(hits[a].score > hits[b].score, "{hits:?}");
}

/// The filter's area, agency and overdue narrow the hits exactly as they narrow the list.
#[test]
fn the_filter_narrows_the_hits_as_it_narrows_the_list() {
    let sb = Sandbox::new();
    let db = sb.init_db("filter.sqlite3");
    let store = open(&db);
    let today = chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
    let all = store.search("bao cao", &TaskFilter::default()).unwrap();
    let filters = [
        TaskFilter {
            area: Some("chi-dao".into()),
            ..Default::default()
        },
        TaskFilter {
            lead_agencies: Some(vec!["SNV".into()]),
            ..Default::default()
        },
        TaskFilter {
            overdue_on: Some(today),
            ..Default::default()
        },
        TaskFilter {
            area: Some("chi-dao".into()),
            overdue_on: Some(today),
            ..Default::default()
        },
    ];
    for f in filters {
        let listed: std::collections::HashSet<i64> =
            store.tasks(&f).unwrap().iter().map(|t| t.id).collect();
        let want: Vec<SearchHit> = all
            .iter()
            .copied()
            .filter(|h| listed.contains(&h.id))
            .collect();
        let got = store.search("bao cao", &f).unwrap();
        assert!(
            !got.is_empty() && got.len() < all.len(),
            "{f:?}: {}",
            got.len()
        );
        assert_eq!(got, want, "{f:?}");
        // Exact terms go through the filter too.
        let first = want[0].id;
        assert_eq!(
            hit_ids(&store.search(&format!("#{first}"), &f).unwrap()),
            [first]
        );
        let outside = all.iter().find(|h| !listed.contains(&h.id)).unwrap().id;
        assert!(store.search(&format!("#{outside}"), &f).unwrap().is_empty());
    }
}

/// A write through the same store is found by its next search, and a write by another
/// process (`cchc task set`, a note) is found by a store opened before it.
#[test]
fn writes_here_and_in_another_process_are_found() {
    let sb = Sandbox::new();
    let db = sb.init_db("live.sqlite3");
    let mut store = open(&db);
    assert!(
        store
            .search("tuyetvoimoi", &TaskFilter::default())
            .unwrap()
            .is_empty()
    );
    let patch = TaskPatch {
        title: Some("Thí điểm tuyệtvờimới".into()),
        ..Default::default()
    };
    store.update_task(21, None, &patch, None).unwrap();
    assert_eq!(
        hit_ids(&store.search("tuyetvoimoi", &TaskFilter::default()).unwrap()),
        [21]
    );
    for (args, query, id) in [
        (
            vec!["task", "set", "22", "--title", "Khảo sát đườngbiênmới"],
            "duongbienmoi",
            22,
        ),
        (
            vec!["task", "set", "23", "--note", "ghi chú ngoạilệmới"],
            "ngoailemoi",
            23,
        ),
    ] {
        let out = sb.cchc().args(&args).arg("--db").arg(&db).output().unwrap();
        assert_success(&out);
        assert_eq!(
            hit_ids(&store.search(query, &TaskFilter::default()).unwrap()),
            [id],
            "{args:?}"
        );
    }
}

/// The TUI's capped search (issue 11): the best `cap` hits, exactly the head of the full
/// ranking, the count of all, and nothing once told to stop.
#[test]
fn search_best_keeps_the_head_of_the_ranking_counts_all_and_stops_when_told() {
    let sb = Sandbox::new();
    let db = sb.init_db("best.sqlite3");
    let store = open(&db);
    for q in ["bao cao", "n", "noi vu", "\"bao cao\""] {
        let all = store.search(q, &TaskFilter::default()).unwrap();
        assert!(all.len() > 10, "{q}: {} hits", all.len());
        for cap in [1, 7, all.len() - 1, all.len(), all.len() + 5] {
            let best = store
                .search_best(q, &TaskFilter::default(), cap, &|| false)
                .unwrap()
                .expect("never told to stop");
            assert_eq!(best.total, all.len(), "{q} cap {cap}");
            assert_eq!(best.hits, all[..cap.min(all.len())], "{q} cap {cap}");
        }
    }
    // Asked after every few hundred rows and at the end: a stop that comes at any time ends it.
    let asked = std::cell::Cell::new(0);
    let stop = || {
        asked.set(asked.get() + 1);
        asked.get() > 1
    };
    let stopped = store
        .search_best("n", &TaskFilter::default(), 10, &stop)
        .unwrap();
    assert_eq!(stopped, None);
    assert!(asked.get() >= 2);
}
