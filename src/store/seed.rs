//! Writes the plan into a new file, inside the migration's transaction.

use crate::store::engine::Tx;
use rusqlite::{OptionalExtension, params};

use super::log::{self, NewEntry};
use super::writes::insert_task;
use crate::error::Result;
use crate::model::{FieldChange, Plan};

pub(super) fn seed(tx: &Tx, plan: &Plan, user: &str) -> Result<()> {
    for (i, a) in plan.areas.iter().enumerate() {
        tx.execute(
            "INSERT INTO areas (code, name_vi, name_en, position) VALUES (?1, ?2, ?3, ?4)",
            params![a.code, a.name_vi, a.name_en, i as i64],
        )?;
    }
    for (i, a) in plan.agencies.iter().enumerate() {
        tx.execute(
            "INSERT INTO agencies (code, name, kind, position) VALUES (?1, ?2, ?3, ?4)",
            params![a.code, a.name, a.kind.as_str(), i as i64],
        )?;
    }
    for (i, ind) in plan.indicators.iter().enumerate() {
        let b = ind.baseline.as_ref();
        tx.execute(
            "INSERT INTO indicators (code, area, name, unit, direction, baseline_value, baseline_date, baseline_label, lead_agency, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                ind.code,
                ind.area,
                ind.name,
                ind.unit.as_str(),
                ind.direction.as_str(),
                b.and_then(|b| b.value),
                b.map(|b| b.date),
                b.map(|b| b.label.as_str()),
                ind.lead_agency,
                i as i64
            ],
        )?;
        for t in &ind.targets {
            tx.execute(
                "INSERT INTO targets (indicator, value, due) VALUES (?1, ?2, ?3)",
                params![ind.code, t.value, t.due],
            )?;
        }
    }
    let count = |n: usize| Some(n.to_string());
    let changes = [
        FieldChange {
            field: "areas".into(),
            old: None,
            new: count(plan.areas.len()),
        },
        FieldChange {
            field: "agencies".into(),
            old: None,
            new: count(plan.agencies.len()),
        },
        FieldChange {
            field: "indicators".into(),
            old: None,
            new: count(plan.indicators.len()),
        },
        FieldChange {
            field: "tasks".into(),
            old: None,
            new: count(plan.tasks.len()),
        },
        // Pins exactly which tasks were seeded, so `doctor` can replay the log from them.
        FieldChange {
            field: "tasks_sha256".into(),
            old: None,
            new: Some(seeded_tasks_hash(&plan.tasks)),
        },
    ];
    // What the file's `meta` holds, so `doctor` can hold it to the log: its id, and its time
    // zone when one was chosen.
    let mut changes = changes.to_vec();
    let mut meta = tx.prepare(
        "SELECT key, value FROM meta WHERE key IN ('file_id', 'time_zone') ORDER BY key",
    )?;
    let rows = meta.query_map((), |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        changes.push(FieldChange {
            field: key,
            old: None,
            new: Some(value),
        });
    }
    drop(meta);
    let seq = log::append(
        tx,
        NewEntry {
            user,
            entity: "plan",
            entity_id: "ke-hoach-cchc-2026-2030",
            action: "seed",
            changes: &changes,
            note: Some("Kế hoạch CCHC nhà nước tỉnh Lạng Sơn giai đoạn 2026-2030"),
            undo_of: None,
        },
    )?;
    let at = log::stamp(tx)?;
    let mut stmt = tx.prepare(super::writes::INSERT_TASK)?;
    for t in &plan.tasks {
        insert_task(&mut stmt, t, user, &at, seq)?;
    }
    Ok(())
}

impl super::Store {
    /// Sets the province's time zone (`meta` key `time_zone`), logged: every date a write
    /// takes is the province's date in it (`context::date_of`). Once members exist, only a
    /// secretary may; setting the zone it has changes nothing.
    pub fn set_time_zone(&mut self, zone: chrono_tz::Tz) -> Result<()> {
        let user = self.user.clone();
        let name = zone.name().to_string();
        self.write(|tx| {
            super::members::Permissions::load(tx, &user)?
                .check_manage()
                .map_err(crate::error::Error::Denied)?;
            let old: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key = 'time_zone'", (), |r| {
                    r.get(0)
                })
                .optional()?;
            let old = old.unwrap_or_else(|| crate::context::DEFAULT_TIME_ZONE.name().to_string());
            if old == name {
                return Ok(());
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('time_zone', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [&name],
            )?;
            log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "meta",
                    entity_id: "time_zone",
                    action: "set",
                    changes: &[FieldChange {
                        field: "time_zone".into(),
                        old: Some(old),
                        new: Some(name.clone()),
                    }],
                    note: None,
                    undo_of: None,
                },
            )?;
            Ok(())
        })?;
        crate::context::set_time_zone(zone);
        Ok(())
    }
}

/// The hash of the seeded tasks as inserted (ids 1, 2, … in this order).
pub(super) fn seeded_tasks_hash(tasks: &[crate::model::NewTask]) -> String {
    use sha2::{Digest, Sha256};
    let text = serde_json::to_string(tasks).unwrap_or_default();
    hex::encode(Sha256::digest(text.as_bytes()))
}
