//! A change to several marked tasks at once: the one confirmation that says how many tasks of
//! which agencies, and the per-task report afterwards (the writes themselves are
//! [`Store::update_each`](crate::store::Store::update_each), one versioned write per task).

use crate::error::Error;
use crate::model::{Lang, TaskPatch};
use crate::store::BulkTarget;

use super::Target;
use crate::tui::labels::{self, tr};

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
        other => format!(
            "#{task_id}: {}",
            crate::untrusted::line(&other.message(lang))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: i64, agency: &str) -> Target {
        Target {
            task_id: id,
            version: 1,
            title: format!("task {id}"),
            agency: agency.into(),
        }
    }

    #[test]
    fn the_question_counts_tasks_and_agencies_and_names_a_dozen() {
        let mut c = Confirm {
            targets: vec![target(1, "SNV"), target(2, "STP"), target(3, "SNV")],
            patch: TaskPatch::default(),
            note: Some("n".into()),
            change: String::new(),
        };
        assert_eq!(
            c.question(Lang::Vi),
            "Cập nhật 3 nhiệm vụ của 2 cơ quan: SNV, STP? (y/n)"
        );
        assert_eq!(
            c.question(Lang::En),
            "Update 3 tasks of 2 agencies: SNV, STP? (y/n)"
        );
        // A note is written without a version check; a patch with one.
        assert!(c.store_targets().iter().all(|t| t.version.is_none()));
        c.patch.progress = Some(50);
        assert!(c.store_targets().iter().all(|t| t.version == Some(1)));
        c.targets = (0..20).map(|i| target(i, &format!("A{i}"))).collect();
        let q = c.question(Lang::Vi);
        assert!(
            q.starts_with("Cập nhật 20 nhiệm vụ của 20 cơ quan: A0, A1,"),
            "{q}"
        );
        assert!(q.ends_with("A11, …? (y/n)"), "{q}");
        // A code from the file cannot carry terminal controls into the popup.
        c.targets = vec![target(1, "X\u{1b}[31m")];
        assert!(!c.question(Lang::Vi).contains('\u{1b}'));
    }
}
