//! Invitations by e-mail: a wave's mailings from a recipients CSV, reminders, their counts, the
//! survey's mail templates with a preview, opting out, and writing one queued e-mail for the
//! background sender (`crate::outbox`, through [`sending`]). No answer of these functions holds an address or a token.

mod failures;
pub mod recipients;
pub mod sending;
mod templates;

pub use failures::{failed_mails, retry_failed, send_test, TestMail};
pub use templates::{preview, set_template, templates, TemplateView};

use serde::Serialize;
use utoipa::ToSchema;

use super::{check_wave, survey_or_404, WaveRef};
use crate::domain::{Audience, Language, MailKind, MailStatus, MailingId, SurveyId, WaveId};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::mail::render::Template;
use crate::store::mailings::{self as rows, Mailing, NewMail, NewRecipient};
use crate::store::surveys::{Survey, Wave};
use crate::store::{self, invitations, AnyConnection};

/// What this instance can do with e-mail: both are needed to queue mail.
#[derive(Debug, Clone, Copy)]
pub struct Ready<'a> {
    /// `KLANTSPIEGEL_PUBLIC_URL`: links in a mail must be absolute.
    pub public_url: Option<&'a str>,
    /// Whether `KLANTSPIEGEL_SMTP_URL` is set (this instance sends).
    pub smtp: bool,
}

impl Ready<'_> {
    fn check(&self) -> Result<(), AppError> {
        if self.public_url.is_none() {
            return Err(AppError::at("public_url", ErrorCode::PublicUrlMissing));
        }
        if !self.smtp {
            return Err(AppError::at("smtp_url", ErrorCode::SmtpMissing));
        }
        Ok(())
    }
}

/// A mailing as answered by the API: counts only.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MailingCounts {
    pub id: MailingId,
    pub wave_id: WaveId,
    /// Addresses in the uploaded file.
    pub recipients: i64,
    /// E-mails (invitations and reminders) waiting to be sent or being sent.
    pub queued: i64,
    /// Invitations the SMTP server accepted.
    pub sent: i64,
    /// E-mails (invitations and reminders) the SMTP server refused for good.
    pub failed: i64,
    /// Recipients who opted out.
    pub opted_out: i64,
    /// Reminders the SMTP server accepted.
    pub reminders_sent: i64,
    /// E-mails not sent because the wave closed or the recipient opted out first.
    pub cancelled: i64,
    /// Whether the wave closed and the addresses are deleted (the counts stay).
    pub addresses_deleted: bool,
    /// When the last round of reminders was queued (UTC), if any.
    #[schema(value_type = Option<String>)]
    pub reminded_at: Option<chrono::NaiveDateTime>,
    /// When the next round of reminders may be queued (UTC): the last round plus the
    /// cool-down (`KLANTSPIEGEL_REMINDER_COOLDOWN_HOURS`); None before the first round.
    #[schema(value_type = Option<String>)]
    pub next_reminder_at: Option<chrono::NaiveDateTime>,
    /// The SMTP server's answers to the failed e-mails (addresses blanked), most frequent first.
    pub failures: Vec<Failure>,
    /// In the answer to an upload only: the delimiter the file used, `,` or `;` (Dutch Excel).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Failure {
    pub answer: String,
    pub count: i64,
}

fn mailing_of(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    mailing_id: MailingId,
) -> Result<Mailing, AppError> {
    match rows::find_mailing(conn, mailing_id)? {
        Some(m) if m.survey_id == survey_id && m.wave_id == wave_id => Ok(m),
        _ => Err(ErrorCode::MailingNotFound {
            mailing: mailing_id.get(),
        }
        .into()),
    }
}

fn open_wave(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
) -> Result<Wave, AppError> {
    survey_or_404(conn, survey_id)?;
    check_wave(conn, survey_id, wave_id, WaveRef::Filter)?;
    let wave = store::surveys::find_wave(conn, wave_id)?.ok_or(ErrorCode::WaveNotFound {
        wave: wave_id.get(),
    })?;
    if wave.closes_at.is_some_and(|c| c <= store::now()) {
        return Err(ErrorCode::WaveClosed { wave: wave.name }.into());
    }
    Ok(wave)
}

