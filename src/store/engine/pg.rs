//! A PostgreSQL connection speaking the store's SQL: `?1` placeholders translated, statements
//! prepared once per connection, rusqlite's value kinds in and out, every error carried in
//! rusqlite's type. It also listens for the change notifications every write sends, and
//! connects again after the server went away.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use fallible_iterator::FallibleIterator;
use postgres::{Client, Statement};
use rusqlite::ToSql;
use rusqlite::types::Value;

use super::pg_value::{PgCell, PgParam};
use super::{Behavior, dialect, value_of};

/// The channel every change-log entry is announced on (a trigger, in the writing transaction).
pub const CHANGES_CHANNEL: &str = "cchc_changes";

/// The advisory lock every writing transaction takes first: writers follow one another, as on
/// SQLite, so the change log's hash chain is extended by one writer at a time.
pub const WRITE_LOCK: i64 = 0x4343_4843;

pub struct PgConn {
    client: RefCell<Client>,
    url: String,
    lock_timeout: Cell<Duration>,
    statements: RefCell<HashMap<String, Prepared>>,
    /// When the last attempt to connect again was made (at most one a second).
    last_attempt: Cell<Option<std::time::Instant>>,
    /// Notifications received so far: the store's `data_version` on this engine.
    changes: Cell<i64>,
    /// A notification arrived without the change log's payload: someone changed rows by
    /// hand (psql) and said so, so which rows is unknown.
    changed_by_hand: Cell<bool>,
    in_transaction: Cell<bool>,
}

/// A statement as the server prepared it, and its columns' names.
type Prepared = (Statement, Arc<[String]>);

/// One row, read whole.
pub struct PgRow {
    pub(super) columns: Arc<[String]>,
    pub(super) values: Vec<Value>,
}

impl PgRow {
    pub(super) fn value(&self, i: usize) -> rusqlite::Result<&Value> {
        self.values
            .get(i)
            .ok_or(rusqlite::Error::InvalidColumnIndex(i))
    }

    pub(super) fn name(&self, i: usize) -> &str {
        self.columns.get(i).map(String::as_str).unwrap_or("")
    }
}

/// Carries a PostgreSQL error through the store's rusqlite-typed paths.
pub fn wrap(e: postgres::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// The server's error inside a store error, as cchc's, if that is what it is.
pub fn server_error(e: &rusqlite::Error) -> Option<crate::error::Error> {
    let rusqlite::Error::ToSqlConversionFailure(b) = e else {
        return None;
    };
    if let Some(pg) = b.downcast_ref::<postgres::Error>() {
        return Some(crate::error::from_postgres(pg));
    }
    b.downcast_ref::<ConnectionLost>()
        .map(|lost| crate::error::Error::ConnectionLost(lost.to_string()))
}

impl PgConn {
    pub fn connect(url: &str, lock_timeout: Duration) -> Result<PgConn, postgres::Error> {
        let conn = PgConn {
            client: RefCell::new(open(url, lock_timeout)?),
            url: url.to_string(),
            lock_timeout: Cell::new(lock_timeout),
            statements: RefCell::new(HashMap::new()),
            changes: Cell::new(0),
            changed_by_hand: Cell::new(false),
            in_transaction: Cell::new(false),
            last_attempt: Cell::new(None),
        };
        Ok(conn)
    }

    pub fn set_lock_timeout(&self, timeout: Duration) -> rusqlite::Result<()> {
        self.lock_timeout.set(timeout);
        self.batch(&format!(
            "SET lock_timeout = {}",
            timeout.as_millis().max(1)
        ))
    }

    /// The prepared form of `sql`, made once per connection.
    fn statement(&self, sql: &str) -> rusqlite::Result<Prepared> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        self.reconnect_if_closed()?;
        let statement = self
            .client
            .borrow_mut()
            .prepare(&dialect::to_postgres(sql))
            .map_err(wrap)?;
        let columns: Arc<[String]> = statement
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let entry = (statement, columns);
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), entry.clone());
        Ok(entry)
    }

    pub fn query(&self, sql: &str, params: &[&dyn ToSql]) -> rusqlite::Result<Vec<PgRow>> {
        let (statement, columns) = self.statement(sql)?;
        let params = pg_params(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        let rows = self
            .client
            .borrow_mut()
            .query(&statement, &refs)
            .map_err(wrap)?;
        rows.iter()
            .map(|row| {
                let values = (0..row.len())
                    .map(|i| row.try_get::<_, PgCell>(i).map(|c| c.0))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(wrap)?;
                Ok(PgRow {
                    columns: columns.clone(),
                    values,
                })
            })
            .collect()
    }

    pub fn execute(&self, sql: &str, params: &[&dyn ToSql]) -> rusqlite::Result<usize> {
        let (statement, _) = self.statement(sql)?;
        let params = pg_params(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p as _).collect();
        let n = self
            .client
            .borrow_mut()
            .execute(&statement, &refs)
            .map_err(wrap)?;
        Ok(n as usize)
    }

    /// Statements without parameters, one after another (schema, transaction control).
    pub fn batch(&self, sql: &str) -> rusqlite::Result<()> {
        let trimmed = sql.trim().to_ascii_uppercase();
        if trimmed.starts_with("COMMIT") || trimmed.starts_with("ROLLBACK") {
            self.in_transaction.set(false);
        } else {
            self.reconnect_if_closed()?;
        }
        self.client.borrow_mut().batch_execute(sql).map_err(wrap)?;
        if ["CREATE", "ALTER", "DROP"]
            .iter()
            .any(|ddl| trimmed.contains(ddl))
        {
            // The schema may have changed under the prepared statements.
            self.statements.borrow_mut().clear();
        }
        Ok(())
    }

    pub(super) fn begin(&self, behavior: Behavior) -> rusqlite::Result<()> {
        self.reconnect_if_closed()?;
        let sql = match behavior {
            Behavior::Deferred => "BEGIN ISOLATION LEVEL REPEATABLE READ".to_string(),
            // Read committed after the lock: each statement then sees the writer before us.
            Behavior::Immediate => {
                format!(
                    "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
                )
            }
        };
        let begun = self.client.borrow_mut().batch_execute(&sql);
        if let Err(e) = begun {
            // The BEGIN stood and the lock wait failed (busy): end that transaction here, as
            // no `Tx` exists to roll it back.
            let _ = self.client.borrow_mut().batch_execute("ROLLBACK");
            return Err(wrap(e));
        }
        self.in_transaction.set(true);
        Ok(())
    }

    /// How many change notifications have arrived (without waiting): it moves whenever another
    /// connection committed a change.
    pub fn changes_seen(&self) -> rusqlite::Result<i64> {
        self.reconnect_if_closed()?;
        let mut client = self.client.borrow_mut();
        let mut notifications = client.notifications();
        // `iter()` hands out only what an earlier read buffered; a short wait makes it read
        // the socket.
        let mut iter = notifications.timeout_iter(Duration::from_millis(1));
        loop {
            match iter.next() {
                Ok(Some(n)) => {
                    self.changes.set(self.changes.get() + 1);
                    // The trigger's payload is {"last": …, "tasks": […]}.
                    if !n.payload().starts_with("{\"last\"") {
                        self.changed_by_hand.set(true);
                    }
                }
                Ok(None) => break,
                Err(e) => return Err(wrap(e)),
            }
        }
        Ok(self.changes.get())
    }

    /// Whether a change announced by hand (or a reconnection) arrived since last asked.
    pub fn take_changed_by_hand(&self) -> bool {
        self.changed_by_hand.replace(false)
    }

    /// After the server went away: a new session, listening again. A transaction in flight
    /// is lost with the old session, so none is resumed; the caller's write fails whole.
    fn reconnect_if_closed(&self) -> rusqlite::Result<()> {
        if !self.client.borrow().is_closed() {
            return Ok(());
        }
        let now = std::time::Instant::now();
        let recently = self
            .last_attempt
            .get()
            .is_some_and(|t| now.duration_since(t) < RETRY_EVERY);
        if self.in_transaction.get() || recently {
            return Err(wrap_closed());
        }
        self.last_attempt.set(Some(now));
        let client = open(&self.url, self.lock_timeout.get()).map_err(wrap)?;
        *self.client.borrow_mut() = client;
        self.statements.borrow_mut().clear();
        // What changed while we were away is unknown: count it as a change by hand.
        self.changes.set(self.changes.get() + 1);
        self.changed_by_hand.set(true);
        Ok(())
    }
}

