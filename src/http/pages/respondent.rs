//! The questionnaire at /r/{token}: employees rate themselves and predict; customers rate,
//! give their expectation and NPS. No JavaScript needed.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::BTreeMap;
use subtle::ConstantTimeEq;

use super::{lang_of, render, MessagePage};
use crate::app::submissions;
use crate::domain::submission::RawSubmission;
use crate::domain::{Audience, RatingKind};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::http::{db, AppState};
use crate::i18n::pages::{page_text, PageText};
use crate::i18n::Lang;
use crate::ingest::tokens::TokenContext;
use crate::store::surveys::{Dimension, Survey};

const FORM_COOKIE: &str = "ks_form";

pub struct Item {
    pub name: String,
    pub question: &'static str,
}

pub struct Question {
    pub label: String,
    pub statement: String,
    pub items: Vec<Item>,
}

/// A text of the survey in the page's language: the English one, or (on an English page
/// where none was given) the Dutch one, marked as such.
pub struct SurveyText {
    pub text: String,
    /// Shown in Dutch on an English page.
    pub fallback: bool,
}

fn in_lang(lang: Lang, nl: &Option<String>, en: &Option<String>) -> Option<SurveyText> {
    match (lang, nl, en) {
        (Lang::En, _, Some(en)) => Some(SurveyText {
            text: en.clone(),
            fallback: false,
        }),
        (Lang::En, Some(nl), None) => Some(SurveyText {
            text: nl.clone(),
            fallback: true,
        }),
        (Lang::Nl, Some(nl), _) => Some(SurveyText {
            text: nl.clone(),
            fallback: false,
        }),
        _ => None,
    }
}

#[derive(askama::Template)]
#[template(path = "questionnaire.html")]
pub struct QuestionnairePage<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub t: &'a PageText,
    /// The questionnaire's own path (`/r/TOKEN`); None in a preview (nothing can be sent).
    pub path: Option<String>,
    pub organisation: Option<String>,
    pub team: Option<String>,
    pub intro: &'a str,
    pub introduction: Option<SurveyText>,
    pub privacy: Option<SurveyText>,
    pub contact: Option<String>,
    pub scale_low: String,
    pub scale_high: String,
    pub csrf: String,
    pub questions: Vec<Question>,
    pub scale: Vec<i32>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub nps_values: Vec<i32>,
    pub ask_nps: bool,
    pub ask_comment: bool,
    pub errors: Vec<String>,
}

/// What a questionnaire is built from: a token's survey, or a survey previewed by an admin.
pub struct Source<'s> {
    pub survey: &'s Survey,
    pub dimensions: &'s [Dimension],
    pub audience: Audience,
    pub team: Option<String>,
}

fn questions(src: &Source, lang: Lang, t: &'static PageText) -> Vec<Question> {
    let survey = src.survey;
    let kinds: Vec<(RatingKind, &'static str)> = match src.audience {
        Audience::Employee => {
            let mut k = vec![(RatingKind::SelfRating, t.q_self)];
            if survey.ask_predicted {
                k.push((RatingKind::Predicted, t.q_predicted));
            }
            k
        }
        Audience::Customer => {
            let mut k = vec![(RatingKind::Perceived, t.q_perceived)];
            if survey.ask_expected {
                k.push((RatingKind::Expected, t.q_expected));
            }
            if survey.ask_importance {
                k.push((RatingKind::Importance, t.q_importance));
            }
            k
        }
    };
    src.dimensions
        .iter()
        .map(|d: &Dimension| Question {
            label: d.label_in(lang == Lang::En).to_string(),
            statement: match (src.audience, lang) {
                (Audience::Employee, Lang::Nl) => d.employee_statement_nl.clone(),
                (Audience::Employee, Lang::En) => d.employee_statement_en.clone(),
                (Audience::Customer, Lang::Nl) => d.customer_statement_nl.clone(),
                (Audience::Customer, Lang::En) => d.customer_statement_en.clone(),
            },
            items: kinds
                .iter()
                .map(|(k, q)| Item {
                    name: format!("r.{}.{}", d.key, k.as_str()),
                    question: q,
                })
                .collect(),
        })
        .collect()
}

