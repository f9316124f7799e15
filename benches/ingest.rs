//! Ingest throughput and memory, end to end, beside extract-only throughput of
//! the same corpus.
//!
//! ```text
//! cargo bench --bench ingest                      # 5,000, 10,000 and 20,000 documents
//! cargo bench --bench ingest -- --sizes 2000,50000
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench ingest
//! ```
//!
//! The corpus is generated (`tests/ingest_corpus`: templates × companies × event
//! phrasings × dates, a quarter of the documents reporting an event of an earlier
//! one in other words) and streamed to a JSONL file per size; nothing holds it in
//! memory. Then:
//!
//! 1. extract-only: the extractor over the built-in registry runs on every
//!    document of the largest corpus, on one thread, in this process;
//! 2. ingest: the release `riskline ingest` binary stores each corpus into a fresh
//!    SQLite file and a fresh PostgreSQL database (created on the server of
//!    `BENCH_DATABASE_URL`, else `TEST_DATABASE_URL`, else the local default;
//!    skipped when unreachable); the time is the wall time of the process, its
//!    peak memory is `VmHWM` (via `/usr/bin/time` when present, else sampled
//!    from `/proc/PID/status`);
//! 3. re-ingest: the largest corpus again into its SQLite database (all known).

#[path = "../tests/ingest_corpus/mod.rs"]
mod corpus;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use riskline::extract::{Extractor, Format};

const DEFAULT_SIZES: [usize; 3] = [5_000, 10_000, 20_000];

fn sizes() -> Vec<usize> {
    let args: Vec<String> = std::env::args().collect();
    let given = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(|s| {
            s.split(',')
                .filter_map(|n| n.trim().replace('_', "").parse().ok())
                .collect::<Vec<usize>>()
        });
    let mut sizes = given
        .filter(|s| !s.is_empty())
        .unwrap_or(DEFAULT_SIZES.to_vec());
    sizes.sort_unstable();
    sizes.dedup();
    sizes
}

/// Streams documents `0..n` into a JSONL file; returns the bytes of text.
fn write_corpus(path: &Path, n: usize) -> u64 {
    let file = std::fs::File::create(path).expect("corpus file");
    let mut out = BufWriter::new(file);
    let mut bytes = 0;
    for i in 0..n {
        let doc = corpus::document(i);
        bytes += doc.text.len() as u64;
        let line = serde_json::json!({"id": doc.name, "text": doc.text});
        writeln!(out, "{line}").expect("write corpus");
    }
    out.flush().expect("flush corpus");
    bytes
}

struct Extracted {
    seconds: f64,
    events: usize,
}

fn extract_only_best(n: usize) -> Extracted {
    (0..RUNS + 1)
        .map(|_| extract_only(n))
        .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
        .expect("a run")
}

fn extract_only(n: usize) -> Extracted {
    let extractor = Extractor::new(riskline::registry::builtin());
    let mut spent = Duration::ZERO;
    let mut events = 0;
    for i in 0..n {
        let doc = corpus::document(i);
        let started = Instant::now();
        let out = extractor.extract(&doc.text, Format::Text, None);
        spent += started.elapsed();
        events += out.events.len();
    }
    Extracted {
        seconds: spent.as_secs_f64(),
        events,
    }
}

struct Ingested {
    seconds: f64,
    /// VmHWM: the peak resident set, file-backed pages (SQLite's memory map) included.
    peak_kib: u64,
    /// The peak of RssAnon sampled every 20 ms: heap and stacks.
    peak_anon_kib: u64,
    /// CPU seconds (user + system) of the process, when `/usr/bin/time` tells.
    cpu_seconds: Option<f64>,
    summary: serde_json::Value,
}

