//! Typed settings. The only place the environment is read.

use crate::store::DatabaseUrl;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://klantspiegel.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseUrl,
    pub bind: String,
    /// `KLANTSPIEGEL_ADMIN_TOKEN`: accepted as an admin bearer token when set (and non-empty).
    pub admin_token: Option<String>,
    pub pool_size: u32,
    /// Serve cookies with `Secure` (set `KLANTSPIEGEL_SECURE_COOKIES=1` behind TLS).
    pub secure_cookies: bool,
    /// Respondent requests per client address per minute (`KLANTSPIEGEL_RESPONDENT_LIMIT`, 0 = off).
    pub respondent_limit: u32,
    /// Where respondents reach the server (`--public-url` / `KLANTSPIEGEL_PUBLIC_URL`), without
    /// a trailing slash: every invitation link starts with it. None: links are relative.
    pub public_url: Option<String>,
    /// Sending e-mail (`KLANTSPIEGEL_SMTP_URL` and friends, [`mail_from_env`]); None: mailings
    /// cannot be queued by this instance, and it sends nothing.
    pub mail: Option<MailSettings>,
    /// How people sign in: passwords, the organisation's OpenID provider ([`sign_in_from_env`]).
    pub sign_in: SignInSettings,
}

/// Checks a public address: `http://` or `https://` with a host, no query or fragment; the
/// trailing slash is dropped.
pub fn parse_public_url(url: &str) -> Result<String, String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("the public URL '{url}' must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "the public URL '{url}' needs a host and no query, fragment or spaces"
        ));
    }
    Ok(url.to_string())
}

/// `KLANTSPIEGEL_PUBLIC_URL`, checked (None when unset or empty).
pub fn public_url_from_env() -> Option<Result<String, String>> {
    std::env::var("KLANTSPIEGEL_PUBLIC_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_public_url(&s))
}

/// How this instance sends e-mail.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `KLANTSPIEGEL_SMTP_URL`: `smtp://host:port` (STARTTLS when the server offers it) or
    /// `smtps://user:pass@host:port` (TLS from the start); user and password are optional.
    pub smtp: crate::mail::SmtpUrl,
    /// `KLANTSPIEGEL_MAIL_FROM`: `noreply@example.nl` or `Klantspiegel <noreply@example.nl>`.
    pub from: String,
    /// `KLANTSPIEGEL_MAIL_RATE`: e-mails per minute this instance sends at most (default 120).
    pub rate_per_minute: u32,
    /// `KLANTSPIEGEL_MAIL_RETRY_SECONDS`: the first wait after a temporary refusal (default 60);
    /// each further retry waits twice as long, at most an hour.
    pub retry_base: std::time::Duration,
}

pub const DEFAULT_MAIL_RATE: u32 = 120;

/// The mail settings from the environment: None without `KLANTSPIEGEL_SMTP_URL`; an error that
/// names the variable when one is malformed (the server then refuses to start).
pub fn mail_from_env() -> Result<Option<MailSettings>, String> {
    let var = |name: &str| std::env::var(name).ok().filter(|s| !s.trim().is_empty());
    let Some(url) = var("KLANTSPIEGEL_SMTP_URL") else {
        return Ok(None);
    };
    let smtp = crate::mail::SmtpUrl::parse(&url)
        .map_err(|e| format!("KLANTSPIEGEL_SMTP_URL is malformed: {e}"))?;
    let from = var("KLANTSPIEGEL_MAIL_FROM").ok_or(
        "KLANTSPIEGEL_MAIL_FROM is required with KLANTSPIEGEL_SMTP_URL (e.g. Klantspiegel <noreply@example.nl>)",
    )?;
    let from = crate::mail::check_from(&from)
        .map_err(|e| format!("KLANTSPIEGEL_MAIL_FROM is malformed: {e}"))?;
    let number = |name: &str, default: u32| -> Result<u32, String> {
        match var(name) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name} must be a whole number above 0, not '{v}'")),
        }
    };
    Ok(Some(MailSettings {
        smtp,
        from,
        rate_per_minute: number("KLANTSPIEGEL_MAIL_RATE", DEFAULT_MAIL_RATE)?,
        retry_base: std::time::Duration::from_secs(u64::from(number(
            "KLANTSPIEGEL_MAIL_RETRY_SECONDS",
            60,
        )?)),
    }))
}

