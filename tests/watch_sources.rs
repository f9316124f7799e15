//! Sources in the database: leases that let several pollers share one database
//! (each source polled by one at a time, a crashed poller's lease lapsing), the
//! outcome of a poll written only by the lease's holder, and the admin API
//! (`/api/v1/sources`) with the sources' counters in `/metrics`. On SQLite and on
//! PostgreSQL.

mod api_support;
mod common;
mod watch_support;

use api_support::{no_seed, on_both_servers};
use chrono::Duration;
use common::{on_both_backends, TestDb};
use riskline::store::now;
use riskline::store::sources::{self, NewSource, PollRecord, SourceType};

fn feed(name: &str) -> NewSource {
    NewSource::new(name, SourceType::Feed, 60, now()).with_url("https://news.example/rss")
}

#[test]
fn each_source_is_leased_to_one_poller_and_a_lapsed_lease_is_taken_over() {
    on_both_backends(|db| {
        let store = db.migrated_store();
        let mut conn = store.conn().unwrap();
        for name in ["a", "b", "c"] {
            sources::add(&mut conn, &feed(name)).unwrap();
        }
        let t = now();
        let first = sources::claim_due(&mut conn, "p1", t, t, 1, 2).unwrap();
        let second = sources::claim_due(&mut conn, "p2", t, t, 60, 10).unwrap();
        let third = sources::claim_due(&mut conn, "p3", t, t, 60, 10).unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(second.len(), 1, "the one source p1 did not take");
        assert!(third.is_empty(), "every source is leased");
        assert!(first
            .iter()
            .all(|s| s.fields.lease_owner.as_deref() == Some("p1")));

        // p1 crashes: its one-second leases lapse, and p3 takes both sources over.
        let later = t + Duration::seconds(2);
        let taken = sources::claim_due(&mut conn, "p3", later, later, 60, 10).unwrap();
        assert_eq!(taken.len(), 2);
        // p1 comes back: its outcome is not written over p3's lease.
        let record = PollRecord {
            polled_at: later,
            next_due_at: later + Duration::seconds(60),
            items_new: 5,
            ..PollRecord::default()
        };
        assert!(!sources::finish(&mut conn, taken[0].id, "p1", &record).unwrap());
        assert!(sources::finish(&mut conn, taken[0].id, "p3", &record).unwrap());
        let row = sources::get(&mut conn, taken[0].id).unwrap().unwrap();
        assert_eq!(row.fields.items_new, 5);
        assert_eq!(row.fields.polls, 1);
        assert_eq!(row.fields.lease_owner, None);
        // Not due before its next time.
        let soon = later + Duration::seconds(1);
        let claimed = sources::claim_due(&mut conn, "p4", soon, soon, 60, 10).unwrap();
        assert!(claimed.iter().all(|s| s.id != row.id));
    });
}

