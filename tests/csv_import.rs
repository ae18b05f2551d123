//! CSV the way Vietnamese Excel saves it, through the real binary: `;` and tab delimiters,
//! UTF-16 with a BOM, Windows-1258 with combining tone marks, dd/mm/yyyy dates; refusals that
//! name the offset, the column or both rows, and leave the database byte for byte as it was;
//! and `--excel` CSV out, read back with an independent CSV reader and with LibreOffice.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn import(sb: &Sandbox, db: &Path, file: &Path, extra: &[&str]) -> std::process::Output {
    sb.cchc()
        .arg("import")
        .args(extra)
        .arg("--db")
        .arg(db)
        .arg(file)
        .output()
        .unwrap()
}

fn write(sb: &Sandbox, name: &str, bytes: &[u8]) -> PathBuf {
    let p = sb.path(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The task the rows below create, as `cchc tasks` lists it.
fn task_by_title(sb: &Sandbox, db: &Path, title: &str) -> serde_json::Value {
    let all = json(
        &sb.cchc()
            .args(["tasks", "--format", "json", "--search", title, "--db"])
            .arg(db)
            .output()
            .unwrap(),
    );
    all.as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == title)
        .unwrap_or_else(|| panic!("no task {title:?} in {all}"))
        .clone()
}

const ROWS: &str = "plan_ref;area;lead_agency;title;due;status;progress\n\
                    X.1;tthc;Sở Nội vụ;Rà soát thủ tục đất đai;31/12/2026;in-progress;40\n\
                    X.2;the-che;STP;Kiểm tra văn bản;2027-03-15;;\n";

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut b = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        b.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    b
}

/// Text as Windows writes it in code page 1258: the base letter with its circumflex, breve or
/// horn precomposed, the tone mark after it as a combining character.
fn windows_1258(s: &str) -> Vec<u8> {
    use unicode_normalization::char::{compose, decompose_canonical};
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = String::new();
    for c in s.chars() {
        let mut parts = Vec::new();
        decompose_canonical(c, |d| parts.push(d));
        let mut base = parts[0];
        let mut tones = String::new();
        for &m in &parts[1..] {
            if TONES.contains(&m) {
                tones.push(m);
            } else {
                base = compose(base, m).unwrap_or(base);
            }
        }
        out.push(base);
        out.push_str(&tones);
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&out);
    assert!(!unmappable, "{s:?} is not Windows-1258 text");
    bytes.into_owned()
}

fn assert_imported(sb: &Sandbox, db: &Path, out: &std::process::Output, found: &str) {
    assert_success(out);
    let err = stderr(out);
    assert!(err.contains(found), "expected {found:?} on stderr: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let t = task_by_title(sb, db, "Rà soát thủ tục đất đai");
    assert_eq!(t["lead_agency"], "SNV");
    assert_eq!(t["due"], "2026-12-31");
    assert_eq!(t["progress"], 40);
    let t = task_by_title(sb, db, "Kiểm tra văn bản");
    assert_eq!(t["due"], "2027-03-15");
}

#[test]
fn semicolons_and_vietnamese_dates() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let file = write(&sb, "excel.csv", ROWS.as_bytes());
    let out = import(&sb, &db, &file, &[]);
    assert_imported(&sb, &db, &out, "đọc tệp: UTF-8, dấu phân cách ';'");
}

#[test]
fn utf8_with_bom_and_commas_said_in_english() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(ROWS.replace(';', ",").as_bytes());
    let file = write(&sb, "bom.csv", &bytes);
    let out = import(&sb, &db, &file, &["--lang", "en"]);
    assert_imported(
        &sb,
        &db,
        &out,
        "reading the file: UTF-8 (BOM), delimiter ','",
    );
}

#[test]
fn utf16le_unicode_text_with_tabs() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    // Excel's "Unicode Text (*.txt)": UTF-16LE with a BOM, tab-separated, CRLF.
    let text = ROWS.replace(';', "\t").replace('\n', "\r\n");
    let file = write(&sb, "unicode.txt", &utf16(&text, true));
    let out = import(&sb, &db, &file, &[]);
    assert_imported(&sb, &db, &out, "đọc tệp: UTF-16LE, dấu phân cách tab");
}

