//! Workshop actions: a decision per dimension (and team), with owner, due date and status.

use diesel::prelude::*;

use super::schema::actions;
use super::{row_and_new, AnyConnection};
use crate::domain::{ActionId, ActionStatus, Decision, SurveyId, TeamId, WaveId};

row_and_new! {
    #[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
    #[diesel(table_name = actions)]
    pub struct Action {
        pub id: ActionId,
        ..
    }

    #[derive(Debug, Clone, Insertable)]
    #[diesel(table_name = actions)]
    pub struct NewAction {
        pub survey_id: SurveyId,
        pub wave_id: WaveId,
        pub team_id: Option<TeamId>,
        pub dimension_key: String,
        pub decision: Decision,
        pub description: String,
        pub owner: Option<String>,
        pub due_date: Option<chrono::NaiveDate>,
        pub status: ActionStatus,
        pub created_at: chrono::NaiveDateTime,
        pub updated_at: chrono::NaiveDateTime,
    }
}

/// Fields a PATCH may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = actions)]
pub struct ActionChanges {
    pub status: Option<ActionStatus>,
    pub description: Option<String>,
    pub owner: Option<Option<String>>,
    pub due_date: Option<Option<chrono::NaiveDate>>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

pub fn create(conn: &mut AnyConnection, action: &NewAction) -> QueryResult<Action> {
    diesel::insert_into(actions::table)
        .values(action)
        .returning(actions::all_columns)
        .get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: ActionId) -> QueryResult<Option<Action>> {
    actions::table
        .find(id)
        .select(Action::as_select())
        .get_result(conn)
        .optional()
}

/// Actions of a survey. `teams`: `None` = all; `Some(ids)` = organisation-wide actions
/// (no team) and those of the given teams. `team_id` narrows to one team.
pub fn list(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    team_id: Option<TeamId>,
    visible_teams: Option<&[TeamId]>,
) -> QueryResult<Vec<Action>> {
    let mut q = actions::table
        .filter(actions::survey_id.eq(survey_id))
        .select(Action::as_select())
        .order((actions::created_at.asc(), actions::id.asc()))
        .into_boxed();
    if let Some(t) = team_id {
        q = q.filter(actions::team_id.eq(t));
    }
    if let Some(ids) = visible_teams {
        q = q.filter(
            actions::team_id
                .is_null()
                .or(actions::team_id.eq_any(ids.to_vec())),
        );
    }
    q.load(conn)
}

pub fn update(
    conn: &mut AnyConnection,
    id: ActionId,
    changes: &ActionChanges,
) -> QueryResult<Action> {
    diesel::update(actions::table.find(id))
        .set(changes)
        .returning(actions::all_columns)
        .get_result(conn)
}
