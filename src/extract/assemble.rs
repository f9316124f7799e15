//! Stage 7: events. For each trigger of each sentence (outside risk sections) that
//! reports a fact, the gates and the argument finders run in order; what passes becomes
//! a candidate event with its evidence, and the candidates go to the document-level
//! [`merge`](super::merge).
//!
//! The single place an [`Event`] is built is `build_event`.

use chrono::NaiveDate;

use super::args::{amount, authority, date, kind, parties, roles, Ctx};
use super::authorities::Authority;
use super::companies::Via;
use super::dates::Precision;
use super::gates;
use super::lexicon::FRESH;
use super::merge::merge;
use super::money::{usd, Amount};
use super::span;
use super::summary::{reason, summary};
use super::text::TokKind;
use super::triggers::{find_triggers, modality, Modality, Trigger};
use super::types::{CompanyRef, Event, Evidence, Kind, Party};
use crate::domain::{Action, Confidence, Currency, Jurisdiction, Money, Status};

pub use super::merge::MAX_EVIDENCE;
pub use super::view::DocView;

/// An event before merging, with what is needed to merge it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The event as read from one sentence.
    pub event: Event,
    /// The event's date and how much of it is known; `None` when no date applies.
    pub date: Option<(NaiveDate, Precision)>,
    /// The date was written next to the trigger (not defaulted).
    pub explicit_date: bool,
    /// Read from a headline (a line of its own without final punctuation).
    pub headline: bool,
    /// The sentence it was read from.
    pub sent: usize,
    /// Introduced as a new one ("another suit", "several derivative lawsuits", "a separate
    /// order"): not a further mention of an earlier dated event.
    pub fresh: bool,
    /// "at least" and the like, before the amount.
    pub qualifier: String,
    /// "over alleged de-banking".
    pub reason: Option<String>,
    /// A definite noun ("The suit seeks ...") that continues an earlier event; it has no
    /// companies of its own and merges into the latest event of its kind.
    pub anaphoric: bool,
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

/// The candidate event of one trigger: modality, gates, then each argument finder.
fn candidate(
    view: &DocView<'_, '_>,
    si: usize,
    trig: &Trigger,
    all: &[Trigger],
    prior: &[Candidate],
) -> Option<Candidate> {
    let cx = Ctx::new(view, si, trig, all);
    let (seg, sent) = (cx.seg, cx.sent);
    if modality(seg, trig, sent.tok_start, sent.tok_end) != Modality::Fact {
        return None;
    }
    if !gates::trigger_stands(&cx) {
        return None;
    }
    let slots = roles::slots(&cx);
    let auth = authority::pick(&cx, &slots);
    let legislature_only = authority::legislature_only(&cx, auth);
    if authority::is_private(auth) {
        return None;
    }
    let kind = kind::kind(&cx, auth)?;
    if !gates::kind_stands(&cx, kind, auth, &slots, legislature_only) {
        return None;
    }
    let found = roles::roles(&cx, kind, &slots, auth, prior)?;
    let parties = parties::plaintiffs(&cx, kind, &slots, auth);
    let (amount, qualifier) = amount::event_amount(&cx, kind);
    let dated = date::event_date(&cx);
    if !gates::dated_stands(&cx, dated.explicit) {
        return None;
    }
    let evidence = Evidence {
        start: sent.start,
        end: sent.end,
        text: span::clip(seg.text, sent.start, sent.end).to_string(),
        rule: rule(trig, slots.unplaced()),
    };
    let reason = reason(&cx, kind, &evidence.text);
    let confidence = confidence(
        !slots.unplaced(),
        auth.is_some(),
        dated.explicit,
        found.found.iter().any(|(m, _)| m.via == Via::Reference),
    );
    let mut event = build_event(Arguments {
        cx: &cx,
        kind,
        action: kind::action(kind, trig),
        status: kind::status(&cx, kind, auth),
        companies: found.refs,
        parties,
        auth,
        amount,
        confidence,
        evidence,
    })?;
    event.summary = summary(&event, &qualifier, reason.as_deref());
    let anaphoric = found.anaphoric || repeats_earlier(&cx, &event, dated.explicit, prior);
    Some(Candidate {
        event,
        date: dated.date,
        explicit_date: dated.explicit && !dated.weak,
        headline: sent.headline,
        sent: si,
        fresh: fresh(&cx),
        qualifier,
        reason,
        anaphoric,
    })
}

