//! Respondent submissions, CSV import/export, comparison and trend.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::SurveyQuery;
use crate::app::{self, charts::ChartFormat, csv::ImportOutcome};
use crate::domain::submission::RawSubmission;
use crate::domain::{Scope, SurveyId, TeamId, WaveId};
use crate::engine::{Comparison, Trend};
use crate::error::ErrorCode;
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::i18n::Lang;

/// Largest CSV an import accepts.
pub const CSV_LIMIT: usize = 20 * 1024 * 1024;

#[derive(Deserialize, ToSchema)]
pub struct SubmissionBody {
    /// The invitation token (from the link).
    pub token: String,
    #[serde(flatten)]
    pub submission: RawSubmission,
}

#[derive(Serialize, ToSchema)]
pub struct SubmissionCreated {
    pub status: &'static str,
}

handler! {
    (post, path = "/api/v1/responses", tag = "respondent", request_body = SubmissionBody)
    responses((status = 201, body = SubmissionCreated))
    errors(400, 404, 409, 410, 413, 422, 429, 503)
    fn submit(
        state: web::Data<AppState>,
        req: actix_web::HttpRequest,
        body: web::Json<SubmissionBody>,
    ) {
        let ip = crate::http::client::client_ip(&req);
        state.limiter.check(ip)?;
        let body = body.into_inner();
        let stored = app::submissions::submit(&state.writer, &body.token, body.submission).await;
        crate::http::limits::settle(&state.limiter, ip, stored)?;
        Ok(HttpResponse::Created().json_line(SubmissionCreated { status: "stored" }))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WaveQuery {
    pub wave_id: Option<WaveId>,
}

handler! {
    (post, path = "/api/v1/surveys/{id}/import", tag = "admin",
        params(("id" = i64, Path, description = "survey id"), WaveQuery),
        request_body(content = String, content_type = "text/csv"))
    responses((status = 201, body = ImportOutcome)) errors(401, 404, 408, 413, 422, 503) bearer
    fn import(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        query: web::Query<WaveQuery>,
        payload: web::Payload,
    ) {
        who.require_admin()?;
        let body = payload
            .to_bytes_limited(CSV_LIMIT)
            .await
            .map_err(|_| {
                AppError::from(ErrorCode::FileTooLarge {
                    mb: (CSV_LIMIT / (1024 * 1024)) as u64,
                })
            })?
            .map_err(|e| match e.as_error::<actix_web::error::PayloadError>() {
                Some(p) => crate::error::payload_error(p),
                None => ErrorCode::BodyUnreadable {
                    detail: e.to_string(),
                }
                .into(),
            })?;
        let survey_id = path.into_inner();
        let wave_id = query
            .wave_id
            .ok_or_else(|| AppError::at("wave_id", ErrorCode::Required))?;
        let outcome = db(&state, move |conn| {
            let checked = app::csv::check_import(conn, survey_id, wave_id, &body)?;
            app::audit::audited(
                conn,
                &who,
                app::audit::Action::ResponsesImported,
                |c| app::csv::store_import(c, checked, &mut |_, _| {}),
                |o| app::audit::imported(survey_id, wave_id, o),
            )
        })
        .await?;
        Ok(HttpResponse::Created().json_line(outcome))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    pub wave_id: Option<WaveId>,
    /// `1`: for Dutch Excel (UTF-8 with a byte-order mark, `;` between cells).
    pub excel: Option<u8>,
}

handler! {
    (get, path = "/api/v1/surveys/{id}/export.csv", tag = "admin",
        params(("id" = i64, Path, description = "survey id"), ExportQuery))
    responses((status = 200, body = String, content_type = "text/csv"))
    errors(401, 403, 404, 503) bearer
    fn export(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        query: web::Query<ExportQuery>,
    ) {
        // Raw responses are for the researchers (admins): team leads see aggregated reports only.
        who.require_admin()?;
        let survey_id = path.into_inner();
        let wave_id = query.wave_id;
        let excel = query.excel == Some(1);
        // The rows stream from one pooled connection, a page at a time; what can fail before the
        // first byte (no such survey, no connection) is answered with its own status.
        let (mut out, body) = crate::http::download::channel();
        let (ready, planned) = tokio::sync::oneshot::channel::<Result<(), AppError>>();
        let pool = state.pool.clone();
        // Held until the last row is written (`http::heavy`).
        let permit = state.heavy.enter().await?;
        actix_web::rt::task::spawn_blocking(move || {
            let _permit = permit;
            let start = pool.get().map_err(AppError::from).and_then(|mut conn| {
                app::csv::plan_export(&mut conn, survey_id, wave_id, excel).map(|p| (conn, p))
            });
            let (mut conn, plan) = match start {
                Ok(v) => v,
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            let _ = ready.send(Ok(()));
            match app::csv::write_export(&mut conn, &plan, &mut out) {
                Ok(_) => {
                    let _ = std::io::Write::flush(&mut out);
                }
                Err(app::csv::ExportError::Write(e)) => {
                    tracing::debug!(error = %e, "export ended early");
                }
                Err(app::csv::ExportError::App(e)) => {
                    tracing::warn!(error = %e, "export failed after it started");
                    out.fail("the export failed");
                }
            }
        });
        planned
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("the export task stopped")))??;
        Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!(
                    "attachment; filename=\"{}\"",
                    export_name(survey_id, wave_id, excel)
                ),
            ))
            .body(body))
    }
}

