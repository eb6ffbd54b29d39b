//! Signing in with the organisation's account: `GET /auth/oidc/login?next=` sends the browser
//! to the provider, `GET /auth/oidc/callback` takes it back (`app::sign_in` decides).

use actix_web::cookie::SameSite;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::login::{signed_in_to, too_many_page};
use super::session::{error_page, page_cookie, redirect, remove_cookie, safe_next};
use super::{lang_of, render};
use crate::app::sign_in::{self, Callback, Outcome, Refusal, PENDING_MINUTES};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::http::AppState;
use crate::i18n::sign_in::sign_in_text;
use crate::i18n::Lang;
use crate::oidc::Provider;
use crate::store::Pool;

/// Binds a sign-in in progress to the browser that started it. SameSite=Lax: the provider's
/// return is a cross-site top-level navigation, which carries Lax cookies (Strict would not).
pub const OIDC_COOKIE: &str = "ks_oidc";
const OIDC_PATH: &str = "/auth/oidc";

#[derive(askama::Template)]
#[template(path = "sign_in_refused.html")]
struct RefusedPage<'a> {
    lang: &'a str,
    title: &'a str,
    heading: &'a str,
    body: &'a str,
    back: &'a str,
    reason: &'a str,
}

fn refused_page(reason: Refusal, lang: Lang) -> HttpResponse {
    let s = sign_in_text(lang);
    let (status, body) = match reason {
        Refusal::Unknown => (StatusCode::FORBIDDEN, s.unknown),
        Refusal::Unverified => (StatusCode::FORBIDDEN, s.unverified),
        Refusal::BoundElsewhere => (StatusCode::FORBIDDEN, s.bound_elsewhere),
        Refusal::NotStarted => (StatusCode::BAD_REQUEST, s.not_started),
        Refusal::Cancelled => (StatusCode::BAD_REQUEST, s.cancelled),
        Refusal::Failed => (StatusCode::BAD_REQUEST, s.failed),
        Refusal::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, s.unavailable),
    };
    render(
        status,
        &RefusedPage {
            lang: lang.code(),
            title: s.refused_title,
            heading: s.refused_title,
            body,
            back: s.back_to_login,
            reason: reason.as_str(),
        },
    )
}

fn client_address(req: &HttpRequest) -> String {
    crate::http::client::client_ip(req)
        .map(|ip| ip.to_string())
        .unwrap_or_default()
}

/// A step of the sign-in with the configured provider, off the executor, given the browser's
/// binding cookie; None when no provider is configured.
async fn step<T: Send + 'static>(
    state: &AppState,
    req: &HttpRequest,
    run: impl FnOnce(&Pool, &Provider, Option<&str>) -> Result<T, AppError> + Send + 'static,
) -> Option<Result<T, AppError>> {
    let provider = state.oidc.clone()?;
    let browser = req.cookie(OIDC_COOKIE).map(|c| c.value().to_string());
    let pool = state.pool.clone();
    let done = web::block(move || run(&pool, &provider, browser.as_deref())).await;
    Some(done.map_err(AppError::from).and_then(|r| r))
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<StartQuery>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let next = safe_next(q.next.as_deref());
    let client = client_address(&req);
    let begun = step(&state, &req, move |pool, provider, browser| {
        sign_in::begin(pool, provider, &client, browser, &next, lang)
    });
    let Some(begun) = begun.await else {
        return error_page(lang, &ErrorCode::RouteNotFound.into());
    };
    match begun {
        Ok(begun) => {
            let secure = state.settings.secure_cookies;
            let cookie = page_cookie(OIDC_COOKIE, begun.browser, OIDC_PATH, secure, SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::minutes(PENDING_MINUTES))
                .finish();
            let mut resp = redirect(&begun.url);
            let _ = resp.add_cookie(&cookie);
            resp
        }
        Err(e) if e.code() == "rate_limited" => too_many_page(lang, e.retry_after().unwrap_or(1)),
        Err(e) if e.code() == "unavailable" => refused_page(Refusal::Unavailable, lang),
        Err(e) => error_page(lang, &e),
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    iss: Option<String>,
    error: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<CallbackQuery>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let q = q.into_inner();
    let callback = Callback {
        state: q.state,
        code: q.code,
        iss: q.iss,
        error: q.error,
    };
    let outcome = step(&state, &req, move |pool, provider, browser| {
        sign_in::finish(pool, provider, &callback, browser, lang)
    });
    let Some(outcome) = outcome.await else {
        return error_page(lang, &ErrorCode::RouteNotFound.into());
    };
    let mut resp = match outcome {
        Ok(Outcome::SignedIn { session, next, .. }) => {
            let secure = state.settings.secure_cookies;
            signed_in_to(&safe_next(Some(&next)), session.token, secure)
        }
        Ok(Outcome::Refused { reason, lang }) => refused_page(reason, lang),
        Err(e) => error_page(lang, &e),
    };
    // The sign-in is over either way: the browser's binding cookie goes.
    remove_cookie(&mut resp, OIDC_COOKIE, OIDC_PATH);
    resp
}
