//! Typed settings. The only place the environment is read: [`Settings::load`] reads every
//! variable once, and either every setting is good or every problem is returned, each naming
//! its variable (zero2prod `configuration.rs`). The server then refuses to start (exit 2).

use crate::mail::SmtpUrl;
use crate::store::DatabaseUrl;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://klantspiegel.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// The shortest admin token accepted (`KLANTSPIEGEL_ADMIN_TOKEN`): 32 characters, e.g.
/// `openssl rand -hex 16` or longer.
pub const MIN_ADMIN_TOKEN: usize = 32;
pub const DEFAULT_POOL_SIZE: u32 = 8;
pub const DEFAULT_RESPONDENT_LIMIT: u32 = 600;
/// How many days audit entries are kept (`KLANTSPIEGEL_AUDIT_DAYS`): two years.
pub const DEFAULT_AUDIT_DAYS: u32 = 730;
/// Hours between two reminder rounds of one mailing (`KLANTSPIEGEL_REMINDER_COOLDOWN_HOURS`).
pub const DEFAULT_REMINDER_COOLDOWN_HOURS: u32 = 24;
/// Heavy downloads (PDF packs, workbooks, exports, charts) at once (`KLANTSPIEGEL_HEAVY_LIMIT`).
pub const DEFAULT_HEAVY_LIMIT: u32 = 2;
/// The slowest a reader may take a response, in bytes per second after a grace period
/// (`KLANTSPIEGEL_WRITE_MIN_RATE`; 0 = never cut off).
pub const DEFAULT_WRITE_MIN_RATE: u32 = 16 * 1024;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseUrl,
    pub bind: String,
    /// `KLANTSPIEGEL_ADMIN_TOKEN`: accepted as an admin bearer token when set (and non-empty);
    /// at least [`MIN_ADMIN_TOKEN`] characters.
    pub admin_token: Option<String>,
    /// `KLANTSPIEGEL_POOL_SIZE`: database connections (default 8).
    pub pool_size: u32,
    /// `KLANTSPIEGEL_POOL_WAIT_MS`: how long a request waits for a database connection before
    /// it is answered 503 (default [`crate::store::POOL_WAIT`], at least 100 ms).
    pub pool_wait: std::time::Duration,
    /// Serve cookies with `Secure` (set `KLANTSPIEGEL_SECURE_COOKIES=1` behind TLS).
    pub secure_cookies: bool,
    /// Respondent requests per client address per minute (`KLANTSPIEGEL_RESPONDENT_LIMIT`, 0 = off).
    pub respondent_limit: u32,
    /// Where respondents reach the server (`--public-url` / `KLANTSPIEGEL_PUBLIC_URL`), without
    /// a trailing slash: every invitation link starts with it. None: links are relative.
    pub public_url: Option<String>,
    /// Sending e-mail (`KLANTSPIEGEL_SMTP_URL` and friends); None: mailings cannot be queued
    /// by this instance, and it sends nothing.
    pub mail: Option<MailSettings>,
    /// How people sign in: passwords, the organisation's OpenID provider.
    pub sign_in: SignInSettings,
    /// `KLANTSPIEGEL_AUDIT_DAYS`: audit entries older than this many days are deleted by the
    /// housekeeping (default [`DEFAULT_AUDIT_DAYS`], at least 1).
    pub audit_days: u32,
    /// `KLANTSPIEGEL_TRUSTED_PROXIES`: addresses or networks (CIDR) of the reverse proxies in
    /// front of this instance; a request from one of them is counted against the client its
    /// `X-Forwarded-For` names (the right-most hop that is not a trusted proxy). Empty: the
    /// connection's own address, whatever the header says.
    pub trusted_proxies: Vec<Cidr>,
    /// `KLANTSPIEGEL_REMINDER_COOLDOWN_HOURS`: a mailing's reminders go out at most once per
    /// this many hours (default 24).
    pub reminder_cooldown_hours: u32,
    /// `KLANTSPIEGEL_HEAVY_LIMIT`: heavy downloads (PDF packs, workbooks, CSV exports, charts)
    /// made at once; more get 503 with `Retry-After`. Must be below the pool size, so that
    /// submissions and `/healthz` always find a connection (default 2).
    pub heavy_limit: u32,
    /// `KLANTSPIEGEL_WRITE_MIN_RATE`: bytes per second a reader must take a large response at,
    /// after the grace period (`http::pacing::WRITE_GRACE`, 10 s); slower readers are cut off (0 = never).
    pub write_min_rate: u32,
}

