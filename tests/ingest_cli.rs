//! `riskline ingest` through the real binary, on SQLite and PostgreSQL: re-ingest
//! is a no-op, one event per happening, threads, corrections, bad files, and an
//! ingest killed mid-way.

mod common;
mod ingest_corpus;
mod ingest_support;

use std::process::{Command, Stdio};

use chrono::NaiveDate;
use common::{on_both_backends, TestDb};
use ingest_support::*;
use riskline::store::models::{DatePrecision, ReviewState};
use riskline::store::review::{self, EventPatch};
use tempfile::TempDir;

#[test]
fn reingesting_the_same_documents_changes_nothing() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        let demo = fixture("demo");
        let first = ingest_ok(db, &[&demo]);
        let stored = first["documents"]["new"].as_u64().unwrap();
        assert!(stored >= 40, "on {}: {first}", db.backend);
        assert!(first["events"]["created"].as_u64().unwrap() > 0, "{first}");
        let before = snapshot(&db.store());
        assert_consistent(db);

        let second = ingest_ok(db, &[&demo]);
        assert_eq!(second["documents"]["new"], 0, "on {}: {second}", db.backend);
        assert_eq!(
            second["documents"]["known"].as_u64(),
            Some(stored),
            "{second}"
        );
        assert_eq!(second["documents"]["failed"], 0, "{second}");
        assert_eq!(second["events"]["created"], 0, "{second}");
        assert_eq!(second["events"]["merged"], 0, "{second}");
        assert_eq!(second["events"]["updated"], 0, "{second}");
        assert_eq!(snapshot(&db.store()), before, "on {}", db.backend);
    });
}

#[test]
fn three_articles_about_one_suit_make_one_event_with_three_mentions() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        let summary = ingest_ok(db, &[&fixture("ingest/same-suit")]);
        assert_eq!(summary["documents"]["new"], 3, "{summary}");
        let store = db.store();
        let suits: Vec<_> = events_of(&store, "BA")
            .into_iter()
            .filter(|e| e.fields.kind == "lawsuit")
            .collect();
        assert_eq!(suits.len(), 1, "on {}: {suits:#?}", db.backend);
        let suit = &suits[0];
        assert_eq!(suit.fields.occurred_on, NaiveDate::from_ymd_opt(2026, 3, 3));
        assert_eq!(suit.fields.document_count, 3);
        let mentions = mentions_of(&store, suit.id);
        let mut docs: Vec<i64> = mentions.iter().map(|m| m.fields.document_id).collect();
        docs.dedup();
        assert_eq!(docs.len(), 3, "one mention per article: {mentions:#?}");
        assert!(mentions[0].fields.merge_reason.is_none());
        for m in &mentions[1..] {
            let reason = m.fields.merge_reason.as_deref().unwrap_or_default();
            assert!(reason.contains("companies BA"), "{reason}");
            assert!(m.fields.merge_score.unwrap_or_default() >= 0.6, "{m:?}");
        }
        assert_consistent(db);
    });
}

fn thread_rows(
    db: &TestDb,
) -> (
    riskline::store::models::EventRow,
    riskline::store::models::EventRow,
) {
    let rows = events_of(&db.store(), "NFLX");
    assert_eq!(rows.len(), 2, "on {}: {rows:#?}", db.backend);
    let suit = rows
        .iter()
        .find(|e| e.fields.action == "filed")
        .cloned()
        .unwrap();
    let settlement = rows
        .iter()
        .find(|e| e.fields.action == "settled")
        .cloned()
        .unwrap();
    (suit, settlement)
}

#[test]
fn a_later_settlement_joins_the_thread_of_the_lawsuit() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        ingest_ok(db, &[&fixture("ingest/thread/1-suit.txt")]);
        let alone = events_of(&db.store(), "NFLX");
        assert_eq!(alone.len(), 1, "on {}: {alone:#?}", db.backend);
        assert_eq!(alone[0].fields.thread_id, None);
        assert_eq!(alone[0].fields.thread_status.as_deref(), Some("filed"));
        let summary = ingest_ok(db, &[&fixture("ingest/thread/2-settlement.txt")]);
        assert_eq!(summary["events"]["created"], 1, "{summary}");
        assert!(
            summary["events"]["updated"].as_u64().unwrap() >= 1,
            "{summary}"
        );
        let (suit, settlement) = thread_rows(db);
        assert_eq!(suit.fields.thread_id, Some(suit.id), "on {}", db.backend);
        assert_eq!(settlement.fields.thread_id, Some(suit.id));
        assert_eq!(suit.fields.thread_status.as_deref(), Some("settled"));
        assert_eq!(settlement.fields.thread_status.as_deref(), Some("settled"));
        assert_eq!(
            suit.fields.status.as_deref(),
            Some("filed"),
            "each step keeps its own status"
        );
        assert_consistent(db);
    });
}

