//! The REST API (`/api/v1`), health, metrics and the web page, on actix-web.
//!
//! Handlers are thin: they parse and validate the request ([`params`],
//! [`body`]), call the store, and map what it returns to response types
//! ([`dto`]). Errors are `application/problem+json` ([`error`]), every one of
//! them: the [`limits::guard`] middleware gives a problem body to any error
//! answer made without one (a `405` of the router, say). Keys and roles are
//! checked by the [`auth::Caller`] extractor. Only http(s) URLs go in or out
//! ([`links`]).
//!
//! What one client may take is bounded ([`ApiConfig`], [`limits`]): the time
//! for a request head, a body, an idle keep-alive connection and a closing
//! client; the connections a worker holds; the size of a URI, the headers and a
//! body; and the request rate per client address and per API key.
//!
//! Pages of events carry `Link` and `ETag` headers, every answer an
//! `X-Request-Id` ([`conventions`]). The server runs the webhook delivery
//! worker beside it unless [`ApiConfig::webhooks`] says not to.
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
mod changes;
mod companies;
pub mod conventions;
pub mod db;
mod documents;
pub mod dto;
pub mod error;
mod events;
mod exports;
pub mod item;
pub mod limits;
pub mod links;
mod meta;
pub mod metrics;
pub mod openapi;
pub mod params;
pub mod sources;
mod watchlists;
pub mod web;
pub mod wire;

use std::net::TcpListener;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::http::StatusCode;
use actix_web::{web as aw, App, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::store::directory::Directory;
use crate::store::{Store, StoreError};
use auth::KeyCache;
use db::Db;
use error::{Problem, ReadError};
use metrics::Metrics;

/// The largest request body accepted (2 MiB); larger ones get `413`.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// How the server runs. The defaults are those of `riskline serve`.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Worker threads; `None`: one per CPU core.
    pub workers: Option<usize>,
    /// Whether SQLite reads run on the worker threads (see [`db`]); on by default.
    pub inline_sqlite_reads: bool,
    /// How long shutdown waits for requests in flight.
    pub shutdown_timeout: Duration,
    /// How long a client may take to send a request head (the request line and
    /// headers); then it gets `408` and the connection is closed. Default 5 s.
    pub request_timeout: Duration,
    /// How long a client may take to send a request body; then it gets `408`
    /// (problem+json) and the connection is closed. Default 20 s.
    pub body_timeout: Duration,
    /// How long an idle keep-alive connection is kept; zero turns keep-alive
    /// off. Default 5 s.
    pub keep_alive: Duration,
    /// How long a closing connection waits for the client to acknowledge; zero
    /// drops it at once. Default 1 s.
    pub disconnect_timeout: Duration,
    /// Connections each worker holds at most; further clients wait in the
    /// listen queue until one closes. Default 256.
    pub max_connections: usize,
    /// Requests per client address; `None` for no limit. Default 200/s, burst 400.
    pub rate_limit_per_ip: Option<limits::Rate>,
    /// Requests per API key; `None` for no limit. Default 100/s, burst 200.
    pub rate_limit_per_key: Option<limits::Rate>,
    /// The webhook delivery worker run beside the server; `None` for none
    /// (another process delivers: `riskline deliver`). Its `allow_private`
    /// also decides which subscription URLs the API accepts.
    pub webhooks: Option<crate::webhooks::Settings>,
}

/// The default of [`ApiConfig::rate_limit_per_ip`], in requests per second.
pub const DEFAULT_RATE_PER_IP: f64 = 200.0;
/// The default of [`ApiConfig::rate_limit_per_key`], in requests per second.
pub const DEFAULT_RATE_PER_KEY: f64 = 100.0;

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            workers: None,
            inline_sqlite_reads: true,
            shutdown_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(20),
            keep_alive: Duration::from_secs(5),
            disconnect_timeout: Duration::from_secs(1),
            max_connections: 256,
            rate_limit_per_ip: Some(limits::Rate::new(DEFAULT_RATE_PER_IP, None)),
            rate_limit_per_key: Some(limits::Rate::new(DEFAULT_RATE_PER_KEY, None)),
            webhooks: Some(crate::webhooks::Settings::default()),
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    /// The database as handlers reach it.
    pub db: Db,
    /// Key look-ups of the last few seconds, shared by every worker.
    pub keys: KeyCache,
    /// The companies in memory, for resolving tickers and former tickers.
    pub directory: Directory,
    /// Request counts and latencies for `/metrics`.
    pub metrics: Metrics,
    /// Rate limits and the body timeout.
    pub limits: limits::Limits,
    /// Event and document counts for `/metrics`, with when they were read.
    totals: Mutex<Option<(Instant, (i64, i64))>>,
    /// Whether webhook subscriptions may point at loopback and private addresses.
    pub webhooks_allow_private: bool,
    /// Stops the webhook worker when the server's state goes.
    _webhooks: Option<WorkerGuard>,
}

