//! The event model: what extraction produces and `riskline extract` prints.

use serde::{Deserialize, Serialize};

use crate::domain::{
    Action, Confidence, Currency, DatePrecision, EventDate, Jurisdiction, Money, Status, Ticker,
};
pub use crate::domain::{EventKind as Kind, Role};

/// A listed company taking part in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyRef {
    /// The company's ticker in the registry.
    pub ticker: Ticker,
    /// The registry's short name for the company ("Apple"), not the text's spelling.
    pub name: String,
    /// The part the company plays in the event.
    pub role: Role,
}

/// A party that is not a listed company (a person, an agency suing, a private company).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    /// The name as the text gives it, titles dropped.
    pub name: String,
    /// The part the party plays (for example [`Role::Plaintiff`]).
    pub role: Role,
}

/// A span of the document that states the event; offsets are bytes into the normalised text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Byte offset of the span's start in the normalised text.
    pub start: usize,
    /// Byte offset just past the span's end in the normalised text.
    pub end: usize,
    /// The span's text (the sentence stating the event).
    pub text: String,
    /// The rule that matched (trigger lemma and pattern), for review.
    pub rule: String,
}

/// One lawsuit, regulatory action or service halt, with its arguments, in the
/// domain's types. On the wire (`riskline extract`, JSON Lines) it keeps the extraction
/// contract's flat shape: `amount` and `currency`, `occurred_on` and `date_precision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "EventJson", try_from = "EventJson")]
pub struct Event {
    /// Lawsuit, regulatory action or service halt.
    pub kind: Kind,
    /// The step the text reports (filed, fined, halted, ...), from the trigger.
    pub action: Action,
    /// Where the event stands after this step; `None` when the text does not tell.
    pub status: Option<Status>,
    /// The tickers of [`Event::companies`], in order, each once.
    pub tickers: Vec<Ticker>,
    /// The listed companies taking part, each with its role.
    pub companies: Vec<CompanyRef>,
    /// Other parties (people, agencies suing, private companies).
    pub parties: Vec<Party>,
    /// The court or agency, where stated.
    pub authority: Option<String>,
    /// Where the act applies (`US`, `EU`, `US-CA`), as known for the authority.
    pub jurisdiction: Option<Jurisdiction>,
    /// The amount as stated, in its currency.
    pub money: Option<Money>,
    /// The amount in US dollars (converted at fixed rates), whole dollars.
    pub amount_usd: Option<i64>,
    /// When it happened, as precisely as the text says.
    pub date: Option<EventDate>,
    /// How sure the extractor is, from 0 to 1.
    pub confidence: Confidence,
    /// A short English summary built from the fields (who, what, how much).
    pub summary: String,
    /// The sentences stating the event; several when mentions of it were merged.
    pub evidence: Vec<Evidence>,
}

/// The extraction contract's shape of an [`Event`].
#[derive(Debug, Clone, Serialize, Deserialize)]
struct EventJson {
    kind: Kind,
    action: Action,
    status: Option<Status>,
    tickers: Vec<Ticker>,
    companies: Vec<CompanyRef>,
    parties: Vec<Party>,
    authority: Option<String>,
    jurisdiction: Option<Jurisdiction>,
    amount: Option<f64>,
    currency: Option<Currency>,
    amount_usd: Option<i64>,
    /// "2026-01-23" | "2026-01" | "2026".
    occurred_on: Option<String>,
    date_precision: Option<DatePrecision>,
    confidence: Confidence,
    summary: String,
    evidence: Vec<Evidence>,
}

impl From<Event> for EventJson {
    fn from(e: Event) -> EventJson {
        EventJson {
            kind: e.kind,
            action: e.action,
            status: e.status,
            tickers: e.tickers,
            companies: e.companies,
            parties: e.parties,
            authority: e.authority,
            jurisdiction: e.jurisdiction,
            amount: e.money.map(|m| m.amount()),
            currency: e.money.map(|m| m.currency()),
            amount_usd: e.amount_usd,
            occurred_on: e.date.map(|d| d.to_string()),
            date_precision: e.date.map(|d| d.precision),
            confidence: e.confidence,
            summary: e.summary,
            evidence: e.evidence,
        }
    }
}

impl TryFrom<EventJson> for Event {
    type Error = String;

    fn try_from(j: EventJson) -> Result<Event, String> {
        let money = match (j.amount, j.currency) {
            (Some(amount), Some(currency)) => {
                Some(Money::new(amount, currency).map_err(|e| e.to_string())?)
            }
            (None, None) => None,
            _ => return Err("`amount` and `currency` go together".to_string()),
        };
        let date = match j.occurred_on.as_deref() {
            Some(text) => Some(
                EventDate::parse(text, j.date_precision)
                    .ok_or_else(|| format!("`occurred_on` {text:?} is not a date"))?,
            ),
            None => None,
        };
        Ok(Event {
            kind: j.kind,
            action: j.action,
            status: j.status,
            tickers: j.tickers,
            companies: j.companies,
            parties: j.parties,
            authority: j.authority,
            jurisdiction: j.jurisdiction,
            money,
            amount_usd: j.amount_usd,
            date,
            confidence: j.confidence,
            summary: j.summary,
            evidence: j.evidence,
        })
    }
}
