//! `riskline eval`: runs the extractor over labelled gold files and prints precision,
//! recall and F1 per kind, false events on negative documents, field accuracy on matched
//! events, the errors counted by cause, and every miss, false event and mismatch grouped
//! by cause. Several files (or folders of `.jsonl` files) are scored one by one and
//! summed.
//!
//! `--as-page` wraps each document in a generated news page ([`crate::eval::page`]) and
//! extracts it as HTML: compared with the run without the flag, the figures show what
//! article-body extraction loses or lets in. Events on a decoy company of the page's
//! furniture are counted and listed as decoy events.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::eval::{page, parse_gold, score, Cause, Report};
use crate::extract::Format;

/// Arguments of `riskline eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A gold file (JSONL, one labelled document per line), or a folder of them; give
    /// `--gold` several times to score several sets one by one and in total.
    #[arg(long, value_name = "FILE", required = true)]
    pub gold: Vec<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// An extra company registry (SEC JSON or the project CSV) added to the built-in one.
    #[arg(long = "companies", value_name = "FILE")]
    pub companies: Vec<PathBuf>,
    /// Wrap each document in a generated news page (navigation, teaser rails with decoy
    /// headlines, ads, footer; several layouts) and extract it as HTML.
    #[arg(long = "as-page")]
    pub as_page: bool,
    /// With `--as-page`: write each generated page to this folder as `<id>.html`.
    #[arg(long = "save-pages", value_name = "DIR", requires = "as_page")]
    pub save_pages: Option<PathBuf>,
}

/// An event of a generated page on a company named only by the page's furniture;
/// listed under `decoy_events` in the JSON report.
#[derive(Debug, Clone, serde::Serialize)]
struct DecoyEvent {
    /// The gold document's id.
    doc: String,
    /// The page's [`page::Layout`] name.
    layout: &'static str,
    /// The event kind's tag, e.g. `lawsuit`.
    kind: String,
    /// The decoy ticker the event was put on.
    ticker: String,
    /// The first 160 characters of the event's first evidence sentence.
    snippet: String,
}

