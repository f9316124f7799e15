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
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::prepare::{self, Defaults, PreparedDoc};
use super::registry::{self, Registry};
use super::source::{self, Item, RawDocument, Source, Unreadable};
use super::writer::{DocOutcome, Writer};
use super::{
    ensure_registry, DocumentStatus, IngestError, IngestOptions, IngestSummary, ProgressEvent,
};
use crate::store::{backend, documents, DbConnection, Store, StoreError};

/// Items waiting per worker, in and out: enough for the workers to keep
/// extracting while the writer commits a batch (a few batches' worth); memory is
/// bounded by [`IN_FLIGHT_BYTES`], not by this.
const QUEUE: usize = 2_048;

/// Bytes of documents read but not yet written, at most (about): what bounds the
/// memory of a run, whatever the size of its documents.
const IN_FLIGHT_BYTES: u64 = 32 * 1024 * 1024;

/// Documents a worker looks up at once to skip known ones.
const CHECK_AT_ONCE: usize = 32;

/// How long a partly filled batch waits for more documents before it is written.
const FLUSH_AFTER: Duration = Duration::from_millis(250);

/// SQLite page cache of the connections of a run, in KiB: enough for the pages
/// one batch touches; the default of the pool (64 MiB) would make a long run's
/// memory grow with the database up to that size.
const INGEST_PAGE_CACHE_KIB: u64 = 8 * 1024;

/// Gives a connection tuned for a run its settings back before it returns to the pool.
fn restore_settings(conn: &mut DbConnection) {
    if let Err(e) = backend::tune_for_bulk_writes(conn, None) {
        tracing::warn!(error = %e, "could not restore the settings of a connection");
    }
}

/// What the reader hands a worker, in input order.
enum Work {
    /// A new document to extract, with its content hash.
    Extract(Box<RawDocument>, String),
    /// A document stored before: nothing to do but report it.
    Known {
        name: String,
        input_bytes: u64,
    },
    Failed(Unreadable),
}

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
    backend::tune_for_bulk_writes(&mut conn, Some(INGEST_PAGE_CACHE_KIB))?;
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

    let budget = Budget::new(IN_FLIGHT_BYTES);
    let result = std::thread::scope(|scope| {
        // However the writer ends, the reader must not wait for bytes it will never free.
        let _release = CloseOnDrop(&budget);
        let mut inputs = Vec::with_capacity(workers);
        let mut outputs = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (in_tx, in_rx) = sync_channel::<Work>(QUEUE);
            let (out_tx, out_rx) = sync_channel::<Prepared>(QUEUE);
            inputs.push(in_tx);
            outputs.push(out_rx);
            let registry = &*registry;
            scope.spawn(move || work(registry, defaults, in_rx, out_tx));
        }
        let limit = opts.max_document_bytes;
        let (sources, budget) = (&sources, &budget);
        scope.spawn(move || read_all(store, sources, limit, inputs, budget));
        let mut writing = Writing {
            conn: &mut conn,
            writer: Writer::new(&registry, false),
            batch: Batch::default(),
            summary: &mut summary,
            progress: &mut progress,
            budget,
        };
        writing.run(opts, &outputs)
        // Returning drops the receivers: workers and reader stop at their next send.
    });
    restore_settings(&mut conn);
    result?;
    Ok(summary)
}

/// Bytes of documents in flight between the reader and the writer.
struct Budget {
    /// Bytes taken and not given back; `None` once the writer has stopped.
    used: Mutex<Option<u64>>,
    freed: Condvar,
    limit: u64,
}

impl Budget {
    fn new(limit: u64) -> Budget {
        Budget {
            used: Mutex::new(Some(0)),
            freed: Condvar::new(),
            limit,
        }
    }

    /// Waits until `n` more bytes fit (a document alone always fits); `false` once
    /// the writer has stopped.
    fn take(&self, n: u64) -> bool {
        let Ok(mut used) = self.used.lock() else {
            return false;
        };
        loop {
            match *used {
                None => return false,
                Some(u) if u == 0 || u + n <= self.limit => {
                    *used = Some(u + n);
                    return true;
                }
                Some(_) => match self.freed.wait(used) {
                    Ok(guard) => used = guard,
                    Err(_) => return false,
                },
            }
        }
    }

    fn give(&self, n: u64) {
        if let Ok(mut used) = self.used.lock() {
            if let Some(u) = *used {
                *used = Some(u.saturating_sub(n));
            }
        }
        self.freed.notify_all();
    }

