//! [`ingest_paths`]: reading, extracting and writing in a pipeline.
//!
//! ```text
//!  reader thread ──item i──▶ worker (i mod W) ──prepared i──▶ writer (caller's thread)
//!  files, lines, items       hash, skip known, extract        batches, one transaction each
//! ```
//!
//! The reader hands items to the workers in turn and the writer takes results
//! from them in the same turn, so documents are written in input order whatever
//! the number of workers (a run killed and run again stores what a single run
//! would). Channels are bounded: memory stays flat however large the input.

use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::time::Duration;

use diesel::result::{DatabaseErrorKind, Error as DbError};

use super::prepare::{self, Defaults, PreparedDoc};
use super::registry::{self, Registry};
use super::source::{self, Item, Source};
use super::writer::{DocOutcome, Writer};
use super::{
    ensure_registry, DocumentStatus, IngestError, IngestOptions, IngestSummary, ProgressEvent,
};
use crate::store::{documents, DbConnection, Store};

/// Items waiting per worker, in and out.
const QUEUE: usize = 8;

/// How long a partly filled batch waits for more documents before it is written.
const FLUSH_AFTER: Duration = Duration::from_millis(250);

/// A document after the worker: ready to write, known, or failed.
enum Prepared {
    Ready(Box<PreparedDoc>),
    Known {
        name: String,
        input_bytes: u64,
    },
    Failed {
        name: String,
        reason: String,
        input_bytes: u64,
    },
}

/// Ingests files, directories (recursively, in name order), `-` (standard input),
/// JSONL batches and RSS/Atom feeds. Documents that fail (unreadable, not UTF-8,
/// malformed, too large) are listed in the summary with their reason; the others
/// are stored. `progress` hears of every document as it is done.
///
/// Errors only when the database fails; what was committed before stays.
pub fn ingest_paths(
    store: &Store,
    paths: &[std::path::PathBuf],
    opts: &IngestOptions,
    mut progress: impl FnMut(ProgressEvent),
) -> Result<IngestSummary, IngestError> {
    let mut conn = store.conn()?;
    ensure_registry(&mut conn)?;
    let registry = registry::current(&mut conn)?;
    let sources = source::plan(paths);
    progress(ProgressEvent::Planned {
        sources: sources.len(),
        bytes: sources.iter().map(Source::bytes).sum(),
    });
    let workers = opts.workers.max(1);
    let defaults = Defaults {
        source: opts.source,
        published_at: opts.published_at,
    };
    let mut summary = IngestSummary::default();

    std::thread::scope(|scope| {
        let mut inputs = Vec::with_capacity(workers);
        let mut outputs = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (in_tx, in_rx) = sync_channel::<Item>(QUEUE);
            let (out_tx, out_rx) = sync_channel::<Prepared>(QUEUE);
            inputs.push(in_tx);
            outputs.push(out_rx);
            let registry = &*registry;
            scope.spawn(move || work(store, registry, defaults, in_rx, out_tx));
        }
        let limit = opts.max_document_bytes;
        let sources = &sources;
        scope.spawn(move || read_all(sources, limit, inputs));
        write_all(
            &mut conn,
            &registry,
            opts,
            &outputs,
            &mut summary,
            &mut progress,
        )
        // Returning drops the receivers: workers and reader stop at their next send.
    })?;
    Ok(summary)
}

fn read_all(sources: &[Source], limit: u64, inputs: Vec<SyncSender<Item>>) {
    let mut next = 0usize;
    for source in sources {
        let mut open = true;
        source::read(source, limit, &mut |item| {
            open = inputs[next % inputs.len()].send(item).is_ok();
            next += 1;
            open
        });
        if !open {
            return;
        }
    }
}

fn work(
    store: &Store,
    registry: &Registry,
    defaults: Defaults,
    items: Receiver<Item>,
    out: SyncSender<Prepared>,
) {
    // For skipping the extraction of documents stored before (the writer checks
    // again in its transaction); without a connection, every document is extracted.
    let mut conn = store.conn().ok();
    for item in items {
        let prepared = match item {
            Item::Failed(u) => Prepared::Failed {
                name: u.name,
                reason: u.reason,
                input_bytes: u.input_bytes,
            },
            Item::Document(raw) => {
                let known = conn.as_mut().is_some_and(|c| {
                    documents::find_by_hash(c, &prepare::content_hash(&raw.content))
                        .ok()
                        .flatten()
                        .is_some()
                });
                if known {
                    Prepared::Known {
                        name: raw.name,
                        input_bytes: raw.input_bytes,
                    }
                } else {
                    Prepared::Ready(Box::new(prepare::prepare(*raw, registry, defaults)))
                }
            }
        };
        if out.send(prepared).is_err() {
            return;
        }
    }
}

