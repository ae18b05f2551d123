//! `cchc sheet` (an agency's workbook to fill in), `cchc import FILE.xlsx…` (the returned
//! sheets) and `cchc export --format xlsx` (the whole picture): glue between the store, the
//! core and `office`.

use std::path::{Path, PathBuf};

use super::table::Table;
use super::{Env, Style, write_bytes};
use crate::error::{Error, Result};
use crate::indicators::assess;
use crate::model::{Agency, Task};
use crate::office::sheet::{self, IndicatorLine, SheetInput};
use crate::office::sheet_import::{self, BadRow, RowEdit};
use crate::office::workbook::{self, ExportInput};
use crate::progress::{Progress, Work};
use crate::report::Quarter;
use crate::store::{ApplyMode, EditOutcome, LogFilter, Store, TaskFilter};
use crate::transfer::Resolver;
use crate::untrusted;

fn save(wb: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<()> {
    let bytes = wb.save_to_buffer().map_err(crate::office::xlsx_error)?;
    write_bytes(path, &bytes)
}

struct SheetData {
    agencies: Vec<Agency>,
    tasks: Vec<Task>,
    indicators: Vec<(crate::model::Indicator, crate::indicators::Assessment)>,
}

impl SheetData {
    fn read(store: &Store, env: &Env) -> Result<SheetData> {
        let measurements = store.measurements(None)?;
        let indicators = store
            .indicators()?
            .into_iter()
            .map(|ind| {
                let ms: Vec<_> = measurements
                    .iter()
                    .filter(|m| m.indicator == ind.code)
                    .cloned()
                    .collect();
                let a = assess(&ind, &ms, env.today);
                (ind, a)
            })
            .collect();
        Ok(SheetData {
            agencies: store.agencies()?,
            tasks: store.tasks(&TaskFilter::default())?,
            indicators,
        })
    }

    fn input<'a>(&'a self, agency: &'a Agency, quarter: Quarter, env: &Env) -> SheetInput<'a> {
        SheetInput {
            agency,
            quarter,
            made_on: env.today,
            lang: env.lang,
            tasks: sheet::tasks_for(&agency.code, quarter, &self.tasks),
            agencies: &self.agencies,
            indicators: self
                .indicators
                .iter()
                .filter(|(ind, _)| ind.lead_agency == agency.code)
                .map(|(ind, a)| IndicatorLine {
                    indicator: ind,
                    target: a.current_target,
                    latest: a.latest.clone(),
                })
                .collect(),
        }
    }
}

/// `cchc sheet --agency CODE` or `cchc sheet --all --output-dir DIR`.
pub fn sheet(args: &super::SheetArgs, env: &Env) -> Result<String> {
    let store = env.open_to_read()?;
    let data = SheetData::read(&store, env)?;
    let quarter = args
        .quarter
        .unwrap_or_else(|| crate::office::quarter_of(env.today));
    let mut out = String::new();
    if let Some(wanted) = &args.agency {
        let areas = store.areas()?;
        let code = Resolver::new(&areas, &data.agencies)
            .agency(wanted)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown agency {:?}; `cchc agencies` lists them",
                    untrusted::line(wanted)
                ))
            })?;
        let agency = data
            .agencies
            .iter()
            .find(|a| a.code == code)
            .ok_or_else(|| Error::invalid(format!("unknown agency {code:?}")))?;
        let path = args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(sheet::file_name(&agency.code, quarter)));
        let input = data.input(agency, quarter, env);
        let (n_tasks, n_ind) = (input.tasks.len(), input.indicators.len());
        save(&mut sheet::agency_workbook(&input)?, &path)?;
        out.push_str(&format!(
            "{} {} ({} {}, {} {})\n",
            env.t("Đã ghi", "Wrote"),
            path.display(),
            n_tasks,
            env.t("nhiệm vụ", "tasks"),
            n_ind,
            env.t("chỉ tiêu", "indicators"),
        ));
        return Ok(out);
    }
    let dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::invalid(format!("cannot create {}: {e}", dir.display())))?;
    let mut written = 0;
    let bar = super::progress::Bar::on_stderr(env.lang);
    bar.begin(Work::WriteSheets, data.agencies.len() as u64);
    for (n, agency) in data.agencies.iter().enumerate() {
        bar.set(n as u64);
        let input = data.input(agency, quarter, env);
        // "Work in the period": tasks to report on. Indicators alone do not make a sheet.
        if input.tasks.is_empty() {
            continue;
        }
        let path = dir.join(sheet::file_name(&agency.code, quarter));
        save(&mut sheet::agency_workbook(&input)?, &path)?;
        out.push_str(&format!(
            "{} ({} {})\n",
            path.display(),
            input.tasks.len(),
            env.t("nhiệm vụ", "tasks")
        ));
        written += 1;
    }
    bar.end();
    out.push_str(&format!(
        "{} {written} {} ({}) {} {}\n",
        env.t("Đã ghi", "Wrote"),
        env.t("tệp", "files"),
        quarter.label(env.lang),
        env.t("vào", "into"),
        dir.display()
    ));
    Ok(out)
}

/// `cchc export --format xlsx`.
pub fn export_xlsx(store: &Store, output: Option<&Path>, env: &Env) -> Result<String> {
    let path = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("cchc-{}.xlsx", env.today)));
    let (areas, agencies) = (store.areas()?, store.agencies()?);
    let tasks = store.tasks(&TaskFilter::default())?;
    let (indicators, measurements) = (store.indicators()?, store.measurements(None)?);
    let log = store.log(&LogFilter {
        oldest_first: true,
        ..Default::default()
    })?;
    let mut wb = workbook::export_workbook(&ExportInput {
        today: env.today,
        lang: env.lang,
        areas: &areas,
        agencies: &agencies,
        tasks: &tasks,
        indicators: &indicators,
        measurements: &measurements,
        log: &log,
    })?;
    save(&mut wb, &path)?;
    Ok(format!(
        "{} {} ({} {})\n",
        env.t("Đã ghi", "Wrote"),
        path.display(),
        tasks.len(),
        env.t("nhiệm vụ", "tasks")
    ))
}

