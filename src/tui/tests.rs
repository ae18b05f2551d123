//! `App::update` over a real store on a temp file, without a terminal: filters, search,
//! edits through the store, conflicts, undo, live reload, read-only, keys and mouse.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::{Status, TaskPatch};
use crate::search::SearchIndex;
use crate::store::{LogFilter, TaskFilter};

use super::action::Action;
use super::app::{Flow, MessageKind, Msg, Pane, Screen};
use super::input::Edit;
use super::testkit::{self, Setup, USER, app, fixture, today};
use crate::tui::popups::Popup;
use crate::tui::screens::browse::state::{NavMode, Scope, Sort};

fn overdue_in_store(f: &testkit::Fixture) -> usize {
    f.app
        .store()
        .tasks(&TaskFilter {
            overdue_on: Some(today()),
            ..Default::default()
        })
        .unwrap()
        .len()
}

fn message(f: &testkit::Fixture) -> String {
    f.app
        .messages
        .current
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn starts_with_every_task_and_a_selection() {
    let f = app();
    let total = f.app.store().task_count().unwrap() as usize;
    assert!(total > 100);
    assert_eq!(f.app.browse.list.len(), total);
    assert_eq!(f.app.data.all.total, total);
    assert!(f.app.selected_task().is_some());
    assert_eq!(f.app.browse.focus, Pane::List);
}

#[test]
fn overdue_toggle_shows_exactly_the_stores_overdue_tasks() {
    let mut f = app();
    let expected = overdue_in_store(&f);
    assert!(expected > 0, "the plan has tasks overdue on 2027-01-01");
    f.app.update(Action::ToggleOverdue);
    assert_eq!(f.app.browse.list.len(), expected);
    assert_eq!(f.app.data.all.overdue, expected);
    for t in &f.listed() {
        assert!(t.is_overdue(today()));
    }
    f.app.update(Action::ToggleOverdue);
    assert_eq!(f.app.browse.list.len(), f.all_tasks().len());
}

#[test]
fn search_narrows_at_every_keystroke_and_esc_restores() {
    let mut f = app();
    let total = f.app.browse.list.len();
    f.app.update(Action::Search);
    assert!(f.app.text_focus());
    let mut previous = total;
    // Quoted: one phrase, so every hit mentions "Nội vụ" (unquoted, "noi" and "vu" are two terms).
    for c in "\"noi vu\"".chars() {
        f.app.update(Edit::Insert(c));
        let now = f.app.browse.list.len();
        assert!(now <= previous, "typing {c:?} widened the list");
        previous = now;
    }
    assert!(previous > 0 && previous < total, "{previous} of {total}");
    // The same answer as a fresh search over the same texts, built independently.
    let names: std::collections::HashMap<&str, &str> = f
        .app
        .data
        .agencies
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let index = SearchIndex::new(
        f.all_tasks()
            .iter()
            .map(|t| (t.id, crate::search::task_text(t, &names, None))),
    );
    assert_eq!(previous, index.search("\"noi vu\"").len());
    // Diacritics-insensitive: every hit mentions Nội vụ somewhere.
    for t in &f.listed() {
        let text = crate::text::fold(&crate::search::task_text(t, &names, None));
        assert!(text.contains("noi") && text.contains("vu"), "{}", t.title);
    }
    // Backspace widens again; Esc clears the search and restores the list.
    f.app.update(Edit::Backspace);
    assert!(f.app.browse.list.len() >= previous);
    f.app.update(Action::Back);
    assert!(!f.app.browse.list.search.is_active());
    assert!(!f.app.text_focus());
    assert_eq!(f.app.browse.list.len(), total);
}

#[test]
fn search_without_marks_finds_marked_text() {
    let mut f = app();
    f.app.update(Action::Search);
    f.type_text("dat dai");
    assert!(!f.app.browse.list.is_empty());
    for t in &f.listed() {
        let all = format!("{} {}", t.title, t.output).to_lowercase();
        assert!(all.contains("đất đai"), "{}", t.title);
    }
    // Enter keeps the search and gives the keys back to the list.
    f.app.update(Action::Open);
    assert!(f.app.browse.list.search.is_active());
    assert!(!f.app.text_focus());
}

#[test]
fn percent_60_enter_writes_60_with_a_log_entry_by_the_user() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::SetPercent);
    assert!(matches!(f.app.popup, Some(Popup::Percent(_))));
    f.type_text("60");
    f.app.update(Action::Open);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    assert_eq!(f.app.store().task(id).unwrap().progress, 60);
    assert_eq!(f.task(id).progress, 60);
    let entry = &f
        .app
        .store()
        .log(&LogFilter {
            entity: Some("task".into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        })
        .unwrap()[0];
    assert_eq!(entry.user, USER);
    assert_eq!(entry.action, "update");
    assert!(
        entry
            .changes
            .iter()
            .any(|c| c.field == "progress" && c.new.as_deref() == Some("60"))
    );
    // The detail pane shows the new history at once.
    assert_eq!(
        f.app.browse.detail.history.first().map(|e| e.id),
        Some(entry.id)
    );
    assert_eq!(
        f.app.messages.current.as_ref().unwrap().kind,
        MessageKind::Success
    );
}

