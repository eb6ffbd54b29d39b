//! /admin/users: add team leads and admins, assign teams, reset a password, delete.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{admin, failed, Ctx, Errors, Fields};
use crate::app::surveys::list_teams;
use crate::app::users::{self, CreateUser, UpdateUser};
use crate::domain::{TeamId, UserId};
use crate::http::pages::render;
use crate::http::pages::session::redirect;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;

pub struct TeamCheck {
    pub id: TeamId,
    pub name: String,
    pub checked: bool,
}

pub struct UserForm {
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
    lang: &'a str,
    title: &'a str,
    t: &'a ConsoleText,
    user: String,
    csrf: String,
    notice: Option<&'a str>,
    errors: Errors,
    new_user: UserForm,
    users: Vec<UserForm>,
}

/// A failed form: which user (None: the new one), what was typed, the errors.
struct Failed {
    user: Option<UserId>,
    fields: Fields,
    errors: Errors,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    notice: Option<&str>,
    failed_form: Option<Failed>,
) -> HttpResponse {
    let loaded = db(state, |conn| {
        Ok((list_teams(conn, None)?, users::list(conn)?))
    })
    .await;
    let (teams, list) = match loaded {
        Ok(v) => v,
        Err(e) => return failed(ctx, &e),
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
    let typed_teams = |f: &Fields| -> Vec<TeamId> {
        f.all("team_ids")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect()
    };
    let mut new_user = UserForm {
        id: UserId(0),
        email: String::new(),
        role: "team_lead".into(),
        teams: checks(&[]),
        is_you: false,
        errors: Errors::default(),
    };
    let mut rows = Vec::new();
    let mut any_error = Errors::default();
    let mut failed_form = failed_form;
    for u in list {
        let mut row = UserForm {
            id: u.id,
            email: u.email,
            role: u.role.as_str().to_string(),
            teams: checks(&u.team_ids),
            is_you: ctx.who.user_id == Some(u.id),
            errors: Errors::default(),
        };
        if let Some(f) = failed_form.take_if(|f| f.user == Some(u.id)) {
            row.role = f.fields.get("role");
            row.teams = checks(&typed_teams(&f.fields));
            row.errors = f.errors;
            any_error = Errors(vec![("user".into(), String::new())]);
        }
        rows.push(row);
    }
    if let Some(f) = failed_form.filter(|f| f.user.is_none()) {
        new_user.email = f.fields.get("email");
        new_user.role = f.fields.get("role");
        new_user.teams = checks(&typed_teams(&f.fields));
        new_user.errors = f.errors;
        any_error = Errors(vec![("user".into(), String::new())]);
    }
    render(
        status,
        &UsersPage {
            lang: ctx.t.lang_code,
            title: ctx.t.users,
            t: ctx.t,
            user: ctx.user(),
            csrf: ctx.csrf(),
            notice,
            errors: any_error,
            new_user,
            users: rows,
        },
    )
}

#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<Done>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let notice = match q.done.as_deref() {
        Some("saved") => Some(ctx.t.saved),
        Some("deleted") => Some(ctx.t.deleted),
        _ => None,
    };
    page(&state, &ctx, StatusCode::OK, notice, None).await
}

fn team_ids(f: &Fields) -> Result<Vec<TeamId>, crate::error::AppError> {
    f.all("team_ids")
        .iter()
        .map(|v| {
            v.parse().map_err(|_| {
                crate::error::AppError::at(
                    "team_ids",
                    crate::error::ErrorCode::NotANumber { value: v.clone() },
                )
            })
        })
        .collect()
}

/// The outcome of a form: back to the list, the page with the errors, or an error page.
async fn outcome<T>(
    state: &AppState,
    ctx: &Ctx,
    user: Option<UserId>,
    fields: Fields,
    result: Result<T, crate::error::AppError>,
    what: &str,
) -> HttpResponse {
    match result {
        Ok(_) => redirect(&format!("/admin/users?{}&done={what}", ctx.q())),
        Err(e) => match Errors::from_error(ctx.lang, &e) {
            Some(errors) => {
                let status = if e.is_conflict() {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                let f = Failed {
                    user,
                    fields,
                    errors,
                };
                page(state, ctx, status, None, Some(f)).await
            }
            None => failed(ctx, &e),
        },
    }
}

#[tracing::instrument(skip_all)]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let result = match team_ids(&f) {
        Err(e) => Err(e),
        Ok(ids) => {
            let body = CreateUser {
                email: f.get("email"),
                role: f.get("role"),
                team_ids: ids,
                password: f
                    .0
                    .iter()
                    .find(|(k, _)| k == "password")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            };
            db(&state, move |conn| users::create(conn, &body)).await
        }
    };
    outcome(&state, &ctx, None, f, result, "saved").await
}

#[tracing::instrument(skip_all)]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<UserId>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let id = path.into_inner();
    let result = match team_ids(&f) {
        Err(e) => Err(e),
        Ok(ids) => {
            let body = UpdateUser {
                role: f.opt("role"),
                team_ids: Some(ids),
                password: f
                    .0
                    .iter()
                    .find(|(k, _)| k == "password")
                    .map(|(_, v)| v.clone())
                    .filter(|p| !p.is_empty()),
            };
            db(&state, move |conn| users::update(conn, id, &body)).await
        }
    };
    outcome(&state, &ctx, Some(id), f, result, "saved").await
}

#[tracing::instrument(skip_all)]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<UserId>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let ctx = match admin(&state, &req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let f = Fields(form.into_inner());
    if let Some(r) = f.csrf_refused(&ctx) {
        return r;
    }
    let id = path.into_inner();
    let who = ctx.who.clone();
    let result = db(&state, move |conn| users::delete(conn, &who, id)).await;
    outcome(&state, &ctx, Some(id), f, result, "deleted").await
}
