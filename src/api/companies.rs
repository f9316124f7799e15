//! `/companies`: search and listing, one company with its risk summary, its
//! timeline (JSON, CSV, iCalendar), and adding a company (admin).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::dto::{CompanyDto, CompanyHit, CompanyPage, EventPage, RiskDto};
use super::error::{shown, unknown_value, Invalid, ReadError, WriteError};
use super::params::{self, encode_cursor, Params, FILTER_PARAMS};
use super::{body, conventions, exports, json, links, AppState, BODY_LIMIT};
use crate::store::events_read::{EventView, Page};
use crate::store::models::{AliasKind, KeyRole};
use crate::store::review::{self, NewCompanyInput};
use crate::store::{companies, events_read, items, StoreError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/companies")
            .name("/api/v1/companies")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/companies/{ticker}/timeline.ics")
            .name("/api/v1/companies/{ticker}/timeline.ics")
            .route(web::get().to(calendar)),
    )
    .service(
        web::resource("/companies/{ticker}/timeline")
            .name("/api/v1/companies/{ticker}/timeline")
            .route(web::get().to(timeline)),
    )
    .service(
        web::resource("/companies/{ticker}")
            .name("/api/v1/companies/{ticker}")
            .route(web::get().to(show)),
    );
}

/// Search companies by ticker, name or alias; without `q`, list them by ticker.
#[utoipa::path(get, path = "/api/v1/companies", tag = "companies", operation_id = "list_companies",
    params(("q" = Option<String>, Query, description = "ticker, name or alias (any case, part of a word)"),
           ("limit" = Option<usize>, Query, description = "1..=200, default 50"),
           ("cursor" = Option<String>, Query, description = "next_cursor of the previous page (listing only)")),
    responses((status = 200, body = CompanyPage), (status = 400, body = super::error::Problem),
              (status = 401, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ReadError> {
    let params = Params::parse(req.query_string(), &["q", "limit", "cursor"])?;
    let limit = params.limit(params::DEFAULT_LIMIT, params::MAX_LIMIT)?;
    if let Some(q) = params.get("q").map(str::to_string) {
        if q.chars().count() > 200 {
            return Err(Invalid::param("q", "longer than 200 characters").into());
        }
        let hits = state
            .db
            .read(move |conn| companies::search(conn, &q, limit))
            .await?;
        let items = hits
            .into_iter()
            .map(|hit| CompanyHit {
                id: hit.company.id,
                ticker: hit.company.fields.ticker,
                name: hit.company.fields.name,
                exchange: hit.company.fields.exchange,
                matched: hit.matched,
            })
            .collect();
        return Ok(json(
            StatusCode::OK,
            &CompanyPage {
                items,
                next_cursor: None,
            },
        ));
    }
    let after = match params.get("cursor") {
        None => None,
        Some(c) => Some(
            hex::decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.strip_prefix("t:").map(str::to_string))
                .ok_or_else(|| Invalid::param("cursor", "not a cursor returned by this API"))?,
        ),
    };
    let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
    let mut rows = state
        .db
        .read(move |conn| events_read::companies_page(conn, after.as_deref(), fetch))
        .await?;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last()
            .map(|r| hex::encode(format!("t:{}", r.fields.ticker)))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|row| CompanyHit {
            id: row.id,
            matched: row.fields.ticker.clone(),
            ticker: row.fields.ticker,
            name: row.fields.name,
            exchange: row.fields.exchange,
        })
        .collect();
    Ok(json(StatusCode::OK, &CompanyPage { items, next_cursor }))
}

