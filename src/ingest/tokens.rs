//! Tokens: which invitation a token names, whether it can be used now, and what a submission
//! made with it stores. The writer resolves tokens inside the transaction that takes their
//! use; the questionnaire page resolves them to show the right questions.

use crate::domain::submission::{Answer, RawSubmission, Rules, ValidSubmission};
use crate::domain::{Audience, InvitationId, WaveId};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::store::invitations::TokenRow;
use crate::store::responses::NewResponse;
use crate::store::{self, AnyConnection};

/// Why a token cannot be used now.
pub fn token_state(row: &TokenRow, now: chrono::NaiveDateTime) -> Result<(), AppError> {
    let inv = &row.invitation;
    if inv.revoked {
        return Err(ErrorCode::TokenRevoked.into());
    }
    if inv.expires_at.is_some_and(|e| now >= e) {
        return Err(ErrorCode::TokenExpired.into());
    }
    if row.closes_at.is_some_and(|c| now >= c) {
        return Err(ErrorCode::RoundClosed.into());
    }
    if now < row.opens_at {
        return Err(ErrorCode::WaveNotOpen.into());
    }
    if inv.uses >= inv.max_uses {
        return Err(token_used());
    }
    Ok(())
}

/// Everything a questionnaire needs about a token, checked to be usable now.
pub struct TokenContext {
    pub invitation: store::invitations::Invitation,
    pub parts: store::cache::SurveyParts,
    pub wave_id: WaveId,
    pub audience: Audience,
}

impl TokenContext {
    pub fn survey(&self) -> &store::surveys::Survey {
        &self.parts.0
    }
    pub fn dimensions(&self) -> &[store::surveys::Dimension] {
        &self.parts.1
    }
}

pub fn unknown_token() -> AppError {
    ErrorCode::TokenUnknown.into()
}

/// Whether a token is worth a query: empty and over-long (> 200 bytes) tokens are unknown.
pub fn token_looks_usable(token: &str) -> bool {
    !token.is_empty() && token.len() <= 200
}

/// The token's invitation with its wave's dates, or 404.
pub fn find_invitation(conn: &mut AnyConnection, token: &str) -> Result<TokenRow, AppError> {
    if !token_looks_usable(token) {
        return Err(unknown_token());
    }
    store::invitations::find_by_token(conn, token)?.ok_or_else(unknown_token)
}

/// The context of a found invitation (its survey from the cache, at the revision the row
/// names), checked to be usable now.
pub fn invitation_context(
    conn: &mut AnyConnection,
    cache: &store::cache::Cache,
    row: TokenRow,
) -> Result<TokenContext, AppError> {
    token_state(&row, store::now())?;
    let parts = cache
        .survey(conn, row.invitation.survey_id, row.survey_revision)?
        .ok_or_else(unknown_token)?;
    Ok(TokenContext {
        audience: row.invitation.audience,
        wave_id: row.invitation.wave_id,
        invitation: row.invitation,
        parts,
    })
}

/// Everything a questionnaire needs about a token, checked to be usable now.
pub fn token_context(
    conn: &mut AnyConnection,
    cache: &store::cache::Cache,
    token: &str,
) -> Result<TokenContext, AppError> {
    let row = find_invitation(conn, token)?;
    invitation_context(conn, cache, row)
}

/// A validated submission, ready for the writer: which invitation it uses and what to store.
#[derive(Debug, Clone)]
pub struct PreparedSubmission {
    pub invitation_id: InvitationId,
    pub response: NewResponse,
    pub values: Vec<Answer>,
    pub scale_min: i32,
}

/// What the writer does with a looked-up invitation (None: unknown token, 404): checks that it
/// is usable now and validates the submission against its survey.
pub fn prepare_for(
    conn: &mut AnyConnection,
    cache: &store::cache::Cache,
    invitation: Option<TokenRow>,
    sub: &RawSubmission,
) -> Result<PreparedSubmission, AppError> {
    let invitation = invitation.ok_or_else(unknown_token)?;
    prepare(&invitation_context(conn, cache, invitation)?, sub)
}

/// Validates a submission against its token's context (422 naming the field).
pub fn prepare(ctx: &TokenContext, sub: &RawSubmission) -> Result<PreparedSubmission, AppError> {
    let survey = ctx.survey();
    let dims = ctx.dimensions();
    let rules = Rules {
        audience: ctx.audience,
        scale: survey.scale(),
        asks: &|kind| survey.asks(kind),
        dimension: &|key: &str| dims.iter().find(|d| d.key == key).map(|d| d.id),
    };
    let ValidSubmission {
        answers: values,
        nps,
        comment,
    } = sub.validate(&rules)?;
    Ok(PreparedSubmission {
        invitation_id: ctx.invitation.id,
        response: NewResponse {
            survey_id: ctx.survey().id,
            wave_id: ctx.wave_id,
            team_id: ctx.invitation.team_id,
            audience: ctx.audience,
            submitted_at: store::now(),
            nps,
            comment,
            respondent: None,
        },
        values,
        scale_min: ctx.survey().scale_min,
    })
}

/// The answer to a submission whose invitation has no use left.
pub fn token_used() -> AppError {
    ErrorCode::TokenUsed.into()
}

/// Inserts checked submissions whose token uses were taken, in the caller's transaction, with
/// one statement per table (and the summaries); their response ids in the order given.
/// Responses keep no link to their token.
pub fn insert_prepared(
    conn: &mut AnyConnection,
    subs: &[PreparedSubmission],
) -> Result<Vec<i64>, AppError> {
    let mut ids = vec![0; subs.len()];
    // Grouped by scale: the summaries store slots relative to the scale's minimum.
    let mut scales: Vec<i32> = subs.iter().map(|s| s.scale_min).collect();
    scales.sort_unstable();
    scales.dedup();
    for scale_min in scales {
        let idx: Vec<usize> = (0..subs.len())
            .filter(|&i| subs[i].scale_min == scale_min)
            .collect();
        let items: Vec<(NewResponse, Vec<Answer>)> = idx
            .iter()
            .map(|&i| (subs[i].response.clone(), subs[i].values.clone()))
            .collect();
        let stored = store::responses::insert_batch(conn, &items, scale_min, &mut |_| {})?;
        for (i, id) in idx.into_iter().zip(stored) {
            ids[i] = id;
        }
    }
    Ok(ids)
}
