//! Names that cannot be borrowed and history that cannot be rewritten unseen (issue 10, cases
//! 3, 5 and 9): identity from the OS account, a change record per imported task, and the change
//! log replayed against the tables, on real files and real processes.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn run(sb: &Sandbox, db: &Path, args: &[&str]) -> Output {
    sb.cchc()
        .args(args)
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .output()
        .unwrap()
}

/// The login of `uid` from the passwd database.
fn login_of(uid: u32) -> String {
    let out = Command::new("getent")
        .args(["passwd", &uid.to_string()])
        .output()
        .expect("getent");
    String::from_utf8_lossy(&out.stdout)
        .split(':')
        .next()
        .unwrap()
        .to_string()
}

/// The account another member's process runs as: nobody (65534) when the tests run as root
/// (CI does), else the test's own account, which is equally not the secretary's.
fn other_account() -> (u32, String) {
    // SAFETY: getuid has no preconditions.
    let me = unsafe { libc::getuid() };
    let uid = if me == 0 { 65534 } else { me };
    (uid, login_of(uid))
}

fn as_account(mut cmd: Command, uid: u32) -> Command {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } == 0 {
        cmd.uid(uid).gid(uid);
    }
    cmd
}

/// A database in a directory every account may write, as the Unix-group setup gives members.
fn shared_db(sb: &Sandbox) -> PathBuf {
    chmod(sb.dir.path(), 0o755);
    let dir = sb.path("shared");
    std::fs::create_dir(&dir).unwrap();
    chmod(&dir, 0o777);
    let db = sb.init_db("shared/plan.sqlite3");
    chmod(&db, 0o666);
    db
}

fn query<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_member_name_cannot_be_borrowed_by_another_login() {
    let sb = Sandbox::new();
    let db = shared_db(&sb);
    let (uid, login) = other_account();
    // lan's account is one the other process is not; ha's is the other process's account.
    let lan_login = if login == "daemon" { "bin" } else { "daemon" };
    assert_success(&run(
        &sb,
        &db,
        &[
            "--user",
            "lan",
            "member",
            "add",
            "lan",
            "--agency",
            "SNV",
            "--role",
            "secretary",
            "--login",
            lan_login,
        ],
    ));
    assert_success(&run(
        &sb,
        &db,
        &[
            "--user", "lan", "member", "add", "ha", "--agency", "STP", "--role", "member",
            "--login", &login,
        ],
    ));
    for f in ["-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(f);
        if Path::new(&p).exists() {
            chmod(Path::new(&p), 0o666);
        }
    }
    let members_before: i64 = query(&db, "SELECT count(*) FROM members");

    let mut cmd = sb.cchc();
    cmd.args([
        "--user",
        "lan",
        "--lang",
        "en",
        "member",
        "add",
        "mallory",
        "--agency",
        "STP",
        "--role",
        "secretary",
        "--db",
    ])
    .arg(&db);
    let out = as_account(cmd, uid).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "you are logged in as {login} (member ha); --user lan is not you"
        )),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(
        query::<i64>(&db, "SELECT count(*) FROM members"),
        members_before,
        "nothing was added"
    );
    // The refusal is logged as the real account's member (the claimed name is only in its
    // note), with the real uid and login.
    let (user, logged_uid, logged_login, note): (String, i64, String, String) =
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT user, uid, login, note FROM change_log WHERE action = 'refused' ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!(
        (user.as_str(), logged_uid, logged_login.as_str()),
        ("ha", i64::from(uid), login.as_str())
    );
    assert!(note.starts_with("claimed lan:"), "{note}");

    // The same account without --user acts as the member bound to it (ha, a member of STP),
    // and its entries carry its uid and login.
    let task: i64 = query(&db, "SELECT min(id) FROM tasks WHERE lead_agency = 'STP'");
    let mut cmd = sb.cchc();
    cmd.env_remove("CCHC_USER")
        .args(["task", "set", &task.to_string(), "--progress", "40", "--db"])
        .arg(&db);
    let out = as_account(cmd, uid).output().unwrap();
    assert_success(&out);
    let (user, logged_login): (String, String) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT user, login FROM change_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (user.as_str(), logged_login.as_str()),
        ("ha", login.as_str())
    );
    // The history is still one verified chain, old and new entries alike.
    assert_success(&run(&sb, &db, &["log", "--verify"]));
}

