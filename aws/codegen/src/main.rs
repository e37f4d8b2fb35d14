//! `oxiform-codegen` — regenerates `aws/src/generated/` (and the features of
//! `aws/Cargo.toml`) from the checked-in provider schema, or re-reads that schema from
//! terraform; generates a crate of typed bindings for any provider (`provider`); regenerates
//! Terraform's built-in provider in the core (`builtin`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use oxiform_codegen::parts::{aws_parts_dir, generate_aws, provider_features_toml, write_parts};
use oxiform_codegen::{
    builtin_dir, builtin_inputs, builtin_out_dir, codegen_dir, compress, default_out_dir,
    every_type_path, features_toml, generate, load_inputs, load_pinned, schema_from_terraform,
    schema_via_terraform, with_features, write_generated, BUILTIN_PROVIDER, FEATURES_MARKER,
};

mod provider_cmd;

const USAGE: &str = "\
usage: oxiform-codegen [generate [OUT_DIR]]
       oxiform-codegen schema [PLUGIN_DIR]
       oxiform-codegen provider (--schema FILE | --source ADDR [--plugin-dir DIR])
                                [--source ADDR] [--version V] [--name NAME] [--config DIR]
                                [--package NAME] [--core-path PATH] --out DIR [--check]
       oxiform-codegen builtin [schema]

generate  writes the generated AWS modules (default: aws/src/generated) and the
          features of aws/Cargo.toml from aws/codegen/schema/<provider>-<version>.json.gz,
          services.json and overrides.json
schema    runs `terraform providers schema -json` against the provider mirror
          (PLUGIN_DIR, default /opt/tf-plugins) and writes it, gzip-compressed, to
          aws/codegen/schema/<provider>-<version>.json.gz
provider  writes a crate of typed bindings for any provider to --out: from a schema file
          (`terraform providers schema -json` output; --source picks the provider when it
          holds several, --version records the version), or from terraform itself, run in a
          scratch folder on the required_providers entry --source/--version (a constraint),
          installing from the filesystem mirror --plugin-dir when given. --config DIR reads
          services.json and overrides.json there; --check writes nothing and fails when the
          crate in --out is not what would be written (see aws/codegen/README.md)
builtin   writes Terraform's built-in provider (terraform_data, terraform_remote_state) into
          core/src/builtin/generated from aws/codegen/builtin/schema.json; `builtin schema`
          re-reads that schema from terraform";

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
        [] | ["generate"] => run_generate(default_out_dir(), true),
        ["generate", out] => run_generate(PathBuf::from(out), false),
        ["schema"] => run_schema(PathBuf::from("/opt/tf-plugins")),
        ["schema", dir] => run_schema(PathBuf::from(dir)),
        ["provider", rest @ ..] => provider_cmd::run(rest),
        ["builtin"] => {
            let inputs = builtin_inputs()?;
            let generated = generate(&inputs)?;
            write_generated(&builtin_out_dir(), &generated.files)?;
            println!("wrote {}", builtin_out_dir().display());
            Ok(())
        }
        ["builtin", "schema"] => {
            let json = schema_via_terraform("terraform", BUILTIN_PROVIDER, "", None)?;
            let path = builtin_dir().join("schema.json");
            std::fs::write(&path, json)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {}", path.display());
            Ok(())
        }
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unexpected arguments {args:?}\n{USAGE}"),
    }
}

fn run_generate(out: PathBuf, features: bool) -> Result<()> {
    let inputs = load_inputs(&codegen_dir())?;
    // The checked-in layout (`features`): the services split over the parts, re-exported
    // from aws/src/generated. Elsewhere (`generate OUT`): one folder of every module.
    let (generated, parts) = if features {
        generate_aws(&inputs)?
    } else {
        (generate(&inputs)?, Vec::new())
    };
    write_generated(&out, &generated.files)?;
    write_parts(&aws_parts_dir(), &parts)?;
    let all_files = || {
        generated
            .files
            .values()
            .chain(parts.iter().flat_map(|p| p.files.values()))
    };
    let lines: usize = all_files().map(|f| f.lines().count()).sum();
    let bytes: usize = all_files().map(String::len).sum();
    let [managed, data, ephemeral] = generated.kinds;
    let n = &generated.numbers;
    println!(
        "wrote {} files ({lines} lines, {:.1} MB) to {} and {} parts\n\
         {managed} resources, {data} data sources, {ephemeral} ephemeral resources in {} services\n\
         number attributes: {} integer, {} float, {} either ({} decided by overrides.json)",
        all_files().count(),
        bytes as f64 / 1e6,
        out.display(),
        parts.len(),
        generated.services.len(),
        n.int,
        n.float,
        n.either,
        n.overridden
    );
    if features {
        let path = every_type_path();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(generated.every_type.as_str()) {
            std::fs::write(&path, &generated.every_type)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {}", path.display());
        }
        let root = codegen_dir().join("..").join("..");
        for (manifest, forward) in [
            (root.join("aws").join("Cargo.toml"), None),
            (root.join("sdk").join("Cargo.toml"), Some("oxiform-aws")),
        ] {
            let text = std::fs::read_to_string(&manifest)
                .with_context(|| format!("cannot read {}", manifest.display()))?;
            let tail = match forward {
                None => provider_features_toml(&parts, FEATURES_MARKER),
                Some(_) => features_toml(&generated.services, forward),
            };
            let updated = with_features(&text, &tail);
            if updated != text {
                std::fs::write(&manifest, updated)
                    .with_context(|| format!("cannot write {}", manifest.display()))?;
                println!("updated the features of {}", manifest.display());
            }
        }
    }
    Ok(())
}

fn run_schema(plugin_dir: PathBuf) -> Result<()> {
    let pinned = load_pinned(&codegen_dir())?;
    let json = schema_from_terraform(&pinned, &plugin_dir)?;
    let out = codegen_dir().join("schema").join(pinned.schema_file_name());
    std::fs::write(&out, compress(&json)?)
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "wrote {} ({} bytes uncompressed)",
        out.display(),
        json.len()
    );
    Ok(())
}
