//! One error type for every layer above the store, mapped to a status and a JSON body in one
//! place. What went wrong is an [`ErrorCode`] (its status and NL/EN texts in one table,
//! `codes.rs`); the API speaks English, pages and reports the reader's language.

pub mod codes;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub use codes::ErrorCode;

use crate::domain::Invalid;
use crate::i18n::Lang;
use crate::store::health::{self, Fault};

/// One bad row (or cell) of an import or a recipient list: where, and what (a code with its
/// parameters, rendered in the reader's language by pages and in English in the API).
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub problem: ErrorCode,
}

impl RowError {
    pub fn new(line: u64, column: Option<&str>, problem: ErrorCode) -> RowError {
        RowError {
            line,
            column: column.map(str::to_string),
            problem,
        }
    }

    /// The problem in one language, as a sentence.
    pub fn message(&self, lang: Lang) -> String {
        self.problem.sentence(lang)
    }
}

/// How a bad row reads in the API: `{"line", "column", "code", "message"}` (English).
#[derive(Serialize, ToSchema)]
#[schema(as = RowError)]
struct RowErrorView<'a> {
    line: u64,
    column: Option<&'a str>,
    code: &'static str,
    message: String,
}

impl Serialize for RowError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RowErrorView {
            line: self.line,
            column: self.column.as_deref(),
            code: self.problem.code(),
            message: self.problem.message(Lang::En),
        }
        .serialize(s)
    }
}

impl utoipa::PartialSchema for RowError {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <RowErrorView as utoipa::PartialSchema>::schema()
    }
}

