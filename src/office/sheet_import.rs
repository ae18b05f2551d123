//! Reading a returned agency sheet with `calamine`: recognise it by its hidden metadata sheet,
//! then turn each row whose fillable cells differ from what was exported (kept in the hidden
//! columns) into a [`SheetEdit`]. Pure reading and comparing: the store applies the edits with
//! the rules of `cchc task set` and `cchc indicator record`.
//!
//! A returned cell may have been saved by Excel, LibreOffice or a script: dates may be real date
//! cells, plain serial numbers or text dd/mm/yyyy; numbers may be text ("40%", "87,5").

use std::path::Path;

use calamine::{Data, DataType, ExcelDateTime, ExcelDateTimeType, Range, Reader};
use chrono::NaiveDate;

use super::sheet::{
    FIRST_ROW, HEADER_ROW, indicator_col, indicator_sheet_name, task_col, task_sheet_name,
};
use super::{META_AGENCY_SHEET, META_EXPORT, META_SHEET, SHEET_LAYOUT_VERSION};
use crate::error::{Error, Result};
use crate::model::{Lang, Status, TaskPatch};
use crate::store::{NewMeasurement, SheetEdit};
use crate::untrusted;

/// Where a row comes from: the file, the sheet and the row number a spreadsheet shows (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: String,
    pub sheet: String,
    pub row: u32,
}

impl Origin {
    /// The note the change log keeps: "Q4.xlsx, Nhiệm vụ dòng 7".
    pub fn describe(&self, lang: Lang) -> String {
        let row = super::t(lang, "dòng", "row");
        format!("{}, {} {row} {}", self.file, self.sheet, self.row)
    }
}

/// One row that asks for a change.
#[derive(Debug, Clone, PartialEq)]
pub struct RowEdit {
    pub origin: Origin,
    /// "#12" for a task, the code for an indicator.
    pub subject: String,
    pub edit: SheetEdit,
}

/// A cell that cannot be applied, with the reason in one line.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub origin: Origin,
    pub subject: String,
    pub reason: String,
}

/// What one returned sheet asks for.
#[derive(Debug, Default)]
pub struct ReturnedSheet {
    pub agency: String,
    pub period: String,
    pub edits: Vec<RowEdit>,
    pub bad: Vec<BadRow>,
    /// Rows read (tasks and indicators), changed or not.
    pub rows: usize,
}

/// True when `path` looks like an .xlsx file: by its extension, or by the zip signature.
pub fn is_xlsx(path: &Path) -> bool {
    let by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"));
    by_name || {
        use std::io::Read;
        let mut magic = [0u8; 4];
        std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut magic))
            .is_ok()
            && magic == *b"PK\x03\x04"
    }
}

fn cell_text(d: &Data) -> Option<String> {
    match d {
        Data::Empty => None,
        Data::String(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        other => other
            .as_string()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    }
}

fn cell_int(d: &Data) -> Option<i64> {
    match d {
        Data::Int(i) => Some(*i),
        Data::Float(f) if f.fract() == 0.0 => Some(*f as i64),
        Data::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn serial_date(v: f64) -> Option<NaiveDate> {
    ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false)
        .as_datetime()
        .map(|dt| dt.date())
}

/// A date cell: a real date, an Excel serial number, or text dd/mm/yyyy (or yyyy-mm-dd).
fn cell_date(d: &Data) -> std::result::Result<Option<NaiveDate>, String> {
    match d {
        Data::Empty => Ok(None),
        Data::DateTime(_) | Data::DateTimeIso(_) => d
            .as_date()
            .map(Some)
            .ok_or_else(|| "the date cell holds no valid date".to_string()),
        Data::Float(v) if *v > 0.0 => serial_date(*v)
            .map(Some)
            .ok_or_else(|| format!("{v} is not a date")),
        Data::Int(v) if *v > 0 => serial_date(*v as f64)
            .map(Some)
            .ok_or_else(|| format!("{v} is not a date")),
        other => match cell_text(other) {
            None => Ok(None),
            Some(s) => crate::context::parse_date(&s).map(Some).map_err(|_| {
                format!(
                    "{:?} is not a date; write it as dd/mm/yyyy",
                    untrusted::line(&s)
                )
            }),
        },
    }
}

fn cell_number(d: &Data) -> std::result::Result<Option<f64>, String> {
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some(*i as f64)),
        Data::Float(f) => Ok(Some(*f)),
        other => match cell_text(other) {
            None => Ok(None),
            Some(s) => crate::context::parse_number(&s)
                .map(Some)
                .map_err(|_| format!("{:?} is not a number", untrusted::line(&s))),
        },
    }
}

