//! A survey's own mail templates (NL and EN; the defaults where it has none) and the preview
//! of a mail as a recipient gets it.

use serde::Serialize;
use utoipa::ToSchema;

use super::{lang_query, organisation, template_for};
use crate::app::{check_wave, survey_or_404, WaveRef};
use crate::domain::{MailKind, SurveyId, WaveId};
use crate::error::AppError;
use crate::i18n::mail::closes_at;
use crate::i18n::Lang;
use crate::mail::render::{self, Values, Written};
use crate::store::mailings::{self as rows, MailTemplate};
use crate::store::{self, AnyConnection};

/// A survey's template for one language, its own or the default.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TemplateView {
    pub lang: Lang,
    pub subject: String,
    pub body: String,
    /// False: the default text (the survey has none of its own in this language).
    pub custom: bool,
}

/// Both languages' templates of a survey.
#[tracing::instrument(skip(conn))]
pub fn templates(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
) -> Result<Vec<TemplateView>, AppError> {
    survey_or_404(conn, survey_id)?;
    [Lang::Nl, Lang::En]
        .into_iter()
        .map(|lang| {
            let (t, custom) = template_for(conn, survey_id, lang)?;
            Ok(TemplateView {
                lang,
                subject: t.subject,
                body: t.body,
                custom,
            })
        })
        .collect()
}

/// Sets a survey's own template for one language (checked), or with `None` returns to the
/// default.
#[tracing::instrument(skip(conn, template))]
pub fn set_template(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    lang: Lang,
    template: Option<(&str, &str)>,
) -> Result<TemplateView, AppError> {
    survey_or_404(conn, survey_id)?;
    match template {
        Some((subject, body)) => {
            let t = render::check(subject, body)?;
            rows::set_template(
                conn,
                &MailTemplate {
                    survey_id,
                    lang: lang.into(),
                    subject: t.subject,
                    body: t.body,
                    updated_at: store::now(),
                },
            )?;
        }
        None => {
            rows::remove_template(conn, survey_id, lang.into())?;
        }
    }
    let (t, custom) = template_for(conn, survey_id, lang)?;
    Ok(TemplateView {
        lang,
        subject: t.subject,
        body: t.body,
        custom,
    })
}

/// A mail as a recipient would get it, with example links.
#[tracing::instrument(skip(conn, public_url))]
pub fn preview(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    lang: Lang,
    kind: MailKind,
    wave_id: Option<WaveId>,
    public_url: Option<&str>,
) -> Result<Written, AppError> {
    let survey = survey_or_404(conn, survey_id)?;
    let closes = match wave_id {
        Some(w) => {
            check_wave(conn, survey_id, w, WaveRef::Filter)?;
            store::surveys::find_wave(conn, w)?.and_then(|w| w.closes_at)
        }
        None => None,
    };
    let base = public_url.unwrap_or("https://klantspiegel.example");
    let (template, _) = template_for(conn, survey_id, lang)?;
    let link = format!("{base}/r/PERSONAL-LINK{}", lang_query(lang));
    let opt_out = format!("{base}/o/OPT-OUT-LINK");
    Ok(render::write(
        &template,
        kind,
        lang,
        &Values {
            link: &link,
            organisation: organisation(&survey),
            closes_at: &closes_at(lang, closes),
            opt_out: &opt_out,
        },
    ))
}
