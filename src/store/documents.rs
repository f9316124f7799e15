//! Stored documents: look-ups by content hash, reads, and the events a document reports.
//!
//! Documents are written by ingestion ([`crate::store::backend::insert_documents`],
//! inside the write transaction that stores their events); this module reads them.
//!
//! ```no_run
//! use riskline::store::{documents, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let id = documents::find_by_hash(&mut conn, &"0".repeat(64))?;
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use std::collections::HashMap;

use diesel::prelude::*;

use super::models::DocumentRow;
use super::schema::{documents, event_mentions};
use super::DbConnection;
use super::StoreResult;

/// Hashes per `IN (...)` list: far below SQLite's limit on bound parameters.
const HASHES_PER_QUERY: usize = 5_000;

/// The id of the document with this content hash (sha256 of its raw bytes, lower-case hex).
pub fn find_by_hash(conn: &mut DbConnection, content_hash: &str) -> StoreResult<Option<i64>> {
    Ok(documents::table
        .filter(documents::content_hash.eq(content_hash))
        .select(documents::id)
        .first(conn)
        .optional()?)
}

/// The ids of the documents among `hashes` that are stored, by hash.
///
/// On SQLite each hash is looked up alone: that statement is prepared once per
/// connection, while an `IN` list of another length is a new statement to
/// prepare every time, which costs more than the look-ups. PostgreSQL takes the
/// hashes as one array parameter, in one round trip.
pub fn find_by_hashes(
    conn: &mut DbConnection,
    hashes: &[&str],
) -> StoreResult<HashMap<String, i64>> {
    let mut found = HashMap::new();
    if let DbConnection::Sqlite(_) = conn {
        for hash in hashes {
            if let Some(id) = find_by_hash(conn, hash)? {
                found.insert((*hash).to_string(), id);
            }
        }
        return Ok(found);
    }
    for chunk in hashes.chunks(HASHES_PER_QUERY) {
        let rows: Vec<(String, i64)> = documents::table
            .filter(documents::content_hash.eq_any(chunk))
            .select((documents::content_hash, documents::id))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// One document, text included.
pub fn get(conn: &mut DbConnection, id: i64) -> StoreResult<Option<DocumentRow>> {
    Ok(documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?)
}

/// How many documents are stored.
pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(documents::table.count().get_result(conn)?)
}

/// The events a document has evidence for, in id order, each once.
pub fn event_ids(conn: &mut DbConnection, document_id: i64) -> StoreResult<Vec<i64>> {
    Ok(event_mentions::table
        .filter(event_mentions::document_id.eq(document_id))
        .select(event_mentions::event_id)
        .distinct()
        .order(event_mentions::event_id.asc())
        .load(conn)?)
}
