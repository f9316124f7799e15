//! `riskline sources`: add, list and remove the live sources `riskline watch` polls.

use std::process::ExitCode;

use anyhow::Context;

use crate::api::item::timestamp;
use crate::store::sources::{self, ItemStatus, SourceRow, SourceType};
use crate::store::{DbConnection, Store, StoreError};
use crate::watch::spec::{self, SourceSpec, SpecError};

/// Arguments of `riskline sources`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Add a source: a feed (`--feed URL`), a company's EDGAR filings (`--ticker` or
    /// `--cik`), or EDGAR's latest filings (`--edgar-latest`).
    Add(AddArgs),
    /// List sources with their state: next poll, last error, counters.
    List {
        /// Print a JSON array, one object per source.
        #[arg(long)]
        json: bool,
    },
    /// Show a source: what it follows, its state, and its latest failed items with why.
    Show {
        /// The source's name or id.
        source: String,
    },
    /// Remove a source by name or id (the documents it brought stay).
    Remove {
        /// The source's name or id.
        source: String,
    },
}

/// What to follow, and how often.
#[derive(Debug, Clone, clap::Args)]
pub struct AddArgs {
    /// An RSS or Atom feed's address.
    #[arg(long, value_name = "URL")]
    feed: Option<String>,
    /// A company's EDGAR filings, by ticker (its CIK from the registry).
    #[arg(long)]
    ticker: Option<String>,
    /// A company's EDGAR filings, by CIK.
    #[arg(long)]
    cik: Option<i64>,
    /// EDGAR's feed of the latest filings (of `--forms`, default 8-K).
    #[arg(long)]
    edgar_latest: bool,
    #[command(flatten)]
    how: HowArgs,
}

/// How a source is polled; shared by `sources add` and `watch`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct HowArgs {
    /// The source's name (default: made from its address or company).
    #[arg(long)]
    pub name: Option<String>,
    /// SEC form types to keep, comma-separated (default 8-K,10-K,10-Q for a company,
    /// 8-K for the latest filings); an amendment (8-K/A) goes with its form.
    #[arg(long, value_name = "FORMS")]
    pub forms: Option<String>,
    /// Time between polls: seconds or 30s, 15m, 2h, 1d (default 15m for a feed, 30m
    /// for a company's filings, 10m for the latest filings).
    #[arg(long, value_parser = spec::parse_interval, value_name = "INTERVAL")]
    pub interval: Option<i64>,
    /// Fetch the article page of a feed item that carries only a summary.
    #[arg(long)]
    pub fetch_pages: bool,
}

impl HowArgs {
    /// A spec of `kind` with these settings.
    pub fn spec(&self, kind: SourceType) -> SourceSpec {
        SourceSpec {
            kind: Some(kind),
            name: self.name.clone(),
            forms: self.forms.iter().cloned().collect(),
            interval_secs: self.interval,
            fetch_pages: self.fetch_pages,
            ..SourceSpec::default()
        }
    }
}

impl AddArgs {
    fn spec(&self) -> anyhow::Result<SourceSpec> {
        let given = usize::from(self.feed.is_some())
            + usize::from(self.ticker.is_some() || self.cik.is_some())
            + usize::from(self.edgar_latest);
        if given != 1 {
            anyhow::bail!(
                "say what to follow, one of: --feed URL, --ticker TICKER (or --cik N), --edgar-latest"
            );
        }
        Ok(self.kind_spec())
    }

    fn kind_spec(&self) -> SourceSpec {
        if let Some(url) = &self.feed {
            SourceSpec {
                url: Some(url.clone()),
                ..self.how.spec(SourceType::Feed)
            }
        } else if self.ticker.is_some() || self.cik.is_some() {
            SourceSpec {
                ticker: self.ticker.clone(),
                cik: self.cik,
                ..self.how.spec(SourceType::EdgarCompany)
            }
        } else {
            self.how.spec(SourceType::EdgarLatest)
        }
    }
}

