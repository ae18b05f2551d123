//! Agencies registered after the seed (`cchc agency add|set|rename|import`), and where to reach
//! each (its mail addresses and addressee, for the letters urging it). Each one owes, from
//! the day it is added, the plan's duties addressed to its kind, expanded by the same function
//! that seeded the plan (`plan::expand_duty`). The first commune registered on its own takes
//! over the "UBND các xã, phường" group's duties still to come (see README, "The plan as data").

use crate::store::engine::{Db, Tx};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::log::{self, NewEntry};
use super::members::Permissions;
use super::writes::{BY_PLAN_REF, INSERT_TASK, insert_task};
use crate::error::{Error, Result};
use crate::model::{Agency, AgencyKind, Duty, FieldChange};
use crate::plan::{COMMUNE_GROUP, expand_duty};

/// An agency as `cchc agency list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyRow {
    pub code: String,
    pub name: String,
    pub kind: AgencyKind,
    /// The day it was registered; `None` for the agencies of the plan itself.
    pub added_on: Option<NaiveDate>,
    pub added_by: String,
    /// Its official mail addresses (`agency::check_emails`), none when not given.
    pub emails: Vec<String>,
    /// The title a letter is addressed to; empty when not given (the agency's name is used).
    pub addressee: String,
}

impl AgencyRow {
    /// Who a letter to this agency is addressed to: its addressee, else its name.
    pub fn addressed_to(&self) -> &str {
        if self.addressee.is_empty() {
            &self.name
        } else {
            &self.addressee
        }
    }
}

/// Where to reach an agency: its mail addresses and the title a letter is addressed to,
/// already checked (`agency::check_emails`, `check_addressee`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub emails: Vec<String>,
    pub addressee: String,
}

/// One agency to register, with where it came from for messages ("row 4" of an import file).
#[derive(Debug, Clone)]
pub struct NewAgency {
    pub agency: Agency,
    pub contact: Contact,
    pub row: Option<usize>,
}

/// A registered agency as a change left it, and the fields that changed.
pub type AgencyChanged = (AgencyRow, Vec<FieldChange>);

/// What to change of a registered agency (`cchc agency set`, an import's row naming it): each
/// field given is set, checked already.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgencyChange {
    pub code: String,
    pub name: Option<String>,
    pub emails: Option<Vec<String>>,
    pub addressee: Option<String>,
    pub row: Option<usize>,
}

/// What registering one agency did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyAdded {
    pub agency: Agency,
    pub added_on: NaiveDate,
    /// Tasks created from the duties addressed to its kind.
    pub tasks_created: usize,
    /// Tasks of the commune group taken over (only for the first commune).
    pub group_tasks_withdrawn: usize,
}

fn read_agencies(tx: &Tx) -> Result<Vec<Agency>> {
    let mut stmt = tx.prepare_cached("SELECT code, name, kind FROM agencies")?;
    let rows = stmt.query_map((), |r| {
        let kind: String = r.get(2)?;
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, kind))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (code, name, kind) = row?;
        let kind = AgencyKind::parse(&kind)
            .ok_or_else(|| Error::invalid(format!("agency {code} has an unknown kind {kind:?}")))?;
        out.push(Agency { code, name, kind });
    }
    Ok(out)
}

fn at_row(row: Option<usize>, msg: String) -> Error {
    match row {
        Some(r) => Error::invalid(format!("row {r}: {msg}")),
        None => Error::invalid(msg),
    }
}

impl Store {
    /// Every agency with the day it was registered, in list order.
    pub fn agency_rows(&self) -> Result<Vec<AgencyRow>> {
        agency_rows(&self.conn)
    }

    /// Registers agencies, all or nothing, on `added_on` (today): each logged, each given the
    /// instances of `duties` addressed to its kind that fall due on or after that day, each
    /// instance logged. Codes and names must already have passed `agency::check_code` and
    /// `check_name`; here they are checked against the file and each other.
    pub fn add_agencies(
        &mut self,
        new: &[NewAgency],
        added_on: NaiveDate,
        duties: &[Duty],
        source: Option<&str>,
    ) -> Result<Vec<AgencyAdded>> {
        Ok(self.change_agencies(new, &[], added_on, duties, source)?.0)
    }

