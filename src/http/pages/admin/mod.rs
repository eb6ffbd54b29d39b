//! The researcher's console under /admin: server-rendered pages for admins (the same login as
//! the team-lead pages), one file per page. Every form posts the API's field names, carries the
//! session's CSRF token, and on bad input shows each error next to its field, in the page's
//! language, with what was typed kept and nothing stored.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::session::page_user;
use super::{lang_of, render, MessagePage};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::http::auth::Principal;
use crate::http::AppState;
use crate::i18n::console::{console_text, ConsoleText};
use crate::i18n::Lang;

pub mod links;
pub mod overview;
pub mod survey;
pub mod survey_form;
pub mod teams;
pub mod users;
pub mod wave;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(overview::show))
        .route("/admin/teams", web::get().to(teams::show))
        .route("/admin/teams", web::post().to(teams::create))
        .route("/admin/teams/{id}", web::post().to(teams::rename))
        .route("/admin/teams/{id}/delete", web::post().to(teams::delete))
        .route("/admin/users", web::get().to(users::show))
        .route("/admin/users", web::post().to(users::create))
        .route("/admin/users/{id}", web::post().to(users::update))
        .route("/admin/users/{id}/delete", web::post().to(users::delete))
        .route("/admin/surveys/new", web::get().to(survey::new))
        .route("/admin/surveys", web::post().to(survey::create))
        .route("/admin/surveys/{id}", web::get().to(survey::edit))
        .route("/admin/surveys/{id}", web::post().to(survey::update))
        .route(
            "/admin/surveys/{id}/preview",
            web::get().to(survey::preview),
        )
        .route("/admin/surveys/{id}/waves", web::post().to(wave::create))
        .route(
            "/admin/surveys/{id}/waves/{wave_id}",
            web::get().to(wave::show),
        )
        .route(
            "/admin/surveys/{id}/waves/{wave_id}",
            web::post().to(wave::update),
        )
        .route(
            "/admin/surveys/{id}/waves/{wave_id}/close",
            web::post().to(wave::close),
        )
        .route(
            "/admin/surveys/{id}/waves/{wave_id}/import",
            web::post().to(wave::import),
        )
        .route(
            "/admin/surveys/{id}/waves/{wave_id}/links",
            web::post().to(links::personal),
        )
        .route(
            "/admin/surveys/{id}/waves/{wave_id}/team-links",
            web::post().to(links::team_link),
        )
        .route(
            "/admin/invitations/{id}/revoke",
            web::post().to(wave::revoke),
        );
}

/// Who is using the console, in which language.
pub struct Ctx {
    pub lang: Lang,
    pub t: &'static ConsoleText,
    pub who: Principal,
}

impl Ctx {
    pub fn csrf(&self) -> String {
        self.who.csrf.clone().unwrap_or_default()
    }
    pub fn user(&self) -> String {
        self.who.email.clone().unwrap_or_default()
    }
    /// `?lang=xx` for links that keep the page's language.
    pub fn q(&self) -> String {
        format!("lang={}", self.lang.code())
    }
}

/// The logged-in admin, or the login page (not logged in) or a 403 page (not an admin).
pub async fn admin(state: &AppState, req: &HttpRequest) -> Result<Ctx, HttpResponse> {
    let lang = lang_of(req);
    let who = page_user(state, req).await?;
    let t = console_text(lang);
    if !who.is_admin() {
        return Err(render(
            StatusCode::FORBIDDEN,
            &MessagePage {
                lang: t.lang_code,
                title: t.not_admin,
                heading: t.not_admin,
                body: "",
                kind: "problem",
            },
        ));
    }
    Ok(Ctx { lang, t, who })
}

/// A posted form: its fields in order (a name may repeat, e.g. `team_ids`).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of a field, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
    /// The value, or None when absent or empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
    /// Checks the form's CSRF token against the session's: the 403 page when it is wrong.
    pub fn csrf_refused(&self, ctx: &Ctx) -> Option<HttpResponse> {
        ctx.who
            .check_csrf(Some(&self.get("csrf")))
            .err()
            .map(|e| super::session::error_page(ctx.lang, &e))
    }
    /// A number field: None when empty; what was typed when it is no number (for the error).
    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, AppError> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v
                .replace(',', ".")
                .parse::<T>()
                .map(Some)
                .map_err(|_| AppError::at(name, ErrorCode::NotANumber { value: v.clone() })),
        }
    }
}

/// Errors shown next to their fields (`_form` for the form as a whole).
#[derive(Default)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The message for an error from `app`: a validation error next to its field, a refused
    /// change above the form; None for errors a form cannot show (they get an error page).
    pub fn from_error(lang: Lang, e: &AppError) -> Option<Errors> {
        match e {
            e if e.is_validation() => Some(Errors(vec![(
                e.field().unwrap_or_default(),
                e.message(lang),
            )])),
            e if e.is_conflict() => Some(Errors(vec![("_form".into(), e.message(lang))])),
            _ => None,
        }
    }
}

/// A date-time typed into a form, as RFC 3339 in UTC: `2026-03-01 09:00`, `2026-03-01T09:00`,
/// `2026-03-01` and RFC 3339 itself are understood; anything else is passed on unchanged so the
/// validation names the field.
pub fn form_instant(s: &str) -> String {
    let s = s.trim();
    if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
        return s.to_string();
    }
    for f in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return t.and_utc().to_rfc3339();
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_time(chrono::NaiveTime::MIN).and_utc().to_rfc3339();
    }
    s.to_string()
}

/// A stored instant as the forms show it (UTC, minutes).
pub fn show_instant(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// A fraction as a percentage ("—" when there is none).
pub fn percent(lang: Lang, r: Option<f64>) -> String {
    match r {
        None => "—".into(),
        Some(r) => format!("{}%", crate::i18n::format::number(lang, 100.0 * r, 0)),
    }
}

/// An error page for what a form cannot show next to a field.
pub fn failed(ctx: &Ctx, e: &AppError) -> HttpResponse {
    super::session::error_page(ctx.lang, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dates_become_rfc3339_in_utc() {
        assert_eq!(
            form_instant("2026-03-01 09:00"),
            "2026-03-01T09:00:00+00:00"
        );
        assert_eq!(
            form_instant("2026-03-01T09:00"),
            "2026-03-01T09:00:00+00:00"
        );
        assert_eq!(form_instant("2026-03-01"), "2026-03-01T00:00:00+00:00");
        assert_eq!(
            form_instant("2026-03-01T09:00:00+01:00"),
            "2026-03-01T09:00:00+01:00"
        );
        assert_eq!(form_instant("morgen"), "morgen");
    }
}
