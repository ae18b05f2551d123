//! The bulk path of a large import. Row by row, each task written fires the triggers of the
//! tally (an upsert into `task_tally` and a move appended to `task_tally_moves`, which another
//! trigger prunes) and of the search index (a stale mark): four statements and their B-tree
//! work per task, and the statement journal SQLite keeps for a statement whose triggers may
//! fail half-way. On the bulk path those triggers are dropped inside the import's transaction
//! and this does their work once at its end: the tally's counts added per group, the moves
//! that survive the prune written with the ids they would have had, the new tasks marked
//! stale by one statement (`Store::write` then indexes them, as after any write). The triggers
//! are created again, with the very text the migrations gave them (`doctor` compares it),
//! before the transaction commits; a failure rolls the drop back with everything else. Other
//! members never see the file without them.
//!
//! The result is the row-by-row result, row for row (`tests`), for a tally that agreed with
//! the tasks before the import (what `doctor` checks).

use std::collections::{HashMap, VecDeque};

use chrono::{Datelike, NaiveDate};

use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::model::{NewTask, Status, Task};
use crate::store::engine::Tx;
use crate::store::{schema, search_index};

/// The triggers the bulk path does the work of (a task is never deleted by an import, so the
/// tally's delete trigger stays).
const SET_ASIDE: [&str; 5] = [
    "task_tally_insert",
    "task_tally_update",
    "task_tally_moves_prune",
    "task_search_task_insert",
    "task_search_task_update",
];

/// The indexes only the TUI's list reads (migration 7) and the incremental reload's: a large
/// import into a small file drops them and builds them again at the end, which sorts each
/// once instead of inserting a million keys at random places of a tree larger than the cache.
/// The import's own lookups (`tasks_by_plan_ref`, `tasks_by_lead`) stay.
const REBUILT: [&str; 6] = [
    "tasks_listed_by_due",
    "tasks_listed_by_area",
    "tasks_open_by_due",
    "tasks_done_late_by_due",
    "tasks_done_on_time_by_due",
    "tasks_by_change",
];

/// The page cache (and so the sorter's memory) while the indexes are built, in KiB.
const SORT_CACHE_KIB: i64 = -4_096;

/// How many moves the prune trigger keeps (schema migration 9).
const MOVES_KEPT: usize = 4_096;

/// One change of a count, as the tally's triggers append it to `task_tally_moves`; the area
/// and agency by their number in `Bulk::codes`.
struct Move {
    area: u32,
    agency: u32,
    due: NaiveDate,
    listed: i64,
    done: i64,
}

/// A group of the tally: area and agency (by their number in `Codes`), due year and month.
type Group = (u32, u32, i32, u32);
/// What a group gained: listed and done tasks, and whether one entered it.
type GroupChange = (i64, i64, bool);

/// What the set-aside triggers would have done since the import turned to this path.
pub(super) struct Bulk {
    /// Tasks created from this id on are marked stale at the end.
    first_created: i64,
    /// The moves' last id when the path began.
    moves_base: i64,
    /// How many moves were made, and the last `MOVES_KEPT` of them.
    moves_made: i64,
    moves: VecDeque<Move>,
    /// Per (area, agency, due year and month): listed and done added, and whether a task
    /// entered the group (the trigger's upsert then makes its row if it has none). Tens of
    /// thousands of groups at a million tasks: codes are numbered (`codes`), not copied.
    tally: HashMap<Group, GroupChange>,
    codes: Codes,
    /// The indexes dropped, with the text that creates them, to build again at the end.
    dropped: Vec<String>,
}

