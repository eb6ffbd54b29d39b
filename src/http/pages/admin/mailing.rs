//! The wave page's e-mail section: upload recipients (a file or pasted), the counts per mailing,
//! the addresses the mail server refused with its answer and a retry, reminders (a redirect
//! after the POST, and no button while mail is still queued, so nothing goes out twice), the
//! survey's mail texts per language with a preview per audience and language, and a test mail
//! to the researcher's own address.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::wave::{again, wave_url, Failed as PageFailed, Ids};
use super::{settle, Admin, Confirm, CsrfForm, CsrfUpload, Errors, State};
use crate::http::pages::session::change_as;
use crate::http::pages::session::redirect;

/// A mailing's path: (survey, wave, mailing).
type MailingPath = web::Path<(SurveyId, WaveId, MailingId)>;
use crate::app::audit::{self, audited, Action, Object};
use crate::app::mailings::{self as app, MailingCounts, Ready, TemplateView, TestMail};
use crate::domain::{Audience, MailId, MailKind, MailingId, SurveyId, WaveId};
use crate::error::AppError;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;
use crate::i18n::Lang;
use crate::mail::render::Written;
use crate::store::mailings::FailedMail;
use crate::store::AnyConnection;

/// The wave page's query: notices after a form, and the preview chosen.
#[derive(serde::Deserialize, Default)]
pub struct MailQuery {
    pub done: Option<String>,
    pub imported: Option<u64>,
    pub queued: Option<i64>,
    /// The delimiter the upload used: `comma` or `semicolon`.
    pub sep: Option<String>,
    pub reminded: Option<i64>,
    pub retried: Option<i64>,
    pub tested: Option<String>,
    pub preview_lang: Option<Lang>,
    pub preview_audience: Option<Audience>,
    pub preview_kind: Option<MailKind>,
}

impl MailQuery {
    pub fn notice(&self, t: &ConsoleText) -> Option<String> {
        let n = |text: &str, n: i64| text.replace("{n}", &n.to_string());
        if let Some(i) = self.imported {
            return Some(n(t.imported_n, i as i64));
        }
        if let Some(q) = self.queued {
            let sep = match self.sep.as_deref() {
                Some("semicolon") => Some(";"),
                Some("comma") => Some(","),
                _ => None,
            };
            let read = sep.map(|s| format!(" {}", t.mail_read_with.replace("{sep}", s)));
            return Some(n(t.mail_queued_n, q) + &read.unwrap_or_default());
        }
        if let Some(r) = self.reminded {
            return Some(n(t.reminders_queued_n, r));
        }
        if let Some(r) = self.retried {
            return Some(n(t.retried_n, r));
        }
        if self.tested.is_some() {
            return Some(t.test_sent.to_string());
        }
        super::Done {
            done: self.done.clone(),
        }
        .notice(t)
        .map(str::to_string)
    }
}

/// What the section loads: the mailings with their refused e-mails, and the mail texts.
pub struct Loaded {
    mailings: Vec<(MailingCounts, Vec<FailedMail>)>,
    templates: Vec<TemplateView>,
    preview: Written,
}

/// The preview a query asks for: (language, audience, kind); the page's language, the
/// customers' mail and the invitation by default.
pub fn preview_of(admin: &Admin, q: &MailQuery) -> (Lang, Audience, MailKind) {
    (
        q.preview_lang.unwrap_or(admin.lang),
        q.preview_audience.unwrap_or(Audience::Customer),
        q.preview_kind.unwrap_or(MailKind::Invitation),
    )
}

pub fn load(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    (lang, audience, kind): (Lang, Audience, MailKind),
    public_url: Option<&str>,
    cooldown: chrono::Duration,
) -> Result<Loaded, AppError> {
    let mut mailings = Vec::new();
    for m in app::wave_mailings(conn, survey_id, wave_id)?
        .into_iter()
        .rev()
    {
        let m = m.with_cooldown(cooldown);
        let failed = app::failed_mails(conn, survey_id, wave_id, m.id)?;
        mailings.push((m, failed));
    }
    Ok(Loaded {
        mailings,
        templates: app::templates(conn, survey_id)?,
        preview: app::preview(
            conn,
            survey_id,
            lang,
            audience,
            kind,
            Some(wave_id),
            public_url,
        )?,
    })
}

