//! Exports for the workshop: the pack as PDF and the report as XLSX.

use actix_web::{web, HttpResponse};

use super::reports::{parse_lang, ReportQuery};
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

handler! {
    (get, path = "/api/v1/surveys/{id}/workshop.pdf", tag = "reports",
        params(("id" = i64, Path, description = "survey id"), ReportQuery))
    responses((status = 200, description = "the workshop pack", content_type = "application/pdf"),
        (status = 503, body = ErrorBody, description = "too much heavy work at once (`busy`, `KLANTSPIEGEL_HEAVY_LIMIT`): try again after `Retry-After` seconds"))
    errors(401, 403, 404, 422) bearer
    fn workshop_pdf(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        query: web::Query<ReportQuery>,
    ) {
        who.check_team(query.team_id)?;
        let survey_id = path.into_inner();
        let req = app::pack::PackRequest {
            survey_id,
            wave_id: query.wave_id,
            team_id: query.team_id,
            lang: parse_lang(query.lang.as_deref())?,
        };
        // A heavy-work permit first, then the connection (`http::heavy`); the report is loaded with
        // a pooled connection and the drawing happens after it is released.
        let _permit = state.heavy.enter().await?;
        let loaded = db(&state, move |conn| app::pack::load(conn, &who, req)).await?;
        let wave_id = loaded.wave_id();
        let bytes = web::block(move || app::pack::render(&loaded)).await??;
        attachment(
            "application/pdf",
            file_name(survey_id, &query, wave_id, "pdf"),
            bytes,
        )
    }
}

handler! {
    (get, path = "/api/v1/surveys/{id}/report.xlsx", tag = "reports",
        params(("id" = i64, Path, description = "survey id"), ReportQuery))
    responses((status = 200, description = "the comparison report per scope, one sheet each", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 503, body = ErrorBody, description = "too much heavy work at once (`busy`, `KLANTSPIEGEL_HEAVY_LIMIT`): try again after `Retry-After` seconds"))
    errors(401, 403, 404, 422) bearer
    fn report_xlsx(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        query: web::Query<ReportQuery>,
    ) {
        who.check_team(query.team_id)?;
        let survey_id = path.into_inner();
        let req = app::exports::WorkbookRequest {
            survey_id,
            wave_id: query.wave_id,
            team_id: query.team_id,
            lang: parse_lang(query.lang.as_deref())?,
        };
        let _permit = state.heavy.enter().await?;
        let (wave_id, bytes) = db(&state, move |conn| {
            app::exports::report_workbook(conn, &who, req)
        })
        .await?;
        attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name(survey_id, &query, wave_id, "xlsx"),
            bytes,
        )
    }
}
