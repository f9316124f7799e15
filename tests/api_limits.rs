//! What one client may take, over real HTTP against a real server: a body or a
//! request head that trickles is cut off, connections over the cap wait, rates
//! over the limit get `429` with `Retry-After`, every error is problem+json in
//! plain words, only http(s) URLs are stored or given out, and CSV cells that a
//! spreadsheet would run as formulas are neutralised.
//!
//! The tests assert outcomes, never durations: a cut-off is shown by the server
//! answering or closing long before the client would have finished sending.

mod api_support;
mod common;

use std::io::Write;
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use api_support::{
    day, no_seed, on_both_servers, raw_exchange, read_until_closed, seed_company, seed_event,
    snapshot, test_config, RawAnswer, Seed, TestServer,
};
use common::TestDb;
use riskline::api::limits::Rate;
use riskline::api::ApiConfig;
use serde_json::{json, Value};

/// A server on a fresh SQLite file with `config`.
fn sqlite_server(config: ApiConfig) -> TestServer {
    TestServer::start_with(TestDb::sqlite(), no_seed, config)
}

fn documents_stored(server: &TestServer) -> i64 {
    common::sql::count(&mut server.conn(), "documents")
}

/// Opens a connection, sends `head` and `first`, then one `step` every 100 ms
/// (at most `steps` of them) until the server answers or closes. Returns what
/// the server sent, whether it closed, and whether the client sent everything.
fn trickle(
    addr: &str,
    head: &[u8],
    first: &[u8],
    step: &[u8],
    steps: usize,
) -> (Vec<u8>, bool, bool) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(head).expect("head");
    stream.write_all(first).expect("first bytes");
    let finished = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writer = stream.try_clone().expect("clone");
    let (step, done, halt) = (step.to_vec(), finished.clone(), stop.clone());
    let sender = std::thread::spawn(move || {
        for _ in 0..steps {
            std::thread::sleep(Duration::from_millis(100));
            if halt.load(Ordering::Relaxed) || writer.write_all(&step).is_err() {
                return;
            }
        }
        done.store(true, Ordering::Relaxed);
    });
    // Far longer than any cut-off configured here; the sender takes `steps` / 10 s.
    let (got, closed) = read_until_closed(&mut stream, Duration::from_secs(120));
    stop.store(true, Ordering::Relaxed);
    sender.join().expect("sender");
    (got, closed, finished.load(Ordering::Relaxed))
}

#[test]
fn a_body_that_trickles_is_cut_off_with_a_408_problem_and_nothing_is_stored() {
    let server = sqlite_server(ApiConfig {
        body_timeout: Duration::from_secs(1),
        ..test_config()
    });
    let head = format!(
        "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        server.analyst
    );
    // 1000 bytes at one per 100 ms would take 100 s.
    let (got, closed, finished) = trickle(server.addr(), head.as_bytes(), b"{\"te", b" ", 996);
    assert!(!finished, "the client could send its whole body");
    let answer = RawAnswer::parse(&got);
    let problem = answer.assert_problem(408);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("did not arrive"),
        "{problem}"
    );
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(closed, "the connection stays open after the 408");
    assert_eq!(documents_stored(&server), 0);

    // Chunked, the same.
    let head = format!(
        "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        server.analyst
    );
    let (got, closed, finished) = trickle(
        server.addr(),
        head.as_bytes(),
        b"1\r\n{\r\n",
        b"1\r\n \r\n",
        1000,
    );
    assert!(!finished && closed);
    RawAnswer::parse(&got).assert_problem(408);
    assert_eq!(documents_stored(&server), 0);
}

#[test]
fn a_body_nobody_reads_cannot_hold_the_connection() {
    let server = sqlite_server(ApiConfig {
        body_timeout: Duration::from_secs(1),
        ..test_config()
    });
    // `/ping` answers without reading the body; the HTTP layer would drain a
    // chunked body for as long as it keeps coming.
    let (got, closed, finished) = trickle(
        server.addr(),
        b"GET /ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"1\r\na\r\n",
        b"1\r\na\r\n",
        1000,
    );
    assert_eq!(RawAnswer::parse(&got).status, 200);
    assert!(
        closed && !finished,
        "the connection was held while the body trickled"
    );

    // An announced body that is not read closes the connection after the answer.
    let (got, closed, finished) = trickle(
        server.addr(),
        b"GET /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n",
        b"a",
        b"a",
        1000,
    );
    assert_eq!(RawAnswer::parse(&got).status, 200);
    assert!(closed && !finished);
}

