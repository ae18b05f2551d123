//! Headless commands: the same store and rules as the TUI, for scripts and reports.

mod admin;
mod agency;
mod args;
mod complete;
mod exchange;
mod generated;
mod help_vi;
mod host;
mod indicators;
mod init;
pub mod lang;
mod lists;
mod log;
mod meet;
mod output;
mod output_file;
mod progress;
mod remind;
mod sheets;
mod table;
mod tabular;
mod task;
mod tasks;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use args::*;
pub(crate) use exchange::{bad_rows, decode_csv, read_import_file, say_how_read};
pub use generated::{completions, man_page, man_pages};
pub use log::describe_entry;
pub use output::{ColorWhen, Style};

use crate::context;
use crate::error::{Error, Result};
use crate::model::Lang;
use crate::store::{OpenOptions, Store};
use crate::untrusted::{self, line};

/// Everything a command needs to know about who, where and when.
#[derive(Clone)]
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
    /// `--network-share`: accept a file on a network filesystem, in rollback-journal mode.
    pub network_share: bool,
    /// The letterhead and signer of the .docx report (`[report]` in the config file).
    pub report: crate::config::ReportConfig,
    /// `--color`: when tables are coloured (with NO_COLOR, see `output::colour`).
    pub colour: ColorWhen,
    /// The config file's saved views, for `cchc tasks --view NAME`.
    pub views: std::collections::BTreeMap<String, crate::view::SavedView>,
    /// What the screens (`cchc`, `cchc meet`) take from the command line and the config file.
    pub screen: ScreenConfig,
    /// `--force`: replace an output file cchc did not make (see `output_file`).
    pub force: bool,
    /// How the letters urging agencies are issued (`[remind]` in the config file).
    pub remind: crate::config::RemindConfig,
    /// The SMTP server they go through (`[mail]`).
    pub mail: crate::config::MailConfig,
}

