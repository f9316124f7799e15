//! The event model: what extraction produces and `riskline extract` prints.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kind of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A case in a court: filed, settled, dismissed, ruled on, appealed.
    Lawsuit,
    /// An agency's own administrative act: ban, permit suspension, fine, consent order,
    /// recall, investigation.
    RegulatoryAction,
    /// A company halts one of its own products, services or operations.
    ServiceHalt,
}

impl Kind {
    /// All kinds, in a stable order.
    pub const ALL: [Kind; 3] = [Kind::Lawsuit, Kind::RegulatoryAction, Kind::ServiceHalt];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Lawsuit => "lawsuit",
            Kind::RegulatoryAction => "regulatory_action",
            Kind::ServiceHalt => "service_halt",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "lawsuit" => Ok(Kind::Lawsuit),
            "regulatory_action" => Ok(Kind::RegulatoryAction),
            "service_halt" => Ok(Kind::ServiceHalt),
            other => Err(format!(
                "unknown event kind {other:?} (expected lawsuit, regulatory_action or service_halt)"
            )),
        }
    }
}

/// The part a company or party plays in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Defendant,
    Plaintiff,
    Regulated,
    Operator,
    Affected,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Defendant => "defendant",
            Role::Plaintiff => "plaintiff",
            Role::Regulated => "regulated",
            Role::Operator => "operator",
            Role::Affected => "affected",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
