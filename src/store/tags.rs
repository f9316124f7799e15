//! Analysts' tags on events.
//!
//! A tag is created on first use. Adding a tag an event has, or removing one it
//! has not, changes nothing and writes no audit entry.
//!
//! ```no_run
//! use riskline::store::{tags, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let now_tagged = tags::add(&mut conn, 42, "watchlist", "alice")?;
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use diesel::prelude::*;

use super::backend::{insert_event_tags, insert_tags, write_transaction};
use super::models::{NewEventTag, NewTag};
use super::schema::{event_tags, tags};
use super::StoreResult;
use super::{audit, now, DbConnection};

/// Whether a tag name is acceptable: 1 to 64 characters, each a lower-case
/// letter, a digit, `-`, `_` or `:`.
///
/// ```
/// use riskline::store::tags::valid_name;
/// assert!(valid_name("watch:q3-2026"));
/// assert!(!valid_name("Watch") && !valid_name("") && !valid_name("a b"));
/// ```
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | ':'))
}

/// The tags of an event, by name.
pub fn of_event(conn: &mut DbConnection, event_id: i64) -> StoreResult<Vec<String>> {
    Ok(event_tags::table
        .inner_join(tags::table)
        .filter(event_tags::event_id.eq(event_id))
        .order(tags::name)
        .select(tags::name)
        .load(conn)?)
}

/// Tags an event (the caller checked that it exists); returns its tags after.
pub fn add(
    conn: &mut DbConnection,
    event_id: i64,
    tag: &str,
    actor: &str,
) -> StoreResult<Vec<String>> {
    write_transaction(conn, |conn| {
        let before = of_event(conn, event_id)?;
        if before.iter().any(|t| t == tag) {
            return Ok(before);
        }
        let at = now();
        insert_tags(
            conn,
            &[NewTag {
                name: tag.to_string(),
                created_at: at,
            }],
        )?;
        let tag_id: i64 = tags::table
            .filter(tags::name.eq(tag))
            .select(tags::id)
            .first(conn)?;
        insert_event_tags(
            conn,
            &[NewEventTag {
                event_id,
                tag_id,
                created_by: actor.to_string(),
                created_at: at,
            }],
        )?;
        let after = of_event(conn, event_id)?;
        audit::record(
            conn,
            Some(event_id),
            "event_tag",
            "tag",
            actor,
            Some(&serde_json::json!({ "tags": before })),
            Some(&serde_json::json!({ "tags": after })),
        )?;
        Ok(after)
    })
}

/// Removes a tag from an event; returns whether it had it.
pub fn remove(conn: &mut DbConnection, event_id: i64, tag: &str, actor: &str) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let before = of_event(conn, event_id)?;
        if !before.iter().any(|t| t == tag) {
            return Ok(false);
        }
        let tag_ids = tags::table.filter(tags::name.eq(tag)).select(tags::id);
        diesel::delete(
            event_tags::table
                .filter(event_tags::event_id.eq(event_id))
                .filter(event_tags::tag_id.eq_any(tag_ids)),
        )
        .execute(conn)?;
        let after = of_event(conn, event_id)?;
        audit::record(
            conn,
            Some(event_id),
            "event_tag",
            "untag",
            actor,
            Some(&serde_json::json!({ "tags": before })),
            Some(&serde_json::json!({ "tags": after })),
        )?;
        Ok(true)
    })
}
