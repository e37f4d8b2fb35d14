//! Typed AWS schedule expressions, as Application Auto Scaling scheduled actions and
//! EventBridge Scheduler take them:
//!
//! - `cron(minutes hours day-of-month month day-of-week year)` — AWS's six-field cron, where
//!   exactly one of day-of-month and day-of-week is `?`;
//! - `rate(value unit)` — `minute(s)`, `hour(s)` or `day(s)`, singular exactly when the value is 1;
//! - `at(yyyy-mm-ddThh:mm:ss)` — once.
//!
//! [`Schedule::parse`] validates every field and explains what is wrong; [`Cron`] has small
//! builders for the common cases; `Display` writes the canonical expression. [`TimeZone`] is
//! the IANA zone the expression is read in (UTC when absent). [`Cron::matches`] evaluates an
//! expression at a [`CivilTime`], for simulations such as the cost of a night scale-down.
//!
//! ```
//! use oxiform::patterns::schedule::{CivilTime, Cron, Schedule, Weekday};
//!
//! let night = Schedule::parse("cron(0 22 * * ? *)").unwrap();
//! assert_eq!(night, Schedule::from(Cron::daily_at(22, 0)));
//! assert_eq!(Cron::weekly(Weekday::Sun, 2, 0).to_string(), "cron(0 2 ? * SUN *)");
//!
//! let t = CivilTime::new(2026, 3, 10, 22, 0).unwrap();
//! assert_eq!(t.weekday, Weekday::Tue);
//! assert_eq!(night.matches(&t), Some(true));
//!
//! let err = Schedule::parse("cron(0 25 * * ? *)").unwrap_err();
//! assert!(err.to_string().starts_with(
//!     "invalid cron expression \"cron(0 25 * * ? *)\": hours field \"25\" is out of range 0-23"
//! ));
//! ```

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A schedule expression that AWS would reject, or that is certainly a mistake.
///
/// Displays as `invalid <kind> "<input>": <problem>` and a hint on the next line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {input:?}: {problem}\n  hint: {hint}")]
pub struct ScheduleError {
    what: &'static str,
    input: String,
    problem: String,
    hint: String,
}

impl ScheduleError {
    fn new(what: &'static str, input: &str, problem: Problem) -> Self {
        ScheduleError {
            what,
            input: input.to_owned(),
            problem: problem.message,
            hint: problem.hint,
        }
    }

    /// What was being read: `cron expression`, `rate expression`, `at expression`,
    /// `schedule expression` or `time zone`.
    pub fn what(&self) -> &'static str {
        self.what
    }

    /// The expression (or time zone) as given.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What is wrong, without the expression or the hint.
    pub fn problem(&self) -> &str {
        &self.problem
    }

    /// How to fix it.
    pub fn hint(&self) -> &str {
        &self.hint
    }
}

/// A problem before it is attached to its input.
struct Problem {
    message: String,
    hint: String,
}

fn problem(message: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem {
        message: message.into(),
        hint: hint.into(),
    }
}

const CRON: &str = "cron expression";
const RATE: &str = "rate expression";
const AT: &str = "at expression";
const EXAMPLES: &str = "e.g. cron(0 22 * * ? *), rate(5 minutes) or at(2026-01-31T22:00:00)";

// ---------------------------------------------------------------------------------------------
// Calendar

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

const WEEKDAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES: [&str; 12] = [
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
    fn from_days(days: i64) -> Weekday {
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

// ---------------------------------------------------------------------------------------------
// Cron fields

/// The six fields of AWS cron.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Minutes,
    Hours,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Minutes,
        Kind::Hours,
        Kind::DayOfMonth,
        Kind::Month,
        Kind::DayOfWeek,
        Kind::Year,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Minutes => "minutes",
            Kind::Hours => "hours",
            Kind::DayOfMonth => "day-of-month",
            Kind::Month => "month",
            Kind::DayOfWeek => "day-of-week",
            Kind::Year => "year",
        }
    }

    fn min(self) -> u32 {
        match self {
            Kind::Minutes | Kind::Hours => 0,
            Kind::DayOfMonth | Kind::Month | Kind::DayOfWeek => 1,
            Kind::Year => 1970,
        }
    }

    fn max(self) -> u32 {
        match self {
            Kind::Minutes => 59,
            Kind::Hours => 23,
            Kind::DayOfMonth => 31,
            Kind::Month => 12,
            Kind::DayOfWeek => 7,
            Kind::Year => 2199,
        }
    }

    /// The largest increment after `/`.
    fn max_step(self) -> u32 {
        match self {
            Kind::Year => 229,
            other => other.max(),
        }
    }

    fn names(self) -> Option<&'static [&'static str]> {
        match self {
            Kind::Month => Some(&MONTH_NAMES),
            Kind::DayOfWeek => Some(&WEEKDAY_NAMES),
            _ => None,
        }
    }

    fn range_text(self) -> &'static str {
        match self {
            Kind::Minutes => "0-59",
            Kind::Hours => "0-23",
            Kind::DayOfMonth => "1-31",
            Kind::Month => "1-12 or JAN-DEC",
            Kind::DayOfWeek => "1-7 or SUN-SAT",
            Kind::Year => "1970-2199",
        }
    }

    /// The wildcards AWS allows in this field.
    fn wildcards(self) -> &'static str {
        match self {
            Kind::Minutes | Kind::Hours | Kind::Month | Kind::Year => ", - * /",
            Kind::DayOfMonth => ", - * ? / L W",
            Kind::DayOfWeek => ", - * ? L #",
        }
    }

    fn allows(self, wildcard: char) -> bool {
        self.wildcards().contains(wildcard)
    }

    fn range_hint(self) -> &'static str {
        match self {
            Kind::Minutes => "minutes are 0-59",
            Kind::Hours => "hours are 0-23 in 24-hour time; midnight is 0",
            Kind::DayOfMonth => "days of the month are 1-31; use L for the last day of the month",
            Kind::Month => "months are 1-12 or JAN-DEC",
            Kind::DayOfWeek => "days of the week are 1-7 with 1 = SUN, or SUN-SAT",
            Kind::Year => "years are 1970-2199; use * for every year",
        }
    }

    fn step_example(self) -> &'static str {
        match self {
            Kind::Minutes => "0/15 is every 15 minutes from :00",
            Kind::Hours => "0/6 is every 6 hours from midnight",
            Kind::DayOfMonth => "1/7 is every 7 days from the 1st",
            Kind::Month => "1/3 is every 3 months from January",
            Kind::DayOfWeek => "day-of-week takes no increments",
            Kind::Year => "2026/2 is every other year from 2026",
        }
    }
}

