//! Document normalisation: raw bytes of a document in a given format become plain text
//! with sections and metadata.
//!
//! This is a minimal stand-in that handles plain text only (every format is treated as
//! text); the full implementation (HTML, EDGAR submissions) replaces this file. The API
//! below is the contract both sides keep.

use std::fmt;
use std::str::FromStr;

/// The format of a raw document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Recognise the format from the content.
    #[default]
    Auto,
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// An SEC EDGAR filing (full submission or primary document).
    Edgar,
}

impl Format {
    /// The lowercase name used on the command line and in JSON.
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Filer {
    pub name: String,
    pub cik: Option<i64>,
    pub form_type: Option<String>,
    pub filed_on: Option<chrono::NaiveDate>,
}

/// A named byte range of the normalised text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// A document as text, with what could be learnt about it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Normalized {
    pub text: String,
    /// The resolved format, never `Auto`.
    pub format: Format,
    pub title: Option<String>,
    pub published_at: Option<chrono::NaiveDate>,
    pub filer: Option<Filer>,
    pub sections: Vec<Section>,
}

/// Normalises a raw document. This stand-in keeps the text byte-identical.
pub fn normalize(raw: &str, format: Format) -> Normalized {
    let format = match format {
        Format::Auto => Format::Text,
        other => other,
    };
    Normalized {
        text: raw.to_string(),
        format,
        title: None,
        published_at: None,
        filer: None,
        sections: Vec::new(),
    }
}
