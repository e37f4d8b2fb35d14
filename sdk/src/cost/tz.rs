//! UTC offsets of the time zones schedules are read in, without a time zone database.
//!
//! Exact for `UTC`, `Etc/GMT±N` and zones with a fixed offset, and for zones that follow
//! the current daylight-saving rules of the EU (last Sunday of March to last Sunday of
//! October, 01:00 UTC), the US and Canada (second Sunday of March to first Sunday of
//! November, 02:00 local), south-east Australia (first Sunday of October to first Sunday of
//! April) and New Zealand (last Sunday of September to first Sunday of April). Any other
//! zone is read as UTC and reported as approximated. Historical rule changes are not
//! modelled: the rules are today's, which is what a cost simulation of future weeks needs.
//!
//! ```
//! use oxiform::cost::tz::Zone;
//! use oxiform::schedule::CivilTime;
//!
//! let berlin = Zone::lookup("Europe/Berlin");
//! assert!(berlin.exact);
//! let winter = CivilTime::new(2026, 1, 5, 12, 0).unwrap().unix_minutes();
//! let summer = CivilTime::new(2026, 7, 6, 12, 0).unwrap().unix_minutes();
//! assert_eq!((berlin.offset_minutes(winter), berlin.offset_minutes(summer)), (60, 120));
//! ```

use oxiform_schedules::{days_from_civil, days_in_month, CivilTime};

/// Daylight-saving rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dst {
    /// EU: last Sunday of March 01:00 UTC → last Sunday of October 01:00 UTC.
    Eu,
    /// US/Canada: second Sunday of March 02:00 standard → first Sunday of November 02:00
    /// daylight time.
    Us,
    /// South-east Australia: first Sunday of October 02:00 standard → first Sunday of April
    /// 03:00 daylight time.
    Au,
    /// New Zealand: last Sunday of September 02:00 standard → first Sunday of April 03:00
    /// daylight time.
    Nz,
}

/// A time zone as the simulation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// The name as given.
    pub name: String,
    /// Standard offset from UTC, in minutes (east positive).
    pub standard_offset: i32,
    dst: Option<Dst>,
    /// Whether the offsets are exact (false: unknown zone, read as UTC).
    pub exact: bool,
}

const EU_0: &[&str] = &[
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Guernsey",
    "Europe/Isle_of_Man",
    "Europe/Jersey",
    "Atlantic/Canary",
    "Atlantic/Faroe",
    "Atlantic/Madeira",
];
const EU_1: &[&str] = &[
    "Europe/Amsterdam",
    "Europe/Andorra",
    "Europe/Belgrade",
    "Europe/Berlin",
    "Europe/Bratislava",
    "Europe/Brussels",
    "Europe/Budapest",
    "Europe/Busingen",
    "Europe/Copenhagen",
    "Europe/Gibraltar",
    "Europe/Ljubljana",
    "Europe/Luxembourg",
    "Europe/Madrid",
    "Europe/Malta",
    "Europe/Monaco",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Podgorica",
    "Europe/Prague",
    "Europe/Rome",
    "Europe/San_Marino",
    "Europe/Sarajevo",
    "Europe/Skopje",
    "Europe/Stockholm",
    "Europe/Tirane",
    "Europe/Vaduz",
    "Europe/Vatican",
    "Europe/Vienna",
    "Europe/Warsaw",
    "Europe/Zagreb",
    "Europe/Zurich",
    "Arctic/Longyearbyen",
];
const EU_2: &[&str] = &[
    "Europe/Athens",
    "Europe/Bucharest",
    "Europe/Helsinki",
    "Europe/Kiev",
    "Europe/Kyiv",
    "Europe/Mariehamn",
    "Europe/Riga",
    "Europe/Sofia",
    "Europe/Tallinn",
    "Europe/Vilnius",
    "Asia/Nicosia",
    "Asia/Famagusta",
];
const US: &[(&str, i32)] = &[
    ("America/New_York", -300),
    ("America/Detroit", -300),
    ("America/Toronto", -300),
    ("America/Indiana/Indianapolis", -300),
    ("America/Kentucky/Louisville", -300),
    ("America/Nassau", -300),
    ("America/Chicago", -360),
    ("America/Winnipeg", -360),
    ("America/Denver", -420),
    ("America/Edmonton", -420),
    ("America/Boise", -420),
    ("America/Los_Angeles", -480),
    ("America/Vancouver", -480),
    ("America/Tijuana", -480),
    ("America/Anchorage", -540),
    ("America/Halifax", -240),
    ("America/St_Johns", -210),
];
const FIXED: &[(&str, i32)] = &[
    ("America/Phoenix", -420),
    ("Pacific/Honolulu", -600),
    ("America/Sao_Paulo", -180),
    ("America/Argentina/Buenos_Aires", -180),
    ("America/Bogota", -300),
    ("America/Lima", -300),
    ("America/Mexico_City", -360),
    ("America/Regina", -360),
    ("Asia/Tokyo", 540),
    ("Asia/Seoul", 540),
    ("Asia/Shanghai", 480),
    ("Asia/Hong_Kong", 480),
    ("Asia/Singapore", 480),
    ("Asia/Taipei", 480),
    ("Asia/Manila", 480),
    ("Asia/Kuala_Lumpur", 480),
    ("Australia/Perth", 480),
    ("Asia/Kolkata", 330),
    ("Asia/Calcutta", 330),
    ("Asia/Kathmandu", 345),
    ("Asia/Dubai", 240),
    ("Asia/Karachi", 300),
    ("Asia/Dhaka", 360),
    ("Asia/Bangkok", 420),
    ("Asia/Jakarta", 420),
    ("Asia/Ho_Chi_Minh", 420),
    ("Asia/Riyadh", 180),
    ("Asia/Qatar", 180),
    ("Europe/Moscow", 180),
    ("Europe/Istanbul", 180),
    ("Europe/Minsk", 180),
    ("Africa/Johannesburg", 120),
    ("Africa/Lagos", 60),
    ("Africa/Nairobi", 180),
    ("Australia/Brisbane", 600),
    ("Australia/Darwin", 570),
];
const AU: &[(&str, i32)] = &[
    ("Australia/Sydney", 600),
    ("Australia/Melbourne", 600),
    ("Australia/Canberra", 600),
    ("Australia/Hobart", 600),
    ("Australia/Adelaide", 570),
];
const UTC_NAMES: &[&str] = &[
    "UTC",
    "Etc/UTC",
    "Etc/GMT",
    "Etc/Universal",
    "Etc/Zulu",
    "GMT",
    "Universal",
    "Zulu",
];

