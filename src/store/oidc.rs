//! Signing in through the organisation's OpenID provider: the sign-ins in progress (one-time,
//! short-lived) and the users' bindings to the provider's `iss` + `sub`.

use diesel::prelude::*;

use super::schema::{oidc_identities, oidc_logins};
use super::AnyConnection;
use crate::domain::UserId;

/// A sign-in in progress, as the callback finds it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = oidc_logins)]
pub struct PendingLogin {
    pub state_hash: String,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
    pub lang: String,
    pub created_at: chrono::NaiveDateTime,
    pub expires_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = oidc_logins)]
pub struct NewPendingLogin<'a> {
    pub state_hash: &'a str,
    pub browser_hash: &'a str,
    pub nonce: &'a str,
    pub pkce_verifier: &'a str,
    pub next_path: &'a str,
    pub lang: &'a str,
    pub created_at: chrono::NaiveDateTime,
    pub expires_at: chrono::NaiveDateTime,
}

pub fn create_login(conn: &mut AnyConnection, login: &NewPendingLogin<'_>) -> QueryResult<()> {
    diesel::insert_into(oidc_logins::table)
        .values(login)
        .execute(conn)?;
    Ok(())
}

/// Removes the sign-in with this state hash and returns it: of two callbacks with the same
/// state (on one instance or two), only one gets the row.
pub fn take_login(conn: &mut AnyConnection, state_hash: &str) -> QueryResult<Option<PendingLogin>> {
    diesel::delete(oidc_logins::table.filter(oidc_logins::state_hash.eq(state_hash)))
        .returning(oidc_logins::all_columns)
        .get_result(conn)
        .optional()
}

pub fn delete_expired_logins(
    conn: &mut AnyConnection,
    now: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(oidc_logins::table.filter(oidc_logins::expires_at.le(now))).execute(conn)
}

/// The user bound to a provider's subject.
pub fn user_of(
    conn: &mut AnyConnection,
    issuer: &str,
    subject: &str,
) -> QueryResult<Option<UserId>> {
    oidc_identities::table
        .filter(oidc_identities::issuer.eq(issuer))
        .filter(oidc_identities::subject.eq(subject))
        .select(oidc_identities::user_id)
        .get_result::<i64>(conn)
        .optional()
        .map(|id| id.map(UserId))
}

/// The subject a user is bound to at a provider, if any.
pub fn subject_of(
    conn: &mut AnyConnection,
    user: UserId,
    issuer: &str,
) -> QueryResult<Option<String>> {
    oidc_identities::table
        .filter(oidc_identities::user_id.eq(user.get()))
        .filter(oidc_identities::issuer.eq(issuer))
        .select(oidc_identities::subject)
        .get_result(conn)
        .optional()
}

/// Binds a user to a provider's subject. Call inside a transaction.
pub fn bind(
    conn: &mut AnyConnection,
    issuer: &str,
    subject: &str,
    user: UserId,
) -> QueryResult<()> {
    diesel::insert_into(oidc_identities::table)
        .values((
            oidc_identities::issuer.eq(issuer),
            oidc_identities::subject.eq(subject),
            oidc_identities::user_id.eq(user.get()),
            oidc_identities::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(())
}
