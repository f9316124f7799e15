//! Webhooks of watchlists against a real receiver on 127.0.0.1, and the
//! changes feed under concurrent writers on PostgreSQL.
//!
//! No timed assertions: everything that happens in the background is polled
//! for with a generous deadline.

mod api_support;
mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api_support::{day, seed_company, seed_document, seed_event, Seed, TestServer};
use common::TestDb;
use riskline::store::backend::write_transaction;
use riskline::store::changes::{self, ChangeKind};
use riskline::store::StoreError;
use riskline::webhooks::sign;
use serde_json::{json, Value};

/// A request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: HashMap<String, String>,
    body: String,
    answered: u16,
}

/// An HTTP receiver on 127.0.0.1 answering with the scripted statuses in
/// turn, then 200.
#[derive(Clone)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    fn start(script: Vec<u16>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = got.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut headers = HashMap::new();
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
                    }
                }
                let length: usize = headers
                    .get("content-length")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                let mut log = log.lock().expect("log");
                let answered = script.get(log.len()).copied().unwrap_or(200);
                log.push(Received {
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                    answered,
                });
                drop(log);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {answered} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        Receiver { url, got }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().expect("log").clone()
    }

    /// Waits until `n` requests arrived (a minute at most).
    fn wait_for(&self, n: usize) -> Vec<Received> {
        wait_until(&format!("{n} requests at the receiver"), || {
            let got = self.received();
            (got.len() >= n).then_some(got)
        })
    }
}

fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "waited a minute for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

const SECRET: &str = "a-shared-secret-of-the-test";

fn dealer_suit(n: usize) -> String {
    format!(
        "Dealers take General Motors to court ({n})\n\nCar dealers sued General Motors on \
         March 1, 2025 in federal court in Detroit over unpaid warranty repairs; report number {n}."
    )
}

/// Posts a document and a subscription to a watchlist of GM.
fn subscribe(server: &TestServer, receiver: &Receiver) -> i64 {
    seed_company(server, "GM", "General Motors Company");
    seed_company(server, "JPM", "JPMorgan Chase & Co.");
    let list = server.write_json(
        "POST",
        "/api/v1/watchlists",
        &server.analyst,
        &json!({"name": "autos", "tickers": ["GM"]}),
        201,
    );
    let hook = server.write_json(
        "POST",
        &format!("/api/v1/watchlists/{}/webhooks", list["id"]),
        &server.analyst,
        &json!({"url": receiver.url, "secret": SECRET, "change_kinds": ["event_created"]}),
        201,
    );
    assert_eq!(hook["secret"], SECRET);
    hook["id"].as_i64().expect("webhook id")
}

fn deliveries(server: &TestServer, hook: i64) -> Vec<Value> {
    server.read_json(&format!("/api/v1/webhooks/{hook}/deliveries"))["items"]
        .as_array()
        .expect("items")
        .clone()
}

#[test]
fn a_delivery_is_signed_retried_until_accepted_replayed_and_sent_once_by_several_servers() {
    eprintln!("-- on sqlite");
    signed_retried_replayed_and_sent_once(TestDb::sqlite());
    if let Some(db) = TestDb::postgres() {
        eprintln!("-- on postgres");
        signed_retried_replayed_and_sent_once(db);
    }
}

