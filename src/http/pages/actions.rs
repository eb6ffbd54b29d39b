//! The report page's action list: each action the reader may change has a small form (status,
//! description, owner, due date) that posts here; the change goes through `app::actions`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::session::{error_page, page_user, redirect};
use super::view::scope_query;
use super::{lang_of, render, MessagePage};
use crate::app::actions::{self, UpdateAction};
use crate::domain::{ActionId, SurveyId, TeamId, WaveId};
use crate::http::{db, AppState};
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
    let lang = lang_of(&req);
    let who = match page_user(&state, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let form = form.into_inner();
    if let Err(e) = who.check_csrf(Some(&form.csrf)) {
        return error_page(lang, &e);
    }
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
    let updated = db(&state, move |conn| {
        use crate::app::audit::{audited, workshop_action, Action};
        audited(
            conn,
            &who,
            Action::ActionUpdated,
            |c| actions::update(c, &who, action_id, &change),
            workshop_action,
        )
    })
    .await;
    match updated {
        Ok(_) => redirect(&format!(
            "/surveys/{survey_id}?{}&updated={action_id}#action-{action_id}",
            scope_query(form.wave_id, team_id, lang)
        )),
        Err(e) if e.is_validation() => {
            let t = app_text(lang);
            let msg = e.message(lang);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &MessagePage {
                    lang: t.lang_code,
                    title: t.actions,
                    heading: t.actions,
                    body: &msg,
                    kind: "problem",
                },
            )
        }
        Err(e) => error_page(lang, &e),
    }
}
