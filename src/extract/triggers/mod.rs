//! Stage 4 of the pipeline: triggers, their sense and their modality.
//!
//! A trigger is a word (or short phrase) that can signal an event, with a candidate kind and
//! action: "sued" (lawsuit, filed), "dismissed" (lawsuit, dismissed), "fined" (regulatory
//! action, fine), "recalling" (regulatory action, recall), "halted" (service halt). Some
//! triggers only get their kind from the authority that acts ("ruled", "ordered": a court
//! makes it a lawsuit, an agency a regulatory action) or from their object ("suspended its
//! permits" is a regulatory action, "suspended its service" a halt).
//!
//! - [`lexicon`]: which words and phrases can be triggers (data in `lexicon/triggers.tsv`
//!   and `lexicon/trigger_phrases.tsv`, plus the phrases that need a look around).
//! - [`sense`] and [`halt`]: word-sense checks that drop a candidate ("followed suit",
//!   "closed down 39%", "suspended its dividend").
//! - [`mod@modality`]: whether a kept trigger reports a fact: negation ("did not sue", "no
//!   recall", "denied"), hedging and irrealis ("could face lawsuits", "may sue",
//!   "threatened to", "plans to", "if", "proposed"), requests and denied reports.

pub mod halt;
pub mod lexicon;
pub mod modality;
pub mod sense;

pub use lexicon::is_trigger_word;
pub use modality::modality;

use super::lexicon::{HALT_OBJECTS, PERMIT_OBJECTS};
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
    /// The end of a restriction: "lifted the ban", "rescinded the order", "closed its
    /// investigation". Who lifts decides the kind (a court's lifting is a ruling).
    Lift,
    /// A halted service back: "resumed deliveries", "restored service", "reopened the
    /// plant", "returned the jets to service". Never a halt of its own.
    Resume,
}

impl Family {
    /// Whether the family ends what an earlier step began.
    pub fn is_ending(self) -> bool {
        matches!(self, Family::Lift | Family::Resume)
    }
}

/// A trigger found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trigger {
    /// First and one-past-last token.
    pub tok: usize,
    /// One past the trigger's last token (index into `Segmented::tokens`).
    pub tok_end: usize,
    /// The kind of act the trigger names.
    pub family: Family,
    /// A kind fixed by the word itself; `None` when the actor decides.
    pub kind: Option<Kind>,
    /// The action word for [`crate::domain::Action::read`] ("sued", "fined", "halted").
    pub action: &'static str,
    /// A verb in the passive voice ("was sued").
    pub passive: bool,
    /// A verb (rather than a noun).
    pub verb: bool,
    /// The trigger's base form in the lexicon ("sue", "suspend"), shown in evidence rules.
    pub lemma: &'static str,
}

/// Whether a trigger reports a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// Reported as having happened: the trigger becomes an event.
    Fact,
    /// Negated in scope ("did not sue") or a denied report ("denied reports that it
    /// received a subpoena").
    Negated,
    /// Unconfirmed, asked for, ordered, future or only possible ("could face a fine").
    Hedged,
}

/// A candidate trigger before its sense is checked: what the lexicon says of the word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// The kind of act the word names.
    pub family: Family,
    /// The action word, as in [`Trigger::action`].
    pub action: &'static str,
    /// The base form, as in [`Trigger::lemma`].
    pub lemma: &'static str,
    /// A verb (rather than a noun).
    pub verb: bool,
    /// One past the last token of the trigger.
    pub end: usize,
}

/// The neighbourhood of a candidate trigger word: what the sense checks read.
#[derive(Debug, Clone, Copy)]
pub struct Near<'s> {
    /// The segmented text the word is in.
    pub seg: &'s Segmented<'s>,
    /// The token of the word, and the token range of its sentence.
    pub k: usize,
    /// The sentence's first token.
    pub tok_start: usize,
    /// One past the sentence's last token.
    pub tok_end: usize,
    /// The word, lowercased.
    pub w: &'s str,
    /// Up to four words after it (see [`next_words`]), and the first two of them.
    pub next: &'s [&'s str],
    /// The first word after it, or "".
    pub n0: &'s str,
    /// The second word after it, or "".
    pub n1: &'s str,
    /// The word before it in the sentence, or "".
    pub prev: &'s str,
}

