//! Export and import formats: the export's JSON document and a tasks CSV. Parsing checks every
//! row against the known areas and agencies and reports all bad rows, by row number, before
//! anything is written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::csv_read::{Decoded, Sheet};
use crate::model::{
    Agency, AgencyKind, Area, DisplayState, Indicator, Measurement, NewTask, Recurrence, Status,
    Task, TaskField as F,
};
use crate::store::NewMeasurement;
use crate::text::fold;
use crate::untrusted;

mod parse;

use parse::*;
pub use parse::{CsvRows, JsonItems, parse_csv};

/// A task as every JSON output shows it (`cchc tasks --format json`, export): the task's own
/// fields, flattened, plus what is derived from them on "today". Import reads back `task`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaskRecord {
    #[serde(default)]
    pub id: i64,
    #[serde(flatten)]
    pub task: NewTask,
    #[serde(default)]
    pub overdue: bool,
    #[serde(default = "not_started_state")]
    pub display_state: DisplayState,
    #[serde(default)]
    pub days_late: i64,
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub updated_by: String,
    #[serde(default)]
    pub updated_at: String,
}

fn not_started_state() -> DisplayState {
    DisplayState::NotStarted
}

impl TaskRecord {
    pub fn new(t: &Task, today: NaiveDate) -> Self {
        TaskRecord {
            id: t.id,
            task: NewTask::from(t),
            overdue: t.is_overdue(today),
            display_state: t.display_state(today),
            days_late: t.days_late(today),
            version: t.version,
            updated_by: t.updated_by.clone(),
            updated_at: t.updated_at.clone(),
        }
    }
}

/// The whole export document.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExportDoc {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub exported_at: String,
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    #[serde(default)]
    pub areas: Vec<Area>,
    #[serde(default)]
    pub agencies: Vec<Agency>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub measurements: Vec<Measurement>,
    pub tasks: Vec<TaskRecord>,
}

pub const EXPORT_FORMAT: &str = "cchc-export";

/// Largest file read whole (an agency list), in bytes: refused before it is read.
pub const MAX_IMPORT_BYTES: u64 = 200_000_000;
/// Largest tasks CSV or export document, in bytes: refused before it is read. They are read as
/// a stream (a province's million tasks are about 210 MB of CSV), so this bounds the time an
/// import may take, not its memory.
pub const MAX_STREAMED_IMPORT_BYTES: u64 = 4_000_000_000;
/// Largest CSV row of an import, in bytes.
pub const MAX_ROW_BYTES: usize = 1_000_000;

/// Why [`read_limited`] read nothing.
#[derive(Debug)]
pub enum ReadError {
    /// Larger than the limit (on disk, or grown while being read).
    TooLarge,
    /// Not a regular file, missing or unreadable: the message says which.
    Io(crate::error::Error),
}