/// Stops a webhook worker thread when dropped (with the last copy of the
/// server's state, once every worker of the server has stopped).
#[derive(Debug)]
struct WorkerGuard(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for WorkerGuard {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl AppState {
    /// Loads what the state keeps in memory (the ticker directory).
    pub fn new(store: Store, config: &ApiConfig) -> Result<AppState, StoreError> {
        item::install();
        let directory = Directory::load(&mut *store.conn()?)?;
        let webhooks = config.webhooks.clone().map(|settings| {
            let (stop, _thread) = crate::webhooks::Worker::new(store.clone(), settings).spawn();
            WorkerGuard(stop)
        });
        Ok(AppState {
            webhooks_allow_private: config.webhooks.as_ref().is_some_and(|w| w.allow_private),
            _webhooks: webhooks,
            db: Db::new(store, config.inline_sqlite_reads),
            keys: KeyCache::default(),
            directory,
            metrics: Metrics::default(),
            limits: limits::Limits::new(config),
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
            .read(move |conn| crate::store::companies::find_by_ticker(conn, &wanted))
            .await?;
        match found {
            Some(row) => {
                self.directory
                    .remember(&ticker, row.id, &row.fields.ticker, &row.fields.name);
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
            .configure(sources::configure)
            .configure(watchlists::configure)
            .configure(changes::configure)
            .configure(meta::configure_api),
    )
    .configure(meta::configure_root)
    .configure(exports::configure_root)
    .configure(web::configure);
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    Problem::new(
        StatusCode::NOT_FOUND,
        format!("no route {} {}", req.method(), error::shown(req.path())),
    )
    .response()
}

/// Starts the server on `listener` with `store`; the returned [`Server`] runs
/// when awaited and stops on SIGINT/SIGTERM, waiting for requests in flight.
///
/// This is what `HttpServer::listen` does, with one layer more: every accepted
/// stream is wrapped in a [`wire::Guarded`], so that the errors the HTTP layer
/// answers by itself get problem+json bodies too.
pub fn run(store: Store, listener: TcpListener, config: ApiConfig) -> anyhow::Result<Server> {
    use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};

    let state = aw::Data::new(AppState::new(store, &config)?);
    let addr = listener.local_addr()?;
    let builder = actix_server::Server::build();
    let shutdown = builder.graceful_shutdown_signal();
    let mut builder = builder
        .shutdown_timeout(config.shutdown_timeout.as_secs())
        .max_concurrent_connections(config.max_connections.max(1));
    if let Some(workers) = config.workers {
        builder = builder.workers(workers.max(1));
    }
    let builder = builder.listen("riskline", listener, move || {
        let state = state.clone();
        let app = App::new()
            .app_data(state)
            .wrap(actix_web::middleware::from_fn(limits::guard))
            .wrap(actix_web::middleware::from_fn(metrics::record))
            .configure(configure)
            .default_service(aw::to(not_found));
        let app = app
            .into_factory()
            .map_err(|err: actix_web::Error| err.error_response());
        let shutdown = shutdown.clone();
        let http = actix_http::HttpService::build()
            .graceful_shutdown_signal(move || {
                let signal = shutdown.clone();
                async move { signal.notified().await }
            })
            .keep_alive(config.keep_alive)
            .client_request_timeout(config.request_timeout)
            .client_disconnect_timeout(config.disconnect_timeout)
            .h1_allow_half_closed(true)
            .local_addr(addr)
            .on_connect_ext(|stream: &wire::Guarded, data| {
                data.insert(stream.deadline());
            })
            .finish(map_config(app, |_| actix_web::dev::AppConfig::default()));
        let linger = config.disconnect_timeout;
        fn_service(move |stream: actix_web::rt::net::TcpStream| async move {
            let peer = stream.peer_addr().ok();
            Ok::<_, actix_http::error::DispatchError>((
                wire::Guarded::new(stream, linger),
                actix_http::Protocol::Http1,
                peer,
            ))
        })
        .and_then(http)
    })?;
    Ok(builder.run())
}
