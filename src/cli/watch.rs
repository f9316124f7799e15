//! `riskline watch`: follow live sources (feeds, EDGAR) and ingest what is new.
//!
//! The sources are those in the database (`riskline sources add`, `POST
//! /api/v1/sources`) plus any named on the command line (`--feed`, `--ticker`,
//! `--cik`, `--edgar-latest`), which are added first unless a source of that
//! name exists. `--once` polls every source once and prints what it did; without
//! it the command runs until SIGINT or SIGTERM. `riskline serve --watch` runs the
//! same poller inside the server, with the options of [`WatchOptions`].

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;

use super::sources::{add_source, HowArgs};
use crate::store::sources::{self, SourceType};
use crate::store::Store;
use crate::watch::edgar::EdgarUrls;
use crate::watch::http::HttpConfig;
use crate::watch::spec::SourceSpec;
use crate::watch::{PassSummary, WatchConfig, Watcher};

/// Arguments of `riskline watch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    /// Poll every source once, print what each poll did, and exit (1 if a poll or
    /// an item failed).
    #[arg(long)]
    once: bool,
    /// With `--once`: print one JSON object `{"sources": [...]}`.
    #[arg(long, requires = "once")]
    json: bool,
    /// Follow this RSS or Atom feed too (repeatable).
    #[arg(long, value_name = "URL")]
    feed: Vec<String>,
    /// Follow this company's EDGAR filings too (repeatable; its CIK from the registry).
    #[arg(long)]
    ticker: Vec<String>,
    /// Follow the EDGAR filings of this CIK too (repeatable).
    #[arg(long)]
    cik: Vec<i64>,
    /// Follow EDGAR's latest filings of `--forms` too.
    #[arg(long)]
    edgar_latest: bool,
    #[command(flatten)]
    how: HowArgs,
    #[command(flatten)]
    options: WatchOptions,
}

/// How the poller behaves on the network; shared by `watch` and `serve --watch`.
#[derive(Debug, Clone, clap::Args)]
pub struct WatchOptions {
    /// Who polls SEC, as SEC asks: a name and a contact e-mail address
    /// ("Your Company you@example.com"). Without it, EDGAR sources fail.
    #[arg(long = "user-agent", env = crate::cli::sec::USER_AGENT_ENV, value_name = "NAME EMAIL")]
    pub sec_user_agent: Option<String>,
    /// Allow fetching loopback and private-network addresses (refused by default,
    /// so that a source cannot make the poller reach inside its own network).
    #[arg(long, env = "RISKLINE_WATCH_ALLOW_PRIVATE")]
    pub allow_private_addresses: bool,
    /// Seconds to connect to a host.
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = seconds)]
    pub connect_timeout: Duration,
    /// Seconds each read may take (a whole answer: four times this).
    #[arg(long, default_value = "20", value_name = "SECONDS", value_parser = seconds)]
    pub read_timeout: Duration,
    /// The largest answer read, in bytes (default 20 MiB, the largest document).
    #[arg(long, default_value_t = crate::ingest::MAX_DOCUMENT_BYTES, value_name = "BYTES")]
    pub max_bytes: u64,
    /// Requests per second to one host other than SEC's (SEC: 10 at most, always).
    #[arg(long, default_value = "2", value_name = "RATE", value_parser = rate)]
    pub host_rate: f64,
    /// Seconds a poller holds a source without news before another may take it.
    #[arg(long, default_value_t = 600, value_name = "SECONDS",
          value_parser = clap::value_parser!(i64).range(5..=86_400))]
    pub lease: i64,
    /// Filings taken from one EDGAR index per poll at most, newest first.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub max_filings: usize,
    /// Where EDGAR's submissions indexes are (a mirror, or a test server).
    #[arg(
        long,
        env = "RISKLINE_SEC_DATA_URL",
        default_value = "https://data.sec.gov",
        value_name = "URL"
    )]
    pub sec_data_url: String,
    /// Where EDGAR's archives and latest-filings feed are (a mirror, or a test server).
    #[arg(
        long,
        env = "RISKLINE_SEC_WWW_URL",
        default_value = "https://www.sec.gov",
        value_name = "URL"
    )]
    pub sec_www_url: String,
}

fn seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && (0.05..=3_600.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0.05 and 3600"
        )),
    }
}

fn rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 && r <= 1_000.0 => Ok(r),
        _ => Err(format!(
            "{text:?} is not a rate between 0 and 1000 requests a second"
        )),
    }
}

