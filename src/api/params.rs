//! Query parameters: parsed by hand so that every error names its parameter.
//!
//! Unknown and repeated parameters are refused, so that a typo (`form=` for
//! `from=`) is an error rather than a silently unfiltered answer.

use std::str::FromStr;

use chrono::NaiveDate;

use super::error::{shown, unknown_value, Invalid};
use crate::store::events_read::{Cursor, EventFilter};
use crate::store::models::{DatePrecision, EventKind, ReviewState, UnknownValue};

/// Items per page unless `limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 50;
/// The largest `limit` of a JSON page.
pub const MAX_LIMIT: usize = 200;
/// The `limit` of a CSV export unless it says otherwise.
pub const CSV_DEFAULT_LIMIT: usize = 1_000;
/// The largest `limit` of a CSV export.
pub const CSV_MAX_LIMIT: usize = 10_000;

/// The parameters of the timeline filters.
pub const FILTER_PARAMS: &[&str] = &[
    "from",
    "to",
    "kind",
    "action",
    "tag",
    "review",
    "min_confidence",
    "cursor",
    "limit",
    "format",
    "bom",
];

/// The parsed query string of a request.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses a query string, refusing parameters not in `allowed` and repeated ones.
    pub fn parse(query: &str, allowed: &[&str]) -> Result<Params, Invalid> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).map_err(|e| Invalid {
                field: "query".to_string(),
                detail: format!("the query string cannot be read ({e})"),
            })?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(Invalid::param(
                    name,
                    format!(
                        "unknown parameter (expected one of: {})",
                        allowed.join(", ")
                    ),
                ));
            }
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(Invalid::param(name, "given more than once"));
            }
        }
        Ok(Params { pairs })
    }

    /// The value of a parameter; an empty value counts as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>, Invalid> {
        self.get(name)
            .map(|v| {
                parse_day(v).ok_or_else(|| {
                    Invalid::param(
                        name,
                        format!("`{}` is not a date (expected YYYY-MM-DD)", shown(v)),
                    )
                })
            })
            .transpose()
    }

    /// A comma-separated list of enumeration values.
    pub fn list<T: FromStr<Err = UnknownValue>>(&self, name: &str) -> Result<Vec<T>, Invalid> {
        let Some(value) = self.get(name) else {
            return Ok(Vec::new());
        };
        value
            .split(',')
            .map(|v| {
                v.trim()
                    .parse::<T>()
                    .map_err(|e| Invalid::param(name, unknown_value(&e)))
            })
            .collect()
    }

    /// A comma-separated list of words (`action=filed,settled`).
    pub fn words(&self, name: &str) -> Result<Vec<String>, Invalid> {
        let Some(value) = self.get(name) else {
            return Ok(Vec::new());
        };
        value
            .split(',')
            .map(|v| {
                let v = v.trim();
                if v.is_empty() || v.len() > 64 {
                    Err(Invalid::param(
                        name,
                        format!("`{}` is not a list of words", shown(value)),
                    ))
                } else {
                    Ok(v.to_string())
                }
            })
            .collect()
    }

    /// A number between 0 and 1.
    pub fn fraction(&self, name: &str) -> Result<Option<f64>, Invalid> {
        self.get(name)
            .map(|v| match v.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
                _ => Err(Invalid::param(
                    name,
                    format!("`{}` is not a number between 0 and 1", shown(v)),
                )),
            })
            .transpose()
    }

    /// `limit`, between 1 and `max`.
    pub fn limit(&self, default: usize, max: usize) -> Result<usize, Invalid> {
        match self.get("limit") {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(Invalid::param(
                    "limit",
                    format!("`{}` is not a whole number between 1 and {max}", shown(v)),
                )),
            },
        }
    }

    /// `cursor`, as returned in `next_cursor`.
    pub fn cursor(&self) -> Result<Option<Cursor>, Invalid> {
        self.get("cursor")
            .map(|v| {
                decode_cursor(v).ok_or_else(|| {
                    Invalid::param(
                        "cursor",
                        "not a cursor returned by this API (pass `next_cursor` as it is)",
                    )
                })
            })
            .transpose()
    }

    /// `format`: `json` (the default) or `csv`.
    pub fn csv(&self) -> Result<bool, Invalid> {
        match self.get("format") {
            None | Some("json") => Ok(false),
            Some("csv") => Ok(true),
            Some(other) => Err(Invalid::param(
                "format",
                format!("`{}` is not a format (expected json or csv)", shown(other)),
            )),
        }
    }

    /// `bom`: whether a CSV export starts with a UTF-8 byte order mark, which
    /// spreadsheets need to read its text as UTF-8 (`true`/`false`, default
    /// false; only with `format=csv`).
    pub fn bom(&self) -> Result<bool, Invalid> {
        let bom = match self.get("bom") {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(other) => {
                return Err(Invalid::param(
                    "bom",
                    format!("`{}` is not true or false", shown(other)),
                ))
            }
        };
        if bom && !self.csv()? {
            return Err(Invalid::param(
                "bom",
                "only a CSV export (format=csv) has a BOM",
            ));
        }
        Ok(bom)
    }

    /// The timeline filters (and `q` when allowed).
    pub fn event_filter(&self) -> Result<EventFilter, Invalid> {
        let from = self.date("from")?;
        let to = self.date("to")?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(Invalid::param(
                    "to",
                    format!("{to} is before `from` ({from})"),
                ));
            }
        }
        let tag = self.get("tag").map(str::to_string);
        if let Some(tag) = &tag {
            if !crate::store::tags::valid_name(tag) {
                return Err(Invalid::param(
                    "tag",
                    format!("`{}` is not a tag name", shown(tag)),
                ));
            }
        }
        let text = self.get("q").map(str::to_string);
        if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
            return Err(Invalid::param("q", "longer than 200 characters"));
        }
        Ok(EventFilter {
            from,
            to,
            kinds: self.list::<EventKind>("kind")?,
            actions: self.words("action")?,
            tag,
            review: self.list::<ReviewState>("review")?,
            min_confidence: self.fraction("min_confidence")?,
            text,
        })
    }
}

