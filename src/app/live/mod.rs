//! The live workshop (SPEC "The live workshop", revision 3): a facilitator (the team lead or
//! admin who started it) opens one dimension at a time; participants guess on their phones
//! without an account; the facilitator reveals the team's guesses beside the survey's
//! prediction and the customers' score. Every state change is a row change plus a bump of the
//! session's change counter, so any instance on the same database can tell its listeners
//! (`http::live_hub` polls the counter). When the session ends, or four hours after it began,
//! its guesses are reduced to a count per dimension and deleted.

pub mod codes;
pub mod figures;
mod group;
mod snapshot;

use super::audit::{self, Action, Actor, Entry, Object, Outcome};
use crate::domain::{Scope, SurveyId, TeamId, WaveId};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::store::live::{LiveSession, NewLiveSession};
use crate::store::surveys::Dimension;
use crate::store::{self, AnyConnection};

use super::accounts::Principal;
use super::{check_team, check_wave, survey_or_404, TeamRef, WaveRef};
pub use figures::{Closing, Reveal};
pub use group::{guess_group, GuessInput};
pub use snapshot::{snapshot, state, OpenQuestion, Snapshot};

/// A session lasts at most four hours.
pub const SESSION_HOURS: i64 = 4;
/// Phones one session takes (the limit per code: a script cannot stuff a session's guesses
/// with made-up devices beyond this).
pub const MAX_PARTICIPANTS: i64 = 500;

/// Admits a device to a session once (409 `live_full` past `MAX_PARTICIPANTS`).
fn admit(conn: &mut AnyConnection, s: &LiveSession, who: &str) -> Result<(), AppError> {
    if store::live::is_participant(conn, s.id, who)? {
        return Ok(());
    }
    if store::live::participant_count(conn, s.id)? >= MAX_PARTICIPANTS {
        return Err(ErrorCode::LiveFull {
            max: MAX_PARTICIPANTS,
        }
        .into());
    }
    store::live::add_participant(conn, s.id, who)?;
    Ok(())
}

/// A session just started: the only time its code is known in clear to the server.
#[derive(Debug, Clone)]
pub struct Started {
    pub code: String,
    pub session: LiveSession,
}

/// Who may run a live session of a scope: an admin for any scope, a team lead for their own
/// teams (the organisation's workshop is an admin's).
pub fn check_may_run(who: &Principal, team_id: Option<TeamId>) -> Result<(), AppError> {
    match team_id {
        None if !who.is_admin() => Err(ErrorCode::LiveOrganisationAdminOnly.into()),
        t => who.check_team(t),
    }
}

/// Whether `who` may run a live session of this scope (the workshop page's button).
pub fn may_run(who: &Principal, team_id: Option<TeamId>) -> bool {
    check_may_run(who, team_id).is_ok()
}

/// Whether `who` is the session's facilitator: the user who started it, or the admin token for
/// a session the admin token started.
pub fn is_facilitator(who: &Principal, s: &LiveSession) -> bool {
    match s.facilitator_id {
        Some(u) => who.user_id == Some(u),
        None => who.user_id.is_none() && who.is_admin(),
    }
}

fn check_facilitator(who: &Principal, s: &LiveSession) -> Result<(), AppError> {
    if is_facilitator(who, s) {
        Ok(())
    } else {
        Err(ErrorCode::LiveNotFacilitator.into())
    }
}