// ---- case 9: a change record for every imported task ------------------------------------

#[test]
fn an_import_logs_every_task_it_creates_or_changes_under_its_own_entry() {
    let sb = Sandbox::new();
    let db = sb.init_db("import.sqlite3");
    let (plan_ref, old_title): (String, String) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT plan_ref, title FROM tasks WHERE id = 3", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let csv = sb.path("rows.csv");
    std::fs::write(
        &csv,
        format!(
            "area,lead_agency,title,due,status,progress,coordinating,output,plan_ref\n\
             tthc,SNV,Việc mới từ bảng tính,2026-12-31,in-progress,20,STP,Báo cáo,\n\
             tthc,SNV,Tên mới,2026-12-31,in-progress,50,,,{plan_ref}\n"
        ),
    )
    .unwrap();
    assert_success(
        &sb.cchc()
            .arg("import")
            .arg(&csv)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap(),
    );

    let conn = rusqlite::Connection::open(&db).unwrap();
    let import: i64 = conn
        .query_row(
            "SELECT id FROM change_log WHERE action = 'import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let new_id: i64 = conn
        .query_row(
            "SELECT id FROM tasks WHERE title = 'Việc mới từ bảng tính'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // The new task's record: every field, linked to the import.
    let changes: String = conn
        .query_row(
            "SELECT changes FROM change_log WHERE entity = 'task' AND entity_id = ?1 AND action = 'create' AND parent = ?2",
            rusqlite::params![new_id.to_string(), import],
            |r| r.get(0),
        )
        .unwrap();
    let changes: serde_json::Value = serde_json::from_str(&changes).unwrap();
    let field = |name: &str| {
        changes
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == name)
            .unwrap_or_else(|| panic!("{name} in {changes}"))["new"]
            .clone()
    };
    assert_eq!(field("title"), "Việc mới từ bảng tính");
    assert_eq!(field("lead_agency"), "SNV");
    assert_eq!(field("coordinating"), "STP");
    assert_eq!(field("progress"), "20");
    assert_eq!(field("output"), "Báo cáo");
    assert_eq!(field("due"), "2026-12-31");
    // The changed task's record: old -> new, linked to the import.
    let changes: String = conn
        .query_row(
            "SELECT changes FROM change_log WHERE entity = 'task' AND entity_id = '3' AND parent = ?1",
            [import],
            |r| r.get(0),
        )
        .unwrap();
    let changes: serde_json::Value = serde_json::from_str(&changes).unwrap();
    let title = changes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "title")
        .expect("the title change");
    assert_eq!(title["old"], old_title.as_str());
    assert_eq!(title["new"], "Tên mới");
    // The task's history (what the detail pane shows) starts with its creation.
    let out = sb
        .cchc()
        .args([
            "log",
            "--task",
            &new_id.to_string(),
            "--format",
            "json",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let history = json(&out);
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
    assert_eq!(history[0]["action"], "create");
    assert_eq!(history[0]["parent"], import);
    // And the whole file still replays to what it holds.
    assert_success(&run(&sb, &db, &["doctor"]));
}

// ---- case 5: the tables are the log's projection -----------------------------------------

/// A file with some history: a progress change with a note, a measurement, a member.
fn file_with_history(sb: &Sandbox, name: &str) -> PathBuf {
    let db = sb.init_db(name);
    assert_success(&run(
        sb,
        &db,
        &["task", "set", "5", "--progress", "30", "--note", "bắt đầu"],
    ));
    assert_success(&run(
        sb,
        &db,
        &["indicator", "record", "tthc-dvctt-toan-trinh", "50"],
    ));
    assert_success(&run(
        sb,
        &db,
        &[
            "member",
            "add",
            "tester",
            "--agency",
            "SNV",
            "--role",
            "secretary",
        ],
    ));
    assert_success(&run(
        sb,
        &db,
        &["task", "set", "6", "--status", "in-progress"],
    ));
    db
}

fn head_of(db: &Path) -> String {
    let (id, hash): (i64, String) = rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    format!("{id}:{hash}")
}

/// Both `doctor` and `log --verify` (with `heads`) refuse the file and name `expect`.
fn reported(sb: &Sandbox, db: &Path, heads: &[&str], expect: &str) {
    let doctor = run(sb, db, &["doctor"]);
    let text = stdout(&doctor);
    assert_eq!(doctor.status.code(), Some(1), "{text}");
    assert!(
        text.contains(expect),
        "doctor does not name {expect:?}:\n{text}"
    );
    let mut args = vec!["log", "--verify"];
    for h in heads {
        args.extend(["--head", h]);
    }
    let verify = run(sb, db, &args);
    let err = stderr(&verify);
    assert_eq!(verify.status.code(), Some(1), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains(expect) || err.contains("does not verify"),
        "log --verify does not name {expect:?}: {err}"
    );
}

fn shell(db: &Path, sql: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

#[test]
fn an_untouched_file_passes_doctor_and_verify_with_its_pinned_head() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "clean.sqlite3");
    let head = head_of(&db);
    let doctor = run(&sb, &db, &["doctor"]);
    assert_success(&doctor);
    assert!(
        stdout(&doctor).contains("every column of every table a write touches is what the log")
    );
    let out = run(&sb, &db, &["log", "--verify", "--head", &head]);
    assert_success(&out);
    assert!(stdout(&out).contains(&head), "{}", stdout(&out));
}

#[test]
fn a_task_updated_with_the_sqlite_shell_is_named() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "t.sqlite3");
    shell(
        &db,
        "UPDATE tasks SET progress = 99, status = 'done' WHERE id = 116",
    );
    reported(
        &sb,
        &db,
        &[],
        "tasks 116 progress: the file holds 99, the log implies 0",
    );
}

