//! The fields of a task by name: the one list the change log, the CSV/JSON columns, the sheets,
//! undo and replay share, so a field's name and its logged spelling live in one place.

use super::{Lang, NewTask, Recurrence, Status, Task};

/// One field of a task as the change log records it. `name()` is the stable ASCII name written
/// in the log, in CSV headers and in JSON; never change one (old files hold them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskField {
    PlanRef,
    Area,
    LeadAgency,
    Coordinating,
    CoordinatingInferred,
    Title,
    Detail,
    Output,
    Due,
    DueAssumed,
    Recurrence,
    Status,
    Progress,
    CompletedOn,
}

/// The change-log spelling of a field of a `Task` or a `NewTask` (same field names in both):
/// "" for empty, none or false, codes joined by ",".
macro_rules! logged_text {
    ($field:expr, $t:expr) => {
        match $field {
            TaskField::PlanRef => $t.plan_ref.clone(),
            TaskField::Area => $t.area.clone(),
            TaskField::LeadAgency => $t.lead_agency.clone(),
            TaskField::Coordinating => $t.coordinating.join(","),
            TaskField::CoordinatingInferred => $t.coordinating_inferred.join(","),
            TaskField::Title => $t.title.clone(),
            TaskField::Detail => $t.detail.clone(),
            TaskField::Output => $t.output.clone(),
            TaskField::Due => $t.due.to_string(),
            TaskField::DueAssumed => if $t.due_assumed { "1" } else { "" }.to_string(),
            TaskField::Recurrence => $t.recurrence.as_str().to_string(),
            TaskField::Status => $t.status.as_str().to_string(),
            TaskField::Progress => $t.progress.to_string(),
            TaskField::CompletedOn => $t.completed_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    };
}

impl TaskField {
    /// Every field, in the order of the tasks table (and of a creation's change record).
    pub const ALL: [TaskField; 14] = [
        TaskField::PlanRef,
        TaskField::Area,
        TaskField::LeadAgency,
        TaskField::Coordinating,
        TaskField::CoordinatingInferred,
        TaskField::Title,
        TaskField::Detail,
        TaskField::Output,
        TaskField::Due,
        TaskField::DueAssumed,
        TaskField::Recurrence,
        TaskField::Status,
        TaskField::Progress,
        TaskField::CompletedOn,
    ];

    /// The fields a member's change (`TaskPatch`) can touch, in the order an update's change
    /// record lists them; only these can be undone.
    pub const EDITABLE: [TaskField; 9] = [
        TaskField::Title,
        TaskField::Output,
        TaskField::Area,
        TaskField::LeadAgency,
        TaskField::Coordinating,
        TaskField::Due,
        TaskField::Status,
        TaskField::Progress,
        TaskField::CompletedOn,
    ];

    /// The stable name: change log, CSV header, JSON key.
    pub const fn name(self) -> &'static str {
        match self {
            TaskField::PlanRef => "plan_ref",
            TaskField::Area => "area",
            TaskField::LeadAgency => "lead_agency",
            TaskField::Coordinating => "coordinating",
            TaskField::CoordinatingInferred => "coordinating_inferred",
            TaskField::Title => "title",
            TaskField::Detail => "detail",
            TaskField::Output => "output",
            TaskField::Due => "due",
            TaskField::DueAssumed => "due_assumed",
            TaskField::Recurrence => "recurrence",
            TaskField::Status => "status",
            TaskField::Progress => "progress",
            TaskField::CompletedOn => "completed_on",
        }
    }

    /// What a member reads for the field.
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            TaskField::PlanRef => ("Mã kế hoạch", "Plan ref"),
            TaskField::Area => ("Lĩnh vực", "Area"),
            TaskField::LeadAgency => ("Cơ quan chủ trì", "Lead agency"),
            TaskField::Coordinating => ("Cơ quan phối hợp", "Coordinating agencies"),
            TaskField::CoordinatingInferred => ("Phối hợp (suy ra)", "Coordinating (inferred)"),
            TaskField::Title => ("Tên nhiệm vụ", "Title"),
            TaskField::Detail => ("Nội dung", "Text"),
            TaskField::Output => ("Sản phẩm", "Output"),
            TaskField::Due => ("Hạn", "Due"),
            TaskField::DueAssumed => ("Hạn giả định", "Due date assumed"),
            TaskField::Recurrence => ("Định kỳ", "Recurrence"),
            TaskField::Status => ("Trạng thái", "Status"),
            TaskField::Progress => ("Tiến độ", "Progress"),
            TaskField::CompletedOn => ("Ngày hoàn thành", "Completed on"),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// A logged value (as `get` spells it) as a member reads it: a status by its label, a date
    /// day first (31/12/2026, as `report::date` writes it), a percentage with %, ∅ for none;
    /// anything else, or a value that does not parse, as it is.
    pub fn display_value(self, value: Option<&str>, lang: Lang) -> String {
        let Some(v) = value else {
            return "∅".to_string();
        };
        match self {
            TaskField::Status => {
                Status::parse(v).map_or_else(|| v.to_string(), |s| s.label(lang).to_string())
            }
            TaskField::Progress => format!("{v}%"),
            TaskField::Due | TaskField::CompletedOn => v
                .parse::<chrono::NaiveDate>()
                .map_or_else(|_| v.to_string(), |d| d.format("%d/%m/%Y").to_string()),
            _ => v.to_string(),
        }
    }

    /// The field whose stable name is `name` exactly (as read back from the log or a header).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// A field a member typed: its name (`-` or a space for `_`, any case) or its label in
    /// either language, with or without diacritics. The error is one line listing the names.
    pub fn parse(input: &str) -> Result<Self, String> {
        let folded = crate::text::fold(input.trim());
        let key = folded.replace(['-', ' '], "_");
        Self::ALL
            .into_iter()
            .find(|f| {
                f.name() == key
                    || crate::text::fold(f.label(Lang::Vi)) == folded
                    || crate::text::fold(f.label(Lang::En)) == folded
            })
            .ok_or_else(|| {
                format!(
                    "{:?} is not a task field; use one of {}",
                    crate::untrusted::line(input),
                    Self::ALL.map(|f| f.name()).join(", ")
                )
            })
    }

    /// The task's value as the change log writes it: "" for empty, none or false.
    pub fn get(self, task: &Task) -> String {
        logged_text!(self, task)
    }

    /// As `get`, for a task not stored yet.
    pub fn get_new(self, task: &NewTask) -> String {
        logged_text!(self, task)
    }

    /// The logged value, `None` when empty (how change records store an empty value).
    pub fn logged(self, task: &Task) -> Option<String> {
        Some(self.get(task)).filter(|v| !v.is_empty())
    }

    /// Sets the field from its change-log text (the inverse of `logged`; `None` is empty).
    /// The error names the field and the text that does not fit it.
    pub fn set(self, task: &mut Task, value: Option<&str>) -> Result<(), String> {
        let text = value.unwrap_or("");
        let bad = || {
            format!(
                "{:?} is not a valid {}",
                crate::untrusted::line(text),
                self.name()
            )
        };
        let codes = |s: &str| -> Vec<String> {
            s.split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect()
        };
        match self {
            TaskField::PlanRef => task.plan_ref = text.to_string(),
            TaskField::Area => task.area = text.to_string(),
            TaskField::LeadAgency => task.lead_agency = text.to_string(),
            TaskField::Coordinating => task.coordinating = codes(text),
            TaskField::CoordinatingInferred => task.coordinating_inferred = codes(text),
            TaskField::Title => task.title = text.to_string(),
            TaskField::Detail => task.detail = text.to_string(),
            TaskField::Output => task.output = text.to_string(),
            TaskField::Due => task.due = text.parse().map_err(|_| bad())?,
            TaskField::DueAssumed => task.due_assumed = !text.is_empty() && text != "0",
            TaskField::Recurrence => task.recurrence = Recurrence::parse(text).ok_or_else(bad)?,
            TaskField::Status => task.status = Status::parse(text).ok_or_else(bad)?,
            TaskField::Progress => {
                task.progress = text
                    .parse::<u8>()
                    .ok()
                    .filter(|p| *p <= 100)
                    .ok_or_else(bad)?
            }
            TaskField::CompletedOn => {
                task.completed_on = match value.filter(|v| !v.is_empty()) {
                    None => None,
                    Some(d) => Some(d.parse().map_err(|_| bad())?),
                }
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for TaskField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
