//! Opening a workbook that came from outside (a returned agency sheet, an agency list) without
//! letting it decide how much memory cchc uses. Everything is checked before calamine builds
//! anything from it:
//!
//! - the file: a regular file of at most [`MAX_FILE_BYTES`], read once into memory (so what is
//!   checked is what is read);
//! - its kind, by its first bytes: an .xlsx or .ods (a zip), else refused. An Excel 97–2003
//!   .xls is refused with the advice to save it as .xlsx: calamine builds every sheet of an .xls
//!   whole as it opens it, before anything could be checked;
//! - a zip: at most [`MAX_PARTS`] parts, each declared and then really inflating (streamed,
//!   nothing kept) to at most [`MAX_PART_BYTES`], all of them to at most [`MAX_TOTAL_BYTES`].
//!   A 2 MB file whose shared strings inflate to 2 GiB is refused from its central directory
//!   without inflating anything; one whose directory lies is refused as soon as a part inflates
//!   past what it declared (the zip reader stops there) or past the limit;
//! - cells: an .xlsx is read a cell at a time (calamine's cell reader) and an .ods's
//!   content.xml is scanned first for what calamine would expand its repeated rows and cells
//!   to; either way at most [`MAX_CELLS`] cells. A sheet with one cell in A1 and one in
//!   XFD1048576 is two cells here, not the 17 billion of a rectangle.
//!
//! What comes out is a [`Spreadsheet`]: each sheet's cells by position, with the formula a cell
//! holds, so a formula saved without its value can be named rather than read as empty.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader};

use crate::error::{Error, Result};
use crate::model::Lang;

/// Largest workbook file on disk. An agency's sheet is tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 20_000_000;
/// Largest size one part of a zipped workbook may inflate to (a sheet, the shared strings).
pub const MAX_PART_BYTES: u64 = 20_000_000;
/// Largest size all parts of a zipped workbook may inflate to together.
pub const MAX_TOTAL_BYTES: u64 = 50_000_000;
/// Most parts a zipped workbook may have (LibreOffice writes about fifteen).
pub const MAX_PARTS: usize = 1_000;
/// Most cells, over all sheets, that are read (or that calamine would build for an .ods).
pub const MAX_CELLS: u64 = 1_000_000;
/// Columns kept: cchc's sheets use fewer than twenty.
pub const MAX_COLUMNS: u32 = 64;

/// What a file holds, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A zip: an .xlsx or .ods, or some other zipped document (told apart when opened).
    Zip,
    /// An OLE compound file: an Excel 97–2003 .xls.
    Xls,
}

/// The kind of workbook `path` holds, by its first bytes; `None` for anything else (a CSV, a
/// JSON document, an empty file). Only a regular file is opened: a FIFO would never answer.
fn kind(path: &Path) -> Option<Kind> {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut magic = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut magic))
        .unwrap_or(0);
    kind_of(&magic[..n])
}

fn kind_of(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(Kind::Zip)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Kind::Xls)
    } else {
        None
    }
}

/// True when `path` is, or is named as, a workbook: by its first bytes, or by an extension of
/// one (so an empty or damaged `x.xlsx` is refused as a workbook, not read as a CSV).
pub fn is_workbook(path: &Path) -> bool {
    let by_name = path.extension().is_some_and(|e| {
        ["xlsx", "xlsm", "xls", "ods", "xlsb"]
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    });
    by_name || kind(path).is_some()
}

/// One cell: its value (calamine's; `Empty` when none) and its formula, if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Data,
    pub formula: Option<String>,
}

const EMPTY: Data = Data::Empty;

/// One sheet's cells by (row, column), 0-based; only the cells that hold something.
#[derive(Debug, Default, Clone)]
pub struct Grid {
    cells: BTreeMap<(u32, u32), Cell>,
}

impl Grid {
    pub fn value(&self, row: u32, col: u32) -> &Data {
        self.cells.get(&(row, col)).map_or(&EMPTY, |c| &c.value)
    }

