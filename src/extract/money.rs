//! Money amounts: "$5 billion", "at least $5bn", "5 billion dollars", "$14.25 million",
//! "€1.2 billion", "1.2 billion euros", "£40m", "$1,500,000".
//!
//! ```
//! use riskline::extract::money::find_amounts;
//! let a = find_amounts("The suit seeks at least $5 billion in damages.");
//! assert_eq!(a[0].value, 5_000_000_000.0);
//! assert_eq!(a[0].currency, "USD");
//! ```

use crate::extract::span;
use std::sync::LazyLock;

use regex::Regex;

/// A money amount found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// Byte offset of the amount's first character in the text.
    pub start: usize,
    /// Byte offset just past the amount's last character.
    pub end: usize,
    /// The amount in whole units of `currency`, multipliers applied ("$5 billion" is 5e9).
    pub value: f64,
    /// ISO code: USD, EUR, GBP, JPY, CHF, CNY, INR, CAD, AUD, KRW.
    pub currency: &'static str,
    /// The amount sits in parentheses right after another amount: a conversion.
    pub conversion: bool,
    /// Part of a range ("$140 million to $267 million").
    pub range: bool,
}

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        (?P<sym>US\$|\$|€|£|¥|C\$|A\$|(?:USD|EUR|GBP|JPY|CHF|CNY|RMB|INR|CAD|AUD|KRW)\s?)\s?
        (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?:\s?(?P<mult>trillion|billion|million|thousand|bn|mn|mln|tn|[mbk])(?-u:\b))?
        (?:\s(?P<tail>dollars|euros))?
        |
        (?-u:\b)(?P<num2>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?:\s?(?P<mult2>trillion|billion|million|thousand|bn|mn))?
        \s(?P<cur2>(?:U\.S\.\s|US\s|Canadian\s|Australian\s)?dollars|euros?|pounds\ sterling|pounds|yen|yuan|Swiss\ francs|rupees|won)(?-u:\b)
        ",
    )
    .expect("money regex compiles")
});

fn multiplier(m: &str) -> f64 {
    match m.to_ascii_lowercase().as_str() {
        "trillion" | "tn" => 1e12,
        "billion" | "bn" | "b" => 1e9,
        "million" | "mn" | "mln" | "m" => 1e6,
        "thousand" | "k" => 1e3,
        _ => 1.0,
    }
}

fn currency_of_symbol(sym: &str) -> &'static str {
    match sym.trim().to_ascii_uppercase().as_str() {
        "$" | "US$" | "USD" => "USD",
        "€" | "EUR" => "EUR",
        "£" | "GBP" => "GBP",
        "¥" | "JPY" => "JPY",
        "CHF" => "CHF",
        "CNY" | "RMB" => "CNY",
        "INR" => "INR",
        "C$" | "CAD" => "CAD",
        "A$" | "AUD" => "AUD",
        "KRW" => "KRW",
        _ => "USD",
    }
}

fn currency_of_word(w: &str) -> &'static str {
    let w = w.to_ascii_lowercase();
    if w.contains("canadian") {
        "CAD"
    } else if w.contains("australian") {
        "AUD"
    } else if w.contains("dollar") {
        "USD"
    } else if w.starts_with("euro") {
        "EUR"
    } else if w.starts_with("pound") {
        "GBP"
    } else if w == "yen" {
        "JPY"
    } else if w == "yuan" {
        "CNY"
    } else if w.contains("franc") {
        "CHF"
    } else if w == "rupees" {
        "INR"
    } else if w == "won" {
        "KRW"
    } else {
        "USD"
    }
}