#[test]
fn a_bad_percent_keeps_the_prompt_open_with_a_reason() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::SetPercent);
    f.type_text("150");
    f.app.update(Action::Open);
    match &f.app.popup {
        Some(Popup::Percent(p)) => assert!(p.error.as_deref().unwrap().contains("100")),
        other => panic!("{other:?}"),
    }
    assert_eq!(f.app.store().task(id).unwrap().progress, 0);
    f.app.update(Action::Back);
    assert!(f.app.popup.is_none());
}

/// `d` is `s` then Hoàn thành in one key: the same version check, so a task another member
/// changed since the screen read it is refused with who and what, and nothing is overwritten.
#[test]
fn d_marks_done_and_is_refused_like_s_when_someone_changed_the_task() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    let mut minh = f.other("minh");
    minh.update_task(
        id,
        None,
        &TaskPatch {
            progress: Some(30),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    f.app.update(Action::MarkDone);
    let Some(Popup::Notice(n)) = &f.app.popup else {
        panic!("expected a conflict notice, got {:?}", f.app.popup);
    };
    let text = n.lines.join("\n");
    assert!(
        text.contains("minh") && text.contains("Bạn định sửa: Trạng thái → Hoàn thành"),
        "{text}"
    );
    assert_ne!(f.app.store().task(id).unwrap().status, Status::Done);
    // Once the screen shows minh's change, `d` saves.
    f.app.update(Action::Back);
    f.app.update(Action::MarkDone);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    let t = f.app.store().task(id).unwrap();
    assert_eq!((t.status, t.progress), (Status::Done, 100));
}

#[test]
fn a_stale_edit_is_refused_and_names_who_changed_it() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::SetPercent);
    // Meanwhile another member sets 30 %.
    let mut minh = f.other("minh");
    minh.update_task(
        id,
        None,
        &TaskPatch {
            progress: Some(30),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    f.type_text("60");
    f.app.update(Action::Open);
    let Some(Popup::Notice(n)) = &f.app.popup else {
        panic!("expected a conflict notice, got {:?}", f.app.popup);
    };
    let text = n.lines.join("\n");
    assert!(text.contains("minh"), "{text}");
    assert!(text.contains("30%"), "{text}");
    assert!(
        text.contains("60%"),
        "what the member wanted is shown: {text}"
    );
    // The change and the wish are worded by the model (`FieldChange::describe_in`, field labels).
    assert!(text.contains("\n  Tiến độ: 0% → 30%"), "{text}");
    assert!(text.contains("Bạn định sửa: Tiến độ → 60%"), "{text}");
    // Nothing overwritten, and the screen shows minh's value.
    assert_eq!(f.app.store().task(id).unwrap().progress, 30);
    assert_eq!(f.task(id).progress, 30);
    f.app.update(Action::Back);
    assert!(f.app.popup.is_none());
}

#[test]
fn undo_reverts_the_users_last_change() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::SetPercent);
    f.type_text("60");
    f.app.update(Action::Open);
    assert!(
        message(&f).ends_with(&format!(
            "#{id}: Trạng thái: Chưa bắt đầu → Đang thực hiện; Tiến độ: 0% → 60%"
        )),
        "{}",
        message(&f)
    );
    f.app.update(Action::Undo);
    assert_eq!(f.app.store().task(id).unwrap().progress, 0);
    assert_eq!(f.task(id).progress, 0);
    let log = f.app.store().log(&LogFilter::default()).unwrap();
    assert_eq!(log[0].action, "undo");
    assert_eq!(log[1].action, "update", "the undone entry is kept");
    f.app.update(Action::Undo);
    assert!(message(&f).contains("hoàn tác"), "{}", message(&f));
}

