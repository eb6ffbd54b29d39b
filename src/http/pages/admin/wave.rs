//! /admin/surveys/{id}/waves/{wave_id}: the response monitor, links (see `links`), name and
//! dates, close now, the invitation list with revoke, CSV import by upload with every bad row
//! shown, and the exports.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::overview::{audience_name, wave_view, WaveView};
use super::{admin, failed, form_instant, show_instant, Ctx, Errors, Fields};
use crate::app::console::{self, WaveStatus};
use crate::app::survey_edit::{self, UpdateWave};
use crate::app::{csv as app_csv, invitations};
use crate::domain::{InvitationId, SurveyId, TeamId, WaveId};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::http::pages::render;
use crate::http::pages::session::redirect;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;

pub struct InvitationRow {
    pub id: InvitationId,
    pub team: String,
    pub audience: &'static str,
    pub kind: &'static str,
    pub uses: String,
    pub status: &'static str,
    pub can_revoke: bool,
}

#[derive(askama::Template)]
#[template(path = "admin/wave.html")]
pub struct WavePage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a ConsoleText,
    user: String,
    csrf: String,
    notice: Option<&'a str>,
    errors: Errors,
    survey_id: SurveyId,
    survey_title: String,
    w: WaveView,
    closed: bool,
    public_url: Option<String>,
    teams: Vec<(TeamId, String)>,
    links_form: (String, String, String),
    links_errors: Errors,
    team_link_max: String,
    team_link_errors: Errors,
    dates_form: (String, String, String),
    dates_errors: Errors,
    invitations: Vec<InvitationRow>,
    imported: Option<u64>,
    import_rows: Vec<(u64, String, String)>,
    import_error: Option<String>,
}

/// What a re-rendered wave page keeps of a failed (or finished) form.
#[derive(Default)]
pub struct Outcome {
    pub status: Option<StatusCode>,
    pub notice: Option<&'static str>,
    pub links: Option<(Fields, Errors)>,
    pub team_link: Option<(Fields, Errors)>,
    pub dates: Option<(Fields, Errors)>,
    pub imported: Option<u64>,
    pub import_rows: Vec<(u64, String, String)>,
    pub import_error: Option<String>,
}