/// One company with aliases and risk summary; any case, former tickers accepted.
#[utoipa::path(get, path = "/api/v1/companies/{ticker}", tag = "companies", operation_id = "show_company",
    params(("ticker" = String, Path, description = "ticker, any case; former tickers accepted"),
           ("as_of" = Option<String>, Query, description = "YYYY-MM-DD: the risk summary as it stood that day (default today, UTC)")),
    responses((status = 200, body = CompanyDto),
              (status = 404, description = "unknown ticker, with `suggestions`", body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn show(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    let params = Params::parse(req.query_string(), &["as_of"])?;
    let company_id = state.company_id(&path).await?;
    let today = params
        .date("as_of")?
        .unwrap_or_else(|| Utc::now().date_naive());
    let found = state
        .db
        .read(move |conn| {
            let Some(row) = events_read::company(conn, company_id)? else {
                return Ok(None);
            };
            let aliases = companies::aliases(conn, company_id)?;
            let history = crate::store::history::of_company(conn, company_id)?;
            let risk = events_read::risk_summary(conn, company_id, today)?;
            Ok::<_, StoreError>(Some((row, aliases, history, risk)))
        })
        .await?;
    let Some((row, aliases, history, risk)) = found else {
        return Err(ReadError::NotFound(format!("no company {}", path.as_str())));
    };
    Ok(json(
        StatusCode::OK,
        &CompanyDto::with_history(row, aliases, &history, RiskDto::new(risk, today)),
    ))
}

/// A company's events, newest first (undated last), with keyset pagination.
#[utoipa::path(get, path = "/api/v1/companies/{ticker}/timeline", tag = "companies", operation_id = "company_timeline",
    params(("ticker" = String, Path, description = "ticker, any case; former tickers accepted"),
           ("from" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"),
           ("to" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"),
           ("kind" = Option<String>, Query, description = "lawsuit, regulatory_action, service_halt; comma-separated"),
           ("action" = Option<String>, Query, description = "comma-separated actions"),
           ("tag" = Option<String>, Query, description = "events carrying this tag"),
           ("review" = Option<String>, Query, description = "unreviewed, confirmed, rejected; comma-separated"),
           ("min_confidence" = Option<f64>, Query, description = "0..=1"),
           ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
           ("limit" = Option<usize>, Query, description = "1..=200 (CSV: 1..=10000, default 1000)"),
           ("format" = Option<String>, Query, description = "json (default) or csv"),
           ("bom" = Option<bool>, Query, description = "CSV only: start with a UTF-8 byte order mark, for spreadsheets")),
    responses((status = 200, description = "a JSON page, or with `format=csv` CSV with the next cursor in `X-Next-Cursor`", content((EventPage = "application/json"), (String = "text/csv"))),
              (status = 400, body = super::error::Problem), (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn timeline(
    state: web::Data<AppState>,
    _caller: Caller,
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
    let company_id = state.company_id(&path).await?;
    let page = state
        .db
        .read(move |conn| {
            if !csv {
                // The stored list items answer most pages in one range scan.
                if let Some(page) = items::timeline_page(conn, company_id, &filter, cursor, limit)?
                {
                    return Ok(TimelineRead::Items(page));
                }
            }
            events_read::timeline(conn, company_id, &filter, cursor, limit).map(TimelineRead::Views)
        })
        .await?;
    Ok(match page {
        TimelineRead::Items(items) => item_page_response(&req, items),
        TimelineRead::Views(page) if csv => exports::csv_response(page.items, page.next, bom),
        TimelineRead::Views(page) => {
            event_page_response(&req, EventPage::new(page.items, page.next))
        }
    })
}

/// A timeline page as the stored JSON items, or as views read from the tables.
enum TimelineRead {
    Items(Page<String>),
    Views(Page<EventView>),
}

/// An [`EventPage`] with its `Link` and `ETag` ([`conventions::page`]).
pub(crate) fn event_page_response(req: &HttpRequest, page: EventPage) -> HttpResponse {
    match serde_json::to_vec(&page) {
        Ok(body) => conventions::page(req, "application/json", body, page.next_cursor.as_deref()),
        Err(err) => super::error::unexpected_problem(&anyhow::Error::new(err)).response(),
    }
}

/// A page of stored JSON list items as the body of an [`EventPage`].
fn item_page_response(req: &HttpRequest, page: Page<String>) -> HttpResponse {
    let size: usize = page.items.iter().map(|i| i.len() + 1).sum();
    let mut body = String::with_capacity(size + 64);
    body.push_str("{\"items\":[");
    for (i, item) in page.items.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&links::clean_stored_item(item));
    }
    body.push_str("],\"next_cursor\":");
    let next = page.next.as_ref().map(encode_cursor);
    match &next {
        Some(cursor) => body.push_str(&serde_json::Value::String(cursor.clone()).to_string()),
        None => body.push_str("null"),
    }
    body.push('}');
    conventions::page(req, "application/json", body.into_bytes(), next.as_deref())
}

/// Events shown in a calendar at most.
const CALENDAR_LIMIT: usize = 5_000;

/// A company's dated events (not rejected) as an iCalendar file, one all-day event each.
#[utoipa::path(get, path = "/api/v1/companies/{ticker}/timeline.ics", tag = "exports", operation_id = "company_calendar",
    params(("ticker" = String, Path, description = "ticker, any case")),
    responses((status = 200, content_type = "text/calendar", body = String),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn calendar(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let company_id = state.company_id(&path).await?;
    let events = state
        .db
        .blocking(move |conn| events_read::dated_for_company(conn, company_id, CALENDAR_LIMIT))
        .await?;
    let ticker = crate::registry::normalize_ticker(&path).unwrap_or_default();
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{ticker}-timeline.ics\""),
        ))
        .body(exports::icalendar(&ticker, &events)))
}

/// An alias of a company to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AliasBody {
    pub alias: String,
    /// legal_name | short_name | brand | subsidiary | former_name | former_ticker
    pub kind: String,
}

