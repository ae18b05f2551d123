//! The quarterly report of the seeded plan plus a fixed set of measurements and progress, at a
//! fixed date, against a golden file. `UPDATE_GOLDEN=1 cargo test --test report` rewrites it.

mod common;

use common::*;

fn prepared(sb: &Sandbox) -> std::path::PathBuf {
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
            "2026-09-30",
            "Cổng Dịch vụ công quốc gia",
        ),
        (
            "tthc-ket-qua-dien-tu",
            "100",
            "2026-09-30",
            "Hệ thống thông tin giải quyết TTHC tỉnh",
        ),
        ("tthc-hai-long-dvctt", "70", "2026-09-15", "khảo sát SIPAS"),
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
            "2026-09-30",
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
    // Done on time, done late, in progress, and one completed after the quarter (not yet done then),
    // each completion date given by hand (a write never takes --today). Ids of the seed: 4 is
    // III.1.2/SNV/2026, 175 V.1.5/SNV/2026-Q3, 5 III.1.2/SNV/2027, 195 V.1.5/VPUB/2026-Q3.
    run(&[
        "task",
        "set",
        "4",
        "--status",
        "done",
        "--completed-on",
        "2026-04-20",
    ]);
    run(&[
        "task",
        "set",
        "175",
        "--status",
        "done",
        "--completed-on",
        "2026-09-20",
    ]);
    run(&["task", "set", "5", "--progress", "40"]);
    run(&[
        "task",
        "set",
        "195",
        "--status",
        "done",
        "--completed-on",
        "2026-10-05",
    ]);
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

#[test]
fn quarterly_report_matches_the_golden_file() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    for (lang, golden) in [
        ("vi", "tests/golden/report-2026Q3.vi.md"),
        ("en", "tests/golden/report-2026Q3.en.md"),
    ] {
        let out = sb
            .cchc()
            .args(["report", "--quarter", "2026Q3", "--lang", lang, "--db"])
            .arg(&db)
            .output()
            .unwrap();
        let got = normalise(&stdout(&{
            assert_success(&out);
            out
        }));
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(golden);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "report differs from {golden}; rerun with UPDATE_GOLDEN=1 and review the diff\n{got}"
        );
    }
}

