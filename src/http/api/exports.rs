//! Exports for the workshop: the pack as PDF and the report as XLSX.

use actix_web::{web, HttpResponse};

use std::future::Future;

use super::reports::{parse_lang, ReportQuery};
use super::SurveyQuery;
use crate::app;
use crate::domain::{SurveyId, WaveId};
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::{db, AppState};

fn attachment(content_type: &str, name: String, bytes: Vec<u8>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

fn file_name(
    survey_id: SurveyId,
    query: &ReportQuery,
    wave_id: Option<WaveId>,
    ext: &str,
) -> String {
    let mut name = format!("klantspiegel-{survey_id}");
    if let Some(w) = wave_id.or(query.wave_id) {
        name.push_str(&format!("-wave{w}"));
    }
    if let Some(t) = query.team_id {
        name.push_str(&format!("-team{t}"));
    }
    format!("{name}.{ext}")
}

/// A report file for `who`: the team checked, the language parsed, then a heavy-work permit
/// held while `make` writes the file from the request (the permit first, then the connection:
/// `http::heavy`); `make` returns the wave the file reports on with its bytes.
async fn download<F, Fut>(
    state: web::Data<AppState>,
    who: Principal,
    asked: SurveyQuery<ReportQuery>,
    (content_type, ext): (&str, &str),
    make: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(web::Data<AppState>, Principal, app::pack::PackRequest) -> Fut,
    Fut: Future<Output = Result<(Option<WaveId>, Vec<u8>), AppError>>,
{
    let SurveyQuery { survey_id, query } = asked;
    who.check_team(query.team_id)?;
    let req = app::pack::PackRequest {
        survey_id,
        wave_id: query.wave_id,
        team_id: query.team_id,
        lang: parse_lang(query.lang.as_deref())?,
    };
    let _permit = state.heavy.enter().await?;
    let (wave_id, bytes) = make(state, who, req).await?;
    attachment(
        content_type,
        file_name(survey_id, &query, wave_id, ext),
        bytes,
    )
}

handler! {
    (get, path = "/api/v1/surveys/{id}/workshop.pdf", tag = "reports",
        params(("id" = i64, Path, description = "survey id"), ReportQuery))
    responses((status = 200, description = "the workshop pack", content_type = "application/pdf"),
        (status = 503, body = ErrorBody, description = "too much heavy work at once (`busy`, `KLANTSPIEGEL_HEAVY_LIMIT`): try again after `Retry-After` seconds"))
    errors(401, 403, 404, 422) bearer
    fn workshop_pdf(state: web::Data<AppState>, who: Principal, asked: SurveyQuery<ReportQuery>) {
        // The report is loaded with a pooled connection; the drawing happens after it is released.
        let make = |state: web::Data<AppState>, who: Principal, req| async move {
            let loaded = db(&state, move |conn| app::pack::load(conn, &who, req)).await?;
            let wave_id = loaded.wave_id();
            let bytes = web::block(move || app::pack::render(&loaded)).await??;
            Ok::<_, AppError>((wave_id, bytes))
        };
        download(state, who, asked, ("application/pdf", "pdf"), make).await
    }
}

handler! {
    (get, path = "/api/v1/surveys/{id}/report.xlsx", tag = "reports",
        params(("id" = i64, Path, description = "survey id"), ReportQuery))
    responses((status = 200, description = "the comparison report per scope, one sheet each", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 503, body = ErrorBody, description = "too much heavy work at once (`busy`, `KLANTSPIEGEL_HEAVY_LIMIT`): try again after `Retry-After` seconds"))
    errors(401, 403, 404, 422) bearer
    fn report_xlsx(state: web::Data<AppState>, who: Principal, asked: SurveyQuery<ReportQuery>) {
        let make = |state: web::Data<AppState>, who: Principal, r: app::pack::PackRequest| async move {
            let req = app::exports::WorkbookRequest {
                survey_id: r.survey_id,
                wave_id: r.wave_id,
                team_id: r.team_id,
                lang: r.lang,
            };
            db(&state, move |conn| {
                app::exports::report_workbook(conn, &who, req)
            })
            .await
        };
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        download(state, who, asked, (xlsx, "xlsx"), make).await
    }
}
