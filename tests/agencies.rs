//! Every agency of the province in the file: `cchc agency add|list|rename|import` run as the real
//! binary on temp databases, the duties of a kind expanded for an agency added later, and the
//! commune group's duties handed to the communes registered one by one without counting twice.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::Value;

fn run(sb: &Sandbox, db: &Path, args: &[&str]) -> std::process::Output {
    sb.cchc().args(args).arg("--db").arg(db).output().unwrap()
}

fn ok(sb: &Sandbox, db: &Path, args: &[&str]) -> String {
    let out = run(sb, db, args);
    assert_success(&out);
    stdout(&out)
}

/// The tasks `cchc tasks` lists (withdrawn ones are not), as JSON.
fn tasks(sb: &Sandbox, db: &Path) -> Vec<Value> {
    json(&run(sb, db, &["tasks", "--format", "json"]))
        .as_array()
        .unwrap()
        .clone()
}

/// The duties the plan addresses to every agency of a kind: section V.1, each body's own
/// information work (III.1.4) and its yearly budget estimate (IV.2).
const KIND_DUTIES: [&str; 3] = ["V.1.", "III.1.4/", "IV.2/"];

/// plan_ref -> (title, due) of the listed tasks `lead` leads under a duty of its kind.
fn by_ref(tasks: &[Value], lead: &str) -> BTreeMap<String, (String, String)> {
    tasks
        .iter()
        .filter(|t| {
            let r = t["plan_ref"].as_str().unwrap();
            t["lead_agency"] == lead && KIND_DUTIES.iter().any(|p| r.starts_with(p))
        })
        .map(|t| {
            (
                t["plan_ref"].as_str().unwrap().to_string(),
                (
                    t["title"].as_str().unwrap().to_string(),
                    t["due"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect()
}

fn log_entries(db: &Path, sql: &str) -> i64 {
    sql_count(db, sql)
}

#[test]
fn a_department_added_later_owes_its_kinds_duties_from_that_day_each_logged() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let before = tasks(&sb, &db);
    let out = ok(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "SXD",
            "--name",
            "  Sở Xây dựng ",
            "--kind",
            "department",
            "--today",
            "2026-10-01",
        ],
    );
    assert!(out.contains("SXD") && out.contains("01/10/2026"), "{out}");

    let after = tasks(&sb, &db);
    // What the seed gave Sở Nội vụ from section V.1, from the same day on, with SNV -> SXD.
    let expected: BTreeMap<String, (String, String)> = by_ref(&before, "SNV")
        .into_iter()
        .filter(|(r, (_, due))| r.split('/').nth(1) == Some("SNV") && due.as_str() >= "2026-10-01")
        .map(|(r, v)| (r.replace("/SNV", "/SXD"), v))
        .collect();
    let got = by_ref(&after, "SXD");
    assert!(!got.is_empty());
    assert_eq!(got, expected);
    assert!(got.keys().any(|r| r == "V.1.5/SXD/2026-Q4"));
    assert!(got.keys().any(|r| r == "III.1.4/SXD"));
    assert!(got.keys().any(|r| r == "IV.2/SXD/2028"));
    assert!(
        !got.keys().any(|r| r == "IV.2/SXD/2027"),
        "the 2027 estimate fell due on 2026-07-20"
    );
    assert!(
        !got.keys().any(|r| r == "V.1.5/SXD/2026-Q3"),
        "due before it existed"
    );
    assert_eq!(after.len(), before.len() + got.len());

    // One change-log entry for the agency, one per created task.
    assert_eq!(
        log_entries(
            &db,
            "SELECT count(*) FROM change_log WHERE entity = 'agency' AND entity_id = 'SXD' AND action = 'add'"
        ),
        1
    );
    assert_eq!(
        log_entries(
            &db,
            "SELECT count(*) FROM change_log WHERE entity = 'task' AND action = 'create' AND note LIKE '%owed by SXD from 2026-10-01%'"
        ),
        got.len() as i64
    );
    let verified = ok(&sb, &db, &["log", "--verify"]);
    assert!(verified.contains("head"), "{verified}");

    // Stored NFC and trimmed; listed with the day it was added; `agencies` still works.
    let list = json(&run(&sb, &db, &["agency", "list", "--format", "json"]));
    let sxd = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "SXD")
        .unwrap();
    assert_eq!(sxd["name"], "Sở Xây dựng");
    assert_eq!(sxd["added_on"], "2026-10-01");
    assert_eq!(sxd["added_by"], "tester");
    let snv = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "SNV")
        .unwrap();
    assert_eq!(snv["added_on"], Value::Null);
    let csv = ok(&sb, &db, &["agencies", "--format", "csv"]);
    assert!(csv.starts_with("code,name,kind\n"), "{csv}");
    assert!(csv.contains("SXD,Sở Xây dựng,department\n"), "{csv}");
    let table = ok(&sb, &db, &["agency", "list"]);
    assert!(table.contains("01/10/2026"), "{table}");
}

#[test]
fn communes_registered_one_by_one_take_over_the_groups_duties_without_double_counting() {
    let sb = Sandbox::new();
    let db = sb.init_db("c.sqlite3");
    let before = tasks(&sb, &db);
    let group_before = by_ref(&before, "UBNDXP");
    ok(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "XA-CHI-LANG",
            "--name",
            "UBND xã Chi Lăng",
            "--kind",
            "commune",
            "--today",
            "2026-10-01",
        ],
    );
    let after = tasks(&sb, &db);
    let group = by_ref(&after, "UBNDXP");
    let first = by_ref(&after, "XA-CHI-LANG");
    // The group keeps what fell due before the first commune existed, and only that.
    assert!(
        group.values().all(|(_, due)| due.as_str() < "2026-10-01"),
        "{group:?}"
    );
    assert!(group.contains_key("V.1.5/UBNDXP/2026-Q3"));
    let withdrawn: Vec<&String> = group_before
        .keys()
        .filter(|r| !group.contains_key(*r))
        .collect();
    assert_eq!(withdrawn.len(), first.len());
    // Period by period, the commune owes exactly what the group no longer does.
    for r in &withdrawn {
        let mine = r.replace("/UBNDXP", "/XA-CHI-LANG");
        assert_eq!(first.get(&mine), group_before.get(*r), "{r}");
    }
    assert_eq!(after.len(), before.len(), "nothing counted twice");
    assert_eq!(
        log_entries(
            &db,
            "SELECT count(*) FROM change_log WHERE entity = 'task' AND action = 'withdraw' AND note LIKE '%XA-CHI-LANG%'"
        ),
        withdrawn.len() as i64
    );
    // Withdrawn, not deleted: the rows and their history stay in the file.
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM tasks WHERE withdrawn_on = '2026-10-01'"
        ),
        withdrawn.len() as i64
    );

    // A second commune later: its own duties from its day, the group is not touched again.
    let out = ok(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "PHUONG-DONG-KINH",
            "--name",
            "UBND phường Đông Kinh",
            "--kind",
            "commune",
            "--today",
            "2027-02-01",
        ],
    );
    assert!(!out.contains("UBNDXP"), "{out}");
    let later = tasks(&sb, &db);
    assert_eq!(by_ref(&later, "UBNDXP"), group);
    let second = by_ref(&later, "PHUONG-DONG-KINH");
    assert!(second.contains_key("V.1.5/PHUONG-DONG-KINH/2027-Q1"));
    assert!(second.values().all(|(_, due)| due.as_str() >= "2027-02-01"));
    assert_eq!(later.len(), after.len() + second.len());

    // The quarterly report counts every listed task once: the second commune's own tasks
    // are added, the group's withdrawn ones are not counted beside the first commune's.
    let report_total = |db: &Path| {
        json(&run(
            &sb,
            db,
            &["report", "--quarter", "2026Q4", "--format", "json"],
        ))["tasks"]["total"]
            .as_u64()
            .unwrap() as usize
    };
    assert_eq!(report_total(&db), later.len());
    assert_eq!(report_total(&db), before.len() + second.len());
}

