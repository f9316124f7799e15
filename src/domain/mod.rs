//! The domain: typed values every layer shares, valid by construction.
//!
//! The extractor emits them, ingest matches on them, the store keeps their text and the
//! API reads and writes them. Nothing between layers parses a kind, an action or a date
//! out of a string; text is read once, at the edge (a request, a stored row, a labelled
//! file), into these types.
//!
//! | concept | type | file |
//! |---|---|---|
//! | kind of event | [`EventKind`] | `kinds.rs` |
//! | what happened, its family and stage | [`Action`], [`ActionFamily`], [`Stage`] | `action.rs` |
//! | where an event stands | [`Status`] | `kinds.rs` |
//! | how a company takes part | [`Role`] | `kinds.rs` |
//! | a date known to a day, month or year | [`EventDate`], [`DatePrecision`] | `date.rs`, `kinds.rs` |
//! | a ticker symbol | [`Ticker`] | `ticker.rs` |
//! | an amount and its currency | [`Money`], [`Currency`] | `money.rs` |
//! | a country or state of law | [`Jurisdiction`] | `jurisdiction.rs` |
//! | how sure we are | [`Confidence`] | `money.rs` |
//! | which stories are open, active or closed | [`risk`] | `risk.rs` |

mod action;
mod date;
mod jurisdiction;
mod kinds;
mod money;
pub mod risk;
mod ticker;
mod value;

pub use action::{Action, ActionFamily, Stage};
pub use date::EventDate;
pub use jurisdiction::{Jurisdiction, NotAJurisdiction};
pub use kinds::{AliasKind, DatePrecision, EventKind, Role, Status};
pub use money::{Confidence, Currency, Money, NotMoney};
pub use ticker::{NotATicker, Ticker};
pub(crate) use value::text_enum;
pub use value::UnknownValue;
