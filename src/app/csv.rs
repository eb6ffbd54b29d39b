//! CSV import and export of responses (format in docs/csv-format.md).

use std::collections::HashSet;

use crate::csvio::{self, ImportContext};
use crate::error::AppError;
use crate::store::responses::NewResponse;
use crate::store::{self, AnyConnection};

use super::{check_wave, survey_or_404, WaveRef};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Rows stored.
    pub imported: u64,
    /// Respondent ids already present in the wave: not stored again.
    pub duplicates: Vec<String>,
}

/// Imports a CSV into one wave: every row or none, in one transaction.
#[tracing::instrument(skip(conn, input, progress), fields(bytes = input.len()))]
pub fn import_csv(
    conn: &mut AnyConnection,
    survey_id: i64,
    wave_id: i64,
    input: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportOutcome, AppError> {
    let survey = survey_or_404(conn, survey_id)?;
    check_wave(conn, survey_id, wave_id, WaveRef::Field)?;
    super::check_wave_open(conn, wave_id)?;
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let teams = store::teams::list(conn, None)?;
    let ctx = ImportContext {
        survey: &survey,
        dimensions: &dims,
        teams: &teams,
    };
    let rows = csvio::parse(input, &ctx).map_err(|rows| AppError::ImportRejected {
        message: format!(
            "the import was rejected: {} problem(s); nothing was stored",
            rows.len()
        ),
        rows,
    })?;
    let total = rows.len() as u64;
    store::write_tx(conn, |conn| {
        let existing: HashSet<String> = store::responses::respondents_in_wave(conn, wave_id)?
            .into_iter()
            .collect();
        let now = store::now();
        let mut duplicates = Vec::new();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(r) = &row.respondent {
                if existing.contains(r) {
                    duplicates.push(r.clone());
                    continue;
                }
            }
            items.push((
                NewResponse {
                    survey_id,
                    wave_id,
                    team_id: row.team_id,
                    audience: row.audience,
                    submitted_at: row.submitted_at.unwrap_or(now),
                    nps: row.nps,
                    comment: row.comment,
                    respondent: row.respondent,
                },
                row.ratings,
            ));
        }
        let imported = store::responses::insert_batch(conn, &items, survey.scale_min, &mut |n| {
            progress(n, total)
        })?;
        Ok(ImportOutcome {
            imported: imported.len() as u64,
            duplicates,
        })
    })
}

/// Exports a survey's responses (optionally one wave) as CSV.
#[tracing::instrument(skip(conn))]
pub fn export_csv(
    conn: &mut AnyConnection,
    survey_id: i64,
    wave_id: Option<i64>,
) -> Result<Vec<u8>, AppError> {
    let survey = survey_or_404(conn, survey_id)?;
    if let Some(w) = wave_id {
        check_wave(conn, survey_id, w, WaveRef::Filter)?;
    }
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let teams = store::teams::list(conn, None)?;
    let (responses, ratings) = store::responses::load_for_export(conn, survey_id, wave_id)?;
    csvio::write(&survey, &dims, &teams, &responses, &ratings).map_err(AppError::internal)
}
