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

/// How an error reaches the terminal: `error: …` with the message (hints included), then
/// each cause.
pub(crate) fn render_error(err: &anyhow::Error) -> String {
    let mut out = format!("error: {err}");
    for cause in err.chain().skip(1) {
        out.push_str(&format!("\n  caused by: {cause}"));
    }
    out
}
