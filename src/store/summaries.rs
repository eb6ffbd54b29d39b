//! Summary tables (rating_counts, pair_sums, response_counts): the sufficient statistics of every
//! report, updated in the same transaction as each submission or import. A report reads these
//! instead of the rating rows, so its cost does not grow with the number of responses.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use std::collections::BTreeMap;

use super::responses::NewResponse;
use super::AnyConnection;
use crate::domain::submission::Answer;
use crate::domain::{Audience, Cell, DimensionId, RatingKind, Scope, SurveyId, TeamId, WaveId};

/// Slot of a "don't know" answer; answers on the scale use `value - scale_min`.
pub const DONT_KNOW_SLOT: i32 = -1;
/// NPS column value for a response without an NPS answer.
pub const NO_NPS: i32 = -1;

/// (survey, wave, team, dimension).
type DimKey = (SurveyId, WaveId, TeamId, DimensionId);
/// (n, Σd, Σd²).
type PairSum = (i64, i64, i64);

/// Summary deltas for a set of new responses, merged per key before writing.
#[derive(Debug, Default)]
pub struct Deltas {
    ratings: BTreeMap<(SurveyId, WaveId, TeamId, DimensionId, RatingKind, i32), i64>,
    pairs: BTreeMap<DimKey, PairSum>,
    responses: BTreeMap<(SurveyId, WaveId, TeamId, Audience, i32), i64>,
}

impl Deltas {
    /// Adds one response with its ratings.
    pub fn add(&mut self, r: &NewResponse, values: &[Answer], scale_min: i32) {
        for v in values {
            let slot = v.value.map(|x| x - scale_min).unwrap_or(DONT_KNOW_SLOT);
            *self
                .ratings
                .entry((
                    r.survey_id,
                    r.wave_id,
                    r.team_id,
                    v.dimension_id,
                    v.kind,
                    slot,
                ))
                .or_default() += 1;
        }
        for p in values.iter().filter(|v| v.kind == RatingKind::Perceived) {
            let expected = values
                .iter()
                .find(|e| e.kind == RatingKind::Expected && e.dimension_id == p.dimension_id)
                .and_then(|e| e.value);
            if let (Some(pv), Some(ev)) = (p.value, expected) {
                let d = i64::from(pv - ev);
                let e = self
                    .pairs
                    .entry((r.survey_id, r.wave_id, r.team_id, p.dimension_id))
                    .or_default();
                e.0 += 1;
                e.1 += d;
                e.2 += d * d;
            }
        }
        *self
            .responses
            .entry((
                r.survey_id,
                r.wave_id,
                r.team_id,
                r.audience,
                r.nps.unwrap_or(NO_NPS),
            ))
            .or_default() += 1;
    }

    /// Writes the deltas with multi-row upserts (a handful of statements). Call inside the
    /// transaction that inserted the responses.
    pub fn apply(&self, conn: &mut AnyConnection) -> QueryResult<()> {
        // Every value is an integer or the fixed name of a typed kind or audience (`as_str`),
        // so they are formatted into the SQL; the same statement text works on SQLite and
        // PostgreSQL (bind placeholders differ between them).
        let ratings = self.ratings.iter().map(|((s, w, t, d, k, slot), n)| {
            format!("({s},{w},{t},{d},'{}',{slot},{n})", k.as_str())
        });
        upsert(conn, RATING_COUNTS, RATING_COUNTS_ADD, ratings)?;
        let pairs = self
            .pairs
            .iter()
            .map(|((s, w, t, d), (n, sd, sd2))| format!("({s},{w},{t},{d},{n},{sd},{sd2})"));
        upsert(conn, PAIR_SUMS, PAIR_SUMS_ADD, pairs)?;
        let responses = self
            .response_counts()
            .map(|((s, w, t, a, nps), n)| format!("({s},{w},{t},'{}',{nps},{n})", a.as_str()));
        upsert(conn, RESPONSE_COUNTS, RESPONSE_COUNTS_ADD, responses)
    }

