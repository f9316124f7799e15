//! Helpers of the ingestion tests: running `riskline ingest --json`, reading back
//! what was stored, and checking that the database is consistent.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use riskline::store::models::{
    DocumentRow, EventCompanyRow, EventMentionRow, EventRow, EventTagRow,
};
use riskline::store::schema::{
    companies, documents, event_companies, event_mentions, event_tags, events,
};
use riskline::store::Store;

use crate::common::{Run, TestDb};

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
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub documents: Vec<DocumentRow>,
    pub events: Vec<EventRow>,
    pub mentions: Vec<EventMentionRow>,
    pub links: Vec<EventCompanyRow>,
    pub tags: Vec<EventTagRow>,
}

pub fn snapshot(store: &Store) -> Snapshot {
    let mut conn = store.conn().expect("connection");
    Snapshot {
        documents: documents::table
            .select(DocumentRow::as_select())
            .order(documents::id)
            .load(&mut *conn)
            .expect("documents"),
        events: events::table
            .select(EventRow::as_select())
            .order(events::id)
            .load(&mut *conn)
            .expect("events"),
        mentions: event_mentions::table
            .select(EventMentionRow::as_select())
            .order(event_mentions::id)
            .load(&mut *conn)
            .expect("mentions"),
        links: event_companies::table
            .select(EventCompanyRow::as_select())
            .order(event_companies::id)
            .load(&mut *conn)
            .expect("links"),
        tags: event_tags::table
            .select(EventTagRow::as_select())
            .order((event_tags::event_id, event_tags::tag_id))
            .load(&mut *conn)
            .expect("event tags"),
    }
}

/// Row counts: documents, events, mentions, company links.
pub fn counts(store: &Store) -> [i64; 4] {
    let mut conn = store.conn().expect("connection");
    let c = &mut *conn;
    [
        documents::table.count().get_result(c).expect("count"),
        events::table.count().get_result(c).expect("count"),
        event_mentions::table.count().get_result(c).expect("count"),
        event_companies::table.count().get_result(c).expect("count"),
    ]
}

/// The tickers of an event, sorted.
pub fn tickers(store: &Store, event_id: i64) -> Vec<String> {
    let mut conn = store.conn().expect("connection");
    let mut tickers: Vec<String> = event_companies::table
        .inner_join(companies::table)
        .filter(event_companies::event_id.eq(event_id))
        .select(companies::ticker)
        .load(&mut *conn)
        .expect("tickers");
    tickers.sort();
    tickers.dedup();
    tickers
}

/// The events involving a ticker, in id order.
pub fn events_of(store: &Store, ticker: &str) -> Vec<EventRow> {
    let mut conn = store.conn().expect("connection");
    events::table
        .filter(
            events::id.eq_any(
                event_companies::table
                    .inner_join(companies::table)
                    .filter(companies::ticker.eq(ticker))
                    .select(event_companies::event_id),
            ),
        )
        .select(EventRow::as_select())
        .order(events::id)
        .load(&mut *conn)
        .expect("events of a ticker")
}

/// The mentions of an event, in id order.
pub fn mentions_of(store: &Store, event_id: i64) -> Vec<EventMentionRow> {
    let mut conn = store.conn().expect("connection");
    event_mentions::table
        .filter(event_mentions::event_id.eq(event_id))
        .select(EventMentionRow::as_select())
        .order(event_mentions::id)
        .load(&mut *conn)
        .expect("mentions")
}

/// Fails the test unless the stored events agree with their mentions and links:
/// every event has a mention, counts its distinct documents, carries its date onto
/// its company links, and belongs to a thread whose root is itself a root.
pub fn assert_consistent(db: &TestDb) {
    let s = snapshot(&db.store());
    let mut documents_of: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for m in &s.mentions {
        documents_of
            .entry(m.event_id)
            .or_default()
            .push(m.document_id);
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
            event.document_count, docs as i64,
            "on {}: document_count of event {}",
            db.backend, event.id
        );
        if let Some(root) = event.thread_id {
            let root_row = by_id.get(&root).unwrap_or_else(|| {
                panic!("on {}: event {} in a missing thread", db.backend, event.id)
            });
            assert_eq!(
                root_row.thread_id,
                Some(root),
                "on {}: thread root",
                db.backend
            );
            assert_eq!(
                event.thread_status, root_row.thread_status,
                "on {}: thread_status of event {} and its root",
                db.backend, event.id
            );
        }
    }
    for link in &s.links {
        let event = by_id[&link.event_id];
        assert_eq!(
            link.occurred_on, event.occurred_on,
            "on {}: event_companies.occurred_on of event {}",
            db.backend, event.id
        );
    }
    let stored: Vec<i64> = s.documents.iter().map(|d| d.id).collect();
    for m in &s.mentions {
        assert!(stored.binary_search(&m.document_id).is_ok());
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
        .map(|d| (d.id, d.content_hash.as_str()))
        .collect();
    let event_of: BTreeMap<i64, &EventRow> = s.events.iter().map(|e| (e.id, e)).collect();
    let mut reports: BTreeMap<String, Vec<String>> = s
        .documents
        .iter()
        .map(|d| (d.content_hash.clone(), Vec::new()))
        .collect();
    for m in &s.mentions {
        let e = event_of[&m.event_id];
        let line = format!(
            "{} {} {:?} {:?} {:?}",
            e.kind,
            e.action,
            e.occurred_on,
            tickers(&store, e.id),
            (m.start_offset, m.end_offset)
        );
        reports
            .entry(hash_of[&m.document_id].to_string())
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
