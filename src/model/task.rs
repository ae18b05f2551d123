//! A task and its rules: status, recurrence, the five display states, a new task, and a
//! member's patch that keeps status, progress and completion date consistent.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    Blocked,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::InProgress => "in-progress",
            Status::Done => "done",
            Status::Blocked => "blocked",
        }
    }

    /// Accepts the stable codes and a few natural spellings (Vietnamese too, with or without marks).
    pub fn parse(s: &str) -> Option<Self> {
        let folded = crate::text::fold(s).replace(['_', ' '], "-");
        Some(match folded.as_str() {
            "not-started" | "todo" | "new" | "chua-bat-dau" => Status::NotStarted,
            "in-progress" | "doing" | "started" | "dang-thuc-hien" => Status::InProgress,
            "done" | "completed" | "complete" | "hoan-thanh" => Status::Done,
            "blocked" | "vuong-mac" => Status::Blocked,
            _ => return None,
        })
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::NotStarted, Lang::Vi) => "Chưa bắt đầu",
            (Status::InProgress, Lang::Vi) => "Đang thực hiện",
            (Status::Done, Lang::Vi) => "Hoàn thành",
            (Status::Blocked, Lang::Vi) => "Vướng mắc",
            (Status::NotStarted, Lang::En) => "Not started",
            (Status::InProgress, Lang::En) => "In progress",
            (Status::Done, Lang::En) => "Done",
            (Status::Blocked, Lang::En) => "Blocked",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recurrence {
    Once,
    Yearly,
    HalfYearly,
    Quarterly,
}

impl Recurrence {
    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Once => "once",
            Recurrence::Yearly => "yearly",
            Recurrence::HalfYearly => "half-yearly",
            Recurrence::Quarterly => "quarterly",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "once" => Some(Recurrence::Once),
            "yearly" => Some(Recurrence::Yearly),
            "half-yearly" => Some(Recurrence::HalfYearly),
            "quarterly" => Some(Recurrence::Quarterly),
            _ => None,
        }
    }
}

/// A task as stored. `overdue` and the display state are derived from it and "today".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: i64,
    /// Where the task comes from in the plan ("III.3.2", "V.1.5/2027-Q2"); empty for added tasks.
    pub plan_ref: String,
    pub area: String,
    pub lead_agency: String,
    pub coordinating: Vec<String>,
    /// Those of `coordinating` the plan's paragraph does not name: inferred when the plan was
    /// transcribed (shown "(suy ra)"). Set by the seed only; edits never add to it.
    pub coordinating_inferred: Vec<String>,
    pub title: String,
    /// The plan's full text for the task (the paragraph the title sums up); may be empty.
    pub detail: String,
    pub output: String,
    pub due: NaiveDate,
    pub due_assumed: bool,
    pub recurrence: Recurrence,
    pub status: Status,
    pub progress: u8,
    pub completed_on: Option<NaiveDate>,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: String,
}

impl Task {
    /// Overdue: the due date has passed (due before today) and the task is not done.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != Status::Done && self.due < today
    }

    pub fn display_state(&self, today: NaiveDate) -> DisplayState {
        DisplayState::of(
            self.status,
            self.progress,
            self.due,
            self.completed_on,
            today,
        )
    }

    /// Days past the due date: for an open task counted to today, for a done one to its
    /// completion date; zero when not late.
    pub fn days_late(&self, today: NaiveDate) -> i64 {
        let end = match (self.status, self.completed_on) {
            (Status::Done, Some(done)) => done,
            (Status::Done, None) => return 0,
            _ => today,
        };
        (end - self.due).num_days().max(0)
    }
}

/// The five states of the Vietnamese task-tracking rules, derived (never stored):
/// - `DoneOnTime`: done, completed on or before the due date (or no completion date recorded);
/// - `DoneLate`: done, completed after the due date;
/// - `Overdue`: not done and the due date is before today;
/// - `InProgress`: not done, not overdue, and started (status in-progress or blocked, or progress > 0);
/// - `NotStarted`: not done, not overdue, nothing started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DisplayState {
    Overdue,
    InProgress,
    NotStarted,
    DoneLate,
    DoneOnTime,
}

