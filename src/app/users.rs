//! Managing users from the console and the API: list, create, change role, teams or password,
//! delete. Passwords and their hashes never leave this module.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Role, TeamId, UserId};
use crate::error::AppError;
use crate::store::{self, AnyConnection};

use super::accounts::{
    check_new_user, check_password, check_teams, store_user, NewUser, Principal,
};
use crate::error::ErrorCode;

/// A user as shown: never a password or its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub team_ids: Vec<TeamId>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Team results of a wave this team lead may not read, because with them the
    /// organisation figures they could read before would single out one other team (SPEC
    /// "Rights over time"). A change that adds a team answers with what it withheld.
    pub withheld_history: Vec<super::rights::WithheldResult>,
}

fn view(
    u: store::users::User,
    team_ids: Vec<TeamId>,
    withheld_history: Vec<super::rights::WithheldResult>,
) -> UserView {
    UserView {
        id: u.id,
        email: u.email,
        role: u.role,
        team_ids,
        created_at: u.created_at.and_utc(),
        withheld_history,
    }
}

#[derive(Deserialize, ToSchema, Debug, Clone, Default)]
pub struct CreateUser {
    pub email: String,
    /// `admin` or `team_lead`.
    pub role: String,
    /// The teams of a team lead (at least one).
    #[serde(default)]
    pub team_ids: Vec<TeamId>,
    /// At least 8 characters, not a well-known, repetitive or sequential password
    /// (docs/security.md, "Passwords").
    pub password: String,
}

#[derive(Deserialize, ToSchema, Debug, Clone, Default)]
pub struct UpdateUser {
    pub role: Option<String>,
    pub team_ids: Option<Vec<TeamId>>,
    /// A new password: ends the user's sessions.
    pub password: Option<String>,
}

/// Every user by e-mail address.
#[tracing::instrument(skip(conn))]
pub fn list(conn: &mut AnyConnection) -> Result<Vec<UserView>, AppError> {
    let mut out = Vec::new();
    for (u, t) in store::users::list(conn)? {
        let withheld = super::rights::withheld_of(conn, &u.email)?;
        out.push(view(u, t, withheld));
    }
    Ok(out)
}

/// Creates a user (422 naming the field, 409 `user_exists`).
#[tracing::instrument(skip_all)]
pub fn create(conn: &mut AnyConnection, req: &CreateUser) -> Result<UserView, AppError> {
    let new = check_create(conn, req)?;
    store_create(conn, new)
}

/// Checks a new user and hashes the password, outside any transaction (see
/// [`super::accounts::NewUser`]).
pub fn check_create(conn: &mut AnyConnection, req: &CreateUser) -> Result<NewUser, AppError> {
    let role = Role::parse_field(req.role.trim(), "role")?;
    let mut teams = req.team_ids.clone();
    teams.sort_unstable();
    teams.dedup();
    if role == Role::Admin {
        teams.clear();
    }
    check_new_user(conn, &req.email, role, &teams, &req.password, "team_ids")
}

/// Stores a checked new user.
pub fn store_create(conn: &mut AnyConnection, new: NewUser) -> Result<UserView, AppError> {
    let user = store_user(conn, &new)?;
    let withheld = super::rights::withheld_of(conn, &user.email)?;
    Ok(view(user, new.teams, withheld))
}

#[tracing::instrument(skip_all, fields(id))]
pub fn update(
    conn: &mut AnyConnection,
    id: UserId,
    req: &UpdateUser,
) -> Result<UserView, AppError> {
    let change = check_update(conn, id, req)?;
    store_update(conn, change)
}

/// A checked change of a user, with a new password hashed: what [`store_update`] writes.
pub struct UserChange {
    user: store::users::User,
    role: Role,
    teams: Vec<TeamId>,
    hash: Option<String>,
}

/// Checks a change of a user (404, 422 naming the field) and hashes a new password, outside
/// any transaction.
pub fn check_update(
    conn: &mut AnyConnection,
    id: UserId,
    req: &UpdateUser,
) -> Result<UserChange, AppError> {
    let user = store::users::find(conn, id)?.ok_or(ErrorCode::UserNotFound { user: id.get() })?;
    let role = match req.role.as_deref() {
        Some(r) => Role::parse_field(r.trim(), "role")?,
        None => user.role,
    };
    let mut teams = match &req.team_ids {
        Some(t) => t.clone(),
        None => store::users::teams_of(conn, id)?,
    };
    teams.sort_unstable();
    teams.dedup();
    if role == Role::Admin {
        teams.clear();
    }
    check_teams(conn, role, &teams, "team_ids")?;
    let hash = match req.password.as_deref() {
        Some(p) => {
            check_password(p, &user.email)?;
            Some(crate::password::hash(p).map_err(AppError::Internal)?)
        }
        None => None,
    };
    Ok(UserChange {
        user,
        role,
        teams,
        hash,
    })
}

/// Stores a checked change of a user (409 `last_admin` when it would leave no admin).
pub fn store_update(conn: &mut AnyConnection, change: UserChange) -> Result<UserView, AppError> {
    let UserChange {
        user,
        role,
        teams,
        hash,
    } = change;
    let id = user.id;
    store::write_tx(conn, |conn| {
        if user.role == Role::Admin && role != Role::Admin {
            keep_an_admin(conn, id)?;
        }
        super::rights::withhold_on_assignment(conn, &user.email, role, &teams)?;
        store::users::set_assignment(conn, id, role, &teams)?;
        if let Some(h) = &hash {
            store::users::set_password_hash(conn, id, h)?;
            store::sessions::delete_for_user(conn, id)?;
        }
        Ok::<_, AppError>(())
    })?;
    let user = store::users::find(conn, id)?.ok_or(ErrorCode::UserNotFound { user: id.get() })?;
    let withheld = super::rights::withheld_of(conn, &user.email)?;
    Ok(view(user, teams, withheld))
}

fn keep_an_admin(conn: &mut AnyConnection, id: UserId) -> Result<(), AppError> {
    let admins = store::users::admins_locked(conn)?;
    if admins.contains(&id) && admins.len() <= 1 {
        return Err(ErrorCode::LastAdmin.into());
    }
    Ok(())
}

/// Deletes a user and ends their sessions. Nobody deletes their own account (409
/// `own_account`), and the last admin stays (409 `last_admin`, also for the admin token): the
/// console would have no one left to manage it.
#[tracing::instrument(skip_all, fields(id))]
pub fn delete(conn: &mut AnyConnection, who: &Principal, id: UserId) -> Result<(), AppError> {
    if who.user_id == Some(id) {
        return Err(ErrorCode::OwnAccount.into());
    }
    store::write_tx(conn, |conn| {
        keep_an_admin(conn, id)?;
        if store::users::delete(conn, id)? == 0 {
            return Err(ErrorCode::UserNotFound { user: id.get() }.into());
        }
        Ok(())
    })
}
