//! `App::update` over a real store for issue 12's screen parts: marks that follow their tasks,
//! one confirmation for a change to marked tasks with per-task conflicts, and long notes (the
//! multi-line box and the external editor's round trip).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::{Status, TaskPatch};
use crate::store::LogFilter;

use super::action::Action;
use super::app::Msg;
use super::input::Edit;
use super::testkit::{self, USER, app};
use crate::tui::popups::Popup;

fn ids_on_screen(f: &testkit::Fixture) -> Vec<i64> {
    f.listed().iter().map(|t| t.id).collect()
}

fn marked(f: &testkit::Fixture) -> Vec<i64> {
    f.app.browse.list.marked.iter().copied().collect()
}

fn entries_by(f: &testkit::Fixture, id: i64, user: &str) -> usize {
    f.app
        .store()
        .log(&LogFilter {
            entity: Some("task".into()),
            entity_id: Some(id.to_string()),
            user: Some(user.into()),
            ..Default::default()
        })
        .unwrap()
        .len()
}

fn press(f: &mut testkit::Fixture, code: KeyCode, mods: KeyModifiers) {
    if let Some(msg) = f.app.key_msg(&KeyEvent::new(code, mods)) {
        f.app.update(msg);
    }
}

#[test]
fn space_marks_and_marks_follow_their_tasks_through_sort_and_reload() {
    let mut f = app();
    // Space marks and moves on, as in mutt and lazygit.
    press(&mut f, KeyCode::Char(' '), KeyModifiers::NONE);
    f.app.update(Action::MoveDown);
    press(&mut f, KeyCode::Char(' '), KeyModifiers::NONE);
    let ids = ids_on_screen(&f);
    let mut expected = vec![ids[0], ids[2]];
    expected.sort();
    assert_eq!(marked(&f), expected);
    assert_eq!(f.app.selected_task().unwrap().id, ids[3]);
    // Toggling again unmarks.
    f.app.update(Action::MoveUp);
    f.app.update(Action::ToggleMark);
    assert_eq!(marked(&f), vec![ids[0]]);
    f.app.update(Action::MoveUp);
    f.app.update(Action::ToggleMark);
    // Re-sorting and scrolling move rows, not marks.
    f.app.update(Action::CycleSort);
    f.app.update(Action::Bottom);
    assert_eq!(marked(&f), expected);
    // Another member's change arrives by live reload: the marks stay.
    let mut minh = f.other("minh");
    minh.update_task(
        ids[2],
        None,
        &TaskPatch {
            progress: Some(40),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    f.app.update(Msg::Tick);
    assert_eq!(f.task(ids[2]).progress, 40);
    assert_eq!(marked(&f), expected);
    // The count is where the member looks.
    let row = testkit::draw_text(&f);
    assert!(row.contains("* 2 đang chọn"), "{row}");
    // Esc clears the marks first, before anything else it would step back from.
    f.app.update(Action::ToggleOverdue);
    f.app.update(Action::Back);
    assert!(f.app.browse.list.marked.is_empty());
    assert!(f.app.browse.list.overdue_only);
}

#[test]
fn v_marks_the_filtered_list_and_again_clears() {
    let mut f = app();
    f.app.update(Action::ToggleOverdue);
    let shown = ids_on_screen(&f);
    press(&mut f, KeyCode::Char('V'), KeyModifiers::SHIFT);
    let mut expected = shown.clone();
    expected.sort();
    assert_eq!(marked(&f), expected);
    f.app.update(Action::MarkVisible);
    assert!(f.app.browse.list.marked.is_empty());
}

#[test]
fn status_to_marked_tasks_asks_once_and_reports_the_conflict_by_task() {
    let mut f = app();
    // Eight tasks of eight agencies, as the first rows of the list are.
    let tasks: Vec<_> = f.listed().into_iter().take(8).collect();
    for _ in &tasks {
        // Space marks and moves down.
        f.app.update(Action::ToggleMark);
    }
    f.app.update(Action::SetStatus);
    let Some(Popup::Status(p)) = &f.app.popup else {
        panic!("expected the status picker, got {:?}", f.app.popup);
    };
    assert_eq!(p.selection.len(), 8);
    // Meanwhile another member changes the third task.
    let victim = tasks[2].id;
    let mut minh = f.other("minh");
    minh.update_task(
        victim,
        None,
        &TaskPatch {
            progress: Some(50),
            ..Default::default()
        },
        None,
    )
    .unwrap();
    // 3 = done: the one confirmation, naming how many tasks of which agencies.
    f.press("3");
    let Some(Popup::Confirm(c)) = &f.app.popup else {
        panic!("expected one confirmation, got {:?}", f.app.popup);
    };
    let question = c.question(crate::model::Lang::Vi);
    let agencies: Vec<&str> = tasks.iter().map(|t| t.lead_agency.as_str()).collect();
    let mut distinct = agencies.clone();
    distinct.dedup();
    assert!(
        question.starts_with(&format!(
            "Cập nhật 8 nhiệm vụ của {} cơ quan: {}",
            distinct.len(),
            distinct.join(", ")
        )),
        "{question}"
    );
    assert!(question.ends_with("? (y/n)"), "{question}");
    // Nothing is written before the answer.
    assert_eq!(entries_by(&f, tasks[0].id, USER), 0);
    press(&mut f, KeyCode::Char('y'), KeyModifiers::NONE);
    let Some(Popup::Notice(n)) = &f.app.popup else {
        panic!("expected the per-task report, got {:?}", f.app.popup);
    };
    let report = n.lines.join("\n");
    assert!(n.title.contains("7/8"), "{}", n.title);
    assert!(
        report.contains(&format!("#{victim}: minh đã sửa lúc")),
        "{report}"
    );
    for t in &tasks {
        let now = f.app.store().task(t.id).unwrap();
        if t.id == victim {
            assert_eq!(now.progress, 50);
            assert_ne!(now.status, Status::Done);
            assert_eq!(entries_by(&f, t.id, USER), 0);
        } else {
            assert_eq!(now.status, Status::Done, "#{}", t.id);
            assert_eq!(entries_by(&f, t.id, USER), 1, "#{}", t.id);
            assert_eq!(f.task(t.id).status, Status::Done);
        }
    }
    // Only the refused task stays marked, to try again.
    assert_eq!(marked(&f), vec![victim]);
    assert_eq!(f.task(victim).progress, 50);
}

#[test]
fn n_to_marked_tasks_and_cancel_writes_nothing() {
    let mut f = app();
    f.app.update(Action::ToggleMark);
    f.app.update(Action::MoveDown);
    f.app.update(Action::ToggleMark);
    let ids: Vec<i64> = marked(&f);
    f.app.update(Action::SetPercent);
    f.type_text("70");
    f.app.update(Action::Open);
    assert!(matches!(f.app.popup, Some(Popup::Confirm(_))));
    press(&mut f, KeyCode::Char('n'), KeyModifiers::NONE);
    assert!(f.app.popup.is_none());
    for &id in &ids {
        assert_eq!(entries_by(&f, id, USER), 0);
    }
    // A note goes to both, each with its own entry.
    f.app.update(Action::AddNote);
    f.type_text("Đã nhận báo cáo");
    f.app.update(Action::Open);
    f.app.update(Action::Open);
    for &id in &ids {
        assert_eq!(entries_by(&f, id, USER), 1);
        let notes = f.app.store().notes(id).unwrap();
        assert!(notes.iter().any(|n| n.text == "Đã nhận báo cáo"));
    }
    assert!(f.app.browse.list.marked.is_empty());
}

#[test]
fn long_note_box_without_an_editor_keeps_lines_and_saves_on_ctrl_s() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    press(&mut f, KeyCode::Char('N'), KeyModifiers::SHIFT);
    assert!(matches!(f.app.popup, Some(Popup::LongNote(_))));
    f.type_text("Dòng một");
    press(&mut f, KeyCode::Enter, KeyModifiers::NONE);
    f.type_text("Dòng hai");
    // Still open: Enter was a new line.
    assert!(matches!(f.app.popup, Some(Popup::LongNote(_))));
    press(&mut f, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(f.app.popup.is_none(), "{:?}", f.app.popup);
    let notes = f.app.store().notes(id).unwrap();
    assert!(
        notes.iter().any(|n| n.text == "Dòng một\nDòng hai"),
        "{notes:?}"
    );
    // Alt-Enter saves too; an empty save adds nothing; Esc cancels.
    let before = entries_by(&f, id, USER);
    f.app.update(Action::LongNote);
    f.type_text("  ");
    press(&mut f, KeyCode::Enter, KeyModifiers::ALT);
    assert!(f.app.popup.is_none());
    assert_eq!(entries_by(&f, id, USER), before);
    f.app.update(Action::LongNote);
    f.type_text("bỏ");
    press(&mut f, KeyCode::Esc, KeyModifiers::NONE);
    assert!(f.app.popup.is_none());
    assert_eq!(entries_by(&f, id, USER), before);
}

#[test]
fn long_note_box_refuses_a_note_over_the_limit_and_stays_open() {
    let mut f = app();
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::LongNote);
    f.app
        .update(Edit::Paste("x".repeat(crate::untrusted::MAX_NOTE + 1)));
    f.app.update(Action::Open);
    let Some(Popup::LongNote(n)) = &f.app.popup else {
        panic!("the box stays open: {:?}", f.app.popup);
    };
    assert!(n.error.as_deref().unwrap_or("").contains("dài quá"));
    assert_eq!(entries_by(&f, id, USER), 0);
}

#[test]
fn editor_round_trip_through_the_event_loop_messages() {
    let mut f = app();
    f.app.settings.editor = Some("my-editor".into());
    let id = f.app.selected_task().unwrap().id;
    f.app.update(Action::LongNote);
    assert!(f.app.popup.is_none());
    let request = f.app.take_editor_request().expect("an editor request");
    assert_eq!(request.command, "my-editor");
    // The file starts with a header naming the task and how to save or give up.
    assert!(
        request
            .initial
            .starts_with(&format!("# Ghi chú dài cho nhiệm vụ #{id} — ")),
        "{}",
        request.initial
    );
    assert_eq!(request.initial, request.header);
    assert!(f.app.take_editor_request().is_none());
    // The editor failed after the member typed something: kept, offered again.
    f.app.update(Msg::EditorDone(Err((
        "the editor failed".into(),
        "nháp".into(),
    ))));
    assert_eq!(entries_by(&f, id, USER), 0);
    f.app.update(Action::LongNote);
    let request = f.app.take_editor_request().unwrap();
    assert_eq!(request.initial, format!("{}nháp", request.header));
    f.app.update(Msg::EditorDone(Ok(format!(
        "{}\n  nháp\ndòng 2  \n\n",
        request.header
    ))));
    let notes = f.app.store().notes(id).unwrap();
    assert!(notes.iter().any(|n| n.text == "nháp\ndòng 2"), "{notes:?}");
    assert!(f.app.long_note_draft.is_empty());
}

#[test]
fn the_confirmation_and_the_note_box_fit_80x24() {
    let mut f = testkit::fixture(testkit::Setup {
        width: 80,
        height: 24,
        ..Default::default()
    });
    f.app.update(Action::MarkVisible);
    f.app.update(Action::SetStatus);
    f.press("3");
    let screen = testkit::draw_text(&f);
    assert!(
        screen.contains("Cập nhật 422 nhiệm vụ của 13 cơ quan"),
        "{screen}"
    );
    assert!(
        screen.contains("SNV, VPUB, STP") && screen.contains(", …? (y/n)"),
        "twelve agencies named, then the rest counted: {screen}"
    );
    // The keys as the keymap binds them (issue 11).
    assert!(screen.contains("y/enter/Y: đồng ý"), "{screen}");
    f.app.update(Action::Back);
    f.app.update(Action::Back);
    f.app.update(Action::LongNote);
    f.type_text("Dòng một");
    f.app.update(Edit::Insert('\n'));
    f.type_text("Dòng hai");
    let screen = testkit::draw_text(&f);
    assert!(screen.contains("┃Dòng một"), "{screen}");
    assert!(screen.contains("┃Dòng hai"), "{screen}");
    assert!(screen.contains("ctrl-s/alt-enter: lưu"), "{screen}");
}

#[test]
fn the_bulk_status_picker_names_the_current_status_of_a_task_scrolled_away() {
    let mut f = app();
    let first = f.listed()[0].clone();
    f.app.update(Action::ToggleMark);
    f.app.update(Action::Bottom);
    assert!(
        f.app.browse.list.task(first.id).is_none(),
        "the first marked task is no longer among the rows the list holds"
    );
    let current_line = |f: &testkit::Fixture, status: Status| {
        let screen = testkit::draw_text(f);
        screen
            .lines()
            .any(|l| l.contains(status.label(crate::model::Lang::Vi)) && l.contains("(hiện tại)"))
            .then_some(())
            .ok_or(screen)
    };
    f.app.update(Action::SetStatus);
    assert!(matches!(f.app.popup, Some(Popup::Status(_))));
    if let Err(screen) = current_line(&f, first.status) {
        panic!("{:?} not shown as current:\n{screen}", first.status);
    }
    // Another member changes it while the picker is open: the picker says so after the tick.
    let changed = if first.status == Status::Blocked {
        Status::Done
    } else {
        Status::Blocked
    };
    f.other("minh")
        .update_task(
            first.id,
            None,
            &TaskPatch {
                status: Some(changed),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    f.app.update(Msg::Tick);
    if let Err(screen) = current_line(&f, changed) {
        panic!("{changed:?} not shown as current:\n{screen}");
    }
}

#[test]
fn a_selected_task_closed_by_another_member_under_the_overdue_filter_gives_way_to_the_next() {
    let mut f = app();
    f.app.update(Action::ToggleOverdue);
    for _ in 0..5 {
        f.app.update(Action::MoveDown);
    }
    let listed: Vec<i64> = ids_on_screen(&f);
    let selected = f.app.selected_task().unwrap().id;
    let row = f.app.browse.list.cursor.selected;
    assert_eq!(listed[row], selected);
    f.other("minh")
        .update_task(
            selected,
            None,
            &TaskPatch {
                status: Some(Status::Done),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    f.app.update(Msg::Tick);
    assert_eq!(f.app.selected_task().map(|t| t.id), Some(listed[row + 1]));
    assert_eq!(f.app.browse.list.cursor.selected, row, "on the same row");
    assert_eq!(
        f.app.browse.list.len(),
        listed.len() - 1,
        "the count moved with it"
    );
}
