//! `cchc migrate`: a whole database copied into an empty one, on either engine, row for row.
//! The change log keeps its ids and hashes, so the target verifies as the source did; what
//! the tables derive (the tally and its moves, the search text) the target's triggers and its
//! write make again.

use rusqlite::types::Value;

use super::Store;
use super::engine::{Db, Row};
use crate::error::{Error, Result};

/// The tables that hold what the working group wrote, parents before children.
const TABLES: &[&str] = &[
    "areas",
    "agencies",
    "indicators",
    "targets",
    "tasks",
    "notes",
    "measurements",
    "members",
    "reminders",
    "change_log",
];

/// How many rows of each table were copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(&'static str, usize)>,
}

impl Copied {
    pub fn rows(&self, table: &str) -> usize {
        self.tables
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }
}

/// One table's rows, with its column names.
struct Rows {
    columns: Vec<String>,
    values: Vec<Vec<Value>>,
}

impl Store {
    /// Copies every row of this store into `target`, which must hold no task and no change-log
    /// entry (a database just made with `create_bare`), in one write transaction on the target:
    /// all of it or nothing. The source is read in one snapshot.
    pub fn copy_into(&self, target: &mut Store) -> Result<Copied> {
        if target.task_count()? > 0 || target.log_count()? > 0 {
            return Err(Error::invalid(format!(
                "{} already holds tasks or a change log; migrate copies into an empty database only",
                target.path().display()
            )));
        }
        let snapshot = self.conn.unchecked_transaction()?;
        let meta = read_table(&snapshot, "meta")?;
        let tables = TABLES
            .iter()
            .map(|t| Ok((*t, read_table(&snapshot, t)?)))
            .collect::<Result<Vec<_>>>()?;
        snapshot.commit()?;
        target.write(|tx| {
            // The source's file id, so the references it gave its own tasks keep their meaning.
            tx.execute_batch("DELETE FROM meta")?;
            insert_all(tx, "meta", &meta)?;
            let mut copied = Vec::new();
            for (table, rows) in &tables {
                insert_all(tx, table, rows)?;
                copied.push((*table, rows.values.len()));
            }
            Ok(Copied { tables: copied })
        })
    }
}

fn read_table(db: &Db, table: &str) -> Result<Rows> {
    // `table` is one of the fixed names above, never input.
    let mut stmt = db.prepare(&format!("SELECT * FROM {table} ORDER BY 1"))?;
    let mut rows = stmt.query(())?;
    let mut out = Rows {
        columns: Vec::new(),
        values: Vec::new(),
    };
    while let Some(row) = rows.next()? {
        if out.columns.is_empty() {
            out.columns = row.column_names();
        }
        out.values.push(row_values(&row, out.columns.len())?);
    }
    Ok(out)
}

fn row_values(row: &Row<'_>, n: usize) -> Result<Vec<Value>> {
    (0..n)
        .map(|i| Ok(row.get::<_, Value>(i)?))
        .collect::<Result<_>>()
}

fn insert_all(tx: &Db, table: &str, rows: &Rows) -> Result<()> {
    if rows.values.is_empty() {
        return Ok(());
    }
    // The columns come from the source's own table, named as the target's (the schemas match).
    let columns: Vec<String> = rows.columns.iter().map(|c| format!("\"{c}\"")).collect();
    let head = format!("INSERT INTO {table} ({})", columns.join(", "));
    super::batch::insert_rows(
        tx,
        &head,
        columns.len(),
        &rows.values,
        |stmt, at, values| {
            for (i, v) in values.iter().enumerate() {
                stmt.raw_bind_parameter(at + i, v)?;
            }
            Ok(())
        },
    )
}
