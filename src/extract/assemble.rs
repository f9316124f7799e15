//! Arguments and assembly: for each trigger that reports a fact, find the companies and
//! their roles, the authority, the amount and the date; decide the kind; then merge the
//! mentions of one event and write a summary.
//!
//! Roles come from local patterns around the trigger ("X sued Y", "Y was sued by X", "a
//! lawsuit against Y", "Y's permits", "X halted its ..."), then from the nearest company in
//! the clause, then from a referring phrase or the company of the previous sentences.

use crate::extract::span;
use chrono::NaiveDate;

use super::authorities::{AuthClass, Authority};
use super::companies::{CompanyIndex, Mention, Via};
use super::dates::{format_date, DateValue, Precision, ResolvedDate};
use super::money::{usd, Amount};
use super::text::{Segmented, Sentence, TokKind};
use super::triggers::{find_triggers, modality, Family, Modality, Trigger};
use super::types::{CompanyRef, Event, Evidence, Kind, Party, Role};
use crate::domain::{Action, Confidence, Currency, EventDate, Jurisdiction, Money, Status, Ticker};

/// Plural nouns for people or firms in general: a passive trigger about them is generic.
const PEOPLE_NOUNS: &[&str] = &[
    "customers",
    "users",
    "people",
    "drivers",
    "consumers",
    "businesses",
    "companies",
    "investors",
    "employees",
    "members",
    "clients",
    "workers",
    "those",
    "anyone",
    "someone",
    "firms",
    "developers",
    "creators",
    "artists",
    "authors",
    "publishers",
    "merchants",
];

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

/// A company name used as a modifier of a noun ("Masimo patents", "a Robinhood customer",
/// "GameStop buying"): not an actor or a target.
fn is_modifier(seg: &Segmented<'_>, m: &Mention) -> bool {
    if m.via == Via::Reference {
        return false;
    }
    let j = seg.token_at(m.end);
    if j >= seg.tokens.len() || seg.tokens[j].kind != TokKind::Word {
        return false;
    }
    let w = seg.low(j);
    let first_lower = seg.tok(j).chars().next().is_some_and(char::is_lowercase);
    first_lower
        && !w.ends_with("ed")
        && super::triggers::is_trigger_word(w).is_none()
        && !matches!(
            w,
            "said"
                | "says"
                | "has"
                | "had"
                | "have"
                | "is"
                | "was"
                | "were"
                | "are"
                | "will"
                | "would"
                | "could"
                | "may"
                | "might"
                | "can"
                | "and"
                | "or"
                | "to"
                | "on"
                | "in"
                | "of"
                | "for"
                | "with"
                | "at"
                | "by"
                | "from"
                | "as"
                | "that"
                | "which"
                | "who"
                | "also"
                | "plans"
                | "faces"
                | "agreed"
                | "agrees"
                | "announced"
                | "did"
                | "does"
                | "made"
                | "began"
                | "took"
                | "got"
                | "won"
                | "lost"
                | "told"
                | "then"
                | "still"
                | "now"
                | "later"
                | "last"
                | "this"
                | "late"
                | "early"
                | "earlier"
                | "itself"
                | "v"
                | "vs"
                | "not"
                | "never"
                | "must"
                | "should"
                | "shall"
        )
}

/// Everything the earlier stages found in one document.
pub struct DocView<'a, 'b> {
    pub seg: &'b Segmented<'a>,
    pub index: &'b CompanyIndex,
    /// Named mentions and resolved references (references flagged weak or not), in order.
    pub mentions: &'b [(Mention, bool)],
    pub authorities: &'b [Authority],
    pub amounts: &'b [Amount],
    pub dates: &'b [ResolvedDate],
    pub published: Option<NaiveDate>,
    /// How much of `published` the document's source states.
    pub published_precision: Precision,
    /// Byte ranges where no events are read (risk factors).
    pub skip: &'b [(usize, usize)],
    /// The text reads like a filing (dates are needed; no default to publication).
    pub filing: bool,
    /// The first mention of the company named most often (fallback for acts of courts
    /// and agencies that name no company).
    pub dominant: Option<Mention>,
}

/// An event before merging, with what is needed to merge it.
#[derive(Debug, Clone)]
struct Candidate {
    event: Event,
    date: Option<(NaiveDate, Precision)>,
    /// The date was written next to the trigger (not defaulted).
    explicit_date: bool,
    headline: bool,
    /// The sentence it was read from.
    sent: usize,
    /// Introduced as a new one ("another suit", "several derivative lawsuits", "a separate
    /// order"): not a further mention of an earlier dated event.
    fresh: bool,
    /// "at least" and the like, before the amount.
    qualifier: String,
    /// "over alleged de-banking".
    reason: Option<String>,
    /// A definite noun ("The suit seeks ...") that continues an earlier event; it has no
    /// companies of its own and merges into the latest event of its kind.
    anaphoric: bool,
}

fn clause_bounds(seg: &Segmented<'_>, s_start: usize, s_end: usize, t: usize) -> (usize, usize) {
    let is_break = |j: usize| matches!(seg.tok(j), ";" | "—" | "–");
    let mut a = t;
    while a > s_start && !is_break(a - 1) {
        a -= 1;
    }
    let mut b = t;
    while b < s_end && !is_break(b) {
        b += 1;
    }
    (a, b)
}

fn tok_of(seg: &Segmented<'_>, pos: usize) -> usize {
    seg.token_at(pos)
}

/// The role slot a mention fills relative to a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Doer: subject of an active verb, "by X", "X v.".
    Agent,
    /// Undergoer: object, "against X", subject of a passive verb, "X's permits".
    Patient,
    /// Near but not clearly placed.
    Near,
}

const OBJECT_PREPS: &[&str] = &[
    "against",
    "into",
    "on",
    "requiring",
    "ordering",
    "directing",
    "to",
    "of",
    "naming",
    "over",
];

/// Verbs of contesting a penalty or an order: their subject is its target.
const CONTESTING: [&str; 16] = [
    "appeal",
    "appeals",
    "appealed",
    "appealing",
    "challenge",
    "challenges",
    "challenged",
    "challenging",
    "contest",
    "contests",
    "contested",
    "contesting",
    "fight",
    "fighting",
    "fought",
    "disputed",
];

/// Words between a subject and its verb that keep the subject link.
fn transparent(w: &str) -> bool {
    matches!(
        w,
        "has"
            | "have"
            | "had"
            | "was"
            | "were"
            | "is"
            | "are"
            | "will"
            | "would"
            | "also"
            | "on"
            | "late"
            | "early"
            | "last"
            | "this"
            | "earlier"
            | "later"
            | "said"
            | "says"
            | "that"
            | "it"
            | "then"
            | "since"
            | "already"
            | "just"
            | "formally"
            | "officially"
            | "temporarily"
            | "partly"
            | "voluntarily"
            | "subsequently"
            | "again"
            | "previously"
            | "recently"
            | "quickly"
            | "abruptly"
            | "indefinitely"
            | "agreed"
            | "to"
            | "been"
            | "being"
            | "be"
            | "jointly"
            | "together"
            | "separately"
            | "ultimately"
            | "in"
            | "announced"
            | "confirmed"
            | "itself"
            | "they"
            | "their"
            | "its"
            | "own"
            | "first"
            | "finally"
            | "unanimously"
            | "not"
            | "only"
            | "largely"
            | "effectively"
            | "reportedly"
            | "today"
            | "yesterday"
            | "week"
            | "month"
            | "year"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "friday"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "saturday"
            | "sunday"
            | "a"
            | "an"
            | "the"
            | "civil"
            | "federal"
            | "putative"
            | "proposed"
            | "class"
            | "new"
            | "separate"
            | "complaint"
            | "lawsuit"
            | "suit"
            | "filed"
            | "pay"
            | "pays"
            | "paid"
            | "paying"
            | "combined"
            | "total"
            | "million"
            | "billion"
            | "$"
            | "€"
            | "£"
            | "more"
            | "than"
            | "about"
            | "nearly"
            | "roughly"
            | "least"
    ) || w
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        || w.ends_with("ly")
}

struct Slots {
    agents: Vec<Mention>,
    patients: Vec<Mention>,
    near: Vec<Mention>,
    agent_auth: Option<usize>,
    any_auth: Option<usize>,
}

/// The most evidence spans kept for one event: a document that repeats an event
/// hundreds of times (a log, a stitched page) keeps the first ones, and memory
/// stays bounded.
pub const MAX_EVIDENCE: usize = 20;

