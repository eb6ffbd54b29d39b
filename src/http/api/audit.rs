//! The audit log over HTTP: read-only. No route changes or deletes an entry.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::audit::{self, EntryView, Query};
use crate::error::ErrorBody;
use crate::http::auth::Principal;
use crate::http::pages::session::urlencode;
use crate::http::{db, AppState, JsonBody};

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<EntryView>,
    /// The next (older) page with the same filters, or null on the last page.
    pub next: Option<String>,
}

/// The filters as a query string (without `before`), for the next page and the CSV link.
pub fn query_string(q: &Query) -> String {
    let mut parts = Vec::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            parts.push(format!("{k}={}", urlencode(v.trim())));
        }
    };
    add("since", q.since.clone());
    add("until", q.until.clone());
    add("actor", q.actor.clone());
    add("action", q.action.clone());
    add("limit", q.limit.map(|l| l.to_string()));
    parts.join("&")
}

/// Where this server is reached: the public URL, else the request's own scheme and host.
fn base(state: &AppState, req: &HttpRequest) -> String {
    match &state.settings.public_url {
        Some(u) => u.clone(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

handler! {
    (get, path = "/api/v1/audit", tag = "admin", params(Query))
    responses((status = 200, body = AuditPage, description = "the entries, newest first, with the link to the next page"))
    errors(401, 403, 422) bearer
    fn list_audit(
        state: web::Data<AppState>,
        req: HttpRequest,
        who: Principal,
        query: web::Query<Query>,
    ) {
        who.require_admin()?;
        let q = query.into_inner();
        let filters = query_string(&q);
        let page = db(&state, move |conn| audit::list(conn, &who, &q)).await?;
        let next = page.next_before.map(|before| {
            let sep = if filters.is_empty() { "" } else { "&" };
            format!(
                "{}/api/v1/audit?{filters}{sep}before={before}",
                base(&state, &req)
            )
        });
        Ok(HttpResponse::Ok().json_line(AuditPage {
            entries: page.entries,
            next,
        }))
    }
}
