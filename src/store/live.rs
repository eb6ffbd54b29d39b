//! Live workshop sessions (migration 000014): the session's state (open question, change
//! counter), the guesses while it runs, the devices that joined, the reveals, and the counts
//! per dimension that are all that stays once it ends.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::schema::{live_counts, live_guesses, live_participants, live_reveals, live_sessions};
use super::AnyConnection;
use crate::domain::{LiveSessionId, SurveyId, TeamId, UserId, WaveId};

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
#[diesel(table_name = live_sessions)]
pub struct LiveSession {
    pub id: LiveSessionId,
    pub code_hash: String,
    pub survey_id: SurveyId,
    pub wave_id: WaveId,
    pub team_id: Option<TeamId>,
    /// The user who started it; None: the admin token.
    pub facilitator_id: Option<UserId>,
    /// The dimension the phones are asked about now.
    pub open_key: Option<String>,
    /// Bumped on every change (a guess, an open, a reveal, the end): what listeners poll.
    pub version: i64,
    pub created_at: chrono::NaiveDateTime,
    pub expires_at: chrono::NaiveDateTime,
    pub ended_at: Option<chrono::NaiveDateTime>,
}

impl LiveSession {
    /// Ended by the facilitator, or past its four hours.
    pub fn is_over(&self, now: chrono::NaiveDateTime) -> bool {
        self.ended_at.is_some() || now >= self.expires_at
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = live_sessions)]
pub struct NewLiveSession {
    pub code_hash: String,
    pub survey_id: SurveyId,
    pub wave_id: WaveId,
    pub team_id: Option<TeamId>,
    pub facilitator_id: Option<UserId>,
    pub version: i64,
    pub created_at: chrono::NaiveDateTime,
    pub expires_at: chrono::NaiveDateTime,
}

