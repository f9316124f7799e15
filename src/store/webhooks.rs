//! Webhook subscriptions of watchlists and the outbox of their deliveries.
//!
//! Delivery is two steps, each its own transaction, so that any number of
//! servers can run them at once on one PostgreSQL and each change is sent once:
//!
//! 1. [`dispatch`] reads the changes feed after the dispatcher's cursor (the one
//!    row of `dispatch_cursor`, locked for the transaction), makes one
//!    `deliveries` row per change and matching subscription, with the payload,
//!    and moves the cursor. Two dispatchers take turns on the lock; the second
//!    starts where the first stopped.
//! 2. [`claim`] takes due deliveries (`FOR UPDATE SKIP LOCKED` on PostgreSQL: two
//!    workers never take the same row) and leases them for a while; the worker
//!    sends them and reports with [`finish`]. A worker that dies mid-send leaves
//!    a lease that runs out, and another worker sends again with the same
//!    idempotency key.
//!
//! The store knows nothing of HTTP: signing, sending and the retry schedule
//! are the worker's (`crate::webhooks`).

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{json, Value};

use super::backend::write_transaction;
use super::changes::{self, ChangeKind, ChangeRow, Position};
use super::events_read::{self, EventView};
use super::schema::{deliveries, dispatch_cursor, event_companies, watchlists, webhooks};
use super::watchlists::{self as lists, Watchlist};
use super::{audit, items, now, DbConnection, StoreError, StoreResult};

/// A subscription as clients see it (never with its secret).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Webhook {
    /// Its id (`webhooks.id`).
    pub id: i64,
    /// The watchlist whose changes it sends (`webhooks.watchlist_id`).
    pub watchlist_id: i64,
    /// Where deliveries go (`webhooks.url`).
    pub url: String,
    /// JSON array of the change kinds it sends, `[]` for all (`webhooks.change_kinds`).
    pub change_kinds: String,
    /// Who made it (`webhooks.created_by`).
    pub created_by: String,
    /// When, UTC (`webhooks.created_at`); only changes from then on are sent.
    pub created_at: NaiveDateTime,
}

impl Webhook {
    /// The change kinds it sends; empty for all.
    pub fn kinds(&self) -> Vec<ChangeKind> {
        let names: Vec<String> = serde_json::from_str(&self.change_kinds).unwrap_or_default();
        names.iter().filter_map(|n| n.parse().ok()).collect()
    }
}

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = deliveries)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct Delivery {
    /// Its id (`deliveries.id`).
    pub id: i64,
    /// The subscription (`deliveries.webhook_id`).
    pub webhook_id: i64,
    /// The change it reports (`deliveries.change_id`).
    pub change_id: i64,
    /// Sent with every attempt and replay (`deliveries.idempotency_key`).
    pub idempotency_key: String,
    /// The JSON body (`deliveries.payload`).
    pub payload: String,
    /// `pending`, `delivered` or `dead` (`deliveries.state`).
    pub state: String,
    /// Attempts made (`deliveries.attempts`).
    pub attempts: i64,
    /// When it is due (`deliveries.next_attempt_at`).
    pub next_attempt_at: NaiveDateTime,
    /// Retries stop a day after this (`deliveries.retry_from`).
    pub retry_from: NaiveDateTime,
    /// Held by a worker until then (`deliveries.leased_until`).
    pub leased_until: Option<NaiveDateTime>,
    /// The receiver's last HTTP status (`deliveries.last_status`).
    pub last_status: Option<i64>,
    /// Why the last attempt failed (`deliveries.last_error`).
    pub last_error: Option<String>,
    /// When it was made (`deliveries.created_at`).
    pub created_at: NaiveDateTime,
    /// When the receiver accepted it (`deliveries.delivered_at`).
    pub delivered_at: Option<NaiveDateTime>,
}

/// A delivery a worker has claimed, with where and how to send it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    /// The delivery (its `attempts` counts this attempt).
    pub delivery: Delivery,
    /// The subscription's URL.
    pub url: String,
    /// The subscription's secret, to sign with.
    pub secret: String,
}

