//! The only place that speaks SQL. One SQLite file shared by several processes on one host:
//! WAL, `synchronous=FULL` (a member's committed update must survive a power cut: losing the
//! last commit matters more here than a millisecond), foreign keys, a 5 s busy timeout, and
//! every write in one IMMEDIATE transaction with its change-log entry.

mod agencies;
mod batch;
mod bulk;
mod copy;
mod engine;
mod file_checks;
mod file_type;
pub mod fs_kind;
mod guards;
mod health;
mod identity;
mod import;
mod list;
mod log;
mod members;
#[cfg(test)]
mod query_plans;
mod reads;
mod reminders;
mod replay;
mod schema;
mod search_index;
mod seed;
mod server;
mod sheet_edits;
mod tally;
mod undo;
mod writes;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use engine::{Behavior, Tx};

use crate::error::{Error, Result};
use crate::model::Plan;

use file_checks::{
    check_header, check_identity, classify, open_immutable, parent_dir, reclassify, retry_busy,
    side_files_exist, unwritable_reason,
};

pub use agencies::{AgencyAdded, AgencyChange, AgencyRow, Contact, NewAgency};
pub use bulk::{BulkOutcome, BulkTarget, TaskWrite};
pub use copy::Copied;
pub use engine::{Db, server_error};
pub use file_type::{MAX_SETTINGS_BYTES, read_small_text, require_regular};
pub use guards::{HeadCheck, parse_head};
pub use health::{BackupSummary, Check, CheckLevel, HealthReport, PinnedHead, describe_head};
pub use import::{ImportItem, ImportOptions, ImportSummary, MAX_BAD_ROWS};
pub use list::{ListKey, ListSpec, Page, paged};
pub use log::{LogFilter, verify_chain_of};
pub use members::{Member, Permissions, Role};
pub use reads::TaskFilter;
pub use reminders::{MailAccepted, NewReminder};
pub use replay::{Divergence, Replay};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use search_index::{RankedHits, SearchHit};
pub use server::{server_url, shown_url};
pub use sheet_edits::{ApplyMode, ApplyResult, EditOutcome, Exported, SheetEdit};
pub use tally::{TallyMove, TallyRow};
pub use writes::{MAX_MEASURED, NewMeasurement, TaskUpdate, check_task_limits};

pub const BUSY_TIMEOUT_SECS: u64 = 5;

/// How long a write waits for another member's write to finish: `BUSY_TIMEOUT_SECS`, or
/// `CCHC_BUSY_TIMEOUT_MS`. An operator setting (docs/OPERATIONS.md), not a test hook: a host
/// whose nightly backup holds the file longer may raise it; the tests also shorten it.
pub fn busy_timeout() -> Duration {
    static TIMEOUT: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *TIMEOUT.get_or_init(|| {
        std::env::var("CCHC_BUSY_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(BUSY_TIMEOUT_SECS))
    })
}

/// The busy timeout in whole seconds, rounded up, for messages.
pub fn busy_timeout_secs() -> u64 {
    busy_timeout().as_millis().div_ceil(1000).max(1) as u64
}

/// How to open the file.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// Open read-only even if the file could be written (`--read-only`, a projector).
    pub read_only: bool,
    /// Create and seed the file when it is missing or empty (only for the default location and
    /// `cchc init`: a mistyped `--db` must not quietly become a private empty database).
    pub create_with: Option<Plan>,
    /// Create the schema without seeding it, for `cchc migrate` to copy a database into.
    pub create_bare: bool,
    /// The file is on a network filesystem and the user accepts the rollback journal there
    /// (`--network-share`); without it such a file is refused.
    pub network_share: bool,
}

