//! Teams.

use diesel::prelude::*;

use super::schema::teams;
use super::AnyConnection;
use crate::domain::TeamId;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = teams)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = teams)]
struct NewTeam<'a> {
    name: &'a str,
    created_at: chrono::NaiveDateTime,
}

#[tracing::instrument(skip(conn))]
pub fn create(conn: &mut AnyConnection, name: &str) -> QueryResult<Team> {
    diesel::insert_into(teams::table)
        .values(NewTeam {
            name,
            created_at: super::now(),
        })
        .returning(teams::all_columns)
        .get_result(conn)
}

/// All teams, or only those in `only` when given.
pub fn list(conn: &mut AnyConnection, only: Option<&[TeamId]>) -> QueryResult<Vec<Team>> {
    let mut q = teams::table
        .select(Team::as_select())
        .order(teams::name.asc())
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(teams::id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

pub fn find(conn: &mut AnyConnection, id: TeamId) -> QueryResult<Option<Team>> {
    teams::table
        .find(id)
        .select(Team::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_by_name(conn: &mut AnyConnection, name: &str) -> QueryResult<Option<Team>> {
    teams::table
        .filter(teams::name.eq(name))
        .select(Team::as_select())
        .get_result(conn)
        .optional()
}

/// Renames a team; None when it does not exist.
pub fn rename(conn: &mut AnyConnection, id: TeamId, name: &str) -> QueryResult<Option<Team>> {
    diesel::update(teams::table.find(id))
        .set(teams::name.eq(name))
        .execute(conn)?;
    find(conn, id)
}

/// What still refers to a team: (responses, actions).
pub fn references(conn: &mut AnyConnection, id: TeamId) -> QueryResult<(i64, i64)> {
    use super::schema::{actions, responses};
    let responses = responses::table
        .filter(responses::team_id.eq(id))
        .count()
        .get_result(conn)?;
    let actions = actions::table
        .filter(actions::team_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok((responses, actions))
}

/// Deletes a team and its assignments to team leads. Call inside a transaction, after
/// checking [`references`] and revoking its invitations.
pub fn delete(conn: &mut AnyConnection, id: TeamId) -> QueryResult<usize> {
    use super::schema::user_teams;
    diesel::delete(user_teams::table.filter(user_teams::team_id.eq(id))).execute(conn)?;
    diesel::delete(teams::table.find(id)).execute(conn)
}
