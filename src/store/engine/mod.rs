//! One connection to either engine, SQLite (the embedded default) or PostgreSQL (a province's
//! server), behind the slice of rusqlite's API the store uses: `execute`, `query_row`,
//! `prepare(_cached)` with `query_map`/`query`, `execute_batch` and transactions. The store's
//! statements are written once, in the SQL both engines speak, with `?1` placeholders and
//! rusqlite's parameter and column types; only schema, pragmas and full-text search differ per
//! engine (`Db::is_postgres`).
//!
//! Errors keep rusqlite's type on both engines so the store handles them in one way: a
//! PostgreSQL error travels inside it (see `pg::wrap`) and `crate::error` maps it.

mod dialect;
mod pg;
mod pg_tls;
mod pg_value;

use rusqlite::ToSql;
use rusqlite::types::{FromSql, Value, ValueRef};

pub use pg::{PgConn, server_error, wrap};

/// The client library's reading of a server URL (TLS settings it does not know taken out).
pub fn server_config(url: &str) -> Option<postgres::Config> {
    pg_tls::split_url(url).0.parse().ok()
}

/// The database a store talks to.
pub enum Db {
    Sqlite(rusqlite::Connection),
    // Boxed: a server connection is several times a file's handle, and stores are moved.
    Postgres(Box<PgConn>),
}

/// How a transaction takes its locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behavior {
    /// Reads one consistent snapshot.
    Deferred,
    /// Takes the write lock up front (SQLite's `BEGIN IMMEDIATE`; on PostgreSQL a transaction
    /// advisory lock that every writer takes first), so writes, and the change log's hash
    /// chain, follow one another.
    Immediate,
}

impl Db {
    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// The SQLite connection, for what only SQLite has (pragmas, backup, file control).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(c) => Some(c),
            Db::Postgres(_) => None,
        }
    }

    pub fn postgres(&self) -> Option<&PgConn> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(c) => Some(c),
        }
    }

    pub fn execute<A: Args>(&self, sql: &str, args: A) -> rusqlite::Result<usize> {
        match self {
            Db::Sqlite(c) => args.with_refs(|p| c.prepare_cached(sql)?.execute(p)),
            Db::Postgres(c) => args.with_refs(|p| c.execute(sql, p)),
        }
    }

    pub fn query_row<T, A: Args>(
        &self,
        sql: &str,
        args: A,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(args, f)
    }

    pub fn prepare(&self, sql: &str) -> rusqlite::Result<Stmt<'_>> {
        match self {
            Db::Sqlite(c) => Ok(Stmt::Sqlite(SqliteStmt::Owned(c.prepare(sql)?))),
            Db::Postgres(c) => Ok(Stmt::postgres(c, sql)),
        }
    }

    /// On PostgreSQL every statement is prepared once per connection, cached or not.
    pub fn prepare_cached(&self, sql: &str) -> rusqlite::Result<Stmt<'_>> {
        match self {
            Db::Sqlite(c) => Ok(Stmt::Sqlite(SqliteStmt::Cached(c.prepare_cached(sql)?))),
            Db::Postgres(c) => Ok(Stmt::postgres(c, sql)),
        }
    }

    pub fn execute_batch(&self, sql: &str) -> rusqlite::Result<()> {
        match self {
            Db::Sqlite(c) => c.execute_batch(sql),
            Db::Postgres(c) => c.batch(sql),
        }
    }

    /// Starts a transaction; it rolls back when dropped uncommitted.
    pub fn transaction_with_behavior(&mut self, behavior: Behavior) -> rusqlite::Result<Tx<'_>> {
        self.begin(behavior)
    }

    fn begin(&self, behavior: Behavior) -> rusqlite::Result<Tx<'_>> {
        match self {
            Db::Sqlite(c) => c.execute_batch(match behavior {
                Behavior::Deferred => "BEGIN DEFERRED",
                Behavior::Immediate => "BEGIN IMMEDIATE",
            })?,
            Db::Postgres(c) => c.begin(behavior)?,
        }
        Ok(Tx {
            db: self,
            open: true,
            clock: std::cell::OnceCell::new(),
        })
    }

    /// A pragma, on SQLite. PostgreSQL has none; the store's pragmas tune or guard SQLite
    /// alone, so there it does nothing.
    pub fn pragma_update(
        &self,
        schema: Option<&str>,
        name: &str,
        value: impl ToSql,
    ) -> rusqlite::Result<()> {
        match self {
            Db::Sqlite(c) => c.pragma_update(schema, name, value),
            Db::Postgres(_) => Ok(()),
        }
    }

    /// A deferred transaction from a shared reference (rusqlite's `unchecked_transaction`): the
    /// caller makes sure no other transaction is open on this connection.
    pub fn unchecked_transaction(&self) -> rusqlite::Result<Tx<'_>> {
        self.begin(Behavior::Deferred)
    }

    pub fn transaction(&mut self) -> rusqlite::Result<Tx<'_>> {
        self.transaction_with_behavior(Behavior::Deferred)
    }
}

