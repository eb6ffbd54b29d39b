//! Reports: the comparison of one scope and the trend across waves. The store returns counts
//! and sums (from the summary tables); this module turns them into the engine's input, with
//! dimension labels in the reader's language, and runs the engine.

mod answers;
mod input;

pub use answers::forget_kept_answers;
pub(crate) use input::cells;
use input::with_rules;
pub use input::{report_input, Source};

use super::accounts::Principal;
use super::disclosure::{self, Reader};
use crate::domain::{Audience, Cell, Scope, SurveyId, TeamId, WaveId};
use crate::engine::{self, Comparison, Trend};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::surveys::{Dimension, Survey};
use crate::store::{self, AnyConnection};

use super::{check_team, check_wave, survey_or_404, TeamRef, WaveRef};

/// The comparison report of a scope as `who` may see it (403 for a team they may not see);
/// checks that wave and team exist. Every output (JSON, pages, charts, CLI) comes from here,
/// so the anonymity rules of `disclosure` hold in all of them.
#[tracing::instrument(skip(conn, who))]
pub fn comparison(
    conn: &mut AnyConnection,
    who: &Principal,
    scope: Scope,
    lang: Lang,
) -> Result<Comparison, AppError> {
    who.check_team(scope.team)?;
    let survey = survey_or_404(conn, scope.survey)?;
    if let Some(w) = scope.wave {
        check_wave(conn, scope.survey, w, WaveRef::Filter)?;
    }
    if let Some(t) = scope.team {
        check_team(conn, t, TeamRef::Filter)?;
    }
    let dims = store::surveys::dimensions_of(conn, scope.survey)?;
    let reader = super::rights::reader(conn, who, scope.survey)?;
    compare(conn, &survey, &dims, scope, lang, &reader)
}

/// The trend report: per wave the gap block, and the change between consecutive waves. A team
/// lead's trend holds only closed waves (their results are published).
#[tracing::instrument(skip(conn, who))]
pub fn trend(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    team_id: Option<TeamId>,
    lang: Lang,
) -> Result<Trend, AppError> {
    who.check_team(team_id)?;
    let reader = super::rights::reader(conn, who, survey_id)?;
    let now = store::now();
    let survey = survey_or_404(conn, survey_id)?;
    if let Some(t) = team_id {
        check_team(conn, t, TeamRef::Filter)?;
    }
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let mut reports = Vec::new();
    for w in store::surveys::waves_of(conn, survey_id)? {
        if !reader.admin && !disclosure::is_closed(&w, now) {
            continue;
        }
        let scope = Scope::new(survey_id, Some(w.id), team_id);
        let comparison = compare(conn, &survey, &dims, scope, lang, &reader)?;
        // A wave nobody in scope answered (yet) has no gap to follow.
        if comparison.respondents.employee + comparison.respondents.customer == 0 {
            continue;
        }
        reports.push(crate::engine::WaveReport {
            wave_id: w.id,
            name: w.name.clone(),
            opens_at: w.opens_at.and_utc(),
            comparison,
        });
    }
    let order: Vec<String> = dims.iter().map(|d| d.key.clone()).collect();
    Ok(crate::engine::trend(survey_id, team_id, &order, reports))
}

/// The comparison report for one scope of a survey already loaded.
fn compare(
    conn: &mut AnyConnection,
    survey: &Survey,
    dims: &[Dimension],
    scope: Scope,
    lang: Lang,
    reader: &Reader,
) -> Result<Comparison, AppError> {
    Ok(engine::compare(&report_input(
        conn,
        survey,
        dims,
        scope,
        lang,
        reader,
        Source::Summaries,
    )?))
}

/// The wave a report shows when none is named (the web report, the workshop and the CLI
/// agree on it): the latest wave, by opening date, that has responses and whose results the
/// reader may see (closed waves for team leads); else the latest wave.
#[tracing::instrument(skip(conn, who))]
pub fn default_wave(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
) -> Result<Option<WaveId>, AppError> {
    let waves = store::surveys::waves_of(conn, survey_id)?;
    let answered = store::summaries::waves_with_responses(conn, survey_id)?;
    let now = store::now();
    let visible = |w: &&store::surveys::Wave| who.is_admin() || disclosure::is_closed(w, now);
    Ok(waves
        .iter()
        .rev()
        .find(|w| answered.contains(&w.id) && visible(w))
        .or(waves.last())
        .map(|w| w.id))
}

