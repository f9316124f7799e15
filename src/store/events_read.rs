//! Reading events: company timelines and event search with keyset pagination,
//! the detail of one event, documents with their events, and a company's risk
//! summary.
//!
//! Listings are newest first: events with a date by `(occurred_on DESC, id DESC)`,
//! then undated events by `id DESC`. A [`Cursor`] is the last event of the previous
//! page, and the next page starts strictly after it, so a page never repeats or
//! skips an event that was there before, whatever is inserted meanwhile.
//!
//! The two orders are read as two index range scans ("dated", then "undated")
//! rather than one `ORDER BY ... NULLS LAST`: SQLite sorts NULLs last in a
//! descending order and PostgreSQL first, and the split keeps both on the
//! `event_companies_timeline` and `events_occurred_on` indexes.
//!
//! A page is read in a handful of batched queries (the page's keys, then its
//! events, companies, tags and first evidence), never one query per event.
//!
//! ```no_run
//! use riskline::store::{events_read::{self, EventFilter}, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let page = events_read::timeline(&mut conn, 1, &EventFilter::default(), None, 50)?;
//! for view in &page.items {
//!     println!("{} {}", view.event.id, view.event.summary);
//! }
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use super::models::{AuditEntryRow, DocumentRow, EventKind, EventRow, ReviewState};
use super::schema::{
    audit_log, companies, documents, event_companies, event_mentions, event_tags, events, tags,
};
use super::DbConnection;
use super::StoreResult;

type Db = <DbConnection as diesel::Connection>::Backend;

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower(text)`, the same on both backends for ASCII.
    fn lower(x: Text) -> Text;
}

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower(text)` over a nullable column.
    #[sql_name = "lower"]
    fn lower_opt(x: Nullable<Text>) -> Nullable<Text>;
}

/// `column IN (ids)`, written so that the statement text does not depend on the
/// number of ids and stays in the connection's prepared statement cache: the ids
/// travel as one JSON array, read by `json_each` on SQLite and by
/// `json_array_elements_text` on PostgreSQL. (diesel's `eq_any` with a list
/// writes one placeholder per id on SQLite, and such statements are prepared
/// anew each time: a real cost when a page is read in a fraction of a millisecond.)
#[derive(Debug, Clone)]
pub(crate) struct IdsIn<C> {
    column: C,
    json: String,
}

/// `column IN (ids)` as an [`IdsIn`].
pub(crate) fn ids_in<C>(column: C, ids: &[i64]) -> IdsIn<C> {
    let mut json = String::with_capacity(ids.len() * 8 + 2);
    json.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&id.to_string());
    }
    json.push(']');
    IdsIn { column, json }
}

impl<C: diesel::Expression> diesel::Expression for IdsIn<C> {
    type SqlType = diesel::sql_types::Bool;
}

impl<C: diesel::AppearsOnTable<QS>, QS> diesel::AppearsOnTable<QS> for IdsIn<C> {}

impl<C: diesel::SelectableExpression<QS>, QS> diesel::SelectableExpression<QS> for IdsIn<C> {}

impl<C: diesel::expression::ValidGrouping<GB>, GB> diesel::expression::ValidGrouping<GB>
    for IdsIn<C>
{
    type IsAggregate = C::IsAggregate;
}

impl<C: diesel::query_builder::QueryId + 'static> diesel::query_builder::QueryId for IdsIn<C> {
    type QueryId = IdsIn<C>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C> diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for IdsIn<C>
where
    C: diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
    ) -> diesel::QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C> diesel::query_builder::QueryFragment<diesel::pg::Pg> for IdsIn<C>
where
    C: diesel::query_builder::QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> diesel::QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value::bigint FROM json_array_elements_text(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("::json))");
        Ok(())
    }
}

impl<C> diesel::query_builder::QueryFragment<Db> for IdsIn<C>
where
    C: diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite>
        + diesel::query_builder::QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(
        &'b self,
        pass: diesel::query_builder::AstPass<'_, 'b, Db>,
    ) -> diesel::QueryResult<()> {
        Db::walk_variant_ast(self, pass)
    }
}

