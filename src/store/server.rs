//! A store on a PostgreSQL server (`--db postgres://…`). Who acts is the server's business:
//! the session's role, as PostgreSQL authenticated it, names the member; `--user` cannot claim
//! anyone else. The server also enforces the member rule (row-level security), and announces
//! every change (LISTEN/NOTIFY) instead of a file's data version.

use std::path::{Path, PathBuf};

use super::engine::{Db, PgConn, wrap};
use super::schema::postgres as pg_schema;
use super::{BackupSummary, OpenOptions, Store, busy_timeout, identity, seed};
use crate::error::{Error, Result};

/// The server URL a `--db` names, if it names one rather than a file.
pub fn server_url(db: &Path) -> Option<&str> {
    db.to_str()
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// The URL without its password (in the user part or a `password=` parameter), to show.
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => {
            let kept: Vec<&str> = q
                .split('&')
                .filter(|p| !p.starts_with("password="))
                .collect();
            (
                r,
                if kept.is_empty() {
                    String::new()
                } else {
                    format!("?{}", kept.join("&"))
                },
            )
        }
        None => (rest, String::new()),
    };
    match rest.split_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}{query}")
        }
        None => format!("{scheme}://{rest}{query}"),
    }
}

impl Store {
    pub(super) fn open_postgres(url: &str, claimed: &str, opts: OpenOptions) -> Result<Store> {
        let shown = shown_url(url);
        let conn = PgConn::connect(url, busy_timeout()).map_err(|e| {
            let cause = std::error::Error::source(&e)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            match e.as_db_error() {
                // The server answered (a wrong password, no such database): its own words.
                Some(_) => Error::from(wrap(e)),
                None => Error::invalid(format!(
                    "cannot connect to {shown} ({e}{cause}); check the URL (host, port, sslmode, sslrootcert), that the server runs, and its pg_hba.conf"
                )),
            }
        })?;
        let mut db = Db::Postgres(Box::new(conn));
        // Who is connected, and whether they administer the database (its superuser or
        // owner): one question, before anything else.
        let (session, administrator): (String, bool) = db.query_row(
            "SELECT session_user::text, r.rolsuper OR pg_has_role(session_user, d.datdba, 'MEMBER')
             FROM pg_roles r, pg_database d
             WHERE r.rolname = session_user AND d.datname = current_database()",
            (),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let version = pg_schema::version(&db)?;
        let mut seeded = false;
        let creating = opts.create_with.is_some() || opts.create_bare;
        if creating || (version > 0 && version < pg_schema::PG_SCHEMA_VERSION) {
            if opts.read_only {
                return Err(Error::ReadOnly(format!(
                    "{shown} needs a schema upgrade, which a read-only open cannot do"
                )));
            }
            let plan = opts.create_with.as_ref();
            seeded = pg_schema::migrate(&mut db, creating, |tx| match plan {
                Some(plan) => seed::seed(tx, plan, &session),
                None => Ok(()),
            })?;
        } else if version == 0 {
            return Err(Error::invalid(format!(
                "{shown} has no cchc tables; its owner creates them with `cchc init {shown}`"
            )));
        } else if version > pg_schema::PG_SCHEMA_VERSION {
            return Err(Error::invalid(format!(
                "{shown} was made by a newer cchc (schema {version}); update cchc"
            )));
        }
        let mut acting = match super::members::find_by_login(&db, &session)? {
            Some(m) => m.name,
            None => session.clone(),
        };
        let os_login = &crate::context::os_user().login;
        let claims_other = !claimed.trim().is_empty()
            && !claimed.eq_ignore_ascii_case(&acting)
            && claimed != session
            && claimed != os_login.as_str();
        if claims_other && administrator {
            // The administrator may act as any member, as root may on a file (and could write
            // the tables directly anyway): it is how the owner registers members for a
            // secretary (`--user SECRETARY member add …`), making their login roles.
            acting = claimed.to_string();
        } else if claims_other {
            return Err(Error::Denied(format!(
                "you are connected to {shown} as {session}; --user {claimed} is not you: drop --user (and CCHC_USER) or connect as that member's role",
                claimed = crate::untrusted::line(claimed),
            )));
        }
        let read_only = if opts.read_only {
            db.execute_batch("SET default_transaction_read_only = on")?;
            Some("opened with --read-only".to_string())
        } else {
            None
        };
        let store = Store {
            conn: db,
            path: PathBuf::from(shown),
            server_url: Some(url.to_string()),
            user: acting,
            read_only,
            notices: Vec::new(),
            ids: identity::FileIds::take(Path::new(""), false),
            replaced: None,
            reopen: (opts.read_only, false),
            seeded,
            grouped: false,
        };
        store.take_time_zone()?;
        Ok(store)
    }

    /// "database@host" for a status line, on a server.
    pub fn server_label(&self) -> Option<String> {
        let config = super::engine::server_config(self.server_url.as_deref()?)?;
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => "local".to_string(),
        };
        Some(format!("{}@{host}", config.get_dbname().unwrap_or("?")))
    }

    /// Whether the store is on a database server rather than a file.
    pub fn on_server(&self) -> bool {
        self.conn.is_postgres()
    }
}