fn riskline(url: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_riskline"))
        .args(args)
        .env("DATABASE_URL", url)
        .output()
        .expect("run riskline");
    assert!(
        out.status.success(),
        "riskline {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A field of a running process's `/proc/PID/status`, in KiB.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The child to measure: `riskline` itself, or `riskline` under `/usr/bin/time`.
fn measured_pid(child: &std::process::Child) -> u32 {
    let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", child.id()))
        .unwrap_or_default();
    children
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(child.id())
}

fn ingest(url: &str, corpus: &Path, scratch: &Path) -> Ingested {
    let time = Path::new("/usr/bin/time");
    let measured = scratch.join("time.out");
    let corpus = corpus.display().to_string();
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M %U %S", "-o"])
            .arg(&measured)
            .arg(env!("CARGO_BIN_EXE_riskline"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_riskline"))
    };
    command
        .args(["ingest", "--json", &corpus])
        .env("DATABASE_URL", url)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let started = Instant::now();
    let mut child = command.spawn().expect("spawn riskline ingest");
    let (mut sampled, mut anon) = (0, 0);
    while child.try_wait().expect("wait").is_none() {
        let pid = measured_pid(&child);
        if let Some(kib) = status_kib(pid, "VmHWM:") {
            sampled = sampled.max(kib);
        }
        if let Some(kib) = status_kib(pid, "RssAnon:") {
            anon = anon.max(kib);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let seconds = started.elapsed().as_secs_f64();
    let out = child.wait_with_output().expect("output");
    assert!(out.status.success(), "ingest failed: {out:?}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    let measures: Vec<f64> = std::fs::read_to_string(&measured)
        .ok()
        .and_then(|s| s.trim().lines().last().map(str::to_string))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let _ = std::fs::remove_file(&measured);
    let (peak_kib, cpu_seconds) = match measures.as_slice() {
        [kib, user, system] => (*kib as u64, Some(user + system)),
        _ => (sampled, None),
    };
    Ingested {
        seconds,
        peak_kib,
        peak_anon_kib: anon,
        cpu_seconds,
        summary,
    }
}

/// The faster of `RUNS` runs, each into a database made fresh by `fresh`; the
/// peaks are the largest seen.
fn best_of(
    fresh: &mut dyn FnMut() -> (String, Option<PgDb>),
    corpus: &Path,
    scratch: &Path,
) -> Ingested {
    let mut best: Option<Ingested> = None;
    for _ in 0..RUNS {
        let (url, _keep) = fresh();
        let run = ingest(&url, corpus, scratch);
        best = Some(match best {
            None => run,
            Some(b) => {
                let (peak, anon) = (
                    b.peak_kib.max(run.peak_kib),
                    b.peak_anon_kib.max(run.peak_anon_kib),
                );
                let mut faster = if run.seconds < b.seconds { run } else { b };
                faster.peak_kib = peak;
                faster.peak_anon_kib = anon;
                faster
            }
        });
    }
    best.expect("at least one run")
}

/// Runs of each measurement; the fastest counts (the machine is shared).
const RUNS: usize = 2;

/// A fresh PostgreSQL database on the benchmark server, dropped on drop.
struct PgDb {
    admin: String,
    name: String,
    url: String,
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

fn server_url() -> String {
    ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

fn pg_database(tag: &str) -> Option<PgDb> {
    let admin = server_url();
    let mut conn = match PgConnection::establish(&admin) {
        Ok(conn) => conn,
        Err(e) => {
            eprintln!("PostgreSQL skipped: {e}");
            return None;
        }
    };
    let name = format!("riskline_bench_{}_{tag}", std::process::id());
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .expect("create benchmark database");
    let base = admin.split('?').next().unwrap_or(&admin);
    let cut = base.rfind('/').map_or(base.len(), |i| i);
    let url = format!("{}/{name}", &base[..cut]);
    Some(PgDb { admin, name, url })
}

fn row(label: &str, docs: usize, bytes: u64, run: &Ingested, extract_rate: f64) {
    let rate = docs as f64 / run.seconds;
    let cpu = run
        .cpu_seconds
        .map_or("?".to_string(), |c| format!("{:.0}", 1e6 * c / docs as f64));
    println!(
        "| {label} | {docs} | {:.2} | {:.0} | {:.2} | {:.0} % | {cpu} | {:.0} | {:.0} | {} / {} |",
        run.seconds,
        rate,
        bytes as f64 / 1e6 / run.seconds,
        100.0 * rate / extract_rate,
        run.peak_kib as f64 / 1024.0,
        run.peak_anon_kib as f64 / 1024.0,
        run.summary["events"]["created"],
        run.summary["events"]["merged"],
    );
}

fn main() {
    let sizes = sizes();
    let largest = *sizes.last().expect("a size");
    let scratch = std::env::temp_dir().join(format!("riskline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    let corpora: Vec<(usize, PathBuf, u64)> = sizes
        .iter()
        .map(|&n| {
            let path = scratch.join(format!("corpus-{n}.jsonl"));
            let bytes = write_corpus(&path, n);
            (n, path, bytes)
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("riskline ingest benchmark: {cores} cores, release build\n");

    println!("load average before: {}", load_average());
    let extracted = extract_only_best(largest);
    let largest_bytes = corpora.last().map_or(0, |c| c.2);
    let extract_rate = largest as f64 / extracted.seconds;
    println!(
        "extract-only, {largest} documents, one thread: {:.2} s, {extract_rate:.0} documents/s, \
         {:.2} MB/s, {:.0} CPU µs/doc, {} events\n",
        extracted.seconds,
        largest_bytes as f64 / 1e6 / extracted.seconds,
        1e6 * extracted.seconds / largest as f64,
        extracted.events
    );

    println!(
        "| backend | documents | seconds | documents/s | MB/s | of extract-only | \
         CPU µs/doc | peak RSS MiB (VmHWM) | peak anon MiB | events created / merged |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut last_sqlite = None;
    for (n, path, bytes) in &corpora {
        let mut attempt = 0;
        let mut fresh = || {
            attempt += 1;
            let url = scratch
                .join(format!("sqlite-{n}-{attempt}.db"))
                .display()
                .to_string();
            riskline(&url, &["companies", "list", "--limit", "1"]);
            last_sqlite = Some(url.clone());
            (url, None)
        };
        let run = best_of(&mut fresh, path, &scratch);
        row("SQLite", *n, *bytes, &run, extract_rate);
    }
    let pg_reachable = PgConnection::establish(&server_url())
        .map_err(|e| {
            eprintln!(
                "PostgreSQL skipped ({}): {e}",
                riskline::store::redact(&server_url())
            )
        })
        .is_ok();
    if pg_reachable {
        for (n, path, bytes) in &corpora {
            let mut attempt = 0;
            let mut fresh = || {
                attempt += 1;
                let pg = pg_database(&format!("{n}_{attempt}")).expect("a benchmark database");
                riskline(&pg.url, &["migrate"]);
                riskline(&pg.url, &["companies", "list", "--limit", "1"]);
                (pg.url.clone(), Some(pg))
            };
            let run = best_of(&mut fresh, path, &scratch);
            row("PostgreSQL", *n, *bytes, &run, extract_rate);
        }
    }
    if let (Some(url), Some((n, path, bytes))) = (last_sqlite, corpora.last()) {
        let run = ingest(&url, path, &scratch);
        row("SQLite, again (all known)", *n, *bytes, &run, extract_rate);
    }
    println!("\nload average after: {}", load_average());
    let _ = std::fs::remove_dir_all(&scratch);
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
