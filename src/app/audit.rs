//! The audit log: who did what, to which object, with what outcome (SPEC "Signing in with the
//! organisation's account, and the audit log").
//!
//! A change is recorded in the transaction that makes it ([`audited`], or [`record`] from
//! inside a `store::write_tx`): a change that rolls back leaves no entry. Refusals (401, 403,
//! 409), reads of results and exports of responses are recorded by `http::audit` after the
//! response, since nothing is written then. An entry holds names as they were (the actor's
//! e-mail, the object's name), so it reads the same after either is deleted; it never holds a
//! password, a token, a session id or a respondent's address: every `detail` is composed here
//! or by the callers from ids, counts and fixed words, never from what a request carried.

use crate::domain::UserId;
use crate::error::AppError;
use crate::store::{self, audit as rows, AnyConnection};

pub use crate::app::accounts::Principal;

mod read;
pub use read::{csv, filter, list, EntryView, ObjectView, Page, Query};

/// What the admin token is called in the log.
pub const ADMIN_TOKEN: &str = "admin-token";
/// Work nobody asked for in a request (the retention purge).
pub const SYSTEM: &str = "system";
/// Someone not signed in (a refused request, a failed sign-in for an unknown account).
pub const ANONYMOUS: &str = "anonymous";

/// Entries a reader gets per page at most, and by default.
pub const MAX_LIMIT: i64 = 1000;
pub const DEFAULT_LIMIT: i64 = 100;

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Not allowed: 401, 403, 409, a sign-in the provider's account cannot make.
    Refused,
    /// Tried and failed: a wrong password, a sign-in whose checks failed.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }
}

/// Defines [`Action`] with its name in the log, in one table.
macro_rules! actions {
    ($($variant:ident => $name:literal,)+) => {
        /// What was done. The names are what the API, the page and the CSV show.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($variant,)+
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)+
                }
            }

            pub fn parse(s: &str) -> Option<Action> {
                match s {
                    $($name => Some(Action::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

actions! {
    SignIn => "sign_in",
    SignOut => "sign_out",
    SurveyCreated => "survey.create",
    SurveyUpdated => "survey.update",
    WaveCreated => "wave.create",
    WaveUpdated => "wave.update",
    WaveClosed => "wave.close",
    TeamCreated => "team.create",
    TeamRenamed => "team.update",
    TeamDeleted => "team.delete",
    UserCreated => "user.create",
    UserUpdated => "user.update",
    UserDeleted => "user.delete",
    InvitationsCreated => "invitations.create",
    InvitationRevoked => "invitation.revoke",
    MailingCreated => "mailing.create",
    RemindersQueued => "mailing.remind",
    MailsRetried => "mailing.retry",
    TestMailSent => "mailing.test",
    TemplateSet => "template.update",
    TemplateReset => "template.reset",
    ActionCreated => "action.create",
    ActionUpdated => "action.update",
    ResponsesImported => "responses.import",
    ResponsesExported => "responses.export",
    ResultsRead => "results.read",
    LiveStarted => "live.start",
    LiveEnded => "live.end",
    AuditPurged => "audit.purge",
    Request => "request", // a refused request to a route without an action of its own
}

/// Who did it: the user's e-mail (and id), the admin token, the system, or someone unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub user_id: Option<UserId>,
}

impl Actor {
    pub fn of(who: &Principal) -> Actor {
        match (&who.email, who.user_id) {
            (Some(email), user_id) => Actor {
                name: email.clone(),
                user_id,
            },
            _ => Actor {
                name: ADMIN_TOKEN.into(),
                user_id: None,
            },
        }
    }

    pub fn user(id: UserId, email: &str) -> Actor {
        Actor {
            name: email.to_string(),
            user_id: Some(id),
        }
    }

    pub fn system() -> Actor {
        Actor {
            name: SYSTEM.into(),
            user_id: None,
        }
    }

    pub fn anonymous() -> Actor {
        Actor {
            name: ANONYMOUS.into(),
            user_id: None,
        }
    }
}

/// What it was done to: a kind (`survey`, `wave`, `team`, `user`, `invitation`, `mailing`,
/// `template`, `action`, `session`, `live`, `audit_log`), its id and its name at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub kind: &'static str,
    pub id: Option<i64>,
    pub name: Option<String>,
}

impl Object {
    pub fn new(kind: &'static str, id: impl Into<i64>, name: impl Into<String>) -> Object {
        Object {
            kind,
            id: Some(id.into()),
            name: Some(name.into()),
        }
    }

    /// An object whose name may be unknown (deleted already).
    pub fn named(kind: &'static str, id: impl Into<i64>, name: Option<String>) -> Object {
        Object {
            kind,
            id: Some(id.into()),
            name,
        }
    }

    /// An object known by its id alone.
    pub fn id(kind: &'static str, id: impl Into<i64>) -> Object {
        Object {
            kind,
            id: Some(id.into()),
            name: None,
        }
    }

    /// An object without an id (the log itself, a sign-in).
    pub fn kind(kind: &'static str) -> Object {
        Object {
            kind,
            id: None,
            name: None,
        }
    }
}

/// The object of a change and a few words about it (counts, fields changed; never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    pub object: Object,
    pub detail: Option<String>,
}

impl From<Object> for About {
    fn from(object: Object) -> About {
        About {
            object,
            detail: None,
        }
    }
}

impl Object {
    pub fn detail(self, detail: impl Into<String>) -> About {
        About {
            object: self,
            detail: Some(detail.into()),
        }
    }
}

/// One entry, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub actor: Actor,
    pub action: Action,
    pub object: Object,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

impl Entry {
    pub fn new(actor: Actor, action: Action, about: impl Into<About>, outcome: Outcome) -> Entry {
        let about = about.into();
        Entry {
            actor,
            action,
            object: about.object,
            outcome,
            detail: about.detail,
        }
    }

    fn row(&self, at: chrono::NaiveDateTime) -> rows::NewRow<'_> {
        rows::NewRow {
            at,
            actor: &self.actor.name,
            actor_user_id: self.actor.user_id.map(UserId::get),
            action: self.action.as_str(),
            object_type: self.object.kind,
            object_id: self.object.id,
            object_name: self.object.name.as_deref(),
            outcome: self.outcome.as_str(),
            detail: self.detail.as_deref(),
        }
    }
}

