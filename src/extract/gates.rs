//! Gates: readings of a trigger that report a fact and still make no event. A suit noun
//! that nothing files, a procedural step (a stay, a transfer, an amended complaint), a
//! noun read through the verb that governs it, a passive about people in general, an act
//! of a legislature, a regulatory act without an agency, a court's act without a court,
//! an earlier decision named by a later one, an ongoing practice, generic suits.
//!
//! Each gate returns `true` when the reading may stand.

use super::args::authority::{is_agency, is_court};
use super::args::roles::Slots;
use super::args::Ctx;
use super::authorities::Authority;
use super::lexicon::{
    GENERIC_SUITS, LEGAL_MATTERS, PEOPLE_NOUNS, PROCEDURAL_STEPS, SUIT_VERBS_BEFORE,
    SUIT_WORDS_AFTER,
};
use super::text::Segmented;
use super::triggers::{Family, Trigger};
use super::types::Kind;

/// Gates read before the arguments: whether the trigger itself may make an event.
pub fn trigger_stands(cx: &Ctx<'_>) -> bool {
    let (seg, trig, clause) = (cx.seg, cx.trig, cx.clause);
    if trig.family == Family::SuitNoun && !suit_licensed(seg, trig, clause.0, clause.1) {
        return false;
    }
    // A noun trigger governed by another trigger in the same clause ("filed a lawsuit",
    // "dismissed the suit", "settle lawsuits") is read through that trigger.
    if procedural(seg, trig, clause) {
        return false;
    }
    // "objections ... were settled by the board": only a legal matter is settled as a case.
    if trig.family == Family::Settle && trig.passive {
        let from = clause.0.max(trig.tok.saturating_sub(6));
        if !(from..trig.tok).any(|j| LEGAL_MATTERS.contains(seg.low(j))) {
            return false;
        }
    }
    !governed(cx)
}

/// A trigger read through another trigger of its clause.
fn governed(cx: &Ctx<'_>) -> bool {
    let (seg, trig, clause, all) = (cx.seg, cx.trig, cx.clause, cx.all);
    // A purpose clause names no act of its own: "decided to recall ... to resolve the
    // investigation" (the noun it governs is still read through it below).
    if trig.lemma == "resolve"
        && trig.tok > 0
        && seg.low(trig.tok - 1) == "to"
        && all
            .iter()
            .any(|o| o.tok < trig.tok && o.family != Family::Settle)
    {
        return true;
    }
    // "to resolve the inquiry of the FTC", "settle the probe": the investigation is what is
    // settled, not a new one.
    if !trig.verb && trig.family == Family::Investigation {
        let governed = all.iter().any(|o| {
            o.tok < trig.tok
                && trig.tok - o.tok <= 6
                && o.tok >= clause.0
                && o.family == Family::Settle
        });
        if governed {
            return true;
        }
    }
    if !trig.verb && matches!(trig.family, Family::SuitNoun | Family::Appeal) {
        return all.iter().any(|o| {
            o.tok > trig.tok
                && o.tok - trig.tok <= 4
                && matches!(o.family, Family::Ruling | Family::Dismiss)
                && o.verb
                || o.tok < trig.tok
                    && trig.tok - o.tok <= 6
                    && o.tok >= clause.0
                    && matches!(
                        o.family,
                        Family::Settle | Family::Dismiss | Family::Ruling | Family::Sue
                    )
        });
    }
    false
}

/// Gates read once the kind and the authority are known.
pub fn kind_stands(
    cx: &Ctx<'_>,
    kind: Kind,
    auth: Option<&Authority>,
    slots: &Slots,
    legislature_only: bool,
) -> bool {
    let (seg, trig, clause) = (cx.seg, cx.trig, cx.clause);
    // A passive trigger whose subject is people, not a company: "customers who are sued".
    if trig.passive && slots.patients.is_empty() {
        let mut j = trig.tok;
        while j > clause.0 && (is_be_or_adv(seg.low(j - 1))) {
            j -= 1;
        }
        if j > clause.0 {
            let mut subj = seg.low(j - 1);
            if matches!(subj, "who" | "that" | "which") && j > clause.0 + 1 {
                subj = seg.low(j - 2);
            }
            if PEOPLE_NOUNS.contains(subj) {
                return false;
            }
        }
    }
    // The same in the present tense of a relative clause: "registrants who settle admit
    // the facts", "users that sue must first ..." tell what happens in general.
    if trig.verb && !trig.passive && trig.tok > clause.0 + 1 {
        let rel = seg.low(trig.tok - 1);
        let present = !seg.low(trig.tok).ends_with("ed");
        if present && matches!(rel, "who" | "that") && PEOPLE_NOUNS.contains(seg.low(trig.tok - 2))
        {
            return false;
        }
    }
    if kind == Kind::RegulatoryAction && legislature_only && trig.family != Family::Recall {
        return false;
    }
    // Lawmakers who seek to block a deal pass laws, not suits.
    if trig.lemma == "sue to block" && legislature_only {
        return false;
    }
    // Regulatory acts other than recalls need an agency.
    if kind == Kind::RegulatoryAction
        && trig.family != Family::Recall
        && !is_agency(auth)
        && !(auth.is_none() && super::args::kind::fine_for_breaking_rules(cx))
    {
        return false;
    }
    // Court decisions need a court.
    if kind == Kind::Lawsuit
        && matches!(trig.family, Family::Ruling | Family::Dismiss)
        && !is_court(auth)
    {
        let passive_case = trig.passive || trig.lemma == "dismiss";
        if !passive_case {
            return false;
        }
    }
    true
}

