//! The scratch PostgreSQL database the pg_* tests share: schema.sql and security.sql applied
//! to a database of its own, LOGIN roles made for the run, all dropped at the end.
//!
//! Needs PostgreSQL on /var/run/postgresql with a superuser `root` (.ci/run starts it); a test
//! fails, never skips, without it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};

pub const SCHEMA: &str = include_str!("../../src/store/schema/pg/schema.sql");
pub const SECURITY: &str = include_str!("../../src/store/schema/pg/security.sql");
/// The migrations after the first, in order.
pub const LATER: &[&str] = &[
    include_str!("../../src/store/schema/pg/refusals.sql"),
    include_str!("../../src/store/schema/pg/reminders.sql"),
];

pub fn connect_root(dbname: &str) -> Client {
    Config::new()
        .host("/var/run/postgresql")
        .user("root")
        .dbname(dbname)
        .connect(NoTls)
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is unreachable as root on /var/run/postgresql ({e}): start it with `pg_ctlcluster 15 main start` and create the superuser with `su postgres -c 'createuser --superuser root'`"
            )
        })
}

/// Runs DDL, which takes no bind parameters: the server quotes the names and literals
/// (`format`'s %I and %L), so no SQL text is pieced together here.
pub fn ddl(c: &mut Client, template: &str, args: &[&str]) {
    let sql: String = c
        .query_one(
            "SELECT format($1, VARIADIC $2::text[])",
            &[&template, &args],
        )
        .expect("format the DDL")
        .get(0);
    c.batch_execute(&sql)
        .unwrap_or_else(|e| panic!("{template} {args:?}: {e}"));
}

/// A database of its own with the schema and security applied, and the roles made for it;
/// all dropped at the end, whatever happened.
pub struct Scratch {
    pub db: String,
    pub prefix: String,
    pub passwords: HashMap<String, String>,
}

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let prefix = format!(
            "cchc_t{}_{nanos}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let db = format!("{prefix}_{tag}");
        ddl(&mut connect_root("postgres"), "CREATE DATABASE %I", &[&db]);
        let s = Scratch {
            db,
            prefix,
            passwords: HashMap::new(),
        };
        let mut root = s.root();
        root.batch_execute(SCHEMA).expect("schema.sql applies");
        for sql in LATER {
            root.batch_execute(sql).expect("the later migrations apply");
        }
        for run in 1..=2 {
            root.batch_execute(SECURITY)
                .unwrap_or_else(|e| panic!("security.sql, run {run} (it must be idempotent): {e}"));
        }
        s
    }

    /// The owner (a superuser) over the socket.
    pub fn root(&self) -> Client {
        connect_root(&self.db)
    }

    /// A new LOGIN role with a password, in `group`; its name is returned.
    pub fn login(&mut self, who: &str, group: &str) -> String {
        let name = format!("{}_{who}", self.prefix);
        let password = format!("pw-{}-{who}", self.prefix);
        let mut root = self.root();
        ddl(
            &mut root,
            "CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I",
            &[&name, &password, group],
        );
        self.passwords.insert(name.clone(), password);
        name
    }

    /// A LOGIN role, registered as a cchc member of `agency` with `role`.
    pub fn member(&mut self, who: &str, group: &str, agency: &str, role: &str) -> String {
        let name = self.login(who, group);
        self.root()
            .execute(
                "INSERT INTO members (name, agency, role, added_by, added_at, login)
                 VALUES ($1, $2, $3, 'test', '2026-12-01T00:00:00.000Z', $4)",
                &[&who, &agency, &role, &name],
            )
            .expect("register the member");
        name
    }

    /// `role` over TCP with its password, as a member's psql would connect.
    pub fn connect_as(&self, role: &str) -> Client {
        Config::new()
            .host("127.0.0.1")
            .user(role)
            .password(&self.passwords[role])
            .dbname(&self.db)
            .connect(NoTls)
            .unwrap_or_else(|e| panic!("connect as {role} over TCP: {e}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let mut admin = connect_root("postgres");
        ddl(
            &mut admin,
            "DROP DATABASE IF EXISTS %I WITH (FORCE)",
            &[&self.db],
        );
        for role in self.passwords.keys() {
            ddl(&mut admin, "DROP ROLE IF EXISTS %I", &[role]);
        }
    }
}

/// One area, three agencies, an indicator each for SNV and STP, and three tasks: 1 led by SNV,
/// 2 led by STP, 3 led by STP and coordinated by SYT and SNV.
pub const PLAN: &str = "
INSERT INTO areas (code, name_vi, name_en, position) VALUES ('bo-may', 'Bộ máy', 'Apparatus', 1);
INSERT INTO agencies (code, name, kind, position) VALUES
    ('SNV', 'Sở Nội vụ', 'department', 1), ('STP', 'Sở Tư pháp', 'department', 2),
    ('SYT', 'Sở Y tế', 'department', 3);
INSERT INTO indicators (code, area, name, unit, direction, lead_agency, position) VALUES
    ('chi-so-snv', 'bo-may', 'Chỉ số của Sở Nội vụ', 'percent', 'at-least', 'SNV', 1),
    ('chi-so-stp', 'bo-may', 'Chỉ số của Sở Tư pháp', 'percent', 'at-least', 'STP', 2);
INSERT INTO tasks (id, area, lead_agency, coordinating, title, due, recurrence, status,
                   progress, updated_by, updated_at) VALUES
    (1, 'bo-may', 'SNV', '', 'Việc của Sở Nội vụ', '2027-03-31', 'once', 'not-started', 0,
     'seed', '2026-12-01T00:00:00.000Z'),
    (2, 'bo-may', 'STP', '', 'Việc của Sở Tư pháp', '2027-03-31', 'once', 'not-started', 0,
     'seed', '2026-12-01T00:00:00.000Z'),
    (3, 'bo-may', 'STP', 'SYT,SNV', 'Việc Sở Nội vụ phối hợp', '2027-06-30', 'once',
     'not-started', 0, 'seed', '2026-12-01T00:00:00.000Z');
-- Explicit ids leave the identity behind, as a migration's copy does.
SELECT setval(pg_get_serial_sequence('tasks', 'id'), 3);
";

/// A scratch database holding PLAN.
pub fn planned(tag: &str) -> Scratch {
    let s = Scratch::new(tag);
    s.root().batch_execute(PLAN).expect("the plan's rows");
    s
}

/// The server's refusal of a write, as a member's role: permission denied (SQLSTATE 42501,
/// which also covers a row that breaks a row-level security policy). Returns the message.
pub fn refused<T: std::fmt::Debug>(r: Result<T, postgres::Error>, what: &str) -> String {
    let e = r.expect_err(&format!("the server should refuse: {what}"));
    let db = e
        .as_db_error()
        .unwrap_or_else(|| panic!("{what}: not a server error: {e}"));
    assert_eq!(
        db.code(),
        &SqlState::INSUFFICIENT_PRIVILEGE,
        "{what}: {}",
        db.message()
    );
    db.message().to_string()
}
