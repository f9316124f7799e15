//! Reading what is to be ingested: files, directories, standard input, JSONL
//! batches and feeds, as a stream of raw documents (or of reasons why a file or
//! line could not be read), in a deterministic order.
//!
//! Nothing here knows the database or the extractor: a [`RawDocument`] is the
//! text of one document with the metadata its container gave it.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::feed;
use super::published;
use crate::extract::Format;
use crate::store::models::{DocumentFormat, SourceKind};

/// One document as read, before extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    /// How reports name it: the path, `path:LINE` for a JSONL line, `path#N` for a feed item.
    pub name: String,
    /// The content: text, HTML or an EDGAR submission.
    pub content: String,
    /// What the content is written in (what the extractor is told).
    pub format: Format,
    /// The container it came in (what `documents.format` records).
    pub container: DocumentFormat,
    /// Where the document comes from, as its container states (a feed item's link, a JSONL `url`); `None` when not stated.
    pub url: Option<String>,
    /// Where it came from when that is not a web address: the file's path, or a
    /// JSONL line's `source` origin (a repository path, say). A filing's origin can
    /// name its filer (see [`crate::extract::normalize::filer_hint`]).
    pub origin: Option<String>,
    /// Title as its container states; `None` when not stated (ingest may then take one from the content).
    pub title: Option<String>,
    /// The publication time the container states, if any.
    pub published_at: Option<published::Stated>,
    /// The kind of source the container states, if any.
    pub source: Option<SourceKind>,
    /// Size in the input (file, line or item), for progress.
    pub input_bytes: u64,
}

/// Something that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unreadable {
    pub(crate) name: String,
    pub(crate) reason: String,
    pub(crate) input_bytes: u64,
}

/// What reading yields, in input order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Document(Box<RawDocument>),
    Failed(Unreadable),
}

/// A source named on the command line, resolved: a file (found directly or by
/// walking a directory), standard input, or a path that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    File { path: PathBuf, len: u64 },
    Stdin,
    Missing { name: String, reason: String },
}

impl Source {
    /// Bytes to read, when known beforehand.
    pub(crate) fn bytes(&self) -> u64 {
        match self {
            Source::File { len, .. } => *len,
            _ => 0,
        }
    }
}

/// Resolves command-line paths into sources: `-` is standard input, a directory
/// is walked recursively in byte order of names (hidden entries, whose name starts
/// with `.`, files of other types than [`DOCUMENT_EXTENSIONS`] and symbolic links
/// to directories are skipped), a file is itself.
pub(crate) fn plan(paths: &[PathBuf]) -> Vec<Source> {
    let mut sources = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut sources),
            Ok(meta) => sources.push(Source::File {
                path: path.clone(),
                len: meta.len(),
            }),
            Err(e) => sources.push(Source::Missing {
                name: path.display().to_string(),
                reason: io_reason(&e),
            }),
        }
    }
    sources
}

fn walk(dir: &Path, sources: &mut Vec<Source>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            sources.push(Source::Missing {
                name: dir.display().to_string(),
                reason: format!("cannot list directory: {}", io_reason(&e)),
            });
            return;
        }
    };
    let mut names: Vec<(Vec<u8>, PathBuf)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let name = entry.file_name();
                let bytes = name.as_encoded_bytes().to_vec();
                if bytes.first() != Some(&b'.') {
                    names.push((bytes, entry.path()));
                }
            }
            Err(e) => sources.push(Source::Missing {
                name: dir.display().to_string(),
                reason: format!("cannot list directory: {}", io_reason(&e)),
            }),
        }
    }
    names.sort();
    for (_, path) in names {
        let meta = std::fs::symlink_metadata(&path);
        if meta.as_ref().is_ok_and(|m| !m.is_dir()) && !is_document_name(&path) {
            tracing::debug!(path = %path.display(), "skipped: not a document file");
            continue;
        }
        match meta {
            Ok(meta) if meta.is_dir() => walk(&path, sources),
            Ok(meta) if meta.file_type().is_symlink() => match std::fs::metadata(&path) {
                Ok(target) if target.is_file() => sources.push(Source::File {
                    len: target.len(),
                    path,
                }),
                // A link to a directory could loop; a dangling one is reported.
                Ok(_) => {}
                Err(e) => sources.push(Source::Missing {
                    name: path.display().to_string(),
                    reason: io_reason(&e),
                }),
            },
            Ok(meta) if meta.is_file() => sources.push(Source::File {
                len: meta.len(),
                path,
            }),
            Ok(_) => {}
            Err(e) => sources.push(Source::Missing {
                name: path.display().to_string(),
                reason: io_reason(&e),
            }),
        }
    }
}

