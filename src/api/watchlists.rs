//! `/watchlists`: a team's named sets of companies, their combined timeline and
//! risk summary, their feed tokens, and their webhook subscriptions with the
//! deliveries made for them.
//!
//! Every key sees the watchlists of its own team only; another team's
//! watchlist is answered `404`, as if it did not exist. Reading needs any key;
//! changing a watchlist or its subscriptions needs the analyst role.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::dto::{EventPage, RiskDto};
use super::error::{shown, unknown_value, Invalid, ReadError, WriteError};
use super::params::{self, path_id, Params, FILTER_PARAMS};
use super::{body, exports, item, json, AppState, BODY_LIMIT};
use crate::store::changes::ChangeKind;
use crate::store::models::{EventKind, KeyRole};
use crate::store::watchlists::{self, Watchlist, WatchlistInput};
use crate::store::webhooks::{self as hooks, Delivery, Webhook};
use crate::store::{events_read, keys};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/watchlists")
            .name("/api/v1/watchlists")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/watchlists/{id}")
            .name("/api/v1/watchlists/{id}")
            .route(web::get().to(show))
            .route(web::put().to(replace))
            .route(web::delete().to(delete)),
    )
    .service(
        web::resource("/watchlists/{id}/timeline")
            .name("/api/v1/watchlists/{id}/timeline")
            .route(web::get().to(timeline)),
    )
    .service(
        web::resource("/watchlists/{id}/risk")
            .name("/api/v1/watchlists/{id}/risk")
            .route(web::get().to(risk)),
    )
    .service(
        web::resource("/watchlists/{id}/feed-token")
            .name("/api/v1/watchlists/{id}/feed-token")
            .route(web::post().to(new_feed_token))
            .route(web::delete().to(revoke_feed_token)),
    )
    .service(
        web::resource("/watchlists/{id}/webhooks")
            .name("/api/v1/watchlists/{id}/webhooks")
            .route(web::get().to(list_webhooks))
            .route(web::post().to(create_webhook)),
    )
    .service(
        web::resource("/webhooks/{id}")
            .name("/api/v1/webhooks/{id}")
            .route(web::delete().to(delete_webhook)),
    )
    .service(
        web::resource("/webhooks/{id}/deliveries")
            .name("/api/v1/webhooks/{id}/deliveries")
            .route(web::get().to(list_deliveries)),
    )
    .service(
        web::resource("/deliveries/{id}/replay")
            .name("/api/v1/deliveries/{id}/replay")
            .route(web::post().to(replay_delivery)),
    );
}

// ------------------------------------------------------------------ wire forms

/// A company of a watchlist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchlistCompanyDto {
    pub ticker: String,
    pub name: String,
}

/// A watchlist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchlistDto {
    pub id: i64,
    pub name: String,
    /// The owning team (the team of the key that made it).
    pub team: String,
    /// Its companies, by ticker.
    pub companies: Vec<WatchlistCompanyDto>,
    /// Only these kinds in its timeline, feeds and webhooks (empty: all).
    pub kinds: Vec<String>,
    /// Only these actions (empty: all).
    pub actions: Vec<String>,
    /// Only events at least this sure (null: all).
    pub min_confidence: Option<f64>,
    /// Whether feed URLs are open (`POST /watchlists/{id}/feed-token`).
    pub has_feed_token: bool,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Watchlist> for WatchlistDto {
    fn from(list: Watchlist) -> Self {
        WatchlistDto {
            id: list.id,
            name: list.name,
            team: list.team,
            companies: list
                .companies
                .into_iter()
                .map(|c| WatchlistCompanyDto {
                    ticker: c.ticker,
                    name: c.name,
                })
                .collect(),
            kinds: list.kinds.iter().map(|k| k.as_str().to_string()).collect(),
            actions: list.actions,
            min_confidence: list.min_confidence,
            has_feed_token: list.has_feed_token,
            created_by: list.created_by,
            created_at: item::timestamp(list.created_at),
            updated_at: item::timestamp(list.updated_at),
        }
    }
}

/// The watchlists of the caller's team.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchlistPage {
    pub items: Vec<WatchlistDto>,
    /// Always null: a team's watchlists come in one page.
    pub next_cursor: Option<String>,
}

/// A watchlist as a client writes it (whole, on create and replace).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchlistBody {
    /// 1 to 100 characters, unique within the team.
    pub name: String,
    /// Tickers (any case, former tickers accepted), at most 500.
    pub tickers: Vec<String>,
    /// lawsuit | regulatory_action | service_halt (empty: all)
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Actions such as `filed`, `fine` (empty: all).
    #[serde(default)]
    pub actions: Vec<String>,
    /// 0..=1
    #[serde(default)]
    pub min_confidence: Option<f64>,
}

