//! When two reports are the same event, and when one event continues another.
//!
//! Pure functions over [`Profile`]s, the part of an event that matching looks
//! at, whether it was just extracted or is stored.
//!
//! **Same event** ([`score`]): same kind, at least one company in common, the
//! same step of the event's life ([`Stage`]) with compatible actions, compatible
//! authorities where both name one, and dates within a window:
//!
//! | dates known to            | window                                 |
//! |---------------------------|----------------------------------------|
//! | the day, on both sides    | ±[`DAY_WINDOW`] days                   |
//! | the month, on either side | the same calendar month                |
//! | the year, on either side  | the same year (needs more evidence)    |
//! | unknown on either side    | any date (needs more evidence)         |
//!
//! Each agreement adds to a score in `[0, 1]` (companies 0.3, action 0.2, date
//! up to 0.3, authority up to 0.15, amount and parties 0.05 each); a report
//! merges into the best-scoring event at or above [`MERGE_THRESHOLD`]. A year or
//! an unknown date adds nothing, so such reports merge only when an authority or
//! an amount agrees too.
//!
//! **Same thread** ([`anchor_score`]): a settlement, dismissal, ruling, appeal,
//! withdrawal, reversal, lift, closure or resumption continues an earlier event of
//! the same kind with a company in common, no conflicting authority (an appeals
//! court may follow a lower one) nor plaintiffs, dated no later and within
//! [`thread_window_days`] (five years for lawsuits, three for regulatory actions,
//! one for service halts).

use chrono::NaiveDate;

use crate::domain::{Action, ActionFamily, DatePrecision, EventKind};
pub use crate::domain::{EventDate, Stage};

/// Days either side of a day-precision date within which two reports can be one event.
pub const DAY_WINDOW: i64 = 3;

/// The score at or above which a report merges into a known event.
pub const MERGE_THRESHOLD: f64 = 0.6;

/// How well two actions of the same stage agree: 1 for the same word, less for the
/// same family, 0 when they are different acts.
fn action_agreement(kind: EventKind, a: Action, b: Action) -> f64 {
    if a == b {
        return 1.0;
    }
    if kind != EventKind::RegulatoryAction {
        // A lawsuit's or an outage's step is what it is, whatever the verb.
        return 0.8;
    }
    let (fa, fb) = (a.family(kind), b.family(kind));
    if fa == fb {
        0.8
    } else if matches!(
        (fa, fb),
        (ActionFamily::Ban, ActionFamily::Suspension)
            | (ActionFamily::Suspension, ActionFamily::Ban)
    ) {
        // Regulators suspending permits is often reported as a ban.
        0.5
    } else {
        0.0
    }
}

/// The step of a stored event, from the words of its row (read once here).
pub fn stored_stage(kind: EventKind, action: &str, status: Option<&str>) -> Stage {
    let status = status.and_then(|s| s.parse().ok());
    Stage::of(kind, Action::read_stored(kind, action), status)
}

/// The date of a stored event: its day and the precision stored beside it.
pub fn stored_date(date: Option<NaiveDate>, precision: Option<&str>) -> Option<EventDate> {
    EventDate::from_parts(date, precision.and_then(|p| p.parse().ok()))
}

/// How two dates of reports agree.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DateFit {
    /// Both to the day, this many days apart (within the window).
    Days(i64),
    SameMonth,
    SameYear,
    Unknown,
    Apart,
}

fn date_fit(a: Option<EventDate>, b: Option<EventDate>) -> DateFit {
    let (Some(a), Some(b)) = (a, b) else {
        return DateFit::Unknown;
    };
    let coarser = if a.precision.rank() <= b.precision.rank() {
        a
    } else {
        b
    };
    let finer = if a.precision.rank() <= b.precision.rank() {
        b
    } else {
        a
    };
    match coarser.precision {
        DatePrecision::Day => {
            let days = (a.date - b.date).num_days().abs();
            if days <= DAY_WINDOW {
                DateFit::Days(days)
            } else {
                DateFit::Apart
            }
        }
        DatePrecision::Month if coarser.contains(finer.date) => DateFit::SameMonth,
        DatePrecision::Year if coarser.contains(finer.date) => DateFit::SameYear,
        _ => DateFit::Apart,
    }
}