pub struct Store {
    conn: Db,
    /// The file, or the server URL without its password.
    path: PathBuf,
    /// The whole URL of a server store (the search worker opens a second connection).
    server_url: Option<String>,
    user: String,
    /// Why the store is read-only, if it is (shown as a banner in the TUI).
    read_only: Option<String>,
    /// Warnings about how the file was opened (e.g. rollback journal on a network share).
    notices: Vec<String>,
    /// The files opened, to notice the path naming another file later.
    ids: identity::FileIds,
    /// Why the path no longer names the file opened, once noticed: no write after that.
    replaced: Option<String>,
    /// How it was opened, to open the file now at the path again.
    reopen: (bool, bool),
    /// Whether this open created the schema and seeded the plan (see `seeded_now`).
    seeded: bool,
    /// Opened with the store's group (`crate::privilege`): its files are reached with it.
    grouped: bool,
}

/// How a file is opened, beyond its options.
#[derive(Clone, Copy)]
struct Opening {
    /// For a command that only reads (`Store::open_to_read`).
    reading: bool,
    /// With the store's group (`crate::privilege`).
    grouped: bool,
}

/// The read-only reason of a store a command opened only to read.
pub(crate) const OPENED_FOR_READING: &str = "opened for reading";

/// The journal mode byte of a SQLite file's header (1: rollback journal, 2: WAL).
fn file_header_mode(path: &Path) -> Option<u8> {
    use std::io::Read;
    let mut header = [0u8; 19];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    Some(header[18])
}

/// Whether a file is at `path`; a path the user may not reach (a directory closed to them) is
/// said to be so, not to be missing.
fn exists(path: &Path) -> Result<bool> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(Error::PermissionDenied(format!(
                "cannot reach {}: its directory is closed to you; members reach the working group's store through cchc installed for it (`cchc host setup`, the Debian package: /usr/bin/cchc), or ask the administrator",
                path.display()
            )))
        }
        Err(e) => Err(file_checks::io_error(path, e)),
    }
}

/// Stops the statement a store's connection is running, from another thread.
pub struct Interrupt(Option<rusqlite::InterruptHandle>);

