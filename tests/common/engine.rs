//! Which engine the suite runs on. `cargo test` runs it on SQLite files; with
//! `CCHC_TEST_ENGINE=postgres` (tests/run.sh's second pass) every database the tests make is
//! a new database on the machine's PostgreSQL instead, reached as the superuser the run set up
//! (`CCHC_TEST_PG`, default the `root` role over the Unix socket). The same tests, one suite.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn on_postgres() -> bool {
    std::env::var("CCHC_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

/// The admin connection string (libpq key=value form) for making test databases.
pub fn admin_conninfo() -> String {
    std::env::var("CCHC_TEST_PG")
        .unwrap_or_else(|_| "host=/var/run/postgresql user=root dbname=postgres".into())
}

/// A URL for `--db` naming database `name` on the test server, as the admin role.
pub fn url_of(name: &str) -> String {
    let info = admin_conninfo();
    let field = |key: &str, default: &str| {
        info.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            .unwrap_or(default)
            .to_string()
    };
    format!(
        "postgresql:///{name}?host={}&user={}",
        field("host", "/var/run/postgresql"),
        field("user", "root")
    )
}

pub fn admin() -> postgres::Client {
    postgres::Client::connect(&admin_conninfo(), postgres::NoTls).unwrap_or_else(|e| {
        panic!(
            "cannot reach the test PostgreSQL ({e}): start it with `pg_ctlcluster 15 main start` and create the superuser role, as tests/run.sh does"
        )
    })
}

/// Where a test's new, empty database goes: `dir/file` on SQLite; on PostgreSQL a new empty
/// database named after the test process and `file` (tests/run.sh drops them all before and
/// after its run).
pub fn new_db(dir: &Path, file: &str) -> PathBuf {
    if !on_postgres() {
        return dir.join(file);
    }
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let stem: String = file
        .chars()
        .take_while(|c| *c != '.')
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let name = format!(
        "cchc_t_{}_{}_{stem}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::SeqCst)
    );
    admin()
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    PathBuf::from(url_of(&name))
}

/// For a test about SQLite files themselves (headers, WAL, file modes, the sqlite3 shell):
/// true on the PostgreSQL pass, which then says so and returns. It runs on the SQLite pass.
pub fn sqlite_only(why: &str) -> bool {
    if on_postgres() {
        eprintln!("not on PostgreSQL: {why}");
    }
    on_postgres()
}

/// One number from the database, through the engine's own client.
pub fn count(db: &Path, sql: &str) -> i64 {
    match db.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
            let row = c.query_one(sql, &[]).expect("count");
            row.try_get::<_, i64>(0).expect("a bigint")
        }
        None => {
            let c = rusqlite::Connection::open(db).expect("open db");
            c.query_row(sql, [], |r| r.get(0)).expect("count")
        }
    }
}

/// Runs `sql` with the engine's own client, as someone bypassing cchc would: rows changed, or
/// the engine's error text.
pub fn execute(db: &Path, sql: &str) -> Result<u64, String> {
    match db.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
            c.execute(sql, &[]).map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_string(),
                None => e.to_string(),
            })
        }
        None => {
            let c = rusqlite::Connection::open(db).expect("open db");
            c.execute(sql, [])
                .map(|n| n as u64)
                .map_err(|e| e.to_string())
        }
    }
}

/// What "the data as it was" means on each engine: the file's bytes, or every row of the
/// server's tables as text.
pub fn snapshot(db: &Path) -> Vec<u8> {
    match db.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
            let mut out = String::new();
            for table in [
                "meta",
                "agencies",
                "indicators",
                "targets",
                "tasks",
                "notes",
                "measurements",
                "members",
                "change_log",
            ] {
                for row in c
                    .query(&format!("SELECT t::text FROM {table} t ORDER BY 1"), &[])
                    .expect("read a table")
                {
                    out.push_str(row.get::<_, &str>(0));
                    out.push('\n');
                }
            }
            out.into_bytes()
        }
        None => std::fs::read(db).expect("read the database file"),
    }
}

/// One text from the database, through the engine's own client.
pub fn text(db: &Path, sql: &str) -> String {
    match db.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
            c.query_one(sql, &[]).expect("a row").get(0)
        }
        None => {
            let c = rusqlite::Connection::open(db).expect("open db");
            c.query_row(sql, [], |r| r.get(0)).expect("a row")
        }
    }
}

/// Every row's first column as text, through the engine's own client.
pub fn texts(db: &Path, sql: &str) -> Vec<String> {
    match db.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
            let rows = c.query(sql, &[]).expect("rows");
            rows.iter().map(|r| r.get(0)).collect()
        }
        None => {
            let c = rusqlite::Connection::open(db).expect("open db");
            let mut stmt = c.prepare(sql).expect("prepare");
            stmt.query_map([], |r| r.get(0))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("rows")
        }
    }
}

/// As `execute`, with text parameters bound to `?1`, `?2`, … (a hostile string planted as
/// someone bypassing cchc would).
pub fn execute_with(db: &Path, sql: &str, params: &[&str]) -> Result<u64, String> {
    match db.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
            let sql = sql.replace('?', "$");
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
                .iter()
                .map(|p| p as &(dyn postgres::types::ToSql + Sync))
                .collect();
            c.execute(&sql, &refs).map_err(|e| e.to_string())
        }
        None => {
            let c = rusqlite::Connection::open(db).expect("open db");
            c.execute(sql, rusqlite::params_from_iter(params))
                .map(|n| n as u64)
                .map_err(|e| e.to_string())
        }
    }
}

/// Every row of the tables cchc writes, as text, in id order, the change log last: a refusal
/// that logs itself leaves the text before it as it was.
pub fn rows_text(db: &Path) -> String {
    let tables = [
        "tasks",
        "notes",
        "measurements",
        "members",
        "agencies",
        "change_log",
    ];
    let mut out = String::new();
    match db.to_str().filter(|s| s.starts_with("postgres")) {
        Some(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
            for table in tables {
                for row in c
                    .query(&format!("SELECT t::text FROM {table} t ORDER BY 1"), &[])
                    .expect("read a table")
                {
                    out.push_str(&format!("{table} {}\n", row.get::<_, &str>(0)));
                }
            }
        }
        None => {
            let c = rusqlite::Connection::open(db).expect("open db");
            for table in tables {
                let mut stmt = c
                    .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
                    .expect("prepare");
                let n = stmt.column_count();
                let rows = stmt
                    .query_map([], |r| {
                        (0..n)
                            .map(|i| r.get::<_, rusqlite::types::Value>(i))
                            .collect::<rusqlite::Result<Vec<_>>>()
                    })
                    .expect("rows");
                for row in rows {
                    out.push_str(&format!("{table} {:?}\n", row.expect("a row")));
                }
            }
        }
    }
    out
}

/// A new, empty database on the test server whichever the pass (for the tests of the server
/// itself), named after the test process and `tag`; its URL.
pub fn new_server_db(tag: &str) -> PathBuf {
    let name = format!("cchc_t_{}_{tag}", std::process::id());
    let mut admin = admin();
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&sql).expect("make a test database");
    }
    PathBuf::from(url_of(&name))
}