/// The settings only a screen uses; main.rs fills them, the headless commands ignore them
/// (except the warnings, which they say on stderr).
#[derive(Clone, Default)]
pub struct ScreenConfig {
    /// `--theme` as given on the command line.
    pub theme: Option<String>,
    /// The config file's `[keys]` table.
    pub keys: toml::Table,
    /// The config file's problems: in a screen's status line, else on stderr.
    pub warnings: Vec<String>,
    /// Where `:save NAME` writes (the config file read, else the default one).
    pub config_path: Option<PathBuf>,
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
            network_share: cli.network_share,
            report: crate::config::ReportConfig::default(),
            views: Default::default(),
            colour: cli.color,
            screen: ScreenConfig::default(),
            force: cli.force,
            remind: Default::default(),
            mail: Default::default(),
        })
    }

    /// Opens the database for a command; only the default location is created and seeded on
    /// first use, and then one line on stderr says so (stdout stays data).
    pub fn open(&self) -> Result<Store> {
        self.open_and_say(false)
    }

    /// Opens the database for a command that only reads it: a file stays byte for byte as it
    /// was (see `Store::open_to_read`), so a backup can be looked at with `--db`.
    pub fn open_to_read(&self) -> Result<Store> {
        self.open_and_say(true)
    }

    fn open_and_say(&self, reading: bool) -> Result<Store> {
        let store = self.open_store_with(reading)?;
        if self.own_file_created(&store) {
            eprintln!(
                "{}",
                untrusted::line(&context::own_file_created_notice(&self.db, self.lang))
            );
        }
        Ok(store)
    }

    /// Opens the store and says what the TUI needs to know of this environment.
    pub fn tui_options(&self) -> Result<crate::tui::Options> {
        let store = self.open_store()?;
        let own_file = if !self.db_is_default {
            crate::tui::app::OwnFile::Named
        } else if self.own_file_created(&store) {
            crate::tui::app::OwnFile::JustCreated
        } else {
            crate::tui::app::OwnFile::InUse
        };
        Ok(crate::tui::Options {
            store,
            today: self.today,
            lang: self.lang,
            own_file,
            letters: crate::tui::app::LetterConfig {
                report: self.report.clone(),
                remind: self.remind.clone(),
                mail: self.mail.clone(),
            },
        })
    }

    /// Whether `store` is the per-user default file and this run created it.
    pub fn own_file_created(&self, store: &Store) -> bool {
        self.db_is_default && store.seeded_now()
    }

    /// Opens the database, saying nothing about a newly created default file (the TUI says it
    /// in a banner instead).
    pub fn open_store(&self) -> Result<Store> {
        self.open_store_with(false)
    }

    fn open_store_with(&self, reading: bool) -> Result<Store> {
        let create_with = if self.db_is_default {
            if let Some(dir) = self.db.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::invalid(format!("cannot create {}: {e}", dir.display())))?;
            }
            Some(load_plan()?)
        } else {
            None
        };
        let opts = OpenOptions {
            read_only: self.read_only,
            create_with,
            network_share: self.network_share,
            create_bare: false,
        };
        let mut store = if reading {
            Store::open_to_read(&self.db, &self.user, opts)?
        } else {
            Store::open(&self.db, &self.user, opts)?
        };
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
    output_file::set_force(env.force);
    let mut out = String::new();
    // Said on stderr after the table, so that stdout is the table alone.
    let mut summary = None;
    // Meeting mode shows the config file's problems in its status line; a command says them.
    if !matches!(command, Command::Meet { .. }) {
        for w in &env.screen.warnings {
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                line(&format!("cchc: {}: {w}", lang::t("cảnh báo", "warning")))
            );
        }
    }
    match command {
        Command::Init { path, time_zone } => {
            let path = path.unwrap_or_else(|| env.db.clone());
            init::init(&path, env, &mut out)?;
            if let Some(zone) = time_zone {
                init::set_time_zone(&path, &zone, env, &mut out)?;
            }
        }
        Command::Migrate { from, to } => init::migrate(&from, &to, env, &mut out)?,
        Command::Areas { format } => out = lists::areas(format, env, style)?,
        Command::Agencies { format } => out = lists::agencies(format, env, style)?,
        Command::Tasks(args) => return tasks::run(&args, env, style),
        Command::Task(cmd) => out = task::run(cmd, env, style, &mut summary)?,
        Command::Indicators { format } => {
            let store = env.open_to_read()?;
            out = indicators::render(&store, format, env, style)?;
        }
        Command::Indicator(IndicatorCommand::Record {
            code,
            value,
            date,
            source,
            note,
        }) => out = indicators::record(code, &value, date, source, note, env)?,
        Command::Log(args) => out = log::run(&args, env, style)?,
        Command::Export {
            format,
            output,
            excel,
        } => out = exchange::export_command(format, output.as_deref(), excel, env)?,
        Command::Agency(cmd) => out = agency::run(cmd, env, style)?,
        Command::Sheet(args) => out = sheets::sheet(&args, env)?,
        Command::Remind(args) => return remind::run(&args, env),
        Command::Report {
            period,
            format,
            output,
        } => exchange::report_command(period, format, output.as_deref(), env)?,
        Command::Import {
            files,
            dry_run,
            partial,
            create_agencies,
        } => {
            return exchange::import_command(&files, dry_run, partial, create_agencies, env, style);
        }
        Command::Admin(cmd) => return admin::run(cmd, env, style),
        Command::Host(cmd) => out = host::run(cmd, env)?,
        Command::Meet { since, allow_edits } => return meet::run(since, allow_edits, env),
        // Handled before any database is opened (main.rs).
        Command::Completions { .. } | Command::Man { .. } => {}
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

pub(super) fn print(s: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(s.as_bytes()).and_then(|_| stdout.flush()) {
        // A closed pipe (`cchc tasks | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Writes an output file (a workbook, a report, an export) whole or not at all, never over
/// what it must not replace: `output_file::write`, the one way every format is written.
fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    output_file::write(path, bytes)
}

/// Writes to `path` (or standard output) what `write` produces, as it produces it, through a
/// buffer: an export of any size is never held whole. A file goes through `output_file`, so a
/// failed export leaves no half file and nothing it must not replace is replaced. A closed
/// pipe is not an error.
fn write_output_with(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        Some(p) => output_file::write_with(p, write),
        None => {
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
            let written = write(&mut out);
            finish_output(out, written)
        }
    }
}

/// Ends a stream written to standard output: flushed when it was written whole; when writing
/// failed (a damaged page met on the first read), what is still in the buffer is dropped
/// rather than printed, so an error that comes early leaves standard output empty. The reader
/// going away (`cchc tasks | head`) is not an error worth reporting.
pub(super) fn finish_output<W: Write>(
    mut out: std::io::BufWriter<W>,
    written: Result<()>,
) -> Result<()> {
    let result = written.and_then(|()| Ok(out.flush()?));
    if result.is_err() {
        let _ = out.into_parts();
    }
    match result {
        Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn write_output_bytes(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match path {
        Some(p) => output_file::write(p, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

/// The version of the JSON documents the CLI prints (docs/JSON.md). Raised only when a field is
/// removed, renamed or changes its type; a new field does not raise it.
pub const JSON_VERSION: u32 = 2;

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

/// `items` in the versioned envelope of docs/JSON.md, written to `out` as they serialize
/// (a list read from the store as it is written), byte for byte what [`json_list`] makes.
pub(crate) fn write_json_list<W: Write, T: serde::Serialize>(
    out: &mut W,
    kind: &str,
    items: &T,
) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Stream<'a, T: serde::Serialize> {
        cchc_json: u32,
        kind: &'a str,
        items: &'a T,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Stream {
            cchc_json: JSON_VERSION,
            kind,
            items,
        },
    )
    .map_err(|e| match e.io_error_kind() {
        Some(kind) => Error::Io(std::io::Error::new(kind, e)),
        None => Error::invalid(e.to_string()),
    })?;
    out.write_all(b"\n")?;
    Ok(())
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
    let mut s = untrusted::json_pretty(v).map_err(|e| Error::invalid(e.to_string()))?;
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
