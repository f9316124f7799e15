//! riskline: lawsuits, regulatory actions and service halts of listed companies,
//! extracted from documents, stored, and served as per-company risk timelines.
//!
//! - [`registry`]: the company registry (built-in CSV, SEC lists); pure.
//! - [`extract`]: document in, events out; pure (no database, no HTTP).
//! - [`eval`]: scoring extracted events against a labelled gold file; pure.
//! - [`store`]: the relational model on SQLite and PostgreSQL (diesel).
//! - [`ingest`]: documents in, events merged with the known ones and stored.
//! - [`watch`]: live sources (feeds, SEC EDGAR) polled and ingested as they change.
//! - [`webhooks`]: the delivery worker of watchlist subscriptions.
//! - [`cli`]: the subcommands of the `riskline` binary.

pub mod api;
pub mod cli;
pub mod domain;
pub mod eval;
pub mod extract;
pub mod ingest;
pub mod registry;
pub mod store;
pub mod watch;
pub mod webhooks;
