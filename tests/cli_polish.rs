//! The CLI for people and for scripts (issue 12, "The CLI"): tables that fit the terminal, data
//! alone on stdout, local times, `--color`. The real binary, through pipes and a real
//! pseudo-terminal.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, FixedOffset, Utc};
use common::*;
use unicode_width::UnicodeWidthStr;

const TODAY: &str = "2027-01-01";
/// Longer than any terminal line: it must be cut in a table and whole in JSON.
const LONG_TITLE: &str = "Rà soát, đơn giản hoá và công bố đầy đủ thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Nội vụ trên Cổng Dịch vụ công quốc gia và Hệ thống thông tin giải quyết thủ tục hành chính tỉnh";

fn run(sb: &Sandbox, db: &Path, columns: &str, args: &[&str]) -> Output {
    sb.cchc()
        .env("COLUMNS", columns)
        .args(args)
        .args(["--today", TODAY, "--db"])
        .arg(db)
        .output()
        .expect("run cchc")
}

fn ok(sb: &Sandbox, db: &Path, columns: &str, args: &[&str]) -> Output {
    let out = run(sb, db, columns, args);
    assert_success(&out);
    out
}

/// A seeded file with a task whose title is too long for any table, a note and a change.
fn file_with_a_long_title(sb: &Sandbox) -> (std::path::PathBuf, i64) {
    let db = sb.init_db("p.sqlite3");
    let added = json(&run(
        sb,
        &db,
        "80",
        &[
            "task",
            "add",
            "--area",
            "tthc",
            "--agency",
            "SNV",
            "--title",
            LONG_TITLE,
            "--due",
            "2026-06-30",
            "--format",
            "json",
        ],
    ));
    let id = added[0]["id"].as_i64().expect("the new task's id");
    ok(
        sb,
        &db,
        "80",
        &[
            "task",
            "set",
            &id.to_string(),
            "--progress",
            "40",
            "--note",
            "đã gửi dự thảo",
        ],
    );
    (db, id)
}

/// Every line of a table, each no wider than `width` terminal columns.
fn assert_fits(what: &str, text: &str, width: usize) {
    assert!(text.lines().count() >= 2, "{what}: no table\n{text}");
    for l in text.lines() {
        assert!(
            l.width() <= width,
            "{what}: a line of {} columns at COLUMNS={width}:\n{l}",
            l.width()
        );
    }
}

#[test]
fn tables_fit_80_columns_and_titles_are_cut_with_an_ellipsis() {
    let sb = Sandbox::new();
    let (db, id) = file_with_a_long_title(&sb);
    for cmd in ["tasks", "areas", "agencies", "log", "indicators"] {
        let out = ok(&sb, &db, "80", &[cmd]);
        assert_fits(cmd, &stdout(&out), 80);
    }
    let agencies = ok(&sb, &db, "80", &["agency", "list", "--lang", "en"]);
    assert_fits("agency list", &stdout(&agencies), 80);

    // Each row of `tasks` ends in its whole title, or in the start of it and "…".
    let all = json(&run(&sb, &db, "80", &["tasks", "--format", "json"]));
    let titles: std::collections::HashMap<i64, String> = all
        .as_array()
        .expect("an array of tasks")
        .iter()
        .map(|t| {
            (
                t["id"].as_i64().unwrap(),
                t["title"].as_str().unwrap().into(),
            )
        })
        .collect();
    let table = stdout(&ok(&sb, &db, "80", &["tasks"]));
    let mut cut = 0;
    for row in table.lines().skip(1) {
        let row_id: i64 = row
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a row that does not start with an id: {row}"));
        let title = &titles[&row_id];
        if row.ends_with(title.as_str()) {
            continue;
        }
        let kept = row
            .strip_suffix('…')
            .unwrap_or_else(|| panic!("#{row_id} is neither whole nor cut with …: {row}"));
        // The longest start of the title the row ends with: several words, never nothing.
        let shown = title
            .char_indices()
            .map(|(i, _)| &title[..i])
            .filter(|p| kept.ends_with(p))
            .max_by_key(|p| p.len())
            .unwrap_or_default();
        assert!(
            shown.chars().count() >= 10,
            "#{row_id}: too little of {title:?} in {row:?}"
        );
        cut += 1;
    }
    assert!(cut > 0, "no title was cut at 80 columns:\n{table}");

    // The long task: cut in the table, whole in JSON.
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{id} ")))
        .expect("the long task's row");
    assert!(row.ends_with('…') && !row.contains(LONG_TITLE), "{row}");
    let shown = json(&run(
        &sb,
        &db,
        "80",
        &["task", "show", &id.to_string(), "--format", "json"],
    ));
    assert_eq!(shown["title"], LONG_TITLE);
    assert_eq!(titles[&id], LONG_TITLE);

    // A wide terminal shows the whole title: the table follows the width, it has no cap.
    let wide = stdout(&ok(&sb, &db, "300", &["tasks"]));
    assert!(wide.lines().any(|l| l.ends_with(LONG_TITLE)), "{wide}");
    assert_fits("tasks at 300", &wide, 300);
}

