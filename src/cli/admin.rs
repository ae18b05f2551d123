//! Looking after the shared file: members and roles, backups, `cchc doctor`, and a hidden
//! writer loop the crash tests kill at random points.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::tabular::{Column, Tabular, render};
use super::{Env, Format, Style, csv_text, json_item, print, print_then_summary};
use crate::error::{Error, Result};
use crate::store::{CheckLevel, Member, OpenOptions, Role, Store};
use crate::transfer::Resolver;
use crate::untrusted::line;

fn role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        super::lang::t(
            "không phải vai trò; dùng member, secretary hoặc viewer",
            &format!("{s:?} is not a role; use member, secretary or viewer"),
        )
        .to_string()
    })
}

impl Tabular for Member {
    const KIND: &'static str = "members";
    const CSV_HEADERS: &'static [&'static str] =
        &["name", "agency", "role", "added_by", "added_at", "login"];
    const COLUMNS: &'static [Column] = &[
        Column::text("Tên", "Name"),
        Column::text("Cơ quan", "Agency"),
        Column::text("Vai trò", "Role"),
        Column::text("Thêm bởi", "Added by"),
        Column::text("Lúc", "At"),
        Column::text("Tài khoản", "Login"),
    ];

    fn json(&self, _: &Env) -> impl serde::Serialize {
        self
    }

    fn csv_row(&self, _: &Env) -> Vec<String> {
        vec![
            self.name.clone(),
            self.agency.clone(),
            self.role.as_str().into(),
            self.added_by.clone(),
            self.added_at.clone(),
            self.login.clone(),
        ]
    }

    fn table_row(&self, env: &Env) -> Vec<String> {
        let mut cells = self.csv_row(env);
        cells[4] = crate::report::instant(&self.added_at);
        cells
    }
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Who may change what: register, list or remove the working group's members.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Copy the database to a new FILE while others keep working, and verify the copy.
    Backup {
        /// The copy to create; an existing file is never overwritten.
        file: PathBuf,
    },
    /// Check the database: integrity, the change log's hash chain, the tables against the log
    /// replayed, the newest pinned head, WAL size, schema, counts. Exits 1 when something is
    /// wrong.
    Doctor {
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// The heads file to check the newest line of (default: cchc-heads.txt beside the
        /// database, else in backups/ beside it; `cchc backup` appends to the one beside the
        /// backup).
        #[arg(long)]
        heads: Option<PathBuf>,
    },
    /// For crash tests: writes to a task in a loop, printing "committed TAG-N" after each
    /// commit. Only in builds with the `test-hooks` feature (the tests'), never in a release.
    #[cfg(feature = "test-hooks")]
    #[command(name = "__write-loop", hide = true)]
    WriteLoop {
        #[arg(long)]
        task: i64,
        #[arg(long)]
        count: u64,
        #[arg(long, default_value = "w")]
        tag: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Register a member (or change a member's agency or role). Only a secretary may, except
    /// for the very first member, who must be a secretary.
    Add {
        /// The member's name, as `--user`/CCHC_USER gives it (and the change log shows it).
        name: String,
        /// The OS login the member works from (default: NAME). Once members exist, cchc acts
        /// only as the member bound to the login running it (root excepted).
        #[arg(long)]
        login: Option<String>,
        /// The member's agency: a code from `cchc agencies` (or its name).
        #[arg(long)]
        agency: String,
        /// member: changes their agency's tasks and indicators; secretary: anything, and
        /// manages members; viewer: reads only.
        #[arg(long, value_parser = role, default_value = "member")]
        role: Role,
    },
    /// List the registered members and say who you are.
    List {
        /// Output: a table for people, or JSON (see docs/JSON.md) or CSV for scripts.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Remove a member (a secretary only).
    Remove {
        /// The member's name, as `cchc member list` shows it.
        name: String,
    },
    /// Who may urge agencies (`cchc remind`): say it, or set it (a secretary): secretary (the
    /// default: secretaries only), member (every member too), or an agency's code (its
    /// members too, e.g. the secretariat's SNV).
    RemindRight {
        /// secretary, member, or an agency code; none says the rule.
        rule: Option<String>,
    },
}

/// Runs an admin command; returns the exit code.
pub fn run(cmd: AdminCommand, env: &Env, style: Style) -> Result<i32> {
    match cmd {
        AdminCommand::Member(m) => {
            let (out, summary) = member(m, env, style)?;
            print_then_summary(&out, summary.as_deref())?;
            Ok(0)
        }
        AdminCommand::Backup { file } => {
            let store = open_for_reading(env)?;
            let b = {
                let bar = super::progress::Bar::on_stderr(env.lang);
                store.backup_with(&file, &bar)?
            };
            if let Some((id, hash)) = &b.head
                && let Err(e) = pin_head(&file, *id, hash)
            {
                eprintln!(
                    "cchc: warning: the backup is made, but its head could not be pinned: {}",
                    line(&e.to_string())
                );
            }
            print(&line(&format!(
                "{} {} ({} bytes, {} {}, head {}) · {}",
                env.t("Đã sao lưu vào", "Backed up to"),
                b.path.display(),
                b.bytes,
                b.log_entries,
                env.t("mục nhật ký", "log entries"),
                b.head
                    .map(|(id, h)| format!("#{id} {h}"))
                    .unwrap_or_else(|| "-".into()),
                env.t(
                    "bản sao đã kiểm tra toàn vẹn",
                    "copy verified (integrity and hash chain)"
                ),
            )))?;
            print("\n")?;
            Ok(0)
        }
        AdminCommand::Doctor { format, heads } => doctor(format, heads, env, style),
        #[cfg(feature = "test-hooks")]
        AdminCommand::WriteLoop { task, count, tag } => write_loop::run(task, count, &tag, env),
    }
}

/// Opens without writing anything (no WAL switch, no migration): diagnosing or copying a file
/// must not change it.
fn open_for_reading(env: &Env) -> Result<Store> {
    let store = Store::open(
        &env.db,
        &env.user,
        OpenOptions {
            read_only: true,
            create_with: None,
            network_share: env.network_share,
            create_bare: false,
        },
    )?;
    for notice in store.notices() {
        eprintln!("cchc: warning: {}", crate::untrusted::line(notice));
    }
    Ok(store)
}

/// The command's output, and for a table the summary line that follows it on stderr.
fn member(cmd: MemberCommand, env: &Env, style: Style) -> Result<(String, Option<String>)> {
    let out = match cmd {
        MemberCommand::Add {
            name,
            login,
            agency,
            role,
        } => {
            let mut store = env.open()?;
            let agencies = store.agencies()?;
            let areas = store.areas()?;
            let code = Resolver::new(&areas, &agencies)
                .agency(&agency)
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "unknown agency {agency:?}; `cchc agencies` lists the codes"
                    ))
                })?;
            let m = store.add_member_with_login(&name, login.as_deref(), &code, role)?;
            let mut s = format!(
                "{} {}: {} ({}), login {}\n",
                env.t("Thành viên", "Member"),
                line(&m.name),
                m.role.as_str(),
                line(&m.agency),
                line(&m.login)
            );
            let me = store.permissions()?;
            if !me.can_write() {
                s.push_str(&format!(
                    "{}: {}\n",
                    env.t("Lưu ý", "Note"),
                    env.t(
                        "bạn chưa là thành viên nên từ nay chỉ được xem",
                        "you are not a registered member, so from now on you can only read"
                    )
                ));
            }
            Ok(s)
        }
        MemberCommand::Remove { name } => {
            let mut store = env.open()?;
            let m = store.remove_member(&name)?;
            Ok(format!(
                "{} {} ({}, {})\n",
                env.t("Đã xoá thành viên", "Removed member"),
                line(&m.name),
                m.role.as_str(),
                line(&m.agency)
            ))
        }
        MemberCommand::RemindRight { rule } => super::remind::remind_right(rule.as_deref(), env),
        MemberCommand::List { format } => {
            let store = env.open_to_read()?;
            let members = store.members()?;
            let list = render(&members, format, env, style)?;
            if format != Format::Table {
                return Ok((list, None));
            }
            let you = format!(
                "{}: {}\n",
                env.t("Bạn", "You"),
                line(&store.permissions()?.describe())
            );
            return Ok((list, Some(you)));
        }
    };
    out.map(|o| (o, None))
}