/// Extensions of the files a directory walk reads; other files in a directory
/// (a README, a spreadsheet, an image) are skipped. A file named on the command
/// line is read whatever its name.
const DOCUMENT_EXTENSIONS: [&str; 10] = [
    "txt", "text", "htm", "html", "xml", "rss", "atom", "jsonl", "ndjson", "nc",
];

fn is_document_name(path: &Path) -> bool {
    match path.extension() {
        None => true,
        Some(ext) => {
            let ext = ext.to_string_lossy().to_ascii_lowercase();
            DOCUMENT_EXTENSIONS.contains(&ext.as_str())
        }
    }
}

/// An I/O error as a short reason, without the path (reports name it already).
fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "not found".to_string(),
        io::ErrorKind::PermissionDenied => "cannot read: permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

fn too_large(len: u64, limit: u64) -> String {
    format!(
        "too large: {len} bytes (the limit is {limit} bytes, {} MiB, per document)",
        limit / (1024 * 1024)
    )
}

/// Reads one source and hands each document (or failure) to `sink`, in order.
/// `sink` returns `false` to stop early.
pub(crate) fn read(source: &Source, limit: u64, sink: &mut dyn FnMut(Item) -> bool) {
    match source {
        Source::Missing { name, reason } => {
            sink(Item::Failed(Unreadable {
                name: name.clone(),
                reason: reason.clone(),
                input_bytes: 0,
            }));
        }
        Source::Stdin => read_stdin(limit, sink),
        Source::File { path, len } => read_file(path, *len, limit, sink),
    }
}

/// What a file holds, from its name and first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Jsonl,
    Feed,
    Document,
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether the start of a content looks like an RSS or Atom feed.
fn looks_like_feed(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head.get(..2048).unwrap_or(head)).to_ascii_lowercase();
    head.contains("<rss") || head.contains("<feed")
}