/// Filters of a timeline or an event search; empty lists and `None` filter nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Events on or after this date; excludes undated events.
    pub from: Option<NaiveDate>,
    /// Events on or before this date; excludes undated events.
    pub to: Option<NaiveDate>,
    /// Any of these kinds.
    pub kinds: Vec<EventKind>,
    /// Any of these actions (`filed`, `fine`, ...).
    pub actions: Vec<String>,
    /// Events carrying this tag.
    pub tag: Option<String>,
    /// Any of these review states.
    pub review: Vec<ReviewState>,
    /// Events with at least this confidence.
    pub min_confidence: Option<f64>,
    /// Text contained in the summary, the authority or a party's name (any case).
    pub text: Option<String>,
}

impl EventFilter {
    /// Whether a filter needs columns of `events` (beyond the date).
    fn touches_events(&self) -> bool {
        !self.kinds.is_empty()
            || !self.actions.is_empty()
            || self.tag.is_some()
            || !self.review.is_empty()
            || self.min_confidence.is_some()
            || self.text.is_some()
    }

    /// Whether undated events can match (a date range excludes them).
    fn allows_undated(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

/// A position in a newest-first listing: the last event of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cursor {
    pub occurred_on: Option<NaiveDate>,
    pub id: i64,
}

/// One page of a listing and where the next one starts (`None`: this is the last).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

/// A company an event involves.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCompany {
    pub company_id: i64,
    pub ticker: String,
    pub name: String,
    pub role: String,
}

/// The first evidence of an event, as shown in a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstEvidence {
    pub mention_id: i64,
    pub text: String,
    pub document_id: i64,
    pub title: Option<String>,
    pub url: Option<String>,
}

/// An event with what a listing shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub event: EventRow,
    pub companies: Vec<EventCompany>,
    pub tags: Vec<String>,
    pub first_evidence: Option<FirstEvidence>,
}

/// One piece of evidence with its document's metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub mention_id: i64,
    pub document_id: i64,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub rule: String,
    pub merge_reason: Option<String>,
    pub merge_score: Option<f64>,
}

/// One step of a thread (the lawsuit, then its settlement, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadStep {
    pub id: i64,
    pub action: String,
    pub status: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    pub date_precision: Option<String>,
}

/// Everything known about one event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDetail {
    pub view: EventView,
    pub evidence: Vec<Evidence>,
    /// The steps of the event's thread, oldest first (the event itself included).
    pub thread: Vec<ThreadStep>,
    pub history: Vec<AuditEntryRow>,
}

/// The thread an event belongs to: the first event of the thread, itself if first.
pub fn thread_key(event: &EventRow) -> i64 {
    event.thread_id.unwrap_or(event.id)
}

// ------------------------------------------------------------------ keyset scans

/// Which part of the newest-first order a scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Dated,
    Undated,
}

/// Adds the filters on kind, action, review state and confidence to a boxed
/// query, on the columns of that name of `$table` (`events`, or `timeline_items`,
/// which copies them).
macro_rules! filter_event_columns {
    ($query:ident, $filter:expr, $table:ident) => {{
        let filter: &EventFilter = $filter;
        if !filter.kinds.is_empty() {
            let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
            $query = $query.filter($table::kind.eq_any(kinds));
        }
        if !filter.actions.is_empty() {
            $query = $query.filter($table::action.eq_any(filter.actions.clone()));
        }
        if !filter.review.is_empty() {
            let states: Vec<&str> = filter.review.iter().map(|r| r.as_str()).collect();
            $query = $query.filter($table::review_state.eq_any(states));
        }
        if let Some(min) = filter.min_confidence {
            $query = $query.filter($table::confidence.ge(min));
        }
    }};
}
pub(crate) use filter_event_columns;