#[test]
fn rename_is_logged_and_look_alikes_and_invisible_characters_are_refused() {
    let sb = Sandbox::new();
    let db = sb.init_db("r.sqlite3");
    let out = ok(
        &sb,
        &db,
        &[
            "agency",
            "rename",
            "STP",
            "--name",
            "Sở Tư pháp tỉnh Lạng Sơn",
        ],
    );
    assert!(out.contains("Sở Tư pháp tỉnh Lạng Sơn"), "{out}");
    assert_eq!(
        log_entries(
            &db,
            "SELECT count(*) FROM change_log WHERE entity = 'agency' AND entity_id = 'STP' AND action = 'rename'"
        ),
        1
    );
    let tasks_before = sql_count(&db, "SELECT count(*) FROM tasks");
    let agencies_before = sql_count(&db, "SELECT count(*) FROM agencies");
    let refusals: [(&[&str], &str); 6] = [
        (
            &[
                "agency",
                "add",
                "snv",
                "--name",
                "Sở Mới",
                "--kind",
                "department",
            ],
            "SNV",
        ),
        (
            &[
                "agency",
                "add",
                "SNV",
                "--name",
                "Sở Mới",
                "--kind",
                "department",
            ],
            "already exists",
        ),
        (
            &[
                "agency",
                "add",
                "SXD",
                "--name",
                "so noi vu",
                "--kind",
                "department",
            ],
            "already agency SNV",
        ),
        (
            &[
                "agency",
                "add",
                "S\u{200b}XD",
                "--name",
                "Sở Xây dựng",
                "--kind",
                "department",
            ],
            "\\u{200b}",
        ),
        (
            &[
                "agency",
                "add",
                "SXD",
                "--name",
                "Sở\u{202e} Xây dựng",
                "--kind",
                "department",
            ],
            "\\u{202e}",
        ),
        (
            &[
                "agency",
                "rename",
                "STC",
                "--name",
                "SỞ TƯ PHÁP TỈNH LẠNG SƠN",
            ],
            "already agency STP",
        ),
    ];
    for (args, says) in refusals {
        let out = run(&sb, &db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    // Diacritics: a code that only differs by them from an existing one.
    ok(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "XÃ-A",
            "--name",
            "UBND xã A",
            "--kind",
            "commune",
        ],
    );
    let out = run(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "XA-A",
            "--name",
            "UBND xã B",
            "--kind",
            "commune",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("only by case or diacritics"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM agencies"),
        agencies_before + 1
    );
    assert!(sql_count(&db, "SELECT count(*) FROM tasks") > tasks_before);
}

#[test]
fn only_a_secretary_registers_or_renames_agencies_once_members_exist() {
    let sb = Sandbox::new();
    let db = sb.init_db("s.sqlite3");
    ok(
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
    );
    ok(&sb, &db, &["member", "add", "ha", "--agency", "STP"]);
    let tasks_before = sql_count(&db, "SELECT count(*) FROM tasks");
    for args in [
        &[
            "agency",
            "add",
            "SXD",
            "--name",
            "Sở Xây dựng",
            "--kind",
            "department",
        ][..],
        &["agency", "rename", "STP", "--name", "Sở Tư pháp mới"][..],
    ] {
        let out = sb
            .cchc()
            .args(args)
            .args(["--user", "ha", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains("không được phép") && err.contains("secretary"),
            "{err}"
        );
    }
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM agencies WHERE code = 'SXD'"),
        0
    );
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM agencies WHERE name = 'Sở Tư pháp'"
        ),
        1
    );
    assert_eq!(sql_count(&db, "SELECT count(*) FROM tasks"), tasks_before);
    // Both refusals came within a minute: one entry, and the second counted beside it.
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM change_log WHERE action = 'refused' AND \"user\" = 'ha'"
        ),
        1
    );
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM refusals WHERE unlogged = 1"),
        1
    );
    // The secretary may.
    ok(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "SXD",
            "--name",
            "Sở Xây dựng",
            "--kind",
            "department",
        ],
    );
}

