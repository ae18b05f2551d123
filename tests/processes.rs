//! Several real processes on one file, as members at their own terminals.

mod common;

use std::process::Stdio;

use common::*;

#[test]
fn six_members_starting_together_on_a_fresh_default_file() {
    let sb = Sandbox::new();
    let children: Vec<_> = (0..6)
        .map(|_| {
            sb.cchc()
                .args(["tasks", "--format", "json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let counts: Vec<usize> = outputs
        .iter()
        .map(|o| json(o).as_array().unwrap().len())
        .collect();
    assert!(
        counts.iter().all(|c| *c == counts[0] && *c > 0),
        "{counts:?}"
    );
    let db = sb.dir.path().join("home/data/cchc/cchc.sqlite3");
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM change_log WHERE action = 'seed'"),
        1
    );
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM tasks"),
        counts[0] as i64
    );
}

#[test]
fn two_writers_with_the_same_expected_version_exactly_one_wins() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let children: Vec<_> = ["30", "70"]
        .iter()
        .map(|p| {
            sb.cchc()
                .args([
                    "task",
                    "set",
                    "5",
                    "--progress",
                    p,
                    "--expect-version",
                    "1",
                    "--db",
                ])
                .arg(&db)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut codes: Vec<i32> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code().unwrap())
        .collect();
    codes.sort();
    assert_eq!(codes, vec![0, 3]);
    assert_eq!(sql_count(&db, "SELECT version FROM tasks WHERE id = 5"), 2);
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM change_log WHERE entity = 'task'"),
        1
    );
}

#[test]
fn eight_processes_times_fifty_writes_lose_nothing() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let workers: Vec<_> = (0..8)
        .map(|p| {
            let db = db.clone();
            let exe = env!("CARGO_BIN_EXE_cchc");
            let home = sb.dir.path().join("home");
            std::thread::spawn(move || {
                for i in 0..50 {
                    let out = std::process::Command::new(exe)
                        .env("HOME", &home)
                        .env("CCHC_USER", format!("member{p}"))
                        // Nothing lost is tested, not how long a writer queues: eight writers
                        // on 2 cores can keep one waiting past the default 5 s.
                        .env("CCHC_BUSY_TIMEOUT_MS", "30000")
                        .args(["task", "set", &((p % 3) + 1).to_string()])
                        .args(["--progress", &((i * 8 + p) % 100).to_string()])
                        .args(["--note", &format!("p{p} i{i}")])
                        .arg("--db")
                        .arg(&db)
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "p{p} i{i}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM change_log WHERE entity = 'task'"),
        400
    );
    assert_eq!(sql_count(&db, "SELECT count(*) FROM notes"), 400);
    let store = cchc::store::Store::open(&db, "tester", Default::default()).unwrap();
    assert_eq!(store.verify_chain().unwrap(), None);
}