fn signed_retried_replayed_and_sent_once(db: TestDb) {
    let receiver = Receiver::start(vec![500, 500]);
    let server = TestServer::start(db, |_| {});
    let hook = subscribe(&server, &receiver);
    let answer = seed_document(&server, &dealer_suit(1), "2025-03-03");
    let event = answer["events"][0]["id"].as_i64().expect("an event");

    // 500, 500, then 200: one delivery, three attempts, one idempotency key.
    let got = receiver.wait_for(3);
    let statuses: Vec<u16> = got.iter().map(|r| r.answered).collect();
    assert_eq!(statuses, [500, 500, 200]);
    let key = got[0].headers["idempotency-key"].clone();
    for request in &got {
        assert_eq!(request.headers["idempotency-key"], key);
        let signature = &request.headers["riskline-signature"];
        assert!(
            sign::verify(SECRET, signature, request.body.as_bytes()).is_some(),
            "{signature}"
        );
        assert!(sign::verify(
            "another-secret-entirely",
            signature,
            request.body.as_bytes()
        )
        .is_none());
        let body: Value = serde_json::from_str(&request.body).expect("JSON body");
        assert_eq!(body["change"]["kind"], "event_created");
        assert_eq!(body["event"]["id"], event);
        assert_eq!(body["event"]["companies"][0]["ticker"], "GM");
        assert_eq!(body["idempotency_key"], key.as_str());
    }
    let delivery = wait_until("the delivery to be marked delivered", || {
        let items = deliveries(&server, hook);
        (items.len() == 1 && items[0]["state"] == "delivered").then(|| items[0].clone())
    });
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["last_status"], 200);

    // A replay sends it again, with the same key.
    let replayed = server.write_json(
        "POST",
        &format!("/api/v1/deliveries/{}/replay", delivery["id"]),
        &server.analyst,
        &json!({}),
        202,
    );
    assert_eq!(replayed["state"], "pending");
    let got = receiver.wait_for(4);
    assert_eq!(got[3].headers["idempotency-key"], key);

    // A second server on the same database sends nothing twice: a new event is
    // delivered once, and the first is not delivered again.
    let second = server.sibling();
    let other = seed_event(&server, &Seed::lawsuit("GM", Some(day(2025, 6, 1))));
    let got = receiver.wait_for(5);
    let body: Value = serde_json::from_str(&got[4].body).expect("JSON");
    assert_eq!(body["event"]["id"], other);
    // A third event is a barrier: once it is in, both servers have had rounds
    // after the second one's delivery.
    let third = seed_event(&server, &Seed::lawsuit("GM", Some(day(2025, 7, 1))));
    let got = receiver.wait_for(6);
    wait_until("both servers to settle", || {
        let items = deliveries(&server, hook);
        (items.len() == 3 && items.iter().all(|d| d["state"] == "delivered")).then_some(())
    });
    let got_after = receiver.received();
    assert_eq!(got_after.len(), got.len(), "{got_after:?}");
    let mut keys: Vec<&str> = got_after
        .iter()
        .map(|r| r.headers["idempotency-key"].as_str())
        .collect();
    keys.dedup();
    assert_eq!(keys.len(), 3, "one key per change: {keys:?}");
    let last: Value = serde_json::from_str(&got_after[5].body).expect("JSON");
    assert_eq!(last["event"]["id"], third);
    // JPM's events are not on the watchlist, and other change kinds are not subscribed.
    seed_event(&server, &Seed::lawsuit("JPM", Some(day(2025, 8, 1))));
    server.write_json(
        "PUT",
        &format!("/api/v1/events/{other}/tags/watch"),
        &server.analyst,
        &json!({}),
        200,
    );
    let fourth = seed_event(&server, &Seed::lawsuit("GM", Some(day(2025, 9, 1))));
    let got = receiver.wait_for(7);
    let body: Value = serde_json::from_str(&got[6].body).expect("JSON");
    assert_eq!(body["event"]["id"], fourth);
    drop(second);
}

#[test]
fn a_delivery_no_receiver_accepts_is_dead_after_its_retry_window_and_can_be_replayed() {
    let receiver = Receiver::start(vec![503; 1_000]);
    let config = riskline::api::ApiConfig {
        webhooks: Some(riskline::webhooks::Settings {
            retry_for: Duration::from_secs(1),
            ..api_support::test_webhooks()
        }),
        ..api_support::test_config()
    };
    let server = TestServer::start_with(TestDb::sqlite(), |_| {}, config);
    let hook = subscribe(&server, &receiver);
    seed_event(&server, &Seed::lawsuit("GM", Some(day(2025, 6, 1))));
    let dead = wait_until("the delivery to die", || {
        let items = deliveries(&server, hook);
        (items.len() == 1 && items[0]["state"] == "dead").then(|| items[0].clone())
    });
    assert_eq!(dead["last_status"], 503);
    assert_eq!(dead["last_error"], "answered 503");
    let attempts = usize::try_from(dead["attempts"].as_i64().unwrap()).unwrap();
    assert!(attempts >= 2, "{dead}");
    assert_eq!(receiver.received().len(), attempts);
    // A replay tries again (and, failing for another window, dies again).
    server.write_json(
        "POST",
        &format!("/api/v1/deliveries/{}/replay", dead["id"]),
        &server.analyst,
        &json!({}),
        202,
    );
    receiver.wait_for(attempts + 1);
}

