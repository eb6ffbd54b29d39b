//! Workshop actions: a decision per dimension (and team), with owner, due date and status.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::{
    optional_text, required_text, ActionId, ActionStatus, Decision, Invalid, SurveyId, TeamId,
    WaveId,
};
use crate::error::AppError;
use crate::store::actions::{Action, ActionChanges, NewAction};
use crate::store::{self, AnyConnection};

use super::accounts::Principal;
use super::{check_team, check_wave, parse_given, survey_or_404, TeamRef, WaveRef};
use crate::error::ErrorCode;

#[derive(Deserialize, ToSchema)]
pub struct CreateAction {
    pub dimension_key: String,
    pub wave_id: WaveId,
    /// Omit for an organisation-wide action (admins only).
    pub team_id: Option<TeamId>,
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

fn parse_date(s: &str, field: &str) -> Result<chrono::NaiveDate, Invalid> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Invalid::new(
            field,
            ErrorCode::NotADate {
                value: s.to_string(),
            },
        )
    })
}

/// Who may act on a team's actions: admins on all; team leads on their own teams only.
fn check_action_team(who: &Principal, team_id: Option<TeamId>) -> Result<(), AppError> {
    match team_id {
        None if !who.is_admin() => Err(ErrorCode::OrganisationActionsAdminOnly.into()),
        t => who.check_team(t),
    }
}

/// Whether `who` may record or change actions of `team_id` (None: organisation-wide ones).
pub fn may_act_on(who: &Principal, team_id: Option<TeamId>) -> bool {
    check_action_team(who, team_id).is_ok()
}

/// Validates and stores a new action (used by the API and the workshop form).
#[tracing::instrument(skip(conn, who, req))]
pub fn create(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    req: &CreateAction,
) -> Result<Action, AppError> {
    let decision = Decision::parse_field(req.decision.trim(), "decision")?;
    let description = required_text(&req.description, "description", 2000)?;
    let owner = req
        .owner
        .as_deref()
        .map(|o| optional_text(o, "owner", 200))
        .transpose()?
        .filter(|o| !o.is_empty());
    let due_date = parse_given(&req.due_date, |d| parse_date(d, "due_date"))?;
    check_action_team(who, req.team_id)?;
    survey_or_404(conn, survey_id)?;
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let key = req.dimension_key.trim();
    if !dims.iter().any(|d| d.key == key) {
        return Err(AppError::at(
            "dimension_key",
            ErrorCode::UnknownDimension {
                key: key.to_string(),
            },
        ));
    }
    check_wave(conn, survey_id, req.wave_id, WaveRef::Field)?;
    if let Some(t) = req.team_id {
        check_team(conn, t, TeamRef::Field("team_id"))?;
    }
    let now = store::now();
    let action = store::actions::create(
        conn,
        &NewAction {
            survey_id,
            wave_id: req.wave_id,
            team_id: req.team_id,
            dimension_key: key.to_string(),
            decision,
            description,
            owner,
            due_date,
            status: ActionStatus::Open,
            created_at: now,
            updated_at: now,
        },
    )?;
    Ok(action)
}

/// Actions a user may see for a survey (optionally one team).
#[tracing::instrument(skip(conn, who))]
pub fn list(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    team_id: Option<TeamId>,
) -> Result<Vec<Action>, AppError> {
    who.check_team(team_id)?;
    survey_or_404(conn, survey_id)?;
    let visible = who.visible_teams();
    Ok(store::actions::list(
        conn,
        survey_id,
        team_id,
        visible.as_deref(),
    )?)
}

/// The actions a scope's report shows: the team's own and the organisation-wide ones (all of
/// them the reader may see for the organisation), oldest first.
pub fn of_scope(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    team_id: Option<TeamId>,
) -> Result<Vec<Action>, AppError> {
    Ok(list(conn, who, survey_id, None)?
        .into_iter()
        .filter(|a| team_id.is_none() || a.team_id == team_id || a.team_id.is_none())
        .collect())
}

/// Validates and applies changes to an action the user may act on.
#[tracing::instrument(skip(conn, who, req))]
pub fn update(
    conn: &mut AnyConnection,
    who: &Principal,
    id: ActionId,
    req: &UpdateAction,
) -> Result<Action, AppError> {
    let changes = ActionChanges {
        status: req
            .status
            .as_deref()
            .map(|s| ActionStatus::parse_field(s.trim(), "status"))
            .transpose()?,
        description: req
            .description
            .as_deref()
            .map(|d| required_text(d, "description", 2000))
            .transpose()?,
        owner: req
            .owner
            .as_deref()
            .map(|o| optional_text(o, "owner", 200).map(|o| Some(o).filter(|o| !o.is_empty())))
            .transpose()?,
        due_date: req
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
    let action =
        store::actions::find(conn, id)?.ok_or(ErrorCode::ActionNotFound { action: id.get() })?;
    check_action_team(who, action.team_id)?;
    Ok(store::actions::update(conn, id, &changes)?)
}
