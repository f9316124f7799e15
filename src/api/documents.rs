//! `/documents`: a stored document with the events it gives evidence for.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::auth::Caller;
use super::dto::DocumentDto;
use super::error::ReadError;
use super::params::{path_id, Params};
use super::{json, AppState};
use crate::store::{events_read, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/documents/{id}")
            .name("/api/v1/documents/{id}")
            .route(web::get().to(show)),
    );
}

/// A stored document: metadata, normalized text, and the events it reports.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
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
        .read(move |conn| events_read::document(conn, id).map_err(StoreError::from))
        .await?;
    let (row, event_ids) = found.ok_or_else(|| ReadError::NotFound(format!("no document {id}")))?;
    Ok(json(StatusCode::OK, &DocumentDto::new(row, event_ids)))
}
