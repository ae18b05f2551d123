//! Reading an import: the export's JSON document or a tasks CSV, row by row, as a stream of
//! [`ImportItem`]s: each row's names resolved to codes against the known areas and agencies
//! (created on request, each announced before the first row that needs it), a row that cannot
//! be read or resolved becoming a bad row with its number. The store checks the rest (two rows
//! naming one task, a task's limits) and writes nothing unless every row is good.

use std::collections::{HashMap, VecDeque};

use super::*;
use crate::store::ImportItem;

/// The columns a tasks CSV may have beyond the export's: `detail`, and what `cchc tasks
/// --format csv` adds (derived, ignored on import).
pub(super) const CSV_IMPORT_EXTRA: [&str; 5] = [
    F::Detail.name(),
    "overdue",
    "display_state",
    "days_late",
    "version",
];

/// Resolves a row's names to codes, creating agencies when asked; records every problem.
pub(super) struct Checker {
    resolver: Resolver,
    create_agencies: bool,
    /// Agencies created so far; those from `announced` on are not yet handed out.
    created: Vec<Agency>,
    announced: usize,
    /// The problems of the row being checked.
    errors: Vec<RowError>,
    /// Agencies by the text a row gives (a file names the same few hundred times over).
    agency_codes: HashMap<String, Option<String>>,
}

impl Checker {
    pub(super) fn new(areas: &[Area], agencies: &[Agency], create_agencies: bool) -> Self {
        Checker {
            resolver: Resolver::new(areas, agencies),
            create_agencies,
            created: Vec::new(),
            announced: 0,
            errors: Vec::new(),
            agency_codes: HashMap::new(),
        }
    }