/// `cchc import A.xlsx B.xlsx…`: every file is read and checked first; then all rows are
/// applied in one transaction (all or nothing unless `--partial`; nothing with `--dry-run`).
/// Returns the table of rows, the summary line that follows it (on stderr) and the exit code.
pub fn import_sheets(
    files: &[PathBuf],
    dry_run: bool,
    partial: bool,
    env: &Env,
    style: Style,
) -> Result<(String, Option<String>, i32)> {
    let mut edits: Vec<RowEdit> = Vec::new();
    let mut bad: Vec<BadRow> = Vec::new();
    let mut rows = 0;
    let bar = super::progress::Bar::on_stderr(env.lang);
    bar.begin(Work::ReadSheets, files.len() as u64);
    for (n, f) in files.iter().enumerate() {
        bar.set(n as u64);
        let read = sheet_import::read_returned(f, env.today)?;
        rows += read.rows;
        edits.extend(read.edits);
        bad.extend(read.bad);
    }
    let mut store = env.open()?;
    let mode = if dry_run || (!bad.is_empty() && !partial) {
        ApplyMode::DryRun
    } else if partial {
        ApplyMode::Partial
    } else {
        ApplyMode::AllOrNothing
    };
    let plain: Vec<_> = edits.iter().map(|e| e.edit.clone()).collect();
    let result = store.apply_sheet_edits_with(&plain, mode, env.today, &bar)?;
    drop(bar);
    let mut t = Table::new([
        env.t("Tệp", "File"),
        env.t("Dòng", "Row"),
        env.t("Mục", "Item"),
        env.t("Kết quả", "Result"),
        env.t("Thay đổi", "Changes"),
    ])
    .right(1);
    let (mut conflicts, mut refused, mut applied) = (0, bad.len(), 0);
    let row_cells = |file: &str, row: u32, subject: &str, result: String, what: String| {
        vec![
            untrusted::line(file).into_owned(),
            row.to_string(),
            untrusted::line(subject).into_owned(),
            untrusted::line(&result).into_owned(),
            untrusted::line(&what).into_owned(),
        ]
    };
    for b in &bad {
        t.row(
            row_cells(
                &b.origin.file,
                b.origin.row,
                &b.subject,
                env.t("ô sai", "bad cell").into(),
                b.reason.clone(),
            ),
            None,
        );
    }
    for (e, outcome) in edits.iter().zip(&result.outcomes) {
        let (res, what) = match outcome {
            EditOutcome::Applied(changes) => {
                applied += 1;
                let mut what = crate::model::FieldChange::describe_all(changes);
                if let crate::store::SheetEdit::Task { note: Some(n), .. } = &e.edit {
                    if !what.is_empty() {
                        what.push_str("; ");
                    }
                    what.push_str(&format!("«{n}»"));
                }
                let res = if result.committed {
                    env.t("đã cập nhật", "applied")
                } else {
                    env.t("sẽ cập nhật", "would apply")
                };
                (res.to_string(), what)
            }
            EditOutcome::Unchanged => (env.t("không đổi", "unchanged").to_string(), String::new()),
            EditOutcome::Refused(Error::Conflict(c)) => {
                conflicts += 1;
                refused += 1;
                (
                    env.t("xung đột", "conflict").to_string(),
                    format!(
                        "{} {} {} {} (v{} → v{}): {}",
                        env.t("đã bị", "changed by"),
                        c.by,
                        env.t("sửa lúc", "at"),
                        crate::report::instant(&c.at),
                        c.expected_version,
                        c.actual_version,
                        c.describe_changes()
                    ),
                )
            }
            EditOutcome::Refused(err) => {
                refused += 1;
                (env.t("bị từ chối", "refused").to_string(), err.to_string())
            }
        };
        t.row(
            row_cells(&e.origin.file, e.origin.row, &e.subject, res, what),
            None,
        );
    }
    // Not fitted to the terminal: the last column is the only place a conflict is described
    // (who changed what since the sheet was made) and there is no JSON form of this table, so
    // a long row wraps rather than losing what the secretary has to decide on.
    let out = t.render(Style {
        width: usize::MAX,
        ..style
    });
    let summary = if dry_run {
        Some(format!(
            "{}: {} {}, {} {}, {} {}",
            env.t("Kiểm tra xong, không ghi gì", "Checked, nothing written"),
            rows,
            env.t("dòng", "rows"),
            applied,
            env.t("sẽ cập nhật", "would apply"),
            refused,
            env.t("bị từ chối", "refused")
        ))
    } else if result.committed {
        Some(format!(
            "{}: {} {}, {} {}, {} {}",
            env.t("Đã nhập", "Imported"),
            rows,
            env.t("dòng", "rows"),
            applied,
            env.t("cập nhật", "applied"),
            refused,
            env.t("bị bỏ qua", "skipped"),
        ))
    } else {
        None
    };
    if refused > 0 && (dry_run || !result.committed) && !partial {
        let how = if dry_run {
            "would be refused; nothing was written"
        } else {
            "refused; nothing was imported"
        };
        eprintln!(
            "cchc: {refused} row(s) {how} ({conflicts} conflict(s)). Fix the rows listed, or pass --partial to import the rest"
        );
        return Ok((out, summary, if conflicts > 0 { 3 } else { 1 }));
    }
    Ok((out, summary, 0))
}
