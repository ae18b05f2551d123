//! `cchc export`, `cchc report` and `cchc import`: the plan's data out to files and back in.

use std::io::Write;
use std::path::Path;

use super::tasks::{Each, TaskItems, csv_error};
use super::{
    DataFormat, Env, ReportFormat, Style, json_item, print_then_summary, progress, sheets,
    write_bytes, write_output_bytes, write_output_with,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::csv_read::{Counted, CsvStream, StreamError};
use crate::error::{Error, Result};
use crate::model::Task;
use crate::progress::{Progress, Work};
use crate::store::{ImportItem, ImportOptions, LogFilter, Store, TaskFilter};
use crate::transfer;
use crate::untrusted::{block, line};
use crate::view::Sort;

/// `cchc export`: the whole file as JSON, CSV (plain or shaped for Excel) or a workbook. The
/// tasks are read and written one at a time, in one state of the file.
pub(super) fn export_command(
    format: DataFormat,
    output: Option<&Path>,
    excel: bool,
    env: &Env,
) -> Result<String> {
    let store = env.open_to_read()?;
    if format == DataFormat::Xlsx {
        return sheets::export_xlsx(&store, output, env);
    }
    if excel && format != DataFormat::Csv {
        return Err(Error::usage(
            "--excel tạo tệp CSV; dùng kèm --format csv",
            "--excel shapes a CSV file; give it with --format csv",
        ));
    }
    store.snapshot(|store| {
        let each = |f: &mut dyn FnMut(Task) -> Result<()>| {
            store.each_task(&TaskFilter::default(), Sort::Due, false, env.today, f)
        };
        write_output_with(output, |out| match format {
            DataFormat::Csv if excel => {
                let (areas, agencies) = (store.areas()?, store.agencies()?);
                let mut rows =
                    crate::excel_csv::TaskRows::new(&areas, &agencies, env.today, env.lang, out)
                        .map_err(csv_error)?;
                each(&mut |t| rows.task(&t).map_err(csv_error))?;
                rows.finish().map_err(csv_error)
            }
            DataFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .buffer_capacity(64 * 1024)
                    .from_writer(out);
                w.write_record(transfer::CSV_COLUMNS).map_err(csv_error)?;
                let mut buf = String::new();
                each(&mut |t| {
                    transfer::write_csv_fields(&mut w, &t, &mut buf)
                        .and_then(|()| w.write_record(None::<&[u8]>))
                        .map_err(csv_error)
                })?;
                w.flush()?;
                Ok(())
            }
            DataFormat::Json => export_json(store, &each, out, env),
            DataFormat::Xlsx => unreachable_xlsx(),
        })
    })?;
    Ok(String::new())
}

