//! The sender's side of the outbox, for the background driver (`crate::outbox`): the
//! instance's heartbeat, claiming the next e-mail, writing it, recording its outcome, and the
//! housekeeping (deleting closed waves' addresses, taking back dead instances' claims). The
//! driver holds the timers and speaks SMTP through `crate::mail`; every database step is here.

use super::{lang_query, opt_out_token, organisation, template_for};
use crate::error::{AppError, ErrorCode};
use crate::i18n::mail::closes_at;
use crate::i18n::Lang;
use crate::mail::render::{self, Values, Written};
use crate::store::mailings as rows;
pub use crate::store::mailings::{Claimed, Outcome};
use crate::store::{self, AnyConnection};

use super::survey_or_404;

/// Records that this instance is alive (a sending instance, every few seconds).
pub fn heartbeat(conn: &mut AnyConnection, instance: &str) -> Result<(), AppError> {
    rows::heartbeat(conn, instance, store::now())?;
    Ok(())
}

/// Claims the next e-mail due for this instance (`queued` → `sending`, committed before the
/// SMTP conversation starts).
pub fn claim(conn: &mut AnyConnection, instance: &str) -> Result<Option<Claimed>, AppError> {
    Ok(rows::claim_next(conn, instance, store::now())?)
}

/// Records how a claimed e-mail ended; false when this instance no longer held it.
pub fn settle(
    conn: &mut AnyConnection,
    claimed: &Claimed,
    instance: &str,
    outcome: Outcome<'_>,
) -> Result<bool, AppError> {
    Ok(rows::finish(
        conn,
        claimed.id,
        instance,
        outcome,
        store::now(),
    )?)
}

/// A stopping instance gives up its claims and its heartbeat.
pub fn forget_instance(conn: &mut AnyConnection, instance: &str) -> Result<(), AppError> {
    rows::forget_worker(conn, instance)?;
    Ok(())
}

/// Deletes the addresses of closed waves (and scrubs the database file after, until that
/// succeeds: `scrub_pending`); with `stale`, takes back the claims of instances not heard of
/// for that long. Returns how many e-mails were queued again.
pub fn housekeeping(
    conn: &mut AnyConnection,
    stale: Option<chrono::Duration>,
    scrub_pending: &mut bool,
) -> Result<usize, AppError> {
    let now = store::now();
    let closed = rows::mailings_to_forget(conn, now)?;
    for id in &closed {
        store::write_tx(conn, |c| rows::delete_addresses(c, *id, now))?;
        tracing::info!(
            mailing_id = %id,
            "wave closed: the mailing's addresses are deleted"
        );
    }
    if !closed.is_empty() || *scrub_pending {
        *scrub_pending = !rows::scrub_files(conn)?;
    }
    match stale {
        Some(stale) => Ok(rows::take_back_abandoned(conn, now - stale)?),
        None => Ok(0),
    }
}

/// One claimed e-mail, written, or why it is not sent after all.
#[derive(Debug, Clone, PartialEq)]
pub enum Composed {
    Send {
        to: String,
        mail: Written,
        opt_out: String,
        message_id: String,
    },
    Cancel(&'static str),
}

/// Writes a claimed e-mail from its recipient, survey, wave and template.
pub fn compose(
    conn: &mut AnyConnection,
    claimed: &Claimed,
    public_url: &str,
) -> Result<Composed, AppError> {
    let (Some(to), Some(token)) = (&claimed.email, &claimed.token) else {
        return Ok(Composed::Cancel("the wave closed before it was sent"));
    };
    if claimed.opted_out {
        return Ok(Composed::Cancel("the recipient opted out"));
    }
    let mailing =
        rows::find_mailing(conn, claimed.mailing_id)?.ok_or(ErrorCode::MailingNotFound {
            mailing: claimed.mailing_id.get(),
        })?;
    let survey = survey_or_404(conn, mailing.survey_id)?;
    let wave =
        store::surveys::find_wave(conn, mailing.wave_id)?.ok_or(ErrorCode::WaveNotFound {
            wave: mailing.wave_id.get(),
        })?;
    if wave.closes_at.is_some_and(|c| c <= store::now()) {
        return Ok(Composed::Cancel("the wave closed before it was sent"));
    }
    let lang = Lang::from(claimed.lang);
    let (template, _) = template_for(conn, survey.id, lang, claimed.audience)?;
    let link = format!("{public_url}/r/{token}{}", lang_query(lang));
    let opt_out = format!("{public_url}/o/{}", opt_out_token(token));
    let mail = render::write(
        &template,
        claimed.kind,
        lang,
        &Values {
            link: &link,
            organisation: organisation(&survey),
            closes_at: &closes_at(lang, wave.closes_at),
            opt_out: &opt_out,
        },
    );
    let host = public_url
        .split("://")
        .nth(1)
        .and_then(|r| r.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("klantspiegel.invalid");
    Ok(Composed::Send {
        to: to.clone(),
        mail,
        opt_out,
        // The same for every attempt at this outbox row: a mail handed over twice (see
        // docs/deployment.md, "Exactly once") is one message to the receiving side.
        message_id: format!(
            "<klantspiegel.{}.{}@{host}>",
            claimed.mailing_id, claimed.id
        ),
    })
}
