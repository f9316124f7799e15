//! Triggers and modality.
//!
//! A trigger is a word (or short phrase) that can signal an event, with a candidate kind and
//! action: "sued" (lawsuit, filed), "dismissed" (lawsuit, dismissed), "fined" (regulatory
//! action, fine), "recalling" (regulatory action, recall), "halted" (service halt). Some
//! triggers only get their kind from the authority that acts ("ruled", "ordered": a court
//! makes it a lawsuit, an agency a regulatory action) or from their object ("suspended its
//! permits" is a regulatory action, "suspended its service" a halt).
//!
//! Modality decides whether a trigger reports a fact: negation ("did not sue", "no
//! recall", "denied"), hedging and irrealis ("could face lawsuits", "may sue", "threatened
//! to", "plans to", "if", "proposed"), and figurative uses ("followed suit").

use super::text::{Segmented, TokKind};
use super::types::Kind;
use crate::extract::span;

/// The family of a trigger: how its arguments are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// "sue": subject = plaintiff, object = defendant.
    Sue,
    /// "lawsuit", "suit", "class action", "complaint": needs a filing verb or a "against".
    SuitNoun,
    /// "appealed", "notice of appeal", "petition for review".
    Appeal,
    /// A court decision: verdict, ruled, affirmed, granted, denied, awarded, ordered.
    Ruling,
    /// "dismissed", "threw out".
    Dismiss,
    /// "settle", "settlement".
    Settle,
    /// "fined", "penalty".
    Fine,
    /// "consent order", "cease-and-desist order", "order" by an agency.
    Order,
    /// "banned", "barred", "exclusion order".
    Ban,
    /// "suspended ... permits", "revoked ... license".
    Permit,
    /// "recall".
    Recall,
    /// "investigation", "probe", "subpoena", "civil investigative demand".
    Investigation,
    /// "halted", "shut down", "outage", "stopped selling", "grounded", "cancelled flights".
    Halt,
}

/// A trigger found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trigger {
    /// First and one-past-last token.
    pub tok: usize,
    pub tok_end: usize,
    pub family: Family,
    /// A kind fixed by the word itself; `None` when the actor decides.
    pub kind: Option<Kind>,
    pub action: &'static str,
    /// A verb in the passive voice ("was sued").
    pub passive: bool,
    /// A verb (rather than a noun).
    pub verb: bool,
    pub lemma: &'static str,
}

/// Whether a trigger reports a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    Fact,
    Negated,
    Hedged,
}

fn fam_kind(f: Family) -> Option<Kind> {
    match f {
        Family::Sue | Family::SuitNoun | Family::Appeal | Family::Dismiss => Some(Kind::Lawsuit),
        Family::Ruling | Family::Settle | Family::Order | Family::Ban | Family::Fine => None,
        Family::Permit | Family::Recall | Family::Investigation => Some(Kind::RegulatoryAction),
        Family::Halt => Some(Kind::ServiceHalt),
    }
}

fn lex(word: &str) -> Option<(Family, &'static str, &'static str, bool)> {
    // (family, action, lemma, verb)
    use Family::*;
    Some(match word {
        "sue" | "sues" | "sued" | "suing" | "countersued" | "countersues" => {
            (Sue, "filed", "sue", true)
        }
        "lawsuit" | "lawsuits" | "suit" | "suits" | "countersuit" => {
            (SuitNoun, "filed", "lawsuit", false)
        }
        "complaint" => (SuitNoun, "filed", "complaint", false),
        "appealed" | "appeals" | "appealing" => (Appeal, "appealed", "appeal", true),
        "appeal" => (Appeal, "appealed", "appeal", false),
        "petition" => (Appeal, "appealed", "petition", false),
        "verdict" => (Ruling, "ruled", "verdict", false),
        "ruled" | "rules" | "ruling" => (Ruling, "ruled", "rule", true),
        "affirmed" | "affirms" | "upheld" | "upholds" | "upholding" | "reversed" | "vacated"
        | "overturned" | "overturns" | "reinstated" => (Ruling, "ruled", "affirm", true),
        "awarded" | "awards" => (Ruling, "ruled", "award", true),
        "found" | "finds" => (Ruling, "ruled", "find", true),
        "granted" | "grants" | "granting" => (Ruling, "ruled", "grant", true),
        "denied" | "denies" | "rejected" | "rejects" | "rejecting" => {
            (Ruling, "ruled", "deny", true)
        }
        "declined" => (Ruling, "ruled", "decline", true),
        "turned" | "turns" => (Ruling, "ruled", "turn away", true),
        "trimmed" | "reduced" | "cut" => (Ruling, "ruled", "reduce", true),
        "judgment" | "judgement" => (Ruling, "ruled", "judgment", false),
        "injunction" => (Ruling, "ruled", "injunction", false),
        "blocked" | "enjoined" => (Ruling, "ruled", "block", true),
        "ordered" | "orders" | "ordering" => (Order, "order", "order", true),
        "order" => (Order, "order", "order", false),
        "dismissed" | "dismisses" | "dismissing" | "dismissal" => {
            (Dismiss, "dismissed", "dismiss", true)
        }
        "threw" | "throws" | "tossed" => (Dismiss, "dismissed", "throw out", true),
        "settle" | "settles" | "settled" | "settling" => (Settle, "settled", "settle", true),
        "settlement" | "settlements" => (Settle, "settled", "settlement", false),
        "fined" | "fines" | "penalized" | "penalised" => (Fine, "fine", "fine", true),
        "fine" => (Fine, "fine", "fine", false),
        "penalty" | "penalties" => (Fine, "fine", "penalty", false),
        "banned" | "bans" | "barred" | "bars" | "prohibited" | "outlawed" => {
            (Ban, "ban", "ban", true)
        }
        "ban" => (Ban, "ban", "ban", false),
        "suspended" | "suspends" | "suspending" | "suspend" => {
            (Halt, "suspension", "suspend", true)
        }
        "suspension" => (Halt, "suspension", "suspend", false),
        "revoked" | "revokes" | "revoke" | "revocation" => (Permit, "revocation", "revoke", true),
        "pulls" | "pulled" | "pull" => (Halt, "halt", "pull", true),
        "recall" | "recalls" => (Recall, "recall", "recall", false),
        "recalled" | "recalling" => (Recall, "recall", "recall", true),
        "investigation" | "investigations" | "probe" | "probes" | "inquiry" => {
            (Investigation, "investigation", "investigation", false)
        }
        "investigating" | "investigates" | "probing" => {
            (Investigation, "investigation", "investigate", true)
        }
        "subpoena" | "subpoenas" | "subpoenaed" => {
            (Investigation, "investigation", "subpoena", false)
        }
        "cid" | "cids" => (
            Investigation,
            "investigation",
            "civil investigative demand",
            false,
        ),
        "halt" | "halts" | "halted" | "halting" => (Halt, "halt", "halt", true),
        "pause" | "pauses" | "paused" | "pausing" => (Halt, "halt", "pause", true),
        "shut" | "shuts" | "shutting" => (Halt, "shutdown", "shut down", true),
        "shutdown" => (Halt, "shutdown", "shutdown", false),
        "close" | "closes" | "closing" | "closed" => (Halt, "shutdown", "close", true),
        "discontinue" | "discontinues" | "discontinued" | "discontinuing" => {
            (Halt, "shutdown", "discontinue", true)
        }
        "wind" | "winds" | "winding" => (Halt, "shutdown", "wind down", true),
        "stopped" | "stops" | "stop" | "stopping" | "ceased" | "ceases" | "cease" => {
            (Halt, "halt", "stop", true)
        }
        "grounded" | "grounding" | "grounds" => (Halt, "halt", "ground", true),
        "cancelled" | "canceled" | "cancels" | "cancel" | "cancelling" | "canceling" => {
            (Halt, "halt", "cancel", true)
        }
        "outage" | "outages" => (Halt, "outage", "outage", false),
        "removed" | "removes" => (Halt, "halt", "remove", true),
        "blocked_users" => (Halt, "suspension", "block", true),
        "exit" | "exits" | "exited" | "exiting" | "withdrew" | "withdraws" => {
            (Halt, "exit", "exit", true)
        }
        "went" => (Halt, "outage", "go dark", true),
        "knocked" => (Halt, "outage", "knock offline", true),
        "idle" | "idled" => (Halt, "halt", "idle", true),
        _ => return None,
    })
}

