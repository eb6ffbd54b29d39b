//! Responses and their ratings. A response is written with all its ratings in the caller's
//! transaction: all or nothing.

use diesel::prelude::*;

use super::schema::{ratings, responses};
use super::AnyConnection;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = responses)]
pub struct Response {
    pub id: i64,
    pub survey_id: i64,
    pub wave_id: i64,
    pub team_id: i64,
    pub audience: String,
    pub submitted_at: chrono::NaiveDateTime,
    pub nps: Option<i32>,
    pub comment: Option<String>,
    pub respondent: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = responses)]
pub struct NewResponse {
    pub survey_id: i64,
    pub wave_id: i64,
    pub team_id: i64,
    pub audience: String,
    pub submitted_at: chrono::NaiveDateTime,
    pub nps: Option<i32>,
    pub comment: Option<String>,
    pub respondent: Option<String>,
}

/// One rating to store: dimension id, kind (`self`, `perceived`, …) and value (None = don't know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRatingValue {
    pub dimension_id: i64,
    pub kind: &'static str,
    pub value: Option<i32>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ratings)]
struct NewRatingRow {
    response_id: i64,
    survey_id: i64,
    wave_id: i64,
    team_id: i64,
    dimension_id: i64,
    kind: &'static str,
    value: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = ratings)]
pub struct RatingRow {
    pub response_id: i64,
    pub dimension_id: i64,
    pub kind: String,
    pub value: Option<i32>,
}

/// External respondent ids already present in a wave (for duplicate detection on import).
pub fn respondents_in_wave(conn: &mut AnyConnection, wave_id: i64) -> QueryResult<Vec<String>> {
    responses::table
        .filter(responses::wave_id.eq(wave_id))
        .filter(responses::respondent.is_not_null())
        .select(responses::respondent.assume_not_null())
        .load(conn)
}

/// Responses of a survey (optionally one wave) in id order, with their ratings.
pub fn load_for_export(
    conn: &mut AnyConnection,
    survey_id: i64,
    wave_id: Option<i64>,
) -> QueryResult<(Vec<Response>, Vec<RatingRow>)> {
    let mut rq = responses::table
        .filter(responses::survey_id.eq(survey_id))
        .select(Response::as_select())
        .order(responses::id.asc())
        .into_boxed();
    let mut tq = ratings::table
        .filter(ratings::survey_id.eq(survey_id))
        .select(RatingRow::as_select())
        .order((ratings::response_id.asc(), ratings::id.asc()))
        .into_boxed();
    if let Some(w) = wave_id {
        rq = rq.filter(responses::wave_id.eq(w));
        tq = tq.filter(ratings::wave_id.eq(w));
    }
    Ok((rq.load(conn)?, tq.load(conn)?))
}

/// Number of responses per (wave, team, audience) of a survey.
pub fn counts_by_scope(
    conn: &mut AnyConnection,
    survey_id: i64,
) -> QueryResult<Vec<(i64, i64, String, i64)>> {
    use diesel::dsl::count_star;
    responses::table
        .filter(responses::survey_id.eq(survey_id))
        .group_by((responses::wave_id, responses::team_id, responses::audience))
        .select((
            responses::wave_id,
            responses::team_id,
            responses::audience,
            count_star(),
        ))
        .load(conn)
}

pub fn count_all(conn: &mut AnyConnection) -> QueryResult<i64> {
    responses::table.count().get_result(conn)
}

/// Inserts many responses with their ratings in batches (one statement per batch per table)
/// and updates the summaries. Call inside a transaction. `progress` is called with the number
/// of responses written so far.
pub fn insert_batch(
    conn: &mut AnyConnection,
    items: &[(NewResponse, Vec<NewRatingValue>)],
    scale_min: i32,
    progress: &mut dyn FnMut(u64),
) -> QueryResult<Vec<i64>> {
    // PostgreSQL gets multi-row statements (each costs a round trip); SQLite gets cached
    // single-row statements (no round trips, and no new statement to parse per batch size).
    const CHUNK: usize = 500;
    let mut all_ids = Vec::with_capacity(items.len());
    for chunk in items.chunks(CHUNK) {
        let heads: Vec<NewResponse> = chunk.iter().map(|(r, _)| r.clone()).collect();
        let ids: Vec<i64> = match conn {
            AnyConnection::Postgresql(c) => diesel::insert_into(responses::table)
                .values(&heads)
                .returning(responses::id)
                .get_results(c)?,
            AnyConnection::Sqlite(c) => heads
                .iter()
                .map(|h| {
                    diesel::insert_into(responses::table)
                        .values(h)
                        .returning(responses::id)
                        .get_result(c)
                })
                .collect::<QueryResult<Vec<i64>>>()?,
        };
        let mut rows: Vec<NewRatingRow> = Vec::new();
        all_ids.extend_from_slice(&ids);
        for ((resp, values), id) in chunk.iter().zip(ids) {
            rows.extend(values.iter().map(|v| NewRatingRow {
                response_id: id,
                survey_id: resp.survey_id,
                wave_id: resp.wave_id,
                team_id: resp.team_id,
                dimension_id: v.dimension_id,
                kind: v.kind,
                value: v.value,
            }));
        }
        // 7 parameters a row; stay well below SQLite's 32766 bound parameters.
        for part in rows.chunks(4000) {
            match conn {
                AnyConnection::Postgresql(c) => {
                    diesel::insert_into(ratings::table)
                        .values(part)
                        .execute(c)?;
                }
                AnyConnection::Sqlite(c) => {
                    // One cached single-row statement per rating: SQLite has no round trips, and
                    // re-using the prepared statement beats parsing a new many-row INSERT.
                    for row in part {
                        diesel::insert_into(ratings::table).values(row).execute(c)?;
                    }
                }
            }
        }
        progress(all_ids.len() as u64);
    }
    let mut deltas = super::summaries::Deltas::default();
    for (resp, values) in items {
        deltas.add(resp, values, scale_min);
    }
    deltas.apply(conn)?;
    Ok(all_ids)
}

/// The most recent customer comments in scope (newest first).
pub fn recent_comments(
    conn: &mut AnyConnection,
    scope: super::comparison::Scope,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut q = responses::table
        .filter(responses::survey_id.eq(scope.survey_id))
        .filter(responses::audience.eq("customer"))
        .filter(responses::comment.is_not_null())
        .order((responses::submitted_at.desc(), responses::id.desc()))
        .select(responses::comment.assume_not_null())
        .limit(limit)
        .into_boxed();
    if let Some(w) = scope.wave_id {
        q = q.filter(responses::wave_id.eq(w));
    }
    if let Some(t) = scope.team_id {
        q = q.filter(responses::team_id.eq(t));
    }
    q.load(conn)
}