    /// Registers `new` agencies and changes registered ones (`changes`), all in one
    /// transaction (an import file's rows): each addition as [`Store::add_agencies`], each
    /// change logged as an `update` of the fields that differ. Returns what was added and, per
    /// changed agency, its row as it now is and what changed (agencies whose fields were
    /// already so are left out).
    pub fn change_agencies(
        &mut self,
        new: &[NewAgency],
        changes: &[AgencyChange],
        added_on: NaiveDate,
        duties: &[Duty],
        source: Option<&str>,
    ) -> Result<(Vec<AgencyAdded>, Vec<AgencyChanged>)> {
        let user = self.user.clone();
        self.write(|tx| {
            let what = match (new, changes) {
                ([one], []) => format!("add agency {}", one.agency.code),
                ([], [one]) => format!("change agency {}", one.code),
                _ => format!("add or change {} agencies", new.len() + changes.len()),
            };
            Permissions::load(tx, &user)?.require_agency_admin(&what)?;
            let mut known = read_agencies(tx)?;
            let mut added = Vec::with_capacity(new.len());
            for n in new {
                crate::agency::check_distinct(&n.agency, &known).map_err(|e| at_row(n.row, e))?;
                added.push(add_one(tx, &user, n, added_on, duties, source)?);
                known.push(n.agency.clone());
            }
            let mut changed = Vec::new();
            for c in changes {
                let fields = change_one(tx, &user, c, &known, source)?;
                if !fields.is_empty() {
                    let row = agency_rows(tx)?
                        .into_iter()
                        .find(|a| a.code == c.code)
                        .ok_or_else(|| Error::invalid(format!("no agency {:?}", c.code)))?;
                    changed.push((row, fields));
                }
            }
            Ok((added, changed))
        })
    }

    /// Gives agency `code` a new name (logged). Returns the agency and its former name.
    pub fn rename_agency(&mut self, code: &str, name: &str) -> Result<(Agency, String)> {
        let user = self.user.clone();
        self.write(|tx| {
            Permissions::load(tx, &user)?.require_agency_admin(&format!("rename agency {code}"))?;
            let known = read_agencies(tx)?;
            let Some(old) = known.iter().find(|a| a.code == code).cloned() else {
                let like = known
                    .iter()
                    .find(|a| crate::text::fold(&a.code) == crate::text::fold(code));
                return Err(Error::invalid(match like {
                    Some(a) => format!("no agency {code:?}; did you mean {}?", a.code),
                    None => format!("no agency {code:?}; `cchc agency list` lists the codes"),
                }));
            };
            let renamed = Agency {
                name: name.to_string(),
                ..old.clone()
            };
            if old.name == renamed.name {
                return Ok((renamed, old.name));
            }
            let others: Vec<Agency> = known.into_iter().filter(|a| a.code != code).collect();
            crate::agency::check_distinct(&renamed, &others).map_err(Error::invalid)?;
            tx.prepare_cached("UPDATE agencies SET name = ?1 WHERE code = ?2")?
                .execute(params![renamed.name, code])?;
            log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "agency",
                    entity_id: code,
                    action: "rename",
                    changes: &[FieldChange {
                        field: "name".into(),
                        old: Some(old.name.clone()),
                        new: Some(renamed.name.clone()),
                    }],
                    note: None,
                    undo_of: None,
                },
            )?;
            Ok((renamed, old.name))
        })
    }
}

