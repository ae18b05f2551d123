//! `Store::import`: tasks and measurements from a file, all or nothing, in one transaction with
//! their change-log entries. The rows come as a stream ([`ImportItem`]s, in the file's order)
//! and are checked and written as they come, so a million rows take the memory of a few
//! hundred; a bad row anywhere undoes everything (every bad row is named first).
//!
//! Each row is looked up, checked and written at once (new tasks a few hundred per statement),
//! so a later row of the same file that names the same task finds it written and is refused.
//! The change log follows the rows: one entry for the import, holding its counts, then one per
//! task it created or changed, in the rows' order, each linked to the import's entry. The
//! import's entry comes first in the chain but its counts are known only at the end, so the
//! tasks' entries are sealed at the end too, from the tasks as written (a creation) or from
//! the changes kept aside meanwhile (an update).
//!
//! Past [`BULK_AFTER`] writes an import turns to the bulk path ([`bulk`]): the triggers that
//! keep the tally, its moves and the search marks per row are set aside for the transaction and
//! their work is done once at its end, with exactly the same result (`tests` compares the two
//! paths row for row, change log included).

mod bulk;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::batch;
use super::engine::Tx;
use super::log::{self, NewEntry};
use super::members::Permissions;
use super::reads::{TASK_COLUMNS, task_from_row};
use super::writes::{
    BY_PLAN_REF, KnownCodes, NewMeasurement, check_hand_date, creation_changes, file_id,
    insert_measurement, measurement_changes, normalise, store_task, validate_known,
};
use crate::error::{Error, Result};
use crate::model::{Agency, FieldChange, NewTask, RowError, Task};
use crate::progress::{Progress, Work};
use crate::text::{fold, nfc};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub measurements: usize,
    pub agencies: usize,
}

/// One thing an import file holds, in the file's order.
#[derive(Debug, Clone)]
pub enum ImportItem {
    /// An agency to create (`--create-agencies`), before the first row that names it.
    Agency(Agency),
    /// A task row and its row number (as the file's reader counts them).
    Task(usize, NewTask),
    /// An indicator measurement (an export's).
    Measurement(NewMeasurement),
    /// A row the file's reader could not read: named with the store's own refusals.
    Bad(RowError),
}

/// How an import runs.
pub struct ImportOptions<'a> {
    /// What the import's change-log entry names (the file's name).
    pub source: &'a str,
    /// Check everything the import would, then write nothing.
    pub dry_run: bool,
    /// Told how many of the import's change-log entries are written (the last step).
    pub progress: &'a dyn Progress,
    /// About how many rows the file holds, when known: an import of at least as many rows as
    /// the file has tasks builds the list's indexes again at the end rather than row by row.
    pub expected_rows: Option<usize>,
}

/// How many tasks an import creates or changes row by row (each write's triggers keeping the
/// tally, its moves and the search marks) before it turns to the bulk path.
const BULK_AFTER: usize = 2_000;

/// How many bad rows an import names; the rest are counted.
pub const MAX_BAD_ROWS: usize = 1_000;

impl Store {
    /// Imports tasks and measurements all or nothing: see [`Store::import_items`]. The rows
    /// are numbered from 1 in the order given.
    pub fn import(
        &mut self,
        new_agencies: &[Agency],
        tasks: &[NewTask],
        measurements: &[NewMeasurement],
        source: &str,
    ) -> Result<ImportSummary> {
        let mut items = new_agencies
            .iter()
            .cloned()
            .map(ImportItem::Agency)
            .chain(
                tasks
                    .iter()
                    .enumerate()
                    .map(|(i, t)| ImportItem::Task(i + 1, t.clone())),
            )
            .chain(measurements.iter().cloned().map(ImportItem::Measurement));
        self.import_items(
            &mut items,
            &ImportOptions {
                source,
                dry_run: false,
                progress: &crate::progress::Silent,
                expected_rows: Some(tasks.len()),
            },
        )
    }

