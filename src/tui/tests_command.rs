//! Issue 12 without a terminal: the id column, search by number, the `:` command line with its
//! completion, saved views through a real config file, and `y`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::view::{SavedView, Sort};

use super::app::{Flow, MessageKind, reference_line};
use super::testkit::{Fixture, Setup, app, fixture};
use crate::tui::screens::browse::state::{NavMode, Scope};

fn message(f: &Fixture) -> String {
    f.app
        .messages
        .current
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn message_kind(f: &Fixture) -> Option<MessageKind> {
    f.app.messages.current.as_ref().map(|m| m.kind)
}

/// A key as the terminal sends it, through the app's own key handling.
fn press(f: &mut Fixture, code: KeyCode) -> Flow {
    let ev = KeyEvent::new(code, KeyModifiers::NONE);
    match f.app.key_msg(&ev) {
        Some(msg) => f.app.update(msg),
        None => Flow::Continue,
    }
}

fn type_keys(f: &mut Fixture, text: &str) {
    for c in text.chars() {
        press(f, KeyCode::Char(c));
    }
}

/// `:` + `line` + Enter, as typed.
fn command(f: &mut Fixture, line: &str) -> Flow {
    press(f, KeyCode::Char(':'));
    assert!(f.app.command.is_some(), "`:` opens the command line");
    type_keys(f, line);
    press(f, KeyCode::Enter)
}

fn selected_id(f: &Fixture) -> i64 {
    f.app.selected_task().expect("a selection").id
}

fn screen(f: &Fixture) -> String {
    let size = f.app.size;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal
        .draw(|frame| super::views::render(frame, &f.app))
        .unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..size.height {
        for x in 0..size.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn sized(width: u16, height: u16) -> Fixture {
    fixture(Setup {
        width,
        height,
        ..Default::default()
    })
}

/// A fixture whose `:save` writes to `path`'s directory's config.toml (the testkit's default).
fn config_text(f: &Fixture) -> String {
    std::fs::read_to_string(f.path.with_file_name("config.toml")).unwrap_or_default()
}

#[test]
fn the_id_column_appears_only_where_titles_keep_their_room() {
    // At 80 columns the title needs every cell: no id column.
    let narrow = screen(&sized(80, 24));
    assert!(narrow.contains("▶ ! Báo cáo CCHC quý I/2"), "{narrow}");
    assert!(!narrow.contains("#173 Báo cáo"), "{narrow}");
    for (w, h) in [(100, 30), (130, 35), (160, 45), (200, 60)] {
        let wide = screen(&sized(w, h));
        assert!(
            wide.contains("▶ ! #173 Báo cáo CCHC quý I/2026"),
            "{w}x{h}\n{wide}"
        );
        assert!(
            wide.contains("   # Nhiệm vụ"),
            "{w}x{h}: the header names it\n{wide}"
        );
    }
}

#[test]
fn the_search_box_finds_a_task_by_number_and_by_plan_reference() {
    let mut f = app();
    f.app.update(super::action::Action::Search);
    f.type_text("#157");
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(selected_id(&f), 157);
    // Typing on after an exact term searches afresh ("#15" → "#157" is not a narrowing).
    press(&mut f, KeyCode::Esc);
    f.app.update(super::action::Action::Search);
    f.type_text("#15");
    assert_eq!(selected_id(&f), 15);
    f.type_text("7");
    assert_eq!(f.app.browse.list.len(), 1);
    assert_eq!(selected_id(&f), 157);
    press(&mut f, KeyCode::Esc);
    f.app.update(super::action::Action::Search);
    f.type_text("v.1.5/snv/2026-Q1");
    assert_eq!(f.app.browse.list.len(), 1);
    let task = f.app.selected_task().unwrap();
    assert_eq!(task.plan_ref, "V.1.5/SNV/2026-Q1");
}

#[test]
fn colon_number_jumps_to_the_task_and_says_which_filters_it_dropped() {
    let mut f = app();
    // A task due after today (not overdue), hidden by the overdue filter and a search.
    let target = f
        .all_tasks()
        .iter()
        .find(|t| {
            // Neither matched by the search (even fuzzily, in any word) nor overdue.
            let folded = crate::text::fold(&t.title);
            !t.is_overdue(f.app.data.today) && !folded.contains("bao") && !folded.contains("cao")
        })
        .unwrap()
        .clone();
    f.app.update(super::action::Action::ToggleOverdue);
    f.app.update(super::action::Action::Search);
    f.type_text("bao cao");
    press(&mut f, KeyCode::Enter);
    assert!(!f.listed().iter().any(|t| t.id == target.id));

    assert_eq!(command(&mut f, &target.id.to_string()), Flow::Continue);
    assert!(f.app.command.is_none());
    assert_eq!(selected_id(&f), target.id);
    assert!(!f.app.browse.list.overdue_only);
    assert!(!f.app.browse.list.search.is_active());
    let m = message(&f);
    assert!(m.starts_with(&format!("#{} ", target.id)), "{m}");
    assert!(
        m.contains("đã bỏ lọc") && m.contains("chỉ quá hạn") && m.contains("bao cao"),
        "{m}"
    );

    // `:#N` works too; a visible task keeps every filter.
    f.app.update(super::action::Action::ToggleOverdue);
    let id = f.listed()[3].id;
    command(&mut f, &format!("#{id}"));
    assert_eq!(selected_id(&f), id);
    assert!(f.app.browse.list.overdue_only);
    assert!(!message(&f).contains("đã bỏ lọc"), "{}", message(&f));

    // A number nobody has: one line, nothing moves.
    let before = f.app.browse.list.cursor;
    command(&mut f, "99999");
    assert_eq!(f.app.browse.list.cursor, before);
    assert!(message(&f).contains("#99999"), "{}", message(&f));
}

#[test]
fn colon_area_and_agency_scope_the_list_by_code_or_name() {
    let mut f = app();
    command(&mut f, "agency STP");
    assert_eq!(f.app.browse.nav.mode, NavMode::Agencies);
    assert_eq!(f.app.scope(), Scope::Agency("STP".into()));
    assert!(!f.app.browse.list.is_empty());
    for t in &f.listed() {
        assert_eq!(t.lead_agency, "STP");
    }
    assert!(message(&f).contains("STP"), "{}", message(&f));
    command(&mut f, "area cai cach thu tuc");
    assert_eq!(f.app.browse.nav.mode, NavMode::Areas);
    assert_eq!(f.app.scope(), Scope::Area("tthc".into()));
    command(&mut f, "area TTHC");
    assert_eq!(f.app.scope(), Scope::Area("tthc".into()));
    command(&mut f, "area");
    assert_eq!(f.app.scope(), Scope::All);
    // Unknown: a warning that lists the codes, and the scope stays.
    command(&mut f, "agency STP");
    command(&mut f, "area nowhere");
    assert_eq!(f.app.scope(), Scope::Agency("STP".into()));
    assert_eq!(message_kind(&f), Some(MessageKind::Warning));
    assert!(message(&f).contains("tthc"), "{}", message(&f));
}

#[test]
fn unknown_commands_change_nothing_and_esc_cancels() {
    let mut f = app();
    let (cursor, len) = (f.app.browse.list.cursor, f.app.browse.list.len());
    command(&mut f, "frobnicate");
    assert!(f.app.command.is_none());
    assert_eq!(message_kind(&f), Some(MessageKind::Warning));
    let m = message(&f);
    assert!(m.contains(":frobnicate") && !m.contains('\n'), "{m}");
    assert_eq!(
        (f.app.browse.list.cursor, f.app.browse.list.len()),
        (cursor, len)
    );

    press(&mut f, KeyCode::Char(':'));
    type_keys(&mut f, "overdue");
    press(&mut f, KeyCode::Esc);
    assert!(f.app.command.is_none());
    assert!(!f.app.browse.list.overdue_only);
    // `q` typed into the line is text, not quit.
    press(&mut f, KeyCode::Char(':'));
    assert_eq!(press(&mut f, KeyCode::Char('q')), Flow::Continue);
    assert_eq!(f.app.command.as_ref().unwrap().input.text(), "q");
    assert_eq!(press(&mut f, KeyCode::Enter), Flow::Quit);
    assert_eq!(command(&mut f, "quit"), Flow::Quit);
}

#[test]
fn overdue_sort_theme_and_help_by_name() {
    let mut f = app();
    command(&mut f, "overdue");
    assert!(f.app.browse.list.overdue_only);
    command(&mut f, "overdue");
    assert!(
        f.app.browse.list.overdue_only,
        ":overdue turns the filter on, never off"
    );
    command(&mut f, "sort state");
    assert_eq!(f.app.browse.list.sort, Sort::State);
    command(&mut f, "sort name");
    assert_eq!(f.app.browse.list.sort, Sort::State);
    assert!(
        message(&f).contains("due, area, agency, state, late, progress, title, id"),
        "{}",
        message(&f)
    );
    command(&mut f, "sort");
    assert_eq!(
        f.app.browse.list.sort,
        Sort::State.next(),
        "without a name it cycles, as S does"
    );
    command(&mut f, "theme projector");
    assert_eq!(
        f.app.settings.theme,
        super::theme::Theme::builtin("projector").unwrap()
    );
    command(&mut f, "theme no-such-theme");
    assert_eq!(
        f.app.settings.theme,
        super::theme::Theme::builtin("projector").unwrap()
    );
    assert_eq!(message_kind(&f), Some(MessageKind::Warning));
    command(&mut f, "help");
    assert!(f.app.help.is_some());
}

#[test]
fn tab_cycles_through_completions_from_the_action_table() {
    let mut f = app();
    press(&mut f, KeyCode::Char(':'));
    type_keys(&mut f, "ag");
    press(&mut f, KeyCode::Tab);
    assert_eq!(f.app.command.as_ref().unwrap().input.text(), "agency ");
    type_keys(&mut f, "st");
    press(&mut f, KeyCode::Tab);
    let first = f.app.command.as_ref().unwrap().input.text().to_string();
    press(&mut f, KeyCode::Tab);
    let second = f.app.command.as_ref().unwrap().input.text().to_string();
    assert_ne!(first, second);
    for line in [&first, &second] {
        assert!(line == "agency STP" || line == "agency STC", "{line}");
    }
    press(&mut f, KeyCode::BackTab);
    assert_eq!(f.app.command.as_ref().unwrap().input.text(), first);
    // The prompt shows the choices, the current one in brackets.
    let shown = screen(&f);
    assert!(shown.contains(&format!(":{first}")), "{shown}");
    assert!(
        shown.contains("[STP]") || shown.contains("[STC]"),
        "{shown}"
    );
    press(&mut f, KeyCode::Enter);
    assert!(matches!(f.app.scope(), Scope::Agency(code) if first.ends_with(&code)));

    // Sort names and theme names complete too; nothing to complete says so.
    press(&mut f, KeyCode::Char(':'));
    type_keys(&mut f, "sort a");
    press(&mut f, KeyCode::Tab);
    assert_eq!(f.app.command.as_ref().unwrap().input.text(), "sort area");
    press(&mut f, KeyCode::Esc);
    press(&mut f, KeyCode::Char(':'));
    type_keys(&mut f, "zzz");
    press(&mut f, KeyCode::Tab);
    assert_eq!(f.app.command.as_ref().unwrap().input.text(), "zzz");
    assert!(message(&f).contains("Không có gợi ý"), "{}", message(&f));
}

#[test]
fn views_save_to_the_config_file_and_restore() {
    let mut f = app();
    let config = f.path.with_file_name("config.toml");
    std::fs::write(&config, "# my settings\nlang = \"vi\"\n").unwrap();
    command(&mut f, "agency SNV");
    command(&mut f, "overdue");
    command(&mut f, "sort state");
    f.app.update(super::action::Action::Search);
    f.type_text("bao cao");
    press(&mut f, KeyCode::Enter);
    let shown: Vec<i64> = f.app.browse.list.listed_ids(f.app.store()).unwrap();
    command(&mut f, "save snv-overdue");
    assert_eq!(
        message_kind(&f),
        Some(MessageKind::Success),
        "{}",
        message(&f)
    );
    let text = config_text(&f);
    assert!(text.starts_with("# my settings\nlang = \"vi\"\n"), "{text}");
    let (file, warnings) = crate::config::ConfigFile::load_from(&config, true);
    assert!(warnings.is_empty(), "{warnings:?}");
    let expected = SavedView {
        area: None,
        agency: Some("SNV".into()),
        overdue: true,
        search: Some("bao cao".into()),
        // The search ranks its hits by score (the sort was chosen before it): the view keeps
        // no sort, and restored it is ranked the same way.
        sort: None,
        reverse: false,
    };
    assert_eq!(file.views.get("snv-overdue"), Some(&expected));

    // Everything back to the start, then the view restores the same list.
    command(&mut f, "agency");
    press(&mut f, KeyCode::Esc);
    press(&mut f, KeyCode::Esc);
    f.app.browse.list.overdue_only = false;
    command(&mut f, "sort due");
    assert_ne!(f.app.browse.list.listed_ids(f.app.store()).unwrap(), shown);
    command(&mut f, "view snv-overdue");
    assert_eq!(f.app.browse.list.listed_ids(f.app.store()).unwrap(), shown);
    assert_eq!(f.app.current_view(), expected);

    // A bad name is refused in one line, and the file is left as it was.
    let before = config_text(&f);
    command(&mut f, "save two words");
    assert_eq!(message_kind(&f), Some(MessageKind::Warning));
    assert!(message(&f).contains("letters, digits"), "{}", message(&f));
    assert_eq!(config_text(&f), before);
    // An unknown view lists the saved ones and changes nothing.
    command(&mut f, "view nope");
    assert!(message(&f).contains("snv-overdue"), "{}", message(&f));
    assert_eq!(f.app.browse.list.listed_ids(f.app.store()).unwrap(), shown);
}

#[test]
fn y_copies_the_reference_line_and_says_so() {
    let mut f = app();
    assert_eq!(selected_id(&f), 173);
    press(&mut f, KeyCode::Char('y'));
    let copied = f.app.take_clipboard().expect("something to copy");
    assert_eq!(
        copied,
        "#173 V.1.5/SNV/2026-Q1 — Báo cáo CCHC quý I/2026 — hạn 15/03/2026"
    );
    assert!(f.app.take_clipboard().is_none(), "sent once");
    assert!(message(&f).contains(&copied), "{}", message(&f));

    // A hostile title reaches neither the clipboard nor the status bar as an escape.
    let mut task = f.app.selected_task().unwrap().clone();
    task.title = "x\u{1b}]52;c;AAAA\u{7}\u{1b}[2Jy".into();
    task.plan_ref = String::new();
    let line = reference_line(&task, crate::model::Lang::En);
    assert!(
        line.starts_with("#173 — x") && line.ends_with("— due 15/03/2026"),
        "{line}"
    );
    assert!(
        !line.contains('\u{1b}') && !line.contains('\u{7}'),
        "{line:?}"
    );
}
