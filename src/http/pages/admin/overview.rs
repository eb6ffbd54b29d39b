//! /admin: every survey with its waves, newest first (status, dates in Dutch time, responses
//! and rates per team and audience) and the next step to take.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{percent, Admin, Head};
use crate::app::console::{self, NextStep, WaveOverview, WaveStatus};
use crate::domain::{Audience, SurveyId, TeamId, WaveId};
use crate::http::pages::render;
use crate::http::{db, AppState};
use crate::i18n::console::{count_of, ConsoleText};
use crate::i18n::console_time;

pub struct RowView {
    pub team_id: TeamId,
    pub team: String,
    pub audience: &'static str,
    pub audience_key: &'static str,
    pub responses: i64,
    pub invited: i64,
    pub answered: i64,
    pub failed: i64,
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
    /// "3 medewerkers · 1 klant".
    pub split: String,
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

pub fn wave_view(admin: &Admin, w: &WaveOverview) -> WaveView {
    let t = admin.t;
    let (status, status_class) = status_name(t, w.status);
    let by = |a: Audience| -> i64 {
        w.rows
            .iter()
            .filter(|r| r.audience == a)
            .map(|r| r.responses)
            .sum()
    };
    WaveView {
        id: w.wave.id,
        name: w.wave.name.clone(),
        status,
        status_class,
        opens: console_time::show(w.wave.opens_at),
        closes: w
            .wave
            .closes_at
            .map(console_time::show)
            .unwrap_or_else(|| t.no_end.to_string()),
        responses: w.responses,
        split: format!(
            "{} · {}",
            count_of(t.employee_count, by(Audience::Employee)),
            count_of(t.customer_count, by(Audience::Customer))
        ),
        rows: w
            .rows
            .iter()
            .map(|r| RowView {
                team_id: r.team_id,
                team: r.team.clone(),
                audience: audience_name(t, r.audience),
                audience_key: r.audience.as_str(),
                responses: r.responses,
                invited: r.invited,
                answered: r.answered,
                failed: r.failed,
                rate: percent(admin.lang, r.rate),
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
    h: Head,
    t: &'a ConsoleText,
    next_text: &'a str,
    next_href: String,
    public_url: Option<String>,
    team_count: String,
    surveys: Vec<SurveyView>,
}

fn next(admin: &Admin, step: NextStep) -> (&'static str, String) {
    let (t, q) = (admin.t, admin.q());
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
pub async fn show(state: web::Data<AppState>, admin: Admin) -> HttpResponse {
    let o = match db(&state, console::overview).await {
        Ok(o) => o,
        Err(e) => return admin.failed(&e),
    };
    let (next_text, next_href) = next(&admin, o.next);
    // Newest first: the survey and the wave a researcher works on now stand on top.
    let surveys = o
        .surveys
        .iter()
        .rev()
        .map(|s| SurveyView {
            id: s.survey.id,
            title: s.survey.title.clone(),
            waves: s.waves.iter().rev().map(|w| wave_view(&admin, w)).collect(),
        })
        .collect();
    render(
        StatusCode::OK,
        &OverviewPage {
            h: admin.head(admin.t.overview_title, "/admin"),
            t: admin.t,
            next_text,
            next_href,
            public_url: state.settings.public_url.clone(),
            team_count: count_of(admin.t.team_count, o.teams.len() as i64),
            surveys,
        },
    )
}
