//! The extraction pipeline: document in, events out. No database, no HTTP.
pub mod normalize;
