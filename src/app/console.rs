//! What the researcher's console shows: every survey with its waves (status, dates, responses
//! and rates per team and audience) and the next step to take.

use crate::domain::{Audience, SurveyId, TeamId, WaveId};
use crate::error::AppError;
use crate::store::surveys::{Survey, Wave};
use crate::store::teams::Team;
use crate::store::{self, AnyConnection};

use super::invitations::rate;
use crate::error::ErrorCode;

/// Where a wave stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaveStatus {
    NotOpen,
    Open,
    Closed,
}

impl WaveStatus {
    pub fn of(wave: &Wave, now: chrono::NaiveDateTime) -> WaveStatus {
        if wave.closes_at.is_some_and(|c| c <= now) {
            WaveStatus::Closed
        } else if now < wave.opens_at {
            WaveStatus::NotOpen
        } else {
            WaveStatus::Open
        }
    }
}

/// One team and audience of a wave: responses, personal invitations and their rate.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorRow {
    pub team_id: TeamId,
    pub team: String,
    pub audience: Audience,
    /// Every response (personal links, team links, imports).
    pub responses: i64,
    pub invited: i64,
    pub answered: i64,
    /// answered / invited; None when nothing was invited.
    pub rate: Option<f64>,
    pub link_uses: i64,
    /// Invitations whose e-mail the server refused (not in `invited`).
    pub failed: i64,
}

/// A wave with its monitor rows (teams with invitations or responses).
#[derive(Debug, Clone, PartialEq)]
pub struct WaveOverview {
    pub wave: Wave,
    pub status: WaveStatus,
    pub rows: Vec<MonitorRow>,
    pub responses: i64,
    pub invitations: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SurveyOverview {
    pub survey: Survey,
    pub waves: Vec<WaveOverview>,
}

/// The next step of a researcher who opens the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// No teams yet.
    Teams,
    /// No survey yet.
    Survey,
    /// A survey without a wave.
    Wave { survey_id: SurveyId },
    /// A wave that is not closed and has no invitations.
    Links {
        survey_id: SurveyId,
        wave_id: WaveId,
    },
    /// An open wave with invitations.
    Wait {
        survey_id: SurveyId,
        wave_id: WaveId,
    },
    /// A closed wave: its results.
    Report {
        survey_id: SurveyId,
        wave_id: WaveId,
    },
}

pub struct Overview {
    pub teams: Vec<Team>,
    pub surveys: Vec<SurveyOverview>,
    pub next: NextStep,
}

/// The monitor of one wave: per team and audience with invitations or responses, by team
/// name then audience.
pub fn monitor(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
    teams: &[Team],
) -> Result<Vec<MonitorRow>, AppError> {
    let counts: Vec<(TeamId, Audience, i64)> = store::responses::counts_by_scope(conn, survey_id)?
        .into_iter()
        .filter(|(w, _, _, _)| *w == wave_id)
        .map(|(_, t, a, n)| (t, a, n))
        .collect();
    let uses = store::invitations::use_counts(conn, survey_id, Some(wave_id))?;
    let mut rows = Vec::new();
    for team in teams {
        for audience in [Audience::Employee, Audience::Customer] {
            let responses: i64 = counts
                .iter()
                .filter(|(t, a, _)| *t == team.id && *a == audience)
                .map(|c| c.2)
                .sum();
            let u = uses
                .iter()
                .find(|u| u.team_id == team.id && u.audience == audience);
            let (invited, answered, link_uses, failed) = u.map_or((0, 0, 0, 0), |u| {
                (u.invited, u.answered, u.link_uses, u.failed)
            });
            if responses == 0 && invited == 0 && link_uses == 0 && u.is_none() {
                continue;
            }
            rows.push(MonitorRow {
                team_id: team.id,
                team: team.name.clone(),
                audience,
                responses,
                invited,
                answered,
                rate: rate(answered, invited),
                link_uses,
                failed,
            });
        }
    }
    Ok(rows)
}

/// One wave with its monitor.
pub fn wave_overview(
    conn: &mut AnyConnection,
    wave: Wave,
    teams: &[Team],
) -> Result<WaveOverview, AppError> {
    let rows = monitor(conn, wave.survey_id, wave.id, teams)?;
    let invitations = store::invitations::list(conn, wave.survey_id, Some(wave.id))?.len() as i64;
    Ok(WaveOverview {
        status: WaveStatus::of(&wave, store::now()),
        responses: rows.iter().map(|r| r.responses).sum(),
        rows,
        invitations,
        wave,
    })
}