impl Interrupt {
    /// On a file the statement then fails with an "interrupted" error; nothing happens when
    /// none runs. On a server nothing is cancelled: a cancel request reaches the server on its
    /// own connection, later, and can stop the statement after the one meant (the next
    /// search); a stale search there stops between rows instead.
    pub fn interrupt(&self) {
        if let Some(h) = &self.0 {
            h.interrupt();
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("user", &self.user)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Store {
    /// Opens (and, with `create_with`, creates and seeds) the database at `path` as `user`.
    /// A file that is not a cchc database, or one made by a newer cchc, is refused before
    /// anything is written to it.
    pub fn open(path: &Path, user: &str, opts: OpenOptions) -> Result<Store> {
        Store::open_as(path, user, opts, false)
    }

    /// Opens the database for a command that only reads: a file read-only, so a backup (or
    /// any file opened to look at) stays byte for byte as it was (no WAL switch, no
    /// migration). Only a live store (in WAL mode) whose schema is older than this cchc is
    /// opened to be written, as any member's first write would upgrade it.
    pub fn open_to_read(path: &Path, user: &str, opts: OpenOptions) -> Result<Store> {
        Store::open_as(path, user, opts, true)
    }

    fn open_as(path: &Path, user: &str, opts: OpenOptions, reading: bool) -> Result<Store> {
        if let Some(url) = server_url(path) {
            return Store::open_postgres(url, user, opts);
        }
        let grouped = crate::privilege::needs_group(path);
        if !grouped {
            return Store::open_file(path, user, opts, Opening { reading, grouped });
        }
        // The shared store, which the member reaches only through cchc's group: opened with
        // it, never created with it, and only if it is the store (crate::privilege).
        crate::privilege::with_store_group(|| {
            crate::privilege::check_group_file(path).map_err(Error::PermissionDenied)?;
            if !exists(path)? {
                return Err(Error::NoDatabase(path.to_path_buf()));
            }
            Store::open_file(
                path,
                user,
                OpenOptions {
                    create_with: None,
                    create_bare: false,
                    ..opts
                },
                Opening { reading, grouped },
            )
        })?
    }

    /// Opens a SQLite file (with the store's group raised when `how.grouped`: the caller
    /// holds it).
    fn open_file(path: &Path, user: &str, opts: OpenOptions, how: Opening) -> Result<Store> {
        let Opening { reading, grouped } = how;
        let creating = opts.create_with.is_some() || opts.create_bare;
        // Before anything opens it: reading a FIFO would wait forever.
        require_regular(path, "the database")?;
        let exists = exists(path)?;
        if !exists && !creating {
            return Err(Error::NoDatabase(path.to_path_buf()));
        }
        if exists {
            check_header(path, creating)?;
        }
        let mut notices = Vec::new();
        let rollback_journal = match fs_kind::detect(&parent_dir(path)) {
            Some(fs) if !opts.network_share => {
                return Err(Error::NetworkShare {
                    path: path.to_path_buf(),
                    fs: fs.name().to_string(),
                });
            }
            Some(fs) => {
                notices.push(format!(
                    "{} is on a network filesystem ({}): using SQLite's rollback journal, not WAL, as --network-share asks; every member must pass --network-share, and writes are slower",
                    path.display(),
                    fs.name()
                ));
                true
            }
            None => {
                if opts.network_share {
                    notices.push(format!(
                        "--network-share ignored: {} is on a local filesystem, so cchc keeps WAL mode",
                        path.display()
                    ));
                }
                false
            }
        };
        let mut read_only = if opts.read_only {
            Some("opened with --read-only".to_string())
        } else if reading && exists {
            Some(OPENED_FOR_READING.to_string())
        } else {
            unwritable_reason(path)
        };
        if read_only.is_some() && !exists {
            return Err(Error::ReadOnly(format!(
                "cannot create {}: {}",
                path.display(),
                read_only.unwrap_or_default()
            )));
        }
        let mut flags = if read_only.is_some() {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        if grouped {
            // check_group_file refused a symlink; this keeps one from being swapped in.
            flags |= OpenFlags::SQLITE_OPEN_NOFOLLOW;
        }
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(busy_timeout())?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // For tests only (the `test-hooks` feature, never in a release): a database that
        // cannot grow beyond this many pages behaves like a full disk (SQLITE_FULL).
        #[cfg(feature = "test-hooks")]
        if let Some(pages) = std::env::var("CCHC_MAX_PAGE_COUNT")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
        {
            let _: i64 = conn.query_row(&format!("PRAGMA max_page_count = {pages}"), (), |r| {
                r.get(0)
            })?;
        }
        match retry_busy(|| check_identity(&conn, path, creating)) {
            Ok(()) => {}
            // A WAL file needs its -shm beside it. A reader who may not create it (no write
            // permission on the directory) can still read a snapshot while no writer has the
            // file open (no -wal, no -shm): SQLite's `immutable` mode, without locks.
            Err(e)
                if read_only.is_some()
                    && !side_files_exist(path)
                    && (matches!(e, Error::ReadOnly(_))
                        || matches!(&e, Error::Sqlite(s) if s.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen))) =>
            {
                conn = open_immutable(path)?;
                check_identity(&conn, path, creating).map_err(|e| reclassify(path, e))?;
                notices.push(format!(
                    "reading {} without locks: you may not create files in its directory, so a member writing right now could make what you see momentarily inconsistent; ask for write permission on the directory (docs/OPERATIONS.md)",
                    path.display()
                ));
            }
            Err(e) => return Err(reclassify(path, e)),
        }

        if read_only.is_none() {
            // Switching to WAL needs an exclusive lock and fails at once (no busy handler)
            // while another member is opening the same fresh file: retry for the busy timeout.
            let want = if rollback_journal { "DELETE" } else { "WAL" };
            let sql = format!("PRAGMA journal_mode={want}");
            let mode: String = retry_busy(|| Ok(conn.query_row(&sql, (), |r| r.get(0))?))
                .map_err(|e| reclassify(path, e))?;
            if rollback_journal && !mode.eq_ignore_ascii_case("delete") {
                return Err(Error::Busy(busy_timeout_secs()));
            }
            if !rollback_journal && !mode.eq_ignore_ascii_case("wal") {
                // WAL needs the -wal and -shm side files; without them we can still read.
                read_only = Some(format!("cannot switch to WAL (journal mode {mode})"));
            }
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        let mut seeded = false;
        let mut conn = Db::Sqlite(conn);
        if schema::user_version(&conn)? < SCHEMA_VERSION {
            // A live store after an upgrade of cchc, or the member's own default file that
            // another cchc is creating and seeding right now: made ready as a write would.
            let own_file = opts.create_with.is_some();
            if reading && !rollback_journal && (own_file || file_header_mode(path) == Some(2)) {
                drop(conn);
                let write = Opening {
                    reading: false,
                    grouped,
                };
                return Store::open_file(path, user, opts, write);
            }
            if read_only.is_some() {
                return Err(Error::ReadOnly(format!(
                    "{} was made by an older cchc and needs a schema upgrade, which a read-only open does not make (it would change the file); open it once to write, or open a copy of it",
                    path.display()
                )));
            }
            let plan = opts.create_with.as_ref();
            let user_name = user.to_string();
            retry_busy(|| {
                // Reset per attempt: only a committed seed counts.
                seeded = false;
                schema::migrate(&mut conn, |tx| match plan {
                    Some(plan) => {
                        seeded = true;
                        seed::seed(tx, plan, &user_name)
                    }
                    None => Ok(()),
                })
            })
            .map_err(|e| reclassify(path, e))?;
        }
        // Only a writable WAL connection keeps its -wal and -shm while open.
        let side_files = read_only.is_none() && !rollback_journal;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            server_url: None,
            user: user.to_string(),
            read_only,
            notices,
            ids: identity::FileIds::take(path, side_files),
            replaced: None,
            reopen: (opts.read_only, opts.network_share),
            seeded,
            grouped,
        };
        store.take_time_zone()?;
        if grouped {
            // The member may not remove files in the store's directory: the last connection to
            // close checkpoints and keeps the -wal and -shm instead of deleting them.
            store.persist_wal();
        }
        Ok(store)
    }

    /// Takes the province's time zone from the store (`meta` key `time_zone`, which `cchc init
    /// --time-zone` sets and the seed logs), else the default: every date a write takes, and
    /// "today", are the province's (`context::date_of`).
    fn take_time_zone(&self) -> Result<()> {
        let name: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'time_zone'", (), |r| {
                r.get(0)
            })
            .optional()?;
        let zone = match name {
            None => crate::context::DEFAULT_TIME_ZONE,
            Some(name) => name.parse().map_err(|_| Error::Corrupt {
                path: self.path.clone(),
                reason: format!(
                    "its time zone {:?} is not one cchc knows",
                    crate::untrusted::line(&name)
                ),
            })?,
        };
        crate::context::set_time_zone(zone);
        Ok(())
    }

    /// Asks SQLite to keep the `-wal` and `-shm` when this connection, the last, closes
    /// (SQLITE_FCNTL_PERSIST_WAL): `reopen` must not delete a new file's side files, and a
    /// member reaching the store through its group may not delete files beside it.
    fn persist_wal(&self) {
        let mut persist: std::ffi::c_int = 1;
        if let Some(conn) = self.conn.sqlite() {
            // SAFETY: the handle is open for as long as `self.conn` lives; the pointer is to a
            // local int that outlives the call.
            unsafe {
                rusqlite::ffi::sqlite3_file_control(
                    conn.handle(),
                    c"main".as_ptr(),
                    rusqlite::ffi::SQLITE_FCNTL_PERSIST_WAL,
                    (&mut persist as *mut std::ffi::c_int).cast(),
                );
            }
        }
    }

    /// Reads a file beside the store (its pinned heads, a backup) as the store is reached: with
    /// the store's group when the store was opened with it, and then only a file
    /// `crate::privilege::check_group_file` allows.
    pub fn read_beside<T>(
        &self,
        path: &Path,
        read: impl FnOnce(&Path) -> std::result::Result<T, String>,
    ) -> std::result::Result<T, String> {
        if !self.grouped {
            return read(path);
        }
        crate::privilege::with_store_group(|| {
            crate::privilege::check_group_file(path)?;
            read(path)
        })
        .map_err(|e| e.to_string())?
    }

    /// Runs `f` with the store's group raised when this store was opened with it (the file's
    /// directory is closed to the member otherwise).
    pub(crate) fn as_store<T>(&self, f: impl FnOnce() -> T) -> std::io::Result<T> {
        crate::privilege::with_store_group_if(self.grouped, f)
    }

    /// Whether the path still names the file this store opened (and its `-wal`/`-shm`);
    /// otherwise why not. Once it does not, every write is refused: see `reopen`.
    pub fn check_file(&mut self) -> Option<&str> {
        if self.replaced.is_none() && !self.conn.is_postgres() {
            let (ids, path) = (&mut self.ids, &self.path);
            self.replaced =
                match crate::privilege::with_store_group_if(self.grouped, || ids.check(path)) {
                    Ok(why) => why,
                    Err(e) => Some(format!("{} cannot be reached: {e}", path.display())),
                };
        }
        self.replaced.as_deref()
    }

    /// Closes this connection, then opens the file now at the path, as the same user with the
    /// same options. The old connection goes first: it must not share a `-wal`/`-shm` with the
    /// new file. When no file is at the path, nothing is closed; when the file there cannot be
    /// opened, this store is left closed (it reads nothing and refuses every write).
    pub fn reopen(&mut self) -> Result<()> {
        if !self.as_store(|| exists(&self.path))?? {
            return Err(Error::NoDatabase(self.path.clone()));
        }
        let (path, user) = (self.path.clone(), self.user.clone());
        let (read_only, network_share) = self.reopen;
        // Closing the last connection deletes "<path>-wal" and "-shm" by name, which may now
        // be the new file's, in use by other members. Persistent WAL makes the close work on
        // this connection's own (moved or deleted) files only.
        self.persist_wal();
        let grouped = self.grouped;
        let stale = self.as_store(|| self.ids.own_side_files(&path))?;
        drop(std::mem::replace(self, Store::closed(&path, &user)?));
        // Ours, not the new file's: remove them before it is opened (see own_side_files).
        crate::privilege::with_store_group_if(grouped, || {
            for file in stale {
                let _ = std::fs::remove_file(file);
            }
        })?;
        *self = Store::open(
            &path,
            &user,
            OpenOptions {
                read_only,
                create_with: None,
                create_bare: false,
                network_share,
            },
        )?;
        Ok(())
    }

    /// A store that reads nothing and refuses every write, standing in when the file at the
    /// path could not be opened again.
    fn closed(path: &Path, user: &str) -> Result<Store> {
        let why = format!("{} could not be opened again", path.display());
        Ok(Store {
            conn: Db::Sqlite(Connection::open_in_memory()?),
            path: path.to_path_buf(),
            server_url: None,
            user: user.to_string(),
            read_only: Some(why.clone()),
            notices: Vec::new(),
            ids: identity::FileIds::take(Path::new(""), false),
            replaced: Some(why),
            reopen: (false, false),
            seeded: false,
            grouped: false,
        })
    }

    /// How to open a second, read-only connection to this store's file as the same user (the
    /// TUI's search worker opens it on its own thread, so the screen never waits for it).
    pub fn reader(&self) -> impl FnOnce() -> Result<Store> + Send + 'static {
        let path = match &self.server_url {
            Some(url) => PathBuf::from(url),
            None => self.path.clone(),
        };
        let (user, network_share) = (self.user.clone(), self.reopen.1);
        move || {
            Store::open(
                &path,
                &user,
                OpenOptions {
                    read_only: true,
                    create_with: None,
                    network_share,
                    create_bare: false,
                },
            )
        }
    }

