//! Exports for spreadsheets: the CSV export as Dutch Excel opens it; the report workbook
//! (`report.xlsx`, SPEC "Exports for the workshop"): the comparison of each scope, for any
//! reader; and the researchers' workbook (`export.xlsx`), the same sheets and the responses.
//! This module gathers: figures come only from `reports::comparison` with the reader's
//! `Principal`, so the anonymity and publication rules hold as in every other output; the
//! workbooks are laid out by `crate::workbook`.

use crate::domain::{Scope, SurveyId, TeamId, WaveId};
use crate::error::AppError;
use crate::i18n::pack::pack_text;
use crate::i18n::Lang;
use crate::store::{self, AnyConnection};
use crate::workbook::{self, WorkbookError};

use super::accounts::Principal;
use super::reports;
use super::{check_wave, survey_or_404, WaveRef};

/// Which workbook: a survey's wave (the default wave when none is named), one team or the
/// whole organisation with every team the reader may see.
#[derive(Debug, Clone, Copy)]
pub struct WorkbookRequest {
    pub survey_id: SurveyId,
    pub wave_id: Option<WaveId>,
    pub team_id: Option<TeamId>,
    pub lang: Lang,
}

fn written(e: WorkbookError) -> AppError {
    AppError::internal(anyhow::anyhow!("{e}"))
}

/// The CSV export of a survey (optionally one wave) for Dutch Excel: a byte-order mark, `;`
/// between cells.
#[tracing::instrument(skip(conn))]
pub fn export_excel_csv(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> Result<Vec<u8>, AppError> {
    workbook::excel_csv(&super::csv::export_csv(conn, survey_id, wave_id)?).map_err(written)
}

/// The report workbook and the wave it shows. The requested scope is the first sheet; for
/// the organisation, every team the reader may see that answered follows; an "about" sheet
/// ends it.
#[tracing::instrument(skip(conn, who))]
pub fn report_workbook(
    conn: &mut AnyConnection,
    who: &Principal,
    req: WorkbookRequest,
) -> Result<(Option<WaveId>, Vec<u8>), AppError> {
    let t = pack_text(req.lang);
    who.check_team(req.team_id)?;
    let wave_id = match req.wave_id {
        Some(w) => Some(w),
        None => reports::default_wave(conn, who, req.survey_id)?,
    };
    let first = reports::comparison(
        conn,
        who,
        Scope::new(req.survey_id, wave_id, req.team_id),
        req.lang,
    )?;
    let visible = who.visible_teams();
    let teams = store::teams::list(conn, visible.as_deref())?;
    let team_name = |id: TeamId| {
        teams
            .iter()
            .find(|tm| tm.id == id)
            .map(|tm| tm.name.clone())
            .unwrap_or_else(|| format!("{} {id}", t.team))
    };
    let mut scopes = vec![workbook::Scope {
        name: match req.team_id {
            Some(id) => team_name(id),
            None => t.whole_organisation.to_string(),
        },
        comparison: first,
    }];
    if req.team_id.is_none() {
        for tm in &teams {
            let scope = Scope::new(req.survey_id, wave_id, Some(tm.id));
            let c = reports::comparison(conn, who, scope, req.lang)?;
            if c.respondents.employee + c.respondents.customer > 0 {
                scopes.push(workbook::Scope {
                    name: tm.name.clone(),
                    comparison: c,
                });
            }
        }
    }
    let actions = action_rows(conn, who, &req, &scopes[0].comparison)?;
    let bytes = workbook::report(req.lang, &scopes, &actions).map_err(written)?;
    Ok((wave_id, bytes))
}

/// The scope's actions with their effect, in the reader's words.
fn action_rows(
    conn: &mut AnyConnection,
    who: &Principal,
    req: &WorkbookRequest,
    c: &crate::engine::Comparison,
) -> Result<Vec<workbook::ActionRow>, AppError> {
    let actions = super::actions::of_scope(conn, who, req.survey_id, req.team_id)?;
    let effects = super::effects::effects(conn, who, req.survey_id, &actions)?;
    let waves = store::surveys::waves_of(conn, req.survey_id)?;
    let words = crate::i18n::pages::app_text(req.lang);
    Ok(actions
        .iter()
        .zip(effects)
        .map(|(a, e)| workbook::ActionRow {
            dimension: c
                .dimensions
                .iter()
                .find(|d| d.key == a.dimension_key)
                .map(|d| d.label.clone())
                .unwrap_or_else(|| a.dimension_key.clone()),
            decision: words.decision(a.decision.as_str()).to_string(),
            status: words.status(a.status.as_str()).to_string(),
            description: a.description.clone(),
            owner: a.owner.clone().unwrap_or_default(),
            due_date: a
                .due_date
                .map(|d| d.format("%d-%m-%Y").to_string())
                .unwrap_or_default(),
            wave: waves
                .iter()
                .find(|w| w.id == a.wave_id)
                .map(|w| w.name.clone())
                .unwrap_or_default(),
            effect: Some(e),
        })
        .collect())
}

/// The workbook of a survey's wave (the latest one to open when none is given): the
/// comparison of the whole organisation and of each team with responses, then the responses.
/// For admins only (the responses are raw data).
#[tracing::instrument(skip(conn))]
pub fn export_xlsx(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
    lang: Lang,
) -> Result<Vec<u8>, AppError> {
    survey_or_404(conn, survey_id)?;
    let wave_id = match wave_id {
        Some(w) => {
            check_wave(conn, survey_id, w, WaveRef::Filter)?;
            Some(w)
        }
        None => super::reports::default_wave(conn, who, survey_id)?,
    };
    let mut teams_with_responses: Vec<TeamId> = store::responses::counts_by_scope(conn, survey_id)?
        .into_iter()
        .filter(|(w, _, _, n)| Some(*w) == wave_id && *n > 0)
        .map(|(_, t, _, _)| t)
        .collect();
    teams_with_responses.sort_unstable();
    teams_with_responses.dedup();
    let teams = store::teams::list(conn, None)?;
    let mut scopes = vec![(pack_text(lang).sheet_organisation.to_string(), None)];
    scopes.extend(
        teams
            .iter()
            .filter(|t| teams_with_responses.contains(&t.id))
            .map(|t| (t.name.clone(), Some(t.id))),
    );
    let mut comparisons = Vec::new();
    for (name, team) in scopes {
        let c = super::reports::comparison(conn, who, Scope::new(survey_id, wave_id, team), lang)?;
        comparisons.push(workbook::Scope {
            name,
            comparison: c,
        });
    }
    let csv_bytes = super::csv::export_csv(conn, survey_id, wave_id)?;
    workbook::export(lang, &comparisons, &csv_bytes).map_err(written)
}
