use super::*;

const PLAIN: Style = Style {
    colour: false,
    width: 120,
};

fn titles(n: usize) -> Table {
    let mut t = Table::new(["ID", "Chủ trì", "Nhiệm vụ"]).right(0).shrink(2);
    for i in 0..n {
        t.row(
            vec![
                i.to_string(),
                "Sở Nội vụ".into(),
                format!("Đẩy mạnh cải cách thủ tục hành chính {i} ").repeat(4),
            ],
            None,
        );
    }
    t
}

#[test]
fn fits_the_width_by_cutting_the_title_first() {
    let t = titles(3);
    for width in [80, 60, 40] {
        let s = t.render(Style {
            colour: false,
            width,
        });
        for l in s.lines().skip(1) {
            assert_eq!(l.width(), width, "{width}: {l:?}");
            assert!(l.ends_with('…'), "{l}");
            // The agency is whole: only the title gave way.
            assert!(l.contains("Sở Nội vụ  Đẩy"), "{l}");
        }
    }
}

#[test]
fn a_table_that_fits_is_not_cut() {
    let mut t = Table::new(["Mã", "Lĩnh vực"]).shrink(1);
    t.row(
        vec!["TTHC".into(), "Cải cách thủ tục hành chính".into()],
        None,
    );
    let s = t.render(Style {
        colour: false,
        width: 40,
    });
    assert!(s.contains("Cải cách thủ tục hành chính\n"), "{s}");
    assert!(!s.contains('…'));
}

#[test]
fn other_text_columns_give_way_when_the_title_is_at_its_floor() {
    let mut t = Table::new(["Người", "Thay đổi"]).shrink(1);
    t.row(
        vec!["Nguyễn Thị Hồng Nhung".repeat(3), "x".repeat(50)],
        None,
    );
    let s = t.render(Style {
        colour: false,
        width: 30,
    });
    for l in s.lines() {
        assert!(l.width() <= 30, "{l:?}");
    }
    let row = s.lines().nth(1).unwrap_or_default();
    assert_eq!(row.width(), 30, "{row:?}");
}

#[test]
fn colour_wraps_each_row_and_costs_no_width() {
    let mut t = titles(1);
    t.row(
        vec!["9".into(), "VPUB".into(), "x".into()],
        Some(colour::RED),
    );
    let s = t.render(Style {
        colour: true,
        width: 50,
    });
    let red = s.lines().last().unwrap_or_default();
    assert!(
        red.starts_with(colour::RED) && red.ends_with(colour::RESET),
        "{red:?}"
    );
    let long = s.lines().nth(1).unwrap_or_default();
    assert_eq!(long.width(), 50, "{long:?}");
}

#[test]
fn aligns_vietnamese_by_columns_not_bytes() {
    let mut t = Table::new(["Cơ quan", "Số"]).right(1);
    t.row(vec!["Sở Nội vụ".into(), "12".into()], None);
    t.row(vec!["VPUB".into(), "3".into()], None);
    let s = t.render(PLAIN);
    let lines: Vec<&str> = s.lines().collect();
    let w: Vec<usize> = lines.iter().map(|l| l.width()).collect();
    assert_eq!(w[1], w[2], "{s}");
    assert!(lines[2].ends_with(" 3"));
}

#[test]
fn cells_cannot_reach_the_terminal_raw_nor_break_a_row() {
    let mut t = Table::new(["Nhiệm vụ\x1b[2J", "Số"]);
    t.row(
        vec![
            "A\x1b]52;c;aGFja2Vk\x07B\nforged  row\u{202e}".into(),
            "\u{9b}1".into(),
        ],
        None,
    );
    let s = t.render(PLAIN);
    assert_eq!(s.lines().count(), 2, "{s}");
    assert!(
        !s.chars()
            .any(|c| c != '\n' && crate::untrusted::is_unsafe(c)),
        "{s:?}"
    );
    assert!(s.contains("\\u{1b}]52") && s.contains("\\u{202e}"), "{s}");
}

#[test]
fn truncates_by_width() {
    assert_eq!(truncate("Đẩy mạnh cải cách", 8), "Đẩy mạn…");
    assert_eq!(truncate("ngắn", 8), "ngắn");
}