/// Whether an error is a unique-key violation (a code already taken, a guess raced).
pub fn is_unique_violation(e: &Error) -> bool {
    matches!(
        e,
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Stores a new session; a code hash already taken is a unique violation.
pub fn insert(conn: &mut AnyConnection, new: &NewLiveSession) -> QueryResult<LiveSession> {
    diesel::insert_into(live_sessions::table)
        .values(new)
        .returning(live_sessions::all_columns)
        .get_result(conn)
}

pub fn find_by_code(conn: &mut AnyConnection, code_hash: &str) -> QueryResult<Option<LiveSession>> {
    live_sessions::table
        .filter(live_sessions::code_hash.eq(code_hash))
        .get_result(conn)
        .optional()
}

pub fn find(conn: &mut AnyConnection, id: LiveSessionId) -> QueryResult<Option<LiveSession>> {
    live_sessions::table.find(id).get_result(conn).optional()
}

/// The change counter alone (what each instance polls for its listeners).
pub fn version(conn: &mut AnyConnection, id: LiveSessionId) -> QueryResult<Option<i64>> {
    live_sessions::table
        .find(id)
        .select(live_sessions::version)
        .get_result(conn)
        .optional()
}

/// The change counter and the number of guesses: what listeners poll (a guess changes only
/// the latter, a replaced guess neither: it shows nothing new).
pub fn change_mark(conn: &mut AnyConnection, id: LiveSessionId) -> QueryResult<Option<(i64, i64)>> {
    let Some(v) = version(conn, id)? else {
        return Ok(None);
    };
    let n: i64 = live_guesses::table
        .filter(live_guesses::session_id.eq(id))
        .count()
        .get_result(conn)?;
    Ok(Some((v, n)))
}

/// Counts one change.
pub fn bump(conn: &mut AnyConnection, id: LiveSessionId) -> QueryResult<usize> {
    diesel::update(live_sessions::table.find(id))
        .set(live_sessions::version.eq(live_sessions::version + 1))
        .execute(conn)
}

/// Sets (or clears) the open question and counts the change.
pub fn set_open(conn: &mut AnyConnection, id: LiveSessionId, key: Option<&str>) -> QueryResult<()> {
    diesel::update(live_sessions::table.find(id))
        .set((
            live_sessions::open_key.eq(key),
            live_sessions::version.eq(live_sessions::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// A participant's guess on a dimension; a second guess replaces the first.
pub fn put_guess(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    key: &str,
    participant: &str,
    value: i32,
) -> QueryResult<()> {
    if replace_guess(conn, id, key, participant, value)? {
        return Ok(());
    }
    insert_guess(conn, id, key, participant, value)
}

/// The guesses of a session on one dimension.
#[diesel::dsl::auto_type(no_type_alias)]
fn guesses_on_key<'a>(id: LiveSessionId, key: &'a str) -> _ {
    live_guesses::table
        .filter(live_guesses::session_id.eq(id))
        .filter(live_guesses::dimension_key.eq(key))
}

/// Replaces a participant's guess on a dimension; false when there was none.
pub fn replace_guess(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    key: &str,
    participant: &str,
    value: i32,
) -> QueryResult<bool> {
    let target = guesses_on_key(id, key).filter(live_guesses::participant.eq(participant));
    Ok(diesel::update(target)
        .set(live_guesses::value.eq(value))
        .execute(conn)?
        > 0)
}

/// A participant's first guess on a dimension.
pub fn insert_guess(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    key: &str,
    participant: &str,
    value: i32,
) -> QueryResult<()> {
    let guess = NewGuess {
        session_id: id,
        dimension_key: key,
        participant,
        value,
    };
    diesel::insert_into(live_guesses::table)
        .values(&guess)
        .execute(conn)?;
    Ok(())
}

/// Remembers a device that joined (once).
pub fn add_participant(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    participant: &str,
) -> QueryResult<()> {
    if is_participant(conn, id, participant)? {
        return Ok(());
    }
    let row = NewParticipant {
        session_id: id,
        participant,
    };
    match diesel::insert_into(live_participants::table)
        .values(&row)
        .execute(conn)
    {
        Err(e) if is_unique_violation(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

pub fn is_participant(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    participant: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        live_participants::table
            .filter(live_participants::session_id.eq(id))
            .filter(live_participants::participant.eq(participant)),
    ))
    .get_result(conn)
}

/// Devices that joined the session.
pub fn participant_count(conn: &mut AnyConnection, id: LiveSessionId) -> QueryResult<i64> {
    live_participants::table
        .filter(live_participants::session_id.eq(id))
        .count()
        .get_result(conn)
}

/// Guesses per dimension while the session runs (one GROUP BY).
pub fn guess_counts(
    conn: &mut AnyConnection,
    id: LiveSessionId,
) -> QueryResult<Vec<(String, i64)>> {
    live_guesses::table
        .filter(live_guesses::session_id.eq(id))
        .group_by(live_guesses::dimension_key)
        .select((live_guesses::dimension_key, diesel::dsl::count_star()))
        .load(conn)
}

/// The guesses on one dimension (their values only).
pub fn guesses_on(conn: &mut AnyConnection, id: LiveSessionId, key: &str) -> QueryResult<Vec<i32>> {
    guesses_on_key(id, key)
        .select(live_guesses::value)
        .load(conn)
}

/// Stores a reveal (its JSON), once per dimension.
pub fn insert_reveal(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    key: &str,
    position: i32,
    body: &str,
) -> QueryResult<()> {
    diesel::insert_into(live_reveals::table)
        .values((
            live_reveals::session_id.eq(id),
            live_reveals::dimension_key.eq(key),
            live_reveals::position.eq(position),
            live_reveals::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// The reveals so far, in the order they were made: (dimension key, JSON).
pub fn reveals(conn: &mut AnyConnection, id: LiveSessionId) -> QueryResult<Vec<(String, String)>> {
    live_reveals::table
        .filter(live_reveals::session_id.eq(id))
        .order(live_reveals::position.asc())
        .select((live_reveals::dimension_key, live_reveals::body))
        .load(conn)
}

pub fn reveal_count(conn: &mut AnyConnection, id: LiveSessionId) -> QueryResult<i64> {
    live_reveals::table
        .filter(live_reveals::session_id.eq(id))
        .count()
        .get_result(conn)
}

/// Ends a session: the guesses become a count per dimension, and the guesses, the devices and
/// the reveals are deleted. Call inside a write transaction.
pub fn end(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    for (key, n) in guess_counts(conn, id)? {
        diesel::insert_into(live_counts::table)
            .values((
                live_counts::session_id.eq(id),
                live_counts::dimension_key.eq(&key),
                live_counts::guesses.eq(i32::try_from(n).unwrap_or(i32::MAX)),
            ))
            .execute(conn)?;
    }
    diesel::delete(live_guesses::table.filter(live_guesses::session_id.eq(id))).execute(conn)?;
    diesel::delete(live_participants::table.filter(live_participants::session_id.eq(id)))
        .execute(conn)?;
    diesel::delete(live_reveals::table.filter(live_reveals::session_id.eq(id))).execute(conn)?;
    diesel::update(live_sessions::table.find(id))
        .set((
            live_sessions::ended_at.eq(Some(now)),
            live_sessions::open_key.eq(None::<String>),
            live_sessions::version.eq(live_sessions::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// The counts kept after the end.
pub fn final_counts(
    conn: &mut AnyConnection,
    id: LiveSessionId,
) -> QueryResult<Vec<(String, i64)>> {
    let rows: Vec<(String, i32)> = live_counts::table
        .filter(live_counts::session_id.eq(id))
        .select((live_counts::dimension_key, live_counts::guesses))
        .load(conn)?;
    Ok(rows.into_iter().map(|(k, n)| (k, i64::from(n))).collect())
}

/// Sessions past their end time that have not been ended yet.
pub fn expired_running(
    conn: &mut AnyConnection,
    now: chrono::NaiveDateTime,
) -> QueryResult<Vec<LiveSessionId>> {
    live_sessions::table
        .filter(live_sessions::ended_at.is_null())
        .filter(live_sessions::expires_at.le(now))
        .select(live_sessions::id)
        .load(conn)
}

/// The hits of a rate-limit bucket in its current window, without counting one: (hits, start).
pub fn limit_hits(
    conn: &mut AnyConnection,
    bucket: &str,
    now: chrono::NaiveDateTime,
    window_secs: i64,
) -> QueryResult<Option<(i32, chrono::NaiveDateTime)>> {
    use super::schema::rate_limits;
    let row: Option<(chrono::NaiveDateTime, i32)> = rate_limits::table
        .find(bucket)
        .select((rate_limits::window_start, rate_limits::hits))
        .get_result(conn)
        .optional()?;
    Ok(row
        .filter(|(start, _)| now < *start + chrono::Duration::seconds(window_secs))
        .map(|(start, hits)| (hits, start)))
}

/// The buckets among `buckets` with at least `limit` hits in their current window: (bucket,
/// window start).
pub fn limits_over(
    conn: &mut AnyConnection,
    buckets: &[String],
    now: chrono::NaiveDateTime,
    window_secs: i64,
    limit: i32,
) -> QueryResult<Vec<(String, chrono::NaiveDateTime)>> {
    use super::schema::rate_limits;
    let rows: Vec<(String, chrono::NaiveDateTime, i32)> = rate_limits::table
        .filter(rate_limits::bucket.eq_any(buckets))
        .filter(rate_limits::hits.ge(limit))
        .select((
            rate_limits::bucket,
            rate_limits::window_start,
            rate_limits::hits,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, start, _)| now < *start + chrono::Duration::seconds(window_secs))
        .map(|(b, start, _)| (b, start))
        .collect())
}

/// Which of `participants` joined the session.
pub fn known_participants(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    participants: &[String],
) -> QueryResult<Vec<String>> {
    live_participants::table
        .filter(live_participants::session_id.eq(id))
        .filter(live_participants::participant.eq_any(participants))
        .select(live_participants::participant)
        .load(conn)
}

/// Which of `participants` guessed `key` already.
pub fn guessed_already(
    conn: &mut AnyConnection,
    id: LiveSessionId,
    key: &str,
    participants: &[String],
) -> QueryResult<Vec<String>> {
    guesses_on_key(id, key)
        .filter(live_guesses::participant.eq_any(participants))
        .select(live_guesses::participant)
        .load(conn)
}

#[derive(Insertable)]
#[diesel(table_name = live_participants)]
pub struct NewParticipant<'a> {
    pub session_id: LiveSessionId,
    pub participant: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = live_guesses)]
pub struct NewGuess<'a> {
    pub session_id: LiveSessionId,
    pub dimension_key: &'a str,
    pub participant: &'a str,
    pub value: i32,
}

/// Several participants at once (one statement on PostgreSQL, where a round trip costs; one
/// each on SQLite, where it does not).
pub fn insert_participants(conn: &mut AnyConnection, rows: &[NewParticipant]) -> QueryResult<()> {
    insert_batched(
        conn,
        rows,
        |pg, chunk| {
            diesel::insert_into(live_participants::table)
                .values(chunk)
                .execute(pg)
        },
        |conn, r| add_participant(conn, r.session_id, r.participant),
    )
}

/// Several first guesses at once (as `insert_participants`).
pub fn insert_guesses(conn: &mut AnyConnection, rows: &[NewGuess]) -> QueryResult<()> {
    insert_batched(
        conn,
        rows,
        |pg, chunk| {
            diesel::insert_into(live_guesses::table)
                .values(chunk)
                .execute(pg)
        },
        |conn, r| insert_guess(conn, r.session_id, r.dimension_key, r.participant, r.value),
    )
}

/// Inserts rows with `many` (500 a statement) on PostgreSQL, with `one` (a row a statement)
/// on SQLite.
fn insert_batched<R>(
    conn: &mut AnyConnection,
    rows: &[R],
    many: impl Fn(&mut diesel::PgConnection, &[R]) -> QueryResult<usize>,
    one: impl Fn(&mut AnyConnection, &R) -> QueryResult<()>,
) -> QueryResult<()> {
    match conn {
        AnyConnection::Postgresql(pg) => {
            for chunk in rows.chunks(500) {
                many(pg, chunk)?;
            }
        }
        AnyConnection::Sqlite(_) => {
            for r in rows {
                one(conn, r)?;
            }
        }
    }
    Ok(())
}