#[test]
fn report_json_and_file_output() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let file = sb.path("r.json");
    let out = sb
        .cchc()
        .args([
            "report",
            "--quarter",
            "2026Q3",
            "--format",
            "json",
            "--output",
        ])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let v =
        unwrap_envelope(serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap());
    assert_eq!(v["as_of"], "2026-09-30");
    // The plan reported on, as its opening paragraph names it.
    assert!(
        v["plan"]["replaces"]
            .as_str()
            .unwrap()
            .starts_with("Kế hoạch số 316/KH-UBND ngày 09/12/2025")
    );
    assert_eq!(v["plan"]["purpose"].as_array().unwrap().len(), 2);
    assert_eq!(v["tasks"]["done_on_time"], 1);
    assert_eq!(v["tasks"]["done_late"], 1);
    let tthc = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "tthc")
        .unwrap();
    let dvc = tthc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "tthc-dvctt-toan-trinh")
        .unwrap();
    assert_eq!(dvc["latest"], 88.5);
    assert_eq!(
        dvc["name"],
        "TTHC có đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia"
    );
    // Section II: the overdue tasks by agency, most overdue agency first, with names.
    let groups = v["overdue_by_agency"].as_array().unwrap();
    assert_eq!(groups[0]["name"], "Sở Nội vụ");
    // Sở Nội vụ's on 30/09/2026: three reports of quý I and three of 6 tháng (its own, the
    // aggregate for UBND tỉnh, the one to Bộ Nội vụ), its 2026–2030 and 2026 plans, its budget
    // estimate for 2027 and two reports of quý III (its own was done late).
    assert_eq!(groups[0]["tasks"].as_array().unwrap().len(), 11);
    let overdue: usize = groups
        .iter()
        .map(|g| g["tasks"].as_array().unwrap().len())
        .sum();
    assert_eq!(overdue as u64, v["tasks"]["overdue"].as_u64().unwrap());
    assert_eq!(groups[0]["tasks"][0]["days_late"], 199);
    // Section III: the next quarter's tasks by agency.
    assert_eq!(v["next_quarter"]["start"], "2026-10-01");
    assert_eq!(v["next_quarter"]["end"], "2026-12-31");
    let next = v["next_quarter"]["by_agency"].as_array().unwrap();
    assert!(!next.is_empty());
    for g in next {
        assert!(g["name"].as_str().is_some_and(|n| !n.is_empty()));
        for t in g["tasks"].as_array().unwrap() {
            let due = t["due"].as_str().unwrap();
            assert!(("2026-10-01"..="2026-12-31").contains(&due), "{due}");
        }
    }

    // --today moves "as of".
    let out = sb
        .cchc()
        .args([
            "report",
            "--quarter",
            "2026Q3",
            "--format",
            "json",
            "--today",
            "2026-08-31",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(json(&out)["as_of"], "2026-08-31");

    let bad = sb
        .cchc()
        .args(["report", "--quarter", "2026Q5", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("2026Q3"));
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
fn docx_report(sb: &Sandbox, db: &std::path::Path, name: &str) -> std::path::PathBuf {
    let config = sb.path("config.toml");
    std::fs::write(&config, REPORT_CONFIG).unwrap();
    let file = sb.path(name);
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .args([
            "report",
            "--quarter",
            "2026Q3",
            "--format",
            "docx",
            "--output",
        ])
        .arg(&file)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    file
}

fn document_xml(docx: &std::path::Path) -> String {
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
    let xml = document_xml(&docx_report(&sb, &db, "bao-cao.docx"));
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 125/BC-SNV",
        "Kính gửi: ",
        "Ủy ban nhân dân tỉnh Lạng Sơn.",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn B",
        "I. KẾT QUẢ THỰC HIỆN",
        "và 1 nhiệm vụ khác (xem Phụ lục)",
        "PHỤ LỤC: DANH SÁCH NHIỆM VỤ QUÁ HẠN",
        "TTHC có đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình",
        "88,5%, 30/09/2026 (Cổng Dịch vụ công quốc gia)",
        "Mã kiểm chứng nhật ký thay đổi",
        r#"w:pgSz w:w="11906" w:h="16838""#,
        "Times New Roman",
    ] {
        assert!(xml.contains(needle), "document.xml lacks {needle:?}");
    }
    // Names, never internal codes or row ids.
    for code in [
        "tthc-dvctt-toan-trinh",
        "bo-may-giam-bien-che-su-nghiep",
        "#158",
        "#293",
    ] {
        assert!(!xml.contains(code), "document.xml shows {code:?}");
    }
}

#[test]
fn docx_report_reads_back_with_python_docx() {
    let check = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/office/check_docx.py");
    let have = std::process::Command::new("python3")
        .args(["-c", "import docx"])
        .output();
    assert!(
        have.is_ok_and(|o| o.status.success()),
        "python-docx is missing: install it (pip install python-docx) to run this test"
    );
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let file = docx_report(&sb, &db, "bao-cao.docx");
    let out = std::process::Command::new("python3")
        .arg(&check)
        .arg(&file)
        .args([
            "Số: 125/BC-SNV",
            "UBND TỈNH LẠNG SƠN",
            "SỞ NỘI VỤ",
            "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.",
            "PHÓ GIÁM ĐỐC",
            "Nguyễn Văn B",
            "Kết quả thực hiện công tác cải cách hành chính quý III năm 2026",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "check_docx.py found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The checker can fail: a document without the motto is refused.
    let plain = sb.path("plain.docx");
    let md = sb
        .cchc()
        .args(["report", "--quarter", "2026Q3", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&md);
    let bad = std::process::Command::new("python3")
        .args([
            "-c",
            "import docx,sys; d=docx.Document(); d.add_paragraph(sys.argv[1]); d.save(sys.argv[2])",
        ])
        .arg(stdout(&md))
        .arg(&plain)
        .output()
        .unwrap();
    assert!(
        bad.status.success(),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let refused = std::process::Command::new("python3")
        .arg(&check)
        .arg(&plain)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stdout).contains("CỘNG HÒA"));
}

/// LibreOffice (another independent reader) converts the .docx to PDF, and page 1 renders.
/// `UPDATE_GOLDEN=1` also copies that page to docs/report-page1.png for the README.
#[test]
fn docx_report_converts_to_pdf_with_libreoffice() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let file = docx_report(&sb, &db, "bao-cao.docx");
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
    let pdf = sb.path("pdf/bao-cao.pdf");
    assert!(
        out.status.success() && pdf.exists(),
        "soffice failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let png = sb.path("page1");
    let out = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .output()
        .expect("pdftoppm must be installed: apt-get install poppler-utils");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = sb.path("page1.png");
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report-page1.png");
        std::fs::write(docs, bytes).unwrap();
    }
}

#[test]
fn docx_report_needs_a_file_and_bad_config_only_warns() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
    let out = sb
        .cchc()
        .args(["report", "--quarter", "2026Q3", "--format", "docx", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());

    let config = sb.path("bad.toml");
    std::fs::write(&config, "[report]\nsigner_name = 3\n").unwrap();
    let file = sb.path("r.docx");
    let out = sb
        .cchc()
        .env("CCHC_CONFIG", &config)
        .args(["report", "--quarter", "2026Q3", "--format", "docx", "-o"])
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

    // --lang en turns the body into English; the letterhead stays Vietnamese.
    let out = sb
        .cchc()
        .args([
            "report",
            "--quarter",
            "2026Q3",
            "--format",
            "docx",
            "--lang",
            "en",
            "-o",
        ])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let xml = document_xml(&file);
    for needle in [
        "I. RESULTS",
        "II. SHORTCOMINGS",
        "III. PRIORITIES FOR THE NEXT QUARTER",
    ] {
        assert!(xml.contains(needle), "{needle}");
    }
    assert!(xml.contains("Kính gửi: ") && xml.contains("Nơi nhận:"));
    assert!(!xml.contains("I. KẾT QUẢ THỰC HIỆN"));
}

/// A title and an agency name written straight into the file (as anyone who can write it
/// could) reach the report only through the one sanitising rule: escape sequences and bidi
/// overrides are shown escaped in Markdown and in the .docx (where a raw control character
/// would also make the XML unreadable).
#[test]
fn stored_text_reaches_every_report_escaped() {
    let sb = Sandbox::new();
    let db = prepared(&sb);
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
    let out = sb
        .cchc()
        .args(["report", "--quarter", "2026Q3", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_success(&out);
    let md = stdout(&out);
    assert!(md.contains("Báo cáo \\u{1b}[31mđỏ\\u{202e}ngược"), "{md}");
    assert!(md.contains("Sở Nội vụ\\u{7}"));
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}') && !md.contains('\u{7}'));

    let xml = document_xml(&docx_report(&sb, &db, "hostile.docx"));
    assert!(xml.contains("Báo cáo \\u{1b}[31mđỏ\\u{202e}ngược"));
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{202e}') && !xml.contains('\u{7}'));
}
