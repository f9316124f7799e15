//! The analyst page in a real browser.
//!
//! Starts the real `riskline` binary with its demo data on a temporary SQLite database, creates
//! an analyst and a reader key, and runs `tests/browser/browser.test.mjs` (node, playwright-core
//! and Debian's Chromium) against it. Without `/usr/bin/chromium` the test says it was skipped,
//! except in CI (`CI` set), where the browser is required and its absence fails the test.
//! `scripts/install-browser-deps.sh` installs what it needs.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The key printed by `riskline keys create`: the last word of the first line starting `key:`.
fn key_from_output(stdout: &str) -> Option<String> {
    stdout
        .lines()
        .find(|line| line.trim_start().starts_with("key:"))?
        .split_whitespace()
        .last()
        .filter(|key| *key != "key:")
        .map(str::to_owned)
}

/// The base URL in the server's `listening on http://127.0.0.1:PORT` line.
fn url_from_line(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("listening on ")?;
    let url = rest.split_whitespace().next()?;
    url.starts_with("http://").then(|| url.to_owned())
}

/// What is missing to run the browser, if anything.
fn missing_prerequisite() -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is not installed"));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        return Some("node is not installed".to_owned());
    }
    None
}

fn browser_test_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Installs playwright-core from the lock file when `node_modules` is absent.
fn ensure_node_modules(dir: &Path) {
    if dir.join("node_modules/playwright-core").exists() {
        return;
    }
    let subcommand = if dir.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    let status = Command::new("npm")
        .args([subcommand, "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .expect("npm runs");
    assert!(
        status.success(),
        "npm {subcommand} in {} failed",
        dir.display()
    );
}

fn riskline(database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_riskline"));
    command.env("DATABASE_URL", database_url);
    command
}

fn run_riskline(database_url: &str, args: &[&str]) -> String {
    let out = riskline(database_url)
        .args(args)
        .output()
        .expect("riskline runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "riskline {args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn create_key(database_url: &str, role: &str) -> String {
    let name = format!("browser-{role}");
    let stdout = run_riskline(
        database_url,
        &["keys", "create", "--name", &name, "--role", role],
    );
    key_from_output(&stdout).unwrap_or_else(|| panic!("no `key:` line in {stdout:?}"))
}

/// The server process; killed when dropped, so a failing assertion does not leave it running.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// Starts `riskline serve --demo` and returns once the demo data is in: the server prints
    /// its address first and `analyst key: ...` when the demo corpus has been ingested.
    fn start(database_url: &str) -> Server {
        let mut child = riskline(database_url)
            .args(["serve", "--bind", "127.0.0.1:0", "--demo"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("riskline serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout);
        let mut seen = String::new();
        let mut url = None;
        loop {
            let mut line = String::new();
            let read = lines.read_line(&mut line).expect("read server output");
            if read == 0 {
                let _ = child.kill();
                let status = child.wait().expect("server exit status");
                panic!(
                    "server exited ({status}) before the demo data was ready; it printed {seen:?}"
                );
            }
            seen.push_str(&line);
            if url.is_none() {
                url = url_from_line(&line);
            } else if demo_ready(&line) {
                break;
            }
        }
        drain(lines);
        let url = url.expect("a listening line was read");
        Server { child, url }
    }
}

/// The line `serve --demo` prints when the demo corpus is loaded.
fn demo_ready(line: &str) -> bool {
    line.trim_start().starts_with("analyst key:")
}

/// Keeps reading the server's stdout so it never blocks on a full pipe.
fn drain(mut lines: BufReader<ChildStdout>) {
    std::thread::spawn(move || {
        let mut sink = String::new();
        while lines.read_line(&mut sink).is_ok_and(|n| n > 0) {
            sink.clear();
        }
    });
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_analyst_page_works_in_a_real_browser() {
    if let Some(missing) = missing_prerequisite() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{missing}: CI must run the browser test; run scripts/install-browser-deps.sh"
        );
        println!(
            "SKIPPED the browser test: {missing} (scripts/install-browser-deps.sh installs it)"
        );
        return;
    }
    let dir = browser_test_dir();
    ensure_node_modules(&dir);

    let tmp = tempfile::tempdir().expect("temporary directory");
    let database_url = tmp.path().join("riskline.db").display().to_string();
    run_riskline(&database_url, &["migrate"]);
    let analyst = create_key(&database_url, "analyst");
    let reader = create_key(&database_url, "reader");
    let server = Server::start(&database_url);

    let status = Command::new("node")
        .arg("browser.test.mjs")
        .current_dir(&dir)
        .env("RISKLINE_URL", &server.url)
        .env("RISKLINE_ANALYST_KEY", &analyst)
        .env("RISKLINE_READER_KEY", &reader)
        .env("CHROMIUM_PATH", CHROMIUM)
        .status()
        .expect("node runs");
    drop(server);
    assert!(status.success(), "the browser test failed ({status})");
}

#[test]
fn a_key_and_a_url_are_read_from_command_output() {
    assert_eq!(
        key_from_output("created key t (analyst)\nkey: rk_abc123\n"),
        Some("rk_abc123".to_owned())
    );
    assert_eq!(key_from_output("key:\n"), None);
    assert_eq!(key_from_output("no key here\n"), None);
    assert_eq!(
        url_from_line("riskline listening on http://127.0.0.1:4321\n"),
        Some("http://127.0.0.1:4321".to_owned())
    );
    assert_eq!(url_from_line("listening soon\n"), None);
    assert!(demo_ready("analyst key: abc\n"));
    assert!(!demo_ready("key: abc\n"));
}