impl Bulk {
    /// Drops the triggers (and, with `rebuild`, the list's indexes) and begins counting;
    /// tasks from `first_created` on are this path's.
    pub(super) fn start(tx: &Tx, first_created: i64, rebuild: bool) -> Result<Bulk> {
        for name in SET_ASIDE {
            // Fixed names, never input.
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {name}"))?;
        }
        let mut dropped = Vec::new();
        if rebuild {
            for name in REBUILT {
                let sql: Option<String> = tx
                    .query_row(
                        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
                        [name],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(sql) = sql {
                    tx.execute_batch(&format!("DROP INDEX {name}"))?;
                    dropped.push(sql);
                }
            }
        }
        Ok(Bulk {
            first_created,
            moves_base: tx.query_row(
                "SELECT coalesce(max(id), 0) FROM task_tally_moves",
                (),
                |r| r.get(0),
            )?,
            moves_made: 0,
            moves: VecDeque::with_capacity(MOVES_KEPT),
            tally: HashMap::new(),
            codes: Codes::default(),
            dropped,
        })
    }

    /// A task created (never withdrawn).
    pub(super) fn created(&mut self, t: &NewTask) {
        self.enter(&t.area, &t.lead_agency, t.due, t.status);
    }

    /// A task changed from `old` to `new` (withdrawn or not, which an import does not change).
    pub(super) fn changed(
        &mut self,
        tx: &Tx,
        old: &Task,
        withdrawn: bool,
        new: &Task,
    ) -> Result<()> {
        // `task_search_task_update` fires on an update of the title, lead agency or output,
        // which an import's update always sets.
        tx.prepare_cached("INSERT OR IGNORE INTO task_search_stale VALUES (?1)")?
            .execute([old.id])?;
        // `task_tally_update`: when a counted column changed, the old group loses the task
        // and the new one gains it, unless the task is withdrawn.
        let counted = old.area != new.area
            || old.lead_agency != new.lead_agency
            || old.due != new.due
            || old.status != new.status;
        if counted && !withdrawn {
            self.leave(&old.area, &old.lead_agency, old.due, old.status);
            self.enter(&new.area, &new.lead_agency, new.due, new.status);
        }
        Ok(())
    }

    fn enter(&mut self, area: &str, agency: &str, due: NaiveDate, status: Status) {
        self.count(area, agency, due, status, 1);
    }

    fn leave(&mut self, area: &str, agency: &str, due: NaiveDate, status: Status) {
        self.count(area, agency, due, status, -1);
    }

    /// A task entering (`sign` 1) or leaving (-1) its tally group.
    fn count(&mut self, area: &str, agency: &str, due: NaiveDate, status: Status, sign: i64) {
        let done = sign * i64::from(status == Status::Done);
        let (area, agency) = (self.codes.number(area), self.codes.number(agency));
        let group = self
            .tally
            .entry((area, agency, due.year(), due.month()))
            .or_default();
        group.0 += sign;
        group.1 += done;
        // A group a task entered gets its row (the insert trigger's upsert).
        group.2 |= sign > 0;
        self.moved(area, agency, due, sign, done);
    }

    fn moved(&mut self, area: u32, agency: u32, due: NaiveDate, listed: i64, done: i64) {
        self.moves_made += 1;
        if self.moves.len() == MOVES_KEPT {
            self.moves.pop_front();
        }
        self.moves.push_back(Move {
            area,
            agency,
            due,
            listed,
            done,
        });
    }

    /// Does the set-aside triggers' work and creates them again.
    pub(super) fn finish(self, tx: &Tx) -> Result<()> {
        // The tally: each group's counts moved by what entered and left it; a group a task
        // entered gets its row if it had none (the insert trigger's upsert).
        for (&(area, agency, year, month), &(listed, done, entered)) in &self.tally {
            let (area, agency) = (self.codes.name(area), self.codes.name(agency));
            // As the triggers write it: `substr(due, 1, 7)`.
            let month = format!("{year:04}-{month:02}");
            let changed = tx
                .prepare_cached(
                    "UPDATE task_tally SET listed = listed + ?4, done = done + ?5
                     WHERE area = ?1 AND lead_agency = ?2 AND month = ?3",
                )?
                .execute(rusqlite::params![area, agency, month, listed, done])?;
            if changed == 0 && entered {
                tx.prepare_cached(
                    "INSERT INTO task_tally (area, lead_agency, month, listed, done)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(rusqlite::params![area, agency, month, listed, done])?;
            }
        }
        // The moves the prune trigger would have kept, with the ids they would have had.
        let last = self.moves_base + self.moves_made;
        let first_kept = last - self.moves.len() as i64 + 1;
        for (i, m) in self.moves.iter().enumerate() {
            tx.prepare_cached(
                "INSERT INTO task_tally_moves (id, area, lead_agency, due, listed, done)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(rusqlite::params![
                first_kept + i as i64,
                self.codes.name(m.area),
                self.codes.name(m.agency),
                m.due,
                m.listed,
                m.done
            ])?;
        }
        if self.moves_made > 0 {
            tx.prepare_cached("DELETE FROM task_tally_moves WHERE id <= ?1")?
                .execute([last - MOVES_KEPT as i64])?;
        }
        // The new tasks, for `Store::write` to index with the others marked.
        tx.prepare_cached(
            "INSERT OR IGNORE INTO task_search_stale SELECT id FROM tasks WHERE id >= ?1",
        )?
        .execute([self.first_created])?;
        // The indexes, exactly as they were made. SQLite's sorter may take as much memory as
        // the page cache is given: both are kept small meanwhile.
        if !self.dropped.is_empty() {
            let cache: i64 = tx.query_row("PRAGMA cache_size", (), |r| r.get(0))?;
            tx.pragma_update(None, "cache_size", SORT_CACHE_KIB)?;
            for sql in &self.dropped {
                tx.execute_batch(sql)?;
            }
            tx.pragma_update(None, "cache_size", cache)?;
        }
        for (name, text) in schema::tally_triggers()
            .into_iter()
            .chain(search_index::TRIGGERS)
        {
            if SET_ASIDE.contains(&name) {
                tx.execute_batch(text)?;
            }
        }
        Ok(())
    }
}

/// Area and agency codes numbered in the order first seen.
#[derive(Default)]
struct Codes {
    numbers: HashMap<String, u32>,
    names: Vec<String>,
}

impl Codes {
    fn number(&mut self, code: &str) -> u32 {
        if let Some(n) = self.numbers.get(code) {
            return *n;
        }
        let n = self.names.len() as u32;
        self.names.push(code.to_string());
        self.numbers.insert(code.to_string(), n);
        n
    }

    fn name(&self, n: u32) -> &str {
        &self.names[n as usize]
    }
}
