//! Date expressions and their resolution: explicit dates ("June 30, 2025", "Dec. 21",
//! "March 2022", "2019"), weekdays and relative expressions ("on Tuesday", "last week",
//! "earlier this month", "in October") resolved against the publication date, and
//! expressions relative to the previous date of the text ("the next day", "the same day",
//! "two days later").
//!
//! ```
//! use chrono::NaiveDate;
//! use riskline::extract::dates::{find_dates, resolve_all, Precision};
//! let text = "The FAA acted on Jan. 5. The next day it ordered a grounding.";
//! let pub_date = NaiveDate::from_ymd_opt(2024, 1, 12);
//! let dates = resolve_all(text, &find_dates(text), pub_date);
//! assert_eq!(dates[1].date.unwrap().0.to_string(), "2024-01-06");
//! assert_eq!(dates[1].date.unwrap().1, Precision::Day);
//! ```

use crate::extract::span;
use std::sync::LazyLock;

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};
use regex::Regex;

pub use crate::domain::DatePrecision as Precision;

/// A publication date as precise as its source states it: `2021-10-05`, `2021-10`
/// or `2021`. The date is the first day of the period.
///
/// ```
/// use riskline::extract::dates::{Published, Precision};
/// let p = Published::parse("2021-10").unwrap();
/// assert_eq!((p.date.to_string().as_str(), p.precision), ("2021-10-01", Precision::Month));
/// assert_eq!(Published::parse("2021").unwrap().precision, Precision::Year);
/// assert!(Published::parse("2021-13").is_err());
/// assert!(Published::parse("2021-02-30").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// The first day of the period.
    pub date: NaiveDate,
    /// How much of the date is known.
    pub precision: Precision,
}

impl Published {
    /// A date known to the day.
    pub fn day(date: NaiveDate) -> Published {
        Published {
            date,
            precision: Precision::Day,
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the error says what was expected.
    pub fn parse(text: &str) -> Result<Published, String> {
        let t = text.trim();
        let expected = || {
            let shown: String = t.chars().take(40).collect();
            format!("{shown:?} is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY")
        };
        let parts: Vec<&str> = t.split('-').collect();
        let number = |s: &str, len: usize| -> Option<u32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (date, precision) = match parts.as_slice() {
            [y] => (
                number(y, 4).and_then(|y| NaiveDate::from_ymd_opt(y as i32, 1, 1)),
                Precision::Year,
            ),
            [y, m] => (
                number(y, 4)
                    .zip(number(m, 2))
                    .and_then(|(y, m)| NaiveDate::from_ymd_opt(y as i32, m, 1)),
                Precision::Month,
            ),
            [y, m, d] => (
                number(y, 4)
                    .zip(number(m, 2))
                    .zip(number(d, 2))
                    .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y as i32, m, d)),
                Precision::Day,
            ),
            _ => (None, Precision::Day),
        };
        date.map(|date| Published { date, precision })
            .ok_or_else(expected)
    }
}

impl<'de> serde::Deserialize<'de> for Published {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Published, D::Error> {
        let text = String::deserialize(d)?;
        Published::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Formats a date at a precision: "2024", "2024-03", "2024-03-05".
pub fn format_date(d: NaiveDate, p: Precision) -> String {
    p.format(d)
}

/// What a date expression says before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// Year, month, day as written (month and day optional).
    Explicit {
        /// The year; `None` when not written ("March 5"), then guessed at resolution.
        year: Option<i32>,
        /// The month, 1 to 12; `None` for a bare year.
        month: Option<u32>,
        /// The day of the month, 1 to 31; `None` for a month or a year.
        day: Option<u32>,
    },
    /// A weekday ("on Tuesday"); `last` when written "last Tuesday".
    Weekday {
        /// The weekday named.
        day: Weekday,
        /// Written "last Tuesday": strictly before the reference day, never on it.
        last: bool,
    },
    /// Days from the publication date (today 0, yesterday -1).
    PubDays(i64),
    /// The week/month/year of publication, shifted ("last week" = week -1).
    PubWeek(i32),
    /// Months from the month of publication ("last month" = -1, "two months ago" = -2).
    PubMonth(i32),
    /// Years from the year of publication ("last year" = -1).
    PubYear(i32),
    /// Days from the previous date of the text ("the next day" = 1, "two weeks later" = 14).
    AnchorDays(i64),
    /// Months from the previous date of the text ("two months later" = 2).
    AnchorMonths(i32),
}

/// A date expression found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateExpr {
    /// Byte offset of the expression's first character in the text.
    pub start: usize,
    /// Byte offset just past the expression's last character.
    pub end: usize,
    /// What the expression says.
    pub value: DateValue,
}