/// One mail text (language and audience) as the form shows it.
pub struct TemplateForm {
    pub lang: &'static str,
    pub audience: &'static str,
    /// `nl-employee`: what the form's element ids are made of.
    pub id: String,
    pub name: String,
    pub subject: String,
    pub body: String,
    pub custom: bool,
    pub errors: Errors,
}

/// The section as the template shows it.
#[derive(Default)]
pub struct MailSection {
    pub mailings: Vec<(MailingCounts, Vec<FailedMail>)>,
    pub recipients_csv: String,
    pub upload_heading: &'static str,
    pub upload_problems: Vec<String>,
    pub templates: Vec<TemplateForm>,
    pub preview_subject: String,
    pub preview_body: String,
    pub preview_lang: &'static str,
    pub preview_audience: &'static str,
    pub preview_kind: &'static str,
    pub test_errors: Errors,
    pub action_errors: Errors,
    /// The address of the section's forms: `/admin/surveys/{id}/waves/{wave_id}`.
    pub base: String,
    /// Whether this server sends e-mail.
    pub smtp: bool,
    /// Per mailing within its reminders' cool-down: when the last round went out and when the
    /// next may (the button is disabled until then).
    pub cooldowns: Vec<(MailingId, String)>,
}

impl MailSection {
    /// The cool-down sentence of a mailing, if its reminders wait.
    pub fn cooldown_note(&self, id: &MailingId) -> Option<&str> {
        self.cooldowns
            .iter()
            .find(|(m, _)| m == id)
            .map(|(_, note)| note.as_str())
    }
}

/// A refused form of the section.
pub enum Failed {
    Upload {
        csv: String,
        heading: &'static str,
        problems: Vec<String>,
    },
    Template(TemplateInput, Errors),
    Test(Errors),
    Action(Errors),
}

impl Failed {
    pub fn errors(&self) -> Errors {
        match self {
            Failed::Upload { .. } => Errors(vec![("recipients".into(), String::new())]),
            Failed::Template(_, e) | Failed::Test(e) | Failed::Action(e) => e.clone(),
        }
    }
}

/// Builds the section from what was loaded and what a refused form left.
pub fn section(
    admin: &Admin,
    loaded: Loaded,
    q: &MailQuery,
    failed: Option<Failed>,
    survey_id: SurveyId,
    wave_id: WaveId,
) -> MailSection {
    let t = admin.t;
    let mut s = MailSection {
        mailings: loaded.mailings,
        preview_subject: loaded.preview.subject,
        preview_body: loaded.preview.body,
        preview_lang: q.preview_lang.unwrap_or(admin.lang).code(),
        preview_audience: q.preview_audience.unwrap_or(Audience::Customer).as_str(),
        preview_kind: q.preview_kind.unwrap_or(MailKind::Invitation).as_str(),
        base: format!("/admin/surveys/{survey_id}/waves/{wave_id}"),
        ..MailSection::default()
    };
    let now = crate::store::now();
    s.cooldowns = s
        .mailings
        .iter()
        .filter_map(|(m, _)| match (m.reminded_at, m.next_reminder_at) {
            (Some(last), Some(next)) if next > now => Some((
                m.id,
                t.mail_remind_cooldown
                    .replace("{last}", &crate::i18n::time::date_time(admin.lang, last))
                    .replace("{next}", &crate::i18n::time::date_time(admin.lang, next)),
            )),
            _ => None,
        })
        .collect();
    s.templates = loaded
        .templates
        .into_iter()
        .map(|v| TemplateForm {
            lang: v.lang.code(),
            audience: v.audience.as_str(),
            id: format!("{}-{}", v.lang.code(), v.audience.as_str()),
            name: format!(
                "{} — {}",
                match v.audience {
                    Audience::Employee => t.employees,
                    Audience::Customer => t.customers,
                },
                match v.lang {
                    Lang::Nl => t.lang_nl,
                    Lang::En => t.lang_en,
                }
            ),
            subject: v.subject,
            body: v.body,
            custom: v.custom,
            errors: Errors::default(),
        })
        .collect();
    match failed {
        None => {}
        Some(Failed::Upload {
            csv,
            heading,
            problems,
        }) => (s.recipients_csv, s.upload_heading, s.upload_problems) = (csv, heading, problems),
        Some(Failed::Template(input, errors)) => {
            let (lang, audience) = (input.lang.code(), input.audience.as_str());
            let mine = |f: &&mut TemplateForm| f.lang == lang && f.audience == audience;
            if let Some(f) = s.templates.iter_mut().find(mine) {
                (f.subject, f.body, f.errors) = (input.subject, input.body, errors);
            }
        }
        Some(Failed::Test(e)) => s.test_errors = e,
        Some(Failed::Action(e)) => s.action_errors = e,
    }
    s
}

