//! The schema on PostgreSQL: its own append-only list of migrations (the first is the whole
//! schema of SQLite's `SCHEMA_VERSION`), tracked in `cchc_migrations` and applied under a
//! transaction advisory lock, so members' cchc starting at once queue instead of colliding.
//! The roles, grants and row-level security policies are applied again by every `cchc init`.

use crate::error::{Error, Result};
use crate::store::engine::{Behavior, Db, Tx};

const MIGRATIONS: &[&str] = &[
    concat!(include_str!("pg/compat.sql"), include_str!("pg/schema.sql")),
    // 2: SQLite's migration 10 (refusals logged at most once a minute per member; form 3).
    include_str!("pg/refusals.sql"),
    // 3: SQLite's migration 11 (agencies' addresses and addressee, the reminders).
    include_str!("pg/reminders.sql"),
];

/// Roles, grants and policies; idempotent.
pub(in crate::store) const SECURITY: &str = include_str!("pg/security.sql");

/// The lock `migrate` holds (apart from the writers' lock, which a member's write takes).
const MIGRATION_LOCK: i64 = 0x4343_4844;

pub const PG_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The version the database is at; 0 when cchc's tables are not there.
pub fn version(db: &Db) -> Result<i64> {
    let exists: Option<String> =
        db.query_row("SELECT to_regclass('cchc_migrations')::text", (), |r| {
            r.get(0)
        })?;
    if exists.is_none() {
        return Ok(0);
    }
    Ok(db.query_row(
        "SELECT CAST(coalesce(max(version), 0) AS BIGINT) FROM cchc_migrations",
        (),
        |r| r.get(0),
    )?)
}

/// Brings the database to `PG_SCHEMA_VERSION`, with `security` (roles, grants, policies)
/// when asked, in one transaction; `after_create` runs in it when this call created the schema
/// (the seed). Returns whether this call created the schema.
pub fn migrate(
    db: &mut Db,
    security: bool,
    after_create: impl FnOnce(&Tx) -> Result<()>,
) -> Result<bool> {
    let tx = db.transaction_with_behavior(Behavior::Immediate)?;
    tx.query_row("SELECT pg_advisory_xact_lock(?1)", [MIGRATION_LOCK], |_| {
        Ok(())
    })?;
    let from = version(&tx)?;
    if from > PG_SCHEMA_VERSION {
        return Err(Error::invalid(format!(
            "this database was made by a newer cchc (schema {from}, this cchc knows {PG_SCHEMA_VERSION}); update cchc"
        )));
    }
    if from == 0 {
        tx.execute_batch(
            "CREATE TABLE cchc_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .map_err(owner_needed)?;
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.execute_batch(sql).map_err(owner_needed)?;
        tx.execute(
            "INSERT INTO cchc_migrations (version, applied_at) VALUES (?1, ?2)",
            rusqlite::params![i as i64 + 1, crate::store::log::stamp(&tx)?],
        )?;
    }
    if security || from < PG_SCHEMA_VERSION {
        tx.execute_batch(SECURITY).map_err(owner_needed)?;
        // Every member's cchc reads the version at start.
        tx.execute_batch(
            "GRANT SELECT ON cchc_migrations TO cchc_secretary, cchc_member, cchc_viewer",
        )
        .map_err(owner_needed)?;
    }
    let created = from == 0;
    // The schema made this database's file id (`meta`), as SQLite's migration does.
    if created {
        after_create(&tx)?;
    }
    crate::store::search_index::refresh_stale(&tx)?;
    tx.commit()?;
    Ok(created)
}

/// A member's role may not change the schema: say who can.
fn owner_needed(e: rusqlite::Error) -> Error {
    match Error::from(e) {
        Error::Denied(why) => Error::Denied(format!(
            "{why}; the database's schema is created and upgraded by its owner: run `cchc init URL` as the owner (docs/OPERATIONS.md)"
        )),
        other => other,
    }
}

/// What is wrong with cchc's triggers on the server: one missing or disabled, or one that is
/// not cchc's on its tables. Compared by name and state (the server keeps no text to compare;
/// replacing a trigger's function needs the owner's rights, which members' roles lack).
pub fn trigger_problems(db: &Db) -> Result<Vec<String>> {
    let expected = trigger_names();
    let mut problems = Vec::new();
    let found: Vec<(String, String)> = db
        .prepare(
            "SELECT t.tgname::text, t.tgenabled::text FROM pg_trigger t
             JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())::oid
             ORDER BY t.tgname",
        )?
        .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for name in &expected {
        match found.iter().find(|(n, _)| n == name) {
            None => problems.push(format!("trigger {name} is missing")),
            Some((_, state)) if state == "D" => {
                problems.push(format!("trigger {name} is disabled"))
            }
            Some(_) => {}
        }
    }
    for (name, _) in &found {
        if !expected.iter().any(|n| n == name) {
            problems.push(format!(
                "trigger {} is not cchc's",
                crate::untrusted::line(name)
            ));
        }
    }
    Ok(problems)
}