/// A date expression with its resolved date, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedDate {
    /// Byte offset of the expression's first character in the text.
    pub start: usize,
    /// Byte offset just past the expression's last character.
    pub end: usize,
    /// What the expression says.
    pub value: DateValue,
    /// The date and how much of it is known (a coarse date is the first day of its month
    /// or year); `None` when it cannot be resolved (a relative date with no publication
    /// date or earlier date to count from).
    pub date: Option<(NaiveDate, Precision)>,
}

const MONTH: &str = r"(?P<mon>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)";

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let pat = format!(
        r"(?x)
        (?P<iso>(?-u:\b)(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?-u:\b))
        | (?P<us>(?-u:\b)(?P<um>1[0-2]|0?[1-9])/(?P<ud>[0-3]?\d)/(?P<uy>(?:19|20)\d\d)(?-u:\b))
        | (?P<dm>(?-u:\b)(?P<dmday>[0-3]?\d)(?:st|nd|rd|th)?\s(?:of\s)?(?P<dmmon>(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?-u:\b)\.?)(?:,?\s(?P<dmy>(?:19|20)\d\d)(?-u:\b))?)
        | (?P<md>(?-u:\b){MONTH}\s(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?-u:\b)(?:,?\s(?P<dy>(?:19|20)\d\d)(?-u:\b))?)
        | (?P<my>(?-u:\b)(?P<mon2>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)(?:\sof)?,?\s(?P<myy>(?:19|20)\d\d)(?-u:\b))
        | (?P<mo>(?-u:\b)(?P<mprep>[Ii]n|[Ss]ince|[Dd]uring|[Bb]y|[Uu]ntil|[Ll]ast|[Tt]his|[Ee]arly|[Ll]ate|[Mm]id-?|[Ff]rom|[Tt]hrough|[Ss]ince)\s?(?:(?:early|late|mid)-?\s?)?(?P<mon3>January|February|March|April|May|June|July|August|September|October|November|December)(?-u:\b)(?:,?\s(?P<moy>(?:19|20)\d\d)(?-u:\b))?)
        | (?P<wd>(?-u:\b)(?P<wlast>[Ll]ast\s)?(?P<wday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?-u:\b))
        | (?P<rel>(?-u:\b)(?i:today|yesterday|tonight|this\smorning|this\safternoon|this\sevening|(?:earlier|later)\sthis\s(?:week|month|year)|this\s(?:week|month|year)|(?:last|next)\s(?:week|month|year)|the\sprevious\s(?:week|month|year)|the\s(?:next|following|same|previous)\sday|the\ssame\sdate|that\s(?:day|night|morning|evening|afternoon)|a\sday\s(?:later|earlier|before)|(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s(?:days?|weeks?|months?)\s(?:later|after|earlier|before|ago)|(?:a\sfew\s|several\s)?(?:days|weeks)\slater)(?-u:\b))
        | (?P<yr>(?-u:\b)(?P<year>(?:19[5-9]|20[0-4])\d)(?-u:\b))
        "
    );
    Regex::new(&pat).expect("date regex compiles")
});

