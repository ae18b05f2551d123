//! Progress on long work (issue 12): `import` (CSV and returned sheets), `backup` and `sheet
//! --all` draw a bar on stderr when it is a terminal, and nothing when it is piped. The real
//! binary, through pipes and in a real pseudo-terminal.

mod common;

use std::path::Path;

use common::*;

const TODAY: &str = "2026-10-05";
/// What only a drawn bar puts on stderr: its cells, a carriage return, a cursor movement.
const BAR_MARKS: [&str; 4] = ["█", "░", "\r", "\x1b["];

/// A tasks CSV of `n` new rows.
fn big_csv(sb: &Sandbox, n: usize) -> std::path::PathBuf {
    let mut text = String::from("area,lead_agency,title,due\n");
    for i in 0..n {
        text.push_str(&format!("tthc,SNV,Việc nhập thử số {i},2026-12-31\n"));
    }
    let path = sb.path("big.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs cchc in a pseudo-terminal; returns all it wrote (stdout and stderr share the terminal).
fn in_terminal(sb: &Sandbox, db: &Path, args: &[&str]) -> String {
    pty::run_to_end(&sb.path("home"), db, 100, args, &[])
}

fn pty_json(sb: &Sandbox, db: &Path, args: &[&str]) -> serde_json::Value {
    json(
        &sb.cchc()
            .args(args)
            .arg("--db")
            .arg(db)
            .output()
            .expect("run cchc"),
    )
}

fn piped(sb: &Sandbox, db: &Path, args: &[&str]) -> String {
    let out = sb
        .cchc()
        .args(args)
        .args(["--today", TODAY, "--db"])
        .arg(db)
        .output()
        .expect("run cchc");
    assert_success(&out);
    stderr(&out)
}

fn assert_no_bar(what: &str, err: &str) {
    for mark in BAR_MARKS {
        assert!(
            !err.contains(mark),
            "{what}: {mark:?} on a piped stderr:\n{err}"
        );
    }
}

#[test]
fn piped_stderr_gets_no_progress_bar() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let csv = big_csv(&sb, 2000);
    let err = piped(&sb, &db, &["import", csv.to_str().unwrap()]);
    assert_no_bar("import", &err);
    assert!(err.contains("UTF-8"), "the usual notes stay: {err}");
    let copy = sb.path("copy.sqlite3");
    assert_no_bar(
        "backup",
        &piped(&sb, &db, &["backup", copy.to_str().unwrap()]),
    );
    let dir = sb.path("sheets");
    let err = piped(
        &sb,
        &db,
        &[
            "sheet",
            "--all",
            "--quarter",
            "2026Q4",
            "--output-dir",
            dir.to_str().unwrap(),
        ],
    );
    assert_no_bar("sheet --all", &err);
    let sheet = dir.join("SNV-2026.xlsx");
    let err = piped(&sb, &db, &["import", sheet.to_str().unwrap(), "--dry-run"]);
    assert_no_bar("import xlsx", &err);
}

#[test]
fn a_terminal_sees_the_bar_of_each_long_command() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let csv = big_csv(&sb, 2000);
    let shown = in_terminal(&sb, &db, &["import", csv.to_str().unwrap()]);
    assert!(
        shown.contains("Kiểm tra các dòng") && shown.contains("Ghi vào cơ sở dữ liệu"),
        "{shown}"
    );
    assert!(shown.contains('█') || shown.contains('░'), "{shown}");
    // The file checked as it is read (in bytes), then its 2,000 change-log entries written.
    assert!(shown.contains("96.60 KiB/96.60 KiB"), "file read: {shown}");
    assert!(shown.contains("2000/2000"), "entries written: {shown}");
    assert!(shown.contains("Đã nhập: 2000"), "{shown}");

    let copy = sb.path("copy.sqlite3");
    let shown = in_terminal(
        &sb,
        &db,
        &["backup", copy.to_str().unwrap(), "--lang", "en"],
    );
    assert!(
        shown.contains("Copying the database") && shown.contains("Verifying the copy"),
        "{shown}"
    );

    let dir = sb.path("sheets");
    let shown = in_terminal(
        &sb,
        &db,
        &[
            "sheet",
            "--all",
            "--quarter",
            "2026Q4",
            "--output-dir",
            dir.to_str().unwrap(),
        ],
    );
    assert!(shown.contains("Ghi bảng tính từng cơ quan"), "{shown}");
    // The bar ends full, agencies without work counted too.
    let agencies = pty_json(&sb, &db, &["agencies", "--format", "json"]);
    let n = agencies.as_array().unwrap().len();
    assert!(
        shown.contains(&format!("{n}/{n}")),
        "{n}/{n} never shown:\n{shown}"
    );
    let sheet = dir.join("SNV-2026.xlsx");
    let shown = in_terminal(&sb, &db, &["import", sheet.to_str().unwrap(), "--dry-run"]);
    assert!(shown.contains("Đọc bảng tính"), "{shown}");
}
