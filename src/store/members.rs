//! Who may change what: the working group's own rule, kept in the `members` table and enforced
//! by the store inside every write transaction. It keeps members from changing another
//! agency's work, and every refusal is logged.
//!
//! - Each member is bound to an OS login (`member add NAME --login LOGIN`, default NAME). Once
//!   members exist, a process may act only as the member bound to its real uid's login: a
//!   `--user` naming another member is refused ("you are logged in as ha…"). Root administers
//!   the host and may act as any member. The file's Unix permissions remain the boundary against
//!   anyone who writes the file without cchc (see `doctor`'s replay of the change log).
//! - While no member is registered, everyone may do everything (a fresh install just works).
//!   The first member registered must be a secretary, so someone can manage the rest.
//! - A secretary may change anything and manage members.
//! - A member may change the tasks their agency leads or coordinates, add tasks their agency
//!   leads, and record measurements of the indicators their agency leads. Changing a task's
//!   lead agency, or adding a task another agency leads, is for a secretary: otherwise a
//!   coordinating member could take a task from its lead (whose members would then lose it).
//! - A viewer, and anyone not registered, may only read.

use crate::store::engine::{Db, Tx};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Store;
use super::log::{self, NewEntry};
use crate::error::{Error, Result};
use crate::model::{Agency, FieldChange, NewTask, RemindRule, Task};
use crate::text::nfc;

mod permissions;

pub use permissions::Permissions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Secretary,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Secretary => "secretary",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "member" => Some(Role::Member),
            "secretary" => Some(Role::Secretary),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

/// One registered member of the working group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub name: String,
    pub agency: String,
    pub role: Role,
    pub added_by: String,
    pub added_at: String,
    /// The OS login this member acts from.
    pub login: String,
}

fn member_from_row(r: &crate::store::engine::Row) -> rusqlite::Result<Member> {
    let role: String = r.get(2)?;
    Ok(Member {
        name: r.get(0)?,
        agency: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Viewer),
        added_by: r.get(3)?,
        added_at: r.get(4)?,
        login: r.get(5)?,
    })
}

const MEMBER_COLUMNS: &str = "name, agency, role, added_by, added_at, coalesce(login, name)";

pub(super) fn find_by_login(conn: &Db, login: &str) -> Result<Option<Member>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE coalesce(login, name) = ?1"
        ))?
        .query_row([login], member_from_row)
        .optional()?)
}

/// Why the real OS account `os` may not act as `user`, once members exist: a member's name is
/// theirs alone. `None` when it may (the same member, root, no members yet, or a `user` who is
/// no member: such a user may only read anyway).
fn impersonation(
    conn: &Db,
    user: &str,
    member: Option<&Member>,
    os: &crate::context::OsUser,
) -> Result<Option<String>> {
    let Some(member) = member else {
        return Ok(None);
    };
    // On a server the session's role is the member: nothing to claim.
    if conn.is_postgres() || os.is_root() || member.login == os.login {
        return Ok(None);
    }
    let you = match find_by_login(conn, &os.login)? {
        Some(m) => format!("member {}", m.name),
        None => "not a registered member".to_string(),
    };
    Ok(Some(format!(
        "you are logged in as {} ({you}); --user {user} is not you: drop --user (and CCHC_USER, and `user` in the config file) or log in as {}",
        os.login, member.login
    )))
}

fn find_member(conn: &Db, name: &str) -> Result<Option<Member>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members WHERE lower(name) = lower(?1)"
        ))?
        .query_row([name], member_from_row)
        .optional()?)
}

fn count(conn: &Db, sql: &str) -> Result<usize> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row((), |r| r.get::<_, i64>(0))? as usize)
}

impl Store {
    /// What the acting user may do now. Cheap; call it after each reload.
    pub fn permissions(&self) -> Result<Permissions> {
        let mut p = Permissions::load(&self.conn, &self.user)?;
        // A command that only reads opened the file read-only; that says nothing of the user.
        p.read_only = self
            .read_only
            .clone()
            .filter(|why| why != super::OPENED_FOR_READING);
        Ok(p)
    }

    /// Acts as the member bound to the real uid's login, if there is one (when no `--user` was
    /// given: a member named "Nguyễn Thị Lan" with login lan is found from the login alone).
    pub fn act_as_os_member(&mut self) -> Result<()> {
        if self.conn.is_postgres() {
            // The server named the member when the store opened.
            return Ok(());
        }
        if let Some(m) = find_by_login(&self.conn, &crate::context::os_user().login)? {
            self.user = m.name;
        }
        Ok(())
    }

