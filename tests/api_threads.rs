//! Threads and companies over time through the HTTP API, on SQLite and PostgreSQL:
//! the risk summary as of a day, an analyst's unlink and link of a step (audited and
//! kept against later reports), and companies renamed, acquired or delisted.

mod api_support;
mod common;

use api_support::{event_ids_of, on_both_servers, seed_document, TestServer};
use serde_json::{json, Value};

/// A halt of Boeing's deliveries and, a month later, their resumption.
fn seed(server: &TestServer) {
    seed_document(
        server,
        "Boeing halts 737 MAX 9 deliveries\n\nBoeing halted deliveries of its 737 MAX 9 jets on Monday after a cabin panel blew out in flight.",
        "2024-01-08",
    );
    seed_document(
        server,
        "Boeing resumes 737 MAX 9 deliveries\n\nBoeing resumed deliveries of its 737 MAX 9 jets on Monday.",
        "2024-02-05",
    );
}

fn events_of(server: &TestServer, ticker: &str) -> Vec<Value> {
    let page = server.read_json(&format!("/api/v1/companies/{ticker}/timeline"));
    page["items"].as_array().unwrap().clone()
}

fn step(items: &[Value], action: &str) -> Value {
    items
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} in {items:#?}"))
        .clone()
}

fn active_halts(server: &TestServer, as_of: &str) -> i64 {
    let company = server.read_json(&format!("/api/v1/companies/BA?as_of={as_of}"));
    assert_eq!(company["risk"]["as_of"], as_of);
    company["risk"]["active_halts"].as_i64().unwrap()
}

#[test]
fn an_analyst_unlinks_and_links_a_step_and_later_reports_keep_it() {
    on_both_servers(seed, |server| {
        let items = events_of(server, "BA");
        let (halt, resumption) = (step(&items, "halt"), step(&items, "resumption"));
        assert_eq!(resumption["thread_id"], halt["id"], "{items:#?}");
        let detail = server.read_json(&format!("/api/v1/events/{}", resumption["id"]));
        let reason = detail["thread"][1]["reason"].as_str().unwrap_or_default();
        assert!(reason.starts_with("continues event"), "{detail}");
        assert_eq!(active_halts(server, "2024-03-01"), 0);
        assert_eq!(active_halts(server, "2024-01-20"), 1);

        let id = resumption["id"].as_i64().unwrap();
        let path = format!("/api/v1/events/{id}");
        let detail = server.write_json(
            "PATCH",
            &path,
            &server.analyst,
            &json!({"thread": null}),
            200,
        );
        assert_eq!(detail["corrected_fields"], json!(["thread_id"]), "{detail}");
        let reason = detail["thread"][0]["reason"].as_str().unwrap_or_default();
        assert!(reason.starts_with("unlinked by analyst-key"), "{detail}");
        let history = &detail["history"][0];
        assert_eq!(history["before"]["thread_id"], halt["id"], "{history}");
        assert_eq!(history["after"]["thread_id"], Value::Null, "{history}");
        assert_eq!(
            active_halts(server, "2024-03-01"),
            1,
            "the halt stands unended"
        );

        // Another report of the resumption merges into it and leaves it alone.
        let again = seed_document(
            server,
            "Deliveries back\n\nBoeing resumed deliveries of its 737 MAX 9 jets on Monday, the planemaker said.",
            "2024-02-06",
        );
        assert_eq!(event_ids_of(&again), vec![id], "{again}");
        let items = events_of(server, "BA");
        assert_eq!(step(&items, "resumption")["thread_id"], id, "{items:#?}");

        let body = json!({"thread": halt["id"]});
        let detail = server.write_json("PATCH", &path, &server.analyst, &body, 200);
        let steps = detail["thread"].as_array().unwrap();
        assert_eq!(steps.len(), 2, "{detail}");
        assert!(steps[1]["reason"]
            .as_str()
            .unwrap_or_default()
            .starts_with("linked by"));
        let items = events_of(server, "BA");
        assert_eq!(step(&items, "resumption")["thread_id"], halt["id"]);
        assert_eq!(active_halts(server, "2024-03-01"), 0);

        let resp = server.send(
            "PATCH",
            &path,
            Some(&server.analyst),
            Some(&json!({"thread": id}).to_string()),
        );
        resp.assert_problem(422, Some("thread"));
        let resp = server.send(
            "PATCH",
            &path,
            Some(&server.reader),
            Some(r#"{"thread": null}"#),
        );
        assert_eq!(resp.status, 403);
    });
}

#[test]
fn former_tickers_resolve_and_companies_show_their_history() {
    on_both_servers(seed, |server| {
        let meta = server.read_json("/api/v1/companies/FB");
        assert_eq!(meta["ticker"], "META");
        assert_eq!(meta["listed"], true);
        let history = meta["history"].as_array().unwrap();
        assert!(
            history
                .iter()
                .any(|p| p["field"] == "ticker" && p["value"] == "FB" && p["to"] == "2022-06-09"),
            "{history:#?}"
        );
        let activision = server.read_json("/api/v1/companies/ATVI");
        assert_eq!(activision["listed"], false);
        assert!(activision["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["field"] == "parent" && p["value"] == "MSFT"));

        // An event of 2021 shows the ticker Meta traded under then.
        let answer = seed_document(
            server,
            "Facebook sued\n\nThe Federal Trade Commission sued Facebook on Wednesday, accusing the company of buying rivals to crush competition.",
            "2021-03-10",
        );
        let id = event_ids_of(&answer)[0];
        let items = events_of(server, "META");
        let item = items.iter().find(|e| e["id"] == id).unwrap();
        assert_eq!(item["companies"][0]["ticker"], "META", "{item}");
        assert_eq!(item["companies"][0]["ticker_then"], "FB", "{item}");
    });
}

#[test]
fn a_resumption_entered_by_hand_ends_the_halt_it_continues() {
    on_both_servers(
        |server| {
            seed_document(
                server,
                "Boeing halts 737 MAX 9 deliveries\n\nBoeing halted deliveries of its 737 MAX 9 jets on Monday after a cabin panel blew out in flight.",
                "2024-01-08",
            );
        },
        |server| {
            assert_eq!(active_halts(server, "2024-03-01"), 1);
            let body = json!({
                "kind": "service_halt", "action": "resumed", "occurred_on": "2024-02-05",
                "tickers": ["BA"], "summary": "Boeing resumed 737 MAX 9 deliveries",
                "evidence_url": "https://news.example/boeing-resumes"
            });
            let detail = server.write_json("POST", "/api/v1/events", &server.analyst, &body, 201);
            let halt = step(&events_of(server, "BA"), "halt");
            assert_eq!(detail["thread_id"], halt["id"], "{detail}");
            assert_eq!(active_halts(server, "2024-03-01"), 0);
            assert_eq!(active_halts(server, "2024-01-20"), 1);
        },
    );
}
