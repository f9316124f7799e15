//! Word-sense checks of legal and regulatory triggers: a candidate word is kept only in
//! its legal sense ("followed suit", "new rules on shoes", "found evidence", "in order
//! to", "it was fine" are dropped). Halt words are checked in [`super::halt`].

use super::{halt, Family, Near};
use crate::extract::lexicon::{ACCOUNTING_SETTLEMENT, WORKPLACE};
use crate::extract::span;

/// Whether a candidate trigger keeps its event sense in its neighbourhood.
pub fn keep(n: &Near<'_>, family: Family, lemma: &str) -> bool {
    if accounting_settlement(n, family)
        || workplace_arrangement(n, family)
        || adjectival_ban(n, family)
    {
        return false;
    }
    let Near {
        w, n0, n1, prev, ..
    } = *n;
    match lemma {
        "lawsuit" => {
            // "followed suit", "follows suit", "suit up", "swimsuit".
            !(matches!(w, "suit" | "suits")
                && (matches!(prev, "follow" | "follows" | "followed" | "following") || n0 == "up"))
        }
        "complaint" => {
            // Consumer complaints are not lawsuits; a complaint filed or issued is.
            !matches!(
                prev,
                "consumer"
                    | "customer"
                    | "customers"
                    | "passenger"
                    | "safety"
                    | "noise"
                    | "service"
            )
        }
        // "sues for peace" is a plea to end a fight.
        "sue" => !(n.n0 == "for" && n.n1 == "peace"),
        "appeal" => appeal(n),
        "petition" => {
            matches!(n0, "for") || matches!(prev, "filed" | "its" | "the") && n0 != "drive"
        }
        "rule" => rule(n),
        "find" => {
            // A court's or jury's finding, or anyone's finding of liability ("found Acme
            // liable", "found that it infringed"); "found evidence", an agency that "found
            // the incidents occur rarely" are not.
            let Near {
                seg, k, tok_start, ..
            } = *n;
            let court_subject = (tok_start.max(k.saturating_sub(6))..k).any(|j| {
                matches!(
                    seg.low(j),
                    "court" | "judge" | "jury" | "jurors" | "panel" | "justice" | "tribunal"
                )
            });
            (!matches!(
                n0,
                "evidence" | "no" | "that" | "it" | "itself" | "a" | "an"
            ) || n0 == "that")
                && (court_subject
                    || n.window(10).iter().any(|x| {
                        matches!(
                            *x,
                            "liable"
                                | "guilty"
                                | "responsible"
                                | "negligent"
                                | "violated"
                                | "violation"
                                | "infringed"
                                | "infringing"
                                | "breached"
                                | "defrauded"
                                | "misled"
                        )
                    }))
        }
        "grant" => grant(n),
        "deny" => deny(n),
        "decline" => matches!(n0, "to") && matches!(n1, "review" | "hear" | "take" | "consider"),
        "turn away" => n0 == "away" || n1 == "away",
        "reduce" => n.next.iter().any(|x| {
            matches!(
                *x,
                "award" | "verdict" | "sum" | "damages" | "judgment" | "penalty" | "fine"
            )
        }),
        "judgment" => judgment(n),
        "injunction" => injunction(n),
        "block" => block(n),
        "order" => order(n),
        "dismiss" => dismiss(n),
        "throw out" => matches!(n0, "out") || n1 == "out",
        "settle" | "settlement" => {
            // "settled in", "the dust settled", "settle on"; but "a settlement in a
            // class-action suit" and "settled in court" are legal.
            let legal_in = n0 == "in"
                && n.window(5).iter().any(|x| {
                    matches!(
                        *x,
                        "lawsuit"
                            | "suit"
                            | "case"
                            | "litigation"
                            | "class-action"
                            | "court"
                            | "arbitration"
                    )
                });
            legal_in
                || !matches!(
                    n0,
                    "in" | "on" | "into" | "down" | "for" | "how" | "whether"
                )
                || n1 == "lawsuit"
        }
        "fine" => w != "fine" || noun_fine(n),
        "ban" => w != "bars" || matches!(prev, "it" | "which" | "that"),
        "suspend" | "halt" | "pause" | "stop" | "shut down" | "close" | "discontinue"
        | "ground" | "idle" => halt::halt_sense(n, lemma),
        "wind down" => n0 == "down",
        "shutdown" => !matches!(prev, "government" | "federal"),
        "cancel" => halt::cancel(n),
        "outage" => true,
        "remove" => halt::remove(n),
        "pull" => halt::pull(n),
        "exit" => halt::exit(n),
        "go dark" => n0 == "dark" || n0 == "down" && n1 == "for" || n0 == "offline",
        "knock offline" => n
            .next
            .iter()
            .take(4)
            .any(|x| matches!(*x, "offline" | "out")),
        "recall" => recall(n, family),
        "lift" | "rescind" => halt::lift(n),
        "resume" | "restore" | "reopen" => halt::resume(n),
        // "back on sale" is back after a stop only when something put it back.
        "back on sale" => {
            matches!(
                n.prev,
                "devices" | "them" | "it" | "products" | "watches" | "cars" | "models"
            ) || n.seg.low(n.k.saturating_sub(3)).starts_with("put")
                || n.seg.low(n.k.saturating_sub(2)).starts_with("put")
        }
        _ => true,
    }
}

