//! The authority of an event: the court or agency that acts. The nearest one before an
//! active trigger or after "by" / "from" acts; else the nearest in the clause. A generic
//! phrase ("the agency") stands for the last named one of its class; a court that is the
//! subject of the sentence decides over an agency named nearer. Legislatures never act
//! here (bills are not events), and private bodies' rules are never events.

use super::super::authorities::{AuthClass, Authority};
use super::super::text::Segmented;
use super::super::triggers::{Family, Trigger};
use super::super::view::DocView;
use super::roles::Slots;
use super::Ctx;
use crate::extract::span;

/// The authorities of the clause `c_start..c_end` (bytes) that may be the trigger's
/// actor: the nearest that acts on it (before an active trigger, or after "by" /
/// "from"), and the nearest at all; indices into the document's authorities.
pub fn candidates(
    view: &DocView<'_, '_>,
    trig: &Trigger,
    c_start: usize,
    c_end: usize,
) -> (Option<usize>, Option<usize>) {
    let seg = view.seg;
    let lo = view.authorities.partition_point(|a| a.start < c_start);
    let hi = view
        .authorities
        .partition_point(|a| a.start < c_end.max(c_start));
    let auths: Vec<usize> = (lo..hi)
        .filter(|&i| view.authorities[i].end <= c_end.max(c_start))
        .collect();
    let mut agent_auth = None;
    let mut any_auth = None;
    let mut best = usize::MAX;
    for &i in &auths {
        let a = &view.authorities[i];
        let at = seg.token_at(a.start);
        let dist = at.abs_diff(trig.tok);
        if a.class == AuthClass::Legislature {
            continue;
        }
        if dist < best {
            best = dist;
            any_auth = Some(i);
        }
        let before = at < trig.tok;
        let prep = if at > 0 { seg.low(at - 1) } else { "" };
        let by = prep == "by" || prep == "from";
        if (before && !trig.passive) || (!before && by) {
            let cur = agent_auth.map_or(usize::MAX, |j: usize| {
                seg.token_at(view.authorities[j].start).abs_diff(trig.tok)
            });
            if dist < cur {
                agent_auth = Some(i);
            }
        }
    }
    (agent_auth, any_auth)
}

/// The authority of the trigger: the acting one, else the nearest, resolved to a name;
/// a decision in a sentence whose subject is a court is the court's, even when an agency
/// is named nearer ("The Supreme Court ... made it harder for the NLRB ..., ruling in
/// favor of Starbucks").
pub fn pick<'c>(cx: &Ctx<'c>, slots: &Slots) -> Option<&'c Authority> {
    let (view, seg, trig, sent) = (cx.view, cx.seg, cx.trig, cx.sent);
    // "its 2018 settlement with the SEC": the authority settled with is the one named
    // right after "with", whatever court the sentence names for another matter.
    if trig.family == Family::Settle
        && seg.tokens.get(trig.tok_end).is_some()
        && seg.low(trig.tok_end) == "with"
    {
        let after = seg.tokens[trig.tok_end].end;
        let lo = view.authorities.partition_point(|a| a.start < after);
        if let Some(a) = view.authorities[lo..]
            .first()
            .filter(|a| span::clip(seg.text, after, a.start).trim().len() <= 4)
        {
            return Some(a);
        }
    }
    let auth_idx = slots.agent_auth.or(slots.any_auth);
    let auth = auth_idx.map(|i| resolve_auth(view.authorities, i));
    if matches!(
        trig.family,
        Family::Ruling | Family::Order | Family::Dismiss
    ) && auth.is_some_and(|a| a.class == AuthClass::Agency)
    {
        let trig_start = seg.tokens[trig.tok].start;
        let lo = view.authorities.partition_point(|a| a.start < sent.start);
        view.authorities[lo..]
            .iter()
            .take_while(|a| a.start < trig_start)
            .find(|a| a.class == AuthClass::Court)
            .or(auth)
    } else {
        auth
    }
}

/// A legislature is named in the sentence and no agency or court acts: its proposals
/// are never regulatory actions.
pub fn legislature_only(cx: &Ctx<'_>, auth: Option<&Authority>) -> bool {
    let (view, sent) = (cx.view, cx.sent);
    let a_lo = view.authorities.partition_point(|a| a.start < sent.start);
    let a_hi = view.authorities.partition_point(|a| a.start < sent.end);
    view.authorities[a_lo..a_hi]
        .iter()
        .any(|a| a.class == AuthClass::Legislature)
        && auth.map_or(true, |a| {
            a.class != AuthClass::Agency && a.class != AuthClass::Court
        })
}

/// Whether the authority is an agency.
pub fn is_agency(auth: Option<&Authority>) -> bool {
    auth.is_some_and(|a| a.class == AuthClass::Agency)
}

/// Whether the authority is a court.
pub fn is_court(auth: Option<&Authority>) -> bool {
    auth.is_some_and(|a| a.class == AuthClass::Court)
}

/// Whether the authority is a private body (an exchange, a league).
pub fn is_private(auth: Option<&Authority>) -> bool {
    auth.is_some_and(|a| a.class == AuthClass::Private)
}

/// The name an event gives its authority: its canonical name, or the words of a generic
/// phrase ("agency", "California regulators").
pub fn auth_name(a: &Authority, seg: &Segmented<'_>) -> String {
    if a.generic {
        span::clip(seg.text, a.start, a.end)
            .trim_start_matches("the ")
            .trim_start_matches("a ")
            .to_string()
    } else {
        a.name.clone()
    }
}

/// Finds the antecedent authority of a generic phrase ("the agency", "the court").
fn resolve_auth(auths: &[Authority], idx: usize) -> &Authority {
    let a = &auths[idx];
    if !a.generic {
        return a;
    }
    auths[..idx]
        .iter()
        .rev()
        .take(12)
        .find(|p| !p.generic && p.class == a.class)
        .unwrap_or(a)
}

#[cfg(test)]
mod tests {
    use super::super::roles::slots;
    use super::super::testing::{ctx, index, Doc};
    use super::*;

    fn authority_of(text: &str, lemma: &str) -> Option<(String, AuthClass)> {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, lemma);
        pick(&cx, &slots(&cx)).map(|a| (auth_name(a, &doc.seg), a.class))
    }

    #[test]
    fn the_acting_authority_is_picked() {
        let (name, class) = authority_of(
            "The Federal Trade Commission fined Globex on Monday.",
            "fine",
        )
        .unwrap();
        assert_eq!(class, AuthClass::Agency);
        assert!(name.contains("Federal Trade Commission"), "{name}");
    }

    #[test]
    fn a_court_subject_wins_over_a_nearer_agency() {
        let got = authority_of(
            "The Supreme Court, in a case brought by the SEC, ruled against Globex.",
            "rule",
        );
        assert_eq!(got.map(|(_, c)| c), Some(AuthClass::Court));
    }

    #[test]
    fn no_authority_when_none_is_named() {
        assert_eq!(
            authority_of("Acme halted its service on Monday.", "halt"),
            None
        );
    }
}
