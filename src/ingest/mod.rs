#![cfg_attr(not(test), deny(clippy::string_slice))]
//! Ingestion: documents in, extracted events merged with the known ones and stored.
//!
//! The one module that knows both [`crate::extract`] and [`crate::store`]. The
//! CLI (`riskline ingest`) and the API (`POST /api/v1/documents`, `serve --demo`)
//! call the same two functions:
//!
//! - [`ingest_one`]: one document given by a caller, validated field by field;
//! - [`ingest_paths`]: files, directories, standard input, JSONL batches and
//!   RSS/Atom feeds, read, extracted and written in a pipeline;
//! - [`ingest_raw`]: one document as its container gave it (what `riskline
//!   watch` fetched).
//!
//! Guarantees:
//! - each batch of documents is stored in one transaction with all its events,
//!   mentions, company links and thread updates; a process killed at any moment
//!   leaves a consistent database, and running the same command again completes
//!   the work;
//! - a document whose content (sha256 of its bytes) is stored already changes
//!   nothing;
//! - an event reported by several documents is stored once, with one mention per
//!   document (see [`matching`] for when two reports are one event);
//! - fields an analyst corrected, reviewed events, and tags are never changed by
//!   ingestion; it may add a mention.
//!
//! ```no_run
//! use riskline::ingest::{ingest_one, DocumentInput};
//! let store = riskline::store::Store::open_and_migrate("riskline.db")?;
//! let outcome = ingest_one(&store, DocumentInput {
//!     text: Some("Acme Corp. was sued on Monday...".into()),
//!     ..DocumentInput::default()
//! })?;
//! println!("document {} reports events {:?}", outcome.document_id, outcome.event_ids);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod feed;
mod index;
pub mod matching;
mod prepare;
pub mod published;
mod registry;
mod run;
pub mod source;
mod thread;
mod writer;
pub use thread::link_entered;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::extract::Format;
use crate::store::models::SourceKind;
use crate::store::{companies, documents, DbConnection, Store, StoreError};

pub use prepare::content_hash;
pub use run::ingest_paths;

/// The largest document accepted, in bytes (20 MiB): a file, a JSONL line, a
/// feed file, or a document given to [`ingest_one`]. A JSONL batch may be larger
/// as a whole.
pub const MAX_DOCUMENT_BYTES: u64 = 20 * 1024 * 1024;

/// One document given by a caller (the API's `POST /documents`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentInput {
    /// Plain text or an EDGAR submission; exactly one of `text` and `html`.
    pub text: Option<String>,
    /// An HTML page; exactly one of `text` and `html`.
    pub html: Option<String>,
    /// Where the document comes from (`documents.url`); `None` when it has no address.
    pub url: Option<String>,
    /// Title or headline; when `None`, taken from the HTML title or a plain text's short first line.
    pub title: Option<String>,
    /// When the document was published, as precisely as stated.
    pub published_at: Option<published::Stated>,
    /// `news`, `filing`, `press_release`, `court`, `feed` or `other`; by default
    /// from the format (news for text, press_release for HTML, filing for EDGAR).
    pub source: Option<String>,
    /// What `text` is written in; recognised from the content when absent.
    pub format: Option<Format>,
}

/// What [`ingest_one`] did.
#[derive(Debug, Clone, Serialize)]
pub struct IngestOutcome {
    /// Database id of the document (`documents.id`), new or found by its content hash.
    pub document_id: i64,
    /// `false` when the same content was stored before; then nothing changed.
    pub created: bool,
    /// The events the document reports, in id order.
    pub event_ids: Vec<i64>,
    /// Events the document created.
    pub events_created: usize,
    /// Reports merged into events already known.
    pub events_merged: usize,
    /// Known events whose fields, companies or thread changed.
    pub events_updated: usize,
    /// The stored document and its events as this call left them (read in the write's
    /// own transaction for a new document).
    #[serde(skip)]
    pub stored: Option<Stored>,
}