impl Zone {
    /// The zone called `name`; an unknown name is read as UTC with `exact == false`.
    pub fn lookup(name: &str) -> Zone {
        let zone = |standard_offset: i32, dst: Option<Dst>| Zone {
            name: name.to_owned(),
            standard_offset,
            dst,
            exact: true,
        };
        if UTC_NAMES.contains(&name) {
            return zone(0, None);
        }
        if let Some(rest) = name.strip_prefix("Etc/GMT") {
            // POSIX-style: Etc/GMT+5 is five hours *behind* UTC.
            if let Ok(hours) = rest.parse::<i32>() {
                if (-14..=12).contains(&hours) {
                    return zone(-hours * 60, None);
                }
            }
        }
        for (list, offset) in [(EU_0, 0), (EU_1, 60), (EU_2, 120)] {
            if list.contains(&name) {
                return zone(offset, Some(Dst::Eu));
            }
        }
        for (table, dst) in [(US, Some(Dst::Us)), (AU, Some(Dst::Au)), (FIXED, None)] {
            if let Some((_, offset)) = table.iter().find(|(n, _)| *n == name) {
                return zone(*offset, dst);
            }
        }
        if name == "Pacific/Auckland" {
            return zone(720, Some(Dst::Nz));
        }
        Zone {
            name: name.to_owned(),
            standard_offset: 0,
            dst: None,
            exact: false,
        }
    }

    /// The offset from UTC, in minutes, at the UTC minute `utc` (minutes since 1970).
    pub fn offset_minutes(&self, utc: i64) -> i32 {
        let Some(dst) = self.dst else {
            return self.standard_offset;
        };
        let year = CivilTime::from_unix_minutes(utc).year;
        let std = i64::from(self.standard_offset);
        let at = |month: u32, day: u32, utc_minute_of_day: i64| {
            days_from_civil(year, month, day) * 1440 + utc_minute_of_day
        };
        let summer = match dst {
            Dst::Eu => {
                let start = at(3, last_sunday(year, 3), 60);
                let end = at(10, last_sunday(year, 10), 60);
                utc >= start && utc < end
            }
            Dst::Us => {
                // 02:00 local standard time, and 02:00 local daylight time.
                let start = at(3, nth_sunday(year, 3, 2), 120 - std);
                let end = at(11, nth_sunday(year, 11, 1), 120 - (std + 60));
                utc >= start && utc < end
            }
            Dst::Au => {
                // Southern hemisphere: summer spans the new year.
                let start = at(10, nth_sunday(year, 10, 1), 120 - std);
                let end = at(4, nth_sunday(year, 4, 1), 180 - (std + 60));
                utc >= start || utc < end
            }
            Dst::Nz => {
                let start = at(9, last_sunday(year, 9), 120 - std);
                let end = at(4, nth_sunday(year, 4, 1), 180 - (std + 60));
                utc >= start || utc < end
            }
        };
        self.standard_offset + if summer { 60 } else { 0 }
    }
}

