//! `/changes`: the changes feed for systems that follow riskline, `/export.jsonl`:
//! every event at once, and `/events/{id}/retract`: an analyst's soft delete.
//!
//! A consumer polls `GET /changes?since=CURSOR` with the `next_cursor` of its
//! last answer (none the first time, or `since=now` for future changes only)
//! and gets every change after it exactly once, in order, even while writers
//! commit concurrently (`store::changes` says how).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::dto::{event_item, EventDetailDto, EventItem};
use super::error::{Invalid, ReadError, WriteError};
use super::events::load_detail;
use super::params::{path_id, Params};
use super::{body, item, json, AppState, BODY_LIMIT};
use crate::store::changes::{self, ChangeRow, Position};
use crate::store::models::KeyRole;
use crate::store::{events_read, review, DbConnection, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/changes")
            .name("/api/v1/changes")
            .route(web::get().to(feed)),
    )
    .service(
        web::resource("/export.jsonl")
            .name("/api/v1/export.jsonl")
            .route(web::get().to(export)),
    )
    .service(
        web::resource("/events/{id}/retract")
            .name("/api/v1/events/{id}/retract")
            .route(web::post().to(retract)),
    );
}

/// The opaque form of a feed position: hex of `c:TXID:ID`.
pub fn encode_position(position: Position) -> String {
    hex::encode(format!("c:{}:{}", position.txid, position.id))
}

/// Reads a position made by [`encode_position`]; `None` for anything else.
pub fn decode_position(text: &str) -> Option<Position> {
    let plain = String::from_utf8(hex::decode(text).ok()?).ok()?;
    let mut parts = plain.split(':');
    if parts.next()? != "c" {
        return None;
    }
    let txid = parts.next()?.parse::<i64>().ok()?;
    let id = parts.next()?.parse::<i64>().ok()?;
    (parts.next().is_none() && txid >= 0 && id >= 0).then_some(Position { txid, id })
}

/// A company a change is about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeCompanyDto {
    pub id: i64,
    pub ticker: String,
    pub name: String,
}

/// One change, with the state of what it is about as it is now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeDto {
    /// The change's id.
    pub id: i64,
    /// Its position: pass as `since` to read on after it.
    pub cursor: String,
    /// event_created | event_updated | event_merged | event_split | event_reviewed |
    /// event_tagged | event_untagged | event_retracted | company_added
    pub kind: String,
    pub event_id: Option<i64>,
    pub company_id: Option<i64>,
    /// Who made it: a key's name, or `ingest`.
    pub actor: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Whether the event is retracted now.
    pub retracted: bool,
    /// The event as listed now; null for a company, or an event deleted since.
    pub event: Option<EventItem>,
    /// The company, for `company_added`.
    pub company: Option<ChangeCompanyDto>,
}

/// A page of the changes feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangePage {
    /// Changes after `since`, oldest first.
    pub items: Vec<ChangeDto>,
    /// Where to read on: the last item's cursor, or `since` when there was none.
    /// Never null: poll with it.
    pub next_cursor: String,
    /// Whether more changes are there to read right away.
    pub has_more: bool,
}

/// The current state of what a page of changes is about.
fn states(conn: &mut DbConnection, rows: Vec<ChangeRow>) -> Result<Vec<ChangeDto>, StoreError> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.event_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut views: std::collections::HashMap<i64, events_read::EventView> =
        events_read::load_views(conn, &ids)?
            .into_iter()
            .map(|v| (v.event.id, v))
            .collect();
    let mut out = Vec::with_capacity(rows.len());
    let last_of: std::collections::HashMap<i64, usize> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.event_id.map(|e| (e, i)))
        .collect();
    for (i, row) in rows.into_iter().enumerate() {
        // An event's state is the same for all its changes on a page: cloned
        // for each but its last.
        let view = row.event_id.and_then(|e| {
            if last_of.get(&e) == Some(&i) {
                views.remove(&e)
            } else {
                views.get(&e).cloned()
            }
        });
        let company = match row.company_id {
            Some(id) => events_read::company(conn, id)?.map(|c| ChangeCompanyDto {
                id: c.id,
                ticker: c.fields.ticker,
                name: c.fields.name,
            }),
            None => None,
        };
        out.push(ChangeDto {
            id: row.id,
            cursor: encode_position(row.position()),
            kind: row.kind,
            event_id: row.event_id,
            company_id: row.company_id,
            actor: row.actor,
            at: item::timestamp(row.at),
            retracted: view.as_ref().is_some_and(|v| v.retracted_at.is_some()),
            event: view.map(event_item),
            company,
        });
    }
    Ok(out)
}

