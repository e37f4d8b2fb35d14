//! `convert`'s oracle: every module of the corpus (`tests/fixtures/convert-corpus/<module>`,
//! realistic Terraform written for these tests) round-trips through the AWS API emulator.
//!
//! For each module, in a terraform working directory of its own with an emulator of its own:
//! 1. `terraform apply` the original HCL, then `terraform plan` it: no changes (a module the
//!    emulator cannot converge is a broken corpus module, not a converter bug);
//! 2. convert it (`oxiform_convert`);
//! 3. compile the result: every converted module is a module of ONE throwaway crate under
//!    `<target>/convert-check/corpus` (one cargo build for the whole corpus, sharing
//!    `convert-check/target` with `convert/tests/compile.rs`), whose `main` synthesises the
//!    stack named on its command line into a folder;
//! 4. synthesise it into the same working directory, in place of the `.tf` files;
//! 5. `terraform plan` against the same state, read with `terraform show -json`: every
//!    resource change a no-op (a `moved` address is fine, and reported), every output
//!    unchanged.
//!
//! The corpus' HCL has no emulator endpoints: each module declares its providers as a team
//! would (`provider "aws" { region = … }`, plus any `alias`), and both sides get the same
//! `emulator_override.tf.json`, a Terraform override file that merges the emulator settings
//! of `AwsProvider::emulator` (endpoints, skipped checks, path-style S3) into every declared
//! AWS provider configuration, default and aliased alike, keeping each one's region. So the
//! HCL and the converted Rust run with byte-identical provider configuration, and a
//! converted module that loses a provider block fails (terraform refuses an override with no
//! base block).
//!
//! The test reports, per module, the step that failed and exactly what differs (the planned
//! resource changes with their changed attributes, the converted Rust's path), and fails
//! when any module does not round-trip. The seed article's HCL, whose
//! `aws_sagemaker_transform_job` is no AWS resource type, is a convert-only error case.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{BlockLabel, Structure};
use oxiform::prelude::*;
use oxiform_convert::{convert, read_sources};
use oxiform_tests::emulator::Emulator;
use oxiform_tests::terraform::Workdir;
use oxiform_tests::workspace_root;

/// Every `endpoints` key the corpus' resources call: the emulator answers them all.
const SERVICES: &[&str] = &[
    "applicationautoscaling",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "elasticache",
    "events",
    "iam",
    "kms",
    "lambda",
    "logs",
    "s3",
    "sagemaker",
    "secretsmanager",
    "sns",
    "sqs",
    "ssm",
    "sts",
];

/// How many modules run their terraform steps at once, each with its own emulator: the
/// provider and moto are CPU-bound, and CI machines have few cores.
const PARALLEL: usize = 4;

fn corpus_dir() -> PathBuf {
    workspace_root().join("tests/fixtures/convert-corpus")
}

/// The corpus' modules: every folder of `tests/fixtures/convert-corpus`, sorted; only those
/// `OXIFORM_CORPUS` names (`a,b`) when it is set, for working on a few.
fn corpus() -> Vec<String> {
    let only: Option<Vec<String>> = std::env::var("OXIFORM_CORPUS")
        .ok()
        .map(|v| v.split(',').map(str::to_owned).collect());
    let mut modules: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap_or_else(|e| panic!("reading the corpus: {e}"))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .filter(|p| p.is_dir())
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|m: &String| only.as_ref().is_none_or(|o| o.contains(m)))
        .collect();
    modules.sort();
    modules
}

/// Where the corpus crate is built: `convert-check` in the target folder, as
/// `convert/tests/compile.rs` does, so the two share the facade's build.
fn check_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("convert-check")
}

/// The aliases of the `provider "aws"` blocks of a module's `.tf` files (`None` for the
/// default configuration), read with the parser the converter uses.
fn aws_provider_aliases(module: &Path) -> Vec<Option<String>> {
    let mut aliases = BTreeSet::new();
    let sources = read_sources(module).unwrap_or_else(|e| panic!("{e}"));
    for source in &sources {
        let body = hcl_edit::parser::parse_body(&source.text)
            .unwrap_or_else(|e| panic!("{}: {e}", source.name));
        for structure in body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            let is_aws = matches!(block.labels.first(),
                Some(BlockLabel::String(s)) if s.as_str() == "aws");
            if block.ident.as_str() != "provider" || !is_aws {
                continue;
            }
            let alias = block
                .body
                .get_attribute("alias")
                .and_then(|a| match &a.value {
                    Expression::String(s) => Some(s.as_str().to_owned()),
                    _ => None,
                });
            aliases.insert(alias);
        }
    }
    aliases.into_iter().collect()
}

