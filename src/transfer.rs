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

/// Largest import file, in bytes: refused before it is read.
pub const MAX_IMPORT_BYTES: u64 = 200_000_000;
/// Largest CSV row of an import, in bytes.
pub const MAX_ROW_BYTES: usize = 1_000_000;

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

/// Finds areas and agencies by code or by name, ignoring case and diacritics.
pub struct Resolver<'a> {
    areas: &'a [Area],
    agencies: Vec<(String, String, String)>, // (code, folded code, folded name)
}

impl<'a> Resolver<'a> {
    pub fn new(areas: &'a [Area], agencies: &[Agency]) -> Self {
        Resolver {
            areas,
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
            .find(|a| fold(&a.code) == f || fold(&a.name_vi) == f || fold(&a.name_en) == f)
            .map(|a| a.code.clone())
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

/// One bad row: its number as a spreadsheet shows it (CSV: the header is row 1; JSON: the
/// task's position, from 1) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub row: usize,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}: {}", self.row, self.reason)
    }
}

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

/// The columns a tasks CSV may have beyond the export's: `detail`, and what `cchc tasks
/// --format csv` adds (derived, ignored on import).
const CSV_IMPORT_EXTRA: [&str; 5] = [
    F::Detail.name(),
    "overdue",
    "display_state",
    "days_late",
    "version",
];

struct Checker<'a> {
    resolver: Resolver<'a>,
    create_agencies: bool,
    created: Vec<Agency>,
    errors: Vec<RowError>,
}

impl Checker<'_> {
    fn agency(&mut self, row: usize, s: &str, what: &str) -> Option<String> {
        if let Some(code) = self.resolver.agency(s) {
            return Some(code);
        }
        if let Some(a) = self
            .created
            .iter()
            .find(|a| fold(&a.name) == fold(s.trim()))
        {
            return Some(a.code.clone());
        }
        if self.create_agencies && !s.trim().is_empty() {
            if let Err(e) = untrusted::name("the agency name", s) {
                self.errors.push(RowError {
                    row,
                    reason: e.to_string(),
                });
                return None;
            }
            let code = new_agency_code(s, &self.resolver, &self.created);
            self.created.push(Agency {
                code: code.clone(),
                name: crate::text::nfc(s),
                kind: AgencyKind::Department,
            });
            return Some(code);
        }
        self.errors.push(RowError {
            row,
            reason: format!(
                "unknown {what} {:?} (use a code from `cchc agencies`, or --create-agencies)",
                s.trim()
            ),
        });
        None
    }

    /// Resolves and checks one task; records every problem it finds.
    fn task(&mut self, row: usize, mut t: NewTask) -> Option<NewTask> {
        let before = self.errors.len();
        match self.resolver.area(&t.area) {
            Some(a) => t.area = a,
            None => self.errors.push(RowError {
                row,
                reason: format!("unknown area {:?} (see `cchc areas`)", t.area.trim()),
            }),
        }
        if let Some(a) = self.agency(row, &t.lead_agency.clone(), "agency") {
            t.lead_agency = a;
        }
        let mut coordinating = Vec::new();
        for c in t.coordinating.clone() {
            if let Some(a) = self.agency(row, &c, "coordinating agency") {
                coordinating.push(a);
            }
        }
        t.coordinating = coordinating;
        if t.title.trim().is_empty() {
            self.errors.push(RowError {
                row,
                reason: "the title is empty".into(),
            });
        }
        if let Err(e) = crate::store::check_task_limits(&t) {
            self.errors.push(RowError {
                row,
                reason: e.to_string(),
            });
        }
        if t.progress > 100 {
            self.errors.push(RowError {
                row,
                reason: format!("progress {} is not between 0 and 100", t.progress),
            });
        }
        (self.errors.len() == before).then_some(t)
    }
}

