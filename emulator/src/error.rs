//! The one error of the emulator crate: what happened, and what to do about it, as the
//! core's [`Diagnostic`] renders it.

use std::fmt;

use oxiform_core::diagnostic::{Diagnostic, ToDiagnostic};

/// Why the emulator could not be installed or started: what happened, and what to do.
///
/// Displays through its [`Diagnostic`]: the message, then the hint on the next line.
///
/// ```
/// use oxiform_core::diagnostic::ToDiagnostic;
/// use oxiform_emulator::Error;
///
/// let err = Error::new("python3 not found", "install python3");
/// assert_eq!(err.to_diagnostic().get_hint(), Some("install python3"));
/// assert_eq!(err.to_string(), "python3 not found\n  hint: install python3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Error {
    /// An error with its hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A file-system error while `doing` something.
    pub fn io(doing: impl fmt::Display, err: std::io::Error) -> Self {
        Error::new(
            format!("{doing}: {err}"),
            "check that the folder is writable and the disk has room",
        )
    }
}

impl ToDiagnostic for Error {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(&self.message).hint(&self.hint)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_diagnostic().fmt(f)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_and_the_hint_are_data_rendered_by_the_core() {
        let err = Error::io(
            "creating /x",
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
        );
        let d = err.to_diagnostic();
        assert_eq!(d.get_message(), "creating /x: denied");
        assert_eq!(
            d.get_hint(),
            Some("check that the folder is writable and the disk has room")
        );
        assert_eq!(
            err.to_string(),
            "creating /x: denied\n  hint: check that the folder is writable and the disk has room"
        );
    }
}
