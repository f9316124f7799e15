//! `riskline eval` through the real binary: the scores on the shared development set must
//! meet the project's goals, and a small gold file of our own is scored as expected.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_riskline"))
}

#[test]
fn eval_scores_a_small_gold_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gold = dir.path().join("gold.jsonl");
    let lines = [
        serde_json::json!({"id": "pos", "published_at": "2024-03-15", "text": "Boeing was sued by a pension fund on Thursday.",
            "events": [{"type": "lawsuit", "tickers": ["BA"], "date": "2024-03-14", "status": "filed"}]}),
        serde_json::json!({"id": "neg", "published_at": "2024-03-15", "text": "Trading in GameStop shares was halted under volatility rules.",
            "events": []}),
    ];
    std::fs::write(&gold, lines.map(|l| l.to_string()).join("\n")).expect("write gold");
    let out = bin()
        .args(["eval", "--json", "--gold"])
        .arg(&gold)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(r["overall"]["tp"], 1);
    assert_eq!(r["overall"]["fp"], 0);
    assert_eq!(r["overall"]["fn"], 0);
    assert_eq!(r["negatives_with_false_event"], 0);
    assert_eq!(r["date"]["correct"], 1);
    let text = bin()
        .args(["eval", "--gold"])
        .arg(&gold)
        .output()
        .expect("binary runs");
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(
        shown.contains("overall") && shown.contains("negative documents"),
        "{shown}"
    );
}

#[test]
fn eval_scores_several_files_and_folders_one_by_one_and_in_total() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sets = dir.path().join("sets");
    std::fs::create_dir(&sets).expect("folder");
    let one = serde_json::json!({"id": "one", "published_at": "2024-03-15",
        "text": "Boeing was sued by a pension fund on Thursday.",
        "events": [{"type": "lawsuit", "tickers": ["BA"], "date": "2024-03-14"}]});
    let two = serde_json::json!({"id": "two", "published_at": "2024-03-15",
        "text": "The weather was mild and nobody sued anybody.", "events": []});
    std::fs::write(sets.join("a.jsonl"), one.to_string()).expect("write");
    std::fs::write(sets.join("b.jsonl"), two.to_string()).expect("write");
    std::fs::write(sets.join("notes.txt"), "not a gold file").expect("write");
    let extra = dir.path().join("c.jsonl");
    std::fs::write(&extra, one.to_string()).expect("write");
    let out = bin()
        .args(["eval", "--json", "--gold"])
        .arg(&sets)
        .arg("--gold")
        .arg(&extra)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(r["files"].as_array().map(Vec::len), Some(3), "{r}");
    assert_eq!(r["total"]["documents"], 3);
    assert_eq!(r["total"]["overall"]["tp"], 2);
    let text = bin()
        .args(["eval", "--gold"])
        .arg(&sets)
        .arg("--gold")
        .arg(&extra)
        .output()
        .expect("binary runs");
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(
        shown.contains("gold file") && shown.contains("total"),
        "{shown}"
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("folder");
    let refused = bin()
        .args(["eval", "--gold"])
        .arg(&empty)
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no .jsonl gold files"));
}

#[test]
fn eval_meets_the_goals_on_the_development_set() {
    let gold = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/eval/dev.jsonl"
    ));
    if !gold.is_file() {
        eprintln!("skipped: ../shared not found");
        return;
    }
    let out = bin()
        .args(["eval", "--json", "--gold"])
        .arg(&gold)
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let n = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    let (tp, fp, fn_) = (
        n(&r["overall"]["tp"]),
        n(&r["overall"]["fp"]),
        n(&r["overall"]["fn"]),
    );
    let f1 = 2.0 * tp / (2.0 * tp + fp + fn_);
    let neg = n(&r["negatives_with_false_event"]) / n(&r["negative_documents"]).max(1.0);
    assert!(f1 >= 0.90, "overall F1 {f1:.3} < 0.90: {}", r["overall"]);
    assert!(
        neg <= 0.05,
        "false events on {:.1}% of negative documents",
        neg * 100.0
    );
}
