//! The delivery worker: turns the changes feed into signed HTTP POSTs to the
//! watchlists' subscribers, retried with exponential backoff and jitter for a
//! day, then marked dead.
//!
//! It runs inside `riskline serve` (a thread of its own) and as
//! `riskline deliver`; any number of them may run against one database. The
//! outbox lives in the database (`store::webhooks`): a restart loses nothing,
//! and a delivery is claimed by one worker at a time.
//!
//! Each request carries:
//!
//! - `Riskline-Signature: t=TIMESTAMP,v1=HEX` ([`sign`]);
//! - `Idempotency-Key`: the same for every attempt and replay of a delivery;
//! - `Riskline-Delivery`: the delivery's id, `Riskline-Change`: the change kind.
//!
//! A `2xx` answer delivers; anything else (another status, a refused or timed
//! out connection) is retried. Redirects are not followed.
//!
//! ```no_run
//! use riskline::webhooks::{Settings, Worker};
//! let store = riskline::store::Store::open_and_migrate("riskline.db")?;
//! let worker = Worker::new(store, Settings::default());
//! let sent = worker.run_once()?;
//! println!("{} attempts", sent.attempts);
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

pub mod sign;
pub mod target;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use rand::Rng;

use crate::store::webhooks::{self as outbox, Claimed, Outcome};
use crate::store::{now, Store, StoreError};

/// How the worker behaves. The defaults are those of `riskline serve`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Whether subscriptions may point at loopback and private addresses
    /// (off by default: server-side request forgery).
    pub allow_private: bool,
    /// How long the worker sleeps when there is nothing to do. Default 1 s.
    pub poll: Duration,
    /// The delay before the first retry; each next one doubles. Default 30 s.
    pub first_retry: Duration,
    /// The longest delay between two attempts. Default 1 h.
    pub max_retry: Duration,
    /// How long after the first attempt retries go on; then the delivery is
    /// dead. Default 24 h.
    pub retry_for: Duration,
    /// How long a receiver may take to answer. Default 10 s.
    pub timeout: Duration,
    /// Deliveries claimed at once.
    pub batch: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            allow_private: false,
            poll: Duration::from_secs(1),
            first_retry: Duration::from_secs(30),
            max_retry: Duration::from_secs(3600),
            retry_for: Duration::from_secs(24 * 3600),
            timeout: Duration::from_secs(10),
            batch: 20,
        }
    }
}

impl Settings {
    /// The delay before attempt `attempts + 1` after `attempts` failures:
    /// `first_retry * 2^(attempts-1)`, at most `max_retry`, of which a random
    /// half to all (jitter, so that receivers coming back are not hit by every
    /// retry at once).
    pub fn backoff(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let full = self
            .first_retry
            .saturating_mul(1u32 << doublings)
            .min(self.max_retry);
        let half = full / 2;
        half + full
            .saturating_sub(half)
            .mul_f64(rand::thread_rng().gen::<f64>())
    }

    /// When to try again after `attempts` failures of a delivery retried from
    /// `retry_from`; `None` when that is past the retry window (dead).
    pub fn retry_at(
        &self,
        attempts: i64,
        retry_from: NaiveDateTime,
        at: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        let next = at + chrono::Duration::from_std(self.backoff(attempts)).ok()?;
        let end = retry_from + chrono::Duration::from_std(self.retry_for).ok()?;
        (next <= end).then_some(next)
    }
}

/// What one round of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Deliveries made from new changes.
    pub dispatched: usize,
    /// Attempts made.
    pub attempts: usize,
    /// Attempts the receiver accepted.
    pub delivered: usize,
}

/// The delivery worker over one store.
#[derive(Debug, Clone)]
pub struct Worker {
    store: Store,
    settings: Settings,
    agent: ureq::Agent,
}

impl Worker {
    /// A worker for `store`.
    pub fn new(store: Store, settings: Settings) -> Worker {
        let agent = ureq::AgentBuilder::new()
            .timeout(settings.timeout)
            .redirects(0)
            .resolver(target::resolver(settings.allow_private))
            .user_agent(concat!("riskline/", env!("CARGO_PKG_VERSION")))
            .build();
        Worker {
            store,
            settings,
            agent,
        }
    }

    /// Dispatches new changes, then sends the deliveries that are due.
    pub fn run_once(&self) -> Result<Round, StoreError> {
        let mut round = Round::default();
        let mut conn = self.store.conn()?;
        if !outbox::has_work(&mut conn)? {
            return Ok(round);
        }
        loop {
            let (made, more) = outbox::dispatch(&mut conn)?;
            round.dispatched += made;
            if !more {
                break;
            }
        }
        let lease = chrono::Duration::from_std(self.settings.timeout * 3)
            .unwrap_or_else(|_| chrono::Duration::seconds(60));
        loop {
            let claimed = outbox::claim(&mut conn, lease, self.settings.batch)?;
            if claimed.is_empty() {
                return Ok(round);
            }
            for delivery in &claimed {
                let outcome = self.attempt(delivery);
                round.attempts += 1;
                if matches!(outcome, Outcome::Delivered { .. }) {
                    round.delivered += 1;
                }
                log_outcome(delivery, &outcome);
                outbox::finish(&mut conn, delivery.delivery.id, &outcome)?;
            }
        }
    }

