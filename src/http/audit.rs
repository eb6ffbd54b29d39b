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

/// What a route does, for the log: its action, the kind of object its path names and the
/// path parameter holding that object's id.
struct Route {
    method: Method,
    pattern: &'static str,
    action: Action,
    kind: &'static str,
    id: Option<&'static str>,
}

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

fn routes() -> Vec<Route> {
    use Action::*;
    let r = |method: Method, pattern, action, kind, id| Route {
        method,
        pattern,
        action,
        kind,
        id,
    };
    let (post, patch, put, delete) = (Method::POST, Method::PATCH, Method::PUT, Method::DELETE);
    vec![
        // the API
        r(post.clone(), "/api/v1/teams", TeamCreated, "team", None),
        r(
            patch.clone(),
            "/api/v1/teams/{id}",
            TeamRenamed,
            "team",
            Some("id"),
        ),
        r(
            delete.clone(),
            "/api/v1/teams/{id}",
            TeamDeleted,
            "team",
            Some("id"),
        ),
        r(
            post.clone(),
            "/api/v1/surveys",
            SurveyCreated,
            "survey",
            None,
        ),
        r(
            patch.clone(),
            "/api/v1/surveys/{id}",
            SurveyUpdated,
            "survey",
            Some("id"),
        ),
        r(
            post.clone(),
            "/api/v1/surveys/{id}/waves",
            WaveCreated,
            "survey",
            Some("id"),
        ),
        r(
            patch.clone(),
            "/api/v1/surveys/{id}/waves/{wave_id}",
            WaveUpdated,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/api/v1/surveys/{id}/invitations",
            InvitationsCreated,
            "survey",
            Some("id"),
        ),
        r(
            post.clone(),
            "/api/v1/surveys/{id}/import",
            ResponsesImported,
            "survey",
            Some("id"),
        ),
        r(
            post.clone(),
            "/api/v1/surveys/{id}/actions",
            ActionCreated,
            "survey",
            Some("id"),
        ),
        r(
            patch.clone(),
            "/api/v1/actions/{id}",
            ActionUpdated,
            "action",
            Some("id"),
        ),
        r(post.clone(), "/api/v1/users", UserCreated, "user", None),
        r(
            patch.clone(),
            "/api/v1/users/{id}",
            UserUpdated,
            "user",
            Some("id"),
        ),
        r(
            delete.clone(),
            "/api/v1/users/{id}",
            UserDeleted,
            "user",
            Some("id"),
        ),
        r(
            delete.clone(),
            "/api/v1/invitations/{id}",
            InvitationRevoked,
            "invitation",
            Some("id"),
        ),
        r(
            post.clone(),
            "/api/v1/surveys/{id}/waves/{wave_id}/mailings",
            MailingCreated,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/api/v1/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/reminders",
            RemindersQueued,
            "mailing",
            Some("mailing_id"),
        ),
        r(
            put.clone(),
            "/api/v1/surveys/{id}/mail-templates/{lang}",
            TemplateSet,
            "survey",
            Some("id"),
        ),
        r(
            delete.clone(),
            "/api/v1/surveys/{id}/mail-templates/{lang}",
            TemplateReset,
            "survey",
            Some("id"),
        ),
        // the console
        r(post.clone(), "/admin/teams", TeamCreated, "team", None),
        r(
            post.clone(),
            "/admin/teams/{id}",
            TeamRenamed,
            "team",
            Some("id"),
        ),
        r(
            post.clone(),
            "/admin/teams/{id}/delete",
            TeamDeleted,
            "team",
            Some("id"),
        ),
        r(post.clone(), "/admin/users", UserCreated, "user", None),
        r(
            post.clone(),
            "/admin/users/{id}",
            UserUpdated,
            "user",
            Some("id"),
        ),
        r(
            post.clone(),
            "/admin/users/{id}/delete",
            UserDeleted,
            "user",
            Some("id"),
        ),
        r(
            post.clone(),
            "/admin/surveys",
            SurveyCreated,
            "survey",
            None,
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}",
            SurveyUpdated,
            "survey",
            Some("id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves",
            WaveCreated,
            "survey",
            Some("id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}",
            WaveUpdated,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/close",
            WaveClosed,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/import",
            ResponsesImported,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/links",
            InvitationsCreated,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/team-links",
            InvitationsCreated,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/mailings",
            MailingCreated,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/reminders",
            RemindersQueued,
            "mailing",
            Some("mailing_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/mailings/{mailing_id}/retry",
            MailsRetried,
            "mailing",
            Some("mailing_id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/mail-template",
            TemplateSet,
            "survey",
            Some("id"),
        ),
        r(
            post.clone(),
            "/admin/surveys/{id}/waves/{wave_id}/mail-test",
            TestMailSent,
            "wave",
            Some("wave_id"),
        ),
        r(
            post.clone(),
            "/admin/invitations/{id}/revoke",
            InvitationRevoked,
            "invitation",
            Some("id"),
        ),
        // the team leads' pages
        r(
            post.clone(),
            "/surveys/{id}/workshop/actions",
            ActionCreated,
            "survey",
            Some("id"),
        ),
        r(
            post,
            "/surveys/{id}/actions/{action_id}",
            ActionUpdated,
            "action",
            Some("action_id"),
        ),
    ]
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
        let route = routes()
            .into_iter()
            .find(|r| r.method == method && r.pattern == pattern);
        let read = READS.iter().chain(EXPORTS).find(|(p, _)| *p == pattern);
        let (action, object, detail) = match (route, read) {
            (Some(r), _) => (
                r.action,
                Object {
                    kind: r.kind,
                    id: r.id.and_then(|p| param_id(req, p)),
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
