//! Invitations once made: the list (never a token), revoking one, the links built from the
//! configured public address, and response rates that count personal invitations only.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Audience, InvitationId, SurveyId, TeamId, WaveId};
use crate::error::AppError;
use crate::store::invitations::Invitation;
use crate::store::{self, AnyConnection};

use super::{check_wave, survey_or_404, WaveRef};
use crate::error::ErrorCode;

/// The questionnaire link of a token: under the configured public address, or relative
/// (`/r/TOKEN`) when none is configured. Never from a request's Host or Forwarded headers.
pub fn link(public_url: Option<&str>, token: &str) -> String {
    match public_url {
        Some(base) => format!("{}/r/{token}", base.trim_end_matches('/')),
        None => format!("/r/{token}"),
    }
}

/// A survey's invitations (optionally one wave), newest first.
#[tracing::instrument(skip(conn))]
pub fn list(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> Result<Vec<Invitation>, AppError> {
    survey_or_404(conn, survey_id)?;
    if let Some(w) = wave_id {
        check_wave(conn, survey_id, w, WaveRef::Filter)?;
    }
    Ok(store::invitations::list(conn, survey_id, wave_id)?)
}

/// Revokes an invitation: its link answers 410 from now on (404 when unknown). Revoking a
/// revoked invitation changes nothing.
#[tracing::instrument(skip(conn))]
pub fn revoke(conn: &mut AnyConnection, id: InvitationId) -> Result<Invitation, AppError> {
    store::write_tx(conn, |conn| {
        if !store::invitations::revoke(conn, id)? {
            return Err(ErrorCode::InvitationNotFound {
                invitation: id.get(),
            }
            .into());
        }
        store::invitations::find(conn, id)?.ok_or_else(|| {
            ErrorCode::InvitationNotFound {
                invitation: id.get(),
            }
            .into()
        })
    })
}

/// One row of a wave's response rates.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RateRow {
    pub team_id: TeamId,
    pub audience: Audience,
    /// Personal invitations (one use each; revoked unused ones left out).
    pub invited: i64,
    /// Personal invitations used.
    pub answered: i64,
    /// answered / invited as a fraction; null when nothing was invited.
    pub rate: Option<f64>,
    /// Uses of team links: reported apart, never in the denominator.
    pub link_uses: i64,
    /// Personal invitations whose e-mail the mail server finally refused and that were not
    /// answered: left out of `invited`. A retried e-mail that got through is not failed.
    pub failed: i64,
}

/// A wave's response rates per team and audience.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResponseRates {
    pub wave_id: WaveId,
    pub rows: Vec<RateRow>,
}

/// answered / invited, or None when nothing was invited.
pub fn rate(answered: i64, invited: i64) -> Option<f64> {
    (invited > 0).then(|| answered as f64 / invited as f64)
}

/// The response rates of one wave (the latest one to open when none is given): per team and
/// audience with invitations, ordered by team and audience.
#[tracing::instrument(skip(conn))]
pub fn response_rates(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> Result<ResponseRates, AppError> {
    survey_or_404(conn, survey_id)?;
    let wave_id = match wave_id {
        Some(w) => {
            check_wave(conn, survey_id, w, WaveRef::Filter)?;
            w
        }
        None => store::surveys::waves_of(conn, survey_id)?
            .last()
            .map(|w| w.id)
            .ok_or(ErrorCode::NoWaveYet {
                survey: survey_id.get(),
            })?,
    };
    let rows = store::invitations::use_counts(conn, survey_id, Some(wave_id))?
        .into_iter()
        .filter(|c| c.invited > 0 || c.answered > 0 || c.link_uses > 0 || c.failed > 0)
        .map(|c| RateRow {
            team_id: c.team_id,
            audience: c.audience,
            invited: c.invited,
            answered: c.answered,
            rate: rate(c.answered, c.invited),
            link_uses: c.link_uses,
            failed: c.failed,
        })
        .collect();
    Ok(ResponseRates { wave_id, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_from_the_public_address_or_are_relative() {
        assert_eq!(
            link(Some("https://enquete.example.nl/"), "abc"),
            "https://enquete.example.nl/r/abc"
        );
        assert_eq!(
            link(Some("https://x.nl/ks"), "abc"),
            "https://x.nl/ks/r/abc"
        );
        assert_eq!(link(None, "abc"), "/r/abc");
    }

    #[test]
    fn rates_are_fractions_or_none() {
        assert_eq!(rate(1, 4), Some(0.25));
        assert_eq!(rate(0, 0), None);
    }
}
