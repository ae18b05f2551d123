//! `cchc tasks` finds tasks by number and plan reference, and applies saved views from the
//! config file (the same definition the screen's `:view` uses), at COLUMNS=80.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::*;

const TODAY: &str = "2027-01-01";

struct Setup {
    sb: Sandbox,
    db: PathBuf,
    config: PathBuf,
}

fn setup(config: &str) -> Setup {
    let sb = Sandbox::new();
    let db = sb.init_db("cchc.sqlite3");
    let path = sb.path("config.toml");
    std::fs::write(&path, config).unwrap();
    Setup {
        sb,
        db,
        config: path,
    }
}

fn run(s: &Setup, args: &[&str]) -> Output {
    s.sb.cchc()
        .env("CCHC_CONFIG", &s.config)
        .env("COLUMNS", "80")
        .arg("--db")
        .arg(&s.db)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap()
}

fn ids(s: &Setup, args: &[&str]) -> Vec<i64> {
    let mut all = vec!["tasks", "--format", "json"];
    all.extend_from_slice(args);
    json(&run(s, &all))
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

const VIEWS: &str = r##"# Lan's views
[views.snv-late]
agency = "SNV"
overdue = true

[views.by-agency]
area = "chi-dao"
sort = "agency"

[views.found]
search = "#157"

[views.stp-reports]
search = "agency:STP due.before:2027-01-01 bao cao"
sort = "due"
reverse = true
"##;

#[test]
fn search_finds_a_task_by_number_and_by_plan_reference() {
    let s = setup("");
    assert_eq!(ids(&s, &["--search", "#157"]), [157]);
    assert_eq!(ids(&s, &["--search", "#173 bao cao"]), [173]);
    assert_eq!(ids(&s, &["--search", "V.1.5/SNV/2026-Q1"]), [173]);
    assert_eq!(ids(&s, &["--search", "v.1.5/snv/2026-q1"]), [173]);
    assert!(ids(&s, &["--search", "V.1.5/SNV"]).is_empty());
    // The table at 80 columns: one line for the task, its number first.
    let out = run(&s, &["tasks", "--search", "#157"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    assert!(text.contains("157"), "{text}");
}

#[test]
fn a_saved_view_filters_like_its_flags() {
    let s = setup(VIEWS);
    let by_view = ids(&s, &["--view", "snv-late"]);
    let by_flags = ids(&s, &["--agency", "SNV", "--overdue"]);
    assert!(!by_view.is_empty());
    assert_eq!(by_view, by_flags);
    // Before the subcommand, --view means the same.
    let out =
        s.sb.cchc()
            .env("CCHC_CONFIG", &s.config)
            .env("COLUMNS", "80")
            .arg("--db")
            .arg(&s.db)
            .args([
                "--today", TODAY, "--view", "snv-late", "tasks", "--format", "json",
            ])
            .output()
            .unwrap();
    assert_eq!(json(&out).as_array().unwrap().len(), by_view.len());
    // Flags given on the command line win over the view's.
    let stp = ids(&s, &["--view", "snv-late", "--agency", "STP"]);
    assert_eq!(stp, ids(&s, &["--agency", "STP", "--overdue"]));
    assert_eq!(ids(&s, &["--view", "found"]), [157]);
    // A view stores the search box's string, filter words too, and the order reversed.
    let mut stp = ids(
        &s,
        &["--search", "agency:STP due.before:2027-01-01 bao cao"],
    );
    assert!(stp.len() > 1, "{stp:?}");
    let by_view = ids(&s, &["--view", "stp-reports"]);
    let tasks = json(&run(
        &s,
        &["tasks", "--view", "stp-reports", "--format", "json"],
    ));
    let dues: Vec<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .inspect(|t| assert_eq!(t["lead_agency"], "STP"))
        .map(|t| t["due"].as_str().unwrap())
        .collect();
    assert!(
        dues.windows(2).all(|w| w[0] >= w[1]),
        "latest due first: {dues:?}"
    );
    stp.sort();
    let mut sorted = by_view.clone();
    sorted.sort();
    assert_eq!(sorted, stp, "the same tasks as the search");
    // A filter word that is none is a clear error there.
    let out = run(&s, &["tasks", "--search", "agnecy:STP"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("agnecy:") && stderr(&out).contains("agency:"));
}

#[test]
fn a_views_sort_orders_the_output_as_the_screen_does() {
    let s = setup(VIEWS);
    let out = run(&s, &["tasks", "--view", "by-agency", "--format", "json"]);
    let tasks = json(&out);
    let tasks = tasks.as_array().unwrap();
    assert!(tasks.len() > 10);
    let agencies = json(&run(&s, &["agencies", "--format", "json"]));
    let rank = |code: &str| {
        agencies
            .as_array()
            .unwrap()
            .iter()
            .position(|a| a["code"] == code)
            .unwrap()
    };
    let keys: Vec<(usize, String, i64)> = tasks
        .iter()
        .map(|t| {
            (
                rank(t["lead_agency"].as_str().unwrap()),
                t["due"].as_str().unwrap().to_string(),
                t["id"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_ne!(keys.first().map(|k| k.0), keys.last().map(|k| k.0));
}

fn assert_usage_error(out: &Output, wanted: &[&str]) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "{err}");
    for w in wanted {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn an_unknown_view_is_a_usage_error_listing_the_saved_ones() {
    let s = setup(VIEWS);
    let before = common::engine::snapshot(&s.db);
    assert_usage_error(
        &run(&s, &["tasks", "--view", "nope"]),
        &["nope", "by-agency, found, snv-late"],
    );
    assert_usage_error(
        &run(&s, &["--lang", "en", "tasks", "--view", "nope"]),
        &["no view \"nope\"; the saved views are by-agency, found, snv-late"],
    );
    // --view belongs to the screen and to `tasks` only.
    assert_usage_error(&run(&s, &["--view", "snv-late", "areas"]), &["cchc tasks"]);
    // With no views saved, it says how to save one.
    let empty = setup("");
    assert_usage_error(&run(&empty, &["tasks", "--view", "x"]), &[":save"]);
    assert_eq!(common::engine::snapshot(&s.db), before);
}

#[test]
fn a_bad_view_in_the_config_file_warns_and_the_rest_applies() {
    let s = setup("[views.mine]\nsort = \"name\"\noverdue = true\n");
    let out = run(&s, &["tasks", "--view", "mine", "--format", "json"]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("[views.mine]") && err.contains("due, area, agency, state"),
        "{err}"
    );
    let all_overdue = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["overdue"] == true);
    assert!(all_overdue);
}
