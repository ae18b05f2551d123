//! The record an agency sheet carries of what it was made for, in a very hidden sheet (Excel
//! and LibreOffice do not offer to show it): the agency, the period, the day it was made, and
//! every task (its id, plan reference and the agency's part in it) and indicator it asks about,
//! closed by a checksum of all of it. The import reads the rows against this record, so a
//! changed ID, a row of another agency's task or a row added at the bottom cannot reach a task
//! the sheet was not made for. The checksum finds a record edited by hand or by a script; it is
//! not a signature (anyone with cchc can make a sheet).

use chrono::NaiveDate;
use rust_xlsxwriter::{Worksheet, XlsxError};
use sha2::{Digest, Sha256};

use super::spreadsheet::Grid;
use super::{META_AGENCY_SHEET, META_SHEET, SHEET_LAYOUT_VERSION};
use crate::model::{Lang, ReportPeriod};
use crate::untrusted;

/// The agency's part in a task of its sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It leads the task: it reports status, progress and completion.
    Lead,
    /// It coordinates: its row adds its own note only.
    Coordinating,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Coordinating => "coordinating",
        }
    }

    fn parse(s: &str) -> Option<Role> {
        match s {
            "lead" => Some(Role::Lead),
            "coordinating" => Some(Role::Coordinating),
            _ => None,
        }
    }
}

/// A task the sheet was made for.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaTask {
    pub id: i64,
    pub plan_ref: String,
    pub role: Role,
}

/// What a sheet was made for.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetMeta {
    pub agency: String,
    pub period: ReportPeriod,
    pub lang: Lang,
    pub made_on: NaiveDate,
    pub tasks: Vec<MetaTask>,
    pub indicators: Vec<String>,
}

impl SheetMeta {
    pub fn task(&self, id: i64) -> Option<&MetaTask> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The record's rows, each a key and its values, as written to the sheet (text cells made
    /// inert) and as the checksum covers them.
    fn rows(&self) -> Vec<Vec<String>> {
        let lang = match self.lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        };
        let mut rows = vec![
            vec![
                META_AGENCY_SHEET.to_string(),
                SHEET_LAYOUT_VERSION.to_string(),
            ],
            vec!["agency".into(), untrusted::cell(&self.agency).into_owned()],
            vec!["period".into(), self.period.to_string()],
            vec!["lang".into(), lang.into()],
            vec!["made_on".into(), self.made_on.to_string()],
        ];
        for t in &self.tasks {
            rows.push(vec![
                "task".into(),
                t.id.to_string(),
                untrusted::cell(&t.plan_ref).into_owned(),
                t.role.as_str().into(),
            ]);
        }
        for code in &self.indicators {
            rows.push(vec!["indicator".into(), untrusted::cell(code).into_owned()]);
        }
        rows
    }

    /// Writes the record into `ws`, named [`META_SHEET`], very hidden and protected.
    pub fn write(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        ws.set_name(META_SHEET)?;
        let mut rows = self.rows();
        let sum = checksum(&rows);
        rows.push(vec!["checksum".into(), sum]);
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, v)?;
            }
        }
        ws.set_very_hidden(true);
        ws.protect();
        Ok(())
    }
}

fn checksum(rows: &[Vec<String>]) -> String {
    let mut h = Sha256::new();
    for row in rows {
        for v in row {
            h.update(v.as_bytes());
            h.update(b"\t");
        }
        h.update(b"\n");
    }
    hex::encode(&h.finalize()[..16])
}

/// Why a workbook's record cannot be read; the caller says it with the file's name.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaError {
    /// No record: not a sheet made by `cchc sheet`.
    NotASheet,
    /// The full export's record, not an agency sheet's.
    Export,
    /// A record of another layout: made by another version of cchc.
    Layout(String),
    /// The record was changed after the sheet was made, or is damaged.
    Damaged,
}

