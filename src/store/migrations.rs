//! The embedded migrations of both backends, and running, reverting and listing them.
//!
//! `migrations/sqlite` and `migrations/postgres` hold the same migrations under the
//! same names; the tree is chosen by the connection's backend. Each migration runs
//! in its own transaction.

use diesel::migration::{Migration, MigrationSource};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::{DbConnection, StoreError};

/// The SQLite migrations, compiled into the binary.
pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// The PostgreSQL migrations, compiled into the binary.
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One migration and whether the database has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// The directory name, e.g. `2026-01-01-000001_companies`.
    pub name: String,
    /// Whether the database has applied it.
    pub applied: bool,
}

fn failed(err: Box<dyn std::error::Error + Send + Sync>) -> StoreError {
    StoreError::Migration(err.to_string())
}

fn names<DB: diesel::backend::Backend>(migrations: &[Box<dyn Migration<DB>>]) -> Vec<String> {
    migrations.iter().map(|m| m.name().to_string()).collect()
}

/// Applies every pending migration; returns the names of those applied, in order.
pub fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let pending = pending(conn)?;
    match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map_err(failed)?,
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES).map_err(failed)?,
    };
    Ok(pending)
}

/// Reverts the last applied migration, or all of them; returns the names reverted,
/// most recent first.
pub fn revert(conn: &mut DbConnection, all: bool) -> Result<Vec<String>, StoreError> {
    let applied: Vec<String> = status(conn)?
        .into_iter()
        .filter(|m| m.applied)
        .map(|m| m.name)
        .rev()
        .collect();
    let count = if all {
        applied.len()
    } else {
        applied.len().min(1)
    };
    for _ in 0..count {
        match conn {
            DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE).map_err(failed)?,
            DbConnection::Pg(c) => c.revert_last_migration(POSTGRES).map_err(failed)?,
        };
    }
    Ok(applied.into_iter().take(count).collect())
}

/// The names of the migrations not yet applied, in order.
pub fn pending(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    Ok(match conn {
        DbConnection::Sqlite(c) => names(&c.pending_migrations(SQLITE).map_err(failed)?),
        DbConnection::Pg(c) => names(&c.pending_migrations(POSTGRES).map_err(failed)?),
    })
}

/// Every embedded migration, in order, with whether it is applied.
pub fn status(conn: &mut DbConnection) -> Result<Vec<MigrationState>, StoreError> {
    let (all, applied) = match conn {
        DbConnection::Sqlite(c) => (
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
                .map(|m| names(&m))
                .map_err(failed)?,
            c.applied_migrations().map_err(failed)?,
        ),
        DbConnection::Pg(c) => (
            MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES)
                .map(|m| names(&m))
                .map_err(failed)?,
            c.applied_migrations().map_err(failed)?,
        ),
    };
    let applied: Vec<String> = applied.iter().map(|v| v.to_string()).collect();
    Ok(all
        .into_iter()
        .map(|name| {
            // A migration's version is the part of its name before the first underscore.
            let version = name.split('_').next().unwrap_or_default().replace('-', "");
            let applied = applied.iter().any(|a| a.replace('-', "") == version);
            MigrationState { name, applied }
        })
        .collect())
}
