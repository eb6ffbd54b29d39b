//! Admin API for changing a study: a survey's settings and texts, a team's name, a team's
//! deletion, a wave's dates. Handlers parse, call `app`, respond.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::admin::{SurveyView, TeamView, WaveView};
use crate::app::audit::{self, audited, deleting, Action, Object};
use crate::app::survey_edit::{self, UpdateSurvey, UpdateWave};
use crate::app::surveys as app;
use crate::domain::{SurveyId, TeamId, WaveId};
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::{db, AppState, JsonBody};

#[utoipa::path(patch, path = "/api/v1/surveys/{id}", tag = "admin", request_body = UpdateSurvey,
    params(("id" = i64, Path, description = "survey id")),
    responses((status = 200, body = SurveyView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn update_survey(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<SurveyId>,
    body: web::Json<UpdateSurvey>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    db(&state, move |conn| {
        audited(
            conn,
            &who,
            Action::SurveyUpdated,
            |c| survey_edit::update_survey(c, id, &body),
            |(s, _)| Object::new("survey", s.id, &s.title).into(),
        )
    })
    .await?;
    state.cache.forget(id);
    let (s, d, w) = db(&state, move |conn| app::get_survey(conn, id)).await?;
    Ok(HttpResponse::Ok().json_line(SurveyView::new(s, d, w)))
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateTeam {
    pub name: String,
}

#[utoipa::path(patch, path = "/api/v1/teams/{id}", tag = "admin", request_body = UpdateTeam,
    params(("id" = i64, Path, description = "team id")),
    responses((status = 200, body = TeamView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn update_team(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<TeamId>,
    body: web::Json<UpdateTeam>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    let team = db(&state, move |conn| {
        audited(
            conn,
            &who,
            Action::TeamRenamed,
            |c| app::rename_team(c, id, &body.name),
            |t| Object::new("team", t.id, &t.name).into(),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json_line(TeamView::from(team)))
}

#[utoipa::path(delete, path = "/api/v1/teams/{id}", tag = "admin",
    params(("id" = i64, Path, description = "team id")),
    responses((status = 204, description = "deleted; its invitations are revoked"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the team has responses (`team_has_responses`) or actions (`team_has_actions`)")),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn delete_team(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<TeamId>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let id = path.into_inner();
    db(&state, move |conn| {
        audited(
            conn,
            &who,
            Action::TeamDeleted,
            |c| deleting(c, "team", id, app::delete_team),
            |name| Object::named("team", id, name.clone()).into(),
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(patch, path = "/api/v1/surveys/{id}/waves/{wave_id}", tag = "admin", request_body = UpdateWave,
    params(("id" = i64, Path, description = "survey id"), ("wave_id" = i64, Path, description = "wave id")),
    responses((status = 200, body = WaveView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "the wave is closed (`wave_closed`)"),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn update_wave(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(SurveyId, WaveId)>,
    body: web::Json<UpdateWave>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let (survey_id, wave_id) = path.into_inner();
    let (_, wave) = db(&state, move |conn| {
        let update = |c: &mut _| survey_edit::update_wave(c, survey_id, wave_id, &body);
        audit::audited_as(
            conn,
            &who,
            |c| audit::changing_wave(c, wave_id, update),
            audit::wave_changed,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json_line(WaveView::from(wave)))
}
