//! Fuzzing on the stable toolchain: every parser and the extractor, on generated
//! and mutated inputs, must return (an answer or an error), never panic.
//!
//! Inputs come from two sources:
//! - generated text rich in what breaks byte arithmetic and parsers: multi-byte
//!   punctuation (dashes, curly quotes, ellipses), combining marks, right-to-left
//!   text, NULs and control characters, emoji, huge tokens, unbalanced and
//!   deeply nested markup, and pieces of the words the extractor looks for;
//! - mutations (cuts, splices, byte flips, insertions of the pieces above) of real
//!   documents: the project's fixtures, and `../shared/eval` and `../shared/data`
//!   when present.
//!
//! Targets: the whole extractor on text, HTML, EDGAR and auto-detected input; the
//! HTML/EDGAR/text normalisers; the date, money and authority finders; RSS/Atom
//! feeds; JSONL lines; publication dates. A panic fails the test and the input is
//! written to `target/fuzz-crashes/` with the seed that made it, to become a
//! regression test.
//!
//! CI runs a bounded slice (`FUZZ_ITERATIONS`, default 300 per target).
//! `scripts/fuzz.sh SECONDS` runs it for a given time (`FUZZ_SECONDS`) in a release
//! build and prints the executions; `docs/reliability.md` records the runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use riskline::extract::dates::Published;
use riskline::extract::{dates, money, normalize, Extractor, Format};

/// Pieces that stress boundaries and parsers.
const PIECES: &[&str] = &[
    "\u{2013}",
    "\u{2014}",
    "\u{2019}",
    "\u{201c}",
    "\u{201d}",
    "\u{2026}",
    "\u{00a0}",
    "\u{0301}",
    "\u{0308}",
    "\u{200b}",
    "\u{200f}",
    "\u{202e}",
    "\u{fffd}",
    "\u{feff}",
    "\0",
    "\r\n",
    "\t",
    "\u{1f600}",
    "مصرف",
    "שלום",
    "日本の",
    "É",
    "ß",
    "İ",
    "<",
    ">",
    "</",
    "<p>",
    "</p>",
    "<div><div><div>",
    "<script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&nbsp;",
    "&#x2013;",
    "&#99999999;",
    "<TYPE>10-K",
    "<DOCUMENT>",
    "</DOCUMENT>",
    "<TEXT>",
    "CONFORMED SUBMISSION TYPE:",
    "FILED AS OF DATE:\t20240101",
    "<item>",
    "</item>",
    "<entry>",
    "<rss>",
    "<feed>",
    "Item 3. Legal Proceedings",
    "Risk Factors",
    " sued ",
    " fined ",
    " recalled ",
    " halted ",
    " suspended ",
    " $1.5 billion ",
    " €20 million ",
    " on Tuesday",
    " May 5, 2024",
    " 21 May 2023",
    " last year",
    " Inc.",
    " Corp.",
    " v. ",
    " the Company ",
    " Boeing ",
    " Apple ",
    " Ford ",
    " the Federal Aviation Administration ",
    " a federal judge ",
    "\n\n",
    ".",
    ",",
    "(",
    ")",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    "\\u0000",
    "-",
    "--",
    "2024-",
    "-13-",
    "T25:00:00Z",
    "+99:00",
];

fn iterations() -> usize {
    std::env::var("FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn deadline() -> Option<Instant> {
    std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(|s| Instant::now() + Duration::from_secs(s))
}

/// Real documents to mutate: fixtures, and `../shared` when present.
fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("fixtures"), &mut files);
    let shared = root.join("../shared");
    if shared.is_dir() {
        collect(&shared.join("eval"), &mut files);
        collect(&shared.join("data/html"), &mut files);
        collect(&shared.join("data/edgar"), &mut files);
    } else {
        eprintln!("note: ../shared not found; mutating the project's fixtures only");
    }
    let mut out = Vec::new();
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if f.extension().is_some_and(|e| e == "jsonl") {
            // Each labelled text is a document of its own.
            for line in text.lines().take(200) {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
                    if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                        out.push(t.to_string());
                    }
                }
            }
        } else if text.len() <= 2_000_000 {
            out.push(text);
        }
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// A generated input of up to `max` pieces and random characters.
fn generate(rng: &mut StdRng, max: usize) -> String {
    let mut s = String::new();
    let n = rng.gen_range(0..max);
    for _ in 0..n {
        match rng.gen_range(0..10) {
            0..=5 => s.push_str(PIECES[rng.gen_range(0..PIECES.len())]),
            6 => s.push(char::from_u32(rng.gen_range(0..0x3000)).unwrap_or('?')),
            7 => s.push_str(&"A".repeat(rng.gen_range(1..5000))),
            8 => s.push_str(&"<b>".repeat(rng.gen_range(1..300))),
            _ => s.push(rng.gen_range(b' '..=b'~') as char),
        }
    }
    s
}

