//! Submissions: a respondent's answers, handed to the group-commit writer, and the token's
//! questionnaire context for the pages.

use crate::domain::submission::RawSubmission;
use crate::error::AppError;
use crate::ingest::tokens::{self, TokenContext};
use crate::ingest::Writer;
use crate::store::cache::Cache;
use crate::store::AnyConnection;

/// Stores one submission for `token`: resolves after its transaction has committed, with the
/// new response id or why it was refused (unknown, used or expired token; invalid answers).
#[tracing::instrument(skip_all)]
pub async fn submit(writer: &Writer, token: &str, sub: RawSubmission) -> Result<i64, AppError> {
    writer.submit(token, sub).await
}

/// What the questionnaire of a token shows, checked to be usable now.
#[tracing::instrument(skip_all)]
pub fn questionnaire(
    conn: &mut AnyConnection,
    cache: &Cache,
    token: &str,
) -> Result<TokenContext, AppError> {
    tokens::token_context(conn, cache, token)
}

/// [`questionnaire`] and the name of the team the questionnaire is about.
#[tracing::instrument(skip_all)]
pub fn questionnaire_with_team(
    conn: &mut AnyConnection,
    cache: &Cache,
    token: &str,
) -> Result<(TokenContext, Option<String>), AppError> {
    let ctx = tokens::token_context(conn, cache, token)?;
    let team = crate::store::teams::find(conn, ctx.invitation.team_id)?.map(|t| t.name);
    Ok((ctx, team))
}
