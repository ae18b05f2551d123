//! Issue 10, cases 6 and 7: the member rule without holes, and limits. Each refusal is one
//! line naming the field and the limit, exits non-zero and leaves the database as it was;
//! paths that are not regular files are refused at once instead of hanging.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use cchc::error::Error;
use cchc::model::TaskPatch;
use cchc::store::{OpenOptions, Role, Store};
use common::*;

/// Everything a refusal must leave as it was: every row of the tables cchc writes.
fn fingerprint(db: &Path) -> String {
    engine::rows_text(db)
}

/// In English: the limits' messages are matched by their words (the Vietnamese ones are
/// `error::said`'s, tested there).
fn run(sb: &Sandbox, db: &Path, args: &[&str]) -> Output {
    sb.cchc()
        .env("CCHC_LANG", "en")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

/// Runs `args` (as user `tester`, no members) and expects a one-line refusal holding every
/// word of `expect`, with the database unchanged.
fn refused(sb: &Sandbox, db: &Path, args: &[&str], expect: &[&str]) {
    refused_cmd(db, sb.cchc().args(args).arg("--db").arg(db), expect);
}

fn refused_cmd(db: &Path, cmd: &mut Command, expect: &[&str]) {
    let before = fingerprint(db);
    let out = cmd.env("CCHC_LANG", "en").output().unwrap();
    let err = stderr(&out);
    assert!(!out.status.success(), "accepted: {cmd:?}\n{}", stdout(&out));
    // An import names each bad row on its own line, then says nothing was imported.
    let is_import = cmd.get_args().any(|a| a == "import");
    if !is_import {
        // (A value clap's parser refuses gets clap's own pointer to --help after the line.)
        let lines = err
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("For more information"))
            .count();
        assert_eq!(lines, 1, "{err}");
    }
    for e in expect {
        assert!(err.contains(e), "{e:?} not in: {err}");
    }
    assert_eq!(fingerprint(db), before, "the database changed: {cmd:?}");
}

#[test]
fn texts_over_their_limits_are_refused_and_at_the_limit_accepted() {
    let sb = Sandbox::new();
    let db = sb.init_db("text.sqlite3");
    let t501 = "t".repeat(501);
    refused(
        &sb,
        &db,
        &["task", "set", "3", "--title", &t501],
        &["title", "501", "500"],
    );
    assert_success(&run(
        &sb,
        &db,
        &["task", "set", "3", "--title", &"t".repeat(500)],
    ));
    refused(
        &sb,
        &db,
        &["task", "set", "3", "--note", &"n".repeat(10_001)],
        &["note", "10000"],
    );
    assert_success(&run(
        &sb,
        &db,
        &["task", "set", "3", "--note", &"n".repeat(10_000)],
    ));
    let add = |title: &str, output: &str| {
        vec![
            "task".to_string(),
            "add".into(),
            "--area".into(),
            "tthc".into(),
            "--agency".into(),
            "SNV".into(),
            "--title".into(),
            title.into(),
            "--due".into(),
            "2027-01-01".into(),
            "--output".into(),
            output.into(),
        ]
    };
    let args = add(&"t".repeat(100_000), "x");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&sb, &db, &args, &["title", "100000", "500"]);
    let args = add("ok", &"o".repeat(10_001));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&sb, &db, &args, &["expected output", "10000"]);
    refused(
        &sb,
        &db,
        &[
            "indicator",
            "record",
            "tthc-dvctt-toan-trinh",
            "50",
            "--note",
            &"n".repeat(10_001),
        ],
        &["note", "10000"],
    );
}

