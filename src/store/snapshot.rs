//! Every row of the tables ingestion and analysts write, in id order: for
//! checks that a run changed nothing, that a copy equals its original, or that
//! the stored events agree with their evidence and links.

use diesel::prelude::*;

use super::models::{DocumentRow, EventCompanyRow, EventMentionRow, EventRow, EventTagRow};
use super::schema::{documents, event_companies, event_mentions, event_tags, events};
use super::{DbConnection, StoreResult};

/// The rows of the event tables, each table in id order (event tags by event,
/// then tag); equal snapshots mean nothing changed, timestamps included.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// Every row of `documents`.
    pub documents: Vec<DocumentRow>,
    /// Every row of `events`.
    pub events: Vec<EventRow>,
    /// Every row of `event_mentions`.
    pub mentions: Vec<EventMentionRow>,
    /// Every row of `event_companies`.
    pub links: Vec<EventCompanyRow>,
    /// Every row of `event_tags`.
    pub tags: Vec<EventTagRow>,
}

/// Reads every row of the event tables (in one read transaction, so that the
/// tables agree with each other).
pub fn read(conn: &mut DbConnection) -> StoreResult<Tables> {
    Ok(conn.transaction(|conn| {
        Ok::<_, diesel::result::Error>(Tables {
            documents: documents::table
                .select(DocumentRow::as_select())
                .order(documents::id)
                .load(conn)?,
            events: events::table
                .select(EventRow::as_select())
                .order(events::id)
                .load(conn)?,
            mentions: event_mentions::table
                .select(EventMentionRow::as_select())
                .order(event_mentions::id)
                .load(conn)?,
            links: event_companies::table
                .select(EventCompanyRow::as_select())
                .order(event_companies::id)
                .load(conn)?,
            tags: event_tags::table
                .select(EventTagRow::as_select())
                .order((event_tags::event_id, event_tags::tag_id))
                .load(conn)?,
        })
    })?)
}