/// Whether the start of a content looks like JSON lines.
fn looks_like_jsonl(head: &[u8]) -> bool {
    head.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{')
}

fn container_of(path: &Path, head: &[u8]) -> Container {
    match extension(path).as_str() {
        "jsonl" | "ndjson" => Container::Jsonl,
        "rss" | "atom" => Container::Feed,
        "xml" if looks_like_feed(head) => Container::Feed,
        "txt" | "htm" | "html" | "xml" => Container::Document,
        _ if looks_like_feed(head) => Container::Feed,
        _ if looks_like_jsonl(head) => Container::Jsonl,
        _ => Container::Document,
    }
}

fn read_file(path: &Path, len: u64, limit: u64, sink: &mut dyn FnMut(Item) -> bool) {
    let name = path.display().to_string();
    let fail = |reason: String| {
        Item::Failed(Unreadable {
            name: name.clone(),
            reason,
            input_bytes: len,
        })
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => {
            sink(fail(io_reason(&e)));
            return;
        }
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let head = match reader.fill_buf() {
        Ok(head) => head.to_vec(),
        Err(e) => {
            sink(fail(io_reason(&e)));
            return;
        }
    };
    let container = container_of(path, &head);
    if container == Container::Jsonl {
        read_jsonl(&name, reader, limit, sink);
        return;
    }
    // Documents and feeds are read whole.
    if len > limit {
        sink(fail(too_large(len, limit)));
        return;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    if let Err(e) = reader.take(limit + 1).read_to_end(&mut bytes) {
        sink(fail(io_reason(&e)));
        return;
    }
    let read_len = bytes.len() as u64;
    if read_len > limit {
        sink(fail(too_large(read_len, limit)));
        return;
    }
    let text = match utf8(bytes) {
        Ok(text) => text,
        Err(reason) => {
            sink(fail(reason));
            return;
        }
    };
    match container {
        Container::Feed => read_feed(&name, &text, read_len, limit, sink),
        _ => {
            let format = document_format(&text, &extension(path));
            sink(document(name.clone(), text, format, read_len));
        }
    }
}

fn read_stdin(limit: u64, sink: &mut dyn FnMut(Item) -> bool) {
    let name = "-".to_string();
    let mut reader = BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let head = match reader.fill_buf() {
        Ok(head) => head.to_vec(),
        Err(e) => {
            sink(Item::Failed(Unreadable {
                name,
                reason: io_reason(&e),
                input_bytes: 0,
            }));
            return;
        }
    };
    if !looks_like_feed(&head) && looks_like_jsonl(&head) {
        read_jsonl(&name, reader, limit, sink);
        return;
    }
    let mut bytes = Vec::new();
    let result = reader.take(limit + 1).read_to_end(&mut bytes);
    let len = bytes.len() as u64;
    let reason = match result {
        Err(e) => Some(io_reason(&e)),
        Ok(_) if len > limit => Some(too_large(len, limit)),
        Ok(_) => None,
    };
    if let Some(reason) = reason {
        sink(Item::Failed(Unreadable {
            name,
            reason,
            input_bytes: len,
        }));
        return;
    }
    match utf8(bytes) {
        Ok(text) if looks_like_feed(text.as_bytes()) => read_feed(&name, &text, len, limit, sink),
        Ok(text) => {
            let format = document_format(&text, "");
            sink(document(name, text, format, len));
        }
        Err(reason) => {
            sink(Item::Failed(Unreadable {
                name,
                reason,
                input_bytes: len,
            }));
        }
    }
}

/// Decodes UTF-8, dropping a byte-order mark; the reason names the first bad byte.
///
/// This is riskline's one policy for text that is not UTF-8, at every entry point
/// (files, JSONL lines, `extract`, `POST /documents`): it is refused, with the
/// offset of the first bad byte, never decoded lossily; a batch goes on with the
/// rest and reports it.
pub fn utf8(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); riskline reads UTF-8 only: \
             convert it first (e.g. iconv -f windows-1252 -t utf-8)",
            e.utf8_error().valid_up_to()
        )
    })
}

/// What a content holds when it is not one document: `Some("an RSS or Atom
/// feed")` or `Some("JSON lines")`, judged from its first bytes.
pub fn batch_kind(head: &[u8]) -> Option<&'static str> {
    if looks_like_feed(head) {
        Some("an RSS or Atom feed")
    } else if looks_like_jsonl(head) {
        Some("JSON lines")
    } else {
        None
    }
}

/// Whether `text` is an `http://` or `https://` address.
fn is_web_address(text: &str) -> bool {
    let t = text.trim();
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !t.chars().any(char::is_whitespace)
}