/// The file beside a backup where `cchc backup` keeps the heads it pinned.
pub const HEADS_FILE: &str = "cchc-heads.txt";

/// Appends "N:HASH date backup-file" to the heads file beside `backup`: outside the database,
/// it remembers the head even if the file's history is later cut or rewritten.
fn pin_head(backup: &std::path::Path, id: i64, hash: &str) -> std::io::Result<()> {
    let dir = match backup.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(HEADS_FILE))?;
    writeln!(
        f,
        "{id}:{hash} {} {}",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
        backup
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    )?;
    Ok(())
}

/// The largest heads file doctor reads: ten years of nightly backups are under half a MiB.
const MAX_HEADS_BYTES: u64 = 16 * 1024 * 1024;

/// The newest head pinned in the heads file named (`--heads`), else in the first one found
/// beside the database; or why there is none: `Info` when no heads file is there to look at,
/// `Fail` when the file named, or the one found, cannot be read or parsed.
fn newest_pinned_head(
    given: Option<PathBuf>,
    store: &Store,
    db: &std::path::Path,
) -> std::result::Result<crate::store::PinnedHead, (CheckLevel, String)> {
    let dir = match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |why: String| (CheckLevel::Fail, why);
    let (path, text) = match given {
        // Named by the user: read with the user's own rights only.
        Some(path) => {
            let text = read_heads(&path).map_err(fail)?.ok_or_else(|| {
                fail(format!(
                    "{}: no such heads file; give the file `cchc backup` appends to (cchc-heads.txt beside the backups)",
                    path.display()
                ))
            })?;
            (path, text)
        }
        // A server has no folder beside it: the operator's backup script keeps the heads.
        None if crate::store::server_url(db).is_some() => {
            return Err((CheckLevel::Info, "a server database keeps no heads file beside it; pass --heads FILE (the backup script's cchc-heads.txt, docs/OPERATIONS.md)".into()));
        }
        None => {
            let candidates = [dir.join(HEADS_FILE), dir.join("backups").join(HEADS_FILE)];
            let mut found = None;
            for path in &candidates {
                // The store's own heads, beside it: read as the store is.
                if let Some(text) = store.read_beside(path, read_heads).map_err(fail)? {
                    found = Some((path.clone(), text));
                    break;
                }
            }
            found.ok_or_else(|| {
                (
                    CheckLevel::Info,
                    format!(
                        "no pinned head found in {}; `cchc backup` writes one beside each backup (pass --heads FILE)",
                        candidates
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                )
            })?
        }
    };
    let Some((number, line)) = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .last()
    else {
        return Err(fail(format!(
            "{}: the heads file is empty; a heads file holds one line per backup",
            path.display()
        )));
    };
    // The line is not echoed: the file may be anything the user named.
    let bad = || {
        fail(format!(
            "{}: line {} is not a pinned head (ENTRY:HASH TIME BACKUP, as `cchc backup` writes it): the heads file was damaged or edited; compare it with the minutes",
            path.display(),
            number + 1
        ))
    };
    let mut words = line.split_whitespace();
    let (id, hash) = crate::store::parse_head(words.next().unwrap_or("")).map_err(|_| bad())?;
    let time = words.next().ok_or_else(bad)?;
    let backup = words.next().ok_or_else(bad)?;
    if chrono::DateTime::parse_from_rfc3339(time).is_err()
        || words.next().is_some()
        || backup.contains('/')
        || backup.starts_with('.')
    {
        return Err(bad());
    }
    let heads_dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok(crate::store::PinnedHead {
        source: path.display().to_string(),
        id,
        hash,
        backup: Some(heads_dir.join(backup)),
    })
}

/// A heads file's text; `None` when there is none at `path`; a sentence when it is not a
/// readable regular text file under the size limit.
fn read_heads(path: &std::path::Path) -> std::result::Result<Option<String>, String> {
    match crate::store::read_small_text(path, MAX_HEADS_BYTES) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "{}: cannot read the heads file: {e}",
            path.display()
        )),
    }
}

