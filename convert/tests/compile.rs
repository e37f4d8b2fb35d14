//! The Rust `convert` writes compiles against the facade, with only the features it printed,
//! and synthesises: the four fixture modules, each a module of one throwaway crate under
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
             [workspace]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n",
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
    // `jsonencode` of other JSON than a policy: Terraform computes the same string from what
    // synth wrote as from the HCL.
    let settings = synthesised(&stdout, "iam_jsonencode")["resource"]["aws_sqs_queue"]["orders"]
        ["tags"]["Settings"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(settings.starts_with("${jsonencode("), "{settings}");
    the_same_string_in_terraform(
        &dir.join("jsonencode"),
        r#"jsonencode({ retries = [1, 2.5], env = var.environment, "<html>" = "a&b", on = true, none = null })"#,
        &settings,
    );
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

/// Applies (no resources: no provider, offline) a configuration with two outputs, `hcl` (the
/// HCL expression) and `synth` (the JSON string synth wrote), and checks they are equal.
/// Skipped, saying so, without `terraform` on the PATH.
fn the_same_string_in_terraform(dir: &Path, hcl: &str, synth: &str) {
    if Command::new("terraform").arg("version").output().is_err() {
        eprintln!("terraform is not on the PATH: the jsonencode comparison is skipped");
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        format!(
            "variable \"environment\" {{\n  default = \"prod\"\n}}\n\noutput \"hcl\" {{\n  value = {hcl}\n}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("synth.tf.json"),
        serde_json::json!({ "output": { "synth": { "value": synth } } }).to_string(),
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
    let (hcl_value, synth_value) = (&outputs["hcl"]["value"], &outputs["synth"]["value"]);
    assert!(hcl_value.is_string(), "{outputs}");
    assert_eq!(hcl_value, synth_value);
    // Terraform's own escaping and key order, which the JSON text written by Rust would miss.
    assert!(
        hcl_value
            .as_str()
            .unwrap()
            .contains(r#""\u003chtml\u003e":"a\u0026b""#),
        "{hcl_value}"
    );
}