/// Adds the filters on `events` columns to a boxed query whose FROM has `events`.
macro_rules! filter_events {
    ($query:ident, $filter:expr) => {{
        let filter: &EventFilter = $filter;
        filter_event_columns!($query, filter, events);
        if let Some(tag) = &filter.tag {
            $query = $query.filter(
                events::id.eq_any(
                    event_tags::table
                        .inner_join(tags::table)
                        .filter(tags::name.eq(tag.clone()))
                        .select(event_tags::event_id),
                ),
            );
        }
        if let Some(text) = &filter.text {
            let pattern = like_pattern(text);
            $query = $query.filter(
                lower(events::summary)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower_opt(events::authority)
                        .like(pattern.clone())
                        .escape('\\')
                        .assume_not_null())
                    .or(lower(events::parties).like(pattern).escape('\\')),
            );
        }
    }};
}

/// Adds the keyset position, the date range and the order of one phase.
macro_rules! keyset {
    ($query:ident, $date:expr, $id:expr, $phase:expr, $after:expr, $filter:expr) => {{
        let filter: &EventFilter = $filter;
        let after: Option<Cursor> = $after;
        match $phase {
            Phase::Dated => {
                $query = $query.filter($date.is_not_null());
                if let Some(from) = filter.from {
                    $query = $query.filter($date.ge(from));
                }
                if let Some(to) = filter.to {
                    $query = $query.filter($date.le(to));
                }
                if let Some(Cursor {
                    occurred_on: Some(day),
                    id,
                }) = after
                {
                    // The first condition alone is an index bound; both together are the position.
                    $query = $query
                        .filter($date.le(day))
                        .filter($date.lt(day).or($id.lt(id)));
                }
                $query = $query.order(($date.desc(), $id.desc()));
            }
            Phase::Undated => {
                $query = $query.filter($date.is_null());
                if let Some(Cursor {
                    occurred_on: None,
                    id,
                }) = after
                {
                    $query = $query.filter($id.lt(id));
                }
                $query = $query.order($id.desc());
            }
        }
    }};
}

/// Up to `n` `(event id, date)` keys of one phase of a company's timeline.
/// An event with several roles has several rows; callers deduplicate.
fn scan_company(
    conn: &mut DbConnection,
    company_id: i64,
    filter: &EventFilter,
    phase: Phase,
    after: Option<Cursor>,
    n: i64,
) -> StoreResult<Vec<(i64, Option<NaiveDate>)>> {
    if filter.touches_events() {
        let mut query = event_companies::table
            .inner_join(events::table)
            .filter(event_companies::company_id.eq(company_id))
            .select((event_companies::event_id, event_companies::occurred_on))
            .into_boxed::<Db>();
        filter_events!(query, filter);
        keyset!(
            query,
            event_companies::occurred_on,
            event_companies::event_id,
            phase,
            after,
            filter
        );
        Ok(query.limit(n).load(conn)?)
    } else {
        let mut query = event_companies::table
            .filter(event_companies::company_id.eq(company_id))
            .select((event_companies::event_id, event_companies::occurred_on))
            .into_boxed::<Db>();
        keyset!(
            query,
            event_companies::occurred_on,
            event_companies::event_id,
            phase,
            after,
            filter
        );
        Ok(query.limit(n).load(conn)?)
    }
}

/// Up to `n` `(event id, date)` keys of one phase of all events.
fn scan_all(
    conn: &mut DbConnection,
    filter: &EventFilter,
    phase: Phase,
    after: Option<Cursor>,
    n: i64,
) -> StoreResult<Vec<(i64, Option<NaiveDate>)>> {
    let mut query = events::table
        .select((events::id, events::occurred_on))
        .into_boxed::<Db>();
    filter_events!(query, filter);
    keyset!(query, events::occurred_on, events::id, phase, after, filter);
    Ok(query.limit(n).load(conn)?)
}