#[test]
fn undo_refused_when_someone_changed_it_since() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::SetPercent);
    f.type_text("60");
    f.app.update(Action::Open);
    let mut minh = f.other("minh");
    minh.update_task(
        id,
        None,
        &TaskPatch {
            progress: Some(80),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    f.app.update(Action::Undo);
    let Some(Popup::Notice(n)) = &f.app.popup else {
        panic!("expected a notice, got {:?}", f.app.popup);
    };
    assert!(n.lines.join(" ").contains("minh"));
    assert_eq!(f.app.store().task(id).unwrap().progress, 80);
}

#[test]
fn another_process_change_shows_after_one_tick_keeping_selection_and_scroll() {
    let mut f = app();
    for _ in 0..30 {
        f.app.update(Action::MoveDown);
    }
    let selected = f.app.selected_task().unwrap().id;
    let row = f.app.browse.list.cursor.selected - f.app.browse.list.cursor.offset;
    assert!(f.app.browse.list.cursor.offset > 0, "the list has scrolled");
    // Another member changes a task shown above the selection.
    let above = f.listed()[f.app.browse.list.cursor.offset].id;
    let mut minh = f.other("minh");
    minh.update_task(
        above,
        None,
        &TaskPatch {
            progress: Some(45),
            ..Default::default()
        },
        Some("đã trình"),
    )
    .unwrap();
    let shown = |f: &testkit::Fixture| f.app.browse.list.task(above).unwrap().progress;
    assert_eq!(shown(&f), 0, "not before a tick");
    f.app.update(Msg::Tick);
    assert_eq!(shown(&f), 45);
    assert_eq!(f.app.selected_task().unwrap().id, selected);
    assert_eq!(
        f.app.browse.list.cursor.selected - f.app.browse.list.cursor.offset,
        row
    );
    // Notes from elsewhere are searchable too.
    f.app.update(Action::Search);
    f.type_text("\"da trinh\"");
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(f.app.selected_task().unwrap().id, above);
}

/// Another member renames task `id` to `title` and adds a note `note`.
fn rename_elsewhere(f: &testkit::Fixture, id: i64, title: &str, note: &str) {
    f.other("minh")
        .update_task(
            id,
            None,
            &TaskPatch {
                title: Some(title.into()),
                ..Default::default()
            },
            Some(note),
        )
        .unwrap();
}

#[test]
fn a_change_taken_in_before_the_first_search_is_found_by_it() {
    let mut f = app();
    let id = f.all_tasks()[7].id;
    rename_elsewhere(&f, id, "Kiểm kê kho lưu trữ số", "xong bước một");
    f.app.update(Msg::Tick);
    // The first search finds the tasks as they are now.
    f.app.update(Action::Search);
    f.type_text("kiem ke kho luu tru");
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(f.app.selected_task().unwrap().id, id);
    // The note taken in with the change is searchable too; the old title no longer matches.
    f.app.update(Action::Back);
    f.app.update(Action::Search);
    f.type_text("xong buoc mot");
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(f.app.selected_task().unwrap().id, id);
}

#[test]
fn changes_while_a_search_is_active_reach_it() {
    let mut f = app();
    f.app.update(Action::Search);
    f.type_text("\"kiem ke kho\"");
    assert_eq!(f.app.browse.list.len(), 0, "no task says so yet");
    // While the search is active: the change shows at the next tick.
    let first = f.all_tasks()[3].id;
    rename_elsewhere(&f, first, "Kiểm kê kho lưu trữ số", "bước một");
    f.app.update(Msg::Tick);
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(f.app.selected_task().unwrap().id, first);
    // After Esc, a later change still reaches the same index.
    f.app.update(Action::Back);
    assert!(!f.app.browse.list.search.is_active());
    let second = f.all_tasks()[11].id;
    rename_elsewhere(&f, second, "Kiểm kê kho hồ sơ giấy", "bước hai");
    f.app.update(Msg::Tick);
    f.app.update(Action::Search);
    f.type_text("\"kiem ke kho\"");
    let mut found: Vec<i64> = f.listed().iter().map(|t| t.id).collect();
    found.sort_unstable();
    let mut want = vec![first, second];
    want.sort_unstable();
    assert_eq!(found, want);
    // And a renamed task's old text no longer matches.
    rename_elsewhere(&f, first, "Đổi tên lần nữa", "bước ba");
    f.app.update(Msg::Tick);
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(f.app.selected_task().unwrap().id, second);
}

#[test]
fn live_reload_adjusts_the_counts_to_what_a_full_count_gives() {
    let mut f = app();
    let tasks = f.all_tasks();
    let data = &f.app.data;
    let overdue = tasks.iter().find(|t| t.is_overdue(today())).unwrap().id;
    let others: Vec<i64> = tasks
        .iter()
        .filter(|t| t.id != overdue && t.status != Status::Done)
        .take(2)
        .map(|t| t.id)
        .collect();
    let (area, agency) = (
        data.areas.last().unwrap().code.clone(),
        data.agencies.last().unwrap().code.clone(),
    );
    let mut minh = f.other("minh");
    let patches = [
        (
            overdue,
            TaskPatch {
                status: Some(Status::Done),
                ..Default::default()
            },
        ),
        (
            others[0],
            TaskPatch {
                area: Some(area.clone()),
                lead_agency: Some(agency.clone()),
                due: Some(today() - chrono::Duration::days(3)),
                ..Default::default()
            },
        ),
        (
            others[1],
            TaskPatch {
                progress: Some(100),
                ..Default::default()
            },
        ),
    ];
    for (id, patch) in &patches {
        minh.update_task(*id, None, patch, None).unwrap();
    }
    minh.add_task(&crate::model::NewTask::added(
        area,
        agency,
        Vec::new(),
        "Nhiệm vụ mới".into(),
        String::new(),
        today() - chrono::Duration::days(1),
    ))
    .unwrap();
    f.app.update(Msg::Tick);
    // The same task changed again by the next tick: out with the row taken in last time.
    minh.update_task(
        overdue,
        None,
        &TaskPatch {
            status: Some(Status::InProgress),
            progress: Some(10),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    f.app.update(Msg::Tick);
    let fresh = super::data::Data::load(f.app.store(), today()).unwrap();
    let data = &f.app.data;
    assert_eq!(data.all, fresh.all);
    assert_eq!(data.by_area, fresh.by_area);
    assert_eq!(data.by_agency, fresh.by_agency);
}

#[test]
fn a_task_leaving_the_filter_keeps_the_selection_on_its_task_and_row() {
    let mut f = app();
    f.app.update(Action::ToggleOverdue);
    for _ in 0..10 {
        f.app.update(Action::MoveDown);
    }
    let selected = f.app.selected_task().unwrap().id;
    let row = f.app.browse.list.cursor.selected - f.app.browse.list.cursor.offset;
    let first = f.listed()[0].id;
    let before = f.app.browse.list.len();
    let mut minh = f.other("minh");
    minh.update_task(
        first,
        None,
        &TaskPatch {
            status: Some(Status::Done),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    f.app.update(Msg::Tick);
    assert_eq!(f.app.browse.list.len(), before - 1);
    assert_eq!(f.app.selected_task().unwrap().id, selected);
    let now_row = f.app.browse.list.cursor.selected - f.app.browse.list.cursor.offset;
    assert!(
        now_row == row || f.app.browse.list.cursor.offset == 0,
        "{now_row} vs {row}"
    );
}

#[test]
fn read_only_says_so_instead_of_editing() {
    let mut f = fixture(Setup {
        read_only: true,
        ..Default::default()
    });
    assert!(f.app.settings.read_only.is_some());
    for a in [
        Action::SetPercent,
        Action::SetStatus,
        Action::AddNote,
        Action::AddTask,
        Action::EditTask,
        Action::Undo,
    ] {
        f.app.messages.current = None;
        f.app.update(a);
        assert!(f.app.popup.is_none(), "{a}");
        assert!(message(&f).contains("Chỉ đọc"), "{a}: {}", message(&f));
    }
    // Browsing still works.
    f.app.update(Action::ToggleOverdue);
    assert!(f.app.browse.list.overdue_only);
}

#[test]
fn esc_steps_back_one_level_at_a_time() {
    let mut f = app();
    let total = f.app.browse.list.len();
    f.app.update(Action::NextPane);
    assert_eq!(f.app.browse.focus, Pane::Detail);
    f.app.update(Action::PrevPane);
    f.app.update(Action::PrevPane);
    assert_eq!(f.app.browse.focus, Pane::Nav);
    f.app.update(Action::MoveDown); // an area
    f.app.update(Action::Open);
    assert_eq!(f.app.browse.focus, Pane::List);
    f.app.update(Action::ToggleOverdue);
    f.app.update(Action::Search);
    f.type_text("bao cao");
    f.app.update(Action::Open);
    f.app.update(Action::Open); // the detail pane
    f.app.update(Action::SetPercent);
    assert!(f.app.popup.is_some());

    f.app.update(Action::Back);
    assert!(f.app.popup.is_none(), "popup first");
    f.app.update(Action::Back);
    assert_eq!(f.app.browse.focus, Pane::List, "then the detail pane");
    f.app.update(Action::Back);
    assert!(!f.app.browse.list.search.is_active(), "then the search");
    f.app.update(Action::Back);
    assert!(!f.app.browse.list.overdue_only, "then the overdue filter");
    f.app.update(Action::Back);
    assert_eq!(f.app.scope(), Scope::All, "then the area");
    assert_eq!(f.app.browse.list.len(), total);
    f.app.update(Action::Back);
    assert_eq!(f.app.browse.focus, Pane::Nav, "then the pane");
}

#[test]
fn navigation_filters_by_area_and_by_agency() {
    let mut f = app();
    f.app.browse.focus = Pane::Nav;
    f.app.update(Action::MoveDown);
    let area = f.app.data.areas[0].code.clone();
    assert_eq!(f.app.scope(), Scope::Area(area.clone()));
    assert_eq!(f.app.browse.list.len(), f.app.data.by_area[0].total);
    assert!(f.listed().iter().all(|t| t.area == area));
    f.app.update(Action::ToggleNav);
    assert_eq!(f.app.browse.nav.mode, NavMode::Agencies);
    assert_eq!(f.app.scope(), Scope::All, "switching starts from all");
    f.app.update(Action::MoveDown);
    let agency = f.app.data.agencies[0].code.clone();
    assert_eq!(f.app.browse.list.len(), f.app.data.by_agency[0].total);
    assert!(f.listed().iter().all(|t| t.lead_agency == agency));
    // Counts add up.
    let sum: usize = f.app.data.by_area.iter().map(|c| c.total).sum();
    assert_eq!(sum, f.app.data.all.total);
}

#[test]
fn sort_cycles_and_keeps_the_selected_task() {
    let mut f = app();
    for _ in 0..7 {
        f.app.update(Action::MoveDown);
    }
    let id = f.app.selected_task().unwrap().id;
    for expected in Sort::ALL.iter().skip(1).chain([&Sort::Due]) {
        f.app.update(Action::CycleSort);
        assert_eq!(f.app.browse.list.sort, *expected);
        assert_eq!(f.app.selected_task().unwrap().id, id, "{expected:?}");
    }
    f.app.update(Action::CycleSort);
    f.app.update(Action::CycleSort);
    f.app.update(Action::CycleSort);
    assert_eq!(f.app.browse.list.sort, Sort::State);
    let states: Vec<_> = f
        .listed()
        .iter()
        .map(|t| t.display_state(today()))
        .collect();
    assert!(states.windows(2).all(|w| w[0] <= w[1]), "overdue first");
    let keyed: Vec<_> = f
        .listed()
        .iter()
        .map(|t| (t.display_state(today()), t.due))
        .collect();
    assert!(keyed.windows(2).all(|w| w[0] <= w[1]), "then by due date");
}

#[test]
fn status_picker_sets_done_by_number() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::SetStatus);
    let msg = f.app.key_msg(&key(KeyCode::Char('3'))).unwrap();
    f.app.update(msg);
    assert!(f.app.popup.is_none());
    let t = f.app.store().task(id).unwrap();
    // The real date, not the fixture's "today" (2027-01-01): writes stamp the clock.
    assert_ne!(today(), crate::context::clock_today());
    assert_eq!(
        (t.status, t.progress, t.completed_on),
        (Status::Done, 100, Some(crate::context::clock_today()))
    );
}

#[test]
fn status_picker_by_arrows_and_enter() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::SetStatus);
    f.app.update(Action::MoveDown);
    f.app.update(Action::Open);
    assert_eq!(f.app.store().task(id).unwrap().status, Status::InProgress);
}

#[test]
fn a_note_is_stored_and_searchable() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::AddNote);
    f.app.update(Action::Open);
    assert!(
        matches!(&f.app.popup, Some(Popup::Note(p)) if p.error.is_some()),
        "an empty note is refused"
    );
    f.type_text("Đã gửi dự thảo lần 2");
    f.app.update(Action::Open);
    assert!(f.app.popup.is_none());
    let notes = f.app.store().notes(id).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].author, USER);
    assert_eq!(f.app.browse.detail.notes.len(), 1);
    // A phrase of the note that no text of the plan comes near ("du thao lan 2" fuzzily finds
    // IV.2's "Lập dự toán … Báo và Phát thanh").
    f.app.update(Action::Search);
    f.type_text("da gui du thao");
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(f.app.selected_task().unwrap().id, id);
}