/// The override file that points every AWS provider configuration of a module at the
/// emulator: `AwsProvider::emulator`'s settings, synthesised, without the region (each
/// configuration keeps its own).
fn emulator_override(url: &str, aliases: &[Option<String>]) -> String {
    let mut stack = Stack::new("emulator-override");
    for alias in aliases {
        let provider = AwsProvider::new(oxiform_tests::emulator::REGION).emulator(url, SERVICES);
        let _configuration = stack.provider(match alias {
            Some(a) => provider.alias(a.as_str()),
            None => provider,
        });
    }
    let json: serde_json::Value = serde_json::from_str(
        &stack
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_json()
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut providers = json["provider"]["aws"].clone();
    for p in providers.as_array_mut().into_iter().flatten() {
        if let Some(p) = p.as_object_mut() {
            p.remove("region");
        }
    }
    serde_json::json!({ "provider": { "aws": providers } }).to_string()
}

/// What a module's round trip came to.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// No change; the `moved` addresses the plan followed, if any.
    RoundTrips { moved: Vec<String> },
    /// The converter refused the module.
    ConvertFailed(String),
    /// The converted Rust did not compile.
    CompileFailed { rust: PathBuf, errors: String },
    /// The converted stack did not synthesise.
    SynthFailed { rust: PathBuf, error: String },
    /// terraform refused the synthesised configuration (init or plan).
    PlanFailed { rust: PathBuf, error: String },
    /// The plan of the converted stack has changes.
    Changes {
        rust: PathBuf,
        changes: Vec<String>,
        moved: Vec<String>,
    },
}

/// The converted side of a module, ready for its terraform steps.
enum Converted {
    Failed(Outcome),
    Built { rust: PathBuf },
}

#[test]
fn convert_roundtrip_every_corpus_module_plans_no_changes_on_the_emulator() {
    let whole = Instant::now();
    let modules = corpus();
    assert!(
        modules.len() >= 10 || std::env::var_os("OXIFORM_CORPUS").is_some(),
        "the corpus needs at least 10 modules: {modules:?}"
    );
    // Installed once before the threads start them.
    oxiform_tests::emulator::installed();

    // Steps 2 and 3 for the whole corpus: one crate, one cargo build.
    let started = Instant::now();
    let converted = convert_and_compile(&modules);
    let compile_time = started.elapsed();

    // Steps 1, 4 and 5 per module, in parallel.
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(String, Outcome, f64)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(modules.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(module) = modules.get(i) else {
                    break;
                };
                let start = Instant::now();
                let outcome = round_trip(module, &converted[i]);
                results.lock().unwrap_or_else(|e| panic!("{e}")).push((
                    module.clone(),
                    outcome,
                    start.elapsed().as_secs_f64(),
                ));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| panic!("{e}"));
    results.sort_by(|a, b| a.0.cmp(&b.0));

    let mut report = format!(
        "convert round trip: {} modules, converted and compiled in {:.1}s, whole test {:.1}s\n",
        modules.len(),
        compile_time.as_secs_f64(),
        whole.elapsed().as_secs_f64()
    );
    let mut failed = Vec::new();
    for (module, outcome, secs) in &results {
        let _ = write!(report, "\n== {module} ({secs:.1}s): ");
        match outcome {
            Outcome::RoundTrips { moved } => {
                let _ = writeln!(report, "round-trips, no changes");
                for m in moved {
                    let _ = writeln!(report, "   moved: {m}");
                }
            }
            other => {
                failed.push(module.clone());
                let _ = writeln!(report, "{}", describe(other));
            }
        }
    }
    eprintln!("{report}");
    let _ = std::fs::write(check_dir().join("corpus-report.txt"), &report);
    assert!(
        failed.is_empty(),
        "{} of {} corpus modules do not round-trip: {failed:?}\n{report}",
        failed.len(),
        modules.len()
    );
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::RoundTrips { .. } => "round-trips".to_owned(),
        Outcome::ConvertFailed(e) => format!("convert failed:\n{e}"),
        Outcome::CompileFailed { rust, errors } => {
            format!(
                "the converted Rust ({}) does not compile:\n{errors}",
                rust.display()
            )
        }
        Outcome::SynthFailed { rust, error } => {
            format!(
                "the converted stack ({}) does not synthesise:\n{error}",
                rust.display()
            )
        }
        Outcome::PlanFailed { rust, error } => format!(
            "terraform refuses the converted stack ({}):\n{error}",
            rust.display()
        ),
        Outcome::Changes {
            rust,
            changes,
            moved,
        } => {
            let mut text = format!(
                "the converted stack ({}) plans {} change(s) against the HCL's state:\n",
                rust.display(),
                changes.len()
            );
            for c in changes {
                let _ = writeln!(text, "   {c}");
            }
            for m in moved {
                let _ = writeln!(text, "   moved: {m}");
            }
            text
        }
    }
}

