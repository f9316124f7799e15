//! The audit trail: who changed what, with the state before and after.
//!
//! Every write made through the API (and key changes made on the command line)
//! adds one entry in the same transaction as the change, so the trail cannot
//! miss a change that happened nor record one that was rolled back.
//!
//! ```no_run
//! use riskline::store::{audit, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! audit::record(&mut conn, Some(42), "event", "review", "alice",
//!     Some(&serde_json::json!({"review_state": "unreviewed"})),
//!     Some(&serde_json::json!({"review_state": "confirmed"})))?;
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use diesel::prelude::*;

use super::models::NewAuditEntry;
use super::schema::audit_log;
use super::StoreResult;
use super::{now, DbConnection};

/// Adds an entry: `entity` is what changed (`event`, `event_tag`, `company`,
/// `api_key`), `action` how (`review`, `correct`, `create`, `tag`, `untag`,
/// `split`, `revoke`), `actor` the key's name.
pub fn record(
    conn: &mut DbConnection,
    event_id: Option<i64>,
    entity: &str,
    action: &str,
    actor: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> StoreResult<()> {
    let entry = NewAuditEntry {
        event_id,
        entity: entity.to_string(),
        action: action.to_string(),
        actor: actor.to_string(),
        before_json: before.map(serde_json::Value::to_string),
        after_json: after.map(serde_json::Value::to_string),
        at: now(),
    };
    diesel::insert_into(audit_log::table)
        .values(&entry)
        .execute(conn)?;
    Ok(())
}

/// How many entries the trail holds.
pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(audit_log::table.count().get_result(conn)?)
}
