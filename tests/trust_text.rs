//! Issue 10, cases 1 and 2: text from the file cannot attack a member's terminal or
//! spreadsheet. A hostile writer of the file (the store API with any `--user`, or plain SQL)
//! plants escape sequences, bidi overrides, line breaks and formulas; every text-printing
//! subcommand of the real binary is then read for raw control bytes, forged rows and live
//! formulas.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use cchc::model::TaskPatch;
use cchc::store::{NewMeasurement, OpenOptions, Store};
use common::*;
use proptest::prelude::*;

/// OSC 52 (clipboard), CSI 2J (clear), OSC 8 (link), BEL, a newline that would forge a row,
/// C1 CSI, RLO and an isolate.
const ATTACK: &str = "A\u{1b}]52;c;aGFja2Vk\u{7}B\u{1b}[2J\u{1b}]8;;http://x\u{1b}\\link\nforged 999 row\u{202e}gpj.exe\u{9b}2J\u{2066}Z";

/// The characters no output of cchc may carry raw: C0 but newline and tab, DEL, C1 (as
/// UTF-8), the bidi embeddings, overrides and isolates.
fn raw_control(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_clean(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        if let Some(c) = text.chars().find(|&c| raw_control(c)) {
            panic!("{what}: raw {c:?} on {stream}:\n{text}");
        }
        if stream == "stdout" && what.contains("csv") {
            // In CSV a line break inside a quoted field is data: what must hold is that every
            // record has the header's fields and none starts with the planted text.
            let mut r = csv::Reader::from_reader(text.as_bytes());
            let width = r.headers().unwrap().len();
            for rec in r.records() {
                let rec = rec.unwrap_or_else(|e| panic!("{what}: bad CSV {e}:\n{text}"));
                assert_eq!(rec.len(), width, "{what}: forged record:\n{text}");
                assert!(!rec[0].starts_with("forged"), "{what}:\n{text}");
            }
            continue;
        }
        if what.starts_with("report") {
            // The report's layout (where a title's line break goes) belongs to src/report.rs,
            // being rewritten under the same rule; here only its bytes are checked.
            continue;
        }
        // A line break in a title must not start a line of its own. (`task show` keeps the
        // lines of a note or output, indented under the value's column, 17 spaces in.)
        assert!(
            !text.lines().any(|l| {
                let indent = l.len() - l.trim_start().len();
                l.trim_start().starts_with("forged") && indent < 17
            }),
            "{what}: forged line on {stream}:\n{text}"
        );
    }
}

fn run(sb: &Sandbox, db: &Path, args: &[&str]) -> Output {
    sb.cchc().args(args).arg("--db").arg(db).output().unwrap()
}

/// Every text-printing subcommand, with the task whose text was planted.
fn every_text_command(task: i64) -> Vec<Vec<String>> {
    let id = task.to_string();
    [
        vec!["tasks"],
        vec!["tasks", "--format", "csv"],
        vec!["tasks", "--search", "forged"],
        vec!["task", "show", &id],
        vec!["log"],
        vec!["log", "--format", "csv"],
        vec!["log", "--task", &id],
        vec!["agencies"],
        vec!["agencies", "--format", "csv"],
        vec!["areas"],
        vec!["member", "list"],
        vec!["member", "list", "--format", "csv"],
        vec!["indicators"],
        vec!["indicators", "--format", "csv"],
        vec!["export", "--format", "csv"],
        vec!["report", "--quarter", "2026Q3", "--format", "md"],
        vec!["doctor"],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect()
}

/// Plants `text` everywhere a hostile writer can: through the store API as user `text` (title,
/// output, note, measurement note, the log's user) and with SQL where the API refuses it
/// (agency, area, indicator and member names, a measurement's source).
fn plant(db: &Path, task: i64, text: &str) {
    let mut store = Store::open(db, text, OpenOptions::default()).unwrap();
    let patch = TaskPatch {
        title: Some(format!("T{text}")),
        output: Some(text.to_string()),
        ..Default::default()
    };
    store.update_task(task, None, &patch, Some(text)).unwrap();
    store
        .record_measurement(&NewMeasurement {
            indicator: "tthc-dvctt-toan-trinh".into(),
            value: 50.0,
            measured_on: chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
            source: String::new(),
            note: text.to_string(),
        })
        .unwrap();
    drop(store);
    let lead = common::engine::text(
        db,
        &format!("SELECT lead_agency FROM tasks WHERE id = {task}"),
    );
    for (sql, params) in [
        (
            "UPDATE agencies SET name = ?1 WHERE code = ?2",
            vec![text, lead.as_str()],
        ),
        (
            "UPDATE areas SET name_vi = ?1, name_en = ?1 WHERE code = 'tthc'",
            vec![text],
        ),
        (
            "UPDATE indicators SET name = ?1 WHERE code = 'tthc-dvctt-toan-trinh'",
            vec![text],
        ),
        ("UPDATE measurements SET source = ?1", vec![text]),
        (
            "INSERT INTO members (name, agency, role, added_by, added_at) VALUES (?1, 'SNV', 'secretary', ?1, ?1)",
            vec![text],
        ),
    ] {
        common::engine::execute_with(db, sql, &params).unwrap();
    }
}

#[test]
fn terminal_attacks_reach_no_command_raw() {
    let sb = Sandbox::new();
    let db = sb.init_db("attack.sqlite3");
    plant(&db, 116, ATTACK);
    for args in every_text_command(116) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // Members exist now (the planted one): reading stays open to anyone.
        let out = run(&sb, &db, &args);
        assert_clean(&args.join(" "), &out);
    }
    // The table shows the title escaped, on its own row.
    let tasks = stdout(&run(&sb, &db, &["tasks", "--search", "forged"]));
    assert!(tasks.contains("\\u{1b}]52"), "{tasks}");
    let rows: Vec<&str> = tasks.lines().filter(|l| l.contains("116")).collect();
    assert_eq!(rows.len(), 1, "{tasks}");
    let show = stdout(&run(&sb, &db, &["task", "show", "116"]));
    assert!(show.contains("\\u{202e}gpj.exe"), "{show}");
}

