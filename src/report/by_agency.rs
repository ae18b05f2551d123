//! The report's lists by agency and ahead: the overdue tasks by lead agency, and what falls due
//! next period (section IV).

use std::collections::HashMap;

use crate::model::{DisplayState, Task};

use super::{
    AgencyOverdue, AgencyStanding, AreaSection, NextPeriod, OverdueRow, ReportInput, TaskLine,
    state_on,
};

/// The overdue rows of every area, grouped by lead agency in the standings' order (most overdue
/// first); an agency missing from the agency list comes last, under its code.
pub(super) fn group_overdue(
    areas: &[AreaSection],
    standings: &[AgencyStanding],
) -> Vec<AgencyOverdue> {
    let mut groups: Vec<AgencyOverdue> = standings
        .iter()
        .filter(|s| s.overdue > 0)
        .map(|s| AgencyOverdue {
            agency: s.code.clone(),
            name: s.name.clone(),
            tasks: Vec::new(),
        })
        .collect();
    for row in areas.iter().flat_map(|a| &a.overdue) {
        let i = match groups.iter().position(|g| g.agency == row.lead_agency) {
            Some(i) => i,
            None => {
                groups.push(AgencyOverdue {
                    agency: row.lead_agency.clone(),
                    name: row.lead_agency.clone(),
                    tasks: Vec::new(),
                });
                groups.len() - 1
            }
        };
        groups[i].tasks.push(OverdueRow {
            id: row.id,
            title: row.title.clone(),
            lead_agency: row.lead_agency.clone(),
            lead_agency_name: row.lead_agency_name.clone(),
            due: row.due,
            days_late: row.days_late,
            duty: row.duty.clone(),
        });
    }
    for g in &mut groups {
        g.tasks
            .sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
    }
    groups.retain(|g| !g.tasks.is_empty());
    groups
}

/// What falls due in the next period's own days and is not done by "as of": the routine
/// duties counted once, the other tasks one by one, by area in plan order then soonest first.
pub(super) fn next_period(
    input: &ReportInput,
    keys: &HashMap<i64, String>,
    agency_order: &HashMap<&str, usize>,
    name_of: &dyn Fn(&str) -> String,
) -> NextPeriod {
    let period = input.period.next();
    let (start, end) = period.own_days();
    let as_of = input.as_of.date;
    let open = |t: &Task| {
        t.due >= start
            && t.due <= end
            && !matches!(
                state_on(t, as_of),
                DisplayState::DoneOnTime | DisplayState::DoneLate
            )
    };
    let duties = super::period_figures::duties(input.tasks, keys, agency_order, as_of, open);
    let area_order: HashMap<&str, usize> = input
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code.as_str(), i))
        .collect();
    let mut due: Vec<&Task> = input
        .tasks
        .iter()
        .filter(|t| open(t) && !keys.contains_key(&t.id))
        .collect();
    due.sort_by_key(|t| (area_order.get(t.area.as_str()).copied(), t.due, t.id));
    NextPeriod {
        period,
        start,
        end,
        duties,
        tasks: due
            .into_iter()
            .map(|t| TaskLine {
                id: t.id,
                area: t.area.clone(),
                title: t.title.clone(),
                lead_agency: t.lead_agency.clone(),
                lead_agency_name: name_of(&t.lead_agency),
                due: t.due,
                completed_on: None,
                state: state_on(t, as_of),
                progress: t.progress,
            })
            .collect(),
    }
}