/// Everything the report and workshop pages show for one scope.
pub struct Overview {
    pub survey: Survey,
    pub waves: Vec<store::surveys::Wave>,
    /// The teams the reader may see.
    pub teams: Vec<store::teams::Team>,
    /// The wave shown (the named one, else the latest).
    pub wave_id: Option<WaveId>,
    pub comparison: Comparison,
    pub trend: Trend,
    /// Actions of the scope and organisation-wide ones, oldest first.
    pub actions: Vec<store::actions::Action>,
    /// What each action did (`app::effects`), in the order of `actions`.
    pub effects: Vec<crate::engine::ActionEffect>,
    /// Customer comments the reader may see (`disclosure::comment_cells`), in an order that
    /// does not follow time.
    pub comments: Vec<String>,
    /// What the anonymity rules left out of this scope, to say in words.
    pub notes: Notes,
}

/// What the anonymity and publication rules did to a scope, for the pages to say in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    /// Teams (names) whose small groups the figures leave out.
    pub left_out_teams: Vec<String>,
    /// An admin's interim results of an open wave.
    pub interim: bool,
    /// A team lead sees counts only (open wave).
    pub counts_only: bool,
    /// Some organisation figure shows its count only (two-teams rule).
    pub withheld: bool,
}

/// The notes of a scope as `who` sees it.
fn notes(
    conn: &mut AnyConnection,
    who: &Principal,
    survey: &Survey,
    scope: Scope,
) -> Result<Notes, AppError> {
    let reader = super::rights::reader(conn, who, survey.id)?;
    let d = with_rules(
        conn,
        survey,
        scope,
        &reader,
        Source::Summaries,
        |cells, rules| disclosure::disclose(cells, rules, survey.scale().points()),
    )?;
    let names = store::teams::list(conn, None)?;
    Ok(Notes {
        left_out_teams: names
            .into_iter()
            .filter(|t| d.left_out_teams.contains(&t.id))
            .map(|t| t.name)
            .collect(),
        interim: !d.published && reader.admin,
        counts_only: d.counts_only,
        withheld: d.withheld,
    })
}

/// The report of a scope with its trend, actions and comments, for a reader who may see it.
#[tracing::instrument(skip(conn, who))]
pub fn overview(
    conn: &mut AnyConnection,
    who: &super::accounts::Principal,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
    team_id: Option<TeamId>,
    lang: Lang,
) -> Result<Overview, AppError> {
    who.check_team(team_id)?;
    let survey = survey_or_404(conn, survey_id)?;
    let waves = store::surveys::waves_of(conn, survey_id)?;
    let wave_id = match wave_id {
        Some(w) => Some(w),
        None => default_wave(conn, who, survey_id)?,
    };
    let visible = who.visible_teams();
    let teams = store::teams::list(conn, visible.as_deref())?;
    let scope = Scope::new(survey_id, wave_id, team_id);
    let comparison = comparison(conn, who, scope, lang)?;
    let trend = trend(conn, who, survey_id, team_id, lang)?;
    let actions = super::actions::of_scope(conn, who, survey_id, team_id)?;
    let effects = super::effects::effects(conn, who, survey_id, &actions)?;
    let comments = comments(conn, who, &survey, scope)?;
    let notes = notes(conn, who, &survey, scope)?;
    Ok(Overview {
        survey,
        waves,
        teams,
        wave_id,
        comparison,
        trend,
        actions,
        effects,
        comments,
        notes,
    })
}

/// Customers a (team, wave) needs before its comments are listed (SPEC
/// `comment_min_group_size`, default 10).
pub const COMMENT_MIN_GROUP_SIZE: u64 = 10;

/// The customer comments of a scope that `who` may read: only from (team, wave) cells with
/// enough customers, published waves for team leads, at least two outside teams in an
/// organisation list; in an order that does not follow submission time; at most 50.
#[tracing::instrument(skip(conn, who, survey))]
pub fn comments(
    conn: &mut AnyConnection,
    who: &Principal,
    survey: &Survey,
    scope: Scope,
) -> Result<Vec<String>, AppError> {
    let reader = super::rights::reader(conn, who, survey.id)?;
    // The survey's own setting (migration 000006; 10 unless the researcher changed it).
    let comment_min =
        u64::try_from(survey.comment_min_group_size).unwrap_or(COMMENT_MIN_GROUP_SIZE);
    let allowed = with_rules(
        conn,
        survey,
        scope,
        &reader,
        Source::Summaries,
        |cells, rules| disclosure::comment_cells(cells, rules, comment_min),
    )?;
    let listed: Vec<String> = store::responses::comments_by_cell(conn, scope)?
        .into_iter()
        .filter(|(team, wave, _)| {
            allowed.contains(&Cell {
                team: *team,
                wave: *wave,
            })
        })
        .map(|(_, _, c)| c)
        .collect();
    let mut listed = disclosure::unordered(listed);
    listed.truncate(50);
    Ok(listed)
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

/// A wave, a team (None: the organisation) and an audience.
type ScopeKey = (WaveId, Option<TeamId>, Audience);

/// Waves per survey on one page of the dashboard's overview, newest first.
pub const WAVES_PER_PAGE: usize = 5;
/// Teams per wave in the overview (the organisation row comes first, always).
pub const TEAMS_IN_OVERVIEW: usize = 10;
/// Teams per page when the dashboard shows one wave.
pub const TEAMS_PER_PAGE: usize = 100;

/// Which part of the dashboard to count (issue 28.5: the page stays small at 300 teams × 150
/// waves): the overview, page `page` of every survey's waves; or one wave, page `page` of
/// its teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountsView {
    pub wave: Option<WaveId>,
    /// From 1.
    pub page: usize,
}

