//! [`TimeZone`]: the IANA zone a schedule is read in.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::calendar::CivilTime;
use crate::error::{problem, ScheduleError};

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

/// The hint of every time zone error.
const HINT: &str = "use \"UTC\" or an IANA name such as \"Europe/Paris\" or \"America/New_York\"";

/// An IANA time zone a schedule is read in: `UTC` or `Area/Location[/Sub]`, spelled as the
/// time zone database spells it, with that zone's rules (every offset and daylight-saving
/// change the database records).
///
/// ```
/// use oxiform_schedules::{CivilTime, TimeZone};
///
/// let berlin = TimeZone::parse("Europe/Berlin").unwrap();
/// let winter = CivilTime::new(2026, 1, 5, 12, 0).unwrap().unix_minutes();
/// let summer = CivilTime::new(2026, 7, 6, 12, 0).unwrap().unix_minutes();
/// assert_eq!((berlin.offset_minutes(winter), berlin.offset_minutes(summer)), (60, 120));
/// assert_eq!(berlin.local_time(winter).hour, 13);
/// assert!(TimeZone::parse("Europe/Atlantis").is_err());
/// ```
#[derive(Clone)]
pub struct TimeZone {
    /// The name as given (and as the database spells it).
    name: String,
    /// The zone's rules, from the time zone database bundled into the binary.
    rules: jiff::tz::TimeZone,
}

impl TimeZone {
    /// `UTC`.
    pub fn utc() -> TimeZone {
        TimeZone {
            name: "UTC".to_owned(),
            rules: jiff::tz::TimeZone::UTC,
        }
    }

