//! The change log: one entry per user action, append-only (triggers refuse UPDATE and DELETE),
//! each entry's hash chained to the previous one so tampering is detectable.

use crate::store::engine::{Db, Row, Tx};
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use super::Store;
use crate::error::Result;
use crate::model::{FieldChange, LogEntry};

/// The hash before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What to read from the log; all fields optional.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub user: Option<String>,
    /// Entries at or after this RFC 3339 instant (or date prefix such as "2026-10-01").
    pub since: Option<String>,
    /// Entries strictly before this instant or date.
    pub until: Option<String>,
    pub limit: Option<usize>,
    /// Newest first (the default for people), or oldest first (for reports).
    pub oldest_first: bool,
}

pub(super) struct NewEntry<'a> {
    pub user: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub changes: &'a [FieldChange],
    pub note: Option<&'a str>,
    pub undo_of: Option<i64>,
}

/// What an entry's hash covers beyond the entry itself (form 2 on): who really wrote it, and
/// the import entry it belongs to.
struct Origin<'a> {
    form: i64,
    uid: Option<i64>,
    login: Option<&'a str>,
    parent: Option<i64>,
}

/// The canonical form new entries are written in. Form 1 (before identities were recorded)
/// covered the entry alone; form 2 adds the uid, login and parent. Form 3 hashes as form 2 and
/// promises more, which `replay` holds it to: every row its write stamps carries the entry's
/// own instant, and a refusal names the real login as its user.
pub(super) const FORM: i64 = 3;

/// How an instant is written in the log and in every row a write stamps (UTC, milliseconds).
pub(crate) const STAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

/// The instant of the write `tx` makes, as the log and the rows it stamps spell it.
pub(super) fn stamp(tx: &Tx) -> Result<String> {
    Ok(tx.clock()?.format(STAMP_FORMAT).to_string())
}

/// The province's date at the instant of the write `tx` makes: completion dates and the
/// default date of a measurement (no flag, variable or `TZ` moves it).
pub(super) fn today(tx: &Tx) -> Result<chrono::NaiveDate> {
    Ok(crate::context::date_of(tx.clock()?))
}

/// The canonical text an entry's hash covers: a JSON array of its fields. Written straight
/// into one string (no `serde_json::Value` per field, which cost a fifth of an import); the
/// bytes are exactly those of `serde_json::Value::Array(..).to_string()` that earlier cchc
/// versions hashed (see `canonical_is_the_json_array_of_old`).
fn canonical(id: i64, at: &str, e: &NewEntry, changes_json: &str, o: &Origin) -> String {
    let mut out = Vec::with_capacity(160 + changes_json.len() * 5 / 4);
    out.push(b'[');
    if o.form >= 2 {
        // Form 2 and later name their own form first, so an entry cannot be passed off as
        // another form with the same fields.
        json_int(&mut out, Some(o.form));
        out.push(b',');
    }
    json_int(&mut out, Some(id));
    for s in [
        Some(at),
        Some(e.user),
        Some(e.entity),
        Some(e.entity_id),
        Some(e.action),
        Some(changes_json),
        e.note,
    ] {
        out.push(b',');
        json_str(&mut out, s);
    }
    out.push(b',');
    json_int(&mut out, e.undo_of);
    if o.form >= 2 {
        out.push(b',');
        json_int(&mut out, o.uid);
        out.push(b',');
        json_str(&mut out, o.login);
        out.push(b',');
        json_int(&mut out, o.parent);
    }
    out.push(b']');
    // Only valid UTF-8 was written: the strings came in as `&str` and serde_json escapes
    // without splitting characters.
    String::from_utf8(out).unwrap_or_default()
}

/// A JSON integer or `null`.
fn json_int(out: &mut Vec<u8>, v: Option<i64>) {
    match v {
        Some(n) => out.extend_from_slice(n.to_string().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string escaped as serde_json escapes it, or `null`.
fn json_str(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        // Writing into a Vec cannot fail, and a &str always serialises.
        Some(s) => {
            let _ = serde_json::to_writer(&mut *out, s);
        }
        None => out.extend_from_slice(b"null"),
    }
}

fn chain(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// The id the next appended entry will get (the caller holds the write lock).
pub(super) fn next_id(tx: &Tx) -> Result<i64> {
    Ok(
        tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM change_log", (), |r| {
            r.get(0)
        })?,
    )
}

/// Appends one entry inside the caller's transaction and returns its id.
pub(super) fn append(tx: &Tx, e: NewEntry) -> Result<i64> {
    append_child(tx, e, None)
}

/// The newest entry's id and hash (0 and the genesis hash for an empty log).
pub(super) fn head(tx: &Tx) -> Result<(i64, String)> {
    Ok(tx
        .prepare_cached("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1")?
        .query_row((), |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS.to_string())))
}

