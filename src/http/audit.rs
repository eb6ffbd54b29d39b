//! What the audit log learns from a request's answer, after the handler ran: refusals (401,
//! 403, 409: nothing was changed, so there is no transaction to share), reads of results (once
//! per reader, scope and day) and exports of responses (every one). Changes themselves are
//! logged by the handlers through `app::audit::audited`, in their transactions.
//!
//! The respondent's routes (`/r/…`, `/o/…`, `POST /api/v1/responses`) are never looked at:
//! respondents are anonymous. Sign-ins and sign-outs are logged by `app::accounts` and
//! `app::sign_in`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};
use std::collections::HashMap;

use super::AppState;
use crate::app::accounts::Principal;
use crate::app::audit::{self, Action, Actor, Entry, Object, Outcome};

/// A read of results: which view it is (the entry's detail, with the scope).
const READS: &[(&str, &str)] = &[
    ("/api/v1/surveys/{id}/comparison", "report"),
    ("/api/v1/surveys/{id}/trend", "trend"),
    ("/api/v1/surveys/{id}/charts/{file}", "chart"),
    ("/api/v1/surveys/{id}/workshop.pdf", "pdf"),
    ("/api/v1/surveys/{id}/report.xlsx", "xlsx"),
    ("/surveys/{id}", "page"),
    ("/surveys/{id}/workshop", "workshop"),
];

/// Exports of raw responses: every one is logged.
const EXPORTS: &[(&str, &str)] = &[
    ("/api/v1/surveys/{id}/export.csv", "csv"),
    ("/api/v1/surveys/{id}/export.xlsx", "xlsx"),
];

/// Never looked at: the respondents' routes, and the sign-in routes (logged where they are
/// handled).
fn ignored(pattern: &str) -> bool {
    pattern.starts_with("/r/")
        || pattern.starts_with("/o/")
        || pattern.starts_with("/static/")
        || pattern.starts_with("/auth/")
        || matches!(
            pattern,
            "/api/v1/responses" | "/login" | "/logout" | "/healthz" | "/" | "/api/v1/openapi.json"
        )
}

/// The change routes: `method "pattern" => action, kind of the object its path names, the path
/// parameter holding the object's id (`-` for none)`. A refusal of one is logged with this
/// action; a success is logged by the handler, in its transaction.
macro_rules! change_routes {
    ($($method:ident $pattern:literal => $action:ident, $kind:literal, $id:tt;)+) => {
        const ROUTES: &[(&str, &str, Action, &str, Option<&str>)] = &[
            $((stringify!($method), $pattern, Action::$action, $kind, change_routes!(@id $id)),)+
        ];
    };
    (@id -) => { None };
    (@id $id:literal) => { Some($id) };
}

