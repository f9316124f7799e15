//! Roles: which companies an event is about and in what role. A company fills a slot
//! relative to the trigger (agent: "X sued", "by X"; patient: "sued X", "against X", "X
//! was sued", "X's permits"), else the nearest company of the clause stands in, else a
//! company from the sentences before (the same authority acting again, the subject of
//! the paragraph, the document's main company).

use super::super::assemble::Candidate;
use super::super::authorities::Authority;
use super::super::companies::{Mention, Via};
use super::super::lexicon::{CONTESTING, HALT_CAUSES, NOT_MODIFIER, OBJECT_PREPS, TRANSPARENT};
use super::super::text::{Segmented, TokKind};
use super::super::triggers::{is_trigger_word, Family, Trigger};
use super::super::types::{CompanyRef, Kind, Role};
use super::super::view::DocView;
use super::{authority, parties, Ctx};
use crate::extract::span;

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
    first_lower && !w.ends_with("ed") && is_trigger_word(w).is_none() && !NOT_MODIFIER.contains(w)
}

/// A company name that modifies a noun followed by another name ("Apple supplier
/// Foxconn", "Tesla rival BYD"): the name after the noun is the one that acts.
fn modifies_a_name(seg: &Segmented<'_>, m: &Mention) -> bool {
    if !is_modifier(seg, m) {
        return false;
    }
    let j = seg.token_at(m.end);
    seg.tokens.get(j + 1).is_some_and(|t| {
        t.kind == TokKind::Word
            && t.start == seg.tokens[j].end + 1
            && seg
                .tok(j + 1)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    })
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

/// Words between a subject and its verb that keep the subject link.
pub fn transparent(w: &str) -> bool {
    TRANSPARENT.contains(w)
        || w.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        || w.ends_with("ly")
}

/// The mentions of a clause by slot, and the authorities that may act (indices into the
/// document's authorities).
pub struct Slots {
    /// Doers: subject of an active verb, "by X", "X v.".
    pub agents: Vec<Mention>,
    /// Undergoers: object, "against X", subject of a passive verb, "X's permits".
    pub patients: Vec<Mention>,
    /// Mentions of the clause in neither slot (weak references among them are dropped).
    pub near: Vec<Mention>,
    /// The nearest authority acting on the trigger (before an active trigger, or after
    /// "by" / "from").
    pub agent_auth: Option<usize>,
    /// The nearest authority of the clause, acting or not.
    pub any_auth: Option<usize>,
}

impl Slots {
    /// Neither an agent nor a patient was placed: the event's company is a guess.
    pub fn unplaced(&self) -> bool {
        self.agents.is_empty() && self.patients.is_empty()
    }
}

fn slot_of(view: &DocView<'_, '_>, trig: &Trigger, m: &Mention, clause: (usize, usize)) -> Slot {
    let seg = view.seg;
    let mt = seg.token_at(m.start);
    let me = seg.token_at(m.end);
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
            && (me..trig.tok).any(|j| CONTESTING.contains(seg.low(j)))
            && (me..trig.tok).all(|j| {
                let w = seg.low(j);
                transparent(w)
                    || CONTESTING.contains(w)
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
                || view.covered(seg.tokens[j].start, seg.tokens[j].end)
                || matches!(w, "and" | "&" | "or")
        });
        let prep = if mt > clause.0 { seg.low(mt - 1) } else { "" };
        let after_prep = OBJECT_PREPS.contains(prep) && prep != "to" && prep != "of";
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
    if OBJECT_PREPS.contains(prep) || matches!(prep2, "against" | "into" | "requiring") {
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

/// The companies of the trigger's clause, by the slot they fill, and the authorities
/// that may act.
pub fn slots(cx: &Ctx<'_>) -> Slots {
    let (view, seg, trig, clause) = (cx.view, cx.seg, cx.trig, cx.clause);
    let sent = (cx.sent.start, cx.sent.end);
    let c_start = seg.tokens.get(clause.0).map_or(sent.0, |t| t.start);
    let c_end = if clause.1 < seg.tokens.len() {
        seg.tokens[clause.1].start
    } else {
        seg.text.len()
    };
    let trig_at = seg.tokens[trig.tok].start;
    let quotes = quoted_spans(seg.text, sent.0, sent.1);
    let ms: Vec<Mention> = view
        .mentions_in(c_start, c_end.max(c_start), true)
        .into_iter()
        // Names inside someone's quoted words are theirs, not the trigger's parties
        // ("the department said the merger 'will leave three airlines — Delta, ...'").
        .filter(|m| {
            !quotes
                .iter()
                .any(|&(a, b)| a <= m.start && m.end <= b && !(a <= trig_at && trig_at < b))
        })
        // "Uber's former chief security officer": the company only says whose employee
        // the person is; the person, not the company, is the party.
        .filter(|m| !employer_of_person(seg, m))
        // "Apple supplier Foxconn halted ...": the name after the noun acts.
        .filter(|m| !modifies_a_name(seg, m))
        .collect();
    let mut agents = Vec::new();
    let mut patients = Vec::new();
    let mut near = Vec::new();
    for m in &ms {
        let weak = view.is_weak(m);
        let slot = slot_of(view, trig, m, clause);
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
    // A list takes the slot of its first name: "against Exxon and Chevron" (the names
    // after "and" were read as merely near).
    let listed = |group: Vec<Mention>, near: &mut Vec<Mention>| {
        let mut pool = group.clone();
        pool.extend(near.iter().copied());
        let grown = coordinated_group(seg, &pool, trig.tok, false)
            .into_iter()
            .filter(|m| group.contains(m) || near.contains(m))
            .collect::<Vec<_>>();
        if grown.iter().any(|m| group.contains(m)) {
            near.retain(|m| !grown.contains(m));
            grown
        } else {
            group
        }
    };
    agents = coordinated_group(seg, &agents, trig.tok, true);
    patients = coordinated_group(seg, &patients, trig.tok, false);
    agents = listed(agents, &mut near);
    patients = listed(patients, &mut near);
    let (agent_auth, any_auth) = authority::candidates(view, trig, c_start, c_end);
    Slots {
        agents,
        patients,
        near,
        agent_auth,
        any_auth,
    }
}

/// Whether a company mention is the possessor of a person's job title ("Acme's former
/// chief executive", "Acme's spokeswoman"): then it names an employer, not a party.
fn employer_of_person(seg: &Segmented<'_>, m: &Mention) -> bool {
    if m.via == Via::Reference {
        return false;
    }
    let j = seg.token_at(m.end);
    if j >= seg.tokens.len() || seg.tokens[j].kind != TokKind::Possessive {
        return false;
    }
    const TITLES: [&str; 28] = [
        "chief",
        "executives",
        "officer",
        "executive",
        "ceo",
        "cfo",
        "coo",
        "cto",
        "founder",
        "co-founder",
        "president",
        "chairman",
        "chairwoman",
        "director",
        "employee",
        "engineer",
        "lawyer",
        "attorney",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "head",
        "manager",
        "trader",
        "boss",
        "counsel",
        "adviser",
        "advisor",
    ];
    (j + 1..(j + 6).min(seg.tokens.len()))
        .take_while(|&k| seg.tokens[k].kind == TokKind::Word)
        .any(|k| TITLES.contains(&seg.low(k)))
}

/// The byte spans of a sentence's quotations: between curly quotes, or between
/// straight double quotes taken in pairs. A quote left open runs to the sentence's end.
fn quoted_spans(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in span::clip(text, start, end).char_indices() {
        let at = start + i;
        match (c, open) {
            ('\u{201c}', _) => open = Some(at),
            ('\u{201d}', Some(a)) | ('"', Some(a)) => {
                out.push((a, at));
                open = None;
            }
            ('"', None) => open = Some(at),
            _ => {}
        }
    }
    if let Some(a) = open {
        out.push((a, end));
    }
    out
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
        let quiet = without_quotes(gap);
        let gap = quiet.as_str();
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

/// A gap between two names without the stock-quote notes wire copy puts after a
/// name: a ticker, a price move, an exchange in brackets ("BP PLC BP, -3.36% ,",
/// "Exxon (NYSE: XOM)"); what is left tells whether the names are listed together.
fn without_quotes(gap: &str) -> String {
    let noted = gap.contains('%') || gap.contains(':');
    if gap.len() > 80 || !noted {
        return gap.to_string();
    }
    let mut out = String::with_capacity(gap.len());
    let mut depth = 0usize;
    for c in gap.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let kept: Vec<&str> = out
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_end_matches(',');
            let ticker = (1..=6).contains(&w.len())
                && w.chars().all(|c| c.is_ascii_uppercase() || c == '.')
                && w.chars().any(|c| c.is_ascii_uppercase());
            let change = w.ends_with('%')
                && w.trim_start_matches(['+', '-', '\u{2212}'])
                    .trim_end_matches('%')
                    .parse::<f64>()
                    .is_ok();
            !(ticker || change)
        })
        .collect();
    // Commas left behind by what was removed count once.
    let mut joined = kept.join(" ");
    while joined.contains(", ,") {
        joined = joined.replace(", ,", ",");
    }
    joined.replace(" ,", ",")
}

/// An outage that the sentence says is hitting others in general ("a global IT outage
/// is affecting hospitals, banks and airlines") without saying whose it is: no company
/// merely near it or named in earlier sentences stands in as its operator (it may be a
/// vendor that caused it, or a product of one it hit).
fn broad_outage(cx: &Ctx<'_>) -> bool {
    let (seg, trig) = (cx.seg, cx.trig);
    if trig.verb {
        return false;
    }
    let end = cx.sent.tok_end.min(trig.tok_end + 8);
    (trig.tok_end..end).any(|j| {
        matches!(
            seg.low(j),
            "affecting"
                | "affected"
                | "hitting"
                | "hits"
                | "hit"
                | "disrupting"
                | "disrupted"
                | "crippling"
        ) && j + 1 < cx.sent.tok_end
            && {
                let next = seg.low(j + 1);
                next.len() > 3
                    && next.ends_with('s')
                    && !next.ends_with("ss")
                    && seg.tok(j + 1).starts_with(|c: char| c.is_lowercase())
            }
    })
}

/// Whether the subject of a halt verb is what stopped it, not who: "a parts shortage
/// halted production at X's plant", "a scarcity of chips, which idled two X plants".
/// The company of the object is then the operator.
fn caused_by_event(cx: &Ctx<'_>) -> bool {
    let (seg, trig) = (cx.seg, cx.trig);
    let from = trig.tok.saturating_sub(10).max(cx.sent.tok_start);
    let mut j = trig.tok;
    while j > from {
        j -= 1;
        let w = seg.low(j);
        if HALT_CAUSES.contains(w) {
            return true;
        }
        // Through "X, which" back to the noun the relative clause is about.
        if w == "," && !(j + 1 < trig.tok && seg.low(j + 1) == "which") {
            return false;
        }
        if matches!(w, ";" | "said" | "says" | "and" | "but") {
            return false;
        }
    }
    false
}

/// The parties of a deal a suit or an agency sets out to stop: "sued to block Kroger's
/// deal to buy Albertsons", "seeking to block the merger of American Airlines and US
/// Airways". Both sides of the deal are targets, not only the one nearest the trigger.
fn deal_parties(cx: &Ctx<'_>) -> Vec<Mention> {
    let (seg, trig, clause) = (cx.seg, cx.trig, cx.clause);
    let from = trig.tok_end.max(clause.0);
    let to = clause.1.min(trig.tok_end + 12);
    let Some(block) = (from..to).find(|&j| {
        matches!(
            seg.low(j),
            "block"
                | "blocking"
                | "stop"
                | "halt"
                | "unwind"
                | "undo"
                | "challenge"
                | "challenging"
        )
    }) else {
        return Vec::new();
    };
    let end = clause.1.min(block + 16);
    let deal = (block + 1..end).find(|&j| {
        matches!(
            seg.low(j),
            "merger" | "acquisition" | "deal" | "takeover" | "purchase" | "combination" | "buyout"
        )
    });
    let Some(deal) = deal else {
        return Vec::new();
    };
    // The deal's phrase: from after the blocking verb to the next clause word after the
    // deal noun's own complement ("of X and Y", "to buy Y", "with Y").
    let stop = (deal + 1..end)
        .find(|&j| {
            matches!(
                seg.low(j),
                "," | "because" | "which" | "that" | "saying" | "arguing"
            )
        })
        .unwrap_or(end);
    let start = seg.tokens[block + 1].start;
    let stop = seg.tokens.get(stop).map_or(cx.sent.end, |t| t.start);
    cx.view.mentions_in(start, stop.max(start), false)
}

/// The companies of an event with their roles, and how they were found.
pub struct Roles {
    /// Companies found in the sentence, with their roles.
    pub found: Vec<(Mention, Role)>,
    /// The event's companies: those found, once per ticker, else those inherited from an
    /// earlier event of the same authority.
    pub refs: Vec<CompanyRef>,
    /// A definite noun ("The suit seeks ...") that continues an earlier event.
    pub anaphoric: bool,
}

/// The role of the company an event of `kind` is done to.
pub fn target_role(kind: Kind) -> Role {
    match kind {
        Kind::Lawsuit => Role::Defendant,
        Kind::RegulatoryAction => Role::Regulated,
        Kind::ServiceHalt => Role::Operator,
    }
}

/// Reads the companies of the event of `kind` read from the trigger; `None` when it has
/// none and continues nothing (then it is no event).
pub fn roles(
    cx: &Ctx<'_>,
    kind: Kind,
    slots: &Slots,
    auth: Option<&Authority>,
    prior: &[Candidate],
) -> Option<Roles> {
    let seg = cx.seg;
    let mut found = placed(cx, kind, slots);
    if kind == Kind::ServiceHalt && broad_outage(cx) {
        found.clear();
        // Only a name that owns the outage ("an Acme outage", "Acme's outage") says whose.
        let at = seg.tokens[cx.trig.tok].start;
        let owner = cx
            .view
            .mentions_in(at.saturating_sub(60), at, false)
            .into_iter()
            .rev()
            .find(|m| {
                let gap = span::clip(seg.text, m.end, at).trim();
                let gap = gap.trim_start_matches("'s").trim_start_matches("\u{2019}s");
                gap.split_whitespace().count() <= 2
                    && !gap.contains(',')
                    && gap
                        .split_whitespace()
                        .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '-'))
            });
        let owner = owner?;
        found.push((owner, Role::Operator));
    }
    // "The shutdown comes as Acme ...": a definite noun opening its sentence refers
    // back to an act told before; the names around it are not its parties.
    if found.is_empty() && !definite_subject(cx) {
        found = nearest(cx, kind, slots);
    }
    if kind != Kind::ServiceHalt {
        for m in deal_parties(cx) {
            if !found.iter().any(|(f, _)| f.company == m.company) {
                found.push((m, target_role(kind)));
            }
        }
    }
    let mut inherited: Vec<CompanyRef> = Vec::new();
    let mut anaphoric = false;
    // A sentence about a company's employee ("found Joe Roe, Acme's former security
    // chief, guilty") acts on the person: no company stands in from elsewhere.
    let (c_start, c_end) = (
        seg.tokens
            .get(cx.clause.0)
            .map_or(cx.sent.start, |t| t.start),
        seg.tokens.get(cx.clause.1).map_or(cx.sent.end, |t| t.start),
    );
    if found.is_empty()
        && cx
            .view
            .mentions_in(c_start, c_end.max(c_start), false)
            .iter()
            .any(|m| employer_of_person(seg, m))
    {
        return None;
    }
    if found.is_empty() {
        match earlier(cx, kind, auth, prior)? {
            Earlier::Continues => anaphoric = true,
            Earlier::Inherited(refs) => inherited = refs,
            Earlier::Mention(m) => found.push((m, target_role(kind))),
        }
    }
    // Halts need the operator to be the doer, not a bystander.
    let trig = cx.trig;
    if kind == Kind::ServiceHalt && slots.agents.is_empty() && !trig.passive && trig.verb {
        // "Consumers should stop using"; "the outage" nouns are fine.
        let has_ref = found.iter().any(|(m, _)| m.via == Via::Reference);
        if !has_ref
            && !caused_by_event(cx)
            && found
                .iter()
                .all(|(m, _)| m.start > seg.tokens[trig.tok].start)
        {
            return None;
        }
    }
    // Drop duplicates; tickers.
    let mut refs: Vec<CompanyRef> = Vec::new();
    for (m, role) in &found {
        let c = cx.view.index.company(m.company);
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
    Some(Roles {
        found,
        refs,
        anaphoric,
    })
}

/// Companies placed in a slot of the trigger: patients as targets, agents in the role
/// the trigger gives its doer; a fine or an order "imposed on X" has X as its target.
fn placed(cx: &Ctx<'_>, kind: Kind, slots: &Slots) -> Vec<(Mention, Role)> {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    let mut companies: Vec<(Mention, Role)> = Vec::new();
    let target_role = target_role(kind);
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
                cx.view
                    .mentions_in(at, (at + 40).min(sent.end), true)
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
    companies
}

/// The nearest company of the clause (and those coordinated with it), as the target.
fn nearest(cx: &Ctx<'_>, kind: Kind, slots: &Slots) -> Vec<(Mention, Role)> {
    let (seg, trig) = (cx.seg, cx.trig);
    let trig_pos = seg.tokens[trig.tok].start;
    // A name in a clause of its own after the trigger ("the shutdown comes as Acme
    // looks to ...") is that clause's subject, not the trigger's party.
    let trig_end = seg.tokens[trig.tok_end.saturating_sub(1).max(trig.tok)].end;
    let own_clause = |m: &Mention| {
        m.start > trig_end && {
            let from = seg.token_at(trig_end);
            let to = seg.token_at(m.start);
            (from..to).any(|j| {
                matches!(
                    seg.low(j),
                    "as" | "while" | "because" | "although" | "though" | "since" | "whereas"
                ) && to <= j + 2
            })
        }
    };
    let pick = slots
        .near
        .iter()
        .filter(|m| !is_modifier(seg, m) && !own_clause(m))
        .min_by_key(|m| m.start.abs_diff(trig_pos))
        .copied();
    let Some(m) = pick else {
        return Vec::new();
    };
    let before = m.start < trig_pos;
    let pool: Vec<Mention> = slots
        .near
        .iter()
        .filter(|x| !is_modifier(seg, x) && !own_clause(x))
        .copied()
        .collect();
    let group = coordinated_group(seg, &pool, trig.tok, before);
    let group = if group.contains(&m) { group } else { vec![m] };
    group.into_iter().map(|g| (g, target_role(kind))).collect()
}

/// What the sentences before give an event whose sentence names no company.
enum Earlier {
    /// A definite noun continuing an earlier event of its kind.
    Continues,
    /// The targets of the same authority's earlier event.
    Inherited(Vec<CompanyRef>),
    /// The subject of the paragraph, or the document's main company.
    Mention(Mention),
}

/// A noun trigger that opens its sentence after "The", "This" or "That", with at most
/// one word between ("The shutdown comes ...", "This latest grounding ...").
fn definite_subject(cx: &Ctx<'_>) -> bool {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    !trig.verb
        && !sent.headline
        && trig.tok > sent.tok_start
        && trig.tok <= sent.tok_start + 2
        && matches!(seg.low(sent.tok_start), "the" | "this" | "that")
        && (sent.tok_start + 1..trig.tok).all(|j| seg.tokens[j].kind == TokKind::Word)
}

/// The companies an event takes from before its sentence; `None` when none may stand in
/// (a headline, a party named that is not a listed company, no company at all).
fn earlier(
    cx: &Ctx<'_>,
    kind: Kind,
    auth: Option<&Authority>,
    prior: &[Candidate],
) -> Option<Earlier> {
    let (view, seg, trig, sent, si) = (cx.view, cx.seg, cx.trig, cx.sent, cx.si);
    if sent.headline {
        return None;
    }
    let det = |j: usize| j >= sent.tok_start && matches!(seg.low(j), "the" | "this" | "that");
    let governed_by_filing = (sent.tok_start.max(trig.tok.saturating_sub(4))..trig.tok).any(|j| {
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
        return Some(Earlier::Continues);
    }
    // A definite subject with no act of its kind before it refers to something not
    // taken as an event (an unlisted company's halt, an act of another kind).
    if definite_subject(cx) {
        return None;
    }
    // The same authority acting again on the company it acted on before.
    let target_role = target_role(kind);
    let same_auth = auth.and_then(|a| {
        let name = authority::auth_name(a, seg);
        prior
            .iter()
            .rev()
            .find(|c| c.event.kind == kind && c.event.authority.as_deref() == Some(name.as_str()))
    });
    let inherited: Vec<CompanyRef> = same_auth.map_or_else(Vec::new, |c| {
        c.event
            .companies
            .iter()
            .filter(|r| r.role == target_role)
            .cloned()
            .collect()
    });
    if !inherited.is_empty() {
        return Some(Earlier::Inherited(inherited));
    }
    // The sentence names the party itself, and it is not a listed company
    // ("F-Squared Investments Inc. agreed to pay", "filed cases against the service
    // academies"): no company from elsewhere stands in for it.
    if parties::names_unlisted_party(view, sent, trig) {
        return None;
    }
    // The subject of the previous sentences of the paragraph, else the document's main
    // company (for a court's or an agency's act).
    // A sentence whose subject is an unlisted name ("Foxconn is one of Apple's
    // suppliers.") hands that name on, not the listed companies it mentions.
    let covered = |at: usize| {
        let i = view.mentions.partition_point(|(m, _)| m.start <= at);
        i > 0 && at < view.mentions[i - 1].0.end
    };
    let stop = (0..si)
        .rev()
        .take(2)
        .find(|&b| crate::extract::coref::unlisted_subject(seg, covered, b));
    let prev: Option<Mention> = (0..si)
        .rev()
        .take(2)
        .take_while(|&b| Some(b) != stop)
        .find_map(|b| {
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
    prev.map(Earlier::Mention)
}

#[cfg(test)]
mod tests {
    use super::super::authority::pick;
    use super::super::kind::kind;
    use super::super::testing::{ctx, index, Doc};
    use super::*;

    /// (ticker, role) of the event read from trigger `lemma` of `text`.
    fn roles_of(text: &str, lemma: &str) -> Vec<(String, Role)> {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, lemma);
        let sl = slots(&cx);
        let auth = pick(&cx, &sl);
        let k = kind(&cx, auth).expect("a kind");
        roles(&cx, k, &sl, auth, &[])
            .map(|r| {
                r.refs
                    .into_iter()
                    .map(|c| (c.ticker.to_string(), c.role))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn active_and_passive_voice_place_the_parties() {
        assert_eq!(
            roles_of("Globex sued Acme on Monday.", "sue"),
            vec![
                ("ACME".to_string(), Role::Defendant),
                ("GLOBX".to_string(), Role::Plaintiff)
            ]
        );
        assert_eq!(
            roles_of("Acme was sued by Globex.", "sue"),
            vec![
                ("ACME".to_string(), Role::Defendant),
                ("GLOBX".to_string(), Role::Plaintiff)
            ]
        );
    }

    #[test]
    fn against_marks_the_defendant_of_a_suit_noun() {
        assert_eq!(
            roles_of("Investors filed a lawsuit against Initech.", "lawsuit"),
            vec![("INIT".to_string(), Role::Defendant)]
        );
    }

    #[test]
    fn the_operator_of_a_halt_is_its_doer() {
        assert_eq!(
            roles_of("Acme halted production at its plant.", "halt"),
            vec![("ACME".to_string(), Role::Operator)]
        );
    }

    #[test]
    fn what_stopped_a_plant_is_not_its_operator() {
        assert_eq!(
            roles_of(
                "A parts shortage halted production at the Acme Corp plant in Ohio.",
                "halt"
            ),
            vec![("ACME".to_string(), Role::Operator)]
        );
        assert_eq!(
            roles_of(
                "A scarcity of chips, which idled two Globex Inc plants, eased.",
                "idle"
            ),
            vec![("GLOBX".to_string(), Role::Operator)]
        );
        // A person or a buyer told to stop is still no operator.
        assert!(roles_of("Shoppers should stop buying Acme heaters.", "stop").is_empty());
    }

    #[test]
    fn an_outage_hitting_others_in_general_needs_its_owner_named() {
        assert!(roles_of(
            "A worldwide outage is affecting hospitals, banks and airlines, with users of Acme software reporting crashes.",
            "outage"
        )
        .is_empty());
        assert_eq!(
            roles_of("An Acme outage is affecting hospitals and banks.", "outage"),
            vec![("ACME".to_string(), Role::Operator)]
        );
    }

    #[test]
    fn a_sentence_without_a_company_has_no_roles() {
        assert!(roles_of("The shop halted sales of its heaters.", "halt").is_empty());
    }

    #[test]
    fn stock_quote_notes_do_not_break_a_list_of_parties() {
        let mut got = roles_of(
            "The judge granted a motion by the companies: Acme Corp ACME, -1.25% , Globex Inc GLBX, +0.5% and Initech (NYSE: INTC).",
            "grant",
        );
        got.sort();
        let tickers: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tickers, vec!["ACME", "GLOBX", "INIT"]);
        assert_eq!(without_quotes(" BP, -3.36% , "), ",");
        assert_eq!(without_quotes(" COP, -2.42% and "), "and");
        assert_eq!(without_quotes(" (NYSE: XOM) and "), "and");
        assert_eq!(without_quotes(" sued "), " sued ");
    }

    #[test]
    fn a_list_takes_the_slot_of_its_first_name() {
        let tickers = |text: &str, lemma: &str| -> Vec<String> {
            let mut t: Vec<String> = roles_of(text, lemma).into_iter().map(|(t, _)| t).collect();
            t.sort();
            t
        };
        assert_eq!(
            tickers(
                "The judge dismissed the claims against Acme and Globex.",
                "dismiss"
            ),
            vec!["ACME", "GLOBX"]
        );
        // Names between dashes after a plural noun say who the noun is.
        assert_eq!(
            tickers(
                "The judge granted a motion by the defendants — Acme Corp, Globex Inc and Initech Inc — to end the case.",
                "grant"
            ),
            vec!["ACME", "GLOBX", "INIT"]
        );
        // A dash that opens an aside after a name still ends the clause.
        assert_eq!(
            tickers(
                "Globex sued Acme — Initech was not named — on Monday.",
                "sue"
            ),
            vec!["ACME", "GLOBX"]
        );
    }

    #[test]
    fn both_sides_of_a_deal_someone_sues_to_block_are_targets() {
        let mut got = roles_of(
            "The agency sued on Monday to block Acme's planned purchase of its rival Globex.",
            "sue",
        );
        got.sort();
        assert_eq!(
            got,
            vec![
                ("ACME".to_string(), Role::Defendant),
                ("GLOBX".to_string(), Role::Defendant)
            ]
        );
        let mut got = roles_of(
            "Regulators filed a lawsuit seeking to stop the merger of Acme and Initech, arguing that Globex would suffer.",
            "lawsuit",
        );
        got.sort();
        let tickers: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tickers, vec!["ACME", "INIT"]);
    }

    #[test]
    fn names_inside_quoted_words_are_not_parties() {
        let got = roles_of(
            "In the complaint filed Tuesday, the department said the merger \u{201c}would leave two giants, Acme and Globex, in charge.\u{201d}",
            "complaint",
        );
        assert!(got.is_empty(), "{got:?}");
        let got = roles_of(
            "Regulators sued Initech, saying the deal \"would hurt Acme\".",
            "sue",
        );
        assert_eq!(got, vec![("INIT".to_string(), Role::Defendant)]);
        // A trigger inside the quotation keeps the names beside it.
        let got = roles_of("The agency said: \"We sued Acme today.\"", "sue");
        assert_eq!(got, vec![("ACME".to_string(), Role::Defendant)]);
        assert_eq!(quoted_spans("a \"b\" c \"d", 0, 9), vec![(2, 4), (8, 9)]);
    }

    #[test]
    fn the_employer_of_a_person_is_not_a_party() {
        assert!(roles_of(
            "A federal jury found Ann Lee, Acme's former chief security officer, guilty of obstruction.",
            "find"
        )
        .iter()
        .all(|(t, _)| t != "ACME"));
        assert_eq!(
            roles_of("Globex's chief lawyer sued Acme on Monday.", "sue"),
            vec![("ACME".to_string(), Role::Defendant)]
        );
    }

    /// The tickers of every event the whole extractor finds, over the test index.
    fn tickers_found(text: &str) -> Vec<String> {
        super::super::testing::extract_all(text)
            .iter()
            .flat_map(|e| e.tickers.iter().map(|t| t.to_string()))
            .collect()
    }

    #[test]
    fn a_company_modifying_another_name_is_not_its_party() {
        // Initech is no listed company: the supplier, not Acme, halts.
        assert!(
            tickers_found("Acme supplier Initech halted operations at its plant on Monday.")
                .is_empty()
        );
        assert_eq!(
            tickers_found("Globex supplier Acme Corp halted operations at its plant on Monday."),
            vec!["ACME"]
        );
    }

    #[test]
    fn a_definite_subject_refers_back_and_takes_no_bystander() {
        assert!(tickers_found(
            "Initech halted operations at its plant. The shutdown comes as Acme Corp looks to ramp up output."
        )
        .is_empty());
    }

    #[test]
    fn a_name_with_its_own_clause_or_an_unlisted_subject_is_not_the_operator() {
        // The sentence before is about Initech, which is no listed company.
        assert!(tickers_found("Initech is one of Acme Corp's largest suppliers. The company has halted operations at its plant.").is_empty());
        // A listed subject is handed on.
        assert_eq!(
            tickers_found("Acme Corp is a large maker of parts. The company has halted operations at its plant."),
            vec!["ACME"]
        );
        // A court's act on a company's employee is not one on the company.
        assert!(tickers_found("Acme Corp cut jobs. A federal jury found Ann Roe, Acme Corp's former security chief, guilty of fraud.").is_empty());
        // "as Globex looks to ..." is a clause of its own.
        assert!(tickers_found("The outage came as Globex Inc looks to expand.").is_empty());
    }

    #[test]
    fn transparent_words_keep_the_subject_link() {
        assert!(transparent("reportedly"));
        assert!(transparent("1,250"));
        assert!(!transparent("against"));
    }
}