/// What this server can do with e-mail (its public address, whether it sends).
struct Sender(Option<String>, bool);

impl Sender {
    fn ready(&self) -> Ready<'_> {
        Ready {
            public_url: self.0.as_deref(),
            smtp: self.1,
        }
    }
}

fn ready(state: &AppState) -> Sender {
    Sender(
        state.settings.public_url.clone(),
        state.settings.mail.is_some(),
    )
}

/// POST …/mailings: recipients from an uploaded file or pasted text; every bad row shown with
/// the text kept, nothing queued.
#[tracing::instrument(skip_all)]
pub async fn upload(state: State, ids: Ids, up: CsrfUpload) -> HttpResponse {
    let ids = ids.into_inner();
    let csv = match up.part("file") {
        f if !f.is_empty() => f.to_vec(),
        _ => up.part("csv").to_vec(),
    };
    let (admin, bytes, ready) = (up.admin, csv.clone(), ready(&state));
    let result = change_as(
        &state,
        admin.who.clone(),
        Action::MailingCreated,
        move |c, _| app::queue_mailing(c, ids.0, ids.1, &bytes, ready.ready()),
        audit::mailing_queued,
    )
    .await;
    let (t, lang) = (admin.t, admin.lang);
    let (heading, problems) = match result {
        Ok(c) => {
            let sep = if c.delimiter.as_deref() == Some(";") {
                "semicolon"
            } else {
                "comma"
            };
            let done = format!("queued={}&sep={sep}", c.recipients);
            return redirect(&wave_url(&admin, ids, &done, "mailing"));
        }
        Err(AppError::ImportRejected { rows, .. }) => (
            t.mail_problems,
            rows.iter()
                .map(|r| match &r.column {
                    Some(c) => format!(
                        "{} {}, {} {c}: {}",
                        t.line,
                        r.line,
                        t.column.to_lowercase(),
                        r.message(lang)
                    ),
                    None => format!("{} {}: {}", t.line, r.line, r.message(lang)),
                })
                .collect(),
        ),
        Err(e) if e.is_validation() || e.is_conflict() => (t.mail_not_sent, vec![e.message(lang)]),
        Err(e) => return admin.failed(&e),
    };
    let csv = String::from_utf8_lossy(&csv).to_string();
    let failed = PageFailed::Mail(Failed::Upload {
        csv,
        heading,
        problems,
    });
    again(
        &state,
        &admin,
        ids,
        StatusCode::UNPROCESSABLE_ENTITY,
        failed,
    )
    .await
}

/// A refused button (no field): the error above the section.
fn above(errors: Errors) -> PageFailed {
    PageFailed::Mail(Failed::Action(errors.at("mailing")))
}

/// After a button of a mailing: the page with how many were queued (`what=n`), or the error.
async fn queued(
    state: &AppState,
    admin: &Admin,
    (s, w): (SurveyId, WaveId),
    result: Result<i64, AppError>,
    what: &str,
) -> HttpResponse {
    let to = |n| wave_url(admin, (s, w), &format!("{what}={n}"), "mailing");
    settle(admin, result, to, |e, st| {
        again(state, admin, (s, w), st, above(e))
    })
    .await
}

/// POST …/mailings/{mailing_id}/reminders: then the page again (a reload sends nothing).
#[tracing::instrument(skip_all)]
pub async fn remind(state: State, path: MailingPath, f: CsrfForm<Confirm>) -> HttpResponse {
    let ((s, w, m), sender) = (path.into_inner(), ready(&state));
    let cooldown = state.settings.reminder_cooldown();
    let result = change_as(
        &state,
        f.admin.who.clone(),
        Action::RemindersQueued,
        move |c, _| app::queue_reminders(c, s, w, m, sender.ready(), cooldown),
        move |n| Object::id("mailing", m).detail(format!("{n} reminder(s), wave {w}, survey {s}")),
    )
    .await;
    queued(&state, &f.admin, (s, w), result, "reminded").await
}