/// Converts every module and builds the converted ones as modules of one crate. A module
/// the compiler names in an error is reported and left out, and the rest is built again, so
/// one module's failure does not hide the others' results.
fn convert_and_compile(modules: &[String]) -> Vec<Converted> {
    let dir = check_dir();
    let krate = dir.join("corpus");
    let src = krate.join("src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(&src).unwrap_or_else(|e| panic!("{e}"));
    let mut out: Vec<Converted> = Vec::new();
    let mut features = BTreeSet::new();
    for m in modules {
        let sources = read_sources(&corpus_dir().join(m)).unwrap_or_else(|e| panic!("{m}: {e}"));
        match convert(&sources) {
            Ok(c) => {
                features.extend(c.features.iter().cloned());
                let rust = src.join(format!("{m}.rs"));
                std::fs::write(&rust, &c.rust).unwrap_or_else(|e| panic!("{e}"));
                out.push(Converted::Built { rust });
            }
            Err(errors) => {
                let text: Vec<String> = errors.iter().map(|e| e.render()).collect();
                out.push(Converted::Failed(Outcome::ConvertFailed(text.join("\n"))));
            }
        }
    }
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"converted-corpus\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\noxiform = {{ path = \"{}\", default-features = false, features = [{}] }}\n\n\
             [workspace]\n\n[profile.dev]\ndebug = false\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n",
            workspace_root().join("sdk").display(),
            quoted.join(", ")
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The workspace's versions of every dependency.
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        krate.join("Cargo.lock"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    loop {
        let built: Vec<&String> = modules
            .iter()
            .zip(&out)
            .filter(|(_, c)| matches!(c, Converted::Built { .. }))
            .map(|(m, _)| m)
            .collect();
        std::fs::write(src.join("main.rs"), main_rs(&built)).unwrap_or_else(|e| panic!("{e}"));
        let build = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--offline", "--message-format=short"])
            .current_dir(&krate)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .unwrap_or_else(|e| panic!("cargo build: {e}"));
        if build.status.success() {
            break;
        }
        let stderr = String::from_utf8_lossy(&build.stderr).into_owned();
        let mut blamed = false;
        for (m, c) in modules.iter().zip(out.iter_mut()) {
            let Converted::Built { rust } = c else {
                continue;
            };
            let prefix = format!("src/{m}.rs:");
            let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&prefix)).collect();
            if !errors.is_empty() {
                blamed = true;
                *c = Converted::Failed(Outcome::CompileFailed {
                    rust: rust.clone(),
                    errors: errors.join("\n"),
                });
            }
        }
        // An error in no module's file (the crate itself, the facade): nothing to leave out.
        assert!(blamed, "the corpus crate does not build:\n{stderr}");
    }
    out
}

