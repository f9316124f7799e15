//! The read side of the HTTP API over real HTTP, on SQLite and PostgreSQL:
//! timelines and their keyset pagination, filters, companies, events,
//! documents, and the routes about the service.

mod api_support;
mod common;

use std::collections::HashSet;

use api_support::{
    day, on_both_servers, seed_company, seed_company_with_aliases, seed_document, seed_event, Seed,
    TestServer,
};
use chrono::{Duration, NaiveDate, Utc};
use serde_json::{json, Value};

/// The `(occurred_on, id)` of a list item; undated sorts after every date.
fn key(item: &Value) -> (bool, String, i64) {
    let date = item["occurred_on"].as_str().map(str::to_string);
    (
        date.is_none(),
        date.unwrap_or_default(),
        item["id"].as_i64().unwrap(),
    )
}

/// Asserts newest first: dates descending, then undated, ids descending within each.
fn assert_newest_first(items: &[Value]) {
    for pair in items.windows(2) {
        let (a, b) = (key(&pair[0]), key(&pair[1]));
        let ordered = match (a.0, b.0) {
            (false, true) => true,
            (true, false) => false,
            _ => (a.1.as_str(), a.2) > (b.1.as_str(), b.2),
        };
        assert!(ordered, "{a:?} before {b:?}");
    }
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// GM (once ticker GMOLD) and Ford, and 24 events an analyst entered for GM.
fn seed_timeline(server: &TestServer) {
    seed_company_with_aliases(
        server,
        "GM",
        "General Motors Company",
        &[("GMOLD", "former_ticker")],
    );
    seed_company(server, "F", "Ford Motor Company");
    for i in 0..24u32 {
        // Several events share a date; every fifth is undated.
        let date = (i % 5 != 4).then(|| day(2025, 1 + i % 12, 1 + i % 3));
        let mut seed = Seed::lawsuit("GM", date);
        seed.summary = format!("event {i}");
        if i % 7 == 0 {
            // Two roles of the same company: two rows in the timeline index.
            seed.companies.push(("GM", "plaintiff"));
        }
        if i % 6 == 0 {
            seed.companies.push(("F", "defendant"));
        }
        seed_event(server, &seed);
    }
}

#[test]
fn timeline_pages_are_newest_first_with_no_duplicates_or_gaps_while_events_arrive() {
    on_both_servers(seed_timeline, |server| {
        let all = server.read_json("/api/v1/companies/GM/timeline?limit=200");
        let original: Vec<i64> = ids(&all);
        assert_eq!(original.len(), 24, "{all}");
        assert_newest_first(all["items"].as_array().unwrap());
        assert!(all["next_cursor"].is_null());

        let mut seen: Vec<i64> = Vec::new();
        let mut items: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/companies/gm/timeline?limit=5&cursor={c}"),
                None => "/api/v1/companies/gm/timeline?limit=5".to_string(),
            };
            let page = server.read_json(&path);
            assert!(page["items"].as_array().unwrap().len() <= 5);
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            seen.extend(ids(&page));
            pages += 1;
            // New events arrive between pages: newer, older and undated ones.
            for date in [
                Some(day(2026, 6, 1)),
                Some(day(2025, 3, 2)),
                Some(day(2020, 1, 1)),
                None,
            ] {
                seed_event(server, &Seed::lawsuit("GM", date));
            }
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
            assert!(pages < 50, "pagination does not end");
        }
        let unique: HashSet<i64> = seen.iter().copied().collect();
        assert_eq!(unique.len(), seen.len(), "an event came twice: {seen:?}");
        for id in &original {
            assert!(unique.contains(id), "event {id} was skipped: {seen:?}");
        }
        assert_newest_first(&items);
    });
}

/// A news article reporting a fine of JPMorgan on 2025-05-01.
const FINE_ARTICLE: &str = "Regulator fines JPMorgan\n\n\
The Office of the Comptroller of the Currency fined JPMorgan Chase $250 million on \
May 1, 2025 over weak controls in its trading surveillance.";

