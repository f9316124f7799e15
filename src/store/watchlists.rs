//! Watchlists: named sets of companies of a team, with the filters of their
//! combined timeline (kinds, actions, a minimum confidence), and the read-only
//! token of their feed URLs.
//!
//! A watchlist belongs to the team of the key that made it; every key of that
//! team sees and edits it, and no other key learns that it exists (reads of
//! another team's watchlist find nothing). Changes are audited.
//!
//! ```no_run
//! use riskline::store::{watchlists::{self, WatchlistInput}, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let input = WatchlistInput { name: "autos".into(), company_ids: vec![1, 2], ..Default::default() };
//! let list = watchlists::create(&mut conn, "desk-a", &input, "alice")?;
//! assert_eq!(list.companies.len(), 2);
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::backend::write_transaction;
use super::events_read::EventFilter;
use super::models::EventKind;
use super::schema::{companies, watchlist_companies, watchlists};
use super::{audit, now, DbConnection, StoreError, StoreResult};

/// The most companies a watchlist holds.
pub const MAX_COMPANIES: usize = 500;

/// What a watchlist is made of, as a client gives it (whole, on create and replace).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WatchlistInput {
    /// Its name, unique within the team.
    pub name: String,
    /// Its companies (ids), without repeats.
    pub company_ids: Vec<i64>,
    /// Only these kinds (empty: all).
    pub kinds: Vec<EventKind>,
    /// Only these actions (empty: all).
    pub actions: Vec<String>,
    /// Only events at least this sure.
    pub min_confidence: Option<f64>,
}

/// A company of a watchlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCompany {
    /// The company's id.
    pub id: i64,
    /// Its ticker.
    pub ticker: String,
    /// Its name.
    pub name: String,
}

/// A stored watchlist with its companies (by ticker).
#[derive(Debug, Clone, PartialEq)]
pub struct Watchlist {
    /// Its id (`watchlists.id`).
    pub id: i64,
    /// The owning team (`watchlists.team`).
    pub team: String,
    /// Its name (`watchlists.name`).
    pub name: String,
    /// Its companies, by ticker.
    pub companies: Vec<ListedCompany>,
    /// Only these kinds (empty: all).
    pub kinds: Vec<EventKind>,
    /// Only these actions (empty: all).
    pub actions: Vec<String>,
    /// Only events at least this sure.
    pub min_confidence: Option<f64>,
    /// Whether a feed token is set (the token itself is never stored).
    pub has_feed_token: bool,
    /// Who made it (a key's name).
    pub created_by: String,
    /// When, UTC.
    pub created_at: NaiveDateTime,
    /// When it last changed, UTC.
    pub updated_at: NaiveDateTime,
}

impl Watchlist {
    /// The ids of its companies.
    pub fn company_ids(&self) -> Vec<i64> {
        self.companies.iter().map(|c| c.id).collect()
    }

    /// A request's filter narrowed by the watchlist's own: kinds and actions
    /// both must allow, the higher minimum confidence holds. `None` when they
    /// allow nothing in common (a request naming only kinds the watchlist
    /// leaves out): no event matches.
    pub fn narrow(&self, mut filter: EventFilter) -> Option<EventFilter> {
        fn both<T: Clone + PartialEq>(asked: Vec<T>, own: &[T]) -> Option<Vec<T>> {
            match (asked.is_empty(), own.is_empty()) {
                (_, true) => Some(asked),
                (true, false) => Some(own.to_vec()),
                (false, false) => {
                    let common: Vec<T> = asked.into_iter().filter(|a| own.contains(a)).collect();
                    (!common.is_empty()).then_some(common)
                }
            }
        }
        filter.kinds = both(filter.kinds, &self.kinds)?;
        filter.actions = both(filter.actions, &self.actions)?;
        filter.min_confidence = match (filter.min_confidence, self.min_confidence) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        Some(filter)
    }
}

