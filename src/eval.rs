#![cfg_attr(not(test), deny(clippy::string_slice))]
//! Scoring extracted events against a labelled gold file (the `dev.jsonl` format).
//!
//! Pure: it reads gold records and predicted events and computes figures; running the
//! extractor and printing belong to `riskline eval`.
//!
//! - **Pairs**: per document, the deduplicated sets of `(kind, ticker)` pairs of gold and
//!   predicted events give precision, recall and F1 per kind and overall.
//! - **Negatives**: the share of documents without gold events that get a predicted event.
//! - **Matched events**: a gold event matches a predicted event of the same kind that
//!   shares a ticker and has a compatible date (equal at the coarser precision of the two;
//!   an unknown date is compatible). On matched pairs: amount, date and status accuracy.
//!
//! ```
//! use riskline::eval::{parse_gold, score};
//! let gold = parse_gold(r#"{"id":"a","text":"x","events":[{"type":"lawsuit","tickers":["JPM"]}]}"#).unwrap();
//! let report = score(&gold, &[("a".to_string(), vec![])]);
//! assert_eq!(report.overall.recall(), 0.0);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::extract::{Event, Kind};

/// A labelled document.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    pub id: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub published_at: Option<crate::extract::dates::Published>,
    pub text: String,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A labelled event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub kind: Kind,
    #[serde(default)]
    pub tickers: Vec<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub amount_usd: Option<i64>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// A gold file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// Occurs when a line is not a valid gold record; `line` is 1-based.
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
}

/// Parses a JSONL gold file; blank lines are skipped.
pub fn parse_gold(content: &str) -> Result<Vec<GoldDoc>, GoldError> {
    content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str::<GoldDoc>(l).map_err(|e| GoldError::Line {
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Counts of true positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        return 0.0;
    }
    let (a, b) = (
        u32::try_from(a).unwrap_or(u32::MAX),
        u32::try_from(b).unwrap_or(u32::MAX),
    );
    f64::from(a) / f64::from(b)
}

/// Correct out of total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
}

impl Accuracy {
    pub fn value(&self) -> f64 {
        ratio(self.correct, self.total)
    }
}

/// A missed or false (document, kind, ticker) pair, with a snippet to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub doc: String,
    pub kind: Kind,
    pub ticker: String,
    pub snippet: String,
}

/// A matched event whose amount, date or status differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub doc: String,
    pub kind: Kind,
    pub ticker: String,
    pub field: &'static str,
    pub gold: String,
    pub predicted: String,
}

/// The figures of one evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub documents: usize,
    pub per_kind: BTreeMap<Kind, Counts>,
    pub overall: Counts,
    pub negative_documents: usize,
    pub negatives_with_false_event: usize,
    pub gold_events: usize,
    pub matched_events: usize,
    /// Event-level counts: a predicted event matches one gold event of the same kind that
    /// shares a ticker and has a compatible date (greedy, one to one); unmatched predicted
    /// events are false positives, unmatched gold events false negatives.
    pub events: Counts,
    pub amount: Accuracy,
    pub date: Accuracy,
    pub status: Accuracy,
    pub misses: Vec<Issue>,
    pub false_events: Vec<Issue>,
    pub mismatches: Vec<Mismatch>,
}

impl Report {
    /// Share of negative documents with at least one predicted event.
    pub fn negative_false_rate(&self) -> f64 {
        ratio(self.negatives_with_false_event, self.negative_documents)
    }
}

/// Parses "2024", "2024-03" or "2024-03-05" into a date and a precision rank (0 year, 1
/// month, 2 day).
fn parse_partial(s: &str) -> Option<(NaiveDate, u8)> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let y = parts.first()?.parse::<i32>().ok()?;
    let m = parts.get(1).map_or(Some(1), |m| m.parse::<u32>().ok())?;
    let d = parts.get(2).map_or(Some(1), |d| d.parse::<u32>().ok())?;
    let prec = u8::try_from(parts.len().saturating_sub(1))
        .unwrap_or(2)
        .min(2);
    NaiveDate::from_ymd_opt(y, m, d).map(|x| (x, prec))
}

/// Two dates are compatible when equal at the coarser precision; unknown is compatible.
pub fn dates_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a.and_then(parse_partial), b.and_then(parse_partial)) else {
        return true;
    };
    let p = a.1.min(b.1);
    let key = |d: NaiveDate| match p {
        0 => d.format("%Y").to_string(),
        1 => d.format("%Y-%m").to_string(),
        _ => d.format("%Y-%m-%d").to_string(),
    };
    key(a.0) == key(b.0)
}