/// The lexicon entry of a single word, if it can be a trigger.
pub fn is_trigger_word(word: &str) -> Option<&'static str> {
    lex(word).map(|(_, _, lemma, _)| lemma)
}

fn is_be(w: &str) -> bool {
    matches!(
        w,
        "was" | "were" | "is" | "are" | "been" | "being" | "be" | "got" | "gets" | "get"
    )
}

fn next_words<'a>(seg: &'a Segmented<'_>, k: usize, end: usize, n: usize) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut j = k;
    while j < end && out.len() < n {
        if seg.tokens[j].kind != TokKind::Punct || matches!(seg.tok(j), "," | "-") {
            out.push(span::clip(
                &seg.lower,
                seg.tokens[j].start,
                seg.tokens[j].end,
            ));
        } else if matches!(seg.tok(j), "$" | "%" | "\u{20ac}" | "\u{a3}") {
            // Money and percentages stay inside the phrase ("its $24.6 billion purchase").
        } else if seg.tok(j) == "." && j > k && seg.tok(j - 1).len() == 1 {
            // The dots of an abbreviation ("U.S.", "N.A.") do not end the phrase.
        } else {
            break;
        }
        j += 1;
    }
    out
}

fn prev_word<'a>(seg: &'a Segmented<'_>, k: usize, start: usize) -> &'a str {
    if k > start {
        seg.low(k - 1)
    } else {
        ""
    }
}

/// Objects after "suspended/halted/paused/stopped" that make it a service halt.
const HALT_OBJECTS: &[&str] = &[
    "operations",
    "operation",
    "service",
    "services",
    "production",
    "output",
    "sales",
    "selling",
    "shipments",
    "shipping",
    "deliveries",
    "flights",
    "departures",
    "rides",
    "driverless",
    "manufacturing",
    "building",
    "making",
    "assembly",
    "work",
    "business",
    "offering",
    "offerings",
    "trips",
    "routes",
    "testing",
    "program",
    "plant",
    "plants",
    "factory",
    "factories",
    "lines",
    "line",
    "orders",
    "bookings",
    "network",
    "platform",
    "app",
    "access",
    "purchases",
    "buying",
    "trading",
    "withdrawals",
    "transfers",
    "accounts",
    "deployment",
    "launches",
    "launch",
    "development",
    "construction",
    "mining",
    "drilling",
    "exports",
    "imports",
    "processing",
];

/// Objects that make a "halt" something else: stock trading, dividends, buybacks, jobs.
const NOT_HALT_OBJECTS: &[&str] = &[
    "dividend",
    "dividends",
    "buyback",
    "buybacks",
    "repurchase",
    "repurchases",
    "guidance",
    "hiring",
    "forecast",
    "outlook",
    "shares",
    "stock",
    "stocks",
    "listing",
    "quotation",
    "merchandise",
    "items",
    "listings",
    "ads",
    "advertising",
    "campaign",
    "talks",
    "negotiations",
    "using",
    "bleeding",
    "payment",
    "payments",
    "coverage",
    "rating",
];

