//! Team-lead pages: login, dashboard, report, workshop. Sessions live in the database.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{lang_of, render, MessagePage};
use crate::engine::{Comparison, DimensionReport, GroupStats, Trend, Verdict};
use crate::error::AppError;
use crate::http::api::actions::{self as actions_api, ActionView, CreateAction};
use crate::http::auth::{from_session, Principal, SESSION_COOKIE};
use crate::http::{db, AppState};
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::Lang;
use crate::service;
use crate::store::{self, comparison::Scope, invitations::hash_token};

const LOGIN_COOKIE: &str = "ks_login";
/// Sessions last 12 hours.
const SESSION_HOURS: i64 = 12;
/// Login attempts per client address per window.
pub const LOGIN_LIMIT: i32 = 20;
pub const LOGIN_WINDOW_SECS: i64 = 300;

// ---------- helpers ----------

/// A number in the page's language: decimal comma in Dutch.
pub fn num(lang: Lang, v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = s.replace('-', "−");
    match lang {
        Lang::Nl => s.replace('.', ","),
        Lang::En => s,
    }
}

pub fn signed(lang: Lang, v: f64, decimals: usize) -> String {
    let s = num(lang, v.abs(), decimals);
    if v > 0.0 {
        format!("+{s}")
    } else if v < 0.0 {
        format!("−{s}")
    } else {
        s
    }
}

fn mean_text(lang: Lang, t: &AppText, g: &GroupStats) -> String {
    match g.mean {
        Some(m) => num(lang, m, 1),
        None => format!("{} (n = {})", t.too_few, g.n),
    }
}

fn p_text(lang: Lang, p: f64) -> String {
    if p < 0.001 {
        format!("p < {}", num(lang, 0.001, 3))
    } else {
        format!("p = {}", num(lang, p, 3))
    }
}

fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

/// The logged-in user of a page, or a redirect to the login page.
async fn page_user(state: &AppState, req: &HttpRequest) -> Result<Principal, HttpResponse> {
    let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    if let Some(c) = cookie {
        if let Ok(Some(p)) = from_session(state, &c).await {
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

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only local paths are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/dashboard".to_string(),
    }
}

fn error_page(lang: Lang, e: &AppError) -> HttpResponse {
    use actix_web::ResponseError;
    let t = app_text(lang);
    let body = match e {
        AppError::Forbidden(_) => t.forbidden,
        AppError::NotFound(_) => t.not_found,
        _ => return e.error_response(),
    };
    render(
        e.status_code(),
        &MessagePage {
            lang: t.lang_code,
            title: body,
            heading: body,
            body: "",
            kind: "problem",
        },
    )
}

// ---------- login / logout ----------

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
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn login_cookie(value: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(LOGIN_COOKIE, value.to_string())
        .path("/login")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
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
    let csrf = store::invitations::new_token().unwrap_or_default();
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
        },
    );
    let _ = resp.add_cookie(&login_cookie(&csrf, state.settings.secure_cookies));
    resp
}

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
    if cookie.is_empty() || !bool::from(cookie.as_bytes().ct_eq(sent.as_bytes())) {
        return login_page(
            &state,
            lang,
            StatusCode::FORBIDDEN,
            next,
            Some(t.login_failed),
            form.email,
        );
    }
    let ip = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let email = form.email.trim().to_lowercase();
    let password = form.password;
    let outcome = db(&state, move |conn| {
        let now = store::now();
        let (hits, start) = store::write_tx(conn, |conn| {
            store::sessions::hit(
                conn,
                &format!("login:{ip}"),
                now,
                chrono::Duration::seconds(LOGIN_WINDOW_SECS),
            )
        })?;
        if hits > LOGIN_LIMIT {
            let retry = (start + chrono::Duration::seconds(LOGIN_WINDOW_SECS) - now)
                .num_seconds()
                .max(1) as u64;
            return Err(AppError::RateLimited { retry_after: retry });
        }
        let user = store::users::find_by_email(conn, &email)?;
        let ok = match &user {
            Some(u) => crate::password::verify(&password, &u.password_hash),
            None => {
                // Same work for unknown addresses, so timing does not tell which exist.
                let _ = crate::password::verify(&password, crate::password::dummy_hash());
                false
            }
        };
        match (ok, user) {
            (true, Some(u)) => {
                let token = store::invitations::new_token()
                    .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
                let csrf = store::invitations::new_token()
                    .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
                store::write_tx(conn, |conn| {
                    store::sessions::delete_expired(conn, now)?;
                    store::sessions::create(
                        conn,
                        &hash_token(&token),
                        u.id,
                        &csrf,
                        now + chrono::Duration::hours(SESSION_HOURS),
                    )
                })?;
                Ok(Some(token))
            }
            _ => Ok(None),
        }
    })
    .await;
    match outcome {
        Ok(Some(token)) => {
            let cookie = Cookie::build(SESSION_COOKIE, token)
                .path("/")
                .http_only(true)
                .secure(state.settings.secure_cookies)
                .same_site(SameSite::Lax)
                .max_age(actix_web::cookie::time::Duration::hours(SESSION_HOURS))
                .finish();
            let mut resp = redirect(&next);
            let _ = resp.add_cookie(&cookie);
            resp
        }
        Ok(None) => login_page(
            &state,
            lang,
            StatusCode::UNAUTHORIZED,
            next,
            Some(t.login_failed),
            form.email,
        ),
        Err(AppError::RateLimited { retry_after }) => {
            let mut resp = render(
                StatusCode::TOO_MANY_REQUESTS,
                &MessagePage {
                    lang: t.lang_code,
                    title: t.login_title,
                    heading: t.login_title,
                    body: t.too_many,
                    kind: "problem",
                },
            );
            if let Ok(v) = header::HeaderValue::from_str(&retry_after.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        Err(e) => error_page(lang, &e),
    }
}

pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    if let Some(c) = req.cookie(SESSION_COOKIE) {
        let hash = hash_token(c.value());
        let _ = db(&state, move |conn| {
            Ok(store::sessions::delete(conn, &hash)?)
        })
        .await;
    }
    let mut resp = redirect("/login");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    let _ = resp.add_cookie(&gone);
    resp
}

