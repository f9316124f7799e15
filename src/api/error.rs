//! Errors as `application/problem+json` (RFC 9457).
//!
//! Each handler group has a small error enum (see [`ReadError`], [`WriteError`],
//! [`crate::api::auth::AuthError`]) that says what went wrong in the terms of the
//! API; each turns into a [`Problem`], the body on the wire. Validation errors
//! name the field or parameter at fault; database failures answer `503` (the
//! database cannot be reached) or `500`, never with internal text: the error's
//! chain is logged once, where the response is made.

use std::borrow::Cow;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::store::StoreError;

/// The most characters of a client's input repeated in an error.
pub const ECHO_CHARS: usize = 100;

/// The most characters of an error's detail (a safeguard: inputs are cut to
/// [`ECHO_CHARS`] where they are quoted).
const DETAIL_CHARS: usize = 1000;

/// A client's input as repeated in an error: cut to [`ECHO_CHARS`] characters,
/// with an ellipsis when cut.
///
/// ```
/// use riskline::api::error::shown;
/// assert_eq!(shown("short"), "short");
/// let long = "x".repeat(500);
/// assert_eq!(shown(&long).chars().count(), 101);
/// assert!(shown(&long).ends_with('…'));
/// ```
pub fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(ECHO_CHARS) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
    }
}

/// An enumeration value that is not allowed, in words, the value cut as by [`shown`].
pub fn unknown_value(err: &crate::store::models::UnknownValue) -> String {
    format!(
        "`{}` is not a valid {} (expected one of: {})",
        shown(&err.value),
        err.what,
        err.expected
    )
}

/// Cuts `text` to `max` characters, with an ellipsis when cut.
fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text,
        Some((at, _)) => format!("{}…", &text[..at]),
    }
}

/// The body of an error response.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank` (the problem is described by the status).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The status's reason phrase, e.g. `Bad Request`.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong, for a person; at most 1000 characters.
    pub detail: String,
    /// The request field or query parameter at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Close matches of an unknown ticker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Vec<String>>,
}

impl Problem {
    /// A problem with this status and detail.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: cut(detail.into(), DETAIL_CHARS),
            field: None,
            suggestions: None,
        }
    }

    /// Names the field or parameter at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(shown(&field.into()).into_owned());
        self
    }

    /// The response carrying this problem.
    pub fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut builder = HttpResponse::build(status);
        builder.content_type("application/problem+json");
        if status == StatusCode::UNAUTHORIZED {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if status == StatusCode::REQUEST_TIMEOUT {
            // What is left of the request may still be on its way: the connection
            // cannot carry another request.
            builder.force_close();
        }
        builder.body(serde_json::to_vec(self).unwrap_or_default())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.title, self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        self.response()
    }
}

/// A request value that is not acceptable: a `400` naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct Invalid {
    /// The field or query parameter at fault.
    pub field: String,
    /// What is wrong with it, for a client.
    pub detail: String,
}

impl Invalid {
    /// A query parameter that is not acceptable.
    pub fn param(name: &str, detail: impl std::fmt::Display) -> Invalid {
        let name = shown(name);
        Invalid {
            field: name.to_string(),
            detail: format!("query parameter `{name}`: {detail}"),
        }
    }

    /// A body field that is not acceptable.
    pub fn body(name: &str, detail: impl std::fmt::Display) -> Invalid {
        let name = shown(name);
        Invalid {
            field: name.to_string(),
            detail: format!("field `{name}`: {detail}"),
        }
    }

    /// A path segment that is not acceptable.
    pub fn path(name: &str, detail: impl std::fmt::Display) -> Invalid {
        let name = shown(name);
        Invalid {
            field: name.to_string(),
            detail: format!("path parameter `{name}`: {detail}"),
        }
    }

    fn problem(&self) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, self.detail.clone()).with_field(self.field.clone())
    }
}

