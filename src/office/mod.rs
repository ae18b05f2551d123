//! Office formats: the decree's official document (`nd30`, finished by `docx_pack`), shared by
//! the report and the letters urging agencies; the agency's sheet out (`sheet`, with its record
//! `sheet_meta`) and back (`sheet_import`, reading cells with `cells` from a workbook opened
//! within limits by `spreadsheet`), and the whole picture as one workbook (`workbook`). Formats
//! only: fed by the core and the store's reads, they write no SQL. Every text from the database
//! reaches a cell through `untrusted::cell` or `cell_block`, written with `write_string` (never
//! as a formula).

pub mod cells;
pub mod docx_pack;
pub mod nd30;
pub mod sheet;
pub mod sheet_data;
pub mod sheet_import;
pub mod sheet_meta;
pub mod spreadsheet;
pub mod workbook;

use rust_xlsxwriter::{Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::error::Error;
use crate::model::Lang;

/// Name of the hidden sheet that marks a workbook as cchc's and says what it holds.
pub const META_SHEET: &str = "cchc";
/// First cell of the metadata sheet of an agency sheet.
pub const META_AGENCY_SHEET: &str = "cchc-agency-sheet";
/// First cell of the metadata sheet of a full export.
pub const META_EXPORT: &str = "cchc-export";
/// The layout version of the agency sheet; an importer refuses one it does not know. Version 2
/// carries the ids it was made for (`sheet_meta`) and asks indicators in their recorded unit.
pub const SHEET_LAYOUT_VERSION: i64 = 2;

/// The Excel date format people in the province read.
pub const DATE_FORMAT: &str = "dd/mm/yyyy";

pub(crate) fn xlsx_error(e: XlsxError) -> Error {
    Error::invalid(format!("cannot build the workbook: {e}"))
}

pub(crate) fn t(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// Column widths that fit the text they hold (Vietnamese included: width is counted in
/// display columns, not bytes), between a floor and a ceiling; long text wraps.
pub(crate) struct Widths(Vec<usize>);

impl Widths {
    pub fn new(headers: &[&str]) -> Widths {
        Widths(headers.iter().map(|h| h.width()).collect())
    }

    pub fn see(&mut self, col: usize, text: &str) {
        let w = text.lines().map(|l| l.width()).max().unwrap_or(0);
        if let Some(slot) = self.0.get_mut(col) {
            *slot = (*slot).max(w);
        }
    }

    /// Sets the columns' widths and returns them (in characters), for [`row_height`].
    pub fn apply(&self, ws: &mut Worksheet, max: &[usize]) -> Result<Vec<usize>, XlsxError> {
        let mut out = Vec::with_capacity(self.0.len());
        for (col, w) in self.0.iter().enumerate() {
            let ceiling = max.get(col).copied().unwrap_or(40);
            let width = (*w + 2).clamp(6, ceiling);
            ws.set_column_width(col as u16, width as f64)?;
            out.push(width);
        }
        Ok(out)
    }
}

/// Points per line of the default 11-point font.
const LINE_POINTS: f64 = 15.0;

/// The height a row needs for its wrapped cells (`(column, text)`) in columns of `widths`
/// characters, in points. Stored with the row: LibreOffice does not grow a row to its wrapped
/// text when it opens an .xlsx, so without it a long title runs under the next row.
pub(crate) fn row_height(widths: &[usize], cells: &[(u16, &str)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(col, text)| {
            // Words wrap whole: a line holds a little less than the column's width.
            let per_line = widths
                .get(*col as usize)
                .map_or(40, |w| w.saturating_sub(3).max(1));
            text.lines()
                .map(|l| l.width().div_ceil(per_line).max(1))
                .sum::<usize>()
                .max(1)
        })
        .max()
        .unwrap_or(1);
    lines as f64 * LINE_POINTS
}

/// Stores the height of each row whose wrapped cells need more than one line.
pub(crate) fn fit_rows<'a>(
    ws: &mut Worksheet,
    widths: &[usize],
    rows: impl IntoIterator<Item = (u32, Vec<(u16, &'a str)>)>,
) -> Result<(), XlsxError> {
    for (row, cells) in rows {
        let height = row_height(widths, &cells);
        if height > LINE_POINTS {
            ws.set_row_height(row, height)?;
        }
    }
    Ok(())
}

/// An agency's code as part of a file name (`SNV-2026-H1.xlsx`, the letter urging it): a code
/// is validated on input, but it becomes a path here, so anything but letters, digits, `-` and
/// `_` is `_` and it stays one file name.
pub fn file_name_part(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
