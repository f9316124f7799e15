//! The extractor on `fixtures/extract/holdout.jsonl`: 79 texts written for this project in
//! the shape of real wire stories, agency press releases, 10-K/10-Q legal-proceedings notes,
//! 8-K items and court opinions (23 of them hard negatives), deliberately unlike the
//! development set in wording and structure (generated from `fixtures/extract/src/`).
//! Floors sit below the reached figures by a margin, so a change that makes the extractor
//! generalise worse fails here.
//!
//! The last 17 texts (h34-h44, n13-n18) were written after a first round of fixes and
//! scored before any further tuning: pairs F1 0.733, events F1 0.732, 2/6 negatives with a
//! false event - the honest measure of how the extractor met unseen text at that point.
//! A third batch (h45-h51, n19-n21), written after the second round, scored pairs F1 0.842,
//! events F1 0.800 and 1/3 negatives with a false event before its own fixes. A fourth
//! (h52-h56, n22-n23, filing language) scored pairs 0.750, events 0.667 before its fixes;
//! its remaining misses name the company only as "the Company" (the filer is unknown from
//! the text alone).
//! Reached on the whole set when the floors were set: pairs F1 0.959, events F1 0.944,
//! 0/23 negatives with a false event; on the development set events F1 0.854.

use std::path::PathBuf;

use riskline::eval::{parse_gold, score, Report};
use riskline::extract::{Extractor, Format};

fn report(path: &std::path::Path) -> Report {
    let content = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let gold = parse_gold(&content).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let ex = Extractor::builtin();
    let predicted: Vec<_> = gold
        .iter()
        .map(|d| {
            (
                d.id.clone(),
                ex.extract_at(&d.text, Format::Auto, d.published_at).events,
            )
        })
        .collect();
    score(&gold, &predicted)
}

fn details(r: &Report) -> String {
    let mut s = String::new();
    for m in &r.misses {
        s.push_str(&format!(
            "\n  miss {} {} {}: {}",
            m.doc,
            m.kind.as_str(),
            m.ticker,
            m.snippet
        ));
    }
    for m in &r.false_events {
        s.push_str(&format!(
            "\n  false {} {} {}: {}",
            m.doc,
            m.kind.as_str(),
            m.ticker,
            m.snippet
        ));
    }
    s
}

#[test]
fn holdout_set_stays_above_its_floors() {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/extract/holdout.jsonl"
    ));
    let r = report(&path);
    assert_eq!(r.documents, 79);
    let pairs = r.overall.f1();
    let events = r.events.f1();
    assert!(
        pairs >= 0.90,
        "pairs F1 {pairs:.3} < 0.90 {:?}{}",
        r.overall,
        details(&r)
    );
    assert!(
        events >= 0.85,
        "events F1 {events:.3} < 0.85 {:?}{}",
        r.events,
        details(&r)
    );
    assert!(
        r.negative_false_rate() <= 0.10,
        "false events on {}/{} negatives{}",
        r.negatives_with_false_event,
        r.negative_documents,
        details(&r)
    );
}

#[test]
fn development_set_events_stay_above_their_floor() {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/eval/dev.jsonl"
    ));
    if !path.is_file() {
        eprintln!("skipped: ../shared not found");
        return;
    }
    let r = report(&path);
    let events = r.events.f1();
    assert!(
        events >= 0.80,
        "dev events F1 {events:.3} < 0.80 {:?}{}",
        r.events,
        details(&r)
    );
    assert!(
        r.overall.f1() >= 0.93,
        "dev pairs F1 {:.3} < 0.93",
        r.overall.f1()
    );
}