fn month_num(s: &str) -> Option<u32> {
    let low = s.trim_end_matches('.').to_ascii_lowercase();
    let m = match low.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday(s: &str) -> Option<Weekday> {
    s.parse::<Weekday>().ok()
}

fn number_word(s: &str) -> Option<i64> {
    Some(match s {
        "a" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        other => other.parse().ok()?,
    })
}

fn relative(s: &str) -> Option<DateValue> {
    let low = s.to_ascii_lowercase();
    let low = low.split_whitespace().collect::<Vec<_>>().join(" ");
    let v = match low.as_str() {
        "today" | "tonight" | "this morning" | "this afternoon" | "this evening" => {
            DateValue::PubDays(0)
        }
        "yesterday" => DateValue::PubDays(-1),
        "this week" | "earlier this week" | "later this week" => DateValue::PubWeek(0),
        "last week" | "the previous week" => DateValue::PubWeek(-1),
        "next week" => DateValue::PubWeek(1),
        "next month" => DateValue::PubMonth(1),
        "next year" => DateValue::PubYear(1),
        "this month" | "earlier this month" | "later this month" => DateValue::PubMonth(0),
        "last month" | "the previous month" => DateValue::PubMonth(-1),
        "this year" | "earlier this year" | "later this year" => DateValue::PubYear(0),
        "last year" | "the previous year" => DateValue::PubYear(-1),
        "the next day" | "the following day" | "a day later" => DateValue::AnchorDays(1),
        "the same day" | "the same date" | "that day" | "that night" | "that morning"
        | "that evening" | "that afternoon" => DateValue::AnchorDays(0),
        "the previous day" | "a day earlier" | "a day before" => DateValue::AnchorDays(-1),
        // Vague spans after the previous date: near it, at its precision.
        "days later" | "a few days later" | "several days later" => DateValue::AnchorDays(3),
        "weeks later" | "a few weeks later" | "several weeks later" => DateValue::AnchorDays(14),
        _ => {
            let parts: Vec<&str> = low.split(' ').collect();
            if parts.len() != 3 {
                return None;
            }
            let n = number_word(parts[0])?;
            let sign = match parts[2] {
                "later" | "after" => 1,
                "earlier" | "before" => -1,
                "ago" => {
                    return Some(if parts[1].starts_with("day") {
                        DateValue::PubDays(-n)
                    } else if parts[1].starts_with("week") {
                        DateValue::PubDays(-7 * n)
                    } else {
                        DateValue::PubMonth(-i32::try_from(n).ok()?)
                    })
                }
                _ => return None,
            };
            if parts[1].starts_with("day") {
                DateValue::AnchorDays(sign * n)
            } else if parts[1].starts_with("week") {
                DateValue::AnchorDays(sign * 7 * n)
            } else {
                DateValue::AnchorMonths(i32::try_from(sign * n).ok()?)
            }
        }
    };
    Some(v)
}

/// Finds date expressions in text order.
pub fn find_dates(text: &str) -> Vec<DateExpr> {
    let mut out = Vec::new();
    for cap in DATE_RE.captures_iter(text) {
        let Some(whole) = cap.get(0) else { continue };
        let (start, end) = (whole.start(), whole.end());
        let num = |name: &str| cap.name(name).and_then(|m| m.as_str().parse::<i64>().ok());
        let value = if cap.name("iso").is_some() {
            DateValue::Explicit {
                year: num("iy").and_then(|v| i32::try_from(v).ok()),
                month: num("im").and_then(|v| u32::try_from(v).ok()),
                day: num("id").and_then(|v| u32::try_from(v).ok()),
            }
        } else if cap.name("us").is_some() {
            DateValue::Explicit {
                year: num("uy").and_then(|v| i32::try_from(v).ok()),
                month: num("um").and_then(|v| u32::try_from(v).ok()),
                day: num("ud").and_then(|v| u32::try_from(v).ok()),
            }
        } else if cap.name("dm").is_some() {
            // Day first, as in British and European writing: "31 March 2026".
            DateValue::Explicit {
                year: num("dmy").and_then(|v| i32::try_from(v).ok()),
                month: cap.name("dmmon").and_then(|m| month_num(m.as_str())),
                day: num("dmday").and_then(|v| u32::try_from(v).ok()),
            }
        } else if cap.name("md").is_some() {
            let mon = cap.name("mon").map(|m| m.as_str()).unwrap_or("");
            // "May 5" is fine, but "may 5" is not a month; the regex is case-sensitive.
            DateValue::Explicit {
                year: num("dy").and_then(|v| i32::try_from(v).ok()),
                month: month_num(mon),
                day: num("day").and_then(|v| u32::try_from(v).ok()),
            }
        } else if cap.name("my").is_some() {
            DateValue::Explicit {
                year: num("myy").and_then(|v| i32::try_from(v).ok()),
                month: cap.name("mon2").and_then(|m| month_num(m.as_str())),
                day: None,
            }
        } else if cap.name("mo").is_some() {
            let mon = cap.name("mon3").map(|m| m.as_str()).unwrap_or("");
            let prep = cap.name("mprep").map(|m| m.as_str().to_ascii_lowercase());
            if mon == "May" && prep.as_deref() == Some("by") {
                continue;
            }
            DateValue::Explicit {
                year: num("moy").and_then(|v| i32::try_from(v).ok()),
                month: month_num(mon),
                day: None,
            }
        } else if cap.name("wd").is_some() {
            let Some(day) = cap.name("wday").and_then(|m| weekday(m.as_str())) else {
                continue;
            };
            DateValue::Weekday {
                day,
                last: cap.name("wlast").is_some(),
            }
        } else if let Some(r) = cap.name("rel") {
            let Some(v) = relative(r.as_str()) else {
                continue;
            };
            v
        } else if cap.name("yr").is_some() {
            // A bare year: not an amount, a count, a percentage or a case number.
            let before = span::upto(text, start).chars().next_back();
            let after = span::from(text, end).chars().next();
            let after2 = span::from(text, end).chars().nth(1);
            if matches!(before, Some('$' | '€' | '£' | '#' | '-' | '/' | '.' | ','))
                || matches!(after, Some('%' | '-' | '/'))
                || (after == Some(',') && after2.is_some_and(|c| c.is_ascii_digit()))
                || (after == Some('.') && after2.is_some_and(|c| c.is_ascii_digit()))
            {
                continue;
            }
            let rest: String = span::from(text, end)
                .trim_start()
                .chars()
                .take(12)
                .collect::<String>()
                .to_ascii_lowercase();
            if rest.starts_with("people")
                || rest.starts_with("units")
                || rest.starts_with("vehicles")
                || rest.starts_with("employees")
                || rest.starts_with("jobs")
                || rest.starts_with("flights")
            {
                continue;
            }
            DateValue::Explicit {
                year: num("year").and_then(|v| i32::try_from(v).ok()),
                month: None,
                day: None,
            }
        } else {
            continue;
        };
        out.push(DateExpr { start, end, value });
    }
    out
}

fn last_weekday_on_or_before(d: NaiveDate, w: Weekday, strictly: bool) -> NaiveDate {
    let diff = (7 + i64::from(d.weekday().num_days_from_monday())
        - i64::from(w.num_days_from_monday()))
        % 7;
    let diff = if strictly && diff == 0 { 7 } else { diff };
    d - Duration::days(diff)
}

fn shift_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    let first = d.with_day(1)?;
    if n >= 0 {
        first.checked_add_months(Months::new(n.unsigned_abs()))
    } else {
        first.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}

/// The first day of `d`'s year or month.
fn truncate(d: NaiveDate, p: Precision) -> NaiveDate {
    match p {
        Precision::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1),
        Precision::Month => NaiveDate::from_ymd_opt(d.year(), d.month(), 1),
        Precision::Day => Some(d),
    }
    .unwrap_or(d)
}