/// An authority's name reduced for comparison: lower-case words without
/// punctuation, a leading "the" dropped.
fn authority_words(name: &str) -> Vec<String> {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else if c == '.' || c == '\'' {
                '\0'
            } else {
                ' '
            }
        })
        .filter(|&c| c != '\0')
        .collect();
    let mut words: Vec<String> = cleaned.split_whitespace().map(str::to_string).collect();
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words
}

fn initials(words: &[String], skip_small: bool) -> String {
    const SMALL: [&str; 5] = ["of", "the", "and", "for", "on"];
    words
        .iter()
        .filter(|w| !skip_small || !SMALL.contains(&w.as_str()))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// Whether two authorities can be the same body: equal names, one name's words
/// within the other's, or an acronym of the other ("SEC", "Securities and
/// Exchange Commission"; "S.D.N.Y.", "District Court for the Southern District of
/// New York").
///
/// ```
/// use riskline::ingest::matching::authorities_agree;
/// assert!(authorities_agree("SEC", "U.S. Securities and Exchange Commission"));
/// assert!(authorities_agree("California DMV", "DMV"));
/// assert!(authorities_agree("S.D.N.Y.", "U.S. District Court for the Southern District of New York"));
/// assert!(!authorities_agree("SEC", "Federal Trade Commission"));
/// assert!(!authorities_agree("California DMV", "California Public Utilities Commission"));
/// assert!(authorities_agree("California DMV", "California Department of Motor Vehicles"));
/// ```
pub fn authorities_agree(a: &str, b: &str) -> bool {
    let (wa, wb) = (authority_words(a), authority_words(b));
    if wa.is_empty() || wb.is_empty() {
        return true;
    }
    if wa == wb {
        return true;
    }
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    // Words of the shorter name that the longer lacks must be acronyms of it.
    let acronyms = [initials(long, true), initials(long, false)];
    short.iter().filter(|w| !long.contains(w)).all(|w| {
        w.len() >= 2
            && acronyms
                .iter()
                .any(|a| a.len() >= 2 && a.contains(w.as_str()))
    })
}

/// Whether an authority is named only generically ("a federal court", "state
/// regulators"): such a name agrees with any specific one, and confirms none.
///
/// ```
/// use riskline::ingest::matching::is_generic_authority;
/// assert!(is_generic_authority("federal court"));
/// assert!(is_generic_authority("U.S. regulators"));
/// assert!(!is_generic_authority("U.S. District Court for the Western District of Washington"));
/// ```
pub fn is_generic_authority(name: &str) -> bool {
    const GENERIC: [&str; 29] = [
        "a",
        "an",
        "the",
        "us",
        "u",
        "s",
        "united",
        "states",
        "federal",
        "state",
        "county",
        "local",
        "district",
        "circuit",
        "appeals",
        "appellate",
        "superior",
        "court",
        "courts",
        "judge",
        "jury",
        "regulator",
        "regulators",
        "agency",
        "agencies",
        "authority",
        "authorities",
        "government",
        "officials",
    ];
    authority_words(name)
        .iter()
        .all(|w| GENERIC.contains(&w.as_str()))
}

/// Whether a court hears appeals ("Ninth Circuit", "Court of Appeals", "Supreme
/// Court"): a step of a case before it may continue a case from a lower court.
///
/// ```
/// use riskline::ingest::matching::is_appellate;
/// assert!(is_appellate("U.S. Court of Appeals for the Ninth Circuit"));
/// assert!(!is_appellate("U.S. District Court for the Northern District of California"));
/// ```
pub fn is_appellate(name: &str) -> bool {
    authority_words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "circuit" | "appeals" | "appellate" | "supreme" | "appeal"
        )
    })
}

