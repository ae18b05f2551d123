//! The letters' way from the store to the agencies, shared by `cchc remind` and the screen:
//! what they are made from (read once), each rendered (.docx, Markdown) with its sheet beside
//! it, the same-day rule, and a mail recorded only once the server accepted it.

use chrono::NaiveDate;

use super::mail::{Attached, DOCX, Outgoing, Sender, XLSX};
use super::{Letter, Scope, docx, markdown, words};
use crate::config::{RemindConfig, ReportConfig};
use crate::error::{Error, Result};
use crate::model::{Lang, Reminder, Task};
use crate::office::sheet_data::SheetData;
use crate::store::{AgencyRow, MailAccepted, NewReminder, Store};

/// How the letters are issued and in which language, as of which day.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    pub report: &'a ReportConfig,
    pub remind: &'a RemindConfig,
    pub lang: Lang,
    /// The day the letters look from (`--today`): what is overdue, the day to answer by.
    pub today: NaiveDate,
}

impl Settings<'_> {
    fn issued(&self) -> docx::Issued<'_> {
        docx::Issued {
            report: self.report,
            symbol: &self.remind.symbol,
            number: "",
        }
    }

    fn words(&self, l: &Letter) -> words::Words {
        words::words(l, self.lang, crate::plan::info(), &self.remind.copies_to)
    }
}

/// Everything the letters are made from, read once for any number of agencies.
pub struct Prepared {
    pub agencies: Vec<AgencyRow>,
    pub sheets: SheetData,
    /// Every task: the letters choose each agency's, and so do the sheets they attach.
    pub tasks: Vec<Task>,
    pub reminders: Vec<Reminder>,
    /// The urging agency's name ("Sở Nội vụ").
    pub issuer: String,
    /// The day by the clock that stamps writes: a reminder made on it was made "today".
    pub clock_day: NaiveDate,
}

/// What the letters made earlier today say of a new one for the same agency.
#[derive(Debug, Clone, PartialEq)]
pub enum SameDay {
    /// Nothing stands in the way.
    Clear,
    /// A letter made today and not mailed names the same tasks: mail that one.
    MailEarlier(i64),
    /// Already done today (mailed, or made when only letters are made): only `--again`
    /// makes another. Holds the earlier reminder.
    Done(Box<Reminder>),
}

impl Prepared {
    pub fn read(store: &Store, s: &Settings) -> Result<Prepared> {
        let agencies = store.agency_rows()?;
        let issuer = agencies
            .iter()
            .find(|a| a.code == s.remind.issuer)
            .map(|a| a.name.clone())
            .ok_or_else(|| {
                Error::invalid(format!(
                    "remind.issuer {:?} in the config file is not a registered agency; give the urging agency's code (SNV)",
                    crate::untrusted::line(&s.remind.issuer)
                ))
            })?;
        Ok(Prepared {
            sheets: SheetData::read(store, s.today)?,
            tasks: store.tasks(&crate::store::TaskFilter::default())?,
            reminders: store.reminders(None)?,
            clock_day: store.clock_date()?,
            agencies,
            issuer,
        })
    }

    pub fn agency(&self, code: &str) -> Option<&AgencyRow> {
        self.agencies.iter().find(|a| a.code == code)
    }

    /// The letter urging `code`, or `None` when it has nothing to urge (or is unknown).
    pub fn letter(&self, code: &str, scope: Scope) -> Option<Letter> {
        let agency = self.agency(code)?;
        let earlier: Vec<Reminder> = self
            .reminders
            .iter()
            .filter(|r| r.agency == code)
            .cloned()
            .collect();
        super::letter(agency, &self.tasks, &earlier, &self.issuer, scope)
    }

    /// What today's earlier letters to the same agency say of `l`, when mailing or not.
    pub fn same_day(&self, l: &Letter, mailing: bool) -> SameDay {
        let today: Vec<&Reminder> = self
            .reminders
            .iter()
            .filter(|r| r.agency == l.agency && r.made_on == self.clock_day)
            .collect();
        if let Some(mailed) = today.iter().find(|r| r.mail.is_some()) {
            return SameDay::Done(Box::new((*mailed).clone()));
        }
        match today.last() {
            None => SameDay::Clear,
            Some(r) if !mailing => SameDay::Done(Box::new((*r).clone())),
            Some(_) => {
                let ids = l.task_ids();
                match today.iter().rev().find(|r| r.tasks == ids) {
                    Some(same) => SameDay::MailEarlier(same.id),
                    None => SameDay::Clear,
                }
            }
        }
    }

