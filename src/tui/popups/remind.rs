//! The letter urging an agency (`r` on the task list): its preview, and with a mail server
//! configured the question that names the addresses before it is sent ("Gửi tới vp@…? (y/n)").
//! Its keys are `popups/update.rs`'s, its drawing `view_multi::remind`; sending is
//! `Write::Remind`, carried out by `App::write` like every other write.

use crate::model::Lang;
use crate::remind::Letter;
use crate::tui::labels::tr;

/// The preview of one agency's letter.
#[derive(Debug, Clone, PartialEq)]
pub struct RemindPreview {
    pub agency: String,
    pub agency_name: String,
    pub emails: Vec<String>,
    /// The letter as plain lines (`Prepared::preview`).
    pub lines: Vec<String>,
    /// The first line shown.
    pub scroll: usize,
    /// How many lines of the letter the popup showed when last drawn, so scrolling stops with
    /// the last line at the bottom.
    pub shown_rows: std::cell::Cell<usize>,
    /// How many screen rows the letter took, wrapped to the popup's width, when last drawn.
    pub total_rows: std::cell::Cell<usize>,
    /// Why it cannot be mailed from here, if it cannot (no server, no address).
    pub no_mail: Option<String>,
    /// The agency was mailed today already (the question says so).
    pub mailed_today: Option<String>,
    /// Asking "send to …? (y/n)".
    pub asking: bool,
    /// Why the last send failed.
    pub error: Option<String>,
}

impl RemindPreview {
    /// The preview of `letter` (its plain `text`). `mail_configured`: whether `[mail]` names a
    /// server; `mailed_today`: when the agency was mailed today, if it was.
    pub fn new(
        letter: &Letter,
        text: &str,
        mail_configured: bool,
        mailed_today: Option<String>,
        lang: Lang,
    ) -> RemindPreview {
        let no_mail = if !mail_configured {
            Some(
                tr(
                    lang,
                    "chưa cấu hình máy chủ thư ([mail] trong tệp cấu hình); `cchc remind --agency` lập tệp công văn",
                    "no mail server is configured ([mail] in the config file); `cchc remind --agency` writes the letter as a file",
                )
                .to_string(),
            )
        } else if letter.emails.is_empty() {
            Some(format!(
                "{} `cchc agency set {} --email …`",
                tr(
                    lang,
                    "cơ quan chưa có địa chỉ thư điện tử; thêm bằng",
                    "the agency has no mail address; add one with"
                ),
                letter.agency
            ))
        } else {
            None
        };
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        RemindPreview {
            agency: letter.agency.clone(),
            agency_name: letter.agency_name.clone(),
            emails: letter.emails.clone(),
            scroll: 0,
            shown_rows: std::cell::Cell::new(1),
            total_rows: std::cell::Cell::new(lines.len()),
            lines,
            no_mail,
            mailed_today,
            asking: false,
            error: None,
        }
    }

    /// "Gửi công văn đôn đốc tới vp@stp…, cchc@stp…? (y/n)", saying first when the agency was
    /// mailed today already.
    pub fn question(&self, lang: Lang) -> String {
        let again = match &self.mailed_today {
            Some(at) => format!(
                "{} {at}. ",
                tr(
                    lang,
                    "Đã gửi thư cho cơ quan này lúc",
                    "This agency was mailed at"
                )
            ),
            None => String::new(),
        };
        format!(
            "{again}{} {}? (y/n)",
            tr(
                lang,
                "Gửi công văn đôn đốc, kèm bảng theo dõi, tới",
                "Send the letter, with the agency's sheet, to"
            ),
            self.emails.join(", ")
        )
    }

    /// Scrolls by `delta` lines, no further than the letter's last line at the bottom.
    pub fn scroll_by(&mut self, delta: isize) {
        let last = self
            .total_rows
            .get()
            .saturating_sub(self.shown_rows.get().max(1));
        self.scroll = self.scroll.saturating_add_signed(delta).min(last);
    }
}
