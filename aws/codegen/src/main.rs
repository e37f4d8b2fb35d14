//! `oxiform-codegen` — regenerates `aws/src/generated/` from the trimmed provider schema,
//! or rewrites the trimmed schema from a full `terraform providers schema -json`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use oxiform_codegen::{
    codegen_dir, default_out_dir, generate, load_curated, load_inputs, schema_to_string, trim,
    write_generated,
};

const USAGE: &str = "\
usage: oxiform-codegen [generate [OUT_DIR]]
       oxiform-codegen trim FULL_SCHEMA.json [OUT_FILE]

generate  writes the generated AWS modules (default: aws/src/generated) from
          aws/codegen/schema/<provider>-<version>.json, curated.json and overrides.json
trim      keeps the curated types of a full `terraform providers schema -json` and writes
          them to aws/codegen/schema/<provider>-<version>.json (or OUT_FILE)";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["generate"] => run_generate(default_out_dir()),
        ["generate", out] => run_generate(PathBuf::from(out)),
        ["trim", full] => run_trim(PathBuf::from(full), None),
        ["trim", full, out] => run_trim(PathBuf::from(full), Some(PathBuf::from(out))),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unexpected arguments {args:?}\n{USAGE}"),
    }
}

fn run_generate(out: PathBuf) -> Result<()> {
    let inputs = load_inputs(&codegen_dir())?;
    let files = generate(&inputs)?;
    write_generated(&out, &files)?;
    let lines: usize = files.values().map(|f| f.lines().count()).sum();
    println!(
        "wrote {} files ({lines} lines) to {}",
        files.len(),
        out.display()
    );
    Ok(())
}

fn run_trim(full: PathBuf, out: Option<PathBuf>) -> Result<()> {
    let curated = load_curated(&codegen_dir())?;
    let text = std::fs::read_to_string(&full)
        .with_context(|| format!("cannot read {}", full.display()))?;
    let schema = serde_json::from_str(&text).with_context(|| {
        format!(
            "cannot parse {} as `terraform providers schema -json` output",
            full.display()
        )
    })?;
    let trimmed = trim(&schema, &curated)?;
    let out = out.unwrap_or_else(|| {
        codegen_dir()
            .join("schema")
            .join(curated.schema_file_name())
    });
    std::fs::write(&out, schema_to_string(&trimmed)?)
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} resource and {} data source schemas to {}",
        curated.resources.len(),
        curated.data_sources.len(),
        out.display()
    );
    Ok(())
}
