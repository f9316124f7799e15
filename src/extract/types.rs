//! The event model: what extraction produces and `riskline extract` prints.

use serde::{Deserialize, Serialize};

pub use crate::domain::{EventKind as Kind, Role};

/// A listed company taking part in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyRef {
    pub ticker: String,
    pub name: String,
    pub role: Role,
}

/// A party that is not a listed company (a person, an agency suing, a private company).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub role: Role,
}

/// A span of the document that states the event; offsets are bytes into the normalised text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The rule that matched (trigger lemma and pattern), for review.
    pub rule: String,
}

/// One lawsuit, regulatory action or service halt, with its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub kind: Kind,
    /// filed, settled, dismissed, ruled, appealed; ban, suspension, revocation, fine, order,
    /// recall, investigation, complaint; halt, suspension, shutdown, outage, exit.
    pub action: String,
    /// filed | settled | dismissed | ruled | announced.
    pub status: Option<String>,
    pub tickers: Vec<String>,
    pub companies: Vec<CompanyRef>,
    pub parties: Vec<Party>,
    /// The court or agency, where stated.
    pub authority: Option<String>,
    /// US, US-CA, EU, IE ...
    pub jurisdiction: Option<String>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub amount_usd: Option<i64>,
    /// "2026-01-23" | "2026-01" | "2026".
    pub occurred_on: Option<String>,
    /// day | month | year.
    pub date_precision: Option<String>,
    pub confidence: f64,
    pub summary: String,
    pub evidence: Vec<Evidence>,
}