/// Starts a live session on a closed wave (409 while it is open).
#[tracing::instrument(skip(conn, who))]
pub fn start(
    conn: &mut AnyConnection,
    who: &Principal,
    survey_id: SurveyId,
    wave_id: WaveId,
    team_id: Option<TeamId>,
) -> Result<Started, AppError> {
    check_may_run(who, team_id)?;
    survey_or_404(conn, survey_id)?;
    check_wave(conn, survey_id, wave_id, WaveRef::Field)?;
    if let Some(t) = team_id {
        check_team(conn, t, TeamRef::Field("team_id"))?;
    }
    let now = store::now();
    let wave = store::surveys::find_wave(conn, wave_id)?.ok_or(ErrorCode::WaveNotFound {
        wave: wave_id.get(),
    })?;
    if !super::disclosure::is_closed(&wave, now) {
        return Err(ErrorCode::LiveWaveOpen { wave: wave.name }.into());
    }
    // A code already taken (by any session, ever) is drawn again.
    for _ in 0..8 {
        let code = codes::new_code()?;
        let new = NewLiveSession {
            code_hash: codes::hash(&code),
            survey_id,
            wave_id,
            team_id,
            facilitator_id: who.user_id,
            version: 0,
            created_at: now,
            expires_at: now + chrono::Duration::hours(SESSION_HOURS),
        };
        // The session and its audit entry in one transaction; a code already taken is drawn
        // again.
        enum Fail {
            Taken,
            App(AppError),
        }
        impl From<diesel::result::Error> for Fail {
            fn from(e: diesel::result::Error) -> Fail {
                if store::live::is_unique_violation(&e) {
                    Fail::Taken
                } else {
                    Fail::App(e.into())
                }
            }
        }
        let started = store::write_tx(conn, |conn| {
            let session = store::live::insert(conn, &new)?;
            let about = Object::id("live_session", session.id.get()).detail(match team_id {
                Some(t) => format!("survey {survey_id}, wave {wave_id}, team {t}"),
                None => format!("survey {survey_id}, wave {wave_id}, organisation"),
            });
            audit::record(
                conn,
                &Entry::new(Actor::of(who), Action::LiveStarted, about, Outcome::Ok),
            )
            .map_err(Fail::App)?;
            Ok::<_, Fail>(session)
        });
        match started {
            Ok(session) => {
                tracing::info!(session = session.id.get(), "live session started");
                return Ok(Started { code, session });
            }
            Err(Fail::Taken) => continue,
            Err(Fail::App(e)) => return Err(e),
        }
    }
    Err(AppError::internal(anyhow::anyhow!("no free live code")))
}

/// Who looks a code up.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caller<'a> {
    /// The per-device cookie of a phone.
    pub device: Option<&'a str>,
    /// A signed-in user or the admin token.
    pub who: Option<&'a Principal>,
}

impl<'a> Caller<'a> {
    /// A phone, by its per-device cookie.
    pub fn device(device: &'a str) -> Self {
        Caller {
            device: Some(device),
            who: None,
        }
    }
}

/// The running session `who` steers: looked up as [`lookup`] does, then 403 for anyone but
/// its facilitator and 409 once it ended.
fn steered(conn: &mut AnyConnection, who: &Principal, code: &str) -> Result<LiveSession, AppError> {
    let by = Caller {
        device: None,
        who: Some(who),
    };
    let s = lookup(conn, code, by)?;
    check_facilitator(who, &s)?;
    check_running(&s)?;
    Ok(s)
}

/// The participant id stored for a device (its hash: the cookie itself is never stored).
pub(super) fn participant(device: &str) -> String {
    store::invitations::hash_token(&format!("live-device:{device}"))
}

/// Looks a code up under the guessing limits (see `codes`); ends a session found past its
/// four hours. 404 for an unknown code, 429 over a limit.
#[tracing::instrument(skip_all)]
pub fn lookup(conn: &mut AnyConnection, code: &str, by: Caller) -> Result<LiveSession, AppError> {
    let Some(code) = codes::normalise(code) else {
        return Err(ErrorCode::LiveNotFound.into());
    };
    codes::check_device(conn, by.device)?;
    let found = store::live::find_by_code(conn, &codes::hash(&code))?;
    if let Some(refused) = codes::total_exceeded(conn)? {
        let known = match (&found, by.device, by.who) {
            (Some(s), _, Some(who)) if is_facilitator(who, s) => true,
            (Some(s), Some(d), _) => store::live::is_participant(conn, s.id, &participant(d))?,
            _ => false,
        };
        if !known {
            return Err(refused);
        }
    }
    let Some(mut session) = found else {
        codes::count_failure(conn, by.device)?;
        return Err(ErrorCode::LiveNotFound.into());
    };
    if session.ended_at.is_none() && store::now() >= session.expires_at {
        end_expired(conn, &session)?;
        session = store::live::find(conn, session.id)?.unwrap_or(session);
    }
    Ok(session)
}

