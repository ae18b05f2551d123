//! Headless commands: the same store and rules as the TUI, for scripts and reports.

mod admin;
mod agency;
mod args;
mod generated;
mod help_vi;
mod indicators;
pub mod lang;
mod output;
mod progress;
mod sheets;
mod table;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use args::*;
pub use generated::{completions, man_page};
pub use output::{ColorWhen, Style};
use table::{Table, colour};

use crate::context;
use crate::error::{Error, Result};
use crate::model::{DisplayState, Lang, LogEntry, NewTask, Task, TaskPatch};
use crate::store::{LogFilter, OpenOptions, Store, TaskFilter};
use crate::transfer::{self, ExportDoc, Resolver, TaskRecord};
use crate::untrusted::{self, block, line};

/// Everything a command needs to know about who, where and when.
pub struct Env {
    pub db: PathBuf,
    pub db_is_default: bool,
    pub user: String,
    pub today: NaiveDate,
    pub lang: Lang,
    pub read_only: bool,
    /// Whether the user was named (`--user`, CCHC_USER, the config file) rather than taken
    /// from the OS login.
    pub user_given: bool,
    /// Whether "today" was given (`--today`/`CCHC_TODAY`) rather than taken from the clock.
    pub today_given: bool,
    /// `--network-share`: accept a file on a network filesystem, in rollback-journal mode.
    pub network_share: bool,
    /// The letterhead and signer of the .docx report (`[report]` in the config file).
    pub report: crate::config::ReportConfig,
    /// `--color`: when tables are coloured (with NO_COLOR, see `output::colour`).
    pub colour: ColorWhen,
    /// The config file's saved views, for `cchc tasks --view NAME`.
    pub views: std::collections::BTreeMap<String, crate::view::SavedView>,
}

impl Env {
    pub fn from_cli(
        cli: &Cli,
        config_lang: Option<Lang>,
        config_db: Option<PathBuf>,
    ) -> Result<Env> {
        let (db, db_is_default) = match cli.db.clone().or(config_db) {
            Some(p) => (p, false),
            None => (context::default_db_path()?, true),
        };
        // A claimed name is checked like a member's name: it reaches the log and every
        // member's screen, and an invisible character would make a look-alike.
        if let Some(u) = cli.user.as_deref().filter(|u| !u.trim().is_empty()) {
            untrusted::name("the user name (--user, CCHC_USER or the config file)", u)?;
        }
        Ok(Env {
            db,
            db_is_default,
            user: context::resolve_user(cli.user.as_deref()),
            user_given: cli.user.as_deref().is_some_and(|u| !u.trim().is_empty()),
            today: context::resolve_today(cli.today),
            lang: cli.lang.or(config_lang).unwrap_or_default(),
            read_only: cli.read_only,
            today_given: cli.today.is_some(),
            network_share: cli.network_share,
            report: crate::config::ReportConfig::default(),
            views: Default::default(),
            colour: cli.color,
        })
    }

    /// Opens the database for a command; only the default location is created and seeded on
    /// first use, and then one line on stderr says so (stdout stays data).
    pub fn open(&self) -> Result<Store> {
        let store = self.open_store()?;
        if self.own_file_created(&store) {
            eprintln!(
                "{}",
                untrusted::line(&context::own_file_created_notice(&self.db, self.lang))
            );
        }
        Ok(store)
    }

    /// Whether `store` is the per-user default file and this run created it.
    pub fn own_file_created(&self, store: &Store) -> bool {
        self.db_is_default && store.seeded_now()
    }

    /// Opens the database, saying nothing about a newly created default file (the TUI says it
    /// in a banner instead).
    pub fn open_store(&self) -> Result<Store> {
        let create_with = if self.db_is_default {
            if let Some(dir) = self.db.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::invalid(format!("cannot create {}: {e}", dir.display())))?;
            }
            Some(load_plan()?)
        } else {
            None
        };
        let mut store = Store::open(
            &self.db,
            &self.user,
            OpenOptions {
                read_only: self.read_only,
                create_with,
                network_share: self.network_share,
            },
        )?;
        if !self.user_given {
            // Nobody named a user: act as the member bound to this OS login, if any.
            store.act_as_os_member()?;
        }
        // Warnings go to stderr, so a script reading stdout is not disturbed.
        for notice in store.notices() {
            eprintln!("cchc: warning: {}", crate::untrusted::line(notice));
        }
        Ok(store)
    }

    fn vi(&self) -> bool {
        self.lang == Lang::Vi
    }

    /// Picks the Vietnamese or English text.
    fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        if self.vi() { vi } else { en }
    }
}

pub fn load_plan() -> Result<crate::model::Plan> {
    crate::plan::load().map_err(|e| Error::invalid(format!("the built-in plan is invalid: {e}")))
}