/// Appends one entry that belongs to the entry `parent` (an import's), and returns its id.
pub(super) fn append_child(tx: &Tx, e: NewEntry, parent: Option<i64>) -> Result<i64> {
    let mut prev = head(tx)?;
    append_after(tx, e, parent, &mut prev)
}

/// Appends one entry after `prev` (the head, which the caller keeps while it appends many in
/// one transaction) and moves `prev` to it.
pub(super) fn append_after(
    tx: &Tx,
    e: NewEntry,
    parent: Option<i64>,
    prev: &mut (i64, String),
) -> Result<i64> {
    let sealed = seal(e, &stamp(tx)?, parent, prev);
    write_sealed(tx, std::slice::from_ref(&sealed))?;
    Ok(sealed.id)
}

/// An entry with its id and hash fixed, its place in the chain taken, not yet written.
pub(super) struct SealedEntry {
    pub id: i64,
    at: String,
    user: String,
    entity: String,
    entity_id: String,
    action: String,
    changes_json: String,
    note: Option<String>,
    undo_of: Option<i64>,
    prev_hash: String,
    hash: String,
    parent: Option<i64>,
}

/// Gives `e` the id and hash that follow `prev` and moves `prev` to it; the caller writes
/// it ([`write_sealed`]) in the same transaction, with the others it sealed, in any batches.
pub(super) fn seal(
    e: NewEntry,
    at: &str,
    parent: Option<i64>,
    prev: &mut (i64, String),
) -> SealedEntry {
    let (prev_id, prev_hash) = (prev.0, std::mem::take(&mut prev.1));
    let id = prev_id + 1;
    let at = at.to_string();
    let changes_json = serde_json::to_string(e.changes).unwrap_or_else(|_| "[]".into());
    let os = crate::context::os_user();
    let origin = Origin {
        form: FORM,
        uid: Some(i64::from(os.uid)),
        login: Some(&os.login),
        parent,
    };
    let hash = chain(&prev_hash, &canonical(id, &at, &e, &changes_json, &origin));
    *prev = (id, hash.clone());
    SealedEntry {
        id,
        at,
        user: e.user.into(),
        entity: e.entity.into(),
        entity_id: e.entity_id.into(),
        action: e.action.into(),
        changes_json,
        note: e.note.map(String::from),
        undo_of: e.undo_of,
        prev_hash,
        hash,
        parent,
    }
}

/// Writes sealed entries, many rows per statement.
pub(super) fn write_sealed(tx: &Tx, entries: &[SealedEntry]) -> Result<()> {
    let os = crate::context::os_user();
    let (uid, login) = (i64::from(os.uid), os.login.as_str());
    // No trigger inserts on an insert into the log.
    super::batch::insert_rows_unjournaled(
        tx,
        "INSERT INTO change_log (id, at, \"user\", entity, entity_id, action, changes, note, undo_of, prev_hash, hash, uid, login, parent, form)",
        15,
        entries,
        |stmt, at, e| {
            stmt.raw_bind_parameter(at, e.id)?;
            stmt.raw_bind_parameter(at + 1, &e.at)?;
            stmt.raw_bind_parameter(at + 2, &e.user)?;
            stmt.raw_bind_parameter(at + 3, &e.entity)?;
            stmt.raw_bind_parameter(at + 4, &e.entity_id)?;
            stmt.raw_bind_parameter(at + 5, &e.action)?;
            stmt.raw_bind_parameter(at + 6, &e.changes_json)?;
            stmt.raw_bind_parameter(at + 7, &e.note)?;
            stmt.raw_bind_parameter(at + 8, e.undo_of)?;
            stmt.raw_bind_parameter(at + 9, &e.prev_hash)?;
            stmt.raw_bind_parameter(at + 10, &e.hash)?;
            stmt.raw_bind_parameter(at + 11, uid)?;
            stmt.raw_bind_parameter(at + 12, login)?;
            stmt.raw_bind_parameter(at + 13, e.parent)?;
            stmt.raw_bind_parameter(at + 14, FORM)
        },
    )
}

