//! The periodic report to UBND tỉnh (through Sở Nội vụ), for one period of the reporting regime
//! (`ReportPeriod`): per area, the indicators against their targets and the tasks due in the
//! period (done on time, late, not done), the routine duties every agency owes counted once,
//! each agency's figures, and what falls due next period. Built from plain data (no SQL here);
//! `body` words it once, `charts` draws it, and `markdown` and `docx` render those words and
//! pictures (JSON is the data itself).

pub mod body;
mod by_agency;
pub mod charts;
pub mod docx;
mod format;
pub mod markdown;
mod period_figures;
pub mod texts;

use by_agency::{group_overdue, next_period};
pub use format::*;
pub use period_figures::{AgencyPeriod, DueCounts, Duty, PeriodFigures};
pub use texts::ReportTexts;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::indicators::{IndicatorStatus, assess};
use crate::model::{
    Agency, Area, Direction, DisplayState, Indicator, Lang, LogEntry, Measurement, Reminded,
    Reminder, Status, Task, Unit,
};
pub use crate::model::{AsOf, ReportPeriod};

/// Everything the report is made from, read by the caller.
pub struct ReportInput<'a> {
    /// The reporting period the figures belong to, and the days counted (its window, or for
    /// the meeting the days since the last meeting).
    pub period: ReportPeriod,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The day the figures stand on; never a day that has not come (`ReportPeriod::as_of`).
    pub as_of: AsOf,
    pub areas: &'a [Area],
    pub agencies: &'a [Agency],
    pub indicators: &'a [Indicator],
    pub measurements: &'a [Measurement],
    pub tasks: &'a [Task],
    /// Change-log entries made during the period.
    pub log: &'a [LogEntry],
    /// The letters urging agencies (`cchc remind`), for "đã đôn đốc … (lần N)" beside an
    /// agency's overdue tasks.
    pub reminders: &'a [Reminder],
    pub log_head: Option<(i64, String)>,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct StateCounts {
    pub total: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub in_progress: usize,
    pub overdue: usize,
    pub not_started: usize,
}