/// Adds a subscription to a watchlist of `team`; `None` when the team has no
/// such watchlist.
pub fn create(
    conn: &mut DbConnection,
    team: &str,
    watchlist_id: i64,
    url: &str,
    secret: &str,
    kinds: &[ChangeKind],
    actor: &str,
) -> StoreResult<Option<Webhook>> {
    write_transaction(conn, |conn| {
        if lists::get(conn, team, watchlist_id)?.is_none() {
            return Ok(None);
        }
        let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let id: i64 = diesel::insert_into(webhooks::table)
            .values((
                webhooks::watchlist_id.eq(watchlist_id),
                webhooks::url.eq(url),
                webhooks::secret.eq(secret),
                webhooks::change_kinds.eq(json!(names).to_string()),
                webhooks::created_by.eq(actor),
                webhooks::created_at.eq(now()),
            ))
            .returning(webhooks::id)
            .get_result(conn)?;
        audit::record(
            conn,
            None,
            "webhook",
            "create",
            actor,
            None,
            Some(
                &json!({"id": id, "watchlist_id": watchlist_id, "url": url, "change_kinds": names}),
            ),
        )?;
        Ok(Some(
            webhooks::table
                .find(id)
                .select(Webhook::as_select())
                .first(conn)?,
        ))
    })
}

/// The subscriptions of a watchlist of `team`; `None` when the team has no
/// such watchlist.
pub fn list(
    conn: &mut DbConnection,
    team: &str,
    watchlist_id: i64,
) -> StoreResult<Option<Vec<Webhook>>> {
    if lists::get(conn, team, watchlist_id)?.is_none() {
        return Ok(None);
    }
    Ok(Some(
        webhooks::table
            .filter(webhooks::watchlist_id.eq(watchlist_id))
            .order(webhooks::id)
            .select(Webhook::as_select())
            .load(conn)?,
    ))
}

/// A subscription, if it belongs to a watchlist of `team`.
pub fn get(conn: &mut DbConnection, team: &str, id: i64) -> StoreResult<Option<Webhook>> {
    Ok(webhooks::table
        .inner_join(watchlists::table)
        .filter(webhooks::id.eq(id))
        .filter(watchlists::team.eq(team))
        .select(Webhook::as_select())
        .first(conn)
        .optional()?)
}

/// Removes a subscription of `team` with its deliveries; returns whether there was one.
pub fn delete(conn: &mut DbConnection, team: &str, id: i64, actor: &str) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let Some(hook) = get(conn, team, id)? else {
            return Ok(false);
        };
        diesel::delete(webhooks::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            None,
            "webhook",
            "delete",
            actor,
            Some(&json!({"id": id, "url": hook.url})),
            None,
        )?;
        Ok(true)
    })
}

/// The deliveries of a subscription of `team`, newest first, before the id
/// `before` when given; `None` when the team has no such subscription.
pub fn deliveries_of(
    conn: &mut DbConnection,
    team: &str,
    webhook_id: i64,
    before: Option<i64>,
    limit: i64,
) -> StoreResult<Option<Vec<Delivery>>> {
    if get(conn, team, webhook_id)?.is_none() {
        return Ok(None);
    }
    let mut query = deliveries::table
        .filter(deliveries::webhook_id.eq(webhook_id))
        .select(Delivery::as_select())
        .order(deliveries::id.desc())
        .limit(limit)
        .into_boxed::<<DbConnection as diesel::Connection>::Backend>();
    if let Some(before) = before {
        query = query.filter(deliveries::id.lt(before));
    }
    Ok(Some(query.load(conn)?))
}

/// Sends a delivery of `team` again, whatever its state: due now, with the same
/// idempotency key and body, retried for a day from now. `None` when the team
/// has no such delivery.
pub fn replay(
    conn: &mut DbConnection,
    team: &str,
    id: i64,
    actor: &str,
) -> StoreResult<Option<Delivery>> {
    write_transaction(conn, |conn| {
        let found: Option<i64> = deliveries::table
            .inner_join(webhooks::table.inner_join(watchlists::table))
            .filter(deliveries::id.eq(id))
            .filter(watchlists::team.eq(team))
            .select(deliveries::id)
            .first(conn)
            .optional()?;
        if found.is_none() {
            return Ok(None);
        }
        let at = now();
        diesel::update(deliveries::table.find(id))
            .set((
                deliveries::state.eq("pending"),
                deliveries::next_attempt_at.eq(at),
                deliveries::retry_from.eq(at),
                deliveries::leased_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            None,
            "delivery",
            "replay",
            actor,
            None,
            Some(&json!({"id": id})),
        )?;
        Ok(Some(
            deliveries::table
                .find(id)
                .select(Delivery::as_select())
                .first(conn)?,
        ))
    })
}

/// Changes the dispatcher reads per transaction at most.
const DISPATCH_BATCH: i64 = 500;

/// What one change means for one subscription.
struct Target<'a> {
    hook: &'a Webhook,
    list: &'a Watchlist,
}

/// Whether the event matches a watchlist's own filters.
fn list_wants(list: &Watchlist, view: &EventView) -> bool {
    let event = &view.event.fields;
    (list.kinds.is_empty() || list.kinds.iter().any(|k| k.as_str() == event.kind))
        && (list.actions.is_empty() || list.actions.contains(&event.action))
        && list.min_confidence.map_or(true, |m| event.confidence >= m)
}

