//! Splitting a large provider's services over several crates, its *parts*.
//!
//! One crate holding every AWS service made one rustc hold all 8,500 types: 2.5 GB at its
//! peak and the whole build on one core (a crate's front end is single-threaded on stable).
//! Over four parts, each rustc holds a quarter and two build side by side on two cores
//! (measured in `bench/README.md`). The parts are an implementation detail: the provider
//! crate keeps one feature per service and re-exports each service's module from its part,
//! so `oxiform_aws::sqs::SqsQueue` is the same path as before.
//!
//! Services are dealt to parts by the size of their generated code, largest first, each to
//! the part with the least so far (ties: the lower part), so that the parts are about the
//! same size and the assignment follows from the generated code alone.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::model::module_ident;
use crate::{codegen_dir, header, write_generated, Generated, Inputs};

/// How many parts the AWS provider is split over: the fewest that keep every rustc of a
/// `--features full` build under 2 GiB with room to grow (four: 0.75 GB at the peak,
/// `bench/README.md`).
pub const AWS_PARTS: usize = 4;

/// Where the AWS provider's parts are checked in: `aws/parts/<part>`.
pub fn aws_parts_dir() -> PathBuf {
    let dir = codegen_dir();
    dir.parent().unwrap_or(&dir).join("parts")
}

/// Generates the AWS provider as it is checked in: `aws/src/generated` (the fixed modules
/// and the re-exports) and its [`AWS_PARTS`] parts.
pub fn generate_aws(inputs: &Inputs) -> Result<(Generated, Vec<Part>)> {
    let mut generated = crate::generate(inputs)?;
    let parts = split(
        &mut generated,
        AWS_PARTS,
        "oxiform-aws",
        &header(&inputs.pinned),
    )?;
    Ok((generated, parts))
}

/// Writes each part's `Cargo.toml` and `src/` under `dir` (files unchanged are not
/// touched; generated files no longer produced are removed).
pub fn write_parts(dir: &std::path::Path, parts: &[Part]) -> Result<()> {
    for part in parts {
        let root = dir.join(&part.dir);
        write_generated(&root.join("src"), &part.files)?;
        let manifest = root.join("Cargo.toml");
        if std::fs::read_to_string(&manifest).ok().as_deref() != Some(part.cargo_toml.as_str()) {
            std::fs::write(&manifest, &part.cargo_toml)
                .with_context(|| format!("cannot write {}", manifest.display()))?;
        }
    }
    Ok(())
}

/// One part: a crate of generated service modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The package name, e.g. `oxiform-aws-part1`.
    pub package: String,
    /// Its folder under the provider crate's `parts/`, e.g. `part1`.
    pub dir: String,
    /// `Cargo.toml`.
    pub cargo_toml: String,
    /// Its `src/` files: `lib.rs` and one module per service.
    pub files: BTreeMap<String, String>,
    /// The services (features) it holds.
    pub services: Vec<String>,
}

/// Moves the service modules of `generated` into `count` parts named `<package>-part<N>`,
/// and rewrites its `mod.rs` to re-export each module from its part. `header` is the first
/// line of every generated file; `provider_package` the crate that re-exports the parts
/// (whose doctests the parts' examples are written for).
pub fn split(
    generated: &mut Generated,
    count: usize,
    provider_package: &str,
    header: &str,
) -> Result<Vec<Part>> {
    if count < 2 {
        bail!("splitting into {count} parts: give at least 2");
    }
    let modules: Vec<(String, String)> = generated
        .services
        .keys()
        .map(|service| (service.clone(), module_ident(service)))
        .collect();
    let size = |module: &str| {
        generated
            .files
            .get(&format!("{module}.rs"))
            .map_or(0, String::len)
    };
    let mut by_size: Vec<&(String, String)> = modules.iter().collect();
    by_size.sort_by(|a, b| size(&b.1).cmp(&size(&a.1)).then(a.0.cmp(&b.0)));
    let mut load = vec![0usize; count];
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (service, module) in by_size {
        let lightest = (0..count).min_by_key(|&i| (load[i], i)).unwrap_or(0);
        load[lightest] += size(module);
        owner.insert(service, lightest);
    }

    let mut parts: Vec<Part> = (1..=count)
        .map(|n| Part {
            package: format!("{provider_package}-part{n}"),
            dir: format!("part{n}"),
            cargo_toml: String::new(),
            files: BTreeMap::new(),
            services: Vec::new(),
        })
        .collect();
    let mut mod_rs = generated.files.get("mod.rs").cloned().unwrap_or_default();
    for (service, module) in &modules {
        let part = &mut parts[owner[service.as_str()]];
        let file = format!("{module}.rs");
        let Some(text) = generated.files.remove(&file) else {
            bail!("the generator wrote no {file} for the service `{service}`");
        };
        part.files.insert(file, text);
        part.services.push(service.clone());
        let declared =
            format!("#[cfg(feature = \"{service}\")]\n#[rustfmt::skip]\npub mod {module};\n");
        let crate_name = part.package.replace('-', "_");
        let reexported = format!(
            "#[cfg(feature = \"{service}\")]\n#[doc(inline)]\npub use {crate_name}::{module};\n"
        );
        if !mod_rs.contains(&declared) {
            bail!(
                "mod.rs does not declare the service module `{module}` as the generator writes it"
            );
        }
        mod_rs = mod_rs.replacen(&declared, &reexported, 1);
    }
    generated.files.insert("mod.rs".to_owned(), mod_rs);

    let provider_crate = provider_package.replace('-', "_");
    for (n, part) in parts.iter_mut().enumerate() {
        let n = n + 1;
        let mut lib = format!(
            "{header}//! Part {n} of {count} of the generated modules of `{provider_crate}`, which \
             re-exports each behind the feature of the same name: use them from there (or \
             from the facade, `oxiform`). The modules are split over crates so that no one \
             rustc holds the whole provider.\n\n"
        );
        for (service, module) in modules.iter().filter(|(s, _)| part.services.contains(s)) {
            lib.push_str(&format!(
                "#[cfg(feature = \"{service}\")]\n#[rustfmt::skip]\npub mod {module};\n"
            ));
        }
        part.files.insert("lib.rs".to_owned(), lib);
        part.cargo_toml = part_cargo_toml(part, n, count, provider_package);
    }
    Ok(parts)
}