// ---------- dashboard ----------

pub struct WaveRow {
    pub survey_id: i64,
    pub wave_id: i64,
    pub wave: String,
    pub team_id: Option<i64>,
    pub team: String,
    pub employees: String,
    pub customers: String,
    pub rate: String,
}

pub struct SurveyBlock {
    pub id: i64,
    pub title: String,
    pub rows: Vec<WaveRow>,
}

#[derive(askama::Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    user: String,
    csrf: String,
    surveys: Vec<SurveyBlock>,
}

fn rate(lang: Lang, responses: i64, invited: i64) -> String {
    if invited == 0 {
        "—".into()
    } else {
        format!(
            "{}%",
            num(lang, 100.0 * responses as f64 / invited as f64, 0)
        )
    }
}

pub async fn dashboard(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = lang_of(&req);
    let who = match page_user(&state, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let t = app_text(lang);
    let visible = who.visible_teams();
    let result = db(&state, move |conn| {
        let teams = store::teams::list(conn, visible.as_deref())?;
        let mut blocks = Vec::new();
        for s in store::surveys::list(conn)? {
            let counts = store::responses::counts_by_scope(conn, s.id)?;
            let invited = store::invitations::capacity_by_scope(conn, s.id)?;
            let get =
                |rows: &[(i64, i64, String, i64)], w: i64, team: Option<i64>, aud: &str| -> i64 {
                    rows.iter()
                        .filter(|(rw, rt, ra, _)| {
                            *rw == w && ra == aud && team.is_none_or(|t| t == *rt)
                        })
                        .map(|r| r.3)
                        .sum()
                };
            let mut rows = Vec::new();
            for w in store::surveys::waves_of(conn, s.id)? {
                let mut scopes: Vec<(Option<i64>, String)> =
                    vec![(None, t.whole_organisation.to_string())];
                scopes.extend(teams.iter().map(|tm| (Some(tm.id), tm.name.clone())));
                for (team_id, name) in scopes {
                    let (e, c) = (
                        get(&counts, w.id, team_id, "employee"),
                        get(&counts, w.id, team_id, "customer"),
                    );
                    let (ie, ic) = (
                        get(&invited, w.id, team_id, "employee"),
                        get(&invited, w.id, team_id, "customer"),
                    );
                    rows.push(WaveRow {
                        survey_id: s.id,
                        wave_id: w.id,
                        wave: w.name.clone(),
                        team_id,
                        team: name,
                        employees: format!("{e} / {ie}"),
                        customers: format!("{c} / {ic}"),
                        rate: format!("{} · {}", rate(lang, e, ie), rate(lang, c, ic)),
                    });
                }
            }
            blocks.push(SurveyBlock {
                id: s.id,
                title: s.title,
                rows,
            });
        }
        Ok(blocks)
    })
    .await;
    match result {
        Ok(surveys) => render(
            StatusCode::OK,
            &DashboardPage {
                lang: t.lang_code,
                title: t.dashboard,
                t,
                user: who.email.clone().unwrap_or_default(),
                csrf: who.csrf.clone().unwrap_or_default(),
                surveys,
            },
        ),
        Err(e) => error_page(lang, &e),
    }
}

// ---------- report ----------

#[derive(Deserialize)]
pub struct ScopeQuery {
    pub wave_id: Option<i64>,
    pub team_id: Option<i64>,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct DimRow {
    pub priority: u32,
    pub key: String,
    pub label: String,
    pub employee: String,
    pub predicted: String,
    pub customer: String,
    pub expected: String,
    pub gap: String,
    pub interval: String,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    pub sentence: String,
    pub suppressed: bool,
}

#[derive(Clone)]
pub struct ActionRow {
    pub dimension: String,
    pub decision: &'static str,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    pub wave: String,
    pub closed: String,
    pub closed_class: &'static str,
}

#[derive(askama::Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    user: String,
    csrf: String,
    survey_id: i64,
    survey_title: String,
    waves: Vec<Opt>,
    teams: Vec<Opt>,
    query: String,
    other_query: String,
    respondents: String,
    nps: String,
    rows: Vec<DimRow>,
    actions: Vec<ActionRow>,
    comments: Vec<String>,
    workshop_link: String,
}

/// Everything the report and workshop pages need for one scope.
struct Loaded {
    survey: store::surveys::Survey,
    waves: Vec<store::surveys::Wave>,
    teams: Vec<store::teams::Team>,
    wave_id: Option<i64>,
    comparison: Comparison,
    trend: Trend,
    actions: Vec<ActionView>,
    /// Customer comments; empty when customers are below the anonymity threshold.
    comments: Vec<String>,
}

fn load(
    conn: &mut store::AnyConnection,
    who: &Principal,
    survey_id: i64,
    q: &ScopeQuery,
    lang: Lang,
    latest_wave: bool,
) -> Result<Loaded, AppError> {
    who.check_team(q.team_id)?;
    let survey = store::surveys::find(conn, survey_id)?
        .ok_or_else(|| AppError::NotFound(format!("survey {survey_id}")))?;
    let waves = store::surveys::waves_of(conn, survey_id)?;
    let wave_id = match q.wave_id {
        None if latest_wave => store::surveys::latest_wave(conn, survey_id)?.map(|w| w.id),
        named => named,
    };
    let visible = who.visible_teams();
    let teams = store::teams::list(conn, visible.as_deref())?;
    let scope = Scope {
        survey_id,
        wave_id,
        team_id: q.team_id,
    };
    let comparison = service::comparison(conn, scope, lang)?;
    let trend = service::trend(conn, survey_id, q.team_id, lang)?;
    let actions = actions_api::list(conn, who, survey_id, None)?
        .into_iter()
        .filter(|a| q.team_id.is_none() || a.team_id == q.team_id || a.team_id.is_none())
        .collect();
    let comments = if comparison.respondents.customer >= comparison.min_group_size {
        store::responses::recent_comments(conn, scope, 20)?
    } else {
        Vec::new()
    };
    Ok(Loaded {
        survey,
        waves,
        teams,
        wave_id,
        comparison,
        trend,
        actions,
        comments,
    })
}

fn dim_row(lang: Lang, t: &AppText, d: &DimensionReport) -> DimRow {
    let (gap, interval) = match &d.gap {
        Some(g) => (
            signed(lang, g.value, 2),
            format!(
                "[{}; {}] · {}",
                signed(lang, g.ci95[0], 2),
                signed(lang, g.ci95[1], 2),
                p_text(lang, g.p_value)
            ),
        ),
        None => ("—".into(), "—".into()),
    };
    DimRow {
        priority: d.priority,
        key: d.key.clone(),
        label: d.label.clone(),
        employee: mean_text(lang, t, &d.employee),
        predicted: d
            .predicted
            .as_ref()
            .map(|g| mean_text(lang, t, g))
            .unwrap_or_else(|| "—".into()),
        customer: mean_text(lang, t, &d.customer),
        expected: d
            .expected
            .as_ref()
            .map(|g| mean_text(lang, t, g))
            .unwrap_or_else(|| "—".into()),
        gap,
        interval,
        verdict: crate::i18n::verdict(lang, d.verdict),
        verdict_class: match d.verdict {
            Verdict::BlindSpot => "blind",
            Verdict::HiddenStrength => "hidden",
            Verdict::Aligned => "aligned",
            Verdict::InsufficientData => "insufficient",
        },
        sentence: t.sentence(d.verdict, &d.label),
        suppressed: d.verdict == Verdict::InsufficientData,
    }
}

/// Whether the gap closed after an action: the change from the action's wave to the next one.
fn closed_text(
    lang: Lang,
    t: &AppText,
    trend: &Trend,
    a: &ActionView,
    alpha: f64,
) -> (String, &'static str) {
    let change = trend
        .changes
        .iter()
        .find(|c| c.from_wave_id == a.wave_id)
        .and_then(|c| c.dimensions.iter().find(|d| d.key == a.dimension_key));
    let before = trend
        .waves
        .iter()
        .find(|w| w.wave_id == a.wave_id)
        .and_then(|w| w.dimensions.iter().find(|d| d.key == a.dimension_key))
        .and_then(|d| d.gap.as_ref());
    match (change, before) {
        (Some(c), Some(g1)) => match (c.change, c.p_value) {
            (Some(ch), Some(p)) => {
                let after = g1.value + ch;
                let detail = format!(
                    "{} → {} ({})",
                    signed(lang, g1.value, 2),
                    signed(lang, after, 2),
                    p_text(lang, p)
                );
                // Closed: the change goes against the gap's sign, and is significant (methodology §7).
                let against = ch * g1.value < 0.0;
                let significant = p < alpha;
                match (against, significant) {
                    (true, true) => (format!("{}: {detail}", t.closed_yes), "yes"),
                    (false, true) => (format!("{}: {detail}", t.closed_wider), "no"),
                    _ => (format!("{}: {detail}", t.closed_no), "pending"),
                }
            }
            _ => (t.too_few.to_string(), "pending"),
        },
        _ => (t.closed_pending.to_string(), "pending"),
    }
}

fn action_rows(lang: Lang, t: &AppText, l: &Loaded) -> Vec<ActionRow> {
    l.actions
        .iter()
        .map(|a| {
            let (closed, closed_class) = closed_text(lang, t, &l.trend, a, l.survey.alpha);
            ActionRow {
                dimension: l
                    .comparison
                    .dimensions
                    .iter()
                    .find(|d| d.key == a.dimension_key)
                    .map(|d| d.label.clone())
                    .unwrap_or_else(|| a.dimension_key.clone()),
                decision: t.decision(&a.decision),
                description: a.description.clone(),
                owner: a.owner.clone().unwrap_or_default(),
                due: a
                    .due_date
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_default(),
                status: t.status(&a.status),
                wave: l
                    .waves
                    .iter()
                    .find(|w| w.id == a.wave_id)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                closed,
                closed_class,
            }
        })
        .collect()
}

fn scope_query(wave_id: Option<i64>, team_id: Option<i64>, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(w) = wave_id {
        parts.push(format!("wave_id={w}"));
    }
    if let Some(t) = team_id {
        parts.push(format!("team_id={t}"));
    }
    parts.push(format!("lang={}", lang.code()));
    parts.join("&")
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    }
}

