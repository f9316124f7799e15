//! API keys: created with a role, stored as SHA-256 hashes, revoked by name.
//!
//! The secret is shown once at creation and never stored; a request's key is
//! hashed and looked up by hash. `prefix` keeps the first characters so that a
//! listing can tell keys apart without revealing them.
//!
//! ```no_run
//! use riskline::store::{keys, models::KeyRole, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let (secret, row) = keys::create(&mut conn, "alice", KeyRole::Analyst, "cli")?;
//! assert_eq!(keys::find_active(&mut conn, &keys::hash_secret(&secret))?.map(|k| k.id), Some(row.id));
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::backend::write_transaction;
use super::models::{ApiKeyRow, KeyRole, NewApiKey};
use super::schema::api_keys;
use super::{audit, now, DbConnection};
use super::{StoreError, StoreResult};

/// What starts every key, so that a leaked one is recognisable.
pub const KEY_PREFIX: &str = "rk_";

/// Characters of a key kept in `prefix`.
const SHOWN_CHARS: usize = 9;

/// A new random secret: `rk_` and 40 hex digits (160 bits).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{KEY_PREFIX}{}", hex::encode(bytes))
}

/// The stored form of a secret: SHA-256, lower-case hex.
///
/// ```
/// let h = riskline::store::keys::hash_secret("rk_x");
/// assert_eq!(h.len(), 64);
/// ```
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether a key name is acceptable: 1 to 64 of letters, digits, `.`, `_`, `-`, `@`.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

fn key_json(row: &ApiKeyRow) -> serde_json::Value {
    let key = &row.fields;
    serde_json::json!({
        "name": key.name, "role": key.role, "prefix": key.prefix,
        "revoked": key.revoked_at.is_some(),
    })
}

/// Creates a key; returns the secret (to show once) and the stored row.
/// Fails with a unique violation when the name is taken.
pub fn create(
    conn: &mut DbConnection,
    name: &str,
    role: KeyRole,
    actor: &str,
) -> StoreResult<(String, ApiKeyRow)> {
    let secret = new_secret();
    let row = NewApiKey {
        name: name.to_string(),
        role: role.as_str().to_string(),
        key_hash: hash_secret(&secret),
        prefix: secret.chars().take(SHOWN_CHARS).collect(),
        created_at: now(),
        revoked_at: None,
        last_used_at: None,
    };
    let stored = write_transaction(conn, |conn| {
        diesel::insert_into(api_keys::table)
            .values(&row)
            .execute(conn)?;
        let stored = api_keys::table
            .filter(api_keys::name.eq(name))
            .select(ApiKeyRow::as_select())
            .first(conn)?;
        audit::record(
            conn,
            None,
            "api_key",
            "create",
            actor,
            None,
            Some(&key_json(&stored)),
        )?;
        Ok::<_, StoreError>(stored)
    })?;
    Ok((secret, stored))
}

/// Replaces the key called `name` (revoked or not) by a new one of `role`;
/// returns the new secret. For the demo key, which is minted at every start.
pub fn rotate(
    conn: &mut DbConnection,
    name: &str,
    role: KeyRole,
    actor: &str,
) -> StoreResult<(String, ApiKeyRow)> {
    write_transaction(conn, |conn| {
        diesel::delete(api_keys::table.filter(api_keys::name.eq(name))).execute(conn)?;
        create(conn, name, role, actor)
    })
}

/// Every key, by name.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<ApiKeyRow>> {
    Ok(api_keys::table
        .order(api_keys::name)
        .select(ApiKeyRow::as_select())
        .load(conn)?)
}

/// Revokes the key called `name`; returns `false` when there is none or it
/// was revoked already.
pub fn revoke(conn: &mut DbConnection, name: &str, actor: &str) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let Some(before) = api_keys::table
            .filter(api_keys::name.eq(name))
            .filter(api_keys::revoked_at.is_null())
            .select(ApiKeyRow::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(false);
        };
        diesel::update(api_keys::table.find(before.id))
            .set(api_keys::revoked_at.eq(Some(now())))
            .execute(conn)?;
        let mut after = before.clone();
        after.fields.revoked_at = Some(now());
        audit::record(
            conn,
            None,
            "api_key",
            "revoke",
            actor,
            Some(&key_json(&before)),
            Some(&key_json(&after)),
        )?;
        Ok(true)
    })
}

/// The key with this hash, unless revoked.
pub fn find_active(conn: &mut DbConnection, key_hash: &str) -> StoreResult<Option<ApiKeyRow>> {
    Ok(api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records that a key was used at `at`.
pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> StoreResult<()> {
    diesel::update(api_keys::table.find(id))
        .set(api_keys::last_used_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// The team of a key (`api_keys.team`; `default` unless set).
pub fn team_of(conn: &mut DbConnection, id: i64) -> StoreResult<String> {
    api_keys::table
        .find(id)
        .select(api_keys::team)
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no key {id}")))
}

/// Whether a team name is acceptable: the rules of key names.
pub fn valid_team(team: &str) -> bool {
    valid_name(team)
}

/// Puts the key `name` in `team`; fails when there is no such key.
pub fn set_team(conn: &mut DbConnection, name: &str, team: &str, actor: &str) -> StoreResult<()> {
    write_transaction(conn, |conn| {
        let before: Option<(i64, String)> = api_keys::table
            .filter(api_keys::name.eq(name))
            .select((api_keys::id, api_keys::team))
            .first(conn)
            .optional()?;
        let Some((id, old)) = before else {
            return Err(StoreError::NotFound(format!("no key named {name}")));
        };
        diesel::update(api_keys::table.find(id))
            .set(api_keys::team.eq(team))
            .execute(conn)?;
        audit::record(
            conn,
            None,
            "api_key",
            "team",
            actor,
            Some(&serde_json::json!({ "name": name, "team": old })),
            Some(&serde_json::json!({ "name": name, "team": team })),
        )
    })
}
