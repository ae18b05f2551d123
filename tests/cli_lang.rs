//! The command line speaks the user's language (issue 12): `--help` of every command and the
//! refusals of clap follow `--lang`/`CCHC_LANG`, Vietnamese by default, and every option says
//! what it is for. The real binary.

mod common;

use std::process::Output;

use common::*;

fn cchc(sb: &Sandbox, args: &[&str]) -> Output {
    sb.cchc().args(args).output().expect("run cchc")
}

/// The options and arguments a help text lists, each with its description: a line starting
/// with `-` or `<` (after the indent), the description after two spaces on the same line or,
/// in clap's long form, on the lines under it.
fn described(help: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = help.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if !(l.starts_with("  ") && (t.starts_with('-') || t.starts_with('<'))) {
            continue;
        }
        let (flag, rest) = match t.find("  ") {
            Some(at) => (&t[..at], t[at..].trim()),
            None => (t, ""),
        };
        let description = if rest.is_empty() {
            lines.get(i + 1).map(|n| n.trim()).unwrap_or("")
        } else {
            rest
        };
        out.push((flag.to_string(), description.to_string()));
    }
    out
}

/// Runs `args` and checks that every listed option has a description and that `expect` are
/// all listed; returns the help.
fn help(sb: &Sandbox, args: &[&str], expect: &[&str]) -> String {
    let out = cchc(sb, args);
    assert_success(&out);
    let text = stdout(&out);
    let options = described(&text);
    assert!(options.len() >= expect.len(), "{args:?}: {text}");
    for (flag, description) in &options {
        assert!(
            !description.is_empty(),
            "{args:?}: {flag} has no description\n{text}"
        );
    }
    for e in expect {
        assert!(
            options.iter().any(|(f, _)| f.contains(e)),
            "{args:?}: {e} is not listed\n{text}"
        );
    }
    text
}

const GLOBAL: &[&str] = &[
    "--db",
    "--user",
    "--today",
    "--lang",
    "--read-only",
    "--theme",
    "--network-share",
    "--color",
    "--help",
];
const TASKS: &[&str] = &[
    "--area",
    "--agency",
    "--status",
    "--overdue",
    "--due-before",
    "--search",
    "--format",
    "--excel",
];

#[test]
fn help_is_vietnamese_by_default_and_describes_every_option() {
    let sb = Sandbox::new();
    let top = help(&sb, &["--help"], GLOBAL);
    assert!(top.contains("Cách dùng:") && top.contains("Lệnh:"), "{top}");
    assert!(top.contains("Ngôn ngữ giao diện"), "{top}");
    // clap's English words are not left over.
    for english in ["Usage:", "Options:", "Commands:", "Print help", "[default:"] {
        assert!(!top.contains(english), "{english}\n{top}");
    }
    let tasks = help(&sb, &["tasks", "--help"], &[TASKS, GLOBAL].concat());
    assert!(tasks.contains("Liệt kê nhiệm vụ"), "{tasks}");
    // The status values and the format's values and default are listed, in Vietnamese.
    assert!(
        tasks.contains("not-started") && tasks.contains("blocked"),
        "{tasks}"
    );
    assert!(
        tasks.contains("[giá trị: table, json, csv] [mặc định: table]"),
        "{tasks}"
    );
    help(
        &sb,
        &["task", "set", "--help"],
        &["<ID>", "--status", "--progress", "--due", "--note"],
    );
    help(&sb, &["log", "--help"], &["--limit", "--task"]);
    help(&sb, &["backup", "--help"], &["<FILE>"]);
    help(&sb, &["import", "--help"], &["<FILE>", "--dry-run"]);
}