    /// A handle that stops whatever statement this connection is running from another thread
    /// (SQLite's `sqlite3_interrupt`; a no-op when none runs): the statement then fails with
    /// an "interrupted" error. The TUI's search worker uses it so that a newer keystroke also
    /// stops the part of a search that reads no rows yet (the FTS candidates of a long term).
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.sqlite().map(|c| c.get_interrupt_handle()))
    }

    /// Whether this very open created the file's tables and seeded the plan into it (another
    /// process starting at the same moment finds it seeded and says false). The CLI and the
    /// TUI say so when that file is the private default one.
    pub fn seeded_now(&self) -> bool {
        self.seeded
    }

    /// Warnings about how the file was opened, to show the user once (stderr, a banner).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// How long a write waits for another member's write before failing with `Error::Busy`
    /// (default `busy_timeout()`). A screen may prefer a short wait and a "busy, retrying"
    /// banner to a frozen screen.
    pub fn set_busy_timeout(&mut self, timeout: Duration) -> Result<()> {
        match &self.conn {
            Db::Sqlite(c) => Ok(c.busy_timeout(timeout)?),
            Db::Postgres(c) => Ok(c.set_lock_timeout(timeout)?),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Why this store cannot write, if it cannot.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Changes whenever another connection commits to the file; a cheap poll for live reload.
    pub fn data_version(&self) -> Result<i64> {
        match &self.conn {
            Db::Sqlite(c) => Ok(c.query_row("PRAGMA data_version", (), |r| r.get(0))?),
            // Each notification is another connection's commit (a trigger sends one with
            // every change-log entry); our own writes bring none back to us.
            Db::Postgres(c) => Ok(c.changes_seen()?),
        }
    }

    /// Whether rows may have changed without the change log saying which (on a server: a
    /// `NOTIFY cchc_changes` sent by hand, or a reconnection), since last asked. A reader then
    /// reads everything again rather than the changed rows.
    pub fn changed_outside_log(&self) -> bool {
        self.conn
            .postgres()
            .is_some_and(|c| c.take_changed_by_hand())
    }

    /// Runs `f` in one IMMEDIATE transaction: the write lock is taken up front, so a
    /// concurrent writer waits on the busy timeout instead of failing mid-way. A store reached
    /// through its group writes with it (SQLite may create a `-journal` beside the file).
    fn write<T>(&mut self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.write_then(true, f)
    }

    /// [`write`](Self::write), committed only when `commit` says so: a dry run does all of
    /// the write's work and checks, then undoes it (and keeps no record of a refusal).
    fn write_then<T>(&mut self, commit: bool, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        let grouped = self.grouped;
        crate::privilege::with_store_group_if(grouped, || self.write_now(commit, f))?
    }

    fn write_now<T>(&mut self, commit: bool, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        if let Some(reason) = &self.read_only {
            return Err(Error::ReadOnly(reason.clone()));
        }
        if let Some(why) = self.check_file() {
            return Err(Error::ReadOnly(why.to_string()));
        }
        let tx = self.conn.transaction_with_behavior(Behavior::Immediate)?;
        let out = match f(&tx) {
            Ok(out) => out,
            Err(Error::Denied(why)) if commit => {
                // The refused write is rolled back; the refusal itself is kept.
                drop(tx);
                return Err(match self.log_refusal(&why) {
                    Ok(()) => Error::Denied(why),
                    Err(e) => {
                        Error::Denied(format!("{why} (the refusal could not be logged: {e})"))
                    }
                });
            }
            Err(e) => return Err(e),
        };
        if !commit {
            tx.rollback()?;
            return Ok(out);
        }
        // Every write refreshes the search rows its triggers marked, in its own transaction.
        search_index::refresh_stale(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on one state of the file (a read transaction): reads that go through the
    /// store in several statements (a list read twice, each group of a sort order) see the
    /// same tasks even while members write.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction()?;
        let out = f(self);
        // Nothing was written: ending it cannot lose anything, and a failure to end it must
        // not hide what `f` said.
        let _ = tx.rollback();
        out
    }

    /// Runs `PRAGMA integrity_check`; `Ok(vec!["ok"])` when healthy.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map((), |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
