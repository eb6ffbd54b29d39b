//! The questionnaire at /r/{token}: employees rate themselves and predict; customers rate,
//! give their expectation and NPS. No JavaScript needed.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use subtle::ConstantTimeEq;

use super::{lang_of, message, render};
use crate::app::submissions;
use crate::domain::{Audience, RatingKind};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::http::{db, AppState};
use crate::i18n::pages::{page_text, PageText};
use crate::i18n::Lang;
use crate::ingest::tokens::TokenContext;
use crate::store::surveys::{Dimension, Survey};

mod form;

pub use form::form_to_submission;

const FORM_COOKIE: &str = "ks_form";

/// One choice of a rating scale: its value, what it shows, what a screen reader adds
/// ("= zeer slecht" at the ends), and whether it was chosen before a refused submit.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub anchor: String,
    pub checked: bool,
}

/// One question of a dimension (e.g. the customer's own rating), with what was answered.
pub struct Item {
    pub name: String,
    /// The question's id in the page (the error summary links to it).
    pub id: String,
    pub question: &'static str,
    pub choices: Vec<Choice>,
    /// "Don't know" was chosen.
    pub dont_know: bool,
    /// The refusal of this question, in the page's language.
    pub error: Option<String>,
}

pub struct Question {
    pub label: String,
    pub statement: String,
    pub items: Vec<Item>,
}

/// An error of a refused submit: its sentence and the question it links to.
pub struct Refusal {
    pub message: String,
    /// `#id` of the question, when the error is about one.
    pub href: Option<String>,
}

/// What a refused submit sent (kept in the page) and why it was refused.
#[derive(Default)]
pub struct Answers {
    pub fields: Vec<(String, String)>,
    /// The refused field (`ratings.KEY.KIND`, `nps`, `comment`, `ratings`) and its sentence.
    pub error: Option<(String, String)>,
}

impl Answers {
    fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }

    /// The sentence for a field of the form (`r.KEY.KIND`, `nps`, `comment`).
    fn error_for(&self, form_name: &str) -> Option<String> {
        let (field, message) = self.error.as_ref()?;
        let api = match form_name.strip_prefix("r.") {
            Some(rest) => format!("ratings.{rest}"),
            None => form_name.to_string(),
        };
        (*field == api).then(|| message.clone())
    }
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
    pub title: String,
    pub t: &'a PageText,
    /// The questionnaire's own path (`/r/TOKEN`); None in a preview (nothing can be sent).
    pub path: Option<String>,
    /// Who asks: the survey's organisation (its title when none is given). The page's heading.
    pub heading: String,
    pub organisation: Option<String>,
    pub team: Option<String>,
    pub intro: &'a str,
    pub introduction: Option<SurveyText>,
    pub privacy: Option<SurveyText>,
    /// The anonymity promise with the threshold's number.
    pub anonymous_note: String,
    pub contact: Option<String>,
    pub scale_low: String,
    pub scale_high: String,
    pub csrf: String,
    pub questions: Vec<Question>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub ask_nps: bool,
    pub nps: Item,
    pub ask_comment: bool,
    pub comment: String,
    pub comment_error: Option<String>,
    /// The refusal that concerns no single question (e.g. nothing answered): above the first.
    pub general_error: Option<String>,
    /// Every refusal, linked to its question (the summary at the top).
    pub errors: Vec<Refusal>,
}

/// What a questionnaire is built from: a token's survey, or a survey previewed by an admin.
pub struct Source<'s> {
    pub survey: &'s Survey,
    pub dimensions: &'s [Dimension],
    pub audience: Audience,
    pub team: Option<String>,
}

/// The choices of a scale from `min` to `max`, the ends with their anchors for screen readers.
fn choices(min: i32, max: i32, low: &str, high: &str, chosen: Option<&str>) -> (Vec<Choice>, bool) {
    let choices = (min..=max)
        .map(|v| {
            let value = v.to_string();
            Choice {
                checked: chosen == Some(value.as_str()),
                anchor: if v == min {
                    format!(" = {low}")
                } else if v == max {
                    format!(" = {high}")
                } else {
                    String::new()
                },
                label: value.clone(),
                value,
            }
        })
        .collect();
    (choices, chosen == Some("dk"))
}

fn item_id(name: &str) -> String {
    format!("q-{}", name.trim_start_matches("r.").replace('.', "-"))
}

