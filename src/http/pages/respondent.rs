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
use crate::http::{db, AppState};
use crate::i18n::pages::{page_text, PageText};
use crate::i18n::Lang;
use crate::ingest::tokens::TokenContext;
use crate::store::surveys::Dimension;

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

#[derive(askama::Template)]
#[template(path = "questionnaire.html")]
pub struct QuestionnairePage<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub t: &'a PageText,
    pub token: String,
    pub intro: &'a str,
    pub csrf: String,
    pub questions: Vec<Question>,
    pub scale: Vec<i32>,
    pub nps_values: Vec<i32>,
    pub ask_nps: bool,
    pub ask_comment: bool,
    pub errors: Vec<String>,
}

fn questions(ctx: &TokenContext, lang: Lang, t: &'static PageText) -> Vec<Question> {
    let kinds: Vec<(RatingKind, &'static str)> = match ctx.audience {
        Audience::Employee => {
            let mut k = vec![(RatingKind::SelfRating, t.q_self)];
            if ctx.survey().ask_predicted {
                k.push((RatingKind::Predicted, t.q_predicted));
            }
            k
        }
        Audience::Customer => {
            let mut k = vec![(RatingKind::Perceived, t.q_perceived)];
            if ctx.survey().ask_expected {
                k.push((RatingKind::Expected, t.q_expected));
            }
            if ctx.survey().ask_importance {
                k.push((RatingKind::Importance, t.q_importance));
            }
            k
        }
    };
    ctx.dimensions()
        .iter()
        .map(|d: &Dimension| Question {
            label: d.label_in(lang == Lang::En).to_string(),
            statement: match (ctx.audience, lang) {
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
        "token_expired" => t.problem_expired,
        "wave_closed" => t.problem_closed,
        "wave_not_open" => t.problem_not_open,
        "not_found" => t.problem_unknown,
        "forbidden" => t.problem_form,
        "rate_limited" => t.problem_busy,
        "unavailable" => t.problem_unavailable,
        _ => return e.error_response(),
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
    let retry_after = match e {
        AppError::RateLimited { retry_after } => Some(*retry_after),
        AppError::Unavailable(_) => Some(crate::error::RETRY_AFTER_SECS),
        _ => None,
    };
    if let Some(secs) = retry_after {
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
    token: &str,
    lang: Lang,
    csrf: &str,
    errors: Vec<String>,
) -> QuestionnairePage<'static> {
    let t = page_text(lang);
    QuestionnairePage {
        lang: t.lang_code,
        title: t.questionnaire_title,
        t,
        token: token.to_string(),
        intro: match ctx.audience {
            Audience::Employee => t.intro_employee,
            Audience::Customer => t.intro_customer,
        },
        csrf: csrf.to_string(),
        questions: questions(ctx, lang, t),
        scale: (ctx.survey().scale_min..=ctx.survey().scale_max).collect(),
        nps_values: (0..=10).collect(),
        ask_nps: ctx.audience == Audience::Customer && ctx.survey().ask_nps,
        ask_comment: ctx.audience == Audience::Customer,
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
        submissions::questionnaire(conn, &st.cache, &t2)
    })
    .await;
    let ctx = match crate::http::limits::settle(&state.limiter, ip, ctx) {
        Ok(c) => c,
        Err(e) => return problem(lang, &e),
    };
    let csrf = new_csrf();
    let mut resp = render(StatusCode::OK, &page(&ctx, &token, lang, &csrf, vec![]));
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
            return Err(AppError::validation(
                field,
                "this field is given twice; give it once",
            ));
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
        return problem(
            lang,
            &AppError::Forbidden("missing or wrong form token".into()),
        );
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
        Err(e @ AppError::Validation { .. }) => {
            let t3 = token.clone();
            let st = state.clone();
            match db(&state, move |conn| {
                submissions::questionnaire(conn, &st.cache, &t3)
            })
            .await
            {
                Ok(ctx) => render(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &page(
                        &ctx,
                        &token,
                        lang,
                        &cookie,
                        vec![format!("{}: {}", e.field().unwrap_or_default(), e)],
                    ),
                ),
                Err(AppError::Unavailable(_)) => unsent(lang, &token, fields),
                Err(e2) => problem(lang, &e2),
            }
        }
        // Nothing was stored: the page keeps every answer and sends them again.
        Err(AppError::Unavailable(_)) => unsent(lang, &token, fields),
        Err(e) => problem(lang, &e),
    }
}
