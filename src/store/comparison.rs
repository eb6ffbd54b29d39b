//! The comparison's aggregate queries: every number in a report comes from the summary tables
//! (or, for the recount that proves them, from GROUP BY over the `ratings` view), never from
//! loading rating rows into memory.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};

use super::schema::{ratings, responses};
use super::surveys::{Dimension, Survey};
use super::AnyConnection;
use crate::domain::Audience;
use crate::engine::{self, Category, DimensionInput, Histogram, Moments, ReportInput, Respondents};
use crate::i18n::Lang;

/// Which responses a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub survey_id: i64,
    pub wave_id: Option<i64>,
    pub team_id: Option<i64>,
}

#[derive(QueryableByName, Debug)]
struct PairRow {
    #[diesel(sql_type = BigInt)]
    dimension_id: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    sum_d: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    sum_d2: Option<i64>,
}

/// (dimension id, kind, value, count).
type RatingCount = (i64, String, Option<i32>, i64);

/// Counts per (dimension, kind, value) in scope.
fn rating_counts(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<RatingCount>> {
    use diesel::dsl::count_star;
    let mut q = ratings::table
        .filter(ratings::survey_id.eq(scope.survey_id))
        .group_by((ratings::dimension_id, ratings::kind, ratings::value))
        .select((
            ratings::dimension_id,
            ratings::kind,
            ratings::value,
            count_star(),
        ))
        .into_boxed();
    if let Some(w) = scope.wave_id {
        q = q.filter(ratings::wave_id.eq(w));
    }
    if let Some(t) = scope.team_id {
        q = q.filter(ratings::team_id.eq(t));
    }
    q.load(conn)
}

/// Per dimension: n, Σd, Σd² of d = perceived − expected over customers who gave both.
fn paired_sums(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<PairRow>> {
    // The ids are integers from typed values, so formatting them into the SQL is safe.
    // PostgreSQL sums BIGINT into NUMERIC: the CAST keeps the result a BIGINT on both.
    // One pass: per (response, dimension) the perceived and expected value side by side,
    // then d = perceived − expected over the pairs where both are on the scale.
    let mut filter = format!("survey_id = {}", scope.survey_id);
    if let Some(w) = scope.wave_id {
        filter.push_str(&format!(" AND wave_id = {w}"));
    }
    if let Some(t) = scope.team_id {
        filter.push_str(&format!(" AND team_id = {t}"));
    }
    let sql = format!(
        "SELECT dimension_id, COUNT(*) AS n, CAST(SUM(d) AS BIGINT) AS sum_d, \
         CAST(SUM(d * d) AS BIGINT) AS sum_d2 FROM ( \
           SELECT dimension_id, \
                  MAX(CASE WHEN kind = 'perceived' THEN value END) \
                  - MAX(CASE WHEN kind = 'expected' THEN value END) AS d \
           FROM ratings WHERE {filter} AND kind IN ('perceived', 'expected') \
           GROUP BY response_id, dimension_id \
         ) pairs WHERE d IS NOT NULL GROUP BY dimension_id"
    );
    diesel::sql_query(sql).load(conn)
}

fn response_rows(conn: &mut AnyConnection, scope: Scope) -> QueryResult<Vec<ResponseCount>> {
    use diesel::dsl::count_star;
    let mut q = responses::table
        .filter(responses::survey_id.eq(scope.survey_id))
        .group_by((responses::audience, responses::nps))
        .select((responses::audience, responses::nps, count_star()))
        .into_boxed();
    if let Some(w) = scope.wave_id {
        q = q.filter(responses::wave_id.eq(w));
    }
    if let Some(t) = scope.team_id {
        q = q.filter(responses::team_id.eq(t));
    }
    q.load(conn)
}

/// Counts by (audience, NPS answer or None).
type ResponseCount = (String, Option<i32>, i64);

/// Builds the engine's input from aggregated counts.
fn assemble(
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
    counts: Vec<RatingCount>,
    pairs: Vec<(i64, Moments)>,
    responses: Vec<ResponseCount>,
) -> ReportInput {
    let points = survey.scale().points();
    let mut inputs: Vec<DimensionInput> = dims
        .iter()
        .map(|d| DimensionInput {
            key: d.key.clone(),
            label: d.label(lang).to_string(),
            category: match d.category_kind() {
                crate::domain::CategoryKind::Functional => Category::Functional,
                crate::domain::CategoryKind::Emotional => Category::Emotional,
            },
            position: d.position,
            employee: Histogram::empty(points),
            predicted: survey.ask_predicted.then(|| Histogram::empty(points)),
            customer: Histogram::empty(points),
            expected: survey.ask_expected.then(|| Histogram::empty(points)),
            paired: Moments::default(),
            pairs_left_out: 0,
        })
        .collect();
    let index_of = |id: i64| dims.iter().position(|d| d.id == id);
    for (dim_id, kind, value, count) in counts {
        let Some(i) = index_of(dim_id) else { continue };
        let d = &mut inputs[i];
        let h = match kind.as_str() {
            "self" => Some(&mut d.employee),
            "perceived" => Some(&mut d.customer),
            "predicted" => d.predicted.as_mut(),
            "expected" => d.expected.as_mut(),
            _ => None,
        };
        if let Some(h) = h {
            match value {
                None => h.dont_know += count as u64,
                Some(v) => h.add(v, survey.scale_min, count as u64),
            }
        }
    }
    for (dim_id, m) in pairs {
        if let Some(i) = index_of(dim_id) {
            inputs[i].paired = m;
        }
    }
    let mut respondents = Respondents {
        employee: 0,
        customer: 0,
    };
    let mut nps_counts = [0u64; 11];
    for (audience, nps, n) in responses {
        match Audience::parse(&audience) {
            Some(Audience::Employee) => respondents.employee += n as u64,
            Some(Audience::Customer) => {
                respondents.customer += n as u64;
                if let Some(slot) = nps
                    .and_then(|v| usize::try_from(v).ok())
                    .and_then(|i| nps_counts.get_mut(i))
                {
                    *slot += n as u64;
                }
            }
            None => {}
        }
    }
    ReportInput {
        survey_id: survey.id,
        wave_id: scope.wave_id,
        team_id: scope.team_id,
        scale_min: survey.scale_min,
        scale_max: survey.scale_max,
        min_group_size: survey.min_group_size.max(1) as u64,
        alpha: survey.alpha,
        materiality: survey.materiality,
        published: true,
        excluded_cells: 0,
        respondents,
        nps_counts,
        dimensions: inputs,
        strata: Vec::new(),
    }
}

/// The engine's input for one scope, from the summary tables (three small queries).
pub fn report_input(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
) -> QueryResult<ReportInput> {
    use super::summaries::{self, DONT_KNOW_SLOT, NO_NPS};
    let counts = summaries::slot_counts(conn, scope)?
        .into_iter()
        .map(|c| {
            let value = (c.slot != DONT_KNOW_SLOT).then_some(c.slot + survey.scale_min);
            (c.dimension_id, c.kind, value, c.n)
        })
        .collect();
    let pairs = summaries::pair_sums(conn, scope)?
        .into_iter()
        .map(|p| {
            (
                p.dimension_id,
                Moments {
                    n: p.n as u64,
                    sum: i128::from(p.sum_d),
                    sum_sq: i128::from(p.sum_d2),
                },
            )
        })
        .collect();
    let responses = summaries::response_counts(conn, scope)?
        .into_iter()
        .map(|r| (r.audience, (r.nps != NO_NPS).then_some(r.nps), r.n))
        .collect();
    Ok(assemble(
        survey, dims, scope, lang, counts, pairs, responses,
    ))
}

/// The same input by a full recount over the rating and response rows (GROUP BY on the
/// database). The summaries must always equal this; the test-suite checks that they do.
pub fn report_input_recount(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
) -> QueryResult<ReportInput> {
    let counts = rating_counts(conn, scope)?;
    let pairs = paired_sums(conn, scope)?
        .into_iter()
        .map(|row| {
            (
                row.dimension_id,
                Moments {
                    n: row.n as u64,
                    sum: i128::from(row.sum_d.unwrap_or(0)),
                    sum_sq: i128::from(row.sum_d2.unwrap_or(0)),
                },
            )
        })
        .collect();
    let responses = response_rows(conn, scope)?;
    Ok(assemble(
        survey, dims, scope, lang, counts, pairs, responses,
    ))
}

/// The comparison report for one scope.
pub fn comparison(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
) -> QueryResult<engine::Comparison> {
    Ok(engine::compare(&report_input(
        conn, survey, dims, scope, lang,
    )?))
}
