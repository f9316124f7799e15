//! What issue "no input can crash riskline" promises, held black-box: the real
//! binary and a real server on SQLite and PostgreSQL.
//!
//! - A document that makes the extractor fail costs that document only, in
//!   `ingest`, `extract --jsonl` and `POST /documents` (test builds carry a fault
//!   switch: a document with the line `riskline-fault-injection: panic`).
//! - Near-copies of a document never make a second copy of an event.
//! - Partial publication dates are accepted with their precision; invalid times
//!   are refused, never coerced.
//! - `extract` reads UTF-8 only, caps a document at 20 MiB, and refuses feeds and
//!   JSON lines with a hint.
//! - Every labelled real text under `../shared/eval/` goes through `extract --jsonl`
//!   and `ingest` without a failure (skipped, with a note, when `../shared` is absent).

mod api_support;
mod common;
mod ingest_support;

use std::io::Write;
use std::process::{Command, Stdio};

use api_support::{no_seed, on_both_servers, TestServer};
use common::{on_both_backends, TestDb};
use ingest_support::*;
use serde_json::{json, Value};

const FAULT: &str = "riskline-fault-injection: panic";

const SUIT: &str = "Acme shareholders sue Boeing\n\n\
Shareholders sued Boeing on Monday in federal court in Seattle, saying the planemaker \
misled them about the safety of its jets.";

const RECALL: &str = "Ford Motor recalled 40,000 pickup trucks because a seat belt \
bracket can crack, the company said.";

/// Runs `riskline extract ARGS` with `stdin` piped in.
fn extract(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    let mut child = Command::new(common::bin())
        .arg("extract")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin");
    // The binary may refuse before reading everything: a broken pipe is fine.
    let _ = input.write_all(stdin);
    drop(input);
    let out = child.wait_with_output().expect("the binary ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn no_panic_text(stderr: &str) {
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "a panic leaked to stderr:\n{stderr}"
    );
}

#[test]
fn a_document_that_fails_the_extractor_fails_alone_in_an_ingest() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), SUIT).unwrap();
        std::fs::write(dir.path().join("b.txt"), format!("{RECALL}\n{FAULT}\n")).unwrap();
        std::fs::write(dir.path().join("c.txt"), RECALL).unwrap();
        let (run, summary) = ingest(db, &[&path_str(dir.path())]);
        assert_eq!(run.code, Some(1), "{summary}\n{}", run.stderr);
        no_panic_text(&run.stderr);
        assert_eq!(summary["documents"]["new"], 2, "{summary}");
        assert_eq!(summary["documents"]["failed"], 1, "{summary}");
        let failure = &summary["failures"][0];
        assert!(
            failure["name"].as_str().unwrap().ends_with("b.txt"),
            "{summary}"
        );
        let reason = failure["reason"].as_str().unwrap();
        assert!(
            reason.contains("internal error in the extractor") && reason.contains(".rs:"),
            "{reason}"
        );
        // The failed document left nothing behind; the others are all there.
        let stored: i64 = common::sql::count(&mut db.store().conn().unwrap(), "documents");
        assert_eq!(stored, 2);
        assert_eq!(events_of(&db.store(), "BA").len(), 1);
        assert_eq!(events_of(&db.store(), "F").len(), 1);
    });
}

#[test]
fn extract_jsonl_answers_every_line_when_one_fails() {
    let lines = [
        json!({"id": "ok", "text": SUIT, "published_at": "2024-03-06"}).to_string(),
        json!({"id": "bad", "text": format!("{RECALL}\n{FAULT}")}).to_string(),
        json!({"id": "month", "text": RECALL, "published_at": "2021-10"}).to_string(),
        "[1, 2, 3]".to_string(),
    ];
    let (code, stdout, stderr) = extract(&["--jsonl", "-"], lines.join("\n").as_bytes());
    assert_eq!(code, Some(1), "{stderr}");
    no_panic_text(&stderr);
    let out: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 4, "{stdout}");
    assert_eq!(out[0]["events"][0]["kind"], "lawsuit");
    assert_eq!(out[1]["id"], "bad");
    assert!(out[1]["error"]
        .as_str()
        .unwrap()
        .contains("internal error in the extractor"));
    // A month-only publication date is read, and the recall dated no finer.
    assert_eq!(out[2]["events"][0]["occurred_on"], "2021-10");
    assert_eq!(out[2]["events"][0]["date_precision"], "month");
    // Plain words, no Rust type names.
    let not_object = out[3]["error"].as_str().unwrap();
    assert!(not_object.contains("JSON object"), "{not_object}");
    assert!(!not_object.contains("struct"), "{not_object}");
}