/// A stored document with the events it reports.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The document's row.
    pub document: crate::store::models::DocumentRow,
    /// Every event the document gives evidence for, in id order.
    pub event_ids: Vec<i64>,
    /// The views of the events of [`IngestOutcome::event_ids`], in that order.
    pub events: Vec<crate::store::events_read::EventView>,
}

/// Why ingestion failed.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Occurs when a document given to [`ingest_one`] is invalid; `field` names
    /// the field at fault.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault, e.g. `text`.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// Occurs when the database fails.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Occurs when the extractor fails on the document (a bug, contained to it).
    #[error(transparent)]
    Extraction(#[from] crate::extract::guard::InternalError),
}

impl IngestError {
    fn invalid(field: &'static str, message: impl Into<String>) -> IngestError {
        IngestError::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// Options of [`ingest_paths`].
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The source kind of documents that do not state theirs.
    pub source: Option<SourceKind>,
    /// The publication date of documents that do not state theirs.
    pub published_at: Option<crate::extract::dates::Published>,
    /// The largest document accepted ([`MAX_DOCUMENT_BYTES`] by default).
    pub max_document_bytes: u64,
    /// Documents per write transaction, at most.
    pub batch_documents: usize,
    /// Bytes of document text per write transaction, about.
    pub batch_bytes: usize,
    /// Threads reading and extracting beside the writer.
    pub workers: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        IngestOptions {
            source: None,
            published_at: None,
            max_document_bytes: MAX_DOCUMENT_BYTES,
            batch_documents: 500,
            batch_bytes: 4 * 1024 * 1024,
            // The writer (and the database engine) keep one core busy.
            workers: cores.saturating_sub(1).max(1),
        }
    }
}

/// What happened to a document, as reported to the progress callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentStatus {
    /// Stored, with what it did to events.
    New {
        /// Events the document created.
        events_created: usize,
        /// Reports of the document merged into events already known.
        events_merged: usize,
    },
    /// Its content was stored before.
    Known,
    /// Not stored, and why.
    Failed {
        /// Why, in plain words.
        reason: String,
    },
}

/// Progress of [`ingest_paths`], reported as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressEvent {
    /// The inputs are resolved: this many files (and standard input) of this many bytes.
    Planned {
        /// Files to read, standard input counting as one.
        sources: usize,
        /// Their total size in bytes (0 for standard input).
        bytes: u64,
    },
    /// A document was stored, found known, or failed; `input_bytes` of input are done.
    Document {
        /// The path, `path:LINE` for a JSONL line, `path#N` for a feed item.
        name: String,
        /// Bytes of input this document took.
        input_bytes: u64,
        /// What happened to it.
        status: DocumentStatus,
    },
}

/// A document (or file, or line) that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The path, `path:LINE` for a JSONL line, `path#N` for a feed item.
    pub name: String,
    /// Why, in plain words.
    pub reason: String,
}

/// How many failures a summary lists; beyond, it only counts them.
pub const FAILURES_LISTED: usize = 1_000;

/// What [`ingest_paths`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestSummary {
    /// Documents stored.
    pub documents_new: usize,
    /// Documents whose content was stored before (skipped).
    pub documents_known: usize,
    /// Documents, files or lines that could not be ingested.
    pub documents_failed: usize,
    /// Events created.
    pub events_created: usize,
    /// Reports merged into events already known.
    pub events_merged: usize,
    /// Known events whose fields, companies or thread changed.
    pub events_updated: usize,
    /// The first [`FAILURES_LISTED`] failures, in input order.
    pub failures: Vec<Failure>,
    /// Bytes of input read.
    pub input_bytes: u64,
}

impl IngestSummary {
    fn fail(&mut self, name: String, reason: String) {
        self.documents_failed += 1;
        if self.failures.len() < FAILURES_LISTED {
            self.failures.push(Failure { name, reason });
        }
    }
}

/// Loads the built-in company registry into a database that has no companies.
fn ensure_registry(conn: &mut DbConnection) -> Result<(), IngestError> {
    if let Some(summary) = companies::ensure_builtin(conn)? {
        tracing::info!(
            companies = summary.companies(),
            aliases = summary.aliases_added,
            "loaded the built-in company registry"
        );
    }
    Ok(())
}