#[test]
fn a_request_head_that_trickles_gets_a_408_problem() {
    let server = sqlite_server(ApiConfig {
        request_timeout: Duration::from_secs(1),
        ..test_config()
    });
    let (got, closed, finished) = trickle(
        server.addr(),
        b"GET /ping HTTP/1.1\r\nHost: x\r\n",
        b"X-Slow: ",
        b"a",
        1000,
    );
    assert!(closed && !finished);
    RawAnswer::parse(&got).assert_problem(408);
}

/// Sends a keep-alive `GET /ping` and reads its answer.
fn ping(stream: &mut TcpStream) -> RawAnswer {
    use std::io::Read;
    stream
        .write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("request");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    while !got.ends_with(b"}") {
        let n = stream.read(&mut chunk).expect("answer");
        assert!(n > 0, "closed: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&chunk[..n]);
    }
    RawAnswer::parse(&got)
}

#[test]
fn connections_over_the_cap_wait_until_one_closes() {
    let server = sqlite_server(ApiConfig {
        workers: Some(1),
        max_connections: 2,
        keep_alive: Duration::from_secs(120),
        request_timeout: Duration::from_secs(120),
        ..test_config()
    });
    let mut held: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr()).expect("connect");
            assert_eq!(ping(&mut stream).status, 200);
            stream
        })
        .collect();
    // Five more: the kernel completes their handshakes, the server takes none.
    let mut waiting: Vec<TcpStream> = (0..5)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr()).expect("connect");
            stream
                .write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
                .expect("request");
            stream
        })
        .collect();
    for stream in &mut waiting {
        let (got, closed) = read_until_closed(stream, Duration::from_secs(1));
        assert!(
            got.is_empty() && !closed,
            "a connection over the cap was served: {}",
            String::from_utf8_lossy(&got)
        );
    }
    // One held connection closes: a waiting one is served, nothing was lost.
    drop(held.remove(0));
    let first = &mut waiting[0];
    first
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut chunk = [0u8; 4096];
    let n = std::io::Read::read(first, &mut chunk).expect("answer after a slot freed");
    assert_eq!(RawAnswer::parse(&chunk[..n]).status, 200);
}

fn statuses(answers: &[api_support::Resp]) -> Vec<u16> {
    answers.iter().map(|a| a.status).collect()
}

fn assert_429(resp: &api_support::Resp, max_wait: u64) {
    let problem = resp.assert_problem(429, None);
    let wait: u64 = resp
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in whole seconds: {resp:?}"));
    assert!((1..=max_wait).contains(&wait), "Retry-After {wait}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("too many requests"),
        "{problem}"
    );
}

#[test]
fn a_client_address_over_its_rate_gets_429_with_retry_after() {
    let server = sqlite_server(ApiConfig {
        rate_limit_per_ip: Some(Rate::new(0.1, Some(3))),
        ..test_config()
    });
    let answers: Vec<_> = (0..6).map(|_| server.get("/ping", None)).collect();
    let codes = statuses(&answers);
    assert_eq!(codes[0], 200, "{codes:?}");
    assert!(codes.contains(&429), "{codes:?}");
    for answer in answers.iter().filter(|a| a.status == 429) {
        assert_429(answer, 10);
    }
    // Keys do not lift the address's limit.
    assert_429(&server.get("/api/v1/whoami", Some(&server.admin)), 10);
}

#[test]
fn a_key_over_its_rate_gets_429_and_other_keys_do_not() {
    let server = sqlite_server(ApiConfig {
        rate_limit_per_key: Some(Rate::new(0.1, Some(2))),
        ..test_config()
    });
    let answers: Vec<_> = (0..5)
        .map(|_| server.get("/api/v1/whoami", Some(&server.reader)))
        .collect();
    let codes = statuses(&answers);
    assert_eq!(codes[0], 200, "{codes:?}");
    assert!(codes.contains(&429), "{codes:?}");
    for answer in answers.iter().filter(|a| a.status == 429) {
        assert_429(answer, 10);
        assert!(answer.body.contains("API key"), "{}", answer.body);
    }
    assert_eq!(
        server.get("/api/v1/whoami", Some(&server.analyst)).status,
        200
    );
    // No per-address limit here: requests without a key are not counted.
    let codes: Vec<u16> = (0..10).map(|_| server.get("/ping", None).status).collect();
    assert!(codes.iter().all(|c| *c == 200), "{codes:?}");
}

