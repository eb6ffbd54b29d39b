//! Reading the audit log: the API's page of entries, the console's page and the CSV, with the
//! filters they share.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Action, Principal, DEFAULT_LIMIT, MAX_LIMIT};
use crate::error::{AppError, ErrorCode};
use crate::store::{audit as rows, AnyConnection};

/// An entry as the API, the page and the CSV show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryView {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The user's e-mail, `admin-token`, `system` or `anonymous`.
    pub actor: String,
    /// e.g. `survey.create`, `sign_in`, `results.read`.
    pub action: String,
    pub object: ObjectView,
    /// `ok`, `refused` or `failed`.
    pub outcome: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectView {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<i64>,
    pub name: Option<String>,
}

impl From<rows::Row> for EntryView {
    fn from(r: rows::Row) -> EntryView {
        EntryView {
            id: r.id,
            at: r.at.and_utc(),
            actor: r.actor,
            action: r.action,
            object: ObjectView {
                kind: r.object_type,
                id: r.object_id,
                name: r.object_name,
            },
            outcome: r.outcome,
            detail: r.detail,
        }
    }
}

/// A reader's filters, as typed (the API's query, the page's form).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Query {
    /// Entries at or after this instant (RFC 3339).
    pub since: Option<String>,
    /// Entries before this instant (RFC 3339).
    pub until: Option<String>,
    /// The actor: a user's e-mail, `admin-token`, `system` or `anonymous`.
    pub actor: Option<String>,
    /// One action, e.g. `sign_in`.
    pub action: Option<String>,
    /// Entries per page, 1–1000 (default 100).
    pub limit: Option<i64>,
    /// Paging: entries with a smaller id (from `next`).
    pub before: Option<i64>,
}

/// Checks a reader's filters (422 naming the field).
pub fn filter(q: &Query) -> Result<rows::Filter, AppError> {
    let instant = |v: &Option<String>, field: &str| -> Result<_, AppError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| Some(t.naive_utc()))
                .map_err(|_| {
                    AppError::at(
                        field,
                        ErrorCode::NotADateTime {
                            value: s.chars().take(40).collect(),
                        },
                    )
                }),
        }
    };
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let action = text(&q.action);
    if let Some(a) = &action {
        if Action::parse(a).is_none() {
            return Err(AppError::at(
                "action",
                ErrorCode::NotOneOf {
                    value: a.chars().take(40).collect(),
                    allowed: Action::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            ));
        }
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::at(
            "limit",
            ErrorCode::Between {
                min: "1".into(),
                max: MAX_LIMIT.to_string(),
            },
        ));
    }
    Ok(rows::Filter {
        actor: text(&q.actor).map(|a| a.to_lowercase()),
        action,
        since: instant(&q.since, "since")?,
        until: instant(&q.until, "until")?,
        before: q.before,
        limit,
    })
}

/// One page of entries, newest first, and the id to continue below (None on the last page).
pub struct Page {
    pub entries: Vec<EntryView>,
    pub next_before: Option<i64>,
}

/// Reads a page of the log (admins only).
pub fn list(conn: &mut AnyConnection, who: &Principal, q: &Query) -> Result<Page, AppError> {
    who.require_admin()?;
    let mut f = filter(q)?;
    let limit = f.limit;
    f.limit = limit + 1;
    let mut found = rows::list(conn, &f)?;
    let more = found.len() as i64 > limit;
    found.truncate(limit as usize);
    let next_before = if more {
        found.last().map(|r| r.id)
    } else {
        None
    };
    Ok(Page {
        entries: found.into_iter().map(EntryView::from).collect(),
        next_before,
    })
}

/// The whole filtered log as CSV (admins only): `id,at,actor,action,object_type,object_id,
/// object_name,outcome,detail`, newest first, cells that a spreadsheet would run as a formula
/// quoted with a leading `'`.
pub fn csv(conn: &mut AnyConnection, who: &Principal, q: &Query) -> Result<String, AppError> {
    who.require_admin()?;
    let mut f = filter(q)?;
    f.limit = MAX_LIMIT;
    let mut out =
        String::from("id,at,actor,action,object_type,object_id,object_name,outcome,detail\r\n");
    loop {
        let page = rows::list(conn, &f)?;
        for r in &page {
            let cells = [
                r.id.to_string(),
                r.at.and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                r.actor.clone(),
                r.action.clone(),
                r.object_type.clone(),
                r.object_id.map(|i| i.to_string()).unwrap_or_default(),
                r.object_name.clone().unwrap_or_default(),
                r.outcome.clone(),
                r.detail.clone().unwrap_or_default(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        match page.last() {
            Some(last) if page.len() as i64 == f.limit => f.before = Some(last.id),
            _ => return Ok(out),
        }
    }
}

pub(super) fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
