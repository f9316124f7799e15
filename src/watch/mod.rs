//! Live sources: `riskline watch` (and `serve --watch`) polls RSS/Atom feeds and
//! SEC EDGAR, and hands every new item to the normal ingest path.
//!
//! ```text
//!  sources table ──claim (lease)──▶ Watcher ──GET (http::Client)──▶ feed / EDGAR
//!                                      │
//!                       new items ─────┴──▶ ingest::ingest_raw ──▶ documents, events
//!                                      │
//!  sources, source_items ◀──finish─────┘   (validators, counters, errors, next due)
//! ```
//!
//! - Each poll holds a lease on its source ([`crate::store::sources::claim_due`]),
//!   so several processes on one PostgreSQL poll each source once; a crashed
//!   poller's lease lapses after [`WatchConfig::lease_secs`].
//! - Every item is remembered by key once it is handled (`source_items`); the
//!   document is written first, so a poller killed in between finds the document
//!   by its content hash on the next run: an item is never stored twice and never
//!   lost. Validators (`ETag`, `Last-Modified`) are kept only after a complete
//!   poll, so a feed cut short is read again in full.
//! - A failed poll is retried after an exponential backoff with jitter, or after
//!   the server's `Retry-After`, whichever is later ([`next_delay`]).
//! - The manners on the wire (timeouts, size cap, redirects, per-host rates, the
//!   SEC User-Agent) are [`http`]'s.
//!
//! ```no_run
//! use riskline::watch::{WatchConfig, Watcher};
//! let store = riskline::store::Store::open_and_migrate("riskline.db")?;
//! let watcher = Watcher::new(store, WatchConfig::default());
//! let pass = watcher.run_once()?;
//! for source in &pass.sources {
//!     println!("{}: {} new", source.name, source.record.items_new);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod edgar;
pub mod http;
mod poll;
pub mod spec;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::NaiveDateTime;
use rand::Rng;
use serde::Serialize;

use crate::ingest::Failure;
use crate::store::sources::{self, PollRecord, SourceRow};
use crate::store::{now, Store, StoreError};
use edgar::EdgarUrls;
use http::{Client, HttpConfig};

/// The longest wait between two polls of a failing source: six hours.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3_600);

/// How the watcher runs.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// The HTTP client's rules.
    pub http: HttpConfig,
    /// Where EDGAR is.
    pub edgar: EdgarUrls,
    /// Seconds a claimed source stays leased without news from its poller.
    pub lease_secs: i64,
    /// Filings taken from one index at most per poll, newest first (a first poll
    /// of a company does not download its whole history).
    pub max_filings_per_poll: usize,
    /// Sources claimed at once.
    pub claim_batch: i64,
    /// Who this process is, in leases: host, process id and a random part.
    pub owner: String,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            http: HttpConfig::default(),
            edgar: EdgarUrls::default(),
            lease_secs: 600,
            max_filings_per_poll: 20,
            claim_batch: 4,
            owner: default_owner(),
        }
    }
}

/// `host:pid:random`, unique per process.
pub fn default_owner() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string());
    let tag: u32 = rand::thread_rng().gen();
    format!("{host}:{}:{tag:08x}", std::process::id())
}

/// Why the watcher stopped.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// Occurs when the database fails outside a poll (claiming sources).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one poll of one source did.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    /// The source's id.
    pub id: i64,
    /// The source's name.
    pub name: String,
    /// Counters and outcome, as written to the source.
    #[serde(skip)]
    pub record: PollRecord,
    /// Items stored as new documents.
    pub items_new: i64,
    /// Items found stored before.
    pub items_known: i64,
    /// Items that could not be stored, each with its reason.
    pub failures: Vec<Failure>,
    /// Why the poll failed, if it did.
    pub error: Option<String>,
    /// Whether the answer was `304 Not Modified`.
    pub not_modified: bool,
}

/// What a pass over the due sources did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassSummary {
    /// One report per source polled, in the order polled.
    pub sources: Vec<SourceReport>,
}

/// The poller: a store, an HTTP client, and the rules.
#[derive(Debug)]
pub struct Watcher {
    store: Store,
    client: Client,
    config: WatchConfig,
}

impl Watcher {
    /// A watcher over `store`.
    pub fn new(store: Store, config: WatchConfig) -> Watcher {
        let mut http = config.http.clone();
        // The configured EDGAR hosts get SEC's rules, wherever they are.
        for base in [&config.edgar.data, &config.edgar.www] {
            if let Ok(url) = url::Url::parse(base) {
                if let Some(host) = url.host_str() {
                    let key = match url.port() {
                        Some(port) => format!("{host}:{port}"),
                        None => host.to_string(),
                    };
                    http.sec_hosts.push(key);
                }
            }
        }
        Watcher {
            store,
            client: Client::new(http),
            config,
        }
    }