fn new_agency_code(name: &str, r: &Resolver, created: &[Agency]) -> String {
    let initials: String = fold(name)
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    let base = if initials.is_empty() {
        "CQ".to_string()
    } else {
        initials
    };
    let taken = |c: &str| r.agency(c).is_some() || created.iter().any(|a| a.code == c);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

fn parse_json(
    text: &str,
    areas: &[Area],
    agencies: &[Agency],
    create_agencies: bool,
) -> Result<ImportBatch, Vec<RowError>> {
    let doc: ExportDoc = serde_json::from_str(text).map_err(|e| {
        vec![RowError {
            row: e.line(),
            reason: format!("not a cchc export document: {e}"),
        }]
    })?;
    if doc.format != EXPORT_FORMAT {
        return Err(vec![RowError {
            row: 1,
            reason: format!("format {:?} is not {EXPORT_FORMAT:?}", doc.format),
        }]);
    }
    let mut c = Checker {
        resolver: Resolver::new(areas, agencies),
        create_agencies,
        created: Vec::new(),
        errors: Vec::new(),
    };
    let mut batch = ImportBatch::default();
    for (i, t) in doc.tasks.into_iter().enumerate() {
        if let Some(t) = c.task(i + 1, t.task) {
            batch.tasks.push(t);
        }
    }
    batch.measurements = doc
        .measurements
        .into_iter()
        .map(|m| NewMeasurement {
            indicator: m.indicator,
            value: m.value,
            measured_on: m.measured_on,
            source: m.source,
            note: m.note,
        })
        .collect();
    if c.errors.is_empty() {
        batch.new_agencies = c.created;
        Ok(batch)
    } else {
        Err(c.errors)
    }
}

/// Reads a tasks CSV, decoded by `csv_read` (any of the encodings and delimiters it finds).
pub fn parse_csv(
    file: &Decoded,
    areas: &[Area],
    agencies: &[Agency],
    create_agencies: bool,
) -> Result<ImportBatch, Vec<RowError>> {
    parse_csv_with(
        file,
        areas,
        agencies,
        create_agencies,
        &crate::progress::Silent,
    )
}

/// [`parse_csv`], telling `rows_checked` how many rows are checked.
pub fn parse_csv_with(
    file: &Decoded,
    areas: &[Area],
    agencies: &[Agency],
    create_agencies: bool,
    rows_checked: &dyn crate::progress::Progress,
) -> Result<ImportBatch, Vec<RowError>> {
    let header_error = |reason: String| vec![RowError { row: 1, reason }];
    let sheet = Sheet::read(file).map_err(header_error)?;
    let known: Vec<&str> = CSV_COLUMNS
        .iter()
        .chain(&CSV_IMPORT_EXTRA)
        .copied()
        .collect();
    crate::csv_read::check_columns(&sheet.headers, &known).map_err(header_error)?;
    let headers = &sheet.headers;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let missing: Vec<&str> = [F::Area, F::LeadAgency, F::Title, F::Due]
        .map(F::name)
        .into_iter()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowError {
            row: 1,
            reason: format!(
                "the header lacks column(s) {}; expected area, lead_agency, title, due, status, progress, coordinating, output",
                missing.join(", ")
            ),
        }]);
    }
    let mut c = Checker {
        resolver: Resolver::new(areas, agencies),
        create_agencies,
        created: Vec::new(),
        errors: Vec::new(),
    };
    let mut batch = ImportBatch::default();
    // Where each plan reference was first seen: a second row with the same one is refused,
    // naming both (an update in place would silently take whichever came last).
    let mut plan_refs: std::collections::HashMap<String, usize> = Default::default();
    rows_checked.begin(crate::progress::Work::CheckRows, sheet.rows.len() as u64);
    for (n, (row, record)) in sheet.rows.iter().enumerate() {
        if crate::progress::is_due(n) {
            rows_checked.set(n as u64);
        }
        let row = *row;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                c.errors.push(RowError {
                    row,
                    reason: e.clone(),
                });
                continue;
            }
        };
        let row_bytes: usize = record.iter().map(String::len).sum();
        if row_bytes > MAX_ROW_BYTES {
            c.errors.push(RowError {
                row,
                reason: format!(
                    "the row is {row_bytes} bytes long; the limit is {MAX_ROW_BYTES} (1 MB)"
                ),
            });
            continue;
        }
        // A field that starts with the apostrophe our CSV outputs put before formula-like
        // text (`untrusted::cell`) is read without it, so an export imports as it was.
        let get = |field: F| {
            col(field.name())
                .and_then(|i| record.get(i))
                .map(|f| untrusted::uncell(f.trim()))
                .unwrap_or("")
        };
        let plan_ref = get(F::PlanRef);
        if !plan_ref.is_empty() {
            if let Some(first) = plan_refs.get(plan_ref) {
                c.errors.push(RowError {
                    row,
                    reason: format!(
                        "plan_ref {:?} is also on row {first}: rows {first} and {row} name the same task; keep one",
                        crate::untrusted::line(plan_ref)
                    ),
                });
                continue;
            }
            plan_refs.insert(plan_ref.to_string(), row);
        }
        let mut bad = |reason: String| c_push(&mut c.errors, row, reason);
        let due = match crate::context::parse_date(get(F::Due)) {
            Ok(d) => Some(d),
            Err(e) => {
                bad(format!("{}: {e}", F::Due));
                None
            }
        };
        let status = match get(F::Status) {
            "" => Some(Status::NotStarted),
            s => Status::parse(s).or_else(|| {
                bad(format!(
                    "status {s:?} is not one of not-started, in-progress, done, blocked"
                ));
                None
            }),
        };
        let progress = match get(F::Progress).trim_end_matches('%') {
            "" => Some(0),
            p => p.parse::<u8>().ok().filter(|p| *p <= 100).or_else(|| {
                bad(format!(
                    "progress {p:?} is not a whole number from 0 to 100"
                ));
                None
            }),
        };
        let recurrence = match get(F::Recurrence) {
            "" => Some(Recurrence::Once),
            r => Recurrence::parse(r).or_else(|| {
                bad(format!(
                    "recurrence {r:?} is not one of once, yearly, half-yearly, quarterly"
                ));
                None
            }),
        };
        let completed_on = match get(F::CompletedOn) {
            "" => Some(None),
            s => match crate::context::parse_date(s) {
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    bad(format!("{}: {e}", F::CompletedOn));
                    None
                }
            },
        };
        let (Some(due), Some(status), Some(progress), Some(recurrence), Some(completed_on)) =
            (due, status, progress, recurrence, completed_on)
        else {
            continue;
        };
        let t = NewTask {
            plan_ref: get(F::PlanRef).to_string(),
            area: get(F::Area).to_string(),
            lead_agency: get(F::LeadAgency).to_string(),
            coordinating: get(F::Coordinating)
                .split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            coordinating_inferred: Vec::new(),
            title: get(F::Title).to_string(),
            detail: get(F::Detail).to_string(),
            output: get(F::Output).to_string(),
            due,
            due_assumed: matches!(get(F::DueAssumed), "true" | "1" | "yes"),
            recurrence,
            status,
            progress: if status == Status::Done {
                100
            } else {
                progress
            },
            completed_on,
        };
        if let Some(t) = c.task(row, t) {
            batch.tasks.push(t);
        }
    }
    rows_checked.end();
    if c.errors.is_empty() {
        batch.new_agencies = c.created;
        Ok(batch)
    } else {
        Err(c.errors)
    }
}

fn c_push(errors: &mut Vec<RowError>, row: usize, reason: String) {
    errors.push(RowError { row, reason });
}

#[cfg(test)]
mod tests;
