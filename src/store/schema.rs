//! The schema as an append-only list of migrations, tracked by `PRAGMA user_version`
//! (after cargo's `util/sqlite.rs`). Never edit a released migration: add a new one.

use crate::store::engine::{Behavior, Db};
use rusqlite::OptionalExtension;

use crate::error::Result;

/// Identifies a cchc file among other SQLite files ("CCHC" in ASCII).
pub const APPLICATION_ID: i64 = 0x4343_4843;

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE areas (
    code     TEXT PRIMARY KEY,
    name_vi  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE TABLE agencies (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('department','front','partner','central','commune')),
    position INTEGER NOT NULL
);
CREATE TABLE indicators (
    code           TEXT PRIMARY KEY,
    area           TEXT NOT NULL REFERENCES areas(code),
    name           TEXT NOT NULL,
    unit           TEXT NOT NULL CHECK (unit IN ('percent','level')),
    direction      TEXT NOT NULL CHECK (direction IN ('at-least','reduce-by')),
    baseline_value REAL,
    baseline_date  TEXT,
    baseline_label TEXT,
    lead_agency    TEXT NOT NULL REFERENCES agencies(code),
    position       INTEGER NOT NULL
);
CREATE TABLE targets (
    indicator TEXT NOT NULL REFERENCES indicators(code),
    value     REAL NOT NULL,
    due       TEXT NOT NULL,
    PRIMARY KEY (indicator, due)
) WITHOUT ROWID;
CREATE TABLE measurements (
    id          INTEGER PRIMARY KEY,
    indicator   TEXT NOT NULL REFERENCES indicators(code),
    value       REAL NOT NULL,
    measured_on TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX measurements_by_indicator ON measurements(indicator, measured_on);
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    plan_ref     TEXT NOT NULL DEFAULT '',
    area         TEXT NOT NULL REFERENCES areas(code),
    lead_agency  TEXT NOT NULL REFERENCES agencies(code),
    -- Comma-separated agency codes, validated by the store on every write.
    coordinating TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    output       TEXT NOT NULL DEFAULT '',
    due          TEXT NOT NULL,
    due_assumed  INTEGER NOT NULL DEFAULT 0,
    recurrence   TEXT NOT NULL CHECK (recurrence IN ('once','yearly','half-yearly','quarterly')),
    status       TEXT NOT NULL CHECK (status IN ('not-started','in-progress','done','blocked')),
    progress     INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    completed_on TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    -- The change-log id of the last write to this row: readers reload only rows above the
    -- highest sequence they have seen.
    change_seq   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_by_area ON tasks(area, due);
CREATE INDEX tasks_by_lead ON tasks(lead_agency, due);
CREATE INDEX tasks_by_status ON tasks(status, due);
CREATE INDEX tasks_by_due ON tasks(due);
CREATE INDEX tasks_by_change ON tasks(change_seq);
CREATE UNIQUE INDEX tasks_by_plan_ref ON tasks(plan_ref) WHERE plan_ref <> '';
CREATE TABLE notes (
    id      INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    author  TEXT NOT NULL,
    at      TEXT NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX notes_by_task ON notes(task_id);
CREATE TABLE change_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    changes   TEXT NOT NULL,
    note      TEXT,
    undo_of   INTEGER REFERENCES change_log(id),
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX change_log_by_entity ON change_log(entity, entity_id);
CREATE INDEX change_log_by_user ON change_log(user, id);
CREATE INDEX change_log_by_at ON change_log(at);
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TABLE members (
    name     TEXT PRIMARY KEY,
    agency   TEXT NOT NULL REFERENCES agencies(code),
    role     TEXT NOT NULL CHECK (role IN ('member','secretary','viewer')),
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
"#,
    // 2: the task list reads its broad filters (area, status, overdue, due date) in file order
    // and sorts in Rust, which at 100,000 tasks is faster than going through these indexes
    // (docs/BENCHMARKS.md); unused, they only slowed every write (an import of 100,000 rows:
    // 1.97 -> 1.28 s without them). The lead agency, change_seq and plan_ref indexes stay.
    r#"
DROP INDEX IF EXISTS tasks_by_area;
DROP INDEX IF EXISTS tasks_by_status;
DROP INDEX IF EXISTS tasks_by_due;
"#,
    // 3: targets as an ordinary rowid table. The sqlite3 shells of Debian 12 (3.40.1) and
    // Ubuntu 22.04 (3.37.2) report "NULL value in targets.value" from `PRAGMA integrity_check`
    // on every file: SQLite stores an integral REAL as an integer in a WITHOUT ROWID table's
    // record, and those versions' NOT NULL check misreads it (the bundled SQLite does not). An
    // operator reads that as corruption, so the table is rebuilt without WITHOUT ROWID.
    r#"
CREATE TABLE targets_rowid (
    indicator TEXT NOT NULL REFERENCES indicators(code),
    value     REAL NOT NULL,
    due       TEXT NOT NULL,
    PRIMARY KEY (indicator, due)
);
INSERT INTO targets_rowid (indicator, value, due) SELECT indicator, value, due FROM targets;
DROP TABLE targets;
ALTER TABLE targets_rowid RENAME TO targets;
"#,
    // 4: agencies registered one by one (`cchc agency add`, issue 9). `added_on` is the day from
    // which an agency owes the duties addressed to its kind (NULL: in the plan from the seed);
    // `withdrawn_on` marks a task of the "UBND các xã, phường" group taken over by the communes
    // registered one by one: kept, with its history, but no longer listed or counted.
    r#"
ALTER TABLE agencies ADD COLUMN added_on TEXT;
ALTER TABLE agencies ADD COLUMN added_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN withdrawn_on TEXT;
"#,
    // 5: identity and history. A member is bound to an OS login (default: their name, as
    // before); each change-log entry records the real uid and login of the process that wrote
    // it, the import entry it belongs to (`parent`), and the version of the canonical form its
    // hash covers (`form`: 1 for entries written before this migration, so they still verify).
    r#"
ALTER TABLE members ADD COLUMN login TEXT;
UPDATE members SET login = name;
CREATE UNIQUE INDEX members_by_login ON members(login);
ALTER TABLE change_log ADD COLUMN uid INTEGER;
ALTER TABLE change_log ADD COLUMN login TEXT;
ALTER TABLE change_log ADD COLUMN parent INTEGER REFERENCES change_log(id);
ALTER TABLE change_log ADD COLUMN form INTEGER NOT NULL DEFAULT 1;
"#,
    // 6: the plan read again (issue 14). Indicators gain the strict direction `above` ("trên
    // 95%"), which the CHECK of migration 1 refuses, so the table is rebuilt (SQLite's 12-step
    // way: `migrate` turns the foreign keys off around it, since targets and measurements refer
    // to the table by name, and checks them before committing). Tasks gain `coordinating_inferred`: the
    // coordinating agencies the plan does not name (comma-separated, a subset of
    // `coordinating`); files seeded before it have none, as their seed logged none. An existing
    // file's "trên 95%" indicator becomes strict and two names take the plan's wording; the rest
    // of a file seeded from the earlier transcription (its tasks) is its history and stays.
    r#"
CREATE TABLE indicators_v6 (
    code           TEXT PRIMARY KEY,
    area           TEXT NOT NULL REFERENCES areas(code),
    name           TEXT NOT NULL,
    unit           TEXT NOT NULL CHECK (unit IN ('percent','level')),
    direction      TEXT NOT NULL CHECK (direction IN ('at-least','above','reduce-by')),
    baseline_value REAL,
    baseline_date  TEXT,
    baseline_label TEXT,
    lead_agency    TEXT NOT NULL REFERENCES agencies(code),
    position       INTEGER NOT NULL
);
INSERT INTO indicators_v6 SELECT code, area, name, unit, direction, baseline_value,
    baseline_date, baseline_label, lead_agency, position FROM indicators;
DROP TABLE indicators;
ALTER TABLE indicators_v6 RENAME TO indicators;
ALTER TABLE tasks ADD COLUMN coordinating_inferred TEXT NOT NULL DEFAULT '';
UPDATE indicators SET direction = 'above'
    WHERE code = 'cong-vu-cbcc-dai-hoc' AND direction = 'at-least';
UPDATE indicators SET name = 'Mức độ hài lòng của người dân về cung cấp giáo dục công lập'
    WHERE code = 'bo-may-hai-long-giao-duc'
      AND name = 'Mức độ hài lòng của người dân về cung cấp dịch vụ giáo dục công lập';
UPDATE indicators SET name = 'Tỉnh Lạng Sơn đạt cấp độ mức độ trưởng thành về quản trị dữ liệu'
    WHERE code = 'chinh-quyen-so-quan-tri-du-lieu'
      AND name = 'Cấp độ mức độ trưởng thành về quản trị dữ liệu của tỉnh Lạng Sơn';
"#,
    // 7: the task list as a thin view (issue 11). The TUI no longer copies every task: it reads
    // the rows on screen a page at a time (keyset paging in each sort order) and the navigation
    // pane's counts, so those must come from indexes at any size. The listed tasks (not
    // withdrawn) get partial indexes by due date and by area; open tasks one that also covers
    // area and agency, for the overdue filter and counts; done tasks, late and on time, one
    // each, so the "state" order finds a rare state without walking every task. `task_tally` keeps, per area, lead
    // agency and due month, how many listed tasks there are and how many are done, in step with
    // every write by triggers (whoever writes: cchc, an import, the sqlite3 shell): summing it is
    // a few thousand rows whatever the file's size, where counting the tasks was 0.1 s at
    // 100,000 and 1 s at 1,000,000. Overdue counts add the current month's open tasks due before
    // today from the open index. `task_tally_generation` counts the writes that can change a
    // count (a progress update, the common write, changes none), so a reader re-reads the
    // counts only when it moved.
    r#"
CREATE INDEX tasks_listed_by_due ON tasks(due) WHERE withdrawn_on IS NULL;
CREATE INDEX tasks_listed_by_area ON tasks(area, due) WHERE withdrawn_on IS NULL;
CREATE INDEX tasks_open_by_due ON tasks(due, area, lead_agency)
    WHERE status <> 'done' AND withdrawn_on IS NULL;
CREATE INDEX tasks_done_late_by_due ON tasks(due)
    WHERE status = 'done' AND completed_on > due AND withdrawn_on IS NULL;
CREATE INDEX tasks_done_on_time_by_due ON tasks(due)
    WHERE status = 'done' AND (completed_on IS NULL OR completed_on <= due) AND withdrawn_on IS NULL;
CREATE TABLE task_tally (
    area        TEXT NOT NULL,
    lead_agency TEXT NOT NULL,
    month       TEXT NOT NULL,
    listed      INTEGER NOT NULL,
    done        INTEGER NOT NULL,
    PRIMARY KEY (area, lead_agency, month)
) WITHOUT ROWID;
INSERT INTO task_tally (area, lead_agency, month, listed, done)
    SELECT area, lead_agency, substr(due, 1, 7), count(*), sum(status = 'done')
    FROM tasks WHERE withdrawn_on IS NULL GROUP BY 1, 2, 3;
CREATE TABLE task_tally_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO task_tally_generation (id, n) VALUES (1, 0);
CREATE TRIGGER task_tally_insert AFTER INSERT ON tasks WHEN NEW.withdrawn_on IS NULL
BEGIN
    INSERT INTO task_tally (area, lead_agency, month, listed, done)
        VALUES (NEW.area, NEW.lead_agency, substr(NEW.due, 1, 7), 1, NEW.status = 'done')
        ON CONFLICT DO UPDATE SET listed = listed + 1, done = done + excluded.done;
    UPDATE task_tally_generation SET n = n + 1;
END;
CREATE TRIGGER task_tally_delete AFTER DELETE ON tasks WHEN OLD.withdrawn_on IS NULL
BEGIN
    UPDATE task_tally SET listed = listed - 1, done = done - (OLD.status = 'done')
        WHERE area = OLD.area AND lead_agency = OLD.lead_agency
          AND month = substr(OLD.due, 1, 7);
    UPDATE task_tally_generation SET n = n + 1;
END;
CREATE TRIGGER task_tally_update
AFTER UPDATE OF area, lead_agency, due, status, withdrawn_on ON tasks
WHEN OLD.area IS NOT NEW.area OR OLD.lead_agency IS NOT NEW.lead_agency
    OR OLD.due IS NOT NEW.due OR OLD.status IS NOT NEW.status
    OR OLD.withdrawn_on IS NOT NEW.withdrawn_on
BEGIN
    UPDATE task_tally_generation SET n = n + 1;
    UPDATE task_tally SET listed = listed - 1, done = done - (OLD.status = 'done')
        WHERE OLD.withdrawn_on IS NULL AND area = OLD.area AND lead_agency = OLD.lead_agency
          AND month = substr(OLD.due, 1, 7);
    INSERT INTO task_tally (area, lead_agency, month, listed, done)
        SELECT NEW.area, NEW.lead_agency, substr(NEW.due, 1, 7), 1, NEW.status = 'done'
        WHERE NEW.withdrawn_on IS NULL
        ON CONFLICT DO UPDATE SET listed = listed + 1, done = done + excluded.done;
END;
"#,
    // 8: the search table (store/search_index.rs); its triggers are added below, from the
    // text the guards compare.
    super::search_index::CREATE,
    // 9: counts taken in from the writes themselves (issue 11). Re-summing `task_tally` after
    // another member's write cost 11 ms at 100,000 tasks and over 30 at a million (its 28,000
    // monthly rows, then the current month's open tasks from the index), against a budget of
    // 5 and 10 ms. The triggers now also append each change of a count to
    // `task_tally_moves` (the task's group and due date before (-1) and after (+1)); a reader
    // adds the moves since the last one it saw to the counts it holds: a few rows per write,
    // whatever the file's size. The newest 4,096 moves are kept (a reader further behind
    // sums the tally again); ids are consecutive, so a missing move is seen. The moves' last
    // id replaces `task_tally_generation`. Written to run again harmlessly (a file whose
    // version was set back by hand).
    r#"
CREATE TABLE IF NOT EXISTS task_tally_moves (
    id          INTEGER PRIMARY KEY,
    area        TEXT NOT NULL,
    lead_agency TEXT NOT NULL,
    due         TEXT NOT NULL,
    listed      INTEGER NOT NULL,
    done        INTEGER NOT NULL
);
DROP TABLE IF EXISTS task_tally_generation;
DROP TRIGGER IF EXISTS task_tally_insert;
DROP TRIGGER IF EXISTS task_tally_delete;
DROP TRIGGER IF EXISTS task_tally_update;
DROP TRIGGER IF EXISTS task_tally_moves_prune;
CREATE TRIGGER task_tally_insert AFTER INSERT ON tasks WHEN NEW.withdrawn_on IS NULL
BEGIN
    INSERT INTO task_tally (area, lead_agency, month, listed, done)
        VALUES (NEW.area, NEW.lead_agency, substr(NEW.due, 1, 7), 1, NEW.status = 'done')
        ON CONFLICT DO UPDATE SET listed = listed + 1, done = done + excluded.done;
    INSERT INTO task_tally_moves (area, lead_agency, due, listed, done)
        VALUES (NEW.area, NEW.lead_agency, NEW.due, 1, NEW.status = 'done');
END;
CREATE TRIGGER task_tally_delete AFTER DELETE ON tasks WHEN OLD.withdrawn_on IS NULL
BEGIN
    UPDATE task_tally SET listed = listed - 1, done = done - (OLD.status = 'done')
        WHERE area = OLD.area AND lead_agency = OLD.lead_agency
          AND month = substr(OLD.due, 1, 7);
    INSERT INTO task_tally_moves (area, lead_agency, due, listed, done)
        VALUES (OLD.area, OLD.lead_agency, OLD.due, -1, -(OLD.status = 'done'));
END;
CREATE TRIGGER task_tally_update
AFTER UPDATE OF area, lead_agency, due, status, withdrawn_on ON tasks
WHEN OLD.area IS NOT NEW.area OR OLD.lead_agency IS NOT NEW.lead_agency
    OR OLD.due IS NOT NEW.due OR OLD.status IS NOT NEW.status
    OR OLD.withdrawn_on IS NOT NEW.withdrawn_on
BEGIN
    UPDATE task_tally SET listed = listed - 1, done = done - (OLD.status = 'done')
        WHERE OLD.withdrawn_on IS NULL AND area = OLD.area AND lead_agency = OLD.lead_agency
          AND month = substr(OLD.due, 1, 7);
    INSERT INTO task_tally (area, lead_agency, month, listed, done)
        SELECT NEW.area, NEW.lead_agency, substr(NEW.due, 1, 7), 1, NEW.status = 'done'
        WHERE NEW.withdrawn_on IS NULL
        ON CONFLICT DO UPDATE SET listed = listed + 1, done = done + excluded.done;
    INSERT INTO task_tally_moves (area, lead_agency, due, listed, done)
        SELECT OLD.area, OLD.lead_agency, OLD.due, -1, -(OLD.status = 'done')
        WHERE OLD.withdrawn_on IS NULL
        UNION ALL
        SELECT NEW.area, NEW.lead_agency, NEW.due, 1, NEW.status = 'done'
        WHERE NEW.withdrawn_on IS NULL;
END;
CREATE TRIGGER task_tally_moves_prune AFTER INSERT ON task_tally_moves
BEGIN
    DELETE FROM task_tally_moves WHERE id <= NEW.id - 4096;
END;
"#,
    // 10: refusals kept in the log at most once a minute per member (issue 22): the member's
    // (the refused entry's user's) last refused entry, and how many refusals since were not
    // logged (the next entry says so). The change log's entries from here on are form 3 (store/log.rs), which an older
    // cchc would not verify, so it must refuse the file: this migration makes it.
    r#"
CREATE TABLE IF NOT EXISTS refusals (
    member   TEXT PRIMARY KEY,
    entry    INTEGER NOT NULL,
    at       TEXT NOT NULL,
    unlogged INTEGER NOT NULL DEFAULT 0
);
"#,
    // 11: đôn đốc (issue 26). Agencies gain where to reach them: `email`, one or more official
    // addresses (comma-separated, each checked by `agency::check_emails`), and `addressee`, the
    // title a letter is addressed to ("Giám đốc Sở Tư pháp"); '' when not given. `reminders`
    // keeps each letter urging an agency (`cchc remind`): the tasks it names, when and by whom
    // it was made, and once a mail server accepted it, to whom and the message's id. Both are
    // written with their change-log entries (`agency` add/update, `reminder` letter/mail), which
    // an older cchc's doctor would not know: this migration makes it refuse the file.
    r#"
ALTER TABLE agencies ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN addressee TEXT NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS reminders (
    id         INTEGER PRIMARY KEY,
    agency     TEXT NOT NULL REFERENCES agencies(code),
    period     TEXT NOT NULL,
    -- The ids of the tasks the letter names, comma-separated, overdue first.
    tasks      TEXT NOT NULL,
    respond_by TEXT NOT NULL,
    made_on    TEXT NOT NULL,
    made_by    TEXT NOT NULL,
    made_at    TEXT NOT NULL,
    mailed_to  TEXT,
    mailed_at  TEXT,
    message_id TEXT
);
CREATE INDEX IF NOT EXISTS reminders_by_agency ON reminders(agency, made_on);
"#,
];

/// The migration that keeps the tally and its moves, counted from 1 (its triggers are the
/// ones `doctor` compares).
const TALLY_MIGRATION: usize = 9;

/// The migration that made the search table, counted from 1.
const SEARCH_MIGRATION: i64 = 8;

/// The triggers that keep `task_tally` and its moves in step (name, and the text
/// `sqlite_master` keeps), exactly as the tally's latest migration created them, for `doctor`
/// to compare.
pub(super) fn tally_triggers() -> Vec<(&'static str, &'static str)> {
    const START: &str = "CREATE TRIGGER ";
    let sql = MIGRATIONS[TALLY_MIGRATION - 1];
    sql.match_indices(START)
        .filter_map(|(at, _)| {
            let text = &sql[at..];
            let text = &text[..text.find("\nEND;")? + "\nEND".len()];
            let name = text[START.len()..].split_whitespace().next()?;
            Some((name, text))
        })
        .collect()
}

/// The schema version this build writes; a file above it was made by a newer cchc.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A short id that tells this file's own added tasks from another file's after an import.
fn new_file_id() -> String {
    use sha2::{Digest, Sha256};
    let seed = format!(
        "{:?} {} {:?}",
        std::time::SystemTime::now(),
        std::process::id(),
        std::thread::current().id()
    );
    hex::encode(Sha256::digest(seed.as_bytes()))[..8].to_string()
}

pub fn user_version(conn: &Db) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", (), |r| r.get(0))?)
}

/// Brings the file up to `SCHEMA_VERSION` inside one IMMEDIATE transaction, so members
/// starting at once queue on the lock and each sees either nothing or the finished schema.
/// `after` runs in the same transaction only when this call created the schema (the seed).
/// Returns whether this call migrated anything.
pub fn migrate(
    conn: &mut Db,
    after_create: impl FnOnce(&crate::store::engine::Tx) -> Result<()>,
) -> Result<bool> {
    if user_version(conn)? >= SCHEMA_VERSION {
        return Ok(false);
    }
    // A table rebuilt under its referrers (migration 6) needs the foreign keys off; the
    // pragma is a no-op inside a transaction, so it is set around it and restored whatever
    // happens.
    let enforced: bool = conn.query_row("PRAGMA foreign_keys", (), |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let done = migrate_unchecked(conn, after_create);
    conn.pragma_update(None, "foreign_keys", enforced)?;
    done
}

fn migrate_unchecked(
    conn: &mut Db,
    after_create: impl FnOnce(&crate::store::engine::Tx) -> Result<()>,
) -> Result<bool> {
    let tx = conn.transaction_with_behavior(Behavior::Immediate)?;
    let from = user_version(&tx)?;
    if from >= SCHEMA_VERSION {
        return Ok(false);
    }
    for sql in &MIGRATIONS[from as usize..] {
        tx.execute_batch(sql)?;
    }
    if from < SEARCH_MIGRATION {
        for (_, trigger) in super::search_index::TRIGGERS {
            tx.execute_batch(trigger)?;
        }
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    if from == 0 {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('file_id', ?1)",
            [new_file_id()],
        )?;
        after_create(&tx)?;
    }
    // The seed and the tasks of an older file were marked stale: index them now.
    super::search_index::refresh_stale(&tx)?;
    // What the foreign keys would have refused while off.
    let broken: Option<String> = tx
        .query_row("PRAGMA foreign_key_check", (), |r| r.get(0))
        .optional()?;
    if let Some(table) = broken {
        return Err(crate::error::Error::invalid(format!(
            "the schema upgrade left a dangling reference in {table}; the file is unchanged"
        )));
    }
    tx.commit()?;
    Ok(true)
}

pub(super) mod postgres;

#[cfg(test)]
mod tests;
