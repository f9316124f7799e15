//! How handlers reach the database, and the in-memory ticker directory.
//!
//! Reads on SQLite run right on the worker thread, on a connection that the
//! thread keeps for itself: a timeline page is a few index range scans that take
//! well under a millisecond, less than handing the work to the blocking pool
//! would cost. Writes, and every PostgreSQL call (network round trips), run on
//! actix's blocking pool with a pooled connection, so that a worker never waits
//! on a lock or the network.
//!
//! The [`Directory`] maps tickers (current and former) to company ids in memory,
//! so a timeline request does not spend a query on it; a ticker it does not know
//! is looked up in the database, and found companies are added.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::CustomizeConnection;

use crate::store::models::AliasKind;
use crate::store::schema::{companies, company_aliases};
use crate::store::{Backend, DbConnection, SqliteSettings, Store, StoreError};

/// Page cache of a worker's own SQLite connection, in MiB, unless
/// `RISKLINE_SQLITE_CACHE_MB` says otherwise.
const WORKER_CACHE_MB: u64 = 64;

/// Memory-mapped bytes of a worker's connection, in MiB, unless
/// `RISKLINE_SQLITE_MMAP_MB` says otherwise. Reads go to the operating system's
/// page cache, shared by all connections and warm across restarts, instead of
/// each connection's own copy; measured against a 1 GiB page cache per
/// connection it was as fast once warm and much faster from a cold start
/// (docs/benchmarks-api.md).
const WORKER_MMAP_MB: u64 = 4096;

fn env_mb(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

static NEXT_DB_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// This worker's SQLite connections, one per [`Db`] (tests run several servers).
    static WORKER_CONNECTIONS: RefCell<HashMap<u64, DbConnection>> = RefCell::new(HashMap::new());
}

/// The database as handlers see it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    store: Store,
    id: u64,
    inline_reads: bool,
}

impl Db {
    /// Wraps a store; `inline_reads` lets SQLite reads run on the worker thread.
    pub fn new(store: Store, inline_reads: bool) -> Db {
        let inline_reads = inline_reads && store.backend() == Backend::Sqlite;
        Db {
            store,
            id: NEXT_DB_ID.fetch_add(1, Ordering::Relaxed),
            inline_reads,
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs a read (see the module documentation for where).
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        if self.inline_reads {
            self.on_worker(f)
        } else {
            self.blocking(f).await
        }
    }

    /// Runs a write (or a slow read) on the blocking pool with a pooled connection.
    pub async fn blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        match web::block(move || {
            let mut conn = store.conn().map_err(E::from)?;
            f(&mut conn)
        })
        .await
        {
            Ok(result) => result,
            // Only when the blocking pool is gone: the server is shutting down.
            Err(_) => Err(E::from(StoreError::Connect {
                url: self.store.url().to_string(),
                error: "the server is shutting down".to_string(),
            })),
        }
    }

    fn on_worker<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<StoreError>,
    {
        WORKER_CONNECTIONS.with(|cell| {
            let mut connections = cell.borrow_mut();
            let conn = match connections.entry(self.id) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    entry.insert(self.worker_connection().map_err(E::from)?)
                }
            };
            let result = f(conn);
            if result.is_err() {
                // Cheap to reopen; a connection left in a bad state is not kept.
                connections.remove(&self.id);
            }
            result
        })
    }

    fn worker_connection(&self) -> Result<DbConnection, StoreError> {
        let cannot = |error: String| StoreError::Connect {
            url: self.store.url().to_string(),
            error,
        };
        let mut conn = self
            .store
            .url()
            .connect()
            .map_err(|e| cannot(e.to_string()))?;
        SqliteSettings::default()
            .on_acquire(&mut conn)
            .map_err(|e| cannot(e.to_string()))?;
        if let DbConnection::Sqlite(sqlite) = &mut conn {
            let mmap = env_mb("RISKLINE_SQLITE_MMAP_MB", WORKER_MMAP_MB) * 1024 * 1024;
            let cache = env_mb("RISKLINE_SQLITE_CACHE_MB", WORKER_CACHE_MB) * 1024;
            sqlite
                .batch_execute(&format!("PRAGMA mmap_size = {mmap}"))
                .map_err(|e| cannot(e.to_string()))?;
            sqlite
                .batch_execute(&format!("PRAGMA cache_size = -{cache}"))
                .map_err(|e| cannot(e.to_string()))?;
            sqlite
                .batch_execute("PRAGMA query_only = ON")
                .map_err(|e| cannot(e.to_string()))?;
        }
        Ok(conn)
    }
}

