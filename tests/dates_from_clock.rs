//! Issue 10, case 4: `--today` moves what views compute, never what is written. Writes stamp
//! the real clock; a date other than the clock's is given explicitly, may not lie in the
//! future, and the log says it was given by hand. The real binary, a real file, the real clock.

mod common;

use chrono::NaiveDate;
use common::*;

/// The real date in the province (Asia/Ho_Chi_Minh, whatever TZ says), read around `run` so that
/// a test crossing midnight still knows both days.
fn clock_around<T>(run: impl FnOnce() -> T) -> (T, Vec<String>) {
    let before = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let out = run();
    let after = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    (out, vec![before.to_string(), after.to_string()])
}

fn task(sb: &Sandbox, db: &std::path::Path, id: &str) -> serde_json::Value {
    json(
        &sb.cchc()
            .args(["task", "show", id, "--format", "json", "--db"])
            .arg(db)
            .output()
            .unwrap(),
    )
}

#[test]
fn a_task_set_done_under_a_borrowed_today_is_stamped_with_the_real_date() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let (out, clock) = clock_around(|| {
        sb.cchc()
            .args([
                "--today",
                "2026-03-01",
                "task",
                "set",
                "116",
                "--status",
                "done",
            ])
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap()
    });
    assert_success(&out);
    let t = task(&sb, &db, "116");
    let completed = t["completed_on"].as_str().unwrap().to_string();
    assert!(clock.contains(&completed), "{completed} not in {clock:?}");
    assert_ne!(completed, "2026-03-01");

    // Task 116 is due 2026-03-15: the borrowed date would have made it "done on time" in Q1.
    let q1 = json(
        &sb.cchc()
            .args(["report", "--quarter", "2026Q1", "--format", "json"])
            .args(["--today", "2026-03-31", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(q1["tasks"]["done_on_time"], 0, "{}", q1["tasks"]);
    // Nor does the log carry the borrowed date anywhere.
    let log = stdout(
        &sb.cchc()
            .args(["log", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert!(!log.contains("2026-03-01"), "{log}");
}

#[test]
fn a_completion_date_given_by_hand_is_kept_and_logged_as_such() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let out = sb
        .cchc()
        .args(["task", "set", "116", "--status", "done"])
        .args(["--completed-on", "2026-03-10", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(task(&sb, &db, "116")["completed_on"], "2026-03-10");
    let log = json(
        &sb.cchc()
            .args(["log", "--format", "json", "--limit", "1", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let note = log[0]["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("given by hand") && note.contains("2026-03-10"),
        "{}",
        log[0]
    );
    // Given by hand, the date counts: done on time in Q1.
    let q1 = json(
        &sb.cchc()
            .args(["report", "--quarter", "2026Q1", "--format", "json"])
            .args(["--today", "2026-03-31", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(q1["tasks"]["done_on_time"], 1, "{}", q1["tasks"]);
}

#[test]
fn a_completion_date_in_the_future_or_on_an_open_task_is_refused() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let tomorrow = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
        + chrono::Duration::days(2);
    let log_before = sql_count(&db, "SELECT count(*) FROM change_log");
    for args in [
        vec![
            "--today".to_string(),
            "2031-01-01".into(),
            "task".into(),
            "set".into(),
            "116".into(),
            "--status".into(),
            "done".into(),
            "--completed-on".into(),
            tomorrow.to_string(),
        ],
        vec![
            "task".into(),
            "set".into(),
            "116".into(),
            "--progress".into(),
            "40".into(),
            "--completed-on".into(),
            "2026-03-10".into(),
        ],
    ] {
        let out = sb.cchc().args(&args).arg("--db").arg(&db).output().unwrap();
        assert!(!out.status.success(), "{args:?} accepted");
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("ngày hoàn thành"), "{err}");
    }
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM change_log"),
        log_before
    );
    assert!(task(&sb, &db, "116")["completed_on"].is_null());
}

fn first_indicator(sb: &Sandbox, db: &std::path::Path) -> String {
    json(
        &sb.cchc()
            .args(["indicators", "--format", "json", "--db"])
            .arg(db)
            .output()
            .unwrap(),
    )[0]["code"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_measurement_after_the_real_date_is_refused_even_under_a_later_today() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let code = first_indicator(&sb, &db);
    let tomorrow = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
        + chrono::Duration::days(2);
    for today in [None, Some("2031-01-01")] {
        for date in [tomorrow.to_string(), "2030-06-01".to_string()] {
            let mut c = sb.cchc();
            if let Some(t) = today {
                c.args(["--today", t]);
            }
            let out = c
                .args(["indicator", "record", &code, "50", "--date", &date, "--db"])
                .arg(&db)
                .output()
                .unwrap();
            assert!(!out.status.success(), "{today:?} {date} accepted");
            let err = stderr(&out);
            let shown = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .unwrap()
                .format("%d/%m/%Y")
                .to_string();
            assert!(err.contains("ngày đo") && err.contains(&shown), "{err}");
        }
    }
    assert_eq!(sql_count(&db, "SELECT count(*) FROM measurements"), 0);
}

#[test]
fn a_measurement_defaults_to_the_real_date_and_a_typed_date_is_marked() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let code = first_indicator(&sb, &db);
    let (out, clock) = clock_around(|| {
        sb.cchc()
            .args(["--today", "2026-01-15", "indicator", "record", &code, "40"])
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap()
    });
    assert_success(&out);
    let last = |column: &str| {
        common::engine::text(
            &db,
            &format!("SELECT {column} FROM measurements ORDER BY id DESC LIMIT 1"),
        )
    };
    let (date, note) = (last("measured_on"), last("note"));
    assert!(clock.contains(&date), "{date} not in {clock:?}");
    assert!(!note.contains("by hand"), "{note}");

    let out = sb
        .cchc()
        .args(["indicator", "record", &code, "45", "--date", "2026-06-30"])
        .args(["--note", "khảo sát", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let (date, note) = (last("measured_on"), last("note"));
    assert_eq!(
        date.parse::<NaiveDate>().unwrap(),
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
    );
    assert!(
        note.starts_with("khảo sát") && note.contains("given by hand"),
        "{note}"
    );
    let logged = common::engine::text(&db, "SELECT note FROM change_log ORDER BY id DESC LIMIT 1");
    assert_eq!(logged, note);
}

#[test]
fn an_import_with_a_measurement_after_the_real_date_is_refused_whole() {
    let sb = Sandbox::new();
    let db = sb.init_db("p.sqlite3");
    let code = first_indicator(&sb, &db);
    let out = sb
        .cchc()
        .args([
            "indicator",
            "record",
            &code,
            "45",
            "--date",
            "2026-06-30",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let mut doc = json(
        &sb.cchc()
            .args(["export", "--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let later = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
        + chrono::Duration::days(400);
    doc["measurements"][0]["measured_on"] = serde_json::json!(later.to_string());
    let file = sb.path("later.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let fresh = sb.init_db("fresh.sqlite3");
    let log_before = sql_count(&fresh, "SELECT count(*) FROM change_log");
    let out = sb
        .cchc()
        .arg("import")
        .arg(&file)
        .arg("--db")
        .arg(&fresh)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(&later.format("%d/%m/%Y").to_string()),
        "{}",
        stderr(&out)
    );
    assert_eq!(sql_count(&fresh, "SELECT count(*) FROM measurements"), 0);
    assert_eq!(
        sql_count(&fresh, "SELECT count(*) FROM change_log"),
        log_before
    );
}