#[test]
fn utf16be_with_bom() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let file = write(&sb, "be.csv", &utf16(ROWS, false));
    let out = import(&sb, &db, &file, &[]);
    assert_imported(&sb, &db, &out, "đọc tệp: UTF-16BE, dấu phân cách ';'");
}

#[test]
fn windows_1258_with_combining_tone_marks_is_stored_nfc() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let bytes = windows_1258(&ROWS.replace(';', ","));
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "not UTF-8 by accident"
    );
    let file = write(&sb, "ansi.csv", &bytes);
    let out = import(&sb, &db, &file, &[]);
    assert_imported(&sb, &db, &out, "đọc tệp: Windows-1258, dấu phân cách ','");
    // NFC in the file: the title matches the precomposed spelling exactly.
    assert_eq!(
        sql_count(
            &db,
            "SELECT count(*) FROM tasks WHERE title = 'Rà soát thủ tục đất đai'"
        ),
        1
    );
}

/// Each refusal: exit 1, the message, and the database file byte for byte as it was.
fn assert_refused(sb: &Sandbox, db: &Path, file: &Path, says: &[&str]) {
    let before = common::engine::snapshot(db);
    let out = import(sb, db, file, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for s in says {
        assert!(err.contains(s), "expected {s:?} in: {err}");
    }
    assert_eq!(common::engine::snapshot(db), before, "the database changed");
}

#[test]
fn an_undecodable_file_is_refused_with_the_offset_and_the_encodings_tried() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let mut bytes = b"area,lead_agency,title,due\ntthc,SNV,".to_vec();
    let offset = bytes.len();
    bytes.extend(b"\x81\x00\x01garbage,2026-12-31\n");
    let file = write(&sb, "binary.csv", &bytes);
    assert_refused(
        &sb,
        &db,
        &file,
        &[
            &format!("byte offset {offset}"),
            "tried UTF-8, Windows-1258",
            "binary.csv",
        ],
    );
    // A UTF-16 file cut in the middle of a character.
    let mut cut = utf16(ROWS, true);
    cut.pop();
    let file = write(&sb, "cut.csv", &cut);
    assert_refused(&sb, &db, &file, &["byte offset", "tried UTF-16LE"]);
}

#[test]
fn an_unknown_column_is_refused_with_the_closest_name() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let file = write(
        &sb,
        "typo.csv",
        "plan_rf,area,lead_agency,title,due\nX.1,tthc,SNV,A,2026-12-31\n".as_bytes(),
    );
    assert_refused(
        &sb,
        &db,
        &file,
        &["plan_rf", "did you mean plan_ref?", "row 1"],
    );
}

#[test]
fn a_duplicate_plan_ref_is_refused_naming_both_rows() {
    let sb = Sandbox::new();
    let db = sb.init_db("a.sqlite3");
    let file = write(
        &sb,
        "dup.csv",
        "plan_ref;area;lead_agency;title;due\n\
         X.1;tthc;SNV;A;31/12/2026\n\
         X.2;tthc;SNV;B;31/12/2026\n\
         X.1;tthc;SNV;C;31/12/2026\n"
            .as_bytes(),
    );
    assert_refused(&sb, &db, &file, &["row 4", "rows 2 and 4", "X.1"]);
}