#[test]
fn a_posted_document_that_fails_the_extractor_gets_a_plain_500_and_the_server_goes_on() {
    on_both_servers(no_seed, |server: &TestServer| {
        let body = json!({"text": format!("{SUIT}\n{FAULT}")}).to_string();
        let failed = server.send(
            "POST",
            "/api/v1/documents",
            Some(&server.analyst),
            Some(&body),
        );
        assert_eq!(failed.status, 500, "{}", failed.body);
        let problem = failed.json();
        assert_eq!(problem["status"], 500);
        // No internals: no source paths, no panic text.
        assert!(!failed.body.contains(".rs"), "{}", failed.body);
        let ok = server.send(
            "POST",
            "/api/v1/documents",
            Some(&server.analyst),
            Some(&json!({"text": SUIT, "published_at": "2024-03-06"}).to_string()),
        );
        assert_eq!(ok.status, 201, "{}", ok.body);
        let stored: i64 = common::sql::count(&mut server.conn(), "documents");
        assert_eq!(stored, 1, "the failed document was not stored");
    });
}

#[test]
fn near_copies_of_a_document_make_one_event_within_a_batch_and_across_batches() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        let dir = tempfile::tempdir().unwrap();
        // No publication date and no date in the text: only the fingerprint says
        // that these reports are one event.
        let copies = |range: std::ops::Range<usize>| -> String {
            range
                .map(|i| {
                    json!({"id": i, "text": format!("Wire copy {i}, page header\n\n{RECALL}\n\nShare this story")})
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let first = dir.path().join("first.jsonl");
        std::fs::write(&first, copies(0..12)).unwrap();
        let summary = ingest_ok(db, &[&path_str(&first)]);
        assert_eq!(summary["documents"]["new"], 12, "{summary}");
        let recalls = events_of(&db.store(), "F");
        assert_eq!(recalls.len(), 1, "on {}: {recalls:#?}", db.backend);

        let second = dir.path().join("second.jsonl");
        std::fs::write(&second, copies(12..20)).unwrap();
        ingest_ok(db, &[&path_str(&second)]);
        let recalls = events_of(&db.store(), "F");
        assert_eq!(recalls.len(), 1, "on {}: {recalls:#?}", db.backend);
        assert_eq!(mentions_of(&db.store(), recalls[0].id).len(), 20);
        assert_consistent(db);
    });
}

#[test]
fn publication_dates_keep_their_precision_and_invalid_times_are_refused() {
    on_both_backends(|db: &TestDb| {
        migrate(db);
        let dir = tempfile::tempdir().unwrap();
        let batch = dir.path().join("dates.jsonl");
        let lines = [
            json!({"id": "month", "text": RECALL, "published_at": "2021-10"}),
            json!({"id": "year", "text": SUIT, "published_at": "2019"}),
            json!({"id": "hour25", "text": "Nothing.", "published_at": "2024-01-01T25:00:00Z"}),
            json!({"id": "offset", "text": "Nothing here.", "published_at": "2024-01-01T10:00:00+99:00"}),
        ];
        let text: Vec<String> = lines.iter().map(Value::to_string).collect();
        std::fs::write(&batch, text.join("\n")).unwrap();
        let (run, summary) = ingest(db, &[&path_str(&batch)]);
        assert_eq!(run.code, Some(1), "{summary}");
        assert_eq!(summary["documents"]["new"], 2, "{summary}");
        let reasons: Vec<&str> = summary["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons.len(), 2, "{summary}");
        assert!(reasons
            .iter()
            .all(|r| r.starts_with("published_at: ") && r.contains("not a valid date")));
        let mut conn = db.store().conn().unwrap();
        let ids = common::sql::numbers(&mut conn, "SELECT id AS n FROM documents ORDER BY id");
        let stored: Vec<_> = ids
            .iter()
            .map(|&id| {
                riskline::store::documents::get(&mut conn, id)
                    .unwrap()
                    .unwrap()
            })
            .map(|d| (d.fields.published_precision, d.fields.published_at))
            .collect();
        drop(conn);
        assert_eq!(stored[0].0.as_deref(), Some("month"));
        assert_eq!(
            stored[0].1.map(|t| t.to_string()).as_deref(),
            Some("2021-10-01 00:00:00")
        );
        assert_eq!(stored[1].0.as_deref(), Some("year"));
    });
}

#[test]
fn the_api_refuses_an_invalid_publication_time_and_stores_nothing() {
    on_both_servers(no_seed, |server: &TestServer| {
        for bad in [
            "2024-01-01T25:00:00Z",
            "2024-01-01T10:00:00+99:00",
            "2024-13",
        ] {
            let resp = server.send(
                "POST",
                "/api/v1/documents",
                Some(&server.analyst),
                Some(&json!({"text": SUIT, "published_at": bad}).to_string()),
            );
            assert_eq!(resp.status, 400, "{bad}: {}", resp.body);
            assert!(resp.body.contains("published_at"), "{}", resp.body);
        }
        let month = server.send(
            "POST",
            "/api/v1/documents",
            Some(&server.analyst),
            Some(&json!({"text": SUIT, "published_at": "2024-03"}).to_string()),
        );
        assert_eq!(month.status, 201, "{}", month.body);
        let stored = common::sql::texts(
            &mut server.conn(),
            "SELECT published_precision AS t FROM documents",
        );
        assert_eq!(stored, vec![Some("month".to_string())]);
    });
}

#[test]
fn extract_refuses_what_is_not_one_utf8_document_of_at_most_20_mib() {
    let (code, _, stderr) = extract(&["-"], b"Acme \xff sued Boeing.");
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("not UTF-8") && stderr.contains("offset 5"),
        "{stderr}"
    );

    let feed = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>";
    let (code, _, stderr) = extract(&["-"], feed);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("feed") && stderr.contains("riskline ingest"),
        "{stderr}"
    );
    let (code, _, stderr) = extract(&["-"], br#"{"id": 1, "text": "x"}"#);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("--jsonl"), "{stderr}");

    let huge = vec![b'a'; 20 * 1024 * 1024 + 1];
    let (code, stdout, stderr) = extract(&["-"], &huge);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    assert!(stderr.contains("larger than 20971520 bytes"), "{stderr}");
    no_panic_text(&stderr);
}