    fn close(&self) {
        if let Ok(mut used) = self.used.lock() {
            *used = None;
        }
        self.freed.notify_all();
    }
}

struct CloseOnDrop<'a>(&'a Budget);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Reads every source, hashes each document and looks a group of them up at
/// once to skip those stored before, and hands the items to the workers in turn.
fn read_all(
    store: &Store,
    sources: &[Source],
    limit: u64,
    inputs: Vec<SyncSender<Work>>,
    budget: &Budget,
) {
    // Without a connection every document is extracted (the writer checks again
    // in its transaction).
    let mut conn = store.conn().ok();
    if let Some(c) = conn.as_mut() {
        if backend::tune_for_bulk_writes(c, Some(INGEST_PAGE_CACHE_KIB)).is_err() {
            conn = None;
        }
    }
    let mut hand_out = HandOut {
        conn: conn.as_deref_mut(),
        inputs: &inputs,
        budget,
        next: 0,
        group: Vec::with_capacity(CHECK_AT_ONCE),
    };
    for source in sources {
        let mut open = true;
        source::read(source, limit, &mut |item| {
            open = hand_out.push(item);
            open
        });
        // A group is not held back across sources: a slow stream on standard
        // input still goes through document by document at its end.
        if !open || !hand_out.flush() {
            break;
        }
    }
    drop(hand_out);
    if let Some(c) = conn.as_mut() {
        restore_settings(c);
    }
}

/// The reader's side: groups items, skips known documents, sends the rest.
struct HandOut<'a> {
    conn: Option<&'a mut DbConnection>,
    inputs: &'a [SyncSender<Work>],
    budget: &'a Budget,
    next: usize,
    group: Vec<Item>,
}

impl HandOut<'_> {
    /// Adds an item; `false` once the writer has stopped.
    fn push(&mut self, item: Item) -> bool {
        self.group.push(item);
        self.group.len() < CHECK_AT_ONCE || self.flush()
    }

    /// Looks the group up and sends it; `false` once the writer has stopped.
    fn flush(&mut self) -> bool {
        let group = std::mem::take(&mut self.group);
        let hashes: Vec<Option<String>> = group
            .iter()
            .map(|item| match item {
                Item::Document(raw) => Some(prepare::content_hash(&raw.content)),
                Item::Failed(_) => None,
            })
            .collect();
        let lookup: Vec<&str> = hashes.iter().flatten().map(String::as_str).collect();
        let known = match (&mut self.conn, lookup.is_empty()) {
            (Some(c), false) => documents::find_by_hashes(c, &lookup).unwrap_or_default(),
            _ => Default::default(),
        };
        for (item, hash) in group.into_iter().zip(hashes) {
            let work = match (item, hash) {
                (Item::Failed(u), _) => Work::Failed(u),
                (Item::Document(raw), Some(hash)) if known.contains_key(&hash) => Work::Known {
                    name: raw.name,
                    input_bytes: raw.input_bytes,
                },
                (Item::Document(raw), hash) => {
                    let hash = hash.unwrap_or_else(|| prepare::content_hash(&raw.content));
                    Work::Extract(raw, hash)
                }
            };
            let bytes = raw_bytes(&work);
            let to = &self.inputs[self.next % self.inputs.len()];
            self.next += 1;
            if !self.budget.take(bytes) || to.send(work).is_err() {
                return false;
            }
        }
        true
    }
}

/// The bytes a work item holds until it is written (what the budget counts).
fn raw_bytes(work: &Work) -> u64 {
    match work {
        Work::Extract(raw, _) => raw.input_bytes,
        Work::Known { .. } | Work::Failed(_) => 0,
    }
}

