//! One error type for the whole crate. Every variant renders as one line that says what to do,
//! and maps to the CLI's exit code. `Display` is English (logs, scripts); what a member reads
//! is [`Error::message`], in the interface's language with times in local time (`said.rs`).

use std::path::PathBuf;

use crate::model::FieldChange;

/// Someone else changed the row after the caller read it. Carries who, when and what, so the
/// refusal can show the other change instead of silently overwriting it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub task_id: i64,
    pub expected_version: i64,
    pub actual_version: i64,
    pub by: String,
    pub at: String,
    pub changes: Vec<FieldChange>,
    /// The first line of the other change's note: for a row of an imported sheet, the file and
    /// row it came from.
    pub from: Option<String>,
}

impl Conflict {
    /// The first line of a change-log note, as [`Conflict::from`] keeps it.
    pub fn first_line(note: Option<&str>) -> Option<String> {
        note.and_then(|n| n.lines().next())
            .map(|l| crate::text::truncate(l, 120))
            .filter(|l| !l.trim().is_empty())
    }

    /// Who made the other change, safe for a terminal (the name was read from the file).
    pub fn by_shown(&self) -> std::borrow::Cow<'_, str> {
        crate::untrusted::line(&self.by)
    }

    /// The other change's fields, old → new, on one line safe for a terminal.
    pub fn describe_changes(&self) -> String {
        if self.changes.is_empty() {
            return "no field details".into();
        }
        crate::untrusted::line(&FieldChange::describe_all(&self.changes)).into_owned()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: no such database; `cchc init {}` creates it", .0.display(), .0.display())]
    NoDatabase(PathBuf),
    #[error("{}: not a cchc database ({reason}); check the path, the file was not changed", path.display())]
    NotCchc { path: PathBuf, reason: String },
    #[error(
        "{}: made by a newer cchc (schema {found}, this cchc knows up to {supported}); upgrade cchc, the file was not changed",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{}the database is damaged ({reason}); restore a backup, see `cchc doctor`",
        file_prefix(path)
    )]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "{}: on a network filesystem ({fs}), where SQLite's WAL is unsafe; keep the file on a local disk of the one machine members SSH into, or pass --network-share to use the slower rollback journal (docs/OPERATIONS.md)",
        path.display()
    )]
    NetworkShare { path: PathBuf, fs: String },
    #[error(
        "task {} was changed by {} at {} ({}), after you read version {}; reload and try again",
        .0.task_id, .0.by_shown(), crate::untrusted::line(&.0.at), .0.describe_changes(), .0.expected_version
    )]
    Conflict(Box<Conflict>),
    #[error(
        "cannot undo your change to task {}: {} changed it since, at {} ({}); nothing was changed",
        .0.task_id, .0.by_shown(), crate::untrusted::line(&.0.at), .0.describe_changes()
    )]
    UndoRefused(Box<Conflict>),
    #[error("nothing to undo: {0} has no change left that can be undone")]
    NothingToUndo(String),
    #[error("the database is busy: another process held it locked for more than {0} s; try again")]
    Busy(u64),
    #[error("read-only: {0}")]
    ReadOnly(String),
    #[error("the disk is full: nothing was written; free some space and try again")]
    DiskFull,
    #[error("not permitted: {0}")]
    Denied(String),
    /// The operating system's permissions keep this user from a file (not the working group's
    /// rule, which is `Denied`).
    #[error("permission denied: {0}")]
    PermissionDenied(String),
    #[error("{0}")]
    Invalid(String),
    /// A rule of the file refused what was asked, in both languages (`Error::refused`).
    #[error("{}", .0.en)]
    Refused(Box<Said>),
    /// The command line asks for something that cannot be (flags that do not go together), in
    /// both languages: exit 2, like clap's own usage errors (`Error::usage`).
    #[error("{}", .0.en)]
    Usage(Box<Said>),
    /// An import's bad rows (the first `store::MAX_BAD_ROWS`, and how many more): nothing was
    /// written.
    #[error("{}; nothing was imported", describe_bad_rows(.rows, *.more))]
    BadRows {
        rows: Vec<crate::model::RowError>,
        more: usize,
    },
    #[error("no task with id {0}; `cchc tasks` lists them")]
    NoSuchTask(i64),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error(
        "lost the connection to the database server ({0}); cchc connects again by itself: try again in a moment"
    )]
    ConnectionLost(String),
    #[error("the database server says: {0}")]
    Server(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

// What a member is told: the messages in Vietnamese, times in local time.
mod said;
pub use said::Said;
/// "3 bad rows (row 4: …)": how many, and the first.
fn describe_bad_rows(rows: &[crate::model::RowError], more: usize) -> String {
    let n = rows.len() + more;
    match rows.first() {
        Some(first) if n == 1 => format!("a bad row ({first})"),
        Some(first) => format!("{n} bad rows (the first: {first})"),
        None => format!("{n} bad rows"),
    }
}

/// "path: " before a message, or nothing when the path is not known.
fn file_prefix(path: &std::path::Path) -> String {
    if path.as_os_str().is_empty() {
        String::new()
    } else {
        format!("{}: ", path.display())
    }
}

impl Error {
    /// CLI exit codes: 3 for a version conflict, 2 for usage (clap's own), 1 for the rest.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Conflict(_) | Error::UndoRefused(_) => 3,
            Error::Usage(_) => 2,
            _ => 1,
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    /// A refusal a member may read, said in both languages.
    pub fn refused(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Refused(Box::new(Said {
            vi: vi.into(),
            en: en.into(),
        }))
    }

    /// A command line that cannot be done as given, said in both languages (exit 2).
    pub fn usage(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Error::Usage(Box::new(Said {
            vi: vi.into(),
            en: en.into(),
        }))
    }

    /// Names the database file in a damage report raised by a query (SQLite does not say
    /// which file a "malformed" error is about).
    pub fn in_file(self, db: &std::path::Path) -> Self {
        match self {
            Error::Corrupt { path, reason } if path.as_os_str().is_empty() => Error::Corrupt {
                path: db.to_path_buf(),
                reason,
            },
            other => other,
        }
    }
}

impl From<crate::untrusted::InputError> for Error {
    fn from(e: crate::untrusted::InputError) -> Self {
        Error::refused(said::input_vi(&e), e.to_string())
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let Some(server) = crate::store::server_error(&e) {
            return server;
        }
        if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
            return match f.code {
                C::DatabaseBusy | C::DatabaseLocked => {
                    Error::Busy(crate::store::busy_timeout_secs())
                }
                C::DiskFull => Error::DiskFull,
                C::DatabaseCorrupt | C::NotADatabase => Error::Corrupt {
                    path: PathBuf::new(),
                    reason: msg.clone().unwrap_or_else(|| f.to_string()),
                },
                C::ReadOnly => Error::ReadOnly(
                    msg.clone()
                        .unwrap_or_else(|| "the database file cannot be written".into()),
                ),
                _ => Error::Sqlite(e),
            };
        }
        Error::Sqlite(e)
    }
}

