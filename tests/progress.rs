//! Progress on long work (issue 12): `import` (CSV and returned sheets), `backup` and `sheet
//! --all` draw a bar on stderr when it is a terminal, and nothing when it is piped. The real
//! binary, through pipes and in a real pseudo-terminal.

mod common;

use std::io::Read;
use std::path::Path;

use common::*;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

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
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cchc"));
    cmd.env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
    cmd.env("HOME", sb.path("home"));
    cmd.env("CCHC_USER", "tester");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(sb.dir.path());
    cmd.args(args);
    cmd.args(["--today", TODAY, "--db"]);
    cmd.arg(db);
    let mut child = pty.slave.spawn_command(cmd).expect("spawn cchc");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("pty reader");
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
    let status = child.wait().expect("wait for cchc");
    drop(pty.master);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(status.success(), "exit {status:?}\n{text}");
    text
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
    let sheet = dir.join("SNV-2026Q4.xlsx");
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
    assert!(shown.contains("/4000"), "rows checked and written: {shown}");
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
    let sheet = dir.join("SNV-2026Q4.xlsx");
    let shown = in_terminal(&sb, &db, &["import", sheet.to_str().unwrap(), "--dry-run"]);
    assert!(shown.contains("Đọc bảng tính"), "{shown}");
}
