//! /admin: every survey with its waves, newest first (status, dates in Dutch time, responses
//! and rates per team and audience) and the next step to take.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::{percent, Admin, Head};
use crate::app::console::{self, NextStep, WaveOverview, WaveStatus};
use crate::domain::{Audience, SurveyId, WaveId};
use crate::http::pages::render;
use crate::http::{db, AppState};
use crate::i18n::console::{count_of, ConsoleText};
use crate::i18n::console_time;
use crate::i18n::Lang;

/// A wave as the console shows it: the overview from `app` and the words for it.
pub struct WaveView {
    pub o: WaveOverview,
    t: &'static ConsoleText,
    lang: Lang,
}

impl WaveView {
    pub fn id(&self) -> WaveId {
        self.o.wave.id
    }
    pub fn name(&self) -> &str {
        &self.o.wave.name
    }
    pub fn status(&self) -> &'static str {
        status_name(self.t, self.o.status).0
    }
    pub fn status_class(&self) -> &'static str {
        status_name(self.t, self.o.status).1
    }
    pub fn opens(&self) -> String {
        console_time::show(self.o.wave.opens_at)
    }
    pub fn closes(&self) -> String {
        let t = self.t;
        self.o
            .wave
            .closes_at
            .map_or_else(|| t.no_end.to_string(), console_time::show)
    }
    /// "3 medewerkers · 1 klant".
    pub fn split(&self) -> String {
        let by = |a: Audience| -> i64 {
            self.o
                .rows
                .iter()
                .filter(|r| r.audience == a)
                .map(|r| r.responses)
                .sum()
        };
        let (e, c) = (by(Audience::Employee), by(Audience::Customer));
        format!(
            "{} · {}",
            count_of(self.t.employee_count, e),
            count_of(self.t.customer_count, c)
        )
    }
    pub fn audience(&self, a: &Audience) -> &'static str {
        audience_name(self.t, *a)
    }
    pub fn rate(&self, r: &Option<f64>) -> String {
        percent(self.lang, *r)
    }
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
    WaveView {
        o: w.clone(),
        t: admin.t,
        lang: admin.lang,
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