#[test]
fn names_are_bounded_and_cannot_hide_characters() {
    let sb = Sandbox::new();
    let db = sb.init_db("names.sqlite3");
    let long = "n".repeat(101);
    refused(
        &sb,
        &db,
        &[
            "member",
            "add",
            &long,
            "--agency",
            "SNV",
            "--role",
            "secretary",
        ],
        &["name", "101", "100"],
    );
    assert_success(&run(
        &sb,
        &db,
        &[
            "member",
            "add",
            "lan",
            "--agency",
            "SNV",
            "--role",
            "secretary",
        ],
    ));
    // A look-alike second secretary: "lan" with a zero-width space.
    refused_cmd(
        &db,
        sb.cchc()
            .env("CCHC_USER", "lan")
            .args(["member", "add", "la\u{200b}n", "--agency", "SNV"])
            .args(["--role", "secretary", "--db"])
            .arg(&db),
        &["name", "\\u{200b}", "retype"],
    );
    refused_cmd(
        &db,
        sb.cchc()
            .env("CCHC_USER", &long)
            .args(["task", "set", "1", "--progress", "5", "--db"])
            .arg(&db),
        &["user name", "101", "100"],
    );
    refused_cmd(
        &db,
        sb.cchc()
            .env("CCHC_USER", "lan")
            .args(["indicator", "record", "tthc-dvctt-toan-trinh", "50"])
            .args(["--source", &long, "--db"])
            .arg(&db),
        &["source", "100"],
    );
    // An agency name made on import is a name too.
    let csv = sb.path("agency.csv");
    std::fs::write(
        &csv,
        format!("area,lead_agency,title,due\ntthc,{long},Việc mới,2027-01-01\n"),
    )
    .unwrap();
    refused_cmd(
        &db,
        sb.cchc()
            .env("CCHC_USER", "lan")
            .args(["import", "--create-agencies", "--db"])
            .arg(&db)
            .arg(&csv),
        &[
            "the agency name is 101 characters long; the limit is 100",
            "nothing was imported",
        ],
    );
}

#[test]
fn a_refused_attempt_logs_a_clipped_name_and_reason() {
    let sb = Sandbox::new();
    let db = sb.init_db("clip.sqlite3");
    let mut lan = Store::open(&db, "lan", OpenOptions::default()).unwrap();
    lan.add_member("lan", "SNV", Role::Secretary).unwrap();
    drop(lan);
    // The store API takes any claimed name (the CLI refuses it first): 60,000 characters.
    let claimed = "x".repeat(60_000);
    let mut intruder = Store::open(&db, &claimed, OpenOptions::default()).unwrap();
    let patch = TaskPatch {
        progress: Some(5),
        ..Default::default()
    };
    let err = intruder.update_task(1, None, &patch, None).unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err:?}");
    let refused = |column: &str| {
        engine::text(
            &db,
            &format!("SELECT {column} FROM change_log WHERE action = 'refused'"),
        )
    };
    let (user, note) = (refused("\"user\""), refused("note"));
    assert!(user.chars().count() <= 101, "{}", user.len());
    assert!(note.chars().count() <= 501, "{}", note.len());
}

#[test]
fn values_and_dates_out_of_range_are_refused() {
    let sb = Sandbox::new();
    let db = sb.init_db("range.sqlite3");
    for v in ["1e308", "101", "NaN", "inf", "100.5"] {
        refused(
            &sb,
            &db,
            &["indicator", "record", "tthc-dvctt-toan-trinh", v],
            &[],
        );
    }
    let out = run(
        &sb,
        &db,
        &["indicator", "record", "tthc-dvctt-toan-trinh", "1e308"],
    );
    assert!(stderr(&out).contains("0 to 100"), "{}", stderr(&out));
    for v in ["0", "6"] {
        refused(
            &sb,
            &db,
            &["indicator", "record", "chinh-quyen-so-quan-tri-du-lieu", v],
            &["level", "1 to 5"],
        );
    }
    assert_success(&run(
        &sb,
        &db,
        &[
            "indicator",
            "record",
            "chinh-quyen-so-quan-tri-du-lieu",
            "5",
        ],
    ));
    for d in ["0000-01-01", "1999-12-31", "2101-01-01"] {
        refused(&sb, &db, &["task", "set", "2", "--due", d], &["2000–2100"]);
        refused(
            &sb,
            &db,
            &[
                "indicator",
                "record",
                "tthc-dvctt-toan-trinh",
                "50",
                "--date",
                d,
            ],
            &["2000–2100"],
        );
    }
    let csv = sb.path("old.csv");
    std::fs::write(
        &csv,
        "area,lead_agency,title,due\ntthc,SNV,Việc cũ,1999-12-31\n",
    )
    .unwrap();
    refused(
        &sb,
        &db,
        &["import", csv.to_str().unwrap()],
        &["nothing was imported"],
    );
    let out = run(&sb, &db, &["import", csv.to_str().unwrap()]);
    assert!(stderr(&out).contains("2000–2100"), "{}", stderr(&out));
    // The export document's dates are checked the same way.
    let json = sb.path("old.json");
    std::fs::write(
        &json,
        r#"{"format":"cchc-export","version":1,"tasks":[{"area":"tthc","lead_agency":"SNV","title":"Việc","due":"0001-01-01"}]}"#,
    )
    .unwrap();
    refused(
        &sb,
        &db,
        &["import", json.to_str().unwrap()],
        &["nothing was imported"],
    );
}