/// Appends `more` to `evidence`, up to [`MAX_EVIDENCE`] spans.
fn add_evidence(evidence: &mut Vec<Evidence>, more: &[Evidence]) {
    let room = MAX_EVIDENCE.saturating_sub(evidence.len());
    evidence.extend(more.iter().take(room).cloned());
}

/// The longest company mention looked back for when asking what covers a word.
const MAX_MENTION_BYTES: usize = 512;

impl DocView<'_, '_> {
    fn in_skip(&self, pos: usize) -> bool {
        self.skip.iter().any(|&(a, b)| a <= pos && pos < b)
    }

    /// Mentions (named and strong references first) whose start is within [a, b).
    fn mentions_in(&self, a: usize, b: usize, weak_ok: bool) -> Vec<Mention> {
        let lo = self.mentions.partition_point(|(m, _)| m.start < a);
        let hi = self.mentions.partition_point(|(m, _)| m.start < b);
        self.mentions[lo..hi]
            .iter()
            .filter(|(m, weak)| m.end <= b && (weak_ok || !weak))
            .map(|(m, _)| *m)
            .collect()
    }

    /// Whether a mention covers the bytes `start..end`. Mentions are sorted by start
    /// and are names, so only those starting shortly before can cover it: a binary
    /// search, not a scan of the document's mentions.
    fn covered(&self, start: usize, end: usize) -> bool {
        let hi = self.mentions.partition_point(|(m, _)| m.start <= start);
        self.mentions[..hi]
            .iter()
            .rev()
            .take_while(|(m, _)| m.start + MAX_MENTION_BYTES >= start)
            .any(|(m, _)| m.start <= start && end <= m.end)
    }

    /// Whether `m` is among the mentions as a weak reference.
    fn is_weak(&self, m: &Mention) -> bool {
        let lo = self.mentions.partition_point(|(x, _)| x.start < m.start);
        self.mentions[lo..]
            .iter()
            .take_while(|(x, _)| x.start == m.start)
            .any(|(x, w)| x == m && *w)
    }

    fn slot_of(&self, trig: &Trigger, m: &Mention, clause: (usize, usize)) -> Slot {
        let seg = self.seg;
        let mt = tok_of(seg, m.start);
        let me = tok_of(seg, m.end);
        let before = mt < trig.tok;
        if before {
            // Possessive right before a noun trigger or its head: "Cruise's permits",
            // "Google's final appeal", "JPMorgan's lawsuit".
            let possessive = me < seg.tokens.len() && seg.tokens[me].kind == TokKind::Possessive;
            if possessive && trig.tok - me <= 4 {
                return Slot::Patient;
            }
            // "Meta appealed the fine", "Google is challenging the ban": a company that
            // contests a penalty or an order is the one it was imposed on.
            if !trig.verb
                && matches!(trig.family, Family::Fine | Family::Ban | Family::Order)
                && trig.tok - me <= 10
                && (me..trig.tok).any(|j| CONTESTING.contains(&seg.low(j)))
                && (me..trig.tok).all(|j| {
                    let w = seg.low(j);
                    transparent(w)
                        || CONTESTING.contains(&w)
                        || matches!(w, "to" | "plans" | "planned" | "euro" | "dollar" | "pound")
                })
            {
                return Slot::Patient;
            }
            // "X v. Y": X plaintiff.
            // Subject of the trigger: only transparent words in between.
            let gap_ok = (me..trig.tok).all(|j| {
                let w = seg.low(j);
                transparent(w)
                    || seg.tokens[j].kind == TokKind::Possessive
                    || w == ","
                    || self.covered(seg.tokens[j].start, seg.tokens[j].end)
                    || matches!(w, "and" | "&" | "or")
            });
            let prep = if mt > clause.0 { seg.low(mt - 1) } else { "" };
            let after_prep = OBJECT_PREPS.contains(&prep) && prep != "to" && prep != "of";
            if gap_ok && !after_prep && trig.tok - me <= 14 {
                return if trig.passive {
                    Slot::Patient
                } else {
                    Slot::Agent
                };
            }
            if after_prep {
                return Slot::Near;
            }
            return Slot::Near;
        }
        // After the trigger.
        let prep = if mt > 0 { seg.low(mt - 1) } else { "" };
        let prep2 = if mt > 1 { seg.low(mt - 2) } else { "" };
        if prep == "by" || (prep == "from" && trig.family == Family::Investigation) {
            return Slot::Agent;
        }
        if OBJECT_PREPS.contains(&prep) || matches!(prep2, "against" | "into" | "requiring") {
            return Slot::Patient;
        }
        if trig.verb && !trig.passive && mt - trig.tok_end <= 3 {
            return Slot::Patient;
        }
        // Inside the object noun phrase: "the grounding of 171 Boeing jets".
        if mt >= trig.tok_end
            && mt - trig.tok_end <= 6
            && (trig.tok_end..mt).all(|j| {
                let w = seg.low(j);
                seg.tokens[j].kind != TokKind::Punct
                    && !w.ends_with("ed")
                    && !matches!(
                        w,
                        "by" | "after"
                            | "before"
                            | "for"
                            | "to"
                            | "while"
                            | "when"
                            | "which"
                            | "that"
                            | "who"
                            | "with"
                            | "and"
                            | "but"
                            | "from"
                            | "as"
                            | "said"
                            | "says"
                            | "at"
                            | "in"
                            | "on"
                    )
            })
        {
            return Slot::Patient;
        }
        Slot::Near
    }

    fn slots(&self, trig: &Trigger, clause: (usize, usize), sent: (usize, usize)) -> Slots {
        let seg = self.seg;
        let c_start = seg.tokens.get(clause.0).map_or(sent.0, |t| t.start);
        let c_end = if clause.1 < seg.tokens.len() {
            seg.tokens[clause.1].start
        } else {
            seg.text.len()
        };
        let ms = self.mentions_in(c_start, c_end.max(c_start), true);
        let mut agents = Vec::new();
        let mut patients = Vec::new();
        let mut near = Vec::new();
        for m in &ms {
            let weak = self.is_weak(m);
            let slot = self.slot_of(trig, m, clause);
            if weak && slot == Slot::Near {
                continue;
            }
            match slot {
                Slot::Agent => agents.push(*m),
                Slot::Patient => patients.push(*m),
                Slot::Near => near.push(*m),
            }
        }
        // Keep only the agent nearest the trigger (and those coordinated with it).
        agents = coordinated_group(seg, &agents, trig.tok, true);
        patients = coordinated_group(seg, &patients, trig.tok, false);
        // Authorities.
        let lo = self.authorities.partition_point(|a| a.start < c_start);
        let hi = self
            .authorities
            .partition_point(|a| a.start < c_end.max(c_start));
        let auths: Vec<usize> = (lo..hi)
            .filter(|&i| self.authorities[i].end <= c_end.max(c_start))
            .collect();
        let mut agent_auth = None;
        let mut any_auth = None;
        let mut best = usize::MAX;
        for &i in &auths {
            let a = &self.authorities[i];
            let at = tok_of(seg, a.start);
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
                    tok_of(seg, self.authorities[j].start).abs_diff(trig.tok)
                });
                if dist < cur {
                    agent_auth = Some(i);
                }
            }
        }
        Slots {
            agents,
            patients,
            near,
            agent_auth,
            any_auth,
        }
    }
}

/// The mention nearest the trigger and those joined to it by "and" / "," / "&".
fn coordinated_group(
    seg: &Segmented<'_>,
    ms: &[Mention],
    trig_tok: usize,
    before: bool,
) -> Vec<Mention> {
    if ms.is_empty() {
        return Vec::new();
    }
    let pivot = if before {
        ms.iter().max_by_key(|m| m.start).copied()
    } else {
        ms.iter()
            .min_by_key(|m| {
                m.start
                    .abs_diff(seg.tokens.get(trig_tok).map_or(0, |t| t.start))
            })
            .copied()
    };
    let Some(pivot) = pivot else {
        return Vec::new();
    };
    let mut group = vec![pivot];
    let joined = |a: &Mention, b: &Mention| {
        let (l, r) = if a.end <= b.start { (a, b) } else { (b, a) };
        let gap = span::clip(seg.text, l.end, r.start.max(l.end));
        let g = gap
            .trim()
            .trim_start_matches("’s")
            .trim_start_matches("'s")
            .trim();
        let g = g.trim_start_matches(',').trim();
        g.is_empty()
            || g == "and"
            || g == "&"
            || g == ","
            || g == "and the"
            || g == ", and"
            || (gap.len() < 40
                && (g.ends_with(" and")
                    || g.starts_with("Inc")
                    || g.starts_with("Corp")
                    || g.starts_with("LLC"))
                && !g.contains(" by ")
                && !g.contains(" against "))
    };
    let mut changed = true;
    while changed {
        changed = false;
        for m in ms {
            if group.contains(m) {
                continue;
            }
            if group.iter().any(|g| joined(g, m)) {
                group.push(*m);
                changed = true;
            }
        }
    }
    group
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
        (Family::Settle, Some(AuthClass::Agency)) => Some(Kind::RegulatoryAction),
        (Family::Settle, _) => Some(Kind::Lawsuit),
        _ => None,
    }
}

