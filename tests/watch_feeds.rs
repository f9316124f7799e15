//! `riskline watch` on feeds served by a server in this process: every valid item
//! is stored once, a restart (even one that lost its item records) adds nothing,
//! conditional GETs save the download, and misbehaving servers (truncated or
//! malformed XML, a page too large, slow answers, redirects, 429 with Retry-After)
//! are reported and retried later. On SQLite and on PostgreSQL. No test reaches
//! beyond 127.0.0.1.

mod common;
mod watch_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{on_both_backends, sql, TestDb};
use serde_json::Value;
use watch_support::{rss, Answer, TestHttp};

const STORY_1: &str = "JPMorgan Chase was sued on Monday by a group of depositors who say the bank froze their accounts without notice.";
const STORY_2: &str = "California regulators on Tuesday suspended the driverless testing permits of General Motors' Cruise unit.";
const STORY_3: &str = "Boeing halted deliveries of its 787 Dreamliner on Wednesday while it inspects fuselage joints.";

fn watch_once(db: &TestDb, extra: &[&str]) -> common::Run {
    let mut args = vec!["watch", "--once", "--json", "--allow-private-addresses"];
    args.extend_from_slice(extra);
    db.run(&args)
}

fn pass_of(run: &common::Run) -> Value {
    serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "watch --json printed no JSON ({e}):\n{}\n{}",
            run.stdout, run.stderr
        )
    })
}

fn sources_json(db: &TestDb) -> Vec<Value> {
    let out = db.run_ok(&["sources", "list", "--json"]);
    serde_json::from_str::<Vec<Value>>(&out).expect("sources JSON")
}

#[test]
fn feed_items_are_stored_once_and_a_restart_adds_nothing() {
    on_both_backends(|db| {
        let version = Arc::new(AtomicUsize::new(1));
        let v = version.clone();
        let server = TestHttp::start(move |hit| {
            let base = "http://example.invalid";
            let mut items = vec![
                ("a-1", "Depositors sue JPMorgan", STORY_1),
                ("a-2", "Cruise permits suspended", STORY_2),
                ("a-empty", "", ""),
            ];
            if v.load(Ordering::SeqCst) >= 2 {
                items.push(("a-3", "Boeing halts 787 deliveries", STORY_3));
            }
            let etag = format!("\"v{}\"", v.load(Ordering::SeqCst));
            if hit.if_none_match.as_deref() == Some(etag.as_str()) {
                return Answer::status(304);
            }
            Answer::ok("application/rss+xml", rss(base, &items)).header("ETag", &etag)
        });
        let url = format!("{}/feed.xml", server.base);
        db.run_ok(&["migrate"]);
        db.run_ok(&[
            "sources",
            "add",
            "--feed",
            &url,
            "--name",
            "wire",
            "--interval",
            "1",
        ]);

        // First pass: two stories stored, the empty item reported (exit code 1).
        let run = watch_once(db, &[]);
        assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
        let pass = pass_of(&run);
        let wire = &pass["sources"][0];
        assert_eq!(wire["items_new"], 2, "{pass}");
        assert_eq!(wire["failures"].as_array().map(Vec::len), Some(1), "{pass}");
        assert!(
            wire["failures"][0]["reason"]
                .as_str()
                .unwrap_or_default()
                .contains("without title or text"),
            "{pass}"
        );
        let store = db.store();
        let mut conn = store.conn().unwrap();
        assert_eq!(sql::count(&mut conn, "documents"), 2);
        assert!(
            sql::count(&mut conn, "events") >= 2,
            "the stories report events"
        );
        assert_eq!(sql::count(&mut conn, "source_items"), 3);

        // Second pass: the server says 304 to the ETag; nothing changes.
        let run = watch_once(db, &[]);
        assert!(run.success, "{}\n{}", run.stdout, run.stderr);
        assert_eq!(pass_of(&run)["sources"][0]["not_modified"], true);
        let last = server.hits_on("/feed.xml").pop().unwrap();
        assert_eq!(last.if_none_match.as_deref(), Some("\"v1\""));
        assert_eq!(sql::count(&mut conn, "documents"), 2);

        // A restart that lost its memory of items and validators (killed between
        // storing documents and recording them) finds every document stored.
        sql::exec(&mut conn, "DELETE FROM source_items");
        sql::exec(
            &mut conn,
            "UPDATE sources SET etag = NULL, last_modified = NULL",
        );
        let pass = pass_of(&watch_once(db, &[]));
        assert_eq!(pass["sources"][0]["items_new"], 0, "{pass}");
        assert_eq!(pass["sources"][0]["items_known"], 2, "{pass}");
        assert_eq!(sql::count(&mut conn, "documents"), 2);

        // The feed grows: only the new item is stored.
        version.store(2, Ordering::SeqCst);
        let run = watch_once(db, &[]);
        assert!(run.success, "{}\n{}", run.stdout, run.stderr);
        assert_eq!(pass_of(&run)["sources"][0]["items_new"], 1);
        assert_eq!(sql::count(&mut conn, "documents"), 3);

        // The empty item failed twice: once more after the records were lost.
        let shown = db.run_ok(&["sources", "show", "wire"]);
        assert!(shown.contains("items: 3 new, 2 known, 2 failed"), "{shown}");
        assert!(
            shown.contains("a-empty: feed item without title or text"),
            "{shown}"
        );
        let listed = sources_json(db);
        assert_eq!(listed[0]["items_new"], 3, "{listed:?}");
        assert_eq!(listed[0]["not_modified"], 1, "{listed:?}");
        assert_eq!(listed[0]["last_error"], Value::Null, "{listed:?}");
    });
}

