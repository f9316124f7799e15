//! Stage 8: the document-level merge of candidate events, and the evidence kept for each.

use chrono::NaiveDate;

use super::args::amount;
use super::assemble::Candidate;
use super::dates::{format_date, Precision};
use super::lexicon::GENERIC_AUTHORITY;
use super::summary::summary;
use super::types::{Event, Evidence, Kind, Role};
use super::view::DocView;
use crate::domain::{Action, Confidence, EventDate, Status};

/// The most evidence spans kept for one event: a document that repeats an event
/// hundreds of times (a log, a stitched page) keeps the first ones, and memory
/// stays bounded.
pub const MAX_EVIDENCE: usize = 20;

/// Appends `more` to `evidence`, up to [`MAX_EVIDENCE`] spans.
pub fn add_evidence(evidence: &mut Vec<Evidence>, more: &[Evidence]) {
    let room = MAX_EVIDENCE.saturating_sub(evidence.len());
    evidence.extend(more.iter().take(room).cloned());
}

/// Two named agencies (not courts, whose names vary from mention to mention) acting on the
/// same day are two actions: the OCC's penalty and the Federal Reserve's, the Justice
/// Department's suit and a state attorney general's.
fn distinct_agencies(a: &Event, b: &Event) -> bool {
    fn named(e: &Event) -> Option<&str> {
        e.authority
            .as_deref()
            .filter(|n| n.chars().any(char::is_uppercase) && !GENERIC_AUTHORITY.any_in(n))
    }
    match (named(a), named(b)) {
        (Some(x), Some(y)) => !x.eq_ignore_ascii_case(y),
        _ => false,
    }
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

/// Dates that agree to the coarser precision of the two (or one missing).
fn compatible_dates(a: Option<(NaiveDate, Precision)>, b: Option<(NaiveDate, Precision)>) -> bool {
    match (a, b) {
        (Some((da, pa)), Some((db, pb))) => {
            let p = pa.min(pb);
            format_date(da, p) == format_date(db, p)
        }
        _ => true,
    }
}

/// Actions one event can have: a lawsuit's status, a regulatory action's group (or one
/// agency's orders together).
fn compatible_actions(a: &Event, b: &Event) -> bool {
    if a.kind != b.kind {
        return false;
    }
    match a.kind {
        Kind::Lawsuit => a.status == b.status,
        Kind::RegulatoryAction => {
            // The domain's rule: one order of one agency can fine, bar and order at
            // once ("fined Goldman and barred it from launching a new card").
            let same_agency = a.authority.is_some() && a.authority == b.authority;
            a.action.same_act_in_one_text(b.action, same_agency)
        }
        // A halt and its resumption are two steps of one story.
        Kind::ServiceHalt => a.action.is_ending() == b.action.is_ending(),
    }
}

/// Merges the candidates of a document into its events: a definite noun continues the
/// latest event of its kind; mentions of one event (same kind, a shared ticker,
/// compatible roles, actions and dates) become one, with the best date and the first
/// amount; events without a date of their own take the publication month.
pub fn merge(view: &DocView<'_, '_>, cands: Vec<Candidate>) -> Vec<Event> {
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
            amount::fill_missing(&mut o.event, &mut o.qualifier, &c.event, &c.qualifier);
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
                amount::fill_missing(&mut o.event, &mut o.qualifier, &c.event, &c.qualifier);
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
