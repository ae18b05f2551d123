//! Keeping five years of records safe: a verified online backup and `cchc doctor`'s checks.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::OpenFlags;

use super::engine::Db;
use serde::Serialize;

use super::{APPLICATION_ID, SCHEMA_VERSION, Store, fs_kind, log, schema};
use crate::error::{Error, Result};

/// A WAL this large means a long-lived reader keeps SQLite from checkpointing it.
const LARGE_WAL: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckLevel {
    Info,
    Ok,
    Warn,
    Fail,
}

impl CheckLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckLevel::Info => "info",
            CheckLevel::Ok => "ok",
            CheckLevel::Warn => "warn",
            CheckLevel::Fail => "FAIL",
        }
    }
}

/// One line of `cchc doctor`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub level: CheckLevel,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthReport {
    pub path: PathBuf,
    pub checks: Vec<Check>,
}

impl HealthReport {
    /// True when no check failed.
    pub fn healthy(&self) -> bool {
        self.checks.iter().all(|c| c.level != CheckLevel::Fail)
    }
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub log_entries: i64,
    /// The newest change-log entry's id and hash in the copy.
    pub head: Option<(i64, String)>,
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn count(conn: &Db, table: &str) -> Result<i64> {
    // `table` comes from a fixed list below, never from input.
    Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), (), |r| r.get(0))?)
}