/// A value as written: its number, and whether it was written as a name (`MON`, `JAN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Num {
    value: u32,
    named: bool,
}

impl Num {
    fn plain(value: u32) -> Num {
        Num {
            value,
            named: false,
        }
    }

    fn write(self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = kind
            .names()
            .filter(|_| self.named)
            .and_then(|names| names.get(usize::try_from(self.value).ok()?.checked_sub(1)?));
        match name {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.value),
        }
    }

    /// How a bound is written in a hint, in the same style as `self`.
    fn bound_text(self, kind: Kind, value: u32) -> String {
        let name = kind
            .names()
            .filter(|_| self.named)
            .and_then(|names| names.get(usize::try_from(value).ok()?.checked_sub(1)?));
        match name {
            Some(name) => (*name).to_owned(),
            None => value.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum StepStart {
    /// `*/n`: from the field's minimum.
    Any,
    /// `a/n`
    From(Num),
    /// `a-b/n`
    Range(Num, Num),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Single(Num),
    Range(Num, Num),
    Step { start: StepStart, step: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Special {
    /// Day-of-month `L`: the last day of the month.
    LastDayOfMonth,
    /// Day-of-month `LW`: the last weekday (Monday–Friday) of the month.
    LastWeekdayOfMonth,
    /// Day-of-month `nW`: the weekday nearest to day n, within the month.
    NearestWeekday(Num),
    /// Day-of-week `L`: the last day of the week, Saturday.
    LastDayOfWeek,
    /// Day-of-week `nL`: the last such weekday of the month.
    LastOfMonth(Num),
    /// Day-of-week `n#k`: the k-th such weekday of the month.
    Nth(Num, u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    /// `*`
    Any,
    /// `?`
    NoSpecific,
    /// Comma-separated values, ranges and increments.
    List(Vec<Item>),
    /// `L`, `W` and `#` forms, each alone in its field.
    Special(Special),
}

impl Field {
    fn single(value: u32) -> Field {
        Field::List(vec![Item::Single(Num::plain(value))])
    }

    fn write(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Any => f.write_str("*"),
            Field::NoSpecific => f.write_str("?"),
            Field::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    match item {
                        Item::Single(n) => n.write(kind, f)?,
                        Item::Range(a, b) => {
                            a.write(kind, f)?;
                            f.write_str("-")?;
                            b.write(kind, f)?;
                        }
                        Item::Step { start, step } => {
                            match start {
                                StepStart::Any => f.write_str("*")?,
                                StepStart::From(a) => a.write(kind, f)?,
                                StepStart::Range(a, b) => {
                                    a.write(kind, f)?;
                                    f.write_str("-")?;
                                    b.write(kind, f)?;
                                }
                            }
                            write!(f, "/{step}")?;
                        }
                    }
                }
                Ok(())
            }
            Field::Special(special) => match special {
                Special::LastDayOfMonth | Special::LastDayOfWeek => f.write_str("L"),
                Special::LastWeekdayOfMonth => f.write_str("LW"),
                Special::NearestWeekday(n) => {
                    n.write(kind, f)?;
                    f.write_str("W")
                }
                Special::LastOfMonth(n) => {
                    n.write(kind, f)?;
                    f.write_str("L")
                }
                Special::Nth(n, k) => {
                    n.write(kind, f)?;
                    write!(f, "#{k}")
                }
            },
        }
    }

    /// Whether value `x` of a plain field (not day-of-month/day-of-week specials) matches.
    fn matches_value(&self, kind: Kind, x: u32) -> bool {
        match self {
            Field::Any | Field::NoSpecific => true,
            Field::Special(_) => false,
            Field::List(items) => items.iter().any(|item| match item {
                Item::Single(n) => n.value == x,
                Item::Range(a, b) => a.value <= x && x <= b.value,
                Item::Step { start, step } => {
                    let (from, to) = match start {
                        StepStart::Any => (kind.min(), kind.max()),
                        StepStart::From(a) => (a.value, kind.max()),
                        StepStart::Range(a, b) => (a.value, b.value),
                    };
                    from <= x && x <= to && (x - from) / step * step == x - from
                }
            }),
        }
    }
}

/// A field's text and its kind, for messages.
struct FieldText<'a> {
    kind: Kind,
    text: &'a str,
}

impl FieldText<'_> {
    /// `hours field "25"`, the start of every field message.
    fn subject(&self) -> String {
        format!("{} field {:?}", self.kind.name(), self.text)
    }

    fn out_of_range(&self, token: &str) -> Problem {
        let message = if token == self.text {
            format!(
                "{} is out of range {}",
                self.subject(),
                self.kind.range_text()
            )
        } else {
            format!(
                "{}: {token} is out of range {}",
                self.subject(),
                self.kind.range_text()
            )
        };
        problem(message, self.kind.range_hint())
    }

    fn not_allowed(&self, wildcard: char) -> Problem {
        problem(
            format!(
                "{} uses \"{wildcard}\", which the {} field does not allow",
                self.subject(),
                self.kind.name()
            ),
            format!(
                "the {} field allows values {} and the wildcards {}",
                self.kind.name(),
                self.kind.range_text(),
                self.kind.wildcards()
            ),
        )
    }

    fn value(&self, token: &str) -> Result<Num, Problem> {
        let kind = self.kind;
        if token.is_empty() {
            return Err(problem(
                format!("{} has an empty value", self.subject()),
                format!(
                    "write values {} separated by \",\"; ranges as a-b",
                    kind.range_text()
                ),
            ));
        }
        if token.bytes().all(|b| b.is_ascii_digit()) {
            let value = token.parse::<u32>().unwrap_or(u32::MAX);
            if value < kind.min() || value > kind.max() {
                return Err(self.out_of_range(token));
            }
            return Ok(Num::plain(value));
        }
        if let Some(names) = kind.names() {
            if token.bytes().all(|b| b.is_ascii_alphabetic()) {
                let upper = token.to_ascii_uppercase();
                if let Some(i) = names.iter().position(|n| *n == upper) {
                    return Ok(Num {
                        value: u32::try_from(i + 1).unwrap_or(1),
                        named: true,
                    });
                }
                let what = if kind == Kind::Month {
                    "a month"
                } else {
                    "a day of the week"
                };
                return Err(problem(
                    format!("{}: {token:?} is not {what}", self.subject()),
                    format!("{} ({})", kind.range_hint(), names.join(", ")),
                ));
            }
        }
        if let Some(c) = token.chars().find(|c| "*?LW#/".contains(*c)) {
            if kind.allows(c) {
                return Err(problem(
                    format!(
                        "{}: \"{c}\" cannot be combined with other values",
                        self.subject()
                    ),
                    format!(
                        "write \"{c}\" forms alone in the field (AWS accepts one per field); use one schedule per expression"
                    ),
                ));
            }
            return Err(self.not_allowed(c));
        }
        Err(problem(
            format!("{}: {token:?} is not a number", self.subject()),
            kind.range_hint(),
        ))
    }

    fn range(&self, a: &str, b: &str) -> Result<(Num, Num), Problem> {
        let (lo, hi) = (self.value(a)?, self.value(b)?);
        if lo.value > hi.value {
            let kind = self.kind;
            return Err(problem(
                format!("{}: range {a}-{b} runs backwards", self.subject()),
                format!(
                    "ranges do not wrap around; split it in two: {a}-{},{}-{b}",
                    lo.bound_text(kind, kind.max()),
                    hi.bound_text(kind, kind.min())
                ),
            ));
        }
        Ok((lo, hi))
    }

    fn step(&self, token: &str) -> Result<u32, Problem> {
        let kind = self.kind;
        let max = kind.max_step();
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
            return Err(problem(
                format!("{}: increment {token:?} is not a number", self.subject()),
                format!("write start/increment: {}", kind.step_example()),
            ));
        }
        let step = token.parse::<u32>().unwrap_or(u32::MAX);
        if step == 0 || step > max {
            return Err(problem(
                format!(
                    "{}: increment {token} is out of range 1-{max}",
                    self.subject()
                ),
                format!("write start/increment: {}", kind.step_example()),
            ));
        }
        Ok(step)
    }

    fn item(&self, item: &str) -> Result<Item, Problem> {
        if let Some((start, step)) = item.split_once('/') {
            if !self.kind.allows('/') {
                return Err(self.not_allowed('/'));
            }
            let start = if start == "*" {
                StepStart::Any
            } else if let Some((a, b)) = start.split_once('-') {
                let (a, b) = self.range(a, b)?;
                StepStart::Range(a, b)
            } else {
                StepStart::From(self.value(start)?)
            };
            let step = self.step(step)?;
            return Ok(Item::Step { start, step });
        }
        if let Some((a, b)) = item.split_once('-') {
            let (a, b) = self.range(a, b)?;
            return Ok(Item::Range(a, b));
        }
        Ok(Item::Single(self.value(item)?))
    }

    fn parse(&self) -> Result<Field, Problem> {
        let kind = self.kind;
        let text = self.text;
        match text {
            "*" => return Ok(Field::Any),
            "?" if kind.allows('?') => return Ok(Field::NoSpecific),
            "?" => return Err(self.not_allowed('?')),
            _ => {}
        }
        if !text.contains(',') {
            if kind == Kind::DayOfMonth {
                match text {
                    "L" => return Ok(Field::Special(Special::LastDayOfMonth)),
                    "LW" => return Ok(Field::Special(Special::LastWeekdayOfMonth)),
                    _ => {}
                }
                if let Some(day) = text.strip_suffix('W') {
                    if !day.contains(['-', '/']) {
                        return Ok(Field::Special(Special::NearestWeekday(self.value(day)?)));
                    }
                }
            }
            if kind == Kind::DayOfWeek {
                if text == "L" {
                    return Ok(Field::Special(Special::LastDayOfWeek));
                }
                if let Some((day, nth)) = text.split_once('#') {
                    let day = self.value(day)?;
                    let k = nth.parse::<u32>().ok().filter(|k| (1..=5).contains(k));
                    let Some(k) = k.filter(|_| nth.bytes().all(|b| b.is_ascii_digit())) else {
                        return Err(problem(
                            format!("{}: occurrence {nth:?} is out of range 1-5", self.subject()),
                            "n#k is the k-th such day of the month, e.g. 2#1 for the first Monday",
                        ));
                    };
                    return Ok(Field::Special(Special::Nth(day, k)));
                }
                if let Some(day) = text.strip_suffix('L') {
                    if !day.contains(['-', '/']) {
                        return Ok(Field::Special(Special::LastOfMonth(self.value(day)?)));
                    }
                }
            }
        }
        text.split(',')
            .map(|item| self.item(item))
            .collect::<Result<Vec<_>, _>>()
            .map(Field::List)
    }
}

