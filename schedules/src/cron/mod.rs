//! AWS cron: `cron(minutes hours day-of-month month day-of-week year)`, where exactly one of
//! day-of-month and day-of-week is `?`. Builders for the common cases, parsing with messages
//! that name the bad field, the canonical text, and evaluation at a minute of the calendar.

mod field;

use std::fmt;

use crate::at::At;
use crate::calendar::{days_from_civil, days_in_month, CivilTime, Weekday};
use crate::error::RATE;
use crate::error::{problem, Problem, ScheduleError, CRON};
use crate::form;
use crate::rate::Rate;
use field::{Field, FieldText, Item, Kind, Num, Special};

/// An AWS cron expression: `cron(minutes hours day-of-month month day-of-week year)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: Field,
    hours: Field,
    day_of_month: Field,
    month: Field,
    day_of_week: Field,
    year: Field,
}

fn check_time(builder: &str, hour: u32, minute: u32) {
    assert!(
        hour <= 23,
        "{builder}: hour {hour} is out of range 0-23 (use Schedule::parse for untrusted input)"
    );
    assert!(
        minute <= 59,
        "{builder}: minute {minute} is out of range 0-59 (use Schedule::parse for untrusted input)"
    );
}

impl Cron {
    /// Every day at `hour:minute`: `cron(minute hour * * ? *)`.
    ///
    /// # Panics
    /// When `hour` > 23 or `minute` > 59: a programming error; parse untrusted input with
    /// [`Schedule::parse`].
    pub fn daily_at(hour: u32, minute: u32) -> Cron {
        check_time("Cron::daily_at", hour, minute);
        Cron {
            minutes: Field::single(minute),
            hours: Field::single(hour),
            day_of_month: Field::Any,
            month: Field::Any,
            day_of_week: Field::NoSpecific,
            year: Field::Any,
        }
    }

    /// Monday to Friday at `hour:minute`: `cron(minute hour ? * MON-FRI *)`.
    ///
    /// # Panics
    /// When `hour` > 23 or `minute` > 59.
    pub fn weekdays_at(hour: u32, minute: u32) -> Cron {
        check_time("Cron::weekdays_at", hour, minute);
        let named = |d: Weekday| Num {
            value: d.number(),
            named: true,
        };
        Cron {
            day_of_month: Field::NoSpecific,
            day_of_week: Field::List(vec![Item::Range(named(Weekday::Mon), named(Weekday::Fri))]),
            ..Cron::daily_at(hour, minute)
        }
    }

    /// Every week on `day` at `hour:minute`: `cron(minute hour ? * DAY *)`.
    ///
    /// # Panics
    /// When `hour` > 23 or `minute` > 59.
    pub fn weekly(day: Weekday, hour: u32, minute: u32) -> Cron {
        check_time("Cron::weekly", hour, minute);
        Cron {
            day_of_month: Field::NoSpecific,
            day_of_week: Field::List(vec![Item::Single(Num {
                value: day.number(),
                named: true,
            })]),
            ..Cron::daily_at(hour, minute)
        }
    }

    /// Every month on `day` (1–31; months without that day are skipped) at `hour:minute`:
    /// `cron(minute hour day * ? *)`.
    ///
    /// # Panics
    /// When `day` is not 1–31, `hour` > 23 or `minute` > 59.
    pub fn monthly(day: u32, hour: u32, minute: u32) -> Cron {
        check_time("Cron::monthly", hour, minute);
        assert!(
            (1..=31).contains(&day),
            "Cron::monthly: day {day} is out of range 1-31"
        );
        Cron {
            day_of_month: Field::single(day),
            ..Cron::daily_at(hour, minute)
        }
    }

    /// A cron expression from its six field texts, validated as by [`Schedule::parse`]:
    /// `Cron::from_fields("0/5", "8-17", "?", "*", "MON-FRI", "*")`.
    pub fn from_fields(
        minutes: &str,
        hours: &str,
        day_of_month: &str,
        month: &str,
        day_of_week: &str,
        year: &str,
    ) -> Result<Cron, ScheduleError> {
        Cron::parse(&format!(
            "cron({minutes} {hours} {day_of_month} {month} {day_of_week} {year})"
        ))
    }

    /// Parses `cron(…)`; see [`Schedule::parse`].
    pub fn parse(expression: &str) -> Result<Cron, ScheduleError> {
        // Another form's own error comes first, as `Schedule::parse` would give it.
        let (what, inner) = form::split(expression)?;
        match what {
            CRON => return Cron::parse_inner(expression, inner),
            RATE => drop(Rate::parse_inner(expression, inner)?),
            _ => drop(At::parse_inner(expression, inner)?),
        }
        Err(ScheduleError::new(
            CRON,
            expression,
            problem(
                "expected cron(minutes hours day-of-month month day-of-week year)",
                "e.g. cron(0 22 * * ? *) for 22:00 every day",
            ),
        ))
    }

