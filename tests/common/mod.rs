//! Helpers shared by the black-box tests: the binary, fresh databases of both
//! backends, and the `../shared` data directory.
//!
//! ```text
//! mod common;
//! use common::{on_both_backends, TestDb};
//!
//! #[test]
//! fn something_holds_on_both_backends() {
//!     on_both_backends(|db: &TestDb| {
//!         let out = db.run_ok(&["migrate"]);
//!         assert!(out.contains("applied"), "{}: {out}", db.backend);
//!     });
//! }
//! ```
//!
//! PostgreSQL databases are created on the server of `TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`), one per test, and
//! dropped afterwards. Without a reachable server the PostgreSQL half of a test
//! is skipped with a note on stderr, except when `CI` is set: then it fails.

// Each test crate uses a part of these helpers; the rest would warn there.
#![allow(dead_code)]

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::prelude::*;
use riskline::store::models::{
    CompanyAliasRow, CompanyRow, EventKind, NewCompany, NewEvent, Origin, ReviewState, Status,
};
use riskline::store::now;
use riskline::store::{Backend, DatabaseUrl, Store};
use tempfile::TempDir;

/// The `riskline` binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_riskline")
}

/// A SQLite database file URL inside `dir` (a file, never `:memory:`).
pub fn sqlite_url(dir: &TempDir) -> String {
    dir.path().join("riskline.db").display().to_string()
}

/// The server holding the test databases.
pub fn test_server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// `url` with its database name replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[authority_start..]
        .find('/')
        .map(|i| authority_start + i);
    let query_start = url.find('?');
    let (before, after) = match (path_start, query_start) {
        (Some(p), Some(q)) if p < q => (&url[..p], &url[q..]),
        (Some(p), None) => (&url[..p], ""),
        (_, Some(q)) => (&url[..q], &url[q..]),
        (None, None) => (url, ""),
    };
    format!("{before}/{database}{after}")
}

/// A PostgreSQL database made for one test; dropped with it.
#[derive(Debug)]
pub struct PgTestDb {
    pub url: String,
    pub name: String,
    admin_url: String,
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        // FORCE: a pooled connection of the test may still be open.
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let dropped = DatabaseUrl::parse(&self.admin_url)
            .and_then(|url| url.connect().map_err(|e| e.to_string()))
            .and_then(|mut conn| {
                diesel::sql_query(sql)
                    .execute(&mut conn)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = dropped {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// A fresh, empty PostgreSQL database named `riskline_t_<pid>_<counter>_<random>`,
/// or `None` (with a note) when no server is reachable outside CI.
pub fn pg_database() -> Option<PgTestDb> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let server = test_server_url();
    let admin_url = with_database(&server, "postgres");
    // Through the store's own URL handling: the same backend choice and connect timeout.
    let connected =
        DatabaseUrl::parse(&admin_url).and_then(|url| url.connect().map_err(|e| e.to_string()));
    let mut admin = match connected {
        Ok(conn) => conn,
        Err(e) => {
            let shown = riskline::store::redact(&server);
            if std::env::var_os("CI").is_some() {
                panic!(
                    "PostgreSQL not reachable at {shown} (TEST_DATABASE_URL), and CI is set: {e}"
                );
            }
            eprintln!("skipped: PostgreSQL not reachable at {shown} (set TEST_DATABASE_URL): {e}");
            return None;
        }
    };
    let name = format!(
        "riskline_t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    );
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
    Some(PgTestDb {
        url: with_database(&server, &name),
        name,
        admin_url,
    })
}

/// What a run of the binary printed.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Run {
            success: out.status.success(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs the binary against `database_url` with `args`.
pub fn run(database_url: &str, args: &[&str]) -> Run {
    Command::new(bin())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("RISKLINE_LOG")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin()))
        .into()
}

/// A fresh database of either backend, removed when dropped.
#[derive(Debug)]
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    _dir: Option<TempDir>,
    _pg: Option<PgTestDb>,
}

impl TestDb {
    /// A new SQLite file in a temporary directory.
    pub fn sqlite() -> TestDb {
        let dir = TempDir::new().expect("temporary directory");
        TestDb {
            backend: Backend::Sqlite,
            url: sqlite_url(&dir),
            _dir: Some(dir),
            _pg: None,
        }
    }

    /// A new PostgreSQL database, if a server is reachable (see [`pg_database`]).
    pub fn postgres() -> Option<TestDb> {
        pg_database().map(|pg| TestDb {
            backend: Backend::Postgres,
            url: pg.url.clone(),
            _dir: None,
            _pg: Some(pg),
        })
    }

    /// Runs the binary against this database.
    pub fn run(&self, args: &[&str]) -> Run {
        run(&self.url, args)
    }

    /// Runs the binary, fails the test unless it succeeds, returns its stdout.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.success,
            "on {}: riskline {args:?} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
            self.backend, out.code, out.stdout, out.stderr
        );
        out.stdout
    }

