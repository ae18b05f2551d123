//! The real binary over real files: filters, writes, refusals, import/export, exit codes.

mod common;

use common::*;

#[test]
fn overdue_tasks_of_the_seeded_plan() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let all = json(
        &sb.cchc()
            .args(["tasks", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let overdue = json(
        &sb.cchc()
            .args([
                "tasks",
                "--overdue",
                "--today",
                "2027-01-01",
                "--format",
                "json",
                "--db",
            ])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let overdue = overdue.as_array().unwrap();
    assert!(!overdue.is_empty());
    let expected = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["due"].as_str().unwrap() < "2027-01-01" && t["status"] != "done")
        .count();
    assert_eq!(overdue.len(), expected);
    assert!(overdue.iter().all(|t| t["overdue"] == true));

    let table = sb
        .cchc()
        .args(["tasks", "--overdue", "--today", "2027-01-01", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&table);
    assert!(stdout(&table).contains("Quá hạn"));
}

#[test]
fn search_and_agency_fold_diacritics() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let by_search = json(
        &sb.cchc()
            .args(["tasks", "--search", "noi vu", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let by_agency = json(
        &sb.cchc()
            .args(["tasks", "--agency", "so noi vu", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(!by_agency.as_array().unwrap().is_empty());
    assert!(
        by_agency
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["lead_agency"] == "SNV")
    );
    // Every task Sở Nội vụ leads mentions it, so search finds at least those.
    assert!(by_search.as_array().unwrap().len() >= by_agency.as_array().unwrap().len());
    let dat_dai = json(
        &sb.cchc()
            .args(["tasks", "--search", "dat dai", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(!dat_dai.as_array().unwrap().is_empty());
}

#[test]
fn search_terms_match_in_any_order_and_quotes_make_a_phrase() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let search = |q: &str| -> Vec<i64> {
        let out = sb
            .cchc()
            .args(["tasks", "--search", q, "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        let mut ids: Vec<i64> = json(&out)
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        ids.sort_unstable();
        ids
    };
    let quarterly = sql_count(
        &db,
        "SELECT count(*) FROM tasks WHERE title LIKE 'Báo cáo CCHC quý%'",
    );
    assert!(quarterly > 50, "{quarterly}");
    let in_order = search("bao cao quy");
    assert!(
        in_order.len() as i64 >= quarterly,
        "{} < {quarterly}",
        in_order.len()
    );
    assert_eq!(search("quy bao cao"), in_order);
    // The phrase in quotes is narrower than its words apart.
    let phrase = search("\"quy bao\"");
    assert!(phrase.len() < in_order.len());
}

#[test]
fn set_progress_logs_one_entry_and_a_stale_version_exits_3() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let before = sql_count(&db, "SELECT count(*) FROM change_log");
    let out = sb
        .cchc()
        .args([
            "task",
            "set",
            "1",
            "--status",
            "in-progress",
            "--progress",
            "60",
            "--note",
            "đang làm",
            "--expect-version",
            "1",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM change_log"),
        before + 1
    );
    let log = json(
        &sb.cchc()
            .args(["log", "--task", "1", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let entry = &log[0];
    assert_eq!(entry["user"], "tester");
    assert_eq!(entry["changes"].as_array().unwrap().len(), 2, "{entry}");

    let stale = sb
        .cchc()
        .args([
            "task",
            "set",
            "1",
            "--progress",
            "10",
            "--expect-version",
            "1",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(stale.status.code(), Some(3));
    let msg = stderr(&stale);
    // In the interface's language (Vietnamese by default), the field by its label.
    assert!(msg.contains("tester") && msg.contains("Tiến độ"), "{msg}");
    assert_eq!(msg.trim().lines().count(), 1, "one line: {msg}");
    assert_eq!(
        sql_count(&db, "SELECT progress FROM tasks WHERE id = 1"),
        60
    );
}

#[test]
fn bad_input_is_one_clear_line_and_changes_nothing() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let snapshot = common::engine::snapshot(&db);
    for args in [
        vec!["task", "set", "1", "--progress", "150"],
        vec!["task", "set", "999999", "--progress", "5"],
        vec!["tasks", "--area", "khong-co"],
        vec!["tasks", "--today", "2027-02-30"],
        vec!["indicator", "record", "khong-co", "5"],
        vec!["indicator", "record", "tthc-dvctt-toan-trinh", "abc"],
    ] {
        let out = sb.cchc().args(&args).arg("--db").arg(&db).output().unwrap();
        assert!(!out.status.success(), "{args:?} should fail");
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.trim().lines().count() <= 3, "{args:?}: {err}");
    }
    assert_eq!(sql_count(&db, "SELECT progress FROM tasks WHERE id = 1"), 0);
    drop(snapshot);
}

#[test]
fn missing_foreign_and_newer_files_are_refused_untouched() {
    if common::sqlite_only("files that are not cchc's, and schema versions in a file's header") {
        return;
    }
    let sb = Sandbox::new();
    let missing = sb.path("typo.sqlite3");
    let out = sb
        .cchc()
        .args(["tasks", "--db"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cchc init"), "{}", stderr(&out));
    assert!(!missing.exists());

    let text = sb.path("notes.txt");
    std::fs::write(&text, "hello, not a database at all, but long enough to have a header ...........................................................").unwrap();
    let before = std::fs::read(&text).unwrap();
    let out = sb
        .cchc()
        .args(["tasks", "--db"])
        .arg(&text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("không phải cơ sở dữ liệu cchc"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let other = sb.path("other.sqlite3");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("PRAGMA application_id = 1234; CREATE TABLE x(y);")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let out = sb
        .cchc()
        .args(["tasks", "--db"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("another application"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&other).unwrap(), before);

    let newer = sb.init_db("newer.sqlite3");
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.execute_batch("PRAGMA user_version = 42; PRAGMA journal_mode = DELETE;")
            .unwrap();
    }
    let before = std::fs::read(&newer).unwrap();
    let out = sb
        .cchc()
        .args(["tasks", "--db"])
        .arg(&newer)
        .output()
        .unwrap();
    assert!(stderr(&out).contains("cchc mới hơn"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&newer).unwrap(), before);
}

#[test]
fn import_with_bad_rows_names_them_and_writes_nothing() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let tasks_before = sql_count(&db, "SELECT count(*) FROM tasks");
    let log_before = sql_count(&db, "SELECT count(*) FROM change_log");
    let csv = sb.path("in.csv");
    std::fs::write(
        &csv,
        "area,lead_agency,title,due,status,progress\n\
         tthc,SNV,Một việc tốt,2026-12-31,,\n\
         khong-co,SNV,Sai lĩnh vực,2026-12-31,,\n\
         tthc,Sở Không Có,Sai cơ quan,2026-12-31,,\n\
         tthc,so noi vu,Sai ngày,2026-13-45,,\n\
         tthc,SNV,Sai phần trăm,2026-12-31,in-progress,150\n",
    )
    .unwrap();
    let out = sb
        .cchc()
        .args(["import", "--db"])
        .arg(&db)
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for row in ["row 3", "row 4", "row 5", "row 6"] {
        assert!(err.contains(row), "{row} missing in {err}");
    }
    assert!(!err.contains("row 2:"), "{err}");
    assert_eq!(sql_count(&db, "SELECT count(*) FROM tasks"), tasks_before);
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM change_log"),
        log_before
    );

    let dry = sb.path("ok.csv");
    std::fs::write(
        &dry,
        "area,lead_agency,title,due\ntthc,SNV,Việc mới,2026-12-31\n",
    )
    .unwrap();
    let out = sb
        .cchc()
        .args(["import", "--dry-run", "--db"])
        .arg(&db)
        .arg(&dry)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(sql_count(&db, "SELECT count(*) FROM tasks"), tasks_before);
    let out = sb
        .cchc()
        .args(["import", "--db"])
        .arg(&db)
        .arg(&dry)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM tasks"),
        tasks_before + 1
    );
    // The import's entry and one for the task it created, linked to it (issue 10, case 9).
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM change_log"),
        log_before + 2
    );
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM change_log c JOIN change_log i ON c.parent = i.id
             WHERE i.action = 'import' AND c.entity = 'task' AND c.action = 'create'"
        ),
        1
    );
}

#[test]
fn export_then_import_into_a_new_file_reproduces_everything() {
    let sb = Sandbox::new();
    let a = sb.init_db("a.sqlite3");
    let run = |args: &[&str], db: &std::path::Path| {
        let out = sb.cchc().args(args).arg("--db").arg(db).output().unwrap();
        assert_success(&out);
        out
    };
    run(
        &[
            "task",
            "set",
            "2",
            "--status",
            "done",
            "--today",
            "2026-05-02",
        ],
        &a,
    );
    run(
        &["task", "set", "3", "--progress", "35", "--note", "ghi chú"],
        &a,
    );
    run(
        &[
            "task",
            "add",
            "--area",
            "tthc",
            "--agency",
            "VPUB",
            "--title",
            "Việc thêm",
            "--due",
            "2027-03-31",
            "--coordinating",
            "SNV,STP",
        ],
        &a,
    );
    run(
        &[
            "indicator",
            "record",
            "tthc-dvctt-toan-trinh",
            "82.5",
            "--date",
            "2026-09-30",
            "--source",
            "Cổng Dịch vụ công quốc gia",
        ],
        &a,
    );
    let export = sb.path("export.json");
    run(&["export", "--output", export.to_str().unwrap()], &a);

    let b = sb.init_db("b.sqlite3");
    run(&["import", export.to_str().unwrap()], &b);
    let strip = |v: serde_json::Value| -> Vec<serde_json::Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let mut t = t.clone();
                for k in ["id", "version", "updated_by", "updated_at"] {
                    t.as_object_mut().unwrap().remove(k);
                }
                t
            })
            .collect()
    };
    let ta = strip(json(&run(&["tasks", "--format", "json"], &a)));
    let tb = strip(json(&run(&["tasks", "--format", "json"], &b)));
    assert_eq!(ta.len(), tb.len());
    for (x, y) in ta.iter().zip(&tb) {
        assert_eq!(x, y);
    }
    let ia = json(&run(&["indicators", "--format", "json"], &a));
    let ib = json(&run(&["indicators", "--format", "json"], &b));
    assert_eq!(ia, ib);
    // Importing the same document again changes nothing.
    run(&["import", export.to_str().unwrap()], &b);
    assert_eq!(strip(json(&run(&["tasks", "--format", "json"], &b))), tb);
    assert_eq!(sql_count(&b, "SELECT count(*) FROM measurements"), 1);
}

#[test]
fn no_terminal_says_to_use_a_subcommand() {
    let sb = Sandbox::new();
    let out = sb
        .cchc()
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Vietnamese by default, as the interface; English with --lang en.
    assert!(stderr(&out).contains("lệnh con"), "{}", stderr(&out));
    let out = sb
        .cchc()
        .args(["--lang", "en"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("subcommand"), "{}", stderr(&out));
}

#[test]
fn an_unknown_theme_on_the_command_line_is_a_usage_error() {
    let sb = Sandbox::new();
    let db = sb.init_db("t.sqlite3");
    let out = sb
        .cchc()
        .args(["--theme", "solarized", "areas", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("unknown theme \"solarized\"") && !err.contains("using"),
        "{err}"
    );
    let ok = sb
        .cchc()
        .args(["--theme", "projector", "areas", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&ok);
}

/// The latest figure is in its target's unit: "100% (…)" beside a target of "100%", a level as
/// "cấp độ 2", and a reduction's measured quantity as a plain number.
#[test]
fn indicators_show_the_latest_figure_in_its_unit() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    for (code, value) in [
        ("tthc-ket-qua-dien-tu", "100"),
        ("chinh-quyen-so-quan-tri-du-lieu", "2"),
        ("bo-may-giam-bien-che-su-nghiep", "21000"),
    ] {
        let out = sb
            .cchc()
            .args([
                "indicator",
                "record",
                code,
                value,
                "--date",
                "2026-10-01",
                "--db",
            ])
            .arg(&db)
            .output()
            .unwrap();
        assert_success(&out);
    }
    let out = sb
        .cchc()
        .env("COLUMNS", "200")
        .args(["indicators", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let table = stdout(&out);
    let row = |code: &str| {
        table
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code}:\n{table}"))
            .to_string()
    };
    assert!(
        row("tthc-ket-qua-dien-tu").contains("100% (01/10/2026)"),
        "{table}"
    );
    assert!(
        row("chinh-quyen-so-quan-tri-du-lieu").contains("cấp độ 2 (01/10/2026)"),
        "{table}"
    );
    assert!(
        row("bo-may-giam-bien-che-su-nghiep").contains(" 21.000 (01/10/2026)"),
        "{table}"
    );
}
