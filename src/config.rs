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
        }
    }
}
