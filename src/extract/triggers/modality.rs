//! Modality: whether a kept trigger reports a fact. Each check below reads the trigger's
//! sentence and may decide; the first that decides wins, in the order of `CHECKS`;
//! a trigger none decides on is a fact.

use super::{Family, Modality, Trigger};
use crate::extract::lexicon::{
    DENIALS, DIRECTIVES, HABITUAL, HEDGES, NEGATIONS, PROSPECTS, REFUTED, SCOPE_BREAKS, UNCONFIRMED,
};
use crate::extract::span;
use crate::extract::text::Segmented;
use crate::extract::types::Kind;

/// A trigger in its sentence: what the checks read.
struct Scope<'s> {
    seg: &'s Segmented<'s>,
    trig: &'s Trigger,
    /// The sentence's token range.
    start: usize,
    end: usize,
    /// The sentence, lowercased.
    low: &'s str,
}

type Check = fn(&Scope<'_>) -> Option<Modality>;

/// The checks, in the order they are tried.
const CHECKS: [Check; 15] = [
    unconfirmed,
    habitual,
    prospect,
    closed_inquiry,
    refuted_report,
    denied_report,
    modal_list,
    ordered_halt,
    requested,
    open_to,
    in_talks,
    modal_after_noun,
    fine_asked_for,
    fine_sought,
    scan_back,
];

/// Reads the modality of a trigger from the words before it in its clause (and a few
/// after it for "followed suit"-like idioms already handled by the lexicon).
pub fn modality(
    seg: &Segmented<'_>,
    trig: &Trigger,
    sent_tok_start: usize,
    sent_tok_end: usize,
) -> Modality {
    let low = span::clip(
        &seg.lower,
        seg.tokens[sent_tok_start].start,
        seg.tokens[sent_tok_end.max(sent_tok_start + 1) - 1].end,
    );
    let scope = Scope {
        seg,
        trig,
        start: sent_tok_start,
        end: sent_tok_end,
        low,
    };
    CHECKS
        .iter()
        .find_map(|check| check(&scope))
        .unwrap_or(Modality::Fact)
}

/// A sanction a company faces or risks is not imposed yet: "faces a hefty fine",
/// "is facing the prospect of a ban", "risks penalties of up to 10%". Only the nouns of
/// sanctions; a suit someone faces is usually filed.
fn prospect(s: &Scope<'_>) -> Option<Modality> {
    let trig = s.trig;
    let sanction = matches!(
        trig.family,
        Family::Fine | Family::Ban | Family::Order | Family::Permit | Family::Recall
    );
    if !sanction || trig.verb {
        return None;
    }
    let from = trig.tok.saturating_sub(8).max(s.start);
    (from..trig.tok)
        .rev()
        .take_while(|&j| !SCOPE_BREAKS.contains(s.seg.low(j)) && s.seg.low(j) != ",")
        .any(|j| PROSPECTS.contains(s.seg.low(j)))
        .then_some(Modality::Hedged)
}

/// An investigation an agency closed, ended or dropped is no new act: "regulators have
/// closed investigations into the vehicles without calling for recalls" (the end of a
/// story whose start may be elsewhere).
fn closed_inquiry(s: &Scope<'_>) -> Option<Modality> {
    let trig = s.trig;
    if trig.family != Family::Investigation || trig.verb {
        return None;
    }
    let from = trig.tok.saturating_sub(4).max(s.start);
    (from..trig.tok)
        .any(|j| {
            matches!(
                s.seg.low(j),
                "closed"
                    | "closes"
                    | "closing"
                    | "ended"
                    | "ends"
                    | "concluded"
                    | "concludes"
                    | "dropped"
                    | "drops"
            )
        })
        .then_some(Modality::Negated)
}

/// What usually happens is no event: an adverb of frequency or "from time to time"
/// before the trigger in its clause ("we regularly receive subpoenas", "we are generally
/// not able to estimate settlement amounts", "from time to time we are sued").
fn habitual(s: &Scope<'_>) -> Option<Modality> {
    let seg = s.seg;
    let mut j = s.trig.tok;
    while j > s.start {
        j -= 1;
        let w = seg.low(j);
        if matches!(w, ";" | "but" | "although" | "though" | "whereas" | "while") {
            return None;
        }
        let from_time_to_time = w == "from"
            && j + 3 < s.trig.tok
            && seg.low(j + 1) == "time"
            && seg.low(j + 2) == "to"
            && seg.low(j + 3) == "time";
        if HABITUAL.contains(w) || from_time_to_time {
            return Some(Modality::Hedged);
        }
    }
    // "we are sued from time to time".
    (s.trig.tok + 1..s.end.saturating_sub(3))
        .any(|k| {
            seg.low(k) == "from"
                && seg.low(k + 1) == "time"
                && seg.low(k + 2) == "to"
                && seg.low(k + 3) == "time"
        })
        .then_some(Modality::Hedged)
}

/// Unconfirmed reports: "citing people familiar with the matter".
fn unconfirmed(s: &Scope<'_>) -> Option<Modality> {
    UNCONFIRMED.any_in(s.low).then_some(Modality::Hedged)
}

/// "said a report claiming it had suspended production was false": the report is not a
/// fact.
fn refuted_report(s: &Scope<'_>) -> Option<Modality> {
    let seg = s.seg;
    let reported = (s.start..s.trig.tok).any(|j| {
        matches!(
            seg.low(j),
            "report" | "reports" | "rumor" | "rumors" | "rumour" | "rumours"
        ) && matches!(
            seg.low((j + 1).min(s.trig.tok)),
            "claiming" | "saying" | "that" | "suggesting" | "alleging"
        )
    });
    let refuted = REFUTED.any_in(s.low);
    (reported && refuted).then_some(Modality::Hedged)
}

/// "denied a report that it had received a subpoena": the report is not a fact.
fn denied_report(s: &Scope<'_>) -> Option<Modality> {
    let (seg, trig) = (s.seg, s.trig);
    for j in s.start..trig.tok {
        if DENIALS.contains(seg.low(j)) {
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
                return Some(Modality::Negated);
            }
            // "denied on Tuesday that it would shut down the service": what is denied
            // in a that-clause did not happen.
            let denied_that = seg.low(j) != "dismissed"
                && (j + 1..(j + 5).min(trig.tok)).any(|k| seg.low(k) == "that")
                && !(j + 1..trig.tok).any(|k| matches!(seg.low(k), "," | ";" | "but"));
            if denied_that {
                return Some(Modality::Negated);
            }
        }
    }
    None
}