/// The opaque form of a cursor: hex of `d:YYYY-MM-DD:ID` or `u:ID`.
///
/// ```
/// use riskline::api::params::{decode_cursor, encode_cursor};
/// use riskline::store::events_read::Cursor;
/// let c = Cursor { occurred_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 23), id: 42 };
/// assert_eq!(decode_cursor(&encode_cursor(&c)), Some(c));
/// ```
pub fn encode_cursor(cursor: &Cursor) -> String {
    let plain = match cursor.occurred_on {
        Some(day) => format!("d:{day}:{}", cursor.id),
        None => format!("u:{}", cursor.id),
    };
    hex::encode(plain)
}

/// Reads a cursor made by [`encode_cursor`]; `None` for anything else.
pub fn decode_cursor(text: &str) -> Option<Cursor> {
    let plain = String::from_utf8(hex::decode(text).ok()?).ok()?;
    let mut parts = plain.split(':');
    let cursor = match parts.next()? {
        "d" => {
            let day = NaiveDate::parse_from_str(parts.next()?, "%Y-%m-%d").ok()?;
            Cursor {
                occurred_on: Some(day),
                id: parts.next()?.parse().ok()?,
            }
        }
        "u" => Cursor {
            occurred_on: None,
            id: parts.next()?.parse().ok()?,
        },
        _ => return None,
    };
    (parts.next().is_none() && cursor.id > 0).then_some(cursor)
}

/// Parses a date written exactly `YYYY-MM-DD` (four-digit year).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shape
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

/// Parses an event date written `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, with the
/// precision it implies.
///
/// ```
/// use riskline::api::params::parse_event_date;
/// use riskline::store::models::DatePrecision;
/// let (day, precision) = parse_event_date("2026-03").unwrap();
/// assert_eq!((day.to_string(), precision), ("2026-03-01".to_string(), DatePrecision::Month));
/// ```
pub fn parse_event_date(text: &str) -> Option<(NaiveDate, DatePrecision)> {
    let text = text.trim();
    if let Some(day) = parse_day(text) {
        return Some((day, DatePrecision::Day));
    }
    let parts: Vec<&str> = text.split('-').collect();
    let year = |s: &str| (s.len() == 4).then(|| s.parse::<i32>().ok()).flatten();
    match parts.as_slice() {
        [y, m] if m.len() == 2 => {
            let month = m.parse::<u32>().ok()?;
            NaiveDate::from_ymd_opt(year(y)?, month, 1).map(|d| (d, DatePrecision::Month))
        }
        [y] => NaiveDate::from_ymd_opt(year(y)?, 1, 1).map(|d| (d, DatePrecision::Year)),
        _ => None,
    }
}

pub use super::item::format_event_date;

/// A positive id from a path segment.
pub fn path_id(name: &str, text: &str) -> Result<i64, Invalid> {
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(Invalid::path(
            name,
            format!("`{}` is not an id", shown(text)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        for cursor in [
            Cursor {
                occurred_on: NaiveDate::from_ymd_opt(1999, 12, 31),
                id: 7,
            },
            Cursor {
                occurred_on: None,
                id: 123_456_789,
            },
        ] {
            assert_eq!(decode_cursor(&encode_cursor(&cursor)), Some(cursor));
        }
        for bad in [
            "",
            "zz",
            "abc",
            &hex::encode("d:2026-13-01:4"),
            &hex::encode("u:-1"),
            &hex::encode("u:4:5"),
        ] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn unknown_and_repeated_parameters_are_refused() {
        let err = Params::parse("form=2026-01-01", FILTER_PARAMS).unwrap_err();
        assert_eq!(err.field, "form");
        let err = Params::parse("kind=lawsuit&kind=x", FILTER_PARAMS).unwrap_err();
        assert_eq!(err.field, "kind");
        let params = Params::parse("kind=lawsuit,service_halt&limit=", FILTER_PARAMS).unwrap();
        assert_eq!(params.list::<EventKind>("kind").unwrap().len(), 2);
        assert_eq!(params.limit(50, 200).unwrap(), 50);
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let params = Params::parse(
            "from=2024-13-01&kind=merger&min_confidence=2",
            FILTER_PARAMS,
        )
        .unwrap();
        let err = params.date("from").unwrap_err();
        assert_eq!(err.field, "from");
        assert!(
            err.detail.contains("`2024-13-01` is not a date"),
            "{}",
            err.detail
        );
        assert_eq!(params.list::<EventKind>("kind").unwrap_err().field, "kind");
        assert_eq!(
            params.fraction("min_confidence").unwrap_err().field,
            "min_confidence"
        );
    }

    #[test]
    fn event_dates_keep_their_precision() {
        assert_eq!(
            parse_event_date("2026"),
            NaiveDate::from_ymd_opt(2026, 1, 1).map(|d| (d, DatePrecision::Year))
        );
        assert_eq!(parse_event_date("2026-13"), None);
        assert_eq!(parse_event_date("26-01-01"), None);
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(format_event_date(day, Some("month")), "2026-03");
        assert_eq!(format_event_date(day, None), "2026-03-01");
    }
}
