//! Helpers of the HTTP API tests: a real server on `127.0.0.1:0` over a fresh
//! database of either backend, keys of every role, a small HTTP client, and
//! seeding through the API itself: companies by `POST /companies`, documents by
//! `POST /documents` (the ingestion `riskline ingest` runs), analysts' events by
//! `POST /events` and their reviews and corrections by `PATCH /events/{id}`.

// Each API test crate uses a part of these helpers.
#![allow(dead_code)]

use std::net::TcpListener;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::NaiveDate;
use riskline::api::ApiConfig;
use riskline::store::models::KeyRole;
use riskline::store::{keys, DbConnection, Store};
use serde_json::{json, Value};

use crate::common::{sql, TestDb};

/// A server running in this process on a fresh database, with a key per role.
pub struct TestServer {
    pub base: String,
    pub db: TestDb,
    pub store: Store,
    pub reader: String,
    pub analyst: String,
    pub admin: String,
    handle: Option<actix_web::dev::ServerHandle>,
    thread: Option<JoinHandle<()>>,
}

/// The configuration of test servers: two workers, a short shutdown, and no
/// rate limits (tests send requests as fast as they can; `tests/api_limits.rs`
/// turns the limits on where it tests them).
pub fn test_config() -> ApiConfig {
    ApiConfig {
        workers: Some(2),
        shutdown_timeout: Duration::from_secs(1),
        rate_limit_per_ip: None,
        rate_limit_per_key: None,
        webhooks: Some(test_webhooks()),
        ..ApiConfig::default()
    }
}

/// Webhook settings of test servers: receivers on 127.0.0.1 are allowed, and
/// retries come within a fraction of a second.
pub fn test_webhooks() -> riskline::webhooks::Settings {
    riskline::webhooks::Settings {
        allow_private: true,
        poll: Duration::from_millis(100),
        first_retry: Duration::from_millis(200),
        max_retry: Duration::from_secs(1),
        ..riskline::webhooks::Settings::default()
    }
}

impl TestServer {
    /// Migrates `db`, creates the keys, starts the server and runs `seed`
    /// against it (through its routes: see the seeding helpers below).
    pub fn start(db: TestDb, seed: impl FnOnce(&TestServer)) -> TestServer {
        TestServer::start_with(db, seed, test_config())
    }

