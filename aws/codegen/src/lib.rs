//! # oxiform-codegen
//!
//! Typed bindings for any Terraform provider, from the schema `terraform providers schema
//! -json` prints, by one set of rules (see `README.md` next to `Cargo.toml`). Three outputs:
//! oxiform's typed AWS provider (`aws/src/generated/` and its parts, one module and cargo
//! feature per service, from the whole schema checked in compressed, the service table
//! `services.json` and an overrides file for what the schema does not say); a crate of its
//! own for any other provider ([`krate`], `providers/`); Terraform's built-in provider,
//! inside the core (`core/src/builtin/generated/`).
//!
//! ```text
//! cargo run -p oxiform-codegen                          # regenerate aws/src/generated
//! cargo run -p oxiform-codegen -- generate OUT_DIR      # … somewhere else
//! cargo run -p oxiform-codegen -- schema                # re-read the schema from terraform
//! cargo run -p oxiform-codegen -- provider --schema FILE --version V --out DIR
//! cargo run -p oxiform-codegen -- builtin               # regenerate the core's built-in provider
//! ```

pub mod config;
pub mod emit;
pub mod facts;
pub mod functions;
pub mod krate;
pub mod model;
pub mod names;
pub mod numbers;
pub mod oracle;
pub mod parts;
pub mod schema;
pub mod services;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

pub use crate::config::{Overrides, Pinned};
use crate::model::{Kind, NumberCounts};
use crate::schema::SchemaFile;
use crate::services::Services;

/// The directory of this crate (`aws/codegen`), where the inputs live.
pub fn codegen_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the generated modules are checked in: `aws/src/generated` (the crate
/// `oxiform-aws`, whose tool this is).
pub fn default_out_dir() -> PathBuf {
    let dir = codegen_dir();
    dir.parent().unwrap_or(&dir).join("src").join("generated")
}

/// Everything generation reads.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The provider schema.
    pub schema: SchemaFile,
    /// `codegen.json`.
    pub pinned: Pinned,
    /// `services.json`.
    pub services: Services,
    /// `overrides.json`.
    pub overrides: Overrides,
    /// Where the generated code goes, and what it may lean on there.
    pub target: Target,
}

/// Where generated code goes: what the same models become in the AWS crate, in a crate of
/// its own, or in the core (Terraform's built-in provider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The path generated code names the core by: `oxiform_core`, or `crate` inside it.
    pub core: String,
    /// One cargo feature per module (`#[cfg(feature = "…")]`); the core has none.
    pub features: bool,
    /// Whether the provider configuration type is generated at all (the built-in provider
    /// takes no configuration).
    pub provider_type: bool,
    /// Whether it gets a generated constructor, `alias` and `From` for the core's
    /// `ProviderConfig` (the AWS crate writes its own, `aws/src/provider.rs`).
    pub provider_conveniences: bool,
}

impl Target {
    /// `aws/src/generated`: features, the provider's conveniences hand-written.
    pub fn aws() -> Target {
        Target {
            core: "oxiform_core".to_owned(),
            features: true,
            provider_type: true,
            provider_conveniences: false,
        }
    }

    /// A crate of its own (`oxiform-codegen provider`): features, everything generated.
    pub fn standalone() -> Target {
        Target {
            provider_conveniences: true,
            ..Target::aws()
        }
    }

    /// Inside the core: no features, no provider configuration.
    pub fn core() -> Target {
        Target {
            core: "crate".to_owned(),
            features: false,
            provider_type: false,
            provider_conveniences: false,
        }
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("cannot parse {}", path.display()))
}

/// Reads `codegen.json`.
pub fn load_pinned(dir: &Path) -> Result<Pinned> {
    read_json(&dir.join("codegen.json"))
}

/// Reads a gzip-compressed `terraform providers schema -json` document.
pub fn read_schema_gz(path: &Path) -> Result<SchemaFile> {
    let file = fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    serde_json::from_reader(reader).with_context(|| format!("cannot parse {}", path.display()))
}

/// The inputs checked in next to this crate, compiled into it: what a binary that converts
/// or checks against the model (e.g. `convert`) reads, so that it works away from the source
/// tree. [`load_inputs`] reads the same files from disk (the generator, which may be pointed
/// at another directory).
pub fn embedded_inputs() -> Result<Inputs> {
    /// The schema named by `codegen.json` (`embedded_schema_is_the_pinned_one` checks that
    /// this path follows a new pin).
    const SCHEMA_GZ: &[u8] = include_bytes!("../schema/aws-5.100.0.json.gz");
    fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T> {
        serde_json::from_str(text).with_context(|| format!("cannot parse the embedded {name}"))
    }
    let pinned: Pinned = parse("codegen.json", include_str!("../codegen.json"))?;
    let services = parse("services.json", include_str!("../services.json"))?;
    let overrides = parse("overrides.json", include_str!("../overrides.json"))?;
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(SCHEMA_GZ));
    let schema = serde_json::from_reader(reader)
        .with_context(|| format!("cannot parse the embedded {}", pinned.schema_file_name()))?;
    Ok(Inputs {
        schema,
        pinned,
        services,
        overrides,
        target: Target::aws(),
    })
}