impl DisplayState {
    pub const ALL: [DisplayState; 5] = [
        DisplayState::DoneOnTime,
        DisplayState::DoneLate,
        DisplayState::InProgress,
        DisplayState::Overdue,
        DisplayState::NotStarted,
    ];

    pub fn of(
        status: Status,
        progress: u8,
        due: NaiveDate,
        completed_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Self {
        if status == Status::Done {
            return match completed_on {
                Some(done) if done > due => DisplayState::DoneLate,
                _ => DisplayState::DoneOnTime,
            };
        }
        if due < today {
            DisplayState::Overdue
        } else if status != Status::NotStarted || progress > 0 {
            DisplayState::InProgress
        } else {
            DisplayState::NotStarted
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DisplayState::DoneOnTime => "done-on-time",
            DisplayState::DoneLate => "done-late",
            DisplayState::InProgress => "in-progress",
            DisplayState::Overdue => "overdue",
            DisplayState::NotStarted => "not-started",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DisplayState::DoneOnTime, Lang::Vi) => "Hoàn thành đúng hạn",
            (DisplayState::DoneLate, Lang::Vi) => "Hoàn thành quá hạn",
            (DisplayState::InProgress, Lang::Vi) => "Đang thực hiện",
            (DisplayState::Overdue, Lang::Vi) => "Quá hạn",
            (DisplayState::NotStarted, Lang::Vi) => "Chưa thực hiện",
            (DisplayState::DoneOnTime, Lang::En) => "Done on time",
            (DisplayState::DoneLate, Lang::En) => "Done late",
            (DisplayState::InProgress, Lang::En) => "In progress",
            (DisplayState::Overdue, Lang::En) => "Overdue",
            (DisplayState::NotStarted, Lang::En) => "Not started",
        }
    }
}

/// A task to be created (from the plan, the CLI, the TUI or an import).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTask {
    #[serde(default)]
    pub plan_ref: String,
    pub area: String,
    pub lead_agency: String,
    #[serde(default)]
    pub coordinating: Vec<String>,
    /// Those of `coordinating` inferred rather than named by the plan (see `Task`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coordinating_inferred: Vec<String>,
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub output: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub due_assumed: bool,
    #[serde(default = "Recurrence::once")]
    pub recurrence: Recurrence,
    #[serde(default = "Status::not_started")]
    pub status: Status,
    #[serde(default)]
    pub progress: u8,
    #[serde(default)]
    pub completed_on: Option<NaiveDate>,
}

impl NewTask {
    /// A one-off task a member adds by hand (CLI `task add`, TUI `a`): not started, dated by them.
    pub fn added(
        area: String,
        lead_agency: String,
        coordinating: Vec<String>,
        title: String,
        output: String,
        due: NaiveDate,
    ) -> Self {
        NewTask {
            plan_ref: String::new(),
            area,
            lead_agency,
            coordinating,
            coordinating_inferred: Vec::new(),
            title,
            detail: String::new(),
            output,
            due,
            due_assumed: false,
            recurrence: Recurrence::Once,
            status: Status::NotStarted,
            progress: 0,
            completed_on: None,
        }
    }
}

/// A task not yet written: no id, version or last writer (the store gives those).
impl From<&NewTask> for Task {
    fn from(t: &NewTask) -> Self {
        Task {
            id: 0,
            plan_ref: t.plan_ref.clone(),
            area: t.area.clone(),
            lead_agency: t.lead_agency.clone(),
            coordinating: t.coordinating.clone(),
            coordinating_inferred: t.coordinating_inferred.clone(),
            title: t.title.clone(),
            detail: t.detail.clone(),
            output: t.output.clone(),
            due: t.due,
            due_assumed: t.due_assumed,
            recurrence: t.recurrence,
            status: t.status,
            progress: t.progress,
            completed_on: t.completed_on,
            version: 0,
            updated_by: String::new(),
            updated_at: String::new(),
        }
    }
}

