//! The extraction pipeline: document in, events out. No database, no HTTP.
//!
//! STUB on the `ingest` branch: the types and signatures of the extraction
//! contract, so that ingestion can be written against them; it finds no events.
//! The real engine (branch `extract`) replaces this file when merged.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::registry::CompanyRecord;

/// The format of a raw document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Recognise the format from the content.
    #[default]
    Auto,
    Text,
    Html,
    Edgar,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Html => "html",
            Format::Edgar => "edgar",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" => Ok(Format::Text),
            "html" => Ok(Format::Html),
            "edgar" => Ok(Format::Edgar),
            _ => Err(format!(
                "unknown format {s:?} (expected auto, text, html or edgar)"
            )),
        }
    }
}

/// The company that filed a document with the SEC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filer {
    pub name: String,
    pub cik: Option<i64>,
    pub form_type: Option<String>,
    pub filed_on: Option<NaiveDate>,
}

/// A named byte range of the normalised text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// A document as text, with what could be learnt about it.
#[derive(Debug, Clone, Serialize)]
pub struct Normalized {
    pub text: String,
    pub format: Format,
    pub title: Option<String>,
    pub published_at: Option<NaiveDate>,
    pub filer: Option<Filer>,
    pub sections: Vec<Section>,
}

/// The kind of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Lawsuit,
    RegulatoryAction,
    ServiceHalt,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Lawsuit => "lawsuit",
            Kind::RegulatoryAction => "regulatory_action",
            Kind::ServiceHalt => "service_halt",
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

/// A listed company taking part in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompanyRef {
    pub ticker: String,
    pub name: String,
    pub role: Role,
}

/// A party that is not a listed company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub role: Role,
}

/// A span of the document that states the event; byte offsets into the normalised text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub rule: String,
}

/// One lawsuit, regulatory action or service halt, with its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub kind: Kind,
    pub action: String,
    pub status: Option<String>,
    pub tickers: Vec<String>,
    pub companies: Vec<CompanyRef>,
    pub parties: Vec<Party>,
    pub authority: Option<String>,
    pub jurisdiction: Option<String>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub amount_usd: Option<i64>,
    pub occurred_on: Option<String>,
    pub date_precision: Option<String>,
    pub confidence: f64,
    pub summary: String,
    pub evidence: Vec<Evidence>,
}

/// What extraction found in one document.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub document: Normalized,
    pub events: Vec<Event>,
}

/// The extraction engine over one company registry.
#[derive(Debug, Default)]
pub struct Extractor;

impl Extractor {
    pub fn new(_records: &[CompanyRecord]) -> Self {
        Extractor
    }

    pub fn builtin() -> &'static Extractor {
        static BUILTIN: LazyLock<Extractor> = LazyLock::new(|| Extractor);
        &BUILTIN
    }

    pub fn extract(
        &self,
        raw: &str,
        format: Format,
        published_at: Option<NaiveDate>,
    ) -> Extraction {
        let format = match format {
            Format::Auto => Format::Text,
            other => other,
        };
        Extraction {
            document: Normalized {
                text: raw.to_string(),
                format,
                title: None,
                published_at,
                filer: None,
                sections: Vec::new(),
            },
            events: Vec::new(),
        }
    }
}