    /// Imports what `items` holds, all or nothing, in one transaction: one change-log entry
    /// for the import, then one per task it creates (every field) or changes (old -> new) and
    /// one per measurement, each linked to the import's entry by `parent`. A task whose
    /// `plan_ref` already exists is updated in place (so an export imported into a freshly
    /// seeded file reproduces it); a row without one is the listed task with the same area,
    /// lead agency, title and due date, if there is one. Two rows naming one task, and every
    /// other bad row, are refused with [`Error::BadRows`] and nothing is written. An identical
    /// measurement is not recorded twice.
    pub fn import_items(
        &mut self,
        items: &mut dyn Iterator<Item = ImportItem>,
        opts: &ImportOptions,
    ) -> Result<ImportSummary> {
        self.import_items_with(items, opts, BULK_AFTER)
    }

    /// `bulk_after`: how many writes before the bulk path (tests try every place).
    fn import_items_with(
        &mut self,
        items: &mut dyn Iterator<Item = ImportItem>,
        opts: &ImportOptions,
        bulk_after: usize,
    ) -> Result<ImportSummary> {
        // A large import touches far more pages than SQLite's default 2 MB cache holds;
        // spilling them to the WAL mid-transaction and reading them back cost a third of it.
        self.conn
            .pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
        // Every reference a row makes is checked against the codes read at the start (and the
        // change log's to its own entries are ours): SQLite's own check would only add, per
        // statement, the journal that lets it undo a statement half-way (see `batch`).
        let enforced: bool = self
            .conn
            .query_row("PRAGMA foreign_keys", (), |r| r.get(0))
            .unwrap_or(false);
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let user = self.user.clone();
        let clock = crate::context::clock_today();
        let result = self.write_then(!opts.dry_run, |tx| {
            let mut run = Run::start(tx, &user, clock, bulk_after)?;
            run.rebuild_indexes = opts
                .expected_rows
                .is_some_and(|rows| rows as i64 >= run.first_new);
            for item in items {
                run.take(item)?;
            }
            run.finish(opts)
        });
        let restored = self
            .conn
            .pragma_update(None, "cache_size", DEFAULT_CACHE_KIB)
            .and(self.conn.pragma_update(None, "foreign_keys", enforced));
        let summary = result?;
        restored?;
        Ok(summary)
    }
}

/// One import under way, inside its transaction.
struct Run<'a> {
    tx: &'a Tx<'a>,
    user: &'a str,
    perms: Permissions,
    clock: NaiveDate,
    /// The import's own change-log entry: the next id (the write lock is ours). The entries
    /// of its tasks follow it, one per task created or changed.
    seq: i64,
    file_id: String,
    known: KnownCodes,
    /// The first id a created task gets: the next after the largest (the write lock is ours).
    first_new: i64,
    next_task: i64,
    /// Task rows read, counted from 0 (for the references of rows that give none).
    rows_read: usize,
    /// Tasks created or changed so far: their entries are `seq + 1 ..= seq + writes`.
    writes: i64,
    summary: ImportSummary,
    bad: Vec<RowError>,
    more_bad: usize,
    /// Which row first named each task this import touched.
    rows: RowsSeen,
    /// New tasks not yet written, at most `batch::ROWS`.
    batch: NewBatch,
    /// What each change did, for its change-log entry at the end.
    changes: ChangeStash,
    measurements: Vec<NewMeasurement>,
    /// Set once the import turned to the bulk path.
    bulk: Option<bulk::Bulk>,
    bulk_after: usize,
    /// Whether the bulk path builds the list's indexes again at the end.
    rebuild_indexes: bool,
    /// The transaction's instant: `updated_at` of the created tasks and every entry's time.
    at: String,
    /// The agencies it added, for their entries under the import's.
    new_agencies: Vec<Agency>,
}