/// The body of one delivery: the change, the watchlist, and the event as it
/// is now (its list item; `null` when it no longer exists).
fn payload(change: &ChangeRow, key: &str, list: &Watchlist, view: Option<&EventView>) -> String {
    let event: Value = view
        .and_then(|v| items::render(v.clone()))
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    json!({
        "idempotency_key": key,
        "change": {
            "id": change.id, "kind": change.kind, "event_id": change.event_id,
            "actor": change.actor, "at": change.at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "retracted": view.is_some_and(|v| v.retracted_at.is_some()),
        },
        "watchlist": {"id": list.id, "name": list.name},
        "event": event,
    })
    .to_string()
}

/// Whether the worker has anything to do: changes after the dispatcher's
/// cursor, or deliveries due. A read, so that an idle worker takes no write
/// lock.
pub fn has_work(conn: &mut DbConnection) -> StoreResult<bool> {
    let (txid, id): (i64, i64) = dispatch_cursor::table
        .find(1)
        .select((dispatch_cursor::txid, dispatch_cursor::change_id))
        .first(conn)?;
    if !changes::after(conn, Position { txid, id }, 1)?.is_empty() {
        return Ok(true);
    }
    let at = now();
    Ok(diesel::select(diesel::dsl::exists(
        deliveries::table
            .filter(deliveries::state.eq("pending"))
            .filter(deliveries::next_attempt_at.le(at))
            .filter(
                deliveries::leased_until
                    .is_null()
                    .or(deliveries::leased_until.lt(at)),
            ),
    ))
    .get_result(conn)?)
}

/// Moves the dispatcher's cursor over the next changes of the feed, making
/// their deliveries; returns how many deliveries were made. Call until it
/// returns 0 with nothing left ([`changes::after`] says when the feed is read).
pub fn dispatch(conn: &mut DbConnection) -> StoreResult<(usize, bool)> {
    write_transaction(conn, |conn| {
        let cursor: (i64, i64) = match &mut *conn {
            DbConnection::Pg(c) => dispatch_cursor::table
                .find(1)
                .select((dispatch_cursor::txid, dispatch_cursor::change_id))
                .for_update()
                .first(c)?,
            DbConnection::Sqlite(c) => dispatch_cursor::table
                .find(1)
                .select((dispatch_cursor::txid, dispatch_cursor::change_id))
                .first(c)?,
        };
        let after = Position {
            txid: cursor.0,
            id: cursor.1,
        };
        let batch = changes::after(conn, after, DISPATCH_BATCH)?;
        let Some(last) = batch.last().map(ChangeRow::position) else {
            return Ok((0, false));
        };
        let made = fan_out(conn, &batch)?;
        diesel::update(dispatch_cursor::table.find(1))
            .set((
                dispatch_cursor::txid.eq(last.txid),
                dispatch_cursor::change_id.eq(last.id),
            ))
            .execute(conn)?;
        Ok((
            made,
            i64::try_from(batch.len()).unwrap_or(0) == DISPATCH_BATCH,
        ))
    })
}

/// The deliveries of a batch of changes.
fn fan_out(conn: &mut DbConnection, batch: &[ChangeRow]) -> StoreResult<usize> {
    let mut event_ids: Vec<i64> = batch.iter().filter_map(|c| c.event_id).collect();
    event_ids.sort_unstable();
    event_ids.dedup();
    if event_ids.is_empty() {
        return Ok(0);
    }
    let links: Vec<(i64, i64)> = event_companies::table
        .filter(event_companies::event_id.eq_any(&event_ids))
        .select((event_companies::event_id, event_companies::company_id))
        .load(conn)?;
    let mut companies_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (event, company) in &links {
        companies_of.entry(*event).or_default().push(*company);
    }
    let mut company_ids: Vec<i64> = links.iter().map(|l| l.1).collect();
    company_ids.sort_unstable();
    company_ids.dedup();
    let lists = lists::holding(conn, &company_ids)?;
    if lists.is_empty() {
        return Ok(0);
    }
    let list_ids: Vec<i64> = lists.iter().map(|l| l.id).collect();
    let hooks: Vec<Webhook> = webhooks::table
        .filter(webhooks::watchlist_id.eq_any(&list_ids))
        .order(webhooks::id)
        .select(Webhook::as_select())
        .load(conn)?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let views: HashMap<i64, EventView> = events_read::load_views(conn, &event_ids)?
        .into_iter()
        .map(|v| (v.event.id, v))
        .collect();
    let at = now();
    let mut made = 0;
    for change in batch {
        let (Some(event_id), Ok(kind)) = (change.event_id, change.kind.parse::<ChangeKind>())
        else {
            continue;
        };
        let view = views.get(&event_id);
        let companies = companies_of.get(&event_id).map_or(&[][..], Vec::as_slice);
        let targets = hooks.iter().filter_map(|hook| {
            let list = lists.iter().find(|l| l.id == hook.watchlist_id)?;
            let on_list = list.companies.iter().any(|c| companies.contains(&c.id));
            let kinds = hook.kinds();
            let wanted = on_list
                && change.at >= hook.created_at
                && (kinds.is_empty() || kinds.contains(&kind))
                && view.map_or(true, |v| list_wants(list, v));
            wanted.then_some(Target { hook, list })
        });
        for Target { hook, list } in targets {
            let key = format!("rl-{}-{}", hook.id, change.id);
            diesel::insert_into(deliveries::table)
                .values((
                    deliveries::webhook_id.eq(hook.id),
                    deliveries::change_id.eq(change.id),
                    deliveries::idempotency_key.eq(&key),
                    deliveries::payload.eq(payload(change, &key, list, view)),
                    deliveries::next_attempt_at.eq(at),
                    deliveries::retry_from.eq(at),
                    deliveries::created_at.eq(at),
                ))
                .execute(conn)?;
            made += 1;
        }
    }
    Ok(made)
}

