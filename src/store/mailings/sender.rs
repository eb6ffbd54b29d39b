//! The background sender's side of the outbox: claiming the next due e-mail, finishing it,
//! the senders' heartbeats and taking back what a vanished sender left half done.

use diesel::prelude::*;

use super::super::schema::{mail_recipients, mail_workers, outbox};
use super::super::AnyConnection;
use crate::domain::{Audience, Language, MailId, MailKind, MailStatus, MailingId};

/// An e-mail claimed for sending, with what is needed to write it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Claimed {
    pub id: MailId,
    pub mailing_id: MailingId,
    pub kind: MailKind,
    pub attempts: i32,
    pub email: Option<String>,
    pub token: Option<String>,
    pub lang: Language,
    pub opted_out: bool,
    /// The recipient's audience: it picks the mail's template.
    pub audience: Audience,
}

/// Claims the next due e-mail for `instance`: marks it `sending` (with the instance and the
/// time) and commits, before anything is sent. On PostgreSQL the row is picked with
/// `FOR UPDATE SKIP LOCKED`, so two instances never claim the same e-mail; on SQLite the write
/// transaction (`BEGIN IMMEDIATE`) serialises claims.
pub fn claim_next(
    conn: &mut AnyConnection,
    instance: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<Option<Claimed>> {
    super::super::write_tx(conn, |conn| {
        let due = outbox::table
            .filter(outbox::status.eq(MailStatus::Queued))
            .filter(outbox::next_attempt_at.le(now))
            .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
            .select(outbox::id)
            .limit(1);
        let id: Option<MailId> = match conn {
            AnyConnection::Postgresql(c) => due.for_update().skip_locked().get_result(c),
            AnyConnection::Sqlite(c) => due.get_result(c),
        }
        .optional()?;
        let Some(id) = id else {
            return Ok(None);
        };
        diesel::update(outbox::table.find(id))
            .set((
                outbox::status.eq(MailStatus::Sending),
                outbox::claimed_by.eq(instance),
                outbox::claimed_at.eq(now),
                outbox::attempts.eq(outbox::attempts + 1),
            ))
            .execute(conn)?;
        outbox::table
            .inner_join(mail_recipients::table)
            .filter(outbox::id.eq(id))
            .select((
                outbox::id,
                outbox::mailing_id,
                outbox::kind,
                outbox::attempts,
                mail_recipients::email,
                mail_recipients::token,
                mail_recipients::lang,
                mail_recipients::opted_out,
                mail_recipients::audience,
            ))
            .get_result(conn)
            .optional()
    })
}

/// Ends a claim: `sent`, `failed` or `cancelled` (with the answer), or back to `queued` for a
/// retry at `retry_at`. Only while this instance still holds the claim; returns whether it did.
pub fn finish(
    conn: &mut AnyConnection,
    id: MailId,
    instance: &str,
    outcome: Outcome<'_>,
    now: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    let mine = outbox::table
        .filter(outbox::id.eq(id))
        .filter(outbox::status.eq(MailStatus::Sending))
        .filter(outbox::claimed_by.eq(instance));
    let n = super::super::write_tx(conn, |conn| match outcome {
        Outcome::Sent => diesel::update(mine)
            .set((outbox::status.eq(MailStatus::Sent), outbox::sent_at.eq(now)))
            .execute(conn),
        Outcome::Failed(answer) => diesel::update(mine)
            .set((
                outbox::status.eq(MailStatus::Failed),
                outbox::last_error.eq(answer),
            ))
            .execute(conn),
        Outcome::Cancelled(reason) => diesel::update(mine)
            .set((
                outbox::status.eq(MailStatus::Cancelled),
                outbox::last_error.eq(reason),
            ))
            .execute(conn),
        Outcome::Retry { at, answer } => diesel::update(mine)
            .set((
                outbox::status.eq(MailStatus::Queued),
                outbox::next_attempt_at.eq(at),
                outbox::last_error.eq(answer),
                outbox::claimed_by.eq(None::<String>),
            ))
            .execute(conn),
    })?;
    Ok(n == 1)
}

/// How a claim ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome<'a> {
    Sent,
    Failed(&'a str),
    Cancelled(&'a str),
    Retry {
        at: chrono::NaiveDateTime,
        answer: &'a str,
    },
}

/// Records that `instance` is alive (one row per sending instance).
pub fn heartbeat(
    conn: &mut AnyConnection,
    instance: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    super::super::write_tx(conn, |conn| {
        let n = diesel::update(mail_workers::table.find(instance))
            .set(mail_workers::seen_at.eq(now))
            .execute(conn)?;
        if n == 0 {
            diesel::insert_into(mail_workers::table)
                .values((
                    mail_workers::instance.eq(instance),
                    mail_workers::seen_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Forgets an instance that stops (its claims, if any, are taken back at once).
pub fn forget_worker(conn: &mut AnyConnection, instance: &str) -> QueryResult<usize> {
    diesel::delete(mail_workers::table.find(instance)).execute(conn)
}

/// Takes back the e-mails left in `sending` by instances not seen since `alive_since` (they
/// died mid-send): back to `queued`, due now. Forgets those instances. Returns how many.
pub fn take_back_abandoned(
    conn: &mut AnyConnection,
    alive_since: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    super::super::write_tx(conn, |conn| {
        diesel::delete(mail_workers::table.filter(mail_workers::seen_at.lt(alive_since)))
            .execute(conn)?;
        let alive = mail_workers::table.select(mail_workers::instance);
        diesel::update(
            outbox::table
                .filter(outbox::status.eq(MailStatus::Sending))
                .filter(outbox::claimed_by.is_null().or(diesel::dsl::not(
                    outbox::claimed_by.assume_not_null().eq_any(alive),
                ))),
        )
        .set((
            outbox::status.eq(MailStatus::Queued),
            outbox::claimed_by.eq(None::<String>),
            outbox::next_attempt_at.eq(alive_since),
        ))
        .execute(conn)
    })
}
