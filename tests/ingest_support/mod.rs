//! Helpers of the ingestion tests: running `riskline ingest --json`, reading back
//! what was stored, and checking that the database is consistent.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskline::store::models::{EventMentionRow, EventRow};
use riskline::store::snapshot::{self as tables, Tables};
use riskline::store::Store;

use crate::common::{sql, Run, TestDb};

/// A path under the repository's `fixtures/`.
pub fn fixture(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
        .display()
        .to_string()
}

/// Applies the migrations (`ingest` migrates SQLite by itself, but a PostgreSQL
/// database is shared and migrated on purpose).
pub fn migrate(db: &TestDb) {
    db.run_ok(&["migrate"]);
}

/// Runs `riskline ingest --json ARGS...`; returns the run and its JSON summary.
pub fn ingest(db: &TestDb, args: &[&str]) -> (Run, serde_json::Value) {
    let mut all = vec!["ingest", "--json"];
    all.extend_from_slice(args);
    let run = db.run(&all);
    let summary = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "on {}: riskline {all:?} printed no JSON summary ({e})\nstdout:\n{}\nstderr:\n{}",
            db.backend, run.stdout, run.stderr
        )
    });
    (run, summary)
}

/// Like [`ingest`], and fails the test unless the run succeeds.
pub fn ingest_ok(db: &TestDb, args: &[&str]) -> serde_json::Value {
    let (run, summary) = ingest(db, args);
    assert!(
        run.success,
        "on {}: ingest {args:?} failed ({:?}): {summary}\nstderr:\n{}",
        db.backend, run.code, run.stderr
    );
    summary
}

/// Every stored row of the tables ingestion writes, in id order: equal
/// snapshots mean nothing changed, timestamps included.
pub type Snapshot = Tables;

pub fn snapshot(store: &Store) -> Snapshot {
    tables::read(&mut store.conn().expect("connection")).expect("snapshot")
}

/// Row counts: documents, events, mentions, company links.
pub fn counts(store: &Store) -> [i64; 4] {
    let mut conn = store.conn().expect("connection");
    ["documents", "events", "event_mentions", "event_companies"]
        .map(|table| sql::count(&mut conn, table))
}

/// The tickers of an event, sorted.
pub fn tickers(store: &Store, event_id: i64) -> Vec<String> {
    let mut conn = store.conn().expect("connection");
    let mut tickers: Vec<String> = sql::texts(
        &mut conn,
        &format!(
            "SELECT c.ticker AS t FROM event_companies l JOIN companies c ON c.id = l.company_id \
             WHERE l.event_id = {event_id}"
        ),
    )
    .into_iter()
    .flatten()
    .collect();
    tickers.sort();
    tickers.dedup();
    tickers
}

/// The events involving a ticker, in id order.
pub fn events_of(store: &Store, ticker: &str) -> Vec<EventRow> {
    let ids = sql::numbers(
        &mut store.conn().expect("connection"),
        &format!(
            "SELECT DISTINCT l.event_id AS n FROM event_companies l \
             JOIN companies c ON c.id = l.company_id WHERE c.ticker = '{ticker}'"
        ),
    );
    snapshot(store)
        .events
        .into_iter()
        .filter(|e| ids.contains(&e.id))
        .collect()
}

/// The mentions of an event, in id order.
pub fn mentions_of(store: &Store, event_id: i64) -> Vec<EventMentionRow> {
    snapshot(store)
        .mentions
        .into_iter()
        .filter(|m| m.fields.event_id == event_id)
        .collect()
}

/// Fails the test unless the stored events agree with their mentions and links:
/// every event has a mention, counts its distinct documents, carries its date onto
/// its company links, and belongs to a thread whose root is itself a root.
pub fn assert_consistent(db: &TestDb) {
    let s = snapshot(&db.store());
    let mut documents_of: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for m in &s.mentions {
        documents_of
            .entry(m.fields.event_id)
            .or_default()
            .push(m.fields.document_id);
    }
    for docs in documents_of.values_mut() {
        docs.sort_unstable();
        docs.dedup();
    }
    let by_id: BTreeMap<i64, &EventRow> = s.events.iter().map(|e| (e.id, e)).collect();
    for event in &s.events {
        let docs = documents_of.get(&event.id).map_or(0, Vec::len);
        assert!(
            docs > 0,
            "on {}: event {} has no mention",
            db.backend,
            event.id
        );
        assert_eq!(
            event.fields.document_count, docs as i64,
            "on {}: document_count of event {}",
            db.backend, event.id
        );
        if let Some(root) = event.fields.thread_id {
            let root_row = by_id.get(&root).unwrap_or_else(|| {
                panic!("on {}: event {} in a missing thread", db.backend, event.id)
            });
            assert_eq!(
                root_row.fields.thread_id,
                Some(root),
                "on {}: thread root",
                db.backend
            );
            assert_eq!(
                event.fields.thread_status, root_row.fields.thread_status,
                "on {}: thread_status of event {} and its root",
                db.backend, event.id
            );
        }
    }
    for link in &s.links {
        let event = by_id[&link.fields.event_id];
        assert_eq!(
            link.fields.occurred_on, event.fields.occurred_on,
            "on {}: event_companies.occurred_on of event {}",
            db.backend, event.id
        );
    }
    let stored: Vec<i64> = s.documents.iter().map(|d| d.id).collect();
    for m in &s.mentions {
        assert!(stored.binary_search(&m.fields.document_id).is_ok());
    }
}

/// What each document reports, by content hash: for each of its mentions, the
/// event's kind, action, date and tickers. Equal maps mean two databases hold
/// the same documents with the same events, whatever their ids.
pub fn reports_by_document(db: &TestDb) -> BTreeMap<String, Vec<String>> {
    let store = db.store();
    let s = snapshot(&store);
    let hash_of: BTreeMap<i64, &str> = s
        .documents
        .iter()
        .map(|d| (d.id, d.fields.content_hash.as_str()))
        .collect();
    let event_of: BTreeMap<i64, &EventRow> = s.events.iter().map(|e| (e.id, e)).collect();
    let mut reports: BTreeMap<String, Vec<String>> = s
        .documents
        .iter()
        .map(|d| (d.fields.content_hash.clone(), Vec::new()))
        .collect();
    for m in &s.mentions {
        let e = event_of[&m.fields.event_id];
        let line = format!(
            "{} {} {:?} {:?} {:?}",
            e.fields.kind,
            e.fields.action,
            e.fields.occurred_on,
            tickers(&store, e.id),
            (m.fields.start_offset, m.fields.end_offset)
        );
        reports
            .entry(hash_of[&m.fields.document_id].to_string())
            .or_default()
            .push(line);
    }
    for lines in reports.values_mut() {
        lines.sort();
    }
    reports
}

/// A temporary directory's path as a string.
pub fn path_str(path: &Path) -> String {
    path.display().to_string()
}

/// A fresh copy of `fixtures/RELATIVE` files into `dir`, for tests that add files.
pub fn copy_fixture(relative: &str, dir: &Path) -> PathBuf {
    let from = PathBuf::from(fixture(relative));
    let to = dir.join(from.file_name().expect("file name"));
    std::fs::copy(&from, &to).expect("copy fixture");
    to
}

/// Polls until `done` holds, for at most a minute.
pub fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < until {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    false
}
