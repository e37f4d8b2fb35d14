//! How errors reach the terminal: `error: …` lines, then `hint: …`.

/// Prints an error and its causes to stderr, one `error:` block per problem.
pub(crate) fn print_error(err: &anyhow::Error) {
    eprintln!("{}", render_error(err));
}

/// The text [`print_error`] prints; every line of the first message is kept, causes follow.
pub(crate) fn render_error(err: &anyhow::Error) -> String {
    let mut out = format!("error: {err}");
    for cause in err.chain().skip(1) {
        out.push_str(&format!("\n  caused by: {cause}"));
    }
    out
}
