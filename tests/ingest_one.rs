//! `riskline::ingest::ingest_one`, what `POST /api/v1/documents` calls, on SQLite
//! and PostgreSQL: validation names the field at fault, a known document changes
//! nothing, and a second report of an event merges into it.

mod common;
mod ingest_support;

use chrono::NaiveDate;
use common::{on_both_backends, TestDb};
use ingest_support::*;
use riskline::extract::Format;
use riskline::ingest::{ingest_one, DocumentInput, IngestError, MAX_DOCUMENT_BYTES};

fn text_of(relative: &str) -> String {
    std::fs::read_to_string(fixture(relative)).unwrap()
}

fn invalid(db: &TestDb, input: DocumentInput) -> (&'static str, String) {
    match ingest_one(&db.migrated_store(), input) {
        Err(IngestError::Invalid { field, message }) => (field, message),
        other => panic!(
            "on {}: expected a validation error, got {other:?}",
            db.backend
        ),
    }
}

#[test]
fn invalid_documents_are_refused_naming_the_field_and_change_nothing() {
    on_both_backends(|db: &TestDb| {
        let text = |t: &str| DocumentInput {
            text: Some(t.to_string()),
            ..DocumentInput::default()
        };
        let (field, message) = invalid(db, DocumentInput::default());
        assert_eq!(field, "text");
        assert!(
            message.contains("one of text or html is required"),
            "{message}"
        );
        let err = ingest_one(&db.migrated_store(), DocumentInput::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("text: one of text or html is required"),
            "{err}"
        );

        let both = DocumentInput {
            html: Some("<p>x</p>".into()),
            ..text("x")
        };
        assert_eq!(invalid(db, both).0, "text");
        let source = DocumentInput {
            source: Some("blog".into()),
            ..text("Netflix raised prices.")
        };
        let (field, message) = invalid(db, source);
        assert_eq!(field, "source");
        assert!(
            message.contains("\"blog\" is not a valid source kind"),
            "{message}"
        );
        let contradiction = DocumentInput {
            html: Some("<p>x</p>".into()),
            format: Some(Format::Edgar),
            ..DocumentInput::default()
        };
        assert_eq!(invalid(db, contradiction).0, "format");
        let url = DocumentInput {
            url: Some("not a url".into()),
            ..text("Netflix raised prices.")
        };
        assert_eq!(invalid(db, url).0, "url");
        let (field, message) = invalid(db, text("binary\0content"));
        assert_eq!(field, "text");
        assert!(message.contains("NUL byte"), "{message}");
        let huge = "x".repeat(usize::try_from(MAX_DOCUMENT_BYTES).unwrap() + 1);
        let (field, message) = invalid(
            db,
            DocumentInput {
                html: Some(huge),
                ..DocumentInput::default()
            },
        );
        assert_eq!(field, "html");
        assert!(message.starts_with("too large"), "{message}");
        assert_eq!(counts(&db.store()), [0, 0, 0, 0], "on {}", db.backend);
    });
}

#[test]
fn a_document_is_stored_once_and_a_second_report_merges_into_its_event() {
    on_both_backends(|db: &TestDb| {
        let store = db.migrated_store();
        let first = DocumentInput {
            text: Some(text_of("ingest/same-suit/1-wire.txt")),
            url: Some("https://news.example/boeing-suit".into()),
            source: Some("news".into()),
            ..DocumentInput::default()
        };
        let created = ingest_one(&store, first.clone()).unwrap();
        assert!(created.created);
        assert_eq!(created.events_created, 1, "on {}: {created:?}", db.backend);
        assert_eq!(created.event_ids.len(), 1);
        let before = snapshot(&store);
        let document = &before.documents[0];
        assert_eq!(
            document.fields.url.as_deref(),
            Some("https://news.example/boeing-suit")
        );
        assert_eq!(
            document.fields.published_at,
            NaiveDate::from_ymd_opt(2026, 3, 4).and_then(|d| d.and_hms_opt(0, 0, 0)),
            "from the Published: line"
        );

        let again = ingest_one(&store, first).unwrap();
        assert!(!again.created);
        assert_eq!(again.document_id, created.document_id);
        assert_eq!(again.event_ids, created.event_ids);
        assert_eq!(
            (
                again.events_created,
                again.events_merged,
                again.events_updated
            ),
            (0, 0, 0)
        );
        assert_eq!(snapshot(&store), before, "on {}", db.backend);

        let second = ingest_one(
            &store,
            DocumentInput {
                text: Some(text_of("ingest/same-suit/3-markets.txt")),
                published_at: NaiveDate::from_ymd_opt(2026, 3, 5)
                    .map(|d| riskline::extract::dates::Published::day(d).into()),
                ..DocumentInput::default()
            },
        )
        .unwrap();
        assert!(second.created);
        assert_eq!(
            (second.events_created, second.events_merged),
            (0, 1),
            "{second:?}"
        );
        assert_eq!(second.event_ids, created.event_ids);
        let event = events_of(&store, "BA").remove(0);
        assert_eq!(event.fields.document_count, 2);
        assert_consistent(db);
    });
}