#[test]
fn a_settlement_read_before_its_lawsuit_joins_the_thread_too() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        ingest_ok(db, &[&fixture("ingest/thread/2-settlement.txt")]);
        ingest_ok(db, &[&fixture("ingest/thread/1-suit.txt")]);
        let (suit, settlement) = thread_rows(db);
        assert_eq!(suit.fields.thread_id, Some(suit.id), "on {}", db.backend);
        assert_eq!(settlement.fields.thread_id, Some(suit.id));
        assert_eq!(suit.fields.thread_status.as_deref(), Some("settled"));
        assert_eq!(settlement.fields.thread_status.as_deref(), Some("settled"));
    });
}

#[test]
fn an_analysts_correction_survives_a_new_article_about_the_event() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        ingest_ok(db, &[&fixture("ingest/same-suit/1-wire.txt")]);
        let store = db.store();
        let suit = events_of(&store, "BA").remove(0);
        // An analyst corrects the date and the court, confirms the event and tags it.
        let corrected_on = NaiveDate::from_ymd_opt(2026, 3, 2);
        {
            let mut conn = store.conn().unwrap();
            let correction = EventPatch {
                occurred_on: Some(corrected_on.map(|d| (d, DatePrecision::Day))),
                authority: Some(Some("Western District of Washington".to_string())),
                review_state: Some(ReviewState::Confirmed),
                ..EventPatch::default()
            };
            review::patch(&mut conn, suit.id, &correction, "analyst").unwrap();
            riskline::store::tags::add(&mut conn, suit.id, "watch", "analyst").unwrap();
        }
        let before = snapshot(&store);
        let corrected = before
            .events
            .iter()
            .find(|e| e.id == suit.id)
            .cloned()
            .unwrap();

        let summary = ingest_ok(db, &[&fixture("ingest/same-suit/2-business.txt")]);
        assert_eq!(
            summary["events"]["merged"], 1,
            "on {}: {summary}",
            db.backend
        );
        let after = snapshot(&store);
        let merged = after
            .events
            .iter()
            .find(|e| e.id == suit.id)
            .cloned()
            .unwrap();
        assert_eq!(merged.fields.occurred_on, corrected_on);
        assert_eq!(
            merged.fields.authority.as_deref(),
            Some("Western District of Washington")
        );
        assert_eq!(merged.fields.review_state, "confirmed");
        assert_eq!(
            merged.fields.corrected_fields,
            corrected.fields.corrected_fields
        );
        assert_eq!(merged.fields.summary, corrected.fields.summary);
        assert_eq!(merged.fields.parties, corrected.fields.parties);
        assert_eq!(
            merged.fields.document_count, 2,
            "the new article is a mention"
        );
        assert_eq!(mentions_of(&store, suit.id).len(), 2);
        assert_eq!(after.tags, before.tags, "tags stay");
        assert_eq!(after.events.len(), before.events.len());
    });
}

#[test]
fn bad_files_are_reported_by_name_and_reason_and_the_good_ones_are_stored() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        copy_fixture("ingest/same-suit/1-wire.txt", root);
        std::fs::write(root.join("latin1.txt"), b"Caf\xe9 au lait\n").unwrap();
        std::fs::write(
            root.join("batch.jsonl"),
            concat!(
                "{\"id\": \"ok-1\", \"text\": \"Shares of Netflix rose on Monday.\", \"published_at\": \"2026-01-05\"}\n",
                "{\"id\": \"broken\", \"text\": \n",
                "{\"id\": \"no-body\", \"title\": \"Only a title\"}\n",
            ),
        )
        .unwrap();
        let big = root.join("huge.txt");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(riskline::ingest::MAX_DOCUMENT_BYTES + 1)
            .unwrap();
        std::os::unix::fs::symlink(root.join("gone.txt"), root.join("dangling.txt")).unwrap();
        let locked = root.join("locked.txt");
        std::fs::write(&locked, "Locked away.").unwrap();
        std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
            .unwrap();
        // Root reads any file: then the locked file is a good one.
        let locked_readable = std::fs::read(&locked).is_ok();
        // A path named on the command line that does not exist is a usage error before
        // anything is read (tests/ingest_usage.rs); inside a folder, the dangling link
        // is a failed document like the others.
        let (run, summary) = ingest(db, &[&path_str(root)]);
        assert!(
            !run.success,
            "a failure makes the exit code non-zero: {summary}"
        );
        assert_eq!(run.code, Some(1));
        let failures: Vec<(String, String)> = summary["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["name"].as_str().unwrap().to_string(),
                    f["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let reason_of = |suffix: &str| -> String {
            failures
                .iter()
                .find(|(name, _)| name.ends_with(suffix))
                .map(|(_, reason)| reason.clone())
                .unwrap_or_else(|| panic!("no failure named *{suffix} in {failures:#?}"))
        };
        assert!(reason_of("latin1.txt").contains("not UTF-8"));
        assert!(reason_of("batch.jsonl:2").starts_with("malformed JSON"));
        assert!(reason_of("batch.jsonl:3 (id no-body)").contains("one of text or html is required"));
        assert!(reason_of("huge.txt").starts_with("too large"));
        assert!(reason_of("dangling.txt").contains("not found"));
        let expected_failures = if locked_readable { 5 } else { 6 };
        if !locked_readable {
            assert!(reason_of("locked.txt").contains("permission denied"));
        }
        assert_eq!(
            summary["documents"]["failed"], expected_failures,
            "{summary}"
        );
        let stored_expected = if locked_readable { 3 } else { 2 };
        assert_eq!(summary["documents"]["new"], stored_expected, "{summary}");
        let titles: Vec<Option<String>> = snapshot(&db.store())
            .documents
            .into_iter()
            .map(|d| d.fields.title)
            .collect();
        assert_eq!(titles.len(), stored_expected as usize);
        assert!(titles.contains(&Some(
            "Pension Fund Sues Boeing Over 737 MAX Safety Disclosures".to_string()
        )));
        assert_consistent(db);
    });
}