/// Whether a standalone document is an EDGAR submission, HTML or plain text.
pub fn document_format(text: &str, extension: &str) -> Format {
    let head: String = text
        .get(..text.len().min(4096))
        .unwrap_or_else(|| head_on_boundary(text, 4096))
        .to_ascii_lowercase();
    let edgar = head.contains("<sec-document>")
        || head.contains("<sec-header>")
        || head.contains("<ims-header>")
        || (head.contains("accession number:") && head.contains("conformed submission type:"));
    if edgar {
        return Format::Edgar;
    }
    let start = head.trim_start();
    let html = matches!(extension, "html" | "htm")
        || start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || (start.starts_with('<') && head.contains("<body"));
    if html {
        Format::Html
    } else {
        Format::Text
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn head_on_boundary(text: &str, max: usize) -> &str {
    let end = crate::extract::span::floor(text, max);
    text.get(..end).unwrap_or_default()
}

/// The `documents.format` of a document given on its own: text, HTML or EDGAR.
pub(crate) fn container_format(format: Format) -> DocumentFormat {
    match format {
        Format::Html => DocumentFormat::Html,
        Format::Edgar => DocumentFormat::Edgar,
        Format::Text | Format::Auto => DocumentFormat::Text,
    }
}

/// Why a content cannot be a document, if it cannot: blank, or binary (a NUL
/// byte, which no text has and PostgreSQL cannot store).
pub fn check_content(content: &str) -> Result<(), String> {
    if let Some(at) = content.find('\0') {
        return Err(format!("binary content (NUL byte at offset {at})"));
    }
    if content.trim().is_empty() {
        return Err("empty document".to_string());
    }
    Ok(())
}

fn document(name: String, content: String, format: Format, len: u64) -> Item {
    if let Err(reason) = check_content(&content) {
        return Item::Failed(Unreadable {
            name,
            reason,
            input_bytes: len,
        });
    }
    Item::Document(Box::new(RawDocument {
        origin: Some(name.clone()),
        name,
        container: container_format(format),
        format,
        content,
        url: None,
        title: None,
        published_at: None,
        source: None,
        input_bytes: len,
    }))
}

/// Midnight of a date: how a publication day without time is stored.
pub fn at_midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(chrono::NaiveTime::MIN)
}

// ---------------------------------------------------------------- JSONL

/// One line of a JSONL batch (its `id` is read apart, as any JSON value); other
/// fields are ignored.
#[derive(Debug, Deserialize)]
struct JsonlLine {
    url: Option<String>,
    title: Option<String>,
    published_at: Option<String>,
    source: Option<String>,
    /// The source kind under the name labelled sets use (their `source` is the origin).
    kind: Option<String>,
    text: Option<String>,
    html: Option<String>,
    format: Option<String>,
}

/// Reads a JSONL batch line by line (never the whole file): each line is one
/// document, or one failure named `NAME:LINE`. Blank lines are skipped.
fn read_jsonl(
    name: &str,
    mut reader: impl BufRead,
    limit: u64,
    sink: &mut dyn FnMut(Item) -> bool,
) {
    let mut number = 0u64;
    let mut line = Vec::new();
    loop {
        number += 1;
        line.clear();
        let (read, overflow) = match read_line_limited(&mut reader, &mut line, limit) {
            Ok(result) => result,
            Err(e) => {
                sink(Item::Failed(Unreadable {
                    name: format!("{name}:{number}"),
                    reason: io_reason(&e),
                    input_bytes: 0,
                }));
                return;
            }
        };
        if read == 0 {
            return;
        }
        let line_name = format!("{name}:{number}");
        let item = if overflow {
            Item::Failed(Unreadable {
                name: line_name,
                reason: too_large(read, limit),
                input_bytes: read,
            })
        } else if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        } else {
            jsonl_item(line_name, &line, read)
        };
        if !sink(item) {
            return;
        }
    }
}