pub(super) fn check_running(s: &LiveSession) -> Result<(), AppError> {
    if s.is_over(store::now()) {
        Err(ErrorCode::LiveEnded.into())
    } else {
        Ok(())
    }
}

/// Ends a session past its four hours (nothing to show anyone: no closing view).
pub(super) fn end_expired(conn: &mut AnyConnection, s: &LiveSession) -> Result<(), AppError> {
    let now = store::now();
    store::write_tx(conn, |conn| {
        // Another instance may have ended it in the meantime.
        match store::live::find(conn, s.id)? {
            Some(current) if current.ended_at.is_none() => store::live::end(conn, s.id, now),
            _ => Ok(()),
        }
    })?;
    tracing::info!(session = s.id.get(), "live session expired");
    Ok(())
}

/// Ends every session past its four hours; returns how many (the hub calls it every few
/// seconds, so their guesses are gone within a minute).
pub fn sweep(conn: &mut AnyConnection) -> Result<usize, AppError> {
    let now = store::now();
    let ids = store::live::expired_running(conn, now)?;
    for id in &ids {
        if let Some(s) = store::live::find(conn, *id)? {
            end_expired(conn, &s)?;
        }
    }
    Ok(ids.len())
}

/// A dimension of the session's survey (422 naming `dimension_key` otherwise).
fn dimension<'d>(dims: &'d [Dimension], key: &str) -> Result<&'d Dimension, AppError> {
    dims.iter().find(|d| d.key == key).ok_or_else(|| {
        AppError::at(
            "dimension_key",
            ErrorCode::UnknownDimension {
                key: key.to_string(),
            },
        )
    })
}

/// Opens a dimension for guesses (closing the previous question). A revealed dimension does
/// not open again: a second round of guesses would subtract from the first.
#[tracing::instrument(skip(conn, who))]
pub fn open(
    conn: &mut AnyConnection,
    who: &Principal,
    code: &str,
    key: &str,
) -> Result<LiveSession, AppError> {
    let s = steered(conn, who, code)?;
    let dims = store::surveys::dimensions_of(conn, s.survey_id)?;
    let d = dimension(&dims, key)?;
    store::write_tx(conn, |conn| {
        let revealed = store::live::reveals(conn, s.id)?;
        if revealed.iter().any(|(k, _)| *k == d.key) {
            return Err(ErrorCode::LiveAlreadyRevealed { key: d.key.clone() }.into());
        }
        store::live::set_open(conn, s.id, Some(&d.key))?;
        Ok::<(), AppError>(())
    })?;
    Ok(store::live::find(conn, s.id)?.unwrap_or(s))
}

/// A participant's guess on the open dimension (409 when that dimension is not open; 422 for
/// a value outside the scale). A second guess replaces the first. `http::live_hub` runs the
/// guesses that arrive together in one transaction (one commit for the group).
#[tracing::instrument(skip(conn, device))]
pub fn guess(
    conn: &mut AnyConnection,
    code: &str,
    device: &str,
    key: &str,
    value: i64,
) -> Result<LiveSession, AppError> {
    let s = lookup(conn, code, Caller::device(device))?;
    check_running(&s)?;
    let survey = survey_or_404(conn, s.survey_id)?;
    let in_scale = i32::try_from(value)
        .ok()
        .filter(|v| (survey.scale_min..=survey.scale_max).contains(v));
    let Some(value) = in_scale else {
        return Err(AppError::at(
            "value",
            ErrorCode::OutsideScale {
                value,
                min: survey.scale_min,
                max: survey.scale_max,
            },
        ));
    };
    let who = participant(device);
    store::write_tx(conn, |conn| {
        // The open question is read inside the transaction: a guess never lands after its
        // question was closed or revealed.
        let current = store::live::find(conn, s.id)?;
        let open = current.as_ref().and_then(|c| c.open_key.clone());
        if open.as_deref() != Some(key) || current.is_none_or(|c| c.ended_at.is_some()) {
            return Err(ErrorCode::LiveQuestionNotOpen {
                key: key.to_string(),
            }
            .into());
        }
        admit(conn, &s, &who)?;
        // No bump of the change counter: listeners see the number of guesses move (a bump
        // would make every guess wait for the session row's lock).
        store::live::put_guess(conn, s.id, key, &who, value)?;
        Ok::<(), AppError>(())
    })?;
    Ok(s)
}

