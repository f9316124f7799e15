//! The logs of `riskline serve`, through the real binary: one access line per request
//! at `info` (method, path, status, duration), plain text without colour codes when
//! stderr is a file, colours on a terminal, and one JSON object per line with
//! `RISKLINE_LOG_FORMAT=json` or `--log-format json`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{bin, drain, pty, Served, TestDb};

/// Starts a server logging into a file, makes three requests, stops it; returns the file.
fn three_requests(db: &TestDb, args: &[&str], envs: &[(&str, &str)], log: &Path) -> String {
    let file = std::fs::File::create(log).unwrap();
    let served = Served::start(db, args, envs, Stdio::from(file));
    assert_eq!(served.request("GET", "/ping"), 200);
    assert_eq!(
        served.request("GET", "/api/v1/companies?secret=hidden"),
        401
    );
    assert_eq!(served.request("DELETE", "/no/such/page"), 404);
    served.stop();
    std::fs::read_to_string(log).unwrap()
}

#[test]
fn every_request_gets_an_access_line_without_colour_codes_in_a_file() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let logs = three_requests(&db, &[], &[], &dir.path().join("serve.log"));
    assert!(
        !logs.contains('\u{1b}'),
        "no ANSI escape codes in a file:\n{logs}"
    );
    let access: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("riskline::access"))
        .collect();
    assert_eq!(access.len(), 3, "one access line per request:\n{logs}");
    for (line, (method, path, status)) in access.iter().zip([
        ("GET", "/ping", 200),
        ("GET", "/api/v1/companies", 401),
        ("DELETE", "/no/such/page", 404),
    ]) {
        assert!(line.contains(" INFO "), "{line}");
        for part in [
            format!("method={method}"),
            format!("path={path} "),
            format!("status={status}"),
        ] {
            assert!(line.contains(&part), "{part} in {line}");
        }
        let ms = line
            .split("duration_ms=")
            .nth(1)
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok());
        assert!(ms.is_some_and(|ms| ms >= 0.0), "{line}");
    }
    assert!(
        !logs.contains("hidden"),
        "query strings stay out of the log"
    );
}

#[test]
fn json_logs_are_one_object_per_line_from_the_variable_or_the_flag() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let by_env = three_requests(
        &db,
        &[],
        &[("RISKLINE_LOG_FORMAT", "json")],
        &dir.path().join("env.log"),
    );
    let by_flag = three_requests(
        &db,
        &["--log-format", "json"],
        &[],
        &dir.path().join("flag.log"),
    );
    for logs in [by_env, by_flag] {
        let lines: Vec<serde_json::Value> = logs
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert!(lines
            .iter()
            .all(|l| l["level"].is_string() && l["timestamp"].is_string()));
        let access: Vec<&serde_json::Value> = lines
            .iter()
            .filter(|l| l["target"] == "riskline::access")
            .collect();
        assert_eq!(access.len(), 3, "{logs}");
        let ping = access[0];
        assert_eq!(ping["level"], "INFO");
        assert_eq!(ping["method"], "GET");
        assert_eq!(ping["path"], "/ping");
        assert_eq!(ping["status"], 200);
        assert!(
            ping["duration_ms"].as_f64().is_some_and(|ms| ms >= 0.0),
            "{ping}"
        );
        assert_eq!(access[2]["method"], "DELETE");
        assert_eq!(access[2]["status"], 404);
    }
    let wrong = Command::new(bin())
        .args(["--log-format", "yaml", "migrate"])
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("[possible values: text, json]"));
}

#[test]
fn a_terminal_gets_colours_and_no_color_turns_them_off() {
    let db = TestDb::sqlite();
    for (no_color, coloured) in [(None, true), (Some("1"), false)] {
        let (terminal, controller) = pty();
        let envs: Vec<(&str, &str)> = no_color.map(|v| ("NO_COLOR", v)).into_iter().collect();
        let served = Served::start(&db, &[], &envs, Stdio::from(terminal));
        let reader = drain(controller);
        assert_eq!(served.request("GET", "/ping"), 200);
        served.stop();
        let seen = reader.join().unwrap();
        assert!(seen.contains("riskline::access"), "{seen:?}");
        assert_eq!(
            seen.contains("\u{1b}["),
            coloured,
            "NO_COLOR={no_color:?}: {seen:?}"
        );
    }
}
