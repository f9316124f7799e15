//! Threading an event an analyst entered by hand (`POST /events`): a resumption, a
//! lift or a ruling entered after its story began joins that story's thread by the
//! same rules as an extracted step ([`super::matching::anchor_score`]), or is marked
//! as standing alone.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::index::Entry;
use super::matching::{anchor_score, Stage};
use super::writer::{thread_reason, STANDS_ALONE};
use crate::domain::EventKind;
use crate::store::backend::{self, write_transaction};
use crate::store::events_write;
use crate::store::models::ReviewState;
use crate::store::{now, review, DbConnection, StoreResult};

/// The stages a later step of `kind` may continue.
fn anchor_stages(kind: EventKind) -> &'static [Stage] {
    match kind {
        EventKind::Lawsuit => &[
            Stage::Opened,
            Stage::Ruled,
            Stage::Appealed,
            Stage::Reversed,
        ],
        EventKind::RegulatoryAction => &[Stage::Imposed],
        EventKind::ServiceHalt => &[Stage::Halted],
    }
}

/// Links the stored event `id` into the thread of the earlier step it continues;
/// returns that thread's first event, or `None` when the event opens a story or
/// stands alone (then marked so). An event already in a thread is left as it is.
pub fn link_entered(conn: &mut DbConnection, id: i64) -> StoreResult<Option<i64>> {
    write_transaction(conn, |conn| {
        let Some(me) = events_write::load_by_ids(conn, &[id])?
            .first()
            .and_then(Entry::from_stored)
        else {
            return Ok(None);
        };
        if me.profile.stage.is_opening() || me.thread_root.is_some() {
            return Ok(None);
        }
        let stages = anchor_stages(me.profile.kind);
        let best = events_write::load_for_companies(conn, &me.profile.companies)?
            .iter()
            .filter(|e| e.row.id != id)
            .filter_map(Entry::from_stored)
            .filter(|e| e.review != ReviewState::Rejected && stages.contains(&e.profile.stage))
            .filter_map(|e| {
                let fit = anchor_score(&me.profile, &e.profile)?;
                let date = e.profile.date.map_or(NaiveDate::MIN, |d| d.date);
                let anchor_id = e.id?;
                Some(((fit, date, std::cmp::Reverse(anchor_id)), e))
            })
            .max_by_key(|(key, _)| *key)
            .map(|(_, e)| e);
        let mut reasons = BTreeMap::new();
        let Some(anchor) = best else {
            reasons.insert(id, STANDS_ALONE.to_string());
            events_write::set_thread_reasons(conn, &reasons)?;
            return Ok(None);
        };
        let anchor_id = anchor.id.unwrap_or_default();
        let root = anchor.thread_root.unwrap_or(anchor_id);
        let mut moves = vec![(id, root)];
        if anchor.thread_root.is_none() {
            moves.push((anchor_id, root));
        }
        moves.sort_unstable();
        backend::set_thread_ids(conn, &moves, now())?;
        reasons.insert(id, thread_reason(&me.profile, &anchor.profile, anchor_id));
        events_write::set_thread_reasons(conn, &reasons)?;
        review::refresh_thread_status(conn, root)?;
        Ok(Some(root))
    })
}