/// An address or a network (`10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: std::net::IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network: std::net::IpAddr = addr
            .parse()
            .map_err(|_| format!("'{s}' is not an address or a network (10.0.0.0/8)"))?;
        let network = canonical(network);
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max => n,
                _ => return Err(format!("'{s}' has a prefix length above {max}")),
            },
        };
        Ok(Cidr { network, prefix })
    }

    /// Whether `ip` lies in this network (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        let bits = |n: u32| {
            if n == 0 {
                0u128
            } else {
                u128::MAX << (128 - n)
            }
        };
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = bits(u32::from(self.prefix) + 96);
                (u128::from(u32::from(net)) ^ u128::from(u32::from(ip))) & mask == 0
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = bits(u32::from(self.prefix));
                (u128::from(net) ^ u128::from(ip)) & mask == 0
            }
            _ => false,
        }
    }
}

/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as the IPv4 address it is.
pub fn canonical(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => std::net::IpAddr::V4(v4),
            None => ip,
        },
        v4 => v4,
    }
}

/// What the command line says, ahead of the environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags<'a> {
    /// `--database` (else `DATABASE_URL`, else [`DEFAULT_DATABASE_URL`]).
    pub database: Option<&'a str>,
    /// `--bind` (else [`DEFAULT_BIND`]).
    pub bind: Option<&'a str>,
    /// `--public-url` (else `KLANTSPIEGEL_PUBLIC_URL`).
    pub public_url: Option<&'a str>,
}

