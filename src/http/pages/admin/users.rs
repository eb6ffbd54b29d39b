//! /admin/users: add team leads and admins, assign teams, reset a password, delete.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::audit::{self, audited, deleting, Action, Object};
use crate::http::pages::session::change_as;

use super::{settle, Admin, Confirm, CsrfForm, Done, Errors, Head, State};
use crate::app::surveys::list_teams;
use crate::app::users::{self, CreateUser, UpdateUser};
use crate::domain::{TeamId, UserId};
use crate::http::pages::render;
use crate::http::{db, AppState};

const USERS: &str = "/admin/users";
use crate::i18n::console::ConsoleText;

pub struct TeamCheck {
    pub id: TeamId,
    pub name: String,
    pub checked: bool,
}

pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub role: String,
    pub teams: Vec<TeamCheck>,
    pub is_you: bool,
    pub errors: Errors,
}

#[derive(askama::Template)]
#[template(path = "admin/users.html")]
struct UsersPage<'a> {
    h: Head,
    t: &'a ConsoleText,
    new_user: UserView,
    users: Vec<UserView>,
}

/// The user form, as posted (the password is never shown again).
#[derive(serde::Deserialize)]
pub struct UserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    team_ids: Vec<TeamId>,
    #[serde(default)]
    password: String,
}

/// A refused form: whose (None: the new user), what was typed, the errors.
struct Failed(Option<UserId>, Option<UserForm>, Errors);

async fn page(
    state: &AppState,
    admin: &Admin,
    status: StatusCode,
    notice: Option<&str>,
    failed: Option<Failed>,
) -> HttpResponse {
    let loaded = db(state, |conn| {
        Ok((list_teams(conn, None)?, users::list(conn)?))
    })
    .await;
    let (teams, list) = match loaded {
        Ok(v) => v,
        Err(e) => return admin.failed(&e),
    };
    let checks = |selected: &[TeamId]| -> Vec<TeamCheck> {
        teams
            .iter()
            .map(|t| TeamCheck {
                id: t.id,
                name: t.name.clone(),
                checked: selected.contains(&t.id),
            })
            .collect()
    };
    let mut head = admin.head(admin.t.users, USERS).notice(notice);
    let view = |id: UserId, email: String, role: String, teams: &[TeamId]| UserView {
        id,
        email,
        role,
        teams: checks(teams),
        is_you: admin.who.user_id == Some(id),
        errors: Errors::default(),
    };
    let mut new_user = view(UserId(0), String::new(), "team_lead".into(), &[]);
    let mut rows: Vec<UserView> = list
        .into_iter()
        .map(|u| view(u.id, u.email, u.role.as_str().to_string(), &u.team_ids))
        .collect();
    if let Some(Failed(who, form, errors)) = failed {
        head = head.errors(&errors);
        let target = match who {
            None => Some(&mut new_user),
            Some(id) => rows.iter_mut().find(|r| r.id == id),
        };
        if let Some(v) = target {
            if let Some(form) = form {
                if who.is_none() {
                    v.email = form.email;
                }
                v.role = form.role;
                v.teams = checks(&form.team_ids);
            }
            v.errors = errors;
        }
    }
    render(
        status,
        &UsersPage {
            h: head,
            t: admin.t,
            new_user,
            users: rows,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn show(state: State, admin: Admin, q: web::Query<Done>) -> HttpResponse {
    page(&state, &admin, StatusCode::OK, q.notice(admin.t), None).await
}

#[tracing::instrument(skip_all)]
pub async fn create(state: State, f: CsrfForm<UserForm>) -> HttpResponse {
    let CsrfForm { admin, form, .. } = f;
    let body = CreateUser {
        email: form.email.trim().to_string(),
        role: form.role.clone(),
        team_ids: form.team_ids.clone(),
        password: form.password.clone(),
    };
    let who = admin.who.clone();
    let result = db(&state, move |conn| {
        // Checked and hashed before the transaction: the hashing holds no lock.
        let new = users::check_create(conn, &body)?;
        audited(
            conn,
            &who,
            Action::UserCreated,
            |c| users::store_create(c, new),
            audit::user_made,
        )
    })
    .await;
    let again = |e, s| page(&state, &admin, s, None, Some(Failed(None, Some(form), e)));
    settle(&admin, result, |_| admin.to(USERS, "saved"), again).await
}

#[tracing::instrument(skip_all)]
pub async fn update(state: State, id: web::Path<UserId>, f: CsrfForm<UserForm>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, id) = (f, id.into_inner());
    let body = UpdateUser {
        role: Some(form.role.clone()).filter(|r| !r.is_empty()),
        team_ids: Some(form.team_ids.clone()),
        password: Some(form.password.clone()).filter(|p| !p.is_empty()),
    };
    let who = admin.who.clone();
    let result = db(&state, move |conn| {
        let change = users::check_update(conn, id, &body)?;
        audited(
            conn,
            &who,
            Action::UserUpdated,
            |c| users::store_update(c, change),
            |u| audit::user_changed(u, body.role.is_some(), true, body.password.is_some()),
        )
    })
    .await;
    let failed = |e| Some(Failed(Some(id), Some(form), e));
    settle(
        &admin,
        result,
        |_| admin.to(USERS, "saved"),
        |e, s| page(&state, &admin, s, None, failed(e)),
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn delete(state: State, id: web::Path<UserId>, f: CsrfForm<Confirm>) -> HttpResponse {
    let (admin, id) = (f.admin, id.into_inner());
    let result = change_as(
        &state,
        admin.who.clone(),
        Action::UserDeleted,
        move |c, who| deleting(c, "user", id, |c, id| users::delete(c, who, id)),
        move |name| Object::named("user", id, name.clone()).into(),
    )
    .await;
    // A refused delete (your own account) is said above the page.
    let ok = |_| admin.to(USERS, "deleted");
    settle(&admin, result, ok, |e, s| {
        page(&state, &admin, s, None, Some(Failed(Some(id), None, e)))
    })
    .await
}