/// The status answered for a failed database call (without logging).
pub fn store_status(err: &StoreError) -> StatusCode {
    match err {
        StoreError::Pool(_)
        | StoreError::Connect { .. }
        | StoreError::Unavailable(_)
        | StoreError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The problem for a failed database call; logs the error's chain once.
pub fn store_problem(err: &StoreError) -> Problem {
    match err {
        StoreError::Pool(_) | StoreError::Connect { .. } => {
            tracing::error!(error = %err, "database unavailable");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable",
            )
        }
        StoreError::Unavailable(_) => {
            tracing::error!(error = %err, "database connection lost");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable",
            )
        }
        StoreError::Busy(_) => {
            tracing::error!(error = %err, "database busy");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is busy, retry",
            )
        }
        _ => {
            tracing::error!(error = %err, "database error");
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// The problem for an unexpected failure; logs the error's chain once.
pub fn unexpected_problem(err: &anyhow::Error) -> Problem {
    tracing::error!(error = format!("{err:#}"), "unexpected error");
    Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

/// What can go wrong when reading: bad parameters, unknown things, the database.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Occurs when a parameter is not acceptable.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Occurs when no company has the ticker; carries close matches.
    #[error("no company with ticker {ticker}")]
    UnknownTicker {
        /// The ticker asked for, as given.
        ticker: String,
        /// Tickers close to it (shared prefix, small edit distance or a name starting with it).
        suggestions: Vec<String>,
    },
    /// Occurs when the thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Occurs when the database fails.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReadError {
    /// The problem answered for this error.
    pub fn problem(&self) -> Problem {
        match self {
            ReadError::Invalid(invalid) => invalid.problem(),
            ReadError::UnknownTicker {
                ticker,
                suggestions,
            } => {
                let mut detail = format!("no company with ticker `{}`", shown(ticker));
                if !suggestions.is_empty() {
                    detail.push_str(&format!("; did you mean {}?", suggestions.join(", ")));
                }
                let mut problem = Problem::new(StatusCode::NOT_FOUND, detail).with_field("ticker");
                problem.suggestions = Some(suggestions.clone());
                problem
            }
            ReadError::NotFound(what) => Problem::new(StatusCode::NOT_FOUND, what.clone()),
            ReadError::Store(err) => store_problem(err),
        }
    }
}

impl ResponseError for ReadError {
    fn status_code(&self) -> StatusCode {
        match self {
            ReadError::Store(err) => store_status(err),
            _ => StatusCode::from_u16(self.problem().status)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.problem().response()
    }
}

/// What can go wrong in a write: the request, the target, a conflict, the database.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Occurs when the request is not acceptable (bad JSON, a bad field).
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// Occurs when the body is larger than the limit.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// Occurs when the body does not arrive within the time allowed.
    #[error("the request body did not arrive within {0:?}")]
    BodyTimeout(std::time::Duration),
    /// Occurs when the body's media type is not one the route reads.
    #[error("unsupported media type {0}")]
    UnsupportedMediaType(String),
    /// Occurs when a company named in the request is unknown.
    #[error("no company with ticker {ticker}")]
    UnknownTicker {
        /// The ticker named in the request, as given.
        ticker: String,
        /// The request field that named it, e.g. `companies[0].ticker`.
        field: String,
        /// Tickers close to it.
        suggestions: Vec<String>,
    },
    /// Occurs when the thing to change does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Occurs when the request contradicts what is stored.
    #[error("{0}")]
    Conflict(String),
    /// Occurs when the request is well formed but cannot be carried out.
    #[error("{detail}")]
    Unprocessable {
        /// The request field at fault, e.g. `date_precision`.
        field: String,
        /// Why it cannot be carried out, for a client.
        detail: String,
    },
    /// Occurs when the database fails.
    #[error(transparent)]
    Store(StoreError),
    /// Occurs on a failure that is not the client's.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<ReadError> for WriteError {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::Invalid(invalid) => WriteError::Invalid(invalid),
            ReadError::UnknownTicker {
                ticker,
                suggestions,
            } => WriteError::UnknownTicker {
                ticker,
                field: "ticker".to_string(),
                suggestions,
            },
            ReadError::NotFound(what) => WriteError::NotFound(what),
            ReadError::Store(err) => WriteError::Store(err),
        }
    }
}

/// The store's own conditions become answers (a missing event, a value that
/// cannot be stored, a conflict); failures stay failures.
impl From<StoreError> for WriteError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => WriteError::NotFound(what),
            StoreError::InvalidValue { field, detail } => WriteError::Unprocessable {
                detail: format!("field `{field}`: {detail}"),
                field,
            },
            StoreError::Conflict(what) => WriteError::Conflict(what),
            err => WriteError::Store(err),
        }
    }
}

impl WriteError {
    /// The problem answered for this error.
    pub fn problem(&self) -> Problem {
        match self {
            WriteError::Invalid(invalid) => invalid.problem(),
            WriteError::TooLarge(limit) => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than the limit of {limit} bytes"),
            ),
            WriteError::BodyTimeout(limit) => Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within {} s",
                    limit.as_secs_f64()
                ),
            ),
            WriteError::UnsupportedMediaType(media) => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("content type `{}` is not accepted here", shown(media)),
            ),
            WriteError::UnknownTicker {
                ticker,
                field,
                suggestions,
            } => {
                let mut problem = ReadError::UnknownTicker {
                    ticker: ticker.clone(),
                    suggestions: suggestions.clone(),
                }
                .problem();
                problem.field = Some(field.clone());
                problem
            }
            WriteError::NotFound(what) => Problem::new(StatusCode::NOT_FOUND, what.clone()),
            WriteError::Conflict(what) => Problem::new(StatusCode::CONFLICT, what.clone()),
            WriteError::Unprocessable { field, detail } => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail.clone())
                    .with_field(field.clone())
            }
            WriteError::Store(StoreError::Duplicate(_)) => {
                Problem::new(StatusCode::CONFLICT, "this conflicts with a stored record")
            }
            WriteError::Store(err) => store_problem(err),
            WriteError::Unexpected(err) => unexpected_problem(err),
        }
    }
}

impl ResponseError for WriteError {
    fn status_code(&self) -> StatusCode {
        match self {
            WriteError::Store(StoreError::Duplicate(_)) => StatusCode::CONFLICT,
            WriteError::Store(err) => store_status(err),
            WriteError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::from_u16(self.problem().status)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.problem().response()
    }
}
