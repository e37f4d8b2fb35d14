//! `graph`: a stack's dependency graph, or an app's graph of stacks, as dot or mermaid.

use std::io::Write;

use crate::graph::{render, render_app, GraphFormat};
use crate::select::select_stack_or_app;
use crate::synth::build_stack;
use crate::StackDef;

/// Runs `graph` for the stack called `name`.
pub(crate) fn run(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    name: &str,
    format: GraphFormat,
) -> anyhow::Result<i32> {
    let selected = select_stack_or_app(stacks, name)?;
    if selected.len() > 1 || selected[0].name != name {
        let reads: Vec<(&str, &[(String, String)])> = selected
            .iter()
            .map(|d| {
                let reads = d.member.as_ref().map(|m| m.reads.as_slice());
                (d.name, reads.unwrap_or_default())
            })
            .collect();
        write!(stdout, "{}", render_app(&reads, format))?;
        return Ok(0);
    }
    let def = &selected[0];
    // The graph checks, without serialising a document nobody reads.
    let stack = build_stack(def)?;
    stack
        .check()
        .map_err(|errors| anyhow::anyhow!("stack `{}`: {errors}", def.name))?;
    write!(stdout, "{}", render(&stack.graph(), format))?;
    Ok(0)
}