impl StateCounts {
    fn add(&mut self, s: DisplayState) {
        self.total += 1;
        match s {
            DisplayState::DoneOnTime => self.done_on_time += 1,
            DisplayState::DoneLate => self.done_late += 1,
            DisplayState::InProgress => self.in_progress += 1,
            DisplayState::Overdue => self.overdue += 1,
            DisplayState::NotStarted => self.not_started += 1,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub unit: Unit,
    pub direction: Direction,
    pub target: Option<f64>,
    pub due: Option<NaiveDate>,
    pub latest: Option<f64>,
    pub latest_date: Option<NaiveDate>,
    pub source: Option<String>,
    pub expected_today: Option<f64>,
    /// In the indicator's terms: the latest value, or for reduce-by the reduction in percent.
    pub achieved: Option<f64>,
    /// How full a gauge of the current step is (0..=1), and where "expected today" sits on it.
    pub gauge: Option<f64>,
    pub expected_ratio: Option<f64>,
    pub status: IndicatorStatus,
    /// Measurements dated up to "as of", oldest first, for a sparkline.
    #[serde(skip)]
    pub history: Vec<f64>,
}

/// One agency's standing, for "who is behind".
#[derive(Debug, Serialize)]
pub struct AgencyStanding {
    pub code: String,
    pub name: String,
    pub total: usize,
    pub overdue: usize,
    pub done: usize,
    /// The letters urging it that named any of its overdue tasks: the last day, how many.
    pub reminded: Option<Reminded>,
}

impl AgencyStanding {
    pub fn share_done(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

#[derive(Debug, Serialize)]
pub struct OverdueRow {
    pub id: i64,
    pub title: String,
    pub lead_agency: String,
    pub lead_agency_name: String,
    pub due: NaiveDate,
    pub days_late: i64,
    /// The routine duty this task is one agency's instance of (`Duty::key`), if it is one.
    pub duty: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Changes {
    /// Tasks completed during the period (by completion date).
    pub completed: Vec<(i64, String, NaiveDate)>,
    /// Measurements dated in the period.
    pub measurements: Vec<(String, f64, NaiveDate)>,
    /// Tasks that fell due in the period and were not done by "as of".
    pub newly_overdue: Vec<(i64, String, NaiveDate)>,
    /// Change-log entries written during the period, per user.
    pub entries_by_user: BTreeMap<String, usize>,
}

/// A task named on its own in the report (not one agency's instance of a routine duty):
/// completed in the period, or due in the next.
#[derive(Debug, Clone, Serialize)]
pub struct TaskLine {
    pub id: i64,
    pub area: String,
    pub title: String,
    pub lead_agency: String,
    pub lead_agency_name: String,
    pub due: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    pub state: DisplayState,
    pub progress: u8,
}

#[derive(Debug, Serialize)]
pub struct AreaSection {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub indicators: Vec<IndicatorRow>,
    /// Every task of the area by its state on "as of", whatever its due date.
    pub tasks: StateCounts,
    /// The area's tasks due in the period (up to "as of").
    pub due: DueCounts,
    /// The routine duties of the area due in the period or still owed from before.
    pub duties: Vec<Duty>,
    /// The area's other tasks completed in the period, oldest first.
    pub completed: Vec<TaskLine>,
    pub overdue: Vec<OverdueRow>,
    pub changes: Changes,
}

/// The overdue tasks an agency leads, most days late first.
#[derive(Debug, Serialize)]
pub struct AgencyOverdue {
    pub agency: String,
    pub name: String,
    pub tasks: Vec<OverdueRow>,
}

/// The next period and what falls due in its own days and is not done yet.
#[derive(Debug, Serialize)]
pub struct NextPeriod {
    pub period: ReportPeriod,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Routine duties falling due then, each counted over the agencies that owe it.
    pub duties: Vec<Duty>,
    /// The other tasks falling due then and not done, by area in plan order, soonest first.
    pub tasks: Vec<TaskLine>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub period: ReportPeriod,
    /// True while the period's cut-off has not passed: the figures are preliminary (sơ bộ).
    pub preliminary: bool,
    /// The plan reported on: its identity, the plan it replaces, its purpose and objective.
    pub plan: crate::model::PlanInfo,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub as_of: NaiveDate,
    /// The headline: the tasks due in the period and how they stand.
    pub due: DueCounts,
    /// The same figures for the period before, as of its own cut-off.
    pub previous: PeriodFigures,
    /// For quý III (a quarter's window), the figures from the year's first data day.
    pub year_to_date: Option<PeriodFigures>,
    /// Every task by its state on "as of", whatever its due date.
    pub tasks: StateCounts,
    pub indicators_by_status: BTreeMap<IndicatorStatus, usize>,
    pub areas: Vec<AreaSection>,
    /// Agencies that lead tasks, most overdue first, then the smallest share done.
    pub agencies: Vec<AgencyStanding>,
    /// Each agency's tasks due in the period, in the agency list's order (the appendix).
    pub agencies_in_period: Vec<AgencyPeriod>,
    /// Every overdue task, grouped by the agency that leads it, in `agencies` order.
    pub overdue_by_agency: Vec<AgencyOverdue>,
    /// Section IV: what falls due next period.
    pub next_period: NextPeriod,
    /// The words only people can write (assessment, causes, proposals); none is invented.
    pub texts: ReportTexts,
    pub log_head: Option<(i64, String)>,
}

/// A task as it stood on `as_of`: one completed later was not yet done then.
fn state_on(t: &Task, as_of: NaiveDate) -> DisplayState {
    let done_later = t.status == Status::Done && t.completed_on.is_some_and(|d| d > as_of);
    if done_later {
        DisplayState::of(Status::InProgress, t.progress, t.due, None, as_of)
    } else {
        t.display_state(as_of)
    }
}

pub fn build(input: &ReportInput) -> Report {
    let (start, end, as_of) = (input.start, input.end, input.as_of.date);
    let agency_name: HashMap<&str, &str> = input
        .agencies
        .iter()
        .map(|a| (a.code.as_str(), a.name.as_str()))
        .collect();
    let name_of = |code: &str| {
        agency_name
            .get(code)
            .map_or_else(|| code.to_string(), |n| n.to_string())
    };
    let agency_order: HashMap<&str, usize> = input
        .agencies
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code.as_str(), i))
        .collect();
    let keys = period_figures::duty_keys(input.tasks);
    // A duty belongs to the period when an instance falls due in it, or is still overdue.
    let in_period =
        |t: &Task| (t.due >= start && t.due <= end) || state_on(t, as_of) == DisplayState::Overdue;
    let task_area: HashMap<String, &str> = input
        .tasks
        .iter()
        .map(|t| (t.id.to_string(), t.area.as_str()))
        .collect();
    let indicator_area: HashMap<&str, &str> = input
        .indicators
        .iter()
        .map(|i| (i.code.as_str(), i.area.as_str()))
        .collect();
    let mut totals = StateCounts::default();
    let mut by_status: BTreeMap<IndicatorStatus, usize> = BTreeMap::new();
    let mut areas = Vec::new();
    for area in input.areas {
        let mut section = AreaSection {
            code: area.code.clone(),
            name: area.name_vi.clone(),
            name_en: area.name_en.clone(),
            indicators: Vec::new(),
            tasks: StateCounts::default(),
            due: DueCounts::default(),
            duties: period_figures::duties(
                input.tasks.iter().filter(|t| t.area == area.code),
                &keys,
                &agency_order,
                as_of,
                in_period,
            ),
            completed: Vec::new(),
            overdue: Vec::new(),
            changes: Changes::default(),
        };
        for ind in input.indicators.iter().filter(|i| i.area == area.code) {
            let ms: Vec<Measurement> = input
                .measurements
                .iter()
                .filter(|m| m.indicator == ind.code)
                .cloned()
                .collect();
            let a = assess(ind, &ms, as_of);
            let target = a.current_target.map(|t| t.value).filter(|t| t.abs() > 1e-9);
            *by_status.entry(a.status).or_default() += 1;
            section.indicators.push(IndicatorRow {
                code: ind.code.clone(),
                name: ind.name.clone(),
                unit: ind.unit,
                direction: ind.direction,
                target: a.current_target.map(|t| t.value),
                due: a.current_target.map(|t| t.due),
                latest: a.latest.as_ref().map(|l| l.value),
                latest_date: a.latest.as_ref().map(|l| l.date),
                source: a
                    .latest
                    .as_ref()
                    .map(|l| l.source.clone())
                    .filter(|s| !s.is_empty()),
                expected_today: a.expected_today,
                achieved: a.achieved,
                gauge: a.gauge_ratio(),
                expected_ratio: a
                    .expected_today
                    .zip(target)
                    .map(|(e, t)| (e / t).clamp(0.0, 1.0)),
                status: a.status,
                history: ms
                    .iter()
                    .filter(|m| m.measured_on <= as_of)
                    .map(|m| m.value)
                    .collect(),
            });
            for m in ms
                .iter()
                .filter(|m| m.measured_on >= start && m.measured_on <= end)
            {
                section
                    .changes
                    .measurements
                    .push((m.indicator.clone(), m.value, m.measured_on));
            }
        }
        for t in input.tasks.iter().filter(|t| t.area == area.code) {
            let state = state_on(t, as_of);
            section.tasks.add(state);
            section.due.add(t, start, end, as_of);
            totals.add(state);
            if state == DisplayState::Overdue && t.due >= start {
                section
                    .changes
                    .newly_overdue
                    .push((t.id, t.title.clone(), t.due));
            }
            if state == DisplayState::Overdue {
                section.overdue.push(OverdueRow {
                    id: t.id,
                    title: t.title.clone(),
                    lead_agency: t.lead_agency.clone(),
                    lead_agency_name: name_of(&t.lead_agency),
                    due: t.due,
                    days_late: (as_of - t.due).num_days(),
                    duty: keys.get(&t.id).cloned(),
                });
            }
            if let Some(done) = t
                .completed_on
                .filter(|d| *d >= start && *d <= end && *d <= as_of)
            {
                section
                    .changes
                    .completed
                    .push((t.id, t.title.clone(), done));
                if !keys.contains_key(&t.id) {
                    section.completed.push(TaskLine {
                        id: t.id,
                        area: t.area.clone(),
                        title: t.title.clone(),
                        lead_agency: t.lead_agency.clone(),
                        lead_agency_name: name_of(&t.lead_agency),
                        due: t.due,
                        completed_on: Some(done),
                        state,
                        progress: t.progress,
                    });
                }
            }
        }
        section
            .overdue
            .sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
        section.changes.completed.sort_by_key(|c| (c.2, c.0));
        section.completed.sort_by_key(|c| (c.completed_on, c.id));
        section.changes.newly_overdue.sort_by_key(|c| (c.2, c.0));
        section
            .changes
            .measurements
            .sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
        for e in input.log {
            let area_of = match e.entity.as_str() {
                "task" => task_area.get(&e.entity_id).copied(),
                "indicator" => indicator_area.get(e.entity_id.as_str()).copied(),
                _ => None,
            };
            if area_of == Some(area.code.as_str()) {
                *section
                    .changes
                    .entries_by_user
                    .entry(e.user.clone())
                    .or_default() += 1;
            }
        }
        areas.push(section);
    }
    let agencies = standings(input.tasks, input.agencies, input.reminders, as_of);
    let overdue_by_agency = group_overdue(&areas, &agencies);
    let period = input.period;
    let previous = period.previous();
    Report {
        period,
        preliminary: input.as_of.preliminary,
        plan: crate::plan::info().clone(),
        start,
        end,
        as_of,
        due: DueCounts::of(input.tasks, start, end, as_of),
        previous: PeriodFigures::of(
            input.tasks,
            previous,
            (previous.start(), previous.end()),
            as_of,
        ),
        year_to_date: (period.kind == crate::model::PeriodKind::Q3)
            .then(|| PeriodFigures::of(input.tasks, period, period.year_to_date(), as_of)),
        tasks: totals,
        indicators_by_status: by_status,
        areas,
        agencies,
        agencies_in_period: period_figures::agencies_in_period(
            input.tasks,
            input.agencies,
            &keys,
            (start, end),
            as_of,
        ),
        overdue_by_agency,
        next_period: next_period(input, &keys, &agency_order, &name_of),
        texts: ReportTexts::default(),
        log_head: input.log_head.clone(),
    }
}

/// Every agency that leads a task, ranked: most overdue first, then the smallest share done;
/// with the letters urging it that named any of its overdue tasks.
pub fn standings(
    tasks: &[Task],
    agencies: &[Agency],
    reminders: &[Reminder],
    as_of: NaiveDate,
) -> Vec<AgencyStanding> {
    let mut out: Vec<AgencyStanding> = agencies
        .iter()
        .map(|a| AgencyStanding {
            code: a.code.clone(),
            name: a.name.clone(),
            total: 0,
            overdue: 0,
            done: 0,
            reminded: None,
        })
        .collect();
    let mut overdue_ids: Vec<Vec<i64>> = vec![Vec::new(); agencies.len()];
    let index: HashMap<&str, usize> = agencies
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code.as_str(), i))
        .collect();
    for t in tasks {
        if let Some(&i) = index.get(t.lead_agency.as_str()) {
            let s = &mut out[i];
            s.total += 1;
            match state_on(t, as_of) {
                DisplayState::Overdue => {
                    s.overdue += 1;
                    overdue_ids[i].push(t.id);
                }
                DisplayState::DoneOnTime | DisplayState::DoneLate => s.done += 1,
                _ => {}
            }
        }
    }
    for (s, ids) in out.iter_mut().zip(&overdue_ids) {
        // A letter made after "as of" had not been written yet on that day.
        let made: Vec<Reminder> = reminders
            .iter()
            .filter(|r| r.agency == s.code && r.made_on <= as_of)
            .cloned()
            .collect();
        s.reminded = Reminded::of(&made, |t| ids.contains(&t));
    }
    out.retain(|s| s.total > 0);
    out.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(a.share_done().total_cmp(&b.share_done()))
            .then(a.code.cmp(&b.code))
    });
    out
}

#[cfg(test)]
mod tests;