    pub fn formula(&self, row: u32, col: u32) -> Option<&str> {
        self.cells
            .get(&(row, col))
            .and_then(|c| c.formula.as_deref())
    }

    /// The last row that holds a cell.
    pub fn last_row(&self) -> Option<u32> {
        self.cells.keys().map(|(r, _)| *r).max()
    }

    /// The first row that holds a cell.
    pub fn first_row(&self) -> Option<u32> {
        self.cells.keys().next().map(|(r, _)| *r)
    }

    /// True when some cell of `row` at or after column `from` holds a value or a formula.
    pub fn row_has_content(&self, row: u32, from: u32) -> bool {
        self.cells
            .range((row, from)..(row, u32::MAX))
            .any(|(_, c)| c.value != Data::Empty || c.formula.is_some())
    }

    /// A grid of text cells, row by row (for tests of what reads one).
    #[cfg(test)]
    pub(crate) fn of_text(rows: &[Vec<String>]) -> Grid {
        let mut g = Grid::default();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let cell = Cell {
                    value: Data::String(v.clone()),
                    formula: None,
                };
                g.put(r as u32, c as u32, cell);
            }
        }
        g
    }

    fn put(&mut self, row: u32, col: u32, cell: Cell) {
        if col < MAX_COLUMNS && (cell.value != Data::Empty || cell.formula.is_some()) {
            self.cells.insert((row, col), cell);
        }
    }
}

/// A workbook's sheets, in the workbook's order.
#[derive(Debug, Default)]
pub struct Spreadsheet {
    pub sheets: Vec<(String, Grid)>,
}

impl Spreadsheet {
    pub fn sheet(&self, name: &str) -> Option<&Grid> {
        self.sheets.iter().find(|(n, _)| n == name).map(|(_, g)| g)
    }
}

fn t(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Opens the workbook at `path` within the limits above; `shown` names it in messages, which
/// are in `lang` and say what to do.
pub fn open(path: &Path, shown: &str, lang: Lang) -> Result<Spreadsheet> {
    let refuse = |why: String| Error::invalid(format!("{shown}: {why}"));
    let bytes = crate::transfer::read_limited(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::transfer::ReadError::TooLarge => refuse(t(
            lang,
            &format!(
                "bảng tính lớn hơn {} MB; bảng của một cơ quan chỉ vài chục KB, hãy kiểm tra lại tệp",
                MAX_FILE_BYTES / 1_000_000
            ),
            &format!(
                "the workbook is larger than {} MB; an agency's sheet is a few tens of KB, check the file",
                MAX_FILE_BYTES / 1_000_000
            ),
        )),
        crate::transfer::ReadError::Io(e) => e,
    })?;
    match kind_of(&bytes) {
        Some(Kind::Zip) => {}
        Some(Kind::Xls) => {
            return Err(refuse(t(
                lang,
                "đây là bảng tính Excel 97–2003 (.xls), cchc không đọc được; mở tệp và lưu lại dạng .xlsx (Excel Workbook) rồi nhập tệp đó",
                "this is an Excel 97–2003 workbook (.xls), which cchc does not read; open it and save it as .xlsx (Excel Workbook), then import that",
            )));
        }
        None => {
            return Err(refuse(t(
                lang,
                "không phải bảng tính (.xlsx hay .ods); lưu tệp dạng .xlsx rồi nhập lại",
                "not a workbook (.xlsx or .ods); save it as .xlsx and import it again",
            )));
        }
    }
    let format = check_zip(&bytes, lang).map_err(refuse)?;
    let damaged = |e: &dyn std::fmt::Display| {
        refuse(match lang {
            Lang::Vi => format!("không đọc được bảng tính ({e}); lưu lại dạng .xlsx rồi nhập lại"),
            Lang::En => format!("cannot read the workbook ({e}); save it as .xlsx and try again"),
        })
    };
    let too_many = || {
        refuse(match lang {
            Lang::Vi => format!(
                "bảng tính có hơn {MAX_CELLS} ô; bảng của một cơ quan chỉ vài trăm dòng, hãy kiểm tra lại tệp"
            ),
            Lang::En => format!(
                "the workbook holds more than {MAX_CELLS} cells; an agency's sheet has a few hundred rows, check the file"
            ),
        })
    };
    let read = || match format {
        Zipped::Xlsx => read_xlsx(bytes, &damaged, &too_many),
        Zipped::Ods => {
            if ods_cells(&bytes).map_err(|e| damaged(&e))? > MAX_CELLS {
                return Err(too_many());
            }
            read_ods(bytes, &damaged)
        }
    };
    // calamine parses what a stranger wrote: should it panic on some content (an inverted
    // `dimension` overflows in a debug build), the file is refused like any unreadable one.
    caught(read).unwrap_or_else(|| {
        Err(damaged(&t(
            lang,
            "trình đọc dừng ở nội dung không hợp lệ",
            "the reader stopped at content it could not read",
        )))
    })
}