change_routes! {
    // the API
    post "/api/v1/teams" => TeamCreated, "team", -;
    patch "/api/v1/teams/{id}" => TeamRenamed, "team", "id";
    delete "/api/v1/teams/{id}" => TeamDeleted, "team", "id";
    post "/api/v1/surveys" => SurveyCreated, "survey", -;
    patch "/api/v1/surveys/{id}" => SurveyUpdated, "survey", "id";
    post "/api/v1/surveys/{id}/waves" => WaveCreated, "survey", "id";
    patch "/api/v1/surveys/{id}/waves/{wave_id}" => WaveUpdated, "wave", "wave_id";
    post "/api/v1/surveys/{id}/invitations" => InvitationsCreated, "survey", "id";
    post "/api/v1/surveys/{id}/import" => ResponsesImported, "survey", "id";
    post "/api/v1/surveys/{id}/actions" => ActionCreated, "survey", "id";
    patch "/api/v1/actions/{id}" => ActionUpdated, "action", "id";
    post "/api/v1/users" => UserCreated, "user", -;
    patch "/api/v1/users/{id}" => UserUpdated, "user", "id";
    delete "/api/v1/users/{id}" => UserDeleted, "user", "id";
    delete "/api/v1/invitations/{id}" => InvitationRevoked, "invitation", "id";
    post "/api/v1/surveys/{id}/waves/{wave_id}/mailings" => MailingCreated, "wave", "wave_id";
    post "/api/v1/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/reminders" => RemindersQueued, "mailing", "mailing_id";
    put "/api/v1/surveys/{id}/mail-templates/{lang}" => TemplateSet, "survey", "id";
    delete "/api/v1/surveys/{id}/mail-templates/{lang}" => TemplateReset, "survey", "id";
    // the console
    post "/admin/teams" => TeamCreated, "team", -;
    post "/admin/teams/{id}" => TeamRenamed, "team", "id";
    post "/admin/teams/{id}/delete" => TeamDeleted, "team", "id";
    post "/admin/users" => UserCreated, "user", -;
    post "/admin/users/{id}" => UserUpdated, "user", "id";
    post "/admin/users/{id}/delete" => UserDeleted, "user", "id";
    post "/admin/surveys" => SurveyCreated, "survey", -;
    post "/admin/surveys/{id}" => SurveyUpdated, "survey", "id";
    post "/admin/surveys/{id}/waves" => WaveCreated, "survey", "id";
    post "/admin/surveys/{id}/waves/{wave_id}" => WaveUpdated, "wave", "wave_id";
    post "/admin/surveys/{id}/waves/{wave_id}/close" => WaveClosed, "wave", "wave_id";
    post "/admin/surveys/{id}/waves/{wave_id}/import" => ResponsesImported, "wave", "wave_id";
    post "/admin/surveys/{id}/waves/{wave_id}/links" => InvitationsCreated, "wave", "wave_id";
    post "/admin/surveys/{id}/waves/{wave_id}/team-links" => InvitationsCreated, "wave", "wave_id";
    post "/admin/surveys/{id}/waves/{wave_id}/mailings" => MailingCreated, "wave", "wave_id";
    post "/admin/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/reminders" => RemindersQueued, "mailing", "mailing_id";
    post "/admin/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/retry" => MailsRetried, "mailing", "mailing_id";
    post "/admin/surveys/{id}/waves/{wave_id}/mail-template" => TemplateSet, "survey", "id";
    post "/admin/surveys/{id}/waves/{wave_id}/mail-test" => TestMailSent, "wave", "wave_id";
    post "/admin/invitations/{id}/revoke" => InvitationRevoked, "invitation", "id";
    // the team leads' pages
    post "/surveys/{id}/workshop/actions" => ActionCreated, "survey", "id";
    post "/surveys/{id}/actions/{action_id}" => ActionUpdated, "action", "action_id";
}

/// What to log about one answered request.
enum Note {
    /// A refused request (401, 403, 409).
    Refused(Entry),
    /// A read of results: once per reader, scope and day.
    Read(Entry),
    /// An export of responses: every time.
    Export(Entry),
}

/// Whom a request came from: the principal its extractor found (see `http::auth`), if any.
pub fn remember(req: &HttpRequest, who: &Principal) {
    req.extensions_mut().insert(who.clone());
}

fn actor(req: &HttpRequest) -> Actor {
    req.extensions()
        .get::<Principal>()
        .map_or_else(Actor::anonymous, Actor::of)
}

fn param_id(req: &HttpRequest, name: &str) -> Option<i64> {
    req.match_info().get(name).and_then(|v| v.parse().ok())
}

/// The scope of a read, from its query: `team 3` / `all teams`, `wave 2` / `latest wave`.
fn scope(query: &HashMap<String, String>) -> String {
    let team = query
        .get("team_id")
        .and_then(|t| t.parse::<i64>().ok())
        .map_or("all teams".to_string(), |t| format!("team {t}"));
    let wave = query
        .get("wave_id")
        .and_then(|w| w.parse::<i64>().ok())
        .map_or("latest wave".to_string(), |w| format!("wave {w}"));
    format!("{team}, {wave}")
}