/// The labelled real texts: every line through `extract --jsonl` and `ingest`.
#[test]
fn every_labelled_real_text_goes_through_extract_and_ingest() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let eval = shared.join("eval");
    let mut files = vec![eval.join("dev.jsonl")];
    let mut real: Vec<_> = std::fs::read_dir(eval.join("real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    real.sort();
    files.extend(real);
    for file in &files {
        let out = Command::new(common::bin())
            .args(["extract", "--jsonl"])
            .arg(file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", file.display());
        let lines = std::fs::read_to_string(file).unwrap();
        // One output line per input line, blank ones included (they get a skip line).
        let want = lines.lines().count();
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), want);
    }
    let db = TestDb::sqlite();
    migrate(&db);
    let args: Vec<String> = files.iter().map(|f| path_str(f)).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let summary = ingest_ok(&db, &args);
    assert_eq!(summary["documents"]["failed"], 0, "{summary}");
}

#[test]
fn a_cut_feed_keeps_its_whole_items_and_reports_the_cut_one() {
    let item = |i: usize, body: &str| {
        format!("<item><title>Item {i}</title><link>https://example.org/{i}</link><description>{body}</description></item>")
    };
    let head = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>";
    let whole = format!("{}{}", item(1, SUIT), item(2, RECALL));
    let truncated = format!("{head}{whole}<item><title>Item 3</title><description>Acme was su");
    let cdata =
        format!("{head}{whole}<item><title>Item 3</title><description><![CDATA[Acme was sued");
    on_both_backends(|db: &TestDb| {
        migrate(db);
        for (file, content) in [("cut.rss", &truncated), ("cdata.rss", &cdata)] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(file);
            std::fs::write(&path, content).unwrap();
            let (run, summary) = ingest(db, &[&path_str(&path)]);
            assert_eq!(run.code, Some(1), "{file}: {summary}");
            assert_eq!(summary["documents"]["failed"], 1, "{file}: {summary}");
            let failure = &summary["failures"][0];
            assert!(
                failure["name"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("{file}#3")),
                "{summary}"
            );
            assert!(!failure["reason"].as_str().unwrap().is_empty());
        }
        // The whole items of both files are the same two documents.
        let stored: i64 = common::sql::count(&mut db.store().conn().unwrap(), "documents");
        assert_eq!(stored, 2, "on {}", db.backend);
    });
}

#[test]
fn evidence_kept_per_event_is_capped() {
    let text = format!("{RECALL}\n\n").repeat(300);
    let out = riskline::extract::Extractor::builtin().extract(
        &text,
        riskline::extract::Format::Text,
        None,
    );
    assert!(!out.events.is_empty());
    for event in &out.events {
        assert!(
            event.evidence.len() <= riskline::extract::assemble::MAX_EVIDENCE,
            "{} spans",
            event.evidence.len()
        );
    }
}
