//! `convert`: Terraform HCL to a typed oxiform Rust module.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use oxiform::diagnostic::{Diagnostic, Place};

/// The arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// A `.tf` or `.tf.json` file, a directory of them, or `-` for standard input.
    pub path: PathBuf,
    /// Write the Rust module to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Runs `convert`: the module to `--out` or standard output; the features it needs and
/// every warning (each with its file and line) to standard error. On any error nothing is
/// written.
pub(crate) fn run(args: &ConvertArgs, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    let sources = oxiform_convert::read_sources(&args.path)?;
    let converted = oxiform_convert::convert(&sources).map_err(|errors| {
        let n = errors.len();
        Diagnostic::error(format!(
            "{n} problem{}; nothing was written",
            if n == 1 { "" } else { "s" }
        ))
        .lead("cannot convert")
        .place(Place::new().address(args.path.display().to_string()))
        .children(errors)
    })?;
    match &args.out {
        Some(file) => write_file(file, &converted.rust)?,
        None => write!(stdout, "{}", converted.rust)?,
    }
    let quoted: Vec<String> = converted
        .features
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect();
    let mut stderr = std::io::stderr();
    if let Some(file) = &args.out {
        writeln!(stderr, "wrote {}", file.display())?;
    }
    writeln!(
        stderr,
        "needs oxiform = {{ …, features = [{}] }}",
        quoted.join(", ")
    )?;
    for w in &converted.warnings {
        writeln!(stderr, "{}", w.render())?;
    }
    if !converted.warnings.is_empty() {
        writeln!(
            stderr,
            "{} expression(s) kept as raw HCL or left out: see the TODO(convert) comments",
            converted.warnings.len()
        )?;
    }
    Ok(0)
}

fn write_file(file: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(file, text).map_err(|e| {
        Diagnostic::error(e.to_string())
            .lead("cannot write")
            .place(Place::new().address(file.display().to_string()))
    })?;
    Ok(())
}