/// A mutation of `seed`: cut, spliced, flipped or sprinkled with pieces.
fn mutate(rng: &mut StdRng, seed: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..rng.gen_range(1..8) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.gen_range(0..bytes.len());
        match rng.gen_range(0..5) {
            0 => bytes.truncate(at),
            1 => {
                let piece = PIECES[rng.gen_range(0..PIECES.len())].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            2 => {
                let len = rng.gen_range(0..200).min(bytes.len() - at);
                bytes.drain(at..at + len);
            }
            3 => bytes[at] = rng.gen(),
            _ => {
                let from = rng.gen_range(0..bytes.len());
                let len = rng.gen_range(0..500).min(bytes.len() - from);
                let chunk: Vec<u8> = bytes[from..from + len].to_vec();
                bytes.splice(at..at, chunk);
            }
        }
    }
    // Inputs reach the parsers as UTF-8 (invalid bytes are refused before them).
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs `target` on inputs until the iterations or the time are spent; a panic
/// saves the input and fails the test. Returns the executions.
fn fuzz(name: &str, target: impl Fn(&str)) -> usize {
    let seeds = seeds();
    let base: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261204);
    let until = deadline();
    let mut runs = 0usize;
    loop {
        match until {
            Some(t) if Instant::now() >= t => break,
            None if runs >= iterations() => break,
            _ => {}
        }
        let seed = base.wrapping_add(runs as u64);
        let mut rng = StdRng::seed_from_u64(seed);
        let input = if !seeds.is_empty() && rng.gen_bool(0.5) {
            let s = &seeds[rng.gen_range(0..seeds.len())];
            mutate(&mut rng, s)
        } else {
            generate(&mut rng, 400)
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(&input)));
        if result.is_err() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("{name}-{seed}.txt"));
            let _ = std::fs::write(&path, &input);
            panic!(
                "{name} panicked on seed {seed}; input saved to {}",
                path.display()
            );
        }
        runs += 1;
    }
    eprintln!("fuzz {name}: {runs} executions, 0 failures");
    runs
}

#[test]
fn the_extractor_never_panics() {
    let ex = Extractor::builtin();
    let published = chrono::NaiveDate::from_ymd_opt(2024, 3, 6);
    fuzz("extract", |input| {
        for format in [Format::Auto, Format::Text, Format::Html, Format::Edgar] {
            let _ = ex.extract(input, format, published);
        }
    });
}

#[test]
fn the_normalisers_and_finders_never_panic() {
    fuzz("normalize", |input| {
        for format in [Format::Auto, Format::Text, Format::Html, Format::Edgar] {
            let _ = normalize::normalize(input, format);
        }
        let _ = dates::resolve_all(
            input,
            &dates::find_dates(input),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29),
        );
        let _ = money::find_amounts(input);
        let _ = riskline::extract::authorities::find_authorities(input);
        let _ = riskline::extract::text::Segmented::new(input);
    });
}

#[test]
fn feeds_jsonl_lines_and_dates_never_panic() {
    fuzz("inputs", |input| {
        let _ = riskline::ingest::feed::parse(input);
        let _ = riskline::ingest::source::parse_jsonl_line(input.as_bytes());
        let json_line = serde_json::json!({"id": 1, "text": input, "published_at": input});
        let _ = riskline::ingest::source::parse_jsonl_line(json_line.to_string().as_bytes());
        let _ = riskline::ingest::published::parse_stated(input);
        let _ = Published::parse(input);
        for line in input.lines().take(5) {
            let _ = riskline::ingest::published::parse_stated(line);
            let _ = Published::parse(line);
            // What the poller of live sources reads off the wire.
            let _ = riskline::watch::http::parse_retry_after(line);
            let _ = riskline::watch::spec::parse_interval(line);
            let _ = riskline::watch::edgar::filing_of_entry(Some(line), line);
        }
        let _ = riskline::watch::edgar::parse_submissions(input, 1);
    });
}
