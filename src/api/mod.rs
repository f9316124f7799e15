//! The REST API (`/api/v1`), health, metrics and the web page, on actix-web.
//!
//! Handlers are thin: they parse and validate the request ([`params`],
//! [`body`]), call the store, and map what it returns to response types
//! ([`dto`]). Errors are `application/problem+json` ([`error`]). Keys and roles
//! are checked by the [`auth::Caller`] extractor.
//!
//! [`run`] starts the server on a listener that the caller bound, so tests and
//! `riskline serve --bind 127.0.0.1:0` learn the real port before serving:
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let store = riskline::store::Store::open_and_migrate("riskline.db")?;
//! let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! println!("listening on http://{}", listener.local_addr()?);
//! riskline::api::run(store, listener, riskline::api::ApiConfig::default())?.await?;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod body;
mod companies;
pub mod db;
mod documents;
pub mod dto;
pub mod error;
mod events;
mod exports;
mod meta;
pub mod metrics;
pub mod openapi;
pub mod params;
pub mod web;

use std::net::TcpListener;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::http::StatusCode;
use actix_web::{web as aw, App, HttpRequest, HttpResponse, HttpServer};
use serde::Serialize;

use crate::store::{Store, StoreError};
use auth::KeyCache;
use db::{Db, Directory};
use error::{Problem, ReadError};
use metrics::Metrics;

/// The largest request body accepted (2 MiB); larger ones get `413`.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Worker threads; `None`: one per CPU core.
    pub workers: Option<usize>,
    /// Whether SQLite reads run on the worker threads (see [`db`]); on by default.
    pub inline_sqlite_reads: bool,
    /// How long shutdown waits for requests in flight.
    pub shutdown_timeout: Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            workers: None,
            inline_sqlite_reads: true,
            shutdown_timeout: Duration::from_secs(10),
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    pub db: Db,
    pub keys: KeyCache,
    pub directory: Directory,
    pub metrics: Metrics,
    /// Event and document counts for `/metrics`, with when they were read.
    totals: Mutex<Option<(Instant, (i64, i64))>>,
}

impl AppState {
    /// Loads what the state keeps in memory (the ticker directory).
    pub fn new(store: Store, config: &ApiConfig) -> Result<AppState, StoreError> {
        let directory = Directory::load(&mut *store.conn()?)?;
        Ok(AppState {
            db: Db::new(store, config.inline_sqlite_reads),
            keys: KeyCache::default(),
            directory,
            metrics: Metrics::default(),
            totals: Mutex::new(None),
        })
    }

    /// Resolves a ticker (any case, former tickers too) to a company id, or an
    /// error with close matches.
    pub async fn company_id(&self, raw: &str) -> Result<i64, ReadError> {
        let unknown = |directory: &Directory| ReadError::UnknownTicker {
            ticker: raw.to_string(),
            suggestions: directory.suggestions(raw, 5),
        };
        let Some(ticker) = crate::registry::normalize_ticker(raw) else {
            return Err(unknown(&self.directory));
        };
        if let Some(id) = self.directory.lookup(&ticker) {
            return Ok(id);
        }
        let wanted = ticker.clone();
        let found = self
            .db
            .read(move |conn| {
                crate::store::companies::find_by_ticker(conn, &wanted).map_err(StoreError::from)
            })
            .await?;
        match found {
            Some(row) => {
                self.directory
                    .remember(&ticker, row.id, &row.ticker, &row.name);
                Ok(row.id)
            }
            None => Err(unknown(&self.directory)),
        }
    }
}

/// A JSON response of `value`, serialized once into the body.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> HttpResponse {
    match serde_json::to_vec(value) {
        Ok(body) => HttpResponse::build(status)
            .content_type("application/json")
            .body(body),
        Err(err) => error::unexpected_problem(&anyhow::Error::new(err)).response(),
    }
}

/// Registers every route of the application on `cfg`.
pub fn configure(cfg: &mut aw::ServiceConfig) {
    cfg.service(
        aw::scope("/api/v1")
            .configure(companies::configure)
            .configure(events::configure)
            .configure(documents::configure)
            .configure(meta::configure_api),
    )
    .configure(meta::configure_root)
    .configure(web::configure);
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    Problem::new(
        StatusCode::NOT_FOUND,
        format!("no route {} {}", req.method(), req.path()),
    )
    .response()
}

/// Starts the server on `listener` with `store`; the returned [`Server`] runs
/// when awaited and stops on SIGINT/SIGTERM, waiting for requests in flight.
pub fn run(store: Store, listener: TcpListener, config: ApiConfig) -> anyhow::Result<Server> {
    let state = aw::Data::new(AppState::new(store, &config)?);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(actix_web::middleware::from_fn(metrics::record))
            .configure(configure)
            .default_service(aw::to(not_found))
    })
    .shutdown_timeout(config.shutdown_timeout.as_secs());
    if let Some(workers) = config.workers {
        server = server.workers(workers.max(1));
    }
    Ok(server.listen(listener)?.run())
}
