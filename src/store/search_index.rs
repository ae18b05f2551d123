//! `task_search`, an FTS5 table (trigram tokenizer) over each task's normalised search text
//! (title, lead agency, output, notes: `search::task_text`), which finds a search's
//! candidates without reading every task. Derived data: never trusted for a result, only to
//! prune; `search.rs`'s matcher decides (see `search::narrow` for what may be pruned).
//!
//! Kept in step by SQL triggers that only mark a task stale (`task_search_stale`), and by
//! every write of cchc's, which refreshes the stale rows in its own transaction. Why both:
//! the text is folded in Rust (`text::fold`), which a trigger cannot call without a custom
//! function that the sqlite3 shell and other tools lack (their writes would then fail); and a
//! list of write paths to remember is how an index goes stale. The triggers are plain SQL, so
//! any writer marks what it changed, and a reader treats a stale task as a candidate with its
//! text read fresh: a result never depends on the refresh having run.

use rusqlite::{Connection, params};

use super::Store;
use crate::error::Result;
use crate::search::narrow::Narrowing;

/// The triggers that mark tasks stale, exactly as the migration creates them; the guards
/// (`doctor`) compare them by text like the change log's.
pub(super) const TRIGGERS: [(&str, &str); 7] = [
    (
        "task_search_task_insert",
        "CREATE TRIGGER task_search_task_insert AFTER INSERT ON tasks\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (NEW.id); END",
    ),
    (
        "task_search_task_update",
        "CREATE TRIGGER task_search_task_update AFTER UPDATE OF id, title, lead_agency, output ON tasks\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (OLD.id); INSERT OR IGNORE INTO task_search_stale VALUES (NEW.id); END",
    ),
    (
        "task_search_task_delete",
        "CREATE TRIGGER task_search_task_delete AFTER DELETE ON tasks\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (OLD.id); END",
    ),
    (
        "task_search_note_insert",
        "CREATE TRIGGER task_search_note_insert AFTER INSERT ON notes\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (NEW.task_id); END",
    ),
    (
        "task_search_note_update",
        "CREATE TRIGGER task_search_note_update AFTER UPDATE ON notes\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (OLD.task_id); INSERT OR IGNORE INTO task_search_stale VALUES (NEW.task_id); END",
    ),
    (
        "task_search_note_delete",
        "CREATE TRIGGER task_search_note_delete AFTER DELETE ON notes\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (OLD.task_id); END",
    ),
    (
        "task_search_agency_update",
        "CREATE TRIGGER task_search_agency_update AFTER UPDATE OF code, name ON agencies\nBEGIN INSERT OR IGNORE INTO task_search_stale SELECT id FROM tasks WHERE lead_agency IN (OLD.code, NEW.code); END",
    ),
];

/// The migration's tables; every existing task starts stale and the migration refreshes them.
pub(super) const CREATE: &str = "
CREATE VIRTUAL TABLE task_search USING fts5(body, tokenize = 'trigram');
CREATE TABLE task_search_stale (task_id INTEGER PRIMARY KEY);
INSERT INTO task_search_stale SELECT id FROM tasks;
";

/// A task's search text from its parts, fresh (the notes joined in order).
const FRESH_TEXT: &str = "SELECT t.id, t.plan_ref, t.title, t.lead_agency, coalesce(a.name, ''), t.output,
        coalesce((SELECT group_concat(text, ' ') FROM (SELECT text FROM notes WHERE task_id = t.id ORDER BY id)), '')
    FROM tasks t LEFT JOIN agencies a ON a.code = t.lead_agency";

/// One candidate: id, plan reference and normalised search text.
pub type Candidate = (i64, String, String);

fn fresh(conn: &Connection, filter: &str, value: Option<i64>) -> Result<Vec<Candidate>> {
    let sql = format!("{FRESH_TEXT} WHERE {filter}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let map = |r: &rusqlite::Row| -> rusqlite::Result<Candidate> {
        let text = crate::search::task_text_parts(
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            &r.get::<_, String>(6)?,
        );
        Ok((r.get(0)?, r.get(1)?, crate::search::normalize(&text)))
    };
    let rows = match value {
        Some(v) => stmt
            .query_map([v], map)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        None => stmt
            .query_map([], map)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

// The filters spliced into FRESH_TEXT are these fixed fragments, never values.
const STALE_ONES: &str = "t.id IN (SELECT task_id FROM task_search_stale)";
const ONE_ID: &str = "t.id = ?1";

/// Rewrites the rows of stale tasks and clears the marks; called inside a write transaction.
pub(super) fn refresh_stale(conn: &Connection) -> Result<()> {
    let stale: i64 = conn.query_row("SELECT count(*) FROM task_search_stale", [], |r| r.get(0))?;
    if stale == 0 {
        return Ok(());
    }
    conn.execute(
        "DELETE FROM task_search WHERE rowid IN (SELECT task_id FROM task_search_stale)",
        [],
    )?;
    let mut insert =
        conn.prepare_cached("INSERT INTO task_search (rowid, body) VALUES (?1, ?2)")?;
    for (id, _, body) in fresh(conn, STALE_ONES, None)? {
        insert.execute(params![id, body])?;
    }
    conn.execute("DELETE FROM task_search_stale", [])?;
    Ok(())
}

/// Marks every task stale and refreshes them all: what `doctor` may do, as the table is
/// derived data.
pub(super) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO task_search_stale SELECT id FROM tasks",
        [],
    )?;
    conn.execute("DELETE FROM task_search", [])?;
    refresh_stale(conn)
}

impl Store {
    /// The tasks (withdrawn ones included; the caller's filter decides) that may match a
    /// query narrowed by `narrowing`, with their normalised texts: a superset of the matches.
    pub fn search_candidates(&self, narrowing: &Narrowing) -> Result<Vec<Candidate>> {
        let conn = &self.conn;
        if let Narrowing::Id(id) = narrowing {
            return fresh(conn, ONE_ID, Some(*id));
        }
        let mut out = fresh(conn, STALE_ONES, None)?;
        let indexed =
            "SELECT s.rowid, t.plan_ref, s.body FROM task_search s JOIN tasks t ON t.id = s.rowid
             WHERE s.rowid NOT IN (SELECT task_id FROM task_search_stale)";
        let map = |r: &rusqlite::Row| -> rusqlite::Result<Candidate> {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        };
        match narrowing {
            Narrowing::AnyTrigram(trigrams) => {
                // An FTS5 query, bound as a value: each trigram a quoted string, ORed.
                let query = trigrams
                    .iter()
                    .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                let mut stmt =
                    conn.prepare_cached(&format!("{indexed} AND task_search MATCH ?1"))?;
                for row in stmt.query_map([query], map)? {
                    out.push(row?);
                }
            }
            _ => {
                let mut stmt = conn.prepare_cached(indexed)?;
                for row in stmt.query_map([], map)? {
                    out.push(row?);
                }
            }
        }
        Ok(out)
    }

    /// Rebuilds the search table from the tasks (derived data; `doctor --repair` style).
    pub fn rebuild_search(&mut self) -> Result<()> {
        self.write(|tx| rebuild(tx))
    }
}
