//! The report page: the comparison of one scope with its charts, actions and comments.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::session::{error_page, page_user};
use super::view::{
    action_rows, dim_row, notes_text, options, other, respondents_text, scope_query, ActionRow,
    DimRow, Opt, ScopeQuery,
};
use super::{lang_of, render};
use crate::app::accounts::Principal;
use crate::app::reports::{self, Overview};
use crate::http::{db, AppState};
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::Lang;

#[derive(askama::Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    user: String,
    csrf: String,
    survey_id: i64,
    survey_title: String,
    waves: Vec<Opt>,
    teams: Vec<Opt>,
    query: String,
    other_query: String,
    respondents: String,
    nps: String,
    rows: Vec<DimRow>,
    actions: Vec<ActionRow>,
    comments: Vec<String>,
    /// What the anonymity rules left out, in words.
    notes: Vec<String>,
    workshop_link: String,
}

/// The language, user and data of a report-like page, or the page to answer instead
/// (login redirect, 403, 404).
pub async fn load_page(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    survey_id: i64,
    scope: ScopeQuery,
) -> Result<(Lang, Principal, Overview), HttpResponse> {
    let lang = lang_of(req);
    let who = page_user(state, req).await?;
    let who2 = who.clone();
    let loaded = db(state, move |conn| {
        reports::overview(conn, &who2, survey_id, scope.wave_id, scope.team_id, lang)
    })
    .await
    .map_err(|e| error_page(lang, &e))?;
    Ok((lang, who, loaded))
}

#[tracing::instrument(skip_all)]
pub async fn report(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
    q: web::Query<ScopeQuery>,
) -> HttpResponse {
    let survey_id = path.into_inner();
    let q = q.into_inner();
    let team_id = q.team_id;
    let (lang, who, loaded) = match load_page(&state, &req, survey_id, q).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let t = app_text(lang);
    let (waves, teams) = options(&loaded, t, team_id);
    let (respondents, nps) = respondents_text(lang, t, &loaded.comparison);
    let query = scope_query(loaded.wave_id, team_id, lang);
    render(
        StatusCode::OK,
        &ReportPage {
            lang: t.lang_code,
            title: t.report,
            t,
            user: who.email.clone().unwrap_or_default(),
            csrf: who.csrf.clone().unwrap_or_default(),
            survey_id,
            survey_title: loaded.survey.title.clone(),
            waves,
            teams,
            respondents,
            nps,
            rows: loaded
                .comparison
                .dimensions
                .iter()
                .map(|d| dim_row(lang, t, d))
                .collect(),
            actions: action_rows(lang, t, &loaded),
            comments: loaded.comments.clone(),
            notes: notes_text(t, &loaded.notes),
            workshop_link: format!("/surveys/{survey_id}/workshop?{query}"),
            other_query: scope_query(loaded.wave_id, team_id, other(lang)),
            query,
        },
    )
}
