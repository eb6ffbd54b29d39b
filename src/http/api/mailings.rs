//! Invitations by e-mail: a wave's mailings (recipients CSV in, counts out), reminders, and a
//! survey's mail templates with a preview. Admins only. No answer holds an address or a token.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::audited_change;
use crate::app::audit::{self, Action, Object};
use crate::app::mailings::{self as app, MailingCounts, Ready, TemplateView};
use crate::domain::{Audience, MailKind, MailingId, SurveyId, WaveId};
use crate::error::ErrorCode;
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::i18n::Lang;
use crate::mail::render::Written;

/// Largest recipients CSV.
pub const RECIPIENTS_LIMIT: usize = 2 * 1024 * 1024;

/// Whether this instance can mail, as `app::mailings` is told ([`Ready`]).
struct MailSetup {
    public_url: Option<String>,
    smtp: bool,
}

impl MailSetup {
    fn of(state: &AppState) -> MailSetup {
        MailSetup {
            public_url: state.settings.public_url.clone(),
            smtp: state.settings.mail.is_some(),
        }
    }

    fn ready(&self) -> Ready<'_> {
        Ready {
            public_url: self.public_url.as_deref(),
            smtp: self.smtp,
        }
    }
}

handler! {
    (post, path = "/api/v1/surveys/{id}/waves/{wave_id}/mailings", tag = "mail",
        params(("id" = i64, Path, description = "survey id"), ("wave_id" = i64, Path, description = "wave id")),
        request_body(content = String, content_type = "text/csv", description = "Columns `email`, `team` (name or id), `audience` (`employee` or `customer`), optionally `lang` (`nl` or `en`)."))
    responses((status = 201, body = MailingCounts, description = "one invitation per address, one e-mail each queued"),
        (status = 409, body = ErrorBody, description = "the wave is closed (`wave_closed`), or this mailing's reminders went out within the cool-down (`reminders_too_soon`; the message names when the next round is allowed, `Retry-After` in seconds)"),
        (status = 422, body = ErrorBody, description = "every bad row (`rows`: line, column), or the server is not set up to mail (`field`: `public_url` or `smtp_url`); nothing queued"))
    errors(401, 403, 404, 413) bearer
    fn create_mailing(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, WaveId)>,
        payload: web::Payload,
    ) {
        who.require_admin()?;
        let body = payload
            .to_bytes_limited(RECIPIENTS_LIMIT)
            .await
            .map_err(|_| {
                AppError::from(ErrorCode::FileTooLarge {
                    mb: (RECIPIENTS_LIMIT / (1024 * 1024)) as u64,
                })
            })?
            .map_err(|e| {
                AppError::from(ErrorCode::BodyUnreadable {
                    detail: e.to_string(),
                })
            })?;
        let (survey_id, wave_id) = path.into_inner();
        let setup = MailSetup::of(&state);
        let queue = move |c: &mut _, _: &Principal| {
            app::queue_mailing(c, survey_id, wave_id, &body, setup.ready())
        };
        let counts = audited_change(
            &state,
            who,
            Action::MailingCreated,
            queue,
            audit::mailing_queued,
        )
        .await?;
        Ok(HttpResponse::Created().json_line(counts))
    }
}

handler! {
    (get, path = "/api/v1/surveys/{id}/waves/{wave_id}/mailings", tag = "mail",
        params(("id" = i64, Path, description = "survey id"), ("wave_id" = i64, Path, description = "wave id")))
    responses((status = 200, body = Vec<MailingCounts>)) errors(401, 403, 404) bearer
    fn list_mailings(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, WaveId)>,
    ) {
        who.require_admin()?;
        let (survey_id, wave_id) = path.into_inner();
        let cooldown = state.settings.reminder_cooldown();
        let all: Vec<_> = db(&state, move |conn| {
            app::wave_mailings(conn, survey_id, wave_id)
        })
        .await?
        .into_iter()
        .map(|m| m.with_cooldown(cooldown))
        .collect();
        Ok(HttpResponse::Ok().json_line(all))
    }
}