/// Runs one headless command; returns the process exit code.
pub fn run(command: Command, env: &Env) -> Result<i32> {
    let style = Style::for_stdout(env.colour);
    let mut out = String::new();
    // Said on stderr after the table, so that stdout is the table alone.
    let mut summary = None;
    match command {
        Command::Init { path } => {
            let path = path.unwrap_or_else(|| env.db.clone());
            init(&path, env, &mut out)?;
        }
        Command::Areas { format } => {
            let store = env.open()?;
            let areas = store.areas()?;
            let tasks = store.tasks(&TaskFilter::default())?;
            match format {
                Format::Json => out = json_list("areas", &areas)?,
                Format::Csv => {
                    out = csv_text(
                        &["code", "name_vi", "name_en"],
                        areas
                            .iter()
                            .map(|a| vec![a.code.clone(), a.name_vi.clone(), a.name_en.clone()]),
                    )?
                }
                Format::Table => {
                    let mut t = Table::new([
                        env.t("Mã", "Code"),
                        env.t("Lĩnh vực", "Area"),
                        env.t("Nhiệm vụ", "Tasks"),
                        env.t("Quá hạn", "Overdue"),
                    ])
                    .right(2)
                    .right(3)
                    .shrink(1);
                    for a in &areas {
                        let mine = tasks.iter().filter(|t| t.area == a.code);
                        let (n, late) = mine.fold((0, 0), |(n, l), t| {
                            (n + 1, l + t.is_overdue(env.today) as usize)
                        });
                        t.row(
                            vec![
                                a.code.clone(),
                                a.name(env.lang).to_string(),
                                n.to_string(),
                                late.to_string(),
                            ],
                            None,
                        );
                    }
                    out = t.render(style);
                }
            }
        }
        Command::Agencies { format } => {
            let store = env.open()?;
            let agencies = store.agencies()?;
            match format {
                Format::Json => out = json_list("agencies", &agencies)?,
                Format::Csv => {
                    out = csv_text(
                        &["code", "name", "kind"],
                        agencies
                            .iter()
                            .map(|a| vec![a.code.clone(), a.name.clone(), a.kind.as_str().into()]),
                    )?
                }
                Format::Table => {
                    let mut t = Table::new([
                        env.t("Mã", "Code"),
                        env.t("Cơ quan", "Agency"),
                        env.t("Loại", "Kind"),
                    ])
                    .shrink(1);
                    for a in &agencies {
                        t.row(
                            vec![a.code.clone(), a.name.clone(), a.kind.as_str().into()],
                            None,
                        );
                    }
                    out = t.render(style);
                }
            }
        }
        Command::Tasks(args) => {
            let store = env.open()?;
            let tasks = select_tasks(&store, &args, env)?;
            if args.excel && args.format != Format::Csv {
                return Err(Error::invalid(env.t(
                    "--excel tạo tệp CSV; dùng kèm --format csv",
                    "--excel shapes a CSV file; give it with --format csv",
                )));
            }
            if args.excel {
                let stdout = std::io::stdout().lock();
                let (areas, agencies) = (store.areas()?, store.agencies()?);
                return match crate::excel_csv::write_tasks(
                    &tasks, &areas, &agencies, env.today, env.lang, stdout,
                ) {
                    Err(e) if is_broken_pipe(&e) => Ok(0),
                    other => other.map(|()| 0).map_err(|e| Error::invalid(e.to_string())),
                };
            }
            if args.format == Format::Csv {
                // Can be every task: streamed rather than built up in one string.
                let stdout = std::io::stdout().lock();
                return match write_tasks_csv(&tasks, env.today, stdout) {
                    Err(e) if is_broken_pipe(&e) => Ok(0),
                    other => other.map(|()| 0).map_err(|e| Error::invalid(e.to_string())),
                };
            }
            out = render_tasks(&tasks, args.format, env, style)?;
            if args.format == Format::Table {
                summary = Some(tasks_summary(&tasks, env));
            }
        }
        Command::Task(cmd) => out = task_command(cmd, env, style, &mut summary)?,
        Command::Indicators { format } => {
            let store = env.open()?;
            out = indicators::render(&store, format, env, style)?;
        }
        Command::Indicator(IndicatorCommand::Record {
            code,
            value,
            date,
            source,
            note,
        }) => {
            let value = context::parse_number(&value).map_err(Error::invalid)?;
            let mut store = env.open()?;
            let m = store.record_measurement(&crate::store::NewMeasurement {
                indicator: code,
                value,
                measured_on: date.unwrap_or_else(context::clock_today),
                source,
                note,
            })?;
            out = format!(
                "{} {} = {} ({})\n",
                env.t("Đã ghi", "Recorded"),
                line(&m.indicator),
                m.value,
                m.measured_on
            );
        }
        Command::Log(args) => out = log_command(&args, env, style)?,
        Command::Export {
            format,
            output,
            excel,
        } => {
            let store = env.open()?;
            if format == DataFormat::Xlsx {
                out = sheets::export_xlsx(&store, output.as_deref(), env)?;
            } else if excel {
                if format != DataFormat::Csv {
                    return Err(Error::invalid(env.t(
                        "--excel tạo tệp CSV; dùng kèm --format csv",
                        "--excel shapes a CSV file; give it with --format csv",
                    )));
                }
                let mut bytes = Vec::new();
                crate::excel_csv::write_tasks(
                    &store.tasks(&TaskFilter::default())?,
                    &store.areas()?,
                    &store.agencies()?,
                    env.today,
                    env.lang,
                    &mut bytes,
                )
                .map_err(|e| Error::invalid(e.to_string()))?;
                write_output_bytes(output.as_deref(), &bytes)?;
            } else {
                let text = export(&store, format, env)?;
                write_output(output.as_deref(), &text)?;
            }
        }
        Command::Agency(cmd) => out = agency::run(cmd, env, style)?,
        Command::Sheet(args) => out = sheets::sheet(&args, env)?,
        Command::Report {
            quarter,
            format,
            output,
        } => {
            if format == ReportFormat::Docx && output.is_none() {
                return Err(Error::invalid(env.t(
                    "báo cáo .docx cần tệp đích: thêm --output BAOCAO.docx",
                    "a .docx report needs a file: add --output REPORT.docx",
                )));
            }
            let store = env.open()?;
            let bytes = report(&store, quarter, format, env)?;
            match (format, output.as_deref()) {
                // A Word document is written whole or not at all, like a workbook.
                (ReportFormat::Docx, Some(path)) => write_bytes(path, &bytes)?,
                (_, path) => write_output_bytes(path, &bytes)?,
            }
        }
        Command::Import {
            files,
            dry_run,
            partial,
            create_agencies,
        } => {
            // Only regular files are looked into: sniffing a FIFO's first bytes would hang.
            for f in &files {
                crate::store::require_regular(f, "the import file")?;
            }
            // Returned agency sheets (.xlsx) go together; CSV and JSON one file at a time.
            if files
                .iter()
                .any(|f| crate::office::sheet_import::is_xlsx(f))
            {
                if let Some(other) = files
                    .iter()
                    .find(|f| !crate::office::sheet_import::is_xlsx(f))
                {
                    return Err(Error::invalid(format!(
                        "{}: {}",
                        other.display(),
                        env.t(
                            "không phải bảng tính .xlsx; tệp CSV hay JSON phải nhập riêng",
                            "not an .xlsx sheet; import CSV or JSON files on their own"
                        )
                    )));
                }
                let (text, summary, code) =
                    sheets::import_sheets(&files, dry_run, partial, env, style)?;
                print_then_summary(&text, summary.as_deref())?;
                return Ok(code);
            }
            let [file] = files.as_slice() else {
                return Err(Error::invalid(env.t(
                    "mỗi lần nhập một tệp CSV hoặc JSON (nhiều tệp chỉ dành cho bảng tính .xlsx)",
                    "give one CSV or JSON file at a time (several files are for .xlsx sheets)",
                )));
            };
            out = import(file, dry_run, create_agencies, env)?;
        }
        Command::Admin(cmd) => return admin::run(cmd, env, style),
        // main.rs starts meeting mode itself; it needs the terminal and the TUI's settings.
        Command::Meet { .. } => {
            return Err(Error::invalid("cchc meet needs a terminal"));
        }
        // Handled before any database is opened (main.rs).
        Command::Completions { .. } | Command::Man => {}
    }
    print_then_summary(&out, summary.as_deref())?;
    Ok(0)
}

