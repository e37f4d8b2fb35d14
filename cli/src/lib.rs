//! # oxiform-cli
//!
//! The command line every stacks binary gets. A stacks crate lists its stacks and hands them
//! to [`main`]:
//!
//! ```no_run
//! use oxiform::policy::PolicySet;
//! use oxiform::prelude::*;
//! use oxiform_cli::{App, StackDef};
//!
//! fn demo() -> anyhow::Result<Stack> {
//!     Ok(Stack::new("demo"))
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     oxiform_cli::main(&App::new(vec![StackDef::new("demo", demo)]))
//! }
//! ```
//!
//! `synth` gates every stack, and `check` checks it, with a policy set
//! ([`oxiform::policy::PolicySet`](oxiform_analysis::policy::PolicySet)): the stack's own
//! ([`StackDef::policy`]) or else the binary's ([`App::policy`],
//! [`PolicySet::default`](oxiform_analysis::policy::PolicySet::default) unless set).
//! `check --file` uses the binary's.
//!
//! ```
//! use oxiform::policy::{PolicySet, RuleId, Severity};
//! use oxiform::prelude::*;
//! use oxiform_cli::{App, StackDef};
//!
//! fn team() -> anyhow::Result<Stack> { Ok(Stack::new("team")) }
//! fn sandbox() -> anyhow::Result<Stack> { Ok(Stack::new("sandbox")) }
//!
//! // Every stack of this binary carries `Team`, except the sandbox.
//! let app = App::new(vec![
//!     StackDef::new("team", team),
//!     StackDef::new("sandbox", sandbox).policy(PolicySet::default()),
//! ])
//! .policy(PolicySet::default().require_tags(["Team"]));
//! assert!(app.policy_for(&app.stacks[0]).runs(RuleId::RequiredTags));
//! assert!(!app.policy_for(&app.stacks[1]).runs(RuleId::RequiredTags));
//! ```

// Modules point down: `commands` (the clap tree and dispatch) calls one module per
// subcommand (`*_cmd`, `deploy`), those call the shared helpers (`select`, `synth`,
// `runtime`, `report`) and the libraries below them (`review` over `diff`, `terraform`,
// `sts`, `graph`, `plugins`, `rename_guard`), and everything reads `app`. None imports one
// above it: the architecture test of `oxiform-tests` fails on any cycle.
mod app;
mod check_cmd;
mod commands;
mod convert_cmd;
mod cost_cmd;
mod deploy;
pub mod diff;
mod diff_cmd;
pub mod drift;
mod emulator_cmd;
pub mod graph;
mod graph_cmd;
mod orchestrate;
mod plugins;
pub mod rename_guard;
mod report;
pub mod review;
mod runtime;
mod saved_plan;
mod select;
mod state_bucket;
pub mod sts;
mod synth;
mod synth_cmd;
pub mod terraform;
mod whoami_cmd;
pub mod workflow;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub use app::{App, AppDef, StackDef};
pub use commands::Cli;
pub use synth::{synth_stacks, SynthOutcome, Timings};

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
