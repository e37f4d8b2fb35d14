//! `cost`: monthly list-price estimate of a stack or any Terraform JSON.

use std::io::Write;
use std::path::PathBuf;

use oxiform::diagnostic::Diagnostic;
use oxiform_analysis::cost::prices::PriceTable;
use oxiform_analysis::cost::traffic::Traffic;
use oxiform_analysis::cost::{estimate_json, report_schema};

use crate::report::{read_input, usage_error, TF_JSON_HINT};
use crate::select::select_one;
use crate::synth::build_json;
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
    /// Exit 1 when anything cannot be priced (the total is partial), after printing the
    /// report: for CI.
    #[arg(long)]
    pub fail_on_unpriced: bool,
    /// Print the JSON Schema of `--format json` and exit.
    #[arg(long, exclusive = true)]
    pub schema: bool,
}

/// Runs `cost`.
pub(crate) fn run(args: CostArgs, app: &App, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    if args.schema {
        write!(stdout, "{}", report_schema())?;
        return Ok(0);
    }
    let mut prices = PriceTable::builtin()?;
    if let Some(path) = &args.prices {
        let name = path.display().to_string();
        let text = read_input(
            path,
            "--prices",
            "pass a price file in the format of analysis/data/prices.json",
        )?;
        prices.merge(PriceTable::from_json(&text, &name)?, &name);
    }
    let traffic = match &args.traffic {
        Some(path) => {
            let name = path.display().to_string();
            let text = read_input(
                path,
                "--traffic",
                "pass a traffic profile such as analysis/data/article-traffic.json",
            )?;
            Some((Traffic::from_json(&text, &name)?, name))
        }
        None => None,
    };
    let (json, source) = match (&args.file, &args.stack) {
        (Some(file), _) => (
            read_input(file, "--file", TF_JSON_HINT)?,
            file.display().to_string(),
        ),
        (None, Some(stack)) => (
            build_json(&select_one(&app.stacks, stack)?)?.1,
            stack.clone(),
        ),
        (None, None) if traffic.is_some() => ("{}".to_owned(), "the traffic profile".to_owned()),
        (None, None) => {
            return Err(usage_error(
                Diagnostic::error(
                    "nothing to price: name a stack, or pass --file PATH or --traffic FILE",
                )
                .hint(format!(
                    "`list` prints the stacks, e.g. `cost {}`",
                    app.stacks.first().map(|d| d.name).unwrap_or("STACK")
                )),
            ))
        }
    };
    let report = estimate_json(
        &json,
        &source,
        &prices,
        traffic.as_ref().map(|(t, name)| (t, name.as_str())),
    )?;
    match args.format {
        CostFormat::Table => write!(stdout, "{}", report.to_table())?,
        CostFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&report)?)?,
    }
    if args.fail_on_unpriced && !report.complete {
        let first = &report.unpriced[0];
        return Err(Diagnostic::error(format!(
            "{} item{} of {} cannot be priced, so the total is partial; the first: {}: {}",
            report.unpriced.len(),
            if report.unpriced.len() == 1 { "" } else { "s" },
            report.source,
            first.address,
            first.reason
        ))
        .hint("add the missing prices with --prices FILE, or run without --fail-on-unpriced to accept a partial total")
        .into());
    }
    Ok(0)
}
