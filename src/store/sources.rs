//! Live sources (`sources`) and the items they handed over (`source_items`): what
//! `riskline watch` polls, its polling state, its counters, and who polls it now.
//!
//! No HTTP here: the poller ([`crate::watch`]) fetches, this module remembers.
//!
//! - A source is claimed for one poll with a lease ([`claim_due`]): on PostgreSQL
//!   the due rows are locked with `FOR UPDATE SKIP LOCKED` and stamped with the
//!   owner and an expiry in one transaction, so that several processes on one
//!   database each take other sources; on SQLite the write transaction
//!   (`BEGIN IMMEDIATE`) serialises claimers. A poller that dies keeps its lease
//!   until it expires; then another process takes the source.
//! - [`finish`] writes a poll's outcome (validators, error, counters, next due
//!   time) only while the caller still holds the lease, and releases it.
//! - Items are remembered by key (feed id, link, accession number) once each
//!   ([`record_item`]); [`seen_keys`] tells a poller which it has handled.
//!
//! ```no_run
//! use riskline::store::sources::{self, NewSource, SourceType};
//! let store = riskline::store::Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let source = NewSource::new("wire", SourceType::Feed, 600, riskline::store::now())
//!     .with_url("https://news.example/rss");
//! let row = sources::add(&mut conn, &source)?;
//! let at = riskline::store::now();
//! let claimed = sources::claim_due(&mut conn, "host-1", at, at, 300, 10)?;
//! assert!(claimed.iter().any(|s| s.id == row.id));
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::backend::raw_write_transaction;
use super::schema::{source_items, sources};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::text_enum;

text_enum! {
    /// `sources.kind`: what a source is and how it is polled.
    SourceType ("source type") {
        /// An RSS or Atom feed at `url`.
        Feed => "feed",
        /// The filings of one company on EDGAR (its submissions index), by `cik`.
        EdgarCompany => "edgar_company",
        /// EDGAR's feed of the latest filings, filtered by form type.
        EdgarLatest => "edgar_latest",
    }
}

text_enum! {
    /// `source_items.status`: what became of an item.
    ItemStatus ("item status") {
        /// Stored as a new document.
        Stored => "stored",
        /// Its content was stored before (by another source, or by `ingest`).
        Known => "known",
        /// It could not be stored; `error` says why.
        Failed => "failed",
    }
}

/// A source's columns (`sources` without its id).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sources, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewSource {
    /// Unique name, used by `riskline sources remove` and in reports.
    pub name: String,
    /// One of [`SourceType`].
    pub kind: String,
    /// The feed's address (feeds); an address overriding EDGAR's (others).
    pub url: Option<String>,
    /// The company's CIK (`edgar_company`).
    pub cik: Option<i64>,
    /// The company's ticker, as given when the source was added.
    pub ticker: Option<String>,
    /// Form types to keep, comma-separated; empty keeps all.
    pub forms: String,
    /// Whether a summary-only feed item gets its article page fetched.
    pub fetch_pages: bool,
    /// Seconds between polls.
    pub interval_secs: i64,
    /// Whether the source is polled at all.
    pub enabled: bool,
    /// The `ETag` of the last complete answer.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last complete answer.
    pub last_modified: Option<String>,
    /// When the source is due, UTC.
    pub next_due_at: NaiveDateTime,
    /// When a poll last ended, UTC.
    pub last_polled_at: Option<NaiveDateTime>,
    /// When a poll last succeeded, UTC.
    pub last_success_at: Option<NaiveDateTime>,
    /// Why the last poll failed; `None` when it succeeded.
    pub last_error: Option<String>,
    /// Polls failed in a row (drives the backoff).
    pub consecutive_failures: i64,
    /// Polls done.
    pub polls: i64,
    /// Polls answered `304 Not Modified`.
    pub not_modified: i64,
    /// HTTP requests made.
    pub requests: i64,
    /// Bytes of answers read.
    pub bytes_fetched: i64,
    /// Items stored as new documents.
    pub items_new: i64,
    /// Items whose content was stored before.
    pub items_known: i64,
    /// Items that could not be stored.
    pub items_failed: i64,
    /// Polls that failed.
    pub errors: i64,
    /// The process polling the source now.
    pub lease_owner: Option<String>,
    /// When that process's lease lapses, UTC.
    pub lease_expires_at: Option<NaiveDateTime>,
    /// When the source was added, UTC.
    pub created_at: NaiveDateTime,
}

