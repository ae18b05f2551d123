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

#[test]
fn task_field_names_are_the_stable_log_names() {
    // Files already hold these names in their change logs and CSV headers: never rename one.
    let names = TaskField::ALL.map(TaskField::name);
    assert_eq!(
        names,
        [
            "plan_ref",
            "area",
            "lead_agency",
            "coordinating",
            "coordinating_inferred",
            "title",
            "detail",
            "output",
            "due",
            "due_assumed",
            "recurrence",
            "status",
            "progress",
            "completed_on",
        ]
    );
    for f in TaskField::ALL {
        assert_eq!(TaskField::from_name(f.name()), Some(f));
        assert_ne!(f.label(Lang::Vi), f.label(Lang::En), "{f}");
    }
    assert_eq!(TaskField::from_name("note"), None);
}

#[test]
fn task_field_set_is_the_inverse_of_get_for_every_field() {
    let mut full = task();
    full.plan_ref = "III.3.2".into();
    full.coordinating = vec!["SNV".into(), "STP".into()];
    full.coordinating_inferred = vec!["STP".into()];
    full.detail = "Nội dung".into();
    full.output = "Báo cáo".into();
    full.due_assumed = true;
    full.recurrence = Recurrence::Quarterly;
    full.status = Status::Done;
    full.progress = 100;
    full.completed_on = Some(d("2026-11-20"));
    let empty = task();
    for (from, onto) in [(&full, &empty), (&empty, &full)] {
        let mut t = onto.clone();
        for f in TaskField::ALL {
            f.set(&mut t, f.logged(from).as_deref()).unwrap();
            assert_eq!(f.get(&t), f.get(from), "{f}");
            assert_eq!(f.get_new(&NewTask::from(&t)), f.get(&t), "{f}");
        }
        assert_eq!(NewTask::from(&t), NewTask::from(from));
    }
    let mut t = task();
    let e = TaskField::Progress.set(&mut t, Some("140")).unwrap_err();
    assert!(e.contains("progress") && e.contains("140"), "{e}");
    assert!(TaskField::Due.set(&mut t, Some("31/02/2026")).is_err());
    assert_eq!(t, task(), "a refused value leaves the task as it was");
}

#[test]
fn task_field_parses_names_and_labels_a_member_types() {
    for (typed, want) in [
        ("progress", TaskField::Progress),
        ("Lead-Agency", TaskField::LeadAgency),
        ("completed on", TaskField::CompletedOn),
        ("Tiến độ", TaskField::Progress),
        ("tien do", TaskField::Progress),
        ("Trạng thái", TaskField::Status),
        ("Due", TaskField::Due),
    ] {
        assert_eq!(TaskField::parse(typed), Ok(want), "{typed}");
    }
    let e = TaskField::parse("tiến\nđộ x").unwrap_err();
    assert!(!e.contains('\n'), "one line: {e}");
    assert!(
        e.contains("lead_agency") && e.contains("completed_on"),
        "{e}"
    );
}

#[test]
fn describe_is_the_one_spelling_of_a_change() {
    let mut t = task();
    let changes = TaskPatch {
        progress: Some(40),
        title: Some("u".into()),
        ..Default::default()
    }
    .apply(&mut t, d("2026-11-26"));
    assert_eq!(
        FieldChange::describe_all(&changes),
        "title: t → u; status: not-started → in-progress; progress: 0 → 40"
    );
    assert_eq!(changes[1].task_field(), Some(TaskField::Status));
    let none = FieldChange::task(TaskField::CompletedOn, None, Some("2026-11-26".into()));
    assert_eq!(none.describe(), "completed_on: ∅ → 2026-11-26");
}

#[test]
fn describe_in_reads_a_change_in_the_members_language() {
    let c = vec![
        FieldChange::task(TaskField::Progress, Some("0".into()), Some("60".into())),
        FieldChange::task(
            TaskField::Status,
            Some("not-started".into()),
            Some("in-progress".into()),
        ),
        FieldChange::task(TaskField::CompletedOn, None, Some("2027-01-01".into())),
        FieldChange::task(
            TaskField::LeadAgency,
            Some("SNV".into()),
            Some("STP".into()),
        ),
    ];
    assert_eq!(
        FieldChange::describe_all_in(&c, Lang::Vi),
        "Tiến độ: 0% → 60%; Trạng thái: Chưa bắt đầu → Đang thực hiện; \
         Ngày hoàn thành: ∅ → 01/01/2027; Cơ quan chủ trì: SNV → STP"
    );
    assert_eq!(
        FieldChange::describe_all_in(&c, Lang::En),
        "Progress: 0% → 60%; Status: Not started → In progress; \
         Completed on: ∅ → 01/01/2027; Lead agency: SNV → STP"
    );
    // Not a task field (a member's change): as `describe` spells it, in either language.
    let role = FieldChange {
        field: "role".into(),
        old: None,
        new: Some("member".into()),
    };
    assert_eq!(role.describe_in(Lang::Vi), role.describe());
    // A value that does not parse stays as it is.
    assert_eq!(TaskField::Due.display_value(Some("soon"), Lang::En), "soon");
}

#[test]
fn every_task_field_name_is_a_json_key_and_a_csv_column_of_a_task() {
    // One name per field across the log, JSON and CSV: serde's names must not drift from it.
    let json = serde_json::to_value(task()).unwrap();
    for f in TaskField::ALL {
        assert!(
            json.get(f.name()).is_some(),
            "{f} is not a JSON key of a task"
        );
    }
    for f in TaskField::ALL {
        let exported = crate::transfer::CSV_COLUMNS.contains(&f.name());
        // The plan's text and the seed's inferred marks are not part of a tasks CSV.
        let kept_out = matches!(f, TaskField::Detail | TaskField::CoordinatingInferred);
        assert_eq!(exported, !kept_out, "{f}");
    }
}
