//! The live workshop's pages: the phone's join page (`/w`, `/w/{code}`: no account, a
//! per-device cookie, thumb-sized answers on a 390 px screen, usable with a keyboard and a
//! screen reader, and without script through plain forms), and the facilitator's screen
//! (`/live/{code}`: the join code with its QR code, the dimensions to open and reveal, the
//! counts arriving). Both follow the session through `static/live.js` and the platform's
//! EventSource; every text comes from `i18n::live` and `ErrorCode`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::session::{error_page, form_team, form_user, page_reader, redirect};
use super::{asset, lang_of, render, CSS, JS};
use crate::app::live::{self as app, Caller};
use crate::domain::{SurveyId, WaveId};
use crate::error::{AppError, ErrorCode};
use crate::http::live_device::{device_or_new, join_url};
use crate::http::{db, AppState};
use crate::i18n::live::{live_text, LiveText};
use crate::i18n::Lang;

/// The error codes a phone can meet, with their sentence in the phone's language (the script
/// shows these instead of the API's English message).
fn phone_errors(lang: Lang) -> Vec<(&'static str, String)> {
    [
        ErrorCode::LiveQuestionNotOpen { key: String::new() },
        ErrorCode::LiveEnded,
        ErrorCode::LiveNotFound,
        ErrorCode::LiveFull {
            max: app::MAX_PARTICIPANTS,
        },
        ErrorCode::RateLimited { retry_after: 60 },
        ErrorCode::OutsideScale {
            value: 0,
            min: 0,
            max: 0,
        },
    ]
    .into_iter()
    .map(|e| (e.code(), e.message(lang)))
    .collect()
}

/// The open question as the page shows it.
pub struct Question {
    pub key: String,
    pub text: String,
}

#[derive(askama::Template)]
#[template(path = "live_phone.html")]
struct PhonePage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a LiveText,
    code: String,
    question: Option<Question>,
    scale: Vec<i32>,
    scale_hint: String,
    /// The value this phone just sent through the form (no script).
    sent: Option<String>,
    ended: bool,
    errors: Vec<(&'static str, String)>,
}

#[derive(askama::Template)]
#[template(path = "live_join.html")]
struct JoinPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a LiveText,
    code: String,
    problem: Option<String>,
}

fn join_page(lang: Lang, status: StatusCode, code: &str, problem: Option<String>) -> HttpResponse {
    let t = live_text(lang);
    render(
        status,
        &JoinPage {
            lang: t.lang_code,
            title: t.title,
            t,
            code: code.to_string(),
            problem,
        },
    )
}

#[derive(Deserialize)]
pub struct JoinQuery {
    pub code: Option<String>,
    pub sent: Option<String>,
}

/// `/w`: type the code (or arrive with `?code=`).
pub async fn join_form(req: HttpRequest, q: web::Query<JoinQuery>) -> HttpResponse {
    let lang = lang_of(&req);
    match q.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => match app::codes::normalise(code) {
            Some(c) => redirect(&format!("/w/{c}?lang={}", live_text(lang).lang_code)),
            None => join_page(
                lang,
                StatusCode::NOT_FOUND,
                code,
                Some(ErrorCode::LiveNotFound.message(lang)),
            ),
        },
        None => join_page(lang, StatusCode::OK, "", None),
    }
}

/// A phone's device cookie, on its first visit.
type DeviceCookie = Option<actix_web::cookie::Cookie<'static>>;

fn with_cookie(mut resp: HttpResponse, cookie: DeviceCookie) -> HttpResponse {
    if let Some(c) = cookie {
        let _ = resp.add_cookie(&c);
    }
    resp
}

/// The error of a phone's request as a page in its language (an unknown code: the join form).
fn phone_error(lang: Lang, code: &str, e: &AppError) -> HttpResponse {
    use actix_web::ResponseError;
    if e.code() == "live_not_found" {
        return join_page(lang, e.status_code(), code, Some(e.message(lang)));
    }
    error_page(lang, e)
}

/// `/w/{code}`: the phone's page.
#[tracing::instrument(skip_all)]
pub async fn phone(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<JoinQuery>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let device = device_or_new(&req, state.settings.secure_cookies);
    let (device, cookie) = or_page!(device.map_err(|e| error_page(lang, &e)));
    let code = path.into_inner();
    let code2 = code.clone();
    let loaded = db(&state, move |conn| {
        let s = app::join(conn, &code2, &device)?;
        app::snapshot(conn, s.id)?.ok_or_else(|| ErrorCode::LiveNotFound.into())
    })
    .await;
    let snap = match loaded {
        Ok(s) => s,
        Err(e) => return with_cookie(phone_error(lang, &code, &e), cookie),
    };
    let t = live_text(lang);
    let code = app::codes::normalise(&code).unwrap_or(code);
    let page = PhonePage {
        lang: t.lang_code,
        title: t.title,
        t,
        question: snap.open.as_ref().map(|o| Question {
            key: o.key.clone(),
            text: t.question.replace("{label}", o.label(lang)),
        }),
        scale: (snap.scale_min..=snap.scale_max).collect(),
        scale_hint: t
            .scale_hint
            .replace("{min}", &snap.scale_min.to_string())
            .replace("{max}", &snap.scale_max.to_string()),
        sent: q
            .sent
            .as_deref()
            .filter(|v| v.parse::<i32>().is_ok())
            .map(|v| t.received.replace("{value}", v)),
        ended: snap.over,
        errors: phone_errors(lang),
        code,
    };
    with_cookie(render(StatusCode::OK, &page), cookie)
}

#[derive(Deserialize)]
pub struct GuessForm {
    pub dimension_key: String,
    pub value: String,
}