/// Prints a command's output on stdout and then its summary line, if any, on stderr: a script
/// reads data alone, a person at the terminal sees the summary under the table.
fn print_then_summary(out: &str, summary: Option<&str>) -> Result<()> {
    print(out)?;
    if let Some(s) = summary {
        let _ = writeln!(std::io::stderr(), "{}", line(s.trim_end()));
    }
    Ok(())
}

fn print(s: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(s.as_bytes()).and_then(|_| stdout.flush()) {
        // A closed pipe (`cchc tasks | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Writes a binary file (a workbook) whole: to a temporary file beside it, then renamed, so a
/// reader never sees half a workbook.
fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| Error::invalid(format!("cannot write {}: {e}", path.display()));
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{}: give a file name to write", path.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(".part");
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    write_output_bytes(path, text.as_bytes())
}

fn write_output_bytes(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match path {
        Some(p) => std::fs::write(p, bytes)
            .map_err(|e| Error::invalid(format!("cannot write {}: {e}", p.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

fn init(path: &Path, env: &Env, out: &mut String) -> Result<()> {
    if path.exists()
        && std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false)
    {
        // Opening checks that it is ours and brings it up to date; nothing is re-seeded.
        let store = Store::open(
            path,
            &env.user,
            OpenOptions {
                network_share: env.network_share,
                ..Default::default()
            },
        )?;
        out.push_str(&format!(
            "{} {} ({} {})\n",
            env.t("Đã có cơ sở dữ liệu", "Already initialised:"),
            path.display(),
            store.task_count()?,
            env.t("nhiệm vụ", "tasks")
        ));
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::invalid(format!("cannot create {}: {e}", dir.display())))?;
    }
    let store = Store::open(
        path,
        &env.user,
        OpenOptions {
            read_only: false,
            create_with: Some(load_plan()?),
            network_share: env.network_share,
        },
    )?;
    out.push_str(&format!(
        "{} {} ({} {})\n",
        env.t("Đã tạo", "Created"),
        path.display(),
        store.task_count()?,
        env.t("nhiệm vụ", "tasks")
    ));
    Ok(())
}

fn select_tasks(store: &Store, args: &TasksArgs, env: &Env) -> Result<Vec<Task>> {
    // A saved view fills in what the command line leaves out (main checked that it exists).
    let view =
        match &args.view {
            Some(name) => env.views.get(name).cloned().ok_or_else(|| {
                Error::invalid(crate::view::unknown_view(name, &env.views, env.lang))
            })?,
            None => crate::view::SavedView::default(),
        };
    let args = &TasksArgs {
        area: args.area.clone().or(view.area),
        agency: args.agency.clone().or(view.agency),
        overdue: args.overdue || view.overdue,
        search: args.search.clone().or(view.search),
        view: None,
        ..args.clone()
    };
    let areas = store.areas()?;
    let agencies = store.agencies()?;
    let resolver = Resolver::new(&areas, &agencies);
    let area = match &args.area {
        Some(a) => Some(
            resolver
                .area(a)
                .ok_or_else(|| Error::invalid(unknown_area(a, env)))?,
        ),
        None => None,
    };
    let lead_agencies = match &args.agency {
        Some(a) => {
            let found = resolver.agencies_matching(a);
            if found.is_empty() {
                return Err(Error::invalid(match env.lang {
                    Lang::Vi => format!(
                        "không có cơ quan nào khớp {a:?}; `cchc agencies` liệt kê các cơ quan"
                    ),
                    Lang::En => format!("no agency matches {a:?}; `cchc agencies` lists them"),
                }));
            }
            Some(found)
        }
        None => None,
    };
    let mut tasks = store.tasks(&TaskFilter {
        area,
        lead_agencies,
        status: args.status,
        overdue_on: args.overdue.then_some(env.today),
        due_before: args.due_before,
    })?;
    if let Some(q) = args.search.as_deref().filter(|q| !q.trim().is_empty()) {
        let notes = store.notes_text()?;
        let names: std::collections::HashMap<&str, &str> = agencies
            .iter()
            .map(|a| (a.code.as_str(), a.name.as_str()))
            .collect();
        let index = crate::search::index_tasks(&tasks, &names, &notes);
        let keep: std::collections::HashSet<i64> =
            index.search(q).into_iter().map(|h| h.id).collect();
        tasks.retain(|t| keep.contains(&t.id));
    }
    if let Some(sort) = view.sort {
        // The screen's order, by the same key.
        let rank = |codes: Vec<&str>| -> std::collections::HashMap<String, usize> {
            codes
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c.to_string(), i))
                .collect()
        };
        let area_rank = rank(areas.iter().map(|a| a.code.as_str()).collect());
        let agency_rank = rank(agencies.iter().map(|a| a.code.as_str()).collect());
        tasks.sort_by_cached_key(|t| {
            sort.key(
                t,
                env.today,
                area_rank.get(&t.area).copied().unwrap_or(usize::MAX),
                agency_rank
                    .get(&t.lead_agency)
                    .copied()
                    .unwrap_or(usize::MAX),
            )
        });
    }
    Ok(tasks)
}

fn unknown_area(a: &str, env: &Env) -> String {
    match env.lang {
        Lang::Vi => format!("không có lĩnh vực {a:?}; `cchc areas` liệt kê các mã"),
        Lang::En => format!("unknown area {a:?}; `cchc areas` lists the codes"),
    }
}

fn state_colour(s: DisplayState) -> &'static str {
    match s {
        DisplayState::DoneOnTime => colour::GREEN,
        DisplayState::DoneLate => colour::ORANGE,
        DisplayState::InProgress => colour::BLUE,
        DisplayState::Overdue => colour::RED,
        DisplayState::NotStarted => colour::GREY,
    }
}

/// Tasks as CSV: the export's columns and then overdue, display_state, days_late, version.
fn write_tasks_csv<W: Write>(tasks: &[Task], today: NaiveDate, out: W) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(64 * 1024)
        .from_writer(out);
    w.write_record(transfer::CSV_COLUMNS.iter().chain(&[
        "overdue",
        "display_state",
        "days_late",
        "version",
    ]))?;
    let mut buf = String::new();
    for t in tasks {
        transfer::write_csv_fields(&mut w, t, &mut buf)?;
        w.write_field(if t.is_overdue(today) { "true" } else { "false" })?;
        w.write_field(t.display_state(today).as_str())?;
        transfer::write_display_field(&mut w, &mut buf, t.days_late(today))?;
        transfer::write_display_field(&mut w, &mut buf, t.version)?;
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}

/// Whether writing failed because the reader went away (`cchc tasks | head`): not an error
/// worth reporting.
fn is_broken_pipe(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn render_tasks(tasks: &[Task], format: Format, env: &Env, style: Style) -> Result<String> {
    Ok(match format {
        Format::Json => json_list(
            "tasks",
            &tasks
                .iter()
                .map(|t| TaskRecord::new(t, env.today))
                .collect::<Vec<_>>(),
        )?,
        Format::Csv => {
            let mut bytes = Vec::new();
            write_tasks_csv(tasks, env.today, &mut bytes)
                .map_err(|e| Error::invalid(e.to_string()))?;
            String::from_utf8(bytes).map_err(|e| Error::invalid(e.to_string()))?
        }
        Format::Table => {
            let mut t = Table::new([
                "ID",
                env.t("Hạn", "Due"),
                env.t("Trễ", "Late"),
                env.t("Trạng thái", "State"),
                "%",
                env.t("Chủ trì", "Lead"),
                env.t("Nhiệm vụ", "Task"),
            ])
            .right(0)
            .right(2)
            .right(4)
            .shrink(6);
            for task in tasks {
                let state = task.display_state(env.today);
                let late = task.days_late(env.today);
                t.row(
                    vec![
                        task.id.to_string(),
                        task.due.format("%d/%m/%Y").to_string(),
                        if late > 0 {
                            late.to_string()
                        } else {
                            String::new()
                        },
                        state.label(env.lang).to_string(),
                        task.progress.to_string(),
                        task.lead_agency.clone(),
                        task.title.clone(),
                    ],
                    Some(state_colour(state)),
                );
            }
            t.render(style)
        }
    })
}

/// "N nhiệm vụ · M quá hạn · tính đến DATE", the line under a table of tasks.
fn tasks_summary(tasks: &[Task], env: &Env) -> String {
    let overdue = tasks.iter().filter(|t| t.is_overdue(env.today)).count();
    format!(
        "{} {} · {} {} · {} {}",
        tasks.len(),
        env.t("nhiệm vụ", "tasks"),
        overdue,
        env.t("quá hạn", "overdue"),
        env.t("tính đến", "as of"),
        env.today.format("%d/%m/%Y")
    )
}

/// One task's command; a table of the task puts its summary line in `summary`.
fn task_command(
    cmd: TaskCommand,
    env: &Env,
    style: Style,
    summary: &mut Option<String>,
) -> Result<String> {
    match cmd {
        TaskCommand::Show { id, format } => {
            let store = env.open()?;
            let task = store.task(id)?;
            let notes = store.notes(id)?;
            let history = store.log(&LogFilter {
                entity: Some("task".into()),
                entity_id: Some(id.to_string()),
                ..Default::default()
            })?;
            match format {
                Format::Json | Format::Csv => {
                    let mut v = serde_json::to_value(TaskRecord::new(&task, env.today))
                        .map_err(|e| Error::invalid(e.to_string()))?;
                    v["notes"] = serde_json::to_value(&notes).unwrap_or_default();
                    v["history"] = serde_json::to_value(&history).unwrap_or_default();
                    json_item("task", &v)
                }
                Format::Table => Ok(show_task(&store, &task, &notes, &history, env, style)?),
            }
        }
        TaskCommand::Add {
            area,
            agency,
            title,
            due,
            coordinating,
            output,
            format,
        } => {
            let mut store = env.open()?;
            let areas = store.areas()?;
            let agencies = store.agencies()?;
            let r = Resolver::new(&areas, &agencies);
            let find_agency = |a: &str| {
                r.agency(a).ok_or_else(|| {
                    Error::invalid(match env.lang {
                        Lang::Vi => {
                            format!("không có cơ quan {a:?}; `cchc agencies` liệt kê các cơ quan")
                        }
                        Lang::En => format!("unknown agency {a:?}; `cchc agencies` lists them"),
                    })
                })
            };
            let task = store.add_task(&NewTask::added(
                r.area(&area)
                    .ok_or_else(|| Error::invalid(unknown_area(&area, env)))?,
                find_agency(&agency)?,
                coordinating
                    .iter()
                    .map(|c| find_agency(c))
                    .collect::<Result<_>>()?,
                title,
                output,
                due,
            ))?;
            if format == Format::Table {
                *summary = Some(tasks_summary(std::slice::from_ref(&task), env));
            }
            render_tasks(&[task], format, env, style)
        }
        TaskCommand::Set {
            id,
            status,
            progress,
            note,
            title,
            due,
            completed_on,
            expect_version,
            format,
        } => {
            let patch = TaskPatch {
                status,
                progress,
                title,
                due,
                completed_on,
                ..Default::default()
            };
            if patch.is_empty() && note.is_none() {
                return Err(Error::invalid(env.t(
                    "không có gì để đổi; hãy cho --status, --progress, --note, --title, --due hoặc --completed-on",
                    "nothing to change; give --status, --progress, --note, --title, --due or --completed-on",
                )));
            }
            let mut store = env.open()?;
            let up = store.update_task(id, expect_version, &patch, note.as_deref())?;
            if format == Format::Table {
                let mut s = String::new();
                if up.log_id.is_none() {
                    s.push_str(env.t("Không có gì thay đổi.\n", "Nothing changed.\n"));
                }
                for c in &up.changes {
                    s.push_str(&format!(
                        "{}: {} → {}\n",
                        line(&c.field),
                        line(c.old.as_deref().unwrap_or("∅")),
                        line(c.new.as_deref().unwrap_or("∅"))
                    ));
                }
                s.push_str(&format!(
                    "{} {} · {} {}\n",
                    env.t("Nhiệm vụ", "Task"),
                    up.task.id,
                    env.t("phiên bản", "version"),
                    up.task.version
                ));
                Ok(s)
            } else {
                render_tasks(&[up.task], format, env, style)
            }
        }
    }
}

fn show_task(
    store: &Store,
    t: &Task,
    notes: &[crate::model::Note],
    history: &[LogEntry],
    env: &Env,
    style: Style,
) -> Result<String> {
    let agencies = store.agencies()?;
    let name = |code: &str| {
        agencies
            .iter()
            .find(|a| a.code == code)
            .map(|a| format!("{} ({})", line(&a.name), line(code)))
            .unwrap_or_else(|| line(code).into_owned())
    };
    let state = t.display_state(env.today);
    let mut s = String::new();
    let bold = |x: &str| {
        if style.colour {
            format!("\x1b[1m{x}\x1b[0m")
        } else {
            x.to_string()
        }
    };
    s.push_str(&bold(&format!("#{} {}", t.id, line(&t.title))));
    s.push('\n');
    // Values are made safe where they are read from the task (`line`, `block`, `name`).
    let mut field = |k: &str, v: String| s.push_str(&format!("  {k:<14} {v}\n"));
    if !t.detail.is_empty() {
        field(env.t("Nội dung", "Text"), indent(&block(&t.detail)));
    }
    field(
        env.t("Mã kế hoạch", "Plan ref"),
        line(&t.plan_ref).into_owned(),
    );
    field(env.t("Lĩnh vực", "Area"), line(&t.area).into_owned());
    field(env.t("Chủ trì", "Lead"), name(&t.lead_agency));
    field(
        env.t("Phối hợp", "With"),
        t.coordinating
            .iter()
            .map(|c| {
                // As the TUI's detail pane: a coordinator the plan does not name is marked.
                let mut n = name(c);
                if t.coordinating_inferred.contains(c) {
                    n.push_str(env.t(" (suy ra)", " (inferred)"));
                }
                n
            })
            .collect::<Vec<_>>()
            .join(", "),
    );
    field(env.t("Sản phẩm", "Output"), indent(&block(&t.output)));
    field(
        env.t("Hạn", "Due"),
        format!(
            "{}{}",
            t.due.format("%d/%m/%Y"),
            if t.due_assumed {
                env.t(" (giả định)", " (assumed)")
            } else {
                ""
            }
        ),
    );
    field(
        env.t("Trạng thái", "State"),
        format!(
            "{} · {}% · v{}",
            state.label(env.lang),
            t.progress,
            t.version
        ),
    );
    if !notes.is_empty() {
        s.push_str(&format!("{}\n", env.t("Ghi chú:", "Notes:")));
        for n in notes {
            s.push_str(&format!(
                "  {} {}: {}\n",
                crate::report::instant(&n.at),
                line(&n.author),
                indent(&block(&n.text))
            ));
        }
    }
    if !history.is_empty() {
        s.push_str(&format!("{}\n", env.t("Lịch sử:", "History:")));
        for e in history {
            s.push_str(&format!("  {}\n", describe_entry(e)));
        }
    }
    Ok(s)
}

/// Multi-line text under a field of `task show`: later lines indented to the value's column, so
/// a line of a note can never pass for a field or a note of its own.
fn indent(text: &str) -> String {
    text.trim_end_matches('\n')
        .replace('\n', "\n                 ")
}

/// One line for a change-log entry, every stored part made safe for a terminal.
pub fn describe_entry(e: &LogEntry) -> String {
    let changes = e
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} {} → {}",
                c.field,
                c.old.as_deref().unwrap_or("∅"),
                c.new.as_deref().unwrap_or("∅")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let note = e
        .note
        .as_deref()
        .map(|n| format!(" «{n}»"))
        .unwrap_or_default();
    line(&format!(
        "{} {} {} {}{}",
        crate::report::instant(&e.at),
        e.user,
        e.action,
        changes,
        note
    ))
    .into_owned()
}

/// `log --verify`: the chain, each pinned head, then the tables against the log replayed. The
/// first problem is the error (exit 1); the problems after it are named in the same line.
fn verify_log(store: &Store, heads: &[(i64, String)], env: &Env) -> Result<String> {
    if let Some(id) = store.verify_chain()? {
        return Err(Error::invalid(format!(
            "the change log does not verify: entry {id} does not match its hash (edited or damaged); restore a backup"
        )));
    }
    let mut problems = Vec::new();
    for (id, hash) in heads {
        let check = store.check_head(*id, hash)?;
        if check != crate::store::HeadCheck::Present {
            let pinned = crate::store::PinnedHead {
                source: "--head".into(),
                id: *id,
                hash: hash.clone(),
            };
            problems.push(crate::store::describe_head(&pinned, &check));
        }
    }
    problems.extend(store.trigger_problems()?);
    let plan = load_plan().ok();
    let replay = store.replay(plan.as_ref())?;
    let n = replay.divergences.len();
    problems.extend(replay.divergences.iter().take(5).map(|d| d.to_string()));
    if n > 5 {
        problems.push(format!("and {} more (`cchc doctor` lists 20)", n - 5));
    }
    if !problems.is_empty() {
        return Err(Error::invalid(format!(
            "the file does not match its change log: {}; it was changed outside cchc: restore a backup (docs/OPERATIONS.md)",
            problems.join("; ")
        )));
    }
    let head = store.head_hash()?;
    Ok(format!(
        "{} ({} {}, head {}{})\n",
        env.t(
            "Chuỗi nhật ký toàn vẹn, bảng khớp nhật ký",
            "Change log chain verified, tables match the log"
        ),
        store.log_count()?,
        env.t("mục", "entries"),
        head.map(|(id, h)| format!("{id}:{h}")).unwrap_or_default(),
        if heads.is_empty() {
            String::new()
        } else {
            format!(
                ", {} {}",
                heads.len(),
                env.t("đầu chuỗi đã ghim có mặt", "pinned head(s) present")
            )
        }
    ))
}

fn log_command(args: &LogArgs, env: &Env, style: Style) -> Result<String> {
    let store = env.open()?;
    if args.verify {
        return verify_log(&store, &args.heads, env);
    }
    let entries = store.log(&LogFilter {
        entity: args.task.map(|_| "task".to_string()),
        entity_id: args.task.map(|t| t.to_string()),
        limit: Some(args.limit),
        ..Default::default()
    })?;
    Ok(match args.format {
        Format::Json => json_list("log", &entries)?,
        Format::Csv => csv_text(
            &[
                "id",
                "at",
                "user",
                "entity",
                "entity_id",
                "action",
                "changes",
                "note",
            ],
            entries.iter().map(|e| {
                vec![
                    e.id.to_string(),
                    e.at.clone(),
                    e.user.clone(),
                    e.entity.clone(),
                    e.entity_id.clone(),
                    e.action.clone(),
                    serde_json::to_string(&e.changes).unwrap_or_default(),
                    e.note.clone().unwrap_or_default(),
                ]
            }),
        )?,
        Format::Table => {
            let mut t = Table::new([
                "#",
                env.t("Lúc", "At"),
                env.t("Người", "User"),
                env.t("Đối tượng", "Entity"),
                env.t("Việc", "Action"),
                env.t("Thay đổi", "Changes"),
            ])
            .right(0)
            .shrink(5);
            for e in &entries {
                let changes = e
                    .changes
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {}→{}",
                            c.field,
                            c.old.as_deref().unwrap_or("∅"),
                            c.new.as_deref().unwrap_or("∅")
                        )
                    })
                    .chain(e.note.iter().map(|n| format!("«{n}»")))
                    .collect::<Vec<_>>()
                    .join("; ");
                t.row(
                    vec![
                        e.id.to_string(),
                        crate::report::instant(&e.at),
                        e.user.clone(),
                        format!("{} {}", e.entity, e.entity_id),
                        e.action.clone(),
                        changes,
                    ],
                    None,
                );
            }
            t.render(style)
        }
    })
}

