//! The statements that must be written per backend, in one place.
//!
//! diesel's multi-connection runs ordinary selects, single-row inserts, updates
//! and deletes on either backend, but not batch inserts nor `ON CONFLICT`
//! clauses. Each function here matches on the connection's variant and runs the
//! same diesel expression on the concrete connection ([`each_backend!`] writes
//! it once and compiles it twice). SQLite write transactions start with
//! `BEGIN IMMEDIATE` ([`write_transaction`]), so that two writers queue on the
//! busy timeout instead of failing when a read lock is upgraded.
//!
//! Batches are split into chunks so that one statement stays below both
//! engines' limits on bound parameters (32766 on SQLite, 65535 on PostgreSQL).

use diesel::connection::{AnsiTransactionManager, CacheSize, TransactionManager};
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::models::{
    NewCompany, NewCompanyAlias, NewDocument, NewEvent, NewEventCompany, NewEventMention,
    NewEventTag, NewTag,
};
use super::schema::{
    companies, company_aliases, documents, event_companies, event_mentions, event_tags, events,
    tags,
};
use super::DbConnection;
use super::{StoreError, StoreResult};

/// Rows per insert statement: at most 10 columns each, well below both limits.
pub const BATCH_ROWS: usize = 1_000;

/// Runs `$body` with `$c` bound to the concrete connection of either backend.
///
/// ```text
/// each_backend!(conn, c => diesel::insert_into(tags::table).values(rows).execute(c))
/// ```
macro_rules! each_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            DbConnection::Sqlite($c) => $body,
            DbConnection::Pg($c) => $body,
        }
    };
}

/// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite, a plain
/// transaction on PostgreSQL; inside a transaction already, a savepoint.
/// Commits when `f` returns `Ok`, rolls back otherwise. The outermost
/// transaction rebuilds the timeline items its changes made stale before it
/// commits ([`super::items`]), so that no reader sees an outdated item.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError>,
{
    let outermost = transaction_depth(conn)?.is_none();
    raw_write_transaction(conn, |conn| {
        let value = f(conn)?;
        if outermost {
            super::items::refresh_stale(conn, None)?;
        }
        Ok(value)
    })
}

fn transaction_depth(conn: &mut DbConnection) -> StoreResult<Option<std::num::NonZeroU32>> {
    Ok(
        each_backend!(conn, c => AnsiTransactionManager::transaction_manager_status_mut(c)
        .transaction_depth())?,
    )
}

/// [`write_transaction`] without the rebuild of stale timeline items.
pub(crate) fn raw_write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError>,
{
    type Manager = <DbConnection as Connection>::TransactionManager;
    let nested = transaction_depth(conn)?.is_some();
    match conn {
        // The multi-connection's transaction manager delegates to the SQLite
        // one, which then holds the open transaction.
        DbConnection::Sqlite(sqlite) if !nested => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")
                .map_err(StoreError::from)?;
        }
        _ => Manager::begin_transaction(conn).map_err(StoreError::from)?,
    }
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn).map_err(StoreError::from)?;
            Ok(value)
        }
        Err(err) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(err),
            Err(rollback) => Err(StoreError::from(rollback).into()),
        },
    }
}

/// Inserts rows of `timeline_items`; returns how many.
pub fn insert_timeline_items(
    conn: &mut DbConnection,
    rows: &[super::items::NewTimelineItem],
) -> StoreResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH_ROWS) {
        inserted += each_backend!(&mut *conn, c => {
            diesel::insert_into(super::schema::timeline_items::table)
                .values(chunk)
                .execute(c)?
        });
    }
    Ok(inserted)
}

/// Inserts companies, or updates name, CIK, exchange and `updated_at` of those
/// whose ticker exists; returns `(id, ticker)` of every row written.
pub fn upsert_companies(
    conn: &mut DbConnection,
    rows: &[NewCompany],
) -> StoreResult<Vec<(i64, String)>> {
    let mut written = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH_ROWS) {
        let ids: Vec<(i64, String)> = each_backend!(&mut *conn, c => {
            diesel::insert_into(companies::table)
                .values(chunk)
                .on_conflict(companies::ticker)
                .do_update()
                .set((
                    companies::name.eq(excluded(companies::name)),
                    companies::cik.eq(excluded(companies::cik)),
                    companies::exchange.eq(excluded(companies::exchange)),
                    companies::updated_at.eq(excluded(companies::updated_at)),
                ))
                .returning((companies::id, companies::ticker))
                .get_results(c)?
        });
        written.extend(ids);
    }
    Ok(written)
}

