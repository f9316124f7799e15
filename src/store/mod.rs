//! The relational model on SQLite and PostgreSQL. Knows nothing of HTTP.
//!
//! One binary speaks both: the URL's scheme chooses the backend
//! ([`DatabaseUrl`]), query code is written once against [`DbConnection`], and
//! the few statements that must differ per backend (batch inserts, upserts,
//! write transactions) live in [`backend`].
//!
//! - `schema` (private): the diesel tables; [`models`]: rows, insert and update forms.
//! - [`migrations`]: the embedded migrations of both backends.
//! - [`companies`]: the company registry in the database.
//! - [`documents`]: stored documents; [`events_write`]: what ingestion reads and
//!   updates to merge reports into known events.
//! - [`events_read`]: timelines, event search, event detail, risk summaries;
//!   [`items`]: the timeline's list items kept as the API renders them, one
//!   range scan a page.
//! - [`directory`]: every company with its tickers and names, for ingestion and the API.
//! - [`StoreError`]: what can go wrong, in the store's words.
//! - [`review`]: analysts' writes (reviews, corrections, manual events, splits).
//! - [`sources`]: live sources `riskline watch` polls, their state and leases.
//! - [`tags`], [`keys`], [`audit`]: tags on events, API keys (with their team), the audit trail.
//! - [`changes`]: the changes feed, in an order no polling reader skips a change in.
//! - [`watchlists`], [`webhooks`]: teams' sets of companies, their subscriptions
//!   and the outbox of deliveries.
//! - [`backup`]: consistent copies of a SQLite database, and restoring one.
//!
//! ```no_run
//! let store = riskline::store::Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let companies = riskline::store::companies::list(&mut conn, Some(10))?;
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

pub mod audit;
pub mod backend;
pub mod backup;
pub mod changes;
pub mod companies;
mod connection;
pub mod directory;
pub mod documents;
mod error;
pub mod events_read;
pub mod events_write;
pub mod history;
pub mod items;
pub mod keys;
pub mod migrations;
pub mod models;
pub mod review;
mod schema;
pub mod snapshot;
pub mod sources;
pub mod tags;
#[cfg(test)]
mod tests;
pub mod watchlists;
pub mod webhooks;

use std::time::Duration;

use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::r2d2::{CustomizeConnection, Pool, PooledConnection};

pub use connection::{
    password_span, redact, Backend, DatabaseUrl, DbConnection, Manager, SqliteSettings,
};
pub use error::{StoreError, StoreResult};
pub use migrations::MigrationState;

/// The embedded default database when `DATABASE_URL` is unset.
pub const DEFAULT_DATABASE: &str = "riskline.db";

/// How long a caller waits for a pooled connection, and how long opening the store
/// waits for the database: long enough for a busy server, short enough that a
/// wrong URL fails within seconds.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections kept by the pool.
const POOL_SIZE: u32 = 10;

/// A connection taken from the pool; returns to it when dropped.
pub type Conn = PooledConnection<Manager>;

/// The database: a connection pool and the backend it talks to. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    url: DatabaseUrl,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("url", &self.url).finish()
    }
}

impl Store {
    /// Connects to the database of `url` (see [`DatabaseUrl::parse`]); does not migrate.
    ///
    /// One connection is made right away so that a wrong URL or a database that
    /// is down fails here, with the driver's own message.
    pub fn open(url: &str) -> Result<Store, StoreError> {
        let url = DatabaseUrl::parse(url).map_err(StoreError::InvalidUrl)?;
        let cannot_connect = |error: String| StoreError::Connect {
            url: url.to_string(),
            error: error.trim_end().to_string(),
        };
        let settings = SqliteSettings::default();
        let mut probe = url.connect().map_err(|e| cannot_connect(e.to_string()))?;
        // A file that is not a database, or is read-only, fails on the settings.
        settings
            .on_acquire(&mut probe)
            .map_err(|e| cannot_connect(e.to_string()))?;
        drop(probe);
        let pool = Pool::builder()
            .max_size(POOL_SIZE)
            // No connections made in the background: a worker thread still inside libpq
            // when a short command exits crashes the process. The pool connects on demand.
            .min_idle(Some(0))
            .connection_timeout(POOL_TIMEOUT)
            .connection_customizer(Box::new(settings))
            .build_unchecked(Manager::new(url.clone()));
        Ok(Store { pool, url })
    }

