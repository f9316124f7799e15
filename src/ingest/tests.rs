//! Merging, threads and corrections, on a real SQLite file, with extraction
//! results written here rather than produced by the extractor: what is tested is
//! what ingestion does with them, whatever the extractor finds in a given text.

use chrono::NaiveDate;
use diesel::prelude::*;
use tempfile::TempDir;

use super::prepare::{prepare_extraction, Defaults};
use super::registry;
use super::source::RawDocument;
use super::writer::{DocOutcome, Writer};
use crate::domain::{Action, Confidence, Currency, EventDate, Jurisdiction, Money, Status, Ticker};
use crate::extract::{self, CompanyRef, Evidence, Extraction, Format, Kind, Normalized, Role};
use crate::registry::CompanyRecord;
use crate::store::events_read;
use crate::store::models::{DocumentFormat, EventMentionRow, EventRow};
use crate::store::{companies, events_write, DbConnection, Store};

struct Db {
    store: Store,
    _dir: TempDir,
}

fn db() -> Db {
    let dir = TempDir::new().unwrap();
    let store = Store::open_and_migrate(&dir.path().join("t.db").display().to_string()).unwrap();
    let records = vec![
        CompanyRecord::new("AAA".into(), "Alpha Widgets Inc.", None, None),
        CompanyRecord::new("BBB".into(), "Beta Motors Corp.", None, None),
    ];
    companies::import(&mut store.conn().unwrap(), &records).unwrap();
    Db { store, _dir: dir }
}

fn event(kind: Kind, action: &str, tickers: &[&str], date: &str) -> extract::Event {
    let role = kind.subject_role();
    extract::Event {
        kind,
        action: Action::read(action).unwrap(),
        status: None,
        tickers: tickers.iter().map(|t| Ticker::parse(t).unwrap()).collect(),
        companies: tickers
            .iter()
            .map(|t| CompanyRef {
                ticker: Ticker::parse(t).unwrap(),
                name: t.to_string(),
                role,
            })
            .collect(),
        parties: vec![],
        authority: None,
        jurisdiction: None,
        money: None,
        amount_usd: None,
        date: EventDate::parse(date, None),
        confidence: Confidence::new(0.8),
        summary: format!("{} {action}", tickers.join(",")),
        evidence: vec![Evidence {
            start: 0,
            end: 5,
            text: "Alpha".into(),
            rule: "test".into(),
        }],
    }
}

fn ingest(db: &Db, text: &str, events: Vec<extract::Event>) -> DocOutcome {
    ingest_batch(db, &[(text, events)]).remove(0)
}

fn ingest_batch(db: &Db, docs: &[(&str, Vec<extract::Event>)]) -> Vec<DocOutcome> {
    let mut conn = db.store.conn().unwrap();
    let registry = registry::current(&mut conn).unwrap();
    let prepared: Vec<_> = docs
        .iter()
        .map(|(text, events)| {
            let raw = RawDocument {
                name: text.to_string(),
                content: text.to_string(),
                format: Format::Text,
                container: DocumentFormat::Text,
                url: None,
                origin: None,
                title: None,
                published_at: None,
                source: None,
                input_bytes: text.len() as u64,
            };
            let extraction = Extraction {
                document: Normalized {
                    text: text.to_string(),
                    format: Format::Text,
                    title: None,
                    published_at: None,
                    filer: None,
                    sections: vec![],
                },
                events: events.clone(),
            };
            let hash = super::content_hash(text);
            prepare_extraction(raw, hash, extraction, None, &registry, Defaults::default())
        })
        .collect();
    Writer::new(&registry, true)
        .write(&mut conn, &prepared)
        .unwrap()
}

fn all_events(db: &Db) -> Vec<EventRow> {
    let mut conn = db.store.conn().unwrap();
    let ids = events_write::ids_after(&mut conn, 0).unwrap();
    events_read::load_views(&mut conn, &ids)
        .unwrap()
        .into_iter()
        .map(|v| v.event)
        .collect()
}