/// Reads up to and including the next newline into `line`, keeping at most
/// `limit` bytes; returns the bytes consumed and whether the line was longer.
fn read_line_limited(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    limit: u64,
) -> io::Result<(u64, bool)> {
    let mut consumed = 0u64;
    let mut overflow = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((consumed, overflow));
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let n = chunk.len();
        if !overflow {
            if (line.len() + n) as u64 > limit + 1 {
                overflow = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        consumed += n as u64;
        reader.consume(n);
        if done {
            // The newline itself does not count against the limit.
            if !overflow && line.len() as u64 > limit + 1 {
                overflow = true;
            }
            return Ok((consumed, overflow));
        }
    }
}

fn jsonl_item(name: String, line: &[u8], len: u64) -> Item {
    let named = |id: &Option<serde_json::Value>| match id {
        Some(serde_json::Value::String(id)) => format!("{name} (id {id})"),
        Some(serde_json::Value::Null) | None => name.clone(),
        Some(other) => format!("{name} (id {other})"),
    };
    match parse_jsonl_line(line) {
        Ok((id, mut doc)) => {
            doc.name = named(&id);
            doc.input_bytes = len;
            Item::Document(Box::new(doc))
        }
        Err(LineError { id, reason }) => Item::Failed(Unreadable {
            name: named(&id),
            reason,
            input_bytes: len,
        }),
    }
}

/// Why a JSONL line is not a document, with its `id` when the line has one.
#[derive(Debug, Clone, PartialEq)]
pub struct LineError {
    /// The line's `id` field, any JSON value; `None` when the line has none or is not an object.
    pub id: Option<serde_json::Value>,
    /// Why the line is not a document, in plain words.
    pub reason: String,
}

/// One JSONL line as a document and its `id` (any JSON value), or why it cannot
/// be one, in plain words: bad UTF-8 (with the offset), bad JSON (with line and
/// column), a line that is not an object, or the field at fault.
///
/// ```
/// use riskline::ingest::source::parse_jsonl_line;
/// let (id, doc) = parse_jsonl_line(br#"{"id": 7, "text": "Acme was sued.", "published_at": "2021-10"}"#).unwrap();
/// assert_eq!(id, Some(serde_json::json!(7)));
/// assert_eq!(doc.content, "Acme was sued.");
/// assert!(parse_jsonl_line(b"[1, 2]").unwrap_err().reason.contains("JSON object"));
/// let err = parse_jsonl_line(br#"{"id": "x", "text": 5}"#).unwrap_err();
/// assert!(err.reason.starts_with("text: "));
/// assert_eq!(err.id, Some(serde_json::json!("x")));
/// ```
pub fn parse_jsonl_line(
    line: &[u8],
) -> Result<(Option<serde_json::Value>, RawDocument), LineError> {
    let bare = |reason: String| LineError { id: None, reason };
    let line = line.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(line);
    let text = std::str::from_utf8(line).map_err(|e| {
        bare(format!(
            "not UTF-8 text (invalid byte at offset {}); riskline reads UTF-8 only",
            e.valid_up_to()
        ))
    })?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bare(format!("malformed JSON: {e}")))?;
    let id = value.get("id").cloned();
    if !value.is_object() {
        return Err(bare(format!(
            "each line must be a JSON object such as {{\"id\": 1, \"text\": \"...\"}}, not {}",
            json_kind(&value)
        )));
    }
    let parsed: JsonlLine = serde_path_to_error::deserialize(value).map_err(|e| LineError {
        id: id.clone(),
        reason: format!("{}: {}", e.path(), e.inner()),
    })?;
    match jsonl_document(parsed) {
        Ok(doc) => Ok((id, doc)),
        Err(reason) => Err(LineError { id, reason }),
    }
}

/// "an array", "a string", ...: what a JSON value is, for messages.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The fields of a JSONL line (or of an API request) as a document; the error
/// names the field at fault.
fn jsonl_document(line: JsonlLine) -> Result<RawDocument, String> {
    let published_at = line
        .published_at
        .as_deref()
        .map(published::parse_stated)
        .transpose()
        .map_err(|e| format!("published_at: {e}"))?;
    // `source` names the source kind. Labelled sets write the kind as `kind` and
    // where the text came from as `source`: then an http(s) origin is the url.
    let mut url = non_empty(line.url);
    if let Some(u) = &url {
        if !is_web_address(u) {
            return Err("url: must be an http:// or https:// address without spaces".to_string());
        }
    }
    let mut origin = None;
    let source = match (line.kind.as_deref(), line.source.as_deref()) {
        (Some(kind), stated) => {
            match stated.map(str::trim).filter(|o| !o.is_empty()) {
                Some(o) if url.is_none() && is_web_address(o) => url = Some(o.to_string()),
                Some(o) if !is_web_address(o) => origin = Some(o.to_string()),
                _ => {}
            }
            Some(
                kind.trim()
                    .parse::<SourceKind>()
                    .map_err(|e| format!("kind: {e}"))?,
            )
        }
        (None, Some(kind)) => Some(
            kind.trim()
                .parse::<SourceKind>()
                .map_err(|e| format!("source: {e}"))?,
        ),
        (None, None) => None,
    };
    let format = line
        .format
        .as_deref()
        .map(|s| s.parse::<Format>())
        .transpose()
        .map_err(|e| format!("format: {e}"))?;
    let (content, format) = content_of(line.text, line.html, format)
        .map_err(|(field, message)| format!("{field}: {message}"))?;
    check_content(&content)?;
    Ok(RawDocument {
        name: String::new(),
        content,
        format,
        container: DocumentFormat::Jsonl,
        url,
        origin,
        title: non_empty(line.title),
        published_at,
        source,
        input_bytes: 0,
    })
}

