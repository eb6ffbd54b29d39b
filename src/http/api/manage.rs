//! Admin API for changing a study: a survey's settings and texts, a team's name, a team's
//! deletion, a wave's dates. Handlers parse, call `app`, respond.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::admin::{survey_named, team_named, SurveyView, TeamView, WaveView};
use super::audited_change;
use crate::app::audit::{self, deleting, Action, Object};
use crate::app::survey_edit::{self, UpdateSurvey, UpdateWave};
use crate::app::surveys as app;
use crate::domain::{SurveyId, TeamId, WaveId};
use crate::error::ErrorBody;
use crate::http::auth::Principal;
use crate::http::{db, AppState, JsonBody};

handler! {
    (patch, path = "/api/v1/surveys/{id}", tag = "admin", request_body = UpdateSurvey,
        params(("id" = i64, Path, description = "survey id")))
    responses((status = 200, body = SurveyView)) errors(401, 403, 404, 409, 422) bearer
    fn update_survey(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        body: web::Json<UpdateSurvey>,
    ) {
        who.require_admin()?;
        let id = path.into_inner();
        let update = move |c: &mut _, _: &Principal| survey_edit::update_survey(c, id, &body);
        audited_change(&state, who, Action::SurveyUpdated, update, survey_named).await?;
        state.cache.forget(id);
        let (s, d, w) = db(&state, move |conn| app::get_survey(conn, id)).await?;
        Ok(HttpResponse::Ok().json_line(SurveyView::new(s, d, w)))
    }
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateTeam {
    pub name: String,
}

handler! {
    (patch, path = "/api/v1/teams/{id}", tag = "admin", request_body = UpdateTeam,
        params(("id" = i64, Path, description = "team id")))
    responses((status = 200, body = TeamView)) errors(401, 403, 404, 409, 422) bearer
    fn update_team(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<TeamId>,
        body: web::Json<UpdateTeam>,
    ) {
        who.require_admin()?;
        let id = path.into_inner();
        let rename = move |c: &mut _, _: &Principal| app::rename_team(c, id, &body.name);
        let team = audited_change(&state, who, Action::TeamRenamed, rename, team_named).await?;
        Ok(HttpResponse::Ok().json_line(TeamView::from(team)))
    }
}

handler! {
    (delete, path = "/api/v1/teams/{id}", tag = "admin",
        params(("id" = i64, Path, description = "team id")))
    responses((status = 204, description = "deleted; its invitations are revoked"),
        (status = 409, body = ErrorBody, description = "the team has responses (`team_has_responses`) or actions (`team_has_actions`)"))
    errors(401, 403, 404) bearer
    fn delete_team(state: web::Data<AppState>, who: Principal, path: web::Path<TeamId>) {
        who.require_admin()?;
        let id = path.into_inner();
        let delete = move |c: &mut _, _: &Principal| deleting(c, "team", id, app::delete_team);
        let about = move |name: &Option<String>| Object::named("team", id, name.clone()).into();
        audited_change(&state, who, Action::TeamDeleted, delete, about).await?;
        Ok(HttpResponse::NoContent().finish())
    }
}

handler! {
    (patch, path = "/api/v1/surveys/{id}/waves/{wave_id}", tag = "admin", request_body = UpdateWave,
        params(("id" = i64, Path, description = "survey id"), ("wave_id" = i64, Path, description = "wave id")))
    responses((status = 200, body = WaveView),
        (status = 409, body = ErrorBody, description = "the wave is closed (`wave_closed`)"))
    errors(401, 403, 404, 422) bearer
    fn update_wave(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<(SurveyId, WaveId)>,
        body: web::Json<UpdateWave>,
    ) {
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
}
