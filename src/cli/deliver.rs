//! `riskline deliver`: the webhook delivery worker on its own, for deployments
//! that run it apart from the servers (`riskline serve --no-webhooks`). Any
//! number of workers and servers may deliver from one database: each delivery
//! is sent by one of them.

use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::store::Store;
use crate::webhooks::{Settings, Worker};

/// Arguments of `riskline deliver`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    #[command(flatten)]
    webhooks: WebhookOptions,
    /// Deliver what is due now, then exit (instead of running until stopped).
    #[arg(long)]
    once: bool,
}

/// The webhook options of `serve` and `deliver`.
#[derive(Debug, Clone, clap::Args)]
pub struct WebhookOptions {
    /// Let webhook subscriptions point at loopback and private addresses (refused by
    /// default: a subscriber could otherwise make the server call internal services).
    #[arg(long, env = "RISKLINE_WEBHOOKS_ALLOW_PRIVATE")]
    pub webhooks_allow_private: bool,
    /// Seconds before the first retry of a failed delivery; each next one doubles (at
    /// most an hour), with jitter. Retries go on for a day, then the delivery is dead.
    #[arg(long, env = "RISKLINE_WEBHOOKS_FIRST_RETRY", default_value = "30", value_name = "SECONDS",
          value_parser = super::serve::parse_seconds)]
    pub webhooks_first_retry: Duration,
}

impl WebhookOptions {
    /// The worker's settings.
    pub fn settings(&self) -> Settings {
        Settings {
            allow_private: self.webhooks_allow_private,
            first_retry: self.webhooks_first_retry.max(Duration::from_millis(10)),
            ..Settings::default()
        }
    }
}

/// Runs `riskline deliver` until SIGINT or SIGTERM (or once with `--once`).
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_and_migrate(&args.database.url())?;
    let worker = Worker::new(store, args.webhooks.settings());
    if args.once {
        let round = worker.run_once()?;
        println!(
            "dispatched {} deliveries, made {} attempts, {} delivered",
            round.dispatched, round.attempts, round.delivered
        );
        return Ok(ExitCode::SUCCESS);
    }
    // The default signal disposition ends the process; a delivery cut short is
    // sent again by whichever worker takes it after its lease.
    worker.run(&AtomicBool::new(false));
    Ok(ExitCode::SUCCESS)
}
