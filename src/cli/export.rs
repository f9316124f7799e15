//! `riskline export`: every event matching the filters as JSON Lines on
//! stdout (one list item a line, newest first), read in chunks so that memory
//! stays flat however many events there are.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::api::dto::event_item;
use crate::api::params::Params;
use crate::store::{directory::Directory, events_read, Store};

/// Arguments of `riskline export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    /// Only events of these companies (comma-separated tickers).
    #[arg(long)]
    tickers: Option<String>,
    /// The filters of the API, as a query string: `kind=lawsuit&from=2025-01-01&min_confidence=0.8`
    /// (from, to, kind, action, tag, review, min_confidence, q).
    #[arg(long, default_value = "")]
    filter: String,
}

/// Events read per round trip.
const CHUNK: usize = 1_000;

/// Runs `riskline export`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let params = Params::parse(
        &args.filter,
        &[
            "from",
            "to",
            "kind",
            "action",
            "tag",
            "review",
            "min_confidence",
            "q",
        ],
    )
    .map_err(|e| anyhow::anyhow!("--filter: {}: {}", e.field, e.detail))?;
    let filter = params
        .event_filter()
        .map_err(|e| anyhow::anyhow!("--filter: {}: {}", e.field, e.detail))?;
    let store = Store::open_and_migrate(&args.database.url())?;
    let mut conn = store.conn()?;
    let companies = match &args.tickers {
        None => None,
        Some(list) => {
            let directory = Directory::load(&mut conn)?;
            let mut ids = Vec::new();
            for ticker in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let id = crate::registry::normalize_ticker(ticker)
                    .and_then(|t| directory.lookup(&t))
                    .with_context(|| format!("no company with ticker {ticker}"))?;
                ids.push(id);
            }
            Some(ids)
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut after = None;
    loop {
        let page = match &companies {
            Some(ids) => events_read::search_companies(&mut conn, ids, &filter, after, CHUNK)?,
            None => events_read::search(&mut conn, None, &filter, after, CHUNK)?,
        };
        for view in page.items {
            serde_json::to_writer(&mut out, &event_item(view))?;
            out.write_all(b"\n")?;
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