#[test]
fn a_member_inserted_with_the_sqlite_shell_is_named() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "m.sqlite3");
    shell(
        &db,
        "INSERT INTO members (name, agency, role, added_by, added_at, login)
         VALUES ('mallory', 'STP', 'secretary', 'tester', '2026-12-01', 'mallory')",
    );
    reported(&sb, &db, &[], "members mallory row");
}

#[test]
fn a_note_and_a_measurement_changed_by_hand_are_named() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "n.sqlite3");
    shell(
        &db,
        "UPDATE notes SET text = 'đã xong'; UPDATE measurements SET value = 95",
    );
    reported(
        &sb,
        &db,
        &[],
        "text: the file holds đã xong, the log implies bắt đầu",
    );
    reported(
        &sb,
        &db,
        &[],
        "measurements 1 value: the file holds 95, the log implies 50",
    );
}

#[test]
fn deleting_the_last_entries_is_reported_against_the_pinned_head() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "cut.sqlite3");
    let backups = sb.path("backups");
    std::fs::create_dir(&backups).unwrap();
    let copy = backups.join("cchc-2026-12-01.sqlite3");
    assert_success(&run(&sb, &db, &["backup", copy.to_str().unwrap()]));
    let head = head_of(&db);
    let pinned = std::fs::read_to_string(backups.join("cchc-heads.txt")).unwrap();
    assert!(pinned.starts_with(&format!("{head} ")), "{pinned}");
    assert!(
        pinned.trim_end().ends_with("cchc-2026-12-01.sqlite3"),
        "{pinned}"
    );
    // Drop the trigger, delete the tail (and the rows it made), recreate the trigger exactly:
    // the chain that remains verifies, the tables match it; only the pinned head knows.
    let last: i64 = query(&db, "SELECT max(id) FROM change_log");
    shell(
        &db,
        &format!(
            "DROP TRIGGER change_log_no_delete;
             DELETE FROM change_log WHERE id = {last};
             UPDATE tasks SET status = 'not-started', version = 1, updated_by = 'tester',
                 change_seq = 1, updated_at = (SELECT at FROM change_log WHERE id = 1) WHERE id = 6;
             CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;"
        ),
    );
    assert_success(&run(&sb, &db, &["log", "--verify"]));
    let doctor = run(
        &sb,
        &db,
        &[
            "doctor",
            "--heads",
            backups.join("cchc-heads.txt").to_str().unwrap(),
        ],
    );
    let text = stdout(&doctor);
    assert_eq!(doctor.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("the log ends at #{}", last - 1)),
        "{text}"
    );
    reported(&sb, &db, &[&head], "entries were deleted from its tail");
}

