//! A wave's mailings page for researchers (admins): upload recipients, the counts per mailing
//! (queued, sent, failed, opted out, reminders), the mail server's refusals in words, and a
//! button that sends reminders. The page never shows an address: a refused upload lists the
//! bad rows by line and column, and the pasted list is not shown again.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::session::{error_page, page_user, redirect};
use super::{lang_of, render};
use crate::app::mailings::{self as app, MailingCounts, Ready};
use crate::domain::{MailingId, SurveyId, WaveId};
use crate::error::AppError;
use crate::http::auth::Principal;
use crate::http::{db, AppState};
use crate::i18n::mail::{mailings_page_text, MailingsPageText};
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::Lang;

/// The largest pasted recipients list.
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;

#[derive(askama::Template)]
#[template(path = "mailings.html")]
struct MailingsPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    m: &'a MailingsPageText,
    user: String,
    csrf: String,
    survey_id: SurveyId,
    wave_id: WaveId,
    survey_title: String,
    wave_name: String,
    closed: bool,
    mailings: Vec<MailingCounts>,
    notice: String,
    problem_heading: &'a str,
    problems: Vec<String>,
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// Reminders just queued (shown once).
    reminded: Option<i64>,
    /// An upload just queued.
    queued: Option<i64>,
    /// The delimiter the upload used: `comma` or `semicolon`.
    sep: Option<String>,
}

async fn admin(state: &AppState, req: &HttpRequest, lang: Lang) -> Result<Principal, HttpResponse> {
    let who = page_user(state, req).await?;
    who.require_admin().map_err(|e| error_page(lang, &e))?;
    Ok(who)
}

async fn show_page(
    state: &AppState,
    who: &Principal,
    lang: Lang,
    (survey_id, wave_id): (SurveyId, WaveId),
    status: StatusCode,
    notice: String,
    (problem_heading, problems): (&'static str, Vec<String>),
) -> HttpResponse {
    let overview = match db(state, move |conn| {
        app::wave_overview(conn, survey_id, wave_id)
    })
    .await
    {
        Ok(o) => o,
        Err(e) => return error_page(lang, &e),
    };
    let (t, m) = (app_text(lang), mailings_page_text(lang));
    render(
        status,
        &MailingsPage {
            lang: t.lang_code,
            title: m.title,
            t,
            m,
            user: who.email.clone().unwrap_or_default(),
            csrf: who.csrf.clone().unwrap_or_default(),
            survey_id,
            wave_id,
            survey_title: overview.survey_title,
            wave_name: overview.wave_name,
            closed: overview.closed,
            mailings: overview.mailings,
            notice,
            problem_heading,
            problems,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    query: web::Query<PageQuery>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let who = match admin(&state, &req, lang).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let m = mailings_page_text(lang);
    let notice = match (query.queued, query.reminded) {
        (Some(_), _) => {
            let sep = match query.sep.as_deref() {
                Some("semicolon") => Some(";"),
                Some("comma") => Some(","),
                _ => None,
            };
            match sep {
                Some(sep) => format!("{} {}", m.upload_done, m.read_with.replace("{sep}", sep)),
                None => m.upload_done.to_string(),
            }
        }
        (_, Some(n)) => format!("{} {n}", m.reminders_queued),
        _ => String::new(),
    };
    show_page(
        &state,
        &who,
        lang,
        path.into_inner(),
        StatusCode::OK,
        notice,
        ("", vec![]),
    )
    .await
}

#[derive(Deserialize)]
pub struct UploadForm {
    csrf: String,
    csv: String,
}

#[tracing::instrument(skip_all)]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    form: web::Form<UploadForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let who = match admin(&state, &req, lang).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let form = form.into_inner();
    if let Err(e) = who.check_csrf(Some(&form.csrf)) {
        return error_page(lang, &e);
    }
    let (survey_id, wave_id) = path.into_inner();
    let public_url = state.settings.public_url.clone();
    let smtp = state.settings.mail.is_some();
    let queued = db(&state, move |conn| {
        let ready = Ready {
            public_url: public_url.as_deref(),
            smtp,
        };
        app::queue_mailing(conn, survey_id, wave_id, form.csv.as_bytes(), ready)
    })
    .await;
    let m = mailings_page_text(lang);
    let problems = match queued {
        Ok(c) => {
            return redirect(&format!(
                "/admin/surveys/{survey_id}/waves/{wave_id}/mailings?lang={}&queued={}&sep={}",
                lang.code(),
                c.id,
                if c.delimiter.as_deref() == Some(";") {
                    "semicolon"
                } else {
                    "comma"
                }
            ))
        }
        Err(AppError::ImportRejected { rows, .. }) => (
            m.problems,
            rows.iter()
                .map(|r| match &r.column {
                    Some(c) => format!(
                        "{} {}, {} {c}: {}",
                        m.line,
                        r.line,
                        m.column,
                        r.message(lang)
                    ),
                    None => format!("{} {}: {}", m.line, r.line, r.message(lang)),
                })
                .collect(),
        ),
        Err(e) if e.is_validation() => (m.not_ready, vec![e.message(lang)]),
        Err(e) => return error_page(lang, &e),
    };
    let ids = (survey_id, wave_id);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show_page(&state, &who, lang, ids, status, String::new(), problems).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

#[tracing::instrument(skip_all)]
pub async fn remind(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId, MailingId)>,
    form: web::Form<CsrfForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let who = match admin(&state, &req, lang).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    if let Err(e) = who.check_csrf(Some(&form.csrf)) {
        return error_page(lang, &e);
    }
    let (survey_id, wave_id, mailing_id) = path.into_inner();
    let public_url = state.settings.public_url.clone();
    let smtp = state.settings.mail.is_some();
    let n = db(&state, move |conn| {
        let ready = Ready {
            public_url: public_url.as_deref(),
            smtp,
        };
        app::queue_reminders(conn, survey_id, wave_id, mailing_id, ready)
    })
    .await;
    match n {
        Ok(n) => redirect(&format!(
            "/admin/surveys/{survey_id}/waves/{wave_id}/mailings?lang={}&reminded={n}",
            lang.code()
        )),
        Err(e) if e.is_validation() => {
            let m = mailings_page_text(lang);
            let ids = (survey_id, wave_id);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show_page(
                &state,
                &who,
                lang,
                ids,
                status,
                String::new(),
                (m.not_ready, vec![e.message(lang)]),
            )
            .await
        }
        Err(e) => error_page(lang, &e),
    }
}