/// A part's `Cargo.toml`: the core, one feature per service, and the provider crate for
/// the examples in the docs (they are written as a user reads them, `use oxiform_aws::…`).
fn part_cargo_toml(part: &Part, n: usize, count: usize, provider_package: &str) -> String {
    let quoted = |names: &[String]| {
        names
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut features = String::new();
    for service in &part.services {
        features.push_str(&format!("{service} = []\n"));
    }
    format!(
        "# @generated by oxiform-codegen. Do not edit: run `cargo run -p oxiform-codegen`.\n\
         [package]\n\
         name = \"{package}\"\n\
         description = \"Part {n} of {count} of the generated modules of {provider_package} (use them from there).\"\n\
         version.workspace = true\n\
         edition.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         \n\
         [dependencies]\n\
         oxiform-core.workspace = true\n\
         \n\
         [dev-dependencies]\n\
         {provider_package} = {{ path = \"../..\", features = [{services}] }}\n\
         \n\
         [lints]\n\
         workspace = true\n\
         \n\
         [features]\n\
         {features}",
        package = part.package,
        services = quoted(&part.services),
    )
}

/// The generated tail of the provider crate's `Cargo.toml` when split: one feature per
/// service turning on the same feature of its part, `full`, and the parts as dependencies.
pub fn provider_features_toml(parts: &[Part], marker: &str) -> String {
    let mut owner: BTreeMap<&str, &Part> = BTreeMap::new();
    for part in parts {
        for service in &part.services {
            owner.insert(service, part);
        }
    }
    let mut out = format!("{marker}\n");
    let names: Vec<String> = owner.keys().map(|n| format!("\"{n}\"")).collect();
    out.push_str(&format!("full = [{}]\n", names.join(", ")));
    for (service, part) in &owner {
        out.push_str(&format!("{service} = [\"{}/{service}\"]\n", part.package));
    }
    for part in parts {
        out.push_str(&format!(
            "\n[dependencies.{}]\npath = \"parts/{}\"\n",
            part.package, part.dir
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NumberCounts;

    fn generated(sizes: &[(&str, usize)]) -> Generated {
        let mut files = BTreeMap::new();
        let mut services = BTreeMap::new();
        let mut mod_rs = String::from("// header\n#[rustfmt::skip]\npub mod facts;\n");
        for (service, size) in sizes {
            files.insert(format!("{service}.rs"), "x".repeat(*size));
            services.insert((*service).to_owned(), vec![format!("aws_{service}_thing")]);
            mod_rs.push_str(&format!(
                "#[cfg(feature = \"{service}\")]\n#[rustfmt::skip]\npub mod {service};\n"
            ));
        }
        files.insert("mod.rs".to_owned(), mod_rs);
        files.insert("facts.rs".to_owned(), String::new());
        Generated {
            files,
            services,
            numbers: NumberCounts::default(),
            kinds: [0; 3],
            every_type: String::new(),
        }
    }

    #[test]
    fn services_are_dealt_largest_first_to_the_lightest_part() -> Result<()> {
        let mut g = generated(&[
            ("ec2", 90),
            ("sqs", 10),
            ("s3", 50),
            ("iam", 40),
            ("kms", 5),
        ]);
        let parts = split(&mut g, 2, "oxiform-aws", "// header\n")?;
        let services: Vec<&[String]> = parts.iter().map(|p| p.services.as_slice()).collect();
        // ec2 (90) to part 1; s3 (50), iam (40) to part 2 (90 each); sqs (10) to part 1;
        // kms (5) to part 2.
        assert_eq!(services, [&["ec2", "sqs"][..], &["iam", "kms", "s3"][..]]);
        assert!(parts[0].files.contains_key("ec2.rs") && !g.files.contains_key("ec2.rs"));
        assert!(g.files.contains_key("facts.rs"), "the fixed modules stay");
        let mod_rs = &g.files["mod.rs"];
        assert!(mod_rs.contains(
            "#[cfg(feature = \"sqs\")]\n#[doc(inline)]\npub use oxiform_aws_part1::sqs;\n"
        ));
        assert!(!mod_rs.contains("pub mod sqs;"), "{mod_rs}");
        assert!(parts[1].files["lib.rs"]
            .contains("#[cfg(feature = \"kms\")]\n#[rustfmt::skip]\npub mod kms;\n"));
        assert!(parts[1].cargo_toml.contains("name = \"oxiform-aws-part2\""));
        assert!(parts[1]
            .cargo_toml
            .contains("features = [\"iam\", \"kms\", \"s3\"]"));

        let tail = provider_features_toml(&parts, "# marker");
        assert!(tail.starts_with("# marker\nfull = [\"ec2\", \"iam\", \"kms\", \"s3\", \"sqs\"]\n"));
        assert!(tail.contains("sqs = [\"oxiform-aws-part1/sqs\"]\n"));
        assert!(tail.contains("[dependencies.oxiform-aws-part2]\npath = \"parts/part2\"\n"));
        Ok(())
    }

    #[test]
    fn fewer_than_two_parts_is_refused() {
        let mut g = generated(&[("sqs", 1)]);
        assert!(split(&mut g, 1, "oxiform-aws", "").is_err());
    }
}
