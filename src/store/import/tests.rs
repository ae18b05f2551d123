//! The bulk path against the row-by-row path: the same imports into copies of the same file,
//! under a fixed clock, must leave the files equal table for table, row for row (the change
//! log and its hashes, the tally and its moves, the search index's own tables), whatever row
//! the import turns to the bulk path at.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use proptest::prelude::*;
use rusqlite::types::Value;

use super::super::{OpenOptions, Store};
use super::{ImportItem, ImportOptions, ImportSummary};
use crate::model::{Agency, AgencyKind, NewTask, Recurrence, Status};
use crate::store::NewMeasurement;

/// Every table's rows and the schema's text: what two files must share to be the same file.
/// (Page numbers, such as `sqlite_master.rootpage`, are where SQLite put things, not content.)
fn contents(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    let schema: Vec<Vec<Value>> = conn
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
        .unwrap()
        .query_map((), |r| (0..4).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let tables: Vec<(String, bool)> = conn
        .prepare(
            "SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_master
             WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
        )
        .unwrap()
        .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    out.push(("sqlite_master".into(), schema));
    for (table, without_rowid) in tables {
        let stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        let sql = if without_rowid {
            format!("SELECT * FROM \"{table}\" ORDER BY {}", order.join(", "))
        } else {
            format!("SELECT * FROM \"{table}\" ORDER BY rowid")
        };
        let rows: Vec<Vec<Value>> = conn
            .prepare(&sql)
            .unwrap()
            .query_map((), |r| (0..n).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        out.push((table, rows));
    }
    out
}

/// The first table, and row, where two files' contents differ; `None` when they are the same.
fn first_difference(path: &Path, other: &Path) -> Option<String> {
    let (a, b) = (contents(path), contents(other));
    for ((table, rows), (other_table, other_rows)) in a.iter().zip(&b) {
        if table != other_table {
            return Some(format!("tables {table} and {other_table}"));
        }
        if let Some(i) =
            (0..rows.len().max(other_rows.len())).find(|&i| rows.get(i) != other_rows.get(i))
        {
            return Some(format!(
                "{table}, row {i} of {}/{}: {:?} against {:?}",
                rows.len(),
                other_rows.len(),
                rows.get(i),
                other_rows.get(i)
            ));
        }
    }
    (a.len() != b.len()).then(|| "a table more in one".to_string())
}

/// A seeded file with a history, copied for each case (so both runs start from one file, its
/// file id included).
fn template() -> &'static Path {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("template.sqlite3");
            let store = Store::open(
                &path,
                "lan",
                OpenOptions {
                    create_with: Some(crate::plan::load().unwrap()),
                    ..Default::default()
                },
            )
            .unwrap();
            drop(store);
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", (), |_| Ok(()))
                .unwrap();
            (dir, path)
        })
        .1
}

fn copy_of_template(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(template(), &path).unwrap();
    path
}

/// Runs `imports` on the file at `path`, each turning to the bulk path after its given number
/// of writes (and building the list's indexes again when it expects as many rows as the file
/// has tasks), under a fixed clock; returns what each said.
fn run(
    path: &Path,
    imports: &[(Vec<ImportItem>, usize, usize)],
) -> Vec<Result<ImportSummary, String>> {
    crate::store::engine::pin_now(Some(
        "2026-12-01T08:00:00Z".parse().expect("a fixed instant"),
    ));
    let mut store = Store::open(path, "lan", OpenOptions::default()).unwrap();
    let out = imports
        .iter()
        .map(|(items, bulk_after, expected_rows)| {
            store
                .import_items_with(
                    &mut items.clone().into_iter(),
                    &ImportOptions {
                        source: "rows.csv",
                        dry_run: false,
                        progress: &crate::progress::Silent,
                        expected_rows: Some(*expected_rows),
                    },
                    *bulk_after,
                )
                .map_err(|e| e.to_string())
        })
        .collect();
    assert_eq!(store.verify_chain().unwrap(), None, "the chain verifies");
    // The indexes built again hold what the rows say, and the search index its texts.
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    store
        .conn
        .execute_batch("INSERT INTO task_search (task_search) VALUES ('integrity-check')")
        .unwrap();
    drop(store);
    crate::store::engine::pin_now(None);
    out
}

/// One generated row.
#[derive(Debug, Clone)]
enum Row {
    /// A new task: area, lead agency, title, due (days into 2027), status, own reference.
    New(usize, usize, usize, i64, usize, bool),
    /// A plan task changed: which, new status, new due (days), new title.
    Update(usize, usize, Option<i64>, Option<usize>),
    /// A plan task as it is.
    Same(usize),
    /// A row with an unknown area.
    Bad,
}

const AREAS: [&str; 3] = ["tthc", "chi-dao", "cong-vu"];
const AGENCIES: [&str; 4] = ["SNV", "STP", "VPUB", "XTEST"];
const TITLES: [&str; 4] = [
    "Rà soát thủ tục hành chính",
    "rà soát thủ tục hành chính",
    "Báo cáo CCHC quý",
    "Số hóa hồ sơ",
];
const STATUSES: [Status; 4] = [
    Status::NotStarted,
    Status::InProgress,
    Status::Done,
    Status::Blocked,
];

fn row() -> impl Strategy<Value = Row> {
    prop_oneof![
        5 => (0..3usize, 0..4usize, 0..4usize, 0..900i64, 0..4usize, any::<bool>())
            .prop_map(|(a, g, t, d, s, r)| Row::New(a, g, t, d, s, r)),
        3 => (0..60usize, 0..4usize, proptest::option::of(0..900i64), proptest::option::of(0..4usize))
            .prop_map(|(i, s, d, t)| Row::Update(i, s, d, t)),
        1 => (0..60usize).prop_map(Row::Same),
    ]
}

