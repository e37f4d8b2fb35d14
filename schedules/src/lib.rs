//! Typed AWS schedule expressions, as Application Auto Scaling scheduled actions and
//! EventBridge Scheduler take them, the IANA time zones they are read in, and the calendar
//! they are evaluated on:
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
//! Both the patterns that write schedules and the cost analysis that simulates them use this
//! crate, so it depends on nothing else in the workspace.
//!
//! ```
//! use oxiform_schedules::{CivilTime, Cron, Schedule, Weekday};
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

mod at;
mod calendar;
mod cron;
mod error;
mod rate;
mod schedule;
mod zone;

pub use at::At;
pub use calendar::{days_from_civil, days_in_month, is_leap_year, CivilTime, Weekday};
pub use cron::Cron;
pub use error::ScheduleError;
pub use rate::{Rate, RateUnit};
pub use schedule::Schedule;
pub use zone::TimeZone;