fn cell_percent(d: &Data) -> std::result::Result<Option<u8>, String> {
    let bad = |shown: String| format!("progress {shown} is not a whole number from 0 to 100");
    match cell_number(d) {
        Err(_) => Err(bad(format!("{:?}", cell_text(d).unwrap_or_default()))),
        Ok(None) => Ok(None),
        Ok(Some(v)) if v.fract() == 0.0 && (0.0..=100.0).contains(&v) => Ok(Some(v as u8)),
        Ok(Some(v)) => Err(bad(v.to_string())),
    }
}

/// The metadata of a cchc workbook: key → value from the hidden sheet.
fn metadata<R: Reader<std::io::BufReader<std::fs::File>>>(
    wb: &mut R,
    shown: &str,
) -> Result<Vec<(String, String)>> {
    let not_ours = || {
        Error::invalid(format!(
            "{shown}: not a cchc agency sheet (no cchc marker sheet); make one with `cchc sheet --agency CODE`"
        ))
    };
    if !wb.sheet_names().iter().any(|n| n == META_SHEET) {
        return Err(not_ours());
    }
    let range = wb.worksheet_range(META_SHEET).map_err(|_| not_ours())?;
    Ok(range
        .rows()
        .filter_map(|r| {
            Some((
                cell_text(r.first()?)?,
                r.get(1).and_then(cell_text).unwrap_or_default(),
            ))
        })
        .collect())
}

/// Reads one returned sheet. An unreadable file or a workbook that is not a cchc agency sheet
/// is an error; a bad cell is a [`BadRow`] so that every file's problems can be listed together.
pub fn read_returned(path: &Path, today: NaiveDate) -> Result<ReturnedSheet> {
    let shown = path.display().to_string();
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    if !path.is_file() {
        return Err(Error::invalid(format!(
            "{shown}: no such file; check the name (nothing was imported)"
        )));
    }
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| {
        Error::invalid(format!(
            "{shown}: cannot read it as a spreadsheet ({e}); save it as .xlsx and try again"
        ))
    })?;
    let meta = metadata(&mut wb, &shown)?;
    let get = |k: &str| {
        meta.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if get(META_EXPORT).is_some() {
        return Err(Error::invalid(format!(
            "{shown}: this is a full export (`cchc export --format xlsx`), not an agency sheet; import the sheets made by `cchc sheet`"
        )));
    }
    match get(META_AGENCY_SHEET).map(str::parse::<i64>) {
        Some(Ok(v)) if v == SHEET_LAYOUT_VERSION => {}
        Some(_) => {
            return Err(Error::invalid(format!(
                "{shown}: made by another version of cchc (sheet layout {}); make a new sheet with `cchc sheet`",
                untrusted::line(get(META_AGENCY_SHEET).unwrap_or(""))
            )));
        }
        None => {
            return Err(Error::invalid(format!(
                "{shown}: not a cchc agency sheet; make one with `cchc sheet --agency CODE`"
            )));
        }
    }
    let lang = match get("lang") {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    };
    let mut out = ReturnedSheet {
        agency: get("agency").unwrap_or("").to_string(),
        // Sheets made before the reporting periods named a calendar quarter.
        period: get("period")
            .or_else(|| get("quarter"))
            .unwrap_or("")
            .to_string(),
        ..Default::default()
    };
    let sheet_range = |wb: &mut calamine::Sheets<_>, name: &str| {
        wb.worksheet_range(name).map_err(|_| {
            Error::invalid(format!(
                "{shown}: the sheet {name:?} is missing; do not rename or delete the sheets of a cchc sheet"
            ))
        })
    };
    let tasks = sheet_range(&mut wb, task_sheet_name(lang))?;
    read_tasks(&tasks, &file, task_sheet_name(lang), lang, today, &mut out)?;
    let indicators = sheet_range(&mut wb, indicator_sheet_name(lang))?;
    read_indicators(
        &indicators,
        &file,
        indicator_sheet_name(lang),
        lang,
        today,
        &mut out,
    );
    Ok(out)
}

