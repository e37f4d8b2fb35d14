//! How errors reach the terminal.

/// How an error reaches the terminal: `error: …` with the message (hints included), then
/// each cause.
pub(crate) fn render_error(err: &anyhow::Error) -> String {
    let mut out = format!("error: {err}");
    for cause in err.chain().skip(1) {
        out.push_str(&format!("\n  caused by: {cause}"));
    }
    out
}