/// The database URL: the flag, else `DATABASE_URL`, else the embedded SQLite file.
pub fn database_url(flag: Option<&str>) -> Result<DatabaseUrl, String> {
    let url = match flag {
        Some(f) => f.to_string(),
        None => std::env::var("DATABASE_URL")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
    };
    DatabaseUrl::parse(&url)
}

pub fn admin_token_from_env() -> Option<String> {
    std::env::var("KLANTSPIEGEL_ADMIN_TOKEN")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// How people sign in.
#[derive(Debug, Clone)]
pub struct SignInSettings {
    /// `KLANTSPIEGEL_PASSWORD_LOGIN` (default true): false leaves only the organisation's
    /// sign-in; a posted password then signs no one in (the admin bearer token stays).
    pub password_login: bool,
    /// The organisation's OpenID provider (`KLANTSPIEGEL_OIDC_ISSUER` and friends); None: no
    /// sign-in through it.
    pub oidc: Option<OidcSettings>,
}

impl Default for SignInSettings {
    fn default() -> Self {
        SignInSettings {
            password_login: true,
            oidc: None,
        }
    }
}

/// The organisation's OpenID provider. Needs the public URL: the provider returns to
/// `{public URL}/auth/oidc/callback`.
#[derive(Clone)]
pub struct OidcSettings {
    /// `KLANTSPIEGEL_OIDC_ISSUER`: the issuer, exactly as the provider's discovery document
    /// names it (`https://login.microsoftonline.com/{tenant}/v2.0`).
    pub issuer: String,
    /// `KLANTSPIEGEL_OIDC_CLIENT_ID`.
    pub client_id: String,
    /// `KLANTSPIEGEL_OIDC_CLIENT_SECRET`.
    pub client_secret: String,
    /// `KLANTSPIEGEL_OIDC_EMAIL_CLAIM`: a claim trusted to hold the user's verified e-mail
    /// (e.g. `preferred_username` for Entra ID); None: `email` with `email_verified: true`.
    pub email_claim: Option<String>,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .field("email_claim", &self.email_claim)
            .finish()
    }
}

/// The sign-in settings from the environment; an error that names the variable when one is
/// missing or malformed (the server then refuses to start).
pub fn sign_in_from_env() -> Result<SignInSettings, String> {
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let password_login = match var("KLANTSPIEGEL_PASSWORD_LOGIN").map(|v| v.to_lowercase()) {
        None => true,
        Some(v) if ["true", "1", "yes", "on"].contains(&v.as_str()) => true,
        Some(v) if ["false", "0", "no", "off"].contains(&v.as_str()) => false,
        Some(v) => {
            return Err(format!(
                "KLANTSPIEGEL_PASSWORD_LOGIN must be true or false, not '{v}'"
            ))
        }
    };
    let Some(issuer) = var("KLANTSPIEGEL_OIDC_ISSUER") else {
        return Ok(SignInSettings {
            password_login,
            oidc: None,
        });
    };
    let issuer = check_issuer(&issuer)?;
    let required = |name: &str| {
        var(name).ok_or_else(|| format!("{name} is required with KLANTSPIEGEL_OIDC_ISSUER"))
    };
    Ok(SignInSettings {
        password_login,
        oidc: Some(OidcSettings {
            issuer,
            client_id: required("KLANTSPIEGEL_OIDC_CLIENT_ID")?,
            client_secret: required("KLANTSPIEGEL_OIDC_CLIENT_SECRET")?,
            email_claim: var("KLANTSPIEGEL_OIDC_EMAIL_CLAIM"),
        }),
    })
}