/// The batch being gathered.
#[derive(Default)]
struct Batch {
    docs: Vec<PreparedDoc>,
    bytes: usize,
}

fn write_all(
    conn: &mut DbConnection,
    registry: &Registry,
    opts: &IngestOptions,
    outputs: &[Receiver<Prepared>],
    summary: &mut IngestSummary,
    progress: &mut dyn FnMut(ProgressEvent),
) -> Result<(), IngestError> {
    let mut writer = Writer::new(registry, false);
    let mut batch = Batch::default();
    let mut next = 0usize;
    loop {
        let from = &outputs[next % outputs.len()];
        let received = if batch.docs.is_empty() {
            from.recv().ok()
        } else {
            match from.recv_timeout(FLUSH_AFTER) {
                Ok(prepared) => Some(prepared),
                Err(RecvTimeoutError::Timeout) => {
                    flush(conn, &mut writer, &mut batch, summary, progress)?;
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => None,
            }
        };
        // The worker whose turn it is has stopped: every item has been handed out.
        let Some(prepared) = received else { break };
        next += 1;
        match prepared {
            Prepared::Ready(doc) => {
                batch.bytes += doc.document.text.len();
                batch.docs.push(*doc);
                if batch.docs.len() >= opts.batch_documents || batch.bytes >= opts.batch_bytes {
                    flush(conn, &mut writer, &mut batch, summary, progress)?;
                }
            }
            Prepared::Known { name, input_bytes } => {
                summary.documents_known += 1;
                summary.input_bytes += input_bytes;
                progress(ProgressEvent::Document {
                    name,
                    input_bytes,
                    status: DocumentStatus::Known,
                });
            }
            Prepared::Failed {
                name,
                reason,
                input_bytes,
            } => {
                summary.input_bytes += input_bytes;
                summary.fail(name.clone(), reason.clone());
                progress(ProgressEvent::Document {
                    name,
                    input_bytes,
                    status: DocumentStatus::Failed { reason },
                });
            }
        }
    }
    flush(conn, &mut writer, &mut batch, summary, progress)
}

/// Whether the database refused the data of a batch (rather than failing): then
/// each document is tried alone, and only the refused ones fail.
fn is_refusal(error: &DbError) -> bool {
    matches!(
        error,
        DbError::DatabaseError(
            DatabaseErrorKind::CheckViolation
                | DatabaseErrorKind::NotNullViolation
                | DatabaseErrorKind::ForeignKeyViolation
                | DatabaseErrorKind::UniqueViolation,
            _
        )
    )
}

fn flush(
    conn: &mut DbConnection,
    writer: &mut Writer<'_>,
    batch: &mut Batch,
    summary: &mut IngestSummary,
    progress: &mut dyn FnMut(ProgressEvent),
) -> Result<(), IngestError> {
    if batch.docs.is_empty() {
        return Ok(());
    }
    let docs = std::mem::take(&mut batch.docs);
    batch.bytes = 0;
    match writer.write(conn, &docs) {
        Ok(outcomes) => record(outcomes, summary, progress),
        Err(e) if is_refusal(&e) => {
            tracing::warn!(error = %e, documents = docs.len(), "batch refused; writing its documents one by one");
            for doc in &docs {
                match writer.write(conn, std::slice::from_ref(doc)) {
                    Ok(outcomes) => record(outcomes, summary, progress),
                    Err(e) if is_refusal(&e) => {
                        let reason = format!("the database refused it: {e}");
                        summary.input_bytes += doc.input_bytes;
                        summary.fail(doc.name.clone(), reason.clone());
                        progress(ProgressEvent::Document {
                            name: doc.name.clone(),
                            input_bytes: doc.input_bytes,
                            status: DocumentStatus::Failed { reason },
                        });
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn record(
    outcomes: Vec<DocOutcome>,
    summary: &mut IngestSummary,
    progress: &mut dyn FnMut(ProgressEvent),
) {
    for outcome in outcomes {
        summary.input_bytes += outcome.input_bytes;
        let status = if outcome.created {
            summary.documents_new += 1;
            summary.events_created += outcome.events_created;
            summary.events_merged += outcome.events_merged;
            summary.events_updated += outcome.events_updated;
            DocumentStatus::New {
                events_created: outcome.events_created,
                events_merged: outcome.events_merged,
            }
        } else {
            summary.documents_known += 1;
            DocumentStatus::Known
        };
        progress(ProgressEvent::Document {
            name: outcome.name,
            input_bytes: outcome.input_bytes,
            status,
        });
    }
}
