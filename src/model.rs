//! Plain domain types and the rules that need no storage: what "overdue" means and the five
//! display states of the Vietnamese task-tracking rules. Knows nothing of SQL or terminals.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod task_field;
pub use task_field::TaskField;

/// One of the seven groups of work of the plan (stable code such as `tthc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
}

impl Area {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.name_vi,
            Lang::En => &self.name_en,
        }
    }
}

/// What kind of body an agency is; communes are many, departments few.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AgencyKind {
    /// Văn phòng UBND tỉnh and the provincial departments (sở).
    Department,
    /// Ủy ban MTTQ and the socio-political organisations.
    Front,
    /// Trường Chính trị, Báo và PT-TH: bodies the plan asks ("đề nghị") rather than directs.
    Partner,
    /// Central agencies based in the province.
    Central,
    /// UBND xã, phường — one commune, or the group of all of them.
    Commune,
}

impl AgencyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Department => "department",
            AgencyKind::Front => "front",
            AgencyKind::Partner => "partner",
            AgencyKind::Central => "central",
            AgencyKind::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "department" => AgencyKind::Department,
            "front" => AgencyKind::Front,
            "partner" => AgencyKind::Partner,
            "central" => AgencyKind::Central,
            "commune" => AgencyKind::Commune,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Percent,
    Level,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Level => "level",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "percent" => Some(Unit::Percent),
            "level" => Some(Unit::Level),
            _ => None,
        }
    }
}

/// `AtLeast`: the measured value must reach the target ("tối thiểu 95%", "đạt 100%").
/// `Above`: the measured value must pass the target strictly ("trên 95%": 95.0 is not met).
/// `ReduceBy`: the target is a reduction (10 for "giảm 10%") measured against the indicator's
/// baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    AtLeast,
    Above,
    ReduceBy,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::AtLeast => "at-least",
            Direction::Above => "above",
            Direction::ReduceBy => "reduce-by",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "at-least" => Some(Direction::AtLeast),
            "above" => Some(Direction::Above),
            "reduce-by" => Some(Direction::ReduceBy),
            _ => None,
        }
    }
}

/// One dated step of an indicator ("Giai đoạn 2026-2027" is due 2027-12-31).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub value: f64,
    pub due: NaiveDate,
}

/// Where an indicator starts from. For `ReduceBy` it is the reference the reduction is measured
/// against ("so với năm 2025"); `value` is unknown until someone records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub value: Option<f64>,
    pub date: NaiveDate,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub area: String,
    pub name: String,
    pub unit: Unit,
    pub direction: Direction,
    pub baseline: Option<Baseline>,
    pub lead_agency: String,
    pub targets: Vec<Target>,
}

/// A recorded value of an indicator; every one is kept and "latest" is derived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub id: i64,
    pub indicator: String,
    pub value: f64,
    pub measured_on: NaiveDate,
    pub source: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

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

/// A duty of the plan expanded for its lead agencies: for every agency in `for_agencies`, or for
/// every agency of a kind in `for_kinds` (section V.1's "các sở, ban, ngành; UBND các xã,
/// phường"), including one registered after the plan was seeded. `plan::expand_duty` turns it
/// into tasks; the seed and `cchc agency add` both go through it.
#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    pub plan_ref: String,
    pub area: String,
    pub for_kinds: Vec<AgencyKind>,
    pub coordinating: Vec<String>,
    pub coordinating_inferred: Vec<String>,
    pub detail: String,
    pub periods: Vec<DutyPeriod>,
}

/// One dated instance of a duty, the same for every lead: the plan_ref suffix ("/2026-Q1", or
/// "" for a once duty), the title and output with `{period}` filled in, and the due date.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyPeriod {
    pub suffix: String,
    pub title: String,
    pub output: String,
    pub recurrence: Recurrence,
    pub due: NaiveDate,
}

/// Who issued the plan and why: its heading, section I (mục đích, yêu cầu), section II.1 (mục
/// tiêu chung) and the plan it replaces, as the plan writes them. Shown on the meeting's
/// overview slide and in the opening paragraph of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanInfo {
    /// "Kế hoạch Cải cách hành chính nhà nước tỉnh Lạng Sơn giai đoạn 2026-2030".
    pub title: String,
    /// "UBND tỉnh Lạng Sơn".
    pub issuer: String,
    /// The number and date as the source gives them (both still blank in it).
    pub number: String,
    pub issued: String,
    /// The plan this one replaces (closing paragraph of section V).
    pub replaces: String,
    /// Section I.1, one entry per paragraph.
    pub purpose: Vec<String>,
    /// Section I.2, one entry per paragraph.
    pub requirements: Vec<String>,
    /// Section II.1.
    pub general_objective: String,
}

/// The plan as loaded from `data/`, recurring duties already expanded into dated instances.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub info: PlanInfo,
    pub areas: Vec<Area>,
    pub agencies: Vec<Agency>,
    pub indicators: Vec<Indicator>,
    pub tasks: Vec<NewTask>,
}

/// One field's change inside a change-log entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    /// A change of one task field.
    pub fn task(field: TaskField, old: Option<String>, new: Option<String>) -> Self {
        FieldChange {
            field: field.name().into(),
            old,
            new,
        }
    }

    /// The task field this change is of; `None` for a member's, a measurement's or a count.
    pub fn task_field(&self) -> Option<TaskField> {
        TaskField::from_name(&self.field)
    }

    /// The one spelling of a change: "field: old → new" with stored codes and values as they
    /// are (∅ for none); callers that print it pass it through `untrusted::line`.
    pub fn describe(&self) -> String {
        format!(
            "{}: {} → {}",
            self.field,
            self.old.as_deref().unwrap_or("∅"),
            self.new.as_deref().unwrap_or("∅")
        )
    }

    /// `describe` of each change, joined by "; ".
    pub fn describe_all(changes: &[FieldChange]) -> String {
        changes
            .iter()
            .map(FieldChange::describe)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One user action as recorded in the change log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub changes: Vec<FieldChange>,
    pub note: Option<String>,
    pub hash: String,
    /// The OS account (uid, login) of the process that wrote the entry; `None` for entries
    /// written before cchc recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// The import entry this entry belongs to (one per task an import creates or changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub task_id: i64,
    pub author: String,
    pub at: String,
    pub text: String,
}

/// Interface language; Vietnamese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

#[cfg(test)]
mod tests;