#[test]
fn a_conflict_names_a_hostile_user_and_change_escaped() {
    let sb = Sandbox::new();
    let db = sb.init_db("conflict.sqlite3");
    plant(&db, 5, ATTACK);
    let out = run(
        &sb,
        &db,
        &[
            "task",
            "set",
            "5",
            "--progress",
            "9",
            "--expect-version",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_clean("conflict", &out);
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    // Vietnamese by default: "đã được A… sửa".
    assert!(err.contains("đã được A\\u{1b}]52"), "{err}");
}

/// Formulas a spreadsheet would evaluate, as titles, outputs and claimed user names.
const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://x\",\"y\")",
    "+1+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
];

fn live_formulas(csv_text: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let mut live = Vec::new();
    for rec in r.records() {
        for f in rec.unwrap().iter() {
            // A number (days late can be negative) is a value, not a formula.
            if f.parse::<f64>().is_err()
                && matches!(f.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
            {
                live.push(f.to_string());
            }
        }
    }
    live
}

#[test]
fn no_csv_output_carries_a_live_formula() {
    let sb = Sandbox::new();
    let db = sb.init_db("formula.sqlite3");
    for (i, f) in FORMULAS.iter().enumerate() {
        let mut store = Store::open(&db, f, OpenOptions::default()).unwrap();
        let patch = TaskPatch {
            title: Some(f.to_string()),
            output: Some(f.to_string()),
            ..Default::default()
        };
        store
            .update_task(i as i64 + 1, None, &patch, Some(f))
            .unwrap();
    }
    // A refused attempt logs the claimed name: a non-member plants it in the log.
    assert_success(&run(
        &sb,
        &db,
        &[
            "member",
            "add",
            "tester",
            "--agency",
            "SNV",
            "--role",
            "secretary",
        ],
    ));
    let intruder = "=HYPERLINK(\"http://evil\",\"ok\")";
    let out = sb
        .cchc()
        .env("CCHC_USER", intruder)
        .args(["task", "set", "1", "--progress", "5", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let logged = sql_count(
        &db,
        "SELECT count(*) FROM change_log WHERE action = 'refused' AND \"user\" LIKE '=HYPERLINK%'",
    );
    assert_eq!(logged, 1);
    for args in [
        &["export", "--format", "csv"][..],
        &["tasks", "--format", "csv"],
        &["log", "--format", "csv", "--limit", "1000"],
        &["member", "list", "--format", "csv"],
    ] {
        let out = run(&sb, &db, args);
        assert_success(&out);
        let text = stdout(&out);
        assert_eq!(live_formulas(&text), Vec::<String>::new(), "{args:?}");
        if args[0] != "member" {
            assert!(text.contains("'=HYPERLINK"), "{args:?}:\n{text}");
        }
    }
}

#[test]
fn an_exported_formula_title_imports_back_as_it_was() {
    let sb = Sandbox::new();
    let db = sb.init_db("round.sqlite3");
    let titles = ["=SUM(A1)", "'=already quoted", "'plain quote'", "@x"];
    let mut store = Store::open(&db, "tester", OpenOptions::default()).unwrap();
    for (i, t) in titles.iter().enumerate() {
        let patch = TaskPatch {
            title: Some(t.to_string()),
            ..Default::default()
        };
        store.update_task(i as i64 + 1, None, &patch, None).unwrap();
    }
    drop(store);
    let csv_file = sb.path("export.csv");
    let out = run(
        &sb,
        &db,
        &[
            "export",
            "--format",
            "csv",
            "--output",
            csv_file.to_str().unwrap(),
        ],
    );
    assert_success(&out);
    let fresh = sb.init_db("fresh.sqlite3");
    let out = run(&sb, &fresh, &["import", csv_file.to_str().unwrap()]);
    assert_success(&out);
    for (i, t) in titles.iter().enumerate() {
        let plan_ref = common::engine::text(
            &db,
            &format!("SELECT plan_ref FROM tasks WHERE id = {}", i + 1),
        );
        let back = common::engine::text(
            &fresh,
            &format!("SELECT title FROM tasks WHERE plan_ref = '{plan_ref}'"),
        );
        assert_eq!(&back, t);
    }
}

/// Strings a hostile writer might store: arbitrary Unicode, weighted towards the characters
/// that attack a terminal.
fn hostile() -> impl Strategy<Value = String> {
    let attack = prop_oneof![
        Just("\u{1b}[2J".to_string()),
        Just("\u{1b}]52;c;aGk=\u{7}".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2067}".to_string()),
        Just("\r\n".to_string()),
        Just("\n".to_string()),
        Just("\u{0}".to_string()),
        Just("=1+1".to_string()),
        "\\PC{0,4}",
        any::<String>(),
    ];
    proptest::collection::vec(attack, 1..5).prop_map(|parts| format!("x{}", parts.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever is stored, no text-printing subcommand emits a raw control byte.
    #[test]
    fn no_stored_string_reaches_a_terminal_raw(text in hostile()) {
        let sb = Sandbox::new();
        let db = sb.path("p.sqlite3");
        // One seeded file per run would be slow: copy a template made once.
        std::fs::copy(template(), &db).unwrap();
        plant(&db, 116, &text);
        for args in every_text_command(116) {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run(&sb, &db, &args);
            for bytes in [&out.stdout, &out.stderr] {
                let s = String::from_utf8_lossy(bytes);
                prop_assert!(
                    !s.chars().any(raw_control),
                    "{}: {:?}", args.join(" "), s
                );
            }
        }
    }
}

/// A seeded database made once per test process (checkpointed into one file, so a copy is
/// complete).
fn template() -> &'static Path {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let sb = Sandbox::new();
        let db = sb.init_sqlite("template.sqlite3");
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(c);
        (sb.dir, db)
    });
    path
}

/// The same outputs opened by an independent reader: LibreOffice converts each CSV to .xlsx
/// (evaluating what it takes for formulas, as it does when a member opens the file) and
/// openpyxl lists the formula cells. A raw CSV with a formula is converted beside them, to
/// show the check can see one.
#[test]
fn libreoffice_finds_no_formula_in_any_csv_output() {
    let sb = Sandbox::new();
    let db = sb.init_db("office.sqlite3");
    let mut store = Store::open(&db, FORMULAS[0], OpenOptions::default()).unwrap();
    for (i, f) in FORMULAS.iter().enumerate() {
        let patch = TaskPatch {
            title: Some(f.to_string()),
            output: Some(f.to_string()),
            ..Default::default()
        };
        store
            .update_task(i as i64 + 1, None, &patch, Some(f))
            .unwrap();
    }
    drop(store);
    let dir = sb.path("office");
    std::fs::create_dir(&dir).unwrap();
    let mut files = Vec::new();
    for (name, args) in [
        ("export", &["export", "--format", "csv"][..]),
        ("tasks", &["tasks", "--format", "csv"]),
        ("log", &["log", "--format", "csv"]),
    ] {
        let out = run(&sb, &db, args);
        assert_success(&out);
        let file = dir.join(format!("{name}.csv"));
        std::fs::write(&file, &out.stdout).unwrap();
        files.push(file);
    }
    let control = dir.join("control.csv");
    std::fs::write(&control, "a,b\n\"=1+1\",x\n").unwrap();
    files.push(control);
    let out = Command::new("soffice")
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            sb.path("lo-profile").display()
        ))
        .args(["--convert-to", "xlsx", "--outdir"])
        .arg(&dir)
        .args(&files)
        .output()
        .expect("soffice (LibreOffice) must be installed: apt-get install libreoffice-calc");
    assert_success(&out);
    let script = "import sys, openpyxl\n\
        for path in sys.argv[1:]:\n\
        \x20   wb = openpyxl.load_workbook(path)\n\
        \x20   n = sum(1 for ws in wb for row in ws.iter_rows() for c in row if c.data_type == 'f')\n\
        \x20   print(path.rsplit('/', 1)[-1], n)\n";
    let xlsx: Vec<_> = files.iter().map(|f| f.with_extension("xlsx")).collect();
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&xlsx)
        .output()
        .expect("python3 with openpyxl must be installed");
    assert_success(&out);
    let counts = stdout(&out);
    assert_eq!(
        counts, "export.xlsx 0\ntasks.xlsx 0\nlog.xlsx 0\ncontrol.xlsx 1\n",
        "formula cells per file"
    );
}