fn add_one(
    tx: &Tx,
    user: &str,
    new: &NewAgency,
    added_on: NaiveDate,
    duties: &[Duty],
    source: Option<&str>,
) -> Result<AgencyAdded> {
    let a = &new.agency;
    let email = new.contact.emails.join(",");
    tx.prepare_cached(
        "INSERT INTO agencies (code, name, kind, position, added_on, added_by, email, addressee)
         VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM agencies), ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        a.code,
        a.name,
        a.kind.as_str(),
        added_on,
        user,
        email,
        new.contact.addressee
    ])?;
    let text = |s: &str| Some(s.to_string());
    let mut changes = vec![
        FieldChange {
            field: "name".into(),
            old: None,
            new: text(&a.name),
        },
        FieldChange {
            field: "kind".into(),
            old: None,
            new: text(a.kind.as_str()),
        },
        FieldChange {
            field: "added_on".into(),
            old: None,
            new: Some(added_on.to_string()),
        },
    ];
    // Where to reach it, when given (an entry without them is an agency without them).
    for (field, value) in [("email", &email), ("addressee", &new.contact.addressee)] {
        if !value.is_empty() {
            changes.push(FieldChange {
                field: field.into(),
                old: None,
                new: text(value),
            });
        }
    }
    log::append(
        tx,
        NewEntry {
            user,
            entity: "agency",
            entity_id: &a.code,
            action: "add",
            changes: &changes,
            note: source.map(|s| format!("from {s}")).as_deref(),
            undo_of: None,
        },
    )?;

    let mine: Vec<&Duty> = duties
        .iter()
        .filter(|d| d.for_kinds.contains(&a.kind))
        .collect();
    let at = log::stamp(tx)?;
    let mut tasks_created = 0;
    for duty in &mine {
        for t in expand_duty(duty, &a.code, Some(added_on)) {
            if plan_ref_taken(tx, &t.plan_ref)? {
                continue;
            }
            // The row carries the id its log entry will get: the write lock is ours.
            let seq = log::next_id(tx)?;
            let mut insert = tx.prepare_cached(INSERT_TASK)?;
            let id = insert_task(&mut insert, &t, user, &at, seq)?;
            let note = format!(
                "duty {} of every {} agency, owed by {} from {added_on}",
                duty.plan_ref,
                a.kind.as_str(),
                a.code
            );
            let logged = log::append(
                tx,
                NewEntry {
                    user,
                    entity: "task",
                    entity_id: &id.to_string(),
                    action: "create",
                    // Every field, as for any created task, so the log alone rebuilds it.
                    changes: &super::writes::creation_changes(&t),
                    note: Some(&note),
                    undo_of: None,
                },
            )?;
            debug_assert_eq!(logged, seq);
            tasks_created += 1;
        }
    }

    let mut group_tasks_withdrawn = 0;
    if a.kind == AgencyKind::Commune && a.code != COMMUNE_GROUP {
        for duty in &mine {
            for t in expand_duty(duty, COMMUNE_GROUP, Some(added_on)) {
                group_tasks_withdrawn += withdraw_group_task(tx, user, &t.plan_ref, a, added_on)?;
            }
        }
    }
    Ok(AgencyAdded {
        agency: a.clone(),
        added_on,
        tasks_created,
        group_tasks_withdrawn,
    })
}

