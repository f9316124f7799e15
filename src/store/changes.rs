//! The changes feed: every change a consumer may follow, in an order that a
//! reader polling with a cursor never skips a change in.
//!
//! Each write transaction that changes an event (created, updated, merged,
//! split, reviewed, tagged, untagged, retracted) or adds a company appends a row
//! to `changes` in the same transaction ([`record`]; analysts' writes go through
//! [`super::audit::record`], ingestion records its own). The row says what
//! happened and to which event; the event's state is read when the feed is.
//!
//! ## Why the order is `(txid, id)` and not `id`
//!
//! On PostgreSQL an identity value is taken when a row is inserted, not when its
//! transaction commits: a transaction may insert change 10 and commit while the
//! one that inserted change 9 is still running. A reader that took 10 and moved
//! its cursor past it would never see 9. So each row also keeps the id of the
//! transaction that wrote it (`txid`, the 64-bit `pg_current_xact_id()`), and a
//! reader:
//!
//! - orders by `(txid, id)`;
//! - takes only rows whose `txid` is below `pg_snapshot_xmin(pg_current_snapshot())`,
//!   the oldest transaction still running. Every transaction below it has ended,
//!   and any transaction that has not written yet will get a larger id, so the
//!   feed below that bound is final: no row can appear before a cursor taken
//!   from it.
//!
//! A long transaction holds the feed back (never loses a change). On SQLite one
//! writer commits at a time, so `id` order is commit order and `txid` is 0.
//!
//! ```no_run
//! use riskline::store::{changes, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let page = changes::after(&mut conn, changes::Position::START, 100)?;
//! for change in &page {
//!     println!("{} {:?}", change.kind, change.event_id);
//! }
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::changes;
use super::{now, DbConnection, StoreResult};

type Db = <DbConnection as diesel::Connection>::Backend;

crate::domain::text_enum! {
    /// What a change did.
    ChangeKind ("change kind") {
        /// An event was stored for the first time (ingested, entered, or split off).
        EventCreated => "event_created",
        /// An analyst corrected an event's fields.
        EventUpdated => "event_updated",
        /// A report was merged into a known event (new evidence, maybe new fields).
        EventMerged => "event_merged",
        /// Evidence was moved out of an event into a new one.
        EventSplit => "event_split",
        /// An analyst reviewed an event (confirmed, rejected, back to unreviewed).
        EventReviewed => "event_reviewed",
        /// A tag was put on an event.
        EventTagged => "event_tagged",
        /// A tag was taken off an event.
        EventUntagged => "event_untagged",
        /// An analyst retracted an event: it left timelines and searches.
        EventRetracted => "event_retracted",
        /// A company was added.
        CompanyAdded => "company_added",
    }
}

impl ChangeKind {
    /// The change an audit entry stands for, if any: `(entity, action)` as
    /// [`super::audit::record`] takes them.
    pub fn of_audit(entity: &str, action: &str) -> Option<ChangeKind> {
        Some(match (entity, action) {
            ("event", "create") => ChangeKind::EventCreated,
            ("event", "correct") => ChangeKind::EventUpdated,
            ("event", "review") => ChangeKind::EventReviewed,
            ("event", "split") => ChangeKind::EventSplit,
            ("event", "retract") => ChangeKind::EventRetracted,
            ("event_tag", "tag") => ChangeKind::EventTagged,
            ("event_tag", "untag") => ChangeKind::EventUntagged,
            ("company", "create") => ChangeKind::CompanyAdded,
            _ => return None,
        })
    }
}

/// A place in the feed: the last change a reader has (its `txid` and `id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// The writing transaction's id (0 on SQLite).
    pub txid: i64,
    /// The change's id.
    pub id: i64,
}

impl Position {
    /// Before the first change.
    pub const START: Position = Position { txid: 0, id: 0 };
}

