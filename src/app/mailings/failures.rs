//! What the mail server refused, for the wave's console page: the addresses (while the wave is
//! open and they are kept) with the server's answer, and queueing them again; and a test mail
//! to the researcher's own address, sent at once.

use super::{mailing_of, open_wave, preview, Ready};
use crate::config::MailSettings;
use crate::domain::{Audience, MailId, MailKind, MailingId, SurveyId, WaveId};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::mail::smtp::{Mailer, Outgoing, Refusal};
use crate::store::mailings::{self as rows, FailedMail};
use crate::store::{self, AnyConnection};

/// A mailing's refused e-mails: the address (None once the wave closed) and the server's
/// answer.
#[tracing::instrument(skip(conn))]
pub fn failed_mails(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    mailing_id: MailingId,
) -> Result<Vec<FailedMail>, AppError> {
    let m = mailing_of(conn, survey_id, wave_id, mailing_id)?;
    Ok(rows::failed_mails(conn, m.id)?)
}

/// Queues a mailing's refused e-mails again (all, or one) while the wave is open; returns how
/// many. One that gets through then counts as sent (and its invitation as invited).
#[tracing::instrument(skip(conn, ready))]
pub fn retry_failed(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    mailing_id: MailingId,
    only: Option<MailId>,
    ready: Ready<'_>,
) -> Result<usize, AppError> {
    open_wave(conn, survey_id, wave_id)?;
    let m = mailing_of(conn, survey_id, wave_id, mailing_id)?;
    ready.check()?;
    let now = store::now();
    let n = store::write_tx(conn, |conn| rows::retry_failed(conn, m.id, only, now))?;
    tracing::info!(mailing_id = %m.id, count = n, "refused e-mails queued again");
    Ok(n)
}

/// What a test mail needs: whom to (the researcher), in which language and of which kind.
pub struct TestMail<'a> {
    pub to: &'a str,
    pub lang: Lang,
    pub audience: Audience,
    pub kind: MailKind,
}

/// Sends one mail as a recipient of this wave would get it (example links) to the researcher,
/// now, without the outbox; 422 naming `test` with the server's answer when it is refused.
#[tracing::instrument(skip_all)]
pub fn send_test(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    mail: TestMail<'_>,
    settings: Option<&MailSettings>,
    public_url: Option<&str>,
) -> Result<(), AppError> {
    open_wave(conn, survey_id, wave_id)?;
    Ready {
        public_url,
        smtp: settings.is_some(),
    }
    .check()?;
    let Some(settings) = settings else {
        return Err(AppError::at("smtp_url", ErrorCode::SmtpMissing));
    };
    crate::mail::check_address(mail.to).map_err(|code| AppError::at("test", code))?;
    let written = preview(
        conn,
        survey_id,
        mail.lang,
        mail.audience,
        mail.kind,
        Some(wave_id),
        public_url,
    )?;
    let mailer = Mailer::new(&settings.smtp, &settings.from)
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    let mut id = [0u8; 9];
    getrandom::fill(&mut id).map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let refused = |answer: String| AppError::at("test", ErrorCode::TestMailRefused { answer });
    mailer
        .send(&Outgoing {
            to: mail.to,
            subject: &written.subject,
            body: &written.body,
            message_id: format!("<klantspiegel.test.{id}@klantspiegel.invalid>"),
            opt_out: "https://klantspiegel.invalid/o/OPT-OUT-LINK",
        })
        .map_err(|r| match r {
            Refusal::Temporary(a) | Refusal::Permanent(a) => refused(a),
        })
}