impl WatchOptions {
    /// The watcher's configuration; a User-Agent given for SEC is checked here.
    pub fn config(&self) -> anyhow::Result<WatchConfig> {
        let sec_user_agent = match &self.sec_user_agent {
            Some(given) => Some(crate::cli::sec::check_user_agent(Some(given))?),
            None => None,
        };
        Ok(WatchConfig {
            http: HttpConfig {
                sec_user_agent,
                connect_timeout: self.connect_timeout,
                read_timeout: self.read_timeout,
                max_bytes: self.max_bytes,
                allow_private: self.allow_private_addresses,
                host_interval: Duration::from_secs_f64(1.0 / self.host_rate),
                ..HttpConfig::default()
            },
            edgar: EdgarUrls {
                data: self.sec_data_url.clone(),
                www: self.sec_www_url.clone(),
            },
            lease_secs: self.lease,
            max_filings_per_poll: self.max_filings.max(1),
            ..WatchConfig::default()
        })
    }
}

/// Set by SIGINT or SIGTERM: the watcher finishes its poll and stops.
static STOP: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn stop_on_signals() {
    #[cfg(unix)]
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
}

/// Runs `riskline watch`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.options.config()?;
    let store = Store::open_and_migrate(&args.database.url())?;
    add_named(&store, &args)?;
    if config.http.sec_user_agent.is_none() {
        warn_without_user_agent(&store)?;
    }
    let watcher = Watcher::new(store, config);
    if args.once {
        let pass = watcher.run_once().context("polling sources")?;
        return Ok(report(&pass, args.json));
    }
    stop_on_signals();
    watcher.run(&STOP);
    Ok(ExitCode::SUCCESS)
}

/// Says at the start, rather than at every poll, that EDGAR sources will fail.
fn warn_without_user_agent(store: &Store) -> anyhow::Result<()> {
    let mut conn = store.conn()?;
    let edgar = sources::list(&mut conn)?
        .iter()
        .filter(|s| s.fields.enabled && s.kind() != SourceType::Feed)
        .count();
    if edgar > 0 {
        eprintln!(
            "warning: {edgar} EDGAR source(s) will fail: SEC asks every automated client to \
             name its operator and a contact address; set {} or --user-agent \
             \"Your Company you@example.com\"",
            crate::cli::sec::USER_AGENT_ENV
        );
    }
    Ok(())
}

/// Adds the sources named on the command line, unless one of that name exists.
fn add_named(store: &Store, args: &Args) -> anyhow::Result<()> {
    let mut specs: Vec<SourceSpec> = Vec::new();
    // A --name names a single source only: with several, each takes its own.
    let single =
        args.feed.len() + args.ticker.len() + args.cik.len() + usize::from(args.edgar_latest) == 1;
    let how = HowArgs {
        name: if single { args.how.name.clone() } else { None },
        ..args.how.clone()
    };
    for url in &args.feed {
        specs.push(SourceSpec {
            url: Some(url.clone()),
            ..how.spec(SourceType::Feed)
        });
    }
    for ticker in &args.ticker {
        specs.push(SourceSpec {
            ticker: Some(ticker.clone()),
            ..how.spec(SourceType::EdgarCompany)
        });
    }
    for cik in &args.cik {
        specs.push(SourceSpec {
            cik: Some(*cik),
            ..how.spec(SourceType::EdgarCompany)
        });
    }
    if args.edgar_latest {
        specs.push(how.spec(SourceType::EdgarLatest));
    }
    let mut conn = store.conn()?;
    for spec in specs {
        let new = crate::watch::spec::to_new_source(&mut conn, &spec)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if sources::find(&mut conn, &new.name)?.is_some() {
            continue;
        }
        let row = add_source(&mut conn, &spec)?;
        eprintln!(
            "following {} ({})",
            row.fields.name,
            super::sources::what(&row)
        );
    }
    Ok(())
}

/// Prints what a pass did; the exit code is 1 when a poll or an item failed.
fn report(pass: &PassSummary, json: bool) -> ExitCode {
    let failed = pass
        .sources
        .iter()
        .any(|s| s.error.is_some() || !s.failures.is_empty());
    if json {
        let value = serde_json::json!({ "sources": pass.sources });
        println!("{value}");
    } else {
        for s in &pass.sources {
            let state = match (&s.error, s.not_modified) {
                (Some(e), _) => format!("error: {e}"),
                (None, true) => "not modified".to_string(),
                (None, false) => "ok".to_string(),
            };
            println!(
                "{}: {} new, {} known, {} failed; {state}",
                s.name,
                s.items_new,
                s.items_known,
                s.failures.len()
            );
            for f in &s.failures {
                println!("  failed: {}: {}", f.name, f.reason);
            }
        }
        if pass.sources.is_empty() {
            println!("no sources to poll (add one with `riskline sources add`)");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
