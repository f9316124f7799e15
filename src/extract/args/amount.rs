//! The amount of an event, all in one place: which triggers take an amount, which money
//! in the sentence is no event's amount (share prices, deal values, revenue, conversions,
//! ranges), which amount is picked (a stated total, else the nearest after the trigger,
//! else the nearest before), the qualifier kept with it ("at least"), and how a merged
//! event takes an amount it lacked. Money itself is found by [`crate::extract::money`].

use super::super::lexicon::{AMOUNT_BAD_AFTER, AMOUNT_BAD_BEFORE, AMOUNT_QUALIFIERS};
use super::super::money::Amount;
use super::super::text::Segmented;
use super::super::triggers::Family;
use super::super::types::{Event, Kind};
use super::Ctx;
use crate::extract::span;

/// The amount of the trigger's event of `kind` and its qualifier ("" when none).
pub fn event_amount<'c>(cx: &Ctx<'c>, kind: Kind) -> (Option<&'c Amount>, String) {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    let wants_amount = matches!(
        trig.family,
        Family::Sue
            | Family::SuitNoun
            | Family::Ruling
            | Family::Settle
            | Family::Fine
            | Family::Order
    ) || (kind == Kind::Lawsuit && trig.family != Family::Dismiss);
    let amount = if wants_amount {
        pick_amount(seg, cx.view.amounts, (sent.start, sent.end), cx.trig_pos)
    } else {
        None
    };
    let qualifier = amount
        .map(|a| qualifier(seg, sent.start, a))
        .unwrap_or_default();
    (amount, qualifier)
}

/// "at least", "more than", ... right before the amount, from the sentence start `from`.
fn qualifier(seg: &Segmented<'_>, from: usize, a: &Amount) -> String {
    let b = span::clip(&seg.lower, from, a.start).trim_end().to_string();
    AMOUNT_QUALIFIERS
        .iter()
        .find(|q| b.ends_with(*q))
        .map_or(String::new(), |q| q.to_string())
}

/// Money that is not the amount of an event.
fn amount_excluded(seg: &Segmented<'_>, a: &Amount) -> bool {
    if a.conversion || a.range {
        return true;
    }
    let before = span::clip(&seg.lower, a.start.saturating_sub(40), a.start).to_string();
    let after_end = (a.end + 30).min(seg.text.len());
    let mut after_end_ok = after_end;
    while !seg.text.is_char_boundary(after_end_ok) {
        after_end_ok -= 1;
    }
    let mut before_start = a.start.saturating_sub(40);
    while !seg.text.is_char_boundary(before_start) {
        before_start += 1;
    }
    let before = if seg.text.is_char_boundary(a.start.saturating_sub(40)) {
        before
    } else {
        span::clip(&seg.lower, before_start, a.start).to_string()
    };
    let after = span::clip(&seg.lower, a.end, after_end_ok);
    AMOUNT_BAD_AFTER.iter().any(|b| after.starts_with(b))
        || AMOUNT_BAD_BEFORE
            .iter()
            .any(|b| before.trim_end().ends_with(b))
        || before.ends_with("roughly ") && after.starts_with(" acquisition")
        || after.starts_with(" in ") && (after.contains("acquisition") || after.contains("revenue"))
}

/// Picks the amount of an event in a sentence: a stated total first, then the one after
/// the trigger, then the nearest.
fn pick_amount<'x>(
    seg: &Segmented<'_>,
    amounts: &'x [Amount],
    s: (usize, usize),
    trig_pos: usize,
) -> Option<&'x Amount> {
    let lo = amounts.partition_point(|a| a.start < s.0);
    let hi = amounts.partition_point(|a| a.start < s.1);
    let inside: Vec<&Amount> = amounts[lo..hi]
        .iter()
        .filter(|a| a.end <= s.1 && !amount_excluded(seg, a))
        .collect();
    if inside.is_empty() {
        return None;
    }
    let total = inside.iter().find(|a| {
        let b = span::clip(&seg.lower, s.0, a.start);
        let tail: String = b
            .chars()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        tail.contains("total")
            || tail.contains("combined")
            || tail.contains("totaling")
            || span::clip(&seg.lower, a.end, s.1).starts_with(" in total")
    });
    if let Some(t) = total {
        return Some(t);
    }
    inside
        .iter()
        .min_by_key(|a| {
            if a.start >= trig_pos {
                a.start - trig_pos
            } else {
                (trig_pos - a.start) + 20
            }
        })
        .copied()
}

