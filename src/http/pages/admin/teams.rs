//! /admin/teams: add, rename and delete teams (a team with responses is kept, with the reason).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::{admin, failed, Ctx, Errors, Fields};
use crate::app::surveys as app;
use crate::domain::TeamId;
use crate::http::pages::render;
use crate::http::pages::session::redirect;
use crate::http::{db, AppState};
use crate::i18n::console::ConsoleText;

pub struct TeamRow {
    pub id: TeamId,
    pub name: String,
    pub error: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "admin/teams.html")]
struct TeamsPage<'a> {
    lang: &'a str,
    title: &'a str,
    t: &'a ConsoleText,
    user: String,
    csrf: String,
    notice: Option<&'a str>,
    errors: Errors,
    create_errors: Errors,
    new_name: String,
    teams: Vec<TeamRow>,
}

/// What a re-rendered page keeps: the failed form's input and its errors.
#[derive(Default)]
struct Failed {
    status: Option<StatusCode>,
    errors: Errors,
    create_errors: Errors,
    new_name: String,
    /// (team id, typed name, error) of a failed rename.
    rename: Option<(TeamId, String, String)>,
}

async fn page(state: &AppState, ctx: &Ctx, notice: Option<&str>, f: Failed) -> HttpResponse {
    let teams = match db(state, |conn| app::list_teams(conn, None)).await {
        Ok(t) => t,
        Err(e) => return failed(ctx, &e),
    };
    let rows = teams
        .into_iter()
        .map(|team| match &f.rename {
            Some((id, typed, e)) if *id == team.id => TeamRow {
                id: team.id,
                name: typed.clone(),
                error: Some(e.clone()),
            },
            _ => TeamRow {
                id: team.id,
                name: team.name,
                error: None,
            },
        })
        .collect();
    render(
        f.status.unwrap_or(StatusCode::OK),
        &TeamsPage {
            lang: ctx.t.lang_code,
            title: ctx.t.teams,
            t: ctx.t,
            user: ctx.user(),
            csrf: ctx.csrf(),
            notice,
            errors: f.errors,
            create_errors: f.create_errors,
            new_name: f.new_name,
            teams: rows,
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
    page(&state, &ctx, notice, Failed::default()).await
}

fn done(ctx: &Ctx, what: &str) -> HttpResponse {
    redirect(&format!("/admin/teams?{}&done={what}", ctx.q()))
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
    let name = f.get("name");
    let typed = name.clone();
    match db(&state, move |conn| app::create_team(conn, &name)).await {
        Ok(_) => done(&ctx, "saved"),
        Err(e) => match Errors::from_error(ctx.lang, &e) {
            Some(mut errors) => {
                // A taken name is this field's problem.
                for (field, _) in errors.0.iter_mut() {
                    if field == "_form" {
                        *field = "name".into();
                    }
                }
                let failed = Failed {
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    errors: Errors(vec![("name".into(), String::new())]),
                    create_errors: errors,
                    new_name: typed,
                    rename: None,
                };
                page(&state, &ctx, None, failed).await
            }
            None => failed(&ctx, &e),
        },
    }
}

#[tracing::instrument(skip_all)]
pub async fn rename(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<TeamId>,
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
    let name = f.get("name");
    let typed = name.clone();
    match db(&state, move |conn| app::rename_team(conn, id, &name)).await {
        Ok(_) => done(&ctx, "saved"),
        Err(e) => match Errors::from_error(ctx.lang, &e) {
            Some(errors) => {
                let message = errors.0.first().map(|(_, m)| m.clone()).unwrap_or_default();
                let failed = Failed {
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    errors: Errors(vec![("name".into(), String::new())]),
                    rename: Some((id, typed, message)),
                    ..Failed::default()
                };
                page(&state, &ctx, None, failed).await
            }
            None => failed(&ctx, &e),
        },
    }
}

#[tracing::instrument(skip_all)]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<TeamId>,
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
    match db(&state, move |conn| app::delete_team(conn, id)).await {
        Ok(()) => done(&ctx, "deleted"),
        Err(e) => match Errors::from_error(ctx.lang, &e) {
            Some(errors) => {
                let message = errors.0.first().map(|(_, m)| m.clone()).unwrap_or_default();
                let failed = Failed {
                    status: Some(StatusCode::CONFLICT),
                    errors: Errors(vec![("_form".into(), message)]),
                    ..Failed::default()
                };
                page(&state, &ctx, None, failed).await
            }
            None => failed(&ctx, &e),
        },
    }
}