fn respondents_text(lang: Lang, t: &AppText, c: &Comparison) -> (String, String) {
    let r = format!(
        "{} {} · {} {}",
        c.respondents.employee,
        t.employees.to_lowercase(),
        c.respondents.customer,
        t.customers.to_lowercase()
    );
    let nps = match &c.nps {
        None => "—".into(),
        Some(n) => match n.score {
            Some(s) => format!("{} (n = {})", signed(lang, s, 0), n.n),
            None => format!("{} (n = {})", t.too_few, n.n),
        },
    };
    (r, nps)
}

fn options(l: &Loaded, t: &AppText, team_id: Option<i64>) -> (Vec<Opt>, Vec<Opt>) {
    let waves = l
        .waves
        .iter()
        .map(|w| Opt {
            value: w.id.to_string(),
            label: w.name.clone(),
            selected: Some(w.id) == l.wave_id,
        })
        .collect();
    let mut teams = vec![Opt {
        value: String::new(),
        label: t.whole_organisation.to_string(),
        selected: team_id.is_none(),
    }];
    teams.extend(l.teams.iter().map(|tm| Opt {
        value: tm.id.to_string(),
        label: tm.name.clone(),
        selected: Some(tm.id) == team_id,
    }));
    (waves, teams)
}

/// The language, user and data of a report-like page, or the page to answer instead
/// (login redirect, 403, 404).
async fn load_page(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    survey_id: i64,
    scope: ScopeQuery,
) -> Result<(Lang, Principal, Loaded), HttpResponse> {
    let lang = lang_of(req);
    let who = page_user(state, req).await?;
    let who2 = who.clone();
    let loaded = db(state, move |conn| {
        load(conn, &who2, survey_id, &scope, lang, true)
    })
    .await
    .map_err(|e| error_page(lang, &e))?;
    Ok((lang, who, loaded))
}