fn mentions(db: &Db, event_id: i64) -> Vec<EventMentionRow> {
    let mut conn = db.store.conn().unwrap();
    events_read::detail(&mut conn, event_id)
        .unwrap()
        .map(|d| d.evidence.into_iter().map(|e| e.mention).collect())
        .unwrap_or_default()
}

/// Runs SQL written by hand: a change made outside the store, as an operator's.
fn sql(conn: &mut DbConnection, statement: &str) {
    diesel::sql_query(statement).execute(conn).unwrap();
}

/// The `occurred_on` column of an event's company links, as stored.
fn link_dates(conn: &mut DbConnection, event_id: i64) -> Vec<Option<NaiveDate>> {
    #[derive(QueryableByName)]
    struct Day {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
        occurred_on: Option<NaiveDate>,
    }
    diesel::sql_query(format!(
        "SELECT occurred_on FROM event_companies WHERE event_id = {event_id}"
    ))
    .load::<Day>(conn)
    .unwrap()
    .into_iter()
    .map(|d| d.occurred_on)
    .collect()
}

#[test]
fn three_reports_of_one_suit_make_one_event_with_three_mentions() {
    let db = db();
    let first = ingest(
        &db,
        "Alpha sued (1)",
        vec![event(Kind::Lawsuit, "filed", &["AAA"], "2026-01-23")],
    );
    assert_eq!((first.events_created, first.events_merged), (1, 0));
    let second = ingest(
        &db,
        "Alpha sued (2)",
        vec![event(Kind::Lawsuit, "sued", &["AAA"], "2026-01-24")],
    );
    assert_eq!((second.events_created, second.events_merged), (0, 1));
    let mut third_event = event(Kind::Lawsuit, "filed", &["AAA", "BBB"], "2026-01");
    third_event.amount_usd = Some(5_000_000_000);
    third_event.money = Some(Money::new(5e9, Currency::parse("usd").unwrap()).unwrap());
    let third = ingest(&db, "Alpha and Beta sued (3)", vec![third_event]);
    assert_eq!(
        (
            third.events_created,
            third.events_merged,
            third.events_updated
        ),
        (0, 1, 1)
    );

    let rows = all_events(&db);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let row = &rows[0];
    assert_eq!(row.fields.document_count, 3);
    assert_eq!(
        row.fields.amount_usd,
        Some(5_000_000_000),
        "the amount is filled in"
    );
    assert_eq!(row.fields.currency.as_deref(), Some("USD"));
    assert_eq!(row.fields.occurred_on, NaiveDate::from_ymd_opt(2026, 1, 23));
    assert_eq!(first.event_ids, vec![row.id]);
    assert_eq!(third.event_ids, vec![row.id]);
    let found = mentions(&db, row.id);
    assert_eq!(found.len(), 3);
    assert_eq!(found[0].fields.merge_reason, None);
    for merged in &found[1..] {
        let reason = merged.fields.merge_reason.as_deref().unwrap();
        assert!(reason.contains("companies AAA"), "{reason}");
        assert!(merged.fields.merge_score.unwrap() >= super::matching::MERGE_THRESHOLD);
    }
    let linked = events_read::detail(&mut db.store.conn().unwrap(), row.id)
        .unwrap()
        .unwrap()
        .view
        .companies;
    assert_eq!(linked.len(), 2, "Beta is added by the third report");
}

#[test]
fn different_happenings_stay_apart() {
    let db = db();
    let outcomes = ingest_batch(
        &db,
        &[
            (
                "a",
                vec![event(Kind::Lawsuit, "filed", &["AAA"], "2026-01-23")],
            ),
            (
                "b",
                vec![event(Kind::Lawsuit, "filed", &["AAA"], "2026-03-01")],
            ),
            (
                "c",
                vec![event(Kind::Lawsuit, "filed", &["BBB"], "2026-01-23")],
            ),
            (
                "d",
                vec![event(Kind::ServiceHalt, "halt", &["AAA"], "2026-01-23")],
            ),
            (
                "e",
                vec![event(
                    Kind::RegulatoryAction,
                    "fine",
                    &["AAA"],
                    "2026-01-23",
                )],
            ),
            (
                "f",
                vec![event(
                    Kind::RegulatoryAction,
                    "recall",
                    &["AAA"],
                    "2026-01-23",
                )],
            ),
        ],
    );
    assert!(
        outcomes.iter().all(|o| o.events_created == 1),
        "{outcomes:#?}"
    );
    assert_eq!(all_events(&db).len(), 6);
}