#[test]
fn without_a_terminal_or_columns_tables_fit_120() {
    let sb = Sandbox::new();
    let (db, _) = file_with_a_long_title(&sb);
    let out = sb
        .cchc()
        .args(["tasks", "--today", TODAY, "--db"])
        .arg(&db)
        .output()
        .expect("run cchc");
    assert_success(&out);
    let table = stdout(&out);
    assert_fits("tasks", &table, 120);
    assert!(table.lines().any(|l| l.width() == 120), "{table}");
}

#[test]
fn the_summary_is_on_stderr_and_stdout_is_the_table_alone() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let out = ok(&sb, &db, "80", &["tasks", "--overdue"]);
    let overdue = json(&run(
        &sb,
        &db,
        "80",
        &["tasks", "--overdue", "--format", "json"],
    ));
    let n = overdue.as_array().expect("array").len();
    let table = stdout(&out);
    let mut lines = table.lines();
    assert!(
        lines.next().unwrap_or_default().contains("Nhiệm vụ"),
        "{table}"
    );
    // Every other line is a task's row, and there is one per task.
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), n, "{table}");
    for r in &rows {
        assert!(
            r.split_whitespace()
                .next()
                .is_some_and(|id| id.parse::<i64>().is_ok()),
            "not a row: {r}"
        );
    }
    assert_eq!(
        stderr(&out).trim_end(),
        format!("{n} nhiệm vụ · {n} quá hạn · tính đến 01/01/2027")
    );

    // The same for one added task, and in English.
    let added = ok(
        &sb,
        &db,
        "80",
        &[
            "task",
            "add",
            "--area",
            "tthc",
            "--agency",
            "SNV",
            "--title",
            "Một việc mới",
            "--due",
            "2027-03-31",
            "--lang",
            "en",
        ],
    );
    assert_eq!(stdout(&added).lines().count(), 2, "{}", stdout(&added));
    assert_eq!(
        stderr(&added).trim_end(),
        "1 tasks · 0 overdue · as of 01/01/2027"
    );

    // The member list: the table on stdout, who you are on stderr.
    let members = ok(&sb, &db, "80", &["member", "list", "--lang", "en"]);
    assert!(!stdout(&members).contains("You:"), "{}", stdout(&members));
    assert!(
        stderr(&members).starts_with("You: "),
        "{}",
        stderr(&members)
    );
}

/// The stored instant of the newest change-log entry, read from the file with SQLite.
fn stored_at(db: &Path, id: i64) -> String {
    common::engine::text(db, &format!("SELECT at FROM change_log WHERE id = {id}"))
}

fn local(at: &DateTime<FixedOffset>, hours: i32) -> String {
    let zone = FixedOffset::east_opt(hours * 3600).expect("offset");
    at.with_timezone(&zone).format("%d/%m/%Y %H:%M").to_string()
}

#[test]
fn log_and_task_show_print_local_time_and_json_keeps_the_offset() {
    let sb = Sandbox::new();
    let (db, id) = file_with_a_long_title(&sb);
    let in_hanoi = |args: &[&str]| {
        let out = sb
            .cchc()
            .env("TZ", "Asia/Ho_Chi_Minh")
            .env("COLUMNS", "120")
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("run cchc");
        assert_success(&out);
        out
    };

    let entries = json(&in_hanoi(&["log", "--format", "json"]));
    let newest = &entries.as_array().expect("array")[0];
    let entry = newest["id"].as_i64().expect("id");
    let at_text = newest["at"].as_str().expect("at");
    // JSON: RFC 3339 with its offset (parse_from_rfc3339 refuses a time without one), the
    // instant the file stores, whose text the hash covers.
    let at = DateTime::parse_from_rfc3339(at_text).expect("RFC 3339 with an offset");
    assert_eq!(
        DateTime::parse_from_rfc3339(&stored_at(&db, entry))
            .expect("stored")
            .with_timezone(&Utc),
        at.with_timezone(&Utc)
    );

    // The table: local time, 7 hours after UTC in Hà Nội, to the minute.
    let hanoi = local(&at, 7);
    let utc = local(&at, 0);
    assert_ne!(hanoi, utc);
    let table = stdout(&in_hanoi(&["log"]));
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{entry} ")))
        .unwrap_or_else(|| panic!("entry {entry} in\n{table}"));
    assert!(row.contains(&hanoi), "{hanoi} in {row}");
    // No stored instant ("2026-12-01T19:40…Z") is printed as it is.
    assert!(!table.contains(&at_text[..16]), "{table}");

    // The same file read in UTC shows the UTC time: the zone, not a constant, moved it.
    let in_utc = sb
        .cchc()
        .env("TZ", "UTC")
        .env("COLUMNS", "120")
        .args(["log", "--db"])
        .arg(&db)
        .output()
        .expect("run cchc");
    assert_success(&in_utc);
    assert!(stdout(&in_utc).contains(&utc), "{}", stdout(&in_utc));

    // `task show`: the note and the history in local time too; JSON keeps the offset.
    let shown = stdout(&in_hanoi(&["task", "show", &id.to_string()]));
    assert!(
        shown.contains(&format!("{hanoi} tester: đã gửi dự thảo")),
        "{shown}"
    );
    assert!(!shown.contains("Z "), "a UTC instant in {shown}");
    let shown = json(&in_hanoi(&[
        "task",
        "show",
        &id.to_string(),
        "--format",
        "json",
    ]));
    for e in shown["history"].as_array().expect("history") {
        DateTime::parse_from_rfc3339(e["at"].as_str().expect("at")).expect("an offset");
    }
    DateTime::parse_from_rfc3339(shown["notes"][0]["at"].as_str().expect("note at"))
        .expect("an offset");

    // What is printed is not what is hashed: the chain still verifies.
    assert_success(&in_hanoi(&["log", "--verify"]));
}

