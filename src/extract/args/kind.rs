//! The kind of an event, its action and its status. A trigger word may fix the kind
//! ("sued": a lawsuit); a ruling, an order, a fine or a ban takes it from its authority
//! (a court's: a lawsuit; an agency's: a regulatory action); a settlement of a suit is a
//! lawsuit whoever sued. Status follows the eval rules: filed / dismissed / settled /
//! ruled for lawsuits; announced or settled (agreed enforcement) for regulatory actions.

use super::super::authorities::{AuthClass, Authority};
use super::super::lexicon::{AGREED, CONSENT_REGULATORS};
use super::super::triggers::{Family, Trigger};
use super::super::types::Kind;
use super::authority::auth_name;
use super::Ctx;
use crate::extract::span;

/// The kind of the trigger's event given its authority; `None` when neither decides.
pub fn kind(cx: &Ctx<'_>, auth: Option<&Authority>) -> Option<Kind> {
    let (seg, trig, clause) = (cx.seg, cx.trig, cx.clause);
    let mut kind = match kind_for(trig, auth) {
        Some(k) => k,
        None if fine_for_breaking_rules(cx) => Kind::RegulatoryAction,
        None => return None,
    };
    // "The aviation agency grounded the jets", "regulators halted the tests": an agency
    // that stops someone else's service acts on it.
    if kind == Kind::ServiceHalt && agency_is_subject(cx, auth) {
        kind = Kind::RegulatoryAction;
    }
    // "pay $175 million to settle a lawsuit by the attorney general": a lawsuit, whoever
    // sued. The suit is what is settled: near the trigger ("a class action settlement",
    // "settle the case"), not anywhere in the clause ("a settlement with the agency led to
    // ... employee lawsuits").
    let near = (
        trig.tok.saturating_sub(3).max(clause.0),
        (trig.tok_end + 6).min(clause.1),
    );
    if trig.family == Family::Settle
        && (near.0..near.1).any(|j| {
            matches!(
                seg.low(j),
                "lawsuit"
                    | "lawsuits"
                    | "suit"
                    | "suits"
                    | "litigation"
                    | "class"
                    | "claims"
                    | "case"
                    | "cases"
                    | "complaint"
            )
        })
    {
        kind = Kind::Lawsuit;
    }
    // "agreed to settle the charges and will pay a $22 million penalty": with no court
    // named, a penalty makes it an agency's enforcement (charges alone may be a suit).
    if trig.family == Family::Settle
        && kind == Kind::Lawsuit
        && !auth.is_some_and(|a| a.class == AuthClass::Court)
        && (clause.0..clause.1).any(|j| matches!(seg.low(j), "penalty" | "penalties"))
        && !(clause.0..clause.1).any(|j| {
            matches!(
                seg.low(j),
                "lawsuit" | "lawsuits" | "suit" | "suits" | "litigation" | "class" | "case"
            )
        })
    {
        kind = Kind::RegulatoryAction;
    }
    Some(kind)
}

/// A fine paid for breaking a law or rules, or after an investigation, with no authority
/// named: "paid a fine of $975 million after a yearlong investigation into violations
/// of the antimonopoly law". Only regulators fine for that outside a court.
pub fn fine_for_breaking_rules(cx: &Ctx<'_>) -> bool {
    let (seg, trig) = (cx.seg, cx.trig);
    if trig.family != Family::Fine || trig.verb {
        return false;
    }
    let words = || (cx.sent.tok_start..cx.sent.tok_end).map(|j| seg.low(j));
    let paid = (trig.tok.saturating_sub(4).max(cx.sent.tok_start)..trig.tok)
        .any(|j| matches!(seg.low(j), "paid" | "pay" | "pays" | "paying"));
    let rules = words().any(|w| {
        matches!(
            w,
            "investigation"
                | "probe"
                | "law"
                | "laws"
                | "regulations"
                | "rules"
                | "antitrust"
                | "antimonopoly"
                | "violations"
                | "violating"
                | "breaching"
        )
    });
    let court = words().any(|w| matches!(w, "court" | "judge" | "jury" | "verdict" | "lawsuit"));
    paid && rules && !court
}

/// Whether a (named or generic) agency is the subject of an active trigger verb: it ends
/// before the trigger in its clause, and no company is named between them.
fn agency_is_subject(cx: &Ctx<'_>, auth: Option<&Authority>) -> bool {
    let Some(a) = auth else { return false };
    if a.class != AuthClass::Agency || !cx.trig.verb || cx.trig.passive {
        return false;
    }
    let clause_start = cx.seg.tokens[cx.clause.0].start;
    a.start >= clause_start
        && a.end <= cx.trig_pos
        && cx.trig_pos - a.end <= 40
        && cx.view.mentions_in(a.end, cx.trig_pos, true).is_empty()
}