#[test]
fn misbehaving_servers_are_reported_and_retried_later() {
    on_both_backends(|db| {
        let server = TestHttp::start(|hit| {
            let good = rss(
                "http://example.invalid",
                &[("t-1", "Depositors sue JPMorgan", STORY_1)],
            );
            match hit.path.as_str() {
                "/truncated.xml" => {
                    let full = rss(
                        "http://example.invalid",
                        &[
                            ("t-1", "Depositors sue JPMorgan", STORY_1),
                            ("t-2", "Cruise permits suspended", STORY_2),
                        ],
                    );
                    let cut = full.find("<item><title>Cruise").unwrap() + 40;
                    Answer::ok("application/rss+xml", &full.as_bytes()[..cut])
                }
                "/malformed.xml" => Answer::ok("text/html", "<html><body>Moved</body></html>"),
                "/big.xml" => Answer::ok("application/rss+xml", "x".repeat(300_000)),
                "/moved.xml" => Answer::redirect("/feed2.xml"),
                "/feed2.xml" => Answer::ok(
                    "application/rss+xml",
                    rss(
                        "http://example.invalid",
                        &[("r-1", "Boeing halts", STORY_3)],
                    ),
                ),
                "/loop.xml" => Answer::redirect("/loop.xml"),
                "/cutoff.xml" => {
                    // The connection closes before the announced length.
                    let body = rss(
                        "http://example.invalid",
                        &[("c-1", "Boeing halts", STORY_3)],
                    );
                    let mut answer = Answer::ok("application/rss+xml", body.clone());
                    answer.announced_len = Some(body.len() + 500);
                    answer
                }
                "/slow.xml" => Answer::ok("application/rss+xml", good).slow(Duration::from_secs(4)),
                "/busy.xml" => Answer::status(429).header("Retry-After", "120"),
                _ => Answer::status(404),
            }
        });
        db.run_ok(&["migrate"]);
        for name in [
            "truncated",
            "malformed",
            "big",
            "moved",
            "loop",
            "cutoff",
            "slow",
            "busy",
        ] {
            let url = format!("{}/{name}.xml", server.base);
            db.run_ok(&[
                "sources",
                "add",
                "--feed",
                &url,
                "--name",
                name,
                "--interval",
                "60",
            ]);
        }
        let started = chrono::Utc::now().naive_utc();
        let run = watch_once(db, &["--max-bytes", "100000", "--read-timeout", "1"]);
        assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
        let by_name = |name: &str| -> Value {
            sources_json(db)
                .into_iter()
                .find(|s| s["name"] == name)
                .unwrap_or_else(|| panic!("no source {name}"))
        };
        let error = |name: &str| {
            by_name(name)["last_error"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };

        // A truncated feed: the complete item is stored, the cut one reported, and
        // its validators are not kept (the next poll reads it all again).
        let truncated = by_name("truncated");
        assert_eq!(truncated["items_new"], 1, "{truncated}");
        assert_eq!(truncated["items_failed"], 1, "{truncated}");
        assert!(
            error("truncated").contains("truncated") || error("truncated").contains("malformed"),
            "{}",
            error("truncated")
        );
        assert!(
            error("malformed").contains("not an RSS or Atom feed"),
            "{}",
            error("malformed")
        );
        assert!(
            error("big").contains("larger than 100000 bytes"),
            "{}",
            error("big")
        );
        assert_eq!(by_name("moved")["items_new"], 1);
        assert_eq!(by_name("moved")["last_error"], Value::Null);
        assert!(error("loop").contains("redirects"), "{}", error("loop"));
        assert!(
            error("cutoff").contains("reading the answer"),
            "{}",
            error("cutoff")
        );
        assert_eq!(by_name("cutoff")["items_new"], 0);
        assert!(
            error("slow").contains("timed out") || error("slow").contains("time"),
            "{}",
            error("slow")
        );
        assert!(error("busy").contains("429"), "{}", error("busy"));

        // Failing sources wait: at least their interval (backoff), and a 429's
        // Retry-After of two minutes.
        let due = |name: &str| {
            let text = by_name(name)["next_due_at"].as_str().unwrap().to_string();
            chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%SZ").unwrap()
        };
        assert!(
            due("busy") >= started + chrono::Duration::seconds(119),
            "{}",
            due("busy")
        );
        assert!(due("malformed") >= started + chrono::Duration::seconds(59));
        assert_eq!(by_name("busy")["consecutive_failures"], 1);
        // The redirect loop was cut at the limit (5 redirects, 6 requests).
        assert_eq!(server.hits_on("/loop.xml").len(), 6);

        let store = db.store();
        let mut conn = store.conn().unwrap();
        assert_eq!(sql::count(&mut conn, "documents"), 2);
    });
}

#[test]
fn the_poller_refuses_private_addresses_unless_allowed() {
    let db = TestDb::sqlite();
    let server = TestHttp::start(|_| Answer::ok("application/rss+xml", rss("http://x", &[])));
    db.run_ok(&["migrate"]);
    let url = format!("{}/feed.xml", server.base);
    let run = db.run(&["watch", "--once", "--feed", &url]);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.contains("private"), "{}", run.stdout);
    assert!(server.hits().is_empty(), "no request reached the server");
}

