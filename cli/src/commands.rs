//! The clap command tree and dispatch.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use oxiform::diagnostic::Diagnostic;

use crate::check_cmd::{self, CheckArgs};
use crate::convert_cmd::{self, ConvertArgs};
use crate::cost_cmd::{self, CostArgs};
use crate::deploy::{deploy, Action, Providers, RenameGuard, Selection};
use crate::diff_cmd::DiffArgs;
use crate::drift::DriftArgs;
use crate::emulator_cmd::{self, EmulatorArgs};
use crate::graph::GraphFormat;
use crate::saved_plan::PlanFiles;
use crate::workflow::WorkflowArgs;
use crate::{diff_cmd, drift, graph_cmd, synth_cmd, whoami_cmd, workflow, App};

/// Typed infrastructure as code: synthesise Terraform JSON from Rust stacks and run
/// terraform on it.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Exit codes: 0 success, 1 failure, 2 usage error (`plan`: 0 no changes, 2 changes; `diff`: 1 when different; `drift`: 2 when anything drifted)."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
///
/// Each subcommand's arguments are built only when it runs (`defer`): building all eleven
/// costs more than a whole `synth` of a small stack.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Print the name of every stack, one per line.
    List,
    /// Write <out>/<stack>/main.tf.json for the named stacks (all when none are named).
    ///
    /// Every stack is checked before anything is written; on any error nothing is written
    /// and the last good output stays in place.
    Synth {
        /// Stacks to synthesise; all when omitted.
        stacks: Vec<String>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Print how long each stack's build, synth, policy gate and write took.
        #[arg(long)]
        timings: bool,
    },
    /// Synth, then `terraform init` and `terraform plan` in <out>/<stack>.
    ///
    /// Runs `terraform plan -detailed-exitcode`. Exit code 0: no changes; 2: changes;
    /// 1: failure. Checks the AWS account with STS first when the stack names its accounts.
    /// Refuses (exit 1) a plan that destroys a stateful resource whose arguments reappear
    /// under another address: a rename without `stack.moved`. An app, `--all` or
    /// `--with-dependencies` plan many stacks, each after the stacks it reads; a stack that
    /// reads values not applied yet is not planned, and the summary says which it waits on.
    Plan {
        #[command(flatten)]
        selection: Selection,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        providers: Providers,
        #[command(flatten)]
        guard: RenameGuard,
        /// Keep the saved plan of the one stack named as FILE, for `apply STACK --plan-file
        /// FILE` later or elsewhere (a CI job after this one).
        #[arg(long, value_name = "FILE")]
        save_plan: Option<PathBuf>,
    },
    /// Synth, then `terraform init`, `terraform plan` and `terraform apply` of that plan in
    /// <out>/<stack>.
    ///
    /// Checks the AWS account with STS first when the stack names its accounts. Refuses a
    /// plan that destroys a stateful resource whose arguments reappear under another
    /// address (a rename without `stack.moved`) before anything is applied. Ctrl-C is
    /// forwarded to terraform so it stops safely and saves state. An app, `--all` or
    /// `--with-dependencies` apply many stacks, independent ones side by side; a failed stack
    /// stops only the stacks that read it.
    Apply {
        #[command(flatten)]
        selection: Selection,
        /// Apply without asking for confirmation.
        #[arg(long)]
        auto_approve: bool,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        providers: Providers,
        #[command(flatten)]
        guard: RenameGuard,
        /// Apply this plan of the one stack named (`plan STACK --save-plan FILE`) instead of
        /// planning again, after checking it: made from this code of the stack, no rename
        /// without `moved`, no value not applied yet; terraform refuses it when the state
        /// has changed since.
        #[arg(long, value_name = "FILE")]
        plan_file: Option<PathBuf>,
    },
    /// Synth, then `terraform init` and `terraform destroy` in <out>/<stack>.
    ///
    /// Checks the AWS account with STS first when the stack names its accounts. An app or
    /// `--all` destroy many stacks, each before the stacks it reads.
    Destroy {
        #[command(flatten)]
        selection: Selection,
        /// Destroy without asking for confirmation.
        #[arg(long)]
        auto_approve: bool,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        providers: Providers,
    },
    /// Print the dependency graph as dot or mermaid.
    ///
    /// Resources are nodes labelled by address; references are solid edges and
    /// `depends_on` dashed ones, from a resource to what it depends on. For an app: its
    /// stacks, with an edge from each to every stack whose exports it reads.
    Graph {
        /// The stack, or an app.
        stack: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
    },
    /// Compare a fresh synth with the last synthesised output: what a PR reviewer reads.
    ///
    /// Lists resources added, removed and replaced, and each changed attribute's old and
    /// new value (sensitive ones as "(sensitive)"); a rename with the `stack.moved` line that
    /// keeps it. `--format markdown` adds the monthly cost before and after and the new and
    /// resolved policy findings; of an app or `--all`, one review of every stack, the values
    /// that cross stacks and those unknown until their stack applies, and the cost of each
    /// stack and in total. Exit 0 when equal, 1 when different.
    Diff(DiffArgs),
    /// Report what changed outside terraform: each stack planned with `-refresh-only`.
    ///
    /// Synth, `terraform init`, then `terraform plan -refresh-only -detailed-exitcode` of
    /// each stack against its state, read back with `terraform show -json`: every resource
    /// changed or deleted outside terraform, each attribute's value in state and now
    /// (sensitive ones as "(sensitive)"). Changes nothing. Exit 0 no drift, 2 drift, 1
    /// failure.
    Drift(DriftArgs),
    /// Write a GitHub Actions workflow from the app graph: deploy, or a drift report.
    ///
    /// `--kind deploy` (the default): one plan and one apply job per stack, `needs:` from
    /// the stacks each reads. `--kind drift`: `drift` every day, reported in one issue. The
    /// deploy workflow plans every stack on pull requests and, on the main branch, plans
    /// and applies each after the stacks it reads, behind a GitHub environment per app, with
    /// credentials by OIDC role assumption and a concurrency group per stack and
    /// environment; each stack's saved plan goes from its plan job to its apply job as an
    /// artifact. Every step that touches infrastructure is a command of this binary.
    Workflow(WorkflowArgs),
    /// Print the AWS account, ARN and region of the current credentials.
    ///
    /// Calls STS GetCallerIdentity with the standard AWS configuration (environment,
    /// profiles, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS).
    Whoami,
    /// Print the JSON Schema of this binary's configuration files.
    Schema,
    /// Estimate the monthly cost (list prices) of a stack or any Terraform JSON.
    ///
    /// Prices every resource it knows for a month of 730 h, simulates scheduled scaling over
    /// a week, and says what it cannot price and why. `--traffic` adds per-request and
    /// per-token figures for model routing and caching.
    Cost(CostArgs),
    /// Serve the AWS API emulator on 127.0.0.1, for trying stacks locally.
    ///
    /// Installs it on first use (moto, pinned and patched, in a Python virtual environment
    /// under the target folder; about 30 s), prints its URL and the environment that points
    /// tools at it, logs each request, and stops on Ctrl-C.
    Emulator(EmulatorArgs),
    /// Check stacks (or any Terraform JSON) against the policy rules.
    ///
    /// Every finding has a rule id, a severity, the resource address and a fix. Exit 1 when
    /// any error is not waived (`Stack::waive`); `synth` refuses to write on such errors.
    Check(CheckArgs),
    /// Convert Terraform HCL into a Rust module of typed oxiform builders.
    ///
    /// Reads a `.tf` file, a directory of them, or `-` (standard input); writes one
    /// function `build(stack: &mut Stack)`, prints the cargo features it needs and a
    /// warning for each expression kept as raw HCL (`TODO(convert)` in the code).
    /// `--from-state STATE` adopts what a Terraform state holds: a typed builder and an
    /// import for each managed AWS resource.
    Convert(ConvertArgs),
}