impl<'a> Run<'a> {
    fn start(tx: &'a Tx<'a>, user: &'a str, clock: NaiveDate, bulk_after: usize) -> Result<Self> {
        let first_new: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM tasks", (), |r| {
                r.get(0)
            })?;
        Ok(Run {
            perms: Permissions::load(tx, user)?,
            seq: log::next_id(tx)?,
            file_id: file_id(tx)?,
            known: KnownCodes::load(tx)?,
            first_new,
            next_task: first_new,
            rows_read: 0,
            writes: 0,
            summary: ImportSummary::default(),
            bad: Vec::new(),
            more_bad: 0,
            rows: RowsSeen::new(),
            batch: NewBatch::default(),
            changes: ChangeStash::new(tx)?,
            measurements: Vec::new(),
            bulk: None,
            bulk_after,
            rebuild_indexes: false,
            at: log::stamp(tx)?,
            new_agencies: Vec::new(),
            tx,
            user,
            clock,
        })
    }

    fn take(&mut self, item: ImportItem) -> Result<()> {
        match item {
            ImportItem::Agency(a) => self.agency(a),
            ImportItem::Task(row, t) => {
                let n = self.rows_read;
                self.rows_read += 1;
                self.task(row, n, t)
            }
            ImportItem::Measurement(m) => self.measurement(m),
            ImportItem::Bad(e) => {
                self.refuse(e);
                Ok(())
            }
        }
    }

    fn refuse(&mut self, e: RowError) {
        if self.bad.len() < MAX_BAD_ROWS {
            self.bad.push(e);
        } else {
            self.more_bad += 1;
        }
    }

    /// A row's refusal: a check that failed (the row's fault) is named with its row; anything
    /// else (the database, a permission) ends the import.
    fn refuse_row(&mut self, row: usize, e: Error) -> Result<()> {
        match e {
            Error::Invalid(reason) => {
                self.refuse(RowError { row, reason });
                Ok(())
            }
            other => Err(other),
        }
    }

    fn agency(&mut self, a: Agency) -> Result<()> {
        self.perms.require_new_agencies(std::slice::from_ref(&a))?;
        self.tx
            .prepare_cached(
                "INSERT INTO agencies (code, name, kind, position, added_by)
                 VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM agencies), ?4)",
            )?
            .execute(params![a.code, a.name, a.kind.as_str(), self.user])?;
        self.known.add_agency(&a.code);
        self.summary.agencies += 1;
        self.new_agencies.push(a);
        Ok(())
    }

    fn measurement(&mut self, m: NewMeasurement) -> Result<()> {
        // Nobody measures in the future: a date after the clock's is refused.
        check_hand_date("measurement date", m.measured_on, self.clock)?;
        let dup = self
            .tx
            .prepare_cached(
                "SELECT 1 FROM measurements WHERE indicator = ?1 AND measured_on = ?2 AND value = ?3 AND source = ?4",
            )?
            .query_row(
                params![m.indicator, m.measured_on, m.value, nfc(&m.source)],
                |_| Ok(()),
            )
            .optional()?;
        if dup.is_none() {
            self.perms.require_measurement(self.tx, &m.indicator)?;
            self.summary.measurements += 1;
            self.measurements.push(m);
        }
        Ok(())
    }

    /// Row `row`, the `n`-th task row of the file (from 0).
    fn task(&mut self, row: usize, n: usize, t: NewTask) -> Result<()> {
        let mut t = normalise(&t);
        // A spreadsheet may carry old dates (given by hand when first written), but none after
        // the real date: nobody completes work in the future.
        if let Some(date) = t.completed_on
            && let Err(e) = check_hand_date("completion date", date, self.clock)
        {
            return self.refuse_row(row, e);
        }
        let existing = if t.plan_ref.is_empty() {
            // A row without a plan reference is the listed task with its area, lead agency,
            // title and due date, if there is one: the same file imported twice adds nothing.
            match self.same_task(row, &t)? {
                Ok(found) => found,
                Err(reason) => return self.refuse_row(row, Error::Invalid(reason)),
            }
        } else {
            if let Some(first) = self.batch.row_of_reference(&t.plan_ref) {
                return self.refuse_row(row, same_reference(&t.plan_ref, first, row));
            }
            let found = self
                .tx
                .prepare_cached(&format!(
                    "SELECT {TASK_COLUMNS}, withdrawn_on IS NOT NULL FROM tasks WHERE {BY_PLAN_REF}"
                ))?
                .query_row([&t.plan_ref], found_from_row)
                .optional()?;
            if let Some(first) = found.as_ref().and_then(|f| self.rows.first(f.task.id)) {
                return self.refuse_row(row, same_reference(&t.plan_ref, first, row));
            }
            found
        };
        if t.plan_ref.is_empty() {
            t.plan_ref = match &existing {
                Some(old) => old.task.plan_ref.clone(),
                None => format!("{}-{}-{n}", self.file_id, self.seq),
            };
        }
        if let Err(e) = validate_known(&t, &self.known) {
            return self.refuse_row(row, e);
        }
        match existing {
            None => {
                self.perms.require_new_task(&t)?;
                self.summary.created += 1;
                self.create(row, t)
            }
            Some(old) => {
                let new = Task {
                    area: t.area.clone(),
                    lead_agency: t.lead_agency.clone(),
                    coordinating: t.coordinating.clone(),
                    title: t.title.clone(),
                    output: t.output.clone(),
                    due: t.due,
                    status: t.status,
                    progress: t.progress,
                    completed_on: t.completed_on,
                    ..old.task.clone()
                };
                self.rows.mark(old.task.id, row);
                let changes = crate::model::diff_tasks(&old.task, &new);
                if changes.is_empty() {
                    self.summary.unchanged += 1;
                    return Ok(());
                }
                self.perms.require_task_change(&old.task, &new)?;
                self.summary.updated += 1;
                self.change(old, new, changes)
            }
        }
    }

    /// The listed task a row without a plan reference names (same area, lead agency, title
    /// and due date), or `Err` with why the row is refused: two such tasks in the file, which
    /// cannot be told apart, or an earlier row of this file naming the same task (titles
    /// compared regardless of case and diacritics, as two people would read them).
    fn same_task(&mut self, row: usize, t: &NewTask) -> Result<Result<Option<Found>, String>> {
        let title = fold(&t.title);
        if let Some(first) = self.batch.row_of_unnamed(t) {
            return Ok(Err(same_unnamed(first, row)));
        }
        let mut exact = Vec::new();
        {
            let mut stmt = self
                .tx
                .prepare_cached(&format!("SELECT id, title FROM tasks WHERE {SAME_TASK}"))?;
            let mut rows = stmt.query(params![t.lead_agency, t.due, t.area])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let candidate = r.get_ref(1)?.as_str().unwrap_or("");
                if candidate == t.title {
                    exact.push(id);
                }
                if fold(candidate) == title
                    && let Some(first) = self.rows.first(id)
                {
                    return Ok(Err(same_unnamed(first, row)));
                }
            }
        }
        match exact.as_slice() {
            [] => Ok(Ok(None)),
            [id] => {
                let found = self
                    .tx
                    .prepare_cached(&format!(
                        "SELECT {TASK_COLUMNS}, withdrawn_on IS NOT NULL FROM tasks WHERE id = ?1"
                    ))?
                    .query_row([id], found_from_row)?;
                Ok(Ok(Some(found)))
            }
            [a, b, ..] => Ok(Err(format!(
                "the task {:?} ({}, due {}) is both #{a} and #{b} in the file; give the row the plan_ref of the one it means",
                crate::untrusted::line(&t.title),
                t.lead_agency,
                t.due.format("%d/%m/%Y"),
            ))),
        }
    }

    fn create(&mut self, row: usize, t: NewTask) -> Result<()> {
        let id = self.next_task;
        self.next_task += 1;
        self.writes += 1;
        self.rows.mark(id, row);
        if let Some(b) = &mut self.bulk {
            b.created(&t);
        }
        self.batch.push(t, id, self.seq + self.writes, row);
        if self.batch.is_full() {
            self.flush()?;
        }
        self.maybe_go_bulk()
    }

    fn change(&mut self, old: Found, new: Task, changes: Vec<FieldChange>) -> Result<()> {
        // The tasks of earlier rows first: every path writes in the rows' order.
        self.flush()?;
        self.writes += 1;
        let entry = self.seq + self.writes;
        store_task(self.tx, &old.task, &new, self.user, entry)?;
        if let Some(b) = &mut self.bulk {
            b.changed(self.tx, &old.task, old.withdrawn, &new)?;
        }
        self.changes.push(self.tx, entry, old.task.id, &changes)?;
        self.maybe_go_bulk()
    }

    /// Writes the new tasks waiting, many rows per statement.
    fn flush(&mut self) -> Result<()> {
        if !self.batch.tasks.is_empty() {
            let bulk = self.bulk.is_some();
            insert_created(self.tx, &self.batch.tasks, self.user, &self.at, bulk)?;
            self.batch.clear();
        }
        Ok(())
    }

    fn maybe_go_bulk(&mut self) -> Result<()> {
        // PostgreSQL's triggers are its own (issue 23 rewrites that store); it goes row by row.
        if self.bulk.is_none() && self.writes as usize >= self.bulk_after && !self.tx.is_postgres()
        {
            self.flush()?;
            self.bulk = Some(bulk::Bulk::start(
                self.tx,
                self.next_task,
                self.rebuild_indexes,
            )?);
        }
        Ok(())
    }

    fn finish(mut self, opts: &ImportOptions) -> Result<ImportSummary> {
        self.flush()?;
        if !self.bad.is_empty() {
            return Err(Error::BadRows {
                rows: std::mem::take(&mut self.bad),
                more: self.more_bad,
            });
        }
        if opts.dry_run {
            return Ok(self.summary);
        }
        // What only the rows needed: the memory goes to the log and the indexes now.
        self.rows = RowsSeen::new();
        self.batch = NewBatch::default();
        let logged = log::append(
            self.tx,
            NewEntry {
                user: self.user,
                entity: "import",
                entity_id: opts.source,
                action: "import",
                changes: &self.summary.as_changes(),
                note: Some(&summary_note(&self.summary)),
                undo_of: None,
            },
        )?;
        debug_assert_eq!(logged, self.seq);
        let mut head = log::head(self.tx)?;
        self.task_entries(&mut head, opts.progress)?;
        // Each agency it added, under the import's entry, so the log alone rebuilds it.
        for a in std::mem::take(&mut self.new_agencies) {
            log::append_after(
                self.tx,
                NewEntry {
                    user: self.user,
                    entity: "agency",
                    entity_id: &a.code,
                    action: "add",
                    changes: &[
                        FieldChange {
                            field: "name".into(),
                            old: None,
                            new: Some(a.name.clone()),
                        },
                        FieldChange {
                            field: "kind".into(),
                            old: None,
                            new: Some(a.kind.as_str().to_string()),
                        },
                    ],
                    note: None,
                    undo_of: None,
                },
                Some(self.seq),
                &mut head,
            )?;
        }
        for m in std::mem::take(&mut self.measurements) {
            insert_measurement(self.tx, &m, self.user)?;
            log::append_after(
                self.tx,
                NewEntry {
                    user: self.user,
                    entity: "indicator",
                    entity_id: &m.indicator,
                    action: "measure",
                    changes: &measurement_changes(&m, None),
                    note: Some(nfc(&m.note)).as_deref().filter(|s| !s.is_empty()),
                    undo_of: None,
                },
                Some(self.seq),
                &mut head,
            )?;
        }
        if let Some(b) = self.bulk.take() {
            b.finish(self.tx)?;
        }
        Ok(self.summary)
    }

    /// The entries of the tasks created and changed, in the rows' order: a creation holds
    /// every field of the task as written (read back in id order), a change what was kept.
    fn task_entries(&mut self, head: &mut (i64, String), progress: &dyn Progress) -> Result<()> {
        progress.begin(Work::WriteRows, self.writes as u64);
        let mut created = self.tx.prepare(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE id >= ?1 ORDER BY id"
        ))?;
        let mut created = created.query([self.first_new])?;
        let mut kept = self.changes.reader(self.tx)?;
        let mut next_change = kept.next()?;
        let mut entries = Vec::with_capacity(batch::ROWS);
        for k in 1..=self.writes {
            if crate::progress::is_due(k as usize) {
                progress.set(k as u64);
            }
            let entry = self.seq + k;
            let (id, action, changes) = match next_change.take() {
                Some(c) if c.entry == entry => {
                    next_change = kept.next()?;
                    (c.task, IMPORT_UPDATE, c.changes)
                }
                other => {
                    next_change = other;
                    let row = created.next()?.ok_or_else(|| {
                        Error::invalid(
                            "the import's new tasks could not be read back; nothing was imported",
                        )
                    })?;
                    let task = task_from_row(&row)?;
                    (task.id, "create", creation_changes(&NewTask::from(&task)))
                }
            };
            let sealed = log::seal(
                NewEntry {
                    user: self.user,
                    entity: "task",
                    entity_id: &id.to_string(),
                    action,
                    changes: &changes,
                    note: None,
                    undo_of: None,
                },
                &self.at,
                Some(self.seq),
                head,
            );
            debug_assert_eq!(sealed.id, entry);
            entries.push(sealed);
            if entries.len() == batch::ROWS {
                log::write_sealed(self.tx, &entries)?;
                entries.clear();
            }
        }
        log::write_sealed(self.tx, &entries)?;
        progress.end();
        Ok(())
    }
}

