//! Handing one e-mail to the SMTP server with lettre: STARTTLS when the server offers it
//! (`smtp://`) or TLS from the start (`smtps://`), with authentication when the URL names a user.
//! The server's answer decides what happens next: 2xx sent, 4xx (or no answer) try again later,
//! 5xx failed for good.

use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::time::Duration;

use super::{SmtpSecurity, SmtpUrl};

/// How long one SMTP command may take before the attempt counts as a temporary failure.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// The longest server answer kept (it is shown on the wave page).
const ANSWER_MAX: usize = 300;

/// One e-mail, written.
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// `<…@…>`; the same for every attempt at the same outbox row.
    pub message_id: String,
    pub opt_out: &'a str,
}

/// Why a mail was not accepted; the text is the server's answer with addresses blanked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 4xx, or no answer at all (connection refused, timeout, TLS): try again later.
    Temporary(String),
    /// 5xx, or a mail that cannot be written: never try again.
    Permanent(String),
}

pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl Mailer {
    /// A mailer for the SMTP server at `smtp`, sending as `from` (`Name <addr@…>` or a bare
    /// address).
    pub fn new(smtp: &SmtpUrl, from: &str) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("the sender '{from}': {e}"))?;
        Ok(Mailer {
            transport: transport(smtp)?,
            from,
        })
    }

    /// Sends one mail; Ok once the server has accepted it (250 after the message's end).
    pub fn send(&self, mail: &Outgoing<'_>) -> Result<(), Refusal> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| Refusal::Permanent(format!("the address cannot be used ({e})")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .message_id(Some(mail.message_id.clone()))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", mail.opt_out),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ))
            .header(ContentType::TEXT_PLAIN)
            .body(body(mail.body))
            .map_err(|e| Refusal::Permanent(format!("the mail cannot be written ({e})")))?;
        match self.transport.send(&message) {
            Ok(_) => Ok(()),
            Err(e) => Err(classify(&e, mail.to)),
        }
    }
}

/// The body as 8-bit UTF-8 text with CRLF line ends, so links stay whole and readable in the
/// raw message (every current server offers 8BITMIME; lettre refuses to send otherwise, which
/// shows as the mailing's failure). lettre's own choice would encode any line of 76 characters
/// or more as quoted-printable or base64; SMTP allows 998. A longer line, or a NUL, gets
/// lettre's encoding instead.
fn body(text: &str) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if crlf.contains('\0') || crlf.split("\r\n").any(|line| line.len() > 998) {
        return Body::new(text.to_string());
    }
    let encoding = if crlf.is_ascii() {
        ContentTransferEncoding::SevenBit
    } else {
        ContentTransferEncoding::EightBit
    };
    Body::dangerous_pre_encoded(crlf.into_bytes(), encoding)
}

fn transport(url: &SmtpUrl) -> Result<SmtpTransport, String> {
    let tls = TlsParameters::new(url.host.clone())
        .map_err(|e| format!("cannot set up TLS for {}: {e}", url.host))?;
    let mut builder = SmtpTransport::builder_dangerous(url.host.as_str())
        .port(url.port)
        .timeout(Some(SMTP_TIMEOUT))
        .tls(match url.security {
            SmtpSecurity::StartTlsIfOffered => Tls::Opportunistic(tls),
            SmtpSecurity::Tls => Tls::Wrapper(tls),
        });
    if let Some(user) = &url.user {
        builder = builder.credentials(Credentials::new(
            user.clone(),
            url.password.clone().unwrap_or_default(),
        ));
    }
    Ok(builder.build())
}

fn classify(e: &lettre::transport::smtp::Error, to: &str) -> Refusal {
    use std::error::Error as _;
    let answer = match (e.status(), e.source()) {
        (Some(code), Some(text)) => format!("{code} {text}"),
        (Some(code), None) => code.to_string(),
        (None, Some(source)) => format!("{e} ({source})"),
        (None, None) => e.to_string(),
    };
    let answer = blank_addresses(&answer, to);
    // A client error (the mail cannot be written for this server) recurs on every attempt.
    if e.is_permanent() || e.is_client() {
        Refusal::Permanent(answer)
    } else {
        Refusal::Temporary(answer)
    }
}

/// The server's answer without addresses (it is stored and shown; addresses never are), on
/// one line and at most [`ANSWER_MAX`] characters.
pub fn blank_addresses(answer: &str, to: &str) -> String {
    let lowered_to = to.to_ascii_lowercase();
    let words: Vec<String> = answer
        .split_whitespace()
        .map(|w| {
            if w.contains('@') || (!to.is_empty() && w.to_ascii_lowercase().contains(&lowered_to)) {
                "<address>".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let one_line = words.join(" ");
    match one_line.char_indices().nth(ANSWER_MAX) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_lose_their_addresses() {
        assert_eq!(
            blank_addresses(
                "550 5.1.1 <Jan@Example.nl>: Recipient\naddress rejected",
                "jan@example.nl"
            ),
            "550 5.1.1 <address> Recipient address rejected"
        );
        assert_eq!(blank_addresses("451 try later", "x@y.nl"), "451 try later");
        let long = "4".repeat(400);
        assert_eq!(blank_addresses(&long, "").chars().count(), ANSWER_MAX + 1);
    }
}