/// Accounting settlements: "settlement of postretirement benefits", "settled trades".
fn accounting_settlement(n: &Near<'_>, family: Family) -> bool {
    let Near { w, prev, .. } = *n;
    family == Family::Settle
        && n.window(5)
            .iter()
            .any(|x| ACCOUNTING_SETTLEMENT.contains(x))
        || family == Family::Settle
            && matches!(prev, "physically" | "financially" | "net" | "cash")
            && !matches!(w, "settlement" | "settlements")
}

/// Workplace perks and internal arrangements are not services to customers: "stop
/// offering free laundry services at some offices", "paused travel for employees".
fn workplace_arrangement(n: &Near<'_>, family: Family) -> bool {
    if family != Family::Halt {
        return false;
    }
    let window = n.window(9);
    window.iter().any(|x| WORKPLACE.contains(x))
        && !window.iter().any(|x| {
            matches!(
                *x,
                "production" | "operations" | "customers" | "flights" | "sales"
            )
        })
}

/// A participle used as an adjective names no act: "prohibited joint transactions",
/// "a banned substance".
fn adjectival_ban(n: &Near<'_>, family: Family) -> bool {
    let Near { w, n0, prev, .. } = *n;
    family == Family::Ban
        && matches!(w, "prohibited" | "banned" | "barred" | "outlawed")
        && matches!(
            prev,
            "and" | "or" | "," | "of" | "for" | "in" | "a" | "an" | "the" | "any"
        )
        && !matches!(
            n0,
            "the"
                | "a"
                | "an"
                | "its"
                | "their"
                | "it"
                | "them"
                | "him"
                | "her"
                | "from"
                | "by"
                | "sales"
                | "imports"
        )
}

fn appeal(n: &Near<'_>) -> bool {
    let Near { w, n0, prev, .. } = *n;
    // "appeals court" is an authority; "appeal to voters" is not legal.
    if matches!(n0, "court" | "courts" | "panel") || n0 == "to" && w != "appealed" {
        return false;
    }
    // "appealed to the government for help": a plea, not an appeal to a court.
    if n0 == "to"
        && !n.window(8).iter().any(|x| {
            matches!(
                *x,
                "court" | "circuit" | "supreme" | "appeals" | "tribunal" | "board" | "justices"
            )
        })
    {
        return false;
    }
    if w == "appeals" && (prev == "of" || n0 == "court") {
        return false;
    }
    true
}

fn rule(n: &Near<'_>) -> bool {
    let Near { w, n0, prev, .. } = *n;
    // "rules" as a noun ("new rules on shoes").
    if w == "rules"
        && (matches!(
            prev,
            "new" | "the" | "its" | "these" | "those" | "under" | "safety" | "proposed" | "final"
        ) || matches!(
            n0,
            "on" | "that" | "for" | "of" | "which" | "take" | "require" | "and" | "or"
        ) || matches!(
            prev,
            "s" | "’s" | "'s" | "and" | "or" | "its" | "our" | "their"
        ) || n0.is_empty()
            || matches!(n0, "," | "." | ";" | ":" | ")"))
    {
        // A court that rules says how or on what; "rules" closing a phrase is the noun
        // ("under new tech rules, analysts say").
        return false;
    }
    !(w == "ruling" && matches!(prev, "declaratory"))
}

fn grant(n: &Near<'_>) -> bool {
    n.window(7).iter().any(|x| {
        matches!(
            *x,
            "summary"
                | "motion"
                | "request"
                | "petition"
                | "stay"
                | "injunction"
                | "certification"
                | "class"
                | "judgment"
                | "approval"
                | "emergency"
        )
    })
}

