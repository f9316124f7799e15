//! The write side of the HTTP API over real HTTP, on SQLite and PostgreSQL:
//! the role matrix, reviews and corrections, manual events, splits, tags,
//! companies, the audit trail, and bad input that changes nothing.

mod api_support;
mod common;

use api_support::{
    event_ids_of, on_both_servers, seed_company, seed_document, snapshot, TestServer,
};
use serde_json::{json, Value};

/// The `n`th article about one suit of car dealers against GM, filed on
/// 2025-03-01: each merges into the event of the first.
fn dealer_suit_article(n: usize) -> String {
    format!(
        "Dealers take General Motors to court ({n})\n\nCar dealers sued General Motors on \
         March 1, 2025 in federal court in Detroit over unpaid warranty repairs; report number {n}."
    )
}

/// Posts the `n`th dealer-suit article; returns the event it reports and the
/// id of the mention it adds.
fn report_dealer_suit(server: &TestServer, n: usize) -> (i64, i64) {
    let answer = seed_document(server, &dealer_suit_article(n), "2025-03-03");
    let events = event_ids_of(&answer);
    assert_eq!(events.len(), 1, "{answer}");
    let document = &answer["document"]["id"];
    let detail = server.read_json(&format!("/api/v1/events/{}", events[0]));
    let evidence = detail["evidence"].as_array().unwrap();
    let mentions: Vec<i64> = evidence
        .iter()
        .filter(|e| e["document_id"] == *document)
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(mentions.len(), 1, "{detail}");
    (events[0], mentions[0])
}

/// GM and JPMorgan; one GM suit reported by three articles (so its event has
/// three pieces of evidence, the last two merged into it), and one JPMorgan suit
/// reported by one article; all extracted, unreviewed, with no history.
fn seed(server: &TestServer) {
    seed_company(server, "GM", "General Motors Company");
    seed_company(server, "JPM", "JPMorgan Chase & Co.");
    let reported: Vec<i64> = (0..3).map(|n| report_dealer_suit(server, n).0).collect();
    assert_eq!(reported, [reported[0]; 3], "one event");
    let suit = "Trump sues JPMorgan over closed accounts\n\nDonald Trump sued JPMorgan Chase on \
                January 23, 2026 in a Florida state court over the closing of his accounts.";
    assert_eq!(
        event_ids_of(&seed_document(server, suit, "2026-01-24")).len(),
        1
    );
}

