//! The TUI's copy of the store: every task once, the search index over them, and the counts
//! the navigation pane shows. The store stays the source of truth; this is refreshed from it
//! after each write and whenever another process commits (only the changed rows).
//!
//! Invariant: search-index position `p` is task `tasks[p]` (both append new tasks at the end
//! and never remove any), so search hits are task positions.
//!
//! The index is built on first use (the first `/`), not on load: at 100,000 tasks it cost
//! more than half of the start to the first frame, and many sessions never search. Until
//! then a live reload keeps only the tasks and notes; the build reads them as they are then.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::Result;
use crate::indicators::{Assessment, assess};
use crate::model::{Agency, Area, Indicator, Lang, Measurement, Task};
use crate::search::{SearchIndex, index_tasks, task_text};
use crate::store::{Store, TaskFilter};

/// Tasks in a group: how many, how many overdue today, how many done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub overdue: usize,
    pub done: usize,
}

impl Counts {
    fn add(&mut self, t: &Task, today: NaiveDate) {
        self.total += 1;
        self.overdue += usize::from(t.is_overdue(today));
        self.done += usize::from(t.status == crate::model::Status::Done);
    }

    /// Undoes `add` for the same task and day.
    fn remove(&mut self, t: &Task, today: NaiveDate) {
        self.total -= 1;
        self.overdue -= usize::from(t.is_overdue(today));
        self.done -= usize::from(t.status == crate::model::Status::Done);
    }

    /// The share done, as a whole percent (0 when the group is empty).
    pub fn percent_done(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

pub struct Data {
    pub today: NaiveDate,
    pub tasks: Vec<Task>,
    by_id: HashMap<i64, usize>,
    /// The largest task id, kept so the list can size its id column without a pass per frame.
    pub max_id: i64,
    pub areas: Vec<Area>,
    pub agencies: Vec<Agency>,
    area_rank: HashMap<String, usize>,
    agency_rank: HashMap<String, usize>,
    /// Notes' text per task, for search.
    notes: HashMap<i64, String>,
    /// `None` until the first search asks for it (`search_index`).
    index: Option<SearchIndex>,
    pub all: Counts,
    /// Aligned with `areas`.
    pub by_area: Vec<Counts>,
    /// Aligned with `agencies` (by lead agency).
    pub by_agency: Vec<Counts>,
}

/// One indicator as the indicators screen and meeting mode show it.
#[derive(Debug, Clone)]
pub struct Gauge {
    pub indicator: Indicator,
    /// This indicator's measurements, oldest first.
    pub measurements: Vec<Measurement>,
    /// Assessed on "today".
    pub assessment: Assessment,
}

/// Every indicator with its measurements and assessment, grouped by area in plan order. Small
/// (the plan has 21 indicators), so it is read again whole whenever the file changes.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    pub rows: Vec<Gauge>,
    /// Every measurement, as `report::build` takes them.
    pub measurements: Vec<Measurement>,
}

impl Gauges {
    pub fn load(store: &Store, areas: &[Area], today: NaiveDate) -> Result<Gauges> {
        let measurements = store.measurements(None)?;
        let mut indicators = store.indicators()?;
        let rank = |code: &str| areas.iter().position(|a| a.code == code);
        // Stable: within an area the plan's own order stays.
        indicators.sort_by_key(|i| rank(&i.area).unwrap_or(usize::MAX));
        let rows = indicators
            .into_iter()
            .map(|indicator| {
                let mut ms: Vec<Measurement> = measurements
                    .iter()
                    .filter(|m| m.indicator == indicator.code)
                    .cloned()
                    .collect();
                ms.sort_by(|a, b| a.measured_on.cmp(&b.measured_on).then(a.id.cmp(&b.id)));
                let assessment = assess(&indicator, &ms, today);
                Gauge {
                    indicator,
                    measurements: ms,
                    assessment,
                }
            })
            .collect();
        Ok(Gauges { rows, measurements })
    }

    pub fn indicators(&self) -> Vec<Indicator> {
        self.rows.iter().map(|g| g.indicator.clone()).collect()
    }
}

/// Above this many changed tasks, reading every note at once beats one query per task.
const NOTES_BULK_THRESHOLD: usize = 200;

impl Data {
    pub fn load(store: &Store, today: NaiveDate) -> Result<Data> {
        let tasks = store.tasks(&TaskFilter::default())?;
        let notes = store.notes_text()?;
        let mut data = Data {
            today,
            tasks: Vec::new(),
            by_id: HashMap::new(),
            max_id: tasks.iter().map(|t| t.id).max().unwrap_or(0),
            areas: Vec::new(),
            agencies: Vec::new(),
            area_rank: HashMap::new(),
            agency_rank: HashMap::new(),
            notes,
            index: None,
            all: Counts::default(),
            by_area: Vec::new(),
            by_agency: Vec::new(),
        };
        data.set_reference(store.areas()?, store.agencies()?);
        data.by_id = tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        data.tasks = tasks;
        data.recount();
        Ok(data)
    }

    /// The search index over every task, built now if this is its first use (from the tasks
    /// and notes as they are now, so changes taken in before are in it). Later changes reach
    /// it through `apply`.
    pub fn search_index(&mut self) -> &SearchIndex {
        if self.index.is_none() {
            let names = self.agency_names();
            self.index = Some(index_tasks(&self.tasks, &names, &self.notes));
        }
        self.index.as_ref().expect("just built")
    }

