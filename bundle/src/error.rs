//! The one error of the bundler: what went wrong, where, and what to do about it, as the
//! core's [`Diagnostic`] renders it.

use std::fmt;

use oxiform_core::diagnostic::{CallSite, Diagnostic, Place, ToDiagnostic};

/// Why a function's bundle could not be built: what happened, where (the stack and the
/// call site that asked for it, when known), and what to do.
///
/// Displays through its [`Diagnostic`].
///
/// ```
/// use oxiform_bundle::BundleError;
/// use oxiform_core::diagnostic::ToDiagnostic;
///
/// let err = BundleError::new("pip failed", "run it again online");
/// assert_eq!(err.to_diagnostic().get_hint(), Some("run it again online"));
/// assert_eq!(err.to_string(), "pip failed\n  hint: run it again online");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleError(Box<Parts>);

/// Boxed, so that a `Result` carrying the error stays small.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    message: String,
    hint: String,
    place: Place,
}

impl BundleError {
    /// An error with its hint, placed nowhere yet.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        BundleError(Box::new(Parts {
            message: message.into(),
            hint: hint.into(),
            place: Place::new(),
        }))
    }

    /// A file-system error while `doing` something.
    pub fn io(doing: impl fmt::Display, err: std::io::Error) -> Self {
        BundleError::new(
            format!("{doing}: {err}"),
            "check that the path exists, the folder is writable and the disk has room",
        )
    }

    /// The same error, placed in stack `stack` at the call site `site`.
    pub fn at(mut self, stack: &str, site: CallSite) -> Self {
        self.0.place = Place::new().stack(stack).site(site);
        self
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// What to do about it.
    pub fn hint(&self) -> &str {
        &self.0.hint
    }
}

impl From<oxiform_emulator::Error> for BundleError {
    fn from(e: oxiform_emulator::Error) -> Self {
        BundleError::new(e.message, e.hint)
    }
}

impl ToDiagnostic for BundleError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(&self.0.message)
            .place(self.0.place.clone())
            .hint(&self.0.hint)
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for BundleError {}