/// Remembers a phone that opened the join page (it may then pass the total guessing limit).
pub fn join(conn: &mut AnyConnection, code: &str, device: &str) -> Result<LiveSession, AppError> {
    let s = lookup(conn, code, Caller::device(device))?;
    if !s.is_over(store::now()) {
        store::write_tx(conn, |conn| admit(conn, &s, &participant(device)))?;
    }
    Ok(s)
}

/// The reveal of a dimension: the guesses (closing its question), the survey's prediction and
/// the customers' score from the comparison report as the facilitator may read it. A second
/// reveal of the same dimension gives the first one again.
#[tracing::instrument(skip(conn, who))]
pub fn reveal(
    conn: &mut AnyConnection,
    who: &Principal,
    code: &str,
    key: &str,
    lang: Lang,
) -> Result<(LiveSession, Reveal), AppError> {
    let s = steered(conn, who, code)?;
    let dims = store::surveys::dimensions_of(conn, s.survey_id)?;
    let d = dimension(&dims, key)?.clone();
    let survey = survey_or_404(conn, s.survey_id)?;
    let report = super::reports::comparison(conn, who, scope(&s), lang)?;
    let row = report.dimensions.iter().find(|r| r.key == d.key);
    let reveal = store::write_tx(conn, |conn| {
        let done = store::live::reveals(conn, s.id)?;
        if let Some((_, body)) = done.iter().find(|(k, _)| *k == d.key) {
            return parse(body);
        }
        let values = store::live::guesses_on(conn, s.id, &d.key)?;
        let reveal = figures::reveal(&d.key, &values, survey.scale_min, survey.scale_max, row);
        let body = serde_json::to_string(&reveal).map_err(AppError::internal)?;
        let position = i32::try_from(done.len()).unwrap_or(i32::MAX);
        store::live::insert_reveal(conn, s.id, &d.key, position, &body)?;
        let current = store::live::find(conn, s.id)?;
        if current.and_then(|c| c.open_key).as_deref() == Some(d.key.as_str()) {
            store::live::set_open(conn, s.id, None)?;
        } else {
            store::live::bump(conn, s.id)?;
        }
        Ok::<Reveal, AppError>(reveal)
    })?;
    Ok((s, reveal))
}

pub(super) fn parse(body: &str) -> Result<Reveal, AppError> {
    serde_json::from_str(body).map_err(AppError::internal)
}

pub(super) fn scope(s: &LiveSession) -> Scope {
    Scope::new(s.survey_id, Some(s.wave_id), s.team_id)
}

/// Ends the session: the closing view first (from the reveals, with the report's knowledge
/// figures), then the guesses become counts per dimension and are deleted.
#[tracing::instrument(skip(conn, who))]
pub fn end(
    conn: &mut AnyConnection,
    who: &Principal,
    code: &str,
    lang: Lang,
) -> Result<(crate::domain::LiveSessionId, Closing), AppError> {
    let s = steered(conn, who, code)?;
    let closing = closing_of(conn, who, &s, lang)?;
    store::write_tx(conn, |conn| {
        match store::live::find(conn, s.id)? {
            Some(c) if c.ended_at.is_none() => store::live::end(conn, s.id, store::now())?,
            _ => return Err(AppError::from(ErrorCode::LiveEnded)),
        }
        audit::record(
            conn,
            &Entry::new(
                Actor::of(who),
                Action::LiveEnded,
                Object::id("live_session", s.id.get()),
                Outcome::Ok,
            ),
        )?;
        Ok(())
    })?;
    tracing::info!(session = s.id.get(), "live session ended");
    Ok((s.id, closing))
}

pub(super) fn closing_of(
    conn: &mut AnyConnection,
    who: &Principal,
    s: &LiveSession,
    lang: Lang,
) -> Result<Closing, AppError> {
    let reveals = store::live::reveals(conn, s.id)?
        .iter()
        .map(|(_, b)| parse(b))
        .collect::<Result<Vec<_>, _>>()?;
    let report = super::reports::comparison(conn, who, scope(s), lang)?;
    Ok(figures::closing(&reveals, report.knowledge.map(|k| *k)))
}
