//! E-mail, an adapter: the SMTP address of the server (`KLANTSPIEGEL_SMTP_URL`, parsed here
//! and used by `config`), writing a mail from its template ([`render`]) and handing it to the
//! SMTP server ([`smtp`]). It calls nothing above it: the background sender that works
//! through the outbox is the driver `crate::outbox`, which calls `app::mailings::sending`.

pub mod render;
pub mod smtp;

use crate::error::ErrorCode;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: plain, upgraded with STARTTLS when the server offers it.
    StartTlsIfOffered,
    /// `smtps://`: TLS from the first byte (port 465 by default).
    Tls,
}

/// A parsed `KLANTSPIEGEL_SMTP_URL`. Its `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub security: SmtpSecurity,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpUrl")
            .field("security", &self.security)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

const URL_FORMS: &str = "expected smtp://host:port or smtps://user:password@host:port";

impl SmtpUrl {
    /// Parses `smtp://[user[:password]@]host[:port]` or `smtps://…` (user and password
    /// percent-encoded). Errors never repeat the password.
    pub fn parse(url: &str) -> Result<SmtpUrl, String> {
        let url = url.trim();
        let (security, rest, default_port) = if let Some(r) = url.strip_prefix("smtp://") {
            (SmtpSecurity::StartTlsIfOffered, r, 25)
        } else if let Some(r) = url.strip_prefix("smtps://") {
            (SmtpSecurity::Tls, r, 465)
        } else {
            let scheme = url.split("://").next().filter(|_| url.contains("://"));
            return Err(match scheme {
                Some(s) => format!("unknown scheme '{s}://' ({URL_FORMS})"),
                None => format!("no scheme ({URL_FORMS})"),
            });
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#']) {
            return Err(format!("no path, query or fragment allowed ({URL_FORMS})"));
        }
        let (userinfo, hostport) = match rest.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, rest),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(u) => {
                let (name, pass) = match u.split_once(':') {
                    Some((n, p)) => (n, Some(p)),
                    None => (u, None),
                };
                if name.is_empty() {
                    return Err(format!("the user name before '@' is empty ({URL_FORMS})"));
                }
                (
                    Some(percent_decode(name).ok_or("the user name is badly percent-encoded")?),
                    pass.map(|p| percent_decode(p).ok_or("the password is badly percent-encoded"))
                        .transpose()?,
                )
            }
        };
        let (host, port) = split_host_port(hostport)?;
        let port = match port {
            None => default_port,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("'{p}' is not a port number ({URL_FORMS})"))?,
        };
        Ok(SmtpUrl {
            security,
            host,
            port,
            user,
            password,
        })
    }
}

fn split_host_port(s: &str) -> Result<(String, Option<&str>), String> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("an IPv6 host lacks its ']' ({URL_FORMS})"))?;
        let port = match after {
            "" => None,
            a => Some(
                a.strip_prefix(':')
                    .ok_or_else(|| format!("junk after the host ({URL_FORMS})"))?,
            ),
        };
        (h.to_string(), port)
    } else {
        match s.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (s.to_string(), None),
        }
    };
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'));
    if !ok {
        return Err(format!("'{host}' is not a host name ({URL_FORMS})"));
    }
    Ok((host, port))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Checks a sender: `addr@example.nl` or `Name <addr@example.nl>`; returns it trimmed.
pub fn check_from(from: &str) -> Result<String, String> {
    let from = from.trim();
    from.parse::<lettre::message::Mailbox>()
        .map_err(|e| format!("'{from}' is not an address ({e})"))?;
    Ok(from.to_string())
}

/// Checks one recipient address (as lettre will write it to the server), at most 254 characters.
pub fn check_address(address: &str) -> Result<(), ErrorCode> {
    if address.len() > 254 {
        return Err(ErrorCode::AddressTooLong);
    }
    if address.contains(['<', '>', ' ', ',', ';']) {
        return Err(ErrorCode::AddressNotBare);
    }
    if !address.is_ascii() {
        return Err(ErrorCode::AddressNotAscii);
    }
    let parsed = address
        .parse::<lettre::Address>()
        .map_err(|_| ErrorCode::NotAnEmail)?;
    // `user@[127.0.0.1]` parses, but no mail server of an organisation delivers to it.
    let domain = parsed.domain();
    if domain.starts_with('[') || domain.parse::<std::net::IpAddr>().is_ok() {
        return Err(ErrorCode::AddressIpLiteral);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_with_defaults_and_decoded_credentials() {
        let u = SmtpUrl::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (u.security, u.host.as_str(), u.port, u.user, u.password),
            (
                SmtpSecurity::StartTlsIfOffered,
                "127.0.0.1",
                2525,
                None,
                None
            )
        );
        let u = SmtpUrl::parse("smtps://mailer%40org:p%3Ass@mail.example.nl").unwrap();
        assert_eq!(u.security, SmtpSecurity::Tls);
        assert_eq!(u.port, 465);
        assert_eq!(u.user.as_deref(), Some("mailer@org"));
        assert_eq!(u.password.as_deref(), Some("p:ss"));
        assert!(!format!("{u:?}").contains("p:ss"));
        let u = SmtpUrl::parse("smtp://[::1]:25/").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", 25));
    }

    #[test]
    fn malformed_urls_say_why_without_the_password() {
        for (url, says) in [
            ("mail.example.nl:25", "no scheme"),
            ("http://mail.example.nl", "unknown scheme 'http://'"),
            ("smtp://", "is not a host name"),
            ("smtp://host:port", "'port' is not a port number"),
            ("smtp://host:70000", "'70000' is not a port number"),
            ("smtp://host/path", "no path"),
            ("smtps://:secret@host", "user name before '@' is empty"),
            (
                "smtps://u:secr%zzet@host",
                "password is badly percent-encoded",
            ),
        ] {
            let e = SmtpUrl::parse(url).unwrap_err();
            assert!(e.contains(says), "{url}: {e}");
            assert!(!e.contains("secr"), "{url}: {e}");
        }
    }

    #[test]
    fn addresses() {
        assert!(check_address("jan.jansen@example.nl").is_ok());
        assert!(check_address("jan@localhost").is_ok());
        for bad in [
            "jan",
            "jan@",
            "@example.nl",
            "jan jansen@example.nl",
            "a@b@c.nl",
            "",
        ] {
            assert!(check_address(bad).is_err(), "{bad}");
        }
        // Deliverable only through a domain name, and only in ASCII.
        assert_eq!(
            check_address("a10@[127.0.0.1]"),
            Err(ErrorCode::AddressIpLiteral)
        );
        assert_eq!(
            check_address("jan@bücher.nl"),
            Err(ErrorCode::AddressNotAscii)
        );
        assert!(check_address("jan@xn--bcher-kva.nl").is_ok());
        assert!(check_from("Klantspiegel <noreply@example.nl>").is_ok());
        assert!(check_from("noreply").is_err());
    }
}