    pub(crate) fn parse_inner(expression: &str, inner: &str) -> Result<Cron, ScheduleError> {
        let err = |p: Problem| ScheduleError::new(CRON, expression, p);
        let texts: Vec<&str> = inner.split_whitespace().collect();
        if texts.len() != 6 {
            let hint = if texts.len() == 5 {
                format!(
                    "AWS cron has a sixth field, the year: cron({} *)",
                    texts.join(" ")
                )
            } else {
                "write six fields separated by spaces, e.g. cron(0 22 * * ? *)".to_owned()
            };
            return Err(err(problem(
                format!(
                    "expected 6 fields (minutes hours day-of-month month day-of-week year), found {}",
                    texts.len()
                ),
                hint,
            )));
        }
        let mut fields = Vec::with_capacity(6);
        for (kind, text) in Kind::ALL.into_iter().zip(&texts) {
            fields.push(FieldText { kind, text }.parse().map_err(err)?);
        }
        let (dom, dow) = (texts[2], texts[4]);
        match (&fields[2], &fields[4]) {
            (Field::NoSpecific, Field::NoSpecific) => {
                let mut fixed = texts.clone();
                fixed[2] = "*";
                return Err(err(problem(
                    "day-of-month and day-of-week are both \"?\"; exactly one of them must be \"?\"",
                    format!("set one of them, e.g. every day: cron({})", fixed.join(" ")),
                )));
            }
            (Field::NoSpecific, _) | (_, Field::NoSpecific) => {}
            _ => {
                let mut fixed = texts.clone();
                let hint = if dow == "*" {
                    fixed[4] = "?";
                    format!("use \"?\" for day-of-week: cron({})", fixed.join(" "))
                } else if dom == "*" {
                    fixed[2] = "?";
                    format!("use \"?\" for day-of-month: cron({})", fixed.join(" "))
                } else {
                    "AWS cannot combine a day of the month with a day of the week; use \"?\" in one and a second schedule for the other".to_owned()
                };
                return Err(err(problem(
                    format!(
                        "day-of-month {dom:?} and day-of-week {dow:?} are both set; exactly one of them must be \"?\""
                    ),
                    hint,
                )));
            }
        }
        let mut fields = fields.into_iter();
        let mut next = || fields.next().unwrap_or(Field::Any);
        Ok(Cron {
            minutes: next(),
            hours: next(),
            day_of_month: next(),
            month: next(),
            day_of_week: next(),
            year: next(),
        })
    }

    /// Whether the expression fires at minute `t` (read in the schedule's time zone).
    ///
    /// Every form AWS accepts is evaluated: values, lists, ranges, increments, `*`, `?`, and
    /// the day forms `L`, `LW`, `nW` (nearest weekday, within the month; no match when the
    /// month has no day n), `nL` and `n#k`.
    pub fn matches(&self, t: &CivilTime) -> bool {
        let year_ok = u32::try_from(t.year)
            .map(|y| self.year.matches_value(Kind::Year, y))
            .unwrap_or(false);
        year_ok
            && self.minutes.matches_value(Kind::Minutes, t.minute)
            && self.hours.matches_value(Kind::Hours, t.hour)
            && self.month.matches_value(Kind::Month, t.month)
            && self.day_matches(t)
    }

