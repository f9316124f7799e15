//! Reading events: company timelines and event search with keyset pagination
//! ([`timeline`](mod@timeline)), the detail of one event and documents with their
//! events ([`detail`](mod@detail)), companies ([`company_list`](mod@company_list)), and a
//! company's risk summary ([`risk`](mod@risk), whose rules are the domain's).
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
//!     println!("{} {}", view.event.id, view.event.fields.summary);
//! }
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use crate::store::models::{
    AuditEntryRow, DocumentRow, EventKind, EventMentionRow, EventRow, ReviewState,
};
use crate::store::schema::{
    audit_log, companies, documents, event_companies, event_mentions, event_tags, events, tags,
};
use crate::store::DbConnection;
use crate::store::StoreResult;

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
    /// Date of that event (`events.occurred_on`); `None` when it is undated.
    pub occurred_on: Option<NaiveDate>,
    /// Database id of that event (`events.id`): the tie-breaker among equal dates.
    pub id: i64,
}

/// One page of a listing and where the next one starts (`None`: this is the last).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page's items, in listing order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` when this is the last page.
    pub next: Option<Cursor>,
}

/// A company an event involves.
#[derive(Debug, Clone, PartialEq)]
pub struct EventCompany {
    /// Database id of the company (`companies.id`).
    pub company_id: i64,
    /// The company's ticker (`companies.ticker`).
    pub ticker: String,
    /// The company's name (`companies.name`).
    pub name: String,
    /// How the company takes part (`event_companies.role`), e.g. `defendant`.
    pub role: String,
}

/// The first evidence of an event, as shown in a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstEvidence {
    /// Database id of the mention (`event_mentions.id`): the event's first, by id.
    pub mention_id: i64,
    /// The mention's snippet (`event_mentions.snippet`).
    pub text: String,
    /// Database id of the document the mention is in (`documents.id`).
    pub document_id: i64,
    /// That document's title (`documents.title`); `None` when it has none.
    pub title: Option<String>,
    /// That document's URL (`documents.url`); `None` when it has none.
    pub url: Option<String>,
}

/// An event with what a listing shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    /// The stored event.
    pub event: EventRow,
    /// The listed companies it involves, in the order they were linked.
    pub companies: Vec<EventCompany>,
    /// Its tag names, in alphabetical order.
    pub tags: Vec<String>,
    /// Its first mention; `None` for an event without evidence.
    pub first_evidence: Option<FirstEvidence>,
    /// When an analyst retracted it (`events.retracted_at`); `None` while it
    /// stands. Retracted events are left out of timelines and searches.
    pub retracted_at: Option<NaiveDateTime>,
}

/// One piece of evidence: the mention with its document's metadata.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = documents)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Evidence {
    /// The stored mention (`event_mentions`).
    #[diesel(embed)]
    pub mention: EventMentionRow,
    /// The document's title (`documents.title`); `None` when it has none.
    pub title: Option<String>,
    /// The document's URL (`documents.url`); `None` when it has none.
    pub url: Option<String>,
    /// The document's publication time, UTC (`documents.published_at`); `None` when unknown.
    pub published_at: Option<NaiveDateTime>,
}

/// One step of a thread (the lawsuit, then its settlement, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadStep {
    /// Database id of the step's event (`events.id`).
    pub id: i64,
    /// The step's action word (`events.action`), e.g. `filed`, `settled`.
    pub action: String,
    /// The step's own status (`events.status`); `None` when not stated.
    pub status: Option<String>,
    /// The step's date (`events.occurred_on`); `None` when undated.
    pub occurred_on: Option<NaiveDate>,
    /// How much of that date is known: `day`, `month` or `year`; `None` when undated.
    pub date_precision: Option<String>,
    /// Why the step joined the thread, or that it stands alone (`events.thread_reason`);
    /// `None` for the first step and for steps linked before reasons were kept.
    pub reason: Option<String>,
}

/// Everything known about one event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDetail {
    /// The event with its companies, tags and first evidence.
    pub view: EventView,
    /// All its mentions, in the order they were stored, with their documents' metadata.
    pub evidence: Vec<Evidence>,
    /// The steps of the event's thread, oldest first (the event itself included).
    pub thread: Vec<ThreadStep>,
    /// Its audit trail, oldest first (`audit_log` rows of the event).
    pub history: Vec<AuditEntryRow>,
}

/// The thread an event belongs to: the first event of the thread, itself if first.
pub fn thread_key(event: &EventRow) -> i64 {
    event.fields.thread_id.unwrap_or(event.id)
}

mod company_list;
mod detail;
mod risk;
mod timeline;

pub use company_list::{companies_page, company};
pub use detail::{
    dated_for_company, detail, document, exists, history, last_update, newest, tag_counts,
    thread_steps, totals,
};
pub use risk::{risk_summary, risk_summary_of, KindCounts, RiskSummary};
pub(crate) use timeline::filter_event_columns;
pub use timeline::{load_views, search, search_companies, timeline};