/// Runs `riskline eval`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let files = gold_files(&args.gold)?;
    let ex = super::extract::extractor(&args.companies)?;
    if let Some(dir) = &args.save_pages {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut reports = Vec::new();
    let mut decoys: Vec<(String, Vec<DecoyEvent>)> = Vec::new();
    for file in &files {
        let content = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let gold = parse_gold(&content).with_context(|| format!("{}", file.display()))?;
        let name = file.display().to_string();
        if args.as_page {
            let (report, found) = score_file_as_pages(&ex, &gold, args.save_pages.as_deref())?;
            decoys.push((name.clone(), found));
            reports.push((name, report));
        } else {
            reports.push((name, score_file(&ex, &gold)));
        }
    }
    let mut total = Report::empty();
    for (_, r) in &reports {
        total.add(r);
    }
    if args.json {
        let files: Vec<serde_json::Value> = reports
            .iter()
            .map(|(name, r)| serde_json::json!({"file": name, "report": r}))
            .collect();
        let by_cause: serde_json::Map<String, serde_json::Value> = total
            .by_cause()
            .into_iter()
            .map(|(c, n)| (cause_tag(c), n.into()))
            .collect();
        // One file: its report, as before; several: each and the total.
        let mut out = if reports.len() == 1 {
            serde_json::to_value(&total)?
        } else {
            serde_json::json!({"files": files, "total": total, "by_cause": by_cause})
        };
        if args.as_page {
            let all: Vec<&DecoyEvent> = decoys.iter().flat_map(|(_, d)| d).collect();
            out["decoy_events"] = serde_json::to_value(all)?;
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        if reports.len() > 1 {
            print!("{}", render_summary(&reports, &total));
            println!();
        }
        print!("{}", render(&total));
        if args.as_page {
            print!("{}", render_decoys(&decoys));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The files named, with the `.jsonl` files of named folders in name order.
fn gold_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read folder {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            found.sort();
            if found.is_empty() {
                anyhow::bail!("{}: no .jsonl gold files in this folder", path.display());
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Runs the extractor over one gold set and scores it.
fn score_file(ex: &crate::extract::Extractor, gold: &[crate::eval::GoldDoc]) -> Report {
    let predicted: Vec<(String, Vec<crate::extract::Event>)> = gold
        .iter()
        .map(|d| {
            // A document the extractor fails on scores as one with no events.
            let events = match ex.try_extract_from(
                &d.text,
                Format::Auto,
                d.published_at,
                d.source.as_deref(),
            ) {
                Ok(extraction) => extraction.events,
                Err(err) => {
                    eprintln!("warning: {}: {err}", d.id);
                    Vec::new()
                }
            };
            (d.id.clone(), events)
        })
        .collect();
    score(gold, &predicted)
}

/// Wraps every document of a gold set in a generated page, extracts it as HTML and
/// scores it; also returns the events on the pages' decoy companies.
fn score_file_as_pages(
    ex: &crate::extract::Extractor,
    gold: &[crate::eval::GoldDoc],
    save: Option<&std::path::Path>,
) -> anyhow::Result<(Report, Vec<DecoyEvent>)> {
    let mut decoys = Vec::new();
    let mut predicted = Vec::new();
    for d in gold {
        let avoid: Vec<&str> = d
            .events
            .iter()
            .flat_map(|e| e.tickers.iter().map(String::as_str))
            .collect();
        let published = d
            .published_at
            .map(|p| crate::extract::dates::format_date(p.date, p.precision));
        let page = page::wrap(&d.id, &d.text, published.as_deref(), &avoid);
        if let Some(dir) = save {
            let safe: String =
                d.id.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
            let path = dir.join(format!("{safe}.html"));
            std::fs::write(&path, &page.html)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        let events = match ex.try_extract(&page.html, Format::Html, d.published_at) {
            Ok(extraction) => extraction.events,
            Err(err) => {
                eprintln!("warning: {}: {err}", d.id);
                Vec::new()
            }
        };
        for e in &events {
            for t in &e.tickers {
                if page.decoy_tickers.contains(&t.as_str()) {
                    decoys.push(DecoyEvent {
                        doc: d.id.clone(),
                        layout: page.layout.as_str(),
                        kind: e.kind.as_str().to_string(),
                        ticker: t.to_string(),
                        snippet: e
                            .evidence
                            .first()
                            .map(|ev| ev.text.chars().take(160).collect())
                            .unwrap_or_default(),
                    });
                }
            }
        }
        predicted.push((d.id.clone(), events));
    }
    Ok((score(gold, &predicted), decoys))
}

/// The decoy events of `--as-page`, per file and listed.
fn render_decoys(decoys: &[(String, Vec<DecoyEvent>)]) -> String {
    let mut s = String::new();
    let total: usize = decoys.iter().map(|(_, d)| d.len()).sum();
    let _ = writeln!(s, "\ndecoy events (furniture read as story): {total}");
    for (file, list) in decoys {
        if decoys.len() > 1 {
            let _ = writeln!(s, "  {file}: {}", list.len());
        }
    }
    for d in decoys.iter().flat_map(|(_, d)| d) {
        let _ = writeln!(
            s,
            "  [{}] {} {} {}: {}",
            d.layout, d.doc, d.kind, d.ticker, d.snippet
        );
    }
    s
}

/// One line per gold file and one for the total: pair P/R/F1, negatives, date accuracy.
pub fn render_summary(reports: &[(String, Report)], total: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<40} {:>5} {:>6} {:>9} {:>7} {:>6} {:>10} {:>9}",
        "gold file", "docs", "events", "precision", "recall", "f1", "negatives", "date"
    );
    let line = |s: &mut String, name: &str, r: &Report| {
        let c = r.overall;
        let _ = writeln!(
            s,
            "{:<40} {:>5} {:>6} {:>9.3} {:>7.3} {:>6.3} {:>10} {:>9}",
            name,
            r.documents,
            r.gold_events,
            c.precision(),
            c.recall(),
            c.f1(),
            format!("{}/{}", r.negatives_with_false_event, r.negative_documents),
            format!("{}/{}", r.date.correct, r.date.total),
        );
    };
    for (name, r) in reports {
        line(&mut s, name, r);
    }
    line(&mut s, "total", total);
    s
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
    let causes = r.by_cause();
    if !causes.is_empty() {
        let _ = writeln!(s, "\nerrors by cause:");
        for (cause, n) in &causes {
            let _ = writeln!(s, "  {n:>4}  {}", cause.describe());
        }
    }
    for (title, list) in [("misses", &r.misses), ("false events", &r.false_events)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{title} ({}):", list.len());
        for cause in Cause::ALL {
            for m in list.iter().filter(|m| m.cause == cause) {
                let _ = writeln!(
                    s,
                    "  [{}] {} {} {}: {}",
                    cause_tag(cause),
                    m.doc,
                    m.kind.as_str(),
                    m.ticker,
                    m.snippet
                );
            }
        }
    }
    if !r.mismatches.is_empty() {
        let _ = writeln!(
            s,
            "\nfield mismatches on matched events ({}):",
            r.mismatches.len()
        );
        let mut sorted: Vec<_> = r.mismatches.iter().collect();
        sorted.sort_by_key(|m| m.cause);
        for m in sorted {
            let _ = writeln!(
                s,
                "  [{}] {} {} {} {}: gold {} predicted {}",
                cause_tag(m.cause),
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

/// The cause's name in the lists: `missed_trigger`, `wrong_ticker`, ...
fn cause_tag(cause: Cause) -> String {
    serde_json::to_value(cause)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
