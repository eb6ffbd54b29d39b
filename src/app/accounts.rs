//! Accounts: who is asking (a principal and what it may see), logging in with a rate limit,
//! sessions, and creating users.

use subtle::ConstantTimeEq;

use super::audit::{self, Action, Actor, Entry, Object, Outcome};
use crate::domain::{Role, TeamId, UserId};
use crate::error::AppError;
use crate::error::ErrorCode;
use crate::store::{self, invitations::hash_token, AnyConnection};

/// Sessions last 12 hours.
pub const SESSION_HOURS: i64 = 12;
/// Wrong passwords per account (e-mail address) per window; then that account's sign-ins wait
/// for the window to end. Other accounts, from the same address too, are not affected.
pub const LOGIN_LIMIT: i32 = 20;
/// Wrong passwords per client address per window, whatever the accounts: the coarse second
/// line against one address trying many accounts. Successful sign-ins never count.
pub const LOGIN_ADDRESS_LIMIT: i32 = 100;
pub const LOGIN_WINDOW_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub role: Role,
    /// The user behind a session (`None` for the admin token).
    pub user_id: Option<UserId>,
    pub email: Option<String>,
    /// Teams assigned to a team lead (empty for admins).
    pub teams: Vec<TeamId>,
    /// The session's CSRF token (`None` for the admin token).
    pub csrf: Option<String>,
}

impl Principal {
    pub fn admin_token() -> Principal {
        Principal {
            role: Role::Admin,
            user_id: None,
            email: None,
            teams: vec![],
            csrf: None,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ErrorCode::AdminOnly.into())
        }
    }

    /// Organisation-wide results (`None`) are open to every user; a team only to an admin or
    /// a team lead assigned to it.
    pub fn may_see_team(&self, team_id: Option<TeamId>) -> bool {
        match team_id {
            None => true,
            Some(t) => self.is_admin() || self.teams.contains(&t),
        }
    }

    pub fn check_team(&self, team_id: Option<TeamId>) -> Result<(), AppError> {
        if self.may_see_team(team_id) {
            Ok(())
        } else {
            Err(ErrorCode::NoTeamAccess {
                team: team_id.map_or(0, TeamId::get),
            }
            .into())
        }
    }

    /// `None` = every team; `Some(ids)` = only these.
    pub fn visible_teams(&self) -> Option<Vec<TeamId>> {
        (!self.is_admin()).then(|| self.teams.clone())
    }

    /// Checks a submitted CSRF token against the session's (constant time).
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), AppError> {
        match &self.csrf {
            None => Ok(()),
            Some(expected) => match submitted {
                Some(s) if bool::from(s.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
                _ => Err(ErrorCode::CsrfRefused.into()),
            },
        }
    }
}

/// Resolves a session cookie to a principal (None when absent, unknown or expired).
#[tracing::instrument(skip_all)]
pub fn from_session(conn: &mut AnyConnection, cookie: &str) -> Result<Option<Principal>, AppError> {
    let hash = hash_token(cookie);
    let Some(session) = store::sessions::find_live(conn, &hash, store::now())? else {
        return Ok(None);
    };
    let Some(user) = store::users::find(conn, session.user_id)? else {
        return Ok(None);
    };
    let teams = store::users::teams_of(conn, user.id)?;
    Ok(Some(Principal {
        role: user.role,
        user_id: Some(user.id),
        email: Some(user.email),
        teams,
        csrf: Some(session.csrf_token),
    }))
}

/// A new session: the cookie's secret value (only its hash is stored).
pub struct NewSession {
    pub token: String,
}

