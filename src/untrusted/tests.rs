use super::*;

#[test]
fn escapes_terminal_attacks_on_one_line() {
    let title = "A\u{1b}]52;c;aGFja2Vk\u{7}B\u{1b}[2J";
    assert_eq!(line(title), "A\\u{1b}]52;c;aGFja2Vk\\u{7}B\\u{1b}[2J");
    assert_eq!(line("x\u{202e}y"), "x\\u{202e}y");
    assert_eq!(line("a\r\nb\nc\td"), "a b c d");
    assert_eq!(line("Sở Nội vụ"), "Sở Nội vụ");
    assert!(matches!(line("plain"), Cow::Borrowed(_)));
}

#[test]
fn block_keeps_line_breaks_and_escapes_the_rest() {
    assert_eq!(block("a\r\nb\n\tc\u{9b}"), "a\nb\n\tc\\u{9b}");
}

#[test]
fn cells_that_would_be_evaluated_become_text() {
    for f in [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "-2+3",
        "\tx",
        "\rx",
    ] {
        assert!(cell(f).starts_with('\''), "{f:?}");
    }
    assert_eq!(cell("Báo cáo = 3"), "Báo cáo = 3");
}

#[test]
fn names_are_refused_not_escaped() {
    assert_eq!(name("member", "  lan "), Ok("lan".into()));
    assert!(matches!(
        name("member", "la\u{200b}n"),
        Err(InputError::Unsafe { .. })
    ));
    assert!(matches!(
        name("member", "a\nb"),
        Err(InputError::Unsafe { .. })
    ));
    assert!(matches!(name("member", " "), Err(InputError::Empty { .. })));
    let long = "x".repeat(MAX_NAME + 1);
    assert!(matches!(
        name("member", &long),
        Err(InputError::TooLong { len: 101, .. })
    ));
    // NFC: a decomposed name is stored composed.
    assert_eq!(name("agency", "Nô\u{323}i vụ"), Ok("Nội vụ".into()));
}

#[test]
fn lengths_and_clips() {
    assert!(check_len("title", &"a".repeat(MAX_TITLE), MAX_TITLE).is_ok());
    assert!(check_len("title", &"ạ".repeat(MAX_TITLE + 1), MAX_TITLE).is_err());
    assert_eq!(clip("abcdef", 3), "abc…");
    assert_eq!(clip("abc", 3), "abc");
}

proptest::proptest! {
    #[test]
    fn line_never_emits_an_unsafe_character(s in proptest::prelude::any::<String>()) {
        proptest::prop_assert!(!line(&s).chars().any(is_unsafe));
    }

    #[test]
    fn block_emits_only_newline_and_tab_of_the_unsafe(s in proptest::prelude::any::<String>()) {
        proptest::prop_assert!(!block(&s).chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t'));
    }

    #[test]
    fn cell_is_never_a_formula(s in proptest::prelude::any::<String>()) {
        let c = cell(&s);
        proptest::prop_assert!(!is_formula_like(&c));
        proptest::prop_assert!(!c.chars().any(is_unsafe));
    }
}