#[test]
fn add_task_form_creates_and_selects_the_task() {
    let mut f = app();
    let before = f.app.store().task_count().unwrap();
    f.app.update(Action::AddTask);
    f.app.update(Action::Open);
    assert!(
        matches!(&f.app.popup, Some(Popup::Form(form)) if form.error.is_some()),
        "a title is required"
    );
    f.type_text("Rà soát quy trình nội bộ");
    f.app.update(Action::MoveDown); // area: keep the first
    f.app.update(Action::MoveDown); // lead
    f.app.update(Edit::Right);
    f.app.update(Action::MoveDown); // coordinating
    f.type_text("vpub, STP");
    f.app.update(Action::MoveDown); // due
    f.type_text("30/06/2027");
    f.app.update(Action::Open);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    assert_eq!(f.app.store().task_count().unwrap(), before + 1);
    let t = f.app.selected_task().unwrap().clone();
    assert_eq!(t.title, "Rà soát quy trình nội bộ");
    assert_eq!(t.coordinating, vec!["VPUB".to_string(), "STP".to_string()]);
    assert_eq!(t.due.to_string(), "2027-06-30");
    assert_eq!(t.lead_agency, f.app.data.agencies[1].code);
}

#[test]
fn add_task_form_refuses_a_bad_date_and_an_unknown_agency() {
    let mut f = app();
    f.app.update(Action::AddTask);
    f.type_text("X");
    for _ in 0..4 {
        f.app.update(Action::MoveDown);
    }
    f.type_text("31/02/2027");
    f.app.update(Action::Open);
    let Some(Popup::Form(form)) = &f.app.popup else {
        panic!()
    };
    assert!(form.error.as_deref().unwrap().contains("31/02/2027"));
    f.app.update(Edit::Clear);
    f.type_text("01/03/2027");
    f.app.update(Action::MoveUp);
    f.type_text("Sở Không Có");
    f.app.update(Action::Open);
    let Some(Popup::Form(form)) = &f.app.popup else {
        panic!()
    };
    assert!(form.error.as_deref().unwrap().contains("Sở Không Có"));
}