/// One company as the directory knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub id: i64,
    pub ticker: String,
    pub name: String,
}

#[derive(Debug, Default)]
struct DirectoryData {
    by_ticker: HashMap<String, i64>,
    by_former: HashMap<String, i64>,
    entries: Vec<DirectoryEntry>,
}

/// Tickers and former tickers to company ids, in memory.
#[derive(Debug, Default)]
pub struct Directory {
    data: RwLock<Arc<DirectoryData>>,
}

impl Directory {
    /// Loads every company and former ticker.
    pub fn load(conn: &mut DbConnection) -> QueryResult<Directory> {
        let directory = Directory::default();
        directory.reload(conn)?;
        Ok(directory)
    }

    /// Reads the companies again (after a company write).
    pub fn reload(&self, conn: &mut DbConnection) -> QueryResult<()> {
        let rows: Vec<(i64, String, String)> = companies::table
            .select((companies::id, companies::ticker, companies::name))
            .order(companies::id)
            .load(conn)?;
        let former: Vec<(i64, String)> = company_aliases::table
            .filter(company_aliases::kind.eq(AliasKind::FormerTicker.as_str()))
            .order(company_aliases::id)
            .select((company_aliases::company_id, company_aliases::alias))
            .load(conn)?;
        let mut data = DirectoryData::default();
        for (id, ticker, name) in rows {
            data.by_ticker.insert(ticker.clone(), id);
            data.entries.push(DirectoryEntry { id, ticker, name });
        }
        for (id, alias) in former {
            if let Some(t) = crate::registry::normalize_ticker(&alias) {
                data.by_former.entry(t).or_insert(id);
            }
        }
        let mut slot = self.data.write().unwrap_or_else(|e| e.into_inner());
        *slot = Arc::new(data);
        Ok(())
    }

    fn snapshot(&self) -> Arc<DirectoryData> {
        self.data.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The company id of a ticker (normalized: any case, `.` or `-`), current
    /// tickers before former ones; `None` when the directory does not know it.
    pub fn lookup(&self, normalized: &str) -> Option<i64> {
        let data = self.snapshot();
        data.by_ticker
            .get(normalized)
            .or_else(|| data.by_former.get(normalized))
            .copied()
    }

    /// Adds a company found in the database.
    pub fn remember(&self, alias: &str, id: i64, ticker: &str, name: &str) {
        let mut slot = self.data.write().unwrap_or_else(|e| e.into_inner());
        let mut data = DirectoryData {
            by_ticker: slot.by_ticker.clone(),
            by_former: slot.by_former.clone(),
            entries: slot.entries.clone(),
        };
        if alias == ticker {
            data.by_ticker.insert(ticker.to_string(), id);
        } else {
            data.by_former.insert(alias.to_string(), id);
        }
        if !data.entries.iter().any(|e| e.id == id) {
            data.entries.push(DirectoryEntry {
                id,
                ticker: ticker.to_string(),
                name: name.to_string(),
            });
        }
        *slot = Arc::new(data);
    }

    /// Tickers close to `query`: same prefix, a name starting with it, or a
    /// small edit distance; best first, at most `n`.
    pub fn suggestions(&self, query: &str, n: usize) -> Vec<String> {
        let data = self.snapshot();
        let upper = query.trim().to_ascii_uppercase();
        let lower = query.trim().to_lowercase();
        if upper.is_empty() {
            return Vec::new();
        }
        let allowed = if upper.chars().count() <= 3 { 1 } else { 2 };
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for entry in &data.entries {
            let distance = edit_distance(&upper, &entry.ticker);
            let score = if entry.ticker.starts_with(&upper) || upper.starts_with(&entry.ticker) {
                Some(distance.min(allowed))
            } else if distance <= allowed {
                Some(distance)
            } else if lower.chars().count() >= 3 && entry.name.to_lowercase().starts_with(&lower) {
                Some(allowed + 1)
            } else {
                None
            };
            if let Some(score) = score {
                scored.push((score, &entry.ticker));
            }
        }
        scored.sort_by(|a, b| (a.0, a.1.len(), a.1).cmp(&(b.0, b.1.len(), b.1)));
        scored
            .into_iter()
            .take(n)
            .map(|(_, t)| t.to_string())
            .collect()
    }
}

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("JPM", "JPM"), 0);
        assert_eq!(edit_distance("JPN", "JPM"), 1);
        assert_eq!(edit_distance("JP", "JPM"), 1);
        assert_eq!(edit_distance("GOOGL", "GOOG"), 1);
        assert_eq!(edit_distance("", "ABC"), 3);
    }
}
