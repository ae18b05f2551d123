//! Checks on the database file made around opening it, and how SQLite's and the system's
//! errors become ours: the header read without SQLite, the identity, side files, busy retries.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

use super::{APPLICATION_ID, SCHEMA_VERSION, busy_timeout};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Checks the 100-byte header without SQLite, so a foreign or newer file is refused with the
/// file untouched (opening it in WAL mode would rewrite its header).
pub(super) fn check_header(path: &Path, creating: bool) -> Result<()> {
    let not_cchc = |reason: &str| Error::NotCchc {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let mut header = Vec::with_capacity(100);
    std::fs::File::open(path)
        .map_err(|e| io_error(path, e))?
        .take(100)
        .read_to_end(&mut header)
        .map_err(|e| io_error(path, e))?;
    if header.is_empty() {
        // Another member may be creating the default file at this very moment.
        return if creating {
            Ok(())
        } else {
            Err(not_cchc("the file is empty"))
        };
    }
    if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(if header.starts_with(&SQLITE_MAGIC[..15]) {
            Error::Corrupt {
                path: path.to_path_buf(),
                reason: "the file is truncated".into(),
            }
        } else {
            not_cchc("not an SQLite file")
        });
    }
    let be = |at: usize| {
        i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let app_id = be(68) as i64;
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(not_cchc(&format!(
            "another application's SQLite file, application_id {app_id:#x}"
        )));
    }
    let version = be(60) as i64;
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if let Some(reason) = truncation(path, &header) {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason,
        });
    }
    Ok(())
}

/// A file shorter than its header says (a copy cut short, a full disk during a copy). SQLite
/// would only notice when it reads a missing page. Skipped while a WAL holds recent pages.
pub(super) fn truncation(path: &Path, header: &[u8]) -> Option<String> {
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let pages = u64::from(be32(28));
    // The size in the header is valid only when the change counter matches "valid for".
    if pages == 0 || be32(24) != be32(92) {
        return None;
    }
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal)
        .map(|m| m.len() > 0)
        .unwrap_or(false)
    {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    let expected = page_size * pages;
    (len < expected)
        .then(|| format!("the file is truncated: {len} bytes where its header promises {expected}"))
}

/// The same checks through SQLite (the header may be stale while changes sit in the WAL), plus
/// "an SQLite file with tables but no cchc id". Reads only.
pub(super) fn check_identity(conn: &Connection, path: &Path, creating: bool) -> Result<()> {
    // One statement, so the three values come from one snapshot even while another member is
    // creating the schema.
    let (app_id, version, tables): (i64, i64, i64) = conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id()),
                (SELECT user_version FROM pragma_user_version()),
                (SELECT count(*) FROM sqlite_master)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let not_cchc = |reason: &str| Error::NotCchc {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if app_id != APPLICATION_ID {
        if app_id != 0 {
            return Err(not_cchc(&format!(
                "another application's SQLite file, application_id {app_id:#x}"
            )));
        }
        if tables > 0 || version != 0 {
            return Err(not_cchc("an SQLite file made by another application"));
        }
        if !creating {
            return Err(not_cchc("an empty SQLite file"));
        }
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Retries `f` while SQLite reports the file busy in a way its busy handler does not cover
/// (journal-mode changes, lock upgrades), for up to the busy timeout.
pub(super) fn retry_busy<T>(mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let deadline = std::time::Instant::now() + busy_timeout();
    let mut pause = Duration::from_millis(5);
    loop {
        match f() {
            Err(Error::Busy(_)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}

pub(super) fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io(std::io::Error::new(
        e.kind(),
        format!("{}: {e}", path.display()),
    ))
}

/// Maps SQLite's "not a database"/"corrupt" codes to messages that name the file.
pub(super) fn classify(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::NotADatabase) => Error::NotCchc {
            path: path.to_path_buf(),
            reason: "not an SQLite database".into(),
        },
        Some(C::DatabaseCorrupt) => Error::Corrupt {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
        Some(C::CannotOpen) => Error::ReadOnly(format!(
            "cannot open {}: {e}; check the file's and its directory's permissions",
            path.display()
        )),
        _ => Error::from(e),
    }
}

pub(super) fn reclassify(path: &Path, e: Error) -> Error {
    match e {
        Error::Sqlite(inner) => classify(path, inner),
        other => other.in_file(path),
    }
}

/// Whether SQLite's WAL side files (-wal, -shm) exist beside `path`.
pub(super) fn side_files_exist(path: &Path) -> bool {
    ["-wal", "-shm"].iter().any(|s| {
        let mut p = path.as_os_str().to_owned();
        p.push(s);
        Path::new(&p).exists()
    })
}

/// Opens `path` read-only with `immutable=1`: no locks, no side files.
pub(super) fn open_immutable(path: &Path) -> Result<Connection> {
    use std::os::unix::ffi::OsStrExt;
    let abs = std::fs::canonicalize(path).map_err(|e| io_error(path, e))?;
    let mut uri = String::from("file://");
    for &b in abs.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(path, e))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

/// The directory holding `path` ("." for a bare file name).
pub(super) fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Why the file (or, for WAL's side files, its directory) cannot be written by this user.
/// Asked with the effective ids: with the store's group raised, that group counts.
pub(super) fn unwritable_reason(path: &Path) -> Option<String> {
    let writable = |p: &Path| crate::privilege::may(p, libc::W_OK);
    if path.exists() && !writable(path) {
        return Some(format!(
            "no write permission on {}; ask the file's owner to add you to its group (mode 0660)",
            path.display()
        ));
    }
    let dir = parent_dir(path);
    let side = |s: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(s);
        PathBuf::from(p)
    };
    // A side file left by another account with a mode the group cannot write (a -shm of 0644
    // made by a member before the store had its group) makes every write fail.
    for s in ["-wal", "-shm"] {
        let file = side(s);
        if file.exists() && !writable(&file) {
            return Some(format!(
                "no write permission on {}, left by another account; ask the administrator to run `cchc host setup` again (or `chgrp` the file to the store's group and `chmod 0660` it)",
                file.display()
            ));
        }
    }
    let both_side_files = ["-wal", "-shm"].iter().all(|s| side(s).exists());
    if !writable(&dir) && !both_side_files {
        return Some(format!(
            "no write permission on the directory {} (SQLite's WAL needs to create files beside the database); ask for group write permission on it (mode 2770, docs/OPERATIONS.md)",
            dir.display()
        ));
    }
    None
}