/// The content of a document given as `text` or `html` (exactly one), and its
/// format: `html` is HTML; `text` is what `format` says, else recognised.
pub fn content_of(
    text: Option<String>,
    html: Option<String>,
    format: Option<Format>,
) -> Result<(String, Format), (&'static str, String)> {
    let text = text.filter(|t| !t.trim().is_empty());
    let html = html.filter(|t| !t.trim().is_empty());
    match (text, html) {
        (Some(_), Some(_)) => Err(("text", "give one of text or html, not both".to_string())),
        (None, None) => Err((
            "text",
            "one of text or html is required (and not blank)".to_string(),
        )),
        (None, Some(html)) => match format {
            Some(Format::Text) | Some(Format::Edgar) => Err((
                "format",
                format!(
                    "{} contradicts html content",
                    format.map(Format::as_str).unwrap_or_default()
                ),
            )),
            _ => Ok((html, Format::Html)),
        },
        (Some(text), None) => {
            let format = match format {
                Some(Format::Auto) | None => document_format(&text, ""),
                Some(format) => format,
            };
            Ok((text, format))
        }
    }
}

/// A metadata value trimmed, without NUL characters; `None` when blank.
pub fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.replace('\0', "").trim().to_string())
        .filter(|v| !v.is_empty())
}

// ---------------------------------------------------------------- feeds

/// A parsed feed with the count of its entries (kept apart from the entries,
/// which are consumed one by one).
struct ReadFeed {
    kind: DocumentFormat,
    entries: Vec<feed::Entry>,
    entries_read: usize,
    cut: Option<String>,
}

