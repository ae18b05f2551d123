//! What a period's figures are made of: the tasks that fell due in it and how they stood on "as
//! of" (the headline), the routine duties every agency of a kind owes (counted once, over the
//! agencies, instead of one line per commune), and each agency's own figures for the appendix.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Agency, AgencyKind, DisplayState, ReportPeriod, Task};

use super::state_on;

/// Tasks due in a stretch of days, as they stood on "as of". Only tasks due on or before "as
/// of" are counted: one due later is not due yet, so it is neither done late nor not done.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq)]
pub struct DueCounts {
    pub due: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub not_done: usize,
    /// done_on_time / due in percent; none when nothing fell due.
    pub on_time_pct: Option<f64>,
}

impl DueCounts {
    /// Counts `t` if it falls due in `from..=to` and on or before `as_of`.
    pub(super) fn add(&mut self, t: &Task, from: NaiveDate, to: NaiveDate, as_of: NaiveDate) {
        if t.due < from || t.due > to || t.due > as_of {
            return;
        }
        self.due += 1;
        match state_on(t, as_of) {
            DisplayState::DoneOnTime => self.done_on_time += 1,
            DisplayState::DoneLate => self.done_late += 1,
            _ => self.not_done += 1,
        }
        self.on_time_pct = Some(self.done_on_time as f64 * 100.0 / self.due as f64);
    }

    pub(super) fn of<'a>(
        tasks: impl IntoIterator<Item = &'a Task>,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
    ) -> DueCounts {
        let mut c = DueCounts::default();
        for t in tasks {
            c.add(t, from, to, as_of);
        }
        c
    }
}

/// Another period's figures, for comparison.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodFigures {
    /// The period (for the year to date, the period it leads up to).
    pub period: ReportPeriod,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub as_of: NaiveDate,
    pub due: DueCounts,
}

impl PeriodFigures {
    pub(super) fn of(
        tasks: &[Task],
        period: ReportPeriod,
        (start, end): (NaiveDate, NaiveDate),
        as_of: NaiveDate,
    ) -> PeriodFigures {
        let as_of = as_of.min(end);
        PeriodFigures {
            period,
            start,
            end,
            as_of,
            due: DueCounts::of(tasks, start, end, as_of),
        }
    }
}

/// One routine duty: the same paragraph of the plan, for the same instance (a period, a year),
/// owed by several agencies each on its own task — "Báo cáo CCHC quý I/2026" for every sở and
/// every commune. The report counts it once.
#[derive(Debug, Clone, Serialize)]
pub struct Duty {
    /// The plan reference without the agency: "V.1.5/2026-Q1".
    pub key: String,
    pub area: String,
    pub title: String,
    /// The earliest due date of its instances (they normally share one).
    pub due: NaiveDate,
    /// How many agencies owe it.
    pub agencies: usize,
    /// Its instances due by "as of", as they stood then.
    pub counts: DueCounts,
    /// The agencies (codes) whose instance is overdue on "as of", in the agency list's order.
    pub overdue: Vec<String>,
}

/// The key of a routine duty's instance: its plan reference without the lead agency
/// ("V.1.5/SNV/2026-Q1" → "V.1.5/2026-Q1"). A task the plan gives one body, or one added by
/// hand, has none.
fn instance_key(t: &Task) -> Option<String> {
    let mut parts = t.plan_ref.split('/');
    let paragraph = parts.next()?;
    if parts.next()? != t.lead_agency {
        return None;
    }
    Some(match parts.next() {
        Some(instance) => format!("{paragraph}/{instance}"),
        None => paragraph.to_string(),
    })
}

/// The routine duties: instance keys shared by at least two tasks. Maps a task id to its key.
pub(super) fn duty_keys(tasks: &[Task]) -> HashMap<i64, String> {
    let mut by_key: HashMap<String, Vec<i64>> = HashMap::new();
    for t in tasks {
        if let Some(k) = instance_key(t) {
            by_key.entry(k).or_default().push(t.id);
        }
    }
    by_key
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .flat_map(|(k, ids)| ids.into_iter().map(move |id| (id, k.clone())))
        .collect()
}