    /// The reminder to record for `l`.
    pub fn new_reminder(l: &Letter) -> NewReminder {
        NewReminder {
            agency: l.agency.clone(),
            period: l.period,
            tasks: l.task_ids(),
            respond_by: l.respond_by,
        }
    }

    /// The letter as a .docx.
    pub fn docx(&self, l: &Letter, s: &Settings) -> Result<Vec<u8>> {
        docx::render(&s.words(l), &s.issued(), s.today).map_err(Error::invalid)
    }

    /// The letter as Markdown.
    pub fn markdown(&self, l: &Letter, s: &Settings) -> String {
        markdown::render(&s.words(l), &s.issued(), s.today)
    }

    /// The letter as plain lines for the screen's preview.
    pub fn preview(&self, l: &Letter, s: &Settings) -> String {
        markdown::render_as(&s.words(l), &s.issued(), s.today, markdown::Flavour::Screen)
    }

    /// The message for `l`: the letter and the agency's sheet attached.
    pub fn message(&self, l: &Letter, s: &Settings) -> Result<Outgoing> {
        let letter_file = super::file_name(&l.agency, s.today, "docx");
        let sheet_file = crate::office::sheet::file_name(&l.agency, l.period);
        let sheet = self
            .sheets
            .workbook_bytes(&l.agency, &self.tasks, l.period, s.lang)?
            .ok_or_else(|| Error::invalid(format!("no agency {:?}", l.agency)))?;
        Ok(Outgoing {
            to: l.emails.clone(),
            subject: words::mail_subject(l, s.lang),
            text: words::mail_text(l, s.lang, &letter_file, &sheet_file),
            attachments: vec![
                Attached {
                    name: letter_file,
                    content_type: DOCX,
                    bytes: self.docx(l, s)?,
                },
                Attached {
                    name: sheet_file,
                    content_type: XLSX,
                    bytes: sheet,
                },
            ],
        })
    }

    /// Mails `l` to its agency and records it once the server accepted it: on the letter made
    /// earlier today (`earlier`), or as a new letter and its mail. `Err` says why it was not
    /// sent (then nothing is recorded), or that it was sent but could not be recorded.
    pub fn mail(
        &self,
        store: &mut Store,
        sender: &Sender,
        l: &Letter,
        earlier: Option<i64>,
        s: &Settings,
    ) -> std::result::Result<Reminder, Unsent> {
        if l.emails.is_empty() {
            return Err(Unsent::NoAddress);
        }
        let message = self
            .message(l, s)
            .map_err(|e| Unsent::Refused(e.message(s.lang)))?;
        let message_id = sender.send(&message).map_err(Unsent::Refused)?;
        let accepted = MailAccepted {
            to: l.emails.clone(),
            message_id,
        };
        let recorded = match earlier {
            Some(id) => store.record_mail(id, &accepted),
            None => store.record_reminder(&Self::new_reminder(l), Some(&accepted)),
        };
        recorded.map_err(|e| Unsent::NotRecorded(e.message(s.lang)))
    }
}

/// Why a letter was not mailed, or not recorded once mailed.
#[derive(Debug, Clone, PartialEq)]
pub enum Unsent {
    /// The agency has no mail address.
    NoAddress,
    /// The server refused it or could not be reached (its words), or it could not be built.
    Refused(String),
    /// The server accepted it, but the store could not record it.
    NotRecorded(String),
}

impl Unsent {
    pub fn describe(&self, code: &str, lang: Lang) -> String {
        let code = crate::untrusted::line(code);
        match (self, lang) {
            (Unsent::NoAddress, Lang::Vi) => format!(
                "{code}: chưa có địa chỉ thư điện tử; thêm bằng `cchc agency set {code} --email ĐỊA-CHỈ`"
            ),
            (Unsent::NoAddress, Lang::En) => format!(
                "{code}: no mail address; add one with `cchc agency set {code} --email ADDRESS`"
            ),
            (Unsent::Refused(why), Lang::Vi) => {
                format!("{code}: không gửi được: {}", crate::untrusted::line(why))
            }
            (Unsent::Refused(why), Lang::En) => {
                format!("{code}: not sent: {}", crate::untrusted::line(why))
            }
            (Unsent::NotRecorded(why), Lang::Vi) => format!(
                "{code}: máy chủ thư đã nhận nhưng chưa ghi lại được: {}",
                crate::untrusted::line(why)
            ),
            (Unsent::NotRecorded(why), Lang::En) => format!(
                "{code}: the mail server accepted it but it could not be recorded: {}",
                crate::untrusted::line(why)
            ),
        }
    }
}