/// A merged event without an amount takes the other mention's, with its qualifier; one
/// with a rounded amount takes the other mention's more exact figure of the same sum
/// ("$1.9B" in a headline, "$1.937 billion" in the story: within 5%, more digits).
pub fn fill_missing(into: &mut Event, into_qualifier: &mut String, from: &Event, from_q: &str) {
    let more_exact = match (into.money, from.money) {
        (Some(a), Some(b)) => {
            let (x, y) = (a.amount(), b.amount());
            a.currency() == b.currency()
                && x > 0.0
                && (x - y).abs() / x.max(y) <= 0.05
                && significant_digits(y) > significant_digits(x)
        }
        _ => false,
    };
    if more_exact {
        into.money = from.money;
        into.amount_usd = from.amount_usd;
        return;
    }
    if into.money.is_none() && from.money.is_some() {
        into.money = from.money;
        into.amount_usd = from.amount_usd;
        *into_qualifier = from_q.to_string();
    }
}

/// The significant digits of an amount: 1.9e9 has 2, 1.937e9 has 4, 5e6 has 1.
fn significant_digits(v: f64) -> usize {
    let text = format!("{v:.0}");
    text.trim_start_matches('0')
        .trim_end_matches('0')
        .len()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ctx, index, Doc};
    use super::*;

    fn amount_of(text: &str, lemma: &str, kind: Kind) -> Option<(f64, String)> {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, lemma);
        let (a, q) = event_amount(&cx, kind);
        a.map(|a| (a.value, q))
    }

    #[test]
    fn a_rounded_headline_amount_gives_way_to_the_exact_one() {
        assert_eq!(significant_digits(1.9e9), 2);
        assert_eq!(significant_digits(1.937e9), 4);
        assert_eq!(significant_digits(5e6), 1);
        let acme = crate::registry::CompanyRecord::new("ACME".into(), "Acme Corp", None, None);
        let ex = crate::extract::Extractor::new(&[acme]);
        let text = "SEC fines Acme Corp record $1.9B\n\n\
                    The SEC on Thursday fined Acme Corp a record $1.937 billion.";
        let out = ex.extract(text, crate::extract::Format::Text, None);
        let amounts: Vec<Option<i64>> = out.events.iter().map(|e| e.amount_usd).collect();
        assert_eq!(amounts, vec![Some(1_937_000_000)]);
    }

    #[test]
    fn the_amount_after_the_trigger_wins() {
        assert_eq!(
            amount_of(
                "Acme, worth $9 billion, was fined $3 million by the SEC.",
                "fine",
                Kind::RegulatoryAction
            ),
            Some((3e6, String::new()))
        );
    }

    #[test]
    fn the_value_of_a_deal_is_no_amount_of_the_suit_against_it() {
        assert_eq!(
            amount_of(
                "The agency sued to block Acme's $39 billion takeover of Globex.",
                "sue",
                Kind::Lawsuit
            ),
            None
        );
    }

    #[test]
    fn a_stated_total_wins_and_qualifiers_are_kept() {
        assert_eq!(
            amount_of(
                "Acme will pay $1 million now and a total of $4 million to settle the suit.",
                "settle",
                Kind::Lawsuit
            ),
            Some((4e6, String::new()))
        );
        assert_eq!(
            amount_of(
                "Globex sued Acme seeking at least $2 million.",
                "sue",
                Kind::Lawsuit
            ),
            Some((2e6, "at least".to_string()))
        );
    }

    #[test]
    fn prices_and_deal_values_are_no_amounts() {
        assert_eq!(
            amount_of(
                "Acme sued Globex as its stock fell to $12 a share.",
                "sue",
                Kind::Lawsuit
            ),
            None
        );
        assert_eq!(
            amount_of(
                "Globex sued over the $5 billion acquisition of Initech.",
                "sue",
                Kind::Lawsuit
            ),
            None
        );
    }

    #[test]
    fn halts_and_dismissals_take_no_amount() {
        assert_eq!(
            amount_of(
                "Acme halted sales of its $300 heater.",
                "halt",
                Kind::ServiceHalt
            ),
            None
        );
        assert_eq!(
            amount_of(
                "A judge dismissed the $8 million suit against Acme.",
                "dismiss",
                Kind::Lawsuit
            ),
            None
        );
    }
}
