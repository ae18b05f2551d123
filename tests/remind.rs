//! `cchc remind --mail` against real SMTP servers (aiosmtpd, tests/mail/smtp_server.py) on
//! 127.0.0.1: one with STARTTLS on a self-signed certificate and a login, one with TLS from the
//! first byte. What arrived is read back with Python's `email` parser, the letters with
//! python-docx, the sheets with `cchc import`; the change log is checked by `cchc doctor`.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};

use common::office::*;
use common::*;
use serde_json::Value;

/// A test SMTP server; it stops when its standard input closes (on drop).
struct Smtp {
    child: Child,
    stdin: Option<ChildStdin>,
    port: u16,
    dir: PathBuf,
}

impl Smtp {
    fn start(dir: PathBuf, args: &[&str]) -> Smtp {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/smtp_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(&dir)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the test SMTP server (CI installs aiosmtpd and cryptography)");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let port = first
            .strip_prefix("PORT ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| {
                panic!("the SMTP server did not start (is aiosmtpd installed?): {first:?}")
            });
        Smtp {
            stdin: child.stdin.take(),
            child,
            port,
            dir,
        }
    }

    /// Every message it accepted, oldest first, read by Python's `email` parser; attachments
    /// are saved under `out`.
    fn messages(&self, out: &Path) -> Vec<Value> {
        let read = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/read_mail.py");
        let o = Command::new("python3")
            .arg(read)
            .arg(&self.dir)
            .arg(out)
            .output()
            .unwrap();
        assert_success(&o);
        serde_json::from_slice::<Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// Writes the `[mail]` table of the sandbox's config file.
fn configure(o: &Office, mail: &str) {
    let dir = o.sb.dir.path().join("home/config/cchc");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), format!("[mail]\n{mail}")).unwrap();
}

/// `cchc remind ARGS` "today", with the mail password in the environment.
fn remind(o: &Office, args: &[&str]) -> Output {
    o.sb.cchc()
        .current_dir(o.sb.dir.path())
        .env("CCHC_MAIL_PASSWORD", "mật-khẩu")
        .args(["--today", TODAY, "--db"])
        .arg(&o.db)
        .arg("remind")
        .args(args)
        .output()
        .unwrap()
}

