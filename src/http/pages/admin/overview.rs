//! /admin: every survey with its waves (status, dates, responses and rates per team and
//! audience) and the next step to take.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{admin, failed, percent, show_instant, Ctx, Errors};
use crate::app::console::{self, NextStep, WaveOverview, WaveStatus};
use crate::domain::{Audience, SurveyId, TeamId, WaveId};
use crate::http::pages::render;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;

pub struct RowView {
    pub team_id: TeamId,
    pub team: String,
    pub audience: &'static str,
    pub audience_key: &'static str,
    pub responses: i64,
    pub invited: i64,
    pub answered: i64,
    pub rate: String,
    pub link_uses: i64,
}

pub struct WaveView {
    pub id: WaveId,
    pub name: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub opens: String,
    pub closes: String,
    pub responses: i64,
    pub rows: Vec<RowView>,
}

pub fn audience_name(t: &ConsoleText, a: Audience) -> &'static str {
    match a {
        Audience::Employee => t.employees,
        Audience::Customer => t.customers,
    }
}

pub fn status_name(t: &ConsoleText, s: WaveStatus) -> (&'static str, &'static str) {
    match s {
        WaveStatus::NotOpen => (t.status_not_open, "not-open"),
        WaveStatus::Open => (t.status_open, "open"),
        WaveStatus::Closed => (t.status_closed, "closed"),
    }
}

pub fn wave_view(ctx: &Ctx, w: &WaveOverview) -> WaveView {
    let (status, status_class) = status_name(ctx.t, w.status);
    WaveView {
        id: w.wave.id,
        name: w.wave.name.clone(),
        status,
        status_class,
        opens: show_instant(w.wave.opens_at),
        closes: w
            .wave
            .closes_at
            .map(show_instant)
            .unwrap_or_else(|| ctx.t.no_end.to_string()),
        responses: w.responses,
        rows: w
            .rows
            .iter()
            .map(|r| RowView {
                team_id: r.team_id,
                team: r.team.clone(),
                audience: audience_name(ctx.t, r.audience),
                audience_key: r.audience.as_str(),
                responses: r.responses,
                invited: r.invited,
                answered: r.answered,
                rate: percent(ctx.lang, r.rate),
                link_uses: r.link_uses,
            })
            .collect(),
    }
}

pub struct SurveyView {
    pub id: SurveyId,
    pub title: String,
    pub waves: Vec<WaveView>,
}

#[derive(askama::Template)]
#[template(path = "admin/overview.html")]
struct OverviewPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a ConsoleText,
    user: String,
    csrf: String,
    notice: Option<&'a str>,
    errors: Errors,
    next_text: &'a str,
    next_href: String,
    public_url: Option<String>,
    team_count: usize,
    surveys: Vec<SurveyView>,
}

fn next(ctx: &Ctx, step: NextStep) -> (&'static str, String) {
    let (t, q) = (ctx.t, ctx.q());
    match step {
        NextStep::Teams => (t.step_teams, format!("/admin/teams?{q}")),
        NextStep::Survey => (t.step_survey, format!("/admin/surveys/new?{q}")),
        NextStep::Wave { survey_id } => {
            (t.step_wave, format!("/admin/surveys/{survey_id}?{q}#waves"))
        }
        NextStep::Links { survey_id, wave_id } => (
            t.step_links,
            format!("/admin/surveys/{survey_id}/waves/{wave_id}?{q}#links"),
        ),
        NextStep::Wait { survey_id, wave_id } => (
            t.step_wait,
            format!("/admin/surveys/{survey_id}/waves/{wave_id}?{q}#monitor"),
        ),
        NextStep::Report { survey_id, wave_id } => (
            t.step_report,
            format!("/surveys/{survey_id}?wave_id={wave_id}&{q}"),
        ),
    }
}

#[tracing::instrument(skip_all)]
pub async fn show(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let o = match db(&state, console::overview).await {
        Ok(o) => o,
        Err(e) => return failed(&ctx, &e),
    };
    let (next_text, next_href) = next(&ctx, o.next);
    let surveys = o
        .surveys
        .iter()
        .map(|s| SurveyView {
            id: s.survey.id,
            title: s.survey.title.clone(),
            waves: s.waves.iter().map(|w| wave_view(&ctx, w)).collect(),
        })
        .collect();
    render(
        StatusCode::OK,
        &OverviewPage {
            lang: ctx.t.lang_code,
            title: ctx.t.overview_title,
            t: ctx.t,
            user: ctx.user(),
            csrf: ctx.csrf(),
            notice: None,
            errors: Errors::default(),
            next_text,
            next_href,
            public_url: state.settings.public_url.clone(),
            team_count: o.teams.len(),
            surveys,
        },
    )
}