#[test]
fn a_rewritten_and_rechained_entry_is_reported_against_the_pinned_head() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "rechain.sqlite3");
    let head = head_of(&db);
    // The file's own heads file, as a backup into the database's directory would leave it.
    std::fs::write(
        sb.path("cchc-heads.txt"),
        format!("{head} 2026-12-01T00:00:00Z earlier.sqlite3\n"),
    )
    .unwrap();
    // Rewrite entry 2 (the note) and recompute every hash after it with the public algorithm.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER change_log_no_update")
        .unwrap();
    conn.execute("UPDATE change_log SET note = 'đã xong' WHERE id = 2", [])
        .unwrap();
    conn.execute("UPDATE notes SET text = 'đã xong'", [])
        .unwrap();
    rechain(&conn);
    conn.execute_batch(
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;",
    )
    .unwrap();
    drop(conn);
    // The chain and the tables agree with each other: only the pinned head knows.
    assert_success(&run(&sb, &db, &["log", "--verify"]));
    reported(&sb, &db, &[&head], "was rewritten and re-chained");
}

/// Recomputes every entry's hash as cchc would (form 2), as an attacker who read the source.
fn rechain(conn: &rusqlite::Connection) {
    use sha2::{Digest, Sha256};
    let mut stmt = conn
        .prepare("SELECT id, at, user, entity, entity_id, action, changes, note, undo_of, uid, login, parent, form FROM change_log ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, serde_json::Value)> = stmt
        .query_map([], |r| {
            let form: i64 = r.get(12)?;
            let mut v = vec![
                serde_json::json!(r.get::<_, i64>(0)?),
                r.get::<_, String>(1)?.into(),
                r.get::<_, String>(2)?.into(),
                r.get::<_, String>(3)?.into(),
                r.get::<_, String>(4)?.into(),
                r.get::<_, String>(5)?.into(),
                r.get::<_, String>(6)?.into(),
                r.get::<_, Option<String>>(7)?.into(),
                r.get::<_, Option<i64>>(8)?.into(),
            ];
            if form >= 2 {
                v.insert(0, form.into());
                v.push(r.get::<_, Option<i64>>(9)?.into());
                v.push(r.get::<_, Option<String>>(10)?.into());
                v.push(r.get::<_, Option<i64>>(11)?.into());
            }
            Ok((r.get(0)?, serde_json::Value::Array(v)))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev = "0".repeat(64);
    for (id, canonical) in rows {
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(b"\n");
        h.update(canonical.to_string().as_bytes());
        let hash = hex::encode(h.finalize());
        conn.execute(
            "UPDATE change_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            rusqlite::params![prev, hash, id],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn a_trigger_recreated_when_0_is_reported() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "when0.sqlite3");
    shell(
        &db,
        "DROP TRIGGER change_log_no_delete;
         CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log WHEN 0
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;",
    );
    reported(&sb, &db, &[], "trigger change_log_no_delete was recreated");
}

#[test]
fn backup_refuses_names_sqlite_deletes() {
    let sb = Sandbox::new();
    let db = sb.init_db("b.sqlite3");
    for name in ["X-journal", "Y.db-wal", "Z.sqlite3-shm"] {
        let target = sb.path(name);
        let out = run(&sb, &db, &["backup", target.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("choose a name"), "{err}");
        assert!(!target.exists(), "{name} was created");
    }
}

// ---- issue 22: doctor sees every byte ------------------------------------------------------

/// A copy of `db` (a file cchc closed, so a single file) with `sql` run by the real sqlite3
/// shell, as root would edit it.
fn edited_copy(sb: &Sandbox, db: &Path, name: &str, sql: &str) -> PathBuf {
    let copy = sb.path(name);
    std::fs::copy(db, &copy).unwrap();
    let out = Command::new("sqlite3")
        .arg(&copy)
        .arg(sql)
        .output()
        .expect("the sqlite3 shell (apt-get install sqlite3)");
    assert_success(&out);
    copy
}

#[test]
fn every_column_changed_with_the_sqlite3_shell_is_a_doctor_fail_naming_it() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "cols.sqlite3");
    assert_success(&run(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "XCL",
            "--name",
            "UBND xã Chi Lăng",
            "--kind",
            "commune",
        ],
    ));
    let cases = [
        (
            "UPDATE tasks SET withdrawn_on = '2026-12-01' WHERE id = 3",
            "tasks 3 withdrawn_on",
        ),
        (
            "UPDATE indicators SET lead_agency = 'STP' WHERE code = 'tthc-dvctt-toan-trinh'",
            "indicators tthc-dvctt-toan-trinh lead_agency",
        ),
        (
            "UPDATE targets SET value = 1 WHERE indicator = 'tthc-dvctt-toan-trinh'",
            "targets tthc-dvctt-toan-trinh",
        ),
        (
            "UPDATE indicators SET baseline_value = 3 WHERE code = 'tthc-dvctt-toan-trinh'",
            "indicators tthc-dvctt-toan-trinh baseline_value",
        ),
        (
            "UPDATE agencies SET name = 'Sở Tư pháp (mới)' WHERE code = 'STP'",
            "agencies STP name",
        ),
        (
            "UPDATE agencies SET added_on = '2020-01-01' WHERE code = 'XCL'",
            "agencies XCL added_on",
        ),
        (
            "UPDATE areas SET name_vi = 'Khác' WHERE code = 'chi-dao'",
            "areas chi-dao name_vi",
        ),
        (
            "INSERT INTO agencies (code, name, kind, position) VALUES ('EVIL', 'Evil', 'department', 99)",
            "agencies EVIL row",
        ),
        (
            "INSERT INTO meta (key, value) VALUES ('time_zone', 'Pacific/Kiritimati')",
            "meta time_zone row",
        ),
        (
            "UPDATE meta SET value = 'deadbeef' WHERE key = 'file_id'",
            "meta file_id value",
        ),
        (
            "UPDATE tasks SET updated_at = '2026-01-01T00:00:00.000Z' WHERE id = 5",
            "tasks 5 updated_at",
        ),
        (
            "UPDATE tasks SET updated_by = 'lan' WHERE id = 5",
            "tasks 5 updated_by",
        ),
        (
            "UPDATE notes SET at = '2026-01-01T00:00:00.000Z'",
            "at: the file holds 2026-01-01",
        ),
        (
            "UPDATE measurements SET recorded_at = '2026-01-01T00:00:00.000Z'",
            "measurements 1 recorded_at",
        ),
        (
            "UPDATE members SET added_at = '2026-01-01T00:00:00.000Z'",
            "members tester added_at",
        ),
        (
            "UPDATE task_tally SET listed = listed + 5 WHERE area = 'chi-dao' AND lead_agency = 'SNV'",
            "task_tally chi-dao SNV",
        ),
    ];
    for (n, (sql, expect)) in cases.iter().enumerate() {
        let copy = edited_copy(&sb, &db, &format!("cols-{n}.sqlite3"), sql);
        reported(&sb, &copy, &[], expect);
    }
}

/// Appends an entry to the log as a forger who read the source would, then re-chains.
fn forge(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("DROP TRIGGER change_log_no_update")
        .unwrap();
    conn.execute_batch(sql).unwrap();
    rechain(&conn);
    conn.execute_batch(
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;",
    )
    .unwrap();
}

#[test]
fn a_form_2_import_entry_without_a_login_is_a_fail_and_switches_nothing_off() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "form2.sqlite3");
    forge(
        &db,
        "INSERT INTO change_log (id, at, user, entity, entity_id, action, changes, note, prev_hash, hash, form)
         SELECT max(id) + 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'tester', 'import', 'x.csv', 'import',
                '[{\"field\":\"measurements\",\"old\":null,\"new\":\"5\"}]', NULL, '', '', 2
         FROM change_log;
         UPDATE measurements SET value = 95;",
    );
    let doctor = run(&sb, &db, &["doctor"]);
    let text = stdout(&doctor);
    assert_eq!(doctor.status.code(), Some(1), "{text}");
    assert!(text.contains("login: the file holds (none)"), "{text}");
    // Measurements are still checked: the crafted entry switched nothing off.
    assert!(!text.contains("are not checked"), "{text}");
    assert!(
        text.contains("measurements 1 value: the file holds 95"),
        "{text}"
    );
}

#[test]
fn log_times_going_backwards_are_a_fail() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "back.sqlite3");
    // The last entry backdated by a year, its hash made to match (as `faketime` would have
    // written it on a program that is not setgid).
    forge(
        &db,
        "UPDATE change_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', at, '-1 year')
         WHERE id = (SELECT max(id) FROM change_log);
         UPDATE tasks SET updated_at = (SELECT at FROM change_log ORDER BY id DESC LIMIT 1) WHERE id = 6;",
    );
    reported(&sb, &db, &[], "change_log #");
    let text = stdout(&run(&sb, &db, &["doctor"]));
    assert!(text.contains("a time no earlier than entry #"), "{text}");
}