/// Runs one parsed command, writing normal output to `stdout`.
pub fn run(cli: Cli, app: &App, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    // Each with the policy set its synth is gated with.
    // Built only by the commands that act on stacks, and only the apps of the names given
    // (none: every app).
    let stacks = |names: &[String]| app.stacks_for(names);
    let named =
        |selection: &Selection| -> Vec<String> { selection.stack.iter().cloned().collect() };
    match cli.command {
        Command::List => {
            for def in app.stacks_for(&[]) {
                writeln!(stdout, "{}", def.name)?;
            }
            Ok(0)
        }
        Command::Synth {
            stacks: names,
            out,
            timings,
        } => synth_cmd::run(stdout, &stacks(&names), &names, &out, timings),
        Command::Plan {
            selection,
            out,
            providers,
            guard,
            save_plan,
        } => {
            let files = PlanFiles {
                save: save_plan.map(std::path::absolute).transpose()?,
                apply: None,
            };
            let action = Action::Plan(guard);
            deploy(
                stdout,
                &stacks(&named(&selection)),
                &selection,
                &out,
                &providers,
                action,
                &files,
            )
        }
        // Only `plan` passes terraform's exit code on (2: changes); apply and destroy exit 0.
        Command::Apply {
            selection,
            auto_approve,
            out,
            providers,
            guard,
            plan_file,
        } => {
            let action = Action::Apply {
                auto_approve,
                guard,
            };
            let files = PlanFiles {
                save: None,
                apply: plan_file.map(std::path::absolute).transpose()?,
            };
            deploy(
                stdout,
                &stacks(&named(&selection)),
                &selection,
                &out,
                &providers,
                action,
                &files,
            )
            .map(|_| 0)
        }
        Command::Destroy {
            selection,
            auto_approve,
            out,
            providers,
        } => {
            let action = Action::Destroy { auto_approve };
            let files = PlanFiles::default();
            deploy(
                stdout,
                &stacks(&named(&selection)),
                &selection,
                &out,
                &providers,
                action,
                &files,
            )
            .map(|_| 0)
        }
        Command::Graph { stack, format } => graph_cmd::run(
            stdout,
            &stacks(std::slice::from_ref(&stack)),
            &stack,
            format,
        ),
        Command::Diff(args) => diff_cmd::run(args, app, stdout),
        Command::Drift(args) => drift::run(args, app, stdout),
        Command::Workflow(args) => workflow::run(&args, app, stdout),
        Command::Whoami => whoami_cmd::run(stdout),
        Command::Schema => match app.config_schema {
            Some(schema) => {
                write!(stdout, "{}", schema())?;
                Ok(0)
            }
            None => Err(Diagnostic::error("this binary has no configuration files")
                .hint("stacks that read configuration pass `config_schema` to `oxiform_cli::App`")
                .into()),
        },
        Command::Cost(args) => cost_cmd::run(args, app, stdout),
        Command::Check(args) => check_cmd::run(args, app, stdout),
        Command::Emulator(args) => emulator_cmd::run(&args, stdout),
        Command::Convert(args) => convert_cmd::run(&args, stdout),
    }
}