#[test]
fn edit_form_changes_only_what_changed() {
    let mut f = app();
    let t = f.app.selected_task().unwrap().clone();
    f.app.update(Action::EditTask);
    for _ in 0..4 {
        f.app.update(Action::MoveDown);
    }
    f.app.update(Edit::Clear);
    f.type_text("2027-12-31");
    f.app.update(Action::Open);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    let now = f.app.store().task(t.id).unwrap();
    assert_eq!(now.due.to_string(), "2027-12-31");
    assert_eq!(now.title, t.title);
    let entry = &f.app.store().log(&LogFilter::default()).unwrap()[0];
    assert_eq!(entry.changes.len(), 1, "{:?}", entry.changes);
    assert_eq!(entry.changes[0].field, "due");
}

#[test]
fn keys_resolve_by_context() {
    let mut f = app();
    let o = key(KeyCode::Char('o'));
    assert_eq!(f.app.key_msg(&o), Some(Msg::Action(Action::ToggleOverdue)));
    f.app.update(Action::Search);
    assert_eq!(f.app.key_msg(&o), Some(Msg::Edit(Edit::Insert('o'))));
    // The search box's own keys (issue 11): Esc cancels the search.
    assert_eq!(
        f.app.key_msg(&key(KeyCode::Esc)),
        Some(Msg::Action(Action::Cancel))
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(f.app.key_msg(&ctrl_c), Some(Msg::Action(Action::Quit)));
    assert_eq!(f.app.update(Action::Quit), Flow::Quit);
    f.app.update(Action::Back);
    assert_eq!(f.app.key_msg(&ctrl_c), Some(Msg::Action(Action::Quit)));
    // `q` closes what is on top (and so quits from the bare list), but is text in a prompt.
    let q = key(KeyCode::Char('q'));
    assert_eq!(f.app.key_msg(&q), Some(Msg::Action(Action::Close)));
    let shift_q = KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT);
    assert_eq!(f.app.key_msg(&shift_q), Some(Msg::Action(Action::Quit)));
    f.app.update(Action::AddNote);
    assert_eq!(f.app.key_msg(&q), Some(Msg::Edit(Edit::Insert('q'))));
}