    /// Every registered member, by agency then name.
    pub fn members(&self) -> Result<Vec<Member>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEMBER_COLUMNS} FROM members ORDER BY agency, name"
        ))?;
        let rows = stmt.query_map((), member_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Registers `name` (or changes an existing member's agency or role). Only a secretary may,
    /// except for the first member, whom anyone may register and who must be a secretary.
    pub fn add_member(&mut self, name: &str, agency: &str, role: Role) -> Result<Member> {
        self.add_member_with_login(name, None, agency, role)
    }

    /// As [`Store::add_member`], binding the member to the OS account `login` (a new member's
    /// default is their name; an existing member keeps theirs unless `login` is given).
    pub fn add_member_with_login(
        &mut self,
        name: &str,
        login: Option<&str>,
        agency: &str,
        role: Role,
    ) -> Result<Member> {
        let login = match login {
            Some(l) => Some(check_login(
                &crate::untrusted::name("login", l.trim())
                    .map_err(|e| Error::invalid(e.to_string()))?,
            )?),
            None => None,
        };
        // No invisible or control character: "lan" and "la\u{200b}n" must not be two members.
        let name = crate::untrusted::name("the member's name", name)?;
        let agency = agency.trim().to_string();
        let user = self.user.clone();
        self.write(|tx| {
            let perms = Permissions::load(tx, &user)?;
            perms.check_manage().map_err(Error::Denied)?;
            let known: Option<String> = tx
                .prepare_cached("SELECT code FROM agencies WHERE lower(code) = lower(?1)")?
                .query_row([&agency], |r| r.get(0))
                .optional()?;
            let Some(agency) = known else {
                return Err(Error::invalid(format!(
                    "unknown agency {agency:?}; `cchc agencies` lists the codes"
                )));
            };
            if perms.is_open() && role != Role::Secretary {
                return Err(Error::invalid(format!(
                    "the first member must be a secretary, so that someone can manage members: `cchc member add {name} --agency {agency} --role secretary`"
                )));
            }
            let old = find_member(tx, &name)?;
            if let Some(old) = &old
                && old.role == Role::Secretary
                && role != Role::Secretary
            {
                refuse_last_secretary(tx, &old.name)?;
            }
            let at = log::stamp(tx)?;
            let mut changes = Vec::new();
            let mut field = |f: &str, old: Option<&str>, new: &str| {
                if old != Some(new) {
                    changes.push(FieldChange {
                        field: f.into(),
                        old: old.map(String::from),
                        new: Some(new.to_string()),
                    });
                }
            };
            field("agency", old.as_ref().map(|m| m.agency.as_str()), &agency);
            field("role", old.as_ref().map(|m| m.role.as_str()), role.as_str());
            let login = login
                .or_else(|| old.as_ref().map(|m| m.login.clone()))
                .unwrap_or_else(|| name.clone());
            field("login", old.as_ref().map(|m| m.login.as_str()), &login);
            if let Some(other) = find_by_login(tx, &login)?
                && Some(&other.name) != old.as_ref().map(|m| &m.name)
            {
                return Err(Error::invalid(format!(
                    "the login {login} is already bound to member {}; give another with --login",
                    other.name
                )));
            }
            if let (true, Some(old)) = (changes.is_empty(), &old) {
                return Ok(old.clone());
            }
            let stored_name = old.as_ref().map(|m| m.name.clone()).unwrap_or(name);
            tx.prepare_cached(
                "INSERT INTO members (name, agency, role, added_by, added_at, login) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (name) DO UPDATE SET agency = excluded.agency, role = excluded.role, login = excluded.login",
            )?
            .execute(params![stored_name, agency, role.as_str(), user, at, login])?;
            if tx.is_postgres() {
                super::server::set_group(tx, &login, Some(role))?;
            }
            log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "member",
                    entity_id: &stored_name,
                    action: if old.is_some() { "update" } else { "add" },
                    changes: &changes,
                    note: None,
                    undo_of: None,
                },
            )?;
            find_member(tx, &stored_name)?
                .ok_or_else(|| Error::invalid("the member vanished during the write; try again"))
        })
    }

    /// Removes a member. Only a secretary may; the last secretary cannot be removed while other
    /// members remain (nobody could manage them).
    pub fn remove_member(&mut self, name: &str) -> Result<Member> {
        let name = nfc(name.trim());
        let user = self.user.clone();
        self.write(|tx| {
            let perms = Permissions::load(tx, &user)?;
            perms.check_manage().map_err(Error::Denied)?;
            let Some(old) = find_member(tx, &name)? else {
                return Err(Error::invalid(format!(
                    "{name:?} is not a registered member; `cchc member list` shows them"
                )));
            };
            if old.role == Role::Secretary {
                refuse_last_secretary(tx, &old.name)?;
            }
            tx.prepare_cached("DELETE FROM members WHERE name = ?1")?
                .execute([&old.name])?;
            if tx.is_postgres() {
                // The login stays (it may own a psql history); its cchc group goes.
                super::server::set_group(tx, &old.login, None)?;
            }
            log::append(
                tx,
                NewEntry {
                    user: &user,
                    entity: "member",
                    entity_id: &old.name,
                    action: "remove",
                    changes: &[
                        FieldChange {
                            field: "agency".into(),
                            old: Some(old.agency.clone()),
                            new: None,
                        },
                        FieldChange {
                            field: "role".into(),
                            old: Some(old.role.as_str().into()),
                            new: None,
                        },
                        FieldChange {
                            field: "login".into(),
                            old: Some(old.login.clone()),
                            new: None,
                        },
                    ],
                    note: None,
                    undo_of: None,
                },
            )?;
            Ok(old)
        })
    }

    /// Keeps a refusal in the change log, in its own small transaction (the refused write was
    /// rolled back). A refusal that cannot be logged (the disk is full…) is still refused.
    /// The entry names the acting member when the name was the caller's to use (their own,
    /// root's choice, or a server's session), else who really asked (the member bound to the OS
    /// login, else the login) with the claimed name, clipped, in its note: anyone may claim any
    /// `--user`. At most one entry a minute per member: the refusals between are counted, and
    /// the next entry says how many (`unlogged`), so a loop of refused attempts cannot grow the
    /// permanent log.
    pub(super) fn log_refusal(&mut self, why: &str) -> Result<()> {
        let os = crate::context::os_user();
        let login = if self.conn.is_postgres() {
            self.user.clone()
        } else {
            os.login.clone()
        };
        let bound = find_by_login(&self.conn, &login)?.map(|m| m.name);
        let members = count(&self.conn, "SELECT count(*) FROM members")?;
        let own_name = self.conn.is_postgres()
            || os.is_root()
            || members == 0
            || bound.as_deref() == Some(self.user.as_str());
        let (user, note) = if own_name {
            (
                crate::untrusted::clip(&self.user, crate::untrusted::MAX_NAME).into_owned(),
                why.to_string(),
            )
        } else {
            let claimed = crate::untrusted::clip(&self.user, crate::untrusted::MAX_NAME);
            (
                bound.unwrap_or_else(|| login.clone()),
                format!("claimed {claimed}: {why}"),
            )
        };
        let note = crate::untrusted::clip(&note, MAX_REFUSAL_NOTE).into_owned();
        let tx = self
            .conn
            .transaction_with_behavior(crate::store::engine::Behavior::Immediate)?;
        let now = tx.clock()?;
        let last: Option<(String, i64)> = tx
            .prepare_cached("SELECT at, unlogged FROM refusals WHERE member = ?1")?
            .query_row([&user], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let recent = last.as_ref().is_some_and(|(at, _)| {
            chrono::DateTime::parse_from_rfc3339(at).is_ok_and(|at| {
                (now - at.with_timezone(&chrono::Utc)).num_seconds() < REFUSAL_EVERY_SECS
            })
        });
        if recent {
            tx.prepare_cached("UPDATE refusals SET unlogged = unlogged + 1 WHERE member = ?1")?
                .execute([&user])?;
            tx.commit()?;
            return Ok(());
        }
        let unlogged = last.map_or(0, |(_, n)| n);
        let changes: Vec<FieldChange> = (unlogged > 0)
            .then(|| FieldChange {
                field: "unlogged".into(),
                old: None,
                new: Some(unlogged.to_string()),
            })
            .into_iter()
            .collect();
        let id = log::append(
            &tx,
            NewEntry {
                user: &user,
                entity: "access",
                entity_id: &login,
                action: "refused",
                changes: &changes,
                note: Some(&note),
                undo_of: None,
            },
        )?;
        tx.prepare_cached(
            "INSERT INTO refusals (member, entry, at, unlogged) VALUES (?1, ?2, ?3, 0)
             ON CONFLICT (member) DO UPDATE SET entry = excluded.entry, at = excluded.at, unlogged = 0",
        )?
        .execute(params![user, id, log::stamp(&tx)?])?;
        tx.commit()?;
        Ok(())
    }
}

