//! One error type for the whole platform. Services return it; `web::errors` turns it into
//! problem+json (RFC 9457) for `/api/v1` and into a page in the layout for everything else,
//! in the reader's language.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

/// A message about one input field: `code` names a Fluent message `field-<code>`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: code.into(), args: Vec::new() }
    }

    pub fn with_arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// Add an argument to an error already in a list.
    pub fn arg(&mut self, name: &'static str, value: impl ToString) -> &mut Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// Field errors gathered by a service before it answers `AppError::Validation`.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, code: &str) -> &mut FieldError {
        self.0.push(FieldError::new(field, code));
        self.0.last_mut().expect("just pushed")
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was added, else the validation error.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Validation(self.0)) }
    }
}

impl From<validator::ValidationErrors> for FieldErrors {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut out = Vec::new();
        for (field, list) in errors.field_errors() {
            for error in list {
                let mut fe = FieldError::new(field.to_string(), error.code.to_string());
                for (name, value) in &error.params {
                    if name == "value" {
                        continue; // never echo what was typed into an error message
                    }
                    let shown = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
                    fe.args.push((leak_param(name), shown));
                }
                out.push(fe);
            }
        }
        out.sort_by(|a, b| a.field.cmp(&b.field));
        FieldErrors(out)
    }
}

/// validator names its parameters with `Cow<'static, str>`; the ones we show are few and fixed.
fn leak_param(name: &str) -> &'static str {
    match name {
        "min" => "min",
        "max" => "max",
        _ => "value",
    }
}

/// Input as the edge parsed it: typed values, and the fields whose text did not parse. A
/// service reports those together with what it finds itself, so that every wrong field is
/// named at once.
#[derive(Debug, Clone, Default)]
pub struct Parsed<T> {
    pub value: T,
    pub errors: Vec<FieldError>,
}

impl<T> Parsed<T> {
    /// Input that parsed without a fault (services called from code, the demo, tests).
    pub fn ok(value: T) -> Self {
        Parsed { value, errors: Vec::new() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not logged in")]
    Unauthorized,
    /// Not allowed; the key names a Fluent message that says why.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// A rule of the domain says no (full, closed, deadline passed); a Fluent message key.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The same, with the numbers or names the message needs to say why.
    #[error("conflict: {0} {1:?}")]
    ConflictWith(&'static str, Vec<(&'static str, String)>),
    #[error("invalid input: {0:?}")]
    Validation(Vec<FieldError>),
    /// A syntactically broken request; a Fluent message key.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests, retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn validation(field: &str, code: &str) -> Self {
        AppError::Validation(vec![FieldError::new(field, code)])
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        AppError::Internal(anyhow::anyhow!("{error}"))
    }

    /// The Fluent keys of the title and detail shown to the reader.
    pub fn message_keys(&self) -> (&'static str, &'static str) {
        match self {
            AppError::NotFound => ("error-not-found-title", "error-not-found-detail"),
            AppError::Unauthorized => ("error-unauthorized-title", "error-unauthorized-detail"),
            AppError::Forbidden(detail) => ("error-forbidden-title", detail),
            AppError::Conflict(detail) | AppError::ConflictWith(detail, _) => ("error-conflict-title", detail),
            AppError::Validation(_) => ("error-validation-title", "error-validation-detail"),
            AppError::BadRequest(detail) => ("error-bad-request-title", detail),
            AppError::MethodNotAllowed => ("error-method-title", "error-method-detail"),
            AppError::PayloadTooLarge => ("error-too-large-title", "error-too-large-detail"),
            AppError::UnsupportedMediaType => ("error-media-type-title", "error-media-type-detail"),
            AppError::TooManyRequests { .. } => ("error-too-many-title", "error-too-many-detail"),
            AppError::Unavailable(_) => ("error-unavailable-title", "error-unavailable-detail"),
            AppError::Internal(_) => ("error-internal-title", "error-internal-detail"),
        }
    }

    /// A short stable name, the last part of the problem `type` URI.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::NotFound => "not-found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Conflict(_) | AppError::ConflictWith(..) => "conflict",
            AppError::Validation(_) => "validation",
            AppError::BadRequest(_) => "bad-request",
            AppError::MethodNotAllowed => "method-not-allowed",
            AppError::PayloadTooLarge => "payload-too-large",
            AppError::UnsupportedMediaType => "unsupported-media-type",
            AppError::TooManyRequests { .. } => "too-many-requests",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

/// How long a client is asked to wait after a 503 (`Retry-After`): about what a restart
/// of PostgreSQL or a busy pool takes.
pub const RETRY_AFTER_UNAVAILABLE_SECS: u64 = 5;

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => AppError::NotFound,
            other if lost_connection(&other) => AppError::Unavailable(format!("database connection lost: {other}")),
            other => AppError::Internal(other.into()),
        }
    }
}

/// The database went away under a statement (restarted, failed over, connection cut): the
/// request can be tried again, so it is a 503, not a fault of ours (500).
fn lost_connection(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        // a new connection looks up the oids of our enum types first; that fails only when
        // the connection broke under it
        Error::SerializationError(inner) => inner.to_string().starts_with("Failed to find a type oid"),
        Error::DatabaseError(_, info) => {
            let message = info.message();
            // SQLSTATE 57P01/57P02/57P03 (admin shutdown, crash shutdown, cannot connect now)
            // and libpq's own words for a socket that closed
            message.contains("terminating connection")
                || message.contains("server closed the connection")
                || message.contains("the database system is")
                || message.contains("no connection to the server")
                || message.contains("connection to server")
        }
        _ => false,
    }
}

/// What the error renderer needs, stored in the response so that it can be localised there.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub kind: &'static str,
    pub title_key: &'static str,
    pub detail_key: &'static str,
    /// Arguments of the detail message.
    pub detail_args: Vec<(&'static str, String)>,
    pub fields: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) | AppError::ConflictWith(..) => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "internal error")
            }
            AppError::Unavailable(why) => tracing::warn!(why, "service unavailable"),
            _ => {}
        }
        let (title_key, detail_key) = self.message_keys();
        let info = ErrorInfo {
            status: self.status_code(),
            kind: self.kind(),
            title_key,
            detail_key,
            detail_args: match self {
                AppError::ConflictWith(_, args) => args.clone(),
                _ => Vec::new(),
            },
            fields: match self {
                AppError::Validation(fields) => fields.clone(),
                _ => Vec::new(),
            },
            retry_after_secs: match self {
                AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
                AppError::Unavailable(_) => Some(RETRY_AFTER_UNAVAILABLE_SECS),
                _ => None,
            },
        };
        // the body is written by `web::errors::render`, which knows the request and its language
        let mut response = HttpResponse::build(info.status).finish();
        response.extensions_mut().insert(info);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
