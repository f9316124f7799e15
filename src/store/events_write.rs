//! The write side of events: what ingestion reads to merge a new report into a
//! known event, and the updates it makes (fields, threads, counts).
//!
//! Batch inserts of events, company links and mentions are in
//! [`crate::store::backend`]; this module holds the queries that run the same on
//! both backends. Reads for timelines and the API live elsewhere.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;

use super::models::EventChanges;
use super::schema::{event_companies, events};
use super::DbConnection;
use super::StoreResult;

/// Ids per `IN (...)` list: far below SQLite's limit on bound parameters.
const IDS_PER_QUERY: usize = 10_000;

/// The columns of an event that matching and merging look at (no summary, no
/// timestamps).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = events)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct MatchRow {
    /// Database id of the event (`events.id`).
    pub id: i64,
    /// Kind of event: `lawsuit`, `regulatory_action` or `service_halt` (`events.kind`).
    pub kind: String,
    /// What happened, one action word such as `fine` (`events.action`).
    pub action: String,
    /// Where the event stands (`events.status`); `None` when not stated.
    pub status: Option<String>,
    /// Date of the event, first day of the period for month or year precision (`events.occurred_on`); `None` when undated.
    pub occurred_on: Option<NaiveDate>,
    /// `day`, `month` or `year` (`events.date_precision`); `None` when undated.
    pub date_precision: Option<String>,
    /// Sum of money in units of `currency` (`events.amount`); `None` when none was stated.
    pub amount: Option<f64>,
    /// ISO 4217 code of `amount` (`events.currency`); `None` with no amount.
    pub currency: Option<String>,
    /// The amount in whole US dollars (`events.amount_usd`); extraction sets it for USD amounts only.
    pub amount_usd: Option<i64>,
    /// The court or agency acting (`events.authority`); `None` when not named.
    pub authority: Option<String>,
    /// Jurisdiction code such as `US`, `US-CA`, `EU` (`events.jurisdiction`); `None` when unknown.
    pub jurisdiction: Option<String>,
    /// JSON: `[{"name", "role"}]`.
    pub parties: String,
    /// Extractor confidence, 0 to 1 (`events.confidence`).
    pub confidence: f64,
    /// `unreviewed`, `confirmed` or `rejected` (`events.review_state`).
    pub review_state: String,
    /// JSON: names of the fields an analyst corrected.
    pub corrected_fields: String,
    /// Digest of what identifies the event; equal fingerprints merge (`events.fingerprint`).
    pub fingerprint: String,
    /// First event of the thread this one continues (`events.thread_id`); `None` when it starts its own.
    pub thread_id: Option<i64>,
    /// Latest status of the whole thread (`events.thread_status`); `None` outside threads.
    pub thread_status: Option<String>,
    /// Number of distinct documents that mention the event (`events.document_count`).
    pub document_count: i64,
}

/// A stored event with the companies it involves: `(company_id, role)`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The event's matching columns.
    pub row: MatchRow,
    /// Its company links as `(company_id, role)`, role as in `event_companies.role`.
    pub companies: Vec<(i64, String)>,
}

/// Loads events with their company links, in id order.
fn with_companies(conn: &mut DbConnection, rows: Vec<MatchRow>) -> StoreResult<Vec<StoredEvent>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut links: HashMap<i64, Vec<(i64, String)>> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i64, i64, String)> = event_companies::table
            .filter(event_companies::event_id.eq_any(chunk))
            .select((
                event_companies::event_id,
                event_companies::company_id,
                event_companies::role,
            ))
            .order(event_companies::id.asc())
            .load(conn)?;
        for (event_id, company_id, role) in rows {
            links.entry(event_id).or_default().push((company_id, role));
        }
    }
    let mut events: Vec<StoredEvent> = rows
        .into_iter()
        .map(|row| StoredEvent {
            companies: links.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect();
    events.sort_by_key(|e| e.row.id);
    Ok(events)
}

/// The events with these ids that exist, with their companies, in id order.
pub fn load_by_ids(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<Vec<StoredEvent>> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        rows.extend(
            events::table
                .filter(events::id.eq_any(chunk))
                .select(MatchRow::as_select())
                .load(conn)?,
        );
    }
    with_companies(conn, rows)
}

/// Every event involving one of these companies, with all its companies, in id order.
pub fn load_for_companies(
    conn: &mut DbConnection,
    company_ids: &[i64],
) -> StoreResult<Vec<StoredEvent>> {
    let mut ids = Vec::new();
    for chunk in company_ids.chunks(IDS_PER_QUERY) {
        ids.extend(
            event_companies::table
                .filter(event_companies::company_id.eq_any(chunk))
                .select(event_companies::event_id)
                .distinct()
                .load::<i64>(conn)?,
        );
    }
    ids.sort_unstable();
    ids.dedup();
    load_by_ids(conn, &ids)
}

/// Events without any company link whose fingerprint is one of these, in id order.
pub fn load_unlinked_by_fingerprints(
    conn: &mut DbConnection,
    fingerprints: &[&str],
) -> StoreResult<Vec<StoredEvent>> {
    let mut rows = Vec::new();
    for chunk in fingerprints.chunks(IDS_PER_QUERY) {
        rows.extend(
            events::table
                .filter(events::fingerprint.eq_any(chunk))
                .filter(not(diesel::dsl::exists(
                    event_companies::table.filter(event_companies::event_id.eq(events::id)),
                )))
                .select(MatchRow::as_select())
                .load(conn)?,
        );
    }
    with_companies(conn, rows)
}