#[test]
fn a_busy_server_is_asked_again_only_after_its_retry_after() {
    let db = TestDb::sqlite();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let server = TestHttp::start(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            Answer::status(503).header("Retry-After", "2")
        } else {
            Answer::ok(
                "application/rss+xml",
                rss(
                    "http://example.invalid",
                    &[("b-1", "Boeing halts", STORY_3)],
                ),
            )
        }
    });
    db.run_ok(&["migrate"]);
    let url = format!("{}/feed.xml", server.base);
    db.run_ok(&["sources", "add", "--feed", &url, "--interval", "1"]);
    let mut child = std::process::Command::new(common::bin())
        .args(["watch", "--allow-private-addresses"])
        .env("DATABASE_URL", &db.url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("watch runs");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while server.hits().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let store = db.store();
    let mut conn = store.conn().unwrap();
    while sql::count(&mut conn, "documents") == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let hits = server.hits();
    // Stop the watcher this test started, by its own id.
    child.kill().ok();
    child.wait().ok();
    assert!(hits.len() >= 2, "the source was polled again: {hits:?}");
    let gap = hits[1].at - hits[0].at;
    assert!(
        gap >= Duration::from_millis(1_900),
        "asked again after {gap:?}"
    );
    assert_eq!(sql::count(&mut conn, "documents"), 1);
}