/// The export's JSON document (`transfer::ExportDoc`, field for field), the tasks written as
/// they are read.
fn export_json(store: &Store, each: &Each, out: &mut dyn Write, env: &Env) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        format: &'a str,
        version: u32,
        exported_at: String,
        as_of: Option<chrono::NaiveDate>,
        areas: Vec<crate::model::Area>,
        agencies: Vec<crate::model::Agency>,
        indicators: Vec<crate::model::Indicator>,
        measurements: Vec<crate::model::Measurement>,
        tasks: TaskItems<'a>,
    }
    let doc = Doc {
        format: transfer::EXPORT_FORMAT,
        version: 1,
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        as_of: Some(env.today),
        areas: store.areas()?,
        agencies: store.agencies()?,
        indicators: store.indicators()?,
        measurements: store.measurements(None)?,
        tasks: TaskItems::new(each, env.today),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| match e.io_error_kind() {
        _ if let Some(read) = doc.tasks.read_error() => read,
        Some(kind) => Error::Io(std::io::Error::new(kind, e)),
        None => Error::invalid(e.to_string()),
    })?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A workbook is not text: `sheets::export_xlsx` writes it (never reached: export_command
/// hands it over first).
fn unreachable_xlsx() -> Result<()> {
    Err(Error::usage(
        "tệp xuất .xlsx phải ghi ra tệp; thêm --output TEP.xlsx",
        "an .xlsx export is written to a file; give --output FILE.xlsx",
    ))
}

/// `cchc report`: a period's report, written to `output` or stdout (a .docx only to a file).
/// A Markdown file gets its charts beside it as PNGs (`NAME-bieu-do-1.png`, …), linked by name.
pub(super) fn report_command(
    period: crate::report::ReportPeriod,
    format: ReportFormat,
    output: Option<&Path>,
    env: &Env,
) -> Result<()> {
    if format == ReportFormat::Docx && output.is_none() {
        return Err(Error::usage(
            "báo cáo .docx cần tệp đích: thêm --output BAOCAO.docx",
            "a .docx report needs a file: add --output REPORT.docx",
        ));
    }
    let store = env.open_to_read()?;
    let mut r = report(&store, period, env)?;
    r.texts = report_texts(period, env)?;
    let letter = crate::report::body::Letter::new(&env.report, env.today);
    match format {
        // The report escapes the file's text itself; block() keeps the CLI's promise even if a
        // section forgets (Markdown has no use for a control character but newline and tab).
        ReportFormat::Md => {
            let charts = match output {
                Some(path) => Some(write_charts(&r, path, env)?),
                None => None,
            };
            let md = crate::report::markdown::render(&r, env.lang, &letter, charts.as_deref());
            write_output_bytes(output, block(&md).as_bytes())?;
        }
        ReportFormat::Json => {
            write_output_bytes(output, json_item("report", &r)?.as_bytes())?;
        }
        // A Word document is written whole or not at all, like a workbook.
        ReportFormat::Docx => {
            let bytes = crate::report::docx::render(&r, env.lang, &env.report, env.today)
                .map_err(Error::invalid)?;
            if let Some(path) = output {
                write_bytes(path, &bytes)?;
            }
        }
    }
    Ok(())
}

/// The charts of a Markdown report written to `md`, as PNG files beside it; their names,
/// relative to it.
fn write_charts(r: &crate::report::Report, md: &Path, env: &Env) -> Result<Vec<String>> {
    let charts = crate::report::charts::render(r, env.lang).map_err(Error::invalid)?;
    let stem = md
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bao-cao".into());
    let word = env.t("bieu-do", "chart");
    let mut names = Vec::new();
    for (i, chart) in charts.iter().enumerate() {
        let name = format!("{stem}-{word}-{}.png", i + 1);
        write_bytes(&md.with_file_name(&name), &chart.png)?;
        names.push(name);
    }
    Ok(names)
}

/// The assessment, causes and proposals: the config's `[report.texts]`, overridden part by part
/// by its `texts_file` (with `{period}` replaced) when that file exists.
fn report_texts(
    period: crate::report::ReportPeriod,
    env: &Env,
) -> Result<crate::report::ReportTexts> {
    let texts = env.report.texts.clone();
    let Some(file) = &env.report.texts_file else {
        return Ok(texts);
    };
    let path = std::path::PathBuf::from(
        file.to_string_lossy()
            .replace("{period}", &period.to_string()),
    );
    // The secretary's own words: a few pages at most, so a larger file is a wrong path.
    const TEXTS_MAX: u64 = 1_000_000;
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > TEXTS_MAX) {
        return Err(Error::invalid(format!(
            "{}: larger than 1 MB, not a report's texts; check texts_file in [report]",
            path.display()
        )));
    }
    let src = match std::fs::read_to_string(&path) {
        Ok(src) => src,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "cchc: {}",
                match env.lang {
                    crate::model::Lang::Vi => format!(
                        "chưa có tệp nội dung báo cáo {} (texts_file); báo cáo đánh dấu chỗ cần viết",
                        path.display()
                    ),
                    crate::model::Lang::En => format!(
                        "no report texts file {} (texts_file) yet; the report marks where the texts go",
                        path.display()
                    ),
                }
            );
            return Ok(texts);
        }
        Err(e) => {
            return Err(Error::invalid(format!(
                "{}: {e}; fix the file or texts_file in [report]",
                path.display()
            )));
        }
    };
    let (from_file, warnings) = crate::report::ReportTexts::from_markdown(&src);
    for w in warnings {
        eprintln!("cchc: {}: {}", path.display(), line(&w));
    }
    Ok(texts.overridden_by(from_file))
}

