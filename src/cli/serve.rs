//! `riskline serve`: the REST API and the web page.
//!
//! On SQLite (the default) pending migrations are applied at start; a
//! PostgreSQL database shared by several servers is migrated only by
//! `riskline migrate`, and `serve` refuses to start on one that lacks
//! migrations. `--demo` fills an empty database with the built-in registry and
//! the demo corpus, in the background, and prints a fresh analyst key.
//!
//! The limits on what one client may take (timeouts, connections per worker,
//! request rates per address and per key) are options here, each also read
//! from a `RISKLINE_*` environment variable; their defaults are those of
//! [`ApiConfig::default`].

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use crate::api::limits::{parse_rate, Rate};
use crate::api::{self, ApiConfig};
use crate::store::models::KeyRole;
use crate::store::{companies, keys, Store};

/// The name of the key `--demo` mints at every start (replacing the last one).
pub const DEMO_KEY_NAME: &str = "demo-analyst";

/// Arguments of `riskline serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    /// Address to listen on; port 0 picks a free port (printed as `listening on http://ADDR`).
    #[arg(long, env = "RISKLINE_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Load the built-in registry and the demo corpus into an empty database, and
    /// print a ready analyst key (`analyst key: KEY`).
    #[arg(long)]
    demo: bool,
    /// Worker threads (default: one per CPU core).
    #[arg(long)]
    workers: Option<usize>,
    /// Where the demo corpus is (default: `fixtures/demo` here or beside the sources).
    #[arg(long, hide = true)]
    demo_dir: Option<PathBuf>,
    /// Run SQLite reads on the blocking pool instead of the worker threads (for comparison).
    #[arg(long, hide = true)]
    pooled_reads: bool,
    /// Seconds a client may take to send a request's line and headers; then `408` and
    /// the connection is closed.
    #[arg(long, env = "RISKLINE_REQUEST_TIMEOUT", default_value = "5", value_name = "SECONDS", value_parser = parse_seconds)]
    request_timeout: Duration,
    /// Seconds a client may take to send a request body; then `408` (problem+json) and
    /// the connection is closed.
    #[arg(long, env = "RISKLINE_BODY_TIMEOUT", default_value = "20", value_name = "SECONDS", value_parser = parse_seconds)]
    body_timeout: Duration,
    /// Seconds an idle keep-alive connection is kept open (0: no keep-alive).
    #[arg(long, env = "RISKLINE_KEEP_ALIVE", default_value = "5", value_name = "SECONDS", value_parser = parse_seconds)]
    keep_alive: Duration,
    /// Seconds a closing connection waits for the client to acknowledge (0: drop at once).
    #[arg(long, env = "RISKLINE_DISCONNECT_TIMEOUT", default_value = "1", value_name = "SECONDS", value_parser = parse_seconds)]
    disconnect_timeout: Duration,
    /// Connections each worker holds at most; more clients wait until one closes.
    #[arg(long, env = "RISKLINE_MAX_CONNECTIONS", default_value_t = 256, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Requests per second from one client address (IPv6: one /64), answered `429` with
    /// `Retry-After` beyond; `0` or `off` for no limit.
    #[arg(long, env = "RISKLINE_RATE_LIMIT_PER_IP", default_value = "200", value_name = "RATE", value_parser = rate_option)]
    rate_limit_per_ip: RateOption,
    /// Requests one address may make at once after a quiet spell (default: twice the rate).
    #[arg(long, env = "RISKLINE_RATE_LIMIT_PER_IP_BURST", value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit_per_ip_burst: Option<u32>,
    /// Requests per second with one API key, answered `429` with `Retry-After` beyond;
    /// `0` or `off` for no limit.
    #[arg(long, env = "RISKLINE_RATE_LIMIT_PER_KEY", default_value = "100", value_name = "RATE", value_parser = rate_option)]
    rate_limit_per_key: RateOption,
    /// Requests one key may make at once after a quiet spell (default: twice the rate).
    #[arg(long, env = "RISKLINE_RATE_LIMIT_PER_KEY_BURST", value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit_per_key_burst: Option<u32>,
    /// Poll the live sources (`riskline sources`) inside the server, as `riskline
    /// watch` does; several servers on one PostgreSQL share the work.
    #[arg(long)]
    watch: bool,
    #[command(flatten)]
    watch_options: super::watch::WatchOptions,
    /// Do not send webhook deliveries from this server (run `riskline deliver` instead).
    #[arg(long, env = "RISKLINE_NO_WEBHOOKS")]
    no_webhooks: bool,
    #[command(flatten)]
    webhooks: super::deliver::WebhookOptions,
}

