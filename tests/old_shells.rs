//! The distribution's own sqlite3 shell — older than the bundled SQLite — must find a cchc file
//! sound: an operator who runs `PRAGMA integrity_check` by hand reads any other answer as
//! corruption. Debian 12 ships 3.40.1, whose NOT NULL check misreads an integral REAL in a
//! WITHOUT ROWID table (the old `targets`); CI installs the distribution's `sqlite3`.

mod common;

use std::process::Command;

use common::{Sandbox, assert_success};

// The upgrade of a file made before the rebuild is tested beside the migrations
// (src/store/schema.rs), which can build a schema-2 file.

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
