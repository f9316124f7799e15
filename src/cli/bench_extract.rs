//! `riskline bench extract`: extraction throughput on real documents, beside a bare
//! scan of the same company names over the same text.
//!
//! The corpus is read from JSONL files (a `text` field, with `published_at` and
//! `format` when given) and from folders of raw documents (HTML pages, EDGAR files,
//! plain text; their format is detected). The documents are taken in turn, again and
//! again, until the asked number of MB is reached, and each is extracted on its own,
//! as `ingest` does. Two variants are timed: the documents as they are, and the same
//! documents folded to ASCII (typographic quotes and dashes made plain, accented
//! letters without their accent), so the cost of non-ASCII text shows as a ratio.
//!
//! Time is the CPU time of this thread (other processes on the machine do not count);
//! each figure is the median of `--runs`, with the range. The baseline is the company
//! automaton alone (every alias of the registry, no checks) run over the same
//! documents in the same process: on a noisy machine the ratio of the two is the
//! figure that holds from run to run. A synthetic corpus is timed on a second line,
//! labelled as such, for comparison with older figures.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::bench_scale::{synthetic, thread_cpu_seconds};
use crate::extract::dates::Published;
use crate::extract::{Extractor, Format};

/// Arguments of `riskline bench extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files (a "text" field per line) or folders of them and of raw documents
    /// (`.html`, `.htm`, `.txt`); default: `../shared/eval/` and `../shared/data/`
    /// when they exist.
    #[arg(long = "corpus", value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// MB (MiB) of documents per variant.
    #[arg(long, default_value_t = 20)]
    pub mb: u32,
    /// Runs per variant; the median is reported, with the range.
    #[arg(long, default_value_t = 3)]
    pub runs: u32,
}

/// One document of the corpus.
#[derive(Debug, Clone)]
struct Doc {
    raw: String,
    format: Format,
    published: Option<Published>,
}

/// The documents of one JSONL file.
fn jsonl_docs(path: &Path, out: &mut Vec<Doc>) -> anyhow::Result<()> {
    let content =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not JSON", path.display(), n + 1))?;
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let field = |k: &str| v.get(k).and_then(|x| x.as_str());
        out.push(Doc {
            raw: text.to_string(),
            format: field("format")
                .and_then(|f| f.parse().ok())
                .unwrap_or(Format::Auto),
            published: field("published_at").and_then(|p| Published::parse(p).ok()),
        });
    }
    Ok(())
}

/// The documents under a path: a JSONL file, a raw document, or a folder of them.
fn docs_under(path: &Path, out: &mut Vec<Doc>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read the folder {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            docs_under(&e, out)?;
        }
        return Ok(());
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" => jsonl_docs(path, out),
        "html" | "htm" | "txt" => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            out.push(Doc {
                raw: String::from_utf8_lossy(&bytes).into_owned(),
                format: Format::Auto,
                published: None,
            });
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The corpus paths: those given, or the shared evaluation texts and data.
fn corpus_paths(given: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let defaults: Vec<PathBuf> = [
        "../shared/eval",
        "../shared/data/edgar",
        "../shared/data/html",
    ]
    .iter()
    .map(PathBuf::from)
    .filter(|p| p.exists())
    .collect();
    anyhow::ensure!(
        !defaults.is_empty(),
        "no corpus: give --corpus FILE_OR_FOLDER (JSONL files with a \"text\" field, or \
         folders of HTML/EDGAR/text documents); ../shared/eval is not here"
    );
    Ok(defaults)
}

/// A character folded to ASCII: typography made plain, accents dropped, anything
/// else a letter `x` or a space.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    let plain = match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => "\"",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{00A0}' | '\u{2000}'..='\u{200B}' | '\u{202F}' | '\u{3000}' => " ",
        '\u{00A7}' => "S",
        '\u{20AC}' => "EUR ",
        '\u{00A3}' => "GBP ",
        'à'..='å' | 'ā' => "a",
        'À'..='Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'è'..='ë' | 'ē' => "e",
        'È'..='Ë' => "E",
        'ì'..='ï' => "i",
        'Ì'..='Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò'..='ö' | 'ø' => "o",
        'Ò'..='Ö' | 'Ø' => "O",
        'ù'..='ü' => "u",
        'Ù'..='Ü' => "U",
        'ß' => "ss",
        c if c.is_alphabetic() => "x",
        _ => " ",
    };
    out.push_str(plain);
}

/// The text folded to ASCII (see [`fold_char`]).
fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// The documents taken in turn until `bytes` are reached: indexes into `docs`.
fn rounds(docs: &[Doc], bytes: usize) -> Vec<usize> {
    let mut order = Vec::new();
    let mut total = 0;
    if docs.iter().all(|d| d.raw.is_empty()) {
        return order;
    }
    while total < bytes {
        for (i, d) in docs.iter().enumerate() {
            order.push(i);
            total += d.raw.len();
            if total >= bytes {
                break;
            }
        }
    }
    order
}

/// Median, lowest and highest of some timings.
fn spread(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let mid = xs.get(xs.len() / 2).copied().unwrap_or(0.0);
    (
        mid,
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(0.0),
    )
}

