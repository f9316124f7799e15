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
//! - **Causes**: every miss, false event and field mismatch is put down to one cause
//!   ([`Cause`]) and counted by cause, so that work goes where the errors are.
//! - **Several files**: [`Report::add`] sums reports of several gold files.
//! - **Ends of stories**: the labels never hold a ban lifted, a service resumed or an
//!   inquiry closed (their convention: a resumption is no halt), so predicted steps with
//!   such an action ([`crate::domain::Action::is_ending`]) are left out of every figure.
//!
//! ```
//! use riskline::eval::{parse_gold, score};
//! let gold = parse_gold(r#"{"id":"a","text":"x","events":[{"type":"lawsuit","tickers":["JPM"]}]}"#).unwrap();
//! let report = score(&gold, &[("a".to_string(), vec![])]);
//! assert_eq!(report.overall.recall(), 0.0);
//! ```

pub mod page;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::domain::EventDate;
use crate::extract::{Event, Kind};

/// A labelled document.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    /// The record's id, unique within the file (`id`).
    pub id: String,
    /// The document's source kind as labelled (`kind`: `news`, `filing`, `press_release`, `court`); not scored.
    #[serde(default)]
    pub kind: Option<String>,
    /// Where the text came from (`source`: an address or a path); a filing's
    /// address can name its filer.
    #[serde(default)]
    pub source: Option<String>,
    /// Publication date given to the extractor (`published_at`), at any precision; `None` when unlabelled.
    #[serde(default)]
    pub published_at: Option<crate::extract::dates::Published>,
    /// The document's text (`text`), fed to the extractor as is.
    pub text: String,
    /// The events the document reports (`events`); empty for a negative document.
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    /// The labeller's free-text remarks (`notes`); not scored.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A labelled event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    /// Kind of event (`type`: `lawsuit`, `regulatory_action`, `service_halt`).
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Tickers of the companies the event is about (`tickers`), any case.
    #[serde(default)]
    pub tickers: Vec<String>,
    /// Date as `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (`date`); `None` when the document gives none.
    #[serde(default)]
    pub date: Option<String>,
    /// The amount in whole US dollars (`amount_usd`); `None` when none is stated.
    #[serde(default)]
    pub amount_usd: Option<i64>,
    /// Status word such as `filed`, `settled`, `announced` (`status`); `None` when unlabelled.
    #[serde(default)]
    pub status: Option<String>,
    /// A quote of the passage that reports the event (`evidence`), shown for misses.
    #[serde(default)]
    pub evidence: Option<String>,
}

/// A gold file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// Occurs when a line is not a valid gold record; `line` is 1-based.
    #[error("line {line}: {message}")]
    Line {
        /// Number of the line in the file, from 1.
        line: usize,
        /// What is wrong with it (serde's message).
        message: String,
    },
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
    /// True positives: predicted and in the gold labels.
    pub tp: usize,
    /// False positives: predicted but not in the gold labels.
    pub fp: usize,
    /// False negatives: in the gold labels but not predicted (`fn` in JSON).
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    /// `tp / (tp + fp)`; 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// `tp / (tp + fn)`; 0 when the gold labels have nothing.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall; 0 when both are 0.
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
    /// Comparisons that agreed.
    pub correct: usize,
    /// Comparisons made.
    pub total: usize,
}

impl Accuracy {
    /// `correct / total`; 0 when nothing was compared.
    pub fn value(&self) -> f64 {
        ratio(self.correct, self.total)
    }
}

/// Why a pair was missed or predicted falsely, or why a matched event's field differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A gold event with no predicted event of its kind in the document.
    MissedTrigger,
    /// The event was found, but linked to other companies (a miss or a false pair).
    WrongTicker,
    /// The company was found with an event of another kind.
    WrongKind,
    /// An event in a document that reports none.
    FalseEventInNegative,
    /// An event the labels do not have, in a document that reports others.
    ExtraEvent,
    /// The date agrees at a coarser precision only (`2026-03` for `2026-03-09`).
    DatePrecision,
    /// The date is another one.
    DateValue,
    /// A matched event's `amount_usd` differs from the gold one.
    AmountWrong,
    /// A matched event's status differs from the gold one.
    StatusWrong,
}