    fn day_matches(&self, t: &CivilTime) -> bool {
        let last = days_in_month(t.year, t.month);
        let weekday = t.weekday.number();
        let is_weekday = |day: u32| {
            let wd = Weekday::from_days(days_from_civil(t.year, t.month, day));
            !matches!(wd, Weekday::Sat | Weekday::Sun)
        };
        let dom_ok = match &self.day_of_month {
            Field::Special(Special::LastDayOfMonth) => t.day == last,
            Field::Special(Special::LastWeekdayOfMonth) => {
                let last_weekday = (1..=last).rev().find(|d| is_weekday(*d)).unwrap_or(last);
                t.day == last_weekday
            }
            Field::Special(Special::NearestWeekday(n)) => {
                let n = n.value;
                if n > last {
                    false
                } else {
                    let target = match Weekday::from_days(days_from_civil(t.year, t.month, n)) {
                        Weekday::Sat if n == 1 => 3,
                        Weekday::Sat => n - 1,
                        Weekday::Sun if n == last => n - 2,
                        Weekday::Sun => n + 1,
                        _ => n,
                    };
                    t.day == target
                }
            }
            other => other.matches_value(Kind::DayOfMonth, t.day),
        };
        let dow_ok = match &self.day_of_week {
            Field::Special(Special::LastDayOfWeek) => t.weekday == Weekday::Sat,
            Field::Special(Special::LastOfMonth(n)) => weekday == n.value && t.day + 7 > last,
            Field::Special(Special::Nth(n, k)) => {
                weekday == n.value && t.day.saturating_sub(1) / 7 + 1 == *k
            }
            other => other.matches_value(Kind::DayOfWeek, weekday),
        };
        dom_ok && dow_ok
    }
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cron(")?;
        let fields = [
            &self.minutes,
            &self.hours,
            &self.day_of_month,
            &self.month,
            &self.day_of_week,
            &self.year,
        ];
        for (i, (field, kind)) in fields.into_iter().zip(Kind::ALL).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            field.write(kind, f)?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> CivilTime {
        CivilTime::new(y, mo, d, h, mi).unwrap()
    }

    /// The minutes of one week (from Monday 2026-03-09) at which `cron` fires.
    fn fires_in_week(cron: &Cron) -> Vec<CivilTime> {
        let start = at(2026, 3, 9, 0, 0).unix_minutes();
        (start..start + 7 * 1440)
            .map(CivilTime::from_unix_minutes)
            .filter(|t| cron.matches(t))
            .collect()
    }

    #[test]
    fn seed_article_schedules_match() {
        let night = Cron::parse("cron(0 22 * * ? *)").unwrap();
        let morning = Cron::parse("cron(0 7 * * ? *)").unwrap();
        assert!(night.matches(&at(2026, 3, 10, 22, 0)));
        assert!(!night.matches(&at(2026, 3, 10, 22, 1)));
        assert!(!night.matches(&at(2026, 3, 10, 21, 0)));
        assert!(morning.matches(&at(2026, 12, 31, 7, 0)));
        assert!(!morning.matches(&at(2026, 12, 31, 19, 0)));
        let nights = fires_in_week(&night);
        assert_eq!(nights.len(), 7);
        assert!(nights.iter().all(|t| t.hour == 22 && t.minute == 0));
        assert_eq!(fires_in_week(&morning).len(), 7);
        // Scaled down from the night action to the morning one: 9 of every 24 hours. Walk two
        // days, down when `night` fires and up when `morning` does; count the second day.
        let start = at(2026, 3, 9, 0, 0).unix_minutes();
        let mut is_down = false;
        let mut down = 0;
        for m in start..start + 2 * 1440 {
            let t = CivilTime::from_unix_minutes(m);
            if night.matches(&t) {
                is_down = true;
            }
            if morning.matches(&t) {
                is_down = false;
            }
            if is_down && m >= start + 1440 {
                down += 1;
            }
        }
        assert_eq!(down, 9 * 60);
    }

    #[test]
    fn lists_ranges_steps_and_days_match() {
        let business = Cron::parse("cron(0/20 8-17 ? * MON-FRI *)").unwrap();
        assert_eq!(fires_in_week(&business).len(), 5 * 10 * 3);
        assert!(business.matches(&at(2026, 3, 13, 17, 40)));
        assert!(!business.matches(&at(2026, 3, 14, 9, 0)));
        let steps = Cron::parse("cron(5-30/10 */6 1/10 JAN,MAR-MAY/2 ? 2026/2)").unwrap();
        assert!(steps.matches(&at(2026, 3, 11, 18, 25)));
        assert!(steps.matches(&at(2028, 5, 21, 0, 5)));
        assert!(!steps.matches(&at(2027, 3, 11, 18, 25)));
        assert!(!steps.matches(&at(2026, 4, 11, 18, 25)));
        assert!(!steps.matches(&at(2026, 3, 12, 18, 25)));
        assert!(!steps.matches(&at(2026, 3, 11, 18, 35)));
        assert!(!steps.matches(&at(2026, 3, 11, 19, 25)));
        let sunday = Cron::weekly(Weekday::Sun, 2, 0);
        assert_eq!(fires_in_week(&sunday), vec![at(2026, 3, 15, 2, 0)]);
    }

    #[test]
    fn last_weekday_and_nth_forms_match() {
        let days = |expr: &str, y: i32, m: u32| -> Vec<u32> {
            let cron = Cron::parse(expr).unwrap();
            (1..=days_in_month(y, m))
                .filter(|d| cron.matches(&at(y, m, *d, 0, 0)))
                .collect()
        };
        // February 2026: starts on a Sunday, 28 days, ends on a Saturday.
        assert_eq!(days("cron(0 0 L * ? *)", 2026, 2), vec![28]);
        assert_eq!(days("cron(0 0 L * ? *)", 2028, 2), vec![29]);
        assert_eq!(days("cron(0 0 LW * ? *)", 2026, 2), vec![27]);
        assert_eq!(days("cron(0 0 1W * ? *)", 2026, 2), vec![2]); // Sun 1st → Mon 2nd
        assert_eq!(days("cron(0 0 28W * ? *)", 2026, 2), vec![27]); // Sat 28th → Fri 27th
        assert_eq!(days("cron(0 0 1W * ? *)", 2025, 11), vec![3]); // Sat 1st → Mon 3rd
        assert_eq!(days("cron(0 0 31W * ? *)", 2026, 2), Vec::<u32>::new());
        assert_eq!(days("cron(0 0 ? * 2#1 *)", 2026, 2), vec![2]); // first Monday
        assert_eq!(days("cron(0 0 ? * FRI#3 *)", 2026, 2), vec![20]);
        assert_eq!(days("cron(0 0 ? * 6L *)", 2026, 2), vec![27]); // last Friday
        assert_eq!(days("cron(0 0 ? * L *)", 2026, 2), vec![7, 14, 21, 28]); // Saturdays
        assert_eq!(days("cron(0 0 31 * ? *)", 2026, 4), Vec::<u32>::new());
    }
}
