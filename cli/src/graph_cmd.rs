//! `graph`: a stack's dependency graph as dot or mermaid.

use std::io::Write;

use crate::graph::{render, GraphFormat};
use crate::select::select_one;
use crate::synth::build_stack;
use crate::StackDef;

/// Runs `graph` for the stack called `name`.
pub(crate) fn run(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    name: &str,
    format: GraphFormat,
) -> anyhow::Result<i32> {
    let def = select_one(stacks, name)?;
    // The graph checks, without serialising a document nobody reads.
    let stack = build_stack(&def)?;
    stack
        .check()
        .map_err(|errors| anyhow::anyhow!("stack `{}`: {errors}", def.name))?;
    write!(stdout, "{}", render(&stack.graph(), format))?;
    Ok(0)
}