/// Resolves each expression against the publication date and the previous explicit date.
pub fn resolve_all(
    text: &str,
    exprs: &[DateExpr],
    published: Option<NaiveDate>,
) -> Vec<ResolvedDate> {
    resolve_all_at(text, exprs, published.map(Published::day))
}

/// [`resolve_all`] against a publication date known to a precision: a date worked out
/// from a publication date known only to the month ("on Tuesday", "last week") is
/// known only to the month too.
pub fn resolve_all_at(
    text: &str,
    exprs: &[DateExpr],
    published_at: Option<Published>,
) -> Vec<ResolvedDate> {
    let _ = text;
    let published = published_at.map(|p| p.date);
    let coarse = published_at.map_or(Precision::Day, |p| p.precision);
    let from_published = |value: &DateValue| {
        matches!(
            value,
            DateValue::Weekday { .. }
                | DateValue::PubDays(_)
                | DateValue::PubWeek(_)
                | DateValue::PubMonth(_)
                | DateValue::PubYear(_)
        )
    };
    let mut out = Vec::with_capacity(exprs.len());
    // The last resolved date (any precision) and the last year written in the text.
    let mut anchor: Option<(NaiveDate, Precision)> = None;
    let mut last_year: Option<i32> = None;
    // The last date written to the day: "the same date", "the next day" count from it.
    let mut day_anchor: Option<(NaiveDate, Precision)> = None;
    for (i, e) in exprs.iter().enumerate() {
        // "in September this year", "in March last year": the year is written after.
        let year_after = exprs.get(i + 1).and_then(|n| match n.value {
            DateValue::PubYear(k) if n.start >= e.end && n.start - e.end <= 2 => {
                published.map(|p| p.year() + k)
            }
            _ => None,
        });
        let date = match e.value {
            DateValue::Explicit { year, month, day } => {
                let year = year.or(year_after).or_else(|| {
                    // A month without a year: the most recent such month up to publication,
                    // or the year of the text's previous date.
                    let m = month?;
                    match published {
                        Some(p) => Some(if m > p.month() {
                            p.year() - 1
                        } else {
                            p.year()
                        }),
                        None => last_year,
                    }
                });
                match (year, month, day) {
                    (Some(y), Some(m), Some(d)) => {
                        NaiveDate::from_ymd_opt(y, m, d).map(|x| (x, Precision::Day))
                    }
                    (Some(y), Some(m), None) => {
                        NaiveDate::from_ymd_opt(y, m, 1).map(|x| (x, Precision::Month))
                    }
                    (Some(y), None, _) => {
                        NaiveDate::from_ymd_opt(y, 1, 1).map(|x| (x, Precision::Year))
                    }
                    _ => None,
                }
            }
            DateValue::Weekday { day, last } => published
                .or_else(|| anchor.filter(|a| a.1 == Precision::Day).map(|a| a.0))
                .map(|p| (last_weekday_on_or_before(p, day, last), Precision::Day)),
            DateValue::PubDays(n) => published.map(|p| (p + Duration::days(n), Precision::Day)),
            DateValue::PubWeek(n) => {
                published.map(|p| (p + Duration::days(7 * i64::from(n)), Precision::Month))
            }
            DateValue::PubMonth(n) => published
                .and_then(|p| shift_months(p, n))
                .map(|d| (d, Precision::Month)),
            DateValue::PubYear(n) => published
                .and_then(|p| NaiveDate::from_ymd_opt(p.year() + n, 1, 1))
                .map(|d| (d, Precision::Year)),
            DateValue::AnchorDays(n) => (if n.abs() <= 1 { day_anchor } else { None })
                .or(anchor)
                .or_else(|| published.map(|p| (p, Precision::Day)))
                .map(|(a, p)| (a + Duration::days(n), p)),
            DateValue::AnchorMonths(n) => anchor
                .or_else(|| published.map(|p| (p, Precision::Day)))
                .and_then(|(a, _)| shift_months(a, n))
                .map(|d| (d, Precision::Month)),
        };
        let date = date.map(|(d, p)| {
            if from_published(&e.value) && p > coarse {
                (truncate(d, coarse), coarse)
            } else {
                (d, p)
            }
        });
        if let Some((d, p)) = date {
            if matches!(e.value, DateValue::Explicit { .. }) {
                last_year = Some(d.year());
            }
            if p >= Precision::Month || anchor.is_none() {
                anchor = Some((d, p));
            }
            if p == Precision::Day {
                day_anchor = Some((d, p));
            }
        }
        out.push(ResolvedDate {
            start: e.start,
            end: e.end,
            value: e.value,
            date,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str, pub_date: &str) -> Vec<String> {
        let p = NaiveDate::parse_from_str(pub_date, "%Y-%m-%d").ok();
        resolve_all(text, &find_dates(text), p)
            .iter()
            .map(|r| match r.date {
                Some((d, pr)) => format_date(d, pr),
                None => "?".into(),
            })
            .collect()
    }

    #[test]
    fn explicit_dates_at_their_precision() {
        assert_eq!(
            resolve(
                "On June 30, 2025, in March 2022, in 2019 and on Dec. 21 and 2024-01-02.",
                "2025-08-04"
            ),
            vec!["2025-06-30", "2022-03", "2019", "2024-12-21", "2024-01-02"]
        );
    }

    #[test]
    fn weekdays_and_relative_words_use_the_publication_date() {
        // 2024-03-15 is a Friday.
        assert_eq!(
            resolve(
                "on Thursday; on Friday; last week; earlier this month; in October; yesterday",
                "2024-03-15"
            ),
            vec![
                "2024-03-14",
                "2024-03-15",
                "2024-03",
                "2024-03",
                "2023-10",
                "2024-03-14"
            ]
        );
    }

    #[test]
    fn next_week_month_and_year_look_ahead_of_publication() {
        // 2024-03-15 is a Friday; a week ahead is known to its month.
        assert_eq!(
            resolve("next week; next month; next year", "2024-03-15"),
            vec!["2024-03", "2024-04", "2025"]
        );
    }

    #[test]
    fn anchored_expressions_follow_the_previous_date() {
        assert_eq!(
            resolve(
                "The fire broke out on Feb. 4. It halted production the next day.",
                "2023-02-16"
            ),
            vec!["2023-02-04", "2023-02-05"]
        );
        assert_eq!(
            resolve("on Tuesday, two months after", "2023-08-29"),
            vec!["2023-08-29", "2023-10"]
        );
    }

    #[test]
    fn day_first_dates_keep_their_day() {
        assert_eq!(
            resolve(
                "On 31 March 2026 the agency acted; on 2nd of June it spoke.",
                "2026-07-01"
            ),
            vec!["2026-03-31", "2026-06-02"]
        );
        assert_eq!(
            resolve("It was filed 9 Sept. 2024.", "2025-01-01"),
            vec!["2024-09-09"]
        );
        // A number that cannot be a day is no date.
        assert!(resolve("Some 45 March shipments were late.", "2025-01-01").is_empty());
    }

    #[test]
    fn numbers_that_are_not_years_are_skipped() {
        assert!(find_dates("it recalled 2,031,220 vehicles and 2000 units for $2019").is_empty());
        assert!(find_dates("users may sue").is_empty());
    }
}