/// Ingests one document: validates it, extracts its events, merges them with the
/// known ones and stores everything in one transaction. A document whose content
/// is stored already changes nothing (`created` is `false`).
///
/// Validation errors name the field at fault: `text: one of text or html is
/// required`, `source: "blog" is not a valid source kind ...`.
pub fn ingest_one(store: &Store, input: DocumentInput) -> Result<IngestOutcome, IngestError> {
    let source = input
        .source
        .as_deref()
        .map(|s| s.trim().parse::<SourceKind>())
        .transpose()
        .map_err(|e| IngestError::invalid("source", e.to_string()))?;
    let content_field = if input.html.is_some() { "html" } else { "text" };
    let (content, format) = source::content_of(input.text, input.html, input.format)
        .map_err(|(field, message)| IngestError::invalid(field, message))?;
    source::check_content(&content).map_err(|m| IngestError::invalid(content_field, m))?;
    let len = content.len() as u64;
    if len > MAX_DOCUMENT_BYTES {
        return Err(IngestError::invalid(
            content_field,
            format!("too large: {len} bytes (the limit is {MAX_DOCUMENT_BYTES} bytes)"),
        ));
    }
    let url = source::non_empty(input.url);
    if let Some(url) = &url {
        if url.len() > 2048 || url.chars().any(char::is_whitespace) {
            return Err(IngestError::invalid(
                "url",
                "must be a URL of at most 2048 characters, without spaces",
            ));
        }
    }
    let raw = source::RawDocument {
        name: "document".to_string(),
        container: source::container_format(format),
        content,
        format,
        url,
        origin: None,
        title: source::non_empty(input.title),
        published_at: input.published_at,
        source,
        input_bytes: len,
    };
    ingest_raw(store, raw)
}

/// Ingests one document as read from its container (a feed item, a filing
/// fetched by `riskline watch`): extracts, merges and stores it in one
/// transaction, like [`ingest_one`] after its validation. A document whose
/// content is stored already changes nothing (`created` is `false`).
pub fn ingest_raw(store: &Store, raw: source::RawDocument) -> Result<IngestOutcome, IngestError> {
    source::check_content(&raw.content).map_err(|m| IngestError::invalid("text", m))?;
    let len = raw.content.len() as u64;
    if len > MAX_DOCUMENT_BYTES {
        return Err(IngestError::invalid(
            "text",
            format!("too large: {len} bytes (the limit is {MAX_DOCUMENT_BYTES} bytes)"),
        ));
    }
    let mut conn = store.conn()?;
    ensure_registry(&mut conn)?;
    let hash = content_hash(&raw.content);
    if let Some(id) = documents::find_by_hash(&mut conn, &hash)? {
        let event_ids = documents::event_ids(&mut conn, id)?;
        let stored = crate::store::events_read::document(&mut conn, id)?
            .map(|(document, ids)| -> Result<Stored, StoreError> {
                Ok(Stored {
                    document,
                    events: crate::store::events_read::load_views(&mut conn, &event_ids)?,
                    event_ids: ids,
                })
            })
            .transpose()?;
        return Ok(IngestOutcome {
            document_id: id,
            created: false,
            event_ids,
            events_created: 0,
            events_merged: 0,
            events_updated: 0,
            stored,
        });
    }
    let registry = registry::current(&mut conn)?;
    let prepared = prepare::prepare(raw, Some(hash), &registry, prepare::Defaults::default())?;
    let mut writer = writer::Writer::new(&registry, true);
    let written = writer.write_one(&mut conn, &prepared)?;
    let outcome = written.outcome;
    Ok(IngestOutcome {
        document_id: outcome.document_id,
        created: outcome.created,
        event_ids: outcome.event_ids,
        events_created: outcome.events_created,
        events_merged: outcome.events_merged,
        events_updated: outcome.events_updated,
        stored: Some(Stored {
            document: written.document,
            event_ids: written.event_ids,
            events: written.events,
        }),
    })
}