/// A trigger inside a list governed by a modal: "may include ... fines, recalls".
fn modal_list(s: &Scope<'_>) -> Option<Modality> {
    let mut modal = false;
    let mut listy = false;
    for j in s.start..s.trig.tok {
        let w = s.seg.low(j);
        if matches!(w, "may" | "might" | "could" | "can") {
            modal = true;
            listy = false;
        }
        if modal
            && matches!(
                w,
                ":" | "include"
                    | "includes"
                    | "including"
                    | "such"
                    | "following"
                    | "lead"
                    | "result"
                    | "cause"
            )
        {
            listy = true;
        }
    }
    (modal && listy).then_some(Modality::Hedged)
}

/// A halt someone is told to make is an order, not a halt: "ordered the group to suspend".
fn ordered_halt(s: &Scope<'_>) -> Option<Modality> {
    let (seg, trig) = (s.seg, s.trig);
    if !(trig.kind == Some(Kind::ServiceHalt) || trig.family == Family::Halt) {
        return None;
    }
    let from = s.start.max(trig.tok.saturating_sub(7));
    let ordered = (from..trig.tok).any(|j| DIRECTIVES.contains(seg.low(j)));
    let direct = trig.tok >= 2
        && matches!(seg.low(trig.tok - 1), "the" | "a" | "an")
        && matches!(
            seg.low(trig.tok - 2),
            "ordered" | "required" | "directed" | "mandated"
        );
    (direct || ordered && trig.tok > 0 && seg.low(trig.tok - 1) == "to").then_some(Modality::Hedged)
}

/// A request to a court or agency is not its act: "asks a judge to order", "urged the
/// agency to recall"; "toward a recall" is a step not yet taken.
fn requested(s: &Scope<'_>) -> Option<Modality> {
    let (seg, trig) = (s.seg, s.trig);
    let from = s.start.max(trig.tok.saturating_sub(6));
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
    let toward = (from..trig.tok).any(|j| matches!(seg.low(j), "toward" | "towards") && !trig.verb);
    (asked || toward).then_some(Modality::Hedged)
}

/// "is open to a settlement", "remains open to talks".
fn open_to(s: &Scope<'_>) -> Option<Modality> {
    let (seg, trig) = (s.seg, s.trig);
    (trig.tok >= s.start + 3
        && (s.start.max(trig.tok.saturating_sub(4))..trig.tok - 1)
            .any(|j| seg.low(j) == "open" && seg.low(j + 1) == "to"))
    .then_some(Modality::Hedged)
}