    /// [`TestServer::start`] with a configuration of its own.
    pub fn start_with(db: TestDb, seed: impl FnOnce(&TestServer), config: ApiConfig) -> TestServer {
        let store = db.migrated_store();
        let mut conn = store.conn().expect("connection");
        let mut key =
            |name: &str, role: KeyRole| keys::create(&mut conn, name, role, "test").expect("key").0;
        let (reader, analyst, admin) = (
            key("reader-key", KeyRole::Reader),
            key("analyst-key", KeyRole::Analyst),
            key("admin-key", KeyRole::Admin),
        );
        drop(conn);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = mpsc::channel();
        let server_store = store.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = riskline::api::run(server_store, listener, config).expect("server");
                tx.send(server.handle()).expect("handle");
                server.await.expect("server run");
            });
        });
        let handle = rx.recv().expect("server started");
        let server = TestServer {
            base,
            db,
            store,
            reader,
            analyst,
            admin,
            handle: Some(handle),
            thread: Some(thread),
        };
        seed(&server);
        server
    }

    /// Another server on the same database (as a second process of a
    /// deployment would be), with the test configuration.
    pub fn sibling(&self) -> Sibling {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = mpsc::channel();
        let store = Store::open(&self.db.url).expect("store");
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = riskline::api::run(store, listener, test_config()).expect("server");
                tx.send(server.handle()).expect("handle");
                server.await.expect("server run");
            });
        });
        let handle = rx.recv().expect("server started");
        Sibling {
            base,
            handle: Some(handle),
            thread: Some(thread),
        }
    }

    /// A key of `role` in `team`; returns the secret.
    pub fn team_key(&self, name: &str, role: KeyRole, team: &str) -> String {
        let mut conn = self.conn();
        let (secret, _) = keys::create(&mut conn, name, role, "test").expect("key");
        keys::set_team(&mut conn, name, team, "test").expect("team");
        secret
    }

    /// The server's address, `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// A connection to the server's database.
    pub fn conn(&self) -> riskline::store::Conn {
        self.store.conn().expect("connection")
    }

    pub fn get(&self, path: &str, key: Option<&str>) -> Resp {
        send("GET", &format!("{}{path}", self.base), key, None, None)
    }

    pub fn send(&self, method: &str, path: &str, key: Option<&str>, body: Option<&str>) -> Resp {
        send(
            method,
            &format!("{}{path}", self.base),
            key,
            body,
            Some("application/json"),
        )
    }

    /// GETs with the reader key and expects 200 JSON.
    pub fn read_json(&self, path: &str) -> Value {
        let resp = self.get(path, Some(&self.reader));
        assert_eq!(resp.status, 200, "GET {path}: {}", resp.body);
        resp.json()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            actix_web::rt::System::new().block_on(handle.stop(false));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A second server on the database of a [`TestServer`]; stops when dropped.
pub struct Sibling {
    pub base: String,
    handle: Option<actix_web::dev::ServerHandle>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Sibling {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            actix_web::rt::System::new().block_on(handle.stop(false));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An HTTP response, whatever its status.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts a problem+json error with this status naming `field`.
    pub fn assert_problem(&self, status: u16, field: Option<&str>) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "content type {}: {}",
            self.content_type,
            self.body
        );
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{problem}"
        );
        if let Some(field) = field {
            assert_eq!(problem["field"], field, "{problem}");
        }
        problem
    }
}

/// Sends a request; 4xx and 5xx are answers, not errors.
pub fn send(
    method: &str,
    url: &str,
    key: Option<&str>,
    body: Option<&str>,
    content_type: Option<&str>,
) -> Resp {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build();
    let mut request = agent.request(method, url);
    if let Some(key) = key {
        request = request.set("Authorization", &format!("Bearer {key}"));
    }
    let result = match body {
        Some(body) => request
            .set("Content-Type", content_type.unwrap_or("application/json"))
            .send_string(body),
        None => request.call(),
    };
    let response = match result {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(err) => panic!("{method} {url}: {err}"),
    };
    let status = response.status();
    let content_type = response
        .header("content-type")
        .unwrap_or_default()
        .to_string();
    let headers = response
        .headers_names()
        .into_iter()
        .filter_map(|n| response.header(&n).map(|v| (n.clone(), v.to_string())))
        .collect();
    let body = response.into_string().unwrap_or_default();
    Resp {
        status,
        content_type,
        headers,
        body,
    }
}

// ------------------------------------------------------------------ seeding
//
// Fixtures go in the way users put them in: an admin adds companies, analysts
// post documents (which the extractor reads, as `riskline ingest` does) and
// enter, review and correct events. Nothing is written to the tables directly,
// so every seeded row has a shape the service itself makes.

/// No fixtures: keys only.
pub fn no_seed(_: &TestServer) {}

impl TestServer {
    /// Sends `body` with `key`, asserts the answer's status and returns its JSON.
    pub fn write_json(
        &self,
        method: &str,
        path: &str,
        key: &str,
        body: &Value,
        status: u16,
    ) -> Value {
        let resp = self.send(method, path, Some(key), Some(&body.to_string()));
        assert_eq!(resp.status, status, "{method} {path} {body}: {}", resp.body);
        resp.json()
    }
}

/// Adds a company through `POST /companies` (admin); returns its id.
pub fn seed_company(server: &TestServer, ticker: &str, name: &str) -> i64 {
    seed_company_with_aliases(server, ticker, name, &[])
}