/// Appends an entry. Inside a `store::write_tx` it is part of that transaction.
pub fn record(conn: &mut AnyConnection, entry: &Entry) -> Result<(), AppError> {
    rows::insert(conn, &entry.row(store::now()))?;
    Ok(())
}

/// Appends an entry unless the same one (actor, action, object, outcome, detail) was written
/// today (UTC): reads of results are logged once per reader, scope and day.
pub fn record_once_a_day(conn: &mut AnyConnection, entry: &Entry) -> Result<(), AppError> {
    let now = store::now();
    let today = now.date().and_time(chrono::NaiveTime::MIN);
    let row = entry.row(now);
    if rows::seen_since(conn, &row, today)? {
        return Ok(());
    }
    store::write_tx(conn, |conn| {
        if !rows::seen_since(conn, &row, today)? {
            rows::insert(conn, &row)?;
        }
        Ok(())
    })
}

/// The object of new invitations (the wave) and what they are: how many, for whom (never the
/// tokens).
pub fn invitations_made(
    survey: crate::domain::SurveyId,
    wave: crate::domain::WaveId,
    team: crate::domain::TeamId,
    audience: crate::domain::Audience,
    count: usize,
) -> About {
    Object::id("wave", wave).detail(format!(
        "{count} {audience} invitation(s), team {team}, survey {survey}"
    ))
}

/// Deletes an object with `delete`, returning its name as it was (for the entry).
pub fn deleting<I: Copy + Into<i64>>(
    conn: &mut AnyConnection,
    kind: &'static str,
    id: I,
    delete: impl FnOnce(&mut AnyConnection, I) -> Result<(), AppError>,
) -> Result<Option<String>, AppError> {
    let name = name_of(conn, kind, id.into())?;
    delete(conn, id)?;
    Ok(name)
}

/// A new user: their e-mail, role and teams (never the password).
pub fn user_made(u: &crate::app::users::UserView) -> About {
    Object::new("user", u.id, &u.email).detail(user_rights(u))
}

/// A changed user: what the change set (a new password is named, never shown) and the rights
/// they have now.
pub fn user_changed(
    u: &crate::app::users::UserView,
    role: bool,
    teams: bool,
    password: bool,
) -> About {
    let mut what: Vec<&str> = Vec::new();
    if role {
        what.push("role");
    }
    if teams {
        what.push("teams");
    }
    if password {
        what.push("new password");
    }
    let set = if what.is_empty() {
        "nothing".to_string()
    } else {
        what.join(", ")
    };
    Object::new("user", u.id, &u.email).detail(format!("set: {set}; now {}", user_rights(u)))
}

fn user_rights(u: &crate::app::users::UserView) -> String {
    let teams: Vec<String> = u.team_ids.iter().map(|t| t.to_string()).collect();
    match teams.as_slice() {
        [] => format!("role {}", u.role),
        _ => format!("role {}, teams {}", u.role, teams.join(" ")),
    }
}

/// A revoked invitation: its wave, team and audience (never its token or hash).
pub fn revoked(i: &store::invitations::Invitation) -> About {
    Object::id("invitation", i.id).detail(format!(
        "{} invitation, team {}, wave {}, survey {}",
        i.audience, i.team_id, i.wave_id, i.survey_id
    ))
}

/// A queued mailing: how many addresses and e-mails (never an address).
pub fn mailing_queued(m: &crate::app::mailings::MailingCounts) -> About {
    Object::id("mailing", m.id).detail(format!(
        "{} recipient(s), {} e-mail(s) queued, wave {}",
        m.recipients, m.queued, m.wave_id
    ))
}

/// A survey's mail template for one language and audience (or both audiences).
pub fn template(
    survey: crate::domain::SurveyId,
    lang: crate::i18n::Lang,
    audience: Option<crate::domain::Audience>,
) -> About {
    let audience = audience.map_or("employee and customer".to_string(), |a| a.to_string());
    Object::id("survey", survey).detail(format!("template {}, {audience}", lang.code()))
}

