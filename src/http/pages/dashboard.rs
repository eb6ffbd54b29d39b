//! The dashboard: per survey its waves, newest first, each with its status and dates, and per
//! scope the responses, the personal invitations and the response rate of employees and
//! customers, in labelled columns.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::render;
use super::session::{error_page, page_reader};
use crate::app::console::WaveStatus;
use crate::app::reports::{self, CountsView, ScopeCounts, SurveyCounts};
use crate::domain::{SurveyId, TeamId, WaveId};
use crate::http::{db, AppState};
use crate::i18n::format::number as num;
use crate::i18n::pages::{app_text, AppText};
use crate::i18n::Lang;
use crate::store::surveys::Wave;

/// One scope of a wave: the organisation or a team.
pub struct ScopeRow {
    pub team_id: Option<TeamId>,
    pub team: String,
    pub employees: Counts,
    pub customers: Counts,
    /// Said when a group of this scope is too small to be shown or summed.
    pub note: String,
}

/// Responses, personal invitations and the response rate of one audience.
pub struct Counts {
    pub answered: String,
    pub invited: String,
    pub rate: String,
}

/// A wave with its status and its scopes.
pub struct WaveBlock {
    pub survey_id: SurveyId,
    pub wave_id: WaveId,
    pub name: String,
    /// `open`, `closed` or `not-open` (the CSS class).
    pub status_class: &'static str,
    pub status: &'static str,
    /// "sluit op 31 januari 2027" and the like.
    pub dates: String,
    pub rows: Vec<ScopeRow>,
}

pub struct SurveyBlock {
    pub id: SurveyId,
    pub title: String,
    pub waves: Vec<WaveBlock>,
    /// In the overview, when a wave has more teams than it shows: "All 300 teams" (the link
    /// goes to the wave on its own).
    pub all_teams: Option<String>,
}

