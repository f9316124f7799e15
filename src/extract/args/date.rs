//! The date of an event among the resolved dates of its sentence (see `Dating::pick` for
//! the order of preference), adjusted for anchors ("two months after ...") and for halts
//! announced ahead. Datelines ("ATLANTA, Oct 26 -") date the writing, never the event.

use chrono::NaiveDate;

use super::super::dates::{DateValue, Precision, ResolvedDate};
use super::super::lexicon::{BRINGING_VERBS, DATE_OPENERS, EVENT_VERBS, REPORTING};
use super::super::text::Segmented;
use super::super::triggers::Family;
use super::Ctx;
use crate::extract::span;

/// The date read for a trigger.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dated {
    /// The date and how much of it is known; `None` when the trigger has no date.
    pub date: Option<(NaiveDate, Precision)>,
    /// A date was written for the trigger (not defaulted).
    pub explicit: bool,
    /// A halt announced ahead whose only date is the announcement's ("said on Thursday
    /// that it will shut down"): an effective date elsewhere wins.
    pub weak: bool,
}

/// Reads the date of the trigger's event.
pub fn event_date(cx: &Ctx<'_>) -> Dated {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    let trig_pos = cx.trig_pos;
    let c_start = seg.tokens.get(cx.clause.0).map_or(sent.start, |t| t.start);
    let c_end = if cx.clause.1 < seg.tokens.len() {
        seg.tokens[cx.clause.1].start.min(sent.end)
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
    // Where the next trigger of the sentence starts: a date after it is that trigger's.
    let barrier = cx
        .all
        .iter()
        .filter(|o| o.tok >= trig.tok_end)
        .map(|o| seg.tokens[o.tok].start)
        .min()
        .unwrap_or(usize::MAX);
    let dating = Dating {
        seg,
        dates: cx.view.dates,
        clause: (c_start, c_end.max(c_start)),
        sent: (sent.start, sent.end),
        trig_pos,
        trig_end,
        barrier,
        future,
        headline: sent.headline,
        published: cx.view.published,
    };
    let picked = dating.pick();
    let weak = future && picked.is_some_and(|d| d.end <= trig_pos);
    let date = picked.and_then(|d| anchored(seg, &d, trig_pos));
    if date.is_none() && !sent.headline && !cx.view.filing && just_happened(cx) {
        // News in the present perfect ("has sued") or the present ("proposes a
        // penalty") reports what happened on the day it was published.
        let day = cx
            .view
            .published
            .filter(|_| cx.view.published_precision == Precision::Day);
        return Dated {
            date: day.map(|d| (d, Precision::Day)),
            explicit: false,
            weak: false,
        };
    }
    Dated {
        date,
        explicit: date.is_some(),
        weak,
    }
}

/// A trigger told in the present perfect, active ("has filed", "have now halted",
/// "has filed a new lawsuit"; not "has been filed", "had filed"), or in the simple
/// present of its subject ("the agency proposes a fine"): news tells with these what
/// happened on the day. For a noun trigger, the verb is the one whose object it is,
/// a few words before it.
fn just_happened(cx: &Ctx<'_>) -> bool {
    let (seg, trig, sent) = (cx.seg, cx.trig, cx.sent);
    if trig.passive {
        return false;
    }
    let verb = if trig.verb {
        Some(trig.tok)
    } else {
        governing_verb(seg, trig.tok, sent.tok_start)
    };
    let Some(v) = verb else { return false };
    let word = seg.low(v);
    if word.ends_with("ed") || IRREGULAR_PARTICIPLES.contains(&word) {
        return perfect_auxiliary(seg, v, sent.tok_start);
    }
    // The simple present of a third person: "proposes", "sues", "fines" right after
    // its subject (a word that is no auxiliary, modal or "to").
    let before = (v > sent.tok_start).then(|| seg.low(v - 1));
    word.ends_with('s')
        && !word.ends_with("ss")
        && word.len() > 3
        && before.is_some_and(|b| {
            b.chars().next().is_some_and(char::is_alphabetic)
                && !matches!(
                    b,
                    "to" | "will"
                        | "would"
                        | "may"
                        | "might"
                        | "could"
                        | "can"
                        | "should"
                        | "must"
                        | "which"
                        | "that"
                        | "who"
                        | "often"
                        | "usually"
                        | "sometimes"
                        | "the"
                        | "a"
                        | "an"
                        | "its"
                        | "their"
                        | "his"
                        | "her"
                )
        })
}

/// The verb whose object a noun trigger is: up to six words back over articles and
/// modifiers ("filed a new lawsuit", "imposed a record fine").
fn governing_verb(seg: &Segmented<'_>, tok: usize, start: usize) -> Option<usize> {
    let mut j = tok;
    for _ in 0..6 {
        if j <= start {
            return None;
        }
        j -= 1;
        let w = seg.low(j);
        if !w
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '$' || c == '.')
        {
            return None;
        }
        if BRINGING_VERBS.contains(w) {
            return Some(j);
        }
    }
    None
}

