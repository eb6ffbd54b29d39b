//! What every signed-in page shares: the signed-in user (or a redirect to the login page),
//! redirects that stay on this site, and error pages in the reader's language.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use super::{render, MessagePage};
use crate::error::AppError;
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
    let body = e.message(lang);
    let mut resp = render(
        status,
        &MessagePage {
            lang: t.lang_code,
            title: heading,
            heading,
            body: &body,
            kind: "problem",
        },
    );
    if let Some(secs) = e.retry_after() {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
    }
    resp
}