handler! {
    (get, path = "/api/v1/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}", tag = "mail",
        params(("id" = i64, Path, description = "survey id"), ("wave_id" = i64, Path, description = "wave id"), ("mailing_id" = i64, Path, description = "mailing id")))
    responses((status = 200, body = MailingCounts)) errors(401, 403, 404) bearer
    fn get_mailing(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, WaveId, MailingId)>,
    ) {
        who.require_admin()?;
        let (survey_id, wave_id, mailing_id) = path.into_inner();
        let counts = db(&state, move |conn| {
            app::mailing_counts(conn, survey_id, wave_id, mailing_id)
        })
        .await?
        .with_cooldown(state.settings.reminder_cooldown());
        Ok(HttpResponse::Ok().json_line(counts))
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RemindersQueued {
    /// Reminders queued: one per recipient whose invitation was sent and is still unused, and
    /// who did not opt out.
    pub reminders_queued: i64,
}

handler! {
    (post, path = "/api/v1/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/reminders",
        tag = "mail",
        params(("id" = i64, Path, description = "survey id"), ("wave_id" = i64, Path, description = "wave id"), ("mailing_id" = i64, Path, description = "mailing id")))
    responses((status = 202, body = RemindersQueued),
        (status = 409, body = ErrorBody, description = "the wave is closed (`wave_closed`)"),
        (status = 422, body = ErrorBody, description = "the server is not set up to mail (`public_url` or `smtp_url`)"))
    errors(401, 403, 404) bearer
    fn send_reminders(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, WaveId, MailingId)>,
    ) {
        who.require_admin()?;
        let (survey_id, wave_id, mailing_id) = path.into_inner();
        let setup = MailSetup::of(&state);
        let cooldown = state.settings.reminder_cooldown();
        let queue = move |c: &mut _, _: &Principal| {
            app::queue_reminders(c, survey_id, wave_id, mailing_id, setup.ready(), cooldown)
        };
        let about = move |n: &i64| {
            Object::id("mailing", mailing_id).detail(format!(
                "{n} reminder(s), wave {wave_id}, survey {survey_id}"
            ))
        };
        let n = audited_change(&state, who, Action::RemindersQueued, queue, about).await?;
        Ok(HttpResponse::Accepted().json_line(RemindersQueued {
            reminders_queued: n,
        }))
    }
}

// ---------- templates ----------

handler! {
    (get, path = "/api/v1/surveys/{id}/mail-templates", tag = "mail",
        params(("id" = i64, Path, description = "survey id")))
    responses((status = 200, body = Vec<TemplateView>, description = "NL employees, NL customers, EN employees, EN customers: the survey's own template, or the default"))
    errors(401, 403, 404) bearer
    fn list_templates(state: web::Data<AppState>, who: Principal, path: web::Path<SurveyId>) {
        who.require_admin()?;
        let survey_id = path.into_inner();
        let all = db(&state, move |conn| app::templates(conn, survey_id)).await?;
        Ok(HttpResponse::Ok().json_line(all))
    }
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateBody {
    /// One line; may use `{organisation}` and `{closes_at}`.
    pub subject: String,
    /// Must contain `{link}`; may use `{organisation}` and `{closes_at}`. The opt-out line is
    /// added below it in every mail.
    pub body: String,
}

fn lang_of_path(lang: &str) -> Result<Lang, AppError> {
    match lang {
        "nl" => Ok(Lang::Nl),
        "en" => Ok(Lang::En),
        _ => Err(ErrorCode::TemplateLanguageNotFound {
            lang: lang.to_string(),
        }
        .into()),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AudienceQuery {
    /// `employee` or `customer`; absent: both audiences.
    pub audience: Option<String>,
}

/// `?audience=`: one audience, or (absent or empty) both.
fn audience_of(q: &AudienceQuery) -> Result<Option<Audience>, AppError> {
    match q
        .audience
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => Ok(None),
        Some(a) => Ok(Some(Audience::parse_field(a, "audience")?)),
    }
}

handler! {
    (put, path = "/api/v1/surveys/{id}/mail-templates/{lang}", tag = "mail",
        params(("id" = i64, Path, description = "survey id"), ("lang" = String, Path, description = "`nl` or `en`"), AudienceQuery),
        request_body = TemplateBody)
    responses((status = 200, body = Vec<TemplateView>, description = "the changed templates: the one audience named, or employees then customers"))
    errors(400, 401, 403, 404, 422) bearer
    fn set_template(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, String)>,
        query: web::Query<AudienceQuery>,
        body: web::Json<TemplateBody>,
    ) {
        let text = Some(body.into_inner());
        change_template(
            &state,
            who,
            path.into_inner(),
            &query,
            Action::TemplateSet,
            text,
        )
        .await
    }
}

handler! {
    (delete, path = "/api/v1/surveys/{id}/mail-templates/{lang}", tag = "mail",
        params(("id" = i64, Path, description = "survey id"), ("lang" = String, Path, description = "`nl` or `en`"), AudienceQuery))
    responses((status = 200, body = Vec<TemplateView>, description = "the defaults that apply again"))
    errors(401, 403, 404) bearer
    fn reset_template(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, String)>,
        query: web::Query<AudienceQuery>,
    ) {
        change_template(
            &state,
            who,
            path.into_inner(),
            &query,
            Action::TemplateReset,
            None,
        )
        .await
    }
}

