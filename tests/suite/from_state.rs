//! `convert --from-state` end to end on the AWS API emulator: resources created outside
//! terraform (through the emulator's S3, SQS, DynamoDB and IAM APIs) are imported by a
//! scratch configuration (bare `resource` blocks with `ignore_changes = all` and an `import`
//! block each: terraform reads every attribute, changes nothing), whose state the real
//! command line converts. The Rust it writes is compiled as a throwaway crate, synthesised
//! with the emulator provider and planned against a fresh state: every resource is imported
//! and nothing else changes; after the apply, a plan shows no changes at all.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use oxiform::prelude::*;
use oxiform_tests::emulator::Emulator;
use oxiform_tests::terraform::Workdir;

const CLI: &str = env!("CARGO_BIN_EXE_oxiform-stacks");
/// The services the provider is pointed at the emulator for.
const SERVICES: &[&str] = &["dynamodb", "iam", "s3", "sqs", "sts"];

const BUCKET: &str = "oxiform-adopt-assets";
const QUEUE: &str = "oxiform-adopt-work";
const TABLE: &str = "oxiform-adopt-orders";
const ROLE: &str = "oxiform-adopt-reader";

/// `application/x-www-form-urlencoded` of `s`.
fn form(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The four objects, created through the emulator's APIs as another tool would.
fn create_outside_terraform(emulator: &Emulator) {
    let bucket = emulator.http("PUT", &format!("/{BUCKET}"), &[], "");
    assert!(bucket.status < 300, "creating the bucket: {bucket:?}");
    // The emulator gives a new queue today's AWS default, a 1 MiB maximum message size,
    // which the pinned provider (5.100.0, validating 1024–262144) cannot express: the queue
    // is created with the old maximum, as one made before that change has.
    let queue = emulator.query(
        "sqs",
        &format!(
            "Action=CreateQueue&QueueName={QUEUE}&Attribute.1.Name=VisibilityTimeout&\
             Attribute.1.Value=60&Attribute.2.Name=MaximumMessageSize&Attribute.2.Value=262144&\
             Version=2012-11-05"
        ),
    );
    assert!(queue.status < 300, "creating the queue: {queue:?}");
    let table = emulator.json(
        "dynamodb",
        "DynamoDB_20120810.CreateTable",
        &serde_json::json!({
            "TableName": TABLE,
            "AttributeDefinitions": [
                { "AttributeName": "pk", "AttributeType": "S" },
                { "AttributeName": "sk", "AttributeType": "S" }
            ],
            "KeySchema": [
                { "AttributeName": "pk", "KeyType": "HASH" },
                { "AttributeName": "sk", "KeyType": "RANGE" }
            ],
            "BillingMode": "PAY_PER_REQUEST"
        })
        .to_string(),
    );
    assert!(table.status < 300, "creating the table: {table:?}");
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "lambda.amazonaws.com" },
            "Action": "sts:AssumeRole"
        }]
    })
    .to_string();
    let role = emulator.query(
        "iam",
        &format!(
            "Action=CreateRole&RoleName={ROLE}&AssumeRolePolicyDocument={}&Description={}&\
             Version=2010-05-08",
            form(&trust),
            form("Reads the \"orders\" table; ${not} a template")
        ),
    );
    assert!(role.status < 300, "creating the role: {role:?}");
}

/// The provider block pointed at the emulator, as Terraform JSON.
fn provider_json(emulator: &Emulator) -> serde_json::Value {
    let mut stack = Stack::new("provider");
    stack.provider(AwsProvider::new("us-east-1").emulator(&emulator.url(), SERVICES));
    let json = stack
        .synth()
        .unwrap_or_else(|e| panic!("{e}"))
        .to_json()
        .unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"))
}

/// A state that knows the four objects: a scratch configuration of bare resources that
/// ignore every change, each with an `import` block, applied. Returns its folder.
fn scratch_state(emulator: &Emulator, queue_url: &str) -> Workdir {
    let work = Workdir::new();
    work.write_main(&provider_json(emulator).to_string());
    let hcl = format!(
        r#"
resource "aws_s3_bucket" "assets" {{
  lifecycle {{ ignore_changes = all }}
}}
import {{
  to = aws_s3_bucket.assets
  id = "{BUCKET}"
}}

resource "aws_sqs_queue" "work" {{
  lifecycle {{ ignore_changes = all }}
}}
import {{
  to = aws_sqs_queue.work
  id = "{queue_url}"
}}

resource "aws_dynamodb_table" "orders" {{
  name = "{TABLE}"
  lifecycle {{ ignore_changes = all }}
}}
import {{
  to = aws_dynamodb_table.orders
  id = "{TABLE}"
}}

resource "aws_iam_role" "reader" {{
  assume_role_policy = "{{}}"
  lifecycle {{ ignore_changes = all }}
}}
import {{
  to = aws_iam_role.reader
  id = "{ROLE}"
}}
"#
    );
    std::fs::write(work.path().join("adopt.tf"), hcl).unwrap_or_else(|e| panic!("{e}"));
    let env = emulator.provider_env();
    work.run_ok_env(&["init", "-input=false", "-backend=false"], &env);
    let apply = work.run_ok_env(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &env,
    );
    assert!(
        apply.contains("Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed."),
        "{apply}"
    );
    work
}