/// Event ids of a company's timeline.
fn event_ids(server: &TestServer, ticker: &str) -> Vec<i64> {
    server.read_json(&format!("/api/v1/companies/{ticker}/timeline"))["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// One write of every kind, as (method, path, body), aimed at `event`.
fn writes(
    event: i64,
    mention: i64,
    n: usize,
) -> Vec<(&'static str, String, Option<String>, &'static str)> {
    vec![
        (
            "PUT",
            format!("/api/v1/events/{event}/tags/t{n}"),
            None,
            "analyst",
        ),
        (
            "DELETE",
            format!("/api/v1/events/{event}/tags/t{n}"),
            None,
            "analyst",
        ),
        (
            "PATCH",
            format!("/api/v1/events/{event}"),
            Some(
                json!({"review_state": "confirmed", "review_note": format!("checked {n}")})
                    .to_string(),
            ),
            "analyst",
        ),
        (
            "POST",
            "/api/v1/events".to_string(),
            Some(
                json!({"kind": "service_halt", "action": "halt", "occurred_on": "2026-02-01",
                       "tickers": ["GM"], "summary": format!("manual {n}"),
                       "evidence_url": format!("https://example.com/{n}")})
                .to_string(),
            ),
            "analyst",
        ),
        (
            "POST",
            format!("/api/v1/events/{event}/split"),
            Some(json!({"mention_ids": [mention]}).to_string()),
            "analyst",
        ),
        (
            "POST",
            "/api/v1/companies".to_string(),
            Some(
                json!({"ticker": format!("NEW{n}"), "name": format!("New Company {n}")})
                    .to_string(),
            ),
            "admin",
        ),
    ]
}

#[test]
fn each_role_may_do_what_its_role_allows_and_nothing_more() {
    on_both_servers(seed, |server| {
        let event = event_ids(server, "GM")[0];
        // Fresh mentions to split off, one per attempt: four more reports of the suit.
        let mentions: Vec<i64> = (3..7)
            .map(|n| {
                let (reported, mention) = report_dealer_suit(server, n);
                assert_eq!(reported, event);
                mention
            })
            .collect();
        let mut n = 0;
        for (role, key) in [
            ("none", None),
            ("reader", Some(server.reader.clone())),
            ("analyst", Some(server.analyst.clone())),
            ("admin", Some(server.admin.clone())),
        ] {
            n += 1;
            for (method, path, body, needed) in writes(event, mentions[n - 1], n) {
                let before = snapshot(&mut server.conn());
                let resp = server.send(method, &path, key.as_deref(), body.as_deref());
                let allowed = match (role, needed) {
                    ("none", _) => {
                        resp.assert_problem(401, None);
                        false
                    }
                    ("reader", _) | ("analyst", "admin") => {
                        resp.assert_problem(403, None);
                        false
                    }
                    _ => true,
                };
                if allowed {
                    assert!(
                        (200..300).contains(&resp.status),
                        "{role} {method} {path}: {} {}",
                        resp.status,
                        resp.body
                    );
                } else {
                    assert_eq!(
                        before,
                        snapshot(&mut server.conn()),
                        "{role} {method} {path} changed something"
                    );
                }
            }
        }
    });
}

#[test]
fn a_review_with_corrections_is_recorded_and_locks_the_corrected_fields() {
    on_both_servers(seed, |server| {
        let id = event_ids(server, "JPM")[0];
        let body = json!({
            "review_state": "confirmed", "review_note": "read the complaint",
            "amount_usd": 5_000_000_000_i64, "occurred_on": "2026-01", "authority": "S.D. Fla."
        });
        let resp = server.send(
            "PATCH",
            &format!("/api/v1/events/{id}"),
            Some(&server.analyst),
            Some(&body.to_string()),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        let detail = resp.json();
        assert_eq!(detail["review_state"], "confirmed");
        assert_eq!(detail["review_note"], "read the complaint");
        assert_eq!(detail["amount_usd"], 5_000_000_000_i64);
        assert_eq!(detail["occurred_on"], "2026-01");
        assert_eq!(detail["date_precision"], "month");
        assert_eq!(detail["authority"], "S.D. Fla.");
        let mut corrected: Vec<String> =
            serde_json::from_value(detail["corrected_fields"].clone()).unwrap();
        corrected.sort();
        assert_eq!(
            corrected,
            ["amount_usd", "authority", "date_precision", "occurred_on"]
        );
        let history = &detail["history"];
        assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
        assert_eq!(history[0]["actor"], "analyst-key");
        assert_eq!(history[0]["action"], "correct");
        assert_eq!(history[0]["before"]["review_state"], "unreviewed");
        assert_eq!(history[0]["after"]["review_state"], "confirmed");
        assert_eq!(history[0]["after"]["amount_usd"], 5_000_000_000_i64);
        assert!(history[0]["at"].as_str().unwrap().ends_with('Z'));

        // The new date moved the event in the timeline index too.
        let in_january =
            server.read_json("/api/v1/companies/JPM/timeline?from=2026-01-01&to=2026-01-01");
        assert_eq!(in_january["items"][0]["id"], id);

        // Clearing a field, and a review alone.
        let resp = server.send(
            "PATCH",
            &format!("/api/v1/events/{id}"),
            Some(&server.analyst),
            Some(r#"{"authority": null}"#),
        );
        assert_eq!(resp.json()["authority"], Value::Null);
        let resp = server.send(
            "PATCH",
            &format!("/api/v1/events/{id}"),
            Some(&server.admin),
            Some(r#"{"review_state": "rejected"}"#),
        );
        let detail = resp.json();
        assert_eq!(detail["review_state"], "rejected");
        let history = server.read_json(&format!("/api/v1/events/{id}/history"));
        let actions: Vec<&str> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["correct", "correct", "review"]);
        assert_eq!(history["items"][2]["actor"], "admin-key");
        let rejected = server.read_json("/api/v1/companies/JPM/timeline?review=rejected");
        assert_eq!(rejected["items"].as_array().unwrap().len(), 1);
    });
}

#[test]
fn a_manual_event_is_stored_with_its_evidence_url_and_roles() {
    on_both_servers(seed, |server| {
        let body = json!({
            "kind": "regulatory_action", "action": "suspension", "occurred_on": "2023-10-24",
            "companies": [{"ticker": "gm", "role": "regulated"}, {"ticker": "JPM", "role": "affected"}],
            "summary": "California suspended Cruise's driverless permits",
            "evidence_url": "https://www.dmv.ca.gov/cruise", "authority": "California DMV",
            "jurisdiction": "US-CA", "status": "ongoing", "amount_usd": 0
        });
        let resp = server.send(
            "POST",
            "/api/v1/events",
            Some(&server.analyst),
            Some(&body.to_string()),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        let detail = resp.json();
        assert_eq!(detail["origin"], "manual");
        assert_eq!(detail["review_state"], "confirmed");
        assert_eq!(detail["occurred_on"], "2023-10-24");
        assert_eq!(
            detail["first_evidence"]["url"],
            "https://www.dmv.ca.gov/cruise"
        );
        assert_eq!(
            detail["evidence"][0]["url"],
            "https://www.dmv.ca.gov/cruise"
        );
        let roles: Vec<(String, String)> = detail["companies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["ticker"].as_str().unwrap().into(),
                    c["role"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert!(
            roles.contains(&("GM".into(), "regulated".into())),
            "{roles:?}"
        );
        assert!(
            roles.contains(&("JPM".into(), "affected".into())),
            "{roles:?}"
        );
        assert_eq!(detail["history"][0]["action"], "create");
        let id = detail["id"].as_i64().unwrap();
        assert!(event_ids(server, "GM").contains(&id));
        assert!(event_ids(server, "JPM").contains(&id));
        let risk = server.read_json("/api/v1/companies/GM")["risk"].clone();
        assert_eq!(risk["active_bans"], 1, "{risk}");
        // An action's other forms are stored in the one spelling the rules read:
        // lifting the suspension ends the ban.
        let lift = json!({
            "kind": "regulatory_action", "action": "Lift", "occurred_on": "2024-05-01",
            "companies": [{"ticker": "GM", "role": "regulated"}],
            "summary": "California restored the permits", "evidence_url": "https://www.dmv.ca.gov/lift",
            "status": "lifted"
        });
        let resp = server.send(
            "POST",
            "/api/v1/events",
            Some(&server.analyst),
            Some(&lift.to_string()),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        assert_eq!(resp.json()["action"], "lifted");
    });
}

#[test]
fn splitting_moves_mentions_into_a_new_event_and_can_be_seen_in_both_histories() {
    on_both_servers(seed, |server| {
        let id = event_ids(server, "GM")[0];
        let detail = server.read_json(&format!("/api/v1/events/{id}"));
        let mentions: Vec<i64> = detail["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        assert_eq!(mentions.len(), 3);
        let path = format!("/api/v1/events/{id}/split");
        let body = json!({"mention_ids": [mentions[1], mentions[2]]}).to_string();
        let resp = server.send("POST", &path, Some(&server.analyst), Some(&body));
        assert_eq!(resp.status, 201, "{}", resp.body);
        let new = resp.json();
        let new_id = new["id"].as_i64().unwrap();
        assert_ne!(new_id, id);
        let moved: Vec<i64> = new["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        assert_eq!(moved, [mentions[1], mentions[2]]);
        assert_eq!(new["document_count"], 2);
        assert_eq!(new["evidence"][0]["merge_reason"], Value::Null);
        assert_eq!(new["companies"][0]["ticker"], "GM");
        assert_eq!(new["thread_id"], new_id);
        let old = server.read_json(&format!("/api/v1/events/{id}"));
        assert_eq!(old["evidence"].as_array().unwrap().len(), 1);
        assert_eq!(old["document_count"], 1);
        assert_eq!(old["history"][0]["action"], "split");
        assert_eq!(old["history"][0]["after"]["split_into"], new_id);
        assert_eq!(new["history"][0]["after"]["split_from"], id);
        assert_eq!(event_ids(server, "GM").len(), 2);

        // Splitting off every mention, or another event's, changes nothing.
        let before = snapshot(&mut server.conn());
        let all = json!({"mention_ids": [mentions[0]]}).to_string();
        server
            .send("POST", &path, Some(&server.analyst), Some(&all))
            .assert_problem(422, Some("mention_ids"));
        let foreign = json!({"mention_ids": [mentions[1]]}).to_string();
        server
            .send("POST", &path, Some(&server.analyst), Some(&foreign))
            .assert_problem(422, Some("mention_ids"));
        server
            .send(
                "POST",
                "/api/v1/events/999999/split",
                Some(&server.analyst),
                Some(&foreign),
            )
            .assert_problem(404, None);
        assert_eq!(before, snapshot(&mut server.conn()));
    });
}

#[test]
fn tags_are_created_on_first_use_idempotent_and_counted() {
    on_both_servers(seed, |server| {
        let id = event_ids(server, "GM")[0];
        let put = |tag: &str| {
            server.send(
                "PUT",
                &format!("/api/v1/events/{id}/tags/{tag}"),
                Some(&server.analyst),
                None,
            )
        };
        assert_eq!(
            put("watchlist").json(),
            json!({"event_id": id, "tags": ["watchlist"]})
        );
        assert_eq!(
            put("watchlist").json(),
            json!({"event_id": id, "tags": ["watchlist"]})
        );
        assert_eq!(
            put("q3:legal-review_2").json()["tags"],
            json!(["q3:legal-review_2", "watchlist"])
        );
        let tags = server.read_json("/api/v1/tags");
        assert_eq!(
            tags["items"],
            json!([{"name": "q3:legal-review_2", "event_count": 1}, {"name": "watchlist", "event_count": 1}])
        );
        let delete = server.send(
            "DELETE",
            &format!("/api/v1/events/{id}/tags/watchlist"),
            Some(&server.analyst),
            None,
        );
        assert_eq!(delete.status, 204);
        let again = server.send(
            "DELETE",
            &format!("/api/v1/events/{id}/tags/watchlist"),
            Some(&server.analyst),
            None,
        );
        assert_eq!(again.status, 204);
        let detail = server.read_json(&format!("/api/v1/events/{id}"));
        assert_eq!(detail["tags"], json!(["q3:legal-review_2"]));
        let actions: Vec<&str> = detail["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["tag", "tag", "untag"]);

        let before = snapshot(&mut server.conn());
        for bad in ["Watchlist", "has%20space", &"x".repeat(65), "semi;colon"] {
            put(bad).assert_problem(400, Some("tag"));
        }
        server
            .send(
                "PUT",
                "/api/v1/events/999999/tags/watchlist",
                Some(&server.analyst),
                None,
            )
            .assert_problem(404, None);
        assert_eq!(before, snapshot(&mut server.conn()));
    });
}

#[test]
fn admins_add_companies_and_the_new_ticker_resolves_at_once() {
    on_both_servers(seed, |server| {
        let body = json!({"ticker": "rivn", "name": "Rivian Automotive, Inc.", "cik": 1874178,
                          "exchange": "Nasdaq", "aliases": [{"alias": "Rivian", "kind": "short_name"},
                                                            {"alias": "RIVX", "kind": "former_ticker"}]});
        let resp = server.send(
            "POST",
            "/api/v1/companies",
            Some(&server.admin),
            Some(&body.to_string()),
        );
        assert_eq!(resp.status, 201, "{}", resp.body);
        assert_eq!(resp.json()["ticker"], "RIVN");
        assert_eq!(
            server.read_json("/api/v1/companies/RIVN")["name"],
            "Rivian Automotive, Inc."
        );
        assert_eq!(server.read_json("/api/v1/companies/rivx")["ticker"], "RIVN");
        let before = snapshot(&mut server.conn());
        server
            .send(
                "POST",
                "/api/v1/companies",
                Some(&server.admin),
                Some(&body.to_string()),
            )
            .assert_problem(409, None);
        assert_eq!(before, snapshot(&mut server.conn()));
    });
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one table of bad requests and their expected answers"
)]
fn bad_write_requests_are_4xx_naming_the_field_and_change_nothing() {
    on_both_servers(seed, |server| {
        let id = event_ids(server, "GM")[0];
        let event = format!("/api/v1/events/{id}");
        let manual = |patch: Value| {
            let mut body = json!({"kind": "lawsuit", "action": "filed", "occurred_on": "2026-01-23",
                                  "tickers": ["GM"], "summary": "s", "evidence_url": "https://x.example/a"});
            for (k, v) in patch.as_object().unwrap() {
                if v.is_null() {
                    body.as_object_mut().unwrap().remove(k);
                } else {
                    body[k] = v.clone();
                }
            }
            body.to_string()
        };
        let huge = format!("{{\"summary\": \"{}\"}}", "x".repeat(2 * 1024 * 1024 + 10));
        let cases: Vec<(&str, String, String, u16, Option<&str>)> = vec![
            (
                "PATCH",
                event.clone(),
                r#"{"review_state": "maybe"}"#.into(),
                400,
                Some("review_state"),
            ),
            (
                "PATCH",
                event.clone(),
                r#"{"occurred_on": "2026-13-01"}"#.into(),
                400,
                Some("occurred_on"),
            ),
            (
                "PATCH",
                event.clone(),
                r#"{"kind": "merger"}"#.into(),
                400,
                Some("kind"),
            ),
            (
                "PATCH",
                event.clone(),
                r#"{"status": "unknown"}"#.into(),
                400,
                Some("status"),
            ),
            (
                "PATCH",
                event.clone(),
                r#"{"amount_usd": -5}"#.into(),
                400,
                Some("amount_usd"),
            ),
            (
                "PATCH",
                event.clone(),
                r#"{"amount_usd": "lots"}"#.into(),
                400,
                Some("amount_usd"),
            ),
            (
                "PATCH",
                event.clone(),
                r#"{"colour": "red"}"#.into(),
                400,
                Some("colour"),
            ),
            ("PATCH", event.clone(), r#"{}"#.into(), 400, Some("body")),
            (
                "PATCH",
                event.clone(),
                r#"{"review_state": "#.into(),
                400,
                Some("body"),
            ),
            (
                "PATCH",
                event.clone(),
                r#"["review_state"]"#.into(),
                400,
                Some("body"),
            ),
            ("PATCH", event.clone(), "".into(), 400, Some("body")),
            ("PATCH", event.clone(), huge.clone(), 413, None),
            (
                "PATCH",
                "/api/v1/events/999999".into(),
                r#"{"review_state": "confirmed"}"#.into(),
                404,
                None,
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"occurred_on": "23/01/2026"})),
                400,
                Some("occurred_on"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"kind": "merger"})),
                400,
                Some("kind"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"action": "levitation"})),
                400,
                Some("action"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"evidence_url": "ftp://x"})),
                400,
                Some("evidence_url"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"evidence_url": null})),
                400,
                Some("evidence_url"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"tickers": []})),
                400,
                Some("tickers"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"tickers": ["GMM"]})),
                404,
                Some("tickers[0]"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"tickers": null, "companies": [{"ticker": "GM", "role": "victim"}]})),
                400,
                Some("companies[0].role"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"amount_usd": 1.5})),
                400,
                Some("amount_usd"),
            ),
            (
                "POST",
                "/api/v1/events".into(),
                manual(json!({"extra": 1})),
                400,
                None,
            ),
            ("POST", "/api/v1/events".into(), huge.clone(), 413, None),
            (
                "POST",
                format!("{event}/split"),
                r#"{"mention_ids": []}"#.into(),
                400,
                Some("mention_ids"),
            ),
            (
                "POST",
                format!("{event}/split"),
                r#"{"mention_ids": ["a"]}"#.into(),
                400,
                Some("mention_ids[0]"),
            ),
            (
                "POST",
                "/api/v1/companies".into(),
                r#"{"ticker": "BAD TICKER", "name": "x"}"#.into(),
                400,
                Some("ticker"),
            ),
            (
                "POST",
                "/api/v1/companies".into(),
                r#"{"ticker": "OK", "name": ""}"#.into(),
                400,
                Some("name"),
            ),
            (
                "POST",
                "/api/v1/companies".into(),
                r#"{"ticker": "OK", "name": "x", "aliases": [{"alias": "y", "kind": "nick"}]}"#
                    .into(),
                400,
                Some("aliases[0].kind"),
            ),
        ];
        let before = snapshot(&mut server.conn());
        for (method, path, body, status, field) in cases {
            let key = if path == "/api/v1/companies" {
                &server.admin
            } else {
                &server.analyst
            };
            let resp = server.send(method, &path, Some(key), Some(&body));
            let shown: String = body.chars().take(80).collect();
            assert_eq!(
                resp.status, status,
                "{method} {path} {shown}: {}",
                resp.body
            );
            resp.assert_problem(status, field);
        }
        let problem = server
            .send(
                "POST",
                "/api/v1/events",
                Some(&server.analyst),
                Some(&manual(json!({"tickers": ["GMM"]}))),
            )
            .json();
        assert!(
            problem["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "GM"),
            "{problem}"
        );
        assert_eq!(before, snapshot(&mut server.conn()));
    });
}

#[test]
fn a_revoked_key_is_refused() {
    let server = TestServer::start(common::TestDb::sqlite(), seed);
    let mut conn = server.conn();
    let (secret, _) = riskline::store::keys::create(
        &mut conn,
        "short-lived",
        riskline::store::models::KeyRole::Reader,
        "test",
    )
    .unwrap();
    assert!(riskline::store::keys::revoke(&mut conn, "short-lived", "test").unwrap());
    drop(conn);
    server
        .get("/api/v1/whoami", Some(&secret))
        .assert_problem(401, None);
}