fn read_feed(name: &str, text: &str, len: u64, limit: u64, sink: &mut dyn FnMut(Item) -> bool) {
    let entries = match feed::parse(text) {
        Ok(entries) => entries,
        Err(reason) => {
            sink(Item::Failed(Unreadable {
                name: name.to_string(),
                reason,
                input_bytes: len,
            }));
            return;
        }
    };
    let count = entries.entries.len().max(1) as u64;
    let entries = ReadFeed {
        kind: entries.kind,
        entries_read: entries.entries.len(),
        cut: entries.cut,
        entries: entries.entries,
    };
    for (i, entry) in entries.entries.into_iter().enumerate() {
        let item_name = match &entry.link {
            Some(link) => format!("{name}#{} ({link})", i + 1),
            None => format!("{name}#{}", i + 1),
        };
        let share = len / count;
        let fail = |reason: String| {
            Item::Failed(Unreadable {
                name: item_name.clone(),
                reason,
                input_bytes: share,
            })
        };
        let item = match feed::as_document(&entry) {
            None => fail("feed item without title or text".to_string()),
            Some((content, _)) if content.len() as u64 > limit => {
                fail(too_large(content.len() as u64, limit))
            }
            Some((content, format)) => match check_content(&content) {
                Err(reason) => fail(reason),
                Ok(()) => Item::Document(Box::new(RawDocument {
                    name: item_name.clone(),
                    content,
                    format,
                    container: entries.kind,
                    // Only web addresses are stored; the item stays without one.
                    url: non_empty(entry.link.clone()).filter(|u| is_web_address(u)),
                    origin: None,
                    title: non_empty(entry.title.clone()),
                    published_at: entry.published_at.map(published::Stated::exact),
                    source: None,
                    input_bytes: share,
                })),
            },
        };
        if !sink(item) {
            return;
        }
    }
    if let Some(reason) = entries.cut {
        sink(Item::Failed(Unreadable {
            name: format!("{name}#{}", entries.entries_read + 1),
            reason,
            input_bytes: 0,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(name: &str, input: &str, limit: u64) -> Vec<Item> {
        let mut items = Vec::new();
        read_jsonl(name, input.as_bytes(), limit, &mut |item| {
            items.push(item);
            true
        });
        items
    }

    fn failure(item: &Item) -> (&str, &str) {
        match item {
            Item::Failed(u) => (u.name.as_str(), u.reason.as_str()),
            Item::Document(d) => panic!("expected a failure, got {}", d.name),
        }
    }

    #[test]
    fn jsonl_lines_become_documents_and_bad_lines_are_named() {
        let input = concat!(
            "{\"id\": \"a\", \"text\": \"Acme sued.\", \"published_at\": \"2026-01-02\", \"source\": \"court\"}\n",
            "\n",
            "{not json}\n",
            "{\"html\": \"<p>x</p>\", \"url\": \"https://e.x/1\"}\n",
            "{\"title\": \"no body\"}\n",
            "{\"text\": \"t\", \"published_at\": \"yesterday\"}\n",
            "{\"text\": \"t\", \"source\": \"blog\"}\n",
        );
        let items = collect("b.jsonl", input, 1024);
        assert_eq!(items.len(), 6);
        let Item::Document(first) = &items[0] else {
            panic!("{:?}", items[0])
        };
        assert_eq!(first.name, "b.jsonl:1 (id a)");
        assert_eq!(first.source, Some(SourceKind::Court));
        assert_eq!(
            first.published_at,
            NaiveDate::from_ymd_opt(2026, 1, 2).map(|d| published::Stated::exact(at_midnight(d)))
        );
        assert_eq!(first.container, DocumentFormat::Jsonl);
        let (name, reason) = failure(&items[1]);
        assert_eq!(name, "b.jsonl:3");
        assert!(reason.starts_with("malformed JSON"), "{reason}");
        let Item::Document(html) = &items[2] else {
            panic!("{:?}", items[2])
        };
        assert_eq!(html.format, Format::Html);
        assert_eq!(html.url.as_deref(), Some("https://e.x/1"));
        let (name, reason) = failure(&items[3]);
        assert_eq!(name, "b.jsonl:5");
        assert!(
            reason.contains("one of text or html is required"),
            "{reason}"
        );
        assert!(failure(&items[4]).1.starts_with("published_at: "));
        assert!(failure(&items[5]).1.starts_with("source: "));
    }

    #[test]
    fn an_overlong_jsonl_line_fails_alone() {
        let long = format!("{{\"text\": \"{}\"}}\n", "x".repeat(100));
        let input = format!("{long}{{\"text\": \"short\"}}\n");
        let items = collect("b.jsonl", &input, 50);
        assert_eq!(items.len(), 2);
        let (name, reason) = failure(&items[0]);
        assert_eq!(name, "b.jsonl:1");
        assert!(reason.starts_with("too large"), "{reason}");
        assert!(matches!(&items[1], Item::Document(d) if d.content == "short"));
    }

    #[test]
    fn formats_are_recognised_from_content() {
        assert_eq!(
            document_format("<SEC-DOCUMENT>0001.txt\n<SEC-HEADER>", ""),
            Format::Edgar
        );
        assert_eq!(
            document_format("<!DOCTYPE html><html><body>x</body></html>", ""),
            Format::Html
        );
        assert_eq!(
            document_format("Acme sued\nPublished: 2026-01-02", "txt"),
            Format::Text
        );
        assert_eq!(document_format("plain", "html"), Format::Html);
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        assert!(utf8(vec![b'o', b'k', 0xff])
            .unwrap_err()
            .starts_with("not UTF-8 text (invalid byte at offset 2)"));
        assert_eq!(utf8(vec![0xEF, 0xBB, 0xBF, b'a']).unwrap(), "a");
    }
}
