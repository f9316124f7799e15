//! `/sources`: the live sources `riskline watch` polls, with their state and
//! counters (admin only: addresses may carry tokens of their own).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::error::{Invalid, ReadError, WriteError};
use super::item::timestamp;
use super::params::{path_id, Params};
use super::{body, json, AppState, BODY_LIMIT};
use crate::store::models::KeyRole;
use crate::store::sources::{self, ItemStatus, SourceRow, SourceType};
use crate::watch::spec::{self, SourceSpec, SpecError};

/// Registers the routes of `/sources`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/sources")
            .name("/api/v1/sources")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/sources/{id}/items")
            .name("/api/v1/sources/{id}/items")
            .route(web::get().to(items)),
    )
    .service(
        web::resource("/sources/{id}")
            .name("/api/v1/sources/{id}")
            .route(web::get().to(show))
            .route(web::delete().to(remove)),
    );
}

/// A live source with its polling state and counters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceDto {
    /// Database id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// feed | edgar_company | edgar_latest
    pub kind: String,
    /// The feed's address, or an address replacing EDGAR's.
    pub url: Option<String>,
    /// The company's CIK (EDGAR company sources).
    pub cik: Option<i64>,
    /// The company's ticker, as given.
    pub ticker: Option<String>,
    /// SEC form types kept; empty keeps all.
    pub forms: Vec<String>,
    /// Whether summary-only feed items get their page fetched.
    pub fetch_pages: bool,
    /// Seconds between polls.
    pub interval_secs: i64,
    /// Whether the source is polled.
    pub enabled: bool,
    /// When the source is due next (after a failure: the backoff or `Retry-After`).
    pub next_due_at: String,
    /// When a poll last ended.
    pub last_polled_at: Option<String>,
    /// When a poll last succeeded.
    pub last_success_at: Option<String>,
    /// Why the last poll failed; null when it succeeded.
    pub last_error: Option<String>,
    /// Polls failed in a row.
    pub consecutive_failures: i64,
    /// The process polling it now, if any.
    pub leased_by: Option<String>,
    /// When that lease lapses.
    pub lease_expires_at: Option<String>,
    /// Polls done.
    pub polls: i64,
    /// Polls answered `304 Not Modified`.
    pub not_modified: i64,
    /// HTTP requests made.
    pub requests: i64,
    /// Bytes fetched.
    pub bytes_fetched: i64,
    /// Items stored as new documents.
    pub items_new: i64,
    /// Items whose content was stored before.
    pub items_known: i64,
    /// Items that could not be stored.
    pub items_failed: i64,
    /// Polls that failed.
    pub errors: i64,
}

impl From<SourceRow> for SourceDto {
    fn from(row: SourceRow) -> SourceDto {
        let forms = row.forms();
        let f = row.fields;
        SourceDto {
            id: row.id,
            name: f.name,
            kind: f.kind,
            url: f.url,
            cik: f.cik,
            ticker: f.ticker,
            forms,
            fetch_pages: f.fetch_pages,
            interval_secs: f.interval_secs,
            enabled: f.enabled,
            next_due_at: timestamp(f.next_due_at),
            last_polled_at: f.last_polled_at.map(timestamp),
            last_success_at: f.last_success_at.map(timestamp),
            last_error: f.last_error,
            consecutive_failures: f.consecutive_failures,
            leased_by: f.lease_owner,
            lease_expires_at: f.lease_expires_at.map(timestamp),
            polls: f.polls,
            not_modified: f.not_modified,
            requests: f.requests,
            bytes_fetched: f.bytes_fetched,
            items_new: f.items_new,
            items_known: f.items_known,
            items_failed: f.items_failed,
            errors: f.errors,
        }
    }
}

/// Every source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourcePage {
    /// The sources, by id.
    pub items: Vec<SourceDto>,
    /// Always null: the list is given whole.
    pub next_cursor: Option<String>,
}

/// A source to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    /// feed | edgar_company | edgar_latest
    pub kind: String,
    /// A unique name (default: made from the address or company).
    pub name: Option<String>,
    /// A feed's address; for EDGAR sources, an address replacing EDGAR's.
    pub url: Option<String>,
    /// An EDGAR company source: its ticker (the CIK comes from the registry) ...
    pub ticker: Option<String>,
    /// ... or its CIK.
    pub cik: Option<i64>,
    /// SEC form types to keep (default 8-K, 10-K, 10-Q for a company; 8-K for the latest filings).
    #[serde(default)]
    pub forms: Vec<String>,
    /// Seconds between polls (default 900, 1800 or 600 by kind).
    pub interval_secs: Option<i64>,
    /// Fetch the article page of a feed item that carries only a summary.
    #[serde(default)]
    pub fetch_pages: bool,
}

/// One item a source handed over.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceItemDto {
    /// Database id.
    pub id: i64,
    /// Its identity in the source: feed id, link, accession number or content hash.
    pub key: String,
    /// Its address, when it has one.
    pub url: Option<String>,
    /// stored | known | failed
    pub status: String,
    /// Why it could not be stored.
    pub error: Option<String>,
    /// The document it became or was found to be.
    pub document_id: Option<i64>,
    /// When it was handled.
    pub seen_at: String,
}

/// A page of a source's items, latest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceItemPage {
    /// The items of this page.
    pub items: Vec<SourceItemDto>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The items a source handed over, latest first (admin): what was stored, found