/// Decides what, if anything, an answered request adds to the log.
fn note(req: &HttpRequest, status: StatusCode) -> Option<Note> {
    let pattern = req.match_pattern()?;
    if ignored(&pattern) {
        return None;
    }
    let method = req.method();
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let survey = || Object {
        kind: "survey",
        id: param_id(req, "id"),
        name: None,
    };
    if matches!(status.as_u16(), 401 | 403 | 409) {
        let route = ROUTES
            .iter()
            .find(|(m, p, ..)| m.eq_ignore_ascii_case(method.as_str()) && *p == pattern.as_str());
        let read = READS.iter().chain(EXPORTS).find(|(p, _)| *p == pattern);
        let (action, object, detail) = match (route, read) {
            (Some((_, _, action, kind, id)), _) => (
                *action,
                Object {
                    kind,
                    id: id.and_then(|p| param_id(req, p)),
                    name: None,
                },
                None,
            ),
            (_, Some((p, what))) => {
                let action = if EXPORTS.iter().any(|(e, _)| e == p) {
                    Action::ResponsesExported
                } else {
                    Action::ResultsRead
                };
                (action, survey(), Some(format!("{what}, {}", scope(&query))))
            }
            _ => (
                Action::Request,
                Object::kind("route"),
                Some(format!("{method} {pattern}")),
            ),
        };
        let mut entry = Entry::new(actor(req), action, object, Outcome::Refused);
        entry.detail = Some(match detail {
            Some(d) => format!("{d}; status {}", status.as_u16()),
            None => format!("status {}", status.as_u16()),
        });
        return Some(Note::Refused(entry));
    }
    if !status.is_success() || method != Method::GET {
        return None;
    }
    if let Some((_, what)) = EXPORTS.iter().find(|(p, _)| *p == pattern) {
        let excel = query.get("excel").is_some_and(|e| e == "1");
        let wave = query
            .get("wave_id")
            .and_then(|w| w.parse::<i64>().ok())
            .map_or("all waves".to_string(), |w| format!("wave {w}"));
        let format = if excel { "csv (Excel)" } else { what };
        let about = survey();
        let entry = Entry::new(
            actor(req),
            Action::ResponsesExported,
            audit::About {
                object: about,
                detail: Some(format!("{format}, {wave}")),
            },
            Outcome::Ok,
        );
        return Some(Note::Export(entry));
    }
    if let Some((_, what)) = READS.iter().find(|(p, _)| *p == pattern) {
        let entry = Entry::new(
            actor(req),
            Action::ResultsRead,
            audit::About {
                object: survey(),
                detail: Some(format!("{what}, {}", scope(&query))),
            },
            Outcome::Ok,
        );
        return Some(Note::Read(entry));
    }
    None
}

/// The middleware: after the handler answered, appends what [`note`] found. A failure to
/// write the entry is logged and does not change the answer.
pub async fn audit_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let Some(note) = note(res.request(), res.status()) else {
        return Ok(res);
    };
    let Some(state) = res.request().app_data::<web::Data<AppState>>().cloned() else {
        return Ok(res);
    };
    let written = super::db(&state, move |conn| {
        let (mut entry, once) = match note {
            Note::Refused(e) | Note::Export(e) => (e, false),
            Note::Read(e) => (e, true),
        };
        if let Some(id) = entry.object.id {
            entry.object.name = audit::name_of(conn, entry.object.kind, id)?;
        }
        if once {
            audit::record_once_a_day(conn, &entry)
        } else {
            audit::record(conn, &entry)
        }
    })
    .await;
    if let Err(e) = written {
        tracing::error!(error = %e, "an audit entry could not be written");
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every API route the log names is a route the server has (a renamed route would
    /// otherwise lose its action silently).
    #[test]
    fn the_api_routes_named_here_exist() {
        let api: Vec<(String, String)> = crate::http::api::ROUTES
            .iter()
            .map(|(path, method)| (method.to_string(), format!("/api/v1{path}")))
            .collect();
        let named = ROUTES
            .iter()
            .map(|(m, p, ..)| (m.to_string(), p.to_string()))
            .chain(
                READS
                    .iter()
                    .chain(EXPORTS)
                    .map(|(p, _)| ("get".into(), p.to_string())),
            )
            .filter(|(_, p)| p.starts_with("/api/"));
        for (method, pattern) in named {
            assert!(
                api.contains(&(method.clone(), pattern.clone())),
                "{method} {pattern}"
            );
        }
    }

    #[test]
    fn respondents_are_never_looked_at() {
        for p in ["/r/{token}", "/o/{token}", "/api/v1/responses"] {
            assert!(ignored(p), "{p}");
        }
    }
}