/// Finds the triggers of a sentence given by its token range.
pub fn find_triggers(seg: &Segmented<'_>, tok_start: usize, tok_end: usize) -> Vec<Trigger> {
    let mut out = Vec::new();
    let mut k = tok_start;
    while k < tok_end {
        if seg.tokens[k].kind != TokKind::Word {
            k += 1;
            continue;
        }
        let w = seg.low(k);
        let next = next_words(seg, k + 1, tok_end, 4);
        let n0 = next.first().copied().unwrap_or("");
        let n1 = next.get(1).copied().unwrap_or("");
        let prev = prev_word(seg, k, tok_start);
        let mut special: Option<(Family, &'static str, &'static str, bool, usize)> = None;
        // Multi-word triggers first.
        match w {
            "class" if matches!(n0, "action" | "actions") => {
                special = Some((Family::SuitNoun, "filed", "class action", false, k + 2));
            }
            "civil" if n0 == "investigative" && matches!(n1, "demand" | "demands") => {
                special = Some((
                    Family::Investigation,
                    "investigation",
                    "civil investigative demand",
                    false,
                    k + 3,
                ));
            }
            "request" | "requests" if n0 == "for" && n1 == "information" => {
                special = Some((
                    Family::Investigation,
                    "investigation",
                    "request for information",
                    false,
                    k + 3,
                ));
            }
            "consent" if matches!(n0, "order" | "orders") => {
                special = Some((Family::Order, "order", "consent order", false, k + 2));
            }
            "consent" if matches!(n0, "decree") => {
                special = Some((Family::Settle, "settled", "consent decree", false, k + 2));
            }
            "cease-and-desist" => {
                special = Some((
                    Family::Order,
                    "order",
                    "cease-and-desist order",
                    false,
                    k + 1,
                ));
            }
            "exclusion" if n0 == "order" => {
                special = Some((Family::Ban, "ban", "exclusion order", false, k + 2));
            }
            "looking" if n0 == "into" => {
                special = Some((
                    Family::Investigation,
                    "investigation",
                    "look into",
                    true,
                    k + 2,
                ));
            }
            "ground" if matches!(n0, "stop" | "stops") => {
                special = Some((Family::Halt, "halt", "ground stop", false, k + 2));
            }
            "blocked" | "barred" | "restricted" | "prevented"
                if matches!(n0, "its" | "their")
                    && matches!(n1, "users" | "customers" | "clients" | "members") =>
            {
                special = Some((Family::Halt, "suspension", "block customers", true, k + 1));
            }
            "administrative" if matches!(n0, "complaint" | "complaints") => {
                special = Some((
                    Family::Order,
                    "complaint",
                    "administrative complaint",
                    false,
                    k + 2,
                ));
            }
            // "took Coinbase to court", "has taken the airline to court".
            "took" | "take" | "takes" | "taking" | "taken"
                if {
                    let w6 = next_words(seg, k + 1, tok_end, 8);
                    w6.windows(2).any(|p| p == ["to", "court"])
                } =>
            {
                special = Some((Family::Sue, "filed", "take to court", true, k + 1));
            }
            // "filed the case in October 2020", "brought an action against".
            "filed" | "brought" | "commenced" | "instituted"
                if matches!(n0, "the" | "a" | "an" | "its" | "their" | "this" | "suit")
                    && matches!(
                        n1,
                        "case" | "action" | "complaint" | "proceeding" | "proceedings"
                    )
                    || matches!(n0, "case" | "action" | "proceedings") =>
            {
                special = Some((Family::Sue, "filed", "file a case", true, k + 1));
            }
            // "carried out an on-site inspection", "raided the offices".
            "on-site" | "onsite" if matches!(n0, "inspection" | "inspections") => {
                special = Some((
                    Family::Investigation,
                    "investigation",
                    "on-site inspection",
                    false,
                    k + 2,
                ));
            }
            "raided" | "raid" | "raids" => {
                special = Some((Family::Investigation, "investigation", "raid", true, k + 1));
            }
            // "received requests from the SEC for documents".
            "request" | "requests"
                if prev == "received" || {
                    let w6 = next_words(seg, k + 1, tok_end, 8);
                    w6.windows(2).any(|p| {
                        p[0] == "for"
                            && matches!(p[1], "documents" | "records" | "information" | "data")
                    }) && matches!(
                        seg.low(k.saturating_sub(1).max(tok_start)),
                        "received" | "receive" | "receives"
                    )
                } =>
            {
                special = Some((
                    Family::Investigation,
                    "investigation",
                    "request for information",
                    false,
                    k + 1,
                ));
            }
            // "to resolve the consolidated class action", "resolved the inquiry".
            "resolve" | "resolved" | "resolves" | "resolving"
                if next_words(seg, k + 1, tok_end, 6).iter().any(|x| {
                    matches!(
                        *x,
                        "action"
                            | "actions"
                            | "lawsuit"
                            | "lawsuits"
                            | "suit"
                            | "litigation"
                            | "claims"
                            | "case"
                            | "cases"
                            | "inquiry"
                            | "investigation"
                            | "charges"
                            | "allegations"
                            | "enforcement"
                    )
                }) =>
            {
                special = Some((Family::Settle, "settled", "resolve", true, k + 1));
            }
            // "entered into a formal agreement with the OCC": an agreed enforcement action.
            "formal" if n0 == "agreement" => {
                special = Some((Family::Order, "order", "consent order", false, k + 2));
            }
            // "took its systems offline": a halt of its own service.
            "took" | "take" | "takes" | "taking" | "taken"
                if next_words(seg, k + 1, tok_end, 6).contains(&"offline") =>
            {
                special = Some((Family::Halt, "shutdown", "take offline", true, k + 1));
            }
            // "issued a decision against Amazon", "the decision against Apple".
            "decision"
                if n0 == "against"
                    || matches!(prev, "issued" | "adopted")
                    || k >= tok_start + 2
                        && matches!(seg.low(k - 2), "issued" | "adopted")
                        && matches!(prev, "a" | "its" | "the") =>
            {
                special = Some((Family::Order, "order", "decision", false, k + 1));
            }
            "notice" if n0 == "of" && n1 == "appeal" => {
                special = Some((Family::Appeal, "appealed", "notice of appeal", false, k + 3));
            }
            _ => {}
        }
        let Some((family, action, lemma, verb, end)) = special.or_else(|| {
            let (f, a, l, v) = lex(w)?;
            Some((f, a, l, v, k + 1))
        }) else {
            k += 1;
            continue;
        };
        if !keep_trigger(seg, k, tok_start, tok_end, family, lemma, w, &next, prev) {
            k += 1;
            continue;
        }
        let passive = verb && is_passive(seg, k, tok_start);
        let mut family = family;
        let mut action = action;
        // "suspended ... permits/licenses" is a regulatory act; "suspended operations" a halt.
        if lemma == "suspend" || lemma == "pull" {
            let window: Vec<&str> = next_words(seg, k + 1, tok_end, 7);
            if window.iter().any(|x| {
                matches!(
                    *x,
                    "permit"
                        | "permits"
                        | "license"
                        | "licenses"
                        | "licence"
                        | "licences"
                        | "registration"
                        | "authorization"
                        | "approval"
                        | "certificate"
                )
            }) {
                family = Family::Permit;
                action = "suspension";
            }
        }
        out.push(Trigger {
            tok: k,
            tok_end: end,
            family,
            kind: fam_kind(family),
            action,
            passive,
            verb,
            lemma,
        });
        k = end;
    }
    out
}