/// Reads a whole import file, but only a regular file of at most `limit` bytes: the type and
/// size are checked before it is opened, and the read itself stops one byte past the limit (a
/// file that grows meanwhile is refused too).
pub fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    crate::store::require_regular(path, "the import file").map_err(ReadError::Io)?;
    let cannot = |e: std::io::Error| {
        ReadError::Io(crate::error::Error::invalid(format!(
            "cannot read {}: {e}",
            path.display()
        )))
    };
    if std::fs::metadata(path).map_err(cannot)?.len() > limit {
        return Err(ReadError::TooLarge);
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// The CSV columns of a tasks export; import needs only area, lead_agency, title and due.
pub const CSV_COLUMNS: [&str; 13] = [
    "id",
    F::PlanRef.name(),
    F::Area.name(),
    F::LeadAgency.name(),
    F::Title.name(),
    F::Due.name(),
    F::Status.name(),
    F::Progress.name(),
    F::Coordinating.name(),
    F::Output.name(),
    F::DueAssumed.name(),
    F::Recurrence.name(),
    F::CompletedOn.name(),
];

pub fn csv_row(t: &Task) -> Vec<String> {
    vec![
        t.id.to_string(),
        t.plan_ref.clone(),
        t.area.clone(),
        t.lead_agency.clone(),
        t.title.clone(),
        t.due.to_string(),
        t.status.as_str().to_string(),
        t.progress.to_string(),
        t.coordinating.join(";"),
        t.output.clone(),
        t.due_assumed.to_string(),
        t.recurrence.as_str().to_string(),
        t.completed_on.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// Writes `csv_row(t)`'s fields to `w` from the task's own fields, without ending the record
/// (callers may add columns). `buf` is scratch space, reused across rows.
pub fn write_csv_fields<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    t: &Task,
    buf: &mut String,
) -> csv::Result<()> {
    // Text fields go through the spreadsheet rule, as `csv_text` does for `csv_row`.
    let text = |s: &str| untrusted::cell_block(s).into_owned();
    write_display_field(w, buf, t.id)?;
    w.write_field(text(&t.plan_ref))?;
    w.write_field(text(&t.area))?;
    w.write_field(text(&t.lead_agency))?;
    w.write_field(text(&t.title))?;
    write_display_field(w, buf, t.due)?;
    w.write_field(t.status.as_str())?;
    write_display_field(w, buf, t.progress)?;
    buf.clear();
    for (i, c) in t.coordinating.iter().enumerate() {
        if i > 0 {
            buf.push(';');
        }
        buf.push_str(c);
    }
    w.write_field(text(buf))?;
    w.write_field(text(&t.output))?;
    w.write_field(if t.due_assumed { "true" } else { "false" })?;
    w.write_field(t.recurrence.as_str())?;
    match t.completed_on {
        Some(d) => write_display_field(w, buf, d),
        None => w.write_field(""),
    }
}

/// Writes `v` as one field, as `v.to_string()` would spell it, formatted in `buf`.
pub fn write_display_field<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    buf: &mut String,
    v: impl std::fmt::Display,
) -> csv::Result<()> {
    use std::fmt::Write as _;
    buf.clear();
    // Writing to a String cannot fail.
    let _ = write!(buf, "{v}");
    w.write_field(buf.as_bytes())
}

/// Finds areas and agencies by code or by name, ignoring case and diacritics. The names are
/// folded once, here: an import asks for every row.
pub struct Resolver {
    areas: Vec<(String, [String; 3])>, // (code, folded code, Vietnamese and English names)
    agencies: Vec<(String, String, String)>, // (code, folded code, folded name)
}

impl Resolver {
    pub fn new(areas: &[Area], agencies: &[Agency]) -> Self {
        Resolver {
            areas: areas
                .iter()
                .map(|a| {
                    (
                        a.code.clone(),
                        [fold(&a.code), fold(&a.name_vi), fold(&a.name_en)],
                    )
                })
                .collect(),
            agencies: agencies
                .iter()
                .map(|a| (a.code.clone(), fold(&a.code), fold(&a.name)))
                .collect(),
        }
    }

    pub fn area(&self, s: &str) -> Option<String> {
        let f = fold(s.trim());
        self.areas
            .iter()
            .find(|(_, names)| names.contains(&f))
            .map(|(code, _)| code.clone())
    }

    /// Exact match of a code or a whole name.
    pub fn agency(&self, s: &str) -> Option<String> {
        let f = fold(s.trim());
        self.agencies
            .iter()
            .find(|(_, code, name)| *code == f || *name == f)
            .map(|(c, _, _)| c.clone())
    }

    /// Agencies whose code is `s` or whose name contains it (for `--agency` filters).
    pub fn agencies_matching(&self, s: &str) -> Vec<String> {
        let f = fold(s.trim());
        if let Some(exact) = self.agency(s) {
            return vec![exact];
        }
        self.agencies
            .iter()
            .filter(|(_, _, name)| name.contains(&f))
            .map(|(c, _, _)| c.clone())
            .collect()
    }
}

/// What an import file holds once checked.
#[derive(Debug, Default)]
pub struct ImportBatch {
    pub tasks: Vec<NewTask>,
    pub measurements: Vec<NewMeasurement>,
    pub new_agencies: Vec<Agency>,
}

pub use crate::model::RowError;

/// Reads an export JSON document or a tasks CSV (told apart by the first character) given as
/// UTF-8 text.
pub fn parse_import(
    text: &str,
    areas: &[Area],
    agencies: &[Agency],
    create_agencies: bool,
) -> Result<ImportBatch, Vec<RowError>> {
    let text = text.trim_start_matches('\u{feff}');
    if is_json(text) {
        parse_json(text, areas, agencies, create_agencies)
    } else {
        parse_csv(&Decoded::from_text(text), areas, agencies, create_agencies)
    }
}

/// Whether an import file's text is the export's JSON document rather than a CSV.
pub fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

#[cfg(test)]
mod tests;