/// `rows` with each plan task named once (a second row naming one is a bad row, tested on its
/// own), and a bad row at `bad` if given.
fn distinct(rows: Vec<Row>, bad: Option<usize>) -> Vec<Row> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<Row> = rows
        .into_iter()
        .filter(|r| match r {
            Row::Update(p, ..) | Row::Same(p) => seen.insert(*p),
            _ => true,
        })
        .collect();
    if let Some(at) = bad {
        out.insert(at.min(out.len()), Row::Bad);
    }
    out
}

fn day(days: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).unwrap() + chrono::Duration::days(days)
}

fn with_status(mut t: NewTask, s: usize) -> NewTask {
    t.status = STATUSES[s];
    t.progress = match t.status {
        Status::Done => 100,
        Status::InProgress => 40,
        _ => 0,
    };
    t.completed_on =
        (t.status == Status::Done).then(|| NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    t
}

fn items(rows: &[Row], new_agency: bool, measure: bool) -> Vec<ImportItem> {
    let plan = crate::plan::load().unwrap();
    let mut out = Vec::new();
    if new_agency {
        out.push(ImportItem::Agency(Agency {
            code: "XTEST".into(),
            name: "UBND xã Thử".into(),
            kind: AgencyKind::Commune,
        }));
    }
    for (i, r) in rows.iter().enumerate() {
        let task = match r {
            Row::New(a, g, t, d, s, own_ref) => with_status(
                NewTask {
                    plan_ref: if *own_ref {
                        format!("GEN/{i}")
                    } else {
                        String::new()
                    },
                    area: AREAS[*a].into(),
                    lead_agency: AGENCIES[if new_agency { *g } else { *g % 3 }].into(),
                    coordinating: if *g == 0 { vec!["STP".into()] } else { vec![] },
                    coordinating_inferred: vec![],
                    title: TITLES[*t].into(),
                    detail: String::new(),
                    output: "Báo cáo".into(),
                    due: day(*d),
                    due_assumed: false,
                    recurrence: Recurrence::Once,
                    status: Status::NotStarted,
                    progress: 0,
                    completed_on: None,
                },
                *s,
            ),
            Row::Update(p, s, d, t) => {
                let mut task = with_status(plan.tasks[*p].clone(), *s);
                if let Some(d) = d {
                    task.due = day(*d);
                }
                if let Some(t) = t {
                    task.title = TITLES[*t].into();
                }
                task
            }
            Row::Same(p) => plan.tasks[*p].clone(),
            Row::Bad => NewTask {
                area: "no-such-area".into(),
                ..plan.tasks[0].clone()
            },
        };
        out.push(ImportItem::Task(i + 2, task));
    }
    if measure {
        out.push(ImportItem::Measurement(NewMeasurement {
            indicator: plan.indicators[0].code.clone(),
            value: 55.0,
            measured_on: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            source: "Sở Nội vụ".into(),
            note: String::new(),
        }));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Two imports in a row, each turning to the bulk path after a random number of writes
    /// (or never), leave the file as the row-by-row path leaves it.
    #[test]
    fn the_bulk_path_writes_what_the_row_by_row_path_writes(
        first in proptest::collection::vec(row(), 0..40),
        second in proptest::collection::vec(row(), 0..40),
        bad in proptest::option::weighted(0.15, 0..40usize),
        twice in proptest::option::weighted(0.1, 0..60usize),
        switch in (0..45usize, 0..45usize),
        rebuild in (any::<bool>(), any::<bool>()),
        agency in any::<bool>(),
        measure in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (row_by_row, bulk) = (copy_of_template(dir.path(), "a.sqlite3"), copy_of_template(dir.path(), "b.sqlite3"));
        let first = distinct(first, bad);
        let mut second = distinct(second, None);
        if let Some(p) = twice {
            second.extend([Row::Same(p), Row::Update(p, 1, None, None)]);
        }
        let expect = |rebuild: bool| if rebuild { 1_000_000 } else { 0 };
        let imports = |a: usize, b: usize| vec![
            (items(&first, agency, measure), a, expect(rebuild.0)),
            (items(&second, false, false), b, expect(rebuild.1)),
        ];
        let said = run(&row_by_row, &imports(usize::MAX, usize::MAX));
        let said_bulk = run(&bulk, &imports(switch.0, switch.1));
        prop_assert_eq!(&said, &said_bulk);
        prop_assert_eq!(first_difference(&row_by_row, &bulk), None);
    }
}

/// A large import, past the moves the tally keeps (4,096) and with changes among the new
/// tasks, turning to the bulk path part way: the same file as row by row.
#[test]
fn a_large_import_on_the_bulk_path_is_the_row_by_row_import() {
    // New tasks (one in five without a reference of its own, each a different task), and
    // sixty plan tasks changed on the way.
    let rows: Vec<Row> = (0..5_000)
        .map(|i| match i % 50 {
            7 if i < 3_000 => Row::Update(i / 50, i % 4, Some((i % 700) as i64), None),
            _ => Row::New(
                i % 3,
                i % 4,
                i % 4,
                (i % 1_800) as i64,
                i % 4,
                i % 5 != 0 || i >= 1_800,
            ),
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (row_by_row, bulk) = (
        copy_of_template(dir.path(), "a.sqlite3"),
        copy_of_template(dir.path(), "b.sqlite3"),
    );
    let said = run(&row_by_row, &[(items(&rows, true, true), usize::MAX, 0)]);
    let said_bulk = run(&bulk, &[(items(&rows, true, true), 1_000, rows.len())]);
    assert_eq!(said, said_bulk);
    let created = said[0].as_ref().expect("the import succeeds").created;
    assert_eq!(created, 4_940);
    assert_eq!(first_difference(&row_by_row, &bulk), None);
}
