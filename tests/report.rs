//! The periodic report (issue 21): the seeded plan plus a fixed set of measurements and
//! progress, reported for the regime's periods at fixed dates — the Markdown against golden
//! files, the JSON's figures, the as-of rule, the texts people write, the charts beside a
//! Markdown file — and the .docx of a whole province (the seed and 73 agencies registered with
//! `agency import`) read back by python-docx and printed by LibreOffice, whose body must stay
//! within 7 pages. `UPDATE_GOLDEN=1 cargo test --test report` rewrites the golden files and the
//! pictures in docs/.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// "Today" of the golden reports: after quý III's cut-off (14/09/2026).
const TODAY: &str = "2026-10-05";

fn prepared(sb: &Sandbox) -> PathBuf {
    let db = sb.init_db("report.sqlite3");
    let run = |args: &[&str]| {
        assert_success(&sb.cchc().args(args).arg("--db").arg(&db).output().unwrap())
    };
    for (code, value, date, source) in [
        (
            "tthc-dvctt-toan-trinh",
            "82",
            "2026-06-30",
            "Cổng Dịch vụ công quốc gia",
        ),
        (
            "tthc-dvctt-toan-trinh",
            "88.5",
            "2026-09-10",
            "Cổng Dịch vụ công quốc gia",
        ),
        (
            "tthc-ket-qua-dien-tu",
            "100",
            "2026-09-10",
            "Hệ thống thông tin giải quyết TTHC tỉnh",
        ),
        ("tthc-hai-long-dvctt", "70", "2026-09-01", "khảo sát SIPAS"),
        (
            "chinh-quyen-so-quan-tri-du-lieu",
            "2",
            "2026-08-01",
            "Sở Khoa học và Công nghệ",
        ),
        (
            "bo-may-giam-bien-che-su-nghiep",
            "21500",
            "2025-12-31",
            "Sở Nội vụ",
        ),
        (
            "bo-may-giam-bien-che-su-nghiep",
            "21000",
            "2026-09-10",
            "Sở Nội vụ",
        ),
    ] {
        run(&[
            "indicator",
            "record",
            code,
            value,
            "--date",
            date,
            "--source",
            source,
        ]);
    }
    // Done on time, done late, in progress, and one completed after quý III's cut-off (not
    // yet done then), each completion date given by hand (a write never takes --today). Ids of
    // the seed: 4 is III.1.2/SNV/2026, 175 V.1.5/SNV/2026-Q3, 5 III.1.2/SNV/2027, 195
    // V.1.5/VPUB/2026-Q3, 215 V.1.5/STP/2026-Q3.
    for args in [
        &[
            "task",
            "set",
            "4",
            "--status",
            "done",
            "--completed-on",
            "2026-04-20",
        ][..],
        &[
            "task",
            "set",
            "175",
            "--status",
            "done",
            "--completed-on",
            "2026-09-12",
        ],
        &["task", "set", "5", "--progress", "40"],
        &[
            "task",
            "set",
            "195",
            "--status",
            "done",
            "--completed-on",
            "2026-09-20",
        ],
        &[
            "task",
            "set",
            "215",
            "--status",
            "done",
            "--completed-on",
            "2026-09-14",
        ],
    ] {
        run(args);
    }
    db
}

