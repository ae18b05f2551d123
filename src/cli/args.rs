//! The command line, declared with clap. Global flags work before or after the subcommand.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
// Values the shells complete: statuses and themes from the program, the rest from the database
// and the config file (cli/complete.rs).
use clap_complete::engine::ArgValueCandidates;

use super::complete;

use crate::model::{Lang, Status};

// The value parsers answer in the command line's language (decided before parsing, see
// lang.rs); clap puts their text after "invalid value 'X' for --flag:".
use super::lang::t;

fn date(s: &str) -> Result<NaiveDate, String> {
    crate::context::parse_date(s).map_err(|en| {
        t(
            "không phải ngày hợp lệ; ghi YYYY-MM-DD (hoặc DD/MM/YYYY), năm 2000–2100",
            &en,
        )
        .to_string()
    })
}

fn status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        t(
            "không phải trạng thái; dùng not-started, in-progress, done hoặc blocked",
            &format!("{s:?} is not a status; use not-started, in-progress, done or blocked"),
        )
        .to_string()
    })
}

fn percent(s: &str) -> Result<u8, String> {
    s.trim()
        .trim_end_matches('%')
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| {
            t(
                "không phải phần trăm; ghi số nguyên từ 0 đến 100",
                &format!("{s:?} is not a percent; give a whole number from 0 to 100"),
            )
            .to_string()
        })
}

#[derive(Debug, Parser)]
#[command(
    name = "cchc",
    version,
    // English here; the Vietnamese help (the default) comes from cli/help_vi.rs.
    about = "Track Lạng Sơn province's 2026–2030 administrative reform plan",
    long_about = "Without a subcommand, cchc opens the interactive screen (TUI) on the database.\n\
                  With a subcommand, it works headless for scripts and reports."
)]
pub struct Cli {
    /// Database file (default: the per-user data directory, created and seeded on first run).
    #[arg(long, global = true, env = "CCHC_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Who is acting (default: the OS login name).
    #[arg(long, global = true, env = "CCHC_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// The date to treat as today, YYYY-MM-DD (default: the local date).
    #[arg(long, global = true, env = "CCHC_TODAY", value_name = "DATE", value_parser = date)]
    pub today: Option<NaiveDate>,
    /// Interface language: vi (default) or en.
    #[arg(long, global = true, env = "CCHC_LANG", value_enum)]
    pub lang: Option<Lang>,
    /// Open the database read-only (for a projector nobody should type into).
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Colour theme for the TUI: default, light, projector, monochrome, or a user theme.
    #[arg(long, global = true, value_name = "NAME", add = ArgValueCandidates::new(complete::themes))]
    pub theme: Option<String>,
    /// Accept a database on a network filesystem (NFS, SMB, FUSE): use the slower rollback
    /// journal instead of WAL. Every member must then pass it. See docs/OPERATIONS.md.
    #[arg(long, global = true)]
    pub network_share: bool,
    /// When to colour tables: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub color: super::ColorWhen,
    /// Replace an existing file named by --output (or in --output-dir) that cchc did not
    /// make; a symlink, device, FIFO or directory is refused even so.
    #[arg(long, global = true)]
    pub force: bool,
    /// Open the screen on a saved view ([views.NAME] in the config file, `:save NAME` in the
    /// screen); with `tasks`, the same as `tasks --view NAME`.
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::views))]
    pub view: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
    /// The official document (Word), laid out per Nghị định 30/2020/NĐ-CP; needs --output.
    Docx,
}