// ---------------------------------------------------------------------------------------------
// Cron

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
        match Schedule::parse(expression)? {
            Schedule::Cron(cron) => Ok(cron),
            _ => Err(ScheduleError::new(
                CRON,
                expression,
                problem(
                    "expected cron(minutes hours day-of-month month day-of-week year)",
                    "e.g. cron(0 22 * * ? *) for 22:00 every day",
                ),
            )),
        }
    }

    fn parse_inner(expression: &str, inner: &str) -> Result<Cron, ScheduleError> {
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

// ---------------------------------------------------------------------------------------------
// Rate and at

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

    fn parse_inner(expression: &str, inner: &str) -> Result<Rate, ScheduleError> {
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
        let text = format!("at({year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02})");
        match Schedule::parse(&text)? {
            Schedule::At(at) => Ok(at),
            _ => Err(ScheduleError::new(
                AT,
                &text,
                problem("expected at(yyyy-mm-ddThh:mm:ss)", EXAMPLES),
            )),
        }
    }

    /// The minute it fires in.
    pub fn time(&self) -> CivilTime {
        self.time
    }

    /// The second within that minute.
    pub fn second(&self) -> u32 {
        self.second
    }

    fn parse_inner(expression: &str, inner: &str) -> Result<At, ScheduleError> {
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

// ---------------------------------------------------------------------------------------------
// Schedule

/// A validated AWS schedule expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    /// `cron(…)`
    Cron(Cron),
    /// `rate(…)`
    Rate(Rate),
    /// `at(…)`
    At(At),
}

impl Schedule {
    /// Parses and validates an expression; the error names the bad field, the allowed values
    /// and how to fix it.
    pub fn parse(expression: &str) -> Result<Schedule, ScheduleError> {
        let forms: [(&str, &'static str); 3] = [("cron(", CRON), ("rate(", RATE), ("at(", AT)];
        let Some((prefix, what)) = forms.into_iter().find(|(p, _)| expression.starts_with(p))
        else {
            let looks_like_cron = expression.split_whitespace().count() >= 5
                && expression.starts_with(|c: char| c.is_ascii_digit() || c == '*');
            let hint = if looks_like_cron {
                format!("wrap the fields: cron({expression})")
            } else {
                EXAMPLES.to_owned()
            };
            return Err(ScheduleError::new(
                "schedule expression",
                expression,
                problem("expected cron(…), rate(…) or at(…)", hint),
            ));
        };
        let Some(inner) = expression
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(')'))
        else {
            return Err(ScheduleError::new(
                what,
                expression,
                problem("missing the closing \")\"", EXAMPLES),
            ));
        };
        match what {
            CRON => Cron::parse_inner(expression, inner).map(Schedule::Cron),
            RATE => Rate::parse_inner(expression, inner).map(Schedule::Rate),
            _ => At::parse_inner(expression, inner).map(Schedule::At),
        }
    }

    /// Every `value` `unit`s: `Schedule::rate(5, RateUnit::Minute)` is `rate(5 minutes)`.
    ///
    /// # Panics
    /// When `value` is 0.
    pub fn rate(value: u32, unit: RateUnit) -> Schedule {
        Schedule::Rate(Rate::new(value, unit))
    }

    /// The cron expression, if this is one.
    pub fn as_cron(&self) -> Option<&Cron> {
        match self {
            Schedule::Cron(c) => Some(c),
            _ => None,
        }
    }

    /// Whether the schedule fires in minute `t`: cron and at expressions can say; a rate
    /// depends on when the schedule was created, so `None`.
    pub fn matches(&self, t: &CivilTime) -> Option<bool> {
        match self {
            Schedule::Cron(c) => Some(c.matches(t)),
            Schedule::At(at) => Some(at.time == *t),
            Schedule::Rate(_) => None,
        }
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Cron(c) => c.fmt(f),
            Schedule::Rate(r) => r.fmt(f),
            Schedule::At(a) => a.fmt(f),
        }
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Schedule::parse(s)
    }
}

impl From<Cron> for Schedule {
    fn from(c: Cron) -> Self {
        Schedule::Cron(c)
    }
}
impl From<Rate> for Schedule {
    fn from(r: Rate) -> Self {
        Schedule::Rate(r)
    }
}
impl From<At> for Schedule {
    fn from(a: At) -> Self {
        Schedule::At(a)
    }
}

impl Serialize for Schedule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Schedule::parse(&text).map_err(serde::de::Error::custom)
    }
}
impl JsonSchema for Schedule {
    fn schema_name() -> Cow<'static, str> {
        "Schedule".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "An AWS schedule expression: cron(minutes hours day-of-month month day-of-week year) with exactly one of day-of-month and day-of-week \"?\", rate(value minute(s)|hour(s)|day(s)), or at(yyyy-mm-ddThh:mm:ss).",
            "pattern": "^(cron|rate|at)\\(.+\\)$",
            "examples": ["cron(0 22 * * ? *)", "rate(5 minutes)"]
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Time zones

/// The top-level areas of IANA time zone names.
const TZ_AREAS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Etc",
    "Europe",
    "Indian",
    "Pacific",
];

