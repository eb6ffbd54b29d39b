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
}