/// [`seed_company`] with aliases given as `(alias, kind)`, e.g.
/// `("GMOLD", "former_ticker")`.
pub fn seed_company_with_aliases(
    server: &TestServer,
    ticker: &str,
    name: &str,
    aliases: &[(&str, &str)],
) -> i64 {
    let aliases: Vec<Value> = aliases
        .iter()
        .map(|(alias, kind)| json!({"alias": alias, "kind": kind}))
        .collect();
    let body = json!({"ticker": ticker, "name": name, "aliases": aliases});
    let company = server.write_json("POST", "/api/v1/companies", &server.admin, &body, 201);
    company["id"].as_i64().expect("company id")
}

/// A number for each fixture of the process, to keep URLs (and so documents) apart.
fn next_fixture() -> u64 {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Posts a news article through `POST /documents` (analyst), published on
/// `published_at` (`YYYY-MM-DD`) at an `https` address of its own; returns the
/// answer, `{"document", "created", "events"}`, after asserting it is new.
pub fn seed_document(server: &TestServer, text: &str, published_at: &str) -> Value {
    let body = json!({"text": text, "published_at": published_at, "source": "news",
                      "url": format!("https://news.example/article/{}", next_fixture())});
    let answer = server.write_json("POST", "/api/v1/documents", &server.analyst, &body, 201);
    assert_eq!(answer["created"], true, "{answer}");
    answer
}

/// The ids of the events a [`seed_document`] answer reports.
pub fn event_ids_of(answer: &Value) -> Vec<i64> {
    answer["events"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|e| e["id"].as_i64().expect("event id"))
        .collect()
}

/// An analyst's event to seed: entered with `POST /events`, then reviewed or
/// corrected with `PATCH /events/{id}` for what an entry cannot say.
#[derive(Debug, Clone)]
pub struct Seed {
    /// `(ticker, role)` of each company taking part.
    pub companies: Vec<(&'static str, &'static str)>,
    /// The event's date; `None` for an undated event: entered with a date that
    /// the analyst then clears (a correction of `occurred_on`).
    pub date: Option<NaiveDate>,
    pub kind: &'static str,
    pub action: &'static str,
    pub status: Option<&'static str>,
    /// The review state once seeded: `confirmed` is what an entry stores;
    /// `unreviewed` and `rejected` are set by a review.
    pub review: &'static str,
    pub amount_usd: Option<i64>,
    pub summary: String,
}

impl Seed {
    /// A lawsuit filed against `ticker` on `date`.
    pub fn lawsuit(ticker: &'static str, date: Option<NaiveDate>) -> Seed {
        Seed {
            companies: vec![(ticker, "defendant")],
            date,
            kind: "lawsuit",
            action: "filed",
            status: Some("filed"),
            review: "confirmed",
            amount_usd: None,
            summary: "a lawsuit".into(),
        }
    }
}

/// A date.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// The date an undated [`Seed`] is entered with before the analyst clears it.
const DATE_CLEARED_LATER: &str = "2000-01-01";

/// Enters `seed` as an analyst (its evidence URL an address of its own, so each
/// event has a document of its own); returns the event id.
pub fn seed_event(server: &TestServer, seed: &Seed) -> i64 {
    let companies: Vec<Value> = seed
        .companies
        .iter()
        .map(|(ticker, role)| json!({"ticker": ticker, "role": role}))
        .collect();
    let body = json!({
        "kind": seed.kind, "action": seed.action, "status": seed.status,
        "occurred_on": seed.date.map_or(DATE_CLEARED_LATER.to_string(), |d| d.to_string()),
        "companies": companies, "summary": seed.summary, "amount_usd": seed.amount_usd,
        "evidence_url": format!("https://news.example/entered/{}", next_fixture()),
    });
    let detail = server.write_json("POST", "/api/v1/events", &server.analyst, &body, 201);
    let id = detail["id"].as_i64().expect("event id");
    let mut patch = serde_json::Map::new();
    if seed.date.is_none() {
        patch.insert("occurred_on".into(), Value::Null);
    }
    if seed.review != "confirmed" {
        patch.insert("review_state".into(), json!(seed.review));
    }
    if !patch.is_empty() {
        server.write_json(
            "PATCH",
            &format!("/api/v1/events/{id}"),
            &server.analyst,
            &Value::Object(patch),
            200,
        );
    }
    id
}

/// Everything analysts can change, as text: equal snapshots mean nothing changed.
pub fn snapshot(conn: &mut DbConnection) -> String {
    let stored = riskline::store::snapshot::read(conn).expect("tables");
    let events: Vec<_> = stored
        .events
        .iter()
        .map(|e| {
            (
                e.id,
                &e.fields.kind,
                &e.fields.action,
                &e.fields.status,
                e.fields.occurred_on,
                e.fields.amount_usd,
                &e.fields.summary,
                &e.fields.review_state,
                &e.fields.corrected_fields,
            )
        })
        .collect();
    let tags: Vec<(i64, Option<String>)> =
        sql::numbers(conn, "SELECT id AS n FROM tags ORDER BY id")
            .into_iter()
            .zip(sql::texts(conn, "SELECT name AS t FROM tags ORDER BY id"))
            .collect();
    let event_tags: Vec<(i64, i64)> = stored.tags.iter().map(|t| (t.event_id, t.tag_id)).collect();
    let mentions: Vec<(i64, i64)> = stored
        .mentions
        .iter()
        .map(|m| (m.id, m.fields.event_id))
        .collect();
    let audit = sql::count(conn, "audit_log");
    let companies = sql::count(conn, "companies");
    format!(
        "{events:?}\n{tags:?}\n{event_tags:?}\n{mentions:?}\naudit={audit}\ncompanies={companies}"
    )
}

/// Runs `body` against a server on a fresh SQLite database, then on a fresh
/// PostgreSQL one (skipped outside CI when no server is reachable).
pub fn on_both_servers(seed: impl Fn(&TestServer) + Copy, body: impl Fn(&TestServer)) {
    eprintln!("-- on sqlite");
    body(&TestServer::start(TestDb::sqlite(), seed));
    if let Some(db) = TestDb::postgres() {
        eprintln!("-- on postgres");
        body(&TestServer::start(db, seed));
    }
}

// ------------------------------------------------------------------ raw HTTP

/// An answer read off a raw connection.
#[derive(Debug, Default)]
pub struct RawAnswer {
    /// The status code; 0 when the connection closed without an answer.
    pub status: u16,
    /// Header lines, names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawAnswer {
    /// Parses what a connection delivered before it closed (or the first answer).
    pub fn parse(bytes: &[u8]) -> RawAnswer {
        let text = String::from_utf8_lossy(bytes);
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            return RawAnswer::default();
        };
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(body.len());
        RawAnswer {
            status,
            headers,
            body: body.chars().take(length).collect(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts a problem+json answer with this status; returns the problem.
    pub fn assert_problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{self:?}");
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("application/problem+json")),
            "{self:?}"
        );
        let problem: Value =
            serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"));
        assert_eq!(problem["status"], status);
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{problem}"
        );
        problem
    }
}

/// Reads from `stream` until the peer closes (or resets) the connection or
/// `wait` passes without a byte; returns what arrived and whether it closed.
pub fn read_until_closed(stream: &mut std::net::TcpStream, wait: Duration) -> (Vec<u8>, bool) {
    use std::io::Read;
    stream.set_read_timeout(Some(wait)).expect("read timeout");
    let mut got = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return (got, true),
            Ok(n) => got.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (got, false)
            }
            Err(_) => return (got, true),
        }
    }
}

/// Sends `request` as it is on a new connection and reads the answer until the
/// server closes the connection (send `Connection: close`).
pub fn raw_exchange(addr: &str, request: &[u8]) -> RawAnswer {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    // The server may answer and close before taking all of a request it refuses.
    let _ = stream.write_all(request);
    let (got, _) = read_until_closed(&mut stream, Duration::from_secs(60));
    RawAnswer::parse(&got)
}
