//! `r` on the task list: the letter urging an agency (the list's agency, else the selected
//! task's lead agency), previewed in a popup and, with `[mail]` configured, mailed with the
//! agency's sheet after a y/n naming the addresses — the same letter and the same record as
//! `cchc remind --agency CODE --mail`.

use super::App;
use crate::model::ReportPeriod;
use crate::remind::Scope;
use crate::remind::mail::Sender;
use crate::remind::prepare::{Prepared, SameDay, Settings};
use crate::tui::popups::Popup;
use crate::tui::popups::remind::RemindPreview;
use crate::tui::screens::browse::state::Scope as ListScope;

impl App {
    fn letter_settings(&self) -> Settings<'_> {
        Settings {
            report: &self.settings.letters.report,
            remind: &self.settings.letters.remind,
            lang: self.lang(),
            today: self.settings.today,
        }
    }

    fn letter_scope(&self) -> Scope {
        let today = self.settings.today;
        let remind = &self.settings.letters.remind;
        Scope {
            period: ReportPeriod::current(today),
            today,
            due_within: remind.due_within,
            respond_within: remind.respond_within,
        }
    }

    /// The preview of the letter urging the agency in view, or `None` with the reason in the
    /// status line (no right to urge, nothing to urge, no agency in view).
    pub(in crate::tui) fn preview_reminder(&mut self) -> Option<Popup> {
        if !self.writable() {
            return None;
        }
        if let Some(why) = self.perms.remind_refusal() {
            self.error(why);
            return None;
        }
        let agency = match self.scope() {
            ListScope::Agency(code) => code,
            _ => match self.selected_task() {
                Some(t) => t.lead_agency.clone(),
                None => {
                    let text = self.t(
                        "Chọn một cơ quan (v: danh sách cơ quan) hoặc một nhiệm vụ của cơ quan cần đôn đốc",
                        "Select an agency (v: the agencies) or a task of the agency to urge",
                    );
                    self.info(text.to_string());
                    return None;
                }
            },
        };
        let made = {
            let s = self.letter_settings();
            Prepared::read(&self.store, &s).map(|p| {
                let letter = p.letter(&agency, self.letter_scope());
                letter.map(|l| {
                    let mailed_today = match p.same_day(&l, true) {
                        SameDay::Done(r) => Some(crate::report::instant(&r.made_at)),
                        _ => None,
                    };
                    (p.preview(&l, &s), l, mailed_today)
                })
            })
        };
        match made {
            Err(e) => {
                let text = self.describe_error(&e);
                self.error(text);
                None
            }
            Ok(None) => {
                let text = format!(
                    "{} {}",
                    self.data.agency_name(&agency),
                    self.t(
                        "không có nhiệm vụ quá hạn hay sắp đến hạn: không cần đôn đốc",
                        "has no overdue or soon-due task: nothing to urge"
                    )
                );
                self.info(text);
                None
            }
            Ok(Some((text, letter, mailed_today))) => {
                Some(Popup::Remind(Box::new(RemindPreview::new(
                    &letter,
                    &text,
                    self.settings.letters.mail.configured(),
                    mailed_today,
                    self.lang(),
                ))))
            }
        }
    }

    /// Mails the letter urging `agency` and records it once the server accepted it. `Err`
    /// says why not, for the popup to show.
    pub(in crate::tui) fn send_reminder(&mut self, agency: &str) -> Result<(), String> {
        if let Some(why) = self.perms.remind_refusal() {
            return Err(why);
        }
        let lang = self.lang();
        let sender = Sender::new(&self.settings.letters.mail)?;
        let scope = self.letter_scope();
        let letters = self.settings.letters.clone();
        let s = Settings {
            report: &letters.report,
            remind: &letters.remind,
            lang,
            today: self.settings.today,
        };
        let prepared = Prepared::read(&self.store, &s).map_err(|e| self.describe_error(&e))?;
        let letter = prepared.letter(agency, scope).ok_or_else(|| {
            self.t("Không còn gì cần đôn đốc", "Nothing is left to urge")
                .to_string()
        })?;
        // The letter made today and not mailed yet is the one mailed now.
        let earlier = match prepared.same_day(&letter, true) {
            SameDay::MailEarlier(id) => Some(id),
            _ => None,
        };
        let reminder = prepared
            .mail(&mut self.store, &sender, &letter, earlier, &s)
            .map_err(|why| why.describe(agency, lang))?;
        let to = reminder.mail.map(|m| m.to.join(", ")).unwrap_or_default();
        let text = format!(
            "{} {} ({to})",
            self.t("Đã gửi công văn đôn đốc", "Mailed the letter urging"),
            self.data.agency_name(agency),
        );
        self.success(crate::untrusted::line(&text).into_owned());
        Ok(())
    }
}
