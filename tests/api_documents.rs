//! `POST /api/v1/documents` over real HTTP, on SQLite and PostgreSQL: a document
//! goes through the same ingestion as `riskline ingest`, posting it again changes
//! nothing, raw text bodies carry their metadata in the query, and bad input is
//! refused by name without writing anything.

mod api_support;
mod common;

use api_support::{no_seed, on_both_servers, snapshot, TestServer};
use serde_json::json;

const ARTICLE: &str = "Investors sue Boeing over door plug\n\n\
Shareholders sued Boeing on Monday in federal court in Seattle, accusing the planemaker \
of misleading investors about the safety of its 737 MAX jets.";

#[test]
fn a_posted_document_is_stored_with_its_events_and_posting_it_again_changes_nothing() {
    on_both_servers(no_seed, |server: &TestServer| {
        let body = json!({"text": ARTICLE, "published_at": "2024-03-06",
                          "title": "Investors sue Boeing", "url": "https://example.org/a"})
        .to_string();
        let first = server.send(
            "POST",
            "/api/v1/documents",
            Some(&server.analyst),
            Some(&body),
        );
        assert_eq!(first.status, 201, "{}", first.body);
        let v = first.json();
        assert_eq!(v["created"], true);
        let doc_id = v["document"]["id"].as_i64().unwrap();
        let events = v["events"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{}", first.body);
        assert_eq!(events[0]["kind"], "lawsuit");
        assert_eq!(events[0]["companies"][0]["ticker"], "BA");
        assert_eq!(events[0]["occurred_on"], "2024-03-04");

        let stored = server.read_json(&format!("/api/v1/documents/{doc_id}"));
        assert_eq!(stored["title"], "Investors sue Boeing");
        assert_eq!(stored["event_ids"], json!([events[0]["id"]]));
        let timeline = server.read_json("/api/v1/companies/BA/timeline");
        assert_eq!(timeline["items"].as_array().unwrap().len(), 1);

        let before = snapshot(&mut server.conn());
        let again = server.send(
            "POST",
            "/api/v1/documents",
            Some(&server.analyst),
            Some(&body),
        );
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.json()["created"], false);
        assert_eq!(again.json()["document"]["id"].as_i64(), Some(doc_id));
        assert_eq!(snapshot(&mut server.conn()), before);
    });
}

#[test]
fn a_raw_text_body_takes_its_metadata_from_the_query() {
    on_both_servers(no_seed, |server: &TestServer| {
        let resp = api_support::send(
            "POST",
            &format!(
                "{}/api/v1/documents?title=Raw&published_at=2024-03-06&source=news",
                server.base
            ),
            Some(&server.analyst),
            Some(ARTICLE),
            Some("text/plain"),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        let v = resp.json();
        assert_eq!(v["document"]["title"], "Raw");
        assert_eq!(v["document"]["source_kind"], "news");
        assert_eq!(v["events"][0]["companies"][0]["ticker"], "BA");
    });
}

#[test]
fn bad_documents_are_refused_by_name_and_change_nothing() {
    on_both_servers(no_seed, |server: &TestServer| {
        let before = snapshot(&mut server.conn());
        let cases = [
            (
                json!({"text": ARTICLE, "published_at": "2024-13-01"}).to_string(),
                400,
                Some("published_at"),
            ),
            (json!({"title": "no content"}).to_string(), 400, None),
            (
                json!({"text": ARTICLE, "source": "tweet"}).to_string(),
                400,
                Some("source"),
            ),
            (
                json!({"text": ARTICLE, "colour": "red"}).to_string(),
                400,
                None,
            ),
            ("{not json".to_string(), 400, Some("body")),
        ];
        for (body, status, field) in cases {
            let resp = server.send(
                "POST",
                "/api/v1/documents",
                Some(&server.analyst),
                Some(&body),
            );
            resp.assert_problem(status, field);
        }
        let reader = server.send(
            "POST",
            "/api/v1/documents",
            Some(&server.reader),
            Some(&json!({"text": ARTICLE}).to_string()),
        );
        assert_eq!(reader.status, 403);
        let anonymous = server.send(
            "POST",
            "/api/v1/documents",
            None,
            Some(&json!({"text": ARTICLE}).to_string()),
        );
        assert_eq!(anonymous.status, 401);
        assert_eq!(snapshot(&mut server.conn()), before);
    });
}
