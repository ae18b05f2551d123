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

/// How many rows are read and written at a time (a handful in tests, so that chunks end).
const CHUNK: i64 = if cfg!(test) { 7 } else { 2_048 };

/// The tables whose rows are many (by an integer id, read a chunk at a time); the others are
/// a few dozen rows, read whole.
const LARGE: &[&str] = &["tasks", "notes", "measurements", "change_log"];

impl Store {
    /// Copies every row of this store into `target`, which must hold no task and no change-log
    /// entry (a database just made with `create_bare`), in one write transaction on the target:
    /// all of it or nothing. The source is read in one snapshot, table by table, a few
    /// thousand rows at a time (by id), each chunk written as it is read: a million tasks and
    /// their log take the memory of a chunk, on either engine at either end.
    pub fn copy_into(&self, target: &mut Store) -> Result<Copied> {
        if target.task_count()? > 0 || target.log_count()? > 0 {
            return Err(Error::invalid(format!(
                "{} already holds tasks or a change log; migrate copies into an empty database only",
                target.path().display()
            )));
        }
        let snapshot = self.conn.unchecked_transaction()?;
        let copied = target.write(|tx| {
            // The source's file id, so the references it gave its own tasks keep their meaning.
            tx.execute_batch("DELETE FROM meta")?;
            copy_table(&snapshot, tx, "meta")?;
            let mut copied = Vec::new();
            for table in TABLES {
                copied.push((*table, copy_table(&snapshot, tx, table)?));
            }
            Ok(Copied { tables: copied })
        });
        snapshot.commit()?;
        copied
    }
}

/// Copies one table's rows, in the order of its first column, and says how many.
fn copy_table(from: &Db, to: &Db, table: &str) -> Result<usize> {
    // `table` is one of the fixed names above, never input.
    if !LARGE.contains(&table) {
        let mut stmt = from.prepare(&format!("SELECT * FROM {table} ORDER BY 1"))?;
        let (columns, rows) = read_rows(&mut stmt, ())?;
        insert_all(to, table, &columns, &rows)?;
        return Ok(rows.len());
    }
    let mut stmt = from.prepare(&format!(
        "SELECT * FROM {table} WHERE id > ?1 ORDER BY id LIMIT ?2"
    ))?;
    let (mut after, mut total) = (i64::MIN, 0);
    loop {
        let (columns, rows) = read_rows(&mut stmt, rusqlite::params![after, CHUNK])?;
        let Some(last) = rows.last() else {
            return Ok(total);
        };
        // The id is the first column of each of these tables.
        after = match last.first() {
            Some(Value::Integer(id)) => *id,
            _ => return Err(Error::invalid(format!("{table}: a row without an id"))),
        };
        insert_all(to, table, &columns, &rows)?;
        total += rows.len();
    }
}

/// The rows a statement reads, with the column names.
fn read_rows<A: super::engine::Args>(
    stmt: &mut super::engine::Stmt,
    args: A,
) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
    let mut rows = stmt.query(args)?;
    let (mut columns, mut values) = (Vec::new(), Vec::new());
    while let Some(row) = rows.next()? {
        if columns.is_empty() {
            columns = row.column_names();
        }
        values.push(row_values(&row, columns.len())?);
    }
    Ok((columns, values))
}

fn row_values(row: &Row<'_>, n: usize) -> Result<Vec<Value>> {
    (0..n)
        .map(|i| Ok(row.get::<_, Value>(i)?))
        .collect::<Result<_>>()
}

fn insert_all(tx: &Db, table: &str, columns: &[String], rows: &[Vec<Value>]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // The columns come from the source's own table, named as the target's (the schemas match).
    let columns: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let head = format!("INSERT INTO {table} ({})", columns.join(", "));
    super::batch::insert_rows(tx, &head, columns.len(), rows, |stmt, at, values| {
        for (i, v) in values.iter().enumerate() {
            stmt.raw_bind_parameter(at + i, v)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::super::OpenOptions;
    use super::*;

    fn rows(store: &Store, table: &str) -> Vec<Vec<Value>> {
        let mut stmt = store
            .conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        read_rows(&mut stmt, ()).unwrap().1
    }

    /// Chunk after chunk (seven rows each here), every row of every table arrives, and the
    /// copy's chain verifies.
    #[test]
    fn a_copy_in_chunks_holds_every_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut from = Store::open(
            &dir.path().join("from.sqlite3"),
            "lan",
            OpenOptions {
                create_with: Some(crate::plan::load().unwrap()),
                ..Default::default()
            },
        )
        .unwrap();
        for id in 1..=20 {
            from.update_task(id, None, &Default::default(), Some("Đã họp"))
                .unwrap();
        }
        let mut to = Store::open(
            &dir.path().join("to.sqlite3"),
            "lan",
            OpenOptions {
                create_bare: true,
                ..Default::default()
            },
        )
        .unwrap();
        let copied = from.copy_into(&mut to).unwrap();
        for table in TABLES {
            let (a, b) = (rows(&from, table), rows(&to, table));
            if ["tasks", "notes", "change_log"].contains(table) {
                assert!(a.len() > 2 * CHUNK as usize, "{table}: several chunks");
            }
            assert_eq!(copied.rows(table), a.len(), "{table}");
            assert_eq!(a, b, "{table}");
        }
        assert_eq!(to.verify_chain().unwrap(), None);
    }
}
