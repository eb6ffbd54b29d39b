//! The engine's input of one scope: the cells from the store, what the anonymity rules let the
//! reader see of them, and the answers of exactly those cells for the per-respondent figures.

use super::super::disclosure::{self, Cells, Disclosed, Reader};
use super::answers::{self, PerRespondent};
use crate::domain::{Audience, CategoryKind, Cell, DimensionId, RatingKind, Scope, TeamId, WaveId};
use crate::engine::{
    self, Category, DimensionInput, Histogram, Moments, ReportInput, Respondents, StratumDimension,
    StratumInput,
};
use crate::i18n::Lang;
use crate::store::surveys::{Dimension, Survey};
use crate::store::{self, AnyConnection};

/// Builds the engine's input from what a scope discloses to its reader. `per_respondent`:
/// the scope's answers for the per-respondent figures (knowledge, derived importance); empty
/// when the survey asks nothing they need.
fn assemble(
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
    disclosed: Disclosed,
    per_respondent: &PerRespondent,
) -> ReportInput {
    let points = survey.scale().points();
    let histogram = |dim: DimensionId, kind: RatingKind| {
        disclosed
            .ratings
            .get(&(dim, kind))
            .cloned()
            .unwrap_or_else(|| Histogram::empty(points))
    };
    let inputs: Vec<DimensionInput> = dims
        .iter()
        .zip(&per_respondent.nps_perceived)
        .map(|(d, nps_perceived)| {
            let pairs = disclosed.pairs.get(&d.id).cloned().unwrap_or_default();
            DimensionInput {
                key: d.key.clone(),
                label: d.label_in(lang == Lang::En).to_string(),
                category: match d.category {
                    CategoryKind::Functional => Category::Functional,
                    CategoryKind::Emotional => Category::Emotional,
                },
                position: d.position,
                employee: histogram(d.id, RatingKind::SelfRating),
                predicted: survey
                    .ask_predicted
                    .then(|| histogram(d.id, RatingKind::Predicted)),
                customer: histogram(d.id, RatingKind::Perceived),
                expected: survey
                    .ask_expected
                    .then(|| histogram(d.id, RatingKind::Expected)),
                paired: pairs.moments,
                paired_withheld: pairs.withheld,
                perceived_only: if survey.ask_expected {
                    pairs.perceived_only
                } else {
                    0
                },
                expected_only: if survey.ask_expected {
                    pairs.expected_only
                } else {
                    0
                },
                importance: survey
                    .ask_importance
                    .then(|| histogram(d.id, RatingKind::Importance)),
                nps_perceived: engine::NpsPerceived {
                    withheld: disclosed
                        .ratings
                        .get(&(d.id, RatingKind::Perceived))
                        .and_then(|h| h.withheld),
                    ..*nps_perceived
                },
            }
        })
        .collect();
    let strata = disclosed
        .strata
        .iter()
        .map(|(team, hists)| StratumInput {
            team_id: *team,
            dimensions: dims
                .iter()
                .map(|d| {
                    let get = |kind| {
                        hists
                            .get(&(d.id, kind))
                            .cloned()
                            .unwrap_or_else(|| Histogram::empty(points))
                    };
                    StratumDimension {
                        key: d.key.clone(),
                        employee: get(RatingKind::SelfRating),
                        customer: get(RatingKind::Perceived),
                    }
                })
                .collect(),
        })
        .collect();
    ReportInput {
        survey_id: survey.id,
        wave_id: scope.wave,
        team_id: scope.team,
        scale_min: survey.scale_min,
        scale_max: survey.scale_max,
        min_group_size: min_group_size(survey),
        alpha: survey.alpha,
        materiality: survey.materiality,
        published: disclosed.published,
        excluded_cells: disclosed.excluded_cells,
        respondents: Respondents {
            employee: disclosed.employees,
            customer: disclosed.customers,
        },
        nps_counts: disclosed.nps.value,
        nps_withheld: disclosed.nps.withheld,
        dimensions: inputs,
        strata,
        strata_withheld: disclosed.strata_withheld,
        knowledge: per_respondent.knowledge.clone(),
        knowledge_memo: Some(per_respondent.memo.clone()),
    }
}

pub(super) fn min_group_size(survey: &Survey) -> u64 {
    survey.min_group_size.max(1) as u64
}

/// The cells of a scope from the summary tables (three small queries).
pub(crate) fn cells(
    conn: &mut AnyConnection,
    survey: &Survey,
    scope: Scope,
) -> diesel::QueryResult<Cells> {
    cells_from(conn, survey, scope, Source::Summaries)
}

/// A cell's count of one answer (None: "don't know") to one question.
type RatingCount = (Cell, DimensionId, RatingKind, Option<i32>, i64);
/// A cell's responses of one audience with one NPS answer (None: none).
type ResponseCount = (TeamId, WaveId, Audience, Option<i32>, i64);

