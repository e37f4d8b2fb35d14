//! `synth`: write the selected stacks and say what was written.

use std::io::Write;
use std::path::Path;

use crate::select::select;
use crate::synth::{synth_stacks, SynthOutcome};
use crate::StackDef;

/// Runs `synth` for the stacks called `names` (all when empty), printing each stack's
/// timings too when `timings` is set.
pub(crate) fn run(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    names: &[String],
    out: &Path,
    timings: bool,
) -> anyhow::Result<i32> {
    let selected = select(stacks, names)?;
    for outcome in synth_stacks(&selected, out)? {
        print_outcome(stdout, &outcome)?;
        if timings {
            writeln!(stdout, "  timings: {}", outcome.timings)?;
        }
    }
    Ok(0)
}

/// The lines `synth` (and every command that synthesises first) prints for one stack: the
/// file written, then its policy warnings and waived findings.
pub(crate) fn print_outcome(stdout: &mut dyn Write, outcome: &SynthOutcome) -> anyhow::Result<()> {
    writeln!(
        stdout,
        "wrote {} ({} resources)",
        outcome.dir.join("main.tf.json").display(),
        outcome.resources
    )?;
    for note in &outcome.notes {
        writeln!(stdout, "{note}")?;
    }
    Ok(())
}
