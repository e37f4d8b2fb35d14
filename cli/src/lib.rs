//! # oxiform-cli
//!
//! The command line every stacks binary gets. A stacks crate lists its stacks and hands them
//! to [`main`]:
//!
//! ```no_run
//! use oxiform::prelude::*;
//! use oxiform_cli::StackDef;
//!
//! fn demo() -> anyhow::Result<Stack> {
//!     Ok(Stack::new("demo"))
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     oxiform_cli::main(&[StackDef { name: "demo", build: demo }])
//! }
//! ```

mod commands;
mod report;
mod synth;

use std::process::ExitCode;

use clap::Parser;

pub use commands::Cli;
pub use synth::{synth_stacks, SynthOutcome};

/// One stack a binary offers: its name and the function that builds it.
#[derive(Clone, Copy)]
pub struct StackDef {
    /// The stack's name, also its folder under the output directory.
    pub name: &'static str,
    /// Builds the stack (reading configuration as needed).
    pub build: fn() -> anyhow::Result<oxiform::Stack>,
}

/// Parses the process arguments and runs the command. Exit codes: 0 success, 1 failure,
/// 2 usage error.
pub fn main(stacks: &[StackDef]) -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli, stacks, &mut std::io::stdout()) {
        Ok(code) => code,
        Err(err) => {
            report::print_error(&err);
            ExitCode::FAILURE
        }
    }
}
