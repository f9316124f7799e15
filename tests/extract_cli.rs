//! `riskline extract` through the real binary: a file, stdin, a JSONL batch with bad and
//! blank lines, a bad `--published-at`, its help and options, and the seed article of the
//! shared folder.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_riskline"))
}

fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin accepts the text");
    child.wait_with_output().expect("binary finishes")
}

fn events(out: &Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    v["events"].as_array().expect("events is an array").clone()
}

const TEXT: &str = "Delta Air Lines sued CrowdStrike on Friday in a Georgia court, seeking more than $500 million.";

#[test]
fn extract_reads_a_file_and_prints_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.txt");
    std::fs::write(&path, TEXT).expect("write doc");
    let out = bin()
        .args(["extract", "--published-at", "2024-10-28"])
        .arg(&path)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let evs = events(&out);
    assert_eq!(evs.len(), 1, "{evs:?}");
    let e = &evs[0];
    assert_eq!(e["kind"], "lawsuit");
    assert_eq!(e["occurred_on"], "2024-10-25");
    assert_eq!(e["amount_usd"], 500_000_000);
    let mut tickers: Vec<String> = e["tickers"]
        .as_array()
        .expect("tickers")
        .iter()
        .map(|t| t.as_str().unwrap_or_default().to_string())
        .collect();
    tickers.sort();
    assert_eq!(tickers, vec!["CRWD", "DAL"]);
    let ev = &e["evidence"][0];
    let (s, t) = (
        ev["start"].as_u64().expect("start"),
        ev["end"].as_u64().expect("end"),
    );
    assert_eq!(
        &TEXT[s as usize..t as usize],
        ev["text"].as_str().expect("text")
    );
}

/// A section of a filing that never names its filer: "the Company" is the filer
/// that the EDGAR file name (ticker first) or a JSONL line's origin names.
const UNNAMED_FILER: &str = "Legal Proceedings\n\nIn March 2025, a group of distributors filed a \
    lawsuit against the Company in federal court, alleging breach of contract. The Company \
    believes the claims lack merit.";

#[test]
fn a_filing_named_after_its_ticker_gets_its_filer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let named = dir.path().join("ko-20250630.htm");
    std::fs::write(&named, UNNAMED_FILER).expect("write doc");
    let out = bin()
        .args(["extract", "--format", "text"])
        .arg(&named)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let evs = events(&out);
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0]["kind"], "lawsuit");
    assert_eq!(evs[0]["tickers"], serde_json::json!(["KO"]));
    // The same text under a name that says nothing has no company to link.
    let plain = dir.path().join("section.txt");
    std::fs::write(&plain, UNNAMED_FILER).expect("write doc");
    let out = bin()
        .args(["extract", "--format", "text"])
        .arg(&plain)
        .output()
        .expect("runs");
    assert!(events(&out).is_empty());
    // A JSONL line whose origin is a repository path to the filing.
    let line = serde_json::json!({
        "id": "s1", "kind": "filing", "text": UNNAMED_FILER,
        "source": "example:filings/ko/10q/ko-10-q-2025-07-24.html (Legal Proceedings)"
    });
    let out = run_with_stdin(&["extract", "--jsonl", "-"], &format!("{line}\n"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(v["events"][0]["tickers"], serde_json::json!(["KO"]), "{v}");
}

#[test]
fn extract_reads_standard_input() {
    let out = run_with_stdin(&["extract", "--published-at", "2024-10-28", "-"], TEXT);
    assert!(out.status.success());
    assert_eq!(events(&out).len(), 1);
    let none = run_with_stdin(
        &["extract"],
        "Analysts said the airline may sue its vendor.",
    );
    assert!(none.status.success());
    assert!(events(&none).is_empty());
}

#[test]
fn a_bad_published_at_is_named_in_the_error() {
    let out = run_with_stdin(&["extract", "--published-at", "2024-13-45"], TEXT);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2024-13-45"), "{err}");
}

#[test]
fn jsonl_keeps_order_reports_the_bad_line_and_fails_at_the_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("batch.jsonl");
    let lines = [
        serde_json::json!({"id": "a", "text": TEXT, "published_at": "2024-10-28"}).to_string(),
        "{not json".to_string(),
        serde_json::json!({"id": 7, "text": "Nothing happened today."}).to_string(),
    ];
    std::fs::write(&path, lines.join("\n")).expect("write batch");
    let out = bin()
        .args(["extract", "--jsonl"])
        .arg(&path)
        .output()
        .expect("binary runs");
    assert!(!out.status.success(), "a bad line makes the run fail");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let got: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    // One output line per input line: the bad one says which line and why.
    assert_eq!(got.len(), 3, "{stdout}");
    assert_eq!(got[0]["id"], "a");
    assert_eq!(got[0]["events"].as_array().map(Vec::len), Some(1));
    assert_eq!(got[1]["line"], 2);
    assert!(got[1]["error"]
        .as_str()
        .is_some_and(|e| e.starts_with("malformed JSON")));
    assert_eq!(got[2]["id"], 7);
    assert_eq!(got[2]["events"].as_array().map(Vec::len), Some(0));
}

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared not found");
        None
    }
}