fn at(range: &Range<Data>, row: u32, col: u16) -> &Data {
    range.get_value((row, col as u32)).unwrap_or(&Data::Empty)
}

fn data_rows(range: &Range<Data>) -> std::ops::Range<u32> {
    FIRST_ROW..range.end().map_or(FIRST_ROW, |(r, _)| r + 1).max(FIRST_ROW)
}

fn read_tasks(
    range: &Range<Data>,
    file: &str,
    sheet: &str,
    lang: Lang,
    today: NaiveDate,
    out: &mut ReturnedSheet,
) -> Result<()> {
    use task_col as c;
    if cell_text(at(range, HEADER_ROW, c::ID)).as_deref() != Some("ID") {
        return Err(Error::invalid(format!(
            "{file}: the sheet {sheet:?} does not have its header on row {}; do not insert or delete rows above it",
            HEADER_ROW + 1
        )));
    }
    for row in data_rows(range) {
        let origin = Origin {
            file: file.to_string(),
            sheet: sheet.to_string(),
            row: row + 1,
        };
        let Some(id) = cell_int(at(range, row, c::ID)) else {
            if cell_text(at(range, row, c::ID)).is_some() {
                out.bad.push(BadRow {
                    origin,
                    subject: String::new(),
                    reason: "the ID cell was changed; restore it or make a new sheet".into(),
                });
            }
            continue;
        };
        out.rows += 1;
        let subject = format!("#{id}");
        let mut bad = |reason: String| {
            out.bad.push(BadRow {
                origin: origin.clone(),
                subject: subject.clone(),
                reason,
            })
        };
        let (Some(version), Some(was_status), Some(was_progress)) = (
            cell_int(at(range, row, c::VERSION)),
            cell_text(at(range, row, c::WAS_STATUS)).and_then(|s| Status::parse(&s)),
            cell_int(at(range, row, c::WAS_PROGRESS)),
        ) else {
            bad(
                "the hidden columns of this row are damaged; make a new sheet with `cchc sheet`"
                    .into(),
            );
            continue;
        };
        let was_completed =
            cell_text(at(range, row, c::WAS_COMPLETED)).and_then(|s| s.parse::<NaiveDate>().ok());
        let status = match cell_text(at(range, row, c::STATUS)) {
            None => None,
            Some(s) => match Status::parse(&s) {
                Some(st) => Some(st),
                None => {
                    bad(format!(
                        "status {:?} is not one of {}",
                        untrusted::line(&s),
                        Status::ALL.map(|s| s.label(lang)).join(", ")
                    ));
                    continue;
                }
            },
        };
        let progress = match cell_percent(at(range, row, c::PROGRESS)) {
            Ok(p) => p,
            Err(e) => {
                bad(e);
                continue;
            }
        };
        let completed = match cell_date(at(range, row, c::COMPLETED)) {
            Ok(d) => d,
            Err(e) => {
                bad(format!("completion date: {e}"));
                continue;
            }
        };
        let note = cell_text(at(range, row, c::NOTE));
        if let Some(n) = &note
            && let Err(e) = untrusted::check_len("note", n, untrusted::MAX_NOTE)
        {
            bad(e.to_string());
            continue;
        }
        let mut patch = TaskPatch::default();
        if let Some(s) = status.filter(|s| *s != was_status) {
            patch.status = Some(s);
        }
        if let Some(p) = progress.filter(|p| i64::from(*p) != was_progress) {
            patch.progress = Some(p);
        }
        if let Some(d) = completed.filter(|d| Some(*d) != was_completed) {
            let done = match patch.status {
                Some(s) => s == Status::Done,
                None => was_status == Status::Done || patch.progress == Some(100),
            };
            if !done {
                bad(format!(
                    "a completion date needs the status {:?}",
                    Status::Done.label(lang)
                ));
                continue;
            }
            if d > today {
                bad(format!(
                    "completion date {} is after today ({})",
                    d.format("%d/%m/%Y"),
                    today.format("%d/%m/%Y")
                ));
                continue;
            }
            patch.completed_on = Some(d);
        }
        if patch.is_empty() && note.is_none() {
            continue;
        }
        out.edits.push(RowEdit {
            subject,
            edit: SheetEdit::Task {
                id,
                version,
                patch,
                note,
                origin: origin.describe(lang),
            },
            origin,
        });
    }
    Ok(())
}