#[test]
fn deliveries_wait_in_the_database_for_a_worker_of_another_process() {
    let receiver = Receiver::start(Vec::new());
    let config = riskline::api::ApiConfig {
        webhooks: None,
        ..api_support::test_config()
    };
    let db = TestDb::postgres().unwrap_or_else(TestDb::sqlite);
    let server = TestServer::start_with(db, |_| {}, config);
    // A server without a worker still takes subscriptions (to private targets
    // only when allowed: not here).
    seed_company(&server, "GM", "General Motors Company");
    let list = server.write_json(
        "POST",
        "/api/v1/watchlists",
        &server.analyst,
        &json!({"name": "autos", "tickers": ["GM"]}),
        201,
    );
    server
        .send(
            "POST",
            &format!("/api/v1/watchlists/{}/webhooks", list["id"]),
            Some(&server.analyst),
            Some(&json!({"url": receiver.url}).to_string()),
        )
        .assert_problem(400, Some("url"));
    let mut conn = server.conn();
    let hook = riskline::store::webhooks::create(
        &mut conn,
        "default",
        list["id"].as_i64().unwrap(),
        &receiver.url,
        SECRET,
        &[],
        "test",
    )
    .expect("subscription")
    .expect("the team's watchlist");
    let event = seed_event(&server, &Seed::lawsuit("GM", Some(day(2025, 6, 1))));
    assert!(receiver.received().is_empty());
    // `riskline deliver --once`, a process of its own, sends what waited.
    let out = wait_until("the change to be final and delivered", || {
        let out = server
            .db
            .run(&["deliver", "--once", "--webhooks-allow-private"]);
        assert!(out.success, "{}", out.stderr);
        (!receiver.received().is_empty()).then_some(out)
    });
    assert!(out.stdout.contains("1 delivered"), "{}", out.stdout);
    let got = receiver.received();
    let body: Value = serde_json::from_str(&got[0].body).expect("JSON");
    assert_eq!(body["event"]["id"], event);
    assert_eq!(body["change"]["kind"], "event_created");
    assert!(sign::verify(
        SECRET,
        &got[0].headers["riskline-signature"],
        got[0].body.as_bytes()
    )
    .is_some());
    let listed = deliveries(&server, hook.id);
    assert_eq!(listed[0]["state"], "delivered");
    // Nothing is sent twice by the next run.
    let again = server
        .db
        .run(&["deliver", "--once", "--webhooks-allow-private"]);
    assert!(again.stdout.contains("0 attempts"), "{}", again.stdout);
    assert_eq!(receiver.received().len(), 1);
}

#[test]
fn private_targets_are_refused_unless_allowed() {
    let db = TestDb::sqlite();
    let config = riskline::api::ApiConfig {
        webhooks: Some(riskline::webhooks::Settings::default()),
        ..api_support::test_config()
    };
    let server = TestServer::start_with(db, |_| {}, config);
    seed_company(&server, "GM", "General Motors Company");
    let list = server.write_json(
        "POST",
        "/api/v1/watchlists",
        &server.analyst,
        &json!({"name": "autos", "tickers": ["GM"]}),
        201,
    );
    for url in [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/",
        "http://[::1]/",
        "ftp://example.com/",
    ] {
        server
            .send(
                "POST",
                &format!("/api/v1/watchlists/{}/webhooks", list["id"]),
                Some(&server.analyst),
                Some(&json!({"url": url}).to_string()),
            )
            .assert_problem(400, Some("url"));
    }
}

/// Writers that commit out of the order their changes were numbered in: each
/// transaction records a change, then waits a little before committing.
#[test]
fn a_reader_of_the_changes_feed_sees_every_change_once_while_writers_commit_concurrently() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    const WRITERS: i64 = 6;
    const EACH: i64 = 40;
    let server = TestServer::start(db, |_| {});
    let sibling = server.sibling();
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let store = server.store.clone();
            std::thread::spawn(move || {
                let mut conn = store.conn().expect("connection");
                for i in 0..EACH {
                    let marker = w * 1_000 + i;
                    write_transaction(&mut conn, |conn| {
                        changes::record(
                            conn,
                            ChangeKind::EventUpdated,
                            Some(marker),
                            None,
                            "writer",
                        )?;
                        // Hold the transaction open a varying while.
                        std::thread::sleep(Duration::from_millis(
                            u64::try_from((marker * 7) % 13).unwrap_or(0),
                        ));
                        Ok::<_, StoreError>(())
                    })
                    .expect("write");
                }
            })
        })
        .collect();

    // The reader polls both servers in turn, passing the cursor along.
    let bases = [server.base.clone(), sibling.base.clone()];
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut cursor: Option<String> = None;
    let mut turn = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    while seen.len() < usize::try_from(WRITERS * EACH).unwrap_or(0) {
        assert!(
            Instant::now() < deadline,
            "saw {} changes in two minutes",
            seen.len()
        );
        let path = match &cursor {
            Some(c) => format!("/api/v1/changes?limit=7&since={c}"),
            None => "/api/v1/changes?limit=7".to_string(),
        };
        let resp = api_support::send(
            "GET",
            &format!("{}{path}", bases[turn % 2]),
            Some(&server.reader),
            None,
            None,
        );
        turn += 1;
        assert_eq!(resp.status, 200, "{}", resp.body);
        let page = resp.json();
        for change in page["items"].as_array().expect("items") {
            if change["actor"] == "writer" {
                *seen
                    .entry(change["event_id"].as_i64().expect("marker"))
                    .or_default() += 1;
            }
        }
        cursor = Some(page["next_cursor"].as_str().expect("cursor").to_string());
    }
    for writer in writers {
        writer.join().expect("writer");
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "seen more than once: {twice:?}");
    assert_eq!(seen.len(), usize::try_from(WRITERS * EACH).unwrap_or(0));
    // Nothing is left behind the cursor.
    let rest = server.read_json(&format!(
        "/api/v1/changes?since={}",
        cursor.unwrap_or_default()
    ));
    assert_eq!(rest["items"], json!([]));
}