/// 0 = Sunday … 6 = Saturday.
fn weekday(year: i32, month: u32, day: u32) -> i64 {
    // 1970-01-01 was a Thursday.
    (days_from_civil(year, month, day) + 4).rem_euclid(7)
}

/// The day of the month of the `n`-th Sunday (1-based).
fn nth_sunday(year: i32, month: u32, n: u32) -> u32 {
    let first = weekday(year, month, 1);
    let first_sunday = u32::try_from((7 - first) % 7).unwrap_or(0) + 1;
    first_sunday + 7 * (n - 1)
}

/// The day of the month of the last Sunday.
fn last_sunday(year: i32, month: u32) -> u32 {
    let last = days_in_month(year, month);
    let wd = u32::try_from(weekday(year, month, last)).unwrap_or(0);
    last - wd
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        CivilTime::new(y, mo, d, h, mi)
            .map(|t| t.unix_minutes())
            .unwrap_or(0)
    }

    #[test]
    fn sundays() {
        assert_eq!(last_sunday(2026, 3), 29);
        assert_eq!(last_sunday(2026, 10), 25);
        assert_eq!(nth_sunday(2026, 3, 2), 8);
        assert_eq!(nth_sunday(2026, 11, 1), 1);
        assert_eq!(nth_sunday(2026, 10, 1), 4);
        assert_eq!(nth_sunday(2026, 4, 1), 5);
        assert_eq!(last_sunday(2026, 9), 27);
    }

    #[test]
    fn eu_transitions_at_one_utc() {
        let z = Zone::lookup("Europe/Berlin");
        assert_eq!(z.offset_minutes(utc(2026, 3, 29, 0, 59)), 60);
        assert_eq!(z.offset_minutes(utc(2026, 3, 29, 1, 0)), 120);
        assert_eq!(z.offset_minutes(utc(2026, 10, 25, 0, 59)), 120);
        assert_eq!(z.offset_minutes(utc(2026, 10, 25, 1, 0)), 60);
        let london = Zone::lookup("Europe/London");
        assert_eq!(london.offset_minutes(utc(2026, 7, 1, 12, 0)), 60);
    }

    #[test]
    fn us_transitions_at_two_local() {
        let z = Zone::lookup("America/New_York");
        // 2026-03-08 02:00 EST = 07:00 UTC.
        assert_eq!(z.offset_minutes(utc(2026, 3, 8, 6, 59)), -300);
        assert_eq!(z.offset_minutes(utc(2026, 3, 8, 7, 0)), -240);
        // 2026-11-01 02:00 EDT = 06:00 UTC.
        assert_eq!(z.offset_minutes(utc(2026, 11, 1, 5, 59)), -240);
        assert_eq!(z.offset_minutes(utc(2026, 11, 1, 6, 0)), -300);
    }

    #[test]
    fn southern_summer_spans_new_year() {
        let z = Zone::lookup("Australia/Sydney");
        assert_eq!(z.offset_minutes(utc(2026, 1, 5, 0, 0)), 660);
        assert_eq!(z.offset_minutes(utc(2026, 7, 1, 0, 0)), 600);
        // 2026-10-04 02:00 AEST = 2026-10-03 16:00 UTC.
        assert_eq!(z.offset_minutes(utc(2026, 10, 3, 15, 59)), 600);
        assert_eq!(z.offset_minutes(utc(2026, 10, 3, 16, 0)), 660);
        let nz = Zone::lookup("Pacific/Auckland");
        assert_eq!(nz.offset_minutes(utc(2026, 1, 5, 0, 0)), 780);
    }

    #[test]
    fn fixed_etc_and_unknown() {
        assert_eq!(Zone::lookup("Etc/GMT+5").offset_minutes(0), -300);
        assert_eq!(Zone::lookup("Asia/Kolkata").offset_minutes(0), 330);
        let unknown = Zone::lookup("Africa/Casablanca");
        assert!(!unknown.exact);
        assert_eq!(unknown.offset_minutes(0), 0);
    }
}
