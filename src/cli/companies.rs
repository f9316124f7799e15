//! `riskline companies`: import, list, show and search the company registry.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::sec;
use crate::registry;
use crate::store::companies::{self, ImportSummary};
use crate::store::models::{AliasKind, CompanyRow};
use crate::store::{Conn, Store};

/// Arguments of `riskline companies`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
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
    ///
    /// `--from-sec` downloads SEC's company_tickers_exchange.json instead (one request,
    /// at most 32 MiB), with the User-Agent SEC asks for: a name and a contact e-mail
    /// address, from --user-agent or RISKLINE_SEC_USER_AGENT. Without one it refuses.
    #[command(after_help = "Example: riskline companies import --from-sec \
                            --user-agent \"Example Research ops@example.com\"")]
    Import {
        /// The registry file.
        #[arg(required_unless_present = "from_sec", conflicts_with = "from_sec")]
        file: Option<PathBuf>,
        /// Download SEC's list of tickers and import it.
        #[arg(long)]
        from_sec: bool,
        /// With --from-sec: who is asking, as SEC requires of automated clients, e.g.
        /// "Example Research ops@example.com".
        #[arg(long, env = sec::USER_AGENT_ENV, value_name = "NAME EMAIL", requires = "from_sec")]
        user_agent: Option<String>,
        /// With --from-sec: where to download the list from (a mirror, say).
        #[arg(long, env = "RISKLINE_SEC_URL", value_name = "URL",
              default_value = sec::SEC_TICKERS_URL)]
        sec_url: String,
        /// With --from-sec: seconds to wait to connect and for each read; the whole
        /// download may take four times as long.
        #[arg(long, value_name = "SECONDS", default_value_t = 30,
              value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
    },
    /// Import companies' histories: SEC submissions files (`CIK##########.json` from
    /// data.sec.gov/submissions: CIK, tickers, former names with their periods) or a
    /// history table in the format of fixtures/registry/history.tsv (docs/registry.md).
    ///
    /// A company of a submissions file is found by CIK, else by ticker, else added;
    /// its former names become aliases and name periods. Re-importing changes nothing.
    ImportHistory {
        /// The files, each SEC submissions JSON or a history table.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Regenerate the built-in registry's list of SEC-listed companies from SEC's
    /// company_tickers_exchange.json (see docs/registry.md). No database.
    BuildRegistry(super::build_registry::Args),
    /// List companies in ticker order.
    List {
        /// How many to show; 0 shows all.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print a JSON array of `{"ticker", "name", "cik", "exchange"}` instead.
        #[arg(long)]
        json: bool,
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
        /// Print a JSON array of `{"ticker", "name", "cik", "exchange", "matched"}`, best
        /// first, instead (`[]` when nothing matches; the exit code is then 1 as well).
        #[arg(long)]
        json: bool,
    },
}

/// Runs `riskline companies`; exit code 1 when a search finds no company.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let db = &args.database;
    match args.command {
        Command::Import {
            file,
            from_sec,
            user_agent,
            sec_url,
            timeout,
        } => match file {
            Some(file) if !from_sec => import_file(db, &file),
            _ => import_from_sec(db, user_agent.as_deref(), &sec_url, timeout),
        },
        Command::ImportHistory { files } => import_history(db, &files),
        Command::BuildRegistry(args) => super::build_registry::run(args),
        Command::List { limit, json } => list(db, limit, json),
        Command::Show { ticker } => show(db, &ticker),
        Command::Search { text, limit, json } => search(db, &text, limit, json),
    }
}