/// The keys of one page: runs the dated phase, then the undated one, until
/// `limit` distinct events are found; says where the next page starts.
fn page_keys(
    limit: usize,
    after: Option<Cursor>,
    allows_undated: bool,
    mut scan: impl FnMut(Phase, Option<Cursor>, i64) -> StoreResult<Vec<(i64, Option<NaiveDate>)>>,
) -> StoreResult<Page<Cursor>> {
    let phases: &[Phase] = match after {
        Some(Cursor {
            occurred_on: None, ..
        }) => &[Phase::Undated],
        _ if allows_undated => &[Phase::Dated, Phase::Undated],
        _ => &[Phase::Dated],
    };
    let mut items: Vec<Cursor> = Vec::with_capacity(limit);
    for &phase in phases {
        // A dated cursor says nothing about where the undated phase starts.
        let mut position = match (phase, after) {
            (
                Phase::Undated,
                Some(Cursor {
                    occurred_on: Some(_),
                    ..
                }),
            ) => None,
            _ => after,
        };
        loop {
            // One row more than needed tells whether a next page exists.
            let fetch = limit - items.len() + 1;
            let rows = scan(phase, position, i64::try_from(fetch).unwrap_or(i64::MAX))?;
            let full = rows.len() == fetch;
            for (id, occurred_on) in rows {
                let key = Cursor { occurred_on, id };
                if items.last() == Some(&key) {
                    // The same event under another role.
                    continue;
                }
                if items.len() == limit {
                    let next = items.last().copied();
                    return Ok(Page { items, next });
                }
                items.push(key);
            }
            if !full {
                break;
            }
            // Repeated rows filled the fetch: read on after the last event.
            position = items.last().copied().or(position);
        }
    }
    Ok(Page { items, next: None })
}

/// A page of a company's timeline, newest first (see the module documentation).
pub fn timeline(
    conn: &mut DbConnection,
    company_id: i64,
    filter: &EventFilter,
    after: Option<Cursor>,
    limit: usize,
) -> StoreResult<Page<EventView>> {
    let keys = page_keys(
        limit,
        after,
        filter.allows_undated(),
        |phase, position, n| scan_company(conn, company_id, filter, phase, position, n),
    )?;
    hydrate_page(conn, keys)
}

/// A page of events matching `filter`, across companies, or of the companies in
/// `company_ids` when given (an event of several of them counts once).
pub fn search(
    conn: &mut DbConnection,
    company_id: Option<i64>,
    filter: &EventFilter,
    after: Option<Cursor>,
    limit: usize,
) -> StoreResult<Page<EventView>> {
    let keys = match company_id {
        Some(company_id) => page_keys(
            limit,
            after,
            filter.allows_undated(),
            |phase, position, n| scan_company(conn, company_id, filter, phase, position, n),
        )?,
        None => page_keys(
            limit,
            after,
            filter.allows_undated(),
            |phase, position, n| scan_all(conn, filter, phase, position, n),
        )?,
    };
    hydrate_page(conn, keys)
}

fn hydrate_page(conn: &mut DbConnection, keys: Page<Cursor>) -> StoreResult<Page<EventView>> {
    let ids: Vec<i64> = keys.items.iter().map(|k| k.id).collect();
    Ok(Page {
        items: load_views(conn, &ids)?,
        next: keys.next,
    })
}

