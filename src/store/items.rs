//! The timeline as it is read: each event's list item, kept as JSON.
//!
//! A list item ([`EventItem`]) gathers what five tables hold: the event, its
//! companies, its tags, its first evidence and that evidence's document. Reading
//! it from them costs about six random b-tree descents per event, so a timeline
//! page of 50 events was bound by the database (docs/benchmarks-api.md). The
//! table `timeline_items` keeps each event's item as JSON, one row per company it
//! involves, in timeline order (company, date, id): a page is one range scan.
//!
//! The rows are derived data, kept right by the database itself:
//!
//! - triggers on every table an item shows (`events`, `event_companies`,
//!   `event_mentions`, `event_tags`, and renamed companies, documents and tags)
//!   put the event's id in `stale_items`;
//! - every write transaction ([`super::backend::write_transaction`]) rebuilds the
//!   items of the stale events ([`refresh_stale`]) and empties `stale_items`
//!   before it commits, so readers never see an item older than its event;
//! - a reader uses the items only while `stale_items` is empty ([`timeline_page`]
//!   says `None` otherwise, and the caller reads the tables): a change made outside
//!   those transactions, or a migration's backfill still running, costs speed,
//!   never correctness.
//!
//! What an item contains is not decided here: the API installs its serializer
//! of a timeline item ([`install_renderer`]), and the store keeps the text it
//! produces, opaque, so that one place decides how an event looks on the wire.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::backend;
use super::events_read::{self, filter_event_columns, Cursor, EventFilter, EventView, Page};
use super::schema::{stale_items, timeline_items};
use super::DbConnection;
use super::StoreResult;

type Db = <DbConnection as diesel::Connection>::Backend;

/// Stale events rebuilt per round of [`refresh_stale`].
const REFRESH_CHUNK: usize = 1_000;

/// Turns an event's view into its stored list item: the API's serializer of a
/// timeline item ([`install_renderer`]). The store keeps what it returns as it
/// is and never looks inside.
pub type ItemRenderer = fn(EventView) -> String;

static RENDERER: OnceLock<ItemRenderer> = OnceLock::new();

/// Sets the serializer of list items for this process; the first one set stays.
/// Until one is set, write transactions leave stale items stale and readers
/// read the tables ([`timeline_page`] says `None`).
pub fn install_renderer(render: ItemRenderer) {
    let _ = RENDERER.set(render);
}

fn renderer() -> Option<ItemRenderer> {
    RENDERER.get().copied()
}

/// An event's list item as the installed serializer writes it (the text a
/// timeline row keeps); `None` until one is installed.
pub fn render(view: EventView) -> Option<String> {
    renderer().map(|render| render(view))
}

/// The order key of a date in `timeline_items`: days from 0001-01-01 (day 1),
/// and 0 for an undated event, which sorts after every dated one newest first.
pub fn sort_day(date: Option<NaiveDate>) -> i64 {
    date.map_or(0, |d| i64::from(d.num_days_from_ce()).max(1))
}