#[test]
fn an_imported_detail_and_row_are_bounded() {
    let sb = Sandbox::new();
    let db = sb.init_db("import.sqlite3");
    let csv = sb.path("detail.csv");
    std::fs::write(
        &csv,
        format!(
            "area,lead_agency,title,due,detail\ntthc,SNV,Việc,2027-01-01,{}\n",
            "d".repeat(50_001)
        ),
    )
    .unwrap();
    refused(
        &sb,
        &db,
        &["import", csv.to_str().unwrap()],
        &["nothing was imported"],
    );
    let out = run(&sb, &db, &["import", csv.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("detail is 50001 characters long; the limit is 50000"),
        "{}",
        stderr(&out)
    );

    let row = sb.path("row.csv");
    std::fs::write(
        &row,
        format!(
            "area,lead_agency,title,due,output\ntthc,SNV,Việc,2027-01-01,\"{}\"\n",
            "o".repeat(1_100_000)
        ),
    )
    .unwrap();
    let out = run(&sb, &db, &["import", row.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("the limit is 1000000 (1 MB)"),
        "{}",
        stderr(&out)
    );
    refused(
        &sb,
        &db,
        &["import", row.to_str().unwrap()],
        &["nothing was imported"],
    );

    // Over 4 GB: refused from its size, without reading (a sparse file costs no disk). A
    // smaller file is read as a stream, so its size is not a matter of memory.
    let big = sb.path("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(4_000_000_001)
        .unwrap();
    let started = Instant::now();
    refused(
        &sb,
        &db,
        &["import", big.to_str().unwrap()],
        &["larger than 4 GB"],
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// Runs `cmd` and fails the test if it has not finished within `limit` (a hang).
fn within(mut cmd: Command, limit: Duration) -> Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hung for {limit:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn paths_that_are_not_regular_files_are_refused_at_once() {
    let sb = Sandbox::new();
    let db = sb.init_db("paths.sqlite3");
    let fifo = sb.path("fifo");
    mkfifo(&fifo);
    let limit = Duration::from_secs(20);
    let cases: Vec<(Vec<std::ffi::OsString>, &str)> = vec![
        (
            vec![
                "import".into(),
                "/dev/zero".into(),
                "--db".into(),
                db.clone().into(),
            ],
            "a character device",
        ),
        (
            vec![
                "import".into(),
                fifo.clone().into(),
                "--db".into(),
                db.clone().into(),
            ],
            "a named pipe",
        ),
        (
            vec![
                "import".into(),
                sb.dir.path().into(),
                "--db".into(),
                db.clone().into(),
            ],
            "a directory",
        ),
        (
            vec![
                "agency".into(),
                "import".into(),
                fifo.clone().into(),
                "--db".into(),
                db.clone().into(),
            ],
            "a named pipe",
        ),
        (
            vec!["tasks".into(), "--db".into(), fifo.clone().into()],
            "a named pipe",
        ),
        (
            vec!["tasks".into(), "--db".into(), sb.dir.path().into()],
            "a directory",
        ),
        (
            vec!["tasks".into(), "--db".into(), "/dev/zero".into()],
            "a character device",
        ),
        (
            vec![
                "backup".into(),
                fifo.clone().into(),
                "--db".into(),
                db.clone().into(),
            ],
            "a named pipe",
        ),
        (
            vec!["doctor".into(), "--db".into(), fifo.clone().into()],
            "a named pipe",
        ),
    ];
    for (args, expect) in cases {
        let before = fingerprint(&db);
        let mut cmd = sb.cchc();
        cmd.args(&args);
        let out = within(cmd, limit);
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?} accepted");
        assert!(
            err.contains(expect) && err.contains("regular file"),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert_eq!(fingerprint(&db), before);
    }
}

/// Case 6: a secretary (lan, SNV) and a member for Sở Tư pháp (ha, STP); a task STP leads and
/// one that Văn phòng UBND (VPUB) leads and STP coordinates.
fn stp_member(sb: &Sandbox) -> (std::path::PathBuf, i64, i64) {
    let db = sb.init_db("rule.sqlite3");
    let mut lan = Store::open(&db, "lan", OpenOptions::default()).unwrap();
    lan.add_member("lan", "SNV", Role::Secretary).unwrap();
    lan.add_member("ha", "STP", Role::Member).unwrap();
    let led = sql_count(&db, "SELECT min(id) FROM tasks WHERE lead_agency = 'STP'");
    let coordinated = sql_count(
        &db,
        "SELECT min(id) FROM tasks WHERE lead_agency = 'VPUB' AND ',' || coordinating || ',' LIKE '%,STP,%'",
    );
    (db, led, coordinated)
}

#[test]
fn a_coordinating_member_cannot_take_the_lead() {
    let sb = Sandbox::new();
    let (db, _, coordinated) = stp_member(&sb);
    let before = fingerprint(&db);
    let mut ha = Store::open(&db, "ha", OpenOptions::default()).unwrap();
    let take = TaskPatch {
        lead_agency: Some("STP".into()),
        ..Default::default()
    };
    let err = ha
        .update_task(coordinated, None, &take, None)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("lead of task {coordinated} from VPUB to STP"))
            && err.contains("only a secretary"),
        "{err}"
    );
    drop(ha);
    // Only the refusal was added.
    let after = fingerprint(&db);
    assert!(after.starts_with(before.trim_end()), "{after}");
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM change_log WHERE action = 'refused'"
        ),
        1
    );

    // The same through an import: the export's row with the lead changed to STP.
    let export = run(&sb, &db, &["export", "--format", "csv"]);
    assert_success(&export);
    let text = stdout(&export);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let row = lines
        .find(|l| l.starts_with(&format!("{coordinated},")))
        .unwrap();
    let row = row.replacen(",VPUB,", ",STP,", 1);
    let csv = sb.path("take.csv");
    std::fs::write(&csv, format!("{header}\n{row}\n")).unwrap();
    let before = fingerprint(&db);
    let out = sb
        .cchc()
        .env("CCHC_USER", "ha")
        .args(["import", "--db"])
        .arg(&db)
        .arg(&csv)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(err.contains("from VPUB to STP"), "{err}");
    let lead = engine::text(
        &db,
        &format!("SELECT lead_agency FROM tasks WHERE id = {coordinated}"),
    );
    assert_eq!(lead, "VPUB");
    assert!(fingerprint(&db).starts_with(before.trim_end()));
}

#[test]
fn a_member_adds_only_their_own_agencys_tasks_and_hands_over_none() {
    let sb = Sandbox::new();
    let (db, led, _) = stp_member(&sb);
    let as_ha = |args: &[&str]| {
        let mut c = sb.cchc();
        c.env("CCHC_USER", "ha").args(args).arg("--db").arg(&db);
        c
    };
    let before = sql_count(&db, "SELECT count(*) FROM tasks");
    let out = as_ha(&[
        "task",
        "add",
        "--area",
        "tthc",
        "--agency",
        "SNV",
        "--coordinating",
        "STP",
        "--title",
        "Việc của Sở Nội vụ",
        "--due",
        "2027-01-01",
    ])
    .output()
    .unwrap();
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("may not add the task") && err.contains("led by SNV"),
        "{err}"
    );
    assert_eq!(sql_count(&db, "SELECT count(*) FROM tasks"), before);
    assert_success(
        &as_ha(&[
            "task",
            "add",
            "--area",
            "tthc",
            "--agency",
            "STP",
            "--title",
            "Việc của STP",
            "--due",
            "2027-01-01",
        ])
        .output()
        .unwrap(),
    );

    // Handing their own task to another agency names the task's lead and the new one.
    let mut ha = Store::open(&db, "ha", OpenOptions::default()).unwrap();
    let give = TaskPatch {
        lead_agency: Some("VPUB".into()),
        coordinating: Some(vec![]),
        ..Default::default()
    };
    let err = ha
        .update_task(led, None, &give, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("from STP to VPUB"), "{err}");
    // A secretary may.
    let mut lan = Store::open(&db, "lan", OpenOptions::default()).unwrap();
    lan.update_task(led, None, &give, None).unwrap();
}

#[test]
fn a_backup_is_not_named_like_a_side_file() {
    let sb = Sandbox::new();
    let db = sb.init_db("side.sqlite3");
    for name in ["X-journal", "Y.db-wal", "Z.sqlite3-shm"] {
        let dest = sb.path(name);
        refused(
            &sb,
            &db,
            &["backup", dest.to_str().unwrap()],
            &["side file", "choose a name"],
        );
        assert!(!dest.exists(), "{name}");
    }
    assert_success(&run(
        &sb,
        &db,
        &["backup", sb.path("ok.sqlite3").to_str().unwrap()],
    ));
}