fn problem(lang: Lang, e: &AppError) -> HttpResponse {
    use actix_web::ResponseError;
    let t = page_text(lang);
    let body = match e.code() {
        "token_used" => t.problem_used,
        "token_revoked" => t.problem_revoked,
        "token_expired" => t.problem_expired,
        "wave_closed" => t.problem_closed,
        "wave_not_open" => t.problem_not_open,
        "not_found" => t.problem_unknown,
        "forbidden" => t.problem_form,
        "rate_limited" => t.problem_busy,
        "unavailable" => t.problem_unavailable,
        _ => return super::session::error_page(lang, e),
    };
    let mut resp = render(
        e.status_code(),
        &MessagePage {
            lang: t.lang_code,
            title: t.problem_title,
            heading: t.problem_title,
            body,
            kind: "problem",
        },
    );
    if let Some(secs) = e.retry_after() {
        resp.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(secs),
        );
    }
    resp
}

pub struct KeptField {
    pub name: String,
    pub value: String,
}

/// The questionnaire's answers, not yet stored (the database is unavailable): every field as
/// posted, in hidden inputs, with a button that sends them again; the comment shown.
#[derive(askama::Template)]
#[template(path = "unsent.html")]
pub struct UnsentPage<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub t: &'a PageText,
    pub token: String,
    pub fields: Vec<KeptField>,
    pub comment: String,
}

fn unsent(lang: Lang, token: &str, fields: Vec<(String, String)>) -> HttpResponse {
    let t = page_text(lang);
    let comment = fields
        .iter()
        .find(|(k, _)| k == "comment")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let mut resp = render(
        StatusCode::SERVICE_UNAVAILABLE,
        &UnsentPage {
            lang: t.lang_code,
            title: t.unsent_title,
            t,
            token: token.to_string(),
            fields: fields
                .into_iter()
                .map(|(name, value)| KeptField { name, value })
                .collect(),
            comment,
        },
    );
    resp.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(crate::error::RETRY_AFTER_SECS),
    );
    resp
}

/// The page language and client address of a respondent request, or the 429 page.
fn admit(
    state: &AppState,
    req: &HttpRequest,
) -> Result<(Lang, Option<std::net::IpAddr>), Box<HttpResponse>> {
    let lang = lang_of(req);
    let ip = req.peer_addr().map(|a| a.ip());
    state
        .limiter
        .check(ip)
        .map_err(|e| Box::new(problem(lang, &e)))?;
    Ok((lang, ip))
}

fn new_csrf() -> String {
    crate::store::invitations::new_token().unwrap_or_default()
}

fn page(
    ctx: &TokenContext,
    team: Option<String>,
    token: &str,
    lang: Lang,
    csrf: &str,
    errors: Vec<String>,
) -> QuestionnairePage<'static> {
    let src = Source {
        survey: ctx.survey(),
        dimensions: ctx.dimensions(),
        audience: ctx.audience,
        team,
    };
    build(&src, Some(format!("/r/{token}")), lang, csrf, errors)
}

/// The questionnaire of a survey for an audience, without a token: what an admin previews.
pub fn preview(src: &Source, lang: Lang) -> QuestionnairePage<'static> {
    build(src, None, lang, "", vec![])
}

fn build(
    src: &Source,
    path: Option<String>,
    lang: Lang,
    csrf: &str,
    errors: Vec<String>,
) -> QuestionnairePage<'static> {
    let t = page_text(lang);
    let survey = src.survey;
    let texts = &survey.texts;
    let (low, high) = match lang {
        Lang::Nl => (&texts.scale_low_nl, &texts.scale_high_nl),
        Lang::En => (
            if texts.scale_low_en.is_some() {
                &texts.scale_low_en
            } else {
                &texts.scale_low_nl
            },
            if texts.scale_high_en.is_some() {
                &texts.scale_high_en
            } else {
                &texts.scale_high_nl
            },
        ),
    };
    QuestionnairePage {
        lang: t.lang_code,
        title: t.questionnaire_title,
        t,
        path,
        organisation: texts.organisation.clone(),
        team: src.team.clone(),
        intro: match src.audience {
            Audience::Employee => t.intro_employee,
            Audience::Customer => t.intro_customer,
        },
        introduction: in_lang(lang, &texts.introduction_nl, &texts.introduction_en),
        privacy: in_lang(
            lang,
            &texts.privacy_statement_nl,
            &texts.privacy_statement_en,
        ),
        contact: texts.contact.clone(),
        scale_low: low
            .clone()
            .unwrap_or_else(|| t.scale_low_default.to_string()),
        scale_high: high
            .clone()
            .unwrap_or_else(|| t.scale_high_default.to_string()),
        csrf: csrf.to_string(),
        questions: questions(src, lang, t),
        scale: (survey.scale_min..=survey.scale_max).collect(),
        scale_min: survey.scale_min,
        scale_max: survey.scale_max,
        nps_values: (0..=10).collect(),
        ask_nps: src.audience == Audience::Customer && survey.ask_nps,
        ask_comment: src.audience == Audience::Customer,
        errors,
    }
}

