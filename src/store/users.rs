//! Users (admins and team leads) and their team assignments.

use diesel::prelude::*;

use super::schema::{user_teams, users};
use super::AnyConnection;
use crate::domain::{Role, TeamId, UserId};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
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
    teams: &[TeamId],
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
    super::history::record(conn, &user.email, role, teams, user.created_at)?;
    Ok(user)
}

pub fn find_by_email(conn: &mut AnyConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut AnyConnection, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .get_result(conn)
        .optional()
}

pub fn teams_of(conn: &mut AnyConnection, user_id: UserId) -> QueryResult<Vec<TeamId>> {
    user_teams::table
        .filter(user_teams::user_id.eq(user_id))
        .select(user_teams::team_id)
        .order(user_teams::team_id.asc())
        .load(conn)
}

/// Every user by e-mail address, with their teams.
pub fn list(conn: &mut AnyConnection) -> QueryResult<Vec<(User, Vec<TeamId>)>> {
    let all: Vec<User> = users::table
        .select(User::as_select())
        .order(users::email.asc())
        .load(conn)?;
    let links: Vec<(UserId, TeamId)> = user_teams::table
        .select((user_teams::user_id, user_teams::team_id))
        .order((user_teams::user_id.asc(), user_teams::team_id.asc()))
        .load(conn)?;
    Ok(all
        .into_iter()
        .map(|u| {
            let teams = links
                .iter()
                .filter(|(user, _)| *user == u.id)
                .map(|(_, t)| *t)
                .collect();
            (u, teams)
        })
        .collect())
}

/// The admins' ids, in id order. Inside a transaction on PostgreSQL their rows stay locked
/// until it ends (`FOR UPDATE`), so two transactions that each demote or delete one of the
/// last two admins cannot both go through; on SQLite the write transaction serialises them.
pub fn admins_locked(conn: &mut AnyConnection) -> QueryResult<Vec<UserId>> {
    let q = users::table
        .filter(users::role.eq(Role::Admin))
        .order(users::id.asc())
        .select(users::id);
    match conn {
        AnyConnection::Postgresql(c) => q.for_update().load(c),
        AnyConnection::Sqlite(c) => q.load(c),
    }
}

/// Changes a user's role and teams, and records the change in the address's history. Call
/// inside a transaction.
pub fn set_assignment(
    conn: &mut AnyConnection,
    id: UserId,
    role: Role,
    teams: &[TeamId],
) -> QueryResult<()> {
    let email: String = diesel::update(users::table.find(id))
        .set(users::role.eq(role))
        .returning(users::email)
        .get_result(conn)?;
    diesel::delete(user_teams::table.filter(user_teams::user_id.eq(id))).execute(conn)?;
    for t in teams {
        diesel::insert_into(user_teams::table)
            .values((user_teams::user_id.eq(id), user_teams::team_id.eq(*t)))
            .execute(conn)?;
    }
    super::history::record(conn, &email, role, teams, super::now())
}

/// Replaces a user's password hash.
pub fn set_password_hash(conn: &mut AnyConnection, id: UserId, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)
}

/// Deletes a user with their teams and sessions. Call inside a transaction.
pub fn delete(conn: &mut AnyConnection, id: UserId) -> QueryResult<usize> {
    use super::schema::sessions;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
    diesel::delete(user_teams::table.filter(user_teams::user_id.eq(id))).execute(conn)?;
    if let Some(u) = find(conn, id)? {
        super::history::close_all(conn, &u.email, super::now())?;
    }
    diesel::delete(users::table.find(id)).execute(conn)
}