/// `cchc import`: one CSV or JSON file, or several returned agency sheets (.xlsx) together.
/// Prints its own output and returns the exit code.
pub(super) fn import_command(
    files: &[std::path::PathBuf],
    dry_run: bool,
    partial: bool,
    create_agencies: bool,
    env: &Env,
    style: Style,
) -> Result<i32> {
    // Only regular files are looked into: sniffing a FIFO's first bytes would hang.
    let is_workbook = crate::office::spreadsheet::is_workbook;
    for f in files {
        crate::store::require_regular(f, "the import file")?;
        // A workbook is read whole by the spreadsheet reader; CSV and JSON are streamed, with
        // their own limit (`read_import_stream`).
        if is_workbook(f)
            && std::fs::metadata(f).is_ok_and(|m| m.len() > transfer::MAX_IMPORT_BYTES)
        {
            return Err(Error::invalid(format!(
                "{}: the import file is larger than {} MB; split it into smaller files",
                f.display(),
                transfer::MAX_IMPORT_BYTES / 1_000_000
            )));
        }
    }
    // Returned agency sheets (workbooks, by their first bytes or name) go together; CSV and
    // JSON one file at a time.
    if files.iter().any(|f| is_workbook(f)) {
        if let Some(other) = files.iter().find(|f| !is_workbook(f)) {
            return Err(Error::invalid(format!(
                "{}: {}",
                other.display(),
                env.t(
                    "không phải bảng tính .xlsx; tệp CSV hay JSON phải nhập riêng",
                    "not an .xlsx sheet; import CSV or JSON files on their own"
                )
            )));
        }
        let (text, summary, code) = sheets::import_sheets(files, dry_run, partial, env, style)?;
        print_then_summary(&text, summary.as_deref())?;
        return Ok(code);
    }
    let [file] = files else {
        return Err(Error::invalid(env.t(
            "mỗi lần nhập một tệp CSV hoặc JSON (nhiều tệp chỉ dành cho bảng tính .xlsx)",
            "give one CSV or JSON file at a time (several files are for .xlsx sheets)",
        )));
    };
    let out = import(file, dry_run, create_agencies, env)?;
    print_then_summary(&out, None)?;
    Ok(0)
}

fn report(
    store: &Store,
    period: crate::report::ReportPeriod,
    env: &Env,
) -> Result<crate::report::Report> {
    // The figures stand on the cut-off once it has passed, else on today (preliminary).
    let as_of = period.as_of(env.today);
    let next = as_of.date.succ_opt().unwrap_or(as_of.date);
    let log = store.log(&LogFilter {
        since: Some(period.start().to_string()),
        until: Some(next.to_string()),
        oldest_first: true,
        ..Default::default()
    })?;
    let (areas, agencies) = (store.areas()?, store.agencies()?);
    let (indicators, measurements) = (store.indicators()?, store.measurements(None)?);
    let tasks = store.tasks(&TaskFilter::default())?;
    let reminders = store.reminders(None)?;
    Ok(crate::report::build(&crate::report::ReportInput {
        period,
        start: period.start(),
        end: period.end(),
        as_of,
        areas: &areas,
        agencies: &agencies,
        indicators: &indicators,
        measurements: &measurements,
        tasks: &tasks,
        log: &log,
        reminders: &reminders,
        log_head: store.head_hash()?,
    }))
}

