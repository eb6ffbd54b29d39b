//! Who is asking: the admin bearer token, or a logged-in user's session cookie.

use actix_web::{dev::Payload, http::Method, web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;
use subtle::ConstantTimeEq;

use super::{db, AppState};
use crate::domain::Role;
use crate::error::AppError;
use crate::store::{self, invitations::hash_token};

pub const SESSION_COOKIE: &str = "ks_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub role: Role,
    /// The user behind a session (`None` for the admin token).
    pub user_id: Option<i64>,
    pub email: Option<String>,
    /// Teams assigned to a team lead (empty for admins).
    pub teams: Vec<i64>,
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
            Err(AppError::Forbidden("this needs the admin role".into()))
        }
    }

    /// Organisation-wide results (`None`) are open to every user; a team only to an admin or
    /// a team lead assigned to it.
    pub fn may_see_team(&self, team_id: Option<i64>) -> bool {
        match team_id {
            None => true,
            Some(t) => self.is_admin() || self.teams.contains(&t),
        }
    }

    pub fn check_team(&self, team_id: Option<i64>) -> Result<(), AppError> {
        if self.may_see_team(team_id) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "you have no access to team {}",
                team_id.unwrap_or_default()
            )))
        }
    }

    /// `None` = every team; `Some(ids)` = only these.
    pub fn visible_teams(&self) -> Option<Vec<i64>> {
        (!self.is_admin()).then(|| self.teams.clone())
    }

    /// Checks a submitted CSRF token against the session's (constant time).
    pub fn check_csrf(&self, submitted: Option<&str>) -> Result<(), AppError> {
        match &self.csrf {
            None => Ok(()),
            Some(expected) => match submitted {
                Some(s) if bool::from(s.as_bytes().ct_eq(expected.as_bytes())) => Ok(()),
                _ => Err(AppError::Forbidden("missing or wrong CSRF token".into())),
            },
        }
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    let s = h.to_str().ok()?;
    let token = s
        .strip_prefix("Bearer ")
        .or_else(|| s.strip_prefix("bearer "))?;
    Some(token.trim().to_string())
}

/// Resolves a session cookie to a principal (None when absent, unknown or expired).
pub async fn from_session(state: &AppState, cookie: &str) -> Result<Option<Principal>, AppError> {
    let hash = hash_token(cookie);
    db(state, move |conn| {
        let Some(session) = store::sessions::find_live(conn, &hash, store::now())? else {
            return Ok(None);
        };
        let Some(user) = store::users::find(conn, session.user_id)? else {
            return Ok(None);
        };
        let role = Role::parse(&user.role).unwrap_or(Role::TeamLead);
        let teams = store::users::teams_of(conn, user.id)?;
        Ok(Some(Principal {
            role,
            user_id: Some(user.id),
            email: Some(user.email),
            teams,
            csrf: Some(session.csrf_token),
        }))
    })
    .await
}

impl FromRequest for Principal {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Principal, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = bearer(req);
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
        let unsafe_api = req.path().starts_with("/api/")
            && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let csrf_header = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal(anyhow::anyhow!("no app state")))?;
            if let Some(token) = bearer {
                let ok = state
                    .settings
                    .admin_token
                    .as_deref()
                    .is_some_and(|t| bool::from(t.as_bytes().ct_eq(token.as_bytes())));
                return if ok {
                    Ok(Principal::admin_token())
                } else {
                    Err(AppError::Unauthorized)
                };
            }
            if let Some(cookie) = cookie {
                if let Some(p) = from_session(&state, &cookie).await? {
                    if unsafe_api {
                        p.check_csrf(csrf_header.as_deref())?;
                    }
                    return Ok(p);
                }
            }
            Err(AppError::Unauthorized)
        })
    }
}