fn normalise(report: &str) -> String {
    // The change-log head hash depends on the wall-clock time of each entry.
    report
        .lines()
        .map(|l| match l.find('`') {
            Some(i) if l.contains("#") && l.ends_with('`') => format!("{}`<hash>`", &l[..i]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn report(sb: &Sandbox, db: &Path, args: &[&str]) -> std::process::Output {
    sb.cchc()
        .current_dir(sb.dir.path())
        .arg("report")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

fn golden(name: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "report differs from {name}; rerun with UPDATE_GOLDEN=1 and review the diff\n{got}"
    );
}

#[test]
fn the_report_of_quy_iii_matches_the_golden_files() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    for (lang, name) in [
        ("vi", "tests/golden/report-2026-Q3.vi.md"),
        ("en", "tests/golden/report-2026-Q3.en.md"),
    ] {
        let out = report(
            &sb,
            &db,
            &["--period", "2026-Q3", "--today", TODAY, "--lang", lang],
        );
        assert_success(&out);
        golden(name, &normalise(&stdout(&out)));
        // On stdout there is nowhere to put the charts: the Markdown says how to get them.
        assert!(stdout(&out).contains("--output"));
    }
    let pngs = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("png".as_ref()))
        .count();
    assert_eq!(pngs, 0, "a report on stdout wrote pictures");
}

#[test]
fn the_figures_count_the_periods_due_tasks_and_its_routine_duties_once() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let file = sb.path("r.json");
    // The old spelling, --quarter 2026Q3, names the same period.
    let out = sb
        .cchc()
        .args(["report", "--quarter", "2026Q3", "--today", TODAY])
        .args(["--format", "json", "--output"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let v =
        unwrap_envelope(serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap());
    assert_eq!(v["period"], "2026-Q3");
    assert_eq!(
        (v["start"].as_str(), v["end"].as_str()),
        (Some("2026-06-15"), Some("2026-09-14"))
    );
    assert_eq!(v["as_of"], "2026-09-14");
    assert_eq!(v["preliminary"], false);
    // Quý III's window: the half-year's reports (15/06, 18/06, 20/06), the budget estimates
    // (20/07) and quý III's reports, 15/09 and later, not due by the cut-off.
    let due = &v["due"];
    assert_eq!(due["due"].as_u64().unwrap(), 8 + 1 + 1 + 12);
    assert_eq!(due["done_on_time"], 0);
    assert_eq!(due["not_done"], due["due"]);
    // Quý III's own reports fall due on 15/09, after its cut-off: they are next period's work
    // (one duty over the 8 bodies), even those already done.
    let chi_dao = &v["areas"][0];
    assert_eq!(chi_dao["code"], "chi-dao");
    let q1 = chi_dao["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "V.1.5/2026-Q1")
        .expect("quý I's reports, still overdue, are one duty");
    assert_eq!(
        (q1["agencies"].as_u64(), q1["counts"]["not_done"].as_u64()),
        (Some(8), Some(8))
    );
    assert_eq!(q1["overdue"].as_array().unwrap().len(), 8);
    assert!(
        chi_dao["duties"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["key"] != "V.1.5/2026-Q3")
    );
    let q3 = v["next_period"]["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "V.1.5/2026-Q3")
        .expect("quý III's reports are due next period");
    assert_eq!(q3["agencies"], 8);
    // The year to date, beside quý III: from 15/12/2025, with III.1.2's plan done on time.
    let ytd = &v["year_to_date"];
    assert_eq!(ytd["start"], "2025-12-15");
    assert_eq!(ytd["due"]["done_on_time"], 1);
    // The previous period is the half-year, as of its own cut-off.
    assert_eq!(v["previous"]["period"], "2026-H1");
    assert_eq!(v["previous"]["as_of"], "2026-06-14");
    // The overdue rows of a routine duty name it; Sở Nội vụ's own aggregate reports do not.
    let snv = &v["overdue_by_agency"][0];
    assert_eq!(snv["name"], "Sở Nội vụ");
    let duties: Vec<&str> = snv["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["duty"].as_str())
        .collect();
    assert!(duties.contains(&"V.1.5/2026-Q1") && duties.contains(&"V.1.5/2026-Q2"));
    assert!(
        snv["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["duty"].is_null())
    );
    // Section IV: the year's own days, from the day after the cut-off.
    let next = &v["next_period"];
    assert_eq!(next["period"], "2026");
    assert_eq!(
        (next["start"].as_str(), next["end"].as_str()),
        (Some("2026-09-15"), Some("2026-12-14"))
    );
    for d in next["duties"].as_array().unwrap() {
        let due = d["due"].as_str().unwrap();
        assert!(("2026-09-15"..="2026-12-14").contains(&due), "{d}");
    }
    // Phụ lục I: each agency once, with what it owes in the period.
    let agencies = v["agencies_in_period"].as_array().unwrap();
    assert!(agencies.iter().any(|a| a["code"] == "UBNDXP"));
    let codes: std::collections::BTreeSet<_> =
        agencies.iter().map(|a| a["code"].as_str()).collect();
    assert_eq!(codes.len(), agencies.len());
    // No texts in the config: none invented.
    assert!(v["texts"]["assessment"].is_null() && v["texts"]["proposals"].is_null());

    let bad = report(&sb, &db, &["--period", "2026Q5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("2026-Q1"), "{}", stderr(&bad));
}

/// Issue 21's first "done when": on 07/12/2026 the year's report stands on that day, marked
/// preliminary, and counts nothing due after it as overdue; the half-year's is titled and
/// windowed as the regime says.
#[test]
fn figures_stand_on_a_day_that_has_come_and_are_marked_preliminary_before_the_cut_off() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let today = "2026-12-07";
    let v = json(&report(
        &sb,
        &db,
        &["--period", "2026", "--today", today, "--format", "json"],
    ));
    assert_eq!(v["as_of"], today);
    assert_eq!(v["preliminary"], true);
    let mut overdue = 0;
    for area in v["areas"].as_array().unwrap() {
        for t in area["overdue"].as_array().unwrap() {
            assert!(t["due"].as_str().unwrap() < today, "{t}");
            assert!(t["days_late"].as_i64().unwrap() > 0, "{t}");
            overdue += 1;
        }
    }
    assert_eq!(overdue as u64, v["tasks"]["overdue"].as_u64().unwrap());
    // The yearly reports are due 15/12: not overdue, not even due, on 07/12.
    assert!(
        v["overdue_by_agency"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["tasks"].as_array().unwrap())
            .all(|t| t["duty"] != "V.1.5/2026-Q4")
    );
    assert!(v["due"]["due"].as_u64().unwrap() > 0);

    let md = stdout(&report(&sb, &db, &["--period", "2026", "--today", today]));
    assert!(
        md.contains("số liệu tính đến ngày 07/12/2026 (số liệu sơ bộ)"),
        "{md}"
    );
    assert!(md.contains(
        "\n_(Số liệu sơ bộ, tính đến ngày 07/12/2026 (kỳ báo cáo kết thúc ngày 14/12/2026))_\n"
    ));
    assert!(!md.contains("14/12/2026 (số liệu") && !md.contains("31/12/2026; số liệu"));

    let h1 = stdout(&report(
        &sb,
        &db,
        &["--period", "2026-H1", "--today", today],
    ));
    assert!(
        h1.starts_with(
            "# Báo cáo — Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026\n"
        ),
        "{h1}"
    );
    assert!(h1.contains(
        "Kỳ báo cáo: từ ngày 15/12/2025 đến ngày 14/06/2026; số liệu tính đến ngày 14/06/2026."
    ));
    assert!(!h1.contains("sơ bộ"));
    // On the cut-off day itself the figures are still preliminary.
    let on_the_day = json(&report(
        &sb,
        &db,
        &[
            "--period",
            "2026-H1",
            "--today",
            "2026-06-14",
            "--format",
            "json",
        ],
    ));
    assert_eq!(on_the_day["preliminary"], true);
}

/// The assessment, causes and proposals come from `[report.texts]` or the Markdown file
/// `texts_file` names (one per period with `{period}`); absent, a marked placeholder.
#[test]
fn the_texts_people_write_come_from_the_config_or_its_file_and_are_never_invented() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let md = stdout(&report(
        &sb,
        &db,
        &["--period", "2026-Q3", "--today", TODAY],
    ));
    for placeholder in [
        "> **[Chưa có nội dung: đánh giá chung",
        "> **[Chưa có nội dung: nguyên nhân",
        "> **[Chưa có nội dung: đề xuất, kiến nghị",
    ] {
        assert!(md.contains(placeholder), "{placeholder}");
    }

    std::fs::create_dir_all(sb.path("texts")).unwrap();
    let config = sb.path("config.toml");
    std::fs::write(
        &config,
        "[report]\ntexts_file = \"texts/{period}.md\"\n\n[report.texts]\nproposals = \"\"\"\nĐề nghị bố trí kinh phí\ncho cấp xã.\n\"\"\"\ncauses = \"Từ bảng, bị tệp thay.\"\n",
    )
    .unwrap();
    // The period's file does not exist yet: the table's text, placeholders elsewhere, a note.
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .args(["report", "--period", "2026-Q3", "--today", TODAY, "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(
        stderr(&out).contains("texts/2026-Q3.md"),
        "{}",
        stderr(&out)
    );
    let md = stdout(&out);
    assert!(md.contains("Đề nghị bố trí kinh phí cho cấp xã."));
    assert!(md.contains("Từ bảng, bị tệp thay."));
    assert!(md.contains("[Chưa có nội dung: đánh giá chung"));

    std::fs::write(
        sb.path("texts/2026-Q3.md"),
        "# Đánh giá chung\nCác cơ quan đã chủ động.\n\n# Nguyên nhân\n- Thiếu nhân lực;\n- phần mềm chưa liên thông.\n\n# Lời cảm ơn\nKhông thuộc phần nào.\n",
    )
    .unwrap();
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .args(["report", "--period", "2026-Q3", "--today", TODAY, "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(
        stderr(&out).contains("line 8") && stderr(&out).contains("Lời cảm ơn"),
        "{}",
        stderr(&out)
    );
    let md = stdout(&out);
    assert!(!md.contains("[Chưa có nội dung"), "{md}");
    assert!(md.contains("Các cơ quan đã chủ động."));
    assert!(md.contains("- Thiếu nhân lực;\n- phần mềm chưa liên thông.\n"));
    assert!(!md.contains("Từ bảng") && !md.contains("Không thuộc phần nào"));
    let v = json(
        &sb.cchc()
            .env("CCHC_CONFIG", &config)
            .args(["report", "--period", "2026-Q3", "--today", TODAY])
            .args(["--format", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(
        v["texts"]["proposals"],
        "Đề nghị bố trí kinh phí cho cấp xã."
    );

    // A file far larger than a report's words is a wrong path: refused in one line.
    std::fs::write(sb.path("texts/2026-Q3.md"), "# Đánh giá\n".repeat(200_000)).unwrap();
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .args(["report", "--period", "2026-Q3", "--today", TODAY, "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("larger than 1 MB"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
    assert!(stdout(&out).is_empty());
}

/// A Markdown report written to a file gets its two charts beside it, linked by name, the same
/// pictures the .docx holds.
#[test]
fn a_markdown_file_links_its_charts_written_beside_it() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    std::fs::create_dir_all(sb.path("out")).unwrap();
    let file = sb.path("out/bao-cao-q3.md");
    let out = sb
        .cchc()
        .args([
            "report", "--period", "2026-Q3", "--today", TODAY, "--output",
        ])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let md = std::fs::read_to_string(&file).unwrap();
    for (n, caption) in [(1, "Biểu đồ 1."), (2, "Biểu đồ 2.")] {
        let name = format!("bao-cao-q3-bieu-do-{n}.png");
        assert!(md.contains(&format!("]({name})")), "{md}");
        assert!(md.contains(&format!("![{caption}")));
        let png = std::fs::read(sb.path("out").join(&name)).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000);
        // Width 960 pixels, at 150 dots per inch (pHYs): 6.4 inches, the page's text width.
        assert_eq!(&png[16..20], &960u32.to_be_bytes());
    }
}

/// The letterhead and signer the .docx tests give in the config file.
const REPORT_CONFIG: &str = r#"
[report]
number = "125"
signer_authority = "KT. GIÁM ĐỐC"
signer_position = "PHÓ GIÁM ĐỐC"
signer_name = "Nguyễn Văn B"
"#;

/// `cchc report --format docx` into `name`, with REPORT_CONFIG as the config file.
fn docx_report(sb: &Sandbox, db: &Path, name: &str, period: &str, today: &str) -> PathBuf {
    let config = sb.path("config.toml");
    std::fs::write(&config, REPORT_CONFIG).unwrap();
    let file = sb.path(name);
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .args(["report", "--period", period, "--today", today])
        .args(["--format", "docx", "--output"])
        .arg(&file)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    file
}

fn document_xml(docx: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn docx_report_is_a_word_document_with_the_letterhead() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let file = docx_report(&sb, &db, "bao-cao.docx", "2026-Q3", TODAY);
    let xml = document_xml(&file);
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 125/BC-SNV",
        "Kính gửi: ",
        "Ủy ban nhân dân tỉnh Lạng Sơn.",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn B",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "Phụ lục I",
        "(Kèm theo Báo cáo số 125/BC-SNV ngày 05 tháng 10 năm 2026)",
        "TTHC có đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình",
        "88,5%, 10/09/2026 (Cổng Dịch vụ công quốc gia)",
        "Mã kiểm chứng nhật ký thay đổi",
        r#"w:pgSz w:w="11906" w:h="16838""#,
        "Times New Roman",
        "<w:tblHeader />",
        "<w:titlePg />",
    ] {
        assert!(xml.contains(needle), "document.xml lacks {needle:?}");
    }
    // Names, never internal codes or row ids.
    for code in [
        "tthc-dvctt-toan-trinh",
        "bo-may-giam-bien-che-su-nghiep",
        "V.1.5/",
        "#158",
    ] {
        assert!(!xml.contains(code), "document.xml shows {code:?}");
    }
    // Deflated: the pictures and XML take far less than docx-rs's stored parts.
    let zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    assert!(
        zip.decompressed_size().unwrap_or(u128::MAX)
            > 2 * std::fs::metadata(&file).unwrap().len() as u128
    );
}

#[test]
fn docx_report_needs_a_file_and_bad_config_only_warns() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let out = report(&sb, &db, &["--period", "2026-Q3", "--format", "docx"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());

    let config = sb.path("bad.toml");
    std::fs::write(&config, "[report]\nsigner_name = 3\n").unwrap();
    let file = sb.path("r.docx");
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .args(["report", "--period", "2026-Q3", "--format", "docx", "-o"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(stderr(&out).contains("line 2") && stderr(&out).contains("report.signer_name"));
    // The defaults: a draft for Sở Nội vụ, its number left for the văn thư.
    let xml = document_xml(&file);
    assert!(xml.contains("Số: …/BC-SNV") && xml.contains("ngày … tháng … năm"));
    assert!(xml.contains("(Kèm theo Báo cáo số …/BC-SNV ngày … tháng … năm"));

    // --lang en turns the body into English; the letterhead stays Vietnamese.
    let out = sb
        .cchc()
        .args(["report", "--period", "2026-Q3", "--format", "docx"])
        .args(["--lang", "en", "-o"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let xml = document_xml(&file);
    for needle in [
        "I. DIRECTION AND MANAGEMENT",
        "III. OVERALL ASSESSMENT",
        "IV. PRIORITIES FOR THE NEXT PERIOD",
    ] {
        assert!(xml.contains(needle), "{needle}");
    }
    assert!(xml.contains("Kính gửi: ") && xml.contains("Nơi nhận:"));
    assert!(!xml.contains("I. CÔNG TÁC CHỈ ĐẠO"));
}

/// A title and an agency name written straight into the file (as anyone who can write it
/// could) reach the report only through the one sanitising rule: escape sequences and bidi
/// overrides are shown escaped in Markdown and in the .docx (where a raw control character
/// would also make the XML unreadable).
#[test]
fn stored_text_reaches_every_report_escaped() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    // Task 193 is VPUB's report of quý I, overdue by quý III: it shows up as a duty, whose
    // title is the first agency's (SNV's, 173).
    common::engine::execute(
        &db,
        "UPDATE tasks SET title = 'Báo cáo \u{1b}[31mđỏ\u{202e}ngược' WHERE id = 173",
    )
    .unwrap();
    common::engine::execute(
        &db,
        "UPDATE agencies SET name = 'Sở Nội vụ\u{7}' WHERE name = 'Sở Nội vụ'",
    )
    .unwrap();
    let out = report(&sb, &db, &["--period", "2026-Q3", "--today", TODAY]);
    assert_success(&out);
    let md = stdout(&out);
    assert!(md.contains("Báo cáo \\u{1b}[31mđỏ\\u{202e}ngược"), "{md}");
    assert!(md.contains("Sở Nội vụ\\u{7}"));
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}') && !md.contains('\u{7}'));

    let xml = document_xml(&docx_report(&sb, &db, "hostile.docx", "2026-Q3", TODAY));
    assert!(xml.contains("Báo cáo \\u{1b}[31mđỏ\\u{202e}ngược"));
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{202e}') && !xml.contains('\u{7}'));
}

/// python-docx and LibreOffice on the year's report of a whole province: the seed's bodies and
/// the 65 communes and 8 departments of tests/data/lang-son-agencies.csv, registered with
/// `agency import` on 05/01/2026, some of them reporting, on 07/12/2026. The body (up to
/// "Phụ lục I") prints on at most 7 pages, page 2 and on carry their number at the top, the
/// appendix's header row repeats on each of its pages.
#[test]
fn a_provinces_report_prints_within_seven_pages_and_reads_back_in_python_docx() {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/office/check_docx.py");
    let have = std::process::Command::new("python3")
        .args(["-c", "import docx"])
        .output();
    assert!(
        have.is_ok_and(|o| o.status.success()),
        "python-docx is missing: install it (pip install python-docx) to run this test"
    );
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let agencies = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/lang-son-agencies.csv");
    let out = sb
        .cchc()
        .args(["agency", "import", "--today", "2026-01-05", "--db"])
        .arg(&db)
        .arg(&agencies)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(
        sql_count(&db, "SELECT count(*) FROM agencies WHERE kind = 'commune'"),
        66,
        "the group and 65 communes"
    );
    // Half the communes sent their quý I report on time, a few plans were made.
    let done = |sql: &str, on: &str| {
        for id in common::engine::texts(&db, sql) {
            assert_success(
                &sb.cchc()
                    .args(["task", "set", &id, "--status", "done", "--completed-on", on])
                    .arg("--db")
                    .arg(&db)
                    .output()
                    .unwrap(),
            );
        }
    };
    done(
        "SELECT CAST(id AS TEXT) FROM tasks WHERE plan_ref LIKE 'V.1.5/X%/2026-Q1' AND withdrawn_on IS NULL ORDER BY id LIMIT 30",
        "2026-03-10",
    );
    done(
        "SELECT CAST(id AS TEXT) FROM tasks WHERE plan_ref LIKE 'V.1.1b/%/2026' AND withdrawn_on IS NULL ORDER BY id LIMIT 20",
        "2026-05-05",
    );

    let file = docx_report(&sb, &db, "bao-cao-2026.docx", "2026", "2026-12-07");
    let out = std::process::Command::new("python3")
        .arg(&python)
        .arg(&file)
        .args([
            "Số: 125/BC-SNV",
            "UBND TỈNH LẠNG SƠN",
            "SỞ NỘI VỤ",
            "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.",
            "PHÓ GIÁM ĐỐC",
            "Nguyễn Văn B",
            "Kết quả thực hiện công tác cải cách hành chính năm 2026",
            "(Số liệu sơ bộ, tính đến ngày 07/12/2026 (kỳ báo cáo kết thúc ngày 14/12/2026))",
            "UBND xã Chi Lăng",
            "(Kèm theo Báo cáo số 125/BC-SNV ngày 07 tháng 12 năm 2026)",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "check_docx.py found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // LibreOffice prints it.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        sb.path("lo-profile").display()
    );
    let out = std::process::Command::new("timeout")
        .arg("300")
        .arg("soffice")
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(sb.path("pdf"))
        .arg(&file)
        .env("HOME", sb.path("home"))
        .output()
        .expect("soffice (LibreOffice Writer) must be installed: apt-get install libreoffice-writer-nogui");
    let pdf = sb.path("pdf/bao-cao-2026.pdf");
    assert!(
        out.status.success() && pdf.exists(),
        "soffice failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo must be installed: apt-get install poppler-utils");
    let count: usize = stdout(&info)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    let pages: Vec<String> = (1..=count)
        .map(|n| {
            let out = std::process::Command::new("pdftotext")
                .args(["-layout", "-f", &n.to_string(), "-l", &n.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext must be installed: apt-get install poppler-utils");
            assert!(out.status.success());
            stdout(&out)
        })
        .collect();
    let first_line = |t: &str| {
        t.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let appendix = pages
        .iter()
        .position(|t| first_line(t) == "Phụ lục I")
        .expect("Phụ lục I starts a page");
    assert!(
        (4..=7).contains(&appendix),
        "the body takes {appendix} pages, more than 7"
    );
    // The number at the top centre from page 2, none on page 1; the appendix numbered anew.
    assert!(
        first_line(&pages[0]).starts_with("UBND TỈNH LẠNG SƠN"),
        "{}",
        pages[0]
    );
    for (i, text) in pages[1..appendix].iter().enumerate() {
        assert_eq!(first_line(text), (i + 2).to_string(), "page {}", i + 2);
    }
    assert_eq!(first_line(&pages[appendix + 1]), "2");
    // The five sections, in order, in the printed body.
    let body = pages[..appendix].join("\n");
    let mut at = 0;
    for title in [
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ] {
        let found = body[at..]
            .find(title)
            .unwrap_or_else(|| panic!("{title} missing or out of order"));
        at += found + title.len();
    }
    // Phụ lục I runs over several pages, each starting with the table's header row.
    let continued: Vec<&String> = pages[appendix + 1..]
        .iter()
        .take_while(|t| !t.contains("Phụ lục II"))
        .collect();
    assert!(!continued.is_empty(), "Phụ lục I fits one page");
    for text in continued {
        let top: String = text.lines().take(6).collect::<Vec<_>>().join(" ");
        assert!(
            top.contains("Cơ quan, đơn vị"),
            "no header row at the top: {top}"
        );
    }
    let chart_page = pages
        .iter()
        .position(|t| t.contains("Biểu đồ 1."))
        .expect("chart 1's caption is printed");

    // Page 1 and the page of chart 1, as pictures for README.
    for (n, name) in [(1, "report-page1"), (chart_page + 1, "report-chart-page")] {
        let png = sb.path(name);
        let out = std::process::Command::new("pdftoppm")
            .args([
                "-png",
                "-r",
                "60",
                "-f",
                &n.to_string(),
                "-l",
                &n.to_string(),
            ])
            .arg("-singlefile")
            .arg(&pdf)
            .arg(&png)
            .output()
            .expect("pdftoppm must be installed: apt-get install poppler-utils");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(sb.path(&format!("{name}.png"))).unwrap();
        assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("docs/{name}.png"));
            std::fs::write(docs, bytes).unwrap();
        }
    }
}

/// The checker can fail: a document without the motto, the sections or the charts is refused.
#[test]
fn the_docx_checker_refuses_a_document_that_is_not_a_report() {
    let have = std::process::Command::new("python3")
        .args(["-c", "import docx"])
        .output();
    assert!(
        have.is_ok_and(|o| o.status.success()),
        "python-docx is missing: install it (pip install python-docx) to run this test"
    );
    let sb = Sandbox::new();
    let plain = sb.path("plain.docx");
    let made = std::process::Command::new("python3")
        .args([
            "-c",
            "import docx,sys; d=docx.Document(); d.add_paragraph('I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH'); d.add_paragraph('(Ký, ghi rõ họ tên)'); d.save(sys.argv[1])",
        ])
        .arg(&plain)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let check = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/office/check_docx.py");
    let refused = std::process::Command::new("python3")
        .arg(&check)
        .arg(&plain)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stdout);
    for problem in [
        "CỘNG HÒA",
        "Ký, ghi rõ họ tên",
        "sections",
        "pictures",
        "vi-VN",
    ] {
        assert!(said.contains(problem), "{problem}: {said}");
    }
}