/// The server went away while a transaction was open on it.
#[derive(Debug)]
pub struct ConnectionLost;

impl std::fmt::Display for ConnectionLost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection to the database server lost")
    }
}

impl std::error::Error for ConnectionLost {}

fn wrap_closed() -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(ConnectionLost))
}

/// How often a lost connection is tried again.
const RETRY_EVERY: Duration = Duration::from_secs(1);

fn open(url: &str, lock_timeout: Duration) -> Result<Client, postgres::Error> {
    let (url, tls) = super::pg_tls::split_url(url);
    let mut config: postgres::Config = url.parse()?;
    // A server that went away must not freeze a screen: give up on a connect after a few
    // seconds, and notice a cut network within a minute instead of TCP's two hours.
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    if config.get_password().is_none()
        && let Some(password) = password_for(&config)
    {
        config.password(password);
    }
    config
        .keepalives(true)
        .keepalives_idle(Duration::from_secs(30));
    let mut client = super::pg_tls::connect(&config, &tls)?;
    client.batch_execute(&format!(
        "SET lock_timeout = {}; SET client_encoding = 'UTF8'; LISTEN {CHANGES_CHANNEL}",
        lock_timeout.as_millis().max(1)
    ))?;
    Ok(client)
}

fn pg_params(params: &[&dyn ToSql]) -> rusqlite::Result<Vec<PgParam>> {
    params.iter().map(|p| Ok(PgParam(value_of(*p)?))).collect()
}

/// The password as libpq finds it when the URL has none: `PGPASSWORD`, else the first line of
/// `~/.pgpass` (or `PGPASSFILE`) matching host, port, database and role, `*` matching anything;
/// a file others may read is ignored, as libpq does.
fn password_for(config: &postgres::Config) -> Option<String> {
    if let Ok(p) = std::env::var("PGPASSWORD") {
        return Some(p);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(&file).ok()?.permissions().mode() & 0o077 != 0 {
        return None;
    }
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let want = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or(""),
        config.get_user().unwrap_or(""),
    ];
    crate::store::read_small_text(&file, crate::store::MAX_SETTINGS_BYTES)
        .ok()?
        .lines()
        .find_map(|line| {
            let fields = pgpass_fields(line);
            (fields.len() == 5
                && !line.starts_with('#')
                && fields[..4]
                    .iter()
                    .zip(want)
                    .all(|(f, w)| f == "*" || f == w))
            .then(|| fields[4].clone())
        })
}

/// A `.pgpass` line's fields: `:` separates, `\` escapes.
fn pgpass_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field) = (Vec::new(), String::new());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    #[test]
    fn pgpass_fields_split_on_colons_and_unescape() {
        assert_eq!(
            super::pgpass_fields(r"db.langson:5432:cchc:ha:pa\:ss\\w"),
            ["db.langson", "5432", "cchc", "ha", r"pa:ss\w"]
        );
    }
}