/// A row of `watchlists`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = watchlists)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct WatchlistRow {
    id: i64,
    team: String,
    name: String,
    kinds: String,
    actions: String,
    min_confidence: Option<f64>,
    feed_token_hash: Option<String>,
    created_by: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn assemble(conn: &mut DbConnection, rows: Vec<WatchlistRow>) -> StoreResult<Vec<Watchlist>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let members: Vec<(i64, i64, String, String)> = watchlist_companies::table
        .inner_join(companies::table)
        .filter(watchlist_companies::watchlist_id.eq_any(&ids))
        .order((watchlist_companies::watchlist_id, companies::ticker))
        .select((
            watchlist_companies::watchlist_id,
            companies::id,
            companies::ticker,
            companies::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let kinds: Vec<String> = serde_json::from_str(&row.kinds).unwrap_or_default();
            Watchlist {
                companies: members
                    .iter()
                    .filter(|m| m.0 == row.id)
                    .map(|m| ListedCompany {
                        id: m.1,
                        ticker: m.2.clone(),
                        name: m.3.clone(),
                    })
                    .collect(),
                kinds: kinds.iter().filter_map(|k| k.parse().ok()).collect(),
                actions: serde_json::from_str(&row.actions).unwrap_or_default(),
                min_confidence: row.min_confidence,
                has_feed_token: row.feed_token_hash.is_some(),
                id: row.id,
                team: row.team,
                name: row.name,
                created_by: row.created_by,
                created_at: row.created_at,
                updated_at: row.updated_at,
            }
        })
        .collect())
}

/// The watchlists of a team, by name.
pub fn list(conn: &mut DbConnection, team: &str) -> StoreResult<Vec<Watchlist>> {
    let rows: Vec<WatchlistRow> = watchlists::table
        .filter(watchlists::team.eq(team))
        .order(watchlists::name)
        .select(WatchlistRow::as_select())
        .load(conn)?;
    assemble(conn, rows)
}

/// A watchlist of a team; `None` when there is none of that id in the team.
pub fn get(conn: &mut DbConnection, team: &str, id: i64) -> StoreResult<Option<Watchlist>> {
    let rows: Vec<WatchlistRow> = watchlists::table
        .filter(watchlists::team.eq(team))
        .filter(watchlists::id.eq(id))
        .select(WatchlistRow::as_select())
        .load(conn)?;
    Ok(assemble(conn, rows)?.pop())
}

/// The watchlist whose feed token has this hash (any team).
pub fn by_feed_token(conn: &mut DbConnection, token_hash: &str) -> StoreResult<Option<Watchlist>> {
    let rows: Vec<WatchlistRow> = watchlists::table
        .filter(watchlists::feed_token_hash.eq(token_hash))
        .select(WatchlistRow::as_select())
        .load(conn)?;
    Ok(assemble(conn, rows)?.pop())
}

/// Every watchlist holding one of these companies, with its companies.
pub fn holding(conn: &mut DbConnection, company_ids: &[i64]) -> StoreResult<Vec<Watchlist>> {
    let ids = watchlist_companies::table
        .filter(watchlist_companies::company_id.eq_any(company_ids.to_vec()))
        .select(watchlist_companies::watchlist_id);
    let rows: Vec<WatchlistRow> = watchlists::table
        .filter(watchlists::id.eq_any(ids))
        .order(watchlists::id)
        .select(WatchlistRow::as_select())
        .load(conn)?;
    assemble(conn, rows)
}

fn check(input: &WatchlistInput) -> StoreResult<()> {
    let invalid = |field: &str, detail: &str| StoreError::InvalidValue {
        field: field.to_string(),
        detail: detail.to_string(),
    };
    if input.name.trim().is_empty() || input.name.chars().count() > 100 {
        return Err(invalid("name", "must have 1 to 100 characters"));
    }
    if input.company_ids.len() > MAX_COMPANIES {
        return Err(invalid("tickers", "at most 500 companies"));
    }
    Ok(())
}

fn input_json(input: &WatchlistInput) -> serde_json::Value {
    json!({
        "name": input.name, "company_ids": input.company_ids,
        "kinds": input.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "actions": input.actions, "min_confidence": input.min_confidence,
    })
}