    fn agency(&mut self, row: usize, s: &str, what: &str) -> Option<String> {
        if let Some(found) = self.agency_codes.get(s) {
            if found.is_some() {
                return found.clone();
            }
        } else {
            let found = self.resolver.agency(s).or_else(|| {
                self.created
                    .iter()
                    .find(|a| fold(&a.name) == fold(s.trim()))
                    .map(|a| a.code.clone())
            });
            self.agency_codes.insert(s.to_string(), found.clone());
            if found.is_some() {
                return found;
            }
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
            self.agency_codes.insert(s.to_string(), Some(code.clone()));
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
        for c in std::mem::take(&mut t.coordinating) {
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

    /// Hands out, in order, the agencies created and the problems found since last asked,
    /// then `task` (a row that resolved).
    fn items(&mut self, task: Option<(usize, NewTask)>, out: &mut VecDeque<ImportItem>) {
        out.extend(
            self.created[self.announced..]
                .iter()
                .cloned()
                .map(ImportItem::Agency),
        );
        self.announced = self.created.len();
        out.extend(self.errors.drain(..).map(ImportItem::Bad));
        out.extend(task.map(|(row, t)| ImportItem::Task(row, t)));
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

/// Where each of a tasks CSV's columns is.
struct Columns {
    at: HashMap<&'static str, usize>,
    display_state: Option<usize>,
}

impl Columns {
    /// The header's columns, or why the header is refused (row 1).
    fn new(mut headers: Vec<String>) -> Result<Columns, Vec<RowError>> {
        let header_error = |reason: String| vec![RowError { row: 1, reason }];
        // A file written by `--excel` names its columns in words, in either language.
        for h in &mut headers {
            if let Some(name) = crate::excel_csv::column_for(h) {
                *h = name.to_string();
            }
        }
        let known: Vec<&'static str> = CSV_COLUMNS
            .iter()
            .chain(&CSV_IMPORT_EXTRA)
            .copied()
            .collect();
        crate::csv_read::check_columns(&headers, &known).map_err(header_error)?;
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
        Ok(Columns {
            at: known
                .iter()
                .filter_map(|name| Some((*name, col(name)?)))
                .collect(),
            // The stored status; an `--excel` file written before it had that column gives
            // only the display state, which says enough but for a blocked task.
            display_state: col(F::Status.name())
                .is_none()
                .then(|| col("display_state"))
                .flatten(),
        })
    }
}

/// A tasks CSV's rows as import items; `records` are its records after the header, with
/// their row numbers.
pub struct CsvRows<R> {
    records: R,
    columns: Columns,
    checker: Checker,
    queue: VecDeque<ImportItem>,
}

impl<R: Iterator<Item = (usize, Result<Vec<String>, String>)>> CsvRows<R> {
    /// Reads the header; the rows are read as the items are asked for.
    pub fn new(
        headers: Vec<String>,
        records: R,
        areas: &[Area],
        agencies: &[Agency],
        create_agencies: bool,
    ) -> Result<Self, Vec<RowError>> {
        Ok(CsvRows {
            records,
            columns: Columns::new(headers)?,
            checker: Checker::new(areas, agencies, create_agencies),
            queue: VecDeque::new(),
        })
    }

    fn read(&mut self, row: usize, record: Result<Vec<String>, String>) {
        let task = self.task(row, record);
        self.checker.items(task, &mut self.queue);
    }

    /// The row's task, its problems left with the checker.
    fn task(
        &mut self,
        row: usize,
        record: Result<Vec<String>, String>,
    ) -> Option<(usize, NewTask)> {
        let c = &mut self.checker;
        let record = match record {
            Ok(r) => r,
            Err(reason) => {
                c.errors.push(RowError { row, reason });
                return None;
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
            return None;
        }
        // A field that starts with the apostrophe our CSV outputs put before formula-like
        // text (`untrusted::cell`) is read without it, so an export imports as it was.
        let at = &self.columns.at;
        let get = |field: F| {
            at.get(field.name())
                .and_then(|i| record.get(*i))
                .map(|f| untrusted::uncell(f.trim()))
                .unwrap_or("")
        };
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
        let state = self
            .columns
            .display_state
            .and_then(|i| record.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty());
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
            return None;
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
        c.task(row, t).map(|t| (row, t))
    }
}

impl<R: Iterator<Item = (usize, Result<Vec<String>, String>)>> Iterator for CsvRows<R> {
    type Item = ImportItem;

    fn next(&mut self) -> Option<ImportItem> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            let (row, record) = self.records.next()?;
            self.read(row, record);
        }
    }
}

pub(super) fn c_push(errors: &mut Vec<RowError>, row: usize, reason: String) {
    errors.push(RowError { row, reason });
}

/// What the reading thread of a JSON document hands over, in the document's order.
enum Raw {
    Format(String),
    Task(usize, NewTask),
    Measurement(NewMeasurement),
    /// The document cannot be read from here on: the line and why.
    Broken(usize, String),
}

/// The export's JSON document as import items: read on a thread of its own, a task at a time
/// (serde reads a document by pushing its parts; the store pulls rows), through a channel of
/// a few hundred, so a document of a million tasks takes the memory of a few.
pub struct JsonItems {
    raw: Option<std::sync::mpsc::Receiver<Raw>>,
    reader: Option<std::thread::JoinHandle<()>>,
    checker: Checker,
    queue: VecDeque<ImportItem>,
    /// The document's `format` was seen (and was this program's).
    format: bool,
}

impl JsonItems {
    pub fn new(
        text: impl std::io::Read + Send + 'static,
        areas: &[Area],
        agencies: &[Agency],
        create_agencies: bool,
    ) -> JsonItems {
        let (send, raw) = std::sync::mpsc::sync_channel(256);
        let reader = std::thread::spawn(move || {
            use serde::de::Deserializer as _;
            let mut de = serde_json::Deserializer::from_reader(text);
            let read = de
                .deserialize_map(json::Document { send: &send })
                .and_then(|()| de.end());
            if let Err(e) = read {
                // Gone only when the reader stopped listening: nothing to tell then.
                let _ = send.send(Raw::Broken(
                    e.line(),
                    format!("not a cchc export document: {e}"),
                ));
            }
        });
        JsonItems {
            raw: Some(raw),
            reader: Some(reader),
            checker: Checker::new(areas, agencies, create_agencies),
            queue: VecDeque::new(),
            format: false,
        }
    }

    /// Stops the reading thread and waits for it.
    fn stop(&mut self) {
        self.raw = None;
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

impl Drop for JsonItems {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Iterator for JsonItems {
    type Item = ImportItem;

    fn next(&mut self) -> Option<ImportItem> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            let Some(raw) = self.raw.as_ref()?.recv().ok() else {
                // The document ended: it must have said what it is.
                let format = std::mem::replace(&mut self.format, true);
                self.stop();
                return (!format).then(|| {
                    ImportItem::Bad(RowError {
                        row: 1,
                        reason: "not a cchc export document: missing field `format`".into(),
                    })
                });
            };
            match raw {
                Raw::Format(f) if f == EXPORT_FORMAT => self.format = true,
                Raw::Format(f) => {
                    self.format = true;
                    self.stop();
                    return Some(ImportItem::Bad(RowError {
                        row: 1,
                        reason: format!("format {f:?} is not {EXPORT_FORMAT:?}"),
                    }));
                }
                Raw::Task(row, t) => {
                    let task = self.checker.task(row, t).map(|t| (row, t));
                    self.checker.items(task, &mut self.queue);
                }
                Raw::Measurement(m) => self.queue.push_back(ImportItem::Measurement(m)),
                Raw::Broken(row, reason) => {
                    self.format = true;
                    self.stop();
                    return Some(ImportItem::Bad(RowError { row, reason }));
                }
            }
        }
    }
}

/// The document's parts as serde reads them, handed to the channel as they come.
mod json {
    use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use super::{Raw, TaskRecord};
    use crate::model::Measurement;
    use crate::store::NewMeasurement;

    type Send<'a> = &'a std::sync::mpsc::SyncSender<Raw>;

    fn hand<E: de::Error>(send: Send, raw: Raw) -> Result<(), E> {
        send.send(raw)
            .map_err(|_| E::custom("the import stopped reading"))
    }

    pub(super) struct Document<'a> {
        pub send: Send<'a>,
    }

    impl<'de> Visitor<'de> for Document<'_> {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a cchc export document")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let (mut format, mut tasks) = (false, false);
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "format" => {
                        format = true;
                        hand(self.send, Raw::Format(map.next_value()?))?;
                    }
                    "tasks" => {
                        tasks = true;
                        map.next_value_seed(Tasks { send: self.send })?;
                    }
                    "measurements" => map.next_value_seed(Measurements { send: self.send })?,
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            match (format, tasks) {
                (false, _) => Err(de::Error::missing_field("format")),
                (_, false) => Err(de::Error::missing_field("tasks")),
                _ => Ok(()),
            }
        }
    }

    struct Tasks<'a> {
        send: Send<'a>,
    }

    impl<'de> DeserializeSeed<'de> for Tasks<'_> {
        type Value = ();

        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Tasks<'_> {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of tasks")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut n = 0;
            while let Some(t) = seq.next_element::<TaskRecord>()? {
                n += 1;
                hand(self.send, Raw::Task(n, t.task))?;
            }
            Ok(())
        }
    }

    struct Measurements<'a> {
        send: Send<'a>,
    }

    impl<'de> DeserializeSeed<'de> for Measurements<'_> {
        type Value = ();

        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Measurements<'_> {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of measurements")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(m) = seq.next_element::<Measurement>()? {
                hand(
                    self.send,
                    Raw::Measurement(NewMeasurement {
                        indicator: m.indicator,
                        value: m.value,
                        measured_on: m.measured_on,
                        source: m.source,
                        note: m.note,
                    }),
                )?;
            }
            Ok(())
        }
    }
}