/// Procedural steps are not events: a stay of the mandate or of proceedings, a transfer,
/// an extension, an amended complaint; and a judgment named as what an appeal is taken
/// from ("filed an appeal from judgment") is that earlier judgment, not a new one.
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
            let other = after.iter().take(4).any(|w| {
                matches!(
                    *w,
                    "transfer" | "extension" | "leave" | "consolidate" | "consolidation"
                )
            });
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

/// Nouns that license a suit noun as a real suit ("filed a lawsuit", "the suit seeks").
fn suit_licensed(seg: &Segmented<'_>, trig: &Trigger, s_start: usize, s_end: usize) -> bool {
    let left: Vec<&str> = (s_start.max(trig.tok.saturating_sub(7))..trig.tok)
        .map(|j| seg.low(j))
        .collect();
    let right: Vec<&str> = (trig.tok_end..s_end.min(trig.tok_end + 6))
        .map(|j| seg.low(j))
        .collect();
    let filing_verbs = |w: &str| {
        matches!(
            w,
            "filed"
                | "file"
                | "files"
                | "filing"
                | "brought"
                | "bring"
                | "brings"
                | "launched"
                | "hit"
                | "slapped"
                | "lodged"
                | "initiated"
                | "commenced"
                | "instituted"
                | "issued"
                | "named"
                | "won"
                | "lost"
                | "captioned"
                | "entitled"
                | "settle"
                | "settled"
                | "dismissed"
                | "resolve"
                | "resolved"
                | "end"
                | "pending"
        )
    };
    if left.iter().any(|w| filing_verbs(w)) {
        return true;
    }
    if right.iter().take(4).any(|w| {
        matches!(
            *w,
            "filed"
                | "brought"
                | "seeks"
                | "seeking"
                | "alleges"
                | "alleging"
                | "accuses"
                | "accusing"
                | "claims"
                | "names"
                | "naming"
                | "captioned"
                | "against"
                | "by"
                | "was"
                | "were"
        )
    }) {
        return true;
    }
    false
}