/// Inserts aliases, skipping those a company already has (same normalized
/// text and kind); returns how many were inserted.
pub fn insert_aliases(conn: &mut DbConnection, rows: &[NewCompanyAlias]) -> StoreResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH_ROWS) {
        inserted += each_backend!(&mut *conn, c => {
            diesel::insert_into(company_aliases::table)
                .values(chunk)
                .on_conflict((
                    company_aliases::company_id,
                    company_aliases::alias_norm,
                    company_aliases::kind,
                ))
                .do_nothing()
                .execute(c)?
        });
    }
    Ok(inserted)
}

/// Links companies to events, skipping links that exist (same event, company
/// and role); returns how many were inserted.
pub fn insert_event_companies(
    conn: &mut DbConnection,
    rows: &[NewEventCompany],
) -> StoreResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH_ROWS) {
        inserted += each_backend!(&mut *conn, c => {
            diesel::insert_into(event_companies::table)
                .values(chunk)
                .on_conflict((
                    event_companies::event_id,
                    event_companies::company_id,
                    event_companies::role,
                ))
                .do_nothing()
                .execute(c)?
        });
    }
    Ok(inserted)
}

/// Inserts evidence, skipping mentions that exist (same event, document and
/// start offset); returns how many were inserted.
pub fn insert_event_mentions(
    conn: &mut DbConnection,
    rows: &[NewEventMention],
) -> StoreResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH_ROWS) {
        inserted += each_backend!(&mut *conn, c => {
            diesel::insert_into(event_mentions::table)
                .values(chunk)
                .on_conflict((
                    event_mentions::event_id,
                    event_mentions::document_id,
                    event_mentions::start_offset,
                ))
                .do_nothing()
                .execute(c)?
        });
    }
    Ok(inserted)
}

/// Creates the tags that do not exist yet; returns how many were created.
pub fn insert_tags(conn: &mut DbConnection, rows: &[NewTag]) -> StoreResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH_ROWS) {
        inserted += each_backend!(&mut *conn, c => {
            diesel::insert_into(tags::table)
                .values(chunk)
                .on_conflict(tags::name)
                .do_nothing()
                .execute(c)?
        });
    }
    Ok(inserted)
}

/// Tags events, skipping events that carry the tag already; returns how many
/// tags were added.
pub fn insert_event_tags(conn: &mut DbConnection, rows: &[NewEventTag]) -> StoreResult<usize> {
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH_ROWS) {
        inserted += each_backend!(&mut *conn, c => {
            diesel::insert_into(event_tags::table)
                .values(chunk)
                .on_conflict((event_tags::event_id, event_tags::tag_id))
                .do_nothing()
                .execute(c)?
        });
    }
    Ok(inserted)
}

/// Rows per insert statement of tables with up to 25 columns (events): 12,500
/// bound parameters at most.
const WIDE_BATCH_ROWS: usize = 500;

/// Inserts documents; returns `(id, content_hash)` of each.
///
/// A plain insert, without `ON CONFLICT`: ingestion checks the hashes inside its
/// write transaction, where no other writer can add one (see [`lock_ingest`]),
/// and PostgreSQL's speculative insertion would double the work on the unique
/// index. A document stored meanwhile after all fails the batch with a unique
/// violation, which ingestion handles.
pub fn insert_documents(
    conn: &mut DbConnection,
    rows: &[NewDocument],
) -> StoreResult<Vec<(i64, String)>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    match conn {
        // COPY, then the ids by hash: much cheaper than a statement binding
        // every column of every row.
        DbConnection::Pg(c) => {
            diesel::copy_from(documents::table)
                .from_insertable(rows)
                .execute(c)?;
            let hashes: Vec<&str> = rows.iter().map(|r| r.content_hash.as_str()).collect();
            Ok(documents::table
                .filter(documents::content_hash.eq_any(hashes))
                .select((documents::id, documents::content_hash))
                .load(c)?)
        }
        DbConnection::Sqlite(c) => {
            let mut written = Vec::with_capacity(rows.len());
            for chunk in rows.chunks(BATCH_ROWS) {
                let ids: Vec<(i64, String)> = diesel::insert_into(documents::table)
                    .values(chunk)
                    .returning((documents::id, documents::content_hash))
                    .get_results(c)?;
                written.extend(ids);
            }
            Ok(written)
        }
    }
}