/// The export's file name: the survey, the wave when one is chosen, and `-excel` for the
/// Excel variant, so the two downloads never overwrite each other.
fn export_name(survey_id: SurveyId, wave_id: Option<WaveId>, excel: bool) -> String {
    let wave = wave_id.map(|w| format!("-wave{w}")).unwrap_or_default();
    let excel = if excel { "-excel" } else { "" };
    format!("klantspiegel-{survey_id}{wave}-responses{excel}.csv")
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    /// `nl` (default) or `en`: the language of the dimension labels.
    pub lang: Option<String>,
}

pub fn parse_lang(lang: Option<&str>) -> Result<Lang, AppError> {
    match lang {
        None => Ok(Lang::Nl),
        Some(s) => Lang::parse(s).ok_or_else(|| {
            AppError::at(
                "lang",
                ErrorCode::NotOneOf {
                    value: s.to_string(),
                    allowed: "nl, en".into(),
                },
            )
        }),
    }
}

handler! {
    (get, path = "/api/v1/surveys/{id}/comparison", tag = "reports",
        params(("id" = i64, Path, description = "survey id"), ReportQuery))
    responses((status = 200, body = Comparison)) errors(401, 403, 404) bearer
    fn comparison(state: web::Data<AppState>, who: Principal, asked: SurveyQuery<ReportQuery>) {
        let SurveyQuery { survey_id, query } = asked;
        who.check_team(query.team_id)?;
        let lang = parse_lang(query.lang.as_deref())?;
        let scope = Scope::new(survey_id, query.wave_id, query.team_id);
        let report = db(&state, move |conn| {
            app::reports::comparison(conn, &who, scope, lang)
        })
        .await?;
        Ok(HttpResponse::Ok().json_line(report))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendQuery {
    pub team_id: Option<TeamId>,
    pub lang: Option<String>,
}

handler! {
    (get, path = "/api/v1/surveys/{id}/trend", tag = "reports",
        params(("id" = i64, Path, description = "survey id"), TrendQuery))
    responses((status = 200, body = Trend)) errors(401, 403, 404) bearer
    fn trend(state: web::Data<AppState>, who: Principal, asked: SurveyQuery<TrendQuery>) {
        let SurveyQuery { survey_id, query } = asked;
        who.check_team(query.team_id)?;
        let lang = parse_lang(query.lang.as_deref())?;
        let team_id = query.team_id;
        let report = db(&state, move |conn| {
            app::reports::trend(conn, &who, survey_id, team_id, lang)
        })
        .await?;
        Ok(HttpResponse::Ok().json_line(report))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartQuery {
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    /// `nl` (default) or `en`.
    pub lang: Option<String>,
    /// Pixels, 480–4096 (default 1280).
    pub width: Option<u32>,
    /// Pixels, 270–4096 (default 720).
    pub height: Option<u32>,
    /// Draw only this dimension key.
    pub dimension: Option<String>,
}

handler! {
    (get, path = "/api/v1/surveys/{id}/charts/{file}", tag = "reports",
        params(("id" = i64, Path, description = "survey id"), ("file" = String, Path, description = "KIND.svg or KIND.png; KIND is mirror, gaps, distribution, trend, expectations or quadrant"), ChartQuery))
    responses((status = 200, description = "the chart", content_type = "image/svg+xml"))
    errors(401, 403, 404, 422) bearer
    fn chart(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, String)>,
        query: web::Query<ChartQuery>,
    ) {
        who.check_team(query.team_id)?;
        let (survey_id, file) = path.into_inner();
        let format = ChartFormat::from_path(&file)
            .ok_or_else(|| ErrorCode::ChartNotFound { name: file.clone() })?;
        let kind_name = file.rsplit_once('.').map(|(k, _)| k).unwrap_or("");
        let kind =
            crate::charts::ChartKind::parse(kind_name).ok_or_else(|| ErrorCode::ChartNotFound {
                name: kind_name.to_string(),
            })?;
        let req = app::charts::ChartRequest {
            scope: Scope::new(survey_id, query.wave_id, query.team_id),
            kind,
            lang: parse_lang(query.lang.as_deref())?,
            size: (
                query.width.unwrap_or(crate::charts::DEFAULT_SIZE.0),
                query.height.unwrap_or(crate::charts::DEFAULT_SIZE.1),
            ),
            format,
            dimension: query.dimension.clone(),
        };
        // PNG and oversized charts are heavy work (`http::heavy`); a page's SVG charts are not.
        let _permit = match req.is_heavy() {
            true => Some(state.heavy.enter().await?),
            false => None,
        };
        // The report is loaded with a pooled connection; the drawing happens after it is released.
        let chart = db(&state, move |conn| app::charts::load(conn, &who, req)).await?;
        let bytes = web::block(move || app::charts::render(&chart)).await??;
        Ok(HttpResponse::Ok()
            .content_type(format.content_type())
            .insert_header(("Cache-Control", "private, no-cache"))
            .body(bytes))
    }
}