/// Builds a crate whose `main` synthesises the converted module with the emulator provider
/// and prints the Terraform JSON; shares the target folder of the converter's compile test.
fn compile_and_synth(rust: &str, features: &[String], emulator: &Emulator) -> String {
    let root = oxiform_tests::workspace_root();
    let dir = root.join("target").join("convert-check");
    let krate = dir.join("from-state");
    std::fs::create_dir_all(krate.join("src")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(krate.join("src/adopted.rs"), rust).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        krate.join("src/main.rs"),
        format!(
            "#![deny(warnings)]\n//! The adopted resources with the emulator provider, synthesised.\n\n\
             mod adopted;\n\nuse oxiform::prelude::*;\n\nfn main() {{\n    \
             let url = std::env::args().nth(1).expect(\"the emulator's URL\");\n    \
             let mut stack = Stack::new(\"adopted\");\n    \
             stack.provider(AwsProvider::new(\"us-east-1\").emulator(&url, &{SERVICES:?}));\n    \
             adopted::build(&mut stack);\n    \
             print!(\"{{}}\", stack.synth().expect(\"synth\").to_json().expect(\"json\"));\n}}\n"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let quoted: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"from-state-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\noxiform = {{ path = \"{}\", default-features = false, features = [{}] }}\n\n\
             [workspace]\n\n[profile.dev]\ndebug = false\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n",
            root.join("sdk").display(),
            quoted.join(", ")
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline", "--"])
        .arg(emulator.url())
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "the converted module does not build or synthesise:\n{}\n{rust}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn convert(state: &Path, hcl: &Path, out: &Path) -> (String, String) {
    let run = Command::new(CLI)
        .args(["convert", "--from-state"])
        .arg(state)
        .arg("--hcl")
        .arg(hcl)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap_or_else(|e| panic!("{CLI}: {e}"));
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "convert --from-state: {stderr}");
    (
        std::fs::read_to_string(out).unwrap_or_else(|e| panic!("{e}")),
        stderr,
    )
}

#[test]
fn resources_created_outside_terraform_are_adopted_with_no_changes() {
    let whole = Instant::now();
    let mut timings = Vec::new();
    let mut lap = {
        let mut last = Instant::now();
        move |label: &str, timings: &mut Vec<String>| {
            timings.push(format!("{label} {:.1}s", last.elapsed().as_secs_f64()));
            last = Instant::now();
        }
    };
    let emulator = Emulator::start();
    create_outside_terraform(&emulator);
    let urls = emulator.query(
        "sqs",
        &format!("Action=GetQueueUrl&QueueName={QUEUE}&Version=2012-11-05"),
    );
    let queue_url = urls
        .body
        .split("<QueueUrl>")
        .nth(1)
        .and_then(|rest| rest.split("</QueueUrl>").next())
        .unwrap_or_else(|| panic!("no queue URL: {urls:?}"))
        .to_owned();
    lap("create", &mut timings);

    // 1. A state that knows them.
    let scratch = scratch_state(&emulator, &queue_url);
    let state = scratch.path().join("terraform.tfstate");
    lap("scratch import", &mut timings);

    // 2. The real command line converts it, from the state file and from `show -json`.
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (rust, stderr) = convert(
        &state,
        &tmp.path().join("adopt.tf"),
        &tmp.path().join("adopted.rs"),
    );
    assert!(stderr.contains("4 resource(s) of"), "{stderr}");
    let show = scratch.run_ok_env(&["show", "-json"], &emulator.provider_env());
    let show_file = tmp.path().join("show.json");
    std::fs::write(&show_file, show).unwrap_or_else(|e| panic!("{e}"));
    let (from_show, _) = convert(
        &show_file,
        &tmp.path().join("show.tf"),
        &tmp.path().join("show.rs"),
    );
    let body = |r: &str| {
        r.split_once("\n\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default()
    };
    assert_eq!(
        body(&rust),
        body(&from_show),
        "state and show -json convert alike"
    );
    // rustfmt may break a call over lines: compared without whitespace.
    let squeezed: String = rust.split_whitespace().collect();
    for line in [
        format!(r#"stack.import(&assets,"{BUCKET}""#),
        format!(r#"stack.import(&work,"{queue_url}""#),
        format!(r#"stack.import(&orders,"{TABLE}""#),
        format!(r#"stack.import(&reader,"{ROLE}""#),
    ] {
        assert!(squeezed.contains(&line), "{line} in:\n{rust}");
    }
    let features: Vec<String> = stderr
        .lines()
        .find_map(|l| l.strip_prefix("needs oxiform = { …, features = ["))
        .map(|l| {
            l.trim_end_matches("] }")
                .split(", ")
                .map(|f| f.trim_matches('"').to_owned())
                .filter(|f| !f.is_empty())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(features, ["dynamodb", "iam", "s3", "sqs"], "{stderr}");
    lap("convert", &mut timings);

    // 3. Compiled and synthesised with the emulator provider.
    let json = compile_and_synth(&rust, &features, &emulator);
    lap("compile and synth", &mut timings);

    // 4. Planned against a fresh state: everything imported, nothing else.
    let work = Workdir::new();
    work.write_main(&json);
    let env = emulator.provider_env();
    work.run_ok_env(&["init", "-input=false", "-backend=false"], &env);
    let plan = work.run_ok_env(&["plan", "-input=false", "-no-color"], &env);
    assert!(
        plan.contains("Plan: 4 to import, 0 to add, 0 to change, 0 to destroy."),
        "{plan}\n{json}"
    );
    let apply = work.run_ok_env(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &env,
    );
    assert!(
        apply.contains("Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed."),
        "{apply}"
    );
    let again = work.run_env(
        &["plan", "-input=false", "-no-color", "-detailed-exitcode"],
        &env,
    );
    assert_eq!(
        again.status.code(),
        Some(0),
        "a plan after the import changes nothing:\n{}",
        String::from_utf8_lossy(&again.stdout)
    );
    lap("plan, apply, plan", &mut timings);
    timings.push(format!("whole test {:.1}s", whole.elapsed().as_secs_f64()));
    eprintln!("from-state timings: {}", timings.join(", "));
}
