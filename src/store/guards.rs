//! What keeps the change log from being rewritten unseen, beside the chain itself: the
//! append-only triggers, checked by their exact text, and heads pinned outside the file.

use crate::store::engine::Db;
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::Store;
use crate::error::Result;

/// The triggers that keep the change log append-only, exactly as migration 1 created them.
pub(super) const TRIGGERS: [(&str, &str); 2] = [
    (
        "change_log_no_update",
        "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log\nBEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END",
    ),
    (
        "change_log_no_delete",
        "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log\nBEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END",
    ),
];

/// What is wrong with the append-only triggers, compared by their exact text; empty when they
/// are exactly as cchc made them and no other trigger exists.
pub(super) fn trigger_problems(conn: &Db) -> Result<Vec<String>> {
    if conn.is_postgres() {
        return super::schema::postgres::trigger_problems(conn);
    }
    let mut problems = Vec::new();
    let tally = super::schema::tally_triggers();
    let expected = || {
        TRIGGERS
            .iter()
            .chain(&tally)
            .chain(&super::search_index::TRIGGERS)
    };
    for &(name, want) in expected() {
        let sql: Option<Option<String>> = conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        match sql.flatten() {
            None => problems.push(format!("trigger {name} is missing")),
            Some(sql) if sql != want => problems.push(format!(
                "trigger {name} was recreated as {:?}",
                crate::untrusted::line(&sql)
            )),
            Some(_) => {}
        }
    }
    let mut stmt =
        conn.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")?;
    let names = stmt
        .query_map((), |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for name in names {
        if expected().any(|&(n, _)| n == name) {
            continue;
        }
        problems.push(format!(
            "trigger {} is not cchc's",
            crate::untrusted::line(&name)
        ));
    }
    Ok(problems)
}

/// Whether a head pinned in the minutes or beside a backup is still in the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum HeadCheck {
    /// Entry `id` still has the pinned hash (and the chain up to it verifies).
    Present,
    /// The log ends before the pinned entry: its tail was cut off.
    Truncated { last: i64 },
    /// The entry is there with another hash: history up to it was rewritten and re-chained.
    Rewritten { found: String },
}

impl Store {
    /// The append-only triggers' problems (empty when they are exactly cchc's).
    pub fn trigger_problems(&self) -> Result<Vec<String>> {
        trigger_problems(&self.conn)
    }

    /// Checks a pinned head `id:hash` against the log.
    pub fn check_head(&self, id: i64, hash: &str) -> Result<HeadCheck> {
        let found: Option<String> = self
            .conn
            .prepare("SELECT hash FROM change_log WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(match found {
            Some(h)
                if hash.trim().len() >= MIN_PIN_DIGITS
                    && h.starts_with(&hash.trim().to_ascii_lowercase()) =>
            {
                HeadCheck::Present
            }
            Some(found) => HeadCheck::Rewritten { found },
            None => HeadCheck::Truncated {
                last: self.head_hash()?.map(|(id, _)| id).unwrap_or(0),
            },
        })
    }
}

/// The shortest hash prefix accepted as a pin: the meeting overview shows 16 hex digits, and
/// rewriting history so that entry N keeps a 64-bit prefix is out of reach.
const MIN_PIN_DIGITS: usize = 16;

/// Parses a pinned head as `cchc backup`, `log --verify` and the meeting overview write it:
/// "N:HASH", "#N: HASH" or "#N: `HASH`"; HASH may be cut to its first 16 hex digits.
pub fn parse_head(s: &str) -> std::result::Result<(i64, String), String> {
    let bad = || {
        format!(
            "{s:?} is not a head; write it as ENTRY:HASH, e.g. 42:3f9a0c… (from `cchc backup`, `cchc log --verify` or the meeting overview; at least {MIN_PIN_DIGITS} hex digits)"
        )
    };
    let (id, hash) = s.trim().split_once(':').ok_or_else(bad)?;
    let id: i64 = id
        .trim()
        .trim_start_matches('#')
        .parse()
        .map_err(|_| bad())?;
    let hash = hash.trim().trim_matches('`');
    if id < 1
        || !(MIN_PIN_DIGITS..=64).contains(&hash.len())
        || !hash.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Err(bad());
    }
    Ok((id, hash.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_in_every_form_they_are_written() {
        let full = "3d2908a57365b4442d010d681cf71cb2fbd241dd330d03f5e1c5c854373fe5e7";
        assert_eq!(parse_head(&format!("6:{full}")), Ok((6, full.to_string())));
        assert_eq!(
            parse_head("#6: 3D2908A57365B444"),
            Ok((6, "3d2908a57365b444".to_string()))
        );
        assert_eq!(parse_head(&format!("#6: `{full}`")), Ok((6, full.into())));
        for bad in [
            "",
            "6",
            "6:xyz",
            "0:3d2908a57365b444",
            "6:3d2908a5",
            "x:3d2908a57365b444",
        ] {
            assert!(parse_head(bad).is_err(), "{bad:?}");
        }
    }
}
