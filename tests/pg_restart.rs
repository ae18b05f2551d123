//! The machine's PostgreSQL stopped and started again under a screen and a writer: the screen
//! says "connection lost, retrying" and comes back by itself, an edit typed meanwhile is
//! refused with its text kept, and no acknowledged write is lost or doubled. Alone in its test
//! binary: it stops the server every other test uses (the binaries run one after another).

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::pty::Tui;
use common::{Sandbox, assert_success, engine};

fn cluster(action: &str) {
    let mut c = Command::new("pg_ctlcluster");
    c.args(["15", "main", action]);
    if action == "stop" {
        c.args(["-m", "fast"]);
    }
    let out = c
        .output()
        .expect("pg_ctlcluster (the server's own tool; run as root)");
    assert!(
        out.status.success(),
        "pg_ctlcluster 15 main {action}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The server up again even when an assertion fails half-way, for the binaries after this.
struct StartsAgain;

impl Drop for StartsAgain {
    fn drop(&mut self) {
        let _ = Command::new("pg_ctlcluster")
            .args(["15", "main", "start"])
            .output();
    }
}

#[test]
fn a_server_restart_is_survived_with_a_clear_message_and_no_lost_or_doubled_write() {
    let sb = Sandbox::new();
    let db = engine::new_server_db("restart");
    assert_success(&sb.cchc().arg("init").arg(&db).output().unwrap());
    let mut tui = Tui::start(&sb, &db, &[], 120, 35);
    let _restart_guard = StartsAgain;

    // A member writing notes with their own tokens, one process per write, straight through
    // the outage: each says committed or failed.
    let writer = {
        let mut base = sb.cchc();
        base.env("CCHC_BUSY_TIMEOUT_MS", "2000");
        let program = base.get_program().to_owned();
        let envs: Vec<_> = base
            .get_envs()
            .map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned())))
            .collect();
        let db = db.clone();
        std::thread::spawn(move || {
            let mut outcomes = Vec::new();
            let until = Instant::now() + Duration::from_secs(8);
            let mut i = 0;
            while Instant::now() < until {
                let token = format!("tok-{i}");
                let mut c = Command::new(&program);
                c.env_clear();
                for (k, v) in &envs {
                    if let Some(v) = v {
                        c.env(k, v);
                    }
                }
                let out = c
                    .args(["task", "set", "3", "--note", &token, "--db"])
                    .arg(&db)
                    .output()
                    .unwrap();
                let err = String::from_utf8_lossy(&out.stderr).into_owned();
                outcomes.push((token, out.status.success(), err));
                i += 1;
                std::thread::sleep(Duration::from_millis(40));
            }
            outcomes
        })
    };
    std::thread::sleep(Duration::from_millis(1500));
    cluster("stop");
    tui.wait_for("the lost connection", |s| {
        s.contains("Mất kết nối, đang thử lại")
    });
    // An edit while the server is away: refused whole, the typed percent kept in its prompt.
    tui.send("p");
    tui.send("55");
    tui.send("\r");
    let screen = tui.wait_for("the refused edit", |s| {
        s.contains("chưa ghi gì") && s.contains("55")
    });
    assert!(screen.contains("55"), "{screen}");
    std::thread::sleep(Duration::from_millis(1500));
    cluster("start");
    tui.wait_for("the connection again", |s| s.contains("Đã kết nối lại"));
    // The same prompt, sent again, now writes.
    tui.send("\r");
    tui.wait_for("the percent written", |s| s.contains("55%"));
    let outcomes = writer.join().unwrap();

    let failed: Vec<_> = outcomes.iter().filter(|(_, ok, _)| !ok).collect();
    assert!(
        !failed.is_empty(),
        "some writes fell in the outage: {outcomes:?}"
    );
    for (token, _, err) in &failed {
        assert_eq!(err.trim().lines().count(), 1, "{token}: {err}");
        // In the default language: "mất kết nối tới máy chủ cơ sở dữ liệu (…)"; a connection
        // refused before the server is up keeps the driver's English words.
        assert!(
            err.contains("máy chủ cơ sở dữ liệu") || err.contains("connect"),
            "{token}: {err}"
        );
        assert!(!err.contains("panicked"), "{token}: {err}");
    }
    let stored = engine::texts(&db, "SELECT text FROM notes");
    for (token, ok, _) in &outcomes {
        let times = stored.iter().filter(|t| *t == token).count();
        if *ok {
            assert_eq!(times, 1, "acknowledged write {token} is stored once");
        } else {
            // A fast shutdown rolls back what it interrupts; a commit whose answer was lost
            // on the way would be here once (never twice: each attempt has its own token).
            assert!(times <= 1, "failed write {token} is stored {times} times");
        }
    }
    let verify = sb
        .cchc()
        .args(["log", "--verify", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&verify);
    assert!(tui.quit());
}