/// The arguments read for one trigger, as `build_event` takes them.
struct Arguments<'c> {
    cx: &'c Ctx<'c>,
    kind: Kind,
    action: String,
    status: &'static str,
    companies: Vec<CompanyRef>,
    parties: Vec<Party>,
    auth: Option<&'c Authority>,
    amount: Option<&'c Amount>,
    confidence: f64,
    evidence: Evidence,
}

/// Builds the event of a trigger from its arguments (no date and no summary yet: the
/// merge sets both), in the domain's types. The lexicon's actions and statuses are
/// domain words (a unit test reads every one); a word that were not would be a bug of
/// the lexicon, and makes no event.
fn build_event(a: Arguments<'_>) -> Option<Event> {
    let kind = a.kind;
    // A halt is the company's own act; an authority near it is context, not its actor.
    let auth = a.auth.filter(|_| kind != Kind::ServiceHalt);
    Some(Event {
        kind,
        action: Action::read(&a.action).ok()?,
        status: Some(a.status.parse::<Status>().ok()?),
        tickers: a.companies.iter().map(|r| r.ticker.clone()).collect(),
        companies: a.companies,
        parties: a.parties,
        authority: auth.map(|x| authority::auth_name(x, a.cx.seg)),
        jurisdiction: auth
            .and_then(|x| x.jurisdiction.as_deref())
            .and_then(|j| Jurisdiction::parse(j).ok()),
        money: a
            .amount
            .and_then(|x| Money::new(x.value, Currency::parse(x.currency).ok()?).ok()),
        amount_usd: a.amount.and_then(usd),
        date: None,
        confidence: Confidence::new(a.confidence),
        summary: String::new(),
        evidence: vec![a.evidence],
    })
}

/// The evidence rule: the trigger's lemma, its voice, and "+nearest" when its company
/// was not placed in a slot ("sue:verb", "fine:noun+nearest").
fn rule(trig: &Trigger, unplaced: bool) -> String {
    format!(
        "{}:{}{}",
        trig.lemma,
        if trig.passive {
            "passive"
        } else if trig.verb {
            "verb"
        } else {
            "noun"
        },
        if unplaced { "+nearest" } else { "" }
    )
}

/// Confidence from what was found: a placed company, an authority, a written date; a
/// company found through a referring phrase lowers it.
fn confidence(placed: bool, authority: bool, explicit_date: bool, via_reference: bool) -> f64 {
    let mut c: f64 = 0.55;
    if placed {
        c += 0.2;
    }
    if authority {
        c += 0.1;
    }
    if explicit_date {
        c += 0.05;
    }
    if via_reference {
        c -= 0.1;
    }
    c.min(0.95)
}

/// "the lawsuit", "the recall" with no date of its own, after an event of its kind about
/// the same company: a further mention of that event, not a new one.
fn repeats_earlier(cx: &Ctx<'_>, event: &Event, explicit_date: bool, prior: &[Candidate]) -> bool {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    let subject_np = trig.tok <= sent.tok_start + 4
        && matches!(seg.low(sent.tok_start), "the" | "this" | "that");
    if trig.verb || trig.tok <= sent.tok_start || explicit_date && !subject_np {
        return false;
    }
    let det = matches!(seg.low(trig.tok - 1), "the" | "this" | "that")
        || trig.tok >= sent.tok_start + 2
            && matches!(seg.low(trig.tok - 2), "the" | "this" | "that")
            && seg.tokens[trig.tok - 1].kind == TokKind::Word;
    let settled = event.status == Some(Status::Settled);
    det && prior.iter().rev().take(40).any(|c| {
        (c.event.kind == event.kind || settled && c.event.status == Some(Status::Settled))
            && c.event.tickers.iter().any(|t| event.tickers.contains(t))
    })
}

/// Introduced as a new one: "another suit", "a separate order".
fn fresh(cx: &Ctx<'_>) -> bool {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    let from = sent.tok_start.max(trig.tok.saturating_sub(4));
    (from..trig.tok).any(|j| FRESH.contains(seg.low(j)))
}
