//! Rights over time: every period in which an e-mail address held a role and a team, and the
//! team results of a wave withheld from a team lead by that history (SPEC "Anonymity and
//! publication", revision 3). Kept per address; never pruned and not deleted with the user
//! (it is not the audit log: it decides what a lead may read).

use diesel::prelude::*;

use super::schema::{assignment_periods, withheld_results};
use super::AnyConnection;
use crate::domain::{Cell, Role, TeamId, WaveId};

/// One period: a role (and a team for a team lead) from `from_at` until `to_at` (open: now).
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Period {
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub from_at: chrono::NaiveDateTime,
    pub to_at: Option<chrono::NaiveDateTime>,
}

impl Period {
    /// Whether the period overlaps the time from `since` until `now`.
    pub fn overlaps(&self, since: chrono::NaiveDateTime, now: chrono::NaiveDateTime) -> bool {
        self.from_at <= now && self.to_at.is_none_or(|t| t > since)
    }
}

/// Every period of an address, oldest first.
pub fn periods(conn: &mut AnyConnection, email: &str) -> QueryResult<Vec<Period>> {
    assignment_periods::table
        .filter(assignment_periods::email.eq(email))
        .order(assignment_periods::id.asc())
        .select((
            assignment_periods::role,
            assignment_periods::team_id,
            assignment_periods::from_at,
            assignment_periods::to_at,
        ))
        .load(conn)
}

/// Records the role and teams an address holds from `now` on: open periods that no longer
/// hold are closed, new ones opened. Call inside the transaction that changes the user.
pub fn record(
    conn: &mut AnyConnection,
    email: &str,
    role: Role,
    teams: &[TeamId],
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    let wanted: Vec<(Role, Option<TeamId>)> = match role {
        Role::Admin => vec![(Role::Admin, None)],
        Role::TeamLead => teams.iter().map(|t| (Role::TeamLead, Some(*t))).collect(),
    };
    let open: Vec<(i64, Role, Option<TeamId>)> = assignment_periods::table
        .filter(assignment_periods::email.eq(email))
        .filter(assignment_periods::to_at.is_null())
        .select((
            assignment_periods::id,
            assignment_periods::role,
            assignment_periods::team_id,
        ))
        .load(conn)?;
    for (id, r, t) in &open {
        if !wanted.contains(&(*r, *t)) {
            diesel::update(assignment_periods::table.find(id))
                .set(assignment_periods::to_at.eq(now))
                .execute(conn)?;
        }
    }
    for (r, t) in wanted {
        if !open.iter().any(|(_, or, ot)| (*or, *ot) == (r, t)) {
            diesel::insert_into(assignment_periods::table)
                .values((
                    assignment_periods::email.eq(email),
                    assignment_periods::role.eq(r),
                    assignment_periods::team_id.eq(t),
                    assignment_periods::from_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Closes every open period of an address (the user is deleted; the history stays).
pub fn close_all(
    conn: &mut AnyConnection,
    email: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        assignment_periods::table
            .filter(assignment_periods::email.eq(email))
            .filter(assignment_periods::to_at.is_null()),
    )
    .set(assignment_periods::to_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// The team results withheld from an address.
pub fn withheld(conn: &mut AnyConnection, email: &str) -> QueryResult<Vec<Cell>> {
    let rows: Vec<(TeamId, WaveId)> = withheld_results::table
        .filter(withheld_results::email.eq(email))
        .select((withheld_results::team_id, withheld_results::wave_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(team, wave)| Cell { team, wave })
        .collect())
}

/// Withholds a team's results of a wave from an address (kept if it already is).
pub fn withhold(
    conn: &mut AnyConnection,
    email: &str,
    cell: Cell,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    let exists: i64 = withheld_results::table
        .filter(withheld_results::email.eq(email))
        .filter(withheld_results::team_id.eq(cell.team))
        .filter(withheld_results::wave_id.eq(cell.wave))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(withheld_results::table)
            .values((
                withheld_results::email.eq(email),
                withheld_results::team_id.eq(cell.team),
                withheld_results::wave_id.eq(cell.wave),
                withheld_results::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