#[test]
fn every_error_is_problem_json_in_plain_words() {
    let server = sqlite_server(test_config());
    let addr = server.addr().to_string();

    // 405 on known routes, with the allowed methods; 404 elsewhere.
    let resp = server.send("DELETE", "/api/v1/documents", Some(&server.analyst), None);
    let problem = resp.assert_problem(405, None);
    assert!(
        problem["detail"].as_str().unwrap().contains("DELETE"),
        "{problem}"
    );
    assert_eq!(resp.header("allow"), Some("POST"));
    server
        .send("PUT", "/ping", None, None)
        .assert_problem(405, None);
    server.get("/nowhere", None).assert_problem(404, None);

    // 414: over the server's limit, and over what the HTTP layer can read at all.
    for size in [20_000, 100_000] {
        let request = format!(
            "GET /ping?x={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "a".repeat(size)
        );
        let problem = raw_exchange(&addr, request.as_bytes()).assert_problem(414);
        assert!(
            problem["detail"].as_str().unwrap().contains("8192"),
            "{problem}"
        );
    }
    // 431: over the server's header limit, and over the HTTP layer's 128 KiB.
    for size in [40_000, 200_000] {
        let request = format!(
            "GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
            "a".repeat(size)
        );
        raw_exchange(&addr, request.as_bytes()).assert_problem(431);
    }
    // 400: not HTTP.
    raw_exchange(&addr, b"GET /ping HTTP/1.1\r\nHo st: x\r\n\r\n").assert_problem(400);
    // 413: a body announced over 2 MiB is refused before it is sent.
    let request = format!(
        "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 3000000\r\nConnection: close\r\n\r\n",
        server.analyst
    );
    raw_exchange(&addr, request.as_bytes()).assert_problem(413);
    // 415.
    let resp = api_support::send(
        "POST",
        &format!("{}/api/v1/documents", server.base),
        Some(&server.analyst),
        Some("x"),
        Some("application/xml"),
    );
    resp.assert_problem(415, None);

    // 400 for bad JSON: the field and what was expected, never a Rust type.
    for (body, field, wanted) in [
        (json!("just text"), "body", "expected a JSON object"),
        (json!([1, 2]), "body", "JSON object"),
        (json!({"text": 5}), "text", "expected a string"),
        (
            json!({"text": "t", "colour": "red"}),
            "colour",
            "unknown field",
        ),
    ] {
        let resp = server.send(
            "POST",
            "/api/v1/documents",
            Some(&server.analyst),
            Some(&body.to_string()),
        );
        let problem = resp.assert_problem(400, Some(field));
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains(wanted), "{body}: {detail}");
        for rust in ["DocumentBody", "struct", "Option", "String"] {
            assert!(!detail.contains(rust), "{body}: {detail}");
        }
    }
    let resp = server.send(
        "PATCH",
        "/api/v1/events/1",
        Some(&server.analyst),
        Some(r#"{"amount_usd": 1.5}"#),
    );
    let problem = resp.assert_problem(400, Some("amount_usd"));
    assert!(
        !problem["detail"].as_str().unwrap().contains("i64"),
        "{problem}"
    );

    // Long inputs are cut where they are repeated.
    let long = "z".repeat(5000);
    for path in [
        format!("/api/v1/companies/GM/timeline?from={long}"),
        format!("/api/v1/companies/GM/timeline?{long}=1"),
        format!("/api/v1/companies/{long}"),
    ] {
        let resp = server.get(&path, Some(&server.reader));
        assert!(matches!(resp.status, 400 | 404), "{path}: {}", resp.body);
        let problem = resp.assert_problem(resp.status, None);
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("zzz…"), "{detail}");
        assert!(detail.chars().count() < 400, "{detail}");
        if let Some(field) = problem["field"].as_str() {
            assert!(field.chars().count() <= 101, "{field}");
        }
    }
    let body = json!({"text": "t", "published_at": long}).to_string();
    let resp = server.send(
        "POST",
        "/api/v1/documents",
        Some(&server.analyst),
        Some(&body),
    );
    let problem = resp.assert_problem(400, Some("published_at"));
    assert!(
        problem["detail"].as_str().unwrap().chars().count() < 400,
        "{problem}"
    );
}

