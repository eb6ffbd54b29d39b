//! CSV import and export of responses (format in docs/csv-format.md).

use std::collections::HashSet;

use crate::csvio::{self, ExportLayout, ImportContext};
use crate::error::AppError;
use crate::store::responses::NewResponse;
use crate::store::{self, AnyConnection};

use super::{check_wave, survey_or_404, WaveRef};
use crate::domain::{ResponseId, SurveyId, WaveId};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Rows stored.
    pub imported: u64,
    /// Respondent ids already present in the wave: not stored again.
    pub duplicates: Vec<String>,
    /// The delimiter the file used: `,` or `;` (Dutch Excel).
    pub delimiter: String,
}

/// Imports a CSV into one wave: every row or none, in one transaction.
#[tracing::instrument(skip(conn, input, progress), fields(bytes = input.len()))]
pub fn import_csv(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    input: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportOutcome, AppError> {
    let checked = check_import(conn, survey_id, wave_id, input)?;
    store_import(conn, checked, progress)
}

/// A CSV read and checked against its survey, ready to be stored by [`store_import`] (so a
/// caller can store it inside its own transaction without parsing there).
pub struct CheckedImport {
    survey_id: SurveyId,
    wave_id: WaveId,
    scale_min: i32,
    rows: Vec<csvio::ParsedRow>,
    delimiter: String,
}

impl CheckedImport {
    pub fn survey_id(&self) -> SurveyId {
        self.survey_id
    }
    pub fn wave_id(&self) -> WaveId {
        self.wave_id
    }
}

/// Reads and checks an import (422 with each row's problem; nothing stored).
pub fn check_import(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    input: &[u8],
) -> Result<CheckedImport, AppError> {
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
    let parsed = csvio::parse_file(input, &ctx).map_err(|problems| AppError::ImportRejected {
        omitted: problems.omitted,
        rows: problems.listed,
    })?;
    Ok(CheckedImport {
        survey_id,
        wave_id,
        scale_min: survey.scale_min,
        rows: parsed.rows,
        delimiter: char::from(parsed.delimiter).to_string(),
    })
}

/// Stores a checked import: every row or none, in one transaction.
pub fn store_import(
    conn: &mut AnyConnection,
    checked: CheckedImport,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ImportOutcome, AppError> {
    let CheckedImport {
        survey_id,
        wave_id,
        scale_min,
        rows,
        delimiter,
    } = checked;
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
        let imported =
            store::responses::insert_batch(conn, &items, scale_min, &mut |n| progress(n, total))?;
        Ok(ImportOutcome {
            imported: imported.len() as u64,
            duplicates,
            delimiter,
        })
    })
}

/// Responses an export reads per query.
pub const EXPORT_PAGE: i64 = 2000;

/// A checked export: which responses, and how their rows are written.
pub struct ExportPlan {
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
    excel: bool,
    layout: ExportLayout,
}

/// Checks an export (the survey and wave exist) and reads what its rows need, before a byte
/// is sent: a missing survey is a 404, not a broken download.
#[tracing::instrument(skip(conn))]
pub fn plan_export(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
    excel: bool,
) -> Result<ExportPlan, AppError> {
    let survey = survey_or_404(conn, survey_id)?;
    if let Some(w) = wave_id {
        check_wave(conn, survey_id, w, WaveRef::Filter)?;
    }
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let teams = store::teams::list(conn, None)?;
    Ok(ExportPlan {
        survey_id,
        wave_id,
        excel,
        layout: ExportLayout::new(&survey, &dims, &teams),
    })
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    App(#[from] AppError),
    /// Writing failed (for a download: the client went away).
    #[error("writing the export failed: {0}")]
    Write(#[from] csv::Error),
}

/// Writes a planned export to `out`, reading `EXPORT_PAGE` responses at a time in id order;
/// returns the number of responses written.
pub fn write_export(
    conn: &mut AnyConnection,
    plan: &ExportPlan,
    out: &mut dyn std::io::Write,
) -> Result<u64, ExportError> {
    let mut w = plan.layout.start(out, plan.excel)?;
    let (mut after, mut written) = (ResponseId(0), 0u64);
    loop {
        let page =
            store::responses::export_page(conn, plan.survey_id, plan.wave_id, after, EXPORT_PAGE)
                .map_err(AppError::from)?;
        for r in &page {
            let mine = store::responses::unpack(r.id, &r.answers).map_err(AppError::from)?;
            plan.layout.write_row(&mut w, r, &mine)?;
        }
        written += page.len() as u64;
        match page.last() {
            Some(last) if page.len() as i64 == EXPORT_PAGE => after = last.id,
            _ => break,
        }
    }
    w.flush().map_err(csv::Error::from)?;
    Ok(written)
}

/// Exports a survey's responses (optionally one wave) as CSV, in memory (the CLI's export).
#[tracing::instrument(skip(conn))]
pub fn export_csv(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> Result<Vec<u8>, AppError> {
    let plan = plan_export(conn, survey_id, wave_id, false)?;
    let mut out = Vec::new();
    write_export(conn, &plan, &mut out).map_err(|e| match e {
        ExportError::App(e) => e,
        ExportError::Write(e) => AppError::internal(e),
    })?;
    Ok(out)
}