#[test]
fn the_seed_article_gives_exactly_three_events() {
    let Some(shared) = shared() else { return };
    let out = bin()
        .args(["extract", "--published-at", "2026-01-23"])
        .arg(shared.join("seeds/small-cap-rally.txt"))
        .output()
        .expect("binary runs");
    assert!(out.status.success());
    let evs = events(&out);
    let summary: Vec<String> = evs
        .iter()
        .map(|e| format!("{} {} {}", e["kind"], e["tickers"], e["summary"]))
        .collect();
    assert_eq!(evs.len(), 3, "{summary:#?}");
    let find = |kind: &str| {
        evs.iter()
            .find(|e| e["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind}: {summary:#?}"))
    };
    let suit = find("lawsuit");
    assert_eq!(suit["tickers"], serde_json::json!(["JPM"]));
    assert_eq!(suit["amount_usd"], 5_000_000_000_i64);
    assert!(
        suit["summary"]
            .as_str()
            .is_some_and(|s| s.contains("de-banking")),
        "{}",
        suit["summary"]
    );
    let plaintiff = suit["parties"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["role"] == "plaintiff"))
        .expect("a plaintiff party");
    assert!(
        plaintiff["name"]
            .as_str()
            .is_some_and(|n| n.contains("Trump")),
        "{plaintiff}"
    );
    let ban = find("regulatory_action");
    assert_eq!(ban["tickers"], serde_json::json!(["GM"]));
    assert!(
        ban["authority"]
            .as_str()
            .is_some_and(|a| a.contains("California")),
        "{}",
        ban["authority"]
    );
    let halt = find("service_halt");
    assert_eq!(halt["tickers"], serde_json::json!(["GM"]));
    for e in &evs {
        let t = e["tickers"].to_string();
        assert!(!t.contains("INTC") && !t.contains("TSLA"), "{summary:#?}");
    }
}

#[test]
fn jsonl_writes_one_line_per_input_line_blank_lines_included() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("batch.jsonl");
    let batch = format!(
        "{}\n\n   \n{{\"id\": \"no text\"}}\n{}\n",
        serde_json::json!({"id": "first", "text": TEXT, "published_at": "2024-10-28"}),
        serde_json::json!({"id": "last", "text": "The weather was mild all week."}),
    );
    std::fs::write(&path, &batch).expect("write batch");
    let out = bin()
        .args(["extract", "--jsonl"])
        .arg(&path)
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let got: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(got.len(), batch.lines().count(), "{stdout}");
    assert_eq!(got[0]["id"], "first");
    for (i, blank) in [(1, 2), (2, 3)] {
        assert_eq!(got[i]["line"], blank, "{stdout}");
        assert_eq!(got[i]["skipped"], "blank line", "{stdout}");
        assert!(got[i].get("events").is_none() && got[i].get("error").is_none());
    }
    assert_eq!(got[3]["line"], 4);
    assert_eq!(got[3]["id"], "no text");
    assert!(got[3]["error"].is_string(), "{stdout}");
    assert_eq!(got[4]["id"], "last");
    assert_eq!(got[4]["events"], serde_json::json!([]));
    // The line without text is an error; blank lines are not.
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4") && !err.contains("line 2"), "{err}");
}

/// The long help of a command.
fn help(args: &[&str]) -> String {
    let out = bin()
        .args(args)
        .arg("--help")
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{args:?} --help");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn extract_help_lists_the_formats_and_a_wrong_one_is_refused_with_them() {
    let text = help(&["extract"]);
    for format in ["auto", "text", "html", "edgar"] {
        assert!(text.contains(&format!("- {format}:")), "{format}: {text}");
    }
    let out = run_with_stdin(&["extract", "--format", "pdf"], TEXT);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("possible values: auto, text, html, edgar"),
        "{err}"
    );
    // Case does not matter, as before.
    let upper = run_with_stdin(
        &[
            "extract",
            "--format",
            "TEXT",
            "--published-at",
            "2024-10-28",
        ],
        TEXT,
    );
    assert!(upper.status.success());
    assert_eq!(events(&upper).len(), 1);
}

#[test]
fn only_commands_with_a_database_offer_database_url() {
    for command in ["extract", "eval"] {
        assert!(!help(&[command]).contains("--database-url"), "{command}");
        let out = bin()
            .args([command, "--database-url", "x.db", "--help"])
            .output()
            .expect("binary runs");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command} refuses --database-url"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--database-url"), "{err}");
    }
    for command in [
        &["ingest"][..],
        &["serve"],
        &["migrate"],
        &["migrate", "status"],
        &["companies", "list"],
        &["keys", "list"],
        &["backup"],
        &["restore"],
    ] {
        assert!(help(command).contains("--database-url"), "{command:?}");
    }
}

#[test]
fn database_url_works_after_the_subcommand_it_belongs_to() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("here.db");
    let out = bin()
        .args(["companies", "list", "--limit", "1", "--database-url"])
        .arg(&db)
        .env_remove("DATABASE_URL")
        .current_dir(dir.path())
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.is_file(), "the database named by the flag is used");
    assert!(!dir.path().join("riskline.db").exists(), "not the default");
}
