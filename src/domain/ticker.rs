//! Ticker symbols, valid and in one spelling by construction.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A ticker symbol: 1 to 12 characters of `A`-`Z`, digits and `-`, starting with a
/// letter or digit; read in any case and kept in upper case, with a class separator
/// written as a dash (`brk.b` is `BRK-B`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ticker(String);

/// Why a text is not a ticker.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a ticker (1 to 12 letters, digits, '.' or '-')")]
pub struct NotATicker(pub String);

impl Ticker {
    /// Reads a ticker, trimming spaces, upper-casing it and writing `.` as `-`.
    ///
    /// ```
    /// use riskline::domain::Ticker;
    /// assert_eq!(Ticker::parse(" brk.b ").unwrap().as_str(), "BRK-B");
    /// assert!(Ticker::parse("").is_err());
    /// assert!(Ticker::parse("GM; DROP").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Ticker, NotATicker> {
        let t = text.trim().to_ascii_uppercase().replace('.', "-");
        let ok = (1..=12).contains(&t.len())
            && t.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if ok {
            Ok(Ticker(t))
        } else {
            Err(NotATicker(text.to_string()))
        }
    }

    /// The symbol, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Ticker {
    type Error = NotATicker;

    fn try_from(text: String) -> Result<Ticker, NotATicker> {
        Ticker::parse(&text)
    }
}

impl From<Ticker> for String {
    fn from(t: Ticker) -> String {
        t.0
    }
}

impl std::str::FromStr for Ticker {
    type Err = NotATicker;

    fn from_str(s: &str) -> Result<Ticker, NotATicker> {
        Ticker::parse(s)
    }
}

impl AsRef<str> for Ticker {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Ticker {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Ticker {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Ticker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickers_are_read_in_any_case_and_refused_when_malformed() {
        assert_eq!(Ticker::parse("bf-b").unwrap(), "BF-B");
        for bad in ["", "-A", "ABCDEFGHIJKLM", "A B", "Ä", ".X"] {
            assert!(Ticker::parse(bad).is_err(), "{bad:?}");
        }
        let t: Ticker = serde_json::from_str("\"gm\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"GM\"");
        assert!(serde_json::from_str::<Ticker>("\"$$\"").is_err());
    }
}
