//! The full recount: the same counts as the summary tables, by GROUP BY over the `ratings`
//! view and the responses. Reports read the summaries (`summaries`); the test-suite checks
//! that the two always agree.

use diesel::prelude::*;

use super::schema::{ratings, responses};
use super::summaries::{narrow_to_scope, PairRow};
use super::AnyConnection;
use crate::domain::{Audience, DimensionId, RatingKind, Scope, TeamId, WaveId};

/// (team id, wave id, dimension id, kind, value, count).
pub type RatingCount = (TeamId, WaveId, DimensionId, RatingKind, Option<i32>, i64);

/// Counts per (team, wave, dimension, kind, value) in scope.
pub fn rating_counts(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<RatingCount>> {
    use diesel::dsl::count_star;
    let q = ratings::table
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
    narrow_to_scope!(q, ratings, scope).load(conn)
}

/// Per (team, wave, dimension): n, Σd, Σd² of d = perceived − expected over customers who
/// gave both (the rows of the summary table `pair_sums`: every group has a d, so its sums
/// are never NULL).
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
    let q = responses::table
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
    narrow_to_scope!(q, responses, scope).load(conn)
}

/// Counts by (team, wave, audience, NPS answer or None).
pub type ResponseCount = (TeamId, WaveId, Audience, Option<i32>, i64);
