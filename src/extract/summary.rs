//! The one-line summary of an event ("Acme sued Globex seeking $5 million", "The SEC
//! fined Acme ($2 million)"), with a short reason ("over alleged de-banking") or what a
//! halt stops ("driverless car services").

use super::args::Ctx;
use super::types::{Event, Kind, Role};
use crate::domain::Money;
use crate::extract::span;

/// The reason phrase of a lawsuit or the object of a halt, from the evidence sentence.
pub fn reason(cx: &Ctx<'_>, kind: Kind, evidence_text: &str) -> Option<String> {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    match kind {
        Kind::Lawsuit => reason_phrase(evidence_text),
        Kind::ServiceHalt => seg
            .tokens
            .get(trig.tok_end.saturating_sub(1))
            .and_then(|t| seg.text.get(t.end..sent.end))
            .and_then(halted_object),
        Kind::RegulatoryAction => None,
    }
}

/// What a halt stops, from the words after the trigger up to the end of the clause:
/// "halt its driverless car services nationwide after ..." -> "driverless car services
/// nationwide". `None` when nothing that reads like an object follows.
fn halted_object(rest: &str) -> Option<String> {
    const STOPS: &[&str] = &[
        "after",
        "following",
        "amid",
        "because",
        "as",
        "while",
        "until",
        "due",
        "citing",
        "in",
        "on",
        "for",
        "since",
        "when",
        "which",
        "that",
        "and",
        "but",
        "over",
        "to",
        "said",
        "says",
        "from",
        "with",
        "at",
        "by",
        "this",
        "last",
        "next",
        "earlier",
    ];
    const SKIP: &[&str] = &["its", "their", "the", "all", "of", "operations", "down"];
    let clause = rest.split([',', ';', '.', '(', ':', '\n']).next()?;
    let mut words: Vec<&str> = Vec::new();
    for w in clause.split_whitespace() {
        let low = w.to_ascii_lowercase();
        let keep_in = low == "in" && words.is_empty();
        if (STOPS.contains(&low.as_str()) && !keep_in) || words.len() >= 8 {
            break;
        }
        if words.is_empty() && SKIP.contains(&low.as_str()) {
            continue;
        }
        words.push(w);
    }
    if words.first().is_some_and(|w| w.eq_ignore_ascii_case("in")) {
        return None;
    }
    let phrase = words.join(" ");
    // A pronoun says nothing on its own, and a number cut at its thousands comma misleads.
    let pronoun = matches!(
        phrase.to_ascii_lowercase().as_str(),
        "them" | "it" | "this" | "those" | "these"
    );
    let cut_number = phrase.ends_with(|c: char| c.is_ascii_digit());
    (!pronoun && !cut_number && phrase.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .then_some(phrase)
}

/// A short reason phrase from the evidence: "over alleged de-banking".
fn reason_phrase(text: &str) -> Option<String> {
    let low = text.to_ascii_lowercase();
    for cue in [
        "alleging ",
        "accusing ",
        " over ",
        "for allegedly ",
        "claiming ",
    ] {
        if let Some(i) = low.find(cue) {
            let start = i + cue.len();
            let rest = span::from(text, start);
            let end = rest
                .find([',', ';', '.', '('])
                .unwrap_or(rest.len())
                .min(90);
            let mut end = end;
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            let phrase: String = span::upto(rest, end)
                .chars()
                .filter(|c| !matches!(c, '“' | '”' | '"'))
                .collect();
            let phrase = phrase.trim();
            if phrase.split_whitespace().count() >= 1 {
                let words: Vec<&str> = phrase.split_whitespace().take(10).collect();
                let p = words.join(" ");
                return Some(if cue.trim() == "over" {
                    format!("over {p}")
                } else if cue.starts_with("alleg") {
                    format!(
                        "over alleged {}",
                        p.trim_start_matches("discriminatory ")
                            .trim_end_matches(" practices")
                    )
                } else {
                    format!("{}{p}", cue.trim_start())
                });
            }
        }
    }
    None
}

/// "A", "A and B", "A, B and C".
fn join_names(names: &[String]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        2 => format!("{} and {}", names[0], names[1]),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// "$5 million", "€1.2 billion", "300 JPY".
fn money_text(money: Option<Money>) -> Option<String> {
    let money = money?;
    let v = money.amount();
    let sym = match money.currency().as_str() {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        other => return Some(format!("{v:.0} {other}")),
    };
    Some(if v >= 1e9 {
        format!("{sym}{} billion", trim_num(v / 1e9))
    } else if v >= 1e6 {
        format!("{sym}{} million", trim_num(v / 1e6))
    } else {
        format!("{sym}{}", trim_num(v))
    })
}

/// A number with at most two decimals, trailing zeros dropped.
fn trim_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The summary of an event; `amount_qualifier` goes before its amount ("at least").
pub fn summary(ev: &Event, amount_qualifier: &str, reason: Option<&str>) -> String {
    let targets: Vec<String> = ev
        .companies
        .iter()
        .filter(|c| c.role != Role::Plaintiff)
        .map(|c| c.name.clone())
        .collect();
    let plaintiffs: Vec<String> = ev
        .companies
        .iter()
        .filter(|c| c.role == Role::Plaintiff)
        .map(|c| c.name.clone())
        .chain(
            ev.parties
                .iter()
                .filter(|p| p.role == Role::Plaintiff)
                .map(|p| p.name.clone()),
        )
        .collect();
    let targets = if targets.is_empty() {
        "a company".to_string()
    } else {
        join_names(&targets)
    };
    let money = money_text(ev.money).map(|m| {
        if amount_qualifier.is_empty() {
            m
        } else {
            format!("{amount_qualifier} {m}")
        }
    });
    let auth = ev.authority.clone();
    let mut s = match (ev.kind, ev.action.as_str()) {
        (Kind::Lawsuit, "filed") => {
            let who = if plaintiffs.is_empty() {
                auth.clone().unwrap_or_else(|| "Plaintiffs".into())
            } else {
                join_names(&plaintiffs)
            };
            let mut s = format!("{who} sued {targets}");
            if let Some(m) = &money {
                s.push_str(&format!(" seeking {m}"));
            }
            s
        }
        (Kind::Lawsuit, "appealed") => format!("Appeal filed in a case involving {targets}"),
        (Kind::Lawsuit, "reversed") => format!(
            "{} reversed a ruling in a case involving {targets}",
            auth.clone().unwrap_or_else(|| "A court".into())
        ),
        (Kind::Lawsuit, "dismissed") => format!(
            "{} dismissed a case against {targets}",
            auth.clone().unwrap_or_else(|| "A court".into())
        ),
        (Kind::Lawsuit, "settled") => {
            let mut s = format!("{targets} settled a lawsuit");
            if !plaintiffs.is_empty() {
                s.push_str(&format!(" by {}", join_names(&plaintiffs)));
            }
            if let Some(m) = &money {
                s.push_str(&format!(" for {m}"));
            }
            s
        }
        (Kind::Lawsuit, _) => {
            let mut s = format!(
                "{} ruled in a case against {targets}",
                auth.clone().unwrap_or_else(|| "A court".into())
            );
            if let Some(m) = &money {
                s.push_str(&format!(" ({m})"));
            }
            s
        }
        (Kind::RegulatoryAction, action) => {
            let who = auth.clone().unwrap_or_else(|| "A regulator".into());
            let verb = match action {
                "fine" => "fined",
                "ban" => "imposed a ban on",
                "suspension" => "suspended permits of",
                "revocation" => "revoked a license of",
                "order" | "consent order" => "issued an order against",
                "investigation" => "opened an investigation into",
                "lifted" => "lifted a restriction on",
                "closed" => "closed an investigation into",
                "recall" => "",
                _ => "took action against",
            };
            let mut s = if action == "recall" {
                format!("{targets} recall")
            } else {
                format!("{who} {verb} {targets}")
            };
            if let Some(m) = &money {
                s.push_str(&format!(" ({m})"));
            }
            s
        }
        (Kind::ServiceHalt, action) => {
            let (verb, object) = match action {
                "outage" => ("had an outage of", "its service"),
                "shutdown" => ("shut down", "a service"),
                "exit" => ("exited", "a market"),
                "suspension" => ("suspended", "a service"),
                "resumption" => ("resumed", "a service"),
                _ => ("halted", "a service"),
            };
            let object = reason.filter(|_| action != "outage").unwrap_or(object);
            return format!("{targets} {verb} {object}");
        }
    };
    if let Some(r) = reason {
        s.push(' ');
        s.push_str(r);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halted_objects_stop_at_the_clause() {
        assert_eq!(
            halted_object(" its ferry services between the islands after a storm"),
            Some("ferry services between the islands".into())
        );
        assert_eq!(halted_object(" them after the fire"), None);
    }

    #[test]
    fn reasons_are_short() {
        assert_eq!(
            reason_phrase("Globex sued Acme over unpaid royalties, the filing said."),
            Some("over unpaid royalties".into())
        );
        assert_eq!(
            reason_phrase("Regulators sued Acme, alleging discriminatory lending practices."),
            Some("over alleged lending".into())
        );
        assert_eq!(reason_phrase("Acme was sued."), None);
    }

    #[test]
    fn money_reads_naturally() {
        let money = |v: f64, c: &str| Money::new(v, crate::domain::Currency::parse(c).ok()?).ok();
        assert_eq!(money_text(money(2.5e9, "EUR")), Some("€2.5 billion".into()));
        assert_eq!(money_text(money(3e6, "USD")), Some("$3 million".into()));
        assert_eq!(money_text(money(750.0, "USD")), Some("$750".into()));
        assert_eq!(money_text(None), None);
        assert_eq!(
            join_names(&["A".into(), "B".into(), "C".into()]),
            "A, B and C"
        );
    }
}
