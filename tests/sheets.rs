//! The agency's sheet out and back, and the whole picture as a workbook (issue 9 §2, §3 xlsx),
//! made by the real binary and read back with `calamine` (not cchc's importer). Sheets are
//! filled in with openpyxl (tests/office/edit_sheet.py); python3 and openpyxl are required (CI
//! installs them) and a test fails loudly when they are missing. The openpyxl check of the
//! workbooks' structure and the LibreOffice round trip are in tests/sheets_office.rs.

mod common;

use calamine::{DataType, Reader};
use common::office::*;
use common::*;

#[test]
fn agency_sheet_reads_back_with_calamine() {
    let o = Office::new();
    // A title a spreadsheet would evaluate, on a task the sheet will hold.
    let tasks = json(&o.run(&["tasks", "--agency", "SNV", "--format", "json"]));
    let victim = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| ("2026-09-15"..="2026-12-14").contains(&t["due"].as_str().unwrap()))
        .expect("an SNV task due in the year's last months")["id"]
        .as_i64()
        .unwrap();
    let evil = "=HYPERLINK(\"http://x.example\",\"click\")";
    assert_success(&o.run(&["task", "set", &victim.to_string(), "--title", evil]));
    let path = o.snv_sheet("snv.xlsx");

    let r = range(&path, "Nhiệm vụ");
    assert_eq!(text(&r, 1, 0), "Cơ quan: Sở Nội vụ (SNV)");
    assert_eq!(
        text(&r, 2, 0),
        "Kỳ báo cáo: Năm 2026 (15/12/2025 – 14/12/2026)"
    );
    assert_eq!(text(&r, 3, 0), "Lập ngày 15/11/2026");
    assert_eq!(text(&r, 5, 0), "ID");
    assert_eq!(text(&r, 5, 6), "Trạng thái (cập nhật)");
    let rows = task_rows(&path);
    // Every row is an SNV task (lead or coordinating) that is due in the days the year's
    // report adds (15/09–14/12), or open and due before its cut-off, or started; and every
    // such task is there.
    let all = json(&o.run(&["tasks", "--format", "json"]));
    let expected: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            let mine = t["lead_agency"] == "SNV"
                || t["coordinating"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c == "SNV");
            let due = t["due"].as_str().unwrap();
            let status = t["status"].as_str().unwrap();
            let in_q = ("2026-09-15"..="2026-12-14").contains(&due);
            let open = status != "done";
            let started = status == "in-progress" || status == "blocked";
            mine && (in_q || (open && (due <= "2026-12-14" || started)))
        })
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    let mut got: Vec<i64> = rows.iter().map(|(_, id, _)| *id).collect();
    let mut want = expected.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(got.contains(&victim));
    for (row, id, version) in &rows {
        let task = o.task(*id);
        let i = row - 1;
        // The due date is a real date cell, dd/mm/yyyy.
        let due = r.get_value((i, 3)).unwrap();
        assert!(
            due.is_datetime(),
            "row {row}: due is {due:?}, not a date cell"
        );
        assert_eq!(
            due.as_date().unwrap().to_string(),
            task["due"].as_str().unwrap()
        );
        // The hidden column holds the version as exported.
        assert_eq!(*version, task["version"].as_i64().unwrap());
        assert_eq!(text(&r, i, 11), task["status"].as_str().unwrap());
        if *id == victim {
            // Text, not a formula, and inert when retyped: the leading apostrophe.
            assert_eq!(text(&r, i, 2), format!("'{evil}"));
        }
    }
    let mut wb = calamine::open_workbook_auto(&path).unwrap();
    let formulas = wb.worksheet_formula("Nhiệm vụ").unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "the sheet holds a formula"
    );

    let ind = range(&path, "Chỉ tiêu");
    assert_eq!(text(&ind, 5, 0), "Mã");
    let codes: Vec<String> = (6..ind.end().unwrap().0 + 1)
        .map(|row| text(&ind, row, 0))
        .collect();
    let indicators = json(&o.run(&["indicators", "--format", "json"]));
    let snv: Vec<String> = indicators
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["lead_agency"] == "SNV")
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect();
    assert!(!snv.is_empty());
    assert_eq!(codes, snv);
    let meta = range(&path, "cchc");
    assert_eq!(text(&meta, 0, 0), "cchc-agency-sheet");
    assert_eq!(text(&meta, 1, 1), "SNV");
    assert_eq!(text(&meta, 2, 1), "2026");
}

