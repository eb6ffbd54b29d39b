//! Reports: the comparison of one scope and the trend across waves. The store returns counts
//! and sums (from the summary tables); this module turns them into the engine's input, with
//! dimension labels in the reader's language, and runs the engine.

use crate::domain::{Audience, CategoryKind, RatingKind, Scope};
use crate::engine::{
    self, Category, Comparison, DimensionInput, Histogram, Moments, ReportInput, Respondents, Trend,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::recount::{RatingCount, ResponseCount};
use crate::store::surveys::{Dimension, Survey};
use crate::store::{self, AnyConnection};

use super::{check_team, check_wave, survey_or_404, TeamRef, WaveRef};

/// The comparison report for a scope; checks that wave and team exist.
#[tracing::instrument(skip(conn))]
pub fn comparison(
    conn: &mut AnyConnection,
    scope: Scope,
    lang: Lang,
) -> Result<Comparison, AppError> {
    let survey = survey_or_404(conn, scope.survey.get())?;
    if let Some(w) = scope.wave {
        check_wave(conn, scope.survey.get(), w.get(), WaveRef::Filter)?;
    }
    if let Some(t) = scope.team {
        check_team(conn, t.get(), TeamRef::Filter)?;
    }
    let dims = store::surveys::dimensions_of(conn, scope.survey.get())?;
    compare(conn, &survey, &dims, scope, lang)
}

/// The trend report: per wave the gap block, and the change between consecutive waves.
#[tracing::instrument(skip(conn))]
pub fn trend(
    conn: &mut AnyConnection,
    survey_id: i64,
    team_id: Option<i64>,
    lang: Lang,
) -> Result<Trend, AppError> {
    let survey = survey_or_404(conn, survey_id)?;
    if let Some(t) = team_id {
        check_team(conn, t, TeamRef::Filter)?;
    }
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let mut reports = Vec::new();
    for w in store::surveys::waves_of(conn, survey_id)? {
        let scope = Scope::new(survey_id, Some(w.id), team_id);
        reports.push(crate::engine::WaveReport {
            wave_id: w.id,
            name: w.name.clone(),
            opens_at: w.opens_at.and_utc(),
            comparison: compare(conn, &survey, &dims, scope, lang)?,
        });
    }
    let order: Vec<String> = dims.iter().map(|d| d.key.clone()).collect();
    Ok(crate::engine::trend(survey_id, team_id, &order, reports))
}

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
            label: d.label_in(lang == Lang::En).to_string(),
            category: match d.category {
                CategoryKind::Functional => Category::Functional,
                CategoryKind::Emotional => Category::Emotional,
            },
            position: d.position,
            employee: Histogram::empty(points),
            predicted: survey.ask_predicted.then(|| Histogram::empty(points)),
            customer: Histogram::empty(points),
            expected: survey.ask_expected.then(|| Histogram::empty(points)),
            paired: Moments::default(),
        })
        .collect();
    let index_of = |id: i64| dims.iter().position(|d| d.id == id);
    for (dim_id, kind, value, count) in counts {
        let Some(i) = index_of(dim_id) else { continue };
        let d = &mut inputs[i];
        let h = match kind {
            RatingKind::SelfRating => Some(&mut d.employee),
            RatingKind::Perceived => Some(&mut d.customer),
            RatingKind::Predicted => d.predicted.as_mut(),
            RatingKind::Expected => d.expected.as_mut(),
            RatingKind::Importance => None,
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
        match audience {
            Audience::Employee => respondents.employee += n as u64,
            Audience::Customer => {
                respondents.customer += n as u64;
                if let Some(slot) = nps
                    .and_then(|v| usize::try_from(v).ok())
                    .and_then(|i| nps_counts.get_mut(i))
                {
                    *slot += n as u64;
                }
            }
        }
    }
    ReportInput {
        survey_id: survey.id,
        wave_id: scope.wave.map(|w| w.get()),
        team_id: scope.team.map(|t| t.get()),
        scale_min: survey.scale_min,
        scale_max: survey.scale_max,
        min_group_size: survey.min_group_size.max(1) as u64,
        alpha: survey.alpha,
        materiality: survey.materiality,
        respondents,
        nps_counts,
        dimensions: inputs,
    }
}

/// The engine's input for one scope, from the summary tables (three small queries).
pub fn report_input(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
) -> diesel::QueryResult<ReportInput> {
    use store::summaries::{self, DONT_KNOW_SLOT, NO_NPS};
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
) -> diesel::QueryResult<ReportInput> {
    let counts = store::recount::rating_counts(conn, scope)?;
    let pairs = store::recount::paired_sums(conn, scope)?
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
    let responses = store::recount::response_rows(conn, scope)?;
    Ok(assemble(
        survey, dims, scope, lang, counts, pairs, responses,
    ))
}

/// The comparison report for one scope of a survey already loaded.
fn compare(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
) -> Result<Comparison, AppError> {
    Ok(engine::compare(&report_input(
        conn, survey, dims, scope, lang,
    )?))
}