/// Claims up to `limit` due deliveries for `lease` (counting the attempt);
/// other workers skip them meanwhile.
pub fn claim(conn: &mut DbConnection, lease: Duration, limit: i64) -> StoreResult<Vec<Claimed>> {
    write_transaction(conn, |conn| {
        let at = now();
        let due = deliveries::table
            .filter(deliveries::state.eq("pending"))
            .filter(deliveries::next_attempt_at.le(at))
            .filter(
                deliveries::leased_until
                    .is_null()
                    .or(deliveries::leased_until.lt(at)),
            )
            .order(deliveries::next_attempt_at)
            .select(deliveries::id)
            .limit(limit);
        let ids: Vec<i64> = match &mut *conn {
            DbConnection::Pg(c) => due.for_update().skip_locked().load(c)?,
            DbConnection::Sqlite(c) => due.load(c)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(deliveries::table.filter(deliveries::id.eq_any(&ids)))
            .set((
                deliveries::leased_until.eq(at + lease),
                deliveries::attempts.eq(deliveries::attempts + 1),
            ))
            .execute(conn)?;
        let rows: Vec<(Delivery, String, String)> = deliveries::table
            .inner_join(webhooks::table)
            .filter(deliveries::id.eq_any(&ids))
            .order(deliveries::id)
            .select((Delivery::as_select(), webhooks::url, webhooks::secret))
            .load(conn)?;
        Ok(rows
            .into_iter()
            .map(|(delivery, url, secret)| Claimed {
                delivery,
                url,
                secret,
            })
            .collect())
    })
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered 2xx.
    Delivered {
        /// Its status.
        status: u16,
    },
    /// It failed; `retry_at` is when to try again, `None` to give up (dead).
    Failed {
        /// The receiver's status, if it answered.
        status: Option<u16>,
        /// What went wrong, for the listing.
        error: String,
        /// The next attempt; `None` when retries are over.
        retry_at: Option<NaiveDateTime>,
    },
}

/// Records how an attempt of a claimed delivery ended and releases it.
pub fn finish(conn: &mut DbConnection, id: i64, outcome: &Outcome) -> StoreResult<()> {
    let none = None::<NaiveDateTime>;
    let changed = match outcome {
        Outcome::Delivered { status } => diesel::update(deliveries::table.find(id))
            .set((
                deliveries::state.eq("delivered"),
                deliveries::delivered_at.eq(Some(now())),
                deliveries::last_status.eq(Some(i64::from(*status))),
                deliveries::last_error.eq(None::<String>),
                deliveries::leased_until.eq(none),
            ))
            .execute(conn)?,
        Outcome::Failed {
            status,
            error,
            retry_at,
        } => diesel::update(deliveries::table.find(id))
            .set((
                deliveries::state.eq(if retry_at.is_some() {
                    "pending"
                } else {
                    "dead"
                }),
                deliveries::next_attempt_at.eq(retry_at.unwrap_or_else(now)),
                deliveries::last_status.eq(status.map(i64::from)),
                deliveries::last_error.eq(Some(error.chars().take(500).collect::<String>())),
                deliveries::leased_until.eq(none),
            ))
            .execute(conn)?,
    };
    if changed == 0 {
        return Err(StoreError::NotFound(format!("no delivery {id}")));
    }
    Ok(())
}