    /// Opens the database through the library, without migrating.
    pub fn store(&self) -> Store {
        // As the binary does: write transactions keep timeline items as the API lists them.
        riskline::api::item::install();
        Store::open(&self.url).unwrap_or_else(|e| panic!("on {}: {e}", self.backend))
    }

    /// Opens the database through the library, with every migration applied.
    pub fn migrated_store(&self) -> Store {
        let store = self.store();
        store
            .migrate()
            .unwrap_or_else(|e| panic!("on {}: {e}", self.backend));
        store
    }
}

/// Runs `body` on a fresh SQLite database, then on a fresh PostgreSQL database
/// (skipped with a note when no server is reachable outside CI).
pub fn on_both_backends(body: impl Fn(&TestDb)) {
    eprintln!("-- on sqlite");
    body(&TestDb::sqlite());
    if let Some(db) = TestDb::postgres() {
        eprintln!("-- on postgres ({})", db.url);
        body(&db);
    }
}

/// The `../shared` directory beside the project, or `None` (with a note) when absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        eprintln!("skipped: ../shared not found at {}", dir.display());
        None
    }
}

/// A file under `../shared`, or `None` (with a note) when absent.
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = shared_dir()?.join(relative);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipped: ../shared/{relative} not found");
        None
    }
}

/// Every company (by ticker) and its aliases: equal snapshots mean the
/// registry did not change, `updated_at` included.
pub fn registry_snapshot(store: &Store) -> (Vec<CompanyRow>, Vec<CompanyAliasRow>) {
    let mut conn = store.conn().expect("connection");
    let rows = riskline::store::companies::list(&mut conn, None).expect("companies load");
    let mut aliases = Vec::new();
    for row in &rows {
        aliases.extend(riskline::store::companies::aliases(&mut conn, row.id).expect("aliases"));
    }
    (rows, aliases)
}

/// SQL written by hand, as an operator (or another program) would run it on the
/// database: to look at what is stored, or change it behind the store's back.
pub mod sql {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Nullable, Text};
    use riskline::store::DbConnection;

    #[derive(QueryableByName)]
    struct Number {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    #[derive(QueryableByName)]
    struct Words {
        #[diesel(sql_type = Nullable<Text>)]
        t: Option<String>,
    }

    /// Runs a statement; returns the rows it changed.
    pub fn exec(conn: &mut DbConnection, statement: &str) -> usize {
        diesel::sql_query(statement)
            .execute(conn)
            .unwrap_or_else(|e| panic!("{statement}: {e}"))
    }

    /// The numbers of a query's column `n` (cast to a 64-bit integer).
    pub fn numbers(conn: &mut DbConnection, query: &str) -> Vec<i64> {
        diesel::sql_query(query)
            .load::<Number>(conn)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
            .into_iter()
            .map(|r| r.n)
            .collect()
    }

    /// The one number of a query's column `n`.
    pub fn number(conn: &mut DbConnection, query: &str) -> i64 {
        let all = numbers(conn, query);
        assert_eq!(all.len(), 1, "{query}: one row expected");
        all[0]
    }

    /// The rows of a table.
    pub fn count(conn: &mut DbConnection, table: &str) -> i64 {
        number(conn, &format!("SELECT count(*) AS n FROM {table}"))
    }

    /// The texts of a query's column `t` (cast to text), `None` for NULL.
    pub fn texts(conn: &mut DbConnection, query: &str) -> Vec<Option<String>> {
        diesel::sql_query(query)
            .load::<Words>(conn)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
            .into_iter()
            .map(|r| r.t)
            .collect()
    }
}