/// Extracts documents in the order they come and passes the rest through.
fn work(registry: &Registry, defaults: Defaults, items: Receiver<Work>, out: SyncSender<Prepared>) {
    for item in items {
        let prepared = match item {
            Work::Failed(u) => Prepared::Failed {
                name: u.name,
                reason: u.reason,
                input_bytes: u.input_bytes,
            },
            Work::Known { name, input_bytes } => Prepared::Known { name, input_bytes },
            Work::Extract(raw, hash) => {
                let (name, input_bytes) = (raw.name.clone(), raw.input_bytes);
                match prepare::prepare(*raw, Some(hash), registry, defaults) {
                    Ok(doc) => Prepared::Ready(Box::new(doc)),
                    Err(err) => Prepared::Failed {
                        name,
                        reason: err.to_string(),
                        input_bytes,
                    },
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

/// The writer's side of a run: gathers prepared documents into batches, writes
/// them, and reports.
struct Writing<'a, 'r> {
    conn: &'a mut DbConnection,
    writer: Writer<'r>,
    batch: Batch,
    summary: &'a mut IngestSummary,
    progress: &'a mut dyn FnMut(ProgressEvent),
    budget: &'a Budget,
}

impl Writing<'_, '_> {
    /// Takes the workers' results in input order until every item is done.
    fn run(
        &mut self,
        opts: &IngestOptions,
        outputs: &[Receiver<Prepared>],
    ) -> Result<(), IngestError> {
        let mut next = 0usize;
        loop {
            let from = &outputs[next % outputs.len()];
            let received = if self.batch.docs.is_empty() {
                from.recv().ok()
            } else {
                match from.recv_timeout(FLUSH_AFTER) {
                    Ok(prepared) => Some(prepared),
                    Err(RecvTimeoutError::Timeout) => {
                        self.flush()?;
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
                    self.batch.bytes += doc.document.text.len();
                    self.batch.docs.push(*doc);
                    if self.batch.docs.len() >= opts.batch_documents
                        || self.batch.bytes >= opts.batch_bytes
                    {
                        self.flush()?;
                    }
                }
                Prepared::Known { name, input_bytes } => {
                    self.summary.documents_known += 1;
                    self.report(name, input_bytes, DocumentStatus::Known);
                }
                Prepared::Failed {
                    name,
                    reason,
                    input_bytes,
                } => self.fail(name, input_bytes, reason),
            }
        }
        self.flush()
    }

    fn report(&mut self, name: String, input_bytes: u64, status: DocumentStatus) {
        self.summary.input_bytes += input_bytes;
        (self.progress)(ProgressEvent::Document {
            name,
            input_bytes,
            status,
        });
    }

    fn fail(&mut self, name: String, input_bytes: u64, reason: String) {
        self.summary.fail(name.clone(), reason.clone());
        self.report(name, input_bytes, DocumentStatus::Failed { reason });
    }

    /// Writes the batch: in one transaction, or, when the database refuses its
    /// data, document by document so that only the refused ones fail.
    fn flush(&mut self) -> Result<(), IngestError> {
        if self.batch.docs.is_empty() {
            return Ok(());
        }
        let docs = std::mem::take(&mut self.batch.docs);
        self.batch.bytes = 0;
        let started = std::time::Instant::now();
        let result = match self.writer.write(self.conn, &docs) {
            Ok(outcomes) => {
                tracing::debug!(
                    documents = docs.len(),
                    ms = started.elapsed().as_secs_f64() * 1e3,
                    "batch written"
                );
                self.record(outcomes);
                Ok(())
            }
            Err(e) if is_refusal(&e) => {
                tracing::warn!(error = %e, documents = docs.len(), "batch refused; writing its documents one by one");
                self.one_by_one(&docs)
            }
            Err(e) => Err(e.into()),
        };
        self.budget.give(docs.iter().map(|d| d.input_bytes).sum());
        result
    }

    fn one_by_one(&mut self, docs: &[PreparedDoc]) -> Result<(), IngestError> {
        for doc in docs {
            match self.writer.write(self.conn, std::slice::from_ref(doc)) {
                Ok(outcomes) => self.record(outcomes),
                Err(e) if is_refusal(&e) => self.fail(
                    doc.name.clone(),
                    doc.input_bytes,
                    format!(
                        "the database refused it: {}",
                        e.refusal().unwrap_or_default()
                    ),
                ),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    fn record(&mut self, outcomes: Vec<DocOutcome>) {
        for outcome in outcomes {
            let status = if outcome.created {
                self.summary.documents_new += 1;
                self.summary.events_created += outcome.events_created;
                self.summary.events_merged += outcome.events_merged;
                self.summary.events_updated += outcome.events_updated;
                DocumentStatus::New {
                    events_created: outcome.events_created,
                    events_merged: outcome.events_merged,
                }
            } else {
                self.summary.documents_known += 1;
                DocumentStatus::Known
            };
            self.report(outcome.name, outcome.input_bytes, status);
        }
    }
}

/// Whether the database refused the data of a batch (rather than failing).
fn is_refusal(error: &StoreError) -> bool {
    error.refusal().is_some()
}
