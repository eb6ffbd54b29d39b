//! The live workshop's phone identity and join link, shared by its API and its pages: the
//! per-device cookie (no account, no name) and the link the facilitator's screen shows.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;

use super::AppState;
use crate::app::live as app;
use crate::error::AppError;

/// The per-device cookie of a phone: the participant of a live session (no account, no name).
pub const DEVICE_COOKIE: &str = "ks_device";

/// The device cookie of a request, if it carries one that looks like ours.
pub fn device_of(req: &HttpRequest) -> Option<String> {
    req.cookie(DEVICE_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| (16..=128).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The request's device, or a new one with the cookie that names it.
pub fn device_or_new(
    req: &HttpRequest,
    secure: bool,
) -> Result<(String, Option<Cookie<'static>>), AppError> {
    if let Some(d) = device_of(req) {
        return Ok((d, None));
    }
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let value: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let cookie = Cookie::build(DEVICE_COOKIE, value.clone())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::hours(
            app::SESSION_HOURS + 1,
        ))
        .finish();
    Ok((value, Some(cookie)))
}

/// The join link: from the public URL, else from the request's own address.
pub fn join_url(state: &AppState, req: &HttpRequest, code: &str) -> String {
    let base = match &state.settings.public_url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    };
    format!("{base}/w/{code}")
}