/// "remained in talks with the Justice Department about resolving a criminal case".
fn in_talks(s: &Scope<'_>) -> Option<Modality> {
    let (seg, trig) = (s.seg, s.trig);
    (s.start.max(trig.tok.saturating_sub(10))..trig.tok)
        .any(|j| {
            seg.low(j) == "talks"
                && matches!(
                    seg.low((j + 1).min(trig.tok)),
                    "about" | "to" | "over" | "on" | "with"
                )
        })
        .then_some(Modality::Hedged)
}

/// A noun subject of a modal: "additional lawsuits may be filed", "a recall could
/// follow".
fn modal_after_noun(s: &Scope<'_>) -> Option<Modality> {
    let (seg, trig) = (s.seg, s.trig);
    if trig.verb {
        return None;
    }
    let after: Vec<&str> = (trig.tok_end..s.end.min(trig.tok_end + 5))
        .map(|j| seg.low(j))
        .collect();
    let i = after
        .iter()
        .position(|w| matches!(*w, "may" | "might" | "could" | "would" | "can"))?;
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
    hypothetical.then_some(Modality::Hedged)
}

/// "The complaint asks the court to order Exxon ... to pay civil penalties": penalties
/// asked for anywhere earlier in the sentence, with no act of imposing in between.
fn fine_asked_for(s: &Scope<'_>) -> Option<Modality> {
    let trig = s.trig;
    if trig.family != Family::Fine || trig.verb {
        return None;
    }
    let mut asked = false;
    for j in s.start..trig.tok {
        match s.seg.low(j) {
            "asks" | "asked" | "asking" | "seeks" | "seeking" | "sought" | "requests"
            | "requested" | "requesting" => asked = true,
            "agreed" | "ordered" | "imposed" | "fined" | "assessed" | "levied" => {
                asked = false;
            }
            _ => {}
        }
    }
    asked.then_some(Modality::Hedged)
}

/// Penalties a suit asks for are part of the suit: "seeking civil penalties".
fn fine_sought(s: &Scope<'_>) -> Option<Modality> {
    let trig = s.trig;
    if trig.family != Family::Fine || trig.verb {
        return None;
    }
    let from = s.start.max(trig.tok.saturating_sub(8));
    (from..trig.tok)
        .any(|j| {
            matches!(
                s.seg.low(j),
                "seeking" | "seeks" | "seek" | "sought" | "demanding" | "requesting"
            )
        })
        .then_some(Modality::Hedged)
}

/// Whether token `j + 1` exists and reads as one of `words`.
fn next_is(seg: &Segmented<'_>, j: usize, words: &[&str]) -> bool {
    j + 1 < seg.tokens.len() && words.contains(&seg.low(j + 1))
}

/// The scan back from the trigger over at most ten words of its clause: a negation or a
/// hedge in scope decides; "will" / "would" hedge triggers that are not announced ahead.
fn scan_back(s: &Scope<'_>) -> Option<Modality> {
    let (seg, trig) = (s.seg, s.trig);
    let mut j = trig.tok;
    let mut steps = 0;
    let will_ok = matches!(
        trig.family,
        Family::Halt | Family::Settle | Family::Recall | Family::Order | Family::Fine
    ) || matches!(trig.kind, Some(Kind::ServiceHalt));
    while j > s.start && steps < 10 {
        j -= 1;
        steps += 1;
        let w = seg.low(j);
        if SCOPE_BREAKS.contains(w) {
            // "that" after a reporting verb continues the reported clause: "said that it
            // would", but negation/hedge before "said" does not reach in. Stop.
            break;
        }
        if w == "," && steps > 3 {
            break;
        }
        if NEGATIONS.contains(w) {
            if negation_applies(seg, trig, j, w, steps) {
                return Some(Modality::Negated);
            }
            continue;
        }
        if HEDGES.contains(w) {
            match hedge_applies(seg, trig, j, w, steps, will_ok) {
                Some(m) => return Some(m),
                None => continue,
            }
        }
        // "said on Monday it would look into": an agency announcing an inquiry opens it.
        let announced_inquiry = trig.family == Family::Investigation
            && matches!(w, "will" | "would")
            && (j.saturating_sub(6).max(s.start)..j).any(|x| {
                matches!(
                    seg.low(x),
                    "said" | "says" | "announced" | "announces" | "told" | "confirmed"
                )
            });
        if matches!(w, "will" | "would" | "shall" | "'ll" | "going")
            && !will_ok
            && !announced_inquiry
        {
            return Some(Modality::Hedged);
        }
        if matches!(w, "would") && will_ok {
            // "said it would halt" is an announcement; "would have" is counterfactual.
            if next_is(seg, j, &["have"]) {
                return Some(Modality::Hedged);
            }
        }
    }
    None
}

