//! [`TimeZone`]: the IANA zone a schedule is read in.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
    fn serde() {
        let z: TimeZone = serde_json::from_str("\"Europe/Paris\"").unwrap();
        assert_eq!(z.as_str(), "Europe/Paris");
    }
}