/// The wave a report shows when none is named: the latest by opening date (the web report,
/// the workshop and the CLI agree on it).
#[tracing::instrument(skip(conn))]
pub fn default_wave(conn: &mut AnyConnection, survey_id: i64) -> Result<Option<i64>, AppError> {
    Ok(store::surveys::waves_of(conn, survey_id)?
        .last()
        .map(|w| w.id))
}

/// Everything the report and workshop pages show for one scope.
pub struct Overview {
    pub survey: Survey,
    pub waves: Vec<store::surveys::Wave>,
    /// The teams the reader may see.
    pub teams: Vec<store::teams::Team>,
    /// The wave shown (the named one, else the latest).
    pub wave_id: Option<i64>,
    pub comparison: Comparison,
    pub trend: Trend,
    /// Actions of the scope and organisation-wide ones, oldest first.
    pub actions: Vec<store::actions::Action>,
    /// Customer comments; empty when customers are below the anonymity threshold.
    pub comments: Vec<String>,
}

/// The report of a scope with its trend, actions and comments, for a reader who may see it.
#[tracing::instrument(skip(conn, who))]
pub fn overview(
    conn: &mut AnyConnection,
    who: &super::accounts::Principal,
    survey_id: i64,
    wave_id: Option<i64>,
    team_id: Option<i64>,
    lang: Lang,
) -> Result<Overview, AppError> {
    who.check_team(team_id)?;
    let survey = survey_or_404(conn, survey_id)?;
    let waves = store::surveys::waves_of(conn, survey_id)?;
    let wave_id = wave_id.or_else(|| waves.last().map(|w| w.id));
    let visible = who.visible_teams();
    let teams = store::teams::list(conn, visible.as_deref())?;
    let scope = Scope::new(survey_id, wave_id, team_id);
    let comparison = comparison(conn, scope, lang)?;
    let trend = trend(conn, survey_id, team_id, lang)?;
    let actions = super::actions::list(conn, who, survey_id, None)?
        .into_iter()
        .filter(|a| team_id.is_none() || a.team_id == team_id || a.team_id.is_none())
        .collect();
    let comments = if comparison.respondents.customer >= comparison.min_group_size {
        store::responses::recent_comments(conn, scope, 20)?
    } else {
        Vec::new()
    };
    Ok(Overview {
        survey,
        waves,
        teams,
        wave_id,
        comparison,
        trend,
        actions,
        comments,
    })
}

/// Responses and invitations of one scope of one wave (the dashboard's rows).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeCounts {
    pub wave: store::surveys::Wave,
    /// None: the whole organisation.
    pub team: Option<store::teams::Team>,
    pub employees: i64,
    /// Personal invitations (team links are not counted: nobody knows how many saw them).
    pub employees_invited: i64,
    /// Personal invitations used: the numerator of the response rate.
    pub employees_answered: i64,
    pub customers: i64,
    pub customers_invited: i64,
    pub customers_answered: i64,
}

/// Per survey, per wave, per scope (organisation, then each visible team): the counts.
#[tracing::instrument(skip(conn, who))]
pub fn response_counts(
    conn: &mut AnyConnection,
    who: &super::accounts::Principal,
) -> Result<Vec<(Survey, Vec<ScopeCounts>)>, AppError> {
    let visible = who.visible_teams();
    let teams = store::teams::list(conn, visible.as_deref())?;
    let mut out = Vec::new();
    for s in store::surveys::list(conn)? {
        let counts = store::responses::counts_by_scope(conn, s.id)?;
        let uses = store::invitations::use_counts(conn, s.id, None)?;
        let invited: Vec<(i64, i64, Audience, i64)> = uses
            .iter()
            .map(|u| (u.wave_id, u.team_id, u.audience, u.invited))
            .collect();
        let answered: Vec<(i64, i64, Audience, i64)> = uses
            .iter()
            .map(|u| (u.wave_id, u.team_id, u.audience, u.answered))
            .collect();
        let get = |rows: &[(i64, i64, Audience, i64)], w: i64, team: Option<i64>, aud: Audience| {
            rows.iter()
                .filter(|(rw, rt, ra, _)| *rw == w && *ra == aud && team.is_none_or(|t| t == *rt))
                .map(|r| r.3)
                .sum::<i64>()
        };
        let mut rows = Vec::new();
        for w in store::surveys::waves_of(conn, s.id)? {
            let scopes = std::iter::once(None).chain(teams.iter().cloned().map(Some));
            for team in scopes {
                let t = team.as_ref().map(|t| t.id);
                rows.push(ScopeCounts {
                    employees: get(&counts, w.id, t, Audience::Employee),
                    employees_invited: get(&invited, w.id, t, Audience::Employee),
                    employees_answered: get(&answered, w.id, t, Audience::Employee),
                    customers: get(&counts, w.id, t, Audience::Customer),
                    customers_invited: get(&invited, w.id, t, Audience::Customer),
                    customers_answered: get(&answered, w.id, t, Audience::Customer),
                    wave: w.clone(),
                    team,
                });
            }
        }
        out.push((s, rows));
    }
    Ok(out)
}