/// The duties among `tasks` that `wanted` picks (by their instances), counted over every
/// agency that owes them, in due-date then plan order.
pub(super) fn duties<'a>(
    tasks: impl IntoIterator<Item = &'a Task>,
    keys: &HashMap<i64, String>,
    agency_order: &HashMap<&str, usize>,
    as_of: NaiveDate,
    wanted: impl Fn(&Task) -> bool,
) -> Vec<Duty> {
    let mut groups: BTreeMap<&str, Vec<&Task>> = BTreeMap::new();
    for t in tasks {
        if let Some(k) = keys.get(&t.id) {
            groups.entry(k.as_str()).or_default().push(t);
        }
    }
    let mut out: Vec<Duty> = groups
        .into_iter()
        .filter(|(_, ts)| ts.iter().any(|t| wanted(t)))
        .map(|(key, mut ts)| {
            ts.sort_by_key(|t| agency_order.get(t.lead_agency.as_str()).copied());
            let first = ts[0];
            Duty {
                key: key.to_string(),
                area: first.area.clone(),
                title: first.title.clone(),
                due: ts.iter().map(|t| t.due).min().unwrap_or(first.due),
                agencies: ts.len(),
                counts: DueCounts::of(ts.iter().copied(), NaiveDate::MIN, NaiveDate::MAX, as_of),
                overdue: ts
                    .iter()
                    .filter(|t| state_on(t, as_of) == DisplayState::Overdue)
                    .map(|t| t.lead_agency.clone())
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.key.cmp(&b.key)));
    out
}

/// One agency's figures for the period: its tasks due in it, and what it has overdue.
#[derive(Debug, Serialize)]
pub struct AgencyPeriod {
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    pub due: DueCounts,
    /// Every task it leads that is overdue on "as of", whatever period it fell due in.
    pub overdue: usize,
    /// The routine duties among them (`Duty::key`), soonest due first.
    pub overdue_duties: Vec<String>,
}

/// Each agency that owes anything in the period or has anything overdue, in the agency list's
/// order.
pub(super) fn agencies_in_period(
    tasks: &[Task],
    agencies: &[Agency],
    keys: &HashMap<i64, String>,
    (start, end): (NaiveDate, NaiveDate),
    as_of: NaiveDate,
) -> Vec<AgencyPeriod> {
    let mut by_code: HashMap<&str, Vec<&Task>> = HashMap::new();
    for t in tasks {
        by_code.entry(t.lead_agency.as_str()).or_default().push(t);
    }
    agencies
        .iter()
        .filter_map(|a| {
            let mut ts = by_code.remove(a.code.as_str())?;
            ts.sort_by_key(|t| (t.due, t.id));
            let overdue: Vec<&&Task> = ts
                .iter()
                .filter(|t| state_on(t, as_of) == DisplayState::Overdue)
                .collect();
            let row = AgencyPeriod {
                code: a.code.clone(),
                name: a.name.clone(),
                kind: a.kind,
                due: DueCounts::of(ts.iter().copied(), start, end, as_of),
                overdue: overdue.len(),
                overdue_duties: overdue
                    .iter()
                    .filter_map(|t| keys.get(&t.id).cloned())
                    .collect(),
            };
            (row.due.due > 0 || row.overdue > 0).then_some(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Recurrence, Status};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn task(id: i64, plan_ref: &str, lead: &str, due: &str, done: Option<&str>) -> Task {
        Task {
            id,
            plan_ref: plan_ref.into(),
            area: "chi-dao".into(),
            lead_agency: lead.into(),
            coordinating: vec![],
            coordinating_inferred: vec![],
            title: "Báo cáo CCHC quý I/2026".into(),
            detail: String::new(),
            output: String::new(),
            due: d(due),
            due_assumed: true,
            recurrence: Recurrence::Quarterly,
            status: if done.is_some() {
                Status::Done
            } else {
                Status::NotStarted
            },
            progress: if done.is_some() { 100 } else { 0 },
            completed_on: done.map(d),
            version: 1,
            updated_by: "t".into(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn nothing_due_after_as_of_is_counted() {
        let tasks = [
            task(1, "", "SNV", "2026-03-01", Some("2026-02-20")),
            task(2, "", "SNV", "2026-03-01", Some("2026-03-05")),
            task(3, "", "SNV", "2026-03-10", None),
            // Due after "as of": not due yet, whatever its state.
            task(4, "", "SNV", "2026-03-13", None),
            // Done late, but after "as of": not done then.
            task(5, "", "SNV", "2026-03-01", Some("2026-03-13")),
        ];
        let c = DueCounts::of(&tasks, d("2025-12-15"), d("2026-03-14"), d("2026-03-12"));
        assert_eq!(
            (c.due, c.done_on_time, c.done_late, c.not_done),
            (4, 1, 1, 2)
        );
        assert_eq!(c.on_time_pct, Some(25.0));
        assert_eq!(
            DueCounts::of(&tasks, d("2026-03-15"), d("2026-06-14"), d("2026-06-30")).on_time_pct,
            None
        );
    }

    #[test]
    fn a_duty_is_a_plan_reference_shared_by_several_agencies() {
        let tasks = [
            task(
                1,
                "V.1.5/SNV/2026-Q1",
                "SNV",
                "2026-03-15",
                Some("2026-03-10"),
            ),
            task(2, "V.1.5/XA/2026-Q1", "XA", "2026-03-15", None),
            task(
                3,
                "V.1.5/XB/2026-Q1",
                "XB",
                "2026-03-15",
                Some("2026-03-20"),
            ),
            // One body's own task, and a task added by hand: not duties.
            task(4, "V.2.1b/2026-Q1", "SNV", "2026-03-18", None),
            task(5, "", "SNV", "2026-03-18", None),
            task(6, "V.2.5/SNV/2026-Q1", "SNV", "2026-03-20", None),
        ];
        let keys = duty_keys(&tasks);
        assert_eq!(keys.len(), 3);
        assert!(keys.values().all(|k| k == "V.1.5/2026-Q1"));
        let order: HashMap<&str, usize> = [("SNV", 0), ("XA", 1), ("XB", 2)].into();
        let list = duties(&tasks, &keys, &order, d("2026-04-01"), |_| true);
        assert_eq!(list.len(), 1);
        let duty = &list[0];
        assert_eq!((duty.agencies, duty.counts.done_on_time), (3, 1));
        assert_eq!((duty.counts.done_late, duty.counts.not_done), (1, 1));
        assert_eq!(duty.overdue, ["XA"]);
    }
}
