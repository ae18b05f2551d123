//! `cchc log`: the change log, filtered, and `--verify` of its hash chain and pinned heads.

use super::tabular::{Column, Tabular, render};
use super::{Env, LogArgs, Style, load_plan};
use crate::error::{Error, Result};
use crate::model::LogEntry;
use crate::store::{LogFilter, Store};
use crate::untrusted::line;

/// One line for a change-log entry, every stored part made safe for a terminal.
pub fn describe_entry(e: &LogEntry) -> String {
    let changes = crate::model::FieldChange::describe_all(&e.changes);
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

impl Tabular for LogEntry {
    const KIND: &'static str = "log";
    const CSV_HEADERS: &'static [&'static str] = &[
        "id",
        "at",
        "user",
        "entity",
        "entity_id",
        "action",
        "changes",
        "note",
    ];
    const COLUMNS: &'static [Column] = &[
        Column::number("#", "#"),
        Column::text("Lúc", "At"),
        Column::text("Người", "User"),
        Column::text("Đối tượng", "Entity"),
        Column::text("Việc", "Action"),
        Column::text("Thay đổi", "Changes").shrinks(),
    ];

    fn json(&self, _: &Env) -> impl serde::Serialize {
        self
    }

    fn csv_row(&self, _: &Env) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.at.clone(),
            self.user.clone(),
            self.entity.clone(),
            self.entity_id.clone(),
            self.action.clone(),
            serde_json::to_string(&self.changes).unwrap_or_default(),
            self.note.clone().unwrap_or_default(),
        ]
    }

    fn table_row(&self, _: &Env) -> Vec<String> {
        let changes = self
            .changes
            .iter()
            .map(crate::model::FieldChange::describe)
            .chain(self.note.iter().map(|n| format!("«{n}»")))
            .collect::<Vec<_>>()
            .join("; ");
        vec![
            self.id.to_string(),
            crate::report::instant(&self.at),
            self.user.clone(),
            format!("{} {}", self.entity, self.entity_id),
            self.action.clone(),
            changes,
        ]
    }
}

/// `log --verify`: the chain, each pinned head, then the tables against the log replayed. The
/// first problem is the error (exit 1); the problems after it are named in the same line.
pub(super) fn verify_log(store: &Store, heads: &[(i64, String)], env: &Env) -> Result<String> {
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
                backup: None,
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

pub(super) fn run(args: &LogArgs, env: &Env, style: Style) -> Result<String> {
    let store = env.open_to_read()?;
    if args.verify {
        return verify_log(&store, &args.heads, env);
    }
    let entries = store.log(&LogFilter {
        entity: args.task.map(|_| "task".to_string()),
        entity_id: args.task.map(|t| t.to_string()),
        limit: Some(args.limit),
        ..Default::default()
    })?;
    render(&entries, args.format, env, style)
}
