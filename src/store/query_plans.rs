//! The filters the TUI and the CLI use must be answered from an index, not by scanning every
//! task: at 100,000 tasks a scan costs tens of milliseconds per query (docs/BENCHMARKS.md).
//! These tests read SQLite's `EXPLAIN QUERY PLAN` for the store's own statements.

use crate::store::engine::Db;

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
            ..Default::default()
        },
    )
    .unwrap();
    (dir, store)
}

/// The plan's lines joined by " / ", e.g. "SEARCH tasks USING INDEX tasks_by_due (due<?)".
fn plan_of(conn: &Db, sql: &str) -> String {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    // Parameters stay unbound (NULL): the plan is chosen before any value is known.
    let count = stmt.sqlite().map_or(0, |s| s.parameter_count());
    let nulls = vec![rusqlite::types::Null; count];
    let rows = stmt
        .query_map(crate::store::engine::params_from_iter(nulls), |r| {
            r.get::<_, String>(3)
        })
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

/// A CSV row without a plan reference is looked up through an index (its area or lead agency,
/// and its due date), not by reading every task.
#[test]
fn import_finds_a_row_without_plan_ref_through_an_index() {
    let (_dir, store) = seeded();
    let plan = plan_of(
        &store.conn,
        &format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE {}",
            super::import::SAME_TASK
        ),
    );
    assert!(plan.starts_with("SEARCH tasks USING INDEX"), "{plan}");
}

/// The agency filter (a few hundredths of the tasks) is answered from its index; the broad
/// filters and the whole list read the table in file order, never through an index or SQLite's
/// sorter (both about twice as slow at 100,000 tasks; the store sorts the rows itself).
#[test]
fn task_filters_read_the_way_measured_fastest() {
    use super::reads::{
        FILTER_AGENCIES, FILTER_AREA, FILTER_DUE_AFTER, FILTER_DUE_BEFORE, FILTER_OVERDUE,
        FILTER_STATUS, task_query,
    };
    let (_dir, store) = seeded();
    let plan = plan_of(&store.conn, &task_query(&[FILTER_AGENCIES]));
    assert!(
        plan.contains("SEARCH tasks USING INDEX tasks_by_lead"),
        "{plan}"
    );
    for clauses in [
        &[][..],
        &[FILTER_AREA],
        &[FILTER_STATUS],
        &[FILTER_OVERDUE],
        &[FILTER_DUE_BEFORE],
        &[FILTER_DUE_AFTER],
        &[FILTER_AREA, FILTER_OVERDUE],
    ] {
        let plan = plan_of(&store.conn, &task_query(clauses));
        assert_eq!(plan, "SCAN tasks", "{clauses:?}");
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

/// A task's history, a member's entries and a quarter's entries come from the log's indexes.
#[test]
fn log_filters_use_their_indexes() {
    use super::log::log_query;
    let (_dir, store) = seeded();
    for (clauses, index) in [
        (&["entity = ?", "entity_id = ?"][..], "change_log_by_entity"),
        (&["user = ?"], "change_log_by_user"),
        (&["at >= ?", "at < ?"], "change_log_by_at"),
    ] {
        let plan = plan_of(&store.conn, &log_query(clauses, "DESC"));
        assert!(
            plan.contains(&format!("INDEX {index}")),
            "{clauses:?}: {plan}"
        );
    }
}

/// The task list's pages (issue 11) walk an index in (due, id) order and stop after a page:
/// no scan of the table and no sort of every row, in every order, scope and filter.
#[test]
fn list_pages_walk_an_index_in_list_order() {
    use crate::store::ListSpec;
    use crate::view::{Scope, Sort};
    let (_dir, store) = seeded();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    for scope in [
        Scope::All,
        Scope::Area("tthc".into()),
        Scope::Agency("SNV".into()),
    ] {
        for overdue in [false, true] {
            let spec = ListSpec {
                scope: scope.clone(),
                overdue,
                sort: Sort::Due,
                reverse: false,
                today,
            };
            for sql in super::list::page_statements(&spec, "tthc") {
                let plan = plan_of(&store.conn, &sql);
                assert!(plan.contains("USING INDEX"), "{plan}\n{sql}");
                assert!(!plan.contains("TEMP B-TREE"), "{plan}\n{sql}");
            }
        }
    }
}

/// A page before a key reads from the key down, also when the overdue filter has its own
/// upper bound on the due date: SQLite took `due < today` for the range and walked every
/// overdue task down to the key (issue 11: 350,000 VM steps at a million tasks).
#[test]
fn a_page_before_a_key_starts_at_the_key_under_the_overdue_filter() {
    use crate::store::{ListSpec, Page};
    use crate::view::{Scope, Sort};
    let (_dir, store) = seeded();
    let spec = ListSpec {
        scope: Scope::All,
        overdue: true,
        sort: Sort::Due,
        reverse: false,
        today: chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
    };
    let first = store.list_page(&spec, Page::First, 0, 1).unwrap();
    let (key, _) = first.first().expect("overdue tasks in 2030");
    let overdue = store.list_ids(&spec).unwrap().len();
    assert!(overdue > 200, "{overdue} overdue tasks");
    let (sql, values) = super::list::page_before(&spec, *key, 10);
    let mut stmt = store.conn.prepare(&sql).unwrap();
    let rows: Vec<i64> = stmt
        .query_map(crate::store::engine::params_from_iter(values.iter()), |r| {
            r.get(0)
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(rows.is_empty(), "nothing is listed before the first task");
    let steps = stmt
        .sqlite()
        .map_or(0, |s| s.get_status(rusqlite::StatementStatus::VmStep));
    assert!(
        steps < 200,
        "{steps} VM steps for an empty page ({overdue} overdue tasks)"
    );
}