#[test]
fn two_processes_on_postgres_never_claim_the_same_source() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let store = db.migrated_store();
    {
        let mut conn = store.conn().unwrap();
        for i in 0..40 {
            sources::add(&mut conn, &feed(&format!("s{i}"))).unwrap();
        }
    }
    let t = now();
    let claims: Vec<Vec<i64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|p| {
                let store = store.clone();
                scope.spawn(move || {
                    let mut conn = store.conn().unwrap();
                    let mut mine = Vec::new();
                    loop {
                        let got =
                            sources::claim_due(&mut conn, &format!("p{p}"), t, t, 60, 3).unwrap();
                        if got.is_empty() {
                            return mine;
                        }
                        mine.extend(got.iter().map(|s| s.id));
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut all: Vec<i64> = claims.concat();
    all.sort_unstable();
    let n = all.len();
    all.dedup();
    assert_eq!(all.len(), n, "a source was claimed twice");
    assert_eq!(n, 40, "every source was claimed once");
}

#[test]
fn admins_manage_sources_over_the_api_and_metrics_show_them() {
    on_both_servers(no_seed, |server| {
        let body = r#"{"kind": "feed", "url": "https://news.example/rss", "name": "wire", "interval_secs": 300}"#;
        let created = server.send("POST", "/api/v1/sources", Some(&server.admin), Some(body));
        assert_eq!(created.status, 201, "{}", created.body);
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created.json()["forms"], serde_json::json!([]));

        let again = server.send("POST", "/api/v1/sources", Some(&server.admin), Some(body));
        assert_eq!(again.status, 409, "{}", again.body);
        let bad = server.send(
            "POST",
            "/api/v1/sources",
            Some(&server.admin),
            Some(r#"{"kind": "feed", "url": "ftp://x.example/"}"#),
        );
        bad.assert_problem(400, Some("url"));
        let edgar = server.send(
            "POST",
            "/api/v1/sources",
            Some(&server.admin),
            Some(r#"{"kind": "edgar_company", "cik": 320193, "forms": ["8-K", "10-k"]}"#),
        );
        assert_eq!(edgar.status, 201, "{}", edgar.body);
        assert_eq!(edgar.json()["forms"], serde_json::json!(["8-K", "10-K"]));
        // A ticker finds its CIK in the registry (loaded on first use).
        let by_ticker = server.send(
            "POST",
            "/api/v1/sources",
            Some(&server.admin),
            Some(r#"{"kind": "edgar_company", "ticker": "jpm"}"#),
        );
        assert_eq!(by_ticker.status, 201, "{}", by_ticker.body);
        assert_eq!(by_ticker.json()["cik"], 19617);
        assert_eq!(by_ticker.json()["name"], "edgar:JPM");
        assert_eq!(
            by_ticker.json()["forms"],
            serde_json::json!(["8-K", "10-K", "10-Q"])
        );
        let unknown = server.send(
            "POST",
            "/api/v1/sources",
            Some(&server.admin),
            Some(r#"{"kind": "edgar_company", "ticker": "ZZZZQ"}"#),
        );
        unknown.assert_problem(400, Some("ticker"));

        let reader = server.get("/api/v1/sources", Some(&server.reader));
        assert_eq!(reader.status, 403);
        let listed = server.get("/api/v1/sources", Some(&server.admin));
        assert_eq!(listed.status, 200);
        assert_eq!(listed.json()["items"].as_array().map(Vec::len), Some(3));

        let metrics = server.get("/metrics", None);
        assert!(
            metrics
                .body
                .contains("riskline_source_items_new_total{source=\"wire\",kind=\"feed\"} 0"),
            "{}",
            metrics.body
        );

        // Its items, latest first, by status and page.
        let mut conn = server.conn();
        for (i, status) in ["stored", "failed", "failed"].iter().enumerate() {
            let item = sources::NewSourceItem {
                source_id: id,
                item_key: format!("k{i}"),
                url: Some(format!("https://news.example/{i}")),
                content_hash: None,
                document_id: None,
                status: status.to_string(),
                error: (*status == "failed").then(|| "feed item without title or text".into()),
                seen_at: now(),
            };
            assert!(sources::record_item(&mut conn, &item).unwrap());
            assert!(
                !sources::record_item(&mut conn, &item).unwrap(),
                "once only"
            );
        }
        drop(conn);
        let items_path = format!("/api/v1/sources/{id}/items?status=failed&limit=1");
        let page = server.get(&items_path, Some(&server.admin));
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(page.json()["items"][0]["key"], "k2");
        let cursor = page.json()["next_cursor"].as_str().unwrap().to_string();
        let next = server.get(
            &format!("{items_path}&cursor={cursor}"),
            Some(&server.admin),
        );
        assert_eq!(next.json()["items"][0]["key"], "k1");
        assert_eq!(next.json()["next_cursor"], serde_json::Value::Null);
        let bad = server.get(
            &format!("/api/v1/sources/{id}/items?status=lost"),
            Some(&server.admin),
        );
        bad.assert_problem(400, Some("status"));

        let path = format!("/api/v1/sources/{id}");
        let gone = server.send("DELETE", &path, Some(&server.admin), None);
        assert_eq!(gone.status, 204, "{}", gone.body);
        let missing = server.send("DELETE", &path, Some(&server.admin), None);
        assert_eq!(missing.status, 404);
    });
}

/// Two `riskline watch` processes on one PostgreSQL database: every source is
/// polled once, by one of them.
#[test]
fn two_watchers_on_postgres_poll_each_source_once() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let server = watch_support::TestHttp::start(|hit| {
        let id = hit
            .path
            .trim_start_matches("/f")
            .trim_end_matches(".xml")
            .to_string();
        let story = format!(
            "Acme Widgets recall number {id}: the Consumer Product Safety Commission said on Monday that JPMorgan Chase was fined $1{id} million."
        );
        watch_support::Answer::ok(
            "application/rss+xml",
            watch_support::rss(
                "http://example.invalid",
                &[(id.as_str(), "Fined", story.as_str())],
            ),
        )
    });
    db.run_ok(&["migrate"]);
    for i in 0..8 {
        let url = format!("{}/f{i}.xml", server.base);
        db.run_ok(&["sources", "add", "--feed", &url, "--interval", "1h"]);
    }
    let spawn = || {
        std::process::Command::new(common::bin())
            .args(["watch", "--allow-private-addresses", "--host-rate", "50"])
            .env("DATABASE_URL", &db.url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("watch runs")
    };
    let mut watchers = [spawn(), spawn()];
    let store = db.store();
    let mut conn = store.conn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while common::sql::count(&mut conn, "documents") < 8 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // A moment more: a source polled twice would show now.
    std::thread::sleep(std::time::Duration::from_millis(500));
    // Stop the watchers this test started, by their own ids.
    for child in &mut watchers {
        child.kill().ok();
        child.wait().ok();
    }
    assert_eq!(common::sql::count(&mut conn, "documents"), 8);
    for i in 0..8 {
        let hits = server.hits_on(&format!("/f{i}.xml")).len();
        assert_eq!(hits, 1, "source {i} polled {hits} times");
    }
}

/// `riskline sources`: what is given is checked, names are unique, and a removed
/// source is gone with its item records.
#[test]
fn the_sources_command_checks_what_it_is_given() {
    let db = TestDb::sqlite();
    db.run_ok(&["migrate"]);
    let nothing = db.run(&["sources", "add"]);
    assert!(!nothing.success);
    assert!(
        nothing.stderr.contains("say what to follow"),
        "{}",
        nothing.stderr
    );
    let ftp = db.run(&["sources", "add", "--feed", "ftp://files.example/x.rss"]);
    assert!(!ftp.success);
    assert!(
        ftp.stderr.contains("--feed: must be an http"),
        "{}",
        ftp.stderr
    );
    let interval = db.run(&[
        "sources",
        "add",
        "--feed",
        "https://a.example/rss",
        "--interval",
        "0",
    ]);
    assert!(!interval.success);
    assert!(
        interval.stderr.contains("not an interval"),
        "{}",
        interval.stderr
    );
    let unknown = db.run(&["sources", "add", "--ticker", "ZZZZQ"]);
    assert!(!unknown.success);
    assert!(
        unknown.stderr.contains("no company with ticker ZZZZQ"),
        "{}",
        unknown.stderr
    );

    let added = db.run_ok(&[
        "sources",
        "add",
        "--feed",
        "https://a.example/rss",
        "--interval",
        "15m",
    ]);
    assert!(added.contains("feed:a.example/rss"), "{added}");
    let again = db.run(&["sources", "add", "--feed", "https://a.example/rss"]);
    assert!(!again.success);
    assert!(again.stderr.contains("exists"), "{}", again.stderr);
    let jpm = db.run_ok(&["sources", "add", "--ticker", "jpm", "--forms", "8-k"]);
    assert!(
        jpm.contains("EDGAR filings of JPM (CIK 19617), forms 8-K"),
        "{jpm}"
    );

    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&db.run_ok(&["sources", "list", "--json"])).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["interval_secs"], 900);
    assert_eq!(listed[1]["name"], "edgar:JPM");

    db.run_ok(&["sources", "remove", "edgar:JPM"]);
    let gone = db.run(&["sources", "remove", "edgar:JPM"]);
    assert!(!gone.success);
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&db.run_ok(&["sources", "list", "--json"])).unwrap();
    assert_eq!(listed.len(), 1);
}
