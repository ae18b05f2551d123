//! Many rows in one INSERT statement. An import writes 100,000 tasks and as many change-log
//! entries; one statement per row paid SQLite's per-statement work (and its statement journal,
//! which copies every page a statement touches first) once per row, where the rows of one
//! statement share the same few tail pages of each table and index.

use crate::store::engine::{Db, Stmt};

use crate::error::Result;

/// Rows per statement: 512 rows of the widest table (19 columns) stay below SQLite's limit
/// of 32,766 parameters. Every INSERT into tasks may abort half-way (the tally trigger's
/// upsert is compiled to abort on a constraint, whatever the statement says), so SQLite
/// copies each page a statement touches to a statement journal first: the more rows share a
/// statement, the fewer copies of the same index pages.
pub(super) const ROWS: usize = 512;

/// Inserts `items` with `head` ("INSERT INTO t (a, b, c)") followed by a VALUES list of
/// `columns` parameters per row, `ROWS` rows per statement. `bind` binds one item's values
/// from parameter index `first` on (1-based).
pub(super) fn insert_rows<T>(
    tx: &Db,
    head: &str,
    columns: usize,
    items: &[T],
    bind: impl FnMut(&mut Stmt, usize, &T) -> rusqlite::Result<()>,
) -> Result<()> {
    insert_with(tx, head, columns, items, bind)
}

/// [`insert_rows`] as `INSERT OR FAIL` on SQLite: a refused row stops the statement where it
/// is instead of undoing its earlier rows, which spares SQLite the statement journal (a copy
/// of every page the statement touches, made in case it must be undone); the caller's
/// transaction is undone whole on any error anyway. Only for a table no trigger of which
/// inserts on conflict (`OR IGNORE`, an upsert): the outer statement's `OR FAIL` would
/// override it. (With foreign keys on SQLite keeps the journal regardless: an import turns
/// them off.)
pub(super) fn insert_rows_unjournaled<T>(
    tx: &Db,
    head: &str,
    columns: usize,
    items: &[T],
    bind: impl FnMut(&mut Stmt, usize, &T) -> rusqlite::Result<()>,
) -> Result<()> {
    match head.strip_prefix("INSERT INTO ") {
        Some(rest) if !tx.is_postgres() => insert_with(
            tx,
            &format!("INSERT OR FAIL INTO {rest}"),
            columns,
            items,
            bind,
        ),
        _ => insert_with(tx, head, columns, items, bind),
    }
}

fn insert_with<T>(
    tx: &Db,
    head: &str,
    columns: usize,
    items: &[T],
    mut bind: impl FnMut(&mut Stmt, usize, &T) -> rusqlite::Result<()>,
) -> Result<()> {
    for chunk in items.chunks(ROWS) {
        let mut stmt = tx.prepare_cached(&values_sql(head, columns, chunk.len()))?;
        for (row, item) in chunk.iter().enumerate() {
            bind(&mut stmt, row * columns + 1, item)?;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}

/// `head` VALUES (?, …), … for `rows` rows: placeholders only, never a value.
fn values_sql(head: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    format!("{head} VALUES {}", vec![row; rows].join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_every_chunk_are_written_in_order() {
        let mut conn =
            crate::store::engine::Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)")
            .unwrap();
        let tx = conn.transaction().unwrap();
        // Two full statements and a short one.
        let items: Vec<(i64, String)> = (1..=2 * ROWS as i64 + 5)
            .map(|n| (n, format!("row {n}")))
            .collect();
        insert_rows(
            &tx,
            "INSERT INTO t (id, a, b)",
            3,
            &items,
            |s, at, (n, a)| {
                s.raw_bind_parameter(at, n)?;
                s.raw_bind_parameter(at + 1, a)?;
                s.raw_bind_parameter(at + 2, n * 10)
            },
        )
        .unwrap();
        let rows: Vec<(i64, String, i64)> = tx
            .prepare("SELECT id, a, b FROM t ORDER BY id")
            .unwrap()
            .query_map((), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows.len(), items.len());
        for ((id, a, b), (n, text)) in rows.iter().zip(&items) {
            assert_eq!((id, a, *b), (n, text, n * 10));
        }
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 2),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
