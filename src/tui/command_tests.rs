//! The `:` command line's parsing and completion, without a terminal.

use super::*;
use crate::model::AgencyKind;

fn cmd(action: Action, arg: Option<&str>) -> Result<Command, ParseError> {
    Ok(Command {
        action,
        arg: arg.map(String::from),
    })
}

fn areas() -> Vec<Area> {
    [
        (
            "chi-dao",
            "Công tác chỉ đạo, điều hành",
            "Direction and management",
        ),
        ("the-che", "Cải cách thể chế", "Institutional reform"),
        (
            "tthc",
            "Cải cách thủ tục hành chính",
            "Administrative procedure reform",
        ),
        ("cong-vu", "Cải cách chế độ công vụ", "Civil service reform"),
    ]
    .into_iter()
    .map(|(code, vi, en)| Area {
        code: code.into(),
        name_vi: vi.into(),
        name_en: en.into(),
    })
    .collect()
}

fn agencies() -> Vec<Agency> {
    [
        ("SNV", "Sở Nội vụ"),
        ("STP", "Sở Tư pháp"),
        ("STC", "Sở Tài chính"),
        ("VPUB", "Văn phòng UBND tỉnh"),
    ]
    .into_iter()
    .map(|(code, name)| Agency {
        code: code.into(),
        name: name.into(),
        kind: AgencyKind::Department,
    })
    .collect()
}

fn sources() -> Sources {
    Sources::new(
        &areas(),
        &agencies(),
        vec!["default".into(), "light".into(), "projector".into()],
        vec!["mine".into(), "snv-overdue".into()],
    )
}

#[test]
fn numbers_go_to_tasks() {
    assert_eq!(parse("157"), cmd(Action::GotoTask, Some("157")));
    assert_eq!(parse(":#157"), cmd(Action::GotoTask, Some("157")));
    assert_eq!(parse("  #157  "), cmd(Action::GotoTask, Some("157")));
    assert_eq!(parse("goto #9"), cmd(Action::GotoTask, Some("9")));
    assert_eq!(parse("g 9"), cmd(Action::GotoTask, Some("9")));
    assert!(matches!(parse("157x"), Err(ParseError::BadTaskNumber(_))));
    assert!(matches!(parse("# 1"), Err(ParseError::BadTaskNumber(_))));
    assert!(matches!(
        parse("157 158"),
        Err(ParseError::BadTaskNumber(_))
    ));
    assert!(matches!(parse("goto x"), Err(ParseError::BadTaskNumber(_))));
    assert!(matches!(
        parse("99999999999999999999999"),
        Err(ParseError::BadTaskNumber(_))
    ));
}

#[test]
fn names_arguments_and_prefixes() {
    assert_eq!(parse("area tthc"), cmd(Action::FilterArea, Some("tthc")));
    assert_eq!(parse("area"), cmd(Action::FilterArea, None));
    assert_eq!(
        parse("agency  Sở Nội vụ "),
        cmd(Action::FilterAgency, Some("Sở Nội vụ"))
    );
    assert_eq!(parse("overdue"), cmd(Action::ToggleOverdue, None));
    assert_eq!(parse("OV"), cmd(Action::ToggleOverdue, None));
    assert_eq!(parse("sort due"), cmd(Action::CycleSort, Some("due")));
    assert_eq!(parse("sort"), cmd(Action::CycleSort, None));
    assert_eq!(
        parse("theme projector"),
        cmd(Action::SetTheme, Some("projector"))
    );
    assert_eq!(parse("q"), cmd(Action::Quit, None));
    assert_eq!(parse("quit"), cmd(Action::Quit, None));
    assert_eq!(parse("help"), cmd(Action::Help, None));
    assert_eq!(parse("save snv"), cmd(Action::SaveView, Some("snv")));
    assert_eq!(parse("view snv"), cmd(Action::OpenView, Some("snv")));
    assert_eq!(parse(""), Err(ParseError::Empty));
    assert_eq!(parse(":  "), Err(ParseError::Empty));
    assert_eq!(parse("frob"), Err(ParseError::Unknown("frob".into())));
    assert_eq!(
        parse("a tthc"),
        Err(ParseError::Ambiguous("a".into(), vec!["area", "agency"]))
    );
    assert_eq!(
        parse("overdue now"),
        Err(ParseError::UnexpectedArg("overdue"))
    );
    assert_eq!(
        parse("theme"),
        Err(ParseError::MissingArg("theme", Arg::Theme))
    );
    assert_eq!(
        parse("save"),
        Err(ParseError::MissingArg("save", Arg::NewView))
    );
}

