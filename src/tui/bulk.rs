//! A change to several marked tasks at once: the one confirmation that says how many tasks of
//! which agencies, and the per-task report afterwards (the writes themselves are
//! [`Store::update_each`](crate::store::Store::update_each), one versioned write per task).

use crate::error::Error;
use crate::model::{Lang, TaskPatch};
use crate::store::BulkTarget;

use super::labels::{self, tr};
use super::popup::Target;

/// How many agency codes the question names before "…".
const AGENCIES_NAMED: usize = 12;

/// The change waiting for y/n.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub targets: Vec<Target>,
    pub patch: TaskPatch,
    pub note: Option<String>,
    /// What the change is, as the popup says it ("Trạng thái → Hoàn thành").
    pub change: String,
}

impl Confirm {
    /// The lead agencies of the targets, each once, in the order the tasks come.
    pub fn agencies(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = Vec::new();
        for t in &self.targets {
            if !codes.contains(&t.agency.as_str()) {
                codes.push(&t.agency);
            }
        }
        codes
    }

    /// "Cập nhật 8 nhiệm vụ của 8 cơ quan: SNV, STP, …? (y/n)"
    pub fn question(&self, lang: Lang) -> String {
        let agencies = self.agencies();
        let mut named: Vec<String> = agencies
            .iter()
            .take(AGENCIES_NAMED)
            .map(|c| crate::untrusted::line(c).into_owned())
            .collect();
        if agencies.len() > AGENCIES_NAMED {
            named.push("…".into());
        }
        match lang {
            Lang::Vi => format!(
                "Cập nhật {} nhiệm vụ của {} cơ quan: {}? (y/n)",
                self.targets.len(),
                agencies.len(),
                named.join(", ")
            ),
            Lang::En => format!(
                "Update {} tasks of {} agencies: {}? (y/n)",
                self.targets.len(),
                agencies.len(),
                named.join(", ")
            ),
        }
    }

    /// What the store is asked to change: a note adds and overwrites nothing, so it is written
    /// without a version check, as for one task.
    pub fn store_targets(&self) -> Vec<BulkTarget> {
        let versioned = !self.patch.is_empty();
        self.targets
            .iter()
            .map(|t| BulkTarget {
                task_id: t.task_id,
                version: versioned.then_some(t.version),
            })
            .collect()
    }
}

/// One line of the report for a task that was not changed: "#157: changed by lan at 14:05".
pub fn refusal(task_id: i64, e: &Error, lang: Lang) -> String {
    match e {
        Error::Conflict(c) => match lang {
            Lang::Vi => format!(
                "#{task_id}: {} đã sửa lúc {}",
                c.by_shown(),
                labels::instant(&c.at)
            ),
            Lang::En => format!(
                "#{task_id}: changed by {} at {}",
                c.by_shown(),
                labels::instant(&c.at)
            ),
        },
        Error::Denied(why) => format!(
            "#{task_id}: {}: {}",
            tr(lang, "không được phép", "not permitted"),
            crate::untrusted::line(why)
        ),
        other => format!("#{task_id}: {}", crate::untrusted::line(&other.to_string())),
    }
}