#[test]
fn reports_within_one_batch_merge_and_repeated_documents_are_stored_once() {
    let db = db();
    let report = || vec![event(Kind::ServiceHalt, "halt", &["BBB"], "2026-02-02")];
    let outcomes = ingest_batch(&db, &[("x", report()), ("y", report()), ("x", report())]);
    assert!(outcomes[0].created && outcomes[1].created && !outcomes[2].created);
    assert_eq!(outcomes[2].document_id, outcomes[0].document_id);
    let rows = all_events(&db);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].fields.document_count, 2);
    assert_eq!(mentions(&db, rows[0].id).len(), 2);
    let again = ingest(&db, "y", report());
    assert!(!again.created);
    assert_eq!(again.event_ids, vec![rows[0].id]);
    assert_eq!(all_events(&db), rows, "a known document changes nothing");
}

#[test]
fn a_settlement_joins_the_thread_of_its_suit_whichever_comes_first() {
    for settlement_first in [false, true] {
        let db = db();
        let suit = (
            "suit",
            vec![event(Kind::Lawsuit, "filed", &["AAA"], "2025-03-10")],
        );
        let mut settled = event(Kind::Lawsuit, "settled", &["AAA"], "2026-01-05");
        settled.status = Some(Status::Settled);
        let settlement = ("settlement", vec![settled]);
        let (a, b) = if settlement_first {
            (settlement.clone(), suit.clone())
        } else {
            (suit.clone(), settlement.clone())
        };
        ingest(&db, a.0, a.1);
        let second = ingest(&db, b.0, b.1);
        assert_eq!(second.events_created, 1);
        assert_eq!(
            second.events_updated, 1,
            "the earlier event joins the thread"
        );
        let rows = all_events(&db);
        assert_eq!(rows.len(), 2, "both steps stay on the timeline");
        let suit_row = rows.iter().find(|r| r.fields.action == "filed").unwrap();
        let settled_row = rows.iter().find(|r| r.fields.action == "settled").unwrap();
        assert_eq!(
            suit_row.fields.thread_id,
            Some(suit_row.id),
            "settlement first: {settlement_first}"
        );
        assert_eq!(settled_row.fields.thread_id, Some(suit_row.id));
        assert_eq!(suit_row.fields.thread_status.as_deref(), Some("settled"));
        assert_eq!(settled_row.fields.thread_status.as_deref(), Some("settled"));
        assert_eq!(suit_row.fields.status.as_deref(), Some("filed"));
    }
}

#[test]
fn a_settlement_of_another_company_or_too_late_opens_no_thread() {
    let db = db();
    ingest(
        &db,
        "suit",
        vec![event(Kind::Lawsuit, "filed", &["AAA"], "2018-03-10")],
    );
    ingest(
        &db,
        "other",
        vec![event(Kind::Lawsuit, "settled", &["BBB"], "2019-01-05")],
    );
    ingest(
        &db,
        "late",
        vec![event(Kind::Lawsuit, "settled", &["AAA"], "2026-01-05")],
    );
    let rows = all_events(&db);
    assert!(
        rows.iter().all(|r| r.fields.thread_id.is_none()),
        "{rows:#?}"
    );
    assert_eq!(rows[0].fields.thread_status.as_deref(), Some("filed"));
}

