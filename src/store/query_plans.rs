//! The filters the TUI and the CLI use must be answered from an index, not by scanning every
//! task: at 100,000 tasks a scan costs tens of milliseconds per query (docs/BENCHMARKS.md).
//! These tests read SQLite's `EXPLAIN QUERY PLAN` for the store's own statements.

use rusqlite::Connection;

use super::reads::TASK_COLUMNS;
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
        &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE {BY_PLAN_REF}"),
    );
    assert!(plan.contains("INDEX tasks_by_plan_ref"), "{plan}");
}

/// Each filter the task list offers, alone, is answered from its index.
#[test]
fn every_task_filter_uses_its_index() {
    use super::reads::task_query;
    let (_dir, store) = seeded();
    for (clause, index) in [
        ("area = ?", "tasks_by_area"),
        (
            "lead_agency IN (SELECT value FROM json_each(?))",
            "tasks_by_lead",
        ),
        ("status = ?", "tasks_by_status"),
        ("status <> 'done' AND due < ?", "tasks_by_due"),
        ("due < ?", "tasks_by_due"),
    ] {
        let plan = plan_of(&store.conn, &task_query(&[clause]));
        assert!(
            plan.contains(&format!("SEARCH tasks USING INDEX {index}"))
                || plan.contains(&format!("SEARCH tasks USING COVERING INDEX {index}")),
            "{clause}: {plan}"
        );
    }
}

/// The incremental reload reads only the rows written since the sequence it has seen.
#[test]
fn the_incremental_reload_searches_by_change_seq() {
    use super::reads::CHANGED_SINCE;
    let (_dir, store) = seeded();
    let plan = plan_of(
        &store.conn,
        &format!("SELECT {TASK_COLUMNS} FROM tasks WHERE {CHANGED_SINCE} ORDER BY change_seq"),
    );
    assert!(plan.contains("INDEX tasks_by_change"), "{plan}");
}