/// The log's statement for the given WHERE fragments; the last parameter is the limit.
pub(super) fn log_query(clauses: &[&str], order: &str) -> String {
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    format!("SELECT {LOG_COLUMNS} FROM change_log{filter} ORDER BY id {order} LIMIT ?")
}

pub(super) const LOG_COLUMNS: &str = "id, at, \"user\", entity, entity_id, action, changes, note, hash, undo_of, prev_hash, uid, login, parent, form";

pub(super) fn entry_from_row(r: &Row) -> rusqlite::Result<LogEntry> {
    let changes: String = r.get(6)?;
    Ok(LogEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        user: r.get(2)?,
        entity: r.get(3)?,
        entity_id: r.get(4)?,
        action: r.get(5)?,
        changes: serde_json::from_str(&changes).unwrap_or_default(),
        note: r.get(7)?,
        hash: r.get(8)?,
        uid: r.get(11)?,
        login: r.get(12)?,
        parent: r.get(13)?,
    })
}

/// Walks the whole chain; returns the id of the first entry whose hash does not match.
pub fn verify_chain_of(conn: &Db) -> Result<Option<i64>> {
    let mut stmt = conn.prepare(&format!("SELECT {LOG_COLUMNS} FROM change_log ORDER BY id"))?;
    let mut rows = stmt.query(())?;
    let mut prev = GENESIS.to_string();
    let mut last_form = 1;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let user: String = r.get(2)?;
        let entity: String = r.get(3)?;
        let entity_id: String = r.get(4)?;
        let action: String = r.get(5)?;
        let changes_json: String = r.get(6)?;
        let note: Option<String> = r.get(7)?;
        let hash: String = r.get(8)?;
        let undo_of: Option<i64> = r.get(9)?;
        let prev_hash: String = r.get(10)?;
        let login: Option<String> = r.get(12)?;
        let origin = Origin {
            form: r.get(14)?,
            uid: r.get(11)?,
            login: login.as_deref(),
            parent: r.get(13)?,
        };
        let e = NewEntry {
            user: &user,
            entity: &entity,
            entity_id: &entity_id,
            action: &action,
            changes: &[],
            note: note.as_deref(),
            undo_of,
        };
        let expected = chain(&prev, &canonical(id, &at, &e, &changes_json, &origin));
        // Forms only ever go up: an entry in an older form after a newer one was written by
        // hand to escape what the newer form covers.
        if !(1..=FORM).contains(&origin.form) || origin.form < last_form {
            return Ok(Some(id));
        }
        last_form = origin.form;
        if prev_hash != prev || hash != expected {
            return Ok(Some(id));
        }
        prev = hash;
    }
    Ok(None)
}

