//! Parties that are not listed companies: the plaintiff named by the sentence ("filed by
//! President Trump", "Epic Games sued"), an agency that sues, and whether a sentence
//! names a party the registry does not know (then no company from elsewhere stands in).

use super::super::authorities::Authority;
use super::super::companies::{Mention, Via};
use super::super::lexicon::TITLES;
use super::super::text::{Segmented, Sentence};
use super::super::triggers::{Family, Trigger};
use super::super::types::{Kind, Party, Role};
use super::super::view::DocView;
use super::authority::{auth_name, is_agency};
use super::roles::{transparent, Slots};
use super::Ctx;
use crate::extract::span;

/// The plaintiffs of a suit that are not listed companies: a named person or body when no
/// company sues, else a suing agency.
pub fn plaintiffs(cx: &Ctx<'_>, kind: Kind, slots: &Slots, auth: Option<&Authority>) -> Vec<Party> {
    let (view, seg, trig) = (cx.view, cx.seg, cx.trig);
    let mut parties = Vec::new();
    let suit = kind == Kind::Lawsuit && matches!(trig.family, Family::Sue | Family::SuitNoun);
    if suit && slots.agents.is_empty() {
        for name in party_names(seg, trig, cx.clause, view.mentions, view.authorities) {
            parties.push(Party {
                name,
                role: Role::Plaintiff,
            });
        }
    }
    if suit && parties.is_empty() && is_agency(auth) {
        if let Some(a) = auth {
            parties.push(Party {
                name: auth_name(a, seg),
                role: Role::Plaintiff,
            });
        }
    }
    parties
}

/// Extracts the person or organisation named as plaintiff when it is not a listed company:
/// "filed by President Trump", "Epic Games sued", "the Massachusetts attorney general".
fn party_names(
    seg: &Segmented<'_>,
    trig: &Trigger,
    clause: (usize, usize),
    mentions: &[(Mention, bool)],
    auths: &[Authority],
) -> Vec<String> {
    let mut out = Vec::new();
    // "by X" after the trigger.
    let mut j = trig.tok_end;
    while j < clause.1 && j < trig.tok_end + 6 {
        if seg.low(j) == "by" {
            if let Some(name) = cap_phrase(seg, j + 1, clause.1, mentions, auths) {
                out.push(name);
            }
            break;
        }
        j += 1;
    }
    if out.is_empty() && !trig.passive && trig.verb {
        // Subject: capitalised phrase before the trigger.
        let mut k = trig.tok;
        while k > clause.0 && transparent(seg.low(k - 1)) {
            k -= 1;
        }
        // Walk back over a capitalised phrase.
        let mut s = k;
        while s > clause.0 {
            let t = seg.tok(s - 1);
            let cap = t.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(t, "&" | "." | "," | "of" | "and") && s - 1 > clause.0;
            if !cap {
                break;
            }
            s -= 1;
        }
        if s < k {
            if let Some(name) = cap_phrase(seg, s, k, mentions, auths) {
                out.push(name);
            }
        }
    }
    out
}

/// Well-known people written by title and surname.
const KNOWN_PEOPLE: &[(&str, &str)] = &[
    ("Trump", "Donald Trump"),
    ("Biden", "Joe Biden"),
    ("Obama", "Barack Obama"),
    ("Musk", "Elon Musk"),
];

/// A capitalised phrase in `from..to` (tokens) as a party name: titles dropped, known
/// people written in full; `None` for a listed company.
fn cap_phrase(
    seg: &Segmented<'_>,
    from: usize,
    to: usize,
    mentions: &[(Mention, bool)],
    auths: &[Authority],
) -> Option<String> {
    let mut k = from;
    while k < to && matches!(seg.low(k), "the" | "a" | "an") {
        k += 1;
    }
    let start = k;
    let mut end = k;
    while end < to {
        let t = seg.tok(end);
        let ok = t.chars().next().is_some_and(|c| c.is_uppercase())
            || (matches!(t, "&" | "of" | "and" | "," | ".")
                && end + 1 < to
                && seg
                    .tok(end + 1)
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase()));
        if !ok {
            break;
        }
        end += 1;
    }
    if end == start {
        return None;
    }
    let s = seg.tokens[start].start;
    let e = seg.tokens[end - 1].end;
    // A listed company or an authority is not a party name here.
    if mentions
        .iter()
        .any(|(m, _)| m.start >= s && m.end <= e && !matches!(m.via, Via::Reference))
    {
        return None;
    }
    let mut name = span::clip(seg.text, s, e)
        .trim_end_matches([',', '.'])
        .to_string();
    if let Some(a) = auths.iter().find(|a| a.start <= s && e <= a.end.max(s)) {
        name = a.name.clone();
    }
    for t in TITLES.iter() {
        if let Some(rest) = name.strip_prefix(&format!("{t} ")) {
            name = rest.to_string();
        }
    }
    if let Some((_, full)) = KNOWN_PEOPLE.iter().find(|(short, _)| name == *short) {
        name = (*full).to_string();
    }
    (name.chars().count() >= 2).then_some(name)
}