/// An OS login as `useradd` makes them (letters, digits, `_`, `.`, `-`, not first, an optional
/// final `$`, at most 32): a path such as `../root` or a name with spaces binds nobody.
fn check_login(login: &str) -> Result<String> {
    let body = login.strip_suffix('$').unwrap_or(login);
    let ok = !body.is_empty()
        && login.len() <= 32
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        && !body.starts_with(['-', '.']);
    if ok {
        Ok(login.to_string())
    } else {
        Err(Error::invalid(format!(
            "{:?} is not a login name; give the member's OS login as `id -un` prints it (letters, digits, '_', '.', '-')",
            crate::untrusted::line(login)
        )))
    }
}

/// Refusals are logged at most once in this many seconds per member.
const REFUSAL_EVERY_SECS: i64 = 60;

/// Longest reason kept for a refused attempt, in characters.
const MAX_REFUSAL_NOTE: usize = 500;

/// Refuses to demote or remove `name`, the last secretary, while other members remain.
fn refuse_last_secretary(tx: &Tx, name: &str) -> Result<()> {
    let others = count(tx, "SELECT count(*) FROM members")? - 1;
    let secretaries: usize = tx
        .prepare_cached("SELECT count(*) FROM members WHERE role = 'secretary' AND name <> ?1")?
        .query_row([name], |r| r.get::<_, i64>(0))? as usize;
    if others > 0 && secretaries == 0 {
        return Err(Error::invalid(format!(
            "{name} is the last secretary and {others} other member(s) remain: nobody could manage them; add another secretary first"
        )));
    }
    Ok(())
}
