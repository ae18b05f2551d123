//! Reading an import: the export's JSON document or a tasks CSV checked row by row against the
//! known areas and agencies (created on request), every bad row named before anything is written.

use super::*;

/// The columns a tasks CSV may have beyond the export's: `detail`, and what `cchc tasks
/// --format csv` adds (derived, ignored on import).
pub(super) const CSV_IMPORT_EXTRA: [&str; 5] = [
    F::Detail.name(),
    "overdue",
    "display_state",
    "days_late",
    "version",
];

pub(super) struct Checker<'a> {
    pub(super) resolver: Resolver<'a>,
    pub(super) create_agencies: bool,
    pub(super) created: Vec<Agency>,
    pub(super) errors: Vec<RowError>,
}

impl Checker<'_> {
    pub(super) fn agency(&mut self, row: usize, s: &str, what: &str) -> Option<String> {
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
    pub(super) fn task(&mut self, row: usize, mut t: NewTask) -> Option<NewTask> {
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
            // Codes may be separated by commas too; a name may hold one.
            let pieces: Vec<String> = if self.resolver.agency(&c).is_none() && c.contains(',') {
                c.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            } else {
                vec![c]
            };
            for c in pieces {
                if let Some(a) = self.agency(row, &c, "coordinating agency") {
                    coordinating.push(a);
                }
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

pub(super) fn new_agency_code(name: &str, r: &Resolver, created: &[Agency]) -> String {
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

pub(super) fn parse_json(
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
    let mut sheet = Sheet::read(file).map_err(header_error)?;
    // A file written by `--excel` names its columns in words, in either language.
    for h in &mut sheet.headers {
        if let Some(name) = crate::excel_csv::column_for(h) {
            *h = name.to_string();
        }
    }
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
    // The same for rows without one: the same area, lead agency, title and due date twice.
    let mut unnamed: std::collections::HashMap<(String, String, String, NaiveDate), usize> =
        Default::default();
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
        let progress = match get(F::Progress).trim_end_matches('%') {
            "" => Some(0),
            p => p.parse::<u8>().ok().filter(|p| *p <= 100).or_else(|| {
                bad(format!(
                    "progress {p:?} is not a whole number from 0 to 100"
                ));
                None
            }),
        };
        // The stored status; an `--excel` file written before it had that column gives only
        // the display state, which says enough but for a blocked task.
        let state = col("display_state")
            .and_then(|i| record.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && col(F::Status.name()).is_none());
        let status = match (get(F::Status), state) {
            ("", Some(state)) => crate::excel_csv::status_from_state(state, progress.unwrap_or(0))
                .or_else(|| {
                    bad(format!("state {state:?} is not a task state"));
                    None
                }),
            ("", None) => Some(Status::NotStarted),
            (s, _) => Status::parse(s).or_else(|| {
                bad(format!(
                    "status {s:?} is not one of not-started, in-progress, done, blocked"
                ));
                None
            }),
        };
        let recurrence = match get(F::Recurrence) {
            "" => Some(Recurrence::Once),
            r => Recurrence::parse(r)
                .or_else(|| crate::excel_csv::recurrence_for(r))
                .or_else(|| {
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
            // Split on ';' here; a piece that names no agency is split on ',' by the checker
            // (an `--excel` file lists names, and "UBND các xã, phường" holds a comma).
            coordinating: get(F::Coordinating)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            coordinating_inferred: Vec::new(),
            title: get(F::Title).to_string(),
            detail: get(F::Detail).to_string(),
            output: get(F::Output).to_string(),
            due,
            due_assumed: crate::excel_csv::yes(get(F::DueAssumed)).unwrap_or(false),
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
            if t.plan_ref.is_empty() {
                let key = (t.area.clone(), t.lead_agency.clone(), fold(&t.title), t.due);
                if let Some(first) = unnamed.get(&key) {
                    c.errors.push(RowError {
                        row,
                        reason: format!(
                            "rows {first} and {row} name the same task (area, lead agency, title and due date) without a plan_ref; keep one"
                        ),
                    });
                    continue;
                }
                unnamed.insert(key, row);
            }
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

pub(super) fn c_push(errors: &mut Vec<RowError>, row: usize, reason: String) {
    errors.push(RowError { row, reason });
}