fn kind_for(trig: &Trigger, auth: Option<&Authority>) -> Option<Kind> {
    if let Some(k) = trig.kind {
        return Some(k);
    }
    // Verdicts, judgments and injunctions come only from courts, whoever else is named.
    if matches!(trig.lemma, "verdict" | "judgment" | "injunction") {
        return Some(Kind::Lawsuit);
    }
    match (trig.family, auth.map(|a| a.class)) {
        (Family::Ruling, Some(AuthClass::Court)) => Some(Kind::Lawsuit),
        (Family::Ruling, Some(AuthClass::Agency)) => Some(Kind::RegulatoryAction),
        (Family::Ruling, _) => None,
        (Family::Order, Some(AuthClass::Court)) => Some(Kind::Lawsuit),
        (Family::Order, Some(AuthClass::Agency)) => Some(Kind::RegulatoryAction),
        (Family::Order, _) => None,
        (Family::Fine | Family::Ban, Some(AuthClass::Court)) => Some(Kind::Lawsuit),
        (Family::Fine | Family::Ban, Some(AuthClass::Agency)) => Some(Kind::RegulatoryAction),
        (Family::Fine | Family::Ban, _) => None,
        // A court lifting a ban or an injunction rules in a case; anyone else's lifting
        // ends a regulator's act.
        (Family::Lift, Some(AuthClass::Court)) => Some(Kind::Lawsuit),
        (Family::Lift, _) => Some(Kind::RegulatoryAction),
        (Family::Settle, Some(AuthClass::Agency)) => Some(Kind::RegulatoryAction),
        (Family::Settle, _) => Some(Kind::Lawsuit),
        _ => None,
    }
}

/// The action of the event: the lawsuit stage for lawsuits; the trigger's action (a
/// settlement with an agency is a fine, its ruling an order) otherwise.
pub fn action(kind: Kind, trig: &Trigger) -> String {
    let action = trig.action.to_string();
    if kind == Kind::Lawsuit {
        match trig.family {
            Family::Sue | Family::SuitNoun => "filed".to_string(),
            Family::Appeal => "appealed".to_string(),
            Family::Dismiss => "dismissed".to_string(),
            Family::Settle => "settled".to_string(),
            // An appeal decided for the appellant: the ruling below reversed.
            Family::Ruling if matches!(trig.lemma, "reverse" | "reinstate") => {
                "reversed".to_string()
            }
            _ => "ruled".to_string(),
        }
    } else if kind == Kind::RegulatoryAction {
        match trig.family {
            Family::Settle => "fine".to_string(),
            // An agency's act overturned or a permit reinstated: the act is lifted.
            Family::Ruling if matches!(trig.lemma, "reverse" | "reinstate") => "lifted".to_string(),
            Family::Ruling => "order".to_string(),
            // An agency letting a service run again lifts its own stop.
            Family::Resume => "lifted".to_string(),
            // An agency stopping a company's service suspends it.
            Family::Halt => "suspension".to_string(),
            _ => action,
        }
    } else {
        action
    }
}

/// Status from kind and action (eval README rules).
fn status_for(kind: Kind, family: Family, action: &str) -> &'static str {
    match kind {
        Kind::Lawsuit => match family {
            Family::Sue | Family::SuitNoun | Family::Appeal => "filed",
            Family::Dismiss => "dismissed",
            Family::Settle => "settled",
            _ => "ruled",
        },
        Kind::RegulatoryAction => {
            if family == Family::Settle || action == "consent order" {
                "settled"
            } else {
                "announced"
            }
        }
        Kind::ServiceHalt => "announced",
    }
}

