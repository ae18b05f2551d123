//! Issue 24 in a real terminal: the task list as lazygit, k9s and Taskwarrior users drive it.
//! Filter tokens in `/` (and `tasks --search`), Tab completing their values, ctrl-n/ctrl-p,
//! sorting by a column and reversing it, space and ctrl-space marks, `d`, `z`, `/` inside the
//! help, the `#` column at 120×36 in Vietnamese, and `:157` then `o` keeping the first row in
//! view. The screen is read through a vt100 parser; the file through the CLI.

mod common;

use common::pty::*;
use common::*;

const ESC: &str = "\x1b";

/// The id of every task row of the focused list pane (`┃`-framed, `#N` after the marks), top
/// to bottom.
fn row_ids(screen: &str) -> Vec<i64> {
    screen
        .lines()
        .filter_map(|line| {
            let start = line.find('┃')?;
            let end = line.rfind('┃')?;
            let inner = &line[start + '┃'.len_utf8()..end];
            let at = inner.find('#')? + 1;
            let digits: String = inner[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// The list's title line (the pane's top border).
fn title(screen: &str) -> &str {
    screen.lines().find(|l| l.contains('┏')).unwrap_or_default()
}

/// The lead agency of task `id`, from the CLI.
fn lead(sb: &Sandbox, db: &std::path::Path, id: i64) -> String {
    let task = cli_json(
        sb,
        db,
        &["task", "show", &id.to_string(), "--format", "json"],
    );
    task["lead_agency"].as_str().unwrap().to_string()
}

#[test]
fn filter_tokens_narrow_exactly_tab_completes_them_and_ctrl_n_p_step_through_the_hits() {
    let (sb, db) = setup();
    // 120×36 in Vietnamese: the task number shows (the state column is there too).
    let mut tui = Tui::start(&sb, &db, &[], 120, 36);
    let screen = tui.screen();
    let header = screen
        .lines()
        .find(|l| l.contains("Nhiệm vụ") && l.contains("Hạn"))
        .unwrap();
    assert!(header.contains(" # ") || header.contains("#▲"), "{header}");
    assert!(header.contains("Tình trạng"), "{header}");
    assert!(row_ids(&screen).len() > 10, "{screen}");

    tui.send("/agency:STP bao cao");
    let screen = tui.wait_for("STP's reports", |s| {
        title(s).contains("cơ quan STP") && !row_ids(s).is_empty() && !s.contains("đang tìm")
    });
    assert!(
        title(&screen).contains("theo mức khớp"),
        "{}",
        title(&screen)
    );
    let hits = row_ids(&screen);
    assert!(hits.len() >= 3, "{screen}");
    for &id in &hits {
        assert_eq!(lead(&sb, &db, id), "STP", "#{id}");
    }
    // ctrl-n and ctrl-p while still typing: the selection steps through the hits, and what is
    // typed next still goes into the box.
    assert_eq!(selected_id(&screen), hits[0]);
    tui.send("\x0e");
    tui.wait_for("the second hit", |s| selected_id(s) == hits[1]);
    tui.send("\x0e");
    tui.wait_for("the third hit", |s| selected_id(s) == hits[2]);
    tui.send("\x10");
    tui.wait_for("back to the second", |s| selected_id(s) == hits[1]);
    tui.send(" q");
    tui.wait_for("q typed into the box", |s| {
        s.contains("agency:STP bao cao q")
    });
    assert!(
        tui.child.try_wait().unwrap().is_none(),
        "q is text in the box"
    );

    // The CLI reads the same string.
    let cli = cli_json(
        &sb,
        &db,
        &[
            "tasks",
            "--search",
            "agency:STP bao cao",
            "--format",
            "json",
        ],
    );
    let cli_ids: Vec<i64> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(cli_ids.starts_with(&hits[..3]), "{cli_ids:?} vs {hits:?}");
    assert!(
        cli.as_array()
            .unwrap()
            .iter()
            .all(|t| t["lead_agency"] == "STP")
    );

    // Tab completes a filter's value, again for the next; Enter keeps the search.
    tui.send("\x15agency:S\t");
    let first = tui.wait_for("a completed code", |s| {
        s.contains("Tìm: agency:S") && s.contains('[') && !s.contains("Tìm: agency:S ")
    });
    let typed = |s: &str| {
        let line = s.lines().find(|l| l.contains("Tìm: ")).unwrap_or_default();
        line.split("Tìm: ")
            .nth(1)
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let one = typed(&first);
    assert!(
        one.starts_with("agency:S") && one.len() > "agency:S".len(),
        "{first}"
    );
    tui.send("\t");
    let second = tui.wait_for("the next code", |s| {
        typed(s) != one && typed(s).starts_with("agency:S")
    });
    let code = typed(&second).trim_start_matches("agency:").to_string();
    tui.send("\r");
    let screen = tui.wait_for("only that agency", |s| {
        title(s).contains(&format!("cơ quan {code}")) && !s.contains("đang tìm")
    });
    for id in row_ids(&screen) {
        assert_eq!(lead(&sb, &db, id), code, "#{id}");
    }
    assert!(
        !screen.contains('['),
        "the choices go once the box is left:\n{screen}"
    );
    // A word that is no filter is said, and matches nothing rather than everything.
    tui.send(ESC);
    tui.wait_for("the search cleared", |s| !s.contains("Tìm:"));
    tui.send("/agnecy:STP");
    tui.wait_for("the unknown filter named", |s| {
        s.contains("\"agnecy:\"") && s.contains("Không có nhiệm vụ nào khớp")
    });
    tui.send(ESC);
    tui.wait_for("the search cleared", |s| !s.contains("Tìm:"));
    assert!(tui.quit());
}

#[test]
fn columns_sort_and_reverse_marks_range_d_and_zoom() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &[], 120, 36);
    // `<` three times from the due date: the number column (Hạn → Chủ trì → Nhiệm vụ → #).
    let before = selected_id(&tui.screen());
    tui.send("<<<");
    let screen = tui.wait_for("sorted by number", |s| title(s).contains("xếp theo số"));
    // The selected task stays selected through a new order.
    assert_eq!(selected_id(&screen), before);
    assert!(row_ids(&screen).is_sorted(), "{screen}");
    tui.send("g");
    let screen = tui.wait_for("the top", |s| row_ids(s).first() == Some(&1));
    assert!(row_ids(&screen).is_sorted(), "{screen}");
    assert!(
        screen.contains("#▲"),
        "the sorted column is marked:\n{screen}"
    );
    tui.send("R");
    tui.wait_for("reversed", |s| title(s).contains("(ngược)"));
    tui.send("g");
    let screen = tui.wait_for("the top", |s| row_ids(s).first() != Some(&1));
    let reversed = row_ids(&screen);
    let all = cli_json(&sb, &db, &["tasks", "--format", "json"]);
    let max = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .max();
    assert_eq!(reversed.first().copied(), max, "{reversed:?}");
    assert!(reversed.windows(2).all(|w| w[0] > w[1]), "{reversed:?}");
    assert!(screen.contains("#▼"), "{screen}");
    // `>` steps right to the title, read as a reader orders them (case and accents aside).
    tui.send("R>");
    let screen = tui.wait_for("sorted by title", |s| {
        title(s).contains("xếp theo tên nhiệm vụ")
    });
    assert!(screen.contains("Nhiệm vụ▲"), "{screen}");

    // Space marks and moves down; ctrl-space marks from the last mark to here.
    tui.send("g");
    let screen = tui.wait_for("the top", |s| {
        row_ids(s).first().is_some_and(|id| selected_id(s) == *id)
    });
    let rows = row_ids(&screen);
    tui.send(" ");
    tui.wait_for("one marked, on the next row", |s| {
        s.contains("* 1 đang chọn") && selected_id(s) == rows[1]
    });
    tui.send("jj");
    tui.wait_for("the fourth row", |s| selected_id(s) == rows[3]);
    tui.send("\x00");
    tui.wait_for("four marked", |s| s.contains("* 4 đang chọn"));
    // `d` asks once for the marked tasks, as s then Hoàn thành does.
    tui.send("d");
    tui.wait_for("one confirmation", |s| s.contains("Cập nhật 4 nhiệm vụ"));
    tui.send("y");
    tui.wait_for("saved", |s| s.contains("Đã lưu 4 nhiệm vụ"));
    for &id in &rows[..4] {
        let task = cli_json(
            &sb,
            &db,
            &["task", "show", &id.to_string(), "--format", "json"],
        );
        assert_eq!(task["status"], "done", "#{id}");
    }
    // One task without marks: done at once.
    tui.send("j");
    let screen = tui.wait_for("the fifth row", |s| selected_id(s) == rows[4]);
    let id = selected_id(&screen);
    tui.send("d");
    tui.wait_for("saved", |s| s.contains(&format!("Đã lưu #{id}")));
    let task = cli_json(
        &sb,
        &db,
        &["task", "show", &id.to_string(), "--format", "json"],
    );
    assert_eq!(task["status"], "done");

    // `z`: the detail pane alone over the task screen, and back.
    tui.send("z");
    let zoomed = tui.wait_for("the zoomed detail", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains(&format!("Chi tiết #{id}")))
    });
    // No navigation pane ("Tất cả" is its first entry) and no list.
    assert!(
        !zoomed.contains("Tất cả") && !zoomed.contains('▶'),
        "{zoomed}"
    );
    tui.send("z");
    tui.wait_for("the three panes", |s| {
        s.contains("Tất cả") && s.contains("Chi tiết #")
    });
    assert!(tui.quit());
}

#[test]
fn help_finds_a_key_and_colon_number_then_o_keeps_the_first_row_in_view() {
    let (sb, db) = setup();
    let mut tui = Tui::start(&sb, &db, &[], 100, 30);
    tui.send("?/sap xep");
    let screen = tui.wait_for("the help narrowed", |s| s.contains("Tìm: sap xep"));
    assert!(screen.contains("Đảo chiều sắp xếp"), "{screen}");
    assert!(
        screen.contains(":sort"),
        "commands are listed too:\n{screen}"
    );
    assert!(!screen.contains("Thêm ghi chú"), "{screen}");
    tui.send(&format!("\r{ESC}"));
    tui.wait_for("the whole help again", |s| {
        s.contains("Thêm ghi chú") || s.contains("Lên một dòng")
    });
    tui.send(ESC);
    tui.wait_for("the help closed", |s| !s.contains("Trợ giúp: phím tắt"));

    // `:N` then `o`, N the second overdue task (issue 24 met it with #157): the first overdue
    // task stays in view above it.
    let overdue = cli_json(&sb, &db, &["tasks", "--overdue", "--format", "json"]);
    let mut order: Vec<(String, i64)> = overdue
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["due"].as_str().unwrap().to_string(),
                t["id"].as_i64().unwrap(),
            )
        })
        .collect();
    order.sort();
    let target = order[1].1;
    tui.send(&format!(":{target}\r"));
    let screen = tui.wait_for("the task", |s| selected_id(s) == target);
    assert_eq!(
        row_ids(&screen).first().copied(),
        Some(order[0].1),
        "{screen}"
    );
    tui.send("o");
    let screen = tui.wait_for("overdue only", |s| {
        title(s).contains("chỉ quá hạn") && selected_id(s) == target
    });
    let shown = row_ids(&screen);
    assert_eq!(
        shown.first().copied(),
        Some(order[0].1),
        "the first row shows:\n{screen}"
    );
    assert_eq!(shown.get(1).copied(), Some(target), "{screen}");
    assert!(tui.quit());
}