    /// Whether the search index has been built yet.
    pub fn index_built(&self) -> bool {
        self.index.is_some()
    }

    fn set_reference(&mut self, areas: Vec<Area>, agencies: Vec<Agency>) {
        self.area_rank = areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.clone(), i))
            .collect();
        self.agency_rank = agencies
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.clone(), i))
            .collect();
        self.areas = areas;
        self.agencies = agencies;
    }

    /// Whether the areas and agencies in the store are still the ones loaded (an import can
    /// add agencies; then the caller reloads everything).
    pub fn reference_unchanged(&self, store: &Store) -> Result<bool> {
        Ok(store.areas()? == self.areas && store.agencies()? == self.agencies)
    }

    fn agency_names(&self) -> HashMap<&str, &str> {
        self.agencies
            .iter()
            .map(|a| (a.code.as_str(), a.name.as_str()))
            .collect()
    }

    /// Takes in tasks written since the last look (new or changed), re-reading their notes,
    /// and adjusts the counts for those rows only (the old row out, the new one in): a full
    /// recount costs two string-keyed lookups for every task, which dominated a live reload.
    /// `today` and the areas and agencies are fixed for a `Data` (a new day or new reference
    /// rows mean `Data::load`, which counts from scratch).
    pub fn apply(&mut self, store: &Store, changed: Vec<Task>) -> Result<()> {
        if changed.is_empty() {
            return Ok(());
        }
        if changed.len() > NOTES_BULK_THRESHOLD {
            self.notes = store.notes_text()?;
        } else {
            for t in &changed {
                let notes = store.notes(t.id)?;
                let mut text = String::new();
                for n in notes {
                    text.push(' ');
                    text.push_str(&n.text);
                }
                self.notes.insert(t.id, text);
            }
        }
        // Without an index yet, only the tasks and notes are kept: the build reads them later.
        let texts: Vec<Option<String>> = {
            let names = self.agency_names();
            changed
                .iter()
                .map(|t| {
                    self.index
                        .is_some()
                        .then(|| task_text(t, &names, self.notes.get(&t.id).map(String::as_str)))
                })
                .collect()
        };
        for (task, text) in changed.into_iter().zip(texts) {
            let pos = match (&mut self.index, text) {
                (Some(index), Some(text)) => {
                    Some(index.update_with_reference(task.id, &text, &task.plan_ref))
                }
                _ => None,
            };
            match self.by_id.get(&task.id) {
                Some(&p) => {
                    self.tally(p, false);
                    self.tasks[p] = task;
                    self.tally(p, true);
                }
                None => {
                    self.max_id = self.max_id.max(task.id);
                    self.by_id.insert(task.id, self.tasks.len());
                    self.tasks.push(task);
                    self.tally(self.tasks.len() - 1, true);
                }
            }
            if let Some(pos) = pos {
                debug_assert_eq!(self.by_id.get(&self.tasks[pos].id), Some(&pos));
            }
        }
        Ok(())
    }

    /// Adds task `pos` to the counts (or takes it out again).
    fn tally(&mut self, pos: usize, add: bool) {
        let t = &self.tasks[pos];
        let today = self.today;
        let change = |c: &mut Counts| {
            if add {
                c.add(t, today);
            } else {
                c.remove(t, today);
            }
        };
        change(&mut self.all);
        if let Some(&i) = self.area_rank.get(&t.area) {
            change(&mut self.by_area[i]);
        }
        if let Some(&i) = self.agency_rank.get(&t.lead_agency) {
            change(&mut self.by_agency[i]);
        }
    }

    /// Counts every task from scratch (on load).
    fn recount(&mut self) {
        let mut all = Counts::default();
        let mut by_area = vec![Counts::default(); self.areas.len()];
        let mut by_agency = vec![Counts::default(); self.agencies.len()];
        for t in &self.tasks {
            all.add(t, self.today);
            if let Some(&i) = self.area_rank.get(&t.area) {
                by_area[i].add(t, self.today);
            }
            if let Some(&i) = self.agency_rank.get(&t.lead_agency) {
                by_agency[i].add(t, self.today);
            }
        }
        self.all = all;
        self.by_area = by_area;
        self.by_agency = by_agency;
    }

    pub fn position(&self, id: i64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    pub fn task(&self, id: i64) -> Option<&Task> {
        self.position(id).map(|p| &self.tasks[p])
    }

    /// Areas in plan order; an unknown code sorts last.
    pub fn area_rank(&self, code: &str) -> usize {
        self.area_rank.get(code).copied().unwrap_or(usize::MAX)
    }

    pub fn agency_rank(&self, code: &str) -> usize {
        self.agency_rank.get(code).copied().unwrap_or(usize::MAX)
    }

    pub fn area_name(&self, code: &str, lang: Lang) -> String {
        self.area_rank
            .get(code)
            .map_or_else(|| code.to_string(), |&i| self.areas[i].name(lang).into())
    }

    pub fn agency_name(&self, code: &str) -> String {
        self.agency_rank
            .get(code)
            .map_or_else(|| code.to_string(), |&i| self.agencies[i].name.clone())
    }
}
