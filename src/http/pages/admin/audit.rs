//! /admin/audit: the audit log for admins (and the works council they show it to), filtered by
//! who, action and period, newest first, a page at a time; the same filters as a CSV download.
//! Read-only: the page has no form that changes anything.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

use super::{Admin, Errors, State};
use crate::app::audit::{self, Action, EntryView, Query};
use crate::error::{AppError, ErrorCode};
use crate::http::db;
use crate::http::pages::render;
use crate::http::pages::session::urlencode;
use crate::i18n::audit::{action_label, audit_text, AuditText};
use crate::i18n::console::ConsoleText;

/// The page's filters as typed: dates (YYYY-MM-DD), not instants.
#[derive(serde::Deserialize, Default, Clone)]
pub struct PageQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    before: Option<i64>,
}

pub struct Row {
    at: String,
    actor: String,
    action: String,
    object: String,
    outcome: String,
    outcome_word: &'static str,
    detail: String,
}

#[derive(askama::Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    h: super::Head,
    t: &'a ConsoleText,
    a: &'a AuditText,
    intro: String,
    actor: String,
    since: String,
    until: String,
    /// (value, words, selected)
    actions: Vec<(&'static str, &'static str, bool)>,
    errors: Errors,
    rows: Vec<Row>,
    csv_link: String,
    older_link: Option<String>,
    newest_link: Option<String>,
}

/// A typed date as the start of that day (UTC), `days` later; 422 naming the field.
fn day(value: &str, field: &str, days: i64) -> Result<Option<String>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        AppError::at(
            field,
            ErrorCode::NotADate {
                value: value.chars().take(40).collect(),
            },
        )
    })?;
    let start = date.and_time(chrono::NaiveTime::MIN) + chrono::Duration::days(days);
    Ok(Some(
        start
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    ))
}

/// The log's filters of the page's (the period is whole days: `until` includes its day).
fn query(q: &PageQuery) -> Result<Query, AppError> {
    Ok(Query {
        since: day(&q.since, "since", 0)?,
        until: day(&q.until, "until", 1)?,
        actor: Some(q.actor.clone()).filter(|a| !a.trim().is_empty()),
        action: Some(q.action.clone()).filter(|a| !a.trim().is_empty()),
        limit: None,
        before: q.before,
    })
}

/// The page's own filters as a query string (for the paging and CSV links).
fn filters(q: &PageQuery, lang: &str) -> String {
    let mut s = format!("lang={lang}");
    for (k, v) in [
        ("actor", &q.actor),
        ("action", &q.action),
        ("since", &q.since),
        ("until", &q.until),
    ] {
        if !v.trim().is_empty() {
            s.push_str(&format!("&{k}={}", urlencode(v.trim())));
        }
    }
    s
}

fn row(a: &AuditText, lang: crate::i18n::Lang, e: EntryView) -> Row {
    let object = {
        let mut o = e.object.kind.clone();
        if let Some(id) = e.object.id {
            o.push_str(&format!(" #{id}"));
        }
        if let Some(n) = &e.object.name {
            o.push_str(&format!(" ({n})"));
        }
        o
    };
    Row {
        at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
        actor: e.actor,
        action: Action::parse(&e.action).map_or(e.action.clone(), |x| {
            format!("{} ({})", action_label(lang, x), x.as_str())
        }),
        object,
        outcome_word: a.outcome_word(&e.outcome),
        outcome: e.outcome,
        detail: e.detail.unwrap_or_default(),
    }
}

#[tracing::instrument(skip_all)]
pub async fn show(state: State, admin: Admin, q: web::Query<PageQuery>) -> HttpResponse {
    let q = q.into_inner();
    let (t, a) = (admin.t, audit_text(admin.lang));
    let mut errors = Errors::default();
    let mut status = StatusCode::OK;
    let (rows, next) = match query(&q) {
        Err(e) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            errors = Errors::from_error(admin.lang, &e).unwrap_or_default();
            (Vec::new(), None)
        }
        Ok(filter) => {
            let who = admin.who.clone();
            match db(&state, move |conn| audit::list(conn, &who, &filter)).await {
                Ok(page) => (page.entries, page.next_before),
                Err(e) => return admin.failed(&e),
            }
        }
    };
    let own = filters(&q, t.lang_code);
    let page = AuditPage {
        h: admin.head(a.title, "/admin/audit").errors(&errors),
        t,
        a,
        intro: a
            .intro
            .replace("{days}", &state.settings.audit_days.to_string()),
        actor: q.actor.clone(),
        since: q.since.clone(),
        until: q.until.clone(),
        actions: Action::ALL
            .iter()
            .map(|x| {
                (
                    x.as_str(),
                    action_label(admin.lang, *x),
                    x.as_str() == q.action.trim(),
                )
            })
            .collect(),
        errors,
        rows: rows.into_iter().map(|e| row(a, admin.lang, e)).collect(),
        csv_link: format!("/admin/audit.csv?{own}"),
        older_link: next.map(|b| format!("/admin/audit?{own}&before={b}")),
        newest_link: q.before.map(|_| format!("/admin/audit?{own}")),
    };
    render(status, &page)
}

/// GET /admin/audit.csv: every entry the filters select, newest first.
#[tracing::instrument(skip_all)]
pub async fn csv(state: State, admin: Admin, q: web::Query<PageQuery>) -> HttpResponse {
    let q = q.into_inner();
    let filter = match query(&q) {
        Ok(f) => Query { before: None, ..f },
        Err(e) => return admin.failed(&e),
    };
    let who = admin.who.clone();
    match db(&state, move |conn| audit::csv(conn, &who, &filter)).await {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"klantspiegel-audit.csv\"",
            ))
            .body(body),
        Err(e) => admin.failed(&e),
    }
}
