//! `check`: policy rules over stacks' or files' Terraform JSON.

use std::io::Write;
use std::path::PathBuf;

use oxiform_analysis::policy::{check_json, report_schema, CheckOutput, PolicySet, SCHEMA_VERSION};

use crate::report::{read_input, TF_JSON_HINT};
use crate::select::select;
use crate::synth::build_json;
use crate::App;

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One finding per paragraph, for people.
    Text,
    /// JSON for CI (`check --schema` prints its JSON Schema).
    Json,
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Stacks to check; all when none are named and no --file is given.
    pub stacks: Vec<String>,
    /// Check this Terraform JSON file (repeatable), e.g. one written by hand.
    #[arg(long)]
    pub file: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Tag every taggable resource must carry (repeatable); replaces the required tags of
    /// each stack's policy set and turns OXI-TAG-001 on.
    #[arg(long = "require-tag", value_name = "KEY")]
    pub require_tags: Vec<String>,
    /// Print the JSON Schema of `--format json` and exit.
    #[arg(long, exclusive = true)]
    pub schema: bool,
}

/// Runs `check`: exit 1 when any unwaived error is found.
pub(crate) fn run(args: CheckArgs, app: &App, stdout: &mut dyn Write) -> anyhow::Result<i32> {
    if args.schema {
        write!(stdout, "{}", report_schema())?;
        return Ok(0);
    }
    // The stack's policy set (or the binary's, for files), with `--require-tag` applied.
    let with_flags = |set: &PolicySet| {
        if args.require_tags.is_empty() {
            set.clone()
        } else {
            set.clone().require_tags(args.require_tags.iter().cloned())
        }
    };
    let mut reports = Vec::new();
    for path in &args.file {
        let name = path.display().to_string();
        let text = read_input(path, "--file", TF_JSON_HINT)?;
        reports.push(check_json(&text, &name, &with_flags(&app.policy), &[])?);
    }
    if !args.stacks.is_empty() || args.file.is_empty() {
        for def in select(&app.stacks_for(&args.stacks), &args.stacks)? {
            let (stack, json) = build_json(&def)?;
            let set = with_flags(app.policy_for(&def));
            reports.push(check_json(&json, def.name, &set, stack.waivers())?);
        }
    }
    let errors: usize = reports.iter().map(|r| r.errors).sum();
    match args.format {
        CheckFormat::Text => {
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    writeln!(stdout)?;
                }
                write!(stdout, "{}", r.to_text())?;
            }
            if reports.len() > 1 {
                let warnings: usize = reports.iter().map(|r| r.warnings).sum();
                let waived: usize = reports.iter().map(|r| r.waived).sum();
                writeln!(
                    stdout,
                    "\ntotal of {} checked: {errors} error(s), {warnings} warning(s), {waived} waived",
                    reports.len()
                )?;
            }
        }
        CheckFormat::Json => {
            let output = CheckOutput {
                schema_version: SCHEMA_VERSION,
                errors,
                reports,
            };
            writeln!(stdout, "{}", serde_json::to_string_pretty(&output)?)?;
        }
    }
    Ok(if errors > 0 { 1 } else { 0 })
}
