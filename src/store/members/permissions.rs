//! `Permissions`: what the acting member may do, read from the `members` table, and the checks
//! every write asks of it (the rule itself is described in `members.rs`).

use super::*;

/// What the acting user may do, as of one read of the `members` table. The TUI asks it what to
/// show; the store asks it again inside each write transaction, so a stale copy can hide too
/// much or too little on screen but never lets a write through.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Permissions {
    pub user: String,
    /// The user's registration, if any.
    pub member: Option<Member>,
    /// How many members are registered; while none is, everyone may edit.
    pub members_registered: usize,
    /// Why the file cannot be written at all, if it cannot (then nothing may be changed).
    pub read_only: Option<String>,
    /// Why the OS account running cchc may not act as `user`, if it may not.
    pub not_you: Option<String>,
    /// Who may urge agencies (`cchc remind`), as the file says.
    pub remind_rule: RemindRule,
}

impl Permissions {
    /// Reads the rule for `user` (inside a write transaction, or on a plain connection).
    pub(in crate::store) fn load(conn: &Db, user: &str) -> Result<Permissions> {
        let member = find_member(conn, user)?;
        let not_you = impersonation(conn, user, member.as_ref(), crate::context::os_user())?;
        Ok(Permissions {
            user: user.to_string(),
            member,
            members_registered: count(conn, "SELECT count(*) FROM members")?,
            read_only: None,
            not_you,
            remind_rule: super::super::reminders::remind_rule(conn)?,
        })
    }

    /// The acting user's role; `None` for an unregistered user (or anyone while no member is
    /// registered).
    pub fn role(&self) -> Option<Role> {
        self.member.as_ref().map(|m| m.role)
    }

    /// True while no member is registered: everyone may edit.
    pub fn is_open(&self) -> bool {
        self.members_registered == 0
    }

    /// One line for a status bar: "lan · secretary (SNV)", "ha · viewer (STP) · read only"…
    pub fn describe(&self) -> String {
        let who = match &self.member {
            _ if self.not_you.is_some() => {
                format!("{} · not you: read only", self.user)
            }
            _ if self.is_open() => {
                format!("{} · no members registered, everyone may edit", self.user)
            }
            Some(m) => format!("{} · {} ({})", self.user, m.role.as_str(), m.agency),
            None => format!("{} · not a registered member", self.user),
        };
        match &self.read_only {
            Some(_) => format!("{who} · read only"),
            None if !self.may_write_something() => format!("{who} · read only"),
            None => who,
        }
    }

    /// Whether the user may write anything at all (so the TUI can hide every edit action).
    pub fn can_write(&self) -> bool {
        self.read_only.is_none() && self.may_write_something()
    }

    pub fn can_edit_task(&self, t: &Task) -> bool {
        self.read_only.is_none() && self.check_task(t, "change").is_ok()
    }

    /// Whether the user may add a task led by `lead` with these coordinating agencies.
    /// (Coordinating agencies do not matter: a member adds tasks only for their own agency.)
    pub fn can_add_task(&self, lead: &str, _coordinating: &[String]) -> bool {
        self.read_only.is_none() && self.check_new_task("add a task", lead).is_ok()
    }

    /// Whether the user may record a measurement of an indicator led by `lead_agency`.
    pub fn can_record(&self, lead_agency: &str) -> bool {
        self.read_only.is_none() && self.check_record("", lead_agency).is_ok()
    }

    /// Whether the user may urge agencies (make a letter, mail it) under the file's rule.
    pub fn can_remind(&self) -> bool {
        self.read_only.is_none() && self.check_remind().is_ok()
    }

    /// Why the user may not urge agencies, if they may not: the file's read-only reason, or
    /// the rule's.
    pub fn remind_refusal(&self) -> Option<String> {
        match &self.read_only {
            Some(why) => Some(why.clone()),
            None => self.check_remind().err(),
        }
    }

    /// May the user urge agencies? A secretary (or anyone while no member is registered)
    /// always; a member when the rule lets their agency's members; a viewer never.
    pub(in crate::store) fn check_remind(&self) -> Result<(), String> {
        if let Some(rule) = self.read_only_rule() {
            return Err(rule);
        }
        match &self.member {
            Some(m) if m.role == Role::Member && !self.is_open() => {
                if self.remind_rule.lets_member_of(&m.agency) {
                    Ok(())
                } else {
                    Err(format!(
                        "{} (member for {}) may not urge agencies: the rule lets {}; a secretary changes it with `cchc member remind-right`",
                        self.user,
                        m.agency,
                        self.remind_rule.describe(crate::model::Lang::En)
                    ))
                }
            }
            _ => Ok(()),
        }
    }

    pub fn can_manage_members(&self) -> bool {
        self.read_only.is_none() && self.check_manage().is_ok()
    }

    pub(super) fn may_write_something(&self) -> bool {
        self.not_you.is_none()
            && (self.is_open() || matches!(self.role(), Some(Role::Member | Role::Secretary)))
    }

    pub(super) fn secretary_or_open(&self) -> bool {
        self.not_you.is_none() && (self.is_open() || self.role() == Some(Role::Secretary))
    }

    /// Who is refused and why, for a viewer or an unregistered user.
    pub(super) fn read_only_rule(&self) -> Option<String> {
        if let Some(why) = &self.not_you {
            return Some(why.clone());
        }
        match &self.member {
            _ if self.is_open() => None,
            None => Some(format!(
                "{} is not a registered member, and once members are registered only they may change the plan; ask a secretary to run `cchc member add {} --agency CODE --role member`",
                self.user, self.user
            )),
            Some(m) if m.role == Role::Viewer => Some(format!(
                "{} is a viewer and may only read; ask a secretary to change the role",
                self.user
            )),
            Some(_) => None,
        }
    }

