//! Jurisdictions: where an event happens in law.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where an event happens in law: a country (`US`, `IE`), a state or province of
/// one (`US-CA`), or a union of countries (`EU`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Jurisdiction(String);

/// Why a text is not a jurisdiction code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a jurisdiction (two letters such as US or EU, optionally -XX for a state)")]
pub struct NotAJurisdiction(pub String);

impl Jurisdiction {
    /// Reads `US`, `us-ca`, `EU`.
    ///
    /// ```
    /// use riskline::domain::Jurisdiction;
    /// assert_eq!(Jurisdiction::parse("us-ca").unwrap().as_str(), "US-CA");
    /// assert!(Jurisdiction::parse("United States").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Jurisdiction, NotAJurisdiction> {
        let t = text.trim();
        let (country, region) = match t.split_once('-') {
            Some((c, r)) => (c, Some(r)),
            None => (t, None),
        };
        let ok = country.len() == 2
            && country.bytes().all(|b| b.is_ascii_alphabetic())
            && region.map_or(true, |r| {
                (1..=3).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if ok {
            Ok(Jurisdiction(t.to_ascii_uppercase()))
        } else {
            Err(NotAJurisdiction(text.to_string()))
        }
    }

    /// The code, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Jurisdiction {
    type Error = NotAJurisdiction;

    fn try_from(text: String) -> Result<Jurisdiction, NotAJurisdiction> {
        Jurisdiction::parse(&text)
    }
}

impl From<Jurisdiction> for String {
    fn from(j: Jurisdiction) -> String {
        j.0
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_states_and_unions_are_read_and_names_are_not() {
        for ok in ["US", "eu", "US-CA", "CN-44"] {
            assert!(Jurisdiction::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "USA", "US-", "US-CALI", "U5"] {
            assert!(Jurisdiction::parse(bad).is_err(), "{bad}");
        }
    }
}
