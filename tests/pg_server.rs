//! cchc on the machine's PostgreSQL, where only a server can say it: identity is the session's
//! role (`--user` cannot claim another), `member add` makes the login role, and a change made
//! with psql and its NOTIFY shows on a screen within a second. Runs on both passes of the suite
//! (each test makes its own database and roles on the server).

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::pty::{Tui, selected_id};
use common::{Sandbox, assert_success, engine, stderr};

/// A new database made by `cchc init` as the server's superuser; its URL.
fn server_db(sb: &Sandbox, tag: &str) -> PathBuf {
    let url = engine::new_server_db(tag);
    assert_success(&sb.cchc().arg("init").arg(&url).output().unwrap());
    url
}

/// A login role with a password, dropped (with what it owns) when the test ends.
struct Role {
    name: String,
}

impl Role {
    fn login_url(&self, db: &str) -> PathBuf {
        PathBuf::from(format!(
            "postgresql://{}:pw-{}@127.0.0.1:5432/{db}",
            self.name, self.name
        ))
    }
}

impl Drop for Role {
    fn drop(&mut self) {
        let mut admin = engine::admin();
        // The role owns nothing (cchc's rows are the owner's); its grants go with it.
        let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
    }
}

fn db_name(url: &std::path::Path) -> String {
    let s = url.to_str().unwrap();
    s.split("///")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_members_role_acts_only_as_itself_and_the_server_keeps_the_rule() {
    let sb = Sandbox::new();
    let db = server_db(&sb, "who");
    let pid = std::process::id();
    let (chi, lan) = (
        Role {
            name: format!("cchc_t{pid}_chi"),
        },
        Role {
            name: format!("cchc_t{pid}_lan"),
        },
    );
    // The owner registers the members; that also makes their login roles and groups.
    for (name, role, agency, kind) in [
        ("chi", &chi, "SNV", "secretary"),
        ("lan", &lan, "STP", "member"),
    ] {
        let out = sb
            .cchc()
            .arg("--db")
            .arg(&db)
            // The server's superuser acts as the secretary it registers first.
            .args(["--user", "chi"])
            .args(["member", "add", name, "--agency", agency, "--role", kind])
            .args(["--login", &role.name])
            .output()
            .unwrap();
        assert_success(&out);
        engine::admin()
            .batch_execute(&format!("ALTER ROLE {0} PASSWORD 'pw-{0}'", role.name))
            .unwrap();
    }
    let member_of = |role: &str| {
        engine::count(
            &db,
            &format!(
                "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = '{role}' AND g.rolname = 'cchc_member'"
            ),
        )
    };
    assert_eq!(member_of(&lan.name), 1, "member add granted cchc_member");
    assert_eq!(
        member_of(&chi.name),
        0,
        "a secretary is in cchc_secretary instead"
    );

    let as_lan = lan.login_url(&db_name(&db));
    let stp_task = engine::count(
        &db,
        "SELECT min(id) FROM tasks WHERE lead_agency = 'STP' AND coordinating = ''",
    );
    let snv_task = engine::count(
        &db,
        "SELECT min(id) FROM tasks WHERE lead_agency = 'SNV' AND coordinating NOT LIKE '%STP%'",
    );
    let cchc_as_lan = |args: &[&str], user: Option<&str>| {
        let mut c = sb.cchc();
        c.env_remove("CCHC_USER");
        if let Some(u) = user {
            c.args(["--user", u]);
        }
        c.arg("--db").arg(&as_lan).args(args).output().unwrap()
    };
    // Claiming the secretary's name is refused before anything is read or written.
    let claimed = cchc_as_lan(
        &["task", "set", &snv_task.to_string(), "--progress", "10"],
        Some("chi"),
    );
    assert_eq!(claimed.status.code(), Some(1));
    assert!(
        stderr(&claimed).contains("is not you") && stderr(&claimed).lines().count() == 1,
        "{}",
        stderr(&claimed)
    );
    // As herself: her agency's task, logged under her member name.
    let own = cchc_as_lan(
        &["task", "set", &stp_task.to_string(), "--progress", "20"],
        None,
    );
    assert_success(&own);
    assert_eq!(
        engine::text(
            &db,
            "SELECT \"user\" FROM change_log ORDER BY id DESC LIMIT 1"
        ),
        "lan"
    );
    // Another agency's task: refused by cchc's rule, and by the server's for raw SQL.
    let other = cchc_as_lan(
        &["task", "set", &snv_task.to_string(), "--progress", "20"],
        None,
    );
    assert_eq!(other.status.code(), Some(1), "{}", stderr(&other));
    assert!(
        stderr(&other).contains("không được phép"),
        "{}",
        stderr(&other)
    );
    let raw = engine::execute(
        &as_lan,
        &format!("UPDATE tasks SET progress = 99 WHERE id = {snv_task}"),
    );
    assert_eq!(
        raw,
        Ok(0),
        "row-level security hides the other agency's task"
    );
    assert_eq!(
        engine::count(
            &db,
            &format!("SELECT progress FROM tasks WHERE id = {snv_task}")
        ),
        0
    );
    let rewrite = engine::execute(&as_lan, "DELETE FROM change_log");
    assert!(rewrite.is_err(), "a member's role cannot rewrite history");
    // Removed, the member's role leaves its group: it reads and writes nothing of cchc's.
    let removed = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .args(["--user", "chi", "member", "remove", "lan"])
        .output()
        .unwrap();
    assert_success(&removed);
    assert_eq!(member_of(&lan.name), 0, "member remove revoked cchc_member");
    assert!(engine::execute(&as_lan, "SELECT 1 FROM tasks").is_err());
    let out = sb
        .cchc()
        .args(["log", "--verify", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
}

#[test]
fn a_psql_change_with_its_notify_shows_on_a_screen_within_a_second() {
    let sb = Sandbox::new();
    let db = server_db(&sb, "psql");
    let tui = Tui::start(&sb, &db, &[], 120, 35);
    let id = selected_id(&tui.screen());
    let mut times = Vec::new();
    for n in 1..=3 {
        let title = format!("Đổi bằng psql lần {n}");
        let sent = engine::execute(
            &db,
            &format!("UPDATE tasks SET title = '{title}' WHERE id = {id}"),
        )
        .and_then(|_| engine::execute(&db, "NOTIFY cchc_changes"));
        assert_eq!(sent, Ok(0));
        let committed = Instant::now();
        tui.wait_for("the psql change", |s| s.contains(&title));
        times.push(committed.elapsed());
    }
    assert!(
        times.iter().any(|t| *t <= Duration::from_secs(1)),
        "no change showed within 1 s: {times:?}"
    );
    assert!(tui.quit());
}

#[test]
fn backup_on_a_server_is_a_pg_dump_verified_by_restoring_it() {
    let sb = Sandbox::new();
    let db = server_db(&sb, "dump");
    assert_success(
        &sb.cchc()
            .arg("--db")
            .arg(&db)
            .args([
                "task",
                "set",
                "7",
                "--progress",
                "35",
                "--note",
                "trước sao lưu",
            ])
            .output()
            .unwrap(),
    );
    let file = sb.path("cchc-2026-12-02.dump");
    let out = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .arg("backup")
        .arg(&file)
        .output()
        .unwrap();
    assert_success(&out);
    let dump = std::fs::read(&file).unwrap();
    assert!(dump.starts_with(b"PGDMP"), "pg_dump's custom format");
    // The head the restored copy verified, pinned beside the dump as for a file.
    let heads = std::fs::read_to_string(sb.path("cchc-heads.txt")).unwrap();
    assert!(heads.starts_with("2:"), "{heads}");
    // No scratch database is left behind.
    assert_eq!(
        engine::count(
            &db,
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'cchc\\_verify\\_%'"
        ),
        0
    );
    // And a second backup never overwrites the first.
    let again = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .arg("backup")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read(&file).unwrap(), dump);
}

#[test]
fn tls_is_used_as_the_url_asks() {
    let sb = Sandbox::new();
    let db = server_db(&sb, "tls");
    let role = Role {
        name: format!("cchc_t{}_tls", std::process::id()),
    };
    engine::admin()
        .batch_execute(&format!(
            "CREATE ROLE {0} LOGIN PASSWORD 'pw-{0}'; GRANT cchc_viewer TO {0}",
            role.name
        ))
        .unwrap();
    let over_tcp = |query: &str| {
        let url = format!("{}?{query}", role.login_url(&db_name(&db)).display());
        let mut c = sb.cchc();
        c.env_remove("CCHC_USER");
        c.arg("--db").arg(url).arg("doctor").output().unwrap()
    };
    // Debian's server has TLS on with its own certificate: `require` encrypts.
    let out = over_tcp("sslmode=require");
    assert!(
        common::stdout(&out).contains("encrypted (TLS"),
        "{}{}",
        common::stdout(&out),
        stderr(&out)
    );
    let out = over_tcp("sslmode=disable");
    assert!(
        common::stdout(&out).contains("not encrypted from 127.0.0.1"),
        "{}",
        common::stdout(&out)
    );
    // `verify-full` checks the name: that certificate is not for 127.0.0.1.
    let out = over_tcp("sslmode=verify-full&sslrootcert=/etc/ssl/certs/ssl-cert-snakeoil.pem");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("certificate") && err.lines().count() == 1,
        "{err}"
    );
    assert!(!err.contains("pw-"), "the password is never shown: {err}");
}

#[test]
fn members_starting_at_once_on_a_new_database_seed_it_once() {
    let sb = Sandbox::new();
    let db = engine::new_server_db("race");
    let starts: Vec<_> = (0..8)
        .map(|_| {
            sb.cchc()
                .args(["--lang", "en", "init"])
                .arg(&db)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = starts
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for out in &outs {
        assert_success(out);
    }
    let created = outs
        .iter()
        .filter(|o| common::stdout(o).starts_with("Created"))
        .count();
    assert_eq!(created, 1, "exactly one seeded the plan");
    assert_eq!(engine::count(&db, "SELECT count(*) FROM tasks"), 422);
    assert_eq!(
        engine::count(&db, "SELECT count(*) FROM change_log WHERE action = 'seed'"),
        1
    );
    // One row per migration, each applied once (src/store/schema/postgres.rs has three).
    assert_eq!(
        engine::count(&db, "SELECT count(*) FROM cchc_migrations"),
        3
    );
}
