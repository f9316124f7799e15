//! `/events` and `/tags`: search, detail and history of events, and the
//! analysts' writes (review and corrections, manual events, splits, tags).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::auth::Caller;
use super::dto::{EventDetailDto, EventPage, EventTagsDto, HistoryPage, TagCountDto, TagPage};
use super::error::{shown, Invalid, ReadError, WriteError};
use super::params::{self, parse_event_date, path_id, Params, FILTER_PARAMS};
use super::{body, exports, json, AppState, BODY_LIMIT};
use crate::domain::Action;
use crate::store::models::{DatePrecision, EventKind, KeyRole, ReviewState, Role, Status};
use crate::store::review::{self, EventPatch, ManualEvent};
use crate::store::{events_read, tags, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/events")
            .name("/api/v1/events")
            .route(web::get().to(search))
            .route(web::post().to(create_manual)),
    )
    .service(
        web::resource("/events/{id}")
            .name("/api/v1/events/{id}")
            .route(web::get().to(show))
            .route(web::patch().to(patch)),
    )
    .service(
        web::resource("/events/{id}/history")
            .name("/api/v1/events/{id}/history")
            .route(web::get().to(history)),
    )
    .service(
        web::resource("/events/{id}/split")
            .name("/api/v1/events/{id}/split")
            .route(web::post().to(split)),
    )
    .service(
        web::resource("/events/{id}/tags/{tag}")
            .name("/api/v1/events/{id}/tags/{tag}")
            .route(web::put().to(add_tag))
            .route(web::delete().to(remove_tag)),
    )
    .service(
        web::resource("/tags")
            .name("/api/v1/tags")
            .route(web::get().to(list_tags)),
    );
}

/// Loads the detail of an event, or a `404`.
pub(crate) async fn load_detail(state: &AppState, id: i64) -> Result<EventDetailDto, ReadError> {
    let detail = state
        .db
        .read(move |conn| events_read::detail(conn, id))
        .await?;
    detail
        .map(EventDetailDto::from)
        .ok_or_else(|| ReadError::NotFound(format!("no event {id}")))
}

