//! `riskline bench scale` times extraction by document size (see [`super::bench_scale`]);
//! `riskline bench extract` times it on real documents (see [`super::bench_extract`]).
//!
//! `riskline bench seed`: writes a large synthetic database for the API benchmark
//! (`scripts/bench-api.sh`, `docs/benchmarks-api.md`).
//!
//! Companies get the tickers of [`bench_ticker`] (`BAAAA`, `BAAAB`, ...), so a
//! load generator can pick one at random without a list. Events are spread over
//! the companies (one in ten involves a second company), dated over 2000-2026
//! with one in fifty undated, each with one piece of evidence; a document holds
//! the evidence of ten events. Rows are written in batches of a thousand, in
//! transactions of fifty thousand events.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::store::backend::{
    analyze, insert_documents, insert_event_companies, insert_event_mentions, insert_events,
    upsert_companies, write_transaction,
};
use crate::store::models::{NewCompany, NewDocument, NewEvent, NewEventCompany, NewEventMention};
use crate::store::{now, DbConnection, Store, StoreResult};

/// Arguments of `riskline bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Time extraction of one document at growing sizes (1, 2, 4, 8, 16 MB by
    /// default), made of real texts (JSONL files with a "text" field, e.g. the
    /// labelled sets) or of synthetic news when none is given; prints CPU seconds,
    /// MB per CPU-second and each size's cost per MB against the smallest size's
    /// (1.0 = linear). No database.
    Scale(super::bench_scale::Args),
    /// Time extraction of real documents, one by one as ingest does, up to some MB
    /// (default 20), as they are and folded to ASCII, beside a bare scan of the
    /// registry's names over the same text; MB per CPU-second, documents per second,
    /// and extraction's share of the scan's speed. No database.
    Extract(super::bench_extract::Args),
    /// Fill an empty database with synthetic companies and events.
    Seed {
        /// Events to write.
        #[arg(long, default_value_t = 1_000_000)]
        events: usize,
        /// Companies to write.
        #[arg(long, default_value_t = 10_000)]
        companies: usize,
    },
}

/// The ticker of the `i`-th synthetic company: `B` and four letters.
///
/// ```
/// assert_eq!(riskline::cli::bench::bench_ticker(0), "BAAAA");
/// assert_eq!(riskline::cli::bench::bench_ticker(27), "BAABB");
/// ```
pub fn bench_ticker(i: usize) -> String {
    let mut letters = [b'A'; 4];
    let mut n = i;
    for slot in letters.iter_mut().rev() {
        *slot = b'A' + u8::try_from(n % 26).unwrap_or(0);
        n /= 26;
    }
    format!("B{}", String::from_utf8_lossy(&letters))
}

const KINDS: &[(&str, &[&str], &str)] = &[
    (
        "lawsuit",
        &["filed", "settled", "dismissed", "ruled"],
        "defendant",
    ),
    (
        "regulatory_action",
        &["fine", "investigation", "ban", "recall", "order"],
        "regulated",
    ),
    (
        "service_halt",
        &["halt", "shutdown", "resumption"],
        "operator",
    ),
];

/// Runs `riskline bench`: `scale` times extraction, `seed` writes the synthetic database.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (events, companies) = match args.command {
        Command::Scale(args) => return super::bench_scale::run(args),
        Command::Extract(args) => return super::bench_extract::run(args),
        Command::Seed { events, companies } => (events, companies),
    };
    anyhow::ensure!(
        companies > 0 && companies <= 26usize.pow(4),
        "companies: 1 to 456976"
    );
    let store = Store::open_and_migrate(&args.database.url())?;
    let mut conn = store.conn()?;
    let started = Instant::now();
    let company_ids = seed_companies(&mut conn, companies).context("writing companies")?;
    println!(
        "{} companies in {:.1?}",
        company_ids.len(),
        started.elapsed()
    );
    let mut rng = StdRng::seed_from_u64(7);
    let mut written = 0;
    while written < events {
        let n = (events - written).min(50_000);
        write_transaction(&mut conn, |conn| {
            seed_events(conn, &mut rng, &company_ids, written, n)
        })
        .context("writing events")?;
        written += n;
        println!("{written} events in {:.1?}", started.elapsed());
    }
    analyze(&mut conn)?;
    println!(
        "done: {events} events over {companies} companies in {:.1?}",
        started.elapsed()
    );
    Ok(ExitCode::SUCCESS)
}