/// A party's name reduced for comparison.
pub fn party_key(name: &str) -> String {
    authority_words(name).join(" ")
}

/// What matching looks at in an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Kind of event.
    pub kind: EventKind,
    /// The step of the event's life it stands for.
    pub stage: Stage,
    /// What happened.
    pub action: Action,
    /// Date with its precision; `None` when undated.
    pub date: Option<EventDate>,
    /// The court or agency acting, as written; `None` when not named.
    pub authority: Option<String>,
    /// The amount in whole US dollars; `None` when none was stated.
    pub amount_usd: Option<i64>,
    /// Company ids, sorted, each once.
    pub companies: Vec<i64>,
    /// Party keys ([`party_key`]), sorted, each once.
    pub parties: Vec<String>,
    /// Plaintiff party keys, sorted, each once.
    pub plaintiffs: Vec<String>,
}

/// A match of a report with a known event: its score and why, for the analyst.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// How well the two agree, 0 to 1; they merge at or above [`MERGE_THRESHOLD`].
    pub score: f64,
    /// The agreements found, `; `-separated, e.g. `lawsuit Opened, companies JPM; same month`; stored as `event_mentions.merge_reason`.
    pub reason: String,
}

fn shared<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// How far two amounts agree: `Some(true)` within 10 %, `Some(false)` more than
/// twice apart, `None` otherwise or when either is unknown.
fn amounts_agree(a: Option<i64>, b: Option<i64>) -> Option<bool> {
    let (a, b) = (a?, b?);
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if hi == 0 {
        return Some(true);
    }
    let ratio = lo as f64 / hi as f64;
    if ratio >= 0.9 {
        Some(true)
    } else if ratio < 0.5 {
        Some(false)
    } else {
        None
    }
}

/// Whether `report` is the event `known`, and how sure: `None` when something
/// rules it out or the score stays below [`MERGE_THRESHOLD`].
///
/// `tickers` names company ids in the reason given.
pub fn score(report: &Profile, known: &Profile, tickers: &dyn Fn(i64) -> String) -> Option<Match> {
    if report.kind != known.kind || report.stage != known.stage {
        return None;
    }
    // The cheapest test that rules most candidates out comes first.
    let date = match date_fit(report.date, known.date) {
        DateFit::Apart => return None,
        fit => fit,
    };
    let common = shared(&report.companies, &known.companies);
    let fewer = report.companies.len().min(known.companies.len());
    if fewer == 0 || common == 0 {
        return None;
    }
    let action = action_agreement(report.kind, report.action, known.action);
    if action == 0.0 {
        return None;
    }
    let authority = match (&report.authority, &known.authority) {
        (Some(a), Some(b)) if is_generic_authority(a) || is_generic_authority(b) => 0.05,
        (Some(a), Some(b)) if !authorities_agree(a, b) => return None,
        (Some(_), Some(_)) => 0.15,
        _ => 0.05,
    };
    let mut reasons = Vec::with_capacity(6);
    let names: Vec<String> = report
        .companies
        .iter()
        .filter(|c| known.companies.binary_search(c).is_ok())
        .map(|&c| tickers(c))
        .collect();
    reasons.push(format!(
        "{} {:?}, companies {}",
        report.kind,
        report.stage,
        names.join(",")
    ));
    let mut total = 0.3 * common as f64 / fewer as f64;
    total += 0.2 * action;
    reasons.push(if action == 1.0 {
        format!("action {}", known.action)
    } else {
        format!("action {} ~ {}", report.action, known.action)
    });
    total += match date {
        DateFit::Days(d) => {
            reasons.push(format!("dates {d} day(s) apart"));
            0.3 - 0.05 * d as f64
        }
        DateFit::SameMonth => {
            reasons.push("same month".to_string());
            0.15
        }
        DateFit::SameYear => {
            reasons.push("same year".to_string());
            0.0
        }
        _ => {
            reasons.push("date unknown".to_string());
            0.0
        }
    };
    total += authority;
    if authority > 0.1 {
        if let Some(a) = &known.authority {
            reasons.push(format!("authority {a}"));
        }
    }
    match amounts_agree(report.amount_usd, known.amount_usd) {
        Some(true) => {
            total += 0.05;
            reasons.push("same amount".to_string());
        }
        Some(false) => {
            total -= 0.15;
            reasons.push("amounts differ".to_string());
        }
        None => {}
    }
    if shared(&report.parties, &known.parties) > 0 {
        total += 0.05;
        reasons.push("parties in common".to_string());
    }
    let total = total.clamp(0.0, 1.0);
    (total >= MERGE_THRESHOLD - 1e-9).then(|| Match {
        score: (total * 1000.0).round() / 1000.0,
        reason: reasons.join("; "),
    })
}

