//! What each action did (SPEC revision 3, "What the actions did"): the engine decides
//! (`engine::action_effect`); this use case gathers, per action, the gap of its dimension in
//! every wave of the survey as the reader's report of the action's scope (its team, or the
//! organisation) shows it — the same trend every other output reads, so every anonymity rule
//! holds (a withheld gap gives `withheld`, never a figure).

use std::collections::BTreeMap;

use super::accounts::Principal;
use super::disclosure;
use crate::domain::{SurveyId, TeamId};
use crate::engine::{self, ActionEffect, EffectWave, GapState, Trend};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::actions::Action;
use crate::store::{self, AnyConnection};

/// The effect of each action, in the order given (the reader may see each action's scope).
#[tracing::instrument(skip_all)]
pub fn effects(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    actions: &[Action],
) -> Result<Vec<ActionEffect>, AppError> {
    let survey = super::survey_or_404(conn, survey_id)?;
    let waves = store::surveys::waves_of(conn, survey_id)?;
    let now = store::now();
    let mut trends: BTreeMap<Option<TeamId>, Trend> = BTreeMap::new();
    let mut out = Vec::with_capacity(actions.len());
    for a in actions {
        let trend = match trends.entry(a.team_id) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(super::reports::trend(
                conn,
                who,
                survey_id,
                a.team_id,
                Lang::Nl,
            )?),
        };
        let per_wave: Vec<EffectWave<'_>> = waves
            .iter()
            .map(|w| EffectWave {
                wave: w.id,
                opens_at: w.opens_at.and_utc(),
                closed: disclosure::is_closed(w, now),
                gap: trend.waves.iter().find(|tw| tw.wave_id == w.id).map_or(
                    GapState::Absent,
                    |tw| {
                        GapState::of_point(tw.dimensions.iter().find(|p| p.key == a.dimension_key))
                    },
                ),
            })
            .collect();
        out.push(engine::action_effect(
            a.wave_id,
            &per_wave,
            survey.scale_min,
            survey.alpha,
        ));
    }
    Ok(out)
}
