//! The fixture cases of `fixtures/extract/cases.jsonl`: short texts written for this test,
//! each with the events it must give (and nothing else). A failure prints every case that
//! differs, with the expected and the extracted events side by side.

use riskline::extract::{Event, Extractor, Format};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    text: String,
    published_at: Option<chrono::NaiveDate>,
    expect: Vec<Expect>,
}

#[derive(Debug, Deserialize)]
struct Expect {
    kind: String,
    tickers: Vec<String>,
    action: Option<String>,
    status: Option<String>,
    /// Present and null means "must be null".
    #[serde(default, deserialize_with = "some_null")]
    amount_usd: Option<Option<i64>>,
    currency: Option<String>,
    occurred_on: Option<String>,
    /// The role every listed company must have.
    role: Option<String>,
    /// Roles per ticker.
    role_of: Option<std::collections::BTreeMap<String, String>>,
    authority_contains: Option<String>,
    min_evidence: Option<usize>,
}

fn some_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Ok(Some(Option::<i64>::deserialize(d)?))
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

/// Why an extracted event does not satisfy an expectation, or None when it does.
fn mismatch(e: &Expect, ev: &Event) -> Option<String> {
    if ev.kind.as_str() != e.kind {
        return Some(format!("kind {} != {}", ev.kind, e.kind));
    }
    let tickers: Vec<String> = ev.tickers.iter().map(|t| t.to_string()).collect();
    if sorted(&tickers) != sorted(&e.tickers) {
        return Some(format!("tickers {:?} != {:?}", ev.tickers, e.tickers));
    }
    if let Some(a) = &e.action {
        if ev.action.as_str() != a {
            return Some(format!("action {} != {a}", ev.action));
        }
    }
    if let Some(s) = &e.status {
        if ev.status.map(|x| x.as_str()) != Some(s.as_str()) {
            return Some(format!("status {:?} != {s}", ev.status));
        }
    }
    if let Some(a) = &e.amount_usd {
        if &ev.amount_usd != a {
            return Some(format!("amount_usd {:?} != {a:?}", ev.amount_usd));
        }
    }
    if let Some(c) = &e.currency {
        let currency = ev.money.map(|m| m.currency().to_string());
        if currency.as_deref() != Some(c.as_str()) {
            return Some(format!("currency {currency:?} != {c}"));
        }
    }
    if let Some(d) = &e.occurred_on {
        let on = ev.date.map(|x| x.to_string());
        if on.as_deref() != Some(d.as_str()) {
            return Some(format!("occurred_on {on:?} != {d}"));
        }
    }
    if let Some(r) = &e.role {
        if let Some(c) = ev.companies.iter().find(|c| c.role.as_str() != r) {
            return Some(format!("role of {} is {} not {r}", c.ticker, c.role));
        }
    }
    if let Some(map) = &e.role_of {
        for (t, r) in map {
            let got = ev
                .companies
                .iter()
                .find(|c| c.ticker.as_str() == t)
                .map(|c| c.role.as_str());
            if got != Some(r.as_str()) {
                return Some(format!("role of {t} is {got:?} not {r}"));
            }
        }
    }
    if let Some(a) = &e.authority_contains {
        if !ev
            .authority
            .as_deref()
            .is_some_and(|x| x.contains(a.as_str()))
        {
            return Some(format!("authority {:?} does not contain {a}", ev.authority));
        }
    }
    if let Some(n) = e.min_evidence {
        if ev.evidence.len() < n {
            return Some(format!(
                "{} evidence spans, expected at least {n}",
                ev.evidence.len()
            ));
        }
    }
    None
}

fn show(ev: &Event) -> String {
    format!(
        "{} {:?} action={} status={:?} amount_usd={:?} {:?} on={:?} roles={:?} authority={:?} evidence={}",
        ev.kind,
        ev.tickers,
        ev.action,
        ev.status,
        ev.amount_usd,
        ev.money,
        ev.date,
        ev.companies.iter().map(|c| format!("{}:{}", c.ticker, c.role)).collect::<Vec<_>>(),
        ev.authority,
        ev.evidence.len()
    )
}

#[test]
fn fixture_cases_give_exactly_their_expected_events() {
    let content = include_str!("../fixtures/extract/cases.jsonl");
    let ex = Extractor::builtin();
    let mut failures = Vec::new();
    let mut count = 0;
    for (i, line) in content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Case = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("cases.jsonl line {}: {e}", i + 1));
        count += 1;
        let out = ex.extract(&case.text, Format::Text, case.published_at);
        // Evidence spans point into the text.
        for ev in &out.events {
            for s in &ev.evidence {
                assert_eq!(
                    &out.document.text[s.start..s.end],
                    s.text,
                    "{}: evidence offsets",
                    case.id
                );
            }
        }
        let mut used = vec![false; out.events.len()];
        let mut problems = Vec::new();
        for e in &case.expect {
            let hit = out
                .events
                .iter()
                .enumerate()
                .find(|(j, ev)| !used[*j] && mismatch(e, ev).is_none());
            match hit {
                Some((j, _)) => used[j] = true,
                None => {
                    let why: Vec<String> =
                        out.events.iter().filter_map(|ev| mismatch(e, ev)).collect();
                    problems.push(format!(
                        "  missing {} {:?}: {}",
                        e.kind,
                        e.tickers,
                        why.join("; ")
                    ));
                }
            }
        }
        for (j, ev) in out.events.iter().enumerate() {
            if !used[j] {
                problems.push(format!("  unexpected: {}", show(ev)));
            }
        }
        if !problems.is_empty() {
            let got: Vec<String> = out
                .events
                .iter()
                .map(|e| format!("    {}", show(e)))
                .collect();
            failures.push(format!(
                "case {}: {}\n{}\n  extracted:\n{}",
                case.id,
                case.text,
                problems.join("\n"),
                got.join("\n")
            ));
        }
    }
    assert!(count >= 30, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