    /// May the user `what` ("change task 12", "add a task") led by `lead` with `coordinating`?
    pub(super) fn check_agencies(
        &self,
        what: &str,
        lead: &str,
        coordinating: &[String],
    ) -> Result<(), String> {
        if let Some(rule) = self.read_only_rule() {
            return Err(rule);
        }
        match &self.member {
            Some(m)
                if m.role == Role::Member
                    && lead != m.agency
                    && !coordinating.contains(&m.agency) =>
            {
                let with = if coordinating.is_empty() {
                    String::new()
                } else {
                    format!(" with {}", coordinating.join(", "))
                };
                Err(format!(
                    "{} (member for {}) may not {what} (led by {lead}{with}): a member changes only tasks their agency leads or coordinates; ask a secretary",
                    self.user, m.agency
                ))
            }
            _ => Ok(()),
        }
    }

    /// May the user add a task led by `lead`? A member only for their own agency.
    pub(super) fn check_new_task(&self, what: &str, lead: &str) -> Result<(), String> {
        if let Some(rule) = self.read_only_rule() {
            return Err(rule);
        }
        match &self.member {
            Some(m) if m.role == Role::Member && lead != m.agency => Err(format!(
                "{} (member for {}) may not {what} led by {lead}: a member adds tasks only for their own agency; ask a secretary",
                self.user, m.agency
            )),
            _ => Ok(()),
        }
    }

    pub(super) fn check_task(&self, t: &Task, verb: &str) -> Result<(), String> {
        self.check_agencies(
            &format!("{verb} task {}", t.id),
            &t.lead_agency,
            &t.coordinating,
        )
    }

    pub(super) fn check_record(&self, indicator: &str, lead_agency: &str) -> Result<(), String> {
        if let Some(rule) = self.read_only_rule() {
            return Err(rule);
        }
        match &self.member {
            Some(m) if m.role == Role::Member && m.agency != lead_agency => Err(format!(
                "{} (member for {}) may not record indicator {indicator} (led by {lead_agency}): a member records only the indicators their agency leads; ask a secretary",
                self.user, m.agency
            )),
            _ => Ok(()),
        }
    }

    pub(in crate::store) fn check_manage(&self) -> Result<(), String> {
        if let Some(why) = &self.not_you {
            return Err(why.clone());
        }
        if self.secretary_or_open() {
            Ok(())
        } else {
            Err(format!(
                "{} is not a secretary: only a secretary may add or remove members",
                self.user
            ))
        }
    }

    /// Refuses a change to `old` (becoming `new`) the user may not make.
    pub(in crate::store) fn require_task_change(&self, old: &Task, new: &Task) -> Result<()> {
        self.check_task(old, "change").map_err(Error::Denied)?;
        let member = self.member.as_ref().filter(|m| m.role == Role::Member);
        if let Some(m) = member
            && !self.is_open()
        {
            if new.lead_agency != old.lead_agency {
                return Err(Error::Denied(format!(
                    "{} (member for {}) may not move the lead of task {} from {} to {}: only a secretary may change a task's lead agency",
                    self.user, m.agency, old.id, old.lead_agency, new.lead_agency
                )));
            }
            if new.coordinating != old.coordinating
                && new.lead_agency != m.agency
                && !new.coordinating.contains(&m.agency)
            {
                // Nor may a member hand a task out of their agency's reach.
                return Err(Error::Denied(format!(
                    "{} (member for {}) may not hand over task {} (led by {}): {} would no longer lead or coordinate it; ask a secretary",
                    self.user, m.agency, old.id, old.lead_agency, m.agency
                )));
            }
        }
        Ok(())
    }

    pub(in crate::store) fn require_new_task(&self, t: &NewTask) -> Result<()> {
        self.check_new_task(
            &format!("add the task «{}»", crate::untrusted::clip(&t.title, 60)),
            &t.lead_agency,
        )
        .map_err(Error::Denied)
    }

    pub(in crate::store) fn require_measurement(&self, tx: &Tx, indicator: &str) -> Result<()> {
        let lead: Option<String> = tx
            .prepare_cached("SELECT lead_agency FROM indicators WHERE code = ?1")?
            .query_row([indicator], |r| r.get(0))
            .optional()?;
        // An unknown indicator is refused later with its own message.
        match lead {
            Some(lead) => self.check_record(indicator, &lead).map_err(Error::Denied),
            None => Ok(()),
        }
    }

    /// Registering and renaming agencies is the secretary's job (or anyone's while no member
    /// is registered).
    pub(in crate::store) fn require_agency_admin(&self, what: &str) -> Result<()> {
        if self.secretary_or_open() {
            return Ok(());
        }
        Err(Error::Denied(format!(
            "{} may not {what}: only a secretary may register or rename agencies; ask one",
            self.user
        )))
    }

    pub(in crate::store) fn require_new_agencies(&self, agencies: &[Agency]) -> Result<()> {
        if agencies.is_empty() || self.secretary_or_open() {
            return Ok(());
        }
        Err(Error::Denied(format!(
            "{} may not create agencies ({}): only a secretary may; ask one to import the file",
            self.user,
            agencies
                .iter()
                .map(|a| a.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}
