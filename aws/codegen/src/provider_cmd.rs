//! `oxiform-codegen provider …`: the command line of [`oxiform_codegen::krate`].

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use oxiform_codegen::config::Pinned;
use oxiform_codegen::krate::{check_crate, crate_files, relative_path, write_crate, CrateSpec};
use oxiform_codegen::schema::SchemaFile;
use oxiform_codegen::{codegen_dir, generate, provider_inputs, schema_via_terraform, Target};

/// The options, as given.
#[derive(Default)]
struct Options {
    schema: Option<PathBuf>,
    source: Option<String>,
    version: Option<String>,
    name: Option<String>,
    config: Option<PathBuf>,
    package: Option<String>,
    core_path: Option<PathBuf>,
    plugin_dir: Option<PathBuf>,
    out: Option<PathBuf>,
    check: bool,
}

fn parse(args: &[&str]) -> Result<Options> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(&flag) = it.next() {
        if flag == "--check" {
            o.check = true;
            continue;
        }
        let Some(&value) = it.next() else {
            bail!("{flag} needs a value (see `oxiform-codegen --help`)");
        };
        let v = value.to_owned();
        match flag {
            "--schema" => o.schema = Some(v.into()),
            "--source" => o.source = Some(v),
            "--version" => o.version = Some(v),
            "--name" => o.name = Some(v),
            "--config" => o.config = Some(v.into()),
            "--package" => o.package = Some(v),
            "--core-path" => o.core_path = Some(v.into()),
            "--plugin-dir" => o.plugin_dir = Some(v.into()),
            "--out" => o.out = Some(v.into()),
            other => bail!("unknown option {other} (see `oxiform-codegen --help`)"),
        }
    }
    Ok(o)
}

/// `registry.terraform.io/hashicorp/random` for `hashicorp/random` (what `required_providers`
/// takes), as the schema names providers.
fn full_address(source: &str) -> String {
    if source.matches('/').count() == 1 {
        format!("registry.terraform.io/{source}")
    } else {
        source.to_owned()
    }
}

/// Runs `oxiform-codegen provider ARGS`.
pub fn run(args: &[&str]) -> Result<()> {
    let o = parse(args)?;
    let Some(out) = o.out.clone() else {
        bail!("--out DIR is required: the folder of the crate to write");
    };
    let (schema, source, version): (SchemaFile, String, String) = match (&o.schema, &o.source) {
        (Some(path), source) => {
            let schema = oxiform_codegen::read_schema(path)?;
            let source = match source {
                Some(s) => full_address(s),
                None => match schema.provider_schemas.keys().collect::<Vec<_>>().as_slice() {
                    [one] => (*one).clone(),
                    many => bail!(
                        "{} holds the schemas of {} providers ({many:?}): pick one with --source",
                        path.display(),
                        many.len()
                    ),
                },
            };
            let Some(version) = o.version.clone() else {
                bail!(
                    "--version is required with --schema: the schema does not say which version printed it (give `unknown` if you cannot tell)"
                );
            };
            (schema, source, version)
        }
        (None, Some(source)) => {
            let name = o
                .name
                .clone()
                .unwrap_or_else(|| source.rsplit('/').next().unwrap_or(source).to_owned());
            let constraint = o.version.clone().unwrap_or_default();
            let json = schema_via_terraform(&name, source, &constraint, o.plugin_dir.as_deref())?;
            let schema: SchemaFile = serde_json::from_slice(&json)
                .context("cannot parse what `terraform providers schema -json` printed")?;
            let address = full_address(source);
            let version = installed_version(&constraint);
            (schema, address, version)
        }
        (None, None) => bail!(
            "give --schema FILE (a `terraform providers schema -json` output), or --source ADDR to run terraform"
        ),
    };
    let mut pinned = Pinned::new(&source, &version);
    pinned.name = o.name.clone();
    let inputs = provider_inputs(schema, pinned, o.config.as_deref(), Target::standalone())?;
    let generated = generate(&inputs)?;
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let core = match &o.core_path {
        Some(path) => path.clone(),
        None => relative_path(&out, &codegen_dir().join("..").join("..").join("core"))?,
    };
    let spec = CrateSpec {
        package: o
            .package
            .clone()
            .unwrap_or_else(|| format!("oxiform-{}", inputs.pinned.name())),
        core_dependency: format!("{{ path = \"{}\" }}", core.display()),
    };
    let files = crate_files(&inputs, &generated, &spec)?;
    if o.check {
        let stale = check_crate(&out, &files)?;
        if !stale.is_empty() {
            bail!(
                "{} is not what the generator writes: {} differ ({}). Run the same command without --check",
                out.display(),
                stale.len(),
                stale.join(", ")
            );
        }
        println!("{} is current", out.display());
        return Ok(());
    }
    write_crate(&out, &files)?;
    let [managed, data, ephemeral] = generated.kinds;
    println!(
        "wrote {} ({} files): {managed} resources, {data} data sources, {ephemeral} ephemeral resources in {} groups",
        out.display(),
        files.len(),
        generated.services.len()
    );
    Ok(())
}

/// The version terraform installed: the constraint when it is one exact version, else
/// `unknown` (terraform's schema output does not say).
fn installed_version(constraint: &str) -> String {
    let exact = constraint.trim().trim_start_matches('=').trim();
    if !exact.is_empty() && exact.chars().all(|c| c.is_ascii_digit() || c == '.') {
        exact.to_owned()
    } else {
        "unknown".to_owned()
    }
}