/// known, or failed and why.
#[utoipa::path(get, path = "/api/v1/sources/{id}/items", tag = "sources",
    params(("id" = i64, Path, description = "source id"),
           ("status" = Option<String>, Query, description = "stored | known | failed"),
           ("limit" = Option<usize>, Query, description = "1..=200, default 50"),
           ("cursor" = Option<String>, Query, description = "next_cursor of the previous page")),
    responses((status = 200, body = SourceItemPage), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn items(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Admin)?;
    let params = Params::parse(req.query_string(), &["status", "limit", "cursor"])
        .map_err(ReadError::from)?;
    let id = path_id("id", &path).map_err(ReadError::from)?;
    let limit = params
        .limit(super::params::DEFAULT_LIMIT, super::params::MAX_LIMIT)
        .map_err(ReadError::from)?;
    let status = params
        .get("status")
        .map(|s| s.parse::<ItemStatus>())
        .transpose()
        .map_err(|e| ReadError::from(Invalid::param("status", e)))?;
    let before = params
        .get("cursor")
        .map(|c| {
            hex::decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.strip_prefix("i:").and_then(|n| n.parse::<i64>().ok()))
                .ok_or_else(|| Invalid::param("cursor", "not a cursor returned by this API"))
        })
        .transpose()
        .map_err(ReadError::from)?;
    let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
    let (found, mut rows) = state
        .db
        .blocking(move |conn| {
            let found = sources::get(conn, id)?.is_some();
            let rows = sources::items(conn, id, status, before, fetch)?;
            Ok::<_, crate::store::StoreError>((found, rows))
        })
        .await
        .map_err(ReadError::from)?;
    if !found {
        return Err(ReadError::NotFound(format!("no source {id}")).into());
    }
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| hex::encode(format!("i:{}", r.id)))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|row| SourceItemDto {
            id: row.id,
            key: row.fields.item_key,
            url: super::links::web_link(row.fields.url),
            status: row.fields.status,
            error: row.fields.error,
            document_id: row.fields.document_id,
            seen_at: timestamp(row.fields.seen_at),
        })
        .collect();
    Ok(json(StatusCode::OK, &SourceItemPage { items, next_cursor }))
}

/// Every live source with its state and counters (admin).
#[utoipa::path(get, path = "/api/v1/sources", tag = "sources",
    responses((status = 200, body = SourcePage), (status = 401, body = super::error::Problem),
              (status = 403, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Admin)?;
    Params::parse(req.query_string(), &[]).map_err(ReadError::from)?;
    let rows = state
        .db
        .blocking(sources::list)
        .await
        .map_err(ReadError::from)?;
    let items = rows.into_iter().map(SourceDto::from).collect();
    Ok(json(
        StatusCode::OK,
        &SourcePage {
            items,
            next_cursor: None,
        },
    ))
}

/// One source (admin).
#[utoipa::path(get, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = i64, Path, description = "source id")),
    responses((status = 200, body = SourceDto), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn show(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Admin)?;
    Params::parse(req.query_string(), &[]).map_err(ReadError::from)?;
    let id = path_id("id", &path).map_err(ReadError::from)?;
    let row = state
        .db
        .blocking(move |conn| sources::get(conn, id))
        .await
        .map_err(ReadError::from)?
        .ok_or_else(|| ReadError::NotFound(format!("no source {id}")))?;
    Ok(json(StatusCode::OK, &SourceDto::from(row)))
}

/// Adds a source (admin); `409` when its name is taken.
#[utoipa::path(post, path = "/api/v1/sources", tag = "sources",
    request_body = SourceBody,
    responses((status = 201, body = SourceDto), (status = 409, body = super::error::Problem),
              (status = 422, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Admin)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let bytes = body::read(&req, payload, BODY_LIMIT).await?;
    let input = body::parse::<SourceBody>(&bytes).map_err(WriteError::from)?;
    let kind = input
        .kind
        .trim()
        .parse::<SourceType>()
        .map_err(|e| WriteError::from(Invalid::body("kind", e)))?;
    let spec = SourceSpec {
        kind: Some(kind),
        name: input.name,
        url: input.url,
        ticker: input.ticker,
        cik: input.cik,
        forms: input.forms,
        interval_secs: input.interval_secs,
        fetch_pages: input.fetch_pages,
    };
    let row = state
        .db
        .blocking(move |conn| {
            let new = spec::to_new_source(conn, &spec).map_err(|e| match e {
                SpecError::Invalid { field, message } => {
                    WriteError::from(Invalid::body(field, message))
                }
                SpecError::Store(e) => WriteError::from(e),
            })?;
            Ok::<_, WriteError>(sources::add(conn, &new)?)
        })
        .await?;
    Ok(json(StatusCode::CREATED, &SourceDto::from(row)))
}

/// Removes a source and its item records (admin); the documents it brought stay.
#[utoipa::path(delete, path = "/api/v1/sources/{id}", tag = "sources",
    params(("id" = i64, Path, description = "source id")),
    responses((status = 204), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Admin)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let id = path_id("id", &path).map_err(WriteError::from)?;
    let removed = state
        .db
        .blocking(move |conn| sources::remove(conn, id))
        .await
        .map_err(WriteError::from)?;
    if !removed {
        return Err(WriteError::NotFound(format!("no source {id}")).into());
    }
    Ok(HttpResponse::NoContent().finish())
}