/// An open transaction; it reads and writes like the connection it came from.
pub struct Tx<'a> {
    db: &'a Db,
    open: bool,
    /// The instant this transaction writes at, once asked (see `Tx::clock`).
    clock: std::cell::OnceCell<chrono::DateTime<chrono::Utc>>,
}

impl Tx<'_> {
    /// The one instant of this transaction's writes: every row it stamps and every change-log
    /// entry it appends carry it. Taken at the first ask, after the write lock (so the log's
    /// times follow its order), from the clock that stamps the store: this machine's for a
    /// file, the server's on PostgreSQL (members' machines may disagree with each other).
    pub fn clock(&self) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
        if let Some(at) = self.clock.get() {
            return Ok(*at);
        }
        let at = self.db.now()?;
        Ok(*self.clock.get_or_init(|| at))
    }
}

#[cfg(test)]
thread_local! {
    /// A file's clock the store's tests fix, so two runs of the same writes compare byte for byte.
    static PINNED_NOW: std::cell::Cell<Option<chrono::DateTime<chrono::Utc>>> =
        const { std::cell::Cell::new(None) };
}

/// Fixes (or, with `None`, frees) what a file's clock says on this thread.
#[cfg(test)]
pub(crate) fn pin_now(at: Option<chrono::DateTime<chrono::Utc>>) {
    PINNED_NOW.with(|p| p.set(at));
}

impl Db {
    /// Now, by the clock that stamps this store's writes: this machine's for a file, the
    /// server's on PostgreSQL.
    pub fn now(&self) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
        #[cfg(test)]
        if let (Db::Sqlite(_), Some(at)) = (self, PINNED_NOW.with(|p| p.get())) {
            return Ok(at);
        }
        match self {
            Db::Sqlite(_) => Ok(chrono::Utc::now()),
            Db::Postgres(_) => {
                let micros: i64 = self.query_row(
                    "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000000) AS BIGINT)",
                    (),
                    |r| r.get(0),
                )?;
                Ok(
                    chrono::DateTime::from_timestamp_micros(micros)
                        .unwrap_or_else(chrono::Utc::now),
                )
            }
        }
    }
}

impl Tx<'_> {
    pub fn commit(mut self) -> rusqlite::Result<()> {
        self.open = false;
        let done = self.db.execute_batch("COMMIT");
        if done.is_err() {
            // A commit that failed (a full disk) leaves the transaction open: end it.
            let _ = self.db.execute_batch("ROLLBACK");
        }
        done
    }
}

impl Tx<'_> {
    pub fn rollback(mut self) -> rusqlite::Result<()> {
        self.open = false;
        self.db.execute_batch("ROLLBACK")
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing to report to: the error that dropped us is the one the caller sees.
            let _ = self.db.execute_batch("ROLLBACK");
        }
    }
}