#[test]
fn help_is_english_with_lang_en_or_cchc_lang() {
    let sb = Sandbox::new();
    let top = help(&sb, &["--help", "--lang", "en"], GLOBAL);
    assert!(
        top.contains("Usage:") && !top.contains("Cách dùng"),
        "{top}"
    );
    let tasks = help(
        &sb,
        &["tasks", "--help", "--lang=en"],
        &[TASKS, GLOBAL].concat(),
    );
    assert!(tasks.contains("List tasks"), "{tasks}");
    assert!(
        tasks.contains("not-started, in-progress, done or blocked"),
        "{tasks}"
    );
    let out = sb
        .cchc()
        .env("CCHC_LANG", "en")
        .args(["task", "set", "--help"])
        .output()
        .unwrap();
    assert_success(&out);
    let text = stdout(&out);
    for (flag, description) in described(&text) {
        assert!(!description.is_empty(), "{flag}\n{text}");
    }
    assert!(text.contains("Percent done"), "{text}");
    // --lang on the command line wins over CCHC_LANG.
    let out = sb
        .cchc()
        .env("CCHC_LANG", "en")
        .args(["tasks", "--help", "--lang", "vi"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("Liệt kê nhiệm vụ"),
        "{}",
        stdout(&out)
    );
}

/// A refusal of the command line: exit 2, one line on stderr, nothing on stdout.
fn refusal(sb: &Sandbox, args: &[&str]) -> String {
    let out = cchc(sb, args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    err
}

#[test]
fn an_unknown_argument_is_one_line_in_the_users_language() {
    let sb = Sandbox::new();
    let vi = refusal(&sb, &["tasks", "--overdu", "--lang", "vi"]);
    assert!(
        vi.contains("không có đối số '--overdu'")
            && vi.contains("ý bạn là '--overdue'")
            && vi.contains("`cchc tasks --help`"),
        "{vi}"
    );
    let en = refusal(&sb, &["tasks", "--overdu", "--lang", "en"]);
    assert!(
        en.contains("unexpected argument '--overdu'")
            && en.contains("did you mean '--overdue'")
            && en.contains("`cchc tasks --help`"),
        "{en}"
    );
    // The default is Vietnamese.
    let default = refusal(&sb, &["task", "set", "1", "--bogus"]);
    assert!(
        default.contains("'--bogus'") && default.contains("`cchc task set --help`"),
        "{default}"
    );
}

#[test]
fn bad_values_and_subcommands_are_refused_in_the_users_language() {
    let sb = Sandbox::new();
    let status = refusal(&sb, &["tasks", "--status", "xong"]);
    assert!(
        status.contains("'xong'")
            && status.contains("--status")
            && status.contains("không phải trạng thái")
            && status.contains("not-started, in-progress, done hoặc blocked"),
        "{status}"
    );
    let status = refusal(&sb, &["tasks", "--status", "xong", "--lang", "en"]);
    assert!(status.contains("is not a status"), "{status}");
    let format = refusal(&sb, &["tasks", "--format", "xml"]);
    assert!(
        format.contains("'xml'") && format.contains("table, json, csv"),
        "{format}"
    );
    let progress = refusal(&sb, &["task", "set", "1", "--progress", "120"]);
    assert!(progress.contains("từ 0 đến 100"), "{progress}");
    let sub = refusal(&sb, &["taks"]);
    assert!(
        sub.contains("không có lệnh 'taks'") && sub.contains("tasks"),
        "{sub}"
    );
    let sub = refusal(&sb, &["taks", "--lang", "en"]);
    assert!(sub.contains("unrecognized subcommand 'taks'"), "{sub}");
    let missing = refusal(&sb, &["sheet"]);
    assert!(missing.contains("thiếu đối số bắt buộc"), "{missing}");
    let lang = refusal(&sb, &["tasks", "--lang", "fr"]);
    assert!(lang.contains("'fr'") && lang.contains("vi, en"), "{lang}");
}

#[test]
fn the_clis_own_refusals_follow_the_language_too() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let before = common::engine::snapshot(&db);
    // Exit 1 for what the file refuses, 2 for a command line that cannot be done as given.
    let refused_with = |code: i32, args: &[&str]| {
        let out = sb.cchc().args(args).arg("--db").arg(&db).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        err
    };
    let refused = |args: &[&str]| refused_with(1, args);
    let usage = |args: &[&str]| refused_with(2, args);
    let vi = refused(&["tasks", "--area", "dat-dai"]);
    assert!(vi.contains("không có lĩnh vực \"dat-dai\""), "{vi}");
    let en = refused(&["tasks", "--area", "dat-dai", "--lang", "en"]);
    assert!(en.contains("unknown area \"dat-dai\""), "{en}");
    let en = refused(&["tasks", "--agency", "Sở Không Có", "--lang", "en"]);
    assert!(en.contains("no agency matches"), "{en}");
    let vi = usage(&["task", "set", "1"]);
    assert!(vi.contains("không có gì để đổi"), "{vi}");
    let vi = usage(&["tasks", "--excel"]);
    assert!(vi.contains("dùng kèm --format csv"), "{vi}");
    let en = usage(&["export", "--excel", "--format", "json", "--lang", "en"]);
    assert!(en.contains("give it with --format csv"), "{en}");
    let en = usage(&[
        "report", "--period", "2026-Q3", "--format", "docx", "--lang", "en",
    ]);
    assert!(en.contains("add --output"), "{en}");
    assert_eq!(
        common::engine::snapshot(&db),
        before,
        "the file was changed"
    );
}

/// `text` without its SGR escapes (the bold and underline clap gives a terminal).
fn without_styles(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The width of a line in terminal cells (Vietnamese letters are one cell each).
fn cells(line: &str) -> usize {
    line.chars().count()
}

/// `--help` wraps to the terminal (or `COLUMNS`), at spaces: no line over the width, and the
/// same words in the same order as when nothing needs wrapping, so no word is broken.
#[test]
fn help_wraps_to_80_columns_without_breaking_a_word_in_either_language() {
    let sb = Sandbox::new();
    let words = |text: &str| -> Vec<String> { text.split_whitespace().map(String::from).collect() };
    let help = |args: &[&str], columns: &str| -> String {
        let out = sb
            .cchc()
            .env("COLUMNS", columns)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for args in [
        &["--help"][..],
        &["--lang", "en", "--help"],
        &["--lang", "vi", "tasks", "--help"],
        &["--lang", "en", "tasks", "--help"],
        &["--lang", "vi", "meet", "--help"],
    ] {
        let narrow = help(args, "80");
        let wide = help(args, "1000");
        for line in narrow.lines() {
            assert!(cells(line) <= 80, "{args:?}: {} cells: {line}", cells(line));
        }
        assert!(
            wide.lines().any(|l| cells(l) > 80),
            "{args:?}: nothing to wrap"
        );
        assert_eq!(words(&narrow), words(&wide), "{args:?}: a word was broken");
    }
    // In a real terminal 80 columns wide, without COLUMNS: its own width.
    let home = sb.path("home");
    std::fs::create_dir_all(&home).unwrap();
    let db = sb.path("none.sqlite3");
    let shown = common::pty::run_to_end(&home, &db, 80, &["--lang", "vi", "tasks", "--help"], &[]);
    let shown = without_styles(&shown);
    assert!(shown.contains("Cách dùng: cchc tasks"), "{shown}");
    for line in shown.lines() {
        let line = line.trim_end_matches('\r');
        assert!(cells(line) <= 80, "{} cells: {line}", cells(line));
    }
    assert_eq!(
        words(&shown),
        words(&help(&["--lang", "vi", "tasks", "--help"], "1000"))
    );
}