/// The companies of a comma-separated list of tickers (any case, former
/// tickers too), without repeats; at most 500.
pub(crate) async fn company_ids(state: &AppState, list: &str) -> Result<Vec<i64>, ReadError> {
    let tickers: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tickers.is_empty() || tickers.len() > 500 {
        return Err(Invalid::param("tickers", "give 1 to 500 comma-separated tickers").into());
    }
    let mut ids = Vec::with_capacity(tickers.len());
    for ticker in tickers {
        let id = state.company_id(ticker).await?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Events across companies (or of the companies in `tickers`), newest first, with the timeline
/// filters and a text search `q` over summary, authority and parties.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", operation_id = "search_events",
    params(("ticker" = Option<String>, Query, description = "only events of this company (or of these, comma-separated)"),
           ("tickers" = Option<String>, Query, description = "only events of these companies, comma-separated: `GM,JPM`"),
           ("q" = Option<String>, Query, description = "text in the summary, authority or a party's name"),
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
pub(crate) async fn search(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ReadError> {
    let mut allowed = FILTER_PARAMS.to_vec();
    allowed.extend(["ticker", "tickers", "q"]);
    let params = Params::parse(req.query_string(), &allowed)?;
    let filter = params.event_filter()?;
    let csv = params.csv()?;
    let bom = params.bom()?;
    let limit = if csv {
        params.limit(params::CSV_DEFAULT_LIMIT, params::CSV_MAX_LIMIT)?
    } else {
        params.limit(params::DEFAULT_LIMIT, params::MAX_LIMIT)?
    };
    let cursor = params.cursor()?;
    let companies = match (params.get("ticker"), params.get("tickers")) {
        (Some(_), Some(_)) => {
            return Err(Invalid::param("tickers", "give `ticker` or `tickers`, not both").into())
        }
        (Some(list), None) | (None, Some(list)) => Some(company_ids(&state, list).await?),
        (None, None) => None,
    };
    // A text search scans events: not on a worker thread.
    let run = move |conn: &mut crate::store::DbConnection| match companies.as_deref() {
        Some([one]) => events_read::search(conn, Some(*one), &filter, cursor, limit),
        Some(many) => events_read::search_companies(conn, many, &filter, cursor, limit),
        None => events_read::search(conn, None, &filter, cursor, limit),
    };
    let page = if params.get("q").is_some() {
        state.db.blocking(run).await?
    } else {
        state.db.read(run).await?
    };
    if csv {
        return Ok(exports::csv_response(page.items, page.next, bom));
    }
    Ok(super::companies::event_page_response(
        &req,
        EventPage::new(page.items, page.next),
    ))
}

/// One event with all its evidence, tags, thread and history.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", operation_id = "show_event",
    params(("id" = i64, Path, description = "event id")),
    responses((status = 200, body = EventDetailDto), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn show(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let id = path_id("id", &path)?;
    Ok(json(StatusCode::OK, &load_detail(&state, id).await?))
}

/// The audit trail of an event, oldest first.
#[utoipa::path(get, path = "/api/v1/events/{id}/history", tag = "events", operation_id = "event_history",
    params(("id" = i64, Path, description = "event id")),
    responses((status = 200, body = HistoryPage), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn history(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let id = path_id("id", &path)?;
    let entries = state
        .db
        .read(move |conn| {
            let entries = events_read::history(conn, id)?;
            if entries.is_empty() && !events_read::exists(conn, id)? {
                return Ok(None);
            }
            Ok::<_, StoreError>(Some(entries))
        })
        .await?
        .ok_or_else(|| ReadError::NotFound(format!("no event {id}")))?;
    Ok(json(
        StatusCode::OK,
        &HistoryPage {
            items: entries.into_iter().map(Into::into).collect(),
            next_cursor: None,
        },
    ))
}

/// Fields `PATCH /events/{id}` accepts.
const PATCH_FIELDS: &[&str] = &[
    "review_state",
    "review_note",
    "kind",
    "action",
    "status",
    "occurred_on",
    "date_precision",
    "amount_usd",
    "authority",
    "jurisdiction",
    "summary",
    "thread",
];

/// A review and corrections of an event (any subset of the fields).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct PatchBody {
    /// confirmed | rejected | unreviewed
    review_state: Option<String>,
    review_note: Option<String>,
    kind: Option<String>,
    action: Option<String>,
    status: Option<String>,
    /// YYYY-MM-DD, YYYY-MM or YYYY
    occurred_on: Option<String>,
    date_precision: Option<String>,
    amount_usd: Option<i64>,
    authority: Option<String>,
    jurisdiction: Option<String>,
    summary: Option<String>,
    /// The id of an event whose thread this step joins (an analyst's link), or null to
    /// take it out of its thread (it then stands alone). Either holds against later
    /// ingests.
    thread: Option<i64>,
}

fn text_field(field: &str, value: &Value, max: usize) -> Result<String, Invalid> {
    let Some(text) = value.as_str() else {
        return Err(Invalid::body(field, "must be a string"));
    };
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(Invalid::body(
            field,
            format!("must have 1 to {max} characters"),
        ));
    }
    Ok(text.to_string())
}

fn optional_text(field: &str, value: &Value, max: usize) -> Result<Option<String>, Invalid> {
    if value.is_null() {
        Ok(None)
    } else {
        text_field(field, value, max).map(Some)
    }
}

/// An action as the domain knows it ([`Action::read`]: its words and their common
/// other forms), stored in its one spelling.
fn action_word(field: &str, value: &Value) -> Result<String, Invalid> {
    let text = text_field(field, value, 64)?;
    let action =
        Action::read(&text).map_err(|e| Invalid::body(field, super::error::unknown_value(&e)))?;
    Ok(action.as_str().to_string())
}

fn enum_field<T: std::str::FromStr<Err = crate::store::models::UnknownValue>>(
    field: &str,
    value: &Value,
) -> Result<T, Invalid> {
    let Some(text) = value.as_str() else {
        return Err(Invalid::body(field, "must be a string"));
    };
    text.parse::<T>()
        .map_err(|e| Invalid::body(field, super::error::unknown_value(&e)))
}

fn amount_field(field: &str, value: &Value) -> Result<Option<i64>, Invalid> {
    if value.is_null() {
        return Ok(None);
    }
    match value.as_i64() {
        Some(n) if n >= 0 => Ok(Some(n)),
        _ => Err(Invalid::body(
            field,
            "must be a whole number of US dollars, 0 or more",
        )),
    }
}

fn parse_patch(object: &Map<String, Value>) -> Result<EventPatch, Invalid> {
    let mut patch = EventPatch::default();
    for key in object.keys() {
        if !PATCH_FIELDS.contains(&key.as_str()) {
            return Err(Invalid::body(
                key,
                format!(
                    "unknown field (expected any of: {})",
                    PATCH_FIELDS.join(", ")
                ),
            ));
        }
    }
    let get = |name: &str| object.get(name);
    if let Some(v) = get("review_state") {
        patch.review_state = Some(enum_field::<ReviewState>("review_state", v)?);
    }
    if let Some(v) = get("review_note") {
        patch.review_note = Some(optional_text("review_note", v, 2000)?);
    }
    if let Some(v) = get("kind") {
        patch.kind = Some(enum_field::<EventKind>("kind", v)?);
    }
    if let Some(v) = get("action") {
        patch.action = Some(action_word("action", v)?);
    }
    if let Some(v) = get("status") {
        patch.status = Some(if v.is_null() {
            None
        } else {
            Some(enum_field::<Status>("status", v)?)
        });
    }
    let precision = match get("date_precision") {
        Some(v) if !v.is_null() => Some(enum_field::<DatePrecision>("date_precision", v)?),
        Some(_) => {
            return Err(Invalid::body(
                "date_precision",
                "must be day, month or year",
            ))
        }
        None => None,
    };
    if let Some(v) = get("occurred_on") {
        patch.occurred_on = Some(if v.is_null() {
            None
        } else {
            Some(event_date("occurred_on", v, precision)?)
        });
    } else {
        patch.date_precision = precision;
    }
    if let Some(v) = get("amount_usd") {
        patch.amount_usd = Some(amount_field("amount_usd", v)?);
    }
    if let Some(v) = get("authority") {
        patch.authority = Some(optional_text("authority", v, 200)?);
    }
    if let Some(v) = get("jurisdiction") {
        patch.jurisdiction = Some(optional_text("jurisdiction", v, 100)?);
    }
    if let Some(v) = get("summary") {
        patch.summary = Some(text_field("summary", v, 1000)?);
    }
    if let Some(v) = get("thread") {
        patch.thread = Some(if v.is_null() {
            None
        } else {
            match v.as_i64() {
                Some(id) if id > 0 => Some(id),
                _ => {
                    return Err(Invalid::body(
                        "thread",
                        "must be the id of an event, or null to unlink",
                    ))
                }
            }
        });
    }
    if patch.is_empty() {
        return Err(Invalid::body(
            "body",
            format!(
                "nothing to change (give any of: {})",
                PATCH_FIELDS.join(", ")
            ),
        ));
    }
    Ok(patch)
}

/// An event date with its precision: as written, or coarsened to `precision`.
fn event_date(
    field: &str,
    value: &Value,
    precision: Option<DatePrecision>,
) -> Result<(chrono::NaiveDate, DatePrecision), Invalid> {
    let Some(text) = value.as_str() else {
        return Err(Invalid::body(
            field,
            "must be a string YYYY-MM-DD, YYYY-MM or YYYY",
        ));
    };
    let (day, implied) = parse_event_date(text).ok_or_else(|| {
        Invalid::body(
            field,
            format!(
                "`{}` is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)",
                shown(text)
            ),
        )
    })?;
    let precision = precision.unwrap_or(implied);
    use chrono::Datelike;
    let day = match precision {
        DatePrecision::Day => day,
        DatePrecision::Month => day.with_day(1).unwrap_or(day),
        DatePrecision::Year => day.with_day(1).and_then(|d| d.with_month(1)).unwrap_or(day),
    };
    Ok((day, precision))
}

/// Reviews and corrects an event; corrected fields are locked against later ingests.
#[utoipa::path(patch, path = "/api/v1/events/{id}", tag = "events", operation_id = "patch_event", request_body = PatchBody,
    params(("id" = i64, Path, description = "event id")),
    responses((status = 200, body = EventDetailDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn patch(
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
    let object: Map<String, Value> = body::parse(&bytes).map_err(WriteError::from)?;
    let patch = parse_patch(&object).map_err(WriteError::from)?;
    let actor = caller.name.clone();
    state
        .db
        .blocking(move |conn| {
            review::patch(conn, id, &patch, &actor)?;
            Ok::<_, WriteError>(())
        })
        .await?;
    Ok(json(StatusCode::OK, &load_detail(&state, id).await?))
}

/// A company of a manual event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyRoleBody {
    pub ticker: String,
    /// defendant | plaintiff | regulated | operator | affected | party; default by kind
    #[serde(default)]
    pub role: Option<String>,
}

/// An event entered by an analyst.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualEventBody {
    /// lawsuit | regulatory_action | service_halt
    pub kind: String,
    pub action: String,
    /// YYYY-MM-DD, YYYY-MM or YYYY
    pub occurred_on: String,
    #[serde(default)]
    pub date_precision: Option<String>,
    /// Tickers of the companies (role by kind), or use `companies`.
    #[serde(default)]
    pub tickers: Option<Vec<String>>,
    #[serde(default)]
    pub companies: Option<Vec<CompanyRoleBody>>,
    pub summary: String,
    pub evidence_url: String,
    #[serde(default)]
    pub amount_usd: Option<i64>,
    #[serde(default)]
    pub authority: Option<String>,
    #[serde(default)]
    pub jurisdiction: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// The role a company has by default in an event of `kind`.
fn default_role(kind: EventKind) -> Role {
    match kind {
        EventKind::Lawsuit => Role::Defendant,
        EventKind::RegulatoryAction => Role::Regulated,
        EventKind::ServiceHalt => Role::Operator,
    }
}

pub(crate) async fn manual_event(
    state: &AppState,
    body: ManualEventBody,
) -> Result<ManualEvent, WriteError> {
    let kind = enum_field::<EventKind>("kind", &Value::String(body.kind))?;
    let action = action_word("action", &Value::String(body.action))?;
    let precision = body
        .date_precision
        .map(|p| enum_field::<DatePrecision>("date_precision", &Value::String(p)))
        .transpose()?;
    let (occurred_on, date_precision) =
        event_date("occurred_on", &Value::String(body.occurred_on), precision)?;
    let summary = text_field("summary", &Value::String(body.summary), 1000)?;
    let url = body.evidence_url.trim().to_string();
    super::links::check_web_url(&url).map_err(|why| Invalid::body("evidence_url", why))?;
    let amount_usd = amount_field(
        "amount_usd",
        &body.amount_usd.map_or(Value::Null, Value::from),
    )?;
    let status = body
        .status
        .map(|s| enum_field::<Status>("status", &Value::String(s)))
        .transpose()?;
    let authority = body
        .authority
        .map(|a| text_field("authority", &Value::String(a), 200))
        .transpose()?;
    let jurisdiction = body
        .jurisdiction
        .map(|j| text_field("jurisdiction", &Value::String(j), 100))
        .transpose()?;

    let mut wanted: Vec<(String, String, Role)> = Vec::new();
    match (body.tickers, body.companies) {
        (Some(_), Some(_)) => {
            return Err(
                Invalid::body("companies", "give `tickers` or `companies`, not both").into(),
            )
        }
        (Some(tickers), None) => {
            for (i, ticker) in tickers.into_iter().enumerate() {
                wanted.push((format!("tickers[{i}]"), ticker, default_role(kind)));
            }
        }
        (None, Some(companies)) => {
            for (i, company) in companies.into_iter().enumerate() {
                let role = match company.role {
                    Some(role) => {
                        enum_field::<Role>(&format!("companies[{i}].role"), &Value::String(role))?
                    }
                    None => default_role(kind),
                };
                wanted.push((format!("companies[{i}].ticker"), company.ticker, role));
            }
        }
        (None, None) => {}
    }
    if wanted.is_empty() || wanted.len() > 50 {
        return Err(Invalid::body(
            "tickers",
            "name 1 to 50 companies (`tickers` or `companies`)",
        )
        .into());
    }
    let mut companies = Vec::with_capacity(wanted.len());
    for (field, ticker, role) in wanted {
        match state.company_id(&ticker).await {
            Ok(id) => {
                if !companies.contains(&(id, role)) {
                    companies.push((id, role));
                }
            }
            Err(ReadError::UnknownTicker {
                ticker,
                suggestions,
            }) => {
                return Err(WriteError::UnknownTicker {
                    ticker,
                    field,
                    suggestions,
                })
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(ManualEvent {
        kind,
        action,
        status,
        occurred_on,
        date_precision,
        companies,
        summary,
        evidence_url: url,
        amount_usd,
        authority,
        jurisdiction,
    })
}

/// Adds an event by hand, with the URL where it was reported; `201` with its detail.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", operation_id = "create_event", request_body = ManualEventBody,
    responses((status = 201, body = EventDetailDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn create_manual(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let bytes = body::read(&req, payload, BODY_LIMIT).await?;
    let parsed: ManualEventBody = body::parse(&bytes).map_err(WriteError::from)?;
    let manual = manual_event(&state, parsed).await?;
    let actor = caller.name.clone();
    let id = state
        .db
        .blocking(move |conn| {
            let id = review::create_manual(conn, &manual, &actor)?;
            // A resumption or a lift entered by hand joins its story like an extracted one.
            crate::ingest::link_entered(conn, id)?;
            Ok::<_, WriteError>(id)
        })
        .await?;
    Ok(json(StatusCode::CREATED, &load_detail(&state, id).await?))
}

/// The mentions to move out of an event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    /// Evidence ids (`evidence[].id` of the detail).
    pub mention_ids: Vec<i64>,
}

/// Moves the given mentions into a new event (undoing a wrong merge); `201` with the new detail.
#[utoipa::path(post, path = "/api/v1/events/{id}/split", tag = "events", operation_id = "split_event", request_body = SplitBody,
    params(("id" = i64, Path, description = "event id")),
    responses((status = 201, body = EventDetailDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 404, body = super::error::Problem),
              (status = 422, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn split(
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
    let parsed: SplitBody = body::parse(&bytes).map_err(WriteError::from)?;
    if parsed.mention_ids.is_empty() || parsed.mention_ids.len() > 10_000 {
        return Err(
            WriteError::from(Invalid::body("mention_ids", "give 1 to 10000 mention ids")).into(),
        );
    }
    let actor = caller.name.clone();
    let new_id = state
        .db
        .blocking(move |conn| {
            Ok::<_, WriteError>(review::split(conn, id, &parsed.mention_ids, &actor)?)
        })
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &load_detail(&state, new_id).await?,
    ))
}

fn tag_path(path: &(String, String)) -> Result<(i64, String), Invalid> {
    let id = path_id("id", &path.0)?;
    if !tags::valid_name(&path.1) {
        return Err(Invalid::path(
            "tag",
            format!(
                "`{}` is not a tag name (1 to 64 of a-z, 0-9, `-`, `_`, `:`)",
                shown(&path.1)
            ),
        ));
    }
    Ok((id, path.1.clone()))
}

/// Tags an event (the tag is created on first use); idempotent.
#[utoipa::path(put, path = "/api/v1/events/{id}/tags/{tag}", tag = "tags", operation_id = "add_tag",
    params(("id" = i64, Path, description = "event id"),
           ("tag" = String, Path, description = "1-64 of a-z, 0-9, -, _, :")),
    responses((status = 200, body = EventTagsDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn add_tag(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let (id, tag) = tag_path(&path).map_err(WriteError::from)?;
    let actor = caller.name.clone();
    let tags = state
        .db
        .blocking(move |conn| {
            if !events_read::exists(conn, id)? {
                return Err(WriteError::NotFound(format!("no event {id}")));
            }
            Ok(tags::add(conn, id, &tag, &actor)?)
        })
        .await?;
    Ok(json(StatusCode::OK, &EventTagsDto { event_id: id, tags }))
}

/// Removes a tag from an event; `204` whether or not it had it.
#[utoipa::path(delete, path = "/api/v1/events/{id}/tags/{tag}", tag = "tags", operation_id = "remove_tag",
    params(("id" = i64, Path, description = "event id"), ("tag" = String, Path, description = "tag name")),
    responses((status = 204, description = "removed"), (status = 403, body = super::error::Problem),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn remove_tag(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    caller.require(KeyRole::Analyst)?;
    Params::parse(req.query_string(), &[]).map_err(WriteError::from)?;
    let (id, tag) = tag_path(&path).map_err(WriteError::from)?;
    let actor = caller.name.clone();
    state
        .db
        .blocking(move |conn| {
            if !events_read::exists(conn, id)? {
                return Err(WriteError::NotFound(format!("no event {id}")));
            }
            tags::remove(conn, id, &tag, &actor)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every tag with the number of events carrying it.
#[utoipa::path(get, path = "/api/v1/tags", tag = "tags", operation_id = "list_tags",
    responses((status = 200, body = TagPage)), security(("bearer" = [])))]
pub(crate) async fn list_tags(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let counts = state.db.read(events_read::tag_counts).await?;
    let items = counts
        .into_iter()
        .map(|(name, event_count)| TagCountDto { name, event_count })
        .collect();
    Ok(json(
        StatusCode::OK,
        &TagPage {
            items,
            next_cursor: None,
        },
    ))
}