#[test]
fn import_registers_a_semicolon_list_with_vietnamese_headers_all_or_nothing() {
    let sb = Sandbox::new();
    let db = sb.init_db("i.sqlite3");
    let file = sb.path("co-quan.csv");
    std::fs::write(
        &file,
        "Mã;Tên;Loại\n\
         SNV;Sở Nội vụ;department\n\
         SXD;Sở Xây dựng;department\n\
         XA-CHI-LANG;UBND xã Chi Lăng;commune\n",
    )
    .unwrap();
    let out = run(&sb, &db, &["agency", "import", "--today", "2026-07-01"]);
    assert_ne!(out.status.code(), Some(0), "the file is required");
    let out = sb
        .cchc()
        .args(["agency", "import", "--today", "2026-07-01", "--db"])
        .arg(&db)
        .arg(&file)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(
        stderr(&out).contains("dấu phân cách ';'"),
        "{}",
        stderr(&out)
    );
    let said = stdout(&out);
    assert!(said.contains("2 cơ quan mới, 1 đã có"), "{said}");
    let list = ok(&sb, &db, &["agencies", "--format", "csv"]);
    assert!(
        list.contains("XA-CHI-LANG,UBND xã Chi Lăng,commune"),
        "{list}"
    );
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM change_log WHERE entity = 'agency' AND action = 'add' AND note = 'from co-quan.csv'"
        ),
        2
    );
    assert!(
        sql_count(
            &db,
            "SELECT count(*) FROM tasks WHERE lead_agency = 'XA-CHI-LANG' AND plan_ref = 'V.1.5/XA-CHI-LANG/2026-Q3'"
        ) == 1
    );

    // A second file with a duplicate inside it, a look-alike of an existing code and a bad
    // kind: every bad row named, the database byte for byte as it was.
    let bad = sb.path("bad.csv");
    std::fs::write(
        &bad,
        "code,name,kind\n\
         STTTT,Sở Thông tin,department\n\
         sxd,Sở Xây dựng 2,department\n\
         XA-B,UBND xã B,ward\n\
         \u{1e62}TTTT,Sở khác,department\n\
         STTTT,Sở Thông tin và Truyền thông,department\n",
    )
    .unwrap();
    let bytes = common::engine::snapshot(&db);
    let out = sb
        .cchc()
        .args(["agency", "import", "--db"])
        .arg(&db)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("row 3:") && err.contains("SXD"), "{err}");
    assert!(err.contains("row 4:") && err.contains("ward"), "{err}");
    assert!(
        err.contains("row 5:") && err.contains("rows 2 and 5"),
        "{err}"
    );
    assert!(
        err.contains("row 6:") && err.contains("rows 2 and 6"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(common::engine::snapshot(&db), bytes, "the database changed");

    // An unknown column is named with the closest known one.
    let typo = sb.path("typo.csv");
    std::fs::write(&typo, "code,nmae,kind\nSTTTT,Sở Thông tin,department\n").unwrap();
    let out = sb
        .cchc()
        .args(["agency", "import", "--db"])
        .arg(&db)
        .arg(&typo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean name?"),
        "{}",
        stderr(&out)
    );
    assert_eq!(common::engine::snapshot(&db), bytes);
}

#[test]
fn import_reads_an_xlsx_list() {
    let sb = Sandbox::new();
    let db = sb.init_db("x.sqlite3");
    let book = sb.path("co-quan.xlsx");
    // Written by openpyxl, not by cchc: the list as a secretary's spreadsheet holds it.
    let script = r#"
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Cơ quan"
ws.append(["code", "name", "kind"])
ws.append(["SXD", "Sở Xây dựng", "department"])
ws.append(["XA-TAN-THANH", "UBND xã Tân Thành", "commune"])
ws.append([None, None, None])
wb.save(sys.argv[1])
"#;
    let made = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&book)
        .output()
        .expect("python3 with openpyxl (CI installs it)");
    assert_success(&made);
    let out = sb
        .cchc()
        .args(["agency", "import", "--today", "2026-05-01", "--db"])
        .arg(&db)
        .arg(&book)
        .output()
        .unwrap();
    assert_success(&out);
    let list = ok(&sb, &db, &["agency", "list", "--format", "csv"]);
    assert!(
        list.contains("SXD,Sở Xây dựng,department,2026-05-01"),
        "{list}"
    );
    assert!(
        list.contains("XA-TAN-THANH,UBND xã Tân Thành,commune,2026-05-01"),
        "{list}"
    );
}