/// Whether the negation word `w` at token `j` negates the trigger.
fn negation_applies(seg: &Segmented<'_>, trig: &Trigger, j: usize, w: &str, steps: usize) -> bool {
    // "not only", "no longer" (still a fact?): "no longer" means it stopped — a halt.
    if w == "no" && next_is(seg, j, &["longer"]) {
        return false;
    }
    if matches!(w, "denied" | "denies" | "deny" | "rejected")
        && matches!(trig.family, Family::Ruling | Family::Appeal)
    {
        return false;
    }
    // "without a recall", and through a verb of asking: "without calling for recalls".
    let through_gerund = steps <= 4 && j + 1 < seg.tokens.len() && seg.low(j + 1).ends_with("ing");
    if w == "without" && steps > 2 && !through_gerund {
        return false;
    }
    if matches!(w, "instead" | "rather") && !next_is(seg, j, &["than", "of"]) {
        return false;
    }
    if w == "short" && !next_is(seg, j, &["of"]) {
        return false;
    }
    true
}

/// What the hedge word `w` at token `j` makes of the trigger: `None` when it does not
/// reach it (the scan goes on).
fn hedge_applies(
    seg: &Segmented<'_>,
    trig: &Trigger,
    j: usize,
    w: &str,
    steps: usize,
    will_ok: bool,
) -> Option<Modality> {
    // "a proposed class action" is a filed putative class action.
    if matches!(w, "proposed") && j + 1 == trig.tok && matches!(trig.family, Family::SuitNoun) {
        return None;
    }
    // "proposed a $5.4 million civil penalty against" is an agency's act: its notice of
    // a penalty (a proposed rule or ban stays a plan).
    if matches!(w, "proposes" | "proposed" | "propose")
        && trig.family == Family::Fine
        && !trig.verb
        && (j + 1..trig.tok).all(|x| {
            let t = seg.low(x);
            matches!(
                t,
                "a" | "an" | "civil" | "monetary" | "money" | "$" | "million" | "billion"
            ) || t.starts_with(|c: char| c.is_ascii_digit() || c == '$')
        })
    {
        return None;
    }
    // "seeking $5 billion" is the amount of a suit, not a hedge on "sued"; only a hedge
    // when it governs the trigger directly ("seeks to ban").
    if matches!(w, "seeks" | "sought" | "seeking") && !next_is(seg, j, &["to"]) {
        return None;
    }
    if matches!(w, "face" | "faces" | "facing")
        && matches!(trig.family, Family::SuitNoun | Family::Sue)
        && trig.lemma != "class action"
    {
        // "faces a lawsuit filed by" is a fact when "filed" follows; handled by the
        // licensing check. Bare "faces lawsuits" stays hedged.
        return Some(Modality::Hedged);
    }
    if matches!(w, "face" | "faces" | "facing") {
        return None;
    }
    if w == "any" && steps > 2 {
        return None;
    }
    if matches!(w, "expected" | "expects" | "expect") && will_ok {
        // "is expected to halt" stays hedged.
        return Some(Modality::Hedged);
    }
    if w == "ahead" {
        return None;
    }
    if w == "yet" && !next_is(seg, j, &["to"]) {
        return None;
    }
    Some(Modality::Hedged)
}

#[cfg(test)]
mod tests {
    use super::super::find_triggers;
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
    fn what_usually_happens_is_no_event() {
        assert_eq!(
            trig("The bank routinely receives subpoenas from state regulators."),
            vec![("subpoena", Modality::Hedged)]
        );
        assert_eq!(
            trig("We typically cannot predict the final settlement of such matters."),
            vec![("settlement", Modality::Hedged)]
        );
        assert_eq!(
            trig("From time to time, the company is sued by customers."),
            vec![("sue", Modality::Hedged)]
        );
        assert_eq!(
            trig("The company is sued by customers from time to time."),
            vec![("sue", Modality::Hedged)]
        );
        // A frequency word in another clause does not reach the trigger.
        assert_eq!(
            trig("The agency usually orders recalls quickly, but the carmaker was sued on Monday."),
            vec![
                ("order", Modality::Hedged),
                ("recall", Modality::Hedged),
                ("sue", Modality::Fact)
            ]
        );
    }

