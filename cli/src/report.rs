//! How errors reach the terminal: every one through the core's [`Diagnostic`] renderer.

use std::path::Path;

use oxiform::diagnostic::{Diagnostic, Severity};

/// The hint for a `--file` (Terraform JSON) that cannot be read.
pub(crate) const TF_JSON_HINT: &str =
    "pass a Terraform JSON file, e.g. out/<stack>/main.tf.json (`synth` writes it)";

/// The text of a file the user named with `flag`; when it cannot be read, an error that
/// says which file, why, and `hint`.
pub(crate) fn read_input(path: &Path, flag: &str, hint: &str) -> Result<String, Diagnostic> {
    std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(e.to_string())
            .lead(format!("cannot read {flag} {}", path.display()))
            .hint(hint)
    })
}

/// An error in how a command was called — an unknown stack, nothing to work on — as opposed
/// to a failure while doing it: exit code 2, like the usage errors clap reports.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) Diagnostic);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for UsageError {}

/// A usage error (exit code 2) saying `diagnostic`.
pub(crate) fn usage_error(diagnostic: Diagnostic) -> anyhow::Error {
    anyhow::Error::new(UsageError(diagnostic))
}

/// The exit code of an error: 2 for a [`UsageError`], 1 for any other failure.
pub(crate) fn exit_code(err: &anyhow::Error) -> i32 {
    if err.downcast_ref::<UsageError>().is_some() {
        2
    } else {
        1
    }
}

/// How an error reaches the terminal: `error: …` with the message (and its hint), then
/// each cause as a `caused by:` note.
pub(crate) fn render_error(err: &anyhow::Error) -> String {
    err.chain()
        .skip(1)
        .fold(
            Diagnostic::new(Severity::Error, err.to_string()),
            |d, cause| d.note("caused by", cause.to_string()),
        )
        .render()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// `error: ` before the message and its hint, then each cause as a `caused by:` note.
    #[test]
    fn an_error_renders_with_its_hint_then_its_causes() {
        let err = anyhow::Error::new(std::io::Error::other("disk full"))
            .context(Diagnostic::error("writing out/a/main.tf.json").hint("free some space"));
        assert_eq!(
            render_error(&err),
            "error: writing out/a/main.tf.json\n  hint: free some space\n  caused by: disk full"
        );
        let missing = read_input(Path::new("/nonexistent/x.json"), "--file", TF_JSON_HINT)
            .expect_err("no such file");
        assert_eq!(missing.get_hint(), Some(TF_JSON_HINT));
        assert!(missing
            .to_string()
            .starts_with("cannot read --file /nonexistent/x.json: "));
        let usage =
            usage_error(Diagnostic::error("unknown stack \"x\"").hint("`list` prints them"));
        assert_eq!(exit_code(&usage), 2);
        assert_eq!(
            render_error(&usage),
            "error: unknown stack \"x\"\n  hint: `list` prints them"
        );
    }
}