/// The provider needs the public URL: it returns to `{public URL}/auth/oidc/callback`.
pub fn check_sign_in(settings: &Settings) -> Result<(), String> {
    if settings.sign_in.oidc.is_some() && settings.public_url.is_none() {
        return Err(
            "KLANTSPIEGEL_OIDC_ISSUER needs KLANTSPIEGEL_PUBLIC_URL (or --public-url): \
                    the provider returns to {public URL}/auth/oidc/callback"
                .to_string(),
        );
    }
    Ok(())
}

/// An issuer is an `https://` URL (or `http://`, for tests: see [`issuer_is_unencrypted`])
/// with a host and without query or fragment. It is kept as written: discovery and the ID
/// token's `iss` must name it exactly.
pub fn check_issuer(issuer: &str) -> Result<String, String> {
    let rest = issuer
        .strip_prefix("https://")
        .or_else(|| issuer.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with(['/', ':'])
                && !issuer.contains(['?', '#', ' ']) =>
        {
            Ok(issuer.to_string())
        }
        _ => Err(format!(
            "KLANTSPIEGEL_OIDC_ISSUER '{issuer}' must be an https:// URL without query or fragment"
        )),
    }
}

/// True for a plain `http://` issuer off this machine's loopback: the client secret and the
/// tokens would cross the network unencrypted (the server starts, and warns).
pub fn issuer_is_unencrypted(issuer: &str) -> bool {
    let Some(rest) = issuer.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    !matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

impl Settings {
    pub fn new(database: DatabaseUrl, bind: Option<&str>) -> Settings {
        Settings {
            database,
            bind: bind.unwrap_or(DEFAULT_BIND).to_string(),
            admin_token: admin_token_from_env(),
            pool_size: std::env::var("KLANTSPIEGEL_POOL_SIZE")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(8),
            secure_cookies: std::env::var("KLANTSPIEGEL_SECURE_COOKIES").is_ok_and(|v| v == "1"),
            respondent_limit: std::env::var("KLANTSPIEGEL_RESPONDENT_LIMIT")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(600),
            public_url: public_url_from_env().and_then(Result::ok),
            mail: None,
            sign_in: SignInSettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_checked_and_lose_their_trailing_slash() {
        assert_eq!(
            parse_public_url("https://enquete.example.nl/").unwrap(),
            "https://enquete.example.nl"
        );
        assert_eq!(
            parse_public_url("http://10.0.0.5:8080/klantspiegel").unwrap(),
            "http://10.0.0.5:8080/klantspiegel"
        );
        assert!(parse_public_url("enquete.example.nl").is_err());
        assert!(parse_public_url("https://").is_err());
        assert!(parse_public_url("https://x.nl/?a=1").is_err());
    }

    #[test]
    fn issuers_are_urls_and_plain_http_is_noticed_off_loopback() {
        let entra = "https://login.microsoftonline.com/0b1c2d3e/v2.0";
        assert_eq!(check_issuer(entra).unwrap(), entra);
        assert_eq!(
            check_issuer("http://127.0.0.1:4000").unwrap(),
            "http://127.0.0.1:4000"
        );
        assert!(check_issuer("login.example.nl").is_err());
        assert!(check_issuer("https://").is_err());
        assert!(check_issuer("https:///realms/x").is_err());
        assert!(check_issuer("https://idp.example.nl/?x=1").is_err());
        assert!(!issuer_is_unencrypted(entra));
        assert!(!issuer_is_unencrypted("http://127.0.0.1:4000"));
        assert!(!issuer_is_unencrypted("http://localhost/realms/x"));
        assert!(issuer_is_unencrypted("http://idp.example.nl"));
        assert!(issuer_is_unencrypted("http://127.0.0.1.example.nl:80/x"));
    }
}