fn deny(n: &Near<'_>) -> bool {
    let Near {
        seg,
        k,
        tok_start,
        prev,
        ..
    } = *n;
    n.window(8).iter().any(|x| {
        matches!(
            *x,
            "petition"
                | "motion"
                | "request"
                | "appeal"
                | "bid"
                | "review"
                | "certiorari"
                | "application"
                | "agreement"
                | "settlement"
                | "plea"
                | "deal"
                | "challenge"
                | "claims"
                | "lawsuit"
                | "suit"
        )
    }) || (prev == "was" || prev == "were")
        && (k >= tok_start + 2
            && matches!(
                seg.low(k.saturating_sub(2)),
                "decision" | "appeal" | "petition" | "motion" | "request"
            ))
        || {
            // "Mastercard's request to appeal that decision was denied."
            let mut found = false;
            let mut j = k;
            while j > tok_start && k - j < 8 {
                j -= 1;
                if matches!(seg.low(j), "request" | "petition" | "motion" | "appeal")
                    && prev == "was"
                {
                    found = true;
                }
            }
            found
        }
}

fn judgment(n: &Near<'_>) -> bool {
    !matches!(
        n.prev,
        "business"
            | "editorial"
            | "good"
            | "better"
            | "poor"
            | "our"
            | "my"
            | "investment"
            | "collective"
            | "management"
            | "professional"
    )
}

fn injunction(n: &Near<'_>) -> bool {
    let Near {
        seg,
        k,
        tok_start,
        prev,
        ..
    } = *n;
    let prev2 = if k >= tok_start + 2 {
        seg.low(k - 2)
    } else {
        ""
    };
    let sought = matches!(prev, "sought" | "seeking")
        || prev == "an" && matches!(prev2, "sought" | "seeking" | "for");
    !sought
}

fn block(n: &Near<'_>) -> bool {
    n.window(8).iter().any(|x| {
        matches!(
            *x,
            "merger"
                | "deal"
                | "acquisition"
                | "purchase"
                | "takeover"
                | "combination"
                | "buyout"
                | "ban"
                | "rule"
                | "law"
                | "order"
                | "sale"
        )
    })
}

fn order(n: &Near<'_>) -> bool {
    let Near { n0, prev, .. } = *n;
    // "in order to", "orders" as customer orders.
    let commercial = prev == "in" && n0 == "to"
        || matches!(
            prev,
            "purchase" | "customer" | "back" | "pre" | "large" | "new"
        )
        || matches!(n0, "book" | "from" | "for");
    !commercial
        || matches!(
            prev,
            "consent" | "administrative" | "unilateral" | "final" | "court" | "an"
        )
}

fn dismiss(n: &Near<'_>) -> bool {
    let next = n.next;
    // "dismissed concerns", "dismissed the report as": opinions, not cases.
    !next.iter().take(3).any(|x| {
        matches!(
            *x,
            "concerns"
                | "criticism"
                | "speculation"
                | "reports"
                | "report"
                | "the"
                | "as"
                | "fears"
        )
    }) || next.iter().any(|x| {
        matches!(
            *x,
            "case"
                | "cases"
                | "lawsuit"
                | "suit"
                | "complaint"
                | "claims"
                | "appeal"
                | "petition"
                | "charges"
                | "action"
        )
    })
}

/// Noun "fine": after a determiner, an amount or "record"; not "it was fine".
fn noun_fine(n: &Near<'_>) -> bool {
    let Near { n0, prev, .. } = *n;
    let det = matches!(
        prev,
        "a" | "the"
            | "record"
            | "its"
            | "million"
            | "billion"
            | "largest"
            | "biggest"
            | "antitrust"
            | "privacy"
            | "this"
            | "that"
            | "same"
            | "euro"
            | "dollar"
            | "pound"
            | "yuan"
            | "yen"
            | "rupee"
            | "franc"
            | "krone"
            | "hefty"
            | "heavy"
            | "civil"
            | "criminal"
            | "regulatory"
            | "additional"
            | "maximum"
    ) || prev.ends_with("illion")
        // "a €500m fine", "a 2bn fine"
        || prev.starts_with(|c: char| c.is_ascii_digit())
            && prev
                .trim_end_matches(['m', 'b', 'n', 'k'])
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
    det && !matches!(n0, "print" | "line" | "tuning" | "dining")
}

