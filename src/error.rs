//! One error type for the HTTP layer, mapped to a status and a JSON body in one place.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Invalid;

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
        rows: Vec<RowError>,
    },
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

/// The error body: `{"error": {"code", "message", "field"?}}`, plus `rows` for imports.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowError>>,
}

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

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Internal(e.into())
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
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(e) = self {
            tracing::error!(error = ?e, "internal error");
        }
        let mut resp = HttpResponse::build(self.status_code());
        match self {
            AppError::Unauthorized => {
                resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            AppError::RateLimited { retry_after } => {
                resp.insert_header((header::RETRY_AFTER, retry_after.to_string()));
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
        _ => AppError::bad_request(format!("bad form: {err}")),
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
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty() {
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