/// The corpus crate's `main`: `converted-corpus MODULE DIR` synthesises the stack of
/// `MODULE`'s `build` into `DIR/main.tf.json`, with its assets.
fn main_rs(modules: &[&String]) -> String {
    let mut main = String::from(
        "//! Each converted corpus module on a stack of its own: `converted-corpus MODULE DIR`\n\
         //! writes its synthesised Terraform JSON and assets into DIR.\n#![deny(warnings)]\n\n",
    );
    for m in modules {
        let _ = writeln!(main, "mod {m};");
    }
    main.push_str(
        "\nfn main() {\n    let args: Vec<String> = std::env::args().collect();\n    \
         let (name, dir) = (&args[1], std::path::Path::new(&args[2]));\n    \
         let mut stack = oxiform::Stack::new(name);\n    match name.as_str() {\n",
    );
    for m in modules {
        let _ = writeln!(main, "        \"{m}\" => {m}::build(&mut stack),");
    }
    main.push_str(
        "        other => panic!(\"no module {other}\"),\n    }\n    \
         let doc = match stack.synth() {\n        Ok(doc) => doc,\n        Err(e) => {\n            \
         eprintln!(\"{e}\");\n            std::process::exit(1);\n        }\n    };\n    \
         let json = doc.to_json().expect(\"Terraform JSON\");\n    \
         std::fs::write(dir.join(\"main.tf.json\"), json).expect(\"main.tf.json\");\n    \
         for asset in stack.assets() {\n        \
         std::fs::write(dir.join(asset.file_name()), asset.bytes()).expect(\"asset\");\n    }\n}\n",
    );
    main
}

/// Copies a module's folder (its `.tf` files and what they read, such as a Lambda package).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// `terraform plan` saved and read back with `terraform show -json`.
fn plan_json(work: &Workdir, env: &[(String, String)]) -> Result<serde_json::Value, String> {
    let plan = work.run_env(
        &["plan", "-input=false", "-no-color", "-out=roundtrip.tfplan"],
        env,
    );
    if !plan.status.success() {
        return Err(format!(
            "{}{}",
            String::from_utf8_lossy(&plan.stdout),
            String::from_utf8_lossy(&plan.stderr)
        ));
    }
    let show = work.run_ok_env(&["show", "-json", "roundtrip.tfplan"], env);
    serde_json::from_str(&show).map_err(|e| format!("terraform show -json: {e}"))
}

/// The plan's changes other than no-ops, each with its address, its actions and (for an
/// update) the attributes that change; and the `moved` addresses.
fn changes(plan: &serde_json::Value) -> (Vec<String>, Vec<String>) {
    let mut changes = Vec::new();
    let mut moved = Vec::new();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        let address = rc["address"].as_str().unwrap_or("?");
        if let Some(from) = rc["previous_address"].as_str() {
            moved.push(format!("{from} -> {address}"));
        }
        let actions: Vec<&str> = rc["change"]["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str())
            .collect();
        if actions == ["no-op"] {
            continue;
        }
        let change = &rc["change"];
        let mut detail = String::new();
        if actions == ["update"] || (actions.contains(&"delete") && actions.contains(&"create")) {
            let keys: BTreeSet<&String> = change["before"]
                .as_object()
                .into_iter()
                .chain(change["after"].as_object())
                .flat_map(|o| o.keys())
                .collect();
            let differing: Vec<String> = keys
                .into_iter()
                .filter(|k| {
                    change["before"][k.as_str()] != change["after"][k.as_str()]
                        || change["after_unknown"][k.as_str()] == true
                })
                .map(|k| {
                    format!(
                        "{k}: {} -> {}",
                        change["before"][k.as_str()],
                        if change["after_unknown"][k.as_str()] == true {
                            "(known after apply)".to_owned()
                        } else {
                            change["after"][k.as_str()].to_string()
                        }
                    )
                })
                .collect();
            detail = format!(" [{}]", differing.join("; "));
        }
        changes.push(format!("{address}: {}{detail}", actions.join("+")));
    }
    for (name, oc) in plan["output_changes"].as_object().into_iter().flatten() {
        let actions = &oc["actions"];
        if actions != &serde_json::json!(["no-op"]) {
            changes.push(format!(
                "output.{name}: {actions} ({} -> {})",
                oc["before"], oc["after"]
            ));
        }
    }
    (changes, moved)
}

