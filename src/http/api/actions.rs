//! Workshop actions over HTTP: parse, call `app::actions`, respond.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::actions::{self as app, CreateAction, UpdateAction};
use crate::app::audit::{self, audited, Action as Audit};
use crate::domain::{ActionId, ActionStatus, Decision, SurveyId, TeamId, WaveId};
use crate::engine::ActionEffect;
use crate::error::{AppError, ErrorBody};
use crate::http::auth::Principal;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::store::actions::Action;
use crate::store::AnyConnection;

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
    /// What the action did to its dimension's gap (SPEC "What the actions did").
    pub effect: ActionEffect,
}

impl ActionView {
    fn new(a: Action, effect: ActionEffect) -> Self {
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
            effect,
        }
    }
}

/// Actions with their effects, as `who` may see them.
fn views(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    actions: Vec<Action>,
) -> Result<Vec<ActionView>, AppError> {
    let effects = crate::app::effects::effects(conn, who, survey_id, &actions)?;
    Ok(actions
        .into_iter()
        .zip(effects)
        .map(|(a, e)| ActionView::new(a, e))
        .collect())
}

fn one(conn: &mut AnyConnection, who: &Principal, action: Action) -> Result<ActionView, AppError> {
    let survey = action.survey_id;
    views(conn, who, survey, vec![action])?
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("an action without its view")))
}

/// A workshop action created or changed by `who` (`change`), with its audit entry, answered
/// with its view.
async fn changed<C>(
    state: &AppState,
    who: Principal,
    what: Audit,
    change: C,
) -> Result<ActionView, AppError>
where
    C: FnOnce(&mut AnyConnection, &Principal) -> Result<Action, AppError> + Send + 'static,
{
    db(state, move |conn| {
        let action = audited(
            conn,
            &who,
            what,
            |c| change(c, &who),
            audit::workshop_action,
        )?;
        one(conn, &who, action)
    })
    .await
}

handler! {
    (post, path = "/api/v1/surveys/{id}/actions", tag = "actions", request_body = CreateAction,
        params(("id" = i64, Path, description = "survey id")))
    responses((status = 201, body = ActionView)) errors(401, 403, 404, 422) bearer
    fn create_action(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        body: web::Json<CreateAction>,
    ) {
        let survey_id = path.into_inner();
        let create = move |c: &mut _, who: &Principal| app::create(c, who, survey_id, &body);
        let view = changed(&state, who, Audit::ActionCreated, create).await?;
        Ok(HttpResponse::Created().json_line(view))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    pub team_id: Option<TeamId>,
}

handler! {
    (get, path = "/api/v1/surveys/{id}/actions", tag = "actions",
        params(("id" = i64, Path, description = "survey id"), ActionQuery))
    responses((status = 200, body = Vec<ActionView>)) errors(401, 403, 404) bearer
    fn list_actions(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        query: web::Query<ActionQuery>,
    ) {
        let survey_id = path.into_inner();
        let team_id = query.team_id;
        let views = db(&state, move |conn| {
            let actions = app::list(conn, &who, survey_id, team_id)?;
            views(conn, &who, survey_id, actions)
        })
        .await?;
        Ok(HttpResponse::Ok().json_line(views))
    }
}

handler! {
    (patch, path = "/api/v1/actions/{id}", tag = "actions", request_body = UpdateAction,
        params(("id" = i64, Path, description = "action id")))
    responses((status = 200, body = ActionView)) errors(401, 403, 404, 422) bearer
    fn update_action(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<ActionId>,
        body: web::Json<UpdateAction>,
    ) {
        let id = path.into_inner();
        let update = move |c: &mut _, who: &Principal| app::update(c, who, id, &body);
        let view = changed(&state, who, Audit::ActionUpdated, update).await?;
        Ok(HttpResponse::Ok().json_line(view))
    }
}
