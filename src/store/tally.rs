//! The navigation pane's counts (issue 11): per area and lead agency, how many tasks are
//! listed, overdue and done. Two ways in, both kept by the triggers of the tally's migration
//! in the same transaction as every write, whoever writes (cchc, an import, the sqlite3
//! shell):
//! - `task_tally`, per (area, agency, due month), summed whole at start (28,000 rows at
//!   100,000 tasks, 11 ms);
//! - `task_tally_moves`, each change of a count as it happened, so a reader that holds the
//!   counts takes in another member's write by reading a few rows.

use chrono::{Datelike, NaiveDate};

use super::Store;
use super::list::date;
use crate::error::Result;

/// Tasks of one area led by one agency: how many are listed, how many are overdue on the day
/// asked for, how many are done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyRow {
    pub area: String,
    pub agency: String,
    pub total: usize,
    pub overdue: usize,
    pub done: usize,
}

/// What one write did to the counts of one (area, agency): a task entering its listed tasks
/// (+1) or leaving them (-1), and of that, the change to the overdue (on the day asked for)
/// and done counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyMove {
    pub area: String,
    pub agency: String,
    pub total: i64,
    pub overdue: i64,
    pub done: i64,
}

impl Store {
    /// The listed tasks per area and lead agency: total, overdue on `today`, done. From the
    /// tally (whole months) and, for the current month, the open tasks due before today.
    pub fn tally(&self, today: NaiveDate) -> Result<Vec<TallyRow>> {
        let month_start = today.with_day(1).unwrap_or(today);
        let month = format!("{:04}-{:02}", today.year(), today.month());
        let mut rows: std::collections::BTreeMap<(String, String), TallyRow> =
            std::collections::BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT area, lead_agency, sum(listed), sum(CASE WHEN month < ?1 THEN listed - done ELSE 0 END), sum(done)
             FROM task_tally GROUP BY area, lead_agency",
        )?;
        let read = stmt.query_map([&month], |r| {
            Ok(TallyRow {
                area: r.get(0)?,
                agency: r.get(1)?,
                total: r.get::<_, i64>(2)? as usize,
                overdue: r.get::<_, i64>(3)? as usize,
                done: r.get::<_, i64>(4)? as usize,
            })
        })?;
        for row in read {
            let row = row?;
            if row.total > 0 {
                rows.insert((row.area.clone(), row.agency.clone()), row);
            }
        }
        let mut stmt = self.conn.prepare_cached(
            // Named: SQLite's own choice, the listed tasks' index, reads every row of the
            // month (120 ms at a million tasks against 19 ms).
            "SELECT area, lead_agency, count(*) FROM tasks INDEXED BY tasks_open_by_due
             WHERE status <> 'done' AND withdrawn_on IS NULL AND due >= ?1 AND due < ?2
             GROUP BY area, lead_agency",
        )?;
        let current = stmt.query_map([date(month_start), date(today)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in current {
            let (area, agency, n) = row?;
            if let Some(r) = rows.get_mut(&(area, agency)) {
                r.overdue += n as usize;
            }
        }
        Ok(rows.into_values().collect())
    }

    /// `tally`, and the mark of the last move it includes (for `tally_moves_since`), read
    /// from one snapshot of the file, so no write is counted twice or missed.
    pub fn tally_marked(&self, today: NaiveDate) -> Result<(Vec<TallyRow>, i64)> {
        // A read transaction: both statements see the same commit. Nothing is written, so
        // it ends by rolling back, which cannot fail on a busy file.
        let snapshot = self.conn.unchecked_transaction()?;
        let mark = self.tally_generation()?;
        let rows = self.tally(today)?;
        drop(snapshot);
        Ok((rows, mark))
    }

    /// The changes to the counts since the move `mark` (as `tally_marked` or this returned
    /// it), overdue counted on `today`, and the new mark. `None` when some of them are no
    /// longer kept (only the newest 4,096 are) or the moves do not follow on from `mark`
    /// (another file, or rows deleted by hand): then sum the tally again.
    pub fn tally_moves_since(
        &self,
        mark: i64,
        today: NaiveDate,
    ) -> Result<Option<(Vec<TallyMove>, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, area, lead_agency, listed, CASE WHEN due < ?2 THEN listed - done ELSE 0 END, done
             FROM task_tally_moves WHERE id >= ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map(rusqlite::params![mark, date(today)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                TallyMove {
                    area: r.get(1)?,
                    agency: r.get(2)?,
                    total: r.get(3)?,
                    overdue: r.get(4)?,
                    done: r.get(5)?,
                },
            ))
        })?;
        let mut moves = Vec::new();
        // The last move seen must still be there (unless none was: a file never written),
        // and every id after it, one by one.
        let mut last = if mark > 0 { None } else { Some(0) };
        for row in rows {
            let (id, m) = row?;
            match last {
                None if id == mark => {}
                Some(prev) if id == prev + 1 => moves.push(m),
                _ => return Ok(None),
            }
            last = Some(id);
        }
        Ok(last.map(|last| (moves, last)))
    }

    /// A number that changes whenever a write could have changed a count of `tally` (a task
    /// added, removed, or its area, agency, due date, status or withdrawal changed): the
    /// last move's id.
    pub fn tally_generation(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(id), 0) FROM task_tally_moves",
            (),
            |r| r.get(0),
        )?)
    }
}