impl Cause {
    /// Every cause, in the order they are reported.
    pub const ALL: [Cause; 9] = [
        Cause::MissedTrigger,
        Cause::WrongTicker,
        Cause::WrongKind,
        Cause::FalseEventInNegative,
        Cause::ExtraEvent,
        Cause::DatePrecision,
        Cause::DateValue,
        Cause::AmountWrong,
        Cause::StatusWrong,
    ];

    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            Cause::MissedTrigger => "missed trigger (no event of the kind)",
            Cause::WrongTicker => "wrong ticker (event found, other company)",
            Cause::WrongKind => "wrong kind (company found, other kind)",
            Cause::FalseEventInNegative => "false event in a negative document",
            Cause::ExtraEvent => "extra event in a positive document",
            Cause::DatePrecision => "date off by precision",
            Cause::DateValue => "date off by value",
            Cause::AmountWrong => "amount wrong",
            Cause::StatusWrong => "status wrong",
        }
    }
}

/// A missed or false (document, kind, ticker) pair, with its cause and a snippet to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Id of the gold document.
    pub doc: String,
    /// Kind of the pair.
    pub kind: Kind,
    /// Ticker of the pair: as labelled for a miss, upper case for a false event.
    pub ticker: String,
    /// Why it was missed or predicted.
    pub cause: Cause,
    /// The gold evidence of a miss or the predicted evidence of a false event, whitespace collapsed, at most 160 characters.
    pub snippet: String,
}

/// A matched event whose amount, date or status differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// Id of the gold document.
    pub doc: String,
    /// Kind of the gold event.
    pub kind: Kind,
    /// The gold event's first ticker.
    pub ticker: String,
    /// The field compared: `amount_usd`, `date` or `status`.
    pub field: &'static str,
    /// Which kind of difference it is.
    pub cause: Cause,
    /// The gold value, `null` when unlabelled.
    pub gold: String,
    /// The predicted value, `null` when the extractor gave none.
    pub predicted: String,
}

/// The figures of one evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Documents scored.
    pub documents: usize,
    /// Pair counts per event kind.
    pub per_kind: BTreeMap<Kind, Counts>,
    /// Pair counts over every kind.
    pub overall: Counts,
    /// Documents without gold events.
    pub negative_documents: usize,
    /// Negative documents with at least one predicted event.
    pub negatives_with_false_event: usize,
    /// Gold events in all documents.
    pub gold_events: usize,
    /// Gold events matched to a predicted event.
    pub matched_events: usize,
    /// Event-level counts: a predicted event matches one gold event of the same kind that
    /// shares a ticker and has a compatible date (greedy, one to one); unmatched predicted
    /// events are false positives, unmatched gold events false negatives.
    pub events: Counts,
    /// Agreement on `amount_usd` over matched events.
    pub amount: Accuracy,
    /// Agreement on the date over matched events (exact, precision included).
    pub date: Accuracy,
    /// Agreement on the status over matched events.
    pub status: Accuracy,
    /// Gold pairs that were not predicted, with their causes.
    pub misses: Vec<Issue>,
    /// Predicted pairs that are not in the gold labels, with their causes.
    pub false_events: Vec<Issue>,
    /// Field differences of matched events.
    pub mismatches: Vec<Mismatch>,
}

impl Report {
    /// An empty report, to sum others into.
    pub fn empty() -> Report {
        Report {
            documents: 0,
            per_kind: Kind::ALL.iter().map(|k| (*k, Counts::default())).collect(),
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
        }
    }