/// "has" or "have" before the participle at `v`, over adverbs ("has also sued").
fn perfect_auxiliary(seg: &Segmented<'_>, v: usize, start: usize) -> bool {
    let mut j = v;
    for _ in 0..3 {
        if j <= start {
            return false;
        }
        j -= 1;
        let w = seg.low(j);
        if matches!(w, "has" | "have") {
            return true;
        }
        let adverb = w.ends_with("ly")
            || matches!(w, "also" | "now" | "already" | "just" | "since" | "again");
        if !adverb {
            return false;
        }
    }
    false
}

/// Past participles of trigger verbs that do not end in "-ed".
const IRREGULAR_PARTICIPLES: &[&str] = &["shut", "brought", "begun", "won", "lost", "struck"];

/// The date a picked expression gives the event: "two months after <event>" (an anchor
/// before the trigger) puts the event before the anchor.
fn anchored(
    seg: &Segmented<'_>,
    d: &ResolvedDate,
    trig_pos: usize,
) -> Option<(NaiveDate, Precision)> {
    let mut v = d.date?;
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
}

/// What picking a trigger's date reads (byte offsets).
struct Dating<'d> {
    seg: &'d Segmented<'d>,
    dates: &'d [ResolvedDate],
    clause: (usize, usize),
    sent: (usize, usize),
    trig_pos: usize,
    trig_end: usize,
    /// Where the next trigger of the sentence starts; a date after it belongs to that
    /// trigger ("dismissed Google's appeal against the fine the Commission imposed in
    /// 2017").
    barrier: usize,
    /// A halt announced ahead.
    future: bool,
    headline: bool,
    published: Option<NaiveDate>,
}

impl<'d> Dating<'d> {
    /// Chooses the date of a trigger.
    ///
    /// - A halt announced for the future ("will close ... on September 29", "to shut down
    ///   ... in January") takes the first date after the trigger; a month written without
    ///   a year that would fall before publication is the next such month.
    /// - A date right after the trigger ("dismissed on July 3"), then a date in a relative
    ///   clause telling how the event came about ("the fine that the Commission imposed
    ///   last year").
    /// - A date that opens the sentence ("On June 20, 2024, ...", "In March 2022, ...")
    ///   scopes over the sentence's main clause.
    /// - Otherwise the nearest resolved date in the trigger's clause, else in the sentence.
    fn pick(&self) -> Option<ResolvedDate> {
        if self.future {
            if let Some(d) = self.ahead() {
                return Some(d);
            }
        }
        if let Some(d) = self.direct() {
            return Some(d);
        }
        if let Some(d) = self.described() {
            return Some(d);
        }
        if let Some(d) = self.opening() {
            return Some(d);
        }
        // A headline's bare month is usually a modifier ("over July meltdown").
        if self.headline {
            return self
                .within(self.sent)
                .filter(|d| self.introduced(d))
                .min_by_key(|d| d.start.abs_diff(self.trig_pos))
                .copied();
        }
        // Beyond the clause, a later date in a coordinated clause belongs to that clause:
        // "suspended the permits weeks later, and in September Cruise agreed to pay".
        self.nearest(self.clause)
            .or_else(|| self.nearest(self.sent))
    }