fn seed_companies(conn: &mut DbConnection, n: usize) -> StoreResult<Vec<i64>> {
    let at = now();
    let rows: Vec<NewCompany> = (0..n)
        .map(|i| NewCompany {
            ticker: bench_ticker(i),
            name: format!("Benchmark Company {i}"),
            cik: None,
            exchange: Some("BENCH".to_string()),
            parent_id: None,
            created_at: at,
            updated_at: at,
        })
        .collect();
    let written = write_transaction(conn, |conn| upsert_companies(conn, &rows))?;
    let mut by_ticker: std::collections::HashMap<String, i64> =
        written.into_iter().map(|(id, t)| (t, id)).collect();
    Ok((0..n)
        .filter_map(|i| by_ticker.remove(&bench_ticker(i)))
        .collect())
}

fn seed_events(
    conn: &mut DbConnection,
    rng: &mut StdRng,
    company_ids: &[i64],
    offset: usize,
    n: usize,
) -> StoreResult<()> {
    let at = now();
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let docs: Vec<NewDocument> = (0..n.div_ceil(10))
        .map(|i| {
            let text = format!(
                "Synthetic report {} on ten events of benchmark companies.",
                offset / 10 + i
            );
            NewDocument {
                source_kind: "news".to_string(),
                format: "text".to_string(),
                url: Some(format!("https://bench.example/report/{}", offset / 10 + i)),
                title: Some(format!("Benchmark report {}", offset / 10 + i)),
                published_at: Some(at),
                published_precision: None,
                content_hash: format!("{:064x}", offset / 10 + i),
                byte_len: i64::try_from(text.len()).unwrap_or(0),
                text,
                filer_cik: None,
                form_type: None,
                ingested_at: at,
            }
        })
        .collect();
    let mut doc_id_of: std::collections::HashMap<String, i64> = insert_documents(conn, &docs)?
        .into_iter()
        .map(|(id, hash)| (hash, id))
        .collect();
    let doc_ids: Vec<i64> = docs
        .iter()
        .filter_map(|d| doc_id_of.remove(&d.content_hash))
        .collect();

    let mut rows = Vec::with_capacity(n);
    let mut links_of = Vec::with_capacity(n);
    for i in 0..n {
        let (kind, actions, role) = KINDS[rng.gen_range(0..KINDS.len())];
        let action = actions[rng.gen_range(0..actions.len())];
        let occurred_on =
            (rng.gen_range(0..50) != 0).then(|| epoch + Duration::days(rng.gen_range(0..9_800)));
        let company = company_ids[rng.gen_range(0..company_ids.len())];
        let mut links = vec![(company, role)];
        if rng.gen_range(0..10) == 0 {
            links.push((
                company_ids[rng.gen_range(0..company_ids.len())],
                "plaintiff",
            ));
        }
        let amount = (rng.gen_range(0..3) == 0).then(|| rng.gen_range(1_000..5_000_000_000i64));
        rows.push(NewEvent {
            kind: kind.to_string(),
            action: action.to_string(),
            status: None,
            occurred_on,
            date_precision: occurred_on.map(|_| "day".to_string()),
            amount: amount.map(|a| a as f64),
            currency: amount.map(|_| "USD".to_string()),
            amount_usd: amount,
            authority: (kind == "regulatory_action").then(|| "SEC".to_string()),
            jurisdiction: Some("US".to_string()),
            parties: "[]".to_string(),
            summary: format!(
                "Synthetic {kind} ({action}) number {} of benchmark company {company}",
                offset + i
            ),
            confidence: f64::from(rng.gen_range(50..100u8)) / 100.0,
            review_state: "unreviewed".to_string(),
            review_note: None,
            corrected_fields: "[]".to_string(),
            origin: "extracted".to_string(),
            fingerprint: format!("bench-{}", offset + i),
            thread_id: None,
            thread_status: None,
            document_count: 1,
            created_at: at,
            updated_at: at,
        });
        links_of.push((links, occurred_on));
    }
    let event_ids = insert_events(conn, &rows)?;

    let mut links = Vec::with_capacity(n + n / 10);
    let mut mentions = Vec::with_capacity(n);
    for (i, (&event_id, (companies, occurred_on))) in event_ids.iter().zip(&links_of).enumerate() {
        for (company_id, role) in companies {
            links.push(NewEventCompany {
                event_id,
                company_id: *company_id,
                role: (*role).to_string(),
                occurred_on: *occurred_on,
            });
        }
        mentions.push(NewEventMention {
            event_id,
            document_id: doc_ids[(i / 10).min(doc_ids.len().saturating_sub(1))],
            start_offset: i64::try_from(i % 10).unwrap_or(0),
            end_offset: 40,
            snippet: format!("Synthetic evidence of event {event_id}."),
            rule: "bench.synthetic".to_string(),
            merge_reason: None,
            merge_score: None,
            created_at: at,
        });
    }
    insert_event_companies(conn, &links)?;
    insert_event_mentions(conn, &mentions)?;
    Ok(())
}