fn period(s: &str) -> Result<crate::model::ReportPeriod, String> {
    crate::model::ReportPeriod::parse(s).map_err(|en| {
        t(
            "không phải kỳ báo cáo; ghi 2026-Q1, 2026-H1 (6 tháng), 2026-Q3 hoặc 2026 (năm)",
            &en,
        )
        .to_string()
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Json,
    Csv,
    /// One workbook for people: tasks, indicators, measurements, change log.
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a database file and seed it with the 2026–2030 plan.
    Init {
        /// Where to create it (default: --db, CCHC_DB, or the per-user data directory).
        path: Option<PathBuf>,
        /// The province's time zone, which every date written to the store is taken in (an
        /// IANA name; default Asia/Ho_Chi_Minh); chosen when the store is created.
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<String>,
    },
    /// Copy a whole database into a new, empty one (a SQLite file into PostgreSQL, or back):
    /// tasks, notes, measurements, members and the change log with its hashes unchanged,
    /// then verify the copy as `log --verify` does.
    Migrate {
        /// The database to copy: a file, or postgres://…
        from: PathBuf,
        /// The new database: a file that does not exist yet, or an empty PostgreSQL database.
        to: PathBuf,
    },
    /// List the seven areas of work.
    Areas {
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// List the agencies (the same as `cchc agency list`, without the dates they were added).
    Agencies {
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Register, rename, list or import the province's agencies.
    #[command(subcommand)]
    Agency(super::agency::AgencyCommand),
    /// List tasks, filtered.
    Tasks(TasksArgs),
    /// Show, add or change one task.
    #[command(subcommand)]
    Task(TaskCommand),
    /// List the plan's indicators with their latest measurement and status.
    Indicators {
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Record a measurement of an indicator.
    #[command(subcommand)]
    Indicator(IndicatorCommand),
    /// Show the change log (who changed what, when).
    Log(LogArgs),
    /// Export tasks, indicators and measurements.
    Export {
        /// json (what `cchc import` reads back), csv, or xlsx (a workbook for people; needs
        /// --output).
        #[arg(long, value_enum, default_value = "json")]
        format: DataFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// With --format csv: a file for a spreadsheet (UTF-8 BOM, headers and states in the
        /// interface language, dd/mm/yyyy dates, `;` in Vietnamese), not for scripts.
        #[arg(long)]
        excel: bool,
    },
    /// The periodic report to UBND tỉnh (through Sở Nội vụ), in Markdown, JSON or as the
    /// official document (.docx; its letterhead, signer and texts come from [report] in the config).
    Report {
        /// The reporting period (Nghị định 09/2019): 2026-Q1 (quý I), 2026-H1 (6 tháng đầu năm),
        /// 2026-Q3 (quý III) or 2026 (năm); --quarter 2026Q2/2026Q4 name H1 and the year.
        #[arg(long, visible_alias = "quarter", value_parser = period, value_name = "PERIOD")]
        period: crate::model::ReportPeriod,
        /// md (Markdown), json (the data, see docs/JSON.md) or docx (the official document).
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Urge the agencies that are behind: a letter (công văn đôn đốc, per Nghị định 30/2020)
    /// per agency with overdue tasks or tasks due soon, as files or mailed with the agency's
    /// sheet (--mail; [mail] in the config file); each recorded in the change log.
    Remind(RemindArgs),
    /// Meeting mode on the projector: full-screen slides (overview, one per area, who is
    /// behind, since the last meeting), live; read-only unless --allow-edits.
    Meet {
        /// The last meeting's date: "since the last meeting" counts from it (default: 30 days
        /// before today).
        #[arg(long, value_parser = date, value_name = "DATE")]
        since: Option<NaiveDate>,
        /// Open the file for writing, so that a measurement can be recorded from the
        /// indicators screen (`i`, then `r`) during the meeting.
        #[arg(long)]
        allow_edits: bool,
    },
    /// Import tasks (the export's JSON, or a tasks CSV), all or nothing; or the agencies'
    /// returned sheets (one or more .xlsx files made by `cchc sheet`), checked together.
    Import {
        /// A tasks CSV or the export's JSON (one file), or returned .xlsx sheets (one or more).
        #[arg(required = true, num_args = 1.., value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Check the file(s) and report every bad row, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Returned sheets: apply the rows that pass and report the rest (default: nothing is
        /// written if any row is refused).
        #[arg(long)]
        partial: bool,
        /// Create agencies the file names that the database does not know.
        #[arg(long)]
        create_agencies: bool,
    },
    /// An agency's sheet (.xlsx) to fill in and send back: its tasks and indicators for a
    /// reporting period. `cchc import FILE.xlsx` reads it back.
    Sheet(SheetArgs),
    #[command(flatten)]
    Admin(super::admin::AdminCommand),
    /// Set up this host for the working group (as root): see `cchc host setup --help`.
    #[command(subcommand)]
    Host(super::host::HostCommand),
    /// Print a shell completion script, which asks cchc what to complete (subcommands, flags,
    /// and values: statuses, themes, and the database's areas, agencies and views):
    /// `cchc completions bash > /etc/bash_completion.d/cchc`.
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or with --dir write one page per subcommand:
    /// `cchc man --dir /usr/local/share/man/man1`.
    Man {
        /// Write every page (cchc.1, cchc-tasks.1, …) into this folder instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("who").required(true).args(["agency", "all"]))]
pub struct SheetArgs {
    /// The agency: a code or its name (diacritics optional).
    #[arg(long, add = ArgValueCandidates::new(complete::agencies))]
    pub agency: Option<String>,
    /// One workbook per agency that has work in the period (into --output-dir).
    #[arg(long, conflicts_with = "output")]
    pub all: bool,
    /// The reporting period, e.g. 2026-Q3 (default: the one being prepared today).
    #[arg(long, visible_alias = "quarter", value_parser = period, value_name = "PERIOD")]
    pub period: Option<crate::model::ReportPeriod>,
    /// The file to write (default: <CODE>-<PERIOD>.xlsx, e.g. SNV-2026-H1.xlsx).
    #[arg(long, short, conflicts_with = "all")]
    pub output: Option<PathBuf>,
    /// With --all: the folder to write into (default: the current one).
    #[arg(long, requires = "all")]
    pub output_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("who").required(true).args(["agency", "all"]))]
pub struct RemindArgs {
    /// The agency to urge: a code or its name (diacritics optional).
    #[arg(long, add = ArgValueCandidates::new(complete::agencies))]
    pub agency: Option<String>,
    /// Every agency with something to urge.
    #[arg(long)]
    pub all: bool,
    /// The reporting period whose sheet goes with each letter, e.g. 2026-Q3 (default: the one
    /// being prepared today); only its tasks are named.
    #[arg(long, value_parser = period, value_name = "PERIOD")]
    pub period: Option<crate::model::ReportPeriod>,
    /// Besides the overdue tasks, name those due within this many days (default 15, or
    /// due_within in [remind]).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=366))]
    pub due_within: Option<u32>,
    /// With --agency: the file to write (default: Cong-van-don-doc-CODE-DATE.docx; a Markdown
    /// letter goes to standard output).
    #[arg(long, short, conflicts_with = "all")]
    pub output: Option<PathBuf>,
    /// The folder to write the letters into (default without --mail: the current one).
    #[arg(long, conflicts_with = "output")]
    pub output_dir: Option<PathBuf>,
    /// docx (the official letter) or md (Markdown).
    #[arg(long, value_enum, default_value = "docx")]
    pub format: LetterFormat,
    /// Mail each letter, with the agency's sheet, to the agency's addresses (the server is
    /// [mail] in the config file); nothing counts as sent until the server accepts it.
    #[arg(long)]
    pub mail: bool,
    /// Say who would get what; write, send and record nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Make or send a letter again to an agency already urged today.
    #[arg(long)]
    pub again: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LetterFormat {
    /// The official letter (Word), laid out per Nghị định 30/2020/NĐ-CP.
    Docx,
    Md,
}

#[derive(Debug, Clone, Args)]
pub struct TasksArgs {
    /// Area code (see `cchc areas`).
    #[arg(long, add = ArgValueCandidates::new(complete::areas))]
    pub area: Option<String>,
    /// Lead agency: a code, or part of its name (diacritics optional).
    #[arg(long, add = ArgValueCandidates::new(complete::agencies))]
    pub agency: Option<String>,
    /// Only tasks with this stored status: not-started, in-progress, done or blocked.
    #[arg(long, value_parser = status, value_name = "STATUS", add = ArgValueCandidates::new(complete::statuses))]
    pub status: Option<Status>,
    /// Only tasks overdue today (due before today and not done).
    #[arg(long)]
    pub overdue: bool,
    /// Only tasks due before this date (YYYY-MM-DD or DD/MM/YYYY).
    #[arg(long, value_parser = date, value_name = "DATE")]
    pub due_before: Option<NaiveDate>,
    /// Fuzzy text search over title, agency, output and notes (diacritics optional); words such
    /// as agency:STP area:tthc status:blocked due.before:2026-12-31 filter exactly.
    #[arg(long)]
    pub search: Option<String>,
    /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// With --format csv: a file for a spreadsheet (see `cchc export --excel`).
    #[arg(long)]
    pub excel: bool,
    /// A saved view ([views.NAME] in the config file, `:save NAME` in the screen): its
    /// filters and sort; options given here win over the view's.
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::views))]
    pub view: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Show one task with its notes and history.
    Show {
        /// The task's number, as `cchc tasks` lists it.
        id: i64,
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Add a task.
    Add {
        /// The area's code (see `cchc areas`) or its name.
        #[arg(long, add = ArgValueCandidates::new(complete::areas))]
        area: String,
        /// Lead agency code or name.
        #[arg(long, add = ArgValueCandidates::new(complete::agencies))]
        agency: String,
        /// The task's title (at most 500 characters).
        #[arg(long)]
        title: String,
        /// The due date, YYYY-MM-DD or DD/MM/YYYY.
        #[arg(long, value_parser = date, value_name = "DATE")]
        due: NaiveDate,
        /// Coordinating agencies (codes or names), repeatable or comma-separated.
        #[arg(long, value_delimiter = ',')]
        coordinating: Vec<String>,
        /// The expected output (sản phẩm), e.g. "Báo cáo gửi UBND tỉnh".
        #[arg(long, default_value = "")]
        output: String,
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Change a task's status, percent or fields, and/or add a note.
    Set {
        /// The task's number, as `cchc tasks` lists it.
        id: i64,
        /// The new status: not-started, in-progress, done or blocked.
        #[arg(long, value_parser = status, value_name = "STATUS", add = ArgValueCandidates::new(complete::statuses))]
        status: Option<Status>,
        /// Percent done, a whole number from 0 to 100.
        #[arg(long, value_parser = percent, value_name = "PERCENT")]
        progress: Option<u8>,
        /// A note to add to the task (kept with who wrote it and when).
        #[arg(long)]
        note: Option<String>,
        /// A new title.
        #[arg(long)]
        title: Option<String>,
        /// A new due date, YYYY-MM-DD or DD/MM/YYYY.
        #[arg(long, value_parser = date, value_name = "DATE")]
        due: Option<NaiveDate>,
        /// When the task was really completed, if not today (by the computer's clock; --today
        /// does not move it). Not in the future; the log says the date was given by hand.
        #[arg(long, value_parser = date, value_name = "DATE")]
        completed_on: Option<NaiveDate>,
        /// Refuse (exit 3) unless the task is still at this version.
        #[arg(long, value_name = "V")]
        expect_version: Option<i64>,
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Record a measured value (percent, level, or for a reduction the measured quantity).
    Record {
        /// The indicator's code, as `cchc indicators` lists it.
        #[arg(add = ArgValueCandidates::new(complete::indicators))]
        code: String,
        /// The measured value: a percent, a level, or for a reduction the measured quantity.
        value: String,
        /// The date the value was measured (default: the computer's clock; --today does not
        /// move it). Not in the future; a date other than today's is logged as given by hand.
        #[arg(long, value_parser = date)]
        date: Option<NaiveDate>,
        /// Where the figure comes from, e.g. "Cổng Dịch vụ công quốc gia".
        #[arg(long, default_value = "")]
        source: String,
        /// A note kept with the measurement.
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this task's entries.
    #[arg(long)]
    pub task: Option<i64>,
    /// Show at most this many entries, newest first.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
    /// Walk the hash chain and name the first entry that does not match, then replay the log
    /// and name every row of the tables that differs from what it implies.
    #[arg(long)]
    pub verify: bool,
    /// With --verify: a head pinned earlier (from `cchc backup`, cchc-heads.txt or the meeting
    /// minutes), ENTRY:HASH, that must still be in the chain. May be repeated.
    #[arg(long = "head", value_parser = crate::store::parse_head, requires = "verify")]
    pub heads: Vec<(i64, String)>,
    /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}