/// Runs `riskline sources`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_and_migrate(&args.database.url())?;
    let mut conn = store.conn()?;
    match args.command {
        Command::Add(add) => {
            let row = add_source(&mut conn, &add.spec()?)?;
            println!(
                "added source {} ({}): {}",
                row.id,
                row.fields.name,
                what(&row)
            );
        }
        Command::List { json } => {
            let rows = sources::list(&mut conn).context("listing sources")?;
            if json {
                let listed: Vec<serde_json::Value> = rows.iter().map(source_json).collect();
                println!("{}", serde_json::to_string_pretty(&listed)?);
            } else {
                print_table(&rows);
            }
        }
        Command::Show { source } => {
            let Some(row) = sources::find(&mut conn, &source)? else {
                anyhow::bail!("no source named {source:?} (see `riskline sources list`)");
            };
            show(&mut conn, &row)?;
        }
        Command::Remove { source } => {
            let Some(row) = sources::find(&mut conn, &source)? else {
                anyhow::bail!("no source named {source:?} (see `riskline sources list`)");
            };
            sources::remove(&mut conn, row.id)?;
            println!("removed source {} ({})", row.id, row.fields.name);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks a spec and adds its source; a taken name is an error.
pub fn add_source(conn: &mut DbConnection, spec: &SourceSpec) -> anyhow::Result<SourceRow> {
    let new = spec::to_new_source(conn, spec).map_err(|e| match e {
        SpecError::Invalid { field, message } => anyhow::anyhow!("--{}: {message}", flag(field)),
        SpecError::Store(e) => e.into(),
    })?;
    match sources::add(conn, &new) {
        Err(StoreError::Conflict(message)) => {
            anyhow::bail!("{message}; choose another --name or remove it first")
        }
        other => Ok(other?),
    }
}

/// The option of a spec field.
fn flag(field: &str) -> String {
    match field {
        "url" => "feed".to_string(),
        "interval_secs" => "interval".to_string(),
        other => other.replace('_', "-"),
    }
}

/// What a source follows, in words.
pub fn what(row: &SourceRow) -> String {
    let f = &row.fields;
    match row.kind() {
        SourceType::Feed => format!("feed {}", f.url.as_deref().unwrap_or_default()),
        SourceType::EdgarCompany => format!(
            "EDGAR filings of {} (CIK {}), forms {}",
            f.ticker.as_deref().unwrap_or("-"),
            f.cik.unwrap_or_default(),
            if f.forms.is_empty() { "all" } else { &f.forms }
        ),
        SourceType::EdgarLatest => format!(
            "EDGAR latest filings, forms {}",
            if f.forms.is_empty() { "all" } else { &f.forms }
        ),
    }
}

fn show(conn: &mut DbConnection, row: &SourceRow) -> anyhow::Result<()> {
    let f = &row.fields;
    let at = |t: Option<chrono::NaiveDateTime>| t.map_or("never".to_string(), timestamp);
    println!("{} ({}): {}", row.id, f.name, what(row));
    println!(
        "every {} s; next poll {}",
        f.interval_secs,
        timestamp(f.next_due_at)
    );
    println!(
        "last poll {}; last success {}; failures in a row {}",
        at(f.last_polled_at),
        at(f.last_success_at),
        f.consecutive_failures
    );
    if let Some(error) = &f.last_error {
        println!("last error: {error}");
    }
    println!(
        "polls {} ({} not modified, {} failed), requests {}, bytes {}",
        f.polls, f.not_modified, f.errors, f.requests, f.bytes_fetched
    );
    println!(
        "items: {} new, {} known, {} failed",
        f.items_new, f.items_known, f.items_failed
    );
    let failed = sources::items(conn, row.id, Some(ItemStatus::Failed), None, 20)?;
    for item in failed {
        println!(
            "  failed {} {}: {}",
            timestamp(item.fields.seen_at),
            item.fields.item_key,
            item.fields.error.as_deref().unwrap_or_default()
        );
    }
    Ok(())
}

fn print_table(rows: &[SourceRow]) {
    println!(
        "{:<4} {:<28} {:<13} {:>6} {:>6} {:>6} {:<20} last error",
        "id", "name", "kind", "new", "known", "failed", "next poll"
    );
    for row in rows {
        let f = &row.fields;
        println!(
            "{:<4} {:<28} {:<13} {:>6} {:>6} {:>6} {:<20} {}",
            row.id,
            f.name,
            f.kind,
            f.items_new,
            f.items_known,
            f.items_failed,
            timestamp(f.next_due_at),
            f.last_error.as_deref().unwrap_or("-")
        );
    }
}

/// A source as JSON: the same object as `GET /api/v1/sources` gives.
pub fn source_json(row: &SourceRow) -> serde_json::Value {
    serde_json::to_value(crate::api::sources::SourceDto::from(row.clone()))
        .unwrap_or(serde_json::Value::Null)
}