/// Reads the record from the workbook's hidden sheet. `export_marker` tells the export apart.
pub fn read(grid: Option<&Grid>) -> Result<SheetMeta, MetaError> {
    let grid = grid.ok_or(MetaError::NotASheet)?;
    let cell = |r: u32, c: u32| super::cells::text(grid.value(r, c)).unwrap_or_default();
    let last = grid.last_row().ok_or(MetaError::NotASheet)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for r in 0..=last {
        let row: Vec<String> = (0..4).map(|c| cell(r, c)).collect();
        let used = row.iter().rposition(|v| !v.is_empty()).map_or(0, |i| i + 1);
        rows.push(row[..used].to_vec());
    }
    match rows.first().and_then(|r| r.first()).map(String::as_str) {
        Some(super::META_EXPORT) => return Err(MetaError::Export),
        Some(META_AGENCY_SHEET) => {}
        _ => return Err(MetaError::NotASheet),
    }
    let layout = rows[0].get(1).cloned().unwrap_or_default();
    if layout != SHEET_LAYOUT_VERSION.to_string() {
        return Err(MetaError::Layout(layout));
    }
    let Some(sum_row) = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("checksum"))
    else {
        return Err(MetaError::Damaged);
    };
    let body = &rows[..sum_row];
    if rows[sum_row].get(1) != Some(&checksum(body)) {
        return Err(MetaError::Damaged);
    }
    let value = |key: &str| {
        body.iter()
            .find(|r| r.first().map(String::as_str) == Some(key))
            .and_then(|r| r.get(1))
            .map(String::as_str)
    };
    let mut meta = SheetMeta {
        agency: untrusted::uncell(value("agency").ok_or(MetaError::Damaged)?).to_string(),
        period: value("period")
            .and_then(|p| ReportPeriod::parse(p).ok())
            .ok_or(MetaError::Damaged)?,
        lang: match value("lang") {
            Some("en") => Lang::En,
            Some("vi") => Lang::Vi,
            _ => return Err(MetaError::Damaged),
        },
        made_on: value("made_on")
            .and_then(|d| d.parse().ok())
            .ok_or(MetaError::Damaged)?,
        tasks: Vec::new(),
        indicators: Vec::new(),
    };
    for r in body {
        match r.first().map(String::as_str) {
            Some("task") => meta.tasks.push(MetaTask {
                id: r
                    .get(1)
                    .and_then(|i| i.parse().ok())
                    .ok_or(MetaError::Damaged)?,
                plan_ref: untrusted::uncell(r.get(2).map_or("", String::as_str)).to_string(),
                role: r
                    .get(3)
                    .and_then(|s| Role::parse(s))
                    .ok_or(MetaError::Damaged)?,
            }),
            Some("indicator") => meta
                .indicators
                .push(untrusted::uncell(r.get(1).ok_or(MetaError::Damaged)?).to_string()),
            _ => {}
        }
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> SheetMeta {
        SheetMeta {
            agency: "STP".into(),
            period: ReportPeriod::parse("2026").unwrap(),
            lang: Lang::Vi,
            made_on: "2026-11-15".parse().unwrap(),
            tasks: vec![
                MetaTask {
                    id: 9,
                    plan_ref: "III.2.1".into(),
                    role: Role::Lead,
                },
                MetaTask {
                    id: 24,
                    plan_ref: "=V.3".into(),
                    role: Role::Coordinating,
                },
            ],
            indicators: vec!["the-che-vbqppl-hoan-thien".into()],
        }
    }

    #[test]
    fn the_checksum_covers_every_row() {
        let rows = meta().rows();
        let sum = checksum(&rows);
        assert_eq!(sum.len(), 32);
        let mut changed = rows.clone();
        changed[5][1] = "4".into(); // task 9 becomes task 4
        assert_ne!(checksum(&changed), sum);
        let mut moved = rows.clone();
        moved[5][1].push('\t'); // a value cannot run into the next
        assert_ne!(checksum(&moved), sum);
        // A formula-like plan reference is written inert.
        assert_eq!(rows[6][2], "'=V.3");
    }

    fn written(meta: &SheetMeta) -> Vec<Vec<String>> {
        let mut rows = meta.rows();
        let sum = checksum(&rows);
        rows.push(vec!["checksum".into(), sum]);
        rows
    }

    #[test]
    fn the_record_reads_back_and_refuses_any_change() {
        let m = meta();
        assert_eq!(read(Some(&Grid::of_text(&written(&m)))), Ok(m.clone()));
        let mut forged = written(&m);
        forged[5][1] = "4".into();
        assert_eq!(read(Some(&Grid::of_text(&forged))), Err(MetaError::Damaged));
        let mut added = written(&m);
        added.insert(
            7,
            vec!["task".into(), "4".into(), "I.1".into(), "lead".into()],
        );
        assert_eq!(read(Some(&Grid::of_text(&added))), Err(MetaError::Damaged));
        let mut old = written(&m);
        old[0][1] = "1".into();
        assert_eq!(
            read(Some(&Grid::of_text(&old))),
            Err(MetaError::Layout("1".into()))
        );
        assert_eq!(read(None), Err(MetaError::NotASheet));
        let export = vec![vec![super::super::META_EXPORT.to_string(), "1".into()]];
        assert_eq!(read(Some(&Grid::of_text(&export))), Err(MetaError::Export));
    }
}