/// How many days a thread may span, by kind.
pub fn thread_window_days(kind: EventKind) -> i64 {
    match kind {
        EventKind::Lawsuit => 5 * 366,
        EventKind::RegulatoryAction => 3 * 366,
        EventKind::ServiceHalt => 366,
    }
}

/// Whether `anchor` can be the earlier step that `step` continues, and how well it
/// fits (higher is better); `None` when it cannot.
pub fn anchor_score(step: &Profile, anchor: &Profile) -> Option<u32> {
    if step.stage.is_opening() || step.kind != anchor.kind || anchor.stage.is_terminal() {
        return None;
    }
    if let (Some(s), Some(a)) = (step.date, anchor.date) {
        let days = (s.date - a.date).num_days();
        // A coarser anchor date (the month a suit was filed) may read later than the
        // day of its settlement in the same month.
        let earlier = days >= 0 || a.contains(s.date) || s.contains(a.date);
        if !earlier || days > thread_window_days(step.kind) {
            return None;
        }
    }
    if shared(&step.companies, &anchor.companies) == 0 {
        return None;
    }
    let mut fit = 1;
    match (&step.authority, &anchor.authority) {
        (Some(a), Some(b)) if is_generic_authority(a) || is_generic_authority(b) => {}
        // An appeal goes to another court than the one it appeals from.
        (Some(a), Some(b))
            if step.kind == EventKind::Lawsuit
                && (is_appellate(a) || is_appellate(b))
                && !authorities_agree(a, b) => {}
        (Some(a), Some(b)) if !authorities_agree(a, b) => return None,
        (Some(_), Some(_)) => fit += 4,
        _ => {}
    }
    if !step.plaintiffs.is_empty() && !anchor.plaintiffs.is_empty() {
        if shared(&step.plaintiffs, &anchor.plaintiffs) == 0 {
            return None;
        }
        fit += 4;
    } else if shared(&step.parties, &anchor.parties) > 0 {
        fit += 2;
    }
    if step.kind == EventKind::RegulatoryAction
        && step.action.family(step.kind) == anchor.action.family(anchor.kind)
    {
        fit += 2;
    }
    if anchor.stage.is_opening() {
        fit += 1;
    }
    Some(fit)
}

/// One step of a thread, for finding the latest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// The step's stage.
    pub stage: Stage,
    /// The step's date with its precision; `None` when undated.
    pub date: Option<EventDate>,
    /// Database id of the step's event, the tie-breaker.
    pub id: i64,
}

/// Whether step `a` comes after step `b`: by date where the dates tell them
/// apart; where one lies within the other's month or year (or both are the same
/// day), by the order of steps (a settlement "in January" follows a recall on
/// January 29), then by id. An undated continuation counts as after every dated
/// step, an undated opening as before.
pub fn is_after(a: &Step, b: &Step) -> bool {
    match (a.date, b.date) {
        (Some(x), Some(y)) => {
            let overlap = y.contains(x.date) || x.contains(y.date);
            if !overlap {
                return x.date > y.date;
            }
        }
        (None, Some(_)) => return !a.stage.is_opening(),
        (Some(_), None) => return b.stage.is_opening(),
        (None, None) => {}
    }
    (a.stage.order(), a.id) > (b.stage.order(), b.id)
}

