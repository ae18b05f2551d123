//! Office formats: the agency's sheet out (`sheet`) and back (`sheet_import`), and the whole
//! picture as one workbook (`workbook`). Formats only: fed by the core and the store's reads,
//! they write no SQL. Every text from the database reaches a cell through `untrusted::cell`
//! or `cell_block`, written with `write_string` (never as a formula).

pub mod sheet;
pub mod sheet_import;
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
/// The layout version of the agency sheet; an importer refuses one it does not know.
pub const SHEET_LAYOUT_VERSION: i64 = 1;

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

    pub fn apply(&self, ws: &mut Worksheet, max: &[usize]) -> Result<(), XlsxError> {
        for (col, w) in self.0.iter().enumerate() {
            let ceiling = max.get(col).copied().unwrap_or(40);
            let width = (*w + 2).clamp(6, ceiling);
            ws.set_column_width(col as u16, width as f64)?;
        }
        Ok(())
    }
}
