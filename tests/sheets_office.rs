//! Office tools read and write cchc's workbooks: openpyxl checks their structure
//! (tests/office/check_xlsx.py), and the round trip of issue 9's "Done when" — a sheet filled in
//! by a script touching only unlocked cells, and the same re-saved by LibreOffice, both import
//! with the expected changes; a task changed in between is a conflict and nothing is
//! overwritten. python3 + openpyxl and LibreOffice (`soffice`) are required (CI installs them).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::office::*;
use common::*;

#[test]
fn openpyxl_finds_protection_validations_dates_and_print_setup() {
    let o = Office::new();
    let path = o.snv_sheet("snv.xlsx");
    let out = python("check_xlsx.py", &["agency", &path.display().to_string()]);
    assert_eq!(stdout(&out).trim(), "ok");
    // Move a few tasks into other states so the export shows several colours.
    let tasks = json(&o.run(&["tasks", "--agency", "SNV", "--format", "json"]));
    let ids: Vec<String> = tasks
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|t| t["id"].to_string())
        .collect();
    assert_success(&o.run(&["task", "set", &ids[0], "--status", "done"]));
    assert_success(&o.run(&["task", "set", &ids[1], "--progress", "50"]));
    assert_success(&o.run(&["export", "--format", "xlsx", "-o", &o.p("all.xlsx")]));
    let out = python("check_xlsx.py", &["export", &o.p("all.xlsx")]);
    assert_eq!(stdout(&out).trim(), "ok");
}

/// LibreOffice opens and re-saves a workbook, as an office would with Calc.
fn libreoffice_resave(o: &Office, from: &Path, outdir: &str) -> PathBuf {
    libreoffice_save_as(o, from, outdir, "xlsx")
}

