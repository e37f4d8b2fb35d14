//! Scheduled scaling, simulated minute by minute over a reference week.
//!
//! Application Auto Scaling's scheduled actions set a scalable target's minimum and maximum
//! capacity when their cron expression fires, read in their time zone. The simulation
//! starts from the target's own bounds one week before the reference week (so that the
//! state at its start is what the schedule leaves behind), applies every action at each
//! minute it fires, and measures how long each pair of bounds holds during the reference
//! week: Monday 2026-01-05 00:00 UTC to Monday 2026-01-12 00:00 UTC.
//!
//! The floor is the minimum capacity all the time, the ceiling the maximum whenever the
//! schedule allows it; capacity in between depends on demand.
//!
//! ```
//! use oxiform_analysis::cost::simulate::{simulate, ScheduledAction};
//! use oxiform_schedules::{Schedule, TimeZone};
//!
//! let action = |cron: &str, min, max| ScheduledAction {
//!     address: cron.to_owned(),
//!     schedule: Schedule::parse(cron).unwrap(),
//!     zone: TimeZone::utc(),
//!     min: Some(min),
//!     max: Some(max),
//! };
//! let sim = simulate(1, 4, &[action("cron(0 22 * * ? *)", 1, 1), action("cron(0 7 * * ? *)", 1, 4)]);
//! assert_eq!(sim.segments[0].max_capacity, 4);
//! assert_eq!(sim.segments[0].hours_per_day, 15.0);
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use oxiform_schedules::{CivilTime, Schedule, TimeZone};

/// The first minute of the reference week: Monday 2026-01-05 00:00 UTC (no zone of the IANA
/// time zone database, release 2026f, changes its offset that week or the week before).
pub fn week_start() -> i64 {
    CivilTime::new(2026, 1, 5, 0, 0)
        .map(|t| t.unix_minutes())
        .unwrap_or(0)
}

/// Minutes in a week.
pub const MINUTES_PER_WEEK: i64 = 7 * 24 * 60;

/// Hours in a week.
pub const HOURS_PER_WEEK: f64 = 168.0;

/// One scheduled action, as the simulation reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledAction {
    /// The action's address, for notes.
    pub address: String,
    /// When it fires.
    pub schedule: Schedule,
    /// The zone its schedule is read in.
    pub zone: TimeZone,
    /// The minimum capacity it sets, if it sets one.
    pub min: Option<u32>,
    /// The maximum capacity it sets, if it sets one.
    pub max: Option<u32>,
}

/// How long a pair of bounds holds in the reference week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Segment {
    /// Minimum capacity.
    pub min_capacity: u32,
    /// Maximum capacity.
    pub max_capacity: u32,
    /// Hours per week these bounds hold.
    pub hours_per_week: f64,
    /// The same, per day on average.
    pub hours_per_day: f64,
}

/// What a week of scheduled scaling adds up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// The bounds over the week, longest first.
    pub segments: Vec<Segment>,
    /// Instance-hours per week at the minimum capacity.
    pub floor_instance_hours: f64,
    /// Instance-hours per week at the maximum capacity.
    pub ceiling_instance_hours: f64,
    /// The largest maximum the target or any action allows: the capacity of "always on".
    pub always_on_capacity: u32,
    /// Whether every schedule could be simulated exactly.
    pub exact: bool,
    /// What was approximated, and how.
    pub notes: Vec<String>,
}

/// Simulates the reference week for a target registered with `target_min`..`target_max`.
pub fn simulate(target_min: u32, target_max: u32, actions: &[ScheduledAction]) -> Simulation {
    let start = week_start();
    let warm_up = start - MINUTES_PER_WEEK;
    let mut notes = Vec::new();
    let mut exact = true;
    let mut sorted: Vec<&ScheduledAction> = actions.iter().collect();
    sorted.sort_by(|a, b| a.address.cmp(&b.address));
    for a in &sorted {
        if let Some(note) = schedule_note(&a.schedule) {
            exact = false;
            notes.push(format!("{}: {note}", a.address));
        }
    }
    let (mut min, mut max) = (target_min, target_max);
    let mut minutes: Vec<((u32, u32), i64)> = Vec::new();
    for utc in warm_up..start + MINUTES_PER_WEEK {
        for a in &sorted {
            if fires(&a.schedule, &a.zone, utc, warm_up) {
                if let Some(m) = a.min {
                    min = m;
                }
                if let Some(m) = a.max {
                    max = m;
                }
            }
        }
        if utc >= start {
            match minutes.iter_mut().find(|(k, _)| *k == (min, max)) {
                Some((_, n)) => *n += 1,
                None => minutes.push(((min, max), 1)),
            }
        }
    }
    minutes.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    let segments: Vec<Segment> = minutes
        .iter()
        .map(|((min, max), n)| {
            let hours = *n as f64 / 60.0;
            Segment {
                min_capacity: *min,
                max_capacity: *max,
                hours_per_week: hours,
                hours_per_day: hours / 7.0,
            }
        })
        .collect();
    let floor = segments
        .iter()
        .map(|s| f64::from(s.min_capacity) * s.hours_per_week)
        .sum();
    let ceiling = segments
        .iter()
        .map(|s| f64::from(s.max_capacity) * s.hours_per_week)
        .sum();
    let always_on_capacity = sorted
        .iter()
        .filter_map(|a| a.max)
        .chain([target_max])
        .max()
        .unwrap_or(target_max);
    Simulation {
        segments,
        floor_instance_hours: floor,
        ceiling_instance_hours: ceiling,
        always_on_capacity,
        exact,
        notes,
    }
}