#[test]
fn a_heads_file_named_but_missing_unreadable_or_garbage_is_a_fail() {
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "heads.sqlite3");
    let doctor = |heads: &Path| {
        let out = run(&sb, &db, &["doctor", "--heads", heads.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        stdout(&out)
    };
    let text = doctor(&sb.path("none.txt"));
    assert!(
        text.contains("FAIL  pinned head") && text.contains("no such heads file"),
        "{text}"
    );
    let garbage = sb.path("garbage.txt");
    std::fs::write(&garbage, "SECRET-LINE not a head\n").unwrap();
    let text = doctor(&garbage);
    assert!(text.contains("line 1 is not a pinned head"), "{text}");
    assert!(!text.contains("SECRET-LINE"), "the line was echoed: {text}");
    // Neither a device that never ends nor a directory is read.
    let text = doctor(Path::new("/dev/zero"));
    assert!(
        text.contains("not a regular file but a character device"),
        "{text}"
    );
    let text = doctor(sb.dir.path());
    assert!(
        text.contains("not a regular file but a directory"),
        "{text}"
    );
    // A line that names a backup which does not hold its head.
    let backups = sb.path("backups");
    std::fs::create_dir(&backups).unwrap();
    let copy = backups.join("cchc-2026-12-01.sqlite3");
    assert_success(&run(&sb, &db, &["backup", copy.to_str().unwrap()]));
    let heads = backups.join("cchc-heads.txt");
    let ok = run(&sb, &db, &["doctor", "--heads", heads.to_str().unwrap()]);
    assert_success(&ok);
    assert!(stdout(&ok).contains("holds #"), "{}", stdout(&ok));
    let line = std::fs::read_to_string(&heads).unwrap();
    let forged = line.replace("cchc-2026-12-01.sqlite3", "cchc-1999-01-01.sqlite3");
    std::fs::write(&heads, forged).unwrap();
    let text = doctor(&heads);
    assert!(text.contains("is missing"), "{text}");
}

#[test]
fn a_backup_opened_to_read_keeps_its_hash() {
    use sha2::{Digest, Sha256};
    let sb = Sandbox::new();
    let db = file_with_history(&sb, "live.sqlite3");
    let copy = sb.path("copy.sqlite3");
    assert_success(&run(&sb, &db, &["backup", copy.to_str().unwrap()]));
    let hash = || hex::encode(Sha256::digest(std::fs::read(&copy).unwrap()));
    let before = hash();
    for args in [
        &["log"][..],
        &["tasks", "--overdue"],
        &["task", "show", "5"],
        &["indicators"],
        &["member", "list"],
        &["export", "--format", "json"],
        &["report", "--quarter", "2026Q4"],
    ] {
        assert_success(&run(&sb, &copy, args));
        assert_eq!(hash(), before, "{args:?} changed the backup");
    }
    for side in ["-wal", "-shm"] {
        assert!(
            !sb.path(&format!("copy.sqlite3{side}")).exists(),
            "{side} left beside the backup"
        );
    }
}

#[test]
fn refused_impersonations_are_logged_once_a_minute_under_the_real_login() {
    let sb = Sandbox::new();
    let db = shared_db(&sb);
    let (uid, login) = other_account();
    let lan_login = if login == "daemon" { "bin" } else { "daemon" };
    assert_success(&run(
        &sb,
        &db,
        &[
            "--user",
            "lan",
            "member",
            "add",
            "lan",
            "--agency",
            "SNV",
            "--role",
            "secretary",
            "--login",
            lan_login,
        ],
    ));
    let entries_before: i64 = query(&db, "SELECT count(*) FROM change_log");
    for f in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{f}", db.display()));
        if p.exists() {
            chmod(&p, 0o666);
        }
    }
    for _ in 0..3 {
        let mut cmd = sb.cchc();
        cmd.args([
            "--user",
            "lan",
            "--lang",
            "en",
            "task",
            "set",
            "5",
            "--progress",
            "9",
            "--db",
        ])
        .arg(&db);
        let out = as_account(cmd, uid).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("not permitted"), "{}", stderr(&out));
    }
    let entries: i64 = query(&db, "SELECT count(*) FROM change_log");
    assert_eq!(
        entries,
        entries_before + 1,
        "three refusals within a minute are one entry"
    );
    let (user, entry_login, note): (String, String, String) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT user, login, note FROM change_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (user.as_str(), entry_login.as_str()),
        (login.as_str(), login.as_str())
    );
    assert!(note.starts_with("claimed lan"), "{note}");
    let unlogged: i64 = query(&db, "SELECT unlogged FROM refusals");
    assert_eq!(unlogged, 2);
    assert_success(&run(&sb, &db, &["doctor"]));
}

