//! `riskline eval`: runs the extractor over a labelled gold file and prints precision,
//! recall and F1 per kind, false events on negative documents, field accuracy on matched
//! events, and every miss and false event.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::eval::{parse_gold, score, Report};
use crate::extract::Format;

/// Arguments of `riskline eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The gold file (JSONL, one labelled document per line).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// An extra company registry (SEC JSON or the project CSV) added to the built-in one.
    #[arg(long = "companies", value_name = "FILE")]
    pub companies: Vec<PathBuf>,
}

pub fn run(_global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let content = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("cannot read {}", args.gold.display()))?;
    let gold = parse_gold(&content).with_context(|| format!("{}", args.gold.display()))?;
    let ex = super::extract::extractor(&args.companies)?;
    let predicted: Vec<(String, Vec<crate::extract::Event>)> = gold
        .iter()
        .map(|d| {
            // A document the extractor fails on scores as one with no events.
            let events = match ex.try_extract(&d.text, Format::Auto, d.published_at) {
                Ok(extraction) => extraction.events,
                Err(err) => {
                    eprintln!("warning: {}: {err}", d.id);
                    Vec::new()
                }
            };
            (d.id.clone(), events)
        })
        .collect();
    let report = score(&gold, &predicted);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render(&report));
    }
    Ok(ExitCode::SUCCESS)
}

/// The report as text for people.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "documents: {}  gold events: {}",
        r.documents, r.gold_events
    );
    let _ = writeln!(
        s,
        "{:<18} {:>4} {:>4} {:>4} {:>9} {:>7} {:>6}",
        "kind", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for (k, c) in &r.per_kind {
        let _ = writeln!(
            s,
            "{:<18} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
            k.as_str(),
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    let c = r.overall;
    let _ = writeln!(
        s,
        "{:<18} {:>4} {:>4} {:>4} {:>9.3} {:>7.3} {:>6.3}",
        "overall",
        c.tp,
        c.fp,
        c.fn_,
        c.precision(),
        c.recall(),
        c.f1()
    );
    let _ = writeln!(
        s,
        "negative documents with a false event: {}/{} ({:.1}%)",
        r.negatives_with_false_event,
        r.negative_documents,
        100.0 * r.negative_false_rate()
    );
    let _ = writeln!(
        s,
        "matched events: {}/{}  amount accuracy {:.3} ({}/{})  date accuracy {:.3} ({}/{})  status accuracy {:.3} ({}/{})",
        r.matched_events, r.gold_events,
        r.amount.value(), r.amount.correct, r.amount.total,
        r.date.value(), r.date.correct, r.date.total,
        r.status.value(), r.status.correct, r.status.total,
    );
    if !r.misses.is_empty() {
        let _ = writeln!(s, "\nmisses ({}):", r.misses.len());
        for m in &r.misses {
            let _ = writeln!(
                s,
                "  {} {} {}: {}",
                m.doc,
                m.kind.as_str(),
                m.ticker,
                m.snippet
            );
        }
    }
    if !r.false_events.is_empty() {
        let _ = writeln!(s, "\nfalse events ({}):", r.false_events.len());
        for m in &r.false_events {
            let _ = writeln!(
                s,
                "  {} {} {}: {}",
                m.doc,
                m.kind.as_str(),
                m.ticker,
                m.snippet
            );
        }
    }
    if !r.mismatches.is_empty() {
        let _ = writeln!(
            s,
            "\nfield mismatches on matched events ({}):",
            r.mismatches.len()
        );
        for m in &r.mismatches {
            let _ = writeln!(
                s,
                "  {} {} {} {}: gold {} predicted {}",
                m.doc,
                m.kind.as_str(),
                m.ticker,
                m.field,
                m.gold,
                m.predicted
            );
        }
    }
    s
}