impl NewSource {
    /// A new enabled source due at `now`, with no state.
    pub fn new(name: &str, kind: SourceType, interval_secs: i64, now: NaiveDateTime) -> NewSource {
        NewSource {
            name: name.to_string(),
            kind: kind.as_str().to_string(),
            url: None,
            cik: None,
            ticker: None,
            forms: String::new(),
            fetch_pages: false,
            interval_secs,
            enabled: true,
            etag: None,
            last_modified: None,
            next_due_at: now,
            last_polled_at: None,
            last_success_at: None,
            last_error: None,
            consecutive_failures: 0,
            polls: 0,
            not_modified: 0,
            requests: 0,
            bytes_fetched: 0,
            items_new: 0,
            items_known: 0,
            items_failed: 0,
            errors: 0,
            lease_owner: None,
            lease_expires_at: None,
            created_at: now,
        }
    }

    /// The same source with its address.
    pub fn with_url(mut self, url: &str) -> NewSource {
        self.url = Some(url.to_string());
        self
    }
}

/// A source as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sources)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct SourceRow {
    /// Database id (`sources.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewSource,
}

impl SourceRow {
    /// The source's type; `Feed` for a value the schema would not allow.
    pub fn kind(&self) -> SourceType {
        self.fields.kind.parse().unwrap_or(SourceType::Feed)
    }

    /// The form types to keep, upper case; empty keeps all.
    pub fn forms(&self) -> Vec<String> {
        split_forms(&self.fields.forms)
    }
}

/// Form types from a comma-separated list, trimmed and upper case.
pub fn split_forms(text: &str) -> Vec<String> {
    text.split(',')
        .map(|f| f.trim().to_ascii_uppercase())
        .filter(|f| !f.is_empty())
        .collect()
}

/// An item's columns (`source_items` without its id).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = source_items, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewSourceItem {
    /// The source it came from.
    pub source_id: i64,
    /// Its identity within the source: feed id, link, accession number or content hash.
    pub item_key: String,
    /// Its address, when it has one.
    pub url: Option<String>,
    /// The sha256 of the content stored, when it was read.
    pub content_hash: Option<String>,
    /// The document it became (or was found to be).
    pub document_id: Option<i64>,
    /// One of [`ItemStatus`].
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// When it was handled, UTC.
    pub seen_at: NaiveDateTime,
}

/// An item as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = source_items)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct SourceItemRow {
    /// Database id (`source_items.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewSourceItem,
}

/// Adds a source; [`StoreError::Conflict`] when its name is taken.
pub fn add(conn: &mut DbConnection, source: &NewSource) -> StoreResult<SourceRow> {
    raw_write_transaction(conn, |conn| {
        let taken: bool = diesel::select(diesel::dsl::exists(
            sources::table.filter(sources::name.eq(&source.name)),
        ))
        .get_result(conn)?;
        if taken {
            return Err(StoreError::Conflict(format!(
                "a source named {:?} exists",
                source.name
            )));
        }
        diesel::insert_into(sources::table)
            .values(source)
            .execute(conn)?;
        Ok(sources::table
            .filter(sources::name.eq(&source.name))
            .select(SourceRow::as_select())
            .first(conn)?)
    })
}

/// Every source, by id.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<SourceRow>> {
    Ok(sources::table
        .order(sources::id)
        .select(SourceRow::as_select())
        .load(conn)?)
}

/// The source with this id, or with this name.
pub fn find(conn: &mut DbConnection, id_or_name: &str) -> StoreResult<Option<SourceRow>> {
    let by_name = sources::table
        .filter(sources::name.eq(id_or_name))
        .select(SourceRow::as_select())
        .first(conn)
        .optional()?;
    if by_name.is_some() {
        return Ok(by_name);
    }
    match id_or_name.trim().parse::<i64>() {
        Ok(id) => get(conn, id),
        Err(_) => Ok(None),
    }
}

