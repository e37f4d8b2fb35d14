//! `diff`: a fresh synth of one stack against its last synthesised output.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use oxiform::diagnostic::Diagnostic;

use crate::diff::{diff, render};
use crate::select::select_one;
use crate::synth::build_json;
use crate::StackDef;

/// Runs `diff` for the stack called `name`: exit 0 when equal, 1 when different.
pub(crate) fn run(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    name: &str,
    against: Option<&Path>,
    out: &Path,
) -> anyhow::Result<i32> {
    let (_, fresh) = build_json(&select_one(stacks, name)?)?;
    let old_path = old_document(against, out, name)?;
    let old_text = std::fs::read_to_string(&old_path)
        .with_context(|| format!("reading {}", old_path.display()))?;
    let old: serde_json::Value = serde_json::from_str(&old_text)
        .with_context(|| format!("{} is not valid JSON", old_path.display()))?;
    let new: serde_json::Value = serde_json::from_str(&fresh)?;
    let changes = diff(&old, &new);
    write!(stdout, "{}", render(&changes))?;
    Ok(if changes.is_empty() { 0 } else { 1 })
}

/// The old `main.tf.json`: in `against` (or its `<stack>` folder) when given, else the last
/// synth in `<out>/<stack>`.
fn old_document(against: Option<&Path>, out: &Path, stack: &str) -> anyhow::Result<PathBuf> {
    let candidates = match against {
        Some(dir) => vec![
            dir.join("main.tf.json"),
            dir.join(stack).join("main.tf.json"),
        ],
        None => vec![out.join(stack).join("main.tf.json")],
    };
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "no earlier output to compare with: {} does not exist",
                candidates[0].display()
            ))
            .hint(format!("run `synth {stack}` first, or pass --against DIR"))
            .into()
        })
}
