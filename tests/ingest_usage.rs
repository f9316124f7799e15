//! `riskline ingest` as a person at a terminal sees it, through the real binary: a
//! mistyped path is a usage error naming it, and the progress bar (drawn only on a
//! terminal, here a pseudo-terminal) shows the rate and the time left.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{bin, drain, pty, TestDb};

/// A folder of `n` short news texts, each reporting a lawsuit in words of its own.
fn corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(format!("story-{i:04}.txt")),
            format!(
                "Northwind Freight hit with lawsuit over route {i}\n\
                 Published: 2025-03-{:02}\n\n\
                 A shipper sued Northwind Freight on Monday over unpaid claims on route {i}.\n",
                1 + i % 28
            ),
        )
        .unwrap();
    }
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error_naming_it() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    corpus(&dir.path().join("good"), 2);
    let missing = dir.path().join("no-such-folder");
    let good = dir.path().join("good");
    let out = db.run(&["ingest", good.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(out.code, Some(2), "the exit code of usage errors: {out:?}");
    assert!(
        out.stderr.contains(missing.to_str().unwrap()) && out.stderr.contains("does not exist"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("failed"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "no summary: {}", out.stdout);
    assert!(
        !Path::new(&db.url).exists(),
        "nothing is stored, not even an empty database"
    );
    // `-` (standard input) is no path and stays accepted.
    let mut child = Command::new(bin())
        .args(["ingest", "-"])
        .env("DATABASE_URL", &db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"A shipper sued Northwind Freight on Monday over unpaid claims.\n")
        .unwrap();
    let stdin = child.wait_with_output().unwrap();
    let summary = String::from_utf8_lossy(&stdin.stdout);
    assert!(
        stdin.status.success(),
        "{}",
        String::from_utf8_lossy(&stdin.stderr)
    );
    assert!(summary.contains("documents: 1 new"), "{summary}");
}

#[test]
fn the_progress_bar_shows_rate_and_time_left_on_a_terminal_only() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    corpus(&dir.path().join("docs"), 60);
    let docs = dir.path().join("docs");

    let (terminal, controller) = pty();
    let mut child = Command::new(bin())
        .args(["ingest", docs.to_str().unwrap()])
        .env("DATABASE_URL", &db.url)
        .env_remove("RISKLINE_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(terminal))
        .spawn()
        .unwrap();
    // The only other holder of the terminal side is the child: reading ends when it exits.
    let reader = drain(controller);
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(child.wait().unwrap().success(), "{stdout}");
    let drawn = reader.join().unwrap();
    assert!(stdout.contains("documents: 60 new"), "{stdout}");
    // The bar: bytes done of all, the rate in bytes per second and the time left.
    let bar = drawn
        .split(['\r', '\n'])
        .find(|line| line.contains("/s ETA "))
        .unwrap_or_else(|| panic!("no rate and ETA in what the terminal got: {drawn:?}"));
    assert!(bar.contains(" B/") && bar.contains("KiB"), "{bar:?}");
    let after_eta = bar.split("ETA ").nth(1).unwrap_or_default();
    assert!(
        after_eta.starts_with(|c: char| c.is_ascii_digit()),
        "a duration after ETA: {bar:?}"
    );

    // Not a terminal (a file, a pipe): no bar at all.
    let again = TestDb::sqlite();
    let piped = again.run(&["ingest", docs.to_str().unwrap()]);
    assert!(piped.success, "{}", piped.stderr);
    assert!(!piped.stderr.contains("ETA"), "{}", piped.stderr);
}
