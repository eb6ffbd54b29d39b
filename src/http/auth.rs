//! Who is asking: the admin bearer token, or a logged-in user's session cookie.

use actix_web::{dev::Payload, http::Method, web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;
use subtle::ConstantTimeEq;

use super::{db, AppState};
use crate::app::accounts;
pub use crate::app::accounts::Principal;
use crate::error::AppError;
use crate::error::ErrorCode;

pub const SESSION_COOKIE: &str = "ks_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

fn bearer(req: &HttpRequest) -> Option<String> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    let s = h.to_str().ok()?;
    let token = s
        .strip_prefix("Bearer ")
        .or_else(|| s.strip_prefix("bearer "))?;
    Some(token.trim().to_string())
}

/// Resolves a session cookie to a principal (None when absent, unknown or expired).
pub async fn from_session(state: &AppState, cookie: &str) -> Result<Option<Principal>, AppError> {
    let cookie = cookie.to_string();
    db(state, move |conn| accounts::from_session(conn, &cookie)).await
}

impl FromRequest for Principal {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Principal, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let request = req.clone();
        let bearer = bearer(req);
        let ip = crate::http::client::client_ip(req);
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
        let unsafe_api = req.path().starts_with("/api/")
            && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let csrf_header = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?;
            if let Some(token) = bearer {
                state.bearer_limit.check(ip)?;
                let ok = state
                    .settings
                    .admin_token
                    .as_deref()
                    .is_some_and(|t| bool::from(t.as_bytes().ct_eq(token.as_bytes())));
                return if ok {
                    let who = Principal::admin_token();
                    super::audit::remember(&request, &who);
                    Ok(who)
                } else {
                    state.bearer_limit.failed(ip);
                    Err(ErrorCode::Unauthorized.into())
                };
            }
            if let Some(cookie) = cookie {
                if let Some(p) = from_session(&state, &cookie).await? {
                    super::audit::remember(&request, &p);
                    if unsafe_api {
                        p.check_csrf(csrf_header.as_deref())?;
                    }
                    return Ok(p);
                }
            }
            Err(ErrorCode::Unauthorized.into())
        })
    }
}
