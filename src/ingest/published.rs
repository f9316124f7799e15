//! Publication dates as containers write them: `2026-01-23`, RFC 3339
//! (`2026-01-23T14:05:00Z`), RFC 2822 (`Fri, 23 Jan 2026 14:05:00 +0000`, RSS),
//! and the `Published: ...` line that plain-text news carries under its headline.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

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
    format!("{text:?} is not a date (expected YYYY-MM-DD, an RFC 3339 or RFC 2822 date-time)")
}

/// The date of a `Published: ...` line near the top of a plain-text document.
///
/// ```
/// use riskline::ingest::published::published_line;
/// let text = "Acme Sued Over Widgets\nPublished: 2026-01-23\n\nAcme was sued...";
/// assert_eq!(published_line(text).unwrap().to_string(), "2026-01-23");
/// assert_eq!(published_line("Acme\n\nPublished: never"), None);
/// ```
pub fn published_line(text: &str) -> Option<NaiveDate> {
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
            parse_timestamp(value).map(|t| t.date())
        })
}
