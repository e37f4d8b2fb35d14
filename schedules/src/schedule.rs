//! [`Schedule`]: any of the three expression forms, parsed by its prefix, printed
//! canonically, and (de)serialised as its text.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::at::At;
use crate::calendar::CivilTime;
use crate::cron::Cron;
use crate::error::{ScheduleError, CRON, RATE};
use crate::form;
use crate::rate::{Rate, RateUnit};

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
        let (what, inner) = form::split(expression)?;
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
            Schedule::At(at) => Some(at.time() == *t),
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::calendar::Weekday;
    use crate::cron::Cron;

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

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> CivilTime {
        CivilTime::new(y, mo, d, h, mi).unwrap()
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
    fn serde_and_schema() {
        let s: Schedule = serde_json::from_str("\"cron(0 22 * * ? *)\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"cron(0 22 * * ? *)\"");
        let bad = serde_json::from_str::<Schedule>("\"cron(0 25 * * ? *)\"").unwrap_err();
        assert!(bad.to_string().contains("hours field \"25\""), "{bad}");
        let schema = serde_json::to_string(&schemars::schema_for!(Schedule)).unwrap();
        assert!(schema.contains("\"pattern\""), "{schema}");
    }
}
