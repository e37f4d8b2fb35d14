//! One field of an AWS cron expression: its grammar (values, names, lists, ranges,
//! increments and the `L`/`W`/`#` day forms), its canonical text, and whether a value
//! matches it. The six-field expression is in the parent module.

use std::fmt;

use crate::calendar::{MONTH_NAMES, WEEKDAY_NAMES};
use crate::error::{problem, Problem};

/// The six fields of AWS cron.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Minutes,
    Hours,
    DayOfMonth,
    Month,
    DayOfWeek,
    Year,
}

impl Kind {
    pub(super) const ALL: [Kind; 6] = [
        Kind::Minutes,
        Kind::Hours,
        Kind::DayOfMonth,
        Kind::Month,
        Kind::DayOfWeek,
        Kind::Year,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Minutes => "minutes",
            Kind::Hours => "hours",
            Kind::DayOfMonth => "day-of-month",
            Kind::Month => "month",
            Kind::DayOfWeek => "day-of-week",
            Kind::Year => "year",
        }
    }

    pub(super) fn min(self) -> u32 {
        match self {
            Kind::Minutes | Kind::Hours => 0,
            Kind::DayOfMonth | Kind::Month | Kind::DayOfWeek => 1,
            Kind::Year => 1970,
        }
    }

    pub(super) fn max(self) -> u32 {
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
pub(super) struct Num {
    pub(super) value: u32,
    pub(super) named: bool,
}

impl Num {
    pub(super) fn plain(value: u32) -> Num {
        Num {
            value,
            named: false,
        }
    }

    pub(super) fn write(self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
pub(super) enum StepStart {
    /// `*/n`: from the field's minimum.
    Any,
    /// `a/n`
    From(Num),
    /// `a-b/n`
    Range(Num, Num),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    Single(Num),
    Range(Num, Num),
    Step { start: StepStart, step: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Special {
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
pub(super) enum Field {
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
    pub(super) fn single(value: u32) -> Field {
        Field::List(vec![Item::Single(Num::plain(value))])
    }

    pub(super) fn write(&self, kind: Kind, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
    pub(super) fn matches_value(&self, kind: Kind, x: u32) -> bool {
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
pub(super) struct FieldText<'a> {
    pub(super) kind: Kind,
    pub(super) text: &'a str,
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

    pub(super) fn parse(&self) -> Result<Field, Problem> {
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