/// Runs `f`, turning a panic into `None` without printing it (the caller reports the file).
fn caught<T>(f: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    out.ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zipped {
    Xlsx,
    Ods,
}

/// Checks a zipped workbook's parts against the limits, inflating each to nowhere, and says
/// whether it is an .xlsx or an .ods. The message is one reason, in `lang`.
fn check_zip(bytes: &[u8], lang: Lang) -> std::result::Result<Zipped, String> {
    let unreadable = |e: &dyn std::fmt::Display| match lang {
        Lang::Vi => format!("tệp nén của bảng tính bị hỏng ({e}); lưu lại dạng .xlsx rồi nhập lại"),
        Lang::En => format!("the workbook's zip is damaged ({e}); save it as .xlsx and try again"),
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    if zip.len() > MAX_PARTS {
        return Err(match lang {
            Lang::Vi => format!(
                "bảng tính có {} phần, quá giới hạn {MAX_PARTS}; hãy kiểm tra lại tệp",
                zip.len()
            ),
            Lang::En => format!(
                "the workbook has {} parts, more than the limit of {MAX_PARTS}; check the file",
                zip.len()
            ),
        });
    }
    let too_big = |part: &str, limit: u64| match lang {
        Lang::Vi => format!(
            "phần {part:?} của bảng tính giải nén ra hơn {} MB (giới hạn); tệp không phải một bảng tính bình thường, không nhập gì",
            limit / 1_000_000
        ),
        Lang::En => format!(
            "the workbook's part {part:?} inflates to more than {} MB (the limit); this is not an ordinary workbook, nothing was imported",
            limit / 1_000_000
        ),
    };
    let total_too_big = || match lang {
        Lang::Vi => format!(
            "bảng tính giải nén ra hơn {} MB (giới hạn); tệp không phải một bảng tính bình thường, không nhập gì",
            MAX_TOTAL_BYTES / 1_000_000
        ),
        Lang::En => format!(
            "the workbook inflates to more than {} MB (the limit); this is not an ordinary workbook, nothing was imported",
            MAX_TOTAL_BYTES / 1_000_000
        ),
    };
    // First what the central directory declares: refused without inflating anything.
    let mut names = Vec::with_capacity(zip.len());
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| unreadable(&e))?;
        let name = crate::untrusted::line(&part.name().map_err(|e| unreadable(&e))?).into_owned();
        if part.size() > MAX_PART_BYTES {
            return Err(too_big(&name, MAX_PART_BYTES));
        }
        declared = declared.saturating_add(part.size());
        if declared > MAX_TOTAL_BYTES {
            return Err(total_too_big());
        }
        names.push(name);
    }
    // Then what each part really inflates to: a declared size may lie.
    let mut total = 0u64;
    for (i, name) in names.iter().enumerate() {
        let mut part = zip.by_index(i).map_err(|e| unreadable(&e))?;
        let n = std::io::copy(
            &mut (&mut part).take(MAX_PART_BYTES + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| unreadable(&e))?;
        if n > MAX_PART_BYTES {
            return Err(too_big(name, MAX_PART_BYTES));
        }
        total += n;
        if total > MAX_TOTAL_BYTES {
            return Err(total_too_big());
        }
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("xl/workbook.xml") {
        Ok(Zipped::Xlsx)
    } else if has("content.xml") && has("mimetype") {
        Ok(Zipped::Ods)
    } else if has("xl/workbook.bin") {
        Err(t(
            lang,
            "đây là bảng tính nhị phân Excel (.xlsb); mở tệp và lưu lại dạng .xlsx rồi nhập tệp đó",
            "this is an Excel binary workbook (.xlsb); open it and save it as .xlsx, then import that",
        ))
    } else {
        Err(t(
            lang,
            "tệp nén này không phải bảng tính .xlsx hay .ods; lưu bảng tính dạng .xlsx rồi nhập lại",
            "this zip file is not an .xlsx or .ods workbook; save the sheet as .xlsx and import it again",
        ))
    }
}

/// Reads every sheet of an .xlsx a cell at a time, keeping each cell's value and formula.
fn read_xlsx(
    bytes: Vec<u8>,
    damaged: &dyn Fn(&dyn std::fmt::Display) -> Error,
    too_many: &dyn Fn() -> Error,
) -> Result<Spreadsheet> {
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut out = Spreadsheet::default();
    let mut cells = 0u64;
    for name in book.sheet_names() {
        let mut grid = Grid::default();
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a dialog sheet: no cells.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(damaged(&e)),
        };
        while let Some(c) = reader.next_cell_with_formula().map_err(|e| damaged(&e))? {
            cells += 1;
            if cells > MAX_CELLS {
                return Err(too_many());
            }
            let (row, col) = c.pos;
            grid.put(
                row,
                col,
                Cell {
                    value: c.value.into(),
                    formula: c.formula.filter(|f| !f.is_empty()),
                },
            );
        }
        out.sheets.push((name, grid));
    }
    Ok(out)
}

/// Reads every sheet of an .ods (checked by [`ods_cells`] first: calamine builds them whole).
fn read_ods(
    bytes: Vec<u8>,
    damaged: &dyn Fn(&dyn std::fmt::Display) -> Error,
) -> Result<Spreadsheet> {
    let mut book = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut out = Spreadsheet::default();
    for name in book.sheet_names() {
        let values = book.worksheet_range(&name).map_err(|e| damaged(&e))?;
        let formulas = book.worksheet_formula(&name).map_err(|e| damaged(&e))?;
        let mut grid = Grid::default();
        for (row, col, value) in values.used_cells() {
            let (r, c) = (
                values.start().map_or(0, |s| s.0) + row as u32,
                values.start().map_or(0, |s| s.1) + col as u32,
            );
            grid.put(
                r,
                c,
                Cell {
                    value: value.clone(),
                    formula: None,
                },
            );
        }
        for (row, col, f) in formulas.used_cells() {
            let (r, c) = (
                formulas.start().map_or(0, |s| s.0) + row as u32,
                formulas.start().map_or(0, |s| s.1) + col as u32,
            );
            if f.is_empty() || c >= MAX_COLUMNS {
                continue;
            }
            let value = grid.value(r, c).clone();
            grid.put(
                r,
                c,
                Cell {
                    value,
                    formula: Some(f.clone()),
                },
            );
        }
        out.sheets.push((name, grid));
    }
    Ok(out)
}

/// How many cells calamine would build from an .ods's content.xml: it expands a cell repeated
/// across columns as it reads the row, and rows repeated between rows that hold something as
/// it builds the sheet. Counted as calamine counts them (trailing empty rows and cells, which
/// LibreOffice writes by the million, cost nothing), bounded above.
fn ods_cells(bytes: &[u8]) -> std::result::Result<u64, String> {
    use quick_xml::events::{BytesStart, Event};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let repeats = |e: &BytesStart, attr: &str| -> u64 {
        e.try_get_attribute(attr)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1)
    };
    // A cell holds something when it has a value type, a formula or any content.
    let holds = |e: &BytesStart, has_children: bool| {
        has_children
            || e.try_get_attribute("office:value-type")
                .ok()
                .flatten()
                .is_some()
            || e.try_get_attribute("table:formula")
                .ok()
                .flatten()
                .is_some()
    };
    let (mut total, mut width, mut pending_empty_rows) = (0u64, 0u64, 0u64);
    let (mut in_row, mut row_repeats, mut row_cols, mut row_filled) = (false, 1u64, 0u64, 0u64);
    let mut depth_in_cell = 0u32;
    let mut buf = Vec::new();
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("content.xml: {e}"))?;
        match &event {
            Event::Start(_) if depth_in_cell > 0 => depth_in_cell += 1,
            Event::Empty(_) if depth_in_cell > 0 => {}
            Event::End(_) if depth_in_cell > 0 => depth_in_cell -= 1,
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                (width, pending_empty_rows) = (0, 0);
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                (in_row, row_repeats, row_cols, row_filled) = (
                    true,
                    repeats(e, "table:number-rows-repeated").min(1 << 20),
                    0,
                    0,
                );
            }
            Event::Start(e) | Event::Empty(e)
                if in_row
                    && matches!(
                        e.name().as_ref(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
            {
                let is_start = matches!(event, Event::Start(_));
                row_cols = (row_cols + repeats(e, "table:number-columns-repeated")).min(1 << 14);
                if holds(e, is_start) {
                    row_filled = row_cols;
                }
                if is_start {
                    depth_in_cell = 1;
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                in_row = false;
                if row_filled > 0 {
                    width = width.max(row_filled);
                    // The empty rows before this one are filled in now, as wide as the sheet.
                    total = total
                        .saturating_add(pending_empty_rows.saturating_mul(width))
                        .saturating_add(row_filled.saturating_mul(row_repeats));
                    pending_empty_rows = 0;
                } else if width > 0 {
                    pending_empty_rows = pending_empty_rows.saturating_add(row_repeats);
                }
                if total > MAX_CELLS {
                    return Ok(total);
                }
            }
            Event::Eof => return Ok(total),
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An .ods holding `rows` (table-row elements) in its only sheet.
    fn ods(rows: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", opts).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", opts).unwrap();
        write!(
            zip,
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="A">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
        .unwrap();
        zip.finish().unwrap().into_inner()
    }

    const CELL: &str = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;

    #[test]
    fn ods_cells_are_counted_as_calamine_would_build_them() {
        // LibreOffice's trailing empty rows and cells, by the million, cost nothing.
        let trailing = format!(
            r#"<table:table-row>{CELL}{CELL}{CELL}<table:table-cell table:number-columns-repeated="1021"/></table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
        );
        assert_eq!(ods_cells(&ods(&trailing)), Ok(3));
        // A value repeated across every column, on rows repeated a hundred times.
        let wide = r#"<table:table-row table:number-rows-repeated="100"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>"#;
        assert!(ods_cells(&ods(wide)).unwrap() > MAX_CELLS);
        // Two values a million empty rows apart, the second one far to the right.
        let gap = format!(
            r#"<table:table-row>{CELL}</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="50"/>{CELL}</table:table-row>"#
        );
        assert!(ods_cells(&ods(&gap)).unwrap() > MAX_CELLS);
    }

    #[test]
    fn kinds_by_their_first_bytes() {
        assert_eq!(kind_of(b"PK\x03\x04rest"), Some(Kind::Zip));
        assert_eq!(
            kind_of(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Some(Kind::Xls)
        );
        assert_eq!(kind_of(b"id,title\n"), None);
        assert_eq!(kind_of(b""), None);
    }
}