    #[test]
    fn a_sanction_a_company_faces_is_a_prospect_and_one_imposed_is_a_fact() {
        assert_eq!(
            trig("The retailer faces a hefty fine under the new rules."),
            vec![("fine", Modality::Hedged)]
        );
        assert_eq!(
            trig("Acme is facing the prospect of a ban on its drones."),
            vec![("ban", Modality::Hedged)]
        );
        assert_eq!(
            trig("The retailer, facing criticism, was fined on Monday."),
            vec![("fine", Modality::Fact)]
        );
    }

    #[test]
    fn an_agencys_proposed_penalty_is_an_act_and_a_proposed_ban_a_plan() {
        assert_eq!(
            trig("The agency proposed a $2.1 million civil penalty against the carrier."),
            vec![("penalty", Modality::Fact)]
        );
        assert_eq!(
            trig("Lawmakers proposed a ban on the app."),
            vec![("ban", Modality::Hedged)]
        );
    }

    #[test]
    fn a_closed_investigation_is_no_new_act() {
        // The closing is the step reported; the investigation it names is no new one.
        assert_eq!(
            trig("Regulators have closed investigations into the vehicles."),
            vec![("close inquiry", Modality::Fact)]
        );
        assert_eq!(
            trig("Regulators opened investigations into the vehicles."),
            vec![("investigation", Modality::Fact)]
        );
    }

    #[test]
    fn without_negates_what_follows() {
        assert_eq!(
            trig("Regulators ended the review without calling for recalls."),
            vec![("recall", Modality::Negated)]
        );
    }

    #[test]
    fn what_is_denied_in_a_that_clause_did_not_happen() {
        assert_eq!(
            trig("Acme denied on Tuesday that it would shut down its app in Europe."),
            vec![("shut down", Modality::Negated)]
        );
        let consequences =
            trig("A food scare could lead to closures, investigations and lawsuits.");
        assert!(consequences.len() >= 2, "{consequences:?}");
        assert!(
            consequences.iter().all(|(_, m)| *m == Modality::Hedged),
            "{consequences:?}"
        );
    }

    #[test]
    fn an_agency_that_says_it_will_investigate_opens_an_inquiry() {
        assert_eq!(
            trig("The department said on Monday it would look into the cancellations."),
            vec![("look into", Modality::Fact)]
        );
        assert_eq!(
            trig("The agency announced it will investigate the claims."),
            vec![("investigate", Modality::Fact)]
        );
        // Without the announcement, a future inquiry is a plan.
        assert_eq!(
            trig("Regulators would investigate if the claims are confirmed."),
            vec![("investigate", Modality::Hedged)]
        );
    }

    #[test]
    fn a_deadline_to_stop_is_an_order_not_a_halt() {
        assert_eq!(
            trig("The regulator gave the bank six months to stop the transfers."),
            vec![("stop", Modality::Hedged)]
        );
    }

    #[test]
    fn a_right_to_sue_is_no_suit() {
        assert_eq!(
            trig("The law allows buyers to file lawsuits if sellers cheat."),
            vec![("lawsuit", Modality::Hedged)]
        );
        assert_eq!(
            trig("The rule lets drivers sue carmakers over defects."),
            vec![("sue", Modality::Hedged)]
        );
        assert_eq!(
            trig("The bill would let regulators sue firms that ignore it."),
            vec![("sue", Modality::Hedged)]
        );
        assert_eq!(
            trig("Without the tools, it would probably have to shut down the service."),
            vec![("shut down", Modality::Hedged)]
        );
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
    fn reports_denied_or_unconfirmed_are_not_facts() {
        assert_eq!(
            trig("The insurer denied reports that it faced a probe."),
            vec![("investigation", Modality::Negated)]
        );
        assert_eq!(
            trig("The bakery will be fined, according to people familiar with it."),
            vec![("fine", Modality::Hedged)]
        );
    }

    #[test]
    fn requests_and_orders_to_act_are_not_acts() {
        assert_eq!(
            trig("The union asked the board to recall the toys."),
            vec![("recall", Modality::Hedged)]
        );
        assert_eq!(
            trig("Inspectors ordered the mill to halt production."),
            vec![("order", Modality::Fact), ("halt", Modality::Hedged)]
        );
        assert_eq!(
            trig("More lawsuits could follow next year."),
            vec![("lawsuit", Modality::Hedged)]
        );
    }

    #[test]
    fn a_proposed_class_action_is_filed() {
        assert_eq!(
            trig("Investors filed a proposed class action on Monday."),
            vec![("class action", Modality::Fact)]
        );
    }
}