/// The phone's form without script: stores the guess, back to the page with the receipt.
#[tracing::instrument(skip_all)]
pub async fn phone_guess(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<GuessForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let device = device_or_new(&req, state.settings.secure_cookies);
    let (device, cookie) = or_page!(device.map_err(|e| error_page(lang, &e)));
    let code = path.into_inner();
    let value = match form.value.trim().parse::<i64>() {
        Ok(v) => v,
        Err(_) => {
            let e = AppError::at(
                "value",
                ErrorCode::NotWholeNumber {
                    value: form.value.clone(),
                },
            );
            return error_page(lang, &e);
        }
    };
    let key = form.dimension_key.trim().to_string();
    match state.live.guess(code.clone(), device, key, value).await {
        Ok(_) => {
            let code = app::codes::normalise(&code).unwrap_or(code);
            with_cookie(
                redirect(&format!(
                    "/w/{code}?lang={}&sent={value}#ack",
                    live_text(lang).lang_code
                )),
                cookie,
            )
        }
        Err(e) => with_cookie(phone_error(lang, &code, &e), cookie),
    }
}

#[derive(Deserialize)]
pub struct StartForm {
    pub csrf: String,
    pub wave_id: WaveId,
    pub team_id: Option<String>,
}

/// The workshop page's button: starts a session, then the facilitator's screen.
#[tracing::instrument(skip_all)]
pub async fn start(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    form: web::Form<StartForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let (lang, who) = or_page!(form_user(&state, &req, &form.csrf).await);
    let team_id = form_team(form.team_id.as_deref());
    let team_id = or_page!(team_id.map_err(|e| error_page(lang, &e)));
    let survey_id = path.into_inner();
    let wave_id = form.wave_id;
    match db(&state, move |conn| {
        app::start(conn, &who, survey_id, wave_id, team_id)
    })
    .await
    {
        Ok(started) => redirect(&format!(
            "/live/{}?lang={}",
            started.code,
            live_text(lang).lang_code
        )),
        Err(e) => error_page(lang, &e),
    }
}

/// One dimension on the facilitator's screen.
pub struct WallRow {
    pub key: String,
    pub label: String,
    pub guesses: u64,
    pub open: bool,
    pub revealed: bool,
}

#[derive(askama::Template)]
#[template(path = "live_wall.html")]
struct WallPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a LiveText,
    code: String,
    join_url: String,
    join_at: String,
    qr_src: String,
    csrf: String,
    rows: Vec<WallRow>,
    participants: u64,
    expires: String,
    ended: bool,
    back: String,
    /// The anonymity rules' reasons in words, for the reveal's `withheld_reason`.
    reasons: Vec<(String, String)>,
}

/// `/live/{code}`: the facilitator's screen (the facilitator only).
#[tracing::instrument(skip_all)]
pub async fn wall(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let (lang, who) = or_page!(page_reader(&state, &req).await);
    let code = path.into_inner();
    let who2 = who.clone();
    let code2 = code.clone();
    let loaded = db(&state, move |conn| {
        let s = app::lookup(
            conn,
            &code2,
            Caller {
                device: None,
                who: Some(&who2),
            },
        )?;
        if !app::is_facilitator(&who2, &s) {
            return Err(ErrorCode::LiveNotFacilitator.into());
        }
        let snap = app::snapshot(conn, s.id)?.ok_or(ErrorCode::LiveNotFound)?;
        let survey = crate::app::survey_or_404(conn, s.survey_id)?;
        Ok((s, snap, survey.min_group_size))
    })
    .await;
    let (s, snap, min_group) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(lang, &e),
    };
    let t = live_text(lang);
    let code = app::codes::normalise(&code).unwrap_or(code);
    let url = join_url(&state, &req, &code);
    let qr = super::admin::links::qr_svg(&url);
    let revealed: Vec<&str> = snap
        .reveals
        .iter()
        .map(|r| r.dimension_key.as_str())
        .collect();
    let min_group = u64::try_from(min_group).unwrap_or(0);
    let reasons = crate::i18n::verdicts::WITHHELD_REASONS
        .into_iter()
        .map(|r| {
            let code = serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            (
                code,
                crate::i18n::verdicts::withheld_reason(lang, r, min_group),
            )
        })
        .collect();
    let team = s
        .team_id
        .map(|t| format!("&team_id={t}"))
        .unwrap_or_default();
    let page = WallPage {
        lang: t.lang_code,
        title: t.title,
        t,
        join_at: t.join_at.replace("{url}", &url),
        qr_src: format!(
            "data:image/svg+xml;base64,{}",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, qr.as_bytes())
        ),
        join_url: url,
        csrf: who.csrf.clone().unwrap_or_default(),
        rows: snap
            .dimensions
            .iter()
            .map(|(k, nl, en)| WallRow {
                key: k.clone(),
                label: if lang == Lang::En { en } else { nl }.clone(),
                guesses: snap.counts.get(k).copied().unwrap_or(0),
                open: snap.open.as_ref().is_some_and(|o| o.key == *k),
                revealed: revealed.contains(&k.as_str()),
            })
            .collect(),
        participants: snap.participants,
        expires: format!("{} UTC", snap.expires_at.format("%H:%M")),
        ended: snap.over,
        back: format!(
            "/surveys/{}/workshop?wave_id={}{team}&lang={}",
            s.survey_id, s.wave_id, t.lang_code
        ),
        reasons,
        code,
    };
    render(StatusCode::OK, &page)
}

/// Static script of both live pages (served from the binary; CSP allows only 'self').
pub const LIVE_JS: &str = include_str!("../../../static/live.js");
pub const LIVE_CSS: &str = include_str!("../../../static/live.css");

pub async fn live_js() -> HttpResponse {
    asset(JS, LIVE_JS)
}

pub async fn live_css() -> HttpResponse {
    asset(CSS, LIVE_CSS)
}