/// Every problem of a configuration, one sentence each, naming its variable or flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<String>);

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_slice() {
            [one] => f.write_str(one),
            many => {
                write!(f, "the configuration has {} problems:", many.len())?;
                for p in many {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Problems {}

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

/// How this instance sends e-mail.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `KLANTSPIEGEL_SMTP_URL`: `smtp://host:port` (STARTTLS when the server offers it) or
    /// `smtps://user:pass@host:port` (TLS from the start); user and password are optional.
    pub smtp: SmtpUrl,
    /// `KLANTSPIEGEL_MAIL_FROM`: `noreply@example.nl` or `Klantspiegel <noreply@example.nl>`.
    pub from: String,
    /// `KLANTSPIEGEL_MAIL_RATE`: e-mails per minute this instance sends at most (default 120).
    pub rate_per_minute: u32,
    /// `KLANTSPIEGEL_MAIL_RETRY_SECONDS`: the first wait after a temporary refusal (default 60);
    /// each further retry waits twice as long, at most an hour.
    pub retry_base: std::time::Duration,
}

pub const DEFAULT_MAIL_RATE: u32 = 120;
pub const DEFAULT_MAIL_RETRY_SECONDS: u32 = 60;

/// The database URL: the flag, else `DATABASE_URL`, else the embedded SQLite file (the
/// commands other than `serve`, which need nothing else).
pub fn database_url(flag: Option<&str>) -> Result<DatabaseUrl, String> {
    let env = std::env::var("DATABASE_URL").ok();
    pick_database(flag, env).map_err(|e| match flag {
        Some(_) => format!("--database: {e}"),
        None => format!("DATABASE_URL: {e}"),
    })
}

fn pick_database(flag: Option<&str>, env: Option<String>) -> Result<DatabaseUrl, String> {
    let url = match flag {
        Some(f) => f.to_string(),
        None => env
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
    };
    DatabaseUrl::parse(&url)
}

/// `KLANTSPIEGEL_ADMIN_TOKEN` for the commands that call a server as its client (`loadtest`)
/// or name the API (`demo`); the server itself reads it in [`Settings::load`].
pub fn client_admin_token() -> Option<String> {
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

/// Reads variables once each, and gathers the problems instead of stopping at the first.
struct Reader<F: Fn(&str) -> Option<String>> {
    var: F,
    problems: Vec<String>,
}

impl<F: Fn(&str) -> Option<String>> Reader<F> {
    /// The variable, trimmed; None when unset or blank.
    fn text(&self, name: &str) -> Option<String> {
        (self.var)(name)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn problem(&mut self, p: String) {
        self.problems.push(p);
    }

    /// A whole number of at least `min`; `default` when unset.
    fn number(&mut self, name: &str, default: u32, min: u32) -> u32 {
        let Some(v) = self.text(name) else {
            return default;
        };
        match v.parse::<u32>() {
            Ok(n) if n >= min => n,
            _ => {
                let floor = match min {
                    0 => "0 or more".to_string(),
                    1 => "above 0".to_string(),
                    m => format!("of at least {m}"),
                };
                self.problem(format!("{name} must be a whole number {floor}, not '{v}'"));
                default
            }
        }
    }

    /// true/1/yes/on or false/0/no/off; `default` when unset.
    fn boolean(&mut self, name: &str, default: bool) -> bool {
        match self.text(name).map(|v| v.to_lowercase()) {
            None => default,
            Some(v) if ["true", "1", "yes", "on"].contains(&v.as_str()) => true,
            Some(v) if ["false", "0", "no", "off"].contains(&v.as_str()) => false,
            Some(v) => {
                self.problem(format!("{name} must be true or false, not '{v}'"));
                default
            }
        }
    }

    /// A comma- or space-separated list of addresses and networks.
    fn networks(&mut self, name: &str) -> Vec<Cidr> {
        let Some(v) = self.text(name) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for part in v.split([',', ' ']).filter(|p| !p.trim().is_empty()) {
            match Cidr::parse(part) {
                Ok(c) => out.push(c),
                Err(e) => self.problem(format!("{name}: {e}")),
            }
        }
        out
    }

    fn admin_token(&mut self) -> Option<String> {
        let raw = (self.var)("KLANTSPIEGEL_ADMIN_TOKEN").filter(|s| !s.trim().is_empty())?;
        let n = raw.chars().count();
        if n < MIN_ADMIN_TOKEN {
            self.problem(format!(
                "KLANTSPIEGEL_ADMIN_TOKEN is {n} characters long; it must have at least \
                 {MIN_ADMIN_TOKEN} (e.g. the output of `openssl rand -hex 24`), or be left unset"
            ));
            return None;
        }
        Some(raw)
    }

    /// The public URL, and whether one was given at all (a malformed one is a problem
    /// already, not also a missing one).
    fn public_url(&mut self, flag: Option<&str>) -> (Option<String>, bool) {
        // Read even when the flag wins: every variable is read once, whatever the flags.
        let env = self.text("KLANTSPIEGEL_PUBLIC_URL");
        let (source, value) = match (flag, env) {
            (Some(f), _) => ("--public-url", f.to_string()),
            (None, Some(e)) => ("KLANTSPIEGEL_PUBLIC_URL", e),
            (None, None) => return (None, false),
        };
        match parse_public_url(&value) {
            Ok(url) => (Some(url), true),
            Err(e) => {
                self.problem(format!("{source}: {e}"));
                (None, true)
            }
        }
    }

    fn mail(&mut self) -> Option<MailSettings> {
        let url = self.text("KLANTSPIEGEL_SMTP_URL");
        let from = self.text("KLANTSPIEGEL_MAIL_FROM");
        let rate = self.number("KLANTSPIEGEL_MAIL_RATE", DEFAULT_MAIL_RATE, 1);
        let retry = self.number(
            "KLANTSPIEGEL_MAIL_RETRY_SECONDS",
            DEFAULT_MAIL_RETRY_SECONDS,
            1,
        );
        let url = url?;
        let smtp = SmtpUrl::parse(&url)
            .map_err(|e| self.problem(format!("KLANTSPIEGEL_SMTP_URL is malformed: {e}")))
            .ok();
        let from = match from {
            None => {
                self.problem(
                    "KLANTSPIEGEL_MAIL_FROM is required with KLANTSPIEGEL_SMTP_URL \
                     (e.g. Klantspiegel <noreply@example.nl>)"
                        .into(),
                );
                None
            }
            Some(f) => crate::mail::check_from(&f)
                .map_err(|e| self.problem(format!("KLANTSPIEGEL_MAIL_FROM is malformed: {e}")))
                .ok(),
        };
        Some(MailSettings {
            smtp: smtp?,
            from: from?,
            rate_per_minute: rate,
            retry_base: std::time::Duration::from_secs(u64::from(retry)),
        })
    }

    fn sign_in(&mut self) -> SignInSettings {
        let password_login = self.boolean("KLANTSPIEGEL_PASSWORD_LOGIN", true);
        let issuer = self.text("KLANTSPIEGEL_OIDC_ISSUER");
        let client_id = self.text("KLANTSPIEGEL_OIDC_CLIENT_ID");
        let client_secret = self.text("KLANTSPIEGEL_OIDC_CLIENT_SECRET");
        let email_claim = self.text("KLANTSPIEGEL_OIDC_EMAIL_CLAIM");
        let oidc = issuer.and_then(|issuer| {
            let issuer = check_issuer(&issuer).map_err(|e| self.problem(e)).ok();
            let mut required = |name: &str, v: Option<String>| {
                if v.is_none() {
                    self.problem(format!("{name} is required with KLANTSPIEGEL_OIDC_ISSUER"));
                }
                v
            };
            let client_id = required("KLANTSPIEGEL_OIDC_CLIENT_ID", client_id);
            let client_secret = required("KLANTSPIEGEL_OIDC_CLIENT_SECRET", client_secret);
            Some(OidcSettings {
                issuer: issuer?,
                client_id: client_id?,
                client_secret: client_secret?,
                email_claim,
            })
        });
        SignInSettings {
            password_login,
            oidc,
        }
    }
}

impl Settings {
    /// The cool-down between two reminder rounds of one mailing.
    pub fn reminder_cooldown(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.reminder_cooldown_hours))
    }

    /// The defaults for a database, without reading the environment (the tests build on this
    /// and set what they need).
    pub fn new(database: DatabaseUrl, bind: Option<&str>) -> Settings {
        Settings {
            database,
            bind: bind.unwrap_or(DEFAULT_BIND).to_string(),
            admin_token: None,
            pool_size: DEFAULT_POOL_SIZE,
            pool_wait: crate::store::POOL_WAIT,
            secure_cookies: false,
            respondent_limit: DEFAULT_RESPONDENT_LIMIT,
            public_url: None,
            mail: None,
            sign_in: SignInSettings::default(),
            audit_days: DEFAULT_AUDIT_DAYS,
            trusted_proxies: Vec::new(),
            reminder_cooldown_hours: DEFAULT_REMINDER_COOLDOWN_HOURS,
            heavy_limit: DEFAULT_HEAVY_LIMIT,
            write_min_rate: DEFAULT_WRITE_MIN_RATE,
        }
    }

    /// The settings of `serve`: the flags, then the environment, every variable read once.
    /// Every problem is returned, each naming its variable (or flag).
    pub fn load(flags: Flags<'_>) -> Result<Settings, Problems> {
        Settings::from_vars(flags, |name| std::env::var(name).ok())
    }

    /// [`Settings::load`] from any source of variables (the tests' own).
    pub fn from_vars(
        flags: Flags<'_>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, Problems> {
        let mut r = Reader {
            var,
            problems: Vec::new(),
        };
        let env_database = (r.var)("DATABASE_URL");
        let database = match pick_database(flags.database, env_database) {
            Ok(d) => Some(d),
            Err(e) => {
                let source = if flags.database.is_some() {
                    "--database"
                } else {
                    "DATABASE_URL"
                };
                r.problem(format!("{source}: {e}"));
                None
            }
        };
        let admin_token = r.admin_token();
        let pool_size = r.number("KLANTSPIEGEL_POOL_SIZE", DEFAULT_POOL_SIZE, 1);
        let pool_wait = std::time::Duration::from_millis(u64::from(r.number(
            "KLANTSPIEGEL_POOL_WAIT_MS",
            crate::store::POOL_WAIT.as_millis() as u32,
            100,
        )));
        let secure_cookies = r.boolean("KLANTSPIEGEL_SECURE_COOKIES", false);
        let respondent_limit =
            r.number("KLANTSPIEGEL_RESPONDENT_LIMIT", DEFAULT_RESPONDENT_LIMIT, 0);
        let (public_url, public_url_given) = r.public_url(flags.public_url);
        let mail = r.mail();
        let sign_in = r.sign_in();
        let audit_days = r.number("KLANTSPIEGEL_AUDIT_DAYS", DEFAULT_AUDIT_DAYS, 1);
        let trusted_proxies = r.networks("KLANTSPIEGEL_TRUSTED_PROXIES");
        let reminder_cooldown_hours = r.number(
            "KLANTSPIEGEL_REMINDER_COOLDOWN_HOURS",
            DEFAULT_REMINDER_COOLDOWN_HOURS,
            1,
        );
        let heavy_limit = r.number("KLANTSPIEGEL_HEAVY_LIMIT", DEFAULT_HEAVY_LIMIT, 1);
        if heavy_limit >= pool_size {
            r.problem(format!(
                "KLANTSPIEGEL_HEAVY_LIMIT ({heavy_limit}) must be below KLANTSPIEGEL_POOL_SIZE \
                 ({pool_size}): submissions and /healthz keep the other connections"
            ));
        }
        let write_min_rate = r.number("KLANTSPIEGEL_WRITE_MIN_RATE", DEFAULT_WRITE_MIN_RATE, 0);
        let mut problems = r.problems;
        let settings = database.map(|database| Settings {
            database,
            bind: flags.bind.unwrap_or(DEFAULT_BIND).to_string(),
            admin_token,
            pool_size,
            pool_wait,
            secure_cookies,
            respondent_limit,
            public_url,
            mail,
            sign_in,
            audit_days,
            trusted_proxies,
            reminder_cooldown_hours,
            heavy_limit,
            write_min_rate,
        });
        // The provider needs the public URL; a malformed one is named already.
        if let Some(Err(e)) = settings.as_ref().map(check_sign_in) {
            if !public_url_given {
                problems.push(e);
            }
        }
        match settings {
            Some(s) if problems.is_empty() => Ok(s),
            _ => Err(Problems(problems)),
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

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name: &str| map.get(name).cloned()
    }

    const TOKEN_32: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn nothing_set_gives_the_defaults() {
        let s = Settings::from_vars(Flags::default(), vars(&[])).unwrap();
        assert_eq!(
            s.database,
            DatabaseUrl::parse(DEFAULT_DATABASE_URL).unwrap()
        );
        assert_eq!(s.bind, DEFAULT_BIND);
        assert_eq!(s.admin_token, None);
        assert_eq!((s.pool_size, s.respondent_limit), (8, 600));
        assert!(!s.secure_cookies && s.public_url.is_none() && s.mail.is_none());
        assert!(s.sign_in.password_login && s.sign_in.oidc.is_none());
        assert_eq!(s.audit_days, DEFAULT_AUDIT_DAYS);
    }

    #[test]
    fn every_variable_is_read_once_and_all_of_them_are_used() {
        let all = [
            ("DATABASE_URL", "sqlite:///tmp/x.db"),
            ("KLANTSPIEGEL_ADMIN_TOKEN", TOKEN_32),
            ("KLANTSPIEGEL_POOL_SIZE", "3"),
            ("KLANTSPIEGEL_POOL_WAIT_MS", "250"),
            ("KLANTSPIEGEL_SECURE_COOKIES", "true"),
            ("KLANTSPIEGEL_RESPONDENT_LIMIT", "0"),
            ("KLANTSPIEGEL_PUBLIC_URL", "https://enquete.example.nl/"),
            ("KLANTSPIEGEL_SMTP_URL", "smtp://127.0.0.1:2525"),
            (
                "KLANTSPIEGEL_MAIL_FROM",
                "Klantspiegel <noreply@example.nl>",
            ),
            ("KLANTSPIEGEL_MAIL_RATE", "30"),
            ("KLANTSPIEGEL_MAIL_RETRY_SECONDS", "5"),
            ("KLANTSPIEGEL_PASSWORD_LOGIN", "off"),
            (
                "KLANTSPIEGEL_OIDC_ISSUER",
                "https://idp.example.nl/realms/x",
            ),
            ("KLANTSPIEGEL_OIDC_CLIENT_ID", "klantspiegel"),
            ("KLANTSPIEGEL_OIDC_CLIENT_SECRET", "s3cret"),
            ("KLANTSPIEGEL_OIDC_EMAIL_CLAIM", "preferred_username"),
            ("KLANTSPIEGEL_AUDIT_DAYS", "365"),
            (
                "KLANTSPIEGEL_TRUSTED_PROXIES",
                "10.0.0.0/8, 192.0.2.7 2001:db8::/32",
            ),
            ("KLANTSPIEGEL_REMINDER_COOLDOWN_HOURS", "12"),
            ("KLANTSPIEGEL_HEAVY_LIMIT", "1"),
            ("KLANTSPIEGEL_WRITE_MIN_RATE", "4096"),
        ];
        let reads = std::cell::RefCell::new(std::collections::HashMap::<String, u32>::new());
        let source = vars(&all);
        let s = Settings::from_vars(Flags::default(), |name| {
            *reads.borrow_mut().entry(name.to_string()).or_default() += 1;
            source(name)
        })
        .unwrap();
        let reads = reads.into_inner();
        for (name, _) in all {
            assert_eq!(reads.get(name), Some(&1), "{name}: {reads:?}");
        }
        assert_eq!(reads.len(), all.len(), "{reads:?}");
        assert_eq!(s.database.target, "/tmp/x.db");
        assert_eq!(s.admin_token.as_deref(), Some(TOKEN_32));
        assert_eq!((s.pool_size, s.respondent_limit), (3, 0));
        assert_eq!(s.pool_wait, std::time::Duration::from_millis(250));
        assert_eq!(s.audit_days, 365);
        assert!(s.secure_cookies);
        assert_eq!(s.public_url.as_deref(), Some("https://enquete.example.nl"));
        let mail = s.mail.unwrap();
        assert_eq!(
            (mail.smtp.host.as_str(), mail.smtp.port),
            ("127.0.0.1", 2525)
        );
        assert_eq!(mail.from, "Klantspiegel <noreply@example.nl>");
        assert_eq!(mail.rate_per_minute, 30);
        assert_eq!(mail.retry_base, std::time::Duration::from_secs(5));
        assert!(!s.sign_in.password_login);
        let oidc = s.sign_in.oidc.unwrap();
        assert_eq!(oidc.issuer, "https://idp.example.nl/realms/x");
        assert_eq!(oidc.email_claim.as_deref(), Some("preferred_username"));
        assert_eq!(s.trusted_proxies.len(), 3);
        assert!(s.trusted_proxies[0].contains("10.9.8.7".parse().unwrap()));
        assert_eq!(
            (s.reminder_cooldown_hours, s.heavy_limit, s.write_min_rate),
            (12, 1, 4096)
        );
    }

    #[test]
    fn proxies_and_the_heavy_limit_are_checked() {
        let p = Settings::from_vars(
            Flags::default(),
            vars(&[
                ("KLANTSPIEGEL_TRUSTED_PROXIES", "10.0.0.0/8,proxy.local"),
                ("KLANTSPIEGEL_POOL_SIZE", "4"),
                ("KLANTSPIEGEL_HEAVY_LIMIT", "4"),
            ]),
        )
        .unwrap_err();
        assert_eq!(p.0.len(), 2, "{p}");
        assert!(
            p.0[0].starts_with("KLANTSPIEGEL_TRUSTED_PROXIES: 'proxy.local'"),
            "{p}"
        );
        assert!(
            p.0[1].starts_with("KLANTSPIEGEL_HEAVY_LIMIT (4) must be below"),
            "{p}"
        );
        let s = Settings::from_vars(Flags::default(), vars(&[])).unwrap();
        assert_eq!(
            (s.reminder_cooldown_hours, s.heavy_limit, s.write_min_rate),
            (24, 2, 16384)
        );
        assert!(s.trusted_proxies.is_empty());
    }

    #[test]
    fn every_problem_is_returned_naming_its_variable() {
        let problems = Settings::from_vars(
            Flags::default(),
            vars(&[
                ("KLANTSPIEGEL_PUBLIC_URL", "enquete.example.nl"),
                ("KLANTSPIEGEL_ADMIN_TOKEN", "abc"),
                ("KLANTSPIEGEL_POOL_SIZE", "0"),
                ("KLANTSPIEGEL_SECURE_COOKIES", "ja"),
                ("KLANTSPIEGEL_SMTP_URL", "http://mail"),
                ("KLANTSPIEGEL_OIDC_ISSUER", "https://idp.example.nl"),
                ("KLANTSPIEGEL_OIDC_CLIENT_SECRET", "s"),
            ]),
        )
        .unwrap_err();
        let named: Vec<&str> = problems
            .0
            .iter()
            .map(|p| p.split([' ', ':']).next().unwrap())
            .collect();
        assert_eq!(
            named,
            vec![
                "KLANTSPIEGEL_ADMIN_TOKEN",
                "KLANTSPIEGEL_POOL_SIZE",
                "KLANTSPIEGEL_SECURE_COOKIES",
                "KLANTSPIEGEL_PUBLIC_URL",
                "KLANTSPIEGEL_SMTP_URL",
                "KLANTSPIEGEL_MAIL_FROM",
                "KLANTSPIEGEL_OIDC_CLIENT_ID",
            ],
            "{problems}"
        );
        assert!(problems.0[0].contains("is 3 characters long"), "{problems}");
        assert!(problems
            .to_string()
            .starts_with("the configuration has 7 problems:"));
        // The flag wins over the variable, and its problem names the flag.
        let p = Settings::from_vars(
            Flags {
                public_url: Some("ftp://x"),
                ..Flags::default()
            },
            vars(&[("KLANTSPIEGEL_PUBLIC_URL", "https://ok.example.nl")]),
        )
        .unwrap_err();
        assert!(p.0[0].starts_with("--public-url: "), "{p}");
        // The provider without any public URL.
        let p = Settings::from_vars(
            Flags::default(),
            vars(&[
                ("KLANTSPIEGEL_OIDC_ISSUER", "https://idp.example.nl"),
                ("KLANTSPIEGEL_OIDC_CLIENT_ID", "c"),
                ("KLANTSPIEGEL_OIDC_CLIENT_SECRET", "s"),
            ]),
        )
        .unwrap_err();
        assert_eq!(p.0.len(), 1);
        assert!(p.0[0].starts_with("KLANTSPIEGEL_OIDC_ISSUER needs KLANTSPIEGEL_PUBLIC_URL"));
    }

    #[test]
    fn the_admin_token_needs_32_characters() {
        let with = |t: &str| {
            Settings::from_vars(Flags::default(), vars(&[("KLANTSPIEGEL_ADMIN_TOKEN", t)]))
        };
        assert!(with(&TOKEN_32[..31]).is_err());
        assert_eq!(
            with(TOKEN_32).unwrap().admin_token.as_deref(),
            Some(TOKEN_32)
        );
        // 32 characters, not bytes.
        assert!(with(&"é".repeat(31)).is_err());
        assert!(with(&"é".repeat(32)).is_ok());
        // Blank: no token, as before.
        assert_eq!(with("  ").unwrap().admin_token, None);
    }
}
