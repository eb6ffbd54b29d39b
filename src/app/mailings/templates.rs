//! A survey's own mail templates (NL and EN; the defaults where it has none) and the preview
//! of a mail as a recipient gets it.

use serde::Serialize;
use utoipa::ToSchema;

use super::{lang_query, organisation, template_for};
use crate::app::{check_wave, survey_or_404, WaveRef};
use crate::domain::{Audience, MailKind, SurveyId, WaveId};
use crate::error::AppError;
use crate::i18n::mail::closes_at;
use crate::i18n::Lang;
use crate::mail::render::{self, Values, Written};
use crate::store::mailings::{self as rows, MailTemplate};
use crate::store::{self, AnyConnection};

/// A survey's template for one language and audience, its own or the default.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TemplateView {
    pub lang: Lang,
    /// Who gets it: employees are asked about their own service, customers about the service
    /// they got.
    pub audience: Audience,
    pub subject: String,
    pub body: String,
    /// False: the default text (the survey has none of its own for this language and audience).
    pub custom: bool,
}

fn view(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    lang: Lang,
    audience: Audience,
) -> Result<TemplateView, AppError> {
    let (t, custom) = template_for(conn, survey_id, lang, audience)?;
    Ok(TemplateView {
        lang,
        audience,
        subject: t.subject,
        body: t.body,
        custom,
    })
}

/// A survey's four templates: NL employees, NL customers, EN employees, EN customers.
#[tracing::instrument(skip(conn))]
pub fn templates(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
) -> Result<Vec<TemplateView>, AppError> {
    survey_or_404(conn, survey_id)?;
    let mut out = Vec::with_capacity(4);
    for lang in [Lang::Nl, Lang::En] {
        for audience in [Audience::Employee, Audience::Customer] {
            out.push(view(conn, survey_id, lang, audience)?);
        }
    }
    Ok(out)
}

/// Sets a survey's own template for one language (checked), or with `None` returns to the
/// default; for one audience, or with `audience` `None` for both. Answers the changed views
/// (employees first).
#[tracing::instrument(skip(conn, template))]
pub fn set_template(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    lang: Lang,
    audience: Option<Audience>,
    template: Option<(&str, &str)>,
) -> Result<Vec<TemplateView>, AppError> {
    survey_or_404(conn, survey_id)?;
    let audiences = match audience {
        Some(a) => vec![a],
        None => vec![Audience::Employee, Audience::Customer],
    };
    let checked = match template {
        Some((subject, body)) => Some(render::check(subject, body)?),
        None => None,
    };
    for &audience in &audiences {
        match &checked {
            Some(t) => {
                rows::set_template(
                    conn,
                    &MailTemplate {
                        survey_id,
                        lang: lang.into(),
                        audience,
                        subject: t.subject.clone(),
                        body: t.body.clone(),
                        updated_at: store::now(),
                    },
                )?;
            }
            None => {
                rows::remove_template(conn, survey_id, lang.into(), audience)?;
            }
        }
    }
    audiences
        .into_iter()
        .map(|a| view(conn, survey_id, lang, a))
        .collect()
}

/// A mail as a recipient would get it, with example links.
#[tracing::instrument(skip(conn, public_url))]
#[allow(clippy::too_many_arguments)]
pub fn preview(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    lang: Lang,
    audience: Audience,
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
    let (template, _) = template_for(conn, survey_id, lang, audience)?;
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