pub async fn report(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
    q: web::Query<ScopeQuery>,
) -> HttpResponse {
    let survey_id = path.into_inner();
    let q = q.into_inner();
    let team_id = q.team_id;
    let (lang, who, loaded) = match load_page(&state, &req, survey_id, q).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let t = app_text(lang);
    let (waves, teams) = options(&loaded, t, team_id);
    let (respondents, nps) = respondents_text(lang, t, &loaded.comparison);
    let query = scope_query(loaded.wave_id, team_id, lang);
    render(
        StatusCode::OK,
        &ReportPage {
            lang: t.lang_code,
            title: t.report,
            t,
            user: who.email.clone().unwrap_or_default(),
            csrf: who.csrf.clone().unwrap_or_default(),
            survey_id,
            survey_title: loaded.survey.title.clone(),
            waves,
            teams,
            respondents,
            nps,
            rows: loaded
                .comparison
                .dimensions
                .iter()
                .map(|d| dim_row(lang, t, d))
                .collect(),
            actions: action_rows(lang, t, &loaded),
            comments: loaded.comments.clone(),
            workshop_link: format!("/surveys/{survey_id}/workshop?{query}"),
            other_query: scope_query(loaded.wave_id, team_id, other(lang)),
            query,
        },
    )
}

// ---------- workshop ----------