    /// Opens the store and brings the schema up to date where that is safe to do
    /// implicitly: SQLite, the embedded single-user default, is migrated; a
    /// PostgreSQL database shared by several processes is only checked, and
    /// pending migrations are an error asking for `riskline migrate`.
    pub fn open_and_migrate(url: &str) -> Result<Store, StoreError> {
        let store = Store::open(url)?;
        match store.backend() {
            Backend::Sqlite => {
                store.migrate()?;
            }
            Backend::Postgres => {
                let pending = migrations::pending(&mut *store.conn()?)?;
                if !pending.is_empty() {
                    return Err(StoreError::PendingMigrations(pending));
                }
            }
        }
        Ok(store)
    }

    /// The backend of this store.
    pub fn backend(&self) -> Backend {
        self.url.backend()
    }

    /// The URL of this store, without password.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// The connection pool, for callers that hand connections to worker threads.
    pub fn pool(&self) -> &Pool<Manager> {
        &self.pool
    }

    /// A connection from the pool.
    pub fn conn(&self) -> Result<Conn, StoreError> {
        Ok(self.pool.get()?)
    }

    /// Whether reads are cheap enough to run on the caller's own thread, on a
    /// connection it keeps ([`Store::reader`]): SQLite, a file in this process.
    pub fn has_local_reads(&self) -> bool {
        self.backend() == Backend::Sqlite
    }

    /// A connection of its own, outside the pool, for a thread that only reads:
    /// on SQLite read-only, with `mmap_mib` memory-mapped and a page cache of
    /// `cache_mib` (both in MiB); on PostgreSQL an ordinary connection.
    pub fn reader(&self, mmap_mib: u64, cache_mib: u64) -> Result<DbConnection, StoreError> {
        use diesel::connection::SimpleConnection;
        let cannot = |error: String| StoreError::Connect {
            url: self.url.to_string(),
            error,
        };
        let mut conn = self.url.connect().map_err(|e| cannot(e.to_string()))?;
        SqliteSettings::default()
            .on_acquire(&mut conn)
            .map_err(|e| cannot(e.to_string()))?;
        if let DbConnection::Sqlite(sqlite) = &mut conn {
            let mmap = mmap_mib * 1024 * 1024;
            let cache = cache_mib * 1024;
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

    /// Applies pending migrations, then rebuilds any timeline items they left
    /// stale (see [`items`]); returns the names of the migrations applied.
    pub fn migrate(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn()?;
        let applied = migrations::run_pending(&mut conn)?;
        let rebuilt = items::refresh_all(&mut conn, |done, total| {
            if done % 100_000 < 4_000 || done == total {
                tracing::info!(done, total, "rebuilding timeline items");
            }
        })?;
        if rebuilt > 0 {
            tracing::info!(rebuilt, "timeline items rebuilt");
        }
        Ok(applied)
    }

    /// Reverts the last migration, or all; returns the names reverted, latest first.
    pub fn revert(&self, all: bool) -> Result<Vec<String>, StoreError> {
        migrations::revert(&mut *self.conn()?, all)
    }

    /// Every migration with whether it is applied.
    pub fn migration_status(&self) -> Result<Vec<MigrationState>, StoreError> {
        migrations::status(&mut *self.conn()?)
    }
}

/// The current UTC time as stored: truncated to microseconds, the precision of
/// PostgreSQL, so that a value reads back equal on both backends.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