#[tracing::instrument(skip_all)]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let (lang, ip) = match admit(&state, &req) {
        Ok(v) => v,
        Err(resp) => return *resp,
    };
    let token = path.into_inner();
    let t2 = token.clone();
    let st = state.clone();
    let ctx = db(&state, move |conn| {
        submissions::questionnaire_with_team(conn, &st.cache, &t2)
    })
    .await;
    let (ctx, team) = match crate::http::limits::settle(&state.limiter, ip, ctx) {
        Ok(c) => c,
        Err(e) => return problem(lang, &e),
    };
    let csrf = new_csrf();
    let mut resp = render(
        StatusCode::OK,
        &page(&ctx, team, &token, lang, &csrf, vec![]),
    );
    let _ = resp.add_cookie(&form_cookie(&csrf, state.settings.secure_cookies));
    resp
}

fn form_cookie(value: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(FORM_COOKIE, value.to_string())
        .path("/r/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// Turns form fields (`r.KEY.KIND` = value | `dk` | empty, `nps`, `comment`) into a submission.
/// A field given twice is refused (422 naming it), as in JSON: the form never sends one twice.
pub fn form_to_submission(fields: &[(String, String)]) -> Result<RawSubmission, AppError> {
    let mut sub = RawSubmission::default();
    let mut ratings: BTreeMap<String, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for (name, value) in fields {
        if name != "csrf" && !seen.insert(name.as_str()) {
            let field = match name.strip_prefix("r.") {
                Some(rest) => format!("ratings.{rest}"),
                None => name.clone(),
            };
            return Err(AppError::at(field, ErrorCode::GivenTwice));
        }
        let value = value.trim();
        if let Some(rest) = name.strip_prefix("r.") {
            let Some((key, kind)) = rest.rsplit_once('.') else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let v = if value == "dk" {
                serde_json::Value::Null
            } else {
                value
                    .parse::<i64>()
                    .map(serde_json::Value::from)
                    .unwrap_or_else(|_| serde_json::Value::String(value.to_string()))
            };
            ratings
                .entry(key.to_string())
                .or_default()
                .insert(kind.to_string(), v);
        } else if name == "nps" && !value.is_empty() {
            sub.nps = Some(
                value
                    .parse::<i64>()
                    .map(serde_json::Value::from)
                    .unwrap_or_else(|_| serde_json::Value::String(value.to_string())),
            );
        } else if name == "comment" && !value.is_empty() {
            sub.comment = Some(value.to_string());
        }
    }
    sub.ratings = ratings;
    Ok(sub)
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let (lang, ip) = match admit(&state, &req) {
        Ok(v) => v,
        Err(resp) => return *resp,
    };
    let token = path.into_inner();
    let fields = form.into_inner();
    let sent = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let cookie = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if cookie.is_empty() || !bool::from(cookie.as_bytes().ct_eq(sent.as_bytes())) {
        return problem(lang, &ErrorCode::FormTokenRefused.into());
    }
    let stored = match form_to_submission(&fields) {
        Ok(sub) => submissions::submit(&state.writer, &token, sub).await,
        Err(e) => Err(e),
    };
    match crate::http::limits::settle(&state.limiter, ip, stored) {
        Ok(_) => {
            let t = page_text(lang);
            render(
                StatusCode::CREATED,
                &MessagePage {
                    lang: t.lang_code,
                    title: t.thanks_title,
                    heading: t.thanks_title,
                    body: t.thanks_body,
                    kind: "thanks",
                },
            )
        }
        Err(e) if e.is_validation() => {
            let t3 = token.clone();
            let st = state.clone();
            match db(&state, move |conn| {
                submissions::questionnaire_with_team(conn, &st.cache, &t3)
            })
            .await
            {
                Ok((ctx, team)) => render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &page(&ctx, team, &token, lang, &cookie, vec![e.message(lang)]),
                ),
                Err(e2) if e2.fault().is_some() => unsent(lang, &token, fields),
                Err(e2) => problem(lang, &e2),
            }
        }
        // Nothing was stored: the page keeps every answer and sends them again.
        Err(e) if e.fault().is_some() => unsent(lang, &token, fields),
        Err(e) => problem(lang, &e),
    }
}