/// A workshop action: its team, wave and status (not its text).
pub fn workshop_action(a: &store::actions::Action) -> About {
    let team = a
        .team_id
        .map_or("organisation".to_string(), |t| format!("team {t}"));
    Object::id("action", a.id).detail(format!(
        "{}, wave {}, survey {}, dimension {}, status {}",
        team,
        a.wave_id,
        a.survey_id,
        a.dimension_key,
        a.status.as_str()
    ))
}

/// An import of responses: how many rows were stored and skipped (never a respondent id).
pub fn imported(
    survey: crate::domain::SurveyId,
    wave: crate::domain::WaveId,
    o: &crate::app::csv::ImportOutcome,
) -> About {
    Object::id("wave", wave).detail(format!(
        "{} response(s) imported, {} duplicate(s) skipped, survey {survey}",
        o.imported,
        o.duplicates.len()
    ))
}

/// A wave: its survey and its dates (RFC 3339, UTC).
pub fn wave(w: &store::surveys::Wave) -> About {
    let rfc = |t: chrono::NaiveDateTime| {
        t.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let closes = w.closes_at.map_or("never".to_string(), rfc);
    Object::new("wave", w.id, &w.name).detail(format!(
        "survey {}, opens {}, closes {closes}",
        w.survey_id,
        rfc(w.opens_at)
    ))
}

/// Changes a wave with `change`, noting whether it was still open before (for
/// [`wave_changed`]).
pub fn changing_wave(
    conn: &mut AnyConnection,
    id: crate::domain::WaveId,
    change: impl FnOnce(&mut AnyConnection) -> Result<store::surveys::Wave, AppError>,
) -> Result<(bool, store::surveys::Wave), AppError> {
    let now = store::now();
    let was_open =
        store::surveys::find_wave(conn, id)?.is_some_and(|w| w.closes_at.is_none_or(|c| c > now));
    Ok((was_open, change(conn)?))
}

/// A changed wave: `wave.close` when the change closed it (moved its closing time to now or
/// before), else `wave.update`.
pub fn wave_changed((was_open, w): &(bool, store::surveys::Wave)) -> (Action, About) {
    let closed = *was_open && w.closes_at.is_some_and(|c| c <= store::now());
    let action = if closed {
        Action::WaveClosed
    } else {
        Action::WaveUpdated
    };
    (action, wave(w))
}

/// Makes a change and records it in the same transaction: the entry is written only when the
/// change commits, and the change only with its entry.
pub fn audited<T>(
    conn: &mut AnyConnection,
    who: &Principal,
    action: Action,
    change: impl FnOnce(&mut AnyConnection) -> Result<T, AppError>,
    about: impl FnOnce(&T) -> About,
) -> Result<T, AppError> {
    audited_as(conn, who, change, |done| (action, about(done)))
}

/// [`audited`], with the action chosen by what the change did (a wave's change that closed it).
pub fn audited_as<T>(
    conn: &mut AnyConnection,
    who: &Principal,
    change: impl FnOnce(&mut AnyConnection) -> Result<T, AppError>,
    describe: impl FnOnce(&T) -> (Action, About),
) -> Result<T, AppError> {
    store::write_tx(conn, |conn| {
        let done = change(conn)?;
        let (action, about) = describe(&done);
        record(
            conn,
            &Entry::new(Actor::of(who), action, about, Outcome::Ok),
        )?;
        Ok(done)
    })
}

/// Deletes the entries older than `days` days and logs that it did (actor `system`), in one
/// transaction. Returns how many were deleted; nothing is logged when none were.
pub fn purge(conn: &mut AnyConnection, days: u32) -> Result<usize, AppError> {
    let cutoff = store::now() - chrono::Duration::days(i64::from(days));
    store::write_tx(conn, |conn| {
        let n = rows::purge(conn, cutoff)?;
        if n > 0 {
            record(
                conn,
                &Entry::new(
                    Actor::system(),
                    Action::AuditPurged,
                    Object::kind("audit_log")
                        .detail(format!("{n} entries older than {days} days deleted")),
                    Outcome::Ok,
                ),
            )?;
        }
        Ok(n)
    })
}

/// The name of an object at the time of the entry (for refusals and reads, where only the
/// id in the path is known). None for kinds without a name or objects that do not exist.
pub fn name_of(conn: &mut AnyConnection, kind: &str, id: i64) -> Result<Option<String>, AppError> {
    use crate::domain::{SurveyId, TeamId, WaveId};
    Ok(match kind {
        "survey" => store::surveys::find(conn, SurveyId(id))?.map(|s| s.title),
        "team" => store::teams::find(conn, TeamId(id))?.map(|t| t.name),
        "wave" => store::surveys::find_wave(conn, WaveId(id))?.map(|w| w.name),
        "user" => store::users::find(conn, UserId(id))?.map(|u| u.email),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::read::csv_cell;
    use super::*;

    #[test]
    fn action_names_parse_back() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(*a));
        }
        assert_eq!(Action::parse("nothing"), None);
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
