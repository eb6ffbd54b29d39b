//! Users (admins and team leads) and their team assignments.

use diesel::prelude::*;

use super::schema::{user_teams, users};
use super::AnyConnection;
use crate::domain::Role;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUser<'a> {
    email: &'a str,
    password_hash: &'a str,
    role: Role,
    created_at: chrono::NaiveDateTime,
}

/// Creates a user with its teams. Call inside a transaction.
pub fn create(
    conn: &mut AnyConnection,
    email: &str,
    password_hash: &str,
    role: Role,
    teams: &[i64],
) -> QueryResult<User> {
    let user: User = diesel::insert_into(users::table)
        .values(NewUser {
            email,
            password_hash,
            role,
            created_at: super::now(),
        })
        .returning(users::all_columns)
        .get_result(conn)?;
    for t in teams {
        diesel::insert_into(user_teams::table)
            .values((user_teams::user_id.eq(user.id), user_teams::team_id.eq(*t)))
            .execute(conn)?;
    }
    Ok(user)
}

pub fn find_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .get_result(conn)
        .optional()
}

pub fn teams_of(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<i64>> {
    user_teams::table
        .filter(user_teams::user_id.eq(user_id))
        .select(user_teams::team_id)
        .order(user_teams::team_id.asc())
        .load(conn)
}