#[derive(serde::Deserialize)]
pub struct RetryForm {
    mail_id: Option<MailId>,
}

/// POST …/mailings/{mailing_id}/retry: the refused e-mails (or one) queued again.
#[tracing::instrument(skip_all)]
pub async fn retry(state: State, path: MailingPath, f: CsrfForm<RetryForm>) -> HttpResponse {
    let ((s, w, m), one, sender) = (path.into_inner(), f.form.mail_id, ready(&state));
    let who = f.admin.who.clone();
    let result = db(&state, move |conn| {
        let retry = |c: &mut AnyConnection| app::retry_failed(c, s, w, m, one, sender.ready());
        audited(conn, &who, Action::MailsRetried, retry, |n| {
            Object::id("mailing", m)
                .detail(format!("{n} e-mail(s) queued again, wave {w}, survey {s}"))
        })
        .map(|n| n as i64)
    })
    .await;
    queued(&state, &f.admin, (s, w), result, "retried").await
}

/// A mail text as posted: its language, audience, subject and body; `reset` returns to the
/// default.
#[derive(serde::Deserialize)]
pub struct TemplateInput {
    lang: Lang,
    audience: Audience,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    reset: bool,
}

/// POST …/mail-template: the survey's own text for one language and audience (or back to the
/// default).
#[tracing::instrument(skip_all)]
pub async fn template(state: State, ids: Ids, f: CsrfForm<TemplateInput>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, ids) = (f, ids.into_inner());
    let (lang, audience, own) = (
        form.lang,
        form.audience,
        (!form.reset).then(|| (form.subject.clone(), form.body.clone())),
    );
    let who = admin.who.clone();
    let result = db(&state, move |conn| {
        let action = match own {
            Some(_) => Action::TemplateSet,
            None => Action::TemplateReset,
        };
        let set = |c: &mut AnyConnection| {
            let own = own.as_ref().map(|(s, b)| (s.as_str(), b.as_str()));
            app::set_template(c, ids.0, lang, Some(audience), own)
        };
        audited(conn, &who, action, set, |_| {
            audit::template(ids.0, lang, Some(audience))
        })
    })
    .await;
    let saved = |_: Vec<TemplateView>| {
        let query = format!(
            "done=saved&preview_lang={}&preview_audience={}",
            lang.code(),
            audience.as_str()
        );
        wave_url(&admin, ids, &query, "mail-texts")
    };
    let failed = |e| PageFailed::Mail(Failed::Template(form, e));
    settle(&admin, result, saved, |e, st| {
        again(&state, &admin, ids, st, failed(e))
    })
    .await
}

#[derive(serde::Deserialize)]
pub struct TestForm {
    lang: Lang,
    #[serde(default = "customers")]
    audience: Audience,
    kind: MailKind,
}

fn customers() -> Audience {
    Audience::Customer
}

/// POST …/mail-test: the chosen mail to the researcher's own address, now.
#[tracing::instrument(skip_all)]
pub async fn test_send(state: State, ids: Ids, f: CsrfForm<TestForm>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, ids) = (f, ids.into_inner());
    let (to, settings, who) = (
        admin.who.email.clone().unwrap_or_default(),
        state.settings.clone(),
        admin.who.clone(),
    );
    let result = db(&state, move |conn| {
        let mail = TestMail {
            to: &to,
            lang: form.lang,
            audience: form.audience,
            kind: form.kind,
        };
        let public_url = settings.public_url.as_deref();
        let kind = mail.kind;
        app::send_test(conn, ids.0, ids.1, mail, settings.mail.as_ref(), public_url)?;
        // Sent already (no transaction to share): logged when the server took it.
        audit::record(
            conn,
            &audit::Entry::new(
                audit::Actor::of(&who),
                Action::TestMailSent,
                Object::id("wave", ids.1).detail(format!(
                    "{} test mail to the sender, survey {}",
                    kind.as_str(),
                    ids.0
                )),
                audit::Outcome::Ok,
            ),
        )
    })
    .await;
    let sent = |_| wave_url(&admin, ids, "tested=1", "mail-test");
    let failed = |e: Errors| PageFailed::Mail(Failed::Test(e.at("test")));
    settle(&admin, result, sent, |e, st| {
        again(&state, &admin, ids, st, failed(e))
    })
    .await
}
