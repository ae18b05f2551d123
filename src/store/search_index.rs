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

use std::collections::HashSet;

use crate::store::engine::{Db, Row, params_from_iter};
use rusqlite::types::Value;

use super::Store;
use super::reads::{NOT_WITHDRAWN, TaskFilter, filter_clauses};
use crate::error::Result;
use crate::search::narrow::{Narrowing, narrowing};

/// The triggers that mark tasks stale, exactly as the migration creates them; the guards
/// (`doctor`) compare them by text like the change log's.
pub(super) const TRIGGERS: [(&str, &str); 7] = [
    (
        "task_search_task_insert",
        "CREATE TRIGGER task_search_task_insert AFTER INSERT ON tasks\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (NEW.id); END",
    ),
    (
        "task_search_task_update",
        "CREATE TRIGGER task_search_task_update AFTER UPDATE OF id, title, lead_agency, output, withdrawn_on ON tasks\nBEGIN INSERT OR IGNORE INTO task_search_stale VALUES (OLD.id); INSERT OR IGNORE INTO task_search_stale VALUES (NEW.id); END",
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
/// The folded texts live in a plain table of cchc's (`task_search_text`), which a search with
/// short terms reads straight through, and the FTS index is built over it (external content).
/// The text is folded already, so trigrams need no case folding; searches ask only whether a
/// row holds a trigram (one token, never a phrase), so `detail = none` keeps no positions and
/// `columnsize = 0` no sizes: half the index and about half the time to build it.
pub(super) const CREATE: &str = "
CREATE TABLE task_search_text (task_id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE VIRTUAL TABLE task_search USING fts5(body, content = 'task_search_text', content_rowid = 'task_id', tokenize = 'trigram case_sensitive 1', detail = none, columnsize = 0);
CREATE TABLE task_search_stale (task_id INTEGER PRIMARY KEY);
INSERT INTO task_search_stale SELECT id FROM tasks;
";

/// A task's search text from its parts, fresh (the notes joined in order).
const FRESH_TEXT: &str = "SELECT t.id, t.plan_ref, t.title, t.lead_agency, coalesce(a.name, ''), t.output,
        coalesce((SELECT group_concat(n.text, ' ') FROM (SELECT text FROM notes WHERE task_id = t.id ORDER BY id) n), '')
    FROM tasks t LEFT JOIN agencies a ON a.code = t.lead_agency";

/// One task's fresh text: id, plan reference and normalised search text.
pub type Candidate = (i64, String, String);

/// Fresh texts of the listed (not withdrawn) tasks that `clauses` keep; the clauses are fixed
/// fragments over the tasks table's columns, never values.
fn fresh(conn: &Db, clauses: &[&str], values: &[Value]) -> Result<Vec<Candidate>> {
    let mut sql = format!("{FRESH_TEXT} WHERE t.{NOT_WITHDRAWN}");
    for c in clauses {
        sql.push_str(" AND ");
        sql.push_str(c);
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(values), fresh_text)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A row of `FRESH_TEXT` as a candidate: its id, plan reference and normalised text.
fn fresh_text(r: &Row) -> rusqlite::Result<Candidate> {
    let text = crate::search::task_text_parts(
        text_of(r, 2)?,
        text_of(r, 3)?,
        text_of(r, 4)?,
        text_of(r, 5)?,
        text_of(r, 6)?,
    );
    Ok((r.get(0)?, r.get(1)?, crate::search::normalize(&text)))
}

fn text_of<'r>(r: &'r Row, col: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(col)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Writes search texts, many rows per statement.
fn insert_texts(conn: &Db, texts: &[Candidate]) -> Result<()> {
    // The text table has no trigger.
    super::batch::insert_rows_unjournaled(
        conn,
        "INSERT INTO task_search_text (task_id, body)",
        2,
        texts,
        |stmt, at, (id, _, body)| {
            stmt.raw_bind_parameter(at, id)?;
            stmt.raw_bind_parameter(at + 1, body)
        },
    )
}

// The filters spliced into FRESH_TEXT are these fixed fragments, never values.
const STALE_ONES: &str = "t.id IN (SELECT task_id FROM task_search_stale)";

/// `clauses` and only the stale tasks.
fn with_stale(clauses: &[&'static str]) -> Vec<&'static str> {
    let mut out = clauses.to_vec();
    out.push(STALE_ONES);
    out
}
const ONE_ID: &str = "id = ?";

/// How many stale tasks make a refresh large (an import's): see `refresh_stale`.
const LARGE_REFRESH: i64 = 10_000;
/// FTS5's buffer for a large refresh, in bytes.
const FTS_BUFFER_BYTES: i64 = 8 << 20;

/// Rewrites the rows of stale tasks and clears the marks; called inside a write transaction.
/// The index forgets a row by being given its old text, which the text table still holds;
/// the new rows are indexed by one statement.
pub(super) fn refresh_stale(conn: &Db) -> Result<()> {
    let stale: i64 = conn.query_row("SELECT count(*) FROM task_search_stale", (), |r| r.get(0))?;
    if stale == 0 {
        return Ok(());
    }
    // FTS5 keeps the terms of a transaction in memory and writes them out as a new segment
    // each time they pass its buffer (1 MB by default); the segments are then merged, again and
    // again as they pile up. For a large import a larger buffer halves the index's time
    // (measured at 300,000 texts: 4.5 s against 2.2 s for 16 MB); 8 MB stays within what a
    // command may take. Kept in the index's settings (every later write may buffer as much, but
    // a member's write never comes near it).
    if stale >= LARGE_REFRESH && !conn.is_postgres() {
        conn.execute_batch(&format!(
            "INSERT INTO task_search (task_search, rank) VALUES ('hashsize', {FTS_BUFFER_BYTES})"
        ))?;
    }
    // PostgreSQL's trigram index follows the text table by itself; FTS5's is told.
    if !conn.is_postgres() {
        conn.execute_batch(
            "INSERT INTO task_search (task_search, rowid, body)
                 SELECT 'delete', task_id, body FROM task_search_text
                 WHERE task_id IN (SELECT task_id FROM task_search_stale);",
        )?;
    }
    conn.execute_batch(
        "DELETE FROM task_search_text WHERE task_id IN (SELECT task_id FROM task_search_stale);",
    )?;
    // A large import marks a million tasks: their texts are made and written a few hundred
    // at a time, never held together.
    let mut texts = Vec::with_capacity(super::batch::ROWS);
    let mut stmt = conn.prepare(&format!(
        "{FRESH_TEXT} WHERE t.{NOT_WITHDRAWN} AND {STALE_ONES}"
    ))?;
    let mut rows = stmt.query(())?;
    while let Some(r) = rows.next()? {
        texts.push(fresh_text(&r)?);
        if texts.len() == super::batch::ROWS {
            insert_texts(conn, &texts)?;
            texts.clear();
        }
    }
    insert_texts(conn, &texts)?;
    if !conn.is_postgres() {
        conn.execute_batch(
            "INSERT INTO task_search (rowid, body)
                 SELECT task_id, body FROM task_search_text
                 WHERE task_id IN (SELECT task_id FROM task_search_stale);",
        )?;
    }
    conn.execute_batch("DELETE FROM task_search_stale;")?;
    Ok(())
}

/// Marks every task stale and refreshes them all: what `doctor` may do, as the table is
/// derived data.
pub(super) fn rebuild(conn: &Db) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM task_search_stale;
         INSERT INTO task_search_stale SELECT id FROM tasks;
         DELETE FROM task_search_text;",
    )?;
    if !conn.is_postgres() {
        conn.execute_batch("INSERT INTO task_search (task_search) VALUES ('delete-all');")?;
    }
    refresh_stale(conn)
}

/// One task a search found and its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SearchHit {
    pub id: i64,
    pub score: i64,
}

/// The best hits of a search and how many tasks matched in all (`total` may exceed
/// `hits.len()` when the search was capped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RankedHits {
    pub hits: Vec<SearchHit>,
    pub total: usize,
}

/// How many rows a search reads between two looks at its `stop` signal: a look is an atomic
/// load, a row a few hundred nanoseconds.
const STOP_EVERY: usize = 256;

/// The best `cap` hits seen so far, best first once finished, and the count of all. Holds at
/// most twice the cap: when full, the better half is kept (`select_nth_unstable`), so a query
/// that matches a million tasks costs the memory of `2 × cap` hits, not a million.
struct Best {
    cap: usize,
    hits: Vec<SearchHit>,
    total: usize,
}

impl Best {
    fn new(cap: usize) -> Self {
        Best {
            cap,
            hits: Vec::new(),
            total: 0,
        }
    }

    fn rank(h: &SearchHit) -> (std::cmp::Reverse<i64>, i64) {
        (std::cmp::Reverse(h.score), h.id)
    }

    fn push(&mut self, hit: SearchHit) {
        self.total += 1;
        self.hits.push(hit);
        if self.cap > 0 && self.hits.len() >= self.cap.saturating_mul(2) {
            self.hits
                .select_nth_unstable_by_key(self.cap - 1, Self::rank);
            self.hits.truncate(self.cap);
        }
    }

    fn finish(mut self) -> RankedHits {
        self.hits.sort_unstable_by_key(Self::rank);
        self.hits.truncate(self.cap);
        RankedHits {
            hits: self.hits,
            total: self.total,
        }
    }
}

impl Store {
    /// The listed tasks that match `query` (the rules of `search`: fuzzy terms, quotes, `#157`,
    /// plan references) among those `filter` keeps, best score first, ties by id. The filter
    /// narrows in SQL, the search table's trigrams narrow long terms (`search::narrow`), and
    /// the matcher decides and scores each candidate's stored folded text as it is read;
    /// nothing else of a task is read. Tasks another tool changed since cchc's last write are
    /// read fresh. One read transaction, so the answer is one state of the file.
    pub fn search(&self, query: &str, filter: &TaskFilter) -> Result<Vec<SearchHit>> {
        let ranked = self.search_best(query, filter, usize::MAX, &|| false)?;
        Ok(ranked.map(|r| r.hits).unwrap_or_default())
    }

    /// [`search`](Self::search), keeping only the best `cap` hits (and the count of all), and
    /// abandoned as soon as `stop` says so: `Ok(None)` then. `stop` is asked every few hundred
    /// rows, so a search someone no longer waits for ends within a millisecond or so (the TUI's
    /// search worker, when a newer keystroke arrives).
    pub fn search_best(
        &self,
        query: &str,
        filter: &TaskFilter,
        cap: usize,
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<RankedHits>> {
        let mut matcher = crate::search::Matcher::new(query);
        let tx = self.conn.unchecked_transaction()?;
        let (mut clauses, mut values) = filter_clauses(filter);
        let narrowing = narrowing(query);
        match &narrowing {
            Narrowing::Id(id) => {
                clauses.push(ONE_ID);
                values.push(Value::Integer(*id));
            }
            Narrowing::Scan | Narrowing::Reference(_) | Narrowing::Trigrams(_) => {}
        }
        let stale: HashSet<i64> = tx
            .prepare_cached("SELECT task_id FROM task_search_stale")?
            .query_map((), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut best = Best::new(cap);
        let fresh_ones = if stale.is_empty() {
            Vec::new()
        } else {
            fresh(&tx, &with_stale(&clauses), &values)?
        };
        for (id, reference, text) in fresh_ones {
            if let Some(score) = matcher.score(id, &text, &reference) {
                best.push(SearchHit { id, score });
            }
        }
        if stop() {
            return Ok(None);
        }
        let mut sql = if clauses.is_empty() && !matcher.needs_reference() {
            // The common case reads the text table alone: no lookup per task.
            "SELECT x.task_id, x.body, '' FROM task_search_text x WHERE TRUE".to_string()
        } else {
            let mut sql = "SELECT x.task_id, x.body, t.plan_ref FROM task_search_text x \
                 JOIN tasks t ON t.id = x.task_id WHERE TRUE"
                .to_string();
            for c in &clauses {
                sql.push_str(" AND ");
                sql.push_str(c);
            }
            sql
        };
        if let (Narrowing::Trigrams(sets), true) = (&narrowing, tx.is_postgres()) {
            // PostgreSQL has no FTS5: the trigram index (pg_trgm) serves LIKE '%…%' itself.
            let any = sets
                .iter()
                .map(|set| {
                    format!(
                        "({})",
                        vec!["x.body LIKE ? ESCAPE '\\'"; set.len()].join(" AND ")
                    )
                })
                .collect::<Vec<_>>();
            sql.push_str(&format!(" AND ({})", any.join(" OR ")));
            values.extend(sets.iter().flatten().map(|t| {
                let escaped = t
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                Value::Text(format!("%{escaped}%"))
            }));
        } else if let Narrowing::Trigrams(sets) = &narrowing {
            // An FTS5 query, bound as a value: each trigram a quoted string (one token), the
            // trigrams of a set ANDed, the sets ORed.
            sql.push_str(
                " AND x.task_id IN (SELECT rowid FROM task_search WHERE task_search MATCH ?)",
            );
            let quoted = |t: &String| format!("\"{}\"", t.replace('"', "\"\""));
            values.push(Value::Text(
                sets.iter()
                    .map(|set| {
                        let all = set.iter().map(quoted).collect::<Vec<_>>().join(" AND ");
                        format!("({all})")
                    })
                    .collect::<Vec<_>>()
                    .join(" OR "),
            ));
        }
        let mut stmt = tx.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(&values))?;
        let mut read = 0usize;
        while let Some(row) = rows.next()? {
            read += 1;
            if read.is_multiple_of(STOP_EVERY) && stop() {
                return Ok(None);
            }
            let id: i64 = row.get(0)?;
            if !stale.is_empty() && stale.contains(&id) {
                continue; // read fresh above
            }
            // Borrowed from SQLite's row: no copy of texts that do not match.
            let text = row.get_ref(1)?.as_str().unwrap_or("");
            let reference = row.get_ref(2)?.as_str().unwrap_or("");
            if let Some(score) = matcher.score(id, text, reference) {
                best.push(SearchHit { id, score });
            }
        }
        drop(rows);
        drop(stmt);
        tx.commit()?;
        if stop() {
            return Ok(None);
        }
        Ok(Some(best.finish()))
    }

    /// Rebuilds the search table from the tasks (derived data; `doctor --repair` style).
    pub fn rebuild_search(&mut self) -> Result<()> {
        self.write(|tx| rebuild(tx))
    }
}