/// A change as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = changes)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ChangeRow {
    /// Its id (`changes.id`).
    pub id: i64,
    /// The writing transaction's id (`changes.txid`), 0 on SQLite.
    pub txid: i64,
    /// What happened, one of [`ChangeKind`] (`changes.kind`).
    pub kind: String,
    /// The event it is about (`changes.event_id`); `None` for a company.
    pub event_id: Option<i64>,
    /// The company it is about (`changes.company_id`); `None` for an event.
    pub company_id: Option<i64>,
    /// Who made it: a key's name, or `ingest` (`changes.actor`).
    pub actor: String,
    /// When, UTC (`changes.at`).
    pub at: NaiveDateTime,
}

impl ChangeRow {
    /// Where this change is in the feed.
    pub fn position(&self) -> Position {
        Position {
            txid: self.txid,
            id: self.id,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = changes)]
struct NewChange<'a> {
    kind: &'a str,
    event_id: Option<i64>,
    company_id: Option<i64>,
    actor: &'a str,
    at: NaiveDateTime,
}

/// Appends a change; call inside the write transaction that makes it.
pub fn record(
    conn: &mut DbConnection,
    kind: ChangeKind,
    event_id: Option<i64>,
    company_id: Option<i64>,
    actor: &str,
) -> StoreResult<()> {
    diesel::insert_into(changes::table)
        .values(&NewChange {
            kind: kind.as_str(),
            event_id,
            company_id,
            actor,
            at: now(),
        })
        .execute(conn)?;
    Ok(())
}

/// Appends one change of `kind` per event (ingestion's batches), a few
/// hundred rows a statement.
pub fn record_events(
    conn: &mut DbConnection,
    kind: ChangeKind,
    event_ids: &[i64],
    actor: &str,
) -> StoreResult<()> {
    let at = now();
    let rows: Vec<NewChange<'_>> = event_ids
        .iter()
        .map(|&id| NewChange {
            kind: kind.as_str(),
            event_id: Some(id),
            company_id: None,
            actor,
            at,
        })
        .collect();
    // The multi-connection has no batch insert: each backend's own.
    for chunk in rows.chunks(super::backend::BATCH_ROWS) {
        match &mut *conn {
            DbConnection::Sqlite(c) => diesel::insert_into(changes::table)
                .values(chunk)
                .execute(c)?,
            DbConnection::Pg(c) => diesel::insert_into(changes::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(())
}

/// The SQL bound below which PostgreSQL's feed is final (see the module
/// documentation).
const PG_FINAL_BELOW: &str = "changes.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

/// Up to `limit` changes after `after`, in feed order, all of them final: a
/// later call with the last one's position returns every change after it.
pub fn after(conn: &mut DbConnection, after: Position, limit: i64) -> StoreResult<Vec<ChangeRow>> {
    let mut query = changes::table
        .select(ChangeRow::as_select())
        .filter(
            changes::txid
                .gt(after.txid)
                .or(changes::txid.eq(after.txid).and(changes::id.gt(after.id))),
        )
        .order((changes::txid.asc(), changes::id.asc()))
        .limit(limit)
        .into_boxed::<Db>();
    if matches!(conn, DbConnection::Pg(_)) {
        query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(PG_FINAL_BELOW));
    }
    Ok(query.load(conn)?)
}

/// The position of the last final change, or [`Position::START`] for an empty
/// feed: where a consumer that wants only future changes starts.
pub fn latest(conn: &mut DbConnection) -> StoreResult<Position> {
    let mut query = changes::table
        .select((changes::txid, changes::id))
        .order((changes::txid.desc(), changes::id.desc()))
        .limit(1)
        .into_boxed::<Db>();
    if matches!(conn, DbConnection::Pg(_)) {
        query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(PG_FINAL_BELOW));
    }
    let last: Option<(i64, i64)> = query.first(conn).optional()?;
    Ok(last.map_or(Position::START, |(txid, id)| Position { txid, id }))
}