    /// Adds the figures and lists of another report (of another gold file).
    pub fn add(&mut self, other: &Report) {
        fn sum(a: &mut Counts, b: &Counts) {
            a.tp += b.tp;
            a.fp += b.fp;
            a.fn_ += b.fn_;
        }
        fn sum_acc(a: &mut Accuracy, b: &Accuracy) {
            a.correct += b.correct;
            a.total += b.total;
        }
        self.documents += other.documents;
        for (k, c) in &other.per_kind {
            sum(self.per_kind.entry(*k).or_default(), c);
        }
        sum(&mut self.overall, &other.overall);
        self.negative_documents += other.negative_documents;
        self.negatives_with_false_event += other.negatives_with_false_event;
        self.gold_events += other.gold_events;
        self.matched_events += other.matched_events;
        sum(&mut self.events, &other.events);
        sum_acc(&mut self.amount, &other.amount);
        sum_acc(&mut self.date, &other.date);
        sum_acc(&mut self.status, &other.status);
        self.misses.extend(other.misses.iter().cloned());
        self.false_events.extend(other.false_events.iter().cloned());
        self.mismatches.extend(other.mismatches.iter().cloned());
    }

    /// How many errors each cause explains, in the order of [`Cause::ALL`]; causes
    /// without errors are left out.
    pub fn by_cause(&self) -> Vec<(Cause, usize)> {
        let causes = self
            .misses
            .iter()
            .chain(&self.false_events)
            .map(|i| i.cause)
            .chain(self.mismatches.iter().map(|m| m.cause));
        let mut counts: BTreeMap<Cause, usize> = BTreeMap::new();
        for c in causes {
            *counts.entry(c).or_default() += 1;
        }
        Cause::ALL
            .iter()
            .filter_map(|c| counts.get(c).map(|n| (*c, *n)))
            .collect()
    }

    /// Share of negative documents with at least one predicted event.
    pub fn negative_false_rate(&self) -> f64 {
        ratio(self.negatives_with_false_event, self.negative_documents)
    }
}

/// Two dates are compatible when equal at the coarser precision; unknown (or
/// unreadable) is compatible.
pub fn dates_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    let read = |d: Option<&str>| d.and_then(|d| EventDate::parse(d, None));
    let (Some(a), Some(b)) = (read(a), read(b)) else {
        return true;
    };
    let coarser = if a.precision.rank() <= b.precision.rank() {
        a
    } else {
        b
    };
    let p = coarser.precision;
    EventDate::new(a.date, p) == EventDate::new(b.date, p)
}

/// Whether a predicted date differs from the gold one only in precision.
fn date_cause(gold: &str, predicted: &str) -> Cause {
    if gold != "null" && predicted != "null" && dates_compatible(Some(gold), Some(predicted)) {
        Cause::DatePrecision
    } else {
        Cause::DateValue
    }
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
    let mut report = Report::empty();
    report.documents = gold.len();
    let mut predicted_total = 0;
    for doc in gold {
        let all = pred.get(doc.id.as_str()).copied().unwrap_or(&empty);
        // The labels hold no ends of stories (a ban lifted, a service resumed, an
        // inquiry closed): such steps are neither found nor false here.
        let scored: Vec<Event> = all
            .iter()
            .filter(|e| !e.action.is_ending())
            .cloned()
            .collect();
        let events = &scored;
        predicted_total += events.len();
        score_pairs(doc, events, &mut report);
        if doc.events.is_empty() {
            report.negative_documents += 1;
            if !events.is_empty() {
                report.negatives_with_false_event += 1;
            }
        }
        match_events(doc, events, &mut report);
    }
    report.events = Counts {
        tp: report.matched_events,
        fp: predicted_total.saturating_sub(report.matched_events),
        fn_: report.gold_events.saturating_sub(report.matched_events),
    };
    let mut overall = Counts::default();
    for c in report.per_kind.values() {
        overall.tp += c.tp;
        overall.fp += c.fp;
        overall.fn_ += c.fn_;
    }
    report.overall = overall;
    report
}