fn doctor(format: Format, heads: Option<PathBuf>, env: &Env, style: Style) -> Result<i32> {
    let store = open_for_reading(env)?;
    let mut report = store.health();
    let plan = super::load_plan().ok();
    let pinned = newest_pinned_head(heads, &store, &env.db);
    report
        .checks
        .extend(store.history_checks(plan.as_ref(), pinned, &env.user));
    let healthy = report.healthy();
    let text = match format {
        Format::Json => {
            let mut v = serde_json::to_value(&report).map_err(|e| Error::invalid(e.to_string()))?;
            v["healthy"] = healthy.into();
            json_item("doctor", &v)?
        }
        Format::Csv => csv_text(
            &["check", "level", "detail"],
            report
                .checks
                .iter()
                .map(|c| vec![c.name.into(), c.level.as_str().into(), c.detail.clone()]),
        )?,
        Format::Table => {
            let mut s = format!("cchc doctor: {}\n", report.path.display());
            for c in &report.checks {
                let level = c.level.as_str();
                let level = match (style.colour, c.level) {
                    (true, CheckLevel::Fail) => format!("\x1b[1;31m{level:<4}\x1b[0m"),
                    (true, CheckLevel::Warn) => format!("\x1b[33m{level:<4}\x1b[0m"),
                    (true, CheckLevel::Ok) => format!("\x1b[32m{level:<4}\x1b[0m"),
                    _ => format!("{level:<4}"),
                };
                s.push_str(&format!("  {level}  {:<12} {}\n", c.name, line(&c.detail)));
            }
            s.push_str(if healthy {
                env.t(
                    "Không phát hiện lỗi.\n",
                    "No problems found.\n",
                )
            } else {
                env.t(
                    "Có lỗi: dừng ghi, sao lưu tệp hiện tại và khôi phục bản sao lưu gần nhất (docs/OPERATIONS.md).\n",
                    "Problems found: stop writing, keep a copy of this file and restore the latest backup (docs/OPERATIONS.md).\n",
                )
            });
            s
        }
    };
    print(&text)?;
    Ok(if healthy { 0 } else { 1 })
}

