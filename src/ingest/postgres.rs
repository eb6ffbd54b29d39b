//! The group writer's PostgreSQL path: a pooled connection per group, the group's tokens
//! looked up (and locked) in one query, their uses taken in one statement.

use super::tokens;
use super::Outcomes;
use crate::domain::submission::RawSubmission;
use crate::domain::InvitationId;
use crate::error::AppError;
use crate::store::cache::Cache;
use crate::store::{self, Pool};

/// PostgreSQL: the group's tokens in one query (rows locked), the uses taken in one statement,
/// the accepted submissions stored together: a handful of round trips per group.
pub(super) fn store_group(
    pool: &Pool,
    cache: &Cache,
    jobs: &[(String, RawSubmission)],
) -> Result<Outcomes, AppError> {
    match store_group_once(pool, cache, jobs) {
        // A server going down can fail a statement with words no fault names (its connection
        // cut mid-answer): when it does not answer now either, that is what happened (503).
        Err(e) if e.fault().is_none() && !answers(pool) => Err(AppError::unavailable(
            store::health::Fault::Unreachable,
            &format!("storing submissions: {e}"),
        )),
        other => other,
    }
}

/// Whether the server answers now.
fn answers(pool: &Pool) -> bool {
    pool.get_timeout(super::LOCK_WAIT).is_ok_and(|mut c| {
        diesel::connection::SimpleConnection::batch_execute(&mut *c, "SELECT 1").is_ok()
    })
}

fn store_group_once(
    pool: &Pool,
    cache: &Cache,
    jobs: &[(String, RawSubmission)],
) -> Result<Outcomes, AppError> {
    let mut conn = pool.get_timeout(super::LOCK_WAIT)?;
    store::write_tx(&mut conn, |conn| {
        // An import or another instance holding the group's rows: 503 after `LOCK_WAIT`.
        diesel::connection::SimpleConnection::batch_execute(
            conn,
            &format!(
                "SET LOCAL lock_timeout = '{}ms'",
                super::LOCK_WAIT.as_millis()
            ),
        )?;
        let hashes: Vec<String> = jobs
            .iter()
            .map(|(t, _)| store::invitations::hash_token(t))
            .collect();
        let found = store::invitations::lock_by_hashes(conn, &hashes)?;
        // Uses left per invitation, as the locked rows say; taken in submission order.
        let mut left: std::collections::HashMap<InvitationId, i32> = found
            .values()
            .map(|r| (r.invitation.id, r.invitation.max_uses - r.invitation.uses))
            .collect();
        let mut outcomes: Vec<Option<Result<i64, AppError>>> = Vec::with_capacity(jobs.len());
        let mut accepted = Vec::new();
        let mut prepared = Vec::new();
        for (i, ((token, submission), hash)) in jobs.iter().zip(&hashes).enumerate() {
            let invitation = found
                .get(hash)
                .filter(|_| tokens::token_looks_usable(token))
                .cloned();
            let checked = tokens::prepare_for(conn, cache, invitation, submission).and_then(|p| {
                match left.get_mut(&p.invitation_id) {
                    // A link used twice in one group: the second waits its turn here.
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        Ok(p)
                    }
                    _ => Err(tokens::token_used()),
                }
            });
            match checked {
                Ok(p) => {
                    accepted.push(i);
                    prepared.push(p);
                    outcomes.push(None);
                }
                Err(e) => outcomes.push(Some(Err(e))),
            }
        }
        let mut taken: std::collections::BTreeMap<i64, i32> = Default::default();
        for p in &prepared {
            *taken.entry(p.invitation_id.get()).or_default() += 1;
        }
        let taken: Vec<(i64, i32)> = taken.into_iter().collect();
        store::invitations::add_uses(conn, &taken)?;
        for (i, id) in accepted
            .into_iter()
            .zip(tokens::insert_prepared(conn, &prepared)?)
        {
            outcomes[i] = Some(Ok(id));
        }
        Ok(outcomes
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| {
                    Err(AppError::internal(anyhow::anyhow!("submission not stored")))
                })
            })
            .collect())
    })
}