/// The largest event id, if any event exists.
pub fn max_id(conn: &mut DbConnection) -> StoreResult<Option<i64>> {
    Ok(events::table
        .select(diesel::dsl::max(events::id))
        .get_result(conn)?)
}

/// The ids of events above `after`, ascending: what other writers added since.
///
/// Bounded by the largest id (found on the primary key at once): with both
/// bounds the planner walks the primary key even when its statistics are out
/// of date and it takes `id > n` alone for a third of the table (as during a
/// large ingest into a new database, where a plain scan read every event at
/// every batch).
pub fn ids_after(conn: &mut DbConnection, after: i64) -> StoreResult<Vec<i64>> {
    let Some(last) = max_id(conn)?.filter(|&last| last > after) else {
        return Ok(Vec::new());
    };
    Ok(events::table
        .filter(events::id.gt(after).and(events::id.le(last)))
        .select(events::id)
        .order(events::id.asc())
        .load(conn)?)
}

/// Applies `changes` to one event; returns the rows changed (0 or 1).
pub fn update(conn: &mut DbConnection, id: i64, changes: &EventChanges) -> StoreResult<usize> {
    Ok(diesel::update(events::table.find(id))
        .set(changes)
        .execute(conn)?)
}

/// Adds `documents` to the document count of these events; returns the rows changed.
pub fn add_documents(
    conn: &mut DbConnection,
    ids: &[i64],
    documents: i64,
    at: NaiveDateTime,
) -> StoreResult<usize> {
    let mut changed = 0;
    for chunk in ids.chunks(IDS_PER_QUERY) {
        changed += diesel::update(events::table.filter(events::id.eq_any(chunk)))
            .set((
                events::document_count.eq(events::document_count + documents),
                events::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(changed)
}

/// Copies an event's date onto its company links (the timeline index reads it there).
pub fn sync_company_dates(
    conn: &mut DbConnection,
    event_id: i64,
    occurred_on: Option<NaiveDate>,
) -> StoreResult<usize> {
    Ok(
        diesel::update(event_companies::table.filter(event_companies::event_id.eq(event_id)))
            .set(event_companies::occurred_on.eq(occurred_on))
            .execute(conn)?,
    )
}

/// One step of an event thread, for working out where the thread stands.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = events)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ThreadStep {
    /// Database id of the step's event (`events.id`).
    pub id: i64,
    /// Kind of event (`events.kind`).
    pub kind: String,
    /// The step's action word (`events.action`), e.g. `filed`, `settled`.
    pub action: String,
    /// The step's own status (`events.status`); `None` when not stated.
    pub status: Option<String>,
    /// The step's date (`events.occurred_on`); `None` when undated.
    pub occurred_on: Option<NaiveDate>,
    /// `day`, `month` or `year` (`events.date_precision`); `None` when undated.
    pub date_precision: Option<String>,
    /// The thread's first event (`events.thread_id`); `None` for the first step itself.
    pub thread_id: Option<i64>,
    /// The thread's latest status as stored on this step (`events.thread_status`); `None` if not set yet.
    pub thread_status: Option<String>,
    /// JSON: names of the fields an analyst corrected.
    pub corrected_fields: String,
}

/// The events of the threads rooted at `roots` (the roots included), in id order.
pub fn thread_steps(conn: &mut DbConnection, roots: &[i64]) -> StoreResult<Vec<ThreadStep>> {
    let mut steps = Vec::new();
    for chunk in roots.chunks(IDS_PER_QUERY) {
        steps.extend(
            events::table
                .filter(events::id.eq_any(chunk).or(events::thread_id.eq_any(chunk)))
                .select(ThreadStep::as_select())
                .order(events::id.asc())
                .load(conn)?,
        );
    }
    steps.sort_by_key(|s| s.id);
    steps.dedup_by_key(|s| s.id);
    Ok(steps)
}

/// The events of the thread rooted at `root`, the root excepted.
pub fn thread_member_ids(conn: &mut DbConnection, root: i64) -> StoreResult<Vec<i64>> {
    Ok(events::table
        .filter(events::thread_id.eq(root))
        .filter(events::id.ne(root))
        .select(events::id)
        .order(events::id.asc())
        .load(conn)?)
}

/// Sets `thread_status` on these events; returns the rows changed.
pub fn set_thread_status(
    conn: &mut DbConnection,
    ids: &[i64],
    status: &str,
    at: NaiveDateTime,
) -> StoreResult<usize> {
    let mut changed = 0;
    for chunk in ids.chunks(IDS_PER_QUERY) {
        changed += diesel::update(events::table.filter(events::id.eq_any(chunk)))
            .set((events::thread_status.eq(status), events::updated_at.eq(at)))
            .execute(conn)?;
    }
    Ok(changed)
}

/// Stores why each step joined its thread (`events.thread_reason`), one statement per
/// step: `(event id, reason)` pairs.
pub fn set_thread_reasons(
    conn: &mut DbConnection,
    reasons: &std::collections::BTreeMap<i64, String>,
) -> StoreResult<()> {
    for (id, reason) in reasons {
        diesel::update(events::table.find(*id))
            .set(events::thread_reason.eq(reason))
            .execute(conn)?;
    }
    Ok(())
}