/// An existing task a row names, and whether it is withdrawn (a task of the "UBND các xã,
/// phường" group taken over by the communes: kept, not listed).
struct Found {
    task: Task,
    withdrawn: bool,
}

fn found_from_row(r: &super::engine::Row) -> rusqlite::Result<Found> {
    Ok(Found {
        task: task_from_row(r)?,
        withdrawn: r.get(super::reads::TASK_COLUMN_COUNT)?,
    })
}

fn same_reference(reference: &str, first: usize, row: usize) -> Error {
    Error::Invalid(format!(
        "plan_ref {:?} is also on row {first}: rows {first} and {row} name the same task; keep one",
        crate::untrusted::line(reference)
    ))
}

fn same_unnamed(first: usize, row: usize) -> String {
    format!(
        "rows {first} and {row} name the same task (area, lead agency, title and due date) without a plan_ref; keep one"
    )
}

/// The listed tasks a row without a plan reference may name (through the lead agency's index);
/// the titles are compared by the caller.
pub(super) const SAME_TASK: &str =
    "lead_agency = ?1 AND due = ?2 AND area = ?3 AND withdrawn_on IS NULL ORDER BY id";

/// Which row first named each task an import touched (created, changed or found unchanged):
/// a later row naming the same task is refused, naming both. Ids are dense in practice, so a
/// vector indexed by id holds them in 4 bytes each; a stray large id goes to a map.
struct RowsSeen {
    dense: Vec<u32>,
    sparse: std::collections::HashMap<i64, usize>,
    /// Ids below this go to `dense`.
    limit: i64,
}