#[test]
fn default_name_and_quarter_and_english_labels() {
    let o = Office::new();
    assert_success(&o.run(&["sheet", "--agency", "Sở Nội vụ"]));
    // Made on 15/11/2026: the year's report is being prepared.
    let path = o.path("SNV-2026.xlsx");
    assert!(
        path.exists(),
        "default name <CODE>-<PERIOD>.xlsx in the current folder"
    );
    assert_success(&o.run(&[
        "--lang",
        "en",
        "sheet",
        "--agency",
        "snv",
        "--period",
        "2027-Q1",
        "-o",
        &o.p("en.xlsx"),
    ]));
    let r = range(&o.path("en.xlsx"), "Tasks");
    assert_eq!(text(&r, 1, 0), "Agency: Sở Nội vụ (SNV)");
    assert_eq!(text(&r, 5, 6), "Status (update)");
    // An unknown agency is one clear line.
    let out = o.run(&["sheet", "--agency", "NOPE"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown agency"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn all_agencies_one_workbook_each_with_work() {
    let o = Office::new();
    let dir = o.path("q4");
    assert_success(&o.run(&[
        "sheet",
        "--all",
        "--quarter",
        "2026Q4",
        "--output-dir",
        &dir.display().to_string(),
    ]));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"SNV-2026.xlsx".to_string()), "{names:?}");
    assert!(names.iter().all(|n| n.ends_with("-2026.xlsx")));
    for n in &names {
        let rows = task_rows(&dir.join(n));
        assert!(!rows.is_empty(), "{n} has no work in the period");
    }
}

#[test]
fn unchanged_sheet_imports_nothing_and_dry_run_writes_nothing() {
    let o = Office::new();
    let path = o.snv_sheet("snv.xlsx");
    let before = o.log_count();
    let out = o.run(&["import", &path.display().to_string()]);
    assert_success(&out);
    assert_eq!(o.log_count(), before);

    let (row, id, _) = task_rows(&path)[0];
    let edited = fill_in(
        &o,
        &path,
        "edited.xlsx",
        serde_json::json!({"Nhiệm vụ": {format!("H{row}"): 30}}),
    );
    let out = o.run(&["import", "--dry-run", &edited.display().to_string()]);
    assert_success(&out);
    assert!(stdout(&out).contains("sẽ cập nhật"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("Tiến độ: 0% → 30%"),
        "{}",
        stdout(&out)
    );
    assert_eq!(o.log_count(), before, "a dry run wrote");
    assert_eq!(o.task(id)["progress"], 0);
}

#[test]
fn edited_sheet_applies_one_log_entry_per_row_naming_file_and_row() {
    let o = Office::new();
    let path = o.snv_sheet("snv.xlsx");
    let rows = task_rows(&path);
    let ((r1, id1, _), (r2, id2, _), (r3, id3, _)) = (rows[0], rows[1], rows[2]);
    let edited = fill_in(
        &o,
        &path,
        "returned.xlsx",
        serde_json::json!({
            "Nhiệm vụ": {
                format!("G{r1}"): "Hoàn thành",
                format!("I{r1}"): "date:2026-11-10",
                format!("J{r1}"): "- đã gửi báo cáo",
                format!("H{r2}"): 45,
                // A date typed as text, as people do.
                format!("G{r3}"): "Hoàn thành",
                format!("I{r3}"): "05/11/2026",
            },
            "Chỉ tiêu": {"I7": 72.5, "J7": "date:2026-11-01", "K7": "Cổng DVC quốc gia"},
        }),
    );
    let ind = range(&path, "Chỉ tiêu");
    let code = text(&ind, 6, 0);
    let before = o.log_count();
    let m_before = o.measurements(&code);
    let out = o.run(&["import", &edited.display().to_string()]);
    assert_success(&out);
    assert_eq!(
        o.log_count(),
        before + 4,
        "one entry per changed row\n{}",
        stdout(&out)
    );
    let t1 = o.task(id1);
    assert_eq!(t1["status"], "done");
    assert_eq!(t1["completed_on"], "2026-11-10");
    assert_eq!(o.task(id2)["progress"], 45);
    assert_eq!(o.task(id2)["status"], "in-progress");
    assert_eq!(o.task(id3)["completed_on"], "2026-11-05");
    assert_eq!(o.measurements(&code), m_before + 1);
    let log = json(&o.run(&["log", "--format", "json", "--limit", "10"]));
    let notes: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str().map(String::from))
        .collect();
    // A completion or measurement date typed in the sheet adds a "given by hand" line.
    let logged = |first_line: &str| notes.iter().any(|n| n.lines().next() == Some(first_line));
    assert!(
        logged(&format!(
            "returned.xlsx, Nhiệm vụ dòng {r1}: - đã gửi báo cáo"
        )),
        "{notes:?}"
    );
    assert!(
        logged(&format!("returned.xlsx, Nhiệm vụ dòng {r2}")),
        "{notes:?}"
    );
    assert!(logged("returned.xlsx, Chỉ tiêu dòng 7"), "{notes:?}");
    // The agency's note is kept with the task, as the log says it (the log replays into the
    // notes): after the file and row it came from.
    let kept = t1["notes"][0]["text"].as_str().unwrap();
    assert!(
        kept.starts_with(&format!(
            "returned.xlsx, Nhiệm vụ dòng {r1}: - đã gửi báo cáo"
        )),
        "{kept}"
    );
    // The same file again: nothing new.
    assert_success(&o.run(&["import", &edited.display().to_string()]));
    assert_eq!(o.log_count(), before + 4);
    assert_eq!(o.measurements(&code), m_before + 1);
    // The tables are what the log implies (issue 10): the replay finds nothing changed.
    assert_success(&o.run(&["log", "--verify"]));
}