#[test]
fn timeline_filters_select_what_they_name() {
    on_both_servers(
        |server| {
            seed_company(server, "JPM", "JPMorgan Chase & Co.");
            // A fine the extractor found in an article: unreviewed, with the
            // extractor's confidence.
            seed_document(server, FINE_ARTICLE, "2025-05-02");
            // Two lawsuits an analyst entered (confirmed, confidence 1), one undated.
            seed_event(server, &Seed::lawsuit("JPM", Some(day(2024, 2, 1))));
            seed_event(server, &Seed::lawsuit("JPM", None));
        },
        |server| {
            let count = |query: &str| -> usize {
                let page = server.read_json(&format!("/api/v1/companies/JPM/timeline?{query}"));
                page["items"].as_array().unwrap().len()
            };
            assert_eq!(count(""), 3);
            assert_eq!(count("kind=regulatory_action"), 1);
            assert_eq!(count("kind=lawsuit,regulatory_action"), 3);
            assert_eq!(count("action=fine"), 1);
            assert_eq!(count("review=confirmed"), 2);
            assert_eq!(count("review=unreviewed"), 1);
            let fine =
                server.read_json("/api/v1/companies/JPM/timeline?action=fine")["items"][0].clone();
            assert_eq!(
                (&fine["origin"], &fine["occurred_on"]),
                (&json!("extracted"), &json!("2025-05-01")),
                "{fine}"
            );
            let confidence = fine["confidence"].as_f64().unwrap();
            assert!(confidence < 1.0, "{fine}");
            assert_eq!(count(&format!("min_confidence={confidence}")), 3);
            assert_eq!(count("min_confidence=1"), 2);
            assert_eq!(count("from=2025-01-01"), 1);
            assert_eq!(count("to=2024-12-31"), 1);
            assert_eq!(count("from=2024-01-01&to=2025-12-31"), 2);
            assert_eq!(count("tag=watchlist"), 0);
            let fine_id = server.read_json("/api/v1/companies/JPM/timeline?action=fine")["items"]
                [0]["id"]
                .as_i64()
                .unwrap();
            let tagged = server.send(
                "PUT",
                &format!("/api/v1/events/{fine_id}/tags/watchlist"),
                Some(&server.analyst),
                None,
            );
            assert_eq!(tagged.status, 200, "{}", tagged.body);
            assert_eq!(count("tag=watchlist"), 1);
            assert_eq!(count("tag=watchlist&kind=lawsuit"), 0);
        },
    );
}

#[test]
fn tickers_resolve_in_any_case_and_by_former_ticker() {
    on_both_servers(seed_timeline, |server| {
        let by_current = server.read_json("/api/v1/companies/GM");
        let by_lower = server.read_json("/api/v1/companies/gm");
        let by_former = server.read_json("/api/v1/companies/gmold");
        assert_eq!(by_current["id"], by_lower["id"]);
        assert_eq!(by_current["id"], by_former["id"]);
        assert_eq!(by_former["ticker"], "GM");
        let timeline = server.read_json("/api/v1/companies/GMOLD/timeline?limit=3");
        assert_eq!(timeline["items"].as_array().unwrap().len(), 3);
    });
}

#[test]
fn an_unknown_ticker_is_a_404_with_close_matches() {
    on_both_servers(seed_timeline, |server| {
        let before = api_support::snapshot(&mut server.conn());
        for path in [
            "/api/v1/companies/GMM",
            "/api/v1/companies/GMM/timeline",
            "/api/v1/companies/GMM/timeline.ics",
            "/api/v1/events?ticker=GMM",
            "/api/v1/feeds/events.atom?tickers=GM,GMM",
        ] {
            let resp = server.get(path, Some(&server.reader));
            let problem = resp.assert_problem(404, Some("ticker"));
            let suggestions: Vec<&str> = problem["suggestions"]
                .as_array()
                .unwrap_or_else(|| panic!("{path}: {problem}"))
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            assert!(suggestions.contains(&"GM"), "{path}: {problem}");
        }
        let resp = server.get("/api/v1/companies/General%20Motor", Some(&server.reader));
        let problem = resp.assert_problem(404, Some("ticker"));
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains("General Motor"));
        assert_eq!(before, api_support::snapshot(&mut server.conn()));
    });
}