/// Decodes a CSV file in any encoding `csv_read` knows.
pub(crate) fn decode_csv(file: &Path, bytes: &[u8]) -> Result<crate::csv_read::Decoded> {
    crate::csv_read::decode(bytes).map_err(|e| Error::invalid(format!("{}: {e}", file.display())))
}

/// Says on stderr which encoding and delimiter a CSV file was read with: once the file is
/// checked or imported, or before its bad rows (where a wrong guess would show). Not before a
/// refusal that has nothing to do with the file, which stays one line.
pub(crate) fn say_how_read(csv: Option<&crate::csv_read::Decoded>, env: &Env) {
    if let Some(d) = csv {
        eprintln!("cchc: {}", d.describe(env.lang));
    }
}

/// Prints every bad row of `file` on stderr; the error says how many and that nothing was
/// written.
pub(crate) fn bad_rows(file: &Path, errors: &[transfer::RowError]) -> Error {
    let mut stderr = std::io::stderr().lock();
    for e in errors {
        let _ = writeln!(stderr, "{}", line(&format!("{}: {e}", file.display())));
    }
    Error::invalid(format!(
        "{} bad row(s) in {}; nothing was imported",
        errors.len(),
        file.display()
    ))
}

fn import(file: &Path, dry_run: bool, create_agencies: bool, env: &Env) -> Result<String> {
    let size = import_file_size(file)?;
    let json = starts_as_json(file)?;
    let mut store = env.open()?;
    let areas = store.areas()?;
    let agencies = store.agencies()?;
    // How far the reader is in the file, for the bar (the JSON reader runs on its own thread).
    let read = Arc::new(AtomicU64::new(0));
    let tell: crate::csv_read::BytesRead = {
        let read = read.clone();
        Box::new(move |n| read.store(n, Ordering::Relaxed))
    };
    let cannot = |e: std::io::Error| Error::invalid(format!("cannot read {}: {e}", file.display()));
    // What the CSV reader found (encoding, delimiter), said once the file is checked.
    let mut how_read = None;
    let items: Box<dyn Iterator<Item = ImportItem>> = if json {
        let text = std::fs::File::open(file).map_err(cannot)?;
        let text = Counted::new(std::io::BufReader::with_capacity(64 * 1024, text), tell);
        Box::new(transfer::JsonItems::new(
            text,
            &areas,
            &agencies,
            create_agencies,
        ))
    } else {
        let stream = CsvStream::open(file, tell).map_err(|e| match e {
            StreamError::Io(e) => cannot(e),
            other => Error::invalid(format!("{}: {other}", file.display())),
        })?;
        let how = stream.describe(env.lang);
        let headers = stream.headers.clone();
        let rows = transfer::CsvRows::new(headers, stream, &areas, &agencies, create_agencies)
            .map_err(|errors| {
                eprintln!("cchc: {how}");
                bad_rows(file, &errors)
            })?;
        how_read = Some(how);
        Box::new(rows)
    };
    let say_how_read = || {
        if let Some(how) = &how_read {
            eprintln!("cchc: {how}");
        }
    };
    let bar = progress::Bar::on_stderr(env.lang);
    bar.begin(Work::CheckRows, size);
    let mut items = Told {
        items,
        read: &read,
        bar: &bar,
        n: 0,
    };
    let source = file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let imported = store.import_items(
        &mut items,
        &ImportOptions {
            source: &source,
            dry_run,
            progress: &bar,
            // A tasks CSV row is 100 to 300 bytes; an export's task about 700.
            expected_rows: Some((size / if json { 700 } else { 150 }) as usize),
        },
    );
    drop(items);
    drop(bar);
    let s = match imported {
        Ok(s) => s,
        Err(Error::BadRows { rows, more }) => {
            say_how_read();
            return Err(bad_rows_and_more(file, &rows, more));
        }
        Err(e) => return Err(e),
    };
    say_how_read();
    if dry_run {
        return Ok(format!(
            "{}: {} {} ({} {}, {} {}, {} {}), {} {}, {} {}\n",
            env.t("Kiểm tra xong, không ghi gì", "Checked, nothing written"),
            s.created + s.updated + s.unchanged,
            env.t("nhiệm vụ", "tasks"),
            s.created,
            env.t("mới", "new"),
            s.updated,
            env.t("cập nhật", "updated"),
            s.unchanged,
            env.t("không đổi", "unchanged"),
            s.measurements,
            env.t("số đo", "measurements"),
            s.agencies,
            env.t("cơ quan mới", "new agencies"),
        ));
    }
    Ok(format!(
        "{}: {} {}, {} {}, {} {}, {} {}, {} {}\n",
        env.t("Đã nhập", "Imported"),
        s.created,
        env.t("nhiệm vụ mới", "new tasks"),
        s.updated,
        env.t("cập nhật", "updated"),
        s.unchanged,
        env.t("không đổi", "unchanged"),
        s.measurements,
        env.t("số đo", "measurements"),
        s.agencies,
        env.t("cơ quan mới", "new agencies"),
    ))
}