/// A company row to insert, without CIK, exchange or parent.
pub fn new_company(ticker: &str, name: &str) -> NewCompany {
    let at = now();
    NewCompany {
        ticker: ticker.into(),
        name: name.into(),
        cik: None,
        exchange: None,
        parent_id: None,
        created_at: at,
        updated_at: at,
    }
}

/// An extracted, unreviewed lawsuit to insert, with this fingerprint.
pub fn new_event(fingerprint: &str) -> NewEvent {
    let at = now();
    NewEvent {
        kind: EventKind::Lawsuit.to_string(),
        action: "filed".into(),
        status: Some(Status::Filed.to_string()),
        occurred_on: None,
        date_precision: None,
        amount: None,
        currency: None,
        amount_usd: None,
        authority: None,
        jurisdiction: None,
        parties: "[]".into(),
        summary: "a lawsuit".into(),
        confidence: 0.9,
        review_state: ReviewState::Unreviewed.to_string(),
        review_note: None,
        corrected_fields: "[]".into(),
        origin: Origin::Extracted.to_string(),
        fingerprint: fingerprint.into(),
        thread_id: None,
        thread_status: None,
        document_count: 0,
        created_at: at,
        updated_at: at,
    }
}

/// A pseudo-terminal of 120 columns: (the side the program writes to, the side we read).
pub fn pty() -> (OwnedFd, OwnedFd) {
    let (mut controller, mut terminal) = (-1, -1);
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two file descriptors into the integers given; the name
    // buffer is null (not wanted) and the settings are left at their defaults.
    let rc = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned by nobody else.
    unsafe {
        (
            OwnedFd::from_raw_fd(terminal),
            OwnedFd::from_raw_fd(controller),
        )
    }
}

/// Reads everything written to a pseudo-terminal until its last writer is gone (the
/// terminal side must be held by the child alone), on a thread of its own.
pub fn drain(controller: OwnedFd) -> std::thread::JoinHandle<String> {
    use std::io::Read;
    std::thread::spawn(move || {
        let mut file = std::fs::File::from(controller);
        let mut seen = Vec::new();
        let mut chunk = [0u8; 4096];
        // A pseudo-terminal answers EIO, not end of file, once its last writer is gone.
        while let Ok(n) = file.read(&mut chunk) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&chunk[..n]);
        }
        String::from_utf8_lossy(&seen).into_owned()
    })
}

/// A `riskline serve` started on `127.0.0.1:0` with logs at `info`, killed when dropped.
pub struct Served {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Served {
    /// Starts the server with `envs` set and its stderr going to `stderr`.
    pub fn start(
        db: &TestDb,
        args: &[&str],
        envs: &[(&str, &str)],
        stderr: std::process::Stdio,
    ) -> Served {
        let mut child = Command::new(bin())
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "1"])
            .args(args)
            .env("DATABASE_URL", &db.url)
            .env("RISKLINE_LOG", "info")
            .env_remove("RISKLINE_LOG_FORMAT")
            .env_remove("NO_COLOR")
            .envs(envs.iter().copied())
            .stdout(std::process::Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("riskline serve starts");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .to_string();
        Served { child, base }
    }

    /// The status of `method path`.
    pub fn request(&self, method: &str, path: &str) -> u16 {
        let url = format!("{}{path}", self.base);
        match ureq::request(method, &url).call() {
            Ok(response) => response.status(),
            Err(ureq::Error::Status(code, _)) => code,
            Err(err) => panic!("{method} {url}: {err}"),
        }
    }

    /// `method path` with an API key and a JSON body: the status and the JSON answer
    /// (`null` when the answer is no JSON).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        key: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let url = format!("{}{path}", self.base);
        let request = ureq::request(method, &url).set("Authorization", &format!("Bearer {key}"));
        let result = match body {
            Some(body) => request.send_json(body),
            None => request.call(),
        };
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(err) => panic!("{method} {url}: {err}"),
        };
        let status = response.status();
        (
            status,
            response.into_json().unwrap_or(serde_json::Value::Null),
        )
    }

    /// Stops the server with SIGTERM and waits for it.
    pub fn stop(mut self) {
        // SAFETY: a plain signal to the process this test started.
        let pid = i32::try_from(self.child.id()).unwrap();
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        assert!(
            self.child.wait().unwrap().success(),
            "clean exit on SIGTERM"
        );
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
