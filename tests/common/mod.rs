//! Shared helpers for the integration tests: a temp home per test, the real binary, a seeded db.
#![allow(dead_code)]

pub mod engine;
pub mod pty;

#[allow(unused_imports)]
pub use engine::{new_db, on_postgres, sqlite_only};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The real `cchc` binary with an isolated home, data and config directory, a fixed user
    /// and no colour.
    pub fn cchc(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cchc"));
        let home = self.dir.path().join("home");
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("CCHC_USER", "tester")
            .env("NO_COLOR", "1")
            .env("LANG", "C.UTF-8");
        c
    }

    /// A database created by `cchc init` (a file, or a server database on the PostgreSQL pass).
    pub fn init_db(&self, name: &str) -> PathBuf {
        self.init_at(new_db(self.dir.path(), name))
    }

    /// A SQLite file created by `cchc init`, on either pass (to compare the engines).
    pub fn init_sqlite(&self, name: &str) -> PathBuf {
        self.init_at(self.path(name))
    }

    fn init_at(&self, db: PathBuf) -> PathBuf {
        let out = self
            .cchc()
            .arg("init")
            .arg(&db)
            .output()
            .expect("run cchc init");
        assert_success(&out);
        db
    }
}

pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What a command printed as JSON: for the versioned envelope of docs/JSON.md (`cchc_json`,
/// `kind`, then `items` or `item`) the items or the item, after checking the version; the
/// export (its own `format` and `version`) whole.
pub fn json(out: &Output) -> serde_json::Value {
    unwrap_envelope(json_document(out))
}

/// The whole JSON document a command printed, envelope included.
pub fn json_document(out: &Output) -> serde_json::Value {
    assert_success(out);
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

/// The items or the item of a versioned JSON document (see `json`).
pub fn unwrap_envelope(mut v: serde_json::Value) -> serde_json::Value {
    if v["format"] == "cchc-export" {
        return v;
    }
    assert_eq!(v["cchc_json"], 2, "not a version 2 cchc JSON document: {v}");
    assert!(v["kind"].is_string(), "no kind: {v}");
    match v.as_object_mut() {
        Some(o) if o.contains_key("items") => o.remove("items").unwrap_or_default(),
        Some(o) if o.contains_key("item") => o.remove("item").unwrap_or_default(),
        _ => panic!("neither items nor item: {v}"),
    }
}

pub fn sql_count(db: &Path, sql: &str) -> i64 {
    engine::count(db, sql)
}
pub mod office;
