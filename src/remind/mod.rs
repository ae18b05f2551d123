//! Đôn đốc (issue 26): from "who is behind" to the letter that urges them. The plan gives Sở
//! Nội vụ the duty to "theo dõi, hướng dẫn, đôn đốc, kiểm tra" its execution (section V.2.1);
//! this is the đôn đốc. For one agency, [`letter`] picks what to urge — the open tasks it leads
//! on its sheet for the period that are overdue, or fall due within so many days — and the
//! modules beside it word the letter once (`words`), lay it out as a công văn of Nghị định
//! 30/2020 (`docx`) or Markdown (`markdown`), and mail it with the agency's sheet (`mail`).
//! Plain data in, bytes out: the store and the command line are the callers'.

pub mod docx;
pub mod mail;
pub mod markdown;
pub mod prepare;
pub mod words;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{DisplayState, Reminded, Reminder, ReportPeriod, Status, Task};
use crate::store::AgencyRow;

/// One task a letter names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LetterTask {
    pub id: i64,
    pub title: String,
    pub due: NaiveDate,
    /// Days past its due date (overdue), or left before it (due soon).
    pub days: i64,
    pub progress: u8,
    pub state: DisplayState,
}

/// A letter urging one agency, before it is worded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Letter {
    pub agency: String,
    pub agency_name: String,
    /// "Kính gửi: …": the agency's addressee, else its name.
    pub addressed_to: String,
    pub emails: Vec<String>,
    /// The issuing agency's name as the body says it ("Sở Nội vụ").
    pub issuer: String,
    pub period: ReportPeriod,
    pub today: NaiveDate,
    pub due_within: u32,
    pub respond_by: NaiveDate,
    pub overdue: Vec<LetterTask>,
    pub due_soon: Vec<LetterTask>,
    /// The earlier letters that named any of these tasks.
    pub reminded: Option<Reminded>,
}

impl Letter {
    /// The tasks it names, overdue first, as the reminder records them.
    pub fn task_ids(&self) -> Vec<i64> {
        self.overdue
            .iter()
            .chain(&self.due_soon)
            .map(|t| t.id)
            .collect()
    }
}

/// What the letters look at: the period whose sheet goes with them, today, the days ahead a
/// letter looks, and the days an agency is given to answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scope {
    pub period: ReportPeriod,
    pub today: NaiveDate,
    pub due_within: u32,
    pub respond_within: u32,
}

/// The letter urging `agency`, or `None` when it has nothing to urge: the open tasks it leads
/// (never another agency's) among those of its sheet for the period (`office::sheet::tasks_for`,
/// so the agency answers every one on the sheet that goes with the letter), overdue as of
/// today (only days that have come count) or due within `due_within` days. `reminders` are the
/// agency's earlier letters; `issuer` the urging agency's name.
pub fn letter(
    agency: &AgencyRow,
    tasks: &[Task],
    reminders: &[Reminder],
    issuer: &str,
    scope: Scope,
) -> Option<Letter> {
    let today = scope.today;
    let horizon = today + chrono::Days::new(u64::from(scope.due_within));
    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    for t in crate::office::sheet::tasks_for(&agency.code, scope.period, tasks) {
        if t.lead_agency != agency.code || t.status == Status::Done || t.due > horizon {
            continue;
        }
        let late = (today - t.due).num_days();
        let line = LetterTask {
            id: t.id,
            title: t.title.clone(),
            due: t.due,
            days: late.abs(),
            progress: t.progress,
            state: t.display_state(today),
        };
        if late > 0 {
            overdue.push(line);
        } else {
            due_soon.push(line);
        }
    }
    if overdue.is_empty() && due_soon.is_empty() {
        return None;
    }
    // Most days late first, as the report lists them; then soonest first.
    overdue.sort_by(|a, b| b.days.cmp(&a.days).then(a.id.cmp(&b.id)));
    due_soon.sort_by_key(|t| (t.due, t.id));
    let mut letter = Letter {
        agency: agency.code.clone(),
        agency_name: agency.name.clone(),
        addressed_to: agency.addressed_to().to_string(),
        emails: agency.emails.clone(),
        issuer: issuer.to_string(),
        period: scope.period,
        today,
        due_within: scope.due_within,
        respond_by: today + chrono::Days::new(u64::from(scope.respond_within)),
        overdue,
        due_soon,
        reminded: None,
    };
    let ids = letter.task_ids();
    letter.reminded = Reminded::of(reminders, |t| ids.contains(&t));
    Some(letter)
}

/// The file name of an agency's letter: `Cong-van-don-doc-STP-2026-11-12.docx`.
pub fn file_name(agency: &str, today: NaiveDate, extension: &str) -> String {
    let safe = crate::office::file_name_part(agency);
    format!("Cong-van-don-doc-{safe}-{today}.{extension}")
}

#[cfg(test)]
mod tests;
