//! The store on real files: seeding, versioned writes, the append-only chained log, refusals.

mod common;

use cchc::error::Error;
use cchc::model::*;
use cchc::store::{NewMeasurement, OpenOptions, Store, TaskFilter};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn tiny_plan() -> Plan {
    Plan {
        info: PlanInfo::default(),
        areas: vec![Area {
            code: "tthc".into(),
            name_vi: "Cải cách TTHC".into(),
            name_en: "Procedures".into(),
        }],
        agencies: vec![
            Agency {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                kind: AgencyKind::Department,
            },
            Agency {
                code: "VPUB".into(),
                name: "Văn phòng UBND tỉnh".into(),
                kind: AgencyKind::Department,
            },
        ],
        indicators: vec![Indicator {
            code: "tthc-x".into(),
            area: "tthc".into(),
            name: "x".into(),
            unit: Unit::Percent,
            direction: Direction::AtLeast,
            baseline: None,
            lead_agency: "VPUB".into(),
            targets: vec![Target {
                value: 100.0,
                due: d("2027-12-31"),
            }],
        }],
        tasks: (0..3)
            .map(|i| NewTask {
                plan_ref: format!("T{i}"),
                area: "tthc".into(),
                lead_agency: "SNV".into(),
                coordinating: vec!["VPUB".into()],
                coordinating_inferred: vec![],
                title: format!("Nhiệm vụ {i}"),
                detail: String::new(),
                output: String::new(),
                due: d("2026-06-30"),
                due_assumed: true,
                recurrence: Recurrence::Once,
                status: Status::NotStarted,
                progress: 0,
                completed_on: None,
            })
            .collect(),
    }
}

fn fresh(dir: &tempfile::TempDir, user: &str) -> Store {
    let path = common::new_db(dir.path(), "t.sqlite3");
    Store::open(
        &path,
        user,
        OpenOptions {
            create_with: Some(tiny_plan()),
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn seeds_once_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let s = fresh(&dir, "lan");
    assert_eq!(s.task_count().unwrap(), 3);
    assert_eq!(s.log_count().unwrap(), 1);
    drop(s);
    // Opening again (even "creating" again) must not seed twice.
    let s = fresh(&dir, "lan");
    assert_eq!(s.task_count().unwrap(), 3);
    let s2 = Store::open(s.path(), "minh", OpenOptions::default()).unwrap();
    assert_eq!(s2.tasks(&TaskFilter::default()).unwrap().len(), 3);
}

#[test]
fn stale_version_is_refused_and_names_the_other_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = fresh(&dir, "lan");
    let mut b = Store::open(a.path(), "minh", OpenOptions::default()).unwrap();
    let t = a.tasks(&TaskFilter::default()).unwrap().remove(0);
    let p60 = TaskPatch {
        progress: Some(60),
        ..Default::default()
    };
    let up = a.update_task(t.id, Some(t.version), &p60, None).unwrap();
    assert_eq!(up.task.version, t.version + 1);
    let p10 = TaskPatch {
        progress: Some(10),
        ..Default::default()
    };
    let err = b
        .update_task(t.id, Some(t.version), &p10, Some("ghi chú"))
        .unwrap_err();
    match &err {
        Error::Conflict(c) => {
            assert_eq!(c.by, "lan");
            assert!(
                c.describe_changes().contains("progress: 0 → 60"),
                "{}",
                c.describe_changes()
            );
        }
        other => panic!("expected conflict, got {other:?}"),
    }
    assert_eq!(err.exit_code(), 3);
    assert_eq!(b.task(t.id).unwrap().progress, 60);
    assert!(
        b.notes(t.id).unwrap().is_empty(),
        "a refused write adds no note"
    );
}

#[test]
fn change_log_is_append_only_and_chained() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = fresh(&dir, "lan");
    let t = s.tasks(&TaskFilter::default()).unwrap().remove(0);
    let patch = TaskPatch {
        status: Some(Status::Done),
        ..Default::default()
    };
    s.update_task(t.id, None, &patch, Some("xong")).unwrap();
    s.record_measurement(&NewMeasurement {
        indicator: "tthc-x".into(),
        value: 80.0,
        measured_on: d("2026-09-30"),
        source: "Cổng Dịch vụ công quốc gia".into(),
        note: String::new(),
    })
    .unwrap();
    assert_eq!(s.verify_chain().unwrap(), None);
    let entries = s.log(&Default::default()).unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1].note.as_deref(), Some("xong"));

    let upd = common::engine::execute(
        s.path(),
        "UPDATE change_log SET \"user\" = 'x' WHERE id = 1",
    );
    assert!(upd.unwrap_err().contains("append-only"));
    let del = common::engine::execute(s.path(), "DELETE FROM change_log");
    assert!(del.unwrap_err().contains("append-only"));
}

#[test]
fn refuses_missing_foreign_and_newer_files_without_touching_them() {
    if common::sqlite_only("files that are not cchc's") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.sqlite3");
    let err = Store::open(&missing, "x", OpenOptions::default()).unwrap_err();
    assert!(err.to_string().contains("cchc init"), "{err}");
    assert!(!missing.exists());

    let foreign = dir.path().join("foreign.sqlite3");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    let err = Store::open(&foreign, "x", OpenOptions::default()).unwrap_err();
    assert!(err.to_string().contains("not a cchc database"), "{err}");
    assert_eq!(std::fs::read(&foreign).unwrap(), before);

    let s = fresh(&dir, "x");
    let newer = s.path().to_path_buf();
    drop(s);
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&newer).unwrap();
    let err = Store::open(&newer, "x", OpenOptions::default()).unwrap_err();
    assert!(err.to_string().contains("newer cchc"), "{err}");
    assert_eq!(std::fs::read(&newer).unwrap(), before);
}
