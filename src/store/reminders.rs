//! Đôn đốc: the letters urging agencies (`cchc remind`) and their mail. Each letter made is a
//! `reminder` `letter` entry of the change log and a row of `reminders`; a mail the server
//! accepted is a `mail` entry on the same reminder, written after the server said yes (nothing
//! is recorded as sent before). Who may write them is the file's rule (`meta` remind_by, set
//! by a secretary with `cchc member remind-right`): secretaries only unless it says more.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::engine::{Db, Row, Tx};
use super::log::{self, NewEntry};
use super::members::Permissions;
use crate::error::{Error, Result};
use crate::model::{FieldChange, Mailed, RemindRule, Reminder, ReportPeriod};

/// A letter to record: the agency, the period whose sheet goes with it, the tasks it names
/// (overdue first), and the day by which the agency is asked to answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReminder {
    pub agency: String,
    pub period: ReportPeriod,
    pub tasks: Vec<i64>,
    pub respond_by: NaiveDate,
}

/// A mail the server accepted: to whom, and its Message-ID (without angle brackets).
#[derive(Debug, Clone, PartialEq)]
pub struct MailAccepted {
    pub to: Vec<String>,
    pub message_id: String,
}

const COLUMNS: &str = "id, agency, period, tasks, respond_by, made_on, made_by, made_at, mailed_to, mailed_at, message_id";

fn ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|t| t.trim().parse().ok()).collect()
}

