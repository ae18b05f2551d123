//! `cchc migrate`: a working group's SQLite file moved to PostgreSQL and back, every row and
//! the change log's hashes unchanged, each copy verified as `log --verify` does.

mod common;

use common::{Sandbox, assert_success, engine, stderr, stdout};

fn cchc(sb: &Sandbox, db: &std::path::Path, args: &[&str]) -> std::process::Output {
    sb.cchc().arg("--db").arg(db).args(args).output().unwrap()
}

/// The head line `log --verify` prints: "… head N:HASH …".
fn head(sb: &Sandbox, db: &std::path::Path) -> String {
    let out = cchc(sb, db, &["log", "--verify"]);
    assert_success(&out);
    let text = stdout(&out);
    let at = text.find("head ").expect("a head") + 5;
    text[at..]
        .split([')', ' ', ','])
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_file_moves_to_the_server_and_back_with_its_history() {
    let sb = Sandbox::new();
    let file = sb.init_sqlite("group.sqlite3");
    for args in [
        &[
            "task",
            "set",
            "5",
            "--status",
            "in-progress",
            "--progress",
            "40",
        ][..],
        &["task", "set", "5", "--note", "Đã họp với Sở Tư pháp"],
        &["indicator", "record", "tthc-dvctt-toan-trinh", "72"],
        &[
            "--user",
            "chi",
            "member",
            "add",
            "chi",
            "--agency",
            "SNV",
            "--role",
            "secretary",
        ],
    ] {
        assert_success(&cchc(&sb, &file, args));
    }
    let server = engine::new_server_db("moved");
    let out = sb
        .cchc()
        .args(["migrate"])
        .arg(&file)
        .arg(&server)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(stdout(&out).contains("422"), "{}", stdout(&out));
    assert_eq!(
        head(&sb, &file),
        head(&sb, &server),
        "the same chain, the same head"
    );
    for table in ["tasks", "notes", "measurements", "members", "change_log"] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(
            engine::count(&file, &sql),
            engine::count(&server, &sql),
            "{table}"
        );
    }
    // The server database takes new work; a new task gets the next id after the copied ones.
    let title = "Việc mới trên máy chủ";
    let added = cchc(
        &sb,
        &server,
        &[
            "--user", "chi", "task", "add", "--area", "tthc", "--agency", "SNV",
        ],
    );
    assert_eq!(
        added.status.code(),
        Some(2),
        "the title and due date are required"
    );
    let added = cchc(
        &sb,
        &server,
        &[
            "--user",
            "chi",
            "task",
            "add",
            "--area",
            "tthc",
            "--agency",
            "SNV",
            "--title",
            title,
            "--due",
            "2027-06-30",
        ],
    );
    assert_success(&added);
    assert_eq!(
        engine::count(&server, "SELECT max(id) FROM tasks"),
        engine::count(&file, "SELECT max(id) FROM tasks") + 1
    );
    // And back into a new file, which verifies too, with the server's newer head.
    let back = sb.path("back.sqlite3");
    let out = sb
        .cchc()
        .args(["migrate"])
        .arg(&server)
        .arg(&back)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(head(&sb, &server), head(&sb, &back));
    // A target that is not empty is refused, and left as it was.
    let before = engine::snapshot(&back);
    let again = sb
        .cchc()
        .args(["migrate"])
        .arg(&file)
        .arg(&back)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(engine::snapshot(&back), before);
    let full = sb
        .cchc()
        .args(["migrate"])
        .arg(&back)
        .arg(&server)
        .output()
        .unwrap();
    assert_eq!(full.status.code(), Some(1));
    assert!(stderr(&full).contains("empty"), "{}", stderr(&full));
}