/// The document's `(kind, ticker)` pairs of gold and predicted events: counts per kind,
/// and every miss and false pair with its cause.
fn score_pairs(doc: &GoldDoc, events: &[Event], report: &mut Report) {
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
    for pair in gold_pairs.union(&pred_pairs) {
        let (kind, t) = pair;
        let c = report.per_kind.entry(*kind).or_default();
        match (gold_pairs.contains(pair), pred_pairs.contains(pair)) {
            (true, true) => c.tp += 1,
            (false, true) => {
                c.fp += 1;
                let ev = events
                    .iter()
                    .find(|e| e.kind == *kind && e.tickers.iter().any(|x| x == t.as_str()));
                let cause = if doc.events.is_empty() {
                    Cause::FalseEventInNegative
                } else if gold_pairs.iter().any(|(k, x)| k != kind && x == t) {
                    Cause::WrongKind
                } else if gold_pairs.iter().any(|(k, _)| k == kind) {
                    Cause::WrongTicker
                } else {
                    Cause::ExtraEvent
                };
                report.false_events.push(Issue {
                    doc: doc.id.clone(),
                    kind: *kind,
                    ticker: t.clone(),
                    cause,
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
                let cause = if pred_pairs.iter().any(|(k, x)| k != kind && x == t) {
                    Cause::WrongKind
                } else if pred_pairs.iter().any(|(k, _)| k == kind) {
                    Cause::WrongTicker
                } else {
                    Cause::MissedTrigger
                };
                report.misses.push(Issue {
                    doc: doc.id.clone(),
                    kind: *kind,
                    ticker: t.clone(),
                    cause,
                    snippet: snippet(ev.and_then(|e| e.evidence.as_deref()).unwrap_or("")),
                });
            }
            (false, false) => {}
        }
    }
}

/// Event matching, one predicted event per gold event, in three greedy passes so that
/// the closest pairs are made first: the same date (or both unknown), then dates
/// compatible at a coarser precision, then an unknown date against a known one. On each
/// matched pair, amount, date and status are compared.
fn match_events(doc: &GoldDoc, events: &[Event], report: &mut Report) {
    report.gold_events += doc.events.len();
    let mut used = vec![false; events.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut gold_used = vec![false; doc.events.len()];
    for pass in 0..3 {
        for (gi, g) in doc.events.iter().enumerate() {
            if gold_used[gi] {
                continue;
            }
            let found = events.iter().enumerate().find(|(i, p)| {
                let pd = p.date.map(|d| d.to_string());
                let fits = match pass {
                    0 => pd.as_deref() == g.date.as_deref(),
                    1 => pd.is_some() && g.date.is_some(),
                    _ => true,
                };
                !used[*i]
                    && p.kind == g.kind
                    && p.tickers
                        .iter()
                        .any(|t| g.tickers.iter().any(|x| x.eq_ignore_ascii_case(t.as_str())))
                    && fits
                    && dates_compatible(pd.as_deref(), g.date.as_deref())
            });
            if let Some((i, _)) = found {
                used[i] = true;
                gold_used[gi] = true;
                pairs.push((gi, i));
            }
        }
    }
    pairs.sort_unstable();
    for (gi, i) in pairs {
        let (g, p) = (&doc.events[gi], &events[i]);
        report.matched_events += 1;
        let show = |v: Option<String>| v.unwrap_or_else(|| "null".to_string());
        let fields = [
            (
                "amount_usd",
                show(g.amount_usd.map(|v| v.to_string())),
                show(p.amount_usd.map(|v| v.to_string())),
            ),
            (
                "date",
                show(g.date.clone()),
                show(p.date.map(|d| d.to_string())),
            ),
            (
                "status",
                show(g.status.clone()),
                show(p.status.map(|s| s.to_string())),
            ),
        ];
        for (field, gold, pred) in fields {
            let acc = match field {
                "amount_usd" => &mut report.amount,
                "date" => &mut report.date,
                _ => &mut report.status,
            };
            acc.total += 1;
            if gold == pred {
                acc.correct += 1;
                continue;
            }
            let cause = match field {
                "date" => date_cause(&gold, &pred),
                "amount_usd" => Cause::AmountWrong,
                _ => Cause::StatusWrong,
            };
            report.mismatches.push(Mismatch {
                doc: doc.id.clone(),
                kind: g.kind,
                ticker: g.tickers.first().cloned().unwrap_or_default(),
                field,
                cause,
                gold,
                predicted: pred,
            });
        }
    }
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
    fn every_error_is_put_down_to_one_cause_and_reports_add_up() {
        let gold = parse_gold(
            r#"{"id":"k","text":"t","events":[{"type":"lawsuit","tickers":["AAA"],"date":"2026-03-09"}]}
{"id":"t","text":"t","events":[{"type":"service_halt","tickers":["BBB"]}]}
{"id":"m","text":"t","events":[{"type":"lawsuit","tickers":["CCC"]}]}
{"id":"n","text":"t","events":[]}"#,
        )
        .unwrap();
        let pred = vec![
            (
                "k".to_string(),
                vec![
                    ev(Kind::RegulatoryAction, &["AAA"], None, None),
                    ev(Kind::Lawsuit, &["AAA"], Some("2026-03"), None),
                ],
            ),
            (
                "t".to_string(),
                vec![ev(Kind::ServiceHalt, &["DDD"], None, None)],
            ),
            (
                "n".to_string(),
                vec![ev(Kind::Lawsuit, &["EEE"], None, None)],
            ),
        ];
        let r = score(&gold, &pred);
        let causes: Vec<(String, Cause)> = r
            .misses
            .iter()
            .chain(&r.false_events)
            .map(|i| (format!("{} {}", i.doc, i.ticker), i.cause))
            .collect();
        assert!(
            causes.contains(&("k AAA".into(), Cause::WrongKind)),
            "{causes:?}"
        );
        assert!(
            causes.contains(&("t BBB".into(), Cause::WrongTicker)),
            "{causes:?}"
        );
        assert!(
            causes.contains(&("t DDD".into(), Cause::WrongTicker)),
            "{causes:?}"
        );
        assert!(
            causes.contains(&("m CCC".into(), Cause::MissedTrigger)),
            "{causes:?}"
        );
        assert!(
            causes.contains(&("n EEE".into(), Cause::FalseEventInNegative)),
            "{causes:?}"
        );
        assert_eq!(
            r.mismatches
                .iter()
                .find(|m| m.field == "date")
                .map(|m| m.cause),
            Some(Cause::DatePrecision)
        );
        let mut total = Report::empty();
        total.add(&r);
        total.add(&r);
        assert_eq!(total.documents, 8);
        assert_eq!(total.overall.fn_, 2 * r.overall.fn_);
        let by_cause = total.by_cause();
        assert!(by_cause.contains(&(Cause::WrongTicker, 4)), "{by_cause:?}");
    }

    #[test]
    fn events_pair_with_the_gold_event_of_the_same_date_first() {
        let gold = parse_gold(concat!(
            r#"{"id": "m", "text": "t", "events": ["#,
            r#"{"type": "lawsuit", "tickers": ["JNJ"], "date": null},"#,
            r#"{"type": "lawsuit", "tickers": ["JNJ"], "date": "2021-06"}]}"#,
        ))
        .unwrap();
        let pred = vec![(
            "m".to_string(),
            vec![
                ev(Kind::Lawsuit, &["JNJ"], Some("2021-06-01"), None),
                ev(Kind::Lawsuit, &["JNJ"], None, None),
            ],
        )];
        let r = score(&gold, &pred);
        assert_eq!(r.matched_events, 2);
        // 2021-06-01 against 2021-06 is right at the coarser precision only: the
        // unknown pairs with the unknown, the June date with June.
        let dates: Vec<(&str, &str)> = r
            .mismatches
            .iter()
            .filter(|m| m.field == "date")
            .map(|m| (m.gold.as_str(), m.predicted.as_str()))
            .collect();
        assert_eq!(dates, vec![("2021-06", "2021-06-01")]);
    }

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
