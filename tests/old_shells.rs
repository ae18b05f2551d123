//! The distribution's own sqlite3 shell — older than the bundled SQLite — must find a cchc file
//! sound: an operator who runs `PRAGMA integrity_check` by hand reads any other answer as
//! corruption. Debian 12 ships 3.40.1, whose NOT NULL check misreads an integral REAL in a
//! WITHOUT ROWID table (the old `targets`); CI installs the distribution's `sqlite3`.

mod common;

use std::process::Command;

use common::{Sandbox, assert_success};

fn shell(db: &std::path::Path, sql: &str) -> String {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("the distribution's sqlite3 shell is installed (apt-get install sqlite3)");
    assert_success(&out);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_fresh_file_passes_the_system_shells_integrity_check() {
    let sb = Sandbox::new();
    let db = sb.init_db("fresh.sqlite3");
    let version = shell(&db, "SELECT sqlite_version()");
    assert_eq!(
        shell(&db, "PRAGMA integrity_check"),
        "ok",
        "sqlite3 {version} on a fresh file"
    );
    // Integral targets (95, 100) are what the old shells misread; the plan has them.
    let integral: i64 = shell(
        &db,
        "SELECT count(*) FROM targets WHERE value = CAST(value AS INTEGER)",
    )
    .parse()
    .expect("a count");
    assert!(integral > 0);
}

#[test]
fn a_file_made_before_the_rebuild_passes_after_cchc_opens_it() {
    let sb = Sandbox::new();
    let db = sb.init_db("old.sqlite3");
    // Put the file back to schema 2's WITHOUT ROWID targets, as every file made before
    // migration 3 has it, and check that the old shell indeed complains about it.
    shell(
        &db,
        "BEGIN; CREATE TABLE t2 (indicator TEXT NOT NULL REFERENCES indicators(code), \
         value REAL NOT NULL, due TEXT NOT NULL, PRIMARY KEY (indicator, due)) WITHOUT ROWID; \
         INSERT INTO t2 SELECT indicator, value, due FROM targets; DROP TABLE targets; \
         ALTER TABLE t2 RENAME TO targets; PRAGMA user_version = 2; COMMIT;",
    );
    let targets_before = shell(
        &db,
        "SELECT group_concat(indicator || value || due) FROM targets",
    );
    let old_shell_complains = shell(&db, "PRAGMA integrity_check") != "ok";

    let out = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .arg("areas")
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(shell(&db, "PRAGMA integrity_check"), "ok");
    assert_eq!(
        shell(
            &db,
            "SELECT group_concat(indicator || value || due) FROM targets"
        ),
        targets_before,
        "the rebuild keeps every target"
    );
    // Says which shell this ran under, so a pass on a newer shell is not mistaken for the fix.
    eprintln!(
        "sqlite3 {}: complained before the rebuild: {old_shell_complains}",
        shell(&db, "SELECT sqlite_version()")
    );
}