/// One survey's part of the dashboard: its rows, and how many waves and teams there are in all.
pub struct SurveyCounts {
    pub survey: Survey,
    /// Per wave shown (newest first), the organisation, then each team shown.
    pub rows: Vec<ScopeCounts>,
    pub waves_total: usize,
    /// Visible teams in all.
    pub teams_total: usize,
}

/// Per survey, per wave, per scope (organisation, then the visible teams of the view): the
/// counts. Work and size follow the view, not waves × teams.
#[tracing::instrument(skip(conn, who))]
pub fn response_counts(
    conn: &mut AnyConnection,
    who: &super::accounts::Principal,
    view: CountsView,
) -> Result<Vec<SurveyCounts>, AppError> {
    use std::collections::HashMap;
    let visible = who.visible_teams();
    let teams = store::teams::list(conn, visible.as_deref())?;
    let page = view.page.max(1);
    let shown_teams: &[store::teams::Team] = match view.wave {
        None => &teams[..teams.len().min(TEAMS_IN_OVERVIEW)],
        Some(_) => {
            let from = ((page - 1) * TEAMS_PER_PAGE).min(teams.len());
            &teams[from..(from + TEAMS_PER_PAGE).min(teams.len())]
        }
    };
    let mut out = Vec::new();
    for s in store::surveys::list(conn)? {
        let mut waves = store::surveys::waves_of(conn, s.id)?;
        waves.reverse();
        let waves_total = waves.len();
        let waves: Vec<_> = match view.wave {
            Some(id) => waves.into_iter().filter(|w| w.id == id).collect(),
            None => waves
                .into_iter()
                .skip((page - 1) * WAVES_PER_PAGE)
                .take(WAVES_PER_PAGE)
                .collect(),
        };
        if view.wave.is_some() && waves.is_empty() {
            continue;
        }
        // (wave, team or None for the organisation, audience) → (responses, invited, used).
        let mut sums: HashMap<ScopeKey, (i64, i64, i64)> = HashMap::new();
        let mut add = |w: WaveId, t: TeamId, a: Audience, v: (i64, i64, i64)| {
            // The organisation counts every team, seen or not (as before).
            for key in [(w, None, a), (w, Some(t), a)] {
                let e = sums.entry(key).or_insert((0, 0, 0));
                e.0 += v.0;
                e.1 += v.1;
                e.2 += v.2;
            }
        };
        // Only the waves of this page are counted.
        let ids: Vec<WaveId> = waves.iter().map(|w| w.id).collect();
        for (w, t, a, n) in store::responses::counts_by_scope_of_waves(conn, s.id, &ids)? {
            add(w, t, a, (n, 0, 0));
        }
        for w in &ids {
            for u in store::invitations::use_counts(conn, s.id, Some(*w))? {
                add(u.wave_id, u.team_id, u.audience, (0, u.invited, u.answered));
            }
        }
        let get = |w: WaveId, t: Option<TeamId>, a: Audience| {
            sums.get(&(w, t, a)).copied().unwrap_or((0, 0, 0))
        };
        let mut rows = Vec::new();
        for w in waves {
            let scopes = std::iter::once(None).chain(shown_teams.iter().cloned().map(Some));
            for team in scopes {
                let t = team.as_ref().map(|t| t.id);
                let (e, c) = (
                    get(w.id, t, Audience::Employee),
                    get(w.id, t, Audience::Customer),
                );
                rows.push(ScopeCounts {
                    employees: e.0,
                    employees_invited: e.1,
                    employees_answered: e.2,
                    customers: c.0,
                    customers_invited: c.1,
                    customers_answered: c.2,
                    wave: w.clone(),
                    team,
                });
            }
        }
        out.push(SurveyCounts {
            survey: s,
            rows,
            waves_total,
            teams_total: teams.len(),
        });
    }
    Ok(out)
}
