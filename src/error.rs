//! One error type for the HTTP layer, mapped to a status and a JSON body in one place.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Invalid;
use crate::store::health::{self, Fault};

/// One bad row (or cell) of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest {
        message: String,
        field: Option<String>,
    },
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{message}")]
    Gone { code: &'static str, message: String },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{message}")]
    Validation { field: String, message: String },
    #[error("{message}")]
    ImportRejected {
        message: String,
        /// At most `csvio::MAX_PROBLEMS` problems, in file order.
        rows: Vec<RowError>,
        /// Problems found beyond those listed.
        omitted: u64,
    },
    #[error("{0}")]
    RequestTimeout(String),
    #[error("too many requests; try again in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The error body: `{"error": {"code", "message", "field"?}}`, plus `rows` for imports (at
/// most 1000) and `rows_omitted`, the number of further problems not listed.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowError>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_omitted: Option<u64>,
}

/// Seconds a client is told to wait (`Retry-After`) after a 503.
pub const RETRY_AFTER_SECS: u64 = 5;

impl AppError {
    pub fn internal(e: impl Into<anyhow::Error>) -> AppError {
        AppError::Internal(e.into())
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A database fault: noted for the log (once, not per request) and answered 503.
    pub fn unavailable(fault: Fault, detail: &str) -> AppError {
        health::report(fault, detail);
        AppError::Unavailable(fault.client_message())
    }

    /// The fault behind a failed write, if it was one (else the error stays internal).
    pub fn from_db_message(detail: String) -> AppError {
        match health::classify(&detail) {
            Some(fault) => AppError::unavailable(fault, &detail),
            None => AppError::Internal(anyhow::anyhow!(detail)),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            message: message.into(),
            field: None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { .. } => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict { code, .. } | AppError::Gone { code, .. } => code,
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::Validation { .. } => "validation_failed",
            AppError::ImportRejected { .. } => "import_rejected",
            AppError::RequestTimeout(_) => "request_timeout",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn field(&self) -> Option<String> {
        match self {
            AppError::BadRequest { field, .. } => field.clone(),
            AppError::Validation { field, .. } => Some(field.clone()),
            _ => None,
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.to_string(),
                field: self.field(),
            },
            rows: match self {
                AppError::ImportRejected { rows, .. } => Some(rows.clone()),
                _ => None,
            },
            rows_omitted: match self {
                AppError::ImportRejected { omitted, .. } => Some(*omitted),
                _ => None,
            },
        }
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Validation {
            field: e.field,
            message: e.message,
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        if let Some(fault) = health::diesel_fault(&e) {
            return AppError::unavailable(fault, &e.to_string());
        }
        match e {
            Error::NotFound => AppError::NotFound("record".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => AppError::Conflict {
                code: "conflict",
                message: format!("already exists ({})", info.message()),
            },
            other => AppError::Internal(other.into()),
        }
    }
}

/// No pooled connection within `store::POOL_WAIT`: the server is down or every connection is
/// busy. Either way the request can be tried again.
impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        let detail = e.to_string();
        let fault = health::classify(&detail)
            .filter(|f| *f != Fault::Busy)
            .unwrap_or(Fault::Unreachable);
        AppError::unavailable(fault, &detail)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Gone { .. } => StatusCode::GONE,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Validation { .. } | AppError::ImportRejected { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(e) = self {
            // The cause chain, without a backtrace per request.
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        let mut resp = HttpResponse::build(self.status_code());
        match self {
            AppError::Unauthorized => {
                resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            AppError::RateLimited { retry_after } => {
                resp.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            AppError::Unavailable(_) => {
                resp.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS.to_string()));
            }
            // The rest of a timed-out body is never read: the connection ends here.
            AppError::RequestTimeout(_) => {
                resp.force_close();
            }
            _ => {}
        }
        resp.json_line(self.body())
    }
}

/// Maps actix's extractor errors (bad JSON, bad query, too large) to our body.
pub fn json_error(err: actix_web::error::JsonPayloadError) -> AppError {
    use actix_web::error::JsonPayloadError as J;
    match &err {
        J::OverflowKnownLength { .. } | J::Overflow { .. } => {
            AppError::PayloadTooLarge(format!("request body too large: {err}"))
        }
        J::Payload(p) => payload_error(p),
        J::ContentType => AppError::BadRequest {
            message: "expected Content-Type: application/json".into(),
            field: None,
        },
        J::Deserialize(e) => {
            let field = field_from_serde(&e.to_string());
            if e.is_data() {
                AppError::Validation {
                    field: field.unwrap_or_else(|| "body".into()),
                    message: format!("invalid request body: {e}"),
                }
            } else {
                AppError::BadRequest {
                    message: format!("malformed JSON: {e}"),
                    field,
                }
            }
        }
        _ => AppError::BadRequest {
            message: format!("bad request body: {err}"),
            field: None,
        },
    }
}

pub fn form_error(err: actix_web::error::UrlencodedError) -> AppError {
    use actix_web::error::UrlencodedError as U;
    match &err {
        U::Overflow { .. } => AppError::PayloadTooLarge(format!("form too large: {err}")),
        U::Payload(p) => payload_error(p),
        _ => AppError::bad_request(format!("bad form: {err}")),
    }
}

/// A request body that could not be read: too slow (408, see `http::limits::BodyDeadline`) or
/// broken off (400).
pub fn payload_error(err: &actix_web::error::PayloadError) -> AppError {
    use actix_web::error::PayloadError as P;
    match err {
        P::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => AppError::RequestTimeout(format!(
            "the request body arrived too slowly ({e}); the connection is closed"
        )),
        P::Overflow => AppError::PayloadTooLarge("request body too large".into()),
        other => AppError::bad_request(format!("could not read the request body: {other}")),
    }
}

pub fn query_error(err: actix_web::error::QueryPayloadError) -> AppError {
    let msg = err.to_string();
    AppError::BadRequest {
        field: field_from_serde(&msg),
        message: format!("bad query string: {msg}"),
    }
}

pub fn path_error(err: actix_web::error::PathError) -> AppError {
    AppError::NotFound(format!("resource ({err})"))
}

/// Pulls the field name out of serde messages such as "missing field `name`".
fn field_from_serde(msg: &str) -> Option<String> {
    let start = msg.find('`')?;
    let rest = &msg[start + 1..];
    let end = rest.find('`')?;
    let name = &rest[..end];
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
        && !name.is_empty()
    {
        Some(name.to_string())
    } else {
        None
    }
}

/// How every JSON response is built: the body ends with a newline, so `curl` output does not run
/// into the shell prompt. `clippy.toml` disallows actix's own `HttpResponseBuilder::json`.
pub trait JsonBody {
    fn json_line<T: serde::Serialize>(&mut self, value: T) -> actix_web::HttpResponse;
}

impl JsonBody for actix_web::HttpResponseBuilder {
    fn json_line<T: serde::Serialize>(&mut self, value: T) -> actix_web::HttpResponse {
        match serde_json::to_vec(&value) {
            Ok(mut body) => {
                body.push(b'\n');
                self.content_type(actix_web::http::header::ContentType::json())
                    .body(body)
            }
            Err(e) => actix_web::HttpResponse::from_error(
                actix_web::error::JsonPayloadError::Serialize(e),
            ),
        }
    }
}