impl RowsSeen {
    fn new() -> Self {
        RowsSeen {
            dense: Vec::new(),
            sparse: Default::default(),
            // Ids into the millions, in 4 bytes each (at most 32 MB); a larger id is rare.
            limit: 8_000_000,
        }
    }

    fn mark(&mut self, id: i64, row: usize) {
        match (usize::try_from(id), u32::try_from(row)) {
            (Ok(i), Ok(r)) if id < self.limit && r > 0 => {
                if self.dense.len() <= i {
                    self.dense.resize(i + 1, 0);
                }
                self.dense[i] = r;
            }
            _ => {
                self.sparse.insert(id, row);
            }
        }
    }

    fn first(&self, id: i64) -> Option<usize> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.dense.get(i))
            .filter(|r| **r > 0)
            .map(|r| *r as usize)
            .or_else(|| self.sparse.get(&id).copied())
    }
}

/// New tasks waiting to be written together, with what a later row of the file is looked up
/// by (they are not in the table yet).
#[derive(Default)]
struct NewBatch {
    tasks: Vec<(NewTask, i64, i64)>,
    references: std::collections::HashMap<String, usize>,
    /// By (area, lead agency, folded title, due): made when a row without a plan reference
    /// asks (an export's rows all have one, and folding every title costs).
    unnamed: Option<std::collections::HashMap<(String, String, String, NaiveDate), usize>>,
    rows: Vec<usize>,
}

