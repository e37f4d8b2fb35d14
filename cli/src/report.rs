//! How errors reach the terminal.

use std::path::Path;

/// The hint for a `--file` (Terraform JSON) that cannot be read.
pub(crate) const TF_JSON_HINT: &str =
    "pass a Terraform JSON file, e.g. out/<stack>/main.tf.json (`synth` writes it)";

/// The text of a file the user named with `flag`; when it cannot be read, an error that
/// says which file, why, and `hint`.
pub(crate) fn read_input(path: &Path, flag: &str, hint: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {flag} {}: {e}\n  hint: {hint}", path.display()))
}

/// An error in how a command was called — an unknown stack, nothing to work on — as opposed
/// to a failure while doing it: exit code 2, like the usage errors clap reports.
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage error (exit code 2) with `message` (hint included).
pub(crate) fn usage_error(message: String) -> anyhow::Error {
    anyhow::Error::new(UsageError(message))
}

/// The exit code of an error: 2 for a [`UsageError`], 1 for any other failure.
pub(crate) fn exit_code(err: &anyhow::Error) -> i32 {
    if err.downcast_ref::<UsageError>().is_some() {
        2
    } else {
        1
    }
}

/// How an error reaches the terminal: `error: …` with the message (hints included), then
/// each cause.
pub(crate) fn render_error(err: &anyhow::Error) -> String {
    let mut out = format!("error: {err}");
    for cause in err.chain().skip(1) {
        out.push_str(&format!("\n  caused by: {cause}"));
    }
    out
}
