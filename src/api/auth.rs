//! Bearer keys, roles, and the short-lived cache of key look-ups.
//!
//! A request's key is hashed (SHA-256) and looked up by hash. Results, known
//! keys and unknown ones alike, are kept in memory for [`KEY_CACHE_TTL`], so
//! that authentication costs no database round trip on most requests; a revoked
//! key therefore stops working within that time. When an entry is refreshed,
//! the key's `last_used_at` is updated if it is older than a minute.
//!
//! The key itself is never logged nor kept: only its hash is a cache key.
//!
//! A known key's requests count against its per-key rate limit (see
//! [`super::limits`]), by key id: made-up keys get no bucket of their own (they
//! are answered `401`, and count against their address's limit).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};

use super::error::{store_problem, store_status, Problem};
use super::AppState;
use crate::store::models::KeyRole;
use crate::store::{keys, now, StoreError};

/// How long a key look-up is trusted; the most a revocation waits to take effect.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// Cached look-ups kept at most; the cache is emptied when full (a flood of
/// made-up keys cannot grow it without bound).
const KEY_CACHE_MAX: usize = 10_000;

/// The caller of a request, as its key says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The key's name (`api_keys.name`), recorded as the actor of its changes.
    pub name: String,
    /// What the key may do.
    pub role: KeyRole,
    /// The key's team: the owner of the watchlists it makes, and whose it sees.
    pub team: String,
}

fn rank(role: KeyRole) -> u8 {
    match role {
        KeyRole::Reader => 0,
        KeyRole::Analyst => 1,
        KeyRole::Admin => 2,
    }
}

impl Caller {
    /// Succeeds when the caller's role includes `needed`.
    pub fn require(&self, needed: KeyRole) -> Result<(), AuthError> {
        if rank(self.role) >= rank(needed) {
            Ok(())
        } else {
            Err(AuthError::Forbidden {
                needed,
                have: self.role,
            })
        }
    }
}

/// Why a request is not allowed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Occurs when the request has no `Authorization: Bearer` header.
    #[error("missing key")]
    Missing,
    /// Occurs when the key is unknown or revoked.
    #[error("unknown or revoked key")]
    Unknown,
    /// Occurs when the key's role lacks the right.
    #[error("role {have} may not do this")]
    Forbidden {
        /// The least role the request needs.
        needed: KeyRole,
        /// The key's role.
        have: KeyRole,
    },
    /// Occurs when the key has made more requests than its rate allows; carries
    /// the time until the next one is let through.
    #[error("too many requests with this key")]
    RateLimited(Duration),
    /// Occurs when the key cannot be checked.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AuthError {
    fn problem(&self) -> Problem {
        match self {
            AuthError::Missing => Problem::new(
                StatusCode::UNAUTHORIZED,
                "this route needs an API key: `Authorization: Bearer KEY`",
            )
            .with_field("authorization"),
            AuthError::Unknown => {
                Problem::new(StatusCode::UNAUTHORIZED, "unknown or revoked API key")
                    .with_field("authorization")
            }
            AuthError::Forbidden { needed, have } => Problem::new(
                StatusCode::FORBIDDEN,
                format!("this needs the {needed} role; the key has the {have} role"),
            ),
            AuthError::RateLimited(_) => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too many requests with this API key",
            ),
            AuthError::Store(err) => store_problem(err),
        }
    }
}

impl ResponseError for AuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            AuthError::Missing | AuthError::Unknown => StatusCode::UNAUTHORIZED,
            AuthError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AuthError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AuthError::Store(err) => store_status(err),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AuthError::RateLimited(wait) => {
                super::limits::too_many_requests(*wait, "with this API key")
            }
            _ => self.problem().response(),
        }
    }
}

#[derive(Debug, Clone)]
struct CachedKey {
    caller: Option<(i64, Arc<Caller>)>,
    checked: Instant,
}

/// Key look-ups of the last few seconds, by hash.
#[derive(Debug, Default)]
pub struct KeyCache {
    entries: RwLock<HashMap<String, CachedKey>>,
}

impl KeyCache {
    fn get(&self, hash: &str) -> Option<Option<(i64, Arc<Caller>)>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(hash)?;
        (entry.checked.elapsed() < KEY_CACHE_TTL).then(|| entry.caller.clone())
    }

    fn put(&self, hash: String, caller: Option<(i64, Arc<Caller>)>) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= KEY_CACHE_MAX {
            entries.clear();
        }
        entries.insert(
            hash,
            CachedKey {
                caller,
                checked: Instant::now(),
            },
        );
    }

    /// Forgets every look-up (after a key change made by this process).
    pub fn clear(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// The key of a request, if it carries one.
fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| key.trim())
        .filter(|k| !k.is_empty())
}

/// Finds the caller of a request: from the cache, or from the database.
async fn authenticate(req: HttpRequest) -> Result<Caller, AuthError> {
    let Some(key) = bearer(&req) else {
        return Err(AuthError::Missing);
    };
    let hash = keys::hash_secret(key);
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(AuthError::Store(StoreError::Connect {
            url: String::new(),
            error: "no application state".to_string(),
        }));
    };
    if let Some(cached) = state.keys.get(&hash) {
        return admit(&state, cached);
    }
    let lookup = hash.clone();
    let found = state
        .db
        .blocking(move |conn| {
            let row = keys::find_active(conn, &lookup)?;
            let team = match &row {
                Some(row) => Some(keys::team_of(conn, row.id)?),
                None => None,
            };
            if let Some(row) = &row {
                let at = now();
                let stale = row
                    .fields
                    .last_used_at
                    .map_or(true, |used| at - used > chrono::Duration::seconds(60));
                if stale {
                    keys::touch(conn, row.id, at)?;
                }
            }
            Ok::<_, StoreError>(row.zip(team))
        })
        .await?;
    let caller = found.and_then(|(row, team)| {
        let role = row.fields.role.parse::<KeyRole>().ok()?;
        Some((
            row.id,
            Arc::new(Caller {
                name: row.fields.name,
                role,
                team,
            }),
        ))
    });
    state.keys.put(hash, caller.clone());
    admit(&state, caller)
}

/// The caller of a known key, if the key is within its rate.
fn admit(state: &AppState, caller: Option<(i64, Arc<Caller>)>) -> Result<Caller, AuthError> {
    let (id, caller) = caller.ok_or(AuthError::Unknown)?;
    if let Some(limiter) = &state.limits.per_key {
        limiter.check(id).map_err(AuthError::RateLimited)?;
    }
    Ok((*caller).clone())
}

impl FromRequest for Caller {
    type Error = AuthError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, AuthError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}