    /// Polls every enabled source once, due or not (sources another process
    /// holds a lease on excepted), and returns what each poll did.
    pub fn run_once(&self) -> Result<PassSummary, WatchError> {
        let mut summary = PassSummary::default();
        let far = now() + chrono::Duration::days(36_500);
        let claimed = self.claim(far, i64::from(u16::MAX))?;
        for source in claimed {
            // Each lease runs from the start of its own poll.
            let until = now() + chrono::Duration::seconds(self.config.lease_secs);
            let mut conn = self.store.conn()?;
            if !sources::renew_lease(&mut conn, source.id, &self.config.owner, until)? {
                continue;
            }
            drop(conn);
            summary.sources.push(self.poll(&source)?);
        }
        Ok(summary)
    }

    /// Polls sources as they fall due until `stop` is set; claims a few at a
    /// time, and sleeps in short steps in between. Database failures are logged
    /// and retried.
    pub fn run(&self, stop: &AtomicBool) {
        tracing::info!(owner = %self.config.owner, "watching sources");
        while !stop.load(Ordering::Relaxed) {
            let claimed = match self.claim(now(), self.config.claim_batch) {
                Ok(claimed) => claimed,
                Err(err) => {
                    tracing::warn!(error = %err, "cannot claim sources; trying again");
                    pause(stop, Duration::from_secs(5));
                    continue;
                }
            };
            if claimed.is_empty() {
                pause(stop, Duration::from_millis(500));
                continue;
            }
            let mut claimed = claimed.into_iter();
            for source in claimed.by_ref() {
                if let Err(err) = self.poll(&source) {
                    tracing::warn!(source = %source.fields.name, error = %err, "poll not recorded");
                }
                if stop.load(Ordering::Relaxed) {
                    break;
                }
            }
            // Leases of sources not polled before a stop are given back.
            for source in claimed {
                self.release(&source);
            }
        }
    }

    fn claim(&self, due_by: NaiveDateTime, limit: i64) -> Result<Vec<SourceRow>, StoreError> {
        let mut conn = self.store.conn()?;
        sources::claim_due(
            &mut conn,
            &self.config.owner,
            now(),
            due_by,
            self.config.lease_secs,
            limit,
        )
    }

    fn release(&self, source: &SourceRow) {
        let released = self
            .store
            .conn()
            .and_then(|mut conn| sources::release(&mut conn, source.id, &self.config.owner));
        if let Err(err) = released {
            tracing::warn!(source = %source.fields.name, error = %err, "cannot release a lease");
        }
    }

    /// Polls one claimed source and writes the outcome.
    fn poll(&self, source: &SourceRow) -> Result<SourceReport, StoreError> {
        let started = std::time::Instant::now();
        let mut run = poll::Poll::new(self, source);
        let result = run.run();
        let polled_at = now();
        let (record, failures) = run.finish(result, polled_at);
        let mut conn = self.store.conn()?;
        if !sources::finish(&mut conn, source.id, &self.config.owner, &record)? {
            tracing::warn!(source = %source.fields.name, "lease lost during the poll; outcome not recorded");
        }
        tracing::info!(
            source = %source.fields.name,
            new = record.items_new,
            known = record.items_known,
            failed = record.items_failed,
            not_modified = record.not_modified,
            error = record.error.as_deref().unwrap_or(""),
            ms = started.elapsed().as_millis() as u64,
            "polled"
        );
        Ok(SourceReport {
            id: source.id,
            name: source.fields.name.clone(),
            items_new: record.items_new,
            items_known: record.items_known,
            error: record.error.clone(),
            not_modified: record.not_modified,
            record,
            failures,
        })
    }
}

/// Sleeps up to `total`, waking early when `stop` is set.
fn pause(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(100);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(step);
        slept += step;
    }
}

/// How long a source waits before its next poll: its interval after a success;
/// after `failures` failures in a row, the interval doubled per failure (at most
/// [`MAX_BACKOFF`]), drawn at random between half of that and all of it but
/// never below the interval, and never before the server's `Retry-After`.
///
/// ```
/// use std::time::Duration;
/// use riskline::watch::next_delay;
/// assert_eq!(next_delay(60, 0, None, 0.3), Duration::from_secs(60));
/// let d = next_delay(60, 3, None, 0.0);
/// assert_eq!(d, Duration::from_secs(240)); // half of 60 * 2^3
/// assert_eq!(next_delay(60, 1, Some(Duration::from_secs(900)), 1.0), Duration::from_secs(900));
/// ```
pub fn next_delay(
    interval_secs: i64,
    failures: i64,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let interval = Duration::from_secs(u64::try_from(interval_secs.max(1)).unwrap_or(1));
    if failures <= 0 {
        return interval.max(retry_after.unwrap_or_default());
    }
    let doubling = u32::try_from(failures.min(20)).unwrap_or(20);
    let backoff = interval.saturating_mul(2u32.saturating_pow(doubling));
    let backoff = backoff.min(MAX_BACKOFF).max(interval);
    let share = 0.5 + 0.5 * jitter.clamp(0.0, 1.0);
    let jittered = backoff.mul_f64(share).max(interval);
    jittered.max(retry_after.unwrap_or_default())
}