/// A rate option: requests per second, or `None` for no limit.
#[derive(Debug, Clone, Copy)]
struct RateOption(Option<f64>);

fn rate_option(text: &str) -> Result<RateOption, String> {
    parse_rate(text).map(RateOption)
}

/// Parses a number of seconds (`5`, `0.5`), zero included.
pub(crate) fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && (0.0..=86_400.0).contains(&secs) => {
            Ok(Duration::from_secs_f64(secs))
        }
        _ => Err(format!(
            "`{}` is not a number of seconds between 0 and 86400",
            crate::api::error::shown(text)
        )),
    }
}

/// Runs `riskline serve` until SIGINT or SIGTERM.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_and_migrate(&args.database.url())?;
    if args.demo {
        let mut conn = store.conn()?;
        if let Some(summary) =
            companies::ensure_builtin(&mut conn).context("loading the registry")?
        {
            tracing::info!(
                companies = summary.companies(),
                "loaded the built-in registry"
            );
        }
    }
    let listener =
        TcpListener::bind(&args.bind).with_context(|| format!("cannot listen on {}", args.bind))?;
    let addr = listener.local_addr()?;
    let config = ApiConfig {
        workers: args.workers,
        inline_sqlite_reads: !args.pooled_reads,
        request_timeout: args.request_timeout,
        body_timeout: args.body_timeout,
        keep_alive: args.keep_alive,
        disconnect_timeout: args.disconnect_timeout,
        max_connections: args.max_connections as usize,
        rate_limit_per_ip: args
            .rate_limit_per_ip
            .0
            .map(|rate| Rate::new(rate, args.rate_limit_per_ip_burst)),
        rate_limit_per_key: args
            .rate_limit_per_key
            .0
            .map(|rate| Rate::new(rate, args.rate_limit_per_key_burst)),
        webhooks: (!args.no_webhooks).then(|| args.webhooks.settings()),
        ..ApiConfig::default()
    };
    let demo_dir = args
        .demo
        .then(|| args.demo_dir.clone().unwrap_or_else(default_demo_dir));
    let watch = args
        .watch
        .then(|| args.watch_options.config())
        .transpose()?;
    let poller_store = store.clone();
    actix_web::rt::System::new().block_on(async move {
        let server = api::run(store.clone(), listener, config)?;
        let _poller = watch.map(|config| Poller::start(poller_store, config));
        // A reader that went away (`serve | head -1`) does not stop the server.
        let mut out = std::io::stdout();
        writeln!(out, "listening on http://{addr}").ok();
        out.flush().ok();
        if let Some(dir) = demo_dir {
            // In its own thread: the server answers (and stops on a signal) meanwhile.
            std::thread::spawn(move || match prepare_demo(&store, &dir) {
                Ok(key) => {
                    let mut out = std::io::stdout();
                    writeln!(out, "analyst key: {key}").ok();
                    out.flush().ok();
                }
                Err(err) => eprintln!("error: demo data: {err:#}"),
            });
        }
        server.await.context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The watcher of `serve --watch`, in a thread of its own; stopped and joined
/// when dropped (after the server stops).
struct Poller {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Poller {
    fn start(store: Store, config: crate::watch::WatchConfig) -> Poller {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            crate::watch::Watcher::new(store, config).run(&flag);
        });
        Poller {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::warn!("the source poller ended with a panic");
            }
        }
    }
}

fn default_demo_dir() -> PathBuf {
    let here = Path::new("fixtures/demo");
    if here.is_dir() {
        return here.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo")
}

/// Ingests the demo corpus into a database without events, then mints the demo key.
fn prepare_demo(store: &Store, dir: &Path) -> anyhow::Result<String> {
    let mut conn = store.conn()?;
    let (events, _) = crate::store::events_read::totals(&mut conn)?;
    if events == 0 {
        let ingested = ingest_demo_corpus(store, dir)?;
        tracing::info!(documents = ingested, dir = %dir.display(), "ingested the demo corpus");
    }
    let (secret, _) = keys::rotate(&mut conn, DEMO_KEY_NAME, KeyRole::Analyst, "demo")?;
    Ok(secret)
}

/// Ingests the demo corpus with the same code as `riskline ingest`.
fn ingest_demo_corpus(store: &Store, dir: &Path) -> anyhow::Result<usize> {
    let opts = crate::ingest::IngestOptions::default();
    let summary = crate::ingest::ingest_paths(store, &[dir.to_path_buf()], &opts, |_| {})?;
    for failure in &summary.failures {
        tracing::warn!(file = %failure.name, reason = %failure.reason, "a demo document was not ingested");
    }
    Ok(summary.documents_new)
}
