use super::*;

fn schema_of(conn: &Db) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map((), |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_search_migration_is_where_its_triggers_are_added() {
    assert_eq!(
        MIGRATIONS[SEARCH_MIGRATION as usize - 1],
        super::super::search_index::CREATE
    );
}

#[test]
fn migrating_twice_is_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Db::Sqlite(rusqlite::Connection::open(dir.path().join("m.sqlite3")).unwrap());
    let mut seeded = 0;
    assert!(
        migrate(&mut conn, |_| {
            seeded += 1;
            Ok(())
        })
        .unwrap()
    );
    let first = schema_of(&conn);
    assert!(
        !migrate(&mut conn, |_| {
            seeded += 1;
            Ok(())
        })
        .unwrap()
    );
    assert_eq!(seeded, 1, "the seed runs only with the schema's creation");
    assert_eq!(schema_of(&conn), first);
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    let app: i64 = conn
        .query_row("PRAGMA application_id", (), |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
}

/// Files made before migration 3 have WITHOUT ROWID targets, which Debian 12's sqlite3
/// shell (3.40.1) reports as "NULL value in targets.value"; after migrating, the
/// distribution's shell (CI installs it) finds the file sound and every target kept.
#[test]
fn a_version_2_file_passes_the_system_shell_after_migrating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.sqlite3");
    let mut conn = Db::Sqlite(rusqlite::Connection::open(&path).unwrap());
    conn.execute_batch(MIGRATIONS[0]).unwrap();
    conn.execute_batch(MIGRATIONS[1]).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute_batch(
            "INSERT INTO areas VALUES ('x', 'X', 'X', 1); \
             INSERT INTO agencies VALUES ('G', 'G', 'department', 1); \
             INSERT INTO indicators VALUES ('a', 'x', 'A', 'percent', 'at-least', NULL, NULL, NULL, 'G', 1), \
             ('b', 'x', 'B', 'percent', 'at-least', NULL, NULL, NULL, 'G', 2); \
             INSERT INTO targets VALUES ('a', 95.0, '2027-12-31'), ('a', 100.0, '2030-12-31'), \
             ('b', 95.5, '2030-12-31');",
        )
        .unwrap();
    migrate(&mut conn, |_| Ok(())).unwrap();
    drop(conn);
    let shell = |sql: &str| {
        let out = std::process::Command::new("sqlite3")
            .arg(&path)
            .arg(sql)
            .output()
            .expect("the distribution's sqlite3 shell is installed (apt-get install sqlite3)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(shell("PRAGMA integrity_check"), "ok");
    assert_eq!(
        shell(
            "SELECT group_concat(indicator || value || due, ' ') FROM (SELECT * FROM targets ORDER BY indicator, due)"
        ),
        "a95.02027-12-31 a100.02030-12-31 b95.52030-12-31"
    );
}

/// Migration 6 rebuilds `indicators` under the targets and measurements that refer to it:
/// a version-5 file keeps every row and reference, its "trên 95%" indicator becomes strict,
/// the new CHECK takes `above`, and the foreign keys are on again afterwards.
#[test]
fn a_version_5_file_keeps_its_indicators_and_gains_above() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Db::Sqlite(rusqlite::Connection::open(dir.path().join("v5.sqlite3")).unwrap());
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    for sql in &MIGRATIONS[..5] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 5).unwrap();
    conn.execute_batch(
            "INSERT INTO areas VALUES ('cong-vu', 'Công vụ', 'Civil service', 1); \
             INSERT INTO agencies (code, name, kind, position) VALUES ('SNV', 'Sở Nội vụ', 'department', 1); \
             INSERT INTO indicators VALUES ('cong-vu-cbcc-dai-hoc', 'cong-vu', 'CBCC', 'percent', 'at-least', NULL, NULL, NULL, 'SNV', 1); \
             INSERT INTO targets VALUES ('cong-vu-cbcc-dai-hoc', 95.0, '2030-12-31'); \
             INSERT INTO measurements (indicator, value, measured_on, recorded_by, recorded_at) \
                 VALUES ('cong-vu-cbcc-dai-hoc', 95.0, '2026-06-30', 'lan', '2026-07-01T00:00:00Z'); \
             INSERT INTO tasks (area, lead_agency, coordinating, title, due, recurrence, status, progress, updated_by, updated_at) \
                 VALUES ('cong-vu', 'SNV', '', 'Việc', '2026-12-31', 'once', 'not-started', 0, 'lan', 'x');",
        )
        .unwrap();
    assert!(migrate(&mut conn, |_| Ok(())).unwrap());
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    let enforced: bool = conn
        .query_row("PRAGMA foreign_keys", (), |r| r.get(0))
        .unwrap();
    assert!(enforced, "the foreign keys are on again");
    let (direction, targets, measurements, inferred): (String, i64, i64, String) = conn
            .query_row(
                "SELECT direction, (SELECT count(*) FROM targets), (SELECT count(*) FROM measurements), \
                 (SELECT coordinating_inferred FROM tasks) FROM indicators",
                (),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
    assert_eq!(
        (direction.as_str(), targets, measurements, inferred.as_str()),
        ("above", 1, 1, "")
    );
    let dangling: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", (), |r| r.get(0))
        .optional()
        .unwrap();
    assert_eq!(dangling, None);
    // The references still hold: a measurement of an unknown indicator is refused.
    assert!(
        conn.execute(
            "INSERT INTO measurements (indicator, value, measured_on, recorded_by, recorded_at) \
                 VALUES ('nope', 1.0, '2026-06-30', 'lan', 'x')",
            (),
        )
        .is_err()
    );
    assert!(
        conn.execute(
            "UPDATE indicators SET direction = 'sideways' WHERE code = 'cong-vu-cbcc-dai-hoc'",
            (),
        )
        .is_err()
    );
}

#[test]
fn a_version_1_file_is_brought_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Db::Sqlite(rusqlite::Connection::open(dir.path().join("v1.sqlite3")).unwrap());
    conn.execute_batch(MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    let mut seeded = false;
    assert!(
        migrate(&mut conn, |_| {
            seeded = true;
            Ok(())
        })
        .unwrap()
    );
    assert!(!seeded, "an upgrade does not seed again");
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    let indexes: Vec<String> = schema_of(&conn)
        .into_iter()
        .filter(|sql| sql.starts_with("CREATE INDEX"))
        .collect();
    assert!(
        indexes.iter().all(|sql| !sql.contains("tasks_by_area")
            && !sql.contains("tasks_by_status")
            && !sql.contains("tasks_by_due")),
        "{indexes:?}"
    );
    assert!(indexes.iter().any(|sql| sql.contains("tasks_by_lead")));
}

#[test]
fn the_tally_triggers_are_read_from_their_migration_as_sqlite_keeps_them() {
    let names: Vec<&str> = tally_triggers().iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "task_tally_insert",
            "task_tally_delete",
            "task_tally_update",
            "task_tally_moves_prune"
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Db::Sqlite(rusqlite::Connection::open(dir.path().join("t.sqlite3")).unwrap());
    migrate(&mut conn, |_| Ok(())).unwrap();
    assert_eq!(
        super::super::guards::trigger_problems(&conn).unwrap(),
        Vec::<String>::new()
    );
}