/// The opt-out link's token of an invitation token (one-way: it does not reveal the invitation).
fn opt_out_token(token: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"klantspiegel opt-out\0")
        .chain_update(token.as_bytes())
        .finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// Creates one personal invitation per address of the CSV and queues one e-mail each, in one
/// transaction; 422 with every bad row and nothing stored otherwise. An address that opted out
/// earlier in the same wave gets neither.
#[tracing::instrument(skip_all, fields(survey_id, wave_id))]
pub fn queue_mailing(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    csv: &[u8],
    ready: Ready<'_>,
) -> Result<MailingCounts, AppError> {
    open_wave(conn, survey_id, wave_id)?;
    ready.check()?;
    let teams = store::teams::list(conn, None)?;
    let recipients::Parsed {
        rows: parsed,
        delimiter,
    } = recipients::parse(csv, &teams).map_err(|mut rows| {
        let total = rows.len();
        rows.truncate(crate::csvio::MAX_PROBLEMS);
        AppError::ImportRejected {
            omitted: (total - rows.len()) as u64,
            rows,
        }
    })?;
    let now = store::now();
    let mailing = store::write_tx(conn, |conn| {
        let opted_out: std::collections::HashSet<String> = rows::addresses_in_wave(conn, wave_id)?
            .into_iter()
            .filter(|(_, out)| *out)
            .map(|(e, _)| recipients::address_key(&e))
            .collect();
        let mut tokens = Vec::with_capacity(parsed.len());
        for r in &parsed {
            let skip = opted_out.contains(&recipients::address_key(&r.email));
            tokens.push(if skip {
                None
            } else {
                Some(
                    invitations::new_token()
                        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?,
                )
            });
        }
        let invitation_rows: Vec<invitations::NewInvitation> = parsed
            .iter()
            .zip(&tokens)
            .filter_map(|(r, t)| {
                t.as_ref().map(|t| invitations::NewInvitation {
                    survey_id,
                    wave_id,
                    team_id: r.team_id,
                    audience: r.audience,
                    token_hash: invitations::hash_token(t),
                    max_uses: 1,
                    uses: 0,
                    expires_at: None,
                    created_at: now,
                })
            })
            .collect();
        for chunk in invitation_rows.chunks(500) {
            invitations::insert_many(conn, chunk)?;
        }
        let hashes: Vec<String> = invitation_rows
            .iter()
            .map(|i| i.token_hash.clone())
            .collect();
        let mut ids = std::collections::HashMap::new();
        for chunk in hashes.chunks(500) {
            ids.extend(rows::invitation_ids(conn, chunk)?);
        }
        let mailing = rows::create_mailing(
            conn,
            &rows::NewMailing {
                survey_id,
                wave_id,
                recipients: parsed.len() as i32,
                created_at: now,
            },
        )?;
        let new_recipients: Vec<NewRecipient> = parsed
            .iter()
            .zip(&tokens)
            .map(|(r, t)| NewRecipient {
                mailing_id: mailing.id,
                team_id: r.team_id,
                audience: r.audience,
                lang: r.lang,
                email: Some(r.email.clone()),
                token: t.clone(),
                invitation_id: t
                    .as_ref()
                    .and_then(|t| ids.get(&invitations::hash_token(t)).copied()),
                opt_out_hash: t
                    .as_ref()
                    .map(|t| invitations::hash_token(&opt_out_token(t))),
                opted_out: t.is_none(),
                created_at: now,
            })
            .collect();
        let recipient_ids = rows::insert_recipients(conn, &new_recipients)?;
        let mails: Vec<NewMail> = recipient_ids
            .iter()
            .zip(&tokens)
            .filter(|(_, t)| t.is_some())
            .map(|(id, _)| NewMail::queued(mailing.id, *id, MailKind::Invitation, now))
            .collect();
        rows::insert_mails(conn, &mails)?;
        Ok::<_, AppError>(mailing)
    })?;
    tracing::info!(
        mailing_id = %mailing.id,
        recipients = parsed.len(),
        "mailing queued"
    );
    let mut c = counts(conn, mailing)?;
    c.delimiter = Some(char::from(delimiter).to_string());
    Ok(c)
}

