//! The workshop pack (SPEC "Exports for the workshop"): what a reader may see of one scope,
//! gathered from `reports::overview` (so the anonymity and publication rules of `disclosure`
//! hold) and handed to `crate::pdf::workshop`, which puts it into words and draws it. Loading
//! needs the database; drawing does not, so the API releases its connection in between.

use crate::domain::{SurveyId, TeamId, WaveId};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::pdf::workshop::{self, ActionFacts, TeamName, WaveFacts, Workshop};
use crate::store::AnyConnection;

use super::accounts::Principal;
use super::reports::{self, Overview};

/// Which pack: a survey's wave (the default wave when none is named), a team or the whole
/// organisation, a language.
#[derive(Debug, Clone, Copy)]
pub struct PackRequest {
    pub survey_id: SurveyId,
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    pub lang: Lang,
}

/// A pack's content as the reader may see it, ready to draw.
pub struct LoadedPack {
    wave_id: Option<WaveId>,
    workshop: Workshop,
}

impl LoadedPack {
    /// The wave the pack shows (the named one, else the default wave).
    pub fn wave_id(&self) -> Option<WaveId> {
        self.wave_id
    }
}

/// Checks access (403 for a team the reader may not see, as for the comparison) and loads
/// everything the pack shows.
#[tracing::instrument(skip(conn, who))]
pub fn load(
    conn: &mut AnyConnection,
    who: &Principal,
    req: PackRequest,
) -> Result<LoadedPack, AppError> {
    who.check_team(req.team_id)?;
    let overview = reports::overview(conn, who, req.survey_id, req.wave_id, req.team_id, req.lang)?;
    if overview.wave_id.is_none() {
        return Err(ErrorCode::NoWaveYet {
            survey: req.survey_id.get(),
        }
        .into());
    }
    Ok(LoadedPack {
        wave_id: overview.wave_id,
        workshop: gather(req, who.is_admin(), overview),
    })
}

/// Draws a loaded pack as PDF bytes (no database needed).
#[tracing::instrument(skip_all)]
pub fn render(loaded: &LoadedPack) -> Result<Vec<u8>, AppError> {
    workshop::render(&loaded.workshop)
        .map_err(|e| AppError::internal(anyhow::anyhow!("workshop pack: {e}")))
}

/// Loads and draws in one go (the CLI).
pub fn workshop_pack(
    conn: &mut AnyConnection,
    who: &Principal,
    req: PackRequest,
) -> Result<Vec<u8>, AppError> {
    render(&load(conn, who, req)?)
}

/// The organisation a pack names on its cover: the survey's own (its questionnaire's "who
/// asks"), else its title.
fn organisation(o: &Overview) -> String {
    o.survey
        .texts
        .organisation
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(&o.survey.title)
        .to_string()
}

/// The overview as the pack's facts: names looked up, nothing put into words.
fn gather(req: PackRequest, reader_is_admin: bool, o: Overview) -> Workshop {
    let wave_name = |id: WaveId| o.waves.iter().find(|w| w.id == id).map(|w| w.name.clone());
    let team = req.team_id.map(|id| TeamName {
        id,
        name: o.teams.iter().find(|t| t.id == id).map(|t| t.name.clone()),
    });
    let wave = o
        .waves
        .iter()
        .find(|w| Some(w.id) == o.wave_id)
        .map(|w| WaveFacts {
            name: w.name.clone(),
            opens_at: w.opens_at,
            closes_at: w.closes_at,
        });
    let actions = o
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| ActionFacts {
            dimension_key: a.dimension_key.clone(),
            decision: a.decision,
            status: a.status,
            description: a.description.clone(),
            owner: a.owner.clone(),
            due_date: a.due_date,
            wave: wave_name(a.wave_id),
            effect: o.effects.get(i).cloned(),
        })
        .collect();
    Workshop {
        lang: req.lang,
        reader_is_admin,
        organisation: organisation(&o),
        survey: o.survey.title.clone(),
        team,
        wave,
        comment_min_group_size: o.survey.comment_min_group_size,
        actions,
        comparison: o.comparison,
        trend: o.trend,
        comments: o.comments,
    }
}