impl utoipa::ToSchema for RowError {}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A refusal: its code decides the status and the text; `field` names the input it is
    /// about (422s name one; others may).
    #[error("{code}")]
    Refused {
        code: ErrorCode,
        field: Option<String>,
    },
    /// A CSV import or recipient list with bad rows: nothing was stored.
    #[error("{}", ErrorCode::ImportRejected { problems: rows.len() as u64 + omitted })]
    ImportRejected {
        /// At most `csvio::MAX_PROBLEMS` problems, in file order.
        rows: Vec<RowError>,
        /// Problems found beyond those listed.
        omitted: u64,
    },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> Self {
        AppError::Refused { code, field: None }
    }
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

    /// A refusal about one input field (422 for validation codes).
    pub fn at(field: impl Into<String>, code: ErrorCode) -> AppError {
        AppError::Refused {
            code,
            field: Some(field.into()),
        }
    }

    /// A database fault: noted for the log (once, not per request) and answered 503.
    pub fn unavailable(fault: Fault, detail: &str) -> AppError {
        health::report(fault, detail);
        AppError::from(fault_code(fault))
    }

    /// The fault behind a failed write, if it was one (else the error stays internal).
    pub fn from_db_message(detail: String) -> AppError {
        match health::classify(&detail) {
            Some(fault) => AppError::unavailable(fault, &detail),
            None => AppError::Internal(anyhow::anyhow!(detail)),
        }
    }

    /// The refusal's code (None for import reports and internal errors).
    pub fn problem(&self) -> Option<&ErrorCode> {
        match self {
            AppError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Refused { code, .. } => code.code(),
            AppError::ImportRejected { .. } => "import_rejected",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn field(&self) -> Option<String> {
        match self {
            AppError::Refused { field, .. } => field.clone(),
            _ => None,
        }
    }

    /// The message in a person's language, as a sentence (pages, the CLI).
    pub fn message(&self, lang: Lang) -> String {
        self.as_code().sentence(lang)
    }

    /// The code behind any error (imports and internal errors have their own).
    fn as_code(&self) -> ErrorCode {
        match self {
            AppError::Refused { code, .. } => code.clone(),
            AppError::ImportRejected { rows, omitted } => ErrorCode::ImportRejected {
                problems: rows.len() as u64 + omitted,
            },
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// A validation failure (422) naming a field: shown next to that field.
    pub fn is_validation(&self) -> bool {
        self.status_code() == StatusCode::UNPROCESSABLE_ENTITY && self.field().is_some()
    }

    /// A refused change (409).
    pub fn is_conflict(&self) -> bool {
        self.status_code() == StatusCode::CONFLICT
    }

    /// The database cannot take the request now (503): the request can be tried again.
    pub fn fault(&self) -> Option<Fault> {
        match self.problem()? {
            ErrorCode::DatabaseBusy => Some(Fault::Busy),
            ErrorCode::DatabaseFull => Some(Fault::Full),
            ErrorCode::DatabaseReadOnly => Some(Fault::ReadOnly),
            ErrorCode::DatabaseIo => Some(Fault::Io),
            ErrorCode::DatabaseUnreachable => Some(Fault::Unreachable),
            _ => None,
        }
    }

    /// Seconds to wait before trying again, for a rate limit or a database fault.
    pub fn retry_after(&self) -> Option<u64> {
        match self.problem()? {
            ErrorCode::RateLimited { retry_after } => Some(*retry_after),
            ErrorCode::RemindersTooSoon { retry_after, .. } => Some(*retry_after),
            ErrorCode::HeavyBusy { retry_after } => Some(*retry_after),
            ErrorCode::PoolExhausted => Some(RETRY_AFTER_SECS),
            _ if self.fault().is_some() => Some(RETRY_AFTER_SECS),
            _ => None,
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.as_code().message(Lang::En),
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

/// The code a 503 for this fault is answered with.
pub fn fault_code(fault: Fault) -> ErrorCode {
    match fault {
        Fault::Busy => ErrorCode::DatabaseBusy,
        Fault::Full => ErrorCode::DatabaseFull,
        Fault::ReadOnly => ErrorCode::DatabaseReadOnly,
        Fault::Io => ErrorCode::DatabaseIo,
        Fault::Unreachable => ErrorCode::DatabaseUnreachable,
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Refused {
            code: e.code,
            field: Some(e.field),
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
            Error::NotFound => ErrorCode::RecordNotFound.into(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                ErrorCode::AlreadyExists {
                    detail: info.message().to_string(),
                }
                .into()
            }
            other => AppError::Internal(other.into()),
        }
    }
}

/// r2d2's whole message when it timed out with every connection in use and no connection
/// error (else the error follows after a colon).
pub const POOL_EXHAUSTED: &str = "timed out waiting for connection";

/// No pooled connection within the pool's wait (`KLANTSPIEGEL_POOL_WAIT_MS`): the server is down or every connection is
/// busy. Either way the request can be tried again.
impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        let detail = e.to_string();
        // No connection error behind the timeout: every connection is in use, and the
        // database answers (the pool had no reason to make a new one and fail).
        if detail == POOL_EXHAUSTED {
            return ErrorCode::PoolExhausted.into();
        }
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
            AppError::Refused { code, .. } => {
                StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            AppError::ImportRejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(e) = self {
            // The cause chain, without a backtrace per request.
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        let mut resp = HttpResponse::build(self.status_code());
        if let Some(secs) = self.retry_after() {
            resp.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        match self.problem() {
            Some(ErrorCode::Unauthorized) => {
                resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            // The rest of a timed-out body is never read: the connection ends here.
            Some(ErrorCode::BodyTooSlow) => {
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
        J::OverflowKnownLength { .. } | J::Overflow { .. } => ErrorCode::BodyTooLarge.into(),
        J::Payload(p) => payload_error(p),
        J::ContentType => ErrorCode::ExpectedJson.into(),
        J::Deserialize(e) => {
            let field = field_from_serde(&e.to_string());
            let detail = e.to_string();
            if e.is_data() {
                AppError::at(
                    field.unwrap_or_else(|| "body".into()),
                    ErrorCode::InvalidBody { detail },
                )
            } else {
                AppError::Refused {
                    code: ErrorCode::MalformedJson { detail },
                    field,
                }
            }
        }
        _ => ErrorCode::BodyUnreadable {
            detail: err.to_string(),
        }
        .into(),
    }
}

pub fn form_error(err: actix_web::error::UrlencodedError) -> AppError {
    use actix_web::error::UrlencodedError as U;
    match &err {
        U::Overflow { .. } => ErrorCode::BodyTooLarge.into(),
        U::Payload(p) => payload_error(p),
        _ => ErrorCode::BadForm {
            detail: err.to_string(),
        }
        .into(),
    }
}

/// A request body that could not be read: too slow (408, see `http::limits::BodyDeadline`) or
/// broken off (400).
pub fn payload_error(err: &actix_web::error::PayloadError) -> AppError {
    use actix_web::error::PayloadError as P;
    match err {
        P::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => ErrorCode::BodyTooSlow.into(),
        P::Overflow => ErrorCode::BodyTooLarge.into(),
        other => ErrorCode::BodyUnreadable {
            detail: other.to_string(),
        }
        .into(),
    }
}

pub fn query_error(err: actix_web::error::QueryPayloadError) -> AppError {
    let detail = err.to_string();
    AppError::Refused {
        field: field_from_serde(&detail),
        code: ErrorCode::BadQuery { detail },
    }
}

pub fn path_error(_err: actix_web::error::PathError) -> AppError {
    ErrorCode::RouteNotFound.into()
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
