use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn display_state_rules() {
    let due = d("2026-06-30");
    let before = d("2026-06-29");
    let after = d("2026-07-01");
    use DisplayState::*;
    use Status as S;
    assert_eq!(
        DisplayState::of(S::Done, 100, due, Some(due), after),
        DoneOnTime
    );
    assert_eq!(
        DisplayState::of(S::Done, 100, due, Some(after), after),
        DoneLate
    );
    assert_eq!(DisplayState::of(S::Done, 100, due, None, after), DoneOnTime);
    // Due today is not yet overdue; the day after is.
    assert_eq!(
        DisplayState::of(S::NotStarted, 0, due, None, due),
        NotStarted
    );
    assert_eq!(
        DisplayState::of(S::NotStarted, 0, due, None, after),
        Overdue
    );
    assert_eq!(
        DisplayState::of(S::InProgress, 40, due, None, after),
        Overdue
    );
    assert_eq!(
        DisplayState::of(S::InProgress, 0, due, None, before),
        InProgress
    );
    assert_eq!(
        DisplayState::of(S::NotStarted, 10, due, None, before),
        InProgress
    );
    assert_eq!(
        DisplayState::of(S::Blocked, 0, due, None, before),
        InProgress
    );
}

fn task() -> Task {
    Task {
        id: 1,
        plan_ref: String::new(),
        area: "tthc".into(),
        lead_agency: "VPUB".into(),
        coordinating: vec![],
        coordinating_inferred: vec![],
        title: "t".into(),
        detail: String::new(),
        output: String::new(),
        due: d("2026-12-31"),
        due_assumed: false,
        recurrence: Recurrence::Once,
        status: Status::NotStarted,
        progress: 0,
        completed_on: None,
        version: 1,
        updated_by: "a".into(),
        updated_at: String::new(),
    }
}

#[test]
fn patch_keeps_status_progress_and_completion_consistent() {
    let today = d("2026-11-26");
    let mut t = task();
    let changes = TaskPatch {
        progress: Some(60),
        ..Default::default()
    }
    .apply(&mut t, today);
    assert_eq!((t.status, t.progress), (Status::InProgress, 60));
    assert_eq!(changes.len(), 2);

    let mut done = t.clone();
    TaskPatch {
        status: Some(Status::Done),
        ..Default::default()
    }
    .apply(&mut done, today);
    assert_eq!((done.progress, done.completed_on), (100, Some(today)));

    let mut full = t.clone();
    TaskPatch {
        progress: Some(100),
        ..Default::default()
    }
    .apply(&mut full, today);
    assert_eq!(full.status, Status::Done);

    let mut reopened = done.clone();
    TaskPatch {
        status: Some(Status::InProgress),
        ..Default::default()
    }
    .apply(&mut reopened, today);
    assert_eq!((reopened.progress, reopened.completed_on), (99, None));

    let mut same = t.clone();
    assert!(
        TaskPatch {
            progress: Some(60),
            ..Default::default()
        }
        .apply(&mut same, today)
        .is_empty()
    );
}

#[test]
fn status_parses_vietnamese_without_marks() {
    assert_eq!(Status::parse("Hoàn thành"), Some(Status::Done));
    assert_eq!(Status::parse("dang thuc hien"), Some(Status::InProgress));
    assert_eq!(Status::parse("in_progress"), Some(Status::InProgress));
    assert_eq!(Status::parse("nonsense"), None);
}