fn export(store: &Store, format: DataFormat, env: &Env) -> Result<String> {
    let tasks = store.tasks(&TaskFilter::default())?;
    match format {
        DataFormat::Csv => csv_text(&transfer::CSV_COLUMNS, tasks.iter().map(transfer::csv_row)),
        // A workbook is not text: `sheets::export_xlsx` writes it.
        DataFormat::Xlsx => Err(Error::invalid(env.t(
            "tệp xuất .xlsx phải ghi ra tệp; thêm --output TEP.xlsx",
            "an .xlsx export is written to a file; give --output FILE.xlsx",
        ))),
        DataFormat::Json => json(&ExportDoc {
            format: transfer::EXPORT_FORMAT.into(),
            version: 1,
            exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            as_of: Some(env.today),
            areas: store.areas()?,
            agencies: store.agencies()?,
            indicators: store.indicators()?,
            measurements: store.measurements(None)?,
            tasks: tasks
                .iter()
                .map(|t| TaskRecord::new(t, env.today))
                .collect(),
        }),
    }
}

fn report(
    store: &Store,
    quarter: crate::report::Quarter,
    format: ReportFormat,
    env: &Env,
) -> Result<Vec<u8>> {
    // A report speaks of the quarter's end unless the user asked for another day.
    let as_of = if env.today_given {
        env.today
    } else {
        quarter.end()
    };
    let next = quarter.end().succ_opt().unwrap_or(quarter.end());
    let log = store.log(&LogFilter {
        since: Some(quarter.start().to_string()),
        until: Some(next.to_string()),
        oldest_first: true,
        ..Default::default()
    })?;
    let (areas, agencies) = (store.areas()?, store.agencies()?);
    let (indicators, measurements) = (store.indicators()?, store.measurements(None)?);
    let tasks = store.tasks(&TaskFilter::default())?;
    let r = crate::report::build(&crate::report::ReportInput {
        label: quarter.to_string(),
        start: quarter.start(),
        end: quarter.end(),
        as_of,
        areas: &areas,
        agencies: &agencies,
        indicators: &indicators,
        measurements: &measurements,
        tasks: &tasks,
        log: &log,
        log_head: store.head_hash()?,
    });
    match format {
        // The report escapes the file's text itself; block() keeps the CLI's promise even if a
        // section forgets (Markdown has no use for a control character but newline and tab).
        ReportFormat::Md => Ok(
            block(&crate::report::markdown::render(&r, quarter, env.lang))
                .into_owned()
                .into_bytes(),
        ),
        ReportFormat::Json => json_item("report", &r).map(String::into_bytes),
        ReportFormat::Docx => {
            crate::report::docx::render(&r, quarter, env.lang, &env.report, env.today)
                .map_err(Error::invalid)
        }
    }
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
    let bytes = read_import_file(file)?;
    let json_text = std::str::from_utf8(&bytes)
        .ok()
        .filter(|t| transfer::is_json(t));
    let csv = match json_text {
        Some(_) => None,
        None => Some(decode_csv(file, &bytes)?),
    };
    let mut store = env.open()?;
    let areas = store.areas()?;
    let agencies = store.agencies()?;
    let bar = progress::Bar::on_stderr(env.lang);
    let parsed = match &csv {
        Some(csv) => transfer::parse_csv_with(csv, &areas, &agencies, create_agencies, &bar),
        None => transfer::parse_import(
            json_text.unwrap_or_default(),
            &areas,
            &agencies,
            create_agencies,
        ),
    };
    let batch = parsed.map_err(|errors| {
        say_how_read(csv.as_ref(), env);
        bad_rows(file, &errors)
    })?;
    if dry_run {
        say_how_read(csv.as_ref(), env);
        return Ok(format!(
            "{}: {} {}, {} {}, {} {}\n",
            env.t("Kiểm tra xong, không ghi gì", "Checked, nothing written"),
            batch.tasks.len(),
            env.t("nhiệm vụ", "tasks"),
            batch.measurements.len(),
            env.t("số đo", "measurements"),
            batch.new_agencies.len(),
            env.t("cơ quan mới", "new agencies"),
        ));
    }
    let source = file
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let s = store.import_with(
        &batch.new_agencies,
        &batch.tasks,
        &batch.measurements,
        &source,
        &bar,
    )?;
    drop(bar);
    say_how_read(csv.as_ref(), env);
    Ok(format!(
        "{}: {} {}, {} {}, {} {}, {} {}\n",
        env.t("Đã nhập", "Imported"),
        s.created,
        env.t("nhiệm vụ mới", "new tasks"),
        s.updated,
        env.t("cập nhật", "updated"),
        s.measurements,
        env.t("số đo", "measurements"),
        s.agencies,
        env.t("cơ quan mới", "new agencies"),
    ))
}

