//! Mailings: the recipients of a wave's invitations by e-mail, the outbox the background sender
//! works through, the senders' heartbeats and the surveys' own mail templates.
//!
//! Addresses live only in `mail_recipients.email`, and only until the wave closes
//! ([`delete_addresses`]). Nothing here logs its arguments: they may hold addresses or tokens.

use diesel::prelude::*;
use diesel::query_builder::BoxedUpdateStatement;

use super::schema::{invitations, mail_recipients, mail_templates, mailings, outbox};
use super::{row_and_new, AnyConnection, MultiBackend};

mod refused;
mod sender;
use crate::domain::{
    Audience, InvitationId, Language, MailKind, MailStatus, MailingId, RecipientId, SurveyId,
    TeamId, WaveId,
};
pub use refused::{failed_invitations, failed_mails, retry_failed, FailedInvitation, FailedMail};
pub use sender::{
    claim_next, finish, forget_worker, heartbeat, take_back_abandoned, Claimed, Outcome,
};

row_and_new! {
    #[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
    #[diesel(table_name = mailings)]
    pub struct Mailing {
        pub id: MailingId,
        ..,
        pub addresses_deleted_at: Option<chrono::NaiveDateTime>,
        /// When the last round of reminders was queued.
        pub reminded_at: Option<chrono::NaiveDateTime>,
    }

    #[derive(Debug, Clone, Insertable)]
    #[diesel(table_name = mailings)]
    pub struct NewMailing {
        pub survey_id: SurveyId,
        pub wave_id: WaveId,
        pub recipients: i32,
        pub created_at: chrono::NaiveDateTime,
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = mail_recipients)]
pub struct NewRecipient {
    pub mailing_id: MailingId,
    pub team_id: TeamId,
    pub audience: Audience,
    pub lang: Language,
    pub email: Option<String>,
    pub token: Option<String>,
    pub invitation_id: Option<InvitationId>,
    pub opt_out_hash: Option<String>,
    pub opted_out: bool,
    pub created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewMail {
    pub mailing_id: MailingId,
    pub recipient_id: RecipientId,
    pub kind: MailKind,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub created_at: chrono::NaiveDateTime,
}

impl NewMail {
    /// An e-mail of a mailing to one recipient, queued and due `now`.
    pub fn queued(
        mailing_id: MailingId,
        recipient_id: RecipientId,
        kind: MailKind,
        now: chrono::NaiveDateTime,
    ) -> Self {
        NewMail {
            mailing_id,
            recipient_id,
            kind,
            status: MailStatus::Queued,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = mail_templates)]
pub struct MailTemplate {
    pub survey_id: SurveyId,
    pub lang: Language,
    pub audience: Audience,
    pub subject: String,
    pub body: String,
    pub updated_at: chrono::NaiveDateTime,
}

/// Rows per INSERT statement: well under SQLite's limit of bound values.
const CHUNK: usize = 500;

/// Inserts a mailing and returns it.
pub fn create_mailing(conn: &mut AnyConnection, m: &NewMailing) -> QueryResult<Mailing> {
    diesel::insert_into(mailings::table)
        .values(m)
        .returning(mailings::all_columns)
        .get_result(conn)
}

pub fn find_mailing(conn: &mut AnyConnection, id: MailingId) -> QueryResult<Option<Mailing>> {
    mailings::table
        .find(id)
        .select(Mailing::as_select())
        .get_result(conn)
        .optional()
}

/// The mailings of a wave, oldest first.
pub fn mailings_of_wave(conn: &mut AnyConnection, wave_id: WaveId) -> QueryResult<Vec<Mailing>> {
    mailings::table
        .filter(mailings::wave_id.eq(wave_id))
        .order(mailings::id.asc())
        .select(Mailing::as_select())
        .load(conn)
}

/// Inserts recipients; returns their ids in the order given.
pub fn insert_recipients(
    conn: &mut AnyConnection,
    rows: &[NewRecipient],
) -> QueryResult<Vec<RecipientId>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(CHUNK) {
        let got: Vec<RecipientId> = match conn {
            AnyConnection::Postgresql(c) => diesel::insert_into(mail_recipients::table)
                .values(chunk)
                .returning(mail_recipients::id)
                .get_results(c)?,
            AnyConnection::Sqlite(c) => {
                let mut got = Vec::with_capacity(chunk.len());
                for r in chunk {
                    got.push(
                        diesel::insert_into(mail_recipients::table)
                            .values(r)
                            .returning(mail_recipients::id)
                            .get_result(c)?,
                    );
                }
                got
            }
        };
        ids.extend(got);
    }
    Ok(ids)
}

/// Queues e-mails.
pub fn insert_mails(conn: &mut AnyConnection, rows: &[NewMail]) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in rows.chunks(CHUNK) {
        n += match conn {
            AnyConnection::Postgresql(c) => diesel::insert_into(outbox::table)
                .values(chunk)
                .execute(c)?,
            AnyConnection::Sqlite(c) => diesel::insert_into(outbox::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(n)
}

/// The addresses already given in a wave's mailings (while it is open), with whether each opted
/// out: a later mailing of the same wave does not write to an address that opted out.
pub fn addresses_in_wave(
    conn: &mut AnyConnection,
    wave_id: WaveId,
) -> QueryResult<Vec<(String, bool)>> {
    mail_recipients::table
        .inner_join(mailings::table)
        .filter(mailings::wave_id.eq(wave_id))
        .filter(mail_recipients::email.is_not_null())
        .select((
            mail_recipients::email.assume_not_null(),
            mail_recipients::opted_out,
        ))
        .load(conn)
}

/// How many e-mails of a mailing are in each (kind, status).
pub fn mail_counts(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
) -> QueryResult<Vec<(MailKind, MailStatus, i64)>> {
    use diesel::dsl::count_star;
    outbox::table
        .filter(outbox::mailing_id.eq(mailing_id))
        .group_by((outbox::kind, outbox::status))
        .select((outbox::kind, outbox::status, count_star()))
        .load(conn)
}

/// How many recipients of a mailing opted out.
pub fn opted_out_count(conn: &mut AnyConnection, mailing_id: MailingId) -> QueryResult<i64> {
    mail_recipients::table
        .filter(mail_recipients::mailing_id.eq(mailing_id))
        .filter(mail_recipients::opted_out.eq(true))
        .count()
        .get_result(conn)
}

/// The answers of the SMTP server for a mailing's failed e-mails, with how many each.
pub fn failure_answers(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
) -> QueryResult<Vec<(Option<String>, i64)>> {
    use diesel::dsl::count_star;
    outbox::table
        .filter(outbox::mailing_id.eq(mailing_id))
        .filter(outbox::status.eq(MailStatus::Failed))
        .group_by(outbox::last_error)
        .select((outbox::last_error, count_star()))
        .order(count_star().desc())
        .load(conn)
}

/// Claims a round of reminders for a mailing: sets its `reminded_at` to `now` when it has none
/// or one at or before `cutoff` (one conditional UPDATE: of two parallel claims exactly one
/// wins). Ok(None) when claimed; Ok(Some(last)) with the round that holds the cool-down.
pub fn claim_reminder_round(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
    now: chrono::NaiveDateTime,
    cutoff: chrono::NaiveDateTime,
) -> QueryResult<Option<chrono::NaiveDateTime>> {
    let claimed = diesel::update(
        mailings::table.filter(mailings::id.eq(mailing_id)).filter(
            mailings::reminded_at
                .is_null()
                .or(mailings::reminded_at.le(cutoff)),
        ),
    )
    .set(mailings::reminded_at.eq(now))
    .execute(conn)?;
    if claimed == 1 {
        return Ok(None);
    }
    let last: Option<chrono::NaiveDateTime> = mailings::table
        .find(mailing_id)
        .select(mailings::reminded_at)
        .get_result(conn)?;
    Ok(Some(last.unwrap_or(now)))
}

/// Notes that these recipients were sent a reminder at `now`.
pub fn mark_reminded(
    conn: &mut AnyConnection,
    ids: &[RecipientId],
    now: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += diesel::update(mail_recipients::table.filter(mail_recipients::id.eq_any(chunk)))
            .set(mail_recipients::reminded_at.eq(now))
            .execute(conn)?;
    }
    Ok(n)
}

/// The recipients of a mailing a reminder goes to: their invitation was sent and is still
/// unused, they did not opt out, their address is still kept, and they had no reminder after
/// `cutoff` (the cool-down).
pub fn reminder_recipients(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
    cutoff: chrono::NaiveDateTime,
) -> QueryResult<Vec<RecipientId>> {
    let sent_invitation = outbox::table
        .filter(outbox::kind.eq(MailKind::Invitation))
        .filter(outbox::status.eq(MailStatus::Sent))
        .select(outbox::recipient_id);
    mail_recipients::table
        .inner_join(
            invitations::table.on(mail_recipients::invitation_id.eq(invitations::id.nullable())),
        )
        .filter(mail_recipients::mailing_id.eq(mailing_id))
        .filter(mail_recipients::opted_out.eq(false))
        .filter(mail_recipients::email.is_not_null())
        .filter(invitations::uses.eq(0))
        .filter(
            mail_recipients::reminded_at
                .is_null()
                .or(mail_recipients::reminded_at.le(cutoff)),
        )
        .filter(mail_recipients::id.eq_any(sent_invitation))
        .order(mail_recipients::id.asc())
        .select(mail_recipients::id)
        .load(conn)
}

// ---------- opting out ----------

/// Whom an opt-out link names: the mailing, and whether it opted out already.
pub fn find_by_opt_out(
    conn: &mut AnyConnection,
    opt_out_hash: &str,
) -> QueryResult<Option<(RecipientId, MailingId, Language, bool)>> {
    mail_recipients::table
        .filter(mail_recipients::opt_out_hash.eq(opt_out_hash))
        .select((
            mail_recipients::id,
            mail_recipients::mailing_id,
            mail_recipients::lang,
            mail_recipients::opted_out,
        ))
        .get_result(conn)
        .optional()
}

/// Opts a recipient out: no more e-mail, and what is still queued for them is cancelled.
pub fn opt_out(conn: &mut AnyConnection, recipient_id: RecipientId) -> QueryResult<()> {
    diesel::update(mail_recipients::table.find(recipient_id))
        .set(mail_recipients::opted_out.eq(true))
        .execute(conn)?;
    let theirs = diesel::update(outbox::table).filter(outbox::recipient_id.eq(recipient_id));
    cancel_queued(conn, theirs.into_boxed(), "the recipient opted out")?;
    Ok(())
}

/// Cancels what is still queued of `mails` (the outbox as the caller narrowed it), saying why.
fn cancel_queued(
    conn: &mut AnyConnection,
    mails: BoxedUpdateStatement<'_, MultiBackend, outbox::table>,
    why: &str,
) -> QueryResult<usize> {
    mails
        .filter(outbox::status.eq(MailStatus::Queued))
        .set((
            outbox::status.eq(MailStatus::Cancelled),
            outbox::last_error.eq(why),
        ))
        .execute(conn)
}

// ---------- closing a wave ----------

/// Mailings of waves that closed at or before `now` and still keep addresses.
pub fn mailings_to_forget(
    conn: &mut AnyConnection,
    now: chrono::NaiveDateTime,
) -> QueryResult<Vec<MailingId>> {
    use super::schema::waves;
    mailings::table
        .inner_join(waves::table)
        .filter(mailings::addresses_deleted_at.is_null())
        .filter(waves::closes_at.le(now))
        .select(mailings::id)
        .load(conn)
}

/// Deletes a mailing's addresses and tokens (the counts stay) and cancels what it still had
/// queued. Call inside a transaction.
pub fn delete_addresses(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    // An invitation whose e-mail the server refused for good reached no one: it is revoked
    // before the link to it goes, so it stays out of `invited` (response rates count it as
    // `failed`, from the outbox, after the addresses are gone).
    let failed_invitations = outbox::table
        .inner_join(mail_recipients::table)
        .filter(outbox::mailing_id.eq(mailing_id))
        .filter(outbox::kind.eq(MailKind::Invitation))
        .filter(outbox::status.eq(MailStatus::Failed))
        .filter(mail_recipients::invitation_id.is_not_null())
        .select(mail_recipients::invitation_id.assume_not_null());
    diesel::update(
        invitations::table
            .filter(invitations::id.eq_any(failed_invitations))
            .filter(invitations::uses.eq(0)),
    )
    .set(invitations::revoked.eq(true))
    .execute(conn)?;
    diesel::update(mail_recipients::table.filter(mail_recipients::mailing_id.eq(mailing_id)))
        .set((
            mail_recipients::email.eq(None::<String>),
            mail_recipients::token.eq(None::<String>),
            mail_recipients::opt_out_hash.eq(None::<String>),
            mail_recipients::invitation_id.eq(None::<InvitationId>),
        ))
        .execute(conn)?;
    let its = diesel::update(outbox::table).filter(outbox::mailing_id.eq(mailing_id));
    cancel_queued(conn, its.into_boxed(), "the wave closed before it was sent")?;
    diesel::update(mailings::table.find(mailing_id))
        .set(mailings::addresses_deleted_at.eq(now))
        .execute(conn)?;
    Ok(())
}

// ---------- templates ----------

/// A survey's own templates (none to four: per language and audience).
pub fn templates_of(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
) -> QueryResult<Vec<MailTemplate>> {
    mail_templates::table
        .filter(mail_templates::survey_id.eq(survey_id))
        .select(MailTemplate::as_select())
        .load(conn)
}

/// Sets (replaces) a survey's template for one language and audience.
pub fn set_template(conn: &mut AnyConnection, t: &MailTemplate) -> QueryResult<()> {
    super::write_tx(conn, |conn| {
        diesel::delete(
            mail_templates::table
                .filter(mail_templates::survey_id.eq(t.survey_id))
                .filter(mail_templates::lang.eq(t.lang))
                .filter(mail_templates::audience.eq(t.audience)),
        )
        .execute(conn)?;
        diesel::insert_into(mail_templates::table)
            .values((
                mail_templates::survey_id.eq(t.survey_id),
                mail_templates::lang.eq(t.lang),
                mail_templates::audience.eq(t.audience),
                mail_templates::subject.eq(&t.subject),
                mail_templates::body.eq(&t.body),
                mail_templates::updated_at.eq(t.updated_at),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Removes a survey's template for one language and audience (the default applies again).
pub fn remove_template(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    lang: Language,
    audience: Audience,
) -> QueryResult<usize> {
    diesel::delete(
        mail_templates::table
            .filter(mail_templates::survey_id.eq(survey_id))
            .filter(mail_templates::lang.eq(lang))
            .filter(mail_templates::audience.eq(audience)),
    )
    .execute(conn)
}

/// After [`delete_addresses`]: makes the deleted bytes leave the database files. SQLite: the
/// pages were zeroed (`secure_delete`); a `TRUNCATE` checkpoint copies them into the main file
/// and empties the WAL, which still held the old pages. Returns false when a reader kept the
/// checkpoint from finishing (try again later). PostgreSQL: `VACUUM FULL` rewrites the table
/// into new files (the old ones are removed); call it outside a transaction.
pub fn scrub_files(conn: &mut AnyConnection) -> QueryResult<bool> {
    use diesel::connection::SimpleConnection;
    match conn {
        AnyConnection::Sqlite(c) => {
            #[derive(QueryableByName)]
            struct Checkpoint {
                #[diesel(sql_type = diesel::sql_types::Integer)]
                busy: i32,
            }
            let rows: Vec<Checkpoint> =
                diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").load(c)?;
            Ok(rows.first().is_some_and(|r| r.busy == 0))
        }
        AnyConnection::Postgresql(c) => {
            c.batch_execute("VACUUM FULL mail_recipients")?;
            Ok(true)
        }
    }
}

/// The ids of invitations by their token hashes.
pub fn invitation_ids(
    conn: &mut AnyConnection,
    hashes: &[String],
) -> QueryResult<std::collections::HashMap<String, InvitationId>> {
    let found: Vec<(String, InvitationId)> = invitations::table
        .filter(invitations::token_hash.eq_any(hashes))
        .select((invitations::token_hash, invitations::id))
        .load(conn)?;
    Ok(found.into_iter().collect())
}
