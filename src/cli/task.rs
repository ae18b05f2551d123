//! `cchc task add|show|edit|note|…`: one task at a time.

use super::tabular::render;
use super::tasks::{tasks_summary, unknown_area};
use super::{Env, Format, Style, TaskCommand, describe_entry, json_item};
use crate::error::{Error, Result};
use crate::model::{Lang, LogEntry, NewTask, Reminded, Task, TaskField, TaskPatch};
use crate::store::{LogFilter, Store};
use crate::transfer::{Resolver, TaskRecord};
use crate::untrusted::{block, line};

/// One task's command; a table of the task puts its summary line in `summary`.
pub(super) fn run(
    cmd: TaskCommand,
    env: &Env,
    style: Style,
    summary: &mut Option<String>,
) -> Result<String> {
    match cmd {
        TaskCommand::Show { id, format } => {
            let store = env.open_to_read()?;
            let task = store.task(id)?;
            let notes = store.notes(id)?;
            let history = store.log(&LogFilter {
                entity: Some("task".into()),
                entity_id: Some(id.to_string()),
                ..Default::default()
            })?;
            // The letters urging its agency that named it: "đã đôn đốc 12/11/2026 (lần 2)".
            let reminded = Reminded::of(&store.reminders(Some(&task.lead_agency))?, |t| t == id);
            match format {
                // One row, as `tasks --format csv` writes it (notes and history are in JSON).
                Format::Csv => render(std::slice::from_ref(&task), format, env, style),
                Format::Json => {
                    let mut v = serde_json::to_value(TaskRecord::new(&task, env.today))
                        .map_err(|e| Error::invalid(e.to_string()))?;
                    v["notes"] = serde_json::to_value(&notes).unwrap_or_default();
                    v["history"] = serde_json::to_value(&history).unwrap_or_default();
                    v["reminded"] = serde_json::to_value(reminded).unwrap_or_default();
                    json_item("task", &v)
                }
                Format::Table => Ok(show_task(
                    &store, &task, &notes, &history, reminded, env, style,
                )?),
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
            render(&[task], format, env, style)
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
            if note.as_deref().is_some_and(|n| n.trim().is_empty()) {
                return Err(Error::invalid(env.t(
                    "--note trống; hãy viết nội dung ghi chú, hoặc bỏ --note",
                    "--note is empty; write the note's text, or leave --note out",
                )));
            }
            if patch.is_empty() && note.is_none() {
                return Err(Error::usage(
                    "không có gì để đổi; hãy cho --status, --progress, --note, --title, --due hoặc --completed-on",
                    "nothing to change; give --status, --progress, --note, --title, --due or --completed-on",
                ));
            }
            let mut store = env.open()?;
            let up = store.update_task(id, expect_version, &patch, note.as_deref())?;
            if format == Format::Table {
                let mut s = String::new();
                if up.log_id.is_none() {
                    s.push_str(env.t("Không có gì thay đổi.\n", "Nothing changed.\n"));
                }
                for c in &up.changes {
                    s.push_str(&line(&c.describe()));
                    s.push('\n');
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
                render(&[up.task], format, env, style)
            }
        }
    }
}

fn show_task(
    store: &Store,
    t: &Task,
    notes: &[crate::model::Note],
    history: &[LogEntry],
    reminded: Option<Reminded>,
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
        field(TaskField::Detail.label(env.lang), indent(&block(&t.detail)));
    }
    field(
        TaskField::PlanRef.label(env.lang),
        line(&t.plan_ref).into_owned(),
    );
    field(TaskField::Area.label(env.lang), line(&t.area).into_owned());
    let mut lead = name(&t.lead_agency);
    // As the TUI's detail pane: a lead the plan does not name is marked.
    if crate::plan::lead_assumed(&t.plan_ref) {
        lead.push_str(env.t(" (giả định)", " (assumed)"));
    }
    field(env.t("Chủ trì", "Lead"), lead);
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
    field(TaskField::Output.label(env.lang), indent(&block(&t.output)));
    field(
        TaskField::Due.label(env.lang),
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
    if let Some(r) = reminded {
        field(env.t("Đôn đốc", "Urged"), r.label(env.lang));
    }
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
