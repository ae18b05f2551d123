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
    // The refusal is logged with the real account, not only the claimed name.
    let (user, logged_uid, logged_login): (String, i64, String) =
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(
                "SELECT user, uid, login FROM change_log WHERE action = 'refused' ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
    assert_eq!(
        (user.as_str(), logged_uid, logged_login.as_str()),
        ("lan", i64::from(uid), login.as_str())
    );

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
