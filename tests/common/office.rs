//! Helpers for the office tests (tests/sheets.rs, tests/sheets_office.rs): a seeded database
//! run "today", workbooks read with calamine, Python scripts of tests/office.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, DataType, Range, Reader};

use super::*;

pub const TODAY: &str = "2026-11-15";

/// The sandbox, its database, and a way to run cchc on it "today".
pub struct Office {
    pub sb: Sandbox,
    pub db: PathBuf,
}

impl Office {
    pub fn new() -> Office {
        let sb = Sandbox::new();
        let db = sb.init_db("cchc.sqlite3");
        Office { sb, db }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_as("tester", args)
    }

    pub fn run_as(&self, user: &str, args: &[&str]) -> Output {
        self.sb
            .cchc()
            .current_dir(self.sb.dir.path())
            .env("CCHC_USER", user)
            .args(["--today", TODAY, "--db"])
            .arg(&self.db)
            .args(args)
            .output()
            .expect("run cchc")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.sb.path(name)
    }

    pub fn p(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// The SNV sheet for the year 2026 (`--quarter 2026Q4`, the old spelling), written to `name`.
    pub fn snv_sheet(&self, name: &str) -> PathBuf {
        assert_success(&self.run(&[
            "sheet",
            "--agency",
            "SNV",
            "--quarter",
            "2026Q4",
            "--output",
            &self.p(name),
        ]));
        self.path(name)
    }

    /// An agency's sheet for a period, written to `name`.
    pub fn sheet(&self, agency: &str, period: &str, name: &str) -> PathBuf {
        assert_success(&self.run(&[
            "sheet",
            "--agency",
            agency,
            "--period",
            period,
            "--output",
            &self.p(name),
        ]));
        self.path(name)
    }

    /// Every task, as `cchc tasks --format json` lists them.
    pub fn tasks(&self) -> Vec<serde_json::Value> {
        json(&self.run(&["tasks", "--format", "json"]))
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn log_count(&self) -> i64 {
        sql_count(&self.db, "SELECT count(*) FROM change_log")
    }

    pub fn task(&self, id: i64) -> serde_json::Value {
        json(&self.run(&["task", "show", &id.to_string(), "--format", "json"]))
    }

    pub fn measurements(&self, indicator: &str) -> i64 {
        super::engine::count(
            &self.db,
            &format!("SELECT count(*) FROM measurements WHERE indicator = '{indicator}'"),
        )
    }
}

pub fn range(path: &Path, sheet: &str) -> Range<Data> {
    let mut wb = calamine::open_workbook_auto(path).expect("calamine opens the workbook");
    wb.worksheet_range(sheet).expect("sheet exists")
}

pub fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    r.get_value((row, col))
        .and_then(|d| d.as_string())
        .unwrap_or_default()
}

/// (sheet row as shown, 1-based; task id; version) of every task row of an agency sheet.
pub fn task_rows(path: &Path) -> Vec<(u32, i64, i64)> {
    let r = range(path, "Nhiệm vụ");
    (6..r.end().unwrap().0 + 1)
        .filter_map(|row| {
            let id = r.get_value((row, 0))?.as_i64()?;
            let version = r.get_value((row, 10))?.as_i64()?;
            Some((row + 1, id, version))
        })
        .collect()
}

/// Runs a Python script of tests/office; python3 and openpyxl must be there.
pub fn python(script: &str, args: &[&str]) -> Output {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/office")
        .join(script);
    let out = Command::new("python3")
        .arg(&path)
        .args(args)
        .output()
        .expect("python3 is required for the office tests (CI installs python3 and openpyxl)");
    assert!(
        out.status.success(),
        "{script} failed (is openpyxl installed? `pip install openpyxl`):\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

/// Fills in a sheet with openpyxl, touching only unlocked cells.
pub fn fill_in(o: &Office, from: &Path, to: &str, edits: serde_json::Value) -> PathBuf {
    let edits_file = o.path(&format!("{to}.json"));
    std::fs::write(&edits_file, edits.to_string()).unwrap();
    python(
        "edit_sheet.py",
        &[
            &from.display().to_string(),
            &o.p(to),
            &edits_file.display().to_string(),
        ],
    );
    o.path(to)
}
