//! The stored timeline items (`store::items`) against the tables they derive
//! from, on both backends: after an ingest, after every kind of analyst write,
//! after a write made outside a write transaction, and after the migration that
//! creates them is reverted and applied again on a full database.

mod common;
mod ingest_support;

use chrono::NaiveDate;
use riskline::api::item::EventItem;
use riskline::store::events_read::{self, Cursor, EventFilter};
use riskline::store::items;
use riskline::store::models::{EventKind, ReviewState};
use riskline::store::review::{self, EventPatch};
use riskline::store::{tags, DbConnection, Store};

use common::{on_both_backends, sql, TestDb};
use ingest_support::{fixture, ingest_ok, migrate};

fn filters() -> Vec<(&'static str, EventFilter)> {
    vec![
        ("no filter", EventFilter::default()),
        (
            "lawsuits",
            EventFilter {
                kinds: vec![EventKind::Lawsuit],
                ..EventFilter::default()
            },
        ),
        (
            "a date range",
            EventFilter {
                from: NaiveDate::from_ymd_opt(2025, 6, 1),
                to: NaiveDate::from_ymd_opt(2026, 12, 31),
                ..EventFilter::default()
            },
        ),
        (
            "unreviewed and confident",
            EventFilter {
                review: vec![ReviewState::Unreviewed],
                min_confidence: Some(0.7),
                ..EventFilter::default()
            },
        ),
    ]
}

/// Every company's timeline read from the stored items equals the one read from
/// the tables, page by page (three items a page), cursors included.
fn assert_items_match(store: &Store, context: &str) {
    let mut conn = store.conn().expect("connection");
    assert!(
        !items::any_stale(&mut conn).unwrap(),
        "{context}: stale items left after the write"
    );
    let pairs = sql::number(
        &mut conn,
        "SELECT count(*) AS n FROM (SELECT DISTINCT event_id, company_id FROM event_companies) AS p",
    );
    let rows = sql::count(&mut conn, "timeline_items");
    assert_eq!(rows, pairs, "{context}: one item per event and company");
    let company_ids = sql::numbers(
        &mut conn,
        "SELECT DISTINCT company_id AS n FROM event_companies",
    );
    assert!(!company_ids.is_empty(), "{context}: no events to compare");
    for (name, filter) in filters() {
        for &company in &company_ids {
            let mut after: Option<Cursor> = None;
            loop {
                let tables = events_read::timeline(&mut conn, company, &filter, after, 3).unwrap();
                let stored = items::timeline_page(&mut conn, company, &filter, after, 3)
                    .unwrap()
                    .unwrap_or_else(|| panic!("{context}: the items did not answer"));
                let expected: Vec<String> = tables
                    .items
                    .into_iter()
                    .map(|v| serde_json::to_string(&EventItem::from_view(v)).unwrap())
                    .collect();
                assert_eq!(
                    stored.items, expected,
                    "{context}: company {company}, {name}, after {after:?}"
                );
                assert_eq!(stored.next, tables.next, "{context}: cursor, {name}");
                match tables.next {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
        }
    }
}

fn event_with_mentions(conn: &mut DbConnection, at_least: i64) -> (i64, Vec<i64>) {
    let events = sql::numbers(
        conn,
        "SELECT event_id AS n FROM event_mentions ORDER BY event_id, id",
    );
    let mentions = sql::numbers(
        conn,
        "SELECT id AS n FROM event_mentions ORDER BY event_id, id",
    );
    let mut by_event: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for (event, mention) in events.into_iter().zip(mentions) {
        by_event.entry(event).or_default().push(mention);
    }
    by_event
        .into_iter()
        .find(|(_, m)| m.len() as i64 >= at_least)
        .expect("an event with enough evidence")
}

fn check(db: &TestDb) {
    migrate(db);
    ingest_ok(db, &[&fixture("demo")]);
    let store = db.store();
    assert_items_match(&store, "after ingest");
    let mut conn = store.conn().unwrap();

    let (merged, mentions) = event_with_mentions(&mut conn, 2);
    let new_event = review::split(&mut conn, merged, &mentions[1..], "test").unwrap();
    assert!(new_event > merged);
    assert_items_match(&store, "after a split");

    tags::add(&mut conn, merged, "watch", "test").unwrap();
    tags::add(&mut conn, new_event, "watch", "test").unwrap();
    assert_items_match(&store, "after tagging");
    tags::remove(&mut conn, new_event, "watch", "test").unwrap();
    assert_items_match(&store, "after untagging");

    let patch = EventPatch {
        review_state: Some(ReviewState::Confirmed),
        occurred_on: Some(Some((
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
            riskline::store::models::DatePrecision::Day,
        ))),
        summary: Some("Corrected by an analyst".to_string()),
        ..EventPatch::default()
    };
    review::patch(&mut conn, merged, &patch, "test").unwrap();
    let undate = EventPatch {
        occurred_on: Some(None),
        ..EventPatch::default()
    };
    review::patch(&mut conn, new_event, &undate, "test").unwrap();
    assert_items_match(&store, "after corrections");

    let company = sql::numbers(
        &mut conn,
        &format!(
            "SELECT company_id AS n FROM event_companies WHERE event_id = {merged} ORDER BY id"
        ),
    )[0];
    // A change made in one of the store's write transactions: the items it
    // makes stale are rebuilt before it commits.
    riskline::store::backend::write_transaction(&mut conn, |conn| {
        sql::exec(
            conn,
            &format!("UPDATE companies SET name = 'Renamed Holdings Inc' WHERE id = {company}"),
        );
        Ok::<_, riskline::store::StoreError>(())
    })
    .unwrap();
    assert_items_match(&store, "after a company was renamed");

    // A write outside a write transaction: the items step aside until rebuilt.
    sql::exec(
        &mut conn,
        &format!(
            "UPDATE events SET summary = 'Changed behind the store''s back' WHERE id = {merged}"
        ),
    );
    assert!(items::any_stale(&mut conn).unwrap());
    assert!(
        items::timeline_page(&mut conn, company, &EventFilter::default(), None, 50)
            .unwrap()
            .is_none(),
        "stale items must not answer"
    );
    let rebuilt = items::refresh_all(&mut conn, |_, _| {}).unwrap();
    assert_eq!(rebuilt, 1);
    assert_items_match(&store, "after a rebuild");

    // Reverting the migration drops the items; applying it again rebuilds all.
    drop(conn);
    // (The migrations after it go first, newest first.)
    let mut later: Vec<String> = Vec::new();
    loop {
        let reverted = store.revert(false).unwrap();
        assert_eq!(reverted.len(), 1, "one migration at a time: {reverted:?}");
        if reverted[0] == "2026-01-01-000004_timeline_items" {
            break;
        }
        assert!(reverted[0].as_str() > "2026-01-01-000004", "{reverted:?}");
        later.extend(reverted);
    }
    assert!(
        later.contains(&"2026-12-04-000005_published_precision".to_string()),
        "{later:?}"
    );
    store.migrate().unwrap();
    assert_items_match(&store, "after the migration ran on a full database");
}

#[test]
fn stored_timeline_items_follow_every_write() {
    on_both_backends(check);
}
