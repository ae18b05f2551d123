//! What the TUI keeps of the store (issue 11: a thin view): the areas and agencies and the
//! navigation pane's counts (summed from the store's tally at start, then kept by the tally's
//! moves, a few rows per write). The
//! tasks themselves are not copied: the list reads the rows on screen a page at a time
//! (`browse::TaskList`), and search asks the store (`Store::search`).

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::Result;
use crate::indicators::{Assessment, assess};
use crate::model::{Agency, Area, Indicator, Lang, Measurement};
use crate::store::Store;
use crate::view::Scope;

/// Tasks in a group: how many, how many overdue today, how many done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub overdue: usize,
    pub done: usize,
}

impl Counts {
    fn add(&mut self, row: &crate::store::TallyRow) {
        self.total += row.total;
        self.overdue += row.overdue;
        self.done += row.done;
    }

    /// The share done, as a whole percent (0 when the group is empty).
    pub fn percent_done(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

pub struct Data {
    pub today: NaiveDate,
    /// The largest task id, kept so the list can size its id column.
    pub max_id: i64,
    pub areas: Vec<Area>,
    pub agencies: Vec<Agency>,
    area_rank: HashMap<String, usize>,
    agency_rank: HashMap<String, usize>,
    pub all: Counts,
    /// Aligned with `areas`.
    pub by_area: Vec<Counts>,
    /// Aligned with `agencies` (by lead agency).
    pub by_agency: Vec<Counts>,
    /// The store's last tally move the counts include (`Store::tally_moves_since`).
    tally_mark: i64,
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

impl Data {
    pub fn load(store: &Store, today: NaiveDate) -> Result<Data> {
        let mut data = Data {
            today,
            max_id: 0,
            areas: Vec::new(),
            agencies: Vec::new(),
            area_rank: HashMap::new(),
            agency_rank: HashMap::new(),
            all: Counts::default(),
            by_area: Vec::new(),
            by_agency: Vec::new(),
            tally_mark: 0,
        };
        data.set_reference(store.areas()?, store.agencies()?);
        data.recount(store)?;
        Ok(data)
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

    /// Takes in the writes since the last look: the store's moves of the counts are added to
    /// the counts held (a few rows per write, whatever the file's size); when the store no
    /// longer keeps them all, the counts are summed again. The rows themselves are read by the
    /// list's window.
    pub fn apply(&mut self, store: &Store) -> Result<()> {
        let Some((moves, mark)) = store.tally_moves_since(self.tally_mark, self.today)? else {
            return self.recount(store);
        };
        if moves.is_empty() {
            return Ok(());
        }
        for m in &moves {
            let delta = |c: &mut Counts| {
                c.total = c.total.saturating_add_signed(m.total as isize);
                c.overdue = c.overdue.saturating_add_signed(m.overdue as isize);
                c.done = c.done.saturating_add_signed(m.done as isize);
            };
            delta(&mut self.all);
            if let Some(&i) = self.area_rank.get(&m.area) {
                delta(&mut self.by_area[i]);
            }
            if let Some(&i) = self.agency_rank.get(&m.agency) {
                delta(&mut self.by_agency[i]);
            }
        }
        self.max_id = store.max_task_id()?;
        self.tally_mark = mark;
        Ok(())
    }

    /// Reads the counts of the navigation pane (and the largest id) from the store.
    pub fn recount(&mut self, store: &Store) -> Result<()> {
        let (rows, mark) = store.tally_marked(self.today)?;
        let mut all = Counts::default();
        let mut by_area = vec![Counts::default(); self.areas.len()];
        let mut by_agency = vec![Counts::default(); self.agencies.len()];
        for row in rows {
            all.add(&row);
            if let Some(&i) = self.area_rank.get(&row.area) {
                by_area[i].add(&row);
            }
            if let Some(&i) = self.agency_rank.get(&row.agency) {
                by_agency[i].add(&row);
            }
        }
        self.all = all;
        self.by_area = by_area;
        self.by_agency = by_agency;
        self.max_id = store.max_task_id()?;
        self.tally_mark = mark;
        Ok(())
    }

    /// The counts of the tasks a scope lets through.
    pub fn counts(&self, scope: &Scope) -> Counts {
        match scope {
            Scope::All => self.all,
            Scope::Area(code) => self
                .area_rank
                .get(code)
                .and_then(|&i| self.by_area.get(i).copied())
                .unwrap_or_default(),
            Scope::Agency(code) => self
                .agency_rank
                .get(code)
                .and_then(|&i| self.by_agency.get(i).copied())
                .unwrap_or_default(),
        }
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