fn snippet(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 160 {
        let mut out: String = s.chars().take(157).collect();
        out.push_str("...");
        out
    } else {
        s
    }
}

/// Scores predicted events (per document id) against the gold documents.
pub fn score(gold: &[GoldDoc], predicted: &[(String, Vec<Event>)]) -> Report {
    let pred: HashMap<&str, &Vec<Event>> =
        predicted.iter().map(|(id, ev)| (id.as_str(), ev)).collect();
    let empty = Vec::new();
    let mut per_kind: BTreeMap<Kind, Counts> =
        Kind::ALL.iter().map(|k| (*k, Counts::default())).collect();
    let mut report = Report {
        documents: gold.len(),
        per_kind: BTreeMap::new(),
        overall: Counts::default(),
        negative_documents: 0,
        negatives_with_false_event: 0,
        gold_events: 0,
        matched_events: 0,
        events: Counts::default(),
        amount: Accuracy::default(),
        date: Accuracy::default(),
        status: Accuracy::default(),
        misses: Vec::new(),
        false_events: Vec::new(),
        mismatches: Vec::new(),
    };
    let mut predicted_total = 0;
    for doc in gold {
        let events = pred.get(doc.id.as_str()).copied().unwrap_or(&empty);
        predicted_total += events.len();
        let gold_pairs: BTreeSet<(Kind, String)> = doc
            .events
            .iter()
            .flat_map(|e| {
                e.tickers
                    .iter()
                    .map(move |t| (e.kind, t.to_ascii_uppercase()))
            })
            .collect();
        let pred_pairs: BTreeSet<(Kind, String)> = events
            .iter()
            .flat_map(|e| e.tickers.iter().map(move |t| (e.kind, t.to_string())))
            .collect();
        for (kind, t) in gold_pairs.union(&pred_pairs) {
            let c = per_kind.entry(*kind).or_default();
            match (
                gold_pairs.contains(&(*kind, t.clone())),
                pred_pairs.contains(&(*kind, t.clone())),
            ) {
                (true, true) => c.tp += 1,
                (false, true) => {
                    c.fp += 1;
                    let ev = events
                        .iter()
                        .find(|e| e.kind == *kind && e.tickers.iter().any(|x| x == t.as_str()));
                    report.false_events.push(Issue {
                        doc: doc.id.clone(),
                        kind: *kind,
                        ticker: t.clone(),
                        snippet: snippet(
                            ev.and_then(|e| e.evidence.first())
                                .map_or("", |x| x.text.as_str()),
                        ),
                    });
                }
                (true, false) => {
                    c.fn_ += 1;
                    let ev = doc.events.iter().find(|e| {
                        e.kind == *kind && e.tickers.iter().any(|x| x.eq_ignore_ascii_case(t))
                    });
                    report.misses.push(Issue {
                        doc: doc.id.clone(),
                        kind: *kind,
                        ticker: t.clone(),
                        snippet: snippet(ev.and_then(|e| e.evidence.as_deref()).unwrap_or("")),
                    });
                }
                (false, false) => {}
            }
        }
        if doc.events.is_empty() {
            report.negative_documents += 1;
            if !events.is_empty() {
                report.negatives_with_false_event += 1;
            }
        }
        // Event matching, greedy in gold order, one predicted event per gold event.
        report.gold_events += doc.events.len();
        let mut used = vec![false; events.len()];
        for g in &doc.events {
            let found = events.iter().enumerate().find(|(i, p)| {
                !used[*i]
                    && p.kind == g.kind
                    && p.tickers
                        .iter()
                        .any(|t| g.tickers.iter().any(|x| x.eq_ignore_ascii_case(t.as_str())))
                    && dates_compatible(p.date.map(|d| d.to_string()).as_deref(), g.date.as_deref())
            });
            let Some((i, p)) = found else { continue };
            used[i] = true;
            report.matched_events += 1;
            let ticker = g.tickers.first().cloned().unwrap_or_default();
            let mut check =
                |field: &'static str, acc: &mut Accuracy, gold: String, pred: String| {
                    acc.total += 1;
                    if gold == pred {
                        acc.correct += 1;
                    } else {
                        report.mismatches.push(Mismatch {
                            doc: doc.id.clone(),
                            kind: g.kind,
                            ticker: ticker.clone(),
                            field,
                            gold,
                            predicted: pred,
                        });
                    }
                };
            let show = |v: Option<String>| v.unwrap_or_else(|| "null".to_string());
            check(
                "amount_usd",
                &mut report.amount,
                show(g.amount_usd.map(|v| v.to_string())),
                show(p.amount_usd.map(|v| v.to_string())),
            );
            check(
                "date",
                &mut report.date,
                show(g.date.clone()),
                show(p.date.map(|d| d.to_string())),
            );
            check(
                "status",
                &mut report.status,
                show(g.status.clone()),
                show(p.status.map(|s| s.to_string())),
            );
        }
    }
    report.events = Counts {
        tp: report.matched_events,
        fp: predicted_total.saturating_sub(report.matched_events),
        fn_: report.gold_events.saturating_sub(report.matched_events),
    };
    for c in per_kind.values() {
        report.overall.tp += c.tp;
        report.overall.fp += c.fp;
        report.overall.fn_ += c.fn_;
    }
    report.per_kind = per_kind;
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Action, Confidence, Currency, EventDate, Money, Status, Ticker};
    use crate::extract::{CompanyRef, Evidence, Role};

    fn ev(kind: Kind, tickers: &[&str], date: Option<&str>, amount: Option<i64>) -> Event {
        Event {
            kind,
            action: Action::Filed,
            status: Some(Status::Filed),
            tickers: tickers.iter().map(|t| Ticker::parse(t).unwrap()).collect(),
            companies: tickers
                .iter()
                .map(|t| CompanyRef {
                    ticker: Ticker::parse(t).unwrap(),
                    name: t.to_string(),
                    role: Role::Defendant,
                })
                .collect(),
            parties: vec![],
            authority: None,
            jurisdiction: None,
            money: amount.map(|a| Money::new(a as f64, Currency::USD).unwrap()),
            amount_usd: amount,
            date: date.and_then(|d| EventDate::parse(d, None)),
            confidence: Confidence::new(0.9),
            summary: String::new(),
            evidence: vec![Evidence {
                start: 0,
                end: 1,
                text: "x".into(),
                rule: "t".into(),
            }],
        }
    }

    const GOLD: &str = r#"{"id":"a","text":"t","events":[{"type":"lawsuit","tickers":["JPM"],"date":"2026-01-23","amount_usd":5000000000,"status":"filed"},{"type":"service_halt","tickers":["GM"],"date":"2026-01"}]}
{"id":"b","text":"t","events":[]}
{"id":"c","text":"t","events":[]}"#;

    #[test]
    fn pairs_are_scored_per_document_and_kind() {
        let gold = parse_gold(GOLD).unwrap();
        let pred = vec![
            (
                "a".to_string(),
                vec![
                    ev(
                        Kind::Lawsuit,
                        &["JPM"],
                        Some("2026-01-23"),
                        Some(5_000_000_000),
                    ),
                    ev(Kind::Lawsuit, &["JPM"], None, None),
                    ev(Kind::RegulatoryAction, &["GM"], None, None),
                ],
            ),
            (
                "b".to_string(),
                vec![ev(Kind::Lawsuit, &["TSLA"], None, None)],
            ),
            ("c".to_string(), vec![]),
        ];
        let r = score(&gold, &pred);
        assert_eq!(
            r.per_kind[&Kind::Lawsuit],
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            r.per_kind[&Kind::ServiceHalt],
            Counts {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            r.per_kind[&Kind::RegulatoryAction],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(
            r.overall,
            Counts {
                tp: 1,
                fp: 2,
                fn_: 1
            }
        );
        assert_eq!((r.negative_documents, r.negatives_with_false_event), (2, 1));
        assert_eq!(r.misses.len(), 1);
        assert_eq!(r.false_events.len(), 2);
        assert_eq!(r.matched_events, 1);
        assert_eq!(
            r.amount,
            Accuracy {
                correct: 1,
                total: 1
            }
        );
        assert_eq!(
            r.status,
            Accuracy {
                correct: 1,
                total: 1
            }
        );
    }

    #[test]
    fn dates_match_at_the_coarser_precision() {
        assert!(dates_compatible(Some("2024-03"), Some("2024-03-14")));
        assert!(!dates_compatible(Some("2024-02"), Some("2024-03-14")));
        assert!(dates_compatible(Some("2024"), Some("2024-03-14")));
        assert!(dates_compatible(None, Some("2024-03-14")));
    }

    #[test]
    fn a_bad_gold_line_is_named() {
        let err = parse_gold("{\"id\":\"a\",\"text\":\"t\"}\nnot json\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 2"), "{err}");
    }
}
