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
    peak_kib: u64,
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

/// The peak resident memory of a running process, in KiB.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn ingest(url: &str, corpus: &Path, scratch: &Path) -> Ingested {
    let time = Path::new("/usr/bin/time");
    let measured = scratch.join("time.out");
    let corpus = corpus.display().to_string();
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M", "-o"])
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
    let mut sampled = 0;
    while child.try_wait().expect("wait").is_none() {
        if let Some(kib) = vm_hwm(child.id()) {
            sampled = sampled.max(kib);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let seconds = started.elapsed().as_secs_f64();
    let out = child.wait_with_output().expect("output");
    assert!(out.status.success(), "ingest failed: {out:?}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    let peak_kib = std::fs::read_to_string(&measured)
        .ok()
        .and_then(|s| s.trim().lines().last()?.trim().parse().ok())
        .unwrap_or(sampled);
    Ingested {
        seconds,
        peak_kib,
        summary,
    }
}

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
    println!(
        "| {label} | {docs} | {:.1} | {:.0} | {:.2} | {:.0} % | {:.0} | {} / {} |",
        run.seconds,
        rate,
        bytes as f64 / 1e6 / run.seconds,
        100.0 * rate / extract_rate,
        run.peak_kib as f64 / 1024.0,
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

    let extracted = extract_only(largest);
    let largest_bytes = corpora.last().map_or(0, |c| c.2);
    let extract_rate = largest as f64 / extracted.seconds;
    println!(
        "extract-only, {largest} documents, one thread: {:.1} s, {extract_rate:.0} documents/s, \
         {:.2} MB/s, {} events\n",
        extracted.seconds,
        largest_bytes as f64 / 1e6 / extracted.seconds,
        extracted.events
    );

    println!("| backend | documents | seconds | documents/s | MB/s | of extract-only | peak RSS MiB | events created / merged |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    let mut last_sqlite = None;
    for (n, path, bytes) in &corpora {
        let db = scratch.join(format!("sqlite-{n}.db"));
        let url = db.display().to_string();
        riskline(&url, &["companies", "list", "--limit", "1"]);
        let run = ingest(&url, path, &scratch);
        row("SQLite", *n, *bytes, &run, extract_rate);
        last_sqlite = Some((url, path.clone(), *n, *bytes));
    }
    for (n, path, bytes) in &corpora {
        let Some(pg) = pg_database(&n.to_string()) else {
            break;
        };
        riskline(&pg.url, &["migrate"]);
        riskline(&pg.url, &["companies", "list", "--limit", "1"]);
        let run = ingest(&pg.url, path, &scratch);
        row("PostgreSQL", *n, *bytes, &run, extract_rate);
    }
    if let Some((url, path, n, bytes)) = last_sqlite {
        let run = ingest(&url, &path, &scratch);
        row("SQLite, again (all known)", n, bytes, &run, extract_rate);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
