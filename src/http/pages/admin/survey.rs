//! /admin/surveys/new and /admin/surveys/{id}: title, the default dimensions or own ones,
//! the scale, the settings and the questionnaire's texts; the waves (created here); previews of
//! both questionnaires without a token.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::overview::WaveView;
use super::survey_form::{form_errors, read_form, survey_fields, view_rows, DimRow, TEXTS};
use super::{admin, failed, form_instant, show_instant, Ctx, Errors, Fields};
use crate::app::survey_edit;
use crate::app::surveys::{self as app, CreateSurvey, CreateWave};
use crate::domain::{Audience, SurveyId};
use crate::error::AppError;
use crate::http::pages::render;
use crate::http::pages::respondent::{self, Source};
use crate::http::pages::session::redirect;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;

#[derive(askama::Template)]
#[template(path = "admin/survey.html")]
struct SurveyPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a ConsoleText,
    user: String,
    csrf: String,
    notice: Option<&'a str>,
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
    wave_form: (String, String, String),
    wave_errors: Errors,
    /// The placeholder of an empty opening time (an empty one opens the wave now).
    now: String,
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

/// Everything the page shows besides the form: the survey's waves and whether it has answers.
#[derive(Default)]
struct Extra {
    waves: Vec<WaveView>,
    dims_locked: bool,
    wave_form: Option<(String, String, String)>,
    wave_errors: Errors,
}

fn page(
    ctx: &Ctx,
    status: StatusCode,
    survey_id: Option<SurveyId>,
    fields: Fields,
    errors: Errors,
    extra: Extra,
    notice: Option<&str>,
) -> HttpResponse {
    let t = ctx.t;
    let action = match survey_id {
        Some(id) => format!("/admin/surveys/{id}?{}", ctx.q()),
        None => format!("/admin/surveys?{}", ctx.q()),
    };
    let rows = view_rows(&fields, &errors);
    let mut errors = errors;
    if !extra.wave_errors.is_empty() {
        errors.0.push(("wave".into(), String::new()));
    }
    render(
        status,
        &SurveyPage {
            lang: t.lang_code,
            title: t.surveys,
            t,
            user: ctx.user(),
            csrf: ctx.csrf(),
            notice,
            errors,
            survey_id,
            action,
            fields,
            dims_locked: extra.dims_locked,
            rows,
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
            waves: extra.waves,
            wave_form: extra
                .wave_form
                .unwrap_or_else(|| (String::new(), String::new(), String::new())),
            now: show_instant(crate::store::now()),
            wave_errors: extra.wave_errors,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn new(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    page(
        &ctx,
        StatusCode::OK,
        None,
        survey_fields(None),
        Errors::default(),
        Extra::default(),
        None,
    )
}

/// The survey's waves for the page, and whether its dimensions are fixed by responses.
fn extra_of(
    ctx: &Ctx,
    conn: &mut crate::store::AnyConnection,
    id: SurveyId,
) -> Result<(app::SurveyFull, Extra), AppError> {
    let full = app::get_survey(conn, id)?;
    let teams = app::list_teams(conn, None)?;
    let mut waves = Vec::new();
    let mut responses = 0;
    for w in &full.2 {
        let o = crate::app::console::wave_overview(conn, w.clone(), &teams)?;
        responses += o.responses;
        waves.push(o);
    }
    let views = waves.iter().map(|w| wave_view_short(ctx, w)).collect();
    Ok((
        full,
        Extra {
            waves: views,
            dims_locked: responses > 0,
            ..Extra::default()
        },
    ))
}

fn wave_view_short(ctx: &Ctx, w: &crate::app::console::WaveOverview) -> WaveView {
    super::overview::wave_view(ctx, w)
}

#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    q: web::Query<Done>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = path.into_inner();
    let ctx2 = Ctx {
        lang: ctx.lang,
        t: ctx.t,
        who: ctx.who.clone(),
    };
    match db(&state, move |conn| extra_of(&ctx2, conn, id)).await {
        Ok((full, extra)) => {
            let notice = q.done.is_some().then_some(ctx.t.saved);
            page(
                &ctx,
                StatusCode::OK,
                Some(id),
                survey_fields(Some(&full)),
                Errors::default(),
                extra,
                notice,
            )
        }
        Err(e) => failed(&ctx, &e),
    }
}

#[tracing::instrument(skip_all)]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let result = match read_form(&f, true) {
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
            db(&state, move |conn| app::create_survey(conn, &req)).await
        }
    };
    match result {
        Ok((s, _)) => redirect(&format!(
            "/admin/surveys/{}?{}&done=saved#waves",
            s.id,
            ctx.q()
        )),
        Err(e) => match form_errors(ctx.lang, &f, &e) {
            Some(errors) => page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                f,
                errors,
                Extra::default(),
                None,
            ),
            None => failed(&ctx, &e),
        },
    }
}