/// Steps 1, 4 and 5 of one module.
fn round_trip(module: &str, converted: &Converted) -> Outcome {
    let emulator = Emulator::start();
    let env = emulator.provider_env();
    let work = Workdir::new();
    let source = corpus_dir().join(module);
    copy_dir(&source, &work.path());
    let override_json = emulator_override(&emulator.url(), &aws_provider_aliases(&source));
    std::fs::write(
        work.path().join("emulator_override.tf.json"),
        &override_json,
    )
    .unwrap_or_else(|e| panic!("{e}"));

    // 1. The original HCL, applied, converges: its own plan has no change.
    work.run_ok_env(&["init", "-input=false", "-backend=false"], &env);
    let apply = work.run_env(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &env,
    );
    assert!(
        apply.status.success(),
        "{module}: terraform apply of the original HCL failed:\n{}{}\nemulator:\n{}",
        String::from_utf8_lossy(&apply.stdout),
        String::from_utf8_lossy(&apply.stderr),
        emulator.log()
    );
    let baseline = plan_json(&work, &env)
        .unwrap_or_else(|e| panic!("{module}: terraform plan of the original HCL: {e}"));
    let (drift, _) = changes(&baseline);
    assert!(
        drift.is_empty(),
        "{module}: the original HCL does not converge on the emulator (fix the corpus module): {drift:#?}"
    );

    let rust = match converted {
        Converted::Failed(outcome) => return outcome.clone(),
        Converted::Built { rust } => rust.clone(),
    };

    // 4. The converted stack replaces the `.tf` files, next to the same state.
    for entry in std::fs::read_dir(work.path()).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_some_and(|e| e == "tf") {
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let synth = Command::new(check_dir().join("target/debug/converted-corpus"))
        .arg(module)
        .arg(work.path())
        .output()
        .unwrap_or_else(|e| panic!("running the corpus crate: {e}"));
    if !synth.status.success() {
        return Outcome::SynthFailed {
            rust,
            error: String::from_utf8_lossy(&synth.stderr).into_owned(),
        };
    }

    // 5. Its plan against the HCL's state.
    let init = work.run_env(
        &["init", "-input=false", "-backend=false", "-no-color"],
        &env,
    );
    if !init.status.success() {
        return Outcome::PlanFailed {
            rust,
            error: String::from_utf8_lossy(&init.stderr).into_owned(),
        };
    }
    match plan_json(&work, &env) {
        Err(error) => Outcome::PlanFailed { rust, error },
        Ok(plan) => {
            let (changes, moved) = changes(&plan);
            if changes.is_empty() {
                Outcome::RoundTrips { moved }
            } else {
                Outcome::Changes {
                    rust,
                    changes,
                    moved,
                }
            }
        }
    }
}

/// The seed article's HCL, word for word, is refused: its `aws_sagemaker_transform_job` is
/// no resource type of the AWS provider, and the error says what to use instead.
#[test]
fn convert_roundtrip_seed_article_reports_its_invalid_resource_with_suggestions() {
    let dir = workspace_root().join("tests/fixtures/convert-seed");
    let sources = read_sources(&dir).unwrap_or_else(|e| panic!("{e}"));
    let errors = convert(&sources).err().unwrap_or_else(|| {
        panic!(
            "the seed article's HCL converted, but aws_sagemaker_transform_job is no resource type"
        )
    });
    let rendered: Vec<String> = errors.iter().map(|e| e.render()).collect();
    let transform: Vec<&String> = rendered
        .iter()
        .filter(|e| e.contains("aws_sagemaker_transform_job"))
        .collect();
    assert_eq!(transform.len(), 1, "{rendered:#?}");
    assert!(
        transform[0].contains("article.tf:")
            && transform[0].contains("unknown resource type")
            && transform[0].contains("the closest are")
            && transform[0].contains("aws_sfn_state_machine"),
        "{rendered:#?}"
    );
    oxiform_tests::snapshot!("convert_seed_article_errors", rendered.join("\n"));
}

/// `convert` as a user runs it, the real binary on a small module: the Rust on stdout, the
/// features and every warning (with file and line) on stderr.
#[test]
fn convert_roundtrip_cli_transcript_of_a_small_module() {
    let output = Command::new(env!("CARGO_BIN_EXE_oxiform-stacks"))
        .args(["convert", "events_schedule"])
        .current_dir(corpus_dir())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let transcript = format!(
        "$ stacks convert events_schedule\nexit code: {}\n--- stdout\n{}--- stderr\n{}",
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{transcript}");
    // The function call and the conditional are typed (`oxiform::func`), with no warning.
    assert!(
        transcript.contains("func::cond::<i64>(") && !transcript.contains("TODO(convert)"),
        "{transcript}"
    );
    oxiform_tests::snapshot!("convert_cli_transcript", transcript);
}
