//! `convert`: Terraform HCL to a typed oxiform Rust module.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use oxiform::diagnostic::{Diagnostic, Place};

/// The arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// A `.tf` or `.tf.json` file, a directory of them, or `-` for standard input.
    #[arg(required_unless_present = "from_state", conflicts_with = "from_state")]
    pub path: Option<PathBuf>,
    /// Adopt what a Terraform state holds instead: a state file (`terraform.tfstate`,
    /// format version 4) or the JSON of `terraform show -json`. Writes a typed builder and
    /// `stack.import` for each managed AWS resource in it.
    #[arg(long, value_name = "STATE")]
    pub from_state: Option<PathBuf>,
    /// With `--from-state`: also write the HCL it converts (a `resource` and an `import`
    /// block per resource) to this file; warnings then name its lines.
    #[arg(long, value_name = "FILE", requires = "from_state")]
    pub hcl: Option<PathBuf>,
    /// Write the Rust module to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Runs `convert`: the module to `--out` or standard output; the features it needs and
/// every warning (each with its file and line) to standard error. On any error nothing is
/// written.
pub(crate) fn run(args: &ConvertArgs, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    let (input, converted) = match (&args.from_state, &args.path) {
        (Some(state), _) => (state, from_state(state, args.hcl.as_deref())),
        (None, Some(path)) => {
            let sources = oxiform_convert::read_sources(path)?;
            (path, oxiform_convert::convert(&sources))
        }
        (None, None) => {
            return Err(
                Diagnostic::error("give a PATH to convert, or `--from-state STATE`")
                    .lead("nothing to convert")
                    .into(),
            )
        }
    };
    let converted = converted.map_err(|errors| {
        let n = errors.len();
        Diagnostic::error(format!(
            "{n} problem{}; nothing was written",
            if n == 1 { "" } else { "s" }
        ))
        .lead("cannot convert")
        .place(Place::new().address(input.display().to_string()))
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

/// The Rust for what the state file `state` holds; its HCL to `hcl` when given.
fn from_state(
    state: &Path,
    hcl: Option<&Path>,
) -> Result<oxiform_convert::Converted, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(state).map_err(|e| {
        vec![Diagnostic::error(e.to_string())
            .lead("cannot read")
            .place(Place::new().address(state.display().to_string()))]
    })?;
    let catalog = oxiform_convert::catalog().map_err(|e| vec![e])?;
    let mut written = oxiform_convert::state_to_hcl(catalog, &state.display().to_string(), &text)
        .map_err(|e| vec![e])?;
    if let Some(file) = hcl {
        write_file(file, &written.source.text).map_err(|e| {
            vec![Diagnostic::error(format!("{e:#}"))
                .lead("cannot write")
                .place(Place::new().address(file.display().to_string()))]
        })?;
        written.source.name = file.display().to_string();
    }
    let resources = written.resources;
    let converted = oxiform_convert::convert_state_hcl(catalog, written)?;
    let mut stderr = std::io::stderr();
    if let Some(file) = hcl {
        let _ = writeln!(stderr, "wrote {}", file.display());
    }
    let _ = writeln!(
        stderr,
        "{resources} resource(s) of {} to import",
        state.display()
    );
    Ok(converted)
}

fn write_file(file: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(file, text).map_err(|e| {
        Diagnostic::error(e.to_string())
            .lead("cannot write")
            .place(Place::new().address(file.display().to_string()))
    })?;
    Ok(())
}
