//! What can go wrong in the store, in the store's own words.
//!
//! Callers never see a diesel error: a failed statement is sorted here, once,
//! into what it means for them (a record that is not there, a duplicate, a value
//! the database refused, a database that is busy or gone), and conditions the
//! store finds itself (events that kept changing under a writer, a request that
//! contradicts what is stored) have their own variants. Messages that carry a
//! database's text keep the prefix `database error:`.

use diesel::result::{DatabaseErrorKind, Error as Diesel};

/// The result of a store function.
pub type StoreResult<T> = Result<T, StoreError>;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Occurs when the database URL cannot be understood.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// Occurs when the database cannot be reached or opened; `url` has no password.
    #[error("cannot connect to {url}: {error}")]
    Connect {
        /// The database URL, its password replaced.
        url: String,
        /// The driver's message.
        error: String,
    },
    /// Occurs when no pooled connection becomes free in time.
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// Occurs when a migration cannot be read, applied or reverted.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Occurs when a PostgreSQL database lacks migrations that this binary needs.
    #[error("the database schema is not up to date (pending: {}); run `riskline migrate`", .0.join(", "))]
    PendingMigrations(Vec<String>),
    /// Occurs when the record a change is about does not exist (`no event 7`).
    #[error("{0}")]
    NotFound(String),
    /// Occurs when a request contradicts what is stored; the text is for a client.
    #[error("{0}")]
    Conflict(String),
    /// Occurs when a value cannot be stored as asked; `field` names the value.
    #[error("{detail}")]
    InvalidValue {
        /// The field the value was for, e.g. `date_precision`.
        field: String,
        /// What is wrong with it, for a client.
        detail: String,
    },
    /// Occurs when a write would duplicate a record under a unique key.
    #[error("database error: {0}")]
    Duplicate(String),
    /// Occurs when the database refuses a value (a check, a missing value, a
    /// reference to nothing).
    #[error("database error: {0}")]
    Refused(String),
    /// Occurs when other writers kept changing the events a write depends on.
    #[error("database error: {0}")]
    KeptChanging(String),
    /// Occurs when the connection to the database is lost.
    #[error("database error: {0}")]
    Unavailable(String),
    /// Occurs when the database is locked by another writer for too long.
    #[error("database error: {0}")]
    Busy(String),
    /// Occurs when a statement fails otherwise.
    #[error("database error: {0}")]
    Database(Diesel),
}

impl StoreError {
    /// Whether the database refused the data (rather than failing): a
    /// duplicate or a refused value.
    pub fn is_refusal(&self) -> bool {
        self.refusal().is_some()
    }

    /// The database's own words for a refusal; `None` for other errors.
    pub fn refusal(&self) -> Option<&str> {
        match self {
            StoreError::Duplicate(words) | StoreError::Refused(words) => Some(words),
            _ => None,
        }
    }

    /// Whether the database cannot be used right now (connection, pool, lock):
    /// a condition of the service, not of the request.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Pool(_) | StoreError::Connect { .. } | StoreError::Unavailable(_)
        )
    }

    pub(crate) fn kept_changing() -> StoreError {
        StoreError::KeptChanging("events kept changing while ingesting; try again".to_string())
    }
}

impl From<Diesel> for StoreError {
    fn from(error: Diesel) -> StoreError {
        match &error {
            Diesel::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                StoreError::Duplicate(error.to_string())
            }
            Diesel::DatabaseError(
                DatabaseErrorKind::CheckViolation
                | DatabaseErrorKind::NotNullViolation
                | DatabaseErrorKind::ForeignKeyViolation,
                _,
            ) => StoreError::Refused(error.to_string()),
            Diesel::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
            | Diesel::BrokenTransactionManager => StoreError::Unavailable(error.to_string()),
            Diesel::DatabaseError(_, info) if info.message().contains("database is locked") => {
                StoreError::Busy(error.to_string())
            }
            _ => StoreError::Database(error),
        }
    }
}
