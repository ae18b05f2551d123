//! Several tasks changed at once (the TUI's multi-select) on a real file, while another
//! process changes one of them: that task is refused with who changed it, the others apply,
//! each with its own change-log entry.

mod common;

use cchc::error::Error;
use cchc::model::{Status, TaskPatch};
use cchc::store::{BulkTarget, LogFilter, OpenOptions, Store, TaskFilter, TaskWrite};
use common::*;

fn log_count(store: &Store, id: i64, user: &str) -> usize {
    store
        .log(&LogFilter {
            entity: Some("task".into()),
            entity_id: Some(id.to_string()),
            user: Some(user.into()),
            ..Default::default()
        })
        .unwrap()
        .len()
}

#[test]
fn one_task_changed_by_another_process_conflicts_and_the_others_apply() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let mut store = Store::open(&db, "lan", OpenOptions::default()).unwrap();
    // Eight tasks of eight different agencies, as the secretary marks quarterly reports.
    let mut tasks = Vec::new();
    for t in store.tasks(&TaskFilter::default()).unwrap() {
        if t.status != Status::Done
            && !tasks
                .iter()
                .any(|s: &cchc::model::Task| s.lead_agency == t.lead_agency)
        {
            tasks.push(t);
        }
        if tasks.len() == 8 {
            break;
        }
    }
    assert_eq!(tasks.len(), 8);
    let targets: Vec<BulkTarget> = tasks
        .iter()
        .map(|t| BulkTarget {
            task_id: t.id,
            version: Some(t.version),
        })
        .collect();
    // Another member's process changes the fourth task after the selection was made.
    let victim = tasks[3].id;
    let out = sb
        .cchc()
        .arg("--db")
        .arg(&db)
        .args(["task", "set", &victim.to_string(), "--progress", "35"])
        .output()
        .unwrap();
    assert_success(&out);

    let patch = TaskPatch {
        status: Some(Status::Done),
        ..Default::default()
    };
    let outcomes = store.update_each(&targets, &patch, None);
    assert_eq!(outcomes.len(), 8);
    for (outcome, task) in outcomes.iter().zip(&tasks) {
        assert_eq!(outcome.task_id, task.id);
        let now = store.task(task.id).unwrap();
        if task.id == victim {
            match &outcome.result {
                Err(Error::Conflict(c)) => {
                    assert_eq!(c.task_id, victim);
                    assert_eq!(c.by, "tester");
                    assert!(c.changes.iter().any(|ch| ch.field == "progress"));
                }
                other => panic!("expected a conflict on #{victim}, got {other:?}"),
            }
            // Their change stands; ours was not written over it.
            assert_eq!(now.progress, 35);
            assert_ne!(now.status, Status::Done);
            assert_eq!(log_count(&store, task.id, "lan"), 0);
        } else {
            let up = outcome.result.as_ref().expect("applied");
            assert!(up.log_id.is_some());
            assert_eq!(now.status, Status::Done);
            assert_eq!(now.version, task.version + 1);
            // One change-log entry per task, by the member who made the bulk change.
            assert_eq!(log_count(&store, task.id, "lan"), 1);
        }
    }
}

#[test]
fn a_note_to_several_tasks_adds_one_entry_each_without_version_checks() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let mut store = Store::open(&db, "lan", OpenOptions::default()).unwrap();
    let tasks: Vec<_> = store
        .tasks(&TaskFilter::default())
        .unwrap()
        .into_iter()
        .take(3)
        .collect();
    let targets: Vec<BulkTarget> = tasks
        .iter()
        .map(|t| BulkTarget {
            task_id: t.id,
            version: None,
        })
        .collect();
    let outcomes = store.update_each(&targets, &TaskPatch::default(), Some("Đã nhận báo cáo quý"));
    assert!(outcomes.iter().all(|o| o.result.is_ok()));
    for t in &tasks {
        assert_eq!(log_count(&store, t.id, "lan"), 1);
        let notes = store.notes(t.id).unwrap();
        assert!(notes.iter().any(|n| n.text == "Đã nhận báo cáo quý"));
    }
}

#[test]
fn writes_together_are_each_logged_and_one_conflict_undoes_them_all() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let mut store = Store::open(&db, "lan", OpenOptions::default()).unwrap();
    let tasks: Vec<_> = store
        .tasks(&TaskFilter::default())
        .unwrap()
        .into_iter()
        .filter(|t| t.status != Status::Done)
        .take(3)
        .collect();
    let progress = TaskPatch {
        progress: Some(40),
        ..Default::default()
    };
    let none = TaskPatch::default();
    let writes = [
        TaskWrite {
            task_id: tasks[0].id,
            version: None,
            patch: &none,
            note: Some("Ghi chú một"),
        },
        TaskWrite {
            task_id: tasks[1].id,
            version: Some(tasks[1].version),
            patch: &progress,
            note: None,
        },
        TaskWrite {
            task_id: tasks[2].id,
            version: None,
            patch: &none,
            note: Some("Ghi chú ba"),
        },
    ];
    let done = store.update_tasks_together(&writes).unwrap();
    assert_eq!(done.len(), 3);
    assert_eq!(done[1].task.progress, 40);
    assert_eq!(done[1].task.version, tasks[1].version + 1);
    for t in &tasks {
        assert_eq!(log_count(&store, t.id, "lan"), 1, "task {}", t.id);
    }
    assert!(
        store
            .notes(tasks[2].id)
            .unwrap()
            .iter()
            .any(|n| n.text == "Ghi chú ba")
    );
    let plan = cchc::plan::load().unwrap();
    let replay = store.replay(Some(&plan)).unwrap();
    assert!(replay.divergences.is_empty(), "{:?}", replay.divergences);

    // The second write names the version it saw before the first batch: refused, and the
    // notes written before it in the same call are gone with it.
    let entries = store.log_count().unwrap();
    let stale = [
        TaskWrite {
            task_id: tasks[0].id,
            version: None,
            patch: &none,
            note: Some("Không được giữ"),
        },
        TaskWrite {
            task_id: tasks[1].id,
            version: Some(tasks[1].version),
            patch: &progress,
            note: None,
        },
    ];
    match store.update_tasks_together(&stale) {
        Err(Error::Conflict(c)) => assert_eq!(c.task_id, tasks[1].id),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.log_count().unwrap(), entries);
    assert!(
        !store
            .notes(tasks[0].id)
            .unwrap()
            .iter()
            .any(|n| n.text == "Không được giữ")
    );
}
