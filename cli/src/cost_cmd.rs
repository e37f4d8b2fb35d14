//! `cost`: monthly list-price estimate of a stack or any Terraform JSON.

use std::io::Write;
use std::path::PathBuf;

use oxiform::diagnostic::Diagnostic;
use oxiform_analysis::cost::prices::PriceTable;
use oxiform_analysis::cost::traffic::Traffic;
use oxiform_analysis::cost::usage::UsageFile;
use oxiform_analysis::cost::{estimate_json_with_usage, report_schema, CostReport, Range};

use crate::report::{read_input, usage_error, TF_JSON_HINT};
use crate::review::range;
use crate::select::select_stack_or_app;
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
    /// The stack to price (synthesised in memory, exactly as `synth` writes it), or an app:
    /// each of its stacks, then the app's total.
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
    /// Usage file (JSON): quantities a month of the resources billed by use, by address,
    /// e.g. `{"resources": {"aws_nat_gateway.a": {"data_gb": 300}}}`; analysis/PRICED.md
    /// lists each type's keys.
    #[arg(long)]
    pub usage: Option<PathBuf>,
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
    let usage = match &args.usage {
        Some(path) => {
            let name = path.display().to_string();
            let text = read_input(
                path,
                "--usage",
                "pass a usage file such as {\"resources\": {\"aws_nat_gateway.a\": {\"data_gb\": 300}}}",
            )?;
            Some(UsageFile::from_json(&text, &name)?)
        }
        None => None,
    };
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
        (None, Some(name)) => {
            let selected = select_stack_or_app(&app.stacks_for(std::slice::from_ref(name)), name)?;
            if selected.len() > 1 || selected[0].name != name {
                return price_app(&args, name, &selected, &prices, usage.as_ref(), stdout);
            }
            (build_json(&selected[0])?.1, name.clone())
        }
        (None, None) if traffic.is_some() => ("{}".to_owned(), "the traffic profile".to_owned()),
        (None, None) => {
            return Err(usage_error(
                Diagnostic::error(
                    "nothing to price: name a stack, or pass --file PATH or --traffic FILE",
                )
                .hint(format!(
                    "`list` prints the stacks, e.g. `cost {}`",
                    app.apps
                        .first()
                        .map(|a| a.name)
                        .or(app.stacks.first().map(|d| d.name))
                        .unwrap_or("STACK")
                )),
            ))
        }
    };
    let report = estimate_json_with_usage(
        &json,
        &source,
        &prices,
        traffic.as_ref().map(|(t, name)| (t, name.as_str())),
        usage.as_ref(),
    )?;
    match args.format {
        CostFormat::Table => write!(stdout, "{}", report.to_table())?,
        CostFormat::Json => writeln!(stdout, "{}", serde_json::to_string_pretty(&report)?)?,
    }
    fail_on_unpriced(&args, &report)?;
    Ok(0)
}

/// The estimates of an app's stacks, each as `cost STACK` prints it, then the app's total
/// per stack (`--format json`: `{"app", "stacks": [reports], "monthly", "complete"}`).
fn price_app(
    args: &CostArgs,
    app_name: &str,
    stacks: &[crate::StackDef],
    prices: &PriceTable,
    usage: Option<&UsageFile>,
    stdout: &mut dyn Write,
) -> anyhow::Result<i32> {
    let mut reports = Vec::new();
    for def in stacks {
        let json = build_json(def)?.1;
        reports.push(estimate_json_with_usage(
            &json, def.name, prices, None, usage,
        )?);
    }
    let floor: f64 = reports.iter().map(|r| r.monthly.floor).sum();
    let ceiling: f64 = reports.iter().map(|r| r.monthly.ceiling).sum();
    let complete = reports.iter().all(|r| r.complete);
    match args.format {
        CostFormat::Table => {
            for report in &reports {
                writeln!(stdout, "{}", report.to_table())?;
            }
            writeln!(stdout, "app `{app_name}`: {} stacks", reports.len())?;
            let width = reports
                .iter()
                .map(|r| r.source.len())
                .max()
                .unwrap_or(0)
                .max(5);
            for r in &reports {
                writeln!(
                    stdout,
                    "  {:<width$}  {}{}",
                    r.source,
                    money(r.monthly.floor, r.monthly.ceiling),
                    if r.complete { "" } else { " (partial)" }
                )?;
            }
            writeln!(
                stdout,
                "  {:<width$}  {}{}",
                "total",
                money(floor, ceiling),
                if complete {
                    ""
                } else {
                    " (partial: some items above cannot be priced)"
                }
            )?;
        }
        CostFormat::Json => {
            let output = serde_json::json!({
                "app": app_name,
                "stacks": reports,
                "monthly": { "floor": floor, "ceiling": ceiling },
                "complete": complete,
            });
            writeln!(stdout, "{}", serde_json::to_string_pretty(&output)?)?;
        }
    }
    for report in &reports {
        fail_on_unpriced(args, report)?;
    }
    Ok(0)
}

/// `$1,234.56/month`, or `$1,000.00 – $1,234.56/month` when the floor and ceiling differ.
fn money(floor: f64, ceiling: f64) -> String {
    format!("{}/month", range(Range::new(floor, ceiling)))
}

/// With `--fail-on-unpriced`, an error when `report` has items it cannot price.
fn fail_on_unpriced(args: &CostArgs, report: &CostReport) -> anyhow::Result<()> {
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
    Ok(())
}
