//! /admin/surveys/new and /admin/surveys/{id}: title, the default dimensions or own ones,
//! the scale, the settings and the questionnaire's texts; the waves (created here); previews of
//! both questionnaires without a token.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::audit::{Action, Object};
use crate::http::pages::session::change_as;

use super::overview::{wave_view, WaveView};
use super::survey_form::{form_errors, read_form, survey_fields, view_rows, DimRow, TEXTS};
use super::wave::DatesForm;
use super::{settle, Admin, CsrfForm, Done, Errors, Fields, Head, State};
use crate::app::survey_edit;
use crate::app::surveys::{self as app, CreateSurvey};
use crate::domain::{Audience, SurveyId};
use crate::error::AppError;
use crate::http::pages::render;
use crate::http::pages::respondent::{self, Source};
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;
use actix_web::web::Query;

#[derive(askama::Template)]
#[template(path = "admin/survey.html")]
struct SurveyPage<'a> {
    h: Head,
    t: &'a ConsoleText,
    errors: Errors,
    survey_id: Option<SurveyId>,
    action: String,
    fields: Fields,
    dims_locked: bool,
    rows: Vec<DimRow>,
    settings: Vec<(&'static str, &'static str)>,
    flags: Vec<(&'static str, &'static str)>,
    texts: Vec<(&'static str, &'static str, bool)>,
    waves: Vec<WaveView>,
    wave_form: DatesForm,
    wave_errors: Errors,
}

impl SurveyPage<'_> {
    fn val(&self, name: &str) -> String {
        self.fields.get(name)
    }
}

fn text_label(t: &ConsoleText, name: &str) -> &'static str {
    match name {
        "organisation" => t.organisation,
        "contact" => t.contact,
        "introduction_nl" => t.introduction_nl,
        "introduction_en" => t.introduction_en,
        "privacy_statement_nl" => t.privacy_statement_nl,
        "privacy_statement_en" => t.privacy_statement_en,
        "scale_low_nl" => t.scale_low_nl,
        "scale_high_nl" => t.scale_high_nl,
        "scale_low_en" => t.scale_low_en,
        _ => t.scale_high_en,
    }
}

/// The page's form, what it shows besides, and what a refused form left.
#[derive(Default)]
struct Shown {
    fields: Fields,
    errors: Errors,
    waves: Vec<WaveView>,
    dims_locked: bool,
    wave_form: DatesForm,
    wave_errors: Errors,
}