fn agency_rows(conn: &Db) -> Result<Vec<AgencyRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name, kind, added_on, added_by, email, addressee FROM agencies
         ORDER BY position, code",
    )?;
    let rows = stmt.query_map((), |r| {
        let kind: String = r.get(2)?;
        let email: String = r.get(5)?;
        Ok(AgencyRow {
            code: r.get(0)?,
            name: r.get(1)?,
            kind: AgencyKind::parse(&kind).unwrap_or(AgencyKind::Department),
            added_on: r.get(3)?,
            added_by: r.get(4)?,
            emails: email
                .split(',')
                .filter(|e| !e.is_empty())
                .map(str::to_string)
                .collect(),
            addressee: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets what `c` gives of a registered agency and logs the fields that changed (an `update`
/// entry); returns them, none when all were already so.
fn change_one(
    tx: &Tx,
    user: &str,
    c: &AgencyChange,
    known: &[Agency],
    source: Option<&str>,
) -> Result<Vec<FieldChange>> {
    let row = agency_rows(tx)?
        .into_iter()
        .find(|a| a.code == c.code)
        .ok_or_else(|| {
            at_row(
                c.row,
                format!(
                    "no agency {:?}; `cchc agency list` lists the codes, `cchc agency add` registers one",
                    c.code
                ),
            )
        })?;
    let mut changes = Vec::new();
    let mut differs = |field: &str, old: &str, new: &Option<String>| match new {
        Some(new) if new != old => {
            changes.push(FieldChange {
                field: field.into(),
                old: Some(old.to_string()).filter(|o| !o.is_empty()),
                new: Some(new.clone()).filter(|n| !n.is_empty()),
            });
            true
        }
        _ => false,
    };
    let name_changes = differs("name", &row.name, &c.name);
    let emails = c.emails.as_ref().map(|e| e.join(","));
    differs("email", &row.emails.join(","), &emails);
    differs("addressee", &row.addressee, &c.addressee);
    if changes.is_empty() {
        return Ok(changes);
    }
    if let Some(name) = c.name.as_ref().filter(|_| name_changes) {
        let renamed = Agency {
            name: name.clone(),
            code: row.code.clone(),
            kind: row.kind,
        };
        let others: Vec<Agency> = known.iter().filter(|a| a.code != c.code).cloned().collect();
        crate::agency::check_distinct(&renamed, &others).map_err(|e| at_row(c.row, e))?;
        // Only when it changes: the search text of the agency's tasks follows its name.
        tx.prepare_cached("UPDATE agencies SET name = ?1 WHERE code = ?2")?
            .execute(params![name, c.code])?;
    }
    tx.prepare_cached("UPDATE agencies SET email = ?1, addressee = ?2 WHERE code = ?3")?
        .execute(params![
            emails.unwrap_or_else(|| row.emails.join(",")),
            c.addressee.as_ref().unwrap_or(&row.addressee),
            c.code
        ])?;
    log::append(
        tx,
        NewEntry {
            user,
            entity: "agency",
            entity_id: &c.code,
            action: "update",
            changes: &changes,
            note: source.map(|s| format!("from {s}")).as_deref(),
            undo_of: None,
        },
    )?;
    Ok(changes)
}

fn plan_ref_taken(tx: &Tx, plan_ref: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached(&format!("SELECT 1 FROM tasks WHERE {BY_PLAN_REF}"))?
        .query_row([plan_ref], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Withdraws the group's task `plan_ref` if it is still listed and not done: the communes
/// registered one by one owe it now, so counting it too would count the period twice.
fn withdraw_group_task(
    tx: &Tx,
    user: &str,
    plan_ref: &str,
    first: &Agency,
    on: NaiveDate,
) -> Result<usize> {
    let id: Option<i64> = tx
        .prepare_cached(&format!(
            "SELECT id FROM tasks WHERE {BY_PLAN_REF} AND withdrawn_on IS NULL AND status <> 'done'"
        ))?
        .query_row([plan_ref], |r| r.get(0))
        .optional()?;
    let Some(id) = id else { return Ok(0) };
    let seq = log::next_id(tx)?;
    tx.prepare_cached(
        "UPDATE tasks SET withdrawn_on = ?1, version = version + 1, updated_by = ?2,
            updated_at = ?3, change_seq = ?4
         WHERE id = ?5",
    )?
    .execute(params![on, user, log::stamp(tx)?, seq, id])?;
    let note = format!(
        "taken over by the communes registered one by one (the first: {}); no longer counted for {COMMUNE_GROUP}",
        first.code
    );
    log::append(
        tx,
        NewEntry {
            user,
            entity: "task",
            entity_id: &id.to_string(),
            action: "withdraw",
            changes: &[FieldChange {
                field: "withdrawn_on".into(),
                old: None,
                new: Some(on.to_string()),
            }],
            note: Some(&note),
            undo_of: None,
        },
    )?;
    Ok(1)
}