    /// Resolved dates within `range` that are no dateline.
    fn within(&self, range: (usize, usize)) -> impl Iterator<Item = &'d ResolvedDate> + '_ {
        let dates = self.dates;
        let lo = dates.partition_point(|d| d.start < range.0);
        let hi = dates.partition_point(|d| d.start < range.1);
        dates[lo..hi]
            .iter()
            .filter(move |d| d.end <= range.1 && d.date.is_some() && !dateline(self.seg, d))
    }

    /// Whether a date can be the trigger's: before it, or after it in the same clause. A
    /// later date in a coordinated or relative clause belongs to that clause: "suspended
    /// the permits weeks later, and in September Cruise agreed to pay", "sued CrowdStrike
    /// over an update that crippled computers in July".
    fn reachable(&self, d: &ResolvedDate) -> bool {
        let seg = self.seg;
        // "..., the attorney general said on Tuesday": a reporting clause dates the whole
        // report.
        let reported = {
            let mut from = d.start.saturating_sub(24);
            while !seg.text.is_char_boundary(from) {
                from += 1;
            }
            let back = span::clip(&seg.lower, from, d.start);
            REPORTING.any_in(back)
        };
        d.end <= self.trig_pos
            || (d.start < self.barrier || reported) && {
                let gap = span::clip(&seg.lower, self.trig_end.min(d.start), d.start);
                let relative = [" that ", " which ", " who ", " when "]
                    .iter()
                    .any(|r| gap.contains(r))
                    && !EVENT_VERBS.any_in(gap);
                !relative && !clause_break(gap)
            }
    }

    /// The reachable date of `range` nearest the trigger. A "since" date after the
    /// trigger starts a period the sentence tells of ("probes into deaths since June
    /// 2021"), not the event.
    fn nearest(&self, range: (usize, usize)) -> Option<ResolvedDate> {
        let trig_pos = self.trig_pos;
        let seg = self.seg;
        self.within(range)
            .filter(|d| self.reachable(d))
            .filter(|d| {
                d.end <= trig_pos || !span::clip(&seg.lower, d.start, d.end).starts_with("since ")
            })
            .min_by_key(|d| {
                if d.end <= trig_pos {
                    trig_pos - d.end
                } else {
                    d.start.saturating_sub(trig_pos)
                }
            })
            .copied()
    }

    /// A date introduced by a preposition of time ("on July 3", "in March", "by June 30").
    fn introduced(&self, d: &ResolvedDate) -> bool {
        if matches!(
            d.value,
            DateValue::AnchorDays(_) | DateValue::AnchorMonths(_)
        ) {
            return false;
        }
        let seg = self.seg;
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
    }

    /// A halt announced ahead: the first introduced date after the trigger; a month
    /// without a year before publication is next year's.
    fn ahead(&self) -> Option<ResolvedDate> {
        let mut d = self
            .within(self.sent)
            .find(|d| d.start >= self.trig_end && self.introduced(d))
            .copied()?;
        if let (DateValue::Explicit { year: None, .. }, Some((v, p)), Some(publ)) =
            (d.value, d.date, self.published)
        {
            if v < publ {
                d.date = v
                    .checked_add_months(chrono::Months::new(12))
                    .map(|x| (x, p));
            }
        }
        Some(d)
    }

    /// A date right after the trigger ("dismissed on July 3", "filed in March 2024").
    fn direct(&self) -> Option<ResolvedDate> {
        let seg = self.seg;
        self.within(self.clause)
            .find(|d| {
                d.start >= self.trig_end
                    && d.start - self.trig_end <= 40
                    && !span::clip(&seg.lower, self.trig_end, d.start).contains(',')
                    && self.introduced(d)
            })
            .copied()
    }