#[test]
fn q_closes_what_is_on_top_and_quits_only_from_the_list() {
    let mut f = app();
    let q = key(KeyCode::Char('q'));
    let shift_q = KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT);
    let press = |f: &mut testkit::Fixture, ev: &KeyEvent| match f.app.key_msg(ev) {
        Some(msg) => f.app.update(msg),
        None => Flow::Continue,
    };
    // Help: `q` closes it, as Esc does.
    f.app.update(Action::Help);
    assert_eq!(press(&mut f, &q), Flow::Continue);
    assert!(f.app.help.is_none());
    // The status picker: `q` closes it without changing anything.
    f.app.update(Action::SetStatus);
    assert!(f.app.popup.is_some());
    assert_eq!(press(&mut f, &q), Flow::Continue);
    assert!(f.app.popup.is_none());
    // Meeting mode entered with `m`: `q` goes back to the list, then the next `q` quits.
    f.app.update(Action::Meeting);
    assert_eq!(f.app.screen, Screen::Meeting);
    assert_eq!(press(&mut f, &q), Flow::Continue);
    assert_eq!(f.app.screen, Screen::Browse);
    f.app.update(Action::Indicators);
    assert_eq!(press(&mut f, &q), Flow::Continue);
    assert_eq!(f.app.screen, Screen::Browse);
    assert_eq!(press(&mut f, &q), Flow::Quit);
    // `Q` quits at once from anything on top.
    f.app.update(Action::Help);
    assert_eq!(press(&mut f, &shift_q), Flow::Quit);
    f.app.update(Action::Back);
    f.app.update(Action::SetStatus);
    assert_eq!(press(&mut f, &shift_q), Flow::Quit);
}