/// A feed whose items carry a one-line summary: with `--fetch-pages` the article
/// page is fetched (same rules) and stored instead; a page that is gone is reported.
#[test]
fn summary_only_items_get_their_article_page_when_asked() {
    let db = TestDb::sqlite();
    let base = Arc::new(std::sync::Mutex::new(String::new()));
    let b = base.clone();
    let server = TestHttp::start(move |hit| {
        let base = b.lock().unwrap().clone();
        match hit.path.as_str() {
            "/feed.xml" => Answer::ok(
                "application/rss+xml",
                rss(
                    &base,
                    &[
                        ("p-1", "Cruise loses its permits", "Regulators acted."),
                        ("p-gone", "A story that moved", "Short."),
                    ],
                ),
            ),
            "/news/p-1" => Answer::ok(
                "text/html",
                format!(
                    "<html><head><title>Cruise loses its permits</title></head><body>\
                     <article><h1>Cruise loses its permits</h1><p>{STORY_2}</p></article></body></html>"
                ),
            ),
            _ => Answer::status(404),
        }
    });
    *base.lock().unwrap() = server.base.clone();
    db.run_ok(&["migrate"]);
    let url = format!("{}/feed.xml", server.base);
    db.run_ok(&["sources", "add", "--feed", &url, "--fetch-pages"]);
    let run = watch_once(&db, &[]);
    let pass = pass_of(&run);
    assert_eq!(pass["sources"][0]["items_new"], 1, "{pass}");
    let failures = &pass["sources"][0]["failures"];
    assert!(
        failures[0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("404"),
        "{pass}"
    );
    let store = db.store();
    let mut conn = store.conn().unwrap();
    let stored = sql::texts(&mut conn, "SELECT text AS t FROM documents");
    assert_eq!(stored.len(), 1);
    let text = stored[0].clone().unwrap_or_default();
    assert!(text.contains("driverless testing permits"), "{text}");
    let urls = sql::texts(&mut conn, "SELECT url AS t FROM documents");
    assert_eq!(
        urls[0].as_deref(),
        Some(format!("{}/news/p-1", server.base).as_str())
    );
    assert_eq!(server.hits_on("/news/").len(), 2);
}

/// `serve --watch` polls inside the server; `/metrics` shows the source's counters.
#[test]
fn the_server_polls_sources_when_asked_and_its_metrics_show_them() {
    use std::io::BufRead;
    let db = TestDb::sqlite();
    let server = TestHttp::start(|_| {
        Answer::ok(
            "application/rss+xml",
            rss(
                "http://example.invalid",
                &[("s-1", "Depositors sue JPMorgan", STORY_1)],
            ),
        )
    });
    let url = format!("{}/feed.xml", server.base);
    db.run_ok(&["sources", "add", "--feed", &url, "--name", "wire"]);
    let mut child = std::process::Command::new(common::bin())
        .args([
            "serve",
            "--watch",
            "--bind",
            "127.0.0.1:0",
            "--allow-private-addresses",
        ])
        .env("DATABASE_URL", &db.url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve runs");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    std::io::BufReader::new(stdout).read_line(&mut line).ok();
    let addr = line.trim().trim_start_matches("listening on ").to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let store = db.store();
    let mut conn = store.conn().unwrap();
    while sql::count(&mut conn, "documents") == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let metrics = ureq::get(&format!("{addr}/metrics"))
        .call()
        .map(|r| r.into_string().unwrap_or_default());
    // Stop the server this test started, by its own id.
    child.kill().ok();
    child.wait().ok();
    assert_eq!(sql::count(&mut conn, "documents"), 1);
    let metrics = metrics.expect("metrics answer");
    assert!(
        metrics.contains("riskline_source_items_new_total{source=\"wire\",kind=\"feed\"} 1"),
        "{metrics}"
    );
}

/// SIGTERM ends `riskline watch` cleanly: it finishes its poll, gives back its
/// leases and exits with success.
#[test]
fn sigterm_stops_the_watcher_and_leaves_no_lease() {
    let db = TestDb::sqlite();
    let server = TestHttp::start(|_| {
        Answer::ok(
            "application/rss+xml",
            rss(
                "http://example.invalid",
                &[("q-1", "Depositors sue JPMorgan", STORY_1)],
            ),
        )
    });
    db.run_ok(&["migrate"]);
    let url = format!("{}/feed.xml", server.base);
    db.run_ok(&["sources", "add", "--feed", &url, "--interval", "1"]);
    let mut child = std::process::Command::new(common::bin())
        .args(["watch", "--allow-private-addresses"])
        .env("DATABASE_URL", &db.url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("watch runs");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while server.hits().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: signals the child this test started, by its own id.
    unsafe {
        libc::kill(pid, libc::SIGTERM);
    }
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
    let store = db.store();
    let mut conn = store.conn().unwrap();
    assert_eq!(
        sql::count(&mut conn, "sources WHERE lease_owner IS NOT NULL"),
        0
    );
    assert_eq!(sql::count(&mut conn, "documents"), 1);
}