/// The group roles, by cchc role.
fn group_of(role: super::Role) -> &'static str {
    match role {
        super::Role::Secretary => "cchc_secretary",
        super::Role::Member => "cchc_member",
        super::Role::Viewer => "cchc_viewer",
    }
}

/// Makes `login` a server role in `role`'s group (creating it, without a password, when
/// missing; the operator sets one, docs/OPERATIONS.md) and takes it out of the other cchc
/// groups; with no role (a member removed), out of all three. Runs in the member's write
/// transaction: refused as a whole when the acting role may not manage roles. Identifiers are
/// quoted by the server (`format('%I')`).
pub(super) fn set_group(tx: &Db, login: &str, role: Option<super::Role>) -> Result<()> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
        [login],
        |r| r.get(0),
    )?;
    let mut statements: Vec<String> = Vec::new();
    match (exists, role) {
        (false, None) => return Ok(()),
        (false, Some(_)) => statements.push(tx.query_row(
            "SELECT format('CREATE ROLE %I LOGIN', CAST(?1 AS TEXT))",
            [login],
            |r| r.get(0),
        )?),
        (true, _) => {}
    }
    for group in ["cchc_secretary", "cchc_member", "cchc_viewer"] {
        let verb = if Some(group) == role.map(group_of) {
            "GRANT %I TO %I"
        } else {
            "REVOKE %I FROM %I"
        };
        statements.push(tx.query_row(
            "SELECT format(CAST(?1 AS TEXT), CAST(?2 AS TEXT), CAST(?3 AS TEXT))",
            rusqlite::params![verb, group, login],
            |r| r.get(0),
        )?);
    }
    for sql in statements {
        tx.execute_batch(&sql).map_err(|e| match Error::from(e) {
            Error::Denied(why) => Error::Denied(format!(
                "{why}; registering a member on the server also makes their login role, which needs a role with CREATEROLE (the database owner): docs/OPERATIONS.md"
            )),
            other => other,
        })?;
    }
    Ok(())
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgresql", url));
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = before_query.split('/').next().unwrap_or("");
    format!("{scheme}://{authority}/{name}{query}")
}

/// Runs a PostgreSQL client tool; its first line of complaint as the error.
fn run_tool(tool: &str, args: &[&std::ffi::OsStr]) -> Result<()> {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .map_err(|e| {
            Error::invalid(format!(
                "cannot run {tool} ({e}): install PostgreSQL's client tools (apt-get install postgresql-client-15)"
            ))
        })?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    Err(Error::invalid(format!(
        "{tool} failed: {}",
        crate::untrusted::line(err.lines().next().unwrap_or("no message"))
    )))
}

impl Store {
    /// `cchc backup` on a server: `pg_dump` (one consistent snapshot of the database, in its
    /// custom format) into `dest`, verified by restoring it into a scratch database on the same
    /// server and checking the restored change log's chain and the tables against it, as
    /// `log --verify` does; the scratch database is dropped whatever happens.
    pub(super) fn dump_and_verify(&self, dest: &Path) -> Result<BackupSummary> {
        let url = self.server_url.as_deref().unwrap_or_default();
        run_tool(
            "pg_dump",
            &[
                "--format=custom".as_ref(),
                "--file".as_ref(),
                dest.as_os_str(),
                url.as_ref(),
            ],
        )?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let scratch = format!("cchc_verify_{}_{stamp}", std::process::id());
        let scratch_url = with_database(url, &scratch);
        let mut admin =
            postgres::Client::connect(url, postgres::NoTls).map_err(|e| Error::from(wrap(e)))?;
        // The name is made of digits and underscores above.
        admin
            .batch_execute(&format!("CREATE DATABASE {scratch}"))
            .map_err(|e| Error::from(wrap(e)))?;
        let verdict = (|| {
            run_tool(
                "pg_restore",
                &[
                    "--exit-on-error".as_ref(),
                    "--no-owner".as_ref(),
                    "--dbname".as_ref(),
                    scratch_url.as_ref(),
                    dest.as_os_str(),
                ],
            )?;
            let copy = Store::open(
                Path::new(&scratch_url),
                &self.user,
                OpenOptions {
                    read_only: true,
                    ..Default::default()
                },
            )?;
            let bad = |reason: String| Error::Corrupt {
                path: dest.to_path_buf(),
                reason: format!(
                    "the backup, restored, does not verify: {reason}; run `cchc doctor` on the live database"
                ),
            };
            if let Some(id) = copy.verify_chain()? {
                return Err(bad(format!(
                    "change-log entry {id} does not match its hash"
                )));
            }
            let replay = copy.replay(crate::plan::load().ok().as_ref())?;
            if let Some(d) = replay.divergences.first() {
                return Err(bad(d.to_string()));
            }
            Ok(BackupSummary {
                path: dest.to_path_buf(),
                bytes: std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0),
                log_entries: copy.log_count()?,
                head: copy.head_hash()?,
            })
        })();
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"));
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn a_shown_url_carries_no_password() {
        assert_eq!(
            shown_url("postgres://ha:s3cret@db.langson/cchc?sslmode=verify-full"),
            "postgres://ha@db.langson/cchc?sslmode=verify-full"
        );
        assert_eq!(
            shown_url("postgresql:///cchc?host=/var/run/postgresql&password=s3cret&user=ha"),
            "postgresql:///cchc?host=/var/run/postgresql&user=ha"
        );
    }
}
