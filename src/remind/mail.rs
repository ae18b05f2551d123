//! The letter by mail (lettre, over rustls on the `ring` provider): a message with a
//! Vietnamese subject (RFC 2047, as lettre encodes any header that is not ASCII), a plain-text
//! body, the letter and the agency's sheet attached and a Reply-To to the secretariat, sent
//! through the `[mail]` server with STARTTLS, TLS from the first byte or (for a relay on the
//! same host) nothing, logging in when a user is given. The password comes from
//! `CCHC_MAIL_PASSWORD` or the file `password_file` names, never from the command line or the
//! config file. A message counts as sent only once the server accepted it.

use std::path::Path;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Message, SmtpTransport, Transport};

use crate::config::{MailConfig, Security};

/// The environment variable that gives the password (it wins over `password_file`).
pub const PASSWORD_ENV: &str = "CCHC_MAIL_PASSWORD";

/// How long a step of the conversation with the server may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The largest password file read: a password, not a document.
const MAX_PASSWORD_BYTES: u64 = 4096;

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Attached {
    /// Its name as the recipient sees it (ASCII).
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One message to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub attachments: Vec<Attached>,
}

/// The server and the sender, ready to send; each message goes over its own connection.
pub struct Sender {
    transport: SmtpTransport,
    from: Mailbox,
    reply_to: Mailbox,
}

/// The host's name for the SMTP greeting (RFC 5321: the client's own name), else its address.
fn client_id() -> ClientId {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer outlives the call and its length is the one passed.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let name = buf.split(|b| *b == 0).next().unwrap_or_default();
    match std::str::from_utf8(name) {
        Ok(n) if ok && !n.is_empty() && n.is_ascii() => ClientId::Domain(n.to_string()),
        _ => ClientId::Ipv4(std::net::Ipv4Addr::LOCALHOST),
    }
}

/// The password: `CCHC_MAIL_PASSWORD`, else the first line of `password_file`, which only its
/// owner may read.
fn password(cfg: &MailConfig) -> Result<String, String> {
    if let Some(p) = std::env::var_os(PASSWORD_ENV).filter(|p| !p.is_empty()) {
        return p
            .into_string()
            .map_err(|_| format!("{PASSWORD_ENV} is not valid UTF-8"));
    }
    let Some(file) = &cfg.password_file else {
        return Err(format!(
            "mail.user is set but no password is given: name a file holding it with mail.password_file, or set {PASSWORD_ENV}"
        ));
    };
    read_password(file)
}

fn read_password(file: &Path) -> Result<String, String> {
    use std::os::unix::fs::MetadataExt;
    let shown = file.display();
    let meta = std::fs::metadata(file)
        .map_err(|e| format!("cannot read the mail password file {shown}: {e}"))?;
    if meta.mode() & 0o077 != 0 {
        return Err(format!(
            "the mail password file {shown} may be read by others (mode {:o}); run `chmod 600 {shown}`",
            meta.mode() & 0o777
        ));
    }
    let text = crate::store::read_small_text(file, MAX_PASSWORD_BYTES)
        .map_err(|e| format!("cannot read the mail password file {shown}: {e}"))?;
    let first = text.lines().next().unwrap_or_default().to_string();
    if first.is_empty() {
        return Err(format!("the mail password file {shown} is empty"));
    }
    Ok(first)
}

fn mailbox(setting: &str, s: &str) -> Result<Mailbox, String> {
    s.parse::<Mailbox>().map_err(|e| {
        format!(
            "mail.{setting} {:?} is not a mail address ({e}); write it as \"Sở Nội vụ Lạng Sơn <cchc@snv.langson.gov.vn>\"",
            crate::untrusted::line(s)
        )
    })
}

impl Sender {
    /// The server of `cfg`, checked: a host and a sender, the password found when a user is
    /// given, the extra certificates read. Connects to nothing yet.
    pub fn new(cfg: &MailConfig) -> Result<Sender, String> {
        let host = cfg.host.as_deref().ok_or(
            "no mail server is configured: add [mail] with host and from to the config file (docs/OPERATIONS.md)",
        )?;
        let from = mailbox(
            "from",
            cfg.from.as_deref().ok_or(
                "mail.from is not set: give the sender, e.g. from = \"Sở Nội vụ Lạng Sơn <cchc@snv.langson.gov.vn>\"",
            )?,
        )?;
        let reply_to = match &cfg.reply_to {
            Some(r) => mailbox("reply_to", r)?,
            None => from.clone(),
        };
        let mut tls = TlsParameters::builder(host.to_string());
        if let Some(ca) = &cfg.ca_file {
            let pem = crate::store::read_small_text(ca, 1 << 20)
                .map_err(|e| format!("cannot read mail.ca_file {}: {e}", ca.display()))?;
            let cert = Certificate::from_pem(pem.as_bytes()).map_err(|e| {
                format!(
                    "mail.ca_file {} holds no certificate cchc can read ({e})",
                    ca.display()
                )
            })?;
            tls = tls.add_root_certificate(cert);
        }
        let tls = || -> Result<TlsParameters, String> {
            tls.clone()
                .build_rustls()
                .map_err(|e| format!("cannot set up TLS for {host}: {e}"))
        };
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(cfg.port.unwrap_or(cfg.security.default_port()))
            .timeout(Some(TIMEOUT))
            .hello_name(client_id())
            .tls(match cfg.security {
                Security::StartTls => Tls::Required(tls()?),
                Security::Tls => Tls::Wrapper(tls()?),
                Security::None => Tls::None,
            });
        if let Some(user) = &cfg.user {
            builder = builder.credentials(Credentials::new(user.clone(), password(cfg)?));
        }
        Ok(Sender {
            transport: builder.build(),
            from,
            reply_to,
        })
    }

    /// A Message-ID for a new message: unique, at the sender's domain.
    fn message_id(&self) -> String {
        use sha2::{Digest, Sha256};
        use std::sync::atomic::{AtomicU64, Ordering};
        static SENT: AtomicU64 = AtomicU64::new(0);
        let seed = format!(
            "{:?} {} {}",
            std::time::SystemTime::now(),
            std::process::id(),
            SENT.fetch_add(1, Ordering::Relaxed)
        );
        let hash = hex::encode(Sha256::digest(seed.as_bytes()));
        format!("cchc.{}@{}", &hash[..24], self.from.email.domain())
    }

    /// Sends `m`; the Message-ID (without angle brackets) once the server accepted it, else
    /// why not, in the server's words.
    pub fn send(&self, m: &Outgoing) -> Result<String, String> {
        let id = self.message_id();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .reply_to(self.reply_to.clone())
            .subject(&m.subject)
            .message_id(Some(format!("<{id}>")))
            .date_now();
        for to in &m.to {
            builder = builder.to(mailbox("to", to)?);
        }
        let mut body = MultiPart::mixed().singlepart(SinglePart::plain(m.text.clone()));
        for a in &m.attachments {
            let kind = ContentType::parse(a.content_type).map_err(|e| e.to_string())?;
            body = body.singlepart(Attachment::new(a.name.clone()).body(a.bytes.clone(), kind));
        }
        let message = builder
            .multipart(body)
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(&message)
            .map(|_| id)
            .map_err(|e| e.to_string())
    }
}
