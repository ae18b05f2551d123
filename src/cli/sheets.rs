//! `cchc sheet` (an agency's workbook to fill in), `cchc import FILE.xlsx…` (the returned
//! sheets) and `cchc export --format xlsx` (the whole picture): glue between the store, the
//! core and `office`.

use std::path::{Path, PathBuf};

use super::table::Table;
use super::{Env, Style, write_bytes};
use crate::error::{Error, Result};
use crate::model::{Agency, Indicator, Lang};
use crate::model::{ReportPeriod, Task};
use crate::office::sheet;
use crate::office::sheet_data::SheetData;
use crate::office::sheet_import::{self, Deleted, Problem, ReturnedSheet};
use crate::office::workbook::{self, ExportInput};
use crate::progress::{Progress, Work};
use crate::store::{ApplyMode, EditOutcome, LogFilter, SheetEdit, Store, TaskFilter};
use crate::transfer::Resolver;
use crate::untrusted;
use crate::view::Sort;

fn save(wb: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<()> {
    let bytes = wb.save_to_buffer().map_err(crate::office::xlsx_error)?;
    write_bytes(path, &bytes)
}

/// Which tasks each agency's sheet of `period` asks about, by id in list order: one pass over
/// the tasks, 8 bytes a task per sheet it is on (a million tasks are not held, only their ids).
fn sheet_task_ids(
    store: &Store,
    period: ReportPeriod,
    today: chrono::NaiveDate,
    wanted: Option<&str>,
) -> Result<std::collections::HashMap<String, Vec<i64>>> {
    let mut ids: std::collections::HashMap<String, Vec<i64>> = Default::default();
    store.each_task(&TaskFilter::default(), Sort::Due, false, today, &mut |t| {
        if sheet::in_sheets(period, &t) {
            for code in std::iter::once(&t.lead_agency).chain(&t.coordinating) {
                if wanted.is_none_or(|w| w == code) {
                    let list = ids.entry(code.clone()).or_default();
                    // A task that names the same agency twice is on its sheet once.
                    if list.last() != Some(&t.id) {
                        list.push(t.id);
                    }
                }
            }
        }
        Ok(())
    })?;
    Ok(ids)
}

/// The tasks with these ids, in that order, read a few hundred at a time.
fn tasks_of(store: &Store, ids: &[i64]) -> Result<Vec<Task>> {
    let mut tasks = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(256) {
        tasks.extend(store.tasks_by_ids(chunk)?);
    }
    Ok(tasks)
}

/// `cchc sheet --agency CODE` or `cchc sheet --all --output-dir DIR`.
pub fn sheet(args: &super::SheetArgs, env: &Env) -> Result<String> {
    let store = env.open_to_read()?;
    // One state of the file for every sheet.
    store.snapshot(|store| write_sheets(store, args, env))
}

fn write_sheets(store: &Store, args: &super::SheetArgs, env: &Env) -> Result<String> {
    let data = SheetData::read(store, env.today)?;
    let period = args
        .period
        .unwrap_or_else(|| ReportPeriod::current(env.today));
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
            .unwrap_or_else(|| PathBuf::from(sheet::file_name(&agency.code, period)));
        let mut ids = sheet_task_ids(store, period, env.today, Some(&agency.code))?;
        let tasks = tasks_of(store, &ids.remove(&agency.code).unwrap_or_default())?;
        let input = data.input(agency, tasks.iter().collect(), period, env.lang);
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
    let mut ids = sheet_task_ids(store, period, env.today, None)?;
    let bar = super::progress::Bar::on_stderr(env.lang);
    bar.begin(Work::WriteSheets, data.agencies.len() as u64);
    for (n, agency) in data.agencies.iter().enumerate() {
        // "Work in the period": tasks to report on. Indicators alone do not make a sheet.
        // Counted once an agency is dealt with, one with no work included: the bar ends full.
        let Some(ids) = ids.remove(&agency.code) else {
            bar.set(n as u64 + 1);
            continue;
        };
        let tasks = tasks_of(store, &ids)?;
        let input = data.input(agency, tasks.iter().collect(), period, env.lang);
        let path = dir.join(sheet::file_name(&agency.code, period));
        save(&mut sheet::agency_workbook(&input)?, &path)?;
        out.push_str(&format!(
            "{} ({} {})\n",
            path.display(),
            input.tasks.len(),
            env.t("nhiệm vụ", "tasks")
        ));
        written += 1;
        bar.set(n as u64 + 1);
    }
    bar.end();
    out.push_str(&format!(
        "{} {written} {} ({}) {} {}\n",
        env.t("Đã ghi", "Wrote"),
        env.t("tệp", "files"),
        period.label(env.lang),
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
    // A worksheet holds 1,048,576 rows, the header one of them: a larger file is refused
    // before anything is read (the workbook is built in memory, about 10 KB a task).
    const SHEET_ROWS: i64 = 1_048_575;
    for (rows, what) in [
        (store.task_count()?, env.t("nhiệm vụ", "tasks")),
        (
            store.log_count()?,
            env.t("mục nhật ký", "change-log entries"),
        ),
    ] {
        if rows > SHEET_ROWS {
            return Err(Error::invalid(format!(
                "{rows} {what}: {}",
                env.t(
                    "nhiều hơn một trang tính chứa được (1.048.575 dòng); xuất --format csv hoặc json",
                    "more than a worksheet holds (1,048,575 rows); export --format csv or json",
                )
            )));
        }
    }
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

/// `cchc import A.xlsx B.xlsx…`: every file is read and checked first — against the record
/// each sheet carries of what it was made for, then against the file as it is now, then the
/// files against each other — and then all rows are applied in one transaction (all or nothing
/// unless `--partial`; nothing with `--dry-run`). Says on stderr which agency and period each
/// file is, and warns of a sheet of an earlier period. Returns the table of rows, the summary
/// line that follows it (on stderr) and the exit code: non-zero whenever a row was refused.
pub fn import_sheets(
    files: &[PathBuf],
    dry_run: bool,
    partial: bool,
    env: &Env,
    style: Style,
) -> Result<(String, Option<String>, i32)> {
    let bar = super::progress::Bar::on_stderr(env.lang);
    bar.begin(Work::ReadSheets, files.len() as u64);
    let mut sheets: Vec<ReturnedSheet> = Vec::with_capacity(files.len());
    for (n, f) in files.iter().enumerate() {
        bar.set(n as u64);
        sheets.push(sheet_import::read_returned(f, env.today, env.lang)?);
    }
    let mut store = env.open()?;
    let agencies = store.agencies()?;
    // Only the tasks the sheets name, in a row or as a row deleted (a returned sheet holds an
    // agency's few hundred; the file may hold a million).
    let named: Vec<i64> = sheets
        .iter()
        .flat_map(|s| {
            let rows = s.edits.iter().filter_map(|e| match &e.edit {
                SheetEdit::Task { id, .. } => Some(*id),
                _ => None,
            });
            let deleted = s.deleted.iter().filter_map(|d| match d {
                Deleted::Task(id) => Some(*id),
                Deleted::Indicator(_) => None,
            });
            rows.chain(deleted)
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let tasks = tasks_of(&store, &named)?;
    let indicators = store.indicators()?;
    let measurements = store.measurements(None)?;
    let agency_name = |code: &str| {
        agencies
            .iter()
            .find(|a| a.code == code)
            .map_or_else(|| code.to_string(), |a| a.name.clone())
    };
    let known = sheet_import::Known {
        tasks: &tasks,
        indicators: &indicators,
        measurements: &measurements,
        agency_name: &agency_name,
    };
    let current = ReportPeriod::current(env.today);
    let mut about = String::new();
    for s in &mut sheets {
        let Some(agency) = agencies.iter().find(|a| a.code == s.meta.agency) else {
            return Err(Error::invalid(format!(
                "{}: {} {:?}; {}",
                s.file,
                env.t(
                    "bảng lập cho cơ quan không có trong cchc",
                    "made for an agency cchc does not know"
                ),
                untrusted::line(&s.meta.agency),
                env.t(
                    "lập bảng mới bằng `cchc sheet`",
                    "make a new sheet with `cchc sheet`"
                )
            )));
        };
        about.push_str(&about_file(s, agency, current, env));
        sheet_import::vet(s, &known, env.lang);
    }
    sheet_import::cross_check(&mut sheets, env.lang);
    eprint!("{}", untrusted::block(&about));

    let edits: Vec<SheetEdit> = sheets
        .iter()
        .flat_map(|s| s.edits.iter().map(|e| e.edit.clone()))
        .collect();
    let bad = sheets.iter().map(|s| s.bad.len()).sum::<usize>();
    let mode = if dry_run || (bad > 0 && !partial) {
        ApplyMode::DryRun
    } else if partial {
        ApplyMode::Partial
    } else {
        ApplyMode::AllOrNothing
    };
    let result = store.apply_sheet_edits(&edits, mode, &bar)?;
    drop(bar);

    let mut t = Table::new([
        env.t("Tệp", "File"),
        env.t("Dòng", "Row"),
        env.t("Mục", "Item"),
        env.t("Kết quả", "Result"),
        env.t("Thay đổi, lý do", "Changes, reason"),
    ])
    .right(1);
    let row_cells = |file: &str, row: String, subject: &str, result: &str, what: &str| {
        vec![
            untrusted::line(file).into_owned(),
            row,
            untrusted::line(subject).into_owned(),
            result.to_string(),
            untrusted::line(what).into_owned(),
        ]
    };
    let (mut conflicts, mut refused, mut applied) = (0, bad, 0);
    for s in &sheets {
        for b in &s.bad {
            let result = match b.problem {
                Problem::BadCell => env.t("ô sai", "bad cell"),
                Problem::Refused => env.t("bị từ chối", "refused"),
                Problem::Conflict => {
                    conflicts += 1;
                    env.t("xung đột", "conflict")
                }
            };
            t.row(
                row_cells(
                    &b.origin.file,
                    b.origin.row.to_string(),
                    &b.subject,
                    result,
                    &b.reason,
                ),
                None,
            );
        }
        for d in &s.deleted {
            let subject = match d {
                Deleted::Task(id) => sheet_import::task_subject(
                    *id,
                    tasks
                        .iter()
                        .find(|t| t.id == *id)
                        .map_or("", |t| t.title.as_str()),
                ),
                Deleted::Indicator(code) => indicators
                    .iter()
                    .find(|i| &i.code == code)
                    .map_or_else(|| code.clone(), |i| crate::text::truncate(&i.name, 48)),
            };
            t.row(
                row_cells(
                    &s.file,
                    "–".into(),
                    &subject,
                    env.t("dòng bị xoá", "row deleted"),
                    env.t(
                        "không còn trong tệp; không thay đổi gì",
                        "no longer in the file; nothing changed",
                    ),
                ),
                None,
            );
        }
    }
    let rows = sheets.iter().flat_map(|s| s.edits.iter());
    for (e, outcome) in rows.zip(&result.outcomes) {
        let (res, what) = match outcome {
            EditOutcome::Applied(changes) => {
                applied += 1;
                let what = match &e.edit {
                    SheetEdit::Task { note, .. } => {
                        let mut what =
                            crate::model::FieldChange::describe_all_in(changes, env.lang);
                        if let Some(n) = note {
                            if !what.is_empty() {
                                what.push_str("; ");
                            }
                            what.push_str(&format!("«{n}»"));
                        }
                        what
                    }
                    SheetEdit::Measurement { m, .. } => measured(m, &indicators, env.lang),
                };
                let res = if result.committed {
                    env.t("đã cập nhật", "applied")
                } else {
                    env.t("sẽ cập nhật", "would apply")
                };
                (res, what)
            }
            EditOutcome::Unchanged => (env.t("không đổi", "unchanged"), String::new()),
            EditOutcome::Refused(Error::Conflict(c)) => {
                conflicts += 1;
                refused += 1;
                let from = c
                    .from
                    .as_deref()
                    .map(|f| format!(" ({} {f})", env.t("từ", "from")))
                    .unwrap_or_default();
                (
                    env.t("xung đột", "conflict"),
                    format!(
                        "{} {} {} {}{from}: {}",
                        env.t("đã bị", "changed by"),
                        c.by,
                        env.t("sửa lúc", "at"),
                        crate::report::instant(&c.at),
                        crate::model::FieldChange::describe_all_in(&c.changes, env.lang)
                    ),
                )
            }
            EditOutcome::Refused(err) => {
                refused += 1;
                (env.t("bị từ chối", "refused"), err.to_string())
            }
        };
        t.row(
            row_cells(
                &e.origin.file,
                e.origin.row.to_string(),
                &e.subject,
                res,
                &what,
            ),
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
    let rows: usize = sheets.iter().map(|s| s.rows).sum();
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
    if refused == 0 {
        return Ok((out, summary, 0));
    }
    let code = if conflicts > 0 { 3 } else { 1 };
    let what = if result.committed {
        env.t(
            "không được nhập; các dòng khác đã được nhập",
            "not imported; the other rows were",
        )
    } else if dry_run {
        env.t(
            "sẽ bị từ chối; chưa ghi gì",
            "would be refused; nothing was written",
        )
    } else {
        env.t("bị từ chối; chưa nhập gì", "refused; nothing was imported")
    };
    let advice = if result.committed || partial {
        env.t(
            "Xem các dòng trong bảng trên.",
            "See the rows listed above.",
        )
    } else {
        env.t(
            "Sửa các dòng trong bảng trên, hoặc thêm --partial để nhập các dòng còn lại.",
            "Fix the rows listed, or pass --partial to import the rest.",
        )
    };
    eprintln!(
        "cchc: {refused} {} {what} ({conflicts} {}). {advice}",
        env.t("dòng", "row(s)"),
        env.t("xung đột", "conflict(s)"),
    );
    Ok((out, summary, code))
}

/// Which agency and period a returned file is, and a warning when it is of an earlier period.
fn about_file(s: &ReturnedSheet, agency: &Agency, current: ReportPeriod, env: &Env) -> String {
    let period = s.meta.period;
    let mut out = format!(
        "{}: {} ({}) · {} ({}–{}) · {} {}\n",
        s.file,
        untrusted::line(&agency.name),
        untrusted::line(&agency.code),
        period.title(env.lang),
        period.start().format("%d/%m/%Y"),
        period.end().format("%d/%m/%Y"),
        env.t("lập ngày", "made on"),
        s.meta.made_on.format("%d/%m/%Y"),
    );
    if period < current {
        out.push_str(&format!(
            "{}: {} {} {}; {} {}. {}\n",
            env.t("cảnh báo", "warning"),
            s.file,
            env.t("là bảng của kỳ", "is the sheet of"),
            period.label(env.lang),
            env.t("kỳ đang báo cáo là", "the period being reported is"),
            current.label(env.lang),
            env.t(
                "Các dòng vẫn được nhập; ô nào cchc đã đổi khác đi từ ngày lập bảng là xung đột.",
                "Its rows are still imported; a cell cchc has changed otherwise since the sheet was made is a conflict."
            ),
        ));
    }
    out
}

/// A measurement as the import table says it: the value in its unit and the day measured.
fn measured(m: &crate::store::NewMeasurement, indicators: &[Indicator], lang: Lang) -> String {
    let unit = indicators
        .iter()
        .find(|i| i.code == m.indicator)
        .map(crate::indicators::Quantity::of);
    let value = crate::text::figure(m.value, lang);
    let value = match unit {
        Some(crate::indicators::Quantity::Percent) => format!("{value}%"),
        _ => value,
    };
    match lang {
        Lang::Vi => format!("số đo {value}, ngày {}", m.measured_on.format("%d/%m/%Y")),
        Lang::En => format!("measured {value} on {}", m.measured_on.format("%d/%m/%Y")),
    }
}
