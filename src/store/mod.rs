//! The relational model on SQLite and PostgreSQL. Knows nothing of HTTP.

/// The embedded default database when `DATABASE_URL` is unset.
pub const DEFAULT_DATABASE: &str = "riskline.db";