/// The figures of one variant.
struct Figures {
    mb: f64,
    docs: usize,
    extract: (f64, f64, f64),
    scan: (f64, f64, f64),
    events: usize,
}

/// Times extraction and the bare scan over the documents of `order`.
fn measure(ex: &Extractor, docs: &[Doc], order: &[usize], runs: u32) -> Figures {
    let bytes: usize = order.iter().map(|&i| docs[i].raw.len()).sum();
    let (mut extract, mut scan) = (Vec::new(), Vec::new());
    let mut events = 0;
    for _ in 0..runs.max(1) {
        let start = thread_cpu_seconds();
        let mut found = 0;
        for &i in order {
            let d = &docs[i];
            if let Ok(out) = ex.try_extract(&d.raw, d.format, d.published) {
                found += out.events.len();
            }
        }
        extract.push(thread_cpu_seconds() - start);
        events = found;
        let start = thread_cpu_seconds();
        let mut hits = 0;
        for &i in order {
            hits += ex.companies().bare_scan(&docs[i].raw);
        }
        scan.push(thread_cpu_seconds() - start);
        std::hint::black_box(hits);
    }
    Figures {
        mb: bytes as f64 / (1024.0 * 1024.0),
        docs: order.len(),
        extract: spread(extract),
        scan: spread(scan),
        events,
    }
}

/// One line of the table.
fn print_line(label: &str, f: &Figures) {
    let (med, lo, hi) = f.extract;
    let rate = f.mb / med.max(1e-3);
    let scan_rate = f.mb / f.scan.0.max(1e-3);
    println!(
        "{label:<22} {:>7.1} {:>6} {:>7} {:>7.2} ({:.2}-{:.2}) {:>9.2} {:>8.0} {:>10.1} {:>8.1}%",
        f.mb,
        f.docs,
        f.events,
        med,
        lo,
        hi,
        rate,
        f.docs as f64 / med.max(1e-3),
        scan_rate,
        100.0 * rate / scan_rate.max(1e-9),
    );
}

/// Runs the benchmark and prints its table.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut docs = Vec::new();
    for p in corpus_paths(&args.corpus)? {
        docs_under(&p, &mut docs)?;
    }
    anyhow::ensure!(!docs.is_empty(), "the corpus holds no document");
    let start = std::time::Instant::now();
    let ex = Extractor::builtin();
    let _ = ex.extract("Warm-up.", Format::Text, None);
    println!(
        "registry: {} companies loaded and indexed in {:.3} s",
        ex.companies().len(),
        start.elapsed().as_secs_f64()
    );
    let bytes = args.mb.max(1) as usize * 1024 * 1024;
    let base: usize = docs.iter().map(|d| d.raw.len()).sum();
    println!(
        "corpus: {} documents, {:.2} MB, taken in turn up to {} MB; median of {} run(s), CPU time of one thread",
        docs.len(),
        base as f64 / (1024.0 * 1024.0),
        args.mb,
        args.runs.max(1)
    );
    println!(
        "{:<22} {:>7} {:>6} {:>7} {:>19} {:>9} {:>8} {:>10} {:>9}",
        "variant",
        "MB",
        "docs",
        "events",
        "CPU s (range)",
        "MB/CPU-s",
        "docs/s",
        "scan MB/s",
        "of scan"
    );
    let order = rounds(&docs, bytes);
    let as_is = measure(ex, &docs, &order, args.runs);
    print_line("real, as is", &as_is);
    let folded: Vec<Doc> = docs
        .iter()
        .map(|d| Doc {
            raw: ascii_fold(&d.raw),
            ..d.clone()
        })
        .collect();
    let order = rounds(&folded, bytes);
    let ascii = measure(ex, &folded, &order, args.runs);
    print_line("real, folded to ASCII", &ascii);
    let synthetic: Vec<Doc> = (0..200)
        .map(|i| Doc {
            raw: synthetic(i),
            format: Format::Text,
            published: None,
        })
        .collect();
    let order = rounds(&synthetic, bytes);
    print_line(
        "synthetic (templates)",
        &measure(ex, &synthetic, &order, args.runs),
    );
    let per_mb = |f: &Figures| f.extract.0 / f.mb.max(1e-9);
    println!(
        "non-ASCII cost: as is {:.2}x the CPU per MB of the same text folded to ASCII",
        per_mb(&as_is) / per_mb(&ascii).max(1e-12)
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_ascii_and_plains_typography() {
        assert_eq!(ascii_fold("“Café” – it’s…"), "\"Cafe\" - it's...");
        assert!(ascii_fold("日本 Société").is_ascii());
    }

    #[test]
    fn rounds_reach_the_size_and_cycle_through_documents() {
        let docs: Vec<Doc> = ["aaaa", "bb"]
            .iter()
            .map(|t| Doc {
                raw: t.to_string(),
                format: Format::Text,
                published: None,
            })
            .collect();
        assert_eq!(rounds(&docs, 9), vec![0, 1, 0]);
        assert!(rounds(&[], 9).is_empty());
    }
}
