//! The filters the TUI and the CLI use must be answered from an index, not by scanning every
//! task: at 100,000 tasks a scan costs tens of milliseconds per query (docs/BENCHMARKS.md).
//! These tests read SQLite's `EXPLAIN QUERY PLAN` for the store's own statements.

use rusqlite::Connection;

use super::writes::BY_PLAN_REF;
use super::{OpenOptions, Store};

fn seeded() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &dir.path().join("plans.sqlite3"),
        "tester",
        OpenOptions {
            read_only: false,
            create_with: Some(crate::plan::load().unwrap()),
        },
    )
    .unwrap();
    (dir, store)
}

/// The plan's lines joined by " / ", e.g. "SEARCH tasks USING INDEX tasks_by_due (due<?)".
fn plan_of(conn: &Connection, sql: &str) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    // Parameters stay unbound (NULL): the plan is chosen before any value is known.
    let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
    let rows = stmt
        .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
        .unwrap();
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
        .join(" / ")
}

#[test]
fn import_finds_existing_tasks_by_plan_ref_through_the_index() {
    let (_dir, store) = seeded();
    let plan = plan_of(
        &store.conn,
        &format!("SELECT id FROM tasks WHERE {BY_PLAN_REF}"),
    );
    assert!(plan.contains("INDEX tasks_by_plan_ref"), "{plan}");
}