fn integrity(conn: &Db, pragma: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt.query_map((), |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn describe_break(conn: &Db) -> Result<Option<String>> {
    Ok(log::verify_chain_of(conn)?.map(|id| {
        format!(
            "entry {id} does not match its hash: it, or the entry before it, was edited or removed outside cchc"
        )
    }))
}

impl Store {
    /// Copies the live database to `dest` with SQLite's online backup API (one consistent
    /// snapshot, safe while others write), switches the copy to a single self-contained file
    /// (rollback journal), then checks its integrity and its change-log chain. Refuses a
    /// `dest` that exists; removes a copy that does not verify.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupSummary> {
        self.backup_with(dest, &crate::progress::Silent)
    }

    /// [`Store::backup_to`], telling `stages` when the copy and its verification begin (the
    /// copy is one step, one read snapshot, so it has no count of its own).
    pub fn backup_with(
        &self,
        dest: &Path,
        stages: &dyn crate::progress::Progress,
    ) -> Result<BackupSummary> {
        // A FIFO, a device or a directory is named as such rather than as "already exists".
        super::require_regular(dest, "the backup")?;
        // SQLite takes "X-wal", "X-shm" and "X-journal" for side files of a database "X" and
        // deletes them the next time X is opened: such a backup would silently vanish.
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(suffix) = ["-wal", "-shm", "-journal"]
            .into_iter()
            .find(|s| name.ends_with(s))
        {
            return Err(Error::invalid(format!(
                "{} ends in {suffix}, a name SQLite keeps for its own side files and deletes when the database beside it opens; choose a name such as cchc-2026-12-01.sqlite3",
                dest.display()
            )));
        }
        // Claim the name atomically, so two backups (or a typo) never overwrite a file.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dest)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::invalid(format!(
                    "{} already exists; choose a new file name (a backup never overwrites)",
                    dest.display()
                )));
            }
            Err(e) => {
                return Err(Error::invalid(format!(
                    "cannot create {}: {e}",
                    dest.display()
                )));
            }
        }
        let result = if self.conn.is_postgres() {
            self.dump_and_verify(dest)
        } else {
            self.copy_and_verify(dest, stages)
        };
        stages.end();
        if result.is_err() {
            for p in [
                dest.to_path_buf(),
                side_file(dest, "-journal"),
                side_file(dest, "-wal"),
                side_file(dest, "-shm"),
            ] {
                let _ = std::fs::remove_file(p);
            }
        }
        result
    }

    fn copy_and_verify(
        &self,
        dest: &Path,
        stages: &dyn crate::progress::Progress,
    ) -> Result<BackupSummary> {
        stages.begin(crate::progress::Work::Copy, 0);
        {
            let live = self.conn.sqlite().ok_or_else(|| {
                Error::invalid(
                    "cchc backup copies a SQLite file; on PostgreSQL back up with pg_dump (docs/OPERATIONS.md)",
                )
            })?;
            let mut out = Connection::open(dest)?;
            {
                use rusqlite::backup::StepResult;
                let backup = rusqlite::backup::Backup::new(live, &mut out)?;
                let deadline = std::time::Instant::now() + super::busy_timeout();
                // All pages in one step: one read snapshot, which in WAL mode blocks nobody.
                loop {
                    match backup.step(-1)? {
                        StepResult::Done => break,
                        StepResult::More => {}
                        _ if std::time::Instant::now() < deadline => {
                            std::thread::sleep(Duration::from_millis(20))
                        }
                        _ => return Err(Error::Busy(super::busy_timeout_secs())),
                    }
                }
            }
            let _: String = out.query_row("PRAGMA journal_mode=DELETE", (), |r| r.get(0))?;
        }
        stages.begin(crate::progress::Work::Verify, 0);
        let copy = Db::Sqlite(Connection::open_with_flags(
            dest,
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?);
        let bad = |reason: String| Error::Corrupt {
            path: dest.to_path_buf(),
            reason: format!(
                "the backup copy does not verify: {reason}; run `cchc doctor` on the live file"
            ),
        };
        let check = integrity(&copy, "integrity_check")?;
        if check != ["ok"] {
            return Err(bad(check.join("; ")));
        }
        let app: i64 = copy.query_row("PRAGMA application_id", (), |r| r.get(0))?;
        if app != APPLICATION_ID {
            return Err(bad(format!("application_id {app:#x}")));
        }
        if let Some(why) = describe_break(&copy)? {
            return Err(bad(why));
        }
        let head = copy
            .query_row(
                "SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1",
                (),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        Ok(BackupSummary {
            path: dest.to_path_buf(),
            bytes: std::fs::metadata(dest)?.len(),
            log_entries: count(&copy, "change_log")?,
            head,
        })
    }

    /// Everything `cchc doctor` checks. Never fails for what it finds: a damaged file is a
    /// report with a failed check, not an error.
    pub fn health(&self) -> HealthReport {
        // The file's directory, its -wal and -shm are reached as the store is.
        self.as_store(|| self.health_checks())
            .unwrap_or_else(|e| HealthReport {
                path: self.path.clone(),
                checks: vec![Check {
                    name: "access",
                    level: CheckLevel::Fail,
                    detail: format!("cannot take the store's group: {e}"),
                }],
            })
    }

    fn health_checks(&self) -> HealthReport {
        let mut checks = Vec::new();
        let mut add = |name, level, detail: String| {
            checks.push(Check {
                name,
                level,
                detail,
            })
        };
        let conn = &self.conn;

        let server = conn.is_postgres();
        if server {
            for (name, level, detail) in schema::postgres::server_checks(conn) {
                add(name, level, detail);
            }
        } else {
            match integrity(conn, "integrity_check") {
                Ok(lines) if lines == ["ok"] => {
                    add("integrity", CheckLevel::Ok, "integrity_check ok".into())
                }
                Ok(lines) => add(
                    "integrity",
                    CheckLevel::Fail,
                    format!(
                        "{} problem(s): {}; restore the latest backup (docs/OPERATIONS.md)",
                        lines.len(),
                        lines.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
                    ),
                ),
                Err(e) => add("integrity", CheckLevel::Fail, e.to_string()),
            }
            match integrity(conn, "foreign_key_check") {
                Ok(rows) if rows.is_empty() => {
                    add("references", CheckLevel::Ok, "foreign_key_check ok".into())
                }
                Ok(rows) => add(
                    "references",
                    CheckLevel::Fail,
                    format!(
                        "{} row(s) point at missing rows (e.g. table {})",
                        rows.len(),
                        rows[0]
                    ),
                ),
                Err(e) => add("references", CheckLevel::Fail, e.to_string()),
            }
        }
        match (describe_break(conn), self.head_hash(), self.log_count()) {
            (Ok(None), Ok(head), Ok(n)) => add(
                "change log",
                CheckLevel::Ok,
                format!(
                    "{n} entries, hash chain verified, head {}",
                    head.map(|(id, h)| format!("#{id} {h}"))
                        .unwrap_or_else(|| "(empty)".into())
                ),
            ),
            (Ok(Some(why)), _, _) => add("change log", CheckLevel::Fail, why),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                add("change log", CheckLevel::Fail, e.to_string())
            }
        }
        match super::guards::trigger_problems(conn) {
            Ok(p) if p.is_empty() => add(
                "append-only",
                CheckLevel::Ok,
                "the change log refuses UPDATE and DELETE (triggers exactly as cchc made them)"
                    .into(),
            ),
            Ok(p) => add(
                "append-only",
                CheckLevel::Fail,
                format!("{}: someone edited the file outside cchc", p.join("; ")),
            ),
            Err(e) => add("append-only", CheckLevel::Fail, e.to_string()),
        }
        if !server {
            match schema::user_version(conn) {
                Ok(v) if v == SCHEMA_VERSION => {
                    add("schema", CheckLevel::Ok, format!("version {v}"))
                }
                Ok(v) => add(
                    "schema",
                    CheckLevel::Warn,
                    format!("version {v}, this cchc writes {SCHEMA_VERSION}"),
                ),
                Err(e) => add("schema", CheckLevel::Fail, e.to_string()),
            }
            // From the file's header (byte 18: 2 = WAL), which an `immutable` reader also sees.
            let mode = match file_header(&self.path).map(|h| h[18]) {
                Some(2) => "wal",
                Some(1) => "rollback journal",
                _ => "unknown",
            };
            let wal = std::fs::metadata(side_file(&self.path, "-wal"))
                .map(|m| m.len())
                .ok();
            let wal_text = match wal {
                Some(n) => format!("WAL {}", human_bytes(n)),
                None => "no WAL file".into(),
            };
            add(
                "journal",
                if wal.unwrap_or(0) > LARGE_WAL {
                    CheckLevel::Warn
                } else {
                    CheckLevel::Info
                },
                format!(
                    "mode {mode}, {wal_text}{}",
                    if wal.unwrap_or(0) > LARGE_WAL {
                        " (large: a cchc left open for days keeps it from shrinking; close idle sessions)"
                    } else {
                        ""
                    }
                ),
            );
            let dir = self
                .path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            match fs_kind::detect(dir) {
                Some(fs) => add(
                    "filesystem",
                    CheckLevel::Warn,
                    format!(
                        "{} (network): every member must use --network-share; a local disk is safer",
                        fs.name()
                    ),
                ),
                None => add("filesystem", CheckLevel::Info, "local".into()),
            }
            add("access", CheckLevel::Info, file_access(&self.path));
            match super::unwritable_reason(&self.path) {
                Some(why) => add("writable", CheckLevel::Warn, format!("not by you: {why}")),
                None => add("writable", CheckLevel::Info, "yes, by you".into()),
            }
        }
        // The rule alone: doctor itself opens read-only.
        match super::members::Permissions::load(&self.conn, &self.user) {
            Ok(p) => add("you", CheckLevel::Info, p.describe()),
            Err(e) => add("you", CheckLevel::Fail, e.to_string()),
        }
        let counts: Vec<String> = [
            ("tasks", "tasks"),
            ("notes", "notes"),
            ("measurements", "measurements"),
            ("change_log", "log entries"),
            ("members", "members"),
        ]
        .iter()
        .map(|(t, label)| match count(conn, t) {
            Ok(n) => format!("{n} {label}"),
            Err(e) => format!("{label}: {e}"),
        })
        .collect();
        add("contents", CheckLevel::Info, counts.join(", "));
        HealthReport {
            path: self.path.clone(),
            checks,
        }
    }
}

