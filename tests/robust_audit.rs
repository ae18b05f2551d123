//! The audit trail and the safety net: the change log's hash chain names the first entry that
//! was tampered with, `cchc backup` makes a verified copy while others write, and
//! `cchc doctor` says whether the file is healthy.

mod common;

use std::path::Path;
use std::process::{Output, Stdio};

use common::*;

fn run(sb: &Sandbox, db: &Path, args: &[&str]) -> Output {
    sb.cchc()
        .args(args)
        .args(["--lang", "en", "--db"])
        .arg(db)
        .output()
        .unwrap()
}

/// A database with a few entries after the seed (ids 2..=6).
fn with_history(sb: &Sandbox) -> std::path::PathBuf {
    let db = sb.init_db("audit.sqlite3");
    for i in 0..5 {
        assert_success(&run(
            sb,
            &db,
            &["task", "set", "1", "--note", &format!("ghi chú {i}")],
        ));
    }
    db
}

/// Someone with the file and the sqlite3 tool: drop the append-only triggers, then `sql`.
fn tamper(db: &Path, sql: &str) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch("DROP TRIGGER change_log_no_update; DROP TRIGGER change_log_no_delete;")
        .unwrap();
    c.execute_batch(sql).unwrap();
}

#[test]
fn log_verify_passes_on_an_honest_file_and_prints_the_head_hash() {
    let sb = Sandbox::new();
    let db = with_history(&sb);
    let out = run(&sb, &db, &["log", "--verify"]);
    assert_success(&out);
    let head: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT hash FROM change_log ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(stdout(&out).contains(&head), "{}", stdout(&out));
    assert!(stdout(&out).contains("6 entries"), "{}", stdout(&out));
}

#[test]
fn an_edited_entry_is_named_by_log_verify_and_doctor() {
    let sb = Sandbox::new();
    let db = with_history(&sb);
    tamper(
        &db,
        "UPDATE change_log SET note = 'ghi chú đã sửa' WHERE id = 4;",
    );
    let out = run(&sb, &db, &["log", "--verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("entry 4 does not match"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let out = run(&sb, &db, &["doctor"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no {name} line in {text}"))
            .to_string()
    };
    assert!(
        line("change log").contains("FAIL") && line("change log").contains("entry 4"),
        "{text}"
    );
    assert!(line("append-only").contains("FAIL"), "{text}");
    assert!(
        line("integrity").contains("ok"),
        "SQLite itself sees nothing wrong: {text}"
    );
}

