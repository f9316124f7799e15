//! The real binary: `riskline keys` and `riskline serve` (with `--demo`), on
//! SQLite and PostgreSQL, stopped by SIGTERM.

mod api_support;
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{bin, on_both_backends, TestDb};

/// A `riskline serve` process and the lines it prints.
struct Served {
    child: Child,
    lines: mpsc::Receiver<String>,
    base: String,
}

impl Served {
    fn start(db: &TestDb, extra: &[&str]) -> Served {
        let mut child = Command::new(bin())
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2"])
            .args(extra)
            .env("DATABASE_URL", &db.url)
            .env_remove("RISKLINE_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("riskline serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut served = Served {
            child,
            lines,
            base: String::new(),
        };
        let first = served.next_line();
        served.base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {first}"))
            .to_string();
        assert!(served.base.starts_with("http://127.0.0.1:"), "{first}");
        assert!(
            !served.base.ends_with(":0"),
            "the real port is printed: {first}"
        );
        served
    }

    fn next_line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(120))
            .expect("a line from riskline serve")
    }

    /// Sends SIGTERM and waits for the process; returns whether it exited cleanly.
    fn terminate(mut self) -> bool {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        self.child.wait().expect("wait").success()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn keys_are_printed_once_listed_without_secret_and_revoked() {
    on_both_backends(|db| {
        if db.backend == riskline::store::Backend::Postgres {
            db.run_ok(&["migrate"]);
        }
        let out = db.run_ok(&["keys", "create", "--name", "alice", "--role", "analyst"]);
        let lines: Vec<&str> = out.lines().collect();
        let key = lines[0]
            .strip_prefix("key: ")
            .expect("key on the first line");
        assert!(key.starts_with("rk_") && key.len() > 30, "{out}");
        assert_eq!(&lines[1..3], ["name: alice", "role: analyst"]);

        let duplicate = db.run(&["keys", "create", "--name", "alice", "--role", "reader"]);
        assert!(
            !duplicate.success && duplicate.stderr.contains("exists"),
            "{}",
            duplicate.stderr
        );
        let bad = db.run(&["keys", "create", "--name", "bob", "--role", "owner"]);
        assert!(!bad.success);

        let list = db.run_ok(&["keys", "list"]);
        assert!(list.contains("alice") && list.contains("analyst"), "{list}");
        assert!(list.contains(&key[..9]), "the prefix is shown: {list}");
        assert!(!list.contains(key), "the key itself is never shown again");

        let store = db.store();
        let mut conn = store.conn().unwrap();
        let row =
            riskline::store::keys::find_active(&mut conn, &riskline::store::keys::hash_secret(key))
                .unwrap()
                .expect("stored by hash");
        assert_eq!(row.fields.name, "alice");
        assert_ne!(row.fields.key_hash, key);

        assert!(db
            .run_ok(&["keys", "revoke", "alice"])
            .contains("revoked alice"));
        assert!(!db.run(&["keys", "revoke", "alice"]).success);
        assert!(riskline::store::keys::find_active(
            &mut conn,
            &riskline::store::keys::hash_secret(key)
        )
        .unwrap()
        .is_none());
    });
}

#[test]
fn serve_prints_its_address_answers_and_stops_on_sigterm() {
    on_both_backends(|db| {
        if db.backend == riskline::store::Backend::Postgres {
            // A shared PostgreSQL is migrated by `riskline migrate`, not by `serve`.
            let refused = db.run(&["serve", "--bind", "127.0.0.1:0"]);
            assert!(!refused.success);
            assert!(
                refused.stderr.contains("riskline migrate"),
                "{}",
                refused.stderr
            );
            db.run_ok(&["migrate"]);
        }
        let out = db.run_ok(&["keys", "create", "--name", "reader", "--role", "reader"]);
        let key = out
            .lines()
            .next()
            .unwrap()
            .strip_prefix("key: ")
            .unwrap()
            .to_string();
        let served = Served::start(db, &[]);
        let ping = api_support::send("GET", &format!("{}/ping", served.base), None, None, None);
        assert_eq!(ping.status, 200);
        let who = api_support::send(
            "GET",
            &format!("{}/api/v1/whoami", served.base),
            Some(&key),
            None,
            None,
        );
        assert_eq!(
            who.json(),
            serde_json::json!({"name": "reader", "role": "reader", "team": "default"})
        );
        let health =
            api_support::send("GET", &format!("{}/healthz", served.base), None, None, None);
        assert_eq!(health.status, 200);
        assert!(
            served.terminate(),
            "riskline serve exits cleanly on SIGTERM"
        );
    });
}

#[test]
fn serve_demo_loads_the_registry_and_prints_a_working_analyst_key() {
    let db = TestDb::sqlite();
    let served = Served::start(&db, &["--demo"]);
    let line = served.next_line();
    let key = line
        .strip_prefix("analyst key: ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_string();
    let who = api_support::send(
        "GET",
        &format!("{}/api/v1/whoami", served.base),
        Some(&key),
        None,
        None,
    );
    assert_eq!(who.json()["role"], "analyst");
    let jpm = api_support::send(
        "GET",
        &format!("{}/api/v1/companies/jpm", served.base),
        Some(&key),
        None,
        None,
    );
    assert_eq!(jpm.status, 200, "{}", jpm.body);
    assert_eq!(jpm.json()["ticker"], "JPM");
    assert!(served.terminate());

    // A second start mints a new key; the old one stops working.
    let again = Served::start(&db, &["--demo"]);
    let line = again.next_line();
    let new_key = line.strip_prefix("analyst key: ").unwrap().to_string();
    assert_ne!(new_key, key);
    let old = api_support::send(
        "GET",
        &format!("{}/api/v1/whoami", again.base),
        Some(&key),
        None,
        None,
    );
    assert_eq!(old.status, 401);
    assert!(again.terminate());
}
