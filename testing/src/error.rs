//! The one error every assertion returns: what was expected, where the assertion is, and
//! what came nearest, as a [`Diagnostic`] rendered by the core's one renderer.

use std::fmt;

use oxiform_core::diagnostic::{CallSite, Diagnostic, Place};
use oxiform_core::ToDiagnostic;

/// Which question failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssertionKind {
    /// The stack did not synthesise, or the text is not Terraform JSON.
    Template,
    /// A resource count differs.
    Count,
    /// A resource (by type and name) or an output is not in the template.
    Missing,
    /// No resource of the type matches a pattern.
    NoMatch,
    /// Some resources of the type do not match a pattern that all must match.
    NotAll,
    /// A value (an output, a resource body) does not match its pattern.
    Mismatch,
    /// One resource does not reference another.
    NoReference,
    /// The policy gate reported findings.
    Policy,
}

/// A failed assertion. Its `Display` (and its `Debug`, so that a test returning
/// `Result<(), AssertionError>` prints it readably) is the rendered message: what was
/// expected, the call site, the nearest candidate and a line per difference.
///
/// ```
/// use oxiform_testing::{AssertionKind, Template};
///
/// let t = Template::from_json(r#"{"resource": {}}"#).unwrap();
/// let err = t.output("url").unwrap_err();
/// assert_eq!(err.kind(), AssertionKind::Missing);
/// assert!(err.to_string().starts_with("assertion failed (at "));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AssertionError {
    kind: AssertionKind,
    diagnostic: Diagnostic,
}

impl AssertionError {
    /// An error of `kind` saying `message`, placed at the assertion's call site.
    pub(crate) fn new(kind: AssertionKind, site: CallSite, message: impl Into<String>) -> Self {
        AssertionError {
            kind,
            diagnostic: Diagnostic::error(message)
                .lead("assertion failed")
                .place(Place::new().site(site)),
        }
    }

    /// Adds a line under the headline.
    pub(crate) fn line(mut self, line: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.body_line(line);
        self
    }

    /// Adds the lines under the headline.
    pub(crate) fn lines(self, lines: impl IntoIterator<Item = String>) -> Self {
        lines.into_iter().fold(self, AssertionError::line)
    }

    /// Adds a hint.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.diagnostic = self.diagnostic.hint(hint);
        self
    }

    /// Which question failed.
    pub fn kind(&self) -> AssertionKind {
        self.kind
    }

    /// The message as data (headline, lines, hint).
    pub fn diagnostic(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

impl ToDiagnostic for AssertionError {
    fn to_diagnostic(&self) -> Diagnostic {
        self.diagnostic.clone()
    }
}

impl fmt::Display for AssertionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.diagnostic, f)
    }
}

impl fmt::Debug for AssertionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.diagnostic, f)
    }
}

impl std::error::Error for AssertionError {}