fn recall(n: &Near<'_>, family: Family) -> bool {
    let Near {
        seg,
        k,
        tok_start,
        w,
        next,
        n0,
        prev,
        ..
    } = *n;
    // "recalled that ..." (remembered), "he recalls", "recall how", and a quote's
    // attribution ("..., recalls Abdul Manaf").
    if matches!(
        n0,
        "that" | "how" | "when" | "what" | "his" | "her" | "being" | "a" | "one"
    ) && family == Family::Recall
        && (w == "recalled" || w == "recalls" || w == "recall" && prev != "the")
    {
        return false;
    }
    let after_quote = k >= tok_start + 2
        && prev == ","
        && matches!(seg.tok(k - 2), "\"" | "\u{201d}" | "'" | "\u{2019}");
    let named_speaker = seg
        .tokens
        .get(k + 1)
        .is_some_and(|t| span::from(seg.text, t.start).starts_with(|c: char| c.is_uppercase()))
        && (k == tok_start || seg.tok(k - 1) == "," || prev == "\u{201d}");
    if (w == "recalls" || w == "recalled") && (after_quote || named_speaker) {
        return false;
    }
    !matches!(prev, "he" | "she" | "i" | "you" | "they" | "we")
        || next
            .iter()
            .any(|x| matches!(*x, "vehicles" | "cars" | "units" | "devices" | "products"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::lemmas;

    #[test]
    fn figurative_uses_are_dropped() {
        assert!(lemmas("The rival airline soon followed suit.").is_empty());
        assert!(lemmas("The weather was fine all week.").is_empty());
        assert!(lemmas("The city passed new rules on parking.").is_empty());
        assert!(lemmas("He recalled that the meeting ran late.").is_empty());
        assert!(lemmas("Shops must adapt to strict privacy rules, lawyers say.").is_empty());
        assert_eq!(lemmas("The court rules against the bank."), vec!["rule"]);
    }

    #[test]
    fn halts_in_other_words_are_read() {
        assert_eq!(
            lemmas("The airline scrapped a third of its flights."),
            vec!["cancel"]
        );
        assert_eq!(
            lemmas("The carrier called off 300 departures."),
            vec!["cancel"]
        );
        assert_eq!(
            lemmas("The maker stopped sale and distribution of the heater."),
            vec!["stop"]
        );
        assert_eq!(
            lemmas("The mill is ceasing manufacturing operations."),
            vec!["stop"]
        );
        assert!(lemmas("The city scrapped plans for a new stadium.").is_empty());
        assert!(lemmas("They called off the merger talks.").is_empty());
    }

    #[test]
    fn legal_senses_are_kept() {
        assert_eq!(lemmas("Regulators imposed a record fine."), vec!["fine"]);
        assert_eq!(lemmas("The judge granted the motion."), vec!["grant"]);
        assert_eq!(lemmas("A jury found the firm liable."), vec!["find"]);
        assert!(lemmas("The agency found the failures occur rarely.").is_empty());
        assert_eq!(
            lemmas("The court found the pay package unfair."),
            vec!["find"]
        );
    }

    #[test]
    fn accounting_settlements_are_not_cases() {
        assert!(lemmas("The plan settled pension obligations early.").is_empty());
        assert!(lemmas("Trades are net settled in cash.").is_empty());
    }

    #[test]
    fn a_settlement_in_a_suit_is_legal_and_settling_in_is_not() {
        assert_eq!(
            lemmas("The bank reached a $142 million settlement in a class-action suit."),
            vec!["settlement", "lawsuit"]
        );
        assert_eq!(
            lemmas("The two sides settled in court last year."),
            vec!["settle"]
        );
        assert!(lemmas("The new chief settled in quickly at the office.").is_empty());
    }

    #[test]
    fn suing_for_peace_and_pauses_of_stocks_are_not_events() {
        assert!(lemmas("The publisher sues for peace with its rival over the game.").is_empty());
        assert_eq!(
            lemmas("The publisher sued its rival over the game."),
            vec!["sue"]
        );
        assert!(lemmas("Two miners were among other stocks caught up in the pauses.").is_empty());
    }

    #[test]
    fn customer_orders_are_not_orders() {
        assert!(lemmas("Airlines placed large orders for jets.").is_empty());
        assert_eq!(
            lemmas("The agency issued a consent order."),
            vec!["consent order"]
        );
    }
}