/// Reads the inputs from `dir` (`aws/codegen`).
pub fn load_inputs(dir: &Path) -> Result<Inputs> {
    let pinned = load_pinned(dir)?;
    let services = read_json(&dir.join("services.json"))?;
    let overrides = read_json(&dir.join("overrides.json"))?;
    let schema = read_schema_gz(&dir.join("schema").join(pinned.schema_file_name()))?;
    Ok(Inputs {
        schema,
        pinned,
        services,
        overrides,
        target: Target::aws(),
    })
}

/// The first line of every generated file.
pub fn header(pinned: &Pinned) -> String {
    format!(
        "// @generated by oxiform-codegen from the {} provider {} schema. Do not edit.\n",
        pinned.title(),
        pinned.version
    )
}

/// What [`generate`] produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// File name (`mod.rs`, `dynamodb.rs`, …) → contents.
    pub files: BTreeMap<String, String>,
    /// Service module → its types (for the features and the report).
    pub services: BTreeMap<String, Vec<String>>,
    /// How `number` attributes were typed.
    pub numbers: NumberCounts,
    /// Types generated per kind: managed, data, ephemeral.
    pub kinds: [usize; 3],
    /// `tests/src/every_type.rs`: one instance of every type, for the validate oracle.
    pub every_type: String,
}

/// Where the every-type oracle's source is checked in.
pub fn every_type_path() -> PathBuf {
    codegen_dir()
        .join("..")
        .join("..")
        .join("tests")
        .join("src")
        .join("every_type.rs")
}

/// Generates every file.
pub fn generate(inputs: &Inputs) -> Result<Generated> {
    let (models, numbers) = model::build(
        &inputs.schema,
        &inputs.pinned,
        &inputs.services,
        &inputs.overrides,
    )?;
    let mut by_service: BTreeMap<&str, Vec<&model::TypeModel>> = BTreeMap::new();
    for m in &models {
        by_service.entry(m.service.as_str()).or_default().push(m);
    }
    let target = &inputs.target;
    let cx = emit::Ctx {
        pinned: &inputs.pinned,
        overrides: &inputs.overrides,
        core: &target.core,
        provider_conveniences: target.provider_conveniences,
    };
    // A provider with a service table (AWS) has services; one without has groups of the
    // types that share their first word.
    let noun = if inputs.services.services.is_empty() {
        "group"
    } else {
        "service"
    };
    let title = inputs.pinned.title();
    let header = header(&inputs.pinned);
    let mut files = BTreeMap::new();
    let mut services = BTreeMap::new();
    let mut module_list = String::new();
    for (service, types) in &mut by_service {
        types.sort_by_key(|t| (t.kind, t.tf_type.clone()));
        let description = match inputs.services.services.get(*service) {
            Some(description) => description.clone(),
            None if noun == "group" => format!("The {title} `{service}` types"),
            None => service.to_string(),
        };
        let text = emit::service_module(&description, types, &cx)?;
        let module = model::module_ident(service);
        files.insert(format!("{module}.rs"), format!("{header}{text}"));
        if target.features {
            module_list.push_str(&format!("#[cfg(feature = \"{service}\")]\n"));
        }
        module_list.push_str(&format!("#[rustfmt::skip]\npub mod {module};\n"));
        services.insert(
            service.to_string(),
            types.iter().map(|t| t.tf_type.clone()).collect(),
        );
    }
    // Not behind features: every stack configures the provider, and the policy reads the
    // facts (sensitive arguments, taggable types) whichever services a stack uses.
    let provider = model::build_provider(&inputs.schema, &inputs.pinned, &inputs.overrides)?;
    let mut fixed =
        String::from("#[rustfmt::skip]\npub mod facts;\n#[rustfmt::skip]\npub mod functions;\n");
    if target.provider_type {
        files.insert(
            "provider.rs".to_owned(),
            format!("{header}{}", emit::provider_module(&provider, &cx)?),
        );
        fixed.push_str("#[rustfmt::skip]\npub mod provider;\n");
    }
    let functions = inputs
        .schema
        .provider_schemas
        .get(&inputs.pinned.provider)
        .map(|p| p.functions.clone())
        .unwrap_or_default();
    files.insert(
        "functions.rs".to_owned(),
        format!(
            "{header}{}",
            functions::functions_module(
                &provider.tf_type,
                &functions,
                inputs.pinned.registry_docs().as_deref(),
                &target.core
            )?
        ),
    );
    let all: Vec<&model::TypeModel> = models.iter().collect();
    files.insert(
        "facts.rs".to_owned(),
        format!("{header}{}", facts::facts_module(&all)?),
    );
    let configuration = if target.provider_type {
        "the provider configuration, its functions"
    } else {
        "the provider's functions"
    };
    let features = if target.features {
        ", each behind the cargo feature of the same name (`full` turns on all)".to_owned()
    } else {
        String::new()
    };
    let mod_rs = format!(
        "{header}//! The generated {title} types, one module per {noun}{features}; \
         {configuration} and the facts analysis reads (sensitive arguments, taggable types), \
         always.\n\n{fixed}{module_list}"
    );
    files.insert("mod.rs".to_owned(), mod_rs);
    let count = |k: Kind| models.iter().filter(|m| m.kind == k).count();
    let mut ordered: Vec<&model::TypeModel> = by_service.values().flatten().copied().collect();
    ordered.sort_by_key(|t| (t.service.clone(), t.kind, t.tf_type.clone()));
    let every_type = oracle::every_type(&header, &ordered);
    Ok(Generated {
        every_type,
        files,
        services,
        numbers,
        kinds: [
            count(Kind::Managed),
            count(Kind::Data),
            count(Kind::Ephemeral),
        ],
    })
}