/// A PostgreSQL error as cchc's: the same kinds as SQLite's (busy, full, read-only, refused),
/// plus a lost connection. `None` for SQLSTATEs with no kind of their own.
pub(crate) fn from_postgres(e: &postgres::Error) -> Error {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else {
        // No answer from the server: the socket closed, or the connection could not be made.
        return Error::ConnectionLost(e.to_string());
    };
    let message = crate::untrusted::line(db.message()).into_owned();
    let code = db.code();
    if code == &SqlState::LOCK_NOT_AVAILABLE
        || code == &SqlState::T_R_SERIALIZATION_FAILURE
        || code == &SqlState::T_R_DEADLOCK_DETECTED
    {
        Error::Busy(crate::store::busy_timeout_secs())
    } else if code == &SqlState::DISK_FULL {
        Error::DiskFull
    } else if code == &SqlState::INSUFFICIENT_PRIVILEGE {
        Error::Denied(format!("{message} (the server refused it for your role)"))
    } else if code == &SqlState::READ_ONLY_SQL_TRANSACTION {
        Error::ReadOnly(message)
    } else if code == &SqlState::ADMIN_SHUTDOWN
        || code == &SqlState::CRASH_SHUTDOWN
        || code == &SqlState::CANNOT_CONNECT_NOW
    {
        Error::ConnectionLost(message)
    } else if code == &SqlState::RAISE_EXCEPTION {
        Error::Invalid(message)
    } else {
        Error::Server(message)
    }
}
