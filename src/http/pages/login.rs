//! Signing in and out. Sessions live in the database (`app::accounts`).

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::session::{error_page, page_cookie, redirect, remove_cookie, safe_next, urlencode};
use super::{lang_of, message, render};
use crate::app::accounts::{self, SESSION_HOURS};
use crate::http::auth::SESSION_COOKIE;
use crate::http::{db, AppState};
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::sign_in::{sign_in_text, SignInText};
use crate::i18n::Lang;

const LOGIN_COOKIE: &str = "ks_login";

#[derive(askama::Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    csrf: String,
    next: String,
    error: Option<&'a str>,
    email: String,
    s: &'a SignInText,
    /// The password form is shown (`KLANTSPIEGEL_PASSWORD_LOGIN`).
    password: bool,
    /// The organisation's sign-in, when a provider is configured.
    oidc_href: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn login_cookie(value: &str, secure: bool) -> Cookie<'static> {
    let value = value.to_string();
    page_cookie(LOGIN_COOKIE, value, "/login", secure, SameSite::Strict).finish()
}

fn login_page(
    state: &AppState,
    lang: Lang,
    status: StatusCode,
    next: String,
    error: Option<&'static str>,
    email: String,
) -> HttpResponse {
    let t = app_text(lang);
    let csrf = accounts::new_secret().unwrap_or_default();
    let oidc_href = state.oidc.is_some().then(|| {
        format!(
            "/auth/oidc/login?next={}&lang={}",
            urlencode(&next),
            lang.code()
        )
    });
    let mut resp = render(
        status,
        &LoginPage {
            lang: t.lang_code,
            title: t.login_title,
            t,
            csrf: csrf.clone(),
            next,
            error,
            email,
            s: sign_in_text(lang),
            password: state.settings.sign_in.password_login,
            oidc_href,
        },
    );
    let _ = resp.add_cookie(&login_cookie(&csrf, state.settings.secure_cookies));
    resp
}

#[tracing::instrument(skip_all)]
pub async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<NextQuery>,
) -> HttpResponse {
    login_page(
        &state,
        lang_of(&req),
        StatusCode::OK,
        safe_next(q.next.as_deref()),
        None,
        String::new(),
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: Option<String>,
    next: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let t = app_text(lang);
    let form = form.into_inner();
    let next = safe_next(form.next.as_deref());
    let cookie = req
        .cookie(LOGIN_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let sent = form.csrf.unwrap_or_default();
    if !state.settings.sign_in.password_login {
        // Password sign-in is off: no password is checked, no one is signed in.
        refuse_sign_in(&state, "password sign-in is off").await;
        return login_page(
            &state,
            lang,
            StatusCode::FORBIDDEN,
            next,
            Some(sign_in_text(lang).password_off),
            String::new(),
        );
    }
    if cookie.is_empty() || !bool::from(cookie.as_bytes().ct_eq(sent.as_bytes())) {
        refuse_sign_in(&state, "form token refused").await;
        return login_page(
            &state,
            lang,
            StatusCode::FORBIDDEN,
            next,
            Some(t.login_failed),
            form.email,
        );
    }
    let ip = crate::http::client::client_ip(&req)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let email = form.email.clone();
    let password = form.password;
    let outcome = db(&state, move |conn| {
        accounts::login(conn, &ip, &email, &password)
    })
    .await;
    match outcome {
        Ok(Some(session)) => signed_in_to(&next, session.token, state.settings.secure_cookies),
        Ok(None) => login_page(
            &state,
            lang,
            StatusCode::UNAUTHORIZED,
            next,
            Some(t.login_failed),
            form.email,
        ),
        Err(e) if e.code() == "rate_limited" => too_many_page(lang, e.retry_after().unwrap_or(1)),
        Err(e) => error_page(lang, &e),
    }
}

/// Logs a password sign-in refused before any account was looked at.
async fn refuse_sign_in(state: &AppState, reason: &'static str) {
    let logged = db(state, move |conn| {
        accounts::refuse_sign_in(
            conn,
            accounts::SignInMethod::Password,
            crate::app::audit::Outcome::Refused,
            reason,
        )
    })
    .await;
    if let Err(e) = logged {
        tracing::warn!(error = %e, "a refused sign-in could not be logged");
    }
}

/// 429 on a sign-in (a password, or the organisation's): the seconds to wait in Retry-After.
pub fn too_many_page(lang: Lang, retry_after: u64) -> HttpResponse {
    let t = app_text(lang);
    let body = crate::i18n::pages::try_again_in(lang, retry_after, crate::store::now());
    let status = StatusCode::TOO_MANY_REQUESTS;
    let page = message(status, t.lang_code, t.login_title, &body, "problem");
    super::session::retry_after(page, Some(retry_after))
}

/// On to `next` (a path of this site), with the cookie of the new session.
pub fn signed_in_to(next: &str, token: String, secure: bool) -> HttpResponse {
    let mut resp = redirect(next);
    let _ = resp.add_cookie(&session_cookie(token, secure));
    resp
}

/// The session cookie of a new session (a password or the organisation's sign-in).
fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    page_cookie(SESSION_COOKIE, token, "/", secure, SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::hours(SESSION_HOURS))
        .finish()
}

#[derive(askama::Template)]
#[template(path = "logout.html")]
struct LogoutPage<'a> {
    lang: &'a str,
    title: &'a str,
    heading: &'a str,
    body: &'a str,
    button: &'a str,
    csrf: &'a str,
}

/// The signed-in principal of the request's session cookie, with the cookie's value.
async fn signed_in(state: &AppState, req: &HttpRequest) -> Option<(String, accounts::Principal)> {
    let cookie = req.cookie(SESSION_COOKIE)?.value().to_string();
    let who = crate::http::auth::from_session(state, &cookie)
        .await
        .ok()??;
    Some((cookie, who))
}

/// `GET /logout`: a link never logs anyone out (another site could link here); a signed-in
/// reader gets a page with the button that does, everyone else the login page.
#[tracing::instrument(skip_all)]
pub async fn logout_page(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    match signed_in(&state, &req).await {
        Some((_, who)) => confirm_logout(lang_of(&req), who.csrf.as_deref().unwrap_or_default()),
        None => redirect("/login"),
    }
}

fn confirm_logout(lang: Lang, csrf: &str) -> HttpResponse {
    let s = sign_in_text(lang);
    render(
        StatusCode::OK,
        &LogoutPage {
            lang: lang.code(),
            title: s.logout_title,
            heading: s.logout_title,
            body: s.logout_question,
            button: s.logout_button,
            csrf,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct LogoutForm {
    csrf: Option<String>,
}

/// `POST /logout` with the session's CSRF token (the menu's button): ends the session. Without
/// the token (a form on another site), the page with the button instead.
#[tracing::instrument(skip_all)]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: Option<web::Form<LogoutForm>>,
) -> HttpResponse {
    let sent = form.and_then(|f| f.into_inner().csrf);
    if let Some((cookie, who)) = signed_in(&state, &req).await {
        if who.check_csrf(sent.as_deref()).is_err() {
            return confirm_logout(lang_of(&req), who.csrf.as_deref().unwrap_or_default());
        }
        let _ = db(&state, move |conn| accounts::logout(conn, &cookie)).await;
    }
    let mut resp = redirect("/login");
    remove_cookie(&mut resp, SESSION_COOKIE, "/");
    resp
}