fn read_indicators(
    range: &Range<Data>,
    file: &str,
    sheet: &str,
    lang: Lang,
    today: NaiveDate,
    out: &mut ReturnedSheet,
) {
    use indicator_col as c;
    for row in data_rows(range) {
        let Some(code) = cell_text(at(range, row, c::CODE)) else {
            continue;
        };
        out.rows += 1;
        let origin = Origin {
            file: file.to_string(),
            sheet: sheet.to_string(),
            row: row + 1,
        };
        let mut bad = |reason: String| {
            out.bad.push(BadRow {
                origin: origin.clone(),
                subject: code.clone(),
                reason,
            })
        };
        let value = match cell_number(at(range, row, c::NEW_VALUE)) {
            Ok(v) => v,
            Err(e) => {
                bad(format!("new value: {e}"));
                continue;
            }
        };
        let date = match cell_date(at(range, row, c::NEW_DATE)) {
            Ok(d) => d,
            Err(e) => {
                bad(format!("new date: {e}"));
                continue;
            }
        };
        let source = cell_text(at(range, row, c::SOURCE));
        let Some(value) = value else {
            if date.is_some() || source.is_some() {
                bad("a date or source without a new value; fill in the value too".into());
            }
            continue;
        };
        let source = match source.map(|s| untrusted::name("source", &s)).transpose() {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                bad(e.to_string());
                continue;
            }
        };
        let measured_on = date.unwrap_or(today);
        if measured_on > today {
            bad(format!(
                "date {} is after today ({})",
                measured_on.format("%d/%m/%Y"),
                today.format("%d/%m/%Y")
            ));
            continue;
        }
        out.edits.push(RowEdit {
            subject: code.clone(),
            edit: SheetEdit::Measurement(NewMeasurement {
                indicator: code.clone(),
                value,
                measured_on,
                source,
                note: origin.describe(lang),
            }),
            origin,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_come_as_cells_serials_or_text() {
        let serial = 46331.0; // 2026-11-05 in Excel's 1900 system
        let cell = Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(cell_date(&cell), Ok(Some(d("2026-11-05"))));
        assert_eq!(cell_date(&Data::Float(serial)), Ok(Some(d("2026-11-05"))));
        assert_eq!(
            cell_date(&Data::String("05/11/2026".into())),
            Ok(Some(d("2026-11-05")))
        );
        assert_eq!(
            cell_date(&Data::String(" 2026-11-05 ".into())),
            Ok(Some(d("2026-11-05")))
        );
        assert_eq!(cell_date(&Data::Empty), Ok(None));
        assert_eq!(cell_date(&Data::String("  ".into())), Ok(None));
        let bad = cell_date(&Data::String("31/02/2026".into())).unwrap_err();
        assert!(bad.contains("dd/mm/yyyy"), "{bad}");
    }

    #[test]
    fn progress_is_a_whole_number_from_0_to_100() {
        assert_eq!(cell_percent(&Data::Float(40.0)), Ok(Some(40)));
        assert_eq!(cell_percent(&Data::Int(100)), Ok(Some(100)));
        assert_eq!(cell_percent(&Data::String("40%".into())), Ok(Some(40)));
        assert_eq!(cell_percent(&Data::Empty), Ok(None));
        for bad in [
            Data::Float(101.0),
            Data::Float(4.5),
            Data::Float(-1.0),
            Data::String("nhiều".into()),
        ] {
            let e = cell_percent(&bad).unwrap_err();
            assert!(e.contains("whole number from 0 to 100"), "{e}");
        }
    }

    #[test]
    fn origin_names_file_sheet_and_row() {
        let o = Origin {
            file: "SNV-2026Q4.xlsx".into(),
            sheet: "Nhiệm vụ".into(),
            row: 7,
        };
        assert_eq!(o.describe(Lang::Vi), "SNV-2026Q4.xlsx, Nhiệm vụ dòng 7");
        assert_eq!(o.describe(Lang::En), "SNV-2026Q4.xlsx, Nhiệm vụ row 7");
    }
}