pub struct Slide {
    pub index: usize,
    pub row: DimRow,
    pub earlier: Vec<ActionRow>,
}

#[derive(askama::Template)]
#[template(path = "workshop.html")]
struct WorkshopPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    csrf: String,
    survey_id: i64,
    survey_title: String,
    scope_label: String,
    query: String,
    wave_id: i64,
    team_value: String,
    blind_spots: Vec<String>,
    hidden_strengths: Vec<String>,
    slides: Vec<Slide>,
    recorded: bool,
}

#[derive(Deserialize)]
pub struct WorkshopQuery {
    pub wave_id: Option<i64>,
    pub team_id: Option<i64>,
    pub recorded: Option<u8>,
}

pub async fn workshop(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
    q: web::Query<WorkshopQuery>,
) -> HttpResponse {
    let survey_id = path.into_inner();
    let q = q.into_inner();
    let team_id = q.team_id;
    let scope = ScopeQuery {
        wave_id: q.wave_id,
        team_id,
    };
    let (lang, who, loaded) = match load_page(&state, &req, survey_id, scope).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let t = app_text(lang);
    let Some(wave_id) = loaded.wave_id else {
        return error_page(lang, &AppError::NotFound("wave".into()));
    };
    let all_actions = action_rows(lang, t, &loaded);
    let slides = loaded
        .comparison
        .dimensions
        .iter()
        .enumerate()
        .map(|(i, d)| Slide {
            index: i + 1,
            row: dim_row(lang, t, d),
            earlier: loaded
                .actions
                .iter()
                .zip(&all_actions)
                .filter(|(a, _)| a.dimension_key == d.key)
                .map(|(_, r)| r.clone())
                .collect(),
        })
        .collect();
    let pick = |v: Verdict| -> Vec<String> {
        loaded
            .comparison
            .dimensions
            .iter()
            .filter(|d| d.verdict == v)
            .take(3)
            .map(|d| d.label.clone())
            .collect()
    };
    let wave_name = loaded
        .waves
        .iter()
        .find(|w| w.id == wave_id)
        .map(|w| w.name.clone())
        .unwrap_or_default();
    let team_name = match team_id {
        None => t.whole_organisation.to_string(),
        Some(id) => loaded
            .teams
            .iter()
            .find(|tm| tm.id == id)
            .map(|tm| tm.name.clone())
            .unwrap_or_default(),
    };
    render(
        StatusCode::OK,
        &WorkshopPage {
            lang: t.lang_code,
            title: t.workshop,
            t,
            csrf: who.csrf.clone().unwrap_or_default(),
            survey_id,
            survey_title: loaded.survey.title.clone(),
            scope_label: format!("{team_name} · {wave_name}"),
            query: scope_query(Some(wave_id), team_id, lang),
            wave_id,
            team_value: team_id.map(|t| t.to_string()).unwrap_or_default(),
            blind_spots: pick(Verdict::BlindSpot),
            hidden_strengths: pick(Verdict::HiddenStrength),
            slides,
            recorded: q.recorded == Some(1),
        },
    )
}