    /// Runs rounds until `stop` is set, sleeping `poll` when idle; errors are
    /// logged and the next round tries again.
    pub fn run(&self, stop: &AtomicBool) {
        while !stop.load(Ordering::Relaxed) {
            let busy = match self.run_once() {
                Ok(round) => round.attempts > 0 || round.dispatched > 0,
                Err(err) => {
                    tracing::warn!(error = %err, "webhook delivery round failed");
                    // A database that is down is asked again less often.
                    sleep_unless(stop, self.settings.poll * 4);
                    false
                }
            };
            if !busy {
                sleep_unless(stop, self.settings.poll);
            }
        }
    }

    /// Starts [`Worker::run`] on a thread of its own; setting the flag stops it.
    pub fn spawn(self) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name("webhooks".to_string())
            .spawn(move || self.run(&flag))
            .unwrap_or_else(|e| panic!("cannot start the webhook worker: {e}"));
        (stop, handle)
    }

    /// One attempt of a claimed delivery.
    fn attempt(&self, claimed: &Claimed) -> Outcome {
        let delivery = &claimed.delivery;
        let failed = |status: Option<u16>, error: String| Outcome::Failed {
            status,
            error,
            retry_at: self
                .settings
                .retry_at(delivery.attempts, delivery.retry_from, now()),
        };
        if let Err(why) = target::host_port(&claimed.url) {
            return failed(None, format!("the URL {why}"));
        }
        let timestamp = chrono::Utc::now().timestamp();
        let body = delivery.payload.as_bytes();
        let change = serde_json::from_str::<serde_json::Value>(&delivery.payload)
            .ok()
            .and_then(|p| p["change"]["kind"].as_str().map(str::to_string))
            .unwrap_or_default();
        let result = self
            .agent
            .post(&claimed.url)
            .set("Content-Type", "application/json")
            .set(
                sign::HEADER,
                &sign::signature_header(&claimed.secret, timestamp, body),
            )
            .set("Idempotency-Key", &delivery.idempotency_key)
            .set("Riskline-Delivery", &delivery.id.to_string())
            .set("Riskline-Change", &change)
            .send_bytes(body);
        match result {
            Ok(response) if (200..300).contains(&response.status()) => Outcome::Delivered {
                status: response.status(),
            },
            Ok(response) => failed(
                Some(response.status()),
                format!("answered {}", response.status()),
            ),
            Err(ureq::Error::Status(status, _)) => {
                failed(Some(status), format!("answered {status}"))
            }
            Err(ureq::Error::Transport(err)) => failed(None, err.to_string()),
        }
    }
}

fn log_outcome(claimed: &Claimed, outcome: &Outcome) {
    let id = claimed.delivery.id;
    let attempt = claimed.delivery.attempts;
    match outcome {
        Outcome::Delivered { status } => {
            tracing::info!(delivery.id = id, attempt, status, "webhook delivered");
        }
        Outcome::Failed {
            error,
            retry_at: Some(at),
            ..
        } => {
            tracing::info!(delivery.id = id, attempt, error = %error, retry_at = %at, "webhook attempt failed")
        }
        Outcome::Failed { error, .. } => {
            tracing::warn!(delivery.id = id, attempt, error = %error, "webhook delivery dead");
        }
    }
}

/// Sleeps `total`, waking early when `stop` is set.
fn sleep_unless(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(50);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(step.min(total - slept));
        slept += step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap() {
        let settings = Settings::default();
        for _ in 0..50 {
            let first = settings.backoff(1);
            assert!(first >= Duration::from_secs(15) && first <= Duration::from_secs(30));
            let third = settings.backoff(3);
            assert!(third >= Duration::from_secs(60) && third <= Duration::from_secs(120));
            let late = settings.backoff(40);
            assert!(late >= Duration::from_secs(1800) && late <= Duration::from_secs(3600));
        }
    }

    #[test]
    fn a_delivery_is_dead_once_its_next_try_would_be_past_a_day() {
        let settings = Settings::default();
        let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a date");
        assert!(settings.retry_at(1, from, from).is_some());
        let late = from + chrono::Duration::hours(23) + chrono::Duration::minutes(59);
        assert_eq!(settings.retry_at(20, from, late), None);
    }
}
