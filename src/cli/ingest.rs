//! `riskline ingest`: store documents and the events they report.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::ingest::{
    ingest_paths, DocumentStatus, IngestOptions, IngestSummary, ProgressEvent, MAX_DOCUMENT_BYTES,
};
use crate::store::models::SourceKind;
use crate::store::Store;

/// Arguments of `riskline ingest`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Formats are recognised by name and content: plain text (a `Published: YYYY-MM-DD` line \
under the headline gives the date), HTML, EDGAR submissions, JSONL batches (`.jsonl`, one \
{\"id\", \"url\", \"title\", \"published_at\", \"source\", \"text\" or \"html\"} per line) and \
RSS 2.0 / Atom feeds (each item a document).

A document larger than 20 MiB is refused. Documents already stored (same content) are \
skipped; running the same command again after an interruption completes the work. The exit \
code is 1 when any document failed.")]
pub struct Args {
    #[command(flatten)]
    database: super::Database,
    /// Files, directories (read recursively, in name order) or `-` for standard input.
    /// A path that does not exist is a usage error (exit code 2) and nothing is stored.
    #[arg(required = true, value_name = "PATH", value_parser = existing_path)]
    paths: Vec<PathBuf>,
    /// Source kind of documents that do not state theirs. By default: news for text and
    /// JSONL, press_release for HTML, filing for EDGAR, feed for feed items.
    #[arg(long, value_parser = ["news", "filing", "press_release", "court", "other"])]
    source: Option<String>,
    /// Publication date of documents that do not state theirs: YYYY-MM-DD, or YYYY-MM /
    /// YYYY when only that much is known.
    #[arg(long, value_name = "DATE", value_parser = crate::extract::dates::Published::parse)]
    published_at: Option<crate::extract::dates::Published>,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Documents written per transaction, at most (also at most about 4 MB of text):
    /// larger batches are faster, smaller ones lose less work to an interruption.
    #[arg(long, value_name = "N", default_value_t = 500,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    batch_documents: u32,
    /// Threads extracting beside the writer (default: one less than the cores, at least one).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    workers: Option<u16>,
}

/// A path given on the command line: `-`, or a file or folder that exists. Checked by
/// clap, so that a mistyped path is a usage error naming it rather than a failed document.
fn existing_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if text == "-" {
        return Ok(path);
    }
    match std::fs::metadata(&path) {
        Ok(_) => Ok(path),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("{text} does not exist"))
        }
        Err(err) => Err(format!("cannot read {text}: {err}")),
    }
}

/// Runs `riskline ingest` and prints its summary; exit code 1 when any document failed.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let store = Store::open_and_migrate(&args.database.url())?;
    let source = args
        .source
        .as_deref()
        .map(str::parse::<SourceKind>)
        .transpose()?;
    let defaults = IngestOptions::default();
    let opts = IngestOptions {
        source,
        published_at: args.published_at,
        batch_documents: usize::try_from(args.batch_documents).unwrap_or(usize::MAX),
        workers: args.workers.map_or(defaults.workers, usize::from),
        ..defaults
    };
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} \
         {binary_bytes_per_sec} ETA {eta} {msg}",
    ) {
        bar.set_style(style);
    }
    let mut documents = 0u64;
    let summary = ingest_paths(&store, &args.paths, &opts, |event| match event {
        ProgressEvent::Planned { bytes, .. } => bar.set_length(bytes),
        ProgressEvent::Document {
            name,
            input_bytes,
            status,
        } => {
            documents += 1;
            bar.inc(input_bytes);
            if let DocumentStatus::Failed { reason } = &status {
                if !bar.is_hidden() {
                    bar.suspend(|| eprintln!("failed: {name}: {reason}"));
                }
            }
            bar.set_message(format!("{documents} documents  {name}"));
        }
    })
    .with_context(|| format!("ingesting into {}", store.url()))?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        println!("{}", summary_json(&summary, seconds));
    } else {
        print!("{}", summary_text(&summary, seconds));
    }
    Ok(if summary.documents_failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn summary_json(summary: &IngestSummary, seconds: f64) -> serde_json::Value {
    serde_json::json!({
        "documents": {
            "new": summary.documents_new,
            "known": summary.documents_known,
            "failed": summary.documents_failed,
        },
        "events": {
            "created": summary.events_created,
            "merged": summary.events_merged,
            "updated": summary.events_updated,
        },
        "failures": summary.failures,
        "failures_not_listed": summary.documents_failed - summary.failures.len(),
        "bytes": summary.input_bytes,
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "max_document_bytes": MAX_DOCUMENT_BYTES,
    })
}

fn summary_text(summary: &IngestSummary, seconds: f64) -> String {
    let mut out = format!(
        "documents: {} new, {} already known, {} failed\n\
         events:    {} created, {} merged into known events, {} updated\n",
        summary.documents_new,
        summary.documents_known,
        summary.documents_failed,
        summary.events_created,
        summary.events_merged,
        summary.events_updated,
    );
    if !summary.failures.is_empty() {
        out.push_str("failed:\n");
        for failure in &summary.failures {
            out.push_str(&format!("  {}: {}\n", failure.name, failure.reason));
        }
        let more = summary.documents_failed - summary.failures.len();
        if more > 0 {
            out.push_str(&format!("  ... and {more} more\n"));
        }
    }
    let total = summary.documents_new + summary.documents_known + summary.documents_failed;
    let rate = if seconds > 0.0 {
        total as f64 / seconds
    } else {
        0.0
    };
    out.push_str(&format!(
        "read {:.1} MB in {seconds:.1} s ({rate:.0} documents/s)\n",
        summary.input_bytes as f64 / 1e6
    ));
    out
}
