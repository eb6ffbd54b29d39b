//! The report page's action list: each action the reader may change has a small form (status,
//! description, owner, due date) that posts here; the change goes through `app::actions`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::session::{change_as, form_failed, form_user, redirect};
use super::view::scope_query;
use crate::app::actions::{self, UpdateAction};
use crate::app::audit::{workshop_action, Action::ActionUpdated};
use crate::domain::{ActionId, SurveyId, TeamId, WaveId};
use crate::http::AppState;
use crate::i18n::pages::app_text;

#[derive(Deserialize)]
pub struct ActionEdit {
    csrf: String,
    status: Option<String>,
    description: Option<String>,
    owner: Option<String>,
    due_date: Option<String>,
    /// The report's scope, to return to it.
    wave_id: Option<WaveId>,
    team_id: Option<String>,
}

/// Changes an action, then back to the report with the confirmation by the action.
#[tracing::instrument(skip_all)]
pub async fn update_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(SurveyId, ActionId)>,
    form: web::Form<ActionEdit>,
) -> HttpResponse {
    let form = form.into_inner();
    let (lang, who) = or_page!(form_user(&state, &req, &form.csrf).await);
    let (survey_id, action_id) = path.into_inner();
    let team_id = form
        .team_id
        .as_deref()
        .and_then(|s| s.trim().parse::<TeamId>().ok());
    let change = UpdateAction {
        status: form.status,
        description: form.description,
        owner: form.owner,
        due_date: form.due_date,
    };
    // Who may change which action is the app's rule (their own teams; organisation-wide
    // actions are an admin's).
    let update = move |c: &mut _, who: &_| actions::update(c, who, action_id, &change);
    let updated = change_as(&state, who, ActionUpdated, update, workshop_action).await;
    match updated {
        Ok(_) => redirect(&format!(
            "/surveys/{survey_id}?{}&updated={action_id}#action-{action_id}",
            scope_query(form.wave_id, team_id, lang)
        )),
        Err(e) => form_failed(lang, app_text(lang).actions, &e),
    }
}