#[test]
fn conflict_row_is_reported_and_nothing_written_unless_partial() {
    let o = Office::new();
    let path = o.snv_sheet("snv.xlsx");
    let rows = task_rows(&path);
    let ((r1, id1, _), (r2, id2, _)) = (rows[0], rows[1]);
    let edited = fill_in(
        &o,
        &path,
        "returned.xlsx",
        serde_json::json!({"Nhiệm vụ": {format!("H{r1}"): 20, format!("H{r2}"): 60}}),
    );
    // Meanwhile someone changes the second task in cchc.
    assert_success(&o.run_as(
        "lan",
        &["task", "set", &id2.to_string(), "--progress", "10"],
    ));
    let before = o.log_count();
    let out = o.run(&["import", &edited.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let table = stdout(&out);
    let line = table
        .lines()
        .find(|l| l.contains(&format!("#{id2}")))
        .expect("the conflict row");
    assert!(
        line.contains("xung đột") && line.contains("lan") && line.contains(&r2.to_string()),
        "{line}"
    );
    assert!(line.contains("Tiến độ: 0% → 10%"), "{line}");
    assert!(stderr(&out).contains("chưa nhập gì"), "{}", stderr(&out));
    assert_eq!(
        o.log_count(),
        before,
        "all or nothing: something was written"
    );
    assert_eq!(o.task(id1)["progress"], 0);
    assert_eq!(o.task(id2)["progress"], 10);

    // --partial applies the other row, and still exits non-zero: a row was skipped.
    let out = o.run(&["import", "--partial", &edited.display().to_string()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("các dòng khác đã được nhập"),
        "{}",
        stderr(&out)
    );
    assert_eq!(o.task(id1)["progress"], 20);
    assert_eq!(
        o.task(id2)["progress"],
        10,
        "the conflict row overwrote a newer change"
    );
    assert_eq!(o.log_count(), before + 1);
}

#[test]
fn several_files_are_checked_together() {
    let o = Office::new();
    let snv = o.snv_sheet("snv.xlsx");
    assert_success(&o.run(&[
        "sheet",
        "--agency",
        "STP",
        "--quarter",
        "2026Q4",
        "-o",
        &o.p("stp.xlsx"),
    ]));
    let stp = o.path("stp.xlsx");
    let (rs, ids, _) = task_rows(&snv)[0];
    let (rt, idt, _) = task_rows(&stp)[0];
    let good = fill_in(
        &o,
        &snv,
        "snv-back.xlsx",
        serde_json::json!({"Nhiệm vụ": {format!("H{rs}"): 25}}),
    );
    let bad = fill_in(
        &o,
        &stp,
        "stp-back.xlsx",
        serde_json::json!({"Nhiệm vụ": {format!("H{rt}"): "nhiều"}}),
    );
    let before = o.log_count();
    let out = o.run(&[
        "import",
        &good.display().to_string(),
        &bad.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("stp-back.xlsx") && stdout(&out).contains("không phải số nguyên"),
        "{}",
        stdout(&out)
    );
    assert_eq!(o.log_count(), before);
    assert_eq!(o.task(ids)["progress"], 0);
    // With --partial the good file goes in, the bad row is reported, and the exit says a row
    // was skipped.
    let out = o.run(&[
        "import",
        "--partial",
        &good.display().to_string(),
        &bad.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(o.task(ids)["progress"], 25);
    assert_eq!(o.task(idt)["progress"], 0);
    // A workbook that is not a cchc sheet is one clear line, and nothing is written.
    let out = o.run(&["export", "--format", "xlsx", "-o", &o.p("all.xlsx")]);
    assert_success(&out);
    let before = o.log_count();
    let out = o.run(&["import", &o.p("all.xlsx")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("không phải bảng của một cơ quan"),
        "{}",
        stderr(&out)
    );
    assert_eq!(o.log_count(), before);
}

#[test]
fn export_workbook_reads_back_with_calamine() {
    let o = Office::new();
    let tasks = json(&o.run(&["tasks", "--format", "json"]));
    let first = tasks.as_array().unwrap()[0]["id"].as_i64().unwrap();
    assert_success(&o.run(&[
        "task",
        "set",
        &first.to_string(),
        "--title",
        "+cmd|' /C calc'!A0",
    ]));
    assert_success(&o.run(&[
        "indicator",
        "record",
        "tthc-dvctt-toan-trinh",
        "61",
        "--date",
        "2026-10-01",
        "--source",
        "@SUM(A1)",
    ]));
    let path = o.path("all.xlsx");
    assert_success(&o.run(&["export", "--format", "xlsx", "--output", &o.p("all.xlsx")]));
    let r = range(&path, "Nhiệm vụ");
    assert_eq!(text(&r, 0, 7), "Hạn");
    assert_eq!(text(&r, 0, 8), "Trạng thái");
    assert_eq!(r.end().unwrap().0 as usize, tasks.as_array().unwrap().len());
    let row = (1..=r.end().unwrap().0)
        .find(|&i| r.get_value((i, 0)).unwrap().as_i64() == Some(first))
        .unwrap();
    assert_eq!(text(&r, row, 5), "'+cmd|' /C calc'!A0");
    assert!(r.get_value((row, 7)).unwrap().is_datetime());
    let states = [
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện",
        "Quá hạn",
        "Chưa thực hiện",
    ];
    assert!((1..=r.end().unwrap().0).all(|i| states.contains(&text(&r, i, 8).as_str())));
    let m = range(&path, "Số đo");
    assert!((1..=m.end().unwrap().0).any(|i| text(&m, i, 3) == "'@SUM(A1)"));
    let log = range(&path, "Nhật ký");
    assert_eq!(log.end().unwrap().0 as i64, o.log_count());
    let ind = range(&path, "Chỉ tiêu");
    assert!(ind.end().unwrap().0 >= 19);
    let mut wb = calamine::open_workbook_auto(&path).unwrap();
    for sheet in ["Nhiệm vụ", "Chỉ tiêu", "Số đo", "Nhật ký"] {
        let f = wb.worksheet_formula(sheet).unwrap();
        assert!(
            f.cells().all(|(_, _, f)| f.is_empty()),
            "{sheet} holds a formula"
        );
    }
}

#[test]
fn returned_rows_follow_the_members_rules() {
    let o = Office::new();
    assert_success(&o.run(&[
        "member",
        "add",
        "tester",
        "--agency",
        "SNV",
        "--role",
        "secretary",
    ]));
    assert_success(&o.run(&["member", "add", "ha", "--agency", "STP", "--role", "member"]));
    let path = o.snv_sheet("snv.xlsx");
    let (row, id, _) = task_rows(&path)
        .into_iter()
        .find(|(_, id, _)| {
            let t = o.task(*id);
            t["lead_agency"] != "STP"
                && !t["coordinating"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c == "STP")
        })
        .expect("an SNV task STP has no part in");
    let edited = fill_in(
        &o,
        &path,
        "back.xlsx",
        serde_json::json!({"Nhiệm vụ": {format!("H{row}"): 50}}),
    );
    let refusals = || {
        sql_count(
            &o.db,
            "SELECT count(*) FROM change_log WHERE action = 'refused'",
        )
    };
    let (before, denied_before) = (o.log_count(), refusals());
    // A member of another agency may not change SNV's task, from a sheet or otherwise.
    let out = o.run_as("ha", &["import", &edited.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("bị từ chối") && stdout(&out).contains("not permitted"),
        "{}",
        stdout(&out)
    );
    assert_eq!(o.task(id)["progress"], 0);
    assert_eq!(
        refusals(),
        denied_before + 1,
        "the refusal is kept in the log"
    );
    assert_eq!(
        o.log_count() - before,
        refusals() - denied_before,
        "only the refusal is logged"
    );
    // The secretary may.
    assert_success(&o.run(&["import", &edited.display().to_string()]));
    assert_eq!(o.task(id)["progress"], 50);
}
