//! Which of the three forms an expression is (`cron(…)`, `rate(…)`, `at(…)`), and the text
//! between its parentheses: the first step of every parser, below all of them.

use crate::error::{problem, ScheduleError, AT, CRON, EXAMPLES, RATE};

/// The form of `expression` (one of [`CRON`], [`RATE`], [`AT`]) and its inner text.
pub(crate) fn split(expression: &str) -> Result<(&'static str, &str), ScheduleError> {
    let forms: [(&str, &'static str); 3] = [("cron(", CRON), ("rate(", RATE), ("at(", AT)];
    let Some((prefix, what)) = forms.into_iter().find(|(p, _)| expression.starts_with(p)) else {
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
    Ok((what, inner))
}