/// The generated features: one per service and `full`. For `aws/Cargo.toml` (`forward` is
/// `None`) each is empty; for the facade (`Some("oxiform-aws")`) each turns on the same
/// feature of that crate.
pub fn features_toml(services: &BTreeMap<String, Vec<String>>, forward: Option<&str>) -> String {
    let mut out = String::from(FEATURES_MARKER);
    out.push('\n');
    let target = |name: &str| match forward {
        Some(krate) => format!("[\"{krate}/{name}\"]"),
        None => "[]".to_owned(),
    };
    match forward {
        Some(krate) => out.push_str(&format!("full = [\"{krate}/full\"]\n")),
        None => {
            let names: Vec<String> = services.keys().map(|n| format!("\"{n}\"")).collect();
            out.push_str(&format!("full = [{}]\n", names.join(", ")));
        }
    }
    for (name, types) in services {
        out.push_str(&format!(
            "# {} types\n{name} = {}\n",
            types.len(),
            target(name)
        ));
    }
    out
}

/// The line of `aws/Cargo.toml` after which the generated `[features]` table starts.
pub const FEATURES_MARKER: &str =
    "# @generated by oxiform-codegen: one feature per service. Do not edit below this line.";

/// `aws/Cargo.toml` with its generated `[features]` table replaced by `features`.
pub fn with_features(cargo_toml: &str, features: &str) -> String {
    let head = match cargo_toml.find(FEATURES_MARKER) {
        Some(i) => &cargo_toml[..i],
        None => cargo_toml,
    };
    format!("{}\n{features}", head.trim_end())
}

