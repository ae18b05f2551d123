//! Files that are not what they should be, files members may not write, and files on a
//! network share: each refused (or read) with a clear message, the file left byte for byte
//! as it was.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// In English: the messages are matched by their words (the Vietnamese ones, the default,
/// are `error::said`'s, tested there and by tests/cli.rs).
fn run(sb: &Sandbox, db: &Path, args: &[&str]) -> Output {
    sb.cchc()
        .env("CCHC_LANG", "en")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

/// The error line, without warnings printed before it.
fn error_line(out: &Output) -> String {
    stderr(out)
        .lines()
        .filter(|l| !l.starts_with("cchc: warning:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_refused(out: &Output, expect: &str, what: &str) {
    let err = error_line(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
    assert!(err.contains(expect), "{what}: expected {expect:?} in {err}");
}

fn copy_prefix(from: &Path, to: &Path, len: usize) {
    let bytes = std::fs::read(from).unwrap();
    std::fs::write(to, &bytes[..len]).unwrap();
}

/// A cchc file whose `tasks` table has a broken root page.
fn corrupt_page(sb: &Sandbox, name: &str) -> PathBuf {
    let db = sb.init_db(name);
    let (root, page_size): (i64, i64) = {
        let c = rusqlite::Connection::open(&db).unwrap();
        (
            c.query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'tasks'",
                [],
                |r| r.get(0),
            )
            .unwrap(),
            c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap(),
        )
    };
    assert!(
        !Path::new(&format!("{}-wal", db.display())).exists(),
        "the WAL was checkpointed on close"
    );
    let mut bytes = std::fs::read(&db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    // Not a b-tree page type any more, and garbage where the cell pointers were.
    bytes[at] = 0x00;
    for b in &mut bytes[at + 1..at + 64] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    db
}

#[test]
fn bad_files_each_have_their_own_message_and_stay_untouched() {
    let sb = Sandbox::new();
    let good = sb.init_db("good.sqlite3");
    let good_len = std::fs::metadata(&good).unwrap().len() as usize;

    let mut cases: Vec<(&str, PathBuf, &str)> = Vec::new();
    let empty = sb.path("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    cases.push(("zero-length", empty, "the file is empty"));

    let text = sb.path("notes.sqlite3");
    std::fs::write(
        &text,
        "Biên bản họp tổ công tác CCHC, quý III/2026.\n".repeat(10),
    )
    .unwrap();
    cases.push(("not SQLite", text, "not an SQLite file"));

    let stub = sb.path("stub.sqlite3");
    copy_prefix(&good, &stub, 60);
    cases.push(("truncated inside the header", stub, "the file is truncated"));

    let half = sb.path("half.sqlite3");
    copy_prefix(&good, &half, good_len / 2);
    cases.push(("truncated", half, "where its header promises"));

    cases.push((
        "a corrupted page",
        corrupt_page(&sb, "corrupt.sqlite3"),
        "the database is damaged",
    ));

    let foreign = sb.path("foreign.sqlite3");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("PRAGMA application_id = 0x47504B47; CREATE TABLE features(id);")
            .unwrap();
    }
    cases.push((
        "another application's id",
        foreign,
        "application_id 0x47504b47",
    ));

    let anonymous = sb.path("anonymous.sqlite3");
    {
        let c = rusqlite::Connection::open(&anonymous).unwrap();
        c.execute_batch(
            "CREATE TABLE contacts(name, phone); INSERT INTO contacts VALUES ('a', 'b');",
        )
        .unwrap();
    }
    cases.push((
        "another application's file without an id",
        anonymous,
        "an SQLite file made by another application",
    ));

    let newer = sb.init_db("newer.sqlite3");
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", cchc::store::SCHEMA_VERSION + 1)
            .unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE;").unwrap();
    }
    cases.push(("a newer cchc schema", newer, "made by a newer cchc"));

    let mut messages = std::collections::HashSet::new();
    for (what, file, expect) in &cases {
        let before = std::fs::read(file).unwrap();
        let read = run(&sb, file, &["tasks", "--format", "json"]);
        assert_refused(&read, expect, what);
        assert!(read.stdout.is_empty(), "{what}: printed tasks");
        let write = run(&sb, file, &["task", "set", "1", "--progress", "5"]);
        assert_refused(&write, expect, what);
        let doctor = run(&sb, file, &["doctor"]);
        assert_eq!(doctor.status.code(), Some(1), "{what}: doctor must fail");
        assert!(
            error_line(&doctor).contains(expect) || stdout(&doctor).contains("FAIL"),
            "{what}: doctor said {} {}",
            stdout(&doctor),
            stderr(&doctor)
        );
        assert!(
            std::fs::read(file).unwrap() == before,
            "{what}: the file changed"
        );
        // The message names the file, so a member knows which one.
        assert!(
            error_line(&read).contains(&*file.to_string_lossy()),
            "{what}: {}",
            error_line(&read)
        );
        let reason = error_line(&read).replace(&*file.to_string_lossy(), "FILE");
        assert!(
            messages.insert(reason.clone()),
            "{what}: same message as another case: {reason}"
        );
    }
}

#[test]
fn doctor_names_the_damage_in_a_corrupted_page() {
    let sb = Sandbox::new();
    let db = corrupt_page(&sb, "corrupt.sqlite3");
    let out = run(&sb, &db, &["doctor", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let integrity = text
        .lines()
        .find(|l| l.contains("integrity"))
        .expect("an integrity line");
    assert!(integrity.contains("FAIL"), "{text}");
    assert!(text.contains("restore the latest backup"), "{text}");
}

#[test]
fn an_export_that_meets_damage_leaves_no_file_and_keeps_the_old_one() {
    let sb = Sandbox::new();
    let db = corrupt_page(&sb, "corrupt.sqlite3");
    // The tasks are read as they are written: the damage is met after the output was opened.
    for format in ["csv", "json"] {
        let fresh = sb.path(&format!("new.{format}"));
        let out = run(
            &sb,
            &db,
            &[
                "export",
                "--format",
                format,
                "--output",
                &fresh.to_string_lossy(),
            ],
        );
        assert_refused(&out, "the database is damaged", format);
        assert!(!fresh.exists(), "{format}: a half export was left");
        let kept = sb.path(&format!("kept.{format}"));
        std::fs::write(&kept, "the export of yesterday\n").unwrap();
        // --force: a file cchc did not make is replaced only when asked (issue 22).
        let out = run(
            &sb,
            &db,
            &[
                "--force",
                "export",
                "--format",
                format,
                "--output",
                &kept.to_string_lossy(),
            ],
        );
        assert_refused(&out, "the database is damaged", format);
        assert_eq!(
            std::fs::read_to_string(&kept).unwrap(),
            "the export of yesterday\n",
            "{format}: the earlier export was overwritten by a failed one"
        );
    }
    let left: Vec<_> = std::fs::read_dir(sb.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The temp a file is written to is hidden (`.NAME.cchc-…`) where it has a name at all.
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

// ---- permissions -----------------------------------------------------------------------

/// Runs the child as an unprivileged user when the tests run as root (CI does), since root
/// ignores file permissions and would never exercise the checks.
fn as_member(mut cmd: Command) -> Command {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        cmd.uid(65534).gid(65534);
    }
    cmd
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A database in its own directory, both reachable by the unprivileged user.
fn shared_db(sb: &Sandbox) -> (PathBuf, PathBuf) {
    chmod(sb.dir.path(), 0o755);
    let dir = sb.path("shared");
    std::fs::create_dir(&dir).unwrap();
    let db = sb.init_db("shared/plan.sqlite3");
    (dir, db)
}

#[test]
fn a_read_only_file_is_read_but_not_written() {
    let sb = Sandbox::new();
    let (dir, db) = shared_db(&sb);
    chmod(&dir, 0o777);
    chmod(&db, 0o444);
    let before = std::fs::read(&db).unwrap();

    let mut write = as_member(sb.cchc());
    write
        .args(["task", "set", "1", "--progress", "50", "--db"])
        .arg(&db);
    let out = write.output().unwrap();
    assert_refused(&out, "no write permission on", "read-only file");
    let err = error_line(&out);
    assert!(
        err.contains("plan.sqlite3") && err.contains("group"),
        "{err}"
    );

    let mut read = as_member(sb.cchc());
    read.args(["tasks", "--format", "json", "--db"]).arg(&db);
    let out = read.output().unwrap();
    assert_success(&out);
    assert!(json(&out).as_array().unwrap().len() > 100);

    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
    assert_eq!(sql_count(&db, "SELECT progress FROM tasks WHERE id = 1"), 0);
}

#[test]
fn a_directory_without_write_permission_is_read_but_not_written() {
    let sb = Sandbox::new();
    let (dir, db) = shared_db(&sb);
    chmod(&db, 0o666);
    chmod(&dir, 0o555);
    let before = std::fs::read(&db).unwrap();

    let mut write = as_member(sb.cchc());
    write
        .args(["task", "set", "1", "--progress", "50", "--db"])
        .arg(&db);
    let out = write.output().unwrap();
    assert_refused(
        &out,
        "no write permission on the directory",
        "read-only directory",
    );
    assert!(error_line(&out).contains(&*dir.to_string_lossy()));

    let mut read = as_member(sb.cchc());
    read.args(["tasks", "--format", "json", "--db"]).arg(&db);
    let out = read.output().unwrap();
    assert_success(&out);
    assert!(json(&out).as_array().unwrap().len() > 100);
    assert!(stderr(&out).contains("without locks"), "{}", stderr(&out));

    chmod(&dir, 0o755);
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
}

// ---- network filesystems ---------------------------------------------------------------

#[test]
fn a_file_on_a_network_share_is_refused_with_the_one_host_setup() {
    let sb = Sandbox::new();
    let db = sb.init_db("net.sqlite3");
    let before = std::fs::read(&db).unwrap();
    for (fake, name) in [
        ("nfs", "NFS"),
        ("cifs", "CIFS"),
        ("smb2", "SMB2"),
        ("fuse", "FUSE"),
        ("9p", "9p"),
    ] {
        for args in [&["tasks"][..], &["task", "set", "1", "--progress", "5"]] {
            let out = sb
                .cchc()
                .env("CCHC_LANG", "en")
                .env("CCHC_FAKE_FS", fake)
                .args(args)
                .arg("--db")
                .arg(&db)
                .output()
                .unwrap();
            assert_refused(&out, &format!("network filesystem ({name})"), fake);
            let err = error_line(&out);
            assert!(
                err.contains("--network-share") && err.contains("SSH"),
                "{err}"
            );
        }
    }
    assert!(std::fs::read(&db).unwrap() == before, "the file changed");
    // Creating a file there is refused too.
    let fresh = sb.path("fresh.sqlite3");
    let out = sb
        .cchc()
        .env("CCHC_FAKE_FS", "nfs")
        .arg("init")
        .arg(&fresh)
        .output()
        .unwrap();
    // In the default language, Vietnamese.
    assert_refused(&out, "nằm trên ổ mạng (NFS)", "init");
    assert!(!fresh.exists());
}

#[test]
fn network_share_uses_the_rollback_journal_with_a_warning() {
    let sb = Sandbox::new();
    let db = sb.init_db("net.sqlite3");
    let out = sb
        .cchc()
        .env("CCHC_FAKE_FS", "nfs")
        .args([
            "task",
            "set",
            "1",
            "--progress",
            "30",
            "--network-share",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("warning") && err.contains("rollback journal") && err.contains("every member"),
        "{err}"
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    assert_eq!(
        sql_count(&db, "SELECT progress FROM tasks WHERE id = 1"),
        30
    );
    assert!(!Path::new(&format!("{}-wal", db.display())).exists());
    drop(c);

    // On a local disk the flag changes nothing but says so, and the file is back in WAL.
    let out = sb
        .cchc()
        .args([
            "task",
            "set",
            "1",
            "--progress",
            "40",
            "--network-share",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(
        stderr(&out).contains("--network-share ignored"),
        "{}",
        stderr(&out)
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}