fn questions(
    src: &Source,
    lang: Lang,
    t: &'static PageText,
    ends: (&str, &str),
    answers: &Answers,
) -> Vec<Question> {
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
                .map(|(k, q)| {
                    let name = format!("r.{}.{}", d.key, k.as_str());
                    let (choices, dont_know) = choices(
                        survey.scale_min,
                        survey.scale_max,
                        ends.0,
                        ends.1,
                        answers.value(&name),
                    );
                    Item {
                        id: item_id(&name),
                        error: answers.error_for(&name),
                        name,
                        question: q,
                        choices,
                        dont_know,
                    }
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
    let page = message(
        e.status_code(),
        t.lang_code,
        t.problem_title,
        body,
        "problem",
    );
    super::session::retry_after(page, e.retry_after())
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
    let ip = crate::http::client::client_ip(req);
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
    answers: &Answers,
) -> QuestionnairePage<'static> {
    let src = Source {
        survey: ctx.survey(),
        dimensions: ctx.dimensions(),
        audience: ctx.audience,
        team,
    };
    build(&src, Some(format!("/r/{token}")), lang, csrf, answers)
}

/// The questionnaire of a survey for an audience, without a token: what an admin previews.
pub fn preview(src: &Source, lang: Lang) -> QuestionnairePage<'static> {
    build(src, None, lang, "", &Answers::default())
}

fn build(
    src: &Source,
    path: Option<String>,
    lang: Lang,
    csrf: &str,
    answers: &Answers,
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
    let scale_low = low
        .clone()
        .unwrap_or_else(|| t.scale_low_default.to_string());
    let scale_high = high
        .clone()
        .unwrap_or_else(|| t.scale_high_default.to_string());
    let organisation = texts.organisation.clone().filter(|o| !o.trim().is_empty());
    let heading = organisation.clone().unwrap_or_else(|| survey.title.clone());
    let questions = questions(src, lang, t, (&scale_low, &scale_high), answers);
    let (nps_choices, _) = choices(0, 10, t.nps_low, t.nps_high, answers.value("nps"));
    let nps = Item {
        name: "nps".into(),
        id: "q-nps".into(),
        question: t.q_nps,
        choices: nps_choices,
        dont_know: false,
        error: answers.error_for("nps"),
    };
    let comment_error = answers.error_for("comment");
    // Every refusal in the summary, linked to its question where it has one.
    let mut errors = Vec::new();
    let mut general_error = None;
    if let Some((_, message)) = &answers.error {
        let linked = questions
            .iter()
            .flat_map(|q| &q.items)
            .chain(std::iter::once(&nps))
            .find(|i| i.error.is_some())
            .map(|i| format!("#{}", i.id))
            .or_else(|| comment_error.as_ref().map(|_| "#comment".to_string()));
        if linked.is_none() {
            general_error = Some(message.clone());
        }
        errors.push(Refusal {
            message: message.clone(),
            href: linked.or_else(|| Some("#questions".to_string())),
        });
    }
    QuestionnairePage {
        lang: t.lang_code,
        title: format!("{heading} · {}", t.questionnaire_title),
        t,
        path,
        heading,
        organisation,
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
        anonymous_note: t
            .anonymous_note
            .replace("{min}", &survey.min_group_size.to_string()),
        contact: texts.contact.clone(),
        scale_low,
        scale_high,
        csrf: csrf.to_string(),
        questions,
        scale_min: survey.scale_min,
        scale_max: survey.scale_max,
        ask_nps: src.audience == Audience::Customer && survey.ask_nps,
        nps,
        ask_comment: src.audience == Audience::Customer,
        comment: answers
            .value("comment")
            .map(str::to_string)
            .unwrap_or_default(),
        comment_error,
        general_error,
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
        &page(&ctx, team, &token, lang, &csrf, &Answers::default()),
    );
    let _ = resp.add_cookie(&form_cookie(&csrf, state.settings.secure_cookies));
    resp
}

fn form_cookie(value: &str, secure: bool) -> Cookie<'static> {
    let value = value.to_string();
    super::session::page_cookie(FORM_COOKIE, value, "/r/", secure, SameSite::Strict).finish()
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
            message(
                StatusCode::CREATED,
                t.lang_code,
                t.thanks_title,
                t.thanks_body,
                "thanks",
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
                Ok((ctx, team)) => {
                    // Every answer and the comment stay; the error stands by its question.
                    let answers = Answers {
                        error: Some((e.field().unwrap_or_default(), e.message(lang))),
                        fields,
                    };
                    render(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        &page(&ctx, team, &token, lang, &cookie, &answers),
                    )
                }
                Err(e2) if e2.fault().is_some() => unsent(lang, &token, fields),
                Err(e2) => problem(lang, &e2),
            }
        }
        // Nothing was stored: the page keeps every answer and sends them again.
        Err(e) if e.fault().is_some() => unsent(lang, &token, fields),
        Err(e) => problem(lang, &e),
    }
}
