//! The dashboard: surveys, waves, response counts and rates per scope.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::session::{error_page, page_user};
use super::{lang_of, render};
use crate::app::reports::{self, ScopeCounts};
use crate::domain::{SurveyId, TeamId, WaveId};
use crate::http::{db, AppState};
use crate::i18n::format::number as num;
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::Lang;

pub struct WaveRow {
    pub survey_id: SurveyId,
    pub wave_id: WaveId,
    pub wave: String,
    pub team_id: Option<TeamId>,
    pub team: String,
    pub employees: String,
    pub customers: String,
    pub rate: String,
    /// Said when a group of this scope is too small to be shown or summed.
    pub note: String,
}

pub struct SurveyBlock {
    pub id: SurveyId,
    pub title: String,
    pub rows: Vec<WaveRow>,
}

#[derive(askama::Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a AppText,
    user: String,
    csrf: String,
    surveys: Vec<SurveyBlock>,
    /// Admins get the way into the console (and, with no survey yet, the first step).
    console: Option<&'a crate::i18n::console::ConsoleText>,
}

/// Used personal invitations over personal invitations: team-link uses are in neither.
fn rate(lang: Lang, answered: i64, invited: i64) -> String {
    match crate::app::invitations::rate(answered, invited) {
        None => "—".into(),
        Some(r) => format!("{}%", num(lang, 100.0 * r, 0)),
    }
}

fn wave_row(lang: Lang, t: &AppText, min: i64, r: &ScopeCounts) -> WaveRow {
    let (e, ie, c, ic) = (
        r.employees,
        r.employees_invited,
        r.customers,
        r.customers_invited,
    );
    let (ae, ac) = (r.employees_answered, r.customers_answered);
    WaveRow {
        survey_id: r.wave.survey_id,
        wave_id: r.wave.id,
        wave: r.wave.name.clone(),
        team_id: r.team.as_ref().map(|t| t.id),
        team: r
            .team
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_else(|| t.whole_organisation.to_string()),
        employees: format!("{e} / {ie}"),
        customers: format!("{c} / {ic}"),
        rate: format!("{} · {}", rate(lang, ae, ie), rate(lang, ac, ic)),
        note: if r.team.is_some() && [e, c].iter().any(|n| (1..min).contains(n)) {
            t.too_few.to_string()
        } else {
            String::new()
        },
    }
}

#[tracing::instrument(skip_all)]
pub async fn dashboard(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let lang = lang_of(&req);
    let who = match page_user(&state, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let t = app_text(lang);
    let who2 = who.clone();
    let result = db(&state, move |conn| reports::response_counts(conn, &who2))
        .await
        .map(|surveys| {
            surveys
                .into_iter()
                .map(|(s, rows)| SurveyBlock {
                    id: s.id,
                    title: s.title,
                    rows: rows
                        .iter()
                        .map(|r| wave_row(lang, t, i64::from(s.min_group_size), r))
                        .collect(),
                })
                .collect::<Vec<_>>()
        });
    match result {
        Ok(surveys) => render(
            StatusCode::OK,
            &DashboardPage {
                lang: t.lang_code,
                title: t.dashboard,
                t,
                user: who.email.clone().unwrap_or_default(),
                csrf: who.csrf.clone().unwrap_or_default(),
                surveys,
                console: who
                    .is_admin()
                    .then(|| crate::i18n::console::console_text(lang)),
            },
        ),
        Err(e) => error_page(lang, &e),
    }
}