fn is_be_or_adv(w: &str) -> bool {
    matches!(
        w,
        "was"
            | "were"
            | "is"
            | "are"
            | "been"
            | "being"
            | "be"
            | "get"
            | "gets"
            | "got"
            | "not"
            | "also"
            | "later"
            | "subsequently"
    ) || w.ends_with("ly")
}

/// Gates read once the date is known: `explicit` when a date was written for the
/// trigger.
pub fn dated_stands(cx: &Ctx<'_>, explicit: bool) -> bool {
    // "the group that brought the case" without a date refers back to a case already
    // reported; with a date ("filed the case in October 2020") it reports the filing.
    if cx.trig.lemma == "file a case" && !explicit {
        return false;
    }
    if names_earlier_decision(cx) {
        return false;
    }
    explicit || !(ongoing_practice(cx) || generic_suits(cx))
}

/// "reversed the trial court's dismissal", "upheld the verdict": the earlier decision is
/// named, not made, unless it carries its own date ("overturned a 2021 ruling").
fn names_earlier_decision(cx: &Ctx<'_>) -> bool {
    let (view, seg, trig, clause, all) = (cx.view, cx.seg, cx.trig, cx.clause, cx.all);
    let trig_pos = cx.trig_pos;
    let noun_like = !trig.verb || matches!(seg.low(trig.tok), "dismissal" | "ruling" | "decision");
    if !(noun_like
        && matches!(
            trig.family,
            Family::Dismiss | Family::Ruling | Family::Settle
        ))
    {
        return false;
    }
    let governor = all.iter().find(|o| {
        o.verb
            && o.family == Family::Ruling
            && o.tok < trig.tok
            && trig.tok - o.tok <= 10
            && o.tok >= clause.0
    });
    let Some(g) = governor else {
        return false;
    };
    let g_end = seg.tokens[g.tok_end.saturating_sub(1)].end;
    let lo = view.dates.partition_point(|d| d.start < g_end);
    let own_date = view.dates[lo..]
        .iter()
        .take_while(|d| d.start < trig_pos)
        .any(|d| d.end <= trig_pos && d.date.is_some());
    !own_date
}

/// "has been closing stores": an ongoing practice, not a dated halt (checked when no
/// date is written).
fn ongoing_practice(cx: &Ctx<'_>) -> bool {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    if !(trig.family == Family::Halt && trig.tok >= sent.tok_start + 2) {
        return false;
    }
    // "has (also) been closing"
    let mut j = trig.tok - 1;
    let been = seg.low(j) == "been";
    while j > sent.tok_start + 1
        && matches!(
            seg.low(j - 1),
            "also" | "steadily" | "gradually" | "quietly"
        )
    {
        j -= 1;
    }
    been && j > sent.tok_start
        && matches!(seg.low(j - 1), "has" | "have" | "had")
        && seg.low(trig.tok).ends_with("ing")
}

/// "claims ... in a number of pending lawsuits", "various legal proceedings": generic,
/// no specific action (checked when no date is written).
fn generic_suits(cx: &Ctx<'_>) -> bool {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    if !matches!(trig.family, Family::SuitNoun) {
        return false;
    }
    let w = seg.low(trig.tok);
    let plural = w.ends_with('s')
        || trig.lemma == "class action" && {
            let last = seg.low(trig.tok_end.saturating_sub(1));
            last.ends_with('s')
        };
    let from = sent.tok_start.max(trig.tok.saturating_sub(5));
    let generic = (from..trig.tok).any(|j| GENERIC_SUITS.contains(seg.low(j)));
    plural && generic
}