/// The source with this id.
pub fn get(conn: &mut DbConnection, id: i64) -> StoreResult<Option<SourceRow>> {
    Ok(sources::table
        .find(id)
        .select(SourceRow::as_select())
        .first(conn)
        .optional()?)
}

/// Removes a source and its item records (the documents stay); `false` when there is none.
pub fn remove(conn: &mut DbConnection, id: i64) -> StoreResult<bool> {
    raw_write_transaction(conn, |conn| {
        diesel::delete(source_items::table.filter(source_items::source_id.eq(id))).execute(conn)?;
        let n = diesel::delete(sources::table.find(id)).execute(conn)?;
        Ok::<_, StoreError>(n > 0)
    })
}

/// Takes up to `limit` enabled sources due by `due_by` that no one holds a lease
/// on at `now` (or whose lease lapsed), leases them to `owner` for `lease_secs`,
/// and returns them, earliest due first.
pub fn claim_due(
    conn: &mut DbConnection,
    owner: &str,
    now: NaiveDateTime,
    due_by: NaiveDateTime,
    lease_secs: i64,
    limit: i64,
) -> StoreResult<Vec<SourceRow>> {
    let expires = now + chrono::Duration::seconds(lease_secs.max(1));
    raw_write_transaction(conn, |conn| {
        let due = sources::table
            .filter(sources::enabled.eq(true))
            .filter(sources::next_due_at.le(due_by))
            .filter(
                sources::lease_expires_at
                    .is_null()
                    .or(sources::lease_expires_at.lt(now)),
            )
            .order((sources::next_due_at, sources::id))
            .limit(limit)
            .select(sources::id);
        let ids: Vec<i64> = match conn {
            // Rows another process is claiming are skipped, not waited for.
            DbConnection::Pg(pg) => due.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(sources::table.filter(sources::id.eq_any(&ids)))
            .set((
                sources::lease_owner.eq(Some(owner)),
                sources::lease_expires_at.eq(Some(expires)),
            ))
            .execute(conn)?;
        Ok::<_, StoreError>(
            sources::table
                .filter(sources::id.eq_any(&ids))
                .order((sources::next_due_at, sources::id))
                .select(SourceRow::as_select())
                .load(conn)?,
        )
    })
}

/// Extends the lease `owner` holds on a source; `false` when it holds none.
pub fn renew_lease(
    conn: &mut DbConnection,
    id: i64,
    owner: &str,
    until: NaiveDateTime,
) -> StoreResult<bool> {
    let n = diesel::update(
        sources::table
            .find(id)
            .filter(sources::lease_owner.eq(owner)),
    )
    .set(sources::lease_expires_at.eq(Some(until)))
    .execute(conn)?;
    Ok(n > 0)
}

/// Gives back the lease `owner` holds on a source, changing nothing else.
pub fn release(conn: &mut DbConnection, id: i64, owner: &str) -> StoreResult<()> {
    diesel::update(
        sources::table
            .find(id)
            .filter(sources::lease_owner.eq(owner)),
    )
    .set((
        sources::lease_owner.eq(None::<String>),
        sources::lease_expires_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// What one poll of a source did, for [`finish`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollRecord {
    /// When the poll ended.
    pub polled_at: NaiveDateTime,
    /// When the source is due next.
    pub next_due_at: NaiveDateTime,
    /// New `(ETag, Last-Modified)`; `None` keeps the stored ones.
    pub validators: Option<(Option<String>, Option<String>)>,
    /// Why the poll failed; `None` when it succeeded.
    pub error: Option<String>,
    /// Whether the answer was `304 Not Modified`.
    pub not_modified: bool,
    /// HTTP requests made.
    pub requests: i64,
    /// Bytes read.
    pub bytes: i64,
    /// Items stored as new documents.
    pub items_new: i64,
    /// Items found stored before.
    pub items_known: i64,
    /// Items that could not be stored.
    pub items_failed: i64,
}

/// Writes the outcome of a poll and releases the lease, if `owner` still holds
/// it; `false` when it does not (its lease lapsed and another process took the
/// source: then nothing is written).
pub fn finish(
    conn: &mut DbConnection,
    id: i64,
    owner: &str,
    poll: &PollRecord,
) -> StoreResult<bool> {
    use sources::dsl as s;
    let failed = poll.error.is_some();
    raw_write_transaction(conn, |conn| {
        let target = s::sources.find(id).filter(s::lease_owner.eq(owner));
        let n = diesel::update(target)
            .set((
                s::last_polled_at.eq(Some(poll.polled_at)),
                s::next_due_at.eq(poll.next_due_at),
                s::last_error.eq(poll.error.as_deref()),
                s::polls.eq(s::polls + 1),
                s::not_modified.eq(s::not_modified + i64::from(poll.not_modified)),
                s::requests.eq(s::requests + poll.requests),
                s::bytes_fetched.eq(s::bytes_fetched + poll.bytes),
                s::items_new.eq(s::items_new + poll.items_new),
                s::items_known.eq(s::items_known + poll.items_known),
                s::items_failed.eq(s::items_failed + poll.items_failed),
                s::errors.eq(s::errors + i64::from(failed)),
                s::lease_owner.eq(None::<String>),
                s::lease_expires_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        if n == 0 {
            return Ok(false);
        }
        if failed {
            diesel::update(s::sources.find(id))
                .set(s::consecutive_failures.eq(s::consecutive_failures + 1))
                .execute(conn)?;
        } else {
            diesel::update(s::sources.find(id))
                .set((
                    s::consecutive_failures.eq(0),
                    s::last_success_at.eq(Some(poll.polled_at)),
                ))
                .execute(conn)?;
        }
        if let Some((etag, last_modified)) = &poll.validators {
            diesel::update(s::sources.find(id))
                .set((s::etag.eq(etag), s::last_modified.eq(last_modified)))
                .execute(conn)?;
        }
        Ok::<_, StoreError>(true)
    })
}

/// Which of `keys` the source has handled already.
pub fn seen_keys(
    conn: &mut DbConnection,
    source_id: i64,
    keys: &[String],
) -> StoreResult<HashSet<String>> {
    let mut seen = HashSet::new();
    for chunk in keys.chunks(500) {
        let found: Vec<String> = source_items::table
            .filter(source_items::source_id.eq(source_id))
            .filter(source_items::item_key.eq_any(chunk))
            .select(source_items::item_key)
            .load(conn)?;
        seen.extend(found);
    }
    Ok(seen)
}

/// Remembers an item; `false` when the source had it already (nothing changes).
pub fn record_item(conn: &mut DbConnection, item: &NewSourceItem) -> StoreResult<bool> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        source_items::table
            .filter(source_items::source_id.eq(item.source_id))
            .filter(source_items::item_key.eq(&item.item_key)),
    ))
    .get_result(conn)?;
    if exists {
        return Ok(false);
    }
    match diesel::insert_into(source_items::table)
        .values(item)
        .execute(conn)
    {
        Ok(_) => Ok(true),
        // Another poller recorded it meanwhile.
        Err(e) => match StoreError::from(e) {
            StoreError::Duplicate(_) => Ok(false),
            other => Err(other),
        },
    }
}

/// The items of a source, latest first: at most `limit`, of `status` when
/// given, with ids below `before` when given (the next page).
pub fn items(
    conn: &mut DbConnection,
    source_id: i64,
    status: Option<ItemStatus>,
    before: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<SourceItemRow>> {
    let mut query = source_items::table
        .filter(source_items::source_id.eq(source_id))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(source_items::status.eq(status.as_str()));
    }
    if let Some(before) = before {
        query = query.filter(source_items::id.lt(before));
    }
    Ok(query
        .order(source_items::id.desc())
        .limit(limit)
        .select(SourceItemRow::as_select())
        .load(conn)?)
}