/// Checks a login and opens a session. Wrong passwords are counted per account and per client
/// address (the address only as a coarse second line); while either is over its limit the
/// sign-in is refused with 429 and the seconds to wait, before any password is checked, the
/// right one too. A successful sign-in counts nowhere: a whole office behind one address signs
/// in as often as it likes. `Ok(None)`: wrong e-mail or password (the same work either way).
///
/// The limits live in the database (`rate_limits`), so they hold across instances. Checking and
/// counting are two steps: parallel guesses can pass the limit by the number in flight.
#[tracing::instrument(skip_all)]
pub fn login(
    conn: &mut AnyConnection,
    client: &str,
    email: &str,
    password: &str,
) -> Result<Option<NewSession>, AppError> {
    let email = email.trim().to_lowercase();
    let now = store::now();
    let window = chrono::Duration::seconds(LOGIN_WINDOW_SECS);
    let buckets = login_buckets(client, &email);
    for (bucket, limit) in &buckets {
        if let Some((hits, start)) = store::sessions::peek(conn, bucket, now, window)? {
            if hits >= *limit {
                let retry = (start + window - now).num_seconds().max(1) as u64;
                refuse_sign_in(
                    conn,
                    SignInMethod::Password,
                    Outcome::Refused,
                    "too many attempts",
                )?;
                return Err(ErrorCode::RateLimited { retry_after: retry }.into());
            }
        }
    }
    let user = store::users::find_by_email(conn, &email)?;
    let ok = match &user {
        Some(u) => crate::password::verify(password, &u.password_hash),
        None => {
            // Same work for unknown addresses, so timing does not tell which exist.
            let _ = crate::password::verify(password, crate::password::dummy_hash());
            false
        }
    };
    let (true, Some(u)) = (ok, &user) else {
        store::write_tx(conn, |conn| {
            for (bucket, _) in &buckets {
                store::sessions::hit(conn, bucket, now, window)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
        // The address typed is named only when it is a user's (a password typed into the
        // wrong field must not reach the log).
        let (actor, detail) = match &user {
            Some(u) => (Actor::user(u.id, &u.email), "password: wrong password"),
            None => (Actor::anonymous(), "password: unknown account"),
        };
        audit::record(
            conn,
            &Entry::new(
                actor,
                Action::SignIn,
                Object::kind("session").detail(detail),
                Outcome::Failed,
            ),
        )?;
        return Ok(None);
    };
    let id = u.id;
    open_session(conn, id, SignInMethod::Password).map(Some)
}

/// How someone signed in (the detail of the log's `sign_in` entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    Password,
    Organisation,
}

impl SignInMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInMethod::Password => "password",
            SignInMethod::Organisation => "oidc",
        }
    }
}

/// Logs a sign-in refused before any account was looked at (`reason`: fixed words, e.g.
/// "password sign-in is off"), actor `anonymous`.
pub fn refuse_sign_in(
    conn: &mut AnyConnection,
    method: SignInMethod,
    outcome: Outcome,
    reason: &str,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &Entry::new(
            Actor::anonymous(),
            Action::SignIn,
            Object::kind("session").detail(format!("{}: {reason}", method.as_str())),
            outcome,
        ),
    )
}

/// The counters a wrong password feeds, with their limits: the account (by a hash of its
/// address, so typed addresses are not kept) and, when known, the client address.
fn login_buckets(client: &str, email: &str) -> Vec<(String, i32)> {
    let mut out = vec![(
        format!("login-account:{}", &hash_token(email)[..32]),
        LOGIN_LIMIT,
    )];
    if !client.is_empty() {
        out.push((format!("login-address:{client}"), LOGIN_ADDRESS_LIMIT));
    }
    out
}

/// Opens a session for a user whose identity was checked (a password, the organisation's
/// sign-in): the same session either way.
/// The sign-in is logged in the session's transaction.
pub fn open_session(
    conn: &mut AnyConnection,
    user: UserId,
    method: SignInMethod,
) -> Result<NewSession, AppError> {
    let now = store::now();
    let token = new_secret()?;
    let csrf = new_secret()?;
    store::write_tx(conn, |conn| {
        store::sessions::delete_expired(conn, now)?;
        // Counters of windows long over (wrong passwords for made-up addresses leave one each).
        store::sessions::prune_limits(conn, now - chrono::Duration::hours(1))?;
        store::sessions::create(
            conn,
            &hash_token(&token),
            user,
            &csrf,
            now + chrono::Duration::hours(SESSION_HOURS),
        )?;
        let email = store::users::find(conn, user)?
            .map(|u| u.email)
            .unwrap_or_default();
        audit::record(
            conn,
            &Entry::new(
                Actor::user(user, &email),
                Action::SignIn,
                Object::kind("session").detail(method.as_str()),
                Outcome::Ok,
            ),
        )
    })?;
    Ok(NewSession { token })
}

