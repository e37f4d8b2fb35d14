//! The one error of the emulator crate: what happened, and what to do about it.

use std::fmt;

/// Why the emulator could not be installed or started: what happened, and what to do.
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  hint: {}", self.message, self.hint)
    }
}

impl std::error::Error for Error {}
