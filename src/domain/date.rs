//! Dates known to a precision: "on January 23, 2026", "in January 2026", "in 2026".

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::kinds::DatePrecision;

/// A date with how much of it is known; month and year precision keep the first day
/// of the month or year, so two equal values mean the same period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventDate {
    /// The day, or the first day of the month or year when only that is known.
    pub date: NaiveDate,
    /// How much of `date` is known.
    pub precision: DatePrecision,
}

impl DatePrecision {
    /// Coarse to fine: year 0, month 1, day 2.
    pub fn rank(self) -> u8 {
        match self {
            DatePrecision::Year => 0,
            DatePrecision::Month => 1,
            DatePrecision::Day => 2,
        }
    }
}

impl EventDate {
    /// A date of the given precision, set to the first day of its month or year.
    pub fn new(date: NaiveDate, precision: DatePrecision) -> EventDate {
        let date = match precision {
            DatePrecision::Day => date,
            DatePrecision::Month => date.with_day(1).unwrap_or(date),
            DatePrecision::Year => date.with_ordinal(1).unwrap_or(date),
        };
        EventDate { date, precision }
    }

    /// A day (the common case).
    pub fn day(date: NaiveDate) -> EventDate {
        EventDate::new(date, DatePrecision::Day)
    }

    /// Parses `2026-01-23`, `2026-01` or `2026`; an explicit precision coarser than the
    /// text keeps only that much.
    ///
    /// ```
    /// use riskline::domain::{DatePrecision, EventDate};
    /// let d = EventDate::parse("2026-01", None).unwrap();
    /// assert_eq!((d.date.to_string(), d.precision), ("2026-01-01".to_string(), DatePrecision::Month));
    /// let d = EventDate::parse("2026-01-23", Some(DatePrecision::Year)).unwrap();
    /// assert_eq!(d.to_string(), "2026");
    /// assert!(EventDate::parse("soon", None).is_none());
    /// ```
    pub fn parse(text: &str, precision: Option<DatePrecision>) -> Option<EventDate> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let number = |s: &str| s.parse::<u32>().ok();
        let year = |s: &str| (s.len() == 4).then(|| s.parse::<i32>().ok()).flatten();
        let (date, found) = match parts.as_slice() {
            [y, m, d] => (
                NaiveDate::from_ymd_opt(year(y)?, number(m)?, number(d)?)?,
                DatePrecision::Day,
            ),
            [y, m] => (
                NaiveDate::from_ymd_opt(year(y)?, number(m)?, 1)?,
                DatePrecision::Month,
            ),
            [y] => (
                NaiveDate::from_ymd_opt(year(y)?, 1, 1)?,
                DatePrecision::Year,
            ),
            _ => return None,
        };
        let precision = match precision {
            Some(p) if p.rank() < found.rank() => p,
            _ => found,
        };
        Some(EventDate::new(date, precision))
    }

    /// The stored form: a date and its precision (a day when none is stored).
    pub fn from_parts(
        date: Option<NaiveDate>,
        precision: Option<DatePrecision>,
    ) -> Option<EventDate> {
        date.map(|d| EventDate::new(d, precision.unwrap_or(DatePrecision::Day)))
    }

    /// Whether `date` falls in this day, month or year.
    pub fn contains(self, date: NaiveDate) -> bool {
        match self.precision {
            DatePrecision::Day => date == self.date,
            DatePrecision::Month => {
                date.year() == self.date.year() && date.month() == self.date.month()
            }
            DatePrecision::Year => date.year() == self.date.year(),
        }
    }

    /// Whether `self` says more than `other` and agrees with it.
    pub fn refines(self, other: EventDate) -> bool {
        self.precision.rank() > other.precision.rank() && other.contains(self.date)
    }
}

/// `2026-01-23`, `2026-01` or `2026`.
impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.precision.format(self.date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_contains_its_days_and_a_day_refines_it() {
        let march = EventDate::new(d(2026, 3, 17), DatePrecision::Month);
        assert_eq!(march.date, d(2026, 3, 1));
        assert!(march.contains(d(2026, 3, 31)) && !march.contains(d(2026, 4, 1)));
        assert!(EventDate::day(d(2026, 3, 9)).refines(march));
        assert!(!march.refines(EventDate::day(d(2026, 3, 9))));
        assert!(!EventDate::day(d(2025, 3, 9)).refines(march));
    }

    #[test]
    fn impossible_dates_and_short_years_are_refused() {
        assert!(EventDate::parse("2026-02-30", None).is_none());
        assert!(EventDate::parse("26-02-03", None).is_none());
        assert!(EventDate::parse("2026-13", None).is_none());
        assert_eq!(
            EventDate::parse(" 2026 ", None).unwrap().to_string(),
            "2026"
        );
    }
}
