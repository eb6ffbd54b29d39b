//! HTTP: one route table used by the server and the tests. Handlers parse, delegate, respond.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use std::sync::Arc;

use crate::config::Settings;
use crate::error::{self, AppError};
use crate::store::{AnyConnection, Pool};

pub mod api;
pub mod audit;
pub mod auth;
pub mod bearer_limit;
pub mod client;
pub mod download;
pub mod heavy;
pub mod limits;
pub mod live_device;
pub mod live_hub;
pub mod openapi;
pub mod pacing;
pub mod pages;

/// Shared, immutable application state. The server keeps no other state of its own.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    /// Group-commit writer for submissions.
    pub writer: crate::ingest::Writer,
    /// Surveys, dimensions and waves (immutable rows) for the respondent path.
    pub cache: Arc<crate::store::cache::Cache>,
    /// Per-address limits on the respondent endpoints.
    pub limiter: Arc<limits::Limiter>,
    /// Wrong admin bearer tokens per address.
    pub bearer_limit: Arc<bearer_limit::BearerLimit>,
    /// The organisation's OpenID provider, when one is configured.
    pub oidc: Option<Arc<crate::oidc::Provider>>,
    /// Heavy work at once (`KLANTSPIEGEL_HEAVY_LIMIT`).
    pub heavy: Arc<heavy::HeavyGate>,
    /// Listeners of live workshop sessions on this instance.
    pub live: Arc<live_hub::LiveHub>,
}

/// Runs blocking database work off the async executor, with a pooled connection.
pub async fn db<T, F>(state: &AppState, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

pub use crate::error::JsonBody;

/// Maximum JSON body (a submission or an admin request).
pub const JSON_LIMIT: usize = 256 * 1024;
/// Maximum form body (questionnaire, login, workshop action).
pub const FORM_LIMIT: usize = 64 * 1024;

/// The route table.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(JSON_LIMIT)
            .error_handler(|e, _| error::json_error(e).into()),
    )
    .app_data(
        web::FormConfig::default()
            .limit(FORM_LIMIT)
            .error_handler(|e, _| error::form_error(e).into()),
    )
    .app_data(web::QueryConfig::default().error_handler(|e, _| error::query_error(e).into()))
    .app_data(web::PathConfig::default().error_handler(|e, _| error::path_error(e).into()))
    .route("/healthz", web::get().to(healthz))
    .route("/api/v1/openapi.json", web::get().to(openapi::serve))
    .service(web::scope("/api/v1").configure(api::configure))
    .configure(pages::configure)
    .default_service(web::to(not_found));
}

/// How long `/healthz` waits for a connection, and its write probe for a lock.
const HEALTH_WAIT: std::time::Duration = std::time::Duration::from_millis(800);

/// 200 when the database answers and takes writes (a committed write probe, and no recent
/// failed write of this instance: see `store::health`); else 503 naming the cause, within
/// about two seconds. A database busy with another writer is healthy (`"writes": "busy"`).
///
/// `"pool"` says whether a pooled connection was free (`"ok"`) or every one was in use
/// (`"exhausted"`): then the database is probed on a connection of its own, so a busy instance
/// whose database answers stays 200 (a load balancer keeps it), and an instance whose database
/// is down says so (503 `unavailable`).
async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    use crate::store::health::{self, Fault, Probe};
    let pool = state.pool.clone();
    let url = state.settings.database.clone();
    let probe = web::block(move || match pool.get_timeout(HEALTH_WAIT) {
        Ok(mut conn) => health::probe(&mut conn, HEALTH_WAIT).map(|p| (p, "ok")),
        Err(e) => {
            let st = pool.state();
            if st.connections < pool.max_size() || st.idle_connections > 0 {
                // The pool could make a connection and failed: the database does not answer.
                let detail = e.to_string();
                let fault = health::classify(&detail)
                    .filter(|f| *f != Fault::Busy)
                    .unwrap_or(Fault::Unreachable);
                return Err((fault, detail));
            }
            tracing::warn!(
                connections = st.connections,
                "/healthz: every pooled connection is in use; probing the database directly"
            );
            let mut conn = crate::store::ConnectionManager::new(url)
                .connect()
                .map_err(|e| {
                    let detail = e.to_string();
                    (
                        health::classify(&detail).unwrap_or(Fault::Unreachable),
                        detail,
                    )
                })?;
            health::probe(&mut conn, HEALTH_WAIT).map(|p| (p, "exhausted"))
        }
    })
    .await?;
    let (writes, pool) = match probe {
        Err((fault, detail)) => return Err(AppError::unavailable(fault, &detail)),
        Ok((Probe::Busy, pool)) => ("busy", pool),
        Ok((Probe::Writes, pool)) => ("ok", pool),
    };
    if let Some(fault) = state.writer.health().failing() {
        return Err(crate::error::fault_code(fault).into());
    }
    Ok(HttpResponse::Ok()
        .json_line(serde_json::json!({"status": "ok", "writes": writes, "pool": pool})))
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(crate::error::ErrorCode::RouteNotFound.into())
}

/// A per-process random start plus a counter: unique per process, no system call per request.
fn new_request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static BASE: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = *BASE.get_or_init(|| {
        let mut b = [0u8; 8];
        let _ = getrandom::fill(&mut b);
        u64::from_le_bytes(b)
    });
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{:016x}", base.wrapping_add(n))
}

/// One log line per request: method, route pattern (never the path: respondent links hold
/// tokens), status, duration, request id. Handlers run inside the request's span.
pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    use tracing::Instrument;
    let id = new_request_id();
    let method = req.method().clone();
    let started = std::time::Instant::now();
    let span = tracing::info_span!("request", request_id = %id);
    let res = next.call(req).instrument(span).await;
    match &res {
        Ok(r) if tracing::enabled!(tracing::Level::INFO) => {
            let route = r.request().match_pattern();
            tracing::info!(
                request_id = %id,
                method = %method,
                route = route.as_deref().unwrap_or("(unmatched)"),
                status = r.status().as_u16(),
                // Two decimals (10 µs) is all a duration in a log line can tell.
                duration_ms = format_args!("{:.2}", started.elapsed().as_secs_f64() * 1000.0),
                "request"
            );
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(request_id = %id, method = %method, error = %e, "request failed"),
    }
    res.map(|mut r| {
        if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&id) {
            r.headers_mut().insert(
                actix_web::http::header::HeaderName::from_static("x-request-id"),
                v,
            );
        }
        r
    })
}

/// Headers on every response: no sniffing, no framing, no referrer (tokens live in URLs),
/// and a Content-Security-Policy without inline scripts.
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ))
}