/// The events of `ids` with their companies, tags and first evidence, in the order
/// of `ids`; ids that do not exist are left out.
pub fn load_views(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<Vec<EventView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: HashMap<i64, EventRow> = events::table
        .filter(ids_in(events::id, ids))
        .select(EventRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();

    let mut companies_of: HashMap<i64, Vec<EventCompany>> = HashMap::new();
    let links: Vec<(i64, i64, String, String, String)> = event_companies::table
        .inner_join(companies::table)
        .filter(ids_in(event_companies::event_id, ids))
        .order((event_companies::event_id, event_companies::id))
        .select((
            event_companies::event_id,
            companies::id,
            companies::ticker,
            companies::name,
            event_companies::role,
        ))
        .load(conn)?;
    for (event_id, company_id, ticker, name, role) in links {
        companies_of
            .entry(event_id)
            .or_default()
            .push(EventCompany {
                company_id,
                ticker,
                name,
                role,
            });
    }

    let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
    let tag_rows: Vec<(i64, String)> = event_tags::table
        .inner_join(tags::table)
        .filter(ids_in(event_tags::event_id, ids))
        .order((event_tags::event_id, tags::name))
        .select((event_tags::event_id, tags::name))
        .load(conn)?;
    for (event_id, name) in tag_rows {
        tags_of.entry(event_id).or_default().push(name);
    }

    let others = diesel::alias!(event_mentions as others);
    let first_ids = others
        .filter(ids_in(others.field(event_mentions::event_id), ids))
        .group_by(others.field(event_mentions::event_id))
        .select(min(others.field(event_mentions::id)).assume_not_null());
    type FirstRow = (i64, i64, String, i64, Option<String>, Option<String>);
    let firsts: Vec<FirstRow> = event_mentions::table
        .inner_join(documents::table)
        .filter(event_mentions::id.eq_any(first_ids))
        .select((
            event_mentions::event_id,
            event_mentions::id,
            event_mentions::snippet,
            documents::id,
            documents::title,
            documents::url,
        ))
        .load(conn)?;
    let mut first_of: HashMap<i64, FirstEvidence> = firsts
        .into_iter()
        .map(|(event_id, mention_id, text, document_id, title, url)| {
            (
                event_id,
                FirstEvidence {
                    mention_id,
                    text,
                    document_id,
                    title,
                    url,
                },
            )
        })
        .collect();

    Ok(ids
        .iter()
        .filter_map(|id| {
            rows.remove(id).map(|event| EventView {
                companies: companies_of.remove(id).unwrap_or_default(),
                tags: tags_of.remove(id).unwrap_or_default(),
                first_evidence: first_of.remove(id),
                event,
            })
        })
        .collect())
}

/// One event with its evidence, thread and history, or `None` if there is no such event.
pub fn detail(conn: &mut DbConnection, id: i64) -> StoreResult<Option<EventDetail>> {
    let Some(view) = load_views(conn, &[id])?.pop() else {
        return Ok(None);
    };
    let evidence = event_mentions::table
        .inner_join(documents::table)
        .filter(event_mentions::event_id.eq(id))
        .order(event_mentions::id)
        .select((
            event_mentions::id,
            documents::id,
            documents::title,
            documents::url,
            documents::published_at,
            event_mentions::start_offset,
            event_mentions::end_offset,
            event_mentions::snippet,
            event_mentions::rule,
            event_mentions::merge_reason,
            event_mentions::merge_score,
        ))
        .load::<(
            i64,
            i64,
            Option<String>,
            Option<String>,
            Option<NaiveDateTime>,
            i64,
            i64,
            String,
            String,
            Option<String>,
            Option<f64>,
        )>(conn)?
        .into_iter()
        .map(
            |(
                mention_id,
                document_id,
                title,
                url,
                published_at,
                start,
                end,
                text,
                rule,
                reason,
                score,
            )| {
                Evidence {
                    mention_id,
                    document_id,
                    title,
                    url,
                    published_at,
                    start,
                    end,
                    text,
                    rule,
                    merge_reason: reason,
                    merge_score: score,
                }
            },
        )
        .collect();
    let thread = thread_steps(conn, thread_key(&view.event))?;
    let history = history(conn, id)?;
    Ok(Some(EventDetail {
        view,
        evidence,
        thread,
        history,
    }))
}

/// The steps of the thread whose first event is `key`, oldest first; undated last.
pub fn thread_steps(conn: &mut DbConnection, key: i64) -> StoreResult<Vec<ThreadStep>> {
    let mut steps: Vec<ThreadStep> = events::table
        .filter(events::id.eq(key).or(events::thread_id.eq(key)))
        .select((
            events::id,
            events::action,
            events::status,
            events::occurred_on,
            events::date_precision,
        ))
        .load::<(
            i64,
            String,
            Option<String>,
            Option<NaiveDate>,
            Option<String>,
        )>(conn)?
        .into_iter()
        .map(
            |(id, action, status, occurred_on, date_precision)| ThreadStep {
                id,
                action,
                status,
                occurred_on,
                date_precision,
            },
        )
        .collect();
    steps.sort_by_key(|s| (s.occurred_on.is_none(), s.occurred_on, s.id));
    Ok(steps)
}

/// The audit entries of an event, oldest first.
pub fn history(conn: &mut DbConnection, event_id: i64) -> StoreResult<Vec<AuditEntryRow>> {
    Ok(audit_log::table
        .filter(audit_log::event_id.eq(event_id))
        .order((audit_log::at, audit_log::id))
        .select(AuditEntryRow::as_select())
        .load(conn)?)
}

/// Whether an event exists.
pub fn exists(conn: &mut DbConnection, id: i64) -> StoreResult<bool> {
    Ok(
        diesel::select(diesel::dsl::exists(events::table.filter(events::id.eq(id))))
            .get_result(conn)?,
    )
}

/// A document and the ids of the events it gives evidence for, or `None`.
pub fn document(conn: &mut DbConnection, id: i64) -> StoreResult<Option<(DocumentRow, Vec<i64>)>> {
    let Some(row) = documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let event_ids = event_mentions::table
        .filter(event_mentions::document_id.eq(id))
        .select(event_mentions::event_id)
        .distinct()
        .order(event_mentions::event_id)
        .load(conn)?;
    Ok(Some((row, event_ids)))
}

/// The newest events of the given companies (all companies when empty), by
/// creation: what a feed of new events shows.
pub fn newest(
    conn: &mut DbConnection,
    company_ids: &[i64],
    limit: i64,
) -> StoreResult<Vec<EventView>> {
    let mut query = events::table
        .select(events::id)
        .order(events::id.desc())
        .limit(limit)
        .into_boxed::<Db>();
    if !company_ids.is_empty() {
        query = query.filter(
            events::id.eq_any(
                event_companies::table
                    .filter(event_companies::company_id.eq_any(company_ids.to_vec()))
                    .select(event_companies::event_id),
            ),
        );
    }
    let ids: Vec<i64> = query.load(conn)?;
    load_views(conn, &ids)
}

/// All dated events of a company that are not rejected, newest first, at most `limit`.
pub fn dated_for_company(
    conn: &mut DbConnection,
    company_id: i64,
    limit: usize,
) -> StoreResult<Vec<EventView>> {
    let filter = EventFilter {
        review: vec![ReviewState::Unreviewed, ReviewState::Confirmed],
        // Any date: leaves undated events out.
        from: NaiveDate::from_ymd_opt(1, 1, 1),
        ..EventFilter::default()
    };
    Ok(timeline(conn, company_id, &filter, None, limit)?.items)
}

/// Counts of events and documents, for metrics.
pub fn totals(conn: &mut DbConnection) -> StoreResult<(i64, i64)> {
    let events: i64 = events::table.select(count_star()).get_result(conn)?;
    let documents: i64 = documents::table.select(count_star()).get_result(conn)?;
    Ok((events, documents))
}

/// Tags with the number of events carrying each, by name.
pub fn tag_counts(conn: &mut DbConnection) -> StoreResult<Vec<(String, i64)>> {
    Ok(tags::table
        .left_join(event_tags::table)
        .group_by((tags::id, tags::name))
        .order(tags::name)
        .select((
            tags::name,
            diesel::dsl::count(event_tags::event_id.nullable()),
        ))
        .load(conn)?)
}

// ------------------------------------------------------------------ risk summary

/// Statuses after which a lawsuit is no longer open.
pub const LAWSUIT_CLOSED_STATUSES: &[&str] = &[
    "settled",
    "dismissed",
    "ruled",
    "withdrawn",
    "resolved",
    "closed",
];
/// Actions after which a lawsuit is no longer open.
pub const LAWSUIT_CLOSING_ACTIONS: &[&str] = &[
    "settled",
    "settlement",
    "dismissed",
    "dismissal",
    "ruled",
    "verdict",
    "judgment",
    "withdrawn",
];
/// Regulatory actions that start a ban.
pub const BAN_ACTIONS: &[&str] = &["ban", "suspension", "revocation", "prohibition"];
/// Statuses and actions that end a ban or a halt.
pub const ENDED_STATUSES: &[&str] = &[
    "lifted",
    "resumed",
    "resolved",
    "closed",
    "withdrawn",
    "dismissed",
];
/// Actions that end a ban or a halt.
pub const ENDING_ACTIONS: &[&str] = &["lift", "lifted", "resumption", "resumed", "reinstatement"];

/// Events counted by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub lawsuit: i64,
    pub regulatory_action: i64,
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
    pub events_30d: KindCounts,
    pub events_90d: KindCounts,
    pub events_365d: KindCounts,
    pub open_lawsuits: i64,
    pub damages_sought_usd: i64,
    pub fines_usd: i64,
    pub active_bans: i64,
    pub active_halts: i64,
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

/// The risk summary of a company as of `today`. Rejected events count nowhere.
pub fn risk_summary(
    conn: &mut DbConnection,
    company_id: i64,
    today: NaiveDate,
) -> StoreResult<RiskSummary> {
    let rows: Vec<RiskRow> = event_companies::table
        .inner_join(events::table)
        .filter(event_companies::company_id.eq(company_id))
        .filter(events::review_state.ne(ReviewState::Rejected.as_str()))
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
        if row.kind == EventKind::Lawsuit.as_str() && row.action == "filed" {
            summary.damages_sought_usd = summary.damages_sought_usd.saturating_add(amount);
        }
        if row.kind == EventKind::RegulatoryAction.as_str()
            && matches!(row.action.as_str(), "fine" | "penalty")
        {
            summary.fines_usd = summary.fines_usd.saturating_add(amount);
        }
        threads
            .entry(row.thread_id.unwrap_or(row.id))
            .or_default()
            .push(row);
    }
    for steps in threads.values() {
        let Some(first) = steps
            .iter()
            .min_by_key(|r| (r.occurred_on.is_none(), r.occurred_on, r.id))
        else {
            continue;
        };
        let Some(latest) = steps
            .iter()
            .max_by_key(|r| (r.occurred_on.is_some(), r.occurred_on, r.id))
        else {
            continue;
        };
        let status = latest
            .thread_status
            .as_deref()
            .or(latest.status.as_deref())
            .unwrap_or("");
        let action = latest.action.as_str();
        match first.kind.parse::<EventKind>() {
            Ok(EventKind::Lawsuit) => {
                if !LAWSUIT_CLOSED_STATUSES.contains(&status)
                    && !LAWSUIT_CLOSING_ACTIONS.contains(&action)
                {
                    summary.open_lawsuits += 1;
                }
            }
            Ok(EventKind::RegulatoryAction) => {
                if BAN_ACTIONS.contains(&first.action.as_str())
                    && !ENDED_STATUSES.contains(&status)
                    && !ENDING_ACTIONS.contains(&action)
                {
                    summary.active_bans += 1;
                }
            }
            Ok(EventKind::ServiceHalt) => {
                if !ENDED_STATUSES.contains(&status) && !ENDING_ACTIONS.contains(&action) {
                    summary.active_halts += 1;
                }
            }
            Err(_) => {}
        }
    }
    let latest_filter = EventFilter {
        review: vec![ReviewState::Unreviewed, ReviewState::Confirmed],
        ..EventFilter::default()
    };
    summary.latest_event = timeline(conn, company_id, &latest_filter, None, 1)?
        .items
        .pop();
    Ok(summary)
}

/// The newest `updated_at` among all events, for caching feeds.
pub fn last_update(conn: &mut DbConnection) -> StoreResult<Option<NaiveDateTime>> {
    Ok(events::table
        .select(max(events::updated_at))
        .get_result(conn)?)
}

/// A LIKE pattern matching `text` anywhere, lower case, with wildcards escaped.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Companies by ticker after `after`, at most `limit` (for listing without a query).
pub fn companies_page(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<super::models::CompanyRow>> {
    let mut query = companies::table
        .select(super::models::CompanyRow::as_select())
        .order(companies::ticker)
        .limit(limit)
        .into_boxed::<Db>();
    if let Some(after) = after {
        query = query.filter(companies::ticker.gt(after.to_string()));
    }
    Ok(query.load(conn)?)
}

/// The company with this id, or `None`.
pub fn company(conn: &mut DbConnection, id: i64) -> StoreResult<Option<super::models::CompanyRow>> {
    Ok(companies::table
        .find(id)
        .select(super::models::CompanyRow::as_select())
        .first(conn)
        .optional()?)
}