/// Queues a reminder to each recipient whose invitation was sent and is still unused, who did
/// not opt out and had no reminder within the cool-down; returns how many. One round per
/// cool-down per mailing, claimed in the database in the same transaction that queues it: of
/// two parallel requests (a double click, two instances) one queues the round and the other is
/// refused with 409 naming when the next round is allowed.
#[tracing::instrument(skip(conn, ready))]
pub fn queue_reminders(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    mailing_id: MailingId,
    ready: Ready<'_>,
    cooldown: chrono::Duration,
) -> Result<i64, AppError> {
    open_wave(conn, survey_id, wave_id)?;
    let mailing = mailing_of(conn, survey_id, wave_id, mailing_id)?;
    ready.check()?;
    let now = store::now();
    let cutoff = now - cooldown;
    store::write_tx(conn, |conn| {
        if let Some(last) = rows::claim_reminder_round(conn, mailing.id, now, cutoff)? {
            return Err(too_soon(last, cooldown, now));
        }
        let ids = rows::reminder_recipients(conn, mailing.id, cutoff)?;
        let mails: Vec<NewMail> = ids
            .iter()
            .map(|id| NewMail::queued(mailing.id, *id, MailKind::Reminder, now))
            .collect();
        rows::insert_mails(conn, &mails)?;
        rows::mark_reminded(conn, &ids, now)?;
        Ok::<_, AppError>(mails.len() as i64)
    })
}

impl MailingCounts {
    /// Fills in when the next round of reminders is allowed, under this cool-down.
    pub fn with_cooldown(mut self, cooldown: chrono::Duration) -> MailingCounts {
        self.next_reminder_at = self.reminded_at.map(|t| t + cooldown);
        self
    }
}

/// The 409 for a round asked within the cool-down of the round at `last`.
fn too_soon(
    last: chrono::NaiveDateTime,
    cooldown: chrono::Duration,
    now: chrono::NaiveDateTime,
) -> AppError {
    let next = last + cooldown;
    let stamp = |t: chrono::NaiveDateTime| t.format("%Y-%m-%d %H:%M UTC").to_string();
    ErrorCode::RemindersTooSoon {
        last: stamp(last),
        next: stamp(next),
        retry_after: (next - now).num_seconds().max(1) as u64,
    }
    .into()
}

fn counts(conn: &mut AnyConnection, m: Mailing) -> Result<MailingCounts, AppError> {
    let mut c = MailingCounts {
        id: m.id,
        wave_id: m.wave_id,
        recipients: i64::from(m.recipients),
        queued: 0,
        sent: 0,
        failed: 0,
        opted_out: rows::opted_out_count(conn, m.id)?,
        reminders_sent: 0,
        cancelled: 0,
        addresses_deleted: m.addresses_deleted_at.is_some(),
        reminded_at: m.reminded_at,
        next_reminder_at: None,
        failures: Vec::new(),
        delimiter: None,
    };
    for (kind, status, n) in rows::mail_counts(conn, m.id)? {
        match (kind, status) {
            (_, MailStatus::Queued | MailStatus::Sending) => c.queued += n,
            (MailKind::Invitation, MailStatus::Sent) => c.sent += n,
            (MailKind::Reminder, MailStatus::Sent) => c.reminders_sent += n,
            (_, MailStatus::Failed) => c.failed += n,
            (_, MailStatus::Cancelled) => c.cancelled += n,
        }
    }
    // Read after the counts: failed is final, so every mail counted as failed is listed.
    c.failures = rows::failure_answers(conn, m.id)?
        .into_iter()
        .map(|(answer, count)| Failure {
            answer: answer.unwrap_or_default(),
            count,
        })
        .collect();
    Ok(c)
}

/// A mailing's counts.
#[tracing::instrument(skip(conn))]
pub fn mailing_counts(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    mailing_id: MailingId,
) -> Result<MailingCounts, AppError> {
    let m = mailing_of(conn, survey_id, wave_id, mailing_id)?;
    counts(conn, m)
}