/// LibreOffice opens a workbook and saves it in another format (`ods`, `xls`, `xlsx`).
fn libreoffice_save_as(o: &Office, from: &Path, outdir: &str, format: &str) -> PathBuf {
    let profile = o.path("lo-profile");
    let dir = o.path(outdir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("timeout")
        .arg("180")
        .arg("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(&dir)
        .arg(from)
        .env("HOME", o.path("home"))
        .output()
        .expect(
            "soffice is required for the office round trip (CI installs libreoffice-calc-nogui)",
        );
    let saved = dir.join(from.file_name().unwrap()).with_extension(format);
    assert!(
        out.status.success() && saved.exists(),
        "LibreOffice did not re-save {} (exit {:?}):\n{}{}",
        from.display(),
        out.status.code(),
        stdout(&out),
        stderr(&out)
    );
    saved
}

#[test]
fn office_round_trip_openpyxl_and_libreoffice() {
    let o = Office::new();
    let path = o.snv_sheet("snv.xlsx");
    let rows = task_rows(&path);
    let ((r1, id1, _), (r2, id2, _)) = (rows[0], rows[1]);
    let edits = serde_json::json!({
        "Nhiệm vụ": {
            format!("G{r1}"): "Hoàn thành",
            format!("I{r1}"): "date:2026-11-12",
            format!("J{r1}"): "Đã trình UBND tỉnh",
            format!("G{r2}"): "Đang thực hiện",
            format!("H{r2}"): 35,
        },
        "Chỉ tiêu": {"I7": 80, "J7": "date:2026-11-02", "K7": "Báo cáo của Sở"},
    });
    let by_script = fill_in(&o, &path, "by-script.xlsx", edits);
    let by_calc = libreoffice_resave(&o, &by_script, "calc");
    // LibreOffice keeps the heights the sheet stores: a long title's row stays tall enough
    // for its wrapped lines instead of running under the next row.
    let (longest, len) = rows
        .iter()
        .map(|(row, id, _)| (*row, o.task(*id)["title"].as_str().unwrap().chars().count()))
        .max_by_key(|(_, len)| *len)
        .unwrap();
    // The title column is 60 characters wide: this title takes two lines at least.
    assert!(len > 70, "no long title in the sheet ({len})");
    let heights = python_out(
        "import sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1])['Nhiệm vụ']\nprint(ws.row_dimensions[int(sys.argv[2])].height)",
        &[&by_calc.display().to_string(), &longest.to_string()],
    );
    let height: f64 = heights.trim().parse().unwrap_or(0.0);
    assert!(
        height >= 29.0,
        "row {longest} is {height} pt high after LibreOffice"
    );
    let code = text(&range(&path, "Chỉ tiêu"), 6, 0);

    // The same database three times: the script's file, LibreOffice's file, and a conflict.
    let copies: Vec<PathBuf> = ["a", "b", "c"]
        .iter()
        .map(|n| o.path(&format!("{n}.sqlite3")))
        .collect();
    for c in &copies {
        std::fs::copy(&o.db, c).unwrap();
    }
    let on = |db: &Path, user: &str, args: &[&str]| {
        o.sb.cchc()
            .env("CCHC_USER", user)
            .args(["--today", TODAY, "--db"])
            .arg(db)
            .args(args)
            .output()
            .unwrap()
    };
    let show = |db: &Path, id: i64| {
        json(&on(
            db,
            "tester",
            &["task", "show", &id.to_string(), "--format", "json"],
        ))
    };
    let count = |db: &Path, sql: &str| sql_count(db, sql);
    for (db, file) in [(&copies[0], &by_script), (&copies[1], &by_calc)] {
        let before = count(db, "SELECT count(*) FROM change_log");
        let out = on(db, "tester", &["import", &file.display().to_string()]);
        assert_success(&out);
        let t1 = show(db, id1);
        assert_eq!(t1["status"], "done", "{}", file.display());
        assert_eq!(t1["completed_on"], "2026-11-12", "{}", file.display());
        // The note as the log has it: the file and row, then the agency's words.
        let note = t1["notes"][0]["text"].as_str().unwrap_or_default();
        assert!(note.contains(": Đã trình UBND tỉnh"), "{note}");
        let t2 = show(db, id2);
        assert_eq!(
            (t2["status"].as_str(), t2["progress"].as_i64()),
            (Some("in-progress"), Some(35))
        );
        assert_eq!(
            count(db, "SELECT count(*) FROM change_log"),
            before + 3,
            "{}",
            stdout(&out)
        );
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let notes = count(
            db,
            &format!("SELECT count(*) FROM change_log WHERE note LIKE '{name}, %dòng%'"),
        );
        assert_eq!(notes, 3, "each entry names the file and row");
        assert_eq!(
            count(
                db,
                &format!(
                    "SELECT count(*) FROM measurements WHERE indicator = '{code}' AND value = 80 AND measured_on = '2026-11-02'"
                )
            ),
            1
        );
    }
    // A task changed in cchc between export and return: reported, nothing overwritten.
    let c = &copies[2];
    assert_success(&on(
        c,
        "hoa",
        &["task", "set", &id2.to_string(), "--progress", "70"],
    ));
    let before = count(c, "SELECT count(*) FROM change_log");
    let out = on(c, "tester", &["import", &by_calc.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.contains(&format!("#{id2}")) && l.contains("xung đột") && l.contains("hoa")),
        "{}",
        stdout(&out)
    );
    assert_eq!(count(c, "SELECT count(*) FROM change_log"), before);
    assert_eq!(show(c, id2)["progress"], 70);
    assert_eq!(show(c, id1)["status"], "not-started");
}

/// Runs a Python snippet (python3 and openpyxl are required) and returns what it printed.
fn python_out(code: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .expect("python3 is required for the office tests");
    assert_success(&out);
    stdout(&out)
}

/// A sheet LibreOffice saved as .ods imports as the .xlsx would; one saved as .xls (which
/// cchc does not read) is refused with the way out, and nothing is written.
#[test]
fn ods_and_xls_returns() {
    let o = Office::new();
    let path = o.snv_sheet("snv.xlsx");
    let rows = task_rows(&path);
    let ((r1, id1, _), (r2, id2, _)) = (rows[0], rows[1]);
    let filled = fill_in(
        &o,
        &path,
        "SNV-2026.xlsx",
        serde_json::json!({
            "Nhiệm vụ": {
                format!("G{r1}"): "Hoàn thành",
                format!("I{r1}"): "date:2026-11-12",
                format!("H{r2}"): 35,
                format!("J{r2}"): "Đang hoàn thiện dự thảo",
            },
        }),
    );
    let ods = libreoffice_save_as(&o, &filled, "ods", "ods");
    let xls = libreoffice_save_as(&o, &filled, "xls", "xls");

    let before = o.log_count();
    let out = o.run(&["import", &xls.display().to_string()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("Excel 97–2003 (.xls)") && stderr(&out).contains("dạng .xlsx"),
        "{}",
        stderr(&out)
    );
    assert_eq!(o.log_count(), before);

    let out = o.run(&["import", &ods.display().to_string()]);
    assert_success(&out);
    let t1 = o.task(id1);
    assert_eq!(
        (t1["status"].as_str(), t1["completed_on"].as_str()),
        (Some("done"), Some("2026-11-12")),
        "{}",
        stdout(&out)
    );
    let t2 = o.task(id2);
    assert_eq!(t2["progress"], 35);
    let note = t2["notes"][0]["text"].as_str().unwrap_or_default();
    assert!(
        note.starts_with(&format!(
            "SNV-2026.ods, Nhiệm vụ dòng {r2}: Đang hoàn thiện"
        )),
        "{note}"
    );
    assert_eq!(o.log_count(), before + 2);
}