/// `date` as an article writes it: `March 3, 2025`.
fn written(date: NaiveDate) -> String {
    date.format("%B %-d, %Y").to_string()
}

#[test]
fn the_company_page_has_aliases_and_a_risk_summary_relative_to_today() {
    on_both_servers(
        |server| {
            let today = Utc::now().date_naive();
            let ago = |days: i64| today - Duration::days(days);
            seed_company(server, "GM", "General Motors Company");
            // An open lawsuit with damages sought, 10 days ago.
            let mut suit = Seed::lawsuit("GM", Some(ago(10)));
            suit.amount_usd = Some(5_000_000);
            suit.summary = "Owners sued GM over battery fires".into();
            seed_event(server, &suit);
            // A lawsuit 200 days ago, settled 100 days ago: two articles, and the
            // settlement joins the suit's thread, which is closed.
            let filed = seed_document(
                server,
                &format!(
                    "Dealers sue General Motors\n\nA group of car dealers sued General Motors on \
                     {} in federal court in Detroit over unpaid warranty repairs.",
                    written(ago(200))
                ),
                &ago(200).to_string(),
            );
            let settled = seed_document(
                server,
                &format!(
                    "General Motors settles dealer suit\n\nGeneral Motors agreed on {} to settle \
                     the lawsuit that car dealers brought over unpaid warranty repairs.",
                    written(ago(100))
                ),
                &ago(100).to_string(),
            );
            let settlement = &settled["events"][0];
            assert_eq!(settlement["action"], "settled", "{settled}");
            assert_eq!(
                settlement["thread_id"], filed["events"][0]["id"],
                "{settled}"
            );
            // A fine 20 days ago.
            let mut fine = Seed::lawsuit("GM", Some(ago(20)));
            fine.kind = "regulatory_action";
            fine.action = "fine";
            fine.status = None;
            fine.companies = vec![("GM", "regulated")];
            fine.amount_usd = Some(1_500_000);
            seed_event(server, &fine);
            // A permit suspension, still active.
            let mut ban = Seed::lawsuit("GM", Some(ago(40)));
            ban.kind = "regulatory_action";
            ban.action = "suspension";
            ban.status = Some("ongoing");
            ban.companies = vec![("GM", "regulated")];
            seed_event(server, &ban);
            // A halt 300 days ago that has ended since. Nothing threads a
            // resumption onto a halt (the extractor reports no resumptions, an
            // entered event starts a thread of its own): the analyst corrects
            // the halt's status.
            let mut halt = Seed::lawsuit("GM", Some(ago(300)));
            halt.kind = "service_halt";
            halt.action = "halt";
            halt.status = Some("ongoing");
            halt.companies = vec![("GM", "operator")];
            let halt = seed_event(server, &halt);
            server.write_json(
                "PATCH",
                &format!("/api/v1/events/{halt}"),
                &server.analyst,
                &json!({"status": "resumed"}),
                200,
            );
            // A rejected lawsuit counts nowhere.
            let mut rejected = Seed::lawsuit("GM", Some(ago(1)));
            rejected.review = "rejected";
            rejected.amount_usd = Some(99);
            rejected.summary = "A suit the analyst rejected".into();
            seed_event(server, &rejected);
        },
        |server| {
            let company = server.read_json("/api/v1/companies/gm");
            assert_eq!(company["ticker"], "GM");
            assert!(company["aliases"].as_array().is_some());
            let risk = &company["risk"];
            assert_eq!(risk["as_of"], Utc::now().date_naive().to_string());
            assert_eq!(risk["events_30d"]["lawsuit"], 1, "{risk}");
            assert_eq!(risk["events_30d"]["regulatory_action"], 1, "{risk}");
            assert_eq!(risk["events_90d"]["regulatory_action"], 2, "{risk}");
            assert_eq!(risk["events_365d"]["lawsuit"], 3, "{risk}");
            assert_eq!(risk["events_365d"]["service_halt"], 1, "{risk}");
            assert_eq!(risk["open_lawsuits"], 1, "{risk}");
            assert_eq!(risk["damages_sought_usd"], 5_000_000, "{risk}");
            assert_eq!(risk["fines_usd"], 1_500_000, "{risk}");
            assert_eq!(risk["active_bans"], 1, "{risk}");
            assert_eq!(risk["active_halts"], 0, "{risk}");
            assert_eq!(
                risk["latest_event"]["summary"], "Owners sued GM over battery fires",
                "{risk}"
            );
            assert_eq!(risk["latest_event"]["review_state"], "confirmed", "{risk}");
        },
    );
}

