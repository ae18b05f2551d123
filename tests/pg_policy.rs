//! PostgreSQL enforces cchc's member rule itself (issue 13). `src/store/schema/pg/schema.sql`
//! and `security.sql` are applied to a scratch database of the machine's PostgreSQL, then raw
//! SQL is sent as the members' own LOGIN roles over TCP with passwords, as `psql` would send
//! it: no cchc code between the member and the server. Also: the schema is SQLite's, the tally
//! triggers count as SQLite's do, and an append to the change log notifies listeners.
//!
//! Needs PostgreSQL on /var/run/postgresql with a superuser `root` (.ci/run starts it); fails,
//! never skips, without it. Each test makes its own database and roles, named for the run.

mod pg_common;

use std::time::Duration;

use pg_common::{SECURITY, planned, refused};
use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;

/// Task `id` as the owner reads it: lead, coordinating, status, progress, version, withdrawn.
fn task(root: &mut Client, id: i64) -> (String, String, String, i64, i64, Option<String>) {
    let r = root
        .query_one(
            "SELECT lead_agency, coordinating, status, progress, version, withdrawn_on
             FROM tasks WHERE id = $1",
            &[&id],
        )
        .expect("read the task");
    (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5))
}

const ADD_TASK: &str = "INSERT INTO tasks (area, lead_agency, title, due, recurrence, status,
        progress, updated_by, updated_at)
    VALUES ('bo-may', $1, $2, '2027-12-31', 'once', 'not-started', 0, 'x', '2026-12-01')";

