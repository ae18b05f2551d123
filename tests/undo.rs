//! `Store::undo_last`: a member undoes their own last change as a new change-log entry.

mod common;

use cchc::error::Error;
use cchc::model::*;
use cchc::store::{OpenOptions, Store, TaskFilter};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn plan() -> Plan {
    Plan {
        info: PlanInfo::default(),
        areas: vec![Area {
            code: "tthc".into(),
            name_vi: "Cải cách TTHC".into(),
            name_en: "Procedures".into(),
        }],
        agencies: vec![Agency {
            code: "SNV".into(),
            name: "Sở Nội vụ".into(),
            kind: AgencyKind::Department,
        }],
        indicators: vec![],
        tasks: (0..2)
            .map(|i| NewTask {
                plan_ref: format!("T{i}"),
                area: "tthc".into(),
                lead_agency: "SNV".into(),
                coordinating: vec![],
                coordinating_inferred: vec![],
                title: format!("Nhiệm vụ {i}"),
                detail: String::new(),
                output: String::new(),
                due: d("2026-06-30"),
                due_assumed: false,
                recurrence: Recurrence::Once,
                status: Status::NotStarted,
                progress: 0,
                completed_on: None,
            })
            .collect(),
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    lan: Store,
    minh: Store,
    ids: Vec<i64>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = common::new_db(dir.path(), "u.sqlite3");
    let lan = Store::open(
        &path,
        "lan",
        OpenOptions {
            create_with: Some(plan()),
            ..Default::default()
        },
    )
    .unwrap();
    let minh = Store::open(&path, "minh", OpenOptions::default()).unwrap();
    let ids = lan
        .tasks(&TaskFilter::default())
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    Fixture {
        _dir: dir,
        lan,
        minh,
        ids,
    }
}

fn set(store: &mut Store, id: i64, patch: TaskPatch) {
    store.update_task(id, None, &patch, None).unwrap();
}

fn progress(p: u8) -> TaskPatch {
    TaskPatch {
        progress: Some(p),
        ..Default::default()
    }
}

fn undo_of(store: &Store, log_id: i64) -> Option<i64> {
    let undo_of = common::engine::count(
        store.path(),
        &format!("SELECT coalesce(undo_of, -1) FROM change_log WHERE id = {log_id}"),
    );
    (undo_of >= 0).then_some(undo_of)
}

#[test]
fn undo_reverts_as_a_new_entry_and_keeps_the_old_one() {
    let mut f = fixture();
    let id = f.ids[0];
    set(&mut f.lan, id, progress(60));
    let before = f.lan.log_count().unwrap();
    let up = f.lan.undo_last().unwrap();
    assert_eq!(up.task.progress, 0);
    assert_eq!(up.task.status, Status::NotStarted);
    assert_eq!(f.lan.task(id).unwrap().progress, 0);
    assert_eq!(f.lan.log_count().unwrap(), before + 1, "nothing deleted");
    let log_id = up.log_id.unwrap();
    let entry = &f.lan.log(&Default::default()).unwrap()[0];
    assert_eq!(
        (entry.id, entry.action.as_str(), entry.user.as_str()),
        (log_id, "undo", "lan")
    );
    let undone = f.lan.log(&Default::default()).unwrap()[1].id;
    assert_eq!(undo_of(&f.lan, log_id), Some(undone));
    assert!(
        up.changes
            .iter()
            .any(|c| c.field == "progress" && c.new.as_deref() == Some("0"))
    );
    assert_eq!(f.lan.verify_chain().unwrap(), None);
}

#[test]
fn repeated_undo_walks_back_then_says_nothing_is_left() {
    let mut f = fixture();
    let (a, b) = (f.ids[0], f.ids[1]);
    set(&mut f.lan, a, progress(30));
    set(&mut f.lan, b, progress(50));
    set(
        &mut f.lan,
        a,
        TaskPatch {
            status: Some(Status::Done),
            ..Default::default()
        },
    );
    // Stamped with the real clock, whatever the views take as today.
    let completed = f.lan.task(a).unwrap().completed_on.unwrap();
    assert!(
        (completed
            - chrono::Utc::now()
                .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
                .date_naive())
        .num_days()
        .abs()
            <= 1
    );

    // Newest first: a done → 30 %, then b 50 → 0, then a 30 → 0.
    let up = f.lan.undo_last().unwrap();
    assert_eq!(up.task.id, a);
    assert_eq!(
        (up.task.status, up.task.progress, up.task.completed_on),
        (Status::InProgress, 30, None)
    );
    assert_eq!(f.lan.undo_last().unwrap().task.id, b);
    assert_eq!(f.lan.task(b).unwrap().progress, 0);
    let up = f.lan.undo_last().unwrap();
    assert_eq!((up.task.id, up.task.progress), (a, 0));
    assert_eq!(up.task.status, Status::NotStarted);
    match f.lan.undo_last() {
        Err(Error::NothingToUndo(user)) => assert_eq!(user, "lan"),
        other => panic!("expected NothingToUndo, got {other:?}"),
    }
}

#[test]
fn undo_touches_only_the_users_own_changes() {
    let mut f = fixture();
    set(&mut f.lan, f.ids[0], progress(40));
    set(&mut f.minh, f.ids[1], progress(70));
    let up = f.lan.undo_last().unwrap();
    assert_eq!(up.task.id, f.ids[0]);
    assert_eq!(f.lan.task(f.ids[1]).unwrap().progress, 70, "minh's stays");
    // minh's own undo finds minh's change, not lan's.
    let up = f.minh.undo_last().unwrap();
    assert_eq!((up.task.id, up.task.progress), (f.ids[1], 0));
}

#[test]
fn undo_is_refused_when_someone_changed_the_field_since() {
    let mut f = fixture();
    let id = f.ids[0];
    set(&mut f.lan, id, progress(60));
    set(&mut f.minh, id, progress(80));
    let count = f.lan.log_count().unwrap();
    let version = f.lan.task(id).unwrap().version;
    let err = f.lan.undo_last().unwrap_err();
    match &err {
        Error::UndoRefused(c) => {
            assert_eq!(c.by, "minh");
            assert_eq!(c.task_id, id);
            assert!(
                c.describe_changes().contains("progress: 60 → 80"),
                "{}",
                c.describe_changes()
            );
        }
        other => panic!("expected UndoRefused, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("minh") && msg.contains("nothing was changed"),
        "{msg}"
    );
    assert_eq!(err.exit_code(), 3);
    let t = f.lan.task(id).unwrap();
    assert_eq!((t.progress, t.version), (80, version), "nothing written");
    assert_eq!(f.lan.log_count().unwrap(), count);
}

#[test]
fn a_change_to_another_field_does_not_block_the_undo() {
    let mut f = fixture();
    let id = f.ids[0];
    set(&mut f.lan, id, progress(60));
    set(
        &mut f.minh,
        id,
        TaskPatch {
            title: Some("Tên mới".into()),
            ..Default::default()
        },
    );
    let up = f.lan.undo_last().unwrap();
    assert_eq!(up.task.progress, 0);
    assert_eq!(up.task.title, "Tên mới", "minh's title is kept");
}

#[test]
fn notes_are_not_undone_and_undo_entries_are_not_undone_again() {
    let mut f = fixture();
    let id = f.ids[0];
    set(&mut f.lan, id, progress(20));
    f.lan
        .update_task(id, None, &TaskPatch::default(), Some("đã họp"))
        .unwrap();
    // The note is skipped: the progress change is what gets undone.
    let up = f.lan.undo_last().unwrap();
    assert_eq!(up.task.progress, 0);
    assert_eq!(f.lan.notes(id).unwrap().len(), 1, "the note stays");
    assert!(matches!(f.lan.undo_last(), Err(Error::NothingToUndo(_))));
}

#[test]
fn read_only_store_cannot_undo() {
    let mut f = fixture();
    set(&mut f.lan, f.ids[0], progress(60));
    let mut ro = Store::open(
        f.lan.path(),
        "lan",
        OpenOptions {
            read_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(matches!(ro.undo_last(), Err(Error::ReadOnly(_))));
    assert_eq!(f.lan.task(f.ids[0]).unwrap().progress, 60);
}

#[test]
fn undo_follows_the_member_rules() {
    let mut f = fixture();
    let id = f.ids[0];
    set(&mut f.lan, id, progress(60));
    // Members are registered afterwards: lan becomes a viewer and may no longer change it.
    f.minh
        .add_member("minh", "SNV", cchc::store::Role::Secretary)
        .unwrap();
    f.minh
        .add_member("lan", "SNV", cchc::store::Role::Viewer)
        .unwrap();
    match f.lan.undo_last() {
        Err(Error::Denied(why)) => assert!(why.contains("viewer"), "{why}"),
        other => panic!("expected Denied, got {other:?}"),
    }
    assert_eq!(f.lan.task(id).unwrap().progress, 60);
    f.minh
        .add_member("lan", "SNV", cchc::store::Role::Member)
        .unwrap();
    assert_eq!(f.lan.undo_last().unwrap().task.progress, 0);
}