const SGR: &str = "\x1b[";

#[test]
fn color_always_never_and_no_color_through_a_pipe() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    // The sandbox sets NO_COLOR=1; --color always wins over it.
    for cmd in ["tasks", "indicators", "areas"] {
        let always = ok(&sb, &db, "80", &[cmd, "--color", "always"]);
        assert!(stdout(&always).contains(SGR), "{cmd}: no colour");
        let never = ok(&sb, &db, "80", &[cmd, "--color", "never"]);
        assert!(!stdout(&never).contains('\x1b'), "{cmd}: colour");
        let auto = ok(&sb, &db, "80", &[cmd]);
        assert!(
            !stdout(&auto).contains('\x1b'),
            "{cmd}: colour with NO_COLOR"
        );
    }
    // The overdue rows are red; colour does not make a line wider.
    let always = stdout(&ok(
        &sb,
        &db,
        "80",
        &["tasks", "--overdue", "--color", "always"],
    ));
    assert!(
        always.lines().skip(1).all(|l| l.starts_with("\x1b[31m")),
        "{always}"
    );
    assert_fits("tasks --color always", &strip_sgr(&always), 80);

    // Into a pipe without NO_COLOR, auto is plain too.
    let out = sb
        .cchc()
        .env_remove("NO_COLOR")
        .args(["tasks", "--today", TODAY, "--db"])
        .arg(&db)
        .output()
        .expect("run cchc");
    assert_success(&out);
    assert!(!stdout(&out).contains('\x1b'));

    let bad = run(&sb, &db, "80", &["tasks", "--color", "sometimes"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("always"), "{}", stderr(&bad));
}

fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(SGR) {
        out.push_str(&rest[..i]);
        let after = &rest[i + SGR.len()..];
        let end = after.find('m').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Runs cchc in a pseudo-terminal `cols` wide with the given environment; returns all it
/// wrote, line ends as the program wrote them.
fn in_terminal(db: &Path, cols: u16, args: &[&str], env: &[(&str, &str)]) -> String {
    let sb = Sandbox::new();
    pty::run_to_end(&sb.path("home"), db, cols, args, env).replace("\r\n", "\n")
}

#[test]
fn in_a_terminal_the_table_fits_its_width_and_colour_follows_no_color() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    // The terminal's own width wins over COLUMNS.
    let coloured = in_terminal(&db, 100, &["tasks", "--overdue"], &[("COLUMNS", "60")]);
    assert!(coloured.contains("\x1b[31m"), "{coloured}");
    let plain = strip_sgr(&coloured);
    let table: Vec<&str> = plain
        .lines()
        .take_while(|l| !l.contains("nhiệm vụ ·"))
        .collect();
    assert!(table.len() > 2, "{plain}");
    for l in &table {
        assert!(l.width() <= 100, "{} columns: {l}", l.width());
    }
    assert!(table.iter().any(|l| l.width() > 60), "{plain}");

    let no_color = in_terminal(&db, 100, &["tasks", "--overdue"], &[("NO_COLOR", "1")]);
    assert!(!no_color.contains('\x1b'), "{no_color}");
    let never = in_terminal(&db, 100, &["tasks", "--overdue", "--color", "never"], &[]);
    assert!(!never.contains('\x1b'), "{never}");
    let always = in_terminal(
        &db,
        100,
        &["tasks", "--overdue", "--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert!(always.contains("\x1b[31m"), "{always}");
}
