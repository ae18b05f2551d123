//! `src/store/schema/pg/schema.sql` against the SQLite schema `cchc init` makes: the same
//! tables, columns, indexes and triggers, and the same counts from the tally's triggers for the
//! same writes (the SQLite file is written by rusqlite with the same raw SQL).

mod common;
mod pg_common;

use pg_common::Scratch;
use postgres::Client;
use rusqlite::Connection;

/// SQLite's tables that PostgreSQL does not have: FTS5's (trigrams are pg_trgm's there).
const SQLITE_ONLY: [&str; 4] = [
    "task_search",
    "task_search_data",
    "task_search_idx",
    "task_search_config",
];

fn sqlite_file() -> (common::Sandbox, Connection) {
    let sandbox = common::Sandbox::new();
    let path = sandbox.init_sqlite("plan.sqlite3");
    let conn = Connection::open(path).expect("open the SQLite file");
    (sandbox, conn)
}

#[test]
fn the_tables_columns_indexes_and_triggers_are_sqlites() {
    let (_sandbox, lite) = sqlite_file();
    let s = Scratch::new("shape");
    let mut pg = s.root();
    let mut tables: Vec<String> = lite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !SQLITE_ONLY.contains(&t.as_str()));
    let pg_tables: Vec<String> = pg
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(pg_tables, tables);

    for table in &tables {
        // (name, type, NOT NULL) in column order; a primary key's NOT NULL is PostgreSQL's
        // own (SQLite lets a non-integer key hold NULL), so only other columns are compared.
        let lite_cols: Vec<(String, String, bool)> = lite
            .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")
            .unwrap()
            .query_map([table], |r| {
                let ty: String = r.get(1)?;
                let pg_type = match ty.as_str() {
                    "INTEGER" => "bigint",
                    "REAL" => "double precision",
                    "TEXT" => "text",
                    other => panic!("{table}: SQLite type {other} has no rule"),
                };
                Ok((
                    r.get(0)?,
                    pg_type.to_string(),
                    r.get::<_, bool>(2)? || r.get::<_, i64>(3)? > 0,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let pg_cols: Vec<(String, String, bool)> = pg
            .query(
                "SELECT column_name::text, data_type::text, is_nullable = 'NO'
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1
                 ORDER BY ordinal_position",
                &[table],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        assert_eq!(pg_cols, lite_cols, "table {table}");
    }

    let names = |lite: &Connection, kind: &str| -> Vec<String> {
        lite.prepare(
            "SELECT name FROM sqlite_master WHERE type = ?1 AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap()
        .query_map([kind], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let pg_names = |pg: &mut Client, sql: &str| -> Vec<String> {
        pg.query(sql, &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let pg_indexes = pg_names(
        &mut pg,
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()",
    );
    for index in names(&lite, "index") {
        assert!(
            pg_indexes.contains(&index),
            "index {index} missing: {pg_indexes:?}"
        );
    }
    let pg_triggers = pg_names(
        &mut pg,
        "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal",
    );
    for trigger in names(&lite, "trigger") {
        assert!(
            pg_triggers.contains(&trigger),
            "trigger {trigger} missing: {pg_triggers:?}"
        );
    }
    let file_id: String = pg
        .query_one("SELECT value FROM meta WHERE key = 'file_id'", &[])
        .unwrap()
        .get(0);
    assert_eq!(file_id.len(), 8, "{file_id}");
}

/// The same raw SQL for both engines, each statement one write; their counted effects are
/// noted (moves made).
const SCRIPT: &[&str] = &[
    "INSERT INTO areas (code, name_vi, name_en, position) VALUES ('zz-a', 'A', 'A', 90), ('zz-b', 'B', 'B', 91)",
    "INSERT INTO agencies (code, name, kind, position) VALUES ('ZA', 'Za', 'department', 90), ('ZB', 'Zb', 'department', 91)",
    // Six tasks, one withdrawn from the start and one done: five moves.
    "INSERT INTO tasks (id, area, lead_agency, title, due, recurrence, status, progress, completed_on, withdrawn_on, updated_by, updated_at) VALUES
        (900001, 'zz-a', 'ZA', 't1', '2027-01-31', 'once', 'not-started', 0, NULL, NULL, 'x', 't'),
        (900002, 'zz-a', 'ZA', 't2', '2027-01-15', 'once', 'in-progress', 10, NULL, NULL, 'x', 't'),
        (900003, 'zz-a', 'ZB', 't3', '2027-02-28', 'once', 'done', 100, '2027-02-01', NULL, 'x', 't'),
        (900004, 'zz-b', 'ZB', 't4', '2027-02-01', 'once', 'blocked', 0, NULL, NULL, 'x', 't'),
        (900005, 'zz-b', 'ZA', 't5', '2027-03-31', 'yearly', 'not-started', 0, NULL, NULL, 'x', 't'),
        (900006, 'zz-b', 'ZA', 't6', '2027-03-31', 'once', 'not-started', 0, NULL, '2026-11-30', 'x', 't')",
    // Nothing counted changes: no move.
    "UPDATE tasks SET progress = 30 WHERE id = 900001",
    "UPDATE tasks SET status = status, area = area, due = due WHERE id = 900002",
    // Two moves each: out of the old group, into the new.
    "UPDATE tasks SET status = 'done', completed_on = '2027-02-01' WHERE id = 900001",
    "UPDATE tasks SET due = '2027-06-30' WHERE id = 900002",
    "UPDATE tasks SET area = 'zz-b' WHERE id = 900003",
    "UPDATE tasks SET lead_agency = 'ZB' WHERE id = 900005",
    // Withdrawn: one move out; restored: one move in.
    "UPDATE tasks SET withdrawn_on = '2026-12-01' WHERE id = 900004",
    "UPDATE tasks SET withdrawn_on = NULL WHERE id = 900006",
    // Search text only: no move.
    "UPDATE tasks SET title = 'renamed', output = 'o' WHERE id = 900002",
    "INSERT INTO notes (id, task_id, author, at, text) VALUES (900001, 900003, 'x', 't', 'n')",
    "UPDATE notes SET text = 'm' WHERE id = 900001",
    "DELETE FROM notes WHERE id = 900001",
    // Deleted: one move out, none for a withdrawn task.
    "DELETE FROM tasks WHERE id = 900005",
    "DELETE FROM tasks WHERE id = 900004",
    "UPDATE agencies SET name = 'Za mới' WHERE code = 'ZA'",
];

/// Moves the script makes (see its comments).
const SCRIPT_MOVES: i64 = 5 + 2 * 4 + 1 + 1 + 1;

/// Enough tasks in one statement to prune the moves to the newest 4,096 (same SQL on both).
const BULK: &str = "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 4200)
    INSERT INTO tasks (id, area, lead_agency, title, due, recurrence, status, progress, updated_by, updated_at)
    SELECT 910000 + n, CASE n % 2 WHEN 0 THEN 'zz-a' ELSE 'zz-b' END,
           CASE n % 3 WHEN 0 THEN 'ZA' ELSE 'ZB' END, 'bulk',
           CASE n % 4 WHEN 0 THEN '2028-01-15' WHEN 1 THEN '2028-02-15' WHEN 2 THEN '2028-02-01' ELSE '2029-07-01' END,
           'once', CASE n % 5 WHEN 0 THEN 'done' ELSE 'not-started' END, 0, 'x', 't'
    FROM s";

const TALLY: &str = "SELECT area, lead_agency, month, listed, done FROM task_tally
    WHERE lead_agency IN ('ZA', 'ZB') AND (listed <> 0 OR done <> 0) ORDER BY 1, 2, 3";
/// The tally the tasks themselves give.
const COUNTED: &str = "SELECT area, lead_agency, substr(due, 1, 7), count(*),
        sum(CASE WHEN status = 'done' THEN 1 ELSE 0 END)
    FROM tasks WHERE withdrawn_on IS NULL AND lead_agency IN ('ZA', 'ZB')
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
/// Moves after `$1`/`?1`, numbered from it.
const MOVES_SQLITE: &str = "SELECT id - ?1, area, lead_agency, due, listed, done FROM task_tally_moves WHERE id > ?1 ORDER BY id";
const MOVES_PG: &str = "SELECT id - $1, area, lead_agency, due, listed, done FROM task_tally_moves WHERE id > $1 ORDER BY id";
const STALE: &str = "SELECT task_id FROM task_search_stale WHERE task_id >= 900000 ORDER BY 1";

type Tally = Vec<(String, String, String, i64, i64)>;
type Moves = Vec<(i64, String, String, String, i64, i64)>;

fn lite_tally(c: &Connection, sql: &str) -> Tally {
    c.prepare(sql)
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn pg_tally(c: &mut Client, sql: &str) -> Tally {
    c.query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect()
}

fn lite_moves(c: &Connection, after: i64) -> Moves {
    c.prepare(MOVES_SQLITE)
        .unwrap()
        .query_map([after], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn pg_moves(c: &mut Client, after: i64) -> Moves {
    c.query(MOVES_PG, &[&after])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
        .collect()
}

#[test]
fn the_tally_and_its_moves_count_as_sqlites_triggers_do() {
    let (_sandbox, lite) = sqlite_file();
    let s = Scratch::new("tally");
    let mut pg = s.root();
    // The seeded plan's moves come first in the file; the script's are numbered after them.
    let base: i64 = lite
        .query_row(
            "SELECT coalesce(max(id), 0) FROM task_tally_moves",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for sql in SCRIPT {
        lite.execute_batch(sql)
            .unwrap_or_else(|e| panic!("SQLite: {sql}: {e}"));
        pg.batch_execute(sql)
            .unwrap_or_else(|e| panic!("PostgreSQL: {sql}: {e}"));
    }
    let moves = pg_moves(&mut pg, 0);
    assert_eq!(moves.len() as i64, SCRIPT_MOVES, "{moves:#?}");
    assert_eq!(moves, lite_moves(&lite, base));
    // By hand: task 900001 went from open to done in ZA's January, after its insert.
    assert_eq!(
        moves[5..7].to_vec(),
        vec![
            (6, "zz-a".into(), "ZA".into(), "2027-01-31".into(), -1, 0),
            (7, "zz-a".into(), "ZA".into(), "2027-01-31".into(), 1, 1),
        ]
    );
    let tally = pg_tally(&mut pg, TALLY);
    assert_eq!(tally, lite_tally(&lite, TALLY));
    assert_eq!(
        tally,
        pg_tally(&mut pg, COUNTED),
        "the tally is the tasks' count"
    );
    let pg_stale: Vec<i64> = pg
        .query(STALE, &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let lite_stale: Vec<i64> = lite
        .prepare(STALE)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pg_stale, lite_stale);
    assert_eq!(pg_stale, (900001..=900006).collect::<Vec<i64>>());

    // Past 4,096 moves the oldest go, the same ones on both.
    lite.execute_batch(BULK).unwrap();
    pg.batch_execute(BULK).unwrap();
    let moves = pg_moves(&mut pg, 0);
    assert_eq!(moves.len(), 4096);
    assert_eq!(moves[0].0, SCRIPT_MOVES + 4200 - 4095);
    assert_eq!(moves, lite_moves(&lite, base));
    let tally = pg_tally(&mut pg, TALLY);
    assert_eq!(tally, lite_tally(&lite, TALLY));
    assert_eq!(tally, pg_tally(&mut pg, COUNTED));
}

/// Readers take the moves by consecutive id (store/tally.rs): a writer that waits for another
/// numbers its moves after the other's outcome, so a rollback leaves no gap and no move
/// commits below one already visible.
#[test]
fn concurrent_writers_number_the_moves_without_gaps_in_commit_order() {
    let s = pg_common::planned("order");
    let mut first = s.root();
    let update = "UPDATE tasks SET status = 'done' WHERE id = $1";
    for outcome in ["rollback", "commit"] {
        let mut tx = first.transaction().unwrap();
        tx.execute(update, &[&1i64]).unwrap();
        // The second writer's statement waits for the first transaction's lock.
        let mut second = s.root();
        let (sent, waited) = std::sync::mpsc::channel();
        let writer = std::thread::spawn(move || {
            second.execute(update, &[&2i64]).unwrap();
            let _ = sent.send(());
            second
        });
        assert!(
            waited
                .recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "the second writer did not wait ({outcome})"
        );
        match outcome {
            "rollback" => tx.rollback().unwrap(),
            _ => tx.commit().unwrap(),
        }
        writer.join().expect("the second writer");
        // Undo task 2 for the next round (two more moves).
        let mut root = s.root();
        root.execute("UPDATE tasks SET status = 'not-started' WHERE id = 2", &[])
            .unwrap();
    }
    let moves: Vec<(i64, i64, i64)> = s
        .root()
        .query(
            "SELECT id, listed, done FROM task_tally_moves ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let ids: Vec<i64> = moves.iter().map(|m| m.0).collect();
    // PLAN's three tasks, then per round: [first's two if committed], second's two, the undo's two.
    assert_eq!(ids, (1..=3 + 4 + 6).collect::<Vec<i64>>(), "{moves:?}");
}