/// Writes the generated files into `out_dir`; files whose contents are unchanged are not
/// touched, and generated files no longer produced are removed.
pub fn write_generated(out_dir: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    fs::create_dir_all(out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;
    for entry in
        fs::read_dir(out_dir).with_context(|| format!("cannot list {}", out_dir.display()))?
    {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if name.ends_with(".rs") && !files.contains_key(&name) {
            let text = fs::read_to_string(&path).unwrap_or_default();
            if text.starts_with("// @generated") {
                fs::remove_file(&path)
                    .with_context(|| format!("cannot remove stale {}", path.display()))?;
            }
        }
    }
    for (name, text) in files {
        let path = out_dir.join(name);
        if fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The compressed schema as checked in: `text` (what terraform printed) gzip-compressed.
pub fn compress(text: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(text)?;
    Ok(enc.finish()?)
}

/// Reads a `terraform providers schema -json` document.
pub fn read_schema(path: &Path) -> Result<SchemaFile> {
    read_json(path)
}

/// The inputs of a provider other than AWS: its schema, the pin, and the `services.json` and
/// `overrides.json` of `config_dir` where it has them (otherwise one module per first word
/// of the type names, and [`Overrides::defaults`]).
pub fn provider_inputs(
    schema: SchemaFile,
    pinned: Pinned,
    config_dir: Option<&Path>,
    target: Target,
) -> Result<Inputs> {
    if !schema.provider_schemas.contains_key(&pinned.provider) {
        let known: Vec<&String> = schema.provider_schemas.keys().collect();
        bail!(
            "the schema has no provider `{}`; it has {known:?}. Pass one of them as --source",
            pinned.provider
        );
    }
    let optional = |file: &str| config_dir.map(|d| d.join(file)).filter(|p| p.exists());
    let services = match optional("services.json") {
        Some(path) => read_json(&path)?,
        None => Services::default(),
    };
    let overrides = match optional("overrides.json") {
        Some(path) => read_json(&path)?,
        None => Overrides::defaults(&pinned),
    };
    Ok(Inputs {
        schema,
        pinned,
        services,
        overrides,
        target,
    })
}

/// The folder of Terraform's built-in provider's inputs (`aws/codegen/builtin`: its schema
/// as terraform prints it, `codegen.json`, `services.json`, `overrides.json`).
pub fn builtin_dir() -> PathBuf {
    codegen_dir().join("builtin")
}

/// Where the built-in provider's generated modules go: into the core, which the apps' remote
/// state reads use (`core/src/builtin/generated`).
pub fn builtin_out_dir() -> PathBuf {
    codegen_dir()
        .join("..")
        .join("..")
        .join("core")
        .join("src")
        .join("builtin")
        .join("generated")
}

/// The inputs of Terraform's built-in provider, generated into the core.
pub fn builtin_inputs() -> Result<Inputs> {
    let dir = builtin_dir();
    let pinned = load_pinned(&dir)?;
    let schema = read_schema(&dir.join("schema.json"))?;
    provider_inputs(schema, pinned, Some(&dir), Target::core())
}

#[cfg(test)]
mod api_tests;
#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod tests;

/// Prints the provider schema with the real terraform, from the provider mirror in
/// `plugin_dir` (`/opt/tf-plugins` on this project's machines): exactly the bytes to check in
/// (compressed).
pub fn schema_from_terraform(pinned: &Pinned, plugin_dir: &Path) -> Result<Vec<u8>> {
    schema_via_terraform(
        pinned.name(),
        pinned.short_source(),
        &pinned.version,
        Some(plugin_dir),
    )
}

/// The source address of Terraform's built-in provider (`terraform_data`,
/// `terraform_remote_state`), which no `required_providers` entry names.
pub const BUILTIN_PROVIDER: &str = "terraform.io/builtin/terraform";

/// Runs `terraform init` and `terraform providers schema -json` in a scratch folder whose
/// only configuration is the `required_providers` entry `name = { source, version }`
/// (`version` may be any constraint; empty: any), installing from the filesystem mirror
/// `mirror` when given one (else from the provider's registry), and returns what terraform
/// printed. For the built-in provider (`source` [`BUILTIN_PROVIDER`]) the configuration
/// uses its two types instead, which is what makes terraform print its schema.
pub fn schema_via_terraform(
    name: &str,
    source: &str,
    version: &str,
    mirror: Option<&Path>,
) -> Result<Vec<u8>> {
    let dir = std::env::temp_dir().join(format!(
        "oxiform-codegen-schema-{name}-{}",
        std::process::id()
    ));
    fs::create_dir_all(&dir)?;
    let config = if source == BUILTIN_PROVIDER {
        "resource \"terraform_data\" \"schema\" {}\n\ndata \"terraform_remote_state\" \"schema\" {\n  backend = \"local\"\n}\n".to_owned()
    } else {
        let version = if version.is_empty() {
            String::new()
        } else {
            format!("\n      version = \"{version}\"")
        };
        format!(
            "terraform {{\n  required_providers {{\n    {name} = {{\n      source  = \"{source}\"{version}\n    }}\n  }}\n}}\n"
        )
    };
    fs::write(dir.join("main.tf"), config)?;
    let installation = match mirror {
        Some(mirror) => format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
            mirror.display()
        ),
        None => String::new(),
    };
    fs::write(dir.join("cli.tfrc"), installation)?;
    let terraform = |args: &[&str]| -> Result<Vec<u8>> {
        let out = Command::new("terraform")
            .args(args)
            .current_dir(&dir)
            .env("TF_CLI_CONFIG_FILE", dir.join("cli.tfrc"))
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .context("cannot run `terraform`; is it on the PATH?")?;
        if !out.status.success() {
            bail!(
                "`terraform {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(out.stdout)
    };
    let result = terraform(&["init", "-input=false", "-no-color", "-backend=false"])
        .and_then(|_| terraform(&["providers", "schema", "-json"]));
    let _ = fs::remove_dir_all(&dir);
    result
}