/// Ends the session of a cookie (nothing when it is unknown), logged in the same transaction.
#[tracing::instrument(skip_all)]
pub fn logout(conn: &mut AnyConnection, cookie: &str) -> Result<(), AppError> {
    let hash = hash_token(cookie);
    store::write_tx(conn, |conn| {
        let Some(session) = store::sessions::find_live(conn, &hash, store::now())? else {
            return Ok(());
        };
        store::sessions::delete(conn, &hash)?;
        let email = store::users::find(conn, session.user_id)?
            .map(|u| u.email)
            .unwrap_or_default();
        audit::record(
            conn,
            &Entry::new(
                Actor::user(session.user_id, &email),
                Action::SignOut,
                Object::kind("session"),
                Outcome::Ok,
            ),
        )
    })
}

/// A random secret (session token, CSRF token).
pub fn new_secret() -> Result<String, AppError> {
    store::invitations::new_token().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))
}

/// Creates a user: an admin, or a team lead of at least one existing team.
#[tracing::instrument(skip_all, fields(role = %role))]
pub fn add_user(
    conn: &mut AnyConnection,
    email: &str,
    role: Role,
    teams: &[TeamId],
    password: &str,
) -> Result<store::users::User, AppError> {
    add_user_as(conn, email, role, teams, password, "team")
}

/// [`add_user`], naming the teams' field in errors as `team_field` (the CLI's `team`, the
/// API's `team_ids`).
pub fn add_user_as(
    conn: &mut AnyConnection,
    email: &str,
    role: Role,
    teams: &[TeamId],
    password: &str,
    team_field: &str,
) -> Result<store::users::User, AppError> {
    let new = check_new_user(conn, email, role, teams, password, team_field)?;
    store_user(conn, &new)
}

/// A new user, checked, with the password hashed: what [`store_user`] writes. Made outside
/// any transaction, so the hashing (tens of milliseconds on purpose) holds no lock.
pub struct NewUser {
    pub email: String,
    pub role: Role,
    pub teams: Vec<TeamId>,
    hash: String,
}

/// Checks a new user (422 naming the field, 409 when the address is taken) and hashes the
/// password.
pub fn check_new_user(
    conn: &mut AnyConnection,
    email: &str,
    role: Role,
    teams: &[TeamId],
    password: &str,
    team_field: &str,
) -> Result<NewUser, AppError> {
    let email = email.trim().to_lowercase();
    crate::domain::check_name_chars(&email, "email")?;
    if !email.contains('@') || email.len() > 200 {
        return Err(AppError::at("email", ErrorCode::NotAnEmail));
    }
    check_teams(conn, role, teams, team_field)?;
    check_password(password, &email)?;
    if store::users::find_by_email(conn, &email)?.is_some() {
        return Err(ErrorCode::UserExists { email }.into());
    }
    let hash = crate::password::hash(password).map_err(AppError::Internal)?;
    Ok(NewUser {
        email,
        role,
        teams: teams.to_vec(),
        hash,
    })
}

/// Stores a checked new user, in one transaction.
pub fn store_user(conn: &mut AnyConnection, new: &NewUser) -> Result<store::users::User, AppError> {
    store::write_tx(conn, |conn| {
        // The address may have a history (a user deleted and made again).
        super::rights::withhold_on_assignment(conn, &new.email, new.role, &new.teams)?;
        Ok(store::users::create(
            conn, &new.email, &new.hash, new.role, &new.teams,
        )?)
    })
}

/// A team lead needs at least one team, and every team must exist.
pub fn check_teams(
    conn: &mut AnyConnection,
    role: Role,
    teams: &[TeamId],
    field: &str,
) -> Result<(), AppError> {
    if role == Role::TeamLead && teams.is_empty() {
        return Err(AppError::at(field, ErrorCode::LeadNeedsTeam));
    }
    for t in teams {
        if store::teams::find(conn, *t)?.is_none() {
            return Err(AppError::at(
                field,
                ErrorCode::TeamDoesNotExist { team: t.get() },
            ));
        }
    }
    Ok(())
}

/// A password someone chooses for the account `email` (`domain::password`: long enough, not
/// well known, repetitive, sequential or personal); 422 naming `password` otherwise.
pub fn check_password(password: &str, email: &str) -> Result<(), AppError> {
    crate::domain::password::check(password, Some(email))
        .map_err(|code| AppError::at("password", code))
}