/// Links to the neighbouring pages, and what this page shows.
#[derive(Default)]
pub struct Pager {
    pub previous: Option<(String, &'static str)>,
    pub next: Option<(String, &'static str)>,
    /// "Teams 101–200 of 300" on a wave's own page.
    pub showing: String,
    /// The way back to the overview (a wave's own page).
    pub back: Option<String>,
}

/// `?wave_id=` shows one wave with all its teams (a page of them at a time); `?page=` pages
/// the overview's waves or the wave's teams.
#[derive(serde::Deserialize)]
pub struct DashboardQuery {
    wave_id: Option<WaveId>,
    page: Option<usize>,
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
    pager: Pager,
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

fn scope_row(lang: Lang, t: &AppText, min: i64, r: &ScopeCounts) -> ScopeRow {
    let counts = |answered: i64, invited: i64, used: i64| Counts {
        answered: answered.to_string(),
        invited: invited.to_string(),
        rate: rate(lang, used, invited),
    };
    ScopeRow {
        team_id: r.team.as_ref().map(|t| t.id),
        team: r
            .team
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_else(|| t.whole_organisation.to_string()),
        employees: counts(r.employees, r.employees_invited, r.employees_answered),
        customers: counts(r.customers, r.customers_invited, r.customers_answered),
        note: if r.team.is_some()
            && [r.employees, r.customers]
                .iter()
                .any(|n| (1..min).contains(n))
        {
            t.dashboard_small.replace("{min}", &min.to_string())
        } else {
            String::new()
        },
    }
}

/// A wave's status and the date that matters for it, in Amsterdam time.
fn status(
    lang: Lang,
    t: &AppText,
    w: &Wave,
    now: chrono::NaiveDateTime,
) -> (&'static str, &'static str, String) {
    use crate::i18n::time::date;
    match WaveStatus::of(w, now) {
        WaveStatus::NotOpen => (
            "not-open",
            t.wave_not_open,
            t.opens_on.replace("{date}", &date(lang, w.opens_at)),
        ),
        WaveStatus::Open => (
            "open",
            t.wave_open,
            match w.closes_at {
                Some(c) => t.closes_on.replace("{date}", &date(lang, c)),
                None => t.no_closing_date.to_string(),
            },
        ),
        WaveStatus::Closed => (
            "closed",
            t.wave_closed,
            w.closes_at
                .map(|c| t.closed_on.replace("{date}", &date(lang, c)))
                .unwrap_or_default(),
        ),
    }
}

/// The rows of one survey grouped by wave, the newest wave (by opening) first.
fn waves(
    lang: Lang,
    t: &AppText,
    min: i64,
    rows: &[ScopeCounts],
    now: chrono::NaiveDateTime,
) -> Vec<WaveBlock> {
    let mut out: Vec<WaveBlock> = Vec::new();
    for r in rows {
        let row = scope_row(lang, t, min, r);
        match out.iter_mut().find(|b| b.wave_id == r.wave.id) {
            Some(b) => b.rows.push(row),
            None => {
                let (status_class, status, dates) = status(lang, t, &r.wave, now);
                out.push(WaveBlock {
                    survey_id: r.wave.survey_id,
                    wave_id: r.wave.id,
                    name: r.wave.name.clone(),
                    status_class,
                    status,
                    dates,
                    rows: vec![row],
                });
            }
        }
    }
    let opens = |id: WaveId| {
        rows.iter()
            .find(|r| r.wave.id == id)
            .map(|r| (r.wave.opens_at, r.wave.id))
    };
    out.sort_by_key(|b| std::cmp::Reverse(opens(b.wave_id)));
    out
}

/// The pager of a view: the overview pages waves, a wave's page pages teams.
fn pager(t: &AppText, view: CountsView, surveys: &[SurveyCounts]) -> Pager {
    let lang = t.lang_code;
    let page = view.page.max(1);
    match view.wave {
        None => {
            let most = surveys.iter().map(|s| s.waves_total).max().unwrap_or(0);
            let href = |p: usize| format!("/dashboard?page={p}&lang={lang}");
            Pager {
                previous: (page > 1).then(|| (href(page - 1), t.dashboard_newer)),
                next: (most > page * reports::WAVES_PER_PAGE)
                    .then(|| (href(page + 1), t.dashboard_older)),
                showing: String::new(),
                back: None,
            }
        }
        Some(w) => {
            let total = surveys.first().map_or(0, |s| s.teams_total);
            let from = (page - 1) * reports::TEAMS_PER_PAGE;
            let to = (from + reports::TEAMS_PER_PAGE).min(total);
            let href = |p: usize| format!("/dashboard?wave_id={w}&page={p}&lang={lang}");
            Pager {
                previous: (page > 1).then(|| (href(page - 1), t.dashboard_previous_teams)),
                next: (total > to).then(|| (href(page + 1), t.dashboard_next_teams)),
                showing: if total > 0 {
                    t.dashboard_showing
                        .replace("{from}", &(from + 1).min(total).to_string())
                        .replace("{to}", &to.to_string())
                        .replace("{n}", &total.to_string())
                } else {
                    String::new()
                },
                back: Some(format!("/dashboard?lang={lang}")),
            }
        }
    }
}

#[tracing::instrument(skip_all)]
pub async fn dashboard(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<DashboardQuery>,
) -> HttpResponse {
    let (lang, who) = or_page!(page_reader(&state, &req).await);
    let t = app_text(lang);
    let who2 = who.clone();
    let now = crate::store::now();
    let view = CountsView {
        wave: q.wave_id,
        page: q.page.unwrap_or(1).clamp(1, 100_000),
    };
    let result = db(&state, move |conn| {
        reports::response_counts(conn, &who2, view)
    })
    .await
    .map(|surveys| {
        let pager = pager(t, view, &surveys);
        let blocks = surveys
            .into_iter()
            .map(|s| {
                let waves = waves(lang, t, i64::from(s.survey.min_group_size), &s.rows, now);
                SurveyBlock {
                    id: s.survey.id,
                    title: s.survey.title,
                    all_teams: (view.wave.is_none() && s.teams_total > reports::TEAMS_IN_OVERVIEW)
                        .then(|| {
                            t.dashboard_all_teams
                                .replace("{n}", &s.teams_total.to_string())
                        }),
                    waves,
                }
            })
            .collect::<Vec<_>>();
        (blocks, pager)
    });
    match result {
        Ok((surveys, pager)) => render(
            StatusCode::OK,
            &DashboardPage {
                pager,
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