/// A watchlist's risk summary: its companies together, an event of several
/// of them counted once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchlistRiskDto {
    pub watchlist_id: i64,
    pub tickers: Vec<String>,
    pub risk: RiskDto,
}

/// The read-only token of a watchlist's feeds, shown once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedTokenDto {
    /// The token; a new one replaces (revokes) the last.
    pub token: String,
    /// The Atom feed, for feed readers (no key needed).
    pub atom_path: String,
    /// The iCalendar feed, for calendars (no key needed).
    pub ics_path: String,
}

/// A webhook subscription (its secret is shown only when it is made).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDto {
    pub id: i64,
    pub watchlist_id: i64,
    pub url: String,
    /// The change kinds it sends (empty: all).
    pub change_kinds: Vec<String>,
    /// The signing secret: only in the answer to its creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

impl WebhookDto {
    fn new(hook: Webhook, secret: Option<String>) -> WebhookDto {
        WebhookDto {
            change_kinds: hook
                .kinds()
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
            id: hook.id,
            watchlist_id: hook.watchlist_id,
            url: hook.url,
            secret,
            created_by: hook.created_by,
            created_at: item::timestamp(hook.created_at),
        }
    }
}

/// The subscriptions of a watchlist.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookPage {
    pub items: Vec<WebhookDto>,
    /// Always null.
    pub next_cursor: Option<String>,
}

/// A subscription to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    /// An http(s) URL; loopback and private addresses are refused unless the
    /// server allows them.
    pub url: String,
    /// At least 16 characters; made up by the server when left out.
    #[serde(default)]
    pub secret: Option<String>,
    /// Change kinds to send (empty: all).
    #[serde(default)]
    pub change_kinds: Vec<String>,
}

/// One delivery of a subscription.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryDto {
    pub id: i64,
    pub webhook_id: i64,
    pub change_id: i64,
    pub idempotency_key: String,
    /// pending | delivered | dead
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

impl From<Delivery> for DeliveryDto {
    fn from(d: Delivery) -> Self {
        DeliveryDto {
            next_attempt_at: (d.state == "pending").then(|| item::timestamp(d.next_attempt_at)),
            id: d.id,
            webhook_id: d.webhook_id,
            change_id: d.change_id,
            idempotency_key: d.idempotency_key,
            state: d.state,
            attempts: d.attempts,
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: item::timestamp(d.created_at),
            delivered_at: d.delivered_at.map(item::timestamp),
        }
    }
}

/// A page of deliveries, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryPage {
    pub items: Vec<DeliveryDto>,
    pub next_cursor: Option<String>,
}

// ------------------------------------------------------------------ helpers

/// The caller's watchlist `id`, or a `404`.
pub(crate) async fn load(state: &AppState, team: &str, id: i64) -> Result<Watchlist, ReadError> {
    let team = team.to_string();
    state
        .db
        .read(move |conn| watchlists::get(conn, &team, id))
        .await?
        .ok_or_else(|| ReadError::NotFound(format!("no watchlist {id}")))
}

async fn watchlist_input(
    state: &AppState,
    body: WatchlistBody,
) -> Result<WatchlistInput, WriteError> {
    let name = body.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Invalid::body("name", "must have 1 to 100 characters").into());
    }
    if body.tickers.len() > watchlists::MAX_COMPANIES {
        return Err(Invalid::body("tickers", "at most 500 tickers").into());
    }
    let mut company_ids = Vec::with_capacity(body.tickers.len());
    for (i, ticker) in body.tickers.iter().enumerate() {
        match state.company_id(ticker).await {
            Ok(id) => company_ids.push(id),
            Err(ReadError::UnknownTicker {
                ticker,
                suggestions,
            }) => {
                return Err(WriteError::UnknownTicker {
                    ticker,
                    field: format!("tickers[{i}]"),
                    suggestions,
                })
            }
            Err(other) => return Err(other.into()),
        }
    }
    let mut kinds = Vec::with_capacity(body.kinds.len());
    for (i, kind) in body.kinds.iter().enumerate() {
        kinds.push(
            kind.parse::<EventKind>()
                .map_err(|e| Invalid::body(&format!("kinds[{i}]"), unknown_value(&e)))?,
        );
    }
    let mut actions = Vec::with_capacity(body.actions.len());
    for (i, action) in body.actions.iter().enumerate() {
        let read = crate::domain::Action::read(action.trim())
            .map_err(|e| Invalid::body(&format!("actions[{i}]"), unknown_value(&e)))?;
        actions.push(read.as_str().to_string());
    }
    if body
        .min_confidence
        .is_some_and(|c| !(0.0..=1.0).contains(&c))
    {
        return Err(Invalid::body("min_confidence", "must be between 0 and 1").into());
    }
    Ok(WatchlistInput {
        name,
        company_ids,
        kinds,
        actions,
        min_confidence: body.min_confidence,
    })
}

