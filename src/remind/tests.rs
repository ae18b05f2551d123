//! Which tasks a letter names, on the seeded plan in a real store.

use chrono::NaiveDate;

use super::*;
use crate::model::{Status, TaskPatch};
use crate::store::{NewReminder, OpenOptions, Store, TaskFilter};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn seeded(dir: &tempfile::TempDir) -> Store {
    Store::open(
        &dir.path().join("r.sqlite3"),
        "thư ký",
        OpenOptions {
            create_with: Some(crate::plan::load().unwrap()),
            ..Default::default()
        },
    )
    .unwrap()
}

fn year() -> ReportPeriod {
    "2026".parse().unwrap()
}

fn scope(due_within: u32) -> Scope {
    Scope {
        period: year(),
        today: d("2026-11-15"),
        due_within,
        respond_within: 7,
    }
}

fn letter_of(store: &Store, code: &str, s: Scope) -> Option<Letter> {
    let agency = store
        .agency_rows()
        .unwrap()
        .into_iter()
        .find(|a| a.code == code)
        .unwrap();
    let tasks = store.tasks(&TaskFilter::default()).unwrap();
    let reminders = store.reminders(Some(code)).unwrap();
    letter(&agency, &tasks, &reminders, "Sở Nội vụ", s)
}

#[test]
fn a_letter_names_only_its_agencys_open_tasks_most_late_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir);
    let tasks = store.tasks(&TaskFilter::default()).unwrap();
    let today = d("2026-11-15");
    let late: Vec<&Task> = tasks
        .iter()
        .filter(|t| t.lead_agency == "STP" && t.due < today)
        .collect();
    assert!(late.len() >= 2);
    // One of them done: no longer urged.
    let done = late[0].id;
    store
        .update_task(
            done,
            None,
            &TaskPatch {
                status: Some(Status::Done),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let l = letter_of(&store, "STP", scope(0)).expect("STP is behind");
    let stp: Vec<i64> = store
        .tasks(&TaskFilter::default())
        .unwrap()
        .iter()
        .filter(|t| t.lead_agency == "STP")
        .map(|t| t.id)
        .collect();
    assert!(l.task_ids().iter().all(|id| stp.contains(id)));
    assert!(!l.task_ids().contains(&done));
    assert_eq!(l.overdue.len(), late.len() - 1);
    assert!(
        l.due_soon.is_empty(),
        "due_within 0 names only overdue tasks"
    );
    assert!(l.overdue.windows(2).all(|w| w[0].days >= w[1].days));
    assert_eq!(l.respond_by, d("2026-11-22"));
    assert_eq!(l.addressed_to, "Sở Tư pháp");
    assert_eq!(l.reminded, None);
}

#[test]
fn tasks_due_within_the_days_ahead_are_named_as_due_soon() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir);
    let today = d("2026-11-15");
    // One of STP's later tasks falls due in ten days.
    let later = store
        .tasks(&TaskFilter::default())
        .unwrap()
        .into_iter()
        .find(|t| t.lead_agency == "STP" && t.due > today)
        .expect("a later STP task");
    store
        .update_task(
            later.id,
            None,
            &TaskPatch {
                due: Some(d("2026-11-25")),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let l = letter_of(&store, "STP", scope(15)).unwrap();
    let named = l.due_soon.iter().find(|s| s.id == later.id).expect("named");
    assert_eq!(named.days, 10);
    assert!(!l.overdue.iter().any(|s| s.id == later.id));
    // Looking five days ahead, it is not named.
    let l = letter_of(&store, "STP", scope(5)).unwrap();
    assert!(!l.task_ids().contains(&later.id));
}

#[test]
fn an_agency_with_nothing_to_urge_gets_no_letter_and_earlier_letters_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seeded(&dir);
    let stc: Vec<i64> = store
        .tasks(&TaskFilter::default())
        .unwrap()
        .iter()
        .filter(|t| t.lead_agency == "STC")
        .map(|t| t.id)
        .collect();
    let first = letter_of(&store, "STC", scope(15)).unwrap();
    for _ in 0..2 {
        store
            .record_reminder(
                &crate::remind::prepare::Prepared::new_reminder(&first),
                None,
            )
            .unwrap();
    }
    // One more for another agency: not counted.
    let stp = letter_of(&store, "STP", scope(15)).unwrap();
    store
        .record_reminder(
            &NewReminder {
                agency: "STP".into(),
                period: year(),
                tasks: stp.task_ids(),
                respond_by: d("2026-11-22"),
            },
            None,
        )
        .unwrap();
    let again = letter_of(&store, "STC", scope(15)).unwrap();
    assert_eq!(again.reminded.map(|r| r.times), Some(2));
    // Every STC task done: nothing to urge.
    for id in stc {
        store
            .update_task(
                id,
                None,
                &TaskPatch {
                    status: Some(Status::Done),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
    }
    assert_eq!(letter_of(&store, "STC", scope(15)), None);
}

#[test]
fn a_letters_file_name_is_one_safe_name() {
    assert_eq!(
        file_name("STP", d("2026-11-12"), "docx"),
        "Cong-van-don-doc-STP-2026-11-12.docx"
    );
    assert_eq!(
        file_name("../x y", d("2026-11-12"), "md"),
        "Cong-van-don-doc-___x_y-2026-11-12.md"
    );
}