/// Inserts company links known to be new (no `ON CONFLICT`, see
/// [`insert_documents`]; `COPY` on PostgreSQL); returns how many were inserted.
pub fn insert_new_event_companies(
    conn: &mut DbConnection,
    rows: &[NewEventCompany],
) -> StoreResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    match conn {
        // COPY: no statement to parse and plan per batch, no parameters to bind.
        DbConnection::Pg(c) => Ok(diesel::copy_from(event_companies::table)
            .from_insertable(rows)
            .execute(c)?),
        DbConnection::Sqlite(c) => {
            let mut inserted = 0;
            for chunk in rows.chunks(BATCH_ROWS) {
                inserted += diesel::insert_into(event_companies::table)
                    .values(chunk)
                    .execute(c)?;
            }
            Ok(inserted)
        }
    }
}

/// Inserts mentions known to be new (no `ON CONFLICT`, see [`insert_documents`];
/// `COPY` on PostgreSQL); returns how many were inserted.
pub fn insert_new_event_mentions(
    conn: &mut DbConnection,
    rows: &[NewEventMention],
) -> StoreResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    match conn {
        DbConnection::Pg(c) => Ok(diesel::copy_from(event_mentions::table)
            .from_insertable(rows)
            .execute(c)?),
        DbConnection::Sqlite(c) => {
            let mut inserted = 0;
            for chunk in rows.chunks(BATCH_ROWS) {
                inserted += diesel::insert_into(event_mentions::table)
                    .values(chunk)
                    .execute(c)?;
            }
            Ok(inserted)
        }
    }
}

/// Inserts events; returns their ids in the order of `rows`.
///
/// Neither engine promises the order of `RETURNING` rows, but both assign ids in
/// the order the rows of one statement are inserted (SQLite: the next rowid;
/// PostgreSQL: the identity sequence, which only grows), so the sorted ids of a
/// statement are its rows' ids in order.
pub fn insert_events(conn: &mut DbConnection, rows: &[NewEvent]) -> StoreResult<Vec<i64>> {
    let mut written = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(WIDE_BATCH_ROWS) {
        let mut ids: Vec<i64> = each_backend!(&mut *conn, c => {
            diesel::insert_into(events::table)
                .values(chunk)
                .returning(events::id)
                .get_results(c)?
        });
        if ids.len() != chunk.len() {
            return Err(StoreError::Database(
                diesel::result::Error::QueryBuilderError(
                    format!(
                        "inserted {} events, got {} ids back",
                        chunk.len(),
                        ids.len()
                    )
                    .into(),
                ),
            ));
        }
        ids.sort_unstable();
        written.extend(ids);
    }
    Ok(written)
}

/// Key of the PostgreSQL advisory lock that ingestion writers hold for the
/// length of a write transaction (the bytes of "riskline").
const INGEST_LOCK_KEY: i64 = 0x7269_736b_6c69_6e65;

/// Makes ingestion writers of several processes take turns, so that each one
/// sees the events the others stored before matching its own against them.
/// On SQLite the write transaction (`BEGIN IMMEDIATE`) does this already; on
/// PostgreSQL a transaction-scoped advisory lock is taken. Call inside
/// [`write_transaction`].
pub fn lock_ingest(conn: &mut DbConnection) -> StoreResult<()> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(INGEST_LOCK_KEY)
            .execute(c)?;
    }
    Ok(())
}

/// Locks events against concurrent edits until the transaction ends, so that an
/// analyst's correction committed meanwhile is read before ingestion writes
/// (PostgreSQL `FOR UPDATE`; SQLite's write transaction excludes other writers).
/// Returns the ids that exist.
pub fn lock_events(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<Vec<i64>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(BATCH_ROWS * 10) {
        let rows: Vec<i64> = match &mut *conn {
            DbConnection::Pg(c) => events::table
                .filter(events::id.eq_any(chunk))
                .select(events::id)
                .for_update()
                .load(c)?,
            DbConnection::Sqlite(c) => events::table
                .filter(events::id.eq_any(chunk))
                .select(events::id)
                .load(c)?,
        };
        found.extend(rows);
    }
    Ok(found)
}