    /// A date in a relative clause that tells how the trigger's event came about ("the
    /// fine that the Commission imposed on it last year", "the suit, which was filed in
    /// 2019") dates that event, whatever dates the main clause carries ("Amazon said on
    /// Tuesday it would appeal ...", "On June 20, ... appealed ...").
    fn described(&self) -> Option<ResolvedDate> {
        let (seg, trig_end) = (self.seg, self.trig_end);
        self.within(self.sent)
            .find(|d| {
                if d.start < trig_end || d.start >= self.barrier || d.start - trig_end > 90 {
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
                            span::upto(rel, i).ends_with(' ')
                                && !after.is_some_and(char::is_alphanumeric)
                        })
                    }) && !clause_break(rel)
                })
            })
            .copied()
    }

    /// A date that opens the sentence ("On June 20, 2024, ...") scopes over its main
    /// clause, unless it is a bare day.
    fn opening(&self) -> Option<ResolvedDate> {
        let seg = self.seg;
        let sent = self.sent;
        let d = self.within(sent).next().copied().filter(|d| {
            let lead = span::clip(&seg.lower, sent.0, d.start).trim();
            let lead_ok = lead.is_empty() || DATE_OPENERS.iter().any(|o| o == lead);
            let after = span::clip(&seg.lower, d.end, sent.1).trim_start();
            lead_ok && after.starts_with(',') && d.end <= self.trig_pos
        })?;
        (!matches!(
            d.value,
            DateValue::Explicit {
                year: None,
                month: None,
                ..
            }
        ))
        .then_some(d)
    }
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

/// Whether text between two words crosses into another clause (", and", ";",
/// ", but"), past which a date belongs to that clause.
fn clause_break(text: &str) -> bool {
    text.contains(", and ") || text.contains(';') || text.contains(", but ")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ctx, index, Doc};
    use super::*;
    use crate::extract::dates::format_date;

    fn date_of(text: &str, lemma: &str) -> Option<String> {
        let idx = index();
        let doc = Doc::new(text, &idx);
        let view = doc.view(&idx);
        let cx = ctx(&view, &doc, lemma);
        event_date(&cx).date.map(|(d, p)| format_date(d, p))
    }

    #[test]
    fn a_date_right_after_the_trigger_wins() {
        assert_eq!(
            date_of(
                "In 2021, Acme sued Globex, and the court dismissed it on June 3, 2023.",
                "dismiss"
            ),
            Some("2023-06-03".into())
        );
    }

    #[test]
    fn an_opening_date_scopes_over_the_sentence() {
        assert_eq!(
            date_of(
                "On May 2, 2023, Globex sued Acme over a 2019 contract.",
                "sue"
            ),
            Some("2023-05-02".into())
        );
    }

    #[test]
    fn a_date_in_a_later_clause_is_that_clause_s() {
        assert_eq!(
            date_of(
                "Acme halted its service, and in September 2023 it cut jobs.",
                "halt"
            ),
            None
        );
    }

    #[test]
    fn news_in_the_present_perfect_or_present_is_dated_by_publication() {
        // The test documents are published on 2024-03-15, known to the day.
        assert_eq!(
            date_of("The state has filed a new lawsuit against Acme.", "lawsuit"),
            Some("2024-03-15".into())
        );
        assert_eq!(
            date_of("Globex has already halted its ferry service.", "halt"),
            Some("2024-03-15".into())
        );
        assert_eq!(
            date_of(
                "The agency proposes a $2 million penalty against Acme.",
                "penalty"
            ),
            Some("2024-03-15".into())
        );
        // A passive present perfect or a past tense says nothing of the day.
        assert_eq!(
            date_of("A lawsuit has been filed against Acme.", "lawsuit"),
            None
        );
        assert_eq!(date_of("Globex halted its ferry service.", "halt"), None);
    }

    #[test]
    fn a_since_date_after_the_trigger_starts_a_period_not_the_event() {
        assert_eq!(
            date_of(
                "Acme faces an investigation into crashes since June 2021.",
                "investigation"
            ),
            None
        );
        assert_eq!(
            date_of(
                "Since June 2021, regulators have investigated Acme.",
                "investigate"
            ),
            Some("2021-06".into())
        );
    }

    #[test]
    fn a_halt_ahead_takes_its_effective_date() {
        // Published 2024-03-15: a January without a year is next January.
        assert_eq!(
            date_of(
                "Acme said it will shut down the app in January.",
                "shut down"
            ),
            Some("2025-01".into())
        );
    }

    #[test]
    fn datelines_date_the_writing() {
        assert_eq!(
            date_of("SPRINGFIELD, May 3 - Acme recalled 500 heaters.", "recall"),
            None
        );
    }
}