/// A company to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyBody {
    pub ticker: String,
    pub name: String,
    #[serde(default)]
    pub cik: Option<i64>,
    #[serde(default)]
    pub exchange: Option<String>,
    #[serde(default)]
    pub aliases: Vec<AliasBody>,
}

fn company_input(body: CompanyBody) -> Result<NewCompanyInput, Invalid> {
    let ticker = crate::registry::normalize_ticker(&body.ticker).ok_or_else(|| {
        Invalid::body(
            "ticker",
            format!(
                "`{}` is not a ticker (letters, digits, `.` or `-`, up to 12)",
                shown(&body.ticker)
            ),
        )
    })?;
    let name = body.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Invalid::body("name", "must have 1 to 200 characters"));
    }
    if body.cik.is_some_and(|c| c <= 0) {
        return Err(Invalid::body("cik", "must be a positive number"));
    }
    let exchange = body
        .exchange
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty());
    if exchange.as_ref().is_some_and(|e| e.chars().count() > 32) {
        return Err(Invalid::body("exchange", "longer than 32 characters"));
    }
    let mut aliases = Vec::with_capacity(body.aliases.len());
    for (i, alias) in body.aliases.into_iter().enumerate() {
        let kind = alias
            .kind
            .parse::<AliasKind>()
            .map_err(|e| Invalid::body(&format!("aliases[{i}].kind"), unknown_value(&e)))?;
        let text = alias.alias.trim().to_string();
        if text.is_empty() || text.chars().count() > 200 {
            return Err(Invalid::body(
                &format!("aliases[{i}].alias"),
                "must have 1 to 200 characters",
            ));
        }
        aliases.push((text, kind));
    }
    Ok(NewCompanyInput {
        ticker,
        name,
        cik: body.cik,
        exchange,
        aliases,
    })
}

/// Adds a company (admin); `409` when the ticker exists.
#[utoipa::path(post, path = "/api/v1/companies", tag = "companies", operation_id = "create_company", request_body = CompanyBody,
    responses((status = 201, body = CompanyDto), (status = 400, body = super::error::Problem),
              (status = 403, body = super::error::Problem), (status = 409, body = super::error::Problem)),
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
    let input = company_input(body::parse::<CompanyBody>(&bytes).map_err(WriteError::from)?)
        .map_err(WriteError::from)?;
    let actor = caller.name.clone();
    let today = Utc::now().date_naive();
    let state_for_reload = state.clone();
    let (row, aliases, risk) = state
        .db
        .blocking(move |conn| {
            let id = review::create_company(conn, &input, &actor)?;
            state_for_reload.directory.reload(conn)?;
            let row = events_read::company(conn, id)?
                .ok_or_else(|| WriteError::NotFound(format!("no company {id}")))?;
            let aliases = companies::aliases(conn, id)?;
            let risk = events_read::risk_summary(conn, id, today)?;
            Ok::<_, WriteError>((row, aliases, risk))
        })
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &CompanyDto::new(row, aliases, RiskDto::new(risk, today)),
    ))
}
