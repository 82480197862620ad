//! Calendar dates. Rules are judged as of a date; dates are compared and stepped a day at a
//! time (to find where a period ends), never otherwise added to, so a small validated type
//! is enough.

use std::fmt;

/// A valid calendar date (proleptic Gregorian), ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form ÅÅÅÅ-MM-DD.
    Format,
    /// Of the form, but no such day (e.g. 2025-02-30).
    NoSuchDay,
}

impl Date {
    /// The earliest date; a placeholder that no real period starts before.
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// Builds a date, checking that the day exists.
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if month < 1 || month > 12 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `ÅÅÅÅ-MM-DD` exactly.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok());
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(DateError::Format);
        };
        let m = u8::try_from(m).map_err(|_| DateError::NoSuchDay)?;
        let d = u8::try_from(d).map_err(|_| DateError::NoSuchDay)?;
        Date::new(y, m, d).ok_or(DateError::NoSuchDay)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The next calendar day; `None` after 9999-12-31. Used to find where a period that
    /// ends (inclusive) on this day stops.
    pub fn next_day(self) -> Option<Date> {
        if self.day < days_in_month(self.year, self.month) {
            Some(Date {
                day: self.day + 1,
                ..self
            })
        } else if self.month < 12 {
            Some(Date {
                month: self.month + 1,
                day: 1,
                ..self
            })
        } else if self.year < 9999 {
            Some(Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            })
        } else {
            None
        }
    }
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`, written digit by digit: every decision document carries dates, and
    /// the general number formatting cost more than the rest of writing a proof step.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digit = |n: u16| b'0' + (n % 10) as u8;
        let (y, m, d) = (self.year, u16::from(self.month), u16::from(self.day));
        let buf = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ];
        f.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_with_four_two_and_two_digits() {
        let shown = |s: &str| Date::parse(s).map(|d| d.to_string()).ok();
        assert_eq!(shown("2025-12-01").as_deref(), Some("2025-12-01"));
        assert_eq!(shown("0999-01-09").as_deref(), Some("0999-01-09"));
        assert_eq!(Date::MIN.to_string().len(), 10);
    }

    #[test]
    fn the_next_day_rolls_over_months_years_and_leap_days() {
        let next = |s: &str| Date::parse(s).ok().and_then(Date::next_day).map(|d| d.to_string());
        assert_eq!(next("2024-02-28").as_deref(), Some("2024-02-29"));
        assert_eq!(next("2024-02-29").as_deref(), Some("2024-03-01"));
        assert_eq!(next("2025-02-28").as_deref(), Some("2025-03-01"));
        assert_eq!(next("2025-12-31").as_deref(), Some("2026-01-01"));
        assert_eq!(next("2025-06-30").as_deref(), Some("2025-07-01"));
        assert_eq!(next("9999-12-31"), None);
    }

    #[test]
    fn parses_and_orders_dates() {
        let a = Date::parse("2025-04-01");
        let b = Date::parse("2025-12-01");
        assert!(matches!((a, b), (Ok(x), Ok(y)) if x < y));
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Ok("2024-02-29".into())
        );
    }

    #[test]
    fn rejects_non_dates() {
        assert_eq!(Date::parse("2025-02-30"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2023-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2025-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2025-2-3"), Err(DateError::Format));
        assert_eq!(Date::parse("20250101"), Err(DateError::Format));
        assert_eq!(Date::parse(""), Err(DateError::Format));
    }
}
