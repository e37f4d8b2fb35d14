//! `cost`: monthly list-price estimate of a stack or any Terraform JSON.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;

use crate::App;

/// Output format of `cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CostFormat {
    /// A table for people.
    Table,
    /// JSON for CI (`cost --schema` prints its JSON Schema).
    Json,
}

/// Arguments of `cost`.
#[derive(Debug, clap::Args)]
pub struct CostArgs {
    /// The stack to price (synthesised in memory, exactly as `synth` writes it).
    pub stack: Option<String>,
    /// Price this Terraform JSON file instead of a stack (e.g. one written by hand).
    #[arg(long, conflicts_with = "stack")]
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CostFormat,
    /// Traffic profile (JSON): requests per month, tokens, tier shares, cache hit rate.
    #[arg(long)]
    pub traffic: Option<PathBuf>,
    /// Price file that overrides or adds prices (same format as the built-in table).
    #[arg(long)]
    pub prices: Option<PathBuf>,
    /// Print the JSON Schema of `--format json` and exit.
    #[arg(long, exclusive = true)]
    pub schema: bool,
}

/// Runs `cost`.
pub(crate) fn run(_args: CostArgs, _app: &App, _stdout: &mut dyn Write) -> anyhow::Result<i32> {
    bail!("`cost` is not available yet\n  hint: see issue #6")
}