/// The position of the latest of `steps` ([`is_after`]).
pub fn latest(steps: &[Step]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, step) in steps.iter().enumerate() {
        if best.map_or(true, |b| is_after(step, &steps[b])) {
            best = Some(i);
        }
    }
    best
}

/// Sorts and deduplicates.
pub fn sorted_set<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<EventDate> {
        EventDate::parse(s, None)
    }

    fn lawsuit(action: &str, date: &str, companies: &[i64]) -> Profile {
        Profile {
            kind: EventKind::Lawsuit,
            stage: Stage::of(EventKind::Lawsuit, Action::read(action).unwrap(), None),
            action: Action::read(action).unwrap(),
            date: day(date),
            authority: None,
            amount_usd: None,
            companies: companies.to_vec(),
            parties: vec![],
            plaintiffs: vec![],
        }
    }

    fn ticker(id: i64) -> String {
        format!("T{id}")
    }

    #[test]
    fn the_same_suit_reported_days_apart_matches() {
        let a = lawsuit("filed", "2026-01-23", &[1]);
        let b = lawsuit("sued", "2026-01-25", &[1, 2]);
        let m = score(&b, &a, &ticker).unwrap();
        assert!(m.score >= MERGE_THRESHOLD, "{m:?}");
        assert!(m.reason.contains("companies T1"), "{}", m.reason);
        assert!(m.reason.contains("2 day(s) apart"), "{}", m.reason);
    }

    #[test]
    fn dates_outside_the_window_or_other_companies_do_not_match() {
        let a = lawsuit("filed", "2026-01-23", &[1]);
        assert!(score(&lawsuit("filed", "2026-01-27", &[1]), &a, &ticker).is_none());
        assert!(score(&lawsuit("filed", "2026-01-23", &[2]), &a, &ticker).is_none());
        assert!(score(&lawsuit("settled", "2026-01-23", &[1]), &a, &ticker).is_none());
    }

    #[test]
    fn month_precision_matches_within_its_month_only() {
        let known = lawsuit("filed", "2026-01-23", &[1]);
        let mut report = lawsuit("filed", "2026-01", &[1]);
        assert!(score(&report, &known, &ticker).is_some());
        report.date = day("2026-02");
        assert!(score(&report, &known, &ticker).is_none());
    }

    #[test]
    fn an_undated_report_needs_an_agreeing_authority() {
        let mut known = lawsuit("filed", "2026-01-23", &[1]);
        let mut report = lawsuit("filed", "", &[1]);
        report.date = None;
        assert!(score(&report, &known, &ticker).is_none());
        known.authority =
            Some("U.S. District Court for the Northern District of California".into());
        report.authority = Some("N.D. Cal.".into());
        assert!(!authorities_agree(
            "N.D. Cal.",
            "Southern District of New York"
        ));
        report.authority = Some("Northern District of California".into());
        assert!(score(&report, &known, &ticker).is_some());
    }

    #[test]
    fn regulatory_actions_of_different_families_are_different_events() {
        let mut fine = lawsuit("fine", "2026-03-02", &[1]);
        fine.kind = EventKind::RegulatoryAction;
        fine.stage = Stage::Imposed;
        let mut recall = fine.clone();
        recall.action = Action::Recall;
        assert!(score(&recall, &fine, &ticker).is_none());
        let mut penalty = fine.clone();
        penalty.action = Action::read("penalty").unwrap();
        assert!(score(&penalty, &fine, &ticker).is_some());
        penalty.authority = Some("FTC".into());
        fine.authority = Some("SEC".into());
        assert!(score(&penalty, &fine, &ticker).is_none());
    }

    #[test]
    fn a_settlement_continues_an_earlier_suit_within_the_window() {
        let suit = lawsuit("filed", "2025-03-10", &[1]);
        let settlement = lawsuit("settled", "2026-01-05", &[1]);
        assert!(anchor_score(&settlement, &suit).is_some());
        assert!(anchor_score(&suit, &settlement).is_none());
        let old = lawsuit("filed", "2019-01-01", &[1]);
        assert!(anchor_score(&settlement, &old).is_none());
        let later = lawsuit("filed", "2026-02-01", &[1]);
        assert!(anchor_score(&settlement, &later).is_none());
        let other = lawsuit("settled", "2025-06-01", &[1]);
        assert!(
            anchor_score(&settlement, &other).is_none(),
            "a settlement ends its thread"
        );
        let mut by_others = suit.clone();
        by_others.plaintiffs = vec!["jane doe".into()];
        let mut own = settlement.clone();
        own.plaintiffs = vec!["john roe".into()];
        assert!(anchor_score(&own, &by_others).is_none());
    }

    #[test]
    fn an_appeal_continues_a_suit_from_the_court_below_and_a_lift_its_ban() {
        let mut suit = lawsuit("filed", "2022-03-01", &[1]);
        suit.authority = Some("U.S. District Court for the Northern District of California".into());
        let mut appeal = lawsuit("appealed", "2023-06-12", &[1]);
        appeal.authority = Some("Ninth Circuit".into());
        assert!(anchor_score(&appeal, &suit).is_some());
        let mut reversal = lawsuit("reversed", "2024-08-20", &[1]);
        reversal.authority = Some("Ninth Circuit".into());
        assert_eq!(reversal.stage, Stage::Reversed);
        assert!(anchor_score(&reversal, &appeal).is_some());
        let mut other_court = lawsuit("dismissed", "2023-05-10", &[1]);
        other_court.authority = Some("Delaware Court of Chancery".into());
        assert!(anchor_score(&other_court, &suit).is_none());

        let mut ban = lawsuit("ban", "2024-03-04", &[1]);
        ban.kind = EventKind::RegulatoryAction;
        ban.stage = Stage::Imposed;
        ban.action = Action::Ban;
        let mut lift = ban.clone();
        lift.action = Action::Lifted;
        lift.stage = Stage::of(EventKind::RegulatoryAction, Action::Lifted, None);
        lift.date = day("2024-09-10");
        assert!(anchor_score(&lift, &ban).is_some());
        assert!(anchor_score(&ban, &lift).is_none(), "a lift opens no story");
    }

    #[test]
    fn the_latest_step_is_found_by_date_then_by_order_of_steps() {
        let step = |stage, date: &str, id| Step {
            stage,
            date: EventDate::parse(date, None),
            id,
        };
        let suit = step(Stage::Opened, "2024-01-10", 1);
        let settled_in_month = step(Stage::Settled, "2024-01", 2);
        let ruling = step(Stage::Ruled, "2024-01-29", 3);
        assert!(is_after(&settled_in_month, &ruling));
        assert!(is_after(&ruling, &suit));
        assert_eq!(latest(&[suit, settled_in_month, ruling]), Some(1));
        let later_suit = step(Stage::Opened, "2024-02-01", 4);
        assert_eq!(latest(&[suit, settled_in_month, later_suit]), Some(2));
        let undated_settlement = step(Stage::Settled, "", 5);
        assert_eq!(latest(&[later_suit, undated_settlement]), Some(1));
        assert_eq!(latest(&[]), None);
    }

    #[test]
    fn finer_dates_refine_coarser_ones_they_agree_with() {
        let month = day("2026-01").unwrap();
        assert!(day("2026-01-23").unwrap().refines(month));
        assert!(!day("2026-02-01").unwrap().refines(month));
        assert!(!month.refines(day("2026-01-23").unwrap()));
    }
}
