//! `riskline extract`: events of one document (a file or stdin) or of a JSONL batch,
//! printed as JSON. No database.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::extract::{Extractor, Format};
use crate::registry;

/// Arguments of `riskline extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document to read; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// Publication date of the document (YYYY-MM-DD), for relative dates ("on Tuesday").
    #[arg(long, value_name = "DATE")]
    pub published_at: Option<String>,
    /// Format of the document.
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    pub format: Format,
    /// Read a JSONL batch: one `{"id", "text", "published_at"?, "format"?}` per line; write
    /// one `{"id", "events"}` line per input line, in order.
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    pub jsonl: Option<PathBuf>,
    /// An extra company registry (SEC JSON or the project CSV) added to the built-in one.
    #[arg(long = "companies", value_name = "FILE")]
    pub companies: Vec<PathBuf>,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
        .map_err(|e: crate::extract::normalize::ParseFormatError| e.to_string())
}

/// Parses a `--published-at` value or says which value is wrong.
pub fn parse_date(s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("invalid date {s:?}: expected YYYY-MM-DD"))
}

/// An extractor: the shared built-in one, or one built with extra registry files.
pub enum Loaded {
    Builtin(&'static Extractor),
    Custom(Box<Extractor>),
}

impl std::ops::Deref for Loaded {
    type Target = Extractor;
    fn deref(&self) -> &Extractor {
        match self {
            Loaded::Builtin(e) => e,
            Loaded::Custom(e) => e,
        }
    }
}

/// The extractor over the built-in registry plus extra registry files.
pub fn extractor(files: &[PathBuf]) -> anyhow::Result<Loaded> {
    if files.is_empty() {
        return Ok(Loaded::Builtin(Extractor::builtin()));
    }
    let mut records = registry::builtin().to_vec();
    for f in files {
        let extra = registry::load_file(f)?;
        registry::merge(&mut records, extra);
    }
    Ok(Loaded::Custom(Box::new(Extractor::new(&records))))
}

#[derive(Debug, Deserialize)]
struct BatchLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

pub fn run(_global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let published = args.published_at.as_deref().map(parse_date).transpose()?;
    let ex = extractor(&args.companies)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(path) = &args.jsonl {
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            Box::new(std::io::BufReader::new(f))
        };
        let mut failed = 0usize;
        for (i, line) in reader.lines().enumerate() {
            let n = i + 1;
            let line = line.with_context(|| format!("cannot read line {n}"))?;
            if line.trim().is_empty() {
                continue;
            }
            match process_line(&ex, &line, published, args.format) {
                Ok(v) => {
                    serde_json::to_writer(&mut out, &v)?;
                    out.write_all(b"\n")?;
                }
                Err(e) => {
                    failed += 1;
                    out.flush()?;
                    eprintln!("error: line {n}: {e:#}");
                }
            }
        }
        out.flush()?;
        return Ok(if failed > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let mut raw = String::new();
    match &args.file {
        Some(p) if p.as_os_str() != "-" => {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            raw = String::from_utf8_lossy(&bytes).into_owned();
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            raw.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    let extraction = ex.extract(&raw, args.format, published);
    serde_json::to_writer_pretty(
        &mut out,
        &serde_json::json!({ "events": extraction.events }),
    )?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn process_line(
    ex: &Extractor,
    line: &str,
    default_published: Option<NaiveDate>,
    default_format: Format,
) -> anyhow::Result<serde_json::Value> {
    let item: BatchLine =
        serde_json::from_str(line).context("not a valid JSON object with \"id\" and \"text\"")?;
    let published = match item.published_at.as_deref() {
        Some(s) if !s.trim().is_empty() => Some(parse_date(s)?),
        _ => default_published,
    };
    let format = match item.format.as_deref() {
        Some(f) => f.parse::<Format>().map_err(anyhow::Error::msg)?,
        None => default_format,
    };
    let extraction = ex.extract(&item.text, format, published);
    Ok(serde_json::json!({ "id": item.id, "events": extraction.events }))
}