impl<'s> Near<'s> {
    /// Up to `n` words after the trigger word (see [`next_words`]).
    pub fn window(&self, n: usize) -> Vec<&'s str> {
        next_words(self.seg, self.k + 1, self.tok_end, n)
    }
}

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
        let near = Near {
            seg,
            k,
            tok_start,
            tok_end,
            w,
            next: &next,
            n0: next.first().copied().unwrap_or(""),
            n1: next.get(1).copied().unwrap_or(""),
            prev: prev_word(seg, k, tok_start),
        };
        // Multi-word triggers first.
        let Some(entry) = lexicon::phrase_trigger(&near).or_else(|| lexicon::word_trigger(w, k))
        else {
            k += 1;
            continue;
        };
        let (family, action) = object_reading(&near, &entry);
        // A restriction suspended is lifted: its sense is the lifting's.
        let (sense_family, sense_lemma) = if family == Family::Lift && entry.family != Family::Lift
        {
            (Family::Lift, "lift")
        } else {
            (entry.family, entry.lemma)
        };
        if !sense::keep(&near, sense_family, sense_lemma) {
            k += 1;
            continue;
        }
        let passive = entry.verb && is_passive(seg, k, tok_start);
        out.push(Trigger {
            tok: k,
            tok_end: entry.end,
            family,
            kind: lexicon::fam_kind(family),
            action,
            passive,
            verb: entry.verb,
            lemma: entry.lemma,
        });
        k = entry.end;
    }
    drop_ended_restrictions(seg, &mut out, tok_start, tok_end);
    out
}

/// Drops the restriction an ending trigger ends: "lifted the ban" is one lifting, not a
/// second ban; "the suspension was lifted", "returned its grounded jets to service",
/// "closed its investigation" likewise. The restriction is the ending's object: within
/// five words after it (before a clause break such as "after"), or, for a passive or
/// intransitive ending, within ten tokens before it in its clause.
fn drop_ended_restrictions(
    seg: &Segmented<'_>,
    out: &mut Vec<Trigger>,
    tok_start: usize,
    tok_end: usize,
) {
    let ended = |t: &Trigger| {
        matches!(
            t.family,
            Family::Ban
                | Family::Permit
                | Family::Halt
                | Family::Order
                | Family::Investigation
                | Family::Ruling
        ) && !(t.family == Family::Ruling && t.verb)
    };
    // A reversal on appeal ends the ruling below: "overturned the dismissal".
    // So does an appeal name the ruling it appeals: "appealed the dismissal".
    let reversal = |t: &Trigger| {
        t.family == Family::Ruling && t.verb && matches!(t.lemma, "reverse" | "reinstate")
            || t.family == Family::Appeal && t.verb
    };
    let ruling_below =
        |t: &Trigger| matches!(t.family, Family::Dismiss | Family::Ruling) && !t.verb;
    let mut drop: Vec<usize> = Vec::new();
    for (i, end) in out.iter().enumerate() {
        let ends = |t: &Trigger| {
            if reversal(end) {
                ruling_below(t) || t.family == Family::Dismiss
            } else {
                ended(t)
            }
        };
        if !end.family.is_ending() && !reversal(end) {
            continue;
        }
        // After the ending: its object, up to a clause break.
        let mut words = 0;
        let mut j = end.tok_end;
        let reach = if end.lemma == "return to service" {
            8
        } else {
            5
        };
        while j < tok_end && words < reach {
            let w = seg.low(j);
            if matches!(
                w,
                "after" | "following" | "since" | "that" | "which" | "when" | "while" | ";"
            ) {
                break;
            }
            if seg.tokens[j].kind == TokKind::Word {
                words += 1;
            }
            if let Some(at) = out.iter().position(|t| t.tok == j) {
                if ends(&out[at]) {
                    drop.push(at);
                }
            }
            j += 1;
        }
        // "returned the jet to service, ending a three-week absence that forced it to
        // cancel flights": what follows "ending" is the halt that ended.
        if end.family == Family::Resume {
            if let Some(from) =
                (end.tok_end..tok_end).find(|&j| matches!(seg.low(j), "ending" | "ended"))
            {
                for (at, t) in out.iter().enumerate() {
                    if t.tok > from && t.family == Family::Halt {
                        drop.push(at);
                    }
                }
            }
        }
        // Before it: "the ban was lifted", "production resumed".
        if end.passive || !end.verb || is_intransitive_end(seg, end, tok_end) {
            let mut from = tok_start.max(end.tok.saturating_sub(10));
            if let Some(b) = (from..end.tok)
                .rev()
                .find(|&j| matches!(seg.tok(j), ";" | ":"))
            {
                from = b + 1;
            }
            for (at, t) in out.iter().enumerate() {
                if at != i && t.tok >= from && t.tok < end.tok && ends(t) {
                    drop.push(at);
                }
            }
        }
    }
    if drop.is_empty() {
        return;
    }
    let mut at = 0;
    out.retain(|_| {
        at += 1;
        !drop.contains(&(at - 1))
    });
}

/// An ending verb with no object of its own ("deliveries resumed on Monday",
/// "service was restored"): the next word is no article nor possessive, nor a bare
/// object ("restored service", "lifted sanctions").
fn is_intransitive_end(seg: &Segmented<'_>, end: &Trigger, tok_end: usize) -> bool {
    let next = next_words(seg, end.tok_end, tok_end, 1);
    !next.first().is_some_and(|w| {
        matches!(
            *w,
            "the" | "a" | "an" | "its" | "their" | "his" | "her" | "all" | "some" | "most"
        ) || HALT_OBJECTS.contains(w)
            || matches!(
                *w,
                "sanctions" | "restrictions" | "curbs" | "network" | "power" | "access"
            )
    })
}

