//! `[remind]` (the letters urging agencies: who issues them, their symbol, copies, the days
//! they look ahead and give to answer) and `[mail]` (the SMTP server they go through). The
//! password is never in the config file nor on the command line: `password_file` names a file
//! that holds it (readable by its owner only), or `CCHC_MAIL_PASSWORD` gives it.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use super::resolve_path;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Security {
    /// Plain text first, then STARTTLS, required (port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a test server.
    None,
}

impl Security {
    pub fn parse(s: &str) -> Option<Security> {
        match s.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(Security::StartTls),
            "tls" | "ssl" | "smtps" => Some(Security::Tls),
            "none" | "plain" => Some(Security::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }

    /// The port a server of this kind listens on unless told otherwise.
    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }
}

/// `[mail]`: the server the letters go through. `host` unset means mail is not configured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MailConfig {
    pub host: Option<String>,
    /// `None`: the security's usual port.
    pub port: Option<u16>,
    pub security: Security,
    /// The account to log in as; none: no authentication.
    pub user: Option<String>,
    /// A file holding the password (made absolute); `CCHC_MAIL_PASSWORD` wins over it.
    pub password_file: Option<PathBuf>,
    /// The sender: "Sở Nội vụ Lạng Sơn <cchc@snv.langson.gov.vn>".
    pub from: Option<String>,
    /// Where answers go (the secretariat); the sender when unset.
    pub reply_to: Option<String>,
    /// Certificates (PEM) to trust besides the system's: a server with a certificate of its
    /// own authority, or a self-signed test server.
    pub ca_file: Option<PathBuf>,
}

impl MailConfig {
    /// Whether a server is configured at all.
    pub fn configured(&self) -> bool {
        self.host.is_some()
    }
}

/// `[remind]`: how the letters urging agencies are issued.
#[derive(Debug, Clone, PartialEq)]
pub struct RemindConfig {
    /// The agency (its code) that urges: its name opens the letter's body ("Sở Nội vụ").
    pub issuer: String,
    /// The letter's symbol after its number: "SNV-CCHC".
    pub symbol: String,
    /// "Nơi nhận" after "Như trên".
    pub copies_to: Vec<String>,
    /// `--due-within` unless given: the days ahead whose tasks a letter names too.
    pub due_within: u32,
    /// The days the agency is given to answer.
    pub respond_within: u32,
}

impl Default for RemindConfig {
    fn default() -> Self {
        RemindConfig {
            issuer: "SNV".into(),
            symbol: "SNV-CCHC".into(),
            copies_to: vec!["Như trên".into(), "Lưu: VT, CCHC".into()],
            due_within: 15,
            respond_within: 7,
        }
    }
}

/// The longest look ahead or time to answer a setting may give, in days.
pub const MAX_DAYS: u32 = 366;

fn text(value: &toml::de::DeValue<'_>) -> Option<String> {
    value
        .as_str()
        .map(|s| crate::text::nfc(s.trim()))
        .filter(|s| !s.is_empty())
}

/// A whole number, as TOML writes one (`1_000`, `0x1f`).
fn int(value: &toml::de::DeValue<'_>) -> Option<i64> {
    let i = value.as_integer()?;
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

fn days(value: &toml::de::DeValue<'_>) -> Option<u32> {
    int(value)
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| *d <= MAX_DAYS)
}

impl RemindConfig {
    /// Applies one `[remind]` table; every bad entry is a message, the rest still applies.
    pub(super) fn apply(
        &mut self,
        table: &DeTable<'_>,
        mut warn: impl FnMut(Range<usize>, String),
    ) {
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            let v = value.get_ref();
            let ok = match name {
                "issuer" => text(v).map(|s| self.issuer = s).is_some(),
                "symbol" => text(v).map(|s| self.symbol = s).is_some(),
                "due_within" => days(v).map(|d| self.due_within = d).is_some(),
                "respond_within" => days(v).map(|d| self.respond_within = d).is_some(),
                "copies_to" => v
                    .as_array()
                    .and_then(|items| {
                        items
                            .iter()
                            .map(|i| text(i.get_ref()))
                            .collect::<Option<Vec<_>>>()
                    })
                    .map(|list| self.copies_to = list)
                    .is_some(),
                _ => {
                    warn(
                        key.span(),
                        format!(
                            "unknown setting remind.{name}; the settings are issuer, symbol, copies_to, due_within and respond_within"
                        ),
                    );
                    continue;
                }
            };
            if !ok {
                let wanted = match name {
                    "due_within" | "respond_within" => {
                        format!("a number of days from 0 to {MAX_DAYS}")
                    }
                    "copies_to" => "a list of names, e.g. [\"Như trên\", \"Lưu: VT, CCHC\"]".into(),
                    _ => "text in quotes".into(),
                };
                warn(value.span(), format!("remind.{name} must be {wanted}"));
            }
        }
    }
}

impl MailConfig {
    /// Applies one `[mail]` table; every bad entry is a message, the rest still applies.
    pub(super) fn apply(
        &mut self,
        table: &DeTable<'_>,
        config_file: &Path,
        mut warn: impl FnMut(Range<usize>, String),
    ) {
        for (key, value) in table.iter() {
            let name: &str = key.get_ref();
            let v = value.get_ref();
            let ok = match name {
                "host" => text(v).map(|s| self.host = Some(s)).is_some(),
                "port" => int(v)
                    .and_then(|p| u16::try_from(p).ok())
                    .filter(|p| *p > 0)
                    .map(|p| self.port = Some(p))
                    .is_some(),
                "security" => v
                    .as_str()
                    .and_then(Security::parse)
                    .map(|s| self.security = s)
                    .is_some(),
                "user" => text(v).map(|s| self.user = Some(s)).is_some(),
                "from" => text(v).map(|s| self.from = Some(s)).is_some(),
                "reply_to" => text(v).map(|s| self.reply_to = Some(s)).is_some(),
                "password_file" => text(v)
                    .map(|s| self.password_file = Some(resolve_path(&s, config_file)))
                    .is_some(),
                "ca_file" => text(v)
                    .map(|s| self.ca_file = Some(resolve_path(&s, config_file)))
                    .is_some(),
                "password" => {
                    warn(
                        key.span(),
                        "mail.password is not read from the config file: put the password in a file only you can read and name it with password_file, or set CCHC_MAIL_PASSWORD".into(),
                    );
                    continue;
                }
                _ => {
                    warn(
                        key.span(),
                        format!(
                            "unknown setting mail.{name}; the settings are host, port, security, user, password_file, from, reply_to and ca_file"
                        ),
                    );
                    continue;
                }
            };
            if !ok {
                let wanted = match name {
                    "port" => "a port number from 1 to 65535",
                    "security" => "\"starttls\", \"tls\" or \"none\"",
                    "password_file" | "ca_file" => "the path of a file, in quotes",
                    _ => "text in quotes",
                };
                warn(value.span(), format!("mail.{name} must be {wanted}"));
            }
        }
    }
}