#[derive(Deserialize)]
pub struct ActionForm {
    csrf: String,
    dimension_key: String,
    wave_id: i64,
    team_id: Option<String>,
    decision: String,
    description: String,
    owner: Option<String>,
    due_date: Option<String>,
    slide: Option<usize>,
}

/// The workshop's action form: records the action, then back to the same slide.
pub async fn record_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ActionForm>,
) -> HttpResponse {
    let lang = lang_of(&req);
    let who = match page_user(&state, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let form = form.into_inner();
    if let Err(e) = who.check_csrf(Some(&form.csrf)) {
        return error_page(lang, &e);
    }
    let survey_id = path.into_inner();
    let team_id = match form
        .team_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => return error_page(lang, &AppError::validation("team_id", "not a number")),
        },
    };
    let create = CreateAction {
        dimension_key: form.dimension_key,
        wave_id: form.wave_id,
        team_id,
        decision: form.decision,
        description: form.description,
        owner: form.owner,
        due_date: form.due_date,
    };
    let who2 = who.clone();
    match db(&state, move |conn| {
        actions_api::create(conn, &who2, survey_id, &create)
    })
    .await
    {
        Ok(_) => {
            let slide = form.slide.unwrap_or(0);
            redirect(&format!(
                "/surveys/{survey_id}/workshop?{}&recorded=1#slide-{slide}",
                scope_query(Some(form.wave_id), team_id, lang)
            ))
        }
        Err(e @ AppError::Validation { .. }) => {
            let t = app_text(lang);
            let msg = format!("{}: {}", e.field().unwrap_or_default(), e);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MessagePage {
                    lang: t.lang_code,
                    title: t.record_action,
                    heading: t.record_action,
                    body: &msg,
                    kind: "problem",
                },
            )
        }
        Err(e) => error_page(lang, &e),
    }
}

/// Static script for the workshop (served from the binary; CSP allows only 'self').
pub const WORKSHOP_JS: &str = include_str!("../../../static/workshop.js");

pub async fn workshop_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(WORKSHOP_JS)
}

pub async fn root() -> HttpResponse {
    redirect("/dashboard")
}
