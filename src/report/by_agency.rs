//! The report's two lists by agency: section II's overdue tasks and section III's tasks due in
//! the next quarter.

use std::collections::HashMap;

use crate::model::{DisplayState, Task};

use super::{
    AgencyOverdue, AgencyStanding, AgencyUpcoming, AreaSection, NextQuarter, OverdueRow,
    ReportInput, UpcomingRow, state_on,
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
        });
    }
    for g in &mut groups {
        g.tasks
            .sort_by(|a, b| b.days_late.cmp(&a.days_late).then(a.id.cmp(&b.id)));
    }
    groups.retain(|g| !g.tasks.is_empty());
    groups
}

/// The tasks due in the quarter after the report's period and not done by "as of", by lead
/// agency in the agency list's order.
pub(super) fn next_quarter(input: &ReportInput, agency_name: &HashMap<&str, &str>) -> NextQuarter {
    let start = input.end.succ_opt().unwrap_or(input.end);
    let end = input.period.next().end();
    let mut by_agency: Vec<AgencyUpcoming> = Vec::new();
    let order: HashMap<&str, usize> = input
        .agencies
        .iter()
        .enumerate()
        .map(|(i, a)| (a.code.as_str(), i))
        .collect();
    let mut due: Vec<&Task> = input
        .tasks
        .iter()
        .filter(|t| t.due >= start && t.due <= end)
        .filter(|t| {
            !matches!(
                state_on(t, input.as_of.date),
                DisplayState::DoneOnTime | DisplayState::DoneLate
            )
        })
        .collect();
    due.sort_by_key(|t| {
        (
            order
                .get(t.lead_agency.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            t.lead_agency.clone(),
            t.due,
            t.id,
        )
    });
    for t in due {
        if by_agency.last().is_none_or(|g| g.agency != t.lead_agency) {
            by_agency.push(AgencyUpcoming {
                agency: t.lead_agency.clone(),
                name: agency_name
                    .get(t.lead_agency.as_str())
                    .map_or_else(|| t.lead_agency.clone(), |n| n.to_string()),
                tasks: Vec::new(),
            });
        }
        if let Some(g) = by_agency.last_mut() {
            g.tasks.push(UpcomingRow {
                id: t.id,
                title: t.title.clone(),
                due: t.due,
                state: state_on(t, input.as_of.date),
                progress: t.progress,
            });
        }
    }
    NextQuarter {
        start,
        end,
        by_agency,
    }
}