/// "suspended ... permits/licenses" is a regulatory act; "suspended operations" a halt;
/// "suspended the import ban", "paused the order" lift a restriction.
fn object_reading(near: &Near<'_>, entry: &Entry) -> (Family, &'static str) {
    if matches!(entry.lemma, "suspend" | "pause") && entry.verb {
        let object = near.window(5);
        let restriction = object
            .iter()
            .position(|x| matches!(*x, "ban" | "bans" | "injunction" | "order" | "embargo"));
        let service = object.iter().position(|x| HALT_OBJECTS.contains(x));
        if restriction.is_some_and(|r| service.map_or(true, |s| r < s)) {
            return (Family::Lift, "lifted");
        }
    }
    if entry.lemma == "suspend" || entry.lemma == "pull" {
        let window: Vec<&str> = near.window(7);
        if window.iter().any(|x| PERMIT_OBJECTS.contains(x)) {
            return (Family::Permit, "suspension");
        }
    }
    (entry.family, entry.action)
}

/// Whether a lowercased word is a form of "be" or "get" (a passive auxiliary).
pub fn is_be(w: &str) -> bool {
    matches!(
        w,
        "was" | "were" | "is" | "are" | "been" | "being" | "be" | "got" | "gets" | "get"
    )
}

/// Up to `n` lowercased words from token `k` on, before token `end`: commas and hyphens
/// count as words, `$`, `%`, `€`, `£` and abbreviation dots are skipped, and any other
/// punctuation ends the run.
pub fn next_words<'a>(seg: &'a Segmented<'_>, k: usize, end: usize, n: usize) -> Vec<&'a str> {
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

/// The lowercased token before `k`, or "" when `k` is the sentence's first (`start`).
pub fn prev_word<'a>(seg: &'a Segmented<'_>, k: usize, start: usize) -> &'a str {
    if k > start {
        seg.low(k - 1)
    } else {
        ""
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The trigger lemmas of a text's first sentence (shared by the tests of the sense
    /// modules).
    pub(super) fn lemmas(text: &str) -> Vec<&'static str> {
        let seg = Segmented::new(text);
        let s = seg.sentences[0];
        find_triggers(&seg, s.tok_start, s.tok_end)
            .iter()
            .map(|t| t.lemma)
            .collect()
    }

    #[test]
    fn cease_and_desist_and_warning_letters_are_orders_not_halts() {
        assert_eq!(
            lemmas("The agency issued a cease and desist order to the lender."),
            vec!["cease-and-desist order", "order"]
        );
        assert_eq!(
            lemmas("The firms were ordered to cease and desist from the practice."),
            vec!["order", "cease-and-desist order"]
        );
        assert_eq!(
            lemmas("The regulator sent warning letters to three drugmakers."),
            vec!["warning letter"]
        );
        assert_eq!(
            lemmas("The refinery will cease operations in May."),
            vec!["stop"]
        );
    }

    #[test]
    fn halts_in_other_words() {
        assert_eq!(
            lemmas("The maker will no longer sell its heaters in Europe."),
            vec!["no longer"]
        );
        assert_eq!(
            lemmas("The utility began cutting power to 50,000 homes."),
            vec!["shut off"]
        );
        assert_eq!(
            lemmas("The railway locked out 900 conductors at midnight."),
            vec!["lockout"]
        );
        assert!(lemmas("The shares no longer trade on the exchange.").is_empty());
        assert_eq!(
            lemmas("The maker will end production at two plants."),
            vec!["end production"]
        );
    }

    #[test]
    fn passive_voice_is_detected() {
        let seg = Segmented::new("Norfolk Southern was sued by the Justice Department.");
        let s = seg.sentences[0];
        let t = find_triggers(&seg, s.tok_start, s.tok_end);
        assert!(t[0].passive);
        let seg = Segmented::new("The state sued the railway last week.");
        let s = seg.sentences[0];
        assert!(!find_triggers(&seg, s.tok_start, s.tok_end)[0].passive);
    }

    #[test]
    fn phrases_win_over_their_first_word() {
        assert_eq!(
            lemmas("Investors filed a class action on Friday."),
            vec!["class action"]
        );
        assert_eq!(
            lemmas("The bank signed a consent order with regulators."),
            vec!["consent order"]
        );
        assert_eq!(
            lemmas("She lodged a notice of appeal."),
            vec!["notice of appeal"]
        );
    }

    #[test]
    fn permits_turn_a_suspension_into_a_regulatory_act() {
        let seg = Segmented::new("The state suspended all of the carrier's permits.");
        let s = seg.sentences[0];
        let t = find_triggers(&seg, s.tok_start, s.tok_end);
        assert_eq!(t[0].family, Family::Permit);
        assert_eq!(t[0].kind, Some(Kind::RegulatoryAction));
        let seg = Segmented::new("The miner suspended operations at two pits.");
        let s = seg.sentences[0];
        let t = find_triggers(&seg, s.tok_start, s.tok_end);
        assert_eq!(t[0].family, Family::Halt);
    }
}
