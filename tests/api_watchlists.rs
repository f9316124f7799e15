//! Watchlists, the changes feed, retraction and the bulk export over real HTTP,
//! on SQLite and PostgreSQL.

mod api_support;
mod common;

use api_support::{day, on_both_servers, seed_company, seed_event, Seed, TestServer};
use riskline::store::models::KeyRole;
use serde_json::{json, Value};

fn seed(server: &TestServer) {
    seed_company(server, "GM", "General Motors Company");
    seed_company(server, "JPM", "JPMorgan Chase & Co.");
    seed_company(server, "F", "Ford Motor Company");
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect()
}

fn watchlist(server: &TestServer, body: &Value) -> i64 {
    let made = server.write_json("POST", "/api/v1/watchlists", &server.analyst, body, 201);
    made["id"].as_i64().expect("watchlist id")
}

#[test]
fn a_watchlist_is_its_teams_and_shows_its_companies_events_together() {
    on_both_servers(seed, |server| {
        let gm = seed_event(server, &Seed::lawsuit("GM", Some(day(2025, 3, 1))));
        let jpm = seed_event(server, &Seed::lawsuit("JPM", Some(day(2025, 4, 1))));
        let both = seed_event(
            server,
            &Seed {
                companies: vec![("GM", "defendant"), ("JPM", "plaintiff")],
                ..Seed::lawsuit("GM", Some(day(2025, 5, 1)))
            },
        );
        let ford = seed_event(server, &Seed::lawsuit("F", Some(day(2025, 6, 1))));
        let id = watchlist(
            server,
            &json!({"name": "banks and autos", "tickers": ["gm", "JPM"]}),
        );

        let shown = server.read_json(&format!("/api/v1/watchlists/{id}"));
        assert_eq!(shown["team"], "default");
        let tickers: Vec<&str> = shown["companies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["ticker"].as_str().unwrap())
            .collect();
        assert_eq!(tickers, ["GM", "JPM"]);

        // Newest first, the event of both companies once, Ford's not at all.
        let page = server.read_json(&format!("/api/v1/watchlists/{id}/timeline"));
        assert_eq!(ids(&page), [both, jpm, gm]);
        // The same keyset cursor as a company timeline.
        let first = server.read_json(&format!("/api/v1/watchlists/{id}/timeline?limit=2"));
        assert_eq!(ids(&first), [both, jpm]);
        let cursor = first["next_cursor"].as_str().expect("a next page");
        // The next page is linked; an unchanged page is a 304 to its ETag.
        let path = format!("/api/v1/watchlists/{id}/timeline?limit=2");
        let resp = server.get(&path, Some(&server.reader));
        let link = resp.header("link").expect("a Link header");
        assert!(
            link.contains(&format!("cursor={cursor}")) && link.ends_with("rel=\"next\""),
            "{link}"
        );
        assert!(link.contains("limit=2"), "{link}");
        let etag = resp.header("etag").expect("an ETag").to_string();
        assert!(resp.header("x-request-id").is_some_and(|id| id.len() == 16));
        let agent = ureq::agent();
        let again = agent
            .get(&format!("{}{path}", server.base))
            .set("Authorization", &format!("Bearer {}", server.reader))
            .set("If-None-Match", &etag)
            .set("X-Request-Id", "trace-42")
            .call()
            .expect("an answer");
        assert_eq!(again.status(), 304);
        assert_eq!(again.header("x-request-id"), Some("trace-42"));
        let rest = server.read_json(&format!(
            "/api/v1/watchlists/{id}/timeline?limit=2&cursor={cursor}"
        ));
        assert_eq!(ids(&rest), [gm]);
        assert_eq!(rest["next_cursor"], Value::Null);

        // tickers= on /events reads the same combined timeline.
        let search = server.read_json("/api/v1/events?tickers=GM,JPM");
        assert_eq!(ids(&search), [both, jpm, gm]);
        let all = server.read_json("/api/v1/events");
        assert!(ids(&all).contains(&ford));

        // The risk summary counts the shared suit once.
        let risk = server.read_json(&format!("/api/v1/watchlists/{id}/risk"));
        assert_eq!(risk["risk"]["open_lawsuits"], 3, "{risk}");
        assert_eq!(risk["risk"]["latest_event"]["id"], both);

        // Another team sees nothing of it.
        let other = server.team_key("desk-b", KeyRole::Analyst, "desk-b");
        let who = server.get("/api/v1/whoami", Some(&other)).json();
        assert_eq!(who["team"], "desk-b");
        server
            .get(&format!("/api/v1/watchlists/{id}"), Some(&other))
            .assert_problem(404, None);
        let theirs = server.get("/api/v1/watchlists", Some(&other)).json();
        assert_eq!(theirs["items"], json!([]));
        // The same name in another team is fine; twice in one team is not.
        let body = json!({"name": "banks and autos", "tickers": ["F"]});
        assert_eq!(
            server
                .send(
                    "POST",
                    "/api/v1/watchlists",
                    Some(&other),
                    Some(&body.to_string())
                )
                .status,
            201
        );
        server
            .send(
                "POST",
                "/api/v1/watchlists",
                Some(&server.analyst),
                Some(&body.to_string()),
            )
            .assert_problem(409, None);
        // Readers read, analysts write.
        server
            .send(
                "POST",
                "/api/v1/watchlists",
                Some(&server.reader),
                Some(&body.to_string()),
            )
            .assert_problem(403, None);
    });
}

#[test]
fn a_watchlists_filters_narrow_its_timeline_and_it_can_be_replaced_and_deleted() {
    on_both_servers(seed, |server| {
        let suit = seed_event(server, &Seed::lawsuit("GM", Some(day(2025, 3, 1))));
        let halt = seed_event(
            server,
            &Seed {
                kind: "service_halt",
                action: "halt",
                status: None,
                ..Seed::lawsuit("GM", Some(day(2025, 4, 1)))
            },
        );
        let id = watchlist(
            server,
            &json!({"name": "suits", "tickers": ["GM"], "kinds": ["lawsuit"]}),
        );
        let page = server.read_json(&format!("/api/v1/watchlists/{id}/timeline"));
        assert_eq!(ids(&page), [suit]);
        // A request's kind outside the watchlist's matches nothing.
        let none = server.read_json(&format!(
            "/api/v1/watchlists/{id}/timeline?kind=service_halt"
        ));
        assert_eq!(ids(&none), Vec::<i64>::new());

        let replaced = server.write_json(
            "PUT",
            &format!("/api/v1/watchlists/{id}"),
            &server.analyst,
            &json!({"name": "all of GM", "tickers": ["GM"]}),
            200,
        );
        assert_eq!(replaced["name"], "all of GM");
        let page = server.read_json(&format!("/api/v1/watchlists/{id}/timeline"));
        assert_eq!(ids(&page), [halt, suit]);

        // CSV: a file to save, with a BOM on request, numbers without noise.
        let csv = server.get(
            &format!("/api/v1/watchlists/{id}/timeline?format=csv&bom=true&min_confidence=0.7"),
            Some(&server.reader),
        );
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert!(csv.body.starts_with('\u{feff}'), "no BOM");
        assert!(csv
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment")));
        assert!(csv.body.contains(",1,confirmed,"), "{}", csv.body);
        server
            .get(
                &format!("/api/v1/watchlists/{id}/timeline?bom=true"),
                Some(&server.reader),
            )
            .assert_problem(400, Some("bom"));

        // Bad input names its field and changes nothing.
        server
            .send(
                "PUT",
                &format!("/api/v1/watchlists/{id}"),
                Some(&server.analyst),
                Some(&json!({"name": "x", "tickers": ["NOPE"]}).to_string()),
            )
            .assert_problem(404, Some("tickers[0]"));
        server
            .send(
                "POST",
                "/api/v1/watchlists",
                Some(&server.analyst),
                Some(&json!({"name": "x", "tickers": [], "kinds": ["merger"]}).to_string()),
            )
            .assert_problem(400, Some("kinds[0]"));
        assert_eq!(
            server.read_json(&format!("/api/v1/watchlists/{id}"))["name"],
            "all of GM"
        );

        let gone = server.send(
            "DELETE",
            &format!("/api/v1/watchlists/{id}"),
            Some(&server.analyst),
            None,
        );
        assert_eq!(gone.status, 204);
        server
            .get(
                &format!("/api/v1/watchlists/{id}/timeline"),
                Some(&server.reader),
            )
            .assert_problem(404, None);
    });
}

/// Reads the feed from `since`, following `next_cursor`, until `n` changes
/// came (a minute at most: on PostgreSQL a change shows once every transaction
/// older than its own has ended, which other writers on the server may delay);
/// returns them and the cursor after them.
fn read_changes(server: &TestServer, since: Option<&str>, n: usize) -> (Vec<Value>, String) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut items = Vec::new();
    let mut cursor = since.map(str::to_string);
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/changes?limit=3&since={c}"),
            None => "/api/v1/changes?limit=3".to_string(),
        };
        let page = server.read_json(&path);
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        cursor = Some(page["next_cursor"].as_str().expect("a cursor").to_string());
        if page["has_more"] == false {
            if items.len() >= n {
                return (items, cursor.unwrap_or_default());
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{n} changes did not come: {items:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

#[test]
fn the_changes_feed_reports_every_change_in_order_with_the_state_after_it() {
    on_both_servers(seed, |server| {
        let (before, start) = read_changes(server, None, 3);
        let kinds: Vec<&str> = before.iter().map(|c| c["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["company_added"; 3]);
        assert_eq!(before[0]["company"]["ticker"], "GM");

        let id = seed_event(server, &Seed::lawsuit("GM", Some(day(2025, 3, 1))));
        let path = format!("/api/v1/events/{id}");
        server.write_json(
            "PATCH",
            &path,
            &server.analyst,
            &json!({"review_state": "rejected"}),
            200,
        );
        server.write_json(
            "PATCH",
            &path,
            &server.analyst,
            &json!({"summary": "dealers sue GM"}),
            200,
        );
        server.write_json(
            "PUT",
            &format!("{path}/tags/watch"),
            &server.analyst,
            &json!({}),
            200,
        );
        let retracted = server.write_json(
            "POST",
            &format!("{path}/retract"),
            &server.analyst,
            &json!({"reason": "a duplicate of a filing"}),
            200,
        );
        assert!(retracted["retracted_at"].is_string(), "{retracted}");

        let (changes, end) = read_changes(server, Some(&start), 5);
        let kinds: Vec<&str> = changes
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "event_created",
                "event_reviewed",
                "event_updated",
                "event_tagged",
                "event_retracted"
            ]
        );
        for change in &changes {
            assert_eq!(change["event_id"], id);
            assert_eq!(change["actor"], "analyst-key");
            // The state as it is now.
            assert_eq!(change["event"]["summary"], "dealers sue GM");
            assert_eq!(change["retracted"], true);
        }
        // Nothing after the end; the cursor stays put.
        let (after, again) = read_changes(server, Some(&end), 0);
        assert!(after.is_empty());
        assert_eq!(again, end);
        // `since=now` starts after the last change.
        let now = server.read_json("/api/v1/changes?since=now");
        assert_eq!(now["items"], json!([]));
        assert_eq!(now["next_cursor"], end.as_str());
        assert_eq!(changes.len(), 5, "{changes:?}");
        server
            .get("/api/v1/changes?since=abc", Some(&server.reader))
            .assert_problem(400, Some("since"));

        // A retracted event is in no timeline, search or export; still readable by id.
        let timeline = server.read_json("/api/v1/companies/GM/timeline");
        assert_eq!(ids(&timeline), Vec::<i64>::new());
        assert_eq!(ids(&server.read_json("/api/v1/events")), Vec::<i64>::new());
        assert_eq!(server.read_json(&path)["id"], id);
        let history = server.read_json(&format!("{path}/history"));
        let last = history["items"]
            .as_array()
            .unwrap()
            .last()
            .cloned()
            .unwrap();
        assert_eq!(last["action"], "retract", "{history}");
        // Retracting again changes nothing.
        server.write_json(
            "POST",
            &format!("{path}/retract"),
            &server.analyst,
            &json!({}),
            200,
        );
        server.write_json(
            "PUT",
            &format!("{path}/tags/later"),
            &server.analyst,
            &json!({}),
            200,
        );
        let (later, _) = read_changes(server, Some(&end), 1);
        let kinds: Vec<&str> = later.iter().map(|c| c["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["event_tagged"], "a second retraction is no change");
        server
            .send(
                "POST",
                &format!("{path}/retract"),
                Some(&server.reader),
                None,
            )
            .assert_problem(403, None);
    });
}

#[test]
fn the_export_streams_every_matching_event_as_json_lines() {
    on_both_servers(seed, |server| {
        let mut made = Vec::new();
        for month in 1..=12 {
            made.push(seed_event(
                server,
                &Seed::lawsuit("GM", Some(day(2024, month, 2))),
            ));
        }
        let jpm = seed_event(server, &Seed::lawsuit("JPM", Some(day(2024, 5, 5))));
        let resp = server.get("/api/v1/export.jsonl", Some(&server.reader));
        assert_eq!(resp.status, 200, "{}", resp.body);
        assert!(resp.content_type.starts_with("application/x-ndjson"));
        let lines: Vec<Value> = resp
            .body
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert_eq!(lines.len(), 13);
        let only_gm = server.get(
            "/api/v1/export.jsonl?ticker=GM&from=2024-06-01",
            Some(&server.reader),
        );
        let got: Vec<i64> = only_gm
            .body
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        let mut expected: Vec<i64> = made[5..].to_vec();
        expected.reverse();
        assert_eq!(got, expected);
        assert!(!got.contains(&jpm));
        server
            .get("/api/v1/export.jsonl?kind=merger", Some(&server.reader))
            .assert_problem(400, Some("kind"));
    });
}

#[test]
fn a_watchlists_feeds_open_at_a_revocable_address_without_a_key() {
    on_both_servers(seed, |server| {
        let id = seed_event(server, &Seed::lawsuit("GM", Some(day(2025, 3, 14))));
        let month = seed_event(server, &Seed::lawsuit("GM", Some(day(2025, 4, 1))));
        server.write_json(
            "PATCH",
            &format!("/api/v1/events/{month}"),
            &server.analyst,
            &json!({"occurred_on": "2025-04"}),
            200,
        );
        let list = watchlist(server, &json!({"name": "autos", "tickers": ["GM"]}));
        let token = server.write_json(
            "POST",
            &format!("/api/v1/watchlists/{list}/feed-token"),
            &server.analyst,
            &json!({}),
            201,
        );
        let atom_path = token["atom_path"].as_str().expect("atom path").to_string();
        let ics_path = token["ics_path"].as_str().expect("ics path").to_string();

        // Atom: well-formed, each entry linking to its page and its evidence.
        let atom = server.get(&atom_path, None);
        assert_eq!(atom.status, 200, "{}", atom.body);
        assert!(atom.content_type.starts_with("application/atom+xml"));
        let mut reader = quick_xml::Reader::from_str(&atom.body);
        let (mut entries, mut pages, mut evidence) = (0, Vec::new(), 0);
        loop {
            match reader.read_event().expect("well-formed XML") {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) if e.name().as_ref() == b"entry" => entries += 1,
                quick_xml::events::Event::Empty(e) if e.name().as_ref() == b"link" => {
                    let attr = |name: &[u8]| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.as_ref() == name)
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    };
                    match attr(b"rel").as_deref() {
                        Some("alternate") => pages.push(attr(b"href").expect("href")),
                        Some("related") => evidence += 1,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        assert_eq!(entries, 2);
        assert_eq!(evidence, 2);
        assert!(
            pages.contains(&format!("{}/#/GM/{id}", server.base)),
            "{pages:?}"
        );
        // The page the link opens is there.
        assert_eq!(server.get("/", None).status, 200);

        // iCalendar: a month-precision event spans its month and says so.
        let ics = server.get(&ics_path, None);
        assert_eq!(ics.status, 200, "{}", ics.body);
        let unfolded = ics.body.replace("\r\n ", "");
        assert!(
            unfolded.contains("DTSTART;VALUE=DATE:20250314\r\nDTEND;VALUE=DATE:20250315"),
            "{unfolded}"
        );
        assert!(
            unfolded.contains("DTSTART;VALUE=DATE:20250401\r\nDTEND;VALUE=DATE:20250501"),
            "{unfolded}"
        );
        assert!(unfolded.contains("sometime in April 2025"), "{unfolded}");

        // A new token revokes the old address; deleting it closes the feeds.
        let again = server.write_json(
            "POST",
            &format!("/api/v1/watchlists/{list}/feed-token"),
            &server.analyst,
            &json!({}),
            201,
        );
        server.get(&atom_path, None).assert_problem(404, None);
        let new_path = again["atom_path"].as_str().unwrap().to_string();
        assert_eq!(server.get(&new_path, None).status, 200);
        let closed = server.send(
            "DELETE",
            &format!("/api/v1/watchlists/{list}/feed-token"),
            Some(&server.analyst),
            None,
        );
        assert_eq!(closed.status, 204);
        server.get(&new_path, None).assert_problem(404, None);
    });
}

fn dealer_suit(n: usize) -> String {
    format!(
        "Dealers take General Motors to court ({n})\n\nCar dealers sued General Motors on \
         March 1, 2025 in federal court in Detroit over unpaid warranty repairs; report number {n}."
    )
}

#[test]
fn ingestion_reports_created_and_merged_events_and_the_cli_exports_them() {
    on_both_servers(seed, |server| {
        let (_, start) = read_changes(server, None, 3);
        let first = api_support::seed_document(server, &dealer_suit(1), "2025-03-03");
        let id = first["events"][0]["id"].as_i64().expect("an event");
        let second = api_support::seed_document(server, &dealer_suit(2), "2025-03-04");
        assert_eq!(second["events"][0]["id"], id, "the second report merges");
        let (changes, _) = read_changes(server, Some(&start), 2);
        let kinds: Vec<(&str, &str)> = changes
            .iter()
            .map(|c| (c["kind"].as_str().unwrap(), c["actor"].as_str().unwrap()))
            .collect();
        assert_eq!(
            kinds,
            [("event_created", "ingest"), ("event_merged", "ingest")]
        );
        assert_eq!(changes[1]["event"]["document_count"], 2);

        // `riskline export`: the same events as the API's export.
        let out = server
            .db
            .run_ok(&["export", "--tickers", "GM", "--filter", "kind=lawsuit"]);
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["id"], id);
        let none = server
            .db
            .run_ok(&["export", "--filter", "kind=service_halt"]);
        assert_eq!(none, "");
        let bad = server.db.run(&["export", "--filter", "kind=merger"]);
        assert!(!bad.success);
        assert!(bad.stderr.contains("kind"), "{}", bad.stderr);
    });
}