/// Whether `schedule` fires at UTC minute `utc`; `origin` is when the simulation starts (a
/// rate expression is taken to start then).
fn fires(schedule: &Schedule, zone: &TimeZone, utc: i64, origin: i64) -> bool {
    match schedule {
        Schedule::Rate(rate) => {
            let every = i64::try_from(rate.interval_minutes()).unwrap_or(i64::MAX);
            every > 0 && (utc - origin) % every == 0
        }
        other => other.matches(&zone.local_time(utc)).unwrap_or(false),
    }
}

/// Why one reference week may not represent a schedule, if it may not.
pub fn schedule_note(schedule: &Schedule) -> Option<String> {
    match schedule {
        Schedule::Rate(_) => Some(format!(
            "{schedule} depends on when the schedule was created; taken to start with the simulation (approximation)"
        )),
        Schedule::At(_) => Some(format!(
            "{schedule} fires once; it counts only if it falls in the simulated weeks"
        )),
        Schedule::Cron(_) => {
            let text = schedule.to_string();
            let inner = text
                .trim_start_matches("cron(")
                .trim_end_matches(')')
                .to_owned();
            let fields: Vec<&str> = inner.split_whitespace().collect();
            let special = fields.len() == 6
                && (!matches!(fields[2], "*" | "?")
                    || fields[3] != "*"
                    || fields[5] != "*"
                    || fields[4].contains('#')
                    || fields[4].contains('L'));
            special.then(|| {
                format!("{schedule} depends on the day of the month or year; one simulated week may not represent a month (approximation)")
            })
        }
    }
}

/// How often `schedule` fires per week in `zone` (the reference week), and a note when
/// that is an approximation.
pub fn fires_per_week(schedule: &Schedule, zone: &TimeZone) -> (f64, Option<String>) {
    let start = week_start();
    let note = schedule_note(schedule);
    let count = match schedule {
        Schedule::Rate(rate) => {
            return (
                MINUTES_PER_WEEK as f64 / rate.interval_minutes().max(1) as f64,
                None,
            )
        }
        _ => (start..start + MINUTES_PER_WEEK)
            .filter(|utc| fires(schedule, zone, *utc, start))
            .count(),
    };
    (count as f64, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str, cron: &str, zone: &str, min: u32, max: u32) -> ScheduledAction {
        ScheduledAction {
            address: name.to_owned(),
            schedule: Schedule::parse(cron)
                .unwrap_or(Schedule::rate(1, oxiform_schedules::RateUnit::Day)),
            zone: TimeZone::parse(zone).unwrap_or_else(|_| TimeZone::utc()),
            min: Some(min),
            max: Some(max),
        }
    }

    #[test]
    fn berlin_weekday_mornings_and_daily_evenings() {
        // dev: down at 19:00 every day, up at 08:00 Monday to Friday, Europe/Berlin.
        let sim = simulate(
            1,
            2,
            &[
                action("night", "cron(0 19 * * ? *)", "Europe/Berlin", 1, 1),
                action("morning", "cron(0 8 ? * MON-FRI *)", "Europe/Berlin", 1, 2),
            ],
        );
        assert!(sim.exact);
        assert_eq!(sim.segments.len(), 2);
        let up = &sim.segments[1];
        assert_eq!((up.min_capacity, up.max_capacity), (1, 2));
        assert_eq!(up.hours_per_week, 55.0);
        assert_eq!(sim.ceiling_instance_hours, 168.0 + 55.0);
        assert_eq!(sim.floor_instance_hours, 168.0);
    }

    #[test]
    fn rate_schedules_count_per_week() {
        let (n, note) = fires_per_week(
            &Schedule::rate(5, oxiform_schedules::RateUnit::Minute),
            &TimeZone::utc(),
        );
        assert_eq!(n, 2016.0);
        assert!(note.is_none());
    }
}
