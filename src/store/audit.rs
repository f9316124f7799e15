//! The audit trail: who changed what, with the state before and after.
//!
//! Every write made through the API (and key changes made on the command line)
//! adds one entry in the same transaction as the change, so the trail cannot
//! miss a change that happened nor record one that was rolled back. The entries
//! that a consumer of the changes feed follows (events created, corrected,
//! reviewed, split, tagged, retracted; companies added) are appended to
//! [`super::changes`] by the same call.
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

use super::changes::{self, ChangeKind};
use super::models::NewAuditEntry;
use super::schema::audit_log;
use super::StoreResult;
use super::{now, DbConnection};

/// Adds an entry: `entity` is what changed (`event`, `event_tag`, `company`,
/// `api_key`), `action` how (`review`, `correct`, `create`, `tag`, `untag`,
/// `split`, `retract`, `revoke`), `actor` the key's name. Adds the change to the
/// changes feed when it is one ([`ChangeKind::of_audit`]).
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
    if let Some(kind) = ChangeKind::of_audit(entity, action) {
        // A company's id is in its entry; an event's is the entry's own.
        let company_id = match kind {
            ChangeKind::CompanyAdded => after
                .and_then(|a| a.get("id"))
                .and_then(serde_json::Value::as_i64),
            _ => None,
        };
        changes::record(conn, kind, event_id, company_id, actor)?;
    }
    Ok(())
}

/// How many entries the trail holds.
pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(audit_log::table.count().get_result(conn)?)
}
