//! Sums of money with their currency, and an event's confidence: numbers that mean
//! something.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code: three upper-case letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Why a text is not a currency code or an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotMoney {
    /// The text is not a three-letter currency code.
    #[error("{0:?} is not a currency code (three letters, such as USD)")]
    Currency(String),
    /// The number is negative or not finite.
    #[error("{0} is not an amount of money (a finite number, not negative)")]
    Amount(String),
}

impl Currency {
    /// US dollars.
    pub const USD: Currency = Currency(*b"USD");

    /// Reads a three-letter code in any case.
    ///
    /// ```
    /// use riskline::domain::Currency;
    /// assert_eq!(Currency::parse("eur").unwrap().as_str(), "EUR");
    /// assert!(Currency::parse("EURO").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Currency, NotMoney> {
        let t = text.trim().as_bytes();
        match t {
            [a, b, c] if t.iter().all(u8::is_ascii_alphabetic) => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(NotMoney::Currency(text.to_string())),
        }
    }

    /// The code, upper case.
    pub fn as_str(&self) -> &str {
        // Three ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
        let text = String::deserialize(d)?;
        Currency::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// An amount of money in a currency, as stated (not converted).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Money {
    amount: f64,
    currency: Currency,
}

impl Money {
    /// An amount, finite and not negative.
    ///
    /// ```
    /// use riskline::domain::{Currency, Money};
    /// let m = Money::new(1.5e9, Currency::USD).unwrap();
    /// assert_eq!((m.amount(), m.currency().as_str()), (1.5e9, "USD"));
    /// assert!(Money::new(f64::NAN, Currency::USD).is_err());
    /// ```
    pub fn new(amount: f64, currency: Currency) -> Result<Money, NotMoney> {
        if amount.is_finite() && amount >= 0.0 {
            Ok(Money { amount, currency })
        } else {
            Err(NotMoney::Amount(amount.to_string()))
        }
    }

    /// The number, in units of the currency.
    pub fn amount(&self) -> f64 {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }
}

/// How sure the extractor (or an analyst) is of an event: a number from 0 to 1, written
/// with at most three decimals (no float noise such as `0.9500000000000001`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Confidence(f64);

impl Confidence {
    /// Certain: an analyst's own entry.
    pub const CERTAIN: Confidence = Confidence(1.0);

    /// Any number: clamped to 0..=1 and rounded to three decimals; not a number is 0.
    ///
    /// ```
    /// use riskline::domain::Confidence;
    /// assert_eq!(Confidence::new(0.8 + 0.15).value(), 0.95);
    /// assert_eq!(Confidence::new(1.7).value(), 1.0);
    /// assert_eq!(Confidence::new(f64::NAN).value(), 0.0);
    /// ```
    pub fn new(value: f64) -> Confidence {
        if !value.is_finite() {
            return Confidence(0.0);
        }
        Confidence((value.clamp(0.0, 1.0) * 1000.0).round() / 1000.0)
    }

    /// The number.
    pub fn value(self) -> f64 {
        self.0
    }
}

impl Serialize for Confidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

impl<'de> Deserialize<'de> for Confidence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Confidence, D::Error> {
        let v = f64::deserialize(d)?;
        if (0.0..=1.0).contains(&v) {
            Ok(Confidence::new(v))
        } else {
            Err(serde::de::Error::custom(format!(
                "confidence {v} is not between 0 and 1"
            )))
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_finite_and_not_negative() {
        assert!(Money::new(-1.0, Currency::USD).is_err());
        assert!(Money::new(f64::INFINITY, Currency::USD).is_err());
        assert!(Money::new(0.0, Currency::parse("gbp").unwrap()).is_ok());
        assert!(Currency::parse("U$D").is_err());
    }

    #[test]
    fn confidence_prints_without_float_noise_and_refuses_out_of_range_input() {
        let c = Confidence::new(0.1 + 0.2);
        assert_eq!(serde_json::to_string(&c).unwrap(), "0.3");
        assert!(serde_json::from_str::<Confidence>("1.5").is_err());
        assert_eq!(Confidence::new(-3.0).value(), 0.0);
    }
}
