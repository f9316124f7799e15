//! How handlers reach the database, and the in-memory ticker directory.
//!
//! Reads on SQLite run right on the worker thread, on a connection that the
//! thread keeps for itself: a timeline page is a few index range scans that take
//! well under a millisecond, less than handing the work to the blocking pool
//! would cost. Writes, and every PostgreSQL call (network round trips), run on
//! actix's blocking pool with a pooled connection, so that a worker never waits
//! on a lock or the network.
//!
//! The ticker directory the handlers keep in memory is the store's
//! [`crate::store::directory::Directory`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::web;

use crate::store::{DbConnection, Store, StoreError};

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
        let inline_reads = inline_reads && store.has_local_reads();
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
        self.store.reader(
            env_mb("RISKLINE_SQLITE_MMAP_MB", WORKER_MMAP_MB),
            env_mb("RISKLINE_SQLITE_CACHE_MB", WORKER_CACHE_MB),
        )
    }
}