#[test]
fn a_removed_entry_is_found_at_the_next_one() {
    let sb = Sandbox::new();
    let db = with_history(&sb);
    tamper(&db, "DELETE FROM change_log WHERE id = 3;");
    let out = run(&sb, &db, &["log", "--verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("entry 4 does not match"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rewritten_hash_is_found_too() {
    let sb = Sandbox::new();
    let db = with_history(&sb);
    // Editing an entry and recomputing only its own hash breaks the link to the next one.
    let c = rusqlite::Connection::open(&db).unwrap();
    let prev: String = c
        .query_row("SELECT prev_hash FROM change_log WHERE id = 5", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(c);
    tamper(
        &db,
        &format!(
            "UPDATE change_log SET hash = '{}' WHERE id = 5;",
            prev.replace('\'', "")
        ),
    );
    let out = run(&sb, &db, &["log", "--verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("entry 5"), "{}", stderr(&out));
}

#[test]
fn doctor_reports_a_healthy_file() {
    let sb = Sandbox::new();
    let db = with_history(&sb);
    let before = std::fs::read(&db).unwrap();
    let out = run(&sb, &db, &["doctor"]);
    assert_success(&out);
    let text = stdout(&out);
    for name in ["integrity", "change log", "schema", "journal", "contents"] {
        assert!(text.contains(name), "{name} missing: {text}");
    }
    assert!(!text.contains("FAIL"), "{text}");
    assert!(text.contains("mode wal"), "{text}");
    assert!(text.contains("No problems found"), "{text}");
    let v = json(&run(&sb, &db, &["doctor", "--format", "json"]));
    assert_eq!(v["healthy"], true);
    assert!(v["checks"].as_array().unwrap().len() >= 8);
    // Diagnosing changes nothing.
    assert!(
        std::fs::read(&db).unwrap() == before,
        "doctor changed the file"
    );
}

#[test]
fn backup_makes_a_verified_single_file_copy_and_never_overwrites() {
    let sb = Sandbox::new();
    let db = with_history(&sb);
    let copy = sb.path("backup-2026-09-30.sqlite3");
    let out = run(&sb, &db, &["backup", copy.to_str().unwrap()]);
    assert_success(&out);
    assert!(stdout(&out).contains("verified"), "{}", stdout(&out));
    // A single self-contained file: rollback journal, no side files needed.
    let mode: String = rusqlite::Connection::open(&copy)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    assert_success(&run(&sb, &copy, &["log", "--verify"]));
    let tasks = |p: &Path| json(&run(&sb, p, &["tasks", "--format", "json"]));
    assert_eq!(tasks(&db), tasks(&copy));
    assert_eq!(
        sql_count(&copy, "SELECT count(*) FROM notes"),
        sql_count(&db, "SELECT count(*) FROM notes")
    );

    let kept = std::fs::read(&copy).unwrap();
    let out = run(&sb, &db, &["backup", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert!(
        std::fs::read(&copy).unwrap() == kept,
        "the old backup changed"
    );

    let nowhere = sb.path("no/such/dir/b.sqlite3");
    let out = run(&sb, &db, &["backup", nowhere.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot create"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn backup_while_members_write_is_consistent() {
    let sb = Sandbox::new();
    let db = sb.init_db("busy.sqlite3");
    // What is tested is that every copy is one consistent snapshot, not how long a process
    // queues for the lock: under load (2 cores, several test binaries) a writer or a backup can
    // be kept waiting past the default 5 s, so they wait as long as the many-writer tests do.
    const PATIENT: (&str, &str) = ("CCHC_BUSY_TIMEOUT_MS", "30000");
    let writers: Vec<_> = (0..3)
        .map(|w| {
            sb.cchc()
                .env(PATIENT.0, PATIENT.1)
                .args([
                    "__write-loop",
                    "--task",
                    &(w + 1).to_string(),
                    "--count",
                    "400",
                ])
                .args(["--tag", &format!("w{w}"), "--db"])
                .arg(&db)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Start the backups once the writers are really writing (on a loaded machine they may take
    // a while to start), rather than after a fixed pause.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sql_count(&db, "SELECT count(*) FROM change_log") < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the writers never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let copies: Vec<_> = (0..3)
        .map(|i| {
            let copy = sb.path(&format!("during-{i}.sqlite3"));
            let out = sb
                .cchc()
                .env(PATIENT.0, PATIENT.1)
                .args(["backup", "--lang", "en", "--db"])
                .arg(&db)
                .arg(&copy)
                .output()
                .unwrap();
            assert_success(&out);
            copy
        })
        .collect();
    for w in writers {
        let out = w.wait_with_output().unwrap();
        assert_success(&out);
    }
    let total = sql_count(&db, "SELECT count(*) FROM change_log");
    assert_eq!(total, 1 + 3 * 400);
    let mut mid_write = false;
    for copy in &copies {
        let c = rusqlite::Connection::open(copy).unwrap();
        assert_eq!(
            cchc::store::verify_chain_of(&cchc::store::Db::Sqlite(
                rusqlite::Connection::open(c.path().unwrap()).unwrap()
            ))
            .unwrap(),
            None
        );
        let n: i64 = c
            .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
            .unwrap();
        assert!(n <= total);
        mid_write |= n > 1 && n < total;
        // One snapshot: every note and measurement in the copy has its log entry.
        let entries: i64 = c
            .query_row(
                "SELECT count(*) FROM change_log WHERE action IN ('note', 'update', 'measure')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let rows: i64 = c
            .query_row(
                "SELECT (SELECT count(*) FROM notes) + (SELECT count(*) FROM measurements)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(entries, rows, "{}", copy.display());
    }
    assert!(mid_write, "no backup was taken while the members wrote");
}