/// Reads an import file whole, but only a regular file of at most `transfer::MAX_IMPORT_BYTES`:
/// the type and size are checked before it is opened, and the read itself stops one byte past
/// the limit (a file that grows meanwhile is refused too).
pub(crate) fn read_import_file(file: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    crate::store::require_regular(file, "the import file")?;
    let cannot = |e: std::io::Error| Error::invalid(format!("cannot read {}: {e}", file.display()));
    let too_large = || {
        Error::invalid(format!(
            "{}: the import file is larger than {} MB; split it into smaller files",
            file.display(),
            transfer::MAX_IMPORT_BYTES / 1_000_000
        ))
    };
    if std::fs::metadata(file).map_err(cannot)?.len() > transfer::MAX_IMPORT_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .map_err(cannot)?
        .take(transfer::MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > transfer::MAX_IMPORT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The version of the JSON documents the CLI prints (docs/JSON.md). Raised only when a field is
/// removed, renamed or changes its type; a new field does not raise it.
pub const JSON_VERSION: u32 = 1;

/// A list printed as JSON: `{"cchc_json": 1, "kind": KIND, "items": [...]}`. An envelope rather
/// than a bare array, so a script can check the version and kind before it reads the items.
#[derive(serde::Serialize)]
struct JsonList<'a, T: serde::Serialize> {
    cchc_json: u32,
    kind: &'a str,
    items: &'a [T],
}

/// One object printed as JSON: `{"cchc_json": 1, "kind": KIND, "item": {...}}`.
#[derive(serde::Serialize)]
struct JsonItem<'a, T: serde::Serialize + ?Sized> {
    cchc_json: u32,
    kind: &'a str,
    item: &'a T,
}