    /// Checks `name`: `UTC`, or two or three `/`-separated parts of letters, digits, `_`,
    /// `-`, `+`, the first a known area (`Europe`, `America`, …), naming a zone of the IANA
    /// time zone database in its own spelling.
    pub fn parse(name: &str) -> Result<TimeZone, ScheduleError> {
        let err = |message: String, hint: &str| {
            ScheduleError::new("time zone", name, problem(message, hint))
        };
        if name == "UTC" {
            return Ok(TimeZone::utc());
        }
        let parts: Vec<&str> = name.split('/').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(err(
                "expected \"UTC\" or Area/Location, e.g. Europe/Paris".to_owned(),
                HINT,
            ));
        }
        for part in &parts {
            let ok = part.starts_with(|c: char| c.is_ascii_alphabetic())
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'));
            if !ok {
                return Err(err(
                    format!(
                        "part {part:?} must start with a letter and hold only letters, digits, _, - and +"
                    ),
                    HINT,
                ));
            }
        }
        if !TZ_AREAS.contains(&parts[0]) {
            return Err(err(
                format!("area {:?} is not one of {}", parts[0], TZ_AREAS.join(", ")),
                HINT,
            ));
        }
        let Ok(rules) = jiff::tz::db().get(name) else {
            return Err(err(
                "no such zone in the IANA time zone database".to_owned(),
                HINT,
            ));
        };
        // The database finds names regardless of case; AWS does not.
        match rules.iana_name() {
            Some(spelled) if spelled != name => {
                let hint = format!("write {spelled:?}");
                Err(err(
                    format!("the time zone database spells it {spelled:?}"),
                    &hint,
                ))
            }
            _ => Ok(TimeZone {
                name: name.to_owned(),
                rules,
            }),
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The offset from UTC, in minutes (east positive), at the UTC minute `utc` (minutes
    /// since 1970-01-01T00:00). Historical local mean times with seconds are truncated to the
    /// minute; minutes beyond the years -9999 to 9999 take the offset at that bound.
    pub fn offset_minutes(&self, utc: i64) -> i32 {
        let (min, max) = (
            jiff::Timestamp::MIN.as_second(),
            jiff::Timestamp::MAX.as_second(),
        );
        let second = utc.saturating_mul(60).clamp(min, max);
        let at = jiff::Timestamp::from_second(second).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.rules.to_offset(at).seconds() / 60
    }

    /// The local minute of the calendar at the UTC minute `utc`: what a schedule read in
    /// this zone sees.
    pub fn local_time(&self, utc: i64) -> CivilTime {
        CivilTime::from_unix_minutes(utc + i64::from(self.offset_minutes(utc)))
    }
}

// A zone is its name: the rules follow from it (one database per binary).
impl PartialEq for TimeZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}
impl Eq for TimeZone {}
impl Hash for TimeZone {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}
impl fmt::Debug for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TimeZone").field(&self.name).finish()
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
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
        s.serialize_str(&self.name)
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
    fn names_outside_the_database_are_refused() {
        let e = |s: &str| TimeZone::parse(s).unwrap_err().to_string();
        assert_eq!(
            e("Europe/Atlantis"),
            "invalid time zone \"Europe/Atlantis\": no such zone in the IANA time zone database\n  hint: use \"UTC\" or an IANA name such as \"Europe/Paris\" or \"America/New_York\""
        );
        assert_eq!(
            e("Europe/berlin"),
            "invalid time zone \"Europe/berlin\": the time zone database spells it \"Europe/Berlin\"\n  hint: write \"Europe/Berlin\""
        );
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        CivilTime::new(y, mo, d, h, mi).unwrap().unix_minutes()
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    // The transitions below are the rules that cost/tz.rs kept by hand before the database
    // replaced it; they still hold in 2026.

    #[test]
    fn eu_transitions_at_one_utc() {
        let z = zone("Europe/Berlin");
        assert_eq!(z.offset_minutes(utc(2026, 3, 29, 0, 59)), 60);
        assert_eq!(z.offset_minutes(utc(2026, 3, 29, 1, 0)), 120);
        assert_eq!(z.offset_minutes(utc(2026, 10, 25, 0, 59)), 120);
        assert_eq!(z.offset_minutes(utc(2026, 10, 25, 1, 0)), 60);
        assert_eq!(
            zone("Europe/London").offset_minutes(utc(2026, 7, 1, 12, 0)),
            60
        );
    }

    #[test]
    fn us_transitions_at_two_local() {
        let z = zone("America/New_York");
        // 2026-03-08 02:00 EST = 07:00 UTC.
        assert_eq!(z.offset_minutes(utc(2026, 3, 8, 6, 59)), -300);
        assert_eq!(z.offset_minutes(utc(2026, 3, 8, 7, 0)), -240);
        // 2026-11-01 02:00 EDT = 06:00 UTC.
        assert_eq!(z.offset_minutes(utc(2026, 11, 1, 5, 59)), -240);
        assert_eq!(z.offset_minutes(utc(2026, 11, 1, 6, 0)), -300);
        assert_eq!(
            z.local_time(utc(2026, 3, 8, 7, 0)).to_string(),
            "2026-03-08T03:00 (SUN)"
        );
    }

    #[test]
    fn southern_summer_spans_new_year() {
        let z = zone("Australia/Sydney");
        assert_eq!(z.offset_minutes(utc(2026, 1, 5, 0, 0)), 660);
        assert_eq!(z.offset_minutes(utc(2026, 7, 1, 0, 0)), 600);
        // 2026-10-04 02:00 AEST = 2026-10-03 16:00 UTC.
        assert_eq!(z.offset_minutes(utc(2026, 10, 3, 15, 59)), 600);
        assert_eq!(z.offset_minutes(utc(2026, 10, 3, 16, 0)), 660);
        assert_eq!(
            zone("Pacific/Auckland").offset_minutes(utc(2026, 1, 5, 0, 0)),
            780
        );
    }

    #[test]
    fn fixed_etc_and_zones_the_tables_did_not_know() {
        // POSIX-style: Etc/GMT+5 is five hours *behind* UTC.
        assert_eq!(zone("Etc/GMT+5").offset_minutes(0), -300);
        assert_eq!(zone("Asia/Kolkata").offset_minutes(0), 330);
        assert_eq!(
            zone("Asia/Kathmandu").offset_minutes(utc(2026, 1, 5, 0, 0)),
            345
        );
        assert_eq!(TimeZone::utc().offset_minutes(utc(2026, 7, 1, 0, 0)), 0);
        // The hand-kept tables read these as UTC ("approximated"); the database knows them.
        assert_eq!(
            zone("America/Santiago").offset_minutes(utc(2026, 1, 5, 0, 0)),
            -180
        );
        assert_eq!(
            zone("America/Santiago").offset_minutes(utc(2026, 7, 1, 0, 0)),
            -240
        );
        assert_eq!(
            zone("Asia/Tehran").offset_minutes(utc(2026, 1, 5, 0, 0)),
            210
        );
        assert_eq!(
            zone("Australia/Lord_Howe").offset_minutes(utc(2026, 1, 5, 0, 0)),
            660
        );
        assert_eq!(
            zone("Australia/Lord_Howe").offset_minutes(utc(2026, 7, 1, 0, 0)),
            630
        );
    }

    #[test]
    fn minutes_beyond_the_database_take_the_bound() {
        let z = zone("Europe/Berlin");
        assert_eq!(
            z.offset_minutes(i64::MAX),
            z.offset_minutes(i64::MAX / 60 - 1)
        );
        assert_eq!(TimeZone::utc().offset_minutes(i64::MIN), 0);
    }

    #[test]
    fn serde() {
        let z: TimeZone = serde_json::from_str("\"Europe/Paris\"").unwrap();
        assert_eq!(z.as_str(), "Europe/Paris");
        assert_eq!(serde_json::to_string(&z).unwrap(), "\"Europe/Paris\"");
        assert_eq!(format!("{z:?}"), "TimeZone(\"Europe/Paris\")");
        let bad = serde_json::from_str::<TimeZone>("\"Europe/Atlantis\"").unwrap_err();
        assert!(bad.to_string().contains("no such zone"), "{bad}");
    }
}