/// An IANA time zone name a schedule is read in: `UTC` or `Area/Location[/Sub]`, checked for
/// syntax (not against the time zone database).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimeZone(String);

impl TimeZone {
    /// `UTC`.
    pub fn utc() -> TimeZone {
        TimeZone("UTC".to_owned())
    }

    /// Checks `name`: `UTC`, or two or three `/`-separated parts of letters, digits, `_`,
    /// `-`, `+`, the first a known area (`Europe`, `America`, …).
    pub fn parse(name: &str) -> Result<TimeZone, ScheduleError> {
        let err = |message: String| {
            ScheduleError::new(
                "time zone",
                name,
                problem(
                    message,
                    "use \"UTC\" or an IANA name such as \"Europe/Paris\" or \"America/New_York\"",
                ),
            )
        };
        if name == "UTC" {
            return Ok(TimeZone::utc());
        }
        let parts: Vec<&str> = name.split('/').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(err(
                "expected \"UTC\" or Area/Location, e.g. Europe/Paris".to_owned()
            ));
        }
        for part in &parts {
            let ok = part.starts_with(|c: char| c.is_ascii_alphabetic())
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
            if !ok {
                return Err(err(format!(
                    "part {part:?} must start with a letter and hold only letters, digits, _, - and +"
                )));
            }
        }
        if !TZ_AREAS.contains(&parts[0]) {
            return Err(err(format!(
                "area {:?} is not one of {}",
                parts[0],
                TZ_AREAS.join(", ")
            )));
        }
        Ok(TimeZone(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TimeZone {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TimeZone::parse(s)
    }
}

impl Serialize for TimeZone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TimeZone::parse(&text).map_err(serde::de::Error::custom)
    }
}
impl JsonSchema for TimeZone {
    fn schema_name() -> Cow<'static, str> {
        "TimeZone".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "\"UTC\" or an IANA time zone name such as \"Europe/Paris\".",
            "pattern": "^(UTC|[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z][A-Za-z0-9_+-]*){1,2})$"
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn err(expression: &str) -> String {
        match Schedule::parse(expression) {
            Ok(s) => panic!("{expression} parsed as {s}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn canonical_expressions_round_trip() {
        for text in [
            "cron(0 22 * * ? *)",
            "cron(0 7 * * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(*/10 * ? * MON-FRI *)",
            "cron(0/5 8-17 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0 12 L * ? *)",
            "cron(0 9 15W * ? *)",
            "cron(0 9 LW * ? *)",
            "cron(0 10 ? * 6L *)",
            "cron(0 10 ? * L *)",
            "cron(0 10 ? * 2#1 *)",
            "cron(0 10 ? * FRI#3 2026)",
            "cron(15 10 ? * 6L 2026-2028)",
            "cron(0 2 ? * SUN *)",
            "cron(0,30 9-17/2 1-15 JAN,MAR-MAY/2 ? 2026/2)",
            "cron(59 23 31 12 ? 2199)",
            "rate(1 minute)",
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(12 hours)",
            "rate(1 day)",
            "rate(7 days)",
            "at(2026-02-28T23:59:59)",
            "at(2028-02-29T00:00:00)",
        ] {
            let parsed = Schedule::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn lenient_inputs_print_canonically() {
        let cases = [
            ("cron(0  22 * *  ? *)", "cron(0 22 * * ? *)"),
            ("cron(00 07 * jan,Feb ? *)", "cron(0 7 * JAN,FEB ? *)"),
            ("cron(0 8 ? * mon-fri *)", "cron(0 8 ? * MON-FRI *)"),
            ("rate(5  minutes)", "rate(5 minutes)"),
        ];
        for (input, canonical) in cases {
            assert_eq!(Schedule::parse(input).unwrap().to_string(), canonical);
        }
    }

    #[test]
    fn builders() {
        assert_eq!(Cron::daily_at(22, 0).to_string(), "cron(0 22 * * ? *)");
        assert_eq!(
            Cron::weekdays_at(7, 30).to_string(),
            "cron(30 7 ? * MON-FRI *)"
        );
        assert_eq!(
            Cron::weekly(Weekday::Sun, 2, 0).to_string(),
            "cron(0 2 ? * SUN *)"
        );
        assert_eq!(Cron::monthly(1, 8, 0).to_string(), "cron(0 8 1 * ? *)");
        assert_eq!(
            Cron::from_fields("0/5", "8-17", "?", "*", "MON-FRI", "*")
                .unwrap()
                .to_string(),
            "cron(0/5 8-17 ? * MON-FRI *)"
        );
        assert_eq!(
            Schedule::parse("cron(0 22 * * ? *)").unwrap(),
            Schedule::Cron(Cron::daily_at(22, 0))
        );
        assert_eq!(
            Schedule::rate(1, RateUnit::Hour).to_string(),
            "rate(1 hour)"
        );
        assert_eq!(
            Schedule::rate(90, RateUnit::Minute).to_string(),
            "rate(90 minutes)"
        );
        assert_eq!(
            At::new(2026, 1, 31, 22, 0, 0).unwrap().to_string(),
            "at(2026-01-31T22:00:00)"
        );
        assert!(At::new(2026, 2, 29, 0, 0, 0).is_err());
        assert!(Cron::parse("rate(5 minutes)").is_err());
    }

    #[test]
    fn bad_expressions_have_exact_messages() {
        let cases = [
            (
                "cron(0 25 * * ? *)",
                "invalid cron expression \"cron(0 25 * * ? *)\": hours field \"25\" is out of range 0-23\n  hint: hours are 0-23 in 24-hour time; midnight is 0",
            ),
            (
                "cron(60 1 * * ? *)",
                "invalid cron expression \"cron(60 1 * * ? *)\": minutes field \"60\" is out of range 0-59\n  hint: minutes are 0-59",
            ),
            (
                "cron(0 22 * * *)",
                "invalid cron expression \"cron(0 22 * * *)\": expected 6 fields (minutes hours day-of-month month day-of-week year), found 5\n  hint: AWS cron has a sixth field, the year: cron(0 22 * * * *)",
            ),
            (
                "cron(0 22 * * * *)",
                "invalid cron expression \"cron(0 22 * * * *)\": day-of-month \"*\" and day-of-week \"*\" are both set; exactly one of them must be \"?\"\n  hint: use \"?\" for day-of-week: cron(0 22 * * ? *)",
            ),
            (
                "cron(0 22 * * MON *)",
                "invalid cron expression \"cron(0 22 * * MON *)\": day-of-month \"*\" and day-of-week \"MON\" are both set; exactly one of them must be \"?\"\n  hint: use \"?\" for day-of-month: cron(0 22 ? * MON *)",
            ),
            (
                "cron(0 22 ? * ? *)",
                "invalid cron expression \"cron(0 22 ? * ? *)\": day-of-month and day-of-week are both \"?\"; exactly one of them must be \"?\"\n  hint: set one of them, e.g. every day: cron(0 22 * * ? *)",
            ),
            (
                "cron(0 1,24 * * ? *)",
                "invalid cron expression \"cron(0 1,24 * * ? *)\": hours field \"1,24\": 24 is out of range 0-23\n  hint: hours are 0-23 in 24-hour time; midnight is 0",
            ),
            (
                "cron(0 22 0 * ? *)",
                "invalid cron expression \"cron(0 22 0 * ? *)\": day-of-month field \"0\" is out of range 1-31\n  hint: days of the month are 1-31; use L for the last day of the month",
            ),
            (
                "cron(0 22 * 13 ? *)",
                "invalid cron expression \"cron(0 22 * 13 ? *)\": month field \"13\" is out of range 1-12 or JAN-DEC\n  hint: months are 1-12 or JAN-DEC",
            ),
            (
                "cron(0 22 * JANUARY ? *)",
                "invalid cron expression \"cron(0 22 * JANUARY ? *)\": month field \"JANUARY\": \"JANUARY\" is not a month\n  hint: months are 1-12 or JAN-DEC (JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC)",
            ),
            (
                "cron(0 22 ? * 8 *)",
                "invalid cron expression \"cron(0 22 ? * 8 *)\": day-of-week field \"8\" is out of range 1-7 or SUN-SAT\n  hint: days of the week are 1-7 with 1 = SUN, or SUN-SAT",
            ),
            (
                "cron(0 22 * * ? 1969)",
                "invalid cron expression \"cron(0 22 * * ? 1969)\": year field \"1969\" is out of range 1970-2199\n  hint: years are 1970-2199; use * for every year",
            ),
            (
                "cron(0 22-2 * * ? *)",
                "invalid cron expression \"cron(0 22-2 * * ? *)\": hours field \"22-2\": range 22-2 runs backwards\n  hint: ranges do not wrap around; split it in two: 22-23,0-2",
            ),
            (
                "cron(0 8 ? * FRI-MON *)",
                "invalid cron expression \"cron(0 8 ? * FRI-MON *)\": day-of-week field \"FRI-MON\": range FRI-MON runs backwards\n  hint: ranges do not wrap around; split it in two: FRI-SAT,SUN-MON",
            ),
            (
                "cron(0/0 * * * ? *)",
                "invalid cron expression \"cron(0/0 * * * ? *)\": minutes field \"0/0\": increment 0 is out of range 1-59\n  hint: write start/increment: 0/15 is every 15 minutes from :00",
            ),
            (
                "cron(L 22 * * ? *)",
                "invalid cron expression \"cron(L 22 * * ? *)\": minutes field \"L\" uses \"L\", which the minutes field does not allow\n  hint: the minutes field allows values 0-59 and the wildcards , - * /",
            ),
            (
                "cron(0 ? * * ? *)",
                "invalid cron expression \"cron(0 ? * * ? *)\": hours field \"?\" uses \"?\", which the hours field does not allow\n  hint: the hours field allows values 0-23 and the wildcards , - * /",
            ),
            (
                "cron(0 8 ? * MON/2 *)",
                "invalid cron expression \"cron(0 8 ? * MON/2 *)\": day-of-week field \"MON/2\" uses \"/\", which the day-of-week field does not allow\n  hint: the day-of-week field allows values 1-7 or SUN-SAT and the wildcards , - * ? L #",
            ),
            (
                "cron(0 8 ? * 3#1,6#3 *)",
                "invalid cron expression \"cron(0 8 ? * 3#1,6#3 *)\": day-of-week field \"3#1,6#3\": \"#\" cannot be combined with other values\n  hint: write \"#\" forms alone in the field (AWS accepts one per field); use one schedule per expression",
            ),
            (
                "cron(0 8 ? * 2#6 *)",
                "invalid cron expression \"cron(0 8 ? * 2#6 *)\": day-of-week field \"2#6\": occurrence \"6\" is out of range 1-5\n  hint: n#k is the k-th such day of the month, e.g. 2#1 for the first Monday",
            ),
            (
                "cron(x 8 * * ? *)",
                "invalid cron expression \"cron(x 8 * * ? *)\": minutes field \"x\": \"x\" is not a number\n  hint: minutes are 0-59",
            ),
            (
                "cron(0 8 1,,2 * ? *)",
                "invalid cron expression \"cron(0 8 1,,2 * ? *)\": day-of-month field \"1,,2\" has an empty value\n  hint: write values 1-31 separated by \",\"; ranges as a-b",
            ),
            (
                "cron(0 22 * * ? *",
                "invalid cron expression \"cron(0 22 * * ? *\": missing the closing \")\"\n  hint: e.g. cron(0 22 * * ? *), rate(5 minutes) or at(2026-01-31T22:00:00)",
            ),
            (
                "0 22 * * ? *",
                "invalid schedule expression \"0 22 * * ? *\": expected cron(…), rate(…) or at(…)\n  hint: wrap the fields: cron(0 22 * * ? *)",
            ),
            (
                "every night",
                "invalid schedule expression \"every night\": expected cron(…), rate(…) or at(…)\n  hint: e.g. cron(0 22 * * ? *), rate(5 minutes) or at(2026-01-31T22:00:00)",
            ),
            (
                "rate(1 minutes)",
                "invalid rate expression \"rate(1 minutes)\": unit \"minutes\" must be singular when the value is 1\n  hint: write rate(1 minute)",
            ),
            (
                "rate(5 hour)",
                "invalid rate expression \"rate(5 hour)\": unit \"hour\" must be plural when the value is 5\n  hint: write rate(5 hours)",
            ),
            (
                "rate(0 minutes)",
                "invalid rate expression \"rate(0 minutes)\": value \"0\" is not a positive whole number\n  hint: rate values are whole numbers from 1, e.g. rate(5 minutes)",
            ),
            (
                "rate(2 weeks)",
                "invalid rate expression \"rate(2 weeks)\": unit \"weeks\" is not minute(s), hour(s) or day(s)\n  hint: for other calendars (weekly, monthly) use cron(…), e.g. cron(0 2 ? * SUN *)",
            ),
            (
                "rate(5)",
                "invalid rate expression \"rate(5)\": expected \"value unit\", found \"5\"\n  hint: e.g. rate(5 minutes), rate(1 hour) or rate(7 days)",
            ),
            (
                "at(2026-02-29T10:00:00)",
                "invalid at expression \"at(2026-02-29T10:00:00)\": day 29 does not exist in 2026-02 (it has 28 days)\n  hint: write at(yyyy-mm-ddThh:mm:ss) in the schedule's time zone, e.g. at(2026-01-31T22:00:00)",
            ),
            (
                "at(2026-01-31T24:00:00)",
                "invalid at expression \"at(2026-01-31T24:00:00)\": hour 24 is out of range 00-23\n  hint: write at(yyyy-mm-ddThh:mm:ss) in the schedule's time zone, e.g. at(2026-01-31T22:00:00)",
            ),
            (
                "at(2026-1-31T22:00:00)",
                "invalid at expression \"at(2026-1-31T22:00:00)\": \"2026-1-31T22:00:00\" is not of the form yyyy-mm-ddThh:mm:ss\n  hint: write at(yyyy-mm-ddThh:mm:ss) in the schedule's time zone, e.g. at(2026-01-31T22:00:00)",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(err(input), expected, "for {input}");
        }
    }

    #[test]
    fn error_parts_are_accessible() {
        let e = Schedule::parse("cron(0 25 * * ? *)").unwrap_err();
        assert_eq!(e.input(), "cron(0 25 * * ? *)");
        assert_eq!(e.problem(), "hours field \"25\" is out of range 0-23");
        assert_eq!(e.hint(), "hours are 0-23 in 24-hour time; midnight is 0");
    }

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

    #[test]
    fn schedule_matches_by_kind() {
        let once = Schedule::parse("at(2026-01-31T22:00:30)").unwrap();
        assert_eq!(once.matches(&at(2026, 1, 31, 22, 0)), Some(true));
        assert_eq!(once.matches(&at(2026, 1, 31, 22, 1)), Some(false));
        assert_eq!(
            Schedule::parse("rate(5 minutes)")
                .unwrap()
                .matches(&at(2026, 1, 1, 0, 0)),
            None
        );
        let Schedule::Rate(r) = Schedule::parse("rate(2 days)").unwrap() else {
            panic!("not a rate")
        };
        assert_eq!(r.interval_minutes(), 2880);
    }

    #[test]
    fn time_zones() {
        for ok in [
            "UTC",
            "Europe/Paris",
            "America/New_York",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
            "America/Port-au-Prince",
        ] {
            assert_eq!(TimeZone::parse(ok).unwrap().to_string(), ok);
        }
        let e = |s: &str| TimeZone::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("Europe Paris"),
            "invalid time zone \"Europe Paris\": expected \"UTC\" or Area/Location, e.g. Europe/Paris\n  hint: use \"UTC\" or an IANA name such as \"Europe/Paris\" or \"America/New_York\""
        );
        assert_eq!(
            e("Paris/Europe"),
            "invalid time zone \"Paris/Europe\": area \"Paris\" is not one of Africa, America, Antarctica, Arctic, Asia, Atlantic, Australia, Etc, Europe, Indian, Pacific\n  hint: use \"UTC\" or an IANA name such as \"Europe/Paris\" or \"America/New_York\""
        );
        assert_eq!(
            e("Europe/"),
            "invalid time zone \"Europe/\": part \"\" must start with a letter and hold only letters, digits, _, - and +\n  hint: use \"UTC\" or an IANA name such as \"Europe/Paris\" or \"America/New_York\""
        );
        assert!(TimeZone::parse("utc").is_err());
    }

    #[test]
    fn serde_and_schema() {
        let s: Schedule = serde_json::from_str("\"cron(0 22 * * ? *)\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"cron(0 22 * * ? *)\"");
        let bad = serde_json::from_str::<Schedule>("\"cron(0 25 * * ? *)\"").unwrap_err();
        assert!(bad.to_string().contains("hours field \"25\""), "{bad}");
        let z: TimeZone = serde_json::from_str("\"Europe/Paris\"").unwrap();
        assert_eq!(z.as_str(), "Europe/Paris");
        let schema = serde_json::to_string(&schemars::schema_for!(Schedule)).unwrap();
        assert!(schema.contains("\"pattern\""), "{schema}");
    }
}