/// The log is the truth (issue 10): the tasks an agency's registration creates and the group
/// tasks it withdraws are rebuilt from their change records, so `doctor` and `log --verify`
/// find the tables as the log implies.
#[test]
fn registering_agencies_keeps_the_tables_what_the_log_implies() {
    let sb = Sandbox::new();
    let db = sb.init_db("replay.sqlite3");
    ok(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "XPCL",
            "--name",
            "UBND phường Chi Lăng",
            "--kind",
            "commune",
        ],
    );
    ok(
        &sb,
        &db,
        &[
            "agency",
            "add",
            "SXD",
            "--name",
            "Sở Xây dựng",
            "--kind",
            "department",
        ],
    );
    ok(
        &sb,
        &db,
        &[
            "agency",
            "rename",
            "XPCL",
            "--name",
            "UBND phường Chi Lăng (mới)",
        ],
    );
    let created = log_entries(
        &db,
        "SELECT count(*) FROM change_log WHERE entity = 'task' AND action = 'create'",
    );
    assert!(created > 0);
    let doctor = run(&sb, &db, &["doctor"]);
    assert_success(&doctor);
    assert!(!stdout(&doctor).contains("FAIL"), "{}", stdout(&doctor));
    assert_success(&run(&sb, &db, &["log", "--verify"]));
    // A withdrawn group task changed by hand afterwards is still caught.
    common::engine::execute(
        &db,
        "UPDATE tasks SET progress = 50 WHERE withdrawn_on IS NOT NULL AND id = (SELECT min(id) FROM tasks WHERE withdrawn_on IS NOT NULL)",
    )
    .unwrap();
    assert!(!run(&sb, &db, &["log", "--verify"]).status.success());
}
