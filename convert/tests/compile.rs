//! The Rust `convert` writes compiles against the facade, with only the features it printed,
//! and synthesises: the fixture modules, each a module of one throwaway crate under
//! `target/convert-check/` (its own target folder there, kept between runs), built with
//! warnings denied and run.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use oxiform_convert::{convert, read_sources};

const MODULES: &[&str] = &[
    "s3_policy",
    "dynamodb_sqs",
    "variables_outputs",
    "lifecycle",
    "iam_jsonencode",
    "dynamic_blocks",
    "tf_json",
    "count_for_each",
    "untyped",
    "refactor_blocks",
    "variable_types",
    "expressions",
    "modules",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn converted_modules_compile_against_the_facade_and_synthesise() {
    let root = root();
    let dir = root.join("target").join("convert-check");
    let krate = dir.join("crate");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    let mut features = BTreeSet::new();
    let mut main = String::from(
        "#![deny(warnings)]\n//! Each converted module on a stack of its own, synthesised.\n\n",
    );
    for m in MODULES {
        main.push_str(&format!("mod {m};\n"));
    }
    main.push_str("\nfn main() {\n");
    for m in MODULES {
        let sources = read_sources(&root.join("convert/tests/fixtures").join(m)).unwrap();
        let c = convert(&sources).unwrap_or_else(|e| panic!("{m}: {e:?}"));
        features.extend(c.features.iter().cloned());
        std::fs::write(krate.join("src").join(format!("{m}.rs")), &c.rust).unwrap();
        main.push_str(&format!(
            "    let mut stack = oxiform::Stack::new(\"{m}\");\n    {m}::build(&mut stack);\n    \
             let json = stack.synth().expect(\"{m}\").to_json().expect(\"{m}\");\n    \
             println!(\"=== {m}\\n{{json}}\");\n"
        ));
    }
    main.push_str("}\n");
    std::fs::write(krate.join("src").join("main.rs"), main).unwrap();
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"converted-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\noxiform = {{ path = \"{}\", default-features = false, features = [{}] }}\n\n\
             [workspace]\n\n[profile.dev]\ndebug = false\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n",
            root.join("sdk").display(),
            quoted.join(", ")
        ),
    )
    .unwrap();
    // The workspace's versions of every dependency.
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    eprintln!(
        "built and ran the converted modules in {:?}",
        started.elapsed()
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The template and the reference survived: Terraform JSON as the HCL meant it.
    assert!(
        stdout.contains(r#""name": "${aws_dynamodb_table.orders.name}-events""#),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#""bucket": "${aws_s3_bucket.archive.id}""#),
        "{stdout}"
    );
    assert!(stdout.contains(r#""provider": "aws.us""#), "{stdout}");
    assert!(stdout.contains(r#""prevent_destroy": true"#), "{stdout}");
    // What Terraform computes from what synth wrote and from the HCL: the same string for
    // other JSON than a policy; for a policy, the same policy (one value or a list of one).
    let iam = synthesised(&stdout, "iam_jsonencode");
    let settings = iam["resource"]["aws_sqs_queue"]["orders"]["tags"]["Settings"]
        .as_str()
        .unwrap();
    assert!(settings.starts_with("${jsonencode("), "{settings}");
    let guard = iam["resource"]["aws_iam_policy"]["guard"]["policy"]
        .as_str()
        .unwrap();
    let trust = iam["resource"]["aws_iam_role"]["consumer"]["assume_role_policy"]
        .as_str()
        .unwrap();
    let hcl = std::fs::read_to_string(root.join("convert/tests/fixtures/iam_jsonencode/main.tf"))
        .unwrap();
    let original = |start: &str| {
        let at = hcl.find(start).unwrap() + start.len();
        let end = at + hcl[at..].find("\n  })\n").unwrap() + 5;
        hcl[at..end].to_owned()
    };
    if let Some(out) = terraform_outputs(
        &dir.join("jsonencode"),
        &[
            (
                r#"jsonencode({ retries = [1, 2.5], env = var.environment, "<html>" = "a&b", on = true, none = null })"#.to_owned(),
                settings,
            ),
            (original("name = \"guard\"\n  policy = "), guard),
            (original("assume_role_policy = "), trust),
        ],
    ) {
        assert_eq!(out[0].0, out[0].1);
        // Terraform's own escaping and key order, which JSON written by Rust would miss.
        assert!(
            out[0].0.contains(r#""\u003chtml\u003e":"a\u0026b""#),
            "{}",
            out[0].0
        );
        for (hcl, synth) in &out[1..] {
            assert_eq!(policy(hcl), policy(synth), "{hcl}\n{synth}");
        }
    }
    // Dynamic blocks unrolled, one nested block per element.
    let lifecycle = &synthesised(&stdout, "dynamic_blocks")["resource"]
        ["aws_s3_bucket_lifecycle_configuration"]["logs"]["rule"];
    assert_eq!(lifecycle.as_array().map(Vec::len), Some(2), "{lifecycle}");
    // The `.tf.json` module: its template and its repeated block.
    let tf_json = synthesised(&stdout, "tf_json");
    assert_eq!(
        tf_json["resource"]["aws_sqs_queue"]["events"]["name"],
        "${var.prefix}-events"
    );
    // Unrolled `for_each` and `count`: a `moved` block per instance, so that state follows.
    let unrolled = synthesised(&stdout, "count_for_each");
    let moved: Vec<String> = unrolled["moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} -> {}",
                m["from"].as_str().unwrap(),
                m["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            "aws_s3_bucket.logs[0] -> aws_s3_bucket.logs_0",
            "aws_s3_bucket.logs[1] -> aws_s3_bucket.logs_1",
            "aws_sqs_queue.delayed[\"fast\"] -> aws_sqs_queue.delayed_fast",
            "aws_sqs_queue.delayed[\"slow\"] -> aws_sqs_queue.delayed_slow",
            "aws_sqs_queue.shard[0] -> aws_sqs_queue.shard_0",
            "aws_sqs_queue.shard[1] -> aws_sqs_queue.shard_1",
            "aws_sqs_queue.work[\"events\"] -> aws_sqs_queue.work_events",
            "aws_sqs_queue.work[\"orders\"] -> aws_sqs_queue.work_orders",
        ]
    );
    let queues = &unrolled["resource"]["aws_sqs_queue"];
    assert_eq!(queues["work_orders"]["name"], "work-orders");
    assert_eq!(queues["delayed_slow"]["delay_seconds"], 30);
    assert_eq!(queues["shard_1"]["name"], "shard-1");
    assert_eq!(queues["shard_1"]["delay_seconds"], 1);
    assert_eq!(queues["mirror"]["for_each"], "${aws_sqs_queue.alerts.tags}");
    assert_eq!(
        unrolled["output"]["existing_a"]["value"],
        "${data.aws_sqs_queue.existing_a.arn}"
    );
    assert_eq!(
        queues["alerts"]["tags"]["orders"],
        "${aws_sqs_queue.work_orders.arn}"
    );
    assert_eq!(
        queues["alerts"]["tags"]["replica"],
        "${aws_s3_bucket.replica[\"eu\"].arn}"
    );
    let buckets = &unrolled["resource"]["aws_s3_bucket"];
    assert_eq!(
        buckets["replica"]["for_each"],
        "${toset(var.replica_names)}"
    );
    assert_eq!(buckets["replica"]["bucket"], "replica-${each.value}");
    assert_eq!(buckets["archive"]["bucket"], "archive-${count.index}");
    // Other providers: untyped resources and their requirement.
    let untyped = synthesised(&stdout, "untyped");
    assert_eq!(
        untyped["terraform"]["required_providers"]["random"]["source"],
        "hashicorp/random"
    );
    assert_eq!(
        untyped["resource"]["terraform_data"]["per_env_prod"]["input"],
        "prod-${terraform_data.config.output}"
    );
    assert!(untyped["moved"].as_array().unwrap().len() == 2, "{untyped}");
    validate(&dir.join("validate"), &unrolled);
}

/// The JSON `main` printed for module `m`.
fn synthesised(stdout: &str, m: &str) -> serde_json::Value {
    let start = stdout
        .find(&format!("=== {m}\n"))
        .unwrap_or_else(|| panic!("no {m} in {stdout}"));
    let rest = &stdout[start + m.len() + 5..];
    let end = rest.find("\n=== ").unwrap_or(rest.len());
    serde_json::from_str(&rest[..end]).unwrap()
}

/// A policy with every one-element list as its element (IAM reads them the same).
fn policy(text: &str) -> serde_json::Value {
    fn norm(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Array(mut items) if items.len() == 1 => norm(items.remove(0)),
            serde_json::Value::Array(items) => items.into_iter().map(norm).collect(),
            serde_json::Value::Object(map) => map.into_iter().map(|(k, v)| (k, norm(v))).collect(),
            other => other,
        }
    }
    norm(serde_json::from_str(text).unwrap())
}

/// Applies (no resources: no provider, offline) a configuration with the variable
/// `environment` and, for each pair, the outputs `hcl_<i>` (the HCL expression) and
/// `synth_<i>` (the JSON string synth wrote); returns their values. `None`, saying so,
/// without `terraform` on the PATH.
fn terraform_outputs(dir: &Path, pairs: &[(String, &str)]) -> Option<Vec<(String, String)>> {
    if Command::new("terraform").arg("version").output().is_err() {
        eprintln!("terraform is not on the PATH: the jsonencode comparison is skipped");
        return None;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut hcl = "variable \"environment\" {\n  default = \"prod\"\n}\n".to_owned();
    let mut synth = serde_json::Map::new();
    for (i, (h, s)) in pairs.iter().enumerate() {
        hcl.push_str(&format!("\noutput \"hcl_{i}\" {{\n  value = {h}\n}}\n"));
        synth.insert(format!("synth_{i}"), serde_json::json!({ "value": s }));
    }
    std::fs::write(dir.join("main.tf"), hcl).unwrap();
    std::fs::write(
        dir.join("synth.tf.json"),
        serde_json::json!({ "output": synth }).to_string(),
    )
    .unwrap();
    for args in [
        &["init", "-input=false", "-no-color"][..],
        &["apply", "-auto-approve", "-input=false", "-no-color"][..],
    ] {
        let out = Command::new("terraform")
            .args(args)
            .current_dir(dir)
            .env("TF_IN_AUTOMATION", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "terraform {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Command::new("terraform")
        .args(["output", "-json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let outputs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Some(
        (0..pairs.len())
            .map(|i| {
                let get = |k: String| {
                    outputs[&k]["value"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{k}: {outputs}"))
                        .to_owned()
                };
                (get(format!("hcl_{i}")), get(format!("synth_{i}")))
            })
            .collect(),
    )
}

/// `terraform validate` of a synthesised module (terraform at `/usr/local/bin/terraform` or
/// `$TERRAFORM`, the AWS provider from `/opt/tf-plugins` or `$OXIFORM_PLUGIN_DIR`; skipped
/// when either is missing).
fn validate(dir: &Path, json: &serde_json::Value) {
    let terraform = PathBuf::from(
        std::env::var_os("TERRAFORM").unwrap_or_else(|| "/usr/local/bin/terraform".into()),
    );
    let plugins = PathBuf::from(
        std::env::var_os("OXIFORM_PLUGIN_DIR").unwrap_or_else(|| "/opt/tf-plugins".into()),
    );
    if !terraform.exists() || !plugins.exists() {
        eprintln!("terraform validate skipped: no terraform or provider mirror");
        return;
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("main.tf.json"), json.to_string()).unwrap();
    let plugin_dir = format!("-plugin-dir={}", plugins.display());
    for args in [
        vec![
            "init",
            "-backend=false",
            "-input=false",
            plugin_dir.as_str(),
        ],
        vec!["validate"],
    ] {
        let out = Command::new(&terraform)
            .args(&args)
            .current_dir(dir)
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "terraform {args:?}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
