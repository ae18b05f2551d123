//! Rendering with ratatui's `TestBackend`: text snapshots (insta) of the main layouts at
//! 80x24 and 160x45 in every built-in theme, the too-small message and a few overlays; and
//! assertions on styles, which snapshots of text cannot see.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use crate::model::{DisplayState, Lang, TaskPatch};

use super::super::action::Action;
use super::super::app::Msg;
use super::super::input::Edit;
use super::super::testkit::{Fixture, Setup, fixture, today};
use super::super::text::width;
use super::super::theme::{Semantic, Theme};

pub(super) fn draw(f: &Fixture) -> Buffer {
    let size = f.app.size;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|frame| super::render(frame, &f.app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as text, one line per row, trailing blanks trimmed.
pub(super) fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        for x in area.left()..area.right() {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn at(theme: &'static str, width: u16, height: u16) -> Fixture {
    fixture(Setup {
        theme,
        width,
        height,
        ..Default::default()
    })
}

#[test]
fn main_layout_in_every_theme_and_size() {
    for theme in Theme::builtin_names() {
        for (w, h) in [(80, 24), (160, 45)] {
            let f = at(theme, w, h);
            let screen = text(&draw(&f));
            insta::assert_snapshot!(format!("browse_{w}x{h}_{theme}"), screen);
        }
    }
}

#[test]
fn too_small_message() {
    let f = at("default", 50, 12);
    let screen = text(&draw(&f));
    assert!(screen.contains("Cửa sổ quá nhỏ"), "{screen}");
    assert!(screen.contains("60×15"));
    insta::assert_snapshot!("too_small_50x12", screen);
    let mut f = f;
    f.app.update(Msg::Resize {
        width: 59,
        height: 30,
    });
    assert!(text(&draw(&f)).contains("quá nhỏ"));
    f.app.update(Msg::Resize {
        width: 60,
        height: 15,
    });
    assert!(!text(&draw(&f)).contains("quá nhỏ"));
}

#[test]
fn english_overdue_filter_and_search() {
    let mut f = fixture(Setup {
        lang: Lang::En,
        width: 100,
        height: 30,
        ..Default::default()
    });
    f.app.update(Action::ToggleOverdue);
    f.app.update(Action::Search);
    f.type_text("bao cao");
    let screen = text(&draw(&f));
    insta::assert_snapshot!("browse_100x30_en_overdue_search", screen);
    assert!(screen.contains("overdue only"));
    assert!(screen.contains("Find: bao cao"));
}

#[test]
fn popups_and_help() {
    let mut f = at("default", 100, 30);
    f.app.update(Action::SetPercent);
    f.type_text("60");
    insta::assert_snapshot!("percent_prompt_100x30", text(&draw(&f)));
    f.app.update(Action::Back);
    f.app.update(Action::EditTask);
    insta::assert_snapshot!("edit_form_100x30", text(&draw(&f)));
    f.app.update(Action::Back);
    f.app.update(Action::Help);
    let screen = text(&draw(&f));
    insta::assert_snapshot!("help_100x30", screen);
    // The help is the keymap's table.
    assert!(screen.contains("Tìm kiếm"));
}

#[test]
fn read_only_banner_is_visible() {
    let f = fixture(Setup {
        read_only: true,
        width: 80,
        height: 24,
        ..Default::default()
    });
    let buf = draw(&f);
    let first = text(&buf).lines().next().unwrap_or_default().to_string();
    assert!(first.contains("CHỈ ĐỌC"), "{first}");
    let banner = Theme::builtin("default").unwrap().style(Semantic::Banner);
    assert_eq!(buf[(2, 0)].bg, banner.bg.unwrap());
    // Editing keys are not offered in the hints.
    let last = text(&buf).lines().last().unwrap_or_default().to_string();
    assert!(!last.contains("tiến độ"), "{last}");
}

/// A cell in the title column of the list's `index`-th row (counted in the whole list).
fn list_cell(f: &Fixture, index: usize) -> (u16, u16) {
    let rows = f.app.layout().unwrap().list_rows_area(f.app.search_line());
    let y = rows.y + (index - f.app.browse.list.cursor.offset) as u16;
    (rows.x + 3, y)
}

#[test]
fn task_states_have_their_colours_in_the_default_theme() {
    let mut f = at("default", 160, 45);
    let theme = Theme::builtin("default").unwrap();
    // Make one task done late and one in progress, away from the selection.
    let ids: Vec<i64> = f.listed()[3..5].iter().map(|t| t.id).collect();
    let mut other = f.other("minh");
    other
        .update_task(
            ids[0],
            None,
            &TaskPatch {
                status: Some(crate::model::Status::Done),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    f.app.update(Msg::Tick);
    let buf = draw(&f);
    let red = theme.style(Semantic::Overdue).fg.unwrap();
    let orange = theme.style(Semantic::DoneLate).fg.unwrap();
    assert_eq!(red, Color::LightRed);
    assert_eq!(orange, Color::Indexed(208));
    // Row 2 of the list (not selected) is an overdue task: its title is red and bold.
    let second = &f.listed()[1];
    assert_eq!(second.display_state(today()), DisplayState::Overdue);
    let (x, y) = list_cell(&f, 1);
    assert_eq!(buf[(x, y)].fg, red);
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    // The task done late is orange.
    let done = f.task(ids[0]);
    assert_eq!(done.display_state(today()), DisplayState::DoneLate);
    let row = f.listed().iter().position(|t| t.id == ids[0]).unwrap();
    let (x, y) = list_cell(&f, row);
    assert_eq!(buf[(x, y)].fg, orange);
    // The selected row has the selection background.
    let (x, y) = list_cell(&f, f.app.browse.list.cursor.selected);
    assert_eq!(buf[(x, y)].bg, theme.style(Semantic::Selected).bg.unwrap());
    // The navigation pane's overdue counts are red too.
    let nav = f.app.layout().unwrap().nav_inner();
    let counts: String = (nav.x..nav.right())
        .map(|x| buf[(x, nav.y + 1)].symbol().to_string())
        .collect();
    let at = counts.find("quá hạn").unwrap();
    let x = nav.x + width(&counts[..at]) as u16;
    assert_eq!(buf[(x, nav.y + 1)].fg, red);
}

#[test]
fn projector_theme_is_bold_and_high_contrast() {
    let f = at("projector", 160, 45);
    let buf = draw(&f);
    let theme = Theme::builtin("projector").unwrap();
    let base = theme.style(Semantic::Base);
    // The background everywhere is the theme's own.
    if let Some(bg) = base.bg {
        assert_eq!(buf[(0, 0)].bg, bg);
    }
    let second = &f.listed()[1];
    assert_eq!(second.display_state(today()), DisplayState::Overdue);
    let (x, y) = list_cell(&f, 1);
    let overdue = theme.style(Semantic::Overdue);
    assert_eq!(buf[(x, y)].fg, overdue.fg.unwrap());
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    // The selected row stands out by its background.
    let (x, y) = list_cell(&f, 0);
    assert_eq!(buf[(x, y)].bg, theme.style(Semantic::Selected).bg.unwrap());
}

#[test]
fn long_vietnamese_titles_are_cut_by_width_and_columns_stay_aligned() {
    let f = at("default", 80, 24);
    let buf = draw(&f);
    let rows = f.app.layout().unwrap().list_rows_area(false);
    // Every task row has its due date starting at the same column.
    let mut columns = Vec::new();
    for y in rows.y..rows.bottom() {
        let line: String = (rows.x..rows.right())
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        // The due date is the last date on the row (a title may contain "I/2026").
        if let Some(i) = line.rfind("/20") {
            let cells = width(&line[..i]);
            columns.push(cells);
        }
        if line.contains('…') {
            assert!(width(&line) <= usize::from(rows.width));
        }
    }
    assert!(columns.len() > 5);
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{columns:?}");
}

#[test]
fn typing_a_search_draws_the_cursor_in_the_box() {
    let mut f = at("default", 80, 24);
    f.app.update(Action::Search);
    f.app.update(Edit::Insert('n'));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| super::render(frame, &f.app)).unwrap();
    let pos = terminal.get_cursor_position().unwrap();
    let rect = f.app.layout().unwrap().list_inner();
    assert_eq!(pos.y, rect.y);
    assert_eq!(pos.x, rect.x + width("Tìm: n") as u16);
}

// ----- docs/TUI.md -----------------------------------------------------------------------

/// `docs/TUI.md` and README.md show the main screen and the key table; both are generated here from the
/// real render and the real keymap, so the document cannot drift from the program. When
/// this fails, `CCHC_UPDATE_DOCS=1 cargo test --lib tui::views` rewrites the two blocks.
#[test]
fn docs_tui_md_shows_the_current_screen_and_keys() {
    let f = fixture(Setup {
        user: "Nguyễn Thị Lan",
        db_label: "/srv/cchc/cchc.sqlite3",
        width: 100,
        height: 30,
        ..Default::default()
    });
    let screen = format!("```text\n{}```\n", text(&draw(&f)));
    let keys = key_tables();
    // The README shows the same screen and keys.
    for file in ["docs/TUI.md", "README.md"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let doc = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            doc.contains("<!-- screen:begin -->"),
            "{file} lacks the screen block"
        );
        let updated = replace_block(&replace_block(&doc, "screen", &screen), "keys", &keys);
        if updated != doc {
            if std::env::var_os("CCHC_UPDATE_DOCS").is_some() {
                std::fs::write(&path, updated).unwrap();
            } else {
                panic!(
                    "{file} is out of date; run `CCHC_UPDATE_DOCS=1 cargo test --lib tui::views`"
                );
            }
        }
    }
}

fn key_tables() -> String {
    super::super::keymap::Keymap::default().markdown_table()
}

/// Replaces what lies between `<!-- NAME:begin -->` and `<!-- NAME:end -->`.
pub(super) fn replace_block(doc: &str, name: &str, body: &str) -> String {
    let begin = format!("<!-- {name}:begin -->\n");
    let end = format!("<!-- {name}:end -->");
    match (doc.find(&begin), doc.find(&end)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{begin}{body}{}", &doc[..b], &doc[e..])
        }
        _ => panic!("docs/TUI.md lacks the {name} markers"),
    }
}

#[test]
fn narrow_lists_drop_columns_but_keep_title_and_percent() {
    for (w, h) in [(60, 15), (64, 20), (72, 20), (80, 24)] {
        let f = at("default", w, h);
        let buf = draw(&f);
        let rows = f.app.layout().unwrap().list_rows_area(false);
        for y in rows.y..rows.bottom() {
            let line: String = (rows.x..rows.right())
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            assert!(line.trim_end().ends_with('%'), "{w}x{h}: {line:?}");
            assert!(
                line.contains("Báo cáo")
                    || line.contains("Xây dựng")
                    || line.contains("Tổng hợp báo cáo"),
                "{w}x{h}: {line:?}"
            );
        }
    }
}

/// The detail pane's text (the rightmost box), its wrapped lines joined by single spaces.
fn detail_pane(screen: &str) -> String {
    let mut words = Vec::new();
    for row in screen.lines() {
        let cells: Vec<&str> = row.split('│').collect();
        if cells.len() >= 3 {
            words.extend(cells[cells.len() - 2].split_whitespace());
        }
    }
    words.join(" ")
}

/// A coordinating agency the plan does not name is marked in the detail pane (issue 14): III.3.5
/// names none of its three, V.10 names the communes but not Văn phòng UBND tỉnh.
#[test]
fn inferred_coordinating_agencies_are_marked_in_the_detail_pane() {
    for (lang, mark) in [(Lang::Vi, "(suy ra)"), (Lang::En, "(inferred)")] {
        let found = |search: &str| {
            let mut f = fixture(Setup {
                lang,
                width: 160,
                height: 45,
                ..Default::default()
            });
            f.app.update(Action::Search);
            f.type_text(search);
            detail_pane(&text(&draw(&f)))
        };
        let pane = found("mot cua lien thong");
        for agency in [
            "Sở Khoa học và Công nghệ (SKHCN)",
            "Các cơ quan Trung ương tại địa phương (CQTW)",
            "UBND các xã, phường (UBNDXP)",
        ] {
            assert!(pane.contains(&format!("{agency} {mark}")), "{pane}");
        }
        let pane = found("thong suot TTHC lien thong");
        assert!(
            pane.contains(&format!("Văn phòng UBND tỉnh (VPUB) {mark}")),
            "{pane}"
        );
        assert!(pane.contains("UBND các xã, phường (UBNDXP)"), "{pane}");
        assert!(
            !pane.contains(&format!("UBND các xã, phường (UBNDXP) {mark}")),
            "{pane}"
        );
        // A named coordinating agency carries no mark.
        let pane = found("phan loai, giao quyen tu chu");
        assert!(pane.contains("Sở Y tế (SYT)"), "{pane}");
        assert!(!pane.contains(mark), "{pane}");
        // A lead the plan does not name (V.1.6's appendix tasks) is marked as assumed.
        let assumed = if lang == Lang::Vi {
            "(giả định)"
        } else {
            "(assumed)"
        };
        let pane = found("V.1.6/SNV");
        assert!(
            pane.contains(&format!("Sở Nội vụ (SNV) {assumed}")),
            "{pane}"
        );
    }
}

/// The hint line reads the keymap: a status key rebound in the config's `[keys]` shows as the
/// new key, and the unbound default is no longer offered.
#[test]
fn status_hints_follow_a_rebound_key() {
    let mut f = at("default", 160, 30);
    let last_line = |f: &Fixture| {
        text(&draw(f))
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let before = last_line(&f);
    assert!(before.contains("s trạng thái"), "{before}");

    let keys: toml::Table = toml::from_str("\"x\" = \"set_status\"\n\"s\" = \"none\"\n").unwrap();
    let (keymap, warnings) = super::super::keymap::Keymap::from_config(&keys);
    assert!(warnings.is_empty(), "{warnings:?}");
    f.app.settings.keymap = keymap;
    let after = last_line(&f);
    assert!(after.contains("x trạng thái"), "{after}");
    assert!(!after.contains("s trạng thái"), "{after}");
}

/// At 80 columns the status bar keeps the date while searching and marking (the file's name
/// gives way, from its start), and the `:` line's candidates stay on the line around the
/// current one.
#[test]
fn the_status_bar_keeps_the_date_and_the_candidates_at_80_columns() {
    let mut f = fixture(Setup {
        width: 80,
        height: 24,
        db_label: "/srv/cchc/du-lieu-to-cong-tac-cai-cach-hanh-chinh.sqlite3",
        ..Default::default()
    });
    f.app.update(Action::MarkVisible);
    f.app.update(Action::Search);
    f.type_text("bao cao quy");
    f.app.update(Action::Confirm);
    let screen = text(&draw(&f));
    let bar = screen.lines().nth(22).unwrap();
    assert!(bar.contains("hôm nay 01/01/2027"), "{bar}");
    assert!(bar.contains("* 422 đang chọn"), "{bar}");
    assert!(bar.contains("…") && bar.contains(".sqlite3"), "{bar}");
    assert!(width(bar) <= 80, "{bar}");

    // `:agency ` and Tab twice: the second of many codes, shown with its neighbours.
    f.app.update(Action::Back);
    f.app.update(Action::CommandLine);
    f.type_text("agency ");
    f.app.update(Action::Complete);
    f.app.update(Action::Complete);
    let screen = text(&draw(&f));
    let line = screen.lines().nth(23).unwrap();
    assert!(width(line) <= 80, "{line}");
    assert!(
        line.contains('[') && line.contains(']'),
        "the current one shows: {line}"
    );
    assert!(line.ends_with('…'), "the rest are counted out: {line}");
    // Far along the list, the current one still shows, the start given up instead.
    for _ in 0..8 {
        f.app.update(Action::Complete);
    }
    let screen = text(&draw(&f));
    let line = screen.lines().nth(23).unwrap();
    assert!(line.contains('[') && line.contains(']'), "{line}");
    assert!(line.contains("   … "), "{line}");
}