fn excel_csv(sb: &Sandbox, db: &Path, args: &[&str]) -> Vec<u8> {
    let out = sb
        .cchc()
        .args(args)
        .args(["--today", "2027-01-01", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert_success(&out);
    out.stdout
}

/// A database with a task whose title is a formula, done late, and the seeded plan.
fn db_with_formula(sb: &Sandbox) -> PathBuf {
    let db = sb.init_db("x.sqlite3");
    let out = sb
        .cchc()
        .args([
            "task",
            "add",
            "--area",
            "tthc",
            "--agency",
            "SNV",
            "--title",
            "=HYPERLINK(\"http://x\",\"y\")",
            "--due",
            "2026-06-30",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    db
}

fn read_csv(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(bytes);
    r.records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn excel_csv_has_a_bom_vietnamese_headers_dates_states_and_inert_formulas() {
    let sb = Sandbox::new();
    let db = db_with_formula(&sb);
    let file = sb.path("cchc.csv");
    let out = sb
        .cchc()
        .args([
            "export",
            "--format",
            "csv",
            "--excel",
            "--today",
            "2027-01-01",
            "-o",
        ])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no UTF-8 BOM");
    let rows = read_csv(&bytes[3..], b';');
    assert_eq!(
        rows[0][..8],
        [
            "Mã số",
            "Mục kế hoạch",
            "Lĩnh vực",
            "Cơ quan chủ trì",
            "Nhiệm vụ",
            "Hạn",
            "Hạn giả định",
            "Trạng thái"
        ]
    );
    let formula = rows
        .iter()
        .find(|r| r[4].contains("HYPERLINK"))
        .expect("the formula task");
    assert_eq!(formula[4], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(formula[5], "30/06/2026");
    assert_eq!(formula[7], "Quá hạn");
    assert_eq!(formula[3], "Sở Nội vụ");
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[5].len() == 10 && r[5].as_bytes()[2] == b'/')
    );

    // The same from `cchc tasks`, in English: commas, English headers and states.
    let en = excel_csv(
        &sb,
        &db,
        &[
            "tasks",
            "--format",
            "csv",
            "--excel",
            "--lang",
            "en",
            "--search",
            "HYPERLINK",
        ],
    );
    assert!(en.starts_with(b"\xEF\xBB\xBF"));
    let rows = read_csv(&en[3..], b',');
    assert_eq!(rows[0][4], "Task");
    assert_eq!(rows[0][7], "State");
    let formula = rows.iter().find(|r| r[4].contains("HYPERLINK")).unwrap();
    assert_eq!(formula[7], "Overdue");
    assert!(formula[4].starts_with('\''));

    // The plain CSV for scripts is as it was.
    let plain = excel_csv(&sb, &db, &["export", "--format", "csv"]);
    assert!(plain.starts_with(b"id,plan_ref,area,lead_agency,title,due,"));
    let refused = sb
        .cchc()
        .args(["export", "--format", "json", "--excel", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "a usage error");
    assert!(stderr(&refused).contains("--format csv"));
}

/// LibreOffice opens the --excel file as a Vietnamese Excel would (`;`, UTF-8) and the formula
/// title stays text: openpyxl, reading what LibreOffice saved, finds no formula cell.
#[test]
fn libreoffice_keeps_the_formula_title_inert() {
    let sb = Sandbox::new();
    let db = db_with_formula(&sb);
    let file = sb.path("cchc.csv");
    std::fs::write(
        &file,
        excel_csv(
            &sb,
            &db,
            &[
                "tasks",
                "--format",
                "csv",
                "--excel",
                "--search",
                "HYPERLINK",
            ],
        ),
    )
    .unwrap();
    let outdir = sb.path("lo");
    let profile = format!("file://{}", sb.path("lo-profile").display());
    let out = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--infilter=CSV:59,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(&outdir)
        .arg(&file)
        .output()
        .expect("soffice (CI installs libreoffice-calc-nogui)");
    assert_success(&out);
    let script = r#"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
header = [c.value for c in ws[1]]
assert header[4] == "Nhiệm vụ", header
cells = [row[4] for row in ws.iter_rows(min_row=2)]
assert cells, "no rows"
for c in cells:
    assert c.data_type != "f", (c.value, c.data_type)
    assert "HYPERLINK" in str(c.value), c.value
print("ok", len(cells))
"#;
    let check = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(outdir.join("cchc.xlsx"))
        .output()
        .expect("python3 with openpyxl (CI installs it)");
    assert_success(&check);
    assert!(stdout(&check).starts_with("ok 1"), "{}", stdout(&check));
}

/// Rows without a plan reference are the tasks with their lead agency, title and due date: the
/// same file imported twice adds nothing, a later copy of it updates in place, and a file that
/// names one task twice is refused naming both rows.
#[test]
fn the_same_csv_twice_changes_nothing_the_second_time() {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let count = || {
        json(
            &sb.cchc()
                .args(["tasks", "--format", "json", "--db"])
                .arg(&db)
                .output()
                .unwrap(),
        )
        .as_array()
        .unwrap()
        .len()
    };
    let rows = "area;lead_agency;title;due;progress;coordinating\n\
                tthc;Sở Nội vụ;Số hoá hồ sơ một cửa;31/12/2026;10;UBND các xã, phường\n\
                the-che;STP;Rà soát văn bản của tỉnh;30/11/2026;;\n";
    let file = write(&sb, "viec-moi.csv", rows.as_bytes());
    let before = count();
    assert_success(&import(&sb, &db, &file, &[]));
    assert_eq!(count(), before + 2);
    let out = import(&sb, &db, &file, &[]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("0 nhiệm vụ mới, 0 cập nhật, 2 không đổi"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count(), before + 2, "the second import added tasks");
    let t = task_by_title(&sb, &db, "Số hoá hồ sơ một cửa");
    assert_eq!(t["coordinating"], serde_json::json!(["UBNDXP"]));
    // A later copy with a new figure updates the same task.
    let later = write(
        &sb,
        "viec-moi-2.csv",
        rows.replace(";10;", ";60;").as_bytes(),
    );
    let out = import(&sb, &db, &later, &[]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("0 nhiệm vụ mới, 1 cập nhật"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count(), before + 2);
    assert_eq!(
        task_by_title(&sb, &db, "Số hoá hồ sơ một cửa")["progress"],
        60
    );
    // One task twice in a file is refused, naming both rows.
    let twice = format!("{rows}tthc;SNV;Số hoá hồ sơ một cửa;2026-12-31;;\n");
    let file = write(&sb, "hai-lan.csv", twice.as_bytes());
    assert_refused(&sb, &db, &file, &["rows 2 and 4 name the same task"]);
}

/// What `--excel` writes (names, words, dd/mm/yyyy, the apostrophe before a formula) imports
/// back as it was: into the same file it changes nothing; into a fresh one it gives every
/// task the same state, in either language.
#[test]
fn the_excel_csv_imports_back() {
    let sb = Sandbox::new();
    let db = db_with_formula(&sb);
    let run = |db: &Path, args: &[&str]| {
        let out = sb.cchc().args(args).arg("--db").arg(db).output().unwrap();
        assert_success(&out);
        out
    };
    let ids: Vec<String> = json(&run(&db, &["tasks", "--agency", "SNV", "--format", "json"]))
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|t| t["id"].to_string())
        .collect();
    run(
        &db,
        &[
            "task",
            "set",
            &ids[0],
            "--status",
            "done",
            "--completed-on",
            "2026-10-01",
        ],
    );
    run(
        &db,
        &[
            "task",
            "set",
            &ids[1],
            "--status",
            "blocked",
            "--progress",
            "30",
        ],
    );
    run(&db, &["task", "set", &ids[2], "--progress", "55"]);
    run(
        &db,
        &[
            "task",
            "add",
            "--area",
            "tthc",
            "--agency",
            "SNV",
            "--title",
            "Việc có phối hợp",
            "--due",
            "2026-12-31",
            "--coordinating",
            "STP,UBNDXP",
        ],
    );
    let state = |db: &Path| -> Vec<serde_json::Value> {
        let mut all: Vec<serde_json::Value> = json(&run(db, &["tasks", "--format", "json"]))
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                serde_json::json!([
                    t["plan_ref"],
                    t["title"],
                    t["area"],
                    t["lead_agency"],
                    t["coordinating"],
                    t["due"],
                    t["due_assumed"],
                    t["status"],
                    t["progress"],
                    t["completed_on"],
                    t["output"],
                    t["recurrence"]
                ])
            })
            .collect();
        // Plan references of created tasks name the file they were made in.
        for t in &mut all {
            if t[0].as_str().is_some_and(|r| !r.contains('.')) {
                t[0] = serde_json::Value::Null;
            }
        }
        all.sort_by_key(|t| t.to_string());
        all
    };
    let want = state(&db);
    for lang in ["vi", "en"] {
        let file = sb.path(&format!("excel-{lang}.csv"));
        run(
            &db,
            &[
                "export",
                "--format",
                "csv",
                "--excel",
                "--lang",
                lang,
                "-o",
                &file.display().to_string(),
            ],
        );
        // Into the same file: nothing changes.
        let out = import(&sb, &db, &file, &[]);
        assert_success(&out);
        assert!(stdout(&out).contains(" 0 "), "{}", stdout(&out));
        assert_eq!(
            state(&db),
            want,
            "{lang}: importing the export changed the file"
        );
        // Into a fresh file: the same tasks in the same states.
        let fresh = sb.init_db(&format!("fresh-{lang}.sqlite3"));
        assert_success(&import(&sb, &fresh, &file, &[]));
        assert_eq!(state(&fresh), want, "{lang}");
    }
}
