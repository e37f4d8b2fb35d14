//! `rate(value unit)`: every `value` minutes, hours or days from when the schedule is
//! created; the unit is singular exactly when the value is 1.

use std::fmt;

use crate::error::{problem, ScheduleError, RATE};

/// The unit of a `rate(…)` expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateUnit {
    /// `minute` / `minutes`
    Minute,
    /// `hour` / `hours`
    Hour,
    /// `day` / `days`
    Day,
}

impl RateUnit {
    fn minutes(self) -> u64 {
        match self {
            RateUnit::Minute => 1,
            RateUnit::Hour => 60,
            RateUnit::Day => 1440,
        }
    }

    fn word(self, value: u32) -> &'static str {
        match (self, value == 1) {
            (RateUnit::Minute, true) => "minute",
            (RateUnit::Minute, false) => "minutes",
            (RateUnit::Hour, true) => "hour",
            (RateUnit::Hour, false) => "hours",
            (RateUnit::Day, true) => "day",
            (RateUnit::Day, false) => "days",
        }
    }
}

/// `rate(value unit)`: every `value` units from the moment the schedule is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    value: u32,
    unit: RateUnit,
}

impl Rate {
    /// Every `value` `unit`s.
    ///
    /// # Panics
    /// When `value` is 0.
    pub fn new(value: u32, unit: RateUnit) -> Rate {
        assert!(value > 0, "Rate::new: the value must be at least 1");
        Rate { value, unit }
    }

    /// The value.
    pub fn value(&self) -> u32 {
        self.value
    }

    /// The unit.
    pub fn unit(&self) -> RateUnit {
        self.unit
    }

    /// The interval in minutes.
    pub fn interval_minutes(&self) -> u64 {
        u64::from(self.value) * self.unit.minutes()
    }

    pub(crate) fn parse_inner(expression: &str, inner: &str) -> Result<Rate, ScheduleError> {
        let err = |message: String, hint: String| {
            ScheduleError::new(RATE, expression, problem(message, hint))
        };
        let parts: Vec<&str> = inner.split_whitespace().collect();
        let [value, unit] = parts[..] else {
            return Err(err(
                format!("expected \"value unit\", found {inner:?}"),
                "e.g. rate(5 minutes), rate(1 hour) or rate(7 days)".to_owned(),
            ));
        };
        let number = value
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0 && value.bytes().all(|b| b.is_ascii_digit()));
        let Some(number) = number else {
            return Err(err(
                format!("value {value:?} is not a positive whole number"),
                "rate values are whole numbers from 1, e.g. rate(5 minutes)".to_owned(),
            ));
        };
        let (unit_kind, plural) =
            match unit {
                "minute" => (RateUnit::Minute, false),
                "minutes" => (RateUnit::Minute, true),
                "hour" => (RateUnit::Hour, false),
                "hours" => (RateUnit::Hour, true),
                "day" => (RateUnit::Day, false),
                "days" => (RateUnit::Day, true),
                _ => return Err(err(
                    format!("unit {unit:?} is not minute(s), hour(s) or day(s)"),
                    "for other calendars (weekly, monthly) use cron(…), e.g. cron(0 2 ? * SUN *)"
                        .to_owned(),
                )),
            };
        let rate = Rate {
            value: number,
            unit: unit_kind,
        };
        if plural == (number == 1) {
            let form = if number == 1 { "singular" } else { "plural" };
            return Err(err(
                format!("unit {unit:?} must be {form} when the value is {number}"),
                format!("write {rate}"),
            ));
        }
        Ok(rate)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rate({} {})", self.value, self.unit.word(self.value))
    }
}