/// Sets `thread_id` of events: `(event id, root id)` pairs, in one statement
/// joining the pairs (as arrays on PostgreSQL, as a JSON array on SQLite).
pub fn set_thread_ids(
    conn: &mut DbConnection,
    pairs: &[(i64, i64)],
    at: chrono::NaiveDateTime,
) -> StoreResult<usize> {
    use diesel::sql_types::{Array, BigInt, Timestamp};
    match conn {
        DbConnection::Pg(c) => {
            let mut changed = 0;
            for chunk in pairs.chunks(BATCH_ROWS * 10) {
                let (ids, roots): (Vec<i64>, Vec<i64>) = chunk.iter().copied().unzip();
                changed += diesel::sql_query(
                    "UPDATE events SET thread_id = moved.root, updated_at = $3 \
                     FROM unnest($1::bigint[], $2::bigint[]) AS moved(id, root) \
                     WHERE events.id = moved.id AND events.thread_id IS DISTINCT FROM moved.root",
                )
                .bind::<Array<BigInt>, _>(ids)
                .bind::<Array<BigInt>, _>(roots)
                .bind::<Timestamp, _>(at)
                .execute(c)?;
            }
            Ok(changed)
        }
        DbConnection::Sqlite(c) => {
            // One statement for all: the pairs as a JSON array of `[id, root]`.
            let mut changed = 0;
            for chunk in pairs.chunks(BATCH_ROWS * 10) {
                let moved = serde_json::to_string(chunk).expect("pairs of integers serialize");
                changed += diesel::sql_query(
                    "UPDATE events SET thread_id = moved.root, updated_at = ? \
                     FROM (SELECT value ->> 0 AS id, value ->> 1 AS root FROM json_each(?)) AS moved \
                     WHERE events.id = moved.id AND events.thread_id IS NOT moved.root",
                )
                .bind::<Timestamp, _>(at)
                .bind::<diesel::sql_types::Text, _>(moved)
                .execute(c)?;
            }
            Ok(changed)
        }
    }
}

/// Tunes a connection for a long run of large write transactions, or back to
/// its defaults.
///
/// SQLite: for bulk writes the page cache is capped (`cache_kib`, so that memory
/// does not grow with the database; reads go through the memory map anyway) and
/// the WAL is checkpointed every 10,000 pages instead of 1,000: a checkpoint
/// copies every page written since the last back into the database file, so
/// pages that batch after batch rewrite (index leaves, the table's last page) are
/// copied once rather than ten times. `None` restores the defaults of
/// [`crate::store::SqliteSettings`].
///
/// PostgreSQL: the connection stops keeping prepared statements, so every query
/// is planned for its own parameters. A kept statement gets a generic plan after
/// five executions, and one chosen while a table was nearly empty (a sequential
/// scan) stays while the table grows: a look-up by content hash would slow down
/// with every batch of a large ingest. Not `plan_cache_mode = force_custom_plan`:
/// that also re-plans the statements the server keeps for itself, above all the
/// foreign-key check run for every inserted row, which made those checks three
/// times as costly. A statement of ours is planned once per batch at most, so
/// planning it each time costs nothing that shows. And sequential scans are
/// off: every statement of an ingest batch looks up a few hundred keys through
/// an index, but the planner's statistics lag behind a table that grows by
/// thousands of rows a second (autovacuum gathers them a minute later at best),
/// and on a new database it takes `event_id IN (...)` for half of a table it
/// believes small, then reads all of it at every batch: a 40,000-document
/// ingest into a new database took 16 % longer. `None` restores both.
pub fn tune_for_bulk_writes(conn: &mut DbConnection, bulk: Option<u64>) -> StoreResult<()> {
    if let DbConnection::Pg(c) = conn {
        c.set_prepared_statement_cache_size(match bulk {
            Some(_) => CacheSize::Disabled,
            None => CacheSize::Unbounded,
        });
        diesel::connection::SimpleConnection::batch_execute(
            c,
            match bulk {
                Some(_) => "SET enable_seqscan = off",
                None => "RESET enable_seqscan",
            },
        )?;
    }
    if let DbConnection::Sqlite(c) = conn {
        let (cache_kib, checkpoint_pages) = match bulk {
            Some(kib) => (kib, 10_000),
            None => (super::SqliteSettings::default().cache_size_kib, 1_000),
        };
        diesel::connection::SimpleConnection::batch_execute(
            c,
            &format!(
                "PRAGMA cache_size = -{cache_kib}; PRAGMA wal_autocheckpoint = {checkpoint_pages}"
            ),
        )?;
    }
    Ok(())
}

/// Refreshes the query planner's statistics after a bulk load; on PostgreSQL
/// vacuums too, since every write transaction filled and emptied `stale_items`,
/// whose dead rows would slow the timeline's staleness check until autovacuum
/// came by.
pub fn analyze(conn: &mut DbConnection) -> StoreResult<()> {
    match conn {
        DbConnection::Pg(c) => diesel::sql_query("VACUUM ANALYZE").execute(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query("ANALYZE").execute(c)?,
    };
    Ok(())
}