#[test]
fn companies_are_found_by_name_and_listed_by_ticker_in_pages() {
    on_both_servers(
        |server| {
            for (ticker, name) in [
                ("JPM", "JPMorgan Chase & Co."),
                ("GS", "Goldman Sachs Group Inc."),
                ("MS", "Morgan Stanley"),
                ("C", "Citigroup Inc."),
                ("BAC", "Bank of America Corp."),
            ] {
                seed_company(server, ticker, name);
            }
        },
        |server| {
            let hits = server.read_json("/api/v1/companies?q=morgan");
            let tickers: Vec<&str> = hits["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["ticker"].as_str().unwrap())
                .collect();
            assert!(
                tickers.contains(&"JPM") && tickers.contains(&"MS"),
                "{hits}"
            );
            assert!(hits["items"][0]["matched"].as_str().is_some());
            let mut listed = Vec::new();
            let mut path = "/api/v1/companies?limit=2".to_string();
            loop {
                let page = server.read_json(&path);
                for item in page["items"].as_array().unwrap() {
                    listed.push(item["ticker"].as_str().unwrap().to_string());
                }
                match page["next_cursor"].as_str() {
                    Some(c) => path = format!("/api/v1/companies?limit=2&cursor={c}"),
                    None => break,
                }
            }
            assert_eq!(listed, ["BAC", "C", "GS", "JPM", "MS"]);
        },
    );
}

/// A news article reporting a suit against JPMorgan filed on 2026-01-23.
const SUIT_ARTICLE: &str = "Trump sues JPMorgan over closed accounts\n\n\
Donald Trump sued JPMorgan Chase on January 23, 2026 in a Florida state court, accusing \
the bank of closing his accounts for political reasons, a practice critics call de-banking.";

#[test]
fn events_are_searched_by_text_and_ticker_and_shown_with_evidence_and_documents() {
    on_both_servers(
        |server| {
            seed_company(server, "GM", "General Motors Company");
            seed_company(server, "JPM", "JPMorgan Chase & Co.");
            seed_document(server, SUIT_ARTICLE, "2026-01-24");
            let mut halt = Seed::lawsuit("GM", Some(day(2023, 10, 24)));
            halt.kind = "service_halt";
            halt.action = "halt";
            halt.companies = vec![("GM", "operator")];
            halt.summary = "Cruise paused driverless operations".into();
            seed_event(server, &halt);
        },
        |server| {
            // The extracted suit's summary names the plaintiff; the search ignores case.
            let found = server.read_json("/api/v1/events?q=tRUMP");
            assert_eq!(ids(&found).len(), 1, "{found}");
            assert_eq!(found["items"][0]["companies"][0]["ticker"], "JPM");
            let all = server.read_json("/api/v1/events");
            assert_eq!(ids(&all).len(), 2);
            assert_newest_first(all["items"].as_array().unwrap());
            let gm_only = server.read_json("/api/v1/events?ticker=gm&kind=service_halt");
            assert_eq!(ids(&gm_only).len(), 1);
            assert_eq!(
                ids(&server.read_json("/api/v1/events?ticker=gm&kind=lawsuit")).len(),
                0
            );

            let item = &found["items"][0];
            assert_eq!(item["origin"], "extracted");
            assert_eq!(item["occurred_on"], "2026-01-23");
            let evidence = &item["first_evidence"];
            assert!(evidence["url"].as_str().unwrap().starts_with("https://"));
            assert_eq!(item["document_count"], 1);
            assert_eq!(item["thread_id"], item["id"]);

            let id = item["id"].as_i64().unwrap();
            let detail = server.read_json(&format!("/api/v1/events/{id}"));
            assert_eq!(detail["id"], id);
            let first = &detail["evidence"][0];
            assert_eq!(first["text"], evidence["text"]);
            assert!(
                first["rule"].as_str().is_some_and(|r| !r.is_empty()),
                "{first}"
            );
            assert_eq!(detail["thread"][0]["id"], id);
            assert!(detail["history"].as_array().unwrap().is_empty());
            assert_eq!(detail["corrected_fields"], json!([]));
            let history = server.read_json(&format!("/api/v1/events/{id}/history"));
            assert_eq!(history["items"], json!([]));

            // The evidence is the passage of the document its offsets point at.
            let document_id = first["document_id"].as_i64().unwrap();
            let document = server.read_json(&format!("/api/v1/documents/{document_id}"));
            assert_eq!(document["event_ids"], json!([id]));
            let text = document["text"].as_str().unwrap();
            assert!(text.contains("de-banking"), "{text}");
            let (start, end) = (
                first["start"].as_u64().unwrap(),
                first["end"].as_u64().unwrap(),
            );
            let span = text
                .get(usize::try_from(start).unwrap()..usize::try_from(end).unwrap())
                .unwrap_or_else(|| panic!("{first} in {text:?}"));
            assert_eq!(span, first["text"].as_str().unwrap());
            assert_eq!(document["content_hash"].as_str().unwrap().len(), 64);

            server
                .get("/api/v1/events/999999", Some(&server.reader))
                .assert_problem(404, None);
            server
                .get("/api/v1/events/999999/history", Some(&server.reader))
                .assert_problem(404, None);
            server
                .get("/api/v1/documents/999999", Some(&server.reader))
                .assert_problem(404, None);
            server
                .get("/api/v1/events/abc", Some(&server.reader))
                .assert_problem(400, Some("id"));
        },
    );
}

#[test]
fn bad_parameters_are_400s_naming_the_parameter() {
    on_both_servers(seed_timeline, |server| {
        let before = api_support::snapshot(&mut server.conn());
        let cases = [
            ("/api/v1/companies/GM/timeline?from=2024-13-01", "from"),
            ("/api/v1/companies/GM/timeline?to=yesterday", "to"),
            ("/api/v1/companies/GM/timeline?kind=merger", "kind"),
            ("/api/v1/companies/GM/timeline?review=maybe", "review"),
            (
                "/api/v1/companies/GM/timeline?min_confidence=1.5",
                "min_confidence",
            ),
            ("/api/v1/companies/GM/timeline?limit=0", "limit"),
            ("/api/v1/companies/GM/timeline?limit=201", "limit"),
            (
                "/api/v1/companies/GM/timeline?cursor=not-a-cursor",
                "cursor",
            ),
            ("/api/v1/companies/GM/timeline?cursor=643a", "cursor"),
            ("/api/v1/companies/GM/timeline?format=xml", "format"),
            ("/api/v1/companies/GM/timeline?form=2024-01-01", "form"),
            ("/api/v1/companies/GM/timeline?tag=Not%20A%20Tag", "tag"),
            (
                "/api/v1/companies/GM/timeline?from=2025-02-01&to=2025-01-01",
                "to",
            ),
            ("/api/v1/events?kind=lawsuit,bogus", "kind"),
            ("/api/v1/companies?limit=x", "limit"),
        ];
        for (path, field) in cases {
            let resp = server.get(path, Some(&server.reader));
            resp.assert_problem(400, Some(field));
        }
        let problem = server
            .get(
                "/api/v1/companies/GM/timeline?from=2024-13-01",
                Some(&server.reader),
            )
            .json();
        assert_eq!(
            problem["detail"],
            "query parameter `from`: `2024-13-01` is not a date (expected YYYY-MM-DD)"
        );
        assert_eq!(before, api_support::snapshot(&mut server.conn()));
    });
}

#[test]
fn reads_need_a_valid_key_and_service_routes_need_none() {
    on_both_servers(seed_timeline, |server| {
        for path in [
            "/api/v1/companies",
            "/api/v1/companies/GM",
            "/api/v1/companies/GM/timeline",
            "/api/v1/companies/GM/timeline.ics",
            "/api/v1/events",
            "/api/v1/events/1",
            "/api/v1/events/1/history",
            "/api/v1/tags",
            "/api/v1/documents/1",
            "/api/v1/feeds/events.atom",
            "/api/v1/whoami",
            "/api/v1/watchlists",
            "/api/v1/changes",
            "/api/v1/export.jsonl",
        ] {
            let resp = server.get(path, None);
            resp.assert_problem(401, None);
            assert_eq!(resp.header("www-authenticate"), Some("Bearer"), "{path}");
            server
                .get(path, Some("rk_0000000000000000000000000000000000000000"))
                .assert_problem(401, None);
            assert_eq!(server.get(path, Some(&server.reader)).status, 200, "{path}");
        }
        let who = server.read_json("/api/v1/whoami");
        assert_eq!(
            who,
            serde_json::json!({"name": "reader-key", "role": "reader", "team": "default"})
        );
        let who = server.get("/api/v1/whoami", Some(&server.admin)).json();
        assert_eq!(who["role"], "admin");

        let ping = server.get("/ping", None);
        assert_eq!(
            (ping.status, ping.json()),
            (200, serde_json::json!({"status": "ok"}))
        );
        let health = server.get("/healthz", None);
        assert_eq!(health.status, 200);
        assert_eq!(
            health.json(),
            serde_json::json!({"status": "ok", "database": "ok"})
        );
        assert_eq!(server.get("/", None).status, 200);
        server
            .get("/api/v1/nothing-here", None)
            .assert_problem(404, None);

        let metrics = server.get("/metrics", None);
        assert_eq!(metrics.status, 200);
        assert!(metrics.content_type.starts_with("text/plain"));
        let text = metrics.body;
        assert!(
            text.contains("riskline_http_requests_total{method=\"GET\",route=\"/api/v1/companies/{ticker}/timeline\",status=\"200\"} 1"),
            "{text}"
        );
        assert!(text.contains("riskline_http_request_duration_seconds_bucket{method=\"GET\",route=\"/ping\",status=\"200\",le=\"+Inf\"} 1"));
        assert!(text.contains("riskline_events 24"), "{text}");
        assert!(text.contains("riskline_documents 24"), "{text}");
    });
}

#[test]
fn the_openapi_document_lists_every_route() {
    let server = TestServer::start(common::TestDb::sqlite(), |_| {});
    let resp = server.get("/api/v1/openapi.json", None);
    assert_eq!(resp.status, 200);
    let doc = resp.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let routes = [
        ("get", "/api/v1/companies"),
        ("post", "/api/v1/companies"),
        ("get", "/api/v1/companies/{ticker}"),
        ("get", "/api/v1/companies/{ticker}/timeline"),
        ("get", "/api/v1/companies/{ticker}/timeline.ics"),
        ("get", "/api/v1/feeds/events.atom"),
        ("get", "/api/v1/events"),
        ("post", "/api/v1/events"),
        ("get", "/api/v1/events/{id}"),
        ("patch", "/api/v1/events/{id}"),
        ("get", "/api/v1/events/{id}/history"),
        ("post", "/api/v1/events/{id}/split"),
        ("put", "/api/v1/events/{id}/tags/{tag}"),
        ("delete", "/api/v1/events/{id}/tags/{tag}"),
        ("get", "/api/v1/tags"),
        ("post", "/api/v1/documents"),
        ("get", "/api/v1/documents/{id}"),
        ("get", "/api/v1/sources"),
        ("post", "/api/v1/sources"),
        ("get", "/api/v1/sources/{id}"),
        ("get", "/api/v1/sources/{id}/items"),
        ("delete", "/api/v1/sources/{id}"),
        ("get", "/api/v1/whoami"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/healthz"),
        ("get", "/metrics"),
        ("get", "/ping"),
        ("get", "/api/v1/watchlists"),
        ("post", "/api/v1/watchlists"),
        ("get", "/api/v1/watchlists/{id}"),
        ("put", "/api/v1/watchlists/{id}"),
        ("delete", "/api/v1/watchlists/{id}"),
        ("get", "/api/v1/watchlists/{id}/timeline"),
        ("get", "/api/v1/watchlists/{id}/risk"),
        ("post", "/api/v1/watchlists/{id}/feed-token"),
        ("delete", "/api/v1/watchlists/{id}/feed-token"),
        ("get", "/api/v1/watchlists/{id}/webhooks"),
        ("post", "/api/v1/watchlists/{id}/webhooks"),
        ("delete", "/api/v1/webhooks/{id}"),
        ("get", "/api/v1/webhooks/{id}/deliveries"),
        ("post", "/api/v1/deliveries/{id}/replay"),
        ("get", "/api/v1/changes"),
        ("get", "/api/v1/export.jsonl"),
        ("post", "/api/v1/events/{id}/retract"),
        ("get", "/feeds/{token}/watchlist.atom"),
        ("get", "/feeds/{token}/watchlist.ics"),
    ];
    for (method, path) in routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    let listed: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(
        listed,
        routes.len(),
        "routes in the document that the test does not know"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Client generators name methods after operationIds: each is unique.
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().expect("an operationId"))
        .collect();
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "repeated operationIds");
    // Errors any route may answer are declared; CSV pages too.
    let timeline = &doc["paths"]["/api/v1/companies/{ticker}/timeline"]["get"];
    for status in ["400", "401", "404", "429", "500", "503"] {
        assert!(
            timeline["responses"][status].is_object(),
            "{status} undeclared"
        );
    }
    assert!(timeline["responses"]["200"]["content"]["text/csv"].is_object());
    assert!(doc["paths"]["/healthz"]["get"]["responses"]["401"].is_null());
}

/// The validator the OpenAPI document is checked with: Python's
/// `openapi-spec-validator` (`pip install openapi-spec-validator`).
const VALIDATE: &str = "import json, sys\n\
from openapi_spec_validator import validate\n\
validate(json.load(open(sys.argv[1])))\n";

#[test]
fn the_openapi_document_passes_a_specification_validator() {
    let usable = std::process::Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !usable {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with openapi-spec-validator is needed in CI"
        );
        eprintln!("skipped: python3 with openapi-spec-validator is not installed");
        return;
    }
    let server = TestServer::start(common::TestDb::sqlite(), |_| {});
    let resp = server.get("/api/v1/openapi.json", None);
    assert_eq!(resp.status, 200);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("openapi.json");
    std::fs::write(&path, &resp.body).expect("write the document");
    let out = std::process::Command::new("python3")
        .args(["-c", VALIDATE])
        .arg(&path)
        .output()
        .expect("run the validator");
    assert!(
        out.status.success(),
        "the OpenAPI document is invalid:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