/// Whether a sentence names a party that is not a listed company: an organisation with a
/// corporate suffix that the registry does not know, or "against the" and a noun that is no company.
pub fn names_unlisted_party(view: &DocView<'_, '_>, sent: Sentence, trig: &Trigger) -> bool {
    let seg = view.seg;
    let known = |start: usize, end: usize| {
        let lo = view.mentions.partition_point(|(m, _)| m.end <= start);
        view.mentions[lo..]
            .iter()
            .take_while(|(m, _)| m.start < end)
            .any(|_| true)
    };
    for j in sent.tok_start + 1..sent.tok_end {
        let w = seg.tok(j);
        if matches!(
            w,
            "Inc" | "Corp" | "LLC" | "Ltd" | "plc" | "PLC" | "LP" | "L.P." | "GmbH" | "AG" | "SA"
        ) {
            let prev = span::clip(seg.text, seg.tokens[j - 1].start, seg.tokens[j - 1].end);
            let cap = prev.starts_with(|c: char| c.is_uppercase()) || prev == ",";
            let start = seg.tokens[j.saturating_sub(3).max(sent.tok_start)].start;
            if cap && !known(start, seg.tokens[j].end) {
                return true;
            }
        }
    }
    // "against the service academies": a stated defendant that is no company.
    let after: Vec<&str> = (trig.tok_end..sent.tok_end.min(trig.tok_end + 16))
        .map(|j| seg.low(j))
        .collect();
    if let Some(i) = after.iter().position(|w| *w == "against") {
        let np: Vec<&str> = after[i + 1..].iter().take(3).copied().collect();
        let company_word = np.iter().any(|w| {
            matches!(
                *w,
                "company"
                    | "companies"
                    | "firm"
                    | "bank"
                    | "lender"
                    | "automaker"
                    | "carmaker"
                    | "airline"
                    | "carrier"
                    | "retailer"
                    | "group"
                    | "maker"
                    | "insurer"
                    | "railroad"
                    | "chipmaker"
                    | "it"
                    | "us"
                    | "them"
                    | "its"
                    | "our"
                    | "their"
                    | "certain"
                    | "directors"
                    | "officers"
                    | "executives"
                    | "defendants"
            )
        });
        let pos = trig.tok_end + i + 1;
        let start = seg.tokens.get(pos).map_or(sent.end, |t| t.start);
        let mut end = sent.end.min(start + 40);
        while !seg.text.is_char_boundary(end) {
            end -= 1;
        }
        // A stated defendant that is neither a known company, nor a word for one, nor a
        // pronoun: "against the service academies", "against Friar Laurence".
        if !np.is_empty() && !company_word && !known(start, end) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::roles::slots;
    use super::super::testing::{ctx, index, Doc};
    use super::*;

    fn plaintiff_names(text: &str, lemma: &str, kind: Kind) -> Vec<String> {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, lemma);
        let sl = slots(&cx);
        let auth = super::super::authority::pick(&cx, &sl);
        plaintiffs(&cx, kind, &sl, auth)
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    #[test]
    fn a_person_who_sues_is_a_party() {
        assert_eq!(
            plaintiff_names(
                "Senator Jane Roe sued Globex over the leak.",
                "sue",
                Kind::Lawsuit
            ),
            vec!["Jane Roe"]
        );
        assert_eq!(
            plaintiff_names(
                "A suit was filed by Mr. Musk against Globex.",
                "lawsuit",
                Kind::Lawsuit
            ),
            vec!["Elon Musk"]
        );
    }

    #[test]
    fn a_listed_company_is_no_party() {
        assert!(plaintiff_names("Acme sued Globex in May.", "sue", Kind::Lawsuit).is_empty());
    }

    #[test]
    fn unlisted_organisations_are_noticed() {
        let idx = index();
        let doc = Doc::new("Nimbus Widgets Inc. agreed to pay a fine.", &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, "fine");
        assert!(names_unlisted_party(&view, cx.sent, cx.trig));
        let doc = Doc::new("Globex Inc agreed to pay a fine.", &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, "fine");
        assert!(!names_unlisted_party(&view, cx.sent, cx.trig));
    }
}