impl From<&Task> for NewTask {
    fn from(t: &Task) -> Self {
        NewTask {
            plan_ref: t.plan_ref.clone(),
            area: t.area.clone(),
            lead_agency: t.lead_agency.clone(),
            coordinating: t.coordinating.clone(),
            coordinating_inferred: t.coordinating_inferred.clone(),
            title: t.title.clone(),
            detail: t.detail.clone(),
            output: t.output.clone(),
            due: t.due,
            due_assumed: t.due_assumed,
            recurrence: t.recurrence,
            status: t.status,
            progress: t.progress,
            completed_on: t.completed_on,
        }
    }
}

impl Recurrence {
    fn once() -> Self {
        Recurrence::Once
    }
}

impl Status {
    fn not_started() -> Self {
        Status::NotStarted
    }
}

/// A change a member asks for. `None` leaves a field alone. `apply` also keeps status,
/// progress and completion date consistent, so every front end follows the same rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskPatch {
    pub status: Option<Status>,
    pub progress: Option<u8>,
    pub title: Option<String>,
    pub output: Option<String>,
    pub area: Option<String>,
    pub lead_agency: Option<String>,
    pub coordinating: Option<Vec<String>>,
    pub due: Option<NaiveDate>,
    /// A completion date given by hand (`--completed-on`, or a returned sheet's); without it a
    /// task set done is stamped with the clock's date. Kept only when the task ends up done.
    pub completed_on: Option<NaiveDate>,
}

impl TaskPatch {
    pub fn is_empty(&self) -> bool {
        *self == TaskPatch::default()
    }

    /// Applies the patch to `task` and returns the fields that really changed (old → new).
    /// Rules: done means 100% and a completion date (the patch's, else `clock` unless already
    /// set); 100% means done; any progress on a not-started task means in progress; reopening a
    /// done task clears its completion date (and 100% becomes 99% unless a percent is given).
    /// `clock` is the real date, never the view date.
    pub fn apply(&self, task: &mut Task, clock: NaiveDate) -> Vec<FieldChange> {
        let before = task.clone();
        if let Some(v) = &self.title {
            task.title = v.clone();
        }
        if let Some(v) = &self.output {
            task.output = v.clone();
        }
        if let Some(v) = &self.area {
            task.area = v.clone();
        }
        if let Some(v) = &self.lead_agency {
            task.lead_agency = v.clone();
        }
        if let Some(v) = &self.coordinating {
            task.coordinating = v.clone();
        }
        if let Some(v) = self.due {
            task.due = v;
        }
        if let Some(p) = self.progress {
            task.progress = p.min(100);
        }
        match self.status {
            Some(s) => task.status = s,
            None if self.progress == Some(100) => task.status = Status::Done,
            None if task.progress > 0 && task.status == Status::NotStarted => {
                task.status = Status::InProgress
            }
            None if self.progress.is_some() && task.status == Status::Done => {
                task.status = Status::InProgress
            }
            None => {}
        }
        if task.status == Status::Done {
            task.progress = 100;
            if self.completed_on.is_some() {
                task.completed_on = self.completed_on;
            } else if task.completed_on.is_none() {
                task.completed_on = Some(clock);
            }
        } else {
            task.completed_on = None;
            if task.progress == 100 && self.progress.is_none() {
                task.progress = 99;
            }
        }
        diff_tasks(&before, task)
    }
}

/// Field-by-field differences between two versions of a task, in the order of
/// `TaskField::EDITABLE`; an empty value is `None` ("none" reads better than "").
pub fn diff_tasks(old: &Task, new: &Task) -> Vec<FieldChange> {
    TaskField::EDITABLE
        .into_iter()
        .filter_map(|f| {
            let (a, b) = (f.logged(old), f.logged(new));
            (a != b).then(|| FieldChange::task(f, a, b))
        })
        .collect()
}
