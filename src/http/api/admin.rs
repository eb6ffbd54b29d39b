//! Admin API: teams, surveys, waves, invitations. Handlers parse, call `app::surveys`, respond.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::audited_change;
use super::instant;
use crate::app::audit::{self, invitations_made, About, Action, Object};
use crate::app::surveys::{self as app, CreateInvitations, CreateSurvey, CreateWave};
use crate::domain::{Audience, SurveyId, TeamId, WaveId};
use crate::error::ErrorBody;
use crate::http::auth::Principal;
use crate::http::JsonBody;
use crate::http::{db, AppState};
use crate::store::{
    surveys::{Dimension, Survey, SurveyTexts, Wave},
    teams::Team,
};

// ---------- teams ----------

#[derive(Deserialize, ToSchema)]
pub struct CreateTeam {
    pub name: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TeamView {
    pub id: TeamId,
    pub name: String,
}

impl From<Team> for TeamView {
    fn from(t: Team) -> Self {
        TeamView {
            id: t.id,
            name: t.name,
        }
    }
}

/// A team as the audit log names it.
pub fn team_named(t: &Team) -> About {
    Object::new("team", t.id, &t.name).into()
}

handler! {
    (post, path = "/api/v1/teams", tag = "admin", request_body = CreateTeam)
    responses((status = 201, body = TeamView)) errors(401, 409, 422) bearer
    fn create_team(state: web::Data<AppState>, who: Principal, body: web::Json<CreateTeam>) {
        who.require_admin()?;
        let create = move |c: &mut _, _: &Principal| app::create_team(c, &body.name);
        let team = audited_change(&state, who, Action::TeamCreated, create, team_named).await?;
        Ok(HttpResponse::Created().json_line(TeamView::from(team)))
    }
}

handler! {
    (get, path = "/api/v1/teams", tag = "admin")
    responses((status = 200, body = Vec<TeamView>)) errors(401) bearer
    fn list_teams(state: web::Data<AppState>, who: Principal) {
        let only = who.visible_teams();
        let teams = db(&state, move |conn| app::list_teams(conn, only.as_deref())).await?;
        Ok(HttpResponse::Ok().json_line(teams.into_iter().map(TeamView::from).collect::<Vec<_>>()))
    }
}

// ---------- surveys ----------

#[derive(Serialize, Deserialize, ToSchema)]
pub struct DimensionView {
    pub key: String,
    pub label_nl: String,
    pub label_en: String,
    pub employee_statement_nl: String,
    pub employee_statement_en: String,
    pub customer_statement_nl: String,
    pub customer_statement_en: String,
    pub category: String,
    pub position: i32,
}

impl From<Dimension> for DimensionView {
    fn from(d: Dimension) -> Self {
        DimensionView {
            key: d.key,
            label_nl: d.label_nl,
            label_en: d.label_en,
            employee_statement_nl: d.employee_statement_nl,
            employee_statement_en: d.employee_statement_en,
            customer_statement_nl: d.customer_statement_nl,
            customer_statement_en: d.customer_statement_en,
            category: d.category.as_str().to_string(),
            position: d.position,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct WaveView {
    pub id: WaveId,
    pub survey_id: SurveyId,
    pub name: String,
    pub opens_at: chrono::DateTime<chrono::Utc>,
    pub closes_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<Wave> for WaveView {
    fn from(w: Wave) -> Self {
        WaveView {
            id: w.id,
            survey_id: w.survey_id,
            name: w.name,
            opens_at: instant(w.opens_at),
            closes_at: w.closes_at.map(instant),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SurveyView {
    pub id: SurveyId,
    pub title: String,
    pub template: Option<String>,
    pub scale_min: i32,
    pub scale_max: i32,
    pub min_group_size: i32,
    pub alpha: f64,
    pub materiality: f64,
    pub ask_predicted: bool,
    pub ask_expected: bool,
    pub ask_importance: bool,
    pub ask_nps: bool,
    pub comment_min_group_size: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(flatten)]
    pub texts: SurveyTextsView,
    pub dimensions: Vec<DimensionView>,
    pub waves: Vec<WaveView>,
}

/// What the questionnaire says about who asks (null: not given).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SurveyTextsView {
    pub organisation: Option<String>,
    pub contact: Option<String>,
    pub introduction_nl: Option<String>,
    pub introduction_en: Option<String>,
    pub privacy_statement_nl: Option<String>,
    pub privacy_statement_en: Option<String>,
    pub scale_low_nl: Option<String>,
    pub scale_high_nl: Option<String>,
    pub scale_low_en: Option<String>,
    pub scale_high_en: Option<String>,
}

impl From<SurveyTexts> for SurveyTextsView {
    fn from(t: SurveyTexts) -> Self {
        SurveyTextsView {
            organisation: t.organisation,
            contact: t.contact,
            introduction_nl: t.introduction_nl,
            introduction_en: t.introduction_en,
            privacy_statement_nl: t.privacy_statement_nl,
            privacy_statement_en: t.privacy_statement_en,
            scale_low_nl: t.scale_low_nl,
            scale_high_nl: t.scale_high_nl,
            scale_low_en: t.scale_low_en,
            scale_high_en: t.scale_high_en,
        }
    }
}

impl SurveyView {
    pub fn new(s: Survey, dims: Vec<Dimension>, waves: Vec<Wave>) -> SurveyView {
        SurveyView {
            id: s.id,
            title: s.title,
            template: s.template,
            scale_min: s.scale_min,
            scale_max: s.scale_max,
            min_group_size: s.min_group_size,
            alpha: s.alpha,
            materiality: s.materiality,
            ask_predicted: s.ask_predicted,
            ask_expected: s.ask_expected,
            ask_importance: s.ask_importance,
            ask_nps: s.ask_nps,
            comment_min_group_size: s.comment_min_group_size,
            created_at: instant(s.created_at),
            texts: SurveyTextsView::from(s.texts),
            dimensions: dims.into_iter().map(DimensionView::from).collect(),
            waves: waves.into_iter().map(WaveView::from).collect(),
        }
    }
}

/// A survey (with its dimensions, or its dimensions and waves) as the audit log names it.
pub fn survey_named<T>((s, ..): &(Survey, T)) -> About {
    Object::new("survey", s.id, &s.title).into()
}

handler! {
    (post, path = "/api/v1/surveys", tag = "admin", request_body = CreateSurvey)
    responses((status = 201, body = SurveyView)) errors(401, 422) bearer
    fn create_survey(state: web::Data<AppState>, who: Principal, body: web::Json<CreateSurvey>) {
        who.require_admin()?;
        let create = move |c: &mut _, _: &Principal| app::create_survey(c, &body);
        let (s, d) =
            audited_change(&state, who, Action::SurveyCreated, create, survey_named).await?;
        Ok(HttpResponse::Created().json_line(SurveyView::new(s, d, vec![])))
    }
}

handler! {
    (get, path = "/api/v1/surveys", tag = "admin")
    responses((status = 200, body = Vec<SurveyView>)) errors(401) bearer
    fn list_surveys(state: web::Data<AppState>, _who: Principal) {
        let all = db(&state, app::list_surveys).await?;
        let views: Vec<SurveyView> = all
            .into_iter()
            .map(|(s, d, w)| SurveyView::new(s, d, w))
            .collect();
        Ok(HttpResponse::Ok().json_line(views))
    }
}

handler! {
    (get, path = "/api/v1/surveys/{id}", tag = "admin", params(("id" = i64, Path, description = "survey id")))
    responses((status = 200, body = SurveyView)) errors(401, 404) bearer
    fn get_survey(state: web::Data<AppState>, _who: Principal, path: web::Path<SurveyId>) {
        let id = path.into_inner();
        let (s, d, w) = db(&state, move |conn| app::get_survey(conn, id)).await?;
        Ok(HttpResponse::Ok().json_line(SurveyView::new(s, d, w)))
    }
}

// ---------- waves ----------

handler! {
    (post, path = "/api/v1/surveys/{id}/waves", tag = "admin", request_body = CreateWave,
        params(("id" = i64, Path, description = "survey id")))
    responses((status = 201, body = WaveView)) errors(401, 404, 422) bearer
    fn create_wave(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        body: web::Json<CreateWave>,
    ) {
        who.require_admin()?;
        let survey_id = path.into_inner();
        let create = move |c: &mut _, _: &Principal| app::create_wave(c, survey_id, &body);
        let wave = audited_change(&state, who, Action::WaveCreated, create, audit::wave).await?;
        Ok(HttpResponse::Created().json_line(WaveView::from(wave)))
    }
}

// ---------- invitations ----------

#[derive(Serialize, Deserialize, ToSchema)]
pub struct InvitationsCreated {
    pub wave_id: WaveId,
    pub team_id: TeamId,
    pub audience: Audience,
    pub max_uses: i64,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The secret tokens. Shown only here, never again: only their hashes are stored.
    pub tokens: Vec<String>,
    /// The questionnaire link for each token: under the configured public address
    /// (`--public-url`), or relative (`/r/TOKEN`) when none is configured.
    pub links: Vec<String>,
}

handler! {
    (post, path = "/api/v1/surveys/{id}/invitations", tag = "admin", request_body = CreateInvitations,
        params(("id" = i64, Path, description = "survey id")))
    responses((status = 201, body = InvitationsCreated)) errors(401, 404, 422) bearer
    fn create_invitations(
        state: web::Data<AppState>,
        who: Principal,
        path: web::Path<SurveyId>,
        body: web::Json<CreateInvitations>,
    ) {
        who.require_admin()?;
        let survey_id = path.into_inner();
        let create = move |c: &mut _, _: &Principal| app::create_invitations(c, survey_id, &body);
        let about = move |m: &app::InvitationsMade| {
            invitations_made(survey_id, m.wave_id, m.team_id, m.audience, m.tokens.len())
        };
        let made = audited_change(&state, who, Action::InvitationsCreated, create, about).await?;
        let public_url = state.settings.public_url.as_deref();
        let links = made
            .tokens
            .iter()
            .map(|t| crate::app::invitations::link(public_url, t))
            .collect();
        Ok(HttpResponse::Created().json_line(InvitationsCreated {
            wave_id: made.wave_id,
            team_id: made.team_id,
            audience: made.audience,
            max_uses: made.max_uses,
            expires_at: made.expires_at.map(instant),
            tokens: made.tokens,
            links,
        }))
    }
}
