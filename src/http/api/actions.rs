//! Workshop actions over HTTP: parse, call `app::actions`, respond.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::actions::{self as app, CreateAction, UpdateAction};
use crate::domain::{ActionId, ActionStatus, Decision, SurveyId, TeamId, WaveId};
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::store::actions::Action;

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct ActionView {
    pub id: ActionId,
    pub survey_id: SurveyId,
    pub wave_id: WaveId,
    pub team_id: Option<TeamId>,
    pub dimension_key: String,
    pub decision: Decision,
    pub description: String,
    pub owner: Option<String>,
    pub due_date: Option<chrono::NaiveDate>,
    pub status: ActionStatus,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<Action> for ActionView {
    fn from(a: Action) -> Self {
        ActionView {
            id: a.id,
            survey_id: a.survey_id,
            wave_id: a.wave_id,
            team_id: a.team_id,
            dimension_key: a.dimension_key,
            decision: a.decision,
            description: a.description,
            owner: a.owner,
            due_date: a.due_date,
            status: a.status,
            created_at: a.created_at.and_utc(),
            updated_at: a.updated_at.and_utc(),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/actions", tag = "actions", request_body = CreateAction,
    params(("id" = i64, Path, description = "survey id")),
    responses((status = 201, body = ActionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn create_action(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<SurveyId>,
    body: web::Json<CreateAction>,
) -> Result<HttpResponse, AppError> {
    let survey_id = path.into_inner();
    let action = db(&state, move |conn| {
        app::create(conn, &who, survey_id, &body)
    })
    .await?;
    Ok(HttpResponse::Created().json_line(ActionView::from(action)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    pub team_id: Option<TeamId>,
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/actions", tag = "actions",
    params(("id" = i64, Path, description = "survey id"), ActionQuery),
    responses((status = 200, body = Vec<ActionView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn list_actions(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<SurveyId>,
    query: web::Query<ActionQuery>,
) -> Result<HttpResponse, AppError> {
    let survey_id = path.into_inner();
    let team_id = query.team_id;
    let actions = db(&state, move |conn| {
        app::list(conn, &who, survey_id, team_id)
    })
    .await?;
    let views: Vec<ActionView> = actions.into_iter().map(ActionView::from).collect();
    Ok(HttpResponse::Ok().json_line(views))
}

#[utoipa::path(patch, path = "/api/v1/actions/{id}", tag = "actions", request_body = UpdateAction,
    params(("id" = i64, Path, description = "action id")),
    responses((status = 200, body = ActionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all)]
pub async fn update_action(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<ActionId>,
    body: web::Json<UpdateAction>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let action = db(&state, move |conn| app::update(conn, &who, id, &body)).await?;
    Ok(HttpResponse::Ok().json_line(ActionView::from(action)))
}