#[test]
fn only_http_urls_are_stored() {
    on_both_servers(
        |server| {
            seed_company(server, "GM", "General Motors Company");
        },
        |server| {
            let before = snapshot(&mut server.conn());
            let documents = documents_stored(server);
            for url in [
                "javascript:alert(document.cookie)",
                "JavaScript:alert(1)",
                " javascript:alert(1)",
                "file:///etc/passwd",
                "data:text/html,<script>alert(1)</script>",
                "//evil.example/x",
                "https://",
            ] {
                let body = json!({"text": "General Motors halted Cruise robotaxi service.",
                                  "url": url})
                .to_string();
                let resp = server.send(
                    "POST",
                    "/api/v1/documents",
                    Some(&server.analyst),
                    Some(&body),
                );
                let problem = resp.assert_problem(400, Some("url"));
                assert!(
                    problem["detail"].as_str().unwrap().contains("http"),
                    "{problem}"
                );

                let query: String = url::encode(url);
                let resp = api_support::send(
                    "POST",
                    &format!("{}/api/v1/documents?url={query}", server.base),
                    Some(&server.analyst),
                    Some("General Motors halted Cruise robotaxi service."),
                    Some("text/plain"),
                );
                resp.assert_problem(400, Some("url"));

                let manual = json!({"kind": "service_halt", "action": "halt",
                                    "occurred_on": "2026-02-01", "tickers": ["GM"],
                                    "summary": "halt", "evidence_url": url});
                let resp = server.send(
                    "POST",
                    "/api/v1/events",
                    Some(&server.analyst),
                    Some(&manual.to_string()),
                );
                resp.assert_problem(400, Some("evidence_url"));
            }
            assert_eq!(snapshot(&mut server.conn()), before);
            assert_eq!(documents_stored(server), documents);

            // An http(s) URL is stored as it is.
            let body = json!({"text": "General Motors halted Cruise robotaxi service.",
                              "url": "HTTPS://news.example/gm?id=1"})
            .to_string();
            let resp = server.send(
                "POST",
                "/api/v1/documents",
                Some(&server.analyst),
                Some(&body),
            );
            assert_eq!(resp.status, 201, "{}", resp.body);
            assert_eq!(
                resp.json()["document"]["url"],
                "HTTPS://news.example/gm?id=1"
            );
        },
    );
}

/// Percent-encoding of a query value (enough for the URLs above).
mod url {
    pub fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
}

const BAD_URL: &str = "javascript:alert(1)";

/// GM with two events an analyst entered; then the evidence document of one
/// gets a `javascript:` URL behind the API's back. No way in stores such a URL
/// (the API and ingestion refuse them): only a direct write to the table, as of
/// data stored before the check existed, makes this shape.
fn seed_bad_url(server: &TestServer) {
    seed_company(server, "GM", "General Motors Company");
    let bad = seed_event(server, &Seed::lawsuit("GM", Some(day(2024, 5, 6))));
    seed_event(server, &Seed::lawsuit("GM", Some(day(2024, 5, 7))));
    common::sql::exec(
        &mut server.conn(),
        &format!(
            "UPDATE documents SET url = '{BAD_URL}' WHERE id IN \
             (SELECT document_id FROM event_mentions WHERE event_id = {bad})"
        ),
    );
}