/// The cells of a scope from the summary tables, or the same cells by a full recount over
/// the rating and response rows (GROUP BY on the database). The summaries must always equal
/// the recount; the test-suite checks that they do.
fn cells_from(
    conn: &mut AnyConnection,
    survey: &Survey,
    scope: Scope,
    source: Source,
) -> diesel::QueryResult<Cells> {
    use store::summaries::{self, DONT_KNOW_SLOT, NO_NPS};
    let (ratings, pairs, commented, responses): (Vec<RatingCount>, _, _, Vec<ResponseCount>) =
        match source {
            Source::Summaries => (
                summaries::slot_counts(conn, scope)?
                    .into_iter()
                    .map(|c| {
                        let value = (c.slot != DONT_KNOW_SLOT).then(|| c.slot + survey.scale_min);
                        (c.cell.cell(), c.dimension_id, c.kind, value, c.n)
                    })
                    .collect(),
                summaries::pair_sums(conn, scope)?,
                store::responses::commented_cells(conn, scope)?,
                summaries::response_counts(conn, scope)?
                    .into_iter()
                    .map(|r| {
                        let nps = (r.nps != NO_NPS).then_some(r.nps);
                        (r.cell.team_id, r.cell.wave_id, r.audience, nps, r.n)
                    })
                    .collect(),
            ),
            Source::Recount => (
                store::recount::rating_counts(conn, scope)?
                    .into_iter()
                    .map(|(team, wave, dim, kind, value, n)| {
                        (Cell { team, wave }, dim, kind, value, n)
                    })
                    .collect(),
                store::recount::paired_sums(conn, scope)?,
                store::responses::commented_cells_scan(conn, scope)?,
                store::recount::response_rows(conn, scope)?,
            ),
        };
    let points = survey.scale().points();
    let mut cells = Cells::default();
    for (cell, dim, kind, value, n) in ratings {
        let h = cells
            .ratings
            .entry((cell, dim, kind))
            .or_insert_with(|| Histogram::empty(points));
        match value {
            None => h.dont_know += n as u64,
            Some(v) => h.add(v, survey.scale_min, n as u64),
        }
    }
    for p in pairs {
        cells.pairs.insert(
            (p.cell.cell(), p.dimension_id),
            Moments {
                n: p.n as u64,
                sum: i128::from(p.sum_d),
                sum_sq: i128::from(p.sum_d2),
            },
        );
    }
    for (team, wave) in commented {
        cells.commented.insert(Cell { team, wave });
    }
    for (team, wave, audience, nps, n) in responses {
        disclosure::add_response(&mut cells, Cell { team, wave }, audience, nps, n as u64);
    }
    Ok(cells)
}

/// Where a report's cells come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The summary tables (every report).
    Summaries,
    /// A full recount over the raw rows (the proof that the summaries are right).
    Recount,
}

/// The engine's input for one scope as `reader` may see it.
#[allow(clippy::too_many_arguments)]
pub fn report_input(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
    reader: &Reader,
    source: Source,
) -> diesel::QueryResult<ReportInput> {
    let (disclosed, responses) =
        with_rules(conn, survey, scope, reader, source, |cells, rules| {
            let responses: u64 = cells
                .responses
                .values()
                .map(|r| r.employees + r.customers)
                .sum();
            (
                disclosure::disclose(cells, rules, survey.scale().points()),
                responses,
            )
        })?;
    // The per-respondent figures need the answers themselves: the knowledge score (when the
    // survey asks predictions) and the derived importance (when it asks NPS, not importance).
    let needs_answers = !disclosed.counts_only
        && (survey.ask_predicted || (survey.ask_nps && !survey.ask_importance));
    let per_respondent = if needs_answers {
        answers::per_respondent(conn, survey, dims, scope, &disclosed.summed, responses)?
    } else {
        std::sync::Arc::new(PerRespondent::none(dims.len()))
    };
    Ok(assemble(
        survey,
        dims,
        scope,
        lang,
        disclosed,
        &per_respondent,
    ))
}

/// Loads a scope's cells and the survey's waves once, and hands them with the reader's
/// anonymity rules to `f` (reports, notes and comments all apply the same rules).
pub(super) fn with_rules<T>(
    conn: &mut AnyConnection,
    survey: &Survey,
    scope: Scope,
    reader: &Reader,
    source: Source,
    f: impl FnOnce(&Cells, &disclosure::Rules) -> T,
) -> diesel::QueryResult<T> {
    let cells = cells_from(conn, survey, scope, source)?;
    let waves = store::surveys::waves_of(conn, survey.id)?;
    let rules = disclosure::Rules {
        reader,
        scope,
        waves: &waves,
        now: store::now(),
        min_group_size: min_group_size(survey),
    };
    Ok(f(&cells, &rules))
}