/// The triggers the migrations create, by name.
fn trigger_names() -> Vec<String> {
    let mut names = Vec::new();
    for sql in MIGRATIONS.iter().chain([&SECURITY]) {
        for line in sql.lines() {
            let line = line.trim_start();
            let rest = line
                .strip_prefix("CREATE TRIGGER ")
                .or_else(|| line.strip_prefix("CREATE OR REPLACE TRIGGER "))
                .or_else(|| line.strip_prefix("CREATE CONSTRAINT TRIGGER "));
            if let Some(name) = rest.and_then(|r| r.split_whitespace().next())
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// `doctor`'s checks of the server itself: its version, the schema's, and that the roles'
/// grants and the row-level security are as `init` made them.
pub fn server_checks(db: &Db) -> Vec<(&'static str, crate::store::CheckLevel, String)> {
    use crate::store::CheckLevel::{Fail, Ok as Fine, Warn};
    let mut out = Vec::new();
    let mut check = |name, found: Result<(crate::store::CheckLevel, String)>| {
        out.push(match found {
            Ok((level, detail)) => (name, level, detail),
            Err(e) => (name, Fail, e.to_string()),
        })
    };
    check(
        "server",
        (|| {
            let (num, shown): (String, String) = db.query_row(
                "SELECT current_setting('server_version_num'), current_setting('server_version')",
                (),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let num: i64 = num.parse().unwrap_or(0);
            Ok(if num >= 150_000 {
                (Fine, format!("PostgreSQL {shown}"))
            } else {
                (
                    Warn,
                    format!("PostgreSQL {shown}: cchc is tested on 15 and later"),
                )
            })
        })(),
    );
    check(
        "connection",
        (|| {
            let (ssl, version): (Option<i64>, Option<String>) = db.query_row(
                "SELECT s.ssl, s.version FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()",
                (),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let client: Option<String> =
                db.query_row("SELECT host(inet_client_addr())", (), |r| r.get(0))?;
            Ok(match (ssl, client) {
                (Some(1), _) => (Fine, format!("encrypted ({})", version.unwrap_or_default())),
                (_, None) => (
                    crate::store::CheckLevel::Info,
                    "a Unix socket on the server's own host".to_string(),
                ),
                (_, Some(addr)) => (
                    Warn,
                    format!(
                        "not encrypted from {addr}: add ?sslmode=verify-full to the URL (docs/OPERATIONS.md)"
                    ),
                ),
            })
        })(),
    );
    check(
        "schema",
        version(db).map(|v| {
            if v == PG_SCHEMA_VERSION {
                (Fine, format!("version {v}"))
            } else {
                (
                    Warn,
                    format!("version {v}, this cchc writes {PG_SCHEMA_VERSION}"),
                )
            }
        }),
    );
    check(
        "grants",
        grant_problems(db).map(|p| {
            if p.is_empty() {
                (
                    Fine,
                    "members' roles may not change or delete the change log".to_string(),
                )
            } else {
                (
                    Fail,
                    format!(
                        "{}; run `cchc init` as the owner to set them again",
                        p.join("; ")
                    ),
                )
            }
        }),
    );
    check(
        "policies",
        (|| {
            let (secured, policies): (i64, i64) = db.query_row(
            "SELECT c.relrowsecurity,
                    (SELECT count(*) FROM pg_policies p WHERE p.tablename = 'tasks' AND p.schemaname = current_schema())
             FROM pg_class c WHERE c.oid = to_regclass('tasks')",
            (),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
            Ok(if secured == 1 && policies > 0 {
                (
                    Fine,
                    format!("row-level security on tasks, {policies} policies"),
                )
            } else {
                (Fail, "row-level security is off on tasks: members' roles could change any agency's task; run `cchc init` as the owner".to_string())
            })
        })(),
    );
    out
}

/// The group roles that exist and may rewrite history, each a line.
fn grant_problems(db: &Db) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for role in ["cchc_secretary", "cchc_member", "cchc_viewer"] {
        let exists: i64 = db.query_row(
            "SELECT count(*) FROM pg_roles WHERE rolname = ?1",
            [role],
            |r| r.get(0),
        )?;
        if exists == 0 {
            problems.push(format!("role {role} is missing"));
            continue;
        }
        for privilege in ["UPDATE", "DELETE", "TRUNCATE"] {
            let granted: i64 = db.query_row(
                "SELECT has_table_privilege(?1, 'change_log', ?2)",
                [role, privilege],
                |r| r.get(0),
            )?;
            if granted == 1 {
                problems.push(format!("{role} may {privilege} the change log"));
            }
        }
    }
    Ok(problems)
}