#[test]
fn a_stored_url_that_is_not_http_is_never_given_out() {
    on_both_servers(seed_bad_url, |server| {
        let timeline = server.read_json("/api/v1/companies/GM/timeline");
        let items = timeline["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{timeline}");
        let bad_item = items
            .iter()
            .find(|i| i["first_evidence"]["url"].is_null())
            .unwrap_or_else(|| panic!("{timeline}"));
        assert!(items.iter().any(|i| i["first_evidence"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))));
        let event_id = bad_item["id"].as_i64().unwrap();
        let document_id = bad_item["first_evidence"]["document_id"].as_i64().unwrap();
        let reader = Some(server.reader.as_str());
        for path in [
            "/api/v1/companies/GM/timeline".to_string(),
            "/api/v1/companies/GM/timeline?kind=lawsuit&limit=1".to_string(),
            "/api/v1/companies/GM/timeline?format=csv".to_string(),
            "/api/v1/companies/GM/timeline.ics".to_string(),
            "/api/v1/companies/GM".to_string(),
            "/api/v1/feeds/events.atom".to_string(),
            "/api/v1/events?ticker=GM".to_string(),
            "/api/v1/events?ticker=GM&format=csv".to_string(),
            format!("/api/v1/events/{event_id}"),
            format!("/api/v1/documents/{document_id}"),
        ] {
            let resp = server.get(&path, reader);
            assert_eq!(resp.status, 200, "{path}: {}", resp.body);
            assert!(!resp.body.contains("javascript:"), "{path}: {}", resp.body);
        }
        let document = server.read_json(&format!("/api/v1/documents/{document_id}"));
        assert!(document["url"].is_null(), "{document}");
        assert!(
            document["title"].is_string(),
            "the rest of the document is there"
        );
    });
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let seed = |server: &TestServer| {
        seed_company(server, "GM", "@General Motors");
        let mut formula = Seed::lawsuit("GM", Some(day(2024, 5, 6)));
        formula.summary = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
        formula.amount_usd = Some(5_000_000);
        seed_event(server, &formula);
        let mut minus = Seed::lawsuit("GM", Some(day(2024, 5, 5)));
        minus.summary = "-2+3".into();
        seed_event(server, &minus);
        let mut plain = Seed::lawsuit("GM", Some(day(2024, 5, 4)));
        plain.summary = "A plain summary = fine".into();
        seed_event(server, &plain);
    };
    let server = TestServer::start(TestDb::sqlite(), seed);
    let resp = server.get(
        "/api/v1/companies/GM/timeline?format=csv",
        Some(&server.reader),
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    let mut reader = csv::Reader::from_reader(resp.body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    let summaries: Vec<&str> = rows.iter().map(|r| &r[column("summary")]).collect();
    assert_eq!(
        summaries,
        [
            "'=HYPERLINK(\"http://evil.example\",\"click\")",
            "'-2+3",
            "A plain summary = fine"
        ]
    );
    for row in &rows {
        assert!(
            row[column("companies")].starts_with("'@General Motors"),
            "{row:?}"
        );
        assert!(row[column("id")].parse::<i64>().is_ok(), "{row:?}");
        assert!(row[column("confidence")].parse::<f64>().is_ok(), "{row:?}");
        for cell in row.iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "{cell:?} in {row:?}");
        }
    }
    assert_eq!(&rows[0][column("amount_usd")], "5000000");
    let value: Value = server.read_json("/api/v1/companies/GM/timeline");
    assert_eq!(
        value["items"][0]["summary"], "=HYPERLINK(\"http://evil.example\",\"click\")",
        "JSON keeps the text as it is"
    );
}

#[test]
fn serve_takes_the_limits_from_flags_and_the_environment() {
    let db = TestDb::sqlite();
    db.run_ok(&["migrate"]);
    let mut child = Command::new(common::bin())
        .args(["serve", "--bind", "127.0.0.1:0", "--workers", "1"])
        .args(["--rate-limit-per-ip-burst", "1"])
        .env("DATABASE_URL", &db.url)
        .env("RISKLINE_RATE_LIMIT_PER_IP", "0.1")
        .env_remove("RISKLINE_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("riskline serve");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).expect("first line");
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let first = api_support::send("GET", &format!("{base}/ping"), None, None, None);
    let second = api_support::send("GET", &format!("{base}/ping"), None, None, None);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(first.status, 200);
    assert_429(&second, 10);

    let out = db.run(&["serve", "--rate-limit-per-key", "fast"]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("`fast` is not a rate"),
        "{}",
        out.stderr
    );
    let out = db.run(&["serve", "--help"]);
    for flag in [
        "--request-timeout",
        "--body-timeout",
        "--keep-alive",
        "--disconnect-timeout",
        "--max-connections",
        "--rate-limit-per-ip",
        "--rate-limit-per-key",
        "RISKLINE_RATE_LIMIT_PER_IP",
    ] {
        assert!(
            out.stdout.contains(flag),
            "{flag} missing from serve --help"
        );
    }
}