fn write_members(conn: &mut DbConnection, id: i64, company_ids: &[i64]) -> StoreResult<()> {
    diesel::delete(watchlist_companies::table.filter(watchlist_companies::watchlist_id.eq(id)))
        .execute(conn)?;
    let mut seen = Vec::with_capacity(company_ids.len());
    for &company_id in company_ids {
        if seen.contains(&company_id) {
            continue;
        }
        seen.push(company_id);
        diesel::insert_into(watchlist_companies::table)
            .values((
                watchlist_companies::watchlist_id.eq(id),
                watchlist_companies::company_id.eq(company_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn name_taken(conn: &mut DbConnection, team: &str, name: &str, other_than: i64) -> StoreResult<()> {
    let taken: bool = diesel::select(diesel::dsl::exists(
        watchlists::table
            .filter(watchlists::team.eq(team))
            .filter(watchlists::name.eq(name))
            .filter(watchlists::id.ne(other_than)),
    ))
    .get_result(conn)?;
    if taken {
        return Err(StoreError::Conflict(format!(
            "the team has a watchlist named {name:?}"
        )));
    }
    Ok(())
}

/// Makes a watchlist for `team`; [`StoreError::Conflict`] when the team has
/// one of that name.
pub fn create(
    conn: &mut DbConnection,
    team: &str,
    input: &WatchlistInput,
    actor: &str,
) -> StoreResult<Watchlist> {
    check(input)?;
    write_transaction(conn, |conn| {
        name_taken(conn, team, input.name.trim(), 0)?;
        let at = now();
        let kinds: Vec<&str> = input.kinds.iter().map(|k| k.as_str()).collect();
        let id: i64 = diesel::insert_into(watchlists::table)
            .values((
                watchlists::team.eq(team),
                watchlists::name.eq(input.name.trim()),
                watchlists::kinds.eq(json!(kinds).to_string()),
                watchlists::actions.eq(json!(input.actions).to_string()),
                watchlists::min_confidence.eq(input.min_confidence),
                watchlists::created_by.eq(actor),
                watchlists::created_at.eq(at),
                watchlists::updated_at.eq(at),
            ))
            .returning(watchlists::id)
            .get_result(conn)?;
        write_members(conn, id, &input.company_ids)?;
        let mut after = input_json(input);
        after["id"] = json!(id);
        audit::record(conn, None, "watchlist", "create", actor, None, Some(&after))?;
        get(conn, team, id)?.ok_or_else(|| StoreError::NotFound(format!("no watchlist {id}")))
    })
}

/// Replaces a watchlist of `team` with `input`; `None` when the team has no
/// watchlist `id`.
pub fn replace(
    conn: &mut DbConnection,
    team: &str,
    id: i64,
    input: &WatchlistInput,
    actor: &str,
) -> StoreResult<Option<Watchlist>> {
    check(input)?;
    write_transaction(conn, |conn| {
        let Some(before) = get(conn, team, id)? else {
            return Ok(None);
        };
        name_taken(conn, team, input.name.trim(), id)?;
        let kinds: Vec<&str> = input.kinds.iter().map(|k| k.as_str()).collect();
        diesel::update(watchlists::table.find(id))
            .set((
                watchlists::name.eq(input.name.trim()),
                watchlists::kinds.eq(json!(kinds).to_string()),
                watchlists::actions.eq(json!(input.actions).to_string()),
                watchlists::min_confidence.eq(input.min_confidence),
                watchlists::updated_at.eq(now()),
            ))
            .execute(conn)?;
        write_members(conn, id, &input.company_ids)?;
        let before_json = json!({"name": before.name, "company_ids": before.company_ids()});
        audit::record(
            conn,
            None,
            "watchlist",
            "replace",
            actor,
            Some(&before_json),
            Some(&input_json(input)),
        )?;
        get(conn, team, id)
    })
}

/// Deletes a watchlist of `team` (with its webhooks and their deliveries);
/// returns whether there was one.
pub fn delete(conn: &mut DbConnection, team: &str, id: i64, actor: &str) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let Some(before) = get(conn, team, id)? else {
            return Ok(false);
        };
        diesel::delete(watchlists::table.find(id)).execute(conn)?;
        audit::record(
            conn,
            None,
            "watchlist",
            "delete",
            actor,
            Some(&json!({"id": id, "name": before.name, "company_ids": before.company_ids()})),
            None,
        )?;
        Ok(true)
    })
}

/// Sets (or, with `None`, revokes) the hash of a watchlist's feed token;
/// returns whether the team has the watchlist.
pub fn set_feed_token(
    conn: &mut DbConnection,
    team: &str,
    id: i64,
    token_hash: Option<&str>,
    actor: &str,
) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let changed = diesel::update(
            watchlists::table
                .filter(watchlists::team.eq(team))
                .filter(watchlists::id.eq(id)),
        )
        .set(watchlists::feed_token_hash.eq(token_hash))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        let action = if token_hash.is_some() {
            "feed_token"
        } else {
            "revoke_feed_token"
        };
        audit::record(
            conn,
            None,
            "watchlist",
            action,
            actor,
            None,
            Some(&json!({"id": id})),
        )?;
        Ok(true)
    })
}
