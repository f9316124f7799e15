//! Helpers of the HTTP API tests: a real server on `127.0.0.1:0` over a fresh
//! database of either backend, keys of every role, a small HTTP client, and
//! rows seeded through the store layer.

// Each API test crate uses a part of these helpers.
#![allow(dead_code)]

use std::net::TcpListener;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::NaiveDate;
use riskline::api::ApiConfig;
use riskline::store::backend::{
    insert_aliases, insert_documents, insert_event_companies, insert_events,
    insert_new_event_mentions, upsert_companies,
};
use riskline::store::models::{
    KeyRole, NewCompanyAlias, NewDocument, NewEventCompany, NewEventMention,
};
use riskline::store::{keys, now, DbConnection, Store};
use serde_json::Value;

use crate::common::{new_company, new_event, sql, TestDb};

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
        ..ApiConfig::default()
    }
}

impl TestServer {
    /// Migrates `db`, runs `seed` on it, creates the keys and starts the server.
    pub fn start(db: TestDb, seed: impl FnOnce(&mut DbConnection)) -> TestServer {
        TestServer::start_with(db, seed, test_config())
    }

    /// [`TestServer::start`] with a configuration of its own.
    pub fn start_with(
        db: TestDb,
        seed: impl FnOnce(&mut DbConnection),
        config: ApiConfig,
    ) -> TestServer {
        let store = db.migrated_store();
        {
            let mut conn = store.conn().expect("connection");
            seed(&mut conn);
        }
        let mut conn = store.conn().expect("connection");
        // Seeds write outside write transactions: build the stored timeline items
        // so that timeline requests read them, as in production.
        riskline::store::items::refresh_all(&mut conn, |_, _| {}).expect("timeline items");
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
        TestServer {
            base,
            db,
            store,
            reader,
            analyst,
            admin,
            handle: Some(handle),
            thread: Some(thread),
        }
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

/// Inserts a company; returns its id.
pub fn seed_company(conn: &mut DbConnection, ticker: &str, name: &str) -> i64 {
    upsert_companies(conn, &[new_company(ticker, name)]).expect("company")[0].0
}

/// Gives a company a former ticker.
pub fn seed_former_ticker(conn: &mut DbConnection, company_id: i64, ticker: &str) {
    insert_aliases(
        conn,
        &[NewCompanyAlias {
            company_id,
            alias: ticker.into(),
            alias_norm: ticker.to_lowercase(),
            kind: "former_ticker".into(),
            created_at: now(),
        }],
    )
    .expect("alias");
}

/// An event to seed.
#[derive(Debug, Clone)]
pub struct Seed {
    pub companies: Vec<(i64, &'static str)>,
    pub date: Option<NaiveDate>,
    pub kind: &'static str,
    pub action: &'static str,
    pub status: Option<&'static str>,
    pub review: &'static str,
    pub confidence: f64,
    pub amount_usd: Option<i64>,
    pub summary: String,
    pub thread_id: Option<i64>,
    pub thread_status: Option<&'static str>,
}

impl Seed {
    /// A lawsuit filed against `company` on `date`.
    pub fn lawsuit(company: i64, date: Option<NaiveDate>) -> Seed {
        Seed {
            companies: vec![(company, "defendant")],
            date,
            kind: "lawsuit",
            action: "filed",
            status: Some("filed"),
            review: "unreviewed",
            confidence: 0.9,
            amount_usd: None,
            summary: "a lawsuit".into(),
            thread_id: None,
            thread_status: None,
        }
    }
}

/// A date.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Inserts an event with its companies and one piece of evidence (in its own
/// document); returns the event id.
pub fn seed_event(conn: &mut DbConnection, seed: &Seed) -> i64 {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut row = new_event(&format!("seed-{n}-{}", rand::random::<u32>()));
    row.kind = seed.kind.into();
    row.action = seed.action.into();
    row.status = seed.status.map(Into::into);
    row.occurred_on = seed.date;
    row.date_precision = seed.date.map(|_| "day".into());
    row.review_state = seed.review.into();
    row.confidence = seed.confidence;
    row.amount_usd = seed.amount_usd;
    row.summary = seed.summary.clone();
    row.thread_id = seed.thread_id;
    row.thread_status = seed.thread_status.map(Into::into);
    row.document_count = 1;
    let id = insert_events(conn, std::slice::from_ref(&row)).expect("event")[0];
    let links: Vec<NewEventCompany> = seed
        .companies
        .iter()
        .map(|(company_id, role)| NewEventCompany {
            event_id: id,
            company_id: *company_id,
            role: (*role).into(),
            occurred_on: seed.date,
        })
        .collect();
    insert_event_companies(conn, &links).expect("links");
    seed_mention(conn, id, &format!("Evidence of {}: {}", id, seed.summary));
    id
}

/// Adds a piece of evidence (in a new document) to an event; returns the mention id.
pub fn seed_mention(conn: &mut DbConnection, event_id: i64, text: &str) -> i64 {
    let hash = format!("{:064x}", rand::random::<u128>());
    let document_id = insert_documents(
        conn,
        &[NewDocument {
            source_kind: "news".into(),
            format: "text".into(),
            url: Some(format!("https://news.example/{event_id}/{}", &hash[..8])),
            title: Some(format!("Report on event {event_id}")),
            published_at: Some(now()),
            published_precision: None,
            content_hash: hash,
            byte_len: i64::try_from(text.len()).expect("length"),
            text: text.into(),
            filer_cik: None,
            form_type: None,
            ingested_at: now(),
        }],
    )
    .expect("document")[0]
        .0;
    insert_new_event_mentions(
        conn,
        &[NewEventMention {
            event_id,
            document_id,
            start_offset: 0,
            end_offset: i64::try_from(text.len()).expect("length"),
            snippet: text.into(),
            rule: "test.rule".into(),
            merge_reason: Some("same fingerprint".into()),
            merge_score: Some(0.8),
            created_at: now(),
        }],
    )
    .expect("mention");
    sql::number(
        conn,
        &format!("SELECT max(id) AS n FROM event_mentions WHERE event_id = {event_id}"),
    )
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
pub fn on_both_servers(seed: impl Fn(&mut DbConnection) + Copy, body: impl Fn(&TestServer)) {
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
