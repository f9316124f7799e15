//! A company's risk summary: events counted by kind and age, and its open stories.
//! Which story is open, active or closed is the domain's rule ([`crate::domain::risk`]).

#[allow(clippy::wildcard_imports)]
use super::*;

use crate::domain::risk::{self as rules, Latest, ThreadState};
use crate::domain::{Action, Status};

/// Events counted by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    /// Number of lawsuits.
    pub lawsuit: i64,
    /// Number of regulatory actions.
    pub regulatory_action: i64,
    /// Number of service halts.
    pub service_halt: i64,
}

impl KindCounts {
    fn add(&mut self, kind: &str) {
        match kind.parse::<EventKind>() {
            Ok(EventKind::Lawsuit) => self.lawsuit += 1,
            Ok(EventKind::RegulatoryAction) => self.regulatory_action += 1,
            Ok(EventKind::ServiceHalt) => self.service_halt += 1,
            Err(_) => {}
        }
    }
}

/// A company's risk at a glance; see `docs/api.md` for the exact definitions.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskSummary {
    /// Events by kind dated within the last 30 days up to `today` (`today - 30 < occurred_on <= today`).
    pub events_30d: KindCounts,
    /// Events by kind dated within the last 90 days up to `today`.
    pub events_90d: KindCounts,
    /// Events by kind dated within the last 365 days up to `today`.
    pub events_365d: KindCounts,
    /// Lawsuit threads whose latest step has not settled, dismissed, ruled, withdrawn or closed them.
    pub open_lawsuits: i64,
    /// Sum of `amount_usd` of lawsuits with action `filed`, in whole US dollars.
    pub damages_sought_usd: i64,
    /// Sum of `amount_usd` of regulatory actions with action `fine`, in whole US dollars.
    pub fines_usd: i64,
    /// Regulatory-action threads started by a ban, suspension or revocation and not yet lifted or ended.
    pub active_bans: i64,
    /// Service-halt threads not yet resumed, lifted or ended.
    pub active_halts: i64,
    /// The company's newest event in timeline order; `None` when it has none.
    pub latest_event: Option<EventView>,
}

#[derive(Debug, Clone, Queryable)]
struct RiskRow {
    id: i64,
    kind: String,
    action: String,
    status: Option<String>,
    thread_id: Option<i64>,
    thread_status: Option<String>,
    occurred_on: Option<NaiveDate>,
    amount_usd: Option<i64>,
}

/// The risk summary of a company as of `today`: windows end on it, and each story
/// stands where its steps dated up to `today` leave it (an undated step counts as
/// known). Rejected events count nowhere.
pub fn risk_summary(
    conn: &mut DbConnection,
    company_id: i64,
    today: NaiveDate,
) -> StoreResult<RiskSummary> {
    risk_summary_of(conn, &[company_id], today)
}

/// The risk summary of several companies together (a watchlist) as of
/// `today`: an event of several of them counts once. Rejected and retracted
/// events count nowhere.
pub fn risk_summary_of(
    conn: &mut DbConnection,
    company_ids: &[i64],
    today: NaiveDate,
) -> StoreResult<RiskSummary> {
    let rows: Vec<RiskRow> = event_companies::table
        .inner_join(events::table)
        .filter(event_companies::company_id.eq_any(company_ids))
        .filter(events::review_state.ne(ReviewState::Rejected.as_str()))
        .filter(events::retracted_at.is_null())
        .select((
            events::id,
            events::kind,
            events::action,
            events::status,
            events::thread_id,
            events::thread_status,
            events::occurred_on,
            events::amount_usd,
        ))
        .distinct()
        .load(conn)?;

    let mut summary = RiskSummary {
        events_30d: KindCounts::default(),
        events_90d: KindCounts::default(),
        events_365d: KindCounts::default(),
        open_lawsuits: 0,
        damages_sought_usd: 0,
        fines_usd: 0,
        active_bans: 0,
        active_halts: 0,
        latest_event: None,
    };
    let since = |days: i64| today - Duration::days(days);
    let mut threads: BTreeMap<i64, Vec<&RiskRow>> = BTreeMap::new();
    for row in &rows {
        if let Some(day) = row.occurred_on.filter(|d| *d <= today) {
            if day > since(30) {
                summary.events_30d.add(&row.kind);
            }
            if day > since(90) {
                summary.events_90d.add(&row.kind);
            }
            if day > since(365) {
                summary.events_365d.add(&row.kind);
            }
        }
        let amount = row.amount_usd.unwrap_or(0);
        if let Ok(kind) = row.kind.parse::<EventKind>() {
            let action = Action::read(&row.action).ok();
            if rules::is_damages_sought(kind, action) {
                summary.damages_sought_usd = summary.damages_sought_usd.saturating_add(amount);
            }
            if rules::is_fine(kind, action) {
                summary.fines_usd = summary.fines_usd.saturating_add(amount);
            }
        }
        threads
            .entry(row.thread_id.unwrap_or(row.id))
            .or_default()
            .push(row);
    }
    for steps in threads.values() {
        // The story as it stood on `today`: steps dated later are not yet known then.
        let known: Vec<&RiskRow> = steps
            .iter()
            .copied()
            .filter(|r| r.occurred_on.map_or(true, |d| d <= today))
            .collect();
        let Some(first) = known
            .iter()
            .min_by_key(|r| (r.occurred_on.is_none(), r.occurred_on, r.id))
        else {
            continue;
        };
        let Some(latest) = known
            .iter()
            .max_by_key(|r| (r.occurred_on.is_some(), r.occurred_on, r.id))
        else {
            continue;
        };
        // The thread's status is where it stands now; on an earlier day the latest
        // step then speaks for itself.
        let status = if known.len() == steps.len() {
            latest.thread_status.as_deref().or(latest.status.as_deref())
        } else {
            latest.status.as_deref()
        };
        // Stored words are read once here; a word that is no action or status counts
        // as none.
        let latest = Latest {
            action: Action::read(&latest.action).ok(),
            status: status.and_then(|s| s.parse::<Status>().ok()),
        };
        let Ok(kind) = first.kind.parse::<EventKind>() else {
            continue;
        };
        let active = rules::thread_state(kind, latest) == ThreadState::Active;
        match kind {
            EventKind::Lawsuit if active => summary.open_lawsuits += 1,
            EventKind::RegulatoryAction
                if active && rules::is_ban(Action::read(&first.action).ok()) =>
            {
                summary.active_bans += 1;
            }
            EventKind::ServiceHalt if active => summary.active_halts += 1,
            _ => {}
        }
    }
    let latest_filter = EventFilter {
        review: vec![ReviewState::Unreviewed, ReviewState::Confirmed],
        ..EventFilter::default()
    };
    summary.latest_event = search_companies(conn, company_ids, &latest_filter, None, 1)?
        .items
        .pop();
    Ok(summary)
}