#[test]
fn help_opens_and_closes() {
    let mut f = app();
    f.app.update(Action::Help);
    assert!(f.app.help.is_some());
    assert_eq!(f.app.context(), super::keymap::Context::Help);
    f.app.update(Action::MoveDown);
    f.app.update(Action::Back);
    assert!(f.app.help.is_none());
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut f = app();
    let layout = f.app.layout().unwrap();
    let rows = layout.list_rows_area(false);
    f.app.update(Msg::Click {
        column: rows.x + 3,
        row: rows.y + 4,
    });
    assert_eq!(f.app.browse.list.cursor.selected, 4);
    f.app.update(Msg::Scroll {
        column: rows.x + 3,
        row: rows.y,
        down: true,
    });
    assert_eq!(f.app.browse.list.cursor.selected, 7);
    // A click on the navigation pane's second entry filters by the first area.
    let nav = layout.nav_inner();
    f.app.update(Msg::Click {
        column: nav.x + 2,
        row: nav.y + 2,
    });
    assert_eq!(f.app.browse.focus, Pane::Nav);
    assert_eq!(f.app.scope(), Scope::Area(f.app.data.areas[0].code.clone()));
}

#[test]
fn resizing_to_anything_never_panics() {
    let mut f = app();
    for (w, h) in [
        (0, 0),
        (1, 1),
        (59, 14),
        (60, 15),
        (80, 24),
        (250, 70),
        (3, 200),
        (400, 3),
    ] {
        f.app.update(Msg::Resize {
            width: w,
            height: h,
        });
        for a in [
            Action::PageDown,
            Action::Bottom,
            Action::MoveUp,
            Action::NextPane,
        ] {
            f.app.update(a);
        }
        f.app.update(Msg::Click { column: 10, row: 5 });
    }
}