    /// The same upserts on a plain SQLite connection (the group writer's), one cached
    /// single-row statement each: no SQL to build or parse per group.
    pub fn apply_sqlite(&self, conn: &rusqlite::Connection) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(&format!(
            "{RATING_COUNTS} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) {RATING_COUNTS_ADD}"
        ))?;
        for ((s, w, t, d, k, slot), n) in &self.ratings {
            stmt.execute(rusqlite::params![s, w, t, d, k.as_str(), slot, n])?;
        }
        let mut stmt = conn.prepare_cached(&format!(
            "{PAIR_SUMS} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) {PAIR_SUMS_ADD}"
        ))?;
        for ((s, w, t, d), (n, sd, sd2)) in &self.pairs {
            stmt.execute(rusqlite::params![s, w, t, d, n, sd, sd2])?;
        }
        let mut stmt = conn.prepare_cached(&format!(
            "{RESPONSE_COUNTS} VALUES (?1, ?2, ?3, ?4, ?5, ?6) {RESPONSE_COUNTS_ADD}"
        ))?;
        for ((s, w, t, a, nps), n) in self.response_counts() {
            stmt.execute(rusqlite::params![s, w, t, a.as_str(), nps, n])?;
        }
        Ok(())
    }

    /// Response counts per (survey, wave, team, audience, NPS answer or `NO_NPS`).
    fn response_counts(
        &self,
    ) -> impl Iterator<Item = (&(SurveyId, WaveId, TeamId, Audience, i32), &i64)> {
        self.responses.iter()
    }
}

/// Writes rows (each a formatted `(…)` tuple) with the multi-row upsert `head VALUES … add`,
/// 500 rows a statement.
fn upsert(
    conn: &mut AnyConnection,
    head: &str,
    add: &str,
    rows: impl Iterator<Item = String>,
) -> QueryResult<()> {
    const CHUNK: usize = 500;
    let rows: Vec<String> = rows.collect();
    for part in rows.chunks(CHUNK) {
        diesel::sql_query(format!("{head} VALUES {} {add}", part.join(","))).execute(conn)?;
    }
    Ok(())
}

const RATING_COUNTS: &str =
    "INSERT INTO rating_counts (survey_id, wave_id, team_id, dimension_id, kind, slot, n)";
const RATING_COUNTS_ADD: &str = "ON CONFLICT (wave_id, team_id, dimension_id, kind, slot) \
     DO UPDATE SET n = rating_counts.n + excluded.n";
const PAIR_SUMS: &str =
    "INSERT INTO pair_sums (survey_id, wave_id, team_id, dimension_id, n, sum_d, sum_d2)";
const PAIR_SUMS_ADD: &str = "ON CONFLICT (wave_id, team_id, dimension_id) DO UPDATE SET \
     n = pair_sums.n + excluded.n, sum_d = pair_sums.sum_d + excluded.sum_d, \
     sum_d2 = pair_sums.sum_d2 + excluded.sum_d2";
const RESPONSE_COUNTS: &str =
    "INSERT INTO response_counts (survey_id, wave_id, team_id, audience, nps, n)";
const RESPONSE_COUNTS_ADD: &str = "ON CONFLICT (wave_id, team_id, audience, nps) \
     DO UPDATE SET n = response_counts.n + excluded.n";

/// Narrows a boxed query over `$table` (one with `wave_id` and `team_id`) to the scope's wave
/// and team where the scope names them: [`scope_sql`] for the query builder. The survey the
/// query filters itself.
macro_rules! narrow_to_scope {
    ($query:expr, $table:ident, $scope:expr) => {{
        let (mut q, scope): (_, crate::domain::Scope) = ($query, $scope);
        if let Some(w) = scope.wave {
            q = q.filter($table::wave_id.eq(w));
        }
        if let Some(t) = scope.team {
            q = q.filter($table::team_id.eq(t));
        }
        q
    }};
}
pub(crate) use narrow_to_scope;

