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
            other => match closest(other) {
                Some(known) => bail!(
                    "unknown option {other}: did you mean {known}? (see `oxiform-codegen --help`)"
                ),
                None => bail!("unknown option {other} (see `oxiform-codegen --help`)"),
            },
        }
    }
    Ok(o)
}

/// The options `provider` takes.
const OPTIONS: &[&str] = &[
    "--schema",
    "--source",
    "--version",
    "--name",
    "--config",
    "--package",
    "--core-path",
    "--plugin-dir",
    "--out",
    "--check",
];

/// The known option nearest to a mistyped one (at most two edits away).
fn closest(typed: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cost = usize::from(ca != *cb);
                let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
                prev = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    }
    OPTIONS
        .iter()
        .map(|o| (distance(typed, o), *o))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, o)| o)
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
    if o.check && !out.is_dir() {
        bail!(
            "{} does not exist: nothing to check. Run the same command without --check to write the crate",
            out.display()
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `run` answers to each mistake, as the command line prints it (`error: {e:#}`).
    #[test]
    fn mistakes_on_the_command_line_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let two = dir.path().join("two.json");
        std::fs::write(
            &two,
            r#"{"format_version":"1.0","provider_schemas":{"registry.terraform.io/a/x":{},"registry.terraform.io/b/y":{}}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let one = codegen_dir()
            .join("fixtures")
            .join("null")
            .join("schema.json");
        let out = dir.path().join("out");
        let (two, one, out) = (
            two.display().to_string(),
            one.display().to_string(),
            out.display().to_string(),
        );
        let cases: Vec<(&str, Vec<&str>)> = vec![
            ("no --out", vec!["--schema", &one]),
            ("no schema, no source", vec!["--out", &out]),
            ("no version", vec!["--schema", &one, "--out", &out]),
            (
                "an unknown option",
                vec!["--schema", &one, "--versoin", "1"],
            ),
            ("a flag without its value", vec!["--out"]),
            (
                "a schema of two providers",
                vec!["--schema", &two, "--version", "1", "--out", &out],
            ),
            (
                "a provider the schema does not hold",
                vec![
                    "--schema",
                    &one,
                    "--source",
                    "hashicorp/random",
                    "--version",
                    "1",
                    "--out",
                    &out,
                ],
            ),
            (
                "--check of a crate never written",
                vec!["--schema", &one, "--version", "1", "--out", &out, "--check"],
            ),
            (
                "writing the crate of version 2",
                vec!["--schema", &one, "--version", "2", "--out", &out],
            ),
            (
                "--check of that crate against version 1",
                vec!["--schema", &one, "--version", "1", "--out", &out, "--check"],
            ),
        ];
        let mut transcript = String::new();
        for (what, args) in cases {
            let answer = match run(&args) {
                Ok(()) => "ok".to_owned(),
                Err(e) => format!("error: {e:#}"),
            };
            let answer = answer.replace(&out, "OUT").replace(&two, "TWO");
            transcript.push_str(&format!("--- {what}\n{answer}\n"));
        }
        insta::assert_snapshot!("provider_command_mistakes", transcript);
    }
}

#[cfg(test)]
mod terraform_tests {
    use super::*;
    use oxiform_codegen::krate::schema_hash;
    use oxiform_codegen::load_inputs;

    /// The command run on a `required_providers` entry, installing from the provider mirror
    /// every machine of this project has: the crate it writes records the version and the
    /// hash of what terraform printed, which is the checked-in AWS schema's — the staleness
    /// check a generated crate makes possible.
    #[test]
    fn a_crate_from_terraform_records_what_terraform_printed() -> Result<()> {
        let plugins =
            std::env::var_os("OXIFORM_PLUGIN_DIR").unwrap_or_else(|| "/opt/tf-plugins".into());
        let plugins = PathBuf::from(plugins).display().to_string();
        let dir = tempfile::tempdir()?;
        let out = dir.path().join("aws");
        let out_arg = out.display().to_string();
        let mut args = vec![
            "--source",
            "hashicorp/aws",
            "--version",
            "5.100.0",
            "--plugin-dir",
            &plugins,
            "--out",
            &out_arg,
        ];
        run(&args)?;
        let lib = std::fs::read_to_string(out.join("src").join("lib.rs"))?;
        let aws = load_inputs(&codegen_dir())?;
        let hash = schema_hash(&aws.schema, &aws.pinned.provider)?;
        assert!(
            lib.contains(&format!("pub const SCHEMA_SHA256: &str = \"{hash}\";")),
            "{lib}"
        );
        assert!(lib.contains("pub const VERSION: &str = \"5.100.0\";"));
        assert!(lib.contains("stack.require_provider(\"aws\", \"hashicorp/aws\", \"= 5.100.0\");"));
        // Run again with --check: the crate is current.
        args.push("--check");
        run(&args)?;
        Ok(())
    }
}
