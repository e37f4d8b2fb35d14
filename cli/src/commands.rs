//! The clap command tree and dispatch.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Parser, Subcommand};

use crate::synth::synth_stacks;
use crate::{App, StackDef};

/// Typed infrastructure as code: synthesise Terraform JSON from Rust stacks.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Exit codes: 0 success, 1 failure, 2 usage error."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the name of every stack, one per line.
    List,
    /// Write <out>/<stack>/main.tf.json for the named stacks (all when none are named).
    /// Every stack is checked before anything is written; on any error nothing is written.
    Synth {
        /// Stacks to synthesise; all when omitted.
        stacks: Vec<String>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Print the JSON Schema of this binary's configuration files.
    Schema,
}

/// Runs one parsed command, writing normal output to `stdout`.
pub fn run(cli: Cli, app: &App, stdout: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let stacks = &app.stacks;
    match cli.command {
        Command::List => {
            for def in stacks {
                writeln!(stdout, "{}", def.name)?;
            }
        }
        Command::Synth { stacks: names, out } => {
            let selected = select(stacks, &names)?;
            for outcome in synth_stacks(&selected, &out)? {
                writeln!(
                    stdout,
                    "wrote {} ({} resources)",
                    outcome.dir.join("main.tf.json").display(),
                    outcome.resources
                )?;
            }
        }
        Command::Schema => match app.config_schema {
            Some(schema) => write!(stdout, "{}", schema())?,
            None => bail!("this binary has no configuration files\n  hint: stacks that read configuration pass `config_schema` to `oxiform_cli::App`"),
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// The stacks named on the command line, or all of them; an unknown name is an error that
/// lists the known ones.
pub(crate) fn select(stacks: &[StackDef], names: &[String]) -> anyhow::Result<Vec<StackDef>> {
    if names.is_empty() {
        return Ok(stacks.to_vec());
    }
    let mut selected = Vec::new();
    for name in names {
        match stacks.iter().find(|d| d.name == name) {
            Some(def) => selected.push(*def),
            None => bail!(
                "unknown stack {name:?}\n  hint: known stacks are {}; `list` prints them",
                stacks
                    .iter()
                    .map(|d| d.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    Ok(selected)
}