#[test]
fn a_member_changes_only_the_tasks_their_agency_leads_or_coordinates() {
    let mut s = planned("rule");
    let snv = s.member("lan", "cchc_member", "SNV", "member");
    let stp = s.member("ha", "cchc_member", "STP", "member");
    let mut root = s.root();
    let mut lan = s.connect_as(&snv);
    let before = task(&mut root, 2);

    // Another agency's task is not there for them: nothing changes, nothing is said.
    let n = lan
        .execute(
            "UPDATE tasks SET progress = 50, version = version + 1 WHERE id = 2",
            &[],
        )
        .expect("an update that matches no row of theirs is no error");
    assert_eq!(n, 0);
    assert_eq!(task(&mut root, 2), before);

    // Their own task and the one they coordinate.
    for id in [1i64, 3] {
        let n = lan
            .execute(
                "UPDATE tasks SET status = 'in-progress', progress = 40, version = version + 1
                 WHERE id = $1",
                &[&id],
            )
            .expect("update a task of theirs");
        assert_eq!(n, 1, "task {id}");
        let (_, _, status, progress, version, _) = task(&mut root, id);
        assert_eq!((status.as_str(), progress, version), ("in-progress", 40, 2));
    }
    // STP's member changes STP's task.
    let mut ha = s.connect_as(&stp);
    assert_eq!(
        ha.execute("UPDATE tasks SET progress = 10 WHERE id = 2", &[])
            .unwrap(),
        1
    );

    // A task for another agency is refused; one for their own is added.
    refused(
        lan.execute(ADD_TASK, &[&"STP", &"Giao việc cho Sở Tư pháp"]),
        "a member adds a task another agency leads",
    );
    assert_eq!(
        lan.execute(ADD_TASK, &[&"SNV", &"Việc mới của Sở Nội vụ"])
            .unwrap(),
        1
    );
    let titles: i64 = root
        .query_one(
            "SELECT count(*) FROM tasks WHERE title IN ('Giao việc cho Sở Tư pháp', 'Việc mới của Sở Nội vụ')",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(titles, 1, "only their own agency's task was added");

    // The lead agency is the secretary's to move, from a coordinated task or their own.
    let before3 = task(&mut root, 3);
    let why = refused(
        lan.execute("UPDATE tasks SET lead_agency = 'SNV' WHERE id = 3", &[]),
        "a coordinating member takes the lead",
    );
    assert!(why.contains("only a secretary"), "{why}");
    refused(
        lan.execute("UPDATE tasks SET lead_agency = 'STP' WHERE id = 1", &[]),
        "a member hands their task to another lead",
    );
    // Nor may they drop their own agency from a task they only coordinate.
    refused(
        lan.execute("UPDATE tasks SET coordinating = 'SYT' WHERE id = 3", &[]),
        "a member hands a coordinated task out of reach",
    );
    // Withdrawal is the secretary's too.
    refused(
        lan.execute(
            "UPDATE tasks SET withdrawn_on = '2026-12-01' WHERE id = 1",
            &[],
        ),
        "a member withdraws a task",
    );
    assert_eq!(task(&mut root, 3), before3);
    assert_eq!(task(&mut root, 1).0, "SNV");
    assert_eq!(task(&mut root, 1).5, None);

    // A role in cchc_member with no row in `members` changes nothing.
    let stranger = s.login("stranger", "cchc_member");
    let mut stranger = s.connect_as(&stranger);
    assert_eq!(
        stranger
            .execute("UPDATE tasks SET progress = 99 WHERE id = 1", &[])
            .unwrap(),
        0
    );
    refused(
        stranger.execute(ADD_TASK, &[&"SNV", &"Việc của người lạ"]),
        "an unregistered role adds a task",
    );

    // The secretary may do all of it.
    let sec = s.member("thu", "cchc_secretary", "SNV", "secretary");
    let mut thu = s.connect_as(&sec);
    assert_eq!(
        thu.execute(
            "UPDATE tasks SET lead_agency = 'SYT', withdrawn_on = '2026-12-01' WHERE id = 2",
            &[]
        )
        .unwrap(),
        1
    );
    let (lead, _, _, _, _, withdrawn) = task(&mut root, 2);
    assert_eq!(
        (lead.as_str(), withdrawn.as_deref()),
        ("SYT", Some("2026-12-01"))
    );
    assert_eq!(
        thu.execute(ADD_TASK, &[&"STP", &"Thư ký giao việc"])
            .unwrap(),
        1
    );
}

#[test]
fn notes_and_measurements_follow_the_same_rule() {
    let mut s = planned("records");
    let snv = s.member("lan", "cchc_member", "SNV", "member");
    let mut lan = s.connect_as(&snv);
    let note =
        "INSERT INTO notes (task_id, author, at, text) VALUES ($1, 'lan', '2026-12-01', 'ghi chú')";
    refused(
        lan.execute(note, &[&2i64]),
        "a note on another agency's task",
    );
    for id in [1i64, 3] {
        assert_eq!(lan.execute(note, &[&id]).unwrap(), 1, "a note on task {id}");
    }
    let measure =
        "INSERT INTO measurements (indicator, value, measured_on, recorded_by, recorded_at)
        VALUES ($1, 80, '2026-12-01', 'lan', '2026-12-01T00:00:00.000Z')";
    refused(
        lan.execute(measure, &[&"chi-so-stp"]),
        "a measurement of another agency's indicator",
    );
    assert_eq!(lan.execute(measure, &[&"chi-so-snv"]).unwrap(), 1);
    let mut root = s.root();
    let counts: (i64, i64) = {
        let r = root
            .query_one(
                "SELECT (SELECT count(*) FROM notes), (SELECT count(*) FROM measurements)",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(counts, (2, 1));
    // Records are added, never rewritten.
    refused(
        lan.execute("UPDATE notes SET text = 'sửa' WHERE task_id = 1", &[]),
        "a member rewrites a note",
    );
    refused(
        lan.execute("DELETE FROM measurements", &[]),
        "a member deletes a measurement",
    );
}

const APPEND: &str =
    "INSERT INTO change_log (id, at, \"user\", entity, entity_id, action, changes, prev_hash, hash)
    VALUES ($1, '2026-12-01T00:00:00.000Z', 'lan', 'task', '1', 'update', '[]', 'p', 'h')";

#[test]
fn nobody_rewrites_the_change_log_not_even_the_secretary_or_the_owner() {
    let mut s = planned("log");
    let snv = s.member("lan", "cchc_member", "SNV", "member");
    let sec = s.member("thu", "cchc_secretary", "SNV", "secretary");
    let mut lan = s.connect_as(&snv);
    assert_eq!(
        lan.execute(APPEND, &[&1i64]).unwrap(),
        1,
        "a member appends"
    );
    let mut thu = s.connect_as(&sec);
    assert_eq!(
        thu.execute(APPEND, &[&2i64]).unwrap(),
        1,
        "a secretary appends"
    );
    for (who, c) in [("member", &mut lan), ("secretary", &mut thu)] {
        refused(
            c.execute("UPDATE change_log SET note = 'sửa' WHERE id = 1", &[]),
            &format!("the {who} updates the log"),
        );
        refused(
            c.execute("DELETE FROM change_log WHERE id = 1", &[]),
            &format!("the {who} deletes from the log"),
        );
        refused(
            c.execute("TRUNCATE change_log", &[]),
            &format!("the {who} truncates the log"),
        );
    }
    // The owner has the grants; the triggers still say no.
    let mut root = s.root();
    for sql in [
        "UPDATE change_log SET note = 'sửa' WHERE id = 1",
        "DELETE FROM change_log WHERE id = 1",
        "TRUNCATE change_log",
    ] {
        let e = root.execute(sql, &[]).expect_err(sql);
        let msg = e.as_db_error().map(|d| d.message().to_string());
        assert_eq!(
            msg.as_deref(),
            Some("the change log is append-only"),
            "{sql}"
        );
    }
    let (n, note): (i64, Option<String>) = {
        let r = root
            .query_one("SELECT count(*), max(note) FROM change_log", &[])
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!((n, note), (2, None));
}

#[test]
fn a_viewer_only_reads() {
    let mut s = planned("viewer");
    let v = s.member("xem", "cchc_viewer", "SYT", "viewer");
    let mut xem = s.connect_as(&v);
    let n: i64 = xem
        .query_one("SELECT count(*) FROM tasks", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 3, "a viewer reads every task");
    let logged: i64 = xem
        .query_one("SELECT count(*) FROM change_log", &[])
        .unwrap()
        .get(0);
    assert_eq!(logged, 0);
    refused(
        xem.execute("UPDATE tasks SET progress = 5 WHERE id = 1", &[]),
        "a viewer updates a task",
    );
    refused(
        xem.execute(ADD_TASK, &[&"SYT", &"x"]),
        "a viewer adds a task",
    );
    refused(xem.execute(APPEND, &[&1i64]), "a viewer appends to the log");
    assert_eq!(task(&mut s.root(), 1).3, 0);
}

#[test]
fn the_bookkeeping_runs_as_the_owner_out_of_a_members_reach() {
    let mut s = planned("books");
    let snv = s.member("lan", "cchc_member", "SNV", "member");
    let mut lan = s.connect_as(&snv);
    refused(
        lan.execute(
            "INSERT INTO task_tally VALUES ('bo-may', 'SNV', '2027-03', 100, 100)",
            &[],
        ),
        "a member writes the tally",
    );
    refused(
        lan.execute("DELETE FROM task_tally_moves", &[]),
        "a member deletes the moves",
    );
    // Temporary tables named like the bookkeeping must not take the owner's writes.
    lan.batch_execute(
        "CREATE TEMP TABLE task_tally (area text, lead_agency text, month text, listed bigint, done bigint);
         CREATE TEMP TABLE task_tally_moves (id bigint, area text, lead_agency text, due text, listed bigint, done bigint);
         CREATE TEMP TABLE task_search_stale (task_id bigint);",
    )
    .expect("temporary tables");
    assert_eq!(
        lan.execute(
            "UPDATE tasks SET status = 'done', progress = 100 WHERE id = 1",
            &[]
        )
        .unwrap(),
        1
    );
    let temp: i64 = lan
        .query_one(
            "SELECT (SELECT count(*) FROM pg_temp.task_tally) + (SELECT count(*) FROM pg_temp.task_tally_moves) + (SELECT count(*) FROM pg_temp.task_search_stale)",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        temp, 0,
        "the triggers wrote into the member's temporary tables"
    );
    let mut root = s.root();
    let r = root
        .query_one(
            "SELECT listed, done FROM task_tally WHERE area = 'bo-may' AND lead_agency = 'SNV' AND month = '2027-03'",
            &[],
        )
        .unwrap();
    assert_eq!((r.get::<_, i64>(0), r.get::<_, i64>(1)), (1, 1));
    let last: (i64, i64) = {
        let r = root
            .query_one(
                "SELECT listed, done FROM task_tally_moves ORDER BY id DESC LIMIT 1",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(last, (1, 1), "the task's move into done");
}

/// What security.sql leaves: policies, grants, the functions' security. Sorted text rows.
fn security_state(c: &mut Client) -> Vec<String> {
    let sql = "
        SELECT 'policy ' || tablename || ' ' || policyname || ' ' || cmd || ' ' || roles::text
               || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
        FROM pg_policies WHERE schemaname = current_schema()
        UNION ALL
        SELECT 'grant ' || table_name || ' ' || grantee || ' ' || privilege_type
        FROM information_schema.role_table_grants
        WHERE table_schema = current_schema() AND grantee <> current_user
        UNION ALL
        SELECT 'function ' || p.oid::regprocedure::text || ' ' || p.prosecdef::text || ' '
               || coalesce(p.proconfig::text, '') || ' ' || coalesce(p.proacl::text, '')
        FROM pg_proc p WHERE p.proname LIKE 'cchc\\_%'
        ORDER BY 1";
    c.query(sql, &[])
        .expect("read the security state")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn security_sql_runs_again_and_converges() {
    let s = planned("again");
    let mut root = s.root();
    let before = security_state(&mut root);
    assert!(
        before
            .iter()
            .any(|l| l.starts_with("policy tasks tasks_change UPDATE")),
        "{before:#?}"
    );
    // A grant given by hand is taken back by the next run; the rest is as it was.
    root.batch_execute(
        "GRANT DELETE ON tasks TO cchc_member; GRANT UPDATE ON change_log TO cchc_secretary",
    )
    .unwrap();
    assert_ne!(security_state(&mut root), before);
    root.batch_execute(SECURITY).expect("a third run");
    assert_eq!(security_state(&mut root), before);
}

#[test]
fn a_change_log_append_notifies_listeners_once_per_statement() {
    let mut s = planned("notify");
    let snv = s.member("lan", "cchc_member", "SNV", "member");
    let mut listener = s.root();
    listener.batch_execute("LISTEN cchc_changes").unwrap();
    let mut lan = s.connect_as(&snv);
    let entries = "INSERT INTO change_log (id, at, \"user\", entity, entity_id, action, changes, prev_hash, hash)
        SELECT n, '2026-12-01', 'lan', e, i, 'update', '[]', 'p', 'h'
        FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(n, e, i)";
    let append = |c: &mut Client, ids: &[i64], entity: &[&str], entity_id: &[String]| {
        let params: [&(dyn ToSql + Sync); 3] = [&ids, &entity, &entity_id];
        c.execute(entries, &params).expect("append to the log")
    };
    // One statement, three entries: task 3 twice and an indicator.
    append(
        &mut lan,
        &[1, 2, 3],
        &["task", "indicator", "task"],
        &["3".into(), "chi-so-snv".into(), "3".into()],
    );
    append(&mut lan, &[4], &["task"], &["1".into()]);
    // Rolled back: no notify.
    {
        let mut tx = lan.transaction().unwrap();
        let params: [&(dyn ToSql + Sync); 3] = [&vec![5i64], &vec!["task"], &vec!["2".to_string()]];
        tx.execute(entries, &params).unwrap();
        tx.rollback().unwrap();
    }
    // 250 tasks in one statement: the payload keeps 200 and stays small.
    let ids: Vec<i64> = (5..255).collect();
    let tasks: Vec<String> = (1000..1250).map(|n: i64| n.to_string()).collect();
    append(&mut lan, &ids, &vec!["task"; 250], &tasks);

    let mut got = Vec::new();
    let mut notifications = listener.notifications();
    let mut iter = notifications.timeout_iter(Duration::from_secs(10));
    while got.len() < 3 {
        match iter.next() {
            Ok(Some(n)) => got.push((n.channel().to_string(), n.payload().to_string())),
            Ok(None) => break,
            Err(e) => panic!("waiting for notifications: {e}"),
        }
    }
    drop(iter);
    drop(notifications);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|(c, _)| c == "cchc_changes"));
    let json = |p: &str| serde_json::from_str::<serde_json::Value>(p).expect("JSON payload");
    assert_eq!(
        json(&got[0].1),
        serde_json::json!({"last": 3, "tasks": [3]})
    );
    assert_eq!(
        json(&got[1].1),
        serde_json::json!({"last": 4, "tasks": [1]})
    );
    let big = json(&got[2].1);
    assert_eq!(big["last"], 254);
    let listed: Vec<i64> = big["tasks"]
        .as_array()
        .expect("a list of tasks")
        .iter()
        .filter_map(|v| v.as_i64())
        .collect();
    assert_eq!(listed, (1000..1200).collect::<Vec<i64>>());
    assert!(got[2].1.len() < 8000, "{} bytes", got[2].1.len());
    // Nothing more (the rolled-back append sent nothing).
    let more = listener
        .notifications()
        .timeout_iter(Duration::from_millis(500))
        .next()
        .expect("read notifications");
    assert!(more.is_none(), "{more:?}");
}
