//! Who may change what: the working group's members and roles, enforced by the store inside
//! each write, with every refusal and membership change in the change log.

mod common;

use std::path::Path;
use std::process::Output;

use cchc::error::Error;
use cchc::model::TaskPatch;
use cchc::store::{OpenOptions, Role, Store};
use common::*;

fn as_user(sb: &Sandbox, db: &Path, user: &str, args: &[&str]) -> Output {
    sb.cchc()
        .env("CCHC_USER", user)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

fn ok(out: Output) -> Output {
    assert_success(&out);
    out
}

fn refused(out: &Output, expect: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("không được phép") && err.contains(expect),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

fn one(db: &Path, sql: &str) -> i64 {
    sql_count(db, sql)
}

fn refusals(db: &Path, user: &str) -> i64 {
    sql_count(
        db,
        &format!(
            "SELECT count(*) FROM change_log WHERE action = 'refused' AND \"user\" = '{user}'"
        ),
    )
}

/// Tasks seen from Sở Tư pháp (STP): one it leads, one it only coordinates, one of neither.
struct StpTasks {
    led: String,
    coordinated: String,
    other: String,
}

fn stp_tasks(db: &Path) -> StpTasks {
    let id = |sql: &str| one(db, sql).to_string();
    StpTasks {
        led: id("SELECT min(id) FROM tasks WHERE lead_agency = 'STP'"),
        coordinated: id(
            "SELECT min(id) FROM tasks WHERE lead_agency <> 'STP' AND ',' || coordinating || ',' LIKE '%,STP,%'",
        ),
        other: id(
            "SELECT min(id) FROM tasks WHERE lead_agency <> 'STP' AND ',' || coordinating || ',' NOT LIKE '%,STP,%'",
        ),
    }
}

#[test]
fn while_nobody_is_registered_everyone_may_edit() {
    let sb = Sandbox::new();
    let db = sb.init_db("open.sqlite3");
    ok(as_user(
        &sb,
        &db,
        "anyone",
        &["task", "set", "1", "--progress", "10"],
    ));
    ok(as_user(
        &sb,
        &db,
        "anyone",
        &["indicator", "record", "tthc-dvctt-toan-trinh", "70"],
    ));
    let list = ok(as_user(
        &sb,
        &db,
        "anyone",
        &["member", "list", "--lang", "en"],
    ));
    // Under the table, on stderr: stdout is the table alone (issue 12).
    assert!(
        stderr(&list).contains("everyone may edit"),
        "{}",
        stderr(&list)
    );
}

#[test]
fn the_first_member_must_be_a_secretary_and_anyone_may_add_them() {
    let sb = Sandbox::new();
    let db = sb.init_db("first.sqlite3");
    let out = as_user(
        &sb,
        &db,
        "lan",
        &["member", "add", "lan", "--agency", "SNV"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("first member must be a secretary")
            && stderr(&out).contains("--role secretary"),
        "{}",
        stderr(&out)
    );
    assert_eq!(one(&db, "SELECT count(*) FROM members"), 0);
    // Someone not yet registered adds the first secretary, by agency name.
    ok(as_user(
        &sb,
        &db,
        "installer",
        &[
            "member",
            "add",
            "lan",
            "--agency",
            "Sở Nội vụ",
            "--role",
            "secretary",
        ],
    ));
    assert_eq!(
        one(
            &db,
            "SELECT count(*) FROM members WHERE name = 'lan' AND role = 'secretary' AND agency = 'SNV'"
        ),
        1
    );
    // From now on the installer, not a member, only reads.
    refused(
        &as_user(
            &sb,
            &db,
            "installer",
            &["member", "add", "x", "--agency", "STP"],
        ),
        "only a secretary",
    );
    refused(
        &as_user(
            &sb,
            &db,
            "installer",
            &["task", "set", "1", "--progress", "5"],
        ),
        "not a registered member",
    );
}

#[test]
fn members_change_their_agencys_work_and_nothing_else() {
    let sb = Sandbox::new();
    let db = sb.init_db("roles.sqlite3");
    let t = stp_tasks(&db);
    ok(as_user(
        &sb,
        &db,
        "lan",
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
    ok(as_user(
        &sb,
        &db,
        "lan",
        &["member", "add", "ha", "--agency", "STP", "--role", "member"],
    ));
    ok(as_user(
        &sb,
        &db,
        "lan",
        &[
            "member", "add", "minh", "--agency", "STP", "--role", "viewer",
        ],
    ));
    let log_before = one(&db, "SELECT count(*) FROM change_log");

    // A member: the tasks their agency leads or coordinates…
    ok(as_user(
        &sb,
        &db,
        "ha",
        &["task", "set", &t.led, "--progress", "20"],
    ));
    ok(as_user(
        &sb,
        &db,
        "ha",
        &["task", "set", &t.coordinated, "--note", "STP đã góp ý"],
    ));
    // …and indicators it leads.
    ok(as_user(
        &sb,
        &db,
        "ha",
        &["indicator", "record", "the-che-vbqppl-hoan-thien", "60"],
    ));
    // Not another agency's task or indicator.
    let other_before = one(
        &db,
        &format!("SELECT version FROM tasks WHERE id = {}", t.other),
    );
    let out = as_user(
        &sb,
        &db,
        "ha",
        &["task", "set", &t.other, "--progress", "90"],
    );
    refused(&out, &format!("may not change task {}", t.other));
    assert!(
        stderr(&out).contains("leads or coordinates"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        one(
            &db,
            &format!("SELECT version FROM tasks WHERE id = {}", t.other)
        ),
        other_before
    );
    refused(
        &as_user(
            &sb,
            &db,
            "ha",
            &["indicator", "record", "tthc-dvctt-toan-trinh", "60"],
        ),
        "records only the indicators their agency leads",
    );
    refused(
        &as_user(
            &sb,
            &db,
            "ha",
            &[
                "task",
                "add",
                "--area",
                "tthc",
                "--agency",
                "SNV",
                "--title",
                "Việc của Sở khác",
                "--due",
                "2027-01-01",
            ],
        ),
        "may not add",
    );
    ok(as_user(
        &sb,
        &db,
        "ha",
        &[
            "task",
            "add",
            "--area",
            "the-che",
            "--agency",
            "STP",
            "--title",
            "Việc của STP",
            "--due",
            "2027-01-01",
        ],
    ));
    refused(
        &as_user(&sb, &db, "ha", &["member", "add", "ha2", "--agency", "STP"]),
        "only a secretary",
    );
    // An import touching another agency's task is refused whole.
    let csv = sb.path("mixed.csv");
    std::fs::write(
        &csv,
        "area,lead_agency,title,due\nthe-che,STP,Việc STP,2027-01-01\ntthc,SNV,Việc SNV,2027-01-01\n",
    )
    .unwrap();
    let tasks_before = one(&db, "SELECT count(*) FROM tasks");
    refused(
        &as_user(&sb, &db, "ha", &["import", csv.to_str().unwrap()]),
        "Việc SNV",
    );
    assert_eq!(one(&db, "SELECT count(*) FROM tasks"), tasks_before);

    // A viewer and an unregistered user read only.
    refused(
        &as_user(
            &sb,
            &db,
            "minh",
            &["task", "set", &t.led, "--progress", "30"],
        ),
        "viewer",
    );
    ok(as_user(&sb, &db, "minh", &["tasks", "--agency", "STP"]));
    refused(
        &as_user(
            &sb,
            &db,
            "stranger",
            &["task", "set", &t.led, "--note", "xin chào"],
        ),
        "not a registered member",
    );
    ok(as_user(&sb, &db, "stranger", &["log", "--limit", "3"]));

    // A secretary changes anything.
    ok(as_user(
        &sb,
        &db,
        "lan",
        &["task", "set", &t.other, "--progress", "90"],
    ));
    ok(as_user(
        &sb,
        &db,
        "lan",
        &["indicator", "record", "tthc-dvctt-toan-trinh", "81"],
    ));

    // Every refusal is in the log, with who and which rule, at most once a minute per member
    // (the refusals between are counted); the refused writes are not.
    assert_eq!(refusals(&db, "ha"), 1);
    assert_eq!(
        one(&db, "SELECT unlogged FROM refusals WHERE member = 'ha'"),
        4
    );
    assert_eq!(refusals(&db, "minh"), 1);
    assert_eq!(refusals(&db, "stranger"), 1);
    let note = common::engine::text(
        &db,
        "SELECT note FROM change_log WHERE action = 'refused' AND \"user\" = 'ha' ORDER BY id LIMIT 1",
    );
    assert!(note.contains(&format!("task {}", t.other)), "{note}");
    // 6 writes that went through + a refusal each for ha, minh and stranger since the members
    // were added (ha's other four, within the minute, are counted in `refusals`).
    assert_eq!(
        one(&db, "SELECT count(*) FROM change_log"),
        log_before + 6 + 3
    );
    assert_eq!(
        cchc::store::Store::open(&db, "tester", Default::default())
            .unwrap()
            .verify_chain()
            .unwrap(),
        None
    );
}

#[test]
fn membership_changes_are_logged_and_the_last_secretary_stays() {
    let sb = Sandbox::new();
    let db = sb.init_db("members.sqlite3");
    ok(as_user(
        &sb,
        &db,
        "lan",
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
    ok(as_user(
        &sb,
        &db,
        "lan",
        &["member", "add", "ha", "--agency", "STP"],
    ));
    // Promote ha, move her to another agency: one entry with old → new.
    ok(as_user(
        &sb,
        &db,
        "lan",
        &[
            "member",
            "add",
            "ha",
            "--agency",
            "VPUB",
            "--role",
            "secretary",
        ],
    ));
    // lan may now step down, since ha is a secretary too.
    ok(as_user(
        &sb,
        &db,
        "ha",
        &[
            "member", "add", "lan", "--agency", "SNV", "--role", "member",
        ],
    ));
    // …but ha, the last secretary, cannot remove or demote herself while lan remains.
    let out = as_user(&sb, &db, "ha", &["member", "remove", "ha"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("last secretary"), "{}", stderr(&out));
    let out = as_user(
        &sb,
        &db,
        "ha",
        &[
            "member", "add", "ha", "--agency", "VPUB", "--role", "viewer",
        ],
    );
    assert!(stderr(&out).contains("last secretary"), "{}", stderr(&out));
    ok(as_user(&sb, &db, "ha", &["member", "remove", "lan"]));
    // Alone, she may leave: the file is open to everyone again.
    ok(as_user(&sb, &db, "ha", &["member", "remove", "ha"]));
    assert_eq!(one(&db, "SELECT count(*) FROM members"), 0);
    ok(as_user(
        &sb,
        &db,
        "anyone",
        &["task", "set", "1", "--progress", "1"],
    ));

    let log = json(&as_user(
        &sb,
        &db,
        "x",
        &["log", "--format", "json", "--limit", "100"],
    ));
    let member_entries: Vec<(String, String)> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "member")
        .map(|e| {
            (
                e["entity_id"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .rev()
        .collect();
    let expect: Vec<(String, String)> = [
        ("lan", "add"),
        ("ha", "add"),
        ("ha", "update"),
        ("lan", "update"),
        ("lan", "remove"),
        ("ha", "remove"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(member_entries, expect);
    let promote = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == "member" && e["action"] == "update" && e["entity_id"] == "ha")
        .unwrap();
    let changes = promote["changes"].to_string();
    assert!(
        changes.contains("STP") && changes.contains("VPUB") && changes.contains("secretary"),
        "{changes}"
    );
}

#[test]
fn member_list_formats_and_unknown_agency() {
    let sb = Sandbox::new();
    let db = sb.init_db("list.sqlite3");
    ok(as_user(
        &sb,
        &db,
        "lan",
        &[
            "member",
            "add",
            "lan",
            "--agency",
            "snv",
            "--role",
            "secretary",
        ],
    ));
    let out = as_user(
        &sb,
        &db,
        "lan",
        &["member", "add", "ha", "--agency", "Sở Không Có"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown agency"), "{}", stderr(&out));
    let out = as_user(
        &sb,
        &db,
        "lan",
        &["member", "add", "ha", "--agency", "STP", "--role", "boss"],
    );
    assert_eq!(out.status.code(), Some(2), "clap refuses an unknown role");
    let list = json(&as_user(
        &sb,
        &db,
        "lan",
        &["member", "list", "--format", "json"],
    ));
    assert_eq!(list[0]["name"], "lan");
    assert_eq!(list[0]["agency"], "SNV");
    assert_eq!(list[0]["role"], "secretary");
    let csv = ok(as_user(
        &sb,
        &db,
        "lan",
        &["member", "list", "--format", "csv"],
    ));
    assert!(
        stdout(&csv)
            .starts_with("name,agency,role,added_by,added_at,login\nlan,SNV,secretary,lan,")
    );
    let table = ok(as_user(
        &sb,
        &db,
        "lan",
        &["member", "list", "--lang", "en"],
    ));
    assert!(
        stderr(&table).contains("You: lan · secretary (SNV)"),
        "{}",
        stderr(&table)
    );
}

/// The API the TUI uses to show who you are and hide what you may not do agrees with what the
/// store enforces.
#[test]
fn permissions_api_matches_what_the_store_enforces() {
    let sb = Sandbox::new();
    let db = sb.init_db("api.sqlite3");
    let t = stp_tasks(&db);
    let open = |user: &str| Store::open(&db, user, OpenOptions::default()).unwrap();
    let mut lan = open("lan");
    assert!(lan.permissions().unwrap().is_open());
    assert!(lan.permissions().unwrap().can_manage_members());
    lan.add_member("lan", "SNV", Role::Secretary).unwrap();
    lan.add_member("ha", "STP", Role::Member).unwrap();
    lan.add_member("minh", "STP", Role::Viewer).unwrap();

    let mut ha = open("ha");
    let p = ha.permissions().unwrap();
    assert_eq!(p.role(), Some(Role::Member));
    assert_eq!(p.describe(), "ha · member (STP)");
    assert!(p.can_write() && !p.can_manage_members());
    let led = ha.task(t.led.parse().unwrap()).unwrap();
    let coordinated = ha.task(t.coordinated.parse().unwrap()).unwrap();
    let other = ha.task(t.other.parse().unwrap()).unwrap();
    assert!(p.can_edit_task(&led) && p.can_edit_task(&coordinated) && !p.can_edit_task(&other));
    assert!(p.can_record("STP") && !p.can_record("VPUB"));
    assert!(p.can_add_task("STP", &[]) && !p.can_add_task("SNV", &["VPUB".into()]));
    // Issue 10 case 6: adding a task another agency leads is a secretary's, even when the
    // member's agency would coordinate it.
    assert!(!p.can_add_task("SNV", &["STP".into()]));

    let patch = TaskPatch {
        progress: Some(5),
        ..Default::default()
    };
    assert!(ha.update_task(led.id, None, &patch, None).is_ok());
    let err = ha.update_task(other.id, None, &patch, None).unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err:?}");
    // A member may not hand their task over to an agency outside their reach.
    let hand_over = TaskPatch {
        lead_agency: Some("VPUB".into()),
        coordinating: Some(vec![]),
        ..Default::default()
    };
    let err = ha.update_task(led.id, None, &hand_over, None).unwrap_err();
    assert!(matches!(err, Error::Denied(_)), "{err:?}");

    let minh = open("minh").permissions().unwrap();
    assert!(!minh.can_write() && !minh.can_edit_task(&led));
    assert!(minh.describe().contains("read only"), "{}", minh.describe());
    let ghost = open("ghost").permissions().unwrap();
    assert!(ghost.role().is_none() && !ghost.can_write());

    // A read-only store permits nothing, whatever the role.
    let ro = Store::open(
        &db,
        "lan",
        OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    let p = ro.permissions().unwrap();
    assert_eq!(p.role(), Some(Role::Secretary));
    assert!(!p.can_write() && !p.can_edit_task(&other));
}