/// The items collected, for a file small enough to hold (tests, `parse_import`): the tasks and
/// agencies when every row is good, else every bad row the reader found.
fn collect(items: impl Iterator<Item = ImportItem>) -> Result<ImportBatch, Vec<RowError>> {
    let mut batch = ImportBatch::default();
    let mut errors = Vec::new();
    for item in items {
        match item {
            ImportItem::Agency(a) => batch.new_agencies.push(a),
            ImportItem::Task(_, t) => batch.tasks.push(t),
            ImportItem::Measurement(m) => batch.measurements.push(m),
            ImportItem::Bad(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(batch)
    } else {
        Err(errors)
    }
}

pub(super) fn parse_json(
    text: &str,
    areas: &[Area],
    agencies: &[Agency],
    create_agencies: bool,
) -> Result<ImportBatch, Vec<RowError>> {
    collect(JsonItems::new(
        std::io::Cursor::new(text.as_bytes().to_vec()),
        areas,
        agencies,
        create_agencies,
    ))
}

/// Reads a tasks CSV, decoded by `csv_read` (any of the encodings and delimiters it finds).
pub fn parse_csv(
    file: &Decoded,
    areas: &[Area],
    agencies: &[Agency],
    create_agencies: bool,
) -> Result<ImportBatch, Vec<RowError>> {
    let header_error = |reason: String| vec![RowError { row: 1, reason }];
    let sheet = Sheet::read(file).map_err(header_error)?;
    collect(CsvRows::new(
        sheet.headers,
        sheet.rows.into_iter(),
        areas,
        agencies,
        create_agencies,
    )?)
}