fn is_passive(seg: &Segmented<'_>, k: usize, start: usize) -> bool {
    let w = seg.low(k);
    if !(w.ends_with("ed")
        || matches!(
            w,
            "sued" | "upheld" | "found" | "shut" | "cut" | "hit" | "threw" | "withdrawn"
        ))
    {
        return false;
    }
    let mut j = k;
    let mut steps = 0;
    while j > start && steps < 3 {
        j -= 1;
        steps += 1;
        let p = seg.low(j);
        if is_be(p) {
            return true;
        }
        if !(p.ends_with("ly")
            || matches!(
                p,
                "not"
                    | "also"
                    | "then"
                    | "subsequently"
                    | "later"
                    | "already"
                    | "since"
                    | "just"
                    | "been"
                    | "recently"
                    | "reportedly"
                    | "initially"
                    | "first"
                    | "partially"
            ))
        {
            return false;
        }
    }
    false
}

/// Word-sense checks that drop a candidate trigger.
#[expect(
    clippy::too_many_arguments,
    reason = "the checks read the neighbourhood of one word"
)]
fn keep_trigger(
    seg: &Segmented<'_>,
    k: usize,
    tok_start: usize,
    tok_end: usize,
    family: Family,
    lemma: &str,
    w: &str,
    next: &[&str],
    prev: &str,
) -> bool {
    let n0 = next.first().copied().unwrap_or("");
    let n1 = next.get(1).copied().unwrap_or("");
    // Accounting settlements: "settlement of postretirement benefits", "settled trades".
    if family == Family::Settle
        && next_words(seg, k + 1, tok_end, 5).iter().any(|x| {
            matches!(
                *x,
                "benefit"
                    | "benefits"
                    | "pension"
                    | "obligations"
                    | "reserves"
                    | "trades"
                    | "payments"
                    | "liabilities"
                    | "derivatives"
                    | "hedges"
                    | "swaps"
                    | "date"
                    | "dates"
                    | "contracts"
                    | "commodity"
                    | "commodities"
                    | "shares"
            )
        })
        || family == Family::Settle
            && matches!(prev, "physically" | "financially" | "net" | "cash")
            && !matches!(w, "settlement" | "settlements")
    {
        return false;
    }
    // Workplace perks and internal arrangements are not services to customers: "stop
    // offering free laundry services at some offices", "paused travel for employees".
    if family == Family::Halt {
        let window = next_words(seg, k + 1, tok_end, 9);
        if window.iter().any(|x| {
            matches!(
                *x,
                "offices" | "employees" | "staff" | "perks" | "workforce" | "headquarters"
            )
        }) && !window.iter().any(|x| {
            matches!(
                *x,
                "production" | "operations" | "customers" | "flights" | "sales"
            )
        }) {
            return false;
        }
    }
    // A participle used as an adjective names no act: "prohibited joint transactions",
    // "a banned substance".
    if family == Family::Ban
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
    {
        return false;
    }
    let prev2 = if k >= tok_start + 2 {
        seg.low(k - 2)
    } else {
        ""
    };
    match lemma {
        "lawsuit" => {
            // "followed suit", "follows suit", "suit up", "swimsuit".
            if matches!(w, "suit" | "suits")
                && (matches!(prev, "follow" | "follows" | "followed" | "following") || n0 == "up")
            {
                return false;
            }
            true
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
        "appeal" => {
            // "appeals court" is an authority; "appeal to voters" is not legal.
            if matches!(n0, "court" | "courts" | "panel") || n0 == "to" && w != "appealed" {
                return false;
            }
            // "appealed to the government for help": a plea, not an appeal to a court.
            if n0 == "to"
                && !next_words(seg, k + 1, tok_end, 8).iter().any(|x| {
                    matches!(
                        *x,
                        "court"
                            | "circuit"
                            | "supreme"
                            | "appeals"
                            | "tribunal"
                            | "board"
                            | "justices"
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
        "petition" => {
            matches!(n0, "for") || matches!(prev, "filed" | "its" | "the") && n0 != "drive"
        }
        "rule" => {
            // "rules" as a noun ("new rules on shoes").
            if w == "rules"
                && (matches!(
                    prev,
                    "new"
                        | "the"
                        | "its"
                        | "these"
                        | "those"
                        | "under"
                        | "safety"
                        | "proposed"
                        | "final"
                ) || matches!(
                    n0,
                    "on" | "that" | "for" | "of" | "which" | "take" | "require" | "and" | "or"
                ) || matches!(
                    prev,
                    "s" | "’s" | "'s" | "and" | "or" | "its" | "our" | "their"
                ))
            {
                return false;
            }
            !(w == "ruling" && matches!(prev, "declaratory"))
        }
        "find" => {
            // Only a court or jury finding: decided later by the actor; "found evidence" is not.
            !matches!(
                n0,
                "evidence" | "no" | "that" | "it" | "itself" | "a" | "an"
            ) || n0 == "that"
        }
        "grant" => next_words(seg, k + 1, tok_end, 7).iter().any(|x| {
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
        }),
        "deny" => {
            next_words(seg, k + 1, tok_end, 8).iter().any(|x| {
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
        "decline" => matches!(n0, "to") && matches!(n1, "review" | "hear" | "take" | "consider"),
        "turn away" => n0 == "away" || n1 == "away",
        "reduce" => next.iter().any(|x| {
            matches!(
                *x,
                "award" | "verdict" | "sum" | "damages" | "judgment" | "penalty" | "fine"
            )
        }),
        "judgment" => !matches!(
            prev,
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
        ),
        "injunction" => {
            let sought = matches!(prev, "sought" | "seeking")
                || prev == "an" && matches!(prev2, "sought" | "seeking" | "for");
            !sought
        }
        "block" => next_words(seg, k + 1, tok_end, 8).iter().any(|x| {
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
        }),
        "order" => {
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
        "dismiss" => {
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
        "throw out" => matches!(n0, "out") || n1 == "out",
        "settle" | "settlement" => {
            // "settled in", "the dust settled", "settle on".
            !matches!(
                n0,
                "in" | "on" | "into" | "down" | "for" | "how" | "whether"
            ) || n1 == "lawsuit"
        }
        "fine" => {
            if w == "fine" {
                // Noun "fine": after a determiner, an amount or "record"; not "it was fine".
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
                        && prev.trim_end_matches(['m', 'b', 'n', 'k']).chars().all(|c| {
                            c.is_ascii_digit() || c == '.' || c == ','
                        });
                return det && !matches!(n0, "print" | "line" | "tuning" | "dining");
            }
            true
        }
        "ban" => {
            if w == "bars" && !matches!(prev, "it" | "which" | "that") {
                return false;
            }
            true
        }
        "suspend" | "halt" | "pause" | "stop" | "shut down" | "close" | "discontinue"
        | "ground" | "idle" => halt_sense(seg, k, tok_start, tok_end, lemma, w, next, prev),
        "wind down" => n0 == "down",
        "shutdown" => !matches!(prev, "government" | "federal"),
        "cancel" => next.iter().take(5).any(|x| {
            matches!(
                *x,
                "flights"
                    | "flight"
                    | "departures"
                    | "trips"
                    | "orders"
                    | "service"
                    | "services"
                    | "production"
                    | "shipments"
                    | "sailings"
                    | "cruises"
                    | "trains"
            )
        }),
        "outage" => true,
        "remove" => {
            // Own products pulled from sale: "removed the Quarter Pounder from the menu".
            let window: Vec<&str> = next_words(seg, k + 1, tok_end, 14);
            window.contains(&"from")
                && window.iter().any(|x| {
                    matches!(
                        *x,
                        "menu"
                            | "menus"
                            | "sale"
                            | "shelves"
                            | "stores"
                            | "website"
                            | "market"
                            | "restaurants"
                    )
                })
                && !window.iter().any(|x| {
                    NOT_HALT_OBJECTS.contains(x)
                        || matches!(
                            *x,
                            "game"
                                | "games"
                                | "app"
                                | "apps"
                                | "content"
                                | "posts"
                                | "videos"
                                | "accounts"
                        )
                })
        }
        "pull" => {
            let window: Vec<&str> = next_words(seg, k + 1, tok_end, 12);
            (window.contains(&"from")
                || window.contains(&"out")
                || window
                    .iter()
                    .any(|x| matches!(*x, "permit" | "permits" | "license" | "licenses")))
                && !window.iter().any(|x| {
                    NOT_HALT_OBJECTS.contains(x)
                        || matches!(
                            *x,
                            "game"
                                | "games"
                                | "app"
                                | "apps"
                                | "content"
                                | "plug"
                                | "back"
                                | "ahead"
                                | "away"
                        )
                })
        }
        "exit" => {
            let window: Vec<&str> = next_words(seg, k + 1, tok_end, 5);
            window.iter().any(|x| {
                matches!(
                    *x,
                    "market"
                        | "country"
                        | "russia"
                        | "china"
                        | "europe"
                        | "business"
                        | "region"
                        | "markets"
                )
            }) || (w == "withdrew" || w == "withdraws") && n0 == "from"
        }
        "go dark" => n0 == "dark" || n0 == "down" && n1 == "for" || n0 == "offline",
        "knock offline" => next.iter().take(4).any(|x| matches!(*x, "offline" | "out")),
        "recall" => {
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
            let named_speaker =
                seg.tokens.get(k + 1).is_some_and(|t| {
                    span::from(seg.text, t.start).starts_with(|c: char| c.is_uppercase())
                }) && (k == tok_start || seg.tok(k - 1) == "," || prev == "\u{201d}");
            if (w == "recalls" || w == "recalled") && (after_quote || named_speaker) {
                return false;
            }
            !matches!(prev, "he" | "she" | "i" | "you" | "they" | "we")
                || next
                    .iter()
                    .any(|x| matches!(*x, "vehicles" | "cars" | "units" | "devices" | "products"))
        }
        _ => true,
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the checks read the neighbourhood of one word"
)]
fn halt_sense(
    seg: &Segmented<'_>,
    k: usize,
    tok_start: usize,
    tok_end: usize,
    lemma: &str,
    w: &str,
    next: &[&str],
    prev: &str,
) -> bool {
    let n0 = next.first().copied().unwrap_or("");
    let window: Vec<&str> = next_words(seg, k + 1, tok_end, 8);
    let before: Vec<&str> = (tok_start.max(k.saturating_sub(6))..k)
        .map(|j| seg.low(j))
        .collect();
    // Retailers dropping third-party goods are not halts of their own products.
    if window.iter().take(6).any(|x| {
        matches!(
            *x,
            "merchandise"
                | "items"
                | "listings"
                | "third-party"
                | "dividend"
                | "dividends"
                | "buyback"
                | "buybacks"
        )
    }) {
        return false;
    }
    // Stock trading halts, dividends, buybacks, hiring: never service halts.
    let object_region: Vec<&str> = window.iter().take(5).copied().collect();
    if object_region.iter().any(|x| NOT_HALT_OBJECTS.contains(x)) {
        // ... unless a real object comes first ("stopped selling shares"? rare).
        let first_good = object_region
            .iter()
            .position(|x| HALT_OBJECTS.contains(x) && *x != "trading");
        let first_bad = object_region
            .iter()
            .position(|x| NOT_HALT_OBJECTS.contains(x));
        if first_good.map_or(true, |g| first_bad.is_some_and(|b| b < g)) {
            return false;
        }
    }
    if before.iter().any(|x| {
        matches!(
            *x,
            "trading" | "shares" | "stock" | "dividend" | "dividends"
        )
    }) && !window
        .iter()
        .any(|x| HALT_OBJECTS.contains(x) && *x != "trading")
    {
        return false;
    }
    if window.iter().take(3).any(|x| *x == "trading")
        || before.iter().rev().take(3).any(|x| *x == "trading")
    {
        return false;
    }
    match lemma {
        "stop" => {
            // "stopped selling/building/production", not "stop using" / "stop short of".
            if matches!(n0, "short" | "using" | "by" | "at" | "in" | "to") {
                return false;
            }
            matches!(
                w,
                "stopped" | "stops" | "stop" | "stopping" | "ceased" | "ceases" | "cease"
            ) && (window
                .iter()
                .take(4)
                .any(|x| HALT_OBJECTS.contains(x) || x.ends_with("ing") && *x != "using"))
        }
        "close" => {
            // "closed down 39%" or "closed at": stock prices; "close DVD.com" is a halt.
            if matches!(
                n0,
                "down"
                    | "up"
                    | "at"
                    | "higher"
                    | "lower"
                    | "out"
                    | "the"
                    | "to"
                    | "in"
                    | "on"
                    | "its"
                    | "a"
            ) && !window.iter().any(|x| {
                matches!(
                    *x,
                    "service"
                        | "services"
                        | "plant"
                        | "plants"
                        | "stores"
                        | "factory"
                        | "operations"
                        | "business"
                )
            }) {
                return false;
            }
            if prev == "stock" || prev == "shares" {
                return false;
            }
            // Needs a service-like object or a capitalised product name next.
            let next_cap = k + 1 < tok_end
                && seg
                    .tok(k + 1)
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase());
            next_cap
                || window.iter().take(4).any(|x| {
                    matches!(
                        *x,
                        "service"
                            | "services"
                            | "plant"
                            | "plants"
                            | "stores"
                            | "factory"
                            | "factories"
                            | "operations"
                            | "business"
                            | "mine"
                            | "refinery"
                    )
                })
        }
        "shut down" => n0 == "down" || window.first() == Some(&"down"),
        "ground" => {
            // "grounded its fleet", "grounding of ... aircraft"; not "on the ground".
            w != "grounds"
                && window.iter().any(|x| {
                    matches!(
                        *x,
                        "fleet"
                            | "planes"
                            | "aircraft"
                            | "jets"
                            | "flights"
                            | "max"
                            | "airplanes"
                            | "its"
                            | "of"
                    )
                })
        }
        "idle" => prev == "stay" || prev == "remain" || prev == "sit" || w == "idled",
        _ => {
            // halt / pause / suspend: a service object, or an object owned by the subject.
            window
                .iter()
                .take(7)
                .any(|x| HALT_OBJECTS.contains(x) || matches!(*x, "its" | "their" | "all"))
                || matches!(prev, "production" | "service" | "sales" | "operations")
                || (w.ends_with('s') && !w.ends_with("ss") && window.is_empty())
        }
    }
}

/// Words that make what follows a possibility, a plan, a threat or a condition.
const HEDGES: &[&str] = &[
    "could",
    "may",
    "might",
    "should",
    "can",
    "must",
    "if",
    "unless",
    "whether",
    "threatened",
    "threatens",
    "threatening",
    "threat",
    "threats",
    "plans",
    "planned",
    "plan",
    "planning",
    "intends",
    "intend",
    "intended",
    "intention",
    "considering",
    "considers",
    "negotiating",
    "negotiate",
    "negotiations",
    "assurance",
    "consider",
    "weighing",
    "weighs",
    "proposed",
    "proposes",
    "propose",
    "proposal",
    "potential",
    "possible",
    "possibly",
    "possibility",
    "risk",
    "risks",
    "expected",
    "expects",
    "expect",
    "likely",
    "unlikely",
    "poised",
    "urged",
    "urges",
    "calls",
    "called",
    "demanded",
    "demands",
    "wants",
    "aims",
    "seeks",
    "sought",
    "seeking",
    "hopes",
    "hoped",
    "any",
    "future",
    "would-be",
    "vowed",
    "vows",
    "pledged",
    "pledges",
    "promised",
    "promises",
    "ready",
    "prepared",
    "prepares",
    "preparing",
    "mulling",
    "explore",
    "exploring",
    "contemplated",
    "contemplating",
    "rumored",
    "reportedly",
    "allegedly",
    "warned",
    "warns",
    "fear",
    "fears",
    "feared",
    "face",
    "faces",
    "facing",
    "avoid",
    "avert",
    "prevent",
    "ahead",
    "yet",
];

/// Words that negate what follows in the clause.
const NEGATIONS: &[&str] = &[
    "not", "n't", "no", "never", "neither", "nor", "without", "denied", "denies", "deny",
    "rejected", "refused", "refuses", "nothing", "none", "instead", "rather", "short",
];

/// Words that end the scope of modality when scanning back from a trigger.
fn scope_break(w: &str) -> bool {
    matches!(
        w,
        ";" | ":"
            | "but"
            | "while"
            | "although"
            | "though"
            | "whereas"
            | "after"
            | "before"
            | "since"
            | "when"
            | "—"
            | "–"
            | "because"
            | "and"
            | "which"
            | "who"
            | "that"
    )
}

/// Reads the modality of a trigger from the words before it in its clause (and a few
/// after it for "followed suit"-like idioms already handled by the lexicon).
pub fn modality(
    seg: &Segmented<'_>,
    trig: &Trigger,
    sent_tok_start: usize,
    sent_tok_end: usize,
) -> Modality {
    let _ = sent_tok_end;
    // Unconfirmed reports: "citing people familiar with the matter".
    let sent_low = span::clip(
        &seg.lower,
        seg.tokens[sent_tok_start].start,
        seg.tokens[sent_tok_end.max(sent_tok_start + 1) - 1].end,
    );
    if [
        "familiar with the matter",
        "people familiar",
        "citing people",
        "citing sources",
        "unnamed sources",
        "anonymous sources",
        "according to people",
        "according to sources",
        "sources said",
        "sources say",
        "a person familiar",
    ]
    .iter()
    .any(|c| sent_low.contains(c))
    {
        return Modality::Hedged;
    }
    // "said a report claiming it had suspended production was false": the report is not a
    // fact.
    {
        let reported = (sent_tok_start..trig.tok).any(|j| {
            matches!(
                seg.low(j),
                "report" | "reports" | "rumor" | "rumors" | "rumour" | "rumours"
            ) && matches!(
                seg.low((j + 1).min(trig.tok)),
                "claiming" | "saying" | "that" | "suggesting" | "alleging"
            )
        });
        let refuted = [
            " false",
            " untrue",
            " inaccurate",
            " not true",
            " incorrect",
            " baseless",
            " did not match the facts",
            " groundless",
        ]
        .iter()
        .any(|w| sent_low.contains(w));
        if reported && refuted {
            return Modality::Hedged;
        }
    }
    // "denied a report that it had received a subpoena": the report is not a fact.
    for j in sent_tok_start..trig.tok {
        if matches!(
            seg.low(j),
            "denied"
                | "denies"
                | "deny"
                | "disputed"
                | "disputes"
                | "refuted"
                | "dismissed"
                | "rejected"
        ) {
            let next: Vec<&str> = (j + 1..(j + 4).min(trig.tok)).map(|k| seg.low(k)).collect();
            if next.iter().any(|w| {
                matches!(
                    *w,
                    "report"
                        | "reports"
                        | "reporting"
                        | "speculation"
                        | "rumors"
                        | "rumours"
                        | "suggestions"
                )
            }) {
                return Modality::Negated;
            }
        }
    }
    // A trigger inside a list governed by a modal: "may include ... fines, recalls".
    {
        let mut modal = false;
        let mut listy = false;
        for j in sent_tok_start..trig.tok {
            let w = seg.low(j);
            if matches!(w, "may" | "might" | "could" | "can") {
                modal = true;
                listy = false;
            }
            if modal
                && matches!(
                    w,
                    ":" | "include" | "includes" | "including" | "such" | "following"
                )
            {
                listy = true;
            }
        }
        if modal && listy {
            return Modality::Hedged;
        }
    }
    // A halt someone is told to make is an order, not a halt: "ordered the group to suspend".
    if trig.kind == Some(Kind::ServiceHalt) || trig.family == Family::Halt {
        let from = sent_tok_start.max(trig.tok.saturating_sub(7));
        let ordered = (from..trig.tok).any(|j| {
            matches!(
                seg.low(j),
                "ordered"
                    | "given"
                    | "until"
                    | "deadline"
                    | "asked"
                    | "required"
                    | "directed"
                    | "told"
                    | "instructed"
                    | "requiring"
                    | "ordering"
                    | "compelled"
            )
        });
        let direct = trig.tok >= 2
            && matches!(seg.low(trig.tok - 1), "the" | "a" | "an")
            && matches!(
                seg.low(trig.tok - 2),
                "ordered" | "required" | "directed" | "mandated"
            );
        if direct || ordered && trig.tok > 0 && seg.low(trig.tok - 1) == "to" {
            return Modality::Hedged;
        }
    }
    // A request to a court or agency is not its act: "asks a judge to order", "urged the
    // agency to recall"; "toward a recall" is a step not yet taken.
    {
        let from = sent_tok_start.max(trig.tok.saturating_sub(6));
        let asking_for = !trig.verb
            && (from..trig.tok).any(|j| seg.low(j) == "for")
            && (from..trig.tok).any(|j| {
                matches!(
                    seg.low(j),
                    "asks"
                        | "ask"
                        | "asked"
                        | "asking"
                        | "petitioned"
                        | "requests"
                        | "requested"
                        | "requesting"
                        | "pressing"
                        | "pushing"
                )
            });
        let asked = asking_for
            || trig.tok > 0
                && matches!(seg.low(trig.tok - 1), "to" | "toward" | "towards")
                && (seg.low(trig.tok - 1) != "to"
                    || (from..trig.tok).any(|j| {
                        matches!(
                            seg.low(j),
                            "asks"
                                | "ask"
                                | "asked"
                                | "asking"
                                | "petitioned"
                                | "requests"
                                | "requested"
                                | "requesting"
                                | "wants"
                                | "wanted"
                        )
                    }));
        let toward =
            (from..trig.tok).any(|j| matches!(seg.low(j), "toward" | "towards") && !trig.verb);
        if asked || toward {
            return Modality::Hedged;
        }
    }
    // "is open to a settlement", "remains open to talks".
    if trig.tok >= sent_tok_start + 3
        && (sent_tok_start.max(trig.tok.saturating_sub(4))..trig.tok - 1)
            .any(|j| seg.low(j) == "open" && seg.low(j + 1) == "to")
    {
        return Modality::Hedged;
    }
    // "remained in talks with the Justice Department about resolving a criminal case".
    if (sent_tok_start.max(trig.tok.saturating_sub(10))..trig.tok).any(|j| {
        seg.low(j) == "talks"
            && matches!(
                seg.low((j + 1).min(trig.tok)),
                "about" | "to" | "over" | "on" | "with"
            )
    }) {
        return Modality::Hedged;
    }
    // A noun subject of a modal: "additional lawsuits may be filed", "a recall could
    // follow".
    if !trig.verb {
        let after: Vec<&str> = (trig.tok_end..sent_tok_end.min(trig.tok_end + 5))
            .map(|j| seg.low(j))
            .collect();
        if let Some(i) = after
            .iter()
            .position(|w| matches!(*w, "may" | "might" | "could" | "would" | "can"))
        {
            let rest = &after[i + 1..];
            let hypothetical = match rest.first().copied() {
                Some("be") => rest.get(1).is_some_and(|w| {
                    matches!(
                        *w,
                        "filed"
                            | "brought"
                            | "issued"
                            | "imposed"
                            | "ordered"
                            | "launched"
                            | "opened"
                            | "asserted"
                            | "commenced"
                            | "instituted"
                            | "required"
                    )
                }),
                Some(w) => matches!(w, "follow" | "result" | "arise" | "come" | "ensue"),
                None => false,
            };
            if hypothetical {
                return Modality::Hedged;
            }
        }
    }
    // "The complaint asks the court to order Exxon ... to pay civil penalties": penalties
    // asked for anywhere earlier in the sentence, with no act of imposing in between.
    if trig.family == Family::Fine && !trig.verb {
        let mut asked = false;
        for j in sent_tok_start..trig.tok {
            match seg.low(j) {
                "asks" | "asked" | "asking" | "seeks" | "seeking" | "sought" | "requests"
                | "requested" | "requesting" => asked = true,
                "agreed" | "ordered" | "imposed" | "fined" | "assessed" | "levied" => {
                    asked = false;
                }
                _ => {}
            }
        }
        if asked {
            return Modality::Hedged;
        }
    }
    // Penalties a suit asks for are part of the suit: "seeking civil penalties".
    if trig.family == Family::Fine && !trig.verb {
        let from = sent_tok_start.max(trig.tok.saturating_sub(8));
        if (from..trig.tok).any(|j| {
            matches!(
                seg.low(j),
                "seeking" | "seeks" | "seek" | "sought" | "demanding" | "requesting"
            )
        }) {
            return Modality::Hedged;
        }
    }
    let mut j = trig.tok;
    let mut steps = 0;
    let will_ok = matches!(
        trig.family,
        Family::Halt | Family::Settle | Family::Recall | Family::Order | Family::Fine
    ) || matches!(trig.kind, Some(Kind::ServiceHalt));
    while j > sent_tok_start && steps < 10 {
        j -= 1;
        steps += 1;
        let w = seg.low(j);
        if scope_break(w) {
            // "that" after a reporting verb continues the reported clause: "said that it
            // would", but negation/hedge before "said" does not reach in. Stop.
            break;
        }
        if w == "," && steps > 3 {
            break;
        }
        if NEGATIONS.contains(&w) {
            // "not only", "no longer" (still a fact?): "no longer" means it stopped — a halt.
            if w == "no" && j + 1 < seg.tokens.len() && seg.low(j + 1) == "longer" {
                continue;
            }
            if matches!(w, "denied" | "denies" | "deny" | "rejected")
                && matches!(trig.family, Family::Ruling | Family::Appeal)
            {
                continue;
            }
            if w == "without" && steps > 2 {
                continue;
            }
            if matches!(w, "instead" | "rather")
                && !(j + 1 < seg.tokens.len() && matches!(seg.low(j + 1), "than" | "of"))
            {
                continue;
            }
            if w == "short" && !(j + 1 < seg.tokens.len() && seg.low(j + 1) == "of") {
                continue;
            }
            return Modality::Negated;
        }
        if HEDGES.contains(&w) {
            // "a proposed class action" is a filed putative class action.
            if matches!(w, "proposed")
                && j + 1 == trig.tok
                && matches!(trig.family, Family::SuitNoun)
            {
                continue;
            }
            // "seeking $5 billion" is the amount of a suit, not a hedge on "sued"; only a hedge
            // when it governs the trigger directly ("seeks to ban").
            if matches!(w, "seeks" | "sought" | "seeking")
                && !(j + 1 < seg.tokens.len() && seg.low(j + 1) == "to")
            {
                continue;
            }
            if matches!(w, "face" | "faces" | "facing")
                && matches!(trig.family, Family::SuitNoun | Family::Sue)
                && trig.lemma != "class action"
            {
                // "faces a lawsuit filed by" is a fact when "filed" follows; handled by the
                // licensing check. Bare "faces lawsuits" stays hedged.
                return Modality::Hedged;
            }
            if matches!(w, "face" | "faces" | "facing") {
                continue;
            }
            if w == "any" && steps > 2 {
                continue;
            }
            if matches!(w, "expected" | "expects" | "expect") && will_ok {
                // "is expected to halt" stays hedged.
                return Modality::Hedged;
            }
            if w == "ahead" {
                continue;
            }
            if w == "yet" && !(j + 1 < seg.tokens.len() && seg.low(j + 1) == "to") {
                continue;
            }
            return Modality::Hedged;
        }
        if matches!(w, "will" | "would" | "shall" | "'ll" | "going") && !will_ok {
            return Modality::Hedged;
        }
        if matches!(w, "would") && will_ok {
            // "said it would halt" is an announcement; "would have" is counterfactual.
            if j + 1 < seg.tokens.len() && seg.low(j + 1) == "have" {
                return Modality::Hedged;
            }
        }
    }
    Modality::Fact
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trig(text: &str) -> Vec<(&'static str, Modality)> {
        let seg = Segmented::new(text);
        let s = seg.sentences[0];
        find_triggers(&seg, s.tok_start, s.tok_end)
            .iter()
            .map(|t| (t.lemma, modality(&seg, t, s.tok_start, s.tok_end)))
            .collect()
    }

    #[test]
    fn figurative_and_non_legal_senses_are_not_triggers() {
        assert!(trig("Delta followed suit and raised fees.").is_empty());
        assert!(trig("The stock closed down 39% after trading was halted.").is_empty());
        assert!(trig("The company suspended its dividend.").is_empty());
        assert!(trig("Consumers should stop using the machines.").is_empty());
    }

    #[test]
    fn negation_and_hedging_are_read() {
        assert_eq!(
            trig("Tesla said it planned to appeal."),
            vec![("appeal", Modality::Hedged)]
        );
        assert_eq!(
            trig("Experts said firms could face lawsuits."),
            vec![("lawsuit", Modality::Hedged)]
        );
        assert_eq!(
            trig("It has not issued a recall."),
            vec![("recall", Modality::Negated)]
        );
        assert_eq!(
            trig("Musk threatened to sue Microsoft."),
            vec![("sue", Modality::Hedged)]
        );
        assert_eq!(
            trig("Google said it will shut down Stadia."),
            vec![("shut down", Modality::Fact)]
        );
        assert_eq!(
            trig("Acme sued Widgets on Monday."),
            vec![("sue", Modality::Fact)]
        );
    }

    #[test]
    fn passive_voice_is_detected() {
        let seg = Segmented::new("Norfolk Southern was sued by the Justice Department.");
        let s = seg.sentences[0];
        let t = find_triggers(&seg, s.tok_start, s.tok_end);
        assert!(t[0].passive);
    }
}
