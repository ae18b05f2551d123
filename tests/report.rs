//! The quarterly report of the seeded plan plus a fixed set of measurements and progress, at a
//! fixed date, against a golden file. `UPDATE_GOLDEN=1 cargo test --test report` rewrites it.

mod common;

use common::*;

fn prepared(sb: &Sandbox) -> std::path::PathBuf {
    let db = sb.init_db("report.sqlite3");
    let run = |args: &[&str]| {
        assert_success(&sb.cchc().args(args).arg("--db").arg(&db).output().unwrap())
    };
    for (code, value, date, source) in [
        (
            "tthc-dvctt-toan-trinh",
            "82",
            "2026-06-30",
            "Cổng Dịch vụ công quốc gia",
        ),
        (
            "tthc-dvctt-toan-trinh",
            "88.5",
            "2026-09-30",
            "Cổng Dịch vụ công quốc gia",
        ),
        (
            "tthc-ket-qua-dien-tu",
            "100",
            "2026-09-30",
            "Hệ thống thông tin giải quyết TTHC tỉnh",
        ),
        ("tthc-hai-long-dvctt", "70", "2026-09-15", "khảo sát SIPAS"),
        (
            "chinh-quyen-so-quan-tri-du-lieu",
            "2",
            "2026-08-01",
            "Sở Khoa học và Công nghệ",
        ),
        (
            "bo-may-giam-bien-che-su-nghiep",
            "21500",
            "2025-12-31",
            "Sở Nội vụ",
        ),
        (
            "bo-may-giam-bien-che-su-nghiep",
            "21000",
            "2026-09-30",
            "Sở Nội vụ",
        ),
    ] {
        run(&[
            "indicator",
            "record",
            code,
            value,
            "--date",
            date,
            "--source",
            source,
        ]);
    }
    // Done on time, done late, in progress, and one completed after the quarter (not yet done then),
    // each completion date given by hand (a write never takes --today).
    run(&[
        "task",
        "set",
        "2",
        "--status",
        "done",
        "--completed-on",
        "2026-04-20",
    ]);
    run(&[
        "task",
        "set",
        "118",
        "--status",
        "done",
        "--completed-on",
        "2026-09-20",
    ]);
    run(&["task", "set", "3", "--progress", "40"]);
    run(&[
        "task",
        "set",
        "138",
        "--status",
        "done",
        "--completed-on",
        "2026-10-05",
    ]);
    db
}

fn normalise(report: &str) -> String {
    // The change-log head hash depends on the wall-clock time of each entry.
    report
        .lines()
        .map(|l| match l.find('`') {
            Some(i) if l.contains("#") && l.ends_with('`') => format!("{}`<hash>`", &l[..i]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn quarterly_report_matches_the_golden_file() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    for (lang, golden) in [
        ("vi", "tests/golden/report-2026Q3.vi.md"),
        ("en", "tests/golden/report-2026Q3.en.md"),
    ] {
        let out = sb
            .cchc()
            .args(["report", "--quarter", "2026Q3", "--lang", lang, "--db"])
            .arg(&db)
            .output()
            .unwrap();
        let got = normalise(&stdout(&{
            assert_success(&out);
            out
        }));
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(golden);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "report differs from {golden}; rerun with UPDATE_GOLDEN=1 and review the diff\n{got}"
        );
    }
}

#[test]
fn report_json_and_file_output() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let file = sb.path("r.json");
    let out = sb
        .cchc()
        .args([
            "report",
            "--quarter",
            "2026Q3",
            "--format",
            "json",
            "--output",
        ])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(v["as_of"], "2026-09-30");
    assert_eq!(v["tasks"]["done_on_time"], 1);
    assert_eq!(v["tasks"]["done_late"], 1);
    let tthc = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "tthc")
        .unwrap();
    let dvc = tthc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "tthc-dvctt-toan-trinh")
        .unwrap();
    assert_eq!(dvc["latest"], 88.5);

    // --today moves "as of".
    let out = sb
        .cchc()
        .args([
            "report",
            "--quarter",
            "2026Q3",
            "--format",
            "json",
            "--today",
            "2026-08-31",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(json(&out)["as_of"], "2026-08-31");

    let bad = sb
        .cchc()
        .args(["report", "--quarter", "2026Q5", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("2026Q3"));
}