#[test]
fn every_message_is_one_line_and_says_what_to_do() {
    let errors = [
        parse("frob\u{1b}[2J").unwrap_err(),
        parse("a x").unwrap_err(),
        parse("overdue x").unwrap_err(),
        parse("theme").unwrap_err(),
        parse("15x").unwrap_err(),
    ];
    for e in errors {
        for lang in [Lang::Vi, Lang::En] {
            let m = e.message(lang);
            assert!(
                !m.is_empty() && !m.contains('\n') && !m.contains('\u{1b}'),
                "{m:?}"
            );
        }
    }
    assert!(
        parse("frob")
            .unwrap_err()
            .message(Lang::En)
            .contains(":help")
    );
    assert!(
        parse("a")
            .unwrap_err()
            .message(Lang::En)
            .contains(":area, :agency")
    );
}

#[test]
fn command_names_come_from_the_action_table() {
    let names: Vec<&str> = commands().map(|(n, _)| n).collect();
    for name in [
        "overdue", "sort", "area", "agency", "goto", "theme", "save", "view", "quit", "help",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    // Each name once, and each resolves to its own action.
    for (name, action) in commands() {
        assert_eq!(names.iter().filter(|n| **n == name).count(), 1);
        assert_eq!(lookup(name).map(|f| f.1), Ok(action));
    }
}

#[test]
fn tab_completes_names_then_arguments() {
    let s = sources();
    assert_eq!(complete("ov", &s), ["overdue"]);
    assert_eq!(complete("a", &s), ["area ", "agency "]);
    assert_eq!(complete("th", &s), ["theme "]);
    assert_eq!(complete("theme p", &s), ["theme projector"]);
    assert_eq!(complete("theme ", &s).len(), 3);
    assert_eq!(
        complete("agency S", &s),
        ["agency SNV", "agency STP", "agency STC"]
    );
    assert_eq!(complete("agency st", &s), ["agency STP", "agency STC"]);
    // Area: its code, or the start of its name in either language, diacritics optional.
    assert_eq!(complete("area tt", &s), ["area tthc"]);
    assert_eq!(complete("area cai cach thu", &s), ["area tthc"]);
    assert_eq!(complete("area civil", &s), ["area cong-vu"]);
    assert_eq!(
        complete("sort ", &s),
        [
            "sort due",
            "sort area",
            "sort agency",
            "sort state",
            "sort late",
            "sort progress",
            "sort title",
            "sort id"
        ]
    );
    assert_eq!(complete("sort st", &s), ["sort state"]);
    assert_eq!(complete("view ", &s), ["view mine", "view snv-overdue"]);
    assert_eq!(complete("save sn", &s), ["save snv-overdue"]);
    // A prefix of a name completes its argument too; nothing for unknown names or numbers.
    assert_eq!(complete("ag VP", &s), ["agency VPUB"]);
    assert!(complete("frob x", &s).is_empty());
    assert!(complete("goto 1", &s).is_empty());
    assert!(complete("overdue x", &s).is_empty());
}

#[test]
fn areas_and_agencies_resolve_by_code_or_name() {
    let (ar, ag) = (areas(), agencies());
    assert_eq!(resolve_area("TTHC", &ar, Lang::Vi), Ok("tthc".into()));
    assert_eq!(
        resolve_area("cải cách thủ", &ar, Lang::Vi),
        Ok("tthc".into())
    );
    assert_eq!(
        resolve_area("cong tac", &ar, Lang::Vi),
        Ok("chi-dao".into())
    );
    let e = resolve_area("cai cach", &ar, Lang::En).unwrap_err();
    assert!(
        e.contains("several") && e.contains("the-che, tthc, cong-vu"),
        "{e}"
    );
    let e = resolve_area("xyz", &ar, Lang::En).unwrap_err();
    assert!(e.contains("chi-dao, the-che, tthc, cong-vu"), "{e}");
    assert_eq!(resolve_agency("stp", &ag, Lang::Vi), Ok("STP".into()));
    assert_eq!(resolve_agency("so noi", &ag, Lang::Vi), Ok("SNV".into()));
    assert_eq!(resolve_agency("VP", &ag, Lang::Vi), Ok("VPUB".into()));
    let e = resolve_agency("S", &ag, Lang::En).unwrap_err();
    assert!(e.contains("several"), "{e}");
    assert!(
        resolve_agency("nope", &ag, Lang::En)
            .unwrap_err()
            .contains("No agency")
    );
}
