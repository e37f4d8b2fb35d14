//! # oxiform-cli
//!
//! The command line every stacks binary gets. A stacks crate lists its stacks and hands them
//! to [`main`]:
//!
//! ```no_run
//! use oxiform::prelude::*;
//! use oxiform_cli::{App, StackDef};
//!
//! fn demo() -> anyhow::Result<Stack> {
//!     Ok(Stack::new("demo"))
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     oxiform_cli::main(&App {
//!         stacks: vec![StackDef { name: "demo", build: demo }],
//!         config_schema: None,
//!     })
//! }
//! ```

mod check_cmd;
mod commands;
mod cost_cmd;
pub mod diff;
mod emulator_cmd;
pub mod graph;
mod plugins;
mod report;
pub mod sts;
mod synth;
pub mod terraform;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub use commands::Cli;
pub use synth::{synth_stacks, SynthOutcome, Timings};

/// One stack a binary offers: its name and the function that builds it.
#[derive(Clone, Copy)]
pub struct StackDef {
    /// The stack's name, also its folder under the output directory.
    pub name: &'static str,
    /// Builds the stack (reading configuration as needed).
    pub build: fn() -> anyhow::Result<oxiform::Stack>,
}

/// What a stacks binary offers the command line.
pub struct App {
    /// Every stack, in the order `list` prints them.
    pub stacks: Vec<StackDef>,
    /// The JSON Schema of the binary's configuration files, printed by `schema`.
    pub config_schema: Option<fn() -> String>,
}

/// Parses the process arguments and runs the command. Exit codes: 0 success, 1 failure,
/// 2 usage error.
pub fn main(app: &App) -> ExitCode {
    let code = execute(
        std::env::args_os(),
        app,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// Runs one command line (`args[0]` is the program name) and returns the exit code:
/// 0 success, 1 failure, 2 usage error (`plan`: 2 means changes). Errors are written to
/// `stderr` as `error: …` with a `hint: …`.
pub fn execute<I, T>(args: I, app: &App, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let text = err.render().to_string();
            let code = err.exit_code();
            if code == 0 {
                let _ = write!(stdout, "{text}");
            } else {
                let _ = write!(stderr, "{text}");
            }
            return code;
        }
    };
    match commands::run(cli, app, stdout) {
        Ok(code) => code,
        Err(err) => {
            let _ = writeln!(stderr, "{}", report::render_error(&err));
            report::exit_code(&err)
        }
    }
}