/// Renders the wave page (with what a form left behind).
pub async fn page(
    state: &AppState,
    ctx: &Ctx,
    survey_id: SurveyId,
    wave_id: WaveId,
    o: Outcome,
) -> HttpResponse {
    let loaded = db(state, move |conn| {
        let (survey, overview, teams) = console::wave(conn, survey_id, wave_id)?;
        let list = invitations::list(conn, survey_id, Some(wave_id))?;
        Ok((survey, overview, teams, list))
    })
    .await;
    let (survey, overview, teams, list) = match loaded {
        Ok(v) => v,
        Err(e) => return failed(ctx, &e),
    };
    let t = ctx.t;
    let wave = &overview.wave;
    let team_name = |id: TeamId| {
        teams
            .iter()
            .find(|tm| tm.id == id)
            .map(|tm| tm.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let invitations = list
        .iter()
        .map(|i| InvitationRow {
            id: i.id,
            team: team_name(i.team_id),
            audience: audience_name(t, i.audience),
            kind: if i.is_personal() {
                t.kind_personal
            } else {
                t.kind_team_link
            },
            uses: format!("{} / {}", i.uses, i.max_uses),
            status: if i.revoked { t.revoked } else { t.live },
            can_revoke: !i.revoked && i.uses < i.max_uses,
        })
        .collect();
    let (links_form, links_errors) = match o.links {
        Some((f, e)) => ((f.get("team_id"), f.get("audience"), f.get("count")), e),
        None => (
            (String::new(), "customer".into(), String::new()),
            Errors::default(),
        ),
    };
    let (team_link_max, team_link_errors) = match o.team_link {
        Some((f, e)) => (f.get("max_uses"), e),
        None => (String::new(), Errors::default()),
    };
    let (dates_form, dates_errors) = match o.dates {
        Some((f, e)) => ((f.get("name"), f.get("opens_at"), f.get("closes_at")), e),
        None => (
            (
                wave.name.clone(),
                show_instant(wave.opens_at),
                wave.closes_at.map(show_instant).unwrap_or_default(),
            ),
            Errors::default(),
        ),
    };
    let mut errors = Errors::default();
    if !links_errors.is_empty() || !team_link_errors.is_empty() || !dates_errors.is_empty() {
        errors.0.push(("form".into(), String::new()));
    }
    render(
        o.status.unwrap_or(StatusCode::OK),
        &WavePage {
            lang: t.lang_code,
            title: t.wave,
            t,
            user: ctx.user(),
            csrf: ctx.csrf(),
            notice: o.notice,
            errors,
            survey_id,
            survey_title: survey.title.clone(),
            closed: overview.status == WaveStatus::Closed,
            w: wave_view(ctx, &overview),
            public_url: state.settings.public_url.clone(),
            teams: teams.iter().map(|tm| (tm.id, tm.name.clone())).collect(),
            links_form,
            links_errors,
            team_link_max,
            team_link_errors,
            dates_form,
            dates_errors,
            invitations,
            imported: o.imported,
            import_rows: o.import_rows,
            import_error: o.import_error,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    q: web::Query<Done>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (survey_id, wave_id) = path.into_inner();
    let notice = q.done.is_some().then_some(ctx.t.saved);
    page(
        &state,
        &ctx,
        survey_id,
        wave_id,
        Outcome {
            notice,
            ..Outcome::default()
        },
    )
    .await
}

fn back(ctx: &Ctx, survey_id: SurveyId, wave_id: WaveId, anchor: &str) -> HttpResponse {
    redirect(&format!(
        "/admin/surveys/{survey_id}/waves/{wave_id}?{}&done=saved#{anchor}",
        ctx.q()
    ))
}

/// POST /admin/surveys/{id}/waves: a new wave (the form is on the survey page).
#[tracing::instrument(skip_all)]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    super::survey::create_wave(&state, &ctx, path.into_inner(), &f).await
}

#[tracing::instrument(skip_all)]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let (survey_id, wave_id) = path.into_inner();
    let has = |n: &str| f.0.iter().any(|(k, _)| k == n);
    let body = UpdateWave {
        name: has("name").then(|| f.get("name")),
        opens_at: has("opens_at").then(|| form_instant(&f.get("opens_at"))),
        closes_at: has("closes_at").then(|| match f.opt("closes_at") {
            Some(c) => form_instant(&c),
            None => String::new(),
        }),
    };
    match db(&state, move |conn| {
        survey_edit::update_wave(conn, survey_id, wave_id, &body)
    })
    .await
    {
        Ok(_) => back(&ctx, survey_id, wave_id, "dates"),
        Err(e) => match Errors::from_error(ctx.lang, &e) {
            Some(errors) => {
                let status = if e.is_conflict() {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                let o = Outcome {
                    status: Some(status),
                    dates: Some((f, errors)),
                    ..Outcome::default()
                };
                page(&state, &ctx, survey_id, wave_id, o).await
            }
            None => failed(&ctx, &e),
        },
    }
}

#[tracing::instrument(skip_all)]
pub async fn close(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let (survey_id, wave_id) = path.into_inner();
    match db(&state, move |conn| {
        survey_edit::close_wave(conn, survey_id, wave_id)
    })
    .await
    {
        Ok(_) => back(&ctx, survey_id, wave_id, "monitor"),
        Err(e) => match Errors::from_error(ctx.lang, &e) {
            Some(errors) => {
                let o = Outcome {
                    status: Some(StatusCode::CONFLICT),
                    dates: Some((Fields(vec![]), errors)),
                    ..Outcome::default()
                };
                page(&state, &ctx, survey_id, wave_id, o).await
            }
            None => failed(&ctx, &e),
        },
    }
}

/// POST /admin/invitations/{id}/revoke: back to the invitation's wave.
#[tracing::instrument(skip_all)]
pub async fn revoke(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<InvitationId>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let id = path.into_inner();
    match db(&state, move |conn| invitations::revoke(conn, id)).await {
        Ok(i) => back(&ctx, i.survey_id, i.wave_id, "invitations"),
        Err(e) => failed(&ctx, &e),
    }
}

/// Largest upload: a 20 MB CSV and the form around it.
const UPLOAD_LIMIT: usize = 20 * 1024 * 1024 + 64 * 1024;

/// The parts of a multipart/form-data body: (name, content).
pub fn multipart(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Some(boundary) = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
    else {
        return vec![];
    };
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(start) = find(rest, &delimiter) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let Some(end) = find(rest, &delimiter) else {
            break;
        };
        let part = &rest[..end];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        if let Some(split) = find(part, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&part[..split]).to_string();
            let name = head
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix("name="))
                .map(|n| {
                    n.split(['\r', '\n'])
                        .next()
                        .unwrap_or(n)
                        .trim_matches('"')
                        .to_string()
                });
            if let Some(name) = name {
                parts.push((name, part[split + 4..].to_vec()));
            }
        }
    }
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// POST …/import: a CSV file uploaded from the page; every bad row shown, nothing stored.
#[tracing::instrument(skip_all)]
pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, WaveId)>,
    payload: web::Payload,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (survey_id, wave_id) = path.into_inner();
    let limit = UPLOAD_LIMIT;
    let body = match payload.to_bytes_limited(limit).await {
        Ok(Ok(b)) => b,
        _ => return failed(&ctx, &ErrorCode::FileTooLarge { mb: 20 }.into()),
    };
    let content_type = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let parts = multipart(&content_type, &body);
    let csrf = parts
        .iter()
        .find(|(n, _)| n == "csrf")
        .map(|(_, v)| String::from_utf8_lossy(v).to_string())
        .unwrap_or_default();
    if let Err(e) = ctx.who.check_csrf(Some(&csrf)) {
        return failed(&ctx, &e);
    }
    let file = parts
        .into_iter()
        .find(|(n, _)| n == "file")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let mut o = Outcome::default();
    if file.is_empty() {
        o.status = Some(StatusCode::UNPROCESSABLE_ENTITY);
        o.import_error = Some(ErrorCode::ChooseFile.message(ctx.lang));
        return page(&state, &ctx, survey_id, wave_id, o).await;
    }
    let result = db(&state, move |conn| {
        app_csv::import_csv(conn, survey_id, wave_id, &file, &mut |_, _| {})
    })
    .await;
    match result {
        Ok(outcome) => {
            o.imported = Some(outcome.imported);
        }
        Err(AppError::ImportRejected { rows, .. }) => {
            o.status = Some(StatusCode::UNPROCESSABLE_ENTITY);
            o.import_rows = rows
                .into_iter()
                .map(|r| {
                    (
                        r.line,
                        r.column.clone().unwrap_or_default(),
                        r.message(ctx.lang),
                    )
                })
                .collect();
        }
        Err(e) if e.is_conflict() || e.is_validation() => {
            o.status = Some(actix_web::ResponseError::status_code(&e));
            o.import_error = Some(e.message(ctx.lang));
        }
        Err(e) => return failed(&ctx, &e),
    }
    page(&state, &ctx, survey_id, wave_id, o).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_give_their_named_parts() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\naudience,team\r\ncustomer,Balie\r\n\r\n--XyZ--\r\n";
        let parts = multipart("multipart/form-data; boundary=XyZ", body);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], ("csrf".to_string(), b"abc".to_vec()));
        assert_eq!(parts[1].0, "file");
        assert_eq!(parts[1].1, b"audience,team\r\ncustomer,Balie\r\n".to_vec());
        assert!(multipart("multipart/form-data", body).is_empty());
    }
}