/// The letter's paragraphs and tables as python-docx reads them.
fn read_letter(path: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/read_letter.py");
    let o = Command::new("python3")
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "python-docx could not read {path} (is python-docx installed?): {}",
        stderr(&o)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// "đã đôn đốc DD/MM/YYYY (lần N)": a letter is dated by the clock that stamps writes (the
/// province's day, UTC+7), not by `--today`.
fn urged(times: u32) -> String {
    let day = chrono::Utc::now() + chrono::Duration::hours(7);
    format!("đã đôn đốc {} (lần {times})", day.format("%d/%m/%Y"))
}

/// The address an agency's letters go to in these tests.
fn address(code: &str) -> String {
    format!("vp@{}.langson.gov.vn", code.to_lowercase())
}

/// (name, due dd/mm/yyyy) of the agency's overdue tasks, as `cchc tasks --overdue` lists them.
fn overdue_of(o: &Office, code: &str) -> Vec<(String, String)> {
    let v = json(&o.run(&["tasks", "--agency", code, "--overdue", "--format", "json"]));
    let mut out: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["lead_agency"] == code)
        .map(|t| {
            let due = t["due"].as_str().unwrap();
            let (y, m, d) = (&due[0..4], &due[5..7], &due[8..10]);
            (
                t["title"].as_str().unwrap().to_string(),
                format!("{d}/{m}/{y}"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn each_late_agency_gets_its_letter_and_sheet_a_refused_one_stays_unsent_and_a_second_run_sends_nothing()
 {
    let o = Office::new();
    let agencies = json(&o.run(&["agencies", "--format", "json"]));
    let codes: Vec<String> = agencies
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect();
    for c in &codes {
        assert_success(&o.run(&["agency", "set", c, "--email", &address(c)]));
    }
    // Two addresses and an addressee for STP; STC's address is refused by the server.
    assert_success(&o.run(&[
        "agency",
        "set",
        "STP",
        "--email",
        "vp@stp.langson.gov.vn, cchc@stp.langson.gov.vn",
        "--addressee",
        "Giám đốc Sở Tư pháp",
    ]));
    // A task only STC's letter may name.
    let stc_task = o
        .tasks()
        .into_iter()
        .find(|t| t["lead_agency"] == "STC" && t["title"] == "Báo cáo CCHC quý I/2026")
        .expect("STC's first quarterly report")["id"]
        .as_i64()
        .unwrap();
    assert_success(&o.run(&[
        "task",
        "set",
        &stc_task.to_string(),
        "--title",
        "Báo cáo riêng của Sở Tài chính",
    ]));

    let server = Smtp::start(
        o.path("smtp"),
        &[
            "--starttls",
            "--auth",
            "cchc:mật-khẩu",
            "--refuse",
            &address("STC"),
        ],
    );
    // The password from its file, which others may not read: refused before anything is made
    // or sent, then accepted once it is the owner's alone.
    let password = o.path("mail-password");
    std::fs::write(&password, "mật-khẩu\n").unwrap();
    std::fs::set_permissions(&password, PermissionsExt::from_mode(0o644)).unwrap();
    configure(
        &o,
        &format!(
            "host = \"127.0.0.1\"\nport = {}\nsecurity = \"starttls\"\nuser = \"cchc\"\n\
             from = \"Sở Nội vụ Lạng Sơn <cchc@snv.langson.gov.vn>\"\n\
             reply_to = \"vanphong@snv.langson.gov.vn\"\nca_file = \"{}\"\n\
             password_file = \"{}\"\n",
            server.port,
            o.path("smtp/ca.pem").display(),
            password.display()
        ),
    );
    let log_before = o.log_count();
    let open_file = o.run(&["remind", "--all", "--mail"]);
    assert!(!open_file.status.success());
    assert_eq!(o.log_count(), log_before);
    assert!(
        stderr(&open_file).contains("chmod 600"),
        "{}",
        stderr(&open_file)
    );
    std::fs::set_permissions(&password, PermissionsExt::from_mode(0o600)).unwrap();

    // Who would get what, and nothing sent or recorded.
    let log_before = o.log_count();
    let dry = remind(&o, &["--all", "--due-within", "0", "--mail", "--dry-run"]);
    assert_success(&dry);
    assert!(stdout(&dry).contains("STP"), "{}", stdout(&dry));
    assert_eq!(o.log_count(), log_before);
    assert!(server.messages(&o.path("none")).is_empty());

    let first = remind(&o, &["--all", "--due-within", "0", "--mail"]);
    assert_eq!(first.status.code(), Some(1), "{}", stdout(&first));
    let err = stderr(&first);
    assert!(
        err.contains("STC") && err.contains("550"),
        "the refused agency and the server's reason: {err}"
    );

    let late: Vec<&String> = codes
        .iter()
        .filter(|c| !overdue_of(&o, c).is_empty())
        .collect();
    assert!(
        late.len() >= 3,
        "the seeded province has late agencies: {late:?}"
    );
    let messages = server.messages(&o.path("mail1"));
    let mailed: Vec<String> = messages
        .iter()
        .map(|m| {
            m["attachments"][1]["filename"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // One message per late agency, but the refused one.
    assert_eq!(messages.len(), late.len() - 1, "{mailed:?}");
    for m in &messages {
        let sheet = &m["attachments"][1];
        let code = sheet["filename"]
            .as_str()
            .unwrap()
            .trim_end_matches("-2026.xlsx")
            .to_string();
        assert!(late.contains(&&code) && code != "STC", "{code}");
        let to: Vec<String> = serde_json::from_value(m["to"].clone()).unwrap();
        let expected = if code == "STP" {
            vec![
                "vp@stp.langson.gov.vn".to_string(),
                "cchc@stp.langson.gov.vn".to_string(),
            ]
        } else {
            vec![address(&code)]
        };
        assert_eq!(to, expected);
        assert_eq!(m["envelope"]["rcpt_tos"], m["to"]);
        assert_eq!(m["envelope"]["tls"], true);
        assert_eq!(m["envelope"]["login"], "cchc");
        assert_eq!(m["reply_to"][0], "vanphong@snv.langson.gov.vn");
        let subject = m["subject"].as_str().unwrap();
        assert!(
            subject.starts_with("Đôn đốc thực hiện nhiệm vụ cải cách hành chính"),
            "{subject}"
        );
        assert!(
            m["raw_subject"].as_str().unwrap().contains("=?utf-8?"),
            "the subject is encoded per RFC 2047: {}",
            m["raw_subject"]
        );
        assert!(m["text"].as_str().unwrap().contains("Kính gửi"));

        // The letter: the NĐ 30 parts, and exactly this agency's overdue tasks.
        let letter = &m["attachments"][0];
        assert_eq!(
            letter["filename"],
            format!("Cong-van-don-doc-{code}-{TODAY}.docx")
        );
        let doc = read_letter(letter["saved"].as_str().unwrap());
        let all_text = doc.to_string();
        for part in [
            "Số: …/SNV-CCHC",
            "V/v đôn đốc thực hiện nhiệm vụ cải cách hành chính",
            "Kính gửi:",
            "Nơi nhận:",
        ] {
            assert!(all_text.contains(part), "{code}'s letter lacks {part:?}");
        }
        let tables = doc["tables"].as_array().unwrap();
        let tasks = tables
            .iter()
            .find(|t| t[0][1] == "Nhiệm vụ")
            .expect("the table of tasks");
        let mut named: Vec<(String, String)> = tasks.as_array().unwrap()[1..]
            .iter()
            .map(|r| {
                (
                    r[1].as_str().unwrap().to_string(),
                    r[2].as_str().unwrap().to_string(),
                )
            })
            .collect();
        named.sort();
        assert_eq!(named, overdue_of(&o, &code), "{code}'s letter");
        if code == "STP" {
            assert!(all_text.contains("Kính gửi: Giám đốc Sở Tư pháp"));
        }
        assert!(!all_text.contains("Báo cáo riêng của Sở Tài chính"));

        // The sheet is the agency's own, and `cchc import` takes it back.
        let saved = sheet["saved"].as_str().unwrap();
        let back = o.run(&["import", saved]);
        assert_success(&back);
        let said = format!("{}{}", stdout(&back), stderr(&back));
        assert!(said.contains(&format!("({code}) · Năm 2026")), "{said}");
    }

    // Recorded: a letter mailed is "đã đôn đốc" on its tasks; STC's was not mailed.
    let stp_overdue = json(&o.run(&["tasks", "--agency", "STP", "--overdue", "--format", "json"]));
    let stp_task = stp_overdue[0]["id"].as_i64().unwrap();
    let shown = o.run(&["task", "show", &stp_task.to_string()]);
    assert!(stdout(&shown).contains(&urged(1)), "{}", stdout(&shown));
    assert!(
        o.task(stc_task)["reminded"].is_null(),
        "{}",
        o.task(stc_task)
    );
    let doctor = o.run(&["doctor"]);
    assert_success(&doctor);

    // A second run the same day sends nothing to those mailed; STC, its address fixed, is
    // sent now.
    assert_success(&o.run(&[
        "agency",
        "set",
        "STC",
        "--email",
        "ketoan@stc.langson.gov.vn",
    ]));
    // (the password from its file this time, not the environment)
    let second = o.run(&["remind", "--all", "--due-within", "0", "--mail"]);
    assert_success(&second);
    let messages = server.messages(&o.path("mail2"));
    assert_eq!(messages.len(), late.len());
    let last = messages.last().unwrap();
    assert_eq!(last["to"][0], "ketoan@stc.langson.gov.vn");
    let doc = read_letter(last["attachments"][0]["saved"].as_str().unwrap());
    assert!(doc.to_string().contains("Báo cáo riêng của Sở Tài chính"));
    assert!(
        stdout(&second).contains("STP"),
        "says who was urged today already: {}",
        stdout(&second)
    );

    // `--again` sends STP's once more: the second letter.
    let again = remind(
        &o,
        &["--agency", "STP", "--due-within", "0", "--mail", "--again"],
    );
    assert_success(&again);
    assert_eq!(server.messages(&o.path("mail3")).len(), late.len() + 1);
    let shown = o.run(&["task", "show", &stp_task.to_string()]);
    assert!(stdout(&shown).contains(&urged(2)), "{}", stdout(&shown));
    assert_success(&o.run(&["doctor"]));
}

#[test]
fn an_unreachable_server_and_an_untrusted_certificate_send_nothing_then_tls_from_the_first_byte() {
    let o = Office::new();
    assert_success(&o.run(&["agency", "set", "STP", "--email", "vp@stp.langson.gov.vn"]));
    // No server listening: the agency is named with the reason, nothing is logged.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    configure(
        &o,
        &format!(
            "host = \"127.0.0.1\"\nport = {closed}\nsecurity = \"none\"\n\
             from = \"cchc@snv.langson.gov.vn\"\n"
        ),
    );
    let log_before = o.log_count();
    let unreachable = remind(&o, &["--agency", "STP", "--mail"]);
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(
        stderr(&unreachable).contains("STP: không gửi được"),
        "{}",
        stderr(&unreachable)
    );
    assert_eq!(o.log_count(), log_before);

    let server = Smtp::start(o.path("smtp"), &["--tls"]);
    let config = |ca: &str| {
        format!(
            "host = \"127.0.0.1\"\nport = {}\nsecurity = \"tls\"\n\
             from = \"cchc@snv.langson.gov.vn\"\n{ca}",
            server.port
        )
    };
    // Without the test certificate trusted, the server is not believed and nothing is logged.
    configure(&o, &config(""));
    let refused = remind(&o, &["--agency", "STP", "--mail"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("STP"), "{}", stderr(&refused));
    assert_eq!(o.log_count(), log_before);

    configure(
        &o,
        &config(&format!(
            "ca_file = \"{}\"\n",
            o.path("smtp/ca.pem").display()
        )),
    );
    let sent = remind(&o, &["--agency", "STP", "--mail"]);
    assert_success(&sent);
    let messages = server.messages(&o.path("mail"));
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["to"][0], "vp@stp.langson.gov.vn");
    assert!(o.log_count() > log_before);
}

/// The hint line's cells of `key label` (the last screen row).
fn hint_cells(tui: &common::pty::Tui, text: &str) -> Vec<common::pty::ScreenCell> {
    let (row, cells) = tui
        .find_cells(text)
        .unwrap_or_else(|| panic!("{text:?} on the screen:\n{}", tui.screen()));
    assert!(row >= 28, "{text:?} is in the hint line, row {row}");
    cells
}

#[test]
fn the_screen_previews_the_letter_and_mails_it_after_a_y_n_naming_the_addresses() {
    use common::pty::Tui;
    let o = Office::new();
    // A secretary (tester) and a member of STP, who may not urge under the default rule.
    assert_success(&o.run(&[
        "member",
        "add",
        "tester",
        "--agency",
        "SNV",
        "--role",
        "secretary",
    ]));
    assert_success(&o.run(&["member", "add", "ha", "--agency", "STP"]));
    assert_success(&o.run(&[
        "agency",
        "set",
        "STP",
        "--email",
        "vp@stp.langson.gov.vn,cchc@stp.langson.gov.vn",
    ]));
    let server = Smtp::start(o.path("smtp"), &[]);
    configure(
        &o,
        &format!(
            "host = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
             from = \"cchc@snv.langson.gov.vn\"\n",
            server.port
        ),
    );
    let launch = |user: &str| {
        let tui = Tui::launch(&o.sb, &[], &o.db, TODAY, &[], 100, 30, Some(user));
        tui.wait_for("the task screen", |s| s.contains("15/11/2026"));
        tui
    };

    // The member: on the overdue list the key is there, greyed; pressing it says why.
    let mut tui = launch("ha");
    tui.send("o");
    tui.wait_for("the overdue list", |s| s.contains("chỉ quá hạn"));
    let urge = hint_cells(&tui, "r đôn đốc");
    let overdue = hint_cells(&tui, "o quá hạn");
    assert_ne!(
        (urge[0].fg, urge[0].bg),
        (overdue[0].fg, overdue[0].bg),
        "the key is greyed for a member without the right"
    );
    tui.send("r");
    tui.wait_for("the reason", |s| s.contains("may not urge agencies"));
    assert!(!tui.screen().contains("Công văn đôn đốc"));
    assert!(tui.quit());

    // The secretary: the list of STP's overdue tasks, `r` previews its letter.
    let mut tui = launch("tester");
    tui.send("o");
    tui.wait_for("the overdue list", |s| s.contains("chỉ quá hạn"));
    let urge = hint_cells(&tui, "r đôn đốc");
    let overdue = hint_cells(&tui, "o quá hạn");
    assert_eq!((urge[0].fg, urge[0].bg), (overdue[0].fg, overdue[0].bg));
    tui.send(":agency STP\r");
    tui.wait_for("STP's tasks", |s| s.contains("cơ quan: Sở Tư pháp"));
    tui.send("r");
    let preview = tui.wait_for("the preview", |s| {
        s.contains("Công văn đôn đốc · Sở Tư pháp") && s.contains("Kính gửi")
    });
    assert!(preview.contains("V/v đôn đốc"), "{preview}");
    assert!(
        preview.contains("vp@stp.langson.gov.vn, cchc@stp.langson.gov.vn"),
        "{preview}"
    );
    // Scrolling shows the rest of the letter.
    for _ in 0..40 {
        tui.send("j");
    }
    tui.wait_for("the end of the letter", |s| s.contains("Nơi nhận"));
    assert!(server.messages(&o.path("none")).is_empty());

    // y asks, naming the addresses; n goes back; y, y sends.
    tui.send("y");
    tui.wait_for("the question", |s| {
        s.contains("tới vp@stp.langson.gov.vn, cchc@stp.langson.gov.vn?") && s.contains("(y/n)")
    });
    tui.send("n");
    tui.wait_for("back to the preview", |s| {
        !s.contains("(y/n)") && s.contains("Nơi nhận")
    });
    assert!(server.messages(&o.path("none")).is_empty());
    tui.send("y");
    tui.wait_for("the question", |s| s.contains("(y/n)"));
    tui.send("y");
    tui.wait_for("sent", |s| {
        s.contains("Đã gửi công văn đôn đốc Sở Tư pháp") && !s.contains("Kính gửi")
    });
    let messages = server.messages(&o.path("mail"));
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0]["envelope"]["rcpt_tos"],
        serde_json::json!(["vp@stp.langson.gov.vn", "cchc@stp.langson.gov.vn"])
    );
    assert_eq!(
        messages[0]["attachments"][1]["filename"], "STP-2026.xlsx",
        "the agency's sheet goes with it"
    );

    // Pressed again the same day, the question says it was mailed already.
    tui.send("r");
    tui.wait_for("the preview", |s| s.contains("Kính gửi"));
    tui.send("y");
    tui.wait_for("the question", |s| {
        s.contains("Đã gửi thư cho cơ quan này lúc") && s.contains("(y/n)")
    });
    tui.send("n");
    tui.send("\x1b");
    tui.wait_for("closed", |s| !s.contains("Kính gửi"));
    assert!(tui.quit());
    assert_eq!(server.messages(&o.path("mail2")).len(), 1);

    // Recorded like the CLI's: `task show` of an STP overdue task says so.
    let stp = json(&o.run(&["tasks", "--agency", "STP", "--overdue", "--format", "json"]));
    let shown = o.run(&["task", "show", &stp[0]["id"].to_string()]);
    assert!(stdout(&shown).contains(&urged(1)), "{}", stdout(&shown));
    assert_success(&o.run(&["doctor"]));
}

/// The letter for the seeded province's Sở Nội vụ (its 13 overdue tasks), printed by
/// LibreOffice: one or two pages, and the NĐ 30 parts on page 1. `CCHC_DOCS_PNG=1` writes page
/// 1 to docs/remind-letter-page1.png, as README shows it.
#[test]
fn the_snv_letter_prints_on_one_or_two_pages_in_libreoffice() {
    let o = Office::new();
    let file = o.path("snv.docx");
    let made = o.run(&["remind", "--agency", "SNV", "--output", &o.p("snv.docx")]);
    assert_success(&made);
    let profile = format!(
        "-env:UserInstallation=file://{}",
        o.path("lo-profile").display()
    );
    let out = Command::new("timeout")
        .arg("300")
        .arg("soffice")
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(o.path("pdf"))
        .arg(&file)
        .env("HOME", o.path("home"))
        .output()
        .expect("soffice (LibreOffice Writer) must be installed: apt-get install libreoffice-writer-nogui");
    let pdf = o.path("pdf/snv.pdf");
    assert!(
        out.status.success() && pdf.exists(),
        "soffice failed: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo must be installed: apt-get install poppler-utils");
    let pages: usize = stdout(&info)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    assert!((1..=2).contains(&pages), "{pages} pages");
    let text = Command::new("pdftotext")
        .args(["-layout", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext must be installed: apt-get install poppler-utils");
    let page1 = stdout(&text);
    for part in ["SỞ NỘI VỤ", "Số: …/SNV-CCHC", "V/v đôn đốc", "Kính gửi:"] {
        assert!(page1.contains(part), "page 1 lacks {part:?}:\n{page1}");
    }
    let all = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(stdout(&all).contains("Nơi nhận:"), "{}", stdout(&all));
    if std::env::var_os("CCHC_DOCS_PNG").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/remind-letter-page1");
        let png = Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&pdf)
            .arg(&docs)
            .output()
            .unwrap();
        assert_success(&png);
    }
}

/// The agencies' contacts as the secretary keeps them: imported from CSV and .xlsx with
/// Vietnamese headers, listed, a bad address refused in one line with the file unchanged; and
/// `cchc remind` refused to a member without the right, recording nothing.
#[test]
fn contacts_come_in_by_import_are_listed_and_checked_and_only_those_allowed_urge() {
    let o = Office::new();
    std::fs::write(
        o.path("co-quan.csv"),
        "mã,tên,loại,thư điện tử,kính gửi\n\
         SXD,Sở Xây dựng,department,vp@sxd.langson.gov.vn; kt@sxd.langson.gov.vn,Giám đốc Sở Xây dựng\n\
         STP,Sở Tư pháp,department,tp@stp.langson.gov.vn,\n",
    )
    .unwrap();
    assert_success(&o.run(&["agency", "import", &o.p("co-quan.csv")]));
    let xlsx = o.p("co-quan.xlsx");
    let made = Command::new("python3")
        .args([
            "-c",
            "import openpyxl, sys\n\
             wb = openpyxl.Workbook(); ws = wb.active\n\
             ws.append(['mã', 'tên', 'loại', 'thư điện tử', 'kính gửi'])\n\
             ws.append(['STC', 'Sở Tài chính', 'department', 'vp@stc.langson.gov.vn', 'Giám đốc Sở Tài chính'])\n\
             wb.save(sys.argv[1])",
            &xlsx,
        ])
        .output()
        .expect("python3 with openpyxl");
    assert_success(&made);
    assert_success(&o.run(&["agency", "import", &xlsx]));
    let list = json(&o.run(&["agency", "list", "--format", "json"]));
    let of = |code: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(
        of("SXD")["emails"],
        serde_json::json!(["vp@sxd.langson.gov.vn", "kt@sxd.langson.gov.vn"])
    );
    assert_eq!(of("SXD")["addressee"], "Giám đốc Sở Xây dựng");
    assert_eq!(
        of("STP")["emails"],
        serde_json::json!(["tp@stp.langson.gov.vn"])
    );
    assert_eq!(of("STC")["addressee"], "Giám đốc Sở Tài chính");
    let table = stdout(&o.run(&["agency", "list"]));
    assert!(table.contains("Giám đốc Sở Tài chính"), "{table}");

    // A bad address: one line saying how to write it, non-zero, nothing changed.
    let before = snapshot_of(&o);
    let bad = o.run(&["agency", "set", "STC", "--email", "vp@@stc"]);
    assert!(!bad.status.success());
    assert_eq!(stderr(&bad).trim().lines().count(), 1, "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("ten@co-quan.langson.gov.vn"),
        "{}",
        stderr(&bad)
    );
    assert_eq!(snapshot_of(&o), before);

    // Who may urge: the secretary only by default.
    assert_success(&o.run(&[
        "member",
        "add",
        "tester",
        "--agency",
        "SNV",
        "--role",
        "secretary",
    ]));
    assert_success(&o.run(&["member", "add", "ha", "--agency", "STP"]));
    let log = o.log_count();
    let refused = o.run_as(
        "ha",
        &["remind", "--agency", "STP", "--output", &o.p("x.docx")],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("remind-right"),
        "{}",
        stderr(&refused)
    );
    assert!(!o.path("x.docx").exists());
    assert_eq!(o.log_count(), log);
    // Widened to STP's members, ha may.
    assert_success(&o.run(&["member", "remind-right", "STP"]));
    assert_success(&o.run_as(
        "ha",
        &["remind", "--agency", "STP", "--output", &o.p("x.docx")],
    ));
    assert!(o.path("x.docx").exists());
    assert_eq!(o.log_count(), log + 2);
    assert_success(&o.run(&["doctor"]));
}

/// The agencies as `agency list --format json` gives them.
fn snapshot_of(o: &Office) -> Value {
    json(&o.run(&["agency", "list", "--format", "json"]))
}