impl NewBatch {
    /// A task given its reference by the file (or by the import, for a row without one).
    fn push(&mut self, t: NewTask, id: i64, entry: i64, row: usize) {
        self.references.insert(t.plan_ref.clone(), row);
        if let Some(unnamed) = &mut self.unnamed {
            unnamed.insert(unnamed_key(&t), row);
        }
        self.rows.push(row);
        self.tasks.push((t, id, entry));
    }

    fn is_full(&self) -> bool {
        self.tasks.len() >= batch::ROWS
    }

    fn clear(&mut self) {
        self.tasks.clear();
        self.rows.clear();
        self.references.clear();
        self.unnamed = None;
    }

    fn row_of_reference(&self, reference: &str) -> Option<usize> {
        self.references.get(reference).copied()
    }

    fn row_of_unnamed(&mut self, t: &NewTask) -> Option<usize> {
        let tasks = &self.tasks;
        let rows = &self.rows;
        self.unnamed
            .get_or_insert_with(|| {
                tasks
                    .iter()
                    .zip(rows)
                    .map(|((t, _, _), row)| (unnamed_key(t), *row))
                    .collect()
            })
            .get(&unnamed_key(t))
            .copied()
    }
}

fn unnamed_key(t: &NewTask) -> (String, String, String, NaiveDate) {
    (t.area.clone(), t.lead_agency.clone(), fold(&t.title), t.due)
}

