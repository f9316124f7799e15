//! `riskline extract`: events of one document (a file or stdin) or of a JSONL batch,
//! printed as JSON. No database.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::extract::dates::Published;
use crate::extract::{Extractor, Format};
use crate::ingest::source::{batch_kind, parse_jsonl_line, utf8};
use crate::ingest::MAX_DOCUMENT_BYTES;
use crate::registry;

/// Arguments of `riskline extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document to read; `-` or nothing reads standard input.
    pub file: Option<PathBuf>,
    /// Publication date of the document, for relative dates ("on Tuesday"): YYYY-MM-DD,
    /// or YYYY-MM / YYYY when only that much is known (dates worked out from it are then
    /// no more precise).
    #[arg(long, value_name = "DATE", value_parser = Published::parse)]
    pub published_at: Option<Published>,
    /// Format of the document. Feeds and JSONL batches are refused with a hint: use
    /// --jsonl, or `riskline ingest`.
    #[arg(long, default_value = "auto", ignore_case = true, value_parser = format_parser())]
    pub format: Format,
    /// Read a JSONL batch: one `{"id", "text" or "html", "published_at"?, "format"?}` per
    /// line; write one line per input line, in order: `{"id", "events"}`, or
    /// `{"id", "line", "error"}` for a line that could not be read or extracted (the exit
    /// status is then 1), or `{"line", "skipped": "blank line"}` for a blank line.
    #[arg(long, value_name = "FILE", conflicts_with = "file")]
    pub jsonl: Option<PathBuf>,
    /// An extra company registry (SEC JSON or the project CSV) added to the built-in one.
    #[arg(long = "companies", value_name = "FILE")]
    pub companies: Vec<PathBuf>,
}

/// The values of `--format`, listed with their meaning by `--help`.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([
        PossibleValue::new("auto").help("recognised from the content (the default)"),
        PossibleValue::new("text").help("plain text, read byte for byte"),
        PossibleValue::new("html").help("an HTML page or HTML filing document"),
        PossibleValue::new("edgar").help("an SEC EDGAR full-submission text file"),
    ])
    // Only the values above get here, and each is a format.
    .map(|value| value.parse::<Format>().unwrap_or_default())
}

/// An extractor: the shared built-in one, or one built with extra registry files.
pub enum Loaded {
    /// The process-wide extractor over the built-in registry (no extra files given).
    Builtin(&'static Extractor),
    /// An extractor over the built-in registry plus the files given.
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

/// Runs `riskline extract`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ex = extractor(&args.companies)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(path) = &args.jsonl {
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            Box::new(BufReader::new(f))
        };
        let failed = run_batch(&ex, reader, &args, &mut out)?;
        out.flush()?;
        return Ok(if failed > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let (name, reader): (String, Box<dyn Read>) = match &args.file {
        Some(p) if p.as_os_str() != "-" => (
            p.display().to_string(),
            Box::new(
                std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?,
            ),
        ),
        _ => ("standard input".to_string(), Box::new(std::io::stdin())),
    };
    let raw = read_document(reader, &name)?;
    if args.format == Format::Auto {
        if let Some(kind) = batch_kind(raw.as_bytes()) {
            bail!(
                "{name} looks like {kind}, not one document: use `riskline extract --jsonl FILE` \
                 for JSON lines, `riskline ingest FILE` for feeds, or --format text to read it \
                 as plain text anyway"
            );
        }
    }
    let extraction = ex
        .try_extract_from(&raw, args.format, args.published_at, Some(&name))
        .with_context(|| format!("{name}: extraction failed"))?;
    serde_json::to_writer_pretty(
        &mut out,
        &serde_json::json!({ "events": extraction.events }),
    )?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads one whole document of at most [`MAX_DOCUMENT_BYTES`], as UTF-8.
fn read_document(reader: impl Read, name: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        bail!(
            "{name} is larger than {MAX_DOCUMENT_BYTES} bytes ({} MiB), the limit of one document",
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        );
    }
    utf8(bytes).map_err(|reason| anyhow::anyhow!("{name}: {reason}"))
}

/// Extracts every line of a JSONL batch, writing one output line per input line (blank
/// ones included); returns how many lines failed. One bad or failing line never stops the batch.
fn run_batch(
    ex: &Extractor,
    mut reader: impl BufRead,
    args: &Args,
    out: &mut impl Write,
) -> anyhow::Result<usize> {
    let mut failed = 0usize;
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        let read = (&mut reader)
            .take(MAX_DOCUMENT_BYTES + 2)
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read line {number}"))?;
        if read == 0 {
            break;
        }
        let complete = line.last() == Some(&b'\n');
        if !complete && read as u64 > MAX_DOCUMENT_BYTES {
            // Skip the rest of the overlong line.
            let mut rest = Vec::new();
            while {
                rest.clear();
                let n = (&mut reader)
                    .take(1024 * 1024)
                    .read_until(b'\n', &mut rest)?;
                n > 0 && rest.last() != Some(&b'\n')
            } {}
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            // Still one output line, so that output line N answers input line N.
            let skipped = serde_json::json!({ "line": number, "skipped": "blank line" });
            serde_json::to_writer(&mut *out, &skipped)?;
            out.write_all(b"\n")?;
            continue;
        }
        let result = if !complete && read as u64 > MAX_DOCUMENT_BYTES {
            Err((
                None,
                format!(
                    "the line is larger than {MAX_DOCUMENT_BYTES} bytes, the limit of one document"
                ),
            ))
        } else {
            extract_line(ex, &line, args)
        };
        let value = match result {
            Ok(v) => v,
            Err((id, reason)) => {
                failed += 1;
                eprintln!("error: line {number}: {reason}");
                serde_json::json!({ "id": id, "line": number, "error": reason })
            }
        };
        serde_json::to_writer(&mut *out, &value)?;
        out.write_all(b"\n")?;
    }
    Ok(failed)
}

/// The output line of one JSONL input line, or its id (when readable) and why it failed.
fn extract_line(
    ex: &Extractor,
    line: &[u8],
    args: &Args,
) -> Result<serde_json::Value, (Option<serde_json::Value>, String)> {
    let (id, doc) = parse_jsonl_line(line).map_err(|e| (e.id, e.reason))?;
    let published = doc
        .published_at
        .map(crate::ingest::published::Stated::published)
        .or(args.published_at);
    let format = if doc.format == Format::Auto {
        args.format
    } else {
        doc.format
    };
    let origin = doc.url.as_deref().or(doc.origin.as_deref());
    match ex.try_extract_from(&doc.content, format, published, origin) {
        Ok(extraction) => Ok(serde_json::json!({ "id": id, "events": extraction.events })),
        Err(err) => Err((id, format!("extraction failed: {err}"))),
    }
}