fn joined(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn from_row(r: &Row) -> rusqlite::Result<Reminder> {
    let period: String = r.get(2)?;
    let tasks: String = r.get(3)?;
    let to: Option<String> = r.get(8)?;
    let at: Option<String> = r.get(9)?;
    let message_id: Option<String> = r.get(10)?;
    let mail = match (to, at) {
        (Some(to), Some(at)) => Some(Mailed {
            to: to.split(',').map(str::to_string).collect(),
            at,
            message_id: message_id.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(Reminder {
        id: r.get(0)?,
        agency: r.get(1)?,
        // Written by `record_reminder` from a `ReportPeriod`; a row changed by hand to
        // something else is doctor's to name, and reads as the year of its letter.
        period: ReportPeriod::parse(&period)
            .unwrap_or_else(|_| ReportPeriod::current(NaiveDate::default())),
        tasks: ids(&tasks),
        respond_by: r.get(4)?,
        made_on: r.get(5)?,
        made_by: r.get(6)?,
        made_at: r.get(7)?,
        mail,
    })
}

/// The file's rule of who may urge agencies (`meta` remind_by); secretaries only when unset.
pub(super) fn remind_rule(conn: &Db) -> Result<RemindRule> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'remind_by'")?
        .query_row((), |r| r.get(0))
        .optional()?;
    Ok(stored
        .map(|s| RemindRule::from_stored(&s))
        .unwrap_or_default())
}

fn reminder(tx: &Tx, id: i64) -> Result<Reminder> {
    tx.prepare_cached(&format!("SELECT {COLUMNS} FROM reminders WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::invalid(format!("no reminder #{id}")))
}

fn change(field: &str, new: String) -> FieldChange {
    FieldChange {
        field: field.into(),
        old: None,
        new: Some(new),
    }
}

/// Logs and stores the mail of reminder `id`, stamped with the entry's instant.
fn write_mail(tx: &Tx, user: &str, id: i64, mail: &MailAccepted) -> Result<()> {
    let to = mail.to.join(",");
    tx.prepare_cached(
        "UPDATE reminders SET mailed_to = ?1, mailed_at = ?2, message_id = ?3 WHERE id = ?4",
    )?
    .execute(params![to, log::stamp(tx)?, mail.message_id, id])?;
    log::append(
        tx,
        NewEntry {
            user,
            entity: "reminder",
            entity_id: &id.to_string(),
            action: "mail",
            changes: &[
                change("mailed_to", to.clone()),
                change("message_id", mail.message_id.clone()),
            ],
            note: None,
            undo_of: None,
        },
    )?;
    Ok(())
}

impl Store {
    /// The letters urging `agency` (every agency's with `None`), oldest first.
    pub fn reminders(&self, agency: Option<&str>) -> Result<Vec<Reminder>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM reminders
             WHERE CAST(?1 AS TEXT) IS NULL OR agency = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([agency], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Today by the clock that stamps this store's writes, in the province's time zone: the
    /// day a letter written now is made on.
    pub fn clock_date(&self) -> Result<NaiveDate> {
        Ok(crate::context::date_of(self.conn.now()?))
    }

    /// Who may urge agencies, as the file says.
    pub fn remind_rule(&self) -> Result<RemindRule> {
        remind_rule(&self.conn)
    }

    /// Records a letter made for `new.agency` (a `letter` entry), and with `mail` the mail a
    /// server accepted for it (a `mail` entry), in one transaction. Refused unless the user may
    /// urge agencies; the agency must exist.
    pub fn record_reminder(
        &mut self,
        new: &NewReminder,
        mail: Option<&MailAccepted>,
    ) -> Result<Reminder> {
        let user = self.user.clone();
        self.write(|tx| {
            Permissions::load(tx, &user)?
                .check_remind()
                .map_err(Error::Denied)?;
            let known: Option<String> = tx
                .prepare_cached("SELECT code FROM agencies WHERE code = ?1")?
                .query_row([&new.agency], |r| r.get(0))
                .optional()?;
            if known.is_none() {
                return Err(Error::invalid(format!(
                    "no agency {:?}; `cchc agency list` lists the codes",
                    new.agency
                )));
            }
            let id: i64 = tx.query_row(
                "SELECT coalesce(max(id), 0) + 1 FROM reminders",
                (),
                |r| r.get(0),
            )?;
            let (period, tasks) = (new.period.to_string(), joined(&new.tasks));
            let made_on = log::today(tx)?;
            tx.prepare_cached(
                "INSERT INTO reminders (id, agency, period, tasks, respond_by, made_on, made_by, made_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                new.agency,
                period,
                tasks,
                new.respond_by,
                made_on,
                user,
                log::stamp(tx)?
            ])?;
            log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "reminder",
                    entity_id: &id.to_string(),
                    action: "letter",
                    changes: &[
                        change("agency", new.agency.clone()),
                        change("period", period),
                        change("tasks", tasks),
                        change("respond_by", new.respond_by.to_string()),
                        change("made_on", made_on.to_string()),
                    ],
                    note: None,
                    undo_of: None,
                },
            )?;
            if let Some(mail) = mail {
                write_mail(tx, &user, id, mail)?;
            }
            reminder(tx, id)
        })
    }

    /// Records the mail a server accepted for reminder `id`, a letter made earlier that had
    /// not been mailed.
    pub fn record_mail(&mut self, id: i64, mail: &MailAccepted) -> Result<Reminder> {
        let user = self.user.clone();
        self.write(|tx| {
            Permissions::load(tx, &user)?
                .check_remind()
                .map_err(Error::Denied)?;
            if reminder(tx, id)?.mail.is_some() {
                return Err(Error::invalid(format!("reminder #{id} was mailed already")));
            }
            write_mail(tx, &user, id, mail)?;
            reminder(tx, id)
        })
    }

    /// Sets who may urge agencies (a secretary, or anyone while no member is registered);
    /// logged. Returns whether it changed. An agency's rule must name a registered agency.
    pub fn set_remind_rule(&mut self, rule: &RemindRule) -> Result<bool> {
        let user = self.user.clone();
        self.write(|tx| {
            Permissions::load(tx, &user)?.check_manage().map_err(|_| {
                Error::Denied(format!(
                    "{user} is not a secretary: only a secretary may say who urges agencies"
                ))
            })?;
            if let RemindRule::Agency(code) = rule {
                let known: Option<String> = tx
                    .prepare_cached("SELECT code FROM agencies WHERE code = ?1")?
                    .query_row([code], |r| r.get(0))
                    .optional()?;
                if known.is_none() {
                    return Err(Error::invalid(format!(
                        "no agency {code:?}; `cchc agency list` lists the codes"
                    )));
                }
            }
            let old = remind_rule(tx)?;
            if &old == rule {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('remind_by', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [rule.as_stored()],
            )?;
            log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "meta",
                    entity_id: "remind_by",
                    action: "set",
                    changes: &[FieldChange {
                        field: "remind_by".into(),
                        old: Some(old.as_stored()),
                        new: Some(rule.as_stored()),
                    }],
                    note: None,
                    undo_of: None,
                },
            )?;
            Ok(true)
        })
    }
}