#[test]
fn an_analysts_corrections_survive_later_reports() {
    let db = db();
    let first = ingest(
        &db,
        "one",
        vec![event(Kind::RegulatoryAction, "fine", &["AAA"], "2026-04")],
    );
    let id = first.event_ids[0];
    {
        let mut conn = db.store.conn().unwrap();
        sql(
            &mut conn,
            &format!(
                "UPDATE events SET amount_usd = 1000, authority = 'SEC', \
                 corrected_fields = '[\"amount_usd\",\"authority\"]' WHERE id = {id}"
            ),
        );
    }
    let mut later = event(
        Kind::RegulatoryAction,
        "penalty",
        &["AAA", "BBB"],
        "2026-04-14",
    );
    later.amount_usd = Some(2_000_000);
    later.authority = Some("Securities and Exchange Commission".into());
    later.jurisdiction = Some(Jurisdiction::parse("US").unwrap());
    let outcome = ingest(&db, "two", vec![later.clone()]);
    assert_eq!(outcome.events_merged, 1);
    let row = &all_events(&db)[0];
    assert_eq!(row.fields.amount_usd, Some(1_000), "corrected amount kept");
    assert_eq!(
        row.fields.authority.as_deref(),
        Some("SEC"),
        "corrected authority kept"
    );
    assert_eq!(
        row.fields.jurisdiction.as_deref(),
        Some("US"),
        "uncorrected field filled in"
    );
    assert_eq!(
        row.fields.occurred_on,
        NaiveDate::from_ymd_opt(2026, 4, 14),
        "date refined"
    );
    assert_eq!(row.fields.document_count, 2);
    let dates = link_dates(&mut db.store.conn().unwrap(), id);
    assert!(
        dates.iter().all(|d| *d == row.fields.occurred_on),
        "{dates:?}"
    );

    // A reviewed event keeps every field; only the mention is added.
    sql(
        &mut db.store.conn().unwrap(),
        &format!("UPDATE events SET review_state = 'confirmed' WHERE id = {id}"),
    );
    let before = all_events(&db).remove(0);
    later.jurisdiction = None;
    later.parties = vec![extract::Party {
        name: "Jane Roe".into(),
        role: Role::Plaintiff,
    }];
    let outcome = ingest(&db, "three", vec![later]);
    assert_eq!((outcome.events_merged, outcome.events_updated), (1, 0));
    let after = all_events(&db).remove(0);
    assert_eq!(after.fields.parties, before.fields.parties);
    assert_eq!(after.fields.review_state, "confirmed");
    assert_eq!(after.fields.document_count, 3);
    assert_eq!(mentions(&db, id).len(), 3);
}

#[test]
fn steps_of_one_case_read_in_any_order_end_in_one_thread() {
    let orders: [[usize; 3]; 3] = [[0, 1, 2], [2, 1, 0], [1, 2, 0]];
    for order in orders {
        // The appeal names the court of the ruling: it continues the ruling, which
        // continues the suit.
        let in_court = |mut e: extract::Event| {
            e.authority = Some("Ninth Circuit".into());
            e
        };
        let steps = [
            (
                "suit",
                event(Kind::Lawsuit, "filed", &["AAA"], "2025-01-10"),
            ),
            (
                "ruling",
                in_court(event(Kind::Lawsuit, "ruled", &["AAA"], "2025-09-02")),
            ),
            (
                "appeal",
                in_court(event(Kind::Lawsuit, "appealed", &["AAA"], "2026-02-20")),
            ),
        ];
        for batched in [false, true] {
            let db = db();
            if batched {
                let docs: Vec<_> = order
                    .iter()
                    .map(|&i| (steps[i].0, vec![steps[i].1.clone()]))
                    .collect();
                ingest_batch(&db, &docs);
            } else {
                for &i in &order {
                    ingest(&db, steps[i].0, vec![steps[i].1.clone()]);
                }
            }
            let rows = all_events(&db);
            assert_eq!(rows.len(), 3);
            let suit = rows.iter().find(|r| r.fields.action == "filed").unwrap();
            for row in &rows {
                assert_eq!(
                    row.fields.thread_id,
                    Some(suit.id),
                    "{order:?} batched {batched}: {rows:#?}"
                );
                assert_eq!(row.fields.thread_status.as_deref(), Some("appealed"));
            }
        }
    }
}
