//! The full recount: the same counts as the summary tables, by GROUP BY over the `ratings`
//! view and the responses. Reports read the summaries (`summaries`); the test-suite checks
//! that the two always agree.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};

use super::schema::{ratings, responses};
use super::AnyConnection;
use crate::domain::{Audience, DimensionId, RatingKind, Scope, TeamId, WaveId};

/// Paired sums of one (wave, team, dimension).
#[derive(QueryableByName, Debug)]
pub struct PairRow {
    #[diesel(sql_type = BigInt)]
    pub team_id: TeamId,
    #[diesel(sql_type = BigInt)]
    pub wave_id: WaveId,
    #[diesel(sql_type = BigInt)]
    pub dimension_id: DimensionId,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub sum_d: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub sum_d2: Option<i64>,
}

/// (team id, wave id, dimension id, kind, value, count).
pub type RatingCount = (TeamId, WaveId, DimensionId, RatingKind, Option<i32>, i64);

/// Counts per (team, wave, dimension, kind, value) in scope.
pub fn rating_counts(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<RatingCount>> {
    use diesel::dsl::count_star;
    let mut q = ratings::table
        .filter(ratings::survey_id.eq(scope.survey))
        .group_by((
            ratings::team_id,
            ratings::wave_id,
            ratings::dimension_id,
            ratings::kind,
            ratings::value,
        ))
        .select((
            ratings::team_id,
            ratings::wave_id,
            ratings::dimension_id,
            ratings::kind,
            ratings::value,
            count_star(),
        ))
        .into_boxed();
    if let Some(w) = scope.wave {
        q = q.filter(ratings::wave_id.eq(w));
    }
    if let Some(t) = scope.team {
        q = q.filter(ratings::team_id.eq(t));
    }
    q.load(conn)
}

/// Per (team, wave, dimension): n, Σd, Σd² of d = perceived − expected over customers who
/// gave both.
pub fn paired_sums(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<PairRow>> {
    // The ids are typed integers and the kinds fixed names of a typed enum, so formatting
    // them into the SQL is safe.
    // PostgreSQL sums BIGINT into NUMERIC: the CAST keeps the result a BIGINT on both.
    // One pass: per (response, dimension) the perceived and expected value side by side,
    // then d = perceived − expected over the pairs where both are on the scale.
    let filter = super::summaries::scope_sql(scope);
    let (perceived, expected) = (
        RatingKind::Perceived.as_str(),
        RatingKind::Expected.as_str(),
    );
    let sql = format!(
        "SELECT team_id, wave_id, dimension_id, COUNT(*) AS n, CAST(SUM(d) AS BIGINT) AS sum_d, \
         CAST(SUM(d * d) AS BIGINT) AS sum_d2 FROM ( \
           SELECT team_id, wave_id, dimension_id, \
                  MAX(CASE WHEN kind = '{perceived}' THEN value END) \
                  - MAX(CASE WHEN kind = '{expected}' THEN value END) AS d \
           FROM ratings{filter} AND kind IN ('{perceived}', '{expected}') \
           GROUP BY team_id, wave_id, response_id, dimension_id \
         ) pairs WHERE d IS NOT NULL GROUP BY team_id, wave_id, dimension_id"
    );
    diesel::sql_query(sql).load(conn)
}

/// Responses per (team, wave, audience, NPS answer) in scope.
pub fn response_rows(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<ResponseCount>> {
    use diesel::dsl::count_star;
    let mut q = responses::table
        .filter(responses::survey_id.eq(scope.survey))
        .group_by((
            responses::team_id,
            responses::wave_id,
            responses::audience,
            responses::nps,
        ))
        .select((
            responses::team_id,
            responses::wave_id,
            responses::audience,
            responses::nps,
            count_star(),
        ))
        .into_boxed();
    if let Some(w) = scope.wave {
        q = q.filter(responses::wave_id.eq(w));
    }
    if let Some(t) = scope.team {
        q = q.filter(responses::team_id.eq(t));
    }
    q.load(conn)
}

/// Counts by (team, wave, audience, NPS answer or None).
pub type ResponseCount = (TeamId, WaveId, Audience, Option<i32>, i64);