/// The WHERE clause of a scope. The ids are typed integers, so formatting them is safe.
pub(crate) fn scope_sql(scope: Scope) -> String {
    let mut sql = format!(" WHERE survey_id = {}", scope.survey);
    if let Some(w) = scope.wave {
        sql.push_str(&format!(" AND wave_id = {w}"));
    }
    if let Some(t) = scope.team {
        sql.push_str(&format!(" AND team_id = {t}"));
    }
    sql
}

/// The (team, wave) cell a row of a summary belongs to.
#[derive(QueryableByName, Debug, Clone, Copy)]
pub struct CellRow {
    #[diesel(sql_type = BigInt)]
    pub team_id: TeamId,
    #[diesel(sql_type = BigInt)]
    pub wave_id: WaveId,
}

impl CellRow {
    pub fn cell(self) -> Cell {
        Cell {
            team: self.team_id,
            wave: self.wave_id,
        }
    }
}

/// The summaries are kept per cell: (wave, team) × what was counted. Reports read them per
/// cell, so the anonymity rules (`app::disclosure`) decide which cells a figure may use.
#[derive(QueryableByName, Debug, Clone)]
pub struct SlotCount {
    #[diesel(embed)]
    pub cell: CellRow,
    #[diesel(sql_type = BigInt)]
    pub dimension_id: DimensionId,
    #[diesel(sql_type = Text)]
    pub kind: RatingKind,
    /// `value - scale_min`, or `DONT_KNOW_SLOT`.
    #[diesel(sql_type = Integer)]
    pub slot: i32,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// n, Σd, Σd² of d = perceived − expected in one (wave, team, dimension).
#[derive(QueryableByName, Debug, Clone)]
pub struct PairRow {
    #[diesel(embed)]
    pub cell: CellRow,
    #[diesel(sql_type = BigInt)]
    pub dimension_id: DimensionId,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
    #[diesel(sql_type = BigInt)]
    pub sum_d: i64,
    #[diesel(sql_type = BigInt)]
    pub sum_d2: i64,
}

/// Responses of one (wave, team, audience) with one NPS answer (`NO_NPS`: none).
#[derive(QueryableByName, Debug, Clone)]
pub struct ResponseRow {
    #[diesel(embed)]
    pub cell: CellRow,
    #[diesel(sql_type = Text)]
    pub audience: Audience,
    #[diesel(sql_type = Integer)]
    pub nps: i32,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
}

/// Rating counts per cell and slot in scope.
pub fn slot_counts(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<SlotCount>> {
    diesel::sql_query(format!(
        "SELECT team_id, wave_id, dimension_id, kind, slot, n FROM rating_counts{} \
         ORDER BY wave_id, team_id, dimension_id, kind, slot",
        scope_sql(scope)
    ))
    .load(conn)
}

/// Paired sums per cell in scope.
pub fn pair_sums(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<PairRow>> {
    diesel::sql_query(format!(
        "SELECT team_id, wave_id, dimension_id, n, sum_d, sum_d2 FROM pair_sums{} \
         ORDER BY wave_id, team_id, dimension_id",
        scope_sql(scope)
    ))
    .load(conn)
}

/// Response counts per cell, audience and NPS answer in scope.
pub fn response_counts(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<ResponseRow>> {
    diesel::sql_query(format!(
        "SELECT team_id, wave_id, audience, nps, n FROM response_counts{} \
         ORDER BY wave_id, team_id, audience, nps",
        scope_sql(scope)
    ))
    .load(conn)
}

#[derive(QueryableByName, Debug)]
struct WaveRow {
    #[diesel(sql_type = BigInt)]
    wave_id: WaveId,
}

/// The waves of a survey that have at least one response (from the summaries: no scan of the
/// responses).
pub fn waves_with_responses(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
) -> QueryResult<Vec<WaveId>> {
    let rows: Vec<WaveRow> = diesel::sql_query(format!(
        "SELECT DISTINCT wave_id FROM response_counts WHERE survey_id = {survey_id} AND n > 0"
    ))
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.wave_id).collect())
}