/// Sets (`text`) or resets (`None`) a survey's template in one language, for the audience
/// the query names or for both.
async fn change_template(
    state: &AppState,
    who: Principal,
    (survey_id, lang): (SurveyId, String),
    query: &AudienceQuery,
    action: Action,
    text: Option<TemplateBody>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let lang = lang_of_path(&lang)?;
    let audience = audience_of(query)?;
    let change = move |c: &mut _, _: &Principal| {
        let text = text.as_ref().map(|t| (t.subject.as_str(), t.body.as_str()));
        app::set_template(c, survey_id, lang, audience, text)
    };
    let about = move |_: &Vec<TemplateView>| audit::template(survey_id, lang, audience);
    let views = audited_change(state, who, action, change, about).await?;
    Ok(HttpResponse::Ok().json_line(views))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// `nl` (default) or `en`.
    pub lang: Option<String>,
    /// `customer` (default) or `employee`: whose template.
    pub audience: Option<String>,
    /// `invitation` (default) or `reminder`.
    pub kind: Option<String>,
    /// The wave whose closing date fills `{closes_at}`.
    pub wave_id: Option<WaveId>,
}

handler! {
    (get, path = "/api/v1/surveys/{id}/mail-preview", tag = "mail",
        params(("id" = i64, Path, description = "survey id"), PreviewQuery))
    responses((status = 200, body = Written, description = "the mail as a recipient gets it, with example links"))
    errors(401, 403, 404, 422) bearer
    fn preview(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        query: web::Query<PreviewQuery>,
    ) {
        who.require_admin()?;
        let survey_id = path.into_inner();
        let lang = match query
            .lang
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => Lang::Nl,
            Some(l) => Lang::parse(l).ok_or_else(|| {
                AppError::at(
                    "lang",
                    ErrorCode::NotOneOf {
                        value: l.to_string(),
                        allowed: "nl, en".into(),
                    },
                )
            })?,
        };
        let kind = match query
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            None => MailKind::Invitation,
            Some(k) => MailKind::parse_field(k, "kind")?,
        };
        let audience = audience_of(&AudienceQuery {
            audience: query.audience.clone(),
        })?
        .unwrap_or(Audience::Customer);
        let wave_id = query.wave_id;
        let public_url = state.settings.public_url.clone();
        let written = db(&state, move |conn| {
            app::preview(
                conn,
                survey_id,
                lang,
                audience,
                kind,
                wave_id,
                public_url.as_deref(),
            )
        })
        .await?;
        Ok(HttpResponse::Ok().json_line(written))
    }
}
