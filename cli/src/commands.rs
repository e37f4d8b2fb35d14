//! The clap command tree and dispatch.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use crate::graph::GraphFormat;
use crate::synth::{build_json, build_stack, synth_stacks, SynthOutcome};
use crate::terraform::{run_step, Step};
use crate::{diff, graph, sts, App, StackDef};

/// Typed infrastructure as code: synthesise Terraform JSON from Rust stacks and run
/// terraform on it.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Exit codes: 0 success, 1 failure, 2 usage error (`plan`: 0 no changes, 2 changes; `diff`: 1 when different)."
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
    Plan {
        /// The stack.
        stack: String,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        providers: Providers,
    },
    /// Synth, then `terraform init` and `terraform apply` in <out>/<stack>.
    ///
    /// Checks the AWS account with STS first when the stack names its accounts. Ctrl-C is
    /// forwarded to terraform so it stops safely and saves state.
    Apply {
        /// The stack.
        stack: String,
        /// Apply without asking for confirmation.
        #[arg(long)]
        auto_approve: bool,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        providers: Providers,
    },
    /// Synth, then `terraform init` and `terraform destroy` in <out>/<stack>.
    ///
    /// Checks the AWS account with STS first when the stack names its accounts.
    Destroy {
        /// The stack.
        stack: String,
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
    /// `depends_on` dashed ones, from a resource to what it depends on.
    Graph {
        /// The stack.
        stack: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
    },
    /// Compare a fresh synth with the last synthesised output: what a PR reviewer reads.
    ///
    /// Lists resources added, removed and replaced, and each changed attribute's old and
    /// new value. Exit 0 when equal, 1 when different.
    Diff {
        /// The stack.
        stack: String,
        /// Folder holding the old main.tf.json (or <DIR>/<stack>/main.tf.json); default:
        /// the last synth in <out>/<stack>.
        #[arg(long)]
        against: Option<PathBuf>,
        /// Output folder of the last synth.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
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
    Cost(crate::cost_cmd::CostArgs),
    /// Serve the AWS API emulator on 127.0.0.1, for trying stacks locally.
    ///
    /// Installs it on first use (moto, pinned and patched, in a Python virtual environment
    /// under the target folder; about 30 s), prints its URL and the environment that points
    /// tools at it, logs each request, and stops on Ctrl-C.
    Emulator(crate::emulator_cmd::EmulatorArgs),
    /// Check stacks (or any Terraform JSON) against the policy rules.
    ///
    /// Every finding has a rule id, a severity, the resource address and a fix. Exit 1 when
    /// any error is not waived (`Stack::waive`); `synth` refuses to write on such errors.
    Check(crate::check_cmd::CheckArgs),
}

// Where `terraform init` installs providers from. A plain comment on purpose: clap would
// take a doc comment as the help text of every command that flattens this.
#[allow(missing_docs)]
#[derive(Debug, Clone, clap::Args)]
pub struct Providers {
    /// Install providers only from this local mirror (terraform's filesystem-mirror layout),
    /// never from the registry. A stack whose AWS provider talks only to an emulator on
    /// 127.0.0.1 uses /opt/tf-plugins by default when it exists.
    #[arg(long, env = "OXIFORM_PLUGIN_DIR", value_name = "DIR")]
    pub plugin_dir: Option<PathBuf>,
}

/// Runs one parsed command, writing normal output to `stdout`.
pub fn run(cli: Cli, app: &App, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    // Each with the policy set its synth is gated with.
    let stacks = &app.resolved_stacks();
    match cli.command {
        Command::List => {
            for def in stacks {
                writeln!(stdout, "{}", def.name)?;
            }
        }
        Command::Synth {
            stacks: names,
            out,
            timings,
        } => {
            let selected = select(stacks, &names)?;
            for outcome in synth_stacks(&selected, &out)? {
                report_synth(stdout, &outcome)?;
                if timings {
                    writeln!(stdout, "  timings: {}", outcome.timings)?;
                }
            }
        }
        Command::Plan {
            stack,
            out,
            providers,
        } => {
            return deploy(stdout, stacks, &stack, &out, &providers, Step::plan());
        }
        Command::Apply {
            stack,
            auto_approve,
            out,
            providers,
        } => {
            let step = Step::apply(auto_approve);
            deploy(stdout, stacks, &stack, &out, &providers, step)?;
        }
        Command::Destroy {
            stack,
            auto_approve,
            out,
            providers,
        } => {
            let step = Step::destroy(auto_approve);
            deploy(stdout, stacks, &stack, &out, &providers, step)?;
        }
        Command::Graph { stack, format } => {
            let def = select_one(stacks, &stack)?;
            // The graph checks, without serialising a document nobody reads.
            let stack = build_stack(&def)?;
            stack
                .check()
                .map_err(|errors| anyhow::anyhow!("stack `{}`: {errors}", def.name))?;
            write!(stdout, "{}", graph::render(&stack.graph(), format))?;
        }
        Command::Diff {
            stack,
            against,
            out,
        } => {
            let (_, fresh) = build_json(&select_one(stacks, &stack)?)?;
            let old_path = old_document(against.as_deref(), &out, &stack)?;
            let old_text = std::fs::read_to_string(&old_path)
                .with_context(|| format!("reading {}", old_path.display()))?;
            let old: serde_json::Value = serde_json::from_str(&old_text)
                .with_context(|| format!("{} is not valid JSON", old_path.display()))?;
            let new: serde_json::Value = serde_json::from_str(&fresh)?;
            let changes = diff::diff(&old, &new);
            write!(stdout, "{}", diff::render(&changes))?;
            return Ok(if changes.is_empty() { 0 } else { 1 });
        }
        Command::Whoami => {
            let me = runtime()?.block_on(sts::caller_identity())?;
            writeln!(stdout, "account: {}", me.account)?;
            writeln!(stdout, "arn:     {}", me.arn)?;
            writeln!(stdout, "region:  {}", me.region)?;
        }
        Command::Schema => match app.config_schema {
            Some(schema) => write!(stdout, "{}", schema())?,
            None => bail!("this binary has no configuration files\n  hint: stacks that read configuration pass `config_schema` to `oxiform_cli::App`"),
        },
        Command::Cost(args) => return crate::cost_cmd::run(args, app, stdout),
        Command::Check(args) => return crate::check_cmd::run(args, app, stdout),
        Command::Emulator(args) => return crate::emulator_cmd::run(&args, stdout),
    }
    Ok(0)
}

fn report_synth(stdout: &mut dyn Write, outcome: &SynthOutcome) -> anyhow::Result<()> {
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

/// Synth one stack, check the account, then run `terraform init` and `step`.
fn deploy(
    stdout: &mut dyn Write,
    stacks: &[StackDef],
    name: &str,
    out: &Path,
    providers: &Providers,
    step: Step,
) -> anyhow::Result<i32> {
    let def = select_one(stacks, name)?;
    let outcome = synth_stacks(&[def], out)?
        .pop()
        .context("synth produced no stack")?;
    report_synth(stdout, &outcome)?;
    let init = match crate::plugins::plugin_dir(providers.plugin_dir.as_deref(), &outcome.dir)? {
        Some(choice) => {
            if let Some(note) = &choice.note {
                writeln!(stdout, "{note}")?;
            }
            Step::init_from(&choice.dir)
        }
        None => Step::init(),
    };
    stdout.flush()?;
    runtime()?.block_on(async {
        sts::guard_account(&outcome.stack, &outcome.account_ids).await?;
        run_step(&outcome.dir, &init).await?;
        run_step(&outcome.dir, &step).await
    })
}

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
        .with_context(|| {
            format!(
                "no earlier output to compare with: {} does not exist\n  hint: run `synth {stack}` first, or pass --against DIR",
                candidates[0].display()
            )
        })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// The stacks named on the command line, or all of them; an unknown name is an error that
/// lists the known ones.
pub(crate) fn select(stacks: &[StackDef], names: &[String]) -> anyhow::Result<Vec<StackDef>> {
    if names.is_empty() {
        return Ok(stacks.to_vec());
    }
    let mut selected: Vec<StackDef> = Vec::new();
    for name in names {
        let def = select_one(stacks, name)?;
        // Named twice: built and written once.
        if !selected.iter().any(|s| s.name == def.name) {
            selected.push(def);
        }
    }
    Ok(selected)
}

/// The stack called `name`; an unknown name is an error that lists the known ones, and
/// suggests the closest when it looks like a typo.
pub(crate) fn select_one(stacks: &[StackDef], name: &str) -> anyhow::Result<StackDef> {
    match stacks.iter().find(|d| d.name == name) {
        Some(def) => Ok(def.clone()),
        None => {
            let suggestion = closest(name, stacks.iter().map(|d| d.name))
                .map(|s| format!("did you mean {s:?}? "))
                .unwrap_or_default();
            Err(crate::report::usage_error(format!(
                "unknown stack {name:?}\n  hint: {suggestion}known stacks are {}; `list` prints them",
                stacks.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
            )))
        }
    }
}

/// The known name nearest `name` when it is near enough to be a typo: at most two edits,
/// and fewer than a third of its length.
fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::levenshtein(name, k), k))
        .filter(|(edits, k)| *edits <= 2 && *edits * 3 < k.len())
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, k)| k)
}