// ------------------------------------------------------------------ watchlists

/// The watchlists of the caller's team, by name.
#[utoipa::path(get, path = "/api/v1/watchlists", tag = "watchlists", operation_id = "list_watchlists",
    responses((status = 200, body = WatchlistPage), (status = 401, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let team = caller.team.clone();
    let lists = state
        .db
        .read(move |conn| watchlists::list(conn, &team))
        .await?;
    Ok(json(
        StatusCode::OK,
        &WatchlistPage {
            items: lists.into_iter().map(Into::into).collect(),
            next_cursor: None,
        },
    ))
}

/// Makes a watchlist for the caller's team (analyst); `409` when the team has
/// one of that name.
#[utoipa::path(post, path = "/api/v1/watchlists", tag = "watchlists", operation_id = "create_watchlist",
    request_body = WatchlistBody,
    responses((status = 201, body = WatchlistDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 404, body = super::error::Problem),
              (status = 409, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let bytes = body::read(&req, payload, BODY_LIMIT).await?;
    let parsed: WatchlistBody = body::parse(&bytes).map_err(WriteError::from)?;
    let input = watchlist_input(&state, parsed).await?;
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let list = state
        .db
        .blocking(move |conn| Ok::<_, WriteError>(watchlists::create(conn, &team, &input, &actor)?))
        .await?;
    Ok(json(StatusCode::CREATED, &WatchlistDto::from(list)))
}

/// One watchlist of the caller's team.
#[utoipa::path(get, path = "/api/v1/watchlists/{id}", tag = "watchlists", operation_id = "show_watchlist",
    params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 200, body = WatchlistDto), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn show(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let id = path_id("id", &path)?;
    let list = load(&state, &caller.team, id).await?;
    Ok(json(StatusCode::OK, &WatchlistDto::from(list)))
}

/// Replaces a watchlist (analyst): name, tickers and filters as given.
#[utoipa::path(put, path = "/api/v1/watchlists/{id}", tag = "watchlists", operation_id = "replace_watchlist",
    request_body = WatchlistBody, params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 200, body = WatchlistDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 404, body = super::error::Problem),
              (status = 409, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn replace(
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
    let parsed: WatchlistBody = body::parse(&bytes).map_err(WriteError::from)?;
    let input = watchlist_input(&state, parsed).await?;
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let list = state
        .db
        .blocking(move |conn| {
            watchlists::replace(conn, &team, id, &input, &actor)?
                .ok_or_else(|| WriteError::NotFound(format!("no watchlist {id}")))
        })
        .await?;
    Ok(json(StatusCode::OK, &WatchlistDto::from(list)))
}

/// Deletes a watchlist with its subscriptions (analyst); `204`.
#[utoipa::path(delete, path = "/api/v1/watchlists/{id}", tag = "watchlists", operation_id = "delete_watchlist",
    params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 204, description = "deleted"), (status = 403, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn delete(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let id = path_id("id", &path).map_err(WriteError::from)?;
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let deleted = state
        .db
        .blocking(move |conn| watchlists::delete(conn, &team, id, &actor))
        .await
        .map_err(WriteError::from)?;
    if !deleted {
        return Err(WriteError::NotFound(format!("no watchlist {id}")).into());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The combined timeline of a watchlist's companies, newest first: the company
/// timeline's filters (narrowed by the watchlist's own) and keyset cursor.
#[utoipa::path(get, path = "/api/v1/watchlists/{id}/timeline", tag = "watchlists", operation_id = "watchlist_timeline",
    params(("id" = i64, Path, description = "watchlist id"),
           ("from" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"),
           ("to" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"),
           ("kind" = Option<String>, Query, description = "comma-separated kinds"),
           ("action" = Option<String>, Query, description = "comma-separated actions"),
           ("tag" = Option<String>, Query, description = "events carrying this tag"),
           ("review" = Option<String>, Query, description = "comma-separated review states"),
           ("min_confidence" = Option<f64>, Query, description = "0..=1"),
           ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
           ("limit" = Option<usize>, Query, description = "1..=200 (CSV: 1..=10000, default 1000)"),
           ("format" = Option<String>, Query, description = "json (default) or csv"),
           ("bom" = Option<bool>, Query, description = "CSV only: start with a UTF-8 byte order mark, for spreadsheets")),
    responses((status = 200, description = "a JSON page, or with `format=csv` CSV with the next cursor in `X-Next-Cursor`", content((EventPage = "application/json"), (String = "text/csv"))), (status = 400, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn timeline(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    let params = Params::parse(req.query_string(), FILTER_PARAMS)?;
    let filter = params.event_filter()?;
    let csv = params.csv()?;
    let bom = params.bom()?;
    let limit = if csv {
        params.limit(params::CSV_DEFAULT_LIMIT, params::CSV_MAX_LIMIT)?
    } else {
        params.limit(params::DEFAULT_LIMIT, params::MAX_LIMIT)?
    };
    let cursor = params.cursor()?;
    let id = path_id("id", &path)?;
    let list = load(&state, &caller.team, id).await?;
    let ids = list.company_ids();
    let page = match list.narrow(filter) {
        Some(filter) => {
            state
                .db
                .read(move |conn| events_read::search_companies(conn, &ids, &filter, cursor, limit))
                .await?
        }
        // The request asks only for what the watchlist leaves out.
        None => events_read::Page {
            items: Vec::new(),
            next: None,
        },
    };
    if csv {
        return Ok(exports::csv_response(page.items, page.next, bom));
    }
    Ok(super::companies::event_page_response(
        &req,
        EventPage::new(page.items, page.next),
    ))
}

/// The risk summary of a watchlist's companies together.
#[utoipa::path(get, path = "/api/v1/watchlists/{id}/risk", tag = "watchlists", operation_id = "watchlist_risk",
    params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 200, body = WatchlistRiskDto), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn risk(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let id = path_id("id", &path)?;
    let list = load(&state, &caller.team, id).await?;
    let today = Utc::now().date_naive();
    let ids = list.company_ids();
    let summary = state
        .db
        .read(move |conn| events_read::risk_summary_of(conn, &ids, today))
        .await?;
    Ok(json(
        StatusCode::OK,
        &WatchlistRiskDto {
            watchlist_id: list.id,
            tickers: list.companies.into_iter().map(|c| c.ticker).collect(),
            risk: RiskDto::new(summary, today),
        },
    ))
}

/// Opens the watchlist's feed URLs with a new read-only token (analyst),
/// revoking the last one; the token is shown once.
#[utoipa::path(post, path = "/api/v1/watchlists/{id}/feed-token", tag = "watchlists", operation_id = "create_feed_token",
    params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 201, body = FeedTokenDto), (status = 403, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn new_feed_token(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let id = path_id("id", &path).map_err(WriteError::from)?;
    let token = format!("rf_{}", &keys::new_secret()[keys::KEY_PREFIX.len()..]);
    let hash = keys::hash_secret(&token);
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let found = state
        .db
        .blocking(move |conn| watchlists::set_feed_token(conn, &team, id, Some(&hash), &actor))
        .await
        .map_err(WriteError::from)?;
    if !found {
        return Err(WriteError::NotFound(format!("no watchlist {id}")).into());
    }
    Ok(json(
        StatusCode::CREATED,
        &FeedTokenDto {
            atom_path: format!("/feeds/{token}/watchlist.atom"),
            ics_path: format!("/feeds/{token}/watchlist.ics"),
            token,
        },
    ))
}

/// Closes the watchlist's feed URLs (analyst); `204`.
#[utoipa::path(delete, path = "/api/v1/watchlists/{id}/feed-token", tag = "watchlists", operation_id = "revoke_feed_token",
    params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 204, description = "revoked"), (status = 403, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn revoke_feed_token(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let id = path_id("id", &path).map_err(WriteError::from)?;
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let found = state
        .db
        .blocking(move |conn| watchlists::set_feed_token(conn, &team, id, None, &actor))
        .await
        .map_err(WriteError::from)?;
    if !found {
        return Err(WriteError::NotFound(format!("no watchlist {id}")).into());
    }
    Ok(HttpResponse::NoContent().finish())
}

// ------------------------------------------------------------------ webhooks

/// The subscriptions of a watchlist.
#[utoipa::path(get, path = "/api/v1/watchlists/{id}/webhooks", tag = "webhooks", operation_id = "list_webhooks",
    params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 200, body = WebhookPage), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list_webhooks(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let id = path_id("id", &path)?;
    let team = caller.team.clone();
    let found = state
        .db
        .read(move |conn| hooks::list(conn, &team, id))
        .await?
        .ok_or_else(|| ReadError::NotFound(format!("no watchlist {id}")))?;
    Ok(json(
        StatusCode::OK,
        &WebhookPage {
            items: found
                .into_iter()
                .map(|h| WebhookDto::new(h, None))
                .collect(),
            next_cursor: None,
        },
    ))
}

fn webhook_kinds(names: &[String]) -> Result<Vec<ChangeKind>, Invalid> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            name.parse::<ChangeKind>()
                .map_err(|e| Invalid::body(&format!("change_kinds[{i}]"), unknown_value(&e)))
        })
        .collect()
}

/// Subscribes a URL to a watchlist's changes (analyst); the answer holds the
/// signing secret, shown once.
#[utoipa::path(post, path = "/api/v1/watchlists/{id}/webhooks", tag = "webhooks", operation_id = "create_webhook",
    request_body = WebhookBody, params(("id" = i64, Path, description = "watchlist id")),
    responses((status = 201, body = WebhookDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn create_webhook(
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
    let parsed: WebhookBody = body::parse(&bytes).map_err(WriteError::from)?;
    let url = parsed.url.trim().to_string();
    crate::webhooks::target::check_url(&url, state.webhooks_allow_private).map_err(|why| {
        WriteError::from(Invalid::body("url", format!("`{}` {why}", shown(&url))))
    })?;
    let secret = match parsed.secret {
        Some(s) if s.len() >= 16 && s.len() <= 200 => s,
        Some(_) => {
            return Err(
                WriteError::from(Invalid::body("secret", "must have 16 to 200 characters")).into(),
            )
        }
        None => format!("whsec_{}", &keys::new_secret()[keys::KEY_PREFIX.len()..]),
    };
    let kinds = webhook_kinds(&parsed.change_kinds).map_err(WriteError::from)?;
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let shown_secret = secret.clone();
    let hook = state
        .db
        .blocking(move |conn| {
            hooks::create(conn, &team, id, &url, &secret, &kinds, &actor)?
                .ok_or_else(|| WriteError::NotFound(format!("no watchlist {id}")))
        })
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &WebhookDto::new(hook, Some(shown_secret)),
    ))
}

/// Removes a subscription with its deliveries (analyst); `204`.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", operation_id = "delete_webhook",
    params(("id" = i64, Path, description = "webhook id")),
    responses((status = 204, description = "removed"), (status = 403, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn delete_webhook(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let id = path_id("id", &path).map_err(WriteError::from)?;
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let deleted = state
        .db
        .blocking(move |conn| hooks::delete(conn, &team, id, &actor))
        .await
        .map_err(WriteError::from)?;
    if !deleted {
        return Err(WriteError::NotFound(format!("no webhook {id}")).into());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The deliveries of a subscription, newest first.
#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", operation_id = "list_deliveries",
    params(("id" = i64, Path, description = "webhook id"),
           ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
           ("limit" = Option<usize>, Query, description = "1..=200, default 50")),
    responses((status = 200, body = DeliveryPage), (status = 400, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    let params = Params::parse(req.query_string(), &["cursor", "limit"])?;
    let limit = params.limit(params::DEFAULT_LIMIT, params::MAX_LIMIT)?;
    let before = match params.get("cursor") {
        None => None,
        Some(c) => Some(
            path_id("cursor", c)
                .map_err(|_| Invalid::param("cursor", "not a cursor returned by this API"))?,
        ),
    };
    let id = path_id("id", &path)?;
    let team = caller.team.clone();
    let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
    let mut rows = state
        .db
        .read(move |conn| hooks::deliveries_of(conn, &team, id, before, fetch))
        .await?
        .ok_or_else(|| ReadError::NotFound(format!("no webhook {id}")))?;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|d| d.id.to_string())
    } else {
        None
    };
    Ok(json(
        StatusCode::OK,
        &DeliveryPage {
            items: rows.into_iter().map(Into::into).collect(),
            next_cursor,
        },
    ))
}

/// Sends a delivery again (analyst), whatever its state, with the same
/// idempotency key; `202` with the delivery as queued.
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/replay", tag = "webhooks", operation_id = "replay_delivery",
    params(("id" = i64, Path, description = "delivery id")),
    responses((status = 202, body = DeliveryDto), (status = 403, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn replay_delivery(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let id = path_id("id", &path).map_err(WriteError::from)?;
    let (team, actor) = (caller.team.clone(), caller.name.clone());
    let delivery = state
        .db
        .blocking(move |conn| {
            hooks::replay(conn, &team, id, &actor)?
                .ok_or_else(|| WriteError::NotFound(format!("no delivery {id}")))
        })
        .await?;
    Ok(json(StatusCode::ACCEPTED, &DeliveryDto::from(delivery)))
}