/// The counts of every mailing of a wave, oldest first.
#[tracing::instrument(skip(conn))]
pub fn wave_mailings(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
) -> Result<Vec<MailingCounts>, AppError> {
    survey_or_404(conn, survey_id)?;
    check_wave(conn, survey_id, wave_id, WaveRef::Filter)?;
    rows::mailings_of_wave(conn, wave_id)?
        .into_iter()
        .map(|m| counts(conn, m))
        .collect()
}

/// A wave's mailings for its page.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveMailings {
    pub survey_title: String,
    pub wave_name: String,
    pub closed: bool,
    pub mailings: Vec<MailingCounts>,
}

/// The wave's name and state with the counts of its mailings.
#[tracing::instrument(skip(conn))]
pub fn wave_overview(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
) -> Result<WaveMailings, AppError> {
    let mailings = wave_mailings(conn, survey_id, wave_id)?;
    let survey = survey_or_404(conn, survey_id)?;
    let wave = store::surveys::find_wave(conn, wave_id)?.ok_or(ErrorCode::WaveNotFound {
        wave: wave_id.get(),
    })?;
    Ok(WaveMailings {
        survey_title: survey.title,
        closed: wave.closes_at.is_some_and(|c| c <= store::now()),
        wave_name: wave.name,
        mailings,
    })
}

// ---------- templates ----------

fn template_for(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    lang: Lang,
    audience: Audience,
) -> Result<(Template, bool), AppError> {
    let own = rows::templates_of(conn, survey_id)?
        .into_iter()
        .find(|t| t.lang == Language::from(lang) && t.audience == audience);
    Ok(match own {
        Some(t) => (
            Template {
                subject: t.subject,
                body: t.body,
            },
            true,
        ),
        None => (Template::default_for(lang, audience), false),
    })
}

/// The organisation a mail names (`{organisation}`): the survey's organisation text ("who
/// asks"), else its title.
fn organisation(survey: &Survey) -> &str {
    crate::i18n::mail::organisation_or_title(&survey.texts.organisation, &survey.title)
}

fn lang_query(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "",
        Lang::En => "?lang=en",
    }
}

// ---------- opting out ----------

/// What an opt-out link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptOut {
    /// A recipient: their language, whether they opted out already, and the survey's title and
    /// organisation (the page names the survey).
    Known {
        lang: Lang,
        done: bool,
        title: String,
        organisation: Option<String>,
    },
    /// Unknown, or its wave closed and the address is gone.
    Unknown,
}

/// The title and organisation of a mailing's survey.
fn survey_of_mailing(
    conn: &mut AnyConnection,
    mailing_id: MailingId,
) -> Result<(String, Option<String>), AppError> {
    let mailing = rows::find_mailing(conn, mailing_id)?.ok_or(ErrorCode::MailingNotFound {
        mailing: mailing_id.get(),
    })?;
    let survey = survey_or_404(conn, mailing.survey_id)?;
    Ok((survey.title, survey.texts.organisation))
}

/// Looks an opt-out link up.
pub fn opt_out_status(conn: &mut AnyConnection, token: &str) -> Result<OptOut, AppError> {
    Ok(
        match rows::find_by_opt_out(conn, &invitations::hash_token(token))? {
            Some((_, mailing_id, lang, done)) => {
                let (title, organisation) = survey_of_mailing(conn, mailing_id)?;
                OptOut::Known {
                    lang: lang.into(),
                    done,
                    title,
                    organisation,
                }
            }
            None => OptOut::Unknown,
        },
    )
}

/// Opts the link's recipient out: no reminders, nothing more queued for them.
#[tracing::instrument(skip_all)]
pub fn opt_out(conn: &mut AnyConnection, token: &str) -> Result<OptOut, AppError> {
    let hash = invitations::hash_token(token);
    store::write_tx(conn, |conn| {
        Ok(match rows::find_by_opt_out(conn, &hash)? {
            Some((id, mailing_id, lang, _)) => {
                rows::opt_out(conn, id)?;
                let (title, organisation) = survey_of_mailing(conn, mailing_id)?;
                OptOut::Known {
                    lang: lang.into(),
                    done: true,
                    title,
                    organisation,
                }
            }
            None => OptOut::Unknown,
        })
    })
}
