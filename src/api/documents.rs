//! `/documents`: a stored document with the events it gives evidence for.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::body;
use super::dto::{DocumentDto, EventItem};
use super::error::{Invalid, ReadError, WriteError};
use super::links;
use super::params::{path_id, Params};
use super::{json, AppState, BODY_LIMIT};
use crate::ingest::published::{parse_stated, Stated};
use crate::ingest::{self, DocumentInput, IngestError};
use crate::store::events_read;
use crate::store::models::KeyRole;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/documents")
            .name("/api/v1/documents")
            .route(web::post().to(create)),
    );
    cfg.service(
        web::resource("/documents/{id}")
            .name("/api/v1/documents/{id}")
            .route(web::get().to(show)),
    );
}

/// A stored document: metadata, normalized text, and the events it reports.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents", operation_id = "show_document",
    params(("id" = i64, Path, description = "document id")),
    responses((status = 200, body = DocumentDto), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn show(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let id = path_id("id", &path)?;
    let found = state
        .db
        .read(move |conn| events_read::document(conn, id))
        .await?;
    let (row, event_ids) = found.ok_or_else(|| ReadError::NotFound(format!("no document {id}")))?;
    Ok(json(StatusCode::OK, &DocumentDto::new(row, event_ids)))
}

/// One document to ingest, as a JSON body (the fields of an ingest JSONL line).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// Plain text (or an EDGAR submission); exactly one of `text` and `html`.
    pub text: Option<String>,
    /// An HTML page; only its visible article text is kept.
    pub html: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// `YYYY-MM-DD`: the publication date, which relative dates are resolved against.
    pub published_at: Option<String>,
    /// news | filing | press_release | court | feed | other
    pub source: Option<String>,
    /// An id of the caller's own; accepted and ignored (JSONL lines carry one).
    #[expect(
        dead_code,
        reason = "accepted so that ingest JSONL lines can be posted as they are"
    )]
    pub id: Option<String>,
}

/// What `POST /documents` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct IngestedDto {
    pub document: DocumentDto,
    /// `false` when the same content was stored before: nothing changed.
    pub created: bool,
    pub events: Vec<EventItem>,
}

/// The document's URL: absent when empty, else an http(s) URL ([`links::check_web_url`]).
fn document_url(value: Option<&str>) -> Result<Option<String>, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(url) => links::check_web_url(url).map(|()| Some(url.to_string())),
    }
}

/// A publication date or time by the one policy of [`ingest::published`]: partial
/// dates keep their precision, invalid times are refused.
fn parse_published(
    value: Option<&str>,
    invalid: impl Fn(String) -> Invalid,
) -> Result<Option<Stated>, Invalid> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| parse_stated(v).map_err(&invalid))
        .transpose()
}

/// The document from a JSON body, or from a raw text/HTML body with its metadata in
/// query parameters.
fn document_input(req: &HttpRequest, bytes: &[u8]) -> Result<DocumentInput, WriteError> {
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_else(|| "application/json".to_string());
    match media.as_str() {
        "application/json" => {
            Params::parse(req.query_string(), &[])?;
            let parsed: DocumentBody = body::parse(bytes)?;
            Ok(DocumentInput {
                text: parsed.text,
                html: parsed.html,
                url: document_url(parsed.url.as_deref()).map_err(|e| Invalid::body("url", e))?,
                title: parsed.title,
                published_at: parse_published(parsed.published_at.as_deref(), |m| {
                    Invalid::body("published_at", m)
                })?,
                source: parsed.source,
                format: None,
            })
        }
        "text/plain" | "text/html" => {
            let params = Params::parse(
                req.query_string(),
                &["url", "title", "published_at", "source"],
            )?;
            let content = String::from_utf8(bytes.to_vec())
                .map_err(|_| Invalid::body("body", "the request body is not UTF-8 text"))?;
            let published_at = parse_published(params.get("published_at"), |m| {
                Invalid::param("published_at", m)
            })?;
            let (text, html) = if media == "text/html" {
                (None, Some(content))
            } else {
                (Some(content), None)
            };
            Ok(DocumentInput {
                text,
                html,
                url: document_url(params.get("url")).map_err(|e| Invalid::param("url", e))?,
                title: params.get("title").map(str::to_string),
                published_at,
                source: params.get("source").map(str::to_string),
                format: None,
            })
        }
        other => Err(WriteError::UnsupportedMediaType(other.to_string())),
    }
}

/// Ingests one document and answers with it and the events it reports: `201` when new,
/// `200` when the same content was already stored (then nothing changed).
#[utoipa::path(post, path = "/api/v1/documents", tag = "documents", operation_id = "create_document", request_body = DocumentBody,
    params(("url" = Option<String>, Query, description = "raw bodies only: the source URL"),
           ("title" = Option<String>, Query, description = "raw bodies only: the title"),
           ("published_at" = Option<String>, Query, description = "raw bodies only: YYYY-MM-DD"),
           ("source" = Option<String>, Query, description = "raw bodies only: news | filing | press_release | court | feed | other")),
    responses((status = 201, body = IngestedDto), (status = 200, body = IngestedDto),
              (status = 400, body = super::error::Problem), (status = 403, body = super::error::Problem),
              (status = 413, body = super::error::Problem), (status = 415, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    let bytes = body::read(&req, payload, BODY_LIMIT).await?;
    let input = document_input(&req, &bytes)?;
    let store = state.db.store().clone();
    let outcome = web::block(move || ingest::ingest_one(&store, input))
        .await
        .map_err(|e| WriteError::Unexpected(anyhow::anyhow!("ingest task failed: {e}")))?
        .map_err(|e| match e {
            IngestError::Invalid { field, message } => {
                WriteError::from(Invalid::body(field, message))
            }
            IngestError::Store(err) => WriteError::Store(err),
            // Logged with its place; the client gets a plain 500 for this request.
            IngestError::Extraction(err) => WriteError::Unexpected(anyhow::Error::new(err)),
        })?;
    // The answer is what the write left, read in its own transaction.
    let stored = outcome.stored.clone().ok_or_else(|| {
        WriteError::Unexpected(anyhow::anyhow!(
            "document {} has no stored form",
            outcome.document_id
        ))
    })?;
    let (row, event_ids, views) = (stored.document, stored.event_ids, stored.events);
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let dto = IngestedDto {
        document: DocumentDto::new(row, event_ids),
        created: outcome.created,
        events: views.into_iter().map(super::dto::event_item).collect(),
    };
    Ok(json(status, &dto))
}
