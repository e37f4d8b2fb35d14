//! `at(yyyy-mm-ddThh:mm:ss)`: once, at a date and time that exists, read in the schedule's
//! time zone.

use std::fmt;

use crate::calendar::{days_in_month, CivilTime};
use crate::error::{problem, ScheduleError, AT};

/// `at(yyyy-mm-ddThh:mm:ss)`: once, at a valid calendar date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct At {
    time: CivilTime,
    second: u32,
}

impl At {
    /// The given moment, validated like [`Schedule::parse`] validates `at(…)`.
    pub fn new(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Result<At, ScheduleError> {
        let inner = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
        At::parse_inner(&format!("at({inner})"), &inner)
    }

    /// The minute it fires in.
    pub fn time(&self) -> CivilTime {
        self.time
    }

    /// The second within that minute.
    pub fn second(&self) -> u32 {
        self.second
    }

    pub(crate) fn parse_inner(expression: &str, inner: &str) -> Result<At, ScheduleError> {
        let err = |message: String| {
            ScheduleError::new(
                AT,
                expression,
                problem(
                    message,
                    "write at(yyyy-mm-ddThh:mm:ss) in the schedule's time zone, e.g. at(2026-01-31T22:00:00)",
                ),
            )
        };
        let b = inner.as_bytes();
        let shape_ok = b.len() == 19
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                10 => *c == b'T',
                13 | 16 => *c == b':',
                _ => c.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(err(format!(
                "{inner:?} is not of the form yyyy-mm-ddThh:mm:ss"
            )));
        }
        let num = |range: std::ops::Range<usize>| {
            inner
                .get(range)
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(0)
        };
        let (year, month, day) = (num(0..4), num(5..7), num(8..10));
        let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
        if year < 1970 {
            return Err(err(format!("year {year} is before 1970")));
        }
        let year = i32::try_from(year).unwrap_or(i32::MAX);
        if !(1..=12).contains(&month) {
            return Err(err(format!("month {month:02} is out of range 01-12")));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(err(format!(
                "day {day:02} does not exist in {year:04}-{month:02} (it has {last} days)"
            )));
        }
        if hour > 23 {
            return Err(err(format!("hour {hour:02} is out of range 00-23")));
        }
        if minute > 59 {
            return Err(err(format!("minute {minute:02} is out of range 00-59")));
        }
        if second > 59 {
            return Err(err(format!("second {second:02} is out of range 00-59")));
        }
        let Some(time) = CivilTime::new(year, month, day, hour, minute) else {
            return Err(err(format!("{inner:?} is not a valid date and time")));
        };
        Ok(At { time, second })
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.time;
        write!(
            f,
            "at({:04}-{:02}-{:02}T{:02}:{:02}:{:02})",
            t.year, t.month, t.day, t.hour, t.minute, self.second
        )
    }
}
