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
//! ([`oxiform::policy::PolicySet`]): the stack's own ([`StackDef::policy`]) or else the
//! binary's ([`App::policy`], [`PolicySet::default`](oxiform::policy::PolicySet::default)
//! unless set). `check --file` uses the binary's.
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
use oxiform::policy::PolicySet;

pub use commands::Cli;
pub use synth::{synth_stacks, SynthOutcome, Timings};

/// One stack a binary offers: its name, the function that builds it, and the policy set it
/// is checked with when not the binary's.
#[derive(Clone)]
pub struct StackDef {
    /// The stack's name, also its folder under the output directory.
    pub name: &'static str,
    /// Builds the stack (reading configuration as needed).
    pub build: fn() -> anyhow::Result<oxiform::Stack>,
    /// The policy set `synth` gates this stack with and `check` checks it with; `None`: the
    /// [`App`]'s. [`synth_stacks`], which has no `App`, uses
    /// [`PolicySet::default`](oxiform::policy::PolicySet::default) for `None`.
    pub policy: Option<PolicySet>,
}

impl StackDef {
    /// The stack `name`, built by `build`, checked with the [`App`]'s policy set.
    pub fn new(name: &'static str, build: fn() -> anyhow::Result<oxiform::Stack>) -> Self {
        StackDef {
            name,
            build,
            policy: None,
        }
    }

    /// Checks this stack with `set` instead of the [`App`]'s policy set.
    #[must_use]
    pub fn policy(mut self, set: PolicySet) -> Self {
        self.policy = Some(set);
        self
    }
}

/// What a stacks binary offers the command line.
pub struct App {
    /// Every stack, in the order `list` prints them.
    pub stacks: Vec<StackDef>,
    /// The JSON Schema of the binary's configuration files, printed by `schema`.
    pub config_schema: Option<fn() -> String>,
    /// The policy set of every stack without its own, and of `check --file`.
    pub policy: PolicySet,
}

impl App {
    /// A binary offering `stacks`, with no configuration files and the default policy set.
    pub fn new(stacks: Vec<StackDef>) -> Self {
        App {
            stacks,
            config_schema: None,
            policy: PolicySet::default(),
        }
    }

    /// Prints `schema` as the JSON Schema of the binary's configuration files.
    #[must_use]
    pub fn config_schema(mut self, schema: fn() -> String) -> Self {
        self.config_schema = Some(schema);
        self
    }

    /// Checks every stack without its own policy set, and `check --file`, with `set`.
    #[must_use]
    pub fn policy(mut self, set: PolicySet) -> Self {
        self.policy = set;
        self
    }

    /// The policy set `def` is checked with: its own, or else this binary's.
    pub fn policy_for<'a>(&'a self, def: &'a StackDef) -> &'a PolicySet {
        def.policy.as_ref().unwrap_or(&self.policy)
    }

    /// Every stack, each with the policy set it is checked with.
    pub(crate) fn resolved_stacks(&self) -> Vec<StackDef> {
        self.stacks
            .iter()
            .map(|def| StackDef {
                name: def.name,
                build: def.build,
                policy: Some(self.policy_for(def).clone()),
            })
            .collect()
    }
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
