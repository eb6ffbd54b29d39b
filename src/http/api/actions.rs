//! Workshop actions: a decision per dimension (and team), with owner, due date and status.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{optional_text, required_text, ActionStatus, Decision, Invalid};
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::store::{
    self,
    actions::{Action, ActionChanges, NewAction},
    AnyConnection,
};

#[derive(Deserialize, ToSchema)]
pub struct CreateAction {
    pub dimension_key: String,
    pub wave_id: i64,
    /// Omit for an organisation-wide action (admins only).
    pub team_id: Option<i64>,
    /// `manage_expectations`, `improve_service` or `investigate`.
    pub decision: String,
    pub description: String,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct UpdateAction {
    /// `open`, `done` or `dropped`.
    pub status: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`; an empty string clears it.
    pub due_date: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct ActionView {
    pub id: i64,
    pub survey_id: i64,
    pub wave_id: i64,
    pub team_id: Option<i64>,
    pub dimension_key: String,
    pub decision: String,
    pub description: String,
    pub owner: Option<String>,
    pub due_date: Option<chrono::NaiveDate>,
    pub status: String,
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

fn parse_date(s: &str, field: &str) -> Result<chrono::NaiveDate, Invalid> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Invalid::new(field, format!("'{s}' is not a date (YYYY-MM-DD)")))
}

/// Who may act on a team's actions: admins on all; team leads on their own teams only.
fn check_action_team(who: &Principal, team_id: Option<i64>) -> Result<(), AppError> {
    match team_id {
        None if !who.is_admin() => Err(AppError::Forbidden(
            "organisation-wide actions are recorded by an admin".into(),
        )),
        t => who.check_team(t),
    }
}

/// Validates and stores a new action (used by the API and the workshop form).
pub fn create(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: i64,
    req: &CreateAction,
) -> Result<ActionView, AppError> {
    let decision = Decision::parse_field(req.decision.trim(), "decision")?;
    let description = required_text(&req.description, "description", 2000)?;
    let owner = req
        .owner
        .as_deref()
        .map(|o| optional_text(o, "owner", 200))
        .transpose()?
        .filter(|o| !o.is_empty());
    let due_date = req
        .due_date
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| parse_date(d, "due_date"))
        .transpose()?;
    check_action_team(who, req.team_id)?;
    store::surveys::find(conn, survey_id)?
        .ok_or_else(|| AppError::NotFound(format!("survey {survey_id}")))?;
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let key = req.dimension_key.trim();
    if !dims.iter().any(|d| d.key == key) {
        return Err(AppError::validation(
            "dimension_key",
            format!("'{key}' is not a dimension of survey {survey_id}"),
        ));
    }
    crate::service::check_wave(conn, survey_id, req.wave_id, crate::service::WaveRef::Field)?;
    if let Some(t) = req.team_id {
        if store::teams::find(conn, t)?.is_none() {
            return Err(AppError::validation(
                "team_id",
                format!("team {t} does not exist"),
            ));
        }
    }
    let now = store::now();
    let action = store::actions::create(
        conn,
        &NewAction {
            survey_id,
            wave_id: req.wave_id,
            team_id: req.team_id,
            dimension_key: key.to_string(),
            decision: decision.as_str().to_string(),
            description,
            owner,
            due_date,
            status: ActionStatus::Open.as_str().to_string(),
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(action.into())
}

#[utoipa::path(post, path = "/api/v1/surveys/{id}/actions", tag = "actions", request_body = CreateAction,
    params(("id" = i64, Path, description = "survey id")),
    responses((status = 201, body = ActionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_action(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<i64>,
    body: web::Json<CreateAction>,
) -> Result<HttpResponse, AppError> {
    let survey_id = path.into_inner();
    let view = db(&state, move |conn| create(conn, &who, survey_id, &body)).await?;
    Ok(HttpResponse::Created().json_line(view))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    pub team_id: Option<i64>,
}

/// Actions a user may see for a survey (optionally one team).
pub fn list(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: i64,
    team_id: Option<i64>,
) -> Result<Vec<ActionView>, AppError> {
    who.check_team(team_id)?;
    store::surveys::find(conn, survey_id)?
        .ok_or_else(|| AppError::NotFound(format!("survey {survey_id}")))?;
    let visible = who.visible_teams();
    Ok(
        store::actions::list(conn, survey_id, team_id, visible.as_deref())?
            .into_iter()
            .map(ActionView::from)
            .collect(),
    )
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/actions", tag = "actions",
    params(("id" = i64, Path, description = "survey id"), ActionQuery),
    responses((status = 200, body = Vec<ActionView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_actions(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<i64>,
    query: web::Query<ActionQuery>,
) -> Result<HttpResponse, AppError> {
    let survey_id = path.into_inner();
    let team_id = query.team_id;
    let views = db(&state, move |conn| list(conn, &who, survey_id, team_id)).await?;
    Ok(HttpResponse::Ok().json_line(views))
}

#[utoipa::path(patch, path = "/api/v1/actions/{id}", tag = "actions", request_body = UpdateAction,
    params(("id" = i64, Path, description = "action id")),
    responses((status = 200, body = ActionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_action(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<i64>,
    body: web::Json<UpdateAction>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let changes = ActionChanges {
        status: body
            .status
            .as_deref()
            .map(|s| ActionStatus::parse_field(s.trim(), "status").map(|s| s.as_str().to_string()))
            .transpose()?,
        description: body
            .description
            .as_deref()
            .map(|d| required_text(d, "description", 2000))
            .transpose()?,
        owner: body
            .owner
            .as_deref()
            .map(|o| optional_text(o, "owner", 200).map(|o| Some(o).filter(|o| !o.is_empty())))
            .transpose()?,
        due_date: body
            .due_date
            .as_deref()
            .map(|d| {
                if d.trim().is_empty() {
                    Ok(None)
                } else {
                    parse_date(d, "due_date").map(Some)
                }
            })
            .transpose()?,
        updated_at: Some(store::now()),
    };
    let view = db(&state, move |conn| {
        let action = store::actions::find(conn, id)?
            .ok_or_else(|| AppError::NotFound(format!("action {id}")))?;
        check_action_team(&who, action.team_id)?;
        Ok(ActionView::from(store::actions::update(
            conn, id, &changes,
        )?))
    })
    .await?;
    Ok(HttpResponse::Ok().json_line(view))
}