fn auth_name(a: &Authority, seg: &Segmented<'_>) -> String {
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
    let bad_after = [
        " a share",
        " per share",
        " an hour",
        " a month",
        " per month",
        " a year",
        " per year",
        " per fax",
        " acquisition",
        " deal",
        " in revenue",
        " in sales",
        " of market value",
        " in market value",
        " market value",
        " on such",
        " in annual",
        " a trip",
        " per trip",
        " in cash and",
        " per ",
    ];
    let bad_before = [
        "valued at",
        "market value",
        "acquisition of",
        "deal",
        "worth",
        "revenue",
        "reserve",
        "provision",
        "charge of",
        "threshold",
        "invested",
        "spent",
        "earned",
        "profit",
        "loss of",
        "compared with",
        "up from",
        "down from",
        "more than $",
        "bought",
        "paid in refunds",
        "purchase",
        "raised",
    ];
    bad_after.iter().any(|b| after.starts_with(b))
        || bad_before.iter().any(|b| before.trim_end().ends_with(b))
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

/// The date of a dateline ("ATLANTA, Oct 26 -", "LOS GATOS, Calif., April 18, 2023 -"):
/// the day of writing, not of the event.
fn dateline(seg: &Segmented<'_>, d: &ResolvedDate) -> bool {
    let after = span::from(seg.text, d.end).trim_start_matches([' ', ')', '(']);
    // A dash that opens the story: an en or em dash, or a hyphen before a space.
    let mut chars = after.chars();
    let dash = match chars.next() {
        Some('\u{2013}' | '\u{2014}') => true,
        Some('-') => chars.next().is_some_and(char::is_whitespace),
        _ => false,
    };
    if !dash {
        return false;
    }
    // Look back at most one short line.
    let mut from = d.start.saturating_sub(80);
    while !seg.text.is_char_boundary(from) {
        from += 1;
    }
    let back = span::clip(seg.text, from, d.start);
    let Some(nl) = back.rfind('\n').map(|i| i + 1).or((from == 0).then_some(0)) else {
        return false;
    };
    let lead = span::from(back, nl);
    lead.len() < 60 && lead.trim_end().ends_with(',')
}

/// Verbs that bring an action about, in a relative clause after its noun ("the
/// fine that the Commission imposed", "a suit which was filed").
const EVENT_VERBS: [&str; 12] = [
    "imposed",
    "levied",
    "filed",
    "brought",
    "issued",
    "announced",
    "opened",
    "launched",
    "ordered",
    "handed down",
    "entered",
    "assessed",
];

/// Whether text between two words crosses into another clause (", and", ";",
/// ", but"), past which a date belongs to that clause.
fn clause_break(text: &str) -> bool {
    text.contains(", and ") || text.contains(';') || text.contains(", but ")
}

/// Chooses the date of a trigger.
///
/// - A halt announced for the future ("will close ... on September 29", "to shut down
///   ... in January") takes the first date after the trigger; a month written without a
///   year that would fall before publication is the next such month.
/// - A date that opens the sentence ("On June 20, 2024, ...", "In March 2022, ...")
///   scopes over the sentence's main clause: it wins over dates inside later phrases
///   ("following a trial of five weeks", "the 2020 approval"), unless a date follows the
///   trigger directly ("was dismissed on July 3").
/// - Otherwise the nearest resolved date in the trigger's clause, else in the sentence.
fn pick_date(
    seg: &Segmented<'_>,
    dates: &[ResolvedDate],
    clause: (usize, usize),
    sent: (usize, usize),
    trig: (usize, usize, usize),
    (future, headline): (bool, bool),
    published: Option<NaiveDate>,
) -> Option<(ResolvedDate, bool)> {
    // `barrier`: where the next trigger of the sentence starts; a date after it belongs to
    // that trigger ("dismissed Google's appeal against the fine the Commission imposed in
    // 2017").
    let (trig_pos, trig_end, barrier) = trig;
    let within = |range: (usize, usize)| {
        let lo = dates.partition_point(|d| d.start < range.0);
        let hi = dates.partition_point(|d| d.start < range.1);
        dates[lo..hi]
            .iter()
            .filter(move |d| d.end <= range.1 && d.date.is_some() && !dateline(seg, d))
    };
    // A later date in a coordinated or relative clause belongs to that clause: "suspended
    // the permits weeks later, and in September Cruise agreed to pay", "sued CrowdStrike
    // over an update that crippled computers in July".
    let reachable = |d: &ResolvedDate| {
        // "..., the attorney general said on Tuesday": a reporting clause dates the whole
        // report.
        let reported = {
            let mut from = d.start.saturating_sub(24);
            while !seg.text.is_char_boundary(from) {
                from += 1;
            }
            let back = span::clip(&seg.lower, from, d.start);
            [
                " said ",
                " announced ",
                " told ",
                " disclosed ",
                " confirmed ",
            ]
            .iter()
            .any(|v| back.contains(v))
        };
        d.end <= trig_pos
            || (d.start < barrier || reported) && {
                let gap = span::clip(&seg.lower, trig_end.min(d.start), d.start);
                let relative = [" that ", " which ", " who ", " when "]
                    .iter()
                    .any(|r| gap.contains(r))
                    && !EVENT_VERBS.iter().any(|v| gap.contains(v));
                !relative && !clause_break(gap)
            }
    };
    let near = |range: (usize, usize)| {
        within(range)
            .filter(|d| reachable(d))
            .min_by_key(|d| {
                if d.end <= trig_pos {
                    trig_pos - d.end
                } else {
                    d.start.saturating_sub(trig_pos)
                }
            })
            .copied()
    };
    // A date introduced by a preposition of time ("on July 3", "in March", "by June 30").
    let introduced = |d: &ResolvedDate| {
        if matches!(
            d.value,
            DateValue::AnchorDays(_) | DateValue::AnchorMonths(_)
        ) {
            return false;
        }
        let own = span::clip(&seg.lower, d.start, d.end);
        let before = span::upto(&seg.lower, d.start).trim_end();
        let word = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        own.starts_with("in ")
            || own.starts_with("by ")
            || own.starts_with("until ")
            || own.starts_with("from ")
            || own.starts_with("through ")
            || matches!(
                word,
                "on" | "in"
                    | "by"
                    | "until"
                    | "from"
                    | "effective"
                    | "starting"
                    | "through"
                    | "after"
                    | "beginning"
                    | "during"
            )
    };
    if future {
        if let Some(mut d) = within(sent)
            .find(|d| d.start >= trig_end && introduced(d))
            .copied()
        {
            if let (DateValue::Explicit { year: None, .. }, Some((v, p)), Some(publ)) =
                (d.value, d.date, published)
            {
                if v < publ {
                    d.date = v
                        .checked_add_months(chrono::Months::new(12))
                        .map(|x| (x, p));
                }
            }
            return Some((d, true));
        }
    }
    // A date right after the trigger ("dismissed on July 3", "filed in March 2024").
    let direct = within(clause)
        .find(|d| {
            d.start >= trig_end
                && d.start - trig_end <= 40
                && !span::clip(&seg.lower, trig_end, d.start).contains(',')
                && introduced(d)
        })
        .copied();
    if let Some(d) = direct {
        return Some((d, true));
    }
    // A date in a relative clause that tells how the trigger's event came about ("the
    // fine that the Commission imposed on it last year", "the suit, which was filed in
    // 2019") dates that event, whatever dates the main clause carries ("Amazon said on
    // Tuesday it would appeal ...", "On June 20, ... appealed ...").
    let described = within(sent).find(|d| {
        if d.start < trig_end || d.start >= barrier || d.start - trig_end > 90 {
            return false;
        }
        let gap = span::clip(&seg.lower, trig_end, d.start);
        let opens = [" that ", " which "]
            .iter()
            .filter_map(|r| gap.find(r))
            .min();
        opens.is_some_and(|at| {
            let rel = span::from(gap, at);
            EVENT_VERBS.iter().any(|v| {
                rel.match_indices(v).any(|(i, _)| {
                    let after = span::from(rel, i + v.len()).chars().next();
                    span::upto(rel, i).ends_with(' ') && !after.is_some_and(char::is_alphanumeric)
                })
            }) && !clause_break(rel)
        })
    });
    if let Some(d) = described.copied() {
        return Some((d, true));
    }
    let opening = within(sent).next().copied().filter(|d| {
        let lead = span::clip(&seg.lower, sent.0, d.start).trim();
        let lead_ok = lead.is_empty()
            || matches!(
                lead,
                "on" | "in"
                    | "beginning on"
                    | "beginning in"
                    | "starting on"
                    | "during"
                    | "in or about"
                    | "on or about"
                    | "since"
            );
        let after = span::clip(&seg.lower, d.end, sent.1).trim_start();
        lead_ok && after.starts_with(',') && d.end <= trig_pos
    });
    if let Some(d) = opening {
        if !matches!(
            d.value,
            DateValue::Explicit {
                year: None,
                month: None,
                ..
            }
        ) {
            return Some((d, true));
        }
    }
    // A headline's bare month is usually a modifier ("over July meltdown").
    if headline {
        return within(sent)
            .filter(|d| introduced(d))
            .min_by_key(|d| d.start.abs_diff(trig_pos))
            .map(|d| (*d, true));
    }
    near(clause).map(|d| (d, true)).or_else(|| {
        // Beyond the clause, a later date in a coordinated clause belongs to that clause:
        // "suspended the permits weeks later, and in September Cruise agreed to pay".
        within(sent)
            .filter(|d| reachable(d))
            .min_by_key(|d| {
                if d.end <= trig_pos {
                    trig_pos - d.end
                } else {
                    d.start.saturating_sub(trig_pos)
                }
            })
            .map(|d| (*d, true))
    })
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

const TITLES: &[&str] = &[
    "President",
    "Former",
    "former",
    "Senator",
    "Sen.",
    "Gov.",
    "Governor",
    "Mr.",
    "Ms.",
    "Mrs.",
    "Dr.",
    "CEO",
    "Judge",
];

/// Well-known people written by title and surname.
const KNOWN_PEOPLE: &[(&str, &str)] = &[
    ("Trump", "Donald Trump"),
    ("Biden", "Joe Biden"),
    ("Obama", "Barack Obama"),
    ("Musk", "Elon Musk"),
];

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
    for t in TITLES {
        if let Some(rest) = name.strip_prefix(&format!("{t} ")) {
            name = rest.to_string();
        }
    }
    if let Some((_, full)) = KNOWN_PEOPLE.iter().find(|(short, _)| name == *short) {
        name = (*full).to_string();
    }
    (name.chars().count() >= 2).then_some(name)
}

/// What a halt stops, from the words after the trigger up to the end of the clause:
/// "halt its driverless car services nationwide after ..." -> "driverless car services
/// nationwide". `None` when nothing that reads like an object follows.
fn halted_object(rest: &str) -> Option<String> {
    const STOPS: &[&str] = &[
        "after",
        "following",
        "amid",
        "because",
        "as",
        "while",
        "until",
        "due",
        "citing",
        "in",
        "on",
        "for",
        "since",
        "when",
        "which",
        "that",
        "and",
        "but",
        "over",
        "to",
        "said",
        "says",
        "from",
        "with",
        "at",
        "by",
        "this",
        "last",
        "next",
        "earlier",
    ];
    const SKIP: &[&str] = &["its", "their", "the", "all", "of", "operations", "down"];
    let clause = rest.split([',', ';', '.', '(', ':', '\n']).next()?;
    let mut words: Vec<&str> = Vec::new();
    for w in clause.split_whitespace() {
        let low = w.to_ascii_lowercase();
        let keep_in = low == "in" && words.is_empty();
        if (STOPS.contains(&low.as_str()) && !keep_in) || words.len() >= 8 {
            break;
        }
        if words.is_empty() && SKIP.contains(&low.as_str()) {
            continue;
        }
        words.push(w);
    }
    if words.first().is_some_and(|w| w.eq_ignore_ascii_case("in")) {
        return None;
    }
    let phrase = words.join(" ");
    // A pronoun says nothing on its own, and a number cut at its thousands comma misleads.
    let pronoun = matches!(
        phrase.to_ascii_lowercase().as_str(),
        "them" | "it" | "this" | "those" | "these"
    );
    let cut_number = phrase.ends_with(|c: char| c.is_ascii_digit());
    (!pronoun && !cut_number && phrase.chars().filter(|c| c.is_alphabetic()).count() >= 3)
        .then_some(phrase)
}

/// A short reason phrase from the evidence: "over alleged de-banking".
fn reason_phrase(text: &str) -> Option<String> {
    let low = text.to_ascii_lowercase();
    for cue in [
        "alleging ",
        "accusing ",
        " over ",
        "for allegedly ",
        "claiming ",
    ] {
        if let Some(i) = low.find(cue) {
            let start = i + cue.len();
            let rest = span::from(text, start);
            let end = rest
                .find([',', ';', '.', '('])
                .unwrap_or(rest.len())
                .min(90);
            let mut end = end;
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            let phrase: String = span::upto(rest, end)
                .chars()
                .filter(|c| !matches!(c, '“' | '”' | '"'))
                .collect();
            let phrase = phrase.trim();
            if phrase.split_whitespace().count() >= 1 {
                let words: Vec<&str> = phrase.split_whitespace().take(10).collect();
                let p = words.join(" ");
                return Some(if cue.trim() == "over" {
                    format!("over {p}")
                } else if cue.starts_with("alleg") {
                    format!(
                        "over alleged {}",
                        p.trim_start_matches("discriminatory ")
                            .trim_end_matches(" practices")
                    )
                } else {
                    format!("{}{p}", cue.trim_start())
                });
            }
        }
    }
    None
}

fn join_names(names: &[String]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        2 => format!("{} and {}", names[0], names[1]),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn money_text(money: Option<Money>) -> Option<String> {
    let money = money?;
    let v = money.amount();
    let sym = match money.currency().as_str() {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        other => return Some(format!("{v:.0} {other}")),
    };
    Some(if v >= 1e9 {
        format!("{sym}{} billion", trim_num(v / 1e9))
    } else if v >= 1e6 {
        format!("{sym}{} million", trim_num(v / 1e6))
    } else {
        format!("{sym}{}", trim_num(v))
    })
}

fn trim_num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn summary(ev: &Event, amount_qualifier: &str, reason: Option<&str>) -> String {
    let targets: Vec<String> = ev
        .companies
        .iter()
        .filter(|c| c.role != Role::Plaintiff)
        .map(|c| c.name.clone())
        .collect();
    let plaintiffs: Vec<String> = ev
        .companies
        .iter()
        .filter(|c| c.role == Role::Plaintiff)
        .map(|c| c.name.clone())
        .chain(
            ev.parties
                .iter()
                .filter(|p| p.role == Role::Plaintiff)
                .map(|p| p.name.clone()),
        )
        .collect();
    let targets = if targets.is_empty() {
        "a company".to_string()
    } else {
        join_names(&targets)
    };
    let money = money_text(ev.money).map(|m| {
        if amount_qualifier.is_empty() {
            m
        } else {
            format!("{amount_qualifier} {m}")
        }
    });
    let auth = ev.authority.clone();
    let mut s = match (ev.kind, ev.action.as_str()) {
        (Kind::Lawsuit, "filed") => {
            let who = if plaintiffs.is_empty() {
                auth.clone().unwrap_or_else(|| "Plaintiffs".into())
            } else {
                join_names(&plaintiffs)
            };
            let mut s = format!("{who} sued {targets}");
            if let Some(m) = &money {
                s.push_str(&format!(" seeking {m}"));
            }
            s
        }
        (Kind::Lawsuit, "appealed") => format!("Appeal filed in a case involving {targets}"),
        (Kind::Lawsuit, "dismissed") => format!(
            "{} dismissed a case against {targets}",
            auth.clone().unwrap_or_else(|| "A court".into())
        ),
        (Kind::Lawsuit, "settled") => {
            let mut s = format!("{targets} settled a lawsuit");
            if !plaintiffs.is_empty() {
                s.push_str(&format!(" by {}", join_names(&plaintiffs)));
            }
            if let Some(m) = &money {
                s.push_str(&format!(" for {m}"));
            }
            s
        }
        (Kind::Lawsuit, _) => {
            let mut s = format!(
                "{} ruled in a case against {targets}",
                auth.clone().unwrap_or_else(|| "A court".into())
            );
            if let Some(m) = &money {
                s.push_str(&format!(" ({m})"));
            }
            s
        }
        (Kind::RegulatoryAction, action) => {
            let who = auth.clone().unwrap_or_else(|| "A regulator".into());
            let verb = match action {
                "fine" => "fined",
                "ban" => "imposed a ban on",
                "suspension" => "suspended permits of",
                "revocation" => "revoked a license of",
                "order" | "consent order" => "issued an order against",
                "investigation" => "opened an investigation into",
                "recall" => "",
                _ => "took action against",
            };
            let mut s = if action == "recall" {
                format!("{targets} recall")
            } else {
                format!("{who} {verb} {targets}")
            };
            if let Some(m) = &money {
                s.push_str(&format!(" ({m})"));
            }
            s
        }
        (Kind::ServiceHalt, action) => {
            let (verb, object) = match action {
                "outage" => ("had an outage of", "its service"),
                "shutdown" => ("shut down", "a service"),
                "exit" => ("exited", "a market"),
                "suspension" => ("suspended", "a service"),
                _ => ("halted", "a service"),
            };
            let object = reason.filter(|_| action != "outage").unwrap_or(object);
            return format!("{targets} {verb} {object}");
        }
    };
    if let Some(r) = reason {
        s.push(' ');
        s.push_str(r);
    }
    s
}

/// Reads the events of a document.
pub fn extract_events(view: &DocView<'_, '_>) -> Vec<Event> {
    let seg = view.seg;
    let mut cands: Vec<Candidate> = Vec::new();
    for (si, sent) in seg.sentences.iter().enumerate() {
        if view.in_skip(sent.start) {
            continue;
        }
        let trigs = find_triggers(seg, sent.tok_start, sent.tok_end);
        for trig in &trigs {
            if let Some(c) = candidate(view, si, trig, &trigs, &cands) {
                cands.push(c);
            }
        }
    }
    merge(view, cands)
}

fn candidate(
    view: &DocView<'_, '_>,
    si: usize,
    trig: &Trigger,
    all: &[Trigger],
    prior: &[Candidate],
) -> Option<Candidate> {
    let seg = view.seg;
    let sent = seg.sentences[si];
    let md = modality(seg, trig, sent.tok_start, sent.tok_end);
    if md != Modality::Fact {
        return None;
    }
    let clause = clause_bounds(seg, sent.tok_start, sent.tok_end, trig.tok);
    if trig.family == Family::SuitNoun && !suit_licensed(seg, trig, clause.0, clause.1) {
        return None;
    }
    // A noun trigger governed by another trigger in the same clause ("filed a lawsuit",
    // "dismissed the suit", "settle lawsuits") is read through that trigger.
    if procedural(seg, trig, clause) {
        return None;
    }
    // "objections ... were settled by the board": only a legal matter is settled as a case.
    if trig.family == Family::Settle && trig.passive {
        let from = clause.0.max(trig.tok.saturating_sub(6));
        let legal = (from..trig.tok).any(|j| {
            matches!(
                seg.low(j),
                "case"
                    | "cases"
                    | "lawsuit"
                    | "lawsuits"
                    | "suit"
                    | "suits"
                    | "claims"
                    | "claim"
                    | "litigation"
                    | "action"
                    | "actions"
                    | "matter"
                    | "matters"
                    | "charges"
                    | "complaint"
                    | "dispute"
                    | "probe"
                    | "investigation"
            )
        });
        if !legal {
            return None;
        }
    }
    // A purpose clause names no act of its own: "decided to recall ... to resolve the
    // investigation" (the noun it governs is still read through it below).
    if trig.lemma == "resolve"
        && trig.tok > 0
        && seg.low(trig.tok - 1) == "to"
        && all
            .iter()
            .any(|o| o.tok < trig.tok && o.family != Family::Settle)
    {
        return None;
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
            return None;
        }
    }
    if !trig.verb && matches!(trig.family, Family::SuitNoun | Family::Appeal) {
        let governed = all.iter().any(|o| {
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
        if governed {
            return None;
        }
    }
    let slots = view.slots(trig, clause, (sent.start, sent.end));
    let auth_idx = slots.agent_auth.or(slots.any_auth);
    let auth = auth_idx.map(|i| resolve_auth(view.authorities, i));
    // A decision in a sentence whose subject is a court is the court's, even when an agency
    // is named nearer ("The Supreme Court ... made it harder for the NLRB ..., ruling in
    // favor of Starbucks").
    let auth = if matches!(
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
    };
    // A legislature's proposals and private bodies' rules are never events.
    let a_lo = view.authorities.partition_point(|a| a.start < sent.start);
    let a_hi = view.authorities.partition_point(|a| a.start < sent.end);
    let legis_only = view.authorities[a_lo..a_hi]
        .iter()
        .any(|a| a.class == AuthClass::Legislature)
        && auth.map_or(true, |a| {
            a.class != AuthClass::Agency && a.class != AuthClass::Court
        });
    if auth.is_some_and(|a| a.class == AuthClass::Private) {
        return None;
    }
    let mut kind = kind_for(trig, auth)?;
    // "pay $175 million to settle a lawsuit by the attorney general": a lawsuit, whoever sued.
    if trig.family == Family::Settle
        && (clause.0..clause.1).any(|j| {
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
            if PEOPLE_NOUNS.contains(&subj) {
                return None;
            }
        }
    }
    if kind == Kind::RegulatoryAction && legis_only && trig.family != Family::Recall {
        return None;
    }
    // Regulatory acts other than recalls need an agency.
    if kind == Kind::RegulatoryAction
        && trig.family != Family::Recall
        && !auth.is_some_and(|a| a.class == AuthClass::Agency)
    {
        return None;
    }
    // Court decisions need a court.
    if kind == Kind::Lawsuit
        && matches!(trig.family, Family::Ruling | Family::Dismiss)
        && !auth.is_some_and(|a| a.class == AuthClass::Court)
    {
        let passive_case = trig.passive || trig.lemma == "dismiss";
        if !passive_case {
            return None;
        }
    }
    // Roles.
    let mut companies: Vec<(Mention, Role)> = Vec::new();
    let target_role = match kind {
        Kind::Lawsuit => Role::Defendant,
        Kind::RegulatoryAction => Role::Regulated,
        Kind::ServiceHalt => Role::Operator,
    };
    let agent_role = match (kind, trig.family) {
        (Kind::Lawsuit, Family::Sue | Family::SuitNoun) => Some(Role::Plaintiff),
        (Kind::Lawsuit, _) => Some(Role::Defendant),
        (Kind::ServiceHalt, _) => Some(Role::Operator),
        (Kind::RegulatoryAction, Family::Recall | Family::Settle) => Some(Role::Regulated),
        (Kind::RegulatoryAction, _) => None,
    };
    // "the €746 million fine that Luxembourg's authority imposed on Amazon": the company a
    // fine or order is imposed on, named after the noun, is its target.
    let imposed_on: Option<Mention> = if !trig.verb
        && matches!(trig.family, Family::Fine | Family::Ban | Family::Order)
    {
        let end = (trig.tok_end + 14).min(sent.tok_end);
        (trig.tok_end..end.saturating_sub(1))
            .find(|&j| {
                matches!(
                    seg.low(j),
                    "imposed" | "levied" | "assessed" | "issued" | "slapped"
                ) && matches!(seg.low(j + 1), "on" | "against" | "to")
            })
            .and_then(|j| {
                let at = seg.tokens.get(j + 2).map_or(sent.end, |t| t.start);
                view.mentions_in(at, (at + 40).min(sent.end), true)
                    .into_iter()
                    .find(|m| m.start == at || span::clip(seg.text, at, m.start).trim().len() <= 4)
            })
    } else {
        None
    };
    if let Some(m) = imposed_on {
        companies.push((m, target_role));
    } else {
        for m in &slots.patients {
            companies.push((*m, target_role));
        }
    }
    if let Some(r) = agent_role.filter(|_| imposed_on.is_none()) {
        for m in &slots.agents {
            // A halt by X of Y's product: the operator is the agent.
            let role = if kind == Kind::ServiceHalt {
                Role::Operator
            } else {
                r
            };
            if kind == Kind::Lawsuit
                && r == Role::Plaintiff
                && slots.patients.is_empty()
                && !trig.verb
            {
                // "X filed a lawsuit" with no defendant named: X may still be the plaintiff.
            }
            companies.push((*m, role));
        }
    }
    if kind == Kind::ServiceHalt {
        // The operator is the agent; patients of a halt verb are products, not companies,
        // unless no agent is known ("X's service was halted").
        if !slots.agents.is_empty() {
            companies.retain(|(m, _)| slots.agents.contains(m));
        }
    }
    if companies.is_empty() {
        // Nearest company in the clause.
        let trig_pos = seg.tokens[trig.tok].start;
        let pick = slots
            .near
            .iter()
            .filter(|m| !is_modifier(seg, m))
            .min_by_key(|m| m.start.abs_diff(trig_pos))
            .copied();
        if let Some(m) = pick {
            let before = m.start < trig_pos;
            let pool: Vec<Mention> = slots
                .near
                .iter()
                .filter(|x| !is_modifier(seg, x))
                .copied()
                .collect();
            let group = coordinated_group(seg, &pool, trig.tok, before);
            let group = if group.contains(&m) { group } else { vec![m] };
            for g in group {
                companies.push((g, target_role));
            }
        }
    }
    let mut inherited: Vec<CompanyRef> = Vec::new();
    let mut anaphoric = false;
    if companies.is_empty() {
        if sent.headline {
            return None;
        }
        let det = |j: usize| j >= sent.tok_start && matches!(seg.low(j), "the" | "this" | "that");
        let governed_by_filing =
            (sent.tok_start.max(trig.tok.saturating_sub(4))..trig.tok).any(|j| {
                matches!(
                    seg.low(j),
                    "filed"
                        | "brought"
                        | "file"
                        | "filing"
                        | "launched"
                        | "issued"
                        | "imposed"
                        | "opened"
                        | "announced"
                )
            });
        let definite = !trig.verb
            && !governed_by_filing
            && (det(trig.tok.wrapping_sub(1)) || (trig.tok >= 2 && det(trig.tok - 2)));
        if definite && prior.iter().rev().take(6).any(|c| c.event.kind == kind) {
            anaphoric = true;
        } else {
            // The same authority acting again on the company it acted on before.
            let same_auth = auth.and_then(|a| {
                let name = auth_name(a, seg);
                prior.iter().rev().find(|c| {
                    c.event.kind == kind && c.event.authority.as_deref() == Some(name.as_str())
                })
            });
            if let Some(c) = same_auth {
                inherited = c
                    .event
                    .companies
                    .iter()
                    .filter(|r| r.role == target_role)
                    .cloned()
                    .collect();
            }
            // The sentence names the party itself, and it is not a listed company
            // ("F-Squared Investments Inc. agreed to pay", "filed cases against the service
            // academies"): no company from elsewhere stands in for it.
            if inherited.is_empty() && names_unlisted_party(view, sent, trig) {
                return None;
            }
            if inherited.is_empty() {
                // The subject of the previous sentences of the paragraph, else the
                // document's main company (for a court's or an agency's act).
                let prev: Option<Mention> = (0..si).rev().take(2).find_map(|b| {
                    let s = seg.sentences[b];
                    if s.paragraph != sent.paragraph {
                        return None;
                    }
                    let from = view.mentions.partition_point(|(m, _)| m.start < s.start);
                    view.mentions[from..]
                        .iter()
                        .take_while(|(m, _)| m.start < s.end)
                        .find(|(m, weak)| !weak && m.end <= s.end && !is_modifier(seg, m))
                        .map(|(m, _)| *m)
                });
                let prev = prev.or_else(|| {
                    if kind == Kind::ServiceHalt {
                        return None;
                    }
                    view.dominant
                });
                let m = prev?;
                companies.push((m, target_role));
            }
        }
    }
    // Halts need the operator to be the doer, not a bystander.
    if kind == Kind::ServiceHalt && slots.agents.is_empty() && !trig.passive && trig.verb {
        // "Consumers should stop using"; "the outage" nouns are fine.
        let has_ref = companies.iter().any(|(m, _)| m.via == Via::Reference);
        if !has_ref
            && companies
                .iter()
                .all(|(m, _)| m.start > seg.tokens[trig.tok].start)
        {
            return None;
        }
    }
    // Drop duplicates; tickers.
    let mut refs: Vec<CompanyRef> = Vec::new();
    for (m, role) in &companies {
        let c = view.index.company(m.company);
        if !refs.iter().any(|r| r.ticker == c.ticker) {
            refs.push(CompanyRef {
                ticker: c.ticker.clone(),
                name: c.short.clone(),
                role: *role,
            });
        }
    }
    if refs.is_empty() {
        refs = inherited;
    }
    if refs.is_empty() && !anaphoric {
        return None;
    }
    let tickers: Vec<Ticker> = refs.iter().map(|r| r.ticker.clone()).collect();
    // Parties: plaintiffs that are not listed companies.
    let mut parties = Vec::new();
    if kind == Kind::Lawsuit
        && matches!(trig.family, Family::Sue | Family::SuitNoun)
        && slots.agents.is_empty()
    {
        for name in party_names(seg, trig, clause, view.mentions, view.authorities) {
            parties.push(Party {
                name,
                role: Role::Plaintiff,
            });
        }
    }
    if kind == Kind::Lawsuit
        && parties.is_empty()
        && matches!(trig.family, Family::Sue | Family::SuitNoun)
    {
        if let Some(a) = auth.filter(|a| a.class == AuthClass::Agency) {
            parties.push(Party {
                name: auth_name(a, seg),
                role: Role::Plaintiff,
            });
        }
    }
    // Amount.
    let trig_pos = seg.tokens[trig.tok].start;
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
        pick_amount(seg, view.amounts, (sent.start, sent.end), trig_pos)
    } else {
        None
    };
    let qualifier = amount
        .map(|a| {
            let b = span::clip(&seg.lower, sent.start, a.start)
                .trim_end()
                .to_string();
            [
                "at least",
                "more than",
                "about",
                "roughly",
                "nearly",
                "up to",
            ]
            .iter()
            .find(|q| b.ends_with(*q))
            .map_or(String::new(), |q| (*q).to_string())
        })
        .unwrap_or_default();
    // Date.
    let c_start = seg.tokens.get(clause.0).map_or(sent.start, |t| t.start);
    let c_end = if clause.1 < seg.tokens.len() {
        seg.tokens[clause.1].start.min(sent.end)
    } else {
        sent.end
    };
    let trig_end = seg
        .tokens
        .get(trig.tok_end.saturating_sub(1))
        .map_or(trig_pos, |t| t.end);
    // A halt announced ahead ("will close", "to shut down", "plans to end").
    let future = trig.family == Family::Halt
        && (trig.tok.saturating_sub(3)..trig.tok).any(|j| {
            j >= sent.tok_start
                && matches!(
                    seg.low(j),
                    "will" | "would" | "to" | "'ll" | "plans" | "set"
                )
        });
    let picked = pick_date(
        seg,
        view.dates,
        (c_start, c_end.max(c_start)),
        (sent.start, sent.end),
        (
            trig_pos,
            trig_end,
            all.iter()
                .filter(|o| o.tok >= trig.tok_end)
                .map(|o| seg.tokens[o.tok].start)
                .min()
                .unwrap_or(usize::MAX),
        ),
        (future, sent.headline),
        view.published,
    );
    let weak_date = future && picked.is_some_and(|(d, _)| d.end <= trig_pos);
    let mut date = picked.and_then(|(d, _)| {
        let mut v = d.date?;
        // "two months after <event>": the event came before the anchor.
        if let DateValue::AnchorMonths(n) = d.value {
            if d.end <= trig_pos && n > 0 {
                let anchor_month =
                    v.0.checked_sub_months(chrono::Months::new(n.unsigned_abs() * 2))?;
                v = (anchor_month, Precision::Month);
            }
        }
        if let DateValue::AnchorDays(n) = d.value {
            let after_word = span::clip(&seg.lower, d.start, d.end).contains("after");
            if d.end <= trig_pos && n > 0 && after_word {
                v = (v.0 - chrono::Duration::days(2 * n), v.1);
            }
        }
        Some(v)
    });
    let explicit_date = date.is_some();
    // "the group that brought the case" without a date refers back to a case already
    // reported; with a date ("filed the case in October 2020") it reports the filing.
    if trig.lemma == "file a case" && !explicit_date {
        return None;
    }
    // "reversed the trial court's dismissal", "upheld the verdict": the earlier decision is
    // named, not made, unless it carries its own date ("overturned a 2021 ruling").
    let noun_like = !trig.verb || matches!(seg.low(trig.tok), "dismissal" | "ruling" | "decision");
    if noun_like
        && matches!(
            trig.family,
            Family::Dismiss | Family::Ruling | Family::Settle
        )
    {
        let governor = all.iter().find(|o| {
            o.verb
                && o.family == Family::Ruling
                && o.tok < trig.tok
                && trig.tok - o.tok <= 10
                && o.tok >= clause.0
        });
        if let Some(g) = governor {
            let g_end = seg.tokens[g.tok_end.saturating_sub(1)].end;
            let lo = view.dates.partition_point(|d| d.start < g_end);
            let own_date = view.dates[lo..]
                .iter()
                .take_while(|d| d.start < trig_pos)
                .any(|d| d.end <= trig_pos && d.date.is_some());
            if !own_date {
                return None;
            }
        }
    }
    // "has been closing stores": an ongoing practice, not a dated halt.
    if trig.family == Family::Halt && !explicit_date && trig.tok >= sent.tok_start + 2 {
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
        let progressive_perfect = been
            && j > sent.tok_start
            && matches!(seg.low(j - 1), "has" | "have" | "had")
            && seg.low(trig.tok).ends_with("ing");
        if progressive_perfect {
            return None;
        }
    }
    // "claims ... in a number of pending lawsuits", "various legal proceedings": generic,
    // no specific action (undated).
    if !explicit_date && matches!(trig.family, Family::SuitNoun) {
        let w = seg.low(trig.tok);
        let plural = w.ends_with('s')
            || trig.lemma == "class action" && {
                let last = seg.low(trig.tok_end.saturating_sub(1));
                last.ends_with('s')
            };
        let from = sent.tok_start.max(trig.tok.saturating_sub(5));
        let generic = (from..trig.tok).any(|j| {
            matches!(
                seg.low(j),
                "number"
                    | "various"
                    | "numerous"
                    | "pending"
                    | "certain"
                    | "other"
                    | "many"
                    | "variety"
                    | "routine"
                    | "ordinary"
            )
        });
        if plural && generic {
            return None;
        }
    }
    if date.is_none() && !view.filing {
        date = None; // defaulted at merge time
    }
    // Jurisdiction.
    let jurisdiction = auth
        .filter(|_| kind != Kind::ServiceHalt)
        .and_then(|a| a.jurisdiction.clone());
    let amount_usd = amount.and_then(usd);
    let evidence_text = span::clip(seg.text, sent.start, sent.end).to_string();
    let reason = match kind {
        Kind::Lawsuit => reason_phrase(&evidence_text),
        Kind::ServiceHalt => seg
            .tokens
            .get(trig.tok_end.saturating_sub(1))
            .and_then(|t| seg.text.get(t.end..sent.end))
            .and_then(halted_object),
        Kind::RegulatoryAction => None,
    };
    let confidence = {
        let mut c: f64 = 0.55;
        if !slots.patients.is_empty() || !slots.agents.is_empty() {
            c += 0.2;
        }
        if auth.is_some() {
            c += 0.1;
        }
        if explicit_date {
            c += 0.05;
        }
        if companies.iter().any(|(m, _)| m.via == Via::Reference) {
            c -= 0.1;
        }
        c.min(0.95)
    };
    let action = trig.action.to_string();
    let mut status = status_for(kind, trig.family, trig.lemma);
    // Settled enforcement: the company agreed to the order or penalty ("agreed to pay a
    // civil money penalty", "consented to the entry of orders", "under the consent
    // order"), in the sentence or the paragraph around it.
    if kind == Kind::RegulatoryAction && status == "announced" {
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
        let agreed = [
            "agreed to pay",
            "agrees to pay",
            "agreed to a",
            "to settle",
            "to resolve",
            "settled with",
            "consented to",
        ];
        let order_words = ["consent order", "consent decree", "settlement agreement"];
        // US bank and consumer-finance regulators impose money penalties by consent.
        let consent_regulator = trig.family == Family::Fine
            && auth.is_some_and(|a| {
                let n = auth_name(a, seg);
                [
                    "Consumer Financial Protection",
                    "CFPB",
                    "Comptroller",
                    "OCC",
                    "Federal Reserve",
                    "FDIC",
                    "FINRA",
                ]
                .iter()
                .any(|k| n.contains(k))
            });
        if agreed.iter().any(|c| clause_low.contains(c))
            || clause_low.contains("settlement")
            || order_words.iter().any(|c| para_low.contains(c))
            || consent_regulator
        {
            status = "settled";
        }
    }
    let action = if kind == Kind::Lawsuit {
        match trig.family {
            Family::Sue | Family::SuitNoun => "filed".to_string(),
            Family::Appeal => "appealed".to_string(),
            Family::Dismiss => "dismissed".to_string(),
            Family::Settle => "settled".to_string(),
            _ => "ruled".to_string(),
        }
    } else if kind == Kind::RegulatoryAction {
        match trig.family {
            Family::Settle => "fine".to_string(),
            Family::Ruling => "order".to_string(),
            Family::Halt | Family::Permit => action,
            _ => action,
        }
    } else {
        action
    };
    // The lexicon's words are actions and statuses of the domain (a unit test reads
    // every one); a word that is not would be a bug of the lexicon, and makes no event.
    let action = Action::read(&action).ok()?;
    let status = status.parse::<Status>().ok()?;
    let mut event = Event {
        kind,
        action,
        status: Some(status),
        tickers,
        companies: refs,
        parties,
        // A halt is the company's own act; an authority near it is context, not its actor.
        authority: auth
            .filter(|_| kind != Kind::ServiceHalt)
            .map(|a| auth_name(a, seg)),
        jurisdiction: jurisdiction.and_then(|j| Jurisdiction::parse(&j).ok()),
        money: amount.and_then(|a| Money::new(a.value, Currency::parse(a.currency).ok()?).ok()),
        amount_usd,
        date: None,
        confidence: Confidence::new(confidence),
        summary: String::new(),
        evidence: vec![Evidence {
            start: sent.start,
            end: sent.end,
            text: evidence_text,
            rule: format!(
                "{}:{}{}",
                trig.lemma,
                if trig.passive {
                    "passive"
                } else if trig.verb {
                    "verb"
                } else {
                    "noun"
                },
                if slots.agents.is_empty() && slots.patients.is_empty() {
                    "+nearest"
                } else {
                    ""
                }
            ),
        }],
    };
    event.summary = summary(&event, &qualifier, reason.as_deref());
    // "the lawsuit", "the recall" with no date of its own, after an event of its kind about
    // the same company: a further mention of that event, not a new one.
    let subject_np = trig.tok <= sent.tok_start + 4
        && matches!(seg.low(sent.tok_start), "the" | "this" | "that");
    if !anaphoric && (!explicit_date || subject_np) && !trig.verb && trig.tok > sent.tok_start {
        let det = matches!(seg.low(trig.tok - 1), "the" | "this" | "that")
            || trig.tok >= sent.tok_start + 2
                && matches!(seg.low(trig.tok - 2), "the" | "this" | "that")
                && seg.tokens[trig.tok - 1].kind == TokKind::Word;
        let settled = event.status == Some(Status::Settled);
        if det
            && prior.iter().rev().take(40).any(|c| {
                (c.event.kind == event.kind || settled && c.event.status == Some(Status::Settled))
                    && c.event.tickers.iter().any(|t| event.tickers.contains(t))
            })
        {
            anaphoric = true;
        }
    }
    // A halt announced ahead whose only date is the announcement's ("said on Thursday
    // that it will shut down") keeps that date weakly: an effective date elsewhere wins.
    let explicit_date = explicit_date && !weak_date;
    Some(Candidate {
        event,
        date,
        explicit_date,
        headline: sent.headline,
        sent: si,
        fresh: {
            let from = sent.tok_start.max(trig.tok.saturating_sub(4));
            (from..trig.tok).any(|j| {
                matches!(
                    seg.low(j),
                    "another"
                        | "separate"
                        | "additional"
                        | "several"
                        | "second"
                        | "further"
                        | "multiple"
                        | "new"
                )
            })
        },
        qualifier,
        reason,
        anaphoric,
    })
}

/// Two named agencies (not courts, whose names vary from mention to mention) acting on the
/// same day are two actions: the OCC's penalty and the Federal Reserve's, the Justice
/// Department's suit and a state attorney general's.
fn distinct_agencies(a: &Event, b: &Event) -> bool {
    fn named(e: &Event) -> Option<&str> {
        e.authority.as_deref().filter(|n| {
            n.chars().any(char::is_uppercase)
                && ![
                    "Court",
                    "court",
                    "Judge",
                    "judge",
                    "Jury",
                    "jury",
                    "Circuit",
                    "Justices",
                    // Generic descriptions: "California regulators", "the Irish regulator".
                    "regulator",
                    "commission",
                    "agency",
                    "authorit",
                    "officials",
                    "ministry",
                    "watchdog",
                    "department",
                    "bureau",
                ]
                .iter()
                .any(|w| n.contains(w))
        })
    }
    match (named(a), named(b)) {
        (Some(x), Some(y)) => !x.eq_ignore_ascii_case(y),
        _ => false,
    }
}

/// Whether a sentence names a party that is not a listed company: an organisation with a
/// corporate suffix that the registry does not know, or "against the <non-company noun>".
fn names_unlisted_party(view: &DocView<'_, '_>, sent: Sentence, trig: &Trigger) -> bool {
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

/// The same company plaintiff in one and defendant in the other: two suits.
fn roles_conflict(a: &Event, b: &Event) -> bool {
    a.companies.iter().any(|x| {
        b.companies.iter().any(|y| {
            x.ticker == y.ticker
                && x.role != y.role
                && matches!(x.role, Role::Plaintiff | Role::Defendant)
                && matches!(y.role, Role::Plaintiff | Role::Defendant)
        })
    })
}

fn compatible_dates(a: Option<(NaiveDate, Precision)>, b: Option<(NaiveDate, Precision)>) -> bool {
    match (a, b) {
        (Some((da, pa)), Some((db, pb))) => {
            let p = pa.min(pb);
            format_date(da, p) == format_date(db, p)
        }
        _ => true,
    }
}

fn compatible_actions(a: &Event, b: &Event) -> bool {
    if a.kind != b.kind {
        return false;
    }
    match a.kind {
        Kind::Lawsuit => a.status == b.status,
        Kind::RegulatoryAction => {
            let same_agency = a.authority.is_some() && a.authority == b.authority;
            a.action.same_act_in_one_text(b.action, same_agency)
        }
        Kind::ServiceHalt => true,
    }
}

fn merge(view: &DocView<'_, '_>, cands: Vec<Candidate>) -> Vec<Event> {
    let mut out: Vec<Candidate> = Vec::new();
    for c in cands {
        if c.anaphoric {
            // Continue the latest event of the same kind.
            let same_action = out
                .iter()
                .rposition(|o| compatible_actions(&o.event, &c.event));
            let same_kind = out.iter().rposition(|o| o.event.kind == c.event.kind);
            let Some(i) = same_action.or(same_kind) else {
                continue;
            };
            let o = &mut out[i];
            if o.event.money.is_none() && c.event.money.is_some() {
                o.event.money = c.event.money;
                o.event.amount_usd = c.event.amount_usd;
                o.qualifier = c.qualifier.clone();
            }
            if o.reason.is_none() {
                o.reason = c.reason.clone();
            }
            if o.date.is_none() && c.explicit_date {
                o.date = c.date;
                o.explicit_date = true;
            }
            add_evidence(&mut o.event.evidence, &c.event.evidence);
            continue;
        }
        let pos = out.iter().position(|o| {
            o.event.kind == c.event.kind
                && o.event.tickers.iter().any(|t| c.event.tickers.contains(t))
                && !roles_conflict(&o.event, &c.event)
                && !(o.explicit_date && c.explicit_date && distinct_agencies(&o.event, &c.event))
                && !(c.fresh && o.explicit_date && !c.explicit_date && o.sent != c.sent)
                && compatible_actions(&o.event, &c.event)
                && (o.sent == c.sent
                    && o.date
                        .zip(c.date)
                        .map_or(true, |(a, b)| (a.0 - b.0).num_days().abs() <= 31)
                    || !o.explicit_date && o.date.is_some()
                    || !c.explicit_date && c.date.is_some()
                    || compatible_dates(o.date, c.date)
                        && (!(o.explicit_date && c.explicit_date)
                            || o.date == c.date
                            || o.date.zip(c.date).is_some_and(|(a, b)| a.1 != b.1)))
        });
        match pos {
            Some(i) => {
                let o = &mut out[i];
                // Prefer the more precise date; fill missing fields. Several actions in
                // one sentence take the first date.
                let first_of_sentence = o.sent == c.sent && o.explicit_date;
                let weak_to_strong = !o.explicit_date && c.explicit_date;
                if weak_to_strong
                    || !first_of_sentence
                        && (c.explicit_date || !o.explicit_date)
                        && c.date
                            .is_some_and(|(_, p)| o.date.map_or(true, |(_, op)| p > op))
                {
                    o.date = c.date;
                    o.explicit_date = c.explicit_date;
                }
                if o.event.money.is_none() && c.event.money.is_some() {
                    o.event.money = c.event.money;
                    o.event.amount_usd = c.event.amount_usd;
                    o.qualifier = c.qualifier.clone();
                }
                if o.reason.is_none() {
                    o.reason = c.reason.clone();
                }
                // A mention that shows the enforcement was agreed settles the event.
                if o.event.kind == Kind::RegulatoryAction
                    && c.event.status == Some(Status::Settled)
                    && c.event.action != Action::Settled
                {
                    o.event.status = c.event.status;
                }
                if o.event.authority.is_none() {
                    o.event.authority = c.event.authority.clone();
                    o.event.jurisdiction = c.event.jurisdiction.clone();
                }
                for r in &c.event.companies {
                    if !o.event.tickers.contains(&r.ticker) {
                        o.event.tickers.push(r.ticker.clone());
                        o.event.companies.push(r.clone());
                    }
                }
                for p in &c.event.parties {
                    if !o.event.parties.iter().any(|x| x.name == p.name) {
                        o.event.parties.push(p.clone());
                    }
                }
                if o.headline && !c.headline {
                    o.headline = false;
                }
                if !o
                    .event
                    .evidence
                    .iter()
                    .any(|e| e.start == c.event.evidence[0].start)
                {
                    add_evidence(&mut o.event.evidence, &c.event.evidence);
                }
                o.event.confidence = Confidence::new((o.event.confidence.value() + 0.05).min(0.97));
            }
            None => out.push(c),
        }
    }
    out.into_iter()
        .map(|mut c| {
            let date = c.date.or_else(|| {
                if view.filing {
                    None
                } else {
                    view.published
                        .map(|p| (p, Precision::Month.min(view.published_precision)))
                }
            });
            c.event.date = date.map(|(d, p)| EventDate::new(d, p));
            c.event.summary = summary(&c.event, &c.qualifier, c.reason.as_deref());
            c.event
        })
        .collect()
}