fn file_header(path: &Path) -> Option<[u8; 100]> {
    use std::io::Read;
    let mut h = [0u8; 100];
    std::fs::File::open(path).ok()?.read_exact(&mut h).ok()?;
    Some(h)
}

/// "mode 0660, owner 1000, group 1001" and whether this user may write it.
fn file_access(path: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(m) => {
            let mode = m.mode() & 0o7777;
            let mut s = format!(
                "mode {mode:04o}, owner uid {}, group gid {}",
                m.uid(),
                m.gid()
            );
            if mode & 0o002 != 0 {
                s.push_str(
                    " (world-writable: anyone on the machine can change it; use 0660 and a group)",
                );
            }
            s
        }
        Err(e) => e.to_string(),
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

/// A head pinned outside the file (a line of `cchc-heads.txt`, the minutes): where it was
/// read, and the entry and hash it names.
#[derive(Debug, Clone, PartialEq)]
pub struct PinnedHead {
    pub source: String,
    pub id: i64,
    pub hash: String,
    /// The backup the line names (beside the heads file), which must hold the same head.
    pub backup: Option<PathBuf>,
}

/// How many differences `doctor` lists one by one before it counts the rest.
const SHOWN_DIVERGENCES: usize = 20;

impl Store {
    /// `doctor`'s checks of the history itself: the log replayed from the seeded `plan` and
    /// compared with the tables, and the newest pinned head (or where none was found).
    pub fn history_checks(
        &self,
        plan: Option<&crate::model::Plan>,
        pinned: std::result::Result<PinnedHead, (CheckLevel, String)>,
        user: &str,
    ) -> Vec<Check> {
        let mut checks = Vec::new();
        let mut add = |name, level, detail: String| {
            checks.push(Check {
                name,
                level,
                detail,
            })
        };
        match self.replay(plan) {
            Ok(r) => {
                for why in &r.unchecked {
                    add("replay", CheckLevel::Info, why.clone());
                }
                if r.divergences.is_empty() {
                    add(
                        "replay",
                        CheckLevel::Ok,
                        format!(
                            "{} entries replayed: every column of every table a write touches is what the log and the plan imply",
                            r.entries
                        ),
                    );
                }
                for d in r.divergences.iter().take(SHOWN_DIVERGENCES) {
                    add(
                        "replay",
                        CheckLevel::Fail,
                        format!("{d}: changed outside cchc"),
                    );
                }
                if r.divergences.len() > SHOWN_DIVERGENCES {
                    add(
                        "replay",
                        CheckLevel::Fail,
                        format!(
                            "… and {} more differences",
                            r.divergences.len() - SHOWN_DIVERGENCES
                        ),
                    );
                }
            }
            Err(e) => add("replay", CheckLevel::Fail, e.to_string()),
        }
        match pinned {
            Ok(head) => {
                match self.check_head(head.id, &head.hash) {
                    Ok(super::HeadCheck::Present) => add(
                        "pinned head",
                        CheckLevel::Ok,
                        format!(
                            "#{} {} from {} is in the chain",
                            head.id, head.hash, head.source
                        ),
                    ),
                    Ok(other) => add(
                        "pinned head",
                        CheckLevel::Fail,
                        describe_head(&head, &other),
                    ),
                    Err(e) => add("pinned head", CheckLevel::Fail, e.to_string()),
                }
                if let Some(backup) = &head.backup {
                    let (level, why) = self.check_backup_head(&head, backup, user);
                    add("pinned head", level, why);
                }
            }
            Err((level, why)) => add("pinned head", level, why),
        }
        checks
    }
}

impl Store {
    /// Whether the backup a pinned head's line names holds that head: a line written into the
    /// heads file by hand names no backup that has it.
    fn check_backup_head(
        &self,
        head: &PinnedHead,
        backup: &Path,
        user: &str,
    ) -> (CheckLevel, String) {
        let name = backup.display();
        if backup.extension().is_some_and(|e| e == "dump") {
            return (
                CheckLevel::Info,
                format!(
                    "{name} is a pg_dump archive: its head is checked when it is restored (docs/OPERATIONS.md, the monthly restore)"
                ),
            );
        }
        let present = self
            .read_beside(backup, |p| Ok(p.exists()))
            .unwrap_or(false);
        if !present {
            return (
                CheckLevel::Fail,
                format!(
                    "the backup {name} that {} names with head #{} is missing: the heads file was edited, or the backup removed; find the backup or compare with the minutes",
                    head.source, head.id
                ),
            );
        }
        let opened = Store::open_to_read(
            backup,
            user,
            super::OpenOptions {
                read_only: true,
                ..Default::default()
            },
        );
        match opened.and_then(|b| b.check_head(head.id, &head.hash)) {
            Ok(super::HeadCheck::Present) => (
                CheckLevel::Ok,
                format!("the backup {name} holds #{} with the same hash", head.id),
            ),
            Ok(other) => (
                CheckLevel::Fail,
                format!(
                    "the backup {name} does not hold the head its line pins ({}): the heads file was edited",
                    describe_head(head, &other)
                ),
            ),
            Err(e) => (
                CheckLevel::Fail,
                format!("the backup {name} cannot be checked: {e}"),
            ),
        }
    }
}

/// One line for a pinned head that is no longer in the chain.
pub fn describe_head(head: &PinnedHead, check: &super::HeadCheck) -> String {
    match check {
        super::HeadCheck::Present => format!("#{} is in the chain", head.id),
        super::HeadCheck::Truncated { last } => format!(
            "{} pinned entry #{}, but the log ends at #{last}: entries were deleted from its tail",
            head.source, head.id
        ),
        super::HeadCheck::Rewritten { found } => format!(
            "{} pinned entry #{} as {}, but the file holds {found}: history up to it was rewritten and re-chained",
            head.source, head.id, head.hash
        ),
    }
}
