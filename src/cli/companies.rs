//! `riskline companies`: import, list, show and search the company registry.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::registry;
use crate::store::companies::{self, ImportSummary};
use crate::store::models::AliasKind;
use crate::store::{Conn, Store};

/// Arguments of `riskline companies`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Import a registry file: SEC company_tickers.json or company_tickers_exchange.json,
    /// or CSV with header ticker,name,cik,exchange,aliases,former_tickers.
    ///
    /// Re-importing updates changed companies and adds new aliases; it never
    /// duplicates. A malformed file is refused as a whole.
    Import {
        /// The registry file.
        file: PathBuf,
    },
    /// List companies in ticker order.
    List {
        /// How many to show; 0 shows all.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Show one company, by ticker (any case) or former ticker.
    Show {
        /// Ticker, e.g. JPM or brk.b.
        ticker: String,
    },
    /// Find companies by ticker, name or alias, best matches first.
    Search {
        /// Text to look for, e.g. "chase".
        text: String,
        /// How many matches to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

/// Runs `riskline companies`; exit code 1 when a search finds no company.
pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Import { file } => import(global, &file),
        Command::List { limit } => list(global, limit),
        Command::Show { ticker } => show(global, &ticker),
        Command::Search { text, limit } => search(global, &text, limit),
    }
}

/// Opens the database with its schema up to date and the built-in registry loaded.
fn open(global: &super::Global) -> anyhow::Result<Conn> {
    let store = Store::open_and_migrate(&global.database_url())?;
    let mut conn = store.conn()?;
    if let Some(summary) =
        companies::ensure_builtin(&mut conn).context("loading the built-in company registry")?
    {
        eprintln!(
            "loaded the built-in registry: {} companies, {} aliases",
            summary.companies(),
            summary.aliases_added
        );
    }
    Ok(conn)
}

fn import(global: &super::Global, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    // Everything is parsed before the database is touched: a bad entry anywhere
    // in the file leaves the database as it was.
    let records = registry::load_file(file)?;
    let mut conn = open(global)?;
    let started = Instant::now();
    let summary: ImportSummary = companies::import(&mut conn, &records)
        .with_context(|| format!("importing {}", file.display()))?;
    println!(
        "imported {} companies from {} in {:.2} s",
        summary.companies(),
        file.display(),
        started.elapsed().as_secs_f64()
    );
    println!("  inserted:      {}", summary.inserted);
    println!("  updated:       {}", summary.updated);
    println!("  unchanged:     {}", summary.unchanged);
    println!("  aliases added: {}", summary.aliases_added);
    Ok(ExitCode::SUCCESS)
}

fn list(global: &super::Global, limit: usize) -> anyhow::Result<ExitCode> {
    let mut conn = open(global)?;
    let limit = (limit > 0).then(|| i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = companies::list(&mut conn, limit)?;
    for row in rows.iter().map(|r| &r.fields) {
        println!(
            "{:<8} {:<8} {}",
            row.ticker,
            row.exchange.as_deref().unwrap_or("-"),
            row.name
        );
    }
    let total = companies::count(&mut conn)?;
    if i64::try_from(rows.len()).is_ok_and(|shown| shown < total) {
        eprintln!(
            "showing {} of {total} companies (--limit 0 shows all)",
            rows.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show(global: &super::Global, ticker: &str) -> anyhow::Result<ExitCode> {
    let mut conn = open(global)?;
    let Some(company) = companies::find_by_ticker(&mut conn, ticker)? else {
        anyhow::bail!("no company with ticker {ticker:?} (try `riskline companies search`)");
    };
    let aliases = companies::aliases(&mut conn, company.id)?;
    let company = company.fields;
    println!("ticker:    {}", company.ticker);
    println!("name:      {}", company.name);
    println!(
        "cik:       {}",
        company.cik.map_or("-".to_string(), |c| c.to_string())
    );
    println!("exchange:  {}", company.exchange.as_deref().unwrap_or("-"));
    println!("aliases:");
    for kind in AliasKind::ALL {
        if *kind == AliasKind::FormerTicker {
            continue;
        }
        let texts: Vec<&str> = aliases
            .iter()
            .filter(|a| a.fields.kind == kind.as_str())
            .map(|a| a.fields.alias.as_str())
            .collect();
        if !texts.is_empty() {
            println!("  {:<12} {}", format!("{kind}:"), texts.join("; "));
        }
    }
    let former: Vec<&str> = aliases
        .iter()
        .filter(|a| a.fields.kind == AliasKind::FormerTicker.as_str())
        .map(|a| a.fields.alias.as_str())
        .collect();
    println!(
        "former tickers: {}",
        if former.is_empty() {
            "-".to_string()
        } else {
            former.join(", ")
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn search(global: &super::Global, text: &str, limit: usize) -> anyhow::Result<ExitCode> {
    let mut conn = open(global)?;
    let hits = companies::search(&mut conn, text, limit)?;
    if hits.is_empty() {
        eprintln!("no company matches {text:?}");
        return Ok(ExitCode::FAILURE);
    }
    for hit in &hits {
        let company = &hit.company.fields;
        if hit.matched == company.ticker || hit.matched == company.name {
            println!("{:<8} {}", company.ticker, company.name);
        } else {
            println!(
                "{:<8} {} (as {:?})",
                company.ticker, company.name, hit.matched
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