fn procedural(seg: &Segmented<'_>, trig: &Trigger, clause: (usize, usize)) -> bool {
    let words = |a: usize, b: usize| (a..b.min(clause.1)).map(|j| seg.low(j));
    match trig.family {
        Family::Ruling if trig.verb => {
            let after: Vec<&str> = words(trig.tok_end, trig.tok_end + 8).collect();
            let stay = after.windows(2).any(|p| {
                matches!(p[0], "stay" | "stays")
                    && matches!(p[1], "the" | "of" | "proceedings" | "discovery" | "pending")
            }) && after.iter().any(|w| {
                matches!(
                    *w,
                    "mandate" | "proceedings" | "discovery" | "pending" | "case" | "action"
                )
            });
            let other = after.iter().take(4).any(|w| PROCEDURAL_STEPS.contains(w));
            stay || other
        }
        Family::SuitNoun | Family::Sue => {
            let right_before = words(clause.0.max(trig.tok.saturating_sub(2)), trig.tok)
                .any(|w| matches!(w, "amended" | "amend"));
            right_before
                || words(clause.0, clause.1).any(|w| matches!(w, "amended" | "amend"))
                    && !words(clause.0, clause.1).any(|w| w == "filed" || w == "sued")
        }
        Family::Ruling => {
            let from = clause.0.max(trig.tok.saturating_sub(4));
            let before: Vec<&str> = words(from, trig.tok).collect();
            before.iter().any(|w| matches!(*w, "from" | "against"))
                && before
                    .iter()
                    .any(|w| matches!(*w, "appeal" | "appealed" | "appeals" | "appealing"))
        }
        _ => false,
    }
}

/// Nouns that license a suit noun as a real suit ("filed a lawsuit", "the suit seeks").
fn suit_licensed(seg: &Segmented<'_>, trig: &Trigger, s_start: usize, s_end: usize) -> bool {
    let left: Vec<&str> = (s_start.max(trig.tok.saturating_sub(7))..trig.tok)
        .map(|j| seg.low(j))
        .collect();
    let right: Vec<&str> = (trig.tok_end..s_end.min(trig.tok_end + 6))
        .map(|j| seg.low(j))
        .collect();
    if left.iter().any(|w| SUIT_VERBS_BEFORE.contains(w)) {
        return true;
    }
    right.iter().take(4).any(|w| SUIT_WORDS_AFTER.contains(w))
}

#[cfg(test)]
mod tests {
    use super::super::args::testing::{ctx, index, Doc};
    use super::*;

    fn stands(text: &str, lemma: &str) -> bool {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        trigger_stands(&ctx(&view, &doc, lemma))
    }

    fn dated(text: &str, lemma: &str, explicit: bool) -> bool {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        dated_stands(&ctx(&view, &doc, lemma), explicit)
    }

    /// The kinds of the events the whole extractor finds in a text, over the test index.
    fn kinds(text: &str) -> Vec<Kind> {
        super::super::args::testing::extract_all(text)
            .iter()
            .map(|e| e.kind)
            .collect()
    }

    #[test]
    fn enforcers_that_seek_to_block_a_deal_sue_and_lawmakers_do_not() {
        assert_eq!(
            kinds("The agency sought to block Acme Corp's purchase of Globex Inc on Monday."),
            vec![Kind::Lawsuit]
        );
        assert!(kinds("Lawmakers sought to block Acme Corp's purchase of Globex Inc.").is_empty());
        // Without a deal, seeking to block is a request, not a suit.
        assert!(
            !kinds("The agency sought to block Acme Corp from selling the pills.")
                .contains(&Kind::Lawsuit)
        );
    }

    #[test]
    fn what_people_in_general_do_in_the_present_is_no_event() {
        let general =
            "Under the orders against Acme Corp, registrants who settle must hire a monitor.";
        assert!(
            !kinds(general).contains(&Kind::Lawsuit),
            "{:?}",
            kinds(general)
        );
        assert!(kinds("Customers that sue Globex Inc must first go to arbitration.").is_empty());
        // A past suit by a group is an event.
        assert_eq!(
            kinds("Customers who sued Globex Inc in May won $2 million."),
            vec![Kind::Lawsuit]
        );
    }

    #[test]
    fn a_suit_noun_needs_a_filing() {
        assert!(stands("Globex filed a lawsuit against Acme.", "lawsuit"));
        assert!(!stands("Lawsuit worries weigh on Acme.", "lawsuit"));
    }

    #[test]
    fn procedural_steps_are_not_events() {
        assert!(!stands(
            "Acme filed an amended complaint on Tuesday.",
            "complaint"
        ));
        assert!(!stands(
            "The court granted a stay of proceedings pending appeal.",
            "grant"
        ));
    }

    #[test]
    fn a_passive_settlement_needs_a_legal_matter() {
        assert!(!stands(
            "The objections were settled by the board.",
            "settle"
        ));
        assert!(stands("The claims were settled last year.", "settle"));
    }

    #[test]
    fn generic_and_ongoing_readings_need_a_date() {
        assert!(!dated(
            "Acme faces various pending lawsuits.",
            "lawsuit",
            false
        ));
        assert!(dated(
            "Acme faces various pending lawsuits.",
            "lawsuit",
            true
        ));
        assert!(!dated("Acme has been closing stores.", "close", false));
    }
}