/// One change an import made, for its change-log entry.
struct Changed {
    entry: i64,
    task: i64,
    changes: Vec<FieldChange>,
}

/// The changes an import made, kept until their entries are written: in a temporary table on
/// SQLite (a re-imported export may change every one of a million tasks), in memory on a
/// server.
enum ChangeStash {
    Table,
    Memory(Vec<Changed>),
}

impl ChangeStash {
    fn new(tx: &Tx) -> Result<Self> {
        if tx.is_postgres() {
            return Ok(ChangeStash::Memory(Vec::new()));
        }
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS import_changes (entry INTEGER PRIMARY KEY, task INTEGER NOT NULL, changes TEXT NOT NULL);
             DELETE FROM temp.import_changes;",
        )?;
        Ok(ChangeStash::Table)
    }

    fn push(&mut self, tx: &Tx, entry: i64, task: i64, changes: &[FieldChange]) -> Result<()> {
        match self {
            ChangeStash::Memory(v) => v.push(Changed {
                entry,
                task,
                changes: changes.to_vec(),
            }),
            ChangeStash::Table => {
                let json = serde_json::to_string(changes)
                    .map_err(|e| Error::invalid(format!("a change could not be kept: {e}")))?;
                tx.prepare_cached(
                    "INSERT INTO temp.import_changes (entry, task, changes) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![entry, task, json])?;
            }
        }
        Ok(())
    }

    /// Reads the changes back in the order they were made.
    fn reader<'t>(&mut self, tx: &'t Tx) -> Result<KeptChanges<'t>> {
        Ok(match self {
            ChangeStash::Memory(v) => KeptChanges::Memory(std::mem::take(v).into_iter()),
            ChangeStash::Table => KeptChanges::Table(tx.prepare(
                "SELECT entry, task, changes FROM temp.import_changes WHERE entry > ?1 ORDER BY entry LIMIT 1",
            )?, None),
        })
    }
}

/// The kept changes, read in order: from the temporary table a row at a time.
enum KeptChanges<'t> {
    Memory(std::vec::IntoIter<Changed>),
    Table(super::engine::Stmt<'t>, Option<i64>),
}

