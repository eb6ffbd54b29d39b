//! What every signed-in page shares: the signed-in user (or a redirect to the login page),
//! redirects that stay on this site, error pages in the reader's language, the pages' cookies,
//! and what a page's form does (its CSRF token, its team, its change with the audit entry).

use actix_web::cookie::{Cookie, CookieBuilder, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use super::{lang_of, message};
use crate::domain::TeamId;
use crate::error::{AppError, ErrorCode};
use crate::http::auth::{from_session, Principal, SESSION_COOKIE};
use crate::http::AppState;
use crate::i18n::pages::app_text;
use crate::i18n::Lang;

pub fn redirect(to: &str) -> HttpResponse {
    let to = header::HeaderValue::from_str(to)
        .unwrap_or_else(|_| header::HeaderValue::from_static("/dashboard"));
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// The logged-in user of a page, or a redirect to the login page.
pub async fn page_user(state: &AppState, req: &HttpRequest) -> Result<Principal, HttpResponse> {
    let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    if let Some(c) = cookie {
        if let Ok(Some(p)) = from_session(state, &c).await {
            crate::http::audit::remember(req, &p);
            return Ok(p);
        }
    }
    let next = format!(
        "{}{}",
        req.path(),
        if req.query_string().is_empty() {
            String::new()
        } else {
            format!("?{}", req.query_string())
        }
    );
    Err(redirect(&format!("/login?next={}", urlencode(&next))))
}

/// The page's language and its signed-in user (or a redirect to the login page).
pub async fn page_reader(
    state: &AppState,
    req: &HttpRequest,
) -> Result<(Lang, Principal), HttpResponse> {
    Ok((lang_of(req), page_user(state, req).await?))
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only a path of this site is followed after login; anything else goes to /dashboard.
/// A path starts with one `/` and holds only visible ASCII: browsers drop tabs and newlines
/// from a URL (`/\t/host` becomes `//host`, another site) and read `\` as `/`, and a control
/// character cannot go in a header at all. Percent-escapes stay as they are: the browser
/// sends them back in the path, on this site.
pub fn safe_next(next: Option<&str>) -> String {
    let local = |n: &str| {
        let b = n.as_bytes();
        b.first() == Some(&b'/')
            && !matches!(b.get(1), Some(b'/' | b'\\'))
            && b.iter().all(|c| c.is_ascii_graphic() && *c != b'\\')
    };
    match next {
        Some(n) if local(n) => n.to_string(),
        _ => "/dashboard".to_string(),
    }
}

/// An error as a page in the reader's language: what went wrong, said by its code (never the
/// API's English), with `Retry-After` where trying again helps.
pub fn error_page(lang: Lang, e: &AppError) -> HttpResponse {
    use actix_web::http::StatusCode;
    use actix_web::ResponseError;
    let t = app_text(lang);
    let status = e.status_code();
    let heading = match status {
        StatusCode::FORBIDDEN => t.forbidden,
        StatusCode::NOT_FOUND => t.not_found,
        _ => t.problem,
    };
    let page = message(status, t.lang_code, heading, &e.message(lang), "problem");
    retry_after(page, e.retry_after())
}

/// The page with `Retry-After` when trying again after so many seconds helps.
pub fn retry_after(mut page: HttpResponse, secs: Option<u64>) -> HttpResponse {
    if let Some(secs) = secs {
        page.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
    }
    page
}

/// The signed-in user of a form that changes something, in the page's language, once the
/// form's CSRF token matched the session's (a wrong one: an error page).
pub async fn form_user(
    state: &AppState,
    req: &HttpRequest,
    csrf: &str,
) -> Result<(Lang, Principal), HttpResponse> {
    let (lang, who) = page_reader(state, req).await?;
    who.check_csrf(Some(csrf))
        .map_err(|e| error_page(lang, &e))?;
    Ok((lang, who))
}

/// A form's optional team (`team_id`, empty for the whole organisation): a number or none.
pub fn form_team(value: Option<&str>) -> Result<Option<TeamId>, AppError> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<TeamId>().map(Some).map_err(|_| {
            let e = ErrorCode::NotANumber {
                value: s.to_string(),
            };
            AppError::at("team_id", e)
        }),
    }
}

/// What a page's form could not do: a refused value is said on a page of the form's own
/// `heading` (422); any other error is an error page.
pub fn form_failed(lang: Lang, heading: &str, e: &AppError) -> HttpResponse {
    use actix_web::http::StatusCode;
    if e.is_validation() {
        message(
            StatusCode::UNPROCESSABLE_ENTITY,
            app_text(lang).lang_code,
            heading,
            &e.message(lang),
            "problem",
        )
    } else {
        error_page(lang, e)
    }
}

/// A cookie of this site's own pages: HTTP-only, and Secure when the site is served over HTTPS.
pub fn page_cookie(
    name: &'static str,
    value: String,
    path: &'static str,
    secure: bool,
    same_site: SameSite,
) -> CookieBuilder<'static> {
    Cookie::build(name, value)
        .path(path)
        .http_only(true)
        .secure(secure)
        .same_site(same_site)
}

/// Tells the browser to forget a cookie (the name and path it was set with).
pub fn remove_cookie(resp: &mut HttpResponse, name: &'static str, path: &'static str) {
    let mut gone = Cookie::build(name, "").path(path).finish();
    gone.make_removal();
    let _ = resp.add_cookie(&gone);
}

/// Makes a change as `who` (handed to `change` too), off the executor, in one transaction with
/// its audit entry ([`crate::app::audit::audited`]): what every form that changes something
/// does.
pub async fn change_as<T, C, A>(
    state: &AppState,
    who: Principal,
    action: crate::app::audit::Action,
    change: C,
    about: A,
) -> Result<T, AppError>
where
    T: Send + 'static,
    C: FnOnce(&mut crate::store::AnyConnection, &Principal) -> Result<T, AppError> + Send + 'static,
    A: FnOnce(&T) -> crate::app::audit::About + Send + 'static,
{
    crate::http::db(state, move |conn| {
        crate::app::audit::audited(conn, &who, action, |c| change(c, &who), about)
    })
    .await
}
