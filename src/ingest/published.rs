//! Publication dates as containers write them: `2026-01-23`, RFC 3339
//! (`2026-01-23T14:05:00Z`), RFC 2822 (`Fri, 23 Jan 2026 14:05:00 +0000`, RSS),
//! and the `Published: ...` line that plain-text news carries under its headline.
//!
//! One policy for every entry point (JSONL lines, feeds, `POST /documents`,
//! `--published-at`): a date may be partial (`2021-10`, `2021`) and keeps its
//! precision; a value that is not a real date or time (`2024-01-01T25:00:00Z`, an
//! offset of `+99:00`) is refused with a message, never coerced.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::extract::dates::{Precision, Published};

/// A publication time as a source states it: a time in UTC, or a day, month or year
/// (then `at` is the first moment of the period).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stated {
    /// The time in UTC (midnight of the first day when only a date is stated).
    pub at: NaiveDateTime,
    /// How much of it is stated (a time counts as `Day`).
    pub precision: Precision,
}

impl Stated {
    /// A time known to the second.
    pub fn exact(at: NaiveDateTime) -> Stated {
        Stated {
            at,
            precision: Precision::Day,
        }
    }

    /// The date the extractor reads relative dates against, with its precision.
    pub fn published(self) -> Published {
        Published {
            date: self.at.date(),
            precision: self.precision,
        }
    }

    /// The precision to record with a stored document: `None` when the day is known.
    pub fn stored_precision(self) -> Option<String> {
        (self.precision != Precision::Day).then(|| self.precision.as_str().to_string())
    }
}

impl From<Published> for Stated {
    fn from(p: Published) -> Stated {
        Stated {
            at: super::source::at_midnight(p.date),
            precision: p.precision,
        }
    }
}

/// Parses a publication time or date by the policy above; the error names what was
/// expected.
///
/// ```
/// use riskline::ingest::published::parse_stated;
/// use riskline::extract::dates::Precision;
/// assert_eq!(parse_stated("2021-10").unwrap().precision, Precision::Month);
/// assert_eq!(parse_stated("2021").unwrap().at.to_string(), "2021-01-01 00:00:00");
/// assert!(parse_stated("2024-01-01T25:00:00Z").is_err());
/// assert!(parse_stated("2024-01-01T10:00:00+99:00").is_err());
/// ```
pub fn parse_stated(text: &str) -> Result<Stated, String> {
    let t = text.trim();
    if let Ok(p) = Published::parse(t) {
        return Ok(p.into());
    }
    parse_timestamp(t)
        .map(Stated::exact)
        .ok_or_else(|| invalid_timestamp(t))
}

/// Lines of a plain-text document searched for a `Published:` line: the headline,
/// perhaps a subtitle or byline, then the date.
const PUBLISHED_LINE_WITHIN: usize = 6;

/// A publication time in UTC, from a date or a date-time with offset.
///
/// ```
/// use riskline::ingest::published::parse_timestamp;
/// assert_eq!(parse_timestamp("2026-01-23").unwrap().to_string(), "2026-01-23 00:00:00");
/// assert_eq!(parse_timestamp("2026-01-23T14:05:00+02:00").unwrap().to_string(), "2026-01-23 12:05:00");
/// assert_eq!(parse_timestamp("Fri, 23 Jan 2026 14:05:00 GMT").unwrap().to_string(), "2026-01-23 14:05:00");
/// assert!(parse_timestamp("yesterday").is_none());
/// ```
pub fn parse_timestamp(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(super::source::at_midnight(date));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.naive_utc());
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t.naive_utc());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(t);
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return Some(t);
    }
    for format in ["%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%b. %d, %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(super::source::at_midnight(date));
        }
    }
    None
}

/// The message for a publication time that [`parse_timestamp`] refuses.
pub fn invalid_timestamp(text: &str) -> String {
    let shown: String = text.chars().take(60).collect();
    let more = if text.chars().count() > 60 { "..." } else { "" };
    format!(
        "{shown:?}{more} is not a valid date or time (expected YYYY-MM-DD, YYYY-MM, YYYY, \
         or a date-time such as 2026-01-23T14:05:00Z or Fri, 23 Jan 2026 14:05:00 GMT)"
    )
}

/// The date of a `Published: ...` line near the top of a plain-text document.
///
/// ```
/// use riskline::ingest::published::published_line;
/// let text = "Acme Sued Over Widgets\nPublished: 2026-01-23\n\nAcme was sued...";
/// assert_eq!(published_line(text).unwrap().at.to_string(), "2026-01-23 00:00:00");
/// assert_eq!(published_line("Acme\n\nPublished: never"), None);
/// ```
pub fn published_line(text: &str) -> Option<Stated> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(PUBLISHED_LINE_WITHIN)
        .find_map(|line| {
            let (label, value) = line.split_once(':')?;
            let label = label.trim().to_ascii_lowercase();
            if label != "published" && label != "published on" {
                return None;
            }
            parse_stated(value).ok()
        })
}