impl Store {
    pub fn log(&self, f: &LogFilter) -> Result<Vec<LogEntry>> {
        // Only the filters given go into the WHERE clause (fixed fragments, bound values), so
        // a task's history and a quarter's entries come from their indexes; the former
        // `(?1 IS NULL OR entity = ?1) AND …` read the whole log for every question.
        let order = if f.oldest_first { "ASC" } else { "DESC" };
        let limit = f.limit.map(|l| l as i64).unwrap_or(i64::MAX);
        let mut clauses: Vec<&str> = Vec::new();
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::new();
        for (value, clause) in [
            (&f.entity, "entity = ?"),
            (&f.entity_id, "entity_id = ?"),
            (&f.user, "\"user\" = ?"),
            (&f.since, "at >= ?"),
            (&f.until, "at < ?"),
        ] {
            if let Some(v) = value {
                clauses.push(clause);
                values.push(v);
            }
        }
        values.push(&limit);
        let sql = log_query(&clauses, order);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(values.as_slice(), entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The hash of the newest entry: written into a meeting's minutes, it pins the whole history.
    pub fn head_hash(&self) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1",
                (),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// `None` when every entry's hash matches; else the id of the first that does not.
    pub fn verify_chain(&self) -> Result<Option<i64>> {
        verify_chain_of(&self.conn)
    }

    pub fn log_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM change_log", (), |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    /// Writes an entry the way cchc did before form 2 (no uid, login, parent in the hash).
    fn append_form_1(tx: &Tx, id: i64, prev: &str, user: &str) -> String {
        let e = NewEntry {
            user,
            entity: "task",
            entity_id: "1",
            action: "update",
            changes: &[],
            note: Some("old"),
            undo_of: None,
        };
        let origin = Origin {
            form: 1,
            uid: None,
            login: None,
            parent: None,
        };
        let at = "2026-01-01T00:00:00.000Z";
        let hash = chain(prev, &canonical(id, at, &e, "[]", &origin));
        tx.execute(
            "INSERT INTO change_log (id, at, \"user\", entity, entity_id, action, changes, note, prev_hash, hash)
             VALUES (?1, ?2, ?3, 'task', '1', 'update', '[]', 'old', ?4, ?5)",
            params![id, at, user, prev, hash],
        )
        .unwrap();
        hash
    }

    /// The canonical form as cchc built it through `serde_json::Value` until the direct
    /// writer replaced it: every hash in every file ever written depends on these bytes.
    fn canonical_through_value(
        id: i64,
        at: &str,
        e: &NewEntry,
        changes_json: &str,
        o: &Origin,
    ) -> String {
        let mut v = vec![
            serde_json::json!(id),
            at.into(),
            e.user.into(),
            e.entity.into(),
            e.entity_id.into(),
            e.action.into(),
            changes_json.into(),
            e.note.into(),
            e.undo_of.into(),
        ];
        if o.form >= 2 {
            v.insert(0, o.form.into());
            v.extend([o.uid.into(), o.login.into(), o.parent.into()]);
        }
        serde_json::Value::Array(v).to_string()
    }

    #[test]
    fn canonical_is_the_json_array_of_old() {
        let awkward = "Báo cáo \"quý\" I\\II\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}\u{2028}\u{1F600} ̣";
        let changes = [FieldChange {
            field: "title".into(),
            old: None,
            new: Some(awkward.into()),
        }];
        let changes_json = serde_json::to_string(&changes[..]).unwrap();
        for (note, undo_of, form, uid, login, parent) in [
            (None, None, 1, None, None, None),
            (Some(awkward), Some(7), 1, None, None, None),
            (Some(""), None, 2, Some(1000), Some("lan"), Some(3)),
            (None, Some(-1), 2, None, Some(awkward), None),
            (Some("x"), None, 2, Some(i64::MAX), None, Some(i64::MIN)),
        ] {
            let e = NewEntry {
                user: awkward,
                entity: "task",
                entity_id: "12",
                action: "create",
                changes: &changes,
                note,
                undo_of,
            };
            let o = Origin {
                form,
                uid,
                login,
                parent,
            };
            for id in [0, 1, 100_340, -5] {
                assert_eq!(
                    canonical(id, "2026-12-02T05:00:00.000Z", &e, &changes_json, &o),
                    canonical_through_value(id, "2026-12-02T05:00:00.000Z", &e, &changes_json, &o)
                );
            }
        }
    }

    #[test]
    fn entries_of_both_forms_verify_and_a_form_cannot_go_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn =
            Db::Sqlite(rusqlite::Connection::open(dir.path().join("forms.sqlite3")).unwrap());
        super::super::schema::migrate(&mut conn, |_| Ok(())).unwrap();
        let tx = conn.transaction().unwrap();
        let h1 = append_form_1(&tx, 1, GENESIS, "lan");
        let e = NewEntry {
            user: "lan",
            entity: "task",
            entity_id: "1",
            action: "update",
            changes: &[],
            note: None,
            undo_of: None,
        };
        assert_eq!(append(&tx, e).unwrap(), 2);
        tx.commit().unwrap();
        assert_eq!(verify_chain_of(&conn).unwrap(), None, "form 1 then form 2");
        let (uid, login, form): (i64, String, i64) = conn
            .query_row(
                "SELECT uid, login, form FROM change_log WHERE id = 2",
                (),
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let os = crate::context::os_user();
        assert_eq!(
            (uid, login.as_str(), form),
            (i64::from(os.uid), os.login.as_str(), FORM)
        );
        // A form 1 entry after a form 2 one is refused even with a correct hash: it would
        // escape the identity the newer form covers.
        let prev: String = conn
            .query_row("SELECT hash FROM change_log WHERE id = 2", (), |r| r.get(0))
            .unwrap();
        let tx = conn.transaction().unwrap();
        append_form_1(&tx, 3, &prev, "lan");
        tx.commit().unwrap();
        assert_eq!(verify_chain_of(&conn).unwrap(), Some(3));
        assert_ne!(h1, prev);
    }
}
