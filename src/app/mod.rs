//! The use cases, one module per area: the only code that orchestrates the store, the engine,
//! the charts and the writer. HTTP handlers, pages, the CLI and the demo call these functions
//! and never each other; each function is one transaction (or one read) over the store.

pub mod accounts;
pub mod actions;
pub mod audit;
pub mod charts;
pub mod console;
pub mod csv;
pub mod disclosure;
pub mod effects;
pub mod exports;
pub mod invitations;
pub mod live;
pub mod mailings;
pub mod pack;
pub mod reports;
pub mod reveal;
pub mod rights;
pub mod sign_in;
pub mod submissions;
pub mod survey_edit;
pub mod surveys;
pub mod users;

use crate::domain::{SurveyId, TeamId, WaveId};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::store::surveys::{Survey, Wave};
use crate::store::{self, AnyConnection};

/// How a wave was named: in a request body (422 naming `wave_id`) or as a filter (404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveRef {
    Field,
    Filter,
}

/// The survey, or 404.
pub fn survey_or_404(conn: &mut AnyConnection, survey_id: SurveyId) -> Result<Survey, AppError> {
    store::surveys::find(conn, survey_id)?.ok_or_else(|| {
        ErrorCode::SurveyNotFound {
            survey: survey_id.get(),
        }
        .into()
    })
}

/// Parses an optional field of a request; left out or blank, it is None.
pub fn parse_given<T, E>(
    value: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, E> {
    value
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(parse)
        .transpose()
}

/// Checks that the wave exists and belongs to the survey.
pub fn check_wave(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    how: WaveRef,
) -> Result<(), AppError> {
    wave_of(conn, survey_id, wave_id, how).map(|_| ())
}

/// The wave, when it exists and belongs to the survey (the errors as [`check_wave`]'s).
pub fn wave_of(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    how: WaveRef,
) -> Result<Wave, AppError> {
    match store::surveys::find_wave(conn, wave_id)? {
        Some(w) if w.survey_id == survey_id => Ok(w),
        _ => Err(match how {
            WaveRef::Field => AppError::at(
                "wave_id",
                ErrorCode::NotAWaveOfSurvey {
                    wave: wave_id.get(),
                },
            ),
            WaveRef::Filter => ErrorCode::WaveNotFound {
                wave: wave_id.get(),
            }
            .into(),
        }),
    }
}

/// Refuses writes into a closed wave (its `closes_at` passed): 409 `wave_closed`.
pub fn check_wave_open(conn: &mut AnyConnection, wave_id: WaveId) -> Result<(), AppError> {
    match store::surveys::find_wave(conn, wave_id)? {
        Some(w) if w.closes_at.is_some_and(|c| c <= store::now()) => {
            Err(ErrorCode::WaveClosed { wave: w.name }.into())
        }
        _ => Ok(()),
    }
}

/// Checks that a team exists: as a body field (422 naming `field`) or as a filter (404).
pub fn check_team(conn: &mut AnyConnection, team_id: TeamId, how: TeamRef) -> Result<(), AppError> {
    if store::teams::find(conn, team_id)?.is_some() {
        return Ok(());
    }
    Err(match how {
        TeamRef::Field(field) => AppError::at(
            field,
            ErrorCode::TeamDoesNotExist {
                team: team_id.get(),
            },
        ),
        TeamRef::Filter => ErrorCode::TeamNotFound {
            team: team_id.get(),
        }
        .into(),
    })
}

/// How a team was named: in a request body (422 naming the field) or as a filter (404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamRef {
    Field(&'static str),
    Filter,
}
