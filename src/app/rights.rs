//! Rights over time (SPEC "Anonymity and publication", revision 3): who may read what is
//! decided with every assignment a team lead has had, not only today's. This module builds a
//! reader's history for a survey from the periods the store keeps per e-mail address, and,
//! when teams are added to a lead, withholds the added team's results of the waves where the
//! lead's earlier organisation figures would single out one other team.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::accounts::Principal;
use super::disclosure::{self, History, Reader};
use crate::domain::{Cell, Role, Scope, SurveyId, TeamId, WaveId};
use crate::error::AppError;
use crate::store::{self, AnyConnection};

/// A team's results of a wave withheld from a team lead (`withheld_history` in the answer of
/// a user change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct WithheldResult {
    pub team_id: TeamId,
    pub wave_id: WaveId,
}

impl From<Cell> for WithheldResult {
    fn from(c: Cell) -> Self {
        WithheldResult {
            team_id: c.team,
            wave_id: c.wave,
        }
    }
}

/// The reader of a survey's results: an admin reads everything; a team lead with today's
/// teams and their history for this survey's waves.
pub fn reader(
    conn: &mut AnyConnection,
    who: &Principal,
    survey: SurveyId,
) -> Result<Reader, AppError> {
    if who.is_admin() {
        return Ok(Reader::admin());
    }
    let history = match who.email.as_deref() {
        Some(email) => history(conn, email, survey, store::now())?,
        None => History::default(),
    };
    Ok(Reader {
        admin: false,
        teams: who.teams.clone(),
        history,
    })
}

/// K per published wave of a survey: the teams an address could read from the wave's
/// publication until `now` (a period as admin: every team), and what is withheld from it.
pub fn history(
    conn: &mut AnyConnection,
    email: &str,
    survey: SurveyId,
    now: chrono::NaiveDateTime,
) -> Result<History, AppError> {
    let periods = store::history::periods(conn, email)?;
    let waves = store::surveys::waves_of(conn, survey)?;
    let mut h = History::default();
    for w in waves.iter().filter(|w| disclosure::is_closed(w, now)) {
        let Some(published) = w.closes_at else {
            continue;
        };
        for p in periods.iter().filter(|p| p.overlaps(published, now)) {
            match (p.role, p.team_id) {
                (Role::Admin, _) => {
                    h.all_known.insert(w.id);
                }
                (Role::TeamLead, Some(t)) => {
                    h.known.entry(w.id).or_default().insert(t);
                }
                (Role::TeamLead, None) => {}
            }
        }
    }
    let ids: BTreeSet<WaveId> = waves.iter().map(|w| w.id).collect();
    h.withheld = store::history::withheld(conn, email)?
        .into_iter()
        .filter(|c| ids.contains(&c.wave))
        .collect();
    Ok(h)
}

/// Before a team lead gets `teams`: for every published wave of every survey, the added
/// teams whose results would let the lead's earlier organisation figures single out one
/// other team are withheld from the lead (stored; the change itself goes ahead). Returns
/// what was withheld. Call inside the transaction that changes the user, before the change.
pub fn withhold_on_assignment(
    conn: &mut AnyConnection,
    email: &str,
    role: Role,
    teams: &[TeamId],
) -> Result<Vec<WithheldResult>, AppError> {
    if role != Role::TeamLead {
        return Ok(Vec::new());
    }
    let now = store::now();
    let periods = store::history::periods(conn, email)?;
    let current: BTreeSet<TeamId> = periods
        .iter()
        .filter(|p| p.to_at.is_none() && p.role == Role::TeamLead)
        .filter_map(|p| p.team_id)
        .collect();
    let added: BTreeSet<TeamId> = teams
        .iter()
        .copied()
        .filter(|t| !current.contains(t))
        .collect();
    if added.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for survey in store::surveys::list(conn)? {
        let before = history(conn, email, survey.id, now)?;
        let lead = Reader {
            admin: false,
            teams: current.iter().copied().collect(),
            history: before,
        };
        let min = survey.min_group_size.max(1) as u64;
        let comment_min = survey.comment_min_group_size.max(1) as u64;
        for w in store::surveys::waves_of(conn, survey.id)?
            .iter()
            .filter(|w| disclosure::is_closed(w, now))
        {
            // Only a lead who was one after the wave's publication can have read its figures.
            let read_before = w.closes_at.is_some_and(|published| {
                periods
                    .iter()
                    .any(|p| p.role == Role::TeamLead && p.overlaps(published, now))
            });
            if !read_before {
                continue;
            }
            let cells =
                super::reports::cells(conn, &survey, Scope::new(survey.id, Some(w.id), None))?;
            let known = |t: TeamId| {
                lead.knows(Cell {
                    team: t,
                    wave: w.id,
                })
            };
            // A team the lead could already read in this wave adds nothing.
            let fresh: BTreeSet<TeamId> = added.iter().copied().filter(|t| !known(*t)).collect();
            for team in disclosure::singled_out(&cells, w.id, min, comment_min, &known, &fresh) {
                let cell = Cell { team, wave: w.id };
                store::history::withhold(conn, email, cell, now)?;
                out.push(WithheldResult::from(cell));
            }
        }
    }
    Ok(out)
}

/// Every result withheld from an address (for the user's view).
pub fn withheld_of(conn: &mut AnyConnection, email: &str) -> Result<Vec<WithheldResult>, AppError> {
    Ok(store::history::withheld(conn, email)?
        .into_iter()
        .map(WithheldResult::from)
        .collect())
}