fn day_of(sort_day: i64) -> Option<NaiveDate> {
    if sort_day <= 0 {
        return None;
    }
    i32::try_from(sort_day)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// A row of `timeline_items`.
#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = timeline_items, treat_none_as_default_value = false)]
pub struct NewTimelineItem {
    /// The company whose timeline the row belongs to (`timeline_items.company_id`).
    pub company_id: i64,
    /// The event's date as days from 0001-01-01 (day 1), 0 when undated; see [`sort_day`].
    pub sort_day: i64,
    /// The event (`timeline_items.event_id`).
    pub event_id: i64,
    /// Copy of `events.kind`, for filtering without the events table.
    pub kind: String,
    /// Copy of `events.action`, for filtering.
    pub action: String,
    /// Copy of `events.review_state`, for filtering.
    pub review_state: String,
    /// Copy of `events.confidence`, for filtering.
    pub confidence: f64,
    /// The event's list item as JSON, written by the API's serializer (`timeline_items.item`).
    pub item: String,
}

/// The `timeline_items` rows of one event: one per company it involves, none
/// once it is retracted.
fn rows_of(view: EventView, render: ItemRenderer) -> Vec<NewTimelineItem> {
    let mut company_ids: Vec<i64> = view.companies.iter().map(|c| c.company_id).collect();
    company_ids.sort_unstable();
    company_ids.dedup();
    if company_ids.is_empty() || view.retracted_at.is_some() {
        return Vec::new();
    }
    let (event_id, event) = (view.event.id, &view.event.fields);
    let day = sort_day(event.occurred_on);
    let (kind, action) = (event.kind.clone(), event.action.clone());
    let (review_state, confidence) = (event.review_state.clone(), event.confidence);
    let item = render(view);
    company_ids
        .into_iter()
        .map(|company_id| NewTimelineItem {
            company_id,
            sort_day: day,
            event_id,
            kind: kind.clone(),
            action: action.clone(),
            review_state: review_state.clone(),
            confidence,
            item: item.clone(),
        })
        .collect()
}

/// Rebuilds the items of these events from the tables (deleted events lose theirs).
fn rebuild(conn: &mut DbConnection, ids: &[i64], render: ItemRenderer) -> StoreResult<usize> {
    let mut written = 0;
    for chunk in ids.chunks(REFRESH_CHUNK) {
        diesel::delete(timeline_items::table.filter(timeline_items::event_id.eq_any(chunk)))
            .execute(conn)?;
        let rows: Vec<NewTimelineItem> = events_read::load_views(conn, chunk)?
            .into_iter()
            .flat_map(|view| rows_of(view, render))
            .collect();
        written += backend::insert_timeline_items(conn, &rows)?;
    }
    Ok(written)
}

/// Rebuilds the items of stale events, at most `max` of them (all when `None`),
/// and marks them fresh; returns how many events were rebuilt. Without a
/// renderer installed, leaves them stale.
pub fn refresh_stale(conn: &mut DbConnection, max: Option<usize>) -> StoreResult<usize> {
    let Some(render) = renderer() else {
        return Ok(0);
    };
    let mut done = 0;
    loop {
        let take = max.map_or(REFRESH_CHUNK, |m| m.saturating_sub(done).min(REFRESH_CHUNK));
        if take == 0 {
            return Ok(done);
        }
        let ids: Vec<i64> = stale_items::table
            .select(stale_items::event_id)
            .order(stale_items::event_id.asc())
            .limit(i64::try_from(take).unwrap_or(i64::MAX))
            .load(conn)?;
        if ids.is_empty() {
            return Ok(done);
        }
        rebuild(conn, &ids, render)?;
        diesel::delete(stale_items::table.filter(stale_items::event_id.eq_any(&ids)))
            .execute(conn)?;
        done += ids.len();
        if ids.len() < take {
            return Ok(done);
        }
    }
}

/// Rebuilds every stale item in transactions of a few thousand events, reporting
/// progress as `(done, total)`; returns how many events were rebuilt. For a
/// backfill after a migration, or after writes made outside write transactions.
pub fn refresh_all(
    conn: &mut DbConnection,
    mut progress: impl FnMut(usize, usize),
) -> StoreResult<usize> {
    let total: i64 = stale_items::table.count().get_result(conn)?;
    let total = usize::try_from(total).unwrap_or(0);
    let mut done = 0;
    loop {
        let n = backend::raw_write_transaction(conn, |conn| {
            refresh_stale(conn, Some(4 * REFRESH_CHUNK))
        })?;
        if n == 0 {
            if done > 0 {
                if let DbConnection::Pg(pg) = conn {
                    // Rows inserted and deleted by the million: clear their dead
                    // tuples now rather than when autovacuum comes by.
                    diesel::sql_query("VACUUM stale_items").execute(pg)?;
                }
            }
            return Ok(done);
        }
        done += n;
        progress(done, total.max(done));
    }
}

/// Whether some event's items wait to be rebuilt.
pub fn any_stale(conn: &mut DbConnection) -> StoreResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        stale_items::table.select(stale_items::event_id),
    ))
    .get_result(conn)?)
}

/// A page of a company's timeline as JSON list items, newest first, or `None`
/// when the items cannot answer: a filter on tags or text, or stale items. The
/// page and its cursor are those of [`events_read::timeline`].
pub fn timeline_page(
    conn: &mut DbConnection,
    company_id: i64,
    filter: &EventFilter,
    after: Option<Cursor>,
    limit: usize,
) -> StoreResult<Option<Page<String>>> {
    if filter.tag.is_some() || filter.text.is_some() {
        return Ok(None);
    }
    // The staleness check is part of the page's statement (SQLite runs the
    // uncorrelated subquery once): one statement, one read snapshot. No row
    // means an empty page or stale items; only then is it asked apart.
    let mut query = timeline_items::table
        .filter(diesel::dsl::not(diesel::dsl::exists(
            stale_items::table.select(stale_items::event_id),
        )))
        .filter(timeline_items::company_id.eq(company_id))
        .select((
            timeline_items::event_id,
            timeline_items::sort_day,
            timeline_items::item,
        ))
        .into_boxed::<Db>();
    filter_event_columns!(query, filter, timeline_items);
    if filter.from.is_some() || filter.to.is_some() {
        // A date range leaves undated events out.
        query = query.filter(timeline_items::sort_day.ge(sort_day(filter.from).max(1)));
    }
    if let Some(to) = filter.to {
        query = query.filter(timeline_items::sort_day.le(sort_day(Some(to))));
    }
    if let Some(Cursor { occurred_on, id }) = after {
        let day = sort_day(occurred_on);
        // The first condition alone is an index bound; both together are the position.
        query = query.filter(timeline_items::sort_day.le(day)).filter(
            timeline_items::sort_day
                .lt(day)
                .or(timeline_items::event_id.lt(id)),
        );
    }
    let rows: Vec<(i64, i64, String)> = query
        .order((
            timeline_items::sort_day.desc(),
            timeline_items::event_id.desc(),
        ))
        .limit(i64::try_from(limit + 1).unwrap_or(i64::MAX))
        .load(conn)?;
    if rows.is_empty() && any_stale(conn)? {
        return Ok(None);
    }
    let more = rows.len() > limit;
    let mut items = Vec::with_capacity(limit.min(rows.len()));
    let mut next = None;
    for (event_id, day, item) in rows.into_iter().take(limit) {
        next = Some(Cursor {
            occurred_on: day_of(day),
            id: event_id,
        });
        items.push(item);
    }
    Ok(Some(Page {
        items,
        next: if more { next } else { None },
    }))
}