/// The status of the event. Settled enforcement: the company agreed to the order or
/// penalty ("agreed to pay a civil money penalty", "consented to the entry of orders",
/// "under the consent order"), in the sentence or the paragraph around it.
pub fn status(cx: &Ctx<'_>, kind: Kind, auth: Option<&Authority>) -> &'static str {
    let (seg, trig, sent, si) = (cx.seg, cx.trig, cx.sent, cx.si);
    // An ending stands where it leaves its story.
    match (kind, trig.family) {
        (Kind::RegulatoryAction, Family::Lift) if trig.action == "closed" => return "closed",
        (Kind::RegulatoryAction, Family::Lift | Family::Resume) => return "lifted",
        (Kind::ServiceHalt, Family::Resume) => return "resumed",
        _ => {}
    }
    // The lemma is what the original rule compares with "consent order".
    let status = status_for(kind, trig.family, trig.lemma);
    if !(kind == Kind::RegulatoryAction && status == "announced") {
        return status;
    }
    let c_start = seg.tokens.get(cx.clause.0).map_or(sent.start, |t| t.start);
    let c_end = if cx.clause.1 < seg.tokens.len() {
        seg.tokens[cx.clause.1].start.min(sent.end)
    } else {
        sent.end
    };
    let same = |j: &usize| seg.sentences[*j].paragraph == sent.paragraph;
    let first = (0..si).rev().take(8).take_while(same).last().unwrap_or(si);
    let last = (si + 1..seg.sentences.len())
        .take(8)
        .take_while(same)
        .last()
        .unwrap_or(si);
    let para = (seg.sentences[first].start, seg.sentences[last].end);
    let clause_low = span::clip(&seg.lower, c_start, c_end.max(c_start));
    let para_low = span::clip(&seg.lower, para.0, para.1);
    let order_words = ["consent order", "consent decree", "settlement agreement"];
    // US bank and consumer-finance regulators impose money penalties by consent.
    let consent_regulator = trig.family == Family::Fine
        && auth.is_some_and(|a| CONSENT_REGULATORS.any_in(&auth_name(a, seg)));
    if AGREED.any_in(clause_low)
        || clause_low.contains("settlement")
        || order_words.iter().any(|c| para_low.contains(c))
        || consent_regulator
    {
        "settled"
    } else {
        status
    }
}

#[cfg(test)]
mod tests {
    use super::super::authority::pick;
    use super::super::roles::slots;
    use super::super::testing::{ctx, index, Doc};
    use super::*;

    /// Kind, action and status of the trigger `lemma` of `text`.
    fn read(text: &str, lemma: &str) -> Option<(Kind, String, &'static str)> {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, lemma);
        let auth = pick(&cx, &slots(&cx));
        let k = kind(&cx, auth)?;
        Some((k, action(k, cx.trig), status(&cx, k, auth)))
    }

    #[test]
    fn the_authority_decides_an_open_kind() {
        let (k, a, _) = read("A federal judge ordered Globex to pay damages.", "order").unwrap();
        assert_eq!((k, a.as_str()), (Kind::Lawsuit, "ruled"));
        let (k, a, _) = read("The SEC ordered Globex to stop the sales.", "order").unwrap();
        assert_eq!((k, a.as_str()), (Kind::RegulatoryAction, "order"));
        assert_eq!(read("Globex was ordered to pay.", "order"), None);
    }

    #[test]
    fn a_settlement_with_an_agency_is_enforcement_whatever_else_the_sentence_names() {
        let (k, _, st) = read(
            "A shareholder sued in the Delaware Court of Chancery over the board's oversight of Globex's 2018 settlement with the SEC.",
            "settlement",
        )
        .unwrap();
        assert_eq!((k, st), (Kind::RegulatoryAction, "settled"));
        let (k, _, _) = read(
            "Its $185 million settlement with the Consumer Financial Protection Bureau in 2016 led to employee lawsuits.",
            "settlement",
        )
        .unwrap();
        assert_eq!(k, Kind::RegulatoryAction);
        // The suit settled is near the trigger: a lawsuit.
        let (k, _, _) = read(
            "Globex agreed to settle the class action for $20 million.",
            "settle",
        )
        .unwrap();
        assert_eq!(k, Kind::Lawsuit);
    }

    #[test]
    fn a_fine_paid_for_breaking_rules_is_regulatory_without_a_named_agency() {
        let (k, a, _) = read(
            "In 2019 Globex paid a fine of $90 million after a long investigation into breaches of export rules.",
            "fine",
        )
        .unwrap();
        assert_eq!((k, a.as_str()), (Kind::RegulatoryAction, "fine"));
        // Without rules or an inquiry, nobody says who fined it: no kind.
        assert_eq!(read("Globex paid a fine of $90 million.", "fine"), None);
        // A court's fine is a lawsuit's.
        assert_ne!(
            read(
                "Globex paid a fine after a court found it broke the law.",
                "fine"
            )
            .map(|r| r.0),
            Some(Kind::RegulatoryAction)
        );
    }

    #[test]
    fn an_agency_that_stops_a_service_acts_on_it() {
        let (k, a, _) = read("Regulators halted Globex's drone tests.", "halt").unwrap();
        assert_eq!((k, a.as_str()), (Kind::RegulatoryAction, "suspension"));
        let (k, _, _) = read("Globex halted its drone tests, the agency said.", "halt").unwrap();
        assert_eq!(k, Kind::ServiceHalt);
    }

    #[test]
    fn settled_charges_with_a_penalty_are_enforcement() {
        let (k, _, _) = read(
            "Globex agreed to settle the charges and will pay a $3 million penalty.",
            "settle",
        )
        .unwrap();
        assert_eq!(k, Kind::RegulatoryAction);
        let (k, _, _) = read("Globex agreed to settle the class action.", "settle").unwrap();
        assert_eq!(k, Kind::Lawsuit);
    }

    #[test]
    fn a_settled_suit_is_a_lawsuit() {
        let (k, a, s) = read(
            "Acme agreed to settle the lawsuit for $5 million.",
            "settle",
        )
        .unwrap();
        assert_eq!((k, a.as_str(), s), (Kind::Lawsuit, "settled", "settled"));
    }

    #[test]
    fn agreed_penalties_are_settled_enforcement() {
        let (k, _, s) = read(
            "Acme agreed to pay the SEC a $2 million penalty to resolve the charges.",
            "penalty",
        )
        .unwrap();
        assert_eq!((k, s), (Kind::RegulatoryAction, "settled"));
        let (_, _, s) = read("The SEC fined Acme $2 million.", "fine").unwrap();
        assert_eq!(s, "announced");
    }
}