pub enum SqliteStmt<'a> {
    Owned(rusqlite::Statement<'a>),
    Cached(rusqlite::CachedStatement<'a>),
}

impl<'a> SqliteStmt<'a> {
    fn get(&mut self) -> &mut rusqlite::Statement<'a> {
        match self {
            SqliteStmt::Owned(s) => s,
            SqliteStmt::Cached(s) => s,
        }
    }
}

/// A prepared statement. On PostgreSQL the connection keeps the prepared form; this holds
/// only the text.
pub enum Stmt<'a> {
    Sqlite(SqliteStmt<'a>),
    Postgres {
        conn: &'a PgConn,
        sql: String,
        /// Values bound one by one (`raw_bind_parameter`) for `raw_execute`.
        bound: Vec<Value>,
    },
}

impl<'a> Stmt<'a> {
    fn postgres(conn: &'a PgConn, sql: &str) -> Stmt<'a> {
        Stmt::Postgres {
            conn,
            sql: sql.to_string(),
            bound: Vec::new(),
        }
    }

    /// The SQLite statement, for what only SQLite has (its counters).
    pub fn sqlite(&mut self) -> Option<&mut rusqlite::Statement<'a>> {
        match self {
            Stmt::Sqlite(s) => Some(s.get()),
            Stmt::Postgres { .. } => None,
        }
    }

    pub fn execute<A: Args>(&mut self, args: A) -> rusqlite::Result<usize> {
        match self {
            Stmt::Sqlite(s) => args.with_refs(|p| s.get().execute(p)),
            Stmt::Postgres { conn, sql, .. } => args.with_refs(|p| conn.execute(sql, p)),
        }
    }

    /// Inserts one row and returns its `id` (SQLite's rowid; on PostgreSQL the statement is
    /// asked for `RETURNING id`).
    pub fn insert<A: Args>(&mut self, args: A) -> rusqlite::Result<i64> {
        match self {
            Stmt::Sqlite(s) => args.with_refs(|p| s.get().insert(p)),
            Stmt::Postgres { conn, sql, .. } => {
                let rows = args.with_refs(|p| conn.query(&format!("{sql} RETURNING id"), p))?;
                match rows.first().map(|r| &r.values[0]) {
                    Some(Value::Integer(id)) => Ok(*id),
                    _ => Err(rusqlite::Error::StatementChangedRows(rows.len())),
                }
            }
        }
    }

    /// Binds parameter `index` (1-based) for `raw_execute`.
    pub fn raw_bind_parameter(&mut self, index: usize, value: impl ToSql) -> rusqlite::Result<()> {
        match self {
            Stmt::Sqlite(s) => s.get().raw_bind_parameter(index, value),
            Stmt::Postgres { bound, .. } => {
                if bound.len() < index {
                    bound.resize(index, Value::Null);
                }
                bound[index - 1] = value_of(&value)?;
                Ok(())
            }
        }
    }

    /// Runs the statement with the parameters bound by `raw_bind_parameter`.
    pub fn raw_execute(&mut self) -> rusqlite::Result<usize> {
        match self {
            Stmt::Sqlite(s) => s.get().raw_execute(),
            Stmt::Postgres { conn, sql, bound } => {
                let values = std::mem::take(bound);
                let refs: Vec<&dyn ToSql> = values.iter().map(|v| v as &dyn ToSql).collect();
                conn.execute(sql, &refs)
            }
        }
    }

    /// Every row mapped by `f`, read whole before the first is returned.
    pub fn query_map<T, A: Args>(
        &mut self,
        args: A,
        mut f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<std::vec::IntoIter<rusqlite::Result<T>>> {
        let mut out = Vec::new();
        let mut rows = self.query(args)?;
        while let Some(row) = rows.next()? {
            out.push(f(&row));
        }
        Ok(out.into_iter())
    }

    pub fn query_row<T, A: Args>(
        &mut self,
        args: A,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let mut rows = self.query(args)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(rusqlite::Error::QueryReturnedNoRows),
        }
    }