fn next_step(teams: &[Team], surveys: &[SurveyOverview]) -> NextStep {
    if teams.is_empty() {
        return NextStep::Teams;
    }
    let Some(latest) = surveys.last() else {
        return NextStep::Survey;
    };
    let survey_id = latest.survey.id;
    // The wave that needs attention: the latest one that is not closed, else the latest.
    let wave = latest
        .waves
        .iter()
        .rev()
        .find(|w| w.status != WaveStatus::Closed)
        .or_else(|| latest.waves.last());
    match wave {
        None => NextStep::Wave { survey_id },
        Some(w) if w.status == WaveStatus::Closed => NextStep::Report {
            survey_id,
            wave_id: w.wave.id,
        },
        Some(w) if w.invitations == 0 => NextStep::Links {
            survey_id,
            wave_id: w.wave.id,
        },
        Some(w) => NextStep::Wait {
            survey_id,
            wave_id: w.wave.id,
        },
    }
}

/// Everything the console's overview shows.
#[tracing::instrument(skip(conn))]
pub fn overview(conn: &mut AnyConnection) -> Result<Overview, AppError> {
    let teams = store::teams::list(conn, None)?;
    let mut surveys = Vec::new();
    for survey in store::surveys::list(conn)? {
        let mut waves = Vec::new();
        for wave in store::surveys::waves_of(conn, survey.id)? {
            waves.push(wave_overview(conn, wave, &teams)?);
        }
        surveys.push(SurveyOverview { survey, waves });
    }
    let next = next_step(&teams, &surveys);
    Ok(Overview {
        teams,
        surveys,
        next,
    })
}

/// One wave of a survey with its monitor, or 404.
#[tracing::instrument(skip(conn))]
pub fn wave(
    conn: &mut AnyConnection,
    survey_id: SurveyId,
    wave_id: WaveId,
) -> Result<(Survey, WaveOverview, Vec<Team>), AppError> {
    let survey = super::survey_or_404(conn, survey_id)?;
    let wave = super::wave_of(conn, survey_id, wave_id, super::WaveRef::Filter)?;
    let teams = store::teams::list(conn, None)?;
    let overview = wave_overview(conn, wave, &teams)?;
    Ok((survey, overview, teams))
}

/// One team, or 404.
pub fn team(conn: &mut AnyConnection, id: TeamId) -> Result<Team, AppError> {
    store::teams::find(conn, id)?.ok_or_else(|| ErrorCode::TeamNotFound { team: id.get() }.into())
}

/// An import file to fill in for a survey: the header (every column the survey asks for) and
/// one example row per audience; the first team's name, ratings in the middle of the scale.
pub fn import_template(conn: &mut AnyConnection, survey_id: SurveyId) -> Result<String, AppError> {
    let survey = super::survey_or_404(conn, survey_id)?;
    let dims = store::surveys::dimensions_of(conn, survey_id)?;
    let team = store::teams::list(conn, None)?
        .into_iter()
        .next()
        .map_or_else(|| "Team".to_string(), |t| t.name);
    let team = if team.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", team.replace('"', "\"\""))
    } else {
        team
    };
    let mid = (survey.scale_min + survey.scale_max + 1) / 2;
    let mut header = vec!["audience".to_string(), "team".into(), "respondent".into()];
    let (mut employee, mut customer) = (
        vec!["employee".to_string(), team.clone(), "m1".into()],
        vec!["customer".to_string(), team, "k1".into()],
    );
    if survey.ask_nps {
        header.push("nps".into());
        employee.push(String::new());
        customer.push("8".into());
    }
    header.push("comment".into());
    employee.push(String::new());
    customer.push(String::new());
    for d in &dims {
        let mut col = |name: String, e: String, c: String| {
            header.push(name);
            employee.push(e);
            customer.push(c);
        };
        col(d.key.clone(), mid.to_string(), mid.to_string());
        if survey.ask_predicted {
            col(
                format!("{}.predicted", d.key),
                mid.to_string(),
                String::new(),
            );
        }
        if survey.ask_expected {
            col(
                format!("{}.expected", d.key),
                String::new(),
                mid.to_string(),
            );
        }
        if survey.ask_importance {
            col(
                format!("{}.importance", d.key),
                String::new(),
                mid.to_string(),
            );
        }
    }
    Ok([header, employee, customer]
        .iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n")
}