/// Every change after `since`, oldest first, with the state of the event or
/// company it is about; no change is skipped or repeated by a reader that
/// passes each `next_cursor` back.
#[utoipa::path(get, path = "/api/v1/changes", tag = "changes", operation_id = "list_changes",
    params(("since" = Option<String>, Query, description = "next_cursor of the last answer; `now` for future changes only; none for all"),
           ("limit" = Option<usize>, Query, description = "1..=1000, default 100")),
    responses((status = 200, body = ChangePage), (status = 400, body = super::error::Problem),
              (status = 401, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn feed(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ReadError> {
    let params = Params::parse(req.query_string(), &["since", "limit"])?;
    let limit = params.limit(100, 1_000)?;
    let since = params.get("since").map(str::to_string);
    let after = match since.as_deref() {
        None => Some(Position::START),
        Some("now") => None,
        Some(text) => Some(decode_position(text).ok_or_else(|| {
            Invalid::param(
                "since",
                "not a cursor returned by this API (pass `next_cursor` as it is, or `now`)",
            )
        })?),
    };
    let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
    // PostgreSQL's bound on final changes is per statement: not on a worker's
    // own connection either way.
    let page = state
        .db
        .blocking(move |conn| {
            let after = match after {
                Some(position) => position,
                None => changes::latest(conn)?,
            };
            let mut rows = changes::after(conn, after, fetch)?;
            let has_more = rows.len() > limit;
            rows.truncate(limit);
            let next = rows.last().map_or(after, ChangeRow::position);
            Ok::<_, StoreError>((states(conn, rows)?, next, has_more))
        })
        .await?;
    let (items, next, has_more) = page;
    Ok(json(
        StatusCode::OK,
        &ChangePage {
            items,
            next_cursor: encode_position(next),
            has_more,
        },
    ))
}

/// Events per round trip of an export.
const EXPORT_CHUNK: usize = 500;

/// Every event matching the filters as JSON Lines (one list item a line),
/// newest first, streamed in chunks: no page size, no cursor.
#[utoipa::path(get, path = "/api/v1/export.jsonl", tag = "exports", operation_id = "export_events",
    params(("ticker" = Option<String>, Query, description = "comma-separated tickers"),
           ("q" = Option<String>, Query, description = "text in the summary, authority or a party's name"),
           ("from" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"),
           ("to" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"),
           ("kind" = Option<String>, Query, description = "comma-separated kinds"),
           ("action" = Option<String>, Query, description = "comma-separated actions"),
           ("tag" = Option<String>, Query, description = "events carrying this tag"),
           ("review" = Option<String>, Query, description = "comma-separated review states"),
           ("min_confidence" = Option<f64>, Query, description = "0..=1")),
    responses((status = 200, content_type = "application/x-ndjson", body = String),
              (status = 400, body = super::error::Problem), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn export(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ReadError> {
    let params = Params::parse(
        req.query_string(),
        &[
            "ticker",
            "q",
            "from",
            "to",
            "kind",
            "action",
            "tag",
            "review",
            "min_confidence",
        ],
    )?;
    let filter = params.event_filter()?;
    let companies = match params.get("ticker") {
        Some(list) => Some(super::events::company_ids(&state, list).await?),
        None => None,
    };
    let db = state.db.clone();
    let chunks = futures_util::stream::unfold(
        (Some(None), db, filter, companies),
        |(cursor, db, filter, companies)| async move {
            let after = cursor?;
            let (f, c) = (filter.clone(), companies.clone());
            let read = db
                .blocking(move |conn| match &c {
                    Some(ids) => events_read::search_companies(conn, ids, &f, after, EXPORT_CHUNK),
                    None => events_read::search(conn, None, &f, after, EXPORT_CHUNK),
                })
                .await;
            match read {
                Ok(page) => {
                    let mut text = String::new();
                    for view in page.items {
                        if let Ok(line) = serde_json::to_string(&event_item(view)) {
                            text.push_str(&line);
                            text.push('\n');
                        }
                    }
                    let next = page.next.map(Some);
                    Some((
                        Ok::<_, actix_web::Error>(web::Bytes::from(text)),
                        (next, db, filter, companies),
                    ))
                }
                Err(err) => {
                    tracing::error!(error = %err, "export stopped by a database error");
                    Some((
                        Err(actix_web::error::ErrorInternalServerError(
                            "the export stopped: database error",
                        )),
                        (None, db, filter, companies),
                    ))
                }
            }
        },
    );
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"riskline-events.jsonl\"",
        ))
        .streaming(chunks))
}

/// Why an event is retracted.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetractBody {
    /// Up to 2000 characters, kept in the audit trail.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Retracts an event (analyst): a soft delete, audited and reported in the
/// changes feed; it leaves timelines, searches and feeds and stays readable by
/// id. Idempotent.
#[utoipa::path(post, path = "/api/v1/events/{id}/retract", tag = "events", operation_id = "retract_event",
    request_body = RetractBody, params(("id" = i64, Path, description = "event id")),
    responses((status = 200, body = EventDetailDto), (status = 403, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn retract(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let id = path_id("id", &path).map_err(WriteError::from)?;
    let bytes = body::read(&req, payload, BODY_LIMIT).await?;
    let parsed: RetractBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        RetractBody::default()
    } else {
        body::parse(&bytes).map_err(WriteError::from)?
    };
    let reason = parsed.reason.map(|r| r.trim().to_string());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(
            WriteError::from(Invalid::body("reason", "longer than 2000 characters")).into(),
        );
    }
    let actor = caller.name.clone();
    state
        .db
        .blocking(move |conn| review::retract(conn, id, reason.as_deref(), &actor))
        .await
        .map_err(WriteError::from)?;
    Ok(json(StatusCode::OK, &load_detail(&state, id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_garbage_is_refused() {
        let p = Position {
            txid: 7_000_123,
            id: 42,
        };
        assert_eq!(decode_position(&encode_position(p)), Some(p));
        assert_eq!(
            decode_position(&encode_position(Position::START)),
            Some(Position::START)
        );
        for bad in [
            "",
            "zz",
            &hex::encode("c:1"),
            &hex::encode("d:1:2"),
            &hex::encode("c:-1:2"),
        ] {
            assert_eq!(decode_position(bad), None, "{bad}");
        }
    }
}