/// `items` in the versioned envelope of docs/JSON.md.
pub(crate) fn json_list<T: serde::Serialize>(kind: &str, items: &[T]) -> Result<String> {
    json(&JsonList {
        cchc_json: JSON_VERSION,
        kind,
        items,
    })
}

/// `item` in the versioned envelope of docs/JSON.md.
pub(crate) fn json_item<T: serde::Serialize + ?Sized>(kind: &str, item: &T) -> Result<String> {
    json(&JsonItem {
        cchc_json: JSON_VERSION,
        kind,
        item,
    })
}

/// Pretty JSON of any value. Commands print through `json_list`/`json_item`; only the export,
/// which carries its own `format` and `version` for `cchc import`, is printed bare.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| Error::invalid(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// A CSV document for a spreadsheet: every field passes through `untrusted::cell_block`, so a
/// stored `=HYPERLINK(…)` stays text and no control character reaches the sheet. (Line breaks
/// are kept: the CSV quoting carries them inside the cell.) Callers pass the raw values.
pub(crate) fn csv_text(
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::invalid(e.to_string());
    w.write_record(headers).map_err(err)?;
    for r in rows {
        w.write_record(r.iter().map(|f| untrusted::cell_block(f).into_owned()))
            .map_err(err)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::invalid(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::invalid(e.to_string()))
}
