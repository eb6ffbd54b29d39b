//! /admin/teams: add, rename and delete teams. Deleting asks first (a page of its own, no
//! script needed) and says what cannot be undone; a team with responses is kept, with the reason.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::audit::{deleting, Action, Object};
use crate::http::pages::session::change_as;

use super::{settle, Admin, Confirm, CsrfForm, Done, Errors, Head, State};
use crate::app::surveys as app;
use crate::domain::TeamId;
use crate::http::pages::render;
use crate::http::{db, AppState};

const TEAMS: &str = "/admin/teams";
use crate::i18n::console::ConsoleText;

pub struct TeamRow {
    pub id: TeamId,
    pub name: String,
    pub error: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "admin/teams.html")]
struct TeamsPage<'a> {
    h: Head,
    t: &'a ConsoleText,
    create_errors: Errors,
    new_name: String,
    teams: Vec<TeamRow>,
}

#[derive(serde::Deserialize, Default)]
pub struct NameForm {
    name: String,
}

/// What a page shown again keeps of a refused form.
enum Failed {
    Nothing(Option<&'static str>),
    Create(NameForm, Errors),
    Rename(TeamId, NameForm, Errors),
    Delete(Errors),
}

async fn page(state: &AppState, admin: &Admin, status: StatusCode, failed: Failed) -> HttpResponse {
    let teams = match db(state, |conn| app::list_teams(conn, None)).await {
        Ok(t) => t,
        Err(e) => return admin.failed(&e),
    };
    let (mut head, mut create, mut new_name) = (
        admin.head(admin.t.teams, "/admin/teams"),
        Errors::default(),
        String::new(),
    );
    let mut rename = None;
    match failed {
        Failed::Nothing(notice) => head = head.notice(notice),
        Failed::Create(f, e) => {
            head = head.errors(&e);
            (create, new_name) = (e, f.name);
        }
        Failed::Rename(id, f, e) => {
            head = head.errors(&e);
            rename = Some((id, f.name, e.0.into_iter().next().map(|x| x.1)));
        }
        Failed::Delete(e) => head = head.errors(&e),
    }
    let rows = teams
        .into_iter()
        .map(|team| match &rename {
            Some((id, typed, e)) if *id == team.id => TeamRow {
                id: team.id,
                name: typed.clone(),
                error: e.clone(),
            },
            _ => TeamRow {
                id: team.id,
                name: team.name,
                error: None,
            },
        })
        .collect();
    render(
        status,
        &TeamsPage {
            h: head,
            t: admin.t,
            create_errors: create,
            new_name,
            teams: rows,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn show(state: State, admin: Admin, q: web::Query<Done>) -> HttpResponse {
    page(
        &state,
        &admin,
        StatusCode::OK,
        Failed::Nothing(q.notice(admin.t)),
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn create(state: State, f: CsrfForm<NameForm>) -> HttpResponse {
    let CsrfForm { admin, form, .. } = f;
    let name = form.name.clone();
    let result = change_as(
        &state,
        admin.who.clone(),
        Action::TeamCreated,
        move |c, _| app::create_team(c, &name),
        move |t| Object::new("team", t.id, &t.name).into(),
    )
    .await;
    let again = |e: Errors, s| page(&state, &admin, s, Failed::Create(form, e.at("name")));
    settle(&admin, result, |_| admin.to(TEAMS, "saved"), again).await
}

#[tracing::instrument(skip_all)]
pub async fn rename(state: State, id: web::Path<TeamId>, f: CsrfForm<NameForm>) -> HttpResponse {
    let (CsrfForm { admin, form, .. }, id) = (f, id.into_inner());
    let name = form.name.clone();
    let result = change_as(
        &state,
        admin.who.clone(),
        Action::TeamRenamed,
        move |c, _| app::rename_team(c, id, &name),
        move |t| Object::new("team", t.id, &t.name).into(),
    )
    .await;
    let again = |e: Errors, s| page(&state, &admin, s, Failed::Rename(id, form, e.at("name")));
    settle(&admin, result, |_| admin.to(TEAMS, "saved"), again).await
}

/// GET …/delete: what deleting this team means, and the button that does it.
#[tracing::instrument(skip_all)]
pub async fn confirm(state: State, admin: Admin, id: web::Path<TeamId>) -> HttpResponse {
    let id = id.into_inner();
    let (t, here) = (admin.t, format!("/admin/teams/{id}/delete"));
    match db(&state, move |conn| crate::app::console::team(conn, id)).await {
        Ok(team) => super::confirm_page(
            &admin,
            admin.head(t.delete_team_title, here.clone()),
            &t.delete_team_question.replace("{team}", &team.name),
            &[t.delete_team_undone, t.delete_team_links],
            (format!("{here}?{}", admin.q()), t.delete_team_button),
            admin.to(TEAMS, ""),
        ),
        Err(e) => admin.failed(&e),
    }
}

#[tracing::instrument(skip_all)]
pub async fn delete(state: State, id: web::Path<TeamId>, f: CsrfForm<Confirm>) -> HttpResponse {
    let (admin, id) = (f.admin, id.into_inner());
    let result = change_as(
        &state,
        admin.who.clone(),
        Action::TeamDeleted,
        move |c, _| deleting(c, "team", id, app::delete_team),
        move |name| Object::named("team", id, name.clone()).into(),
    )
    .await;
    let again = |e, s| page(&state, &admin, s, Failed::Delete(e));
    settle(&admin, result, |_| admin.to(TEAMS, "deleted"), again).await
}