fn page(
    admin: &Admin,
    status: StatusCode,
    survey_id: Option<SurveyId>,
    s: Shown,
    notice: Option<&str>,
) -> HttpResponse {
    let t = admin.t;
    let (action, here) = match survey_id {
        Some(id) => (
            format!("/admin/surveys/{id}?{}", admin.q()),
            format!("/admin/surveys/{id}"),
        ),
        None => (
            format!("/admin/surveys?{}", admin.q()),
            "/admin/surveys/new".to_string(),
        ),
    };
    let mut banner = s.errors.clone();
    banner.0.extend(s.wave_errors.0.iter().cloned());
    render(
        status,
        &SurveyPage {
            h: admin.head(t.surveys, here).errors(&banner).notice(notice),
            t,
            rows: view_rows(&s.fields, &s.errors),
            errors: s.errors,
            survey_id,
            action,
            fields: s.fields,
            dims_locked: s.dims_locked,
            settings: vec![
                ("min_group_size", t.min_group_size),
                ("comment_min_group_size", t.comment_min_group_size),
                ("alpha", t.alpha),
                ("materiality", t.materiality),
            ],
            flags: vec![
                ("ask_predicted", t.ask_predicted),
                ("ask_expected", t.ask_expected),
                ("ask_importance", t.ask_importance),
                ("ask_nps", t.ask_nps),
            ],
            texts: TEXTS
                .iter()
                .map(|(n, multi)| (*n, text_label(t, n), *multi))
                .collect(),
            waves: s.waves,
            wave_form: s.wave_form,
            wave_errors: s.wave_errors,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn new(admin: Admin) -> HttpResponse {
    let shown = Shown {
        fields: survey_fields(None),
        ..Shown::default()
    };
    page(&admin, StatusCode::OK, None, shown, None)
}

/// A stored survey as the page shows it: its form, its waves (newest first) and whether its
/// dimensions are fixed by responses.
async fn stored(state: &AppState, admin: &Admin, id: SurveyId) -> Result<Shown, AppError> {
    let (full, waves) = db(state, move |conn| {
        let full = app::get_survey(conn, id)?;
        let teams = app::list_teams(conn, None)?;
        let mut waves = Vec::new();
        for w in &full.2 {
            waves.push(crate::app::console::wave_overview(conn, w.clone(), &teams)?);
        }
        Ok((full, waves))
    })
    .await?;
    Ok(Shown {
        fields: survey_fields(Some(&full)),
        dims_locked: waves.iter().any(|w| w.responses > 0),
        waves: waves.iter().rev().map(|w| wave_view(admin, w)).collect(),
        ..Shown::default()
    })
}

#[tracing::instrument(skip_all)]
pub async fn edit(
    state: State,
    admin: Admin,
    id: web::Path<SurveyId>,
    q: Query<Done>,
) -> HttpResponse {
    let id = id.into_inner();
    match stored(&state, &admin, id).await {
        Ok(shown) => page(&admin, StatusCode::OK, Some(id), shown, q.notice(admin.t)),
        Err(e) => admin.failed(&e),
    }
}

#[tracing::instrument(skip_all)]
pub async fn create(state: State, f: CsrfForm<Fields>) -> HttpResponse {
    let CsrfForm { admin, form, .. } = f;
    let result = match read_form(&form, true) {
        Err(e) => Err(e),
        Ok(u) => {
            let texts = u.texts();
            let req = CreateSurvey {
                title: u.title.unwrap_or_default(),
                template: u.template,
                dimensions: u.dimensions,
                scale_min: u.scale_min,
                scale_max: u.scale_max,
                min_group_size: u.min_group_size,
                comment_min_group_size: u.comment_min_group_size,
                alpha: u.alpha,
                materiality: u.materiality,
                ask_predicted: u.ask_predicted,
                ask_expected: u.ask_expected,
                ask_importance: u.ask_importance,
                ask_nps: u.ask_nps,
                ..CreateSurvey::default()
            }
            .with_texts(texts);
            change_as(
                &state,
                admin.who.clone(),
                Action::SurveyCreated,
                move |c, _| app::create_survey(c, &req),
                |(s, _)| Object::new("survey", s.id, &s.title).into(),
            )
            .await
        }
    };
    let errors = result
        .as_ref()
        .err()
        .and_then(|e| form_errors(admin.lang, &form, e));
    settle(
        &admin,
        result,
        |(s, _)| format!("/admin/surveys/{}?{}&done=saved#waves", s.id, admin.q()),
        |_, status| {
            let shown = Shown {
                fields: form,
                errors: errors.unwrap_or_default(),
                ..Shown::default()
            };
            std::future::ready(page(&admin, status, None, shown, None))
        },
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn update(state: State, id: web::Path<SurveyId>, f: CsrfForm<Fields>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, id) = (f, id.into_inner());
    // A form without the dimension editor (the survey has responses) leaves them alone.
    let with_dims = form.has("template");
    let result = match read_form(&form, with_dims) {
        Err(e) => Err(e),
        Ok(u) => {
            change_as(
                &state,
                admin.who.clone(),
                Action::SurveyUpdated,
                move |c, _| survey_edit::update_survey(c, id, &u),
                |(s, _)| Object::new("survey", s.id, &s.title).into(),
            )
            .await
        }
    };
    if result.is_ok() {
        state.cache.forget(id);
    }
    let errors = result
        .as_ref()
        .err()
        .and_then(|e| form_errors(admin.lang, &form, e));
    let (state, admin) = (&state, &admin);
    settle(
        admin,
        result,
        |_| format!("/admin/surveys/{id}?{}&done=saved", admin.q()),
        |_, status| async move {
            let shown = stored(state, admin, id).await.unwrap_or_default();
            let shown = Shown {
                fields: form,
                errors: errors.unwrap_or_default(),
                ..shown
            };
            page(admin, status, Some(id), shown, None)
        },
    )
    .await
}

/// The survey page again with the new-wave form refused (see `wave::create`).
pub async fn with_wave_form(
    state: &AppState,
    admin: &Admin,
    id: SurveyId,
    status: StatusCode,
    form: DatesForm,
    errors: Errors,
) -> HttpResponse {
    match stored(state, admin, id).await {
        Ok(shown) => {
            let shown = Shown {
                wave_form: form,
                wave_errors: errors,
                ..shown
            };
            page(admin, status, Some(id), shown, None)
        }
        Err(e) => admin.failed(&e),
    }
}

#[derive(serde::Deserialize)]
pub struct PreviewQuery {
    audience: Option<Audience>,
}

/// Both questionnaires as respondents see them, without a token (nothing can be sent).
#[tracing::instrument(skip_all)]
pub async fn preview(
    state: State,
    admin: Admin,
    id: web::Path<SurveyId>,
    q: Query<PreviewQuery>,
) -> HttpResponse {
    let (id, audience) = (id.into_inner(), q.audience.unwrap_or(Audience::Customer));
    match db(&state, move |conn| app::get_survey(conn, id)).await {
        Ok((survey, dims, _)) => render(
            StatusCode::OK,
            &respondent::preview(
                &Source {
                    survey: &survey,
                    dimensions: &dims,
                    audience,
                    team: None,
                },
                admin.lang,
            ),
        ),
        Err(e) => admin.failed(&e),
    }
}