#[cfg(feature = "test-hooks")]
mod write_loop {
    use std::io::Write;

    use super::Env;
    use crate::error::{Error, Result};
    use crate::model::TaskPatch;
    use crate::store::NewMeasurement;

    /// Writes to `task` `count` times (a note each time, a new percent most times, a measurement
    /// every fifth), printing one line after each commit, so a test that kills this process knows
    /// exactly which writes were reported committed.
    pub(super) fn run(task: i64, count: u64, tag: &str, env: &Env) -> Result<i32> {
        let mut store = env.open()?;
        let indicator = store
            .indicators()?
            .into_iter()
            .next()
            .map(|i| i.code)
            .ok_or_else(|| Error::invalid("the database has no indicators"))?;
        let mut stdout = std::io::stdout().lock();
        for i in 0..count {
            let token = format!("{tag}-{i}");
            if i % 5 == 4 {
                store.record_measurement(&NewMeasurement {
                    indicator: indicator.clone(),
                    value: (i % 100) as f64,
                    measured_on: crate::context::clock_today(),
                    source: String::new(),
                    note: token.clone(),
                })?;
            } else {
                let patch = TaskPatch {
                    progress: Some((i % 99) as u8),
                    ..Default::default()
                };
                store.update_task(task, None, &patch, Some(&token))?;
            }
            writeln!(stdout, "committed {token}")?;
            stdout.flush()?;
        }
        Ok(0)
    }
}