#[test]
fn jsonl_feed_and_stdin_documents_keep_their_metadata() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        let summary = ingest_ok(
            db,
            &[
                &fixture("demo/batch.jsonl"),
                &fixture("demo/feeds/regulators.xml"),
                &fixture("demo/feeds/outages.atom"),
            ],
        );
        assert_eq!(summary["documents"]["failed"], 0, "{summary}");
        type Meta = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<chrono::NaiveDateTime>,
        );
        let rows: Vec<Meta> = snapshot(&db.store())
            .documents
            .into_iter()
            .map(|d| {
                (
                    d.fields.source_kind,
                    d.fields.format,
                    d.fields.url,
                    d.fields.title,
                    d.fields.published_at,
                )
            })
            .collect();
        let formats: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        for format in ["jsonl", "rss", "atom"] {
            assert!(formats.contains(&format), "{formats:?}");
        }
        for (source, format, url, title, published) in &rows {
            assert!(
                url.as_deref().is_some_and(|u| u.starts_with("https://")),
                "{rows:#?}"
            );
            assert!(title.is_some() && published.is_some(), "{rows:#?}");
            let expected = if format == "jsonl" { "news" } else { "feed" };
            assert_eq!(source, expected);
        }

        // Standard input, with the date of its `Published:` line and a source given.
        let text = std::fs::read_to_string(fixture("ingest/thread/1-suit.txt")).unwrap();
        let mut child = Command::new(common::bin())
            .args(["ingest", "--json", "--source", "court", "-"])
            .env("DATABASE_URL", &db.url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), text.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let row: (String, Option<chrono::NaiveDateTime>, Option<String>) = snapshot(&db.store())
            .documents
            .pop()
            .map(|d| (d.fields.source_kind, d.fields.published_at, d.fields.title))
            .unwrap();
        assert_eq!(row.0, "court");
        assert_eq!(
            row.1,
            NaiveDate::from_ymd_opt(2025, 2, 12).and_then(|d| d.and_hms_opt(0, 0, 0))
        );
        assert_eq!(
            row.2.as_deref(),
            Some("Streaming Subscribers Sue Netflix Over Price Increases")
        );
    });
}

#[test]
fn an_ingest_killed_midway_leaves_a_consistent_database_and_a_rerun_completes_it() {
    const DOCUMENTS: usize = 1_500;
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    ingest_corpus::write_files(&corpus, DOCUMENTS).unwrap();
    let corpus = path_str(&corpus);
    let args = [
        "ingest",
        "--json",
        "--batch-documents",
        "25",
        corpus.as_str(),
    ];

    on_both_backends(|db: &TestDb| {
        // The reference: one uninterrupted run into another database of the backend.
        let clean = match db.backend {
            riskline::store::Backend::Sqlite => TestDb::sqlite(),
            riskline::store::Backend::Postgres => TestDb::postgres().expect("a second database"),
        };
        migrate(&clean);
        let summary = ingest_ok(&clean, &args[2..]);
        assert_eq!(summary["documents"]["new"].as_u64(), Some(DOCUMENTS as u64));
        let expected = counts(&clean.store());

        // Migrate and load the registry first, so that the first commit seen is one of documents.
        migrate(db);
        db.run_ok(&["companies", "list", "--limit", "1"]);
        let store = db.store();
        let mut child = Command::new(common::bin())
            .args(args)
            .env("DATABASE_URL", &db.url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let committed = wait_for(|| counts(&store)[0] > 0);
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(committed, "on {}: no batch was committed", db.backend);
        let at_kill = counts(&store);
        assert!(
            (at_kill[0] as usize) < DOCUMENTS,
            "on {}: the run finished before it was killed; the corpus is too small",
            db.backend
        );
        assert_consistent(db);

        let summary = ingest_ok(db, &args[2..]);
        let known = summary["documents"]["known"].as_u64().unwrap();
        let new = summary["documents"]["new"].as_u64().unwrap();
        assert!(known >= at_kill[0] as u64, "on {}: {summary}", db.backend);
        assert_eq!(known + new, DOCUMENTS as u64, "{summary}");
        assert_consistent(db);
        assert_eq!(
            counts(&db.store()),
            expected,
            "on {}: rerun vs clean run",
            db.backend
        );
        assert_eq!(
            reports_by_document(db),
            reports_by_document(&clean),
            "on {}",
            db.backend
        );
    });
}