/// Finds every money amount in `text`, in order.
pub fn find_amounts(text: &str) -> Vec<Amount> {
    let mut out: Vec<Amount> = Vec::new();
    for cap in MONEY.captures_iter(text) {
        let Some(whole) = cap.get(0) else { continue };
        let (num, mult, currency) = if let Some(n) = cap.name("num") {
            let sym = cap.name("sym").map_or("$", |s| s.as_str());
            let mut cur = currency_of_symbol(sym);
            if let Some(t) = cap.name("tail") {
                cur = currency_of_word(t.as_str());
            }
            (n.as_str(), cap.name("mult").map(|m| m.as_str()), cur)
        } else if let Some(n) = cap.name("num2") {
            let cur = cap
                .name("cur2")
                .map_or("USD", |c| currency_of_word(c.as_str()));
            (n.as_str(), cap.name("mult2").map(|m| m.as_str()), cur)
        } else {
            continue;
        };
        // A single-letter multiplier must be glued or clearly money ("$40m", "$2 b" is odd).
        if let Some(m) = mult {
            if m.len() == 1 && !m.eq_ignore_ascii_case("m") && !m.eq_ignore_ascii_case("b") {
                // "k" is fine too; keep as is.
            }
        }
        let Ok(base) = num.replace(',', "").parse::<f64>() else {
            continue;
        };
        let value = base * mult.map_or(1.0, multiplier);
        let before = span::upto(text, whole.start()).trim_end();
        // "(about $266 million)" right after a euro amount: a reporter's conversion.
        let conversion = out.last().is_some_and(|p| {
            let raw_gap = span::clip(text, p.end, whole.start());
            if raw_gap.len() > 24 {
                return false;
            }
            let gap = raw_gap.trim().to_ascii_lowercase();
            let gap = gap.strip_prefix('(').map(str::trim);
            p.currency != currency
                && gap.is_some_and(|g| {
                    matches!(
                        g,
                        "" | "about"
                            | "roughly"
                            | "approximately"
                            | "around"
                            | "or"
                            | "some"
                            | "nearly"
                            | "~"
                            | "equivalent to"
                            | "worth"
                    )
                })
        });
        let range = {
            let after = span::from(text, whole.end());
            let after_trim = after.trim_start();
            after_trim.starts_with("to $")
                || after_trim.starts_with("to €")
                || after_trim.starts_with("- $")
                || after_trim.starts_with("and $")
                || (before.ends_with(" to") || before.ends_with(" and") || before.ends_with(" -"))
                    && out.last().is_some_and(|p| whole.start() - p.end < 8)
                || before.ends_with("between")
        };
        out.push(Amount {
            start: whole.start(),
            end: whole.end(),
            value,
            currency,
            conversion,
            range,
        });
    }
    out
}

/// The USD value as an integer when the currency is USD.
pub fn usd(amount: &Amount) -> Option<i64> {
    if amount.currency != "USD" || !amount.value.is_finite() || amount.value < 0.0 {
        return None;
    }
    let rounded = amount.value.round();
    // Through text: a finite, non-negative whole number converts without a lossy cast.
    (rounded < 9.0e18)
        .then(|| format!("{rounded:.0}").parse::<i64>().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(t: &str) -> Vec<(f64, &'static str)> {
        find_amounts(t)
            .iter()
            .map(|a| (a.value, a.currency))
            .collect()
    }

    #[test]
    fn amounts_in_all_usual_forms() {
        assert_eq!(vals("at least $5 billion"), vec![(5e9, "USD")]);
        assert_eq!(vals("a $5bn claim"), vec![(5e9, "USD")]);
        assert_eq!(vals("more than 500 million dollars"), vec![(5e8, "USD")]);
        assert_eq!(vals("$1.2 million in damages"), vec![(1.2e6, "USD")]);
        assert_eq!(vals("a $14.25 million penalty"), vec![(14.25e6, "USD")]);
        assert_eq!(vals("$10.3bn over 13 years"), vec![(10.3e9, "USD")]);
        assert_eq!(vals("fined €1.2 billion"), vec![(1.2e9, "EUR")]);
        assert_eq!(vals("13 billion euros in taxes"), vec![(13e9, "EUR")]);
        assert_eq!(vals("£40m"), vec![(40e6, "GBP")]);
        assert_eq!(
            vals("paid $1,500,000 and $32.50 an hour"),
            vec![(1.5e6, "USD"), (32.5, "USD")]
        );
    }

    #[test]
    fn conversions_and_ranges_are_flagged() {
        let a = find_amounts("fined €225 million (about $266 million) for");
        assert!(!a[0].conversion && a[1].conversion);
        let a = find_amounts("could be subject to $140 million to $267 million in damages");
        assert!(a[0].range && a[1].range);
    }

    #[test]
    fn usd_is_an_integer_only_for_dollars() {
        let a = find_amounts("$14.25 million and €3 million");
        assert_eq!(usd(&a[0]), Some(14_250_000));
        assert_eq!(usd(&a[1]), None);
    }
}