impl KeptChanges<'_> {
    fn next(&mut self) -> Result<Option<Changed>> {
        let (stmt, after) = match self {
            KeptChanges::Memory(v) => return Ok(v.next()),
            KeptChanges::Table(stmt, after) => (stmt, after),
        };
        // Keyset by entry: no cursor is held open across the log's own statements.
        let found = stmt
            .query_row([after.unwrap_or(0)], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?;
        let Some((entry, task, json)) = found else {
            return Ok(None);
        };
        *after = Some(entry);
        let changes = serde_json::from_str(&json)
            .map_err(|e| Error::invalid(format!("a kept change could not be read: {e}")))?;
        Ok(Some(Changed {
            entry,
            task,
            changes,
        }))
    }
}

/// Writes the tasks an import creates, each `(task, id, change_seq)`, many rows per statement;
/// `bulk`: on the bulk path, whose triggers are set aside (see `batch`).
fn insert_created(
    tx: &Tx,
    created: &[(NewTask, i64, i64)],
    user: &str,
    at: &str,
    bulk: bool,
) -> Result<()> {
    let insert = if bulk {
        batch::insert_rows_unjournaled
    } else {
        batch::insert_rows
    };
    insert(
        tx,
        "INSERT INTO tasks (id, plan_ref, area, lead_agency, coordinating, title, output, due, due_assumed, recurrence, status, progress, completed_on, version, updated_by, updated_at, change_seq, detail, coordinating_inferred)",
        19,
        created,
        |stmt: &mut super::engine::Stmt, at_param: usize, (t, id, seq): &(NewTask, i64, i64)| {
            let p = at_param;
            stmt.raw_bind_parameter(p, id)?;
            stmt.raw_bind_parameter(p + 1, &t.plan_ref)?;
            stmt.raw_bind_parameter(p + 2, &t.area)?;
            stmt.raw_bind_parameter(p + 3, &t.lead_agency)?;
            stmt.raw_bind_parameter(p + 4, t.coordinating.join(","))?;
            stmt.raw_bind_parameter(p + 5, &t.title)?;
            stmt.raw_bind_parameter(p + 6, &t.output)?;
            stmt.raw_bind_parameter(p + 7, t.due)?;
            stmt.raw_bind_parameter(p + 8, t.due_assumed)?;
            stmt.raw_bind_parameter(p + 9, t.recurrence.as_str())?;
            stmt.raw_bind_parameter(p + 10, t.status.as_str())?;
            stmt.raw_bind_parameter(p + 11, t.progress)?;
            stmt.raw_bind_parameter(p + 12, t.completed_on)?;
            stmt.raw_bind_parameter(p + 13, 1)?;
            stmt.raw_bind_parameter(p + 14, user)?;
            stmt.raw_bind_parameter(p + 15, at)?;
            stmt.raw_bind_parameter(p + 16, seq)?;
            stmt.raw_bind_parameter(p + 17, &t.detail)?;
            stmt.raw_bind_parameter(p + 18, t.coordinating_inferred.join(","))
        },
    )
}

/// The page cache of an import, in KiB (negative: SQLite's unit for a size in KiB); memory is
/// only taken as pages are read. A third of what a command may take in all (64 MB): a million
/// rows are far more than any cache holds, and what matters is that the pages an import keeps
/// going back to (the indexes' inner pages, the tables' last pages) stay in it.
const BULK_CACHE_KIB: i64 = -24_576;
/// SQLite's default, restored after an import.
const DEFAULT_CACHE_KIB: i64 = -2_000;

/// The action of a task change an import made (not `update`, so a member's undo never picks
/// a row of someone's spreadsheet).
pub(super) const IMPORT_UPDATE: &str = "import-update";

impl ImportSummary {
    fn as_changes(&self) -> Vec<FieldChange> {
        [
            ("created", self.created),
            ("updated", self.updated),
            ("agencies", self.agencies),
            ("measurements", self.measurements),
        ]
        .into_iter()
        .map(|(field, n)| FieldChange {
            field: field.into(),
            old: None,
            new: Some(n.to_string()),
        })
        .collect()
    }
}

fn summary_note(s: &ImportSummary) -> String {
    format!(
        "created {}, updated {}, unchanged {}, measurements {}",
        s.created, s.updated, s.unchanged, s.measurements
    )
}