#[test]
fn smaller_holes_are_closed() {
    let sb = Sandbox::new();
    let db = sb.init_db("small.sqlite3");
    // A login is a login, not a path.
    let out = run(
        &sb,
        &db,
        &[
            "member",
            "add",
            "x",
            "--login",
            "../root",
            "--agency",
            "SNV",
            "--role",
            "secretary",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a login name"),
        "{}",
        stderr(&out)
    );
    // An empty note is refused, not stored.
    let out = run(&sb, &db, &["task", "set", "5", "--note", ""]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--note is empty"), "{}", stderr(&out));
    assert_eq!(query::<i64>(&db, "SELECT count(*) FROM notes"), 0);
    // task show --format csv is CSV.
    let out = run(&sb, &db, &["task", "show", "5", "--format", "csv"]);
    assert_success(&out);
    assert!(stdout(&out).starts_with("id,plan_ref,"), "{}", stdout(&out));
    // JSON escapes what must not reach a terminal raw, and is still the same JSON.
    let hostile = "A\u{202e}B\u{200d}C\u{9b}D\u{7f}E";
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE tasks SET title = ?1 WHERE id = 5", [hostile])
        .unwrap();
    let out = run(&sb, &db, &["task", "show", "5", "--format", "json"]);
    let text = stdout(&out);
    for raw in ['\u{202e}', '\u{200d}', '\u{9b}', '\u{7f}'] {
        assert!(!text.contains(raw), "{raw:?} raw in the JSON");
    }
    assert!(
        text.contains("\\u202e")
            && text.contains("\\u200d")
            && text.contains("\\u009b")
            && text.contains("\\u007f"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["item"]["title"], hostile);
}

#[test]
fn a_side_file_another_account_left_unwritable_is_named_by_doctor() {
    let sb = Sandbox::new();
    let db = shared_db(&sb);
    let (uid, _) = other_account();
    // SAFETY: getuid has no preconditions.
    assert_eq!(
        unsafe { libc::getuid() },
        0,
        "needs root (CI runs as root): another account must find a -shm it may not write"
    );
    // Another process holds the file open in WAL mode, and its -shm is 0644 (the mode of a
    // file made before the store had its group and 0660).
    let holder = rusqlite::Connection::open(&db).unwrap();
    let _: String = holder
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    let _: i64 = holder
        .query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))
        .unwrap();
    let shm = PathBuf::from(format!("{}-shm", db.display()));
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    chmod(&wal, 0o666);
    chmod(&shm, 0o644);
    let mut cmd = sb.cchc();
    cmd.args(["--lang", "en", "doctor", "--db"]).arg(&db);
    let out = as_account(cmd, uid).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("warn  writable") && text.contains("-shm"),
        "doctor does not see the -shm: {text}"
    );
    let mut cmd = sb.cchc();
    cmd.args([
        "--lang",
        "en",
        "task",
        "set",
        "5",
        "--progress",
        "9",
        "--db",
    ])
    .arg(&db);
    let out = as_account(cmd, uid).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("-shm"), "{}", stderr(&out));
    drop(holder);
}
