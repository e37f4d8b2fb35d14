//! The proleptic Gregorian calendar in whole minutes since 1970-01-01T00:00, which is all a
//! schedule needs: dates, weekdays (the one weekday formula of the crate) and month lengths.

use std::fmt;

/// A day of the week, numbered as AWS cron numbers them (`SUN` = 1 … `SAT` = 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    /// Sunday, 1
    Sun = 1,
    /// Monday, 2
    Mon = 2,
    /// Tuesday, 3
    Tue = 3,
    /// Wednesday, 4
    Wed = 4,
    /// Thursday, 5
    Thu = 5,
    /// Friday, 6
    Fri = 6,
    /// Saturday, 7
    Sat = 7,
}

pub(crate) const WEEKDAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

impl Weekday {
    /// All days, Sunday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Sun,
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
    ];

    /// The AWS cron number, 1 (`SUN`) to 7 (`SAT`).
    pub fn number(self) -> u32 {
        self as u32
    }

    /// The day for an AWS cron number, 1 (`SUN`) to 7 (`SAT`).
    pub fn from_number(n: u32) -> Option<Weekday> {
        let index = usize::try_from(n.checked_sub(1)?).ok()?;
        Weekday::ALL.get(index).copied()
    }

    /// The three-letter cron name, `SUN` … `SAT`.
    pub fn name(self) -> &'static str {
        WEEKDAY_NAMES[self as usize - 1]
    }

    /// The weekday of a day counted from 1970-01-01 (a Thursday).
    pub(crate) fn from_days(days: i64) -> Weekday {
        // 1970-01-01 is a Thursday: index 4 with Sunday = 0.
        let index = (days + 4).rem_euclid(7) as usize;
        Weekday::ALL[index]
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month out of range.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given date (negative before), proleptic Gregorian calendar.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    // Howard Hinnant's algorithm: years start in March so that leap days come last.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day counted from 1970-01-01: `(year, month, day)`.
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // The ranges are guaranteed by the arithmetic; the fallbacks are unreachable.
    (
        i32::try_from(year).unwrap_or(i32::MAX),
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// A minute of the calendar, in the zone a schedule is read in; `weekday` follows the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CivilTime {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
    /// Hour, 0–23.
    pub hour: u32,
    /// Minute, 0–59.
    pub minute: u32,
    /// Day of the week of the date.
    pub weekday: Weekday,
}

impl CivilTime {
    /// The given minute, with its weekday computed; `None` when the date or time does not
    /// exist.
    pub fn new(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Option<CivilTime> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
        {
            return None;
        }
        Some(CivilTime {
            year,
            month,
            day,
            hour,
            minute,
            weekday: Weekday::from_days(days_from_civil(year, month, day)),
        })
    }

    /// The minute `minutes` after 1970-01-01T00:00 (negative before).
    pub fn from_unix_minutes(minutes: i64) -> CivilTime {
        let days = minutes.div_euclid(1440);
        let in_day = minutes.rem_euclid(1440);
        let (year, month, day) = civil_from_days(days);
        CivilTime {
            year,
            month,
            day,
            hour: u32::try_from(in_day / 60).unwrap_or(0),
            minute: u32::try_from(in_day % 60).unwrap_or(0),
            weekday: Weekday::from_days(days),
        }
    }

    /// Minutes since 1970-01-01T00:00.
    pub fn unix_minutes(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 1440
            + i64::from(self.hour) * 60
            + i64::from(self.minute)
    }
}

impl fmt::Display for CivilTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02} ({})",
            self.year, self.month, self.day, self.hour, self.minute, self.weekday
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn calendar_helpers() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for (y, m, d, wd) in [
            (1970, 1, 1, Weekday::Thu),
            (2026, 3, 10, Weekday::Tue),
            (2024, 2, 29, Weekday::Thu),
            (2026, 5, 31, Weekday::Sun),
            (2026, 2, 28, Weekday::Sat),
        ] {
            assert_eq!(CivilTime::new(y, m, d, 0, 0).unwrap().weekday, wd);
        }
        for minutes in [-1_000_000, -1, 0, 1, 29_531_520, 40_000_000] {
            let t = CivilTime::from_unix_minutes(minutes);
            assert_eq!(t.unix_minutes(), minutes, "{t}");
            assert_eq!(
                CivilTime::new(t.year, t.month, t.day, t.hour, t.minute),
                Some(t)
            );
        }
        assert_eq!(CivilTime::new(2026, 2, 29, 0, 0), None);
        assert_eq!(CivilTime::new(2026, 1, 1, 24, 0), None);
        assert_eq!(Weekday::from_number(1), Some(Weekday::Sun));
        assert_eq!(Weekday::from_number(8), None);
    }
}