/// Opens the database with its schema up to date and the built-in registry loaded.
fn open(db: &super::Database) -> anyhow::Result<Conn> {
    let store = Store::open_and_migrate(&db.url())?;
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

fn import_file(db: &super::Database, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    // Everything is parsed before the database is touched: a bad entry anywhere
    // in the file leaves the database as it was.
    let records = registry::load_file(file)?;
    import(db, &records, &file.display().to_string())
}

/// Downloads SEC's list (refusing without a proper User-Agent) and imports it.
fn import_from_sec(
    db: &super::Database,
    user_agent: Option<&str>,
    url: &str,
    timeout: u64,
) -> anyhow::Result<ExitCode> {
    let user_agent = match sec::check_user_agent(user_agent) {
        Ok(agent) => agent,
        Err(err) => {
            // A missing or unusable option: a usage error, like clap's own.
            eprintln!("error: {err}");
            return Ok(ExitCode::from(2));
        }
    };
    eprintln!("downloading {url} as {user_agent:?}");
    let content = sec::download(url, &user_agent, std::time::Duration::from_secs(timeout))?;
    let records = registry::parse(url, &content)
        .with_context(|| format!("{url} did not answer SEC's list of tickers"))?;
    import(db, &records, url)
}

fn import(
    db: &super::Database,
    records: &[registry::CompanyRecord],
    source: &str,
) -> anyhow::Result<ExitCode> {
    let mut conn = open(db)?;
    let started = Instant::now();
    let summary: ImportSummary =
        companies::import(&mut conn, records).with_context(|| format!("importing {source}"))?;
    println!(
        "imported {} companies from {source} in {:.2} s",
        summary.companies(),
        started.elapsed().as_secs_f64()
    );
    println!("  inserted:      {}", summary.inserted);
    println!("  updated:       {}", summary.updated);
    println!("  unchanged:     {}", summary.unchanged);
    println!("  aliases added: {}", summary.aliases_added);
    Ok(ExitCode::SUCCESS)
}

/// Imports SEC submissions files and history tables; every file is parsed before the
/// database is touched.
fn import_history(db: &super::Database, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    use crate::registry::history;
    use crate::store::history as stored;
    let mut subs = Vec::new();
    let mut tables = Vec::new();
    for file in files {
        let shown = file.display().to_string();
        let content = std::fs::read_to_string(file).with_context(|| format!("reading {shown}"))?;
        if content.trim_start().starts_with('{') {
            subs.push(history::parse_submissions(&shown, &content)?);
        } else {
            tables.push((shown.clone(), history::parse(&shown, &content)?));
        }
    }
    let mut conn = open(db)?;
    for sub in &subs {
        match stored::import_submissions(&mut conn, sub)
            .with_context(|| format!("importing the submissions of CIK {}", sub.cik))?
        {
            Some(done) => println!(
                "{}: {} ({} name periods, {} former names){}",
                done.ticker,
                sub.name,
                done.periods,
                sub.former_names.len(),
                if done.created { ", added" } else { "" }
            ),
            None => println!(
                "CIK {} ({}): skipped, not in the database and SEC lists no ticker",
                sub.cik, sub.name
            ),
        }
    }
    for (shown, periods) in &tables {
        let n = stored::replace(&mut conn, "analyst", periods)
            .with_context(|| format!("importing {shown}"))?;
        println!(
            "{shown}: {n} of {} periods stored (the others name unknown companies)",
            periods.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A company as `--json` prints it.
fn company_json(row: &CompanyRow) -> serde_json::Value {
    serde_json::json!({
        "ticker": row.fields.ticker,
        "name": row.fields.name,
        "cik": row.fields.cik,
        "exchange": row.fields.exchange,
    })
}

/// Prints a JSON value and a line end on stdout.
fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn list(db: &super::Database, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let mut conn = open(db)?;
    let limit = (limit > 0).then(|| i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = companies::list(&mut conn, limit)?;
    if json {
        print_json(&rows.iter().map(company_json).collect())?;
    } else {
        for row in &rows {
            println!(
                "{:<8} {:<8} {}",
                row.fields.ticker,
                row.fields.exchange.as_deref().unwrap_or("-"),
                row.fields.name
            );
        }
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

fn show(db: &super::Database, ticker: &str) -> anyhow::Result<ExitCode> {
    let mut conn = open(db)?;
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

fn search(db: &super::Database, text: &str, limit: usize, json: bool) -> anyhow::Result<ExitCode> {
    let mut conn = open(db)?;
    let hits = companies::search(&mut conn, text, limit)?;
    if json {
        let found: Vec<serde_json::Value> = hits
            .iter()
            .map(|hit| {
                let mut value = company_json(&hit.company);
                value["matched"] = hit.matched.clone().into();
                value
            })
            .collect();
        print_json(&found.into())?;
    }
    if hits.is_empty() {
        eprintln!("no company matches {text:?}");
        return Ok(ExitCode::FAILURE);
    }
    if json {
        return Ok(ExitCode::SUCCESS);
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
