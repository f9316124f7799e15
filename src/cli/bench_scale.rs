//! `riskline bench scale`: does extraction stay linear in document size?
//!
//! One document per size is built by repeating a corpus (real texts from JSONL
//! files, or synthetic news) up to the size, cut on a character boundary. Each is
//! extracted on this thread, timed by the thread's CPU clock (other processes on
//! the machine do not count), best of `--runs`. The figure that matters is the
//! ratio on the last column: the CPU cost per MB of each size against that of the
//! smallest one, measured in the same run; 1.0 is linear.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::extract::{Extractor, Format};

/// Arguments of `riskline bench scale`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files whose "text" fields make the corpus; synthetic news when none.
    #[arg(long = "corpus", value_name = "FILE")]
    pub corpus: Vec<PathBuf>,
    /// Document sizes in MB (MiB), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8,16")]
    pub sizes: Vec<u32>,
    /// Runs per size; the best is kept.
    #[arg(long, default_value_t = 3)]
    pub runs: u32,
}

/// CPU time of the calling thread, in seconds.
pub(crate) fn thread_cpu_seconds() -> f64 {
    // /proc/thread-self/stat fields 14 and 15: user and system time in clock ticks.
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // After the command name, field 14 (utime) is the 12th, field 15 the 13th.
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory of the process so far, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The texts of the corpus files, or a synthetic news corpus.
fn corpus(files: &[PathBuf]) -> anyhow::Result<String> {
    let mut texts = Vec::new();
    for f in files {
        let content =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        for line in content.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("{}: a line is not JSON", f.display()))?;
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                texts.push(t.to_string());
            }
        }
    }
    if texts.is_empty() {
        texts = (0..200).map(synthetic).collect();
    }
    Ok(texts.join("\n\n"))
}

/// A short synthetic news item.
pub(crate) fn synthetic(i: usize) -> String {
    let companies = [
        "Boeing",
        "Ford Motor",
        "JPMorgan Chase",
        "Alphabet",
        "Pfizer",
    ];
    let company = companies[i % companies.len()];
    format!(
        "{company} faces scrutiny\n\nRegulators fined {company} $1.{i} million on Monday over \
         reporting lapses, the agency said. Shareholders also sued {company} in federal court, \
         and the company said it would contest the claims. Analysts expect results next week."
    )
}

/// `corpus` repeated up to `bytes`, cut on a character boundary.
fn document_of(corpus: &str, bytes: usize) -> String {
    let mut doc = String::with_capacity(bytes + corpus.len());
    while doc.len() < bytes {
        doc.push_str(corpus);
        doc.push_str("\n\n");
    }
    let end = crate::extract::span::floor(&doc, bytes);
    doc.truncate(end);
    doc
}

/// Runs the benchmark and prints its table.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let corpus = corpus(&args.corpus)?;
    // Load the built-in registry and build its automaton before timing, and say how
    // long that takes (once per process, at the first extraction).
    let start = std::time::Instant::now();
    let ex = Extractor::builtin();
    let _ = ex.extract("Warm-up.", Format::Text, None);
    println!(
        "registry: {} companies loaded and indexed in {:.3} s",
        ex.companies().len(),
        start.elapsed().as_secs_f64()
    );
    println!(
        "corpus: {} ({} bytes); best of {} run(s) per size",
        if args.corpus.is_empty() {
            "synthetic news".to_string()
        } else {
            format!("{} file(s)", args.corpus.len())
        },
        corpus.len(),
        args.runs.max(1)
    );
    println!(
        "{:>8} {:>10} {:>9} {:>8} {:>14} {:>12}",
        "MB", "CPU s", "MB/CPU-s", "events", "peak RSS MB", "cost/MB ratio"
    );
    let mut first_per_mb: Option<f64> = None;
    for &mb in &args.sizes {
        let doc = document_of(&corpus, mb as usize * 1024 * 1024);
        let mut best = f64::MAX;
        let mut events = 0;
        for _ in 0..args.runs.max(1) {
            let start = thread_cpu_seconds();
            let out = ex.extract(&doc, Format::Text, None);
            best = best.min(thread_cpu_seconds() - start);
            events = out.events.len();
        }
        let per_mb = best / f64::from(mb.max(1));
        let ratio = per_mb / *first_per_mb.get_or_insert(per_mb);
        println!(
            "{:>8} {:>10.2} {:>9.2} {:>8} {:>14.0} {:>12.2}",
            mb,
            best,
            f64::from(mb) / best.max(0.01),
            events,
            peak_rss_mb(),
            ratio
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_have_the_asked_size_on_a_character_boundary() {
        let doc = document_of("a\u{2013}b", 10);
        assert!(doc.len() <= 10 && doc.len() >= 7, "{}", doc.len());
        assert!(doc.is_char_boundary(doc.len()));
    }
}