    /// The rows one at a time (SQLite steps as they are read; PostgreSQL's arrive whole).
    pub fn query<A: Args>(&mut self, args: A) -> rusqlite::Result<Rows<'_>> {
        match self {
            Stmt::Sqlite(s) => Ok(Rows::Sqlite(args.with_refs(|p| s.get().query(p))?)),
            Stmt::Postgres { conn, sql, .. } => Ok(Rows::Postgres {
                rows: args.with_refs(|p| conn.query(sql, p))?,
                next: 0,
            }),
        }
    }
}

pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres { rows: Vec<pg::PgRow>, next: usize },
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)] // rows borrow from `self`: not an Iterator
    pub fn next(&mut self) -> rusqlite::Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(r) => Ok(r.next()?.map(Row::Sqlite)),
            Rows::Postgres { rows, next } => {
                let row = rows.get(*next).map(Row::Postgres);
                *next += 1;
                Ok(row)
            }
        }
    }
}

/// One row of a result.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a pg::PgRow),
}

impl Row<'_> {
    pub fn get<I: ColumnIndex, T: FromSql>(&self, idx: I) -> rusqlite::Result<T> {
        let i = idx.position();
        match self {
            Row::Sqlite(r) => r.get(i),
            Row::Postgres(r) => {
                let value = ValueRef::from(r.value(i)?);
                T::column_result(value).map_err(|e| match e {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(
                            i,
                            r.name(i).to_string(),
                            value.data_type(),
                        )
                    }
                    other => rusqlite::Error::FromSqlConversionFailure(
                        i,
                        value.data_type(),
                        Box::new(other),
                    ),
                })
            }
        }
    }

    /// The result's column names.
    pub fn column_names(&self) -> Vec<String> {
        match self {
            Row::Sqlite(r) => r.as_ref().column_names().map(String::from).collect(),
            Row::Postgres(r) => r.columns.to_vec(),
        }
    }

    pub fn get_ref<I: ColumnIndex>(&self, idx: I) -> rusqlite::Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(r) => r.get_ref(idx.position()),
            Row::Postgres(r) => Ok(ValueRef::from(r.value(idx.position())?)),
        }
    }
}

/// A column by its position (the store names none by name).
pub trait ColumnIndex {
    fn position(&self) -> usize;
}

impl ColumnIndex for usize {
    fn position(&self) -> usize {
        *self
    }
}

/// A statement's parameters: `params![…]`, `()`, or `params_from_iter(…)`.
pub trait Args {
    fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R;
}

impl Args for &[&dyn ToSql] {
    fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(self)
    }
}

impl<T: ToSql, const N: usize> Args for [T; N] {
    fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        let refs: Vec<&dyn ToSql> = self.iter().map(|v| v as &dyn ToSql).collect();
        f(&refs)
    }
}

impl Args for () {
    fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(&[])
    }
}

/// Parameters gathered from an iterator (rusqlite's `params_from_iter`, for both engines).
pub struct ArgList<'a>(Vec<Box<dyn ToSql + 'a>>);

pub fn params_from_iter<'a, I>(iter: I) -> ArgList<'a>
where
    I: IntoIterator,
    I::Item: ToSql + 'a,
{
    ArgList(
        iter.into_iter()
            .map(|v| Box::new(v) as Box<dyn ToSql + 'a>)
            .collect(),
    )
}

impl Args for ArgList<'_> {
    fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        let refs: Vec<&dyn ToSql> = self.0.iter().map(|b| b.as_ref() as &dyn ToSql).collect();
        f(&refs)
    }
}

/// A parameter's value as both engines see it.
fn value_of(p: &dyn ToSql) -> rusqlite::Result<Value> {
    use rusqlite::types::ToSqlOutput;
    Ok(match p.to_sql()? {
        ToSqlOutput::Borrowed(v) => match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(x) => Value::Real(x),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        },
        ToSqlOutput::Owned(v) => v,
        other => {
            return Err(rusqlite::Error::ToSqlConversionFailure(
                format!("unsupported parameter {other:?}").into(),
            ));
        }
    })
}
