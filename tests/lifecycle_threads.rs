//! Stories over time, on SQLite and PostgreSQL: articles written for this test are
//! ingested in order, and the later steps (a ban lifted, deliveries resumed, a
//! dismissal appealed and reversed) join the thread of the earlier ones; the risk
//! summary counts what each story left active, on the day asked for. Companies are
//! linked as they were on each article's day.

mod common;
mod ingest_support;

use chrono::NaiveDate;
use common::{on_both_backends, TestDb};
use riskline::extract::dates::Published;
use riskline::ingest::{ingest_one, DocumentInput};
use riskline::store::events_read::{risk_summary, RiskSummary};
use riskline::store::models::EventRow;
use riskline::store::{companies, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Ingests `text` published on `date`; returns the ids of its events.
fn ingest(store: &Store, date: &str, text: &str) -> Vec<i64> {
    let outcome = ingest_one(
        store,
        DocumentInput {
            text: Some(text.to_string()),
            published_at: Some(Published::day(day(date)).into()),
            source: Some("news".into()),
            ..DocumentInput::default()
        },
    )
    .unwrap();
    assert!(
        !outcome.event_ids.is_empty(),
        "{date}: no event in {text:?}"
    );
    outcome.event_ids
}

fn company_id(store: &Store, ticker: &str) -> i64 {
    let mut conn = store.conn().unwrap();
    companies::find_by_ticker(&mut conn, ticker)
        .unwrap()
        .unwrap_or_else(|| panic!("no company {ticker}"))
        .id
}

fn risk(store: &Store, ticker: &str, as_of: &str) -> RiskSummary {
    let id = company_id(store, ticker);
    risk_summary(&mut store.conn().unwrap(), id, day(as_of)).unwrap()
}

fn events_of(store: &Store, ticker: &str) -> Vec<EventRow> {
    ingest_support::events_of(store, ticker)
}

fn thread_key(e: &EventRow) -> i64 {
    e.fields.thread_id.unwrap_or(e.id)
}

#[test]
fn a_lifted_ban_is_no_longer_active_and_was_active_before_its_lifting() {
    on_both_backends(|db: &TestDb| {
        let store = db.migrated_store();
        ingest(
            &store,
            "2024-03-04",
            "The Federal Aviation Administration on Monday banned Boeing from expanding production of its 737 MAX jets.",
        );
        ingest(
            &store,
            "2024-09-10",
            "The Federal Aviation Administration on Tuesday lifted its ban on Boeing's 737 MAX production expansion.",
        );
        let events = events_of(&store, "BA");
        assert_eq!(events.len(), 2, "on {}: {events:#?}", db.backend);
        assert_eq!(thread_key(&events[0]), thread_key(&events[1]));
        assert_eq!(
            risk(&store, "BA", "2024-12-01").active_bans,
            0,
            "on {}",
            db.backend
        );
        assert_eq!(
            risk(&store, "BA", "2024-06-01").active_bans,
            1,
            "on {}",
            db.backend
        );
    });
}

#[test]
fn resumed_deliveries_end_the_halt_and_a_resumption_alone_stands_alone() {
    on_both_backends(|db: &TestDb| {
        let store = db.migrated_store();
        ingest(
            &store,
            "2024-01-08",
            "Boeing halted deliveries of its 737 MAX 9 jets on Monday after a cabin panel blew out in flight.",
        );
        ingest(
            &store,
            "2024-02-05",
            "Boeing resumed deliveries of its 737 MAX 9 jets on Monday.",
        );
        assert_eq!(
            risk(&store, "BA", "2024-03-01").active_halts,
            0,
            "on {}",
            db.backend
        );
        assert_eq!(
            risk(&store, "BA", "2024-01-20").active_halts,
            1,
            "on {}",
            db.backend
        );

        // Another company's resumption with no halt on record: one step, marked.
        let ids = ingest(
            &store,
            "2024-04-02",
            "General Motors resumed production at its Fairfax assembly plant on Tuesday.",
        );
        let mut conn = store.conn().unwrap();
        let reason: Vec<Option<String>> = common::sql::texts(
            &mut conn,
            &format!(
                "SELECT thread_reason AS t FROM events WHERE id = {}",
                ids[0]
            ),
        );
        assert!(
            reason[0]
                .as_deref()
                .is_some_and(|r| r.starts_with("stands alone")),
            "on {}: {reason:?}",
            db.backend
        );
        assert_eq!(risk(&store, "GM", "2024-05-01").active_halts, 0);
    });
}

#[test]
fn a_suit_dismissed_appealed_and_reversed_is_one_open_thread() {
    on_both_backends(|db: &TestDb| {
        let store = db.migrated_store();
        let steps = [
            ("2022-03-01", "Shareholders sued Tesla in the U.S. District Court for the Northern District of California on Tuesday, accusing it of misleading investors about its driver-assistance software."),
            ("2023-05-10", "A federal judge in the Northern District of California on Wednesday dismissed the shareholder lawsuit against Tesla over its driver-assistance software."),
            ("2023-06-12", "The shareholders appealed the dismissal of their lawsuit against Tesla to the Ninth Circuit on Monday."),
            ("2024-08-20", "The Ninth Circuit on Tuesday reversed the dismissal of the shareholder lawsuit against Tesla over its driver-assistance software."),
        ];
        for (date, text) in steps {
            ingest(&store, date, text);
        }
        let events = events_of(&store, "TSLA");
        let actions: Vec<&str> = events.iter().map(|e| e.fields.action.as_str()).collect();
        assert_eq!(
            actions,
            ["filed", "dismissed", "appealed", "reversed"],
            "on {}: {events:#?}",
            db.backend
        );
        let root = thread_key(&events[0]);
        assert!(
            events.iter().all(|e| thread_key(e) == root),
            "on {}: {events:#?}",
            db.backend
        );
        let reason = events[3].id;
        let mut conn = store.conn().unwrap();
        let stored = common::sql::texts(
            &mut conn,
            &format!("SELECT thread_reason AS t FROM events WHERE id = {reason}"),
        );
        assert!(
            stored[0]
                .as_deref()
                .is_some_and(|r| r.starts_with("continues event")),
            "{stored:?}"
        );
        assert_eq!(risk(&store, "TSLA", "2023-05-20").open_lawsuits, 0);
        assert_eq!(risk(&store, "TSLA", "2023-07-01").open_lawsuits, 1);
        assert_eq!(risk(&store, "TSLA", "2024-09-01").open_lawsuits, 1);
    });
}

#[test]
fn companies_are_linked_as_they_were_on_the_articles_day() {
    on_both_backends(|db: &TestDb| {
        let store = db.migrated_store();
        ingest(
            &store,
            "2001-06-07",
            "A Los Angeles jury on Wednesday ordered Philip Morris to pay $3 billion to a smoker who had sued the tobacco company.",
        );
        assert_eq!(events_of(&store, "MO").len(), 1, "on {}", db.backend);
        assert!(events_of(&store, "PM").is_empty(), "on {}", db.backend);

        ingest(
            &store,
            "2023-02-03",
            "The Securities and Exchange Commission on Friday fined Activision Blizzard $35 million over its handling of workplace complaints.",
        );
        assert_eq!(events_of(&store, "ATVI").len(), 1, "on {}", db.backend);
        assert!(events_of(&store, "MSFT").is_empty(), "on {}", db.backend);
        // After the acquisition closed, Activision Blizzard is Microsoft's.
        ingest(
            &store,
            "2024-03-12",
            "Parents of young players sued Activision Blizzard in Los Angeles Superior Court on Tuesday over the design of its games.",
        );
        assert_eq!(events_of(&store, "MSFT").len(), 1, "on {}", db.backend);
        assert_eq!(events_of(&store, "ATVI").len(), 1, "on {}", db.backend);

        // Renamed between two articles: one company, one timeline.
        ingest(
            &store,
            "2021-03-10",
            "The Federal Trade Commission sued Facebook on Wednesday, accusing the company of buying rivals to crush competition.",
        );
        ingest(
            &store,
            "2023-01-18",
            "Meta was fined 5.5 million euros by Ireland's Data Protection Commission on Wednesday over WhatsApp's privacy terms.",
        );
        assert_eq!(events_of(&store, "META").len(), 2, "on {}", db.backend);
    });
}

#[test]
fn the_demo_corpus_ends_the_halts_its_continued_stories_end() {
    on_both_backends(|db: &TestDb| {
        let store = db.migrated_store();
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        riskline::ingest::ingest_paths(
            &store,
            &[demo],
            &riskline::ingest::IngestOptions::default(),
            |_| {},
        )
        .unwrap();
        // Alaska's grounded jets back in service, AT&T's network restored.
        for ticker in ["ALK", "T"] {
            let before = risk(&store, ticker, "2024-01-20");
            let after = risk(&store, ticker, "2024-12-31");
            assert_eq!(
                after.active_halts, 0,
                "on {}: {ticker} {after:?}",
                db.backend
            );
            if ticker == "ALK" {
                assert_eq!(before.active_halts, 1, "on {}: {before:?}", db.backend);
            }
        }
        let resumed: Vec<EventRow> = events_of(&store, "ALK")
            .into_iter()
            .filter(|e| e.fields.action == "resumption")
            .collect();
        assert_eq!(resumed.len(), 1, "on {}", db.backend);
        assert_eq!(resumed[0].fields.thread_status.as_deref(), Some("resumed"));
    });
}