#[test]
fn member_rules_decide_what_the_screen_offers() {
    use crate::store::Role;
    let mut f = app();
    assert!(f.app.can_write(), "no members registered: everyone edits");
    let mut boss = f.other("boss");
    boss.add_member("boss", "VPUB", Role::Secretary).unwrap();
    boss.add_member(USER, "SNV", Role::Member).unwrap();
    f.app.update(Msg::Tick);
    assert_eq!(
        f.app.perms.member.as_ref().map(|m| m.agency.as_str()),
        Some("SNV")
    );
    let find = |f: &testkit::Fixture, ok: &dyn Fn(&crate::model::Task) -> bool| {
        f.all_tasks().iter().find(|t| ok(t)).map(|t| t.id).unwrap()
    };
    // Another agency's task: refused on screen, with the reason.
    let theirs = find(&f, &|t| {
        t.lead_agency != "SNV" && !t.coordinating.iter().any(|c| c == "SNV")
    });
    assert!(f.app.select_task(theirs));
    f.app.update(Action::SetPercent);
    assert!(f.app.popup.is_none());
    assert!(message(&f).contains("SNV"), "{}", message(&f));
    // Its own: allowed, and written.
    let ours = find(&f, &|t| t.lead_agency == "SNV");
    assert!(f.app.select_task(ours));
    f.app.update(Action::SetPercent);
    f.type_text("60");
    f.app.update(Action::Open);
    assert_eq!(f.app.store().task(ours).unwrap().progress, 60);
    // A new task starts as the member's agency's.
    f.app.update(Action::AddTask);
    let Some(Popup::Form(form)) = &f.app.popup else {
        panic!("{:?}", f.app.popup)
    };
    assert_eq!(form.field(crate::tui::popups::FieldKey::Lead), "SNV");
    f.app.update(Action::Back);

    // Made a viewer: every edit key says why instead.
    boss.add_member(USER, "SNV", Role::Viewer).unwrap();
    f.app.update(Msg::Tick);
    assert!(!f.app.can_write());
    for a in [Action::SetPercent, Action::AddTask, Action::Undo] {
        f.app.messages.current = None;
        f.app.update(a);
        assert!(f.app.popup.is_none(), "{a}");
        assert!(message(&f).contains("người xem"), "{a}: {}", message(&f));
    }
}

/// Issue 11: a popup's Enter is a write carried out by the app; when the store refuses it (the
/// member rules changed while the popup was open), the popup stays with what was typed and
/// says why, and the status picker, which has no place for it, says it in the status line.
#[test]
fn a_write_the_store_refuses_goes_back_to_the_popup_that_asked() {
    use crate::store::Role;
    let mut f = app();
    let mut boss = f.other("boss");
    boss.add_member("boss", "VPUB", Role::Secretary).unwrap();
    boss.add_member(USER, "SNV", Role::Member).unwrap();
    f.app.update(Msg::Tick);
    let ours = f
        .all_tasks()
        .iter()
        .find(|t| t.lead_agency == "SNV")
        .map(|t| (t.id, t.progress, t.status))
        .unwrap();
    assert!(f.app.select_task(ours.0));
    f.app.update(Action::SetPercent);
    f.type_text("61");
    // Made a viewer before the Enter, without a tick: only the store knows.
    boss.add_member(USER, "SNV", Role::Viewer).unwrap();
    f.app.update(Action::Open);
    let Some(Popup::Percent(p)) = &f.app.popup else {
        panic!("the refused prompt closed: {:?}", f.app.popup)
    };
    assert_eq!(p.text(), "61");
    assert!(
        p.error.as_deref().unwrap_or("").contains("Không được phép"),
        "{:?}",
        p.error
    );
    f.app.update(Action::Back);
    f.app.update(Action::SetStatus);
    f.press("3");
    assert!(f.app.popup.is_none());
    assert!(message(&f).contains("Không được phép"), "{}", message(&f));
    let t = f.app.store().task(ours.0).unwrap();
    assert_eq!((t.id, t.progress, t.status), ours, "nothing written");
}

/// Issue 10, case 9: the detail pane's history of a task another member imported starts with
/// its creation (every field), linked to the import.
#[test]
fn the_history_of_an_imported_task_shows_its_creation() {
    let mut f = app();
    let mut minh = f.other("minh");
    let task = crate::model::NewTask {
        plan_ref: String::new(),
        area: "tthc".into(),
        lead_agency: "SNV".into(),
        coordinating: vec!["STP".into()],
        coordinating_inferred: vec![],
        title: "Việc nhập từ bảng tính".into(),
        detail: String::new(),
        output: "Báo cáo".into(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        due_assumed: false,
        recurrence: crate::model::Recurrence::Once,
        status: Status::InProgress,
        progress: 20,
        completed_on: None,
    };
    minh.import(&[], &[task], &[], "rows.csv").unwrap();
    f.app.update(Action::Refresh);
    f.app.update(Action::Top);
    let selected = f.app.selected_task().unwrap();
    assert_eq!(selected.title, "Việc nhập từ bảng tính");
    let created = f
        .app
        .browse
        .detail
        .history
        .iter()
        .find(|e| e.action == "create")
        .expect("the creation in the detail pane's history");
    assert_eq!(created.user, "minh");
    assert!(created.parent.is_some(), "linked to the import's entry");
    assert!(
        created
            .changes
            .iter()
            .any(|c| c.field == "progress" && c.new.as_deref() == Some("20"))
    );
}