#[tracing::instrument(skip_all)]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let id = path.into_inner();
    // A form without the dimension editor (the survey has responses) leaves them alone.
    let with_dims = f.0.iter().any(|(k, _)| k == "template");
    let result = match read_form(&f, with_dims) {
        Err(e) => Err(e),
        Ok(u) => db(&state, move |conn| survey_edit::update_survey(conn, id, &u)).await,
    };
    match result {
        Ok(_) => {
            state.cache.forget(id);
            redirect(&format!("/admin/surveys/{id}?{}&done=saved", ctx.q()))
        }
        Err(e) => match form_errors(ctx.lang, &f, &e) {
            Some(errors) => {
                let ctx2 = Ctx {
                    lang: ctx.lang,
                    t: ctx.t,
                    who: ctx.who.clone(),
                };
                let extra = db(&state, move |conn| extra_of(&ctx2, conn, id))
                    .await
                    .map(|(_, x)| x)
                    .unwrap_or_default();
                let status = if e.is_conflict() {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                page(&ctx, status, Some(id), f, errors, extra, None)
            }
            None => failed(&ctx, &e),
        },
    }
}

#[derive(serde::Deserialize)]
pub struct PreviewQuery {
    audience: Option<String>,
}

/// Both questionnaires as respondents see them, without a token (nothing can be sent).
#[tracing::instrument(skip_all)]
pub async fn preview(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<SurveyId>,
    q: web::Query<PreviewQuery>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = path.into_inner();
    let audience = match q
        .audience
        .as_deref()
        .map(|a| Audience::parse_field(a, "audience"))
    {
        None => Audience::Customer,
        Some(Ok(a)) => a,
        Some(Err(e)) => return failed(&ctx, &AppError::from(e)),
    };
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
                ctx.lang,
            ),
        ),
        Err(e) => failed(&ctx, &e),
    }
}

/// The wave form on the survey page: a new wave, then its own page.
pub async fn create_wave(
    state: &AppState,
    ctx: &Ctx,
    survey_id: SurveyId,
    f: &Fields,
) -> HttpResponse {
    let body = CreateWave {
        name: f.get("name"),
        opens_at: match f.opt("opens_at") {
            Some(o) => form_instant(&o),
            None => chrono::Utc::now().to_rfc3339(),
        },
        closes_at: f.opt("closes_at").map(|c| form_instant(&c)),
    };
    match db(state, move |conn| app::create_wave(conn, survey_id, &body)).await {
        Ok(w) => redirect(&format!(
            "/admin/surveys/{survey_id}/waves/{}?{}#links",
            w.id,
            ctx.q()
        )),
        Err(e) => match Errors::from_error(ctx.lang, &e) {
            Some(wave_errors) => {
                let ctx2 = Ctx {
                    lang: ctx.lang,
                    t: ctx.t,
                    who: ctx.who.clone(),
                };
                match db(state, move |conn| extra_of(&ctx2, conn, survey_id)).await {
                    Ok((full, mut extra)) => {
                        extra.wave_form =
                            Some((f.get("name"), f.get("opens_at"), f.get("closes_at")));
                        extra.wave_errors = wave_errors;
                        page(
                            ctx,
                            StatusCode::UNPROCESSABLE_ENTITY,
                            Some(survey_id),
                            survey_fields(Some(&full)),
                            Errors::default(),
                            extra,
                            None,
                        )
                    }
                    Err(e) => failed(ctx, &e),
                }
            }
            None => failed(ctx, &e),
        },
    }
}