/// An import's items, moving the bar as the file is read.
struct Told<'a> {
    items: Box<dyn Iterator<Item = ImportItem> + 'a>,
    read: &'a AtomicU64,
    bar: &'a progress::Bar,
    n: usize,
}

impl Iterator for Told<'_> {
    type Item = ImportItem;

    fn next(&mut self) -> Option<ImportItem> {
        self.n += 1;
        let item = self.items.next();
        if item.is_none() || crate::progress::is_due(self.n) {
            self.bar.set(self.read.load(Ordering::Relaxed));
        }
        item
    }
}

/// The size of a tasks CSV or export document to import, refused when it is not a regular
/// file or larger than `transfer::MAX_STREAMED_IMPORT_BYTES` (before it is read).
fn import_file_size(file: &Path) -> Result<u64> {
    crate::store::require_regular(file, "the import file")?;
    let size = std::fs::metadata(file)
        .map_err(|e| Error::invalid(format!("cannot read {}: {e}", file.display())))?
        .len();
    if size > transfer::MAX_STREAMED_IMPORT_BYTES {
        return Err(Error::invalid(format!(
            "{}: the import file is larger than {} GB; split it into smaller files",
            file.display(),
            transfer::MAX_STREAMED_IMPORT_BYTES / 1_000_000_000
        )));
    }
    Ok(size)
}

/// Whether the file is the export's JSON document (its first character, after a BOM and
/// spaces, is `{`) rather than a CSV.
fn starts_as_json(file: &Path) -> Result<bool> {
    use std::io::Read;
    let mut start = Vec::with_capacity(4096);
    std::fs::File::open(file)
        .and_then(|f| f.take(4096).read_to_end(&mut start))
        .map_err(|e| Error::invalid(format!("cannot read {}: {e}", file.display())))?;
    Ok(transfer::is_json(&String::from_utf8_lossy(&start)))
}

/// [`bad_rows`], saying how many more there were than are listed.
fn bad_rows_and_more(file: &Path, errors: &[transfer::RowError], more: usize) -> Error {
    let refused = bad_rows(file, errors);
    if more == 0 {
        return refused;
    }
    Error::invalid(format!(
        "{} bad row(s) in {} ({} listed above); nothing was imported",
        errors.len() + more,
        file.display(),
        errors.len()
    ))
}

/// Reads an import file whole, at most `transfer::MAX_IMPORT_BYTES` (see
/// [`transfer::read_limited`]).
pub(crate) fn read_import_file(file: &Path) -> Result<Vec<u8>> {
    transfer::read_limited(file, transfer::MAX_IMPORT_BYTES).map_err(|e| match e {
        transfer::ReadError::TooLarge => Error::invalid(format!(
            "{}: the import file is larger than {} MB; split it into smaller files",
            file.display(),
            transfer::MAX_IMPORT_BYTES / 1_000_000
        )),
        transfer::ReadError::Io(e) => e,
    })
}
