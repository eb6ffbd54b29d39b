//! Login sessions and rate-limit counters: shared state lives in the database, so several
//! server instances can run side by side.

use diesel::prelude::*;

use super::schema::{rate_limits, sessions};
use super::AnyConnection;
use crate::domain::UserId;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub token_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: chrono::NaiveDateTime,
    pub expires_at: chrono::NaiveDateTime,
}

pub fn create(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: UserId,
    csrf_token: &str,
    expires_at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(csrf_token),
            sessions::created_at.eq(super::now()),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The session for a token hash, if it exists and has not expired.
pub fn find_live(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<Option<Session>> {
    sessions::table
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .select(Session::as_select())
        .get_result(conn)
        .optional()
}

pub fn delete(conn: &mut AnyConnection, token_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)
}

pub fn delete_expired(conn: &mut AnyConnection, now: chrono::NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}

/// The hits of `bucket` in its current window and the window's start; None when it has none.
pub fn peek(
    conn: &mut AnyConnection,
    bucket: &str,
    now: chrono::NaiveDateTime,
    window: chrono::Duration,
) -> QueryResult<Option<(i32, chrono::NaiveDateTime)>> {
    let current: Option<(chrono::NaiveDateTime, i32)> = rate_limits::table
        .find(bucket)
        .select((rate_limits::window_start, rate_limits::hits))
        .get_result(conn)
        .optional()?;
    Ok(current
        .filter(|(start, _)| now < *start + window)
        .map(|(start, hits)| (hits, start)))
}

/// Counts one hit in a fixed window for `bucket`; returns the hits in the current window
/// (including this one) and the window start. Call inside a write transaction.
pub fn hit(
    conn: &mut AnyConnection,
    bucket: &str,
    now: chrono::NaiveDateTime,
    window: chrono::Duration,
) -> QueryResult<(i32, chrono::NaiveDateTime)> {
    let current: Option<(chrono::NaiveDateTime, i32)> = rate_limits::table
        .find(bucket)
        .select((rate_limits::window_start, rate_limits::hits))
        .get_result(conn)
        .optional()?;
    match current {
        Some((start, hits)) if now < start + window => {
            diesel::update(rate_limits::table.find(bucket))
                .set(rate_limits::hits.eq(hits + 1))
                .execute(conn)?;
            Ok((hits + 1, start))
        }
        Some(_) => {
            diesel::update(rate_limits::table.find(bucket))
                .set((rate_limits::hits.eq(1), rate_limits::window_start.eq(now)))
                .execute(conn)?;
            Ok((1, now))
        }
        None => {
            diesel::insert_into(rate_limits::table)
                .values((
                    rate_limits::bucket.eq(bucket),
                    rate_limits::window_start.eq(now),
                    rate_limits::hits.eq(1),
                ))
                .execute(conn)?;
            Ok((1, now))
        }
    }
}

/// Deletes rate-limit counters whose window started before `before` (long over).
pub fn prune_limits(conn: &mut AnyConnection, before: chrono::NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(rate_limits::table.filter(rate_limits::window_start.lt(before))).execute(conn)
}

/// Ends every session of a user (a new password, a deleted account).
pub fn delete_for_user(conn: &mut AnyConnection, user_id: UserId) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}
