//! E-mails the mail server refused for good: per invitation (for response rates), per mailing
//! (for the wave's console page, while the addresses are kept), and queueing them again.

use diesel::prelude::*;

use super::super::schema::{mail_recipients, mailings, outbox};
use super::AnyConnection;
use crate::domain::{
    Audience, InvitationId, MailId, MailKind, MailStatus, MailingId, SurveyId, TeamId, WaveId,
};

/// A refused invitation e-mail: (wave, team, audience, invitation).
pub type FailedInvitation = (WaveId, TeamId, Audience, Option<InvitationId>);

/// Invitation e-mails of a survey (optionally one wave) the server refused for good: per mail,
/// its wave, team, audience and invitation (None once the wave closed and the link is gone).
pub fn failed_invitations(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: Option<WaveId>,
) -> QueryResult<Vec<FailedInvitation>> {
    let mut q = outbox::table
        .inner_join(mail_recipients::table.inner_join(mailings::table))
        .filter(mailings::survey_id.eq(survey_id))
        .filter(outbox::kind.eq(MailKind::Invitation))
        .filter(outbox::status.eq(MailStatus::Failed))
        .select((
            mailings::wave_id,
            mail_recipients::team_id,
            mail_recipients::audience,
            mail_recipients::invitation_id,
        ))
        .into_boxed();
    if let Some(w) = wave_id {
        q = q.filter(mailings::wave_id.eq(w));
    }
    q.load(conn)
}

/// One e-mail the server refused for good, for the wave page (while the address is kept).
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct FailedMail {
    pub id: MailId,
    pub kind: MailKind,
    pub email: Option<String>,
    pub answer: Option<String>,
}

/// A mailing's failed e-mails, oldest first.
pub fn failed_mails(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
) -> QueryResult<Vec<FailedMail>> {
    outbox::table
        .inner_join(mail_recipients::table)
        .filter(outbox::mailing_id.eq(mailing_id))
        .filter(outbox::status.eq(MailStatus::Failed))
        .order(outbox::id.asc())
        .select((
            outbox::id,
            outbox::kind,
            mail_recipients::email,
            outbox::last_error,
        ))
        .load(conn)
}

/// Queues a mailing's failed e-mails again (all, or one), due now, while their address is
/// kept and the recipient did not opt out; returns how many.
pub fn retry_failed(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
    only: Option<MailId>,
    now: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    let reachable = mail_recipients::table
        .filter(mail_recipients::mailing_id.eq(mailing_id))
        .filter(mail_recipients::email.is_not_null())
        .filter(mail_recipients::opted_out.eq(false))
        .select(mail_recipients::id);
    let mut q = diesel::update(outbox::table)
        .filter(outbox::mailing_id.eq(mailing_id))
        .filter(outbox::status.eq(MailStatus::Failed))
        .filter(outbox::recipient_id.eq_any(reachable))
        .into_boxed();
    if let Some(id) = only {
        q = q.filter(outbox::id.eq(id));
    }
    q.set((
        outbox::status.eq(MailStatus::Queued),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::claimed_by.eq(None::<String>),
    ))
    .execute(conn)
}
