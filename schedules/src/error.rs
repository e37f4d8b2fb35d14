//! The one error of this crate: an expression (or a time zone name) that AWS would reject,
//! with what is wrong and how to fix it, kept apart so callers can place them in their own
//! messages.

use std::fmt;

use oxiform_core::diagnostic::{Diagnostic, ToDiagnostic};

/// A schedule expression that AWS would reject, or that is certainly a mistake.
///
/// Its [`Diagnostic`] displays as `invalid <kind> "<input>": <problem>` and the hint on the
/// next line:
///
/// ```
/// use oxiform_schedules::Schedule;
///
/// let err = Schedule::parse("rate(5 hour)").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid rate expression \"rate(5 hour)\": unit \"hour\" must be plural when the value is 5\n  hint: write rate(5 hours)"
/// );
/// assert_eq!(err.hint(), "write rate(5 hours)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    what: &'static str,
    input: String,
    problem: String,
    hint: String,
}

impl ScheduleError {
    pub(crate) fn new(what: &'static str, input: &str, problem: Problem) -> Self {
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

impl ToDiagnostic for ScheduleError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(&self.problem)
            .lead(format!("invalid {} {:?}", self.what, self.input))
            .hint(&self.hint)
    }
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for ScheduleError {}

/// A problem before it is attached to its input.
pub(crate) struct Problem {
    message: String,
    hint: String,
}

pub(crate) fn problem(message: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem {
        message: message.into(),
        hint: hint.into(),
    }
}

// What is being read, as the first words of a message say it; `Schedule::parse` also
// dispatches on these.
pub(crate) const CRON: &str = "cron expression";
pub(crate) const RATE: &str = "rate expression";
pub(crate) const AT: &str = "at expression";
/// One of each form, for hints.
pub(crate) const EXAMPLES: &str =
    "e.g. cron(0 22 * * ? *), rate(5 minutes) or at(2026-01-31T22:00:00)";

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_diagnostic_keeps_input_problem_and_hint_apart() {
        let err = ScheduleError::new(
            "time zone",
            "Europe/berlin",
            problem(
                "the time zone database spells it \"Europe/Berlin\"",
                "write \"Europe/Berlin\"",
            ),
        );
        let d = err.to_diagnostic();
        assert_eq!(d.get_lead(), Some("invalid time zone \"Europe/berlin\""));
        assert_eq!(d.get_message(), err.problem());
        assert_eq!(d.get_hint(), Some(err.hint()));
        assert_eq!(
            err.to_string(),
            "invalid time zone \"Europe/berlin\": the time zone database spells it \"Europe/Berlin\"\n  hint: write \"Europe/Berlin\""
        );
    }
}
